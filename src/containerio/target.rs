//! A selected task -> the agent it runs on and its container: the latest
//! status's `container_status.container_id` (the whole chain, `parent`
//! included, for tasks in nested containers), else the executor's
//! container in the agent's state (command tasks of agents that do not
//! report one in statuses).

use clap::Args;
use reqwest::Url;

use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::leader::Leader;
use crate::tasks::{Located, SelectArgs, TaskFilter};
use crate::wire::agent_v1::ContainerId;
use crate::wire::{Task, TaskState};

/// The task selection flags of `exec` and `attach` (running tasks only;
/// `-i` is --interactive there).
#[derive(Clone, Debug, Default, Args)]
pub struct LiveSelectArgs {
    /// Treat TASK as a regular expression, searched in task ids and names
    #[arg(long, help_heading = "Task selection")]
    pub regex: bool,

    /// Only tasks of this framework (id, id prefix or name)
    #[arg(long, value_name = "FRAMEWORK", help_heading = "Task selection")]
    pub framework: Option<String>,

    /// Only tasks on this agent (id, id prefix, hostname or IP)
    #[arg(long, value_name = "AGENT", help_heading = "Task selection")]
    pub agent: Option<String>,

    /// Only tasks with this label: KEY=VALUE, or KEY for any value (repeatable; all must match)
    #[arg(long, value_name = "KEY=VALUE", help_heading = "Task selection")]
    pub label: Vec<String>,
}

impl LiveSelectArgs {
    pub fn to_select(&self) -> SelectArgs {
        SelectArgs {
            regex: self.regex,
            framework: self.framework.clone(),
            agent: self.agent.clone(),
            label: self.label.clone(),
            ..SelectArgs::default()
        }
    }
}

/// The one task `filter` selects (a choice on a terminal, else exit 4),
/// with its agent; its sandbox is not looked up (one agent request less
/// than [`crate::tasks::find_one`]).
pub async fn find_one(
    http: &HttpClient,
    leader: &Leader,
    filter: &TaskFilter,
    what: &str,
) -> Result<Located> {
    let cluster = crate::tasks::fetch(http, leader, filter).await?;
    let selected = filter.select(&cluster);
    if selected.is_empty() {
        return Err(crate::tasks::no_match(filter, &cluster));
    }
    let one = crate::tasks::choose_one(&cluster, selected, what)?;
    Ok(Located {
        task: one.clone(),
        framework: cluster.framework_name(&one.framework_id).to_string(),
        agent: cluster.agents.get(&one.slave_id).cloned(),
        executor_directory: None,
        sandbox: None,
        problem: None,
    })
}

/// The container id in the task's latest status that has one.
pub fn status_container(task: &Task) -> Option<ContainerId> {
    task.statuses.iter().rev().find_map(|s| {
        let v = s.container_status.as_ref()?.get("container_id")?;
        let id: ContainerId = serde_json::from_value(v.clone()).ok()?;
        (!id.value.is_empty()).then_some(id)
    })
}

/// Why a task cannot be exec'd into or attached to, before asking its agent.
pub fn check_task(task: &Task, what: &str) -> Result<()> {
    let kind = task
        .container
        .as_ref()
        .and_then(|c| c.get("type"))
        .and_then(|t| t.as_str());
    if kind.is_some_and(|k| k != "MESOS") {
        return Err(Error::failed(format!(
            "task {} runs in a {} container; {what} works with the Mesos containerizer only",
            task.id,
            kind.unwrap_or_default()
        )));
    }
    match task.state {
        TaskState::Starting | TaskState::Running | TaskState::Killing => Ok(()),
        ref s => Err(Error::failed(format!(
            "task {} is {}; {what} needs a running task",
            task.id,
            s.as_str()
        ))),
    }
}

/// The task's agent (its base URL) and container.
pub async fn resolve(http: &HttpClient, l: &Located, what: &str) -> Result<(Url, ContainerId)> {
    check_task(&l.task, what)?;
    let base = l.agent_base()?;
    if let Some(id) = status_container(&l.task) {
        return Ok((base, id));
    }
    // Not in the statuses: the executor's container from the agent.
    let st = crate::tasks::agent_state(http, &base).await?;
    let t = &l.task;
    let exec = st
        .find_executor(&t.framework_id, t.executor_or_task_id())
        .or_else(|| st.find_task_executor(&t.id).map(|(_, e)| e));
    match exec {
        Some(e) if !e.container.is_empty() => Ok((base, ContainerId::new(e.container.clone()))),
        _ => Err(Error::failed(format!(
            "task {} has no container yet (neither its statuses nor its agent name one); try again once it is running",
            t.id
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(v: serde_json::Value) -> Task {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn latest_status_container_with_its_parent_chain() {
        let t = task(serde_json::json!({
            "id": "t", "state": "TASK_RUNNING",
            "statuses": [
                {"state": "TASK_STARTING", "container_status": {"container_id": {"value": "old"}}},
                {"state": "TASK_RUNNING", "container_status": {"container_id":
                    {"value": "child", "parent": {"value": "exec"}}}},
                {"state": "TASK_RUNNING", "healthy": true}
            ]
        }));
        let id = status_container(&t).unwrap();
        assert_eq!(id.chain(), "exec.child");
        assert!(status_container(&task(serde_json::json!({"id": "t"}))).is_none());
    }

    #[test]
    fn only_running_mesos_tasks() {
        let ok = task(serde_json::json!({"id": "t", "state": "TASK_RUNNING"}));
        assert!(check_task(&ok, "exec").is_ok());
        let done = task(serde_json::json!({"id": "t", "state": "TASK_FINISHED"}));
        let e = check_task(&done, "exec").unwrap_err();
        assert_eq!(
            e.message,
            "task t is TASK_FINISHED; exec needs a running task"
        );
        let docker = task(serde_json::json!({"id": "t", "state": "TASK_RUNNING",
            "container": {"type": "DOCKER"}}));
        assert!(check_task(&docker, "attach")
            .unwrap_err()
            .message
            .contains("DOCKER container"));
    }
}
