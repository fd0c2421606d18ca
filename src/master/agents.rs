//! The agent side of the internal protocol (docs/internal-protocol.md):
//! registration, pings, status updates in; run/kill/ack/shutdown out. Also
//! agent health checking and removal.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

use super::core::{apply_status, call_agent, master_status, remove_agent};
use super::http::MasterError;
use super::render;
use super::state::{now_secs, AgentEntry, MasterState, Shared, TaskEntry};
use crate::daemon::ids::validate_id;
use crate::daemon::peer_addr;
use crate::daemon::proto::{self, session, RegisterRequest, RegisterResponse};
use crate::resources::{attributes_from_wire, Resources};
use crate::wire::agent_v1::V1Task;
use crate::wire::internal::{Acknowledge, FrameworkRef, ShutdownFramework};
use crate::wire::operator::Event;

/// How often agents ping.
pub const PING_INTERVAL_SECS: f64 = 1.0;

fn bad_request(msg: impl Into<String>) -> Response {
    MasterError::bad_request(msg).into_response()
}

/// The parsed body of an internal call (only the leader gets here: route
/// layer), or 400 for a body that does not parse.
#[allow(clippy::result_large_err)]
pub(super) fn parse_body<T: serde::de::DeserializeOwned>(
    body: &[u8],
    what: &str,
) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| bad_request(format!("Failed to parse {what}: {e}")))
}

/// A refused internal call: logged with the peer address, answered 403.
pub(super) fn refuse(ext: &Extensions, what: &str, agent_id: &str) -> Response {
    crate::warning!(
        "Refused {what} from {} claiming agent {agent_id}: missing or wrong session token",
        peer_addr(ext)
    );
    MasterError::Forbidden("Missing or wrong agent session token; re-register".into())
        .into_response()
}

/// `POST /master/internal/register`
pub async fn register(
    State(m): State<Shared>,
    headers: HeaderMap,
    ext: Extensions,
    body: Bytes,
) -> Response {
    let req: RegisterRequest = match parse_body(&body, "registration") {
        Ok(v) => v,
        Err(r) => return r,
    };
    {
        let msgs = &mut m.lock().counters.messages;
        if req.agent_id.as_deref().is_some_and(|id| !id.is_empty()) {
            msgs.reregister_slave += 1;
        } else {
            msgs.register_slave += 1;
        }
    }
    if let Some(store) = m.agent_credentials.get() {
        let who = req.credential.as_ref().map(|c| c.principal.clone());
        if !req.credential.as_ref().is_some_and(|c| c.is_in(store)) {
            crate::warning!(
                "Refused the registration of agent {}:{} from {}: {} (--authenticate_agents)",
                req.ip,
                req.port,
                peer_addr(&ext),
                match &who {
                    Some(p) => format!("wrong credential for principal '{p}'"),
                    None => "no credential".into(),
                }
            );
            return MasterError::Unauthorized(
                "Agent authentication failed: this master requires a valid --credential (--authenticate_agents)".into(),
            )
            .into_response();
        }
    }
    if let Some(id) = req.agent_id.as_deref().filter(|id| !id.is_empty()) {
        if let Err(e) = validate_id("Agent ID", id) {
            return bad_request(format!("Invalid registration: {e}"));
        }
    }
    let total = match Resources::from_wire(&req.resources) {
        Ok(r) => r,
        Err(e) => return bad_request(format!("Invalid agent resources: {e}")),
    };
    let attributes = attributes_from_wire(&req.attributes);
    let Admitted {
        resp,
        event,
        missing,
    } = match admit(&m, &req, &headers, &ext, total, attributes) {
        Ok(v) => v,
        Err(r) => return r,
    };
    // Admitted once the registry holds it (as in Mesos, the agent hears
    // back only after the registry write).
    super::registrar::persist_and_wait(&m).await;
    m.emit(event);
    for (fid, status) in missing {
        apply_status(&m, &fid, &resp.agent_id, status);
    }
    m.allocate.notify_one();
    json_ok(&resp)
}

/// What admitting an agent produced.
struct Admitted {
    /// The answer to the agent.
    resp: RegisterResponse,
    /// The AGENT_ADDED operator event.
    event: Event,
    /// (framework id, TaskStatus) of tasks the agent no longer has.
    missing: Vec<(String, crate::wire::agent_v1::V1TaskStatus)>,
}

