//! Health checks (`TaskInfo.health_check`) and general checks
//! (`TaskInfo.check`) of the tasks of a group, with the agent's checker
//! cores (`executor::health`: delay, interval, timeout, grace period,
//! consecutive failures; `executor::checks`: results as `check_status`):
//! HTTP and TCP checks are made by this executor itself (it shares the
//! tasks' network), COMMAND checks run in a nested container of the task's
//! container (LAUNCH_NESTED_CONTAINER, WAIT, REMOVE; KILL on timeout), as
//! Mesos' default executor runs them.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use super::client::Agent;
use crate::agent::executor::checks::CheckSpec;
use crate::agent::executor::health::{CommandRunner, Runtime, Spec};
use crate::wire::agent_v1::{CommandInfo, ContainerId, TaskInfo};
use crate::wire::process_io::LaunchContainer;

/// Where a group task's checks run: the task's own variables, its
/// container's sandbox, the executor's `stderr` for failure logs.
fn runtime(task: &TaskInfo, container: &ContainerId, sandbox: &Path) -> Runtime {
    let env = task
        .command
        .as_ref()
        .and_then(|c| c.environment.as_ref())
        .map(|e| {
            e.variables
                .iter()
                .map(|v| (v.name.clone(), v.value.clone().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    Runtime {
        env,
        cwd: sandbox.join("containers").join(&container.value),
        stderr: sandbox.join("stderr"),
    }
}

/// The health checker spec of a task running in `container` (none without
/// a valid health check; an invalid one is logged to the executor's
/// `stderr`). Failures are logged to the executor's `stderr` too.
pub fn spec(
    agent: &Arc<Agent>,
    task: &TaskInfo,
    container: &ContainerId,
    sandbox: &Path,
) -> Option<Spec> {
    let check = task.health_check.as_ref()?;
    let spec = Spec::of(
        &task.task_id.value,
        Some(check),
        runtime(task, container, sandbox),
    )?;
    Some(spec.with_commands(runner(agent, container)))
}

/// The general checker spec of a task running in `container` (none
/// without a valid `check`): COMMAND checks in nested containers too.
pub fn check_spec(
    agent: &Arc<Agent>,
    task: &TaskInfo,
    container: &ContainerId,
    sandbox: &Path,
) -> Option<CheckSpec> {
    let check = task.check.as_ref()?;
    let spec = CheckSpec::of(
        &task.task_id.value,
        Some(check),
        runtime(task, container, sandbox),
    )?;
    Some(spec.with_commands(runner(agent, container)))
}

/// COMMAND checks as nested containers of the task's container: their
/// wait status.
fn runner(agent: &Arc<Agent>, task: &ContainerId) -> CommandRunner {
    let (agent, task) = (agent.clone(), task.clone());
    Arc::new(move |command: CommandInfo, timeout: Option<Duration>| {
        let (agent, task) = (agent.clone(), task.clone());
        Box::pin(async move { nested_check(&agent, &task, command, timeout).await })
    })
}

/// One COMMAND check attempt as a nested container of the task's
/// container, forgotten (removed) afterwards: its wait status.
async fn nested_check(
    agent: &Agent,
    task: &ContainerId,
    command: CommandInfo,
    timeout: Option<Duration>,
) -> Result<i32, String> {
    let id = ContainerId::nested(format!("check-{}", uuid::Uuid::new_v4()), task.clone());
    let r = attempt(agent, &id, command, timeout).await;
    // Forget the check container (it has ended, or was killed).
    let _ = agent.remove(&id).await;
    r
}

async fn attempt(
    agent: &Agent,
    id: &ContainerId,
    command: CommandInfo,
    timeout: Option<Duration>,
) -> Result<i32, String> {
    let launch = LaunchContainer {
        container_id: id.clone(),
        command: Some(command),
        container: None,
        resources: Vec::new(),
    };
    agent
        .launch(launch)
        .await
        .map_err(|e| format!("Failed to launch the check container {}: {e}", id.chain()))?;
    let waited = match timeout {
        None => Ok(agent.wait(id).await),
        Some(t) => tokio::time::timeout(t, agent.wait(id)).await,
    };
    match waited {
        Err(_) => {
            let _ = agent.kill(id, libc::SIGKILL).await;
            let _ = tokio::time::timeout(Duration::from_secs(5), agent.wait(id)).await;
            Err(format!(
                "Command has not returned after {}; aborting",
                crate::duration::format_mesos_duration(timeout.unwrap_or_default())
            ))
        }
        Ok(Ok(Some(raw))) => Ok(raw),
        Ok(Ok(None)) => Err("Command terminated with unknown status".into()),
        Ok(Err(e)) => Err(format!("Failed to wait for the check container: {e}")),
    }
}
