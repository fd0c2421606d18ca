//! What can go wrong choosing the hosts to reach and the `ssh` to run. The
//! exit code of each variant is decided in `crate::error` (the
//! `From<RemoteError>` impl); the wording and hints live here.

const LIST_AGENTS_HINT: &str = "list them with `mesos agents`";

#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    // --- bad flags (usage) ---------------------------------------------
    #[error("--attribute '{0}' has no name (use NAME:VALUE)")]
    AttributeWithoutName(String),
    /// A `--user` (or similar) value `ssh` would misread; `value` is shown
    /// escaped.
    #[error("{what} '{}' is not a valid name", .value.escape_debug())]
    BadName { what: String, value: String },
    #[error("--jump '{0}' is not a host")]
    BadJump(String),
    #[error("ssh option '{0}' is not KEY=VALUE")]
    BadSshOption(String),

    // --- agent selection ------------------------------------------------
    #[error("no agent matches '{0}'")]
    NoAgentMatches(String),
    /// The master has no agents at all (`by_attribute`: `--attribute` was given).
    #[error("the master has no agents")]
    NoAgents { by_attribute: bool },
    /// Agents exist but the selection left none.
    #[error("no agent matches the selection")]
    NoneSelected { by_attribute: bool },
    /// Several agents match where one is needed; `candidates` are
    /// `id  hostname  address`, `; `-separated.
    #[error("{count} agents match '{query}', one is needed: {candidates}")]
    AmbiguousAgent {
        count: usize,
        query: String,
        candidates: String,
    },
    #[error("no agent chosen")]
    NoAgentChosen,

    // --- reaching hosts --------------------------------------------------
    /// A host name from the master that could be read as an `ssh` option.
    #[error("refusing the host name '{}': not a valid host name", .0.escape_debug())]
    HostileHost(String),
    #[error("cannot run ssh: the OpenSSH client is not installed (or not on PATH)")]
    SshNotInstalled,
    #[error("cannot run ssh: {0}")]
    CannotRunSsh(std::io::Error),
    /// Some hosts failed: `hosts` names each with its reason; `hint` is the
    /// first failed host's hint.
    #[error("{what} failed on {failed} of {total} hosts: {hosts}")]
    SomeHostsFailed {
        what: String,
        failed: usize,
        total: usize,
        hosts: String,
        hint: Option<String>,
    },
}

impl RemoteError {
    pub fn hint(&self) -> Option<&str> {
        match self {
            RemoteError::NoAgentMatches(_) => Some(LIST_AGENTS_HINT),
            RemoteError::NoAgents { by_attribute: true }
            | RemoteError::NoneSelected { by_attribute: true } => {
                Some("see the agents' attributes with `mesos agents`")
            }
            RemoteError::AmbiguousAgent { .. } => Some("give the full agent id or hostname"),
            RemoteError::SshNotInstalled => {
                Some("install it (Debian/Ubuntu: apt-get install openssh-client)")
            }
            RemoteError::SomeHostsFailed { hint, .. } => hint.as_deref(),
            _ => None,
        }
    }
}
