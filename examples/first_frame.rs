//! Start to first drawn frame: spawns the real binary in a pseudo-terminal
//! and times how long it takes until the start screen's text arrives.
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example first_frame -- 50 target/release/aiact
//! ```
//!
//! Prints the median, fastest and slowest of the runs. The time includes
//! process start, loading the embedded questionnaires, entering the
//! alternate screen and drawing the first frame; it excludes nothing.

use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::Expect;

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(30)
        .max(1);
    let binary = args
        .next()
        .unwrap_or_else(|| "target/release/aiact".to_string());
    let data = tempfile::tempdir().expect("a temporary data folder");
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let mut cmd = Command::new(&binary);
        cmd.arg("--data-dir")
            .arg(data.path())
            .args(["--today", "2026-11-26"])
            .env("TERM", "xterm-256color");
        let started = Instant::now();
        let mut pty = expectrl::Session::spawn(cmd).expect("spawn the binary in a pty");
        pty.set_expect_timeout(Some(Duration::from_secs(10)));
        pty.expect("Start a new").expect("the start screen");
        times.push(started.elapsed());
        pty.send("q").expect("quit");
        let _ = pty.get_process().wait();
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "first frame over {runs} runs: median {:.2} ms, fastest {:.2} ms, slowest {:.2} ms",
        ms(times[runs / 2]),
        ms(times[0]),
        ms(times[runs - 1])
    );
}