/// Admit a (re-)registering agent into the state: the registration's
/// answer, the operator event, and the updates for tasks it no longer has.
#[allow(clippy::result_large_err)]
fn admit(
    m: &Shared,
    req: &RegisterRequest,
    headers: &HeaderMap,
    ext: &Extensions,
    total: Resources,
    attributes: Vec<crate::resources::Attribute>,
) -> Result<Admitted, Response> {
    let mut st = m.lock();
    if let Some(why) = st.policy.refuses_agent(&req.hostname, &req.ip) {
        drop(st);
        crate::warning!(
            "Refusing registration of agent at {}:{}: {why}",
            req.ip,
            req.port
        );
        return Err(MasterError::Forbidden(why).into_response());
    }
    let now = now_secs();
    let reregister = req.agent_id.clone();
    let id = match &reregister {
        Some(id) if !id.is_empty() => id.clone(),
        _ => st.new_agent_id(),
    };
    let known = st.agents.contains_key(&id);
    // A registration that proves it holds the agent's current token keeps
    // it (calls in flight stay valid); any other gets a fresh one, which
    // invalidates the old token.
    let presented = session::from_headers(headers);
    let session_token = match st
        .agents
        .get(&id)
        .filter(|a| a.session_token.presented_in(headers))
    {
        Some(a) => a.session_token.clone(),
        None => match session::Token::generate() {
            Ok(t) => t,
            Err(e) => {
                crate::error!("Cannot register agent {id}: {e}");
                return Err(MasterError::Internal(e.to_string()).into_response());
            }
        },
    };
    if known
        && presented.is_some()
        && st.agents.get(&id).map(|a| &a.session_token) != Some(&session_token)
    {
        crate::warning!(
            "Agent {id} re-registered from {} with a stale session token; issued a new one",
            peer_addr(ext)
        );
    }
    // Tasks the agent runs: adopt the ones this master does not know
    // (master failover), and recompute allocation from the agent's view.
    let mut allocated = Resources::new();
    for fw in &req.frameworks {
        adopt_framework(&mut st, fw, now);
    }
    for t in &req.tasks {
        if let Some(task) = task_from_agent(t, &id) {
            if !super::state::is_terminal(&task.state) {
                allocated.add(&task.resources);
            }
            if let Some(fw) = st.frameworks.get_mut(&task.framework_id) {
                fw.tasks
                    .entry(task.id.clone())
                    .or_insert_with(|| std::sync::Arc::new(task));
            }
        }
    }
    allocated.add(&recover_executors(&mut st, req, &id));
    // Tasks this master placed on the agent that the re-registering agent
    // does not report are gone (e.g. lost with the agent's checkpoint):
    // TASK_LOST, or TASK_DROPPED for partition-aware frameworks. Their
    // resources count until the update below releases them.
    let mut missing = Vec::new();
    if reregister.is_some() {
        let reported: HashSet<(&str, &str)> = req
            .tasks
            .iter()
            .map(|t| (t.framework_id.value.as_str(), t.task_id.value.as_str()))
            .collect();
        for fw in st.frameworks.values() {
            let state = if fw.partition_aware() {
                "TASK_DROPPED"
            } else {
                "TASK_LOST"
            };
            for t in fw.tasks.values().filter(|t| {
                t.agent_id == id
                    && !super::state::is_terminal(&t.state)
                    && !reported.contains(&(fw.id.as_str(), t.id.as_str()))
            }) {
                allocated.add(&t.resources);
                let status = master_status(
                    &t.id,
                    &id,
                    state,
                    "REASON_RECONCILIATION",
                    "Task is unknown to the agent",
                );
                missing.push((fw.id.clone(), status));
            }
        }
    }
    let entry = AgentEntry {
        id: id.clone(),
        hostname: req.hostname.clone(),
        ip: req.ip.clone(),
        port: req.port,
        version: req.version.clone(),
        capabilities: req.capabilities.clone(),
        total,
        attributes,
        registered_time: st.agents.get(&id).map(|a| a.registered_time).unwrap_or(now),
        reregistered_time: reregister.as_ref().map(|_| now),
        active: true,
        last_ping: Instant::now(),
        allocated,
        offered: Resources::new(),
        session_token: session_token.clone(),
    };
    // Offers outstanding on a re-registering agent are rescinded.
    if known {
        super::core::rescind_agent_offers(&mut st, &id);
    }
    st.removed_agents.remove(&id);
    st.registry.unreachable_since.remove(&id);
    let recovered = st.registry.recovered_agents.remove(&id).is_some();
    if reregister.is_some() {
        st.counters.agent_reregistrations += 1;
        crate::info!(
            "Re-registered agent {id} at {}:{} ({}){}",
            req.ip,
            req.port,
            req.hostname,
            if recovered {
                " after master failover"
            } else {
                ""
            }
        );
    } else {
        st.counters.agent_registrations += 1;
        crate::info!(
            "Registered agent {id} at {}:{} ({})",
            req.ip,
            req.port,
            req.hostname
        );
    }
    let event = Event::agent_added(render::agent_v1(&entry));
    st.agents.insert(id.clone(), entry);
    let resp = RegisterResponse {
        agent_id: id,
        master_id: st.id.clone(),
        ping_interval_secs: PING_INTERVAL_SECS,
        master_info: render::master_info_json(&st),
        session_token: session_token.as_str().to_string(),
    };
    Ok(Admitted {
        resp,
        event,
        missing,
    })
}

