//! The JSON report. Field names are a stable interface (README): later
//! versions add fields, never rename them.

use serde_json::{Value, json};

use super::{Report, SCHEMA_VERSION};
use crate::engine::effective_answers;

/// Renders the report as pretty JSON.
pub fn to_json(r: &Report) -> String {
    let q = r.q;
    let outcomes: Vec<Value> = r
        .ev
        .outcomes
        .iter()
        .map(|o| {
            let def = &q.outcomes[o.index].def;
            let citations: Vec<Value> = def
                .citations
                .iter()
                .map(|c| {
                    let (_, pinpoint, url) = q.cite(c);
                    json!({"reference": c.reference, "pinpoint": pinpoint, "url": url})
                })
                .collect();
            let because: Vec<Value> = o
                .reasons
                .iter()
                .map(|x| {
                    let mut v = json!({"question": x.question, "answer": x.answer, "text": x.text});
                    if let Some(f) = &x.fact {
                        v["fact"] = json!(f);
                    }
                    v
                })
                .collect();
            let mut v = json!({
                "id": def.id,
                "group": def.group,
                "background": q.groups[q.outcomes[o.index].group].background,
                "status": o.status,
                "title": def.title,
                "summary": def.summary,
                "applies_from": o.applies_from.map(|d| d.to_string()),
                "in_force": o.in_force(r.ev.today),
                "citations": citations,
                "because": because,
            });
            if let Some(s) = r.session
                && let Some((_, status, note)) = s.follow_up.iter().find(|(id, _, _)| id == &def.id)
            {
                v["follow_up"] = json!({"status": status, "note": note});
            }
            v
        })
        .collect();
    let unanswered = r.ev.current.map(|c| {
        let question = &q.questions[c];
        json!({"id": question.id(), "prompt": question.def.prompt})
    });
    let mut doc = json!({
        "schema_version": SCHEMA_VERSION,
        "aiact_version": env!("CARGO_PKG_VERSION"),
        "questionnaire": {
            "id": q.meta.id,
            "title": q.meta.title,
            "version": q.meta.version,
            "logic_hash": q.logic_hash,
            "text_hash": q.text_hash,
            "legal_basis": q.meta.legal_basis,
            "as_of": q.meta.as_of,
        },
        "assessment_date": r.ev.today.to_string(),
        "complete": r.ev.is_complete(),
        "next_question": unanswered,
        "answers": serde_json::to_value(effective_answers(q, r.answers, r.ev)).unwrap_or(Value::Null),
        "outcomes": outcomes,
        "disclaimer": q.meta.disclaimer,
    });
    // Pre-answers still to be confirmed, with where each came from: only
    // those the answers above use.
    let effective = effective_answers(q, r.answers, r.ev);
    let unconfirmed: Vec<Value> = r
        .prefilled
        .into_iter()
        .flatten()
        .filter(|(id, _)| effective.contains_key(id.as_str()))
        .map(|(id, source)| json!({"question": id, "source": source}))
        .collect();
    if !unconfirmed.is_empty() {
        doc["unconfirmed"] = json!(unconfirmed);
    }
    // Ranked most relevant first (`rank` 1), as the engine ranks them.
    if let Some(flips) = r.what_if {
        doc["what_if"] = json!(
            flips
                .iter()
                .enumerate()
                .map(|(rank, f)| json!({
                    "rank": rank + 1,
                    "outcome": f.outcome,
                    "question": f.question,
                    "answer": f.answer,
                    "before": f.before,
                    "after": f.after,
                    "applies_from_before": f.from_before.map(|d| d.to_string()),
                    "applies_from_after": f.from_after.map(|d| d.to_string()),
                    "decisive": f.is_decisive(),
                    "changes_date": f.changes_date(),
                    "background": f.relevance.background,
                    "text": f.text,
                }))
                .collect::<Vec<_>>()
        );
    }
    if let Some(s) = r.session {
        doc["session"] = json!({
            "name": s.name,
            "created": s.created,
            "updated": s.updated,
            "notes": s.notes.iter().map(|(q, n)| json!({"question": q, "note": n})).collect::<Vec<_>>(),
            "follow_up": s.follow_up.iter().map(|(o, st, n)| json!({"outcome": o, "status": st, "note": n})).collect::<Vec<_>>(),
        });
    }
    crate::text::json_safe(&serde_json::to_string_pretty(&doc).unwrap_or_default()) + "\n"
}
