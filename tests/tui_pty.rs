//! The real binary in a real pseudo-terminal: answer a fixture to the end,
//! quit every way there is, and check the terminal is handed back (alternate
//! screen left, cursor shown). The byte stream is a diff of the screen, so
//! only short tokens are matched.

#![cfg(unix)]

mod common;

use std::io::Read;
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::Expect;

const LEAVE_ALT: &str = "\x1b[?1049l";
const SHOW_CURSOR: &str = "\x1b[?25h";

struct Run {
    session: expectrl::session::OsSession,
    tmp: Option<tempfile::TempDir>,
    dir: std::path::PathBuf,
}

fn spawn() -> Run {
    let dir = tempfile::tempdir().unwrap();
    let fixture = format!(
        "{}/tests/fixtures/tui/kinds.ron",
        env!("CARGO_MANIFEST_DIR")
    );
    let session = common::pty(dir.path(), &["--questionnaire", &fixture], 100, 30);
    let path = dir.path().to_path_buf();
    Run {
        session,
        tmp: Some(dir),
        dir: path,
    }
}

impl Run {
    fn expect(&mut self, token: &str) {
        self.session
            .expect(token)
            .unwrap_or_else(|e| panic!("waiting for {token:?}: {e}"));
    }

    fn send(&mut self, bytes: &str) {
        self.session.send(bytes).unwrap();
        std::thread::sleep(Duration::from_millis(120));
    }

    /// Everything the process writes until it exits, then its exit status.
    fn finish(mut self) -> (String, Option<i32>) {
        let mut out = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut buf = [0u8; 4096];
        while Instant::now() < deadline {
            match self.session.try_read(&mut buf) {
                Ok(0) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if !self.session.get_process().is_alive().unwrap_or(false) {
                        // Drain what is left.
                        if let Ok(n) = self.session.read(&mut buf) {
                            out.extend_from_slice(&buf[..n]);
                        }
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(_) => break,
            }
        }
        let status = self.session.get_process().wait().ok();
        let code = match status {
            Some(expectrl::process::unix::WaitStatus::Exited(_, c)) => Some(c),
            _ => None,
        };
        (String::from_utf8_lossy(&out).into_owned(), code)
    }

    fn pid(&self) -> i32 {
        self.session.get_process().pid().as_raw()
    }
}

fn start_new(run: &mut Run) {
    run.expect("Start");
    run.send("\r");
    run.expect("assessing?");
    run.send("pty model\r");
    run.expect("component?");
}

fn assert_restored(out: &str) {
    assert!(
        out.contains(LEAVE_ALT),
        "alternate screen not left: {out:?}"
    );
    assert!(out.contains(SHOW_CURSOR), "cursor not shown: {out:?}");
}

#[test]
fn answer_a_fixture_to_the_end_and_see_results() {
    let mut run = spawn();
    start_new(&mut run);
    run.send("1\r"); // I build it
    run.expect("publish?");
    run.send(" \r"); // Model weights
    run.expect("charge");
    run.send("2\r"); // no
    run.expect("compute");
    run.send("3e24\r");
    run.expect("script");
    run.send("demo\r");
    run.expect("Results");
    run.expect("saved");
    run.send("e");
    run.expect("written");
    run.send("q");
    let dir = run.dir.clone();
    let _keep = run.tmp.take();
    let (out, code) = run.finish();
    assert_restored(&out);
    assert_eq!(code, Some(0));
    let listing: Vec<_> = std::fs::read_dir(dir.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let report = std::fs::read_to_string(dir.join("reports").join("aiact-report-pty-model.md"))
        .unwrap_or_else(|e| panic!("{e}: {listing:?}"));
    assert!(report.contains("Keep technical documentation"));
    // The session was saved in the temporary data folder.
    let saved: Vec<_> = std::fs::read_dir(dir.join("data")).unwrap().collect();
    assert!(!saved.is_empty());
}

#[test]
fn quit_with_q() {
    let mut run = spawn();
    start_new(&mut run);
    run.send("q");
    let (out, code) = run.finish();
    assert_restored(&out);
    assert_eq!(code, Some(0));
}

#[test]
fn quit_with_ctrl_c_even_while_typing() {
    let mut run = spawn();
    start_new(&mut run);
    run.send("1\r");
    run.send(" \r");
    run.send("2\r");
    run.expect("compute");
    run.send("12");
    run.send("\x03");
    let (out, code) = run.finish();
    assert_restored(&out);
    assert_eq!(code, Some(0));
}

fn signal(run: &Run, name: &str) {
    let status = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(run.pid().to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut run = spawn();
    start_new(&mut run);
    signal(&run, "TERM");
    let (out, code) = run.finish();
    assert_restored(&out);
    assert_eq!(code, Some(128 + 15));
}

#[test]
fn sighup_restores_the_terminal() {
    let mut run = spawn();
    start_new(&mut run);
    signal(&run, "HUP");
    let (out, code) = run.finish();
    assert_restored(&out);
    assert_eq!(code, Some(128 + 1));
}

#[test]
fn without_a_terminal_it_exits_3() {
    let out = Command::new(env!("CARGO_BIN_EXE_aiact"))
        .args(["--today", "2026-11-26"])
        .arg("--data-dir")
        .arg(tempfile::tempdir().unwrap().path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs an interactive terminal"), "{err}");
    assert!(err.contains("aiact run"), "{err}");
}
