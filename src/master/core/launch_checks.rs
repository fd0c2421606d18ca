//! Validation of LAUNCH tasks (command or custom executor) and of
//! LAUNCH_GROUP task groups, with the rules and messages of real Mesos'
//! master: the reasons of the TASK_ERROR updates a refused launch gets.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::master::state::{ExecutorEntry, FrameworkEntry};
use crate::master::validation;
use crate::resources::Resources;
use crate::wire::agent_v1::{ExecutorInfo, Id, TaskInfo};

/// Smallest cpus a task group's executor may have (Mesos' `MIN_CPUS`).
pub const MIN_EXECUTOR_CPUS: f64 = 0.01;
/// Smallest memory (MB) a task group's executor may have (`MIN_MEM`).
pub const MIN_EXECUTOR_MEM_MB: f64 = 32.0;

/// What the launches of one ACCEPT see: the framework, the offer's agent,
/// the resources still available, the task ids taken so far and the
/// executors started by earlier operations of the same ACCEPT.
pub struct Ctx<'a> {
    pub fw: &'a FrameworkEntry,
    pub agent_id: &'a str,
    pub role: &'a str,
    pub pool: &'a Resources,
    pub seen: &'a BTreeSet<String>,
    pub pending: &'a [ExecutorEntry],
}

impl Ctx<'_> {
    /// The ExecutorInfo of a live (or just launched) executor on the agent.
    fn existing(&self, executor_id: &str) -> Option<&ExecutorInfo> {
        self.fw
            .executors
            .get(&(self.agent_id.to_string(), executor_id.to_string()))
            .or_else(|| self.pending.iter().find(|e| e.id() == executor_id))
            .map(|e| &e.info)
    }
}

/// An accepted task: its id, resources, and the executor it needs started
/// (a custom executor not yet running on the agent).
pub struct Valid {
    pub task_id: String,
    pub resources: Resources,
    pub new_executor: Option<ExecutorEntry>,
    /// The executor as the task will carry it (normalised), if any.
    pub executor: Option<ExecutorInfo>,
}

/// The checks of a task common to LAUNCH and LAUNCH_GROUP: ids, duplicate
/// id, agent, resources.
fn task_common(c: &Ctx, task: &TaskInfo) -> Result<(), String> {
    validation::task_info(task)?;
    let tid = task.task_id.value.as_str();
    let fw = c.fw;
    if fw.tasks.contains_key(tid) || fw.unreachable_tasks.contains_key(tid) || c.seen.contains(tid)
    {
        return Err(format!("Task has duplicate ID: {tid}"));
    }
    if let Some(aid) = &task.agent_id {
        if aid.value != c.agent_id {
            return Err(format!(
                "Task uses agent ID {} which does not match offer's agent ID {}",
                aid.value, c.agent_id
            ));
        }
    }
    Ok(())
}

fn task_resources(task: &TaskInfo) -> Result<Resources, String> {
    let res = Resources::from_wire(&task.resources)
        .map_err(|e| format!("Task has invalid resources: {e}"))?;
    if res.is_empty() {
        return Err("Task uses no resources".into());
    }
    Ok(res)
}

/// An ExecutorInfo as the master keeps and sends it: `framework_id` filled
/// in when `fill_framework` (LAUNCH, for backwards compatibility, as Mesos
/// does), resources carrying the allocation role. Also its resources.
fn normalise(
    c: &Ctx,
    e: &ExecutorInfo,
    fill_framework: bool,
) -> Result<(ExecutorInfo, Resources), String> {
    let mut e = e.clone();
    if fill_framework && e.framework_id.is_none() {
        e.framework_id = Some(Id::new(c.fw.id.clone()));
    }
    let res = Resources::from_wire(&e.resources)
        .map_err(|err| format!("Executor uses invalid resources: Invalid resources: {err}"))?;
    e.resources = res.to_wire(Some(c.role));
    Ok((e, res))
}

