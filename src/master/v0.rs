//! v0 JSON endpoints of the master (docs/mesos-wire.md §2): `/master/state`,
//! `/master/state-summary`, `/master/frameworks`, `/master/tasks`,
//! `/master/slaves`, `/master/roles`, `/master/teardown`, `/master/flags`,
//! `/master/health`, `/master/redirect`, `/metrics/snapshot`, `/version`,
//! and `/files/*` for `/master/log`. Also HTTP Basic authentication for the
//! read-only and read-write realms (§9.1), shared with the operator API.

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine as _;
use serde_json::{json, Value};

use super::render::{self, TaskQuery};
use super::router::{json_response, not_leader, query_map};
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

// ---------------------------------------------------------------------------
// Authentication (docs/mesos-wire.md §9.1)

/// An HTTP authentication realm of the master.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Realm {
    /// `/state`, `/flags`, `/metrics/snapshot`, `/files/*`, ...
    ReadOnly,
    /// `/api/v1`, `/teardown`.
    ReadWrite,
}

impl Realm {
    pub fn name(self) -> &'static str {
        match self {
            Realm::ReadOnly => "mesos-master-readonly",
            Realm::ReadWrite => "mesos-master-readwrite",
        }
    }
    fn flag(self) -> &'static str {
        match self {
            Realm::ReadOnly => "authenticate_http_readonly",
            Realm::ReadWrite => "authenticate_http_readwrite",
        }
    }
}

/// `(principal, secret)` pairs of `--credentials`: JSON
/// `{"credentials":[{"principal","secret"}]}` or text lines `principal secret`.
pub fn load_credentials(spec: &str) -> Result<Vec<(String, String)>, String> {
    let path = spec.strip_prefix("file://").unwrap_or(spec);
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read credentials '{path}': {e}"))?;
    if text.trim_start().starts_with('{') {
        let v: Value =
            serde_json::from_str(&text).map_err(|e| format!("credentials '{path}': {e}"))?;
        return Ok(v
            .get("credentials")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| {
                Some((
                    c.get("principal")?.as_str()?.to_string(),
                    c.get("secret")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                ))
            })
            .collect());
    }
    Ok(text
        .lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            Some((it.next()?.to_string(), it.next().unwrap_or("").to_string()))
        })
        .collect())
}

fn unauthorized(realm: Realm) -> Response {
    Response::builder()
        .status(StatusCode::UNAUTHORIZED)
        .header(
            header::WWW_AUTHENTICATE,
            format!("Basic realm=\"{}\"", realm.name()),
        )
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::empty())
        .unwrap()
}

/// `None` when the request may proceed: the realm's `--authenticate_http_*`
/// flag is off, or the request carries valid Basic credentials. Otherwise
/// `401` with `WWW-Authenticate: Basic realm="..."`.
pub fn authenticate(m: &Master, headers: &HeaderMap, realm: Realm) -> Option<Response> {
    if !m.flags.bool(realm.flag()) {
        return None;
    }
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("basic").then_some(rest.trim())
        })
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok());
    let Some(given) = given else {
        return Some(unauthorized(realm));
    };
    let Some((principal, secret)) = given.split_once(':') else {
        return Some(unauthorized(realm));
    };
    let creds = match m.flags.string("credentials").map(|c| load_credentials(&c)) {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            crate::warning!("{e}");
            Vec::new()
        }
        None => Vec::new(),
    };
    if creds.iter().any(|(p, s)| p == principal && s == secret) {
        None
    } else {
        Some(unauthorized(realm))
    }
}

/// Authentication, then (for leader-only endpoints) the redirect guard.
fn guard(m: &Master, req: &Request, realm: Option<Realm>, leader_only: bool) -> Option<Response> {
    if let Some(realm) = realm {
        if let Some(r) = authenticate(m, req.headers(), realm) {
            return Some(r);
        }
    }
    if leader_only {
        return not_leader(m, req.uri());
    }
    None
}

// ---------------------------------------------------------------------------
// Leader-only read endpoints

/// `GET /master/state`
pub async fn state(State(m): State<Shared>, req: Request) -> Response {
    if let Some(r) = guard(&m, &req, Some(Realm::ReadOnly), true) {
        return r;
    }
    let v = render::state_v0(&m.lock(), &m.flags);
    json_response(req.uri(), &v)
}

