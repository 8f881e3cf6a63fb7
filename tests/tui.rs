//! The terminal app without a terminal: snapshots of every screen rendered
//! into ratatui's TestBackend, style checks, the evaluation counter, and a
//! property test of random keys at random sizes. Drives fixture
//! questionnaires only.

mod tui_screens;

use aiact::answers::Answer;
use aiact::tui::app::{App, Msg, Overlay, Screen};
use aiact::tui::view;
use proptest::prelude::*;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};
use tui_screens::*;
use unicode_width::UnicodeWidthStr;

fn snap(name: &str, app: &App) {
    for (w, h) in [(80, 24), (140, 40)] {
        let buf = draw(app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text(&buf));
    }
}

/// The row of the selection marker, and whether the selected text is reversed.
fn marker_row(buf: &Buffer) -> Option<(u16, bool)> {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width.saturating_sub(2) {
            if buf[(x, y)].symbol() == view::MARKER {
                let after = &buf[(x + 2, y)];
                return Some((y, after.modifier.contains(Modifier::REVERSED)));
            }
        }
    }
    None
}

#[test]
fn start_screen() {
    snap("start", &at_start());
}

#[test]
fn single_choice_with_help_open() {
    let app = at_first_question();
    snap("single_help", &app);
    let buf = draw(&app, 80, 24);
    let (row, reversed) = marker_row(&buf).expect("a selection marker");
    assert!(reversed, "the selected option is reversed");
    assert!(
        text(&buf)
            .lines()
            .nth(row as usize)
            .unwrap()
            .contains("I build it")
    );
    // The URL is printed whole on its own line in a wide window.
    let wide = text(&draw(&app, 140, 40));
    assert!(wide.contains(
        "https://example.org/a/very/long/path/to/the/fixture/rulebook/that/must/never/be/wrapped/article-53"
    ));
}

#[test]
fn multiple_choice_with_exclusive_option() {
    let mut app = app_with(&[("role", Answer::Choice("build".into()))]);
    assert_eq!(app.screen(), Screen::Question(1));
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char(' '));
    snap("multiple", &app);
    // Ticking "None of these" clears the others.
    key(&mut app, KeyCode::Char('4'));
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("[x] None of these"), "{t}");
    assert!(t.contains("[ ] Model weights"), "{t}");
    // Ticking another clears the exclusive one.
    key(&mut app, KeyCode::Char('1'));
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("[ ] None of these") && t.contains("[x] Model weights"));
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.answers().get("parts"),
        Some(&Answer::Choices(vec!["weights".into()]))
    );
}

fn at_number() -> App {
    app_with(&[
        ("role", Answer::Choice("build".into())),
        ("parts", Answer::Choices(vec!["weights".into()])),
        ("paid", Answer::Choice("no".into())),
    ])
}

#[test]
fn number_input_with_an_error() {
    let mut app = at_number();
    assert_eq!(app.screen(), Screen::Question(3));
    typed(&mut app, "12 parsecs");
    key(&mut app, KeyCode::Enter);
    assert!(app.error().is_some_and(|e| e.contains("not a number")));
    snap("number_error", &app);
    // `q` types while in the field; it does not quit.
    typed(&mut app, "q");
    assert!(!app.should_quit());
}

#[test]
fn estimate_helper_fills_the_number() {
    let mut app = at_number();
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay(), Some(Overlay::Estimate { .. })));
    typed(&mut app, "7B");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "2T");
    snap("estimate", &app);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.answers().get("compute"),
        Some(&Answer::Number("8.4e22".into()))
    );
}

#[test]
fn text_question_with_cjk_and_rtl() {
    let mut app = app_with(&[
        ("role", Answer::Choice("build".into())),
        ("parts", Answer::Choices(vec!["weights".into()])),
        ("paid", Answer::Choice("no".into())),
        ("compute", Answer::Number("1e20".into())),
    ]);
    app.handle(Msg::Paste("日本語モデル مرحبا\u{1b}[31m".into()));
    snap("text_cjk", &app);
    for (w, h) in [(60, 16), (61, 17), (79, 23)] {
        let t = text(&draw(&app, w, h));
        for line in t.lines() {
            assert!(line.width() <= w as usize, "overflow at {w}: {line}");
        }
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.answers().get("label"),
        Some(&Answer::Text("日本語モデル مرحبا[31m".into()))
    );
    assert_eq!(app.screen(), Screen::Results);
}

#[test]
fn results_with_an_expanded_and_a_provisional_outcome() {
    let mut app = at_results();
    snap("results", &app);
    let t = text(&draw(&app, 140, 40));
    assert!(t.contains("[provisional]"), "{t}");
    assert!(
        t.contains("applies from 2 August 2027 (in 249 days)"),
        "{t}"
    );
    // What would change it, from the engine's what-if search.
    assert!(t.contains("What would change this:"), "{t}");
    assert!(
        t.contains(
            "If you answered “I share someone else's” to “Role” (or 1 other answer to “Role”)"
        ),
        "{t}"
    );
    // Groups in the content's order.
    assert!(t.find("Obligations").unwrap() < t.find("Recommendations").unwrap());
    // Follow-up status cycles and shows.
    key(&mut app, KeyCode::Char('s'));
    key(&mut app, KeyCode::Char('s'));
    let t = text(&draw(&app, 80, 24));
    assert!(
        t.contains("Follow-up set to in progress: Keep technical documentation"),
        "the footer says what changed: {t}"
    );
    assert!(
        t.contains("Keep technical documentation [in progress]"),
        "the outcome's line shows it: {t}"
    );
}