/// Mesos' general ExecutorInfo checks: type vs command, framework id,
/// shutdown grace period, compatibility with a running executor of the
/// same id (the resources were checked by [`normalise`]).
fn executor_general(c: &Ctx, e: &ExecutorInfo) -> Result<(), String> {
    validation::executor_info(e)?;
    match e.kind.as_deref() {
        Some("DEFAULT") if e.command.is_some() => {
            return Err("'ExecutorInfo.command' must not be set for 'DEFAULT' executor".into())
        }
        Some("CUSTOM") if e.command.is_none() => {
            return Err("'ExecutorInfo.command' must be set for 'CUSTOM' executor".into())
        }
        _ => {}
    }
    match &e.framework_id {
        None => return Err("'ExecutorInfo.framework_id' must be set".into()),
        Some(f) if f.value != c.fw.id => {
            return Err(format!(
                "ExecutorInfo has an invalid FrameworkID (Actual: {} vs Expected: {})",
                f.value, c.fw.id
            ))
        }
        Some(_) => {}
    }
    if e.shutdown_grace_period
        .as_ref()
        .is_some_and(|d| d.nanoseconds < 0)
    {
        return Err("ExecutorInfo's 'shutdown_grace_period' must be non-negative".into());
    }
    if let Some(existing) = c.existing(&e.executor_id.value) {
        if existing != e {
            let show = |x: &ExecutorInfo| serde_json::to_string(x).unwrap_or_default();
            let line = "-".repeat(60);
            return Err(format!(
                "ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID).\n\
                 {line}\nExisting ExecutorInfo:\n{}\n{line}\nExecutorInfo:\n{}\n{line}\n",
                show(existing),
                show(e)
            ));
        }
    }
    Ok(())
}

fn new_entry(c: &Ctx, info: &ExecutorInfo, res: &Resources) -> ExecutorEntry {
    ExecutorEntry {
        agent_id: c.agent_id.to_string(),
        info: info.clone(),
        resources: res.clone(),
        role: c.role.to_string(),
    }
}

/// A LAUNCH task: the reason for its TASK_ERROR (REASON_TASK_INVALID), or
/// what to launch.
pub fn task(c: &Ctx, task: &TaskInfo) -> Result<Valid, String> {
    task_common(c, task)?;
    if task.command.is_some() == task.executor.is_some() {
        return Err(
            "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present"
                .into(),
        );
    }
    let res = task_resources(task)?;
    let tid = task.task_id.value.clone();
    let Some(executor) = &task.executor else {
        if !c.pool.contains(&res) {
            return Err(format!(
                "Task uses more resources {res} than available {}",
                c.pool
            ));
        }
        return Ok(Valid {
            task_id: tid,
            resources: res,
            new_executor: None,
            executor: None,
        });
    };
    let (e, eres) = normalise(c, executor, true)?;
    executor_general(c, &e)?;
    if e.kind.as_deref().is_some_and(|k| k != "CUSTOM") {
        return Err("'ExecutorInfo.type' must be 'CUSTOM'".into());
    }
    if e.command.is_none() {
        return Err("'ExecutorInfo.command' must be set".into());
    }
    let new = c.existing(&e.executor_id.value).is_none();
    let mut total = res.clone();
    if new {
        total.add(&eres);
    }
    if !c.pool.contains(&total) {
        return Err(format!(
            "Total resources {total} required by task and its executor is more than available {}",
            c.pool
        ));
    }
    Ok(Valid {
        task_id: tid,
        resources: res,
        new_executor: new.then(|| new_entry(c, &e, &eres)),
        executor: Some(e),
    })
}

/// Whether a ContainerInfo (JSON) is of type DOCKER.
fn is_docker(container: Option<&Value>) -> bool {
    container
        .and_then(|c| c.get("type"))
        .and_then(Value::as_str)
        .is_some_and(|t| t == "DOCKER")
}

/// An accepted task group: each task's (id, resources), the executor as
/// normalised, and the entry to add when it is not running yet.
pub struct ValidGroup {
    pub tasks: Vec<(String, Resources)>,
    pub executor: ExecutorInfo,
    pub new_executor: Option<ExecutorEntry>,
}

