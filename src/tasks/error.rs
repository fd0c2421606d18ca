//! What can go wrong while selecting tasks and fetching what the task
//! commands need. The exit code of each variant is decided in `crate::error`
//! (the `From<TasksError>` impl); the wording and hints live here.

use reqwest::Url;

const INCLUDE_COMPLETED_HINT: &str = "add -i to include completed tasks";
const AMBIGUOUS_HINT: &str = "give the full task id, or narrow with --framework, --agent, --state";

#[derive(Debug, thiserror::Error)]
pub enum TasksError {
    // --- bad selection flags (usage) ---------------------------------------
    #[error("--regex '{pattern}' is not a valid regular expression: {cause}")]
    BadRegex { pattern: String, cause: String },
    #[error("--regex needs a TASK pattern")]
    RegexWithoutPattern,
    #[error("--state '{0}' is not a task state (running, staging, starting, killing, finished, failed, killed, error, lost, dropped, unreachable, gone, gone_by_operator, unknown)")]
    BadState(String),
    #[error("--label '{0}' has no key (use KEY=VALUE)")]
    LabelWithoutKey(String),
    #[error("--label needs KEY=VALUE or KEY")]
    EmptyLabel,

    // --- selection ------------------------------------------------------
    /// Nothing matches the filter (`filter` is its description);
    /// `completed_hidden` when completed tasks exist but were not asked for.
    #[error("no task matches {filter}")]
    NoMatch {
        filter: String,
        completed_hidden: bool,
    },
    /// An empty candidate list was given where one task was needed.
    #[error("no task matches")]
    NoCandidate,
    /// Several tasks match where one is needed; `candidates` are
    /// `id  name  host  state`, `; `-separated.
    #[error("{count} tasks match, {what} needs one: {candidates}")]
    Ambiguous {
        count: usize,
        what: String,
        candidates: String,
    },
    /// The interactive picker was left without a choice.
    #[error("no task chosen")]
    NoneChosen,

    // --- fetching state -------------------------------------------------
    #[error("{url} answered with a body that is not the expected JSON ({cause}): {excerpt}")]
    BadBody {
        url: Url,
        cause: serde_json::Error,
        excerpt: String,
    },
    #[error("no agent state endpoint")]
    NoAgentState,
    #[error("agent {0} is not registered with the master")]
    AgentNotRegistered(String),
    #[error("task {task}: its agent {agent} is not known to the master")]
    AgentUnknown { task: String, agent: String },
    #[error("task {task}: no sandbox found{}", .problem.as_deref().map(|p| format!(" ({p})")).unwrap_or_default())]
    NoSandbox {
        task: String,
        problem: Option<String>,
    },
}

impl TasksError {
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            TasksError::NoMatch {
                completed_hidden: true,
                ..
            } => Some(INCLUDE_COMPLETED_HINT),
            TasksError::Ambiguous { .. } => Some(AMBIGUOUS_HINT),
            _ => None,
        }
    }
}
