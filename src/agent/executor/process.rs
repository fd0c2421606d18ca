//! Processes of executor containers, as the agent sees them through
//! /proc and the checkpoints: liveness (guarding against pid reuse), the
//! wait status the wrapper leaves behind, signals, pidfds. Depends on
//! nothing else in the agent but `config`.

use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::agent::config::INTERNAL_RUN_TASK;

/// Default kill grace period of the command executor.
pub const DEFAULT_KILL_GRACE: Duration = Duration::from_secs(3);

/// Kill policy grace period from `{"grace_period":{"nanoseconds":N}}`.
pub fn grace_of(policy: Option<&crate::wire::agent_v1::KillPolicy>) -> Option<Duration> {
    let ns = policy?.grace_period?.nanoseconds;
    Some(Duration::from_nanos(ns.max(0) as u64))
}

/// The outcome a wrapper left in `<run meta>/wait_status`.
#[derive(Clone, Debug, PartialEq)]
pub enum WaitStatus {
    /// Raw wait status of the command.
    Exited(i32),
    /// The command could not be started.
    Error(String),
}

/// What the wrapper writes to `<run meta>/wait_status` (atomically).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WaitRecord {
    /// Pid of the command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    /// Raw wait status of the command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Why the command could not be started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default)]
    pub timestamp: f64,
}

/// Read `<run meta>/wait_status` (written atomically by the wrapper).
pub fn read_wait_status(path: &Path) -> Option<WaitStatus> {
    let r: WaitRecord = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    if let Some(s) = r.status {
        return Some(WaitStatus::Exited(s));
    }
    Some(WaitStatus::Error(
        r.error.unwrap_or_else(|| "unknown error".to_string()),
    ))
}

/// Fields 3 (state) and 22 (start time, clock ticks since boot) of
/// `/proc/<pid>/stat`.
pub fn proc_state_and_start(pid: u32) -> Option<(char, u64)> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &s[s.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let state = f.first()?.chars().next()?;
    let start = f.get(22 - 3)?.parse().ok()?;
    Some((state, start))
}

/// A process exists and is not a zombie.
pub fn process_alive(pid: u32) -> bool {
    pid > 0 && proc_state_and_start(pid).is_some_and(|(s, _)| s != 'Z' && s != 'X')
}

/// `pid` is a live executor wrapper started with `spec_path` (guards
/// against pid reuse).
pub fn wrapper_alive(pid: u32, spec_path: &Path) -> bool {
    if !process_alive(pid) {
        return false;
    }
    let want = format!("{INTERNAL_RUN_TASK}={}", spec_path.display());
    match std::fs::read(format!("/proc/{pid}/cmdline")) {
        Ok(b) => b.split(|c| *c == 0).any(|a| a == want.as_bytes()),
        Err(_) => false,
    }
}

/// `<pid> <start time>` of this process (the agent), as written to
/// `pids/agent.pid` when the agent reconnects to a recovered executor.
pub fn agent_marker() -> String {
    let pid = std::process::id();
    let start = proc_state_and_start(pid).map(|(_, t)| t).unwrap_or(0);
    format!("{pid} {start}")
}

/// The agent a marker names is still running (same pid, same start time).
pub fn marker_alive(text: &str) -> bool {
    let mut it = text.split_whitespace();
    let (Some(pid), Some(start)) = (
        it.next().and_then(|p| p.parse::<u32>().ok()),
        it.next().and_then(|t| t.parse::<u64>().ok()),
    ) else {
        return false;
    };
    matches!(proc_state_and_start(pid), Some((s, t)) if s != 'Z' && s != 'X' && t == start)
}

/// A pid read from a checkpoint file.
pub fn read_pid(path: &Path) -> Option<u32> {
    std::fs::read_to_string(path)
        .ok()?
        .trim()
        .parse()
        .ok()
        .filter(|p| *p > 1)
}

/// `Command exited with status N` / `Command terminated with signal <Name>`.
pub fn describe_wait_status(raw: i32) -> String {
    let st = std::process::ExitStatus::from_raw(raw);
    if let Some(code) = st.code() {
        format!("Command exited with status {code}")
    } else if let Some(sig) = st.signal() {
        format!("Command terminated with signal {}", signal_name(sig))
    } else {
        format!("Command terminated with wait status {raw}")
    }
}

