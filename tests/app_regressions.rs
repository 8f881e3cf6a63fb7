//! One test per defect found in the interactive app and its storage (each
//! failed before its fix): typing j/k in fields, clearing a follow-up, the
//! in-app export, files of a newer format, a custom questionnaire that
//! changes on disk after loading. The real `App`, `Runtime` and storage run
//! in a temporary folder; fixture questionnaires only.

mod tui_screens;

use std::path::Path;

use aiact::answers::Answer;
use aiact::env::Clock;
use aiact::session::{Origin, Session, Store};
use aiact::tui::Runtime;
use aiact::tui::app::{App, Msg, Screen};
use aiact::tui::storage::SessionStorage;
use jiff::Timestamp;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_screens::*;

fn clock() -> Clock {
    Clock::fixed("2026-11-26T10:30:00Z".parse::<Timestamp>().unwrap())
}

/// The app on the start screen with real storage in `dir`.
fn with_storage(dir: &Path) -> (App, Runtime) {
    let store = Store::open(dir.join("data")).unwrap();
    let app = App::start(vec![fixture("kinds.ron")], Vec::new(), today())
        .with_clock(clock())
        .with_persistence(true);
    let runtime = Runtime::new(
        Some(Box::new(SessionStorage::new(store, today()))),
        Some(dir.join("reports")),
    );
    (app, runtime)
}

fn press(app: &mut App, rt: &mut Runtime, code: KeyCode) {
    app.handle(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    rt.step(app);
    rt.flush(app);
}

fn type_in(app: &mut App, rt: &mut Runtime, text: &str) {
    for c in text.chars() {
        press(app, rt, KeyCode::Char(c));
    }
}

fn saved(dir: &Path, name: &str) -> Session {
    let store = Store::open(dir.join("data")).unwrap();
    store.load(name).unwrap()
}

/// Answers the fixture to its number question ("compute").
fn to_compute(app: &mut App, rt: &mut Runtime) {
    press(app, rt, KeyCode::Enter); // new assessment
    type_in(app, rt, "jk model");
    press(app, rt, KeyCode::Enter);
    type_in(app, rt, "1");
    press(app, rt, KeyCode::Enter); // role: build
    type_in(app, rt, " ");
    press(app, rt, KeyCode::Enter); // parts: weights
    type_in(app, rt, "2");
    press(app, rt, KeyCode::Enter); // paid: no
    let q = app.questionnaire();
    assert_eq!(
        app.screen(),
        Screen::Question(q.question_index("compute").unwrap())
    );
}

#[test]
fn j_and_k_type_themselves_in_number_and_text_fields_and_notes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut rt) = with_storage(dir.path());
    to_compute(&mut app, &mut rt);
    type_in(&mut app, &mut rt, "12k");
    press(&mut app, &mut rt, KeyCode::Enter);
    // "12k" is not a number the fixture accepts without a unit suffix, or
    // it is (k = thousand): either way the k reached the field.
    let shown = app.answer("compute").cloned();
    if shown.is_none() {
        assert!(app.error().is_some(), "a refused number says why");
        for _ in 0..3 {
            press(&mut app, &mut rt, KeyCode::Backspace);
        }
        type_in(&mut app, &mut rt, "3e24");
        press(&mut app, &mut rt, KeyCode::Enter);
    } else {
        assert_eq!(shown, Some(Answer::Number("12k".into())));
    }
    // The text question: every printable key types itself.
    type_in(&mut app, &mut rt, "jackknife q1?");
    press(&mut app, &mut rt, KeyCode::Enter);
    assert_eq!(
        app.answer("label"),
        Some(&Answer::Text("jackknife q1?".into()))
    );
    // A note with j and k.
    press(&mut app, &mut rt, KeyCode::Backspace);
    assert!(matches!(app.screen(), Screen::Question(_)));
    let on = match app.screen() {
        Screen::Question(qi) => app.questionnaire().questions[qi].id().to_string(),
        _ => unreachable!(),
    };
    if app.mode() == aiact::tui::Mode::Input {
        press(&mut app, &mut rt, KeyCode::Esc);
    }
    press(&mut app, &mut rt, KeyCode::Char('n'));
    type_in(&mut app, &mut rt, "jackknife");
    press(&mut app, &mut rt, KeyCode::Enter);
    assert_eq!(app.note(&on), Some("jackknife"));
    let disk = saved(dir.path(), "jk model");
    assert_eq!(disk.answers[&on].note.as_deref(), Some("jackknife"));
    assert_eq!(
        disk.answers["label"].answer,
        Answer::Text("jackknife q1?".into())
    );
    assert_eq!(&disk, app.session());
}

