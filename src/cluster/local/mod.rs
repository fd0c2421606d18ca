//! The local cluster: the bundled daemons on 127.0.0.1, detached, with work
//! dirs and logs under `<data dir>/mesos/clusters/<name>/<daemon>/`.
//!
//! `up` starts (managed ZooKeeper,) masters, then agents, records every pid
//! in `cluster.json` as it goes, and returns once the cluster is ready (see
//! [`super::ready`]). A daemon that exits during startup fails `up` at once
//! with its last log lines, and the daemons already started are stopped. A
//! port taken between picking and binding is retried on another port.
//!
//! `down` kills the tasks first (the agent leaves them running on SIGTERM,
//! like Mesos, for recovery), then SIGTERMs every daemon and SIGKILLs what
//! is left after the grace period.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::progress::Progress;
use super::ready::{self, Check};
use super::state::{ClusterState, DaemonRecord, Mode, Role, STATE_VERSION};
use super::LocalError;
use super::{cluster_dir, clusters_root, now_secs, proc, quorum, zk};
use crate::error::{Error, Result};

/// Address every local daemon binds.
pub const LOCAL_IP: &str = "127.0.0.1";
/// Default readiness timeout of `up` and `wait`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default grace period of `down` between SIGTERM and SIGKILL.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(5);
/// How often readiness is polled.
const POLL: Duration = Duration::from_millis(20);
/// Lines of a failed daemon's log shown.
pub const TAIL_LINES: usize = 12;
/// Attempts per daemon when its port was taken before it could bind.
const PORT_ATTEMPTS: u32 = 4;

/// What `mesos cluster up` was asked for.
#[derive(Clone, Debug)]
pub struct UpOptions {
    pub name: String,
    pub masters: u32,
    pub agents: u32,
    /// External ZooKeeper (`zk://host:port/path`); else managed when masters > 1.
    pub zk: Option<String>,
    pub agent_resources: Option<String>,
    pub agent_attributes: Option<String>,
    /// Extra `--flag=value` for every master / agent.
    pub master_flags: Vec<String>,
    pub agent_flags: Vec<String>,
    pub timeout: Duration,
    /// TLS and HTTP authentication on every daemon (`--secure`).
    pub secure: bool,
    /// Start one `mesos marathon` per master (`--no-marathon`: none).
    pub marathon: bool,
}

/// What `up` did.
#[derive(Clone, Debug)]
pub struct UpOutcome {
    pub state: ClusterState,
    /// The cluster was already running: nothing was changed.
    pub already_running: bool,
    /// Name of the leading master.
    pub leader: Option<String>,
    pub elapsed: Duration,
    /// Hosts or daemons that failed (SSH clusters; the rest is up).
    pub failed: Vec<String>,
}

impl UpOutcome {
    /// URL of the leading master (else the first master).
    pub fn leader_url(&self) -> String {
        self.leader
            .as_deref()
            .and_then(|l| self.state.find(l))
            .map(|d| d.url())
            .unwrap_or_else(|| self.state.master_url.clone())
    }
}

// ---------------------------------------------------------------------------
// Locking: one `cluster` command per cluster at a time.

/// An exclusive lock on a cluster directory, released on drop.
pub struct DirLock {
    _lock: nix::fcntl::Flock<std::fs::File>,
}

/// Take `<dir>/.lock` (waits for a concurrent `up`/`down` of the same cluster).
pub fn lock(dir: &Path) -> Result<DirLock> {
    use nix::fcntl::{Flock, FlockArg};
    std::fs::create_dir_all(dir).map_err(|e| io_error("create", dir.display(), e))?;
    let path = dir.join(".lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| io_error("open", path.display(), e))?;
    let lock = match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
        Ok(l) => l,
        Err((file, _)) => {
            crate::output::status(format!(
                "waiting for another `mesos cluster` command on {}",
                dir.display()
            ));
            Flock::lock(file, FlockArg::LockExclusive)
                .map_err(|(_, e)| io_error("lock", path.display(), e.into()))?
        }
    };
    Ok(DirLock { _lock: lock })
}

// ---------------------------------------------------------------------------
// Liveness.

/// Is the recorded local process still running?
pub fn alive(d: &DaemonRecord) -> bool {
    proc::alive(d.pid, d.start_ticks)
}

