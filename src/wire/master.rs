//! Master v0 endpoints: `/master/state`, `/master/state-summary`,
//! `/master/tasks`, `/master/frameworks`, `/master/slaves`
//! (docs/wire-notes.md#master-endpoints).

use super::de;
use super::master_info::{parse_pid, MasterInfo};
use super::resources::{AllocationInfo, Attributes, Labels, ReservedResources, ResourceSummary};
use super::task::{Task, TaskState};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Top level of `/master/state` (also `/state`, `/state.json`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MasterState {
    #[serde(default, deserialize_with = "de::string")]
    pub version: String,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub git_sha: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub git_branch: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub git_tag: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub build_date: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub build_time: Option<f64>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub build_user: Option<String>,
    /// Epoch seconds.
    #[serde(default, deserialize_with = "de::f64")]
    pub start_time: f64,
    /// Only on the leader.
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub elected_time: Option<f64>,
    /// Master id.
    #[serde(default, deserialize_with = "de::string")]
    pub id: String,
    /// `master@ip:port`.
    #[serde(default, deserialize_with = "de::string")]
    pub pid: String,
    #[serde(default, deserialize_with = "de::string")]
    pub hostname: String,
    /// 1.5+.
    #[serde(default, deserialize_with = "de::names")]
    pub capabilities: Vec<String>,
    #[serde(default, alias = "activated_agents", deserialize_with = "de::f64")]
    pub activated_slaves: f64,
    #[serde(default, alias = "deactivated_agents", deserialize_with = "de::f64")]
    pub deactivated_slaves: f64,
    /// 1.2+.
    #[serde(default, alias = "unreachable_agents", deserialize_with = "de::f64")]
    pub unreachable_slaves: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Value>,
    /// Leader pid (`master@ip:port`); absent when no leader is known.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub leader: Option<String>,
    /// 1.2+.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_info: Option<MasterInfo>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub cluster: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub log_dir: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub external_log_file: Option<String>,
    /// All flags as strings (omitted if unauthorized).
    #[serde(default, deserialize_with = "de::string_map")]
    pub flags: BTreeMap<String, String>,
    /// Registered agents.
    #[serde(default, alias = "agents", deserialize_with = "de::vec")]
    pub slaves: Vec<Agent>,
    /// Agents known from the registry but not re-registered yet (1.2+);
    /// written with only `id`, `hostname`, `port` and `attributes`.
    #[serde(
        default,
        alias = "recovered_agents",
        deserialize_with = "de::vec",
        serialize_with = "recovered_agents"
    )]
    pub recovered_slaves: Vec<Agent>,
    #[serde(default, deserialize_with = "de::vec")]
    pub frameworks: Vec<Framework>,
    #[serde(default, deserialize_with = "de::vec")]
    pub completed_frameworks: Vec<Framework>,
    /// Always empty since 1.x; tasks of unregistered frameworks in 0.2x.
    #[serde(default, deserialize_with = "de::vec")]
    pub orphan_tasks: Vec<Task>,
    /// Framework ids (strings) in 0.2x, always empty since 1.x.
    #[serde(default, deserialize_with = "de::vec")]
    pub unregistered_frameworks: Vec<Value>,
}

impl MasterState {
    /// Every task the master knows: `tasks`, `unreachable_tasks` and
    /// `completed_tasks` of `frameworks` and `completed_frameworks`, then
    /// `orphan_tasks`.
    pub fn all_tasks(&self) -> impl Iterator<Item = &Task> + '_ {
        self.frameworks
            .iter()
            .chain(self.completed_frameworks.iter())
            .flat_map(Framework::all_tasks)
            .chain(self.orphan_tasks.iter())
    }

    /// The agent with this id (registered or recovered).
    pub fn agent(&self, id: &str) -> Option<&Agent> {
        self.slaves
            .iter()
            .chain(self.recovered_slaves.iter())
            .find(|a| a.id == id)
    }

    /// The framework with this id (active or completed).
    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks
            .iter()
            .chain(self.completed_frameworks.iter())
            .find(|f| f.id == id)
    }

    /// True when this master says it is the leader (`leader == pid`).
    pub fn is_leader(&self) -> bool {
        !self.pid.is_empty() && self.leader.as_deref() == Some(self.pid.as_str())
    }
}

