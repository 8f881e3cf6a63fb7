//! Engine behaviour on the basic fixture: routing, every condition kind with
//! three-valued results, facts, dates, reasons and diffs.

use aiact::answers::{Answer, Answers};
use aiact::engine::{Status, diff, evaluate};
use aiact::questionnaire::{Questionnaire, load_path};
use jiff::civil::{Date, date};

fn fixture() -> Questionnaire {
    load_path(std::path::Path::new("tests/fixtures/valid/basic.ron")).unwrap()
}

const TODAY: Date = date(2026, 11, 26);

fn answers(pairs: &[(&str, Answer)]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn choice(id: &str) -> Answer {
    Answer::Choice(id.into())
}

fn status(q: &Questionnaire, a: &Answers, id: &str) -> Option<Status> {
    let ev = evaluate(q, a, TODAY);
    ev.outcomes
        .iter()
        .find(|o| q.outcomes[o.index].id() == id)
        .map(|o| o.status)
}

fn path_ids(q: &Questionnaire, a: &Answers) -> Vec<String> {
    evaluate(q, a, TODAY)
        .path
        .iter()
        .map(|&i| q.questions[i].id().to_string())
        .collect()
}

#[test]
fn an_empty_session_starts_at_the_first_question() {
    let q = fixture();
    let ev = evaluate(&q, &Answers::new(), TODAY);
    assert_eq!(ev.current, Some(0));
    assert_eq!(ev.answered(), 0);
    // kind → size → big → colour → name is the longest; kind → end the shortest.
    assert_eq!(ev.remaining, (1, 5));
    // Everything that could apply is provisional, nothing applies.
    assert!(ev.outcomes.iter().all(|o| o.status == Status::Provisional));
}

#[test]
fn per_option_next_routes() {
    let q = fixture();
    assert_eq!(
        path_ids(&q, &answers(&[("kind", choice("data"))])),
        ["kind", "colour"]
    );
    assert_eq!(
        path_ids(&q, &answers(&[("kind", choice("model"))])),
        ["kind", "size"]
    );
    let ev = evaluate(&q, &answers(&[("kind", choice("other"))]), TODAY);
    assert!(ev.is_complete());
    assert_eq!(ev.path.len(), 1);
}

#[test]
fn ordered_routes_take_the_first_match_then_the_fallback() {
    let q = fixture();
    let big = answers(&[
        ("kind", choice("model")),
        ("size", Answer::Number("3e25".into())),
    ]);
    assert_eq!(path_ids(&q, &big), ["kind", "size", "big"]);
    let small = answers(&[
        ("kind", choice("model")),
        ("size", Answer::Number("1e24".into())),
    ]);
    assert_eq!(path_ids(&q, &small), ["kind", "size", "colour"]);
    // Exactly at the threshold is not greater than it.
    let edge = answers(&[
        ("kind", choice("model")),
        ("size", Answer::Number("1×10^25".into())),
    ]);
    assert_eq!(path_ids(&q, &edge), ["kind", "size", "colour"]);
}

#[test]
fn not_sure_takes_the_route_that_asks_more() {
    let q = fixture();
    let a = answers(&[("kind", choice("model")), ("size", Answer::NotSure)]);
    assert_eq!(path_ids(&q, &a), ["kind", "size", "big"]);
}

#[test]
fn facts_and_number_comparisons_are_three_valued() {
    let q = fixture();
    let base = [("kind", choice("model"))];
    let with = |size: Answer| {
        let mut a = answers(&base);
        a.insert("size".into(), size);
        a
    };
    assert_eq!(
        status(&q, &with(Answer::Number("2e23".into())), "yes.large"),
        Some(Status::Applies)
    );
    assert_eq!(
        status(&q, &with(Answer::Number("1e23".into())), "yes.large"),
        Some(Status::Applies)
    );
    assert_eq!(
        status(&q, &with(Answer::Number("9e22".into())), "yes.large"),
        None
    );
    assert_eq!(
        status(&q, &with(Answer::NotSure), "yes.large"),
        Some(Status::Provisional)
    );
    assert_eq!(
        status(&q, &with(Answer::NotSure), "maybe.unsure"),
        Some(Status::Applies)
    );
    // Unanswered but still ahead: provisional.
    assert_eq!(
        status(&q, &answers(&base), "yes.large"),
        Some(Status::Provisional)
    );
}

#[test]
fn off_path_answers_are_kept_but_ignored() {
    let q = fixture();
    let a = answers(&[
        ("kind", choice("data")),
        ("size", Answer::Number("5e25".into())),
        ("big", choice("yes")),
        ("colour", Answer::Choices(vec!["blue".into()])),
        ("name", Answer::Text("x".into())),
    ]);
    let ev = evaluate(&q, &a, TODAY);
    assert!(ev.is_complete());
    assert_eq!(ev.off_path.len(), 2);
    assert_eq!(status(&q, &a, "yes.large"), None);
    assert_eq!(status(&q, &a, "yes.huge"), None);
    let without: Answers = a
        .iter()
        .filter(|(k, _)| *k != "size" && *k != "big")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert_eq!(evaluate(&q, &without, TODAY).outcomes, ev.outcomes);
}

#[test]
fn all_any_not_includes_and_answered() {
    let q = fixture();
    let mut a = answers(&[
        ("kind", choice("model")),
        ("size", Answer::Number("1e20".into())),
        ("colour", Answer::Choices(vec!["red".into()])),
        ("name", Answer::Text("m".into())),
    ]);
    assert_eq!(status(&q, &a, "maybe.colour"), Some(Status::Applies));
    assert_eq!(status(&q, &a, "maybe.plain"), None);
    a.insert("colour".into(), Answer::Choices(vec!["none".into()]));
    assert_eq!(status(&q, &a, "maybe.colour"), None);
    assert_eq!(status(&q, &a, "maybe.plain"), Some(Status::Applies));
    // Any: true through the second branch alone.
    let designated = answers(&[
        ("kind", choice("model")),
        ("size", Answer::Number("2e25".into())),
        ("big", choice("yes")),
    ]);
    assert_eq!(status(&q, &designated, "yes.huge"), Some(Status::Applies));
    let not_sure = answers(&[
        ("kind", choice("model")),
        ("size", Answer::Number("2e25".into())),
        ("big", Answer::NotSure),
    ]);
    // Fact("huge") is true already, so Any is true despite the unsure part.
    assert_eq!(status(&q, &not_sure, "yes.huge"), Some(Status::Applies));
}

#[test]
fn applies_from_depends_on_answers() {
    let q = fixture();
    let designated = answers(&[
        ("kind", choice("model")),
        ("size", Answer::Number("2e25".into())),
        ("big", choice("yes")),
    ]);
    let ev = evaluate(&q, &designated, TODAY);
    let large = ev
        .outcomes
        .iter()
        .find(|o| q.outcomes[o.index].id() == "yes.large")
        .unwrap();
    assert_eq!(large.applies_from, Some(date(2025, 8, 2)));
    assert!(large.in_force(TODAY));
    let other = answers(&[
        ("kind", choice("model")),
        ("size", Answer::Number("2e25".into())),
        ("big", choice("no")),
    ]);
    let ev = evaluate(&q, &other, TODAY);
    let large = ev
        .outcomes
        .iter()
        .find(|o| q.outcomes[o.index].id() == "yes.large")
        .unwrap();
    assert_eq!(large.applies_from, Some(date(2027, 8, 2)));
    assert!(!large.in_force(TODAY));
    assert!(large.in_force(date(2027, 8, 2)));
}

#[test]
fn reasons_use_the_content_words() {
    let q = fixture();
    let a = answers(&[
        ("kind", choice("model")),
        ("size", Answer::Number("2e23".into())),
    ]);
    let ev = evaluate(&q, &a, TODAY);
    let model = ev
        .outcomes
        .iter()
        .find(|o| q.outcomes[o.index].id() == "yes.model")
        .unwrap();
    assert_eq!(model.reasons.len(), 1);
    assert_eq!(model.reasons[0].text, "Kind: A model");
    assert_eq!(model.reasons[0].question.as_deref(), Some("kind"));
    let large = ev
        .outcomes
        .iter()
        .find(|o| q.outcomes[o.index].id() == "yes.large")
        .unwrap();
    assert_eq!(large.reasons[0].text, "The model is large");
    assert_eq!(large.reasons[0].fact.as_deref(), Some("large"));
    // A provisional outcome names what is missing.
    let colour = ev
        .outcomes
        .iter()
        .find(|o| q.outcomes[o.index].id() == "maybe.colour")
        .unwrap();
    assert_eq!(colour.status, Status::Provisional);
    assert!(
        colour
            .reasons
            .iter()
            .any(|r| r.text == "Colours: not answered yet"),
        "{:?}",
        colour.reasons
    );
}

#[test]
fn bad_answers_are_reported_not_used() {
    let q = fixture();
    let a = answers(&[("kind", choice("modle")), ("ghost", choice("x"))]);
    let ev = evaluate(&q, &a, TODAY);
    assert_eq!(ev.current, Some(0));
    let messages: Vec<String> = ev
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.question, p.message))
        .collect();
    assert_eq!(
        messages,
        [
            "ghost: there is no such question in this questionnaire",
            "kind: there is no option \"modle\""
        ]
    );
    let multi = answers(&[
        ("kind", choice("data")),
        ("colour", Answer::Choices(vec!["red".into(), "none".into()])),
    ]);
    let ev = evaluate(&q, &multi, TODAY);
    assert_eq!(
        ev.problems[0].message,
        "\"None of these\" cannot be combined with other options"
    );
    let too_many = answers(&[
        ("kind", choice("data")),
        (
            "colour",
            Answer::Choices(vec!["red".into(), "blue".into(), "none".into()]),
        ),
    ]);
    assert!(!evaluate(&q, &too_many, TODAY).problems.is_empty());
}

