//! The agent's HTTP layer: thin handlers grouped by API over the agent
//! core, and a router that only lists routes. Each route sits in the realm
//! real Mesos gives it (docs/security.md): the read-only and read-write
//! groups are behind HTTP Basic authentication when their flags are on;
//! `/health`, `/version` and the internal protocol are never in a realm
//! (the internal protocol is behind the session token check instead).
//! libprocess conventions (process-id delegation, `.json` aliases, jsonp,
//! gzip) are applied once, around everything, by `daemon::httputil`.
//!
//! * [`v0`]: `/slave(1)/state`, `/flags`, `/health`, `/monitor/statistics`,
//!   `/containers`, `/metrics/snapshot`, `/version`, `/logging/toggle`, ...
//! * [`dcos`]: the DC/OS metrics API v0 (`/system/v1/metrics/v0/…`) and
//!   `/metrics/prometheus`.
//! * [`api`]: the v1 agent operator API (`POST /slave(1)/api/v1`).
//! * [`executor_api`]: the v1 executor API (`POST /slave(1)/api/v1/executor`).
//! * [`internal`]: the master -> agent half of the internal protocol.
//! * the files API comes from `daemon::files` (the agent's sandboxes).
//! * [`error`]: the one error type of the handlers.

pub mod api;
pub mod containers;
pub mod dcos;
pub mod error;
pub mod executor_api;
pub mod internal;
pub mod v0;

use std::sync::Arc;

use axum::routing::{any, get, post};
use axum::Router;

use super::config::PROCESS_ID;
use super::core::Agent;
use crate::daemon::auth::{self, HttpAuth};
use crate::daemon::httputil::Libprocess;

pub use error::{Error, Json};

/// A DC/OS metrics path as routed (`system` is a libprocess helper
/// process, so `/system/...` is not delegated to `slave(1)`).
fn dcos_path(tail: &str) -> String {
    format!("{}{tail}", dcos::PREFIX)
}

/// The agent's whole HTTP app (also what tests drive in-process).
pub fn app(agent: Arc<Agent>, auth: &HttpAuth) -> Router {
    let json_aliases = agent.cfg.flags.bool("json_endpoint_aliases");
    let readonly = Router::new()
        .route("/slave(1)/state", get(v0::state))
        .route("/slave(1)/flags", get(v0::flags))
        .route("/slave(1)/monitor/statistics", get(v0::statistics))
        .route("/slave(1)/containers", get(v0::containers))
        .route(
            "/slave(1)/containerizer/debug",
            get(v0::containerizer_debug),
        )
        .route("/metrics/snapshot", get(v0::metrics))
        .route("/metrics/prometheus", get(dcos::prometheus))
        .route(&dcos_path("/ping"), get(dcos::ping))
        .route(&dcos_path("/node"), get(dcos::node))
        .route(&dcos_path("/containers"), get(dcos::containers))
        .route(&dcos_path("/containers/{id}"), get(dcos::container))
        .route(&dcos_path("/containers/{id}/app"), get(dcos::app))
        .route(&dcos_path("/containers/{id}/app/{*metric}"), get(dcos::app))
        .with_state(agent.clone())
        .merge(agent.files.router());
    let readwrite = Router::new()
        .route("/slave(1)/api/v1", post(api::handle))
        .route("/logging/toggle", any(crate::daemon::toggle::handler))
        .with_state(agent.clone());
    let executor_api = auth.protect_executor_api(
        Router::new()
            .route("/slave(1)/api/v1/executor", post(executor_api::handle))
            .with_state(agent.clone()),
    );
    let open = Router::new()
        .route("/slave(1)/health", any(v0::health))
        .route("/version", get(v0::version))
        .route(
            "/__processes__",
            get(|| async {
                crate::daemon::toggle::processes(PROCESS_ID, &["status-update-manager(1)"])
            }),
        )
        .with_state(agent.clone())
        .merge(internal::routes(agent));
    let routes = open
        .merge(executor_api)
        .merge(auth.protect(auth::AGENT_READONLY, readonly))
        .merge(auth.protect(auth::AGENT_READWRITE, readwrite));
    Libprocess::new(PROCESS_ID)
        .with_json_aliases(json_aliases)
        .wrap(routes)
}

#[cfg(test)]
mod containers_tests;
#[cfg(test)]
mod tests;
