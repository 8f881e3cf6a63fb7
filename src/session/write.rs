//! Durable, atomic writes through a seam, and a background saver.
//!
//! A save writes a temporary file in the same folder, syncs it, renames it
//! over the old file and syncs the folder: at every instant the file on disk
//! is either the old session or the new one, never a mixture. Every step goes
//! through [`Storage`], so tests can make any step fail (short write, failed
//! sync, failed rename) and check the old file is intact and the error said.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use crate::error::{Error, Result};

/// A file being written.
pub trait TempFile: Write + Send {
    /// Flushes the file's data to the disk (`fsync`).
    fn sync(&mut self) -> io::Result<()>;
}

/// The file-system operations a durable save needs. The real one is
/// [`RealStorage`]; tests wrap it to inject failures.
pub trait Storage: Send + Sync {
    /// Creates a new file (failing if it exists), private to the user.
    fn create_new(&self, path: &Path) -> io::Result<Box<dyn TempFile>>;
    /// Renames `from` over `to`, atomically.
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Syncs a folder, so a rename in it survives a power cut.
    fn sync_dir(&self, dir: &Path) -> io::Result<()>;
    /// Removes a file (a temporary file after a failure).
    fn remove(&self, path: &Path) -> io::Result<()>;
    /// Gives the file `from` a second name `to`, failing with
    /// [`io::ErrorKind::AlreadyExists`] if `to` exists: never replaces.
    fn link_new(&self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::hard_link(from, to)
    }
}

/// The real file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct RealStorage;

struct RealFile(std::fs::File);

impl Write for RealFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl TempFile for RealFile {
    fn sync(&mut self) -> io::Result<()> {
        self.0.sync_all()
    }
}

impl Storage for RealStorage {
    fn create_new(&self, path: &Path) -> io::Result<Box<dyn TempFile>> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        Ok(Box::new(RealFile(options.open(path)?)))
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::rename(from, to)
    }

    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        #[cfg(unix)]
        {
            std::fs::File::open(dir)?.sync_all()
        }
        #[cfg(not(unix))]
        {
            let _ = dir;
            Ok(())
        }
    }

    fn remove(&self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }
}

/// The most bytes a temporary file of a lock adds to the lock's name
/// (`.<slug>.lock.<pid>-<n>.tmp`): a dot, a dot before the process id (at
/// most 10 digits), a dash, the counter (at most 20 digits) and `.tmp`.
/// Session names are limited so that every name derived from them fits
/// whole; for other files (reports, exports) [`temp_path`] shortens the
/// temporary name when it would not.
pub const TEMP_NAME_OVERHEAD: usize = 1 + 1 + 10 + 1 + 20 + 4;

/// The longest file name common file systems allow, in bytes.
const MAX_FILE_NAME_BYTES: usize = 255;

/// Names of temporary files start with a dot and end with `.tmp`, so `list`
/// can ignore them and nobody mistakes them for sessions. They carry the
/// process id, so one left by a process that died can be told from a save in
/// progress (see [`remove_stale_temps`]). The target's name is part of it
/// when that fits in 255 bytes (`.<name>.<pid>-<n>.tmp`); otherwise the
/// name is `.aiact.<pid>-<n>.tmp`, so any legal file name can be written.
pub fn temp_path(target: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let file = target
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tail = format!("{}-{n}.tmp", std::process::id());
    let full = format!(".{file}.{tail}");
    if full.len() <= MAX_FILE_NAME_BYTES && !file.is_empty() {
        target.with_file_name(full)
    } else {
        target.with_file_name(format!(".aiact.{tail}"))
    }
}

