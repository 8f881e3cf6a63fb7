//! Pre-answers from a component's own files: a model or dataset card
//! (`README.md` with YAML front matter), a licence text, `config.json`,
//! safetensors headers. Which file answers which question is the
//! questionnaire's data (its `prefill` rules); this module only reads the
//! folder, carefully, and applies the rules.
//!
//! Reading is local and bounded: only the folder's own top-level files, no
//! link that leads outside it, no file larger than [`MAX_TEXT_BYTES`] read
//! as text, only the header of a safetensors file. Whatever cannot be read
//! is said in a note and the rest of the prefill still works. A value the
//! rules do not know becomes "not sure" with the reason, never a guess.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::answers::{Answer, Answers};
use crate::error::{Error, Result};
use crate::questionnaire::schema::{Kind, PrefillRule, PrefillSource};
use crate::questionnaire::{Question, Questionnaire};

/// The largest file read as text (cards, licences, `config.json`).
pub const MAX_TEXT_BYTES: u64 = 1024 * 1024;
/// The largest safetensors header read (real ones are well under 1 MB).
pub const MAX_HEADER_BYTES: u64 = 16 * 1024 * 1024;
/// How close a licence text must be to an SPDX licence to count as it.
const LICENCE_SCORE: f32 = 0.9;
const LICENCE_FILES: &[&str] = &["LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "COPYING"];

/// Pre-answers with where each came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prefilled {
    pub answers: Answers,
    /// Per question: the file and field the pre-answer comes from, in words.
    pub sources: BTreeMap<String, String>,
    /// What could not be read or used, for the user.
    pub notes: Vec<String>,
}

/// A value read from the folder, with where it was read.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    List(Vec<String>),
    Number(f64),
    Present,
}

/// Reads `dir` and applies `q`'s prefill rules. Only answers on the path the
/// pre-answers lead to are kept, so the user confirms what the questionnaire
/// asks and nothing else.
pub fn from_dir(q: &Questionnaire, dir: &Path, today: Date) -> Result<Prefilled> {
    let repo = Repo::open(dir)?;
    let mut out = Prefilled::default();
    let mut reader = Reader::new(&repo);
    for rule in &q.prefill {
        let Some(question) = q.question(&rule.question) else {
            continue;
        };
        let Some((value, source)) = reader.read(&rule.source) else {
            continue;
        };
        let Some((answer, why)) = answer_for(rule, question, &value) else {
            continue;
        };
        let described = match why {
            Some(why) => format!("{source} ({why})"),
            None => source,
        };
        let described = if rule.caution.is_empty() {
            described
        } else {
            format!("{described}. {}", rule.caution)
        };
        merge(&mut out, question, answer, described);
    }
    out.notes.append(&mut reader.notes);
    keep_on_path(q, &mut out, today);
    Ok(out)
}

/// Adds a pre-answer: the first for a single-answer question wins (a later
/// disagreeing one is noted); ticks of a multiple-choice question add up.
fn merge(out: &mut Prefilled, question: &Question, answer: Answer, source: String) {
    let id = question.id().to_string();
    match (out.answers.get_mut(&id), answer) {
        (None, a) => {
            out.answers.insert(id.clone(), a);
            out.sources.insert(id, source);
        }
        (Some(Answer::Choices(have)), Answer::Choices(more)) => {
            for m in more {
                if !have.contains(&m) {
                    have.push(m);
                }
            }
            let s = out.sources.entry(id).or_default();
            s.push_str("; ");
            s.push_str(&source);
        }
        (Some(have), other) if *have == other => {}
        (Some(have), other) => out.notes.push(format!(
            "“{}”: {source} suggests {}, but an earlier file said {}; kept the earlier one — check it",
            question.short(),
            question.describe(&other),
            question.describe(have),
        )),
    }
}

