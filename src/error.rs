//! One error type for the whole binary, and the documented exit codes.
//!
//! Every failure a user can cause ends up here as a one-line message (plus an
//! optional hint) and one of the exit codes below. Nothing panics on bad input.
//!
//! Modules with failures worth telling apart have their own typed errors
//! (`http::HttpError`, `config::ConfigError`, `leader::spec::SpecError`,
//! `leader::LeaderError`, `tasks::TasksError`, `remote::RemoteError`,
//! `remote::ssh_config::SshConfigError`, `scheduler_client::SchedulerError`,
//! `cluster::StateError`, `cluster::LocalError`, `cluster::ClusterSpecError`,
//! `cluster::SecureError`, `cluster::SshError`, `cluster::HostsError`);
//! the `From` impls below are the one place where each of their variants gets
//! its exit code ([`ErrorKind`]), and `main` prints whatever reaches it.
//! (`sandbox` and `output` still build [`Error`] directly.) The tests pinning
//! each variant's exit code and wording are in `error_tests.rs`.

use std::fmt;

/// Success.
pub const EXIT_OK: u8 = 0;
/// The operation failed (unreachable master, bad response, I/O error, ...).
pub const EXIT_ERROR: u8 = 1;
/// Usage error: bad flag, malformed `--master`, invalid value.
pub const EXIT_USAGE: u8 = 2;
/// Partial failure: some hosts, agents or tasks failed, others succeeded.
pub const EXIT_PARTIAL: u8 = 3;
/// Not found, or ambiguous (several candidates where one was needed).
pub const EXIT_NOT_FOUND: u8 = 4;
/// Timed out waiting for an answer.
pub const EXIT_TIMEOUT: u8 = 124;

/// The exit-code table as a string literal, for `concat!` (`mesos --help`
/// appends it to its examples).
#[macro_export]
macro_rules! exit_codes_help {
    () => {
        "\
Exit codes:
  0    success
  1    error (unreachable master, bad response, credentials refused (401), I/O failure)
  2    usage error (bad flag or value, malformed --master)
  3    partial failure (some hosts, agents or tasks failed)
  4    not found, or ambiguous match
  124  timed out"
    };
}

/// The text shown in `mesos --help` and the man page.
pub const EXIT_CODES_HELP: &str = exit_codes_help!();

/// What kind of failure: decides the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Exit 1.
    Failed,
    /// Exit 2.
    Usage,
    /// Exit 3.
    Partial,
    /// Exit 4.
    NotFound,
    /// Exit 124.
    Timeout,
}

impl ErrorKind {
    /// The process exit code for this kind.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Failed => EXIT_ERROR,
            ErrorKind::Usage => EXIT_USAGE,
            ErrorKind::Partial => EXIT_PARTIAL,
            ErrorKind::NotFound => EXIT_NOT_FOUND,
            ErrorKind::Timeout => EXIT_TIMEOUT,
        }
    }
}

/// A user-facing error: a one-line message, an optional hint, and a kind.
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
    /// Lines shown under the message, one item each (e.g. every failed
    /// field of a rejected Marathon app definition).
    pub details: Vec<String>,
}

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: one_line(&message.into()),
            hint: None,
            details: Vec::new(),
        }
    }
    /// Exit 1.
    pub fn failed(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Failed, message)
    }
    /// Exit 2.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, message)
    }
    /// Exit 3.
    pub fn partial(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Partial, message)
    }
    /// Exit 4.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }
    /// Exit 124.
    pub fn timeout(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Timeout, message)
    }
    /// Attach a hint shown on its own `hint:` line.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// Attach detail lines, printed one per line under the message.
    pub fn with_details(mut self, details: Vec<String>) -> Self {
        self.details = details.iter().map(|d| one_line(d)).collect();
        self
    }
    /// Prefix the message with context (`context: message`).
    pub fn context(mut self, ctx: impl fmt::Display) -> Self {
        self.message = format!("{ctx}: {}", self.message);
        self
    }
    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