/// The process id in a name made by [`temp_path`], if it is one.
fn temp_owner(file_name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (_, tail) = rest.rsplit_once('.')?;
    let (pid, n) = tail.split_once('-')?;
    if pid.is_empty() || n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// The process id in the name of a lock moved aside
/// (`.<slug>.lock.<pid>.aside`), if it is one.
fn aside_owner(file_name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_suffix(".aside")?;
    let (lock, pid) = rest.rsplit_once('.')?;
    if !lock.ends_with(".lock") || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// The process id in the name of the index's temporary file
/// (`.sessions.<pid>.tmp`), if it is one.
fn index_temp_owner(file_name: &str) -> Option<u32> {
    let pid = file_name.strip_prefix(".sessions.")?.strip_suffix(".tmp")?;
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// How old a temporary file of a dead process must be before it is removed:
/// a save takes well under a second, and the age keeps a save of another
/// computer sharing the folder (whose process id means nothing here) safe.
const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(60);

/// Removes temporary files left in `dir` by saves that were interrupted:
/// named by [`temp_path`], of a process that is no longer running on this
/// computer, and not changed for a minute. The same goes for the index's
/// temporary files (`.index/.sessions.<pid>.tmp`) and for locks that were
/// moved aside (`.<slug>.lock.<pid>.aside`, a folder found in a lock's
/// place). Returns how many were removed. Failures (a read-only folder) are
/// ignored: the files are harmless.
pub fn remove_stale_temps(storage: &dyn Storage, dir: &Path) -> usize {
    let mut removed = remove_stale(dir, temp_owner, |path| storage.remove(path));
    removed += remove_stale(dir, aside_owner, |path| {
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
            _ => storage.remove(path),
        }
    });
    removed += remove_stale(&dir.join(".index"), index_temp_owner, |path| {
        storage.remove(path)
    });
    removed
}

/// Removes the entries of `dir` whose names `owner` reads a process id from,
/// when that process is no longer running here and the entry has not
/// changed for [`STALE_TEMP_AGE`].
fn remove_stale(
    dir: &Path,
    owner: fn(&str) -> Option<u32>,
    remove: impl Fn(&Path) -> io::Result<()>,
) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(owner) else {
            continue;
        };
        // Not followed: a link is judged (and removed) as itself.
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= STALE_TEMP_AGE);
        if old && super::lock::process_alive(pid) == Some(false) && remove(&entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// What a write is for, so its errors say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writing {
    /// A session in the data folder.
    Session,
    /// A report the user asked for (`report -o`).
    Report,
    /// A session exported to a file the user named.
    Export,
}

impl Writing {
    fn create_temp(self) -> &'static str {
        match self {
            Writing::Session => "create a temporary file to save the session",
            Writing::Report => "create a temporary file to write the report",
            Writing::Export => "create a temporary file to export the session",
        }
    }
    fn write_failed(self) -> &'static str {
        match self {
            Writing::Session => "save the session (writing failed; the previous version is intact)",
            Writing::Report => "write the report (writing failed; no file was replaced)",
            Writing::Export => "export the session (writing failed; no file was replaced)",
        }
    }
    fn sync_failed(self) -> &'static str {
        match self {
            Writing::Session => {
                "save the session (syncing to disk failed; the previous version is intact)"
            }
            Writing::Report => "write the report (syncing to disk failed; no file was replaced)",
            Writing::Export => "export the session (syncing to disk failed; no file was replaced)",
        }
    }
    fn replace_failed(self) -> &'static str {
        match self {
            Writing::Session => {
                "save the session (replacing the file failed; the previous version is intact)"
            }
            Writing::Report => {
                "write the report (replacing the file failed; the previous version is intact)"
            }
            Writing::Export => {
                "export the session (replacing the file failed; the previous version is intact)"
            }
        }
    }
    fn place_failed(self) -> &'static str {
        match self {
            Writing::Session => "save the session (placing the file failed)",
            Writing::Report => "write the report (placing the file failed)",
            Writing::Export => "export the session (placing the file failed)",
        }
    }
    fn plain(self) -> &'static str {
        match self {
            Writing::Session => "save the session",
            Writing::Report => "write the report",
            Writing::Export => "export the session",
        }
    }
    fn sync_folder(self) -> &'static str {
        match self {
            Writing::Session => "sync the session folder after saving",
            Writing::Report => "sync the folder after writing the report",
            Writing::Export => "sync the folder after exporting the session",
        }
    }
}

/// Writes a new file durably, never replacing one: the bytes go to a
/// temporary file (written and synced), which is then linked under the
/// target's name (failing if that name exists) and removed. `Ok(false)`
/// means the target exists and nothing was written. A file system without
/// hard links falls back to creating the target exclusively first.
pub fn write_new(storage: &dyn Storage, target: &Path, bytes: &[u8]) -> Result<bool> {
    write_new_for(storage, target, bytes, Writing::Session)
}

