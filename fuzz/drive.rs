//! The code paths the fuzz targets drive, shared word for word with
//! `tests/fuzz_regressions.rs` (which includes this file with `#[path]`), so
//! a saved finding is replayed on stable exactly as the fuzzer ran it.
//!
//! Each function returns the library's own result: an `Err` is a refused
//! input and fine; a panic, a hang or a huge allocation is a finding.

#![allow(dead_code)] // each target uses one entry point

use std::sync::OnceLock;

use aiact::answers::{Answer, Answers};
use aiact::engine::{evaluate, resolve_answers};
use aiact::questionnaire::{self, Kind, Questionnaire, source};
use aiact::scenario::{self, Scenario};
use aiact::session::{Origin, Session, migrate};
use jiff::civil::{Date, date};

/// A fixed assessment date, so runs are reproducible.
pub fn today() -> Date {
    date(2026, 11, 26)
}

/// A shipped questionnaire, loaded once per process.
pub fn shipped(id: &str) -> &'static Questionnaire {
    static OSS: OnceLock<Questionnaire> = OnceLock::new();
    static OPENNESS: OnceLock<Questionnaire> = OnceLock::new();
    let cell = if id == "model-openness" {
        &OPENNESS
    } else {
        &OSS
    };
    cell.get_or_init(|| {
        let id = if id == "model-openness" {
            id
        } else {
            questionnaire::DEFAULT_ID
        };
        questionnaire::load_shipped(id)
            .expect("shipped id")
            .expect("shipped questionnaires load")
    })
}

/// An answer to every question that picks its first option (or a plain
/// number or text), as a user racing through would.
pub fn first_options(q: &Questionnaire) -> Answers {
    q.questions
        .iter()
        .filter_map(|question| {
            let answer = match question.kind() {
                Kind::Single | Kind::YesNo => Answer::Choice(question.options.first()?.id.clone()),
                Kind::Multiple { .. } => {
                    Answer::Choices(vec![question.options.first()?.id.clone()])
                }
                Kind::Number { min, .. } => Answer::Number(min.unwrap_or(1.0).to_string()),
                Kind::Text { .. } => Answer::Text("x".to_string()),
                // An information screen takes no answer.
                Kind::Info => return None,
            };
            Some((question.id().to_string(), answer))
        })
        .collect()
}

/// Evaluates `answers` the ways the commands and the app do.
fn exercise(q: &Questionnaire, answers: &Answers) {
    let ev = evaluate(q, answers, today());
    let _ = ev.statuses(q);
    let _ = aiact::engine::effective_answers(q, answers, &ev);
    let _ = resolve_answers(q, answers);
}

/// `questionnaire`: load any text as a questionnaire; if it loads, evaluate
/// it with no answers and with the first option of every question.
pub fn questionnaire(text: &str) -> aiact::Result<()> {
    let q = questionnaire::load_str("fuzz.ron", text)?;
    exercise(&q, &Answers::new());
    exercise(&q, &first_options(&q));
    Ok(())
}

/// `session`: read any text as a session file; if it reads, it must save
/// and read back unchanged, and resume (migrate) against its questionnaire.
pub fn session(text: &str) -> aiact::Result<()> {
    let mut s = Session::from_ron("fuzz.session.ron", text)?;
    let saved = s.to_ron();
    let back = Session::from_ron("fuzz.session.ron (saved again)", &saved)
        .expect("a session that was read saves to a file that reads back");
    assert_eq!(back, s, "a session survives a save unchanged");
    let _ = aiact::session::report_info(&s);
    let q = match &s.questionnaire.origin {
        Origin::Shipped => match questionnaire::load_shipped(&s.questionnaire.id) {
            Some(Ok(_)) => shipped(&s.questionnaire.id).clone(),
            _ => return Ok(()),
        },
        Origin::Custom { .. } => {
            let mut q = s.questionnaire.load_embedded()?;
            // Never let the input name a real file for `refresh` to read.
            q.source = "fuzz-no-such-dir/questionnaire.ron".to_string();
            q
        }
    };
    let (ev, _) = migrate(&mut s, &q, today());
    let _ = ev.statuses(&q);
    Ok(())
}

/// `answers`: read any text as an answers file (as `aiact run --answers`)
/// and evaluate it against the shipped questionnaire.
pub fn answers(text: &str) -> aiact::Result<()> {
    let answers: Answers = source::parse_text("fuzz.answers.ron", text, "answers file")?;
    exercise(shipped(questionnaire::DEFAULT_ID), &answers);
    Ok(())
}

/// `scenario`: read any text as a scenario file (as `aiact test`) and run
/// it against the shipped questionnaire it names.
pub fn scenario(text: &str) -> aiact::Result<()> {
    let s: Scenario = source::parse_text("fuzz.scenario.ron", text, "scenario")?;
    let q = shipped(&s.questionnaire);
    let _ = scenario::run(q, &s, "fuzz.scenario.ron")?;
    Ok(())
}
