//! Facilitator mode (`aiact present`) without a terminal: snapshots at 60×18
//! and 120×40 in both themes (text, then the styles used, so a theme
//! regression shows), the preview of where each option leads, the notes
//! panel, and results revealed one group at a time. Fixture content only.

mod common;

mod tui_screens;

use std::collections::BTreeSet;

use aiact::answers::Answer;
use aiact::tui::app::{App, PresentTheme, Screen};
use aiact::tui::keys::{self, Mode};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;
use tui_screens::*;
use unicode_width::UnicodeWidthStr;

const THEMES: [(PresentTheme, &str); 2] = [
    (PresentTheme::Light, "light"),
    (PresentTheme::HighContrast, "high_contrast"),
];

fn presenting(answers: &[(&str, Answer)], theme: PresentTheme) -> App {
    app_with(answers).presenting(theme)
}

/// The buffer as text, then each distinct style (fg, bg, modifiers) used.
fn text_and_styles(buf: &Buffer) -> String {
    let mut out = String::new();
    let mut styles = BTreeSet::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            styles.insert(format!(
                "{:?} on {:?} {:?}",
                cell.fg, cell.bg, cell.modifier
            ));
            if skip > 0 {
                skip -= 1;
                continue;
            }
            line.push_str(cell.symbol());
            skip = cell.symbol().width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str("--- styles ---\n");
    for s in styles {
        out.push_str(&s);
        out.push('\n');
    }
    out
}

fn snap(name: &str, make: impl Fn(PresentTheme) -> App) {
    for (theme, theme_name) in THEMES {
        let app = make(theme);
        for (w, h) in [(60, 18), (120, 40)] {
            let buf = draw(&app, w, h);
            insta::assert_snapshot!(
                format!("present_{name}_{theme_name}_{w}x{h}"),
                text_and_styles(&buf)
            );
        }
    }
}

fn screen_text(app: &App, w: u16, h: u16) -> String {
    let s = text_and_styles(&draw(app, w, h));
    s.split("--- styles ---").next().unwrap().to_string()
}

#[test]
fn question_with_notes_and_preview() {
    snap("question", |t| {
        let mut app = presenting(&[], t);
        key(&mut app, KeyCode::Down);
        app
    });
    let mut app = presenting(&[], PresentTheme::Light);
    let t = screen_text(&app, 120, 40);
    assert!(t.contains("Facilitator"), "{t}");
    assert!(t.contains("Who in the room has trained"), "{t}");
    assert!(t.contains("If the room picks “I build it”"), "{t}");
    assert!(t.contains("→ next: Parts published"), "{t}");
    assert!(
        t.contains("+ Keep technical documentation: would apply"),
        "{t}"
    );
    // The notes panel hides and shows with `f`.
    key(&mut app, KeyCode::Char('f'));
    let t = screen_text(&app, 120, 40);
    assert!(!t.contains("Who in the room"), "{t}");
    key(&mut app, KeyCode::Char('f'));
    assert!(screen_text(&app, 60, 18).contains("Facilitator"));
}

#[test]
fn the_preview_follows_the_highlight_without_answering() {
    let mut app = presenting(&[], PresentTheme::HighContrast);
    let before = app.evaluations();
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    let t = screen_text(&app, 120, 40);
    assert!(t.contains("If the room picks “I only use it”"), "{t}");
    assert!(
        t.contains("− Keep technical documentation: would not apply"),
        "{t}"
    );
    assert!(app.answers().is_empty(), "previewing answers nothing");
    assert_eq!(
        app.evaluations(),
        before + 2,
        "one evaluation per highlight"
    );
    for _ in 0..20 {
        draw(&app, 120, 40);
    }
    assert_eq!(app.evaluations(), before + 2, "none per frame");
    // The last question's preview says that it ends.
    let mut last = presenting(
        &[
            ("role", Answer::Choice("build".into())),
            ("parts", Answer::Choices(vec!["weights".into()])),
            ("paid", Answer::Choice("no".into())),
            ("compute", Answer::Number("1e20".into())),
        ],
        PresentTheme::Light,
    );
    typed(&mut last, "demo");
    let t = screen_text(&last, 120, 40);
    assert!(t.contains("that is the last question"), "{t}");
}