/// [`write_new`], its errors worded for `what`.
fn write_new_for(
    storage: &dyn Storage,
    target: &Path,
    bytes: &[u8],
    what: Writing,
) -> Result<bool> {
    let temp = temp_path(target);
    write_temp(storage, &temp, target, bytes, what)?;
    let linked = storage.link_new(&temp, target);
    let result = match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        // No hard links here (some network and FAT file systems): claim the
        // name exclusively, then move the finished file over the claim.
        Err(_) => match storage.create_new(target) {
            Ok(claim) => {
                drop(claim);
                return match storage.rename(&temp, target) {
                    Ok(()) => sync_parent(storage, target, what).map(|()| true),
                    Err(e) => {
                        let _ = storage.remove(&temp);
                        let _ = storage.remove(target);
                        Err(Error::io(target, what.place_failed(), &e))
                    }
                };
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(Error::io(target, what.plain(), &e)),
        },
    };
    let _ = storage.remove(&temp);
    if result.as_ref().is_ok_and(|&made| made) {
        sync_parent(storage, target, what)?;
    }
    result
}

/// Writes a file the user named (an export, a report, as `what` says):
/// refused when something is there unless `force`, and never through or
/// over a link or onto a folder. Without `force` the file is created
/// exclusively, so a file appearing meanwhile is not replaced either.
pub fn write_user_file(
    storage: &dyn Storage,
    file: &Path,
    bytes: &[u8],
    force: bool,
    what: Writing,
) -> Result<()> {
    match std::fs::symlink_metadata(file) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(Error::Input(format!(
                "{}: it is a symbolic link; aiact does not write through or over links. Give another file name",
                file.display()
            )));
        }
        Ok(m) if m.is_dir() => {
            return Err(Error::Input(format!(
                "{}: it is a folder; give the name of a file to write",
                file.display()
            )));
        }
        Ok(m) if !m.is_file() => {
            return Err(Error::Input(format!(
                "{}: it is not a regular file; give the name of a file to write",
                file.display()
            )));
        }
        Ok(_) if !force => {
            return Err(Error::Input(format!(
                "{}: the file exists; choose another file name, or pass --force to replace it",
                file.display()
            )));
        }
        Ok(_) => return write_atomic_for(storage, file, bytes, what),
        Err(_) => {}
    }
    if write_new_for(storage, file, bytes, what)? {
        Ok(())
    } else {
        Err(Error::Input(format!(
            "{}: the file exists; choose another file name, or pass --force to replace it",
            file.display()
        )))
    }
}

/// Writes `bytes` to the new file `temp` and syncs it; removes it on failure.
fn write_temp(
    storage: &dyn Storage,
    temp: &Path,
    target: &Path,
    bytes: &[u8],
    what: Writing,
) -> Result<()> {
    let fail = |action: &'static str, e: io::Error| {
        let _ = storage.remove(temp);
        Error::io(target, action, &e)
    };
    let mut file = storage
        .create_new(temp)
        .map_err(|e| Error::io(temp, what.create_temp(), &e))?;
    file.write_all(bytes)
        .map_err(|e| fail(what.write_failed(), e))?;
    file.flush().map_err(|e| fail(what.write_failed(), e))?;
    file.sync().map_err(|e| fail(what.sync_failed(), e))?;
    Ok(())
}

/// Syncs the folder holding `target`, so a new name in it survives a power cut.
fn sync_parent(storage: &dyn Storage, target: &Path, what: Writing) -> Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    storage
        .sync_dir(dir)
        .map_err(|e| Error::io(dir, what.sync_folder(), &e))
}

/// Writes `bytes` to `target` durably and atomically: temporary file in the
/// same folder, write, sync, rename, sync the folder. On failure the old file
/// is untouched, the temporary file is removed, and the error names the step.
pub fn write_atomic(storage: &dyn Storage, target: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_for(storage, target, bytes, Writing::Session)
}

