//! v0 JSON endpoints of the master (docs/wire-notes.md#master-endpoints): `/master/state`,
//! `/master/state-summary`, `/master/frameworks`, `/master/tasks`,
//! `/master/slaves`, `/master/roles`, `/master/teardown`, `/master/flags`,
//! `/master/health`, `/master/redirect`, `/metrics/snapshot`, `/version`,
//! and `/files/*` for `/master/log`. HTTP authentication is a route layer
//! (`daemon::auth`, applied in `router`), not part of these handlers.

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::json;

use super::render::{self, TaskQuery};
use super::router::{json_response, not_leader, query_map};
use super::snapshot;
use super::state::{Master, Shared};
use crate::daemon::files::FileServer;
use crate::daemon::httputil::form_decode;

/// A plain-text response.
pub fn text(status: StatusCode, body: impl Into<String>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body.into(),
    )
        .into_response()
}

/// The leader-only guard: `None` on the leader, else the redirect / 503.
/// (Authentication already happened in the realm's route layer.)
fn guard(m: &Master, req: &Request, leader_only: bool) -> Option<Response> {
    leader_only.then(|| not_leader(m, req.uri())).flatten()
}

// ---------------------------------------------------------------------------
// Leader-only read endpoints

/// `GET /master/state`
pub async fn state(State(m): State<Shared>, req: Request) -> Response {
    if let Some(r) = guard(&m, &req, true) {
        return r;
    }
    let render: snapshot::Render =
        Box::new(|m, st| snapshot::to_json(&render::state_v0(st, &m.flags)));
    snapshot::respond(
        &m,
        &snapshot::Encoding::of(req.uri(), req.headers()),
        "state",
        render,
    )
    .await
}

/// `GET /master/state-summary`
pub async fn state_summary(State(m): State<Shared>, req: Request) -> Response {
    if let Some(r) = guard(&m, &req, true) {
        return r;
    }
    let render: snapshot::Render =
        Box::new(|_, st| snapshot::to_json(&render::state_summary_v0(st)));
    snapshot::respond(
        &m,
        &snapshot::Encoding::of(req.uri(), req.headers()),
        "state-summary",
        render,
    )
    .await
}

fn nonempty(q: &std::collections::HashMap<String, String>, k: &str) -> Option<String> {
    q.get(k).filter(|v| !v.is_empty()).cloned()
}

/// `GET /master/frameworks[?framework_id=ID]`
pub async fn frameworks(State(m): State<Shared>, req: Request) -> Response {
    if let Some(r) = guard(&m, &req, true) {
        return r;
    }
    let only = nonempty(&query_map(req.uri()), "framework_id");
    let key = format!("frameworks?{only:?}");
    let render: snapshot::Render =
        Box::new(move |_, st| snapshot::to_json(&render::frameworks_v0(st, only.as_deref())));
    snapshot::respond(
        &m,
        &snapshot::Encoding::of(req.uri(), req.headers()),
        &key,
        render,
    )
    .await
}

/// Parse the query of `/master/tasks`.
pub fn task_query(uri: &Uri) -> Result<TaskQuery, String> {
    let q = query_map(uri);
    let mut out = TaskQuery::default();
    if let Some(l) = q.get("limit") {
        let n: i64 = l.trim().parse().map_err(|_| {
            format!("Failed to parse query parameter 'limit': '{l}' is not a number")
        })?;
        out.limit = usize::try_from(n).ok();
    }
    if let Some(o) = q.get("offset") {
        let n: i64 = o.trim().parse().map_err(|_| {
            format!("Failed to parse query parameter 'offset': '{o}' is not a number")
        })?;
        // Real Mesos converts to an unsigned size: negative skips everything.
        out.offset = usize::try_from(n).unwrap_or(usize::MAX);
    }
    out.ascending = q.get("order").map(String::as_str) == Some("asc");
    out.framework_id = nonempty(&q, "framework_id");
    out.task_id = nonempty(&q, "task_id");
    Ok(out)
}

/// `GET /master/tasks[?limit&offset&order&framework_id&task_id]`
pub async fn tasks(State(m): State<Shared>, req: Request) -> Response {
    if let Some(r) = guard(&m, &req, true) {
        return r;
    }
    let q = match task_query(req.uri()) {
        Ok(q) => q,
        Err(e) => return text(StatusCode::BAD_REQUEST, e),
    };
    let key = format!("tasks?{q:?}");
    let render: snapshot::Render =
        Box::new(move |_, st| snapshot::to_json(&render::tasks_v0(st, &q)));
    snapshot::respond(
        &m,
        &snapshot::Encoding::of(req.uri(), req.headers()),
        &key,
        render,
    )
    .await
}