fn json_ok<T: Serialize>(v: &T) -> Response {
    (
        StatusCode::OK,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        serde_json::to_string(v).unwrap_or_default(),
    )
        .into_response()
}

/// A framework reported by a re-registering agent that this master does not
/// know yet (after a failover): keep it as a disconnected framework so that
/// the scheduler can re-subscribe with its id.
fn adopt_framework(st: &mut MasterState, info: &Value, now: f64) {
    let Some(id) = FrameworkRef::id_of(info) else {
        return;
    };
    let id = id.as_str();
    if let Err(e) = validate_id("Framework ID", id) {
        crate::warning!("Ignoring a framework reported by an agent: {e}");
        return;
    }
    if st.frameworks.contains_key(id) {
        return;
    }
    let mut fw = super::core::framework_from_json(id, info, now, false);
    // Recovered until its scheduler re-subscribes; as in Mesos, no failover
    // timer runs for it meanwhile (its tasks keep running).
    fw.recovered = true;
    fw.disconnected_at = None;
    st.frameworks.insert(id.to_string(), fw);
}

/// The executors a (re-)registering agent runs, after its tasks were
/// adopted: the ones it reports (`RegisterRequest.executors`), and the ones
/// this master knew on it that a reported live task still names (an agent
/// that does not list executors); others on the agent are forgotten. The
/// resources of those kept (to add to the agent's allocation).
fn recover_executors(st: &mut MasterState, req: &RegisterRequest, agent_id: &str) -> Resources {
    let mut named: HashSet<(String, String)> = HashSet::new();
    for t in &req.tasks {
        let live = !t.state.is_terminal();
        let fid = &t.framework_id.value;
        let eid = t.executor_id.as_ref().map(|e| e.value.clone()).or_else(|| {
            st.frameworks
                .get(fid)
                .and_then(|f| f.tasks.get(&t.task_id.value))
                .map(|x| x.executor_id.clone())
                .filter(|e| !e.is_empty())
        });
        if let (true, Some(eid)) = (live, eid) {
            named.insert((fid.clone(), eid));
        }
    }
    let mut reported = Vec::new();
    for e in &req.executors {
        let Some(fid) = e.framework_id.as_ref().map(|f| f.value.clone()) else {
            continue;
        };
        let valid = validate_id("Framework ID", &fid)
            .and_then(|_| validate_id("Executor ID", &e.executor_id.value));
        if let Err(err) = valid {
            crate::warning!("Ignoring an executor reported by agent {agent_id}: {err}");
            continue;
        }
        let Ok(resources) = Resources::from_wire(&e.resources) else {
            continue;
        };
        let role = e
            .resources
            .iter()
            .find_map(|r| r.allocation_info.as_ref().map(|a| a.role.clone()))
            .unwrap_or_else(|| "*".into());
        reported.push((
            fid,
            super::state::ExecutorEntry {
                agent_id: agent_id.to_string(),
                info: e.clone(),
                resources,
                role,
            },
        ));
    }
    let mut used = Resources::new();
    for fw in st.frameworks.values_mut() {
        let fid = fw.id.clone();
        fw.executors
            .retain(|(a, eid), _| a != agent_id || named.contains(&(fid.clone(), eid.clone())));
        for ((a, _), e) in &fw.executors {
            if a == agent_id {
                used.add(&e.resources);
            }
        }
    }
    for (fid, e) in reported {
        let Some(fw) = st.frameworks.get_mut(&fid) else {
            continue;
        };
        let key = (agent_id.to_string(), e.id().to_string());
        if let Some(old) = fw.executors.insert(key, e.clone()) {
            used.subtract(&old.resources);
        }
        used.add(&e.resources);
    }
    used
}

