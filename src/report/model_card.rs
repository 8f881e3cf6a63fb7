//! A short section to paste into a model's card (a README on a model hub):
//! what was assessed, with which questionnaire and when, the outcomes in one
//! table, and the disclaimer. Everything from content or the user is escaped.
//! Outcomes of `background` groups are context, not a result about the
//! component, so a card never lists them.

use std::fmt::Write;

use super::{Report, long_date, md_escape, when_text};
use crate::engine::Status;

/// Renders the model-card section as Markdown.
pub fn to_model_card(r: &Report) -> String {
    let q = r.q;
    let today = r.ev.today;
    let mut s = String::new();
    let _ = writeln!(s, "## {}\n", md_escape(&q.meta.title));
    let subject = match r.session {
        Some(info) if !info.name.is_empty() => format!("**{}**", md_escape(&info.name)),
        _ => "This component".to_string(),
    };
    let _ = writeln!(
        s,
        "{subject} was self-assessed on {} with aiact {} using the questionnaire \"{}\" ({}, version {}), based on {} as of {}.\n",
        long_date(today),
        env!("CARGO_PKG_VERSION"),
        md_escape(&q.meta.title),
        md_escape(&q.meta.id),
        md_escape(&q.meta.version),
        md_escape(&q.meta.legal_basis),
        md_escape(&q.meta.as_of)
    );
    if !r.ev.is_complete() {
        let _ = writeln!(
            s,
            "The assessment is incomplete; provisional outcomes depend on questions not answered yet.\n"
        );
    }
    // Background groups are context, not results: never in a model card.
    if !r.has_results() {
        let _ = writeln!(s, "No outcome applies.\n");
    } else {
        let _ = writeln!(s, "| Outcome | Kind | Status | When | Follow-up |");
        let _ = writeln!(s, "|---|---|---|---|---|");
        for (g, items) in r.grouped() {
            for o in items {
                let def = &q.outcomes[o.index].def;
                let follow = r
                    .session
                    .and_then(|i| i.follow_up.iter().find(|(id, _, _)| id == &def.id))
                    .map_or_else(|| "—".to_string(), |(_, st, _)| md_escape(st));
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} |",
                    md_escape(&def.title),
                    md_escape(&q.groups[g].title),
                    if o.status == Status::Applies {
                        "applies"
                    } else {
                        "provisional"
                    },
                    when_text(o.applies_from, today),
                    follow
                );
            }
        }
        s.push('\n');
    }
    let _ = writeln!(s, "*{}*", md_escape(&q.meta.disclaimer));
    s
}
