//! A small index of the data folder, so the start screen can list a
//! thousand sessions without parsing a thousand files.
//!
//! The index (`.index/sessions` inside the data folder, written
//! atomically in its own subfolder so writing it never changes the data
//! folder itself) records, per session file, its size and modification time
//! and what the start screen shows of it, plus the folder's own modification
//! time when it was made. Every session write is a rename into the folder,
//! and every create, delete or rename changes the folder's modification
//! time, so:
//!
//! - when the folder's time equals the one recorded, the index is used as
//!   it is: one `stat` and one small read;
//! - otherwise every file is `stat`ed, entries whose size and time still
//!   match are kept, only new or changed files are parsed, and the index is
//!   written again.
//!
//! Timestamps are coarse (a few milliseconds): a change in the same tick as
//! the observation could leave a time unchanged. So a folder or file time
//! less than [`SETTLED`] older than the moment the index was made is not
//! trusted by the next listing (as git does for its index). The index is a
//! cache: when it is missing, damaged or cannot be written, listing is just
//! slower.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::format::Session;

/// The index's own format version; another version is rebuilt (4: links
/// are no longer followed, so an index that listed one is not trusted).
const INDEX_VERSION: u32 = 4;

/// How long a modification time must have stood when the index is made for
/// the next listing to trust it.
pub const SETTLED: Duration = Duration::from_millis(100);

/// What the start screen shows of a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub name: String,
    /// The questionnaire's id.
    pub questionnaire: String,
    /// How many answers it has.
    pub answers: usize,
    /// In the index as nanoseconds: a number decodes faster than a date.
    #[serde(with = "jiff::fmt::serde::timestamp::nanosecond::required")]
    pub updated: Timestamp,
}

impl Summary {
    fn of(s: &Session) -> Summary {
        Summary {
            name: s.name.clone(),
            questionnaire: s.questionnaire.id.clone(),
            answers: s.answers.len(),
            updated: s.updated,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    file: String,
    size: u64,
    /// Nanoseconds since the Unix epoch.
    mtime: i64,
    /// `None` for a file that does not read as a session.
    session: Option<Summary>,
}

/// The index's head: enough to tell whether the rest can be used.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Head {
    version: u32,
    /// The folder's modification time when the listing began.
    folder_mtime: i64,
    /// When the index was made.
    made: i64,
}

impl Head {
    /// Whether the index describes the folder as it is, whose time is
    /// `folder_mtime` now.
    fn current(&self, folder_mtime: i64) -> bool {
        self.version == INDEX_VERSION
            && self.folder_mtime == folder_mtime
            && settled(folder_mtime, self.made)
    }
}

#[derive(Debug)]
struct Index {
    head: Head,
    /// By file name.
    entries: Vec<Entry>,
}

impl Index {
    /// The head, then the entries, each encoded with postcard (several times
    /// faster to read than JSON; the index is a cache, not for people).
    fn to_bytes(&self) -> Option<Vec<u8>> {
        let mut bytes = postcard::to_allocvec(&self.head).ok()?;
        bytes.extend(postcard::to_allocvec(&self.entries).ok()?);
        Some(bytes)
    }

    fn head_of(bytes: &[u8]) -> Option<(Head, &[u8])> {
        postcard::take_from_bytes::<Head>(bytes).ok()
    }

    fn from_bytes(bytes: &[u8]) -> Option<Index> {
        let (head, rest) = Index::head_of(bytes)?;
        if head.version != INDEX_VERSION {
            return None;
        }
        let (entries, rest) = postcard::take_from_bytes(rest).ok()?;
        rest.is_empty().then_some(Index { head, entries })
    }
}

fn folder_mtime(dir: &Path) -> Option<i64> {
    std::fs::metadata(dir)
        .and_then(|m| m.modified())
        .ok()
        .map(nanos)
}

/// Brings the index of `dir` up to date if the folder changed since it was
/// made (the app does this on the way out, so the next start finds it
/// current); decodes no more than its head when nothing changed.
pub fn refresh(dir: &Path) {
    let current = folder_mtime(dir).is_some_and(|now| {
        std::fs::read(index_path(dir))
            .ok()
            .and_then(|bytes| Index::head_of(&bytes).map(|(head, _)| head))
            .is_some_and(|head| head.current(now))
    });
    if !current {
        summaries(dir);
    }
}

fn nanos(t: SystemTime) -> i64 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_nanos()).unwrap_or(i64::MAX),
    }
}

