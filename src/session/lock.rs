//! Session locks: a separate `<slug>.lock` file recording who has a session
//! open (host, process id, start time), so two aiact processes never write
//! the same session. The lock is created atomically with its content (written
//! to a temporary file, then hard-linked into place, which fails if a lock
//! exists), so a reader never sees a half-written lock.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::write::Storage;
use crate::env::Clock;
use crate::error::{Error, Result};

/// Who takes locks: this computer's name and the clock that dates them.
/// Both are read in `main` (see [`crate::env::Env`]) and passed in, so
/// tests pin them.
#[derive(Debug, Clone)]
pub struct Holder {
    pub host: String,
    pub clock: Clock,
}

impl Holder {
    /// The running process's surroundings: the real host name and clock.
    /// For stores opened without an [`crate::env::Env`] (tests, tools).
    pub fn process() -> Holder {
        Holder {
            host: crate::env::host_name(),
            clock: Clock::system(),
        }
    }
}

/// Who holds a lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockInfo {
    pub host: String,
    pub pid: u32,
    /// When the lock was taken.
    pub started: Timestamp,
    /// The process's start time in clock ticks since boot (Linux), so a
    /// reused process id is not mistaken for the holder.
    #[serde(default)]
    pub proc_start: Option<u64>,
}

impl LockInfo {
    /// This process, on `holder`'s host, at `holder`'s time now.
    pub fn current(holder: &Holder) -> LockInfo {
        let pid = std::process::id();
        LockInfo {
            host: holder.host.clone(),
            pid,
            started: holder.clock.now(),
            proc_start: process_start(pid),
        }
    }

    /// "process 123 on host box since 2026-11-26T10:00:00Z", for messages.
    pub fn describe(&self) -> String {
        format!(
            "process {} on host \"{}\" since {}",
            self.pid,
            crate::text::printable_line(&self.host),
            self.started.strftime("%Y-%m-%d %H:%M:%S UTC")
        )
    }

    /// Whether the holder is certainly gone: same host as `here` (this
    /// computer's name), and its process id is not running (or is running a
    /// different, later process).
    pub fn is_stale(&self, here: &str) -> bool {
        if self.host != here {
            return false;
        }
        if !cfg!(target_os = "linux") {
            return false;
        }
        match process_alive(self.pid) {
            Some(false) => return true,
            None => return false,
            Some(true) => {}
        }
        match (self.proc_start, process_start(self.pid)) {
            (Some(recorded), Some(now)) => recorded != now,
            _ => false,
        }
    }
}

/// Whether process `pid` runs on this computer: `None` when it cannot be told.
pub fn process_alive(pid: u32) -> Option<bool> {
    if pid == 0 {
        return Some(false);
    }
    #[cfg(target_os = "linux")]
    {
        Some(Path::new(&format!("/proc/{pid}")).exists())
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        // Above what a pid_t holds: no such process (and a negative value
        // would name a process group).
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return Some(false);
        };
        // SAFETY: signal 0 only checks whether the process exists.
        if unsafe { libc::kill(pid, 0) } == 0 {
            return Some(true);
        }
        match std::io::Error::last_os_error().raw_os_error() {
            Some(libc::ESRCH) => Some(false),
            Some(libc::EPERM) => Some(true),
            _ => None,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        None
    }
}

/// The outcome of trying to lock a session.
#[derive(Debug)]
pub enum LockAttempt {
    /// We hold the lock; it is released when dropped.
    Acquired(Lock),
    /// A live process on this host holds it: open read-only or wait.
    HeldHere(LockInfo),
    /// A process on another host holds it (a shared folder): only the user
    /// can tell whether it is still in use; ask, then [`Lock::take_over`].
    HeldElsewhere(LockInfo),
    /// The lock could not be written: the folder is read-only or the disk
    /// full. Nobody else holds it (as far as can be read); open read-only.
    Unwritable(Unwritable),
}

/// Why a lock could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwritable {
    /// The data folder.
    pub dir: PathBuf,
    pub kind: std::io::ErrorKind,
}

impl Unwritable {
    /// "the data folder /x is read-only (permission denied)", for messages.
    pub fn describe(&self) -> String {
        use std::io::ErrorKind::*;
        let dir = self.dir.display();
        match self.kind {
            StorageFull | QuotaExceeded => {
                format!("the disk holding the data folder {dir} is full")
            }
            ReadOnlyFilesystem => {
                format!("the data folder {dir} is read-only (a read-only file system)")
            }
            _ => format!("the data folder {dir} is read-only (permission denied)"),
        }
    }

