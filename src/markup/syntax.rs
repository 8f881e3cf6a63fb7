//! The light markup's syntax: parsing and the problems an author must fix.
//! Kept free of rendering (and of ratatui) so the build script can check
//! shipped questionnaires with it (`build.rs` includes this file by path).

/// A parsed text: its blocks in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc {
    pub blocks: Vec<Block>,
}

/// A paragraph or a bullet list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// One paragraph (its lines joined with spaces).
    Paragraph(Vec<Inline>),
    /// A bullet list: one inline run per item.
    List(Vec<Vec<Inline>>),
}

/// A piece of a paragraph or list item. Strings hold the text as shown:
/// escapes resolved, whitespace collapsed, no markup characters left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// `*emphasis*`, shown in italics.
    Emphasis(String),
    /// `**strong**`, shown in bold.
    Strong(String),
    /// `[text](url)`; `parse` only makes links whose URL passes
    /// [`is_allowed_url`], and gives a link with no text its URL as text.
    Link { text: String, url: String },
}

/// Whether `url` may be a link target: `http://`, `https://` or `mailto:`
/// followed by something (the same rule as the questionnaire validator's
/// `sources` check).
pub fn is_allowed_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let web = ["http://", "https://"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len());
    web || (lower.starts_with("mailto:") && lower.len() > "mailto:".len())
}

/// Whether `text` contains anything [`parse`] treats as markup: a star, an
/// opening bracket, a backslash, a line starting with `- `, or a blank line
/// between two non-blank ones. When it is false, `parse(text)` is at most one
/// paragraph holding `text` as plain [`Inline::Text`], its whitespace runs
/// collapsed to single spaces and its ends trimmed. One pass over the bytes.
pub fn has_markup(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.iter().any(|b| matches!(b, b'*' | b'[' | b'\\')) {
        return true;
    }
    let mut content_before = false;
    let mut blank_after_content = false;
    for line in text.split('\n') {
        let trimmed = line.trim_start_matches([' ', '\t']);
        if trimmed.starts_with("- ") || trimmed.starts_with("-\t") {
            return true;
        }
        if line.bytes().all(is_space_byte) {
            blank_after_content |= content_before;
        } else {
            if blank_after_content {
                return true;
            }
            content_before = true;
        }
    }
    false
}

/// Parses a text. Never fails: whatever is not markup is text.
pub fn parse(text: &str) -> Doc {
    parse_impl(text, None)
}

/// What an author should fix in `text`, in plain words, for the validator:
/// a link whose URL is not `http`, `https` or `mailto`, a link with no text
/// or no URL, and raw HTML (`<b>`, `</p>`, `<!-- -->`). Nothing else is an
/// error: an unmatched star is just a star. Each message appears once; after
/// [`MAX_PROBLEMS`] messages a last one says how many more were found.
pub fn problems(text: &str) -> Vec<String> {
    let mut found = Problems::default();
    parse_impl(text, Some(&mut found));
    found.into_messages()
}

/// The most distinct messages [`problems`] returns before summing up the rest.
pub const MAX_PROBLEMS: usize = 20;

// Parsing

/// Whitespace that separates words and collapses to one space: the ASCII
/// kinds a text file or a RON string may hold.
pub(crate) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

pub(crate) fn is_space_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\x0c')
}

/// The content of a bullet line, if `line` is one.
pub(crate) fn bullet(line: &str) -> Option<&str> {
    let t = line.trim_start_matches([' ', '\t']);
    t.strip_prefix("- ").or_else(|| t.strip_prefix("-\t"))
}

pub(crate) fn parse_impl(text: &str, mut problems: Option<&mut Problems>) -> Doc {
    let mut blocks = Vec::new();
    let mut para: Option<String> = None;
    let mut item: Option<String> = None;
    let mut items: Vec<String> = Vec::new();

    // Blocks are closed in source order: a paragraph only opens once the
    // list before it is closed, and a list only opens once the paragraph
    // before it is.
    fn close_para(para: &mut Option<String>, blocks: &mut Vec<Block>, p: Option<&mut Problems>) {
        if let Some(text) = para.take() {
            let inl = inlines(&text, p);
            if !inl.is_empty() {
                blocks.push(Block::Paragraph(inl));
            }
        }
    }
    fn close_list(items: &mut Vec<String>, blocks: &mut Vec<Block>, mut p: Option<&mut Problems>) {
        let list: Vec<Vec<Inline>> = items
            .drain(..)
            .map(|i| inlines(&i, p.as_deref_mut()))
            .filter(|i| !i.is_empty())
            .collect();
        if !list.is_empty() {
            blocks.push(Block::List(list));
        }
    }

    for line in text.split('\n') {
        if line.bytes().all(is_space_byte) {
            close_para(&mut para, &mut blocks, problems.as_deref_mut());
            items.extend(item.take());
        } else if let Some(content) = bullet(line) {
            close_para(&mut para, &mut blocks, problems.as_deref_mut());
            items.extend(item.take());
            item = Some(content.to_string());
        } else if let Some(it) = item.as_mut() {
            it.push('\n');
            it.push_str(line);
        } else if let Some(p) = para.as_mut() {
            p.push('\n');
            p.push_str(line);
        } else {
            close_list(&mut items, &mut blocks, problems.as_deref_mut());
            para = Some(line.to_string());
        }
    }
    close_para(&mut para, &mut blocks, problems.as_deref_mut());
    items.extend(item.take());
    close_list(&mut items, &mut blocks, problems);
    Doc { blocks }
}

