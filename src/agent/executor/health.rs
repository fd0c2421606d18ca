//! Mesos-level health checks of command tasks (`TaskInfo.health_check`),
//! run by the agent on behalf of the command executor the way the Mesos
//! 1.x health checker does (docs/agent-design.md#health-checks).
//!
//! A [`Checker`] task waits `delay_seconds`, then runs one attempt
//! ([`probe::attempt`]) every `interval_seconds` (counted from the end of
//! the previous attempt), and feeds the results to a [`HealthState`]. What
//! the state says to report goes to the executor's run loop as a
//! [`Report`]; the loop sends the TASK_RUNNING update (`healthy`, reason
//! `REASON_TASK_HEALTH_CHECK_STATUS_UPDATED`) and kills the task when the
//! report says so. Checks stop when the task is being killed or has ended
//! (the [`HealthWatch`] is stopped or dropped).

use std::future::Future;
use std::os::unix::process::ExitStatusExt as _;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::daemon::log::{append_glog, Level};
use crate::daemon::now_secs;
use crate::wire::agent_v1::{CommandInfo, V1TaskStatus};
use crate::wire::health_check::{HealthCheck, Probe};

use super::probe;
pub use super::probe::Runtime;

/// Reason of the status updates that carry a health change.
pub const HEALTH_REASON: &str = "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED";
/// `<run meta>/killed_by_health_check`: the kill of the task came from its
/// failing health check (its terminal update then says `healthy: false`).
pub const KILLED_BY_HEALTH_CHECK: &str = "killed_by_health_check";

/// What a health check result asks the executor to report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Report {
    pub healthy: bool,
    /// Consecutive failures so far (0 when healthy).
    pub consecutive_failures: u64,
    /// `consecutive_failures` reached the check's limit: kill the task.
    pub kill: bool,
}

/// The check-result state machine of the Mesos health checker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HealthState {
    /// Not healthy yet: failures inside the grace period are ignored.
    pub initializing: bool,
    pub consecutive_failures: u64,
}

impl Default for HealthState {
    fn default() -> Self {
        HealthState {
            initializing: true,
            consecutive_failures: 0,
        }
    }
}

impl HealthState {
    /// The state a task's updates imply (after an agent restart): every
    /// counted failure was reported as `healthy: false`, every recovery as
    /// `healthy: true`, so the trailing unhealthy reports are the
    /// consecutive failures.
    pub fn resumed(statuses: &[V1TaskStatus]) -> HealthState {
        let reports: Vec<bool> = statuses
            .iter()
            .filter(|s| s.reason.as_deref() == Some(HEALTH_REASON))
            .filter_map(|s| s.healthy)
            .collect();
        let trailing = reports.iter().rev().take_while(|h| !**h).count() as u64;
        HealthState {
            initializing: !reports.iter().any(|h| *h),
            consecutive_failures: trailing,
        }
    }

    /// A passing attempt: reported on the first success and on the first
    /// success after failures.
    pub fn success(&mut self) -> Option<Report> {
        let report = (self.initializing || self.consecutive_failures > 0).then_some(Report {
            healthy: true,
            consecutive_failures: 0,
            kill: false,
        });
        self.initializing = false;
        self.consecutive_failures = 0;
        report
    }

    /// A failed attempt `since_start` after the checks started: ignored
    /// (None) while the task has never been healthy and the grace period
    /// has not elapsed; otherwise counted and reported, asking for a kill
    /// once `max_failures` consecutive failures are reached.
    pub fn failure(
        &mut self,
        since_start: Duration,
        grace: Duration,
        max_failures: u64,
    ) -> Option<Report> {
        if self.initializing && !grace.is_zero() && since_start <= grace {
            return None;
        }
        self.consecutive_failures += 1;
        Some(Report {
            healthy: false,
            consecutive_failures: self.consecutive_failures,
            kill: self.consecutive_failures >= max_failures,
        })
    }
}

/// Runs one COMMAND check attempt (of a health check or a general check)
/// somewhere else than in this process (the default executor runs it in a
/// nested container of the task's container), given the command and the
/// check's timeout: its wait status, or why it could not be run to its end.
pub type CommandRunner = Arc<
    dyn Fn(
            CommandInfo,
            Option<Duration>,
        ) -> Pin<Box<dyn Future<Output = Result<i32, String>> + Send>>
        + Send
        + Sync,
>;

/// Everything a checker needs.
pub struct Spec {
    pub task_id: String,
    pub check: HealthCheck,
    pub probe: Probe,
    pub runtime: Runtime,
    /// When the checks started (wall clock, seconds): the grace period
    /// counts from here.
    pub started_at: f64,
    pub state: HealthState,
    /// Where COMMAND checks run; `None`: a child process of this one, in
    /// the runtime's sandbox with its environment.
    pub commands: Option<CommandRunner>,
}

