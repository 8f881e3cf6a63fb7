//! The session store: file format, names, durable saves with injected
//! failures, locking, resume after the questionnaire changed, damaged files,
//! permissions and report snapshots. Everything runs in temporary folders
//! on fixture questionnaires under `tests/fixtures/sessions/`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use aiact::answers::Answer;
use aiact::engine::{Status, evaluate};
use aiact::questionnaire::{self, Questionnaire};
use aiact::report::{Report, to_json, to_markdown, to_model_card};
use aiact::session::{
    self, LockAttempt, LockInfo, OpenMode, Origin, Progress, RealStorage, Saver, Session, Storage,
    Store, TempFile,
};
use jiff::Timestamp;
use jiff::civil::Date;

const FIXTURES: &str = "tests/fixtures/sessions";

fn today() -> Date {
    Date::constant(2026, 11, 26)
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("a timestamp")
}

/// Copies a fixture questionnaire into `dir` as `questionnaire.ron` and loads it.
fn custom_questionnaire(dir: &Path, fixture: &str) -> (PathBuf, Questionnaire) {
    let path = dir.join("questionnaire.ron");
    std::fs::copy(Path::new(FIXTURES).join(fixture), &path).unwrap();
    let q = questionnaire::load_path(&path).unwrap();
    (path, q)
}

/// A session using every field.
fn full_session(q: &Questionnaire) -> Session {
    let mut s = Session::new("My *Model* | <b>7B", q, ts("2026-11-20T09:00:00Z")).unwrap();
    s.set_answer(
        "kind",
        Answer::Choice("app".into()),
        ts("2026-11-20T09:01:00Z"),
    );
    s.set_answer(
        "open",
        Answer::Choice("yes".into()),
        ts("2026-11-20T09:02:00Z"),
    );
    s.set_answer(
        "name",
        Answer::Text("demo *bold* [link](x)".into()),
        ts("2026-11-20T09:03:00Z"),
    );
    assert!(s.set_note(
        "kind",
        "asked the team | <script>x</script>",
        ts("2026-11-20T09:04:00Z")
    ));
    assert!(!s.set_note("nothing", "no such answer", ts("2026-11-20T09:04:00Z")));
    s.set_follow_up(
        "ob.app",
        Progress::InProgress,
        "draft in `docs/` _soon_",
        ts("2026-11-20T09:05:00Z"),
    );
    s.set_follow_up("rec.open", Progress::Done, "", ts("2026-11-20T09:06:00Z"));
    s.position.question = Some("name".into());
    s.position.screen = "results".into();
    let ev = evaluate(q, &s.answers(), today());
    s.record_evaluation(q, &ev);
    s
}

#[test]
fn every_field_survives_a_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (qpath, q) = custom_questionnaire(dir.path(), "v1.ron");
    let s = full_session(&q);
    assert_eq!(s.format_version, session::SESSION_FORMAT_VERSION);
    match &s.questionnaire.origin {
        Origin::Custom { path, text } => {
            assert_eq!(path, &qpath.display().to_string());
            assert!(text.contains("fixture-sessions"));
        }
        Origin::Shipped => panic!("a custom questionnaire"),
    }
    let text = s.to_ron();
    let back = Session::from_ron("x.ron", &text).unwrap();
    assert_eq!(back, s);

    let store = Store::open(dir.path().join("data")).unwrap();
    let path = store.create(&s).unwrap();
    assert_eq!(path.file_name().unwrap(), "my-model-b-7b.ron");
    assert_eq!(store.load("MY *MODEL* | <B>7b").unwrap(), s);
    let ev = s.evaluation.as_ref().unwrap();
    assert_eq!(ev.today, "2026-11-26");
    assert_eq!(
        ev.outcomes,
        vec![
            ("ob.app".to_string(), Status::Applies),
            ("rec.open".to_string(), Status::Applies)
        ]
    );
}

#[test]
fn shipped_questionnaires_are_referenced_by_id() {
    let q = questionnaire::load_shipped("model-openness")
        .unwrap()
        .unwrap();
    let s = Session::new("x", &q, ts("2026-11-20T09:00:00Z")).unwrap();
    assert_eq!(s.questionnaire.origin, Origin::Shipped);
    assert_eq!(s.questionnaire.id, "model-openness");
    let text = s.to_ron();
    assert!(text.contains("origin: Shipped"), "{text}");
    assert_eq!(Session::from_ron("x.ron", &text).unwrap(), s);
}

#[test]
fn names_differing_by_case_or_normalisation_collide() {
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    let now = ts("2026-11-20T09:00:00Z");
    store
        .create(&Session::new("Café", &q, now).unwrap())
        .unwrap();
    for other in ["CAFÉ", "Cafe\u{301}", "café"] {
        let err = store
            .create(&Session::new(other, &q, now).unwrap())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            format!(
                "a session named \"Café\" already exists in {} (names that differ only by case or accents are the same name); choose another name",
                dir.path().display()
            ),
            "{other}"
        );
    }
    // Different punctuation, same file name: also refused.
    store
        .create(&Session::new("my model", &q, now).unwrap())
        .unwrap();
    let err = store
        .create(&Session::new("my-model", &q, now).unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("a session named \"my model\" already exists in"),
        "{err}"
    );
    // "cafe" without the accent is another name.
    store
        .create(&Session::new("cafe", &q, now).unwrap())
        .unwrap();
}

#[test]
fn bad_names_are_refused_with_a_clear_message() {
    let long = "x".repeat(65);
    let cases: &[(&str, &str)] = &[
        (
            "",
            "the session name is empty; give a name such as \"my-model\"",
        ),
        (
            "   ",
            "the session name is empty; give a name such as \"my-model\"",
        ),
        (
            "a/b",
            "the session name \"a/b\" contains \"/\"; names cannot contain path separators",
        ),
        (
            "a\\b",
            "the session name \"a\\b\" contains \"\\\"; names cannot contain path separators",
        ),
        (
            "..",
            "the session name \"..\" contains \"..\"; choose a name without it",
        ),
        (
            "x..y",
            "the session name \"x..y\" contains \"..\"; choose a name without it",
        ),
        (
            "bell\u{7}",
            "the session name contains the control character U+0007 at position 5; use only printable characters",
        ),
        (
            "esc\u{1b}[31m",
            "the session name contains the control character U+001B at position 4; use only printable characters",
        ),
        (
            "CON",
            "\"CON\" is a reserved device name on Windows; choose another name",
        ),
        (
            "nul",
            "\"nul\" is a reserved device name on Windows; choose another name",
        ),
        (
            "Com1",
            "\"Com1\" is a reserved device name on Windows; choose another name",
        ),
        (
            "lpt9.txt",
            "\"lpt9.txt\" is a reserved device name on Windows; choose another name",
        ),
        (
            "!!!",
            "the session name \"!!!\" needs at least one letter or digit",
        ),
        (
            &long,
            "the session name is 65 characters long; use at most 64",
        ),
    ];
    for (name, message) in cases {
        let err = session::check_name(name).unwrap_err();
        assert_eq!(err.to_string(), *message, "{name:?}");
        assert_eq!(err.exit_code(), 1);
    }
    assert!(session::check_name(&"é".repeat(64)).is_ok());
    assert!(session::check_name("CONSOLE").is_ok());
}

