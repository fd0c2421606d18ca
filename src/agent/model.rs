//! The agent's model: frameworks -> executors -> tasks, and the counters
//! behind `/metrics/snapshot`. Plain data; depends on nothing else in the
//! agent (the layer everything else builds on).

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use crate::resources::{Resource, Resources, Value};
use crate::wire::agent_v1::{CommandInfo, ExecutorInfo, TaskInfo, V1TaskStatus};
use crate::wire::executor::Event as ExecEvent;
use crate::wire::v1::FrameworkInfo;
use crate::wire::TaskState;

/// Completed executors kept per framework (Mesos' default).
pub const MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK: usize = 150;
/// Completed frameworks kept (Mesos' default).
pub const MAX_COMPLETED_FRAMEWORKS: usize = 50;

/// Where the agent is registered.
#[derive(Clone, Debug, PartialEq)]
pub struct Registration {
    pub agent_id: String,
    /// `host:port` of the master that accepted us.
    pub master: String,
    /// Secret of this registration: carried on our calls to the master, and
    /// required on the master's calls to us (docs/internal-protocol.md).
    pub token: crate::daemon::proto::session::Token,
}

/// Lifecycle of an executor container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Launching,
    Running,
    Terminated,
}

/// A kill request for a running executor.
#[derive(Clone, Debug)]
pub struct Kill {
    /// Grace period before SIGKILL.
    pub grace: Duration,
}

/// A task as the agent knows it.
#[derive(Clone, Debug)]
pub struct Task {
    pub id: String,
    pub name: String,
    /// v1 TaskInfo as launched.
    pub info: TaskInfo,
    pub state: TaskState,
    /// Full v1 TaskStatus objects, oldest first.
    pub statuses: Vec<V1TaskStatus>,
    pub resources: Resources,
    pub role: String,
    /// Agent the task runs on (as given at launch).
    pub agent_id: String,
    /// The terminal update was acknowledged (or will never be).
    pub terminal_acked: bool,
}

/// What the agent keeps for a custom (or default) executor: the events
/// waiting for it to subscribe, its subscribed connection, its shutdown.
#[derive(Clone, Debug, Default)]
pub struct Custom {
    /// Events queued until the executor subscribes (LAUNCH, LAUNCH_GROUP,
    /// MESSAGE, ...), oldest first.
    pub queued: VecDeque<ExecEvent>,
    /// The subscribed connection (a second SUBSCRIBE replaces it): its
    /// number and the sender of its event stream.
    pub conn: Option<(u64, mpsc::UnboundedSender<ExecEvent>)>,
    /// The executor subscribed at least once (with this agent process).
    pub subscribed: bool,
    /// SHUTDOWN was sent (or is queued): it is going away.
    pub shutting_down: bool,
    /// Kill the process group now (SIGTERM, then SIGKILL).
    pub destroy_tx: Option<mpsc::UnboundedSender<()>>,
    /// Why the agent terminates it (the reason of its tasks' updates).
    pub destroy_reason: Option<String>,
}

impl Custom {
    /// Send an event on the subscribed connection, else queue it. Returns
    /// whether it went out now.
    pub fn send(&mut self, event: ExecEvent) -> bool {
        if let Some((_, tx)) = &self.conn {
            if tx.send(event.clone()).is_ok() {
                return true;
            }
            self.conn = None;
        }
        self.queued.push_back(event);
        false
    }
}

