//! Every condition kind, true, false and unknown, on a small questionnaire
//! where each outcome holds exactly one condition.

use aiact::answers::{Answer, Answers};
use aiact::engine::{Status, evaluate};
use aiact::questionnaire::{Questionnaire, load_str};
use jiff::civil::date;

const SRC: &str = r#"(
    format_version: 1, id: "conditions", title: "Conditions", version: "1", language: "en",
    legal_basis: "none", as_of: "2026-01-01", disclaimer: "test",
    groups: [(id: "g", title: "G", order: 1)],
    references: [(id: "r", title: "R", url: "https://example.org")],
    questions: [
        (id: "one", prompt: "One?", kind: Single, allow_not_sure: true,
         options: [(id: "a", label: "A"), (id: "b", label: "B"), (id: "c", label: "C")]),
        (id: "many", prompt: "Many?", kind: Multiple(min: 1), allow_not_sure: true,
         options: [(id: "x", label: "X"), (id: "y", label: "Y"), (id: "none", label: "None", exclusive: true)]),
        (id: "num", prompt: "Number?", kind: Number(), allow_not_sure: true),
        (id: "yn", prompt: "Yes?", kind: YesNo),
    ],
    facts: [(id: "f", holds: "One is A", when: Is("one", "a"))],
    outcomes: [
        (id: "answered", group: "g", title: "t", summary: "s", explanation: "e", citations: [(reference: "r", pinpoint: "1")], when: Answered("one")),
        (id: "not_sure", group: "g", title: "t", summary: "s", explanation: "e", citations: [(reference: "r", pinpoint: "1")], when: NotSure("one")),
        (id: "is", group: "g", title: "t", summary: "s", explanation: "e", citations: [(reference: "r", pinpoint: "1")], when: Is("one", "a")),
        (id: "in", group: "g", title: "t", summary: "s", explanation: "e", citations: [(reference: "r", pinpoint: "1")], when: In("one", ["a", "b"])),
        (id: "includes", group: "g", title: "t", summary: "s", explanation: "e", citations: [(reference: "r", pinpoint: "1")], when: Includes("many", "x")),
        (id: "includes_any", group: "g", title: "t", summary: "s", explanation: "e", citations: [(reference: "r", pinpoint: "1")], when: IncludesAny("many", ["x", "y"])),
        (id: "gt", group: "g", title: "t", summary: "s", explanation: "e", citations: [(reference: "r", pinpoint: "1")], when: Gt("num", 10)),
        (id: "ge", group: "g", title: "t", summary: "s", explanation: "e", citations: [(reference: "r", pinpoint: "1")], when: Ge("num", 10)),
        (id: "lt", group: "g", title: "t", summary: "s", explanation: "e", citations: [(reference: "r", pinpoint: "1")], when: Lt("num", 10)),
        (id: "le", group: "g", title: "t", summary: "s", explanation: "e", citations: [(reference: "r", pinpoint: "1")], when: Le("num", 10)),
        (id: "all", group: "g", title: "t", summary: "s", explanation: "e", citations: [(reference: "r", pinpoint: "1")], when: All([Is("one", "a"), Is("yn", "yes")])),
        (id: "any", group: "g", title: "t", summary: "s", explanation: "e", citations: [(reference: "r", pinpoint: "1")], when: Any([Is("one", "a"), Is("yn", "yes")])),
        (id: "not", group: "g", title: "t", summary: "s", explanation: "e", citations: [(reference: "r", pinpoint: "1")], when: Not(Is("one", "a"))),
        (id: "fact", group: "g", title: "t", summary: "s", explanation: "e", citations: [(reference: "r", pinpoint: "1")], when: Fact("f")),
        (id: "always", group: "g", title: "t", summary: "s", explanation: "e", citations: [(reference: "r", pinpoint: "1")], when: Always),
    ],
)"#;

fn q() -> Questionnaire {
    load_str("conditions.ron", SRC).unwrap()
}

