//! `aiact aggregate` over fixture sessions: counts, grouping by version,
//! a corrupt file skipped, anonymising, and CSV cells that a spreadsheet
//! would run as formulas neutralised.

mod common;

use common::{aiact_in, stdout};

use std::path::Path;

fn new_session(data: &Path, name: &str, q: &str, answers: &str) {
    let o = aiact_in(
        data,
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

fn workshop() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let basic = "tests/fixtures/valid/basic.ron";
    new_session(
        d,
        "table one",
        basic,
        "tests/fixtures/cli/complete.answers.ron",
    );
    new_session(
        d,
        "table two",
        basic,
        "tests/fixtures/cli/other.answers.ron",
    );
    new_session(
        d,
        "table three",
        basic,
        "tests/fixtures/cli/partial.answers.ron",
    );
    std::fs::write(d.join("broken.ron"), "(format_version: 1, name: \"half").unwrap();
    std::fs::write(d.join("notes.txt"), "not a session").unwrap();
    dir
}

#[test]
fn counts_outcomes_and_answers_and_skips_broken_files() {
    let dir = workshop();
    let o = aiact_in(dir.path(), &["aggregate", dir.path().to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = stdout(&o);
    assert!(out.contains("# Aggregate of 3 session(s)"), "{out}");
    assert!(out.contains("- Skipped 1 broken file(s):"), "{out}");
    assert!(out.contains("broken.ron"), "{out}");
    assert!(out.contains("Incomplete: table three"), "{out}");
    // yes.model applies for all three (the third has answered "model").
    assert!(
        out.contains("| Model rules (`yes.model`) | 3 | 0 |"),
        "{out}"
    );
    assert!(
        out.contains("| Huge model rules (`yes.huge`) | 1 | 1 |"),
        "{out}"
    );
    assert!(out.contains("- **Kind**: A model × 3"), "{out}");
    assert!(out.contains("- **Name**: (text answer) × 2"), "{out}");
}

#[test]
fn anonymise_drops_names() {
    let dir = workshop();
    let o = aiact_in(
        dir.path(),
        &[
            "aggregate",
            "--anonymise",
            "--format",
            "json",
            dir.path().to_str().unwrap(),
        ],
    );
    let out = stdout(&o);
    assert!(!out.contains("table"), "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["sessions"], 3);
    assert_eq!(v["groups"][0]["incomplete"][0], "session 2"); // files are read in name order
    assert_eq!(v["broken"].as_array().unwrap().len(), 1);
}

#[test]
fn versions_are_grouped_and_flagged() {
    let dir = workshop();
    let newer = dir.path().join("newer.ron");
    let src = std::fs::read_to_string("tests/fixtures/valid/basic.ron")
        .unwrap()
        .replace("version: \"1.0.0\"", "version: \"2.0.0\"");
    std::fs::write(&newer, src).unwrap();
    let other = tempfile::tempdir().unwrap();
    new_session(
        other.path(),
        "table four",
        newer.to_str().unwrap(),
        "tests/fixtures/cli/other.answers.ron",
    );
    let o = aiact_in(
        dir.path(),
        &[
            "aggregate",
            dir.path().to_str().unwrap(),
            other.path().to_str().unwrap(),
        ],
    );
    let out = stdout(&o);
    assert!(
        out.contains("**Different questionnaire versions:**"),
        "{out}"
    );
    assert!(out.contains("version 1.0.0: 3 session(s)"), "{out}");
    assert!(out.contains("version 2.0.0: 1 session(s)"), "{out}");
}

#[test]
fn csv_neutralises_formula_cells() {
    let dir = tempfile::tempdir().unwrap();
    new_session(
        dir.path(),
        "evil",
        "tests/fixtures/aggregate/injection.ron",
        "tests/fixtures/aggregate/data.answers.ron",
    );
    std::fs::write(dir.path().join("broken.ron"), "oops").unwrap();
    let o = aiact_in(
        dir.path(),
        &["aggregate", "--format", "csv", dir.path().to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.starts_with("questionnaire,version,kind,id,value,count\n"),
        "{out}"
    );
    assert!(
        out.contains("\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\",1"),
        "{out}"
    );
    for line in out.lines() {
        for cell in line.split(',') {
            let inner = cell.trim_start_matches('"');
            assert!(
                !inner.starts_with(['=', '+', '@']),
                "unneutralised cell in {line}"
            );
        }
    }
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("skipped"),
        "broken file not reported"
    );
}
