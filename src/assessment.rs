//! Opening, creating and resuming assessments: the one place that turns a
//! name and a data folder into a session ready for work (locked, migrated to
//! the questionnaire as it is now). Both the commands (`cli`) and the
//! interactive app (`tui`) go through here, so they can never disagree on
//! which file a session lives in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;

use crate::answers::Answers;
use crate::engine::evaluate;
use crate::error::{Error, Result};
use crate::questionnaire::{self, Questionnaire, source};
use crate::session::{Lock, LockAttempt, OpenMode, Opened, Session, Store, check_name};

/// The data folder: `--data-dir` / `AIACT_DATA_DIR` if given, else the
/// platform's data folder. Its locks name `env`'s host and time.
pub fn data_store(data_dir: Option<&Path>, env: &crate::env::Env) -> Result<Store> {
    let dir = match data_dir {
        Some(d) => d.to_path_buf(),
        None => Store::default_dir().ok_or_else(|| {
            Error::Environment(
                "this system has no data folder for aiact; pass --data-dir DIR or set AIACT_DATA_DIR"
                    .into(),
            )
        })?,
    };
    Ok(Store::open(dir)?.held_by(crate::session::Holder {
        host: env.host.clone(),
        clock: env.clock.clone(),
    }))
}

/// How a new session is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming<'a> {
    /// Exactly this name; refused when it is taken (`aiact new --name`).
    Exact(&'a str),
    /// This name, or `name-2`, `name-3`, … when taken (the app's "new
    /// assessment", where a name was typed but not promised). An empty base
    /// means "assessment".
    FreeFrom(&'a str),
}

/// Creates and saves a new session of `q` (with `answers` already given, if
/// any) and returns its file and the session. Nothing else is written.
pub fn create(
    store: &Store,
    naming: Naming<'_>,
    q: &Questionnaire,
    answers: &Answers,
    now: Timestamp,
    today: Date,
) -> Result<(PathBuf, Session)> {
    create_marked(
        store,
        naming,
        q,
        answers,
        &BTreeMap::new(),
        now,
        today,
        false,
    )
    .map(|(path, s, _)| (path, s))
}

/// [`create`], holding the new session's lock: taken before the file is
/// written, so no other aiact can open the session in between, and a
/// failure leaves nothing behind (the app's "new assessment").
pub fn create_locked(
    store: &Store,
    naming: Naming<'_>,
    q: &Questionnaire,
    answers: &Answers,
    now: Timestamp,
    today: Date,
) -> Result<(PathBuf, Session, Lock)> {
    let (path, s, lock) = create_marked(
        store,
        naming,
        q,
        answers,
        &BTreeMap::new(),
        now,
        today,
        true,
    )?;
    // Asked with `lock`, a lock is always there (or nothing was created).
    match lock {
        Some(lock) => Ok((path, s, lock)),
        None => Err(Error::Environment(format!(
            "{}: the new session could not be locked",
            path.display()
        ))),
    }
}

/// [`create`], with pre-answers still to be confirmed (question id → source),
/// and the lock taken first when `lock`.
#[allow(clippy::too_many_arguments)]
fn create_marked(
    store: &Store,
    naming: Naming<'_>,
    q: &Questionnaire,
    answers: &Answers,
    prefilled: &BTreeMap<String, String>,
    now: Timestamp,
    today: Date,
    lock: bool,
) -> Result<(PathBuf, Session, Option<Lock>)> {
    // A free name can be taken by another aiact between the look and the
    // write: the write never replaces, so look again a few times.
    let mut attempts = 0;
    loop {
        let name = match naming {
            Naming::Exact(n) => check_name(n)?,
            Naming::FreeFrom(base) => free_name(store, base)?,
        };
        let held = if lock {
            // A name another aiact is creating right now is taken too.
            match store.lock(&store.path_for(&name)?)? {
                LockAttempt::Acquired(l) => Some(l),
                LockAttempt::HeldHere(_) | LockAttempt::HeldElsewhere(_)
                    if matches!(naming, Naming::FreeFrom(_)) && attempts < 10 =>
                {
                    attempts += 1;
                    continue;
                }
                LockAttempt::HeldHere(info) | LockAttempt::HeldElsewhere(info) => {
                    return Err(Error::Environment(format!(
                        "the session \"{}\" is open in another aiact ({}); close it there first",
                        crate::text::printable_line(&name),
                        info.describe()
                    )));
                }
                LockAttempt::Unwritable(u) => return Err(u.refusal()),
            }
        } else {
            None
        };
        match create_named(store, &name, q, answers, prefilled, now, today) {
            Err(Error::Input(msg))
                if matches!(naming, Naming::FreeFrom(_))
                    && msg.starts_with("a session named")
                    && attempts < 10 =>
            {
                attempts += 1;
            }
            Ok((path, s)) => return Ok((path, s, held)),
            Err(e) => return Err(e),
        }
    }
}

fn create_named(
    store: &Store,
    name: &str,
    q: &Questionnaire,
    answers: &Answers,
    prefilled: &BTreeMap<String, String>,
    now: Timestamp,
    today: Date,
) -> Result<(PathBuf, Session)> {
    let mut s = Session::new(name, q, now)?;
    for (id, a) in answers {
        s.set_answer(id, a.clone(), now);
    }
    s.prefilled = prefilled.clone();
    let ev = evaluate(q, &s.answers(), today);
    s.position.question = ev.current.map(|c| q.questions[c].id().to_string());
    s.position.screen = if ev.is_complete() {
        "results".into()
    } else {
        "question".into()
    };
    s.record_evaluation(q, &ev);
    let path = store.create(&s)?;
    Ok((path, s))
}

/// `base`, or the first of `base-2`, `base-3`, … that is free.
fn free_name(store: &Store, base: &str) -> Result<String> {
    let base = if base.trim().is_empty() {
        "assessment".to_string()
    } else {
        check_name(base)?
    };
    for n in 1..1000 {
        let name = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        // A name too long with its suffix is not free either.
        let Ok(name) = check_name(&name) else {
            continue;
        };
        // A name whose lock is there is being created or used elsewhere.
        let path = store.path_for(&name)?;
        if std::fs::symlink_metadata(&path).is_err()
            && std::fs::symlink_metadata(Store::lock_path(&path)).is_err()
        {
            return Ok(name);
        }
    }
    Err(Error::Input(format!(
        "there are already too many sessions named like \"{}\"; choose another name",
        crate::text::printable_line(&base)
    )))
}

/// Refuses answers that do not fit the questionnaire (unknown questions or
/// options, malformed numbers), naming each, so nothing is silently ignored.
pub fn check_answers(ev: &crate::engine::Evaluation, path: impl std::fmt::Display) -> Result<()> {
    if ev.problems.is_empty() {
        return Ok(());
    }
    Err(Error::Invalid {
        path: path.to_string(),
        what: "answers file",
        problems: ev
            .problems
            .iter()
            .map(|p| crate::error::Problem {
                line: None,
                subject: format!("answer to \"{}\"", crate::text::echo(&p.question)),
                message: p.message.clone(),
                consequences: Vec::new(),
            })
            .collect(),
        hint: "Fix the answers and run again.".into(),
    })
}

/// Reads an answers file: a RON map from question id to answer.
pub fn load_answers(path: &Path) -> Result<Answers> {
    let text = source::read_text(
        path,
        "read the answers",
        "the answers file is not valid UTF-8 text",
        "Save the file as UTF-8.",
    )?;
    source::parse_text(&path.display().to_string(), &text, "answers file")
}

/// Creates a session as `aiact new` does: on `q` (loaded by the caller, in
/// the language asked for), pre-answers from the component's folder (`--from`, each marked for the
/// user to confirm), then the answers file (which wins, and needs no
/// confirming), the name exact when given. Returns the notes of the prefill
/// (files that could not be read or used) with the session.
pub fn create_new(
    store: &Store,
    name: Option<&str>,
    q: &Questionnaire,
    answers_file: Option<&Path>,
    from: Option<&Path>,
    now: Timestamp,
    today: Date,
) -> Result<(PathBuf, Session, Vec<String>)> {
    let prefilled = match from {
        Some(dir) => crate::prefill::from_dir(q, dir, today)?,
        None => crate::prefill::Prefilled::default(),
    };
    let mut answers = prefilled.answers.clone();
    let mut marks = prefilled.sources.clone();
    if let Some(file) = answers_file {
        let given = load_answers(file)?;
        check_answers(&evaluate(q, &given, today), file.display())?;
        for (id, a) in given {
            marks.remove(&id);
            answers.insert(id, a);
        }
    }
    let naming = match name {
        Some(n) => Naming::Exact(n),
        None => Naming::FreeFrom(""),
    };
    let (path, mut s, _) = create_marked(store, naming, q, &answers, &marks, now, today, false)?;
    s.prefilled = marks;
    Ok((path, s, prefilled.notes))
}

/// Loads the questionnaire named on the command line (a shipped id or a
/// file), the default one when none is named.
pub fn questionnaire_for(spec: Option<&str>) -> Result<Questionnaire> {
    questionnaire::load_spec(spec.unwrap_or(questionnaire::DEFAULT_ID))
}

/// Opens a session for work: by name, or the one changed last when `name` is
/// `None`. `mode` says what to do when another aiact holds it (see
/// [`OpenMode`]); the returned [`Opened`] carries the lock, the evaluation
/// and the migration to show.
pub fn open(store: &Store, name: Option<&str>, mode: OpenMode, today: Date) -> Result<Opened> {
    open_in(store, name, mode, today, None)
}

/// [`open`] with the questionnaire in `language` (`--language`); `None`
/// keeps the language the session was last shown in.
pub fn open_in(
    store: &Store,
    name: Option<&str>,
    mode: OpenMode,
    today: Date,
    language: Option<&str>,
) -> Result<Opened> {
    let name = match name {
        Some(n) => n.to_string(),
        None => store.most_recent()?.map(|s| s.name).ok_or_else(|| {
            Error::Input(format!(
                "there are no sessions in {} yet; start one with `aiact new`",
                store.dir().display()
            ))
        })?,
    };
    store.open_session_in(&name, mode, today, language)
}
