//! "What would change this": the single answer changes on the current path
//! that would flip an outcome (applies ↔ does not apply, provisional ↔
//! decided), found by trying them and said in the content's own words.
//!
//! Nothing here is written by hand: every flip is the result of evaluating the
//! changed answers with [`evaluate`], so a flip that is reported is a flip that
//! happens.

use jiff::civil::Date;
use serde::Serialize;

use super::{OutcomeResult, Status, diff, evaluate_resolved, resolve_answers};
use crate::answers::{Answer, Answers};
use crate::questionnaire::{Cond, Kind, Question, Questionnaire, Routing, Value};

/// One answer change and what it would do to one outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flip {
    /// The outcome's id.
    pub outcome: String,
    /// The question whose answer changes.
    pub question: String,
    /// The changed answer, written as in answers files.
    pub answer: Answer,
    /// The outcome's status now (`None`: it does not apply).
    pub before: Option<Status>,
    /// The outcome's status with the changed answer.
    pub after: Option<Status>,
    /// The sentence for people ("If you charged for support, … would no longer apply").
    pub text: String,
    /// The change alone, completing "If you …" ("charged for support", or
    /// "answered “No” to “Gated”"), for lists grouped by outcome.
    pub change: String,
}

impl Flip {
    /// Whether the change decides the outcome (applies ↔ does not), rather
    /// than only making it uncertain because a new question opens up.
    pub fn is_decisive(&self) -> bool {
        self.after != Some(Status::Provisional)
    }
}

/// A candidate answer and how to say it ("If you …").
struct Candidate {
    answer: Answer,
    phrase: String,
}

/// Finds, for every outcome, the single answer changes on the current path that
/// would flip its status. Flips come in the questionnaire's outcome order, then
/// in path order.
///
/// Each candidate is evaluated once, however many outcomes it flips; identical
/// candidate answers are tried once.
pub fn what_if(q: &Questionnaire, answers: &Answers, today: Date) -> Vec<Flip> {
    let (mut values, problems) = resolve_answers(q, answers);
    let base = evaluate_resolved(q, answers, &values, problems.clone(), today, false);
    let base_statuses = base.statuses(q);
    let base_by_index = by_index(&base.outcomes);
    let constants = compared_constants(q);
    // (outcome index, path position, candidate order, flip)
    let mut found: Vec<(usize, usize, usize, Flip)> = Vec::new();
    let mut order = 0usize;
    for (pos, &qi) in base.path.iter().enumerate() {
        let question = &q.questions[qi];
        let id = question.id().to_string();
        let current = answers.get(&id);
        let current_value = values[qi].clone();
        let mut tried: Vec<Value> = Vec::new();
        for cand in candidates(question, current, &constants[qi]) {
            let Ok(value) = question.resolve(&cand.answer) else {
                continue;
            };
            if Some(&value) == current_value.as_ref() || tried.contains(&value) {
                continue;
            }
            tried.push(value.clone());
            // Only the changed value is swapped in; the others stay checked.
            let kept = values[qi].replace(value);
            let after = evaluate_resolved(q, answers, &values, problems.clone(), today, false);
            values[qi] = kept;
            // Cheap check first: most candidates change nothing.
            if by_index(&after.outcomes) == base_by_index {
                order += 1;
                continue;
            }
            for change in diff(&base_statuses, &after.statuses(q)) {
                let Some(oi) = q.outcome_index(&change.id) else {
                    continue;
                };
                let title = &q.outcomes[oi].def.title;
                let text = format!(
                    "{}, {title} {}",
                    cand.phrase,
                    consequence(change.before, change.after)
                );
                found.push((
                    oi,
                    pos,
                    order,
                    Flip {
                        outcome: change.id,
                        question: id.clone(),
                        answer: cand.answer.clone(),
                        before: change.before,
                        after: change.after,
                        text,
                        change: cand
                            .phrase
                            .strip_prefix("If you ")
                            .unwrap_or(&cand.phrase)
                            .to_string(),
                    },
                ));
            }
            order += 1;
        }
    }
    found.sort_by_key(|(oi, pos, order, _)| (*oi, *pos, *order));
    found.into_iter().map(|(_, _, _, f)| f).collect()
}

/// Statuses by outcome index, for a comparison without allocating ids.
fn by_index(outcomes: &[OutcomeResult]) -> Vec<(usize, Status)> {
    outcomes.iter().map(|o| (o.index, o.status)).collect()
}

/// What the change does, as the end of a sentence.
fn consequence(before: Option<Status>, after: Option<Status>) -> &'static str {
    match (before, after) {
        (Some(Status::Applies), None) => "would no longer apply",
        (_, None) => "would not apply",
        (_, Some(Status::Applies)) => "would apply",
        (_, Some(Status::Provisional)) => "would become provisional",
    }
}

