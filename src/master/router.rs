//! Every route of the master, in one place: which handler answers a path,
//! in which HTTP realm, and whether only the leader answers it (the
//! [`leader_only`] route layer). No handler logic lives here.
//!
//! Adding a route: write a handler returning `Json<T>` / `ApiResult<..>`
//! (see `super::http`), then add one `.route(..)` line to the group with
//! the right realm and leadership.

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;

use super::http::{leader_only, MasterError};
use super::state::Shared;
use super::{agent_executors, agents, maintenance, operator, quota, scheduler, v0, webui};
use crate::daemon::auth::{self, HttpAuth};

/// The master's router. Each route sits in the realm real Mesos gives it
/// (docs/security.md): `auth` puts the read-only, read-write and scheduler
/// groups behind HTTP Basic authentication when their flags are on; the
/// open group (`/health`, `/redirect`, `/version`) and the internal
/// protocol with agents are never in an HTTP realm. Authentication runs
/// before the leader check.
pub fn router(master: Shared, auth: &HttpAuth) -> Router {
    let leader = || from_fn_with_state(master.clone(), leader_only);
    let readonly_leader = Router::new()
        .route("/master/state", get(v0::state))
        .route("/master/state-summary", get(v0::state_summary))
        .route("/master/frameworks", get(v0::frameworks))
        .route("/master/tasks", get(v0::tasks))
        .route("/master/slaves", get(v0::slaves))
        .route("/master/roles", get(v0::roles))
        .route_layer(leader());
    let readonly = Router::new()
        .route("/master/flags", get(v0::flags))
        .route("/metrics/snapshot", get(v0::metrics))
        .route("/metrics/prometheus", get(v0::prometheus))
        // the web UI (any master serves it; the UI finds the leader itself)
        .route("/", get(webui::index))
        .route("/webui/{*path}", get(webui::asset))
        .route("/webui/api/masters", get(webui::masters::masters))
        .route("/agent/{agent_id}/{*rest}", get(webui::proxy::agent))
        .merge(readonly_leader)
        .with_state(master.clone())
        .merge(v0::files_router(master.clone()));
    let readwrite = Router::new()
        .route("/master/teardown", post(v0::teardown))
        .route("/master/api/v1", any(operator::api))
        .route("/master/maintenance/schedule", any(maintenance::schedule))
        .route("/master/maintenance/status", any(maintenance::status_v0))
        .route("/master/machine/down", any(maintenance::machine_down))
        .route("/master/machine/up", any(maintenance::machine_up))
        .route("/master/quota", any(quota::quota_v0))
        .route("/master/quota/{*role}", any(quota::quota_v0))
        .route("/master/weights", any(quota::weights_v0))
        .route_layer(leader())
        // any master, leading or not
        .route("/logging/toggle", any(crate::daemon::toggle::handler))
        .with_state(master.clone());
    // 405 for other methods comes before the leader check here (as Mesos).
    let scheduler = Router::new()
        .route(
            "/master/api/v1/scheduler",
            post(scheduler::api)
                .route_layer(leader())
                .fallback(scheduler_method_not_allowed),
        )
        .with_state(master.clone());
    let internal = Router::new()
        .route("/master/internal/register", post(agents::register))
        .route("/master/internal/ping", post(agents::ping))
        .route(
            "/master/internal/status_update",
            post(agents::status_update),
        )
        .route(
            crate::wire::internal::paths::EXECUTOR_MESSAGE,
            post(agent_executors::executor_message),
        )
        .route(
            crate::wire::internal::paths::EXITED_EXECUTOR,
            post(agent_executors::exited_executor),
        )
        .route_layer(leader())
        .with_state(master.clone());
    let open = Router::new()
        .route("/master/health", any(v0::health))
        .route("/master/redirect", any(v0::redirect))
        // Loop guard: deeper paths under redirect are 404, not a prefix match.
        .route("/master/redirect/{*rest}", any(not_found))
        .route("/version", get(v0::version))
        .route("/__processes__", get(processes))
        .with_state(master)
        // internal protocol with agents (authenticated by the protocol itself)
        .merge(internal);
    open.merge(auth.protect(auth::MASTER_READONLY, readonly))
        .merge(auth.protect(auth::MASTER_READWRITE, readwrite))
        .merge(auth.protect(auth::MASTER_SCHEDULER, scheduler))
        .fallback(not_found)
        // 413 before reading a body whose Content-Length is over the limit,
        // and for a chunked body once it goes over; the extractors get the
        // same limit (axum's own default is 2 MiB).
        .layer(DefaultBodyLimit::max(super::validation::MAX_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(
            super::validation::MAX_BODY_BYTES,
        ))
}

async fn scheduler_method_not_allowed(method: axum::http::Method) -> MasterError {
    MasterError::MethodNotAllowed {
        allow: "POST",
        message: format!("Expecting 'POST', received '{method}'"),
    }
}

/// `/__processes__`: the libprocess processes of a master.
async fn processes() -> Response {
    crate::daemon::toggle::processes("master", &["registrar(1)", "hierarchical-allocator(1)"])
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "404 Not Found").into_response()
}
