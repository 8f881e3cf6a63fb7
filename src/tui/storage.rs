//! The app's sessions on disk: creating the file of a new assessment,
//! resuming a saved one, saving through the background saver, holding the
//! lock of the one open. It stores exactly the [`Session`] the app hands it:
//! there is no copy here to keep in step.

use std::path::PathBuf;

use jiff::civil::Date;

use super::Persistence;
use super::app::{Msg, Opened, SessionSummary};
use crate::assessment::{self, Naming};
use crate::error::Result;
use crate::questionnaire::Questionnaire;
use crate::session::{Lock, OpenMode, Saver, Session, Store};

/// Sessions in a data folder, for the app.
pub struct SessionStorage {
    store: Store,
    saver: Saver,
    today: Date,
    /// The file of the session the app has open and its lock; saves go
    /// there and nowhere else.
    open: Option<(PathBuf, Option<Lock>)>,
    /// (saver sequence, app sequence) of saves not yet confirmed.
    pending: Vec<(u64, u64)>,
    errors: Vec<Msg>,
}

impl SessionStorage {
    pub fn new(store: Store, today: Date) -> SessionStorage {
        let saver = Saver::spawn(store.storage());
        SessionStorage {
            store,
            saver,
            today,
            open: None,
            pending: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// The data folder.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Makes an already opened session (from `aiact resume` or `aiact new`)
    /// the one saves go to, and returns it for the app.
    pub fn adopt(&mut self, opened: crate::session::Opened, read_only: Option<String>) -> Opened {
        let read_only = read_only
            .or_else(|| {
                opened.held_by.as_ref().map(|info| {
                    format!(
                        "This session is open in another aiact ({}): opened read-only, changes are not saved.",
                        info.describe()
                    )
                })
            })
            .or_else(|| {
                opened.unwritable.as_ref().map(|why| {
                    format!("Opened read-only: {why}, so changes are not saved.")
                })
            });
        // How the lock was taken (an unreadable one replaced), then what
        // changed in the questionnaire.
        let lock_notes = opened
            .lock
            .as_ref()
            .map(crate::session::Lock::notes)
            .unwrap_or_default();
        let notice = lock_notes
            .into_iter()
            .chain(migration_notice(&opened.migration))
            .reduce(|a, b| format!("{a} {b}"));
        self.open = match &read_only {
            None => Some((opened.path.clone(), opened.lock)),
            Some(_) => None,
        };
        Opened {
            session: opened.session,
            questionnaire: opened.questionnaire,
            read_only,
            notice,
        }
    }

    fn record(&mut self, report: crate::session::SaveReport, out: &mut Vec<Msg>) {
        // Each save is reported on its own (the saver coalesces per file
        // only), so exactly the save reported is confirmed.
        let app_seq = self
            .pending
            .iter()
            .find(|(s, _)| *s == report.seq)
            .map(|(_, a)| *a);
        self.pending.retain(|(s, _)| *s != report.seq);
        match (report.result, app_seq) {
            (Ok(()), Some(seq)) => out.push(Msg::Saved(seq)),
            (Ok(()), None) => {}
            (Err(e), _) => out.push(Msg::SaveFailed(e.to_string())),
        }
    }
}

/// What to tell the user when the questionnaire changed since the last save.
fn migration_notice(m: &crate::session::Migration) -> Option<String> {
    (!m.changes.is_empty() || !m.dropped.is_empty()).then(|| {
        format!(
            "The questionnaire changed since the last save: {} outcome(s) changed, {} answer(s) set aside.",
            m.changes.len(),
            m.dropped.len()
        )
    })
}

impl SessionStorage {
    /// Waits for the saves on their way, keeping their results for the next
    /// poll: before another session is opened or created, the one open now
    /// is on disk (resuming it again must read what was last shown).
    fn settle(&mut self) {
        let msgs = self.flush();
        self.errors.extend(msgs);
    }
}

impl Persistence for SessionStorage {
    fn create(&mut self, draft: &Session, questionnaire: &Questionnaire) -> Result<Session> {
        self.settle();
        // The session open until now is closed first: whatever fails below,
        // no save of the new draft can reach the previous session's file.
        self.open = None;
        let answers = draft.answers();
        // Locked before the file is written: nothing to undo if the lock
        // cannot be had, and no other aiact can open it in between.
        let (path, stored, lock) = assessment::create_locked(
            &self.store,
            Naming::FreeFrom(&draft.name),
            questionnaire,
            &answers,
            draft.created,
            self.today,
        )?;
        // The previous assessment's lock goes; this one is now the open one.
        self.open = Some((path, Some(lock)));
        Ok(stored)
    }

    fn save(&mut self, seq: u64, session: &Session) {
        let target = self.store.path_for(&session.name);
        match (&self.open, target) {
            (Some((open, _)), Ok(path)) if *open == path => match session.to_file_text(&path) {
                Ok(text) => {
                    let saver_seq = self.saver.save(path, text.into_bytes());
                    self.pending.push((saver_seq, seq));
                }
                Err(e) => self.errors.push(Msg::SaveFailed(e.to_string())),
            },
            (_, Err(e)) => self.errors.push(Msg::SaveFailed(e.to_string())),
            _ => self.errors.push(Msg::SaveFailed(format!(
                "“{}” has no session file open here; nothing was written",
                crate::text::printable_line(&session.name)
            ))),
        }
    }

    fn poll(&mut self) -> Vec<Msg> {
        let mut out = std::mem::take(&mut self.errors);
        while let Some(report) = self.saver.try_report() {
            self.record(report, &mut out);
        }
        out
    }

    fn pending(&self) -> bool {
        !self.pending.is_empty()
    }

    fn flush(&mut self) -> Vec<Msg> {
        let mut out = std::mem::take(&mut self.errors);
        while !self.pending.is_empty() {
            match self.saver.wait_report(std::time::Duration::from_secs(30)) {
                Some(report) => self.record(report, &mut out),
                None => {
                    out.push(Msg::SaveFailed(
                        "the disk did not confirm the last save within 30 s".into(),
                    ));
                    self.pending.clear();
                }
            }
        }
        out
    }

    fn resume(&mut self, id: &str) -> Result<Opened> {
        self.settle();
        if self
            .open
            .as_ref()
            .is_some_and(|(p, _)| self.store.path_for(id).is_ok_and(|q| q == *p))
        {
            // Reopening the session already open: release our own lock first.
            self.open = None;
        }
        let opened = assessment::open(&self.store, Some(id), OpenMode::LockOrReadOnly, self.today)?;
        Ok(self.adopt(opened, None))
    }

    fn sessions(&mut self) -> Vec<SessionSummary> {
        self.settle();
        summaries(&self.store)
    }
}

/// The saved sessions, newest change first, for the start screen: from the
/// folder's index, so a thousand sessions cost one small read.
pub fn summaries(store: &Store) -> Vec<SessionSummary> {
    let mut listed = store.summaries();
    listed.sort_by_key(|s| std::cmp::Reverse(s.updated));
    listed
        .into_iter()
        .map(|s| SessionSummary {
            id: s.name.clone(),
            name: s.name,
            questionnaire: s.questionnaire,
            progress: format!(
                "{} answer{}",
                s.answers,
                if s.answers == 1 { "" } else { "s" }
            ),
            changed: s.updated.strftime("%Y-%m-%d %H:%M").to_string(),
        })
        .collect()
}
