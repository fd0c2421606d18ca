//! What can go wrong while finding the leading master. The exit code of each
//! variant is decided in `crate::error` (the `From<LeaderError>` impl); the
//! wording and hints live here. Credentials never appear in the text: `zk`
//! fields hold a `ZkUrl` as displayed, without its password.

use std::path::PathBuf;

const CHECK_MASTER_HINT: &str = "check --master (or MESOS_MASTER / the profile); is a master running? `mesos cluster up` starts a local one";
const LEADER_DOWN_HINT: &str = "ZooKeeper drops a dead leader when its session expires (10 s by default) and a standby takes over; try again then, or give a longer --timeout";
const ZK_CREDENTIALS_HINT: &str = "give digest credentials as zk://user:password@host:port/path";

#[derive(Debug, thiserror::Error)]
pub enum LeaderError {
    // --- file:// indirection (all malformed --master values) ---------------
    /// The file cannot be found or read.
    #[error("--master file://{}: {source}", .path.display())]
    SpecFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("--master file://{} refers back to itself (loop through {})", .path.display(), .canonical.display())]
    SpecFileLoop { path: PathBuf, canonical: PathBuf },
    #[error("--master file:// chain is deeper than {0} files")]
    SpecFileChain(usize),
    #[error("--master file://{} is empty (it should hold host:port, a URL or zk://...)", .0.display())]
    SpecFileEmpty(PathBuf),

    // --- ZooKeeper ----------------------------------------------------------
    /// The ZooKeeper client rejected the connect string.
    #[error("cannot use ZooKeeper {zk}: {what}")]
    ZkBadArguments { zk: String, what: String },
    /// No contender under the path (`detail` says why).
    #[error("no master is registered under {path} in {zk} ({detail})")]
    NoContender {
        path: String,
        zk: String,
        detail: String,
    },
    #[error(
        "ZooKeeper refused the credentials of user '{user}' for {zk}: not allowed to read {znode}"
    )]
    ZkCredentialsNotAllowed {
        user: String,
        zk: String,
        znode: String,
    },
    #[error("ZooKeeper refused the credentials of user '{user}' for {zk}")]
    ZkCredentialsRefused { user: String, zk: String },
    #[error("ZooKeeper {zk} does not allow reading {znode} without credentials")]
    ZkNeedsCredentials { zk: String, znode: String },
    #[error("ZooKeeper {zk} refused the session (authentication failed)")]
    ZkSessionRefused { zk: String },
    /// The leader's znode data cannot be decoded.
    #[error("leader znode {znode} in {zk}: {why}")]
    BadZnode {
        znode: String,
        zk: String,
        why: String,
    },
    #[error("leader znode {znode} in {zk} has no address, hostname or pid")]
    ZnodeNoAddress { znode: String, zk: String },
    #[error("leader znode {znode} has a bad address '{host}': {cause}")]
    ZnodeBadAddress {
        znode: String,
        host: String,
        cause: String,
    },
    /// Sessions were had, but reading the leader kept failing.
    #[error("cannot read the leader from ZooKeeper {zk} within {within}: {why}")]
    ZkUnreadable {
        zk: String,
        within: String,
        why: String,
    },
    /// No member gave a session; `tried` names each member and why.
    #[error("cannot reach ZooKeeper {zk} within {within}: tried {tried}")]
    ZkUnreachable {
        zk: String,
        within: String,
        tried: String,
    },
    /// ZooKeeper names a leader that does not answer, and no contender
    /// took over within the budget.
    #[error("ZooKeeper {zk} names a leader that is down: {report}")]
    LeaderDown { zk: String, report: String },

    // --- HTTP ---------------------------------------------------------------
    /// One master did not answer within the budget.
    #[error("no answer within {}", crate::duration::format_duration(*.0))]
    NoAnswerWithin(std::time::Duration),
    /// Every master asked timed out.
    #[error("no leading master found{}: {detail}", among(*.masters))]
    AllTimedOut { masters: usize, detail: String },
    /// The masters asked answered (or failed) without naming a leader.
    #[error("no leading master found{}: {detail}", among(*.masters))]
    NoLeadingMaster { masters: usize, detail: String },
    #[error("{url} answered a redirect without a Location header")]
    RedirectWithoutLocation { url: String },
    #[error("{base} redirected to an unusable Location '{location}': {cause}")]
    BadRedirect {
        base: String,
        location: String,
        cause: String,
    },
    #[error("{base} redirected to a bad host '{host}': {cause}")]
    BadRedirectHost {
        base: String,
        host: String,
        cause: String,
    },
    #[error("{url} names no leader (no leader elected yet)")]
    StateNamesNoLeader { url: String },
    #[error("{url} has an unreadable leader pid '{pid}'")]
    BadLeaderPid { url: String, pid: String },
    #[error("{0} is not a Mesos master")]
    NotAMaster(String),
    /// Neither the v1 API nor `/master/state` described the leader.
    #[error("no state")]
    NoState,
}

fn among(masters: usize) -> String {
    if masters == 1 {
        String::new()
    } else {
        format!(" among {masters} masters")
    }
}

impl LeaderError {
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            LeaderError::AllTimedOut { .. } | LeaderError::NoLeadingMaster { .. } => {
                Some(CHECK_MASTER_HINT)
            }
            LeaderError::LeaderDown { .. } => Some(LEADER_DOWN_HINT),
            LeaderError::ZkNeedsCredentials { .. } => Some(ZK_CREDENTIALS_HINT),
            _ => None,
        }
    }
}