#[test]
fn clearing_a_follow_up_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut rt) = with_storage(dir.path());
    to_compute(&mut app, &mut rt);
    type_in(&mut app, &mut rt, "3e24");
    press(&mut app, &mut rt, KeyCode::Enter);
    type_in(&mut app, &mut rt, "demo");
    press(&mut app, &mut rt, KeyCode::Enter);
    assert_eq!(app.screen(), Screen::Results);
    let first = |s: &Session| s.follow_up.values().next().map(|f| f.status);
    use aiact::session::Progress::*;
    for want in [Some(NotStarted), Some(InProgress), Some(Done), None] {
        press(&mut app, &mut rt, KeyCode::Char('s'));
        assert_eq!(first(app.session()), want);
        assert_eq!(first(&saved(dir.path(), "jk model")), want, "on disk");
    }
    assert!(saved(dir.path(), "jk model").follow_up.is_empty());
    assert_eq!(app.saved_mark().0, "✓ saved");
}

#[test]
fn the_in_app_export_has_dates_a_full_path_and_the_real_name() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut rt) = with_storage(dir.path());
    press(&mut app, &mut rt, KeyCode::Enter);
    type_in(&mut app, &mut rt, "Müller Straße");
    press(&mut app, &mut rt, KeyCode::Enter);
    press(&mut app, &mut rt, KeyCode::Char('r'));
    assert_eq!(app.screen(), Screen::Results);
    press(&mut app, &mut rt, KeyCode::Char('e'));
    let report = dir
        .path()
        .join("reports")
        .join("aiact-report-müller-straße.md");
    let text =
        std::fs::read_to_string(&report).unwrap_or_else(|e| panic!("{}: {e}", report.display()));
    assert!(
        text.contains("2026-11-26 10:30 UTC"),
        "the session's dates are in the report:\n{text}"
    );
    assert!(!text.contains("created , last changed"), "{text}");
    let status = app_status(&app);
    assert!(
        status.contains(&report.display().to_string()),
        "the status names the full path: {status}"
    );
}

/// A relative export folder is taken from the working folder passed in
/// (not the process's), and the status names the full path.
#[test]
fn the_in_app_export_into_a_relative_folder_names_the_full_path() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    let store = Store::open(dir.path().join("data")).unwrap();
    let mut app = App::start(vec![fixture("kinds.ron")], Vec::new(), today())
        .with_clock(clock())
        .with_persistence(true);
    let mut rt = Runtime::new(
        Some(Box::new(SessionStorage::new(store, today()))),
        Some(std::path::PathBuf::from("my reports")),
    )
    .in_folder(Some(work.clone()));
    export_one(&mut app, &mut rt, "rel");
    let report = work.join("my reports").join("aiact-report-rel.md");
    assert!(report.is_file(), "{}", report.display());
    let status = app_status(&app);
    assert!(
        status.contains(&report.display().to_string()),
        "the status names the full path: {status}"
    );
}

/// Without `--export-dir` reports go to the environment's default folder
/// (the documents folder, read in `main`); the flag wins over it.
#[test]
fn without_export_dir_reports_go_to_the_default_folder() {
    use aiact::tui::launch::{Launch, export_folder, runtime};
    let dir = tempfile::tempdir().unwrap();
    let mut env = aiact::env::Env::fixed(today());
    env.export_dir = Some(dir.path().join("Documents"));
    env.cwd = Some(dir.path().join("work"));
    assert_eq!(
        export_folder(None, &env),
        Some(dir.path().join("Documents"))
    );
    assert_eq!(
        export_folder(Some(Path::new("elsewhere")), &env),
        Some(std::path::PathBuf::from("elsewhere"))
    );
    let store = Store::open(dir.path().join("data")).unwrap();
    let mut app = App::start(vec![fixture("kinds.ron")], Vec::new(), today())
        .with_clock(clock())
        .with_persistence(true);
    let storage = Box::new(SessionStorage::new(store, today()));
    let mut rt = runtime(Some(storage), &Launch::default(), &env);
    export_one(&mut app, &mut rt, "doc");
    let report = dir.path().join("Documents").join("aiact-report-doc.md");
    assert!(report.is_file(), "{}", report.display());
    // With the flag, relative to the working folder main read.
    let store = Store::open(dir.path().join("data")).unwrap();
    let mut app = App::start(vec![fixture("kinds.ron")], Vec::new(), today())
        .with_clock(clock())
        .with_persistence(true);
    let storage = Box::new(SessionStorage::new(store, today()));
    let launch = Launch {
        export_dir: Some("out".into()),
        ..Launch::default()
    };
    let mut rt = runtime(Some(storage), &launch, &env);
    export_one(&mut app, &mut rt, "flag");
    assert!(
        dir.path()
            .join("work")
            .join("out")
            .join("aiact-report-flag.md")
            .is_file()
    );
}

