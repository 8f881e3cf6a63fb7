//! The data folder: one `<slug>.ron` per session, `<slug>.lock` beside it
//! while open, and dot-files for saves in progress.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;

use super::format::{Session, SetAside};
use super::lock::{Holder, Lock, LockAttempt, Unwritable};
use super::name::{check_name, name_key, slug_of};
use super::write::{RealStorage, Storage, remove_stale_temps, write_atomic, write_new};
use crate::engine::{Change, Evaluation, diff, evaluate, resolve_answers};
use crate::error::{Error, Result};
use crate::questionnaire::Questionnaire;
use crate::text::printable_line;

/// The folder where sessions live, and how files in it are written.
#[derive(Clone)]
pub struct Store {
    dir: PathBuf,
    storage: Arc<dyn Storage>,
    /// The host and clock its locks are taken with.
    holder: Holder,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("dir", &self.dir).finish()
    }
}

/// One entry of [`Store::list`]: a session, or a file that could not be read.
#[derive(Debug)]
pub struct Listed {
    pub path: PathBuf,
    pub session: Result<Session>,
}

/// A session opened for work: the questionnaire as it is now, the session
/// brought up to date with it, and what that changed.
#[derive(Debug)]
pub struct Opened {
    pub path: PathBuf,
    pub session: Session,
    pub questionnaire: Questionnaire,
    pub evaluation: Evaluation,
    pub migration: Migration,
    /// `None` when opened read-only.
    pub lock: Option<Lock>,
    /// Who holds the lock when it was opened read-only because of them.
    pub held_by: Option<super::lock::LockInfo>,
    /// Why it was opened read-only when the folder cannot be written (a
    /// read-only folder, a full disk), in words for the user.
    pub unwritable: Option<String>,
}

impl Opened {
    /// Whether saving is allowed (we hold the lock).
    pub fn read_only(&self) -> bool {
        self.lock.is_none()
    }
}

/// What resuming found against the questionnaire as it is now.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Migration {
    /// The questionnaire's routes or conditions changed since the last save.
    pub logic_changed: bool,
    /// Only wording changed: noted, not alarmed.
    pub text_changed: bool,
    /// (version saved with, version now) when they differ.
    pub version_change: Option<(String, String)>,
    /// Answers that no longer fit (removed questions or options), taken out
    /// of the session: (question id, the answer as saved, why).
    pub dropped: Vec<(String, crate::answers::Answer, String)>,
    /// Outcomes whose status differs from the last saved evaluation.
    pub changes: Vec<Change>,
    /// The question to show: where the user was, or after a logic change the
    /// first question that now needs an answer.
    pub landing: Option<String>,
    /// Why the session opens in the questionnaire's own language although
    /// it was last shown in a translation that can no longer be used.
    pub translation_note: Option<String>,
}

/// How to open a session when someone else holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Lock it; fail with [`Error::Environment`] if it is held.
    Lock,
    /// Lock it if free, else open read-only.
    LockOrReadOnly,
    /// Open read-only without locking (reports, lists).
    ReadOnly,
    /// Take the lock over whoever holds it (the user agreed).
    TakeOver,
    /// Lock it; fail if another aiact holds it, but open read-only when
    /// the folder cannot be written (a read-only folder, a full disk), with
    /// [`Opened::unwritable`] saying why (`recheck`).
    LockUnlessUnwritable,
}

