//! The Markdown report: reads well on a code forge or model hub. Every piece
//! of text from a questionnaire, session or answers file is escaped, so it can
//! neither break the table nor inject HTML.

use std::fmt::Write;

use super::{Report, when_text};
use crate::engine::{Status, effective_answers};
use crate::messages::fill;

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

/// A content text inside a line (a summary, a cell): format 2's light markup
/// as CommonMark on one line, plain text escaped otherwise.
fn md_inline(q: &crate::questionnaire::Questionnaire, text: &str) -> String {
    if q.uses_markup() && crate::markup::has_markup(text) {
        crate::markup::to_markdown(&crate::markup::parse(text))
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        md_escape(text)
    }
}

/// A content text as blocks: format 2's light markup as CommonMark, plain
/// paragraphs escaped otherwise.
fn md_blocks(q: &crate::questionnaire::Questionnaire, text: &str) -> String {
    if q.uses_markup() && crate::markup::has_markup(text) {
        crate::markup::to_markdown(&crate::markup::parse(text))
    } else {
        md_paragraphs(text)
    }
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
    let m = r.messages();
    let w = &m.report;
    let mut s = String::new();
    let title = match r.session {
        Some(info) if !info.name.is_empty() => {
            format!("{} — {}", md_escape(&q.meta.title), md_escape(&info.name))
        }
        _ => md_escape(&q.meta.title),
    };
    let _ = writeln!(s, "# {title}\n");
    let date = m.long_date(today);
    let _ = writeln!(s, "- {}", fill(&w.assessment_date, &[("date", &date)]));
    let _ = writeln!(
        s,
        "- {}",
        fill(
            &w.questionnaire,
            &[
                ("title", &md_escape(&q.meta.title)),
                ("id", &md_escape(&q.meta.id)),
                ("version", &md_escape(&q.meta.version))
            ]
        )
    );
    let basis = md_escape(&q.meta.legal_basis);
    let _ = writeln!(s, "- {}", fill(&w.legal_basis, &[("text", &basis)]));
    let as_of = md_escape(&q.meta.as_of);
    let _ = writeln!(s, "- {}", fill(&w.as_of, &[("date", &as_of)]));
    if let Some(info) = r.session {
        let _ = writeln!(
            s,
            "- {}",
            fill(
                &w.session_dates,
                &[
                    ("created", &md_escape(&info.created)),
                    ("updated", &md_escape(&info.updated))
                ]
            )
        );
    }
    let version = env!("CARGO_PKG_VERSION");
    let _ = writeln!(s, "- {}", fill(&w.made_with, &[("version", &version)]));
    if !r.ev.is_complete() {
        let _ = writeln!(s, "\n> {}", w.incomplete);
    }
    let _ = writeln!(s, "\n> {}\n", md_escape(&q.meta.disclaimer));

    // Summary table.
    let _ = writeln!(s, "## {}\n", w.summary);
    if !r.has_results() {
        let _ = writeln!(s, "{}\n", w.no_outcome);
    } else {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            w.col_outcome, w.col_kind, w.col_status, w.col_when
        );
        let _ = writeln!(s, "|---|---|---|---|");
        for (g, items) in r.grouped() {
            for o in items {
                let def = &q.outcomes[o.index].def;
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} |",
                    md_escape(&def.title),
                    md_escape(&q.groups[g].title),
                    m.status(o.status),
                    when_text(o.applies_from, today, m)
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
                format!(" ({})", w.provisional)
            } else {
                String::new()
            };
            let _ = writeln!(s, "### {}{marker}\n", md_escape(&def.title));
            let _ = writeln!(
                s,
                "`{}` — {}\n",
                code_span(&def.id),
                md_inline(q, &def.summary)
            );
            let _ = writeln!(s, "{}\n", md_blocks(q, &def.explanation));
            let when = when_text(o.applies_from, today, m);
            let _ = writeln!(s, "- **{}:** {when}", w.when);
            if !o.reasons.is_empty() {
                let label = if o.status == Status::Provisional {
                    &w.depends_on
                } else {
                    &w.because
                };
                let _ = writeln!(s, "- **{label}:**");
                for reason in &o.reasons {
                    let _ = writeln!(s, "  - {}", md_escape(&reason.text));
                }
            }
            sources(&mut s, q, def, w);
            if let Some(info) = r.session
                && let Some((_, status, note)) =
                    info.follow_up.iter().find(|(id, _, _)| id == &def.id)
            {
                let status = md_escape(m.progress_words(status));
                let mut line = format!("- **{}:** {status}", w.follow_up);
                if !note.is_empty() {
                    let _ = write!(line, " — {}", md_escape(note));
                }
                let _ = writeln!(s, "{line}");
            }
            s.push('\n');
        }
    }

    let _ = writeln!(s, "## {}\n", w.answers);
    let effective = effective_answers(q, r.answers, r.ev);
    let mut section: Option<usize> = None;
    let mut header = false;
    for &qi in &r.ev.path {
        let question = &q.questions[qi];
        if question.is_info() {
            continue;
        }
        // Format 2's sections: one table each, under the section's title.
        if question.section.is_some() && question.section != section {
            section = question.section;
            if let Some(k) = section {
                let _ = writeln!(
                    s,
                    "{}### {}\n",
                    if header { "\n" } else { "" },
                    md_escape(&q.sections[k].title)
                );
            }
            header = false;
        }
        if !header {
            let _ = writeln!(s, "| {} | {} |", w.col_question, w.col_answer);
            let _ = writeln!(s, "|---|---|");
            header = true;
        }
        let answer = effective.get(question.id()).map_or_else(
            || format!("*{}*", w.not_answered),
            |a| md_escape(&question.describe_in(a, &m.engine.not_sure)),
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
            let note = md_escape(note);
            let _ = write!(cell, " — {}", fill(&w.note, &[("note", &note)]));
        }
        let _ = writeln!(s, "| {} | {} |", md_inline(q, &question.def.prompt), cell);
    }
    if let Some(flips) = r.what_if {
        what_if_section(&mut s, r, flips);
    }
    background_sections(&mut s, r);
    let _ = writeln!(s, "\n---\n\n*{}*", md_inline(q, &q.meta.disclaimer));
    s
}

