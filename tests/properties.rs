//! Property tests over generated questionnaires and answers (cases capped so
//! CI stays fast).

use aiact::answers::{Answer, Answers};
use aiact::engine::evaluate;
use aiact::questionnaire::load_str;
use aiact::synth;
use jiff::civil::date;
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn partial_answers(n: usize, seed: u64, keep_every: usize) -> Answers {
    let mut rng = synth::Rng::new(seed ^ 0xabcd);
    synth::answers(n, seed, 4)
        .into_iter()
        .filter(|_| rng.below(keep_every.max(1)) != 0 || keep_every == 0)
        .collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_questionnaires_validate_and_never_panic(n in 1usize..120, seed in any::<u64>(), keep in 0usize..4) {
        let q = load_str("synthetic.ron", &synth::questionnaire(n, seed)).expect("generated content is valid");
        let answers = partial_answers(n, seed, keep);
        let ev = evaluate(&q, &answers, date(2026, 11, 26));
        // The path never repeats a question.
        let mut seen = std::collections::HashSet::new();
        prop_assert!(ev.path.iter().all(|q| seen.insert(*q)));
        // The current question, if any, is the last on the path and unanswered.
        if let Some(c) = ev.current {
            prop_assert_eq!(ev.path.last(), Some(&c));
            prop_assert!(!answers.contains_key(q.questions[c].id()));
        }
    }

    #[test]
    fn off_path_answers_never_change_outcomes(n in 2usize..80, seed in any::<u64>()) {
        let q = load_str("synthetic.ron", &synth::questionnaire(n, seed)).unwrap();
        let answers = synth::answers(n, seed, 5);
        let today = date(2026, 11, 26);
        let ev = evaluate(&q, &answers, today);
        let on_path: Answers = ev.path.iter().filter_map(|&i| {
            let id = q.questions[i].id();
            answers.get(id).map(|a| (id.to_string(), a.clone()))
        }).collect();
        let trimmed = evaluate(&q, &on_path, today);
        prop_assert_eq!(&trimmed.outcomes, &ev.outcomes);
        prop_assert_eq!(&trimmed.path, &ev.path);
    }

    #[test]
    fn changing_and_restoring_an_answer_is_identical(n in 2usize..80, seed in any::<u64>(), pick in any::<usize>(), to in 0usize..4) {
        let q = load_str("synthetic.ron", &synth::questionnaire(n, seed)).unwrap();
        let answers = synth::answers(n, seed, 5);
        let today = date(2026, 11, 26);
        let before = evaluate(&q, &answers, today);
        let key = format!("q{}", pick % n);
        let mut changed = answers.clone();
        changed.insert(key.clone(), match to { 0 => Answer::NotSure, 1 => Answer::Choice("a".into()), 2 => Answer::Choice("b".into()), _ => Answer::Choice("c".into()) });
        let _ = evaluate(&q, &changed, today);
        changed.insert(key.clone(), answers[&key].clone());
        prop_assert_eq!(evaluate(&q, &changed, today), before);
    }

    #[test]
    fn routes_never_read_unanswered_questions(n in 2usize..80, seed in any::<u64>()) {
        // Validation guarantees each route reads only questions that can come
        // before it; so on every path, a route's reads are on the path already
        // or are not on it at all.
        let q = load_str("synthetic.ron", &synth::questionnaire(n, seed)).unwrap();
        let answers = synth::answers(n, seed, 0);
        let ev = evaluate(&q, &answers, date(2026, 11, 26));
        for (pos, &qi) in ev.path.iter().enumerate() {
            if let aiact::questionnaire::Routing::Routes(routes) = &q.questions[qi].routing {
                for (cond, _) in routes {
                    if let Some(c) = cond {
                        c.visit(|read| {
                            assert!(!ev.path[pos + 1..].contains(&read), "route of {} reads later question {}", q.questions[qi].id(), q.questions[read].id());
                        }, |_| {});
                    }
                }
            }
        }
    }
}
