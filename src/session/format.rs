//! The session file format: one RON file per session, the whole state as one
//! serialisable value (documented in the README under "Sessions").

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::answers::{Answer, Answers};
use crate::engine::{Evaluation, Status};
use crate::error::{Error, Result};
use crate::questionnaire::{self, Questionnaire, source};

/// The session format this build writes and reads. Bump it, with a migration,
/// whenever old files would mean something different.
pub const SESSION_FORMAT_VERSION: u32 = 1;

/// The largest session file aiact reads or writes. A session embeds a copy
/// of a custom questionnaire (up to
/// [`MAX_SOURCE_BYTES`](crate::questionnaire::MAX_SOURCE_BYTES), which may
/// grow when escaped); answers and notes are small beside it. The limit
/// keeps a hostile file from costing seconds and hundreds of megabytes.
pub const MAX_SESSION_BYTES: u64 = 40 * 1024 * 1024;

/// A whole session: what a user answered about one component, and where they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub format_version: u32,
    /// The component's name as the user typed it; the file name is its slug.
    pub name: String,
    pub questionnaire: QuestionnaireRef,
    pub created: Timestamp,
    pub updated: Timestamp,
    /// Answers by question id, each with when it was given and a note.
    #[serde(default)]
    pub answers: BTreeMap<String, SavedAnswer>,
    /// Where the user is, so resume reopens exactly there.
    #[serde(default)]
    pub position: Position,
    /// The outcomes as last evaluated, to show what changed on resume.
    #[serde(default)]
    pub evaluation: Option<SavedEvaluation>,
    /// Follow-up per obligation or recommendation, by outcome id.
    #[serde(default)]
    pub follow_up: BTreeMap<String, FollowUp>,
    /// Answers that no longer fit the questionnaire after it changed (a
    /// question or option removed), kept with why, so no work is ever lost.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set_aside: BTreeMap<String, SetAside>,
    /// Answers pre-filled from the component's files and not yet confirmed
    /// by the user: question id → where the pre-answer came from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub prefilled: BTreeMap<String, String>,
}

/// An answer set aside when the questionnaire changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetAside {
    pub answer: SavedAnswer,
    /// Why it no longer fits, in the words shown on resume.
    pub reason: String,
    /// The questionnaire version it was given for.
    pub version: String,
}

/// Which questionnaire a session answers, and which version of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionnaireRef {
    pub id: String,
    pub origin: Origin,
    pub version: String,
    pub logic_hash: String,
    pub text_hash: String,
    /// The translation the session was last shown in, with a copy of its
    /// text (as [`Origin::Custom`] keeps the questionnaire's), so it reopens
    /// in that language; absent for the questionnaire's own language (and in
    /// files written before translations existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<questionnaire::Translated>,
}

/// Where the questionnaire comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Origin {
    /// Shipped inside aiact, found by `QuestionnaireRef::id`.
    Shipped,
    /// A file of the user's: its path as given, and a copy of its text so the
    /// session stays usable when the file moves or disappears.
    Custom { path: String, text: String },
}

/// One saved answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedAnswer {
    pub answer: Answer,
    pub at: Timestamp,
    #[serde(default)]
    pub note: Option<String>,
}

/// Where the user was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// The question on screen, if any.
    #[serde(default)]
    pub question: Option<String>,
    /// The screen, in the app's own words ("question", "results", …).
    #[serde(default)]
    pub screen: String,
}

/// The outcomes as they were last evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedEvaluation {
    /// The assessment date used (`YYYY-MM-DD`).
    pub today: String,
    pub outcomes: Vec<(String, Status)>,
}

/// How far the user is with an obligation or recommendation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Progress {
    #[default]
    NotStarted,
    InProgress,
    Done,
}

impl Progress {
    /// The words shown in lists and reports.
    pub fn words(self) -> &'static str {
        match self {
            Progress::NotStarted => "not started",
            Progress::InProgress => "in progress",
            Progress::Done => "done",
        }
    }
}

/// A follow-up status with the user's note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    pub status: Progress,
    #[serde(default)]
    pub note: String,
}

