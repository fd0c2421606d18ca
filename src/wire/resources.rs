//! Resources, labels and attributes as Mesos writes them.
//!
//! * v0 endpoints write a *resource summary object*
//!   `{"cpus":1.0,"mem":128.0,"disk":0.0,"gpus":0.0,"ports":"[31000-32000]"}`
//!   ([`ResourceSummary`]).
//! * v1 responses (and, surprisingly, the master's 0.27 `executors[]`) write a
//!   list of protobuf `Resource` objects ([`Resource`]). [`ResourceSummary`]
//!   accepts that list too and sums it into the summary form.

use super::de;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// `attributes` of an agent: `{name: value}`, value a number (scalar) or a
/// string (text, `"[1-10]"` ranges, `"{a, b}"` sets).
pub type Attributes = BTreeMap<String, Value>;

/// Render one attribute value for display (`2.0` -> `2`, strings verbatim).
pub fn attribute_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(_) => de::number_of(v).map(format_number).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// Format a resource quantity the way Mesos users expect: integers without a
/// fraction, others with up to 3 decimals (Mesos' fixed-point granularity).
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A resource summary object (`resources`, `used_resources`, ... of v0
/// endpoints). `cpus`/`mem`/`disk`/`gpus` are 0.0 when absent (0.2x masters
/// omit `gpus`); `ports` is the ranges string; any other named resource
/// (`<name>_revocable`, custom scalars, sets) lands in `other`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ResourceSummary {
    pub cpus: f64,
    pub mem: f64,
    pub disk: f64,
    pub gpus: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ports: Option<String>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

impl ResourceSummary {
    /// True when every scalar is zero and there are no ports/others.
    pub fn is_empty(&self) -> bool {
        self.cpus == 0.0
            && self.mem == 0.0
            && self.disk == 0.0
            && self.gpus == 0.0
            && self
                .ports
                .as_deref()
                .is_none_or(|p| p.is_empty() || p == "[]")
            && self.other.values().all(|v| v.as_f64() == Some(0.0))
    }

    /// A scalar resource by name (`cpus`, `mem`, ... or one in `other`).
    pub fn scalar(&self, name: &str) -> Option<f64> {
        match name {
            "cpus" => Some(self.cpus),
            "mem" => Some(self.mem),
            "disk" => Some(self.disk),
            "gpus" => Some(self.gpus),
            _ => self.other.get(name).and_then(de::number_of),
        }
    }

    /// Sum a v1 `Resource` list into the summary form (as Mesos' own
    /// `model(Resources)` does: scalars added up, ranges/sets rendered as
    /// strings, revocable ones under `<name>_revocable`).
    pub fn from_resources(list: &[Resource]) -> Self {
        let mut scalars: BTreeMap<String, f64> = BTreeMap::new();
        let mut ranges: BTreeMap<String, Vec<(u64, u64)>> = BTreeMap::new();
        let mut sets: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in list {
            let name = if r.revocable.is_some() {
                format!("{}_revocable", r.name)
            } else {
                r.name.clone()
            };
            if let Some(s) = &r.scalar {
                *scalars.entry(name).or_default() += s.value;
            } else if let Some(rs) = &r.ranges {
                ranges
                    .entry(name)
                    .or_default()
                    .extend(rs.range.iter().map(|x| (x.begin, x.end)));
            } else if let Some(set) = &r.set {
                sets.entry(name)
                    .or_default()
                    .extend(set.item.iter().cloned());
            }
        }
        let mut out = ResourceSummary::default();
        for (name, v) in scalars {
            // Mesos scalars are fixed point with 3 decimals.
            let v = (v * 1000.0).round() / 1000.0;
            match name.as_str() {
                "cpus" => out.cpus = v,
                "mem" => out.mem = v,
                "disk" => out.disk = v,
                "gpus" => out.gpus = v,
                _ => {
                    out.other.insert(name, Value::from(v));
                }
            }
        }
        for (name, mut rs) in ranges {
            rs.sort_unstable();
            let s = format!(
                "[{}]",
                rs.iter()
                    .map(|(b, e)| format!("{b}-{e}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if name == "ports" {
                out.ports = Some(s);
            } else {
                out.other.insert(name, Value::String(s));
            }
        }
        for (name, items) in sets {
            out.other
                .insert(name, Value::String(format!("{{{}}}", items.join(", "))));
        }
        out
    }

    fn from_object(m: serde_json::Map<String, Value>) -> Result<Self, String> {
        let mut out = ResourceSummary::default();
        for (k, v) in m {
            let num = |v: &Value| {
                if v.is_null() {
                    Ok(0.0)
                } else {
                    de::number_of(v)
                        .ok_or_else(|| format!("resource {k}: expected a number, got {v}"))
                }
            };
            match k.as_str() {
                "cpus" => out.cpus = num(&v)?,
                "mem" => out.mem = num(&v)?,
                "disk" => out.disk = num(&v)?,
                "gpus" => out.gpus = num(&v)?,
                "ports" => {
                    out.ports = match v {
                        Value::Null => None,
                        Value::String(s) => Some(s),
                        other => Some(other.to_string()),
                    }
                }
                _ => {
                    out.other.insert(k, v);
                }
            }
        }
        Ok(out)
    }
}

impl<'de> Deserialize<'de> for ResourceSummary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match Value::deserialize(d)? {
            Value::Null => Ok(Self::default()),
            Value::Object(m) => Self::from_object(m).map_err(D::Error::custom),
            Value::Array(items) => {
                let list: Vec<Resource> = items
                    .into_iter()
                    .map(serde_json::from_value)
                    .collect::<Result<_, _>>()
                    .map_err(D::Error::custom)?;
                Ok(Self::from_resources(&list))
            }
            other => Err(D::Error::custom(format!(
                "expected a resource summary object or a Resource list, got {other}"
            ))),
        }
    }
}

/// `{role: summary}` maps (`reserved_resources`).
pub type ReservedResources = BTreeMap<String, ResourceSummary>;

/// One v1 protobuf `Resource` (docs/wire-notes.md#resource-json), "endpoint" format.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// `SCALAR`, `RANGES`, `SET` (or `TEXT`).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scalar: Option<Scalar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranges: Option<Ranges>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<Set>,
    /// Legacy role (`"*"` when unreserved in endpoint format).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation: Option<Value>,
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub reservations: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_info: Option<AllocationInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocable: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<Value>,
}

