//! "What would change this": the single answer changes on the current path
//! that would flip an outcome (applies ↔ does not apply, provisional ↔
//! decided) or move the date from which it applies, found by trying them,
//! said in the content's own words, and ranked so that what matters comes
//! first (see [`Relevance`]).
//!
//! Nothing here is written by hand: every flip is the result of evaluating the
//! changed answers with [`evaluate`], so a flip that is reported is a flip that
//! happens.

use jiff::civil::Date;
use serde::Serialize;

use super::{OutcomeResult, Status, evaluate_resolved, resolve_answers};
use crate::answers::{Answer, Answers};
use crate::messages::{Messages, fill};
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
    /// The outcome's applies-from date now (`None`: no date, or it does not apply).
    pub from_before: Option<Date>,
    /// The outcome's applies-from date with the changed answer.
    pub from_after: Option<Date>,
    /// The sentence for people ("If you charged for support, … would no longer apply").
    pub text: String,
    /// The change alone, completing "If you …" ("charged for support", or
    /// "answered “No” to “Gated”"), for lists grouped by outcome.
    pub change: String,
    /// What happens to the outcome, ending a sentence that starts with its
    /// title ("would no longer apply", "would apply from 2 August 2027
    /// instead of 2 August 2025"), for lists grouped by outcome.
    pub consequence: String,
    /// Why this flip is ranked where it is; see [`Relevance`].
    pub relevance: Relevance,
}

impl Flip {
    /// Whether the change decides the outcome (applies ↔ does not, or moves
    /// the date of an outcome that would then apply), rather than only making
    /// it uncertain (provisional) because a new question opens up.
    pub fn is_decisive(&self) -> bool {
        self.relevance.decisive
    }

    /// Whether the change moves the date from which the outcome applies,
    /// while it applies (or may) either way: a date cut-off.
    pub fn changes_date(&self) -> bool {
        self.relevance.date
    }
}

/// The facts about a flip that rank it, all read from the evaluation and the
/// content (never from ids), so any questionnaire ranks the same way.
///
/// Flips are ranked by [`Relevance::key`], most relevant first:
///
/// 1. flips of ordinary outcomes before flips of outcomes in a `background`
///    group (content that informs, not a result);
/// 2. decisive flips before those that only make an outcome provisional;
/// 3. changes to any answer but the first question's before changes to the
///    first question: every session starts there, and it says what is being
///    assessed, so changing it describes another thing rather than a choice
///    about this one;
/// 4. date cut-offs (the change moves when an outcome applies) first: a date
///    is easy to miss and hard to undo;
/// 5. outcomes in groups with a lower `order` first: content authors put what
///    matters most (whether the law applies, duties) before what matters less
///    (points to check, good practice), so the display order is the weight;
/// 6. changes that add or remove fewer other questions first: they keep the
///    rest of the answers meaningful;
/// 7. questions later on the path first: they are the details of this case;
/// 8. then the questionnaire's order (outcome, path, option), so the ranking
///    is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Relevance {
    /// The outcome is in a group the content marks `background`.
    pub background: bool,
    /// See [`Flip::is_decisive`].
    pub decisive: bool,
    /// The changed question is the first one, where every session starts.
    pub first_question: bool,
    /// See [`Flip::changes_date`].
    pub date: bool,
    /// The `order` of the outcome's group.
    pub weight: i32,
    /// How many questions the change adds to or removes from the path.
    pub disruption: usize,
    /// Where the changed question is on the current path (0 is the first).
    pub position: usize,
}

impl Relevance {
    /// The sort key: smaller is more relevant (see the type's documentation).
    pub fn key(&self) -> impl Ord + use<> {
        (
            self.background,
            !self.decisive,
            self.first_question,
            !self.date,
            self.weight,
            self.disruption,
            std::cmp::Reverse(self.position),
        )
    }
}

/// A candidate answer and how to say it: the change completes "If you …".
struct Candidate {
    answer: Answer,
    change: String,
}

