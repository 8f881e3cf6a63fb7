//! The session commands: new, resume, list, report, recheck, delete, rename,
//! export, import. Sessions are opened and created through
//! [`crate::assessment`], which the interactive app uses too.

use std::io::{BufRead, Write};
use std::path::Path;

use jiff::civil::Date;
use serde_json::json;

use super::args::{ListFormat, NewArgs, ReportArgs, ReportFormat, ResumeArgs};
use crate::engine::Status;
use crate::env::Env;
use crate::error::{Result, exit};
use crate::questionnaire::Questionnaire;
use crate::report::{Report, to_json, to_markdown, to_model_card};
use crate::session::{self, Migration, OpenMode, Progress, RealStorage, Session, migrate};
use crate::text::printable_line;

/// The data folder as given on the command line (`None`: the platform's),
/// with the surroundings read in `main` that its locks are taken in.
#[derive(Clone, Copy)]
pub(crate) struct DataDir<'a> {
    pub dir: Option<&'a Path>,
    pub env: &'a Env,
}

fn data_store(d: DataDir<'_>) -> Result<session::Store> {
    crate::assessment::data_store(d.dir, d.env)
}

pub(super) fn new(
    data_dir: DataDir<'_>,
    args: &NewArgs,
    language: Option<&str>,
    env: &Env,
    today: Date,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let store = data_store(data_dir)?;
    let (q, missing) = crate::questionnaire::translation::load_spec(
        args.questionnaire
            .as_deref()
            .unwrap_or(crate::questionnaire::DEFAULT_ID),
        language,
    )?;
    if let Some(w) = crate::questionnaire::translation::missing_warning(&q.meta.language, &missing)
    {
        let _ = writeln!(err, "aiact: warning: {w}");
    }
    let (path, s, notes) = crate::assessment::create_new(
        &store,
        args.name.as_deref(),
        &q,
        args.answers.as_deref(),
        args.from.as_deref(),
        env.clock.now(),
        today,
    )?;
    for note in &notes {
        let _ = writeln!(out, "Prefill: {}", printable_line(note));
    }
    if !s.prefilled.is_empty() {
        let _ = writeln!(
            out,
            "{} answer{} pre-filled from {}; confirm each in the app (`aiact resume`).",
            s.prefilled.len(),
            if s.prefilled.len() == 1 { "" } else { "s" },
            args.from
                .as_deref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        );
    }
    let _ = writeln!(
        out,
        "Created session \"{}\" ({} answers) in {}",
        printable_line(&s.name),
        s.answers.len(),
        path.display()
    );
    let _ = writeln!(
        out,
        "Continue with `aiact resume \"{0}\"`; see the results with `aiact report \"{0}\"`.",
        printable_line(&s.name)
    );
    Ok(exit::OK)
}

