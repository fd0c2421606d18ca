//! HTTP routes of the agent: v0 endpoints
//! (docs/wire-notes.md#agent-endpoints), the v1 operator API, the files API
//! and the internal master -> agent protocol, all behind the libprocess
//! conventions of `daemon::httputil`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{any, get, post};
use axum::Router;
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value as Json};

use super::monitor;
use super::state::{id_obj, is_terminal, Agent, Phase};
use super::{api, executor, sysres, PROCESS_ID};
use crate::daemon::auth::{self, HttpAuth};
use crate::daemon::httputil::{self, query_param, Libprocess};
use crate::daemon::proto::{Acknowledge, KillTask, RunTask, ShutdownFramework};

type Shared = State<Arc<Agent>>;

/// The agent's whole HTTP app. Each route sits in the realm real Mesos
/// gives it (docs/security.md): `auth` puts the read-only and read-write
/// groups behind HTTP Basic authentication when their flags are on;
/// `/health`, `/version` and the internal protocol are never in a realm.
pub fn build(agent: Arc<Agent>, auth: &HttpAuth) -> Router {
    let readonly = Router::new()
        .route("/slave(1)/state", get(state))
        .route("/slave(1)/flags", get(flags))
        .route("/slave(1)/monitor/statistics", get(statistics))
        .route("/slave(1)/containers", get(containers))
        .route("/slave(1)/containerizer/debug", get(containerizer_debug))
        .route("/metrics/snapshot", get(metrics))
        .with_state(agent.clone())
        .merge(agent.files.router());
    let readwrite = Router::new()
        .route("/slave(1)/api/v1", post(api::handle))
        .route("/logging/toggle", any(logging_toggle))
        .with_state(agent.clone());
    let open = Router::new()
        .route("/slave(1)/health", any(health))
        .route("/version", get(version))
        .with_state(agent.clone())
        .merge(internal_routes(agent));
    let routes = open
        .merge(auth.protect(auth::AGENT_READONLY, readonly))
        .merge(auth.protect(auth::AGENT_READWRITE, readwrite));
    Libprocess::new(PROCESS_ID).wrap(routes)
}

/// The master -> agent half of the internal protocol: in no HTTP realm, but
/// behind the session token check.
fn internal_routes(agent: Arc<Agent>) -> Router {
    Router::new()
        .route("/slave(1)/internal/run_task", post(run_task))
        .route("/slave(1)/internal/kill_task", post(kill_task))
        .route("/slave(1)/internal/acknowledge", post(acknowledge))
        .route(
            "/slave(1)/internal/shutdown_framework",
            post(shutdown_framework),
        )
        .route_layer(middleware::from_fn_with_state(
            agent.clone(),
            require_master,
        ))
        .with_state(agent)
}

/// Acts on an internal call only when it carries the session token of the
/// agent's current registration, i.e. comes from the master that accepted
/// it (docs/internal-protocol.md). Refusals are logged with the peer.
async fn require_master(State(agent): Shared, req: Request, next: Next) -> Response {
    if agent.from_current_master(req.headers()) {
        return next.run(req).await;
    }
    crate::warning!(
        "Refused {} from {}: not the master this agent is registered with (missing or wrong session token)",
        req.uri().path(),
        crate::daemon::peer_addr(req.extensions())
    );
    httputil::text(
        StatusCode::FORBIDDEN,
        "This agent accepts internal calls only from the master it is registered with\n",
    )
}

async fn state(State(agent): Shared) -> Response {
    httputil::json(&agent.state_v0())
}

async fn flags(State(agent): Shared) -> Response {
    httputil::json(&json!({ "flags": agent.flags_json() }))
}

async fn health() -> Response {
    httputil::text(StatusCode::OK, "")
}

async fn version() -> Response {
    httputil::json(&super::state::version_json())
}

async fn containerizer_debug() -> Response {
    httputil::json(&json!({ "pending": [] }))
}

async fn logging_toggle(RawQuery(q): RawQuery) -> Response {
    let q = q.unwrap_or_default();
    match query_param(&q, "level") {
        None => httputil::text(StatusCode::BAD_REQUEST, "Expecting 'level' in query.\n"),
        Some(l) if l.parse::<u32>().is_err() => httputil::text(
            StatusCode::BAD_REQUEST,
            format!("Failed to parse level: '{l}'\n"),
        ),
        Some(_) => httputil::text(StatusCode::OK, ""),
    }
}

