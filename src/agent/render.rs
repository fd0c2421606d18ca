//! The agent's state as typed wire values (`crate::wire`): v0
//! `/slave(1)/state` (docs/wire-notes.md#agent-state), `/slave(1)/flags`,
//! `/version`, and the v1 shapes of the agent operator API
//! (docs/wire-notes.md#agent-operator-calls). The same models are what the
//! CLI parses, so the daemon and its clients share one definition.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value as Json;

use super::config::MESOS_VERSION;
use super::core::Agent;
use super::model::{capabilities, split_reserved, Executor, Framework, State};
use crate::resources::{attributes_to_wire, attributes_v0, Resources};
use crate::wire::agent::{AgentFlags, AgentState};
use crate::wire::agent_v1::{
    AgentExecutorEntry, AgentFrameworkEntry, AgentGetExecutors, AgentGetFrameworks, AgentGetTasks,
    Id, V1AgentInfo, V1Task, V1TaskStatus,
};
use crate::wire::{
    AgentExecutor, AgentFramework, Labels, ResourceSummary, Task, TaskStatus, Version,
};

/// The v0 summary form of resources (`{"cpus": 1.0, "ports": "[..]"}`).
pub fn summary(r: &Resources) -> ResourceSummary {
    r.to_summary()
}

/// `/version` (also the version fields of `/slave(1)/state`).
pub fn version() -> Version {
    Version {
        version: MESOS_VERSION.to_string(),
        build_date: Some(build_date()),
        build_time: Some(build_time()),
        build_user: Some("mesos-rs".to_string()),
        ..Version::default()
    }
}

fn build_time() -> f64 {
    // The binary's modification time is the closest thing to a build time.
    std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as f64)
        .unwrap_or(0.0)
}

fn build_date() -> String {
    crate::datetime::date_time(build_time() as i64)
}

/// `/slave(1)/flags`.
pub fn flags(agent: &Agent) -> AgentFlags {
    AgentFlags {
        flags: agent
            .cfg
            .flags
            .all()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    }
}

/// v0 `/slave(1)/state`.
pub fn state_v0(agent: &Agent) -> AgentState {
    let st = agent.lock();
    let v = version();
    let total = &agent.cfg.resources;
    let allocated = st.allocated();
    let (reserved, unreserved) = split_reserved(total);
    let (reserved_alloc, unreserved_alloc) = split_reserved(&allocated);
    let full: BTreeMap<&String, Vec<crate::wire::Resource>> =
        reserved.iter().map(|(k, v)| (k, v.to_wire(None))).collect();
    AgentState {
        version: v.version,
        build_date: v.build_date,
        build_time: v.build_time,
        build_user: v.build_user,
        start_time: agent.start_time,
        id: st.agent_id.clone().unwrap_or_default(),
        pid: agent.cfg.pid(),
        hostname: agent.cfg.hostname.clone(),
        capabilities: capabilities().into_iter().map(str::to_string).collect(),
        resources: summary(total),
        reserved_resources: reserved
            .iter()
            .map(|(k, v)| (k.clone(), summary(v)))
            .collect(),
        unreserved_resources: summary(&unreserved),
        reserved_resources_full: serde_json::to_value(full).ok(),
        unreserved_resources_full: serde_json::to_value(unreserved.to_wire(None)).ok(),
        reserved_resources_allocated: reserved_alloc
            .iter()
            .map(|(k, v)| (k.clone(), summary(v)))
            .collect(),
        unreserved_resources_allocated: summary(&unreserved_alloc),
        attributes: attributes_v0(&agent.cfg.attributes).into_iter().collect(),
        master_hostname: st.master_hostname.clone(),
        log_dir: agent.cfg.flags.string("log_dir"),
        flags: flags(agent).flags,
        frameworks: st.frameworks.values().map(framework_v0).collect(),
        completed_frameworks: st
            .completed_frameworks
            .iter()
            .rev()
            .map(framework_v0)
            .collect(),
        ..AgentState::default()
    }
}

