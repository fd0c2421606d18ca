//! libprocess HTTP conventions (docs/wire-notes.md#http-conventions) as a tower layer
//! that wraps a whole axum [`Router`]:
//!
//! * process-id delegation: a path whose first segment is not a known process
//!   id is re-prefixed with the main process id (`/state` ->
//!   `/slave(1)/state`, `/api/v1` -> `/master/api/v1`); only the first
//!   segment is percent-decoded (`/slave%281%29/state` works);
//! * a trailing slash is ignored; legacy `.json` suffixes are aliases
//!   (`/state.json`, `/monitor/statistics.json`, `/files/browse.json`);
//! * longest-prefix lookup: `/files/browse/x` falls back to `/files/browse`
//!   when no longer route exists (only for routes that did not match at all,
//!   see [`not_found`]);
//! * `?jsonp=cb` wraps a JSON body as `cb(<json>)` (`text/javascript`);
//! * non-streaming bodies of 1024 bytes or more are gzip-compressed when the
//!   client accepts gzip (tower-http's `CompressionLayer` with the
//!   [`Buffered`] predicate); streaming bodies (no exact size) never are;
//! * unknown query parameters (`_ts=123`) are left to the handlers, which
//!   ignore them.
//!
//! Usage:
//! ```ignore
//! let app = Libprocess::new("master").wrap(router);
//! axum::serve(listener, app).await?;
//! ```

use std::convert::Infallible;
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::body::HttpBody as _;
use axum::http::{header, HeaderValue, Method, Request, Response, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::Router;
use tower::{Layer, Service, ServiceExt};
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;

/// Helper processes every libprocess daemon has besides its main process.
pub const HELPER_PROCESSES: &[&str] = &[
    "files",
    "metrics",
    "version",
    "logging",
    "profiler",
    "__processes__",
    "system",
];

/// Bodies at least this large are compressed for clients that accept gzip.
pub const GZIP_MIN_BYTES: usize = 1024;

/// Largest body the layer buffers for jsonp wrapping or compression.
const MAX_BUFFERED: usize = 256 * 1024 * 1024;

/// Response extension set by [`not_found`]: the router had no route for the
/// path (as opposed to a handler answering 404), so a shorter prefix may be
/// tried.
#[derive(Clone, Copy, Debug)]
pub struct RouteNotFound;

/// Response extension that opts a response out of jsonp wrapping and
/// compression (e.g. already-compressed downloads).
#[derive(Clone, Copy, Debug)]
pub struct NoTransform;

/// When a response is compressed: a whole (not streaming) body of at least
/// [`GZIP_MIN_BYTES`], not opted out with [`NoTransform`]. Streaming bodies
/// (RecordIO event streams, `/files/read` of a growing file) are never
/// compressed: a client must see each record as it is written.
#[derive(Clone, Copy, Debug, Default)]
pub struct Buffered;

impl Predicate for Buffered {
    fn should_compress<B: axum::body::HttpBody>(&self, response: &Response<B>) -> bool {
        response.extensions().get::<NoTransform>().is_none()
            && response.body().size_hint().exact().is_some()
            && SizeAbove::new(GZIP_MIN_BYTES as u16).should_compress(response)
    }
}

/// The fallback [`Libprocess::wrap`] installs: `404 Not Found`, marked with
/// [`RouteNotFound`].
pub async fn not_found() -> Response<Body> {
    let mut r = (StatusCode::NOT_FOUND, "404 Not Found").into_response();
    r.extensions_mut().insert(RouteNotFound);
    r
}

/// The routing conventions of one daemon: its main process id and the other
/// process ids it serves.
#[derive(Clone, Debug)]
pub struct Libprocess {
    main: String,
    processes: Vec<String>,
    /// Serve the legacy `.json` aliases (`--json_endpoint_aliases`, on by
    /// default; real Mesos 1.7+ has none and answers them 404).
    json_aliases: bool,
}

impl Libprocess {
    /// A daemon whose main process is `main` (`master`, `slave(1)`), with the
    /// standard helper processes.
    pub fn new(main: &str) -> Self {
        let mut processes: Vec<String> = HELPER_PROCESSES.iter().map(|s| s.to_string()).collect();
        processes.push(main.to_string());
        Libprocess {
            main: main.to_string(),
            processes,
            json_aliases: true,
        }
    }

    /// Whether `/state.json` & co. are aliases (`true`) or unknown paths.
    pub fn with_json_aliases(mut self, on: bool) -> Self {
        self.json_aliases = on;
        self
    }

    /// Declare another process id that must not be delegated to the main one.
    pub fn with_process(mut self, id: &str) -> Self {
        if !self.processes.iter().any(|p| p == id) {
            self.processes.push(id.to_string());
        }
        self
    }

    /// The main process id.
    pub fn main_process(&self) -> &str {
        &self.main
    }

    /// Map a request path to the canonical route path: decode the first
    /// segment, delegate to the main process, drop a trailing slash and a
    /// legacy `.json` suffix.
    pub fn normalize(&self, path: &str) -> String {
        let trimmed = path.trim_end_matches('/');
        if trimmed.is_empty() {
            return "/".to_string();
        }
        let rest = trimmed.strip_prefix('/').unwrap_or(trimmed);
        let (first, tail) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let first = percent_decode(first);
        let mut out = if self.processes.contains(&first) {
            format!("/{first}{tail}")
        } else {
            format!("/{}/{first}{tail}", self.main)
        };
        if self.json_aliases && out.ends_with(".json") {
            let stem_len = out.len() - ".json".len();
            // Only strip from an endpoint name, never leave `/x/` behind.
            if !out[..stem_len].ends_with('/') {
                out.truncate(stem_len);
            }
        }
        out
    }

    /// Wrap `router` (installing [`not_found`] as its fallback) and return a
    /// router that applies the conventions to every request.
    pub fn wrap(self, router: Router) -> Router {
        let svc = self.layer(router.fallback(not_found));
        Router::new()
            .fallback_service(svc)
            .layer(CompressionLayer::new().compress_when(Buffered))
    }
}

impl<S> Layer<S> for Libprocess {
    type Service = LibprocessService<S>;
    fn layer(&self, inner: S) -> Self::Service {
        LibprocessService {
            cfg: Arc::new(self.clone()),
            inner,
        }
    }
}

/// The service produced by [`Libprocess`] as a layer.
#[derive(Clone, Debug)]
pub struct LibprocessService<S> {
    cfg: Arc<Libprocess>,
    inner: S,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S> Service<Request<Body>> for LibprocessService<S>
where
    S: Service<Request<Body>, Response = Response<Body>, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<Result<Response<Body>, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // Every call uses a fresh clone of the inner service (oneshot).
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        let cfg = self.cfg.clone();
        let inner = self.inner.clone();
        Box::pin(async move { Ok(handle(cfg, inner, req).await) })
    }
}

