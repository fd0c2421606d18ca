//! glog-style logging for the daemons:
//! `I1121 23:40:31.123456  1234 file.rs:42] message` on stderr and, with
//! `--log_dir`, appended to `<log_dir>/<program>.log` (symlinked as
//! `<program>.INFO`, the name operators look for).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Mutex;

/// Severity, ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Info = 0,
    Warning = 1,
    Error = 2,
}

impl Level {
    fn letter(self) -> char {
        match self {
            Level::Info => 'I',
            Level::Warning => 'W',
            Level::Error => 'E',
        }
    }
    /// Parse `--logging_level` (INFO, WARNING, ERROR).
    pub fn parse(s: &str) -> Result<Level, String> {
        match s.to_ascii_uppercase().as_str() {
            "INFO" => Ok(Level::Info),
            "WARNING" => Ok(Level::Warning),
            "ERROR" => Ok(Level::Error),
            _ => Err(format!(
                "--logging_level must be INFO, WARNING or ERROR, not '{s}'"
            )),
        }
    }
}

static MIN_LEVEL: AtomicU8 = AtomicU8::new(0);
static FILE: Mutex<Option<std::fs::File>> = Mutex::new(None);
static QUIET_STDERR: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Configure the logger. Returns the log file path when `log_dir` is given.
pub fn init(
    program: &str,
    level: Level,
    log_dir: Option<&Path>,
) -> std::io::Result<Option<PathBuf>> {
    MIN_LEVEL.store(level as u8, Ordering::Relaxed);
    let Some(dir) = log_dir else {
        return Ok(None);
    };
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{program}.log"));
    let f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)?;
    let link = dir.join(format!("{program}.INFO"));
    let _ = std::fs::remove_file(&link);
    let _ = std::os::unix::fs::symlink(path.file_name().unwrap(), &link);
    *FILE.lock().unwrap() = Some(f);
    Ok(Some(path))
}

/// Stop writing to stderr (file only), e.g. for detached daemons.
pub fn set_quiet_stderr(q: bool) {
    QUIET_STDERR.store(q, Ordering::Relaxed);
}

/// Append one glog-style line to a file (a sandbox's `stderr`, for
/// instance); errors are ignored.
#[track_caller]
pub fn append_glog(path: &std::path::Path, level: Level, msg: &str) {
    use std::io::Write;
    let at = std::panic::Location::caller();
    let file = at.file().rsplit('/').next().unwrap_or("");
    let line = format_line(level, file, at.line(), msg);
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = f.write_all(line.as_bytes());
    }
}

/// Format one line (exposed for tests).
pub fn format_line(level: Level, file: &str, line: u32, msg: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let (mon, day, h, m, s) = civil(now.as_secs() as i64);
    let base = Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_string());
    format!(
        "{}{:02}{:02} {:02}:{:02}:{:02}.{:06} {:>6} {}:{}] {}\n",
        level.letter(),
        mon,
        day,
        h,
        m,
        s,
        now.subsec_micros(),
        std::process::id(),
        base,
        line,
        msg
    )
}

/// Write a log line (use the macros).
pub fn write(level: Level, file: &str, line: u32, msg: std::fmt::Arguments<'_>) {
    if (level as u8) < MIN_LEVEL.load(Ordering::Relaxed) {
        return;
    }
    let text = format_line(level, file, line, &msg.to_string());
    if !QUIET_STDERR.load(Ordering::Relaxed) {
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
    if let Some(f) = FILE.lock().unwrap().as_mut() {
        let _ = f.write_all(text.as_bytes());
    }
}

/// UTC month, day, hour, minute, second from epoch seconds.
fn civil(secs: i64) -> (u32, u32, u32, u32, u32) {
    let t = crate::datetime::utc_secs(secs).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    (
        u8::from(t.month()).into(),
        t.day().into(),
        t.hour().into(),
        t.minute().into(),
        t.second().into(),
    )
}

/// `info!("...")`
#[macro_export]
macro_rules! info {
    ($($arg:tt)*) => { $crate::daemon::log::write($crate::daemon::log::Level::Info, file!(), line!(), format_args!($($arg)*)) };
}
/// `warning!("...")`
#[macro_export]
macro_rules! warning {
    ($($arg:tt)*) => { $crate::daemon::log::write($crate::daemon::log::Level::Warning, file!(), line!(), format_args!($($arg)*)) };
}
/// `error!("...")`
#[macro_export]
macro_rules! error {
    ($($arg:tt)*) => { $crate::daemon::log::write($crate::daemon::log::Level::Error, file!(), line!(), format_args!($($arg)*)) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glog_shape() {
        let l = format_line(Level::Info, "src/daemon/master.rs", 42, "hello");
        // I1121 23:40:31.123456   1234 master.rs:42] hello
        let re_ok = l.starts_with('I')
            && l.as_bytes()[5] == b' '
            && l.contains(" master.rs:42] hello\n")
            && l[6..21].chars().filter(|c| *c == ':').count() == 2;
        assert!(re_ok, "{l:?}");
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1, 1, 0, 0, 0));
        // 2026-11-21 23:40:31 UTC
        assert_eq!(civil(1795304431), (11, 21, 23, 40, 31));
    }
}
