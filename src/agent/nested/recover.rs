//! Nested containers after an agent restart: picked up from the runtime
//! directories of the recovered live executors (`<run meta>/containers/
//! <id>/...`, nested ones below).
//!
//! * A plain container (`launch.json`, run by a wrapper) that ended while
//!   the agent was down is known with its wait status (until REMOVE); a
//!   live one is watched through its wrapper's pidfd, and told it has an
//!   agent again. One with a TTY keeps its switchboard (`io.sock`, served
//!   by the wrapper), so it can be attached to again.
//! * A session (`session.json`, LAUNCH_NESTED_CONTAINER_SESSION) dies with
//!   its connection, and the restart closed that connection: like Mesos,
//!   which marks session containers "destroy on recovery", the restarted
//!   agent destroys what is left of it (SIGKILL to its process group, then
//!   waits until the group is gone), checkpoints its termination in
//!   `wait_status`, drops its pid checkpoints, and WAIT answers that
//!   termination (until REMOVE).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::Parent;
use crate::agent::containers::Nested;
use crate::agent::core::Agent;
use crate::agent::executor::process::{
    agent_marker, pidfd, process_alive, process_exit, read_pid, read_wait_status, signal_group,
    wrapper_alive, WaitRecord, WaitStatus,
};
use crate::agent::executor::wrapper::LaunchSpec;
use crate::agent::paths::write_atomic;
use crate::daemon::now_secs;
use crate::wire::agent_v1::ContainerId;

/// A session's checkpoint in its runtime directory.
pub const SESSION_FILE: &str = "session.json";

/// What a session leaves in `<runtime dir>/session.json` at launch.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionRecord {
    /// Its sandbox.
    pub sandbox: PathBuf,
    /// The environment it was started with (its children inherit it).
    pub env: Vec<(String, String)>,
    /// Pid of its command (its session and process group id).
    pub pid: u32,
    /// Start time of that process (clock ticks since boot), against pid reuse.
    pub start: u64,
}

/// Checkpoint a session at launch.
pub fn checkpoint_session(meta_dir: &Path, rec: &SessionRecord) -> std::io::Result<()> {
    let bytes = serde_json::to_vec(rec).map_err(std::io::Error::other)?;
    write_atomic(&meta_dir.join(SESSION_FILE), &bytes)
}

/// Checkpoint a container's termination in `<runtime dir>/wait_status`.
pub fn checkpoint_termination(meta_dir: &Path, status: Option<i32>, message: &str) {
    let record = WaitRecord {
        status,
        message: Some(message.to_string()),
        error: status.is_none().then(|| message.to_string()),
        timestamp: now_secs(),
        ..WaitRecord::default()
    };
    if let Ok(bytes) = serde_json::to_vec(&record) {
        let _ = write_atomic(&meta_dir.join("wait_status"), &bytes);
    }
}

/// Pick up the nested containers of the recovered live executors.
pub fn recover(agent: &Arc<Agent>) {
    let roots: Vec<(ContainerId, Parent)> = {
        let st = agent.lock();
        st.frameworks
            .values()
            .flat_map(|f| f.executors.values())
            .filter(|e| e.is_live())
            .map(|e| {
                (
                    ContainerId::new(&e.container_id),
                    Parent {
                        fid: e.framework_id.clone(),
                        eid: e.id.clone(),
                        name: e.name.clone(),
                        directory: e.directory.clone(),
                        meta_dir: e.meta_dir.clone(),
                        env: Vec::new(),
                        done: e.done_tx.subscribe(),
                    },
                )
            })
            .collect()
    };
    for (id, parent) in roots {
        recover_children(agent, &id, &parent);
    }
}

/// What a runtime directory says about its container.
enum Checkpoint {
    Plain(LaunchSpec),
    Session(SessionRecord),
}

