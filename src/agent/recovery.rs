//! Agent recovery (`--recover=reconnect`, the default;
//! docs/wire-notes.md#command-executor): a restarted agent with the same
//! `--work_dir` loses no task.
//!
//! At startup, before serving HTTP or registering, the agent reads its
//! checkpoints under `<work_dir>/meta`:
//!
//! 1. `meta/slaves/latest` names the agent id; `slave.info` must exist and
//!    `meta/boot_id` must match this boot (after a reboot every executor is
//!    gone and, like Mesos, the agent starts as a new agent).
//! 2. Every framework (`framework.info`), executor (`executor.info`) and
//!    run (`runs/<container>`) is rebuilt: the task from `tasks/<id>/task.info`,
//!    its status stream from `task.updates` (all updates + acknowledged
//!    uuids), the executor's fate from `executor.sentinel` (the agent saw it
//!    terminate), `wait_status` (written by the executor wrapper when the
//!    command exited), `pids/executor.pid` + `/proc` (is the wrapper alive?),
//!    `pids/forked.pid` and `killed`.
//! 3. Runs whose terminal update was acknowledged go to
//!    `completed_executors` (frameworks left without live executors to
//!    `completed_frameworks`); the others keep their unacknowledged updates,
//!    which are resent, in order, once the agent has re-registered with
//!    the master under the same agent id (the registration carries the
//!    tasks and their frameworks).
//! 4. Every sandbox is attached to `/files` again (the real path; the
//!    `runs/latest` paths for the latest run).
//! 5. Each unfinished run is resumed ([`executor::resume`]): a live wrapper
//!    is reconnected to (the agent writes `pids/agent.pid`, which cancels the
//!    wrapper's `--recovery_timeout` countdown, and watches it through a
//!    pidfd); a command that exited while the agent was down gets its
//!    terminal update from the recorded wait status; an executor that died
//!    without a record gets TASK_FAILED / REASON_EXECUTOR_TERMINATED.
//!
//! 6. Only frameworks that checkpoint (`FrameworkInfo.checkpoint`) are
//!    recovered, as in Mesos: the live executors of the others are killed,
//!    and their tasks are left out of the re-registration, so the master
//!    reconciles them (TASK_LOST, TASK_DROPPED when partition-aware). Their
//!    executors do not even wait for the agent: started with
//!    `MESOS_CHECKPOINT=0`, they shut their command down as soon as the
//!    agent process is gone.
//!
//! `--recover=cleanup` kills the live executors instead and exits.
//! Unreadable (corrupt) checkpoints are fatal with `--strict` (the
//! default), else skipped; missing files mean the agent died before writing
//! them and are skipped silently.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value as Json;
use tokio::sync::watch;

use super::core::Agent;
use super::executor::ctx::Sentinel;
use super::executor::custom;
use super::executor::process::{
    process_alive, read_pid, read_wait_status, signal_group, wrapper_alive, WaitStatus,
};
use super::executor::resume::{self, Resume};
use super::executor::task_role;
use super::model::{
    executor_name, executor_overhead, parse_framework_info, Custom, Executor, Framework, Phase,
    Task, MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK, MAX_COMPLETED_FRAMEWORKS,
};
use super::paths;
use super::stream::StreamCheckpoint;
use super::sysres::current_boot_id;
use crate::daemon::ids::join_id;
use crate::daemon::now_secs;
use crate::resources::Resources;
use crate::wire::agent_v1::{ExecutorInfo, TaskInfo, V1TaskStatus};
use crate::wire::TaskState;

/// One recovered executor run.
pub struct Run {
    pub executor: Executor,
    /// Status updates of its task, oldest first, and the acknowledged uuids.
    pub updates: Vec<V1TaskStatus>,
    pub acked: Vec<String>,
    /// `task.updates` of the task.
    pub checkpoint: PathBuf,
    /// None: the terminal update was already emitted before the restart.
    pub resume: Option<Resume>,
    /// `runs/latest` points at this run.
    pub latest: bool,
    /// A custom executor's later tasks: (task id, updates, acknowledged
    /// uuids, `task.updates`).
    pub more_streams: Vec<(String, Vec<V1TaskStatus>, Vec<String>, PathBuf)>,
}

