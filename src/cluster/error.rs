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

/// `mesos cluster up|down|status|wait` on this machine: flags, the daemons'
/// processes and files, readiness.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    // --- flags (usage) ----------------------------------------------------
    #[error("--agents {0} is more than 200")]
    TooManyAgents(u32),
    #[error("invalid --agent-resources: {0}")]
    BadAgentResources(String),
    #[error("invalid --agent-attributes: {0}")]
    BadAgentAttributes(String),
    /// `--zk` names something other than ZooKeeper (`shown` is redacted).
    #[error("--zk '{0}' is not a zk:// URL (expected zk://HOST:2181/mesos)")]
    ZkNotZk(String),
    #[error("invalid --zk: {0}")]
    BadZk(String),
    #[error("daemon flag '{0}' must look like --name=value")]
    BadDaemonFlag(String),
    /// `up` without `-f` on a cluster that runs on SSH hosts.
    #[error("cluster '{name}' runs on SSH hosts ({spec_file})")]
    UpRunsOnSsh { name: String, spec_file: String },
    /// `down` without `-f` on a cluster that runs on SSH hosts.
    #[error("cluster '{0}' runs on SSH hosts")]
    DownRunsOnSsh(String),

    // --- which cluster (not found) -------------------------------------
    /// `down` stopped it (its directory is kept).
    #[error("cluster '{0}' is down (`mesos cluster down` stopped it)")]
    ClusterDown(String),
    /// No such cluster; `known` lists the others.
    #[error("no cluster named '{name}'")]
    NoSuchCluster { name: String, known: Vec<String> },

    // --- this machine --------------------------------------------------
    /// A file system step failed: `cannot {action} {path}: {source}`.
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        source: std::io::Error,
    },
    #[error("cannot find a free port on {ip}: {source}")]
    NoFreePort {
        ip: &'static str,
        source: std::io::Error,
    },
    #[error("no ZooKeeper installation")]
    NoZkInstall,
    #[error("cannot run a managed ZooKeeper: no `java` found (JAVA_HOME or PATH)")]
    NoJava,
    #[error("ZOOKEEPER_HOME={} holds no ZooKeeper jars (looked in it and in lib/)", .0.display())]
    NoZkJars(PathBuf),
    #[error("cannot run a managed ZooKeeper: it is not installed (no /usr/share/java/zookeeper.jar, no ZOOKEEPER_HOME)")]
    ZkNotInstalled,
    // --- readiness probes over HTTPS (secure clusters) -------------------
    #[error("the cluster's credential is not valid in a header")]
    BadCredentialHeader,
    #[error("cannot set up the HTTPS probe client: {0}")]
    ProbeClient(reqwest::Error),
    #[error("cannot read the cluster's CA file {file}: {source}")]
    CaUnreadable {
        file: String,
        source: std::io::Error,
    },
    #[error("{file} holds no PEM certificate: {source}")]
    CaNotPem {
        file: String,
        source: reqwest::Error,
    },
    #[error("cannot start {name} ({}): {source}", .program.display())]
    CannotStart {
        name: String,
        program: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot find the running mesos binary: {0}")]
    NoBinary(std::io::Error),
    #[error("cannot start the async runtime: {0}")]
    NoRuntime(std::io::Error),

    // --- daemons ---------------------------------------------------------
    /// Some daemons of a running cluster are not running (`dead` in order).
    #[error("cluster '{name}' is only partly running: {} not running", .dead.join(", "))]
    PartlyRunning { name: String, dead: Vec<String> },
    /// A daemon exited (`how`), with the telling log line (`why`, `: line`).
    #[error("{name} {how}{why}")]
    DaemonDied {
        name: String,
        how: String,
        why: String,
        log_file: String,
        console_log: String,
    },
    /// A start-up gate (ZooKeeper, the master's HTTP) did not open in time.
    #[error("timed out waiting for {0}")]
    GateTimeout(&'static str),
    /// Not ready within `--timeout` (`after`); the daemons keep running.
    #[error("cluster '{name}' not ready after {after}: waiting for {}", .waiting_for.join(", "))]
    NotReady {
        name: String,
        after: String,
        waiting_for: Vec<String>,
    },
}

impl LocalError {
    pub fn hint(&self) -> Option<String> {
        match self {
            LocalError::UpRunsOnSsh { .. } => {
                Some("use `mesos cluster up -f FILE` for it, or pick another --name".into())
            }
            LocalError::DownRunsOnSsh(_) => Some("stop it with `mesos cluster down -f FILE`".into()),
            LocalError::ClusterDown(name) => Some(format!(
                "`mesos cluster up --name {name}` starts it again with its data"
            )),
            LocalError::NoSuchCluster { name, known } if !known.is_empty() => Some(format!(
                "known clusters: {}; start one with `mesos cluster up --name {name}`",
                known.join(", ")
            )),
            LocalError::NoSuchCluster { .. } => Some("start one with `mesos cluster up`".into()),
            LocalError::PartlyRunning { name, dead } => Some(format!(
                "see why with `mesos cluster logs {} --name {name}`; restart with `mesos cluster down --name {name}` then `mesos cluster up --name {name}`",
                dead.first().map(String::as_str).unwrap_or_default()
            )),
            LocalError::DaemonDied {
                log_file,
                console_log,
                ..
            } => Some(format!("full log: {log_file} (console: {console_log})")),
            LocalError::NoJava | LocalError::NoZkJars(_) | LocalError::ZkNotInstalled => {
                Some(super::zk::INSTALL_HINT.into())
            }
            LocalError::NotReady { name: n, .. } => Some(format!(
                "the daemons were left running: `mesos cluster status --name {n}`, `mesos cluster logs --name {n}`, `mesos cluster wait --name {n}`, or `mesos cluster down --name {n}`"
            )),
            _ => None,
        }
    }
}

/// A cluster file (`mesos cluster up -f FILE`) that cannot be read or used.
#[derive(Debug, thiserror::Error)]
pub enum ClusterSpecError {
    /// `at` is `FILE:LINE` (or `FILE` when no line is known); `msg` names
    /// the field and what is wrong with it.
    #[error("{at}: {msg}")]
    Invalid { at: String, msg: String },
    #[error("cannot read cluster file {}: {source}", .path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl ClusterSpecError {
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            ClusterSpecError::Unreadable { .. } => {
                Some("`mesos cluster init` writes a commented example")
            }
            ClusterSpecError::Invalid { .. } => None,
        }
    }
}