/// Starts a new assessment `name`, goes to the results and exports.
fn export_one(app: &mut App, rt: &mut Runtime, name: &str) {
    press(app, rt, KeyCode::Enter);
    type_in(app, rt, name);
    press(app, rt, KeyCode::Enter);
    press(app, rt, KeyCode::Char('r'));
    assert_eq!(app.screen(), Screen::Results);
    press(app, rt, KeyCode::Char('e'));
}

/// The app never names the command line: `cli` builds plain options for
/// it (no cycle between the two), and only `main` reads the clock and the
/// environment — locks are given their host and time.
#[test]
fn the_app_never_names_the_command_line() {
    for entry in std::fs::read_dir("src/tui").unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains("crate::cli") && !text.contains("cli::"),
            "{} names the command line",
            path.display()
        );
    }
    let lock = std::fs::read_to_string("src/session/lock.rs").unwrap();
    for reads in ["Timestamp::now", "std::env::var", "HOSTNAME"] {
        assert!(!lock.contains(reads), "src/session/lock.rs reads {reads}");
    }
    let sessions = std::fs::read_to_string("src/cli/sessions.rs").unwrap();
    assert!(
        !sessions.contains("is_terminal"),
        "src/cli/sessions.rs asks for a terminal itself"
    );
}

/// The status line, as drawn.
fn app_status(app: &App) -> String {
    let buf = draw(app, 200, 30);
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_session_of_a_newer_format_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("future.ron");
    std::fs::write(
        &file,
        "(\n    format_version: 2,\n    name: \"future\",\n    sections_seen: [\"a\"],\n)\n",
    )
    .unwrap();
    let e = Session::read(&file).unwrap_err().to_string();
    assert!(e.contains("made by a newer aiact"), "{e}");
    assert!(e.contains("format version 2"), "{e}");
    assert!(e.contains(":2:5:"), "points at format_version: {e}");
    assert!(
        !e.contains("sections_seen"),
        "not reported as a misspelled field: {e}"
    );
}

#[test]
fn a_questionnaire_of_a_newer_format_is_named_as_such() {
    let text = std::fs::read_to_string("tests/fixtures/valid/basic.ron")
        .unwrap()
        .replacen(
            "format_version: 1,",
            "format_version: 3,\n    chapters: [],",
            1,
        );
    let e = aiact::questionnaire::load_str("future.ron", &text)
        .unwrap_err()
        .to_string();
    assert!(e.contains("made by a newer aiact"), "{e}");
    assert!(!e.contains("chapters"), "{e}");
    // An old-format file with a typo is still a typo.
    let typo = std::fs::read_to_string("tests/fixtures/valid/basic.ron")
        .unwrap()
        .replacen(
            "format_version: 1,",
            "format_version: 1,\n    sectons: [],",
            1,
        );
    let e = aiact::questionnaire::load_str("typo.ron", &typo)
        .unwrap_err()
        .to_string();
    assert!(e.contains("sectons"), "{e}");
}

#[test]
fn a_custom_questionnaire_is_embedded_as_loaded_not_as_it_is_on_disk_later() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.ron");
    let original = std::fs::read_to_string("tests/fixtures/valid/basic.ron").unwrap();
    std::fs::write(&path, &original).unwrap();
    let q = aiact::questionnaire::load_path(&path).unwrap();
    // The file changes after loading (an editor saves, a pull lands).
    std::fs::write(&path, original.replace("title:", "title: \"changed\", // ")).unwrap();
    let s = Session::new("mine", &q, clock().now()).unwrap();
    let Origin::Custom { text, .. } = &s.questionnaire.origin else {
        panic!("a file is a custom questionnaire");
    };
    assert_eq!(text, &original, "the copy is the text that was loaded");
    let reloaded = aiact::questionnaire::load_str("copy", text).unwrap();
    assert_eq!(reloaded.text_hash, s.questionnaire.text_hash);
    assert_eq!(reloaded.logic_hash, s.questionnaire.logic_hash);
}

