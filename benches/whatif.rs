//! What-if on complete sessions of the shipped `eu-ai-act-oss` questionnaire:
//! the longest complete scenario paths, where the search has most to try.
//! Budget: under 5 ms a session.

use std::hint::black_box;
use std::path::PathBuf;

use aiact::engine::{evaluate, what_if};
use aiact::questionnaire::load_shipped;
use aiact::scenario::{collect, load_scenario};
use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::date;

fn whatif_shipped(c: &mut Criterion) {
    let q = load_shipped("eu-ai-act-oss")
        .expect("shipped")
        .expect("valid");
    let today = date(2026, 11, 26);
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/eu-ai-act-oss"
    ));
    // Complete sessions, longest path first.
    let mut sessions: Vec<(usize, String, aiact::answers::Answers)> = collect(&[dir])
        .expect("scenarios")
        .iter()
        .filter_map(|p| load_scenario(p).ok().map(|s| (p.clone(), s)))
        .filter_map(|(p, s)| {
            let ev = evaluate(&q, &s.answers, today);
            let name = p.file_stem()?.to_string_lossy().into_owned();
            (ev.is_complete() && ev.problems.is_empty()).then_some((ev.path.len(), name, s.answers))
        })
        .collect();
    sessions.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut group = c.benchmark_group("what_if_eu_ai_act_oss");
    for (len, name, answers) in sessions.iter().take(3) {
        group.bench_function(format!("{name}_{len}_questions"), |b| {
            b.iter(|| what_if(&q, black_box(answers), today))
        });
    }
    group.finish();
}

criterion_group!(benches, whatif_shipped);
criterion_main!(benches);
