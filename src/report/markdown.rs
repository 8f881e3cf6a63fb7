//! The Markdown report: reads well on a code forge or model hub. Every piece
//! of text from a questionnaire, session or answers file is escaped, so it can
//! neither break the table nor inject HTML.

use std::fmt::Write;

use super::{Report, long_date, when_text};
use crate::engine::{Status, effective_answers};

/// Escapes text for inline Markdown: table pipes, HTML and Markdown syntax.
/// Newlines become spaces; control characters become visible escapes.
pub fn md_escape(text: &str) -> String {
    let text = crate::text::printable_line(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes a block of prose, keeping its paragraphs.
fn md_paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(|p| escape_block_start(&md_escape(p.trim())))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Escapes what would turn a paragraph into a heading, quote or list.
fn escape_block_start(text: &str) -> String {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let rest = &text[digits..];
    if text.starts_with(['#', '-', '+', '='])
        || (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") ")))
    {
        if digits > 0 {
            format!("{}\\{rest}", &text[..digits])
        } else {
            format!("\\{text}")
        }
    } else {
        text.to_string()
    }
}

/// A link target safe inside `(...)`.
fn md_url(url: &str) -> String {
    let mut out = String::new();
    for c in crate::text::printable_line(url).chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c => out.push(c),
        }
    }
    out
}

/// Renders the report as Markdown.
pub fn to_markdown(r: &Report) -> String {
    let q = r.q;
    let today = r.ev.today;
    let mut s = String::new();
    let title = match r.session {
        Some(info) if !info.name.is_empty() => {
            format!("{} — {}", md_escape(&q.meta.title), md_escape(&info.name))
        }
        _ => md_escape(&q.meta.title),
    };
    let _ = writeln!(s, "# {title}\n");
    let _ = writeln!(s, "- Assessment date: {}", long_date(today));
    let _ = writeln!(
        s,
        "- Questionnaire: {} ({}), version {}",
        md_escape(&q.meta.title),
        md_escape(&q.meta.id),
        md_escape(&q.meta.version)
    );
    let _ = writeln!(s, "- Legal basis: {}", md_escape(&q.meta.legal_basis));
    let _ = writeln!(s, "- Content checked as of: {}", md_escape(&q.meta.as_of));
    if let Some(info) = r.session {
        let _ = writeln!(
            s,
            "- Session created {}, last changed {}",
            md_escape(&info.created),
            md_escape(&info.updated)
        );
    }
    let _ = writeln!(s, "- Made with aiact {}", env!("CARGO_PKG_VERSION"));
    if !r.ev.is_complete() {
        let _ = writeln!(
            s,
            "\n> **Incomplete assessment.** Outcomes marked *provisional* depend on questions not answered yet."
        );
    }
    let _ = writeln!(s, "\n> {}\n", md_escape(&q.meta.disclaimer));

    // Summary table.
    let _ = writeln!(s, "## Summary\n");
    if !r.has_results() {
        let _ = writeln!(s, "No outcome applies.\n");
    } else {
        let _ = writeln!(s, "| Outcome | Kind | Status | When |");
        let _ = writeln!(s, "|---|---|---|---|");
        for (g, items) in r.grouped() {
            for o in items {
                let def = &q.outcomes[o.index].def;
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} |",
                    md_escape(&def.title),
                    md_escape(&q.groups[g].title),
                    status_word(o.status),
                    when_text(o.applies_from, today)
                );
            }
        }
        s.push('\n');
    }

    for (g, items) in r.grouped() {
        let _ = writeln!(s, "## {}\n", md_escape(&q.groups[g].title));
        for o in items {
            let def = &q.outcomes[o.index].def;
            let marker = if o.status == Status::Provisional {
                " (provisional)"
            } else {
                ""
            };
            let _ = writeln!(s, "### {}{marker}\n", md_escape(&def.title));
            let _ = writeln!(
                s,
                "`{}` — {}\n",
                code_span(&def.id),
                md_escape(&def.summary)
            );
            let _ = writeln!(s, "{}\n", md_paragraphs(&def.explanation));
            let _ = writeln!(s, "- **When:** {}", when_text(o.applies_from, today));
            if !o.reasons.is_empty() {
                let label = if o.status == Status::Provisional {
                    "Depends on"
                } else {
                    "Because"
                };
                let _ = writeln!(s, "- **{label}:**");
                for reason in &o.reasons {
                    let _ = writeln!(s, "  - {}", md_escape(&reason.text));
                }
            }
            sources(&mut s, q, &def.citations);
            if let Some(info) = r.session
                && let Some((_, status, note)) =
                    info.follow_up.iter().find(|(id, _, _)| id == &def.id)
            {
                let mut line = format!("- **Follow-up:** {}", md_escape(status));
                if !note.is_empty() {
                    let _ = write!(line, " — {}", md_escape(note));
                }
                let _ = writeln!(s, "{line}");
            }
            s.push('\n');
        }
    }

    let _ = writeln!(s, "## Answers\n");
    let effective = effective_answers(q, r.answers, r.ev);
    let _ = writeln!(s, "| Question | Answer |");
    let _ = writeln!(s, "|---|---|");
    for &qi in &r.ev.path {
        let question = &q.questions[qi];
        let answer = effective.get(question.id()).map_or_else(
            || "*not answered*".to_string(),
            |a| md_escape(&question.describe(a)),
        );
        let mut cell = answer;
        if let Some(source) = r.unconfirmed(question.id())
            && effective.contains_key(question.id())
        {
            let _ = write!(
                cell,
                " — pre-filled, not yet confirmed: {}",
                md_escape(source)
            );
        }
        if let Some(info) = r.session
            && let Some((_, note)) = info.notes.iter().find(|(id, _)| id == question.id())
        {
            let _ = write!(cell, " — note: {}", md_escape(note));
        }
        let _ = writeln!(s, "| {} | {} |", md_escape(&question.def.prompt), cell);
    }
    if let Some(flips) = r.what_if {
        what_if_section(&mut s, r, flips);
    }
    background_sections(&mut s, r);
    let _ = writeln!(s, "\n---\n\n*{}*", md_escape(&q.meta.disclaimer));
    s
}