/// The answer a value gives under a rule, with a reason to show when the
/// answer is "not sure".
fn answer_for(
    rule: &PrefillRule,
    question: &Question,
    value: &Value,
) -> Option<(Answer, Option<String>)> {
    if let Kind::Number { .. } = question.kind() {
        return match value {
            Value::Number(n) => Some((Answer::Number(format!("{n:e}")), None)),
            Value::Text(t) => crate::answers::parse_number(t)
                .ok()
                .map(|_| (Answer::Number(t.trim().to_string()), None)),
            _ => None,
        };
    }
    if let Some(present) = &rule.present {
        return Some((choice(question, vec![present.clone()]), None));
    }
    let texts: Vec<&str> = match value {
        Value::Text(t) => vec![t.as_str()],
        Value::List(l) => l.iter().map(String::as_str).collect(),
        Value::Number(_) | Value::Present => return None,
    };
    let mut picked = Vec::new();
    let mut unknown = Vec::new();
    for t in &texts {
        match rule
            .values
            .iter()
            .find(|(v, _)| v.trim().eq_ignore_ascii_case(t.trim()))
        {
            Some((_, option)) => picked.push(option.clone()),
            None => unknown.push(*t),
        }
    }
    if !picked.is_empty() {
        return Some((choice(question, picked), None));
    }
    // Nothing it knows: "not sure", with the value, so the user sees why.
    question.not_sure.then(|| {
        (
            Answer::NotSure,
            Some(format!(
                "“{}” is not a value aiact can map; answered “not sure”",
                crate::text::printable_line(&unknown.join(", "))
            )),
        )
    })
}

fn choice(question: &Question, options: Vec<String>) -> Answer {
    match question.kind() {
        Kind::Multiple { .. } => Answer::Choices(options),
        _ => Answer::Choice(options.into_iter().next().unwrap_or_default()),
    }
}

/// Drops pre-answers to questions the answers' own path can no longer
/// reach (a branch not taken), saying so; answers further on, beyond the
/// first question still open, stay for when the user gets there.
fn keep_on_path(q: &Questionnaire, out: &mut Prefilled, today: Date) {
    for _ in 0..q.questions.len().max(1) {
        let ev = crate::engine::evaluate(q, &out.answers, today);
        let reachable = ev.reachable(q);
        let off: Vec<String> = out
            .answers
            .keys()
            .filter(|id| {
                q.question_index(id).is_none_or(|i| !reachable[i])
                    || ev.problems.iter().any(|p| &p.question == *id)
            })
            .cloned()
            .collect();
        if off.is_empty() {
            return;
        }
        for id in off {
            out.answers.remove(&id);
            if let Some(source) = out.sources.remove(&id) {
                let short = q.question(&id).map_or(id.as_str(), |x| x.short());
                out.notes.push(format!(
                    "“{short}” is not asked on this path, so {} was not used",
                    source.split(". ").next().unwrap_or(&source)
                ));
            }
        }
    }
}

/// The folder, read safely.
struct Repo {
    /// Top-level regular files (links resolved inside the folder only), by name.
    files: BTreeMap<String, PathBuf>,
    notes: Vec<String>,
}

