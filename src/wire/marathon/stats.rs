//! Read-only statistics Marathon 1.5 adds on request: an app's
//! `taskStats` (`embed=apps.taskStats`) and the offer statistics of a
//! `/v2/queue` entry (`lastUnusedOffers` with `embed=lastUnusedOffers`).

use serde::{Deserialize, Serialize};

use crate::wire::de;

/// `taskStats`: one bucket per selection of the app's tasks; a bucket
/// without tasks is left out (an app without tasks has `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskStatsByVersion {
    /// Tasks staged after `versionInfo.lastScalingAt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_after_last_scaling: Option<TaskStatsBucket>,
    /// Tasks of the current configuration (`lastConfigChangeAt` or later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_latest_config: Option<TaskStatsBucket>,
    /// Tasks of an older configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_outdated_config: Option<TaskStatsBucket>,
    /// All tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_summary: Option<TaskStatsBucket>,
}

/// `{"stats": {...}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskStatsBucket {
    pub stats: TaskStats,
}

/// Counts, and the life time of the tasks that have started (left out
/// when none has).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskStats {
    pub counts: TaskCounts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_time: Option<TaskLifeTime>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskCounts {
    pub staged: u32,
    pub running: u32,
    pub healthy: u32,
    pub unhealthy: u32,
}

/// Seconds since the tasks started.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskLifeTime {
    pub average_seconds: f64,
    pub median_seconds: f64,
}

/// An entry of `lastUnusedOffers` (`GET /v2/queue?embed=lastUnusedOffers`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnusedOfferView {
    pub offer: OfferView,
    /// Why the offer did not fit (Marathon's reason names).
    #[serde(default, deserialize_with = "de::vec")]
    pub reason: Vec<String>,
    pub timestamp: String,
}

/// An offer as the queue shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferView {
    pub id: String,
    pub agent_id: String,
    pub hostname: String,
    #[serde(default, deserialize_with = "de::vec")]
    pub resources: Vec<OfferResource>,
    #[serde(default, deserialize_with = "de::vec")]
    pub attributes: Vec<OfferAttribute>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferResource {
    pub name: String,
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scalar: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranges: Option<Vec<NumberRange>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferAttribute {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scalar: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranges: Option<Vec<NumberRange>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumberRange {
    pub begin: u64,
    pub end: u64,
}
