//! The end of a run: the exit code, the one-line failure summary, the
//! `--json` document, and the teardown.

use serde::Serialize;

use super::{exit_status, Runner, Task, FOLLOW_DRAIN};
use crate::error::Error;
use crate::wire::agent_v1::V1TaskStatus;

/// The `--json` document of a run.
#[derive(Serialize)]
struct Report<'a> {
    framework_id: &'a str,
    framework_name: &'a str,
    master: &'a str,
    role: &'a str,
    detached: bool,
    interrupted: bool,
    exit_code: u8,
    /// `task` (the tasks' own exit status) or `mesos`.
    exit_code_source: &'static str,
    error: Option<String>,
    tasks: Vec<TaskReport<'a>>,
}

/// One task of [`Report`]: absent values are `null`.
#[derive(Serialize)]
struct TaskReport<'a> {
    task_id: &'a str,
    name: &'a str,
    agent_id: Option<&'a str>,
    agent_hostname: Option<&'a str>,
    state: Option<&'a str>,
    exit_status: Option<i32>,
    reason: Option<&'a str>,
    message: Option<&'a str>,
    source: Option<&'a str>,
    error: Option<&'a str>,
    /// The last status update as the master sent it.
    status: Option<&'a V1TaskStatus>,
}

impl Runner {
    /// Whether [`Runner::exit_code`] is the tasks' own exit status (they all
    /// failed with the same "Command exited with status N") rather than one
    /// of the tool's codes.
    fn exit_code_is_tasks(&self) -> bool {
        let code = self.exit_code();
        self.interrupted.is_none()
            && self.failure.is_none()
            && !self.tasks.is_empty()
            && self
                .tasks
                .iter()
                .all(|t| task_exit_status(t) == Some(i32::from(code)) && code != 0)
    }

    pub(super) fn exit_code(&self) -> u8 {
        if let Some((code, _)) = self.interrupted {
            return code;
        }
        if self.failure.is_some() {
            return crate::error::EXIT_ERROR;
        }
        let ok = |t: &Task| match t.state.as_deref() {
            Some("TASK_FINISHED") => true,
            Some("TASK_RUNNING") => self.detached,
            _ => false,
        };
        let failed: Vec<&Task> = self.tasks.iter().filter(|t| !ok(t)).collect();
        if failed.is_empty() {
            return crate::error::EXIT_OK;
        }
        if failed.len() < self.tasks.len() {
            return crate::error::EXIT_PARTIAL;
        }
        // All failed: the exit status when they agree on one.
        let codes: Vec<Option<i32>> = failed.iter().map(|t| task_exit_status(t)).collect();
        match codes.first() {
            Some(Some(c)) if codes.iter().all(|x| *x == Some(*c)) && (1..=255).contains(c) => {
                *c as u8
            }
            _ => crate::error::EXIT_ERROR,
        }
    }

    /// One-line summary of what failed (for the `error:` line).
    fn failure_summary(&self) -> Option<String> {
        if self.interrupted.is_some() {
            return None;
        }
        // Group tasks that failed the same way: "tasks a, b TASK_ERROR (...): why".
        let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
        for t in self.tasks.iter().filter(|t| {
            !(t.state.as_deref() == Some("TASK_FINISHED")
                || (self.detached && t.state.as_deref() == Some("TASK_RUNNING")))
        }) {
            let how = match (&t.unplaced, &t.last) {
                (Some(why), _) => format!("not launched: {why}"),
                (None, Some(s)) => {
                    let mut x = match s.state.as_str() {
                        "" => "?".to_string(),
                        st => st.to_string(),
                    };
                    if let Some(r) = &s.reason {
                        x.push_str(&format!(" ({r})"));
                    }
                    if let Some(m) = s.message.as_deref().filter(|m| !m.is_empty()) {
                        x.push_str(&format!(": {m}"));
                    }
                    x
                }
                (None, None) => "has no status".to_string(),
            };
            match groups.iter_mut().find(|(h, _)| *h == how) {
                Some((_, ids)) => ids.push(t.id()),
                None => groups.push((how, vec![t.id()])),
            }
        }
        let n: usize = groups.iter().map(|(_, ids)| ids.len()).sum();
        let parts: Vec<String> = groups
            .iter()
            .map(|(how, ids)| match ids.len() {
                1 => format!("task {} {how}", ids[0]),
                _ => format!("tasks {} {how}", ids.join(", ")),
            })
            .collect();
        match n {
            0 => None,
            _ if self.tasks.len() == 1 => Some(parts.join("; ")),
            _ => Some(format!(
                "{n} of {} tasks failed: {}",
                self.tasks.len(),
                parts.join("; ")
            )),
        }
    }

