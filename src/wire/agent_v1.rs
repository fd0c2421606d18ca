//! v1 protobuf-JSON shapes the bundled agent reads and writes
//! (docs/wire-notes.md#agent-operator-calls): the agent operator API
//! (`POST /slave(1)/api/v1`: [`AgentCall`] in, [`AgentResponse`] out), and
//! the TaskInfo / ExecutorInfo / TaskStatus / ContainerStatus messages of
//! the internal protocol and the checkpoints.
//!
//! Unlike the flattened client models of [`super::v1`], these serialize in
//! the exact wire form (ids as `{"value": ..}`, empty repeated fields
//! omitted). Reading stays lenient: unknown fields are kept in `other` so a
//! message round-trips unchanged.

use super::de;
pub use super::health_check::HealthCheck;
use super::metrics::Version;
use super::resources::{Attribute, Resource};
use super::task::TaskState;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Any other fields of a message, kept verbatim.
pub type Extra = BTreeMap<String, Value>;

/// An id message: `{"value": ".."}` (a bare string is accepted too).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Id {
    pub value: String,
}

impl Id {
    pub fn new(value: impl Into<String>) -> Id {
        Id {
            value: value.into(),
        }
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de::string(d).map(Id::new)
    }
}

/// `ContainerID`: `{"value": .., "parent": {..}}` (nested containers carry
/// their parent chain; a bare string is accepted for `value` alone).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContainerId {
    #[serde(default, deserialize_with = "de::string")]
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Box<ContainerId>>,
}

impl ContainerId {
    /// A top-level container id.
    pub fn new(value: impl Into<String>) -> ContainerId {
        ContainerId {
            value: value.into(),
            parent: None,
        }
    }

    /// A nested container id under `parent`.
    pub fn nested(value: impl Into<String>, parent: ContainerId) -> ContainerId {
        ContainerId {
            value: value.into(),
            parent: Some(Box::new(parent)),
        }
    }

    /// The top-level container this one is (nested) in.
    pub fn root(&self) -> &ContainerId {
        let mut c = self;
        while let Some(p) = c.parent.as_deref() {
            c = p;
        }
        c
    }

    /// `root.child.grandchild`: the chain as Mesos logs it.
    pub fn chain(&self) -> String {
        match self.parent.as_deref() {
            Some(p) => format!("{}.{}", p.chain(), self.value),
            None => self.value.clone(),
        }
    }
}

/// `DurationInfo`: `{"nanoseconds": N}` (N may be a string, as protobuf
/// JSON writes int64).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DurationInfo {
    #[serde(default, deserialize_with = "lenient_i64")]
    pub nanoseconds: i64,
}

fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .unwrap_or(0))
}

/// `KillPolicy`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KillPolicy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grace_period: Option<DurationInfo>,
    #[serde(flatten)]
    pub other: Extra,
}

/// `Environment.Variable`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EnvVariable {
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// `VALUE` (default) or `SECRET`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
    #[serde(flatten)]
    pub other: Extra,
}

/// `Environment`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    #[serde(default, deserialize_with = "de::vec")]
    pub variables: Vec<EnvVariable>,
}

/// `CommandInfo.URI`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommandUri {
    #[serde(default, deserialize_with = "de::string")]
    pub value: String,
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub executable: Option<bool>,
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub extract: Option<bool>,
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub cache: Option<bool>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub output_file: Option<String>,
}

/// `CommandInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommandInfo {
    /// Default true.
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub shell: Option<bool>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub arguments: Vec<String>,
    /// A list (a single object is accepted too).
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub uris: Vec<CommandUri>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Environment>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub user: Option<String>,
    #[serde(flatten)]
    pub other: Extra,
}

impl CommandInfo {
    pub fn shell(&self) -> bool {
        self.shell.unwrap_or(true)
    }
}

fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<CommandUri>, D::Error> {
    use serde::de::Error;
    match Value::deserialize(d)? {
        Value::Null => Ok(Vec::new()),
        Value::Array(a) => a
            .into_iter()
            .map(serde_json::from_value)
            .collect::<Result<_, _>>()
            .map_err(D::Error::custom),
        other => serde_json::from_value(other)
            .map(|u| vec![u])
            .map_err(D::Error::custom),
    }
}

/// `TaskInfo` as launched: the fields the agent reads, the rest verbatim.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
    pub task_id: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<Id>,
    /// v1 `Resource` list.
    #[serde(default, deserialize_with = "de::vec")]
    pub resources: Vec<Resource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<CommandInfo>,
    /// A custom executor (not supported by this agent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executor: Option<ExecutorInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kill_policy: Option<KillPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    /// A general check (results reported, never killing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<super::check::CheckInfo>,
    #[serde(flatten)]
    pub other: Extra,
}

impl TaskInfo {
    /// The role of the first resource's `allocation_info`, if any.
    pub fn allocation_role(&self) -> Option<String> {
        self.resources.iter().find_map(|r| {
            r.allocation_info
                .as_ref()
                .map(|a| a.role.clone())
                .filter(|r| !r.is_empty())
        })
    }
}

