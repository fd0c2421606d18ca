//! `mesos cluster up|down|status|wait|list|logs|doctor|init`: a real Mesos
//! cluster of the bundled daemons, on this machine or on SSH hosts.
//!
//! * [`state`]: the cluster state file (`cluster.json`) and its format.
//! * [`proc`]: detached spawning, pid checks guarded against pid reuse,
//!   signals, log tails.
//! * [`ready`]: the readiness rule, checked over the masters' HTTP APIs.
//! * [`local`]: `up`/`down`/`status`/`wait`/`list`/`logs` on 127.0.0.1.
//! * [`zk`]: the managed ZooKeeper (Debian `zookeeper` package or
//!   `ZOOKEEPER_HOME`), `zoo.cfg` and `myid` generation.
//! * [`spec`]: the declarative `cluster.toml` (parse, validate, example).
//! * [`ssh`]: SSH sessions (ssh2) with known_hosts checking.
//! * [`remote`]: `up -f`/`down -f`/`status`/`doctor` across SSH hosts.
//! * [`profile`]: the config profile `up` writes and `down --purge` removes.
//! * [`progress`]: per-daemon progress (indicatif on a TTY, lines otherwise).
//! * [`secure`]: `up --secure`: CA, host certificates, credentials, the
//!   daemons' TLS environment and authentication flags.
//! * [`secure_check`]: is a running cluster secured (`doctor`, `status`).
//!
//! Order of start: ZooKeeper, then masters, then agents, then `mesos
//! marathon` (locally one per master; on SSH hosts where the file's
//! `[marathon]` says; with `--secure` as an authenticated framework serving
//! https). Masters come in odd
//! numbers with quorum ⌊n/2⌋+1; one master needs no ZooKeeper.

pub mod error;
pub mod local;
pub mod proc;
pub mod profile;
pub mod progress;
pub mod ready;
pub mod remote;
pub mod secure;
pub mod secure_check;
pub mod spec;
pub mod ssh;
pub mod state;
pub mod zk;

use std::path::PathBuf;

use crate::error::Result;
pub use error::{ClusterSpecError, HostsError, LocalError, SecureError, SshError, StateError};

/// The cluster name used when `--name` is not given.
pub const DEFAULT_NAME: &str = "local";

/// `<data dir>/mesos/clusters`: one directory per cluster.
///
/// The data dir is `$XDG_DATA_HOME` or `~/.local/share` on Linux.
pub fn clusters_root() -> Result<PathBuf> {
    dirs::data_dir()
        .map(|d| d.join("mesos").join("clusters"))
        .ok_or_else(|| StateError::NoDataDir.into())
}

/// `<data dir>/mesos/clusters/<name>`.
pub fn cluster_dir(name: &str) -> Result<PathBuf> {
    validate_name(name)?;
    Ok(clusters_root()?.join(name))
}

/// Cluster names double as profile names: letters, digits, `-`, `_`, `.`,
/// not starting with `-` or `.`.
pub fn validate_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with(['-', '.'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(StateError::BadName(name.to_string()).into())
    }
}

/// Quorum of `n` masters: ⌊n/2⌋+1.
pub fn quorum(masters: u32) -> u32 {
    masters / 2 + 1
}

/// Masters must be odd: an even count tolerates no more failures than the
/// odd count below it and risks split votes.
pub fn check_master_count(n: u32) -> Result<()> {
    if n == 0 {
        return Err(StateError::NoMasters.into());
    }
    if n % 2 == 0 {
        return Err(StateError::EvenMasters { n }.into());
    }
    Ok(())
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A duration for messages: `30s`, `1.5s`, `250ms`, `2m 5s`.
pub fn human(d: std::time::Duration) -> String {
    crate::duration::format_duration(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quorum_is_a_majority() {
        assert_eq!(quorum(1), 1);
        assert_eq!(quorum(3), 2);
        assert_eq!(quorum(5), 3);
    }

    #[test]
    fn even_master_counts_are_refused_with_the_reason() {
        check_master_count(1).unwrap();
        check_master_count(3).unwrap();
        let e = check_master_count(2).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.message.contains("odd"), "{}", e.message);
        assert!(e.hint.unwrap().contains("quorum of 2 masters is 2"));
        assert_eq!(check_master_count(0).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn names_are_checked() {
        for ok in ["local", "dev-1", "a.b_c"] {
            validate_name(ok).unwrap();
        }
        for bad in ["", "-x", ".x", "a b", "a/b", "../x"] {
            assert_eq!(validate_name(bad).unwrap_err().exit_code(), 2, "{bad:?}");
        }
    }
}
