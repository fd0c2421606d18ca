//! The internal master <-> agent protocol of the bundled daemons: plain
//! HTTP/JSON, documented in docs/internal-protocol.md. Public Mesos APIs
//! (v0, v1 operator, scheduler, executor) are NOT here: they follow
//! docs/mesos-wire.md. Task, framework and status payloads are carried in
//! their v1 JSON form (`serde_json::Value`) so nothing is lost in transit.

use serde::{Deserialize, Serialize};
use serde_json::Value;

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
}

/// Agent -> master: register (no `agent_id`) or re-register (with the id the
/// agent was given before, plus what it is running).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RegisterRequest {
    /// Set when re-registering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    pub hostname: String,
    /// Address the master uses to reach the agent.
    pub ip: String,
    pub port: u16,
    /// Total resources, v1 JSON array.
    pub resources: Value,
    /// v1 JSON array of Attribute.
    #[serde(default)]
    pub attributes: Value,
    pub version: String,
    /// Agent capabilities (strings, e.g. `MULTI_ROLE`).
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// Non-terminal tasks the agent runs (re-registration), v1 Task JSON.
    #[serde(default)]
    pub tasks: Vec<Value>,
    /// FrameworkInfo (v1 JSON) of frameworks with tasks on the agent.
    #[serde(default)]
    pub frameworks: Vec<Value>,
}

/// Master -> agent answer to a registration.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RegisterResponse {
    pub agent_id: String,
    pub master_id: String,
    /// How often to ping.
    pub ping_interval_secs: f64,
    /// MasterInfo JSON of the master that accepted the registration.
    pub master_info: Value,
}

/// Agent -> master liveness ping. 200 = known; 404 = unknown agent (the agent
/// must re-register); 307/503 = not the leader.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Ping {
    pub agent_id: String,
}

/// Agent -> master: one status update (v1 TaskStatus with `uuid`), retried
/// with backoff until the master answers 202.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StatusUpdate {
    pub agent_id: String,
    pub framework_id: String,
    /// v1 TaskStatus JSON (task_id, state, source, reason, message, uuid, timestamp, ...).
    pub status: Value,
}

/// Master -> agent: launch a task.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunTask {
    /// v1 FrameworkInfo (with `id`).
    pub framework: Value,
    /// v1 TaskInfo (with `agent_id`, resources carrying allocation_info).
    pub task: Value,
    /// For LAUNCH_GROUP: the group's ExecutorInfo (v1), else absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executor: Option<Value>,
}

/// Master -> agent: kill a task.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KillTask {
    pub framework_id: String,
    pub task_id: String,
    /// v1 KillPolicy (`{"grace_period":{"nanoseconds":N}}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kill_policy: Option<Value>,
}

/// Master -> agent: a status update was acknowledged by the framework.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Acknowledge {
    pub framework_id: String,
    pub task_id: String,
    /// base64 uuid, as in the TaskStatus.
    pub uuid: String,
}

/// Master -> agent: the framework is gone.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShutdownFramework {
    pub framework_id: String,
}