#[test]
fn export_and_import_between_two_data_folders() {
    let dir = tempfile::tempdir().unwrap();
    let (qpath, q) = custom_questionnaire(dir.path(), "v1.ron");
    let a = Store::open(dir.path().join("a")).unwrap();
    let b = Store::open(dir.path().join("b")).unwrap();
    let s = full_session(&q);
    a.create(&s).unwrap();
    let file = dir.path().join("moved.ron");
    a.export(&s.name, &file, false).unwrap();
    // Export never overwrites.
    let err = a.export(&s.name, &file, false).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{}: the file exists; choose another file name, or pass --force to replace it",
            file.display()
        )
    );
    // The questionnaire file is gone on the other machine: the embedded copy is used.
    std::fs::remove_file(&qpath).unwrap();
    let imported = b.import(&file, None).unwrap();
    assert_eq!(imported, s);
    let opened = b
        .open_session(&s.name, OpenMode::ReadOnly, today())
        .unwrap();
    assert_eq!(opened.questionnaire.meta.id, "fixture-sessions");
    assert!(opened.migration.dropped.is_empty());
    assert!(opened.migration.changes.is_empty());
    // A clash is refused unless renamed.
    let err = b.import(&file, None).unwrap_err().to_string();
    assert!(err.starts_with("a session named"), "{err}");
    assert!(
        err.ends_with("; import it under another name with --as NEW"),
        "{err}"
    );
    let renamed = b.import(&file, Some("Second copy")).unwrap();
    assert_eq!(renamed.name, "Second copy");
    assert_eq!(b.list().unwrap().len(), 2);
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    /// Nothing can be created: a read-only folder.
    ReadOnly,
    /// Files can be created but not a byte written: a full disk.
    DiskFull,
    ShortWrite,
    FailedSync,
    FailedRename,
    FailedDirSync,
}

/// The real storage with one step made to fail.
struct Faulty(Fault);

struct FaultyFile {
    inner: Box<dyn TempFile>,
    fault: Fault,
    written: usize,
}

impl Write for FaultyFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.fault == Fault::DiskFull {
            return Err(io::Error::from(io::ErrorKind::StorageFull));
        }
        if self.fault == Fault::ShortWrite {
            // Half of the first write lands, then the disk is full.
            if self.written == 0 {
                let n = self.inner.write(&buf[..buf.len() / 2])?;
                self.written += n;
                return Ok(n);
            }
            return Err(io::Error::from(io::ErrorKind::StorageFull));
        }
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl TempFile for FaultyFile {
    fn sync(&mut self) -> io::Result<()> {
        if self.fault == Fault::FailedSync {
            return Err(io::Error::other("injected sync failure"));
        }
        self.inner.sync()
    }
}

impl Storage for Faulty {
    fn create_new(&self, path: &Path) -> io::Result<Box<dyn TempFile>> {
        if self.0 == Fault::ReadOnly {
            return Err(io::Error::from(io::ErrorKind::PermissionDenied));
        }
        Ok(Box::new(FaultyFile {
            inner: RealStorage.create_new(path)?,
            fault: self.0,
            written: 0,
        }))
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        if self.0 == Fault::FailedRename {
            return Err(io::Error::from(io::ErrorKind::ReadOnlyFilesystem));
        }
        RealStorage.rename(from, to)
    }
    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        if self.0 == Fault::FailedDirSync {
            return Err(io::Error::other("injected folder sync failure"));
        }
        RealStorage.sync_dir(dir)
    }
    fn remove(&self, path: &Path) -> io::Result<()> {
        RealStorage.remove(path)
    }
}

fn folder_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_failed_save_leaves_the_previous_file_intact_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let good = Store::open(dir.path()).unwrap();
    let mut s = Session::new("target", &q, ts("2026-11-20T09:00:00Z")).unwrap();
    let path = good.create(&s).unwrap();
    let before = std::fs::read(&path).unwrap();
    s.set_answer(
        "kind",
        Answer::Choice("model".into()),
        ts("2026-11-20T10:00:00Z"),
    );
    let cases = [
        (
            Fault::ShortWrite,
            "could not save the session (writing failed; the previous version is intact): the disk is full",
        ),
        (
            Fault::FailedSync,
            "could not save the session (syncing to disk failed; the previous version is intact): injected sync failure",
        ),
        (
            Fault::FailedRename,
            "could not save the session (replacing the file failed; the previous version is intact): the file system is read-only",
        ),
    ];
    for (fault, message) in cases {
        let store = Store::with_storage(dir.path(), Arc::new(Faulty(fault))).unwrap();
        let err = store.save(&s).unwrap_err();
        assert_eq!(err.to_string(), format!("{}: {message}", path.display()));
        assert_eq!(err.exit_code(), 3);
        assert_eq!(std::fs::read(&path).unwrap(), before, "{fault:?}");
        assert_eq!(folder_files(dir.path()), vec!["target.ron"], "{fault:?}");
        assert_eq!(Session::read(&path).unwrap().answers.len(), 0);
    }
    // A failed folder sync happens after the rename: the new file is in
    // place, and the failure is still reported.
    let store = Store::with_storage(dir.path(), Arc::new(Faulty(Fault::FailedDirSync))).unwrap();
    let err = store.save(&s).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{}: could not sync the session folder after saving: injected folder sync failure",
            dir.path().display()
        )
    );
    assert_eq!(Session::read(&path).unwrap(), s);
}

