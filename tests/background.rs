//! Background groups (`background: true`): their outcomes are context, not
//! results. Reports show them last without status words; model cards, counts
//! (list, aggregate, diff) and change notices leave them out; JSON keeps them,
//! marked. The fixture's "history" group is background; "history.open" holds
//! whenever the licence is open.

use std::path::Path;

mod common;

use aiact::answers::Answers;
use aiact::engine::evaluate;
use aiact::questionnaire::{Questionnaire, load_path, load_shipped};
use aiact::report::{Report, to_json, to_markdown, to_model_card};
use common::{aiact_in as aiact, ok};
use jiff::civil::{Date, date};

const TODAY: Date = date(2026, 11, 26);
const FIXTURE: &str = "tests/fixtures/whatif/ranking.ron";
const OPEN: &str = "tests/fixtures/whatif/ranking.answers.ron";
const CLOSED: &str = "tests/fixtures/whatif/closed.answers.ron";
const TITLE: &str = "Open licences were debated";

fn fixture() -> (Questionnaire, Answers) {
    let q = load_path(Path::new(FIXTURE)).unwrap();
    (q, aiact::cli::load_answers(Path::new(OPEN)).unwrap())
}

#[test]
fn the_flag_is_read_from_content_and_defaults_to_false() {
    let (q, answers) = fixture();
    let flags: Vec<(&str, bool)> = q
        .groups
        .iter()
        .map(|g| (g.id.as_str(), g.background))
        .collect();
    assert_eq!(flags, [("duty", false), ("tip", false), ("history", true)]);
    let ev = evaluate(&q, &answers, TODAY);
    let ids = |it: &mut dyn Iterator<Item = &aiact::engine::OutcomeResult>| {
        it.map(|o| q.outcomes[o.index].id().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&mut ev.results(&q)),
        ["duty.model", "duty.open", "tip.open"]
    );
    assert_eq!(ids(&mut ev.background(&q)), ["history.open"]);
}

#[test]
fn the_shipped_position_paper_group_is_background() {
    let q = load_shipped("eu-ai-act-oss").unwrap().unwrap();
    let background: Vec<&str> = q
        .groups
        .iter()
        .filter(|g| g.background)
        .map(|g| g.id.as_str())
        .collect();
    assert_eq!(background, ["paper"]);
}

#[test]
fn markdown_shows_background_last_without_status_words() {
    let (q, answers) = fixture();
    let ev = evaluate(&q, &answers, TODAY);
    let md = to_markdown(&Report::new(&q, &answers, &ev));
    let summary = md
        .split("## Summary")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    assert!(!summary.contains(TITLE), "{summary}");
    // The background section comes after the answers, right before the footer.
    let heading = "\n## How the rules came about\n";
    let at = md.find(heading).expect("background heading from content");
    assert!(md.find("## Answers").unwrap() < at);
    let section = &md[at..md.rfind("\n---\n").unwrap()];
    assert_eq!(
        md.matches(TITLE).count(),
        1,
        "the background outcome is shown once, in its section: {md}"
    );
    insta::assert_snapshot!("background_section", section);
    for word in ["applies", "provisional", "When", "Because", "Depends on"] {
        assert!(!section.contains(word), "{word:?} in {section}");
    }
    assert!(
        section.contains("### Open licences were debated"),
        "{section}"
    );
    assert!(section.contains("Fixture rules, Recital 1"), "{section}");
}

#[test]
fn model_cards_leave_background_out() {
    let (q, answers) = fixture();
    let ev = evaluate(&q, &answers, TODAY);
    let card = to_model_card(&Report::new(&q, &answers, &ev));
    assert!(!card.contains(TITLE), "{card}");
    assert!(!card.contains("How the rules came about"), "{card}");
    assert!(card.contains("Open model duty"), "{card}");
    // Background alone is not a result: the card says nothing applies.
    let mut data = Answers::new();
    data.insert("kind".into(), aiact::answers::Answer::Choice("data".into()));
    data.insert(
        "support".into(),
        aiact::answers::Answer::Choice("no".into()),
    );
    let ev = evaluate(&q, &data, TODAY);
    assert!(ev.results(&q).next().is_none());
    let card = to_model_card(&Report::new(&q, &data, &ev));
    assert!(card.contains("No outcome applies."), "{card}");
}

