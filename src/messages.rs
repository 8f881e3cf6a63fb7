//! The app's and reports' own words (not the content's), in a catalogue per
//! language, chosen by the questionnaire's `language`.
//!
//! Content brings its own words (titles, prompts, explanations); these are
//! the words around them: "Because", "applies now", "If you answered …", key
//! help, report headings, month names. Keeping them in data files
//! (`assets/messages/*.ron`) lets a translator work without reading Rust, and
//! the catalogues' tests catch a missing, misspelt or mismatched key.
//!
//! Templates carry named placeholders such as `{date}` or `{n}`, filled by
//! [`fill`]: word order differs between languages, so a sentence is one
//! template, not pieces glued together in code.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// Every language with a catalogue; the first is the fallback.
const LANGUAGES: &[&str] = &["en", "de"];

const EN_RON: &str = include_str!("../assets/messages/en.ron");
const DE_RON: &str = include_str!("../assets/messages/de.ron");

static EN: OnceLock<Messages> = OnceLock::new();
static DE: OnceLock<Messages> = OnceLock::new();

/// The languages that have a catalogue (`en` first, the fallback), for
/// tests and for saying which languages the app speaks.
pub fn languages() -> &'static [&'static str] {
    LANGUAGES
}

/// The catalogue for a questionnaire's `language` (a BCP 47 tag such as
/// `de`, `de-DE` or, leniently, `de_AT`): the primary subtag decides, case
/// ignored. A language without a catalogue gets English, so content in any
/// language still works, with English chrome. Each catalogue is parsed on
/// first use only, so start-up pays for one language at most.
pub fn for_language(lang: &str) -> &'static Messages {
    // Called for every evaluation: no allocation.
    let primary = lang.trim().split(['-', '_']).next().unwrap_or_default();
    match primary {
        p if p.eq_ignore_ascii_case("de") => {
            DE.get_or_init(|| Messages::parse(DE_RON).unwrap_or_else(|_| english().clone()))
        }
        _ => english(),
    }
}

/// The English catalogue: the start screen's language (no questionnaire is
/// chosen yet), and the language of command-line output.
pub fn english() -> &'static Messages {
    EN.get_or_init(|| {
        // The catalogue is compiled in, and a test parses it: failing here
        // means the binary itself was built broken, not bad input.
        Messages::parse(EN_RON).expect("the embedded English catalogue parses")
    })
}

/// The source text of a catalogue, for tests that check catalogues against
/// each other.
pub fn source(lang: &str) -> Option<&'static str> {
    match lang {
        "en" => Some(EN_RON),
        "de" => Some(DE_RON),
        _ => None,
    }
}

/// Fills a template's `{name}` placeholders from `args`. A placeholder
/// without a value is left as written, so a mistake shows instead of
/// vanishing (and the catalogue tests catch it first).
pub fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (v.to_string(), close))
        });
        match value {
            Some((text, close)) => {
                out.push_str(&text);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder names in a template, sorted: the catalogue tests check
/// that every language uses the same ones for the same key.
pub fn placeholders(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    out.push(name.to_string());
                }
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    out.sort();
    out.dedup();
    out
}

/// One language's words. Every field is required and unknown fields are
/// refused, so a catalogue that misses or misspells a key fails to parse
/// (and its test fails) instead of silently showing nothing.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Messages {
    /// The language tag this catalogue is for (`en`, `de`).
    pub language: String,
    /// A date in words: `{day}`, `{month}` (a name from `months`), `{year}`.
    pub date: String,
    /// January to December.
    pub months: Vec<String>,
    pub engine: EngineWords,
    pub report: ReportWords,
    pub app: AppWords,
    pub present: PresentWords,
    pub modes: ModeTitles,
    /// Key help, by binding id (see `tui::keys`): what the help overlay
    /// says and the footer's few words.
    pub keys: BTreeMap<String, KeyWords>,
}

