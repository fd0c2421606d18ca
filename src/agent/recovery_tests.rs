//! Unit tests of `recovery`.

use super::*;
use crate::daemon::flags::{self as dflags, Parsed};
use serde_json::json;
use std::collections::BTreeMap;

fn agent(work: &Path) -> Arc<Agent> {
    let args = vec![
        "--master=127.0.0.1:5050".to_string(),
        format!("--work_dir={}", work.display()),
        "--resources=cpus:1;mem:128;disk:128;ports:[31000-31001]".to_string(),
    ];
    let Ok(Parsed::Flags(f)) =
        dflags::parse("mesos agent", crate::agent::flags::SPECS, &args, |_| None)
    else {
        panic!("flags");
    };
    Agent::new(crate::agent::configure(f).unwrap()).unwrap()
}

fn update(state: &str, uuid: &str) -> Json {
    json!({"task_id": {"value": "t"}, "state": state, "uuid": uuid, "timestamp": 1.0})
}

/// Write the checkpoints of run `cid` of executor/task `tid`.
fn run(work: &Path, tid: &str, cid: &str, updates: &[Json], acked: &[&str]) -> PathBuf {
    let fw = work.join("meta/slaves/S1/frameworks/F1");
    std::fs::create_dir_all(&fw).unwrap();
    std::fs::write(
        fw.join("framework.info"),
        json!({"id": {"value": "F1"}, "name": "f"}).to_string(),
    )
    .unwrap();
    let exec = fw.join("executors").join(tid);
    std::fs::create_dir_all(exec.join("runs")).unwrap();
    std::fs::write(
        exec.join("executor.info"),
        json!({"name": "Command Executor"}).to_string(),
    )
    .unwrap();
    let meta = exec.join("runs").join(cid);
    let task = meta.join("tasks").join(tid);
    std::fs::create_dir_all(&task).unwrap();
    std::fs::create_dir_all(meta.join("pids")).unwrap();
    let info = json!({"task_id": {"value": tid}, "name": tid, "agent_id": {"value": "S1"},
        "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.5}}],
        "command": {"value": "sleep 1"}});
    std::fs::write(task.join("task.info"), info.to_string()).unwrap();
    std::fs::write(
        task.join("task.updates"),
        json!({"updates": updates, "acknowledged": acked}).to_string(),
    )
    .unwrap();
    meta
}

fn checkpoint_agent(work: &Path) {
    std::fs::create_dir_all(work.join("meta/slaves/S1")).unwrap();
    std::fs::write(work.join("meta/slaves/S1/slave.info"), "{}").unwrap();
    std::os::unix::fs::symlink("S1", work.join("meta/slaves/latest")).unwrap();
}

#[test]
fn nothing_to_recover_on_a_fresh_work_dir() {
    let dir = tempfile::tempdir().unwrap();
    assert!(scan(&agent(dir.path())).unwrap().is_none());
}

#[test]
fn a_reboot_starts_a_new_agent() {
    let dir = tempfile::tempdir().unwrap();
    checkpoint_agent(dir.path());
    std::fs::write(dir.path().join("meta/boot_id"), "another-boot").unwrap();
    let a = agent(dir.path());
    if current_boot_id().is_some() {
        assert!(scan(&a).unwrap().is_none());
    }
    std::fs::remove_file(dir.path().join("meta/boot_id")).unwrap();
    assert_eq!(scan(&a).unwrap().unwrap().agent_id, "S1");
}

#[test]
fn runs_are_classified_from_their_checkpoints() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path();
    checkpoint_agent(w);
    // Completed: terminal update acknowledged.
    run(
        w,
        "done",
        "c1",
        &[update("TASK_RUNNING", "u1"), update("TASK_FINISHED", "u2")],
        &["u1", "u2"],
    );
    // Terminal update sent, not acknowledged yet.
    run(w, "unacked", "c2", &[update("TASK_FAILED", "u3")], &[]);
    // Exited while the agent was down (killed by a kill in progress).
    let m = run(w, "exited", "c3", &[update("TASK_RUNNING", "u4")], &["u4"]);
    std::fs::write(m.join("wait_status"), json!({"status": 15}).to_string()).unwrap();
    std::fs::write(m.join("killed"), "1").unwrap();
    // Executor gone without a trace (pid of a process that is not ours).
    let m = run(w, "gone", "c4", &[update("TASK_RUNNING", "u5")], &[]);
    std::fs::write(m.join("launch.json"), "{}").unwrap();
    std::fs::write(m.join("pids/executor.pid"), std::process::id().to_string()).unwrap();
    // Corrupt checkpoint.
    let m = run(w, "corrupt", "c5", &[], &[]);
    std::fs::write(m.join("tasks/corrupt/task.updates"), "{\"upd").unwrap();

    let scan = scan(&agent(w)).unwrap().unwrap();
    assert_eq!(scan.agent_id, "S1");
    assert_eq!(scan.errors.len(), 1, "{:?}", scan.errors);
    assert!(scan.errors[0].contains("task.updates"), "{:?}", scan.errors);
    let runs: BTreeMap<String, &Run> = scan.runs().map(|r| (r.executor.id.clone(), r)).collect();
    assert_eq!(runs.len(), 4);
    let done = runs["done"];
    assert!(done.resume.is_none() && done.executor.task.terminal_acked);
    assert_eq!(done.executor.task.state, TaskState::Finished);
    assert_eq!(done.executor.phase, Phase::Terminated);
    assert_eq!(done.executor.task.resources.scalar("cpus"), 0.5);
    assert!(done
        .executor
        .directory
        .ends_with("slaves/S1/frameworks/F1/executors/done/runs/c1"));
    let unacked = runs["unacked"];
    assert!(unacked.resume.is_none() && !unacked.executor.task.terminal_acked);
    let exited = runs["exited"];
    assert_eq!(exited.resume, Some(Resume::Exited(15)));
    assert!(exited.executor.killed);
    assert_eq!(exited.acked, ["u4"]);
    match &runs["gone"].resume {
        Some(Resume::Gone(why)) => assert!(why.contains("gone"), "{why}"),
        other => panic!("{other:?}"),
    }
}