#[test]
fn help_overlay_is_generated_from_the_mode_table() {
    let mut app = app_with(&[]);
    key(&mut app, KeyCode::Char('?'));
    snap("help_question", &app);
    let t = text(&draw(&app, 80, 24));
    for b in aiact::tui::keys::table(aiact::tui::Mode::Question) {
        assert!(t.contains(b.desc), "help lacks {}", b.desc);
    }
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());
    let mut results = at_results();
    key(&mut results, KeyCode::Char('?'));
    snap("help_results", &results);
}

#[test]
fn too_small() {
    let app = app_with(&[]);
    let buf = draw(&app, 40, 10);
    let t = text(&buf);
    assert!(t.contains("Please enlarge"), "{t}");
    insta::assert_snapshot!("too_small_40x10", t);
    // Tiny and zero sizes never panic.
    for (w, h) in [(0, 0), (1, 1), (59, 30), (200, 15)] {
        draw(&app, w, h);
    }
}

#[test]
fn no_color_still_marks_the_selection() {
    let app = app_with(&[]).with_color(false);
    let buf = draw(&app, 80, 24);
    let (_, reversed) = marker_row(&buf).expect("marker without colour");
    assert!(reversed);
    for cell in buf.content() {
        assert_eq!(cell.fg, Color::Reset, "a colour under NO_COLOR");
        assert_eq!(cell.bg, Color::Reset, "a colour under NO_COLOR");
    }
}

#[test]
fn changing_an_earlier_answer_shows_the_outcome_changes_first() {
    let mut app = at_results();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Enter); // the first answer: role
    assert_eq!(app.screen(), Screen::Question(0));
    key(&mut app, KeyCode::Char('3')); // "I only use it"
    assert!(app.overlay().is_none(), "a digit only selects");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay(), Some(Overlay::Confirm { .. })));
    snap("confirm_change", &app);
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.answers().get("role"),
        Some(&Answer::Choice("build".into()))
    );
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.answers().get("role"),
        Some(&Answer::Choice("use".into()))
    );
}

#[test]
fn the_engine_runs_once_per_change_not_per_frame() {
    let mut app = app_with(&[]);
    let start = app.evaluations();
    for _ in 0..50 {
        draw(&app, 80, 24);
    }
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Char('h'));
    key(&mut app, KeyCode::Char('?'));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.evaluations(), start, "no change, no evaluation");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.evaluations(), start + 1, "one answer, one evaluation");
    for _ in 0..50 {
        draw(&app, 140, 40);
    }
    assert_eq!(app.evaluations(), start + 1);
}

#[test]
fn quitting_and_saving_are_effects() {
    let mut app = app_with(&[]).with_persistence(true);
    key(&mut app, KeyCode::Enter);
    let effects = app.take_effects();
    assert_eq!(effects, vec![aiact::tui::Effect::Save(1)]);
    assert_eq!(app.saved_mark().0, "saving…");
    app.handle(Msg::Saved(1));
    assert_eq!(app.saved_mark().0, "✓ saved");
    app.handle(Msg::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert!(app.should_quit());
}

const KEYS: &[KeyCode] = &[
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::Enter,
    KeyCode::Char(' '),
    KeyCode::Esc,
    KeyCode::Backspace,
    KeyCode::Tab,
    KeyCode::Char('1'),
    KeyCode::Char('2'),
    KeyCode::Char('3'),
    KeyCode::Char('4'),
    KeyCode::Char('5'),
    KeyCode::Char('h'),
    KeyCode::Char('n'),
    KeyCode::Char('r'),
    KeyCode::Char('?'),
    KeyCode::Char('s'),
    KeyCode::Char('e'),
    KeyCode::Char('7'),
    KeyCode::Char('B'),
    KeyCode::Char('語'),
    KeyCode::PageDown,
    KeyCode::Left,
    KeyCode::Delete,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_keys_at_random_sizes_never_panic(
        keys in proptest::collection::vec(0..KEYS.len(), 0..120),
        w in 0u16..200,
        h in 0u16..60,
    ) {
        let mut app = app_with(&[]);
        for k in keys {
            key(&mut app, KEYS[k]);
            let _ = app.take_effects();
            draw(&app, w, h);
        }
        let q = app.questionnaire().clone();
        // No stale result: the evaluation is that of the answers held.
        let fresh = aiact::engine::evaluate(&q, &app.answers(), today());
        prop_assert_eq!(&fresh, app.evaluation());
        // Every answer held was validated when confirmed.
        for (id, a) in &app.answers() {
            prop_assert!(q.question(id).unwrap().resolve(a).is_ok());
        }
        if let Screen::Question(qi) = app.screen() {
            prop_assert!(app.evaluation().path.contains(&qi));
            prop_assert!(app.selected() < app.rows(qi).len());
        }
    }
}
