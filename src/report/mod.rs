//! Reports of an evaluated assessment: Markdown for people and code forges,
//! JSON for programs. Both are built from one [`Report`] value so they never
//! disagree.

mod graph;
mod json;
mod markdown;
mod model_card;

use std::collections::BTreeMap;

use jiff::civil::Date;

pub use graph::{
    GraphFormat, LABEL_MAX, MERMAID_MAX_EDGES, mermaid_edges, shorten, to_graph, to_graph_with_path,
};
pub use json::to_json;
pub use markdown::{md_escape, to_markdown};
pub use model_card::to_model_card;

use crate::answers::Answers;
use crate::engine::{Evaluation, Flip, OutcomeResult};
use crate::messages::{Messages, fill};
use crate::questionnaire::Questionnaire;

/// The JSON schema version; later versions add fields, never rename them.
pub const SCHEMA_VERSION: u32 = 1;

/// Optional session details shown in reports of saved sessions.
#[derive(Debug, Clone, Default)]
pub struct SessionInfo {
    pub name: String,
    pub created: String,
    pub updated: String,
    /// Notes by question id.
    pub notes: Vec<(String, String)>,
    /// Follow-up status by outcome id: (status word, note).
    pub follow_up: Vec<(String, String, String)>,
}

/// Everything a report shows.
pub struct Report<'a> {
    pub q: &'a Questionnaire,
    pub answers: &'a Answers,
    pub ev: &'a Evaluation,
    pub session: Option<&'a SessionInfo>,
    /// The answer changes that would flip an outcome, when asked for
    /// (`--what-if`): computing them costs many evaluations.
    pub what_if: Option<&'a [Flip]>,
    /// Pre-answers not confirmed yet, by question id: where each came from
    /// (`aiact new --from`, `run --from`). Reports mark them.
    pub prefilled: Option<&'a BTreeMap<String, String>>,
}

impl<'a> Report<'a> {
    /// The words of the report: the catalogue of the questionnaire's
    /// language, so a German questionnaire gets German headings.
    pub fn messages(&self) -> &'static Messages {
        crate::messages::for_language(&self.q.meta.language)
    }

    pub fn new(q: &'a Questionnaire, answers: &'a Answers, ev: &'a Evaluation) -> Self {
        Report {
            q,
            answers,
            ev,
            session: None,
            what_if: None,
            prefilled: None,
        }
    }

    /// Results (outcomes outside `background` groups) grouped as the content
    /// declares, groups in their order.
    pub fn grouped(&self) -> Vec<(usize, Vec<&'a OutcomeResult>)> {
        self.grouped_where(false)
    }

    /// Outcomes of `background` groups, grouped the same way: reports show
    /// them last, as context, without status words.
    pub fn background(&self) -> Vec<(usize, Vec<&'a OutcomeResult>)> {
        self.grouped_where(true)
    }

    /// Where the answer to question `id` was pre-filled from, while it is
    /// not confirmed.
    pub fn unconfirmed(&self, id: &str) -> Option<&'a str> {
        self.prefilled?.get(id).map(String::as_str)
    }

    /// Whether any outcome is a result (not background).
    pub fn has_results(&self) -> bool {
        self.ev.results(self.q).next().is_some()
    }

    fn grouped_where(&self, background: bool) -> Vec<(usize, Vec<&'a OutcomeResult>)> {
        self.q
            .groups_in_order()
            .into_iter()
            .filter(|&g| self.q.groups[g].background == background)
            .map(|g| {
                let items: Vec<&OutcomeResult> = self
                    .ev
                    .outcomes
                    .iter()
                    .filter(|o| self.q.outcomes[o.index].group == g)
                    .collect();
                (g, items)
            })
            .filter(|(_, items)| !items.is_empty())
            .collect()
    }
}

/// When an outcome applies, relative to the assessment date, in the
/// words of the catalogue `m`.
pub fn when_text(applies_from: Option<Date>, today: Date, m: &Messages) -> String {
    let r = &m.report;
    match applies_from {
        None => r.applies_now.clone(),
        Some(d) if d <= today => fill(&r.applies_since, &[("date", &m.long_date(d))]),
        Some(d) => {
            let days = (d - today).get_days();
            let template = if days == 1 {
                &r.applies_from_one
            } else {
                &r.applies_from_other
            };
            fill(template, &[("date", &m.long_date(d)), ("n", &days)])
        }
    }
}
