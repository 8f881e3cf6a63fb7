//! `aiact diff`: two sessions of a fixture questionnaire side by side.

mod common;

use common::aiact_in;

fn two_sessions() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let q = "tests/fixtures/valid/basic.ron";
    for (name, answers) in [
        ("team a", "tests/fixtures/cli/complete.answers.ron"),
        ("team b", "tests/fixtures/cli/other.answers.ron"),
    ] {
        let o = aiact_in(
            dir.path(),
            &[
                "new",
                "--name",
                name,
                "--questionnaire",
                q,
                "--answers",
                answers,
            ],
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    dir
}

#[test]
fn shows_answers_and_outcomes_that_differ() {
    let dir = two_sessions();
    let o = aiact_in(dir.path(), &["diff", "team a", "team b"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("| Question | team a | team b |"), "{out}");
    assert!(
        out.contains("| Compute | 3×10^25 FLOP | 2e23 FLOP |"),
        "{out}"
    );
    assert!(out.contains("| Designated | Yes | — |"), "{out}");
    assert!(
        out.contains("| Name | tiny \\| &lt;b&gt;model&lt;/b&gt; | other |"),
        "{out}"
    );
    assert!(
        out.contains("| Huge model rules (`yes.huge`) | applies | — |"),
        "{out}"
    );
    assert!(
        out.contains("| Nothing coloured (`maybe.plain`) | — | applies |"),
        "{out}"
    );
    assert!(out.contains("2 outcome(s) are the same in both."), "{out}");
}

#[test]
fn a_session_compared_with_itself_has_no_differences_and_json_works() {
    let dir = two_sessions();
    let o = aiact_in(
        dir.path(),
        &["diff", "team a", "team a", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["answers"].as_array().unwrap().len(), 0);
    assert_eq!(v["outcomes"].as_array().unwrap().len(), 0);
    assert_eq!(v["same_outcomes"], 4);
    let o = aiact_in(
        dir.path(),
        &["diff", "team a", "team b", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let huge = v["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "yes.huge")
        .unwrap();
    assert_eq!(huge["a"], "applies");
    assert!(huge["b"].is_null());
}

#[test]
fn an_unknown_session_is_an_error() {
    let dir = two_sessions();
    let o = aiact_in(dir.path(), &["diff", "team a", "team c"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