#[test]
fn diff_lists_appearing_disappearing_and_changed_outcomes() {
    let q = fixture();
    let before = evaluate(
        &q,
        &answers(&[("kind", choice("model")), ("size", Answer::NotSure)]),
        TODAY,
    );
    let after = evaluate(
        &q,
        &answers(&[
            ("kind", choice("model")),
            ("size", Answer::Number("1e20".into())),
        ]),
        TODAY,
    );
    let changes = diff(&before.statuses(&q), &after.statuses(&q));
    let large = changes.iter().find(|c| c.id == "yes.large").unwrap();
    assert_eq!(
        (large.before, large.after),
        (Some(Status::Provisional), None)
    );
    let unsure = changes.iter().find(|c| c.id == "maybe.unsure").unwrap();
    assert_eq!((unsure.before, unsure.after), (Some(Status::Applies), None));
    assert!(changes.iter().all(|c| c.id != "yes.model"));
    assert!(diff(&after.statuses(&q), &after.statuses(&q)).is_empty());
}

#[test]
fn hashes_separate_logic_from_wording() {
    let src = std::fs::read_to_string("tests/fixtures/valid/basic.ron").unwrap();
    let q = aiact::questionnaire::load_str("a.ron", &src).unwrap();
    let reworded = aiact::questionnaire::load_str(
        "b.ron",
        &src.replace("What are you sharing?", "What do you share?"),
    )
    .unwrap();
    assert_eq!(q.logic_hash, reworded.logic_hash);
    assert_ne!(q.text_hash, reworded.text_hash);
    let relogic = aiact::questionnaire::load_str(
        "c.ron",
        &src.replace("Gt(\"size\", 1e25)", "Gt(\"size\", 1e24)"),
    )
    .unwrap();
    assert_ne!(q.logic_hash, relogic.logic_hash);
    assert_eq!(q.logic_hash.len(), 64);
}

#[test]
fn an_unknown_date_rule_gives_the_earliest_possible_date() {
    let q = fixture();
    let a = answers(&[
        ("kind", choice("model")),
        ("size", Answer::Number("2e25".into())),
        ("big", Answer::NotSure),
    ]);
    let ev = evaluate(&q, &a, TODAY);
    let large = ev
        .outcomes
        .iter()
        .find(|o| q.outcomes[o.index].id() == "yes.large")
        .unwrap();
    assert_eq!(large.applies_from, Some(date(2025, 8, 2)));
}
