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
}
