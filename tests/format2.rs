//! Questionnaire format 2: conclusions as route targets, sections,
//! information screens, yes/no without "not sure", citations and markup —
//! on the format-2 fixture, the example in `questionnaires/examples`, and a
//! property test that a format-1 tree and its format-2 rewrite (conclusions
//! instead of routes to the end with each path's condition repeated in the
//! outcome) evaluate identically on generated answers.

use std::collections::BTreeMap;
use std::path::Path;

use aiact::answers::{Answer, Answers};
use aiact::engine::{Status, evaluate};
use aiact::questionnaire::{Questionnaire, load_path, load_str};
use jiff::civil::{Date, date};
use proptest::prelude::*;

const TODAY: Date = date(2026, 12, 6);

fn fixture() -> Questionnaire {
    load_path(Path::new("tests/fixtures/valid/format2.ron")).unwrap()
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

/// Outcome ids with their status.
fn statuses(q: &Questionnaire, a: &Answers) -> BTreeMap<String, Status> {
    evaluate(q, a, TODAY)
        .outcomes
        .iter()
        .map(|o| (q.outcomes[o.index].id().to_string(), o.status))
        .collect()
}

fn ids(q: &Questionnaire, path: &[usize]) -> Vec<String> {
    path.iter()
        .map(|&i| q.questions[i].id().to_string())
        .collect()
}

#[test]
fn an_option_concludes_with_its_outcome_and_ends_the_path() {
    let q = fixture();
    let a = answers(&[("kind", choice("model"))]);
    let ev = evaluate(&q, &a, TODAY);
    assert!(ev.is_complete());
    assert_eq!(ids(&q, &ev.path), ["welcome", "kind"]);
    assert_eq!(ev.concluded, q.outcome_index("c.model"));
    let s = statuses(&q, &a);
    assert_eq!(s.get("c.model"), Some(&Status::Applies));
    assert_eq!(s.get("c.open"), None);
    assert_eq!(s.get("c.small"), None);
    // The answer that steered the path there is the reason.
    let o = ev
        .outcomes
        .iter()
        .find(|o| q.outcomes[o.index].id() == "c.model")
        .unwrap();
    assert_eq!(o.reasons.len(), 1);
    assert_eq!(o.reasons[0].question.as_deref(), Some("kind"));
}

#[test]
fn a_route_concludes_and_a_question_next_concludes() {
    let q = fixture();
    let open = answers(&[("kind", choice("other")), ("open", choice("yes"))]);
    assert_eq!(
        statuses(&q, &open).get("c.open"),
        Some(&Status::Applies),
        "route"
    );
    let closed = answers(&[
        ("kind", choice("other")),
        ("open", choice("no")),
        ("size", choice("no")),
    ]);
    let ev = evaluate(&q, &closed, TODAY);
    // The closing information screen is on the path and passed through.
    assert_eq!(
        ids(&q, &ev.path),
        ["welcome", "kind", "open", "size", "closing"]
    );
    assert!(ev.is_complete());
    assert_eq!(ev.answered(), 3, "information screens are not answers");
    let s = statuses(&q, &closed);
    assert_eq!(s.get("c.small"), Some(&Status::Applies));
    assert_eq!(s.get("c.open"), None);
    assert_eq!(s.get("c.large"), None);
}

#[test]
fn an_open_path_makes_the_conclusions_it_can_still_reach_provisional() {
    let q = fixture();
    let a = answers(&[("kind", choice("other"))]);
    let s = statuses(&q, &a);
    for id in ["c.open", "c.large", "c.small"] {
        assert_eq!(s.get(id), Some(&Status::Provisional), "{id}");
    }
    assert_eq!(s.get("c.model"), None, "no longer reachable");
    // Nothing answered: every conclusion may still come.
    let none = statuses(&q, &Answers::new());
    for id in ["c.model", "c.open", "c.large", "c.small"] {
        assert_eq!(none.get(id), Some(&Status::Provisional), "{id}");
    }
}

#[test]
fn a_not_sure_turn_makes_the_conclusion_and_the_ways_not_taken_provisional() {
    let q = fixture();
    // Unsure whether it is open: the route to c.open is taken (unknown is
    // taken), and the way past it stays possible.
    let a = answers(&[("kind", choice("other")), ("open", Answer::NotSure)]);
    let ev = evaluate(&q, &a, TODAY);
    assert!(ev.is_complete());
    let s = statuses(&q, &a);
    assert_eq!(s.get("c.open"), Some(&Status::Provisional));
    assert_eq!(s.get("c.large"), Some(&Status::Provisional));
    assert_eq!(s.get("c.small"), Some(&Status::Provisional));
    // Unsure what it is: the options' ways all stay possible.
    let kind = answers(&[("kind", Answer::NotSure), ("open", choice("yes"))]);
    let s = statuses(&q, &kind);
    assert_eq!(s.get("c.model"), Some(&Status::Provisional));
    assert_eq!(s.get("c.open"), Some(&Status::Provisional));
}

#[test]
fn an_outcome_with_a_when_applies_by_either() {
    let q = fixture();
    // c.large: concluded by `size`, or by its own `when` (a dataset).
    let data = answers(&[("kind", choice("data")), ("open", choice("yes"))]);
    let s = statuses(&q, &data);
    assert_eq!(s.get("c.large"), Some(&Status::Applies));
    assert_eq!(s.get("c.open"), Some(&Status::Applies));
}

#[test]
fn information_screens_take_no_answer_and_yes_no_can_refuse_not_sure() {
    let q = fixture();
    let welcome = q.question("welcome").unwrap();
    assert!(welcome.is_info());
    assert!(!welcome.not_sure);
    assert!(welcome.resolve(&choice("continue")).is_err());
    let a = answers(&[("welcome", choice("x")), ("kind", choice("data"))]);
    let ev = evaluate(&q, &a, TODAY);
    assert_eq!(ev.problems.len(), 1);
    assert_eq!(ev.problems[0].question, "welcome");
    assert!(q.question("open").unwrap().not_sure, "yes/no default");
    let size = q.question("size").unwrap();
    assert!(!size.not_sure, "switched off");
    assert!(size.resolve(&Answer::NotSure).is_err());
}

#[test]
fn sections_and_citations_are_kept_for_the_app_and_reports() {
    let q = fixture();
    let kind = q.question_index("kind").unwrap();
    assert_eq!(
        q.section_of(kind).map(|s| s.title.as_str()),
        Some("What it is")
    );
    let cite = &q.questions[kind].def.citations[0];
    assert_eq!(q.cite(cite).2, "https://example.org/rules#1", "own link");
    let guide = &q.outcome("c.model").unwrap().def.citations[0];
    assert_eq!(q.cite(guide).1, "", "no pinpoint for a non-legal source");
    assert!(q.uses_markup());
}

#[test]
fn the_markdown_report_renders_markup_sections_and_sources() {
    let q = fixture();
    let a = answers(&[
        ("kind", choice("other")),
        ("open", choice("no")),
        ("size", choice("no")),
    ]);
    let ev = evaluate(&q, &a, TODAY);
    let md = aiact::report::to_markdown(&aiact::report::Report::new(&q, &a, &ev));
    assert!(md.contains("### What it is\n"), "{md}");
    assert!(md.contains("### How you share it\n"), "{md}");
    assert!(
        !md.contains("| Welcome |"),
        "no information screen among the answers"
    );
    assert!(
        md.contains("Sources:** none — Our advice, not a rule."),
        "{md}"
    );
    assert!(
        md.contains("[Fixture rules, Rule 4](https://example.org/rules)"),
        "{md}"
    );
    // Markup becomes CommonMark; format-1 escaping would have written \*.
    let open = evaluate(&q, &answers(&[("kind", choice("model"))]), TODAY);
    let md = aiact::report::to_markdown(&aiact::report::Report::new(
        &q,
        &answers(&[("kind", choice("model"))]),
        &open,
    ));
    assert!(md.contains("You share a **model**."), "{md}");
    assert!(
        md.contains("[A fixture guide](https://example.org/guide)"),
        "{md}"
    );
}

#[test]
fn the_example_questionnaire_validates_and_reaches_each_conclusion() {
    let q = load_path(Path::new("questionnaires/examples/ai-system-triage.ron")).unwrap();
    assert_eq!(q.meta.format_version, 2);
    let cases: Vec<(Vec<(&str, Answer)>, &str)> = vec![
        (vec![("ai_system", choice("no"))], "not_ai_system"),
        (
            vec![("ai_system", choice("yes")), ("military", choice("yes"))],
            "excluded_military",
        ),
        (
            vec![
                ("ai_system", choice("yes")),
                ("military", choice("no")),
                ("prohibited", Answer::Choices(vec!["scraping".into()])),
            ],
            "prohibited_practice",
        ),
        (
            vec![
                ("ai_system", choice("yes")),
                ("military", choice("no")),
                ("prohibited", Answer::Choices(vec!["none".into()])),
                ("area", choice("employment")),
                ("derogation", choice("no")),
                ("transparency", Answer::Choices(vec!["interacts".into()])),
            ],
            "high_risk",
        ),
        (
            vec![
                ("ai_system", choice("yes")),
                ("military", choice("no")),
                ("prohibited", Answer::Choices(vec!["none".into()])),
                ("area", choice("employment")),
                ("derogation", choice("yes")),
                ("transparency", Answer::Choices(vec!["interacts".into()])),
            ],
            "not_high_risk",
        ),
    ];
    // A high-risk chatbot also gets the transparency duty (Art 50 applies
    // alongside Chapter III), and an unsure area keeps high-risk provisional.
    let chatbot = answers(&[
        ("ai_system", choice("yes")),
        ("military", choice("no")),
        ("prohibited", Answer::Choices(vec!["none".into()])),
        ("area", choice("employment")),
        ("derogation", choice("no")),
        ("transparency", Answer::Choices(vec!["interacts".into()])),
    ]);
    assert_eq!(
        statuses(&q, &chatbot).get("chatbot_disclosure"),
        Some(&Status::Applies)
    );
    let unsure = answers(&[
        ("ai_system", choice("yes")),
        ("military", choice("no")),
        ("prohibited", Answer::Choices(vec!["none".into()])),
        ("area", Answer::NotSure),
        ("transparency", Answer::Choices(vec!["none".into()])),
    ]);
    assert_eq!(
        statuses(&q, &unsure).get("high_risk"),
        Some(&Status::Provisional)
    );
    for (pairs, expected) in cases {
        let a = answers(&pairs);
        let ev = evaluate(&q, &a, TODAY);
        assert!(ev.is_complete(), "{expected}: complete");
        let s = statuses(&q, &a);
        assert_eq!(s.get(expected), Some(&Status::Applies), "{expected}: {s:?}");
        let conclusions = [
            "not_ai_system",
            "excluded_military",
            "prohibited_practice",
            "high_risk",
        ];
        for other in conclusions.iter().filter(|c| **c != expected) {
            assert_eq!(s.get(*other), None, "{expected}: {other} must not apply");
        }
    }
}

// ---------------------------------------------------------------------------
// Format 1 and its format-2 rewrite evaluate identically.

/// A generated decision tree of single-choice questions: each option leads
/// to a child question or to a leaf (an outcome).
struct Tree {
    /// Per question: its options, each `Ok(child question)` or `Err(leaf)`;
    /// and whether it routes by options (`next` per option) or by `Routes`.
    questions: Vec<(Vec<Result<usize, usize>>, bool)>,
    /// Per leaf: the (question, option) pairs on its path.
    leaves: Vec<Vec<(usize, usize)>>,
}

fn tree(seed: u64) -> Tree {
    let mut state = seed | 1;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let mut t = Tree {
        questions: Vec::new(),
        leaves: Vec::new(),
    };
    // Breadth first, so the file order is a topological order.
    let mut queue = std::collections::VecDeque::from([(Vec::<(usize, usize)>::new(), 0u32)]);
    while let Some((path, depth)) = queue.pop_front() {
        let qi = t.questions.len();
        let n = 2 + next(2) as usize;
        let by_option = next(2) == 0;
        t.questions.push((Vec::new(), by_option));
        for o in 0..n {
            let mut p = path.clone();
            p.push((qi, o));
            let deeper = depth < 3 && t.questions.len() + queue.len() < 12 && next(3) != 0;
            if deeper {
                // The child's index is known once the queue is drained in order.
                let child = t.questions.len() + queue.len();
                queue.push_back((p, depth + 1));
                t.questions[qi].0.push(Ok(child));
            } else {
                t.leaves.push(p);
                t.questions[qi].0.push(Err(t.leaves.len() - 1));
            }
        }
    }
    t
}

/// The tree as RON, in format 1 (leaves route to the end and each outcome
/// repeats its path's condition) or format 2 (leaves are conclusions, and an
/// information screen comes first).
fn render(t: &Tree, format2: bool) -> String {
    let mut s = format!(
        "(format_version: {}, id: \"tree\", title: \"Tree\", version: \"1\", language: \"en\", legal_basis: \"none\", as_of: \"2026-01-01\", disclaimer: \"Test.\", groups: [(id: \"g\", title: \"G\", order: 1)], references: [(id: \"r\", title: \"R\", url: \"https://example.org\")], questions: [\n",
        if format2 { 2 } else { 1 }
    );
    if format2 {
        s.push_str("(id: \"intro\", kind: Info, prompt: \"Intro\", next: Goto(\"q0\")),\n");
    }
    for (qi, (options, by_option)) in t.questions.iter().enumerate() {
        let target = |r: &Result<usize, usize>, field_next: &str, field_conclude: &str| match r {
            Ok(c) => format!("{field_next}: \"q{c}\""),
            Err(l) if format2 => format!("{field_conclude}: \"l{l}\""),
            Err(_) => format!("{field_next}: \"end\""),
        };
        let opts: Vec<String> = options
            .iter()
            .enumerate()
            .map(|(o, r)| {
                if *by_option {
                    format!(
                        "(id: \"o{o}\", label: \"O{o}\", {})",
                        target(r, "next", "conclude")
                    )
                } else {
                    format!("(id: \"o{o}\", label: \"O{o}\")")
                }
            })
            .collect();
        let routes = if *by_option {
            String::new()
        } else {
            let mut rs: Vec<String> = options
                .iter()
                .enumerate()
                .take(options.len() - 1)
                .map(|(o, r)| {
                    format!(
                        "(when: Is(\"q{qi}\", \"o{o}\"), {})",
                        target(r, "goto", "conclude")
                    )
                })
                .collect();
            rs.push(format!(
                "({})",
                target(options.last().unwrap(), "goto", "conclude")
            ));
            format!(", next: Routes([{}])", rs.join(", "))
        };
        s.push_str(&format!(
            "(id: \"q{qi}\", prompt: \"Q{qi}?\", kind: Single, options: [{}]{routes}),\n",
            opts.join(", ")
        ));
    }
    s.push_str("], outcomes: [\n");
    for (l, path) in t.leaves.iter().enumerate() {
        let when = if format2 {
            String::new()
        } else {
            let parts: Vec<String> = path
                .iter()
                .map(|(q, o)| format!("Is(\"q{q}\", \"o{o}\")"))
                .collect();
            format!(", when: All([{}])", parts.join(", "))
        };
        s.push_str(&format!(
            "(id: \"l{l}\", group: \"g\", title: \"L{l}\", summary: \"S\", explanation: \"E\", citations: [(reference: \"r\", pinpoint: \"1\")]{when}),\n"
        ));
    }
    s.push_str("])\n");
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// On any answers — complete, partial, or to questions off the path —
    /// the two files give the same path (information screens aside), the
    /// same open question and the same outcome statuses.
    #[test]
    fn a_format1_tree_and_its_format2_rewrite_evaluate_alike(
        seed in any::<u64>(),
        picks in proptest::collection::vec((any::<u8>(), any::<u8>(), any::<bool>()), 0..16),
    ) {
        let t = tree(seed);
        let v1 = load_str("tree-v1.ron", &render(&t, false)).expect("format 1 loads");
        let v2 = load_str("tree-v2.ron", &render(&t, true)).expect("format 2 loads");
        prop_assert_ne!(&v1.logic_hash, &v2.logic_hash);
        let mut a = Answers::new();
        for (q, o, keep) in picks {
            let qi = q as usize % t.questions.len();
            if keep {
                let o = o as usize % t.questions[qi].0.len();
                a.insert(format!("q{qi}"), Answer::Choice(format!("o{o}")));
            }
        }
        let e1 = evaluate(&v1, &a, TODAY);
        let e2 = evaluate(&v2, &a, TODAY);
        let p1 = ids(&v1, &e1.path);
        let p2: Vec<String> = ids(&v2, &e2.path).into_iter().filter(|id| id != "intro").collect();
        prop_assert_eq!(p1, p2);
        prop_assert_eq!(
            e1.current.map(|i| v1.questions[i].id().to_string()),
            e2.current.map(|i| v2.questions[i].id().to_string())
        );
        prop_assert_eq!(e1.answered(), e2.answered());
        prop_assert_eq!(statuses(&v1, &a), statuses(&v2, &a));
    }
}

/// The example in German: its translation beside it keeps the logic hash,
/// translates every text, and the implied yes/no options speak German too.
#[test]
fn the_example_in_german_keeps_its_logic_and_translates_every_text() {
    let path = "questionnaires/examples/ai-system-triage.ron";
    let en = load_path(Path::new(path)).unwrap();
    let (de, missing) =
        aiact::questionnaire::translation::load_spec(path, Some("de")).expect("translation");
    assert!(missing.is_empty(), "untranslated: {missing:?}");
    assert_eq!(de.logic_hash, en.logic_hash);
    assert_eq!(de.meta.language, "de");
    let ai = de.question("ai_system").unwrap();
    assert!(ai.def.prompt.starts_with("Leitet Ihre Software"));
    let labels: Vec<&str> = ai.options.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(labels, ["Ja", "Nein"]);
    assert_eq!(de.sections[0].title, "Anwendungsbereich");
    let a = answers(&[("ai_system", choice("no"))]);
    assert_eq!(statuses(&en, &a), statuses(&de, &a));
    assert_eq!(
        de.outcome("not_ai_system").unwrap().def.title,
        "Kein KI-System"
    );
}

/// The graph draws sections as boxes, information screens in their own
/// shape and conclusions as ends; a session's conclusion edge is highlighted.
#[test]
fn the_graph_draws_sections_screens_and_conclusions() {
    use aiact::report::{GraphFormat, to_graph, to_graph_with_path};
    let q = fixture();
    let mermaid = to_graph(&q, GraphFormat::Mermaid, false);
    assert!(mermaid.contains("subgraph s0[\"What it is\"]"), "{mermaid}");
    assert!(mermaid.contains("q0[/\"Welcome\"/]"), "{mermaid}");
    assert!(mermaid.contains("c0([\"A model\"])"), "{mermaid}");
    assert!(mermaid.contains("q1 -->|\"A model\"| c0"), "{mermaid}");
    let a = answers(&[("kind", choice("model"))]);
    let ev = evaluate(&q, &a, TODAY);
    let dot = to_graph_with_path(&q, GraphFormat::Dot, false, Some((&ev.path, ev.end())));
    assert!(
        dot.contains("q1 -> c0 [label=\"A model\", color=\"#b45309\", penwidth=3];"),
        "{dot}"
    );
}
