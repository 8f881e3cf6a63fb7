//! Starting the app: `aiact` (the start screen), `aiact new`, `aiact
//! resume` and `aiact present`. The command line (`cli`) fills in plain
//! option structs defined here, so the app never names the command line.
//! Sessions are opened and created through [`crate::assessment`], saved
//! through [`super::storage::SessionStorage`].

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::app::{App, Choice};
use super::storage::{SessionStorage, summaries};
use super::{Options, PresentTheme, Runtime};
use crate::assessment;
use crate::env::Env;
use crate::error::Result;
use crate::questionnaire;
use crate::session::OpenMode;

/// What every way of starting the app is given.
#[derive(Debug, Clone, Default)]
pub struct Launch {
    /// The data folder (`None`: the platform's).
    pub data_dir: Option<PathBuf>,
    /// The folder given for exported reports (`None`: the environment's default).
    pub export_dir: Option<PathBuf>,
    /// Capture the mouse.
    pub mouse: bool,
    /// Offer only this questionnaire on the start screen (a file or a shipped id).
    pub questionnaire: Option<String>,
    /// Show the questionnaire in this language: its translation file beside it.
    pub language: Option<String>,
}

/// `aiact new`: the new session.
#[derive(Debug, Clone, Default)]
pub struct NewOptions {
    pub name: Option<String>,
    pub questionnaire: Option<String>,
    /// An answers file to pre-fill from.
    pub answers: Option<PathBuf>,
    /// A component's folder to pre-answer from.
    pub from: Option<PathBuf>,
}

/// `aiact resume`: which session, and how.
#[derive(Debug, Clone, Default)]
pub struct ResumeOptions {
    /// The session (`None`: the one changed last).
    pub name: Option<String>,
    pub read_only: bool,
    pub take_over: bool,
}

/// `aiact present`.
#[derive(Debug, Clone)]
pub struct PresentOptions {
    pub questionnaire: Option<String>,
    pub theme: PresentTheme,
}

/// Where exported reports go: the folder given, else the environment's
/// default (the documents folder).
pub fn export_folder(given: Option<&Path>, env: &Env) -> Option<PathBuf> {
    given
        .map(Path::to_path_buf)
        .or_else(|| env.export_dir.clone())
}

/// The runtime the app runs with: `storage`, and exports into
/// [`export_folder`], a relative one taken from the working folder.
pub fn runtime(
    storage: Option<Box<dyn super::Persistence>>,
    launch: &Launch,
    env: &Env,
) -> Runtime {
    Runtime::new(storage, export_folder(launch.export_dir.as_deref(), env))
        .in_folder(env.cwd.clone())
}

/// `aiact` with no command: the start screen. With `--questionnaire`, only
/// that one is offered; otherwise every shipped questionnaire.
pub fn start(launch: &Launch, env: &Env, today: Date) -> Result<i32> {
    // The shipped questionnaires are offered by their headers; a choice is
    // decoded only when the user picks it.
    let language = launch.language.as_deref();
    let choices: Vec<Choice> = match launch.questionnaire.as_deref() {
        Some(spec) => match Choice::shipped(spec).filter(|_| language.is_none()) {
            Some(c) => vec![c],
            None => vec![
                questionnaire::translation::load_spec(spec, language)?
                    .0
                    .into(),
            ],
        },
        None => Choice::all_shipped(),
    };
    // Without a terminal, fail before touching the data folder.
    check_terminal(env)?;
    let store = assessment::data_store(launch.data_dir.as_deref(), env).ok();
    let sessions = store.as_ref().map(summaries).unwrap_or_default();
    let app = App::start(choices, sessions, today)
        .with_clock(env.clock.clone())
        .with_persistence(store.is_some())
        .with_color(env.color)
        .with_data_dir(store.as_ref().map(|s| s.dir().display().to_string()));
    let listing = store.clone();
    let storage = store
        .map(|store| Box::new(SessionStorage::new(store, today)) as Box<dyn super::Persistence>);
    let code = super::run(
        app,
        runtime(storage, launch, env),
        Options {
            mouse: launch.mouse,
        },
    );
    refresh_index(listing.as_ref());
    code
}

