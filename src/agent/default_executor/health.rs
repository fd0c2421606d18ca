//! Health checks of the tasks of a group (`TaskInfo.health_check`), with
//! the agent's checker core (`executor::health`: delay, interval, timeout,
//! grace period, consecutive failures): HTTP and TCP checks are made by
//! this executor itself (it shares the tasks' network), COMMAND checks run
//! in a nested container of the task's container (LAUNCH_NESTED_CONTAINER,
//! WAIT, REMOVE; KILL on timeout), as Mesos' default executor runs them.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use super::client::Agent;
use super::group::{describe_wait_status, exited_zero};
use crate::agent::executor::health::{CommandRunner, Runtime, Spec};
use crate::wire::agent_v1::{CommandInfo, ContainerId, TaskInfo};
use crate::wire::process_io::LaunchContainer;

/// The checker spec of a task running in `container` (none without a
/// valid health check; an invalid one is logged to the executor's
/// `stderr`). Failures are logged to the executor's `stderr` too.
pub fn spec(
    agent: &Arc<Agent>,
    task: &TaskInfo,
    container: &ContainerId,
    sandbox: &Path,
) -> Option<Spec> {
    let check = task.health_check.as_ref()?;
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
    let runtime = Runtime {
        env,
        cwd: sandbox.join("containers").join(&container.value),
        stderr: sandbox.join("stderr"),
    };
    let spec = Spec::of(&task.task_id.value, Some(check), runtime)?;
    Some(spec.with_commands(runner(agent.clone(), container.clone())))
}

/// COMMAND checks as nested containers of the task's container.
fn runner(agent: Arc<Agent>, task: ContainerId) -> CommandRunner {
    Arc::new(move |command: CommandInfo, timeout: Option<Duration>| {
        let agent = agent.clone();
        let id = ContainerId::nested(format!("check-{}", uuid::Uuid::new_v4()), task.clone());
        Box::pin(async move {
            let r = attempt(&agent, &id, command, timeout).await;
            // Forget the check container (it has ended, or was killed).
            let _ = agent.remove(&id).await;
            r
        })
    })
}

async fn attempt(
    agent: &Agent,
    id: &ContainerId,
    command: CommandInfo,
    timeout: Option<Duration>,
) -> Result<(), String> {
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
        Ok(Ok(Some(raw))) if exited_zero(raw) => Ok(()),
        Ok(Ok(Some(raw))) => Err(describe_wait_status(raw)),
        Ok(Ok(None)) => Err("Command terminated with unknown status".into()),
        Ok(Err(e)) => Err(format!("Failed to wait for the check container: {e}")),
    }
}
