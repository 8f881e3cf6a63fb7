//! Validates the shipped questionnaires when aiact is built and embeds them
//! compiled, so the app never parses RON for its own content.
//!
//! The questionnaire modules are included here by path — the very code that
//! loads a user's file — so a shipped file that does not validate stops the
//! build with the messages `aiact validate` would print. Each questionnaire
//! is written to `OUT_DIR` twice, encoded with postcard: the whole compiled
//! [`model::Questionnaire`], and its [`model::Header`] (title, description,
//! hashes) for the start screen. `src/questionnaire/mod.rs` includes the
//! generated `shipped.rs`, which embeds both and the RON text.

// Only part of these modules is used here.
#![allow(dead_code, unused_imports)]

#[path = "src/answers.rs"]
mod answers;
#[path = "src/error.rs"]
mod error;
#[path = "src/questionnaire/hash.rs"]
mod hash;
#[path = "src/questionnaire/load.rs"]
mod load;
#[path = "src/markup/syntax.rs"]
mod markup;
#[path = "src/questionnaire/model.rs"]
mod model;
#[path = "src/questionnaire/schema.rs"]
mod schema;
#[path = "src/questionnaire/source.rs"]
mod source;
#[path = "src/text.rs"]
mod text;
#[path = "src/questionnaire/validate.rs"]
mod validate;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The shipped questionnaires, in the order the start screen offers them:
/// (id, file in `questionnaires/`). The first is the default.
const SHIPPED: &[(&str, &str)] = &[
    ("eu-ai-act-oss", "eu-ai-act-open-source.ron"),
    ("model-openness", "model-openness.ron"),
];

/// The sources this script compiles in.
const MODULES: &[&str] = &[
    "src/answers.rs",
    "src/error.rs",
    "src/text.rs",
    "src/markup/syntax.rs",
    "src/questionnaire/hash.rs",
    "src/questionnaire/load.rs",
    "src/questionnaire/model.rs",
    "src/questionnaire/schema.rs",
    "src/questionnaire/source.rs",
    "src/questionnaire/validate.rs",
];

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    println!("cargo::rerun-if-changed=build.rs");
    for m in MODULES {
        println!("cargo::rerun-if-changed={m}");
    }
    let mut sources = String::new();
    let mut compiled = String::new();
    let mut headers = String::new();
    let mut failed = false;
    for (id, file) in SHIPPED {
        let shown = format!("questionnaires/{file}");
        println!("cargo::rerun-if-changed={shown}");
        let path = root.join("questionnaires").join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: could not read: {e}", path.display()));
        let q = match load::load_str(&format!("shipped:{id}"), &text) {
            Ok(q) => q,
            Err(_) => {
                // The same load again under the file's own name, so every
                // message points into the file.
                let e = load::load_str(&shown, &text).err();
                eprintln!("error: the shipped questionnaire {shown} is not valid:");
                eprintln!("{}", e.map(|e| e.to_string()).unwrap_or_default());
                failed = true;
                continue;
            }
        };
        if q.meta.id != *id {
            eprintln!(
                "error: {shown} has the id \"{}\", but build.rs ships it as \"{id}\"",
                q.meta.id
            );
            failed = true;
            continue;
        }
        let header = model::Header::of(&q);
        let full_bin = write(&out, &format!("{id}.bin"), &q);
        let header_bin = write(&out, &format!("{id}.header.bin"), &header);
        let _ = writeln!(
            sources,
            "    ({id:?}, {file:?}, include_str!({:?})),",
            path.display().to_string()
        );
        let _ = writeln!(compiled, "    include_bytes!({full_bin:?}),");
        let _ = writeln!(headers, "    include_bytes!({header_bin:?}),");
    }
    if failed {
        std::process::exit(1);
    }
    let generated = format!(
        "/// A questionnaire shipped inside the binary: (id, file name, source).
pub const SHIPPED: &[(&str, &str, &str)] = &[
{sources}];

/// Each shipped questionnaire compiled, in the order of [`SHIPPED`].
static COMPILED: &[&[u8]] = &[
{compiled}];

/// Each shipped questionnaire's [`Header`], in the order of [`SHIPPED`].
static HEADERS: &[&[u8]] = &[
{headers}];
"
    );
    std::fs::write(out.join("shipped.rs"), generated).expect("write shipped.rs");
}

/// Encodes `value` into `OUT_DIR/name` and returns the file's path.
fn write<T: serde::Serialize>(out: &Path, name: &str, value: &T) -> String {
    let bytes = postcard::to_allocvec(value).expect("a questionnaire always encodes");
    let path = out.join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path.display().to_string()
}