impl Spec {
    /// The spec of a task's health check, if it has a valid one (an
    /// invalid one is logged to the sandbox `stderr` and not run, as the
    /// Mesos command executor does).
    pub fn of(task_id: &str, check: Option<&HealthCheck>, runtime: Runtime) -> Option<Spec> {
        let check = check?.clone();
        match check.probe() {
            Ok(probe) => Some(Spec {
                task_id: task_id.to_string(),
                check,
                probe,
                runtime,
                started_at: now_secs(),
                state: HealthState::default(),
                commands: None,
            }),
            Err(e) => {
                let msg = format!("Failed to create health checker: {e}");
                crate::warning!("Task {task_id}: {msg}");
                append_glog(&runtime.stderr, Level::Error, &msg);
                None
            }
        }
    }

    /// Run COMMAND checks through `runner`.
    pub fn with_commands(mut self, runner: CommandRunner) -> Spec {
        self.commands = Some(runner);
        self
    }

    /// Resume after an agent restart: the state implied by the task's
    /// updates, the grace period counted from its first TASK_RUNNING.
    pub fn resumed(mut self, statuses: &[V1TaskStatus]) -> Spec {
        self.state = HealthState::resumed(statuses);
        if let Some(t) = super::checks::first_running(statuses) {
            self.started_at = t.min(self.started_at);
        }
        self
    }
}

/// A spawned task, aborted when dropped.
pub struct AbortOnDrop(pub JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The run loop's end of a checker (health checks: [`HealthWatch`];
/// general checks: `checks::CheckWatch`): its reports, and the checker
/// itself, stopped when this is stopped or dropped.
pub struct Watch<T> {
    checker: Option<AbortOnDrop>,
    rx: Option<mpsc::UnboundedReceiver<T>>,
}

impl<T> Default for Watch<T> {
    fn default() -> Self {
        Watch {
            checker: None,
            rx: None,
        }
    }
}

impl<T: Send + 'static> Watch<T> {
    /// Spawn the checker `run`, which reports through the sender.
    pub fn spawn<F>(run: impl FnOnce(mpsc::UnboundedSender<T>) -> F) -> Watch<T>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let (tx, rx) = mpsc::unbounded_channel();
        Watch {
            checker: Some(AbortOnDrop(tokio::spawn(run(tx)))),
            rx: Some(rx),
        }
    }

    /// Stop checking (when the task is being killed or has ended).
    pub fn stop(&mut self) {
        self.checker = None;
        self.rx = None;
    }

    /// The next report; pending forever when not checking.
    pub async fn next(&mut self) -> T {
        match self.rx.as_mut() {
            Some(rx) => match rx.recv().await {
                Some(r) => r,
                None => std::future::pending().await,
            },
            None => std::future::pending().await,
        }
    }
}

/// The run loop's end of a task's health checks.
pub type HealthWatch = Watch<Report>;

impl Watch<Report> {
    /// Start checking (nothing when there is no spec).
    pub fn start(spec: Option<Spec>) -> HealthWatch {
        let Some(spec) = spec else {
            return HealthWatch::default();
        };
        crate::info!(
            "Starting {} health check of task {}",
            spec.check.type_name(),
            spec.task_id
        );
        Watch::spawn(|tx| run(spec, tx))
    }
}

fn since(started_at: f64) -> Duration {
    Duration::try_from_secs_f64((now_secs() - started_at).max(0.0)).unwrap_or_default()
}

async fn run(mut spec: Spec, tx: mpsc::UnboundedSender<Report>) {
    let client = probe::http_client();
    let kind = spec.check.type_name().to_string();
    let first = spec.check.delay().saturating_sub(since(spec.started_at));
    tokio::time::sleep(first).await;
    loop {
        let result = match (&spec.probe, &spec.commands) {
            (Probe::Command(c), Some(runner)) => runner(c.clone(), spec.check.timeout())
                .await
                .and_then(|raw| match std::process::ExitStatus::from_raw(raw) {
                    st if st.success() => Ok(()),
                    _ => Err(super::process::describe_wait_status(raw)),
                }),
            (probe, _) => probe::attempt(probe, &spec.runtime, &client, spec.check.timeout()).await,
        };
        let report = match result {
            Ok(()) => spec.state.success(),
            Err(why) => {
                let report = spec.state.failure(
                    since(spec.started_at),
                    spec.check.grace_period(),
                    spec.check.consecutive_failures(),
                );
                let msg = match report {
                    None => format!(
                        "Ignoring failure of {kind} health check: still in grace period ({why})"
                    ),
                    Some(r) => format!(
                        "{kind} health check failed {} times consecutively: {why}",
                        r.consecutive_failures
                    ),
                };
                crate::info!("Task {}: {msg}", spec.task_id);
                append_glog(&spec.runtime.stderr, Level::Warning, &msg);
                report
            }
        };
        if let Some(r) = report {
            if tx.send(r).is_err() {
                return;
            }
        }
        tokio::time::sleep(spec.check.interval()).await;
    }
}

#[cfg(test)]
#[path = "health_tests.rs"]
mod tests;
