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

/// An option's logic: id, exclusive, where it leads, and (format 2) the
/// outcome it concludes with. Written as a three-element list when it
/// concludes nothing, so format-1 hashes never change.
struct LogicOption<'a>(&'a str, bool, &'a Option<String>, Option<&'a str>);

impl Serialize for LogicOption<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        let mut t = s.serialize_tuple(if self.3.is_some() { 4 } else { 3 })?;
        t.serialize_element(self.0)?;
        t.serialize_element(&self.1)?;
        t.serialize_element(self.2)?;
        if let Some(c) = self.3 {
            t.serialize_element(c)?;
        }
        t.end()
    }
}

#[derive(Serialize)]
struct LogicQuestion<'a> {
    id: &'a str,
    kind: KindLogic<'a>,
    options: Vec<LogicOption<'a>>,
    option_set: &'a Option<String>,
    allow_not_sure: bool,
    /// Format 2 only: whether "not sure" is offered (a yes/no question can
    /// switch it off there); absent for format 1, whose hashes stay as they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    offers_not_sure: Option<bool>,
    next: Option<LogicNext<'a>>,
}

/// Routing as it decides paths; the same JSON as format 1's `Next` for
/// format-1 files.
#[derive(Serialize)]
enum LogicNext<'a> {
    Goto(&'a str),
    Routes(Vec<LogicRoute<'a>>),
    Conclude(&'a str),
}

#[derive(Serialize)]
struct LogicRoute<'a> {
    when: &'a Option<Condition>,
    #[serde(skip_serializing_if = "Option::is_none")]
    goto: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    conclude: Option<&'a str>,
}

fn logic_next(next: &Option<Next>) -> Option<LogicNext<'_>> {
    next.as_ref().map(|n| match n {
        Next::Goto(to) => LogicNext::Goto(to),
        Next::Conclude(o) => LogicNext::Conclude(o),
        Next::Routes(rs) => LogicNext::Routes(
            rs.iter()
                .map(|r| LogicRoute {
                    when: &r.when,
                    goto: r.goto.as_deref(),
                    conclude: r.conclude.as_deref(),
                })
                .collect(),
        ),
    })
}

#[derive(Serialize)]
struct Logic<'a> {
    format_version: u32,
    id: &'a str,
    groups: Vec<&'a str>,
    option_sets: Vec<(&'a str, Vec<LogicOption<'a>>)>,
    questions: Vec<LogicQuestion<'a>>,
    facts: Vec<(&'a str, &'a Condition)>,
    outcomes: Vec<(&'a str, &'a str, &'a Option<Condition>, &'a Vec<DateRule>)>,
}

/// A question kind's logic, written as a string ("multiple Some(1) None")
/// straight into the hash, without building it first.
struct KindLogic<'a>(&'a Kind);

impl std::fmt::Display for KindLogic<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Kind::Single => f.write_str("single"),
            Kind::Multiple { min, max } => write!(f, "multiple {min:?} {max:?}"),
            Kind::YesNo => f.write_str("yesno"),
            Kind::Number { min, max, .. } => write!(f, "number {min:?} {max:?}"),
            Kind::Text { max_len } => write!(f, "text {max_len:?}"),
            Kind::Info => f.write_str("info"),
        }
    }
}

impl Serialize for KindLogic<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Feeds what is written into a SHA-256 digest.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn options(opts: &[ChoiceDef]) -> Vec<LogicOption<'_>> {
    opts.iter()
        .map(|o| LogicOption(o.id.as_str(), o.exclusive, &o.next, o.conclude.as_deref()))
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(digest.len() * 2);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
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
                kind: KindLogic(&q.kind),
                options: options(&q.options),
                option_set: &q.option_set,
                allow_not_sure: q.allow_not_sure.unwrap_or(false),
                offers_not_sure: (file.format_version >= 2)
                    .then(|| q.allow_not_sure.unwrap_or(matches!(q.kind, Kind::YesNo))),
                next: logic_next(&q.next),
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
    // The JSON text of `logic` is hashed as it is written: the same bytes
    // as serialising it first, without a buffer the size of the file.
    let mut hasher = HashWriter(Sha256::new());
    if serde_json::to_writer(
        std::io::BufWriter::with_capacity(64 * 1024, &mut hasher),
        &logic,
    )
    .is_err()
    {
        // Never happens (the writer cannot fail); hash nothing as before.
        hasher = HashWriter(Sha256::new());
    }
    hex(&hasher.0.finalize())
}

/// Hash of the whole questionnaire text, wording included (after BOM and
/// CRLF normalisation). Hashing the source rather than a re-serialisation
/// costs one pass over the bytes; a change to comments or layout is noted as
/// a wording change, which is harmless.
pub fn text_hash(normalised_source: &str) -> String {
    sha256_hex(normalised_source.as_bytes())
}

#[cfg(test)]
mod tests {
    /// The hashes are stored in every session: they must never change for
    /// the same content, whatever the code computing them.
    #[test]
    fn hashes_are_stable() {
        let src = include_str!("../../tests/fixtures/sessions/v1.ron");
        let q = crate::questionnaire::load_str("v1.ron", src).unwrap();
        let synth =
            crate::questionnaire::load_str("s.ron", &crate::synth::questionnaire(50, 7)).unwrap();
        assert_eq!(
            [
                q.logic_hash.as_str(),
                q.text_hash.as_str(),
                synth.logic_hash.as_str()
            ],
            [
                "5b48525630853da35b43a10d538f1892bcd3f178de7927bd59517f62ddbeb10d",
                "1a74372bac3efb926f29bc356fc2c88a7921dca7950cda3efa2cd6fea4ac137a",
                "9c3cfc0186d3470f3fbdfd3ff7998a7d64822eee3baa294696982a72996aa87f"
            ]
        );
    }
}
