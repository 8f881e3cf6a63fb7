//! Translations of a questionnaire: a separate RON file that gives the
//! questionnaire's texts in another language, keyed by ids, for the same
//! logic hash. A translation changes what people read, never what decides
//! paths and outcomes, so a session moves between languages without any
//! answer being re-checked.
//!
//! A translation of `x.ron` into German is `x.de.ron`, beside it:
//!
//! ```ron
//! (
//!     translation_of: "model-openness",
//!     language: "de",
//!     logic_hash: "5b48…",
//!     texts: {
//!         "title": "Offenheit von Modellen",
//!         "question.licence.prompt": "Unter welcher Lizenz …?",
//!     },
//! )
//! ```
//!
//! The keys are defined once, by [`visit_texts`]; `aiact
//! translation-template` prints them all with the current texts.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::model::{Questionnaire, Translated};
use super::schema::Kind;
use super::{hash, source};
use crate::error::{Error, Problem, Result};

/// The largest translation file aiact reads: as large as a questionnaire.
pub const MAX_TRANSLATION_BYTES: usize = super::MAX_SOURCE_BYTES;

/// How many untranslated keys a warning names before it says "and N more":
/// the template lists them all.
const MISSING_SHOWN: usize = 12;

/// A translation file as written, with the text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    /// The id of the questionnaire it translates.
    pub translation_of: String,
    /// Its language code ("de"); becomes the translated questionnaire's
    /// `language`, which picks the app's own words.
    pub language: String,
    /// The logic hash of the questionnaire version it was made for.
    pub logic_hash: String,
    /// Key and text, in file order; a key given twice is kept twice so it
    /// can be reported.
    pub texts: Vec<(String, String)>,
    /// The normalised text of the file: for line numbers in messages, the
    /// text hash, and the copy a session keeps.
    pub text: String,
}

/// The file's fields, as serde reads them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TranslationFile {
    translation_of: String,
    language: String,
    logic_hash: String,
    texts: Texts,
}