fn framework_v0(f: &Framework) -> AgentFramework {
    let info = &f.parsed;
    let roles = f.roles();
    let multi = f.has_capability("MULTI_ROLE");
    AgentFramework {
        id: f.id.clone(),
        name: info.name.clone(),
        user: info.user.clone(),
        failover_timeout: info.failover_timeout,
        checkpoint: info.checkpoint,
        hostname: info.hostname.clone().unwrap_or_default(),
        principal: info.principal.clone(),
        role: (!multi).then(|| roles.first().cloned().unwrap_or_else(|| "*".into())),
        roles: if multi { roles } else { Vec::new() },
        capabilities: info.capabilities.clone(),
        executors: f.executors.values().map(executor_v0).collect(),
        completed_executors: f
            .completed_executors
            .iter()
            .rev()
            .map(executor_v0)
            .collect(),
    }
}

fn executor_v0(e: &Executor) -> AgentExecutor {
    let (mut tasks, mut completed) = (vec![], vec![]);
    for t in e.tasks() {
        if t.state.is_terminal() {
            completed.push(task_v0_of(e, t));
        } else {
            tasks.push(task_v0_of(e, t));
        }
    }
    let res = if e.is_live() {
        e.allocated()
    } else {
        e.overhead.clone()
    };
    AgentExecutor {
        id: e.id.clone(),
        name: e.name.clone(),
        source: e.source.clone(),
        container: e.container_id.clone(),
        directory: e.directory.to_string_lossy().into_owned(),
        resources: summary(&res),
        role: Some(e.task.role.clone()),
        labels: Labels::default(),
        executor_type: Some(e.info.kind.clone().unwrap_or_else(|| "CUSTOM".into())),
        tasks,
        queued_tasks: Vec::new(),
        completed_tasks: completed,
    }
}

/// Master-style v0 Task of the executor's first task.
pub fn task_v0(e: &Executor) -> Task {
    task_v0_of(e, &e.task)
}

/// Master-style v0 Task of task `t` of `e` (`executor_id` only for a
/// custom executor's tasks, as Mesos).
pub fn task_v0_of(e: &Executor, t: &super::model::Task) -> Task {
    let info = &t.info;
    Task {
        id: t.id.clone(),
        name: t.name.clone(),
        framework_id: e.framework_id.clone(),
        executor_id: if e.is_custom() {
            e.id.clone()
        } else {
            String::new()
        },
        slave_id: t.agent_id.clone(),
        state: t.state.clone(),
        resources: summary(&t.resources),
        role: Some(t.role.clone()),
        statuses: t.statuses.iter().map(status_lite).collect(),
        user: info.command.as_ref().and_then(|c| c.user.clone()),
        labels: labels_of(info.labels.as_ref()),
        discovery: info.discovery.clone(),
        container: info.container.clone(),
        health_check: info
            .health_check
            .as_ref()
            .and_then(|h| serde_json::to_value(h).ok()),
        ..Task::default()
    }
}

/// The v0 labels of a v1 `{"labels": [..]}` message (kept verbatim in the
/// TaskInfo and TaskStatus).
pub fn labels_of(v: Option<&Json>) -> Labels {
    v.and_then(|v| Labels::deserialize(v).ok())
        .unwrap_or_default()
}

/// v0 TaskStatus-lite: state, timestamp, labels?, container_status?, healthy?.
pub fn status_lite(s: &V1TaskStatus) -> TaskStatus {
    TaskStatus {
        state: s.state.clone(),
        timestamp: s.timestamp,
        labels: labels_of(s.labels.as_ref()),
        container_status: s
            .container_status
            .as_ref()
            .and_then(|c| serde_json::to_value(c).ok()),
        healthy: s.healthy,
        ..TaskStatus::default()
    }
}

/// v1 Task of the executor's first task.
pub fn task_v1(e: &Executor) -> V1Task {
    task_v1_of(e, &e.task)
}

