//! Command tasks, run the way the Mesos command executor runs them
//! (docs/wire-notes.md#command-executor).
//!
//! For each task the agent creates the sandbox
//! `<work_dir>/slaves/<agent>/frameworks/<fw>/executors/<task>/runs/<container>`
//! (+ `runs/latest`), checkpoints the task under `<work_dir>/meta/...`,
//! fetches the URIs, and starts a small executor process of our own binary
//! (`mesos agent --internal-run-task=<launch.json>`, see [`wrapper_main`]) in
//! its own session. The wrapper forks the command in a new session of its
//! own (so a kill reaches the whole process group), reports
//! `forked <pid>` on its stdout, waits for it, kills what is left of the
//! group, writes the wait status atomically to `<run meta>/wait_status` and
//! reports `exit <raw status>`. Because the wrapper survives an agent
//! restart and leaves the exit status on disk, a later agent can recover
//! running tasks.

use std::io::Write;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};
use tokio::io::AsyncBufReadExt;
use tokio::sync::{mpsc, watch};

use super::paths;
use super::state::{
    executor_name, executor_overhead, framework_roles, id_obj, id_of, now_secs, symlink_atomic,
    write_atomic, Agent, Executor, Framework, Kill, Phase, Task,
};
use super::status::make_status;
use crate::daemon::ids::validate_id;
use crate::daemon::log::{format_line, Level};
use crate::daemon::proto::{KillTask, RunTask};
use crate::duration::format_mesos_duration;
use crate::resources::Resources;

/// Default kill grace period of the command executor.
pub const DEFAULT_KILL_GRACE: Duration = Duration::from_secs(3);
/// PATH for tasks when the agent's environment has none.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// What the wrapper needs to start the command (`<run meta>/launch.json`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LaunchSpec {
    pub task_id: String,
    pub shell: bool,
    pub value: String,
    #[serde(default)]
    pub arguments: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cwd: PathBuf,
    /// Sandbox `stdout` (the wrapper's own stderr is the sandbox `stderr`).
    pub stdout: PathBuf,
    /// Where the wait status goes (atomically).
    pub status_path: PathBuf,
    /// Where the command's pid goes.
    pub pid_path: PathBuf,
    /// Where the wrapper records its own pid (`pids/executor.pid`).
    #[serde(default)]
    pub executor_pid_path: Option<PathBuf>,
    /// Where a restarted agent that recovered this run announces itself
    /// (`pids/agent.pid`: `<pid> <start time>`); see [`watch_agent`].
    #[serde(default)]
    pub agent_pid_path: Option<PathBuf>,
}

/// The outcome a wrapper left in `<run meta>/wait_status`.
#[derive(Clone, Debug, PartialEq)]
pub enum WaitStatus {
    /// Raw wait status of the command.
    Exited(i32),
    /// The command could not be started.
    Error(String),
}

/// Read `<run meta>/wait_status` (written atomically by the wrapper).
pub fn read_wait_status(path: &Path) -> Option<WaitStatus> {
    let v: Json = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    if let Some(s) = v.get("status").and_then(Json::as_i64) {
        return Some(WaitStatus::Exited(s as i32));
    }
    let msg = v
        .get("error")
        .and_then(Json::as_str)
        .unwrap_or("unknown error");
    Some(WaitStatus::Error(msg.to_string()))
}

/// Fields 3 (state) and 22 (start time, clock ticks since boot) of
/// `/proc/<pid>/stat`.
pub fn proc_state_and_start(pid: u32) -> Option<(char, u64)> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &s[s.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let state = f.first()?.chars().next()?;
    let start = f.get(22 - 3)?.parse().ok()?;
    Some((state, start))
}

/// A process exists and is not a zombie.
pub fn process_alive(pid: u32) -> bool {
    pid > 0 && proc_state_and_start(pid).is_some_and(|(s, _)| s != 'Z' && s != 'X')
}

/// `pid` is a live executor wrapper started with `spec_path` (guards
/// against pid reuse).
pub fn wrapper_alive(pid: u32, spec_path: &Path) -> bool {
    if !process_alive(pid) {
        return false;
    }
    let want = format!("{}={}", super::INTERNAL_RUN_TASK, spec_path.display());
    match std::fs::read(format!("/proc/{pid}/cmdline")) {
        Ok(b) => b.split(|c| *c == 0).any(|a| a == want.as_bytes()),
        Err(_) => false,
    }
}

/// `<pid> <start time>` of this process (the agent), as written to
/// `pids/agent.pid` when the agent reconnects to a recovered executor.
pub fn agent_marker() -> String {
    let pid = std::process::id();
    let start = proc_state_and_start(pid).map(|(_, t)| t).unwrap_or(0);
    format!("{pid} {start}")
}

/// The agent a marker names is still running (same pid, same start time).
fn marker_alive(text: &str) -> bool {
    let mut it = text.split_whitespace();
    let (Some(pid), Some(start)) = (
        it.next().and_then(|p| p.parse::<u32>().ok()),
        it.next().and_then(|t| t.parse::<u64>().ok()),
    ) else {
        return false;
    };
    matches!(proc_state_and_start(pid), Some((s, t)) if s != 'Z' && s != 'X' && t == start)
}

/// A pid read from a checkpoint file.
pub fn read_pid(path: &Path) -> Option<u32> {
    std::fs::read_to_string(path)
        .ok()?
        .trim()
        .parse()
        .ok()
        .filter(|p| *p > 1)
}

