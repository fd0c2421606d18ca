//! Typed errors of `mesos cluster`. The exit code of each variant is decided
//! in `crate::error` (the `From` impls); the wording and hints live here.

use std::path::PathBuf;

/// Where a cluster lives and what it is called, how many masters it has,
/// and its state file (`cluster.json`).
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot find the user's data directory")]
    NoDataDir,
    #[error("invalid cluster name '{0}' (use up to 64 letters, digits, '-', '_' and '.'; it is also the profile name)")]
    BadName(String),
    #[error("--masters must be at least 1")]
    NoMasters,
    #[error("--masters {n} is even: use an odd number of masters ({} or {})", .n - 1, .n + 1)]
    EvenMasters { n: u32 },
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The state file does not parse; `dir` is the cluster's directory.
    #[error("cluster state {} is corrupt: {source}", .path.display())]
    Corrupt {
        path: PathBuf,
        dir: PathBuf,
        source: serde_json::Error,
    },
    #[error("cluster state {} has format version {found} (this mesos knows {known})", .path.display())]
    NewerFormat {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    #[error("cannot encode cluster state: {0}")]
    Encode(serde_json::Error),
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl StateError {
    pub fn hint(&self) -> Option<String> {
        match self {
            StateError::NoDataDir => Some(
                "set HOME (or XDG_DATA_HOME) so cluster state and logs have a place to live".into(),
            ),
            StateError::EvenMasters { n } => {
                let q = super::quorum(*n);
                Some(format!(
                    "the quorum of {n} masters is {q}, so {n} masters survive only {} failure(s), like {}; an odd count avoids split votes",
                    n - q,
                    n - 1
                ))
            }
            StateError::Corrupt { dir, .. } => Some(format!(
                "stop leftover daemons by hand, then remove {}",
                dir.display()
            )),
            StateError::NewerFormat { .. } => {
                Some("use the newer mesos binary that created it".into())
            }
            _ => None,
        }
    }
}