/// The engine's words: reasons and "what would change this" sentences.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineWords {
    pub not_answered_yet: String,
    pub not_so: String,
    pub not_sure: String,
    pub also: String,
    pub answered: String,
    pub not_ticked: String,
    pub also_ticked: String,
    pub flip: String,
    pub flip_others_one: String,
    pub flip_others_other: String,
    pub would_apply_when: String,
    pub might_apply_when: String,
    pub from_instead_of: String,
    pub only_from: String,
    pub without_waiting: String,
    pub would_no_longer_apply: String,
    pub would_not_apply: String,
    pub would_apply: String,
    pub might_apply: String,
    pub would_become_provisional: String,
}

/// Report headings and labels (Markdown report and model card).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportWords {
    pub assessment_date: String,
    pub questionnaire: String,
    pub legal_basis: String,
    pub as_of: String,
    pub session_dates: String,
    pub made_with: String,
    pub incomplete: String,
    pub summary: String,
    pub no_outcome: String,
    pub col_outcome: String,
    pub col_kind: String,
    pub col_status: String,
    pub col_when: String,
    pub col_follow_up: String,
    pub col_question: String,
    pub col_answer: String,
    pub applies: String,
    pub provisional: String,
    pub does_not_apply: String,
    pub when: String,
    pub because: String,
    pub depends_on: String,
    pub shown_because: String,
    pub sources: String,
    /// After "Sources:" for an outcome that cites none (format 2's `no_source`).
    pub sources_none: String,
    pub follow_up: String,
    pub answers: String,
    pub not_answered: String,
    pub note: String,
    pub what_would_change: String,
    pub no_change_would: String,
    pub what_if_intro: String,
    pub what_if_outcome: String,
    pub what_if_number: String,
    pub or: String,
    pub applies_now: String,
    pub applies_since: String,
    pub applies_from_one: String,
    pub applies_from_other: String,
    pub card_this_component: String,
    pub card_assessed: String,
    pub card_incomplete: String,
    pub progress_not_started: String,
    pub progress_in_progress: String,
    pub progress_done: String,
}

/// The interactive app's words.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppWords {
    pub note_on: String,
    pub note: String,
    pub note_text: String,
    pub note_hint: String,
    pub hint_keep: String,
    pub hint_cancel: String,
    pub hint_start: String,
    pub hint_back: String,
    pub hint_compute: String,
    pub new_assessment: String,
    pub name_text: String,
    pub too_small: String,
    pub all_answered: String,
    pub about_left: String,
    pub about_range_left: String,
    pub answered_left: String,
    pub not_saved: String,
    pub save_failed: String,
    pub saved: String,
    pub saving: String,
    pub start_new: String,
    pub resume_saved: String,
    pub no_saving: String,
    pub sessions_kept_in: String,
    pub tick_all: String,
    pub tick_at_least: String,
    pub tick_range: String,
    pub number_in_unit: String,
    pub number_formats: String,
    pub not_sure: String,
    pub enter_to_type: String,
    /// The one row of an information screen (format 2).
    pub continue_label: String,
    /// Above a prompt in a format-2 section: `{title}`, `{n}`, `{total}`.
    pub section_part: String,
    pub estimate_it: String,
    pub prefilled: String,
    pub note_line: String,
    pub help_panel: String,
    pub why_we_ask: String,
    pub answers_so_far: String,
    pub none_yet: String,
    pub to_confirm: String,
    pub not_finished: String,
    pub results_as_of: String,
    pub no_outcome_applies: String,
    pub background: String,
    pub and_more_all: String,
    pub first_only: String,
    pub no_single_change: String,
    pub follow_up_none: String,
    pub type_pasting: String,
    pub closes_help: String,
    pub keys_title: String,
    pub confirm_changes: String,
    pub and_more: String,
    pub confirm_hint: String,
    pub confirm_title: String,
    pub times_inputs: String,
    pub next_field: String,
    pub could_not_save: String,
    pub could_not_create: String,
    pub report_written: String,
    pub could_not_export: String,
    pub saving_as: String,
    pub could_not_open: String,
    pub no_answers_yet: String,
    pub answer_first: String,
    pub tick_one: String,
    pub first_question: String,
    pub type_number: String,
    pub type_answer: String,
    pub note_kept: String,
    pub note_removed: String,
    pub estimate_filled: String,
    pub estimate_too_large: String,
    pub kept_old: String,
    pub showing_all: String,
    pub showing_relevant: String,
    pub background_no_status: String,
    pub follow_up_set: String,
    pub follow_up_cleared: String,
}

