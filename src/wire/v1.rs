//! v1 operator API: the `Response` envelope of `POST /api/v1` and the
//! `SUBSCRIBE` event stream (docs/wire-notes.md#operator-api).
//!
//! Protobuf-style JSON: ids are `{"value":..}` (flattened to strings here),
//! times are `TimeInfo` `{"nanoseconds":N}` (kept as [`TimeInfo`]), empty
//! repeated fields are omitted (so `get_tasks` can be `{}`), enum values are
//! names. Tasks and task statuses reuse the v0 [`Task`]/[`TaskStatus`]
//! models, which accept both shapes.

use super::de;
use super::files::FileInfo;
use super::master_info::MasterInfo;
use super::metrics::{Metrics, Version};
use super::resources::{Labels, Resource, ResourceSummary};
use super::task::{Task, TaskState, TaskStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// `TimeInfo` / `DurationInfo`: `{"nanoseconds": N}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeInfo {
    #[serde(default)]
    pub nanoseconds: i64,
}

impl TimeInfo {
    /// Seconds as a double (epoch seconds for times).
    pub fn secs(&self) -> f64 {
        self.nanoseconds as f64 / 1e9
    }
}

/// The synchronous response envelope `{"type": "<CALL>", "<call_lc>": {..}}`.
/// Payloads not modelled here are still reachable through `other`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// `GET_MASTER`, `GET_STATE`, ...
    #[serde(rename = "type", default, deserialize_with = "de::string")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_health: Option<GetHealth>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_flags: Option<GetFlags>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_version: Option<GetVersion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_metrics: Option<GetMetrics>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_master: Option<GetMaster>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_state: Option<GetState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_tasks: Option<GetTasks>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_agents: Option<GetAgents>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_frameworks: Option<GetFrameworks>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_executors: Option<GetExecutors>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_files: Option<ListFiles>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_file: Option<ReadFile>,
    /// Any other payload (`get_roles`, `get_operations`, `wait_container`, ...).
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetHealth {
    #[serde(default, deserialize_with = "de::bool")]
    pub healthy: bool,
}

/// `get_flags`: `{"flags":[{"name","value"}]}` -> map.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetFlags {
    #[serde(default, deserialize_with = "de::string_map")]
    pub flags: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetVersion {
    #[serde(default)]
    pub version_info: Version,
}

/// `get_metrics`: `{"metrics":[{"name","value"}]}` -> map.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetMetrics {
    #[serde(default)]
    pub metrics: Metrics,
}

/// `get_master`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetMaster {
    #[serde(default)]
    pub master_info: MasterInfo,
    #[serde(
        default,
        deserialize_with = "de::opt_seconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time: Option<f64>,
    #[serde(
        default,
        deserialize_with = "de::opt_seconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub elected_time: Option<f64>,
}

/// `get_state` (also `subscribed.get_state`). The agent's GET_STATE has no
/// `get_agents`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetState {
    #[serde(default)]
    pub get_tasks: GetTasks,
    #[serde(default)]
    pub get_executors: GetExecutors,
    #[serde(default)]
    pub get_frameworks: GetFrameworks,
    #[serde(default)]
    pub get_agents: GetAgents,
}

/// `get_tasks` (master and agent variants; absent lists are empty).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetTasks {
    #[serde(default, deserialize_with = "de::vec")]
    pub pending_tasks: Vec<Task>,
    #[serde(default, deserialize_with = "de::vec")]
    pub tasks: Vec<Task>,
    #[serde(default, deserialize_with = "de::vec")]
    pub unreachable_tasks: Vec<Task>,
    #[serde(default, deserialize_with = "de::vec")]
    pub completed_tasks: Vec<Task>,
    #[serde(default, deserialize_with = "de::vec")]
    pub orphan_tasks: Vec<Task>,
    /// Agent only.
    #[serde(default, deserialize_with = "de::vec")]
    pub queued_tasks: Vec<Task>,
    /// Agent only.
    #[serde(default, deserialize_with = "de::vec")]
    pub launched_tasks: Vec<Task>,
    /// Agent only.
    #[serde(default, deserialize_with = "de::vec")]
    pub terminated_tasks: Vec<Task>,
}

impl GetTasks {
    /// Every task in every list.
    pub fn all_tasks(&self) -> impl Iterator<Item = &Task> + '_ {
        self.pending_tasks
            .iter()
            .chain(&self.tasks)
            .chain(&self.unreachable_tasks)
            .chain(&self.completed_tasks)
            .chain(&self.orphan_tasks)
            .chain(&self.queued_tasks)
            .chain(&self.launched_tasks)
            .chain(&self.terminated_tasks)
    }
}

/// `get_agents`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetAgents {
    #[serde(default, deserialize_with = "de::vec")]
    pub agents: Vec<V1Agent>,
    #[serde(default, deserialize_with = "de::vec")]
    pub recovered_agents: Vec<AgentInfo>,
}

/// `get_frameworks`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetFrameworks {
    #[serde(default, deserialize_with = "de::vec")]
    pub frameworks: Vec<V1Framework>,
    #[serde(default, deserialize_with = "de::vec")]
    pub completed_frameworks: Vec<V1Framework>,
}

