//! Leader proxying: a standby forwards every request (but `GET /v2/leader`) to
//! the leader, adding `X-Marathon-Via` (a request that already passed us is
//! a loop: 502) and `X-Forwarded-For`; with no known leader after a few
//! 250 ms retries it answers 503 "Could not determine the current leader".
//! The leader's own answers carry `X-Marathon-Leader: <scheme>://host:port`.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;

use super::{json, Shared};
use crate::wire::marathon::ErrorBody;

const VIA: &str = "x-marathon-via";
const LEADER: &str = "x-marathon-leader";
/// Largest request body forwarded.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Hop-by-hop headers not forwarded either way.
fn hop_by_hop(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "connection"
            | "keep-alive"
            | "transfer-encoding"
            | "te"
            | "trailer"
            | "upgrade"
            | "host"
            | "content-length"
    )
}

pub async fn leader_proxy(State(ctx): State<Shared>, req: Request, next: Next) -> Response {
    let mut lead = ctx.leadership.borrow().clone();
    for _ in 0..4 {
        if lead.leading || lead.leader.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
        lead = ctx.leadership.borrow().clone();
    }
    // Who leads is answered locally; abdication goes to the leader.
    let local = req.uri().path() == "/v2/leader" && req.method() == axum::http::Method::GET;
    if lead.leading || local {
        let mut resp = next.run(req).await;
        if let Some(l) = lead.leader.filter(|_| lead.leading) {
            if let Ok(v) = HeaderValue::from_str(&format!("{}://{l}", ctx.scheme)) {
                resp.headers_mut().insert(LEADER, v);
            }
        }
        return resp;
    }
    let Some(leader) = lead.leader else {
        return json(
            StatusCode::SERVICE_UNAVAILABLE,
            &ErrorBody::new("Could not determine the current leader"),
        );
    };
    let looped = req
        .headers()
        .get_all(VIA)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|hop| hop.trim().ends_with(&ctx.me)));
    if looped {
        return json(
            StatusCode::BAD_GATEWAY,
            &ErrorBody::new("Detected proxying loop."),
        );
    }
    forward(&ctx, &leader, req).await
}

async fn forward(ctx: &Shared, leader: &str, req: Request) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let (parts, body) = req.into_parts();
    let pq = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let url = format!("{}://{leader}{pq}", ctx.scheme);
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            return json(
                StatusCode::BAD_REQUEST,
                &ErrorBody::new(format!("Cannot read the request body: {e}")),
            )
        }
    };
    let mut rb = ctx.client.request(parts.method.clone(), &url);
    let mut forwarded_for = None;
    for (name, value) in &parts.headers {
        if hop_by_hop(name) {
            continue;
        }
        if name.as_str() == "x-forwarded-for" {
            forwarded_for = value.to_str().ok().map(str::to_string);
            continue;
        }
        rb = rb.header(name, value);
    }
    let via = parts
        .headers
        .get_all(VIA)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .chain(std::iter::once(format!("1.1 {}", ctx.me)))
        .collect::<Vec<_>>()
        .join(", ");
    rb = rb.header(VIA, via);
    if let Some(p) = peer {
        let xff = match forwarded_for {
            Some(prev) => format!("{prev}, {p}"),
            None => p,
        };
        rb = rb.header("x-forwarded-for", xff);
    }
    let resp = match rb.body(body).send().await {
        Ok(r) => r,
        Err(e) if e.is_timeout() => {
            return json(
                StatusCode::GATEWAY_TIMEOUT,
                &ErrorBody::new(format!("Timeout while proxying to the leader {leader}")),
            )
        }
        Err(e) => {
            crate::warning!("Cannot proxy to the leader {leader}: {e}");
            return json(
                StatusCode::BAD_GATEWAY,
                &ErrorBody::new(format!("Could not reach the leader {leader}")),
            );
        }
    };
    let mut out = Response::builder().status(resp.status());
    for (name, value) in resp.headers() {
        if !hop_by_hop(name) {
            out = out.header(name, value);
        }
    }
    let stream = resp.bytes_stream().map_err(std::io::Error::other);
    out.body(Body::from_stream(stream))
        .unwrap_or_else(|_| StatusCode::BAD_GATEWAY.into_response())
}
