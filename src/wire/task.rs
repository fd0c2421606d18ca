//! Tasks, task statuses and the task state machine.
//!
//! One [`Task`] type parses both the v0 shape (`/master/state`,
//! `/master/tasks`, agent state: string ids, resource summary, labels array)
//! and the v1 shape (`GET_TASKS`, `TASK_ADDED`: `task_id`/`agent_id` as
//! `{"value":..}`, a `Resource` list, `{"labels":[..]}`).

use super::de;
use super::resources::{Labels, ResourceSummary};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// A Mesos `TaskState` (docs/wire-notes.md#task-states).
///
/// Note the naming: the real state `TASK_UNKNOWN` is [`TaskState::TaskUnknown`];
/// [`TaskState::Unknown`] is the fallback for a name this client does not know
/// (it keeps the original string).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TaskState {
    Staging,
    Starting,
    Running,
    Killing,
    Finished,
    Failed,
    Killed,
    Error,
    Lost,
    Dropped,
    Unreachable,
    Gone,
    GoneByOperator,
    /// `TASK_UNKNOWN` (reconciliation of a forgotten task).
    TaskUnknown,
    /// Any name not listed above, verbatim.
    Unknown(String),
}

impl Default for TaskState {
    fn default() -> Self {
        TaskState::Unknown(String::new())
    }
}

impl TaskState {
    /// Every known state, in state-machine order.
    pub const ALL: [TaskState; 14] = [
        TaskState::Staging,
        TaskState::Starting,
        TaskState::Running,
        TaskState::Killing,
        TaskState::Finished,
        TaskState::Failed,
        TaskState::Killed,
        TaskState::Error,
        TaskState::Lost,
        TaskState::Dropped,
        TaskState::Unreachable,
        TaskState::Gone,
        TaskState::GoneByOperator,
        TaskState::TaskUnknown,
    ];

    /// The wire name (`TASK_RUNNING`); the original string for `Unknown`.
    pub fn as_str(&self) -> &str {
        match self {
            TaskState::Staging => "TASK_STAGING",
            TaskState::Starting => "TASK_STARTING",
            TaskState::Running => "TASK_RUNNING",
            TaskState::Killing => "TASK_KILLING",
            TaskState::Finished => "TASK_FINISHED",
            TaskState::Failed => "TASK_FAILED",
            TaskState::Killed => "TASK_KILLED",
            TaskState::Error => "TASK_ERROR",
            TaskState::Lost => "TASK_LOST",
            TaskState::Dropped => "TASK_DROPPED",
            TaskState::Unreachable => "TASK_UNREACHABLE",
            TaskState::Gone => "TASK_GONE",
            TaskState::GoneByOperator => "TASK_GONE_BY_OPERATOR",
            TaskState::TaskUnknown => "TASK_UNKNOWN",
            TaskState::Unknown(s) => s,
        }
    }

    /// The name without the `TASK_` prefix (`RUNNING`), for compact tables.
    pub fn short(&self) -> &str {
        let s = self.as_str();
        s.strip_prefix("TASK_").unwrap_or(s)
    }

    /// Parse a state name. Accepts the wire name and, for CLI filters, the
    /// name without `TASK_` in any case (`running`). Never fails: unknown
    /// names become [`TaskState::Unknown`].
    pub fn parse(s: &str) -> TaskState {
        let up = s.trim().to_ascii_uppercase();
        let bare = up.strip_prefix("TASK_").unwrap_or(&up);
        match bare {
            "STAGING" => TaskState::Staging,
            "STARTING" => TaskState::Starting,
            "RUNNING" => TaskState::Running,
            "KILLING" => TaskState::Killing,
            "FINISHED" => TaskState::Finished,
            "FAILED" => TaskState::Failed,
            "KILLED" => TaskState::Killed,
            "ERROR" => TaskState::Error,
            "LOST" => TaskState::Lost,
            "DROPPED" => TaskState::Dropped,
            "UNREACHABLE" => TaskState::Unreachable,
            "GONE" => TaskState::Gone,
            "GONE_BY_OPERATOR" => TaskState::GoneByOperator,
            "UNKNOWN" => TaskState::TaskUnknown,
            _ => TaskState::Unknown(s.to_string()),
        }
    }