/// `get_executors`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetExecutors {
    #[serde(default, deserialize_with = "de::vec")]
    pub executors: Vec<V1Executor>,
    #[serde(default, deserialize_with = "de::vec")]
    pub completed_executors: Vec<V1Executor>,
}

/// `get_executors.executors[]`: `{"executor_info":{..},"agent_id":{..}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct V1Executor {
    /// ExecutorInfo as generic protobuf JSON.
    #[serde(default)]
    pub executor_info: Value,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub agent_id: Option<String>,
}

/// `list_files`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListFiles {
    #[serde(default, deserialize_with = "de::vec")]
    pub file_infos: Vec<FileInfo>,
}

/// `read_file`: `size` is the current file size, `data` base64.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReadFile {
    #[serde(default, deserialize_with = "de::u64")]
    pub size: u64,
    #[serde(default, deserialize_with = "de::string")]
    pub data: String,
}

/// `AgentInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentInfo {
    #[serde(default, deserialize_with = "de::string")]
    pub id: String,
    #[serde(default, deserialize_with = "de::string")]
    pub hostname: String,
    #[serde(
        default,
        deserialize_with = "de::opt_u16",
        skip_serializing_if = "Option::is_none"
    )]
    pub port: Option<u16>,
    #[serde(default, deserialize_with = "de::vec")]
    pub resources: Vec<Resource>,
    /// `[{"name","type","scalar"|"ranges"|"set"|"text"}]`.
    #[serde(default, deserialize_with = "de::vec")]
    pub attributes: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Value>,
}

/// `get_agents.agents[]` / `agent_added.agent`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct V1Agent {
    #[serde(default)]
    pub agent_info: AgentInfo,
    #[serde(default, deserialize_with = "de::bool")]
    pub active: bool,
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub deactivated: Option<bool>,
    #[serde(default, deserialize_with = "de::string")]
    pub version: String,
    /// `slave(1)@ip:port`.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub pid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_time: Option<TimeInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reregistered_time: Option<TimeInfo>,
    #[serde(default, deserialize_with = "de::vec")]
    pub total_resources: Vec<Resource>,
    #[serde(default, deserialize_with = "de::vec")]
    pub allocated_resources: Vec<Resource>,
    #[serde(default, deserialize_with = "de::vec")]
    pub offered_resources: Vec<Resource>,
    #[serde(default, deserialize_with = "de::names")]
    pub capabilities: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drain_info: Option<Value>,
}

impl V1Agent {
    /// `total_resources` summed into the v0 summary form.
    pub fn total_summary(&self) -> ResourceSummary {
        ResourceSummary::from_resources(&self.total_resources)
    }
}

/// `FrameworkInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrameworkInfo {
    #[serde(default, deserialize_with = "de::string")]
    pub id: String,
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    #[serde(default, deserialize_with = "de::string")]
    pub user: String,
    #[serde(default, deserialize_with = "de::f64")]
    pub failover_timeout: f64,
    #[serde(default, deserialize_with = "de::bool")]
    pub checkpoint: bool,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub roles: Vec<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub hostname: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub principal: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub webui_url: Option<String>,
    #[serde(default, deserialize_with = "de::names")]
    pub capabilities: Vec<String>,
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub labels: Labels,
}

impl FrameworkInfo {
    /// `roles` (MULTI_ROLE) or `[role]`.
    pub fn roles(&self) -> Vec<&str> {
        if !self.roles.is_empty() {
            self.roles.iter().map(String::as_str).collect()
        } else {
            self.role.as_deref().into_iter().collect()
        }
    }
}

/// `get_frameworks.frameworks[]` / `framework_added|updated.framework`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct V1Framework {
    #[serde(default)]
    pub framework_info: FrameworkInfo,
    #[serde(default, deserialize_with = "de::bool")]
    pub active: bool,
    #[serde(default, deserialize_with = "de::bool")]
    pub connected: bool,
    #[serde(default, deserialize_with = "de::bool")]
    pub recovered: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_time: Option<TimeInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reregistered_time: Option<TimeInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unregistered_time: Option<TimeInfo>,
    #[serde(default, deserialize_with = "de::vec")]
    pub offers: Vec<Value>,
    #[serde(default, deserialize_with = "de::vec")]
    pub inverse_offers: Vec<Value>,
    #[serde(default, deserialize_with = "de::vec")]
    pub allocated_resources: Vec<Resource>,
    #[serde(default, deserialize_with = "de::vec")]
    pub offered_resources: Vec<Resource>,
}

/// One `SUBSCRIBE` stream event. `kind` is `SUBSCRIBED`, `TASK_ADDED`,
/// `TASK_UPDATED`, `FRAMEWORK_ADDED`, `FRAMEWORK_UPDATED`,
/// `FRAMEWORK_REMOVED`, `AGENT_ADDED`, `AGENT_REMOVED`, `HEARTBEAT` (or a
/// newer one, payload then in `other`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Event {
    #[serde(rename = "type", default, deserialize_with = "de::string")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribed: Option<Subscribed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_added: Option<TaskAdded>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_updated: Option<TaskUpdated>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework_added: Option<FrameworkEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework_updated: Option<FrameworkEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework_removed: Option<FrameworkRemoved>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_added: Option<AgentAdded>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_removed: Option<AgentRemoved>,
    /// Payloads of event types not modelled here.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// `subscribed`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Subscribed {
    #[serde(default)]
    pub get_state: GetState,
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub heartbeat_interval_seconds: Option<f64>,
}