/// Certificates, keys and the shared secret of a secure cluster (`--secure`).
#[derive(Debug, thiserror::Error)]
pub enum SecureError {
    #[error("the system random number generator failed")]
    NoRandom,
    #[error("cannot generate the cluster certificates: {0}")]
    Certificate(rcgen::Error),
    /// A host name rcgen does not accept as a DNS name.
    #[error("host name '{name}' cannot go into a certificate: {cause}")]
    BadCertName { name: String, cause: rcgen::Error },
    #[error("no certificate was generated for host {0}")]
    NoCertificate(String),
    /// `cannot {action} {path}: {source}`.
    #[error("cannot {action} {}: {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the cluster's secret file {file}: {source}")]
    SecretUnreadable {
        file: String,
        source: std::io::Error,
    },
    #[error("the cluster's secret file {0} is empty")]
    EmptySecret(String),
}

/// Reaching the hosts of an SSH cluster (libssh2). `target` is always
/// `user@host[:port]`.
#[derive(Debug, thiserror::Error)]
pub enum SshError {
    /// One step of a session failed (`what`: connect, handshake, SFTP...).
    #[error("{target}: {what}: {cause}")]
    Step {
        target: String,
        what: String,
        cause: String,
    },
    #[error("{target}: host key {key_type} {fingerprint} is marked @revoked in {known_hosts}")]
    HostKeyRevoked {
        target: String,
        key_type: String,
        fingerprint: String,
        known_hosts: String,
    },
    /// `pattern` is the host as `ssh-keygen -R` wants it.
    #[error("{target}: HOST KEY CHANGED: the server offers {key_type} {fingerprint}, which differs from the key in {known_hosts} (someone may be impersonating the host)")]
    HostKeyChanged {
        target: String,
        key_type: String,
        fingerprint: String,
        known_hosts: String,
        pattern: String,
    },
    #[error("{target}: the server offers a {key_type} host key ({fingerprint}) but {known_hosts} lists only {} for it", .known_types.join(", "))]
    HostKeyOtherTypes {
        target: String,
        key_type: String,
        fingerprint: String,
        known_hosts: String,
        known_types: Vec<String>,
    },
    #[error("{target}: host key {key_type} {fingerprint} is not in {known_hosts}; refusing an unknown host")]
    HostKeyUnknown {
        target: String,
        key_type: String,
        fingerprint: String,
        known_hosts: String,
    },
    /// The host refused the key file given for it.
    #[error("{target}: authentication with {key_file} failed: {cause}")]
    KeyRefused {
        target: String,
        key_file: String,
        cause: String,
    },
    #[error("{target}: authentication failed (tried: {})", if .tried.is_empty() { "nothing: no SSH agent, no ~/.ssh/id_* key".to_string() } else { .tried.join(", ") })]
    AuthFailed { target: String, tried: Vec<String> },
    /// Creating a private directory on the host failed; `output` is the
    /// tail of what the command printed.
    #[error("{target}: cannot create {dir}: {output}")]
    RemoteMkdir {
        target: String,
        dir: String,
        output: String,
    },
}

