//! `aiact aggregate`: what a room of sessions (a workshop's tables) reached,
//! and how they answered. Broken files are reported and skipped; sessions of
//! different questionnaire versions are grouped apart and flagged.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::PathBuf;

use jiff::civil::Date;
use serde_json::json;

use crate::answers::Answer;
use crate::engine::{Status, evaluate};
use crate::error::{Error, Result, exit};
use crate::questionnaire::Questionnaire;
use crate::report::md_escape;
use crate::session::{Origin, Session};
use crate::text::printable_line;

/// Output formats of `aggregate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AggregateFormat {
    Markdown,
    Json,
    Csv,
}

/// The sessions of one questionnaire version.
struct Group {
    q: Questionnaire,
    id: String,
    version: String,
    sessions: usize,
    incomplete: Vec<String>,
    /// Outcome index → (applies, provisional).
    outcomes: BTreeMap<usize, (usize, usize)>,
    /// Question index → answer label → count.
    answers: BTreeMap<usize, BTreeMap<String, usize>>,
}

/// Session files from files and folders: every `*.ron` in a folder (not the
/// temporary or lock files aiact writes, nor hidden ones), sorted.
fn session_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p).map_err(|e| Error::io(p, "read the folder", &e))?;
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') || !name.ends_with(".ron") || !path.is_file() {
                    continue;
                }
                files.push(path);
            }
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            return Err(Error::Input(format!(
                "{}: no such session file or folder",
                printable_line(&p.display().to_string())
            )));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Neutralises a CSV cell a spreadsheet would run as a formula, and quotes it.