/// `ExecutorInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExecutorInfo {
    /// `DEFAULT` / `CUSTOM`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    #[serde(default)]
    pub executor_id: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<CommandInfo>,
    /// Omitted when empty, as protobuf's JSON omits empty repeated fields
    /// (an executor is forwarded as the framework sent it).
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub resources: Vec<Resource>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shutdown_grace_period: Option<DurationInfo>,
    #[serde(flatten)]
    pub other: Extra,
}

/// `NetworkInfo.IPAddress`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IpAddress {
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub protocol: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub ip_address: Option<String>,
}

/// `NetworkInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NetworkInfo {
    #[serde(default, deserialize_with = "de::vec")]
    pub ip_addresses: Vec<IpAddress>,
    #[serde(flatten)]
    pub other: Extra,
}

/// `ContainerStatus`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContainerStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_id: Option<ContainerId>,
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub network_infos: Vec<NetworkInfo>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub executor_pid: Option<u64>,
    #[serde(flatten)]
    pub other: Extra,
}

impl ContainerStatus {
    /// A container with one IPv4 address.
    pub fn ipv4(container_id: &str, ip: &str, executor_pid: Option<u32>) -> ContainerStatus {
        ContainerStatus {
            container_id: Some(ContainerId::new(container_id)),
            network_infos: vec![NetworkInfo {
                ip_addresses: vec![IpAddress {
                    protocol: Some("IPv4".into()),
                    ip_address: Some(ip.into()),
                }],
                other: Extra::new(),
            }],
            executor_pid: executor_pid.map(u64::from),
            other: Extra::new(),
        }
    }
}

/// A full v1 `TaskStatus`, as the agent sends it in status updates, keeps
/// it in `task.updates` and lists it in `GET_TASKS`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct V1TaskStatus {
    #[serde(default)]
    pub task_id: Id,
    #[serde(default)]
    pub state: TaskState,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub message: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executor_id: Option<Id>,
    #[serde(default, deserialize_with = "de::f64")]
    pub timestamp: f64,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub uuid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_status: Option<ContainerStatus>,
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub healthy: Option<bool>,
    /// `{"labels": [..]}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Value>,
    /// `data`, `check_status`, ... verbatim.
    #[serde(flatten)]
    pub other: Extra,
}

/// `{"name": .., "value": ..}` (flags, metrics).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NameValue<T> {
    pub name: String,
    pub value: T,
}

/// `agent::Call` as far as this agent reads it: the `type` and the
/// payloads of the calls it answers. Everything is optional here; the
/// handler says which field is missing.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct AgentCall {
    #[serde(rename = "type", default, deserialize_with = "de::opt_string")]
    pub kind: Option<String>,
    /// Only its presence matters.
    #[serde(default)]
    pub get_metrics: Option<serde::de::IgnoredAny>,
    /// Only its presence matters (the level is not changed).
    #[serde(default)]
    pub set_logging_level: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    pub list_files: Option<PathCall>,
    #[serde(default)]
    pub read_file: Option<ReadFileCall>,
    #[serde(default)]
    pub wait_container: Option<ContainerCall>,
    #[serde(default)]
    pub wait_nested_container: Option<ContainerCall>,
    #[serde(default)]
    pub kill_container: Option<ContainerCall>,
    #[serde(default)]
    pub kill_nested_container: Option<ContainerCall>,
    #[serde(default)]
    pub get_containers: Option<GetContainersCall>,
    #[serde(default)]
    pub remove_container: Option<ContainerCall>,
    #[serde(default)]
    pub remove_nested_container: Option<ContainerCall>,
    #[serde(default)]
    pub attach_container_output: Option<ContainerCall>,
}

/// `get_containers`: `show_nested`, `show_standalone`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct GetContainersCall {
    #[serde(default)]
    pub show_nested: bool,
    #[serde(default)]
    pub show_standalone: bool,
}

/// `list_files`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PathCall {
    #[serde(default, deserialize_with = "de::opt_string")]
    pub path: Option<String>,
}

/// `read_file`: `offset` and `length` are read leniently (numbers or
/// numeric strings) and a bad one is kept as such, so that it can be named.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ReadFileCall {
    #[serde(default, deserialize_with = "de::opt_string")]
    pub path: Option<String>,
    #[serde(default)]
    pub offset: LenientU64,
    #[serde(default)]
    pub length: LenientU64,
}

/// A non-negative integer field given as a number or a string: absent
/// (or `null`), a value, or something else (named by the caller).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LenientU64 {
    #[default]
    Absent,
    Valid(u64),
    Invalid,
}

impl LenientU64 {
    /// `Ok(None)` when absent, `Err(())` when it is not a non-negative integer.
    #[allow(clippy::result_unit_err)]
    pub fn get(self) -> Result<Option<u64>, ()> {
        match self {
            LenientU64::Absent => Ok(None),
            LenientU64::Valid(n) => Ok(Some(n)),
            LenientU64::Invalid => Err(()),
        }
    }
}