    /// The `--json` document.
    fn report(&self, code: u8) -> Report<'_> {
        let non_empty = |s: &'_ str| -> bool { !s.is_empty() };
        let tasks = self
            .tasks
            .iter()
            .map(|t| {
                let s = t.last.as_ref();
                TaskReport {
                    task_id: t.id(),
                    name: t.plan.name(),
                    agent_id: Some(t.agent_id.as_str()).filter(|a| non_empty(a)),
                    agent_hostname: Some(t.hostname.as_str()).filter(|h| non_empty(h)),
                    state: t.state.as_deref(),
                    exit_status: task_exit_status(t),
                    reason: s.and_then(|s| s.reason.as_deref()),
                    message: s.and_then(|s| s.message.as_deref()),
                    source: s.and_then(|s| s.source.as_deref()),
                    error: t.unplaced.as_deref(),
                    status: s,
                }
            })
            .collect();
        Report {
            framework_id: &self.sched.framework_id,
            framework_name: &self.o.framework_name,
            master: &self.master,
            role: &self.o.role,
            detached: self.detached,
            interrupted: self.interrupted.is_some(),
            exit_code: code,
            exit_code_source: if self.exit_code_is_tasks() {
                "task"
            } else {
                "mesos"
            },
            error: self.failure.as_ref().map(|e| e.message.clone()),
            tasks,
        }
    }

    /// Stop followers, tear down (unless detached), report. Returns the exit code.
    pub(super) async fn finish(mut self) -> u8 {
        for t in self.tasks.iter_mut() {
            if let Some(f) = t.follower.take() {
                if self.force_stop || self.failure.is_some() {
                    f.abort();
                } else {
                    f.finish(FOLLOW_DRAIN).await;
                }
            }
        }
        if self.detached {
            let ids: Vec<&str> = self
                .tasks
                .iter()
                .filter(|t| t.launched)
                .map(Task::id)
                .collect();
            self.say(format!(
                "detached: framework {} stays registered for {}; stop with `mesos kill {}`",
                self.sched.framework_id,
                crate::duration::format_duration(self.o.failover_timeout),
                ids.join(" ")
            ));
        } else if let Err(e) = self.sched.teardown().await {
            crate::output::warn(format!(
                "could not tear down framework {}: {} (it is removed when its failover timeout of 0s expires)",
                self.sched.framework_id, e.message
            ));
        }
        let code = self.exit_code();
        if self.o.json {
            let _ = crate::output::Output::new(crate::output::OutputFormat::Json)
                .json_value(&self.report(code));
        } else if self.detached {
            let ids: String = self
                .tasks
                .iter()
                .filter(|t| t.launched)
                .map(|t| format!("{}\n", t.id()))
                .collect();
            let _ = crate::output::write_stdout(ids.as_bytes());
        }
        if let Some(e) = &self.failure {
            crate::report(e);
        } else if code != 0 {
            if let Some(s) = self.failure_summary() {
                crate::report(&Error::failed(s));
            }
        }
        if self.interrupted.is_some() && !self.detached {
            self.say(format!(
                "framework {} torn down after the interrupt",
                self.sched.framework_id
            ));
        }
        code
    }
}

fn task_exit_status(t: &Task) -> Option<i32> {
    let s = t.last.as_ref()?;
    match s.state.as_str() {
        "TASK_FINISHED" => Some(0),
        "TASK_FAILED" => exit_status(s.message.as_deref().unwrap_or("")),
        _ => None,
    }
}
