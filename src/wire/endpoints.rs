//! Smaller v0 bodies of the master: `/master/flags`, `/master/roles`, and
//! the v0 CommandInfo of `frameworks[].executors[]`.

use super::de;
use super::resources::ResourceSummary;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// `/master/flags` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FlagsResponse {
    #[serde(default, deserialize_with = "de::string_map")]
    pub flags: BTreeMap<String, String>,
}

/// v0 CommandInfo: `shell` only if set, `argv` and `uris` always.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommandInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shell: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default)]
    pub argv: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Value>,
    #[serde(default)]
    pub uris: Vec<CommandUri>,
}

/// v0 CommandInfo.URI.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommandUri {
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub executable: bool,
}

/// `quota` of a `/master/roles` entry (guarantee and limit empty when the
/// role has no quota).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleQuota {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub guarantee: BTreeMap<String, f64>,
    #[serde(default)]
    pub limit: BTreeMap<String, f64>,
    #[serde(default)]
    pub consumed: ResourceSummary,
}

/// A `/master/roles` entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Role {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub weight: f64,
    #[serde(default)]
    pub frameworks: Vec<String>,
    #[serde(default)]
    pub resources: ResourceSummary,
    #[serde(default)]
    pub allocated: ResourceSummary,
    #[serde(default)]
    pub offered: ResourceSummary,
    #[serde(default)]
    pub reserved: ResourceSummary,
    #[serde(default)]
    pub quota: RoleQuota,
}

/// `/master/roles` body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RolesResponse {
    #[serde(default)]
    pub roles: Vec<Role>,
}
