//! The v1 executor API calls (`POST /slave(1)/api/v1/executor`), without
//! HTTP: SUBSCRIBE (the event stream of a custom executor: SUBSCRIBED, then
//! whatever was queued for it), UPDATE (a task status into the same
//! checkpointed, reliably delivered status update streams command tasks
//! use), MESSAGE (to the scheduler, through the master) and HEARTBEAT.
//! Validation follows real agents: unknown framework or executor -> 400,
//! a call other than SUBSCRIBE from an executor that has not subscribed ->
//! 403.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use base64::Engine as _;
use tokio::sync::mpsc;

use super::events;
use crate::agent::core::Agent;
use crate::agent::render;
use crate::daemon::now_secs;
use crate::wire::agent_v1::{ContainerId, ContainerStatus, Id};
use crate::wire::executor::{Call, Event, Subscribed, Update};
use crate::wire::TaskState;

/// Why a call was refused (the handler maps these to status codes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallError {
    /// 400
    BadRequest(String),
    /// 403
    Forbidden(String),
}

fn bad(m: impl Into<String>) -> CallError {
    CallError::BadRequest(m.into())
}

/// Numbers subscriptions, so that a replaced connection does not clear
/// its successor.
static CONNECTIONS: AtomicU64 = AtomicU64::new(1);

/// The checks every call passes: required fields, a known type.
pub fn validate(call: &Call) -> Result<(), CallError> {
    let mut missing = Vec::new();
    if call.executor_id.value.is_empty() {
        missing.push("executor_id");
    }
    if call.framework_id.value.is_empty() {
        missing.push("framework_id");
    }
    if !missing.is_empty() {
        return Err(bad(format!(
            "Failed to convert JSON into Call protobuf: Missing required fields: {}",
            missing.join(", ")
        )));
    }
    match call.kind.as_str() {
        "" => Err(bad("Expecting 'type' to be present")),
        "SUBSCRIBE" | "UPDATE" | "MESSAGE" | "HEARTBEAT" => Ok(()),
        other => Err(bad(format!(
            "Failed to validate executor::Call: Unknown call type '{other}'"
        ))),
    }
}

/// An open subscription: its number and its events.
pub struct Subscription {
    pub id: u64,
    pub events: mpsc::UnboundedReceiver<Event>,
}

/// SUBSCRIBE: the executor's event stream (SUBSCRIBED first, then the
/// queued events). A second subscription replaces the first. The
/// `unacknowledged_updates` it carries that the agent does not know (it
/// lost them in a restart) are recorded and delivered like new updates;
/// queued launches of tasks it already has are not sent again.
pub fn subscribe(agent: &Arc<Agent>, call: &Call) -> Result<Subscription, CallError> {
    let fid = &call.framework_id.value;
    let eid = &call.executor_id.value;
    let sub = call.subscribe.clone().unwrap_or_default();
    let agent_info = serde_json::to_value(render::agent_info_v1(agent)).unwrap_or_default();
    let id = CONNECTIONS.fetch_add(1, Ordering::Relaxed);
    let (tx, rx) = mpsc::unbounded_channel();
    {
        let mut st = agent.lock();
        let Some(fw) = st.frameworks.get_mut(fid) else {
            return Err(bad("Framework cannot be found"));
        };
        let framework_info = fw.info.clone();
        let Some(e) = fw.executors.get_mut(eid) else {
            return Err(bad("Executor cannot be found"));
        };
        if !e.is_live() {
            return Err(bad("Executor has terminated"));
        }
        let container_id = ContainerId::new(&e.container_id);
        let info = e.info.clone();
        let Some(c) = e.custom.as_mut() else {
            return Err(bad("Executor cannot be found"));
        };
        let _ = tx.send(Event {
            kind: "SUBSCRIBED".into(),
            subscribed: Some(Subscribed {
                executor_info: info,
                framework_info,
                agent_info,
                container_id: Some(container_id),
            }),
            ..Event::default()
        });
        let known: Vec<&str> = sub
            .unacknowledged_tasks
            .iter()
            .map(|t| t.task_id.value.as_str())
            .collect();
        for ev in c.queued.drain(..) {
            let has = ev
                .launch
                .as_ref()
                .is_some_and(|l| known.contains(&l.task.task_id.value.as_str()));
            if !has {
                let _ = tx.send(ev);
            }
        }
        if c.shutting_down {
            let _ = tx.send(Event::bare("SHUTDOWN"));
        }
        let replaced = c.conn.replace((id, tx)).is_some();
        c.subscribed = true;
        crate::info!(
            "Executor {eid} of framework {fid} {}subscribed",
            if replaced { "re-" } else { "" }
        );
    }
    for u in sub.unacknowledged_updates {
        if let Err(e) = record_update(agent, fid, eid, u, true) {
            crate::warning!("Ignoring an unacknowledged update of executor {eid}: {e:?}");
        }
    }
    Ok(Subscription { id, events: rx })
}