/// Background groups, last: the group's title and description from content,
/// then each outcome's title, summary, explanation and sources. No status
/// words, dates or reasons: these outcomes are context, not results.
fn background_sections(s: &mut String, r: &Report) {
    let q = r.q;
    for (g, items) in r.background() {
        let group = &q.groups[g];
        let _ = writeln!(s, "\n## {}\n", md_escape(&group.title));
        if !group.description.is_empty() {
            let _ = writeln!(s, "{}\n", md_paragraphs(&group.description));
        }
        for o in items {
            let def = &q.outcomes[o.index].def;
            let _ = writeln!(s, "### {}\n", md_escape(&def.title));
            let _ = writeln!(s, "{}\n", md_escape(&def.summary));
            let _ = writeln!(s, "{}\n", md_paragraphs(&def.explanation));
            sources(s, q, &def.citations);
            s.push('\n');
        }
    }
}

/// A "Sources" list of citations with links.
fn sources(
    s: &mut String,
    q: &crate::questionnaire::Questionnaire,
    citations: &[crate::questionnaire::Citation],
) {
    let _ = writeln!(s, "- **Sources:**");
    for c in citations {
        let (title, pinpoint, url) = q.cite(c);
        if url.is_empty() {
            let _ = writeln!(s, "  - {}, {}", md_escape(&title), md_escape(&pinpoint));
        } else {
            let _ = writeln!(
                s,
                "  - [{}, {}]({})",
                md_escape(&title),
                md_escape(&pinpoint),
                md_url(&url)
            );
        }
    }
}

