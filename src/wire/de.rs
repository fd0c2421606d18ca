//! Lenient field deserializers shared by the wire models.
//!
//! Real Mesos (and things that imitate it) write the same field in several
//! ways across versions: `1` vs `1.0`, `"x"` vs `{"value":"x"}` (v0 vs v1
//! ids), `["CAP"]` vs `[{"type":"CAP"}]`, omitted vs `null`. These helpers
//! accept all of them. Use with `#[serde(default, deserialize_with = "...")]`.

use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::collections::BTreeMap;

/// Interpret a JSON value as a number: numbers, numeric strings and the
/// stout spellings `"Infinity"` / `"-Infinity"`.
pub fn number_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => match s.trim() {
            "Infinity" | "inf" => Some(f64::INFINITY),
            "-Infinity" | "-inf" => Some(f64::NEG_INFINITY),
            t => t.parse().ok(),
        },
        _ => None,
    }
}

/// Interpret a JSON value as a string: strings, numbers, booleans and v1
/// wrapper objects `{"value": ...}`. `null` gives `None`.
pub fn string_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(m) => m.get("value").and_then(string_of),
        _ => None,
    }
}

fn expected<E: Error>(what: &str, got: &Value) -> E {
    let mut s = got.to_string();
    if s.len() > 80 {
        let mut cut = 80;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push_str("...");
    }
    E::custom(format!("expected {what}, got {s}"))
}

/// `f64` from a number or numeric string; `null` -> 0.0.
pub fn f64<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = Value::deserialize(d)?;
    if v.is_null() {
        return Ok(0.0);
    }
    number_of(&v).ok_or_else(|| expected("a number", &v))
}

/// `Option<f64>` from a number or numeric string; `null` -> `None`.
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let v = Value::deserialize(d)?;
    if v.is_null() {
        return Ok(None);
    }
    number_of(&v)
        .map(Some)
        .ok_or_else(|| expected("a number", &v))
}

fn to_u64<E: Error>(v: &Value) -> Result<u64, E> {
    if let Some(u) = v.as_u64() {
        return Ok(u);
    }
    match number_of(v) {
        Some(f) if f.is_finite() && f >= 0.0 => Ok(f as u64),
        _ => Err(expected("a non-negative integer", v)),
    }
}

/// `u64` from an integer, a float such as `3.0`, or a numeric string;
/// `null` -> 0.
pub fn u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let v = Value::deserialize(d)?;
    if v.is_null() {
        return Ok(0);
    }
    to_u64(&v)
}

/// `u64` that must be a whole number: an integer, an integral float
/// (`3.0`) or an integer string; `1.5`, negatives and `null` are refused
/// (range bounds).
pub fn whole_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let v = Value::deserialize(d)?;
    let n = match &v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && (0.0..u64::MAX as f64).contains(f))
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    n.ok_or_else(|| expected("a non-negative integer", &v))
}

/// `Option<u64>`, lenient as [`u64`]; `null` -> `None`.
pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let v = Value::deserialize(d)?;
    if v.is_null() {
        return Ok(None);
    }
    to_u64(&v).map(Some)
}

/// `Option<u16>` (ports), lenient as [`u64`].
pub fn opt_u16<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    let v = Value::deserialize(d)?;
    if v.is_null() {
        return Ok(None);
    }
    let n = to_u64::<D::Error>(&v)?;
    u16::try_from(n)
        .map(Some)
        .map_err(|_| expected("a port number", &v))
}

/// `bool` from a boolean or `"true"`/`"false"`; `null` -> false.
pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(opt_bool(d)?.unwrap_or(false))
}

/// `Option<bool>` from a boolean or `"true"`/`"false"`.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let v = Value::deserialize(d)?;
    match &v {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        Value::String(s) if s == "true" => Ok(Some(true)),
        Value::String(s) if s == "false" => Ok(Some(false)),
        _ => Err(expected("a boolean", &v)),
    }
}

/// `String` from a string, number, bool or v1 id object `{"value":..}`;
/// `null` -> "".
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(opt_string(d)?.unwrap_or_default())
}

/// `Option<String>`, lenient as [`string`].
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Value::deserialize(d)?;
    if v.is_null() {
        return Ok(None);
    }
    string_of(&v)
        .map(Some)
        .ok_or_else(|| expected("a string or {\"value\": ..}", &v))
}

/// `Vec<T>`; `null` -> empty, and a lone non-array value becomes one element
/// (stout does the same for repeated fields).
pub fn vec<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
    let v = Value::deserialize(d)?;
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .into_iter()
            .map(|i| serde_json::from_value(i).map_err(D::Error::custom))
            .collect(),
        other => serde_json::from_value(other)
            .map(|one| vec![one])
            .map_err(D::Error::custom),
    }
}