/// `Command exited with status N` / `Command terminated with signal <Name>`.
pub fn describe_wait_status(raw: i32) -> String {
    let st = std::process::ExitStatus::from_raw(raw);
    if let Some(code) = st.code() {
        format!("Command exited with status {code}")
    } else if let Some(sig) = st.signal() {
        format!("Command terminated with signal {}", signal_name(sig))
    } else {
        format!("Command terminated with wait status {raw}")
    }
}

/// `strsignal` text (glibc) for a signal number.
pub fn signal_name(sig: i32) -> String {
    let s = match sig {
        1 => "Hangup",
        2 => "Interrupt",
        3 => "Quit",
        4 => "Illegal instruction",
        5 => "Trace/breakpoint trap",
        6 => "Aborted",
        7 => "Bus error",
        8 => "Floating point exception",
        9 => "Killed",
        10 => "User defined signal 1",
        11 => "Segmentation fault",
        12 => "User defined signal 2",
        13 => "Broken pipe",
        14 => "Alarm clock",
        15 => "Terminated",
        16 => "Stack fault",
        17 => "Child exited",
        18 => "Continued",
        19 => "Stopped (signal)",
        20 => "Stopped",
        21 => "Stopped (tty input)",
        22 => "Stopped (tty output)",
        23 => "Urgent I/O condition",
        24 => "CPU time limit exceeded",
        25 => "File size limit exceeded",
        26 => "Virtual timer expired",
        27 => "Profiling timer expired",
        28 => "Window changed",
        29 => "I/O possible",
        30 => "Power failure",
        31 => "Bad system call",
        n if (34..=64).contains(&n) => return format!("Real-time signal {}", n - 34),
        n => return format!("Unknown signal {n}"),
    };
    s.to_string()
}

/// Kill policy grace period from `{"grace_period":{"nanoseconds":N}}`.
pub fn grace_of(policy: Option<&Json>) -> Option<Duration> {
    let ns = policy?.pointer("/grace_period/nanoseconds")?;
    let ns = ns
        .as_i64()
        .or_else(|| ns.as_str().and_then(|s| s.parse().ok()))?;
    Some(Duration::from_nanos(ns.max(0) as u64))
}

/// The role a task's resources are allocated to (else the framework's).
pub fn task_role(task: &Json, framework: &Json) -> String {
    task.get("resources")
        .and_then(Json::as_array)
        .and_then(|a| {
            a.iter()
                .find_map(|r| r.pointer("/allocation_info/role")?.as_str())
        })
        .map(str::to_string)
        .unwrap_or_else(|| framework_roles(framework)[0].clone())
}

/// Checkpoint what recovery needs to know about a launch (Mesos layout
/// under `<work_dir>/meta`): `framework.info`, `executor.info`,
/// `runs/latest` and `runs/<container>/tasks/<task>/task.info`.
fn checkpoint_launch(
    meta: &Path,
    container_id: &str,
    tid: &str,
    framework: &Json,
    executor_info: &Json,
    task: &Json,
) -> std::io::Result<()> {
    std::fs::create_dir_all(meta.join("pids"))?;
    let exec_meta = meta
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| std::io::Error::other("bad executor meta dir"))?;
    let fw_meta = exec_meta
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| std::io::Error::other("bad framework meta dir"))?;
    write_atomic(
        &fw_meta.join("framework.info"),
        framework.to_string().as_bytes(),
    )?;
    write_atomic(
        &exec_meta.join("executor.info"),
        executor_info.to_string().as_bytes(),
    )?;
    symlink_atomic(
        Path::new(container_id),
        &exec_meta.join("runs").join("latest"),
    )?;
    let task_meta = paths::task_meta_dir(meta, tid).map_err(std::io::Error::other)?;
    write_atomic(&task_meta.join("task.info"), task.to_string().as_bytes())
}