    /// Whether the disk is full (rather than the folder read-only).
    pub fn full(&self) -> bool {
        matches!(
            self.kind,
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
        )
    }

    /// Whether this failure means the folder cannot be written at all, or
    /// the disk is full: the cases a read-only fallback is for.
    fn applies(kind: std::io::ErrorKind) -> bool {
        use std::io::ErrorKind::*;
        matches!(
            kind,
            PermissionDenied | ReadOnlyFilesystem | StorageFull | QuotaExceeded
        )
    }
}

/// A held lock. Dropping it removes the lock file if it is still ours.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    info: LockInfo,
    /// Whether a stale lock was taken over to get it.
    pub took_over: Option<LockInfo>,
    /// Why the lock file that was replaced could not be read, if it could not.
    pub unreadable: Option<String>,
}

impl Lock {
    /// Tries to lock `path` (the lock file) as `holder`, through `storage`
    /// (tests inject a full disk). A stale lock on this host is taken over;
    /// a live one is reported.
    pub fn acquire_with(
        storage: &dyn Storage,
        path: &Path,
        holder: &Holder,
    ) -> Result<LockAttempt> {
        let info = LockInfo::current(holder);
        match create_lock(storage, path, &info)? {
            Created::Yes => Ok(LockAttempt::Acquired(Lock {
                path: path.to_path_buf(),
                info,
                took_over: None,
                unreadable: None,
            })),
            Created::Unwritable(u) => Ok(LockAttempt::Unwritable(u)),
            Created::Held(Held::Unreadable(why)) => {
                // An unreadable lock is left over from a crash mid-write or
                // damaged by hand; nothing holds it.
                let mut lock = Lock::take_over_with(storage, path, holder)?;
                // The take-over says what it did with it (removed, moved aside).
                lock.unreadable.get_or_insert(why);
                Ok(LockAttempt::Acquired(lock))
            }
            Created::Held(Held::By(held)) => {
                if held.is_stale(&holder.host) {
                    let mut lock = Lock::take_over_with(storage, path, holder)?;
                    lock.took_over = Some(held);
                    return Ok(LockAttempt::Acquired(lock));
                }
                if held.host == info.host {
                    Ok(LockAttempt::HeldHere(held))
                } else {
                    Ok(LockAttempt::HeldElsewhere(held))
                }
            }
        }
    }

    /// Takes the lock whoever holds it (after the user agreed, or when
    /// stale), as `holder`, through `storage`.
    pub fn take_over_with(storage: &dyn Storage, path: &Path, holder: &Holder) -> Result<Lock> {
        let info = LockInfo::current(holder);
        let unreadable = remove_old_lock(path)?;
        match create_lock(storage, path, &info)? {
            Created::Yes => Ok(Lock {
                path: path.to_path_buf(),
                info,
                took_over: None,
                unreadable,
            }),
            Created::Unwritable(u) => Err(Error::Environment(format!(
                "{}: could not take the session over: {}",
                path.display(),
                u.describe()
            ))),
            Created::Held(Held::By(other)) => Err(Error::Environment(format!(
                "{}: the session was just opened by {}",
                path.display(),
                other.describe()
            ))),
            Created::Held(Held::Unreadable(_)) => Err(Error::Environment(format!(
                "{}: another aiact is taking this session over right now",
                path.display()
            ))),
        }
    }