impl Store {
    /// The platform's data folder for aiact, if the platform has one.
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "aiact").map(|d| d.data_dir().join("sessions"))
    }

    /// Opens (creating, private to the user) the data folder `dir`.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Store> {
        Store::with_storage(dir, Arc::new(RealStorage))
    }

    /// Like [`Store::open`] with another storage (tests inject failures).
    pub fn with_storage(dir: impl Into<PathBuf>, storage: Arc<dyn Storage>) -> Result<Store> {
        let dir = dir.into();
        if dir.exists() && !dir.is_dir() {
            return Err(Error::Environment(format!(
                "{}: the data folder is a file, not a folder; pass --data-dir with a folder, or move the file away",
                dir.display()
            )));
        }
        if !dir.is_dir() {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                builder.mode(0o700);
            }
            builder
                .create(&dir)
                .map_err(|e| Error::io(&dir, "create the session folder", &e))?;
        }
        // Saves interrupted by a crash or power cut leave temporary files.
        remove_stale_temps(storage.as_ref(), &dir);
        Ok(Store {
            dir,
            storage,
            holder: Holder::process(),
        })
    }

    /// The same store taking its locks as `holder` (the host name and clock
    /// read in `main`); a store opened without it uses the process's own.
    pub fn held_by(mut self, holder: Holder) -> Store {
        self.holder = holder;
        self
    }

    /// The folder this store reads and writes.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The storage saves go through (for a [`super::Saver`]).
    pub fn storage(&self) -> Arc<dyn Storage> {
        self.storage.clone()
    }

    /// The file of the session called `name` (checked).
    pub fn path_for(&self, name: &str) -> Result<PathBuf> {
        let name = check_name(name)?;
        Ok(self.dir.join(format!("{}.ron", slug_of(&name))))
    }

    /// The lock file of a session file.
    pub fn lock_path(session_file: &Path) -> PathBuf {
        session_file.with_extension("lock")
    }

    /// Every session file in the folder, readable or not, sorted by file
    /// name. Temporary, lock and other files are ignored; a link named like
    /// a session is listed as unreadable, never followed.
    pub fn list(&self) -> Result<Vec<Listed>> {
        let entries = std::fs::read_dir(&self.dir)
            .map_err(|e| Error::io(&self.dir, "read the session folder", &e))?;
        let mut paths: Vec<(PathBuf, bool)> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let kind = e.file_type().ok()?;
                let named = !name.starts_with('.') && name.ends_with(".ron");
                (named && (kind.is_file() || kind.is_symlink()))
                    .then(|| (e.path(), kind.is_symlink()))
            })
            .collect();
        paths.sort();
        Ok(paths
            .into_iter()
            .map(|(path, link)| Listed {
                session: if link {
                    Err(link_refused(&path))
                } else {
                    Session::read(&path)
                },
                path,
            })
            .collect())
    }

    /// What the start screen shows of each session that reads, by file
    /// name, from the folder's index (see `index.rs`): without parsing the
    /// files unless they are new or changed since the index was made.
    pub fn summaries(&self) -> Vec<super::Summary> {
        super::index::summaries(&self.dir)
    }

    /// Brings the session index up to date, if the folder changed since it
    /// was made.
    pub fn refresh_index(&self) {
        super::index::refresh(&self.dir)
    }

    /// The sessions that read, newest change first.
    pub fn most_recent(&self) -> Result<Option<Session>> {
        let mut sessions: Vec<Session> = self
            .list()?
            .into_iter()
            .filter_map(|l| l.session.ok())
            .collect();
        sessions.sort_by_key(|s| std::cmp::Reverse(s.updated));
        Ok(sessions.into_iter().next())
    }

    /// The error for a name whose file is taken, naming the session that has it.
    fn taken(&self, name: &str, path: &Path) -> Error {
        let holder = if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
            Session::read(path)
                .map(|s| s.name)
                .unwrap_or_else(|_| "a damaged session".into())
        } else {
            "something that is not a session".into()
        };
        let how = if name_key(&holder) == name_key(name) && holder != name.trim() {
            " (names that differ only by case or accents are the same name)"
        } else {
            ""
        };
        Error::Input(format!(
            "a session named \"{}\" already exists in {}{how}; choose another name",
            printable_line(&holder),
            self.dir.display()
        ))
    }

    /// Writes a session under a name not yet taken, atomically: of two
    /// aiact creating the same name at once, exactly one succeeds.
    fn write_new_session(&self, session: &Session, path: &Path) -> Result<()> {
        let text = session.to_file_text(path)?;
        if write_new(self.storage.as_ref(), path, text.as_bytes())? {
            Ok(())
        } else {
            Err(self.taken(&session.name, path))
        }
    }

    /// Saves a new session; refuses a name already taken.
    pub fn create(&self, session: &Session) -> Result<PathBuf> {
        let path = self.path_for(&session.name)?;
        self.write_new_session(session, &path)?;
        Ok(path)
    }

    /// Saves a session over its file, durably and atomically.
    pub fn save(&self, session: &Session) -> Result<PathBuf> {
        let path = self.path_for(&session.name)?;
        let text = session.to_file_text(&path)?;
        write_atomic(self.storage.as_ref(), &path, text.as_bytes())?;
        Ok(path)
    }

    /// Finds a session by name (any case or normalisation of it). A link
    /// in the data folder is refused, never followed.
    pub fn find(&self, name: &str) -> Result<PathBuf> {
        let path = self.path_for(name)?;
        let meta = std::fs::symlink_metadata(&path);
        if meta.as_ref().is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(link_refused(&path));
        }
        if !meta.is_ok_and(|m| m.is_file()) {
            return Err(Error::Input(format!(
                "there is no session named \"{}\" in {}; `aiact list` shows the sessions there",
                crate::text::echo(name),
                self.dir.display()
            )));
        }
        Ok(path)
    }

    /// Loads a session by name.
    pub fn load(&self, name: &str) -> Result<Session> {
        Session::read(&self.find(name)?)
    }

    /// Locks a session's file.
    pub fn lock(&self, session_file: &Path) -> Result<LockAttempt> {
        Lock::acquire_with(
            self.storage.as_ref(),
            &Store::lock_path(session_file),
            &self.holder,
        )
    }

    /// Locks a session, failing with who holds it, or saying plainly that
    /// the folder cannot be written.
    pub fn lock_or_fail(&self, session_file: &Path) -> Result<Lock> {
        match self.lock(session_file)? {
            LockAttempt::Acquired(l) => Ok(l),
            LockAttempt::HeldHere(info) | LockAttempt::HeldElsewhere(info) => {
                Err(held_error(session_file, &info))
            }
            LockAttempt::Unwritable(u) => Err(unwritable_error(&u)),
        }
    }

    /// Opens a session for work: locks it as `mode` says, loads the
    /// questionnaire as it is now and brings the session up to date
    /// (see [`migrate`]). Nothing is written.
    pub fn open_session(&self, name: &str, mode: OpenMode, today: Date) -> Result<Opened> {
        self.open_session_in(name, mode, today, None)
    }

    /// [`Store::open_session`] with the questionnaire in `language` (a
    /// translation beside its file); `None` opens it in the language the
    /// session was last shown in. A translation keeps the logic hash, so no
    /// answer is re-checked when the language changes.
    pub fn open_session_in(
        &self,
        name: &str,
        mode: OpenMode,
        today: Date,
        language: Option<&str>,
    ) -> Result<Opened> {
        let path = self.find(name)?;
        let mut held_by = None;
        let mut unwritable = None;
        let lock = match mode {
            OpenMode::ReadOnly => None,
            OpenMode::Lock => Some(self.lock_or_fail(&path)?),
            OpenMode::LockUnlessUnwritable => match self.lock(&path)? {
                LockAttempt::Acquired(l) => Some(l),
                LockAttempt::HeldHere(info) | LockAttempt::HeldElsewhere(info) => {
                    return Err(held_error(&path, &info));
                }
                LockAttempt::Unwritable(u) => {
                    unwritable = Some(u.describe());
                    None
                }
            },
            OpenMode::TakeOver => Some(Lock::take_over_with(
                self.storage.as_ref(),
                &Store::lock_path(&path),
                &self.holder,
            )?),
            OpenMode::LockOrReadOnly => match self.lock(&path)? {
                LockAttempt::Acquired(l) => Some(l),
                LockAttempt::HeldHere(info) => {
                    held_by = Some(info);
                    None
                }
                LockAttempt::Unwritable(u) => {
                    unwritable = Some(u.describe());
                    None
                }
                LockAttempt::HeldElsewhere(info) => {
                    return Err(Error::Environment(format!(
                        "{}: the session is open on another computer ({}); if that aiact is no longer running, open it with --take-over",
                        path.display(),
                        info.describe()
                    )));
                }
            },
        };
        let mut session = Session::read(&path)?;
        let (q, note) = session.load_questionnaire_in(&path, language)?;
        let (evaluation, mut migration) = migrate(&mut session, &q, today);
        migration.translation_note = note;
        Ok(Opened {
            path,
            session,
            questionnaire: q,
            evaluation,
            migration,
            lock,
            held_by,
            unwritable,
        })
    }

    /// Deletes a session (refused while another aiact has it open). On a
    /// full disk, where not even a lock can be written, the session is
    /// deleted without one unless a running aiact holds it: deleting is how
    /// space is freed.
    pub fn delete(&self, name: &str) -> Result<PathBuf> {
        self.delete_noting(name).map(|(path, _)| path)
    }

    /// [`Store::delete`], with what to tell the user about the lock taken
    /// for it (see [`Lock::notes`]).
    pub fn delete_noting(&self, name: &str) -> Result<(PathBuf, Vec<String>)> {
        let path = self.find(name)?;
        let lock = match self.lock(&path)? {
            LockAttempt::Acquired(l) => Some(l),
            LockAttempt::HeldHere(info) | LockAttempt::HeldElsewhere(info) => {
                return Err(held_error(&path, &info));
            }
            LockAttempt::Unwritable(u) if u.full() => {
                if let Ok(Some(info)) = super::lock::read_lock(&Store::lock_path(&path))
                    && !info.is_stale(&self.holder.host)
                {
                    return Err(held_error(&path, &info));
                }
                None
            }
            LockAttempt::Unwritable(u) => return Err(unwritable_error(&u)),
        };
        std::fs::remove_file(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                unwritable_error(&Unwritable {
                    dir: self.dir.clone(),
                    kind: e.kind(),
                })
            }
            _ => Error::io(&path, "delete the session", &e),
        })?;
        let notes = lock.as_ref().map(Lock::notes).unwrap_or_default();
        drop(lock);
        Ok((path, notes))
    }

    /// Renames a session: a new file under the new name, then the old one
    /// removed. Refused when the new name is taken.
    pub fn rename(&self, old: &str, new: &str, now: Timestamp) -> Result<PathBuf> {
        self.rename_noting(old, new, now).map(|(path, _)| path)
    }

    /// [`Store::rename`], with what to tell the user about the lock taken
    /// for it (see [`Lock::notes`]).
    pub fn rename_noting(
        &self,
        old: &str,
        new: &str,
        now: Timestamp,
    ) -> Result<(PathBuf, Vec<String>)> {
        let old_path = self.find(old)?;
        let new_name = check_name(new)?;
        let new_path = self.path_for(&new_name)?;
        let lock = self.lock_or_fail(&old_path)?;
        let mut session = Session::read(&old_path)?;
        session.name = new_name;
        session.updated = now;
        if new_path == old_path {
            // Only the spelling changes (case, accents): same file.
            let text = session.to_file_text(&new_path)?;
            write_atomic(self.storage.as_ref(), &new_path, text.as_bytes())?;
        } else {
            self.write_new_session(&session, &new_path)?;
            std::fs::remove_file(&old_path)
                .map_err(|e| Error::io(&old_path, "remove the old session file", &e))?;
        }
        Ok((new_path, lock.notes()))
    }

    /// Writes a session to a file anywhere (self-contained: a custom
    /// questionnaire travels inside). Refuses to replace a file unless
    /// `force`, and never writes through or over a link.
    pub fn export(&self, name: &str, file: &Path, force: bool) -> Result<()> {
        let session = self.load(name)?;
        let text = session.to_file_text(file)?;
        super::write::write_user_file(
            self.storage.as_ref(),
            file,
            text.as_bytes(),
            force,
            super::write::Writing::Export,
        )
    }

    /// Imports a session file, under `as_name` if given. A name clash is
    /// refused, so an import never replaces a session.
    pub fn import(&self, file: &Path, as_name: Option<&str>) -> Result<Session> {
        let mut session = Session::read(file)?;
        if let Some(name) = as_name {
            session.name = check_name(name)?;
        }
        let path = self.path_for(&session.name)?;
        match self.write_new_session(&session, &path) {
            Err(Error::Input(msg)) if msg.starts_with("a session named") => Err(Error::Input(
                format!("{msg}; import it under another name with --as NEW"),
            )),
            Err(e) => Err(e),
            Ok(()) => Ok(session),
        }
    }
}

