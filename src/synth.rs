//! Synthetic questionnaires and answers, shaped like real content, for
//! benchmarks and property tests: each question has three options and routes
//! on one of the five questions before it; there is a fact per ten questions
//! and an outcome per ten.

use std::fmt::Write;

use crate::answers::{Answer, Answers};

/// A tiny deterministic generator (SplitMix64), so a seed always gives the
/// same questionnaire on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

const OPTIONS: [&str; 3] = ["a", "b", "c"];

/// RON source of a questionnaire with `n` questions (n ≥ 1).
pub fn questionnaire(n: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut s = String::with_capacity(n * 400);
    s.push_str(
        "(\n format_version: 1,\n id: \"synthetic\",\n title: \"Synthetic\",\n version: \"1\",\n language: \"en\",\n legal_basis: \"none\",\n as_of: \"2026-01-01\",\n disclaimer: \"Generated.\",\n groups: [(id: \"g\", title: \"Group\", order: 1)],\n references: [(id: \"r\", title: \"Ref\", url: \"https://example.org\")],\n questions: [\n",
    );
    for i in 0..n {
        let _ = write!(
            s,
            "(id:\"q{i}\",prompt:\"Q{i}?\",kind:Single,allow_not_sure:true,options:[(id:\"a\",label:\"A\"),(id:\"b\",label:\"B\"),(id:\"c\",label:\"C\")]"
        );
        if i + 2 < n {
            let read = i - rng.below(5.min(i + 1));
            let opt = OPTIONS[rng.below(3)];
            let _ = write!(
                s,
                ",next:Routes([(when:Is(\"q{read}\",\"{opt}\"),goto:\"q{}\"),(goto:\"q{}\")])",
                i + 2,
                i + 1
            );
        }
        s.push_str("),\n");
    }
    s.push_str(" ],\n facts: [\n");
    let facts = n / 10;
    for k in 0..facts {
        let i = k * 10;
        let j = i + rng.below(10.min(n - i));
        let _ = writeln!(
            s,
            "  (id: \"f{k}\", holds: \"Fact {k} holds\", when: Any([Is(\"q{i}\", \"a\"), Is(\"q{j}\", \"c\")])),"
        );
    }
    s.push_str(" ],\n outcomes: [\n");
    for k in 0..n.div_ceil(10) {
        let i = (k * 10 + rng.below(10)).min(n - 1);
        let cond = if k < facts {
            format!("All([Fact(\"f{k}\"), Not(Is(\"q{i}\", \"b\"))])")
        } else {
            format!("Is(\"q{i}\", \"a\")")
        };
        let _ = writeln!(
            s,
            "  (id: \"o{k}\", group: \"g\", title: \"Outcome {k}\", summary: \"S\", explanation: \"E\", citations: [(reference: \"r\", pinpoint: \"§{k}\")], applies_from: [(when: Is(\"q0\", \"a\"), date: \"2027-01-01\"), (date: \"2025-01-01\")], when: {cond}),"
        );
    }
    s.push_str(" ],\n)\n");
    s
}

/// Answers to every question of a synthetic questionnaire (`n` questions),
/// with roughly one in `not_sure_every` answered "not sure" (0: never).
pub fn answers(n: usize, seed: u64, not_sure_every: usize) -> Answers {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let a = if not_sure_every > 0 && rng.below(not_sure_every) == 0 {
                Answer::NotSure
            } else {
                Answer::Choice(OPTIONS[rng.below(3)].to_string())
            };
            (format!("q{i}"), a)
        })
        .collect()
}

/// Saves `n` sessions of the shipped EU questionnaire in `store`, named
/// `component 0000`…, alternately complete and half answered (the example
/// assessment's answers), as the app would: what the start-up benchmark and
/// the first-frame harness measure against.
pub fn saved_sessions(store: &crate::session::Store, n: usize) -> crate::Result<()> {
    let q = crate::questionnaire::load_shipped(crate::questionnaire::DEFAULT_ID)
        .expect("the default questionnaire is shipped")?;
    let answers: Answers = crate::questionnaire::source::parse_ron(
        "p1",
        include_str!("../assets/answers/p1-open-llm.ron"),
        "answers file",
    )?;
    let now = jiff::Timestamp::from_second(1_795_000_000).expect("a time in range");
    let today = jiff::civil::date(2026, 11, 26);
    for i in 0..n {
        let take = if i % 2 == 0 {
            answers.len()
        } else {
            answers.len() / 2
        };
        let some: Answers = answers
            .iter()
            .take(take)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        crate::assessment::create(
            store,
            crate::assessment::Naming::Exact(&format!("component {i:04}")),
            &q,
            &some,
            now,
            today,
        )?;
    }
    Ok(())
}
