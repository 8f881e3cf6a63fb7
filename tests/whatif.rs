//! The what-if search on the basic fixture: it reports only real flips, every
//! reported flip happens when applied, and nothing a brute-force search over
//! single answer changes finds is missing.

use std::collections::BTreeSet;

use aiact::answers::{Answer, Answers};
use aiact::engine::{Status, evaluate, what_if};
use aiact::questionnaire::{Kind, Questionnaire, load_path};
use jiff::civil::{Date, date};

const TODAY: Date = date(2026, 11, 26);

fn fixture() -> Questionnaire {
    load_path(std::path::Path::new("tests/fixtures/valid/basic.ron")).unwrap()
}

fn answers(pairs: &[(&str, Answer)]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn choice(id: &str) -> Answer {
    Answer::Choice(id.into())
}

fn choices(ids: &[&str]) -> Answer {
    Answer::Choices(ids.iter().map(|s| s.to_string()).collect())
}

fn num(text: &str) -> Answer {
    Answer::Number(text.into())
}

fn status(q: &Questionnaire, a: &Answers, id: &str) -> Option<Status> {
    let ev = evaluate(q, a, TODAY);
    ev.outcomes
        .iter()
        .find(|o| q.outcomes[o.index].id() == id)
        .map(|o| o.status)
}

/// Sessions covering every route of the fixture, complete and not.
fn sessions() -> Vec<Answers> {
    vec![
        answers(&[]),
        answers(&[("kind", choice("other"))]),
        answers(&[("kind", choice("model"))]),
        answers(&[
            ("kind", choice("model")),
            ("size", num("5e24")),
            ("colour", choices(&["red"])),
            ("name", Answer::Text("m".into())),
        ]),
        answers(&[
            ("kind", choice("model")),
            ("size", num("1e25")),
            ("colour", choices(&["red", "blue"])),
            ("name", Answer::Text("m".into())),
        ]),
        answers(&[
            ("kind", choice("model")),
            ("size", num("1e23")),
            ("colour", choices(&["none"])),
        ]),
        answers(&[
            ("kind", choice("model")),
            ("size", num("2e25")),
            ("big", choice("no")),
            ("colour", choices(&["blue"])),
            ("name", Answer::Text("m".into())),
        ]),
        answers(&[
            ("kind", choice("model")),
            ("size", Answer::NotSure),
            ("colour", choices(&["red"])),
        ]),
        answers(&[
            ("kind", choice("data")),
            ("colour", choices(&["red"])),
            ("name", Answer::Text("d".into())),
        ]),
    ]
}

#[test]
fn every_reported_flip_happens_when_applied() {
    let q = fixture();
    for a in sessions() {
        let flips = what_if(&q, &a, TODAY);
        for f in &flips {
            assert_ne!(f.before, f.after, "not a flip: {f:?}");
            assert_eq!(status(&q, &a, &f.outcome), f.before, "{f:?}");
            let mut changed = a.clone();
            changed.insert(f.question.clone(), f.answer.clone());
            assert_eq!(status(&q, &changed, &f.outcome), f.after, "{f:?} on {a:?}");
            assert!(f.text.starts_with("If you "), "{}", f.text);
        }
    }
}

/// Every answer a question could take, for a brute-force search.
fn all_answers(q: &Questionnaire, qi: usize) -> Vec<Answer> {
    let question = &q.questions[qi];
    let mut out = vec![Answer::NotSure];
    match question.kind() {
        Kind::Single | Kind::YesNo => {
            out.extend(question.options.iter().map(|o| choice(&o.id)));
        }
        Kind::Multiple { .. } => {
            let n = question.options.len();
            for mask in 1u32..(1 << n) {
                let ids: Vec<String> = (0..n)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| question.options[i].id.clone())
                    .collect();
                out.push(Answer::Choices(ids));
            }
        }
        Kind::Number { .. } => {
            for base in [1e23f64, 1e25] {
                for x in [base, base * (1.0 - 1e-9), base * (1.0 + 1e-9)] {
                    out.push(num(&format!("{x:e}")));
                }
            }
            for e in 0..30 {
                out.push(num(&format!("1e{e}")));
                out.push(num(&format!("5e{e}")));
            }
            out.push(num("0"));
        }
        Kind::Text { .. } => {}
    }
    out
}