/// Handle `/slave(1)/internal/run_task`: record the task (TASK_STAGING) and
/// launch it asynchronously.
pub fn launch(agent: &Arc<Agent>, req: RunTask) -> Result<(), String> {
    let fid = id_of(req.framework.get("id")).ok_or("RunTask: framework has no 'id'")?;
    let tid = id_of(req.task.get("task_id")).ok_or("RunTask: task has no 'task_id'")?;
    let agent_id = agent
        .agent_id()
        .or_else(|| id_of(req.task.get("agent_id")))
        .ok_or("RunTask: the agent is not registered yet")?;
    let eid = tid.clone();
    let name = req
        .task
        .get("name")
        .and_then(Json::as_str)
        .unwrap_or(&tid)
        .to_string();
    let command = req.task.get("command").cloned().unwrap_or(Json::Null);
    let role = task_role(&req.task, &req.framework);
    let resources = Resources::from_v1_json(req.task.get("resources").unwrap_or(&Json::Null))
        .unwrap_or_default();
    let container_id = uuid::Uuid::new_v4().to_string();
    // Defence in depth (the master validated them too): nothing is created
    // for an id that could name a path outside the work directory.
    validate_id("Task ID", &tid)?;
    if let Some(e) = req.executor.as_ref() {
        validate_id(
            "Executor ID",
            id_of(e.get("executor_id")).as_deref().unwrap_or(""),
        )?;
    }
    let run_rel = paths::run_rel(&fid, &eid, &container_id)?;
    let directory = agent.agent_dir(&agent_id)?.join(&run_rel);
    let meta_dir = agent.meta_agent_dir(&agent_id)?.join(&run_rel);
    let overhead = executor_overhead();
    let exec_name = executor_name(&tid, &command);
    let mut info = serde_json::Map::new();
    info.insert("type".into(), json!("CUSTOM"));
    info.insert("executor_id".into(), id_obj(&eid));
    info.insert("framework_id".into(), id_obj(&fid));
    info.insert(
        "command".into(),
        json!({"shell": false, "value": "mesos", "arguments": ["mesos", "agent", super::INTERNAL_RUN_TASK]}),
    );
    info.insert(
        "resources".into(),
        Json::Array(overhead.to_v1_json(Some(&role))),
    );
    info.insert("name".into(), json!(exec_name));
    info.insert("source".into(), json!(tid));
    if let Some(c) = req.task.get("container") {
        info.insert("container".into(), c.clone());
    }
    if let Some(g) = grace_of(req.task.get("kill_policy")) {
        let ns = (g + Duration::from_secs(2)).as_nanos() as i64;
        info.insert("shutdown_grace_period".into(), json!({ "nanoseconds": ns }));
    }
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
        info: Json::Object(info),
        overhead,
        task: Task {
            id: tid.clone(),
            name,
            info: req.task.clone(),
            state: "TASK_STAGING".into(),
            statuses: Vec::new(),
            resources,
            role,
            agent_id: agent_id.clone(),
            terminal_acked: false,
        },
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
        if !st.frameworks.contains_key(&fid) {
            // A framework coming back keeps its completed executors.
            let previous = st
                .completed_frameworks
                .iter()
                .position(|f| f.id == fid)
                .and_then(|i| st.completed_frameworks.remove(i));
            let fw = match previous {
                Some(mut f) => {
                    f.shutting_down = false;
                    f
                }
                None => Framework {
                    id: fid.clone(),
                    info: req.framework.clone(),
                    executors: Default::default(),
                    completed_executors: Default::default(),
                    shutting_down: false,
                },
            };
            st.frameworks.insert(fid.clone(), fw);
        }
        let fw = st.frameworks.get_mut(&fid).expect("inserted above");
        fw.info = req.framework.clone();
        fw.shutting_down = false;
        fw.executors.insert(eid.clone(), executor);
    }
    // Checkpoint before anything runs, so that a restarted agent knows
    // about the task whatever point the launch reached.
    let exec_info = agent
        .lock()
        .executor(&fid, &eid)
        .map(|e| e.info.clone())
        .unwrap_or_default();
    if let Err(e) = checkpoint_launch(
        &meta_dir,
        &container_id,
        &tid,
        &req.framework,
        &exec_info,
        &req.task,
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
        run(agent, fid, eid, req, kill_rx).await;
    });
    Ok(())
}

