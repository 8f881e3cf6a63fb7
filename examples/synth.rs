//! Writes a generated questionnaire (the benchmarks' shape, see
//! `src/synth.rs`) to standard output, for timing or profiling the loader on
//! a file:
//!
//! ```sh
//! cargo run --release --example synth -- 10000 > /tmp/q10k.ron
//! valgrind --tool=callgrind target/release/aiact validate /tmp/q10k.ron
//! ```

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000)
        .max(1);
    print!("{}", aiact::synth::questionnaire(n, 7));
}