async fn handle<S>(cfg: Arc<Libprocess>, inner: S, req: Request<Body>) -> Response<Body>
where
    S: Service<Request<Body>, Response = Response<Body>, Error = Infallible> + Clone,
{
    let query = req.uri().query().map(str::to_string);
    let jsonp = query.as_deref().and_then(jsonp_callback);
    let path = cfg.normalize(req.uri().path());
    let (mut parts, body) = req.into_parts();
    parts.uri = with_path(&parts.uri, &path);
    // Keep what is needed to retry a body-less request on a shorter prefix.
    let retry = if parts.method == Method::GET || parts.method == Method::HEAD {
        Some((
            parts.method.clone(),
            parts.uri.clone(),
            parts.headers.clone(),
        ))
    } else {
        None
    };
    let mut resp = match inner
        .clone()
        .oneshot(Request::from_parts(parts, body))
        .await
    {
        Ok(r) => r,
        Err(never) => match never {},
    };
    if let Some((method, uri, headers)) = retry {
        let mut candidate = path.clone();
        // `/process/endpoint` is the shortest route worth trying.
        while resp.extensions().get::<RouteNotFound>().is_some()
            && candidate.matches('/').count() > 2
        {
            let cut = candidate.rfind('/').unwrap_or(0);
            candidate.truncate(cut);
            let mut r = Request::new(Body::empty());
            *r.method_mut() = method.clone();
            *r.uri_mut() = with_path(&uri, &candidate);
            *r.headers_mut() = headers.clone();
            resp = match inner.clone().oneshot(r).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
        }
    }
    match jsonp {
        Some(cb) => wrap_jsonp(resp, &cb).await,
        None => resp,
    }
}

/// Wrap a non-streaming JSON response as `cb(<json>)` (`text/javascript`).
pub async fn wrap_jsonp(resp: Response<Body>, cb: &str) -> Response<Body> {
    if resp.extensions().get::<NoTransform>().is_some() || resp.body().size_hint().exact().is_none()
    {
        return resp; // opted out, or streaming: never touched
    }
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BUFFERED).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Failed to read the response body",
        )
            .into_response();
    };
    let bytes = jsonp_wrap(cb, &bytes);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

/// `cb(<json>)`: the one jsonp rule of both daemons.
pub fn jsonp_wrap(cb: &str, json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + cb.len() + 2);
    out.extend_from_slice(cb.as_bytes());
    out.push(b'(');
    out.extend_from_slice(json);
    out.push(b')');
    out
}