// ---------------------------------------------------------------------------
// Typed module errors -> the user-facing error. The exit code of every
// variant is decided here, in one place; the modules keep the wording
// (`Display`) and the hints.

impl From<crate::http::HttpError> for Error {
    fn from(e: crate::http::HttpError) -> Self {
        use crate::http::HttpError as H;
        let kind = match &e {
            H::Timeout { .. } => ErrorKind::Timeout,
            H::Status { status, .. } if *status == reqwest::StatusCode::NOT_FOUND => {
                ErrorKind::NotFound
            }
            H::Status { .. }
            | H::Unauthorized(_)
            | H::BadBody { .. }
            | H::Transport { .. }
            | H::NotTls { .. }
            | H::TlsOnly { .. } => ErrorKind::Failed,
        };
        with_hint(Error::new(kind, e.to_string()), e.hint())
    }
}

impl From<crate::remote::ssh_config::SshConfigError> for Error {
    fn from(e: crate::remote::ssh_config::SshConfigError) -> Self {
        use crate::remote::ssh_config::SshConfigError as S;
        let kind = match &e {
            S::SshMissing { .. } | S::CannotRun { .. } | S::Rejected { .. } => ErrorKind::Failed,
        };
        with_hint(Error::new(kind, e.to_string()), e.hint())
    }
}

impl From<crate::config::ConfigError> for Error {
    fn from(e: crate::config::ConfigError) -> Self {
        use crate::config::ConfigError as C;
        let kind = match &e {
            C::NoProfile { .. } => ErrorKind::NotFound,
            C::UnknownKey { .. } | C::BadProfileName(_) => ErrorKind::Usage,
            C::NoConfigDir
            | C::Read { .. }
            | C::Write { .. }
            | C::Invalid { .. }
            | C::Encode(_) => ErrorKind::Failed,
        };
        with_hint(Error::new(kind, e.to_string()), e.hint())
    }
}

impl From<crate::leader::spec::SpecError> for Error {
    fn from(e: crate::leader::spec::SpecError) -> Self {
        // Every bad --master value is a usage error.
        let kind = ErrorKind::Usage;
        with_hint(Error::new(kind, e.to_string()), e.hint())
    }
}

impl From<crate::leader::LeaderError> for Error {
    fn from(e: crate::leader::LeaderError) -> Self {
        use crate::leader::LeaderError as L;
        let kind = match &e {
            // Nothing registered where the user pointed.
            L::NoContender { .. } => ErrorKind::NotFound,
            L::NoAnswerWithin(_) | L::AllTimedOut { .. } => ErrorKind::Timeout,
            // A file:// --master that cannot be used is a malformed value.
            L::SpecFile { .. }
            | L::SpecFileLoop { .. }
            | L::SpecFileChain(_)
            | L::SpecFileEmpty(_) => ErrorKind::Usage,
            // Unreachable, refused or answering nonsense.
            L::ZkBadArguments { .. }
            | L::ZkCredentialsNotAllowed { .. }
            | L::ZkCredentialsRefused { .. }
            | L::ZkNeedsCredentials { .. }
            | L::ZkSessionRefused { .. }
            | L::BadZnode { .. }
            | L::ZnodeNoAddress { .. }
            | L::ZnodeBadAddress { .. }
            | L::ZkUnreadable { .. }
            | L::ZkUnreachable { .. }
            | L::LeaderDown { .. }
            | L::NoLeadingMaster { .. }
            | L::RedirectWithoutLocation { .. }
            | L::BadRedirect { .. }
            | L::BadRedirectHost { .. }
            | L::StateNamesNoLeader { .. }
            | L::BadLeaderPid { .. }
            | L::NotAMaster(_)
            | L::NoState => ErrorKind::Failed,
        };
        with_hint(Error::new(kind, e.to_string()), e.hint())
    }
}

