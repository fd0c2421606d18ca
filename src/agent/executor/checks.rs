//! General checks (`TaskInfo.check`) as the Mesos 1.x checker runs them:
//! by the agent for command tasks, on behalf of the command executor, and
//! by the default executor for the tasks of a group
//! (docs/agent-design.md#general-checks).
//!
//! A checker task waits `delay_seconds`, then runs one attempt
//! ([`probe::check_attempt`]) every `interval_seconds` (counted from the
//! end of the previous attempt). A result different from the last one
//! reported goes to the executor's run loop, which sends it in a
//! TASK_RUNNING update (`check_status`, reason
//! `REASON_TASK_CHECK_STATUS_UPDATED`). Checks never kill; they stop when
//! the task is being killed or has ended (the [`CheckWatch`] is stopped or
//! dropped).

use std::os::unix::process::ExitStatusExt as _;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::mpsc;

use crate::daemon::log::{append_glog, Level};
use crate::daemon::now_secs;
use crate::wire::agent_v1::V1TaskStatus;
use crate::wire::check::{CheckInfo, CheckProbe, CheckResult};

use super::health::{CommandRunner, Watch};
use super::probe::{self, Runtime};

/// Everything a checker needs.
pub struct CheckSpec {
    pub task_id: String,
    pub check: CheckInfo,
    pub probe: CheckProbe,
    pub runtime: Runtime,
    /// When the checks started (wall clock, seconds): the delay counts from
    /// here.
    pub started_at: f64,
    /// The `CheckStatusInfo` reported last (at first: no result yet).
    pub last: Value,
    /// Where COMMAND checks run; `None`: a child process of this one, in
    /// the runtime's sandbox with its environment.
    pub commands: Option<CommandRunner>,
}

impl CheckSpec {
    /// The spec of a task's check, if it has a valid one (an invalid one is
    /// logged to the sandbox `stderr` and not run).
    pub fn of(task_id: &str, check: Option<&CheckInfo>, runtime: Runtime) -> Option<CheckSpec> {
        let check = check?.clone();
        match check.probe() {
            Ok(probe) => Some(CheckSpec {
                task_id: task_id.to_string(),
                last: probe.no_result().status_info(),
                check,
                probe,
                runtime,
                started_at: now_secs(),
                commands: None,
            }),
            Err(e) => {
                let msg = format!("Failed to create checker: {e}");
                crate::warning!("Task {task_id}: {msg}");
                append_glog(&runtime.stderr, Level::Error, &msg);
                None
            }
        }
    }

    /// Run COMMAND checks through `runner`.
    pub fn with_commands(mut self, runner: CommandRunner) -> CheckSpec {
        self.commands = Some(runner);
        self
    }

    /// Resume after an agent restart: the last result the task's updates
    /// carry, the delay counted from its first TASK_RUNNING.
    pub fn resumed(mut self, statuses: &[V1TaskStatus]) -> CheckSpec {
        if let Some(last) = last_reported(statuses) {
            self.last = last;
        }
        if let Some(t) = first_running(statuses) {
            self.started_at = t.min(self.started_at);
        }
        self
    }
}

/// The last `check_status` a task's updates carried.
pub fn last_reported(statuses: &[V1TaskStatus]) -> Option<Value> {
    statuses
        .iter()
        .rev()
        .find_map(|s| s.other.get("check_status").cloned())
}

/// When the task's first TASK_RUNNING update was made: checks resumed
/// after an agent restart count their delay (and grace period) from it.
pub fn first_running(statuses: &[V1TaskStatus]) -> Option<f64> {
    statuses
        .iter()
        .find(|s| s.state == crate::wire::TaskState::Running)
        .map(|s| s.timestamp)
}

/// The run loop's end of a task's checks: new `CheckStatusInfo`s.
pub type CheckWatch = Watch<Value>;

impl Watch<Value> {
    /// Start checking (nothing when there is no spec).
    pub fn start(spec: Option<CheckSpec>) -> CheckWatch {
        let Some(spec) = spec else {
            return CheckWatch::default();
        };
        crate::info!(
            "Starting {} check of task {}",
            spec.check.type_name(),
            spec.task_id
        );
        Watch::spawn(|tx| run(spec, tx))
    }
}

async fn run(mut spec: CheckSpec, tx: mpsc::UnboundedSender<Value>) {
    let client = probe::http_client();
    let elapsed =
        Duration::try_from_secs_f64((now_secs() - spec.started_at).max(0.0)).unwrap_or_default();
    tokio::time::sleep(spec.check.delay().saturating_sub(elapsed)).await;
    loop {
        let timeout = spec.check.timeout();
        let result = match (&spec.probe, &spec.commands) {
            (CheckProbe::Command(c), Some(runner)) => match runner(c.clone(), timeout).await {
                Ok(raw) => CheckResult::Command(std::process::ExitStatus::from_raw(raw).code()),
                Err(why) => {
                    let msg = format!("COMMAND check failed: {why}");
                    append_glog(&spec.runtime.stderr, Level::Warning, &msg);
                    CheckResult::Command(None)
                }
            },
            (probe, _) => probe::check_attempt(probe, &spec.runtime, &client, timeout).await,
        }
        .status_info();
        if result != spec.last {
            crate::info!(
                "Task {}: {} check result changed: {result}",
                spec.task_id,
                spec.check.type_name()
            );
            spec.last = result.clone();
            if tx.send(result).is_err() {
                return;
            }
        }
        tokio::time::sleep(spec.check.interval()).await;
    }
}
