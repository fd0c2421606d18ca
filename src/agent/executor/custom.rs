//! Custom executors, and the default executor of task groups
//! (docs/agent-design.md#custom-executors-and-the-executor-api).
//!
//! A task whose TaskInfo carries an `executor` (or a task group) runs under
//! that executor: the agent starts `ExecutorInfo.command` once per
//! (framework, executor id) in the sandbox
//! `.../executors/<executor id>/runs/<container>`, in a session of its own,
//! with stdout/stderr appended to the sandbox files and the environment
//! real agents give executors; the executor then talks to the agent over
//! the v1 executor API (the `calls` module). The tasks reach it as events:
//! LAUNCH / LAUNCH_GROUP (queued until it subscribes), KILL, MESSAGE,
//! SHUTDOWN. Here: launching, the process watch (registration timeout,
//! destruction: SIGTERM then SIGKILL to the process group), the executor's
//! exit (its unfinished tasks fail, the master hears of it), kills,
//! framework messages and shutdowns.

use std::future::Future;
use std::os::unix::process::ExitStatusExt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{mpsc, watch};

use super::ctx::Ctx;
use super::process::{describe_wait_status, signal_group};
use super::setup::{attach_sandbox, checkpoint_launch, executor_env, prepare_sandbox, to_json};
use super::wrapper::self_exe;
use crate::agent::core::Agent;
use crate::agent::model::{parse_framework_info, Custom, Executor, Framework, Phase, State, Task};
use crate::agent::paths::{self, write_atomic};
use crate::agent::status::make_status;
use crate::agent::{config::default_executor_command, fetcher, registration};
use crate::daemon::ids::validate_id;
use crate::daemon::now_secs;
use crate::duration::format_mesos_duration;
use crate::resources::Resources;
use crate::wire::agent_v1::{ExecutorInfo, Id, TaskInfo};
use crate::wire::executor::{Event, Launch, LaunchGroup, TaskGroupInfo};
use crate::wire::internal::{paths as ipaths, ExitedExecutor};
use crate::wire::TaskState;

/// Reason of the tasks of an executor that never subscribed.
pub const REGISTRATION_TIMEOUT: &str = "REASON_EXECUTOR_REGISTRATION_TIMEOUT";
/// Reason of the tasks of a recovered executor that did not subscribe
/// again in time.
pub const REREGISTRATION_TIMEOUT: &str = "REASON_EXECUTOR_REREGISTRATION_TIMEOUT";
/// Reason of the tasks of an executor that terminated.
pub const EXECUTOR_TERMINATED: &str = "REASON_EXECUTOR_TERMINATED";
/// Between SIGTERM and SIGKILL when the agent destroys an executor.
pub const DESTROY_GRACE: Duration = Duration::from_secs(3);

/// A launch on a custom (or default) executor: one task (LAUNCH) or a
/// task group (LAUNCH_GROUP).
#[derive(Clone, Debug)]
pub struct CustomLaunch {
    /// The FrameworkInfo, verbatim.
    pub framework: Value,
    pub executor: ExecutorInfo,
    pub tasks: Vec<TaskInfo>,
    pub group: bool,
}

/// Whether an ExecutorInfo is the one the agent made up for a command task
/// (run by our wrapper), as opposed to a framework's custom executor.
pub fn is_command_executor(info: &ExecutorInfo) -> bool {
    info.command.as_ref().is_some_and(|c| {
        c.arguments
            .iter()
            .any(|a| a == crate::agent::config::INTERNAL_RUN_TASK)
    })
}

/// Add the framework to the state (a framework coming back keeps its
/// completed executors) and refresh its FrameworkInfo.
pub fn ensure_framework<'a>(st: &'a mut State, fid: &str, info: &Value) -> &'a mut Framework {
    if !st.frameworks.contains_key(fid) {
        let previous = st
            .completed_frameworks
            .iter()
            .position(|f| f.id == fid)
            .and_then(|i| st.completed_frameworks.remove(i));
        let fw = previous.unwrap_or_else(|| Framework::new(fid, info.clone()));
        st.frameworks.insert(fid.to_string(), fw);
    }
    let fw = st.frameworks.get_mut(fid).expect("inserted above");
    fw.set_info(info.clone());
    fw.shutting_down = false;
    fw
}