impl From<crate::tasks::TasksError> for Error {
    fn from(e: crate::tasks::TasksError) -> Self {
        use crate::tasks::TasksError as T;
        let kind = match &e {
            T::BadRegex { .. }
            | T::RegexWithoutPattern
            | T::BadState(_)
            | T::LabelWithoutKey(_)
            | T::EmptyLabel => ErrorKind::Usage,
            T::NoMatch { .. } | T::NoCandidate | T::Ambiguous { .. } => ErrorKind::NotFound,
            T::NoneChosen
            | T::BadBody { .. }
            | T::NoAgentState
            | T::AgentNotRegistered(_)
            | T::AgentUnknown { .. }
            | T::NoSandbox { .. } => ErrorKind::Failed,
        };
        with_hint(Error::new(kind, e.to_string()), e.hint())
    }
}

impl From<crate::remote::RemoteError> for Error {
    fn from(e: crate::remote::RemoteError) -> Self {
        use crate::remote::RemoteError as R;
        let kind = match &e {
            R::AttributeWithoutName(_) | R::BadName { .. } | R::BadJump(_) | R::BadSshOption(_) => {
                ErrorKind::Usage
            }
            R::NoAgentMatches(_)
            | R::NoAgents { .. }
            | R::NoneSelected { .. }
            | R::AmbiguousAgent { .. } => ErrorKind::NotFound,
            R::SomeHostsFailed { .. } => ErrorKind::Partial,
            R::NoAgentChosen | R::HostileHost(_) | R::SshNotInstalled | R::CannotRunSsh(_) => {
                ErrorKind::Failed
            }
        };
        with_hint(Error::new(kind, e.to_string()), e.hint())
    }
}

impl From<crate::scheduler_client::SchedulerError> for Error {
    fn from(e: crate::scheduler_client::SchedulerError) -> Self {
        use crate::scheduler_client::SchedulerError as S;
        let kind = match &e {
            S::BadEvent { .. }
            | S::EventNotJson { .. }
            | S::BadRecord { .. }
            | S::StreamBroke { .. }
            | S::BadRedirect { .. }
            | S::ClosedBeforeSubscribed(_)
            | S::Refused(_)
            | S::UnknownFirstEvent(_)
            | S::UnexpectedFirstEvent { .. }
            | S::TooManyRedirects(_)
            | S::Protobuf { .. } => ErrorKind::Failed,
        };
        Error::new(kind, e.to_string())
    }
}

impl From<crate::cluster::StateError> for Error {
    fn from(e: crate::cluster::StateError) -> Self {
        use crate::cluster::StateError as S;
        let kind = match &e {
            S::BadName(_) | S::NoMasters | S::EvenMasters { .. } => ErrorKind::Usage,
            S::NoDataDir
            | S::Read { .. }
            | S::Corrupt { .. }
            | S::NewerFormat { .. }
            | S::Encode(_)
            | S::Write { .. } => ErrorKind::Failed,
        };
        with_hint(Error::new(kind, e.to_string()), e.hint().as_deref())
    }
}

impl From<crate::cluster::LocalError> for Error {
    fn from(e: crate::cluster::LocalError) -> Self {
        use crate::cluster::LocalError as L;
        let kind = match &e {
            L::TooManyAgents(_)
            | L::BadAgentResources(_)
            | L::BadAgentAttributes(_)
            | L::ZkNotZk(_)
            | L::BadZk(_)
            | L::BadDaemonFlag(_)
            | L::UpRunsOnSsh { .. }
            | L::DownRunsOnSsh(_) => ErrorKind::Usage,
            L::ClusterDown(_) | L::NoSuchCluster { .. } => ErrorKind::NotFound,
            L::GateTimeout(_) | L::NotReady { .. } => ErrorKind::Timeout,
            L::Io { .. }
            | L::NoFreePort { .. }
            | L::NoZkInstall
            | L::NoJava
            | L::NoZkJars(_)
            | L::ZkNotInstalled
            | L::BadCredentialHeader
            | L::ProbeClient(_)
            | L::CaUnreadable { .. }
            | L::CaNotPem { .. }
            | L::CannotStart { .. }
            | L::NoBinary(_)
            | L::NoRuntime(_)
            | L::PartlyRunning { .. }
            | L::DaemonDied { .. } => ErrorKind::Failed,
        };
        with_hint(Error::new(kind, e.to_string()), e.hint().as_deref())
    }
}