impl<'de> Deserialize<'de> for LenientU64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Null => LenientU64::Absent,
            Value::Number(n) => n.as_u64().map_or(LenientU64::Invalid, LenientU64::Valid),
            Value::String(s) => s
                .trim()
                .parse()
                .map_or(LenientU64::Invalid, LenientU64::Valid),
            _ => LenientU64::Invalid,
        })
    }
}

/// `wait_container`, `kill_container` (and their nested variants).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ContainerCall {
    #[serde(default)]
    pub container_id: Option<ContainerId>,
    #[serde(default)]
    pub signal: Option<i32>,
}

/// `get_tasks` of the agent.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AgentGetTasks {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub launched_tasks: Vec<V1Task>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terminated_tasks: Vec<V1Task>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub completed_tasks: Vec<V1Task>,
}

/// `{"executor_info": ..}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AgentExecutorEntry {
    pub executor_info: ExecutorInfo,
}

/// `get_executors` of the agent.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AgentGetExecutors {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub executors: Vec<AgentExecutorEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub completed_executors: Vec<AgentExecutorEntry>,
}

/// `{"framework_info": ..}` (the FrameworkInfo as the master sent it).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AgentFrameworkEntry {
    pub framework_info: Value,
}

/// `get_frameworks` of the agent.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AgentGetFrameworks {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub frameworks: Vec<AgentFrameworkEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub completed_frameworks: Vec<AgentFrameworkEntry>,
}

/// `get_state` of the agent.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AgentGetState {
    pub get_tasks: AgentGetTasks,
    pub get_executors: AgentGetExecutors,
    pub get_frameworks: AgentGetFrameworks,
}

/// A v1 `Task` as the agent lists it (and reports it to the master when it
/// re-registers; read leniently there).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct V1Task {
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    pub task_id: Id,
    pub framework_id: Id,
    /// The task's executor: custom and task-group tasks only (a command
    /// task's executor is its own and not named, as in real Mesos).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executor_id: Option<Id>,
    pub agent_id: Id,
    pub state: TaskState,
    #[serde(deserialize_with = "de::vec")]
    pub resources: Vec<Resource>,
    #[serde(deserialize_with = "de::vec", skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<V1TaskStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_update_state: Option<TaskState>,
    #[serde(
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status_update_uuid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discovery: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kill_policy: Option<KillPolicy>,
    #[serde(
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub user: Option<String>,
}

/// v1 `AgentInfo` as the agent reports itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct V1AgentInfo {
    pub hostname: String,
    pub port: u16,
    pub resources: Vec<Resource>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
}

/// `get_containers.containers[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct V1Container {
    pub framework_id: Id,
    pub executor_id: Id,
    pub executor_name: String,
    pub container_id: ContainerId,
    pub container_status: ContainerStatus,
    pub resource_statistics: super::agent::ResourceStatistics,
}

/// `wait_container` / `wait_nested_container`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct WaitContainer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_status: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<TaskState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `{}`: a response payload without fields.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Empty {}

/// `get_health`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Health {
    pub healthy: bool,
}

/// `get_flags`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Flags {
    pub flags: Vec<NameValue<String>>,
}

/// `get_version`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct VersionInfo {
    pub version_info: Version,
}

/// `get_metrics`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MetricList {
    pub metrics: Vec<NameValue<f64>>,
}

/// `get_logging_level`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LoggingLevel {
    pub level: u32,
}

/// `get_agent`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GetAgent {
    pub agent_info: V1AgentInfo,
}

/// `get_containers`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GetContainers {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub containers: Vec<V1Container>,
}

/// `agent::Response`: `{"type": "<CALL>", "<call_lc>": {..}}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AgentResponse {
    GetHealth {
        get_health: Health,
    },
    GetFlags {
        get_flags: Flags,
    },
    GetVersion {
        get_version: VersionInfo,
    },
    GetMetrics {
        get_metrics: MetricList,
    },
    GetLoggingLevel {
        get_logging_level: LoggingLevel,
    },
    /// `file_infos` as the files API renders them.
    ListFiles {
        list_files: super::files::ListFiles,
    },
    /// `size` and base64 `data` as the files API renders them.
    ReadFile {
        read_file: super::files::ReadFile,
    },
    GetState {
        get_state: AgentGetState,
    },
    GetTasks {
        get_tasks: AgentGetTasks,
    },
    GetExecutors {
        get_executors: AgentGetExecutors,
    },
    GetFrameworks {
        get_frameworks: AgentGetFrameworks,
    },
    GetAgent {
        get_agent: GetAgent,
    },
    GetOperations {
        get_operations: Empty,
    },
    GetResourceProviders {
        get_resource_providers: Empty,
    },
    GetContainers {
        get_containers: GetContainers,
    },
    WaitContainer {
        wait_container: WaitContainer,
    },
    WaitNestedContainer {
        wait_nested_container: WaitContainer,
    },
}

#[cfg(test)]
#[path = "agent_v1_tests.rs"]
mod tests;
