//! Everything the app waits for, on one channel: terminal events, a resize,
//! a termination signal, the terminal going away. Two threads feed it and
//! block while nothing happens, so the app uses no CPU when idle.
//!
//! Input is read by crossterm (with its poll(2) source: level-triggered, so
//! no key is ever left behind), but only after our own poll(2) on standard
//! input says there is something: a hang-up shows there as POLLHUP, where
//! crossterm alone would spin on a terminal that reads end-of-file forever.

use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use ratatui::crossterm::event::{self, Event};

/// One thing that happened.
#[derive(Debug)]
pub enum Incoming {
    Terminal(Event),
    /// The window changed size (SIGWINCH): redraw.
    Resized,
    /// SIGTERM, SIGINT or SIGHUP arrived: leave with 128 + the signal.
    Signal(i32),
    /// The terminal is gone (hang-up, end of file, read error).
    HungUp,
}

/// Starts the input and signal threads and returns what they report.
pub fn spawn() -> Receiver<Incoming> {
    let (tx, rx) = mpsc::channel();
    spawn_signals(tx.clone());
    let _ = std::thread::Builder::new()
        .name("aiact-input".into())
        .spawn(move || read_input(&tx));
    rx
}

/// Rounds of "readable" in a row without a single event before the input
/// counts as gone: a safeguard so a terminal that misbehaves can never make
/// us spin. Each round waits at least 2 ms, so this is seconds of bytes that
/// crossterm cannot make into one key — never typing.
const MAX_EMPTY_ROUNDS: u32 = 2000;

fn read_input(tx: &Sender<Incoming>) {
    let mut empty_rounds = 0;
    loop {
        match wait_readable() {
            Readiness::Readable => {}
            Readiness::HungUp => {
                let _ = tx.send(Incoming::HungUp);
                return;
            }
        }
        // Take whatever crossterm can make of the bytes now waiting; a short
        // timeout lets it finish an escape sequence split across reads.
        let mut got = false;
        loop {
            match event::poll(Duration::from_millis(2)) {
                Ok(true) => match event::read() {
                    Ok(ev) => {
                        got = true;
                        if tx.send(Incoming::Terminal(ev)).is_err() {
                            return;
                        }
                    }
                    Err(_) => {
                        let _ = tx.send(Incoming::HungUp);
                        return;
                    }
                },
                Ok(false) => break,
                Err(_) => {
                    let _ = tx.send(Incoming::HungUp);
                    return;
                }
            }
        }
        empty_rounds = if got { 0 } else { empty_rounds + 1 };
        if empty_rounds > MAX_EMPTY_ROUNDS {
            let _ = tx.send(Incoming::HungUp);
            return;
        }
    }
}

enum Readiness {
    Readable,
    HungUp,
}

/// Blocks until standard input is readable or hung up.
#[cfg(unix)]
fn wait_readable() -> Readiness {
    loop {
        let mut fds = libc::pollfd {
            fd: 0,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, and its count; -1 waits without a timeout.
        let n = unsafe { libc::poll(&mut fds, 1, -1) };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Readiness::HungUp;
        }
        // A hang-up first: a terminal that is gone also reads as readable.
        if fds.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
            return Readiness::HungUp;
        }
        if fds.revents & libc::POLLIN != 0 {
            return Readiness::Readable;
        }
    }
}

#[cfg(not(unix))]
fn wait_readable() -> Readiness {
    Readiness::Readable
}

#[cfg(unix)]
fn spawn_signals(tx: Sender<Incoming>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGWINCH};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGWINCH])
    else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("aiact-signals".into())
        .spawn(move || {
            for sig in signals.forever() {
                let msg = if sig == SIGWINCH {
                    Incoming::Resized
                } else {
                    Incoming::Signal(sig)
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
}

#[cfg(not(unix))]
fn spawn_signals(_tx: Sender<Incoming>) {}
