//! The internal master <-> agent protocol of the bundled daemons
//! (docs/internal-protocol.md): one typed definition of every body, used by
//! both daemons. Plain HTTP/JSON; public Mesos APIs (v0, v1 operator,
//! scheduler, executor) are not here.
//!
//! The JSON is part of our upgrade story: an agent of the previous build
//! must still talk to a new master and the other way round, so every key,
//! spelling and omission rule stays as it was (the unit tests below pin
//! them). Reading is lenient (unknown fields ignored, optional fields may be
//! absent). Task statuses, TaskInfo and ExecutorInfo are the typed v1
//! messages of [`super::agent_v1`]; a FrameworkInfo travels verbatim (the
//! agent passes it on, never interprets more than [`FrameworkRef`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::agent_v1::{ExecutorInfo, Id, KillPolicy, TaskInfo, V1Task, V1TaskStatus};
use super::de;
use super::master_info::MasterInfo;
use super::resources::{Attribute, Resource};

/// Paths (on the master: under `/master`, on the agent: under `/slave(1)`).
pub mod paths {
    /// Agent -> master.
    pub const REGISTER: &str = "/master/internal/register";
    /// Agent -> master, every `ping_interval_secs`.
    pub const PING: &str = "/master/internal/ping";
    /// Agent -> master, retried until the master answers 202.
    pub const STATUS_UPDATE: &str = "/master/internal/status_update";
    /// Master -> agent.
    pub const RUN_TASK: &str = "/slave(1)/internal/run_task";
    /// Master -> agent.
    pub const KILL_TASK: &str = "/slave(1)/internal/kill_task";
    /// Master -> agent: the framework acknowledged a status update.
    pub const ACK: &str = "/slave(1)/internal/acknowledge";
    /// Master -> agent: kill all tasks of a framework and forget it.
    pub const SHUTDOWN_FRAMEWORK: &str = "/slave(1)/internal/shutdown_framework";
    /// Master -> agent: launch a task group with its (default) executor.
    pub const RUN_TASK_GROUP: &str = "/slave(1)/internal/run_task_group";
    /// Master -> agent: a scheduler's MESSAGE for one of its executors.
    pub const FRAMEWORK_MESSAGE: &str = "/slave(1)/internal/framework_message";
    /// Master -> agent: a scheduler's SHUTDOWN of one executor.
    pub const SHUTDOWN_EXECUTOR: &str = "/slave(1)/internal/shutdown_executor";
    /// Agent -> master: an executor's MESSAGE for its scheduler.
    pub const EXECUTOR_MESSAGE: &str = "/master/internal/executor_message";
    /// Agent -> master: an executor terminated (the scheduler's FAILURE).
    pub const EXITED_EXECUTOR: &str = "/master/internal/exited_executor";
}

/// A master -> agent call: its body and the path it is posted to.
pub trait ToAgent: Serialize {
    const PATH: &'static str;
}

/// An agent's own credential (`--credential`): what it presents when it
/// registers with a master started with `--authenticate_agents`
/// (`{"principal": .., "secret": ..}`). The secret never shows in `Debug`
/// output; reading and checking live in `daemon::auth`.
#[derive(Clone, Serialize, Deserialize)]
pub struct AgentCredential {
    pub principal: String,
    secret: String,
}

impl std::fmt::Debug for AgentCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AgentCredential({}, secret redacted)", self.principal)
    }
}

impl AgentCredential {
    pub fn new(principal: impl Into<String>, secret: impl Into<String>) -> AgentCredential {
        AgentCredential {
            principal: principal.into(),
            secret: secret.into(),
        }
    }
    pub fn secret(&self) -> &str {
        &self.secret
    }
}