fn settled(mtime: i64, made: i64) -> bool {
    made.saturating_sub(mtime) >= SETTLED.as_nanos() as i64
}

/// Where the index of `dir` lives.
pub fn index_path(dir: &Path) -> PathBuf {
    dir.join(".index").join("sessions")
}

/// The sessions in `dir` that read, by file name; files that do not read as
/// sessions are left out. Uses and refreshes the index.
pub fn summaries(dir: &Path) -> Vec<Summary> {
    let index_file = index_path(dir);
    // The index's folder first: creating it changes the data folder's time.
    if let Some(parent) = index_file.parent()
        && !parent.is_dir()
    {
        let _ = std::fs::create_dir_all(parent);
    }
    let Some(folder_mtime) = folder_mtime(dir) else {
        return Vec::new();
    };
    let old: Option<Index> = std::fs::read(&index_file)
        .ok()
        .and_then(|bytes| Index::from_bytes(&bytes));
    let old = match old {
        Some(index) if index.head.current(folder_mtime) => {
            return index
                .entries
                .into_iter()
                .filter_map(|e| e.session)
                .collect();
        }
        old => old,
    };
    let made = nanos(SystemTime::now());
    let entries = scan(dir, old.as_ref());
    let list = entries.iter().filter_map(|e| e.session.clone()).collect();
    let index = Index {
        head: Head {
            version: INDEX_VERSION,
            folder_mtime,
            made,
        },
        entries,
    };
    write(&index_file, &index);
    list
}

/// Every `*.ron` file in `dir` (not hidden), sorted by name, with what the
/// old index knew of it when its size and time still match. Links are not
/// followed (as `list`, `report` and `find` do not): a link to a session
/// elsewhere is not one of this folder's sessions.
fn scan(dir: &Path, old: Option<&Index>) -> Vec<Entry> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, PathBuf)> = read
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (!name.starts_with('.') && name.ends_with(".ron")).then(|| (name, e.path()))
        })
        .collect();
    files.sort();
    let known = |file: &str| -> Option<&Entry> {
        let old = old?;
        old.entries
            .binary_search_by(|e| e.file.as_str().cmp(file))
            .ok()
            .map(|i| &old.entries[i])
            .filter(|e| settled(e.mtime, old.head.made))
    };
    files
        .into_iter()
        .filter_map(|(file, path)| {
            let meta = std::fs::symlink_metadata(&path)
                .ok()
                .filter(|m| m.is_file())?;
            let size = meta.len();
            let mtime = meta.modified().map(nanos).unwrap_or(0);
            if let Some(e) = known(&file).filter(|e| e.size == size && e.mtime == mtime) {
                return Some(e.clone());
            }
            let session = Session::read(&path).ok().map(|s| Summary::of(&s));
            Some(Entry {
                file,
                size,
                mtime,
                session,
            })
        })
        .collect()
}

