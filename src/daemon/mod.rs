//! Building blocks shared by the bundled `mesos master` and `mesos agent`
//! daemons: flags, logging, HTTP conventions, the files API.

pub mod auth;
pub mod files;
pub mod flags;
pub mod httputil;
pub mod ids;
pub mod jwt;
pub mod log;
pub mod prometheus;
pub mod proto;
pub mod serve;
pub mod startup;
pub mod tls;
pub mod toggle;

/// The remote address of a request, for logs (`unknown` when the server
/// did not record it).
pub fn peer_addr(ext: &axum::http::Extensions) -> String {
    ext.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Seconds since the epoch, as the double Mesos writes.
pub fn now_secs() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// Terminal task states (docs/wire-notes.md#task-states): the one
/// definition is [`crate::wire::TaskState::is_terminal`].
pub fn is_terminal(state: &str) -> bool {
    crate::wire::TaskState::is_terminal_name(state)
}