/// Agent -> master: register (no `agent_id`) or re-register (with the id the
/// agent was given before, plus what it is running).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RegisterRequest {
    /// Set when re-registering.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub agent_id: Option<String>,
    #[serde(default, deserialize_with = "de::string")]
    pub hostname: String,
    /// Address the master uses to reach the agent.
    #[serde(default, deserialize_with = "de::string")]
    pub ip: String,
    pub port: u16,
    /// Total resources (v1 `Resource` list).
    #[serde(deserialize_with = "de::vec")]
    pub resources: Vec<Resource>,
    /// v1 `Attribute` list.
    #[serde(default, deserialize_with = "de::vec")]
    pub attributes: Vec<Attribute>,
    #[serde(default, deserialize_with = "de::string")]
    pub version: String,
    /// Agent capabilities (strings, e.g. `MULTI_ROLE`).
    #[serde(default, deserialize_with = "de::vec")]
    pub capabilities: Vec<String>,
    /// Tasks the agent runs (non-terminal, or terminal and not yet
    /// acknowledged), v1 `Task`.
    #[serde(default, deserialize_with = "de::vec")]
    pub tasks: Vec<V1Task>,
    /// FrameworkInfo (v1 JSON, verbatim) of frameworks with tasks on the agent.
    #[serde(default, deserialize_with = "de::vec")]
    pub frameworks: Vec<Value>,
    /// Custom and default executors the agent runs (ExecutorInfo with
    /// `framework_id`, resources as launched); absent when none, and from
    /// agents of earlier builds.
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub executors: Vec<ExecutorInfo>,
    /// The agent's `--credential`, for a master with `--authenticate_agents`
    /// (sent only when configured; use TLS so it does not cross the network
    /// in clear text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<AgentCredential>,
}

/// What the master reads of a FrameworkInfo reported by an agent: its id.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct FrameworkRef {
    #[serde(default)]
    pub id: Option<Id>,
}

impl FrameworkRef {
    /// The id of a FrameworkInfo (`id.value`), when it has one.
    pub fn id_of(info: &Value) -> Option<String> {
        FrameworkRef::deserialize(info)
            .ok()?
            .id
            .map(|i| i.value)
            .filter(|v| !v.is_empty())
    }
}

/// Master -> agent answer to a registration.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RegisterResponse {
    #[serde(deserialize_with = "de::string")]
    pub agent_id: String,
    #[serde(default, deserialize_with = "de::string")]
    pub master_id: String,
    /// How often to ping.
    #[serde(default = "default_ping", deserialize_with = "de::f64")]
    pub ping_interval_secs: f64,
    /// MasterInfo of the master that accepted the registration.
    #[serde(default)]
    pub master_info: MasterInfo,
    /// Secret of this registration (256 random bits, hex). The agent sends
    /// it on pings and status updates and accepts master calls only when
    /// they carry it. A new leader, or a registration that does not present
    /// the current token, gets a new one.
    #[serde(default, deserialize_with = "de::string")]
    pub session_token: String,
}

fn default_ping() -> f64 {
    1.0
}

/// Agent -> master liveness ping. 200 = known; 404 = unknown agent (the agent
/// must re-register); 307/503 = not the leader.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ping {
    #[serde(deserialize_with = "de::string")]
    pub agent_id: String,
}

/// Agent -> master: one status update (v1 TaskStatus with `uuid`), retried
/// with backoff until the master answers 202.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusUpdate {
    #[serde(deserialize_with = "de::string")]
    pub agent_id: String,
    #[serde(deserialize_with = "de::string")]
    pub framework_id: String,
    pub status: V1TaskStatus,
}

/// Master -> agent: launch a task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunTask {
    /// v1 FrameworkInfo (with `id`), verbatim.
    pub framework: Value,
    /// v1 TaskInfo (with `agent_id`, resources carrying allocation_info).
    pub task: TaskInfo,
    /// For LAUNCH_GROUP: the group's ExecutorInfo (v1), else absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executor: Option<ExecutorInfo>,
}

impl ToAgent for RunTask {
    const PATH: &'static str = paths::RUN_TASK;
}

