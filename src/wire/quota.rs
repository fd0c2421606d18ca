//! Quota and weights (`mesos.quota`, `WeightInfo`): what `/master/quota`,
//! `/master/weights` and the v1 quota/weights calls take and answer
//! (docs/wire-notes.md#quota-and-weights).

use super::de;
use super::resources::{Resource, Scalar};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Quota v2: guarantees and limits per resource name (`{"cpus":{"value":1}}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuotaConfig {
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub guarantees: BTreeMap<String, Scalar>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub limits: BTreeMap<String, Scalar>,
}

impl QuotaConfig {
    /// Guarantees as a plain `{name: value}` map (v0 `/master/roles`).
    pub fn guarantee_quantities(&self) -> BTreeMap<String, f64> {
        self.guarantees
            .iter()
            .map(|(k, v)| (k.clone(), v.value))
            .collect()
    }

    /// Limits as a plain `{name: value}` map (v0 `/master/roles`).
    pub fn limit_quantities(&self) -> BTreeMap<String, f64> {
        self.limits
            .iter()
            .map(|(k, v)| (k.clone(), v.value))
            .collect()
    }
}

/// Legacy quota: a role's guarantee as scalar resources (also its limit).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuotaInfo {
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guarantee: Vec<Resource>,
}

/// `POST /master/quota` body and SET_QUOTA's `quota_request`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuotaRequest {
    #[serde(default, deserialize_with = "de::bool")]
    pub force: bool,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default, deserialize_with = "de::vec")]
    pub guarantee: Vec<Resource>,
}

/// `GET /master/quota` and GET_QUOTA's `status` (`{}` without quotas).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuotaStatus {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub infos: Vec<QuotaInfo>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub configs: Vec<QuotaConfig>,
}

/// A role's weight (`/master/weights`, GET/UPDATE_WEIGHTS).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WeightInfo {
    #[serde(default, deserialize_with = "de::f64")]
    pub weight: f64,
    #[serde(default)]
    pub role: Option<String>,
}