/// A (command) executor and its single task, or a custom executor and its
/// tasks (`task` is the first one, `more_tasks` the later ones).
#[derive(Clone, Debug)]
pub struct Executor {
    pub id: String,
    pub framework_id: String,
    pub name: String,
    pub source: String,
    pub container_id: String,
    /// Sandbox (host path).
    pub directory: PathBuf,
    /// Checkpoint directory of this run.
    pub meta_dir: PathBuf,
    /// v1 ExecutorInfo.
    pub info: ExecutorInfo,
    /// Executor overhead (0.1 cpus, 32 MB).
    pub overhead: Resources,
    pub task: Task,
    /// Later tasks of a custom executor (launched on the running executor).
    pub more_tasks: Vec<Task>,
    /// Set for custom and default executors.
    pub custom: Option<Custom>,
    pub phase: Phase,
    /// Pid of the command (its session / process group id).
    pub pid: Option<u32>,
    /// Pid of our executor wrapper process.
    pub executor_pid: Option<u32>,
    /// Raw wait status of the command, once it exited.
    pub exit_status: Option<i32>,
    pub kill_tx: Option<mpsc::UnboundedSender<Kill>>,
    pub killed: bool,
    pub launched_at: f64,
    /// Notified when the container terminates (WAIT_CONTAINER).
    pub done_tx: watch::Sender<bool>,
}

impl Executor {
    /// Executor + task resources (a task's only while it is not terminal).
    pub fn allocated(&self) -> Resources {
        let mut r = self.overhead.clone();
        for t in self.tasks() {
            if !t.state.is_terminal() {
                r.add(&t.resources);
            }
        }
        r
    }
    /// Executor + task resources regardless of task state (limits).
    pub fn limits(&self) -> Resources {
        let mut r = self.overhead.clone();
        for t in self.tasks() {
            r.add(&t.resources);
        }
        r
    }
    /// Every task of the executor, the first one first.
    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        std::iter::once(&self.task).chain(self.more_tasks.iter())
    }
    pub fn tasks_mut(&mut self) -> impl Iterator<Item = &mut Task> {
        std::iter::once(&mut self.task).chain(self.more_tasks.iter_mut())
    }
    pub fn task_by_id(&self, tid: &str) -> Option<&Task> {
        self.tasks().find(|t| t.id == tid)
    }
    pub fn task_by_id_mut(&mut self, tid: &str) -> Option<&mut Task> {
        self.tasks_mut().find(|t| t.id == tid)
    }
    /// Every task is terminal and its terminal update acknowledged.
    pub fn tasks_done(&self) -> bool {
        self.tasks()
            .all(|t| t.state.is_terminal() && t.terminal_acked)
    }
    /// Any task is not terminal.
    pub fn any_task_live(&self) -> bool {
        self.tasks().any(|t| !t.state.is_terminal())
    }
    pub fn is_custom(&self) -> bool {
        self.custom.is_some()
    }
    pub fn is_live(&self) -> bool {
        self.phase != Phase::Terminated
    }
}

/// A framework with executors on this agent.
#[derive(Clone, Debug)]
pub struct Framework {
    pub id: String,
    /// v1 FrameworkInfo as the master sent it (passed on verbatim).
    pub info: serde_json::Value,
    /// What the agent reads of it.
    pub parsed: FrameworkInfo,
    pub executors: BTreeMap<String, Executor>,
    pub completed_executors: VecDeque<Executor>,
    /// ShutdownFramework received: nothing more is sent for it.
    pub shutting_down: bool,
}

impl Framework {
    /// A framework without executors yet.
    pub fn new(id: &str, info: serde_json::Value) -> Framework {
        Framework {
            id: id.to_string(),
            parsed: parse_framework_info(&info),
            info,
            executors: BTreeMap::new(),
            completed_executors: VecDeque::new(),
            shutting_down: false,
        }
    }
    /// Replace the FrameworkInfo (a newer one came with a launch).
    pub fn set_info(&mut self, info: serde_json::Value) {
        self.parsed = parse_framework_info(&info);
        self.info = info;
    }
    pub fn has_capability(&self, cap: &str) -> bool {
        self.parsed.capabilities.iter().any(|c| c == cap)
    }
    /// Only checkpointing frameworks' executors are recovered by a
    /// restarted agent.
    pub fn checkpoints(&self) -> bool {
        self.parsed.checkpoint
    }
    /// `roles` of a MULTI_ROLE framework, else `[role]` (default `*`).
    pub fn roles(&self) -> Vec<String> {
        framework_roles(&self.parsed)
    }
}

/// The typed view of a FrameworkInfo (lenient: a malformed one reads as
/// empty).
pub fn parse_framework_info(info: &serde_json::Value) -> FrameworkInfo {
    serde::Deserialize::deserialize(info).unwrap_or_default()
}

