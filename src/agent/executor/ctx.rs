//! One executor container's context ([`Ctx`]): its status updates, its
//! termination, and the kill handling of its command ([`Killer`]: SIGTERM
//! to the process group, SIGKILL once the grace period elapsed).

use std::os::unix::process::ExitStatusExt;

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

use super::checks::{CheckSpec, CheckWatch};
use super::health::{HealthWatch, Report, Runtime, Spec, HEALTH_REASON, KILLED_BY_HEALTH_CHECK};
use super::process::{describe_wait_status, grace_of, signal_group, DEFAULT_KILL_GRACE};
use crate::agent::core::Agent;
use crate::agent::model::{Kill, Phase};
use crate::agent::paths::write_atomic;
use crate::agent::status::{make_status, new_uuid};
use crate::daemon::log::{append_glog, Level};
use crate::daemon::now_secs;
use crate::duration::format_mesos_duration;
use crate::wire::agent_v1::{ContainerStatus, HealthCheck, V1TaskStatus};
use crate::wire::check::{CheckInfo, CHECK_REASON};
use crate::wire::TaskState;

/// `<run meta>/executor.sentinel`: the agent saw the container terminate.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sentinel {
    pub exit_status: Option<i32>,
    #[serde(default)]
    pub timestamp: f64,
}

/// Everything `run` needs about one launch, copied out of the state.
pub struct Ctx {
    pub agent: Arc<Agent>,
    pub fid: String,
    pub eid: String,
    pub tid: String,
    pub agent_id: String,
    pub container_id: String,
    pub directory: PathBuf,
    pub meta_dir: PathBuf,
    /// The task's last `CheckStatusInfo` when it has a check: every update
    /// the executor sends carries it, as in Mesos.
    pub check_status: std::sync::Mutex<Option<serde_json::Value>>,
}

impl Ctx {
    fn container_status(&self, executor_pid: Option<u32>) -> ContainerStatus {
        ContainerStatus::ipv4(
            &self.container_id,
            &self.agent.cfg.advertise_ip,
            executor_pid,
        )
    }

    /// Record and send a status update of this container's task.
    pub fn emit(
        &self,
        state: TaskState,
        source: &str,
        reason: Option<&str>,
        message: Option<&str>,
        pid: Option<u32>,
    ) {
        let status = self.status(state, source, reason, message, pid);
        self.agent.emit(&self.fid, &self.tid, status);
    }

    /// A new status update of this container's task.
    fn status(
        &self,
        state: TaskState,
        source: &str,
        reason: Option<&str>,
        message: Option<&str>,
        pid: Option<u32>,
    ) -> V1TaskStatus {
        let with_container = source == "SOURCE_EXECUTOR";
        let mut status = make_status(
            &self.tid,
            state,
            source,
            reason,
            message,
            &self.agent_id,
            Some(&self.eid),
            with_container.then(|| self.container_status(pid)),
        );
        if with_container {
            if let Some(c) = self.last_check_status() {
                status.other.insert("check_status".into(), c);
            }
        }
        status
    }

