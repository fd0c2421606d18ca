//! The cluster state file, `<data dir>/mesos/clusters/<name>/cluster.json`,
//! written atomically by `up` and read by every other `cluster` command.
//!
//! ```json
//! {
//!   "version": 1,
//!   "name": "local",
//!   "mode": "local",
//!   "created_at": 1767225600,
//!   "dir": "/home/u/.local/share/mesos/clusters/local",
//!   "binary": "/home/u/.cargo/bin/mesos",
//!   "master": "127.0.0.1:40123",
//!   "master_url": "http://127.0.0.1:40123",
//!   "zk": null,
//!   "quorum": null,
//!   "profile": "local",
//!   "spec_file": null,
//!   "daemons": [
//!     {"name": "master-1", "role": "master", "host": "127.0.0.1", "ip": "127.0.0.1",
//!      "port": 40123, "pid": 4242, "start_ticks": 123456, "started_at": 1767225600,
//!      "work_dir": ".../master-1/work", "log_dir": ".../master-1/logs",
//!      "log_file": ".../master-1/logs/mesos-master.log",
//!      "console_log": ".../master-1/logs/console.log", "args": ["master", "--ip=127.0.0.1", "..."]}
//!   ]
//! }
//! ```
//!
//! `start_ticks` is field 22 of `/proc/<pid>/stat` (start time in clock
//! ticks since boot): a pid is only taken for our daemon when it still
//! matches, so a reused pid is never signalled. For SSH clusters each daemon
//! also names its `ssh` target and the paths are on that host.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::StateError;
use crate::error::Result;

/// Format version of `cluster.json`.
pub const STATE_VERSION: u32 = 1;
/// File name of the state file inside the cluster directory.
pub const STATE_FILE: &str = "cluster.json";

/// Where the daemons run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// On this machine (127.0.0.1).
    Local,
    /// On hosts reached over SSH (`up -f cluster.toml`).
    Ssh,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Local => "local",
            Mode::Ssh => "ssh",
        }
    }
}

/// What a daemon is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Zookeeper,
    Master,
    Agent,
    /// `mesos marathon` (one per master by default).
    Marathon,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Zookeeper => "zookeeper",
            Role::Master => "master",
            Role::Agent => "agent",
            Role::Marathon => "marathon",
        }
    }
}

/// How to reach the host of a remote daemon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SshTarget {
    /// Host name or address to connect to.
    pub host: String,
    pub port: u16,
    pub user: String,
    /// Private key file; `None` = SSH agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_file: Option<String>,
}

/// One daemon started by `up`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DaemonRecord {
    /// `zookeeper-1`, `master-1`, `agent-2`, ...
    pub name: String,
    pub role: Role,
    /// Host as named by the user (`127.0.0.1` locally).
    pub host: String,
    /// Address the daemon listens on and is reached at.
    pub ip: String,
    pub port: u16,
    pub pid: u32,
    /// `/proc/<pid>/stat` start time, guarding against pid reuse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_ticks: Option<u64>,
    /// Unix seconds.
    pub started_at: u64,
    pub work_dir: String,
    pub log_dir: String,
    /// The daemon's own log (glog lines for masters and agents).
    pub log_file: String,
    /// stdout and stderr of the process.
    pub console_log: String,
    /// Command line after the program (`master --ip=...`).
    #[serde(default)]
    pub args: Vec<String>,
    /// Set for daemons on SSH hosts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh: Option<SshTarget>,
    /// Serves https (`up --secure`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tls: bool,
    /// Environment set for the daemon (`LIBPROCESS_SSL_*`: paths and
    /// switches, never a secret).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<(String, String)>,
}

impl DaemonRecord {
    /// `ip:port`.
    pub fn address(&self) -> String {
        format!("{}:{}", self.ip, self.port)
    }
    /// `http://ip:port`, or `https://` when it serves TLS (masters and agents).
    pub fn url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}:{}", self.ip, self.port)
    }
}

/// The whole state file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterState {
    pub version: u32,
    pub name: String,
    pub mode: Mode,
    /// Unix seconds of the `up` that created it.
    pub created_at: u64,
    /// The cluster directory on this machine.
    pub dir: PathBuf,
    /// The `mesos` binary the daemons run.
    pub binary: String,
    /// What `MESOS_MASTER` / the profile gets: `ip:port` or `zk://.../mesos`.
    pub master: String,
    /// Base URL of the first master.
    pub master_url: String,
    /// ZooKeeper URL the masters use, if any.
    #[serde(default)]
    pub zk: Option<String>,
    /// `--quorum` given to the masters, if any.
    #[serde(default)]
    pub quorum: Option<u32>,
    /// The config profile `up` wrote.
    pub profile: String,
    /// `up -f FILE`, for SSH clusters.
    #[serde(default)]
    pub spec_file: Option<PathBuf>,
    /// TLS and HTTP authentication (`up --secure`); `None` = plain HTTP,
    /// no authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure: Option<super::secure::Security>,
    /// Base URL of the first `mesos marathon` (what the profile's
    /// `marathon` gets); `None` when the cluster runs none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marathon: Option<String>,
    pub daemons: Vec<DaemonRecord>,
}