/// Brings the folder's session index up to date on the way out, so the
/// next start lists the sessions from it (see `session::Store::summaries`).
fn refresh_index(store: Option<&crate::session::Store>) {
    if let Some(store) = store {
        store.refresh_index();
    }
}

/// `aiact present`: facilitator mode for a room, on a projector. Nothing is
/// saved (participants keep their own sessions); the app starts at the first
/// question.
pub fn present(launch: &Launch, args: &PresentOptions, env: &Env, today: Date) -> Result<i32> {
    let spec = args
        .questionnaire
        .as_deref()
        .unwrap_or(questionnaire::DEFAULT_ID);
    let (questionnaire, _) =
        questionnaire::translation::load_spec(spec, launch.language.as_deref())?;
    check_terminal(env)?;
    let theme = args.theme;
    let app = App::new(questionnaire, crate::answers::Answers::new(), today)
        .with_clock(env.clock.clone())
        .presenting(theme);
    super::run(
        app,
        runtime(None, launch, env),
        Options {
            mouse: launch.mouse,
        },
    )
}

fn check_terminal(env: &Env) -> Result<()> {
    if !env.interactive {
        return Err(crate::Error::Environment(
            super::terminal::NO_TERMINAL.into(),
        ));
    }
    Ok(())
}

/// `aiact resume` in a terminal: the app on a saved session (by name, or the
/// one changed last).
pub fn resume(launch: &Launch, args: &ResumeOptions, env: &Env, today: Date) -> Result<i32> {
    check_terminal(env)?;
    let store = assessment::data_store(launch.data_dir.as_deref(), env)?;
    let mode = if args.take_over {
        OpenMode::TakeOver
    } else if args.read_only {
        OpenMode::ReadOnly
    } else {
        OpenMode::LockOrReadOnly
    };
    let opened = assessment::open_in(
        &store,
        args.name.as_deref(),
        mode,
        today,
        launch.language.as_deref(),
    )?;
    let read_only = args
        .read_only
        .then(|| "Opened read-only: changes are not saved.".to_string());
    run_opened(launch, env, store, opened, read_only, None, today)
}

/// `aiact new` in a terminal: creates the session, then opens the app on it.
pub fn new(launch: &Launch, args: &NewOptions, env: &Env, today: Date) -> Result<i32> {
    check_terminal(env)?;
    let store = assessment::data_store(launch.data_dir.as_deref(), env)?;
    let (q, _) = questionnaire::translation::load_spec(
        args.questionnaire
            .as_deref()
            .unwrap_or(questionnaire::DEFAULT_ID),
        launch.language.as_deref(),
    )?;
    let (_, session, notes) = assessment::create_new(
        &store,
        args.name.as_deref(),
        &q,
        args.answers.as_deref(),
        args.from.as_deref(),
        env.clock.now(),
        today,
    )?;
    let opened = assessment::open(&store, Some(&session.name), OpenMode::Lock, today)?;
    let notice = (!session.prefilled.is_empty()).then(|| {
        let mut n = format!(
            "{} answer(s) pre-filled from the folder: each is marked until you confirm it.",
            session.prefilled.len()
        );
        if !notes.is_empty() {
            n.push_str(&format!(" Not used: {}", notes.join("; ")));
        }
        n
    });
    run_opened(launch, env, store, opened, None, notice, today)
}

fn run_opened(
    launch: &Launch,
    env: &Env,
    store: crate::session::Store,
    opened: crate::session::Opened,
    read_only: Option<String>,
    notice: Option<String>,
    today: Date,
) -> Result<i32> {
    let dir = store.dir().display().to_string();
    let mut storage = SessionStorage::new(store, today);
    let mut opened = storage.adopt(opened, read_only);
    opened.notice = opened.notice.or(notice);
    let mut app = App::start(vec![opened.questionnaire.clone()], Vec::new(), today)
        .with_clock(env.clock.clone())
        .with_persistence(true)
        .with_color(env.color)
        .with_data_dir(Some(dir));
    app.handle(super::Msg::Opened(Box::new(opened)));
    let listing = storage.store().clone();
    let code = super::run(
        app,
        runtime(Some(Box::new(storage)), launch, env),
        Options {
            mouse: launch.mouse,
        },
    );
    refresh_index(Some(&listing));
    code
}
