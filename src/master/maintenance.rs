//! Maintenance (docs/wire-notes.md#maintenance): the schedule, machines
//! brought down and up, the cluster status, with real Mesos' validation
//! and messages. v0: `/master/maintenance/schedule` (GET, POST),
//! `/master/maintenance/status` (GET), `/master/machine/down` and
//! `/master/machine/up` (POST); v1: GET_MAINTENANCE_STATUS,
//! GET_MAINTENANCE_SCHEDULE, UPDATE_MAINTENANCE_SCHEDULE,
//! START_MAINTENANCE, STOP_MAINTENANCE.
//!
//! Modes: a machine in the schedule is DRAINING (its agents' offers carry
//! the `unavailability`, frameworks running tasks there get inverse
//! offers); `machine/down` makes it DOWN (its agents are removed and may
//! not register again); `machine/up` returns it to UP and takes it out of
//! the schedule. The operations work on `MasterState` and know nothing of
//! HTTP; the handlers below only parse, call and answer.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::http::{call_response, text, Json};
use super::policy::{self, Mode};
use super::state::{MasterState, Shared};
use crate::wire::maintenance::{ClusterStatus, DrainingMachine, MachineId, Schedule};

/// After a policy change applied under the lock: record the (in-memory)
/// registry store in the registrar metrics. The registrar, when it
/// persists, records its own stores and overrides the size.
pub fn policy_stored(st: &mut MasterState, began: Instant) {
    let size = st.policy.size_bytes();
    st.counters.registrar.stored(began.elapsed(), size);
}
/// Why agents are removed when their machine goes down (real Mesos' text).
pub const DOWN_REASON: &str = "Operator initiated 'Machine DOWN'";

// ---------------------------------------------------------------------------
// Validation (real Mesos' rules and messages)

fn validate_machine(id: &MachineId) -> Result<(), String> {
    if id.hostname.is_none() && id.ip.is_none() {
        return Err("Both 'hostname' and 'ip' for a machine are empty".into());
    }
    if let Some(ip) = &id.ip {
        if ip.parse::<Ipv4Addr>().is_err() {
            return Err(format!("Failed to parse IP address '{ip}'"));
        }
    }
    Ok(())
}

/// A list of machines: not empty, each valid, none twice.
pub fn validate_machines(ids: &[MachineId]) -> Result<(), String> {
    if ids.is_empty() {
        return Err("List of machines is empty".into());
    }
    let mut seen = BTreeSet::new();
    for id in ids {
        validate_machine(id)?;
        if !seen.insert(id) {
            return Err(format!(
                "Machine '{id}' appears more than once in the schedule"
            ));
        }
    }
    Ok(())
}

/// A new schedule: windows with machines and a non-negative duration, each
/// machine once, and every DOWN machine still in it.
pub fn validate_schedule(schedule: &Schedule, policy: &policy::Policy) -> Result<(), String> {
    let mut updated = BTreeSet::new();
    for w in &schedule.windows {
        if w.machine_ids.is_empty() {
            return Err("List of machines in the maintenance window is empty".into());
        }
        if w.unavailability.duration.is_some_and(|d| d.nanoseconds < 0) {
            return Err("Unavailability 'duration' is negative".into());
        }
        for id in &w.machine_ids {
            validate_machine(id)?;
            if !updated.insert(id) {
                return Err(format!(
                    "Machine '{id}' appears more than once in the schedule"
                ));
            }
        }
    }
    if let Some(down) = policy.down.iter().find(|d| !updated.contains(d)) {
        return Err(format!(
            "Machine '{down}' is deactivated and cannot be removed from the schedule"
        ));
    }
    Ok(())
}

fn normalize(schedule: &mut Schedule) {
    for w in &mut schedule.windows {
        for id in &mut w.machine_ids {
            *id = std::mem::take(id).normalized();
        }
    }
}

// ---------------------------------------------------------------------------
// Operations on the master state

