//! Task status updates: the instance's state, start time, Mesos health and
//! addresses follow the update; terminal states remove the instance,
//! record the app's last failure and grow its launch backoff (not for kills
//! we asked for); the events of §9 (docs/marathon.md) are published. Pure
//! on [`State`]; the session persists, acknowledges and kills.

use crate::marathon::core::{now_ms, Instance, State, TaskFailure};
use crate::wire::agent_v1::V1TaskStatus;
use crate::wire::marathon::{AppDefinition, EventKind, IpAddress, MarathonEvent, PathId};
use crate::wire::task::TaskState;

use super::plan::{def_of, KillOrder, KillReason};

/// An event stamped now.
pub fn event(kind: EventKind) -> MarathonEvent {
    MarathonEvent {
        kind,
        timestamp: crate::datetime::iso_millis(now_ms()),
    }
}

/// What one update leads to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub events: Vec<EventKind>,
    /// The instance changed: persist it.
    pub save: Option<Instance>,
    /// The instance ended: delete it from the store.
    pub delete: Option<String>,
    /// A task nobody knows, still alive: kill it.
    pub kill: Option<KillOrder>,
}

/// Marathon's instance condition for a Mesos state (`instance_changed_event`).
pub fn condition(state: &str, reason: Option<&str>) -> &'static str {
    match state {
        "TASK_STAGING" => "Staging",
        "TASK_STARTING" => "Starting",
        "TASK_RUNNING" => "Running",
        "TASK_KILLING" => "Killing",
        "TASK_FINISHED" => "Finished",
        "TASK_FAILED" => "Failed",
        "TASK_KILLED" => "Killed",
        "TASK_ERROR" => "Error",
        "TASK_DROPPED" => "Dropped",
        "TASK_UNREACHABLE" => "Unreachable",
        "TASK_GONE" | "TASK_GONE_BY_OPERATOR" => "Gone",
        "TASK_LOST" => match reason {
            Some(
                "REASON_RECONCILIATION"
                | "REASON_AGENT_DISCONNECTED"
                | "REASON_AGENT_REMOVED"
                | "REASON_MASTER_DISCONNECTED",
            ) => "Unreachable",
            _ => "Gone",
        },
        _ => "Unknown",
    }
}

/// Ends the instance (terminal for Mesos, or unknown to the master).
pub fn ends_instance(state: &TaskState) -> bool {
    state.is_terminal() || *state == TaskState::TaskUnknown
}

/// Counts as a failure of the app for its backoff (§7.5): failed, errored,
/// finished (a service must not end) or dropped, when we did not ask for
/// the kill.
fn grows_backoff(state: &TaskState) -> bool {
    matches!(
        state,
        TaskState::Failed | TaskState::Error | TaskState::Finished | TaskState::Dropped
    )
}

/// Recorded as `lastTaskFailure`.
fn is_failure(state: &TaskState) -> bool {
    !matches!(
        state,
        TaskState::Killed | TaskState::Finished | TaskState::Killing
    ) && ends_instance(state)
}

/// Grow `app`'s launch delay after a failure (through
/// [`crate::marathon::backoff::Backoff`]: `backoffSeconds`, times
/// `backoffFactor` for every further failure, at most
/// `maxLaunchDelaySeconds`, back to the start after a quiet period of the
/// current delay + `maxLaunchDelaySeconds`).
pub fn bump_backoff(state: &mut State, app: &PathId, def: Option<&AppDefinition>, now: i64) {
    let fallback;
    let def = match def {
        Some(d) => d,
        None => {
            fallback = AppDefinition::new(app.clone());
            &fallback
        }
    };
    state
        .delays
        .entry(app.clone())
        .or_default()
        .delay_after_failure(def, now);
}

/// The IP addresses of the update's container.
fn ips(status: &V1TaskStatus) -> Vec<String> {
    status
        .container_status
        .iter()
        .flat_map(|c| &c.network_infos)
        .flat_map(|n| &n.ip_addresses)
        .filter_map(|a| a.ip_address.clone())
        .collect()
}

