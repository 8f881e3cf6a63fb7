//! A short section to paste into a model's card (a README on a model hub):
//! what was assessed, with which questionnaire and when, the outcomes in one
//! table, and the disclaimer. Everything from content or the user is escaped.
//! Outcomes of `background` groups are context, not a result about the
//! component, so a card never lists them.

use std::fmt::Write;

use super::{Report, md_escape, when_text};
use crate::messages::fill;

/// Renders the model-card section as Markdown.
pub fn to_model_card(r: &Report) -> String {
    let q = r.q;
    let today = r.ev.today;
    let m = r.messages();
    let w = &m.report;
    let mut s = String::new();
    let _ = writeln!(s, "## {}\n", md_escape(&q.meta.title));
    let subject = match r.session {
        Some(info) if !info.name.is_empty() => format!("**{}**", md_escape(&info.name)),
        _ => w.card_this_component.clone(),
    };
    let _ = writeln!(
        s,
        "{}\n",
        fill(
            &w.card_assessed,
            &[
                ("subject", &subject),
                ("date", &m.long_date(today)),
                ("aiact", &env!("CARGO_PKG_VERSION")),
                ("title", &md_escape(&q.meta.title)),
                ("id", &md_escape(&q.meta.id)),
                ("version", &md_escape(&q.meta.version)),
                ("legal_basis", &md_escape(&q.meta.legal_basis)),
                ("as_of", &md_escape(&q.meta.as_of)),
            ]
        )
    );
    if !r.ev.is_complete() {
        let _ = writeln!(s, "{}\n", w.card_incomplete);
    }
    // Background groups are context, not results: never in a model card.
    if !r.has_results() {
        let _ = writeln!(s, "{}\n", w.no_outcome);
    } else {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            w.col_outcome, w.col_kind, w.col_status, w.col_when, w.col_follow_up
        );
        let _ = writeln!(s, "|---|---|---|---|---|");
        for (g, items) in r.grouped() {
            for o in items {
                let def = &q.outcomes[o.index].def;
                let follow = r
                    .session
                    .and_then(|i| i.follow_up.iter().find(|(id, _, _)| id == &def.id))
                    .map_or_else(
                        || "—".to_string(),
                        |(_, st, _)| md_escape(m.progress_words(st)),
                    );
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} |",
                    md_escape(&def.title),
                    md_escape(&q.groups[g].title),
                    m.status(o.status),
                    when_text(o.applies_from, today, m),
                    follow
                );
            }
        }
        s.push('\n');
    }
    let _ = writeln!(s, "*{}*", md_escape(&q.meta.disclaimer));
    s
}
