//! Sessions that are never lost: the session file format, the data folder,
//! durable atomic saves (also off the UI thread), locking, and resuming
//! against a questionnaire that may have changed.
//!
//! # Public API (for the commands and the interactive app)
//!
//! - [`Store::open(dir)`](Store::open) opens the data folder (created 0700);
//!   [`Store::default_dir`] is the platform default. `cli::data_store` picks
//!   between `--data-dir`/`AIACT_DATA_DIR` and the default.
//! - [`Session`] is the whole saved state; [`Session::new`],
//!   [`Session::set_answer`], [`Session::set_note`], [`Session::set_follow_up`],
//!   [`Session::record_evaluation`] change it; [`Session::to_ron`] /
//!   [`Session::read`] are the file format.
//! - [`Store::create`] (refuses a taken name), [`Store::save`] (atomic and
//!   durable, synchronous), [`Store::open_session`] (lock + load + migrate,
//!   returns [`Opened`] with the [`Migration`] to show), [`Store::list`],
//!   [`Store::summaries`] (what the start screen shows, from a small index),
//!   [`Store::delete`], [`Store::rename`], [`Store::export`], [`Store::import`].
//! - [`Saver`]: a background thread for autosave. `saver.save(path, bytes)`
//!   returns a sequence number; the [`SaveReport`] with `Ok` and that number
//!   means the save is confirmed on disk — show "saved".
//!   [`Saver::save_session`] is the shorthand for a session.
//! - [`Lock`] / [`LockAttempt`]: who holds a session; a stale lock on this
//!   host is taken over, one on another host is reported for the user to decide.
//! - [`check_name`] / [`slug_of`]: names and their file names.
//! - Every write goes through the [`Storage`] seam ([`RealStorage`] in use).

mod format;
mod index;
mod lock;
mod name;
mod store;
mod write;

pub use crate::env::host_name;
pub use format::{
    FollowUp, MAX_SESSION_BYTES, Origin, Position, Progress, QuestionnaireRef,
    SESSION_FORMAT_VERSION, SavedAnswer, SavedEvaluation, Session, SetAside,
};
pub use index::{SETTLED, Summary, index_path};
pub use lock::{Holder, Lock, LockAttempt, LockInfo, Unwritable, process_alive, read_lock};
pub use name::{MAX_NAME_CHARS, MAX_SLUG_BYTES, check_name, name_key, slug_of};
pub use store::{Listed, Migration, OpenMode, Opened, Store, migrate};
pub use write::{
    RealStorage, SaveReport, Saver, Storage, TempFile, Writing, remove_stale_temps, temp_path,
    write_atomic, write_new, write_user_file,
};

impl Saver {
    /// Queues a save of `session` into `store` (see [`Saver::save`]).
    pub fn save_session(&mut self, store: &Store, session: &Session) -> crate::Result<u64> {
        let path = store.path_for(&session.name)?;
        let text = session.to_file_text(&path)?;
        Ok(self.save(path, text.into_bytes()))
    }
}

/// The report's view of a session: name, dates, notes and follow-up.
pub fn report_info(session: &Session) -> crate::report::SessionInfo {
    crate::report::SessionInfo {
        name: session.name.clone(),
        created: session.created.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        updated: session.updated.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        notes: session
            .answers
            .iter()
            .filter_map(|(id, a)| a.note.clone().map(|n| (id.clone(), n)))
            .collect(),
        follow_up: session
            .follow_up
            .iter()
            .map(|(id, f)| (id.clone(), f.status.words().to_string(), f.note.clone()))
            .collect(),
    }
}