impl Repo {
    fn open(dir: &Path) -> Result<Repo> {
        let shown = dir.display().to_string();
        let root = dir
            .canonicalize()
            .map_err(|e| Error::io(dir, "open the folder to prefill from", &e))?;
        if !root.is_dir() {
            return Err(Error::Input(format!(
                "{shown}: not a folder; give the folder of the model or dataset (with its README.md)"
            )));
        }
        let mut files = BTreeMap::new();
        let mut notes = Vec::new();
        let entries =
            std::fs::read_dir(&root).map_err(|e| Error::io(dir, "read the folder", &e))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            let target = if meta.file_type().is_symlink() {
                match path.canonicalize() {
                    Ok(t) if t.starts_with(&root) && t.is_file() => t,
                    Ok(_) | Err(_) => {
                        notes.push(format!(
                            "{name}: a link that leads outside the folder (or nowhere); not read"
                        ));
                        continue;
                    }
                }
            } else if meta.is_file() {
                path
            } else {
                continue;
            };
            files.insert(name, target);
        }
        Ok(Repo { files, notes })
    }

    /// A file's text, if it is small, text and readable (else a note).
    fn text(&self, name: &str, notes: &mut Vec<String>) -> Option<String> {
        let path = self.files.get(name)?;
        let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if len > MAX_TEXT_BYTES {
            notes.push(format!(
                "{name}: {:.1} MB is too large to be a card or licence; not read",
                len as f64 / 1_048_576.0
            ));
            return None;
        }
        // Read at most the limit, whatever the size said a moment ago.
        let mut bytes = Vec::new();
        let read = std::fs::File::open(path).and_then(|f| {
            use std::io::Read;
            f.take(MAX_TEXT_BYTES + 1).read_to_end(&mut bytes)
        });
        if let Err(e) = read {
            notes.push(format!("{name}: {}", crate::error::describe_io(&e)));
            return None;
        }
        if bytes.len() as u64 > MAX_TEXT_BYTES {
            notes.push(format!(
                "{name}: too large to be a card or licence; not read"
            ));
            return None;
        }
        if bytes.contains(&0) {
            notes.push(format!("{name}: a binary file, not text; not read"));
            return None;
        }
        match String::from_utf8(bytes) {
            Ok(t) => Some(crate::questionnaire::source::normalise(&t).into_owned()),
            Err(_) => {
                notes.push(format!("{name}: not UTF-8 text; not read"));
                None
            }
        }
    }

    fn names_matching<'a>(&'a self, pattern: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.files
            .keys()
            .map(String::as_str)
            .filter(move |n| matches_pattern(pattern, n))
    }
}

/// `*` matches any run of characters; everything else matches itself.
fn matches_pattern(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, tail)) => {
            name.len() >= head.len() + tail.len() && name.starts_with(head) && name.ends_with(tail)
        }
    }
}

/// Reads sources, each file once.
struct Reader<'a> {
    repo: &'a Repo,
    front_matter: Option<Option<yaml_rust2::Yaml>>,
    licence: Option<Option<(String, String)>>,
    parameters: Option<Option<(f64, String)>>,
    notes: Vec<String>,
}