/// What the checkpoints hold.
pub struct Scan {
    pub agent_id: String,
    /// (framework id, FrameworkInfo, runs)
    pub frameworks: Vec<(String, Json, Vec<Run>)>,
    /// Unreadable checkpoints (fatal with `--strict`).
    pub errors: Vec<String>,
}

impl Scan {
    fn runs(&self) -> impl Iterator<Item = &Run> {
        self.frameworks.iter().flat_map(|(_, _, r)| r.iter())
    }
}

/// A checkpointed JSON file: Ok(None) when missing, Err when unreadable.
fn read_json<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, String> {
    match std::fs::read(path) {
        Ok(b) => serde_json::from_slice(&b)
            .map(Some)
            .map_err(|e| format!("Failed to read checkpoint '{}': {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!(
            "Failed to read checkpoint '{}': {e}",
            path.display()
        )),
    }
}

/// Names of the subdirectories of `dir` (sorted; none if it is missing).
fn subdirs(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    out.sort();
    out
}

/// Read the checkpointed state. None: nothing to recover (first start,
/// never registered, or the host rebooted).
pub fn scan(agent: &Agent) -> Result<Option<Scan>, String> {
    let meta = agent.cfg.work_dir.join("meta");
    let Ok(target) = std::fs::read_link(meta.join("slaves").join("latest")) else {
        crate::info!("No checkpointed agent state to recover");
        return Ok(None);
    };
    let Some(agent_id) = target
        .file_name()
        .and_then(|n| n.to_str())
        .map(str::to_string)
    else {
        return Err(format!(
            "Failed to recover: '{}' does not name an agent",
            meta.join("slaves/latest").display()
        ));
    };
    let then = std::fs::read_to_string(meta.join("boot_id"))
        .ok()
        .map(|s| s.trim().to_string());
    if let (Some(then), Some(now)) = (then, current_boot_id()) {
        if then != now {
            crate::warning!(
                "The host rebooted since agent {agent_id} last ran (boot id {then} -> {now}); its executors are gone, registering as a new agent"
            );
            return Ok(None);
        }
    }
    let agent_meta = agent.meta_agent_dir(&agent_id).map_err(|e| {
        format!("Failed to recover: 'meta/slaves/latest' names an invalid agent: {e}")
    })?;
    if !agent_meta.join("slave.info").is_file() {
        crate::warning!(
            "No agent info checkpointed for agent {agent_id}; registering as a new agent"
        );
        return Ok(None);
    }
    crate::info!(
        "Recovering agent {agent_id} from '{}'",
        agent_meta.display()
    );
    let mut scan = Scan {
        agent_id: agent_id.clone(),
        frameworks: Vec::new(),
        errors: Vec::new(),
    };
    let fws = agent_meta.join("frameworks");
    for fid in subdirs(&fws) {
        let fw_dir = match join_id(&fws, "Framework ID", &fid) {
            Ok(d) => d,
            Err(e) => {
                scan.errors
                    .push(format!("Invalid checkpoint directory: {e}"));
                continue;
            }
        };
        let info: Json = match read_json(&fw_dir.join("framework.info")) {
            Ok(Some(v)) => v,
            Ok(None) => {
                crate::warning!(
                    "Skipping recovery of framework {fid}: its info was not checkpointed"
                );
                continue;
            }
            Err(e) => {
                scan.errors.push(e);
                continue;
            }
        };
        let mut runs = Vec::new();
        let execs = fw_dir.join("executors");
        for eid in subdirs(&execs) {
            let exec_dir = match join_id(&execs, "Executor ID", &eid) {
                Ok(d) => d,
                Err(e) => {
                    scan.errors
                        .push(format!("Invalid checkpoint directory: {e}"));
                    continue;
                }
            };
            let einfo: ExecutorInfo = match read_json(&exec_dir.join("executor.info")) {
                Ok(v) => v.unwrap_or_default(),
                Err(e) => {
                    scan.errors.push(e);
                    continue;
                }
            };
            let runs_dir = exec_dir.join("runs");
            let latest = std::fs::read_link(runs_dir.join("latest"))
                .ok()
                .and_then(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_string));
            let custom = einfo.command.is_some() && !custom::is_command_executor(&einfo);
            for cid in subdirs(&runs_dir) {
                let is_latest = latest.as_deref() == Some(cid.as_str());
                let recovered = if custom {
                    recover_custom_run(agent, &agent_id, &fid, &info, &eid, &einfo, &cid, is_latest)
                } else {
                    recover_run(agent, &agent_id, &fid, &info, &eid, &einfo, &cid, is_latest)
                };
                match recovered {
                    Ok(Some(r)) => runs.push(r),
                    Ok(None) => {}
                    Err(e) => scan.errors.push(e),
                }
            }
        }
        scan.frameworks.push((fid, info, runs));
    }
    Ok(Some(scan))
}

