//! The one error type of aiact, and how each error maps to an exit code.
//!
//! Messages follow one style: `path:line:col: what is wrong`, a caret under the
//! spot where there is one, then what to do. Library errors (ron, io) are
//! wrapped in our own words so users never see a parser's internals.

use std::fmt;
use std::path::PathBuf;

/// Exit codes, one table for every command (see README).
pub mod exit {
    /// Success.
    pub const OK: i32 = 0;
    /// Invalid input or a failed check.
    pub const INVALID: i32 = 1;
    /// Wrong usage of the command line.
    pub const USAGE: i32 = 2;
    /// The environment: no terminal, a locked session, an I/O failure.
    pub const ENVIRONMENT: i32 = 3;
}

/// A problem found in a file's content after it parsed, reported by the id
/// it concerns and the line where that id is defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line of the definition, when known.
    pub line: Option<usize>,
    /// What the problem is about, e.g. `question "licence"`.
    pub subject: String,
    pub message: String,
    /// Problems that follow from this one and go away with it (a question
    /// left unreachable by a broken route), each with its line: shown
    /// under it rather than as problems of their own.
    pub consequences: Vec<(Option<usize>, String)>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.message)
    }
}

/// Every way aiact can fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be parsed at all.
    #[error("{}", render_syntax(.path, .line, .col, .message, .source_line, .hint))]
    Syntax {
        path: String,
        line: usize,
        col: usize,
        message: String,
        /// The offending line, for the caret.
        source_line: String,
        hint: String,
    },
    /// A file parsed but its content is wrong; every problem at once.
    #[error("{}", render_problems(.path, .what, .problems, .hint))]
    Invalid {
        path: String,
        /// What kind of file, e.g. "questionnaire".
        what: &'static str,
        problems: Vec<Problem>,
        hint: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: could not {action}: {reason}")]
    Io {
        path: String,
        action: &'static str,
        reason: String,
    },
    /// Something the user asked for does not exist or cannot be done.
    #[error("{0}")]
    Input(String),
    /// The environment is not as needed (no terminal, a lock held).
    #[error("{0}")]
    Environment(String),
    /// A check ran and failed (scenarios, an incomplete run).
    #[error("{0}")]
    CheckFailed(String),
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Syntax { .. }
            | Error::Invalid { .. }
            | Error::Input(_)
            | Error::CheckFailed(_) => exit::INVALID,
            Error::Io { .. } | Error::Environment(_) => exit::ENVIRONMENT,
        }
    }

    /// Wraps an I/O error in our own words.
    pub fn io(path: impl Into<PathBuf>, action: &'static str, err: &std::io::Error) -> Error {
        Error::Io {
            path: path.into().display().to_string(),
            action,
            reason: describe_io(err),
        }
    }
}

/// Plain words for the I/O errors people actually meet.
pub fn describe_io(err: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match err.kind() {
        NotFound => "no such file or folder".to_string(),
        PermissionDenied => "permission denied".to_string(),
        AlreadyExists => "it already exists".to_string(),
        InvalidData => "it is not valid UTF-8 text".to_string(),
        StorageFull => "the disk is full".to_string(),
        ReadOnlyFilesystem => "the file system is read-only".to_string(),
        IsADirectory => "it is a folder, not a file".to_string(),
        _ => err.to_string(),
    }
}

fn render_syntax(
    path: &str,
    line: &usize,
    col: &usize,
    message: &str,
    source_line: &str,
    hint: &str,
) -> String {
    // A long line (a huge value) is shown only around the caret.
    const BEFORE: usize = crate::text::ECHO_CHARS / 2;
    let chars: Vec<char> = source_line.chars().collect();
    let at = col.saturating_sub(1).min(chars.len());
    let start = at.saturating_sub(BEFORE);
    let end = (start + crate::text::ECHO_CHARS).min(chars.len());
    let mut window: String = chars[start..end].iter().collect();
    let mut pad = at - start;
    if start > 0 {
        window.insert(0, '…');
        pad += 1;
    }
    if end < chars.len() {
        window.push('…');
    }
    let shown: String = window
        .chars()
        .map(|c| crate::text::printable(&c.to_string()))
        .collect();
    // The caret sits under the character at `col`, counting each escape's width.
    let caret_pad: String = window
        .chars()
        .take(pad)
        .map(|c| " ".repeat(crate::text::printable(&c.to_string()).chars().count()))
        .collect();
    let mut out = format!("{path}:{line}:{col}: {message}\n");
    out.push_str(&format!("  {shown}\n  {caret_pad}^\n"));
    out.push_str(hint);
    out
}

fn render_problems(path: &str, what: &str, problems: &[Problem], hint: &str) -> String {
    let count = problems.len();
    let mut out = format!(
        "{path}: {count} problem{} in this {what}:\n",
        if count == 1 { "" } else { "s" }
    );
    for p in problems {
        // Ids and values come from the file: never let them reach a terminal raw.
        let text = crate::text::printable_line(&p.to_string());
        let text = if text.chars().count() > 4 * crate::text::ECHO_CHARS {
            crate::text::echo(&text)
        } else {
            text
        };
        match p.line {
            Some(line) => out.push_str(&format!("  {path}:{line}: {text}\n")),
            None => out.push_str(&format!("  {path}: {text}\n")),
        }
        for (line, what) in &p.consequences {
            let what = crate::text::printable_line(what);
            match line {
                Some(line) => out.push_str(&format!("      ↳ {path}:{line}: {what}\n")),
                None => out.push_str(&format!("      ↳ {path}: {what}\n")),
            }
        }
    }
    out.push_str(hint);
    out
}

/// The result type used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