    fn last_check_status(&self) -> Option<serde_json::Value> {
        self.check_status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Set what the executor's updates carry as `check_status`.
    pub fn set_check_status(&self, value: Option<serde_json::Value>) {
        *self.check_status.lock().unwrap_or_else(|p| p.into_inner()) = value;
    }

    /// Start the general checks of the task (none without a valid check)
    /// with the environment its command got; `resumed`: the task's updates
    /// after an agent restart. From now on every update of the executor
    /// carries the last result (no result yet at first).
    pub fn start_checks(
        &self,
        check: Option<&CheckInfo>,
        env: Vec<(String, String)>,
        resumed: Option<&[V1TaskStatus]>,
    ) -> CheckWatch {
        let mut spec = CheckSpec::of(&self.tid, check, self.runtime(env));
        if let Some(statuses) = resumed {
            spec = spec.map(|s| s.resumed(statuses));
        }
        if let Some(s) = &spec {
            self.set_check_status(Some(s.last.clone()));
        }
        CheckWatch::start(spec)
    }

    /// Before the first update: a task with a valid check reports "no
    /// result yet" from its first update on.
    pub fn announce_check(&self, check: Option<&CheckInfo>) {
        if let Some(p) = check.and_then(|c| c.probe().ok()) {
            self.set_check_status(Some(p.no_result().status_info()));
        }
    }

    /// A new check result: the task's last TASK_RUNNING update again (its
    /// `healthy`, its container status) with a new uuid and timestamp, the
    /// result as `check_status` and reason `REASON_TASK_CHECK_STATUS_UPDATED`.
    pub fn check_update(&self, check_status: serde_json::Value, pid: Option<u32>) {
        self.set_check_status(Some(check_status.clone()));
        let mut status = self.last_running(pid);
        status.reason = Some(CHECK_REASON.to_string());
        status.other.insert("check_status".into(), check_status);
        self.agent.emit(&self.fid, &self.tid, status);
    }

    /// The task's last update if it is TASK_RUNNING, with a new uuid and
    /// timestamp; else a new TASK_RUNNING update.
    fn last_running(&self, pid: Option<u32>) -> V1TaskStatus {
        let last = self
            .agent
            .lock()
            .executor(&self.fid, &self.eid)
            .and_then(|e| e.task.statuses.last().cloned())
            .filter(|s| s.state == TaskState::Running);
        match last {
            Some(mut s) => {
                s.uuid = Some(new_uuid());
                s.timestamp = now_secs();
                s
            }
            None => self.status(TaskState::Running, "SOURCE_EXECUTOR", None, None, pid),
        }
    }

    /// Start the health checks of the task (none without a valid check)
    /// with the environment its command got.
    pub fn start_health(
        &self,
        check: Option<&HealthCheck>,
        env: Vec<(String, String)>,
    ) -> HealthWatch {
        HealthWatch::start(Spec::of(&self.tid, check, self.runtime(env)))
    }

    /// Where the task's checks run: its environment, the sandbox, output to
    /// the sandbox `stderr`.
    pub fn runtime(&self, env: Vec<(String, String)>) -> Runtime {
        Runtime {
            env,
            cwd: self.directory.clone(),
            stderr: self.directory.join("stderr"),
        }
    }

    /// Build the context of a known executor from the state.
    pub fn of(agent: &Arc<Agent>, fid: &str, eid: &str) -> Option<(Ctx, bool)> {
        let st = agent.lock();
        let e = st.executor(fid, eid)?;
        let killing_state = st
            .frameworks
            .get(fid)
            .is_some_and(|f| f.has_capability("TASK_KILLING_STATE"));
        Some((
            Ctx {
                agent: agent.clone(),
                fid: fid.to_string(),
                eid: eid.to_string(),
                tid: e.task.id.clone(),
                agent_id: e.task.agent_id.clone(),
                container_id: e.container_id.clone(),
                directory: e.directory.clone(),
                meta_dir: e.meta_dir.clone(),
                check_status: std::sync::Mutex::new(None),
            },
            killing_state,
        ))
    }

    /// The command exited with wait status `raw`: the executor's terminal
    /// update (TASK_FINISHED / TASK_KILLED / TASK_FAILED).
    pub fn finish(&self, raw: i32, killed: bool, pid: Option<u32>) {
        let message = describe_wait_status(raw);
        let exit = std::process::ExitStatus::from_raw(raw);
        let (state, reason) = if exit.success() {
            (TaskState::Finished, None)
        } else if killed {
            (TaskState::Killed, None)
        } else {
            (TaskState::Failed, Some("REASON_COMMAND_EXECUTOR_FAILED"))
        };
        crate::info!(
            "Task {} of framework {}: {message} ({state})",
            self.tid,
            self.fid
        );
        let mut status = self.status(state, "SOURCE_EXECUTOR", reason, Some(&message), pid);
        // As the Mesos command executor: a task killed because of its
        // failing health check ends TASK_KILLED with `healthy: false`.
        if killed && self.meta_dir.join(KILLED_BY_HEALTH_CHECK).exists() {
            status.healthy = Some(false);
        }
        self.agent.emit(&self.fid, &self.tid, status);
        self.terminated(Some(raw));
    }

    /// A health change: the task's last update again (TASK_RUNNING, its
    /// container status) with a new uuid and timestamp, `healthy` and
    /// reason `REASON_TASK_HEALTH_CHECK_STATUS_UPDATED`.
    pub fn health_update(&self, healthy: bool, pid: Option<u32>) {
        let mut status = self.last_running(pid);
        status.reason = Some(HEALTH_REASON.to_string());
        status.healthy = Some(healthy);
        crate::info!(
            "Task {} of framework {} is {}",
            self.tid,
            self.fid,
            if healthy { "healthy" } else { "not healthy" }
        );
        self.agent.emit(&self.fid, &self.tid, status);
    }

    /// The executor died without reporting the command's exit.
    pub fn executor_gone(&self, why: &str) {
        crate::warning!(
            "Executor of task {} of framework {} terminated abnormally: {why}",
            self.tid,
            self.fid
        );
        self.emit(
            TaskState::Failed,
            "SOURCE_AGENT",
            Some("REASON_EXECUTOR_TERMINATED"),
            Some(&format!("Abnormal executor termination: {why}")),
            None,
        );
        self.terminated(None);
    }

    /// Mark the container terminated (checkpointed: `executor.sentinel`).
    pub fn terminated(&self, exit_status: Option<i32>) {
        let sentinel = Sentinel {
            exit_status,
            timestamp: now_secs(),
        };
        if let Err(e) = write_atomic(
            &self.meta_dir.join("executor.sentinel"),
            &serde_json::to_vec(&sentinel).unwrap_or_default(),
        ) {
            crate::warning!(
                "Failed to checkpoint the termination of container {}: {e}",
                self.container_id
            );
        }
        {
            let mut st = self.agent.lock();
            st.counters.executors_terminated += 1;
            if let Some(e) = st.executor_mut(&self.fid, &self.eid) {
                e.phase = Phase::Terminated;
                e.exit_status = exit_status;
                e.pid = None;
                e.executor_pid = None;
                e.kill_tx = None;
                let _ = e.done_tx.send(true);
            }
        }
        self.agent.maybe_complete(&self.fid, &self.eid);
    }

    /// An agent-side launch failure: TASK_FAILED from SOURCE_AGENT.
    pub fn launch_failed(&self, message: &str) {
        crate::error!(
            "Container {} for task {} failed to launch: {message}",
            self.container_id,
            self.tid
        );
        append_glog(&self.directory.join("stderr"), Level::Error, message);
        self.agent.lock().counters.container_launch_errors += 1;
        self.emit(
            TaskState::Failed,
            "SOURCE_AGENT",
            Some("REASON_CONTAINER_LAUNCH_FAILED"),
            Some(message),
            None,
        );
        self.terminated(None);
    }

    pub fn killed_during_launch(&self) {
        crate::info!("Task {} was killed before it was launched", self.tid);
        self.emit(
            TaskState::Killed,
            "SOURCE_AGENT",
            Some("REASON_TASK_KILLED_DURING_LAUNCH"),
            Some("Task killed before it was launched"),
            None,
        );
        self.terminated(None);
    }
}

impl Ctx {
    /// A recovered task the agent had not seen running yet is running.
    pub fn running_after_recovery(&self, executor_pid: u32) {
        let starting = self
            .agent
            .lock()
            .executor(&self.fid, &self.eid)
            .is_some_and(|e| matches!(e.task.state, TaskState::Staging | TaskState::Starting));
        if starting {
            self.emit(
                TaskState::Running,
                "SOURCE_EXECUTOR",
                None,
                None,
                Some(executor_pid),
            );
        }
    }
}

/// Kill handling of a running command: SIGTERM to its process group, then
/// SIGKILL once the grace period elapsed (a later kill may shorten it).
pub struct Killer {
    pub killed: bool,
    killing_state: bool,
    pub escalate_at: Option<tokio::time::Instant>,
    stderr_path: PathBuf,
}

impl Killer {
    pub fn new(killing_state: bool, stderr_path: PathBuf) -> Killer {
        Killer {
            killed: false,
            killing_state,
            escalate_at: None,
            stderr_path,
        }
    }

