//! The Marathon 1.5 REST API over HTTP: thin axum handlers, one file per
//! resource, over [`crate::marathon::core::api::Api`].
//!
//! * [`apps`]: `/v2/apps` (ids may hold slashes, a doubled leading slash
//!   is tolerated, `group/*` forms), tasks of an app, versions, restart.
//! * [`tasks`]: `/v2/tasks`, `POST /v2/tasks/delete`, the text list.
//! * [`deployments`], [`groups`], [`queue`].
//! * [`info`]: `/v2/info`, `/v2/leader`, `/ping`, `/metrics`.
//! * [`events`]: the `/v2/events` server-sent event stream.
//! * [`proxy`]: a standby forwards every request to the leader.
//! * [`cosmos`]: the Cosmos package API (`/capabilities`, `/package/*`).
//!
//! Unknown routes answer `404 {"message":"URI not found: <path>"}`.

pub mod apps;
pub mod cosmos;
pub mod deployments;
pub mod events;
pub mod groups;
pub mod info;
pub mod proxy;
pub mod queue;
pub mod tasks;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use serde::Serialize;
use tokio::sync::watch;

use crate::daemon::auth::HttpAuth;
use crate::marathon::core::api::{Api, ApiError, Caller, Deployed};
use crate::marathon::election::{Election, Leadership};
use crate::wire::marathon::{ErrorBody, HttpConfig, MarathonConfig, ZookeeperConfig};

/// The static parts of `/v2/info` (from the flags).
#[derive(Clone, Debug)]
pub struct InfoConfig {
    pub marathon_config: MarathonConfig,
    pub zookeeper_config: ZookeeperConfig,
    pub http_config: HttpConfig,
}

/// What the handlers share.
pub struct Ctx {
    pub api: Arc<Api>,
    /// The Cosmos package API's backends.
    pub cosmos: crate::marathon::cosmos::Cosmos,
    pub info: InfoConfig,
    /// Who leads (from the election).
    pub leadership: watch::Receiver<Leadership>,
    /// The election, for `DELETE /v2/leader` (`None` in tests).
    pub election: Option<Arc<Election>>,
    /// This instance's `host:port` (the election id).
    pub me: String,
    /// `http` or `https`: how we and the leader are reached.
    pub scheme: &'static str,
    pub started: Instant,
    /// The client a standby proxies with.
    pub client: reqwest::Client,
    /// Interval of the empty keep-alive lines of `/v2/events`.
    pub heartbeat: Duration,
}

pub type Shared = Arc<Ctx>;

/// The whole API: every route, auth on all but `/ping`, the leader proxy,
/// `X-Marathon-Leader` on answers, 404 for unknown routes.
pub fn router(ctx: Shared, auth: &HttpAuth) -> Router {
    let api = Router::new()
        .route("/metrics", get(info::metrics))
        .route("/v2/info", get(info::info))
        .route("/v2/leader", get(info::leader).delete(info::abdicate))
        .route("/v2/events", get(events::events))
        .route(
            "/v2/apps",
            get(apps::list)
                .post(apps::create)
                .put(apps::put_many)
                .patch(apps::patch_many),
        )
        .route(
            "/v2/apps/{*rest}",
            get(apps::get_one)
                .put(apps::put_one)
                .patch(apps::patch_one)
                .delete(apps::delete_one)
                .post(apps::post_one),
        )
        .route("/v2/tasks", get(tasks::list))
        .route("/v2/tasks/delete", post(tasks::delete))
        .route("/v2/deployments", get(deployments::list))
        .route("/v2/deployments/{id}", delete(deployments::delete))
        .route(
            "/v2/groups",
            get(groups::get_root)
                .post(groups::post_root)
                .put(groups::put_root)
                .delete(groups::delete_root),
        )
        .route(
            "/v2/groups/{*rest}",
            get(groups::get_one)
                .post(groups::post_one)
                .put(groups::put_one)
                .delete(groups::delete_one),
        )
        .route("/v2/queue", get(queue::list))
        .route("/v2/queue/{*rest}", delete(queue::reset_delay))
        .route("/capabilities", get(cosmos::capabilities))
        .route("/package/{*op}", post(cosmos::package))
        .fallback(not_found);
    let api = auth.protect(crate::daemon::auth::MARATHON, api);
    let routed = Router::new()
        .route("/ping", get(info::ping))
        .merge(api)
        .layer(axum::middleware::from_fn_with_state(
            ctx.clone(),
            proxy::leader_proxy,
        ))
        .with_state(ctx);
    tolerate_double_slashes(routed)
}

