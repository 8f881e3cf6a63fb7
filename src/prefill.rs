//! Pre-answers from a component's own files: a model or dataset card
//! (`README.md` with YAML front matter), a licence text, `config.json`,
//! safetensors headers. Which file answers which question is the
//! questionnaire's data (its `prefill` rules); this module only reads the
//! folder, carefully, and applies the rules.
//!
//! Reading is local and bounded: only the folder's own files and those of its
//! immediate subfolders (a diffusers pipeline keeps its weights in `unet/`,
//! `text_encoder/`…), no link that leads outside it, no file larger than
//! [`MAX_TEXT_BYTES`] read as text, only the header of a safetensors file. Whatever cannot be read
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
/// The most entries listed in the folder and its subfolders together.
const MAX_ENTRIES: usize = 10_000;
/// What a Git LFS pointer file starts with: the real file was not downloaded.
const LFS_POINTER: &[u8] = b"version https://git-lfs.github.com/spec/v1";
/// Said of a Git LFS pointer found in place of a file.
const LFS_WORDS: &str = "a Git LFS pointer, not the file itself: the real file was not downloaded (`git lfs pull` fetches it)";
/// `config.json` keys that state a parameter count.
const PARAMETER_KEYS: &[&str] = &[
    "num_parameters",
    "n_parameters",
    "num_params",
    "n_params",
    "total_parameters",
    "total_params",
    "parameter_count",
    "param_count",
];
/// Component folders of a diffusers pipeline that hold weights, when
/// `model_index.json` does not name them.
const DIFFUSERS_COMPONENTS: &[&str] = &[
    "unet",
    "transformer",
    "text_encoder",
    "text_encoder_2",
    "text_encoder_3",
    "vae",
    "prior",
    "decoder",
    "image_encoder",
    "controlnet",
];

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
    /// Something is there but means nothing the rules can map: "not sure",
    /// for this reason.
    Unknown(String),
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
        (Some(Answer::NotSure), Answer::NotSure) => {
            // Both reasons count: the user decides with all of them.
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
/// answer is "not sure" (or, for a list read for any known value, the
/// values that counted).
fn answer_for(
    rule: &PrefillRule,
    question: &Question,
    value: &Value,
) -> Option<(Answer, Option<String>)> {
    if let Value::Unknown(why) = value {
        // Unknown is "not sure" with the reason, never a guess.
        return question
            .not_sure
            .then(|| (Answer::NotSure, Some(why.clone())));
    }
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
        Value::Number(_) | Value::Present | Value::Unknown(_) => return None,
    };
    let mut picked: Vec<String> = Vec::new();
    let mut matched = Vec::new();
    let mut unknown = Vec::new();
    for t in &texts {
        match rule
            .values
            .iter()
            .find(|(v, _)| v.trim().eq_ignore_ascii_case(t.trim()))
        {
            Some((_, option)) => {
                matched.push(*t);
                if !picked.contains(option) {
                    picked.push(option.clone());
                }
            }
            None => unknown.push(*t),
        }
    }
    let any = matches!(rule.source, PrefillSource::FrontMatterAny(_));
    if any {
        // Only the values the rule knows count; the others say nothing.
        if picked.is_empty() {
            return None;
        }
        let shown = crate::text::printable_line(&matched.join(", "));
        let single = !matches!(question.kind(), Kind::Multiple { .. });
        if single && picked.len() > 1 {
            return question.not_sure.then(|| {
                (
                    Answer::NotSure,
                    Some(format!(
                        "“{shown}” point to different answers; answered “not sure”"
                    )),
                )
            });
        }
        return Some((choice(question, picked), Some(format!("“{shown}”"))));
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
    /// Regular files (links resolved inside the folder only) by name: the
    /// folder's own as `name`, its immediate subfolders' as `dir/name`.
    files: BTreeMap<String, PathBuf>,
    /// The immediate subfolders, by name.
    dirs: BTreeMap<String, PathBuf>,
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
        let mut repo = Repo {
            files: BTreeMap::new(),
            dirs: BTreeMap::new(),
            notes: Vec::new(),
        };
        let mut budget = MAX_ENTRIES;
        let entries =
            std::fs::read_dir(&root).map_err(|e| Error::io(dir, "read the folder", &e))?;
        let subdirs = repo.scan(&root, entries, "", &mut budget);
        for (name, path) in subdirs {
            // Hidden folders (`.git`, `.cache`) hold no part of the release.
            if name.starts_with('.') {
                continue;
            }
            match std::fs::read_dir(&path) {
                Ok(entries) => {
                    // Deeper folders are not read.
                    let _ = repo.scan(&root, entries, &format!("{name}/"), &mut budget);
                }
                Err(e) => repo.notes.push(format!(
                    "{name}/: {}; not read",
                    crate::error::describe_io(&e)
                )),
            }
            repo.dirs.insert(name, path);
        }
        if budget == 0 {
            repo.notes.push(format!(
                "the folder holds more than {MAX_ENTRIES} files and folders; only the first were looked at"
            ));
        }
        Ok(repo)
    }

    /// Lists one folder's entries: regular files (and links to regular files
    /// inside `root`) go into `files` under `prefix`; folders are returned.
    fn scan(
        &mut self,
        root: &Path,
        entries: std::fs::ReadDir,
        prefix: &str,
        budget: &mut usize,
    ) -> Vec<(String, PathBuf)> {
        let mut dirs = Vec::new();
        for entry in entries.flatten() {
            if *budget == 0 {
                break;
            }
            *budget -= 1;
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let path = entry.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            let target = if meta.file_type().is_symlink() {
                match path.canonicalize() {
                    Err(_) => {
                        self.notes.push(format!(
                            "{name}: a link that leads nowhere (its target does not exist); not read"
                        ));
                        continue;
                    }
                    Ok(t) if !t.starts_with(root) => {
                        self.notes.push(format!(
                            "{name}: a link that leads outside the folder; not read"
                        ));
                        continue;
                    }
                    Ok(t) => t,
                }
            } else {
                path
            };
            let Ok(target_meta) = std::fs::metadata(&target) else {
                continue;
            };
            if target_meta.is_file() {
                self.files.insert(name, target);
            } else if target_meta.is_dir() {
                // A link to a folder inside the folder would list it twice.
                if !meta.file_type().is_symlink() {
                    dirs.push((name, target));
                }
            } else {
                let what = special_kind(&target_meta.file_type());
                let link = if meta.file_type().is_symlink() {
                    "a link to "
                } else {
                    ""
                };
                self.notes.push(format!(
                    "{name}: {link}{what}, not a regular file; not read"
                ));
            }
        }
        dirs
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
        if bytes.starts_with(LFS_POINTER) {
            notes.push(format!("{name}: {LFS_WORDS}; not read"));
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

    /// The files directly in folder `dir` (`""` for the folder itself), by
    /// their name there.
    fn files_in<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = (&'a str, &'a Path)> + 'a {
        self.files.iter().filter_map(move |(name, path)| {
            let rest = if dir.is_empty() {
                name.as_str()
            } else {
                name.strip_prefix(dir)?.strip_prefix('/')?
            };
            (!rest.contains('/')).then_some((rest, path.as_path()))
        })
    }
}

/// What a file that is neither a regular file nor a folder is, in words.
fn special_kind(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
    }
    let _ = ft;
    "a special file"
}

