//! Agent v0 endpoints: `/slave(1)/state` and `/monitor/statistics`
//! (also `/containers`, `/slave(1)/flags`, `/containerizer/debug`),
//! docs/wire-notes.md#agent-endpoints. The CLI parses these models and the
//! bundled agent serializes them: one definition for both.

use super::agent_v1::ContainerStatus;
use super::de;
use super::resources::{Attributes, Labels, ReservedResources, ResourceSummary};
use super::task::Task;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Top level of `/slave(1)/state` (`/state`, `/state.json`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentState {
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
    #[serde(default, deserialize_with = "de::f64")]
    pub start_time: f64,
    /// Agent id; `""` before the first registration.
    #[serde(default, deserialize_with = "de::string")]
    pub id: String,
    /// `slave(1)@ip:port`.
    #[serde(default, deserialize_with = "de::string")]
    pub pid: String,
    #[serde(default, deserialize_with = "de::string")]
    pub hostname: String,
    #[serde(default, deserialize_with = "de::names")]
    pub capabilities: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drain_config: Option<Value>,
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_drain_start_time_seconds: Option<f64>,
    #[serde(default)]
    pub resources: ResourceSummary,
    #[serde(default, deserialize_with = "de::map")]
    pub reserved_resources: ReservedResources,
    #[serde(default)]
    pub unreserved_resources: ResourceSummary,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_resources_full: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreserved_resources_full: Option<Value>,
    #[serde(default, deserialize_with = "de::map")]
    pub reserved_resources_allocated: ReservedResources,
    #[serde(default)]
    pub unreserved_resources_allocated: ResourceSummary,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_providers: Option<Value>,
    #[serde(default, deserialize_with = "de::map")]
    pub attributes: Attributes,
    /// Reverse lookup of the current master.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub master_hostname: Option<String>,
    /// 0.2x only.
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
    #[serde(default, deserialize_with = "de::string_map")]
    pub flags: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "de::vec")]
    pub frameworks: Vec<AgentFramework>,
    #[serde(default, deserialize_with = "de::vec")]
    pub completed_frameworks: Vec<AgentFramework>,
}

impl AgentState {
    /// Every executor with its framework: `executors` then
    /// `completed_executors` of `frameworks` then `completed_frameworks`.
    pub fn all_executors(&self) -> impl Iterator<Item = (&AgentFramework, &AgentExecutor)> + '_ {
        self.frameworks
            .iter()
            .chain(self.completed_frameworks.iter())
            .flat_map(|f| {
                f.executors
                    .iter()
                    .chain(f.completed_executors.iter())
                    .map(move |e| (f, e))
            })
    }

    /// The executor `executor_id` of framework `framework_id` (live ones are
    /// preferred over completed runs). This is step 3 of finding a task's
    /// sandbox: its `directory`.
    pub fn find_executor(&self, framework_id: &str, executor_id: &str) -> Option<&AgentExecutor> {
        self.all_executors()
            .find(|(f, e)| f.id == framework_id && e.id == executor_id)
            .map(|(_, e)| e)
    }

    /// The executor that runs (or ran) task `task_id`, searching tasks,
    /// queued and completed tasks of every executor.
    pub fn find_task_executor(&self, task_id: &str) -> Option<(&AgentFramework, &AgentExecutor)> {
        self.all_executors()
            .find(|(_, e)| e.all_tasks().any(|t| t.id == task_id))
    }
}

/// A framework on an agent (`frameworks[]`, `completed_frameworks[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentFramework {
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
    #[serde(default, deserialize_with = "de::string")]
    pub hostname: String,
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
    pub role: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub roles: Vec<String>,
    #[serde(default, deserialize_with = "de::names")]
    pub capabilities: Vec<String>,
    #[serde(default, deserialize_with = "de::vec")]
    pub executors: Vec<AgentExecutor>,
    #[serde(default, deserialize_with = "de::vec")]
    pub completed_executors: Vec<AgentExecutor>,
}

impl AgentFramework {
    /// `roles` (MULTI_ROLE) or `[role]`.
    pub fn roles(&self) -> Vec<&str> {
        if !self.roles.is_empty() {
            self.roles.iter().map(String::as_str).collect()
        } else {
            self.role.as_deref().into_iter().collect()
        }
    }
}

/// An executor on an agent, with its sandbox `directory`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentExecutor {
    /// Executor id (= task id for command tasks).
    #[serde(default, alias = "executor_id", deserialize_with = "de::string")]
    pub id: String,
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// Deprecated; the task id for command executors, may be `""`.
    #[serde(default, deserialize_with = "de::string")]
    pub source: String,
    /// Container id (UUID) of the executor's container.
    #[serde(default, deserialize_with = "de::string")]
    pub container: String,
    /// Absolute host path of the sandbox.
    #[serde(default, deserialize_with = "de::string")]
    pub directory: String,
    /// Executor + its tasks.
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
    /// Launched, non-terminal.
    #[serde(default, deserialize_with = "de::vec")]
    pub tasks: Vec<Task>,
    /// Received but not given to the executor yet (no `state`/`statuses`).
    #[serde(default, deserialize_with = "de::vec")]
    pub queued_tasks: Vec<Task>,
    /// Terminal tasks.
    #[serde(default, deserialize_with = "de::vec")]
    pub completed_tasks: Vec<Task>,
}