/// Collapse doubled slashes in the path before routing (`/v2/apps//a` is
/// `/v2/apps/a`, as Marathon's path parsing drops empty segments).
pub fn tolerate_double_slashes(router: Router) -> Router {
    use tower::ServiceExt;
    let svc = router.map_request(|mut req: Request| {
        let path = req.uri().path();
        if path.contains("//") {
            let mut fixed = String::with_capacity(path.len());
            for c in path.chars() {
                if !(c == '/' && fixed.ends_with('/')) {
                    fixed.push(c);
                }
            }
            let pq = match req.uri().query() {
                Some(q) => format!("{fixed}?{q}"),
                None => fixed,
            };
            if let Ok(uri) = pq.parse::<Uri>() {
                *req.uri_mut() = uri;
            }
        }
        req
    });
    Router::new().fallback_service(svc)
}

async fn not_found(uri: Uri) -> Response {
    json(
        StatusCode::NOT_FOUND,
        &ErrorBody::new(format!("URI not found: {}", uri.path())),
    )
}

/// A JSON answer.
pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            bytes,
        )
            .into_response(),
        Err(e) => error(ApiError::Unavailable(format!(
            "cannot encode the answer: {e}"
        ))),
    }
}

/// The answer to a failed call.
pub fn error(e: ApiError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json(status, &e.body())
}

/// The answer to a deployable call: 200 (201 when created) with the
/// `Marathon-Deployment-Id` header and the deployment body.
pub fn deployed(d: &Deployed) -> Response {
    let status = if d.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut resp = json(status, &d.result);
    if let Ok(v) = HeaderValue::from_str(&d.result.deployment_id) {
        resp.headers_mut().insert("Marathon-Deployment-Id", v);
    }
    resp
}

/// `Result<Response, ApiError>` to a response.
pub fn respond(r: Result<Response, ApiError>) -> Response {
    r.unwrap_or_else(error)
}

/// The peer address of a request, when the server recorded it.
#[derive(Clone, Copy, Debug)]
pub struct Peer(pub Option<std::net::SocketAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

/// Who called (for `api_post_event`).
pub fn caller(peer: Peer, uri: &Uri) -> Caller {
    Caller {
        client_ip: peer.0.map(|a| a.ip().to_string()).unwrap_or_default(),
        uri: uri.path().to_string(),
    }
}

/// The query string as pairs (repeatable keys kept).
#[derive(Clone, Debug, Default)]
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(raw: Option<&str>) -> Query {
        Query(serde_urlencoded::from_str(raw.unwrap_or("")).unwrap_or_default())
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `key` (also given as `key[]`).
    pub fn all(&self, key: &str) -> Vec<String> {
        let arr = format!("{key}[]");
        self.0
            .iter()
            .filter(|(k, _)| k == key || *k == arr)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// A boolean read leniently (`True`, `false`, ...), `default` when absent.
    pub fn bool(&self, key: &str, default: bool) -> bool {
        crate::marathon::core::api::lenient_bool(self.get(key), default)
    }
}

/// Whether the client prefers `text/plain` over JSON.
pub fn wants_text(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.split(';').next().unwrap_or("").trim())
        .find(|t| *t == "text/plain" || *t == "application/json" || *t == "*/*")
        == Some("text/plain")
}

/// A `text/plain` answer.
pub fn text(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        Body::from(body),
    )
        .into_response()
}

/// Parse a JSON body into `T`, or the 400 Marathon answers.
pub fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::InvalidJson(e.to_string()))
}

#[cfg(test)]
mod tests;