#[test]
fn nothing_a_brute_force_search_finds_is_missing() {
    let q = fixture();
    for a in sessions() {
        let reported: BTreeSet<(String, String, Option<Status>)> = what_if(&q, &a, TODAY)
            .into_iter()
            .map(|f| (f.outcome, f.question, f.after))
            .collect();
        let ev = evaluate(&q, &a, TODAY);
        let mut brute = BTreeSet::new();
        for &qi in &ev.path {
            let id = q.questions[qi].id().to_string();
            for cand in all_answers(&q, qi) {
                if q.questions[qi].resolve(&cand).is_err() || a.get(&id) == Some(&cand) {
                    continue;
                }
                let mut changed = a.clone();
                changed.insert(id.clone(), cand);
                for o in &q.outcomes {
                    let (before, after) = (status(&q, &a, o.id()), status(&q, &changed, o.id()));
                    if before != after {
                        brute.insert((o.id().to_string(), id.clone(), after));
                    }
                }
            }
        }
        let missing: Vec<_> = brute.difference(&reported).collect();
        assert!(missing.is_empty(), "missing {missing:?} for {a:?}");
    }
}

#[test]
fn the_threshold_itself_is_tried_where_gt_and_ge_differ() {
    let q = fixture();
    // 1e23 is exactly the `Ge` threshold of "large": a little less is not large.
    let a = answers(&[
        ("kind", choice("model")),
        ("size", num("1e23")),
        ("colour", choices(&["none"])),
    ]);
    let flips = what_if(&q, &a, TODAY);
    assert!(
        flips
            .iter()
            .any(|f| f.outcome == "yes.large" && f.after.is_none()),
        "{flips:#?}"
    );
    // 1e25 is exactly the `Gt` threshold of the route to "big": only above leads there.
    let a = answers(&[
        ("kind", choice("model")),
        ("size", num("5e24")),
        ("colour", choices(&["red"])),
    ]);
    let huge: Vec<_> = what_if(&q, &a, TODAY)
        .into_iter()
        .filter(|f| f.outcome == "yes.huge")
        .collect();
    assert!(!huge.is_empty());
    for f in huge {
        let Answer::Number(text) = &f.answer else {
            continue;
        };
        assert!(aiact::answers::parse_number(text).unwrap() > 1e25, "{f:?}");
    }
}

#[test]
fn flips_are_said_with_the_contents_phrases() {
    let q = fixture();
    let a = answers(&[
        ("kind", choice("model")),
        ("size", num("5e24")),
        ("colour", choices(&["none"])),
    ]);
    let texts: Vec<String> = what_if(&q, &a, TODAY).into_iter().map(|f| f.text).collect();
    assert!(
        texts.contains(&"If you picked red, Colour check would apply".to_string()),
        "{texts:#?}"
    );
    assert!(
        texts.contains(
            &"If you answered “A dataset” to “Kind”, Model rules would no longer apply".to_string()
        ),
        "{texts:#?}"
    );
    assert!(
        texts.contains(
            &"If you answered “not sure” to “Compute”, Unsure compute would apply".to_string()
        ),
        "{texts:#?}"
    );
}

#[test]
fn answering_the_current_question_decides_a_provisional_outcome() {
    let q = fixture();
    let a = answers(&[("kind", choice("model"))]);
    let flips = what_if(&q, &a, TODAY);
    assert!(flips.iter().any(|f| f.question == "size"
        && f.outcome == "yes.large"
        && f.before == Some(Status::Provisional)
        && f.after.is_none()));
}

fn run_aiact(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_aiact"))
        .args(args)
        .output()
        .expect("run aiact")
}

#[test]
fn run_what_if_adds_a_section_and_a_json_array() {
    let base = [
        "run",
        "--questionnaire",
        "tests/fixtures/valid/basic.ron",
        "--answers",
        "tests/fixtures/cli/complete.answers.ron",
        "--today",
        "2026-11-26",
    ];
    let o = run_aiact(&base);
    assert_eq!(o.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("What would change this"));

    let o = run_aiact(&[&base[..], &["--what-if"]].concat());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let md = String::from_utf8_lossy(&o.stdout);
    let section = md
        .split("## What would change this")
        .nth(1)
        .expect("section");
    assert!(section.contains(" if you:\n\n- "), "{section}");

    let o = run_aiact(&[&base[..], &["--what-if", "--format", "json"]].concat());
    assert_eq!(o.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let flips = doc["what_if"].as_array().expect("what_if array");
    assert!(!flips.is_empty());
    for f in flips {
        for key in ["outcome", "question", "answer", "before", "after", "text"] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
    }
    // Existing fields are still there.
    assert!(doc["outcomes"].is_array() && doc["answers"].is_object());
}
