//! Reading questionnaire source text: BOM and CRLF handling, raw control
//! characters, RON parsing with our own error messages, and the line on which
//! each id is defined (RON gives no spans after parsing, so we find them in a
//! single linear scan of the text).

use std::collections::HashMap;

use ron::extensions::Extensions;

use crate::error::{Error, Result};

/// How deep RON may nest before we refuse the file. Deep enough for any real
/// condition tree; shallow enough that parsing can never exhaust the stack.
pub const NESTING_LIMIT: usize = 96;

/// Removes a byte-order mark and turns CRLF into LF, so positions and strings
/// are the same whichever editor saved the file.
pub fn normalise(src: &str) -> std::borrow::Cow<'_, str> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    if src.contains('\r') {
        std::borrow::Cow::Owned(src.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(src)
    }
}

/// The 1-based line and column of a byte offset.
pub fn position(src: &str, offset: usize) -> (usize, usize) {
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = src[line_start..offset].chars().count() + 1;
    (line, col)
}

/// The text of a 1-based line.
pub fn line_text(src: &str, line: usize) -> String {
    src.lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("")
        .to_string()
}

/// Refuses raw control characters (other than newline, carriage return and
/// tab) anywhere in the file, with their position.
pub fn check_raw_controls(path: &str, src: &str) -> Result<()> {
    // Controls are C0 and DEL (single bytes) or C1 (0xC2 0x80..=0x9F in
    // UTF-8): a byte scan finds them without decoding every character.
    let bytes = src.as_bytes();
    let found = bytes.iter().enumerate().find_map(|(i, &b)| match b {
        b'\n' | b'\r' | b'\t' => None,
        0x00..=0x1f | 0x7f => Some(i),
        0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => Some(i),
        _ => None,
    });
    if let Some((offset, c)) = found.and_then(|i| src[i..].chars().next().map(|c| (i, c))) {
        let (line, col) = position(src, offset);
        return Err(Error::Syntax {
            path: path.to_string(),
            line,
            col,
            message: format!(
                "control character U+{:04X} in the file; escape sequences and other control characters are not allowed",
                c as u32
            ),
            source_line: line_text(src, line),
            hint: "Remove the character; text may only contain printable characters and newlines."
                .to_string(),
        });
    }
    Ok(())
}

/// Reads a file as UTF-8 text. Invalid UTF-8 is reported at the line and
/// column of the first bad byte, like a syntax error; `action` words an I/O
/// failure ("read the scenario"), `message` and `hint` the encoding error.
pub fn read_text(
    path: &std::path::Path,
    action: &'static str,
    message: &str,
    hint: &str,
) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, action, &e))?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
        let (line, col) = position(&before, before.len());
        Error::Syntax {
            path: path.display().to_string(),
            line,
            col,
            message: message.to_string(),
            source_line: line_text(&before, line),
            hint: hint.to_string(),
        }
    })
}

/// A kind of file read whole by [`read_bounded`], in the words its
/// messages use.
pub struct FileKind<'a> {
    /// "questionnaire", "session file", "translation".
    pub noun: &'a str,
    /// "questionnaires", "session files", "translations".
    pub nouns: &'a str,
    /// What to give instead of something that is not a file.
    pub path_of: &'a str,
    /// What failed, for I/O errors: "read the questionnaire".
    pub action: &'static str,
    /// The largest file read.
    pub max_bytes: u64,
    /// Said after the size limit (starting with ". "), or nothing.
    pub too_big_advice: &'a str,
    /// The message and hint for text that is not UTF-8.
    pub not_utf8: &'a str,
    pub not_utf8_hint: &'a str,
}

/// Reads a file every aiact reader reads the same way: a regular file (not
/// a folder or a pipe), no larger than its kind's limit (checked before
/// reading, so a huge file costs nothing), valid UTF-8 (an error at its
/// position otherwise).
pub fn read_bounded(path: &std::path::Path, kind: &FileKind) -> Result<String> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, kind.action, &e))?;
    if !meta.is_file() {
        return Err(Error::Input(format!(
            "{shown}: not a regular file; give the path of {}",
            kind.path_of
        )));
    }
    if meta.len() > kind.max_bytes {
        return Err(Error::Input(format!(
            "{shown}: the {} is {:.1} MB; aiact reads {} of up to {} MB{}",
            kind.noun,
            meta.len() as f64 / 1_048_576.0,
            kind.nouns,
            kind.max_bytes / 1_048_576,
            kind.too_big_advice
        )));
    }
    read_text(path, kind.action, kind.not_utf8, kind.not_utf8_hint)
}

