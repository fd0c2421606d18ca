//! A selected task located on its agent: where it runs and where its
//! files are, and how its files are named to users (`task:path`).

use reqwest::Url;
use serde::Serialize;

use super::{AgentRef, TasksError};
use crate::error::{Error, ErrorKind, Result};
use crate::wire::Task;

/// A selected task with where it runs and where its files are.
#[derive(Clone, Debug, Serialize)]
pub struct Located {
    pub task: Task,
    /// Framework name (`""` when unknown).
    pub framework: String,
    pub agent: Option<AgentRef>,
    /// The executor's sandbox (`executors[].directory` on the agent).
    pub executor_directory: Option<String>,
    /// The directory the task's files are in: the executor sandbox, or
    /// `<sandbox>/tasks/<task id>` for tasks of a task group.
    pub sandbox: Option<String>,
    /// Why the sandbox could not be found or confirmed (agent unreachable, ...).
    pub problem: Option<String>,
}

impl Located {
    /// `id` or `id (name)` for messages.
    pub fn label(&self) -> String {
        if self.task.name.is_empty() || self.task.name == self.task.id {
            self.task.id.clone()
        } else {
            format!("{} ({})", self.task.id, self.task.name)
        }
    }

    pub fn hostname(&self) -> &str {
        self.agent
            .as_ref()
            .map(|a| a.hostname.as_str())
            .unwrap_or("")
    }

    /// A sandbox file path (`PATH` relative to the task's directory; an
    /// absolute PATH inside the sandbox is kept).
    pub fn file_path(&self, rel: &str) -> Option<String> {
        let base = self.sandbox.as_deref()?;
        Some(join_path(base, rel))
    }

    /// The agent base URL, or an error naming the task.
    pub fn agent_base(&self) -> Result<Url, TasksError> {
        self.agent
            .as_ref()
            .and_then(|a| a.base.clone())
            .ok_or_else(|| TasksError::AgentUnknown {
                task: self.task.id.clone(),
                agent: self.task.slave_id.clone(),
            })
    }

    /// The sandbox, or an error saying why there is none.
    pub fn sandbox_dir(&self) -> Result<&str, TasksError> {
        self.sandbox
            .as_deref()
            .ok_or_else(|| TasksError::NoSandbox {
                task: self.task.id.clone(),
                problem: self.problem.clone(),
            })
    }

    /// `task:path` for a path on the agent: relative to the task's
    /// directory when it is inside it (as users name files), else as is.
    pub fn display_path(&self, path: &str) -> String {
        let rel = self
            .sandbox
            .as_deref()
            .map(|s| s.trim_end_matches('/'))
            .and_then(|s| path.strip_prefix(s))
            .map(|r| r.trim_start_matches('/'))
            .map(|r| if r.is_empty() { "." } else { r })
            .unwrap_or(path);
        format!("{}:{rel}", self.task.id)
    }

    /// An error about one of the task's files, named `task:path` (never by
    /// the agent's absolute sandbox path): "no such file or directory" for
    /// a file that is not there, else the error's own message.
    pub fn file_error(&self, path: &str, e: Error) -> Error {
        let name = self.display_path(path);
        let message = if e.kind == ErrorKind::NotFound {
            format!("{name}: no such file or directory")
        } else {
            let detail = match self.sandbox.as_deref() {
                Some(s) if !s.is_empty() => e
                    .message
                    .replace(s.trim_end_matches('/'), &format!("{}:", self.task.id)),
                _ => e.message.clone(),
            };
            format!("{name}: {detail}")
        };
        Error { message, ..e }
    }
}

/// Join a sandbox directory and a relative path (`.`/empty = the directory).
pub fn join_path(base: &str, rel: &str) -> String {
    let rel = rel.trim();
    if rel.is_empty() || rel == "." || rel == "./" {
        return base.trim_end_matches('/').to_string();
    }
    if rel.starts_with('/') && rel.starts_with(base.trim_end_matches('/')) {
        return rel.trim_end_matches('/').to_string();
    }
    let rel = rel.trim_start_matches("./").trim_start_matches('/');
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        rel.trim_end_matches('/')
    )
}