    pub fn kill(&mut self, ctx: &Ctx, k: Kill, pid: Option<u32>, status_pid: Option<u32>) {
        if self.killed {
            // A second kill may shorten the grace period.
            let at = tokio::time::Instant::now() + k.grace;
            if self.escalate_at.is_none_or(|e| at < e) {
                self.escalate_at = Some(at);
            }
            return;
        }
        self.killed = true;
        {
            let mut st = ctx.agent.lock();
            if let Some(e) = st.executor_mut(&ctx.fid, &ctx.eid) {
                e.killed = true;
            }
        }
        // Checkpointed: a restarted agent reports the exit as TASK_KILLED.
        let _ = write_atomic(
            &ctx.meta_dir.join("killed"),
            now_secs().to_string().as_bytes(),
        );
        if self.killing_state {
            ctx.emit(
                TaskState::Killing,
                "SOURCE_EXECUTOR",
                None,
                None,
                status_pid,
            );
        }
        let shown = pid.map(|p| p.to_string()).unwrap_or_else(|| "?".into());
        crate::info!(
            "Sending SIGTERM to process group {shown} of task {}; SIGKILL in {}",
            ctx.tid,
            format_mesos_duration(k.grace)
        );
        append_glog(
            &self.stderr_path,
            Level::Info,
            &format!(
                "Received kill for task {} with grace period of {}",
                ctx.tid,
                format_mesos_duration(k.grace)
            ),
        );
        append_glog(
            &self.stderr_path,
            Level::Info,
            &format!("Sending SIGTERM to process tree at pid {shown}"),
        );
        if let Some(pid) = pid {
            signal_group(pid, libc::SIGTERM);
        }
        self.escalate_at = Some(tokio::time::Instant::now() + k.grace);
    }