    /// Who we are, as written in the lock file.
    pub fn info(&self) -> &LockInfo {
        &self.info
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Releases the lock explicitly (as dropping does).
    pub fn release(self) {}
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Only our own lock is removed: compare what is there with us.
        if read_lock(&self.path).ok().flatten().as_ref() == Some(&self.info) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Reads a lock file: `Ok(None)` when it exists but cannot be understood
/// (not a regular file, not UTF-8, not a lock).
pub fn read_lock(path: &Path) -> std::io::Result<Option<LockInfo>> {
    Ok(inspect_lock(path)?.ok())
}

/// Reads a lock file, saying why when it cannot be understood. Links are
/// not followed: a lock is a regular file.
fn inspect_lock(path: &Path) -> std::io::Result<std::result::Result<LockInfo, String>> {
    let meta = std::fs::symlink_metadata(path)?;
    if meta.is_dir() {
        return Ok(Err("the lock is a folder, not a file".into()));
    }
    if !meta.is_file() {
        return Ok(Err("the lock is not a regular file".into()));
    }
    if meta.len() > 64 * 1024 {
        return Ok(Err("the lock file is too large to be a lock".into()));
    }
    let bytes = std::fs::read(path)?;
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(Err("the lock file is not valid UTF-8 text".into()));
    };
    Ok(ron::from_str(&text).map_err(|_| "the lock file is damaged".to_string()))
}

/// Removes whatever is at a lock's path before a take-over. A folder is
/// moved aside (never deleted with what it holds); returns what was wrong
/// with an unreadable one.
fn remove_old_lock(path: &Path) -> Result<Option<String>> {
    let why = match inspect_lock(path) {
        Ok(Ok(_)) => None,
        Ok(Err(why)) => Some(why),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, "read the old lock", &e)),
    };
    let is_dir = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
    if is_dir {
        if std::fs::remove_dir(path).is_ok() {
            return Ok(why.map(|w| format!("{w} (removed)")));
        }
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let aside = path.with_file_name(format!(".{file}.{}.aside", std::process::id()));
        std::fs::rename(path, &aside)
            .map_err(|e| Error::io(path, "move the folder in the lock's place aside", &e))?;
        return Ok(why.map(|w| format!("{w} (moved aside)")));
    }
    match std::fs::remove_file(path) {
        Ok(()) => Ok(why),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(why),
        Err(e) => Err(Error::io(path, "remove the old lock", &e)),
    }
}

/// Who is in a lock's place.
enum Held {
    By(LockInfo),
    /// Something that cannot be read as a lock, and why.
    Unreadable(String),
}

/// What [`create_lock`] did.
enum Created {
    Yes,
    Held(Held),
    Unwritable(Unwritable),
}

/// Creates the lock atomically: its content is written and synced to a
/// temporary file, which is hard-linked into place (failing if a lock is
/// there) and removed.
fn create_lock(storage: &dyn Storage, path: &Path, info: &LockInfo) -> Result<Created> {
    let text = ron::to_string(info).expect("a lock serialises");
    let temp = super::write::temp_path(path);
    let unwritable = |e: &std::io::Error| {
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        Unwritable::applies(e.kind()).then_some(Unwritable {
            dir,
            kind: e.kind(),
        })
    };
    let written = storage.create_new(&temp).and_then(|mut f| {
        use std::io::Write;
        f.write_all(text.as_bytes())?;
        f.flush()?;
        f.sync()
    });
    if let Err(e) = written {
        let _ = storage.remove(&temp);
        if let Some(u) = unwritable(&e) {
            return Ok(Created::Unwritable(u));
        }
        return Err(Error::Environment(format!(
            "{}: could not lock the session: {}",
            path.display(),
            crate::error::describe_io(&e)
        )));
    }
    let result = link_lock(storage, &temp, path);
    let _ = storage.remove(&temp);
    result
}

/// Links the written temporary lock into place; see [`create_lock`].
fn link_lock(storage: &dyn Storage, temp: &Path, path: &Path) -> Result<Created> {
    let read = |path: &Path| match inspect_lock(path) {
        Ok(Ok(info)) => Ok(Some(Held::By(info))),
        Ok(Err(why)) => Ok(Some(Held::Unreadable(why))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, "read the lock", &e)),
    };
    let link = |temp: &Path, path: &Path| match storage.link_new(temp, path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    };
    match link(temp, path) {
        Ok(true) => Ok(Created::Yes),
        Ok(false) => match read(path)? {
            Some(held) => Ok(Created::Held(held)),
            // Released between our attempt and the read: try once more.
            None => match link(temp, path) {
                Ok(true) => Ok(Created::Yes),
                _ => Ok(Created::Held(read(path)?.unwrap_or(Held::Unreadable(
                    "the lock changed while it was read".into(),
                )))),
            },
        },
        Err(e) => match Unwritable::applies(e.kind()) {
            true => Ok(Created::Unwritable(Unwritable {
                dir: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
                kind: e.kind(),
            })),
            false => Err(Error::io(path, "lock the session", &e)),
        },
    }
}

/// A process's start time in clock ticks since boot (field 22 of
/// `/proc/<pid>/stat`), where available.
fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may contain spaces; fields resume after ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}
