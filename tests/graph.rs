//! `aiact graph`: the decision tree in Mermaid and DOT, with every label
//! escaped for its format (quotes, brackets, pipes and angle brackets in the
//! fixture's labels).

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
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_aiact"))
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
        std::process::Command::new(env!("CARGO_BIN_EXE_aiact"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(["--today", "2026-11-26"])
            .args(args)
            .env_remove("AIACT_DATA_DIR")
            .stdin(std::process::Stdio::null())
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