pub(super) fn resume(
    data_dir: DataDir<'_>,
    args: &ResumeArgs,
    language: Option<&str>,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32> {
    let store = data_store(data_dir)?;
    let mode = if args.take_over {
        OpenMode::TakeOver
    } else if args.read_only {
        OpenMode::ReadOnly
    } else {
        OpenMode::LockOrReadOnly
    };
    let opened = crate::assessment::open_in(&store, args.name.as_deref(), mode, today, language)?;
    let q = &opened.questionnaire;
    let _ = writeln!(
        out,
        "Session \"{}\" ({}) opens: {} of {} questions on its path answered{}.",
        printable_line(&opened.session.name),
        opened.path.display(),
        opened.evaluation.answered(),
        opened.evaluation.path.len(),
        if opened.evaluation.is_complete() {
            ", complete"
        } else {
            ""
        }
    );
    if let Some(info) = &opened.held_by {
        let _ = writeln!(
            out,
            "It is open in another aiact ({}); opened read-only.",
            info.describe()
        );
    } else if let Some(why) = &opened.unwritable {
        let _ = writeln!(out, "Opened read-only: {why}, so changes cannot be saved.");
    } else if let Some(lock) = &opened.lock {
        write_lock_notes(lock, out);
    }
    write_migration(&opened.migration, q, out);
    if let Some(id) = &opened.migration.landing
        && let Some(question) = q.question(id)
    {
        let _ = writeln!(
            out,
            "Next: {} ({})",
            printable_line(&question.def.prompt),
            printable_line(id)
        );
    }
    Ok(exit::OK)
}

/// Says how a lock was taken (a stale one taken over, an unreadable one
/// replaced), as every command that locks a session does.
fn write_lock_notes(lock: &session::Lock, out: &mut dyn Write) {
    write_notes(&lock.notes(), out);
}

fn write_notes(notes: &[String], out: &mut dyn Write) {
    for note in notes {
        let _ = writeln!(out, "{note}");
    }
}

fn write_migration(m: &Migration, q: &Questionnaire, out: &mut dyn Write) {
    if let Some(note) = &m.translation_note {
        let _ = writeln!(out, "{}", printable_line(note));
    }
    if let Some((before, after)) = &m.version_change {
        let _ = writeln!(
            out,
            "The questionnaire changed from version {} to {}.",
            printable_line(before),
            printable_line(after)
        );
    }
    if m.logic_changed {
        let _ = writeln!(
            out,
            "Its questions or rules changed: answers that still fit are kept."
        );
    } else if m.text_changed {
        let _ = writeln!(
            out,
            "Note: only its wording changed since this session was saved; answers and results are unaffected."
        );
    }
    if !m.dropped.is_empty() {
        let _ = writeln!(
            out,
            "Answers that no longer fit were set aside (kept in the session file):"
        );
        for (id, answer, why) in &m.dropped {
            let _ = writeln!(
                out,
                "  - {}: {:?} ({})",
                printable_line(id),
                answer,
                printable_line(why)
            );
        }
    }
    if !m.changes.is_empty() {
        let _ = writeln!(out, "Outcomes that changed since the last save:");
        for c in &m.changes {
            let label = match q.outcome(&c.id) {
                Some(o) => format!(
                    "{} ({})",
                    printable_line(&o.def.title),
                    printable_line(&c.id)
                ),
                None => format!("{} (no longer in the questionnaire)", printable_line(&c.id)),
            };
            let _ = writeln!(
                out,
                "  - {label}: {} → {}",
                status_words(c.before),
                status_words(c.after)
            );
        }
    }
}

fn status_words(s: Option<Status>) -> &'static str {
    match s {
        Some(Status::Applies) => "applies",
        Some(Status::Provisional) => "provisional",
        None => "does not apply",
    }
}

struct Row {
    file: String,
    name: String,
    questionnaire: String,
    version: String,
    answered: usize,
    path_len: usize,
    complete: bool,
    applies: usize,
    provisional: usize,
    done: usize,
    in_progress: usize,
    /// Pre-answers not confirmed yet.
    unconfirmed: usize,
    updated: String,
}