pub fn csv_cell(text: &str) -> String {
    let text = printable_line(text);
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

/// Runs `aggregate`.
pub(super) fn aggregate(
    paths: &[PathBuf],
    format: AggregateFormat,
    anonymise: bool,
    today: Date,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let files = session_files(paths)?;
    let mut broken: Vec<(String, String)> = Vec::new();
    let mut cache: HashMap<String, Option<Questionnaire>> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut count = 0usize;
    for file in &files {
        let shown = file.display().to_string();
        let session = match Session::read(file) {
            Ok(s) => s,
            Err(e) => {
                broken.push((shown, e.to_string()));
                continue;
            }
        };
        let key = match &session.questionnaire.origin {
            Origin::Shipped => format!("shipped:{}", session.questionnaire.id),
            Origin::Custom { .. } => format!("custom:{}", session.questionnaire.text_hash),
        };
        let q = cache
            .entry(key)
            .or_insert_with(|| session.questionnaire.load_embedded().ok());
        let Some(q) = q.as_ref() else {
            broken.push((
                shown,
                format!(
                    "its questionnaire \"{}\" cannot be loaded",
                    session.questionnaire.id
                ),
            ));
            continue;
        };
        count += 1;
        let label = if anonymise {
            format!("session {count}")
        } else {
            session.name.clone()
        };
        let version = session.questionnaire.version.clone();
        let gi = match groups
            .iter()
            .position(|g| g.id == q.meta.id && g.version == version)
        {
            Some(i) => i,
            None => {
                groups.push(Group {
                    q: q.clone(),
                    id: q.meta.id.clone(),
                    version: version.clone(),
                    sessions: 0,
                    incomplete: Vec::new(),
                    outcomes: BTreeMap::new(),
                    answers: BTreeMap::new(),
                });
                groups.len() - 1
            }
        };
        let group = &mut groups[gi];
        let answers = session.answers();
        let ev = evaluate(&group.q, &answers, today);
        group.sessions += 1;
        if !ev.is_complete() {
            group.incomplete.push(label);
        }
        // Results only: background outcomes are context, not counted.
        for o in ev.results(&group.q) {
            let entry = group.outcomes.entry(o.index).or_default();
            match o.status {
                Status::Applies => entry.0 += 1,
                Status::Provisional => entry.1 += 1,
            }
        }
        for &qi in &ev.path {
            let question = &group.q.questions[qi];
            let Some(answer) = answers.get(question.id()) else {
                continue;
            };
            let counts = group.answers.entry(qi).or_default();
            match answer {
                Answer::Choice(id) => {
                    *counts
                        .entry(question.describe(&Answer::Choice(id.clone())))
                        .or_default() += 1
                }
                Answer::Choices(ids) => {
                    for id in ids {
                        *counts
                            .entry(question.describe(&Answer::Choice(id.clone())))
                            .or_default() += 1;
                    }
                }
                Answer::NotSure => *counts.entry("not sure".into()).or_default() += 1,
                Answer::Number(t) => {
                    let shown = match crate::answers::parse_number(t) {
                        Ok(n) => format!("{n:e}"),
                        Err(_) => t.clone(),
                    };
                    *counts.entry(shown).or_default() += 1
                }
                // Free text can carry names: count it, never show it.
                Answer::Text(_) => *counts.entry("(text answer)".into()).or_default() += 1,
            }
        }
    }
    let mixed = {
        let mut ids: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        groups.len() > ids.len()
    };
    match format {
        AggregateFormat::Markdown => write_markdown(out, &groups, &broken, mixed, count, today),
        AggregateFormat::Json => write_json(out, &groups, &broken, mixed, count, today),
        AggregateFormat::Csv => {
            write_csv(out, &groups);
            // The CSV stays a clean table: skipped files are told on stderr.
            for (file, why) in &broken {
                let first = why.lines().next().unwrap_or_default();
                let _ = writeln!(
                    err,
                    "skipped {}: {}",
                    printable_line(file),
                    printable_line(first)
                );
            }
        }
    }
    Ok(exit::OK)
}

fn write_markdown(
    out: &mut dyn Write,
    groups: &[Group],
    broken: &[(String, String)],
    mixed: bool,
    count: usize,
    today: Date,
) {
    let _ = writeln!(out, "# Aggregate of {count} session(s)\n");
    let _ = writeln!(
        out,
        "- Assessment date: {}",
        crate::messages::english().long_date(today)
    );
    if mixed {
        let _ = writeln!(
            out,
            "- **Different questionnaire versions:** sessions are grouped by version below; compare them with care."
        );
    }
    if !broken.is_empty() {
        let _ = writeln!(out, "- Skipped {} broken file(s):", broken.len());
        for (file, why) in broken {
            let first = why.lines().next().unwrap_or_default();
            let _ = writeln!(out, "  - {}: {}", md_escape(file), md_escape(first));
        }
    }
    for g in groups {
        let _ = writeln!(
            out,
            "\n## {} ({}), version {}: {} session(s)\n",
            md_escape(&g.q.meta.title),
            md_escape(&g.id),
            md_escape(&g.version),
            g.sessions
        );
        if !g.incomplete.is_empty() {
            let names: Vec<String> = g.incomplete.iter().map(|n| md_escape(n)).collect();
            let _ = writeln!(out, "Incomplete: {}\n", names.join(", "));
        }
        let _ = writeln!(
            out,
            "### Outcomes\n\n| Outcome | Applies | Provisional |\n|---|---|---|"
        );
        for (&oi, &(applies, provisional)) in &g.outcomes {
            let o = &g.q.outcomes[oi];
            let _ = writeln!(
                out,
                "| {} (`{}`) | {applies} | {provisional} |",
                md_escape(&o.def.title),
                printable_line(o.id()).replace('`', "")
            );
        }
        let _ = writeln!(out, "\n### Answers\n");
        for (&qi, counts) in &g.answers {
            let question = &g.q.questions[qi];
            let parts: Vec<String> = counts
                .iter()
                .map(|(label, n)| format!("{} × {n}", md_escape(label)))
                .collect();
            let _ = writeln!(
                out,
                "- **{}**: {}",
                md_escape(question.short()),
                parts.join("; ")
            );
        }
    }
}

fn write_json(
    out: &mut dyn Write,
    groups: &[Group],
    broken: &[(String, String)],
    mixed: bool,
    count: usize,
    today: Date,
) {
    let doc = json!({
        "assessment_date": today.to_string(),
        "sessions": count,
        "mixed_versions": mixed,
        "broken": broken.iter().map(|(f, e)| json!({"file": f, "error": e})).collect::<Vec<_>>(),
        "groups": groups.iter().map(|g| json!({
            "questionnaire": {"id": g.id, "version": g.version},
            "sessions": g.sessions,
            "incomplete": g.incomplete,
            "outcomes": g.outcomes.iter().map(|(&oi, &(a, p))| json!({
                "id": g.q.outcomes[oi].id(), "applies": a, "provisional": p,
            })).collect::<Vec<_>>(),
            "answers": g.answers.iter().map(|(&qi, counts)| json!({
                "question": g.q.questions[qi].id(),
                "counts": counts,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    let _ = writeln!(
        out,
        "{}",
        crate::text::json_safe(&serde_json::to_string_pretty(&doc).unwrap_or_default())
    );
}

fn write_csv(out: &mut dyn Write, groups: &[Group]) {
    let _ = writeln!(out, "questionnaire,version,kind,id,value,count");
    for g in groups {
        let (id, version) = (csv_cell(&g.id), csv_cell(&g.version));
        for (&oi, &(applies, provisional)) in &g.outcomes {
            let oid = csv_cell(g.q.outcomes[oi].id());
            let _ = writeln!(out, "{id},{version},outcome,{oid},\"applies\",{applies}");
            let _ = writeln!(
                out,
                "{id},{version},outcome,{oid},\"provisional\",{provisional}"
            );
        }
        for (&qi, counts) in &g.answers {
            let qid = csv_cell(g.q.questions[qi].id());
            for (label, n) in counts {
                let _ = writeln!(out, "{id},{version},answer,{qid},{},{n}", csv_cell(label));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "\"'+1\"");
        assert_eq!(csv_cell("-1"), "\"'-1\"");
        assert_eq!(csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_cell("plain"), "\"plain\"");
    }
}