/// `strsignal` text (glibc) for a signal number.
pub fn signal_name(sig: i32) -> String {
    let s = match sig {
        1 => "Hangup",
        2 => "Interrupt",
        3 => "Quit",
        4 => "Illegal instruction",
        5 => "Trace/breakpoint trap",
        6 => "Aborted",
        7 => "Bus error",
        8 => "Floating point exception",
        9 => "Killed",
        10 => "User defined signal 1",
        11 => "Segmentation fault",
        12 => "User defined signal 2",
        13 => "Broken pipe",
        14 => "Alarm clock",
        15 => "Terminated",
        16 => "Stack fault",
        17 => "Child exited",
        18 => "Continued",
        19 => "Stopped (signal)",
        20 => "Stopped",
        21 => "Stopped (tty input)",
        22 => "Stopped (tty output)",
        23 => "Urgent I/O condition",
        24 => "CPU time limit exceeded",
        25 => "File size limit exceeded",
        26 => "Virtual timer expired",
        27 => "Profiling timer expired",
        28 => "Window changed",
        29 => "I/O possible",
        30 => "Power failure",
        31 => "Bad system call",
        n if (34..=64).contains(&n) => return format!("Real-time signal {}", n - 34),
        n => return format!("Unknown signal {n}"),
    };
    s.to_string()
}

/// Signal a process group (negative pid), ignoring errors.
pub fn signal_group(pgid: u32, sig: i32) {
    if pgid > 1 {
        if let Ok(sig) = nix::sys::signal::Signal::try_from(sig) {
            let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pgid as i32), sig);
        }
    }
}

/// A pidfd for `pid` (Linux 5.3+), readable once the process has exited.
pub fn pidfd(pid: u32) -> Option<tokio::io::unix::AsyncFd<std::os::fd::OwnedFd>> {
    use std::os::fd::FromRawFd;
    // SAFETY: pidfd_open(2) takes two integers and returns a new fd or -1;
    // nix (0.30) has no wrapper for it.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0) };
    if fd < 0 {
        return None;
    }
    // SAFETY: `fd` was just opened above and is owned by nobody else.
    let fd = unsafe { std::os::fd::OwnedFd::from_raw_fd(fd as i32) };
    // SAFETY: the AsyncFd owns the pidfd and nothing else closes it.
    unsafe { tokio::io::unix::AsyncFd::register_with_interest(fd, tokio::io::Interest::READABLE) }
        .ok()
}

pub async fn process_exit(fd: Option<&tokio::io::unix::AsyncFd<std::os::fd::OwnedFd>>) {
    match fd {
        Some(fd) => {
            if fd.readable().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
        None => std::future::pending::<()>().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpointed_wait_status_and_liveness() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("wait_status");
        assert_eq!(read_wait_status(&p), None);
        std::fs::write(&p, r#"{"pid":1,"status":256,"message":"x"}"#).unwrap();
        assert_eq!(read_wait_status(&p), Some(WaitStatus::Exited(256)));
        std::fs::write(&p, r#"{"error":"no such file"}"#).unwrap();
        assert_eq!(
            read_wait_status(&p),
            Some(WaitStatus::Error("no such file".into()))
        );
        assert!(marker_alive(&agent_marker()));
        let (pid, start) = agent_marker()
            .split_once(' ')
            .map(|(a, b)| (a.to_string(), b.parse::<u64>().unwrap()))
            .unwrap();
        assert!(!marker_alive(&format!("{pid} {}", start + 1)));
        assert!(!marker_alive("garbage"));
        assert!(process_alive(std::process::id()));
        assert!(!wrapper_alive(
            std::process::id(),
            Path::new("/no/launch.json")
        ));
    }

    #[test]
    fn wait_status_messages() {
        assert_eq!(describe_wait_status(0), "Command exited with status 0");
        assert_eq!(describe_wait_status(3 << 8), "Command exited with status 3");
        assert_eq!(
            describe_wait_status(15),
            "Command terminated with signal Terminated"
        );
        assert_eq!(
            describe_wait_status(9),
            "Command terminated with signal Killed"
        );
        assert_eq!(signal_name(11), "Segmentation fault");
    }
}