/// [`write_atomic`], its errors worded for `what`.
fn write_atomic_for(
    storage: &dyn Storage,
    target: &Path,
    bytes: &[u8],
    what: Writing,
) -> Result<()> {
    let temp = temp_path(target);
    write_temp(storage, &temp, target, bytes, what)?;
    storage.rename(&temp, target).map_err(|e| {
        let _ = storage.remove(&temp);
        Error::io(target, what.replace_failed(), &e)
    })?;
    sync_parent(storage, target, what)
}

/// What the background saver reports back.
#[derive(Debug)]
pub struct SaveReport {
    /// The sequence number of the save, on disk when `result` is `Ok`. A
    /// save replaced by a newer one of the same file gets the newer one's
    /// result, reported with it.
    pub seq: u64,
    pub result: Result<()>,
}

enum Job {
    Save {
        seq: u64,
        path: PathBuf,
        bytes: Vec<u8>,
    },
    Stop,
}

/// Saves off the UI thread. Each [`Saver::save`] returns a sequence number;
/// the [`SaveReport`] with that number and `Ok` means the answer is
/// *confirmed*: on disk, surviving a crash. Queued saves of the same file are
/// coalesced: only the newest is written, and each replaced one is reported
/// with its result. Saves of different files are never coalesced.
pub struct Saver {
    next: u64,
    jobs: Sender<Job>,
    reports: Receiver<SaveReport>,
    thread: Option<JoinHandle<()>>,
}

impl Saver {
    /// Starts the saver thread.
    pub fn spawn(storage: std::sync::Arc<dyn Storage>) -> Saver {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (report_tx, reports) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("aiact-saver".into())
            .spawn(move || {
                while let Ok(job) = job_rx.recv() {
                    // Coalesce what is queued: per file, only the newest save
                    // is written (its report confirms the older ones). Saves
                    // of different files are all written, in order.
                    let mut batch = vec![job];
                    batch.extend(job_rx.try_iter());
                    let stop = batch.iter().any(|j| matches!(j, Job::Stop));
                    let saves: Vec<(u64, PathBuf, Vec<u8>)> = batch
                        .into_iter()
                        .filter_map(|j| match j {
                            Job::Save { seq, path, bytes } => Some((seq, path, bytes)),
                            Job::Stop => None,
                        })
                        .collect();
                    for (i, (seq, path, bytes)) in saves.iter().enumerate() {
                        if saves[i + 1..].iter().any(|(_, p, _)| p == path) {
                            continue; // a newer save of this file follows
                        }
                        let result = write_atomic(storage.as_ref(), path, bytes);
                        // This save, and the older ones of the same file it
                        // replaced, each get the report.
                        for (older, p, _) in &saves[..i] {
                            if p == path {
                                let again = match &result {
                                    Ok(()) => Ok(()),
                                    Err(e) => Err(crate::Error::Environment(e.to_string())),
                                };
                                if report_tx
                                    .send(SaveReport {
                                        seq: *older,
                                        result: again,
                                    })
                                    .is_err()
                                {
                                    return;
                                }
                            }
                        }
                        if report_tx.send(SaveReport { seq: *seq, result }).is_err() {
                            return;
                        }
                    }
                    if stop {
                        return;
                    }
                }
            })
            .expect("the saver thread starts");
        Saver {
            next: 1,
            jobs,
            reports,
            thread: Some(thread),
        }
    }

    /// Queues a save of `bytes` to `path` and returns its sequence number.
    pub fn save(&mut self, path: PathBuf, bytes: Vec<u8>) -> u64 {
        let seq = self.next;
        self.next += 1;
        let _ = self.jobs.send(Job::Save { seq, path, bytes });
        seq
    }

    /// A report, if one has arrived (never blocks: for the UI loop).
    pub fn try_report(&self) -> Option<SaveReport> {
        self.reports.try_recv().ok()
    }

    /// Waits for a report up to `timeout`.
    pub fn wait_report(&self, timeout: std::time::Duration) -> Option<SaveReport> {
        self.reports.recv_timeout(timeout).ok()
    }

    /// Writes what is queued, stops the thread and returns the remaining
    /// reports (call on quit so nothing confirmed is lost).
    pub fn finish(mut self) -> Vec<SaveReport> {
        self.stop();
        self.reports.try_iter().collect()
    }

    fn stop(&mut self) {
        let _ = self.jobs.send(Job::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Saver {
    fn drop(&mut self) {
        self.stop();
    }
}
