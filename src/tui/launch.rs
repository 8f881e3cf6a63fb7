//! Starting the app from the command line, and the bridge between the app's
//! save requests and the session storage (saves run on the storage's
//! background thread; the app shows "saved" only once one is confirmed).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;

use super::app::{App, Msg, SessionSummary};
use super::{Options, Persistence};
use crate::error::Result;
use crate::questionnaire::{self, Questionnaire};
use crate::session::{Lock, OpenMode, Progress, Saver, Session, Store, check_name};

/// `aiact` with no command: the start screen. With `questionnaire`, only
/// that one is offered; otherwise every shipped questionnaire.
pub fn start(
    questionnaire: Option<&str>,
    data_dir: Option<&Path>,
    mouse: bool,
    today: Date,
) -> Result<i32> {
    let choices: Vec<Questionnaire> = match questionnaire {
        Some(spec) => vec![questionnaire::load_spec(spec)?],
        None => questionnaire::SHIPPED
            .iter()
            .map(|(id, _, _)| questionnaire::load_shipped(id).expect("shipped id"))
            .collect::<Result<_>>()?,
    };
    // Without a terminal, fail before touching the data folder.
    check_terminal()?;
    let store = crate::cli::data_store(data_dir).ok();
    let sessions = store.as_ref().map(summaries).unwrap_or_default();
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let app = App::start(choices, sessions, today)
        .with_persistence(store.is_some())
        .with_color(color)
        .with_data_dir(store.as_ref().map(|s| s.dir().display().to_string()));
    let persistence: Option<Box<dyn Persistence>> = store.map(|store| {
        Box::new(SessionBridge::new(
            store,
            today,
            questionnaire.map(str::to_string),
        )) as Box<dyn Persistence>
    });
    let export_dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    super::run(app, persistence, Options { mouse, export_dir })
}

/// `aiact present`: facilitator mode for a room, on a projector. Nothing is
/// saved (participants keep their own sessions); the app starts at the first
/// question.
pub fn present(args: &crate::cli::args::PresentArgs, mouse: bool, today: Date) -> Result<i32> {
    let spec = args
        .questionnaire
        .as_deref()
        .unwrap_or(questionnaire::DEFAULT_ID);
    let questionnaire = questionnaire::load_spec(spec)?;
    check_terminal()?;
    let theme = match args.theme {
        crate::cli::args::PresentTheme::Light => super::PresentTheme::Light,
        crate::cli::args::PresentTheme::HighContrast => super::PresentTheme::HighContrast,
    };
    let app = App::new(questionnaire, crate::answers::Answers::new(), today).presenting(theme);
    let export_dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    super::run(app, None, Options { mouse, export_dir })
}

fn check_terminal() -> Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(crate::Error::Environment(
            super::terminal::NO_TERMINAL.into(),
        ));
    }
    Ok(())
}

/// The saved sessions, newest change first, for the start screen.
fn summaries(store: &Store) -> Vec<SessionSummary> {
    let mut listed: Vec<Session> = store
        .list()
        .map(|l| l.into_iter().filter_map(|l| l.session.ok()).collect())
        .unwrap_or_default();
    listed.sort_by_key(|s| std::cmp::Reverse(s.updated));
    listed
        .into_iter()
        .map(|s| SessionSummary {
            id: s.name.clone(),
            name: s.name.clone(),
            questionnaire: s.questionnaire.id.clone(),
            progress: format!(
                "{} answer{}",
                s.answers.len(),
                if s.answers.len() == 1 { "" } else { "s" }
            ),
            changed: s.updated.strftime("%Y-%m-%d %H:%M").to_string(),
        })
        .collect()
}

fn progress_of(words: &str) -> Progress {
    match words {
        "in progress" => Progress::InProgress,
        "done" => Progress::Done,
        _ => Progress::NotStarted,
    }
}

/// Saves the app's state into a session file through the background saver.
struct SessionBridge {
    store: Store,
    saver: Saver,
    session: Option<Session>,
    _lock: Option<Lock>,
    read_only: bool,
    today: Date,
    /// (saver sequence, app sequence) of saves not yet confirmed.
    pending: Vec<(u64, u64)>,
    errors: Vec<Msg>,
    _spec: Option<String>,
}

impl SessionBridge {
    fn new(store: Store, today: Date, spec: Option<String>) -> SessionBridge {
        let saver = Saver::spawn(store.storage());
        SessionBridge {
            store,
            saver,
            session: None,
            _lock: None,
            read_only: false,
            today,
            pending: Vec::new(),
            errors: Vec::new(),
            _spec: spec,
        }
    }

    /// Creates the session file for a new assessment, under a free name.
    fn create(&mut self, app: &App) -> Result<()> {
        let base = if app.name().is_empty() {
            "assessment".to_string()
        } else {
            check_name(app.name())?
        };
        let now = Timestamp::now();
        for n in 1..1000 {
            let name = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            if self.store.path_for(&name)?.exists() {
                continue;
            }
            let session = Session::new(&name, app.questionnaire(), now)?;
            let path = self.store.create(&session)?;
            self._lock = Some(self.store.lock_or_fail(&path)?);
            self.session = Some(session);
            return Ok(());
        }
        Err(crate::Error::Input(
            "too many sessions with this name; choose another".into(),
        ))
    }

