//! `mesos serve <kind>`: small real services, the programs behind the
//! built-in package repository (docs/packages.md, "The built-in
//! repository"). Each kind is an axum router over plain HTTP with a
//! `/health` endpoint; [`run`] binds it, logs to stderr and stops cleanly on
//! SIGTERM or SIGINT.
//!
//! * [`hello`]: a greeting and an echo of the request.
//! * [`static_dir`]: a directory over HTTP, never outside it.
//! * [`kv`]: a key-value store persisted to a JSON file.
//! * [`cron`]: a shell command on a schedule ([`schedule`]), its last runs.

pub mod cron;
pub mod hello;
pub mod kv;
pub mod schedule;
pub mod static_dir;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Serialize;

/// How long open connections may take to finish after a stop signal.
const DRAIN: Duration = Duration::from_secs(5);

/// Where to listen.
#[derive(Clone, Debug)]
pub struct Listen {
    pub host: String,
    pub port: u16,
}

/// Bind `listen`, serve `app` until SIGTERM/SIGINT or until `stopped`
/// resolves (a kind's background work ended), then drain connections.
/// `what` names the service in the log lines.
pub async fn run(
    what: &str,
    listen: &Listen,
    app: axum::Router,
    stopped: impl Future<Output = ()>,
) -> Result<(), String> {
    let listener = bind(listen).await?;
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| format!("{}:{}", listen.host, listen.port));
    crate::info!("mesos serve {what} listening on http://{addr}");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = crate::daemon::serve::serve(listener, app, None, async {
        let _ = rx.await;
    });
    let mut server = std::pin::pin!(server);
    tokio::select! {
        _ = &mut server => {}
        _ = crate::master::shutdown_signal() => {
            crate::info!("mesos serve {what} stopping");
        }
        _ = stopped => {
            crate::warning!("mesos serve {what}: its background loop ended; stopping");
        }
    }
    let _ = tx.send(());
    let _ = tokio::time::timeout(DRAIN, server).await;
    Ok(())
}

async fn bind(listen: &Listen) -> Result<tokio::net::TcpListener, String> {
    let host = listen.host.trim_start_matches('[').trim_end_matches(']');
    let addr: SocketAddr = match host.parse::<std::net::IpAddr>() {
        Ok(ip) => SocketAddr::new(ip, listen.port),
        Err(_) => tokio::net::lookup_host((host, listen.port))
            .await
            .ok()
            .and_then(|mut a| a.next())
            .ok_or_else(|| format!("cannot resolve --host {:?}", listen.host))?,
    };
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))
}

/// `GET /health`: `200 ok`.
pub async fn health() -> Response {
    text(StatusCode::OK, "ok\n")
}

/// A plain-text response.
pub fn text(status: StatusCode, body: impl Into<String>) -> Response {
    crate::daemon::httputil::text(status, body)
}

/// A JSON response from a typed body.
pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let mut bytes = serde_json::to_vec_pretty(body).unwrap_or_default();
    bytes.push(b'\n');
    crate::daemon::httputil::json_bytes(status, bytes)
}

/// `{"message": "..."}` with `status`.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    json(
        status,
        &ErrorBody {
            message: message.into(),
        },
    )
}

#[derive(Serialize)]
struct ErrorBody {
    message: String,
}

/// An HTML response.
pub fn html(status: StatusCode, body: String) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// Escape text for HTML.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
