//! One full frame of the app at 200×60 into a TestBackend: the question
//! screen (help panel open, answers panel beside it) and the results screen
//! (an outcome opened), on the shipped questionnaire with realistic answers.
//! The target is under 1 ms a frame, so redraws never lag behind keys;
//! `empty_frame` is the terminal's own share (diff and buffer swap).

use std::hint::black_box;
use std::path::Path;

use aiact::answers::Answer;
use aiact::questionnaire::load_shipped;
use aiact::tui::app::{App, Msg, Screen};
use aiact::tui::view;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn apps() -> (App, App) {
    let q = load_shipped("eu-ai-act-oss")
        .expect("shipped")
        .expect("valid");
    let today = aiact::parse_date("2026-11-26").unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui/gpai.answers.ron");
    let mut answers = aiact::cli::load_answers(&path).expect("answers file");
    // "Not sure" on `modifies` leaves questions open: the question screen.
    let question = App::new(q.clone(), answers.clone(), today).with_name("demo");
    assert!(matches!(question.screen(), Screen::Question(_)));
    answers.insert("modifies".into(), Answer::Choice("no".into()));
    let mut results = App::new(q, answers, today).with_name("demo");
    assert_eq!(results.screen(), Screen::Results);
    results.handle(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    (question, results)
}

fn render(c: &mut Criterion) {
    let (question, results) = apps();
    let mut group = c.benchmark_group("render_200x60");
    for (name, app) in [("question", &question), ("results", &results)] {
        let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| {
                term.draw(|f| view::render(black_box(app), f)).unwrap();
            })
        });
    }
    // What the terminal's diff and buffer swap cost without drawing anything.
    let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap();
    group.bench_function("empty_frame", |b| {
        b.iter(|| {
            term.draw(|_f| {}).unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
