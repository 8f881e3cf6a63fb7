//! Light markup for questionnaire texts (questionnaire format 2).
//!
//! Texts of a format 2 questionnaire (questions, help, outcome explanations)
//! may use a small, fixed markup. [`parse`] turns a text into a [`Doc`]; the
//! renderers show it in the terminal app ([`to_lines`]), in the Markdown
//! report ([`to_markdown`]) and as plain text everywhere else ([`to_plain`]:
//! JSON, CSV, graph labels). [`problems`] lists what an author should fix,
//! for the validator. Format 1 texts are plain and never go through here;
//! [`has_markup`] lets callers keep texts without markup on a fast path.
//!
//! # Syntax
//!
//! - **Paragraphs** are separated by a blank line. Single newlines inside a
//!   paragraph are spaces, and runs of spaces, tabs and newlines count as
//!   one space.
//! - **Lists**: a line starting with `- ` (after optional spaces) is a bullet
//!   item; consecutive items form a list, and blank lines between items do
//!   not end it. A list may follow a paragraph line directly. A line right
//!   after an item that is not itself an item continues that item. Lists do
//!   not nest.
//! - **Emphasis**: `*emphasis*` (italic) and `**strong**` (bold). A star
//!   opens only before a non-space and closes only after one (`2 * 3 * 4`
//!   stays as typed); next to punctuation CommonMark's rule applies
//!   (`*(see below)*` is emphasis, `a*(b)*c` is not). A star that finds no
//!   partner is literal text, as is a run of three or more stars. Emphasis
//!   does not nest (inner stars are shown as typed) and does not span a
//!   link; a closing star pairs with the nearest opening one before it.
//! - **Links**: `[text](https://example.org/page)`. Only `http`, `https` and
//!   `mailto` URLs make a link; anything else (`javascript:`, a relative path)
//!   stays literal text and [`problems`] reports it. Parentheses inside the
//!   URL must be balanced (`https://en.wikipedia.org/wiki/Foo_(bar)` works).
//!   Link text is plain: no emphasis inside. A link with no text shows its
//!   URL.
//! - **Escapes**: a backslash before any ASCII punctuation character shows
//!   that character as typed: `\*` is a star, `\\` a backslash, `\[` a
//!   bracket, `\-` a dash that does not start an item. A backslash before
//!   anything else is itself.
//! - **No raw HTML**: `<b>` is shown as the literal text `<b>`, and
//!   [`problems`] reports it.
//!
//! # Guarantees
//!
//! - [`parse`] never panics and takes time linear in the text, whatever the
//!   text (megabytes of `[[[[`, `*a *a`, `[a](x(x(x` …): it is one pass over
//!   the characters with no recursion and no backtracking over more than a
//!   bracket's span.
//! - A text for which [`has_markup`] is false parses to at most one paragraph
//!   holding the text, with whitespace runs collapsed, as plain text.
//! - [`to_markdown`] writes CommonMark that means exactly the same [`Doc`]
//!   (checked against `pulldown-cmark` in the tests): every other character
//!   that Markdown would act on is escaped with
//!   [`crate::report::md_escape`], so `<b>`, `|` or a literal `*`
//!   stay harmless text, and no raw HTML reaches the report.
//! - No renderer ever makes a link to a URL other than `http`, `https` or
//!   `mailto`, even for a hand-built [`Doc`]: such a link is shown as the
//!   literal text `[text](url)`.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::report::md_escape;

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

/// Lines for the terminal app: one per paragraph and per bullet item (items
/// start with "• "), an empty line between blocks. Emphasis adds
/// [`Modifier::ITALIC`], strong [`Modifier::BOLD`]; a link is its text with
/// [`Modifier::UNDERLINED`] followed by `" <url>"` in the base style (just the
/// underlined URL when the text is the URL). The caller wraps the lines.
/// Characters a terminal would act on are shown as visible escapes
/// ([`crate::text::printable_line`]).
pub fn to_lines(doc: &Doc, base: Style) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    for block in &doc.blocks {
        let mut block_lines = Vec::new();
        match block {
            Block::Paragraph(inlines) => {
                if !inlines.is_empty() {
                    block_lines.push(Line::from(spans(inlines, base)));
                }
            }
            Block::List(items) => {
                for item in items.iter().filter(|i| !i.is_empty()) {
                    let mut s = vec![Span::styled("• ", base)];
                    s.extend(spans(item, base));
                    block_lines.push(Line::from(s));
                }
            }
        }
        if block_lines.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.extend(block_lines);
    }
    lines
}