#[test]
fn the_background_saver_confirms_each_save_with_its_number() {
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut s = Session::new("bg", &q, ts("2026-11-20T09:00:00Z")).unwrap();
    store.create(&s).unwrap();
    let mut saver = Saver::spawn(store.storage());
    let mut last = 0;
    for (i, kind) in ["model", "data", "app"].iter().enumerate() {
        s.set_answer(
            "kind",
            Answer::Choice((*kind).into()),
            ts(&format!("2026-11-20T10:0{i}:00Z")),
        );
        last = saver.save_session(&store, &s).unwrap();
    }
    assert_eq!(last, 3);
    let mut confirmed = 0;
    while confirmed < last {
        let report = saver
            .wait_report(Duration::from_secs(10))
            .expect("a report");
        report.result.unwrap();
        assert!(report.seq > confirmed);
        confirmed = report.seq;
    }
    assert_eq!(store.load("bg").unwrap(), s);
    // A failing save is reported, not swallowed.
    let broken = Store::with_storage(dir.path(), Arc::new(Faulty(Fault::FailedSync))).unwrap();
    let mut saver2 = Saver::spawn(broken.storage());
    let seq = saver2.save_session(&broken, &s).unwrap();
    let report = saver2.wait_report(Duration::from_secs(10)).unwrap();
    assert_eq!(report.seq, seq);
    assert!(report.result.is_err());
    assert!(saver.finish().is_empty());
}

/// Saves of two sessions queued together are both written: coalescing
/// keeps the newest save per file, never one file's save for another's.
#[test]
fn queued_saves_of_different_sessions_are_all_written() {
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut a = Session::new("alpha", &q, ts("2026-11-20T09:00:00Z")).unwrap();
    let mut b = Session::new("beta", &q, ts("2026-11-20T09:00:00Z")).unwrap();
    store.create(&a).unwrap();
    store.create(&b).unwrap();
    let mut saver = Saver::spawn(store.storage());
    let mut seqs = Vec::new();
    for (i, kind) in ["model", "data", "app", "model"].iter().enumerate() {
        let at = ts(&format!("2026-11-20T10:0{i}:00Z"));
        let s = if i % 2 == 0 { &mut a } else { &mut b };
        s.set_answer("kind", Answer::Choice((*kind).into()), at);
        seqs.push(saver.save_session(&store, s).unwrap());
    }
    let mut reported = Vec::new();
    while reported.len() < seqs.len() {
        let r = saver
            .wait_report(Duration::from_secs(10))
            .expect("a report");
        r.result.unwrap();
        reported.push(r.seq);
    }
    reported.sort();
    assert_eq!(reported, seqs, "every save is reported once");
    assert_eq!(store.load("alpha").unwrap(), a);
    assert_eq!(store.load("beta").unwrap(), b);
}

#[test]
fn a_logic_change_keeps_valid_answers_lists_the_rest_and_diffs_outcomes() {
    let dir = tempfile::tempdir().unwrap();
    let (qpath, q) = custom_questionnaire(dir.path(), "v1.ron");
    let store = Store::open(dir.path().join("data")).unwrap();
    let s = full_session(&q);
    store.create(&s).unwrap();
    // The questionnaire file is updated in place: option "app" and question
    // "open" are gone.
    std::fs::copy(Path::new(FIXTURES).join("v2-logic.ron"), &qpath).unwrap();
    let opened = store
        .open_session(&s.name, OpenMode::Lock, today())
        .unwrap();
    let m = &opened.migration;
    assert!(m.logic_changed);
    assert!(!m.text_changed);
    assert_eq!(
        m.version_change,
        Some(("1.0.0".to_string(), "2.0.0".to_string()))
    );
    assert_eq!(
        m.dropped,
        vec![
            (
                "kind".to_string(),
                Answer::Choice("app".into()),
                "there is no option \"app\"".to_string()
            ),
            (
                "open".to_string(),
                Answer::Choice("yes".into()),
                "there is no such question in this questionnaire".to_string()
            ),
        ]
    );
    assert_eq!(m.landing.as_deref(), Some("kind"));
    let changes: Vec<(String, Option<Status>, Option<Status>)> = m
        .changes
        .iter()
        .map(|c| (c.id.clone(), c.before, c.after))
        .collect();
    assert_eq!(
        changes,
        vec![
            ("ob.model".to_string(), None, Some(Status::Provisional)),
            (
                "rec.open".to_string(),
                Some(Status::Applies),
                Some(Status::Provisional)
            ),
            ("ob.app".to_string(), Some(Status::Applies), None),
        ]
    );
    // Still valid: the text answer and its neighbours.
    assert!(opened.session.answers.contains_key("name"));
    assert_eq!(opened.session.questionnaire.version, "2.0.0");
    // The answers that no longer fit are kept, set aside, with why.
    let aside = &opened.session.set_aside;
    assert_eq!(aside.len(), 2);
    assert_eq!(aside["kind"].answer.answer, Answer::Choice("app".into()));
    assert_eq!(aside["kind"].reason, "there is no option \"app\"");
    assert_eq!(aside["kind"].version, "1.0.0");
    assert_eq!(aside["open"].answer.answer, Answer::Choice("yes".into()));
    // And they survive a save and a reload.
    let mut saved = opened.session.clone();
    saved.updated = saved.created;
    let reread = aiact::session::Session::from_ron("x.ron", &saved.to_ron()).unwrap();
    assert_eq!(reread.set_aside, saved.set_aside);
    // Nothing was written by opening.
    assert_eq!(store.load(&s.name).unwrap(), s);
}

#[test]
fn a_text_only_change_is_noted_without_alarm() {
    let dir = tempfile::tempdir().unwrap();
    let (qpath, q) = custom_questionnaire(dir.path(), "v1.ron");
    let store = Store::open(dir.path().join("data")).unwrap();
    let s = full_session(&q);
    store.create(&s).unwrap();
    std::fs::copy(Path::new(FIXTURES).join("v2-text.ron"), &qpath).unwrap();
    let opened = store
        .open_session(&s.name, OpenMode::ReadOnly, today())
        .unwrap();
    let m = &opened.migration;
    assert!(!m.logic_changed);
    assert!(m.text_changed);
    assert!(m.dropped.is_empty());
    assert!(m.changes.is_empty());
    assert_eq!(
        m.landing.as_deref(),
        Some("name"),
        "lands where the user was"
    );
    assert!(opened.read_only());
}

