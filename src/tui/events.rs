//! Everything the app waits for, on one channel: terminal events, a resize,
//! a termination signal, the terminal going away. Two threads feed it and
//! block while nothing happens, so the app uses no CPU when idle.
//!
//! Input is read by crossterm (with its poll(2) source: level-triggered, so
//! no key is ever left behind), but only after our own wait on standard
//! input says there is something: on Linux and the BSDs poll(2), where a
//! hang-up shows as POLLHUP (crossterm alone would spin on a terminal that
//! reads end-of-file forever); on macOS select(2), as its poll(2) does not
//! support terminals; elsewhere (Windows) crossterm's own blocking wait.
//!
//! A hang-up wins over input still waiting: after one, a terminal reads
//! end-of-file forever and crossterm would spin on it, and the kernel
//! discards a hung-up terminal's unread input anyway (Linux ptys).

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
/// crossterm cannot make into one key — never typing. Only where our own
/// wait watches the descriptor ([`WAITS_ON_FD`]): with crossterm's wait an
/// empty round means nothing.
const MAX_EMPTY_ROUNDS: u32 = 2000;

/// Whether [`wait_readable`] watches standard input itself (poll or select),
/// so "readable" without an event means bytes crossterm cannot use.
const WAITS_ON_FD: bool = cfg!(unix);

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
        empty_rounds = if got || !WAITS_ON_FD {
            0
        } else {
            empty_rounds + 1
        };
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
#[cfg(all(unix, not(target_os = "macos")))]
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

/// Blocks until standard input is readable. macOS's poll(2) does not
/// support terminals (it fails with POLLNVAL), select(2) does; it has no
/// hang-up flag: a terminal gone reads end-of-file, which crossterm reports
/// as an error (or the empty-round safeguard catches), and SIGHUP arrives.
#[cfg(target_os = "macos")]
fn wait_readable() -> Readiness {
    loop {
        // SAFETY: an fd_set on the stack, initialised by FD_ZERO before use;
        // descriptor 0 is below FD_SETSIZE; no timeout (null) waits.
        let (n, ready) = unsafe {
            let mut set: libc::fd_set = std::mem::zeroed();
            libc::FD_ZERO(&mut set);
            libc::FD_SET(0, &mut set);
            let n = libc::select(
                1,
                &mut set,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            );
            (n, n > 0 && libc::FD_ISSET(0, &set))
        };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Readiness::HungUp;
        }
        if ready {
            return Readiness::Readable;
        }
    }
}

/// Blocks until crossterm has input (no descriptor to watch here, e.g. on
/// Windows): its own wait, with a long timeout, never a busy loop. An empty
/// wait is not a hang-up; an error is.
#[cfg(not(unix))]
fn wait_readable() -> Readiness {
    loop {
        match event::poll(Duration::from_secs(3600)) {
            Ok(true) => return Readiness::Readable,
            Ok(false) => continue,
            Err(_) => return Readiness::HungUp,
        }
    }
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