/// Finds, for every outcome, the single answer changes on the current path
/// that would flip its status or move its applies-from date, and returns
/// **all** of them ranked most relevant first (see [`Relevance`]). A list
/// for one outcome is `what_if(…).filter(|f| f.outcome == id)`: it keeps the
/// ranking.
///
/// Each candidate is evaluated once, however many outcomes it flips; identical
/// candidate answers are tried once.
pub fn what_if(q: &Questionnaire, answers: &Answers, today: Date) -> Vec<Flip> {
    let (mut values, problems) = resolve_answers(q, answers);
    let base = evaluate_resolved(q, answers, &values, problems.clone(), today, false);
    let base_by_outcome = by_outcome(q, &base.outcomes);
    let mut base_on_path = vec![false; q.questions.len()];
    for &qi in &base.path {
        base_on_path[qi] = true;
    }
    let constants = compared_constants(q);
    let m = crate::messages::for_language(&q.meta.language);
    // (outcome index, path position, candidate order, flip): the last ties of the ranking.
    let mut found: Vec<(usize, usize, usize, Flip)> = Vec::new();
    let mut order = 0usize;
    for (pos, &qi) in base.path.iter().enumerate() {
        let question = &q.questions[qi];
        let id = question.id().to_string();
        let current = answers.get(&id);
        let current_value = values[qi].clone();
        let mut tried: Vec<Value> = Vec::new();
        for cand in candidates(question, current, &constants[qi], m) {
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
            let after_by_outcome = by_outcome(q, &after.outcomes);
            // Cheap check first: most candidates change nothing.
            if after_by_outcome == base_by_outcome {
                order += 1;
                continue;
            }
            let disruption = after.path.iter().filter(|&&i| !base_on_path[i]).count()
                + base.path.len()
                - after.path.iter().filter(|&&i| base_on_path[i]).count();
            let change = cand.change.clone();
            for (oi, (was, now)) in base_by_outcome.iter().zip(&after_by_outcome).enumerate() {
                if was == now {
                    continue;
                }
                let (before, from_before) = was.map_or((None, None), |(s, d)| (Some(s), d));
                let (after_status, from_after) = now.map_or((None, None), |(s, d)| (Some(s), d));
                let outcome = &q.outcomes[oi];
                let date = before.is_some() && after_status.is_some() && from_before != from_after;
                let consequence = consequence(before, after_status, from_before, from_after, m);
                let title = &outcome.def.title;
                let group = &q.groups[outcome.group];
                found.push((
                    oi,
                    pos,
                    order,
                    Flip {
                        outcome: outcome.id().to_string(),
                        question: id.clone(),
                        answer: cand.answer.clone(),
                        before,
                        after: after_status,
                        from_before,
                        from_after,
                        text: fill(
                            &m.engine.flip,
                            &[
                                ("change", &change),
                                ("title", title),
                                ("consequence", &consequence),
                            ],
                        ),
                        change: change.clone(),
                        consequence,
                        relevance: Relevance {
                            background: group.background,
                            decisive: after_status != Some(Status::Provisional),
                            first_question: pos == 0,
                            date,
                            weight: group.order,
                            disruption,
                            position: pos,
                        },
                    },
                ));
            }
            order += 1;
        }
    }
    found.sort_by_key(|(oi, pos, order, f)| (f.relevance.key(), *oi, *pos, *order));
    found.into_iter().map(|(_, _, _, f)| f).collect()
}

/// Flips of one outcome, by one question, with one consequence: the options
/// of a question that all do the same thing ("if you had launched in 2026, in
/// 2027 or in 2028, … would apply from …"), for short lists that should name
/// each question once.
#[derive(Debug, Clone, PartialEq)]
pub struct FlipGroup<'a> {
    /// The flips, in rank order; never empty.
    pub flips: Vec<&'a Flip>,
}

impl<'a> FlipGroup<'a> {
    /// The most relevant flip of the group.
    pub fn first(&self) -> &'a Flip {
        self.flips[0]
    }

    /// The first flip's sentence, naming how many other answers to the same
    /// question would do the same: "If you had launched early (or 2 other
    /// answers to “Launch”), Open model duty would apply from …".
    pub fn text(&self, q: &Questionnaire) -> String {
        let first = self.first();
        let others = self.flips.len() - 1;
        if others == 0 {
            return first.text.clone();
        }
        let short = q
            .question(&first.question)
            .map_or(first.question.as_str(), |x| x.short());
        let title = q
            .outcome(&first.outcome)
            .map_or(first.outcome.as_str(), |o| o.def.title.as_str());
        let w = &crate::messages::for_language(&q.meta.language).engine;
        let template = if others == 1 {
            &w.flip_others_one
        } else {
            &w.flip_others_other
        };
        fill(
            template,
            &[
                ("change", &first.change),
                ("n", &others),
                ("question", &short),
                ("title", &title),
                ("consequence", &first.consequence),
            ],
        )
    }
}

