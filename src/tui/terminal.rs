//! The terminal guard: raw mode, alternate screen, bracketed paste and
//! (opt-in) mouse capture, restored on every way out — drop, error, panic,
//! a termination signal, a lost terminal, and around a Ctrl+Z suspension.

use std::io::{self, IsTerminal, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};

use crate::error::{Error, Result};

/// What was enabled, so the panic hook undoes exactly that.
static ACTIVE: AtomicBool = AtomicBool::new(false);
static MOUSE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

/// The message for a missing terminal (exit code 3).
pub const NO_TERMINAL: &str =
    "aiact needs an interactive terminal; try `aiact run` or `aiact report`";

/// Holds the terminal in the app's state; dropping it restores the terminal.
pub struct TerminalGuard {
    _private: (),
}

impl TerminalGuard {
    /// Enters raw mode and the alternate screen. Fails (without panicking)
    /// when stdin or stdout is not a terminal.
    pub fn enter(mouse: bool) -> Result<TerminalGuard> {
        if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
            return Err(Error::Environment(NO_TERMINAL.into()));
        }
        install_panic_hook();
        MOUSE.store(mouse, Ordering::SeqCst);
        setup().map_err(|e| {
            restore();
            Error::Environment(format!("{NO_TERMINAL} ({e})"))
        })?;
        Ok(TerminalGuard { _private: () })
    }

    /// Restores the terminal, stops the process (SIGTSTP), and takes the
    /// terminal back when the shell continues it.
    pub fn suspend(&self) -> io::Result<()> {
        restore();
        #[cfg(unix)]
        {
            let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
        }
        setup()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

fn setup() -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    if MOUSE.load(Ordering::SeqCst) {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

/// Undoes everything `setup` did. Safe to call more than once.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if MOUSE.load(Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(
        out,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
