//! The interactive terminal app: state ([`App`]), update (keys → state, in
//! `app`), view (state → frame, in `view`), the storage the app saves into
//! ([`storage`]) and the terminal guard. Only [`run`] touches the terminal;
//! everything else, [`Runtime`] included, is drivable in tests.

pub mod app;
mod events;
pub mod input;
pub mod keys;
pub mod launch;
mod present;
pub mod storage;
pub mod svg;
pub mod terminal;
pub mod view;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::Event;

pub use app::{
    App, Effect, Focus, Msg, Opened, Overlay, Present, PresentTheme, Preview, Row, Screen,
    SessionSummary,
};
pub use keys::{Action, Mode};

use crate::error::{Error, Result, exit};
use crate::questionnaire::Questionnaire;
use crate::session::Session;

impl App {
    /// The app's words: the catalogue of the questionnaire in use (its
    /// `language`), or English on the start screen, where none is chosen.
    pub fn messages(&self) -> &'static crate::messages::Messages {
        if self.screen() == Screen::Start {
            crate::messages::english()
        } else {
            crate::messages::for_language(&self.questionnaire().meta.language)
        }
    }
}

/// The exit code when the terminal goes away under the app (hang-up, closed
/// input, output that can no longer be written): 128 + SIGHUP, as if the
/// hang-up signal had arrived. Saves still finish first.
pub const TERMINAL_LOST: i32 = 128 + 1;

/// Where the app's sessions live. The session storage implements this
/// ([`storage::SessionStorage`]); without one the app still works and says
/// that nothing is saved.
pub trait Persistence {
    /// Creates the file of a new assessment (under a free name based on the
    /// draft's) and returns the session as stored.
    fn create(&mut self, draft: &Session, questionnaire: &Questionnaire) -> Result<Session>;
    /// Saves `session`; `seq` comes back in `Msg::Saved` once it is on disk.
    fn save(&mut self, seq: u64, session: &Session);
    /// Results of earlier saves (`Msg::Saved` or `Msg::SaveFailed`), without blocking.
    fn poll(&mut self) -> Vec<Msg>;
    /// Whether saves are still on their way to disk.
    fn pending(&self) -> bool;
    /// Waits until every queued save is on disk (or failed) and returns the results.
    fn flush(&mut self) -> Vec<Msg>;
    /// Opens a saved session chosen on the start screen.
    fn resume(&mut self, id: &str) -> Result<Opened>;
    /// The saved sessions, newest change first.
    fn sessions(&mut self) -> Vec<SessionSummary>;
}

/// Carries out what the app asks of the outside world ([`Effect`]s) and
/// feeds the results back as messages. The terminal loop and the tests use
/// the same runtime, so what is tested is what runs.
pub struct Runtime {
    store: Option<Box<dyn Persistence>>,
    /// Where exported reports go; `None` when there is no such folder.
    export_dir: Option<PathBuf>,
    /// The working folder a relative `export_dir` is taken from.
    cwd: Option<PathBuf>,
}

impl Runtime {
    pub fn new(store: Option<Box<dyn Persistence>>, export_dir: Option<PathBuf>) -> Runtime {
        Runtime {
            store,
            export_dir,
            cwd: None,
        }
    }

    /// The same runtime taking a relative export folder from `cwd` (the
    /// working folder read in `main`).
    pub fn in_folder(mut self, cwd: Option<PathBuf>) -> Runtime {
        self.cwd = cwd;
        self
    }