/// v1 Task of task `t` of `e` (agent operator API, re-registration).
pub fn task_v1_of(e: &Executor, t: &super::model::Task) -> V1Task {
    let info = &t.info;
    let last = t.statuses.last();
    V1Task {
        name: t.name.clone(),
        task_id: Id::new(&t.id),
        framework_id: Id::new(&e.framework_id),
        executor_id: e.is_custom().then(|| Id::new(&e.id)),
        agent_id: Id::new(&t.agent_id),
        state: t.state.clone(),
        resources: info.resources.clone(),
        statuses: t.statuses.clone(),
        status_update_state: last.map(|s| s.state.clone()),
        status_update_uuid: last.and_then(|s| s.uuid.clone()),
        labels: info.labels.clone(),
        discovery: info.discovery.clone(),
        container: info.container.clone(),
        health_check: info.health_check.clone(),
        kill_policy: info.kill_policy.clone(),
        user: info.command.as_ref().and_then(|c| c.user.clone()),
    }
}

/// v1 AgentInfo.
pub fn agent_info_v1(agent: &Agent) -> V1AgentInfo {
    V1AgentInfo {
        hostname: agent.cfg.hostname.clone(),
        port: agent.cfg.advertise_port,
        resources: agent.cfg.resources.to_wire(None),
        attributes: attributes_to_wire(&agent.cfg.attributes),
        id: agent.agent_id().map(Id::new),
    }
}

/// `get_tasks`: live tasks, terminated ones of live executors, completed.
pub fn get_tasks(st: &State) -> AgentGetTasks {
    let mut out = AgentGetTasks::default();
    for (_, e, done) in st.all_executors() {
        for task in e.tasks() {
            let t = task_v1_of(e, task);
            if done {
                out.completed_tasks.push(t);
            } else if task.state.is_terminal() {
                out.terminated_tasks.push(t);
            } else {
                out.launched_tasks.push(t);
            }
        }
    }
    for f in &st.completed_frameworks {
        for e in &f.completed_executors {
            out.completed_tasks
                .extend(e.tasks().map(|t| task_v1_of(e, t)));
        }
    }
    out
}

/// `get_executors`.
pub fn get_executors(st: &State) -> AgentGetExecutors {
    let mut out = AgentGetExecutors::default();
    let entry = |e: &Executor| AgentExecutorEntry {
        executor_info: e.info.clone(),
    };
    for (_, e, done) in st.all_executors() {
        if done {
            out.completed_executors.push(entry(e));
        } else {
            out.executors.push(entry(e));
        }
    }
    for f in &st.completed_frameworks {
        out.completed_executors
            .extend(f.completed_executors.iter().map(entry));
    }
    out
}

/// `get_frameworks`.
pub fn get_frameworks(st: &State) -> AgentGetFrameworks {
    let entry = |f: &Framework| AgentFrameworkEntry {
        framework_info: f.info.clone(),
    };
    AgentGetFrameworks {
        frameworks: st.frameworks.values().map(entry).collect(),
        completed_frameworks: st.completed_frameworks.iter().map(entry).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lite_statuses_drop_reliability_fields() {
        let s: V1TaskStatus = serde_json::from_value(json!({"task_id": {"value": "t"},
            "state": "TASK_RUNNING", "timestamp": 1.5, "uuid": "x", "source": "SOURCE_EXECUTOR",
            "container_status": {"container_id": {"value": "c"}}}))
        .unwrap();
        assert_eq!(
            serde_json::to_value(status_lite(&s)).unwrap(),
            json!({"state": "TASK_RUNNING", "timestamp": 1.5,
                "container_status": {"container_id": {"value": "c"}}})
        );
        let s: V1TaskStatus = serde_json::from_value(json!({"task_id": {"value": "t"},
            "state": "TASK_RUNNING", "timestamp": 2.0, "healthy": false,
            "labels": {"labels": [{"key": "k", "value": "v"}]}}))
        .unwrap();
        assert_eq!(
            serde_json::to_value(status_lite(&s)).unwrap(),
            json!({"state": "TASK_RUNNING", "timestamp": 2.0, "healthy": false,
                "labels": [{"key": "k", "value": "v"}]})
        );
    }

    #[test]
    fn version_has_the_build_fields() {
        let v = serde_json::to_value(version()).unwrap();
        assert_eq!(v["version"], MESOS_VERSION);
        assert_eq!(v["build_user"], "mesos-rs");
        assert!(
            v["build_time"].is_f64() && v["build_date"].is_string(),
            "{v}"
        );
        assert!(v.get("git_sha").is_none());
    }
}
