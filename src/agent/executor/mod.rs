//! Command tasks, run the way the Mesos command executor runs them
//! (docs/wire-notes.md#command-executor).
//!
//! For each task the agent creates the sandbox
//! `<work_dir>/slaves/<agent>/frameworks/<fw>/executors/<task>/runs/<container>`
//! (+ `runs/latest`), checkpoints the task under `<work_dir>/meta/...`,
//! fetches the URIs, and starts a small executor process of our own binary
//! (`mesos agent --internal-run-task=<launch.json>`, see [`wrapper`]) in
//! its own session. The wrapper forks the command in a new session of its
//! own (so a kill reaches the whole process group), reports
//! `forked <pid>` on its stdout, waits for it, kills what is left of the
//! group, writes the wait status atomically to `<run meta>/wait_status` and
//! reports `exit <raw status>`. Because the wrapper survives an agent
//! restart and leaves the exit status on disk, a later agent can recover
//! running tasks ([`resume`]).
//!
//! Submodules: [`process`] (liveness, wait statuses, signals), [`wrapper`]
//! (the executor process), [`switchboard`] (the I/O switchboard of a task
//! with a TTY), [`probe`] (one health check attempt),
//! [`health`] (the health checker and its state machine), [`ctx`] (one
//! container's updates, termination, kills and health reports),
//! [`resume`] (recovered executors), [`setup`] (sandbox, checkpoints and
//! environment, shared with custom executors), [`custom`] (custom and
//! default executors: launch, exit, recovery), [`events`] (their KILL,
//! MESSAGE and SHUTDOWN events), [`calls`] (the v1
//! executor API calls). This module launches, kills and shuts down.

pub mod calls;
pub mod checks;
pub mod ctx;
pub mod custom;
pub mod events;
pub mod health;
pub mod probe;
pub mod process;
pub mod resume;
pub mod setup;
pub mod switchboard;
pub mod wrapper;

use std::os::unix::process::ExitStatusExt;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncBufReadExt;
use tokio::sync::{mpsc, watch};

use self::ctx::{Ctx, Killer};
use self::custom::CustomLaunch;
pub use self::process::grace_of;
use self::process::{
    describe_wait_status, read_wait_status, signal_group, WaitStatus, DEFAULT_KILL_GRACE,
};
use self::setup::{attach_sandbox, checkpoint_launch, executor_env, prepare_sandbox};
use self::wrapper::LaunchSpec;
use crate::agent::config::INTERNAL_RUN_TASK;
use crate::agent::core::Agent;
use crate::agent::model::{
    executor_name, executor_overhead, framework_roles, parse_framework_info, Executor, Kill, Phase,
    Task,
};
use crate::agent::paths::{self, write_atomic};
use crate::agent::{fetcher, status::make_status};
use crate::daemon::ids::validate_id;
use crate::daemon::now_secs;
use crate::daemon::proto::{KillTask, RunTask};
use crate::duration::format_mesos_duration;
use crate::resources::Resources;
use crate::wire::agent_v1::{CommandInfo, ExecutorInfo, Id, TaskInfo};
use crate::wire::v1::FrameworkInfo;
use crate::wire::TaskState;

/// PATH for tasks when the agent's environment has none.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The role a task's resources are allocated to (else the framework's).
pub fn task_role(task: &TaskInfo, framework: &FrameworkInfo) -> String {
    task.allocation_role()
        .unwrap_or_else(|| framework_roles(framework)[0].clone())
}