pub(super) fn list(
    data_dir: DataDir<'_>,
    format: ListFormat,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32> {
    let store = data_store(data_dir)?;
    let mut rows = Vec::new();
    let mut broken = Vec::new();
    for listed in store.list()? {
        let file = listed
            .path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let row = listed.session.and_then(|mut s| {
            let q = s.load_questionnaire(&listed.path)?;
            let (ev, _) = migrate(&mut s, &q, today);
            // Results only: background outcomes are context, not counted.
            let count = |st| ev.results(&q).filter(|o| o.status == st).count();
            Ok(Row {
                file: file.clone(),
                name: s.name.clone(),
                questionnaire: q.meta.id.clone(),
                version: q.meta.version.clone(),
                answered: ev.answered(),
                path_len: ev.path.len(),
                complete: ev.is_complete(),
                applies: count(Status::Applies),
                provisional: count(Status::Provisional),
                done: s
                    .follow_up
                    .values()
                    .filter(|f| f.status == Progress::Done)
                    .count(),
                in_progress: s
                    .follow_up
                    .values()
                    .filter(|f| f.status == Progress::InProgress)
                    .count(),
                // Those the answers can still reach: the others count for nothing.
                unconfirmed: {
                    let reachable = ev.reachable(&q);
                    s.prefilled
                        .keys()
                        .filter(|id| {
                            s.answers.contains_key(*id)
                                && q.question_index(id).is_some_and(|i| reachable[i])
                        })
                        .count()
                },
                updated: s.updated.strftime("%Y-%m-%d %H:%M").to_string(),
            })
        });
        match row {
            Ok(r) => rows.push(r),
            Err(e) => broken.push((file, e.to_string())),
        }
    }
    match format {
        ListFormat::Json => {
            let doc = json!({
                "folder": store.dir().display().to_string(),
                "sessions": rows.iter().map(|r| json!({
                    "name": r.name,
                    "file": r.file,
                    "questionnaire": {"id": r.questionnaire, "version": r.version},
                    "answered": r.answered,
                    "questions_on_path": r.path_len,
                    "complete": r.complete,
                    "applies": r.applies,
                    "provisional": r.provisional,
                    "follow_up": {"done": r.done, "in_progress": r.in_progress},
                    "unconfirmed": r.unconfirmed,
                    "updated": r.updated,
                })).collect::<Vec<_>>(),
                "broken": broken.iter().map(|(f, e)| json!({"file": f, "error": e})).collect::<Vec<_>>(),
            });
            let _ = writeln!(
                out,
                "{}",
                crate::text::json_safe(&serde_json::to_string_pretty(&doc).unwrap_or_default())
            );
        }
        ListFormat::Text => {
            let _ = writeln!(out, "Sessions in {}", store.dir().display());
            if rows.is_empty() && broken.is_empty() {
                let _ = writeln!(out, "  (none yet; start one with `aiact new`)");
            }
            for r in &rows {
                let mut progress = if r.complete {
                    "complete".to_string()
                } else {
                    format!("{}/{} answered", r.answered, r.path_len)
                };
                if r.unconfirmed > 0 {
                    progress.push_str(&format!(
                        " ({} pre-filled, not yet confirmed)",
                        r.unconfirmed
                    ));
                }
                let _ = writeln!(
                    out,
                    "  {}  [{} {}]  {}  {} apply, {} provisional  follow-up {} done, {} in progress  updated {}",
                    printable_line(&r.name),
                    printable_line(&r.questionnaire),
                    printable_line(&r.version),
                    progress,
                    r.applies,
                    r.provisional,
                    r.done,
                    r.in_progress,
                    r.updated
                );
            }
            for (file, e) in &broken {
                let first = e.lines().next().unwrap_or("");
                let _ = writeln!(
                    out,
                    "  BROKEN {}: {}",
                    printable_line(file),
                    printable_line(first)
                );
            }
        }
    }
    Ok(exit::OK)
}

/// Loads a session named or given as a file, evaluated against its
/// questionnaire as it is now (nothing is written).
pub(super) fn load_for_report(
    data_dir: DataDir<'_>,
    spec: &str,
    language: Option<&str>,
    today: Date,
) -> Result<(Session, Questionnaire, crate::engine::Evaluation)> {
    let as_path = Path::new(spec);
    let (mut s, file) = if as_path.is_file() || spec.contains('/') || spec.ends_with(".ron") {
        (Session::read(as_path)?, as_path.to_path_buf())
    } else {
        let store = data_store(data_dir)?;
        let file = store.find(spec)?;
        (Session::read(&file)?, file)
    };
    let (q, _) = s.load_questionnaire_in(&file, language)?;
    let (ev, _) = migrate(&mut s, &q, today);
    Ok((s, q, ev))
}

pub(super) fn report(
    data_dir: DataDir<'_>,
    args: &ReportArgs,
    language: Option<&str>,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32> {
    let (s, q, ev) = load_for_report(data_dir, &args.session, language, today)?;
    let answers = s.answers();
    let info = session::report_info(&s);
    let mut report = Report::new(&q, &answers, &ev);
    report.session = Some(&info);
    report.prefilled = Some(&s.prefilled);
    let text = match args.format {
        ReportFormat::Markdown => to_markdown(&report),
        ReportFormat::Json => to_json(&report),
        ReportFormat::ModelCard => to_model_card(&report),
    };
    match &args.output {
        Some(file) => {
            session::write_user_file(
                &RealStorage,
                file,
                text.as_bytes(),
                args.force,
                session::Writing::Report,
            )?;
            let _ = writeln!(out, "Wrote {}", file.display());
        }
        None => {
            let _ = out.write_all(text.as_bytes());
        }
    }
    Ok(exit::OK)
}

pub(super) fn recheck(
    data_dir: DataDir<'_>,
    name: &str,
    language: Option<&str>,
    env: &Env,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32> {
    let store = data_store(data_dir)?;
    recheck_in(&store, name, language, env.clock.now(), today, out)
}

/// `aiact recheck NAME` in the data folder `store`, at `now`, shown in
/// `language` (see [`session::Store::open_session_in`]): the changes are
/// shown, and saved unless the folder cannot be written.
pub fn recheck_in(
    store: &session::Store,
    name: &str,
    language: Option<&str>,
    now: jiff::Timestamp,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32> {
    let mut opened =
        store.open_session_in(name, OpenMode::LockUnlessUnwritable, today, language)?;
    if let Some(lock) = &opened.lock {
        write_lock_notes(lock, out);
    }
    let q = &opened.questionnaire;
    let saved_date = store
        .load(name)?
        .evaluation
        .and_then(|e| crate::parse_date(&e.today).ok());
    let _ = writeln!(
        out,
        "Rechecked \"{}\" against {} version {} on {}.",
        printable_line(&opened.session.name),
        printable_line(&q.meta.id),
        printable_line(&q.meta.version),
        today
    );
    write_migration(&opened.migration, q, out);
    // Outcomes that came into force between the last check and today.
    if let Some(before) = saved_date {
        for o in opened.evaluation.results(q) {
            if let Some(d) = o.applies_from
                && before < d
                && d <= today
            {
                let _ = writeln!(
                    out,
                    "  - {} ({}) is in force since {}.",
                    printable_line(&q.outcomes[o.index].def.title),
                    printable_line(q.outcomes[o.index].id()),
                    d
                );
            }
        }
    }
    if opened.migration.changes.is_empty() && opened.migration.dropped.is_empty() {
        let _ = writeln!(out, "No outcome changed.");
    }
    if let Some(why) = &opened.unwritable {
        // Shown, not saved: the folder cannot be written.
        let _ = writeln!(
            out,
            "Not saved: {why}, so the new evaluation could not be saved."
        );
        return Ok(exit::OK);
    }
    opened.session.updated = now;
    store.save(&opened.session)?;
    drop(opened.lock.take());
    Ok(exit::OK)
}

pub(super) fn delete(
    data_dir: DataDir<'_>,
    name: &str,
    yes: bool,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let store = data_store(data_dir)?;
    let path = store.find(name)?;
    if !yes {
        // Whether there is a terminal to ask on was read in `main`.
        if !data_dir.env.interactive {
            let _ = writeln!(
                err,
                "aiact: not deleting \"{}\": there is no terminal to ask for confirmation; pass --yes to delete it",
                printable_line(name)
            );
            return Ok(exit::USAGE);
        }
        let _ = write!(
            out,
            "Delete session \"{}\" ({})? This cannot be undone. [y/N] ",
            printable_line(name),
            path.display()
        );
        let _ = out.flush();
        let mut line = String::new();
        let _ = input.read_line(&mut line);
        if !matches!(line.trim().to_lowercase().as_str(), "y" | "yes") {
            let _ = writeln!(out, "Not deleted.");
            return Ok(exit::OK);
        }
    }
    let (path, notes) = store.delete_noting(name)?;
    write_notes(&notes, out);
    let _ = writeln!(out, "Deleted {}", path.display());
    Ok(exit::OK)
}

pub(super) fn rename(
    data_dir: DataDir<'_>,
    old: &str,
    new: &str,
    env: &Env,
    out: &mut dyn Write,
) -> Result<i32> {
    let store = data_store(data_dir)?;
    let (path, notes) = store.rename_noting(old, new, env.clock.now())?;
    write_notes(&notes, out);
    let _ = writeln!(
        out,
        "Renamed \"{}\" to \"{}\" ({})",
        printable_line(old),
        printable_line(new.trim()),
        path.display()
    );
    Ok(exit::OK)
}

pub(super) fn export(
    data_dir: DataDir<'_>,
    name: &str,
    file: &Path,
    force: bool,
    out: &mut dyn Write,
) -> Result<i32> {
    let store = data_store(data_dir)?;
    store.export(name, file, force)?;
    let _ = writeln!(
        out,
        "Exported \"{}\" to {}",
        printable_line(name),
        file.display()
    );
    Ok(exit::OK)
}

pub(super) fn import(
    data_dir: DataDir<'_>,
    file: &Path,
    as_name: Option<&str>,
    out: &mut dyn Write,
) -> Result<i32> {
    let store = data_store(data_dir)?;
    let s = store.import(file, as_name)?;
    let _ = writeln!(
        out,
        "Imported \"{}\" into {}",
        printable_line(&s.name),
        store.dir().display()
    );
    Ok(exit::OK)
}
