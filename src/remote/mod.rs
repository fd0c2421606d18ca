//! Reaching cluster nodes over SSH: `mesos ssh`, `mesos node ssh`
//! (the system OpenSSH client, exec'ed) and `mesos scp`, `mesos node exec`
//! (libssh2, many hosts in parallel).
//!
//! * [`conn`]: the shared connection flags and their defaults (profile,
//!   `~/.ssh/config`).
//! * [`ssh_config`]: the part of `~/.ssh/config` libssh2 needs.
//! * [`openssh`]: the `ssh` argument list.
//! * [`agents`]: which agents (hosts) a command works on.
//! * [`fanout`]: a bounded parallel runner, failure reasons, progress bars.
//! * [`quote`]: POSIX shell quoting of remote commands.
//! * [`sftp`]: SFTP on libssh2's C API (atomic replacing renames).

pub mod agents;
pub mod conn;
pub mod error;
pub mod fanout;
pub mod openssh;
pub mod quote;
pub mod sftp;
pub mod ssh_config;

pub use error::RemoteError;
