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

mod syntax;

pub use syntax::*;

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::report::md_escape;

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
    join_blocks(doc, plain_inlines)
}

/// The blocks of `doc` as text, the way plain text and CommonMark both lay
/// them out: paragraphs and lists separated by a blank line, list items as
/// "- " lines, empty blocks and items left out; `inlines` writes a line.
fn join_blocks(doc: &Doc, inlines: fn(&[Inline]) -> String) -> String {
    let mut blocks: Vec<String> = Vec::new();
    for block in &doc.blocks {
        let s = match block {
            Block::Paragraph(parts) => inlines(parts),
            Block::List(items) => items
                .iter()
                .map(|i| inlines(i))
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
    join_blocks(doc, md_inlines)
}

// ---------------------------------------------------------------------------
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