/// `*` matches any run of characters but `/`; everything else matches
/// itself.
fn matches_pattern(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, tail)) => {
            let Some(rest) = name.strip_prefix(head) else {
                return false;
            };
            // The star takes a run without `/`, then the tail must match.
            let run_end = rest.find('/').unwrap_or(rest.len());
            (0..=run_end)
                .filter(|&i| rest.is_char_boundary(i))
                .any(|i| matches_pattern(tail, &rest[i..]))
        }
    }
}

/// Reads sources, each file once.
struct Reader<'a> {
    repo: &'a Repo,
    front_matter: Option<Option<yaml_rust2::Yaml>>,
    licence: Option<Option<(Value, String)>>,
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
                let value = yaml_value(&yaml[key.as_str()])?;
                let shown = match &value {
                    Value::Text(t) => t.clone(),
                    Value::List(l) => l.join(", "),
                    Value::Number(n) => n.to_string(),
                    Value::Present | Value::Unknown(_) => String::new(),
                };
                // Cards name a licence outside the hub's list in a companion
                // field (`license: other`, `license_name: …`): show it.
                let name_key = format!("{key}_name");
                let named = match &yaml[name_key.as_str()] {
                    yaml_rust2::Yaml::String(n) if !n.trim().is_empty() => {
                        format!(", `{name_key}`: {}", crate::text::printable_line(n))
                    }
                    _ => String::new(),
                };
                Some((
                    value,
                    format!(
                        "README.md, front matter `{key}`: {}{named}",
                        crate::text::printable_line(&shown)
                    ),
                ))
            }
            PrefillSource::FrontMatterAny(key) => {
                let yaml = self.front_matter()?;
                let value = match yaml_value(&yaml[key.as_str()])? {
                    Value::Text(t) => Value::List(vec![t]),
                    list @ Value::List(_) => list,
                    _ => return None,
                };
                Some((value, format!("README.md, front matter `{key}`")))
            }
            PrefillSource::LicenceText => {
                let (value, described) = self.licence()?;
                Some((value, described))
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

    /// The licence of the first licence file that can be read: its SPDX id,
    /// or "unknown" with the reason when the text is not one aiact knows.
    fn licence(&mut self) -> Option<(Value, String)> {
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

    fn detect_licence(&mut self, name: &str, text: &str) -> Option<(Value, String)> {
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
            let id = m.name.to_string();
            Some((
                Value::Text(id.clone()),
                format!("{name}: the {id} licence text"),
            ))
        } else {
            // A custom or unknown licence: "not sure", never the closest one.
            Some((
                Value::Unknown(format!(
                    "not one aiact recognises: the closest, {}, is {:.0} % alike; answered “not sure”",
                    m.name,
                    m.score * 100.0
                )),
                format!("{name}: a licence text"),
            ))
        }
    }

    /// The parameter count and where it was read: a count stated in
    /// `config.json`, else the safetensors headers of one copy of the weights.
    /// Never estimated from the architecture.
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
                    PARAMETER_KEYS.iter().find_map(|k| {
                        v.get(*k)
                            .and_then(serde_json::Value::as_f64)
                            .filter(|n| n.is_finite() && *n >= 1.0)
                            .map(|n| (n, format!("config.json `{k}`")))
                    })
                });
            let found = from_config.or_else(|| self.safetensors_parameters());
            self.parameters = Some(found);
        }
        self.parameters.clone().flatten()
    }

    /// The folder's own copy of the weights, else the sum over a diffusers
    /// pipeline's component folders (`unet/`, `text_encoder/`…).
    fn safetensors_parameters(&mut self) -> Option<(f64, String)> {
        if let Some(found) = self.folder_parameters("") {
            return found;
        }
        let components = self.diffusers_components();
        let mut total = 0f64;
        let mut from = Vec::new();
        for c in &components {
            match self.folder_parameters(c) {
                None => {
                    if self
                        .repo
                        .files_in(c)
                        .any(|(n, _)| n.ends_with(".bin") || n.ends_with(".ckpt"))
                    {
                        self.notes.push(format!(
                            "{c}/ holds its weights in another format than safetensors; the parameter count is not pre-answered"
                        ));
                        return None;
                    }
                }
                Some(None) => {
                    self.notes.push(format!(
                        "{c}/: its weights could not be counted, so the pipeline's parameter count is not pre-answered"
                    ));
                    return None;
                }
                Some(Some((n, f))) => {
                    total += n;
                    from.push(f);
                }
            }
        }
        if from.is_empty() {
            return None;
        }
        Some((total, from.join(" + ")))
    }

    /// A diffusers pipeline's component folders: those `model_index.json`
    /// names, else the usual ones, that are in the folder.
    fn diffusers_components(&mut self) -> Vec<String> {
        let named: Option<Vec<String>> = self
            .repo
            .files
            .contains_key("model_index.json")
            .then(|| self.repo.text("model_index.json", &mut self.notes))
            .flatten()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|v| {
                v.as_object().map(|o| {
                    o.iter()
                        .filter(|(k, v)| !k.starts_with('_') && v.is_array())
                        .map(|(k, _)| k.clone())
                        .collect()
                })
            });
        let candidates: Vec<String> = named.unwrap_or_else(|| {
            DIFFUSERS_COMPONENTS
                .iter()
                .map(|c| (*c).to_string())
                .collect()
        });
        candidates
            .into_iter()
            .filter(|c| self.repo.dirs.contains_key(c))
            .collect()
    }

    /// The parameters of one copy of the weights in folder `dir` (`""` for
    /// the folder itself): `None` when it holds no safetensors at all,
    /// `Some(None)` when they cannot be counted (said in a note).
    ///
    /// A folder often holds the same weights more than once: a consolidated
    /// file and shards, or shards and their index. Each copy is counted on
    /// its own; they must agree, and one is used.
    #[allow(clippy::option_option)]
    fn folder_parameters(&mut self, dir: &str) -> Option<Option<(f64, String)>> {
        let shown = |name: &str| {
            if dir.is_empty() {
                name.to_string()
            } else {
                format!("{dir}/{name}")
            }
        };
        let files: BTreeMap<String, PathBuf> = self
            .repo
            .files_in(dir)
            .map(|(n, p)| (n.to_string(), p.to_path_buf()))
            .collect();
        let tensors: Vec<&String> = files
            .keys()
            .filter(|n| n.ends_with(".safetensors"))
            .collect();
        let indexes: Vec<&String> = files
            .keys()
            .filter(|n| n.ends_with(".safetensors.index.json"))
            .collect();
        if tensors.is_empty() && indexes.is_empty() {
            return None;
        }
        // Copies of the weights: (count, where) or a note.
        let mut copies: Vec<(f64, String)> = Vec::new();
        let mut covered: Vec<String> = Vec::new();
        for index in &indexes {
            let full = shown(index);
            let Some(text) = self.repo.text(&full, &mut self.notes) else {
                continue;
            };
            match index_parameters(&text, &files) {
                Ok((n, used, how)) => {
                    covered.extend(used);
                    copies.push((n, format!("{full} ({how})")));
                }
                Err((why, used)) => {
                    covered.extend(used);
                    self.notes.push(format!("{full}: {why}; not counted"));
                }
            }
        }
        // Shard sets (`model-00001-of-00002.safetensors`) and single files.
        let mut sets: BTreeMap<(String, usize), Vec<(usize, String)>> = BTreeMap::new();
        let mut singles = Vec::new();
        for name in tensors.iter().filter(|n| !covered.contains(n)) {
            match shard_of(name) {
                Some((stem, i, n)) => sets
                    .entry((stem, n))
                    .or_default()
                    .push((i, (*name).clone())),
                None => singles.push((*name).clone()),
            }
        }
        for ((stem, n), mut shards) in sets {
            shards.sort();
            let have: Vec<usize> = shards.iter().map(|(i, _)| *i).collect();
            if have != (1..=n).collect::<Vec<_>>() {
                self.notes.push(format!(
                    "{}: {} of the {n} shards are in the folder; not counted",
                    shown(&format!("{stem}-*-of-{n:05}.safetensors")),
                    shards.len()
                ));
                continue;
            }
            let mut total = 0f64;
            let mut ok = true;
            for (_, name) in &shards {
                match tensor_sizes(&files[name]) {
                    Ok(t) => total += t,
                    Err(why) => {
                        self.notes
                            .push(format!("{}: {why}; not counted", shown(name)));
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                copies.push((
                    total,
                    format!(
                        "the headers of the {n} shards {}",
                        shown(&format!("{stem}-*-of-{n:05}.safetensors"))
                    ),
                ));
            }
        }
        for name in &singles {
            match tensor_sizes(&files[name]) {
                Ok(t) => copies.push((t, format!("{} header", shown(name)))),
                Err(why) => self
                    .notes
                    .push(format!("{}: {why}; not counted", shown(name))),
            }
        }
        let Some((first, from)) = copies.first().cloned() else {
            let place = if dir.is_empty() { "the folder" } else { dir };
            self.notes.push(format!(
                "no safetensors file in {place} could be read; the parameter count is not pre-answered"
            ));
            return Some(None);
        };
        if copies.iter().any(|(n, _)| *n != first) {
            let listed: Vec<String> = copies
                .iter()
                .map(|(n, f)| format!("{f}: {}", short_number(*n)))
                .collect();
            self.notes.push(format!(
                "the safetensors files hold different parameter counts ({}), so which is the model is unclear; the parameter count is not pre-answered",
                listed.join("; ")
            ));
            return Some(None);
        }
        Some(Some((first, from)))
    }
}

/// A shard's name split: `model-00001-of-00002.safetensors` is shard 1 of 2
/// of `model`. Both numbers are written with the same number of digits.
fn shard_of(name: &str) -> Option<(String, usize, usize)> {
    let base = name.strip_suffix(".safetensors")?;
    let (head, total) = base.rsplit_once("-of-")?;
    let (stem, index) = head.rsplit_once('-')?;
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(index) || !digits(total) || index.len() != total.len() {
        return None;
    }
    let (i, n) = (index.parse().ok()?, total.parse().ok()?);
    (1..=n).contains(&i).then(|| (stem.to_string(), i, n))
}

/// The parameters an index (`model.safetensors.index.json`) stands for:
/// its `metadata.total_parameters`, else the headers of the shards its
/// `weight_map` names (each once). `metadata.total_size` is in bytes, not
/// parameters, so it is not used as a count. Returns the shards it covers.
#[allow(clippy::type_complexity)]
fn index_parameters(
    text: &str,
    files: &BTreeMap<String, PathBuf>,
) -> std::result::Result<(f64, Vec<String>, String), (String, Vec<String>)> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|_| ("not valid JSON".to_string(), Vec::new()))?;
    let mut shards: Vec<String> = v
        .get("weight_map")
        .and_then(serde_json::Value::as_object)
        .map(|m| {
            m.values()
                .filter_map(serde_json::Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    shards.sort();
    shards.dedup();
    if let Some(n) = v
        .pointer("/metadata/total_parameters")
        .and_then(serde_json::Value::as_f64)
        .filter(|n| n.is_finite() && *n >= 1.0)
    {
        return Ok((n, shards, "`metadata.total_parameters`".to_string()));
    }
    if shards.is_empty() {
        return Err(("names no shards in `weight_map`".to_string(), shards));
    }
    let mut total = 0f64;
    for shard in &shards {
        // Only files of this folder, by their plain name.
        let Some(path) = files.get(shard).filter(|_| !shard.contains(['/', '\\'])) else {
            return Err((
                format!(
                    "names the shard {}, which is not in the folder",
                    crate::text::printable_line(shard)
                ),
                shards.clone(),
            ));
        };
        match tensor_sizes(path) {
            Ok(n) => total += n,
            Err(why) => {
                return Err((
                    format!("its shard {}: {why}", crate::text::printable_line(shard)),
                    shards.clone(),
                ));
            }
        }
    }
    let how = format!("the headers of the {} shards it names", shards.len());
    Ok((total, shards, how))
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
    if LFS_POINTER.starts_with(&len) {
        let mut rest = vec![0u8; LFS_POINTER.len() - len.len()];
        if f.read_exact(&mut rest).is_ok() && [&len[..], &rest].concat() == LFS_POINTER {
            return Err(LFS_WORDS.to_string());
        }
    }
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