/// A link in the data folder, refused.
fn link_refused(path: &Path) -> Error {
    Error::Input(format!(
        "{}: it is a symbolic link; aiact does not follow links in its data folder",
        path.display()
    ))
}

/// A session held by another aiact.
fn held_error(session_file: &Path, info: &super::lock::LockInfo) -> Error {
    Error::Environment(format!(
        "{}: the session is open in another aiact ({}); close it there first",
        session_file.display(),
        info.describe()
    ))
}

/// A data folder that cannot be written, in plain words.
fn unwritable_error(u: &Unwritable) -> Error {
    u.refusal()
}

/// Brings a session up to date with the questionnaire as it is now:
/// drops answers that no longer fit (listing them), decides where the user
/// lands, diffs the outcomes against the saved evaluation and records the new
/// one. Pure: the caller decides whether to save.
pub fn migrate(session: &mut Session, q: &Questionnaire, today: Date) -> (Evaluation, Migration) {
    let saved = &session.questionnaire;
    // Another language is not a change of wording: compare texts only
    // within one language.
    let same_language =
        saved.translated_into() == q.translation.as_ref().map(|t| t.language.as_str());
    let mut m = Migration {
        logic_changed: saved.logic_hash != q.logic_hash,
        text_changed: saved.logic_hash == q.logic_hash
            && saved.text_hash != q.text_hash
            && same_language,
        version_change: (saved.version != q.meta.version)
            .then(|| (saved.version.clone(), q.meta.version.clone())),
        ..Migration::default()
    };
    let (_, problems) = resolve_answers(q, &session.answers());
    for p in problems {
        if let Some(saved) = session.answers.remove(&p.question) {
            m.dropped
                .push((p.question.clone(), saved.answer.clone(), p.message.clone()));
            session.set_aside.insert(
                p.question,
                SetAside {
                    answer: saved,
                    reason: p.message,
                    version: session.questionnaire.version.clone(),
                },
            );
        }
    }
    let ev = evaluate(q, &session.answers(), today);
    let before = session
        .evaluation
        .as_ref()
        .map(|e| e.outcomes.clone())
        .unwrap_or_default();
    let after = ev.statuses(q);
    if session.evaluation.is_some() {
        // Background outcomes have no status to change: only results count.
        m.changes = diff(&before, &after)
            .into_iter()
            .filter(|c| !q.is_background_id(&c.id))
            .collect();
    }
    let current = ev.current.map(|c| q.questions[c].id().to_string());
    let stored = session
        .position
        .question
        .clone()
        .filter(|id| q.question_index(id).is_some_and(|i| ev.path.contains(&i)));
    m.landing = if m.logic_changed || !m.dropped.is_empty() {
        current.or(stored)
    } else {
        stored.or(current)
    };
    session.position.question = m.landing.clone();
    session.questionnaire.refresh(q);
    session.record_evaluation(q, &ev);
    (ev, m)
}