impl ClusterState {
    /// Path of the state file of a cluster directory.
    pub fn path_in(dir: &Path) -> PathBuf {
        dir.join(STATE_FILE)
    }

    /// Load `<dir>/cluster.json`; `Ok(None)` when there is none.
    pub fn load(dir: &Path) -> Result<Option<ClusterState>> {
        let path = Self::path_in(dir);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StateError::Read { path, source: e }.into()),
        };
        let st: ClusterState =
            serde_json::from_str(&text).map_err(|source| StateError::Corrupt {
                path: path.clone(),
                dir: dir.to_path_buf(),
                source,
            })?;
        if st.version > STATE_VERSION {
            return Err(StateError::NewerFormat {
                path,
                found: st.version,
                known: STATE_VERSION,
            }
            .into());
        }
        Ok(Some(st))
    }

    /// Write atomically to `<dir>/cluster.json`.
    pub fn save(&self) -> Result<()> {
        let path = Self::path_in(&self.dir);
        let text = serde_json::to_string_pretty(self).map_err(StateError::Encode)?;
        crate::fsutil::write_atomic(&path, format!("{text}\n").as_bytes())
            .map_err(|source| StateError::Write { path, source }.into())
    }

    /// Daemons of one role, in order.
    pub fn of_role(&self, role: Role) -> impl Iterator<Item = &DaemonRecord> {
        self.daemons.iter().filter(move |d| d.role == role)
    }

    /// Find a daemon by name (`master-1`), or by role when there is just one
    /// (`master`, `zookeeper`).
    pub fn find(&self, name: &str) -> Option<&DaemonRecord> {
        if let Some(d) = self.daemons.iter().find(|d| d.name == name) {
            return Some(d);
        }
        let mut of_role = self.daemons.iter().filter(|d| d.role.as_str() == name);
        match (of_role.next(), of_role.next()) {
            (Some(d), None) => Some(d),
            _ => None,
        }
    }

    /// `1 master, 2 agents` (+ `, 1 zookeeper`).
    pub fn shape(&self) -> String {
        let n = |r| self.of_role(r).count();
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        let mut s = format!(
            "{}, {}",
            plural(n(Role::Master), "master"),
            plural(n(Role::Agent), "agent")
        );
        if n(Role::Zookeeper) > 0 {
            s.push_str(&format!(", {}", plural(n(Role::Zookeeper), "zookeeper")));
        }
        if n(Role::Marathon) > 0 {
            s.push_str(&format!(", {}", plural(n(Role::Marathon), "marathon")));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample(dir: &Path) -> ClusterState {
        let d = |name: &str, role, port| DaemonRecord {
            name: name.into(),
            role,
            host: "127.0.0.1".into(),
            ip: "127.0.0.1".into(),
            port,
            pid: 1,
            start_ticks: Some(7),
            started_at: 1,
            work_dir: "w".into(),
            log_dir: "l".into(),
            log_file: "l/f".into(),
            console_log: "l/c".into(),
            args: vec!["master".into()],
            ssh: None,
            tls: false,
            env: vec![],
        };
        ClusterState {
            version: STATE_VERSION,
            name: "local".into(),
            mode: Mode::Local,
            created_at: 1,
            dir: dir.to_path_buf(),
            binary: "/bin/mesos".into(),
            master: "127.0.0.1:1".into(),
            master_url: "http://127.0.0.1:1".into(),
            zk: None,
            quorum: None,
            profile: "local".into(),
            spec_file: None,
            secure: None,
            marathon: None,
            daemons: vec![
                d("master-1", Role::Master, 1),
                d("agent-1", Role::Agent, 2),
                d("agent-2", Role::Agent, 3),
            ],
        }
    }

    #[test]
    fn round_trips_atomically() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(ClusterState::load(dir.path()).unwrap(), None);
        let st = sample(dir.path());
        st.save().unwrap();
        assert_eq!(ClusterState::load(dir.path()).unwrap(), Some(st.clone()));
        let text = std::fs::read_to_string(dir.path().join(STATE_FILE)).unwrap();
        assert!(text.contains("\"role\": \"master\""), "{text}");
        assert!(text.contains("\"mode\": \"local\""), "{text}");
        assert_eq!(st.shape(), "1 master, 2 agents");
        assert_eq!(st.find("master").unwrap().name, "master-1");
        assert!(st.find("agent").is_none(), "ambiguous");
        assert_eq!(st.find("agent-2").unwrap().port, 3);
    }

    #[test]
    fn a_corrupt_file_is_a_clean_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(STATE_FILE), "{").unwrap();
        let e = ClusterState::load(dir.path()).unwrap_err();
        assert_eq!(e.exit_code(), 1);
        assert!(e.message.contains("corrupt"), "{}", e.message);
    }
}
