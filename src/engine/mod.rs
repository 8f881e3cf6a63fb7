//! The engine: walks a questionnaire from a set of answers and says which
//! outcomes apply, which are provisional, and why. Pure and free of I/O: the
//! assessment date is a parameter, and the same answers always give the same
//! evaluation.

mod diff;
mod eval;
mod whatif;

use std::collections::HashMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use diff::{Change, diff};
use eval::{Evaluator, St};
pub use whatif::{Flip, FlipGroup, Relevance, group_by_question, what_if};

use crate::answers::Answers;
use crate::questionnaire::{Cond, QIdx, Questionnaire, Routing, Target, Value};

/// Three-valued truth: a condition reading a "not sure" answer, or a question
/// still ahead, is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    pub fn from_bool(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }

    /// Negation; unknown stays unknown.
    pub fn negate(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

/// Whether an outcome applies or only might.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Applies,
    Provisional,
}

/// One answer or fact that made an outcome what it is, in the content's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// The question this reason is about, if it is an answer.
    pub question: Option<String>,
    /// The fact this reason is about, if it is a fact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    /// The answer in the content's words (option labels, the number as typed).
    pub answer: Option<String>,
    /// A sentence-like line for people.
    pub text: String,
}

/// An outcome that applies or is provisional.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeResult {
    /// Index into `Questionnaire::outcomes`.
    pub index: usize,
    pub status: Status,
    pub reasons: Vec<Reason>,
    /// The date from which it applies, if the content gives one.
    pub applies_from: Option<Date>,
}

impl OutcomeResult {
    /// Whether it is already in force on `today`.
    pub fn in_force(&self, today: Date) -> bool {
        self.applies_from.is_none_or(|d| d <= today)
    }
}

/// An answer that does not fit its question (an unknown option, a malformed
/// number), kept in the answers but not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerProblem {
    pub question: String,
    pub message: String,
}

/// Everything the interface and reports need about a set of answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The questions on the path, in order; the last is `current` when the
    /// session is not complete.
    pub path: Vec<QIdx>,
    /// The first question on the path still needing an answer.
    pub current: Option<QIdx>,
    /// Fewest and most questions left, the current one included.
    pub remaining: (u32, u32),
    /// Applying and provisional outcomes, in the questionnaire's order.
    pub outcomes: Vec<OutcomeResult>,
    /// Answers that were given but could not be used.
    pub problems: Vec<AnswerProblem>,
    /// Answered questions off the path: kept, ignored.
    pub off_path: Vec<QIdx>,
    /// The assessment date.
    pub today: Date,
    /// Information screens on the path (they are passed, not answered).
    pub info_screens: usize,
    /// The outcome the path ended in, when a route concluded with one
    /// (format 2's `Conclude`).
    pub concluded: Option<usize>,
}

impl Evaluation {
    /// Per question: on the path, or still reachable beyond the first open
    /// question. An answer to any other question cannot count any more (the
    /// other answers lead past it); answers to these may, once the path
    /// gets there. Iterative, like every walk of the question graph.
    pub fn reachable(&self, q: &Questionnaire) -> Vec<bool> {
        let mut reachable = vec![false; q.questions.len()];
        for &i in &self.path {
            reachable[i] = true;
        }
        let mut stack: Vec<usize> = self.current.into_iter().collect();
        while let Some(i) = stack.pop() {
            for &next in &q.successors[i] {
                if !reachable[next] {
                    reachable[next] = true;
                    stack.push(next);
                }
            }
        }
        reachable
    }

    pub fn is_complete(&self) -> bool {
        self.current.is_none()
    }

    /// Where the complete path ended: the end, or the outcome a route
    /// concluded with; `None` while a question is still open.
    pub fn end(&self) -> Option<Target> {
        self.is_complete()
            .then(|| self.concluded.map_or(Target::End, Target::Conclude))
    }

    /// How many questions on the path are answered (information screens
    /// are not questions).
    pub fn answered(&self) -> usize {
        self.path.len() - usize::from(self.current.is_some()) - self.info_screens
    }

