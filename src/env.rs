//! What aiact learns from the world it runs in: the date, the clock, colour
//! preference, whether there is a terminal, where exports go. Only `main`
//! reads these (see [`Env::from_process`]); everything else takes an [`Env`]
//! or the part it needs, so tests pin every one of them.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;

/// Where timestamps come from: the system clock in use, a fixed or stepping
/// clock in tests.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> Timestamp + Send + Sync>);

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock(Arc::new(Timestamp::now))
    }

    /// A clock that always says `at`.
    pub fn fixed(at: Timestamp) -> Clock {
        Clock(Arc::new(move || at))
    }

    /// Any clock (for tests that want time to move).
    pub fn from_fn(f: impl Fn() -> Timestamp + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(f))
    }

    /// The time now, by this clock.
    pub fn now(&self) -> Timestamp {
        (self.0)()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

/// The process's surroundings, read once in `main`.
#[derive(Debug, Clone)]
pub struct Env {
    /// Today by the system clock (`--today` overrides it per command).
    pub today: Date,
    pub clock: Clock,
    /// Colour unless NO_COLOR is set to a non-empty value.
    pub color: bool,
    /// Both standard input and output are a terminal.
    pub interactive: bool,
    /// This computer's name, as written in session locks.
    pub host: String,
    /// The working folder, for folders given relative to it (`None` when it
    /// cannot be read).
    pub cwd: Option<PathBuf>,
    /// Where the app writes exported reports when `--export-dir` is not
    /// given: the platform's documents folder, else the home folder.
    pub export_dir: Option<PathBuf>,
}

/// Today in the system's time zone. Where `TZ` is unset, the zone is read
/// from `/etc/localtime` directly: asking jiff for the system zone by name
/// makes it list the whole time zone database first (some 600 files and
/// folders), a millisecond or more at every start for the same answer.
fn local_today() -> Date {
    #[cfg(unix)]
    if std::env::var_os("TZ").is_none()
        && let Ok(bytes) = std::fs::read("/etc/localtime")
        && let Ok(tz) = jiff::tz::TimeZone::tzif("Local", &bytes)
    {
        return Timestamp::now().to_zoned(tz).date();
    }
    jiff::Zoned::now().date()
}

impl Env {
    /// Reads the real surroundings. Call it in `main` only.
    pub fn from_process() -> Env {
        use std::io::IsTerminal;
        let dirs = directories::UserDirs::new();
        Env {
            today: local_today(),
            clock: Clock::system(),
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            interactive: std::io::stdin().is_terminal() && std::io::stdout().is_terminal(),
            host: host_name(),
            cwd: std::env::current_dir().ok(),
            export_dir: dirs.as_ref().and_then(|d| {
                d.document_dir()
                    .map(PathBuf::from)
                    .or_else(|| Some(d.home_dir().to_path_buf()))
            }),
        }
    }

    /// Fixed surroundings for tests: no terminal, colour on, a fixed clock
    /// at midnight UTC of `today`, no default export folder, host `test-host`, no working folder.
    pub fn fixed(today: Date) -> Env {
        let at = today
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::UNIX_EPOCH);
        Env {
            today,
            clock: Clock::fixed(at),
            color: true,
            interactive: false,
            host: "test-host".into(),
            cwd: None,
            export_dir: None,
        }
    }
}

/// This machine's name, as well as it can be told without extra crates.
/// Read by [`Env::from_process`] (and by [`crate::session::Store::open`]
/// for stores that are not given one).
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
