//! One executor container's context ([`Ctx`]): its status updates, its
//! termination, and the kill handling of its command ([`Killer`]: SIGTERM
//! to the process group, SIGKILL once the grace period elapsed).

use std::os::unix::process::ExitStatusExt;

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

use super::process::{describe_wait_status, signal_group};
use crate::agent::core::Agent;
use crate::agent::model::{Kill, Phase};
use crate::agent::paths::write_atomic;
use crate::agent::status::make_status;
use crate::daemon::log::{append_glog, Level};
use crate::daemon::now_secs;
use crate::duration::format_mesos_duration;
use crate::wire::agent_v1::ContainerStatus;
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
        let with_container = source == "SOURCE_EXECUTOR";
        let status = make_status(
            &self.tid,
            state,
            source,
            reason,
            message,
            &self.agent_id,
            Some(&self.eid),
            with_container.then(|| self.container_status(pid)),
        );
        self.agent.emit(&self.fid, &self.tid, status);
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
        self.emit(state, "SOURCE_EXECUTOR", reason, Some(&message), pid);
        self.terminated(Some(raw));
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
