//! Session locks: a separate `<slug>.lock` file recording who has a session
//! open (host, process id, start time), so two aiact processes never write
//! the same session. The lock is created atomically with its content (written
//! to a temporary file, then hard-linked into place, which fails if a lock
//! exists), so a reader never sees a half-written lock.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

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
    /// This process, now.
    pub fn current() -> LockInfo {
        let pid = std::process::id();
        LockInfo {
            host: host_name(),
            pid,
            started: Timestamp::now(),
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

    /// Whether the holder is certainly gone: same host, and its process id
    /// is not running (or is running a different, later process).
    pub fn is_stale(&self) -> bool {
        if self.host != host_name() {
            return false;
        }
        if !cfg!(target_os = "linux") {
            return false;
        }
        if !Path::new(&format!("/proc/{}", self.pid)).exists() {
            return true;
        }
        match (self.proc_start, process_start(self.pid)) {
            (Some(recorded), Some(now)) => recorded != now,
            _ => false,
        }
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
}

/// A held lock. Dropping it removes the lock file if it is still ours.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    info: LockInfo,
    /// Whether a stale lock was taken over to get it.
    pub took_over: Option<LockInfo>,
}

impl Lock {
    /// Tries to lock `path` (the lock file). A stale lock on this host is
    /// taken over; a live one is reported.
    pub fn acquire(path: &Path) -> Result<LockAttempt> {
        let info = LockInfo::current();
        match create_lock(path, &info)? {
            None => Ok(LockAttempt::Acquired(Lock {
                path: path.to_path_buf(),
                info,
                took_over: None,
            })),
            Some(held) => {
                let stale = match &held {
                    Some(h) => h.is_stale(),
                    // An unreadable lock is left over from a crash mid-write
                    // of an older version; nothing holds it.
                    None => true,
                };
                if stale {
                    let mut lock = Lock::take_over(path)?;
                    lock.took_over = held;
                    return Ok(LockAttempt::Acquired(lock));
                }
                let held = held.expect("a non-stale lock was read");
                if held.host == info.host {
                    Ok(LockAttempt::HeldHere(held))
                } else {
                    Ok(LockAttempt::HeldElsewhere(held))
                }
            }
        }
    }

    /// Takes the lock whoever holds it (after the user agreed, or when stale).
    pub fn take_over(path: &Path) -> Result<Lock> {
        let info = LockInfo::current();
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(path, "remove the old lock", &e)),
        }
        match create_lock(path, &info)? {
            None => Ok(Lock {
                path: path.to_path_buf(),
                info,
                took_over: None,
            }),
            Some(Some(other)) => Err(Error::Environment(format!(
                "{}: the session was just opened by {}",
                path.display(),
                other.describe()
            ))),
            Some(None) => Err(Error::Environment(format!(
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
        if read_lock(&self.path).ok().flatten().as_ref() == Some(&self.info) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Reads a lock file: `Ok(None)` when it exists but cannot be understood.
pub fn read_lock(path: &Path) -> std::io::Result<Option<LockInfo>> {
    let text = std::fs::read_to_string(path)?;
    Ok(ron::from_str(&text).ok())
}

/// Creates the lock atomically. `Ok(None)`: created. `Ok(Some(holder))`: it
/// exists (holder `None` when unreadable).
fn create_lock(path: &Path, info: &LockInfo) -> Result<Option<Option<LockInfo>>> {
    let text = ron::to_string(info).expect("a lock serialises");
    let temp = super::write::temp_path(path);
    super::write::write_atomic(&super::write::RealStorage, &temp, text.as_bytes())
        .map_err(|e| Error::Environment(format!("could not lock the session: {e}")))?;
    let result = link_lock(&temp, path);
    let _ = std::fs::remove_file(&temp);
    result
}

/// Hard-links the written temporary lock into place; see [`create_lock`].
fn link_lock(temp: &Path, path: &Path) -> Result<Option<Option<LockInfo>>> {
    match std::fs::hard_link(temp, path) {
        Ok(()) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => match read_lock(path) {
            Ok(held) => Ok(Some(held)),
            // Released between our attempt and the read: try once more.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                match std::fs::hard_link(temp, path) {
                    Ok(()) => Ok(None),
                    Err(_) => Ok(Some(read_lock(path).ok().flatten())),
                }
            }
            Err(e) => Err(Error::io(path, "read the lock", &e)),
        },
        Err(e) => Err(Error::io(path, "lock the session", &e)),
    }
}

/// This machine's name, as well as it can be told without extra crates.
pub fn host_name() -> String {
    for file in ["/proc/sys/kernel/hostname", "/etc/hostname"] {
        if let Ok(text) = std::fs::read_to_string(file) {
            let name = text.trim();
            if !name.is_empty() {
                return name.to_string();
            }
        }
    }
    std::env::var("HOSTNAME")
        .or_else(|_| std::env::var("COMPUTERNAME"))
        .unwrap_or_else(|_| "unknown-host".into())
}

/// A process's start time in clock ticks since boot (field 22 of
/// `/proc/<pid>/stat`), where available.
fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may contain spaces; fields resume after ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}
