//! What the start screen costs: decoding the shipped questionnaires'
//! embedded compiled form (against parsing their RON), their headers alone,
//! and listing 1,000 saved sessions from the folder's index (against parsing
//! every file, as the start screen did before the index); and one durable
//! save (write, fsync, rename, fsync the folder), which the app makes after
//! every change.

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use aiact::questionnaire::{SHIPPED, load_shipped, load_str, shipped_header};
use aiact::session::{Store, index_path};
use criterion::{Criterion, criterion_group, criterion_main};

fn shipped(c: &mut Criterion) {
    let mut group = c.benchmark_group("shipped");
    for (id, _, src) in SHIPPED {
        group.bench_function(format!("{id}/embedded"), |b| {
            b.iter(|| load_shipped(black_box(id)).unwrap().unwrap())
        });
        group.bench_function(format!("{id}/header"), |b| {
            b.iter(|| shipped_header(black_box(id)).unwrap())
        });
        group.bench_function(format!("{id}/ron"), |b| {
            b.iter(|| load_str(&format!("shipped:{id}"), black_box(src)).unwrap())
        });
    }
    group.finish();
}

/// 1,000 sessions of the shipped questionnaire, half of them complete, in a
/// folder whose times have settled (as they have by the next start).
fn thousand_sessions() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(dir.path()).unwrap();
    aiact::synth::saved_sessions(&store, 1000).unwrap();
    // Make the index and let the folder's time settle.
    store.summaries();
    let then = SystemTime::now() - Duration::from_secs(60);
    std::fs::File::open(dir.path())
        .unwrap()
        .set_modified(then)
        .unwrap();
    store.summaries();
    dir
}

fn sessions(c: &mut Criterion) {
    let dir = thousand_sessions();
    let store = Store::open(dir.path()).unwrap();
    let mut group = c.benchmark_group("sessions_1000");
    group.sample_size(20);
    group.bench_function("index", |b| b.iter(|| black_box(store.summaries())));
    group.bench_function("start_screen_list", |b| {
        // What the start screen is given: from the index, sorted, in words.
        b.iter(|| black_box(aiact::tui::storage::summaries(&store)))
    });
    group.bench_function("index_recheck", |b| {
        // The folder changed since the index was made: every file is
        // stat'ed, none parsed.
        b.iter(|| {
            std::fs::File::open(dir.path())
                .unwrap()
                .set_modified(SystemTime::now() - Duration::from_secs(30))
                .unwrap();
            black_box(store.summaries())
        })
    });
    group.bench_function("parse_every_file", |b| {
        b.iter(|| {
            let _ = std::fs::remove_file(index_path(dir.path()));
            black_box(store.list().unwrap())
        })
    });
    group.finish();
}

fn durable_save(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(dir.path()).unwrap();
    let q = load_shipped("eu-ai-act-oss").unwrap().unwrap();
    let now = jiff::Timestamp::from_second(1_790_000_000).unwrap();
    let mut s = aiact::session::Session::new("timing", &q, now).unwrap();
    store.create(&s).unwrap();
    let mut i = 0u64;
    let mut group = c.benchmark_group("durable_save");
    group.sample_size(20);
    group.bench_function("one_change", |b| {
        b.iter(|| {
            i += 1;
            s.set_note("x", &i.to_string(), now);
            store.save(black_box(&s)).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, shipped, sessions, durable_save);
criterion_main!(benches);