/// One character of a block after escapes are resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ch {
    c: char,
    /// Written with a backslash: always literal.
    escaped: bool,
}

impl Ch {
    fn is(self, c: char) -> bool {
        !self.escaped && self.c == c
    }
}

/// Resolves escapes and collapses whitespace runs to one space, trimming
/// both ends.
pub(crate) fn decode(text: &str) -> Vec<Ch> {
    let mut out: Vec<Ch> = Vec::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        if is_space(c) {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(Ch {
                c: ' ',
                escaped: false,
            });
            space = false;
        }
        if c == '\\' {
            if let Some(&n) = chars.peek() {
                if n.is_ascii_punctuation() {
                    chars.next();
                    out.push(Ch {
                        c: n,
                        escaped: true,
                    });
                    continue;
                }
            }
        }
        out.push(Ch { c, escaped: false });
    }
    out
}

pub(crate) const NONE: usize = usize::MAX;

/// For each unescaped `(`, the index of its matching `)` (or [`NONE`]).
pub(crate) fn match_parens(seq: &[Ch]) -> Vec<usize> {
    let mut matches = vec![NONE; seq.len()];
    let mut stack = Vec::new();
    for (i, ch) in seq.iter().enumerate() {
        if ch.is('(') {
            stack.push(i);
        } else if ch.is(')') {
            if let Some(open) = stack.pop() {
                matches[open] = i;
            }
        }
    }
    matches
}

/// How a character next to a run of stars counts for CommonMark's
/// "flanking" rules. Where we cannot tell without Unicode tables, the class
/// says what it might be, and the rules below decide only what holds for
/// every possibility; so what we take as emphasis, every CommonMark parser
/// does too once [`to_markdown`] writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Whitespace, or the start or end of the block.
    Space,
    /// ASCII punctuation.
    Punct,
    /// A letter or digit.
    Other,
    /// Not whitespace; punctuation or not (non-ASCII symbols and marks).
    PunctOrOther,
    /// Might even be whitespace to some parser (U+2028, vertical tab).
    Unknown,
}

pub(crate) fn class(c: Option<char>) -> Class {
    match c {
        None => Class::Space,
        Some(c) if is_space(c) => Class::Space,
        Some(c) if c.is_ascii_punctuation() => Class::Punct,
        Some(c) if c.is_alphanumeric() => Class::Other,
        Some(c) if c.is_whitespace() => {
            // Unicode "Zs" separators are whitespace to CommonMark and Rust.
            if matches!(
                c,
                '\u{a0}' | '\u{1680}' | '\u{2000}'
                    ..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
            ) {
                Class::Space
            } else {
                Class::Unknown
            }
        }
        Some(_) => Class::PunctOrOther,
    }
}

/// Whether a star run between `prev` and `next` can open emphasis
/// (CommonMark: "left-flanking").
pub(crate) fn can_open(prev: Class, next: Class) -> bool {
    matches!(next, Class::Punct | Class::Other | Class::PunctOrOther)
        && (next == Class::Other || matches!(prev, Class::Space | Class::Punct))
}

/// Whether a star run between `prev` and `next` can close emphasis
/// (CommonMark: "right-flanking").
pub(crate) fn can_close(prev: Class, next: Class) -> bool {
    matches!(prev, Class::Punct | Class::Other | Class::PunctOrOther)
        && (prev == Class::Other || matches!(next, Class::Space | Class::Punct))
}

/// Builds the inlines of one block.
#[derive(Default)]
pub(crate) struct Builder {
    out: Vec<Inline>,
    /// Text since the last emphasis or link, stars included.
    pending: String,
    /// Byte offsets in `pending` of the nearest `*` and `**` that can open.
    open: [Option<usize>; 2],
}