/// `GET /master/state-summary`
pub async fn state_summary(State(m): State<Shared>, req: Request) -> Response {
    if let Some(r) = guard(&m, &req, Some(Realm::ReadOnly), true) {
        return r;
    }
    let v = render::state_summary_v0(&m.lock());
    json_response(req.uri(), &v)
}

fn nonempty(q: &std::collections::HashMap<String, String>, k: &str) -> Option<String> {
    q.get(k).filter(|v| !v.is_empty()).cloned()
}

/// `GET /master/frameworks[?framework_id=ID]`
pub async fn frameworks(State(m): State<Shared>, req: Request) -> Response {
    if let Some(r) = guard(&m, &req, Some(Realm::ReadOnly), true) {
        return r;
    }
    let only = nonempty(&query_map(req.uri()), "framework_id");
    let v = render::frameworks_v0(&m.lock(), only.as_deref());
    json_response(req.uri(), &v)
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
    if let Some(r) = guard(&m, &req, Some(Realm::ReadOnly), true) {
        return r;
    }
    let q = match task_query(req.uri()) {
        Ok(q) => q,
        Err(e) => return text(StatusCode::BAD_REQUEST, e),
    };
    let v = render::tasks_v0(&m.lock(), &q);
    json_response(req.uri(), &v)
}

/// `GET /master/slaves[?slave_id=ID]`
pub async fn slaves(State(m): State<Shared>, req: Request) -> Response {
    if let Some(r) = guard(&m, &req, Some(Realm::ReadOnly), true) {
        return r;
    }
    let only = nonempty(&query_map(req.uri()), "slave_id");
    let v = render::slaves_v0(&m.lock(), only.as_deref());
    json_response(req.uri(), &v)
}

/// `GET /master/roles`
pub async fn roles(State(m): State<Shared>, req: Request) -> Response {
    if let Some(r) = guard(&m, &req, Some(Realm::ReadOnly), true) {
        return r;
    }
    let v = render::roles_v0(&m.lock(), &m.flags);
    json_response(req.uri(), &v)
}

// ---------------------------------------------------------------------------
// Teardown

/// `POST /master/teardown` with form body `frameworkId=<id>`.
pub async fn teardown(State(m): State<Shared>, req: Request) -> Response {
    if let Some(r) = guard(&m, &req, Some(Realm::ReadWrite), true) {
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

/// `GET /master/flags`
pub async fn flags(State(m): State<Shared>, req: Request) -> Response {
    if let Some(r) = guard(&m, &req, Some(Realm::ReadOnly), false) {
        return r;
    }
    json_response(req.uri(), &json!({ "flags": m.flags.all() }))
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

/// Every value of `/metrics/snapshot` (doubles).
pub fn metrics_values(m: &Master) -> std::collections::BTreeMap<String, f64> {
    let uptime = m.started.elapsed().as_secs_f64();
    let mut out = render::master_metrics(&m.lock(), uptime);
    out.extend(render::system_metrics());
    out
}

/// `GET /metrics/snapshot[?timeout=..]`: a flat object of doubles.
pub async fn metrics(State(m): State<Shared>, req: Request) -> Response {
    if let Some(r) = guard(&m, &req, Some(Realm::ReadOnly), false) {
        return r;
    }
    json_response(req.uri(), &json!(metrics_values(&m)))
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

async fn files_auth(State(m): State<Shared>, req: Request, next: Next) -> Response {
    if let Some(r) = authenticate(&m, req.headers(), Realm::ReadOnly) {
        return r;
    }
    next.run(req).await
}

/// `/files/*` routes (the master serves `/master/log`), read-only realm.
pub fn files_router(m: Shared) -> Router {
    master_files(&m)
        .router()
        .layer(axum::middleware::from_fn_with_state(m, files_auth))
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

    #[test]
    fn credentials_json_and_text() {
        let d = tempfile_dir();
        let j = d.join("c.json");
        std::fs::write(
            &j,
            r#"{"credentials":[{"principal":"ops","secret":"s3cret"}]}"#,
        )
        .unwrap();
        assert_eq!(
            load_credentials(j.to_str().unwrap()).unwrap(),
            vec![("ops".into(), "s3cret".into())]
        );
        let t = d.join("c.txt");
        std::fs::write(&t, "a b\nc d\n").unwrap();
        let uri = format!("file://{}", t.display());
        assert_eq!(load_credentials(&uri).unwrap().len(), 2);
        let _ = std::fs::remove_dir_all(&d);
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let d =
            std::env::temp_dir().join(format!("mesos-v0-test-{}", crate::master::random_uuid()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
