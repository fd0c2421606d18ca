//! v1 `FrameworkInfo`: what a scheduler SUBSCRIBEs (or UPDATE_FRAMEWORKs)
//! with, what the master stores, lists and hands to agents.
//!
//! Typed down to the fields the master reads; everything else (labels,
//! offer_filters, domain, fields of newer Mesos versions) is kept in
//! `other` so the info goes on as the framework sent it. Absent fields stay
//! absent when written.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::agent_v1::{Extra, Id};
use super::de;
use super::resources::Label;

/// `FrameworkInfo.Capability`: `{"type": NAME}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrameworkCapability {
    #[serde(rename = "type", default, deserialize_with = "de::string")]
    pub kind: String,
    #[serde(flatten)]
    pub other: Extra,
}

impl FrameworkCapability {
    pub fn new(kind: &str) -> FrameworkCapability {
        FrameworkCapability {
            kind: kind.to_string(),
            other: Extra::new(),
        }
    }
}

/// The v1 `Labels` message `{"labels": [..]}` of `labels`, as
/// [`FrameworkInfo::labels`] holds it.
pub fn labels_message(labels: Vec<Label>) -> Value {
    #[derive(Serialize)]
    struct LabelList {
        labels: Vec<Label>,
    }
    serde_json::to_value(LabelList { labels }).expect("labels serialize")
}

/// A v1 `FrameworkInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrameworkInfo {
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub user: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub failover_timeout: Option<f64>,
    #[serde(
        default,
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub checkpoint: Option<bool>,
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
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub hostname: Option<String>,
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
    pub webui_url: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub capabilities: Vec<FrameworkCapability>,
    /// `{"labels": [..]}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_constraints: Option<Value>,
    /// Fields this build does not model (labels, offer_filters, ...), as sent.
    #[serde(flatten)]
    pub other: Extra,
}

impl FrameworkInfo {
    /// `id.value`, when there is an id.
    pub fn id(&self) -> Option<&str> {
        self.id.as_ref().map(|i| i.value.as_str())
    }

    /// Capability type names, e.g. `MULTI_ROLE`.
    pub fn capability_names(&self) -> Vec<String> {
        self.capabilities.iter().map(|c| c.kind.clone()).collect()
    }

    pub fn has_capability(&self, name: &str) -> bool {
        self.capabilities.iter().any(|c| c.kind == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_with_unknown_fields_and_omissions() {
        let sent = json!({"user": "u", "name": "n", "id": {"value": "F1"},
            "failover_timeout": 10.5, "checkpoint": true, "roles": ["a", "b"],
            "capabilities": [{"type": "MULTI_ROLE"}, {"type": "PARTITION_AWARE"}],
            "principal": "p", "webui_url": "http://x",
            "labels": {"labels": [{"key": "k", "value": "v"}]},
            "offer_filters": {"a": {"min_allocatable_resources": {}}}});
        let info: FrameworkInfo = serde_json::from_value(sent.clone()).unwrap();
        assert_eq!(info.id(), Some("F1"));
        assert!(info.has_capability("MULTI_ROLE"));
        assert_eq!(info.roles, vec!["a", "b"]);
        let back: Value = serde_json::to_value(&info).unwrap();
        assert_eq!(back, sent);
        // Nothing is added that the framework did not send.
        let minimal = json!({"user": "u", "name": "n"});
        let info: FrameworkInfo = serde_json::from_value(minimal.clone()).unwrap();
        assert_eq!(serde_json::to_value(&info).unwrap(), minimal);
    }

    #[test]
    fn reads_leniently() {
        let info: FrameworkInfo = serde_json::from_value(
            json!({"user": "u", "name": "n", "capabilities": {"type": "MULTI_ROLE"},
                "roles": "web", "failover_timeout": "5"}),
        )
        .unwrap();
        assert_eq!(info.capability_names(), vec!["MULTI_ROLE"]);
        assert_eq!(info.roles, vec!["web"]);
        assert_eq!(info.failover_timeout, Some(5.0));
    }
}
