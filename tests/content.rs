//! The shipped content proved by its scenarios: every scenario passes; every
//! outcome rule is really checked (negating it fails some scenario); every
//! outcome is produced and every question asked by some scenario; and the EU
//! questionnaire has every id of the outcome catalogue.

mod common;

use std::path::{Path, PathBuf};

use aiact::engine::{Status, evaluate};
use aiact::questionnaire::{Cond, Questionnaire, load_shipped};
use aiact::scenario::{Scenario, collect, load_scenario, run};

fn scenarios(dir: &str) -> Vec<(PathBuf, Scenario)> {
    let files = collect(&[PathBuf::from(dir)]).unwrap();
    files
        .into_iter()
        .map(|f| {
            let s = load_scenario(&f).unwrap_or_else(|e| panic!("{e}"));
            (f, s)
        })
        .collect()
}

fn shipped(id: &str) -> Questionnaire {
    load_shipped(id).unwrap().unwrap_or_else(|e| panic!("{e}"))
}

fn all_pass(q: &Questionnaire, scenarios: &[(PathBuf, Scenario)]) -> Vec<String> {
    let mut failures = Vec::new();
    for (path, s) in scenarios {
        let shown = path.display().to_string();
        match run(q, s, &shown) {
            Ok(o) if o.passed() => {}
            Ok(o) => failures.push(format!("{shown}:\n  {}", o.failures.join("\n  "))),
            Err(e) => failures.push(format!("{shown}: {e}")),
        }
    }
    failures
}

fn check_questionnaire(id: &str, dir: &str, min_scenarios: usize) {
    let q = shipped(id);
    let scenarios = scenarios(dir);
    assert!(
        scenarios.len() >= min_scenarios,
        "{dir} has {} scenarios, expected at least {min_scenarios}",
        scenarios.len()
    );
    let failures = all_pass(&q, &scenarios);
    assert!(
        failures.is_empty(),
        "failing scenarios:\n{}",
        failures.join("\n")
    );

    // Coverage: every outcome applies in some scenario, every question is asked.
    let mut produced = vec![false; q.outcomes.len()];
    let mut asked = vec![false; q.questions.len()];
    for (_, s) in &scenarios {
        let today = aiact::parse_date(&s.today).unwrap();
        let ev = evaluate(&q, &s.answers, today);
        for o in &ev.outcomes {
            if o.status == Status::Applies {
                produced[o.index] = true;
            }
        }
        for &p in &ev.path {
            asked[p] = true;
        }
    }
    let never: Vec<&str> = q
        .outcomes
        .iter()
        .zip(&produced)
        .filter(|(_, p)| !**p)
        .map(|(o, _)| o.id())
        .collect();
    assert!(never.is_empty(), "outcomes no scenario produces: {never:?}");
    let unasked: Vec<&str> = q
        .questions
        .iter()
        .zip(&asked)
        .filter(|(_, a)| !**a)
        .map(|(q, _)| q.id())
        .collect();
    assert!(
        unasked.is_empty(),
        "questions no scenario asks: {unasked:?}"
    );

    // Mutation: negating any outcome's rule makes some scenario fail.
    let mut survivors = Vec::new();
    for i in 0..q.outcomes.len() {
        let mut mutant = q.clone();
        let original = mutant.outcomes[i].cond.clone();
        mutant.outcomes[i].cond = Cond::Not(Box::new(original));
        if all_pass(&mutant, &scenarios).is_empty() {
            survivors.push(q.outcomes[i].id().to_string());
        }
    }
    assert!(
        survivors.is_empty(),
        "negating these rules fails no scenario: {survivors:?}"
    );
}

#[test]
fn model_openness_scenarios_pass_and_cover_everything() {
    check_questionnaire("model-openness", "tests/scenarios/model-openness", 10);
}

#[test]
fn eu_ai_act_scenarios_pass_and_cover_everything() {
    check_questionnaire("eu-ai-act-oss", "tests/scenarios/eu-ai-act-oss", 36);
}

#[test]
fn eu_ai_act_has_every_catalogue_id() {
    let q = shipped("eu-ai-act-oss");
    let catalogue = std::fs::read_to_string(Path::new("tests/catalogue.txt")).unwrap();
    let missing: Vec<&str> = catalogue
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|id| q.outcome(id).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "catalogue ids missing from the questionnaire: {missing:?}"
    );
    assert!(
        catalogue
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count()
            == 55
    );
}

#[test]
fn every_outcome_is_cited_with_a_link() {
    for (id, _, _) in aiact::questionnaire::SHIPPED {
        let q = shipped(id);
        for o in &q.outcomes {
            assert!(!o.def.citations.is_empty(), "{} has no citation", o.id());
            for c in &o.def.citations {
                let (_, _, url) = q.cite(c);
                assert!(
                    url.starts_with("https://"),
                    "{}: citation {} has no link",
                    o.id(),
                    c.reference
                );
            }
        }
    }
}

#[test]
fn the_readme_example_answers_are_complete() {
    let q = shipped("eu-ai-act-oss");
    for entry in std::fs::read_dir("assets/answers").unwrap().flatten() {
        let path = entry.path();
        let answers = aiact::cli::load_answers(&path).unwrap_or_else(|e| panic!("{e}"));
        let ev = evaluate(&q, &answers, aiact::parse_date("2026-11-26").unwrap());
        assert!(
            ev.problems.is_empty(),
            "{}: {:?}",
            path.display(),
            ev.problems
        );
        assert!(ev.is_complete(), "{} is incomplete", path.display());
        assert!(
            ev.off_path.is_empty(),
            "{} answers questions off its path",
            path.display()
        );
    }
}

/// The README's sample output is what `aiact run` prints for that answers
/// file today: every line shown before the "…" is the program's own.
#[test]
fn the_readme_sample_output_is_what_run_prints() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let cmd = "$ aiact run --answers assets/answers/p1-open-llm.ron --today 2026-11-26\n";
    let start = readme
        .find(cmd)
        .expect("the README shows the sample command")
        + cmd.len();
    let shown = &readme[start..start + readme[start..].find("\n…").expect("the sample ends in …")];
    let out = common::command()
        .args([
            "run",
            "--answers",
            "assets/answers/p1-open-llm.ron",
            "--today",
            "2026-11-26",
        ])
        .output()
        .unwrap();
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(
        printed.starts_with(shown),
        "README sample differs from the output:\n--- README\n{shown}\n--- aiact run\n{}",
        &printed[..printed.len().min(shown.len() + 200)]
    );
}