/// `task_added`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskAdded {
    #[serde(default)]
    pub task: Task,
}

/// `task_updated`: the new `status` and the task's latest `state`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskUpdated {
    #[serde(default, deserialize_with = "de::string")]
    pub framework_id: String,
    #[serde(default)]
    pub status: TaskStatus,
    #[serde(default)]
    pub state: TaskState,
}

/// `framework_added` / `framework_updated`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrameworkEvent {
    #[serde(default)]
    pub framework: V1Framework,
}

/// `framework_removed`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrameworkRemoved {
    #[serde(default)]
    pub framework_info: FrameworkInfo,
}

/// `agent_added`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentAdded {
    #[serde(default)]
    pub agent: V1Agent,
}

/// `agent_removed`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentRemoved {
    #[serde(default, deserialize_with = "de::string")]
    pub agent_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_master_reference_example() {
        let r: Response = serde_json::from_str(
            r#"{"type":"GET_MASTER","get_master":{"master_info":{"id":"7f1e","ip":184549386,"port":5050,
              "pid":"master@10.0.0.11:5050","hostname":"m1.example.net","version":"1.11.0",
              "address":{"hostname":"m1.example.net","ip":"10.0.0.11","port":5050},
              "capabilities":[{"type":"AGENT_UPDATE"}]},
              "start_time":1700000000.123,"elected_time":1700000001.456}}"#,
        )
        .unwrap();
        assert_eq!(r.kind, "GET_MASTER");
        let m = r.get_master.unwrap();
        assert_eq!(m.master_info.ip_string().as_deref(), Some("10.0.0.11"));
        assert_eq!(m.elected_time, Some(1700000001.456));
        assert!(r.other.is_empty());
    }

    #[test]
    fn get_tasks_and_unknown_payload() {
        let r: Response = serde_json::from_str(
            r#"{"type":"GET_TASKS","get_tasks":{"tasks":[{"name":"hello","task_id":{"value":"hello"},
              "framework_id":{"value":"F"},"agent_id":{"value":"S0"},"state":"TASK_RUNNING",
              "resources":[{"name":"mem","type":"SCALAR","scalar":{"value":128.0},"role":"*"}]}]}}"#,
        )
        .unwrap();
        let t = &r.get_tasks.unwrap().tasks[0];
        assert_eq!((t.id.as_str(), t.slave_id.as_str()), ("hello", "S0"));
        assert_eq!(t.resources.mem, 128.0);

        let r: Response =
            serde_json::from_str(r#"{"type":"GET_ROLES","get_roles":{"roles":[{"name":"*"}]}}"#)
                .unwrap();
        assert_eq!(r.other["get_roles"]["roles"][0]["name"], "*");
    }

    #[test]
    fn flags_metrics_health() {
        let r: Response = serde_json::from_str(
            r#"{"type":"GET_FLAGS","get_flags":{"flags":[{"name":"port","value":"5050"}]}}"#,
        )
        .unwrap();
        assert_eq!(r.get_flags.unwrap().flags["port"], "5050");
        let r: Response = serde_json::from_str(
            r#"{"type":"GET_METRICS","get_metrics":{"metrics":[{"name":"master/elected","value":1.0}]}}"#,
        )
        .unwrap();
        assert!(r.get_metrics.unwrap().metrics.is_elected());
        let r: Response =
            serde_json::from_str(r#"{"type":"GET_HEALTH","get_health":{"healthy":true}}"#).unwrap();
        assert!(r.get_health.unwrap().healthy);
    }

    #[test]
    fn events() {
        let e: Event = serde_json::from_str(r#"{"type":"HEARTBEAT"}"#).unwrap();
        assert_eq!(e.kind, "HEARTBEAT");
        let e: Event = serde_json::from_str(
            r#"{"type":"AGENT_REMOVED","agent_removed":{"agent_id":{"value":"S1"}}}"#,
        )
        .unwrap();
        assert_eq!(e.agent_removed.unwrap().agent_id, "S1");
        let e: Event = serde_json::from_str(
            r#"{"type":"TASK_UPDATED","task_updated":{"framework_id":{"value":"F"},
               "status":{"task_id":{"value":"t"},"state":"TASK_FINISHED","timestamp":1.5},"state":"TASK_FINISHED"}}"#,
        )
        .unwrap();
        let u = e.task_updated.unwrap();
        assert_eq!(u.framework_id, "F");
        assert!(u.state.is_terminal());
        assert_eq!(u.status.task_id.as_deref(), Some("t"));
    }

    #[test]
    fn time_info() {
        let t: TimeInfo = serde_json::from_str(r#"{"nanoseconds":1520884809204943872}"#).unwrap();
        assert!((t.secs() - 1520884809.205).abs() < 1e-3);
    }
}