/// Going back to the start screen and resuming the session just changed, in
/// one go (faster than the disk): the app must show the last change, never
/// the file as it was before its save landed.
#[test]
fn resuming_the_session_just_changed_shows_the_change() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut rt) = with_storage(dir.path());
    let key = |app: &mut App, rt: &mut Runtime, code| {
        app.handle(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        rt.step(app); // no waiting for the disk in between
    };
    key(&mut app, &mut rt, KeyCode::Enter);
    for c in "mine".chars() {
        key(&mut app, &mut rt, KeyCode::Char(c));
    }
    key(&mut app, &mut rt, KeyCode::Enter);
    key(&mut app, &mut rt, KeyCode::Char('1'));
    key(&mut app, &mut rt, KeyCode::Enter); // role: build
    key(&mut app, &mut rt, KeyCode::Esc); // back to "role"
    key(&mut app, &mut rt, KeyCode::Esc); // back to the start screen
    assert_eq!(app.screen(), Screen::Start);
    // The start screen lists the session now: the questionnaire, then it.
    key(&mut app, &mut rt, KeyCode::Down);
    key(&mut app, &mut rt, KeyCode::Enter);
    assert_eq!(app.name(), "mine");
    assert_eq!(app.answer("role"), Some(&Answer::Choice("build".into())));
    rt.flush(&mut app);
    assert_eq!(&saved(dir.path(), "mine"), app.session());
    assert_eq!(app.saved_mark().0, "✓ saved");
}

/// A session that disappeared between listing and opening is reported as
/// not opened (not as a failed save), and the start screen stays.
#[test]
fn a_session_gone_before_opening_is_reported_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("data")).unwrap();
    let q = fixture("kinds.ron");
    aiact::assessment::create(
        &store,
        aiact::assessment::Naming::Exact("gone"),
        &q,
        &aiact::answers::Answers::new(),
        clock().now(),
        today(),
    )
    .unwrap();
    let sessions = aiact::tui::storage::summaries(&store);
    let mut app = App::start(vec![q], sessions, today())
        .with_clock(clock())
        .with_persistence(true);
    let mut rt = Runtime::new(
        Some(Box::new(SessionStorage::new(store, today()))),
        Some(dir.path().join("reports")),
    );
    std::fs::remove_file(dir.path().join("data").join("gone.ron")).unwrap();
    press(&mut app, &mut rt, KeyCode::Down);
    press(&mut app, &mut rt, KeyCode::Enter);
    assert_eq!(app.screen(), Screen::Start);
    let t = app_status(&app);
    assert!(t.contains("Could not open it"), "{t}");
    assert!(!t.contains("Could not save"), "{t}");
}

/// A new assessment whose file cannot be created (here: the data folder was
/// replaced by a file meanwhile; a name whose lock another aiact holds is
/// passed over now, see `sessions.rs`) must not be saved into the session
/// open before it, and must say that it is not saved.
#[test]
fn a_failed_create_never_writes_into_the_previous_session() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut rt) = with_storage(dir.path());
    press(&mut app, &mut rt, KeyCode::Enter);
    type_in(&mut app, &mut rt, "acme");
    press(&mut app, &mut rt, KeyCode::Enter);
    type_in(&mut app, &mut rt, "1");
    press(&mut app, &mut rt, KeyCode::Enter); // role: build
    press(&mut app, &mut rt, KeyCode::Esc); // back to role
    press(&mut app, &mut rt, KeyCode::Esc); // start screen
    let before = saved(dir.path(), "acme");
    assert_eq!(before.answers.len(), 1);
    let data = dir.path().join("data");
    let target = Store::open(&data).unwrap().path_for("acme-2").unwrap();
    // The data folder goes, a file in its place: nothing can be created.
    let moved = dir.path().join("data.moved");
    std::fs::rename(&data, &moved).unwrap();
    std::fs::write(&data, "not a folder").unwrap();
    press(&mut app, &mut rt, KeyCode::Enter);
    type_in(&mut app, &mut rt, "acme");
    press(&mut app, &mut rt, KeyCode::Enter);
    type_in(&mut app, &mut rt, "2");
    press(&mut app, &mut rt, KeyCode::Enter);
    std::fs::remove_file(&data).unwrap();
    std::fs::rename(&moved, &data).unwrap();
    assert_eq!(
        saved(dir.path(), "acme"),
        before,
        "the previous session is untouched"
    );
    assert!(!target.exists(), "no half-created file is left");
    assert!(!app.persistence());
    assert_eq!(app.saved_mark().0, "not saved");
    // Leaving says so (and exits 3, as every case of unsaved work does).
    let why = app
        .unsaved()
        .expect("quitting says the answers were not saved");
    assert!(why.contains("could not be created"), "{why}");
    // A new assessment whose file is created is saved again, and says nothing.
    press(&mut app, &mut rt, KeyCode::Esc);
    press(&mut app, &mut rt, KeyCode::Esc);
    assert_eq!(app.screen(), Screen::Start);
    press(&mut app, &mut rt, KeyCode::Enter);
    type_in(&mut app, &mut rt, "beta");
    press(&mut app, &mut rt, KeyCode::Enter);
    type_in(&mut app, &mut rt, "1");
    assert_eq!(app.unsaved(), None);
    assert_eq!(app.saved_mark().0, "✓ saved");
}

