//! Node and task metrics for the CLI (`mesos node metrics`, `mesos task
//! metrics`, `mesos metrics`, `mesos top`), from whichever source the
//! cluster has (see docs/metrics.md):
//!
//! * [`Source::Dcos`]: the DC/OS metrics API through the DC/OS prefix
//!   (`/system/v1/agent/{id}/metrics/v0/…`);
//! * [`Source::Bundled`]: the bundled agent's own metrics API (the same
//!   paths and envelope, served by `mesos agent`);
//! * [`Source::Derived`]: a plain Apache Mesos agent: `/metrics/snapshot`
//!   (slave/* and system/*), `/monitor/statistics` and `/state`, with what
//!   cannot be known listed in `unknown`, never invented.
//!
//! Everything is rendered from the same [`NodeMetrics`] / [`TaskMetrics`]
//! (the DC/OS envelope), so the three sources look alike.

use serde::Serialize;

use crate::wire::dcos_metrics::MetricsMessage;

/// Where metrics came from (shown with `-v`, and in JSON as `source`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Dcos,
    Bundled,
    Derived,
}

/// An agent, as the commands name it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentRef {
    pub id: String,
    pub hostname: String,
    /// The agent's base URL (`http://host:5051`).
    pub url: String,
}

/// One agent's node metrics.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeMetrics {
    pub agent: AgentRef,
    pub source: Source,
    /// `None`: the source had no data yet (dcos-metrics' 204).
    pub message: Option<MetricsMessage>,
    /// DC/OS metric names this source cannot know (derived source).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<String>,
}

/// The summary row of `node metrics summary` (dcoscli's columns plus
/// tasks). `None` = not known from this source.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeSummary {
    pub agent_id: String,
    pub hostname: String,
    pub source: Source,
    pub cpu_percent: Option<f64>,
    pub load_1min: Option<f64>,
    pub mem_used_bytes: Option<u64>,
    pub mem_total_bytes: Option<u64>,
    /// The filesystem mounted at `/`.
    pub disk_used_bytes: Option<u64>,
    pub disk_total_bytes: Option<u64>,
    pub tasks: Option<u64>,
}

/// One task's container (and app) metrics.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskMetrics {
    pub task_id: String,
    pub task_name: String,
    pub agent: AgentRef,
    pub container_id: Option<String>,
    pub source: Source,
    pub container: Option<MetricsMessage>,
    pub app: Option<MetricsMessage>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<String>,
}

/// The summary of `task metrics summary` (dcoscli's fields).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskSummary {
    pub task_id: String,
    pub cpus_user_time_secs: Option<f64>,
    pub cpus_system_time_secs: Option<f64>,
    pub cpus_throttled_time_secs: Option<f64>,
    pub cpus_limit: Option<f64>,
    pub mem_total_bytes: Option<u64>,
    pub mem_limit_bytes: Option<u64>,
    pub disk_used_bytes: Option<u64>,
    pub disk_limit_bytes: Option<u64>,
}

pub mod collect;
pub mod history;
pub mod render;
pub mod source;
pub mod summary;

pub use collect::{Collector, Target};
pub use history::{sparkline, History};
