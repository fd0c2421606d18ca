//! Nested containers (docs/agent-design.md#nested-containers): commands
//! launched inside a running executor's container, or inside another
//! nested container, through the agent API (LAUNCH_NESTED_CONTAINER[_SESSION],
//! LAUNCH_CONTAINER with a parent; WAIT, KILL, REMOVE). No HTTP here.
//!
//! A nested container gets the sandbox `<parent sandbox>/containers/<id>`
//! (Mesos layout) as its working directory and `MESOS_SANDBOX`, the
//! parent's environment plus its command's variables, and a session (so a
//! process group) of its own. Plain launches run through the same detached
//! wrapper process as command tasks (`--internal-run-task`), which leaves
//! the wait status in `<parent runtime dir>/containers/<id>/wait_status`;
//! with a TTY (`container.tty_info`) the wrapper also serves the
//! container's I/O switchboard on `io.sock` there, so the container
//! outlives the launch call and any attachment (and an agent restart).
//! Sessions ([`session`]) are started by the agent with their I/O on an
//! in-agent [`Switchboard`] and die with their connection (after an agent
//! restart too: [`recover`]). A container dies with its parent. WAIT
//! answers the raw wait status until REMOVE forgets it.

pub mod recover;
pub mod session;

pub use recover::recover;

use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncBufReadExt;
use tokio::sync::{broadcast, watch};

use crate::agent::containers::{Chunk, Nested, Switchboard};
use crate::agent::core::Agent;
use crate::agent::executor::process::{read_wait_status, signal_group, WaitStatus};
use crate::agent::executor::wrapper::{self, LaunchSpec};
use crate::agent::executor::DEFAULT_PATH;
use crate::agent::paths::write_atomic;
use crate::daemon::ids::join_id;
use crate::daemon::now_secs;
use crate::wire::agent_v1::{CommandInfo, ContainerId};

/// Why a call about a nested container failed (the handler maps these to
/// status codes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NestedError {
    /// 400
    BadRequest(String),
    /// 404
    NotFound(String),
    /// 409: another input attachment is open.
    Conflict(String),
    /// 500: the launch itself failed.
    Failed(String),
}

/// A launch request.
#[derive(Clone, Debug)]
pub struct Launch {
    /// The new container (with its parent chain).
    pub id: ContainerId,
    pub command: CommandInfo,
    /// A TTY of (rows, columns) (`container.tty_info`).
    pub tty: Option<(u16, u16)>,
    /// LAUNCH_NESTED_CONTAINER_SESSION.
    pub session: bool,
}

/// The outcome of a launch.
#[derive(Debug)]
pub enum Launched {
    /// Started; for a session, its output from the start.
    Started(Arc<Nested>, Option<broadcast::Receiver<Chunk>>),
    /// A container with this id exists already.
    Already,
}

/// The container a new one is nested in.
struct Parent {
    fid: String,
    eid: String,
    name: String,
    directory: PathBuf,
    meta_dir: PathBuf,
    env: Vec<(String, String)>,
    done: watch::Receiver<bool>,
}

fn not_found(id: &ContainerId) -> NestedError {
    NestedError::NotFound(format!("Container {} cannot be found", id.chain()))
}