    /// The outcome statuses by id, for diffs and saved sessions.
    pub fn statuses(&self, q: &Questionnaire) -> Vec<(String, Status)> {
        self.outcomes
            .iter()
            .map(|o| (q.outcomes[o.index].def.id.clone(), o.status))
            .collect()
    }

    /// The outcomes that tell the user where they stand: every applying or
    /// provisional outcome except those in `background` groups. Counts,
    /// statuses and summaries read these.
    pub fn results<'a>(&'a self, q: &'a Questionnaire) -> impl Iterator<Item = &'a OutcomeResult> {
        self.outcomes.iter().filter(|o| !q.is_background(o.index))
    }

    /// The outcomes in `background` groups: context to show in a section of
    /// its own, without status words.
    pub fn background<'a>(
        &'a self,
        q: &'a Questionnaire,
    ) -> impl Iterator<Item = &'a OutcomeResult> {
        self.outcomes.iter().filter(|o| q.is_background(o.index))
    }

    /// [`Evaluation::statuses`] of results only (no background outcomes), for
    /// comparisons people read.
    pub fn result_statuses(&self, q: &Questionnaire) -> Vec<(String, Status)> {
        self.results(q)
            .map(|o| (q.outcomes[o.index].def.id.clone(), o.status))
            .collect()
    }

    pub fn outcome(&self, index: usize) -> Option<&OutcomeResult> {
        self.outcomes.iter().find(|o| o.index == index)
    }
}

/// Checks every answer against its question. Answers to unknown questions and
/// answers that do not fit are reported, not used.
pub fn resolve_answers(
    q: &Questionnaire,
    answers: &Answers,
) -> (Vec<Option<Value>>, Vec<AnswerProblem>) {
    let mut values: Vec<Option<Value>> = vec![None; q.questions.len()];
    let mut problems = Vec::new();
    for (id, answer) in answers {
        match q.question_index(id) {
            Some(i) => match q.questions[i].resolve(answer) {
                Ok(v) => values[i] = Some(v),
                Err(message) => problems.push(AnswerProblem {
                    question: id.clone(),
                    message,
                }),
            },
            None => problems.push(AnswerProblem {
                question: id.clone(),
                message: "there is no such question in this questionnaire".to_string(),
            }),
        }
    }
    (values, problems)
}

/// Evaluates a set of answers on a given date.
pub fn evaluate(q: &Questionnaire, answers: &Answers, today: Date) -> Evaluation {
    evaluate_with(q, answers, today, true)
}

/// [`evaluate`], optionally without reasons (every `reasons` list left empty):
/// the same path and statuses at a fraction of the cost, for searches.
pub(crate) fn evaluate_with(
    q: &Questionnaire,
    answers: &Answers,
    today: Date,
    with_reasons: bool,
) -> Evaluation {
    let (values, problems) = resolve_answers(q, answers);
    evaluate_resolved(q, answers, &values, problems, today, with_reasons)
}