#[test]
fn a_second_opener_is_told_who_holds_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    let path = store
        .create(&Session::new("locked", &q, ts("2026-11-20T09:00:00Z")).unwrap())
        .unwrap();
    let first = store
        .open_session("locked", OpenMode::Lock, today())
        .unwrap();
    assert!(!first.read_only());
    let lock_file = dir.path().join("locked.lock");
    assert!(lock_file.is_file());
    let info = session::read_lock(&lock_file).unwrap().unwrap();
    assert_eq!(info.pid, std::process::id());
    assert_eq!(info.host, session::host_name());

    let err = store
        .open_session("locked", OpenMode::Lock, today())
        .unwrap_err();
    assert_eq!(err.exit_code(), 3);
    assert_eq!(
        err.to_string(),
        format!(
            "{}: the session is open in another aiact ({}); close it there first",
            path.display(),
            info.describe()
        )
    );
    let second = store
        .open_session("locked", OpenMode::LockOrReadOnly, today())
        .unwrap();
    assert!(second.read_only());
    assert_eq!(second.held_by.as_ref(), Some(&info));
    // Deleting or renaming while it is open is refused too.
    assert!(store.delete("locked").is_err());
    assert!(
        store
            .rename("locked", "other", ts("2026-11-20T09:00:00Z"))
            .is_err()
    );
    // Closing releases it.
    drop(first);
    assert!(!lock_file.exists());
    let third = store
        .open_session("locked", OpenMode::Lock, today())
        .unwrap();
    assert!(!third.read_only());
    drop(third);
    // Only the folder's session remains: no temporary or lock files.
    assert_eq!(folder_files(dir.path()), vec!["locked.ron"]);
}

fn write_lock(path: &Path, host: &str, pid: u32) -> LockInfo {
    let info = LockInfo {
        host: host.to_string(),
        pid,
        started: ts("2026-11-20T08:00:00Z"),
        proc_start: None,
    };
    std::fs::write(path, ron::to_string(&info).unwrap()).unwrap();
    info
}

#[test]
fn stale_locks_are_taken_over_and_foreign_ones_reported() {
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    let path = store
        .create(&Session::new("stale", &q, ts("2026-11-20T09:00:00Z")).unwrap())
        .unwrap();
    let lock_file = Store::lock_path(&path);

    if cfg!(target_os = "linux") {
        // A process id that cannot exist (above the kernel's maximum).
        let dead = write_lock(&lock_file, &session::host_name(), 4_000_000_000);
        match store.lock(&path).unwrap() {
            LockAttempt::Acquired(lock) => {
                assert_eq!(lock.took_over.as_ref(), Some(&dead));
                assert_eq!(lock.info().pid, std::process::id());
            }
            other => panic!("expected a takeover, got {other:?}"),
        }
        assert!(!lock_file.exists(), "released on drop");
    }

    // An unreadable lock (a crash mid-write) holds nothing.
    std::fs::write(&lock_file, "(host: \"x\", pi").unwrap();
    assert!(matches!(
        store.lock(&path).unwrap(),
        LockAttempt::Acquired(_)
    ));

    // Another host: only the user can say.
    let foreign = write_lock(&lock_file, "some-other-host.example", 1);
    match store.lock(&path).unwrap() {
        LockAttempt::HeldElsewhere(info) => assert_eq!(info, foreign),
        other => panic!("expected another host, got {other:?}"),
    }
    let err = store
        .open_session("stale", OpenMode::LockOrReadOnly, today())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("the session is open on another computer (process 1 on host \"some-other-host.example\" since 2026-11-20 08:00:00 UTC)"),
        "{err}"
    );
    let taken = store
        .open_session("stale", OpenMode::TakeOver, today())
        .unwrap();
    assert!(!taken.read_only());
    assert_eq!(
        session::read_lock(&lock_file).unwrap().unwrap().pid,
        std::process::id()
    );
}

#[test]
fn damaged_files_are_reported_with_their_position_and_never_touched() {
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    let good = full_session(&q);
    store.create(&good).unwrap();
    let text = good.to_ron();

    let truncated = dir.path().join("truncated.ron");
    std::fs::write(&truncated, &text[..text.len() / 2]).unwrap();
    let garbage = dir.path().join("garbage.ron");
    std::fs::write(
        &garbage,
        "// hello\n(\n    format_version: 1,\n    name: 42,\n)\n",
    )
    .unwrap();
    let escape = dir.path().join("escape.ron");
    std::fs::write(&escape, "(\n  name: \"a\u{1b}[31m\",\n)\n").unwrap();
    let binary = dir.path().join("binary.ron");
    std::fs::write(&binary, b"(\n  name: \"\xff\xfe\"\n)").unwrap();
    let future = dir.path().join("future.ron");
    std::fs::write(
        &future,
        text.replace("format_version: 1,", "format_version: 9,"),
    )
    .unwrap();
    // Ignored by list: temporary files, locks, other files.
    std::fs::write(dir.path().join(".x.ron.123-0.tmp"), "partial").unwrap();
    std::fs::write(dir.path().join("x.lock"), "lock").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "hi").unwrap();

    let garbage_err = Session::read(&garbage).unwrap_err().to_string();
    assert_eq!(
        garbage_err,
        format!(
            "{}:4:10: expected string\n      name: 42,\n           ^\nThe session file is damaged; aiact leaves it untouched. Restore it from a copy or fix it by hand.",
            garbage.display()
        )
    );
    let escape_err = Session::read(&escape).unwrap_err().to_string();
    assert!(
        escape_err.starts_with(&format!(
            "{}:2:11: control character U+001B in the file",
            escape.display()
        )),
        "{escape_err}"
    );
    let binary_err = Session::read(&binary).unwrap_err().to_string();
    assert!(
        binary_err.starts_with(&format!(
            "{}:2:10: the session file is not valid UTF-8 text",
            binary.display()
        )),
        "{binary_err}"
    );
    let future_err = Session::read(&future).unwrap_err().to_string();
    assert_eq!(
        future_err,
        format!(
            "{}: session format version 9 is not supported by this aiact (it reads version 1); use a newer aiact",
            future.display()
        )
    );
    let truncated_err = Session::read(&truncated).unwrap_err().to_string();
    let first = truncated_err.lines().next().unwrap();
    assert!(
        first.starts_with(&format!("{}:", truncated.display())),
        "{truncated_err}"
    );
    assert!(truncated_err.contains("^"), "{truncated_err}");

    let before: Vec<(PathBuf, Vec<u8>)> = [&truncated, &garbage, &escape, &binary, &future]
        .iter()
        .map(|p| (p.to_path_buf(), std::fs::read(p).unwrap()))
        .collect();
    let listed = store.list().unwrap();
    let names: Vec<String> = listed
        .iter()
        .map(|l| l.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec![
            "binary.ron",
            "escape.ron",
            "future.ron",
            "garbage.ron",
            "my-model-b-7b.ron",
            "truncated.ron"
        ]
    );
    let ok: Vec<&Session> = listed
        .iter()
        .filter_map(|l| l.session.as_ref().ok())
        .collect();
    assert_eq!(ok, vec![&good]);
    // Opening a damaged session fails and leaves it as it was.
    assert!(
        store
            .open_session("truncated", OpenMode::Lock, today())
            .is_err()
    );
    for (p, bytes) in before {
        assert_eq!(std::fs::read(&p).unwrap(), bytes);
    }
}