fn resolve_parent(agent: &Agent, parent: &ContainerId) -> Result<Parent, NestedError> {
    if parent.parent.is_some() {
        let p = agent.nested.get(parent).ok_or_else(|| not_found(parent))?;
        if p.is_done() {
            return Err(not_found(parent));
        }
        return Ok(Parent {
            fid: p.framework_id.clone(),
            eid: p.executor_id.clone(),
            name: p.executor_name.clone(),
            directory: p.directory.clone(),
            meta_dir: p.meta_dir.clone(),
            env: p.env.clone(),
            done: p.done.subscribe(),
        });
    }
    let st = agent.lock();
    let e = st
        .frameworks
        .values()
        .flat_map(|f| f.executors.values())
        .find(|e| e.container_id == parent.value && e.is_live())
        .ok_or_else(|| not_found(parent))?;
    // The executor's own environment, as its wrapper was started with it.
    let env = std::fs::read(e.meta_dir.join("launch.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<LaunchSpec>(&b).ok())
        .map(|s| s.env)
        .unwrap_or_default();
    Ok(Parent {
        fid: e.framework_id.clone(),
        eid: e.id.clone(),
        name: e.name.clone(),
        directory: e.directory.clone(),
        meta_dir: e.meta_dir.clone(),
        env,
        done: e.done_tx.subscribe(),
    })
}

/// The parent's environment with the container's sandbox and the
/// command's own variables.
fn child_env(
    parent: &[(String, String)],
    id: &ContainerId,
    sandbox: &str,
    command: &CommandInfo,
) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = parent.to_vec();
    let mut set = |k: &str, v: String| {
        env.retain(|(ek, _)| ek != k);
        env.push((k.to_string(), v));
    };
    if !parent.iter().any(|(k, _)| k == "PATH") {
        set("PATH", DEFAULT_PATH.to_string());
    }
    set("MESOS_SANDBOX", sandbox.to_string());
    set("MESOS_CONTAINER_ID", id.chain());
    let vars = command
        .environment
        .as_ref()
        .map(|e| e.variables.as_slice())
        .unwrap_or_default();
    for v in vars {
        if !v.name.is_empty() && v.kind.as_deref() != Some("SECRET") {
            set(&v.name, v.value.clone().unwrap_or_default());
        }
    }
    env
}

/// Launch a nested container.
pub async fn launch(agent: &Arc<Agent>, req: Launch) -> Result<Launched, NestedError> {
    let Some(parent_id) = req.id.parent.as_deref() else {
        return Err(NestedError::BadRequest(
            "Standalone containers (without 'container_id.parent') are not supported by this agent"
                .into(),
        ));
    };
    if agent.nested.get(&req.id).is_some() {
        return Ok(Launched::Already);
    }
    let parent = resolve_parent(agent, parent_id)?;
    let shell = req.command.shell();
    let value =
        req.command.value.clone().ok_or_else(|| {
            NestedError::BadRequest("Expecting 'command.value' to be present".into())
        })?;
    let bad = NestedError::BadRequest;
    let directory = join_id(
        &parent.directory.join("containers"),
        "Container ID",
        &req.id.value,
    )
    .map_err(bad)?;
    let meta_dir = join_id(
        &parent.meta_dir.join("containers"),
        "Container ID",
        &req.id.value,
    )
    .map_err(NestedError::BadRequest)?;
    let failed = |what: &str, e: std::io::Error| {
        NestedError::Failed(format!("Failed to launch nested container: {what}: {e}"))
    };
    std::fs::create_dir_all(&directory).map_err(|e| failed("cannot create the sandbox", e))?;
    std::fs::create_dir_all(meta_dir.join("pids"))
        .map_err(|e| failed("cannot create the runtime directory", e))?;
    for name in ["stdout", "stderr"] {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(directory.join(name))
            .map_err(|e| failed("cannot create the sandbox files", e))?;
    }
    let env = child_env(
        &parent.env,
        &req.id,
        &directory.to_string_lossy(),
        &req.command,
    );
    let started = if req.session {
        let spawned = session::spawn(&session::Spec {
            shell,
            value: value.clone(),
            arguments: req.command.arguments.clone(),
            env: env.clone(),
            cwd: directory.clone(),
            tty: req.tty,
        })
        .map_err(|e| NestedError::Failed(format!("Failed to launch nested container: {e}")))?;
        Some(spawned)
    } else {
        None
    };
    let nested = Arc::new(Nested::new(
        req.id.clone(),
        parent.fid.clone(),
        parent.eid.clone(),
        parent.name.clone(),
        directory.clone(),
        meta_dir.clone(),
        env.clone(),
        req.session,
        started.as_ref().map(|s| s.io.clone()),
        now_secs(),
    ));
    if !agent.nested.insert(nested.clone()) {
        if let Some(s) = started {
            signal_group(s.child.id(), libc::SIGKILL);
        }
        return Ok(Launched::Already);
    }
    crate::info!(
        "Launched nested container {} of executor '{}' of framework {} (sandbox {})",
        req.id.chain(),
        parent.eid,
        parent.fid,
        directory.display()
    );
    let output = match started {
        Some(s) => {
            let pid = s.child.id();
            nested.state().pid = Some(pid);
            let record = recover::SessionRecord {
                sandbox: directory.clone(),
                env: nested.env.clone(),
                pid,
                start: crate::agent::executor::process::proc_state_and_start(pid)
                    .map(|(_, t)| t)
                    .unwrap_or(0),
            };
            if let Err(e) = recover::checkpoint_session(&meta_dir, &record) {
                crate::warning!(
                    "Cannot checkpoint nested container session {}: {e}",
                    req.id.chain()
                );
            }
            let output = s.output;
            watch_child(nested.clone(), s.child, s.io);
            Some(output)
        }
        None => {
            let spec = LaunchSpec {
                task_id: req.id.chain(),
                shell,
                value,
                arguments: req.command.arguments.clone(),
                env,
                cwd: directory.clone(),
                stdout: directory.join("stdout"),
                status_path: meta_dir.join("wait_status"),
                pid_path: meta_dir.join("pids").join("forked.pid"),
                executor_pid_path: Some(meta_dir.join("pids").join("executor.pid")),
                agent_pid_path: Some(meta_dir.join("pids").join("agent.pid")),
                tty: req.tty,
            };
            if let Err(e) = run_wrapper(agent, &nested, spec).await {
                nested.finish(None, Some(e.clone()));
                agent.nested.remove(&req.id);
                return Err(NestedError::Failed(format!(
                    "Failed to launch nested container: {e}"
                )));
            }
            None
        }
    };
    follow_parent(nested.clone(), parent.done);
    Ok(Launched::Started(nested, output))
}

/// Reap a session's command: record its wait status and destroy what is
/// left of its process group.
fn watch_child(nested: Arc<Nested>, mut child: std::process::Child, io: Arc<Switchboard>) {
    std::thread::spawn(move || {
        let pid = child.id();
        let status = loop {
            match child.wait() {
                Ok(s) => break Some(s.into_raw()),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break None,
            }
        };
        signal_group(pid, libc::SIGKILL);
        io.close_input();
        let message = status
            .map(crate::agent::executor::process::describe_wait_status)
            .unwrap_or_else(|| "unknown status".into());
        recover::checkpoint_termination(&nested.meta_dir, status, &message);
        crate::info!("Nested container {} exited: {message}", nested.id.chain());
        nested.finish(status, None);
    });
}

/// Kill the container when its parent terminates.
fn follow_parent(nested: Arc<Nested>, mut parent: watch::Receiver<bool>) {
    let mut me = nested.done.subscribe();
    tokio::spawn(async move {
        let parent_done = async {
            while !*parent.borrow_and_update() {
                if parent.changed().await.is_err() {
                    return false;
                }
            }
            true
        };
        let my_end = async {
            while !*me.borrow_and_update() {
                if me.changed().await.is_err() {
                    break;
                }
            }
        };
        tokio::select! {
            gone = parent_done => if gone {
                crate::info!("Destroying nested container {}: its parent terminated", nested.id.chain());
                kill_nested(&nested, libc::SIGKILL);
            },
            _ = my_end => {}
        }
    });
}

fn kill_nested(n: &Nested, signal: i32) {
    let pid = {
        let mut st = n.state();
        st.killed = true;
        st.pid
    };
    if let Some(pid) = pid {
        signal_group(pid, signal);
    }
}

/// Start the wrapper of a plain nested container and follow it.
async fn run_wrapper(
    agent: &Arc<Agent>,
    nested: &Arc<Nested>,
    spec: LaunchSpec,
) -> Result<(), String> {
    let spec_path = nested.meta_dir.join("launch.json");
    let bytes = serde_json::to_vec(&spec).map_err(|e| e.to_string())?;
    write_atomic(&spec_path, &bytes).map_err(|e| format!("cannot write the launch spec: {e}"))?;
    let stderr = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(nested.directory.join("stderr"))
        .map_err(|e| format!("cannot open the sandbox stderr: {e}"))?;
    let mut cmd = wrapper::command(&spec_path, stderr, &nested.directory);
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start the executor: {e}"))?;
    let wrapper_pid = child.id();
    let stdout = child.stdout.take().ok_or("the executor has no stdout")?;
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let timeout = agent
        .cfg
        .flags
        .duration("executor_registration_timeout")
        .unwrap_or(Duration::from_secs(60));
    let first = tokio::time::timeout(timeout, async {
        while let Ok(Some(l)) = lines.next_line().await {
            if let Some(p) = l.strip_prefix("forked ") {
                return p.trim().parse::<u32>().map_err(|e| e.to_string());
            }
            if let Some(m) = l.strip_prefix("error ") {
                return Err(m.to_string());
            }
        }
        Err("the executor exited before starting the command".to_string())
    })
    .await;
    let pid = match first {
        Ok(Ok(pid)) => pid,
        Ok(Err(e)) => {
            let _ = child.wait().await;
            return Err(e);
        }
        Err(_) => {
            let _ = child.start_kill();
            let _ = child.wait().await;
            return Err("the executor did not start the command in time".into());
        }
    };
    {
        let mut st = nested.state();
        st.pid = Some(pid);
        st.wrapper_pid = wrapper_pid;
    }
    let nested = nested.clone();
    let status_path = spec.status_path.clone();
    tokio::spawn(async move {
        let mut raw = None;
        while let Ok(Some(l)) = lines.next_line().await {
            if let Some(s) = l.strip_prefix("exit ") {
                raw = s.trim().parse::<i32>().ok();
                break;
            }
        }
        let _ = child.wait().await;
        if raw.is_none() {
            raw = match read_wait_status(&status_path) {
                Some(WaitStatus::Exited(s)) => Some(s),
                _ => None,
            };
            signal_group(pid, libc::SIGKILL);
        }
        crate::info!(
            "Nested container {} exited: {}",
            nested.id.chain(),
            raw.map(crate::agent::executor::process::describe_wait_status)
                .unwrap_or_else(|| "executor terminated".into())
        );
        nested.finish(raw, None);
    });
    Ok(())
}

/// What WAIT answers about a terminated nested container.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Termination {
    /// Raw wait status (`None` when it could not run or its wrapper died).
    pub exit_status: Option<i32>,
    pub killed: bool,
    pub error: Option<String>,
}