    fn sync(&mut self, app: &App) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let now = Timestamp::now();
        for (id, a) in app.answers() {
            if s.answers.get(id).map(|x| &x.answer) != Some(a) {
                s.set_answer(id, a.clone(), now);
            }
        }
        let ids: Vec<String> = s.answers.keys().cloned().collect();
        for id in ids {
            let want = app.notes().get(&id).cloned();
            if s.answers.get(&id).and_then(|a| a.note.clone()) != want {
                s.set_note(&id, want.as_deref().unwrap_or(""), now);
            }
        }
        for (id, words) in app.follow_up() {
            let p = progress_of(words);
            if s.follow_up.get(id).map(|f| f.status) != Some(p) {
                let note = s
                    .follow_up
                    .get(id)
                    .map(|f| f.note.clone())
                    .unwrap_or_default();
                s.set_follow_up(id, p, &note, now);
            }
        }
        let ev = app.evaluation();
        let q = app.questionnaire();
        s.position.question = ev.current.map(|c| q.questions[c].id().to_string());
        s.position.screen = if ev.is_complete() {
            "results".into()
        } else {
            "question".into()
        };
        s.record_evaluation(q, ev);
    }
}

impl Persistence for SessionBridge {
    fn save(&mut self, seq: u64, app: &App) {
        if self.read_only {
            return;
        }
        if self.session.is_none()
            && let Err(e) = self.create(app)
        {
            self.errors.push(Msg::SaveFailed(e.to_string()));
            return;
        }
        self.sync(app);
        let Some(s) = self.session.as_ref() else {
            return;
        };
        match self.saver.save_session(&self.store, s) {
            Ok(saver_seq) => self.pending.push((saver_seq, seq)),
            Err(e) => self.errors.push(Msg::SaveFailed(e.to_string())),
        }
    }

    fn poll(&mut self) -> Vec<Msg> {
        let mut out = std::mem::take(&mut self.errors);
        while let Some(report) = self.saver.try_report() {
            match report.result {
                Ok(()) => {
                    let done: Vec<u64> = self
                        .pending
                        .iter()
                        .filter(|(s, _)| *s <= report.seq)
                        .map(|(_, a)| *a)
                        .collect();
                    self.pending.retain(|(s, _)| *s > report.seq);
                    if let Some(&max) = done.iter().max() {
                        out.push(Msg::Saved(max));
                    }
                }
                Err(e) => out.push(Msg::SaveFailed(e.to_string())),
            }
        }
        out
    }

    fn resume(&mut self, id: &str, app: &mut App) -> Result<()> {
        let opened = self
            .store
            .open_session(id, OpenMode::LockOrReadOnly, self.today)?;
        self.adopt(opened, app);
        Ok(())
    }
}

impl SessionBridge {
    /// Takes an opened session over: the app shows it, saves go to its file.
    fn adopt(&mut self, opened: crate::session::Opened, app: &mut App) {
        let notes: BTreeMap<String, String> = opened
            .session
            .answers
            .iter()
            .filter_map(|(k, a)| a.note.clone().map(|n| (k.clone(), n)))
            .collect();
        let follow: BTreeMap<String, String> = opened
            .session
            .follow_up
            .iter()
            .map(|(k, f)| (k.clone(), f.status.words().to_string()))
            .collect();
        self.read_only = opened.held_by.is_some();
        app.load(
            opened.questionnaire,
            &opened.session.name,
            opened.session.answers(),
            notes,
            follow,
        );
        if self.read_only {
            app.persistence = false;
            app.status = Some(
                "This session is open in another aiact: opened read-only, changes are not saved."
                    .into(),
            );
        } else if !opened.migration.changes.is_empty() || !opened.migration.dropped.is_empty() {
            app.status = Some(format!(
                "The questionnaire changed since the last save: {} outcome(s) changed, {} answer(s) set aside.",
                opened.migration.changes.len(),
                opened.migration.dropped.len()
            ));
        }
        self._lock = opened.lock;
        self.session = Some(opened.session);
    }
}

/// `aiact resume` in a terminal: the app on a saved session (by name, or the
/// one changed last).
pub fn resume(
    data_dir: Option<&Path>,
    args: &crate::cli::args::ResumeArgs,
    mouse: bool,
    today: Date,
) -> Result<i32> {
    check_terminal()?;
    let store = crate::cli::data_store(data_dir)?;
    let mode = if args.take_over {
        OpenMode::TakeOver
    } else if args.read_only {
        OpenMode::ReadOnly
    } else {
        OpenMode::LockOrReadOnly
    };
    let opened = crate::cli::open_session_for_app(&store, args.name.as_deref(), mode, today)?;
    let read_only = args.read_only;
    run_opened(store, opened, read_only, mouse, today)
}

/// `aiact new` in a terminal: creates the session, then opens the app on it.
pub fn new(
    data_dir: Option<&Path>,
    args: &crate::cli::args::NewArgs,
    mouse: bool,
    today: Date,
) -> Result<i32> {
    check_terminal()?;
    let store = crate::cli::data_store(data_dir)?;
    let (_, session) = crate::cli::create_session(
        &store,
        args.name.as_deref(),
        args.questionnaire.as_deref(),
        args.answers.as_deref(),
        today,
    )?;
    let opened =
        crate::cli::open_session_for_app(&store, Some(&session.name), OpenMode::Lock, today)?;
    run_opened(store, opened, false, mouse, today)
}

fn run_opened(
    store: Store,
    opened: crate::session::Opened,
    read_only: bool,
    mouse: bool,
    today: Date,
) -> Result<i32> {
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let dir = store.dir().display().to_string();
    let mut app = App::start(vec![opened.questionnaire.clone()], Vec::new(), today)
        .with_persistence(!read_only)
        .with_color(color)
        .with_data_dir(Some(dir));
    let mut bridge = SessionBridge::new(store, today, None);
    bridge.adopt(opened, &mut app);
    if read_only {
        bridge.read_only = true;
        app.persistence = false;
        app.status = Some("Opened read-only: changes are not saved.".into());
    }
    let export_dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    super::run(app, Some(Box::new(bridge)), Options { mouse, export_dir })
}