/// Replace the schedule. Machines that leave it stop draining.
pub fn update_schedule(st: &mut MasterState, mut schedule: Schedule) -> Result<(), String> {
    let began = Instant::now();
    normalize(&mut schedule);
    validate_schedule(&schedule, &st.policy)?;
    let before: Vec<(MachineId, Option<_>)> = st
        .policy
        .scheduled()
        .map(|id| (id.clone(), st.policy.unavailability(id)))
        .collect();
    st.policy.schedule = schedule;
    for (id, _) in &before {
        if st.policy.mode(id) == Mode::Up {
            super::inverse::forget_machine(st, id);
        }
    }
    // As real Mesos: the outstanding offers of agents whose unavailability
    // changed are rescinded, so frameworks learn of it at once.
    let changed: Vec<MachineId> = st
        .policy
        .scheduled()
        .filter(|id| {
            let was = before.iter().find(|(b, _)| b == *id).and_then(|(_, u)| *u);
            was != st.policy.unavailability(id)
        })
        .cloned()
        .chain(
            before
                .iter()
                .filter(|(id, _)| st.policy.mode(id) == Mode::Up)
                .map(|(id, _)| id.clone()),
        )
        .collect();
    let agents: Vec<String> = st
        .agents
        .values()
        .filter(|a| changed.contains(&MachineId::of_agent(&a.hostname, &a.ip)))
        .map(|a| a.id.clone())
        .collect();
    for a in agents {
        super::core::rescind_agent_offers(st, &a);
    }
    for id in &changed {
        super::inverse::rescind_machine(st, id);
    }
    policy_stored(st, began);
    crate::info!(
        "Updated the maintenance schedule: {} machine(s) in {} window(s)",
        st.policy.scheduled().count(),
        st.policy.schedule.windows.len()
    );
    Ok(())
}

/// The machines of a START/STOP_MAINTENANCE call, normalized, when each is
/// valid and in mode `want` (else real Mesos' error for the first that is
/// not: not scheduled at all, or in the other maintenance mode).
fn machines_in(
    st: &MasterState,
    ids: Vec<MachineId>,
    want: Mode,
    want_name: &str,
    action: &str,
) -> Result<Vec<MachineId>, String> {
    let ids: Vec<MachineId> = ids.into_iter().map(MachineId::normalized).collect();
    validate_machines(&ids)?;
    for id in &ids {
        match st.policy.mode(id) {
            Mode::Up => {
                return Err(format!(
                    "Machine '{id}' is not part of a maintenance schedule"
                ))
            }
            m if m != want => {
                return Err(format!(
                    "Machine '{id}' is not in {want_name} mode and cannot be {action}"
                ))
            }
            _ => {}
        }
    }
    Ok(ids)
}

/// Bring machines down; returns the agents to remove (those on them).
pub fn start_maintenance(st: &mut MasterState, ids: Vec<MachineId>) -> Result<Vec<String>, String> {
    let began = Instant::now();
    let ids = machines_in(st, ids, Mode::Draining, "DRAINING", "brought down")?;
    for id in &ids {
        st.policy.down.insert(id.clone());
        super::inverse::forget_machine(st, id);
    }
    policy_stored(st, began);
    let agents = st
        .agents
        .values()
        .filter(|a| ids.contains(&MachineId::of_agent(&a.hostname, &a.ip)))
        .map(|a| a.id.clone())
        .collect();
    Ok(agents)
}

/// Bring DOWN machines back up and out of the schedule.
pub fn stop_maintenance(st: &mut MasterState, ids: Vec<MachineId>) -> Result<(), String> {
    let began = Instant::now();
    let ids = machines_in(st, ids, Mode::Down, "DOWN", "brought up")?;
    for id in &ids {
        st.policy.down.remove(id);
    }
    for w in &mut st.policy.schedule.windows {
        w.machine_ids.retain(|m| !ids.contains(m));
    }
    st.policy
        .schedule
        .windows
        .retain(|w| !w.machine_ids.is_empty());
    policy_stored(st, began);
    Ok(())
}

/// The cluster status: draining machines (schedule order) with the
/// frameworks' answers, and the down machines.
pub fn status(st: &MasterState) -> ClusterStatus {
    let draining_machines = st
        .policy
        .scheduled()
        .filter(|id| !st.policy.down.contains(id))
        .map(|id| DrainingMachine {
            id: id.clone(),
            statuses: st
                .inverse
                .statuses
                .get(id)
                .map(|m| m.values().cloned().collect())
                .unwrap_or_default(),
        })
        .collect();
    ClusterStatus {
        draining_machines,
        down_machines: st.policy.down.iter().cloned().collect(),
    }
}

/// `r`, after writing the registry when the change was made. The state
/// lock must be released: bind the result of a call made with `m.lock()`
/// before passing it here (a temporary guard lives to the end of its
/// statement).
fn persisted<T>(m: &Shared, r: Result<T, String>) -> Result<T, String> {
    if r.is_ok() {
        super::registrar::persist(m);
    }
    r
}