fn new_task(info: &TaskInfo, role: &str, agent_id: &str) -> Task {
    let tid = info.task_id.value.clone();
    Task {
        name: info.name.clone().unwrap_or_else(|| tid.clone()),
        id: tid,
        info: info.clone(),
        state: TaskState::Staging,
        statuses: Vec::new(),
        resources: Resources::from_wire(&info.resources).unwrap_or_default(),
        role: role.to_string(),
        agent_id: agent_id.to_string(),
        terminal_acked: false,
    }
}

/// The LAUNCH / LAUNCH_GROUP event of a launch.
fn launch_event(tasks: &[TaskInfo], group: bool) -> Event {
    if group {
        Event {
            kind: "LAUNCH_GROUP".into(),
            launch_group: Some(LaunchGroup {
                task_group: TaskGroupInfo {
                    tasks: tasks.to_vec(),
                },
            }),
            ..Event::default()
        }
    } else {
        Event {
            kind: "LAUNCH".into(),
            launch: tasks.first().cloned().map(|task| Launch { task }),
            ..Event::default()
        }
    }
}

/// What happened to a launch.
enum Placed {
    /// A new executor is to be started.
    New(mpsc::UnboundedReceiver<()>),
    /// The tasks went to the running executor (checkpoint them there).
    Running(std::path::PathBuf),
    /// The executor is going away: the tasks are dropped.
    Terminating,
}

/// Handle a `run_task` with an executor, or a `run_task_group`: start the
/// executor, or hand the task(s) to the running one.
pub fn launch(agent: &Arc<Agent>, l: CustomLaunch) -> Result<(), String> {
    let framework = parse_framework_info(&l.framework);
    let fid = Some(framework.id.clone())
        .filter(|f| !f.is_empty())
        .ok_or("RunTask: framework has no 'id'")?;
    let mut exec = l.executor.clone();
    let eid = exec.executor_id.value.clone();
    if eid.is_empty() {
        return Err("RunTask: the executor has no 'executor_id'".into());
    }
    validate_id("Executor ID", &eid)?;
    if l.tasks.is_empty() {
        return Err("RunTaskGroup: the task group has no tasks".into());
    }
    for t in &l.tasks {
        if t.task_id.value.is_empty() {
            return Err("RunTask: task has no 'task_id'".into());
        }
        validate_id("Task ID", &t.task_id.value)?;
    }
    let agent_id = agent
        .agent_id()
        .or_else(|| l.tasks[0].agent_id.as_ref().map(|a| a.value.clone()))
        .ok_or("RunTask: the agent is not registered yet")?;
    exec.framework_id = Some(Id::new(&fid));
    if exec.kind.as_deref() == Some("DEFAULT") {
        exec.command = Some(default_executor_command(&self_exe()));
    }
    if exec.command.is_none() {
        return Err(format!("RunTask: executor {eid} has no 'command'"));
    }
    let tasks: Vec<Task> = l
        .tasks
        .iter()
        .map(|t| new_task(t, &super::task_role(t, &framework), &agent_id))
        .collect();
    let ids: Vec<String> = tasks.iter().map(|t| t.id.clone()).collect();
    let event = launch_event(&l.tasks, l.group);
    let container_id = uuid::Uuid::new_v4().to_string();
    let run_rel = paths::run_rel(&fid, &eid, &container_id)?;
    let directory = agent.agent_dir(&agent_id)?.join(&run_rel);
    let meta_dir = agent.meta_agent_dir(&agent_id)?.join(&run_rel);
    let placed = {
        let mut st = agent.lock();
        let known = st.frameworks.get(&fid).is_some_and(|f| {
            f.executors
                .values()
                .any(|e| ids.iter().any(|id| e.task_by_id(id).is_some()))
        });
        if known {
            return Err(format!(
                "Task {} of framework {fid} is already known to this agent; ignoring the duplicate launch",
                ids.join(", ")
            ));
        }
        let fw = ensure_framework(&mut st, &fid, &l.framework);
        match fw.executors.get_mut(&eid) {
            Some(e) => match e.custom.as_mut() {
                Some(c) if e.phase != Phase::Terminated && !c.shutting_down => {
                    c.send(event);
                    e.more_tasks.extend(tasks);
                    Placed::Running(e.meta_dir.clone())
                }
                _ => Placed::Terminating,
            },
            None => {
                let (destroy_tx, destroy_rx) = mpsc::unbounded_channel();
                let (done_tx, _) = watch::channel(false);
                let mut it = tasks.into_iter();
                let first = it.next().expect("at least one task");
                let executor = Executor {
                    id: eid.clone(),
                    framework_id: fid.clone(),
                    name: exec.name.clone().unwrap_or_default(),
                    source: exec.source.clone().unwrap_or_default(),
                    container_id: container_id.clone(),
                    directory: directory.clone(),
                    meta_dir: meta_dir.clone(),
                    info: exec.clone(),
                    overhead: Resources::from_wire(&exec.resources).unwrap_or_default(),
                    task: first,
                    more_tasks: it.collect(),
                    custom: Some(Custom {
                        queued: [event].into(),
                        destroy_tx: Some(destroy_tx),
                        ..Custom::default()
                    }),
                    phase: Phase::Launching,
                    pid: None,
                    executor_pid: None,
                    exit_status: None,
                    kill_tx: None,
                    killed: false,
                    launched_at: now_secs(),
                    done_tx,
                };
                fw.executors.insert(eid.clone(), executor);
                Placed::New(destroy_rx)
            }
        }
    };
    match placed {
        Placed::Terminating => {
            let partition_aware = partition_aware(agent, &fid);
            for tid in &ids {
                crate::warning!(
                    "Dropping task {tid} of framework {fid}: its executor {eid} is terminating"
                );
                let status = make_status(
                    tid,
                    if partition_aware {
                        TaskState::Dropped
                    } else {
                        TaskState::Lost
                    },
                    "SOURCE_AGENT",
                    Some(EXECUTOR_TERMINATED),
                    Some("Executor terminating"),
                    &agent_id,
                    Some(&eid),
                    None,
                );
                agent.emit(&fid, tid, status);
            }
        }
        Placed::Running(meta) => {
            crate::info!(
                "Queued task(s) {} for executor {eid} of framework {fid}",
                ids.join(", ")
            );
            for t in &l.tasks {
                checkpoint_task(&meta, t);
            }
        }
        Placed::New(destroy_rx) => {
            if let Err(e) = checkpoint_launch(
                &meta_dir,
                &container_id,
                &ids[0],
                &l.framework,
                &exec,
                &l.tasks[0],
            ) {
                crate::warning!(
                    "Failed to checkpoint executor {eid} under '{}': {e}",
                    meta_dir.display()
                );
            }
            for t in &l.tasks[1..] {
                checkpoint_task(&meta_dir, t);
            }
            crate::info!(
                "Launching executor '{eid}' of framework {fid} with task(s) {} in container {container_id} (sandbox {})",
                ids.join(", "),
                directory.display()
            );
            let agent = agent.clone();
            let first = l.tasks[0].clone();
            tokio::spawn(async move {
                start(agent, fid, eid, l.framework, exec, first, destroy_rx).await;
            });
        }
    }
    Ok(())
}