/// Parses RON text as every aiact file is parsed: BOM and CRLF normalised,
/// raw control characters refused with their position, then [`parse_ron`].
pub fn parse_text<T: serde::de::DeserializeOwned>(path: &str, text: &str, what: &str) -> Result<T> {
    let text = normalise(text);
    check_raw_controls(path, &text)?;
    parse_ron(path, &text, what)
}

/// Parses RON into `T`, with `implicit_some` on and our own nesting limit and
/// error wording. `what` names the kind of file for the hint.
pub fn parse_ron<T: serde::de::DeserializeOwned>(path: &str, src: &str, what: &str) -> Result<T> {
    let options = ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(NESTING_LIMIT);
    options.from_str::<T>(src).map_err(|err| {
        let line = err.span.start.line.max(1);
        let col = err.span.start.col.max(1);
        let (message, mut hint) = describe_ron_error(&err.code, what);
        let source_line = line_text(src, line);
        if closed_too_early(&source_line, col) {
            hint = format!(
                "A text seems to end early: a double quote inside a text must be written \\\" (or use ‘…’ / “…” quotes). {hint}"
            );
        }
        Error::Syntax {
            path: path.to_string(),
            line,
            col,
            message,
            source_line,
            hint,
        }
    })
}

/// Whether the error sits right after a closing double quote that is
/// followed by more words: the sign of an unescaped quote inside a text
/// (`"the "best" model"`), which RON reports as a missing comma.
fn closed_too_early(line: &str, col: usize) -> bool {
    let chars: Vec<char> = line.chars().collect();
    let at = col.saturating_sub(1);
    at >= 1
        && chars.get(at - 1) == Some(&'"')
        && chars.get(at).is_some_and(|c| c.is_alphanumeric())
        && chars[..at - 1].iter().filter(|&&c| c == '"').count() % 2 == 1
}

fn describe_ron_error(code: &ron::Error, what: &str) -> (String, String) {
    use ron::Error as E;
    let format_hint = match what {
        "questionnaire" => "See questionnaires/README.md for the questionnaire format.",
        "translation" => {
            "See questionnaires/README.md, section \"Translations\", for the translation format."
        }
        "session" => {
            "The session file is damaged; aiact leaves it untouched. Restore it from a copy or fix it by hand."
        }
        _ => "See the README for the file format.",
    };
    match code {
        E::ExceededRecursionLimit => (
            format!("the {what} nests more than {NESTING_LIMIT} levels deep"),
            "Flatten it: name parts of a long condition as facts and refer to them with Fact(\"id\").".to_string(),
        ),
        E::Eof => (
            format!("the {what} ends too early (a bracket or quote is not closed)"),
            format!("Close the open bracket or string. {format_hint}"),
        ),
        E::ExpectedComma => (
            "expected a comma here (between fields or list items)".to_string(),
            format_hint.to_string(),
        ),
        E::NoSuchStructField { expected, found, outer } => (
            format!(
                "unknown field '{found}' in {}; expected one of: {}",
                thing(outer.as_deref()),
                expected.join(", ")
            ),
            format!("Check the spelling of '{found}'. {format_hint}"),
        ),
        E::MissingStructField { field, outer } => (
            format!("{} is missing the field '{field}'", thing(outer.as_deref())),
            format!("Add '{field}: ...'. {format_hint}"),
        ),
        E::DuplicateStructField { field, outer } => (
            format!("{} has the field '{field}' twice", thing(outer.as_deref())),
            format!("Remove one of them. {format_hint}"),
        ),
        E::NoSuchEnumVariant { expected, found, outer } => (
            format!(
                "unknown kind '{found}' in {}; expected one of: {}",
                thing(outer.as_deref()),
                expected.join(", ")
            ),
            format!("Check the spelling of '{found}'. {format_hint}"),
        ),
        E::ExpectedNamedStructLike(name) => (
            format!("expected '(' to start {}", thing(Some(name))),
            format_hint.to_string(),
        ),
        E::ExpectedStructLike => ("expected '(' here".to_string(), format_hint.to_string()),
        E::ExpectedDifferentStructName { expected, found } => (
            format!("found '{found}' where {} was expected", thing(Some(expected))),
            format_hint.to_string(),
        ),
        E::Message(msg) => (msg.replace('`', "'"), format_hint.to_string()),
        other => {
            let text = other.to_string().replace('`', "'");
            let mut chars = text.chars();
            let lowered = match chars.next() {
                Some(first) => first.to_lowercase().collect::<String>() + chars.as_str(),
                None => text,
            };
            (lowered, format_hint.to_string())
        }
    }
}