    /// Carries out every effect the app has asked for, and those its
    /// answers ask for in turn. Returns whether the app must suspend.
    pub fn step(&mut self, app: &mut App) -> bool {
        let mut suspend = false;
        loop {
            let effects = app.take_effects();
            if effects.is_empty() {
                break;
            }
            for effect in effects {
                match effect {
                    Effect::Save(seq) => match self.store.as_mut() {
                        Some(s) if app.persistence() => s.save(seq, app.session()),
                        _ => {}
                    },
                    Effect::Create => {
                        let msg = match self.store.as_mut() {
                            Some(s) if app.persistence() => {
                                match s.create(app.session(), app.questionnaire()) {
                                    Ok(stored) => Msg::Created(Box::new(stored)),
                                    Err(e) => Msg::CreateFailed(e.to_string()),
                                }
                            }
                            _ => Msg::Created(Box::new(app.session().clone())),
                        };
                        app.handle(msg);
                    }
                    Effect::ListSessions => {
                        if let Some(s) = self.store.as_mut() {
                            let list = s.sessions();
                            app.handle(Msg::Sessions(list));
                        }
                    }
                    Effect::Resume(id) => {
                        let msg = match self.store.as_mut() {
                            Some(s) => match s.resume(&id) {
                                Ok(opened) => Msg::Opened(Box::new(opened)),
                                Err(e) => Msg::OpenFailed(e.to_string()),
                            },
                            None => Msg::OpenFailed("sessions are not available".into()),
                        };
                        app.handle(msg);
                    }
                    Effect::Export {
                        file_stem,
                        markdown,
                    } => {
                        let result = match &self.export_dir {
                            Some(dir) => export(dir, self.cwd.as_deref(), &file_stem, &markdown),
                            None => Err(
                                "there is no folder for reports; start aiact with --export-dir DIR"
                                    .into(),
                            ),
                        };
                        app.handle(Msg::Exported(result));
                    }
                    Effect::Suspend => suspend = true,
                }
            }
        }
        suspend
    }

    /// Hands the results of finished saves to the app. Returns whether any arrived.
    pub fn poll(&mut self, app: &mut App) -> bool {
        let msgs = self.store.as_mut().map(|s| s.poll()).unwrap_or_default();
        let any = !msgs.is_empty();
        for msg in msgs {
            app.handle(msg);
        }
        any
    }

    /// Whether saves are still on their way to disk.
    pub fn pending(&self) -> bool {
        self.store.as_ref().is_some_and(|s| s.pending())
    }

    /// Waits for every save to reach the disk and tells the app.
    pub fn flush(&mut self, app: &mut App) {
        let msgs = self.store.as_mut().map(|s| s.flush()).unwrap_or_default();
        for msg in msgs {
            app.handle(msg);
        }
    }
}

/// How the app is started.
pub struct Options {
    /// Capture the mouse (wheel scrolls); off by default so copy and paste work.
    pub mouse: bool,
}

