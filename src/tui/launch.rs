//! Starting the app from the command line: `aiact` (the start screen),
//! `aiact new`, `aiact resume` and `aiact present`. Sessions are opened and
//! created through [`crate::assessment`], saved through
//! [`super::storage::SessionStorage`].

use jiff::civil::Date;

use super::app::{App, Choice};
use super::storage::{SessionStorage, summaries};
use super::{Options, Runtime};
use crate::assessment;
use crate::cli::Cli;
use crate::cli::args::{NewArgs, PresentArgs, ResumeArgs};
use crate::env::Env;
use crate::error::Result;
use crate::questionnaire;
use crate::session::OpenMode;

/// Where exported reports go: `--export-dir`, else the environment's default.
fn export_dir(cli: &Cli, env: &Env) -> Option<std::path::PathBuf> {
    cli.export_dir.clone().or_else(|| env.export_dir.clone())
}

/// `aiact` with no command: the start screen. With `--questionnaire`, only
/// that one is offered; otherwise every shipped questionnaire.
pub fn start(cli: &Cli, env: &Env, today: Date) -> Result<i32> {
    // The shipped questionnaires are offered by their headers; a choice is
    // decoded only when the user picks it.
    let language = cli.language.as_deref();
    let choices: Vec<Choice> = match cli.questionnaire.as_deref() {
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
    let store = assessment::data_store(cli.data_dir.as_deref()).ok();
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
        Runtime::new(storage, export_dir(cli, env)),
        Options { mouse: cli.mouse },
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
pub fn present(cli: &Cli, args: &PresentArgs, env: &Env, today: Date) -> Result<i32> {
    let spec = args
        .questionnaire
        .as_deref()
        .unwrap_or(questionnaire::DEFAULT_ID);
    let (questionnaire, _) = questionnaire::translation::load_spec(spec, cli.language.as_deref())?;
    check_terminal(env)?;
    let theme = match args.theme {
        crate::cli::args::PresentTheme::Light => super::PresentTheme::Light,
        crate::cli::args::PresentTheme::HighContrast => super::PresentTheme::HighContrast,
    };
    let app = App::new(questionnaire, crate::answers::Answers::new(), today)
        .with_clock(env.clock.clone())
        .presenting(theme);
    super::run(
        app,
        Runtime::new(None, export_dir(cli, env)),
        Options { mouse: cli.mouse },
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
pub fn resume(cli: &Cli, args: &ResumeArgs, env: &Env, today: Date) -> Result<i32> {
    check_terminal(env)?;
    let store = assessment::data_store(cli.data_dir.as_deref())?;
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
        cli.language.as_deref(),
    )?;
    let read_only = args
        .read_only
        .then(|| "Opened read-only: changes are not saved.".to_string());
    run_opened(cli, env, store, opened, read_only, None, today)
}

/// `aiact new` in a terminal: creates the session, then opens the app on it.
pub fn new(cli: &Cli, args: &NewArgs, env: &Env, today: Date) -> Result<i32> {
    check_terminal(env)?;
    let store = assessment::data_store(cli.data_dir.as_deref())?;
    let (q, _) = questionnaire::translation::load_spec(
        args.questionnaire
            .as_deref()
            .unwrap_or(questionnaire::DEFAULT_ID),
        cli.language.as_deref(),
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
    run_opened(cli, env, store, opened, None, notice, today)
}

fn run_opened(
    cli: &Cli,
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
        Runtime::new(Some(Box::new(storage)), export_dir(cli, env)),
        Options { mouse: cli.mouse },
    );
    refresh_index(Some(&listing));
    code
}
