//! The app and its storage together, checked against what is on disk: a
//! model-based property test. Random keys (every printable character, j/k/q
//! and digits in text fields included), window resizes, start-screen
//! navigation, several new assessments, quitting and starting again drive
//! the real `App` through the real `Runtime` into real session files in a
//! temporary folder. After every step the app reports "saved", the file of
//! its session holds exactly the app's session; every session created along
//! the way keeps its own file with the state it was last saved in.
//!
//! Failures are kept by proptest in `proptest-regressions/app_storage.txt`
//! and replayed first on the next run; the failing seed is printed.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use aiact::env::Clock;
use aiact::questionnaire::{Questionnaire, load_path};
use aiact::session::{Session, Store};
use aiact::tui::app::{App, Msg, Screen};
use aiact::tui::storage::{SessionStorage, summaries};
use aiact::tui::{Runtime, view};
use jiff::Timestamp;
use jiff::civil::Date;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn today() -> Date {
    Date::constant(2026, 11, 26)
}

fn questionnaires() -> Vec<Questionnaire> {
    [
        "tests/fixtures/tui/kinds.ron",
        "tests/fixtures/valid/basic.ron",
    ]
    .iter()
    .map(|p| load_path(Path::new(p)).unwrap())
    .collect()
}

/// One thing the user does.
#[derive(Debug, Clone)]
enum Step {
    Key(KeyCode, KeyModifiers),
    /// The window changes size: the app is drawn at the new size.
    Resize(u16, u16),
    /// Quit (saving what is pending) and start `aiact` again.
    Restart,
    /// A few keys in a row that make progress ("1 Enter", "5 Enter", …), so
    /// random runs reach the results, notes and follow-ups, not only the
    /// first screens.
    Keys(&'static str),
}

fn step() -> impl Strategy<Value = Step> {
    let printable = prop_oneof![
        (0x20u8..0x7f).prop_map(|b| b as char),
        prop::sample::select(vec!['j', 'k', 'q', '1', '2', '9', 'ü', 'ß', '語', '✓']),
    ];
    let special = prop::sample::select(vec![
        KeyCode::Enter,
        KeyCode::Enter,
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Backspace,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Delete,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::F(1),
    ]);
    prop_oneof![
        6 => printable.prop_map(|c| Step::Key(KeyCode::Char(c), KeyModifiers::NONE)),
        6 => special.prop_map(|k| Step::Key(k, KeyModifiers::NONE)),
        1 => prop::sample::select(vec!['a', 'e', 'c'])
            .prop_map(|c| Step::Key(KeyCode::Char(c), KeyModifiers::CONTROL)),
        1 => (20u16..160, 5u16..50).prop_map(|(w, h)| Step::Resize(w, h)),
        1 => Just(Step::Restart),
        8 => prop::sample::select(vec![
            "1⏎", "2⏎", "3⏎", " ⏎", "5⏎", "5e24⏎", "ok⏎", "s", "ss", "r", "⏎", "nfine⏎", "n⌫⌫⌫⌫⏎",
            "⏎x⏎", "↓⏎",
        ])
        .prop_map(Step::Keys),
    ]
}

/// The running program: the app, its runtime, the terminal it draws on.
struct Program {
    app: App,
    runtime: Runtime,
    term: Terminal<TestBackend>,
}

fn launch(dir: &Path, clock: &Clock) -> Program {
    let store = Store::open(dir.join("data")).unwrap();
    let sessions = summaries(&store);
    let app = App::start(questionnaires(), sessions, today())
        .with_clock(clock.clone())
        .with_persistence(true);
    let storage = SessionStorage::new(store, today());
    let runtime = Runtime::new(Some(Box::new(storage)), Some(dir.join("reports")));
    let mut p = Program {
        app,
        runtime,
        term: Terminal::new(TestBackend::new(100, 30)).unwrap(),
    };
    p.draw();
    p
}

impl Program {
    fn draw(&mut self) {
        self.term.draw(|f| view::render(&self.app, f)).unwrap();
    }

    /// Carries out the app's effects and waits until saves are on disk.
    fn settle(&mut self) {
        self.runtime.step(&mut self.app);
        self.runtime.flush(&mut self.app);
    }