impl From<crate::cluster::ClusterSpecError> for Error {
    fn from(e: crate::cluster::ClusterSpecError) -> Self {
        use crate::cluster::ClusterSpecError as S;
        let kind = match &e {
            S::Invalid { .. } => ErrorKind::Usage,
            S::Unreadable { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                ErrorKind::NotFound
            }
            S::Unreadable { .. } => ErrorKind::Failed,
        };
        with_hint(Error::new(kind, e.to_string()), e.hint())
    }
}

impl From<crate::cluster::SecureError> for Error {
    fn from(e: crate::cluster::SecureError) -> Self {
        use crate::cluster::SecureError as S;
        let kind = match &e {
            // The host name came from the user's cluster file.
            S::BadCertName { .. } => ErrorKind::Usage,
            S::NoRandom
            | S::Certificate(_)
            | S::NoCertificate(_)
            | S::Io { .. }
            | S::SecretUnreadable { .. }
            | S::EmptySecret(_) => ErrorKind::Failed,
        };
        Error::new(kind, e.to_string())
    }
}

impl From<crate::cluster::SshError> for Error {
    fn from(e: crate::cluster::SshError) -> Self {
        use crate::cluster::SshError as S;
        let kind = match &e {
            S::Step { .. }
            | S::HostKeyRevoked { .. }
            | S::HostKeyChanged { .. }
            | S::HostKeyOtherTypes { .. }
            | S::HostKeyUnknown { .. }
            | S::KeyRefused { .. }
            | S::AuthFailed { .. }
            | S::RemoteMkdir { .. } => ErrorKind::Failed,
        };
        with_hint(Error::new(kind, e.to_string()), e.hint().as_deref())
    }
}

impl From<crate::cluster::HostsError> for Error {
    fn from(e: crate::cluster::HostsError) -> Self {
        use crate::cluster::HostsError as H;
        let kind = match &e {
            H::BadHostRequest(_) | H::RunsLocally { .. } => ErrorKind::Usage,
            H::NotReady { .. }
            | H::UpFailed {
                timed_out: true, ..
            } => ErrorKind::Timeout,
            H::UpFailed {
                partly_started: true,
                ..
            }
            | H::StopFailed { .. }
            | H::SomeFailed(_) => ErrorKind::Partial,
            H::NoOwnBinary(_)
            | H::WriteFile { .. }
            | H::NotConnected(_)
            | H::EncodeRequest(_)
            | H::HelperExited { .. }
            | H::HelperAnswer { .. }
            | H::Platform { .. }
            | H::ReadFile { .. }
            | H::CreateDir { .. }
            | H::NoRunningBinary(_)
            | H::UploadFailed { .. }
            | H::UploadCorrupted { .. }
            | H::NoZk { .. }
            | H::NoJavaZk { .. }
            | H::HostUnusable(_)
            | H::NoMaster
            | H::PartlyRunning { .. }
            | H::NoHostUsable { .. }
            | H::NothingStarted
            | H::UpFailed { .. }
            | H::Failures(_)
            | H::NoSshTarget(_) => ErrorKind::Failed,
        };
        with_hint(Error::new(kind, e.to_string()), e.hint().as_deref())
    }
}

fn with_hint(e: Error, hint: Option<&str>) -> Error {
    match hint {
        Some(h) => e.with_hint(h),
        None => e,
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::failed(e.to_string())
    }
}

/// Collapse a message onto one line: errors are printed one line each.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, part) in s
        .split(['\n', '\r'])
        .filter(|p| !p.trim().is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push_str(" | ");
        }
        out.push_str(part.trim_end());
    }
    out
}

/// Shorten text for inclusion in an error message (e.g. a response body).
pub fn excerpt(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(max)]);
    let mut s: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if bytes.len() > max {
        s.push('…');
    }
    s
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
