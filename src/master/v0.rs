//! v0 JSON endpoints of the master (docs/wire-notes.md#master-endpoints): `/master/state`,
//! `/master/state-summary`, `/master/frameworks`, `/master/tasks`,
//! `/master/slaves`, `/master/roles`, `/master/teardown`, `/master/flags`,
//! `/master/health`, `/master/redirect`, `/metrics/snapshot`,
//! `/metrics/prometheus`, `/version`,
//! and `/files/*` for `/master/log`. HTTP authentication is a route layer
//! (`daemon::auth`, applied in `router`), not part of these handlers.

use std::path::Path;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::Router;

use super::http::{
    nonempty, AgentFilter, ApiResult, FrameworkFilter, Json, MasterError, TasksParams, TeardownForm,
};
use super::render;
use super::snapshot;
use super::state::{Master, Shared};
use crate::daemon::files::FileServer;
use crate::wire::Version;

// ---------------------------------------------------------------------------
// Leader-only read endpoints (the router puts them behind `leader_only`)

/// `GET /master/state`
pub async fn state(State(m): State<Shared>, uri: Uri, headers: HeaderMap) -> Response {
    let render: snapshot::Render =
        Box::new(|m, st| snapshot::to_json(&render::state_v0(st, &m.flags)));
    snapshot::respond(&m, &snapshot::Encoding::of(&uri, &headers), "state", render).await
}

/// `GET /master/state-summary`
pub async fn state_summary(State(m): State<Shared>, uri: Uri, headers: HeaderMap) -> Response {
    let render: snapshot::Render =
        Box::new(|_, st| snapshot::to_json(&render::state_summary_v0(st)));
    let enc = snapshot::Encoding::of(&uri, &headers);
    snapshot::respond(&m, &enc, "state-summary", render).await
}

/// `GET /master/frameworks[?framework_id=ID]`
pub async fn frameworks(
    State(m): State<Shared>,
    Query(q): Query<FrameworkFilter>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let only = nonempty(&q.framework_id);
    let key = format!("frameworks?{only:?}");
    let render: snapshot::Render =
        Box::new(move |_, st| snapshot::to_json(&render::frameworks_v0(st, only.as_deref())));
    snapshot::respond(&m, &snapshot::Encoding::of(&uri, &headers), &key, render).await
}

/// `GET /master/tasks[?limit&offset&order&framework_id&task_id]`
pub async fn tasks(
    State(m): State<Shared>,
    Query(q): Query<TasksParams>,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let q = q.parse()?;
    let key = format!("tasks?{q:?}");
    let render: snapshot::Render =
        Box::new(move |_, st| snapshot::to_json(&render::tasks_v0(st, &q)));
    Ok(snapshot::respond(&m, &snapshot::Encoding::of(&uri, &headers), &key, render).await)
}

/// `GET /master/slaves[?slave_id=ID]`
pub async fn slaves(
    State(m): State<Shared>,
    Query(q): Query<AgentFilter>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let only = nonempty(&q.slave_id);
    let key = format!("slaves?{only:?}");
    let render: snapshot::Render =
        Box::new(move |_, st| snapshot::to_json(&render::slaves_v0(st, only.as_deref())));
    snapshot::respond(&m, &snapshot::Encoding::of(&uri, &headers), &key, render).await
}

/// `GET /master/roles`
pub async fn roles(State(m): State<Shared>, uri: Uri, headers: HeaderMap) -> Response {
    let render: snapshot::Render =
        Box::new(|m, st| snapshot::to_json(&render::roles_v0(st, &m.flags)));
    snapshot::respond(&m, &snapshot::Encoding::of(&uri, &headers), "roles", render).await
}

// ---------------------------------------------------------------------------
// Teardown