#[allow(clippy::too_many_arguments)]
fn recover_run(
    agent: &Agent,
    aid: &str,
    fid: &str,
    framework: &Json,
    eid: &str,
    einfo: &ExecutorInfo,
    cid: &str,
    latest: bool,
) -> Result<Option<Run>, String> {
    let invalid = |e: String| format!("Invalid checkpoint directory: {e}");
    let rel = paths::run_rel(fid, eid, cid).map_err(invalid)?;
    let meta = agent.meta_agent_dir(aid)?.join(&rel);
    let directory = agent.agent_dir(aid)?.join(&rel);
    let tasks_dir = meta.join("tasks");
    // A command executor runs exactly one task (its id is the executor's).
    let tid = subdirs(&tasks_dir)
        .into_iter()
        .next()
        .unwrap_or_else(|| eid.to_string());
    let task_dir = paths::task_meta_dir(&meta, &tid).map_err(invalid)?;
    let Some(task_info) = read_json::<TaskInfo>(&task_dir.join("task.info"))? else {
        crate::warning!(
            "Skipping recovery of run {cid} of executor {eid} of framework {fid}: no task was checkpointed"
        );
        return Ok(None);
    };
    let checkpoint = task_dir.join("task.updates");
    let StreamCheckpoint {
        updates,
        acknowledged: acked,
    } = read_json(&checkpoint)?.unwrap_or_default();
    let statuses = updates.clone();
    let state = statuses
        .last()
        .map(|u| u.state.clone())
        .unwrap_or(TaskState::Staging);
    let terminal_sent = statuses.iter().any(|u| u.state.is_terminal());
    let terminal_acked = statuses
        .iter()
        .any(|u| u.state.is_terminal() && u.uuid.as_ref().is_some_and(|id| acked.contains(id)));
    let sentinel: Option<Sentinel> = match read_json(&meta.join("executor.sentinel")) {
        Ok(v) => v,
        Err(e) => {
            crate::warning!("{e}");
            Some(Sentinel::default())
        }
    };
    let wait = read_wait_status(&meta.join("wait_status"));
    let killed = meta.join("killed").exists();
    let spec = meta.join("launch.json");
    let forked = read_pid(&meta.join("pids").join("forked.pid"));
    let resume = if terminal_sent {
        None
    } else if let Some(w) = wait.clone() {
        Some(match w {
            WaitStatus::Exited(raw) => Resume::Exited(raw),
            WaitStatus::Error(m) => Resume::LaunchError(m),
        })
    } else if sentinel.is_some() {
        Some(Resume::Gone("the executor terminated".into()))
    } else {
        match find_wrapper(&meta, &spec) {
            Some(executor_pid) => Some(Resume::Live {
                executor_pid,
                pid: forked,
            }),
            // It may have exited between the two reads.
            None => Some(match read_wait_status(&meta.join("wait_status")) {
                Some(WaitStatus::Exited(raw)) => Resume::Exited(raw),
                Some(WaitStatus::Error(m)) => Resume::LaunchError(m),
                None => {
                    if let Some(p) = forked {
                        kill_orphans(p, &directory);
                    }
                    Resume::Gone(if spec.exists() {
                        "the executor is gone (it exited or was killed while the agent was down)"
                            .into()
                    } else {
                        "the agent went down before the executor was started".into()
                    })
                }
            }),
        }
    };
    let exit_status = match &wait {
        Some(WaitStatus::Exited(raw)) => Some(*raw),
        _ => sentinel.as_ref().and_then(|s| s.exit_status),
    };
    let launched_at = statuses
        .first()
        .map(|u| u.timestamp)
        .or_else(|| {
            std::fs::metadata(&meta)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_secs_f64())
        })
        .unwrap_or_else(now_secs);
    let name = einfo
        .name
        .clone()
        .unwrap_or_else(|| executor_name(&tid, task_info.command.as_ref()));
    let resources = Resources::from_wire(&task_info.resources).unwrap_or_default();
    let (done_tx, _) = watch::channel(resume.is_none());
    let executor = Executor {
        id: eid.to_string(),
        framework_id: fid.to_string(),
        name,
        source: tid.clone(),
        container_id: cid.to_string(),
        directory,
        meta_dir: meta,
        info: einfo.clone(),
        overhead: executor_overhead(),
        task: Task {
            id: tid.clone(),
            name: task_info.name.clone().unwrap_or_else(|| tid.clone()),
            role: task_role(&task_info, &parse_framework_info(framework)),
            agent_id: task_info
                .agent_id
                .as_ref()
                .map(|a| a.value.clone())
                .unwrap_or_else(|| aid.to_string()),
            info: task_info,
            state,
            statuses,
            resources,
            terminal_acked,
        },
        more_tasks: Vec::new(),
        custom: None,
        phase: if resume.is_none() {
            Phase::Terminated
        } else {
            Phase::Running
        },
        pid: None,
        executor_pid: None,
        exit_status,
        kill_tx: None,
        killed,
        launched_at,
        done_tx,
    };
    Ok(Some(Run {
        executor,
        updates,
        acked,
        checkpoint,
        resume,
        latest,
        more_streams: Vec::new(),
    }))
}