/// The `status_update_event` of an instance.
pub fn status_event(inst: &Instance, message: &str) -> EventKind {
    EventKind::StatusUpdateEvent {
        slave_id: inst.agent_id.clone(),
        task_id: inst.task_id.clone(),
        task_status: inst.state.clone(),
        message: message.to_string(),
        app_id: inst.app_id.clone(),
        host: inst.hostname.clone(),
        ip_addresses: inst
            .ip_addresses
            .iter()
            .map(|ip| IpAddress::of(ip))
            .collect(),
        ports: inst.host_ports.clone(),
        version: inst.app_version.clone(),
    }
}

/// The `instance_changed_event` of an instance.
pub fn instance_event(inst: &Instance, condition: &str) -> EventKind {
    EventKind::InstanceChangedEvent {
        instance_id: inst.task_id.clone(),
        condition: condition.to_string(),
        run_spec_id: inst.app_id.clone(),
        agent_id: inst.agent_id.clone(),
        host: inst.hostname.clone(),
        run_spec_version: inst.app_version.clone(),
    }
}

/// Apply one update to the state.
pub fn apply(state: &mut State, status: &V1TaskStatus, now: i64) -> Outcome {
    let mut out = Outcome::default();
    let tid = status.task_id.value.as_str();
    let st = &status.state;
    let name = st.as_str().to_string();
    let reason = status.reason.as_deref();
    let message = status.message.clone().unwrap_or_default();
    let Some(inst) = state.instances.get_mut(tid) else {
        if !ends_instance(st) && *st != TaskState::Unreachable {
            out.kill = Some(KillOrder {
                task_id: tid.to_string(),
                agent_id: status
                    .agent_id
                    .as_ref()
                    .map(|a| a.value.clone())
                    .unwrap_or_default(),
                grace_seconds: None,
                reason: KillReason::Scaling,
            });
        }
        return out;
    };
    let before = inst.clone();
    let old_condition = condition(&inst.state, None);
    inst.state = name.clone();
    if inst.agent_id.is_empty() {
        if let Some(a) = &status.agent_id {
            inst.agent_id = a.value.clone();
        }
    }
    if *st == TaskState::Running && inst.started_at_ms.is_none() {
        let ts = (status.timestamp * 1000.0) as i64;
        inst.started_at_ms = Some(if ts > 0 { ts } else { now });
    }
    if status.healthy.is_some() {
        inst.mesos_healthy = status.healthy;
    }
    let ip = ips(status);
    if !ip.is_empty() {
        inst.ip_addresses = ip;
    }
    if *st == TaskState::Unreachable {
        if inst.unreachable_since_ms.is_none() {
            inst.unreachable_since_ms = Some(now);
        }
    } else {
        inst.unreachable_since_ms = None;
    }
    let new_condition = condition(&name, reason);
    if before.state != inst.state {
        out.events.push(status_event(inst, &message));
    }
    if old_condition != new_condition {
        out.events.push(instance_event(inst, new_condition));
    }
    if before.mesos_healthy != inst.mesos_healthy {
        out.events.push(EventKind::InstanceHealthChangedEvent {
            instance_id: inst.task_id.clone(),
            run_spec_id: inst.app_id.clone(),
            healthy: inst.mesos_healthy,
            run_spec_version: inst.app_version.clone(),
        });
    }
    if ends_instance(st) {
        let inst = state.instances.remove(tid).expect("present");
        let def = def_of(state, &inst).cloned();
        if !inst.kill_requested {
            if is_failure(st) {
                state.last_failures.insert(
                    inst.app_id.clone(),
                    TaskFailure {
                        task_id: inst.task_id.clone(),
                        state: name.clone(),
                        message: message.clone(),
                        host: inst.hostname.clone(),
                        agent_id: inst.agent_id.clone(),
                        version: inst.app_version.clone(),
                        timestamp_ms: now,
                    },
                );
            }
            if grows_backoff(st) {
                bump_backoff(state, &inst.app_id, def.as_ref(), now);
            }
        }
        out.delete = Some(inst.task_id);
    } else if before != *inst && !matches!(st, TaskState::Starting | TaskState::Killing) {
        // Passing states are not worth a write: reconciliation brings them
        // back after a restart.
        out.save = Some(inst.clone());
    }
    out
}
