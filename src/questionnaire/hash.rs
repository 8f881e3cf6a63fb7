//! Stable content hashes (SHA-256; never `DefaultHasher`, which changes
//! between Rust releases).
//!
//! The *logic hash* covers what decides paths and outcomes — ids, kinds,
//! options, routes, conditions, dates — so saved answers are re-checked only
//! when it changes. The *text hash* covers the whole source, so wording
//! changes are noticed without alarm.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::schema::*;

/// An option's logic: id, exclusive, where it leads.
type LogicOption<'a> = (&'a str, bool, &'a Option<String>);

#[derive(Serialize)]
struct LogicQuestion<'a> {
    id: &'a str,
    kind: String,
    options: Vec<LogicOption<'a>>,
    option_set: &'a Option<String>,
    allow_not_sure: bool,
    next: &'a Option<Next>,
}

#[derive(Serialize)]
struct Logic<'a> {
    format_version: u32,
    id: &'a str,
    groups: Vec<&'a str>,
    option_sets: Vec<(&'a str, Vec<LogicOption<'a>>)>,
    questions: Vec<LogicQuestion<'a>>,
    facts: Vec<(&'a str, &'a Condition)>,
    outcomes: Vec<(&'a str, &'a str, &'a Condition, &'a Vec<DateRule>)>,
}

fn kind_logic(k: &Kind) -> String {
    match k {
        Kind::Single => "single".into(),
        Kind::Multiple { min, max } => format!("multiple {min:?} {max:?}"),
        Kind::YesNo => "yesno".into(),
        Kind::Number { min, max, .. } => format!("number {min:?} {max:?}"),
        Kind::Text { max_len } => format!("text {max_len:?}"),
    }
}

fn options(opts: &[ChoiceDef]) -> Vec<LogicOption<'_>> {
    opts.iter()
        .map(|o| (o.id.as_str(), o.exclusive, &o.next))
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hash of the questionnaire's logic.
pub fn logic_hash(file: &QuestionnaireFile) -> String {
    let logic = Logic {
        format_version: file.format_version,
        id: &file.id,
        groups: file.groups.iter().map(|g| g.id.as_str()).collect(),
        option_sets: file
            .option_sets
            .iter()
            .map(|s| (s.id.as_str(), options(&s.options)))
            .collect(),
        questions: file
            .questions
            .iter()
            .map(|q| LogicQuestion {
                id: &q.id,
                kind: kind_logic(&q.kind),
                options: options(&q.options),
                option_set: &q.option_set,
                allow_not_sure: q.allow_not_sure,
                next: &q.next,
            })
            .collect(),
        facts: file
            .facts
            .iter()
            .map(|f| (f.id.as_str(), &f.when))
            .collect(),
        outcomes: file
            .outcomes
            .iter()
            .map(|o| (o.id.as_str(), o.group.as_str(), &o.when, &o.applies_from))
            .collect(),
    };
    let json = serde_json::to_vec(&logic).unwrap_or_default();
    sha256_hex(&json)
}

/// Hash of the whole questionnaire text, wording included (after BOM and
/// CRLF normalisation). Hashing the source rather than a re-serialisation
/// costs one pass over the bytes; a change to comments or layout is noted as
/// a wording change, which is harmless.
pub fn text_hash(normalised_source: &str) -> String {
    sha256_hex(normalised_source.as_bytes())
}
