//! `aiact diff A B`: two sessions side by side — for two teams, two releases,
//! or one session before and after a re-check.

use std::io::Write;

use jiff::civil::Date;
use serde_json::json;

use super::sessions::load_for_report;
use crate::engine::{Status, diff as diff_statuses};
use crate::error::{Error, Result, exit};
use crate::report::md_escape;
use crate::text::printable_line;

/// How `diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Markdown,
    Json,
}

/// One answer that differs: (question id, its short name, A's answer, B's answer).
type AnswerRow = (String, String, Option<String>, Option<String>);

/// Compares two sessions (names or files) evaluated on `today`.
pub(super) fn diff(
    data_dir: super::sessions::DataDir<'_>,
    a: &str,
    b: &str,
    format: DiffFormat,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32> {
    let (sa, qa, eva) = load_for_report(data_dir, a, None, today)?;
    let (sb, qb, evb) = load_for_report(data_dir, b, None, today)?;
    if qa.meta.id != qb.meta.id {
        return Err(Error::Input(format!(
            "\"{}\" uses questionnaire {} and \"{}\" uses {}; only sessions of the same questionnaire can be compared",
            printable_line(&sa.name),
            printable_line(&qa.meta.id),
            printable_line(&sb.name),
            printable_line(&qb.meta.id)
        )));
    }
    let (answers_a, answers_b) = (
        crate::engine::effective_answers(&qa, &sa.answers(), &eva),
        crate::engine::effective_answers(&qb, &sb.answers(), &evb),
    );
    // Answers in questionnaire order, over both paths.
    let mut rows: Vec<AnswerRow> = Vec::new();
    for question in &qa.questions {
        let id = question.id();
        let (x, y) = (answers_a.get(id), answers_b.get(id));
        if x != y {
            rows.push((
                id.to_string(),
                question.short().to_string(),
                x.map(|v| question.describe(v)),
                y.map(|v| question.describe(v)),
            ));
        }
    }
    // Results only: background outcomes have no status to compare.
    let changes = diff_statuses(&eva.result_statuses(&qa), &evb.result_statuses(&qb));
    let same = eva.results(&qa).count() - changes.iter().filter(|c| c.before.is_some()).count();
    let title = |id: &str| {
        qa.outcome(id)
            .or_else(|| qb.outcome(id))
            .map_or_else(|| id.to_string(), |o| o.def.title.clone())
    };
    match format {
        DiffFormat::Json => {
            let doc = json!({
                "questionnaire": {"id": qa.meta.id, "a_version": qa.meta.version, "b_version": qb.meta.version},
                "assessment_date": today.to_string(),
                "a": {"name": sa.name, "complete": eva.is_complete()},
                "b": {"name": sb.name, "complete": evb.is_complete()},
                "answers": rows.iter().map(|(id, _, x, y)| json!({"question": id, "a": x, "b": y})).collect::<Vec<_>>(),
                "outcomes": changes.iter().map(|c| json!({"id": c.id, "a": c.before, "b": c.after})).collect::<Vec<_>>(),
                "same_outcomes": same,
            });
            let _ = writeln!(
                out,
                "{}",
                crate::text::json_safe(&serde_json::to_string_pretty(&doc).unwrap_or_default())
            );
        }
        DiffFormat::Markdown => {
            let (na, nb) = (md_escape(&sa.name), md_escape(&sb.name));
            let _ = writeln!(out, "# {na} compared with {nb}\n");
            let _ = writeln!(
                out,
                "- Questionnaire: {} ({}), version {} and {}",
                md_escape(&qa.meta.title),
                md_escape(&qa.meta.id),
                md_escape(&qa.meta.version),
                md_escape(&qb.meta.version)
            );
            let _ = writeln!(
                out,
                "- Assessment date: {}",
                crate::messages::english().long_date(today)
            );
            for (name, ev) in [(&na, &eva), (&nb, &evb)] {
                if !ev.is_complete() {
                    let _ = writeln!(
                        out,
                        "- {name} is incomplete: its results are partly provisional"
                    );
                }
            }
            let _ = writeln!(out, "\n## Answers that differ ({})\n", rows.len());
            if rows.is_empty() {
                let _ = writeln!(out, "None: both gave the same answers.");
            } else {
                let _ = writeln!(out, "| Question | {na} | {nb} |\n|---|---|---|");
                for (_, short, x, y) in &rows {
                    let cell = |v: &Option<String>| v.as_deref().map_or("—".to_string(), md_escape);
                    let _ = writeln!(out, "| {} | {} | {} |", md_escape(short), cell(x), cell(y));
                }
            }
            let _ = writeln!(out, "\n## Outcomes that differ ({})\n", changes.len());
            if changes.is_empty() {
                let _ = writeln!(out, "None: both reach the same outcomes.");
            } else {
                let _ = writeln!(out, "| Outcome | {na} | {nb} |\n|---|---|---|");
                for c in &changes {
                    let _ = writeln!(
                        out,
                        "| {} (`{}`) | {} | {} |",
                        md_escape(&title(&c.id)),
                        printable_line(&c.id).replace('`', ""),
                        status_word(c.before),
                        status_word(c.after)
                    );
                }
            }
            let _ = writeln!(out, "\n{same} outcome(s) are the same in both.");
        }
    }
    Ok(exit::OK)
}

fn status_word(s: Option<Status>) -> &'static str {
    match s {
        Some(Status::Applies) => "applies",
        Some(Status::Provisional) => "provisional",
        None => "—",
    }
}
