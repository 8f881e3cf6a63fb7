//! Text hygiene: what may be shown on a terminal and what must be refused.
//!
//! # The output rule
//!
//! One rule for every stream aiact prints (standard output and error, text,
//! Markdown, CSV and JSON alike): a character that a terminal would act on
//! ([`is_terminal_control`]: C0 and C1 controls, DEL) or that changes how
//! text around it reads without being seen ([`is_invisible_format`]: bidi
//! overrides and isolates, zero-width characters) never reaches it raw.
//! Text streams show it as a visible `\u{..}` escape ([`printable`]); JSON
//! escapes it as `\uXXXX` ([`json_safe`]), so the value survives for a
//! program. Newlines and tabs are kept. [`SafeWriter`] applies the rule to
//! whatever a command writes, as the last line of defence; echoed input is
//! also shortened ([`echo`]).

/// Whether a character would be interpreted by a terminal rather than shown:
/// C0 and C1 controls and DEL. Newlines are handled by callers.
pub fn is_terminal_control(c: char) -> bool {
    c.is_control()
}

/// Whether a character is invisible yet changes how the text around it is
/// shown: bidirectional overrides, embeddings, isolates and marks (U+202E
/// can make `exe.txt` read as `txt.exe`), and zero-width characters. The
/// zero-width non-joiner and joiner (U+200C, U+200D) are not among them:
/// Persian and Indic words and emoji sequences (`👩‍💻`) need them, and
/// they cannot reorder or hide text.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// Whether the output rule escapes `c` (newline and tab aside).
pub fn needs_escape(c: char) -> bool {
    is_terminal_control(c) || is_invisible_format(c)
}

/// The most characters of user input echoed in a message ([`echo`]).
pub const ECHO_CHARS: usize = 200;

/// Input echoed in a message: one printable line, at most [`ECHO_CHARS`]
/// characters, with "…" where it was cut.
pub fn echo(text: &str) -> String {
    let mut cut: String = text.chars().take(ECHO_CHARS + 1).collect();
    let long = cut.chars().count() > ECHO_CHARS;
    if long {
        cut = cut.chars().take(ECHO_CHARS).collect();
    }
    let mut out = printable_line(&cut);
    if long {
        out.push('…');
    }
    out
}

/// JSON text made safe by the output rule: every character it escapes is
/// written `\uXXXX` instead (valid JSON; such characters can only occur
/// inside strings, where the escape means the same character).
pub fn json_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if needs_escape(c) && c != '\n' {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{:04x}", u));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Applies the output rule to everything written through it: characters it
/// escapes become `\u{..}` (newlines and tabs pass), and bytes that are not
/// UTF-8 become `\x..`. Partial characters are held until complete.
pub struct SafeWriter<W: std::io::Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: std::io::Write> SafeWriter<W> {
    pub fn new(inner: W) -> SafeWriter<W> {
        SafeWriter {
            inner,
            pending: Vec::new(),
        }
    }

    fn emit(&mut self, flush_all: bool) -> std::io::Result<()> {
        let mut out = String::new();
        let mut rest: &[u8] = &self.pending;
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    push_safe(&mut out, text);
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    push_safe(&mut out, std::str::from_utf8(good).unwrap_or_default());
                    match e.error_len() {
                        Some(n) => {
                            for b in &bad[..n] {
                                out.push_str(&format!("\\x{b:02x}"));
                            }
                            rest = &bad[n..];
                        }
                        None if flush_all => {
                            for b in bad {
                                out.push_str(&format!("\\x{b:02x}"));
                            }
                            rest = &[];
                            break;
                        }
                        None => {
                            rest = bad;
                            break;
                        }
                    }
                }
            }
        }
        let keep = rest.to_vec();
        self.pending = keep;
        self.inner.write_all(out.as_bytes())
    }
}

fn push_safe(out: &mut String, text: &str) {
    for c in text.chars() {
        if c != '\n' && c != '\t' && needs_escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
}

impl<W: std::io::Write> std::io::Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.emit(false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.emit(true)?;
        self.inner.flush()
    }
}

impl<W: std::io::Write> Drop for SafeWriter<W> {
    fn drop(&mut self) {
        let _ = std::io::Write::flush(self);
    }
}

/// The first control character in `text` other than a newline, with its
/// 0-based char offset, for "rejected with position" messages.
pub fn find_control(text: &str) -> Option<(usize, char)> {
    // Control characters are C0 and DEL (single bytes below 0x20, 0x7F) or
    // C1 (0xC2 0x80..=0x9F in UTF-8): text without those bytes has none, and
    // a byte scan says so without decoding every character.
    if !text.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2) {
        return None;
    }
    text.chars()
        .enumerate()
        .find(|(_, c)| *c != '\n' && is_terminal_control(*c))
}

/// Makes text safe to print on a terminal (the output rule above): every
/// control character (including ESC, so no escape sequence survives) and
/// every invisible formatting character becomes a visible `\u{..}` escape,
/// and tabs become spaces. Newlines are kept.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Like [`printable`] but for one line: newlines become spaces too.
pub fn printable_line(text: &str) -> String {
    printable(text).replace('\n', " ")
}

/// Cleans text a user typed (a name, a note): drops control characters
/// (and with ESC, the rest is plain text), turns tabs and newlines into spaces
/// and trims.
pub fn clean_user_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if needs_escape(c) => {}
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// A date in words: `pattern` places `{day}`, `{month}` and `{year}`, and
/// `months` names January to December, both from a message catalogue
/// ("2 August 2026", "2. August 2026"). A missing month name shows as `?`.
pub fn long_date(d: jiff::civil::Date, pattern: &str, months: &[String]) -> String {
    let month = usize::try_from(d.month() - 1)
        .ok()
        .and_then(|m| months.get(m))
        .map_or("?", String::as_str);
    pattern
        .replace("{day}", &d.day().to_string())
        .replace("{month}", month)
        .replace("{year}", &d.year().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_never_reach_the_terminal() {
        assert_eq!(printable("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(printable("x\ty"), "x    y");
        assert_eq!(printable("a\u{9b}b"), "a\\u{9b}b");
        assert_eq!(find_control("ok\nfine"), None);
        assert_eq!(find_control("ab\u{7}"), Some((2, '\u{7}')));
        assert_eq!(clean_user_text(" my\u{1b} model\t1 "), "my model 1");
        assert_eq!(
            printable("gnp\u{202e}exe\u{200b}"),
            "gnp\\u{202e}exe\\u{200b}"
        );
        assert_eq!(clean_user_text("a\u{202e}b\u{200b}"), "ab");
    }

    #[test]
    fn json_and_every_stream_follow_the_same_rule() {
        assert_eq!(
            json_safe("{\"a\": \"x\u{9b}y\u{202e}\"}\n"),
            "{\"a\": \"x\\u009by\\u202e\"}\n"
        );
        let mut out = Vec::new();
        {
            use std::io::Write;
            let mut w = SafeWriter::new(&mut out);
            let bytes = "ok\t\u{1b}[2J \u{202e}\n".as_bytes();
            // Split inside the three-byte U+202E.
            let cut = bytes.len() - 2;
            w.write_all(&bytes[..cut]).unwrap();
            w.write_all(&bytes[cut..]).unwrap();
            w.write_all(b"\xff").unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "ok\t\\u{1b}[2J \\u{202e}\n\\xff"
        );
        assert_eq!(echo(&"x".repeat(500)).chars().count(), ECHO_CHARS + 1);
        assert_eq!(echo("short"), "short");
    }
}