/// A `recovered_slaves[]` entry as Mesos writes it (the agent's
/// SlaveInfo: no resources, pid or times).
#[derive(Serialize)]
struct RecoveredAgent<'a> {
    id: &'a str,
    hostname: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    port: Option<u16>,
    attributes: &'a Attributes,
}

fn recovered_agents<S: serde::Serializer>(agents: &[Agent], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(agents.iter().map(|a| RecoveredAgent {
        id: &a.id,
        hostname: &a.hostname,
        port: a.port,
        attributes: &a.attributes,
    }))
}

/// An agent entry (`slaves[]` of `/master/state`, `/master/slaves`; also
/// `recovered_slaves[]`, which only has `id`, `hostname`, `port`,
/// `attributes`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    #[serde(default, deserialize_with = "de::string")]
    pub id: String,
    #[serde(default, deserialize_with = "de::string")]
    pub hostname: String,
    /// Absent before 1.x (then use the pid).
    #[serde(
        default,
        deserialize_with = "de::opt_u16",
        skip_serializing_if = "Option::is_none"
    )]
    pub port: Option<u16>,
    /// `slave(1)@ip:port`.
    #[serde(default, deserialize_with = "de::string")]
    pub pid: String,
    #[serde(default, deserialize_with = "de::map")]
    pub attributes: Attributes,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Value>,
    #[serde(default, deserialize_with = "de::f64")]
    pub registered_time: f64,
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub reregistered_time: Option<f64>,
    #[serde(default)]
    pub resources: ResourceSummary,
    #[serde(default)]
    pub used_resources: ResourceSummary,
    #[serde(default)]
    pub offered_resources: ResourceSummary,
    #[serde(default, deserialize_with = "de::map")]
    pub reserved_resources: ReservedResources,
    #[serde(default)]
    pub unreserved_resources: ResourceSummary,
    #[serde(default, deserialize_with = "de::bool")]
    pub active: bool,
    /// 1.9+.
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub deactivated: Option<bool>,
    /// Agent version; absent in 0.22.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub version: Option<String>,
    #[serde(default, deserialize_with = "de::names")]
    pub capabilities: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drain_info: Option<Value>,
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_drain_start_time_seconds: Option<f64>,
    /// `/master/slaves` only: `{role: [Resource]}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_resources_full: Option<Value>,
    /// `/master/slaves` only: `[Resource]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreserved_resources_full: Option<Value>,
    /// `/master/slaves` only: `[Resource]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_resources_full: Option<Value>,
    /// `/master/slaves` only: `[Resource]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offered_resources_full: Option<Value>,
}

impl Agent {
    /// `ip:port` of the agent's HTTP endpoint: the part of `pid` after `@`
    /// (`slave(1)@10.0.0.21:5051` -> `10.0.0.21:5051`), else
    /// `hostname:port` (port defaults to 5051).
    pub fn address(&self) -> Option<String> {
        if let Some((host, port)) = parse_pid(&self.pid) {
            return Some(format!("{host}:{port}"));
        }
        if self.hostname.is_empty() {
            return None;
        }
        Some(format!("{}:{}", self.hostname, self.port.unwrap_or(5051)))
    }
}