/// `Vec<String>` of names from `["A","B"]` (v0) or `[{"type":"A"}]` (v1
/// capabilities); `null` -> empty.
pub fn names<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = Value::deserialize(d)?;
    let items = match v {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items,
        other => vec![other],
    };
    items
        .iter()
        .map(|i| match i {
            Value::Object(m) => m
                .get("type")
                .or_else(|| m.get("name"))
                .or_else(|| m.get("value"))
                .and_then(string_of)
                .ok_or_else(|| expected("a name", i)),
            other => string_of(other).ok_or_else(|| expected("a name", i)),
        })
        .collect()
}

/// A `{name: string}` map (flags); non-string values are stringified,
/// `null` -> empty. Also accepts the v1 `[{"name":..,"value":..}]` list.
pub fn string_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    let v = Value::deserialize(d)?;
    let mut out = BTreeMap::new();
    match v {
        Value::Null => {}
        Value::Object(m) => {
            for (k, v) in m {
                out.insert(k, string_of(&v).unwrap_or_else(|| v.to_string()));
            }
        }
        Value::Array(items) => {
            for i in items {
                let name = i.get("name").and_then(string_of);
                let value = i.get("value").and_then(string_of).unwrap_or_default();
                match name {
                    Some(n) => {
                        out.insert(n, value);
                    }
                    None => return Err(expected("{\"name\",\"value\"}", &i)),
                }
            }
        }
        other => return Err(expected("an object", &other)),
    }
    Ok(out)
}

/// A JSON object as a map; `null` -> empty.
pub fn map<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<BTreeMap<String, T>, D::Error> {
    let v = Value::deserialize(d)?;
    match v {
        Value::Null => Ok(BTreeMap::new()),
        Value::Object(m) => m
            .into_iter()
            .map(|(k, v)| {
                serde_json::from_value(v)
                    .map(|t| (k, t))
                    .map_err(D::Error::custom)
            })
            .collect(),
        other => Err(expected("an object", &other)),
    }
}

/// A time in seconds from a double (v0) or a v1 `TimeInfo`
/// `{"nanoseconds": N}`.
pub fn opt_seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let v = Value::deserialize(d)?;
    match &v {
        Value::Null => Ok(None),
        Value::Object(m) => match m.get("nanoseconds").and_then(number_of) {
            Some(ns) => Ok(Some(ns / 1e9)),
            None => Err(expected("{\"nanoseconds\": N}", &v)),
        },
        other => number_of(other)
            .map(Some)
            .ok_or_else(|| expected("a number of seconds", &v)),
    }
}

/// Like [`opt_seconds`] with `null`/absent -> 0.0.
pub fn seconds<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(opt_seconds(d)?.unwrap_or(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Default)]
    struct T {
        #[serde(default, deserialize_with = "f64")]
        f: f64,
        #[serde(default, deserialize_with = "opt_u64")]
        u: Option<u64>,
        #[serde(default, deserialize_with = "string")]
        s: String,
        #[serde(default, deserialize_with = "names")]
        n: Vec<String>,
        #[serde(default, deserialize_with = "vec")]
        v: Vec<u32>,
        #[serde(default, deserialize_with = "opt_seconds")]
        t: Option<f64>,
        #[serde(default, deserialize_with = "bool")]
        b: bool,
    }

    fn p(j: &str) -> T {
        serde_json::from_str(j).unwrap()
    }

    #[test]
    fn numbers_are_lenient() {
        assert_eq!(p(r#"{"f":1}"#).f, 1.0);
        assert_eq!(p(r#"{"f":1.5}"#).f, 1.5);
        assert_eq!(p(r#"{"f":"2.5"}"#).f, 2.5);
        assert_eq!(p(r#"{"f":null}"#).f, 0.0);
        assert!(p(r#"{"f":"Infinity"}"#).f.is_infinite());
        assert_eq!(p(r#"{"u":3.0}"#).u, Some(3));
        assert_eq!(p(r#"{"u":"7"}"#).u, Some(7));
        assert!(serde_json::from_str::<T>(r#"{"f":"abc"}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"u":-1}"#).is_err());
    }

    #[test]
    fn strings_ids_and_names() {
        assert_eq!(p(r#"{"s":"x"}"#).s, "x");
        assert_eq!(p(r#"{"s":{"value":"x"}}"#).s, "x");
        assert_eq!(p(r#"{"s":null}"#).s, "");
        assert_eq!(p(r#"{"n":["A",{"type":"B"}]}"#).n, vec!["A", "B"]);
        assert_eq!(p(r#"{"v":null}"#).v, Vec::<u32>::new());
        assert_eq!(p(r#"{"v":5}"#).v, vec![5]);
        assert!(p(r#"{"b":"true"}"#).b);
    }

    #[test]
    fn seconds_from_double_or_timeinfo() {
        assert_eq!(p(r#"{"t":1500000000.5}"#).t, Some(1500000000.5));
        let t = p(r#"{"t":{"nanoseconds":1520884809204943872}}"#).t.unwrap();
        assert!((t - 1520884809.205).abs() < 1e-3);
        assert_eq!(p(r#"{}"#).t, None);
    }
}
