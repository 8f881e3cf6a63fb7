//! Three-valued evaluation of conditions, collecting the reasons behind each
//! result in the content's words.

use std::cell::RefCell;
use std::collections::HashMap;

use super::{Reason, Tri};
use crate::answers::Answers;
use crate::messages::{Messages, fill};
use crate::questionnaire::{Cond, FIdx, QIdx, Questionnaire, Value};

/// What is known about a question at evaluation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum St {
    /// Answered on the path: its value counts.
    Answered,
    /// On the path ahead or reachable from there: unknown.
    Pending,
    /// Off the path: not the case.
    Absent,
}

pub(crate) struct Evaluator<'a> {
    q: &'a Questionnaire,
    answers: &'a Answers,
    values: &'a [Option<Value>],
    states: &'a [St],
    /// Whether to collect reasons; the what-if search needs only the truth.
    reasons: bool,
    /// The words of reasons: the questionnaire's language.
    words: &'static Messages,
    facts: RefCell<HashMap<FIdx, (Tri, Vec<Reason>)>>,
}

impl<'a> Evaluator<'a> {
    pub(crate) fn new(
        q: &'a Questionnaire,
        answers: &'a Answers,
        values: &'a [Option<Value>],
        states: &'a [St],
    ) -> Self {
        Evaluator {
            q,
            answers,
            values,
            states,
            reasons: true,
            words: crate::messages::for_language(&q.meta.language),
            facts: RefCell::new(HashMap::new()),
        }
    }

    /// The same evaluation without reasons: much cheaper, for searches that
    /// evaluate many variants of the answers and only compare statuses.
    pub(crate) fn without_reasons(mut self) -> Self {
        self.reasons = false;
        self
    }

    /// Evaluates a condition and returns the reasons for its value: for true,
    /// what made it true; for false, what made it false; for unknown, the
    /// answers still missing or unsure.
    pub(crate) fn eval(&self, c: &Cond) -> (Tri, Vec<Reason>) {
        let (tri, mut reasons) = self.eval_inner(c);
        if !reasons.is_empty() {
            dedupe(&mut reasons);
        }
        (tri, reasons)
    }

    fn eval_inner(&self, c: &Cond) -> (Tri, Vec<Reason>) {
        match c {
            Cond::Always => (Tri::True, Vec::new()),
            Cond::Answered(q) => self.leaf(*q, |_| Tri::True, Tri::False),
            Cond::NotSure(q) => self.leaf(*q, |v| Tri::from_bool(*v == Value::NotSure), Tri::False),
            Cond::Is(q, o) => self.choice_leaf(*q, |v| match v {
                Value::Choice(x) => Tri::from_bool(x == o),
                _ => Tri::False,
            }),
            Cond::In(q, os) => self.choice_leaf(*q, |v| match v {
                Value::Choice(x) => Tri::from_bool(os.contains(x)),
                _ => Tri::False,
            }),
            Cond::Includes(q, o) => self.choice_leaf(*q, |v| match v {
                Value::Choices(xs) => Tri::from_bool(xs.contains(o)),
                _ => Tri::False,
            }),
            Cond::IncludesAny(q, os) => self.choice_leaf(*q, |v| match v {
                Value::Choices(xs) => Tri::from_bool(xs.iter().any(|x| os.contains(x))),
                _ => Tri::False,
            }),
            Cond::Cmp(q, op, right) => self.choice_leaf(*q, |v| match v {
                Value::Number(n) => Tri::from_bool(op.holds(*n, *right)),
                _ => Tri::False,
            }),
            Cond::All(cs) => self.combine(cs, Tri::False),
            Cond::Any(cs) => self.combine(cs, Tri::True),
            Cond::Not(inner) => {
                let (t, r) = self.eval_inner(inner);
                (t.negate(), r)
            }
            Cond::Fact(f) => self.fact(*f),
        }
    }