impl<'a> Reader<'a> {
    fn new(repo: &'a Repo) -> Reader<'a> {
        Reader {
            repo,
            front_matter: None,
            licence: None,
            parameters: None,
            notes: repo.notes.clone(),
        }
    }

    /// The value of a source and where it was read, in words.
    fn read(&mut self, source: &PrefillSource) -> Option<(Value, String)> {
        match source {
            PrefillSource::FrontMatter(key) => {
                let yaml = self.front_matter()?;
                let v = &yaml[key.as_str()];
                let value = yaml_value(v)?;
                let shown = match &value {
                    Value::Text(t) => t.clone(),
                    Value::List(l) => l.join(", "),
                    Value::Number(n) => n.to_string(),
                    Value::Present => String::new(),
                };
                Some((
                    value,
                    format!(
                        "README.md, front matter `{key}`: {}",
                        crate::text::printable_line(&shown)
                    ),
                ))
            }
            PrefillSource::LicenceText => {
                let (id, file) = self.licence()?;
                Some((
                    Value::Text(id.clone()),
                    format!("{file}: the {id} licence text"),
                ))
            }
            PrefillSource::FileExists(pattern) => {
                let name = self.repo.names_matching(pattern).next()?;
                Some((Value::Present, format!("{name} is in the folder")))
            }
            PrefillSource::Parameters => {
                let (n, from) = self.parameters()?;
                Some((
                    Value::Number(n),
                    format!("{from}: {} parameters", short_number(n)),
                ))
            }
            PrefillSource::Product { factor, of } => {
                let mut value = *factor;
                let mut from = Vec::new();
                for s in of {
                    let (v, f) = self.read(s)?;
                    let n = match v {
                        Value::Number(n) => n,
                        Value::Text(t) => crate::answers::parse_number(&t).ok()?,
                        _ => return None,
                    };
                    value *= n;
                    from.push(f);
                }
                Some((
                    Value::Number(value),
                    format!("{factor} × ({})", from.join(") × (")),
                ))
            }
        }
    }

    fn front_matter(&mut self) -> Option<yaml_rust2::Yaml> {
        if self.front_matter.is_none() {
            let parsed = self.repo.text("README.md", &mut self.notes).and_then(|t| {
                let body = t.strip_prefix("---\n")?;
                let end = body.find("\n---").unwrap_or(body.len());
                let body = &body[..end];
                // Aliases copy what they name: a few hundred bytes of them can
                // expand to gigabytes. Cards have no use for them.
                if let Some((line, col)) = first_alias(body) {
                    self.notes.push(format!(
                        "README.md:{}:{}: the front matter uses a YAML alias (`*name`), which aiact does not expand; the card's fields were not used",
                        line + 1,
                        col + 1
                    ));
                    return None;
                }
                match yaml_rust2::YamlLoader::load_from_str(body) {
                    Ok(mut docs) if !docs.is_empty() => Some(docs.remove(0)),
                    Ok(_) => None,
                    Err(e) => {
                        let m = e.marker();
                        self.notes.push(format!(
                            "README.md:{}:{}: the front matter is not valid YAML ({}); the card's fields were not used",
                            m.line() + 1,
                            m.col() + 1,
                            e.info()
                        ));
                        None
                    }
                }
            });
            self.front_matter = Some(parsed);
        }
        self.front_matter.clone().flatten()
    }

    fn licence(&mut self) -> Option<(String, String)> {
        if self.licence.is_none() {
            let mut found = None;
            for name in LICENCE_FILES {
                let Some(text) = self.repo.text(name, &mut self.notes) else {
                    continue;
                };
                found = self.detect_licence(name, &text);
                break;
            }
            self.licence = Some(found);
        }
        self.licence.clone().flatten()
    }

    fn detect_licence(&mut self, name: &str, text: &str) -> Option<(String, String)> {
        let store = match spdx::detection::Store::load_inline() {
            Ok(s) => s,
            Err(_) => {
                self.notes
                    .push("the licence texts aiact knows could not be loaded".into());
                return None;
            }
        };
        let m = store.analyze(&spdx::detection::TextData::from(text));
        if m.score >= LICENCE_SCORE {
            Some((m.name.to_string(), name.to_string()))
        } else {
            self.notes.push(format!(
                "{name}: not a licence text aiact recognises (closest: {}, {:.0} % alike); the licence is not pre-answered from it",
                m.name,
                m.score * 100.0
            ));
            None
        }
    }

    fn parameters(&mut self) -> Option<(f64, String)> {
        if self.parameters.is_none() {
            let from_config = self
                .repo
                .text("config.json", &mut self.notes)
                .and_then(|t| {
                    let v: serde_json::Value = match serde_json::from_str(&t) {
                        Ok(v) => v,
                        Err(e) => {
                            self.notes.push(format!(
                                "config.json:{}:{}: not valid JSON; not used",
                                e.line(),
                                e.column()
                            ));
                            return None;
                        }
                    };
                    ["num_parameters", "n_parameters", "num_params"]
                        .iter()
                        .find_map(|k| v.get(*k).and_then(serde_json::Value::as_f64))
                        .map(|n| (n, "config.json".to_string()))
                });
            let found = from_config.or_else(|| self.safetensors_parameters());
            self.parameters = Some(found);
        }
        self.parameters.clone().flatten()
    }

    /// The sum of tensor sizes over every `*.safetensors` file's header.
    fn safetensors_parameters(&mut self) -> Option<(f64, String)> {
        let names: Vec<String> = self
            .repo
            .names_matching("*.safetensors")
            .map(str::to_string)
            .collect();
        if names.is_empty() {
            return None;
        }
        let mut total = 0f64;
        for name in &names {
            match tensor_sizes(&self.repo.files[name]) {
                Ok(n) => total += n,
                Err(why) => {
                    self.notes.push(format!(
                        "{name}: {why}; the parameter count is not pre-answered"
                    ));
                    return None;
                }
            }
        }
        let from = if names.len() == 1 {
            format!("{} header", names[0])
        } else {
            format!("the headers of {} safetensors files", names.len())
        };
        Some((total, from))
    }
}

/// Where the first alias (`*name`) of a YAML text is (0-based line and
/// column), from the parser's events; a text that does not parse has none
/// here (the loader then reports the error).
fn first_alias(text: &str) -> Option<(usize, usize)> {
    use yaml_rust2::parser::{Event, Parser};
    let mut parser = Parser::new_from_str(text);
    loop {
        match parser.next_token() {
            Ok((Event::Alias(_), mark)) => return Some((mark.line(), mark.col())),
            Ok((Event::StreamEnd, _)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// Parameters in one safetensors file, from its header alone.
fn tensor_sizes(path: &Path) -> std::result::Result<f64, String> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| crate::error::describe_io(&e))?;
    let mut len = [0u8; 8];
    f.read_exact(&mut len)
        .map_err(|_| "too short to be a safetensors file".to_string())?;
    let n = u64::from_le_bytes(len);
    if n > MAX_HEADER_BYTES {
        return Err(format!("a header of {n} bytes is not a safetensors header"));
    }
    let mut header = vec![0u8; n as usize];
    f.read_exact(&mut header)
        .map_err(|_| "the header is cut short".to_string())?;
    let v: serde_json::Value =
        serde_json::from_slice(&header).map_err(|_| "the header is not JSON".to_string())?;
    let obj = v.as_object().ok_or("the header is not a JSON object")?;
    let mut total = 0f64;
    for (name, t) in obj {
        if name == "__metadata__" {
            continue;
        }
        let shape = t
            .get("shape")
            .and_then(serde_json::Value::as_array)
            .ok_or_else(|| format!("tensor {name} has no shape"))?;
        total += shape
            .iter()
            .map(|d| d.as_f64().unwrap_or(0.0))
            .product::<f64>();
    }
    Ok(total)
}

fn yaml_value(v: &yaml_rust2::Yaml) -> Option<Value> {
    use yaml_rust2::Yaml as Y;
    match v {
        Y::String(s) if !s.trim().is_empty() => Some(Value::Text(s.clone())),
        Y::Integer(i) => Some(Value::Number(*i as f64)),
        Y::Real(r) => r.parse().ok().map(Value::Number),
        Y::Boolean(b) => Some(Value::Text(b.to_string())),
        Y::Array(items) => {
            let list: Vec<String> = items
                .iter()
                .filter_map(|i| match i {
                    Y::String(s) => Some(s.clone()),
                    Y::Integer(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect();
            (!list.is_empty()).then_some(Value::List(list))
        }
        Y::Hash(h) if !h.is_empty() => Some(Value::Present),
        _ => None,
    }
}

/// 7.24B, 350M: parameter counts as people write them.
fn short_number(n: f64) -> String {
    for (unit, size) in [("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)] {
        if n >= size {
            let digits = format!("{:.2}", n / size);
            let digits = digits.trim_end_matches('0').trim_end_matches('.');
            return format!("{digits}{unit}");
        }
    }
    format!("{n}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_have_one_star() {
        assert!(matches_pattern(
            "*.safetensors",
            "model-00001-of-00002.safetensors"
        ));
        assert!(matches_pattern("config.json", "config.json"));
        assert!(!matches_pattern("*.safetensors", "model.bin"));
        assert!(!matches_pattern("ab*ba", "aba"));
    }

    #[test]
    fn parameter_counts_read_like_people_write_them() {
        assert_eq!(short_number(7.0e9), "7B");
        assert_eq!(short_number(1.5e9), "1.5B");
        assert_eq!(short_number(350e6), "350M");
    }
}
