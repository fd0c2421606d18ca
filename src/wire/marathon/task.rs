//! Marathon's task JSON (`/v2/tasks`, `/v2/apps/{id}/tasks`, embedded
//! `apps.tasks`), health check results and the last task failure.

use serde::{Deserialize, Serialize};

use super::path::PathId;
use crate::wire::de;

/// A task as Marathon 1.5 writes it. `startedAt` is `null` until the task
/// runs; `servicePorts` is written when the app has service ports and
/// `healthCheckResults` when it has health checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarathonTask {
    pub id: String,
    pub app_id: PathId,
    #[serde(default, deserialize_with = "de::string")]
    pub host: String,
    #[serde(default, deserialize_with = "de::string")]
    pub slave_id: String,
    #[serde(default, deserialize_with = "de::string")]
    pub state: String,
    #[serde(default, deserialize_with = "de::vec")]
    pub ports: Vec<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_ports: Option<Vec<u32>>,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub staged_at: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub started_at: Option<String>,
    #[serde(default, deserialize_with = "de::string")]
    pub version: String,
    #[serde(default, deserialize_with = "de::vec")]
    pub ip_addresses: Vec<IpAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_results: Option<Vec<HealthCheckResult>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IpAddress {
    pub ip_address: String,
    #[serde(default = "d_ipv4")]
    pub protocol: String,
}

fn d_ipv4() -> String {
    "IPv4".into()
}

impl IpAddress {
    /// An address as Marathon shows it, with its protocol (`IPv4`/`IPv6`).
    pub fn of(ip: &str) -> IpAddress {
        IpAddress {
            ip_address: ip.to_string(),
            protocol: if ip.contains(':') { "IPv6" } else { "IPv4" }.into(),
        }
    }
}

/// One health check's state for one task (1.4+: `instanceId`; ≤1.3 wrote
/// `taskId`, which is read too).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheckResult {
    pub alive: bool,
    #[serde(default)]
    pub consecutive_failures: u64,
    #[serde(default)]
    pub first_success: Option<String>,
    #[serde(default)]
    pub last_failure: Option<String>,
    #[serde(default)]
    pub last_success: Option<String>,
    #[serde(default)]
    pub last_failure_cause: Option<String>,
    #[serde(alias = "taskId")]
    pub instance_id: String,
}

/// `lastTaskFailure` of an app.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LastTaskFailure {
    pub app_id: PathId,
    #[serde(default)]
    pub host: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub state: String,
    pub task_id: String,
    #[serde(default)]
    pub timestamp: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub slave_id: String,
}
