//! Questionnaire text to a validated [`Questionnaire`]: the one way content
//! is read, for files at run time and for the shipped content when aiact is
//! built (`build.rs` includes this module, so a shipped file that does not
//! validate is a compile error with the same messages `aiact validate` gives).

use super::model::Questionnaire;
use super::{hash, schema, source, validate};
use crate::error::{Error, Result};

/// Loads and validates questionnaire text. `path` is how errors name the file.
/// The size limit applies to files (`load_path`); text already in memory is
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