    /// The state for an exact wire name (`TASK_RUNNING`), without the
    /// case folding of [`TaskState::parse`]; anything else is `Unknown`.
    pub fn from_wire(s: &str) -> TaskState {
        match s {
            "TASK_STAGING" => TaskState::Staging,
            "TASK_STARTING" => TaskState::Starting,
            "TASK_RUNNING" => TaskState::Running,
            "TASK_KILLING" => TaskState::Killing,
            "TASK_FINISHED" => TaskState::Finished,
            "TASK_FAILED" => TaskState::Failed,
            "TASK_KILLED" => TaskState::Killed,
            "TASK_ERROR" => TaskState::Error,
            "TASK_LOST" => TaskState::Lost,
            "TASK_DROPPED" => TaskState::Dropped,
            "TASK_UNREACHABLE" => TaskState::Unreachable,
            "TASK_GONE" => TaskState::Gone,
            "TASK_GONE_BY_OPERATOR" => TaskState::GoneByOperator,
            "TASK_UNKNOWN" => TaskState::TaskUnknown,
            other => TaskState::Unknown(other.to_string()),
        }
    }

    /// Whether the wire name `s` is a terminal state (see
    /// [`TaskState::is_terminal`]); unknown names are not terminal.
    pub fn is_terminal_name(s: &str) -> bool {
        // The names of the states `is_terminal` lists (no `TaskState` built:
        // the master asks this of every task when it sums allocations).
        matches!(
            s,
            "TASK_FINISHED"
                | "TASK_FAILED"
                | "TASK_KILLED"
                | "TASK_ERROR"
                | "TASK_LOST"
                | "TASK_DROPPED"
                | "TASK_GONE"
                | "TASK_GONE_BY_OPERATOR"
        )
    }

    /// Terminal states (resources released): FINISHED, FAILED, KILLED,
    /// ERROR, LOST, DROPPED, GONE, GONE_BY_OPERATOR.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            TaskState::Finished
                | TaskState::Failed
                | TaskState::Killed
                | TaskState::Error
                | TaskState::Lost
                | TaskState::Dropped
                | TaskState::Gone
                | TaskState::GoneByOperator
        )
    }

    /// Terminal and not a success (everything terminal but FINISHED).
    pub fn is_failure(&self) -> bool {
        self.is_terminal() && *self != TaskState::Finished
    }

    /// The protobuf enum number, for known states.
    pub fn number(&self) -> Option<i32> {
        Some(match self {
            TaskState::Staging => 6,
            TaskState::Starting => 0,
            TaskState::Running => 1,
            TaskState::Killing => 8,
            TaskState::Finished => 2,
            TaskState::Failed => 3,
            TaskState::Killed => 4,
            TaskState::Error => 7,
            TaskState::Lost => 5,
            TaskState::Dropped => 9,
            TaskState::Unreachable => 10,
            TaskState::Gone => 11,
            TaskState::GoneByOperator => 12,
            TaskState::TaskUnknown => 13,
            TaskState::Unknown(_) => return None,
        })
    }
}

impl fmt::Display for TaskState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TaskState {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(TaskState::parse(s))
    }
}

impl Serialize for TaskState {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TaskState {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Only exact wire names map to known states here; a state number
        // (protobuf-ish senders) is accepted too.
        let v = Value::deserialize(d)?;
        Ok(match &v {
            Value::Null => TaskState::default(),
            Value::String(s) if s.starts_with("TASK_") => TaskState::parse(s),
            Value::String(s) => TaskState::Unknown(s.clone()),
            Value::Number(n) => n
                .as_i64()
                .and_then(|n| {
                    TaskState::ALL
                        .into_iter()
                        .find(|s| s.number() == Some(n as i32))
                })
                .unwrap_or_else(|| TaskState::Unknown(n.to_string())),
            other => TaskState::Unknown(other.to_string()),
        })
    }
}