/// Handle `/slave(1)/internal/kill_task`.
pub fn kill(agent: &Arc<Agent>, req: &KillTask) {
    let grace_from_call = grace_of(req.kill_policy.as_ref());
    let sent = {
        let mut st = agent.lock();
        match st.executor_for_task_mut(&req.framework_id, &req.task_id) {
            Some(e) if e.is_live() => {
                let grace = grace_from_call
                    .or_else(|| grace_of(e.task.info.get("kill_policy")))
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
            "TASK_DROPPED"
        } else {
            "TASK_LOST"
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
    for e in fw.executors.values_mut() {
        if e.is_live() {
            if let Some(tx) = &e.kill_tx {
                let _ = tx.send(Kill { grace });
            }
        }
        if crate::agent::state::is_terminal(&e.task.state) {
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
    for eid in done {
        agent.maybe_complete(fid, &eid);
    }
}

/// Everything `run` needs about one launch, copied out of the state.
struct Ctx {
    agent: Arc<Agent>,
    fid: String,
    eid: String,
    tid: String,
    agent_id: String,
    container_id: String,
    directory: PathBuf,
    meta_dir: PathBuf,
}

impl Ctx {
    fn container_status(&self, executor_pid: Option<u32>) -> Json {
        let mut o = serde_json::Map::new();
        o.insert("container_id".into(), id_obj(&self.container_id));
        o.insert(
            "network_infos".into(),
            json!([{ "ip_addresses": [{ "protocol": "IPv4", "ip_address": self.agent.cfg.advertise_ip }] }]),
        );
        if let Some(p) = executor_pid {
            o.insert("executor_pid".into(), json!(p));
        }
        Json::Object(o)
    }

    fn emit(
        &self,
        state: &str,
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
    fn of(agent: &Arc<Agent>, fid: &str, eid: &str) -> Option<(Ctx, bool)> {
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
    fn finish(&self, raw: i32, killed: bool, pid: Option<u32>) {
        let message = describe_wait_status(raw);
        let exit = std::process::ExitStatus::from_raw(raw);
        let (state, reason) = if exit.success() {
            ("TASK_FINISHED", None)
        } else if killed {
            ("TASK_KILLED", None)
        } else {
            ("TASK_FAILED", Some("REASON_COMMAND_EXECUTOR_FAILED"))
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
    fn executor_gone(&self, why: &str) {
        crate::warning!(
            "Executor of task {} of framework {} terminated abnormally: {why}",
            self.tid,
            self.fid
        );
        self.emit(
            "TASK_FAILED",
            "SOURCE_AGENT",
            Some("REASON_EXECUTOR_TERMINATED"),
            Some(&format!("Abnormal executor termination: {why}")),
            None,
        );
        self.terminated(None);
    }

    /// Mark the container terminated (checkpointed: `executor.sentinel`).
    fn terminated(&self, exit_status: Option<i32>) {
        let sentinel = json!({"exit_status": exit_status, "timestamp": now_secs()});
        if let Err(e) = write_atomic(
            &self.meta_dir.join("executor.sentinel"),
            sentinel.to_string().as_bytes(),
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
    fn launch_failed(&self, message: &str) {
        crate::error!(
            "Container {} for task {} failed to launch: {message}",
            self.container_id,
            self.tid
        );
        append_glog(&self.directory.join("stderr"), Level::Error, message);
        self.agent.lock().counters.container_launch_errors += 1;
        self.emit(
            "TASK_FAILED",
            "SOURCE_AGENT",
            Some("REASON_CONTAINER_LAUNCH_FAILED"),
            Some(message),
            None,
        );
        self.terminated(None);
    }

    fn killed_during_launch(&self) {
        crate::info!("Task {} was killed before it was launched", self.tid);
        self.emit(
            "TASK_KILLED",
            "SOURCE_AGENT",
            Some("REASON_TASK_KILLED_DURING_LAUNCH"),
            Some("Task killed before it was launched"),
            None,
        );
        self.terminated(None);
    }
}

/// Append one glog-style line to a sandbox file.
pub fn append_glog(path: &Path, level: Level, msg: &str) {
    let line = format_line(level, "executor.rs", line!(), msg);
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = f.write_all(line.as_bytes());
    }
}

fn prepare_sandbox(ctx: &Ctx, req: &RunTask) -> std::io::Result<()> {
    let dir = &ctx.directory;
    std::fs::create_dir_all(dir)?;
    for name in ["stdout", "stderr"] {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(name))?;
    }
    let runs = dir.parent().expect("runs dir");
    symlink_atomic(Path::new(&ctx.container_id), &runs.join("latest"))?;
    let slaves = ctx.agent.cfg.work_dir.join("slaves");
    if std::fs::read_link(slaves.join("latest")).ok().as_deref() != Some(Path::new(&ctx.agent_id)) {
        symlink_atomic(Path::new(&ctx.agent_id), &slaves.join("latest"))?;
    }
    // Checkpoints (normally written by `launch` already).
    let meta = &ctx.meta_dir;
    let checkpointed =
        paths::task_meta_dir(meta, &ctx.tid).is_ok_and(|d| d.join("task.info").is_file());
    if !checkpointed {
        let info = ctx
            .agent
            .lock()
            .executor(&ctx.fid, &ctx.eid)
            .map(|e| e.info.clone())
            .unwrap_or_default();
        checkpoint_launch(
            meta,
            &ctx.container_id,
            &ctx.tid,
            &req.framework,
            &info,
            &req.task,
        )?;
    }
    Ok(())
}

fn attach_sandbox(ctx: &Ctx) {
    let files = &ctx.agent.files;
    let dir = &ctx.directory;
    files.attach(&dir.to_string_lossy(), dir);
    let latest = dir.parent().expect("runs dir").join("latest");
    files.attach(&latest.to_string_lossy(), dir);
    files.attach(
        &format!("/frameworks/{}/executors/{}/runs/latest", ctx.fid, ctx.eid),
        dir,
    );
}

/// Environment of the command: agent's (or `--executor_environment_variables`),
/// then the MESOS_* executor variables, then the task's own variables.
fn build_env(ctx: &Ctx, req: &RunTask) -> Vec<(String, String)> {
    let cfg = &ctx.agent.cfg;
    let mut env: Vec<(String, String)> = match &cfg.executor_env {
        Some(e) => e.clone(),
        None => std::env::vars()
            .filter(|(k, _)| !k.starts_with("MESOS_") && !k.starts_with("LIBPROCESS_"))
            .collect(),
    };
    let set = |env: &mut Vec<(String, String)>, k: &str, v: String| {
        env.retain(|(ek, _)| ek != k);
        env.push((k.to_string(), v));
    };
    if !env.iter().any(|(k, _)| k == "PATH") {
        set(&mut env, "PATH", DEFAULT_PATH.to_string());
    }
    if !env.iter().any(|(k, _)| k == "HOME") {
        set(
            &mut env,
            "HOME",
            ctx.directory.to_string_lossy().into_owned(),
        );
    }
    let dir = ctx.directory.to_string_lossy().into_owned();
    set(&mut env, "MESOS_FRAMEWORK_ID", ctx.fid.clone());
    set(&mut env, "MESOS_EXECUTOR_ID", ctx.eid.clone());
    set(&mut env, "MESOS_TASK_ID", ctx.tid.clone());
    set(&mut env, "MESOS_DIRECTORY", dir.clone());
    set(&mut env, "MESOS_SANDBOX", dir);
    set(&mut env, "MESOS_AGENT_ENDPOINT", cfg.endpoint());
    set(&mut env, "MESOS_SLAVE_ID", ctx.agent_id.clone());
    set(&mut env, "MESOS_SLAVE_PID", cfg.pid());
    // A non-checkpointing framework's executor does not outlive its agent
    // (see [`watch_agent`]).
    let checkpoint = super::state::framework_checkpoints(&req.framework);
    set(
        &mut env,
        "MESOS_CHECKPOINT",
        if checkpoint { "1" } else { "0" }.into(),
    );
    set(&mut env, "MESOS_HTTP_COMMAND_EXECUTOR", "0".into());
    set(&mut env, "MESOS_CONTAINER_IP", cfg.advertise_ip.clone());
    set(
        &mut env,
        "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD",
        format_mesos_duration(cfg.executor_shutdown_grace_period),
    );
    set(
        &mut env,
        "MESOS_RECOVERY_TIMEOUT",
        cfg.flags
            .get("recovery_timeout")
            .unwrap_or("15mins")
            .to_string(),
    );
    for v in req
        .task
        .pointer("/command/environment/variables")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = v.get("name").and_then(Json::as_str) else {
            continue;
        };
        if v.get("type").and_then(Json::as_str) == Some("SECRET") {
            crate::warning!("Ignoring secret environment variable '{name}' of task {}: secrets are not supported", ctx.tid);
            continue;
        }
        let value = v
            .get("value")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string();
        set(&mut env, name, value);
    }
    env
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

/// Signal a process group (negative pid), ignoring errors.
pub fn signal_group(pgid: u32, sig: i32) {
    if pgid > 1 {
        unsafe {
            libc::kill(-(pgid as i32), sig);
        }
    }
}

async fn run(
    agent: Arc<Agent>,
    fid: String,
    eid: String,
    req: RunTask,
    mut kill_rx: mpsc::UnboundedReceiver<Kill>,
) {
    let Some((ctx, killing_state)) = Ctx::of(&agent, &fid, &eid) else {
        return;
    };
    if let Err(e) = prepare_sandbox(&ctx, &req) {
        ctx.launch_failed(&format!(
            "Failed to create the sandbox '{}': {e}",
            ctx.directory.display()
        ));
        return;
    }
    attach_sandbox(&ctx);
    let stderr_path = ctx.directory.join("stderr");

    let command = req.task.get("command").cloned();
    let unsupported = if req.executor.is_some() || req.task.get("executor").is_some() {
        Some("Failed to launch container: custom executors and task groups are not supported by this agent; use a command task")
    } else if command.is_none() {
        Some("Failed to launch container: the task has no 'command'")
    } else {
        None
    };
    if let Some(msg) = unsupported {
        ctx.launch_failed(msg);
        return;
    }
    let command = command.unwrap_or_default();
    let shell = command.get("shell").and_then(Json::as_bool).unwrap_or(true);
    let Some(value) = command
        .get("value")
        .and_then(Json::as_str)
        .map(str::to_string)
    else {
        ctx.launch_failed(if shell {
            "Failed to launch container: the command has no 'value' (NO COMMAND)"
        } else {
            "Failed to launch container: the command has no executable 'value' (NO EXECUTABLE)"
        });
        return;
    };

    // Fetch URIs (the fetcher appends its log to the sandbox stderr).
    let uris: Vec<Json> = command
        .get("uris")
        .map(|u| match u {
            Json::Array(a) => a.clone(),
            other => vec![other.clone()],
        })
        .unwrap_or_default();
    if !uris.is_empty() {
        let fetch = super::fetcher::fetch_all(&agent, &uris, &ctx.directory, &stderr_path);
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

    ctx.emit("TASK_STARTING", "SOURCE_EXECUTOR", None, None, None);

    // Start the executor wrapper.
    let spec = LaunchSpec {
        task_id: ctx.tid.clone(),
        shell,
        value: value.clone(),
        arguments: command
            .get("arguments")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_str().map(str::to_string))
            .collect(),
        env: build_env(&ctx, &req),
        cwd: ctx.directory.clone(),
        stdout: ctx.directory.join("stdout"),
        status_path: ctx.meta_dir.join("wait_status"),
        pid_path: ctx.meta_dir.join("pids").join("forked.pid"),
        executor_pid_path: Some(ctx.meta_dir.join("pids").join("executor.pid")),
        agent_pid_path: Some(ctx.meta_dir.join("pids").join("agent.pid")),
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
    let mut cmd = tokio::process::Command::new(self_exe());
    // Shows as `mesos-executor agent --internal-run-task=...` in ps.
    cmd.arg0("mesos-executor")
        .arg("agent")
        .arg(format!(
            "{}={}",
            super::INTERNAL_RUN_TASK,
            spec_path.display()
        ))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::from(stderr_file))
        .current_dir(&ctx.directory)
        .kill_on_drop(false);
    unsafe {
        // Own session: neither a terminal's ^C nor the agent's exit reaches it.
        cmd.pre_exec(|| {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
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
                unsafe {
                    libc::kill(p as i32, libc::SIGKILL);
                }
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
        "TASK_RUNNING",
        "SOURCE_EXECUTOR",
        None,
        None,
        executor_pid.or(Some(pid)),
    );

    // Wait for the exit, handling kills.
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
                Some(k) => killer.kill(&ctx, k, Some(pid), status_pid),
            },
            _ = killer.escalation() => killer.escalate(&ctx, Some(pid)),
        }
    }
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

/// What recovery found about a run whose terminal update was never sent.
#[derive(Clone, Debug, PartialEq)]
pub enum Resume {
    /// The command exited while the agent was down (the wrapper recorded
    /// its wait status).
    Exited(i32),
    /// The wrapper could not start the command.
    LaunchError(String),
    /// The executor is gone without a record of the command's exit.
    Gone(String),
    /// The executor still runs: reconnect to it. `pid` is the command's
    /// (None if the wrapper had not forked it yet).
    Live { executor_pid: u32, pid: Option<u32> },
}

/// Recovery: pick up a recovered, not yet terminated executor (already in
/// the state, its status stream restored).
pub fn resume(agent: &Arc<Agent>, fid: &str, eid: &str, what: Resume) {
    let Some((ctx, killing_state)) = Ctx::of(agent, fid, eid) else {
        return;
    };
    match what {
        Resume::Exited(raw) => {
            let killed = agent.lock().executor(fid, eid).is_some_and(|e| e.killed);
            crate::info!(
                "Task {} of framework {fid} ended while the agent was down",
                ctx.tid
            );
            ctx.finish(raw, killed, None);
        }
        Resume::LaunchError(msg) => {
            ctx.launch_failed(&format!("Failed to launch container: {msg}"))
        }
        Resume::Gone(why) => ctx.executor_gone(&why),
        Resume::Live { executor_pid, pid } => {
            let (kill_tx, kill_rx) = mpsc::unbounded_channel();
            let killed = {
                let mut st = agent.lock();
                match st.executor_mut(fid, eid) {
                    Some(e) => {
                        e.phase = Phase::Running;
                        e.pid = pid;
                        e.executor_pid = Some(executor_pid);
                        e.kill_tx = Some(kill_tx);
                        e.killed
                    }
                    None => return,
                }
            };
            // Tell the executor it has an agent again (cancels its
            // recovery timeout).
            let marker = ctx.meta_dir.join("pids").join("agent.pid");
            if let Err(e) = write_atomic(&marker, agent_marker().as_bytes()) {
                crate::warning!(
                    "Failed to tell the executor of task {} that it was recovered ('{}'): {e}",
                    ctx.tid,
                    marker.display()
                );
            }
            crate::info!(
                "Reconnected to executor {} of framework {fid} (executor pid {executor_pid}, command pid {})",
                ctx.eid,
                pid.map(|p| p.to_string()).unwrap_or_else(|| "?".into())
            );
            tokio::spawn(reconnected(
                ctx,
                killing_state,
                killed,
                executor_pid,
                pid,
                kill_rx,
            ));
        }
    }
}

/// A pidfd for `pid` (Linux 5.3+), readable once the process has exited.
fn pidfd(pid: u32) -> Option<tokio::io::unix::AsyncFd<std::os::fd::OwnedFd>> {
    use std::os::fd::FromRawFd;
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0) };
    if fd < 0 {
        return None;
    }
    let fd = unsafe { std::os::fd::OwnedFd::from_raw_fd(fd as i32) };
    // SAFETY: the AsyncFd owns the pidfd and nothing else closes it.
    unsafe { tokio::io::unix::AsyncFd::register_with_interest(fd, tokio::io::Interest::READABLE) }
        .ok()
}

async fn process_exit(fd: Option<&tokio::io::unix::AsyncFd<std::os::fd::OwnedFd>>) {
    match fd {
        Some(fd) => {
            if fd.readable().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
        None => std::future::pending::<()>().await,
    }
}

impl Ctx {
    /// A recovered task the agent had not seen running yet is running.
    fn running_after_recovery(&self, executor_pid: u32) {
        let starting = self
            .agent
            .lock()
            .executor(&self.fid, &self.eid)
            .is_some_and(|e| matches!(e.task.state.as_str(), "TASK_STAGING" | "TASK_STARTING"));
        if starting {
            self.emit(
                "TASK_RUNNING",
                "SOURCE_EXECUTOR",
                None,
                None,
                Some(executor_pid),
            );
        }
    }
}

/// Watch a recovered executor: the agent is not its parent, so its exit is
/// seen through a pidfd (or /proc polling) and `wait_status`; kills signal
/// the command's process group directly.
async fn reconnected(
    ctx: Ctx,
    killing_state: bool,
    killed: bool,
    executor_pid: u32,
    mut pid: Option<u32>,
    mut kill_rx: mpsc::UnboundedReceiver<Kill>,
) {
    let status_path = ctx.meta_dir.join("wait_status");
    let spec_path = ctx.meta_dir.join("launch.json");
    let pid_path = ctx.meta_dir.join("pids").join("forked.pid");
    let mut killer = Killer::new(killing_state, ctx.directory.join("stderr"));
    if killed {
        // A kill was under way when the agent went down: finish it.
        killer.killed = true;
        if let Some(p) = pid {
            signal_group(p, libc::SIGTERM);
        }
        killer.escalate_at = Some(tokio::time::Instant::now() + DEFAULT_KILL_GRACE);
    }
    // Opened after the identity check: the pidfd then pins the wrapper.
    let exit_fd = pidfd(executor_pid).filter(|_| wrapper_alive(executor_pid, &spec_path));
    let mut tick = tokio::time::interval(if exit_fd.is_some() {
        Duration::from_secs(1)
    } else {
        Duration::from_millis(200)
    });
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    if pid.is_some() {
        ctx.running_after_recovery(executor_pid);
    }
    let mut kill_open = true;
    let outcome = loop {
        tokio::select! {
            _ = process_exit(exit_fd.as_ref()) => break read_wait_status(&status_path),
            _ = tick.tick() => {
                if let Some(w) = read_wait_status(&status_path) {
                    break Some(w);
                }
                if pid.is_none() {
                    pid = read_pid(&pid_path);
                    if let Some(p) = pid {
                        if let Some(e) = ctx.agent.lock().executor_mut(&ctx.fid, &ctx.eid) {
                            e.pid = Some(p);
                        }
                        ctx.running_after_recovery(executor_pid);
                        if killer.killed {
                            signal_group(p, libc::SIGTERM);
                        }
                    }
                }
                if !wrapper_alive(executor_pid, &spec_path) {
                    break read_wait_status(&status_path);
                }
            }
            k = kill_rx.recv(), if kill_open => match k {
                None => kill_open = false,
                Some(k) => killer.kill(&ctx, k, pid, Some(executor_pid)),
            },
            _ = killer.escalation() => killer.escalate(&ctx, pid),
        }
    };
    match outcome {
        Some(WaitStatus::Exited(raw)) => ctx.finish(raw, killer.killed, Some(executor_pid)),
        Some(WaitStatus::Error(msg)) => {
            ctx.launch_failed(&format!("Failed to launch container: {msg}"))
        }
        None => {
            if let Some(p) = pid {
                signal_group(p, libc::SIGKILL);
            }
            ctx.executor_gone("the executor exited without recording the command's exit status");
        }
    }
}

/// Kill handling of a running command: SIGTERM to its process group, then
/// SIGKILL once the grace period elapsed (a later kill may shorten it).
struct Killer {
    killed: bool,
    killing_state: bool,
    escalate_at: Option<tokio::time::Instant>,
    stderr_path: PathBuf,
}

impl Killer {
    fn new(killing_state: bool, stderr_path: PathBuf) -> Killer {
        Killer {
            killed: false,
            killing_state,
            escalate_at: None,
            stderr_path,
        }
    }

    fn kill(&mut self, ctx: &Ctx, k: Kill, pid: Option<u32>, status_pid: Option<u32>) {
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
            ctx.emit("TASK_KILLING", "SOURCE_EXECUTOR", None, None, status_pid);
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
    async fn escalation(&self) {
        match self.escalate_at {
            Some(at) => tokio::time::sleep_until(at).await,
            None => std::future::pending::<()>().await,
        }
    }

    fn escalate(&mut self, ctx: &Ctx, pid: Option<u32>) {
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

/// The binary to run the wrapper from (works even if the file was replaced).
fn self_exe() -> PathBuf {
    let proc_exe = PathBuf::from("/proc/self/exe");
    if proc_exe.exists() {
        return proc_exe;
    }
    std::env::current_exe().unwrap_or_else(|_| PathBuf::from("mesos"))
}

fn wrapper_log(msg: &str) {
    let line = format_line(Level::Info, "executor.rs", line!(), msg);
    let _ = std::io::stderr().write_all(line.as_bytes());
}

fn wrapper_report(line: &str) {
    let mut out = std::io::stdout().lock();
    // The agent may be gone (EPIPE): the checkpoint still records the outcome.
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Like a checkpointing Mesos executor, give up when the agent is gone for
/// longer than `MESOS_RECOVERY_TIMEOUT` (default 15 mins): the read end of
/// our stdout pipe closing means the agent process died. A restarted agent
/// that recovers this run announces itself in `agent_pid` (`<pid> <start
/// time>`), which cancels the countdown; that agent is then watched through
/// /proc, and its death starts a new countdown. When a countdown runs out
/// the command's group is terminated (SIGTERM, SIGKILL 3 s later).
///
/// The executor of a framework that does not checkpoint
/// (`MESOS_CHECKPOINT=0`) is never recovered: like the Mesos executor
/// driver, it shuts the command down as soon as the agent is gone.
fn watch_agent(pid: u32, env: &[(String, String)], agent_pid: Option<PathBuf>) {
    let checkpoint = env
        .iter()
        .find(|(k, _)| k == "MESOS_CHECKPOINT")
        .is_none_or(|(_, v)| v != "0");
    let timeout = env
        .iter()
        .find(|(k, _)| k == "MESOS_RECOVERY_TIMEOUT")
        .and_then(|(_, v)| crate::duration::parse_duration(v).ok())
        .unwrap_or(Duration::from_secs(15 * 60));
    std::thread::spawn(move || {
        let mut pfd = libc::pollfd {
            fd: 1,
            events: 0,
            revents: 0,
        };
        loop {
            let r = unsafe { libc::poll(&mut pfd, 1, -1) };
            if r > 0 && pfd.revents & (libc::POLLERR | libc::POLLHUP) != 0 {
                break;
            }
            if r < 0 && std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
                return;
            }
            if r > 0 && pfd.revents & libc::POLLNVAL != 0 {
                return;
            }
        }
        if !checkpoint {
            wrapper_log(&format!(
                "Agent is gone and the framework does not checkpoint; sending SIGTERM to process group {pid}"
            ));
            signal_group(pid, libc::SIGTERM);
            std::thread::sleep(DEFAULT_KILL_GRACE);
            signal_group(pid, libc::SIGKILL);
            return;
        }
        let read_marker = || {
            agent_pid
                .as_ref()
                .and_then(|p| std::fs::read_to_string(p).ok())
                .filter(|m| marker_alive(m))
        };
        loop {
            wrapper_log(&format!(
                "Agent is gone; terminating the command in {} unless the agent recovers it or it exits first",
                format_mesos_duration(timeout)
            ));
            let deadline = std::time::Instant::now() + timeout;
            let agent = loop {
                if let Some(m) = read_marker() {
                    break Some(m);
                }
                let now = std::time::Instant::now();
                if now >= deadline {
                    break None;
                }
                std::thread::sleep((deadline - now).min(Duration::from_millis(250)));
            };
            let Some(agent) = agent else { break };
            wrapper_log(&format!(
                "Agent (pid {}) recovered this executor",
                agent.split_whitespace().next().unwrap_or("?")
            ));
            while marker_alive(&agent) {
                std::thread::sleep(Duration::from_millis(500));
            }
        }
        wrapper_log(&format!(
            "Recovery timeout elapsed; sending SIGTERM to process group {pid}"
        ));
        signal_group(pid, libc::SIGTERM);
        std::thread::sleep(DEFAULT_KILL_GRACE);
        signal_group(pid, libc::SIGKILL);
    });
}

/// `mesos agent --internal-run-task=<launch.json>`: the per-task executor
/// process. Returns its exit code (0 when the command was run, whatever its
/// own exit status).
pub fn wrapper_main(spec_path: &Path) -> u8 {
    let spec: LaunchSpec = match std::fs::read(spec_path)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(s) => s,
        Err(e) => {
            let msg = format!(
                "Failed to read the launch spec '{}': {e}",
                spec_path.display()
            );
            wrapper_log(&msg);
            wrapper_report(&format!("error {msg}"));
            return 1;
        }
    };
    wrapper_log(&format!("Starting task {}", spec.task_id));
    if let Some(path) = &spec.executor_pid_path {
        let _ = write_atomic(path, std::process::id().to_string().as_bytes());
    }
    let stdout = match std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&spec.stdout)
    {
        Ok(f) => f,
        Err(e) => {
            let msg = format!("Failed to open '{}': {e}", spec.stdout.display());
            wrapper_log(&msg);
            wrapper_report(&format!("error {msg}"));
            return 1;
        }
    };
    let mut cmd = if spec.shell {
        let mut c = std::process::Command::new("/bin/sh");
        c.arg("-c").arg(&spec.value);
        c
    } else {
        let mut c = std::process::Command::new(&spec.value);
        if let Some((first, rest)) = spec.arguments.split_first() {
            c.arg0(first).args(rest);
        }
        c
    };
    cmd.env_clear()
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .current_dir(&spec.cwd)
        .stdin(std::process::Stdio::null())
        .stdout(stdout)
        .stderr(std::process::Stdio::inherit());
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let shown = if spec.shell {
        format!("sh -c '{}'", spec.value)
    } else {
        format!("[{}]", spec.arguments.join(", "))
    };
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            let msg = format!("Failed to execute '{}': {e}", spec.value);
            wrapper_log(&msg);
            let _ = write_atomic(
                &spec.status_path,
                json!({"error": msg, "timestamp": now_secs()})
                    .to_string()
                    .as_bytes(),
            );
            wrapper_report(&format!("error {msg}"));
            return 1;
        }
    };
    let pid = child.id();
    let _ = write_atomic(&spec.pid_path, pid.to_string().as_bytes());
    wrapper_report(&format!("forked {pid}"));
    wrapper_log(&format!("Forked command at {pid}"));
    let _ = writeln!(std::io::stderr(), "{shown}");
    watch_agent(pid, &spec.env, spec.agent_pid_path.clone());
    let status = loop {
        match child.wait() {
            Ok(s) => break s,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let msg = format!("Failed to wait for the command: {e}");
                wrapper_log(&msg);
                wrapper_report(&format!("error {msg}"));
                return 1;
            }
        }
    };
    // Destroy the container: whatever is left of the command's group.
    signal_group(pid, libc::SIGKILL);
    let raw = status.into_raw();
    let message = describe_wait_status(raw);
    wrapper_log(&format!("{message} (pid: {pid})"));
    let _ = write_atomic(
        &spec.status_path,
        json!({"pid": pid, "status": raw, "message": message, "timestamp": now_secs()})
            .to_string()
            .as_bytes(),
    );
    wrapper_report(&format!("exit {raw}"));
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpointed_wait_status_and_liveness() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("wait_status");
        assert_eq!(read_wait_status(&p), None);
        std::fs::write(&p, r#"{"pid":1,"status":256,"message":"x"}"#).unwrap();
        assert_eq!(read_wait_status(&p), Some(WaitStatus::Exited(256)));
        std::fs::write(&p, r#"{"error":"no such file"}"#).unwrap();
        assert_eq!(
            read_wait_status(&p),
            Some(WaitStatus::Error("no such file".into()))
        );
        assert!(marker_alive(&agent_marker()));
        let (pid, start) = agent_marker()
            .split_once(' ')
            .map(|(a, b)| (a.to_string(), b.parse::<u64>().unwrap()))
            .unwrap();
        assert!(!marker_alive(&format!("{pid} {}", start + 1)));
        assert!(!marker_alive("garbage"));
        assert!(process_alive(std::process::id()));
        assert!(!wrapper_alive(
            std::process::id(),
            Path::new("/no/launch.json")
        ));
    }

    #[test]
    fn wait_status_messages() {
        assert_eq!(describe_wait_status(0), "Command exited with status 0");
        assert_eq!(describe_wait_status(3 << 8), "Command exited with status 3");
        assert_eq!(
            describe_wait_status(15),
            "Command terminated with signal Terminated"
        );
        assert_eq!(
            describe_wait_status(9),
            "Command terminated with signal Killed"
        );
        assert_eq!(signal_name(11), "Segmentation fault");
    }

    #[test]
    fn kill_policy_grace() {
        let p = json!({"grace_period": {"nanoseconds": 1_500_000_000u64}});
        assert_eq!(grace_of(Some(&p)), Some(Duration::from_millis(1500)));
        assert_eq!(grace_of(Some(&json!({}))), None);
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