/// Recover a run of a custom (or default) executor: every task under
/// `tasks/` with its status stream; the executor is resumed (given time to
/// subscribe again) unless it terminated while the agent saw it.
#[allow(clippy::too_many_arguments)]
fn recover_custom_run(
    agent: &Agent,
    aid: &str,
    fid: &str,
    framework: &Json,
    eid: &str,
    einfo: &ExecutorInfo,
    cid: &str,
    latest: bool,
) -> Result<Option<Run>, String> {
    let invalid = |e: String| format!("Invalid checkpoint directory: {e}");
    let rel = paths::run_rel(fid, eid, cid).map_err(invalid)?;
    let meta = agent.meta_agent_dir(aid)?.join(&rel);
    let directory = agent.agent_dir(aid)?.join(&rel);
    let fw = parse_framework_info(framework);
    let mut tasks = Vec::new();
    let mut streams = Vec::new();
    for tid in subdirs(&meta.join("tasks")) {
        let task_dir = paths::task_meta_dir(&meta, &tid).map_err(invalid)?;
        let Some(info) = read_json::<TaskInfo>(&task_dir.join("task.info"))? else {
            continue;
        };
        let checkpoint = task_dir.join("task.updates");
        let StreamCheckpoint {
            updates,
            acknowledged: acked,
        } = read_json(&checkpoint)?.unwrap_or_default();
        let terminal_acked = updates
            .iter()
            .any(|u| u.state.is_terminal() && u.uuid.as_ref().is_some_and(|id| acked.contains(id)));
        tasks.push(Task {
            id: tid.clone(),
            name: info.name.clone().unwrap_or_else(|| tid.clone()),
            role: task_role(&info, &fw),
            agent_id: info
                .agent_id
                .as_ref()
                .map(|a| a.value.clone())
                .unwrap_or_else(|| aid.to_string()),
            resources: Resources::from_wire(&info.resources).unwrap_or_default(),
            state: updates
                .last()
                .map(|u| u.state.clone())
                .unwrap_or(TaskState::Staging),
            statuses: updates.clone(),
            info,
            terminal_acked,
        });
        streams.push((tid, updates, acked, checkpoint));
    }
    if tasks.is_empty() {
        crate::warning!(
            "Skipping recovery of run {cid} of executor {eid} of framework {fid}: no task was checkpointed"
        );
        return Ok(None);
    }
    // The first launched task first.
    let launched = |t: &Task| t.statuses.first().map(|s| s.timestamp).unwrap_or(f64::MAX);
    let mut order: Vec<usize> = (0..tasks.len()).collect();
    order.sort_by(|a, b| launched(&tasks[*a]).total_cmp(&launched(&tasks[*b])));
    let mut tasks: Vec<Task> = order.iter().map(|i| tasks[*i].clone()).collect();
    let mut streams: Vec<_> = order.iter().map(|i| streams[*i].clone()).collect();
    let sentinel: Option<Sentinel> = read_json(&meta.join("executor.sentinel")).unwrap_or(None);
    let all_terminal = tasks.iter().all(|t| t.state.is_terminal());
    let resume = match &sentinel {
        Some(_) if all_terminal => None,
        Some(_) => Some(Resume::Custom { pid: None }),
        None => Some(Resume::Custom {
            pid: read_pid(&meta.join("pids").join("executor.pid")),
        }),
    };
    let launched_at = tasks
        .iter()
        .filter_map(|t| t.statuses.first().map(|s| s.timestamp))
        .fold(f64::MAX, f64::min);
    let launched_at = if launched_at == f64::MAX {
        now_secs()
    } else {
        launched_at
    };
    let first = tasks.remove(0);
    let (_, updates, acked, checkpoint) = streams.remove(0);
    let (done_tx, _) = watch::channel(resume.is_none());
    let executor = Executor {
        id: eid.to_string(),
        framework_id: fid.to_string(),
        name: einfo.name.clone().unwrap_or_default(),
        source: einfo.source.clone().unwrap_or_default(),
        container_id: cid.to_string(),
        directory,
        meta_dir: meta,
        info: einfo.clone(),
        overhead: Resources::from_wire(&einfo.resources).unwrap_or_default(),
        task: first,
        more_tasks: tasks,
        custom: Some(Custom::default()),
        phase: if resume.is_none() {
            Phase::Terminated
        } else {
            Phase::Running
        },
        pid: None,
        executor_pid: None,
        exit_status: sentinel.and_then(|s| s.exit_status),
        kill_tx: None,
        killed: false,
        launched_at,
        done_tx,
    };
    Ok(Some(Run {
        executor,
        updates,
        acked,
        checkpoint,
        resume,
        latest,
        more_streams: streams,
    }))
}