/// A `task.updates` exactly as the previous build wrote it (the queue
/// held the updates as JSON then): it reads into the typed stream, the
/// unacknowledged update is still pending, and writing it back yields
/// the same JSON (fields this build does not model are kept).
#[test]
fn an_old_format_status_checkpoint_is_recovered_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path();
    checkpoint_agent(w);
    let m = run(w, "old", "c1", &[], &[]);
    let old = r#"{"updates":[{"task_id":{"value":"old"},"state":"TASK_RUNNING","source":"SOURCE_EXECUTOR","agent_id":{"value":"S1"},"executor_id":{"value":"old"},"timestamp":1700000000.25,"uuid":"AAAAAAAAAAAAAAAAAAAAAA==","container_status":{"container_id":{"value":"c1"},"executor_pid":4242,"network_infos":[{"ip_addresses":[{"ip_address":"10.0.0.1"}]}]}},{"task_id":{"value":"old"},"state":"TASK_FINISHED","message":"Command exited with status 0","source":"SOURCE_EXECUTOR","reason":"REASON_COMMAND_EXECUTOR_FAILED","agent_id":{"value":"S1"},"executor_id":{"value":"old"},"timestamp":1700000001.5,"uuid":"AQEBAQEBAQEBAQEBAQEBAQ==","healthy":true,"labels":{"labels":[{"key":"k","value":"v"}]},"data":"eA==","check_status":{"type":"COMMAND"}}],"acknowledged":["AAAAAAAAAAAAAAAAAAAAAA=="]}"#;
    std::fs::write(m.join("tasks/old/task.updates"), old).unwrap();
    let scan = scan(&agent(w)).unwrap().unwrap();
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    let run = scan.runs().find(|r| r.executor.id == "old").unwrap();
    assert_eq!(run.updates.len(), 2);
    assert_eq!(run.updates[1].state, TaskState::Finished);
    assert_eq!(run.acked, ["AAAAAAAAAAAAAAAAAAAAAA=="]);
    assert_eq!(run.executor.task.state, TaskState::Finished);
    assert!(run.resume.is_none() && !run.executor.task.terminal_acked);
    // The pending (unacknowledged) update is the terminal one.
    let pending: Vec<&str> = run
        .updates
        .iter()
        .filter_map(|u| u.uuid.as_deref())
        .filter(|u| !run.acked.iter().any(|a| a == u))
        .collect();
    assert_eq!(pending, ["AQEBAQEBAQEBAQEBAQEBAQ=="]);
    let again = StreamCheckpoint {
        updates: run.updates.clone(),
        acknowledged: run.acked.clone(),
    };
    assert_eq!(
        serde_json::to_value(&again).unwrap(),
        serde_json::from_str::<Json>(old).unwrap()
    );
}

#[test]
fn checkpoint_directories_with_invalid_ids_are_recovery_errors() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path();
    checkpoint_agent(w);
    run(w, "ok", "c1", &[update("TASK_RUNNING", "u1")], &[]);
    // An executor directory whose name is not a valid id.
    run(w, "bad\u{1}id", "c2", &[update("TASK_RUNNING", "u2")], &[]);
    // A task directory that is not a valid id.
    let m = run(w, "t2", "c3", &[update("TASK_RUNNING", "u3")], &[]);
    std::fs::rename(m.join("tasks/t2"), m.join("tasks/t\u{7f}")).unwrap();
    let scan = scan(&agent(w)).unwrap().unwrap();
    assert_eq!(scan.errors.len(), 2, "{:?}", scan.errors);
    assert!(
        scan.errors
            .iter()
            .any(|e| e.starts_with("Invalid checkpoint directory: Executor ID 'bad\\u{1}id'")),
        "{:?}",
        scan.errors
    );
    assert!(
        scan.errors
            .iter()
            .any(|e| e.starts_with("Invalid checkpoint directory: Task ID 't\\u{7f}'")),
        "{:?}",
        scan.errors
    );
    assert_eq!(scan.runs().count(), 1);
}

#[test]
fn an_invalid_latest_agent_is_a_recovery_error() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path();
    std::fs::create_dir_all(w.join("meta/slaves")).unwrap();
    std::os::unix::fs::symlink("S\u{1b}1", w.join("meta/slaves/latest")).unwrap();
    let Err(e) = scan(&agent(w)) else {
        panic!("an invalid agent id was recovered");
    };
    assert!(
        e.contains("Agent ID 'S\\u{1b}1' contains invalid characters"),
        "{e}"
    );
}
