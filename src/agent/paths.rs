//! The agent's on-disk layout (the real Mesos layout under `--work_dir`).
//! Every id joined into a path goes through [`crate::daemon::ids::join_id`]
//! first, so a task, framework, executor, agent or container id can never
//! name a directory outside the work directory.

use std::path::{Path, PathBuf};

use crate::daemon::ids::join_id;

/// `<work_dir>/slaves/<agent_id>` (sandboxes).
pub fn agent_dir(work_dir: &Path, agent_id: &str) -> Result<PathBuf, String> {
    join_id(&work_dir.join("slaves"), "Agent ID", agent_id)
}

/// `<work_dir>/meta/slaves/<agent_id>` (checkpoints).
pub fn meta_agent_dir(work_dir: &Path, agent_id: &str) -> Result<PathBuf, String> {
    join_id(&work_dir.join("meta").join("slaves"), "Agent ID", agent_id)
}

/// `frameworks/<fid>/executors/<eid>/runs`, relative to an agent directory.
pub fn runs_rel(fid: &str, eid: &str) -> Result<PathBuf, String> {
    let fw = join_id(Path::new("frameworks"), "Framework ID", fid)?;
    join_id(&fw.join("executors"), "Executor ID", eid).map(|e| e.join("runs"))
}

/// `frameworks/<fid>/executors/<eid>/runs/<container_id>`.
pub fn run_rel(fid: &str, eid: &str, container_id: &str) -> Result<PathBuf, String> {
    join_id(&runs_rel(fid, eid)?, "Container ID", container_id)
}

/// `<run meta dir>/tasks/<task_id>` (task.info, task.updates).
pub fn task_meta_dir(run_meta: &Path, task_id: &str) -> Result<PathBuf, String> {
    join_id(&run_meta.join("tasks"), "Task ID", task_id)
}

/// Write `bytes` to `path` atomically (temp file + rename), creating parents.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!(
        "tmp.{}.{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Point the symlink `link` at `target` atomically.
pub fn symlink_atomic(target: &Path, link: &Path) -> std::io::Result<()> {
    let tmp = link.with_file_name(format!(
        ".{}.tmp.{}",
        link.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        uuid::Uuid::new_v4().simple()
    ));
    std::os::unix::fs::symlink(target, &tmp)?;
    std::fs::rename(&tmp, link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_and_refusals() {
        let w = Path::new("/w");
        assert_eq!(agent_dir(w, "S1").unwrap(), Path::new("/w/slaves/S1"));
        assert_eq!(
            meta_agent_dir(w, "S1").unwrap(),
            Path::new("/w/meta/slaves/S1")
        );
        assert_eq!(
            run_rel("F", "E", "C").unwrap(),
            Path::new("frameworks/F/executors/E/runs/C")
        );
        assert_eq!(
            task_meta_dir(Path::new("/m"), "t").unwrap(),
            Path::new("/m/tasks/t")
        );
        assert!(agent_dir(w, "..").is_err());
        assert!(run_rel("../../x", "E", "C").is_err());
        assert!(run_rel("F", "a/b", "C").is_err());
        assert!(run_rel("F", "E", ".").is_err());
        let e = task_meta_dir(Path::new("/m"), "../../../../tmp/x").unwrap_err();
        assert!(e.starts_with("Task ID '../../../../tmp/x'"), "{e}");
    }

    /// Every file and directory under `dir`.
    fn tree(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                out.push(e.path());
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(e.path());
                }
            }
        }
        out
    }

    /// Defence in depth: `run_task` with ids the master would have refused
    /// is refused by the agent too, before anything is created.
    #[tokio::test]
    async fn launch_refuses_bad_ids_and_creates_nothing() {
        use crate::daemon::flags::{self as dflags, Parsed};
        use crate::daemon::proto::RunTask;
        use serde_json::json;
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join("w1").join("w2").join("work");
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
        let agent = crate::agent::core::Agent::new(crate::agent::configure(f).unwrap()).unwrap();
        let before = tree(dir.path());
        let cases = [
            (
                "F1",
                "../../../../../../escaped",
                "S1",
                None,
                "Task ID '../../../../../../escaped' contains invalid characters",
            ),
            ("..", "t1", "S1", None, "Framework ID '..' is disallowed"),
            (
                "F1",
                "t1",
                "../../../escaped",
                None,
                "Agent ID '../../../escaped' contains invalid characters",
            ),
            (
                "F1",
                "a\nb",
                "S1",
                None,
                "Task ID 'a\\nb' contains invalid characters",
            ),
            ("F1", ".", "S1", None, "Task ID '.' is disallowed"),
            (
                "F1",
                "t1",
                "S1",
                Some(json!({"executor_id": {"value": "e/x"}})),
                "Executor ID 'e/x' contains invalid characters",
            ),
        ];
        for (fid, tid, aid, executor, want) in cases {
            let req = RunTask {
                framework: json!({"id": {"value": fid}, "name": "f", "user": "u"}),
                task: serde_json::from_value(json!({"task_id": {"value": tid},
                    "agent_id": {"value": aid}, "name": "t",
                    "command": {"value": "touch /tmp/should-not-run"}}))
                .unwrap(),
                executor: executor.map(|e| serde_json::from_value(e).unwrap()),
            };
            let e = crate::agent::executor::launch(&agent, req).unwrap_err();
            assert!(e.contains(want), "{fid}/{tid}/{aid}: '{e}' lacks '{want}'");
        }
        assert_eq!(tree(dir.path()), before, "nothing may be created");
        assert!(
            agent.lock().frameworks.is_empty(),
            "nothing may be recorded"
        );
    }
}