/// The subscription `id` ended (the executor disconnected): later events
/// are queued until it subscribes again.
pub fn disconnected(agent: &Agent, fid: &str, eid: &str, id: u64) {
    let mut st = agent.lock();
    if let Some(c) = st.executor_mut(fid, eid).and_then(|e| e.custom.as_mut()) {
        if c.conn.as_ref().is_some_and(|(n, _)| *n == id) {
            c.conn = None;
            crate::info!("Executor {eid} of framework {fid} disconnected");
        }
    }
}

/// The executor of a call, which must have subscribed.
fn check_subscribed(agent: &Agent, call: &Call) -> Result<(), CallError> {
    let st = agent.lock();
    let Some(fw) = st.frameworks.get(&call.framework_id.value) else {
        return Err(bad("Framework cannot be found"));
    };
    let Some(e) = fw.executors.get(&call.executor_id.value) else {
        return Err(bad("Executor cannot be found"));
    };
    match e.custom.as_ref() {
        None => Err(bad("Executor cannot be found")),
        Some(c) if !c.subscribed => Err(CallError::Forbidden("Executor is not subscribed".into())),
        Some(_) => Ok(()),
    }
}

/// UPDATE.
pub fn update(agent: &Arc<Agent>, call: &Call) -> Result<(), CallError> {
    check_subscribed(agent, call)?;
    let u = call
        .update
        .clone()
        .ok_or_else(|| bad("Expecting 'update' to be present"))?;
    record_update(
        agent,
        &call.framework_id.value,
        &call.executor_id.value,
        u,
        false,
    )
}

/// A task status from an executor (UPDATE, or an unacknowledged update of
/// a SUBSCRIBE): validated, stamped as the executor's, recorded once.
fn record_update(
    agent: &Arc<Agent>,
    fid: &str,
    eid: &str,
    u: Update,
    resent: bool,
) -> Result<(), CallError> {
    let mut status = u.status;
    let tid = status.task_id.value.clone();
    if tid.is_empty() {
        return Err(bad("Expecting 'task_id' to be present"));
    }
    let uuid = status
        .uuid
        .clone()
        .ok_or_else(|| bad("Expecting 'uuid' to be present"))?;
    let valid = base64::engine::general_purpose::STANDARD
        .decode(&uuid)
        .is_ok_and(|b| b.len() == 16);
    if !valid {
        return Err(bad(format!("'uuid' {uuid} is not a valid UUID")));
    }
    if status.state == TaskState::Staging {
        return Err(bad("Received TASK_STAGING from executor"));
    }
    {
        let st = agent.lock();
        let e = st
            .executor(fid, eid)
            .ok_or_else(|| bad("Executor cannot be found"))?;
        let Some(t) = e.task_by_id(&tid) else {
            return Err(bad(format!(
                "Task {tid} is unknown to executor {eid} of framework {fid}"
            )));
        };
        if t.statuses.iter().any(|s| s.uuid.as_deref() == Some(&uuid)) {
            // Already recorded (a resent update): the stream has it.
            return Ok(());
        }
        if t.state.is_terminal() && t.terminal_acked {
            return Ok(());
        }
        status.agent_id = Some(Id::new(&t.agent_id));
        status.executor_id = Some(Id::new(eid));
        if status.container_status.is_none() {
            status.container_status = Some(ContainerStatus::ipv4(
                &e.container_id,
                &agent.cfg.advertise_ip,
                e.executor_pid,
            ));
        }
    }
    status.source = Some("SOURCE_EXECUTOR".into());
    if status.timestamp <= 0.0 {
        status.timestamp = now_secs();
    }
    if resent {
        crate::info!(
            "Recording status update {uuid} of task {tid} resent by executor {eid} when it subscribed"
        );
    }
    agent.emit(fid, &tid, status);
    Ok(())
}

/// MESSAGE: to the scheduler (through the master).
pub fn message(agent: &Arc<Agent>, call: &Call) -> Result<(), CallError> {
    check_subscribed(agent, call)?;
    let m = call
        .message
        .clone()
        .ok_or_else(|| bad("Expecting 'message' to be present"))?;
    events::executor_message(
        agent,
        &call.framework_id.value,
        &call.executor_id.value,
        m.data,
    );
    Ok(())
}

/// HEARTBEAT.
pub fn heartbeat(agent: &Arc<Agent>, call: &Call) -> Result<(), CallError> {
    check_subscribed(agent, call)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(v: serde_json::Value) -> Call {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn calls_are_validated_as_mesos_does() {
        let ids =
            serde_json::json!({"executor_id": {"value": "e"}, "framework_id": {"value": "f"}});
        let mut c = ids.clone();
        c["type"] = "SUBSCRIBE".into();
        assert_eq!(validate(&call(c)), Ok(()));
        assert_eq!(
            validate(&call(ids.clone())),
            Err(bad("Expecting 'type' to be present"))
        );
        let mut c = ids;
        c["type"] = "LAUNCH".into();
        assert!(
            matches!(validate(&call(c)), Err(CallError::BadRequest(m)) if m.contains("'LAUNCH'"))
        );
        let c = call(serde_json::json!({"type": "UPDATE", "framework_id": {"value": "f"}}));
        assert_eq!(
            validate(&c),
            Err(bad(
                "Failed to convert JSON into Call protobuf: Missing required fields: executor_id"
            ))
        );
    }
}
