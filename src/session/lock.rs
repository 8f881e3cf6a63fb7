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

    /// The error refusing a change because of it, in plain words.
    pub fn refusal(&self) -> Error {
        Error::Environment(format!(
            "{}, so its sessions cannot be changed; `aiact resume NAME` and `aiact report NAME` still show them",
            self.describe()
        ))
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
        match create_lock(storage, path, &info, false)? {
            Created::Yes => Ok(LockAttempt::Acquired(Lock {
                path: path.to_path_buf(),
                info,
                took_over: None,
                unreadable: None,
            })),
            Created::Unwritable(u) => Ok(LockAttempt::Unwritable(u)),
            // An unreadable lock is left over from a crash or damaged by
            // hand, and a stale one's holder is gone: nothing holds them.
            // Whether it is still so is judged again under the guard, so
            // of several aiact taking it over at once exactly one does.
            Created::Held(Held::Unreadable(_)) => take_over(storage, path, info, holder, false),
            Created::Held(Held::By(held)) if held.is_stale(&holder.host) => {
                take_over(storage, path, info, holder, false)
            }
            Created::Held(Held::By(held)) => Ok(held_attempt(held, &info)),
        }
    }

    /// Takes the lock whoever holds it (after the user agreed, or when
    /// stale), as `holder`, through `storage`.
    pub fn take_over_with(storage: &dyn Storage, path: &Path, holder: &Holder) -> Result<Lock> {
        match take_over(storage, path, LockInfo::current(holder), holder, true)? {
            LockAttempt::Acquired(lock) => Ok(lock),
            LockAttempt::Unwritable(u) => Err(Error::Environment(format!(
                "{}: could not take the session over: {}",
                path.display(),
                u.describe()
            ))),
            LockAttempt::HeldHere(other) | LockAttempt::HeldElsewhere(other) => {
                Err(Error::Environment(format!(
                    "{}: the session was just opened by {}",
                    path.display(),
                    other.describe()
                )))
            }
        }
    }

    /// What to tell the user about how the lock was taken: a stale lock
    /// taken over, an unreadable one replaced. The same words everywhere a
    /// session is locked.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(old) = &self.took_over {
            notes.push(format!(
                "Took over a lock left by {}, which is no longer running.",
                old.describe()
            ));
        }
        if let Some(why) = &self.unreadable {
            notes.push(format!(
                "Replaced an unreadable lock ({why}); it was left over and held nothing."
            ));
        }
        notes
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
        // Only our own lock is removed: compare what is there with us, under
        // the guard, so a lock taken over from us meanwhile stays.
        let _guard = Guard::take(&self.path);
        if read_lock(&self.path).ok().flatten().as_ref() == Some(&self.info) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A live lock, as the attempt to take it reports it.
fn held_attempt(held: LockInfo, us: &LockInfo) -> LockAttempt {
    if held.host == us.host {
        LockAttempt::HeldHere(held)
    } else {
        LockAttempt::HeldElsewhere(held)
    }
}