/// The evaluation proper, from answers already checked by
/// [`resolve_answers`]; `answers` is read only for the words of reasons.
/// The what-if search swaps one value at a time without re-checking the rest.
pub(crate) fn evaluate_resolved(
    q: &Questionnaire,
    answers: &Answers,
    values: &[Option<Value>],
    problems: Vec<AnswerProblem>,
    today: Date,
    with_reasons: bool,
) -> Evaluation {
    let n = q.questions.len();

    // Walk the path. Questions not (yet) on the path are absent while routing:
    // validation guarantees routes only read questions that come before.
    let mut states: Vec<St> = vec![St::Absent; n];
    let mut on_path = vec![false; n];
    let mut path = Vec::new();
    let mut current = None;
    let mut at = if n == 0 { None } else { Some(0) };
    // Format 2's conclusions: where the path ended, whether every turn that
    // led there was certain, the turns not taken because an answer was
    // unsure (their conclusions might still apply), and the answers behind
    // the turns, as reasons.
    let mut concluded: Option<usize> = None;
    let mut uncertain = false;
    let mut untaken: Vec<Target> = Vec::new();
    let mut turn_reasons: Vec<Reason> = Vec::new();
    // Only conclusions read the turns' reasons: without any, none are made.
    let turn_words = with_reasons && q.concludes;
    while let Some(qi) = at {
        if on_path[qi] {
            // Unreachable for a validated questionnaire; never loop forever.
            break;
        }
        on_path[qi] = true;
        path.push(qi);
        let question = &q.questions[qi];
        // An information screen takes no answer: the path passes through.
        let value = if question.is_info() {
            None
        } else {
            let Some(value) = &values[qi] else {
                current = Some(qi);
                break;
            };
            states[qi] = St::Answered;
            Some(value)
        };
        let by_option = match value {
            Some(Value::Choice(o)) => question.option_next.get(*o).copied().flatten(),
            Some(Value::NotSure) => {
                // Unsure where the options lead: each of their ways might be
                // the one, and the question's own routing is taken.
                let ways: Vec<Target> = question.option_next.iter().flatten().copied().collect();
                if !ways.is_empty() {
                    uncertain = true;
                    untaken.extend(ways);
                    if turn_words {
                        let ev = evaluator(q, answers, values, &states, true);
                        turn_reasons.extend(ev.eval(&Cond::Answered(qi)).1);
                    }
                }
                None
            }
            _ => None,
        };
        if by_option.is_some() && turn_words {
            let ev = evaluator(q, answers, values, &states, true);
            turn_reasons.extend(ev.eval(&Cond::Answered(qi)).1);
        }
        let target = by_option.unwrap_or_else(|| match &question.routing {
            Routing::Goto(t) => *t,
            Routing::Routes(routes) => {
                let ev = evaluator(q, answers, values, &states, with_reasons);
                let mut taken = None;
                for (ri, (cond, t)) in routes.iter().enumerate() {
                    let (tri, reasons) = cond
                        .as_ref()
                        .map_or((Tri::True, Vec::new()), |c| ev.eval(c));
                    if tri == Tri::False {
                        continue;
                    }
                    // Unknown is taken: the questions behind it may matter.
                    // The routes after it might have been taken instead.
                    if tri == Tri::Unknown {
                        uncertain = true;
                        for (later, t) in &routes[ri + 1..] {
                            untaken.push(*t);
                            let sure = later.as_ref().is_none_or(|c| ev.eval(c).0 == Tri::True);
                            if sure {
                                break;
                            }
                        }
                    }
                    if turn_words {
                        turn_reasons.extend(reasons);
                    }
                    taken = Some(*t);
                    break;
                }
                taken.unwrap_or(Target::End)
            }
        });
        at = match target {
            Target::Question(next) => Some(next),
            Target::End => None,
            Target::Conclude(o) => {
                concluded = Some(o);
                None
            }
        };
    }

    // For outcomes: questions that may still be asked are unknown.
    if let Some(c) = current {
        let mut stack = vec![c];
        let mut seen = vec![false; n];
        seen[c] = true;
        while let Some(x) = stack.pop() {
            states[x] = St::Pending;
            for &s in &q.successors[x] {
                if !seen[s] {
                    seen[s] = true;
                    stack.push(s);
                }
            }
        }
    }
    let off_path: Vec<QIdx> = (0..n)
        .filter(|&i| values[i].is_some() && !on_path[i])
        .collect();

    let ev = evaluator(q, answers, values, &states, with_reasons);
    // Conclusions the path might still end in: from the question still to
    // answer, and from the ways not taken because an answer was unsure.
    let mut might_conclude = vec![false; q.outcomes.len()];
    if let Some(c) = current {
        untaken.push(Target::Question(c));
        if turn_words {
            turn_reasons.extend(ev.eval(&Cond::Answered(c)).1);
        }
    }
    // One answer may have steered several turns: each is said once.
    eval::dedupe(&mut turn_reasons);
    if q.concludes && !untaken.is_empty() {
        mark_conclusions(q, &untaken, &mut might_conclude);
    }
    let mut outcomes = Vec::new();
    for (index, outcome) in q.outcomes.iter().enumerate() {
        let (tri, reasons) = ev.eval(&outcome.cond);
        let by_route = if concluded == Some(index) {
            if uncertain { Tri::Unknown } else { Tri::True }
        } else if might_conclude[index] {
            Tri::Unknown
        } else {
            Tri::False
        };
        let (status, reasons) = match (tri, by_route) {
            (Tri::True, _) => (Status::Applies, reasons),
            (_, Tri::True) => (Status::Applies, turn_reasons.clone()),
            (Tri::Unknown, Tri::Unknown) => {
                let mut all = reasons;
                all.extend(turn_reasons.iter().cloned());
                eval::dedupe(&mut all);
                (Status::Provisional, all)
            }
            (Tri::Unknown, Tri::False) => (Status::Provisional, reasons),
            (Tri::False, Tri::Unknown) => (Status::Provisional, turn_reasons.clone()),
            (Tri::False, Tri::False) => continue,
        };
        let applies_from = applies_from(&ev, &outcome.applies_from);
        outcomes.push(OutcomeResult {
            index,
            status,
            reasons,
            applies_from,
        });
    }
    let remaining = current.map_or((0, 0), |c| q.remaining[c]);
    let info_screens = path.iter().filter(|&&i| q.questions[i].is_info()).count();
    Evaluation {
        info_screens,
        concluded,
        path,
        current,
        remaining,
        outcomes,
        problems,
        off_path,
        today,
    }
}