/// Counters behind `/metrics/snapshot`.
#[derive(Clone, Debug, Default)]
pub struct Counters {
    pub tasks_finished: u64,
    pub tasks_failed: u64,
    pub tasks_killed: u64,
    pub tasks_lost: u64,
    pub tasks_error: u64,
    pub tasks_dropped: u64,
    pub tasks_gone: u64,
    pub executors_terminated: u64,
    pub valid_status_updates: u64,
    pub invalid_status_updates: u64,
    pub container_launch_errors: u64,
    pub valid_framework_messages: u64,
    /// Unreadable checkpoints skipped during recovery (`--strict=false`).
    pub recovery_errors: u64,
}

/// Mutable agent state (behind one mutex; never held across `.await`).
#[derive(Debug, Default)]
pub struct State {
    pub agent_id: Option<String>,
    pub master_hostname: Option<String>,
    pub master_info: Option<crate::wire::MasterInfo>,
    pub frameworks: BTreeMap<String, Framework>,
    pub completed_frameworks: VecDeque<Framework>,
    pub counters: Counters,
}

impl State {
    /// Active executor by framework and executor id.
    pub fn executor_mut(&mut self, fid: &str, eid: &str) -> Option<&mut Executor> {
        self.frameworks.get_mut(fid)?.executors.get_mut(eid)
    }
    pub fn executor(&self, fid: &str, eid: &str) -> Option<&Executor> {
        self.frameworks.get(fid)?.executors.get(eid)
    }
    /// Active executor running `task_id` (command executors: id == task id).
    pub fn executor_for_task_mut(&mut self, fid: &str, tid: &str) -> Option<&mut Executor> {
        self.frameworks
            .get_mut(fid)?
            .executors
            .values_mut()
            .find(|e| e.task_by_id(tid).is_some())
    }
    /// All executors, active first: (framework, executor, completed?).
    pub fn all_executors(&self) -> impl Iterator<Item = (&Framework, &Executor, bool)> {
        self.frameworks.values().flat_map(|f| {
            f.executors
                .values()
                .map(move |e| (f, e, false))
                .chain(f.completed_executors.iter().map(move |e| (f, e, true)))
        })
    }
    /// Resources allocated to live executors and their tasks.
    pub fn allocated(&self) -> Resources {
        let mut r = Resources::new();
        for f in self.frameworks.values() {
            for e in f.executors.values() {
                if e.is_live() || e.any_task_live() {
                    r.add(&e.allocated());
                }
            }
        }
        r
    }
}

/// Agent capabilities announced to the master and in state.
pub fn capabilities() -> Vec<&'static str> {
    vec!["MULTI_ROLE", "HIERARCHICAL_ROLE", "RESERVATION_REFINEMENT"]
}

/// Split into reserved (by role) and unreserved resources.
pub fn split_reserved(r: &Resources) -> (BTreeMap<String, Resources>, Resources) {
    let mut reserved: BTreeMap<String, Resources> = BTreeMap::new();
    let mut unreserved = Resources::new();
    for x in r.iter() {
        if x.role == "*" {
            unreserved.push(x.clone());
        } else {
            reserved.entry(x.role.clone()).or_default().push(x.clone());
        }
    }
    (reserved, unreserved)
}

/// `roles` of a MULTI_ROLE framework, else `[role]` (default `*`).
pub fn framework_roles(info: &FrameworkInfo) -> Vec<String> {
    if !info.roles.is_empty() {
        return info.roles.clone();
    }
    vec![info.role.clone().unwrap_or_else(|| "*".to_string())]
}