/// Build a master TaskEntry from an agent-reported v1 Task.
fn task_from_agent(t: &V1Task, agent_id: &str) -> Option<TaskEntry> {
    let id = t.task_id.value.clone();
    let framework_id = t.framework_id.value.clone();
    if id.is_empty() || framework_id.is_empty() {
        return None;
    }
    let valid =
        validate_id("Task ID", &id).and_then(|_| validate_id("Framework ID", &framework_id));
    if let Err(e) = valid {
        crate::warning!("Ignoring a task reported by agent {agent_id}: {e}");
        return None;
    }
    let resources = Resources::from_wire(&t.resources).ok()?;
    let role = t
        .resources
        .first()
        .and_then(|r| r.allocation_info.as_ref())
        .map(|a| a.role.clone())
        .unwrap_or_else(|| "*".to_string());
    let statuses = t.statuses.clone();
    let info = super::state::prune_task_info(&serde_json::to_value(t).ok()?);
    let state = match t.state.as_str() {
        "" => "TASK_STAGING".to_string(),
        s => s.to_string(),
    };
    Some(TaskEntry {
        name: if t.name.is_empty() {
            id.clone()
        } else {
            t.name.clone()
        },
        id,
        framework_id,
        agent_id: agent_id.to_string(),
        // Command tasks have none (their executor is their own).
        executor_id: t
            .executor_id
            .as_ref()
            .map(|e| e.value.clone())
            .unwrap_or_default(),
        state,
        resources,
        role,
        statuses,
        info,
        status_update_state: None,
        status_update_uuid: None,
    })
}