/// Groups ranked flips (as [`what_if`] returns them) by outcome, question and
/// consequence, keeping the ranking: a group comes where its most relevant
/// flip ranks. A short list ("the first four for this outcome") then shows
/// four different questions, not four options of the same one.
pub fn group_by_question(flips: &[Flip]) -> Vec<FlipGroup<'_>> {
    let mut groups: Vec<FlipGroup> = Vec::new();
    for f in flips {
        let same = |g: &FlipGroup| {
            let x = g.first();
            x.outcome == f.outcome && x.question == f.question && x.consequence == f.consequence
        };
        match groups.iter_mut().find(|g| same(g)) {
            Some(g) => g.flips.push(f),
            None => groups.push(FlipGroup { flips: vec![f] }),
        }
    }
    groups
}

/// For every outcome (by index), its status and applies-from date, or `None`
/// when it does not apply: one comparison tells whether a change did anything.
fn by_outcome(
    q: &Questionnaire,
    outcomes: &[OutcomeResult],
) -> Vec<Option<(Status, Option<Date>)>> {
    let mut out = vec![None; q.outcomes.len()];
    for o in outcomes {
        out[o.index] = Some((o.status, o.applies_from));
    }
    out
}

/// What the change does, as the end of a sentence.
fn consequence(
    before: Option<Status>,
    after: Option<Status>,
    from_before: Option<Date>,
    from_after: Option<Date>,
    m: &Messages,
) -> String {
    let w = &m.engine;
    if before.is_some() && before == after {
        // Only the date moves.
        let provisional = after == Some(Status::Provisional);
        let when = match (from_after, from_before) {
            (Some(a), Some(b)) => fill(
                &w.from_instead_of,
                &[("date", &m.long_date(a)), ("old", &m.long_date(b))],
            ),
            (Some(a), None) => fill(&w.only_from, &[("date", &m.long_date(a))]),
            (None, Some(b)) => fill(&w.without_waiting, &[("date", &m.long_date(b))]),
            (None, None) => {
                return if provisional {
                    &w.might_apply
                } else {
                    &w.would_apply
                }
                .clone();
            }
        };
        let verb = if provisional {
            &w.might_apply_when
        } else {
            &w.would_apply_when
        };
        return fill(verb, &[("when", &when)]);
    }
    match (before, after) {
        (Some(Status::Applies), None) => &w.would_no_longer_apply,
        (_, None) => &w.would_not_apply,
        (_, Some(Status::Applies)) => &w.would_apply,
        (_, Some(Status::Provisional)) => &w.would_become_provisional,
    }
    .clone()
}

/// The answers worth trying for one question.
fn candidates(
    question: &Question,
    current: Option<&Answer>,
    constants: &[f64],
    m: &Messages,
) -> Vec<Candidate> {
    let w = &m.engine;
    let short = question.short();
    let answered = |label: &str| fill(&w.answered, &[("answer", &label), ("question", &short)]);
    let mut out = Vec::new();
    match question.kind() {
        // An information screen has no answer to change.
        Kind::Info => {}
        Kind::Single | Kind::YesNo => {
            for o in &question.options {
                out.push(Candidate {
                    answer: Answer::Choice(o.id.clone()),
                    change: o.what_if.clone().unwrap_or_else(|| answered(&o.label)),
                });
            }
        }
        Kind::Multiple { .. } => {
            let ticked: Vec<String> = match current {
                Some(Answer::Choices(ids)) => ids.clone(),
                _ => Vec::new(),
            };
            let named = |o: &crate::questionnaire::ChoiceDef| {
                o.what_if.clone().unwrap_or_else(|| answered(&o.label))
            };
            for o in &question.options {
                if ticked.contains(&o.id) {
                    let rest: Vec<String> =
                        ticked.iter().filter(|t| **t != o.id).cloned().collect();
                    out.push(Candidate {
                        answer: Answer::Choices(rest),
                        change: fill(&w.not_ticked, &[("option", &o.label), ("question", &short)]),
                    });
                    continue;
                }
                if o.exclusive || ticked.len() <= 1 {
                    // Alone: also the way out when unticking the only ticked
                    // option is refused (a minimum of one).
                    out.push(Candidate {
                        answer: Answer::Choices(vec![o.id.clone()]),
                        change: named(o),
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
                    let change = o.what_if.as_ref().map_or_else(
                        || {
                            fill(
                                &w.also_ticked,
                                &[("option", &o.label), ("question", &short)],
                            )
                        },
                        |phrase| fill(&w.also, &[("change", phrase)]),
                    );
                    out.push(Candidate {
                        answer: Answer::Choices(ids),
                        change,
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
                    change: answered(&shown),
                });
            }
        }
        Kind::Text { .. } => return out,
    }
    if question.not_sure {
        out.push(Candidate {
            answer: Answer::NotSure,
            change: answered(&w.not_sure),
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