/// A RON map read as ordered pairs, so duplicate keys are seen (a map type
/// would keep the last silently).
#[derive(Debug)]
struct Texts(Vec<(String, String)>);

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Texts;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map from key to text: { \"title\": \"…\" }")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Texts, A::Error> {
                let mut out = Vec::new();
                while let Some(pair) = map.next_entry::<String, String>()? {
                    out.push(pair);
                }
                Ok(Texts(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Whether file text is a translation rather than a questionnaire: it has
/// `translation_of`. Used by `aiact validate`, which takes either.
pub fn is_translation(text: &str) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        translation_of: Option<String>,
    }
    let text = source::normalise(text);
    match ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(source::NESTING_LIMIT)
        .from_str::<Probe>(&text)
    {
        Ok(p) => p.translation_of.is_some(),
        // A file that does not parse: decide by its look, so its syntax
        // error is reported as a translation's.
        Err(_) => text.contains("translation_of"),
    }
}

/// Parses translation text. `path` is how errors name the file; syntax
/// errors come as `path:line:col` with a caret, like every aiact file.
pub fn parse(path: &str, text: &str) -> Result<Translation> {
    let normal = source::normalise(text).into_owned();
    let file: TranslationFile = source::parse_text(path, &normal, "translation")?;
    Ok(Translation {
        translation_of: file.translation_of,
        language: file.language,
        logic_hash: file.logic_hash,
        texts: file.texts.0,
        text: normal,
    })
}

/// Reads a translation file (bounded like a questionnaire, UTF-8 errors at
/// their position).
pub fn read(path: &Path) -> Result<Translation> {
    let text = source::read_bounded(
        path,
        &source::FileKind {
            noun: "translation",
            nouns: "translations",
            path_of: "a translation (.ron) file",
            action: "read the translation",
            max_bytes: MAX_TRANSLATION_BYTES as u64,
            too_big_advice: "",
            not_utf8: "the file is not valid UTF-8 text",
            not_utf8_hint: "Save the file as UTF-8.",
        },
    )?;
    parse(&path.display().to_string(), &text)
}

/// Calls `f` with the key and a mutable reference of every translatable
/// text of `q`, in file order. This is the one definition of the key
/// scheme: the template, [`apply`] and the documentation follow it.
///
/// Empty texts (an absent description, say) have no key: there is nothing
/// to translate. Left out on purpose: ids, versions, dates, URLs, citation
/// pinpoints (legal references such as "Art 5(1)" are cited as written) and
/// the implied yes/no options, whose labels are the app's own words.
pub fn visit_texts(q: &mut Questionnaire, f: &mut dyn FnMut(&str, &mut String)) {
    let mut v = |key: String, text: &mut String| {
        if !text.is_empty() {
            f(&key, text);
        }
    };
    v("title".into(), &mut q.meta.title);
    v("description".into(), &mut q.meta.description);
    v("disclaimer".into(), &mut q.meta.disclaimer);
    v("legal_basis".into(), &mut q.meta.legal_basis);
    for g in &mut q.groups {
        v(format!("group.{}.title", g.id), &mut g.title);
        v(format!("group.{}.description", g.id), &mut g.description);
    }
    for s in &mut q.sections {
        v(format!("section.{}.title", s.id), &mut s.title);
        v(format!("section.{}.description", s.id), &mut s.description);
    }
    for r in &mut q.references {
        v(format!("reference.{}.title", r.id), &mut r.title);
    }
    for question in &mut q.questions {
        let d = &mut question.def;
        let id = d.id.clone();
        v(format!("question.{id}.prompt"), &mut d.prompt);
        if let Some(short) = &mut d.short {
            v(format!("question.{id}.short"), short);
        }
        v(format!("question.{id}.help"), &mut d.help);
        v(format!("question.{id}.why"), &mut d.why);
        v(
            format!("question.{id}.facilitator_notes"),
            &mut d.facilitator_notes,
        );
        for (n, t) in d.discussion.iter_mut().enumerate() {
            v(format!("question.{id}.discussion.{}", n + 1), t);
        }
        if let Kind::Number { unit, estimate, .. } = &mut d.kind {
            if let Some(unit) = unit {
                v(format!("question.{id}.unit"), unit);
            }
            if let Some(e) = estimate {
                v(format!("question.{id}.estimate.label"), &mut e.label);
                v(format!("question.{id}.estimate.help"), &mut e.help);
                for input in &mut e.inputs {
                    v(
                        format!("question.{id}.estimate.input.{}.label", input.id),
                        &mut input.label,
                    );
                }
            }
        }
        if matches!(question.def.kind, Kind::YesNo) {
            continue;
        }
        for o in &mut question.options {
            v(format!("question.{id}.option.{}.label", o.id), &mut o.label);
            v(format!("question.{id}.option.{}.help", o.id), &mut o.help);
            if let Some(w) = &mut o.what_if {
                v(format!("question.{id}.option.{}.what_if", o.id), w);
            }
        }
    }
    for fact in &mut q.facts {
        let id = &fact.def.id;
        v(format!("fact.{id}.holds"), &mut fact.def.holds);
        if let Some(fails) = &mut fact.def.fails {
            v(format!("fact.{id}.fails"), fails);
        }
    }
    for o in &mut q.outcomes {
        let id = &o.def.id;
        v(format!("outcome.{id}.title"), &mut o.def.title);
        v(format!("outcome.{id}.summary"), &mut o.def.summary);
        v(format!("outcome.{id}.explanation"), &mut o.def.explanation);
        if let Some(n) = &mut o.def.no_source {
            v(format!("outcome.{id}.no_source"), n);
        }
    }
}

/// Every translatable text of `q` with its key, in file order (see
/// [`visit_texts`]). A key is listed once even in the unlikely case that two
/// ids make the same key.
pub fn texts(q: &Questionnaire) -> Vec<(String, String)> {
    let mut copy = q.clone();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    visit_texts(&mut copy, &mut |key, text| {
        if seen.insert(key.to_string()) {
            out.push((key.to_string(), text.clone()));
        }
    });
    out
}

/// Applies translation `t` (read from `path`) to `q`. Returns the
/// translated questionnaire and the keys it does not translate yet, whose
/// original text is kept (callers warn about them, see [`missing_warning`]).
///
/// Refused, with every problem at once, each by key and line: a translation
/// of another questionnaire, of another version of it (logic hash), an
/// empty language, a key that names no text, a key given twice, a control
/// character in a text. The result keeps the logic hash (sessions move
/// between languages without re-checking), takes the translation's
/// language, and its text hash covers the translation too.
pub fn apply(
    mut q: Questionnaire,
    t: Translation,
    path: &str,
) -> Result<(Questionnaire, Vec<String>)> {
    let mut problems = Vec::new();
    let field_line = |field: &str| {
        t.text
            .lines()
            .position(|l| l.trim_start().starts_with(field))
            .map(|i| i + 1)
    };
    let mut problem = |line: Option<usize>, subject: String, message: String| {
        problems.push(Problem {
            line,
            subject,
            message,
            consequences: Vec::new(),
        });
    };
    if t.translation_of != q.meta.id {
        problem(
            field_line("translation_of"),
            "translation_of".into(),
            format!(
                "is \"{}\", but the questionnaire's id is \"{}\": this is a translation of another questionnaire",
                t.translation_of, q.meta.id
            ),
        );
    }
    if t.logic_hash != q.logic_hash {
        problem(
            field_line("logic_hash"),
            "logic_hash".into(),
            format!(
                "this translation was made for another version of the questionnaire (logic hash {}); update it: check the texts of the questions that changed, then set logic_hash to \"{}\"",
                short_hash(&t.logic_hash),
                q.logic_hash
            ),
        );
    }
    if let Err(e) = check_language(&t.language) {
        problem(field_line("language"), "language".into(), e);
    }
    // Lines of keys: the keys are in file order, so one scan forward from
    // the previous key finds each (a key given twice, at its second place).
    let mut cursor = 0;
    let mut key_line = |key: &str| -> Option<usize> {
        let quoted = format!("\"{}\"", escape(key));
        let at = t.text.get(cursor..)?.find(&quoted)? + cursor;
        cursor = at + quoted.len();
        Some(source::position(&t.text, at).0)
    };
    let mut given: HashMap<&str, &str> = HashMap::new();
    let mut lines: HashMap<&str, Option<usize>> = HashMap::new();
    for (key, text) in &t.texts {
        let line = key_line(key);
        if given.insert(key, text).is_some() {
            let first = lines.get(key.as_str()).copied().flatten();
            problem(
                line,
                format!("key \"{key}\""),
                match first {
                    Some(l) => format!("is given twice (first on line {l}); keep one"),
                    None => "is given twice; keep one".into(),
                },
            );
            continue;
        }
        lines.insert(key, line);
        if let Some((pos, c)) = crate::text::find_control(text) {
            problem(
                line,
                format!("key \"{key}\""),
                format!(
                    "contains control character U+{:04X} at character {}; escape sequences and control characters are not allowed in text",
                    c as u32,
                    pos + 1
                ),
            );
        }
    }
    let mut used: HashSet<String> = HashSet::new();
    let mut missing = Vec::new();
    let mut missing_seen: HashSet<String> = HashSet::new();
    visit_texts(&mut q, &mut |key, text| match given.get(key) {
        Some(tr) => {
            used.insert(key.to_string());
            if tr.is_empty() {
                if missing_seen.insert(key.to_string()) {
                    missing.push(key.to_string());
                }
            } else {
                *text = (*tr).to_string();
            }
        }
        None => {
            if missing_seen.insert(key.to_string()) {
                missing.push(key.to_string());
            }
        }
    });
    let mut seen = HashSet::new();
    for (key, _) in &t.texts {
        if !used.contains(key) && seen.insert(key.as_str()) {
            problem(
                lines.get(key.as_str()).copied().flatten(),
                format!("key \"{key}\""),
                "names no text of the questionnaire; check its ids (`aiact translation-template` lists every key)".into(),
            );
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line.unwrap_or(0));
        return Err(Error::Invalid {
            path: path.to_string(),
            what: "translation",
            problems,
            hint: "Fix these and run `aiact validate` on the translation again; questionnaires/README.md (Translations) describes the format."
                .to_string(),
        });
    }
    q.meta.language = t.language.clone();
    // The implied options of yes/no questions are the app's own words:
    // labelled anew for the translation's language.
    let (yes, no) = super::validate::yes_no(&t.language);
    for question in q
        .questions
        .iter_mut()
        .filter(|question| matches!(question.def.kind, super::Kind::YesNo))
    {
        for (option, label) in question.options.iter_mut().zip([yes, no]) {
            option.label = label.to_string();
        }
    }
    q.text_hash = hash::text_hash(&format!("{}\n{}", q.text_hash, t.text));
    q.translation = Some(Translated {
        language: t.language,
        source: path.to_string(),
        text: t.text,
    });
    Ok((q, missing))
}

/// The first characters of a hash, enough to tell two apart in a message.
fn short_hash(h: &str) -> String {
    let cut: String = crate::text::printable_line(h).chars().take(12).collect();
    if h.chars().count() > 12 {
        format!("{cut}…")
    } else {
        cut
    }
}

/// Checks a language code: letters, digits and hyphens, as in "de" or
/// "pt-BR". It becomes part of a file name, so nothing else is allowed.
pub fn check_language(language: &str) -> std::result::Result<(), String> {
    if language.is_empty() {
        return Err("is empty; write the language code, such as \"de\"".into());
    }
    if language.len() > 35
        || !language
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(format!(
            "\"{}\" is not a language code; write one such as \"de\" or \"pt-BR\" (letters, digits and hyphens)",
            crate::text::echo(language)
        ));
    }
    Ok(())
}