/// `POST /master/internal/ping`
pub async fn ping(
    State(m): State<Shared>,
    headers: HeaderMap,
    ext: Extensions,
    body: Bytes,
) -> Response {
    let p: proto::Ping = match parse_body(&body, "ping") {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut st = m.lock();
    // `last_ping` is not rendered: pings leave the cached state bodies valid.
    match st.unrendered().agents.get_mut(&p.agent_id) {
        Some(a) if !a.session_token.presented_in(&headers) => {
            drop(st);
            refuse(&ext, "a ping", &p.agent_id)
        }
        Some(a) => {
            a.last_ping = Instant::now();
            StatusCode::OK.into_response()
        }
        None => MasterError::NotFound("Unknown agent; re-register".into()).into_response(),
    }
}

/// `POST /master/internal/status_update`
pub async fn status_update(
    State(m): State<Shared>,
    headers: HeaderMap,
    ext: Extensions,
    body: Bytes,
) -> Response {
    let u: proto::StatusUpdate = match parse_body(&body, "status update") {
        Ok(v) => v,
        Err(r) => return r,
    };
    m.lock().counters.messages.status_update += 1;
    let task_id = u.status.task_id.value.clone();
    let uuid = u.status.uuid.clone();
    let known_framework = {
        let mut st = m.lock();
        match st.agents.get(&u.agent_id) {
            None => {
                return MasterError::NotFound("Unknown agent; re-register".into()).into_response()
            }
            Some(a) if !a.session_token.presented_in(&headers) => {
                drop(st);
                return refuse(&ext, "a status update", &u.agent_id);
            }
            Some(_) => {}
        }
        // An agent speaks only for its own tasks.
        let claimed = u.status.agent_id.as_ref().map(|a| a.value.as_str());
        let placed = st
            .frameworks
            .get(&u.framework_id)
            .and_then(|f| {
                f.tasks
                    .get(&task_id)
                    .or_else(|| f.unreachable_tasks.get(&task_id))
            })
            .map(|t| t.agent_id.as_str());
        if claimed.is_some_and(|c| c != u.agent_id) || placed.is_some_and(|p| p != u.agent_id) {
            st.counters.invalid_status_updates += 1;
            drop(st);
            crate::warning!(
                "Refused a status update for task {task_id} from {}: agent {} does not run it",
                peer_addr(&ext),
                u.agent_id
            );
            return MasterError::Forbidden(
                "The status update is for a task of another agent".into(),
            )
            .into_response();
        }
        // An agent resends an update until it is acknowledged: a repeat
        // (same uuid) is answered like the first and forwarded again (the
        // scheduler may have missed it), but not counted twice.
        if !is_repeat(&st, &u.framework_id, &task_id, uuid.as_deref()) {
            st.counters.status_updates += 1;
        }
        st.frameworks.contains_key(&u.framework_id)
    };
    if !known_framework {
        // The framework is gone: acknowledge on its behalf so the agent
        // stops retrying, and tell the agent to forget the framework.
        if let Some(uuid) = uuid {
            let ack = Acknowledge {
                framework_id: u.framework_id.clone(),
                task_id,
                uuid,
            };
            call_agent(&m, &u.agent_id, &ack);
        }
        let shutdown = ShutdownFramework {
            framework_id: u.framework_id.clone(),
        };
        call_agent(&m, &u.agent_id, &shutdown);
        return StatusCode::ACCEPTED.into_response();
    }
    apply_status(&m, &u.framework_id, &u.agent_id, u.status);
    StatusCode::ACCEPTED.into_response()
}

/// Whether the master has already recorded the update `uuid` of a task
/// (active, unreachable or completed).
fn is_repeat(st: &MasterState, fid: &str, tid: &str, uuid: Option<&str>) -> bool {
    let (Some(uuid), Some(fw)) = (uuid, st.frameworks.get(fid)) else {
        return false;
    };
    let carries =
        |t: &std::sync::Arc<TaskEntry>| t.statuses.iter().any(|s| s.uuid.as_deref() == Some(uuid));
    fw.tasks
        .get(tid)
        .or_else(|| fw.unreachable_tasks.get(tid))
        .map(carries)
        .unwrap_or_else(|| {
            fw.completed_tasks
                .iter()
                .rev()
                .any(|t| t.id == tid && carries(t))
        })
}

/// Periodically remove agents that stopped pinging, and mark disconnected
/// the ones whose connection dropped.
///
/// Real Mesos marks an agent disconnected (`active: false`) as soon as its
/// libprocess connection closes, long before the ping timeout removes it.
/// Our agents talk HTTP, so the equivalent is probed: an active agent that
/// missed [`DISCONNECT_AFTER_PINGS`] pings has its endpoint tried; a refused
/// (or failed) TCP connection means its process is gone, and the agent is
/// [disconnected](disconnect_agent). An agent that merely stopped answering
/// (the connection still opens) stays active, as in Mesos. A disconnected
/// agent is active again when it pings or re-registers.
pub fn spawn_health_checks(m: Shared) {
    let timeout = m
        .flags
        .duration("agent_ping_timeout")
        .unwrap_or(Duration::from_secs(15));
    let max = m.flags.int("max_agent_ping_timeouts").unwrap_or(5).max(1) as u32;
    let limit = timeout * max;
    let silent_after = Duration::from_secs_f64(PING_INTERVAL_SECS * DISCONNECT_AFTER_PINGS);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(500).min(timeout));
        // Agents this loop disconnected, and when.
        let mut disconnected: std::collections::HashMap<String, Instant> = Default::default();
        loop {
            tick.tick().await;
            let (stale, silent) = {
                let mut st = m.lock();
                if !st.leading() {
                    continue;
                }
                disconnected.retain(|id, _| st.agents.contains_key(id));
                for a in st.agents.values_mut() {
                    let back = disconnected
                        .get(&a.id)
                        .is_some_and(|at| a.last_ping > *at || a.active);
                    if back {
                        disconnected.remove(&a.id);
                        if !a.active {
                            crate::info!("Agent {} reconnected", a.id);
                            a.active = true;
                            m.allocate.notify_one();
                        }
                    }
                }
                let stale: Vec<String> = st
                    .agents
                    .values()
                    .filter(|a| a.last_ping.elapsed() > limit)
                    .map(|a| a.id.clone())
                    .collect();
                let silent: Vec<(String, String)> = st
                    .agents
                    .values()
                    .filter(|a| a.active && a.last_ping.elapsed() > silent_after)
                    .map(|a| (a.id.clone(), format!("{}:{}", a.ip, a.port)))
                    .collect();
                (stale, silent)
            };
            for id in stale {
                m.lock().counters.messages.slave_unreachable_completed += 1;
                remove_agent(
                    &m,
                    &id,
                    &format!(
                        "no ping for {}",
                        crate::duration::format_mesos_duration(limit)
                    ),
                );
            }
            let probes = silent.into_iter().map(|(id, addr)| async move {
                let probe = tokio::time::timeout(
                    Duration::from_secs(1),
                    tokio::net::TcpStream::connect(addr),
                )
                .await;
                // A timeout is not a closed connection: keep waiting.
                (id, matches!(probe, Ok(Err(_))))
            });
            for (id, gone) in futures_util::future::join_all(probes).await {
                if gone {
                    disconnected.insert(id.clone(), Instant::now());
                    disconnect_agent(&m, &id);
                }
            }
        }
    });
}

