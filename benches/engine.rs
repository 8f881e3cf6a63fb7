//! Load + validate and evaluation benchmarks on generated questionnaires
//! (three options a question, a route reading one of the five previous
//! questions, a fact and an outcome per ten questions) and the shipped content.

use std::hint::black_box;

use aiact::engine::evaluate;
use aiact::questionnaire::{SHIPPED, load_str};
use aiact::synth;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use jiff::civil::date;

fn load_generated(c: &mut Criterion) {
    let mut group = c.benchmark_group("load_validate_generated");
    group.sample_size(10);
    for n in [1_000usize, 10_000, 100_000] {
        let src = synth::questionnaire(n, 7);
        group.bench_with_input(BenchmarkId::from_parameter(n), &src, |b, src| {
            b.iter(|| load_str("synthetic.ron", black_box(src)).expect("valid"))
        });
    }
    group.finish();
}

fn load_shipped(c: &mut Criterion) {
    let mut group = c.benchmark_group("load_validate_shipped");
    for (id, _, src) in SHIPPED {
        group.bench_function(*id, |b| {
            b.iter(|| load_str(id, black_box(src)).expect("valid"))
        });
    }
    group.finish();
}

fn evaluate_complete(c: &mut Criterion) {
    let mut group = c.benchmark_group("evaluate");
    for n in [100usize, 1_000] {
        let q = load_str("synthetic.ron", &synth::questionnaire(n, 7)).unwrap();
        let answers = synth::answers(n, 7, 10);
        group.bench_function(BenchmarkId::new("synthetic", n), |b| {
            b.iter(|| evaluate(&q, black_box(&answers), date(2026, 11, 26)))
        });
    }
    // A complete session of the shipped EU questionnaire (reference case P1).
    let q = aiact::questionnaire::load_shipped("eu-ai-act-oss")
        .unwrap()
        .unwrap();
    let answers: aiact::answers::Answers = aiact::questionnaire::source::parse_ron(
        "p1",
        include_str!("../assets/answers/p1-open-llm.ron"),
        "answers file",
    )
    .unwrap();
    group.bench_function("eu_ai_act_oss_p1", |b| {
        b.iter(|| evaluate(&q, black_box(&answers), date(2026, 11, 26)))
    });
    group.finish();
}

criterion_group!(benches, load_generated, load_shipped, evaluate_complete);
criterion_main!(benches);