/// The translation of questionnaire file `source` into `language`: `x.ron`
/// → `x.de.ron`, beside it.
pub fn path_beside(source: &Path, language: &str) -> PathBuf {
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".ron").unwrap_or(&name);
    source.with_file_name(format!("{stem}.{language}.ron"))
}

/// The questionnaire file a translation file belongs to: `x.de.ron` →
/// `x.ron`, with the language its name gives.
pub fn source_of(translation: &Path) -> Option<(PathBuf, String)> {
    let name = translation.file_name()?.to_str()?;
    let rest = name.strip_suffix(".ron")?;
    let (stem, language) = rest.rsplit_once('.')?;
    if stem.is_empty() || check_language(language).is_err() {
        return None;
    }
    Some((
        translation.with_file_name(format!("{stem}.ron")),
        language.to_string(),
    ))
}

/// Translates `q` into `language` with the file beside its source (see
/// [`path_beside`]). The questionnaire's own language needs no file: `q` is
/// returned as it is. A shipped questionnaire has no file to sit beside.
pub fn translate(q: Questionnaire, language: &str) -> Result<(Questionnaire, Vec<String>)> {
    translate_or_copy(q, language, None)
}

/// [`translate`], falling back to `copy` (a translation's text kept in a
/// session, with the path it was read from) when the file beside is gone or
/// no longer applies: a session stays usable when files move.
pub fn translate_or_copy(
    q: Questionnaire,
    language: &str,
    copy: Option<&Translated>,
) -> Result<(Questionnaire, Vec<String>)> {
    check_language(language).map_err(|e| Error::Input(format!("--language: {e}")))?;
    if language == q.meta.language {
        return Ok((q, Vec::new()));
    }
    let from_copy = |q: Questionnaire| -> Option<Result<(Questionnaire, Vec<String>)>> {
        let c = copy.filter(|c| c.language == language)?;
        let shown = format!("{} (copy in the session)", c.source);
        Some(parse(&shown, &c.text).and_then(|t| {
            let (mut q, missing) = apply(q, t, &shown)?;
            if let Some(tr) = &mut q.translation {
                tr.source = c.source.clone();
            }
            Ok((q, missing))
        }))
    };
    if let Some(id) = q.source.strip_prefix("shipped:") {
        if let Some(r) = from_copy(q.clone()) {
            return r;
        }
        return Err(Error::Input(format!(
            "the shipped questionnaire \"{}\" has no translation into \"{language}\"; translations are read beside a questionnaire file: save it as a file (for example with `aiact translation-template`'s source beside it) and pass --questionnaire FILE",
            crate::text::printable_line(id)
        )));
    }
    let path = path_beside(Path::new(&q.source), language);
    if !path.is_file() {
        if let Some(r) = from_copy(q.clone()) {
            return r;
        }
        return Err(Error::Input(format!(
            "{}: no translation of \"{}\" into \"{language}\": this file does not exist. Make one with `aiact translation-template {} --language {language}`.",
            path.display(),
            crate::text::printable_line(&q.source),
            crate::text::printable_line(&q.source),
        )));
    }
    let shown = path.display().to_string();
    let from_file = read(&path).and_then(|t| {
        if t.language != language {
            return Err(Error::Input(format!(
                "{shown}: the translation's language is \"{}\", but its file name says \"{language}\"; make them agree",
                crate::text::printable_line(&t.language)
            )));
        }
        apply(q.clone(), t, &shown)
    });
    match from_file {
        Ok(r) => Ok(r),
        Err(e) => from_copy(q).and_then(Result::ok).ok_or(e),
    }
}

