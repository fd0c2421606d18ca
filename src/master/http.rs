//! The master's HTTP edge: one error type ([`MasterError`], `IntoResponse`),
//! one response helper that encodes typed bodies ([`Json`]), the leader-only
//! route layer ([`leader_only`]) and the query extractors of the v0
//! endpoints. Handlers return `Result<Json<T>, MasterError>` (or another
//! `IntoResponse`); nothing here knows the master's operations.
//!
//! `?jsonp=` wrapping and gzip are applied once, for every JSON response,
//! by the libprocess layer (`daemon::httputil`).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::state::{Leadership, Master, Shared};

/// Every error answer of the master's HTTP API. Bodies are one line of
/// `text/plain` (the texts real Mesos uses where clients match on them).
#[derive(Debug)]
pub enum MasterError {
    /// 400
    BadRequest(String),
    /// 401
    Unauthorized(String),
    /// 403
    Forbidden(String),
    /// 404
    NotFound(String),
    /// 405 with `Allow`.
    MethodNotAllowed {
        allow: &'static str,
        message: String,
    },
    /// 406
    NotAcceptable(String),
    /// 409
    Conflict(String),
    /// 415
    UnsupportedMediaType(String),
    /// 500
    Internal(String),
    /// 501
    NotImplemented(String),
    /// 503
    ServiceUnavailable(String),
    /// 307 to `Location` (another master leads).
    Redirect(String),
    /// An answer produced elsewhere (an extractor's rejection, a file
    /// server error), passed through unchanged.
    Response(Box<Response>),
}

impl MasterError {
    /// 400 with this message.
    pub fn bad_request(msg: impl Into<String>) -> Self {
        MasterError::BadRequest(msg.into())
    }

    /// The error for a status code (other codes become `Internal`).
    pub fn with_status(status: StatusCode, msg: impl Into<String>) -> Self {
        let m = msg.into();
        match status {
            StatusCode::BAD_REQUEST => MasterError::BadRequest(m),
            StatusCode::UNAUTHORIZED => MasterError::Unauthorized(m),
            StatusCode::FORBIDDEN => MasterError::Forbidden(m),
            StatusCode::NOT_FOUND => MasterError::NotFound(m),
            StatusCode::NOT_ACCEPTABLE => MasterError::NotAcceptable(m),
            StatusCode::CONFLICT => MasterError::Conflict(m),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => MasterError::UnsupportedMediaType(m),
            StatusCode::NOT_IMPLEMENTED => MasterError::NotImplemented(m),
            StatusCode::SERVICE_UNAVAILABLE => MasterError::ServiceUnavailable(m),
            _ => MasterError::Internal(m),
        }
    }

    /// The status code of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            MasterError::BadRequest(_) => StatusCode::BAD_REQUEST,
            MasterError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            MasterError::Forbidden(_) => StatusCode::FORBIDDEN,
            MasterError::NotFound(_) => StatusCode::NOT_FOUND,
            MasterError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            MasterError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            MasterError::Conflict(_) => StatusCode::CONFLICT,
            MasterError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            MasterError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            MasterError::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
            MasterError::ServiceUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            MasterError::Redirect(_) => StatusCode::TEMPORARY_REDIRECT,
            MasterError::Response(r) => r.status(),
        }
    }
}

impl std::fmt::Display for MasterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MasterError::BadRequest(m)
            | MasterError::Unauthorized(m)
            | MasterError::Forbidden(m)
            | MasterError::NotFound(m)
            | MasterError::MethodNotAllowed { message: m, .. }
            | MasterError::NotAcceptable(m)
            | MasterError::Conflict(m)
            | MasterError::UnsupportedMediaType(m)
            | MasterError::Internal(m)
            | MasterError::NotImplemented(m)
            | MasterError::ServiceUnavailable(m) => f.write_str(m),
            MasterError::Redirect(to) => write!(f, "redirect to {to}"),
            MasterError::Response(r) => write!(f, "{}", r.status()),
        }
    }
}

/// A `text/plain` answer.
pub fn text(status: StatusCode, body: impl Into<String>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body.into(),
    )
        .into_response()
}

impl IntoResponse for MasterError {
    fn into_response(self) -> Response {
        let status = self.status();
        match self {
            MasterError::Response(r) => *r,
            MasterError::Redirect(location) => {
                let mut r = StatusCode::TEMPORARY_REDIRECT.into_response();
                if let Ok(v) = HeaderValue::from_str(&location) {
                    r.headers_mut().insert(header::LOCATION, v);
                }
                r
            }
            MasterError::MethodNotAllowed { allow, message } => {
                let mut r = text(status, message);
                r.headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static(allow));
                r
            }
            // A bare 501 (the `UNKNOWN` call) has no body.
            MasterError::NotImplemented(m) if m.is_empty() => status.into_response(),
            other => text(status, other.to_string()),
        }
    }
}