/// `Command Executor (Task: <id>) (Command: sh -c '<cmd>')`, with Mesos'
/// truncation (more than 15 characters -> the first 12 + `...`).
pub fn executor_name(task_id: &str, command: Option<&CommandInfo>) -> String {
    let shell = command.is_none_or(CommandInfo::shell);
    let value = command.and_then(|c| c.value.as_deref());
    let mut name = format!("(Task: {task_id}) ");
    if shell {
        match value {
            None => name.push_str("(Command: NO COMMAND)"),
            Some(v) => {
                name.push_str("(Command: sh -c '");
                if v.chars().count() > 15 {
                    name.push_str(&v.chars().take(12).collect::<String>());
                    name.push_str("...')");
                } else {
                    name.push_str(v);
                    name.push_str("')");
                }
            }
        }
    } else {
        match value {
            None => name.push_str("(Command: NO EXECUTABLE)"),
            Some(v) => {
                let args = command.map(|c| c.arguments.join(", ")).unwrap_or_default();
                let joined = format!("{v}, {args}");
                if joined.chars().count() > 15 {
                    name.push_str(&format!(
                        "(Command: [{}...])",
                        joined.chars().take(12).collect::<String>()
                    ));
                } else {
                    name.push_str(&format!("(Command: [{joined}])"));
                }
            }
        }
    }
    format!("Command Executor {name}")
}

/// The command executor's overhead resources (0.1 cpus, 32 MB).
pub fn executor_overhead() -> Resources {
    let mut r = Resources::new();
    r.push(Resource {
        name: "cpus".into(),
        role: "*".into(),
        value: Value::Scalar(0.1),
    });
    r.push(Resource {
        name: "mem".into(),
        role: "*".into(),
        value: Value::Scalar(32.0),
    });
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn executor_names_follow_mesos_truncation() {
        let cmd = |v: serde_json::Value| -> CommandInfo { serde_json::from_value(v).unwrap() };
        let name = |t: &str, v: serde_json::Value| executor_name(t, Some(&cmd(v)));
        assert_eq!(
            name("hello", json!({"value": "sleep 100"})),
            "Command Executor (Task: hello) (Command: sh -c 'sleep 100')"
        );
        assert_eq!(
            name("t", json!({"value": "echo hello world!", "shell": true})),
            "Command Executor (Task: t) (Command: sh -c 'echo hello w...')"
        );
        // Exactly 15 characters are kept whole.
        assert_eq!(
            name("t", json!({"value": "123456789012345"})),
            "Command Executor (Task: t) (Command: sh -c '123456789012345')"
        );
        assert_eq!(
            name(
                "t",
                json!({"value": "/bin/ls", "shell": false, "arguments": ["ls", "-la"]})
            ),
            "Command Executor (Task: t) (Command: [/bin/ls, ls,...])"
        );
        assert_eq!(
            name("t", json!({"value": "ls", "shell": false})),
            "Command Executor (Task: t) (Command: [ls, ])"
        );
        assert_eq!(
            name("t", json!({"shell": true})),
            "Command Executor (Task: t) (Command: NO COMMAND)"
        );
    }

    #[test]
    fn custom_executor_events_queue_until_a_connection_takes_them() {
        let mut c = Custom::default();
        assert!(!c.send(ExecEvent::bare("MESSAGE")));
        let (tx, mut rx) = mpsc::unbounded_channel();
        c.conn = Some((1, tx));
        assert!(c.send(ExecEvent::bare("KILL")));
        assert_eq!(rx.try_recv().unwrap().kind, "KILL");
        assert_eq!(c.queued.len(), 1);
        // A closed connection is forgotten and the event queued.
        drop(rx);
        assert!(!c.send(ExecEvent::bare("SHUTDOWN")));
        assert!(c.conn.is_none());
        let kinds: Vec<&str> = c.queued.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["MESSAGE", "SHUTDOWN"]);
    }

    #[test]
    fn framework_roles_and_checkpointing() {
        let f = Framework::new(
            "F",
            json!({"id": {"value": "F"}, "roles": ["a", "b"], "checkpoint": true,
                "capabilities": [{"type": "MULTI_ROLE"}]}),
        );
        assert_eq!(f.roles(), vec!["a", "b"]);
        assert!(f.checkpoints() && f.has_capability("MULTI_ROLE"));
        let g = Framework::new("G", json!({"name": "g"}));
        assert_eq!(g.roles(), vec!["*"]);
        assert!(!g.checkpoints());
    }
}