/// `tasks/<id>/task.info` under a run's checkpoint directory.
fn checkpoint_task(meta: &std::path::Path, task: &TaskInfo) {
    let r = paths::task_meta_dir(meta, &task.task_id.value)
        .map_err(std::io::Error::other)
        .and_then(|d| write_atomic(&d.join("task.info"), &to_json(task)?));
    if let Err(e) = r {
        crate::warning!(
            "Failed to checkpoint task {} under '{}': {e}",
            task.task_id.value,
            meta.display()
        );
    }
}

fn partition_aware(agent: &Agent, fid: &str) -> bool {
    agent
        .lock()
        .frameworks
        .get(fid)
        .is_some_and(|f| f.has_capability("PARTITION_AWARE"))
}

/// Prepare the sandbox, fetch, start the executor process and watch it.
async fn start(
    agent: Arc<Agent>,
    fid: String,
    eid: String,
    framework: Value,
    exec: ExecutorInfo,
    first: TaskInfo,
    mut destroy_rx: mpsc::UnboundedReceiver<()>,
) {
    let Some((ctx, _)) = Ctx::of(&agent, &fid, &eid) else {
        return;
    };
    if let Err(e) = prepare_sandbox(&ctx, &framework, &first) {
        launch_failed(
            &ctx,
            &format!(
                "Failed to create the sandbox '{}': {e}",
                ctx.directory.display()
            ),
        );
        return;
    }
    attach_sandbox(&ctx);
    let stderr_path = ctx.directory.join("stderr");
    let command = exec.command.clone().unwrap_or_default();
    if !command.uris.is_empty() {
        let fetch = fetcher::fetch_all(&agent, &command.uris, &ctx.directory, &stderr_path);
        tokio::pin!(fetch);
        let outcome = tokio::select! {
            r = &mut fetch => Some(r),
            _ = destroy_rx.recv() => None,
        };
        match outcome {
            None => {
                launch_failed(&ctx, "Executor destroyed during the fetch");
                return;
            }
            Some(Err(e)) => {
                launch_failed(&ctx, &format!("Failed to launch container: {e}"));
                return;
            }
            Some(Ok(())) => {}
        }
    }
    let Some(value) = command.value.clone() else {
        launch_failed(
            &ctx,
            "Failed to launch container: the executor's command has no 'value'",
        );
        return;
    };
    let mut env = executor_env(&ctx, &framework, None, Some(&command), true);
    // The executor's own grace period, when it has one.
    if let Some(g) = exec
        .shutdown_grace_period
        .as_ref()
        .filter(|d| d.nanoseconds > 0)
    {
        let grace = format_mesos_duration(Duration::from_nanos(g.nanoseconds as u64));
        for (k, v) in env.iter_mut() {
            if k == "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD" {
                *v = grace.clone();
            }
        }
    }
    let open = |name: &str| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(ctx.directory.join(name))
    };
    let (out, err) = match (open("stdout"), open("stderr")) {
        (Ok(o), Ok(e)) => (o, e),
        (Err(e), _) | (_, Err(e)) => {
            launch_failed(
                &ctx,
                &format!("Failed to launch container: cannot open the sandbox's output files: {e}"),
            );
            return;
        }
    };
    let mut cmd = if command.shell() {
        let mut c = tokio::process::Command::new("/bin/sh");
        c.arg("-c").arg(&value);
        c
    } else {
        let mut c = tokio::process::Command::new(&value);
        if let Some((argv0, rest)) = command.arguments.split_first() {
            c.arg0(argv0).args(rest);
        }
        c
    };
    cmd.env_clear()
        .envs(env)
        .current_dir(&ctx.directory)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::from(out))
        .stderr(std::process::Stdio::from(err))
        .kill_on_drop(false);
    // SAFETY: pre_exec has no safe form; the closure only calls setsid(2),
    // which is async-signal-safe.
    unsafe {
        // Own session and process group: a kill reaches everything it
        // started, and neither a terminal nor the agent's exit reaches it.
        cmd.pre_exec(|| {
            nix::unistd::setsid()?;
            Ok(())
        });
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            launch_failed(
                &ctx,
                &format!(
                    "Failed to launch container: cannot start executor command '{value}': {e}"
                ),
            );
            return;
        }
    };
    let Some(pid) = child.id() else {
        launch_failed(
            &ctx,
            "Failed to launch container: the executor exited at once",
        );
        return;
    };
    let _ = write_atomic(
        &ctx.meta_dir.join("pids").join("executor.pid"),
        pid.to_string().as_bytes(),
    );
    {
        let mut st = agent.lock();
        if let Some(e) = st.executor_mut(&fid, &eid) {
            e.phase = Phase::Running;
            e.pid = Some(pid);
            e.executor_pid = Some(pid);
        }
    }
    crate::info!("Started executor {eid} of framework {fid} at pid {pid}");
    let exit = async move { child.wait().await.ok().map(|s| s.into_raw()) };
    let timeout = registration_timeout(&agent);
    watch_process(ctx, pid, exit, destroy_rx, timeout, REGISTRATION_TIMEOUT).await;
}

