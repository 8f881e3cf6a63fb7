//! The app's own words in another language: the message catalogues
//! (`assets/messages`) parse, agree on their keys and placeholders, and
//! really are translated; a German fixture questionnaire gets German
//! screens and a German Markdown report. English output is covered by the
//! existing snapshots, which must not change.

mod common;
mod tui_screens;

use std::collections::BTreeMap;

use aiact::answers::{Answer, Answers};
use aiact::messages::{self, Messages};
use aiact::questionnaire::{Questionnaire, load_path};
use aiact::tui::app::{App, Msg, Screen};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

const FIXTURE: &str = "tests/fixtures/i18n/de.ron";

/// Every string of a catalogue by its path (`report.summary`,
/// `keys.help.desc`, `months.0`).
fn leaves(m: &Messages) -> BTreeMap<String, String> {
    fn walk(v: &serde_json::Value, path: String, out: &mut BTreeMap<String, String>) {
        match v {
            serde_json::Value::String(s) => {
                out.insert(path, s.clone());
            }
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    walk(v, format!("{path}.{k}"), out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, format!("{path}.{i}"), out);
                }
            }
            other => panic!("{path}: unexpected {other}"),
        }
    }
    let mut out = BTreeMap::new();
    walk(&serde_json::to_value(m).unwrap(), String::new(), &mut out);
    out
}

#[test]
fn every_catalogue_parses_and_is_the_one_its_language_gets() {
    assert_eq!(messages::languages()[0], "en", "English is the fallback");
    for &lang in messages::languages() {
        let text = messages::source(lang).expect("a catalogue source");
        let m = Messages::parse(text).unwrap_or_else(|e| panic!("{lang}: {e}"));
        assert_eq!(m.language, lang);
        assert_eq!(m.months.len(), 12, "{lang}: twelve month names");
        assert_eq!(messages::for_language(lang).language, lang);
    }
    assert_eq!(messages::for_language("de-DE").language, "de");
    assert_eq!(messages::for_language("de_AT").language, "de");
    assert_eq!(messages::for_language("pt-BR").language, "en");
}

#[test]
fn a_catalogue_missing_or_misspelling_a_key_does_not_parse() {
    let en = messages::source("en").unwrap();
    let misspelt = en.replacen("summary:", "sumary:", 1);
    let err = Messages::parse(&misspelt).unwrap_err().to_string();
    assert!(err.contains("sumary"), "{err}");
    let missing = en.replacen("summary: \"Summary\",", "", 1);
    let err = Messages::parse(&missing).unwrap_err().to_string();
    assert!(err.contains("summary"), "{err}");
}

#[test]
fn every_key_has_the_same_placeholders_in_every_language() {
    let en = leaves(messages::english());
    for &lang in &messages::languages()[1..] {
        let other = leaves(messages::for_language(lang));
        assert_eq!(
            en.keys().collect::<Vec<_>>(),
            other.keys().collect::<Vec<_>>(),
            "{lang}: the keys differ from English"
        );
        for (path, text) in &en {
            assert_eq!(
                messages::placeholders(text),
                messages::placeholders(&other[path]),
                "{lang}{path}: placeholders differ from English"
            );
        }
    }
}

#[test]
fn german_is_translated_not_copied() {
    let en = leaves(messages::english());
    let de = leaves(messages::for_language("de"));
    let words: Vec<_> = en.iter().filter(|(_, t)| !t.is_empty()).collect();
    let same: Vec<_> = words
        .iter()
        .filter(|(path, text)| de[*path] == **text)
        .map(|(path, text)| format!("{path} = {text:?}"))
        .collect();
    // Words that are the same in both languages (Status, Details, August…).
    assert!(
        same.len() * 10 < words.len(),
        "{} of {} keys are the same as in English:\n{}",
        same.len(),
        words.len(),
        same.join("\n")
    );
    // Footer hints must fit where the English ones do.
    for (path, text) in &en {
        if path.ends_with(".hint") && !text.is_empty() {
            assert!(
                de[path].width() <= text.width() + 6,
                "{path}: {:?} is much longer than {text:?}",
                de[path]
            );
        }
    }
}

#[test]
fn yes_no_questions_answer_in_the_questionnaires_language() {
    use aiact::questionnaire::validate::yes_no;
    assert_eq!(yes_no("en"), ("Yes", "No"));
    assert_eq!(yes_no("de-CH"), ("Ja", "Nein"));
    for &lang in messages::languages() {
        if lang != "en" {
            assert_ne!(yes_no(lang), yes_no("en"), "{lang} has its own yes and no");
        }
    }
}

#[test]
fn dates_are_written_in_the_catalogues_words() {
    let d = aiact::parse_date("2026-12-06").unwrap();
    assert_eq!(messages::english().long_date(d), "6 December 2026");
    assert_eq!(
        messages::for_language("de").long_date(d),
        "6. Dezember 2026"
    );
}

// ------------------------------------------------------------------ screens

fn fixture() -> Questionnaire {
    let path = format!("{}/{FIXTURE}", env!("CARGO_MANIFEST_DIR"));
    load_path(std::path::Path::new(&path)).expect("fixture loads")
}

fn app_with(answers: &[(&str, Answer)]) -> App {
    let answers: Answers = answers
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let today = aiact::parse_date("2026-12-06").unwrap();
    App::new(fixture(), answers, today).with_name("Demo")
}