impl SshError {
    pub fn hint(&self) -> Option<String> {
        match self {
            SshError::HostKeyChanged { pattern, .. } => Some(format!(
                "if the host was reinstalled, remove its old key with `ssh-keygen -R '{pattern}'` and try again"
            )),
            SshError::HostKeyOtherTypes { .. } => {
                Some("check the host, then remove its old keys with `ssh-keygen -R HOST`".into())
            }
            SshError::HostKeyUnknown { .. } => Some(
                "verify the fingerprint, then pass --accept-new-host-keys (or connect once with `ssh`)"
                    .into(),
            ),
            SshError::KeyRefused { .. } => Some(
                "check that the public key is in the user's ~/.ssh/authorized_keys on the host"
                    .into(),
            ),
            SshError::AuthFailed { .. } => Some(
                "set key_file for the host in the cluster file, or load a key into ssh-agent".into(),
            ),
            _ => None,
        }
    }
}

/// An SSH cluster as a whole: the helper (`mesos cluster host`) on each
/// host, uploading the binary, starting, waiting for and stopping daemons
/// across hosts. `host` fields name the host as in the cluster file.
#[derive(Debug, thiserror::Error)]
pub enum HostsError {
    // --- the helper run on each host -----------------------------------
    #[error("mesos cluster host: bad request: {0}")]
    BadHostRequest(serde_json::Error),
    #[error("cannot find this binary: {0}")]
    NoOwnBinary(std::io::Error),
    #[error("cannot write {path}: {source}")]
    WriteFile {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}: not connected")]
    NotConnected(String),
    #[error("{0}")]
    EncodeRequest(serde_json::Error),
    #[error("{host}: `mesos cluster host` exited with {code}: {output}")]
    HelperExited {
        host: String,
        code: i32,
        output: String,
    },
    #[error("{host}: unexpected answer from `mesos cluster host`: {cause}: {excerpt}")]
    HelperAnswer {
        host: String,
        cause: serde_json::Error,
        excerpt: String,
    },
    /// The host's OS or architecture differs from this machine's.
    #[error("{host}: {why}")]
    Platform { host: String, why: String },