    /// `All` is decided by a false part and `Any` by a true one (`decisive`):
    /// the reasons are those of every decisive part, or of every part when
    /// none is.
    fn combine(&self, cs: &[Cond], decisive: Tri) -> (Tri, Vec<Reason>) {
        let mut unknown_reasons = Vec::new();
        let mut other_reasons = Vec::new();
        let mut decisive_reasons = Vec::new();
        let mut any_unknown = false;
        let mut decided = false;
        for c in cs {
            let (t, r) = self.eval_inner(c);
            if t == decisive {
                // Keep going: every decisive part is a reason worth showing.
                decided = true;
                decisive_reasons.extend(r);
                continue;
            }
            if decided {
                continue;
            }
            if t == Tri::Unknown {
                any_unknown = true;
                unknown_reasons.extend(r);
            } else {
                other_reasons.extend(r);
            }
        }
        if decided {
            (decisive, decisive_reasons)
        } else if any_unknown {
            (Tri::Unknown, unknown_reasons)
        } else {
            (decisive.negate(), other_reasons)
        }
    }

    /// A leaf on a choice or number: "not sure" is unknown.
    fn choice_leaf(&self, q: QIdx, test: impl Fn(&Value) -> Tri) -> (Tri, Vec<Reason>) {
        self.leaf(
            q,
            |v| {
                if *v == Value::NotSure {
                    Tri::Unknown
                } else {
                    test(v)
                }
            },
            Tri::False,
        )
    }

    fn leaf(&self, q: QIdx, test: impl Fn(&Value) -> Tri, absent: Tri) -> (Tri, Vec<Reason>) {
        match self.states[q] {
            St::Absent => (absent, Vec::new()),
            St::Pending => (Tri::Unknown, self.one(|| self.pending_reason(q))),
            St::Answered => match &self.values[q] {
                Some(v) => (test(v), self.one(|| self.answer_reason(q))),
                None => (Tri::Unknown, self.one(|| self.pending_reason(q))),
            },
        }
    }

    /// One reason, built only when reasons are wanted.
    fn one(&self, make: impl FnOnce() -> Reason) -> Vec<Reason> {
        if self.reasons {
            vec![make()]
        } else {
            Vec::new()
        }
    }

    fn answer_reason(&self, q: QIdx) -> Reason {
        let question = &self.q.questions[q];
        let answer = self
            .answers
            .get(question.id())
            .map(|a| question.describe_in(a, &self.words.engine.not_sure))
            .unwrap_or_default();
        Reason {
            question: Some(question.id().to_string()),
            fact: None,
            text: format!("{}: {answer}", question.short()),
            answer: Some(answer),
        }
    }

    fn pending_reason(&self, q: QIdx) -> Reason {
        let question = &self.q.questions[q];
        Reason {
            question: Some(question.id().to_string()),
            fact: None,
            answer: None,
            text: fill(
                &self.words.engine.not_answered_yet,
                &[("question", &question.short())],
            ),
        }
    }

    fn fact(&self, f: FIdx) -> (Tri, Vec<Reason>) {
        if let Some(hit) = self.facts.borrow().get(&f) {
            return hit.clone();
        }
        let fact = &self.q.facts[f];
        let (tri, inner) = self.eval_inner(&fact.cond);
        let reasons = match tri {
            _ if !self.reasons => Vec::new(),
            Tri::True => vec![Reason {
                question: None,
                fact: Some(fact.def.id.clone()),
                answer: None,
                text: fact.def.holds.clone(),
            }],
            Tri::False => vec![Reason {
                question: None,
                fact: Some(fact.def.id.clone()),
                answer: None,
                text: fact.def.fails.clone().unwrap_or_else(|| {
                    fill(&self.words.engine.not_so, &[("fact", &fact.def.holds)])
                }),
            }],
            // Unknown: say which answers are missing or unsure.
            Tri::Unknown => inner,
        };
        let result = (tri, reasons);
        self.facts.borrow_mut().insert(f, result.clone());
        result
    }
}

pub(crate) fn dedupe(reasons: &mut Vec<Reason>) {
    let mut seen = std::collections::HashSet::new();
    reasons.retain(|r| seen.insert((r.question.clone(), r.fact.clone(), r.text.clone())));
}
