//! Running the real `aiact` binary from tests, one way for every suite: a
//! pinned date, a temporary data folder when one is given, no inherited
//! data or export folder, no colour, no terminal on standard input.
//! Real-pty runs (the interactive app) start from [`pty`].

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The assessment date every test pins.
pub const TODAY: &str = "2026-11-26";

/// The binary, with the environment cleaned: no inherited data or export
/// folder, no colour, no terminal on standard input.
pub fn command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aiact"));
    cmd.env_remove("AIACT_DATA_DIR")
        .env_remove("AIACT_EXPORT_DIR")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

/// The binary for a run in a terminal the test provides (a pty): the
/// environment cleaned as in [`command`], but colour left on (the styles
/// are those users see), `TERM` set, and standard input left to the caller.
pub fn terminal_command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aiact"));
    cmd.env_remove("AIACT_DATA_DIR")
        .env_remove("AIACT_EXPORT_DIR")
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color");
    cmd
}

/// `aiact ARGS` without a data folder (commands that need none).
pub fn aiact(args: &[&str]) -> Output {
    command().args(args).output().expect("run aiact")
}

/// `aiact --data-dir DATA --today TODAY ARGS`.
pub fn aiact_in(data: &Path, args: &[&str]) -> Output {
    command()
        .arg("--data-dir")
        .arg(data)
        .args(["--today", TODAY])
        .args(args)
        .output()
        .expect("run aiact")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts success and returns standard output.
pub fn ok(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(o));
    stdout(o)
}

/// The binary in a real pseudo-terminal of `cols`×`rows`, in folder `dir`
/// (data in `dir/data`, exports in `dir/reports`), with `args` after the
/// common ones. Colour stays on so the styles are those users see.
#[cfg(unix)]
pub fn pty(dir: &Path, args: &[&str], cols: u16, rows: u16) -> expectrl::session::OsSession {
    let mut cmd = terminal_command();
    cmd.current_dir(dir)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .arg("--export-dir")
        .arg(dir.join("reports"))
        .args(["--today", TODAY])
        .args(args);
    let mut session = expectrl::Session::spawn(cmd).expect("spawn aiact in a pty");
    session
        .get_process_mut()
        .set_window_size(cols, rows)
        .unwrap();
    session.set_expect_timeout(Some(std::time::Duration::from_secs(20)));
    session
}