/// Plain text with the markup removed, for JSON, CSV, graph labels and
/// anything that is neither Markdown nor the app: paragraphs separated by a
/// blank line, list items as "- item" lines, links as "text (url)" (just the
/// URL when the text is the URL). Characters are passed through as they are;
/// each output applies its own escaping.
pub fn to_plain(doc: &Doc) -> String {
    let mut blocks: Vec<String> = Vec::new();
    for block in &doc.blocks {
        let s = match block {
            Block::Paragraph(inlines) => plain_inlines(inlines),
            Block::List(items) => items
                .iter()
                .map(|i| plain_inlines(i))
                .filter(|i| !i.is_empty())
                .map(|i| format!("- {i}"))
                .collect::<Vec<_>>()
                .join("\n"),
        };
        if !s.is_empty() {
            blocks.push(s);
        }
    }
    blocks.join("\n\n")
}

/// CommonMark for the Markdown report: paragraphs separated by a blank line,
/// one line each; list items as "- " lines; `*emphasis*`, `**strong**` and
/// `[text](url)`. All text goes through
/// [`crate::report::md_escape`] (a literal `*`, `<b>` or `|` stays
/// literal), a line that would start a heading, list or quote is escaped,
/// and the URL's spaces are percent-encoded and its parentheses, brackets,
/// `&`, `<`, `>` and backslashes escaped; a `!` before a link is escaped
/// so it does not become an image. Emphasis that CommonMark would not
/// recognise where it stands (possible only in a hand-built [`Doc`]) is
/// written as plain text.
pub fn to_markdown(doc: &Doc) -> String {
    let mut blocks: Vec<String> = Vec::new();
    for block in &doc.blocks {
        let s = match block {
            Block::Paragraph(inlines) => md_inlines(inlines),
            Block::List(items) => items
                .iter()
                .map(|i| md_inlines(i))
                .filter(|i| !i.is_empty())
                .map(|i| format!("- {i}"))
                .collect::<Vec<_>>()
                .join("\n"),
        };
        if !s.is_empty() {
            blocks.push(s);
        }
    }
    blocks.join("\n\n")
}

// ---------------------------------------------------------------------------
// Parsing

/// Whitespace that separates words and collapses to one space: the ASCII
/// kinds a text file or a RON string may hold.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

fn is_space_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\x0c')
}

/// The content of a bullet line, if `line` is one.
fn bullet(line: &str) -> Option<&str> {
    let t = line.trim_start_matches([' ', '\t']);
    t.strip_prefix("- ").or_else(|| t.strip_prefix("-\t"))
}