/// Handle `/slave(1)/internal/run_task`: record the task (TASK_STAGING) and
/// launch it asynchronously.
pub fn launch(agent: &Arc<Agent>, req: RunTask) -> Result<(), String> {
    if let Some(executor) = req.task.executor.clone().or_else(|| req.executor.clone()) {
        let mut task = req.task.clone();
        task.executor = None;
        return custom::launch(
            agent,
            CustomLaunch {
                framework: req.framework,
                executor,
                tasks: vec![task],
                group: false,
            },
        );
    }
    let framework = parse_framework_info(&req.framework);
    let fid = Some(framework.id.clone())
        .filter(|f| !f.is_empty())
        .ok_or("RunTask: framework has no 'id'")?;
    let info: TaskInfo = req.task.clone();
    let tid = Some(info.task_id.value.clone())
        .filter(|t| !t.is_empty())
        .ok_or("RunTask: task has no 'task_id'")?;
    let agent_id = agent
        .agent_id()
        .or_else(|| info.agent_id.as_ref().map(|a| a.value.clone()))
        .ok_or("RunTask: the agent is not registered yet")?;
    let eid = tid.clone();
    let name = info.name.clone().unwrap_or_else(|| tid.clone());
    let role = task_role(&info, &framework);
    let resources = Resources::from_wire(&info.resources).unwrap_or_default();
    let container_id = uuid::Uuid::new_v4().to_string();
    // Defence in depth (the master validated them too): nothing is created
    // for an id that could name a path outside the work directory.
    validate_id("Task ID", &tid)?;
    if let Some(e) = req.executor.as_ref() {
        validate_id("Executor ID", &e.executor_id.value)?;
    }
    let run_rel = paths::run_rel(&fid, &eid, &container_id)?;
    let directory = agent.agent_dir(&agent_id)?.join(&run_rel);
    let meta_dir = agent.meta_agent_dir(&agent_id)?.join(&run_rel);
    let overhead = executor_overhead();
    let exec_name = executor_name(&tid, info.command.as_ref());
    let exec_info = ExecutorInfo {
        kind: Some("CUSTOM".into()),
        executor_id: Id::new(&eid),
        framework_id: Some(Id::new(&fid)),
        command: Some(CommandInfo {
            shell: Some(false),
            value: Some("mesos".into()),
            arguments: vec!["mesos".into(), "agent".into(), INTERNAL_RUN_TASK.into()],
            ..CommandInfo::default()
        }),
        resources: overhead.to_wire(Some(&role)),
        name: Some(exec_name.clone()),
        source: Some(tid.clone()),
        container: info.container.clone(),
        shutdown_grace_period: grace_of(info.kill_policy.as_ref()).map(|g| {
            crate::wire::agent_v1::DurationInfo {
                nanoseconds: (g + Duration::from_secs(2)).as_nanos() as i64,
            }
        }),
        ..ExecutorInfo::default()
    };
    let (kill_tx, kill_rx) = mpsc::unbounded_channel();
    let (done_tx, _) = watch::channel(false);
    let executor = Executor {
        id: eid.clone(),
        framework_id: fid.clone(),
        name: exec_name,
        source: tid.clone(),
        container_id: container_id.clone(),
        directory: directory.clone(),
        meta_dir: meta_dir.clone(),
        info: exec_info.clone(),
        overhead,
        task: Task {
            id: tid.clone(),
            name,
            info: info.clone(),
            state: TaskState::Staging,
            statuses: Vec::new(),
            resources,
            role,
            agent_id: agent_id.clone(),
            terminal_acked: false,
        },
        more_tasks: Vec::new(),
        custom: None,
        phase: Phase::Launching,
        pid: None,
        executor_pid: None,
        exit_status: None,
        kill_tx: Some(kill_tx),
        killed: false,
        launched_at: now_secs(),
        done_tx,
    };
    {
        let mut st = agent.lock();
        if st
            .frameworks
            .get(&fid)
            .is_some_and(|f| f.executors.contains_key(&eid))
        {
            return Err(format!(
                "Task {tid} of framework {fid} is already known to this agent; ignoring the duplicate launch"
            ));
        }
        let fw = custom::ensure_framework(&mut st, &fid, &req.framework);
        fw.executors.insert(eid.clone(), executor);
    }
    // Checkpoint before anything runs, so that a restarted agent knows
    // about the task whatever point the launch reached.
    if let Err(e) = checkpoint_launch(
        &meta_dir,
        &container_id,
        &tid,
        &req.framework,
        &exec_info,
        &info,
    ) {
        // Retried (and reported) when the sandbox is prepared.
        crate::warning!(
            "Failed to checkpoint task {tid} under '{}': {e}",
            meta_dir.display()
        );
    }
    crate::info!(
        "Launching task '{tid}' for framework {fid} in container {container_id} (sandbox {})",
        directory.display()
    );
    let agent = agent.clone();
    tokio::spawn(async move {
        run(agent, fid, eid, req, info, kill_rx).await;
    });
    Ok(())
}

