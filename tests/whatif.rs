//! The what-if search on the basic fixture: it reports only real flips, every
//! reported flip happens when applied, and nothing a brute-force search over
//! single answer changes finds is missing.

mod common;

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
            assert!(
                f.before != f.after || f.from_before != f.from_after,
                "not a flip: {f:?}"
            );
            assert_eq!(status(&q, &a, &f.outcome), f.before, "{f:?}");
            let mut changed = a.clone();
            changed.insert(f.question.clone(), f.answer.clone());
            assert_eq!(status(&q, &changed, &f.outcome), f.after, "{f:?} on {a:?}");
            let oi = q.outcome_index(&f.outcome).unwrap();
            let from = |a: &Answers| {
                evaluate(&q, a, TODAY)
                    .outcome(oi)
                    .and_then(|o| o.applies_from)
            };
            assert_eq!(from(&a), f.from_before, "{f:?}");
            assert_eq!(from(&changed), f.from_after, "{f:?}");
            assert!(f.text.starts_with("If you "), "{}", f.text);
        }
    }
}

/// Every answer a question could take, for a brute-force search.
fn all_answers(q: &Questionnaire, qi: usize) -> Vec<Answer> {
    let question = &q.questions[qi];
    let mut out = vec![Answer::NotSure];
    match question.kind() {
        Kind::Info => return Vec::new(),
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
        // An information screen takes no answer.
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
    let o = common::aiact(&base);
    assert_eq!(o.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("What would change this"));

    let o = common::aiact(&[&base[..], &["--what-if"]].concat());
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

    let o = common::aiact(&[&base[..], &["--what-if", "--format", "json"]].concat());
    assert_eq!(o.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let flips = doc["what_if"].as_array().expect("what_if array");
    assert!(!flips.is_empty());
    for f in flips {
        for key in [
            "rank",
            "outcome",
            "question",
            "answer",
            "before",
            "after",
            "applies_from_before",
            "applies_from_after",
            "decisive",
            "changes_date",
            "background",
            "text",
        ] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
    }
    let ranks: Vec<u64> = flips.iter().map(|f| f["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, (1..=flips.len() as u64).collect::<Vec<_>>());
    // Existing fields are still there.
    assert!(doc["outcomes"].is_array() && doc["answers"].is_object());
}

fn ranking_fixture() -> Questionnaire {
    load_path(std::path::Path::new("tests/fixtures/whatif/ranking.ron")).unwrap()
}

fn ranking_answers() -> Answers {
    answers(&[
        ("kind", choice("model")),
        ("licence", choice("open")),
        ("launch", choice("late")),
        ("support", choice("no")),
    ])
}

/// A flip as (outcome, question, answer written short), for order checks.
fn short(f: &aiact::engine::Flip) -> (String, String, String) {
    let answer = match &f.answer {
        Answer::Choice(c) => c.clone(),
        Answer::NotSure => "not sure".into(),
        other => format!("{other:?}"),
    };
    (f.outcome.clone(), f.question.clone(), answer)
}

#[test]
fn flips_are_ranked_dates_then_weight_then_disruption_first_question_late() {
    let q = ranking_fixture();
    let got: Vec<(String, String, String)> = what_if(&q, &ranking_answers(), TODAY)
        .iter()
        .map(short)
        .collect();
    let want: Vec<(String, String, String)> = [
        // A date cut-off: the duty stays, but from another date.
        ("duty.open", "launch", "early"),
        ("duty.open", "launch", "earlier"),
        // Duties (group order 1) before tips (order 2), even though the
        // licence change opens a question and puts two back ahead.
        ("duty.open", "licence", "closed"),
        // Among tips, the change that keeps the path beats the one that
        // opens a question.
        ("tip.support", "support", "yes"),
        ("tip.open", "licence", "closed"),
        // Changing what is assessed (the first question) comes after every
        // other decisive change, whatever it flips.
        ("duty.model", "kind", "data"),
        ("duty.open", "kind", "data"),
        ("tip.open", "kind", "data"),
        // Only provisional: after every decisive flip; later questions first
        // within a weight.
        ("duty.open", "licence", "not sure"),
        ("tip.support", "support", "not sure"),
        ("tip.open", "licence", "not sure"),
        // "Closed" opens the unanswered "Why closed": the support question
        // is ahead again, so its tip is open; more disruption, ranked later.
        ("tip.support", "licence", "closed"),
        // Background last, in the same order among themselves.
        ("history.open", "licence", "closed"),
        ("history.open", "kind", "data"),
        ("history.open", "licence", "not sure"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn a_date_cut_off_is_a_flip_with_both_dates() {
    let q = ranking_fixture();
    let flips = what_if(&q, &ranking_answers(), TODAY);
    let f = &flips[0];
    assert!(f.changes_date() && f.is_decisive(), "{f:#?}");
    assert_eq!(f.before, Some(Status::Applies));
    assert_eq!(f.after, Some(Status::Applies));
    assert_eq!(f.from_before, Some(date(2025, 8, 2)));
    assert_eq!(f.from_after, Some(date(2027, 8, 2)));
    assert_eq!(
        f.text,
        "If you had launched early, Open model duty would apply from 2 August 2027 instead of 2 August 2025"
    );
    // The change really moves the date.
    let mut changed = ranking_answers();
    changed.insert(f.question.clone(), f.answer.clone());
    let ev = evaluate(&q, &changed, TODAY);
    let oi = q.outcome_index("duty.open").unwrap();
    assert_eq!(ev.outcome(oi).unwrap().applies_from, Some(date(2027, 8, 2)));
    // Relevance says why it ranks where it does.
    let by = |o: &str, question: &str| {
        flips
            .iter()
            .find(|f| f.outcome == o && f.question == question && f.is_decisive())
            .unwrap()
            .relevance
    };
    // Adds "Why closed", and "Launch" and "Support" are no longer reached.
    assert_eq!(by("duty.open", "licence").disruption, 3);
    assert_eq!(by("tip.support", "support").disruption, 0);
    assert!(by("duty.model", "kind").first_question);
    assert_eq!(by("duty.model", "kind").disruption, 2);
    assert!(by("history.open", "licence").background);
    assert_eq!(by("tip.open", "licence").weight, 2);
}

#[test]
fn the_markdown_section_follows_the_ranking_and_leaves_out_background() {
    let o = common::aiact(&[
        "run",
        "--questionnaire",
        "tests/fixtures/whatif/ranking.ron",
        "--answers",
        "tests/fixtures/whatif/ranking.answers.ron",
        "--today",
        "2026-11-26",
        "--what-if",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let md = String::from_utf8_lossy(&o.stdout).into_owned();
    let section = md
        .split("## What would change this")
        .nth(1)
        .expect("section")
        .split("\n---\n")
        .next()
        .unwrap()
        // The background section follows; it is not part of this one.
        .split("\n## ")
        .next()
        .unwrap()
        .to_string();
    insta::assert_snapshot!("ranking_what_if_section", section);
    let pos = |needle: &str| {
        section
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} missing in {section}"))
    };
    assert!(
        pos("**Open model duty** would apply from 2 August 2027 instead of 2 August 2025")
            < pos("**Open model duty** would no longer apply")
    );
    assert!(pos("**Support tip** would apply") < pos("**Open tip** would no longer apply"));
    assert!(
        pos("**Open tip** would no longer apply") < pos("**Model duty** would no longer apply")
    );
    assert!(!section.contains("Open licences were debated"), "{section}");
}

#[test]
fn grouping_by_question_names_each_question_once_in_rank_order() {
    let q = ranking_fixture();
    let flips = what_if(&q, &ranking_answers(), TODAY);
    let groups = aiact::engine::group_by_question(&flips);
    // Every flip is in exactly one group, and groups keep the ranking.
    assert_eq!(
        groups.iter().map(|g| g.flips.len()).sum::<usize>(),
        flips.len()
    );
    let firsts: Vec<(String, String, String)> =
        groups.iter().take(3).map(|g| short(g.first())).collect();
    assert_eq!(
        firsts,
        [
            ("duty.open", "launch", "early"),
            ("duty.open", "licence", "closed"),
            ("tip.support", "support", "yes"),
        ]
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    );
    assert_eq!(
        groups[0].flips.len(),
        2,
        "early and even earlier do the same"
    );
    assert_eq!(
        groups[0].text(&q),
        "If you had launched early (or 1 other answer to “Launch”), Open model duty would apply from 2 August 2027 instead of 2 August 2025"
    );
    assert_eq!(groups[1].text(&q), groups[1].first().text);
}