/// A task status: the "lite" v0 one inside `statuses[]` (`state`,
/// `timestamp`, `labels`?, `container_status`?, `healthy`?) and the full v1
/// one (adds `task_id`, `message`, `reason`, `source`, `uuid`, ...).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskStatus {
    #[serde(default)]
    pub state: TaskState,
    /// Epoch seconds (double).
    #[serde(default, deserialize_with = "de::f64")]
    pub timestamp: f64,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub task_id: Option<String>,
    #[serde(
        default,
        alias = "slave_id",
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub agent_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub executor_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub message: Option<String>,
    /// `REASON_*`.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub reason: Option<String>,
    /// `SOURCE_MASTER` / `SOURCE_AGENT` / `SOURCE_EXECUTOR`.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<String>,
    /// Base64 of 16 bytes; present means "ack me".
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub uuid: Option<String>,
    /// Base64.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub data: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub healthy: Option<bool>,
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub labels: Labels,
    /// ContainerStatus as generic protobuf JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_status: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_status: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreachable_time: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limitation: Option<Value>,
}

impl TaskStatus {
    /// IP addresses from `container_status.network_infos[]`: the
    /// `ip_addresses[].ip_address` entries, plus the pre-1.0 single
    /// `ip_address` (0.27 writes both).
    pub fn ip_addresses(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let infos = self
            .container_status
            .as_ref()
            .and_then(|c| c.get("network_infos"))
            .and_then(Value::as_array);
        for info in infos.into_iter().flatten() {
            let many = info.get("ip_addresses").and_then(Value::as_array);
            for a in many.into_iter().flatten() {
                if let Some(ip) = a.get("ip_address").and_then(Value::as_str) {
                    if !out.iter().any(|x| x == ip) {
                        out.push(ip.to_string());
                    }
                }
            }
            if let Some(ip) = info.get("ip_address").and_then(Value::as_str) {
                if !out.iter().any(|x| x == ip) {
                    out.push(ip.to_string());
                }
            }
        }
        out
    }

    /// `container_status.container_id.value`.
    pub fn container_id(&self) -> Option<&str> {
        self.container_status
            .as_ref()?
            .get("container_id")?
            .get("value")?
            .as_str()
    }
}

/// A task (`frameworks[].tasks[]`, `/master/tasks`, agent executors'
/// `tasks[]`/`queued_tasks[]`/`completed_tasks[]`, and v1 `GET_TASKS`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Task id (v1: `task_id.value`).
    #[serde(default, alias = "task_id", deserialize_with = "de::string")]
    pub id: String,
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    #[serde(default, deserialize_with = "de::string")]
    pub framework_id: String,
    /// `""` for command tasks (see [`Task::executor_or_task_id`]).
    #[serde(default, deserialize_with = "de::string")]
    pub executor_id: String,
    /// Agent id (v1: `agent_id.value`).
    #[serde(default, alias = "agent_id", deserialize_with = "de::string")]
    pub slave_id: String,
    /// Latest state. Absent in a queued task on the agent.
    #[serde(default)]
    pub state: TaskState,
    #[serde(default)]
    pub resources: ResourceSummary,
    /// `{"cpus": 2.0, "mem": "Infinity"}` (1.9+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<BTreeMap<String, Value>>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<String>,
    /// Oldest first; `[]` for a staging task.
    #[serde(default, deserialize_with = "de::vec")]
    pub statuses: Vec<TaskStatus>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub labels: Labels,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kill_policy: Option<Value>,
    /// Queued tasks on the agent carry their CommandInfo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Value>,
    /// v1 only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_update_state: Option<TaskState>,
    /// v1 only.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status_update_uuid: Option<String>,
}