/// Our name for a serde type, so messages speak of "a question", not `QuestionDef`.
fn thing(outer: Option<&str>) -> String {
    let name = match outer {
        Some("QuestionnaireFile") => "the questionnaire",
        Some("QuestionDef") => "a question",
        Some("ChoiceDef") => "an option",
        Some("OutcomeDef") => "an outcome",
        Some("FactDef") => "a fact",
        Some("Group") => "a group",
        Some("Reference") => "a reference",
        Some("Citation") => "a citation",
        Some("Route") => "a route",
        Some("DateRule") => "an applies_from rule",
        Some("OptionSet") => "an option set",
        Some("Estimate") => "an estimate helper",
        Some("EstimateInput") => "an estimate input",
        Some("Kind") => "a question kind",
        Some("Condition") => "a condition",
        Some("Next") => "a `next`",
        Some("Scenario") => "the scenario",
        Some("TranslationFile") => "the translation",
        Some("Session") => "the session",
        Some("SavedAnswer") => "a saved answer",
        Some("QuestionnaireRef") => "the session's questionnaire",
        Some("Answer") => "an answer",
        Some(other) => return format!("'{other}'"),
        None => "this place",
    };
    name.to_string()
}

/// Lines where ids are defined, keyed by the place the id is in
/// (`"questions"`, `"questions/options"`, `"facts"`, …) and the id.
#[derive(Debug, Default, Clone)]
pub struct IdLines {
    lines: HashMap<(String, String), Vec<usize>>,
}

impl IdLines {
    /// The line of the first definition of `id` at `place`.
    pub fn first(&self, place: &str, id: &str) -> Option<usize> {
        self.lines
            .get(&(place.to_string(), id.to_string()))
            .and_then(|v| v.first().copied())
    }

    /// Every line where `id` is defined at `place`, in file order.
    pub fn all(&self, place: &str, id: &str) -> &[usize] {
        self.lines
            .get(&(place.to_string(), id.to_string()))
            .map_or(&[], |v| v.as_slice())
    }

    /// Scans RON text once, tracking which field opened each bracket, and
    /// records the line of every `id: "..."`. Tolerant: it never fails, since
    /// it only runs on text that RON already parsed.
    pub fn scan(src: &str) -> IdLines {
        let bytes = src.as_bytes();
        let mut lines: HashMap<(String, String), Vec<usize>> = HashMap::new();
        let mut stack: Vec<Option<&str>> = Vec::new();
        let mut pending: Option<&str> = None;
        let mut last_ident: Option<&str> = None;
        let mut awaiting_id_value = false;
        let mut line = 1usize;
        let mut i = 0usize;
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'\n' => {
                    line += 1;
                    i += 1;
                }
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    i += 2;
                    let mut depth = 1;
                    while i < bytes.len() && depth > 0 {
                        if bytes[i] == b'\n' {
                            line += 1;
                        }
                        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                            depth += 1;
                            i += 1;
                        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                            depth -= 1;
                            i += 1;
                        }
                        i += 1;
                    }
                }
                b'"' => {
                    let start_line = line;
                    let (value, next, newlines) = scan_string(bytes, i + 1, 0);
                    if awaiting_id_value {
                        let place = place_of(&stack);
                        lines.entry((place, value)).or_default().push(start_line);
                    }
                    awaiting_id_value = false;
                    line += newlines;
                    i = next;
                }
                b'r' if matches!(bytes.get(i + 1), Some(b'"' | b'#')) => {
                    let mut hashes = 0;
                    let mut j = i + 1;
                    while bytes.get(j) == Some(&b'#') {
                        hashes += 1;
                        j += 1;
                    }
                    if bytes.get(j) == Some(&b'"') {
                        let (_, next, newlines) = scan_string(bytes, j + 1, hashes);
                        line += newlines;
                        i = next;
                    } else {
                        i = j;
                    }
                    awaiting_id_value = false;
                }
                b'(' | b'[' | b'{' => {
                    stack.push(pending.take());
                    awaiting_id_value = false;
                    i += 1;
                }
                b')' | b']' | b'}' => {
                    stack.pop();
                    pending = None;
                    awaiting_id_value = false;
                    i += 1;
                }
                b',' => {
                    pending = None;
                    awaiting_id_value = false;
                    i += 1;
                }
                b':' => {
                    if let Some(ident) = last_ident.take() {
                        awaiting_id_value = ident == "id";
                        pending = Some(ident);
                    }
                    i += 1;
                }
                b if b.is_ascii_alphabetic() || b == b'_' => {
                    let start = i;
                    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_')
                    {
                        i += 1;
                    }
                    last_ident = Some(&src[start..i]);
                    continue;
                }
                b'\'' => {
                    // A char literal: skip it whole.
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'\'' {
                        if bytes[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                    i += 1;
                }
                _ => i += 1,
            }
            if !matches!(b, b':') && !(b.is_ascii_whitespace()) {
                last_ident = None;
            }
        }
        IdLines { lines }
    }
}

