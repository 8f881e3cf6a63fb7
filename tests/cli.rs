//! The real binary: exit codes, both output formats, `test` passing and
//! failing, and `validate`.

mod common;

use common::{aiact, stderr, stdout};

const Q: &str = "tests/fixtures/valid/basic.ron";

#[test]
fn validate_accepts_the_shipped_questionnaires() {
    let o = aiact(&["validate"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("shipped:eu-ai-act-oss: ok"));
    assert!(stdout(&o).contains("shipped:model-openness: ok"));
}

#[test]
fn validate_rejects_a_bad_file_with_exit_1() {
    let o = aiact(&["validate", "tests/fixtures/invalid/dangling_route.ron"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("tests/fixtures/invalid/dangling_route.ron:36: question \"size\": routes to unknown question \"colur\""));
    let o = aiact(&["validate", "tests/fixtures/does-not-exist.ron"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("could not read the questionnaire: no such file or folder"));
}

#[test]
fn run_prints_markdown_with_reasons_citations_and_dates() {
    let o = aiact(&[
        "run",
        "--questionnaire",
        Q,
        "--answers",
        "tests/fixtures/cli/complete.answers.ron",
        "--today",
        "2026-11-26",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(md.contains("# Basic fixture"));
    assert!(md.contains("### Large model rules"));
    assert!(md.contains("  - The model is large"));
    assert!(md.contains("[Fixture rules, Rule 3](https://example.org/rules)"));
    assert!(md.contains("applies since 2 August 2025"));
    // User text is escaped.
    assert!(md.contains("tiny \\| &lt;b&gt;model&lt;/b&gt;"), "{md}");
}

#[test]
fn run_prints_json_with_the_documented_fields() {
    let o = aiact(&[
        "run",
        "--questionnaire",
        Q,
        "--answers",
        "tests/fixtures/cli/complete.answers.ron",
        "--format",
        "json",
        "--today",
        "2026-11-26",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["questionnaire"]["id"], "basic");
    assert_eq!(v["questionnaire"]["logic_hash"].as_str().unwrap().len(), 64);
    assert_eq!(v["assessment_date"], "2026-11-26");
    assert_eq!(v["answers"]["size"]["Number"], "3×10^25");
    let outcomes = v["outcomes"].as_array().unwrap();
    let large = outcomes.iter().find(|o| o["id"] == "yes.large").unwrap();
    assert_eq!(large["status"], "applies");
    assert_eq!(large["group"], "yes");
    assert_eq!(large["applies_from"], "2025-08-02");
    assert_eq!(large["citations"][0]["url"], "https://example.org/rules");
    assert_eq!(large["citations"][0]["pinpoint"], "Rule 3");
    assert_eq!(large["because"][0]["text"], "The model is large");
}

#[test]
fn run_names_the_unanswered_question_or_prints_provisional_results() {
    let o = aiact(&[
        "run",
        "--questionnaire",
        Q,
        "--answers",
        "tests/fixtures/cli/partial.answers.ron",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o)
            .contains("question \"size\" is not answered: How much compute did training use?")
    );
    let o = aiact(&[
        "run",
        "--questionnaire",
        Q,
        "--answers",
        "tests/fixtures/cli/partial.answers.ron",
        "--partial",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["complete"], false);
    assert_eq!(v["next_question"]["id"], "size");
    assert!(
        v["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["status"] == "provisional")
    );
}

#[test]
fn run_rejects_answers_that_do_not_fit() {
    let o = aiact(&[
        "run",
        "--questionnaire",
        Q,
        "--answers",
        "tests/fixtures/cli/bad.answers.ron",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("answer to \"ghost\": there is no such question in this questionnaire"),
        "{err}"
    );
    assert!(
        err.contains("answer to \"kind\": there is no option \"modle\""),
        "{err}"
    );
}

#[test]
fn test_command_passes_and_fails_with_a_table() {
    let o = aiact(&[
        "test",
        "--questionnaire",
        Q,
        "tests/fixtures/cli/scenarios-pass",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("2 passed, 0 failed"));
    let o = aiact(&[
        "test",
        "--questionnaire",
        Q,
        "tests/fixtures/cli/scenarios-fail",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("FAIL  tests/fixtures/cli/scenarios-fail/wrong.ron"),
        "{out}"
    );
    assert!(out.contains("- yes.model is missing"), "{out}");
    assert!(out.contains("- maybe.plain applies but must not"), "{out}");
    assert!(
        out.contains("must_not \"yes.modle\": matches no outcome of the questionnaire"),
        "{out}"
    );
    assert!(out.contains("0 passed, 2 failed"), "{out}");
}

#[test]
fn usage_errors_exit_2() {
    let o = aiact(&["run"]);
    assert_eq!(o.status.code(), Some(2));
    let o = aiact(&["--today", "yesterday", "validate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("\"yesterday\" is not a date"));
    let o = aiact(&["--version"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("aiact "));
}

/// `run` says which answers the path does not use, instead of ignoring them.
#[test]
fn run_warns_about_answers_off_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("off.answers.ron");
    std::fs::write(
        &file,
        "{ \"kind\": Choice(\"other\"), \"size\": Number(\"3e24\") }\n",
    )
    .unwrap();
    let o = aiact(&[
        "run",
        "--questionnaire",
        Q,
        "--answers",
        file.to_str().unwrap(),
        "--today",
        "2026-11-26",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("question \"size\" (Compute) is answered but not on the path: the other answers lead past it"),
        "{err}"
    );
}

/// `delete` asks for confirmation only when `main` found a terminal
/// (`Env::interactive`), and reads the answer from the input it is given.
#[test]
fn delete_asks_on_the_terminal_main_found() {
    use clap::Parser;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let run = |args: &[&str], interactive: bool, input: &str| {
        let mut env = aiact::env::Env::fixed(jiff::civil::date(2026, 11, 26));
        env.interactive = interactive;
        let cli =
            aiact::cli::Cli::parse_from(["aiact", "--data-dir", data].iter().chain(args.iter()));
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = aiact::cli::run(cli, &env, &mut input.as_bytes(), &mut out, &mut err);
        (
            code,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    };
    let (code, _, err) = run(&["new", "--name", "gone", "--questionnaire", Q], false, "");
    assert_eq!(code, 0, "{err}");
    // No terminal: refused whatever the input holds.
    let (code, _, err) = run(&["delete", "gone"], false, "y\n");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pass --yes"), "{err}");
    assert!(dir.path().join("gone.ron").is_file());
    // A terminal: asked, and "n" keeps it.
    let (code, out, _) = run(&["delete", "gone"], true, "n\n");
    assert_eq!(code, 0);
    assert!(out.contains("Not deleted."), "{out}");
    assert!(dir.path().join("gone.ron").is_file());
    let (code, out, _) = run(&["delete", "gone"], true, "y\n");
    assert_eq!(code, 0);
    assert!(out.contains("Deleted"), "{out}");
    assert!(!dir.path().join("gone.ron").exists());
}