/// Takes a lock over under its guard: what is in its place now is judged
/// again (it may have been taken over by another aiact since it was first
/// read), and only a stale or unreadable lock is replaced, unless `force`
/// (the user agreed to take it from whoever holds it). The new lock is then
/// created without replacing anything.
fn take_over(
    storage: &dyn Storage,
    path: &Path,
    info: LockInfo,
    holder: &Holder,
    force: bool,
) -> Result<LockAttempt> {
    let guard = match Guard::take(path) {
        Ok(guard) => guard,
        Err(e) => {
            if let Some(u) = Unwritable::of(path, &e) {
                return Ok(LockAttempt::Unwritable(u));
            }
            return Err(Error::Environment(format!(
                "{}: could not take the session over: {}",
                path.display(),
                crate::error::describe_io(&e)
            )));
        }
    };
    let mut took_over = None;
    let mut unreadable = None;
    match read_held(path)? {
        None => {}
        Some(Held::By(old)) if old.is_stale(&holder.host) => took_over = Some(old),
        Some(Held::By(old)) if !force => return Ok(held_attempt(old, &info)),
        Some(Held::By(_)) => {}
        Some(Held::Unreadable(why)) => unreadable = Some(why),
    }
    let unreadable = remove_old_lock(path, unreadable)?;
    let created = create_lock(storage, path, &info, guard.is_some())?;
    drop(guard);
    match created {
        Created::Yes => Ok(LockAttempt::Acquired(Lock {
            path: path.to_path_buf(),
            info,
            took_over,
            unreadable,
        })),
        Created::Unwritable(u) => Ok(LockAttempt::Unwritable(u)),
        // Created meanwhile by an aiact that found the place empty.
        Created::Held(Held::By(other)) => Ok(held_attempt(other, &info)),
        Created::Held(Held::Unreadable(_)) => Err(Error::Environment(format!(
            "{}: another aiact is taking this session over right now",
            path.display()
        ))),
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

/// What is in a lock's place, if anything.
fn read_held(path: &Path) -> Result<Option<Held>> {
    match inspect_lock(path) {
        Ok(Ok(info)) => Ok(Some(Held::By(info))),
        Ok(Err(why)) => Ok(Some(Held::Unreadable(why))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, "read the lock", &e)),
    }
}

/// Removes what is at a lock's path for a take-over (under its guard,
/// once judged replaceable). A folder is removed when empty, else moved
/// aside (removed on a later start once this process has ended). Returns
/// `why` (what was wrong with an unreadable lock), saying what was done
/// with a folder.
fn remove_old_lock(path: &Path, why: Option<String>) -> Result<Option<String>> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(why),
        Err(e) => return Err(Error::io(path, "read the old lock", &e)),
    };
    if meta.is_dir() {
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

/// Serialises take-overs of one lock, and its release: an advisory lock
/// (`flock`) on `.<lock>.guard` beside it, which the system releases when
/// its holder ends, so a crash never leaves it held. The file is removed on
/// release; a waiter that then gets the lock of the removed file sees that
/// the name now leads elsewhere and tries again. Where advisory locks are
/// not available (or not on this file system) there is no guard, and
/// take-overs are as safe as the checks before them.
struct Guard {
    path: PathBuf,
    _file: std::fs::File,
}

impl Guard {
    /// Takes the guard of the lock at `lock`: `Ok(None)` when there can be
    /// none here; an error when its file cannot be created.
    fn take(lock: &Path) -> std::io::Result<Option<Guard>> {
        let file = lock
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = lock.with_file_name(format!(".{file}.guard"));
        Guard::take_at(path)
    }

    #[cfg(unix)]
    fn take_at(path: PathBuf) -> std::io::Result<Option<Guard>> {
        use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
        use std::os::unix::io::AsRawFd;
        // A holder keeps it for a few file operations; one stopped (a
        // suspended process) must not hang everyone else forever.
        for _ in 0..20_000 {
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o600)
                .custom_flags(libc::O_NOFOLLOW)
                .open(&path)?;
            // SAFETY: flock on a descriptor this function owns.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
                let e = std::io::Error::last_os_error();
                match e.raw_os_error() {
                    Some(libc::EWOULDBLOCK) | Some(libc::EINTR) => {
                        std::thread::sleep(std::time::Duration::from_micros(500));
                        continue;
                    }
                    // No advisory locks on this file system.
                    _ => return Ok(None),
                }
            }
            // Still the file of that name (not one a previous holder removed)?
            let ours = file.metadata()?;
            match std::fs::symlink_metadata(&path) {
                Ok(now) if now.dev() == ours.dev() && now.ino() == ours.ino() => {
                    return Ok(Some(Guard { path, _file: file }));
                }
                _ => continue,
            }
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::WouldBlock,
            "another aiact is taking this session over right now",
        ))
    }

    #[cfg(not(unix))]
    fn take_at(_path: PathBuf) -> std::io::Result<Option<Guard>> {
        Ok(None)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        // Removed while still held; the lock goes when the file is closed.
        let _ = std::fs::remove_file(&self.path);
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

impl Unwritable {
    /// The failure `e` to write the lock at `path`, when it means the folder
    /// cannot be written.
    fn of(path: &Path, e: &std::io::Error) -> Option<Unwritable> {
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        Unwritable::applies(e.kind()).then_some(Unwritable {
            dir,
            kind: e.kind(),
        })
    }
}

/// Creates the lock atomically: its content is written and synced to a
/// temporary file, which is hard-linked into place (failing if a lock is
/// there) and removed. Where the file system has no hard links, the lock is
/// created exclusively in place and written there, under the guard, so no
/// aiact judges it half-written (`guarded`: the caller holds the guard).
fn create_lock(
    storage: &dyn Storage,
    path: &Path,
    info: &LockInfo,
    guarded: bool,
) -> Result<Created> {
    let text = ron::to_string(info).expect("a lock serialises");
    let temp = super::write::temp_path(path);
    let written = write_lock_file(storage, &temp, &text);
    if let Err(e) = written {
        let _ = storage.remove(&temp);
        if let Some(u) = Unwritable::of(path, &e) {
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
    match result {
        Err(LinkFailed::NoLinks) => create_lock_in_place(storage, path, &text, guarded),
        Err(LinkFailed::Error(e)) => Err(e),
        Ok(created) => Ok(created),
    }
}

/// Writes a lock's text to a new file and syncs it.
fn write_lock_file(storage: &dyn Storage, file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = storage.create_new(file)?;
    f.write_all(text.as_bytes())?;
    f.flush()?;
    f.sync()
}

/// [`create_lock`] on a file system without hard links.
fn create_lock_in_place(
    storage: &dyn Storage,
    path: &Path,
    text: &str,
    guarded: bool,
) -> Result<Created> {
    let _guard = if guarded {
        None
    } else {
        match Guard::take(path) {
            Ok(guard) => guard,
            Err(e) => {
                if let Some(u) = Unwritable::of(path, &e) {
                    return Ok(Created::Unwritable(u));
                }
                None
            }
        }
    };
    match write_lock_file(storage, path, text) {
        Ok(()) => Ok(Created::Yes),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Ok(Created::Held(read_held(path)?.unwrap_or(Held::Unreadable(
                "the lock changed while it was read".into(),
            ))))
        }
        Err(e) => {
            // Ours, half-written: nobody else writes in a lock's place.
            let _ = storage.remove(path);
            match Unwritable::of(path, &e) {
                Some(u) => Ok(Created::Unwritable(u)),
                None => Err(Error::io(path, "lock the session", &e)),
            }
        }
    }
}

/// Why a lock could not be linked into place.
enum LinkFailed {
    /// The file system has no hard links (`EPERM` from `link`, as on FAT
    /// and some network file systems).
    NoLinks,
    Error(Error),
}

/// Links the written temporary lock into place; see [`create_lock`].
fn link_lock(
    storage: &dyn Storage,
    temp: &Path,
    path: &Path,
) -> std::result::Result<Created, LinkFailed> {
    let read = |path: &Path| read_held(path).map_err(LinkFailed::Error);
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
        Err(e) if no_links(&e) => Err(LinkFailed::NoLinks),
        Err(e) => match Unwritable::of(path, &e) {
            Some(u) => Ok(Created::Unwritable(u)),
            None => Err(LinkFailed::Error(Error::io(path, "lock the session", &e))),
        },
    }
}

/// Whether `link` failed because the file system has no hard links.
fn no_links(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::EPERM) {
        return true;
    }
    e.kind() == std::io::ErrorKind::Unsupported
}

/// A process's start time in clock ticks since boot (field 22 of
/// `/proc/<pid>/stat`), where available.
fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may contain spaces; fields resume after ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}