impl Builder {
    fn push_text(&mut self, text: String) {
        if text.is_empty() {
            return;
        }
        match self.out.last_mut() {
            Some(Inline::Text(t)) => t.push_str(&text),
            _ => self.out.push(Inline::Text(text)),
        }
    }

    fn flush(&mut self) {
        let text = std::mem::take(&mut self.pending);
        self.push_text(text);
        self.open = [None, None];
    }

    fn stars(&mut self, len: usize, prev: Option<char>, next: Option<char>) {
        let (p, n) = (class(prev), class(next));
        if len > 2 {
            self.pending.extend(std::iter::repeat_n('*', len));
            return;
        }
        let slot = len - 1;
        match self.open[slot] {
            Some(at) if can_close(p, n) => {
                let content = self.pending[at + len..].to_string();
                self.pending.truncate(at);
                self.flush();
                self.out.push(if len == 1 {
                    Inline::Emphasis(content)
                } else {
                    Inline::Strong(content)
                });
            }
            _ => {
                if can_open(p, n) {
                    self.open[slot] = Some(self.pending.len());
                }
                self.pending.extend(std::iter::repeat_n('*', len));
            }
        }
    }
}

/// Parses the inlines of one block (a paragraph or an item).
pub(crate) fn inlines(text: &str, mut problems: Option<&mut Problems>) -> Vec<Inline> {
    let seq = decode(text);
    if let Some(p) = problems.as_deref_mut() {
        find_html(&seq, p);
    }
    let parens = if seq.iter().any(|c| c.is('[')) {
        match_parens(&seq)
    } else {
        Vec::new()
    };
    let mut b = Builder::default();
    let n = seq.len();
    let mut i = 0;
    while i < n {
        let ch = seq[i];
        if ch.is('*') {
            let mut end = i;
            while end < n && seq[end].is('*') {
                end += 1;
            }
            let prev = i.checked_sub(1).map(|k| seq[k].c);
            b.stars(end - i, prev, seq.get(end).map(|c| c.c));
            i = end;
        } else if ch.is('[') {
            match link_at(&seq, i, &parens, problems.as_deref_mut()) {
                Some((end, link)) => {
                    b.flush();
                    b.out.push(link);
                    i = end;
                }
                None => {
                    b.pending.push('[');
                    i += 1;
                }
            }
        } else {
            b.pending.push(ch.c);
            i += 1;
        }
    }
    b.flush();
    b.out
}

/// The link starting at the `[` at `i`, with the index after it. Link text
/// ends at the first unescaped bracket, so spans scanned from different
/// brackets do not overlap; the URL is only copied whole for a link that is
/// made (and then skipped), so the scan stays linear.
pub(crate) fn link_at(
    seq: &[Ch],
    i: usize,
    parens: &[usize],
    problems: Option<&mut Problems>,
) -> Option<(usize, Inline)> {
    let n = seq.len();
    let mut j = i + 1;
    while j < n && !seq[j].is('[') && !seq[j].is(']') {
        j += 1;
    }
    if j >= n || !seq[j].is(']') || !seq.get(j + 1).is_some_and(|c| c.is('(')) {
        return None;
    }
    let close = parens[j + 1];
    if close == NONE {
        return None;
    }
    let text: String = seq[i + 1..j].iter().map(|c| c.c).collect();
    let text = text.trim_matches(' ').to_string();
    // The URL without the (at most one, after collapsing) space at each end.
    let mut start = j + 2;
    let mut end = close;
    if start < end && seq[start].is(' ') {
        start += 1;
    }
    if start < end && seq[end - 1].is(' ') {
        end -= 1;
    }
    if start == end {
        if let Some(p) = problems {
            if text.is_empty() {
                p.add("a link has neither text nor URL: write it as [text](https://…)".into());
            } else {
                let t = crate::text::echo(&text);
                p.add(format!(
                    "link \"{t}\" has no URL: write it as [{t}](https://…)"
                ));
            }
        }
        return None;
    }
    let head: String = seq[start..end.min(start + 16)]
        .iter()
        .map(|c| c.c)
        .collect();
    if !is_allowed_url(&head) {
        if let Some(p) = problems {
            let url: String = seq[start..end.min(start + crate::text::ECHO_CHARS + 1)]
                .iter()
                .map(|c| c.c)
                .collect();
            p.add(format!(
                "link \"{}\" goes to \"{}\"; only http, https and mailto links are allowed",
                crate::text::echo(&text),
                crate::text::echo(&url)
            ));
        }
        return None;
    }
    let mut url = String::with_capacity(end - start);
    for c in &seq[start..end] {
        if c.is(' ') {
            url.push_str("%20");
        } else {
            url.push(c.c);
        }
    }
    let text = if text.is_empty() {
        if let Some(p) = problems {
            p.add(format!(
                "link to \"{}\" has no text: write it as [text]({})",
                crate::text::echo(&url),
                crate::text::echo(&url)
            ));
        }
        url.clone()
    } else {
        text
    };
    Some((close + 1, Inline::Link { text, url }))
}

