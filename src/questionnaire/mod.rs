//! Questionnaires: the file format, loading with positions, validation, and
//! the shipped content embedded in the binary.

pub mod hash;
pub mod model;
pub mod schema;
pub mod source;
pub mod validate;

use std::path::Path;

pub use model::*;
pub use schema::{ChoiceDef, Citation, Estimate, Kind, QuestionDef};

use crate::error::{Error, Result};

/// A questionnaire shipped inside the binary: (id, file name, source).
pub const SHIPPED: &[(&str, &str, &str)] = &[
    (
        "eu-ai-act-oss",
        "eu-ai-act-open-source.ron",
        include_str!("../../questionnaires/eu-ai-act-open-source.ron"),
    ),
    (
        "model-openness",
        "model-openness.ron",
        include_str!("../../questionnaires/model-openness.ron"),
    ),
];

/// The id of the questionnaire used when none is named.
pub const DEFAULT_ID: &str = "eu-ai-act-oss";

/// The largest questionnaire file aiact reads. Real content is a few hundred
/// kilobytes; the limit keeps a hostile file from costing seconds and memory.
pub const MAX_SOURCE_BYTES: usize = 16 * 1024 * 1024;

/// Loads and validates questionnaire text. `path` is how errors name the file.
/// The size limit applies to files ([`load_path`]); text already in memory is
/// the caller's to bound (benchmarks load 100,000-question files this way).
pub fn load_str(path: &str, src: &str) -> Result<Questionnaire> {
    let src = source::normalise(src);
    source::check_raw_controls(path, &src)?;
    let file: schema::QuestionnaireFile =
        source::parse_versioned(path, &src, "questionnaire", schema::FORMAT_VERSION)?;
    let text_hash = hash::text_hash(&src);
    // A file's own text is kept, so a session can embed exactly the text
    // these hashes were computed from (the file may change on disk later).
    let text = (!path.starts_with("shipped:")).then(|| src.clone().into_owned());
    let mut q = validate::compile(file, &src, path, text_hash).map_err(|problems| Error::Invalid {
        path: path.to_string(),
        what: "questionnaire",
        problems,
        hint: "Fix these and run `aiact validate` again; questionnaires/README.md describes the format."
            .to_string(),
    })?;
    q.text = text;
    Ok(q)
}

/// Loads a questionnaire from a file.
pub fn load_path(path: &Path) -> Result<Questionnaire> {
    let shown = path.display().to_string();
    let meta =
        std::fs::metadata(path).map_err(|e| Error::io(path, "read the questionnaire", &e))?;
    if !meta.is_file() {
        return Err(Error::Input(format!(
            "{shown}: not a regular file; give the path of a questionnaire (.ron) file"
        )));
    }
    if meta.len() > MAX_SOURCE_BYTES as u64 {
        return Err(Error::Input(format!(
            "{shown}: the questionnaire is {:.1} MB; aiact reads questionnaires of up to {} MB. Split it or shorten its texts.",
            meta.len() as f64 / 1_048_576.0,
            MAX_SOURCE_BYTES / 1_048_576
        )));
    }
    let text = source::read_text(
        path,
        "read the questionnaire",
        "the file is not valid UTF-8 text",
        "Save the file as UTF-8.",
    )?;
    load_str(&shown, &text)
}

/// Loads a shipped questionnaire by id.
pub fn load_shipped(id: &str) -> Option<Result<Questionnaire>> {
    SHIPPED
        .iter()
        .find(|(sid, _, _)| *sid == id)
        .map(|(sid, _, src)| load_str(&format!("shipped:{sid}"), src))
}

/// Loads `spec`, which is either a shipped id or a path to a file.
pub fn load_spec(spec: &str) -> Result<Questionnaire> {
    if let Some(q) = load_shipped(spec) {
        return q;
    }
    let path = Path::new(spec);
    if path.exists() || spec.contains('/') || spec.ends_with(".ron") {
        return load_path(path);
    }
    let ids: Vec<&str> = SHIPPED.iter().map(|(id, _, _)| *id).collect();
    Err(Error::Input(format!(
        "no questionnaire \"{}\": give a file path or one of the shipped ids: {}",
        crate::text::echo(spec),
        ids.join(", ")
    )))
}
