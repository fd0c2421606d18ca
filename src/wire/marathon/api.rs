//! The other `/v2` bodies: groups, `/v2/info`, `/v2/leader`, `/v2/queue`,
//! the list wrappers and error bodies.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::app::{AppView, DeploymentRef};
use super::path::PathId;
use super::task::MarathonTask;
use crate::wire::de;

/// A group (`/v2/groups`): apps and subgroups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub id: PathId,
    #[serde(default, deserialize_with = "de::vec")]
    pub dependencies: Vec<PathId>,
    #[serde(default, deserialize_with = "de::string")]
    pub version: String,
    #[serde(default, deserialize_with = "de::vec")]
    pub apps: Vec<AppView>,
    #[serde(default, deserialize_with = "de::vec")]
    pub groups: Vec<Group>,
    /// Pods are not supported; always empty on output, kept as sent on input.
    #[serde(default, deserialize_with = "de::vec")]
    pub pods: Vec<Value>,
}

/// `{"apps": [...]}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AppList {
    #[serde(default, deserialize_with = "de::vec")]
    pub apps: Vec<AppView>,
}

/// `{"app": {...}}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AppOne {
    pub app: AppView,
}

/// `{"tasks": [...]}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TaskList {
    #[serde(default, deserialize_with = "de::vec")]
    pub tasks: Vec<MarathonTask>,
}

/// `{"task": {...}}` (one killed task).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TaskOne {
    pub task: MarathonTask,
}

/// `{"versions": [...]}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VersionList {
    #[serde(default, deserialize_with = "de::vec")]
    pub versions: Vec<String>,
}

/// The body of `POST /v2/tasks/delete`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TaskIds {
    #[serde(default, deserialize_with = "de::vec")]
    pub ids: Vec<String>,
}

/// `GET /v2/leader`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeaderInfo {
    pub leader: String,
}

/// Every error body: `message`, optional validation `details`, and for a
/// locked app the blocking `deployments`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<ErrorDetail>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployments: Option<Vec<DeploymentRef>>,
}

impl ErrorBody {
    pub fn new(message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            message: message.into(),
            details: None,
            deployments: None,
        }
    }
}

/// One failed validation: the JSON path (`/upgradeStrategy/minimumHealthCapacity`,
/// `/apps(0)/id`) and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub path: String,
    pub errors: Vec<String>,
}

/// An entry of `GET /v2/queue`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueEntry {
    pub app: AppView,
    pub count: u32,
    pub delay: QueueDelay,
    pub since: String,
    pub processed_offers_summary: OffersSummary,
    /// Only with `embed=lastUnusedOffers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_unused_offers: Option<Vec<super::stats::UnusedOfferView>>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueDelay {
    pub time_left_seconds: u64,
    pub overdue: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OffersSummary {
    pub processed_offers_count: u64,
    pub unused_offers_count: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_unused_offer_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_offer_at: Option<String>,
    #[serde(default)]
    pub reject_summary_last_offers: Vec<RejectReason>,
    #[serde(default)]
    pub reject_summary_launch_attempt: Vec<RejectReason>,
}

/// `{reason, declined, processed}`; reasons as Marathon names them
/// (`InsufficientCpus`, `UnfulfilledConstraint`, ...).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RejectReason {
    pub reason: String,
    pub declined: u64,
    pub processed: u64,
}

/// `GET /v2/queue`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Queue {
    #[serde(default, deserialize_with = "de::vec")]
    pub queue: Vec<QueueEntry>,
}

/// `GET /v2/info` (1.5 keys only: marathon-python rejects any other).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Info {
    pub name: String,
    pub version: String,
    pub buildref: String,
    pub elected: bool,
    pub leader: Option<String>,
    pub framework_id: Option<String>,
    #[serde(rename = "marathon_config")]
    pub marathon_config: MarathonConfig,
    #[serde(rename = "zookeeper_config")]
    pub zookeeper_config: ZookeeperConfig,
    #[serde(rename = "http_config")]
    pub http_config: HttpConfig,
}

/// `marathon_config` of `/v2/info`: durations in milliseconds except
/// `failover_timeout` (seconds).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MarathonConfig {
    pub access_control_allow_origin: Option<String>,
    pub checkpoint: bool,
    pub decline_offer_duration: u64,
    pub default_network_name: Option<String>,
    pub env_vars_prefix: Option<String>,
    pub executor: String,
    pub failover_timeout: u64,
    pub features: Vec<String>,
    pub framework_name: String,
    pub ha: bool,
    pub hostname: String,
    pub launch_token: u64,
    pub launch_token_refresh_interval: u64,
    pub leader_proxy_connection_timeout_ms: u64,
    pub leader_proxy_read_timeout_ms: u64,
    pub local_port_max: u32,
    pub local_port_min: u32,
    pub master: String,
    pub max_instances_per_offer: u64,
    pub mesos_bridge_name: String,
    pub mesos_heartbeat_failure_threshold: u64,
    pub mesos_heartbeat_interval: u64,
    pub mesos_leader_ui_url: Option<String>,
    pub mesos_role: Option<String>,
    pub mesos_user: Option<String>,
    pub min_revive_offers_interval: u64,
    pub offer_matching_timeout: u64,
    pub on_elected_prepare_timeout: u64,
    pub reconciliation_initial_delay: u64,
    pub reconciliation_interval: u64,
    pub revive_offers_for_new_apps: bool,
    pub revive_offers_repetitions: u64,
    pub scale_apps_initial_delay: u64,
    pub scale_apps_interval: u64,
    pub store_cache: bool,
    pub task_launch_confirm_timeout: u64,
    pub task_launch_timeout: u64,
    pub task_lost_expunge_initial_delay: u64,
    pub task_lost_expunge_interval: u64,
    pub task_reservation_timeout: u64,
    pub webui_url: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ZookeeperConfig {
    pub zk: Option<String>,
    pub zk_compression: bool,
    pub zk_compression_threshold: u64,
    pub zk_connection_timeout: u64,
    pub zk_max_node_size: u64,
    pub zk_max_versions: u64,
    pub zk_session_timeout: u64,
    pub zk_timeout: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HttpConfig {
    pub http_port: Option<u16>,
    pub https_port: Option<u16>,
}