impl AgentExecutor {
    /// `tasks`, `queued_tasks`, `completed_tasks`.
    pub fn all_tasks(&self) -> impl Iterator<Item = &Task> + '_ {
        self.tasks
            .iter()
            .chain(self.queued_tasks.iter())
            .chain(self.completed_tasks.iter())
    }
}

/// One entry of `/monitor/statistics` (and of `/containers`, which adds
/// `container_id` and `status`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MonitorEntry {
    #[serde(default, deserialize_with = "de::string")]
    pub framework_id: String,
    #[serde(default, deserialize_with = "de::string")]
    pub executor_id: String,
    #[serde(default, deserialize_with = "de::string")]
    pub executor_name: String,
    #[serde(default, deserialize_with = "de::string")]
    pub source: String,
    /// `/containers` only.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub container_id: Option<String>,
    /// `/containers` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ContainerStatus>,
    #[serde(default)]
    pub statistics: ResourceStatistics,
}

/// `ResourceStatistics` (generic protobuf JSON). Every field is optional
/// except `timestamp`; fields this model does not name (perf, blkio, net
/// traffic control, ...) are kept in `other`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourceStatistics {
    #[serde(default, deserialize_with = "de::f64")]
    pub timestamp: f64,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub processes: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub threads: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub cpus_user_time_secs: Option<f64>,
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub cpus_system_time_secs: Option<f64>,
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub cpus_limit: Option<f64>,
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub cpus_soft_limit: Option<f64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub cpus_nr_periods: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub cpus_nr_throttled: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub cpus_throttled_time_secs: Option<f64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub mem_total_bytes: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub mem_total_memsw_bytes: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub mem_rss_bytes: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub mem_limit_bytes: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub mem_soft_limit_bytes: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub mem_file_bytes: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub mem_anon_bytes: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub mem_cache_bytes: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub mem_mapped_file_bytes: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub mem_swap_bytes: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub mem_unevictable_bytes: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub disk_limit_bytes: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub disk_used_bytes: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub net_rx_packets: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub net_rx_bytes: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub net_rx_errors: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub net_rx_dropped: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub net_tx_packets: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub net_tx_bytes: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub net_tx_errors: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub net_tx_dropped: Option<u64>,
    /// Any other statistic, verbatim.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

impl ResourceStatistics {
    /// User + system CPU seconds (None if neither is reported).
    pub fn cpu_time_secs(&self) -> Option<f64> {
        match (self.cpus_user_time_secs, self.cpus_system_time_secs) {
            (None, None) => None,
            (u, s) => Some(u.unwrap_or(0.0) + s.unwrap_or(0.0)),
        }
    }
}

/// `/slave(1)/flags`: `{"flags": {"name": "value", ..}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentFlags {
    #[serde(default, deserialize_with = "de::string_map")]
    pub flags: BTreeMap<String, String>,
}

/// `/slave(1)/containerizer/debug`: containerizer operations in progress.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContainerizerDebug {
    #[serde(default, deserialize_with = "de::vec")]
    pub pending: Vec<Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_executor_and_directory() {
        let s: AgentState = serde_json::from_str(
            r#"{"id":"S0","pid":"slave(1)@10.0.0.21:5051",
                "frameworks":[{"id":"F","role":"*","executors":[{"id":"hello","directory":"/d/run1",
                  "tasks":[{"id":"hello","executor_id":"","state":"TASK_RUNNING"}],
                  "queued_tasks":[{"id":"q1","name":"q"}]}]}],
                "completed_frameworks":[{"id":"G","completed_executors":[{"id":"old","directory":"/d/old",
                  "completed_tasks":[{"id":"done","state":"TASK_FINISHED"}]}]}]}"#,
        )
        .unwrap();
        assert_eq!(
            s.find_executor("F", "hello").map(|e| e.directory.as_str()),
            Some("/d/run1")
        );
        assert_eq!(
            s.find_executor("G", "old").map(|e| e.directory.as_str()),
            Some("/d/old")
        );
        assert!(s.find_executor("F", "old").is_none());
        assert_eq!(
            s.find_task_executor("done").map(|(f, _)| f.id.as_str()),
            Some("G")
        );
        assert_eq!(
            s.find_task_executor("q1").map(|(_, e)| e.id.as_str()),
            Some("hello")
        );
        assert_eq!(s.all_executors().count(), 2);
        assert_eq!(s.frameworks[0].roles(), vec!["*"]);
    }

    #[test]
    fn statistics_optional_fields_and_extras() {
        let e: MonitorEntry = serde_json::from_str(
            r#"{"framework_id":"F","executor_id":"e","statistics":{"timestamp":1700000200.5,
                "cpus_user_time_secs":0.42,"mem_rss_bytes":3145728.0,"perf":{"cycles":1}}}"#,
        )
        .unwrap();
        assert_eq!(e.statistics.mem_rss_bytes, Some(3145728));
        assert_eq!(e.statistics.mem_limit_bytes, None);
        assert_eq!(e.statistics.cpu_time_secs(), Some(0.42));
        assert!(e.statistics.other.contains_key("perf"));
    }
}