/// `/metrics/snapshot` values.
pub fn metrics_map(agent: &Agent) -> BTreeMap<String, f64> {
    let st = agent.lock();
    let mut m: BTreeMap<String, f64> = BTreeMap::new();
    let mut put = |k: &str, v: f64| {
        m.insert(k.to_string(), v);
    };
    put("slave/uptime_secs", agent.started.elapsed().as_secs_f64());
    put(
        "slave/registered",
        if agent.registered().is_some() {
            1.0
        } else {
            0.0
        },
    );
    put("slave/recovery_errors", st.counters.recovery_errors as f64);
    put("slave/frameworks_active", st.frameworks.len() as f64);
    let mut counts: BTreeMap<&str, f64> = BTreeMap::new();
    let (mut running, mut terminating, mut registering) = (0.0, 0.0, 0.0);
    for f in st.frameworks.values() {
        for e in f.executors.values() {
            *counts.entry(e.task.state.as_str()).or_default() += 1.0;
            match e.phase {
                Phase::Launching => registering += 1.0,
                Phase::Running if e.killed => terminating += 1.0,
                Phase::Running => running += 1.0,
                Phase::Terminated => {}
            }
        }
    }
    let live = |s: &str| {
        if is_terminal(s) {
            0.0
        } else {
            counts.get(s).copied().unwrap_or(0.0)
        }
    };
    put("slave/tasks_staging", live("TASK_STAGING"));
    put("slave/tasks_starting", live("TASK_STARTING"));
    put("slave/tasks_running", live("TASK_RUNNING"));
    put("slave/tasks_killing", live("TASK_KILLING"));
    let c = &st.counters;
    put("slave/tasks_finished", c.tasks_finished as f64);
    put("slave/tasks_failed", c.tasks_failed as f64);
    put("slave/tasks_killed", c.tasks_killed as f64);
    put("slave/tasks_lost", c.tasks_lost as f64);
    put(
        "slave/tasks_gone",
        c.tasks_gone as f64 + c.tasks_dropped as f64,
    );
    put("slave/tasks_gone_by_operator", 0.0);
    put("slave/executors_registering", registering);
    put("slave/executors_running", running);
    put("slave/executors_terminating", terminating);
    put("slave/executors_terminated", c.executors_terminated as f64);
    put("slave/executors_preempted", 0.0);
    put("slave/valid_status_updates", c.valid_status_updates as f64);
    // Not in real Mesos: updates resent because no acknowledgement came
    // within the resend interval (agent/status.rs).
    put("slave/status_update_resends", agent.status.resends() as f64);
    put(
        "slave/invalid_status_updates",
        c.invalid_status_updates as f64,
    );
    put(
        "slave/valid_framework_messages",
        c.valid_framework_messages as f64,
    );
    put("slave/invalid_framework_messages", 0.0);
    put(
        "slave/container_launch_errors",
        c.container_launch_errors as f64,
    );
    put(
        "slave/executor_directory_max_allowed_age_secs",
        agent
            .cfg
            .flags
            .duration("gc_delay")
            .map(|d| d.as_secs_f64())
            .unwrap_or(604800.0),
    );
    let total = &agent.cfg.resources;
    let used = st.allocated();
    for r in ["cpus", "gpus", "mem", "disk"] {
        let t = total.scalar(r);
        let u = used.scalar(r);
        put(&format!("slave/{r}_total"), t);
        put(&format!("slave/{r}_used"), u);
        put(
            &format!("slave/{r}_percent"),
            if t > 0.0 { u / t } else { 0.0 },
        );
        put(&format!("slave/{r}_revocable_total"), 0.0);
        put(&format!("slave/{r}_revocable_used"), 0.0);
        put(&format!("slave/{r}_revocable_percent"), 0.0);
    }
    put("containerizer/mesos/container_destroy_errors", 0.0);
    put("containerizer/fetcher/cache_size_total_bytes", 0.0);
    put("containerizer/fetcher/cache_size_used_bytes", 0.0);
    put("containerizer/fetcher/task_fetches_succeeded", 0.0);
    put("containerizer/fetcher/task_fetches_failed", 0.0);
    put("gc/path_removals_pending", 0.0);
    put("gc/path_removals_succeeded", 0.0);
    put("gc/path_removals_failed", 0.0);
    put(
        "system/cpus_total",
        std::thread::available_parallelism()
            .map(|n| n.get() as f64)
            .unwrap_or(1.0),
    );
    if let Some((l1, l5, l15)) = sysres::load_average() {
        put("system/load_1min", l1);
        put("system/load_5min", l5);
        put("system/load_15min", l15);
    }
    if let Some(t) = sysres::total_memory() {
        put("system/mem_total_bytes", t as f64);
    }
    if let Some(f) = sysres::free_memory() {
        put("system/mem_free_bytes", f as f64);
    }
    m
}

async fn metrics(State(agent): Shared) -> Response {
    httputil::json(&serde_json::to_value(metrics_map(&agent)).unwrap_or_default())
}

/// Live executors with their usage: (framework id, executor id, name,
/// source, container id, executor pid, statistics).
pub struct LiveContainer {
    pub framework_id: String,
    pub executor_id: String,
    pub executor_name: String,
    pub source: String,
    pub container_id: String,
    pub executor_pid: Option<u32>,
    pub statistics: Json,
    pub network_ip: String,
}