fn parse_impl(text: &str, mut problems: Option<&mut Problems>) -> Doc {
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
struct Ch {
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
fn decode(text: &str) -> Vec<Ch> {
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

const NONE: usize = usize::MAX;

/// For each unescaped `(`, the index of its matching `)` (or [`NONE`]).
fn match_parens(seq: &[Ch]) -> Vec<usize> {
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
enum Class {
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

fn class(c: Option<char>) -> Class {
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
fn can_open(prev: Class, next: Class) -> bool {
    matches!(next, Class::Punct | Class::Other | Class::PunctOrOther)
        && (next == Class::Other || matches!(prev, Class::Space | Class::Punct))
}

/// Whether a star run between `prev` and `next` can close emphasis
/// (CommonMark: "right-flanking").
fn can_close(prev: Class, next: Class) -> bool {
    matches!(prev, Class::Punct | Class::Other | Class::PunctOrOther)
        && (prev == Class::Other || matches!(next, Class::Space | Class::Punct))
}

/// Builds the inlines of one block.
#[derive(Default)]
struct Builder {
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
fn inlines(text: &str, mut problems: Option<&mut Problems>) -> Vec<Inline> {
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
fn link_at(
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
fn find_html(seq: &[Ch], problems: &mut Problems) {
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
fn html_at(seq: &[Ch], i: usize) -> Option<(usize, String)> {
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
struct Problems {
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
fn literal_link(text: &str, url: &str) -> String {
    format!("[{text}]({url})")
}

fn link_text<'a>(text: &'a str, url: &'a str) -> &'a str {
    if text.is_empty() { url } else { text }
}

fn spans(inlines: &[Inline], base: Style) -> Vec<Span<'static>> {
    use crate::text::printable_line as safe;
    let mut out = Vec::new();
    for inline in inlines {
        match inline {
            Inline::Text(t) => out.push(Span::styled(safe(t), base)),
            Inline::Emphasis(t) => {
                out.push(Span::styled(safe(t), base.add_modifier(Modifier::ITALIC)))
            }
            Inline::Strong(t) => out.push(Span::styled(safe(t), base.add_modifier(Modifier::BOLD))),
            Inline::Link { text, url } if is_allowed_url(url) => {
                let text = link_text(text, url);
                out.push(Span::styled(
                    safe(text),
                    base.add_modifier(Modifier::UNDERLINED),
                ));
                if text != url {
                    out.push(Span::styled(format!(" <{}>", safe(url)), base));
                }
            }
            Inline::Link { text, url } => {
                out.push(Span::styled(safe(&literal_link(text, url)), base))
            }
        }
    }
    out
}

fn plain_inlines(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Emphasis(t) | Inline::Strong(t) => out.push_str(t),
            Inline::Link { text, url } if is_allowed_url(url) => {
                let text = link_text(text, url);
                if text == url {
                    out.push_str(url);
                } else {
                    out.push_str(&format!("{text} ({url})"));
                }
            }
            Inline::Link { text, url } => out.push_str(&literal_link(text, url)),
        }
    }
    out
}

/// A piece of a block as the Markdown renderer sees it.
enum Piece<'a> {
    Text(String),
    Format(&'a str, &'static str),
    Link(&'a str, &'a str),
}

fn md_inlines(inlines: &[Inline]) -> String {
    // Normalise: links that may not be links become text, empty texts go,
    // neighbouring texts merge; what is left decides the delimiters.
    fn push_text(pieces: &mut Vec<Piece>, t: String) {
        if t.is_empty() {
            return;
        }
        if let Some(Piece::Text(prev)) = pieces.last_mut() {
            prev.push_str(&t);
        } else {
            pieces.push(Piece::Text(t));
        }
    }
    let mut pieces: Vec<Piece> = Vec::new();
    for inline in inlines {
        match inline {
            Inline::Text(t) => push_text(&mut pieces, t.clone()),
            Inline::Emphasis(t) | Inline::Strong(t) if t.is_empty() => {}
            Inline::Emphasis(t) => pieces.push(Piece::Format(t, "*")),
            Inline::Strong(t) => pieces.push(Piece::Format(t, "**")),
            Inline::Link { text, url } if is_allowed_url(url) => {
                pieces.push(Piece::Link(link_text(text, url), url))
            }
            Inline::Link { text, url } => push_text(&mut pieces, literal_link(text, url)),
        }
    }
    // The characters next to a piece, as CommonMark will see them (escapes
    // and entities keep a character's class).
    let first = |p: &Piece| match p {
        Piece::Text(t) => t.chars().next(),
        Piece::Format(..) => Some('*'),
        Piece::Link(..) => Some('['),
    };
    let last = |p: &Piece| match p {
        Piece::Text(t) => t.chars().next_back(),
        Piece::Format(..) => Some('*'),
        Piece::Link(..) => Some(')'),
    };
    let mut out = String::new();
    for (k, piece) in pieces.iter().enumerate() {
        let prev = k.checked_sub(1).and_then(|k| pieces.get(k));
        let next = pieces.get(k + 1);
        match piece {
            Piece::Text(t) => out.push_str(&md_escape(t)),
            Piece::Format(t, delim) => {
                let beside_format = matches!(prev, Some(Piece::Format(..)))
                    || matches!(next, Some(Piece::Format(..)));
                let ok = !t.is_empty()
                    && !beside_format
                    && can_open(class(prev.and_then(last)), class(t.chars().next()))
                    && can_close(class(t.chars().next_back()), class(next.and_then(first)));
                if ok {
                    out.push_str(delim);
                    out.push_str(&md_escape(t));
                    out.push_str(delim);
                } else {
                    out.push_str(&md_escape(t));
                }
            }
            Piece::Link(text, url) => {
                // `![` would make the link an image: escape a bare `!`
                // (one after an even number of backslashes).
                if let Some(before) = out.strip_suffix('!') {
                    let slashes = before.len() - before.trim_end_matches('\\').len();
                    if slashes % 2 == 0 {
                        out.insert(out.len() - 1, '\\');
                    }
                }
                out.push('[');
                out.push_str(&md_escape(text));
                out.push_str("](");
                out.push_str(&md_url(url));
                out.push(')');
            }
        }
    }
    // Leading spaces (only in a hand-built Doc) could make an indented code
    // block or let a heading through; CommonMark drops them anyway.
    escape_block_start(out.trim_matches(' ').to_string())
}

/// A link destination CommonMark reads back as `url`: whitespace
/// percent-encoded, and what could end it or start another construct
/// (parentheses, brackets, `<`, `>`, `&`, backticks, backslashes) escaped.
fn md_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len() + 8);
    for c in crate::text::printable_line(url).chars() {
        match c {
            c if is_space(c) => out.push_str("%20"),
            '\\' | '(' | ')' | '[' | ']' | '<' | '>' | '&' | '`' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes what would turn a line into a heading, a list item, a setext
/// underline or an ordered list item.
fn escape_block_start(text: String) -> String {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &text[digits..];
    if digits == 0 && text.starts_with(['#', '+', '-', '=']) {
        format!("\\{text}")
    } else if digits > 0 && rest.starts_with(['.', ')']) {
        format!("{}\\{rest}", &text[..digits])
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }
    fn em(s: &str) -> Inline {
        Inline::Emphasis(s.into())
    }
    fn strong(s: &str) -> Inline {
        Inline::Strong(s.into())
    }
    fn link(t: &str, u: &str) -> Inline {
        Inline::Link {
            text: t.into(),
            url: u.into(),
        }
    }
    fn para(inl: Vec<Inline>) -> Doc {
        Doc {
            blocks: vec![Block::Paragraph(inl)],
        }
    }

    /// Reads Markdown with a real CommonMark parser into our model; an event
    /// the model has no place for (raw HTML, a heading, code, nesting) is an
    /// error naming it.
    fn commonmark(md: &str) -> Result<Doc, String> {
        use pulldown_cmark::{Event, Parser, Tag, TagEnd};
        let mut blocks = Vec::new();
        let mut current: Vec<Inline> = Vec::new();
        let mut items: Vec<Vec<Inline>> = Vec::new();
        let mut in_list = false;
        // Emphasis (1), strong (2) or link (3) being read, with its text.
        let mut open: Option<(u8, String, String)> = None;
        fn push_text(v: &mut Vec<Inline>, t: &str) {
            if let Some(Inline::Text(prev)) = v.last_mut() {
                prev.push_str(t);
            } else {
                v.push(Inline::Text(t.to_string()));
            }
        }
        for event in Parser::new(md) {
            match event {
                Event::Start(Tag::Paragraph) => {}
                Event::End(TagEnd::Paragraph) if in_list => {
                    return Err("a loose list".into());
                }
                Event::End(TagEnd::Paragraph) => {
                    blocks.push(Block::Paragraph(std::mem::take(&mut current)))
                }
                Event::Start(Tag::List(None)) if !in_list => in_list = true,
                Event::End(TagEnd::List(false)) => {
                    in_list = false;
                    blocks.push(Block::List(std::mem::take(&mut items)));
                }
                Event::Start(Tag::Item) => {}
                Event::End(TagEnd::Item) => items.push(std::mem::take(&mut current)),
                Event::Start(Tag::Emphasis) if open.is_none() => {
                    open = Some((1, String::new(), String::new()))
                }
                Event::Start(Tag::Strong) if open.is_none() => {
                    open = Some((2, String::new(), String::new()))
                }
                Event::Start(Tag::Link { dest_url, .. }) if open.is_none() => {
                    open = Some((3, String::new(), dest_url.to_string()))
                }
                Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link) => {
                    let (kind, t, url) = open.take().ok_or("unbalanced end")?;
                    current.push(match kind {
                        1 => Inline::Emphasis(t),
                        2 => Inline::Strong(t),
                        _ => Inline::Link { text: t, url },
                    });
                }
                Event::Text(t) => match open.as_mut() {
                    Some((_, buf, _)) => buf.push_str(&t),
                    None => push_text(&mut current, &t),
                },
                Event::SoftBreak => match open.as_mut() {
                    Some((_, buf, _)) => buf.push(' '),
                    None => push_text(&mut current, " "),
                },
                other => return Err(format!("unexpected {other:?} in {md:?}")),
            }
        }
        Ok(Doc { blocks })
    }

    fn check_commonmark(doc: &Doc) {
        let md = to_markdown(doc);
        assert_eq!(commonmark(&md).as_ref(), Ok(doc), "markdown: {md:?}");
    }

    #[test]
    fn paragraphs_and_soft_breaks() {
        let doc = parse("One\ntwo  three\r\n\n  \n\nFour\n");
        assert_eq!(
            doc.blocks,
            vec![
                Block::Paragraph(vec![text("One two three")]),
                Block::Paragraph(vec![text("Four")]),
            ]
        );
        assert_eq!(to_plain(&doc), "One two three\n\nFour");
        assert_eq!(parse("  \n\n"), Doc::default());
        assert_eq!(parse(""), Doc::default());
    }

    #[test]
    fn lists() {
        let doc = parse("Before:\n- one\n  - two\ncontinued\n\n- three\n\nAfter\n- four");
        assert_eq!(
            doc.blocks,
            vec![
                Block::Paragraph(vec![text("Before:")]),
                Block::List(vec![
                    vec![text("one")],
                    vec![text("two continued")],
                    vec![text("three")]
                ]),
                Block::Paragraph(vec![text("After")]),
                Block::List(vec![vec![text("four")]]),
            ]
        );
        assert_eq!(
            to_plain(&doc),
            "Before:\n\n- one\n- two continued\n- three\n\nAfter\n\n- four"
        );
        assert_eq!(
            to_markdown(&doc),
            "Before:\n\n- one\n- two continued\n- three\n\nAfter\n\n- four"
        );
        // Not items: a dash without a space, an escaped dash; empty items go.
        assert_eq!(parse("-x\n-"), para(vec![text("-x -")]));
        assert_eq!(parse("\\- x"), para(vec![text("- x")]));
        assert_eq!(parse("- \n-  "), Doc::default());
        check_commonmark(&doc);
    }

    #[test]
    fn emphasis_and_strong() {
        assert_eq!(
            parse("a *b c* and **d** e*f*g"),
            para(vec![
                text("a "),
                em("b c"),
                text(" and "),
                strong("d"),
                text(" e"),
                em("f"),
                text("g")
            ])
        );
        // Unmatched, spaced or tripled stars are literal.
        for s in [
            "2 * 3 * 4",
            "a * b*",
            "*a",
            "a*",
            "***x***",
            "**",
            "* x *",
            "**a*",
        ] {
            assert_eq!(parse(s), para(vec![text(s)]), "{s}");
        }
        // The nearest opener wins; stars that cannot pair stay.
        assert_eq!(parse("*a *b*"), para(vec![text("*a "), em("b")]));
        assert_eq!(
            parse("**a *b* c**"),
            para(vec![text("**a "), em("b"), text(" c**")])
        );
        assert_eq!(parse("*a**b*"), para(vec![em("a**b")]));
        // Across a line break, not across a paragraph.
        assert_eq!(parse("*a\nb*"), para(vec![em("a b")]));
        assert_eq!(parse("*a\n\nb*").blocks.len(), 2);
        // Punctuation: CommonMark's rule, so `a*(x)*b` is not emphasis.
        assert_eq!(parse("a*(x)*b"), para(vec![text("a*(x)*b")]));
        assert_eq!(parse("a*(x)* b"), para(vec![text("a*(x)* b")]));
        assert_eq!(parse("*(x)*"), para(vec![em("(x)")]));
        assert_eq!(parse("«*x*»"), para(vec![text("«"), em("x"), text("»")]));
        for s in [
            "a *b c* and **d** e*f*g",
            "*(x)*",
            "«*x*»",
            "*a**b*",
            "x **y**!",
        ] {
            check_commonmark(&parse(s));
        }
    }

    #[test]
    fn escapes() {
        assert_eq!(
            parse(r"\*not\* \\ \[x](https://a.b) C:\dir \_"),
            para(vec![text(r"*not* \ [x](https://a.b) C:\dir _")])
        );
        assert_eq!(parse(r"a\**b*"), para(vec![text("a*"), em("b")]));
        assert_eq!(parse(r"*a\*b*"), para(vec![em("a*b")]));
        assert_eq!(parse("trailing \\"), para(vec![text("trailing \\")]));
        for s in [r"a\**b*", r"*a\*b*", r"\\*x*", r"x\\"] {
            let doc = parse(s);
            check_commonmark(&doc);
            assert_eq!(parse(&to_markdown(&doc)), doc, "{s}");
        }
    }

    #[test]
    fn links() {
        assert_eq!(
            parse("See [the Act](https://eur-lex.europa.eu/x) or [us](mailto:a@b.org)."),
            para(vec![
                text("See "),
                link("the Act", "https://eur-lex.europa.eu/x"),
                text(" or "),
                link("us", "mailto:a@b.org"),
                text(".")
            ])
        );
        assert_eq!(
            parse("[Foo](https://en.wikipedia.org/wiki/Foo_(bar)) (x)"),
            para(vec![
                link("Foo", "https://en.wikipedia.org/wiki/Foo_(bar)"),
                text(" (x)")
            ])
        );
        // Wrapped over lines; spaces in a URL are encoded; no text shows the URL.
        assert_eq!(
            parse("[two\nlines]( https://a.b/c d )"),
            para(vec![link("two lines", "https://a.b/c%20d")])
        );
        assert_eq!(
            parse("[](https://a.b)"),
            para(vec![link("https://a.b", "https://a.b")])
        );
        // Not links.
        for s in [
            "[a] (https://a.b)",
            "[a](https://a.b",
            "[a [b]",
            "[x]()",
            "[x](https://)",
            "a](https://a.b)",
            "[a\\](https://a.b)",
        ] {
            assert!(
                !parse(s).blocks.iter().any(|b| matches!(
                    b,
                    Block::Paragraph(i) if i.iter().any(|i| matches!(i, Inline::Link { .. }))
                )),
                "{s}"
            );
        }
        assert_eq!(
            parse("[a [b](https://b.c)"),
            para(vec![text("[a "), link("b", "https://b.c")])
        );
        // Stars inside link text are literal; emphasis does not span a link.
        assert_eq!(
            parse("*see [*x*](https://a.b)*"),
            para(vec![text("*see "), link("*x*", "https://a.b"), text("*")])
        );
        let doc = parse("Wow![x](https://a.b) [a_b`c](https://a.b/(x)&amp;<y>\\z`q)");
        assert_eq!(
            doc,
            para(vec![
                text("Wow!"),
                link("x", "https://a.b"),
                text(" "),
                link("a_b`c", "https://a.b/(x)&amp;<y>\\z`q")
            ])
        );
        check_commonmark(&doc);
        assert_eq!(parse(&to_markdown(&doc)), doc);
        assert_eq!(
            to_plain(&doc),
            "Wow!x (https://a.b) a_b`c (https://a.b/(x)&amp;<y>\\z`q)"
        );
    }

    #[test]
    fn bad_links_are_reported_and_stay_text() {
        let src = "Click [here](javascript:alert(1)) or [there](ftp://x) or [me](/rel)";
        let doc = parse(src);
        assert_eq!(doc, para(vec![text(src)]));
        let found = problems(src);
        assert_eq!(
            found[0],
            "link \"here\" goes to \"javascript:alert(1)\"; only http, https and mailto links are allowed"
        );
        assert_eq!(found.len(), 3);
        assert_eq!(
            problems("[x]() [](https://a.b) []( )"),
            vec![
                "link \"x\" has no URL: write it as [x](https://…)".to_string(),
                "link to \"https://a.b\" has no text: write it as [text](https://a.b)".into(),
                "a link has neither text nor URL: write it as [text](https://…)".into(),
            ]
        );
        // Every renderer, also for a hand-built link.
        let hand = para(vec![
            link("here", "javascript:alert(1)"),
            text(" "),
            link("x", " "),
        ]);
        for doc in [&doc, &hand] {
            let md = to_markdown(doc);
            let events: Vec<_> = pulldown_cmark::Parser::new(&md).collect();
            assert!(
                !events.iter().any(|e| matches!(
                    e,
                    pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { .. })
                )),
                "{md}"
            );
            let lines = to_lines(doc, Style::default());
            assert!(
                lines
                    .iter()
                    .flat_map(|l| &l.spans)
                    .all(|s| { !s.style.add_modifier.contains(Modifier::UNDERLINED) })
            );
            assert!(to_plain(doc).contains("[here](javascript:alert(1))"));
        }
        assert_eq!(to_plain(&hand), "[here](javascript:alert(1)) [x]( )");
        assert_eq!(
            to_markdown(&hand),
            "\\[here\\](javascript:alert(1)) \\[x\\]( )"
        );
    }

    #[test]
    fn html_is_literal_reported_and_escaped() {
        let src =
            "<b>bold</b> <script>alert(1)</script> <a href=\"x\">y</a>\n<!-- c --> \\<i> 2 < 3 > 1";
        let doc = parse(src);
        assert_eq!(
            doc,
            para(vec![text(
                "<b>bold</b> <script>alert(1)</script> <a href=\"x\">y</a> <!-- c --> <i> 2 < 3 > 1"
            )])
        );
        assert_eq!(
            problems(src),
            vec![
                "raw HTML \"<b>\" is not allowed; use *emphasis* or **strong** instead",
                "raw HTML \"</b>\" is not allowed; use *emphasis* or **strong** instead",
                "raw HTML \"<script>\" is not allowed; use *emphasis* or **strong** instead",
                "raw HTML \"</script>\" is not allowed; use *emphasis* or **strong** instead",
                "raw HTML \"<a href=\"x\">\" is not allowed; write a link as [text](https://…) instead",
                "raw HTML \"</a>\" is not allowed; write a link as [text](https://…) instead",
                "raw HTML \"<!-- c -->\" is not allowed; remove it",
            ]
        );
        let md = to_markdown(&doc);
        assert!(!md.contains('<'), "{md}");
        check_commonmark(&doc);
        // Hostile Markdown-looking text stays text.
        let hostile = "# h\n\n> q\n\n1. n\n\n+ p\n\n```\ncode\n```\n\n| a | b |\n\n<div>\n\n[r]: https://x.y\n\n![i](https://x.y/i.png)\n\n&copy; `c` ~~s~~ <https://auto.link>\n\n***\n\n=\n\n    indented";
        let doc = parse(hostile);
        let md = to_markdown(&doc);
        let cm = commonmark(&md).unwrap_or_else(|e| panic!("{e}\n{md}"));
        assert_eq!(cm, doc, "{md}");
        assert!(problems(hostile).iter().any(|p| p.contains("<div>")));
    }

    #[test]
    fn problems_are_capped_and_distinct() {
        let many: String = (0..100).map(|i| format!("<t{i}> <b> ")).collect();
        let found = problems(&many);
        assert_eq!(found.len(), MAX_PROBLEMS + 1);
        assert_eq!(found[MAX_PROBLEMS], "… and 81 more problems like these");
        assert!(problems("*a* **b** [c](https://d.e) 2 * 3 \\<b> a<b").is_empty());
    }

    #[test]
    fn terminal_lines() {
        let base = Style::default().fg(ratatui::style::Color::Yellow);
        let doc = parse("A *b* **c** [d](https://e.f) [](https://g.h)\n\n- one\n- two");
        let lines = to_lines(&doc, base);
        assert_eq!(lines.len(), 4);
        let text_of = |l: &Line| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
        };
        assert_eq!(text_of(&lines[0]), "A b c d <https://e.f> https://g.h");
        assert_eq!(text_of(&lines[1]), "");
        assert_eq!(text_of(&lines[2]), "• one");
        assert_eq!(text_of(&lines[3]), "• two");
        let s = &lines[0].spans;
        assert_eq!(s[0].style, base);
        assert_eq!(s[1].style, base.add_modifier(Modifier::ITALIC));
        assert_eq!(s[3].style, base.add_modifier(Modifier::BOLD));
        assert_eq!(s[5].style, base.add_modifier(Modifier::UNDERLINED));
        assert_eq!(s[6].content, " <https://e.f>");
        assert_eq!(s[6].style, base);
        assert_eq!(s[8].content, "https://g.h");
        assert_eq!(s[8].style, base.add_modifier(Modifier::UNDERLINED));
        // Terminal controls are shown, not acted on.
        let lines = to_lines(&parse("a\u{1b}[31m"), base);
        assert_eq!(text_of(&lines[0]), "a\\u{1b}[31m");
    }

    #[test]
    fn markdown_output() {
        let doc = parse("**Note:** 1. *a|b* [x](https://a.b/c d) <b> & 3_000");
        assert_eq!(
            to_markdown(&doc),
            "**Note:** 1. *a\\|b* [x](https://a.b/c%20d) &lt;b&gt; &amp; 3\\_000"
        );
        assert_eq!(to_markdown(&parse("1. x")), "1\\. x");
        assert_eq!(to_markdown(&parse("#1")), "\\#1");
        assert_eq!(to_markdown(&parse("- - x")), "- \\- x");
        check_commonmark(&doc);
        // Hand-built emphasis that CommonMark would not see is plain text.
        let hand = para(vec![text("a"), em("(x)"), strong("y"), em(" z"), em("")]);
        let md = to_markdown(&hand);
        assert_eq!(md, "a(x)y z");
        assert_eq!(commonmark(&md), Ok(para(vec![text("a(x)y z")])));
        // `!` before a link, even with an empty piece between, is no image.
        let hand = para(vec![text("!"), em(""), link("", "https://a.b")]);
        assert_eq!(to_markdown(&hand), "\\![https://a.b](https://a.b)");
        let hand = para(vec![text("\\"), link("x", "https://a.b")]);
        assert_eq!(to_markdown(&hand), "\\\\[x](https://a.b)");
    }

    #[test]
    fn has_markup_fast_path() {
        for s in [
            "plain",
            "a\nb",
            "a\n\n",
            "\n\na",
            "x - y",
            "a_b <b> (c) ]",
            "-x",
        ] {
            assert!(!has_markup(s), "{s:?}");
        }
        for s in ["*", "[", "\\", "- a", "  - a", "a\n\nb", "a\n \t\nb"] {
            assert!(has_markup(s), "{s:?}");
        }
    }

    #[test]
    fn hostile_inputs_stay_fast() {
        let start = std::time::Instant::now();
        let unit = [
            "[",
            "[a](x",
            "(",
            ")",
            "*a ",
            "**",
            "***",
            "<b ",
            "<a",
            "\\",
            "- ",
            "[](",
            "a](",
            "\n",
            "<!--",
            "[a](javascript:",
        ];
        for u in unit {
            let s = u.repeat(1_000_000 / u.len());
            let doc = parse(&s);
            let _ = problems(&s);
            let _ = to_markdown(&doc);
            let _ = to_plain(&doc);
        }
        let nested = format!("{}{}", "[a](https://x".repeat(50_000), ")".repeat(50_000));
        let doc = parse(&nested);
        let _ = problems(&nested);
        let _ = to_markdown(&doc);
        let nested = format!("{}{}", "[a](javascript:".repeat(50_000), ")".repeat(50_000));
        let _ = problems(&nested);
        // Linear: about 0.1 s per megabyte and pass in a debug build, so ten
        // seconds for all of this; a quadratic pass would take hours.
        assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
    }

    /// Source texts built from pieces that exercise every rule.
    fn source(with_html: bool) -> impl Strategy<Value = String> {
        let mut pieces = vec![
            "a",
            "word",
            "b c",
            "é",
            "«",
            "»",
            "—",
            "1.",
            "2)",
            "#",
            "+",
            "=",
            "-",
            "!",
            "_",
            "`",
            "~",
            "|",
            "(",
            ")",
            "]",
            "[",
            "*",
            "**",
            "***",
            "\\*",
            "\\\\",
            "\\[",
            "\\",
            " ",
            "  ",
            "\t",
            "\n",
            "\n\n",
            "\n- ",
            "- ",
            "\u{a0}",
            "☃",
            "%",
            ":",
            ".",
            "'",
            "\"",
            "[x](https://e.org/a_(b))",
            "[](mailto:a@b)",
            "[y](javascript:alert(1))",
            "[z *w*](http://h/x y)",
            "[q]()",
            "https://",
        ];
        if with_html {
            pieces.extend(["<b>", "</i>", "&amp;", "&", "<", ">", "<!--"]);
        }
        proptest::collection::vec(proptest::sample::select(pieces), 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 512,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn parse_never_panics(s in any::<String>()) {
            let doc = parse(&s);
            let _ = problems(&s);
            let _ = to_lines(&doc, Style::default());
            let _ = to_plain(&doc);
            let md = to_markdown(&doc);
            for e in pulldown_cmark::Parser::new(&md) {
                prop_assert!(!matches!(e, pulldown_cmark::Event::Html(_) | pulldown_cmark::Event::InlineHtml(_)), "{md:?}");
            }
        }

        #[test]
        fn markup_never_panics(s in source(true)) {
            let _ = problems(&s);
        }

        #[test]
        fn plain_text_stays_plain(
            lines in proptest::collection::vec(
                " {0,2}[a-zé<>&()\\]!_.#0-9=+-][a-z <>&()\\]\t!_é.#0-9=+-]{0,20}", 0..6
            ).prop_filter("no bullet lines", |ls| ls.iter().all(|l| bullet(l).is_none()))
        ) {
            let s = lines.join("\n");
            let collapsed = s.split(is_space).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
            prop_assert!(!has_markup(&s));
            let doc = parse(&s);
            prop_assert_eq!(to_plain(&doc), collapsed.clone());
            let expected = if collapsed.is_empty() { Doc::default() } else { para(vec![Inline::Text(collapsed)]) };
            prop_assert_eq!(doc, expected);
        }

        #[test]
        fn markdown_round_trips_through_our_parser(s in source(false)) {
            let doc = parse(&s);
            let md = to_markdown(&doc);
            prop_assert_eq!(parse(&md), doc, "markdown {:?}", md);
        }

        #[test]
        fn markdown_means_the_same_in_commonmark(s in source(true)) {
            let doc = parse(&s);
            let md = to_markdown(&doc);
            prop_assert_eq!(commonmark(&md), Ok(doc), "markdown {:?}", md);
        }

        #[test]
        fn hand_built_docs_render_safely(
            blocks in proptest::collection::vec(
                proptest::collection::vec(
                    (0u8..4, "[a-z1 *_<>!#.\\-\\[\\]()&\\\\]{0,6}", "(https://|javascript:|)[a-z ()]{0,4}"),
                    0..5,
                ),
                0..4,
            )
        ) {
            let doc = Doc {
                blocks: blocks.into_iter().enumerate().map(|(n, inl)| {
                    let inl: Vec<Inline> = inl.into_iter().map(|(k, t, u)| match k {
                        0 => Inline::Text(t),
                        1 => Inline::Emphasis(t),
                        2 => Inline::Strong(t),
                        _ => Inline::Link { text: t, url: u },
                    }).collect();
                    if n % 2 == 0 { Block::Paragraph(inl) } else { Block::List(vec![inl]) }
                }).collect(),
            };
            let md = to_markdown(&doc);
            for e in pulldown_cmark::Parser::new(&md) {
                match e {
                    pulldown_cmark::Event::Html(_) | pulldown_cmark::Event::InlineHtml(_) =>
                        prop_assert!(false, "HTML in {:?}", md),
                    pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) =>
                        prop_assert!(is_allowed_url(&dest_url), "{:?}", md),
                    pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading { .. } | pulldown_cmark::Tag::CodeBlock(_) | pulldown_cmark::Tag::BlockQuote(_) | pulldown_cmark::Tag::Image { .. }) =>
                        prop_assert!(false, "{:?}", md),
                    pulldown_cmark::Event::Code(_) => prop_assert!(false, "{:?}", md),
                    _ => {}
                }
            }
        }
    }
}
