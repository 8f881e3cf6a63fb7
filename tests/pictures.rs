//! The README's pictures of the app (start, a question with its help open,
//! results), drawn as SVG from the same TestBackend buffers the snapshot tests
//! check. The test fails when a committed picture differs from what the app
//! draws now; `UPDATE_PICTURES=1 cargo test --test pictures` rewrites them.

mod tui_screens;

use std::path::PathBuf;

use aiact::tui::App;
use aiact::tui::svg::to_svg;
use tui_screens::*;

/// (file in `assets/`, what it shows, the app, width, height)
fn pictures() -> Vec<(&'static str, &'static str, App, u16, u16)> {
    vec![
        (
            "screen-start.svg",
            "aiact: the start screen",
            at_start(),
            80,
            24,
        ),
        (
            "screen-question.svg",
            "aiact: a question with its help panel open",
            at_first_question(),
            80,
            24,
        ),
        (
            "screen-results.svg",
            "aiact: results with an expanded outcome and a provisional one",
            at_results(),
            140,
            40,
        ),
    ]
}

#[test]
fn readme_pictures_are_up_to_date() {
    let update = std::env::var_os("UPDATE_PICTURES").is_some_and(|v| !v.is_empty() && v != "0");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
    let mut stale = Vec::new();
    for (file, title, app, w, h) in pictures() {
        let svg = to_svg(&draw(&app, w, h), title);
        let path = dir.join(file);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed == svg {
            continue;
        }
        if update {
            std::fs::create_dir_all(&dir).expect("create assets/");
            std::fs::write(&path, &svg).expect("write the picture");
        } else {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "these pictures differ from what the app draws now: {stale:?}; \
         if the change is intended, run `UPDATE_PICTURES=1 cargo test --test pictures` \
         and commit assets/"
    );
}
