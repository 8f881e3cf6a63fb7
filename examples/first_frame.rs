//! Start to first drawn frame, aiact against a bare ratatui program, in one
//! run: spawns each program in a pseudo-terminal (80×24) and times how long
//! it takes until the start screen's first words ("Start a new") arrive.
//! Runs alternate between the programs, so a busy machine slows both alike.
//!
//! ```sh
//! cargo build --release --bin aiact --example bare_ratatui --example first_frame
//! target/release/examples/first_frame 40 target/release/aiact target/release/examples/bare_ratatui
//! target/release/examples/first_frame --sessions 1000 --idle 3 40 target/release/aiact target/release/examples/bare_ratatui
//! ```
//!
//! A program whose file name is `aiact` gets `--data-dir` (a temporary
//! folder, with `--sessions N` saved sessions of the shipped questionnaire in
//! it) and `--today`; others get no arguments. For each program it prints the
//! median, fastest and slowest time to the first frame, and the CPU time
//! (user + system, from the kernel's accounting of waited-for children) per
//! start; then each program's median against the last one's. With
//! `--idle SECS` it also leaves each program idle on its first screen for
//! that long and reports the CPU it used meanwhile, read from /proc.
//!
//! The time includes process start, loading, entering the alternate screen
//! and drawing the first frame; it excludes nothing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::Expect;

struct Program {
    path: PathBuf,
    times: Vec<Duration>,
    cpu: Vec<Duration>,
}

fn main() {
    let mut sessions = 0usize;
    let mut idle: Option<u64> = None;
    let mut positional = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--sessions" => {
                sessions = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--sessions N")
            }
            "--idle" => {
                idle = Some(
                    args.next()
                        .and_then(|n| n.parse().ok())
                        .expect("--idle SECS"),
                )
            }
            _ => positional.push(a),
        }
    }
    let runs: usize = positional
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(30)
        .max(1);
    let mut programs: Vec<Program> = positional
        .iter()
        .skip(1)
        .map(|p| Program {
            path: PathBuf::from(p),
            times: Vec::with_capacity(runs),
            cpu: Vec::with_capacity(runs),
        })
        .collect();
    if programs.is_empty() {
        programs.push(Program {
            path: PathBuf::from("target/release/aiact"),
            times: Vec::new(),
            cpu: Vec::new(),
        });
    }
    let data = tempfile::tempdir().expect("a temporary data folder");
    if sessions > 0 {
        save_sessions(data.path(), sessions);
    }
    // One warm-up start each, so the first timed run does not pay for
    // reading the binary from disk.
    for p in &programs {
        let _ = start(&p.path, data.path());
    }
    for _ in 0..runs {
        for p in programs.iter_mut() {
            let (time, cpu) = start(&p.path, data.path());
            p.times.push(time);
            p.cpu.push(cpu);
        }
    }
    println!(
        "first frame over {runs} runs each, {sessions} saved session{}:",
        if sessions == 1 { "" } else { "s" }
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    for p in programs.iter_mut() {
        p.times.sort();
        p.cpu.sort();
        println!(
            "  {:<40} median {:6.2} ms, fastest {:6.2} ms, slowest {:6.2} ms; CPU median {:5.2} ms",
            p.path.display(),
            ms(p.times[runs / 2]),
            ms(p.times[0]),
            ms(p.times[runs - 1]),
            ms(p.cpu[runs / 2]),
        );
    }
    if let Some(base) = programs.last().filter(|_| programs.len() > 1) {
        let base_ms = ms(base.times[runs / 2]);
        for p in &programs[..programs.len() - 1] {
            println!(
                "  {} / {}: {:.2}×",
                p.path.display(),
                name(&base.path),
                ms(p.times[runs / 2]) / base_ms
            );
        }
    }
    if let Some(secs) = idle {
        for p in &programs {
            let ticks = idle_ticks(&p.path, data.path(), Duration::from_secs(secs));
            println!(
                "  idle {secs} s on the first screen: {} used {ticks} clock tick{} of CPU",
                name(&p.path),
                if ticks == 1 { "" } else { "s" }
            );
        }
    }
}

fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn command(program: &Path, data: &Path) -> Command {
    let mut cmd = Command::new(program);
    if name(program) == "aiact" {
        cmd.arg("--data-dir")
            .arg(data)
            .args(["--today", "2026-11-26"]);
    }
    cmd.env("TERM", "xterm-256color");
    cmd
}

/// One start: the time to the first frame, and the CPU the program used in
/// all (start, first frame, quitting).
fn start(program: &Path, data: &Path) -> (Duration, Duration) {
    let cpu_before = children_cpu();
    let started = Instant::now();
    let mut pty = expectrl::Session::spawn(command(program, data)).expect("spawn in a pty");
    pty.set_expect_timeout(Some(Duration::from_secs(10)));
    pty.expect("Start a new").expect("the start screen");
    let time = started.elapsed();
    quit(&mut pty);
    (time, children_cpu().saturating_sub(cpu_before))
}

/// `q` quits aiact and the bare program; a prompt library that ignores it
/// (the issue compared Python's questionary) gets Ctrl+C after a moment.
fn quit(pty: &mut expectrl::session::OsSession) {
    pty.send("q").expect("quit");
    let deadline = Instant::now() + Duration::from_secs(1);
    while pty.get_process().is_alive().unwrap_or(false) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    if pty.get_process().is_alive().unwrap_or(false) {
        let _ = pty.send("\x03");
    }
    let _ = pty.get_process().wait();
}

/// CPU used while the program sits on its first screen for `wait`.
fn idle_ticks(program: &Path, data: &Path, wait: Duration) -> u64 {
    let mut pty = expectrl::Session::spawn(command(program, data)).expect("spawn in a pty");
    pty.set_expect_timeout(Some(Duration::from_secs(10)));
    pty.expect("Start a new").expect("the start screen");
    let pid = pty.get_process().pid().as_raw();
    // Let it finish drawing before counting.
    std::thread::sleep(Duration::from_millis(300));
    let before = cpu_ticks(pid);
    std::thread::sleep(wait);
    let used = cpu_ticks(pid) - before;
    quit(&mut pty);
    used
}

/// User + system time of a process so far, in clock ticks, from /proc.
fn cpu_ticks(pid: i32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/PID/stat");
    // Fields after the command name (which is in parentheses and may
    // contain spaces): utime and stime are the 12th and 13th of those.
    let rest = &stat[stat.rfind(')').expect("a command name") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap_or(0) + fields[12].parse::<u64>().unwrap_or(0)
}

/// CPU time of every child waited for so far.
fn children_cpu() -> Duration {
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Saves `n` sessions of the shipped questionnaire, each with the answers of
/// one of the example assessments, as the app would.
fn save_sessions(dir: &Path, n: usize) {
    let store = aiact::session::Store::open(dir).expect("the data folder");
    aiact::synth::saved_sessions(&store, n).expect("saved sessions");
}