    /// A kill (from the scheduler or the agent): checks stop, then the
    /// task is signalled.
    pub fn kill_checked(
        &mut self,
        ctx: &Ctx,
        health: &mut HealthWatch,
        k: Kill,
        pid: Option<u32>,
        status_pid: Option<u32>,
    ) {
        health.stop();
        self.kill(ctx, k, pid, status_pid);
    }

    /// A health check report: the TASK_RUNNING update carrying it, then a
    /// kill (with the task's kill policy) when the check failed too many
    /// times in a row. Reports that race with a kill are dropped, as the
    /// Mesos command executor does.
    pub fn health_report(
        &mut self,
        ctx: &Ctx,
        health: &mut HealthWatch,
        report: Report,
        pid: Option<u32>,
        status_pid: Option<u32>,
    ) {
        if self.killed {
            health.stop();
            return;
        }
        ctx.health_update(report.healthy, status_pid);
        if !report.kill {
            return;
        }
        let grace = {
            let st = ctx.agent.lock();
            st.executor(&ctx.fid, &ctx.eid)
                .and_then(|e| grace_of(e.task.info.kill_policy.as_ref()))
                .unwrap_or(DEFAULT_KILL_GRACE)
        };
        let why = format!(
            "Killing task {}: its health check failed {} times consecutively",
            ctx.tid, report.consecutive_failures
        );
        crate::warning!("{why}");
        append_glog(&self.stderr_path, Level::Warning, &why);
        // Checkpointed: the terminal update (also after an agent restart)
        // says `healthy: false`.
        let _ = write_atomic(
            &ctx.meta_dir.join(KILLED_BY_HEALTH_CHECK),
            now_secs().to_string().as_bytes(),
        );
        self.kill_checked(ctx, health, Kill { grace }, pid, status_pid);
    }

    /// Completes when the grace period of a kill has elapsed.
    pub async fn escalation(&self) {
        match self.escalate_at {
            Some(at) => tokio::time::sleep_until(at).await,
            None => std::future::pending::<()>().await,
        }
    }

    pub fn escalate(&mut self, ctx: &Ctx, pid: Option<u32>) {
        let shown = pid.map(|p| p.to_string()).unwrap_or_else(|| "?".into());
        crate::info!(
            "Grace period of task {} elapsed; sending SIGKILL to process group {shown}",
            ctx.tid
        );
        append_glog(
            &self.stderr_path,
            Level::Info,
            &format!("Killing process tree at pid {shown}"),
        );
        if let Some(pid) = pid {
            signal_group(pid, libc::SIGKILL);
        }
        self.escalate_at = None;
    }
}