impl Task {
    /// The newest status timestamp (max over `statuses`), `None` if the task
    /// has no statuses yet (staging).
    pub fn latest_timestamp(&self) -> Option<f64> {
        self.statuses
            .iter()
            .map(|s| s.timestamp)
            .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.max(t))))
    }

    /// The oldest status timestamp (what `/master/tasks?order=` sorts by).
    pub fn first_timestamp(&self) -> Option<f64> {
        self.statuses.first().map(|s| s.timestamp)
    }

    /// The status with the newest timestamp.
    pub fn latest_status(&self) -> Option<&TaskStatus> {
        self.statuses
            .iter()
            .max_by(|a, b| a.timestamp.total_cmp(&b.timestamp))
    }

    /// The executor id on the agent: `executor_id`, or the task id for
    /// command tasks (whose `executor_id` is `""`).
    pub fn executor_or_task_id(&self) -> &str {
        if self.executor_id.is_empty() {
            &self.id
        } else {
            &self.executor_id
        }
    }

    /// Statuses sorted newest first (ties: later in the list first).
    pub fn statuses_newest_first(&self) -> Vec<&TaskStatus> {
        let mut v: Vec<&TaskStatus> = self.statuses.iter().rev().collect();
        v.sort_by(|a, b| b.timestamp.total_cmp(&a.timestamp));
        v
    }

    /// IP addresses from the newest status that reports any.
    pub fn ip_addresses(&self) -> Vec<String> {
        let by_time = self.statuses_newest_first();
        by_time
            .into_iter()
            .map(TaskStatus::ip_addresses)
            .find(|ips| !ips.is_empty())
            .unwrap_or_default()
    }

    /// The container id from the newest status that reports one.
    pub fn container_id(&self) -> Option<&str> {
        let by_time = self.statuses_newest_first();
        by_time.into_iter().find_map(TaskStatus::container_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_parse_and_terminal() {
        assert_eq!(TaskState::parse("TASK_RUNNING"), TaskState::Running);
        assert_eq!(TaskState::parse("running"), TaskState::Running);
        assert_eq!(TaskState::parse("TASK_UNKNOWN"), TaskState::TaskUnknown);
        assert_eq!(
            TaskState::parse("TASK_WEIRD"),
            TaskState::Unknown("TASK_WEIRD".into())
        );
        assert_eq!(
            "TASK_GONE_BY_OPERATOR".parse::<TaskState>().unwrap(),
            TaskState::GoneByOperator
        );
        for s in TaskState::ALL {
            assert_eq!(TaskState::parse(s.as_str()), s);
            let term = matches!(
                s.short(),
                "FINISHED"
                    | "FAILED"
                    | "KILLED"
                    | "ERROR"
                    | "LOST"
                    | "DROPPED"
                    | "GONE"
                    | "GONE_BY_OPERATOR"
            );
            assert_eq!(s.is_terminal(), term, "{s}");
            assert_eq!(TaskState::is_terminal_name(s.as_str()), term, "{s}");
            assert_eq!(TaskState::from_wire(s.as_str()), s);
        }
        assert!(!TaskState::Unknown("X".into()).is_terminal());
        assert!(TaskState::Failed.is_failure());
        assert!(!TaskState::Finished.is_failure());
    }

    #[test]
    fn state_serde_round_trip() {
        let s: TaskState = serde_json::from_str(r#""TASK_KILLING""#).unwrap();
        assert_eq!(s, TaskState::Killing);
        assert_eq!(serde_json::to_string(&s).unwrap(), r#""TASK_KILLING""#);
        let u: TaskState = serde_json::from_str(r#""TASK_NEW_IN_2_0""#).unwrap();
        assert_eq!(serde_json::to_string(&u).unwrap(), r#""TASK_NEW_IN_2_0""#);
        // Wire values must be exact; a bare "RUNNING" is not a wire name.
        let b: TaskState = serde_json::from_str(r#""RUNNING""#).unwrap();
        assert_eq!(b, TaskState::Unknown("RUNNING".into()));
        let n: TaskState = serde_json::from_str("1").unwrap();
        assert_eq!(n, TaskState::Running);
    }

    #[test]
    fn v0_command_task() {
        let t: Task = serde_json::from_str(
            r#"{"id":"hello","name":"hello","framework_id":"F-0000","executor_id":"",
                "slave_id":"M-S0","state":"TASK_RUNNING",
                "resources":{"cpus":1,"gpus":0,"mem":128,"disk":0},"role":"*",
                "statuses":[{"state":"TASK_STARTING","timestamp":1700000101.2,
                  "container_status":{"container_id":{"value":"c1"},
                  "network_infos":[{"ip_addresses":[{"protocol":"IPv4","ip_address":"10.0.0.21"}]}]}},
                 {"state":"TASK_RUNNING","timestamp":1700000101}]}"#,
        )
        .unwrap();
        assert_eq!(t.executor_or_task_id(), "hello");
        assert_eq!(t.latest_timestamp(), Some(1700000101.2));
        assert_eq!(t.latest_status().unwrap().state, TaskState::Starting);
        assert_eq!(t.first_timestamp(), Some(1700000101.2));
        assert_eq!(t.ip_addresses(), vec!["10.0.0.21"]);
        assert_eq!(t.container_id(), Some("c1"));
        assert_eq!(t.resources.mem, 128.0);
        assert!(t.labels.is_empty());
    }

    #[test]
    fn staging_task_without_statuses_or_optional_fields() {
        let t: Task = serde_json::from_str(
            r#"{"id":"t","framework_id":"f","executor_id":"e","slave_id":"s","state":"TASK_STAGING"}"#,
        )
        .unwrap();
        assert_eq!(t.latest_timestamp(), None);
        assert_eq!(t.executor_or_task_id(), "e");
        assert!(t.statuses.is_empty());
        assert_eq!(t.resources, ResourceSummary::default());
        assert!(t.ip_addresses().is_empty());
    }

    #[test]
    fn v1_task_shape() {
        let t: Task = serde_json::from_str(
            r#"{"name":"hello","task_id":{"value":"hello"},"framework_id":{"value":"F-0000"},
                "agent_id":{"value":"M-S0"},"state":"TASK_RUNNING",
                "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":1.0},"role":"*"}],
                "labels":{"labels":[{"key":"k","value":"v"}]},
                "statuses":[{"task_id":{"value":"hello"},"state":"TASK_RUNNING","source":"SOURCE_EXECUTOR",
                  "agent_id":{"value":"M-S0"},"executor_id":{"value":"hello"},"timestamp":1700000101.3,
                  "uuid":"q83vEjRWeJASNFZ4kBI0Vg==","message":"ok","reason":"REASON_X","healthy":true}],
                "status_update_state":"TASK_RUNNING"}"#,
        )
        .unwrap();
        assert_eq!(t.id, "hello");
        assert_eq!(t.slave_id, "M-S0");
        assert_eq!(t.framework_id, "F-0000");
        assert_eq!(t.executor_or_task_id(), "hello");
        assert_eq!(t.resources.cpus, 1.0);
        assert_eq!(t.labels.get("k"), Some("v"));
        let s = &t.statuses[0];
        assert_eq!(s.task_id.as_deref(), Some("hello"));
        assert_eq!(s.agent_id.as_deref(), Some("M-S0"));
        assert_eq!(s.source.as_deref(), Some("SOURCE_EXECUTOR"));
        assert_eq!(s.reason.as_deref(), Some("REASON_X"));
        assert_eq!(s.message.as_deref(), Some("ok"));
        assert_eq!(s.healthy, Some(true));
        assert_eq!(t.status_update_state, Some(TaskState::Running));
    }

    #[test]
    fn legacy_single_ip_address() {
        // agent-state-0.27: network_infos carry both ip_address and ip_addresses.
        let s: TaskStatus = serde_json::from_str(
            r#"{"state":"TASK_RUNNING","timestamp":1,"container_status":{"network_infos":[
                {"ip_address":"10.0.1.109","ip_addresses":[{"ip_address":"10.0.1.109"}]}]}}"#,
        )
        .unwrap();
        assert_eq!(s.ip_addresses(), vec!["10.0.1.109"]);
        assert_eq!(s.container_id(), None);
    }
}