/// Loads `spec` (a shipped id or a file) in `language` when one is given.
pub fn load_spec(spec: &str, language: Option<&str>) -> Result<(Questionnaire, Vec<String>)> {
    let q = super::load_spec(spec)?;
    match language {
        Some(l) => translate(q, l),
        None => Ok((q, Vec::new())),
    }
}

/// The warning for texts not translated yet, or `None` when all are:
/// "12 texts are not translated yet: title, …".
pub fn missing_warning(language: &str, missing: &[String]) -> Option<String> {
    if missing.is_empty() {
        return None;
    }
    let mut names: Vec<String> = missing
        .iter()
        .take(MISSING_SHOWN)
        .map(|k| crate::text::printable_line(k))
        .collect();
    if missing.len() > MISSING_SHOWN {
        names.push(format!("and {} more", missing.len() - MISSING_SHOWN));
    }
    Some(format!(
        "{} text{} not translated into \"{}\" yet (the original is shown): {}",
        missing.len(),
        if missing.len() == 1 { " is" } else { "s are" },
        crate::text::printable_line(language),
        names.join(", ")
    ))
}

/// A complete translation file for `q` into `language`: every key with its
/// current text, the questionnaire's id and logic hash, for a translator to
/// fill in. It applies as it is (then translating nothing).
pub fn template(q: &Questionnaire, language: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "// Translation of \"{}\" ({}, version {}) into \"{language}\".\n",
        escape_comment(&q.meta.title),
        escape_comment(&q.meta.id),
        escape_comment(&q.meta.version)
    ));
    out.push_str(
        "// Replace each text with its translation; keep the keys, translation_of and logic_hash.\n\
         // A key left out (or an empty text) shows the original. See questionnaires/README.md, \"Translations\".\n",
    );
    out.push_str("(\n");
    out.push_str(&format!(
        "    translation_of: \"{}\",\n",
        escape(&q.meta.id)
    ));
    out.push_str(&format!("    language: \"{}\",\n", escape(language)));
    out.push_str(&format!("    logic_hash: \"{}\",\n", escape(&q.logic_hash)));
    out.push_str("    texts: {\n");
    for (key, text) in texts(q) {
        out.push_str(&format!(
            "        \"{}\": \"{}\",\n",
            escape(&key),
            escape(&text)
        ));
    }
    out.push_str("    },\n)\n");
    out
}

/// A RON string body: backslash, double quote, newline and tab escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// Text for a `//` comment: on one line.
fn escape_comment(text: &str) -> String {
    crate::text::printable_line(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_beside_and_back() {
        assert_eq!(
            path_beside(Path::new("dir/x.ron"), "de"),
            PathBuf::from("dir/x.de.ron")
        );
        assert_eq!(
            path_beside(Path::new("x"), "pt-BR"),
            PathBuf::from("x.pt-BR.ron")
        );
        assert_eq!(
            source_of(Path::new("dir/x.de.ron")),
            Some((PathBuf::from("dir/x.ron"), "de".to_string()))
        );
        assert_eq!(source_of(Path::new("x.ron")), None);
    }

    #[test]
    fn language_codes_cannot_name_other_files() {
        assert!(check_language("de").is_ok());
        assert!(check_language("pt-BR").is_ok());
        assert!(check_language("../x").is_err());
        assert!(check_language("").is_err());
    }

    #[test]
    fn escape_round_trips_through_ron() {
        let text = "a \"quoted\" \\ path\nnext\tline — ü";
        let back: String = ron::from_str(&format!("\"{}\"", escape(text))).unwrap();
        assert_eq!(back, text);
    }
}