impl Session {
    /// A new, empty session on `q`, created `now`, under a checked name.
    pub fn new(name: &str, q: &Questionnaire, now: Timestamp) -> Result<Session> {
        let name = super::name::check_name(name)?;
        let mut s = Session::draft(&name, q, now);
        s.name = name;
        Ok(s)
    }

    /// A session not yet stored: `name` as typed (cleaned, not checked; the
    /// store checks it and picks the final name when it creates the file).
    /// The app holds one from the moment an assessment starts.
    pub fn draft(name: &str, q: &Questionnaire, now: Timestamp) -> Session {
        Session::draft_on(name, QuestionnaireRef::of(q), now)
    }

    /// [`Session::draft`] on a questionnaire known by reference only.
    pub fn draft_on(name: &str, questionnaire: QuestionnaireRef, now: Timestamp) -> Session {
        Session {
            format_version: SESSION_FORMAT_VERSION,
            name: crate::text::clean_user_text(name).trim().to_string(),
            questionnaire,
            created: now,
            updated: now,
            answers: BTreeMap::new(),
            position: Position::default(),
            evaluation: None,
            follow_up: BTreeMap::new(),
            set_aside: BTreeMap::new(),
            prefilled: BTreeMap::new(),
        }
    }

    /// Clears the follow-up of an outcome (status and note).
    pub fn clear_follow_up(&mut self, outcome: &str, now: Timestamp) {
        if self.follow_up.remove(outcome).is_some() {
            self.updated = now;
        }
    }

    /// The plain answers value the engine reads.
    pub fn answers(&self) -> Answers {
        self.answers
            .iter()
            .map(|(id, a)| (id.clone(), a.answer.clone()))
            .collect()
    }

    /// Sets (or replaces) an answer, keeping its note.
    pub fn set_answer(&mut self, question: &str, answer: Answer, now: Timestamp) {
        let note = self.answers.remove(question).and_then(|a| a.note);
        self.answers.insert(
            question.to_string(),
            SavedAnswer {
                answer,
                at: now,
                note,
            },
        );
        self.updated = now;
    }

    /// Removes an answer (going back and clearing it).
    pub fn clear_answer(&mut self, question: &str, now: Timestamp) {
        if self.answers.remove(question).is_some() {
            self.updated = now;
        }
    }

    /// Sets the note of an answered question; the text is cleaned of control
    /// characters. Returns false when the question has no answer to note.
    pub fn set_note(&mut self, question: &str, note: &str, now: Timestamp) -> bool {
        let Some(a) = self.answers.get_mut(question) else {
            return false;
        };
        let note = crate::text::clean_user_text(note);
        a.note = (!note.is_empty()).then_some(note);
        self.updated = now;
        true
    }

    /// Sets the follow-up status and note of an outcome.
    pub fn set_follow_up(&mut self, outcome: &str, status: Progress, note: &str, now: Timestamp) {
        self.follow_up.insert(
            outcome.to_string(),
            FollowUp {
                status,
                note: crate::text::clean_user_text(note),
            },
        );
        self.updated = now;
    }

    /// Records an evaluation, so a later resume or recheck can show changes.
    pub fn record_evaluation(&mut self, q: &Questionnaire, ev: &Evaluation) {
        self.evaluation = Some(SavedEvaluation {
            today: ev.today.to_string(),
            outcomes: ev.statuses(q),
        });
    }

