//! Crash safety: the real binary answers through a pty and is killed
//! (SIGKILL) at seeded random moments, some during an autosave. After each
//! kill every answer whose "saved" mark was seen must be in the session file,
//! and the file must parse. The seed is printed; set AIACT_CRASH_SEED to
//! replay a run.

#![cfg(unix)]

mod common;

use std::process::Command;
use std::time::Duration;

use aiact::answers::Answer;
use aiact::session::Session;
use expectrl::Expect;

const ROUNDS: u64 = 6;

/// (keys to send, question id, the answer it gives)
fn steps() -> Vec<(&'static str, &'static str, Answer)> {
    vec![
        ("1\r", "role", Answer::Choice("build".into())),
        (" \r", "parts", Answer::Choices(vec!["weights".into()])),
        ("2\r", "paid", Answer::Choice("no".into())),
        ("3e24\r", "compute", Answer::Number("3e24".into())),
        ("demo\r", "label", Answer::Text("demo".into())),
    ]
}

/// Sends keys and gives the app a moment, as a person would.
fn send(pty: &mut expectrl::session::OsSession, keys: &str) {
    pty.send(keys).unwrap();
    std::thread::sleep(Duration::from_millis(120));
}

/// A small xorshift generator: deterministic from the printed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

#[test]
fn every_confirmed_answer_survives_a_kill() {
    let seed = std::env::var("AIACT_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("crash-safety seed: {seed} (replay with AIACT_CRASH_SEED={seed})");
    let mut rng = Rng(seed);
    let fixture = format!(
        "{}/tests/fixtures/tui/kinds.ron",
        env!("CARGO_MANIFEST_DIR")
    );
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let mut cmd = common::terminal_command();
        cmd.current_dir(dir.path())
            .arg("--data-dir")
            .arg(&data)
            .args(["--today", "2026-11-26", "--questionnaire", &fixture]);
        let mut pty = expectrl::Session::spawn(cmd).expect("spawn aiact in a pty");
        pty.get_process_mut().set_window_size(100, 30).unwrap();
        pty.set_expect_timeout(Some(Duration::from_secs(20)));
        if let Err(e) = pty.expect("Start a new") {
            let mut buf = vec![0u8; 65536];
            let n = pty.try_read(&mut buf).unwrap_or(0);
            panic!(
                "round {round}: no start screen: {e}: {:?}",
                String::from_utf8_lossy(&buf[..n])
            );
        }
        send(&mut pty, "\r");
        if let Err(e) = pty.expect("assessing?") {
            let mut buf = vec![0u8; 65536];
            let n = pty.try_read(&mut buf).unwrap_or(0);
            panic!(
                "round {round}: no name prompt: {e}: {:?}",
                String::from_utf8_lossy(&buf[..n])
            );
        }
        send(&mut pty, "crash test\r");
        pty.expect("component?").unwrap();
        pty.set_expect_timeout(Some(Duration::from_secs(5)));

        let all = steps();
        let confirm = rng.next(all.len() as u64 + 1) as usize;
        let mut confirmed = Vec::new();
        for (keys, id, answer) in all.iter().take(confirm) {
            send(&mut pty, keys);
            // Only an answer whose mark was seen counts as confirmed.
            if pty.expect("saved").is_err() {
                break;
            }
            confirmed.push((*id, answer.clone()));
        }
        // One more answer, then the kill lands somewhere in its autosave.
        if let Some((keys, _, _)) = all.get(confirmed.len()) {
            pty.send(keys).unwrap();
        }
        std::thread::sleep(Duration::from_millis(rng.next(25)));
        let pid = pty.get_process().pid().as_raw();
        let status = Command::new("kill")
            .arg("-KILL")
            .arg(pid.to_string())
            .status()
            .unwrap();
        assert!(status.success());
        let _ = pty.get_process().wait();

        eprintln!(
            "round {round}: {} of {confirm} answers confirmed before the kill",
            confirmed.len()
        );
        let file = data.join("crash-test.ron");
        if confirmed.is_empty() && !file.exists() {
            continue;
        }
        let saved = Session::read(&file)
            .unwrap_or_else(|e| panic!("round {round}, seed {seed}: the file does not parse: {e}"));
        for (id, answer) in &confirmed {
            assert_eq!(
                saved.answers.get(*id).map(|a| &a.answer),
                Some(answer),
                "round {round}, seed {seed}: confirmed answer to {id} lost"
            );
        }
        // The killed process left its lock: the next aiact takes it over.
        let out = common::command()
            .arg("--data-dir")
            .arg(&data)
            .args(["--today", "2026-11-26", "resume", "crash test"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "round {round}, seed {seed}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