/// Handle `/slave(1)/internal/kill_task`.
pub fn kill(agent: &Arc<Agent>, req: &KillTask) {
    if events::kill_task(
        agent,
        &req.framework_id,
        &req.task_id,
        req.kill_policy.as_ref(),
    ) {
        return;
    }
    let grace_from_call = grace_of(req.kill_policy.as_ref());
    let sent = {
        let mut st = agent.lock();
        match st.executor_for_task_mut(&req.framework_id, &req.task_id) {
            Some(e) if e.is_live() => {
                let grace = grace_from_call
                    .or_else(|| grace_of(e.task.info.kill_policy.as_ref()))
                    .unwrap_or(DEFAULT_KILL_GRACE);
                e.kill_tx
                    .as_ref()
                    .map(|tx| tx.send(Kill { grace }).is_ok())
                    .unwrap_or(false)
            }
            Some(_) => {
                crate::info!(
                    "Ignoring kill of task {} of framework {}: it has already terminated",
                    req.task_id,
                    req.framework_id
                );
                return;
            }
            None => false,
        }
    };
    if sent {
        crate::info!(
            "Asked to kill task {} of framework {}",
            req.task_id,
            req.framework_id
        );
        return;
    }
    // Unknown task: tell the master it is gone so it does not wait forever.
    crate::warning!(
        "Cannot kill task {} of framework {}: no such task on this agent",
        req.task_id,
        req.framework_id
    );
    let partition_aware = {
        let st = agent.lock();
        st.frameworks
            .get(&req.framework_id)
            .is_some_and(|f| f.has_capability("PARTITION_AWARE"))
    };
    let Some(aid) = agent.agent_id() else { return };
    let status = make_status(
        &req.task_id,
        if partition_aware {
            TaskState::Dropped
        } else {
            TaskState::Lost
        },
        "SOURCE_AGENT",
        Some("REASON_TASK_UNKNOWN"),
        Some("Task unknown to the agent"),
        &aid,
        None,
        None,
    );
    agent.emit(&req.framework_id, &req.task_id, status);
}

/// Handle `/slave(1)/internal/shutdown_executor`: a custom executor gets
/// SHUTDOWN (destroyed after its grace period); a command executor's task
/// is killed.
pub fn shutdown_executor(agent: &Arc<Agent>, fid: &str, eid: &str) {
    if events::shutdown(agent, fid, eid) {
        return;
    }
    let grace = agent
        .cfg
        .executor_shutdown_grace_period
        .saturating_sub(Duration::from_secs(2));
    let st = agent.lock();
    match st.executor(fid, eid) {
        Some(e) if e.is_live() => {
            if let Some(tx) = &e.kill_tx {
                crate::info!("Shutting down executor {eid} of framework {fid}");
                let _ = tx.send(Kill { grace });
            }
        }
        _ => crate::warning!(
            "Cannot shut down executor {eid} of framework {fid}: no such running executor"
        ),
    }
}

/// Handle `/slave(1)/internal/shutdown_framework`: kill every executor of
/// the framework; nothing more is reported for it.
pub fn shutdown_framework(agent: &Arc<Agent>, fid: &str) {
    let grace = agent
        .cfg
        .executor_shutdown_grace_period
        .saturating_sub(Duration::from_secs(2));
    let mut st = agent.lock();
    let Some(fw) = st.frameworks.get_mut(fid) else {
        crate::warning!("Cannot shut down unknown framework {fid}");
        return;
    };
    fw.shutting_down = true;
    crate::info!("Shutting down framework {fid}");
    let mut customs = Vec::new();
    for e in fw.executors.values_mut() {
        if e.is_custom() {
            customs.push(e.id.clone());
            for t in e.tasks_mut() {
                if t.state.is_terminal() {
                    t.terminal_acked = true;
                }
            }
            continue;
        }
        if e.is_live() {
            if let Some(tx) = &e.kill_tx {
                let _ = tx.send(Kill { grace });
            }
        }
        if e.task.state.is_terminal() {
            e.task.terminal_acked = true;
        }
    }
    let done: Vec<String> = fw
        .executors
        .values()
        .filter(|e| !e.is_live())
        .map(|e| e.id.clone())
        .collect();
    drop(st);
    agent.status.drop_framework(fid);
    for eid in customs {
        events::shutdown(agent, fid, &eid);
    }
    for eid in done {
        agent.maybe_complete(fid, &eid);
    }
}

enum WrapperLine {
    Forked(u32),
    Error(String),
    Exit(i32),
    Other,
}

fn parse_line(l: &str) -> WrapperLine {
    if let Some(p) = l.strip_prefix("forked ") {
        return p
            .trim()
            .parse()
            .map(WrapperLine::Forked)
            .unwrap_or(WrapperLine::Other);
    }
    if let Some(m) = l.strip_prefix("error ") {
        return WrapperLine::Error(m.to_string());
    }
    if let Some(s) = l.strip_prefix("exit ") {
        return s
            .trim()
            .parse()
            .map(WrapperLine::Exit)
            .unwrap_or(WrapperLine::Other);
    }
    WrapperLine::Other
}

