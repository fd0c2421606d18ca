//! The DC/OS metrics API v0 (dcos-metrics): the `MetricsMessage` envelope
//! `{"datapoints":[…],"dimensions":{…}}` served at `/system/v1/metrics/v0/
//! {node,containers/{id},containers/{id}/app}` (and through a master at
//! `/system/v1/agent/{agent_id}/metrics/v0/…`), and `/ping`. Written by the
//! bundled agent, read by `mesos node metrics`, `mesos task metrics` and
//! `mesos top` (see docs/metrics.md).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Units as dcos-metrics writes them.
pub mod unit {
    pub const COUNT: &str = "count";
    pub const BYTES: &str = "bytes";
    pub const PERCENT: &str = "percent";
    pub const SECONDS: &str = "seconds";
}

/// One message: datapoints plus the dimensions of the node/container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricsMessage {
    #[serde(default)]
    pub datapoints: Vec<Datapoint>,
    #[serde(default)]
    pub dimensions: Dimensions,
}

impl MetricsMessage {
    /// The first datapoint with this name (and, when given, this tag value).
    pub fn get(&self, name: &str, tag: Option<(&str, &str)>) -> Option<&Datapoint> {
        self.datapoints.iter().find(|d| {
            d.name == name && tag.is_none_or(|(k, v)| d.tags.get(k).map(String::as_str) == Some(v))
        })
    }

    /// The numeric value of [`Self::get`].
    pub fn value(&self, name: &str, tag: Option<(&str, &str)>) -> Option<f64> {
        self.get(name, tag).and_then(|d| d.value.number())
    }
}

/// One datapoint. `tags` is omitted when empty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Datapoint {
    pub name: String,
    pub value: Value,
    #[serde(default)]
    pub unit: String,
    /// RFC 3339 UTC (nanoseconds for node and container points).
    #[serde(default)]
    pub timestamp: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// A datapoint value: a JSON number, or the string `"NaN"` that
/// dcos-metrics sends for NaN app metrics.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Number(f64),
    NaN,
}

impl Value {
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(n),
            Value::NaN => None,
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            // Whole numbers as integers, as Go's encoder prints uint64 counters.
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => s.serialize_i64(*n as i64),
            Value::Number(n) if n.is_finite() => s.serialize_f64(*n),
            _ => s.serialize_str("NaN"),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            N(f64),
            S(String),
        }
        match Raw::deserialize(d)? {
            Raw::N(n) => Ok(Value::Number(n)),
            Raw::S(s) if s == "NaN" => Ok(Value::NaN),
            Raw::S(s) => s.parse::<f64>().map(Value::Number).map_err(|_| {
                serde::de::Error::custom(format!("datapoint value '{s}' is not a number"))
            }),
        }
    }
}

/// Dimensions: `mesos_id` and `hostname` always present (maybe `""`), the
/// rest omitted when empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dimensions {
    #[serde(default)]
    pub mesos_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cluster_id: String,
    /// The node's IP (DC/OS ip-detect), not a DNS name.
    #[serde(default)]
    pub hostname: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub container_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub executor_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub framework_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub framework_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub framework_role: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub framework_principal: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub task_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub task_name: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// dcos-metrics' container datapoints of one `ResourceStatistics` (the
/// agent's `/containers` / `/monitor/statistics` entry), each field that is
/// present under its DC/OS name and unit, every point with `tags`. Used by
/// the bundled agent (writing `/containers/{id}`) and by the CLI (deriving
/// a message from a plain Mesos agent's `/monitor/statistics`).
pub fn container_points(
    s: &crate::wire::ResourceStatistics,
    timestamp: &str,
    tags: &[(&str, &str)],
) -> Vec<Datapoint> {
    use unit::{BYTES, COUNT, SECONDS};
    let n = |v: Option<u64>| v.map(|x| x as f64);
    let fields: [(&str, Option<f64>, &str); 25] = [
        ("processes", n(s.processes), COUNT),
        ("threads", n(s.threads), COUNT),
        ("cpus.user.time", s.cpus_user_time_secs, SECONDS),
        ("cpus.system.time", s.cpus_system_time_secs, SECONDS),
        ("cpus.limit", s.cpus_limit, COUNT),
        ("cpus.nr.periods", n(s.cpus_nr_periods), COUNT),
        ("cpus.nr.throttled", n(s.cpus_nr_throttled), COUNT),
        ("cpus.throttled.time", s.cpus_throttled_time_secs, SECONDS),
        ("mem.total", n(s.mem_total_bytes), BYTES),
        ("mem.total.memsw", n(s.mem_total_memsw_bytes), BYTES),
        ("mem.limit", n(s.mem_limit_bytes), BYTES),
        ("mem.soft.limit", n(s.mem_soft_limit_bytes), BYTES),
        ("mem.rss", n(s.mem_rss_bytes), BYTES),
        ("mem.cache", n(s.mem_cache_bytes), BYTES),
        ("mem.mapped.file", n(s.mem_mapped_file_bytes), BYTES),
        ("disk.limit", n(s.disk_limit_bytes), BYTES),
        ("disk.used", n(s.disk_used_bytes), BYTES),
        ("net.rx.packets", n(s.net_rx_packets), COUNT),
        ("net.rx.bytes", n(s.net_rx_bytes), BYTES),
        ("net.rx.errors", n(s.net_rx_errors), COUNT),
        ("net.rx.dropped", n(s.net_rx_dropped), COUNT),
        ("net.tx.packets", n(s.net_tx_packets), COUNT),
        ("net.tx.bytes", n(s.net_tx_bytes), BYTES),
        ("net.tx.errors", n(s.net_tx_errors), COUNT),
        ("net.tx.dropped", n(s.net_tx_dropped), COUNT),
    ];
    fields
        .into_iter()
        .filter_map(|(name, v, u)| {
            v.map(|v| Datapoint {
                name: name.to_string(),
                value: Value::Number(v),
                unit: u.to_string(),
                timestamp: timestamp.to_string(),
                tags: tags
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            })
        })
        .collect()
}

/// `GET …/v0/ping`: `{"ok":true,"timestamp":"2017-11-14T18:32:44Z"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ping {
    pub ok: bool,
    pub timestamp: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_node_sample_round_trips() {
        let text = r#"{"datapoints":[
   {"name":"filesystem.inode.free","value":38436612,"unit":"count","timestamp":"2017-11-14T18:32:44.488816719Z","tags":{"path":"/"}},
   {"name":"memory.cached","value":1885151232,"unit":"bytes","timestamp":"2017-11-14T18:32:44.489104374Z"},
   {"name":"cpu.system","value":0.09,"unit":"percent","timestamp":"2017-11-14T18:32:44.488494518Z"},
   {"name":"app.thing","value":"NaN","unit":"","timestamp":"2017-11-14T18:32:44Z"}],
 "dimensions":{"mesos_id":"41932554-feb2-43b3-b5b8-1f61aaa308c1-S1","cluster_id":"411bea44-f30a-42f7-be22-b4426dce0163","hostname":"10.0.1.22"}}"#;
        let m: MetricsMessage = serde_json::from_str(text).unwrap();
        assert_eq!(
            m.value("filesystem.inode.free", Some(("path", "/"))),
            Some(38436612.0)
        );
        assert_eq!(
            m.value("filesystem.inode.free", Some(("path", "/boot"))),
            None
        );
        assert_eq!(m.value("cpu.system", None), Some(0.09));
        assert_eq!(m.get("app.thing", None).unwrap().value, Value::NaN);
        let back: serde_json::Value = serde_json::to_value(&m).unwrap();
        let orig: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(back, orig);
    }
}
