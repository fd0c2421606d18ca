//! v1 operator API bodies as the bundled master writes them
//! (docs/wire-notes.md#operator-api): the generic protobuf JSON mapping, so
//! ids are `{"value":..}`, times are `{"nanoseconds":..}`, resources are
//! [`Resource`] lists in "endpoint" format, and empty repeated fields are
//! omitted. The lenient read side of the same messages (what the CLI
//! parses, ids flattened to strings) is [`super::v1`].
//!
//! Sub-messages the master stores as the client sent them (FrameworkInfo,
//! ExecutorInfo, TaskStatus, ContainerInfo, ...) are carried as [`Pruned`]
//! JSON: written verbatim minus empty arrays.

use super::master_info::{Address, MasterInfo};
use super::metrics::Version;
use super::resources::{AllocationInfo, Attribute, Resource};
use super::v1::TimeInfo;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;

/// A protobuf id message: `{"value": ..}` (the agent's v1 model defines
/// it, with the lenient read the agent needs).
pub use super::agent_v1::Id;

/// Stored protobuf JSON written as is, except that empty arrays inside
/// objects are left out (stout writes no empty repeated fields).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pruned(pub Value);

impl Pruned {
    pub fn is_null(&self) -> bool {
        self.0.is_null()
    }
}

/// [`Pruned`] over a borrowed value.
pub struct PrunedRef<'a>(pub &'a Value);

impl Serialize for PrunedRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Object(o) => {
                let keep = |v: &&Value| !matches!(v, Value::Array(a) if a.is_empty());
                let n = o.values().filter(keep).count();
                let mut m = s.serialize_map(Some(n))?;
                for (k, v) in o.iter().filter(|(_, v)| keep(v)) {
                    m.serialize_entry(k, &PrunedRef(v))?;
                }
                m.end()
            }
            Value::Array(a) => {
                let mut q = s.serialize_seq(Some(a.len()))?;
                for v in a {
                    q.serialize_element(&PrunedRef(v))?;
                }
                q.end()
            }
            other => other.serialize(s),
        }
    }
}

impl Serialize for Pruned {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        PrunedRef(&self.0).serialize(s)
    }
}

/// `Capability` entries: `{"type": NAME}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Capability {
    #[serde(rename = "type")]
    pub kind: String,
}

/// `Response.GetTasks` (`Task` list per kind).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Task {
    pub name: String,
    pub task_id: Id,
    pub framework_id: Id,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executor_id: Option<Id>,
    pub agent_id: Id,
    pub state: super::TaskState,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Resource>,
    /// TaskStatus messages as received from the agent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<super::agent_v1::V1TaskStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_update_state: Option<super::TaskState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_update_uuid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Pruned>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discovery: Option<Pruned>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<Pruned>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check: Option<Pruned>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kill_policy: Option<Pruned>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limits: Option<Pruned>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// `AgentInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AgentInfo {
    pub hostname: String,
    pub port: u16,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Resource>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
    pub id: Id,
}

/// `Response.GetAgents.Agent` (also `AGENT_ADDED.agent`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Agent {
    pub agent_info: AgentInfo,
    pub active: bool,
    pub deactivated: bool,
    pub version: String,
    pub pid: String,
    pub registered_time: TimeInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reregistered_time: Option<TimeInfo>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub total_resources: Vec<Resource>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allocated_resources: Vec<Resource>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub offered_resources: Vec<Resource>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<Capability>,
}

/// `URL` of an offer's agent.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Url {
    pub scheme: String,
    pub address: Address,
    pub path: String,
}

/// `Offer`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Offer {
    pub id: Id,
    pub framework_id: Id,
    pub agent_id: Id,
    pub hostname: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Resource>,
    pub allocation_info: AllocationInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<Url>,
}

/// `Response.GetFrameworks.Framework` (also `FRAMEWORK_ADDED/UPDATED`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Framework {
    pub framework_info: super::framework::FrameworkInfo,
    pub active: bool,
    pub connected: bool,
    pub recovered: bool,
    pub registered_time: TimeInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reregistered_time: Option<TimeInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unregistered_time: Option<TimeInfo>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub offers: Vec<Offer>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allocated_resources: Vec<Resource>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub offered_resources: Vec<Resource>,
}

/// `Response.GetExecutors.Executor`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Executor {
    pub executor_info: Pruned,
    pub agent_id: Id,
}

/// `get_tasks`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GetTasks {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<Task>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unreachable_tasks: Vec<Task>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub completed_tasks: Vec<Task>,
}

/// `get_agents`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GetAgents {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub agents: Vec<Agent>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recovered_agents: Vec<AgentInfo>,
}

/// `get_frameworks`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GetFrameworks {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub frameworks: Vec<Framework>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub completed_frameworks: Vec<Framework>,
}

/// `get_executors`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GetExecutors {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub executors: Vec<Executor>,
}

