//! v0 endpoints of the agent (docs/wire-notes.md#agent-endpoints): each
//! handler asks the core or `render` for a typed value and returns it.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::error::{Error, Json};
use crate::agent::core::Agent;
use crate::agent::monitor::{live_containers, LiveContainer};
use crate::agent::{metrics, render};
use crate::daemon::httputil;
use crate::wire::agent::{AgentFlags, AgentState, ContainerizerDebug, MonitorEntry};
use crate::wire::Version;

type Shared = State<Arc<Agent>>;

/// `/slave(1)/state`
pub async fn state(State(agent): Shared) -> Json<AgentState> {
    Json(render::state_v0(&agent))
}

/// `/slave(1)/flags`
pub async fn flags(State(agent): Shared) -> Json<AgentFlags> {
    Json(render::flags(&agent))
}

/// `/slave(1)/health`: an empty 200.
pub async fn health() -> Response {
    httputil::text(StatusCode::OK, "")
}

/// `/version`
pub async fn version() -> Json<Version> {
    Json(render::version())
}

/// `/slave(1)/containerizer/debug`: no containerizer operation is ever
/// pending for long here.
pub async fn containerizer_debug() -> Json<ContainerizerDebug> {
    Json(ContainerizerDebug::default())
}

/// `/metrics/snapshot`
pub async fn metrics(State(agent): Shared) -> Json<BTreeMap<String, f64>> {
    Json(metrics::snapshot(&agent))
}

async fn containers_now(agent: &Arc<Agent>) -> Vec<LiveContainer> {
    let a = agent.clone();
    tokio::task::spawn_blocking(move || live_containers(&a))
        .await
        .unwrap_or_default()
}

fn entry(c: &LiveContainer, with_container: bool) -> MonitorEntry {
    MonitorEntry {
        framework_id: c.framework_id.clone(),
        executor_id: c.executor_id.clone(),
        executor_name: c.executor_name.clone(),
        source: c.source.clone(),
        container_id: with_container.then(|| c.container_id.clone()),
        status: with_container.then(|| c.container_status()),
        statistics: c.statistics.clone(),
    }
}

/// `/slave(1)/monitor/statistics`
pub async fn statistics(State(agent): Shared) -> Json<Vec<MonitorEntry>> {
    let list = containers_now(&agent).await;
    Json(list.iter().map(|c| entry(c, false)).collect())
}

/// Query of `/slave(1)/containers`.
#[derive(Debug, Default, Deserialize)]
pub struct ContainersQuery {
    container_id: Option<String>,
    framework_id: Option<String>,
    executor_id: Option<String>,
}

/// `/slave(1)/containers[?container_id=|framework_id=[&executor_id=]]`
pub async fn containers(
    State(agent): Shared,
    q: Result<Query<ContainersQuery>, QueryRejection>,
) -> Result<Json<Vec<MonitorEntry>>, Error> {
    let Query(q) = q.map_err(|e| Error::BadRequest(format!("{e}\n")))?;
    let ok = matches!(
        (&q.container_id, &q.framework_id, &q.executor_id),
        (None, None, None)
            | (Some(_), None, None)
            | (None, Some(_), None)
            | (None, Some(_), Some(_))
    );
    if !ok {
        return Err(Error::BadRequest(
            "Expecting no query parameter, 'container_id' alone, 'framework_id' alone, or 'framework_id' with 'executor_id'\n".into(),
        ));
    }
    let list = containers_now(&agent).await;
    let matches = |want: &Option<String>, got: &str| want.as_deref().is_none_or(|w| w == got);
    Ok(Json(
        list.iter()
            .filter(|c| matches(&q.container_id, &c.container_id))
            .filter(|c| matches(&q.framework_id, &c.framework_id))
            .filter(|c| matches(&q.executor_id, &c.executor_id))
            .map(|c| entry(c, true))
            .collect(),
    ))
}
