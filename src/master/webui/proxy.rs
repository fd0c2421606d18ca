//! `GET /agent/<agent_id>/<path>`: the UI reads an agent's sandboxes
//! (`files/browse|read|download`), state and metrics through the master, so
//! the browser only ever talks to the master's origin (the DC/OS admin
//! router does the same). Only the paths the UI needs are forwarded
//! ([`ALLOWED`]), only `GET`, with the query string and `Authorization`
//! kept; failures are one line: 404 unknown agent, 403 other paths, 502
//! agent unreachable, 504 agent too slow.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::super::http::text;
use super::super::state::Shared;

/// The agent paths the proxy forwards: these prefixes, and `state`.
pub const ALLOWED: &[&str] = &[
    "files/",
    "slave(1)/",
    "monitor/",
    "metrics/",
    "system/v1/metrics/",
];

/// How long an agent has to answer the proxied call (headers and body).
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The same for `files/download` (a whole file, possibly large).
pub const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(600);

/// Whether the proxy forwards `rest` (the path after `/agent/<id>/`).
pub fn allowed(rest: &str) -> bool {
    let plain = !rest.split('/').any(|s| s == ".." || s == ".")
        && !rest.contains(['?', '#', '\\'])
        && !rest.starts_with('/');
    plain
        && (rest == "state" || rest == "state.json" || ALLOWED.iter().any(|p| rest.starts_with(p)))
}

/// The handler.
pub async fn agent(
    State(m): State<Shared>,
    Path((agent_id, rest)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let resp = forward(&m, &agent_id, &rest, query.as_deref(), &headers).await;
    super::secure(&m, resp)
}

async fn forward(
    m: &Shared,
    agent_id: &str,
    rest: &str,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Response {
    if !allowed(rest) {
        return text(
            StatusCode::FORBIDDEN,
            format!("The agent proxy does not forward '/{rest}' (only state, files/, slave(1)/, monitor/, metrics/, system/v1/metrics/)"),
        );
    }
    let base = m.lock().agents.get(agent_id).map(|a| a.base_url());
    let Some(base) = base else {
        return text(
            StatusCode::NOT_FOUND,
            format!("Agent '{agent_id}' is not registered with this master"),
        );
    };
    let mut url = format!("{base}/{rest}");
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        url.push('?');
        url.push_str(q);
    }
    let limit = if rest.starts_with("files/download") {
        DOWNLOAD_TIMEOUT
    } else {
        TIMEOUT
    };
    let mut req = m.http.get(&url).timeout(limit);
    if let Some(a) = headers.get(header::AUTHORIZATION) {
        req = req.header(header::AUTHORIZATION, a.clone());
    }
    let upstream = match req.send().await {
        Ok(r) => r,
        Err(e) if e.is_timeout() => {
            return text(
                StatusCode::GATEWAY_TIMEOUT,
                format!(
                    "Agent '{agent_id}' at {base} did not answer /{rest} within {}s",
                    limit.as_secs()
                ),
            )
        }
        Err(e) => {
            return text(
                StatusCode::BAD_GATEWAY,
                format!(
                    "Cannot reach agent '{agent_id}' at {base}: {}",
                    root_cause(&e)
                ),
            )
        }
    };
    let mut resp = Response::builder().status(upstream.status().as_u16());
    for name in [
        header::CONTENT_TYPE,
        header::CONTENT_DISPOSITION,
        header::WWW_AUTHENTICATE,
        header::CACHE_CONTROL,
    ] {
        if let Some(v) = upstream.headers().get(&name) {
            resp = resp.header(name, v.clone());
        }
    }
    resp.body(Body::from_stream(upstream.bytes_stream()))
        .unwrap_or_else(|_| StatusCode::BAD_GATEWAY.into_response())
}

/// The innermost cause of an error (reqwest's own text is "error sending
/// request"; the cause says "Connection refused").
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}