/// Runs the app in the terminal until the user quits, a signal arrives or
/// the terminal goes away. Returns the exit code. Waits for input without
/// polling: no CPU is used while nothing happens.
pub fn run(mut app: App, mut runtime: Runtime, options: Options) -> Result<i32> {
    let guard = terminal::TerminalGuard::enter(options.mouse)?;
    let incoming = events::spawn();
    let backend = CrosstermBackend::new(io::stdout());
    let mut term = Terminal::new(backend).map_err(|e| io_env("start the terminal", &e))?;
    let mut dirty = true;
    let code = 'run: loop {
        // Effects asked for before the loop (opening a session saves it) or
        // by the last message are carried out before waiting again.
        if runtime.step(&mut app) && (guard.suspend().is_err() || redraw_all(&mut term).is_err()) {
            break TERMINAL_LOST;
        }
        if runtime.poll(&mut app) {
            dirty = true;
        }
        // Draw before waiting, so the first frame appears at once.
        if dirty {
            if term.draw(|f| view::render(&app, f)).is_err() {
                break TERMINAL_LOST;
            }
            dirty = false;
        }
        // Block until something happens; only while a save is on its way
        // wake up to show "saved" as soon as it is confirmed.
        let first = if runtime.pending() {
            match incoming.recv_timeout(Duration::from_millis(20)) {
                Ok(ev) => Some(ev),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break TERMINAL_LOST,
            }
        } else {
            match incoming.recv() {
                Ok(ev) => Some(ev),
                Err(_) => break TERMINAL_LOST,
            }
        };
        // Everything already queued is handled before the next frame.
        for ev in first
            .into_iter()
            .chain(std::iter::from_fn(|| incoming.try_recv().ok()))
        {
            match ev {
                events::Incoming::Terminal(event) => {
                    deliver(&mut app, event);
                    dirty = true;
                }
                events::Incoming::Resized => dirty = true,
                events::Incoming::Signal(sig) => break 'run 128 + sig,
                events::Incoming::HungUp => break 'run TERMINAL_LOST,
            }
            if runtime.step(&mut app)
                && (guard.suspend().is_err() || redraw_all(&mut term).is_err())
            {
                break 'run TERMINAL_LOST;
            }
            if app.should_quit() {
                break 'run exit::OK;
            }
        }
        if runtime.poll(&mut app) {
            dirty = true;
        }
    };
    // Nothing typed is lost: every queued save reaches the disk first.
    runtime.step(&mut app);
    runtime.flush(&mut app);
    // The guard shows the cursor and leaves the alternate screen; ratatui's
    // own drop would try again and, with the terminal gone, report the
    // failure by panicking on a closed stderr.
    std::mem::forget(term);
    drop(guard);
    // Work that did not reach the disk is never left unsaid.
    if let Some(why) = app.unsaved() {
        use std::io::Write;
        let _ = writeln!(
            io::stderr(),
            "aiact: your last changes to “{}” were not saved: {}",
            crate::text::printable_line(app.name()),
            crate::text::printable_line(why)
        );
        if code == exit::OK {
            return Ok(exit::ENVIRONMENT);
        }
    }
    Ok(code)
}

/// Hands a terminal event to the app, as the terminal loop does (tests
/// drive the app through this too, so what is tested is what runs). A
/// resize changes nothing in the app: the next frame is drawn at the new
/// size, and everything sized to the window is computed while drawing.
pub fn deliver(app: &mut App, event: Event) {
    match event {
        Event::Key(k) => app.handle(Msg::Key(k)),
        Event::Paste(s) => app.handle(Msg::Paste(s)),
        Event::Mouse(m) => app.handle(Msg::Mouse(m)),
        Event::Resize(..) | Event::FocusGained | Event::FocusLost => {}
    }
}

/// Clears the screen and forgets what was drawn, so the next frame is drawn
/// in full (after a suspension). Unlike `Terminal::clear` it never asks the
/// terminal for the cursor position: a terminal that does not answer (or
/// hangs up meanwhile) would leave the app waiting.
fn redraw_all<B: ratatui::backend::Backend>(
    term: &mut Terminal<B>,
) -> std::result::Result<(), B::Error> {
    let size = term.size()?;
    term.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

fn io_env(what: &'static str, e: &io::Error) -> Error {
    Error::Environment(format!(
        "aiact: could not {what} on the terminal: {}",
        crate::error::describe_io(e)
    ))
}

/// Writes a report into `dir`, never overwriting an existing file, and
/// returns the full path written (so the user can find it). A relative
/// `dir` is taken from `cwd`, the working folder read in `main` (without
/// one, from the process's).
pub fn export(
    dir: &Path,
    cwd: Option<&Path>,
    stem: &str,
    markdown: &str,
) -> std::result::Result<String, String> {
    let dir = match cwd {
        Some(cwd) if dir.is_relative() => cwd.join(dir),
        _ => std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()),
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return Err(format!(
            "{}: {}",
            dir.display(),
            crate::error::describe_io(&e)
        ));
    }
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
                    .and_then(|_| f.sync_all())
                    .map(|_| path.display().to_string())
                    .map_err(|e| crate::error::describe_io(&e));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(format!(
                    "{}: {}",
                    path.display(),
                    crate::error::describe_io(&e)
                ));
            }
        }
    }
    Err("too many reports with that name already".into())
}
