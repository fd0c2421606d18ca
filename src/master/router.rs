//! Every route of the master, in one place, plus the libprocess routing
//! conventions (aliases, trailing slashes) and the leader-only guard.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;

use super::state::{Leadership, Master, Shared};
use super::{agents, operator, scheduler, v0};
use crate::daemon::auth::{self, HttpAuth};
use crate::daemon::httputil::form_decode;

/// The master's router. Each route sits in the realm real Mesos gives it
/// (docs/security.md): `auth` puts the read-only, read-write and scheduler
/// groups behind HTTP Basic authentication when their flags are on; the
/// open group (`/health`, `/redirect`, `/version`) and the internal
/// protocol with agents are never in an HTTP realm.
pub fn router(master: Shared, auth: &HttpAuth) -> Router {
    let readonly = Router::new()
        // v0, leader-only
        .route("/master/state", get(v0::state))
        .route("/master/state-summary", get(v0::state_summary))
        .route("/master/frameworks", get(v0::frameworks))
        .route("/master/tasks", get(v0::tasks))
        .route("/master/slaves", get(v0::slaves))
        .route("/master/roles", get(v0::roles))
        // v0, any master
        .route("/master/flags", get(v0::flags))
        .route("/metrics/snapshot", get(v0::metrics))
        .with_state(master.clone())
        .merge(v0::files_router(master.clone()));
    let readwrite = Router::new()
        .route("/master/teardown", post(v0::teardown))
        .route("/master/api/v1", any(operator::api))
        .with_state(master.clone());
    let scheduler = Router::new()
        .route("/master/api/v1/scheduler", any(scheduler::api))
        .with_state(master.clone());
    let open = Router::new()
        .route("/master/health", any(v0::health))
        .route("/master/redirect", any(v0::redirect))
        // Loop guard: deeper paths under redirect are 404, not a prefix match.
        .route("/master/redirect/{*rest}", any(not_found))
        .route("/version", get(v0::version))
        // internal protocol with agents (authenticated by the protocol itself)
        .route("/master/internal/register", post(agents::register))
        .route("/master/internal/ping", post(agents::ping))
        .route(
            "/master/internal/status_update",
            post(agents::status_update),
        )
        .with_state(master);
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

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "404 Not Found").into_response()
}

/// For leader-only endpoints: `None` on the leader, else the 307 to the
/// leader (protocol-relative, leader's hostname) or 503 without a leader.
pub fn not_leader(master: &Master, uri: &Uri) -> Option<Response> {
    let st = master.lock();
    match &st.leadership {
        Leadership::Leading => None,
        Leadership::Following(info) => {
            let host = info
                .hostname_string()
                .or_else(|| info.ip_string())
                .unwrap_or_default();
            let port = info.port_number().unwrap_or(5050);
            let pq = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
            Some(
                Response::builder()
                    .status(StatusCode::TEMPORARY_REDIRECT)
                    .header(header::LOCATION, format!("//{host}:{port}{pq}"))
                    .body(Body::empty())
                    .unwrap(),
            )
        }
        Leadership::Unknown => {
            Some((StatusCode::SERVICE_UNAVAILABLE, "No leader elected").into_response())
        }
    }
}

/// Query string as a map (first value wins).
pub fn query_map(uri: &Uri) -> HashMap<String, String> {
    let mut m = HashMap::new();
    if let Some(q) = uri.query() {
        for (k, v) in url_pairs(q) {
            m.entry(k).or_insert(v);
        }
    }
    m
}

fn url_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (form_decode(k), form_decode(v))
        })
        .collect()
}

/// JSON response with the Mesos conventions (`?jsonp=cb` wrapping). Only a
/// callback made of identifier characters is honoured (anything else could
/// inject script into the `text/javascript` answer); others get plain JSON.
pub fn json_response<T: serde::Serialize + ?Sized>(uri: &Uri, value: &T) -> Response {
    let body = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    let jsonp = uri
        .query()
        .and_then(crate::daemon::httputil::jsonp_callback);
    if let Some(cb) = jsonp {
        return Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "text/javascript")
            .body(Body::from(format!("{cb}({body});")))
            .unwrap();
    }
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap()
}

/// Shared state extractor alias for handlers.
pub type St = State<Shared>;
