//! Task status updates: master-generated statuses, applying an update
//! (task state, counters, completed tasks, forwarding to the framework) and
//! acknowledgements.

use base64::Engine as _;
use std::sync::Arc;

use super::{call_agent, send_event};
use crate::daemon::proto;
use crate::master::state::{is_terminal, now_secs, FrameworkEntry, MasterState, Shared, TaskEntry};
use crate::wire::agent_v1::V1TaskStatus;
use crate::wire::event::Event as WireEvent;
use crate::wire::operator::{Event, Id, TaskUpdated};
use crate::wire::TaskState;

/// A master-generated TaskStatus (no uuid: not acknowledged).
pub fn master_status(
    task_id: &str,
    agent_id: &str,
    state: &str,
    reason: &str,
    message: &str,
) -> V1TaskStatus {
    V1TaskStatus {
        task_id: Id::new(task_id),
        state: TaskState::from_wire(state),
        source: Some("SOURCE_MASTER".into()),
        reason: Some(reason.into()),
        message: Some(message.into()),
        agent_id: Some(Id::new(agent_id)),
        timestamp: now_secs(),
        ..V1TaskStatus::default()
    }
}

/// Same, with a uuid (for updates the scheduler must acknowledge).
pub fn master_status_reliable(
    task_id: &str,
    agent_id: &str,
    state: &str,
    reason: &str,
    message: &str,
) -> V1TaskStatus {
    V1TaskStatus {
        uuid: Some(
            base64::engine::general_purpose::STANDARD.encode(crate::master::info::random_bytes16()),
        ),
        ..master_status(task_id, agent_id, state, reason, message)
    }
}

pub fn count_terminal(st: &mut MasterState, state: &str) {
    let c = &mut st.counters;
    match state {
        "TASK_FINISHED" => c.tasks_finished += 1,
        "TASK_FAILED" => c.tasks_failed += 1,
        "TASK_KILLED" => c.tasks_killed += 1,
        "TASK_LOST" => c.tasks_lost += 1,
        "TASK_ERROR" => c.tasks_error += 1,
        "TASK_DROPPED" => c.tasks_dropped += 1,
        "TASK_GONE" | "TASK_GONE_BY_OPERATOR" => c.tasks_gone += 1,
        _ => {}
    }
}

pub fn push_completed(st_max: usize, fw: &mut FrameworkEntry, t: impl Into<Arc<TaskEntry>>) {
    let t = t.into();
    fw.completed_tasks.push_back(t);
    while fw.completed_tasks.len() > st_max {
        fw.completed_tasks.pop_front();
    }
}

/// Record a status update for a task and forward it to the framework.
pub fn apply_status(m: &Shared, fid: &str, agent_id: &str, mut status: V1TaskStatus) {
    if status.agent_id.is_none() {
        status.agent_id = Some(Id::new(agent_id));
    }
    let state = status.state.as_str().to_string();
    let tid = status.task_id.value.clone();
    let uuid = status.uuid.clone();
    let mut freed = false;
    let mut op_event = None;
    {
        let mut st = m.lock();
        let max_completed = st.max_completed_tasks;
        let Some(fw) = st.frameworks.get_mut(fid) else {
            return;
        };
        let in_unreachable = fw.unreachable_tasks.contains_key(&tid);
        let task = if in_unreachable {
            fw.unreachable_tasks.get_mut(&tid)
        } else {
            fw.tasks.get_mut(&tid)
        }
        .map(Arc::make_mut);
        let Some(task) = task else {
            // Unknown task (e.g. already completed): still forward, so the
            // scheduler can acknowledge and the agent stops retrying.
            send_event(fw, &WireEvent::update(status));
            return;
        };
        let duplicate = uuid.is_some()
            && task
                .statuses
                .iter()
                .any(|s| s.uuid.is_some() && s.uuid == uuid);
        if !duplicate {
            let was_terminal = is_terminal(&task.state);
            task.statuses.push(status.clone());
            task.state = state.clone();
            if uuid.is_some() {
                task.status_update_state = Some(state.clone());
                task.status_update_uuid = uuid.clone();
            }
            op_event = Some(Event::TaskUpdated {
                task_updated: Box::new(TaskUpdated {
                    framework_id: Id::new(fid),
                    status: status.clone(),
                    state: status.state.clone(),
                }),
            });
            let resources = task.resources.clone();
            let now_terminal = is_terminal(&state);
            // Move between the active and unreachable maps.
            if state == "TASK_UNREACHABLE" && !in_unreachable {
                if let Some(t) = fw.tasks.remove(&tid) {
                    fw.unreachable_tasks.insert(tid.clone(), t);
                }
            } else if state != "TASK_UNREACHABLE" && in_unreachable {
                if let Some(t) = fw.unreachable_tasks.remove(&tid) {
                    fw.tasks.insert(tid.clone(), t);
                }
            }
            // Terminal updates without uuid need no acknowledgement.
            if now_terminal && uuid.is_none() {
                let t = fw
                    .tasks
                    .remove(&tid)
                    .or_else(|| fw.unreachable_tasks.remove(&tid));
                if let Some(t) = t {
                    push_completed(max_completed, fw, t);
                }
            }
            send_event(fw, &WireEvent::update(status));
            if now_terminal && !was_terminal {
                count_terminal(&mut st, &state);
                if let Some(a) = st.agents.get_mut(agent_id) {
                    a.allocated.subtract(&resources);
                }
                freed = true;
            }
        } else {
            // A retry from the agent: the scheduler has not acknowledged yet.
            send_event(fw, &WireEvent::update(status));
        }
    }
    if let Some(e) = op_event {
        m.emit(e);
    }
    if freed {
        m.allocate.notify_one();
    }
}