impl Resource {
    /// The role the resource is reserved for: last `reservations[].role`,
    /// else legacy `role`; `"*"` when unreserved.
    pub fn reservation_role(&self) -> String {
        self.reservations
            .last()
            .and_then(|r| r.get("role"))
            .and_then(de::string_of)
            .or_else(|| self.role.clone())
            .unwrap_or_else(|| "*".to_string())
    }
}

/// `Resource.AllocationInfo` / `Offer.allocation_info`: `{"role": ..}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AllocationInfo {
    #[serde(default, deserialize_with = "de::string")]
    pub role: String,
}

impl AllocationInfo {
    pub fn new(role: &str) -> Self {
        AllocationInfo {
            role: role.to_string(),
        }
    }
}

/// `Resource.ReservationInfo` as the bundled master writes it (static
/// reservations: `{"type":"STATIC","role":..}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReservationInfo {
    #[serde(
        rename = "type",
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<String>,
}

/// `Value.Text`: `{"value": ..}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Text {
    #[serde(default, deserialize_with = "de::string")]
    pub value: String,
}

/// A v1 `Attribute` (`AgentInfo.attributes[]`): `name`, `type` and one of
/// `scalar`, `ranges`, `set`, `text`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scalar: Option<Scalar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranges: Option<Ranges>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<Set>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Text>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scalar {
    #[serde(default, deserialize_with = "de::f64")]
    pub value: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ranges {
    #[serde(default, deserialize_with = "de::vec")]
    pub range: Vec<Range>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Range {
    #[serde(deserialize_with = "de::whole_u64")]
    pub begin: u64,
    #[serde(deserialize_with = "de::whole_u64")]
    pub end: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Set {
    #[serde(default, deserialize_with = "de::vec")]
    pub item: Vec<String>,
}

/// One label. Mesos' `Label.value` is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Label {
    #[serde(default, deserialize_with = "de::string")]
    pub key: String,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
}

/// Labels: a v0 array `[{key,value}]` or a v1 `{"labels":[..]}`; serialized
/// as the v0 array.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Labels(pub Vec<Label>);

impl Labels {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, Label> {
        self.0.iter()
    }
    /// The value of the first label with this key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|l| l.key == key)
            .map(|l| l.value.as_deref().unwrap_or(""))
    }
}

