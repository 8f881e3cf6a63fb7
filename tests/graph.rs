//! `aiact graph`: the decision tree in Mermaid and DOT, with every label
//! escaped for its format (quotes, brackets, pipes and angle brackets in the
//! fixture's labels).

mod common;

use aiact::questionnaire::{Questionnaire, load_path};
use aiact::report::{GraphFormat, to_graph};

fn fixture(name: &str) -> Questionnaire {
    load_path(std::path::Path::new(&format!("tests/fixtures/{name}"))).unwrap()
}

#[test]
fn mermaid_labels_are_escaped() {
    let q = fixture("graph/labels.ron");
    let out = to_graph(&q, GraphFormat::Mermaid, true);
    insta::assert_snapshot!("labels_mermaid", out);
    // Inside each label, nothing but entity codes for the dangerous characters.
    for line in out.lines().skip(1) {
        let inner: Vec<&str> = line.split('"').collect();
        assert!(inner.len() == 1 || inner.len() == 3, "stray quote: {line}");
        if inner.len() == 3 {
            assert!(
                !inner[1].contains(['[', ']', '|', '<', '>', '(', ')']),
                "{line}"
            );
        }
    }
}

#[test]
fn dot_labels_are_escaped() {
    let q = fixture("graph/labels.ron");
    let out = to_graph(&q, GraphFormat::Dot, true);
    insta::assert_snapshot!("labels_dot", out);
    assert!(
        out.contains(r#"label="The \"odd\" [label] | pipe""#),
        "{out}"
    );
    assert!(out.contains(r"back\\slash"), "{out}");
}

#[test]
fn routes_and_options_become_labelled_edges() {
    let q = fixture("valid/basic.ron");
    let out = to_graph(&q, GraphFormat::Mermaid, false);
    insta::assert_snapshot!("basic_mermaid", out);
    assert!(out.contains(r#"q0 -->|"A model"| q1"#));
    assert!(out.contains("“Compute” #gt; 1e25"));
    assert!(!out.contains("-.->"), "no outcomes unless asked");
    let out = to_graph(&q, GraphFormat::Dot, false);
    insta::assert_snapshot!("basic_dot", out);
}

#[test]
fn the_command_prints_the_graph() {
    let o = common::command()
        .args([
            "graph",
            "--questionnaire",
            "tests/fixtures/valid/basic.ron",
            "--format",
            "dot",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("digraph \"basic\" {"));
}

#[test]
fn a_sessions_path_is_highlighted() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        common::command()
            .arg("--data-dir")
            .arg(dir.path())
            .args(["--today", "2026-11-26"])
            .args(args)
            .output()
            .unwrap()
    };
    let o = run(&[
        "new",
        "--name",
        "team a",
        "--questionnaire",
        "tests/fixtures/valid/basic.ron",
        "--answers",
        "tests/fixtures/cli/complete.answers.ron",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run(&["graph", "--session", "team a"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    // kind → size → big → colour → name → end: every question, and the
    // routes taken, not the ones skipped (kind → colour, size → colour).
    assert!(out.contains("class q0,q1,q2,q3,q4 onpath"), "{out}");
    insta::assert_snapshot!("basic_session_mermaid", out);
    let o = run(&["graph", "--session", "team a", "--format", "dot"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("q0 -> q1 [label=\"A model\", color="), "{out}");
    assert!(out.contains("q0 -> q3 [label=\"A dataset\"];"), "{out}");
    let o = run(&["graph", "--session", "nobody"]);
    assert_ne!(o.status.code(), Some(0));
}

/// The visible text of every quoted Mermaid label, entity codes counted as
/// the one character they stand for.
fn mermaid_labels(out: &str) -> Vec<String> {
    let mut labels = Vec::new();
    for line in out.lines() {
        let parts: Vec<&str> = line.split('"').collect();
        for label in parts.iter().skip(1).step_by(2) {
            let mut visible = String::new();
            let mut rest = *label;
            while let Some(i) = rest.find('#') {
                visible.push_str(&rest[..i]);
                match rest[i..].find(';') {
                    Some(j) => {
                        visible.push('·');
                        rest = &rest[i + j + 1..];
                    }
                    None => {
                        visible.push('#');
                        rest = &rest[i + 1..];
                    }
                }
            }
            visible.push_str(rest);
            labels.push(visible);
        }
    }
    labels
}

fn edge_lines(out: &str) -> usize {
    out.lines()
        .filter(|l| l.contains(" --> ") || l.contains(" -.-> ") || l.contains("-->|"))
        .count()
}

#[test]
fn shipped_graphs_fit_mermaids_limits_with_short_labels_in_words() {
    use aiact::report::{LABEL_MAX, MERMAID_MAX_EDGES, mermaid_edges};
    for (id, _, _) in aiact::questionnaire::SHIPPED {
        let q = aiact::questionnaire::load_shipped(id).unwrap().unwrap();
        for outcomes in [false, true] {
            let out = to_graph(&q, GraphFormat::Mermaid, outcomes);
            let edges = edge_lines(&out);
            assert_eq!(edges, mermaid_edges(&q, outcomes), "{id} {outcomes}");
            assert!(
                edges <= MERMAID_MAX_EDGES,
                "{id} (outcomes: {outcomes}) has {edges} edges"
            );
            for label in mermaid_labels(&out) {
                assert!(
                    label.chars().count() <= LABEL_MAX,
                    "{id}: {} chars: {label}",
                    label.chars().count()
                );
            }
            // Facts are named by their description, never by their id.
            for f in &q.facts {
                if f.def.id.contains('_') {
                    assert!(
                        !out.contains(&f.def.id),
                        "{id}: raw fact id {} in the graph",
                        f.def.id
                    );
                }
            }
            // DOT stays a well-formed digraph (Graphviz is not needed here).
            let out = to_graph(&q, GraphFormat::Dot, outcomes);
            assert!(out.starts_with("digraph ") && out.trim_end().ends_with('}'));
            assert_eq!(out.matches('{').count(), out.matches('}').count(), "{id}");
        }
    }
    // The shipped questionnaire's outcomes graph was 753 edges, one per
    // (outcome, question read): now one per (group, question read).
    let q = aiact::questionnaire::load_shipped("eu-ai-act-oss")
        .unwrap()
        .unwrap();
    assert!(mermaid_edges(&q, true) < 300, "{}", mermaid_edges(&q, true));
}

#[test]
fn labels_are_cut_at_a_word_with_an_ellipsis() {
    use aiact::report::{LABEL_MAX, shorten};
    assert_eq!(shorten("Licence"), "Licence");
    let exact = "x".repeat(LABEL_MAX);
    assert_eq!(shorten(&exact), exact);
    let long =
        "It reaches the EU (or EU use is not clearly excluded) and it is released to the public";
    let cut = shorten(long);
    assert!(cut.ends_with('…'), "{cut}");
    assert!(cut.chars().count() <= LABEL_MAX, "{cut}");
    assert_eq!(
        cut,
        "It reaches the EU (or EU use is not clearly excluded) and…"
    );
    // No space late enough: cut mid-word rather than lose most of the label.
    let word = "a".repeat(100);
    assert_eq!(shorten(&word).chars().count(), LABEL_MAX);
    // Multi-byte text is cut on character boundaries.
    let wide = "é".repeat(100);
    assert_eq!(shorten(&wide).chars().count(), LABEL_MAX);
}

#[test]
fn outcomes_are_boxed_by_group_with_one_edge_per_question_and_group() {
    let q = fixture("valid/basic.ron");
    let out = to_graph(&q, GraphFormat::Mermaid, true);
    assert!(out.contains("    subgraph g0[\"What applies\"]\n"), "{out}");
    assert!(out.contains("        o0{{\"Model rules\"}}\n"), "{out}");
    assert!(out.contains("    q0 -.-> g0\n"), "{out}");
    assert_eq!(out.matches("q0 -.-> g0").count(), 1, "{out}");
    assert!(!out.contains("-.-> o"), "no edge per outcome: {out}");
    let dot = to_graph(&q, GraphFormat::Dot, true);
    assert!(
        dot.contains("    subgraph cluster_g0 {\n        label=\"What applies\";"),
        "{dot}"
    );
    assert!(dot.contains("q0 -> o0 [style=dashed];"), "{dot}");
}

#[test]
fn a_diagram_over_mermaids_edge_limit_is_printed_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.ron");
    std::fs::write(&file, aiact::synth::questionnaire(400, 7)).unwrap();
    let q = load_path(&file).unwrap();
    assert!(aiact::report::mermaid_edges(&q, false) > aiact::report::MERMAID_MAX_EDGES);
    let o = common::command()
        .args(["graph", "--questionnaire"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("Mermaid renderers refuse more than 500"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("flowchart TD"));
    // DOT has no such limit: no warning.
    let o = common::command()
        .args(["graph", "--format", "dot", "--questionnaire"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn the_readme_example_is_what_the_command_draws() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let section = readme.split("## Decision tree").nth(1).unwrap();
    let block = section
        .split("```mermaid\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let q = aiact::questionnaire::load_shipped("model-openness")
        .unwrap()
        .unwrap();
    assert_eq!(block, to_graph(&q, GraphFormat::Mermaid, false));
}