impl From<axum::extract::rejection::BytesRejection> for MasterError {
    fn from(r: axum::extract::rejection::BytesRejection) -> Self {
        MasterError::Response(Box::new(r.into_response()))
    }
}

impl From<crate::daemon::files::FilesError> for MasterError {
    fn from(e: crate::daemon::files::FilesError) -> Self {
        MasterError::Response(Box::new(e.into_response()))
    }
}

/// Result of a master handler.
pub type ApiResult<T> = Result<T, MasterError>;

/// A typed body answered as `200` JSON. The only place the master encodes a
/// body: a second encoding (protobuf) would be added here, with the media
/// type negotiated from `Accept` by a route layer and handed over as a
/// request-scoped value, without touching handlers.
#[derive(Clone, Debug)]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(body) => Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
            Err(e) => {
                MasterError::Internal(format!("cannot encode the response: {e}")).into_response()
            }
        }
    }
}

/// A synchronous v1 `Response` body `{"type": T, "<t>": payload}`.
pub fn call_response<T: Serialize>(kind: &'static str, payload: T) -> Response {
    Json(crate::wire::operator::Response::new(kind, payload)).into_response()
}

/// `None` on the leader, else the 307 to the leader (protocol-relative,
/// leader's hostname, same path and query) or 503 without a leader.
pub fn not_leader(master: &Master, uri: &Uri) -> Option<MasterError> {
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
            Some(MasterError::Redirect(format!("//{host}:{port}{pq}")))
        }
        Leadership::Unknown => Some(MasterError::ServiceUnavailable("No leader elected".into())),
    }
}

/// Route layer for leader-only routes (`route_layer(from_fn_with_state(m,
/// leader_only))`): answers the redirect / 503 of [`not_leader`] before the
/// handler runs.
pub async fn leader_only(State(m): State<Shared>, req: Request, next: Next) -> Response {
    match not_leader(&m, req.uri()) {
        Some(e) => e.into_response(),
        None => next.run(req).await,
    }
}

/// Query of `/master/frameworks` (`framework_id`; empty means all).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct FrameworkFilter {
    #[serde(default)]
    pub framework_id: Option<String>,
}

/// Query of `/master/slaves` (`slave_id`; empty means all).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct AgentFilter {
    #[serde(default)]
    pub slave_id: Option<String>,
}

/// Raw query of `/master/tasks`; [`TasksParams::parse`] applies Mesos'
/// rules and error texts.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct TasksParams {
    #[serde(default)]
    pub limit: Option<String>,
    #[serde(default)]
    pub offset: Option<String>,
    #[serde(default)]
    pub order: Option<String>,
    #[serde(default)]
    pub framework_id: Option<String>,
    #[serde(default)]
    pub task_id: Option<String>,
}

/// A non-empty value.
pub fn nonempty(v: &Option<String>) -> Option<String> {
    v.clone().filter(|v| !v.is_empty())
}

impl TasksParams {
    /// The `/master/tasks` query: `limit` (negative = all), `offset`
    /// (negative skips everything, as Mesos' unsigned conversion does),
    /// `order=asc`, `framework_id`, `task_id`.
    pub fn parse(&self) -> Result<super::render::TaskQuery, MasterError> {
        let mut out = super::render::TaskQuery::default();
        if let Some(l) = &self.limit {
            let n: i64 = l.trim().parse().map_err(|_| {
                MasterError::bad_request(format!(
                    "Failed to parse query parameter 'limit': '{l}' is not a number"
                ))
            })?;
            out.limit = usize::try_from(n).ok();
        }
        if let Some(o) = &self.offset {
            let n: i64 = o.trim().parse().map_err(|_| {
                MasterError::bad_request(format!(
                    "Failed to parse query parameter 'offset': '{o}' is not a number"
                ))
            })?;
            out.offset = usize::try_from(n).unwrap_or(usize::MAX);
        }
        out.ascending = self.order.as_deref() == Some("asc");
        out.framework_id = nonempty(&self.framework_id);
        out.task_id = nonempty(&self.task_id);
        Ok(out)
    }
}

/// Form body of `POST /master/teardown`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct TeardownForm {
    #[serde(default, rename = "frameworkId")]
    pub framework_id: Option<String>,
}