/// Wait until the nested container `id` terminates.
pub async fn wait(agent: &Agent, id: &ContainerId) -> Result<Termination, NestedError> {
    let n = agent.nested.get(id).ok_or_else(|| not_found(id))?;
    let mut rx = n.done.subscribe();
    while !*rx.borrow_and_update() {
        if rx.changed().await.is_err() {
            break;
        }
    }
    let st = n.state();
    Ok(Termination {
        exit_status: st.exit_status,
        killed: st.killed,
        error: st.error.clone(),
    })
}

/// Signal the nested container `id`'s process group.
pub fn kill(agent: &Agent, id: &ContainerId, signal: i32) -> Result<(), NestedError> {
    let n = agent.nested.get(id).ok_or_else(|| not_found(id))?;
    if !n.is_done() {
        crate::info!("Sending signal {signal} to nested container {}", id.chain());
        kill_nested(&n, signal);
    }
    Ok(())
}

/// Forget a terminated nested container (its sandbox stays, like the
/// sandboxes of terminated tasks).
pub fn remove(agent: &Agent, id: &ContainerId) -> Result<(), NestedError> {
    let Some(n) = agent.nested.get(id) else {
        return Ok(());
    };
    if !n.is_done() {
        return Err(NestedError::Failed(format!(
            "Failed to remove nested container {}: it is still running",
            id.chain()
        )));
    }
    agent.nested.remove(id);
    let _ = std::fs::remove_dir_all(&n.meta_dir);
    crate::info!("Removed nested container {}", id.chain());
    Ok(())
}