fn key(app: &mut App, code: KeyCode) {
    app.handle(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// The screen at 80×24 as text, one line per row.
fn screen(app: &App) -> String {
    tui_screens::text(&tui_screens::draw(app, 80, 24))
}

#[test]
fn a_german_question_in_german() {
    let app = app_with(&[]);
    assert_eq!(app.screen(), Screen::Question(0));
    let t = screen(&app);
    insta::assert_snapshot!("de_question_80x24", t);
    assert!(
        t.contains("Warum wir fragen") && t.contains("Nicht sicher"),
        "{t}"
    );
    // The footer has room for the same keys as the English one.
    assert!(t.contains("? Tasten"), "{t}");
}

#[test]
fn a_german_yes_no_question_offers_ja_and_nein() {
    let app = app_with(&[
        ("rolle", Answer::Choice("bauen".into())),
        ("teile", Answer::Choices(vec!["gewichte".into()])),
        ("markt", Answer::Choice("nachher".into())),
    ]);
    let t = screen(&app);
    assert!(t.contains("( ) Ja") && t.contains("( ) Nein"), "{t}");
}

#[test]
fn german_help_overlay() {
    let mut app = app_with(&[]);
    key(&mut app, KeyCode::Char('?'));
    let t = screen(&app);
    insta::assert_snapshot!("de_help_question_80x24", t);
    assert!(t.contains("Tasten · Eine Frage beantworten"), "{t}");
}

#[test]
fn german_results() {
    let mut app = app_with(&[
        ("rolle", Answer::Choice("bauen".into())),
        ("teile", Answer::Choices(vec!["gewichte".into()])),
        ("markt", Answer::Choice("nachher".into())),
        ("bezahlt", Answer::NotSure),
    ]);
    assert_eq!(app.screen(), Screen::Results);
    key(&mut app, KeyCode::Enter);
    let t = screen(&app);
    insta::assert_snapshot!("de_results_80x24", t);
    assert!(t.contains("gilt seit dem 2. August 2025"), "{t}");
    assert!(t.contains("Begründung:"), "{t}");
}

// ------------------------------------------------------------------ report

#[test]
fn run_writes_a_german_report_for_a_german_questionnaire() {
    let out = common::ok(
        &common::command()
            .args(["--today", "2026-12-06", "run", "--questionnaire", FIXTURE])
            .args([
                "--answers",
                "tests/fixtures/i18n/de.answers.ron",
                "--what-if",
            ])
            .output()
            .expect("run aiact"),
    );
    for wanted in [
        "- Datum der Bewertung: 6. Dezember 2026",
        "- Fragebogen: Testfragebogen: KI-Komponenten teilen (i18n-de), Version 1.0.0",
        "## Zusammenfassung",
        "| Ergebnis | Art | Status | Wann |",
        "| Technische Dokumentation führen | Pflichten | gilt | gilt seit dem 2. August 2025 |",
        "- **Wann:** gilt seit dem 2. August 2025",
        "- **Begründung:**",
        "  - Rolle: Ich entwickle sie",
        "- **Quellen:**",
        "## Antworten",
        "| Frage | Antwort |",
        "| Verlangen Sie Geld dafür? | Nein |",
        "## Was dies ändern würde",
        "**Technische Dokumentation führen** würde ab dem 2. August 2027 statt ab dem 2. August 2025 gelten, wenn Sie:",
        "- auf „Markteintritt“ mit „Vor dem 2. August 2025“ geantwortet hätten",
    ] {
        assert!(out.contains(wanted), "missing {wanted:?} in\n{out}");
    }
    for english in ["Summary", "Because", "Sources", "applies", "December"] {
        assert!(
            !out.contains(english),
            "{english:?} left in English:\n{out}"
        );
    }
}

#[test]
fn german_footers_show_as_many_keys_as_english_ones_in_80_columns() {
    use aiact::tui::keys::{MODES, table};
    // How many footer hints fit: the app's footer puts two spaces after
    // each, facilitator mode three.
    let fitted = |m: &Messages, mode, gap: usize| {
        let mut used = 1;
        let mut n = 0;
        for b in table(mode).iter().filter(|b| !b.hint.is_empty()) {
            let piece = b.short().width() + 1 + b.hint_in(m).width() + gap;
            if used + piece > 80 {
                break;
            }
            used += piece;
            n += 1;
        }
        n
    };
    for &lang in &messages::languages()[1..] {
        let m = messages::for_language(lang);
        for &mode in MODES {
            for gap in [2, 3] {
                let en = fitted(messages::english(), mode, gap);
                assert!(
                    fitted(m, mode, gap) >= en,
                    "{lang}: the {mode:?} footer fits fewer keys than English"
                );
            }
        }
    }
}

/// Key names in the app's sentences come from the bindings (a placeholder
/// each), never from the catalogue, so help can never name a key that does
/// something else.
#[test]
fn sentences_that_name_keys_take_them_from_the_bindings() {
    for lang in aiact::messages::languages() {
        let m = aiact::messages::for_language(lang);
        for (name, text, placeholders) in [
            ("enter_to_type", &m.app.enter_to_type, &["{key}"][..]),
            (
                "help_panel",
                &m.app.help_panel,
                &["{toggle}", "{pages}"][..],
            ),
            ("not_finished", &m.app.not_finished, &["{back}"][..]),
            ("results_as_of", &m.app.results_as_of, &["{open}"][..]),
            ("confirm_hint", &m.app.confirm_hint, &["{yes}", "{no}"][..]),
        ] {
            for p in placeholders {
                assert!(text.contains(p), "{lang} {name}: {text}");
            }
            for key in ["Enter", "Esc", "PgUp", "PgDn", "Bksp", "Space"] {
                assert!(!text.contains(key), "{lang} {name} names {key}: {text}");
            }
        }
    }
}