/// Reports raw HTML: tags (`<b>`, `</p>`, `<a href="…">`, `<br/>`),
/// comments (`<!--`), declarations (`<!DOCTYPE`) and processing
/// instructions (`<?xml`). An escaped `\<` is not reported.
pub(crate) fn find_html(seq: &[Ch], problems: &mut Problems) {
    let mut i = 0;
    while i < seq.len() {
        if seq[i].is('<') {
            if let Some((end, name)) = html_at(seq, i) {
                let tag: String = seq[i..end.min(i + crate::text::ECHO_CHARS + 1)]
                    .iter()
                    .map(|c| c.c)
                    .collect();
                let tag = crate::text::echo(&tag);
                let instead = match name.as_str() {
                    "a" => "write a link as [text](https://…) instead",
                    "p" | "br" => "separate paragraphs with a blank line instead",
                    "ul" | "ol" | "li" => "start each list item with \"- \" instead",
                    "" => "remove it",
                    _ => "use *emphasis* or **strong** instead",
                };
                problems.add(format!("raw HTML \"{tag}\" is not allowed; {instead}"));
                i = end;
                continue;
            }
        }
        i += 1;
    }
}

/// The end of the HTML construct at the `<` at `i`, and the tag name in
/// lower case (empty for comments and declarations). The scan stops at the
/// next `<` or after a bounded number of characters, so it stays linear.
pub(crate) fn html_at(seq: &[Ch], i: usize) -> Option<(usize, String)> {
    const MAX: usize = 1000;
    let at = |k: usize| seq.get(k).map(|c| c.c);
    // The index after the next `>` before any `<`, within the bound.
    let close = |from: usize| {
        (from..seq.len().min(from + MAX))
            .take_while(|&k| !seq[k].is('<'))
            .find(|&k| seq[k].is('>'))
            .map(|k| k + 1)
    };
    let mut j = i + 1;
    match at(j) {
        Some('!') => {
            let comment = at(j + 1) == Some('-') && at(j + 2) == Some('-');
            if comment || at(j + 1).is_some_and(|c| c.is_ascii_alphabetic() || c == '[') {
                let end = close(j).unwrap_or(if comment { j + 3 } else { j + 1 });
                return Some((end, String::new()));
            }
            return None;
        }
        Some('?') => {
            if at(j + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
                return Some((close(j).unwrap_or(j + 1), String::new()));
            }
            return None;
        }
        Some('/') => j += 1,
        _ => {}
    }
    if !at(j).is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let name_start = j;
    while at(j).is_some_and(|c| c.is_ascii_alphanumeric() || c == '-') {
        j += 1;
    }
    let name: String = seq[name_start..j]
        .iter()
        .map(|c| c.c.to_ascii_lowercase())
        .collect();
    match at(j) {
        Some('>') => Some((j + 1, name)),
        Some('/') if at(j + 1) == Some('>') => Some((j + 2, name)),
        Some(' ') => close(j).map(|end| (end, name)),
        _ => None,
    }
}

/// Distinct messages in the order found, at most [`MAX_PROBLEMS`].
#[derive(Default)]
pub(crate) struct Problems {
    messages: Vec<String>,
    more: usize,
}

impl Problems {
    fn add(&mut self, message: String) {
        if self.messages.contains(&message) {
            return;
        }
        if self.messages.len() < MAX_PROBLEMS {
            self.messages.push(message);
        } else {
            self.more += 1;
        }
    }

    fn into_messages(mut self) -> Vec<String> {
        if self.more > 0 {
            self.messages
                .push(format!("… and {} more problems like these", self.more));
        }
        self.messages
    }
}

// ---------------------------------------------------------------------------
// Rendering

/// The literal source form of a link that may not be one.
pub(crate) fn literal_link(text: &str, url: &str) -> String {
    format!("[{text}]({url})")
}

pub(crate) fn link_text<'a>(text: &'a str, url: &'a str) -> &'a str {
    if text.is_empty() { url } else { text }
}
