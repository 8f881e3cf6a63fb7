//! Format 2 in the terminal app: information screens shown with Continue
//! before the question they lead to, sections above prompts, markup
//! rendered, and a conclusion reached by keys. Drives the format-2 fixture.

mod tui_screens;

use aiact::answers::Answers;
use aiact::questionnaire::load_path;
use aiact::tui::app::{App, Msg, Screen};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Modifier;
use tui_screens::{draw, text};

fn app() -> App {
    let q = load_path(std::path::Path::new("tests/fixtures/valid/format2.ron")).unwrap();
    App::new(q, Answers::new(), aiact::parse_date("2026-12-06").unwrap()).with_name("demo")
}

fn key(app: &mut App, code: KeyCode) {
    app.handle(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn screen_id(app: &App) -> Option<String> {
    match app.screen() {
        Screen::Question(i) => Some(app.questionnaire().questions[i].id().to_string()),
        _ => None,
    }
}

#[test]
fn the_first_information_screen_is_shown_with_its_section_and_markup() {
    let app = app();
    assert_eq!(screen_id(&app).as_deref(), Some("welcome"));
    let buf = draw(&app, 80, 24);
    let shown = text(&buf);
    insta::assert_snapshot!("format2_welcome_80x24", shown);
    assert!(shown.contains("What it is · part 1 of 2"), "{shown}");
    assert!(shown.contains("• whether it is open,"), "{shown}");
    assert!(shown.contains("Continue"), "{shown}");
    assert!(
        !shown.contains("**"),
        "markup is rendered, not shown: {shown}"
    );
    // "open" is drawn bold.
    let bold = (0..buf.area.height).any(|y| {
        (0..buf.area.width.saturating_sub(4)).any(|x| {
            buf[(x, y)].symbol() == "o"
                && buf[(x + 1, y)].symbol() == "p"
                && buf[(x + 2, y)].symbol() == "e"
                && buf[(x + 3, y)].symbol() == "n"
                && buf[(x, y)].modifier.contains(Modifier::BOLD)
        })
    });
    assert!(bold, "strong text is bold");
}

#[test]
fn continue_back_and_a_conclusion_reached_by_keys() {
    let mut app = app();
    key(&mut app, KeyCode::Enter);
    assert_eq!(screen_id(&app).as_deref(), Some("kind"));
    // Back from the first question goes to the information screen before it.
    key(&mut app, KeyCode::Esc);
    assert_eq!(screen_id(&app).as_deref(), Some("welcome"));
    key(&mut app, KeyCode::Enter);
    // "Something else", then "no" twice.
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(screen_id(&app).as_deref(), Some("open"));
    let open = text(&draw(&app, 80, 24));
    assert!(open.contains("How you share it · part 2 of 2"), "{open}");
    assert!(
        open.contains("Not sure"),
        "yes/no offers not sure by default"
    );
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(screen_id(&app).as_deref(), Some("size"));
    let size = text(&draw(&app, 80, 24));
    assert!(!size.contains("Not sure"), "switched off: {size}");
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Enter);
    // The closing information screen comes before the results.
    assert_eq!(screen_id(&app).as_deref(), Some("closing"));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), Screen::Results);
    let results = text(&draw(&app, 80, 24));
    insta::assert_snapshot!("format2_results_80x24", results);
    assert!(results.contains("Small and closed"), "{results}");
    assert!(!results.contains("Open\n"), "{results}");
    assert_eq!(app.evaluation().answered(), 3);
}

#[test]
fn an_option_that_concludes_goes_straight_to_the_results() {
    let mut app = app();
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('1'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), Screen::Results);
    let q = app.questionnaire();
    assert_eq!(app.evaluation().concluded, q.outcome_index("c.model"));
}

/// Facilitator mode shows an information screen's text with its markup and
/// no preview (there is nothing to choose), at any size.
#[test]
fn facilitator_mode_shows_information_screens() {
    let app = app().presenting(aiact::tui::app::PresentTheme::Light);
    assert_eq!(screen_id(&app).as_deref(), Some("welcome"));
    for (w, h) in [(60, 18), (100, 30), (200, 60)] {
        let shown = text(&draw(&app, w, h));
        assert!(shown.contains("• whether it is open,"), "{w}x{h}: {shown}");
        assert!(!shown.contains("**"), "{w}x{h}: {shown}");
        assert!(!shown.contains("Highlight"), "no preview: {shown}");
    }
}