fn read_checkpoint(meta_dir: &Path) -> Option<Checkpoint> {
    if let Some(spec) = std::fs::read(meta_dir.join("launch.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<LaunchSpec>(&b).ok())
    {
        return Some(Checkpoint::Plain(spec));
    }
    std::fs::read(meta_dir.join(SESSION_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice::<SessionRecord>(&b).ok())
        .map(Checkpoint::Session)
}

fn recover_children(agent: &Arc<Agent>, parent_id: &ContainerId, parent: &Parent) {
    let Ok(entries) = std::fs::read_dir(parent.meta_dir.join("containers")) else {
        return;
    };
    for entry in entries.flatten() {
        let value = entry.file_name().to_string_lossy().into_owned();
        if crate::daemon::ids::validate_id("Container ID", &value).is_err() {
            continue;
        }
        let meta_dir = entry.path();
        let Some(checkpoint) = read_checkpoint(&meta_dir) else {
            continue;
        };
        let (sandbox, env, session) = match &checkpoint {
            Checkpoint::Plain(spec) => (spec.cwd.clone(), spec.env.clone(), false),
            Checkpoint::Session(rec) => (rec.sandbox.clone(), rec.env.clone(), true),
        };
        let id = ContainerId::nested(value, parent_id.clone());
        let n = Arc::new(Nested::new(
            id.clone(),
            parent.fid.clone(),
            parent.eid.clone(),
            parent.name.clone(),
            sandbox.clone(),
            meta_dir.clone(),
            env.clone(),
            session,
            None,
            now_secs(),
        ));
        if !agent.nested.insert(n.clone()) {
            continue;
        }
        match checkpoint {
            Checkpoint::Plain(spec) => recover_plain(&n, spec, parent),
            Checkpoint::Session(rec) => destroy_session(&n, rec),
        }
        let child = Parent {
            fid: parent.fid.clone(),
            eid: parent.eid.clone(),
            name: parent.name.clone(),
            directory: sandbox,
            meta_dir,
            env,
            done: n.done.subscribe(),
        };
        recover_children(agent, &id, &child);
    }
}

fn recover_plain(n: &Arc<Nested>, spec: LaunchSpec, parent: &Parent) {
    let spec_path = n.meta_dir.join("launch.json");
    let pids = n.meta_dir.join("pids");
    let pid = read_pid(&pids.join("forked.pid"));
    let wrapper = read_pid(&pids.join("executor.pid"));
    {
        let mut st = n.state();
        st.pid = pid;
        st.wrapper_pid = wrapper;
    }
    match read_wait_status(&spec.status_path) {
        Some(WaitStatus::Exited(raw)) => n.finish(Some(raw), None),
        Some(WaitStatus::Error(e)) => n.finish(None, Some(e)),
        None => match wrapper.filter(|w| wrapper_alive(*w, &spec_path)) {
            None => n.finish(
                None,
                Some("The executor of the nested container is gone".into()),
            ),
            Some(w) => {
                let _ = write_atomic(&pids.join("agent.pid"), agent_marker().as_bytes());
                crate::info!(
                    "Recovered nested container {} (executor pid {w})",
                    n.id.chain()
                );
                watch_recovered(n.clone(), w, spec.status_path.clone());
                super::follow_parent(n.clone(), parent.done.clone());
            }
        },
    }
}

/// Raw wait status of a process killed by SIGKILL.
const KILLED_BY_SIGKILL: i32 = libc::SIGKILL;

/// A session found after a restart: its connection is gone, so destroy it
/// (unless it terminated before, as its `wait_status` says).
fn destroy_session(n: &Arc<Nested>, rec: SessionRecord) {
    match read_wait_status(&n.meta_dir.join("wait_status")) {
        Some(WaitStatus::Exited(raw)) => return n.finish(Some(raw), None),
        Some(WaitStatus::Error(e)) => return n.finish(None, Some(e)),
        None => {}
    }
    let alive = crate::agent::executor::process::proc_state_and_start(rec.pid)
        .is_some_and(|(s, t)| s != 'Z' && s != 'X' && t == rec.start);
    let message = "Container destroyed on agent recovery: the connection of its session is gone";
    crate::info!(
        "Destroying nested container session {} (pid {}): its connection closed when the agent restarted",
        n.id.chain(),
        rec.pid
    );
    {
        let mut st = n.state();
        st.killed = alive;
    }
    if alive {
        signal_group(rec.pid, libc::SIGKILL);
    }
    let n = n.clone();
    tokio::spawn(async move {
        // The group is no child of ours: wait until /proc shows it gone.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while group_alive(rec.pid) && tokio::time::Instant::now() < deadline {
            signal_group(rec.pid, libc::SIGKILL);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let status = alive.then_some(KILLED_BY_SIGKILL);
        checkpoint_termination(&n.meta_dir, status, message);
        let _ = std::fs::remove_dir_all(n.meta_dir.join("pids"));
        let (status, error) = if alive {
            (status, None)
        } else {
            (None, Some(message.to_string()))
        };
        n.finish(status, error);
    });
}

/// Whether a live (not zombie) process of the process group `pgid` is
/// left (kill(2) with signal 0 also succeeds for a group of zombies).
fn group_alive(pgid: u32) -> bool {
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return false;
    };
    rd.flatten().any(|e| {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            return false;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            return false;
        };
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            return false;
        };
        let f: Vec<&str> = rest.split_whitespace().collect();
        // f[0] = state (field 3), f[2] = process group (field 5).
        f.len() > 2 && f[0] != "Z" && f[0] != "X" && f[2].parse::<u32>().ok() == Some(pgid)
    })
}

/// Watch a recovered nested container's wrapper (not our child) until it
/// exits, then read the wait status it left.
fn watch_recovered(n: Arc<Nested>, wrapper: u32, status_path: PathBuf) {
    tokio::spawn(async move {
        let fd = pidfd(wrapper);
        if fd.is_some() {
            process_exit(fd.as_ref()).await;
        } else {
            while process_alive(wrapper) {
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
        let raw = match read_wait_status(&status_path) {
            Some(WaitStatus::Exited(s)) => Some(s),
            _ => None,
        };
        n.finish(raw, None);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminations_are_checkpointed_for_wait() {
        let dir = tempfile::tempdir().unwrap();
        checkpoint_termination(dir.path(), Some(KILLED_BY_SIGKILL), "destroyed");
        assert_eq!(
            read_wait_status(&dir.path().join("wait_status")),
            Some(WaitStatus::Exited(9))
        );
        checkpoint_termination(dir.path(), None, "it was gone");
        assert_eq!(
            read_wait_status(&dir.path().join("wait_status")),
            Some(WaitStatus::Error("it was gone".into()))
        );
    }

    #[test]
    fn a_session_checkpoint_is_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let rec = SessionRecord {
            sandbox: PathBuf::from("/sandbox/containers/x"),
            env: vec![("A".into(), "b".into())],
            pid: 4242,
            start: 7,
        };
        checkpoint_session(dir.path(), &rec).unwrap();
        match read_checkpoint(dir.path()) {
            Some(Checkpoint::Session(r)) => {
                assert_eq!((r.pid, r.start, r.sandbox), (4242, 7, rec.sandbox));
            }
            _ => panic!("no session checkpoint"),
        }
    }

    #[test]
    fn process_groups_are_seen_alive_only_with_a_live_member() {
        // SAFETY: getpgrp(2) has no preconditions.
        let own = unsafe { libc::getpgrp() } as u32;
        assert!(group_alive(own));
        assert!(!group_alive(u32::MAX / 2));
    }
}