/// Background groups, last: the group's title and description from content,
/// then each outcome's title, summary, explanation and sources. No status
/// words, dates or reasons: these outcomes are context, not results.
fn background_sections(s: &mut String, r: &Report) {
    let q = r.q;
    let w = &r.messages().report;
    for (g, items) in r.background() {
        let group = &q.groups[g];
        let _ = writeln!(s, "\n## {}\n", md_escape(&group.title));
        if !group.description.is_empty() {
            let _ = writeln!(s, "{}\n", md_paragraphs(&group.description));
        }
        for o in items {
            let def = &q.outcomes[o.index].def;
            let _ = writeln!(s, "### {}\n", md_escape(&def.title));
            let _ = writeln!(s, "{}\n", md_inline(q, &def.summary));
            let _ = writeln!(s, "{}\n", md_blocks(q, &def.explanation));
            sources(s, q, def, w);
            s.push('\n');
        }
    }
}

/// A "Sources" list of citations with links.
fn sources(
    s: &mut String,
    q: &crate::questionnaire::Questionnaire,
    def: &crate::questionnaire::schema::OutcomeDef,
    w: &crate::messages::ReportWords,
) {
    if let Some(why) = &def.no_source
        && def.citations.is_empty()
    {
        let _ = writeln!(
            s,
            "- **{}:** {} — {}",
            w.sources,
            w.sources_none,
            md_inline(q, why)
        );
        return;
    }
    let _ = writeln!(s, "- **{}:**", w.sources);
    for c in &def.citations {
        let (title, pinpoint, url) = q.cite(c);
        // A non-legal source may have no pinpoint (format 2).
        let name = if pinpoint.is_empty() {
            md_escape(&title)
        } else {
            format!("{}, {}", md_escape(&title), md_escape(&pinpoint))
        };
        if url.is_empty() {
            let _ = writeln!(s, "  - {name}");
        } else {
            let _ = writeln!(s, "  - [{name}]({})", md_url(&url));
        }
    }
}

/// "What would change this": the decisive flips of results (background
/// groups have no status to flip), in the engine's ranking. Flips are grouped
/// by outcome and consequence; a group comes where its most relevant flip
/// ranks, and lists its changes in rank order.
fn what_if_section(s: &mut String, r: &Report, flips: &[crate::engine::Flip]) {
    let q = r.q;
    let w = &r.messages().report;
    let _ = writeln!(s, "\n## {}\n", w.what_would_change);
    let decisive: Vec<_> = flips
        .iter()
        .filter(|f| f.is_decisive() && !f.relevance.background)
        .collect();
    if decisive.is_empty() {
        let _ = writeln!(s, "{}", w.no_change_would);
        return;
    }
    let _ = writeln!(s, "{}\n", w.what_if_intro);
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
            "{}\n",
            fill(
                &w.what_if_outcome,
                &[
                    ("title", &format!("**{}**", md_escape(&title))),
                    ("consequence", &md_escape(consequence))
                ]
            )
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
                [rest @ .., last] => format!("{} {} {last}", rest.join(", "), w.or),
                [] => continue,
            };
            let values = format!("{}{}", md_escape(&list), md_escape(&unit));
            let _ = writeln!(
                s,
                "- {}",
                fill(
                    &w.what_if_number,
                    &[
                        ("question", &md_escape(question.short())),
                        ("values", &values)
                    ]
                )
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