/// `POST /master/teardown` with form body `frameworkId=<id>` (any
/// Content-Type, as Mesos reads the body as a form regardless).
pub async fn teardown(State(m): State<Shared>, body: Bytes) -> ApiResult<StatusCode> {
    let form: TeardownForm = serde_urlencoded::from_bytes(&body)
        .map_err(|e| MasterError::bad_request(format!("Unable to decode the form: {e}")))?;
    let Some(id) = nonempty(&form.framework_id) else {
        return Err(MasterError::bad_request(
            "Missing 'frameworkId' query parameter",
        ));
    };
    if super::core::teardown_framework(
        &m,
        &id,
        "Framework torn down by the operator (/master/teardown)",
    ) {
        Ok(StatusCode::OK)
    } else {
        Err(MasterError::bad_request(
            "No framework found with specified ID",
        ))
    }
}

// ---------------------------------------------------------------------------
// Endpoints any master answers

/// `GET /master/flags`
pub async fn flags(State(m): State<Shared>) -> Json<crate::wire::endpoints::FlagsResponse> {
    Json(crate::wire::endpoints::FlagsResponse {
        flags: super::flags::rendered(&m.flags),
    })
}

/// `/master/health` (any method): `200`, empty body.
pub async fn health() -> StatusCode {
    StatusCode::OK
}

/// `/master/redirect`: `307` to the leader (`//host:port`, a leader points
/// to itself), `503 No leader elected`. (Deeper paths are routed to 404.)
pub async fn redirect(State(m): State<Shared>) -> MasterError {
    match render::leader(&m.lock()) {
        Some(info) => {
            let host = info
                .hostname_string()
                .or_else(|| info.ip_string())
                .unwrap_or_default();
            let port = info.port_number().unwrap_or(5050);
            MasterError::Redirect(format!("//{host}:{port}"))
        }
        None => MasterError::ServiceUnavailable("No leader elected".into()),
    }
}

/// Every value of `/metrics/snapshot` (doubles). Blocking (reads `/proc`).
pub fn metrics_values(m: &Master) -> std::collections::BTreeMap<String, f64> {
    let uptime = m.started.elapsed().as_secs_f64();
    let mut out = render::master_metrics(&m.lock(), uptime);
    out.extend(render::system_metrics());
    out
}

/// [`metrics_values`] off the async workers (the gauges walk every task).
pub async fn metrics_values_async(
    m: &Shared,
) -> Result<std::collections::BTreeMap<String, f64>, snapshot::ReadError> {
    let m = m.clone();
    tokio::task::spawn_blocking(move || metrics_values(&m))
        .await
        .map_err(|e| snapshot::ReadError::Snapshot(e.to_string()))
}

/// `GET /metrics/snapshot[?timeout=..]`: a flat object of doubles.
pub async fn metrics(
    State(m): State<Shared>,
) -> ApiResult<Json<std::collections::BTreeMap<String, f64>>> {
    metrics_values_async(&m)
        .await
        .map(Json)
        .map_err(|e| MasterError::Internal(e.to_string()))
}

/// `GET /metrics/prometheus`: every snapshot key as a Prometheus gauge
/// `mesos_<key>` (docs/metrics.md#prometheus).
pub async fn prometheus(State(m): State<Shared>) -> ApiResult<axum::response::Response> {
    let values = metrics_values_async(&m)
        .await
        .map_err(|e| MasterError::Internal(e.to_string()))?;
    let mut e = crate::daemon::prometheus::Exposition::default();
    e.add_snapshot(&values);
    Ok(crate::daemon::prometheus::response(e.render()))
}

/// `GET /version`
pub async fn version() -> Json<Version> {
    Json(render::version_json())
}

// ---------------------------------------------------------------------------
// Files

/// The files the master serves: `/master/log` is `--external_log_file`, else
/// the log file in `--log_dir`.
pub fn master_files(m: &Master) -> Arc<FileServer> {
    let fs = FileServer::new();
    if let Some(f) = m.flags.string("external_log_file") {
        fs.attach("/master/log", f);
    } else if let Some(d) = m.flags.string("log_dir") {
        fs.attach("/master/log", Path::new(&d).join("mesos-master.log"));
    }
    fs
}

/// `/files/*` routes (the master serves `/master/log`); the router puts
/// them in the read-only realm.
pub fn files_router(m: Shared) -> Router {
    master_files(&m).router()
}