/// The answers worth trying for one question.
fn candidates(question: &Question, current: Option<&Answer>, constants: &[f64]) -> Vec<Candidate> {
    let short = question.short();
    let answered = |label: &str| format!("If you answered “{label}” to “{short}”");
    let mut out = Vec::new();
    match question.kind() {
        Kind::Single | Kind::YesNo => {
            for o in &question.options {
                out.push(Candidate {
                    answer: Answer::Choice(o.id.clone()),
                    phrase: o
                        .what_if
                        .as_ref()
                        .map_or_else(|| answered(&o.label), |w| format!("If you {w}")),
                });
            }
        }
        Kind::Multiple { .. } => {
            let ticked: Vec<String> = match current {
                Some(Answer::Choices(ids)) => ids.clone(),
                _ => Vec::new(),
            };
            let named = |o: &crate::questionnaire::ChoiceDef| {
                o.what_if
                    .as_ref()
                    .map_or_else(|| answered(&o.label), |w| format!("If you {w}"))
            };
            for o in &question.options {
                if ticked.contains(&o.id) {
                    let rest: Vec<String> =
                        ticked.iter().filter(|t| **t != o.id).cloned().collect();
                    out.push(Candidate {
                        answer: Answer::Choices(rest),
                        phrase: format!("If you had not ticked “{}” in “{short}”", o.label),
                    });
                    continue;
                }
                if o.exclusive || ticked.len() <= 1 {
                    // Alone: also the way out when unticking the only ticked
                    // option is refused (a minimum of one).
                    out.push(Candidate {
                        answer: Answer::Choices(vec![o.id.clone()]),
                        phrase: named(o),
                    });
                }
                if !o.exclusive && !ticked.is_empty() {
                    // Ticking an ordinary option unticks an exclusive one.
                    let mut ids: Vec<String> = ticked
                        .iter()
                        .filter(|t| {
                            question
                                .option_index(t)
                                .is_none_or(|i| !question.options[i].exclusive)
                        })
                        .cloned()
                        .collect();
                    ids.push(o.id.clone());
                    let phrase = o.what_if.as_ref().map_or_else(
                        || format!("If you also ticked “{}” in “{short}”", o.label),
                        |w| format!("If you also {w}"),
                    );
                    out.push(Candidate {
                        answer: Answer::Choices(ids),
                        phrase,
                    });
                }
            }
        }
        Kind::Number { unit, .. } => {
            for x in number_points(constants) {
                let text = crate::answers::format_number(x);
                let shown = match unit {
                    Some(u) => format!("{text} {u}"),
                    None => text.clone(),
                };
                out.push(Candidate {
                    answer: Answer::Number(text),
                    phrase: answered(&shown),
                });
            }
        }
        Kind::Text { .. } => return out,
    }
    if question.not_sure {
        out.push(Candidate {
            answer: Answer::NotSure,
            phrase: answered("not sure"),
        });
    }
    out
}

/// One number in every stretch of the number line where the comparisons with
/// `constants` (sorted, unique) all keep their truth: each constant itself
/// (where `Gt` and `Ge` differ), one point between neighbours, one below the
/// lowest and one above the highest.
fn number_points(constants: &[f64]) -> Vec<f64> {
    let (Some(&lo), Some(&hi)) = (constants.first(), constants.last()) else {
        return Vec::new();
    };
    // Multiplying by ten leaves float noise (1.3e25 × 10 = 1.2999999999999998e26):
    // round to six significant digits, far from any constant, so what-if
    // sentences show the number a person would type.
    let tidy = |x: f64| format!("{x:.6e}").parse::<f64>().unwrap_or(x);
    let mut points = vec![tidy(below(lo))];
    for (i, &c) in constants.iter().enumerate() {
        points.push(c);
        if let Some(&next) = constants.get(i + 1) {
            points.push(between(c, next));
        }
    }
    points.push(tidy(above(hi)));
    points
}

/// A round number strictly between `a` and `b` when there is one.
fn between(a: f64, b: f64) -> f64 {
    let mid = if a > 0.0 && b / a > 4.0 {
        (a * b).sqrt()
    } else {
        a + (b - a) / 2.0
    };
    let round: f64 = format!("{mid:.1e}").parse().unwrap_or(mid);
    if round > a && round < b { round } else { mid }
}

fn below(c: f64) -> f64 {
    if c > 0.0 {
        c / 10.0
    } else if c == 0.0 {
        -1.0
    } else {
        c * 10.0
    }
}

fn above(c: f64) -> f64 {
    if c > 0.0 {
        c * 10.0
    } else if c == 0.0 {
        1.0
    } else {
        c / 10.0
    }
}

/// For every question, the constants any condition compares it with (routes,
/// facts, outcomes and applies-from dates), sorted and unique.
fn compared_constants(q: &Questionnaire) -> Vec<Vec<f64>> {
    let mut out: Vec<Vec<f64>> = vec![Vec::new(); q.questions.len()];
    let mut roots: Vec<&Cond> = Vec::new();
    for question in &q.questions {
        if let Routing::Routes(routes) = &question.routing {
            roots.extend(routes.iter().filter_map(|(c, _)| c.as_ref()));
        }
    }
    roots.extend(q.facts.iter().map(|f| &f.cond));
    for o in &q.outcomes {
        roots.push(&o.cond);
        roots.extend(o.applies_from.iter().filter_map(|(c, _)| c.as_ref()));
    }
    let mut stack = roots;
    while let Some(c) = stack.pop() {
        match c {
            Cond::Cmp(qi, _, x) => push_constant(&mut out[*qi], *x),
            Cond::All(cs) | Cond::Any(cs) => stack.extend(cs.iter()),
            Cond::Not(inner) => stack.push(inner),
            _ => {}
        }
    }
    for v in &mut out {
        v.sort_by(f64::total_cmp);
        v.dedup();
    }
    out
}

fn push_constant(v: &mut Vec<f64>, x: f64) {
    if x.is_finite() {
        v.push(x);
    }
}