    /// The session as file text.
    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new()
            .depth_limit(6)
            .struct_names(false)
            .separate_tuple_members(false)
            .enumerate_arrays(false);
        let body = ron::ser::to_string_pretty(self, config)
            .expect("a session always serialises: strings, maps and enums only");
        format!("// aiact session; see the README, section \"Sessions\".\n{body}\n")
    }

    /// The session as file text, refused when it would be larger than
    /// aiact reads back ([`MAX_SESSION_BYTES`]); `path` names the file.
    pub fn to_file_text(&self, path: &std::path::Path) -> Result<String> {
        let text = self.to_ron();
        if text.len() as u64 > MAX_SESSION_BYTES {
            return Err(Error::Input(format!(
                "{}: the session would be {:.1} MB; aiact keeps session files under {} MB. Shorten its notes or answers",
                path.display(),
                text.len() as f64 / 1_048_576.0,
                MAX_SESSION_BYTES / 1_048_576
            )));
        }
        Ok(text)
    }

    /// Loads the questionnaire this session answers (see
    /// [`QuestionnaireRef::load_current`]); an error names the session file.
    pub fn load_questionnaire(&self, path: &std::path::Path) -> Result<Questionnaire> {
        self.load_questionnaire_in(path, None).map(|(q, _)| q)
    }

    /// [`Session::load_questionnaire`] in `language` (see
    /// [`QuestionnaireRef::load_in`]), with the note to show when the
    /// session's own translation could not be used.
    pub fn load_questionnaire_in(
        &self,
        path: &std::path::Path,
        language: Option<&str>,
    ) -> Result<(Questionnaire, Option<String>)> {
        self.questionnaire.load_in(language).map_err(|e| match e {
            Error::Input(msg) if !msg.starts_with(&path.display().to_string()) => {
                Error::Input(format!("{}: {msg}", path.display()))
            }
            e => e,
        })
    }

    /// Parses session file text. `path` is how errors name the file; a
    /// damaged file gives `path:line:col` with a caret.
    pub fn from_ron(path: &str, text: &str) -> Result<Session> {
        let text = source::normalise(text);
        source::check_raw_controls(path, &text)?;
        let session: Session =
            source::parse_versioned(path, &text, "session", SESSION_FORMAT_VERSION)?;
        if session.format_version != SESSION_FORMAT_VERSION {
            return Err(Error::Input(format!(
                "{path}: session format version {} is not supported by this aiact (it reads version {SESSION_FORMAT_VERSION}); use a newer aiact",
                session.format_version
            )));
        }
        if let Err(e) = super::name::check_name(&session.name) {
            return Err(Error::Input(format!("{path}: {e}")));
        }
        let mut session = session;
        session.clean_user_text();
        Ok(session)
    }

    /// Cleans what a person typed (notes, text answers) of control and
    /// escape characters, so a hand-edited file can never smuggle a terminal
    /// escape into the app or a report. Idempotent: a clean session is
    /// unchanged.
    fn clean_user_text(&mut self) {
        use crate::text::{clean_user_text, needs_escape};
        let dirty = |t: &str| t.chars().any(needs_escape);
        for saved in self.answers.values_mut() {
            if let Some(note) = &mut saved.note
                && dirty(note)
            {
                *note = clean_user_text(note);
            }
            if let Answer::Text(t) = &mut saved.answer
                && dirty(t)
            {
                *t = clean_user_text(t);
            }
        }
        for follow in self.follow_up.values_mut() {
            if dirty(&follow.note) {
                follow.note = clean_user_text(&follow.note);
            }
        }
        for source in self.prefilled.values_mut() {
            if dirty(source) {
                *source = clean_user_text(source);
            }
        }
        if dirty(&self.position.screen) {
            self.position.screen = clean_user_text(&self.position.screen);
        }
        if let Some(q) = &mut self.position.question
            && dirty(q)
        {
            *q = clean_user_text(q);
        }
    }

    /// Reads a session file from disk.
    pub fn read(path: &std::path::Path) -> Result<Session> {
        let text = source::read_bounded(
            path,
            &source::FileKind {
                noun: "session file",
                nouns: "session files",
                path_of: "a session (.ron) file",
                action: "read the session",
                max_bytes: MAX_SESSION_BYTES,
                too_big_advice: ". It is not a session aiact wrote; restore it from a copy.",
                not_utf8: "the session file is not valid UTF-8 text",
                not_utf8_hint: "The session file is damaged; aiact leaves it untouched. Restore it from a copy or fix it by hand.",
            },
        )?;
        Session::from_ron(&path.display().to_string(), &text)
    }
}

impl QuestionnaireRef {
    /// Refers to a loaded questionnaire: shipped ones by id, others by path
    /// with an embedded copy of their text.
    pub fn of(q: &Questionnaire) -> QuestionnaireRef {
        let origin = match (q.source.strip_prefix("shipped:"), &q.text) {
            (None, Some(text)) => Origin::Custom {
                path: q.source.clone(),
                text: text.clone(),
            },
            _ => Origin::Shipped,
        };
        QuestionnaireRef {
            id: q.meta.id.clone(),
            origin,
            version: q.meta.version.clone(),
            logic_hash: q.logic_hash.clone(),
            text_hash: q.text_hash.clone(),
            translation: q.translation.clone(),
        }
    }