/// Master -> agent: kill a task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KillTask {
    #[serde(deserialize_with = "de::string")]
    pub framework_id: String,
    #[serde(deserialize_with = "de::string")]
    pub task_id: String,
    /// v1 KillPolicy (`{"grace_period":{"nanoseconds":N}}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kill_policy: Option<KillPolicy>,
}

impl ToAgent for KillTask {
    const PATH: &'static str = paths::KILL_TASK;
}

/// Master -> agent: a status update was acknowledged by the framework.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Acknowledge {
    #[serde(deserialize_with = "de::string")]
    pub framework_id: String,
    #[serde(deserialize_with = "de::string")]
    pub task_id: String,
    /// base64 uuid, as in the TaskStatus.
    #[serde(deserialize_with = "de::string")]
    pub uuid: String,
}

impl ToAgent for Acknowledge {
    const PATH: &'static str = paths::ACK;
}

/// Master -> agent: the framework is gone.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ShutdownFramework {
    #[serde(deserialize_with = "de::string")]
    pub framework_id: String,
}

impl ToAgent for ShutdownFramework {
    const PATH: &'static str = paths::SHUTDOWN_FRAMEWORK;
}

/// `/slave(1)/internal/run_task_group`: LAUNCH_GROUP of a task group with
/// its executor (`ExecutorInfo.type` DEFAULT: the agent runs its default
/// executor). Every task carries no `executor` of its own.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunTaskGroup {
    /// The FrameworkInfo, verbatim.
    pub framework: Value,
    pub executor: ExecutorInfo,
    #[serde(deserialize_with = "de::vec")]
    pub tasks: Vec<TaskInfo>,
}

impl ToAgent for RunTaskGroup {
    const PATH: &'static str = paths::RUN_TASK_GROUP;
}

/// `/slave(1)/internal/framework_message`: the scheduler's `MESSAGE` call,
/// delivered to the executor as a `MESSAGE` event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrameworkMessage {
    #[serde(deserialize_with = "de::string")]
    pub framework_id: String,
    #[serde(deserialize_with = "de::string")]
    pub executor_id: String,
    /// Base64, as in the v1 JSON.
    #[serde(default, deserialize_with = "de::string")]
    pub data: String,
}

impl ToAgent for FrameworkMessage {
    const PATH: &'static str = paths::FRAMEWORK_MESSAGE;
}

/// `/slave(1)/internal/shutdown_executor`: the scheduler's `SHUTDOWN` call.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ShutdownExecutor {
    #[serde(deserialize_with = "de::string")]
    pub framework_id: String,
    #[serde(deserialize_with = "de::string")]
    pub executor_id: String,
}

impl ToAgent for ShutdownExecutor {
    const PATH: &'static str = paths::SHUTDOWN_EXECUTOR;
}

/// `/master/internal/executor_message` (agent -> master): an executor's
/// `MESSAGE` call, delivered to the scheduler as a `MESSAGE` event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExecutorMessage {
    #[serde(deserialize_with = "de::string")]
    pub agent_id: String,
    #[serde(deserialize_with = "de::string")]
    pub framework_id: String,
    #[serde(deserialize_with = "de::string")]
    pub executor_id: String,
    /// Base64, as in the v1 JSON.
    #[serde(default, deserialize_with = "de::string")]
    pub data: String,
}

/// `/master/internal/exited_executor` (agent -> master): a custom or
/// default executor terminated with a wait status; the master tells the
/// scheduler (`FAILURE` with `executor_id` and `status`) and frees the
/// executor's resources.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExitedExecutor {
    #[serde(deserialize_with = "de::string")]
    pub agent_id: String,
    #[serde(deserialize_with = "de::string")]
    pub framework_id: String,
    #[serde(deserialize_with = "de::string")]
    pub executor_id: String,
    /// The raw wait status (as `FAILURE.status`).
    #[serde(default)]
    pub status: i32,
}

#[cfg(test)]
#[path = "internal_tests.rs"]
mod tests;