/// A body gzip-compressed (fast level), as the daemons send it.
pub fn gzip_bytes(plain: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(plain.len() / 4),
        flate2::Compression::fast(),
    );
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(plain);
    enc.finish().unwrap_or_default()
}

/// The `jsonp` callback name of a query string, if any (and safe).
pub fn jsonp_callback(query: &str) -> Option<String> {
    query_param(query, "jsonp").filter(|cb| {
        !cb.is_empty()
            && cb
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.'))
    })
}

/// First value of `name` in a query string, percent-decoded (`+` = space).
pub fn query_param(query: &str, name: &str) -> Option<String> {
    for pair in query.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if form_decode(k) == name {
            return Some(form_decode(v));
        }
    }
    None
}

/// Decode `application/x-www-form-urlencoded` text.
pub fn form_decode(s: &str) -> String {
    percent_decode(&s.replace('+', " "))
}

/// Whether the request's `Accept-Encoding` allows gzip.
pub fn accepts_gzip(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut it = item.split(';');
            let coding = it.next().unwrap_or("").trim();
            let q_zero = it.any(|p| {
                let p = p.trim().replace(' ', "");
                p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !q_zero
        })
}

fn with_path(uri: &Uri, path: &str) -> Uri {
    let pq = match uri.query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = pq.parse().ok().or(parts.path_and_query);
    Uri::from_parts(parts).unwrap_or_else(|_| uri.clone())
}

/// Percent-decode (invalid escapes are kept as they are).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// A plain-text error response (libprocess style: short human text).
pub fn text(status: StatusCode, body: impl Into<String>) -> Response<Body> {
    let mut r = Response::new(Body::from(body.into()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// A JSON response from already-serialized bytes.
pub fn json_bytes(status: StatusCode, body: Vec<u8>) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// `200` with a JSON body.
pub fn json(v: &serde_json::Value) -> Response<Body> {
    json_bytes(StatusCode::OK, serde_json::to_vec(v).unwrap_or_default())
}

/// A media type without parameters, lower case (`application/json; charset=utf-8`
/// -> `application/json`).
pub fn media_type(v: &str) -> String {
    v.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Whether the `Accept` headers allow a JSON response: missing, `*/*`,
/// `application/*` or `application/json`, unless given `q=0`.
pub fn accepts_json(headers: &axum::http::HeaderMap) -> bool {
    let values: Vec<&str> = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if values.is_empty() {
        return true;
    }
    values.iter().flat_map(|v| v.split(',')).any(|item| {
        let mut parts = item.split(';');
        let ty = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q_zero = parts.any(|p| {
            let p = p.trim().replace(' ', "");
            p.strip_prefix("q=")
                .and_then(|q| q.parse::<f64>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        !q_zero && matches!(ty.as_str(), "application/json" | "application/*" | "*/*")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_libprocess() {
        let lp = Libprocess::new("slave(1)");
        assert_eq!(lp.normalize("/state"), "/slave(1)/state");
        assert_eq!(lp.normalize("/state/"), "/slave(1)/state");
        assert_eq!(lp.normalize("/state.json"), "/slave(1)/state");
        assert_eq!(lp.normalize("/slave(1)/state.json"), "/slave(1)/state");
        assert_eq!(lp.normalize("/slave%281%29/state"), "/slave(1)/state");
        assert_eq!(lp.normalize("/api/v1"), "/slave(1)/api/v1");
        assert_eq!(
            lp.normalize("/monitor/statistics.json"),
            "/slave(1)/monitor/statistics"
        );
        assert_eq!(lp.normalize("/metrics/snapshot.json"), "/metrics/snapshot");
        assert_eq!(lp.normalize("/files/browse.json"), "/files/browse");
        assert_eq!(lp.normalize("/version"), "/version");
        assert_eq!(lp.normalize("/"), "/");
        let lp = Libprocess::new("master");
        assert_eq!(lp.normalize("/state"), "/master/state");
        let off = Libprocess::new("master").with_json_aliases(false);
        assert_eq!(off.normalize("/state.json"), "/master/state.json");
        assert_eq!(
            off.normalize("/metrics/snapshot.json"),
            "/metrics/snapshot.json"
        );
        assert_eq!(lp.normalize("/master/frameworks/"), "/master/frameworks");
    }

    #[test]
    fn query_helpers() {
        assert_eq!(
            query_param("a=1&path=%2Ftmp%2Fx+y&_ts=1", "path").as_deref(),
            Some("/tmp/x y")
        );
        assert_eq!(jsonp_callback("jsonp=cb_1&x=2").as_deref(), Some("cb_1"));
        assert_eq!(jsonp_callback("jsonp=alert(1)"), None);
        assert_eq!(percent_decode("%2e%2e/%zz%"), "../%zz%");
    }
}