/// Usage of every live executor (one /proc pass).
pub fn live_containers(agent: &Agent) -> Vec<LiveContainer> {
    let execs: Vec<super::state::Executor> = {
        let st = agent.lock();
        st.frameworks
            .values()
            .flat_map(|f| f.executors.values())
            .filter(|e| e.is_live())
            .cloned()
            .collect()
    };
    let targets: Vec<(u32, Option<u32>)> = execs
        .iter()
        .map(|e| (e.pid.unwrap_or(0), e.executor_pid))
        .collect();
    let usage = monitor::collect(&targets);
    execs
        .iter()
        .zip(usage.iter())
        .map(|(e, u)| LiveContainer {
            framework_id: e.framework_id.clone(),
            executor_id: e.id.clone(),
            executor_name: e.name.clone(),
            source: e.source.clone(),
            container_id: e.container_id.clone(),
            executor_pid: e.executor_pid,
            statistics: monitor::statistics_json(e, u),
            network_ip: agent.cfg.advertise_ip.clone(),
        })
        .collect()
}

async fn statistics(State(agent): Shared) -> Response {
    let a = agent.clone();
    let list = tokio::task::spawn_blocking(move || live_containers(&a))
        .await
        .unwrap_or_default();
    let out: Vec<Json> = list
        .into_iter()
        .map(|c| {
            json!({
                "framework_id": c.framework_id,
                "executor_id": c.executor_id,
                "executor_name": c.executor_name,
                "source": c.source,
                "statistics": c.statistics,
            })
        })
        .collect();
    httputil::json(&Json::Array(out))
}

/// v1 ContainerStatus of a live container.
pub fn container_status(c: &LiveContainer) -> Json {
    let mut o = Map::new();
    o.insert("container_id".into(), id_obj(&c.container_id));
    o.insert(
        "network_infos".into(),
        json!([{ "ip_addresses": [{ "protocol": "IPv4", "ip_address": c.network_ip }] }]),
    );
    if let Some(p) = c.executor_pid {
        o.insert("executor_pid".into(), json!(p));
    }
    Json::Object(o)
}

async fn containers(State(agent): Shared, RawQuery(q): RawQuery) -> Response {
    let q = q.unwrap_or_default();
    let cid = query_param(&q, "container_id");
    let fid = query_param(&q, "framework_id");
    let eid = query_param(&q, "executor_id");
    let ok = matches!(
        (&cid, &fid, &eid),
        (None, None, None)
            | (Some(_), None, None)
            | (None, Some(_), None)
            | (None, Some(_), Some(_))
    );
    if !ok {
        return httputil::text(
            StatusCode::BAD_REQUEST,
            "Expecting no query parameter, 'container_id' alone, 'framework_id' alone, or 'framework_id' with 'executor_id'\n",
        );
    }
    let a = agent.clone();
    let list = tokio::task::spawn_blocking(move || live_containers(&a))
        .await
        .unwrap_or_default();
    let out: Vec<Json> = list
        .iter()
        .filter(|c| cid.as_ref().is_none_or(|x| *x == c.container_id))
        .filter(|c| fid.as_ref().is_none_or(|x| *x == c.framework_id))
        .filter(|c| eid.as_ref().is_none_or(|x| *x == c.executor_id))
        .map(|c| {
            json!({
                "framework_id": c.framework_id,
                "executor_id": c.executor_id,
                "executor_name": c.executor_name,
                "source": c.source,
                "container_id": c.container_id,
                "status": container_status(c),
                "statistics": c.statistics,
            })
        })
        .collect();
    httputil::json(&Json::Array(out))
}

#[allow(clippy::result_large_err)]
fn parse_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| {
        httputil::text(
            StatusCode::BAD_REQUEST,
            format!("Failed to parse the request body: {e}\n"),
        )
    })
}

fn accepted() -> Response {
    httputil::text(StatusCode::ACCEPTED, "")
}

async fn run_task(State(agent): Shared, body: Bytes) -> Response {
    let req: RunTask = match parse_body(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    match executor::launch(&agent, req) {
        Ok(()) => accepted(),
        Err(e) => {
            crate::warning!("{e}");
            if e.contains("already known") {
                accepted()
            } else {
                httputil::text(StatusCode::BAD_REQUEST, format!("{e}\n"))
            }
        }
    }
}

async fn kill_task(State(agent): Shared, body: Bytes) -> Response {
    let req: KillTask = match parse_body(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    executor::kill(&agent, &req);
    accepted()
}

async fn acknowledge(State(agent): Shared, body: Bytes) -> Response {
    let req: Acknowledge = match parse_body(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    agent.acknowledge(&req.framework_id, &req.task_id, &req.uuid);
    accepted()
}

async fn shutdown_framework(State(agent): Shared, body: Bytes) -> Response {
    let req: ShutdownFramework = match parse_body(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    executor::shutdown_framework(&agent, &req.framework_id);
    accepted()
}