#[cfg(unix)]
#[test]
fn the_folder_and_files_are_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nested").join("data");
    let store = Store::open(&data).unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let path = store
        .create(&Session::new("private", &q, ts("2026-11-20T09:00:00Z")).unwrap())
        .unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&path), 0o600);
    let file = dir.path().join("exported.ron");
    store.export("private", &file, false).unwrap();
    assert_eq!(mode(&file), 0o600);
}

/// Redacts what differs between runs and machines.
fn redact(text: &str, dir: &Path) -> String {
    text.replace(&dir.display().to_string(), "[DIR]")
        .replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

fn report_fixture() -> (tempfile::TempDir, Questionnaire, Session) {
    let dir = tempfile::tempdir().unwrap();
    let (_, q) = custom_questionnaire(dir.path(), "v1.ron");
    let s = full_session(&q);
    (dir, q, s)
}

#[test]
fn report_snapshots_escape_user_text() {
    let (dir, q, s) = report_fixture();
    let ev = evaluate(&q, &s.answers(), today());
    let answers = s.answers();
    let info = session::report_info(&s);
    let mut report = Report::new(&q, &answers, &ev);
    report.session = Some(&info);
    let md = to_markdown(&report);
    assert!(!md.contains("<script>"), "{md}");
    assert!(!md.contains("<b>"), "{md}");
    insta::assert_snapshot!("session_report_markdown", redact(&md, dir.path()));
    insta::assert_snapshot!("session_report_json", redact(&to_json(&report), dir.path()));
    let card = to_model_card(&report);
    assert!(!card.contains("<b>"), "{card}");
    insta::assert_snapshot!("session_report_model_card", redact(&card, dir.path()));
}

/// Saving again and again (as the app does on every change) leaves the last
/// state on disk each time. How long a durable save takes is measured by the
/// `durable_save` bench (benches/start.rs), not asserted here.
#[test]
fn a_durable_save_leaves_the_latest_state_each_time() {
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_shipped("eu-ai-act-oss")
        .unwrap()
        .unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut s = Session::new("timing", &q, ts("2026-11-20T09:00:00Z")).unwrap();
    let ev = evaluate(&q, &s.answers(), today());
    s.record_evaluation(&q, &ev);
    store.create(&s).unwrap();
    for i in 0..20 {
        s.set_note("x", &i.to_string(), ts("2026-11-20T09:00:00Z"));
        store.save(&s).unwrap();
        let back = store.load("timing").unwrap();
        assert_eq!(back.answers, s.answers, "round {i}");
    }
}

/// Issue 14.1: creating checked the name and then renamed over it, so two
/// creators of one name both "succeeded". Now exactly one does, each round.
#[test]
fn concurrent_creates_of_one_name_leave_exactly_one_winner() {
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    for round in 0..50 {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let barrier = std::sync::Barrier::new(8);
        let results: Vec<(usize, Result<PathBuf, String>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|i| {
                    let (store, q, barrier) = (&store, &q, &barrier);
                    scope.spawn(move || {
                        let mut s = Session::new("race", q, ts("2026-11-20T09:00:00Z")).unwrap();
                        s.position.screen = format!("creator {i}");
                        barrier.wait();
                        (i, store.create(&s).map_err(|e| e.to_string()))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let winners: Vec<usize> = results
            .iter()
            .filter(|(_, r)| r.is_ok())
            .map(|(i, _)| *i)
            .collect();
        assert_eq!(winners.len(), 1, "round {round}: winners {winners:?}");
        for (_, r) in &results {
            if let Err(e) = r {
                assert!(
                    e.starts_with("a session named \"race\" already exists"),
                    "{e}"
                );
            }
        }
        // The file on disk is the winner's, and nothing else is left.
        let saved = store.load("race").unwrap();
        assert_eq!(saved.position.screen, format!("creator {}", winners[0]));
        assert_eq!(folder_files(dir.path()), vec!["race.ron"], "round {round}");
    }
}

/// Issue 14.3: temporary files of interrupted saves were never removed.
#[cfg(target_os = "linux")]
#[test]
fn stale_temporary_files_of_dead_processes_are_removed_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let old = std::time::SystemTime::now() - Duration::from_secs(3600);
    let make = |name: &str, aged: bool| {
        let path = dir.path().join(name);
        let f = std::fs::File::create(&path).unwrap();
        if aged {
            f.set_modified(old).unwrap();
        }
    };
    let me = std::process::id();
    // A process id above the kernel's maximum: certainly not running.
    make(".gone.ron.4000000000-0.tmp", true);
    make(".gone.lock.4000000000-3.tmp", true);
    // A live process's save (ours) is left alone, however old.
    make(&format!(".mine.ron.{me}-0.tmp"), true);
    // A save that just started is left alone too (it may be another host's).
    make(".fresh.ron.4000000000-1.tmp", false);
    // Not ours: other names are never touched.
    make("notes.tmp", true);
    make(".hidden.tmp", true);
    let _store = Store::open(dir.path()).unwrap();
    assert_eq!(
        folder_files(dir.path()),
        vec![
            ".fresh.ron.4000000000-1.tmp".to_string(),
            ".hidden.tmp".to_string(),
            format!(".mine.ron.{me}-0.tmp"),
            "notes.tmp".to_string(),
        ]
    );
}

/// Issue 14.4: a lock that is not UTF-8 blocked the session; a lock path
/// that is a folder blocked even a take-over.
#[test]
fn unreadable_locks_are_treated_as_stale() {
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    let path = store
        .create(&Session::new("odd", &q, ts("2026-11-20T09:00:00Z")).unwrap())
        .unwrap();
    let lock_file = Store::lock_path(&path);
    std::fs::write(&lock_file, b"(host: \"\xff\xfe\", pid: 1)").unwrap();
    let opened = store
        .open_session("odd", OpenMode::LockOrReadOnly, today())
        .expect("a lock that is not UTF-8 holds nothing");
    assert!(!opened.read_only());
    let lock = opened.lock.as_ref().unwrap();
    assert_eq!(
        lock.unreadable.as_deref(),
        Some("the lock file is not valid UTF-8 text")
    );
    drop(opened);
    assert!(!lock_file.exists());

    for mode in [OpenMode::Lock, OpenMode::TakeOver] {
        std::fs::create_dir(&lock_file).unwrap();
        std::fs::write(lock_file.join("inside"), "x").unwrap();
        let opened = store
            .open_session("odd", mode, today())
            .unwrap_or_else(|e| panic!("{mode:?}: {e}"));
        assert_eq!(
            opened.lock.as_ref().unwrap().unreadable.as_deref(),
            Some("the lock is a folder, not a file (moved aside)"),
            "{mode:?}"
        );
        drop(opened);
        assert!(!lock_file.exists());
        // What was in the folder is kept, moved aside.
        let aside: Vec<String> = folder_files(dir.path())
            .into_iter()
            .filter(|n| n.starts_with(".odd.lock.") && n.ends_with(".aside"))
            .collect();
        assert_eq!(aside.len(), 1, "{:?}", folder_files(dir.path()));
        std::fs::remove_dir_all(dir.path().join(&aside[0])).unwrap();
    }
    // An empty folder is simply removed.
    std::fs::create_dir(&lock_file).unwrap();
    let opened = store.open_session("odd", OpenMode::Lock, today()).unwrap();
    assert_eq!(
        opened.lock.as_ref().unwrap().unreadable.as_deref(),
        Some("the lock is a folder, not a file (removed)")
    );
}

/// Issue 14.5: names of 57+ four-byte characters made sessions that could
/// never be opened again (a derived file name passed 255 bytes).
#[test]
fn names_are_limited_by_the_bytes_of_their_file_names() {
    // U+20000, a CJK ideograph: a letter of four bytes that folds to itself.
    let long = "\u{20000}".repeat(57);
    assert_eq!(
        session::check_name(&long).unwrap_err().to_string(),
        "the session name takes 228 bytes in a file name; use at most 213 (letters outside A–Z take 2 to 4 bytes each, so shorten it)"
    );
    // The longest name allowed still makes a session that opens, locks and renames.
    let longest = "\u{20000}".repeat(53);
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .create(&Session::new(&longest, &q, ts("2026-11-20T09:00:00Z")).unwrap())
        .unwrap();
    let opened = store
        .open_session(&longest, OpenMode::Lock, today())
        .unwrap();
    assert!(!opened.read_only());
    drop(opened);
    let mut saver = Saver::spawn(store.storage());
    let s = store.load(&longest).unwrap();
    saver.save_session(&store, &s).unwrap();
    saver
        .wait_report(Duration::from_secs(10))
        .unwrap()
        .result
        .unwrap();
    // Expansion by normalisation counts too: one character, many bytes.
    let wide = "\u{fdfa}".repeat(12);
    let err = session::check_name(&wide).unwrap_err().to_string();
    assert!(err.starts_with("the session name takes "), "{err}");
}

/// Issue 14.7: in a read-only or full data folder resume, recheck, rename
/// and delete all failed (exit 3) because the lock could not be written,
/// saying so in misleading words. Now resume opens read-only and says why,
/// changes are refused plainly, and delete frees space on a full disk.
#[test]
fn a_read_only_or_full_folder_opens_read_only_and_delete_frees_space() {
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let real = Store::open(dir.path()).unwrap();
    let now = ts("2026-11-20T09:00:00Z");
    let path = real
        .create(&Session::new("kept", &q, now).unwrap())
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let shown = dir.path().display();

    let read_only = Store::with_storage(dir.path(), Arc::new(Faulty(Fault::ReadOnly))).unwrap();
    let opened = read_only
        .open_session("kept", OpenMode::LockOrReadOnly, today())
        .expect("a read-only folder still opens its sessions");
    assert!(opened.read_only());
    let why = format!("the data folder {shown} is read-only (permission denied)");
    assert_eq!(opened.unwritable.as_deref(), Some(why.as_str()));
    // The app says it too.
    let mut storage = aiact::tui::storage::SessionStorage::new(read_only.clone(), today());
    let app_opened = storage.adopt(opened, None);
    assert_eq!(
        app_opened.read_only.as_deref(),
        Some(format!("Opened read-only: {why}, so changes are not saved.").as_str())
    );
    let refused = format!(
        "{why}, so its sessions cannot be changed; `aiact resume NAME` and `aiact report NAME` still show them"
    );
    let err = read_only
        .open_session("kept", OpenMode::Lock, today())
        .unwrap_err();
    assert_eq!((err.exit_code(), err.to_string()), (3, refused.clone()));
    let err = read_only.rename("kept", "other", now).unwrap_err();
    assert_eq!((err.exit_code(), err.to_string()), (3, refused.clone()));
    let err = read_only.delete("kept").unwrap_err();
    assert_eq!((err.exit_code(), err.to_string()), (3, refused));
    assert_eq!(std::fs::read(&path).unwrap(), before);

    let full = Store::with_storage(dir.path(), Arc::new(Faulty(Fault::DiskFull))).unwrap();
    let opened = full
        .open_session("kept", OpenMode::LockOrReadOnly, today())
        .unwrap();
    assert_eq!(
        opened.unwritable.as_deref(),
        Some(format!("the disk holding the data folder {shown} is full").as_str())
    );
    drop(opened);
    // A session another aiact has open is still not deleted under it.
    let held_path = real
        .create(&Session::new("held", &q, now).unwrap())
        .unwrap();
    let holder = real.open_session("held", OpenMode::Lock, today()).unwrap();
    let err = full.delete("held").unwrap_err().to_string();
    assert!(
        err.contains("the session is open in another aiact"),
        "{err}"
    );
    assert!(held_path.exists());
    drop(holder);
    // Deleting frees space: no lock needs to be written first.
    assert_eq!(full.delete("kept").unwrap(), path);
    assert!(!path.exists());
    assert_eq!(folder_files(dir.path()), vec!["held.ron"]);
}

/// Issue 14.11: the app's read-only state names who holds the lock.
#[test]
fn the_app_says_who_holds_a_session_it_opened_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .create(&Session::new("shared", &q, ts("2026-11-20T09:00:00Z")).unwrap())
        .unwrap();
    let first = store
        .open_session("shared", OpenMode::Lock, today())
        .unwrap();
    let second = store
        .open_session("shared", OpenMode::LockOrReadOnly, today())
        .unwrap();
    let mut storage = aiact::tui::storage::SessionStorage::new(store.clone(), today());
    let opened = storage.adopt(second, None);
    assert_eq!(
        opened.read_only,
        Some(format!(
            "This session is open in another aiact ({}): opened read-only, changes are not saved.",
            first.lock.as_ref().unwrap().info().describe()
        ))
    );
}

/// The host and time written into a lock are those the caller passes in
/// (read once in `main`), not read by the lock code itself.
#[test]
fn a_lock_names_the_host_and_time_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let at = ts("2026-11-20T09:00:00Z");
    let store = Store::open(dir.path()).unwrap().held_by(session::Holder {
        host: "box-a.example".into(),
        clock: aiact::env::Clock::fixed(at),
    });
    store
        .create(&Session::new("given", &q, at).unwrap())
        .unwrap();
    let opened = store
        .open_session("given", OpenMode::Lock, today())
        .unwrap();
    assert!(!opened.read_only());
    let info = session::read_lock(&dir.path().join("given.lock"))
        .unwrap()
        .unwrap();
    assert_eq!(info.host, "box-a.example");
    assert_eq!(info.started, at);
    // Another store on another host sees it held elsewhere, not stale.
    let other = Store::open(dir.path()).unwrap().held_by(session::Holder {
        host: "box-b.example".into(),
        clock: aiact::env::Clock::fixed(at),
    });
    let path = other.find("given").unwrap();
    assert!(matches!(
        other.lock(&path).unwrap(),
        session::LockAttempt::HeldElsewhere(_)
    ));
}

/// Audit of issue 14.4: the app replaced an unreadable lock silently; it
/// says so, as `resume` does.
#[test]
fn the_app_says_it_replaced_an_unreadable_lock() {
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    let path = store
        .create(&Session::new("odd", &q, ts("2026-11-20T09:00:00Z")).unwrap())
        .unwrap();
    std::fs::write(Store::lock_path(&path), b"\xff\xfe").unwrap();
    let opened = store
        .open_session("odd", OpenMode::LockOrReadOnly, today())
        .unwrap();
    let mut storage = aiact::tui::storage::SessionStorage::new(store.clone(), today());
    let app_opened = storage.adopt(opened, None);
    assert_eq!(app_opened.read_only, None);
    assert_eq!(
        app_opened.notice.as_deref(),
        Some(
            "Replaced an unreadable lock (the lock file is not valid UTF-8 text); it was left over and held nothing."
        )
    );
}

/// Audit of issue 14.4: taking over a stale lock removed whatever was in
/// its place, including the live lock another aiact had just taken in the
/// same take-over, so two could hold one session. Now, each round, of many
/// taking over one stale lock at once exactly one holds it.
#[cfg(target_os = "linux")]
#[test]
fn concurrent_take_overs_of_one_stale_lock_leave_exactly_one_holder() {
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    for round in 0..30 {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let path = store
            .create(&Session::new("race", &q, ts("2026-11-20T09:00:00Z")).unwrap())
            .unwrap();
        let lock_file = Store::lock_path(&path);
        if round % 2 == 0 {
            // A process id above the kernel's maximum: certainly not running.
            write_lock(&lock_file, &session::host_name(), 4_000_000_000);
        } else {
            std::fs::write(&lock_file, b"\xff\xfe").unwrap();
        }
        let barrier = std::sync::Barrier::new(8);
        // Every attempt is kept until all are done: a holder keeps its lock.
        let attempts: Vec<LockAttempt> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    let (store, path, barrier) = (&store, &path, &barrier);
                    scope.spawn(move || {
                        barrier.wait();
                        store.lock(path).unwrap()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let holders: Vec<&session::Lock> = attempts
            .iter()
            .filter_map(|a| match a {
                LockAttempt::Acquired(l) => Some(l),
                _ => None,
            })
            .collect();
        assert_eq!(holders.len(), 1, "round {round}: {attempts:?}");
        // The others were told the one holder holds it.
        for a in &attempts {
            if let LockAttempt::HeldHere(info) = a {
                assert_eq!(info, holders[0].info(), "round {round}");
            } else {
                assert!(
                    matches!(a, LockAttempt::Acquired(_)),
                    "round {round}: {a:?}"
                );
            }
        }
        assert_eq!(
            session::read_lock(&lock_file).unwrap().as_ref(),
            Some(holders[0].info()),
            "round {round}"
        );
        drop(attempts);
        assert_eq!(folder_files(dir.path()), vec!["race.ron"], "round {round}");
    }
}

/// Audit of issue 14.6: a link in the data folder to a session elsewhere
/// showed on the start screen (the index followed it).
#[cfg(unix)]
#[test]
fn the_index_and_the_start_screen_do_not_follow_links() {
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let outside = Store::open(dir.path().join("outside")).unwrap();
    let secret = outside
        .create(&Session::new("secret", &q, ts("2026-11-20T09:00:00Z")).unwrap())
        .unwrap();
    let store = Store::open(dir.path().join("data")).unwrap();
    store
        .create(&Session::new("mine", &q, ts("2026-11-20T09:00:00Z")).unwrap())
        .unwrap();
    std::os::unix::fs::symlink(&secret, store.dir().join("leak.ron")).unwrap();
    let names: Vec<String> = store.summaries().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["mine"]);
    let shown: Vec<String> = aiact::tui::storage::summaries(&store)
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(shown, ["mine"]);
}

/// Audit of issue 14.3: the index's temporary files and locks moved aside
/// by processes that ended were left for ever.
#[cfg(target_os = "linux")]
#[test]
fn stale_index_temporaries_and_asides_are_removed_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let old = std::time::SystemTime::now() - Duration::from_secs(3600);
    let age = |path: &Path| {
        std::fs::File::open(path)
            .unwrap()
            .set_modified(old)
            .unwrap();
    };
    let me = std::process::id();
    let index = dir.path().join(".index");
    std::fs::create_dir(&index).unwrap();
    for name in [
        ".sessions.4000000000.tmp".to_string(),
        format!(".sessions.{me}.tmp"),
    ] {
        std::fs::write(index.join(&name), "x").unwrap();
        age(&index.join(name));
    }
    for name in [
        ".gone.lock.4000000000.aside".to_string(),
        format!(".mine.lock.{me}.aside"),
    ] {
        let aside = dir.path().join(&name);
        std::fs::create_dir(&aside).unwrap();
        std::fs::write(aside.join("inside"), "x").unwrap();
        age(&aside);
    }
    let _store = Store::open(dir.path()).unwrap();
    assert_eq!(
        folder_files(dir.path()),
        vec![".index".to_string(), format!(".mine.lock.{me}.aside")]
    );
    assert_eq!(folder_files(&index), vec![format!(".sessions.{me}.tmp")]);
}

/// The real storage on a file system without hard links: `link` fails
/// with `EPERM` (FAT, some network file systems).
#[cfg(unix)]
struct NoLinks;

#[cfg(unix)]
impl Storage for NoLinks {
    fn create_new(&self, path: &Path) -> io::Result<Box<dyn TempFile>> {
        RealStorage.create_new(path)
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        RealStorage.rename(from, to)
    }
    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        RealStorage.sync_dir(dir)
    }
    fn remove(&self, path: &Path) -> io::Result<()> {
        RealStorage.remove(path)
    }
    fn link_new(&self, _from: &Path, _to: &Path) -> io::Result<()> {
        Err(io::Error::from_raw_os_error(1))
    }
}

/// Audit of issue 14.9: without hard links every session opened read-only
/// ("the data folder is read-only"); locks fall back to an exclusive create
/// as session files do.
#[cfg(unix)]
#[test]
fn locks_work_on_a_file_system_without_hard_links() {
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let store = Store::with_storage(dir.path(), Arc::new(NoLinks)).unwrap();
    let path = store
        .create(&Session::new("plain", &q, ts("2026-11-20T09:00:00Z")).unwrap())
        .unwrap();
    let first = store
        .open_session("plain", OpenMode::LockOrReadOnly, today())
        .unwrap();
    assert!(!first.read_only(), "{:?}", first.unwritable);
    let lock_file = Store::lock_path(&path);
    assert_eq!(
        session::read_lock(&lock_file).unwrap().as_ref(),
        Some(first.lock.as_ref().unwrap().info())
    );
    // A second opener is told who holds it.
    let second = store
        .open_session("plain", OpenMode::LockOrReadOnly, today())
        .unwrap();
    assert_eq!(
        second.held_by.as_ref(),
        Some(first.lock.as_ref().unwrap().info())
    );
    drop(first);
    assert_eq!(folder_files(dir.path()), vec!["plain.ron"]);
}

/// Audit of issue 14.9: the app created a new session's file before
/// locking it and deleted the file when the lock failed, though another
/// aiact may have had it. The lock comes first now: a name another aiact
/// holds is passed over, and nothing is deleted.
#[test]
fn the_app_locks_a_new_session_before_writing_it() {
    use aiact::tui::Persistence;
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    // Another aiact is creating "draft": it holds the lock, no file yet.
    let other = match store.lock(&dir.path().join("draft.ron")).unwrap() {
        LockAttempt::Acquired(l) => l,
        a => panic!("{a:?}"),
    };
    let mut storage = aiact::tui::storage::SessionStorage::new(store.clone(), today());
    let draft = Session::new("draft", &q, ts("2026-11-20T09:00:00Z")).unwrap();
    let stored = storage.create(&draft, &q).unwrap();
    assert_eq!(stored.name, "draft-2");
    assert!(dir.path().join("draft-2.ron").is_file());
    assert_eq!(
        session::read_lock(&dir.path().join("draft-2.lock"))
            .unwrap()
            .map(|i| i.pid),
        Some(std::process::id())
    );
    assert_eq!(
        session::read_lock(&dir.path().join("draft.lock"))
            .unwrap()
            .as_ref(),
        Some(other.info())
    );
}

/// Audit of issue 14.7: `recheck` on a read-only folder refused; it shows
/// the changes and says they could not be saved.
#[test]
fn recheck_in_a_read_only_folder_shows_the_changes_unsaved() {
    let dir = tempfile::tempdir().unwrap();
    let (q_path, q) = custom_questionnaire(dir.path(), "v1.ron");
    let data = dir.path().join("data");
    let real = Store::open(&data).unwrap();
    let mut s = Session::new("kept", &q, ts("2026-11-20T09:00:00Z")).unwrap();
    let ev = evaluate(&q, &s.answers(), today());
    s.record_evaluation(&q, &ev);
    let path = real.create(&s).unwrap();
    let before = std::fs::read(&path).unwrap();
    std::fs::copy(Path::new(FIXTURES).join("v2-logic.ron"), &q_path).unwrap();
    let read_only = Store::with_storage(&data, Arc::new(Faulty(Fault::ReadOnly))).unwrap();
    let mut out = Vec::new();
    let code = aiact::cli::sessions::recheck_in(
        &read_only,
        "kept",
        None,
        ts("2026-11-26T09:00:00Z"),
        today(),
        &mut out,
    )
    .unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("The questionnaire changed from version 1.0.0 to 2.0.0."),
        "{out}"
    );
    assert!(
        out.ends_with(&format!(
            "Not saved: the data folder {} is read-only (permission denied), so the new evaluation could not be saved.\n",
            data.display()
        )),
        "{out}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // Held by another aiact it is still refused.
    let _holder = real.open_session("kept", OpenMode::Lock, today()).unwrap();
    let err = aiact::cli::sessions::recheck_in(
        &real,
        "kept",
        None,
        ts("2026-11-26T09:00:00Z"),
        today(),
        &mut Vec::new(),
    )
    .unwrap_err();
    assert_eq!(err.exit_code(), 3);
}

/// Audit of issue 14.8: errors writing a report or an export spoke of
/// saving the session.
#[test]
fn write_errors_name_what_is_being_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.md");
    for (what, words) in [
        (
            session::Writing::Report,
            "could not create a temporary file to write the report",
        ),
        (
            session::Writing::Export,
            "could not create a temporary file to export the session",
        ),
    ] {
        let err = session::write_user_file(&Faulty(Fault::ReadOnly), &file, b"x", false, what)
            .unwrap_err()
            .to_string();
        assert!(err.contains(words), "{err}");
        assert!(!err.contains("save the session"), "{err}");
    }
}

