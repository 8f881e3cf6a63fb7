//! The app states and buffers shared by the snapshot tests (`tests/tui.rs`)
//! and the README pictures (`tests/pictures.rs`), so the pictures show
//! exactly the screens the snapshots check.

#![allow(dead_code)]

use aiact::answers::{Answer, Answers};
use aiact::questionnaire::{Questionnaire, load_path};
use aiact::tui::app::{App, Msg, Screen};
use aiact::tui::view;
use jiff::civil::Date;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

pub fn fixture(name: &str) -> Questionnaire {
    let path = format!("{}/tests/fixtures/tui/{name}", env!("CARGO_MANIFEST_DIR"));
    load_path(std::path::Path::new(&path)).expect("fixture loads")
}

pub fn today() -> Date {
    aiact::parse_date("2026-11-26").unwrap()
}

pub fn app_with(answers: &[(&str, Answer)]) -> App {
    let answers: Answers = answers
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    App::new(fixture("kinds.ron"), answers, today()).with_name("demo")
}

pub fn key(app: &mut App, code: KeyCode) {
    app.handle(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

pub fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// The buffer as text, one line per row; the cell after a wide character is skipped.
pub fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            skip = sym.width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn draw(app: &App, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| view::render(app, f)).unwrap();
    term.backend().buffer().clone()
}

/// The start screen offering the fixture questionnaire.
pub fn at_start() -> App {
    App::start(vec![fixture("kinds.ron")], Vec::new(), today())
}

/// The first question, with its help panel open.
pub fn at_first_question() -> App {
    let app = app_with(&[]);
    assert_eq!(app.screen(), Screen::Question(0));
    app
}

/// The results of a complete assessment, the first outcome expanded and one
/// outcome provisional ("paid" is not sure).
pub fn at_results() -> App {
    let mut app = app_with(&[
        ("role", Answer::Choice("build".into())),
        ("parts", Answer::Choices(vec!["weights".into()])),
        ("paid", Answer::NotSure),
        ("compute", Answer::Number("3e24".into())),
        ("label", Answer::Text("demo".into())),
    ]);
    assert_eq!(app.screen(), Screen::Results);
    key(&mut app, KeyCode::Enter);
    app
}
