//! Scenario files: answers in, expected outcome ids out. The same runner
//! serves `cargo test` and `aiact test`, so content is proved the same way
//! everywhere.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::answers::Answers;
use crate::engine::{Status, evaluate};
use crate::error::{Error, Problem, Result};
use crate::questionnaire::{Questionnaire, source};

/// One scenario file.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The questionnaire id this scenario is written for.
    pub questionnaire: String,
    #[serde(default)]
    pub name: String,
    /// The assessment date, `YYYY-MM-DD`.
    pub today: String,
    pub answers: Answers,
    /// Outcome ids or `prefix*` patterns that must apply.
    #[serde(default)]
    pub must: Vec<String>,
    /// Outcome ids or patterns that must neither apply nor be provisional.
    #[serde(default)]
    pub must_not: Vec<String>,
    /// Outcome ids or patterns that must be provisional.
    #[serde(default)]
    pub provisional: Vec<String>,
    /// Allow unanswered questions on the path.
    #[serde(default)]
    pub partial: bool,
    /// Outcome ids (exact, no patterns) and the date, `YYYY-MM-DD`, from which
    /// each must apply; the outcome must be shown (applying or provisional).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dates: BTreeMap<String, String>,
}

/// Reads a scenario file.
pub fn load_scenario(path: &Path) -> Result<Scenario> {
    let text = source::read_text(
        path,
        "read the scenario",
        "the scenario file is not valid UTF-8 text",
        "Save the file as UTF-8.",
    )?;
    source::parse_text(&path.display().to_string(), &text, "scenario")
}

/// Collects scenario files from files and folders (folders: every `*.ron`,
/// sorted, not recursive into hidden folders).
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            while let Some(dir) = stack.pop() {
                let entries =
                    std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, "read the folder", &e))?;
                for entry in entries.flatten() {
                    let path = entry.path();
                    let hidden = path
                        .file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with('.'));
                    if hidden {
                        continue;
                    }
                    if path.is_dir() {
                        stack.push(path);
                    } else if path.extension().is_some_and(|e| e == "ron") {
                        out.push(path);
                    }
                }
            }
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(Error::Input(format!(
                "{}: no such scenario file or folder",
                p.display()
            )));
        }
    }
    out.sort();
    Ok(out)
}

/// Whether an outcome id matches an id or a `prefix*` pattern.
pub fn matches(pattern: &str, id: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => id.starts_with(prefix),
        None => pattern == id,
    }
}

/// What went wrong with one scenario; empty means it passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub failures: Vec<String>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Checks a scenario's own consistency against the questionnaire (id,
/// date, patterns that match no outcome) before running it.
pub fn check(q: &Questionnaire, s: &Scenario, path: &str) -> Result<jiff::civil::Date> {
    let mut problems = Vec::new();
    if s.questionnaire != q.meta.id {
        problems.push(Problem {
            line: None,
            subject: "scenario".into(),
            message: format!(
                "is for questionnaire \"{}\", but it is run against \"{}\"",
                s.questionnaire, q.meta.id
            ),
            consequences: Vec::new(),
        });
    }
    let today = crate::parse_date(&s.today);
    if today.is_err() {
        problems.push(Problem {
            line: None,
            subject: "scenario".into(),
            message: format!("today \"{}\" is not a date; write YYYY-MM-DD", s.today),
            consequences: Vec::new(),
        });
    }
    for (list, patterns) in [
        ("must", &s.must),
        ("must_not", &s.must_not),
        ("provisional", &s.provisional),
    ] {
        for p in patterns {
            if !q.outcomes.iter().any(|o| matches(p, o.id())) {
                problems.push(Problem {
                    line: None,
                    subject: format!("{list} \"{p}\""),
                    message: "matches no outcome of the questionnaire; check the spelling".into(),
                    consequences: Vec::new(),
                });
            }
        }
    }
    for (id, date) in &s.dates {
        if q.outcome(id).is_none() {
            problems.push(Problem {
                line: None,
                subject: format!("dates \"{id}\""),
                message: "is not an outcome id of the questionnaire (patterns are not allowed here); check the spelling".into(),
                consequences: Vec::new(),
            });
        }
        if crate::parse_date(date).is_err() {
            problems.push(Problem {
                line: None,
                subject: format!("dates \"{id}\""),
                message: format!("\"{date}\" is not a date; write YYYY-MM-DD"),
                consequences: Vec::new(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid {
            path: path.to_string(),
            what: "scenario",
            problems,
            hint: "Fix the scenario file and run `aiact test` again.".into(),
        });
    }
    Ok(today.expect("checked above"))
}

/// Runs one scenario.
pub fn run(q: &Questionnaire, s: &Scenario, path: &str) -> Result<Outcome> {
    let today = check(q, s, path)?;
    let ev = evaluate(q, &s.answers, today);
    let mut failures = Vec::new();
    for p in &ev.problems {
        failures.push(format!(
            "answer to \"{}\" is not usable: {}",
            p.question, p.message
        ));
    }
    if !s.partial
        && let Some(c) = ev.current
    {
        let question = &q.questions[c];
        failures.push(format!(
            "question \"{}\" ({}) is on the path but not answered",
            question.id(),
            crate::text::printable_line(question.short())
        ));
    }
    for off in &ev.off_path {
        failures.push(format!(
            "question \"{}\" is answered but not on the path",
            q.questions[*off].id()
        ));
    }
    let status_of = |id: &str| {
        ev.outcomes
            .iter()
            .find(|o| q.outcomes[o.index].id() == id)
            .map(|o| o.status)
    };
    for p in &s.must {
        for o in q.outcomes.iter().filter(|o| matches(p, o.id())) {
            match status_of(o.id()) {
                Some(Status::Applies) => {}
                Some(Status::Provisional) => failures.push(format!(
                    "{} is only provisional, expected it to apply",
                    o.id()
                )),
                None => failures.push(format!("{} is missing", o.id())),
            }
        }
    }
    for p in &s.provisional {
        for o in q.outcomes.iter().filter(|o| matches(p, o.id())) {
            match status_of(o.id()) {
                Some(Status::Provisional) => {}
                Some(Status::Applies) => {
                    failures.push(format!("{} applies, expected it to be provisional", o.id()))
                }
                None => failures.push(format!(
                    "{} is missing, expected it to be provisional",
                    o.id()
                )),
            }
        }
    }
    for p in &s.must_not {
        for o in q.outcomes.iter().filter(|o| matches(p, o.id())) {
            match status_of(o.id()) {
                Some(Status::Applies) => failures.push(format!("{} applies but must not", o.id())),
                Some(Status::Provisional) => {
                    failures.push(format!("{} is provisional but must not appear", o.id()))
                }
                None => {}
            }
        }
    }
    for (id, date) in &s.dates {
        let expected = crate::parse_date(date).expect("checked above");
        match ev.outcomes.iter().find(|o| q.outcomes[o.index].id() == id) {
            None => failures.push(format!(
                "{id} is missing, expected it to apply from {expected}"
            )),
            Some(o) => match o.applies_from {
                Some(d) if d == expected => {}
                Some(d) => failures.push(format!("{id} applies from {d}, expected {expected}")),
                None => failures.push(format!(
                    "{id} has no date, expected it to apply from {expected}"
                )),
            },
        }
    }
    Ok(Outcome { failures })
}
