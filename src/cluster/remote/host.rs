//! The host side: `mesos cluster host` (hidden), JSON in, JSON out.

use super::*;

/// One request to `mesos cluster host`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum HostOp {
    /// Write files, start daemons detached, record each in `daemon.json`.
    Start { daemons: Vec<StartItem> },
    /// Liveness of recorded daemons, with log tails of dead ones.
    Status {
        daemons: Vec<DaemonRecord>,
        tail: usize,
    },
    /// Stop these daemons and those recorded under `work_dir`, tasks first.
    Stop {
        work_dir: String,
        /// Only records of this host are taken from `work_dir` (hosts may
        /// share a filesystem).
        host: String,
        daemons: Vec<DaemonRecord>,
        grace_ms: u64,
        purge: bool,
    },
}

/// A daemon to start on a host.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StartItem {
    pub rec: DaemonRecord,
    /// Program to run; `None` = this `mesos` binary.
    #[serde(default)]
    pub program: Option<String>,
    /// Files to write first: (path, content).
    #[serde(default)]
    pub files: Vec<(String, String)>,
}

/// Outcome of starting one daemon.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Started {
    pub rec: DaemonRecord,
    pub error: Option<String>,
}

/// Liveness of one daemon.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HostStatus {
    pub name: String,
    pub alive: bool,
    #[serde(default)]
    pub tail: Vec<String>,
}

/// File name of a daemon's record on its host.
pub const DAEMON_FILE: &str = "daemon.json";

/// `<root>/<daemon>` from a record (`<root>/<daemon>/work` or `.../data`).
pub(super) fn daemon_dir(rec: &DaemonRecord) -> PathBuf {
    Path::new(&rec.work_dir)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(&rec.work_dir))
}

/// Run one host request (the body of `mesos cluster host`).
pub fn host_main(input: &str) -> Result<String> {
    let op: HostOp = serde_json::from_str(input).map_err(HostsError::BadHostRequest)?;
    match op {
        HostOp::Start { daemons } => {
            let me = std::env::current_exe().map_err(HostsError::NoOwnBinary)?;
            let mut out = Vec::new();
            for mut item in daemons {
                let res = (|| -> Result<()> {
                    for (path, content) in &item.files {
                        crate::fsutil::write_atomic(Path::new(path), content.as_bytes()).map_err(
                            |source| HostsError::WriteFile {
                                path: path.clone(),
                                source,
                            },
                        )?;
                    }
                    let program = item
                        .program
                        .as_ref()
                        .map(PathBuf::from)
                        .unwrap_or_else(|| me.clone());
                    local::start_detached(&program, &mut item.rec)?;
                    let text = serde_json::to_string_pretty(&item.rec).unwrap_or_default();
                    let f = daemon_dir(&item.rec).join(DAEMON_FILE);
                    crate::fsutil::write_atomic(&f, text.as_bytes()).map_err(|source| {
                        HostsError::WriteFile {
                            path: f.display().to_string(),
                            source,
                        }
                    })?;
                    Ok(())
                })();
                out.push(Started {
                    error: res.err().map(|e| e.message),
                    rec: item.rec,
                });
            }
            Ok(to_json(&out))
        }
        HostOp::Status { daemons, tail } => {
            let out: Vec<HostStatus> = daemons
                .iter()
                .map(|d| {
                    let alive = local::alive(d);
                    HostStatus {
                        name: d.name.clone(),
                        alive,
                        tail: if alive {
                            Vec::new()
                        } else {
                            local::log_tail(d, tail)
                        },
                    }
                })
                .collect();
            Ok(to_json(&out))
        }
        HostOp::Stop {
            work_dir,
            host,
            mut daemons,
            grace_ms,
            purge,
        } => {
            // Also whatever `up` recorded on this host (e.g. after the local
            // state was lost).
            if let Ok(rd) = std::fs::read_dir(&work_dir) {
                for e in rd.flatten() {
                    let f = e.path().join(DAEMON_FILE);
                    if let Ok(text) = std::fs::read_to_string(&f) {
                        if let Ok(rec) = serde_json::from_str::<DaemonRecord>(&text) {
                            if rec.host == host && !daemons.iter().any(|d| d.name == rec.name) {
                                daemons.push(rec);
                            }
                        }
                    }
                }
            }
            daemons.sort_by_key(|d| d.role);
            let quiet = Progress::new(true);
            let mut out = local::stop_daemons(&daemons, Duration::from_millis(grace_ms), &quiet);
            for d in &daemons {
                let dir = daemon_dir(d);
                if purge {
                    let _ = std::fs::remove_dir_all(&dir);
                } else {
                    let _ = std::fs::remove_file(dir.join(DAEMON_FILE));
                }
            }
            if purge {
                let _ = std::fs::remove_dir_all(Path::new(&work_dir).join("bin"));
                let _ = std::fs::remove_dir_all(Path::new(&work_dir).join(secure::SECURE_DIR));
                let _ = std::fs::remove_dir(&work_dir);
                out.purged = true;
            }
            Ok(to_json(&out))
        }
    }
}

pub(super) fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}