pub fn acknowledge(m: &Shared, fid: &str, tid: &str, uuid: &str) {
    let agent = acknowledged_on(m, fid, tid, uuid);
    let mut st = m.lock();
    // Valid when it goes on to a registered agent (as real Mesos counts it).
    let forwarded = agent.as_ref().is_some_and(|a| st.agents.contains_key(a));
    if forwarded {
        st.counters.messages.valid_status_update_acknowledgements += 1;
    } else {
        st.counters.messages.invalid_status_update_acknowledgements += 1;
    }
    drop(st);
    if let (Some(aid), true) = (agent, forwarded) {
        let ack = proto::Acknowledge {
            framework_id: fid.to_string(),
            task_id: tid.to_string(),
            uuid: uuid.to_string(),
        };
        call_agent(m, &aid, &ack);
    }
}

/// Apply an acknowledgement to the task it names: the task's agent when the
/// task is known and carries that update, else `None`.
fn acknowledged_on(m: &Shared, fid: &str, tid: &str, uuid: &str) -> Option<String> {
    let mut st = m.lock();
    let max_completed = st.max_completed_tasks;
    let fw = st.frameworks.get_mut(fid)?;
    let Some(task) = fw
        .tasks
        .get_mut(tid)
        .or_else(|| fw.unreachable_tasks.get_mut(tid))
        .map(Arc::make_mut)
    else {
        // A repeated acknowledgement of a completed task's update (the
        // agent resent it because the first forward was lost): forward it
        // again so the agent stops resending. Otherwise an unknown task
        // (acknowledgements of master-generated updates).
        return fw
            .completed_tasks
            .iter()
            .rev()
            .find(|t| t.id == tid && t.statuses.iter().any(|s| s.uuid.as_deref() == Some(uuid)))
            .map(|t| t.agent_id.clone());
    };
    let carries = task
        .statuses
        .iter()
        .any(|s| s.uuid.as_deref() == Some(uuid));
    if !carries {
        return None;
    }
    let agent = task.agent_id.clone();
    if task.status_update_uuid.as_deref() == Some(uuid) {
        task.status_update_state = None;
        task.status_update_uuid = None;
        if is_terminal(&task.state) {
            if let Some(t) = fw
                .tasks
                .remove(tid)
                .or_else(|| fw.unreachable_tasks.remove(tid))
            {
                push_completed(max_completed, fw, t);
            }
        }
    }
    Some(agent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// The JSON the master wrote with `json!` before statuses were typed.
    #[test]
    fn master_statuses_keep_their_json_shape() {
        let s = master_status("t1", "S1", "TASK_LOST", "REASON_RECONCILIATION", "gone");
        let v = serde_json::to_value(&s).unwrap();
        let ts = v["timestamp"].clone();
        assert!(ts.as_f64().unwrap() > 1.6e9, "{v}");
        assert_eq!(
            v,
            json!({"task_id": {"value": "t1"}, "state": "TASK_LOST", "source": "SOURCE_MASTER",
                "reason": "REASON_RECONCILIATION", "message": "gone",
                "agent_id": {"value": "S1"}, "timestamp": ts})
        );
        let r = master_status_reliable("t1", "", "TASK_ERROR", "REASON_TASK_INVALID", "bad");
        let uuid = r.uuid.clone().unwrap();
        assert_eq!(
            base64::engine::general_purpose::STANDARD
                .decode(&uuid)
                .unwrap()
                .len(),
            16
        );
        let e: Value = serde_json::from_str(&WireEvent::update(r).to_json()).unwrap();
        assert_eq!(e["type"], "UPDATE");
        assert_eq!(e["update"]["status"]["uuid"], uuid);
        assert_eq!(e["update"]["status"]["agent_id"], json!({"value": ""}));
        assert_eq!(e.as_object().unwrap().len(), 2, "{e}");
    }

    /// A status from an agent is forwarded with every member it had.
    #[test]
    fn agent_statuses_are_forwarded_whole() {
        let sent = json!({"task_id": {"value": "t"}, "state": "TASK_RUNNING",
            "source": "SOURCE_EXECUTOR", "agent_id": {"value": "S1"},
            "executor_id": {"value": "t"}, "timestamp": 1.5, "uuid": "AAAAAAAAAAAAAAAAAAAAAA==",
            "healthy": true, "labels": {"labels": [{"key": "k", "value": "v"}]},
            "container_status": {"container_id": {"value": "c"},
                "network_infos": [{"ip_addresses": [{"ip_address": "10.0.0.1"}]}]},
            "data": "eA==", "check_status": {"type": "COMMAND"}});
        let s: V1TaskStatus = serde_json::from_value(sent.clone()).unwrap();
        let e: Value = serde_json::from_str(&WireEvent::update(s).to_json()).unwrap();
        assert_eq!(e["update"]["status"], sent);
    }
}
