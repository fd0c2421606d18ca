//! The task-group state machine of the default executor, as plain data
//! (no I/O): which tasks exist, which group each belongs to, which nested
//! container runs it, and what a launch failure, a container exit, a KILL
//! or a SHUTDOWN means for the task and for the rest of its group.
//!
//! Mesos' rules: a task that terminates unsuccessfully (TASK_FAILED) takes
//! the other tasks of ITS group down with it (they end TASK_KILLED); a KILL
//! of one task kills its whole group; SHUTDOWN kills everything. Tasks of
//! other groups under the same executor are unaffected. A task whose
//! container we killed ends TASK_KILLED whatever its exit status.

use std::collections::BTreeMap;

use crate::wire::agent_v1::{ContainerId, TaskInfo};
use crate::wire::task::TaskState;

/// Where a task is in its life.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Its nested container is being launched.
    Launching,
    /// Its container runs (TASK_RUNNING sent).
    Running,
    /// A terminal update was produced.
    Done(TaskState),
}

/// One task of a group.
#[derive(Clone, Debug)]
pub struct Task {
    pub info: TaskInfo,
    pub group: u64,
    pub container: ContainerId,
    pub phase: Phase,
    /// We asked for its container to be killed (KILL, a failed sibling,
    /// SHUTDOWN): it ends TASK_KILLED.
    pub killing: bool,
}

/// The terminal update a task gets.
#[derive(Clone, Debug, PartialEq)]
pub struct Terminal {
    pub state: TaskState,
    pub message: String,
    pub reason: Option<String>,
    /// Running (or launching) tasks of the same group to kill now.
    pub kill: Vec<String>,
}

/// Every task this executor was given.
#[derive(Clone, Debug, Default)]
pub struct Tasks {
    tasks: BTreeMap<String, Task>,
    next_group: u64,
}

/// The command executor's wording of a raw wait status (one text for
/// every executor of the agent).
pub use crate::agent::executor::process::describe_wait_status;

/// Whether a raw wait status is a clean `exit 0`.
pub fn exited_zero(raw: i32) -> bool {
    raw & 0x7f == 0 && (raw >> 8) & 0xff == 0
}