fn place_of(stack: &[Option<&str>]) -> String {
    stack
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a string body starting after its opening quote. Returns the
/// (unescaped enough for ids) value, the index after the closing quote, and
/// the number of newlines inside.
fn scan_string(bytes: &[u8], mut i: usize, hashes: usize) -> (String, usize, usize) {
    let start = i;
    let mut newlines = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if hashes == 0 => i += 2,
            b'"' => {
                let closing = (1..=hashes).all(|k| bytes.get(i + k) == Some(&b'#'));
                if closing {
                    let value =
                        String::from_utf8_lossy(&bytes[start..i.min(bytes.len())]).into_owned();
                    return (value, i + 1 + hashes, newlines);
                }
                i += 1;
            }
            b'\n' => {
                newlines += 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    (String::new(), bytes.len(), newlines)
}

/// Parses a versioned file (questionnaire, session). When the strict parse
/// fails, the version is read on its own: a file made by a newer aiact is
/// reported as that, not as a misspelled field only a newer aiact knows. The
/// probe runs only on failure, so loading a good file costs one parse.
pub fn parse_versioned<T: serde::de::DeserializeOwned>(
    path: &str,
    src: &str,
    what: &str,
    supported: u32,
) -> Result<T> {
    parse_ron(path, src, what).map_err(|strict| match newer_version(path, src, what, supported) {
        Some(newer) => newer,
        None => strict,
    })
}

/// The "made by a newer aiact" error, when `src` declares a format version
/// above `supported`.
fn newer_version(path: &str, src: &str, what: &str, supported: u32) -> Option<Error> {
    /// Only the version: every other field is ignored, whatever it is.
    #[derive(serde::Deserialize)]
    struct Probe {
        format_version: Option<u32>,
    }
    let options = ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(NESTING_LIMIT);
    let found = options.from_str::<Probe>(src).ok()?.format_version?;
    if found <= supported {
        return None;
    }
    let line = src
        .lines()
        .position(|l| l.trim_start().starts_with("format_version"))
        .map_or(1, |i| i + 1);
    let source_line = line_text(src, line);
    let col = source_line.find("format_version").map_or(1, |c| c + 1);
    Some(Error::Syntax {
        path: path.to_string(),
        line,
        col,
        message: format!(
            "this {what} was made by a newer aiact (format version {found}; this aiact reads version {supported})"
        ),
        source_line,
        hint: "Update aiact to open it; the file is left untouched.".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_id_lines_by_place() {
        let src = "(\n  questions: [\n    (id: \"a\", options: [(id: \"x\")]),\n    // id: \"no\"\n    (\n      id: \"b\",\n    ),\n  ],\n  facts: [(id: \"a\")],\n)";
        let lines = IdLines::scan(src);
        assert_eq!(lines.first("questions", "a"), Some(3));
        assert_eq!(lines.first("questions/options", "x"), Some(3));
        assert_eq!(lines.first("questions", "b"), Some(6));
        assert_eq!(lines.first("questions", "no"), None);
        assert_eq!(lines.first("facts", "a"), Some(9));
    }

    #[test]
    fn normalises_bom_and_crlf() {
        assert_eq!(normalise("\u{feff}a\r\nb"), "a\nb");
    }

    #[test]
    fn positions_are_one_based() {
        assert_eq!(position("ab\ncd", 4), (2, 2));
    }
}