/// Status of each outcome id for these answers: Some(true) applies,
/// Some(false) provisional, None not at all.
fn statuses(q: &Questionnaire, pairs: &[(&str, Answer)]) -> Vec<(String, Option<bool>)> {
    let answers: Answers = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let ev = evaluate(q, &answers, date(2026, 11, 26));
    q.outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let s = ev.outcome(i).map(|r| r.status == Status::Applies);
            (o.id().to_string(), s)
        })
        .collect()
}

fn check(pairs: &[(&str, Answer)], expected: &[(&str, Option<bool>)]) {
    let q = q();
    let got = statuses(&q, pairs);
    for (id, want) in expected {
        let have = got.iter().find(|(g, _)| g == id).unwrap().1;
        assert_eq!(have, *want, "outcome {id} for {pairs:?}");
    }
}

const T: Option<bool> = Some(true);
const F: Option<bool> = None;
const U: Option<bool> = Some(false);

fn c(id: &str) -> Answer {
    Answer::Choice(id.into())
}

#[test]
fn everything_is_unknown_before_any_answer() {
    check(
        &[],
        &[
            ("answered", U),
            ("not_sure", U),
            ("is", U),
            ("in", U),
            ("includes", U),
            ("includes_any", U),
            ("gt", U),
            ("ge", U),
            ("lt", U),
            ("le", U),
            ("all", U),
            ("any", U),
            ("not", U),
            ("fact", U),
            ("always", T),
        ],
    );
}

#[test]
fn definite_answers_decide_every_kind() {
    let all = [
        ("one", c("b")),
        ("many", Answer::Choices(vec!["y".into()])),
        ("num", Answer::Number("10".into())),
        ("yn", c("yes")),
    ];
    check(
        &all,
        &[
            ("answered", T),
            ("not_sure", F),
            ("is", F),
            ("in", T),
            ("includes", F),
            ("includes_any", T),
            ("gt", F),
            ("ge", T),
            ("lt", F),
            ("le", T),
            ("all", F),
            ("any", T),
            ("not", T),
            ("fact", F),
            ("always", T),
        ],
    );
    let other = [
        ("one", c("c")),
        ("many", Answer::Choices(vec!["none".into()])),
        ("num", Answer::Number("9.5".into())),
        ("yn", c("no")),
    ];
    check(
        &other,
        &[
            ("is", F),
            ("in", F),
            ("includes", F),
            ("includes_any", F),
            ("gt", F),
            ("ge", F),
            ("lt", T),
            ("le", T),
            ("all", F),
            ("any", F),
            ("not", T),
        ],
    );
}

#[test]
fn not_sure_is_unknown_but_answered() {
    let unsure = [
        ("one", Answer::NotSure),
        ("many", Answer::NotSure),
        ("num", Answer::NotSure),
        ("yn", Answer::NotSure),
    ];
    check(
        &unsure,
        &[
            ("answered", T),
            ("not_sure", T),
            ("is", U),
            ("in", U),
            ("includes", U),
            ("includes_any", U),
            ("gt", U),
            ("ge", U),
            ("lt", U),
            ("le", U),
            ("all", U),
            ("any", U),
            ("not", U),
            ("fact", U),
        ],
    );
}

#[test]
fn all_and_any_short_circuit_past_unknown_parts() {
    // A false part decides All; a true part decides Any, whatever is unknown.
    check(
        &[
            ("one", c("b")),
            ("many", Answer::Choices(vec!["x".into()])),
            ("num", Answer::Number("1".into())),
            ("yn", Answer::NotSure),
        ],
        &[("all", F), ("any", U)],
    );
    check(
        &[
            ("one", c("a")),
            ("many", Answer::Choices(vec!["x".into()])),
            ("num", Answer::Number("1".into())),
            ("yn", Answer::NotSure),
        ],
        &[("all", U), ("any", T)],
    );
}
