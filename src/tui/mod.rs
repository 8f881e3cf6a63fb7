//! The interactive terminal app: state ([`App`]), update (keys → state, in
//! `app`), view (state → frame, in `view`) and the terminal guard. Only
//! [`run`] touches the terminal; everything else is drivable in tests.

pub mod app;
pub mod input;
pub mod keys;
pub mod launch;
mod present;
pub mod svg;
pub mod terminal;
pub mod view;

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, Event};

pub use app::{
    App, Effect, Focus, Msg, Overlay, Present, PresentTheme, Preview, Row, Screen, SessionSummary,
};
pub use keys::{Action, Mode};

use crate::error::{Error, Result, exit};

/// Where the app's saves go. The session storage implements this; without
/// one the app still works and says that nothing is saved.
pub trait Persistence {
    /// Saves the app's answers, notes and statuses; `seq` is echoed back.
    fn save(&mut self, seq: u64, app: &App);
    /// Results of earlier saves (`Msg::Saved` or `Msg::SaveFailed`), without blocking.
    fn poll(&mut self) -> Vec<Msg>;
    /// Opens a saved session chosen on the start screen.
    fn resume(&mut self, _id: &str, _app: &mut App) -> Result<()> {
        Err(Error::Input("resuming is not available".into()))
    }
}

/// How the app is started.
pub struct Options {
    /// Capture the mouse (wheel scrolls); off by default so copy and paste work.
    pub mouse: bool,
    /// Where exported reports are written.
    pub export_dir: PathBuf,
}

/// Runs the app in the terminal until the user quits or a signal arrives.
/// Returns the exit code.
pub fn run(mut app: App, mut store: Option<Box<dyn Persistence>>, options: Options) -> Result<i32> {
    let guard = terminal::TerminalGuard::enter(options.mouse)?;
    let signals = terminal::Signals::register();
    let backend = CrosstermBackend::new(io::stdout());
    let mut term = Terminal::new(backend).map_err(|e| io_env("start the terminal", &e))?;
    let mut dirty = true;
    let mut last_size = term.size().map_err(|e| io_env("read the size", &e))?;
    let code = loop {
        if let Some(sig) = signals.caught() {
            break 128 + sig;
        }
        // Draw before waiting, so the first frame appears at once.
        if dirty {
            term.draw(|f| view::render(&app, f))
                .map_err(|e| io_env("draw", &e))?;
            dirty = false;
        }
        // A hung-up terminal is not always signalled (the shell may die
        // first), and crossterm would spin on its end of file: wait for input
        // ourselves and leave as if on SIGHUP when the terminal is gone.
        let ready = match wait_for_input(Duration::from_millis(100)) {
            Input::HungUp => break 128 + 1,
            Input::Timeout => {
                let size = term.size().map_err(|e| io_env("read the size", &e))?;
                if size != last_size {
                    last_size = size;
                    dirty = true;
                }
                false
            }
            Input::Ready => true,
        };
        while ready && event::poll(Duration::ZERO).map_err(|e| io_env("read keys", &e))? {
            match event::read().map_err(|e| io_env("read keys", &e))? {
                Event::Key(k) => app.handle(Msg::Key(k)),
                Event::Paste(s) => app.handle(Msg::Paste(s)),
                Event::Mouse(m) => app.handle(Msg::Mouse(m)),
                Event::Resize(..) => {}
                _ => continue,
            }
            dirty = true;
            if app.should_quit() {
                break;
            }
        }
        for effect in app.take_effects() {
            dirty = true;
            match effect {
                Effect::Save(seq) => {
                    if let Some(s) = store.as_mut() {
                        s.save(seq, &app);
                    }
                }
                Effect::Export {
                    file_stem,
                    markdown,
                } => {
                    let result = export(&options.export_dir, &file_stem, &markdown);
                    app.handle(Msg::Exported(result));
                }
                Effect::Resume(id) => {
                    if let Some(s) = store.as_mut()
                        && let Err(e) = s.resume(&id, &mut app)
                    {
                        app.handle(Msg::SaveFailed(e.to_string()));
                    }
                }
                Effect::Suspend => {
                    guard
                        .suspend()
                        .map_err(|e| io_env("take the terminal back", &e))?;
                    term.clear().map_err(|e| io_env("redraw", &e))?;
                }
            }
        }
        if let Some(s) = store.as_mut() {
            for msg in s.poll() {
                app.handle(msg);
                dirty = true;
            }
        }
        if app.should_quit() {
            break exit::OK;
        }
    };
    drop(term);
    drop(guard);
    Ok(code)
}

fn io_env(what: &'static str, e: &io::Error) -> Error {
    Error::Environment(format!(
        "aiact: could not {what} on the terminal: {}",
        crate::error::describe_io(e)
    ))
}

/// Writes a report next to the user, never overwriting an existing file.
fn export(dir: &Path, stem: &str, markdown: &str) -> std::result::Result<String, String> {
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{stem}.md")
        } else {
            format!("{stem}-{n}.md")
        };
        let path = dir.join(&name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                use std::io::Write;
                return f
                    .write_all(markdown.as_bytes())
                    .map(|_| name)
                    .map_err(|e| crate::error::describe_io(&e));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(crate::error::describe_io(&e)),
        }
    }
    Err("too many reports with that name already".into())
}

/// What waiting on the terminal's input gave.
enum Input {
    Ready,
    Timeout,
    HungUp,
}

/// Waits up to `timeout` for input on stdin, noticing a hang-up.
#[cfg(unix)]
fn wait_for_input(timeout: Duration) -> Input {
    let mut fds = libc::pollfd {
        fd: 0,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, and its count.
    let n = unsafe { libc::poll(&mut fds, 1, timeout.as_millis() as libc::c_int) };
    if n < 0 {
        // Interrupted by a signal: the loop checks the signal flags.
        return Input::Timeout;
    }
    if fds.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        Input::HungUp
    } else if fds.revents & libc::POLLIN != 0 {
        Input::Ready
    } else {
        Input::Timeout
    }
}

/// Elsewhere crossterm's own poll is used.
#[cfg(not(unix))]
fn wait_for_input(timeout: Duration) -> Input {
    match event::poll(timeout) {
        Ok(true) => Input::Ready,
        Ok(false) => Input::Timeout,
        Err(_) => Input::HungUp,
    }
}