/// Marks the outcomes that a path from any of `from` could conclude with:
/// direct `Conclude` targets and those of every question reachable from a
/// question target. Iterative, like every walk of the question graph.
fn mark_conclusions(q: &Questionnaire, from: &[Target], marks: &mut [bool]) {
    let mut seen = vec![false; q.questions.len()];
    let mut stack = Vec::new();
    for t in from {
        match *t {
            Target::Conclude(o) => marks[o] = true,
            Target::Question(i) if !seen[i] => {
                seen[i] = true;
                stack.push(i);
            }
            _ => {}
        }
    }
    while let Some(x) = stack.pop() {
        for &o in &q.conclusions[x] {
            marks[o] = true;
        }
        for &s in &q.successors[x] {
            if !seen[s] {
                seen[s] = true;
                stack.push(s);
            }
        }
    }
}

/// The first `applies_from` rule that holds gives the date. A rule whose
/// condition is unknown might hold, so its date is a candidate too, and the
/// earliest candidate wins: when unsure, never suggest more time than there is.
fn applies_from(
    ev: &Evaluator,
    rules: &[(Option<crate::questionnaire::Cond>, Date)],
) -> Option<Date> {
    let mut earliest: Option<Date> = None;
    for (cond, date) in rules {
        let tri = cond.as_ref().map_or(Tri::True, |c| ev.eval(c).0);
        if tri == Tri::False {
            continue;
        }
        earliest = Some(earliest.map_or(*date, |e| e.min(*date)));
        if tri == Tri::True {
            break;
        }
    }
    earliest
}

fn evaluator<'a>(
    q: &'a Questionnaire,
    answers: &'a Answers,
    values: &'a [Option<Value>],
    states: &'a [St],
    with_reasons: bool,
) -> Evaluator<'a> {
    let ev = Evaluator::new(q, answers, values, states);
    if with_reasons {
        ev
    } else {
        ev.without_reasons()
    }
}

/// The answers that count: those on the path, by question id.
pub fn effective_answers(q: &Questionnaire, answers: &Answers, ev: &Evaluation) -> Answers {
    ev.path
        .iter()
        .filter_map(|&i| {
            let id = q.questions[i].id();
            answers.get(id).map(|a| (id.to_string(), a.clone()))
        })
        .filter(|(id, _)| !ev.problems.iter().any(|p| &p.question == id))
        .collect()
}

/// Outcome statuses keyed by id, for quick lookups.
pub fn status_map(statuses: &[(String, Status)]) -> HashMap<&str, Status> {
    statuses.iter().map(|(id, s)| (id.as_str(), *s)).collect()
}