/// Destroy a session container whose connection closed.
pub fn connection_closed(n: &Nested) {
    if !n.is_done() {
        crate::info!(
            "Destroying nested container session {}: its connection closed",
            n.id.chain()
        );
        kill_nested(n, libc::SIGKILL);
    }
}

/// Where a container's I/O switchboard is.
enum Io {
    /// Kept by the agent (sessions).
    InAgent(Arc<Switchboard>),
    /// Served by the container's wrapper on `<runtime dir>/io.sock` (a
    /// command task or a plain nested container with a TTY).
    Socket(PathBuf),
}

/// The switchboard of the live container `id` (nested, or a command
/// task's) and a watch of its end.
fn io_of(agent: &Agent, id: &ContainerId) -> Result<(Io, watch::Receiver<bool>), NestedError> {
    let has_socket = crate::agent::executor::switchboard::has_switchboard;
    if id.parent.is_some() {
        let n = agent.nested.get(id).ok_or_else(|| not_found(id))?;
        if let Some(io) = n.io.clone() {
            return Ok((Io::InAgent(io), n.done.subscribe()));
        }
        if n.is_done() || !has_socket(&n.meta_dir) {
            return Err(no_switchboard(id));
        }
        return Ok((Io::Socket(n.meta_dir.clone()), n.done.subscribe()));
    }
    let st = agent.lock();
    let e = st
        .frameworks
        .values()
        .flat_map(|f| f.executors.values())
        .find(|e| e.container_id == id.value && e.is_live())
        .ok_or_else(|| not_found(id))?;
    if !has_socket(&e.meta_dir) {
        return Err(no_switchboard(id));
    }
    Ok((Io::Socket(e.meta_dir.clone()), e.done_tx.subscribe()))
}