/// The live executor wrapper of a run: `pids/executor.pid`, else (the agent
/// died right after starting it, before anyone recorded its pid) the
/// process whose command line names the run's launch spec.
fn find_wrapper(meta: &Path, spec: &Path) -> Option<u32> {
    let recorded = read_pid(&meta.join("pids").join("executor.pid"));
    if let Some(p) = recorded.filter(|p| wrapper_alive(*p, spec)) {
        return Some(p);
    }
    if recorded.is_some() || !spec.exists() {
        return None;
    }
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .find(|p| wrapper_alive(*p, spec))
}

/// The command's session leader `pid` outlived its executor: kill the
/// session, but only if that process really is the task's (cwd in the
/// sandbox), not an unrelated process that reused the pid.
fn kill_orphans(pid: u32, sandbox: &Path) {
    let ours = std::fs::read_link(format!("/proc/{pid}/cwd"))
        .is_ok_and(|cwd| cwd.starts_with(sandbox))
        && process_alive(pid);
    if ours {
        crate::warning!("Killing process group {pid} left behind by a terminated executor");
        signal_group(pid, libc::SIGKILL);
    }
}

fn attach(agent: &Agent, e: &Executor, latest: bool) {
    let dir = &e.directory;
    agent.files.attach(&dir.to_string_lossy(), dir);
    if latest {
        if let Some(runs) = dir.parent() {
            agent
                .files
                .attach(&runs.join("latest").to_string_lossy(), dir);
        }
        agent.files.attach(
            &format!(
                "/frameworks/{}/executors/{}/runs/latest",
                e.framework_id, e.id
            ),
            dir,
        );
    }
}