/// `GET /master/slaves[?slave_id=ID]`
pub async fn slaves(State(m): State<Shared>, req: Request) -> Response {
    if let Some(r) = guard(&m, &req, true) {
        return r;
    }
    let only = nonempty(&query_map(req.uri()), "slave_id");
    let key = format!("slaves?{only:?}");
    let render: snapshot::Render =
        Box::new(move |_, st| snapshot::to_json(&render::slaves_v0(st, only.as_deref())));
    snapshot::respond(
        &m,
        &snapshot::Encoding::of(req.uri(), req.headers()),
        &key,
        render,
    )
    .await
}

/// `GET /master/roles`
pub async fn roles(State(m): State<Shared>, req: Request) -> Response {
    if let Some(r) = guard(&m, &req, true) {
        return r;
    }
    let render: snapshot::Render =
        Box::new(|m, st| snapshot::to_json(&render::roles_v0(st, &m.flags)));
    snapshot::respond(
        &m,
        &snapshot::Encoding::of(req.uri(), req.headers()),
        "roles",
        render,
    )
    .await
}

// ---------------------------------------------------------------------------
// Teardown

/// `POST /master/teardown` with form body `frameworkId=<id>`.
pub async fn teardown(State(m): State<Shared>, req: Request) -> Response {
    if let Some(r) = guard(&m, &req, true) {
        return r;
    }
    let body = match axum::body::to_bytes(req.into_body(), 1 << 20).await {
        Ok(b) => b,
        Err(e) => {
            return text(
                StatusCode::BAD_REQUEST,
                format!("Unable to read the request body: {e}"),
            )
        }
    };
    let body = String::from_utf8_lossy(&body);
    let id = body.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (form_decode(k) == "frameworkId").then(|| form_decode(v))
    });
    let Some(id) = id.filter(|i| !i.is_empty()) else {
        return text(
            StatusCode::BAD_REQUEST,
            "Missing 'frameworkId' query parameter",
        );
    };
    if super::scheduler::teardown_framework(
        &m,
        &id,
        "Framework torn down by the operator (/master/teardown)",
    ) {
        StatusCode::OK.into_response()
    } else {
        text(
            StatusCode::BAD_REQUEST,
            "No framework found with specified ID",
        )
    }
}

// ---------------------------------------------------------------------------
// Endpoints any master answers

/// `GET /master/flags` body.
#[derive(serde::Serialize)]
struct FlagsBody {
    flags: std::collections::BTreeMap<String, String>,
}

/// `GET /master/flags`
pub async fn flags(State(m): State<Shared>, req: Request) -> Response {
    let body = FlagsBody {
        flags: super::flags::rendered(&m.flags),
    };
    json_response(req.uri(), &serde_json::to_value(body).unwrap_or_default())
}

/// `/master/health` (any method): `200`, empty body.
pub async fn health(State(_m): State<Shared>, _req: Request) -> Response {
    StatusCode::OK.into_response()
}

/// `/master/redirect`: `307` to the leader (`//host:port`, a leader points
/// to itself), `503 No leader elected`; deeper paths are `404`.
pub async fn redirect(State(m): State<Shared>, req: Request) -> Response {
    let path = req.uri().path();
    if path != "/master/redirect" && path != "/redirect" {
        return text(StatusCode::NOT_FOUND, "404 Not Found");
    }
    let leader = render::leader(&m.lock());
    match leader {
        Some(info) => {
            let host = info
                .hostname_string()
                .or_else(|| info.ip_string())
                .unwrap_or_default();
            let port = info.port_number().unwrap_or(5050);
            Response::builder()
                .status(StatusCode::TEMPORARY_REDIRECT)
                .header(header::LOCATION, format!("//{host}:{port}"))
                .body(Body::empty())
                .unwrap()
        }
        None => text(StatusCode::SERVICE_UNAVAILABLE, "No leader elected"),
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
pub async fn metrics(State(m): State<Shared>, req: Request) -> Response {
    match metrics_values_async(&m).await {
        Ok(v) => json_response(req.uri(), &json!(v)),
        Err(e) => e.into_response(),
    }
}

/// `GET /version`
pub async fn version(State(_m): State<Shared>, req: Request) -> Response {
    json_response(req.uri(), &render::version_json())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_query_defaults_and_negative_limit() {
        let u = |s: &str| s.parse::<Uri>().unwrap();
        assert_eq!(
            task_query(&u("/master/tasks")).unwrap(),
            TaskQuery::default()
        );
        let q = task_query(&u("/master/tasks?limit=-1&order=asc&framework_id=F&_ts=1")).unwrap();
        assert_eq!(q.limit, None);
        assert!(q.ascending);
        assert_eq!(q.framework_id.as_deref(), Some("F"));
        let q = task_query(&u("/master/tasks?limit=5&offset=-2&order=xyz")).unwrap();
        assert_eq!(
            (q.limit, q.offset, q.ascending),
            (Some(5), usize::MAX, false)
        );
        assert!(task_query(&u("/master/tasks?limit=abc"))
            .unwrap_err()
            .contains("limit"));
    }
}