impl<'de> Deserialize<'de> for Labels {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let v = Value::deserialize(d)?;
        let list = match v {
            Value::Null => return Ok(Labels::default()),
            Value::Object(mut m) => match m.remove("labels") {
                Some(inner) => inner,
                None if m.is_empty() => return Ok(Labels::default()),
                None => Value::Array(vec![Value::Object(m)]),
            },
            other => other,
        };
        match list {
            Value::Null => Ok(Labels::default()),
            Value::Array(items) => items
                .into_iter()
                .map(serde_json::from_value)
                .collect::<Result<Vec<Label>, _>>()
                .map(Labels)
                .map_err(D::Error::custom),
            other => Err(D::Error::custom(format!(
                "expected a label list, got {other}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_accepts_ints_floats_and_missing_gpus() {
        let r: ResourceSummary =
            serde_json::from_str(r#"{"cpus":4,"mem":128.0,"disk":0,"ports":"[31000-32000]"}"#)
                .unwrap();
        assert_eq!(r.cpus, 4.0);
        assert_eq!(r.mem, 128.0);
        assert_eq!(r.gpus, 0.0);
        assert_eq!(r.ports.as_deref(), Some("[31000-32000]"));
        assert!(r.other.is_empty());
    }

    #[test]
    fn summary_keeps_other_named_resources() {
        let r: ResourceSummary = serde_json::from_str(
            r#"{"cpus":1.0,"gpus":0.0,"mem":1.0,"disk":0.0,"cpus_revocable":2.5,"disks":"{a, b}"}"#,
        )
        .unwrap();
        assert_eq!(r.scalar("cpus_revocable"), Some(2.5));
        assert_eq!(r.other["disks"], "{a, b}");
        // Serialization keeps the flat summary shape.
        let back = serde_json::to_value(&r).unwrap();
        assert_eq!(back["cpus_revocable"], 2.5);
        assert_eq!(back["cpus"], 1.0);
        assert!(back.get("ports").is_none());
    }

    #[test]
    fn summary_from_v1_resource_list() {
        let r: ResourceSummary = serde_json::from_str(
            r#"[{"name":"cpus","type":"SCALAR","scalar":{"value":0.5},"role":"r"},
                {"name":"cpus","type":"SCALAR","scalar":{"value":0.1}},
                {"name":"mem","type":"SCALAR","scalar":{"value":768.0}},
                {"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31005,"end":31006},{"begin":31000,"end":31000}]}},
                {"name":"cpus","type":"SCALAR","scalar":{"value":2},"revocable":{}},
                {"name":"disks","type":"SET","set":{"item":["sda","sdb"]}}]"#,
        )
        .unwrap();
        assert_eq!(r.cpus, 0.6);
        assert_eq!(r.mem, 768.0);
        assert_eq!(r.ports.as_deref(), Some("[31000-31000, 31005-31006]"));
        assert_eq!(r.scalar("cpus_revocable"), Some(2.0));
        assert_eq!(r.other["disks"], "{sda, sdb}");
    }

    #[test]
    fn summary_null_is_empty() {
        let r: ResourceSummary = serde_json::from_str("null").unwrap();
        assert!(r.is_empty());
        assert!(serde_json::from_str::<ResourceSummary>("3").is_err());
    }

    #[test]
    fn labels_v0_array_and_v1_object() {
        let a: Labels = serde_json::from_str(r#"[{"key":"a","value":"1"},{"key":"b"}]"#).unwrap();
        assert_eq!(a.get("a"), Some("1"));
        assert_eq!(a.get("b"), Some(""));
        let b: Labels = serde_json::from_str(r#"{"labels":[{"key":"a","value":"1"}]}"#).unwrap();
        assert_eq!(a.0[0], b.0[0]);
        let c: Labels = serde_json::from_str(r#"{}"#).unwrap();
        assert!(c.is_empty());
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"[{"key":"a","value":"1"}]"#
        );
    }

    #[test]
    fn resource_reservation_role() {
        let r: Resource = serde_json::from_str(
            r#"{"name":"cpus","scalar":{"value":1},"role":"a","reservations":[{"type":"STATIC","role":"a"},{"type":"DYNAMIC","role":"a/b"}]}"#,
        )
        .unwrap();
        assert_eq!(r.reservation_role(), "a/b");
        let r: Resource = serde_json::from_str(r#"{"name":"cpus","scalar":{"value":1}}"#).unwrap();
        assert_eq!(r.reservation_role(), "*");
    }

    #[test]
    fn formats_numbers() {
        assert_eq!(format_number(2.0), "2");
        assert_eq!(format_number(0.1), "0.1");
        assert_eq!(format_number(8.39999999999847), "8.4");
        assert_eq!(attribute_string(&serde_json::json!(29160)), "29160");
        assert_eq!(attribute_string(&serde_json::json!("r1")), "r1");
    }
}