    fn quit(mut self) {
        self.settle();
    }
}

fn stored(dir: &Path) -> BTreeMap<String, Session> {
    let store = Store::open(dir.join("data")).unwrap();
    store
        .list()
        .unwrap()
        .into_iter()
        .map(|l| {
            let s = l.session.expect("every session file reads back");
            (s.name.clone(), s)
        })
        .collect()
}

/// Runs `steps` and checks disk against the app after each one.
fn check(steps: &[Step]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let seconds = Arc::new(AtomicI64::new(1_790_000_000));
    let clock = {
        let s = Arc::clone(&seconds);
        Clock::from_fn(move || Timestamp::from_second(s.fetch_add(1, Ordering::SeqCst)).unwrap())
    };
    // The model: every session created so far, as last seen saved.
    let mut model: BTreeMap<String, Session> = BTreeMap::new();
    let mut program = launch(dir.path(), &clock);
    for (i, step) in steps.iter().enumerate() {
        match step {
            Step::Key(code, mods) => {
                program.app.handle(Msg::Key(KeyEvent::new(*code, *mods)));
                program.draw();
            }
            Step::Resize(w, h) => {
                program.term.backend_mut().resize(*w, *h);
                program.draw();
            }
            Step::Restart => {
                program.quit();
                program = launch(dir.path(), &clock);
            }
            Step::Keys(text) => {
                for k in keys(text) {
                    if let Step::Key(code, mods) = k {
                        program.app.handle(Msg::Key(KeyEvent::new(code, mods)));
                        program.settle();
                        if program.app.should_quit() {
                            break;
                        }
                    }
                }
                program.draw();
            }
        }
        program.settle();
        if program.app.should_quit() {
            program.quit();
            program = launch(dir.path(), &clock);
        }
        let app = &program.app;
        let session = app.session();
        let on_disk = stored(dir.path());
        if !session.name.is_empty() && app.saved_mark().0 == "✓ saved" {
            let file = on_disk.get(&session.name);
            prop_assert!(
                file.is_some(),
                "step {i} ({step:?}): “{}” is shown as saved but has no file; files: {:?}",
                session.name,
                on_disk.keys().collect::<Vec<_>>()
            );
            prop_assert_eq!(
                file.unwrap(),
                session,
                "step {} ({:?}): the file differs from what the app shows",
                i,
                step
            );
            model.insert(session.name.clone(), session.clone());
        }
        // No session is lost or overwritten by another.
        for (name, last) in &model {
            let file = on_disk.get(name);
            prop_assert!(file.is_some(), "step {i}: the file of “{name}” is gone");
            if name != &session.name {
                prop_assert_eq!(
                    file.unwrap(),
                    last,
                    "step {}: “{}” changed while another session was open",
                    i,
                    name
                );
            }
        }
        if let Screen::Question(qi) = app.screen() {
            prop_assert!(app.evaluation().path.contains(&qi));
        }
    }
    program.quit();
    // After the last quit every session is on disk as last shown.
    let on_disk = stored(dir.path());
    for (name, last) in &model {
        prop_assert_eq!(on_disk.get(name), Some(last), "after quitting: “{}”", name);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn disk_always_holds_what_the_app_shows(steps in prop::collection::vec(step(), 1..160)) {
        check(&steps)?;
    }
}

fn keys(text: &str) -> Vec<Step> {
    text.chars()
        .map(|c| match c {
            '⏎' => Step::Key(KeyCode::Enter, KeyModifiers::NONE),
            '⎋' => Step::Key(KeyCode::Esc, KeyModifiers::NONE),
            '↓' => Step::Key(KeyCode::Down, KeyModifiers::NONE),
            '⌫' => Step::Key(KeyCode::Backspace, KeyModifiers::NONE),
            c => Step::Key(KeyCode::Char(c), KeyModifiers::NONE),
        })
        .collect()
}

/// Defect: start → new "alpha" → back to start → new "beta" wrote beta's
/// answers into alpha's file and made no beta file.
#[test]
fn a_second_new_assessment_gets_its_own_file() {
    let mut steps = keys("⏎alpha⏎1⏎");
    // Back to the first question, then to the start screen.
    steps.extend(keys("⌫⌫⌫"));
    steps.extend(keys("⏎beta⏎2⏎"));
    check(&steps).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::fixed(Timestamp::from_second(1_790_000_000).unwrap());
    let mut p = launch(dir.path(), &clock);
    for s in &steps {
        if let Step::Key(c, m) = s {
            p.app.handle(Msg::Key(KeyEvent::new(*c, *m)));
            p.settle();
        }
    }
    p.quit();
    let on_disk = stored(dir.path());
    assert_eq!(
        on_disk.keys().collect::<Vec<_>>(),
        ["alpha", "beta"],
        "each assessment has its own file"
    );
    let first = |s: &Session| s.answers.values().next().map(|a| a.answer.clone());
    assert_ne!(first(&on_disk["alpha"]), None);
    assert_ne!(first(&on_disk["beta"]), None);
    assert_ne!(on_disk["alpha"].answers, on_disk["beta"].answers);
}