/// A framework entry (`frameworks[]`, `completed_frameworks[]` of
/// `/master/state` and `/master/frameworks`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Framework {
    #[serde(default, deserialize_with = "de::string")]
    pub id: String,
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// Driver frameworks only (`scheduler-<uuid>@host:port`).
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub pid: Option<String>,
    #[serde(default, deserialize_with = "de::string")]
    pub user: String,
    #[serde(default, deserialize_with = "de::string")]
    pub hostname: String,
    #[serde(default, deserialize_with = "de::string")]
    pub webui_url: String,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub principal: Option<String>,
    #[serde(default, deserialize_with = "de::bool")]
    pub active: bool,
    /// 1.x only.
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub connected: Option<bool>,
    /// 1.2+.
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub recovered: Option<bool>,
    #[serde(default, deserialize_with = "de::bool")]
    pub checkpoint: bool,
    /// Seconds.
    #[serde(default, deserialize_with = "de::f64")]
    pub failover_timeout: f64,
    #[serde(default, deserialize_with = "de::f64")]
    pub registered_time: f64,
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub reregistered_time: Option<f64>,
    /// 0 if never unregistered.
    #[serde(default, deserialize_with = "de::f64")]
    pub unregistered_time: f64,
    /// Non-MULTI_ROLE frameworks.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<String>,
    /// MULTI_ROLE frameworks.
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub roles: Vec<String>,
    #[serde(default, deserialize_with = "de::names")]
    pub capabilities: Vec<String>,
    /// used + offered.
    #[serde(default)]
    pub resources: ResourceSummary,
    #[serde(default)]
    pub used_resources: ResourceSummary,
    #[serde(default)]
    pub offered_resources: ResourceSummary,
    #[serde(default, deserialize_with = "de::vec")]
    pub tasks: Vec<Task>,
    /// 1.2+.
    #[serde(default, deserialize_with = "de::vec")]
    pub unreachable_tasks: Vec<Task>,
    #[serde(default, deserialize_with = "de::vec")]
    pub completed_tasks: Vec<Task>,
    #[serde(default, deserialize_with = "de::vec")]
    pub offers: Vec<Offer>,
    #[serde(default, deserialize_with = "de::vec")]
    pub executors: Vec<Executor>,
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub labels: Labels,
    /// 1.11+.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_constraints: Option<Value>,
}

impl Framework {
    /// The framework's roles: `roles` (MULTI_ROLE) or `[role]`.
    pub fn roles(&self) -> Vec<&str> {
        if !self.roles.is_empty() {
            self.roles.iter().map(String::as_str).collect()
        } else {
            self.role.as_deref().into_iter().collect()
        }
    }

    /// `tasks`, then `unreachable_tasks`, then `completed_tasks`.
    pub fn all_tasks(&self) -> impl Iterator<Item = &Task> + '_ {
        self.tasks
            .iter()
            .chain(self.unreachable_tasks.iter())
            .chain(self.completed_tasks.iter())
    }
}

/// An outstanding offer (`frameworks[].offers[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    #[serde(default, deserialize_with = "de::string")]
    pub id: String,
    #[serde(default, deserialize_with = "de::string")]
    pub framework_id: String,
    #[serde(default, alias = "agent_id", deserialize_with = "de::string")]
    pub slave_id: String,
    /// `{"role": ..}` (1.x).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_info: Option<AllocationInfo>,
    #[serde(default)]
    pub resources: ResourceSummary,
}

/// A custom executor as the master sees it (`frameworks[].executors[]`).
///
/// Real 0.27 masters write `executor_id`/`framework_id` as `{"value":..}` and
/// `resources` as a Resource list here; both are normalised.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Executor {
    #[serde(default, deserialize_with = "de::string")]
    pub executor_id: String,
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    #[serde(default, deserialize_with = "de::string")]
    pub framework_id: String,
    #[serde(default, alias = "agent_id", deserialize_with = "de::string")]
    pub slave_id: String,
    /// CommandInfo as generic protobuf JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<Value>,
    #[serde(default)]
    pub resources: ResourceSummary,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub labels: Labels,
    /// `DEFAULT` / `CUSTOM`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub executor_type: Option<String>,
}

/// `/master/tasks` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TasksResponse {
    #[serde(default, deserialize_with = "de::vec")]
    pub tasks: Vec<Task>,
}