    /// Refers to a shipped questionnaire by its header, without loading it:
    /// the same reference [`QuestionnaireRef::of`] gives once it is loaded.
    pub fn shipped(header: &questionnaire::Header) -> QuestionnaireRef {
        QuestionnaireRef {
            id: header.meta.id.clone(),
            origin: Origin::Shipped,
            version: header.meta.version.clone(),
            logic_hash: header.logic_hash.clone(),
            text_hash: header.text_hash.clone(),
            translation: None,
        }
    }

    /// Loads the questionnaire as it is now: the shipped one, or for a custom
    /// one the file at its path if it still loads, else the embedded copy.
    pub fn load_current(&self) -> Result<Questionnaire> {
        match &self.origin {
            Origin::Shipped => questionnaire::load_shipped(&self.id).unwrap_or_else(|| {
                Err(Error::Input(format!(
                    "the session uses the questionnaire \"{}\", which this aiact does not ship; `aiact questionnaires` lists those it does",
                    crate::text::printable_line(&self.id)
                )))
            }),
            Origin::Custom { path, .. } => {
                if std::path::Path::new(path).is_file()
                    && let Ok(q) = questionnaire::load_path(std::path::Path::new(path))
                {
                    return Ok(q);
                }
                self.load_embedded()
            }
        }
    }

    /// Loads the embedded copy of a custom questionnaire exactly as saved.
    pub fn load_embedded(&self) -> Result<Questionnaire> {
        match &self.origin {
            Origin::Shipped => self.load_current(),
            Origin::Custom { path, text } => {
                let mut q =
                    questionnaire::load_str(&format!("{path} (copy in the session)"), text)?;
                q.source = path.clone();
                Ok(q)
            }
        }
    }

    /// Updates the reference to a (possibly newer) questionnaire, keeping the
    /// embedded copy when the file can no longer be read.
    pub fn refresh(&mut self, q: &Questionnaire) {
        if let Origin::Custom { path, text } = &mut self.origin
            && let Some(now) = &q.text
        {
            // The text `q` was loaded from, never a re-read of its file: the
            // file may have changed since, and the copy must match the hashes.
            *path = q.source.clone();
            *text = now.clone();
        }
        self.id = q.meta.id.clone();
        self.version = q.meta.version.clone();
        self.logic_hash = q.logic_hash.clone();
        self.text_hash = q.text_hash.clone();
        self.translation = q.translation.clone();
    }

    /// The language the session was last shown in, when it was a
    /// translation.
    pub fn translated_into(&self) -> Option<&str> {
        self.translation.as_ref().map(|t| t.language.as_str())
    }

    /// Loads the questionnaire as it is now ([`QuestionnaireRef::load_current`])
    /// in `language`, or when none is asked for, in the language the session
    /// was last shown in. The translation is the file beside the
    /// questionnaire's (`x.de.ron`), else the copy kept in the session.
    ///
    /// A language asked for that cannot be had is an error. The session's
    /// own language that can no longer be had (the file gone and no copy
    /// fits) is not: the questionnaire opens in its original language, with
    /// a note saying why, so a session is never locked out by a translation.
    pub fn load_in(&self, language: Option<&str>) -> Result<(Questionnaire, Option<String>)> {
        let q = self.load_current()?;
        let Some(lang) = language.or(self.translated_into()) else {
            return Ok((q, None));
        };
        if lang == q.meta.language {
            return Ok((q, None));
        }
        match questionnaire::translation::translate_or_copy(
            q.clone(),
            lang,
            self.translation.as_ref(),
        ) {
            Ok((translated, _)) => Ok((translated, None)),
            Err(e) if language.is_none() => Ok((
                q,
                Some(format!(
                    "The session was last shown in \"{}\", but that translation cannot be used now, so it is shown in the questionnaire's own language. {}",
                    crate::text::printable_line(lang),
                    e.to_string().trim_end()
                )),
            )),
            Err(e) => Err(e),
        }
    }
}
