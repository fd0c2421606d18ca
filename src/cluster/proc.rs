//! Local processes: spawn detached daemons, check pids against their
//! recorded start time (so a reused pid is never taken for ours), signal
//! them, and read the tails of their logs.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The fields of `/proc/<pid>/stat` we use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stat {
    /// `R`, `S`, `Z`, ...
    pub state: char,
    pub ppid: u32,
    pub pgrp: u32,
    pub session: u32,
    /// Start time in clock ticks after boot (field 22).
    pub start_ticks: u64,
}

/// Parse the text of `/proc/<pid>/stat` (`comm` may hold spaces and parens).
pub fn parse_stat(text: &str) -> Option<Stat> {
    let (_, rest) = text.rsplit_once(')')?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    // rest starts at field 3 (state): index = field - 3.
    Some(Stat {
        state: f.first()?.chars().next()?,
        ppid: f.get(1)?.parse().ok()?,
        pgrp: f.get(2)?.parse().ok()?,
        session: f.get(3)?.parse().ok()?,
        start_ticks: f.get(19)?.parse().ok()?,
    })
}

/// `/proc/<pid>/stat`, if the process exists.
pub fn stat(pid: u32) -> Option<Stat> {
    if pid == 0 {
        return None;
    }
    parse_stat(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// Running (not a zombie) and, when `start_ticks` is known, the same process
/// that was recorded.
pub fn alive(pid: u32, start_ticks: Option<u64>) -> bool {
    match stat(pid) {
        Some(s) => {
            !matches!(s.state, 'Z' | 'X' | 'x') && start_ticks.is_none_or(|t| t == s.start_ticks)
        }
        None => false,
    }
}

/// Send `sig` to `pid` if it is still the recorded process. Returns whether
/// a signal was sent.
pub fn signal(pid: u32, start_ticks: Option<u64>, sig: i32) -> bool {
    if pid <= 1 || !alive(pid, start_ticks) {
        return false;
    }
    kill(pid as i32, sig)
}

/// Send `sig` to the process group `pgid`.
pub fn signal_group(pgid: u32, sig: i32) -> bool {
    if pgid <= 1 {
        return false;
    }
    kill(-(pgid as i32), sig)
}

/// kill(2) through nix: `sig` 0 only checks that the target exists.
fn kill(pid: i32, sig: i32) -> bool {
    use nix::sys::signal::Signal;
    let sig = match sig {
        0 => None,
        n => match Signal::try_from(n) {
            Ok(s) => Some(s),
            Err(_) => return false,
        },
    };
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), sig).is_ok()
}

/// Start `program args...` detached: its own session (no controlling
/// terminal, so closing the terminal does not reach it), SIGHUP ignored,
/// stdin from /dev/null, stdout and stderr appended to `console_log`,
/// without the variables in `env_remove` and with those of `env_set`. The
/// caller keeps the `Child` only to notice an early exit; it is never killed
/// on drop.
pub fn spawn_detached(
    program: &Path,
    args: &[String],
    cwd: &Path,
    console_log: &Path,
    env_remove: &[String],
    env_set: &[(String, String)],
) -> std::io::Result<Child> {
    if let Some(dir) = console_log.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(console_log)?;
    let err = out.try_clone()?;
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err));
    for k in env_remove {
        cmd.env_remove(k);
    }
    cmd.envs(env_set.iter().map(|(k, v)| (k, v)));
    // SAFETY: pre_exec has no safe form; between fork and exec the closure
    // calls only setsid(2) and signal(2), both async-signal-safe, and
    // installs no handler (SIG_IGN).
    unsafe {
        cmd.pre_exec(|| {
            nix::unistd::setsid()?;
            // A terminal hangup must never stop a daemon.
            nix::sys::signal::signal(
                nix::sys::signal::Signal::SIGHUP,
                nix::sys::signal::SigHandler::SigIgn,
            )?;
            Ok(())
        });
    }
    cmd.spawn()
}

/// Wait until none of `pids` is alive, up to `timeout`. Returns those still alive.
pub fn wait_gone(pids: &[(u32, Option<u64>)], timeout: Duration) -> Vec<(u32, Option<u64>)> {
    let end = Instant::now() + timeout;
    loop {
        let left: Vec<_> = pids
            .iter()
            .copied()
            .filter(|(p, t)| alive(*p, *t))
            .collect();
        if left.is_empty() || Instant::now() >= end {
            return left;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The last `n` lines of a text file (empty when missing).
pub fn tail_lines(path: &Path, n: usize) -> Vec<String> {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut f) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    // The tail of a big log is enough.
    let start = len.saturating_sub(64 * 1024);
    let _ = f.seek(SeekFrom::Start(start));
    let mut buf = Vec::new();
    let _ = f.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let skip = lines.len().saturating_sub(n);
    lines[skip..].iter().map(|l| l.to_string()).collect()
}

/// Pids of processes whose parent is `ppid`.
pub fn children_of(ppid: u32) -> Vec<u32> {
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    rd.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| stat(*p).is_some_and(|s| s.ppid == ppid))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_stat_with_awkward_comm() {
        let text = "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 3 0 987654 1000 10 18446744073709551615";
        let s = parse_stat(text).unwrap();
        assert_eq!(s.state, 'S');
        assert_eq!(s.ppid, 1);
        assert_eq!(s.pgrp, 4242);
        assert_eq!(s.session, 4242);
        assert_eq!(s.start_ticks, 987654);
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn our_own_process_is_alive_and_a_wrong_start_time_is_not() {
        let me = std::process::id();
        let s = stat(me).unwrap();
        assert!(alive(me, Some(s.start_ticks)));
        assert!(alive(me, None));
        assert!(!alive(me, Some(s.start_ticks + 1)));
        assert!(!alive(0, None));
    }

    #[test]
    fn detached_children_get_their_own_session() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("logs/console.log");
        let mut child = spawn_detached(
            Path::new("/bin/sh"),
            &[
                "-c".into(),
                "echo hello; echo \"$GREETING\" >&2; sleep 5".into(),
            ],
            dir.path(),
            &log,
            &[],
            &[("GREETING".into(), "oops".into())],
        )
        .unwrap();
        let pid = child.id();
        let s = stat(pid).unwrap();
        assert_eq!(s.session, pid);
        assert_eq!(s.pgrp, pid);
        let end = Instant::now() + Duration::from_secs(5);
        while tail_lines(&log, 5).len() < 2 && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(tail_lines(&log, 5), vec!["hello", "oops"]);
        assert_eq!(tail_lines(&log, 1), vec!["oops"]);
        assert!(signal(pid, Some(s.start_ticks), libc::SIGKILL));
        let _ = child.wait();
        assert!(!alive(pid, Some(s.start_ticks)));
        assert!(tail_lines(&dir.path().join("missing"), 3).is_empty());
    }
}