/// `/master/frameworks` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrameworksResponse {
    #[serde(default, deserialize_with = "de::vec")]
    pub frameworks: Vec<Framework>,
    #[serde(default, deserialize_with = "de::vec")]
    pub completed_frameworks: Vec<Framework>,
    #[serde(default, deserialize_with = "de::vec")]
    pub unregistered_frameworks: Vec<Value>,
}

/// `/master/slaves` response (agents carry the `*_full` Resource lists).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SlavesResponse {
    #[serde(default, alias = "agents", deserialize_with = "de::vec")]
    pub slaves: Vec<Agent>,
    #[serde(
        default,
        alias = "recovered_agents",
        deserialize_with = "de::vec",
        serialize_with = "recovered_agents"
    )]
    pub recovered_slaves: Vec<Agent>,
}

/// `/master/state-summary` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StateSummary {
    #[serde(default, deserialize_with = "de::string")]
    pub hostname: String,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub cluster: Option<String>,
    #[serde(default, alias = "agents", deserialize_with = "de::vec")]
    pub slaves: Vec<SummaryAgent>,
    #[serde(default, deserialize_with = "de::vec")]
    pub frameworks: Vec<SummaryFramework>,
}

/// Per-state task counts of a state-summary entry (`TASK_KILLING` since 1.x,
/// `TASK_UNREACHABLE` since 1.2: 0 when absent).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskCounts {
    #[serde(rename = "TASK_STAGING", default, deserialize_with = "de::u64")]
    pub staging: u64,
    #[serde(rename = "TASK_STARTING", default, deserialize_with = "de::u64")]
    pub starting: u64,
    #[serde(rename = "TASK_RUNNING", default, deserialize_with = "de::u64")]
    pub running: u64,
    #[serde(rename = "TASK_KILLING", default, deserialize_with = "de::u64")]
    pub killing: u64,
    #[serde(rename = "TASK_FINISHED", default, deserialize_with = "de::u64")]
    pub finished: u64,
    #[serde(rename = "TASK_KILLED", default, deserialize_with = "de::u64")]
    pub killed: u64,
    #[serde(rename = "TASK_FAILED", default, deserialize_with = "de::u64")]
    pub failed: u64,
    #[serde(rename = "TASK_LOST", default, deserialize_with = "de::u64")]
    pub lost: u64,
    #[serde(rename = "TASK_ERROR", default, deserialize_with = "de::u64")]
    pub error: u64,
    #[serde(rename = "TASK_UNREACHABLE", default, deserialize_with = "de::u64")]
    pub unreachable: u64,
}

impl TaskCounts {
    /// The count for one state (0 for states the summary does not count).
    pub fn get(&self, state: &TaskState) -> u64 {
        match state {
            TaskState::Staging => self.staging,
            TaskState::Starting => self.starting,
            TaskState::Running => self.running,
            TaskState::Killing => self.killing,
            TaskState::Finished => self.finished,
            TaskState::Killed => self.killed,
            TaskState::Failed => self.failed,
            TaskState::Lost => self.lost,
            TaskState::Error => self.error,
            TaskState::Unreachable => self.unreachable,
            _ => 0,
        }
    }

    /// Non-terminal tasks: staging + starting + running + killing.
    pub fn active(&self) -> u64 {
        self.staging + self.starting + self.running + self.killing
    }

    /// Sum of all counts.
    pub fn total(&self) -> u64 {
        self.active()
            + self.finished
            + self.killed
            + self.failed
            + self.lost
            + self.error
            + self.unreachable
    }
}

/// A `slaves[]` entry of `/master/state-summary`: the agent entry plus task
/// counts and the ids of frameworks with tasks on it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SummaryAgent {
    #[serde(flatten)]
    pub agent: Agent,
    #[serde(flatten)]
    pub counts: TaskCounts,
    #[serde(default, deserialize_with = "de::vec")]
    pub framework_ids: Vec<String>,
}