/// Writes the index atomically (a temporary file renamed in its folder);
/// failures are ignored: the next listing scans again.
fn write(path: &Path, index: &Index) {
    let Some(folder) = path.parent() else {
        return;
    };
    if std::fs::create_dir_all(folder).is_err() {
        return;
    }
    let Some(bytes) = index.to_bytes() else {
        return;
    };
    let tmp = folder.join(format!(".sessions.{}.tmp", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Store;

    const Q: &str = include_str!("../../tests/fixtures/sessions/v1.ron");

    fn past(secs: u64) -> SystemTime {
        SystemTime::now() - Duration::from_secs(secs)
    }

    /// Sets a file's or folder's modification time.
    fn touch(path: &Path, when: SystemTime) {
        std::fs::File::open(path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    }

    fn session(store: &Store, name: &str, answers: usize) -> PathBuf {
        let q = crate::questionnaire::load_str("v1.ron", Q).unwrap();
        let now = Timestamp::from_second(1_795_000_000).unwrap();
        let mut s = Session::new(name, &q, now).unwrap();
        for (i, question) in q.questions.iter().take(answers).enumerate() {
            s.set_answer(question.id(), crate::answers::Answer::NotSure, now);
            s.updated = Timestamp::from_second(1_795_000_000 + i as i64).unwrap();
        }
        store.save(&s).unwrap()
    }

    fn names(list: &[Summary]) -> Vec<(String, usize)> {
        list.iter().map(|s| (s.name.clone(), s.answers)).collect()
    }

    /// What parsing every file gives.
    fn parsed(store: &Store) -> Vec<Summary> {
        store
            .list()
            .unwrap()
            .into_iter()
            .filter_map(|l| l.session.ok())
            .map(|s| Summary::of(&s))
            .collect()
    }

    #[test]
    fn the_index_follows_every_change_to_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        session(&store, "a", 0);
        session(&store, "b", 1);
        std::fs::write(dir.path().join("damaged.ron"), "(not a session").unwrap();
        assert_eq!(store.summaries(), parsed(&store));
        assert_eq!(
            names(&store.summaries()),
            [("a".into(), 0), ("b".into(), 1)]
        );
        // Changed, added, removed: each shows at once.
        session(&store, "a", 1);
        session(&store, "c", 0);
        std::fs::remove_file(dir.path().join("b.ron")).unwrap();
        assert_eq!(
            names(&store.summaries()),
            [("a".into(), 1), ("c".into(), 0)]
        );
        assert_eq!(store.summaries(), parsed(&store));
        assert!(index_path(dir.path()).is_file());
    }

    #[test]
    fn a_settled_folder_is_listed_from_the_index_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let a = session(&store, "a", 1);
        let then = past(60);
        touch(&a, then);
        touch(dir.path(), then);
        // The first listing scans and makes the index; the times had
        // settled, so the next one takes the file from the index unparsed.
        assert_eq!(names(&store.summaries()), [("a".into(), 1)]);
        touch(dir.path(), then);
        let text = std::fs::read_to_string(&a).unwrap();
        std::fs::write(&a, text.replace("NotSure", "Garbage")).unwrap();
        touch(&a, then);
        touch(dir.path(), then);
        assert_eq!(
            names(&store.summaries()),
            [("a".into(), 1)],
            "from the index"
        );
        // Any change to the folder (a file added) re-checks each file: the
        // damaged one is seen for what it is now, by its new size.
        std::fs::write(&a, text.replace("NotSure", "Damaged!")).unwrap();
        session(&store, "b", 0);
        assert_eq!(names(&store.summaries()), [("b".into(), 0)]);
    }

    #[test]
    fn refresh_brings_a_stale_index_up_to_date() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        session(&store, "a", 1);
        store.summaries();
        session(&store, "b", 0);
        store.refresh_index();
        let bytes = std::fs::read(index_path(dir.path())).unwrap();
        let index = Index::from_bytes(&bytes).unwrap();
        assert_eq!(index.entries.len(), 2);
        assert_eq!(Some(index.head.folder_mtime), folder_mtime(dir.path()));
    }

    #[test]
    fn a_damaged_index_is_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        session(&store, "a", 1);
        store.summaries();
        std::fs::write(index_path(dir.path()), "{ damaged").unwrap();
        assert_eq!(names(&store.summaries()), [("a".into(), 1)]);
        let index = Index::from_bytes(&std::fs::read(index_path(dir.path())).unwrap()).unwrap();
        assert_eq!(index.entries.len(), 1);
    }
}