/// The last lines of a daemon's logs: its own log, then console lines that
/// are not already there (errors printed before logging started).
pub fn log_tail(d: &DaemonRecord, n: usize) -> Vec<String> {
    // Logs are appended across runs: keep the glog lines of this process.
    let mine = |l: &String| match glog_pid(l) {
        Some(p) => d.pid == 0 || p == d.pid,
        None => true,
    };
    let mut lines: Vec<String> = proc::tail_lines(Path::new(&d.log_file), n * 4)
        .into_iter()
        .filter(mine)
        .collect();
    let skip = lines.len().saturating_sub(n);
    lines.drain(..skip);
    let console = proc::tail_lines(Path::new(&d.console_log), n);
    let seen: BTreeSet<&String> = lines.iter().collect();
    let extra: Vec<String> = console.into_iter().filter(|l| !seen.contains(l)).collect();
    lines.extend(extra);
    let skip = lines.len().saturating_sub(n);
    lines.split_off(skip)
}

/// The process id of a glog line (`I1122 00:47:36.429807  23873 file.rs:1] ...`).
fn glog_pid(l: &str) -> Option<u32> {
    let b = l.as_bytes();
    if b.len() < 6
        || !matches!(b[0], b'I' | b'W' | b'E' | b'F')
        || !b[1..5].iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    l.split_whitespace().nth(2)?.parse().ok()
}

/// The most telling line of a failed daemon's output (an `error:` line, a
/// glog `E`/`F` line, else the last one).
pub fn last_error(lines: &[String]) -> Option<String> {
    let glog_error = |l: &str| {
        let b = l.as_bytes();
        b.len() > 5 && (b[0] == b'E' || b[0] == b'F') && b[1..5].iter().all(u8::is_ascii_digit)
    };
    lines
        .iter()
        .rev()
        .find(|l| {
            l.starts_with("error:")
                || glog_error(l)
                || l.contains("Exception")
                || l.contains("ERROR")
        })
        .map(|l| l.trim().to_string())
}

/// Print a failed daemon's log tail on stderr.
pub fn show_tail(progress: &Progress, d: &DaemonRecord, lines: &[String]) {
    if lines.is_empty() {
        progress.line(&format!(
            "{} left no log lines ({}, {})",
            d.name, d.log_file, d.console_log
        ));
        return;
    }
    progress.line(&format!("last lines of {}'s log ({}):", d.name, d.log_file));
    for l in lines {
        progress.line(&format!("  | {l}"));
    }
}

/// A current-thread runtime for the HTTP probes.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LocalError::NoRuntime(e).into())
}

/// Load a cluster's state; exit 4 when there is none.
pub fn load(name: &str) -> Result<ClusterState> {
    let dir = cluster_dir(name)?;
    match ClusterState::load(&dir)? {
        Some(s) => Ok(s),
        None if dir.is_dir() => Err(LocalError::ClusterDown(name.to_string()).into()),
        None => Err(LocalError::NoSuchCluster {
            name: name.to_string(),
            known: known_names().unwrap_or_default(),
        }
        .into()),
    }
}

/// The cluster a command on an existing cluster means when none is named:
/// the one named like `profile` (the selected or active profile, which `up`
/// names after its cluster), else the only cluster there is, else `local`.
pub fn default_cluster(profile: Option<&str>) -> Result<String> {
    let names = known_names()?;
    if let Some(p) = profile.filter(|p| names.iter().any(|n| n == p) || is_stopped(p)) {
        return Ok(p.to_string());
    }
    match names.as_slice() {
        [only] => Ok(only.clone()),
        _ => Ok(super::DEFAULT_NAME.to_string()),
    }
}

/// Whether `name` is a cluster `up` started here that is not running now:
/// its directory exists but it was taken down (no state file), or it is a
/// local cluster none of whose daemons is alive.
pub fn is_stopped(name: &str) -> bool {
    let Ok(dir) = cluster_dir(name) else {
        return false;
    };
    if !dir.is_dir() {
        return false;
    }
    match ClusterState::load(&dir) {
        Ok(None) => true,
        Ok(Some(st)) => st.mode == Mode::Local && !st.daemons.iter().any(alive),
        Err(_) => false,
    }
}

/// Names of the clusters with a state file.
pub fn known_names() -> Result<Vec<String>> {
    let root = clusters_root()?;
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&root) {
        for e in rd.flatten() {
            if e.path().join(super::state::STATE_FILE).is_file() {
                out.push(e.file_name().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    Ok(out)
}

mod down;
mod gate;
mod list;
mod status;
mod up;

#[allow(unused_imports)]
use self::{down::*, gate::*, list::*, status::*, up::*};
pub use down::*;
pub use gate::*;
pub use list::*;
pub use status::*;
pub use up::*;

#[cfg(test)]
mod tests;