/// Audit of issue 14.6: notes kept the zero-width joiner and non-joiner
/// out; they are kept now, while a zero-width space and bidi overrides are
/// still cleaned out on reading.
#[test]
fn notes_keep_joiners_and_lose_other_invisible_characters() {
    let dir = tempfile::tempdir().unwrap();
    let q = questionnaire::load_path(&Path::new(FIXTURES).join("v1.ron")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    let now = ts("2026-11-20T09:00:00Z");
    let mut s = Session::new("\u{1f469}\u{200d}\u{1f4bb} helper", &q, now).unwrap();
    let id = q.questions[0].id().to_string();
    s.set_answer(&id, Answer::NotSure, now);
    s.set_note(
        &id,
        "\u{645}\u{6cc}\u{200c}\u{62e} \u{1f469}\u{200d}\u{1f4bb}",
        now,
    );
    let path = store.create(&s).unwrap();
    let back = Session::read(&path).unwrap();
    assert_eq!(back.name, "\u{1f469}\u{200d}\u{1f4bb} helper");
    assert_eq!(
        back.answers[&id].note.as_deref(),
        Some("\u{645}\u{6cc}\u{200c}\u{62e} \u{1f469}\u{200d}\u{1f4bb}")
    );
    s.set_note(&id, "a\u{200b}b\u{202e}c\u{2060}d\u{feff}", now);
    assert_eq!(s.answers[&id].note.as_deref(), Some("abcd"));
    assert!(session::check_name("a\u{2060}b").is_err());
    assert!(session::check_name("\u{645}\u{6cc}\u{200c}\u{62e}").is_ok());
}
