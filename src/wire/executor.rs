//! The v1 executor API (`POST /slave(1)/api/v1/executor`): the `Call`s an
//! executor sends and the `Event`s the agent streams back (RecordIO), in
//! the exact v1 JSON form (protobuf through `super::proto`, messages
//! `mesos.v1.executor.Call` / `mesos.v1.executor.Event`). Used by the
//! agent (server) and by our own executors (the default executor) as a
//! client.
//!
//! CONTRACT (lead): lanes may add fields and helpers; do not rename.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::agent_v1::{ContainerId, ExecutorInfo, Id, KillPolicy, TaskInfo, V1TaskStatus};
use super::de;

/// Message name of [`Call`] for `super::proto`.
pub const CALL: &str = "mesos.v1.executor.Call";
/// Message name of [`Event`] for `super::proto`.
pub const EVENT: &str = "mesos.v1.executor.Event";

/// `executor::Call`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Call {
    #[serde(default)]
    pub executor_id: Id,
    #[serde(default)]
    pub framework_id: Id,
    /// `SUBSCRIBE`, `UPDATE`, `MESSAGE`, `HEARTBEAT`.
    #[serde(rename = "type", default, deserialize_with = "de::string")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribe: Option<Subscribe>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<Update>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
}

/// `Call.Subscribe`: what a re-subscribing executor has not seen
/// acknowledged.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Subscribe {
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub unacknowledged_tasks: Vec<TaskInfo>,
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub unacknowledged_updates: Vec<Update>,
}

/// `Call.Update` (also `Event`-side nothing: updates only go up).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Update {
    pub status: V1TaskStatus,
}

/// `Call.Message` / `Event.Message`: base64 `data`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Message {
    #[serde(default, deserialize_with = "de::string")]
    pub data: String,
}

/// `executor::Event`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// `SUBSCRIBED`, `LAUNCH`, `LAUNCH_GROUP`, `KILL`, `ACKNOWLEDGED`,
    /// `MESSAGE`, `SHUTDOWN`, `ERROR`, `HEARTBEAT`.
    #[serde(rename = "type", default, deserialize_with = "de::string")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribed: Option<Subscribed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch: Option<Launch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_group: Option<LaunchGroup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kill: Option<Kill>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged: Option<Acknowledged>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorMessage>,
}

impl Event {
    /// An event of `kind` with no payload (`SHUTDOWN`, `HEARTBEAT`).
    pub fn bare(kind: &str) -> Event {
        Event {
            kind: kind.into(),
            ..Event::default()
        }
    }
}

/// `Event.Subscribed`. `framework_info` travels as the framework sent it;
/// `agent_info` is the agent's v1 AgentInfo.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Subscribed {
    pub executor_info: ExecutorInfo,
    pub framework_info: Value,
    pub agent_info: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_id: Option<ContainerId>,
}

/// `Event.Launch`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Launch {
    pub task: TaskInfo,
}

/// `Event.LaunchGroup`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LaunchGroup {
    pub task_group: TaskGroupInfo,
}

/// `TaskGroupInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskGroupInfo {
    #[serde(default, deserialize_with = "de::vec")]
    pub tasks: Vec<TaskInfo>,
}

/// `Event.Kill`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Kill {
    pub task_id: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kill_policy: Option<KillPolicy>,
}

/// `Event.Acknowledged`: base64 `uuid`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Acknowledged {
    pub task_id: Id,
    #[serde(default, deserialize_with = "de::string")]
    pub uuid: String,
}

/// `Event.Error`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorMessage {
    #[serde(default, deserialize_with = "de::string")]
    pub message: String,
}