/// [`start_maintenance`], then remove the machines' agents (their tasks
/// are lost, as real Mesos' agent removal reports them).
pub fn bring_down(m: &Shared, ids: Vec<MachineId>) -> Result<(), String> {
    let agents = start_maintenance(&mut m.lock(), ids);
    let agents = persisted(m, agents)?;
    for agent_id in agents {
        // Real Mesos sends the agent a ShutdownMessage: here, every
        // framework with tasks there is shut down on the agent.
        let frameworks: Vec<String> = {
            let mut st = m.lock();
            st.counters.messages.slave_removals_reason_registered += 1;
            st.frameworks
                .values()
                .filter(|f| f.tasks.values().any(|t| t.agent_id == agent_id))
                .map(|f| f.id.clone())
                .collect()
        };
        for fid in frameworks {
            super::core::send_to_agent(
                m,
                &agent_id,
                crate::daemon::proto::paths::SHUTDOWN_FRAMEWORK,
                serde_json::to_value(crate::daemon::proto::ShutdownFramework { framework_id: fid })
                    .unwrap_or_default(),
            );
        }
        super::core::remove_agent(m, &agent_id, DOWN_REASON);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// v0 handlers

fn method_not_allowed(allowed: &[&str], got: &Method) -> Response {
    let quoted: Vec<String> = allowed.iter().map(|a| format!("'{a}'")).collect();
    Response::builder()
        .status(StatusCode::METHOD_NOT_ALLOWED)
        .header(header::ALLOW, allowed.join(", "))
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(format!(
            "Expecting one of {{ {} }}, but received '{got}'",
            quoted.join(", ")
        )))
        .unwrap_or_default()
}

/// The body as `T` (400 with the parse
/// error otherwise).
async fn parse_body<T: serde::de::DeserializeOwned>(req: Request) -> Result<T, Response> {
    let body = axum::body::to_bytes(req.into_body(), super::validation::MAX_BODY_BYTES)
        .await
        .map_err(|e| {
            text(
                StatusCode::BAD_REQUEST,
                format!("Failed to read the request body: {e}"),
            )
        })?;
    serde_json::from_slice(&body).map_err(|e| text(StatusCode::BAD_REQUEST, e.to_string()))
}

fn ok_or_400(r: Result<(), String>) -> Response {
    match r {
        Ok(()) => StatusCode::OK.into_response(),
        Err(e) => text(StatusCode::BAD_REQUEST, e),
    }
}

/// `/master/maintenance/schedule`: GET the schedule, POST a new one.
pub async fn schedule(State(m): State<Shared>, req: Request) -> Response {
    let r = schedule_now(&m, req).await;
    // A change answers once it is in the registry.
    super::registrar::flushed(&m).await;
    r
}

async fn schedule_now(m: &Shared, req: Request) -> Response {
    let m = m.clone();
    match *req.method() {
        Method::GET => Json(m.lock().policy.schedule.clone()).into_response(),
        Method::POST => match parse_body::<Schedule>(req).await {
            Ok(s) => {
                let r = update_schedule(&mut m.lock(), s);
                let r = persisted(&m, r);
                m.allocate.notify_one();
                ok_or_400(r)
            }
            Err(r) => r,
        },
        ref other => method_not_allowed(&["GET", "POST"], other),
    }
}

/// `GET /master/maintenance/status`
pub async fn status_v0(State(m): State<Shared>, req: Request) -> Response {
    if req.method() != Method::GET {
        return method_not_allowed(&["GET"], req.method());
    }
    Json(status(&m.lock())).into_response()
}

/// `POST /master/machine/down` with a JSON array of machine ids.
pub async fn machine_down(State(m): State<Shared>, req: Request) -> Response {
    let r = machine_down_now(&m, req).await;
    // A change answers once it is in the registry.
    super::registrar::flushed(&m).await;
    r
}

async fn machine_down_now(m: &Shared, req: Request) -> Response {
    let m = m.clone();
    if req.method() != Method::POST {
        return method_not_allowed(&["POST"], req.method());
    }
    match parse_body::<Vec<MachineId>>(req).await {
        Ok(ids) => ok_or_400(bring_down(&m, ids)),
        Err(r) => r,
    }
}

/// `POST /master/machine/up` with a JSON array of machine ids.
pub async fn machine_up(State(m): State<Shared>, req: Request) -> Response {
    let r = machine_up_now(&m, req).await;
    // A change answers once it is in the registry.
    super::registrar::flushed(&m).await;
    r
}

async fn machine_up_now(m: &Shared, req: Request) -> Response {
    let m = m.clone();
    if req.method() != Method::POST {
        return method_not_allowed(&["POST"], req.method());
    }
    match parse_body::<Vec<MachineId>>(req).await {
        Ok(ids) => {
            let r = stop_maintenance(&mut m.lock(), ids);
            ok_or_400(persisted(&m, r))
        }
        Err(r) => r,
    }
}

// ---------------------------------------------------------------------------
// v1 operator calls

#[derive(Serialize)]
struct GetStatus {
    status: ClusterStatus,
}

#[derive(Serialize)]
struct GetSchedule {
    schedule: Schedule,
}

#[derive(Deserialize)]
struct UpdateCall {
    schedule: Schedule,
}

#[derive(Deserialize)]
struct MachinesCall {
    #[serde(default)]
    machines: Vec<MachineId>,
}

/// The call's sub-message `key` as `T`; the `400` text (real Mesos'
/// wording) when it is missing or does not convert.
pub fn sub_message<T: serde::de::DeserializeOwned>(call: &Value, key: &str) -> Result<T, String> {
    match call.get(key) {
        None | Some(Value::Null) => Err(format!(
            "Failed to validate master::Call: Expecting '{key}' to be present"
        )),
        Some(v) => serde_json::from_value(v.clone())
            .map_err(|e| format!("Failed to convert JSON into Call protobuf: {key}: {e}")),
    }
}

/// The maintenance calls of the v1 operator API; `None` for other calls.
pub fn operator_call(m: &Shared, ty: &'static str, call: &Value) -> Option<Response> {
    let done = |r: Result<(), String>| {
        m.allocate.notify_one();
        ok_or_400(r)
    };
    Some(match ty {
        "GET_MAINTENANCE_STATUS" => call_response(
            ty,
            GetStatus {
                status: status(&m.lock()),
            },
        ),
        "GET_MAINTENANCE_SCHEDULE" => call_response(
            ty,
            GetSchedule {
                schedule: m.lock().policy.schedule.clone(),
            },
        ),
        "UPDATE_MAINTENANCE_SCHEDULE" => {
            match sub_message::<UpdateCall>(call, "update_maintenance_schedule") {
                Ok(c) => {
                    let r = update_schedule(&mut m.lock(), c.schedule);
                    done(persisted(m, r))
                }
                Err(e) => text(StatusCode::BAD_REQUEST, e),
            }
        }
        "START_MAINTENANCE" => match sub_message::<MachinesCall>(call, "start_maintenance") {
            Ok(c) => done(bring_down(m, c.machines)),
            Err(e) => text(StatusCode::BAD_REQUEST, e),
        },
        "STOP_MAINTENANCE" => match sub_message::<MachinesCall>(call, "stop_maintenance") {
            Ok(c) => {
                let r = stop_maintenance(&mut m.lock(), c.machines);
                done(persisted(m, r))
            }
            Err(e) => text(StatusCode::BAD_REQUEST, e),
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::maintenance::{Unavailability, Window};

    fn machine(h: &str, ip: &str) -> MachineId {
        MachineId::of_agent(h, ip)
    }

    fn sched(ids: &[MachineId]) -> Schedule {
        Schedule {
            windows: vec![Window {
                machine_ids: ids.to_vec(),
                unavailability: Unavailability::default(),
            }],
        }
    }

    #[test]
    fn validation_messages_are_real_mesos_ones() {
        let p = policy::Policy::default();
        let a = machine("a", "10.0.0.1");
        assert_eq!(
            validate_schedule(&sched(&[a.clone(), a.clone()]), &p).unwrap_err(),
            r#"Machine '{"hostname":"a","ip":"10.0.0.1"}' appears more than once in the schedule"#
        );
        assert_eq!(
            validate_schedule(&sched(&[]), &p).unwrap_err(),
            "List of machines in the maintenance window is empty"
        );
        assert_eq!(
            validate_machines(&[MachineId::default()]).unwrap_err(),
            "Both 'hostname' and 'ip' for a machine are empty"
        );
        assert_eq!(
            validate_machines(&[]).unwrap_err(),
            "List of machines is empty"
        );
        let mut neg = sched(&[a]);
        neg.windows[0].unavailability.duration =
            Some(crate::wire::maintenance::DurationInfo { nanoseconds: -1 });
        assert_eq!(
            validate_schedule(&neg, &p).unwrap_err(),
            "Unavailability 'duration' is negative"
        );
    }
}
