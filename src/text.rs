//! Text hygiene: what may be shown on a terminal and what must be refused.

/// Whether a character would be interpreted by a terminal rather than shown:
/// C0 and C1 controls and DEL. Newlines are handled by callers.
pub fn is_terminal_control(c: char) -> bool {
    c.is_control()
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

/// Makes text safe to print on a terminal: every control character (including
/// ESC, so no escape sequence survives) becomes a visible `\u{..}` escape, and
/// tabs become spaces. Newlines are kept.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            c if is_terminal_control(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
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
            c if is_terminal_control(c) => {}
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// "2 August 2026".
pub fn long_date(d: jiff::civil::Date) -> String {
    format!("{} {} {}", d.day(), month_name(d.month()), d.year())
}

fn month_name(m: i8) -> &'static str {
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    .get((m - 1) as usize)
    .copied()
    .unwrap_or("?")
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
    }
}