/// `--executor_reregistration_timeout`.
pub fn reregistration_timeout(agent: &Agent) -> Duration {
    agent
        .cfg
        .flags
        .duration("executor_reregistration_timeout")
        .unwrap_or(Duration::from_secs(2))
}

/// Whether `pid` still is the executor of the sandbox `dir` (its working
/// directory), not a process that reused the pid.
fn runs_in(pid: u32, dir: &std::path::Path) -> bool {
    std::fs::read_link(format!("/proc/{pid}/cwd")).is_ok_and(|cwd| cwd == dir)
}

/// Recovery: pick up a recovered custom executor (already in the state,
/// its status streams restored). A live one gets
/// `--executor_reregistration_timeout` to subscribe again (else it is
/// killed); one that is gone has its unfinished tasks fail. The tasks it
/// never acknowledged receiving are offered to it again when it subscribes.
pub fn resume(agent: &Arc<Agent>, fid: &str, eid: &str, pid: Option<u32>) {
    let Some((ctx, _)) = Ctx::of(agent, fid, eid) else {
        return;
    };
    let Some(pid) =
        pid.filter(|p| super::process::process_alive(*p) && runs_in(*p, &ctx.directory))
    else {
        crate::info!(
            "Executor {eid} of framework {fid} is gone (it terminated while the agent was down)"
        );
        exited(&ctx, None);
        return;
    };
    let (tx, rx) = mpsc::unbounded_channel();
    {
        let mut st = agent.lock();
        let Some(e) = st.executor_mut(fid, eid) else {
            return;
        };
        e.phase = Phase::Running;
        e.pid = Some(pid);
        e.executor_pid = Some(pid);
        let staging: Vec<TaskInfo> = e
            .tasks()
            .filter(|t| t.state == TaskState::Staging)
            .map(|t| t.info.clone())
            .collect();
        let group = e.info.kind.as_deref() == Some("DEFAULT");
        let c = e.custom.get_or_insert_with(Custom::default);
        c.destroy_tx = Some(tx);
        if !staging.is_empty() {
            if group {
                c.queued.push_back(launch_event(&staging, true));
            } else {
                for t in staging {
                    c.queued.push_back(launch_event(&[t], false));
                }
            }
        }
    }
    crate::info!(
        "Recovered executor {eid} of framework {fid} (pid {pid}); waiting up to {} for it to subscribe again",
        format_mesos_duration(reregistration_timeout(agent))
    );
    let exit = async move {
        match super::process::pidfd(pid) {
            Some(fd) => super::process::process_exit(Some(&fd)).await,
            None => {
                while super::process::process_alive(pid) {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
        None
    };
    let within = reregistration_timeout(agent);
    tokio::spawn(watch_process(
        ctx,
        pid,
        exit,
        rx,
        within,
        REREGISTRATION_TIMEOUT,
    ));
}

/// `--executor_registration_timeout`.
pub fn registration_timeout(agent: &Agent) -> Duration {
    agent
        .cfg
        .flags
        .duration("executor_registration_timeout")
        .unwrap_or(Duration::from_secs(60))
}

/// Watch a running executor (process group `pid`) until it exits: kill it
/// when it does not subscribe within `subscribe_within` (its tasks then
/// end with `timeout_reason`), destroy it on
/// request (SIGTERM, SIGKILL after [`DESTROY_GRACE`]), then handle its exit.
/// `exit` resolves to the raw wait status when known.
pub async fn watch_process(
    ctx: Ctx,
    pid: u32,
    exit: impl Future<Output = Option<i32>>,
    mut destroy_rx: mpsc::UnboundedReceiver<()>,
    subscribe_within: Duration,
    timeout_reason: &'static str,
) {
    tokio::pin!(exit);
    let deadline = tokio::time::Instant::now() + subscribe_within;
    let mut check_subscribed = true;
    let mut destroy_open = true;
    let mut kill_at: Option<tokio::time::Instant> = None;
    let raw = loop {
        tokio::select! {
            s = &mut exit => break s,
            _ = tokio::time::sleep_until(deadline), if check_subscribed => {
                check_subscribed = false;
                let late = {
                    let mut st = ctx.agent.lock();
                    match st.executor_mut(&ctx.fid, &ctx.eid).and_then(|e| e.custom.as_mut()) {
                        Some(c) if !c.subscribed => {
                            c.destroy_reason.get_or_insert_with(|| timeout_reason.into());
                            true
                        }
                        _ => false,
                    }
                };
                if late {
                    crate::warning!(
                        "Terminating executor {} of framework {}: it did not subscribe within {}",
                        ctx.eid, ctx.fid, format_mesos_duration(subscribe_within)
                    );
                    signal_group(pid, libc::SIGKILL);
                }
            }
            d = destroy_rx.recv(), if destroy_open => match d {
                None => destroy_open = false,
                Some(()) => if kill_at.is_none() {
                    crate::info!(
                        "Sending SIGTERM to process group {pid} of executor {} of framework {}",
                        ctx.eid, ctx.fid
                    );
                    signal_group(pid, libc::SIGTERM);
                    kill_at = Some(tokio::time::Instant::now() + DESTROY_GRACE);
                },
            },
            _ = async { tokio::time::sleep_until(kill_at.expect("guarded")).await }, if kill_at.is_some() => {
                crate::info!("Sending SIGKILL to process group {pid} of executor {}", ctx.eid);
                signal_group(pid, libc::SIGKILL);
                kill_at = None;
            }
        }
    };
    // Whatever the executor left behind in its process group.
    signal_group(pid, libc::SIGKILL);
    exited(&ctx, raw);
}

/// The executor terminated (wait status `raw` when known): its unfinished
/// tasks end (TASK_FAILED, TASK_GONE for a partition-aware framework;
/// REASON_EXECUTOR_REGISTRATION_TIMEOUT when it never subscribed), the
/// master is told (`exited_executor`), the container is terminated.
pub fn exited(ctx: &Ctx, raw: Option<i32>) {
    let agent = &ctx.agent;
    let (live, reason, framework_gone, partition_aware) = {
        let mut st = agent.lock();
        let fw = st.frameworks.get(&ctx.fid);
        let framework_gone = fw.is_none_or(|f| f.shutting_down);
        let partition_aware = fw.is_some_and(|f| f.has_capability("PARTITION_AWARE"));
        let Some(e) = st.executor_mut(&ctx.fid, &ctx.eid) else {
            return;
        };
        let mut reason = None;
        if let Some(c) = e.custom.as_mut() {
            c.conn = None;
            c.destroy_tx = None;
            c.queued.clear();
            reason = c.destroy_reason.clone();
        }
        let live: Vec<String> = e
            .tasks()
            .filter(|t| !t.state.is_terminal())
            .map(|t| t.id.clone())
            .collect();
        (live, reason, framework_gone, partition_aware)
    };
    let why = raw
        .map(|r| describe_wait_status(r).replacen("Command", "Executor", 1))
        .unwrap_or_else(|| "the executor is gone".into());
    crate::info!("Executor {} of framework {}: {why}", ctx.eid, ctx.fid);
    for tid in &live {
        let status = if reason.as_deref() == Some(REREGISTRATION_TIMEOUT) {
            make_status(
                tid,
                if partition_aware {
                    TaskState::Gone
                } else {
                    TaskState::Failed
                },
                "SOURCE_AGENT",
                Some(REREGISTRATION_TIMEOUT),
                Some(&format!(
                    "Executor did not reregister within {}",
                    format_mesos_duration(reregistration_timeout(agent))
                )),
                &ctx.agent_id,
                Some(&ctx.eid),
                None,
            )
        } else if reason.as_deref() == Some(REGISTRATION_TIMEOUT) {
            make_status(
                tid,
                TaskState::Failed,
                "SOURCE_AGENT",
                Some(REGISTRATION_TIMEOUT),
                Some(&format!(
                    "Executor did not register within {}",
                    format_mesos_duration(registration_timeout(agent))
                )),
                &ctx.agent_id,
                Some(&ctx.eid),
                None,
            )
        } else {
            make_status(
                tid,
                if partition_aware {
                    TaskState::Gone
                } else {
                    TaskState::Failed
                },
                "SOURCE_AGENT",
                Some(EXECUTOR_TERMINATED),
                Some(&format!("Executor terminated: {why}")),
                &ctx.agent_id,
                Some(&ctx.eid),
                None,
            )
        };
        agent.emit(&ctx.fid, tid, status);
    }
    if !framework_gone {
        let body = ExitedExecutor {
            agent_id: ctx.agent_id.clone(),
            framework_id: ctx.fid.clone(),
            executor_id: ctx.eid.clone(),
            status: raw.unwrap_or(libc::SIGKILL),
        };
        let a = agent.clone();
        tokio::spawn(async move {
            registration::post_master(&a, ipaths::EXITED_EXECUTOR, &body, 30).await;
        });
    }
    ctx.terminated(raw);
}

/// The executor could not be started: every task fails (SOURCE_AGENT,
/// REASON_CONTAINER_LAUNCH_FAILED).
fn launch_failed(ctx: &Ctx, message: &str) {
    crate::error!(
        "Container {} of executor {} failed to launch: {message}",
        ctx.container_id,
        ctx.eid
    );
    crate::daemon::log::append_glog(
        &ctx.directory.join("stderr"),
        crate::daemon::log::Level::Error,
        message,
    );
    let live: Vec<String> = {
        let mut st = ctx.agent.lock();
        st.counters.container_launch_errors += 1;
        st.executor_mut(&ctx.fid, &ctx.eid)
            .map(|e| {
                if let Some(c) = e.custom.as_mut() {
                    c.queued.clear();
                    c.destroy_tx = None;
                }
                e.tasks()
                    .filter(|t| !t.state.is_terminal())
                    .map(|t| t.id.clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    for tid in live {
        let status = make_status(
            &tid,
            TaskState::Failed,
            "SOURCE_AGENT",
            Some("REASON_CONTAINER_LAUNCH_FAILED"),
            Some(message),
            &ctx.agent_id,
            Some(&ctx.eid),
            None,
        );
        ctx.agent.emit(&ctx.fid, &tid, status);
    }
    ctx.terminated(None);
}