    // --- this machine ------------------------------------------------------
    #[error("cannot read {}: {source}", .path.display())]
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create {}: {source}", .path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot find the running mesos binary: {0}")]
    NoRunningBinary(std::io::Error),

    // --- uploading, ZooKeeper ------------------------------------------
    #[error("upload to {bin} failed: {output}")]
    UploadFailed { bin: String, output: String },
    #[error("upload to {bin} arrived corrupted (checksum differs)")]
    UploadCorrupted { bin: String },
    #[error("{host}: cannot run a managed ZooKeeper: {output}")]
    NoZk { host: String, output: String },
    #[error("{host}: cannot find java and ZooKeeper")]
    NoJavaZk { host: String },

    // --- the cluster -----------------------------------------------------
    /// A host that could not be used earlier, with why.
    #[error("{0}")]
    HostUnusable(String),
    #[error("no master is running")]
    NoMaster,
    #[error("cluster '{name}' not ready after {after}: waiting for {}", .waiting_for.join(", "))]
    NotReady {
        name: String,
        after: String,
        waiting_for: Vec<String>,
    },
    #[error("cluster '{name}' already runs locally; pick another name in {}", .file.display())]
    RunsLocally { name: String, file: PathBuf },
    #[error("cluster '{name}' is only partly running: {} not running", .dead.join(", "))]
    PartlyRunning {
        name: String,
        dead: Vec<String>,
        file: PathBuf,
    },
    /// No host could be connected to or prepared (`reasons` per host).
    #[error("no host could be used: {}", .reasons.join("; "))]
    NoHostUsable { reasons: Vec<String>, file: PathBuf },
    #[error("nothing started")]
    NothingStarted,
    /// `up` failed after starting: `message` is what failed (with the
    /// failed hosts); `timed_out` and `partly_started` decide the exit code.
    #[error("{message}")]
    UpFailed {
        message: String,
        timed_out: bool,
        partly_started: bool,
        name: String,
        file: PathBuf,
    },
    /// Several hosts or daemons failed, `; `-separated.
    #[error("{}", .0.join("; "))]
    Failures(Vec<String>),
    /// Some daemons could not be stopped; `kept` when the state file keeps them.
    #[error("could not stop the daemons on {}: {}", .hosts.join(", "), .reasons.join("; "))]
    StopFailed {
        hosts: Vec<String>,
        reasons: Vec<String>,
        kept: bool,
    },
    #[error("{0} has no SSH target")]
    NoSshTarget(String),
    /// Some daemons' logs could not be read, `; `-separated.
    #[error("{}", .0.join("; "))]
    SomeFailed(Vec<String>),
}

impl HostsError {
    pub fn hint(&self) -> Option<String> {
        match self {
            HostsError::NoZk { .. } => Some(super::zk::INSTALL_HINT.into()),
            HostsError::PartlyRunning { file, .. } => Some(format!(
                "`mesos cluster down -f {f}` then `mesos cluster up -f {f}`",
                f = file.display()
            )),
            HostsError::NoHostUsable { reasons, file } => {
                Some(if reasons.iter().any(|r| r.contains("refusing an unknown host")) {
                    "verify the fingerprints, then pass --accept-new-host-keys (or connect once with `ssh`)"
                        .to_string()
                } else {
                    format!("`mesos cluster doctor -f {}` checks every host", file.display())
                })
            }
            HostsError::UpFailed { name: n, file, .. } => Some(format!(
                "what started is recorded: `mesos cluster status --name {n}`, `mesos cluster logs --name {n}`, `mesos cluster down -f {f}`",
                f = file.display()
            )),
            HostsError::StopFailed { kept: true, .. } => Some(
                "the cluster state keeps them; run `mesos cluster down` again when the hosts are reachable"
                    .into(),
            ),
            _ => None,
        }
    }
}
