//! `/metrics/snapshot` (also the legacy `/stats.json`) and `/version`.

use super::de;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A flat `{"name": number}` metrics snapshot. Values that are not numbers
/// (never seen from Mesos) are dropped rather than failing the whole parse.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Metrics(pub BTreeMap<String, f64>);

impl Metrics {
    pub fn get(&self, name: &str) -> Option<f64> {
        self.0.get(name).copied()
    }

    /// `master/elected == 1`.
    pub fn is_elected(&self) -> bool {
        self.get("master/elected") == Some(1.0)
    }

    /// All metrics whose name starts with `prefix`.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, f64)> + 'a {
        self.0
            .range(prefix.to_string()..)
            .take_while(move |(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.as_str(), *v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de> Deserialize<'de> for Metrics {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match Value::deserialize(d)? {
            Value::Null => Ok(Metrics::default()),
            Value::Object(m) => Ok(Metrics(
                m.into_iter()
                    .filter_map(|(k, v)| de::number_of(&v).map(|n| (k, n)))
                    .collect(),
            )),
            // v1 GET_METRICS: [{"name":..,"value":..}]
            Value::Array(items) => Ok(Metrics(
                items
                    .iter()
                    .filter_map(|i| {
                        let name = i.get("name").and_then(de::string_of)?;
                        let value = i.get("value").and_then(de::number_of).unwrap_or(0.0);
                        Some((name, value))
                    })
                    .collect(),
            )),
            other => Err(D::Error::custom(format!(
                "expected a metrics object, got {other}"
            ))),
        }
    }
}

/// `/version` (and v1 `GET_VERSION.version_info`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Version {
    #[serde(default, deserialize_with = "de::string")]
    pub version: String,
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_ints_floats_and_junk() {
        let m: Metrics = serde_json::from_str(
            r#"{"master/elected":1,"master/uptime_secs":12.5,"odd":"x","master/cpus_total":"4"}"#,
        )
        .unwrap();
        assert!(m.is_elected());
        assert_eq!(m.get("master/uptime_secs"), Some(12.5));
        assert_eq!(m.get("master/cpus_total"), Some(4.0));
        assert_eq!(m.get("odd"), None);
        assert_eq!(m.with_prefix("master/").count(), 3);
        let v1: Metrics =
            serde_json::from_str(r#"[{"name":"master/elected","value":1.0}]"#).unwrap();
        assert!(v1.is_elected());
    }

    #[test]
    fn version_minimal() {
        let v: Version =
            serde_json::from_str(r#"{"version":"1.11.0","build_date":"2021-01-05 10:00:00","build_time":1609840800,"build_user":"b"}"#)
                .unwrap();
        assert_eq!(v.version, "1.11.0");
        assert_eq!(v.build_time, Some(1609840800.0));
        assert_eq!(v.git_sha, None);
    }
}