fn no_switchboard(id: &ContainerId) -> NestedError {
    NestedError::Failed(format!(
        "Container {} has no I/O switchboard: it was not launched as a session or with a TTY",
        id.chain()
    ))
}

fn attach_failed(id: &ContainerId, e: impl std::fmt::Display) -> NestedError {
    NestedError::Failed(format!(
        "Failed to attach to the I/O switchboard of container {}: {e}",
        id.chain()
    ))
}

/// An output attachment to container `id` (a nested container with a
/// switchboard, or a task's with a TTY): its output from now on, and a
/// watch of its end.
pub fn attach_output(
    agent: &Agent,
    id: &ContainerId,
) -> Result<(Option<broadcast::Receiver<Chunk>>, watch::Receiver<bool>), NestedError> {
    match io_of(agent, id)? {
        (Io::InAgent(io), done) => Ok((io.subscribe(), done)),
        (Io::Socket(meta), done) => {
            let (_io, rx) = crate::agent::executor::switchboard::attach_output(&meta)
                .map_err(|e| attach_failed(id, e))?;
            Ok((Some(rx), done))
        }
    }
}

/// The input attachment of container `id` (a nested container with a
/// switchboard, or a task's with a TTY): a switchboard to feed, already
/// claimed (release it with `detach_input`).
pub fn attach_input(agent: &Agent, id: &ContainerId) -> Result<Arc<Switchboard>, NestedError> {
    use crate::agent::executor::switchboard::AttachError;
    let busy = || NestedError::Conflict("Multiple input connections are not allowed".into());
    match io_of(agent, id)?.0 {
        Io::InAgent(io) => {
            if !io.attach_input() {
                return Err(busy());
            }
            Ok(io)
        }
        Io::Socket(meta) => match crate::agent::executor::switchboard::attach_input(&meta) {
            Ok(io) => {
                io.attach_input();
                Ok(io)
            }
            Err(AttachError::Busy) => Err(busy()),
            Err(AttachError::Failed(e)) => Err(attach_failed(id, e)),
        },
    }
}