/// Pressing Esc on the "change it?" question keeps a pre-filled answer's
/// mark: the user has not accepted it.
#[test]
fn cancelling_a_change_keeps_the_prefill_mark() {
    let q = fixture("kinds.ron");
    let mut answers = aiact::answers::Answers::new();
    answers.insert("role".into(), Answer::Choice("build".into()));
    answers.insert("parts".into(), Answer::Choices(vec!["weights".into()]));
    answers.insert("paid".into(), Answer::Choice("no".into()));
    answers.insert("compute".into(), Answer::Number("3e24".into()));
    answers.insert("label".into(), Answer::Text("x".into()));
    let mut session = Session::draft("pre", &q, clock().now());
    for (id, a) in answers.clone() {
        session.set_answer(&id, a, clock().now());
    }
    session
        .prefilled
        .insert("role".into(), "README.md, front matter `role`".into());
    let mut app = App::new(q.clone(), answers, today());
    app.handle(Msg::Opened(Box::new(aiact::tui::Opened {
        session,
        questionnaire: q,
        read_only: None,
        notice: None,
    })));
    assert_eq!(
        app.screen(),
        Screen::Question(0),
        "the pre-answer comes first"
    );
    let key = |app: &mut App, code| app.handle(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    key(&mut app, KeyCode::Char('3')); // "I only use it": changes outcomes
    key(&mut app, KeyCode::Enter);
    assert!(matches!(
        app.overlay(),
        Some(aiact::tui::Overlay::Confirm { .. })
    ));
    key(&mut app, KeyCode::Esc);
    assert!(app.prefilled("role").is_some(), "still to be confirmed");
    key(&mut app, KeyCode::Char('1'));
    key(&mut app, KeyCode::Enter);
    assert!(app.prefilled("role").is_none(), "confirmed as it was");
}

/// A failed save is remembered until a later one succeeds, so leaving the
/// app can say so (the runner prints it and exits 3).
#[test]
fn a_failed_save_is_reported_until_a_later_one_lands() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut rt) = with_storage(dir.path());
    press(&mut app, &mut rt, KeyCode::Enter);
    type_in(&mut app, &mut rt, "kept");
    press(&mut app, &mut rt, KeyCode::Enter);
    assert_eq!(app.unsaved(), None);
    app.handle(Msg::SaveFailed("the disk is full".into()));
    assert_eq!(app.unsaved(), Some("the disk is full"));
    // An earlier save's confirmation arriving late does not clear it.
    app.handle(Msg::Saved(1));
    assert_eq!(app.unsaved(), Some("the disk is full"));
    // A new change, saved: now all is on disk.
    type_in(&mut app, &mut rt, "1");
    press(&mut app, &mut rt, KeyCode::Enter);
    assert_eq!(app.unsaved(), None);
    assert_eq!(app.saved_mark().0, "✓ saved");
}

#[test]
fn a_long_paste_goes_in_at_once_and_stays_one_line() {
    let mut input = aiact::tui::input::LineInput::new("ab");
    input.insert_str(&"x\ny\t".repeat(50_000));
    assert_eq!(
        input.text().chars().count(),
        2 + aiact::tui::input::MAX_PASTE_CHARS
    );
    assert!(!input.text().contains(['\n', '\t']));
    assert!(input.text().starts_with("abx y "));
}
