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

/// Issue 16 points 1 and 3: the dates the report shows are checked by the
/// scenarios' `dates`, and the runner really fails a wrong date.
#[test]
fn issue_16_dates_are_asserted_and_checked() {
    let q = shipped("eu-ai-act-oss");
    let dir = Path::new("tests/scenarios/eu-ai-act-oss");
    // (scenario, outcome, date) — the dates from issue 16 and legal-basis.md section 6.
    let expected = [
        // Art 50(2) for a system only put into service for own use: since 2 Aug 2026.
        (
            "marking_internal_system_before_aug_2026",
            "ob.transparency_marking",
            "2026-08-02",
        ),
        // Art 111(4): placed on the market before 2 Aug 2026, extra time to 2 Dec 2026.
        (
            "marking_placed_system_before_aug_2026",
            "ob.transparency_marking",
            "2026-12-02",
        ),
        // Placed on the market after 2 Aug 2026: no extra time.
        (
            "marking_placed_system_after_aug_2026",
            "ob.transparency_marking",
            "2026-08-02",
        ),
        // Art 49(2) registration (Chapter III Section 5) read as applying since 2 Aug 2026.
        (
            "not_high_risk_record_registration_date",
            "ob.not_high_risk_record",
            "2026-08-02",
        ),
    ];
    for (name, id, date) in expected {
        let path = dir.join(format!("{name}.ron"));
        let s = load_scenario(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            s.dates.get(id).map(String::as_str),
            Some(date),
            "{name} must assert that {id} applies from {date}"
        );
        let shown = path.display().to_string();
        let outcome = run(&q, &s, &shown).unwrap();
        assert!(outcome.passed(), "{shown}: {:?}", outcome.failures);
        // The engine itself, not only the runner: the date of the outcome.
        let ev = evaluate(&q, &s.answers, aiact::parse_date(&s.today).unwrap());
        let o = ev
            .outcomes
            .iter()
            .find(|o| q.outcomes[o.index].id() == id)
            .unwrap_or_else(|| panic!("{name}: {id} is not shown"));
        assert_eq!(
            o.applies_from,
            Some(aiact::parse_date(date).unwrap()),
            "{name}: {id}"
        );
        // A wrong expected date fails the scenario.
        let mut wrong = s.clone();
        wrong.dates.insert(id.to_string(), "2026-01-01".to_string());
        let failed = run(&q, &wrong, &shown).unwrap();
        assert!(
            failed
                .failures
                .iter()
                .any(|f| f.contains(id) && f.contains("expected 2026-01-01")),
            "{name}: a wrong date passed: {:?}",
            failed.failures
        );
    }
}

fn outcome_text(q: &Questionnaire, id: &str) -> String {
    let o = q.outcome(id).unwrap_or_else(|| panic!("no outcome {id}"));
    let cites: Vec<String> = o.def.citations.iter().map(|c| c.pinpoint.clone()).collect();
    format!(
        "{}\n{}\n{}\n{}",
        o.def.title,
        o.def.summary,
        o.def.explanation,
        cites.join("\n")
    )
}

/// Wording fixed for issues 16 and 11 stays fixed: undoing one of them fails
/// here, not only in a review.
#[test]
fn issue_16_and_11_wording_is_kept() {
    let q = shipped("eu-ai-act-oss");
    let has = |id: &str, needle: &str| {
        let text = outcome_text(&q, id);
        assert!(text.contains(needle), "{id} no longer says \"{needle}\"");
    };
    // 16.2: the Art 25(4) open-source carve-out is the second sentence of the first subparagraph.
    for id in [
        "ex.oss_component_supplier",
        "ob.supplier_agreement",
        "caution.oss_model_supplier",
    ] {
        has(id, "second sentence of the first subparagraph");
    }
    for o in &q.outcomes {
        let text = outcome_text(&q, o.id());
        assert!(
            !text.contains("second subparagraph"),
            "{} cites Art 25(4)'s \"second subparagraph\"",
            o.id()
        );
    }
    // 16.4: Art 4(1) as amended.
    has("ob.ai_literacy", "Art 4(1)");
    has("ob.ai_literacy", "support the development of AI literacy");
    has("ob.ai_literacy", "No specific level");
    // 16.9: Commission fines for general-purpose model providers only from 2 Aug 2026.
    for id in [
        "ob.gpai_technical_documentation",
        "ob.gpai_downstream_information",
        "ob.gpai_copyright_policy",
        "ob.gpai_training_summary",
        "ob.gpai_authorised_representative",
        "ob.gpai_systemic_notification",
        "ob.gpai_systemic_risk",
        "ob.modification_provider",
    ] {
        has(id, "only since 2 August 2026 (Art 101; Art 113(b)");
    }
    // 16.11: the Guidelines' number is marked as to be confirmed, wherever it is given.
    let guidelines = q.reference("guidelines").unwrap();
    for (what, text) in [
        ("the legal basis", q.meta.legal_basis.as_str()),
        ("the Guidelines reference", guidelines.title.as_str()),
    ] {
        if text.contains("C(2025) 5045") {
            assert!(
                text.contains("to be confirmed"),
                "{what} gives the Guidelines' number as settled"
            );
        }
    }
    assert!(guidelines.title.contains("to be confirmed"));
    for o in &q.outcomes {
        assert!(
            !outcome_text(&q, o.id()).contains("C(2025) 5045"),
            "{} asserts the Guidelines' number",
            o.id()
        );
    }
    // 11.4: the generic-loader option does not already say the library runs the model,
    // which the next question asks.
    let weights = q.question("library_weights").unwrap();
    let loader = weights
        .options
        .iter()
        .find(|o| o.id == "loads_any")
        .unwrap();
    assert!(
        !loader.label.contains("runs"),
        "the loads_any option answers the library_inference question in advance"
    );
    // Issue 16.5 / legal-basis.md section 5: real-world testing of other systems is in scope of Arts 4, 5, 50.
    has("rec.sandbox", "Arts 4, 5 and 50");
    // 11.6: rec.notify_early is worded for models already on the market too.
    has("rec.notify_early", "already on the market");
    has("rec.notify_early", "Art 111(3) gives until 2 August 2027");
    has("rec.notify_early", "notify now");
    // 11.7: small mid-caps by headcount, turnover and balance sheet.
    let limits = "EUR 150 million";
    let balance = "EUR 129 million";
    for id in ["caution.small_midcap_definition", "rec.sme_support"] {
        has(id, "750");
        has(id, limits);
        has(id, balance);
    }
    let who = q.question("who").unwrap();
    let label = &who
        .options
        .iter()
        .find(|o| o.id == "small_midcap")
        .unwrap()
        .label;
    for needle in ["750", limits, balance] {
        assert!(
            label.contains(needle),
            "the small mid-cap option lacks {needle}"
        );
    }
}