#[test]
fn json_keeps_background_outcomes_marked() {
    let (q, answers) = fixture();
    let ev = evaluate(&q, &answers, TODAY);
    let doc: serde_json::Value =
        serde_json::from_str(&to_json(&Report::new(&q, &answers, &ev))).unwrap();
    let marks: Vec<(String, bool)> = doc["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["id"].as_str().unwrap().to_string(),
                o["background"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [
            ("duty.model".to_string(), false),
            ("duty.open".to_string(), false),
            ("tip.open".to_string(), false),
            ("history.open".to_string(), true),
        ]
    );
}

fn sessions() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, answers) in [("open", OPEN), ("closed", CLOSED)] {
        ok(&aiact(
            dir.path(),
            &[
                "new",
                "--name",
                name,
                "--questionnaire",
                FIXTURE,
                "--answers",
                answers,
            ],
        ));
    }
    dir
}

#[test]
fn list_counts_results_only() {
    let dir = sessions();
    let out = ok(&aiact(dir.path(), &["list", "--format", "json"]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let open = doc["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "open")
        .unwrap();
    // duty.model, duty.open, tip.open; not history.open.
    assert_eq!(open["applies"], 3, "{open}");
    assert_eq!(open["provisional"], 0, "{open}");
}

#[test]
fn aggregate_leaves_background_out() {
    let dir = sessions();
    for format in ["markdown", "json"] {
        let out = ok(&aiact(
            dir.path(),
            &[
                "aggregate",
                dir.path().to_str().unwrap(),
                "--format",
                format,
            ],
        ));
        assert!(!out.contains("history.open"), "{out}");
        assert!(out.contains("duty.open"), "{out}");
    }
}

#[test]
fn diff_compares_results_only() {
    let dir = sessions();
    let out = ok(&aiact(
        dir.path(),
        &["diff", "open", "closed", "--format", "json"],
    ));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = doc["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    // history.open also disappears, but it has no status to compare.
    assert_eq!(ids, ["duty.open", "tip.open"], "{doc}");
    assert_eq!(doc["same_outcomes"], 1, "{doc}");
    let md = ok(&aiact(dir.path(), &["diff", "open", "closed"]));
    assert!(!md.contains(TITLE), "{md}");
    assert!(md.contains("1 outcome(s) are the same in both."), "{md}");
}

#[test]
fn outcome_change_notices_leave_background_out() {
    use aiact::answers::Answer;
    use aiact::session::{OpenMode, Session, Store};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("questionnaire.ron");
    std::fs::copy(FIXTURE, &path).unwrap();
    let q = load_path(&path).unwrap();
    let now: jiff::Timestamp = "2026-11-20T09:00:00Z".parse().unwrap();
    let mut s = Session::new("team", &q, now).unwrap();
    for (question, answer) in aiact::cli::load_answers(Path::new(OPEN)).unwrap() {
        s.set_answer(&question, answer, now);
    }
    s.record_evaluation(&q, &evaluate(&q, &s.answers(), TODAY));
    // Saved with the open licence; the answers now say closed, so open
    // outcomes are gone on the next open, background among them.
    s.set_answer("licence", Answer::Choice("closed".into()), now);
    s.set_answer("why_closed", Answer::Text("secret".into()), now);
    let store = Store::open(dir.path().join("data")).unwrap();
    store.create(&s).unwrap();
    let opened = store
        .open_session("team", OpenMode::ReadOnly, TODAY)
        .unwrap();
    let ids: Vec<&str> = opened
        .migration
        .changes
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, ["duty.open", "tip.open"]);
}

/// The results screen as text.
fn screen(app: &aiact::tui::App, w: u16, h: u16) -> String {
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    term.draw(|f| aiact::tui::view::render(app, f)).unwrap();
    let buf = term.backend().buffer();
    (0..h)
        .map(|y| {
            (0..w)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_app_shows_background_as_background_without_status_or_follow_up() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let (q, answers) = fixture();
    let mut app = aiact::tui::App::new(q, answers, TODAY);
    assert_eq!(app.screen(), aiact::tui::Screen::Results);
    let t = screen(&app, 120, 60);
    assert!(t.contains("Background: How the rules came about"), "{t}");
    assert!(
        t.contains("What was argued"),
        "the group's description: {t}"
    );
    let after = &t[t.find("Background:").unwrap()..];
    assert!(after.contains(TITLE), "{t}");
    assert!(!after.contains("applies from"), "no dates: {after}");
    assert!(!after.contains("[provisional]"), "no status: {after}");
    // Select the background item (the last one) and try a follow-up.
    let press = |app: &mut aiact::tui::App, code| {
        app.handle(aiact::tui::Msg::Key(KeyEvent::new(
            code,
            KeyModifiers::NONE,
        )))
    };
    for _ in 0..10 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Char('s'));
    assert!(
        app.session().follow_up.is_empty(),
        "background takes no follow-up"
    );
    press(&mut app, KeyCode::Enter);
    let t = screen(&app, 120, 60);
    let after = &t[t.find("Background:").unwrap()..];
    assert!(!after.contains("Follow-up:"), "{after}");
    assert!(!after.contains("What would change this"), "{after}");
    assert!(!after.contains("When:"), "{after}");
}

#[test]
fn w_shows_every_what_if_and_the_first_few_again() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    // Six questions can each end the one duty: more than the four shown first.
    let q = load_path(Path::new("tests/fixtures/whatif/many.ron")).unwrap();
    let answers: Answers = ["a", "b", "c", "d", "e", "f"]
        .iter()
        .map(|id| (id.to_string(), aiact::answers::Answer::Choice("yes".into())))
        .collect();
    let mut app = aiact::tui::App::new(q, answers, TODAY);
    let press = |app: &mut aiact::tui::App, code| {
        app.handle(aiact::tui::Msg::Key(KeyEvent::new(
            code,
            KeyModifiers::NONE,
        )))
    };
    press(&mut app, KeyCode::Enter);
    let bullets = |t: &str| {
        let start = t.find("What would change this:").expect("what-if shown");
        t[start..]
            .lines()
            .skip(1)
            .take_while(|l| !l.contains("Sources:"))
            .filter(|l| l.trim_start().starts_with('•'))
            .count()
    };
    let few = screen(&app, 120, 80);
    assert_eq!(bullets(&few), 4, "{few}");
    assert!(few.contains("more (w shows them all)"), "{few}");
    press(&mut app, KeyCode::Char('w'));
    let all = screen(&app, 120, 80);
    assert!(bullets(&all) > bullets(&few), "{few}\n---\n{all}");
    assert!(all.contains("(w shows the first 4 only)"), "{all}");
    press(&mut app, KeyCode::Char('w'));
    assert_eq!(bullets(&screen(&app, 120, 80)), bullets(&few));
}

/// Changing an earlier answer lists what changes among the results; the
/// background items that come and go with it are not "changes" to confirm.
#[test]
fn the_confirm_overlay_lists_results_not_background() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let (q, answers) = fixture();
    let mut app = aiact::tui::App::new(q, answers, TODAY);
    let press = |app: &mut aiact::tui::App, code| {
        app.handle(aiact::tui::Msg::Key(KeyEvent::new(
            code,
            KeyModifiers::NONE,
        )))
    };
    // To the licence question, then pick "Closed".
    let licence = app.questionnaire().question_index("licence").unwrap();
    app.enter_question(licence);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    let Some(aiact::tui::Overlay::Confirm { changes, .. }) = app.overlay() else {
        panic!("a change of outcomes asks first: {:?}", app.overlay());
    };
    let ids: Vec<&str> = changes.iter().map(|c| c.id.as_str()).collect();
    assert!(ids.contains(&"duty.open"), "{ids:?}");
    assert!(!ids.contains(&"history.open"), "{ids:?}");
}