/// "What would change this": the decisive flips of results (background
/// groups have no status to flip), in the engine's ranking. Flips are grouped
/// by outcome and consequence; a group comes where its most relevant flip
/// ranks, and lists its changes in rank order.
fn what_if_section(s: &mut String, r: &Report, flips: &[crate::engine::Flip]) {
    let q = r.q;
    let _ = writeln!(s, "\n## What would change this\n");
    let decisive: Vec<_> = flips
        .iter()
        .filter(|f| f.is_decisive() && !f.relevance.background)
        .collect();
    if decisive.is_empty() {
        let _ = writeln!(s, "No single answer change would change an outcome.");
        return;
    }
    let _ = writeln!(
        s,
        "Single answer changes that would change an outcome, what matters most first: dates, then changes that keep what you assessed, outcomes in the order of their groups, and changes that leave the rest of your answers as they are. Changes that would only leave an outcome open (a new question to answer) are not listed; the JSON report has them all.\n"
    );
    // (outcome, consequence) → flips, in order of first appearance.
    let mut groups: Vec<((&str, &str), Vec<&crate::engine::Flip>)> = Vec::new();
    for f in decisive {
        let key = (f.outcome.as_str(), f.consequence.as_str());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(f),
            None => groups.push((key, vec![f])),
        }
    }
    for ((outcome, consequence), list) in groups {
        let title = q
            .outcome(outcome)
            .map_or_else(|| outcome.to_string(), |o| o.def.title.clone());
        let _ = writeln!(
            s,
            "**{}** {} if you:\n",
            md_escape(&title),
            md_escape(consequence)
        );
        // Numbers flip on whole stretches: one line per question, where its
        // first value ranks, with the sample values that were tried.
        let mut lines: Vec<(Option<&str>, Vec<String>)> = Vec::new();
        for f in list {
            if let crate::answers::Answer::Number(typed) = &f.answer {
                match lines
                    .iter_mut()
                    .find(|(question, _)| *question == Some(f.question.as_str()))
                {
                    Some((_, values)) => values.push(typed.clone()),
                    None => lines.push((Some(&f.question), vec![typed.clone()])),
                }
            } else {
                lines.push((None, vec![f.change.clone()]));
            }
        }
        for (question, values) in lines {
            let Some(id) = question else {
                let _ = writeln!(s, "- {}", md_escape(&values[0]));
                continue;
            };
            let Some(question) = q.question(id) else {
                continue;
            };
            let unit = match question.kind() {
                crate::questionnaire::Kind::Number { unit: Some(u), .. } => format!(" {u}"),
                _ => String::new(),
            };
            let list = match values.as_slice() {
                [one] => one.clone(),
                [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
                [] => continue,
            };
            let _ = writeln!(
                s,
                "- answered “{}” with a value such as {}{}",
                md_escape(question.short()),
                md_escape(&list),
                md_escape(&unit)
            );
        }
        s.push('\n');
    }
}

/// Text for inside a code span, where escapes are not processed: backticks
/// and controls are dropped instead.
fn code_span(text: &str) -> String {
    crate::text::printable_line(text).replace('`', "")
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Applies => "applies",
        Status::Provisional => "provisional",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_tables_html_and_markdown() {
        assert_eq!(md_escape("a | b"), "a \\| b");
        assert_eq!(
            md_escape("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(
            md_escape("[link](http://x) *bold* _it_ `code`"),
            "\\[link\\](http://x) \\*bold\\* \\_it\\_ \\`code\\`"
        );
        assert_eq!(
            md_escape("line\nbreak\u{1b}[2J"),
            "line break\\\\u{1b}\\[2J"
        );
        assert_eq!(
            md_paragraphs("# not a heading\n\n1. not a list\n\nfine"),
            "\\# not a heading\n\n1\\. not a list\n\nfine"
        );
        assert_eq!(md_url("https://x.org/a b(c)"), "https://x.org/a%20b%28c%29");
    }
}