/// `get_state` (also `SUBSCRIBED.get_state`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GetState {
    pub get_tasks: GetTasks,
    pub get_executors: GetExecutors,
    pub get_frameworks: GetFrameworks,
    pub get_agents: GetAgents,
}

/// `Role` of `get_roles`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Role {
    pub name: String,
    pub weight: f64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub frameworks: Vec<Id>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Resource>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allocated: Vec<Resource>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub offered: Vec<Resource>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reserved: Vec<Resource>,
}

/// `get_roles`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GetRoles {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
}

/// `get_master`: times in epoch seconds (doubles), as real Mesos writes them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GetMaster {
    pub master_info: MasterInfo,
    pub start_time: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elected_time: Option<f64>,
}

/// A `{"name","value"}` pair (`get_flags.flags[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Flag {
    pub name: String,
    pub value: String,
}

/// `get_flags`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GetFlags {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<Flag>,
}

/// A `{"name","value"}` metric (`get_metrics.metrics[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Metric {
    pub name: String,
    pub value: f64,
}

/// `get_metrics`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GetMetrics {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<Metric>,
}

/// `get_version`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GetVersion {
    pub version_info: Version,
}

/// `get_health`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GetHealth {
    pub healthy: bool,
}

/// `get_logging_level`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GetLoggingLevel {
    pub level: u32,
}

/// An empty message (`get_operations` of a master without operations).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Empty {}

/// The synchronous response envelope `{"type": T, "<t>": payload}` (the
/// payload key is the type in lower case).
#[derive(Clone, Debug, PartialEq)]
pub struct Response<T> {
    pub kind: &'static str,
    pub payload: T,
}

impl<T> Response<T> {
    pub fn new(kind: &'static str, payload: T) -> Self {
        Response { kind, payload }
    }
}

impl<T: Serialize> Serialize for Response<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("type", self.kind)?;
        m.serialize_entry(&self.kind.to_ascii_lowercase(), &self.payload)?;
        m.end()
    }
}

/// `SUBSCRIBED` payload.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Subscribed {
    pub get_state: GetState,
    pub heartbeat_interval_seconds: f64,
}

/// Operator API events the master publishes (`{"type": T, "<t>": {..}}`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Event {
    Subscribed {
        subscribed: Box<Subscribed>,
    },
    Heartbeat,
    TaskAdded {
        task_added: Box<TaskAdded>,
    },
    TaskUpdated {
        task_updated: Box<TaskUpdated>,
    },
    FrameworkAdded {
        framework_added: Box<FrameworkEvent>,
    },
    FrameworkUpdated {
        framework_updated: Box<FrameworkEvent>,
    },
    FrameworkRemoved {
        framework_removed: Box<FrameworkRemoved>,
    },
    AgentAdded {
        agent_added: Box<AgentAdded>,
    },
    AgentRemoved {
        agent_removed: AgentRemoved,
    },
}

impl Event {
    pub fn task_added(task: Task) -> Event {
        Event::TaskAdded {
            task_added: Box::new(TaskAdded { task }),
        }
    }
    pub fn framework_added(framework: Framework) -> Event {
        Event::FrameworkAdded {
            framework_added: Box::new(FrameworkEvent { framework }),
        }
    }
    pub fn framework_updated(framework: Framework) -> Event {
        Event::FrameworkUpdated {
            framework_updated: Box::new(FrameworkEvent { framework }),
        }
    }
    pub fn agent_added(agent: Agent) -> Event {
        Event::AgentAdded {
            agent_added: Box::new(AgentAdded { agent }),
        }
    }
}

/// `TASK_UPDATED` payload: the TaskStatus as received, and the task's
/// latest state.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskUpdated {
    pub framework_id: Id,
    pub status: super::agent_v1::V1TaskStatus,
    pub state: super::TaskState,
}

/// `FRAMEWORK_REMOVED` payload.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrameworkRemoved {
    /// The FrameworkInfo as the framework subscribed with it.
    pub framework_info: super::framework::FrameworkInfo,
}

/// `AGENT_REMOVED` payload.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentRemoved {
    pub agent_id: Id,
}

/// `TASK_ADDED` payload.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskAdded {
    pub task: Task,
}

/// `FRAMEWORK_ADDED` / `FRAMEWORK_UPDATED` payload.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrameworkEvent {
    pub framework: Framework,
}

/// `AGENT_ADDED` payload.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentAdded {
    pub agent: Agent,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruned_drops_empty_arrays_at_every_depth() {
        let v: Value =
            serde_json::from_str(r#"{"a":[],"b":{"c":[],"d":[1]},"e":[{"f":[]}]}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&Pruned(v)).unwrap(),
            r#"{"b":{"d":[1]},"e":[{}]}"#
        );
    }

    #[test]
    fn envelope_and_events() {
        let r = Response::new("GET_HEALTH", GetHealth { healthy: true });
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"type":"GET_HEALTH","get_health":{"healthy":true}}"#
        );
        assert_eq!(
            serde_json::to_string(&Event::Heartbeat).unwrap(),
            r#"{"type":"HEARTBEAT"}"#
        );
    }
}