#[test]
fn results_are_revealed_one_group_at_a_time() {
    let answers = [
        ("role", Answer::Choice("build".into())),
        ("parts", Answer::Choices(vec!["weights".into()])),
        ("paid", Answer::NotSure),
        ("compute", Answer::Number("3e24".into())),
        ("label", Answer::Text("demo".into())),
    ];
    let mut app = presenting(&answers, PresentTheme::Light);
    assert_eq!(app.screen(), Screen::Results);
    let t = screen_text(&app, 60, 18);
    assert!(t.contains("2 groups of results"), "{t}");
    assert!(
        !t.contains("Obligations"),
        "nothing shown before the reveal: {t}"
    );
    key(&mut app, KeyCode::Char(' '));
    let t = screen_text(&app, 60, 18);
    assert!(
        t.contains("Obligations") && !t.contains("Recommendations"),
        "{t}"
    );
    assert!(t.contains("Register as a provider (may apply)"), "{t}");
    snap("results_one_group", |t| {
        let mut app = presenting(&answers, t);
        key(&mut app, KeyCode::Char(' '));
        app
    });
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    let t = screen_text(&app, 120, 40);
    assert!(
        t.contains("Recommendations") && t.contains("not advice"),
        "{t}"
    );
    key(&mut app, KeyCode::Left);
    assert!(!screen_text(&app, 120, 40).contains("Recommendations"));
    // Back to the questions, and the results start hidden again.
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.screen(), Screen::Question(_)));
}

#[test]
fn help_covers_facilitator_mode() {
    let mut app = presenting(&[], PresentTheme::Light);
    assert_eq!(app.mode(), Mode::Present);
    key(&mut app, KeyCode::Char('?'));
    let t = screen_text(&app, 120, 40);
    for b in keys::table(Mode::Present) {
        assert!(t.contains(b.desc), "help lacks {}", b.desc);
    }
}

#[test]
fn themes_colour_the_whole_screen_and_never_panic() {
    for (theme, _) in THEMES {
        let app = presenting(&[], theme);
        let buf = draw(&app, 60, 18);
        let bg = match theme {
            PresentTheme::Light => Color::White,
            PresentTheme::HighContrast => Color::Black,
        };
        // Every cell but the highlighted option's has the theme's background.
        let plain = buf.content().iter().filter(|c| c.bg == bg).count();
        assert!(plain > buf.content().len() * 9 / 10, "{theme:?}");
        for (w, h) in [(0, 0), (59, 17), (60, 18), (61, 19), (200, 60)] {
            let t = screen_text(&app, w, h);
            for line in t.lines() {
                assert!(line.width() <= w as usize);
            }
        }
    }
}

#[test]
fn present_without_a_terminal_exits_3_with_a_hint() {
    let out = common::command()
        .args([
            "--today",
            "2026-11-26",
            "present",
            "--theme",
            "high-contrast",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("interactive terminal"), "{err}");
    let bad = common::command()
        .args(["present", "--theme", "neon"])
        .output()
        .unwrap();
    assert_eq!(
        bad.status.code(),
        Some(2),
        "an unknown theme is a usage error"
    );
}

const KEYS: &[KeyCode] = &[
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::Enter,
    KeyCode::Char(' '),
    KeyCode::Esc,
    KeyCode::Backspace,
    KeyCode::Left,
    KeyCode::Right,
    KeyCode::Char('1'),
    KeyCode::Char('3'),
    KeyCode::Char('f'),
    KeyCode::Char('r'),
    KeyCode::Char('?'),
    KeyCode::Char('7'),
    KeyCode::Char('語'),
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 32, ..Default::default() })]

    #[test]
    fn random_keys_in_facilitator_mode_never_panic(
        keys in proptest::collection::vec(0..KEYS.len(), 0..80),
        w in 0u16..160,
        h in 0u16..50,
        high_contrast in proptest::bool::ANY,
    ) {
        let theme = if high_contrast { PresentTheme::HighContrast } else { PresentTheme::Light };
        let mut app = presenting(&[], theme);
        for k in keys {
            key(&mut app, KEYS[k]);
            let _ = app.take_effects();
            draw(&app, w, h);
        }
        let p = app.present().unwrap();
        proptest::prop_assert!(p.revealed <= app.result_groups().len());
        if let Screen::Question(qi) = app.screen() {
            proptest::prop_assert!(app.selected() < app.rows(qi).len());
        }
    }
}