impl Tasks {
    /// Add a task group (`container_ids` gives each task's nested container
    /// value, in order). Refuses a group with no tasks, a task without an
    /// id, or a task id this executor already has (nothing is added then).
    pub fn add_group(
        &mut self,
        tasks: &[TaskInfo],
        parent: &ContainerId,
        mut container_value: impl FnMut() -> String,
    ) -> Result<u64, String> {
        if tasks.is_empty() {
            return Err("the task group has no tasks".into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for t in tasks {
            let id = &t.task_id.value;
            if id.is_empty() {
                return Err("a task of the group has no task_id".into());
            }
            if self.tasks.contains_key(id) || !seen.insert(id.clone()) {
                return Err(format!("task '{id}' is already known to this executor"));
            }
        }
        let group = self.next_group;
        self.next_group += 1;
        for t in tasks {
            self.tasks.insert(
                t.task_id.value.clone(),
                Task {
                    info: t.clone(),
                    group,
                    container: ContainerId::nested(container_value(), parent.clone()),
                    phase: Phase::Launching,
                    killing: false,
                },
            );
        }
        Ok(group)
    }

    pub fn get(&self, id: &str) -> Option<&Task> {
        self.tasks.get(id)
    }

    /// The task ids of a group, in id order.
    pub fn group_of(&self, group: u64) -> Vec<String> {
        self.tasks
            .iter()
            .filter(|(_, t)| t.group == group)
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// Its container was launched: it is running now. `true` when it was
    /// meanwhile asked to be killed (kill its container now).
    pub fn launched(&mut self, id: &str) -> bool {
        match self.tasks.get_mut(id) {
            Some(t) if t.phase == Phase::Launching => {
                t.phase = Phase::Running;
                t.killing
            }
            _ => false,
        }
    }

    /// Its container could not be launched: TASK_FAILED
    /// (REASON_CONTAINER_LAUNCH_FAILED), or TASK_KILLED when we were
    /// killing it anyway; a failure kills the rest of its group.
    pub fn launch_failed(&mut self, id: &str, error: &str) -> Option<Terminal> {
        let t = self.tasks.get_mut(id)?;
        if matches!(t.phase, Phase::Done(_)) {
            return None;
        }
        let (state, reason) = if t.killing {
            (TaskState::Killed, None)
        } else {
            (
                TaskState::Failed,
                Some("REASON_CONTAINER_LAUNCH_FAILED".to_string()),
            )
        };
        t.phase = Phase::Done(state.clone());
        let group = t.group;
        let kill = if state == TaskState::Failed {
            self.kill_group(group)
        } else {
            Vec::new()
        };
        Some(Terminal {
            state,
            message: format!("Failed to launch container: {error}"),
            reason,
            kill,
        })
    }

    /// Its container ended with the raw wait status (`Err`: we could not
    /// learn how it ended). Finished on exit 0, killed when we killed it,
    /// failed otherwise — and a failure kills the rest of its group.
    pub fn exited(&mut self, id: &str, status: Result<i32, String>) -> Option<Terminal> {
        let t = self.tasks.get_mut(id)?;
        if matches!(t.phase, Phase::Done(_)) {
            return None;
        }
        let (state, message) = match &status {
            Ok(raw) => {
                let text = describe_wait_status(*raw);
                if t.killing {
                    (TaskState::Killed, text)
                } else if exited_zero(*raw) {
                    (TaskState::Finished, text)
                } else {
                    (TaskState::Failed, text)
                }
            }
            Err(e) if t.killing => (TaskState::Killed, e.clone()),
            Err(e) => (TaskState::Failed, e.clone()),
        };
        t.phase = Phase::Done(state.clone());
        let group = t.group;
        let kill = if state == TaskState::Failed {
            self.kill_group(group)
        } else {
            Vec::new()
        };
        Some(Terminal {
            state,
            message,
            reason: None,
            kill,
        })
    }

    /// KILL of one task: its whole group. Returns the tasks whose running
    /// containers to kill now (launching ones are killed once launched).
    pub fn kill(&mut self, id: &str) -> Vec<String> {
        match self.tasks.get(id) {
            Some(t) => {
                let g = t.group;
                self.kill_group(g)
            }
            None => Vec::new(),
        }
    }

    /// SHUTDOWN: every task. Same return as [`Tasks::kill`].
    pub fn kill_all(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        for (id, t) in self.tasks.iter_mut() {
            if !matches!(t.phase, Phase::Done(_)) && !t.killing {
                t.killing = true;
                if t.phase == Phase::Running {
                    out.push(id.clone());
                }
            }
        }
        out
    }

    fn kill_group(&mut self, group: u64) -> Vec<String> {
        let mut out = Vec::new();
        for (id, t) in self.tasks.iter_mut() {
            if t.group == group && !matches!(t.phase, Phase::Done(_)) && !t.killing {
                t.killing = true;
                if t.phase == Phase::Running {
                    out.push(id.clone());
                }
            }
        }
        out
    }

    /// Tasks without a terminal update yet.
    pub fn active(&self) -> usize {
        self.tasks
            .values()
            .filter(|t| !matches!(t.phase, Phase::Done(_)))
            .count()
    }

    /// Whether this executor was ever given a task.
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// Running tasks (whose containers to wait on again after a
    /// reconnection).
    pub fn running(&self) -> Vec<String> {
        self.tasks
            .iter()
            .filter(|(_, t)| t.phase == Phase::Running)
            .map(|(id, _)| id.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::agent_v1::Id;

    fn task(id: &str) -> TaskInfo {
        TaskInfo {
            task_id: Id::new(id),
            ..TaskInfo::default()
        }
    }

    fn setup() -> Tasks {
        let mut t = Tasks::default();
        let parent = ContainerId::new("exec");
        let mut n = 0;
        let mut next = move || {
            n += 1;
            format!("c{n}")
        };
        t.add_group(&[task("a"), task("b"), task("c")], &parent, &mut next)
            .unwrap();
        t.add_group(&[task("x"), task("y")], &parent, &mut next)
            .unwrap();
        for id in ["a", "b", "c", "x", "y"] {
            assert!(!t.launched(id));
        }
        t
    }

    #[test]
    fn wait_statuses_read_as_the_command_executor_says_them() {
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
        assert!(exited_zero(0));
        assert!(!exited_zero(3 << 8));
        assert!(!exited_zero(9));
    }

    #[test]
    fn a_failed_task_kills_its_own_group_only() {
        let mut t = setup();
        let term = t.exited("b", Ok(3 << 8)).unwrap();
        assert_eq!(term.state, TaskState::Failed);
        assert_eq!(term.message, "Command exited with status 3");
        assert_eq!(term.kill, vec!["a".to_string(), "c".to_string()]);
        // The siblings end KILLED whatever their exit status.
        let a = t.exited("a", Ok(15)).unwrap();
        assert_eq!(a.state, TaskState::Killed);
        assert_eq!(a.message, "Command terminated with signal Terminated");
        assert!(a.kill.is_empty());
        let c = t.exited("c", Ok(0)).unwrap();
        assert_eq!(c.state, TaskState::Killed);
        // The other group runs on.
        assert_eq!(t.running(), vec!["x".to_string(), "y".to_string()]);
        assert_eq!(t.active(), 2);
        // A second exit of a finished task is ignored.
        assert!(t.exited("b", Ok(0)).is_none());
    }

    #[test]
    fn finishing_tasks_leave_their_siblings_alone() {
        let mut t = setup();
        let x = t.exited("x", Ok(0)).unwrap();
        assert_eq!(x.state, TaskState::Finished);
        assert_eq!(x.message, "Command exited with status 0");
        assert!(x.kill.is_empty());
        assert_eq!(t.exited("y", Ok(0)).unwrap().state, TaskState::Finished);
        assert_eq!(t.active(), 3);
    }

    #[test]
    fn kill_of_one_task_kills_its_group_and_shutdown_kills_all() {
        let mut t = setup();
        assert_eq!(t.kill("y"), vec!["x".to_string(), "y".to_string()]);
        // Asking again does not kill twice.
        assert!(t.kill("x").is_empty());
        assert_eq!(t.exited("x", Ok(9)).unwrap().state, TaskState::Killed);
        assert_eq!(
            t.kill_all(),
            vec!["a".to_string(), "b".to_string(), "c".to_string()]
        );
        assert!(t.kill("nope").is_empty());
    }

    #[test]
    fn a_task_killed_while_launching_is_killed_once_launched() {
        let mut t = Tasks::default();
        let parent = ContainerId::new("exec");
        let mut n = 0;
        t.add_group(&[task("a"), task("b")], &parent, || {
            n += 1;
            format!("c{n}")
        })
        .unwrap();
        assert!(t.kill("a").is_empty());
        assert!(t.launched("a"));
        let b = t.launch_failed("b", "no such parent").unwrap();
        assert_eq!(b.state, TaskState::Killed);
        assert_eq!(t.get("a").unwrap().container.chain(), "exec.c1");
    }

    #[test]
    fn a_launch_failure_fails_the_task_and_kills_its_group() {
        let mut t = Tasks::default();
        let parent = ContainerId::new("exec");
        t.add_group(&[task("a"), task("b")], &parent, || "z".into())
            .unwrap();
        assert!(!t.launched("a"));
        let b = t.launch_failed("b", "boom").unwrap();
        assert_eq!(b.state, TaskState::Failed);
        assert_eq!(b.reason.as_deref(), Some("REASON_CONTAINER_LAUNCH_FAILED"));
        assert_eq!(b.message, "Failed to launch container: boom");
        assert_eq!(b.kill, vec!["a".to_string()]);
    }

    #[test]
    fn bad_groups_are_refused_whole() {
        let mut t = setup();
        let parent = ContainerId::new("exec");
        assert!(t
            .add_group(&[task("new"), task("a")], &parent, || "q".into())
            .unwrap_err()
            .contains("'a'"));
        assert!(t.get("new").is_none());
        assert!(t
            .add_group(&[task("d"), task("d")], &parent, || "q".into())
            .is_err());
        assert!(t.add_group(&[], &parent, || "q".into()).is_err());
        assert!(t.add_group(&[task("")], &parent, || "q".into()).is_err());
    }
}
