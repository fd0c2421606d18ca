//! The DC/OS metrics API v0 on the agent's port, at the paths Admin Router
//! gives it on a DC/OS node (`/system/v1/metrics/v0/…`), and the Prometheus
//! exposition (`/metrics/prometheus`). docs/metrics.md#the-bundled-agent-as-a-metrics-source.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Serialize;

use crate::agent::core::Agent;
use crate::agent::hostmetrics::rfc3339_secs;
use crate::agent::monitor::{live_containers, LiveContainer};
use crate::agent::{dcos, metrics};
use crate::daemon::prometheus::{self, Exposition};
use crate::wire::dcos_metrics::Ping;

type Shared = State<Arc<Agent>>;

/// The path prefix of the API.
pub const PREFIX: &str = "/system/v1/metrics/v0";

/// 200 with `body` as dcos-metrics writes it (Go `json.Encoder`: a
/// trailing newline; `application/json; charset=UTF-8`).
fn json<T: Serialize>(body: &T) -> Response {
    let mut bytes = serde_json::to_vec(body).unwrap_or_default();
    bytes.push(b'\n');
    let mut r = Response::new(axum::body::Body::from(bytes));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    r
}

/// 204 without a body: nothing collected (yet).
fn no_content() -> Response {
    let mut r = Response::new(axum::body::Body::empty());
    *r.status_mut() = StatusCode::NO_CONTENT;
    r
}

async fn live(agent: &Arc<Agent>) -> Vec<LiveContainer> {
    let a = agent.clone();
    tokio::task::spawn_blocking(move || live_containers(&a))
        .await
        .unwrap_or_default()
}

/// `GET …/v0/ping`
pub async fn ping() -> Response {
    json(&Ping {
        ok: true,
        timestamp: rfc3339_secs(time::OffsetDateTime::now_utc()),
    })
}

/// `GET …/v0/node`: the latest background sample, 204 before the first.
pub async fn node(State(agent): Shared) -> Response {
    match dcos::node_message(&agent) {
        Some(m) => json(&m),
        None => no_content(),
    }
}

/// `GET …/v0/containers`: ids of the live containers (`[]` when none).
pub async fn containers(State(agent): Shared) -> Response {
    let ids: Vec<String> = live(&agent)
        .await
        .into_iter()
        .map(|c| c.container_id)
        .collect();
    json(&ids)
}

/// `GET …/v0/containers/{id}`: 204 for an unknown container.
pub async fn container(State(agent): Shared, Path(id): Path<String>) -> Response {
    let list = live(&agent).await;
    match dcos::container_message(&agent, &list, &id) {
        Some(m) => json(&m),
        None => no_content(),
    }
}

/// `GET …/v0/containers/{id}/app[/{metric}]`: always 204 — this agent
/// relays no statsd application metrics.
pub async fn app() -> Response {
    no_content()
}

/// `GET /metrics/prometheus`: the snapshot, the node sample and every live
/// container as Prometheus gauges.
pub async fn prometheus(State(agent): Shared) -> Response {
    let a = agent.clone();
    let text = tokio::task::spawn_blocking(move || {
        let mut e = Exposition::default();
        e.add_snapshot(&metrics::snapshot(&a));
        if let Some(m) = dcos::node_message(&a) {
            e.add_message(&m);
        }
        let list = live_containers(&a);
        for c in &list {
            if let Some(m) = dcos::container_message(&a, &list, &c.container_id) {
                e.add_message(&m);
            }
        }
        e.render()
    })
    .await
    .unwrap_or_default();
    prometheus::response(text)
}