/// Install the recovered state (`--recover=reconnect`): agent id,
/// frameworks, executors, status streams, sandboxes; then resume the
/// unfinished executors. Runs inside the runtime, before registration.
pub fn apply(agent: &Arc<Agent>, scan: Scan) {
    let mut resumes = Vec::new();
    let (mut live, mut ended, mut completed) = (0usize, 0usize, 0usize);
    {
        let mut st = agent.lock();
        st.agent_id = Some(scan.agent_id.clone());
        st.counters.recovery_errors += scan.errors.len() as u64;
    }
    let mut frameworks = Vec::new();
    let mut done_frameworks = Vec::new();
    let mut shut_down = 0usize;
    for (fid, info, mut runs) in scan.frameworks {
        if !parse_framework_info(&info).checkpoint {
            // Like Mesos, only checkpointing frameworks are recovered: the
            // others' executors are shut down and their tasks left out of
            // the re-registration, so the master reconciles them as lost.
            let live = live_executors(runs.iter());
            if !live.is_empty() {
                crate::info!(
                    "Shutting down {} executor(s) of framework {fid}: it does not checkpoint, so it is not recovered",
                    live.len()
                );
            }
            shut_down += kill_executors(&live);
            continue;
        }
        runs.sort_by(|a, b| a.executor.launched_at.total_cmp(&b.executor.launched_at));
        let mut fw = Framework::new(&fid, info);
        let mut last = 0.0f64;
        for run in runs {
            last = last.max(run.executor.launched_at);
            attach(agent, &run.executor, run.latest);
            if run.resume.is_none() && run.executor.tasks_done() {
                completed += 1;
                fw.completed_executors.push_back(run.executor);
                continue;
            }
            match &run.resume {
                Some(Resume::Live { .. }) | Some(Resume::Custom { pid: Some(_) }) => live += 1,
                Some(_) => ended += 1,
                None => {}
            }
            let eid = run.executor.id.clone();
            agent.restore_stream(
                &fid,
                &run.executor.task.id,
                run.updates,
                run.acked,
                run.checkpoint,
            );
            for (tid, updates, acked, checkpoint) in run.more_streams {
                agent.restore_stream(&fid, &tid, updates, acked, checkpoint);
            }
            if let Some(old) = fw.executors.insert(eid.clone(), run.executor) {
                fw.completed_executors.push_back(old);
            }
            if let Some(r) = run.resume {
                resumes.push((fid.clone(), eid, r));
            }
        }
        while fw.completed_executors.len() > MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK {
            if let Some(old) = fw.completed_executors.pop_front() {
                agent.detach_sandbox(&old);
            }
        }
        if fw.executors.is_empty() {
            done_frameworks.push((last, fw));
        } else {
            frameworks.push(fw);
        }
    }
    done_frameworks.sort_by(|a, b| a.0.total_cmp(&b.0));
    {
        let mut st = agent.lock();
        for fw in frameworks {
            st.frameworks.insert(fw.id.clone(), fw);
        }
        for (_, fw) in done_frameworks {
            st.completed_frameworks.push_back(fw);
        }
        while st.completed_frameworks.len() > MAX_COMPLETED_FRAMEWORKS {
            if let Some(old) = st.completed_frameworks.pop_front() {
                for e in old.completed_executors.iter() {
                    agent.detach_sandbox(e);
                }
            }
        }
    }
    for (fid, eid, r) in resumes {
        match r {
            Resume::Custom { pid } => custom::resume(agent, &fid, &eid, pid),
            r => resume::resume(agent, &fid, &eid, r),
        }
    }
    crate::info!(
        "Finished recovery of agent {}: {live} executor(s) reconnected, {ended} ended while the agent was down, {completed} completed, {shut_down} of non-checkpointing frameworks shut down",
        scan.agent_id
    );
}

/// `--recover=cleanup`: kill every live executor of the checkpointed state
/// (their commands first, so that the wrappers record the exit). Returns
/// how many were killed.
pub fn cleanup(scan: &Scan) -> usize {
    kill_executors(&live_executors(scan.runs()))
}

/// (executor pid, command pid, launch spec) of the runs whose executor lives.
fn live_executors<'a>(runs: impl Iterator<Item = &'a Run>) -> Vec<(u32, Option<u32>, PathBuf)> {
    runs.filter_map(|r| match &r.resume {
        Some(Resume::Live { executor_pid, pid }) => {
            Some((*executor_pid, *pid, r.executor.meta_dir.join("launch.json")))
        }
        // A custom executor leads its own process group.
        Some(Resume::Custom { pid: Some(pid) }) if process_alive(*pid) => {
            Some((*pid, Some(*pid), r.executor.meta_dir.join("launch.json")))
        }
        _ => None,
    })
    .collect()
}

/// Kill executors left by a previous agent (their commands first, so that
/// the wrappers record the exit); returns how many there were.
fn kill_executors(live: &[(u32, Option<u32>, PathBuf)]) -> usize {
    for (executor_pid, pid, _) in live {
        crate::info!("Killing executor (pid {executor_pid}) left by a previous agent");
        match pid {
            Some(p) => signal_group(*p, libc::SIGKILL),
            None => {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(*executor_pid as i32),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
        }
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while live.iter().any(|(e, _, spec)| wrapper_alive(*e, spec))
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    for (e, _, spec) in live {
        if wrapper_alive(*e, spec) {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(*e as i32),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }
    live.len()
}

#[cfg(test)]
#[path = "recovery_tests.rs"]
mod tests;