/// Facilitator mode's words.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresentWords {
    pub results_shown: String,
    pub question_of: String,
    pub discuss: String,
    pub no_notes: String,
    pub panel_title: String,
    pub tick_to_see: String,
    pub type_to_see: String,
    pub highlight_to_see: String,
    /// A label in quotation marks, as the language writes them.
    pub quoted: String,
    pub these: String,
    pub this: String,
    pub next: String,
    pub last_question: String,
    pub room_picks: String,
    pub and_more_not_apply: String,
    pub and_more: String,
    pub not_finished: String,
    pub may_apply: String,
    pub groups_one: String,
    pub groups_other: String,
    pub more_groups: String,
}

/// The help overlay's title for each key mode.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModeTitles {
    pub start: String,
    pub question: String,
    pub input: String,
    pub answers: String,
    pub results: String,
    pub confirm: String,
    pub help: String,
    pub present: String,
    pub present_results: String,
}

/// One key binding's words: `desc` for the help overlay, `hint` for the
/// footer (empty when the binding is only in the help).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyWords {
    pub desc: String,
    pub hint: String,
}

impl Messages {
    /// Parses a catalogue's RON text.
    pub fn parse(text: &str) -> Result<Messages, ron::error::SpannedError> {
        ron::from_str(text)
    }

    /// A date in words in this language ("2 August 2026", "2. August 2026").
    pub fn long_date(&self, d: jiff::civil::Date) -> String {
        crate::text::long_date(d, &self.date, &self.months)
    }

    /// A status word for a result: "applies" or "provisional".
    pub fn status(&self, s: crate::engine::Status) -> &str {
        match s {
            crate::engine::Status::Applies => &self.report.applies,
            crate::engine::Status::Provisional => &self.report.provisional,
        }
    }

    /// A follow-up status in words ("not started", "in progress", "done").
    pub fn progress(&self, p: crate::session::Progress) -> &str {
        match p {
            crate::session::Progress::NotStarted => &self.report.progress_not_started,
            crate::session::Progress::InProgress => &self.report.progress_in_progress,
            crate::session::Progress::Done => &self.report.progress_done,
        }
    }

    /// A follow-up status given in its English words (as sessions hand it
    /// to reports, and JSON keeps it) in this language; other text as is.
    pub fn progress_words<'a>(&'a self, english: &'a str) -> &'a str {
        use crate::session::Progress;
        [Progress::NotStarted, Progress::InProgress, Progress::Done]
            .into_iter()
            .find(|p| p.words() == english)
            .map_or(english, |p| self.progress(p))
    }

    /// A key binding's words by id; the id itself if the catalogue lacks it
    /// (a test makes sure none does).
    pub fn key<'a>(&'a self, id: &'a str) -> (&'a str, &'a str) {
        self.keys
            .get(id)
            .map_or((id, ""), |k| (k.desc.as_str(), k.hint.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_named_placeholders_only() {
        assert_eq!(
            fill("{a} and {b}, {a}; {c} {", &[("a", &1), ("b", &"x")]),
            "1 and x, 1; {c} {"
        );
        assert_eq!(placeholders("{b} {a} {a} {not a name} {"), vec!["a", "b"]);
    }

    #[test]
    fn language_tags_choose_the_catalogue() {
        for tag in ["de", "de-DE", "de_AT", "DE"] {
            assert_eq!(for_language(tag).language, "de", "{tag}");
        }
        for tag in ["en", "en-GB", "fr", "", "x-klingon"] {
            assert_eq!(for_language(tag).language, "en", "{tag}");
        }
    }
}