/// The summary part of a framework entry (`/master/state-summary`): no
/// tasks, offers, executors or times.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrameworkSummary {
    #[serde(default, deserialize_with = "de::string")]
    pub id: String,
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// Driver frameworks only.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub pid: Option<String>,
    #[serde(default)]
    pub used_resources: ResourceSummary,
    #[serde(default)]
    pub offered_resources: ResourceSummary,
    #[serde(default, deserialize_with = "de::names")]
    pub capabilities: Vec<String>,
    #[serde(default, deserialize_with = "de::string")]
    pub hostname: String,
    #[serde(default, deserialize_with = "de::string")]
    pub webui_url: String,
    #[serde(default, deserialize_with = "de::bool")]
    pub active: bool,
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub connected: Option<bool>,
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub recovered: Option<bool>,
}

/// A `frameworks[]` entry of `/master/state-summary`: the summary part of a
/// framework (no tasks) plus task counts and agent ids.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SummaryFramework {
    #[serde(flatten)]
    pub framework: FrameworkSummary,
    #[serde(flatten)]
    pub counts: TaskCounts,
    #[serde(default, alias = "agent_ids", deserialize_with = "de::vec")]
    pub slave_ids: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_address_from_pid_or_hostname() {
        let a: Agent =
            serde_json::from_str(r#"{"id":"S0","pid":"slave(1)@10.0.0.21:5051","hostname":"a1"}"#)
                .unwrap();
        assert_eq!(a.address().as_deref(), Some("10.0.0.21:5051"));
        let a: Agent = serde_json::from_str(r#"{"id":"S0","hostname":"a1","port":5052}"#).unwrap();
        assert_eq!(a.address().as_deref(), Some("a1:5052"));
        let a: Agent = serde_json::from_str(r#"{"id":"S0","hostname":"a1"}"#).unwrap();
        assert_eq!(a.address().as_deref(), Some("a1:5051"));
        assert_eq!(Agent::default().address(), None);
    }

    #[test]
    fn counts_and_times_accept_ints_and_floats() {
        let s: MasterState = serde_json::from_str(
            r#"{"activated_slaves":3,"deactivated_slaves":1.0,"start_time":1700000000,
                "elected_time":1700000001.456,"build_time":1609840800.0}"#,
        )
        .unwrap();
        assert_eq!(s.activated_slaves, 3.0);
        assert_eq!(s.deactivated_slaves, 1.0);
        assert_eq!(s.start_time, 1700000000.0);
        assert_eq!(s.elected_time, Some(1700000001.456));
        assert_eq!(s.unreachable_slaves, 0.0);
    }

    #[test]
    fn slaves_and_agents_spellings() {
        let a: MasterState =
            serde_json::from_str(r#"{"slaves":[{"id":"S0"}],"recovered_slaves":[{"id":"S9"}]}"#)
                .unwrap();
        let b: MasterState =
            serde_json::from_str(r#"{"agents":[{"id":"S0"}],"recovered_agents":[{"id":"S9"}]}"#)
                .unwrap();
        assert_eq!(a.slaves, b.slaves);
        assert_eq!(b.agent("S9").map(|a| a.id.as_str()), Some("S9"));
        let t: Task = serde_json::from_str(r#"{"id":"t","agent_id":"S0"}"#).unwrap();
        assert_eq!(t.slave_id, "S0");
        let s: SlavesResponse =
            serde_json::from_str(r#"{"agents":[{"id":"S0","reserved_resources_full":{"r":[]}}]}"#)
                .unwrap();
        assert_eq!(s.slaves.len(), 1);
        assert!(s.slaves[0].reserved_resources_full.is_some());
        let ss: StateSummary =
            serde_json::from_str(r#"{"agents":[{"id":"S0","TASK_RUNNING":2}]}"#).unwrap();
        assert_eq!(ss.slaves[0].counts.running, 2);
    }

    #[test]
    fn role_xor_roles() {
        let f: Framework = serde_json::from_str(r#"{"id":"f","role":"web"}"#).unwrap();
        assert_eq!(f.roles(), vec!["web"]);
        let f: Framework =
            serde_json::from_str(r#"{"id":"f","roles":["a","b/c"],"capabilities":["MULTI_ROLE"]}"#)
                .unwrap();
        assert_eq!(f.roles(), vec!["a", "b/c"]);
        assert_eq!(f.role, None);
        let f: Framework = serde_json::from_str(r#"{"id":"f"}"#).unwrap();
        assert!(f.roles().is_empty());
    }

    #[test]
    fn missing_fields_default() {
        // metronome in master-state-1.5 has no `tasks` and no `executors`.
        let f: Framework =
            serde_json::from_str(r#"{"id":"f","name":"metronome","failover_timeout":604800000}"#)
                .unwrap();
        assert!(f.tasks.is_empty() && f.executors.is_empty());
        assert_eq!(f.failover_timeout, 604800000.0);
        assert_eq!(f.connected, None);
        let s: MasterState = serde_json::from_str("{}").unwrap();
        assert_eq!(s.all_tasks().count(), 0);
        assert!(!s.is_leader());
    }

    #[test]
    fn executor_with_v1_ids_and_resource_list() {
        // Shape of frameworks[].executors[] in the real master-state-0.27.
        let e: Executor = serde_json::from_str(
            r#"{"executor_id":{"value":"e1"},"framework_id":{"value":"F-1"},
                "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.5},"role":"r"}],
                "name":"e1","slave_id":"S5"}"#,
        )
        .unwrap();
        assert_eq!(e.executor_id, "e1");
        assert_eq!(e.framework_id, "F-1");
        assert_eq!(e.resources.cpus, 0.5);
    }

    #[test]
    fn all_tasks_covers_every_list() {
        let s: MasterState = serde_json::from_str(
            r#"{"frameworks":[{"id":"f1","tasks":[{"id":"a"}],"unreachable_tasks":[{"id":"b"}],"completed_tasks":[{"id":"c"}]}],
                "completed_frameworks":[{"id":"f0","completed_tasks":[{"id":"d"}]}],
                "orphan_tasks":[{"id":"e"}],
                "unregistered_frameworks":["f9"]}"#,
        )
        .unwrap();
        let ids: Vec<&str> = s.all_tasks().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, vec!["a", "b", "c", "d", "e"]);
        assert_eq!(s.framework("f0").map(|f| f.completed_tasks.len()), Some(1));
    }

    #[test]
    fn summary_counts() {
        let c: TaskCounts = serde_json::from_str(
            r#"{"TASK_RUNNING":6616,"TASK_FINISHED":6.0,"TASK_UNREACHABLE":85}"#,
        )
        .unwrap();
        assert_eq!(c.get(&TaskState::Running), 6616);
        assert_eq!(c.finished, 6);
        assert_eq!(c.total(), 6707);
        assert_eq!(c.active(), 6616);
    }

    #[test]
    fn tasks_and_frameworks_responses() {
        let t: TasksResponse = serde_json::from_str(
            r#"{"tasks":[{"id":"a","state":"TASK_FINISHED","statuses":[]},{"id":"b","state":"TASK_RUNNING"}]}"#,
        )
        .unwrap();
        assert_eq!(t.tasks.len(), 2);
        assert!(t.tasks[0].state.is_terminal());
        let f: FrameworksResponse = serde_json::from_str(
            r#"{"frameworks":[{"id":"f1","roles":["x"],"tasks":[{"id":"a"}]}],
                "completed_frameworks":[],"unregistered_frameworks":[]}"#,
        )
        .unwrap();
        assert_eq!(f.frameworks[0].roles(), vec!["x"]);
        assert_eq!(f.frameworks[0].all_tasks().count(), 1);
        let empty: FrameworksResponse = serde_json::from_str("{}").unwrap();
        assert!(empty.frameworks.is_empty());
    }
}