async fn run(
    agent: Arc<Agent>,
    fid: String,
    eid: String,
    req: RunTask,
    info: TaskInfo,
    mut kill_rx: mpsc::UnboundedReceiver<Kill>,
) {
    let Some((ctx, killing_state)) = Ctx::of(&agent, &fid, &eid) else {
        return;
    };
    if let Err(e) = prepare_sandbox(&ctx, &req.framework, &info) {
        ctx.launch_failed(&format!(
            "Failed to create the sandbox '{}': {e}",
            ctx.directory.display()
        ));
        return;
    }
    attach_sandbox(&ctx);
    let stderr_path = ctx.directory.join("stderr");

    let unsupported = if req.executor.is_some() || info.executor.is_some() {
        Some("Failed to launch container: custom executors and task groups are not supported by this agent; use a command task")
    } else if info.command.is_none() {
        Some("Failed to launch container: the task has no 'command'")
    } else {
        None
    };
    if let Some(msg) = unsupported {
        ctx.launch_failed(msg);
        return;
    }
    let command = info.command.clone().unwrap_or_default();
    let shell = command.shell();
    let Some(value) = command.value.clone() else {
        ctx.launch_failed(if shell {
            "Failed to launch container: the command has no 'value' (NO COMMAND)"
        } else {
            "Failed to launch container: the command has no executable 'value' (NO EXECUTABLE)"
        });
        return;
    };

    // Fetch URIs (the fetcher appends its log to the sandbox stderr).
    let uris = &command.uris;
    if !uris.is_empty() {
        let fetch = fetcher::fetch_all(&agent, uris, &ctx.directory, &stderr_path);
        tokio::pin!(fetch);
        let outcome = loop {
            tokio::select! {
                r = &mut fetch => break Some(r),
                k = kill_rx.recv() => if k.is_some() { break None },
            }
        };
        match outcome {
            None => {
                ctx.killed_during_launch();
                return;
            }
            Some(Err(e)) => {
                ctx.launch_failed(&format!("Failed to launch container: {e}"));
                return;
            }
            Some(Ok(())) => {}
        }
    }
    if kill_rx.try_recv().is_ok() {
        ctx.killed_during_launch();
        return;
    }

    ctx.announce_check(info.check.as_ref());
    ctx.emit(TaskState::Starting, "SOURCE_EXECUTOR", None, None, None);

    // Start the executor wrapper.
    let spec = LaunchSpec {
        task_id: ctx.tid.clone(),
        shell,
        value: value.clone(),
        arguments: command.arguments.clone(),
        env: executor_env(
            &ctx,
            &req.framework,
            Some(&ctx.tid),
            info.command.as_ref(),
            false,
        ),
        cwd: ctx.directory.clone(),
        stdout: ctx.directory.join("stdout"),
        status_path: ctx.meta_dir.join("wait_status"),
        pid_path: ctx.meta_dir.join("pids").join("forked.pid"),
        executor_pid_path: Some(ctx.meta_dir.join("pids").join("executor.pid")),
        agent_pid_path: Some(ctx.meta_dir.join("pids").join("agent.pid")),
        tty: switchboard::tty_of(info.container.as_ref()),
    };
    let spec_path = ctx.meta_dir.join("launch.json");
    let write = serde_json::to_vec(&spec)
        .map_err(|e| e.to_string())
        .and_then(|b| write_atomic(&spec_path, &b).map_err(|e| e.to_string()));
    if let Err(e) = write {
        ctx.launch_failed(&format!(
            "Failed to launch container: cannot write the launch spec: {e}"
        ));
        return;
    }
    let stderr_file = match std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&stderr_path)
    {
        Ok(f) => f,
        Err(e) => {
            ctx.launch_failed(&format!(
                "Failed to launch container: cannot open '{}': {e}",
                stderr_path.display()
            ));
            return;
        }
    };
    let mut cmd = wrapper::command(&spec_path, stderr_file, &ctx.directory);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            ctx.launch_failed(&format!(
                "Failed to launch container: cannot start the executor: {e}"
            ));
            return;
        }
    };
    let executor_pid = child.id();
    if let (Some(p), Some(path)) = (executor_pid, &spec.executor_pid_path) {
        // The wrapper writes it too; whoever is first, a restarted agent
        // finds the executor.
        let _ = write_atomic(path, p.to_string().as_bytes());
    }
    let Some(stdout) = child.stdout.take() else {
        ctx.launch_failed("Failed to launch container: executor has no stdout");
        return;
    };
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let registration_timeout = agent
        .cfg
        .flags
        .duration("executor_registration_timeout")
        .unwrap_or(Duration::from_secs(60));
    // The first line says whether the command was forked.
    let first = tokio::time::timeout(registration_timeout, async {
        loop {
            match lines.next_line().await {
                Ok(Some(l)) => match parse_line(&l) {
                    WrapperLine::Other => continue,
                    other => return Some(other),
                },
                _ => return None,
            }
        }
    })
    .await;
    let pid = match first {
        Ok(Some(WrapperLine::Forked(pid))) => pid,
        Ok(Some(WrapperLine::Error(msg))) => {
            let _ = child.wait().await;
            ctx.launch_failed(&format!("Failed to launch container: {msg}"));
            return;
        }
        Ok(_) => {
            let st = child.wait().await.ok().map(|s| s.into_raw());
            ctx.launch_failed(&format!(
                "Failed to launch container: the executor exited before starting the command ({})",
                st.map(describe_wait_status)
                    .unwrap_or_else(|| "unknown status".into())
            ));
            return;
        }
        Err(_) => {
            if let Some(p) = executor_pid {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(p as i32),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
            let _ = child.wait().await;
            ctx.launch_failed(&format!(
                "Failed to launch container: the executor did not start the command within {}",
                format_mesos_duration(registration_timeout)
            ));
            return;
        }
    };
    {
        let mut st = agent.lock();
        if let Some(e) = st.executor_mut(&ctx.fid, &ctx.eid) {
            e.phase = Phase::Running;
            e.pid = Some(pid);
            e.executor_pid = executor_pid;
        }
    }
    crate::info!(
        "Forked command of task {} at {pid} (executor pid {})",
        ctx.tid,
        executor_pid.unwrap_or(0)
    );
    ctx.emit(
        TaskState::Running,
        "SOURCE_EXECUTOR",
        None,
        None,
        executor_pid.or(Some(pid)),
    );

    // Health checks (if any) from now on, as the Mesos command executor
    // starts them once the command is forked.
    let mut health = ctx.start_health(info.health_check.as_ref(), spec.env.clone());
    let mut checks = ctx.start_checks(info.check.as_ref(), spec.env.clone(), None);

    // Wait for the exit, handling kills and health reports.
    let mut killer = Killer::new(killing_state, stderr_path.clone());
    let mut kill_open = true;
    let mut raw: Option<i32> = None;
    let status_pid = executor_pid.or(Some(pid));
    loop {
        tokio::select! {
            l = lines.next_line() => match l {
                Ok(Some(l)) => {
                    if let WrapperLine::Exit(s) = parse_line(&l) {
                        raw = Some(s);
                        break;
                    }
                }
                _ => break,
            },
            k = kill_rx.recv(), if kill_open => match k {
                None => kill_open = false,
                Some(k) => {
                    // Checks are not run while the task is being killed.
                    checks.stop();
                    killer.kill_checked(&ctx, &mut health, k, Some(pid), status_pid)
                }
            },
            r = health.next() => killer.health_report(&ctx, &mut health, r, Some(pid), status_pid),
            c = checks.next() => ctx.check_update(c, status_pid),
            _ = killer.escalation() => killer.escalate(&ctx, Some(pid)),
        }
    }
    health.stop();
    checks.stop();
    let wrapper_status = child.wait().await.ok();
    if raw.is_none() {
        // The wrapper died without reporting: look at its checkpoint.
        raw = match read_wait_status(&spec.status_path) {
            Some(WaitStatus::Exited(s)) => Some(s),
            _ => None,
        };
        signal_group(pid, libc::SIGKILL);
    }
    let Some(raw) = raw else {
        let why = wrapper_status
            .map(|s| describe_wait_status(s.into_raw()).replace("Command", "Executor"))
            .unwrap_or_else(|| "Executor terminated".into());
        ctx.executor_gone(&why);
        return;
    };
    ctx.finish(raw, killer.killed, status_pid);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::agent_v1::KillPolicy;

    #[test]
    fn kill_policy_grace() {
        let p: KillPolicy =
            serde_json::from_str(r#"{"grace_period": {"nanoseconds": 1500000000}}"#).unwrap();
        assert_eq!(grace_of(Some(&p)), Some(Duration::from_millis(1500)));
        assert_eq!(grace_of(Some(&KillPolicy::default())), None);
        assert_eq!(grace_of(None), None);
    }

    #[test]
    fn wrapper_lines() {
        assert!(matches!(parse_line("forked 42"), WrapperLine::Forked(42)));
        assert!(matches!(parse_line("exit 256"), WrapperLine::Exit(256)));
        assert!(matches!(parse_line("error x y"), WrapperLine::Error(m) if m == "x y"));
        assert!(matches!(parse_line("junk"), WrapperLine::Other));
    }
}