/// Missed pings after which an agent's endpoint is probed.
pub const DISCONNECT_AFTER_PINGS: f64 = 2.5;

/// Mark an agent disconnected, as Mesos does when its connection drops: it
/// is deactivated (`active: false`, no more offers), its outstanding offers
/// are rescinded, and the tasks of frameworks that do not checkpoint are
/// lost with it (TASK_LOST, REASON_SLAVE_DISCONNECTED), their executors
/// forgotten. The agent stays
/// registered until the ping timeout removes it.
fn disconnect_agent(m: &Shared, agent_id: &str) {
    let mut lost = Vec::new();
    {
        let mut st = m.lock();
        let Some(a) = st.agents.get_mut(agent_id) else {
            return;
        };
        let silent_after = Duration::from_secs_f64(PING_INTERVAL_SECS * DISCONNECT_AFTER_PINGS);
        if !a.active || a.last_ping.elapsed() <= silent_after {
            return; // it came back (re-registered) meanwhile
        }
        a.active = false;
        let hostname = a.hostname.clone();
        crate::warning!(
            "Agent {agent_id} ({hostname}) disconnected: its endpoint refuses connections"
        );
        super::core::rescind_agent_offers(&mut st, agent_id);
        // The executors of frameworks that do not checkpoint go with it.
        let gone: Vec<(String, String)> = st
            .frameworks
            .values()
            .filter(|f| !f.checkpoint)
            .flat_map(|f| {
                f.executors
                    .values()
                    .filter(|e| e.agent_id == agent_id)
                    .map(|e| (f.id.clone(), e.id().to_string()))
            })
            .collect();
        for (fid, eid) in gone {
            super::core::executors::remove_executor(&mut st, &fid, agent_id, &eid);
        }
        for fw in st.frameworks.values().filter(|f| !f.checkpoint) {
            for t in fw
                .tasks
                .values()
                .filter(|t| t.agent_id == agent_id && !super::state::is_terminal(&t.state))
            {
                let status = master_status(
                    &t.id,
                    agent_id,
                    "TASK_LOST",
                    "REASON_SLAVE_DISCONNECTED",
                    &format!("Agent {hostname} disconnected"),
                );
                lost.push((fw.id.clone(), status));
            }
        }
    }
    for (fid, status) in lost {
        apply_status(m, &fid, agent_id, status);
    }
    m.allocate.notify_one();
}

#[cfg(test)]
#[path = "idempotent_tests.rs"]
mod idempotent_tests;

#[cfg(test)]
#[path = "agents_executor_tests.rs"]
mod executor_tests;