/// A LAUNCH_GROUP: the reason every task of the group gets TASK_ERROR
/// (REASON_TASK_GROUP_INVALID), or what to launch.
pub fn group(
    c: &Ctx,
    executor: Option<&ExecutorInfo>,
    tasks: &[TaskInfo],
) -> Result<ValidGroup, String> {
    if tasks.is_empty() {
        // Nothing to launch (and no task to tell): no executor either.
        return Err("The task group has no tasks".into());
    }
    let mut ids = BTreeSet::new();
    let mut resources = Vec::new();
    for t in tasks {
        let tid = t.task_id.value.as_str();
        let mut check = || -> Result<Resources, String> {
            task_common(c, t)?;
            if !ids.insert(tid.to_string()) {
                return Err(format!("Task has duplicate ID: {tid}"));
            }
            let res = task_resources(t)?;
            if let Some(container) = &t.container {
                let nets = container.get("network_infos").and_then(Value::as_array);
                if nets.is_some_and(|n| !n.is_empty()) {
                    return Err("NetworkInfos must not be set on the task".into());
                }
                if is_docker(Some(container)) {
                    return Err("Docker ContainerInfo is not supported on the task".into());
                }
            }
            Ok(res)
        };
        match check() {
            Ok(r) => resources.push((tid.to_string(), r)),
            Err(e) => return Err(format!("Task '{tid}' is invalid: {e}")),
        }
    }
    let Some(executor) = executor else {
        return Err("'LaunchGroup.executor' must be set".into());
    };
    let (e, eres) = normalise(c, executor, false)?;
    executor_general(c, &e)?;
    let eid = e.executor_id.value.clone();
    match e.kind.as_deref() {
        None => return Err("'ExecutorInfo.type' must be set".into()),
        Some("DEFAULT" | "CUSTOM") => {}
        Some(_) => return Err("Unknown executor type".into()),
    }
    if is_docker(e.container.as_ref()) {
        return Err("Docker ContainerInfo is not supported on the executor".into());
    }
    for t in tasks {
        if let Some(te) = &t.executor {
            // Compared as the framework sent both.
            if te != executor {
                return Err(format!(
                    "The `ExecutorInfo` of task '{}' is different from executor '{eid}'",
                    t.task_id.value
                ));
            }
        }
    }
    let has = |name: &str| eres.iter().any(|r| r.name == name);
    let fmt = |v: f64| format!("{v}");
    if !has("cpus") || eres.scalar("cpus") < MIN_EXECUTOR_CPUS {
        let got = if has("cpus") {
            fmt(eres.scalar("cpus"))
        } else {
            "None".into()
        };
        return Err(format!(
            "Executor '{eid}' uses less CPUs ({got}) than the minimum required ({MIN_EXECUTOR_CPUS})"
        ));
    }
    if !has("mem") || eres.scalar("mem") < MIN_EXECUTOR_MEM_MB {
        let got = if has("mem") {
            fmt(eres.scalar("mem").floor())
        } else {
            "None".into()
        };
        return Err(format!(
            "Executor '{eid}' uses less memory ({got}) than the minimum required ({}MB)",
            MIN_EXECUTOR_MEM_MB
        ));
    }
    if !has("disk") {
        return Err(format!("Executor '{eid}' uses no disk"));
    }
    let new = c.existing(&eid).is_none();
    let mut total = Resources::new();
    for (_, r) in &resources {
        total.add(r);
    }
    if new {
        total.add(&eres);
    }
    if !c.pool.contains(&total) {
        return Err(format!(
            "Total resources {total} required by task group and its executor are more than available {}",
            c.pool
        ));
    }
    Ok(ValidGroup {
        tasks: resources,
        new_executor: new.then(|| new_entry(c, &e, &eres)),
        executor: e,
    })
}

#[cfg(test)]
#[path = "launch_checks_tests.rs"]
mod tests;
