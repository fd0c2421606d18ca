//! Mesos resources and attributes: the text syntax of `--resources` /
//! `--attributes` (docs/wire-notes.md#resources-and-attributes), the v1 JSON
//! form, the v0 summary object, and the arithmetic an allocator needs (add,
//! subtract, contains) with Mesos' 0.001 fixed-point scalars.

use std::collections::BTreeSet;
use std::fmt;

use serde_json::{Map, Value as Json};

use crate::wire::resources as wire;

/// The value of a resource or attribute.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(f64),
    /// Inclusive, sorted, non-overlapping `[begin, end]` pairs.
    Ranges(Vec<(u64, u64)>),
    Set(BTreeSet<String>),
    Text(String),
}

/// One named resource with its (static) role; `*` is unreserved.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub name: String,
    pub role: String,
    pub value: Value,
}

/// A normalized bag of resources: one entry per (name, role).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resources {
    items: Vec<Resource>,
}

/// Largest scalar accepted from text or JSON. Mesos keeps scalars as
/// thousandths in an `int64`, so anything near 9.2e15 cannot be represented;
/// larger values would also overflow the rounding below to infinity.
pub const MAX_SCALAR: f64 = 1e15;

/// A scalar as given by a user or a client: finite, `0 <= v <= MAX_SCALAR`.
fn checked_scalar(v: f64, what: &str) -> Result<f64, String> {
    if v.is_finite() && (0.0..=MAX_SCALAR).contains(&v) {
        Ok(round3(v))
    } else {
        Err(format!(
            "{what} must be a finite, non-negative number of at most {MAX_SCALAR:e}"
        ))
    }
}

/// `a == b` for the short names and roles of resources, compared inline
/// (the master sums every task's resources per agent and framework on each
/// state render; a `memcmp` call per comparison was a tenth of it).
#[inline]
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len()
        && if a.len() <= 16 {
            a.iter().zip(b).all(|(x, y)| x == y)
        } else {
            a == b
        }
}

/// Add `b` to the value of the same (name, role) entry: scalars summed,
/// ranges and sets joined; another kind replaces it.
fn merge(slot: &mut Value, b: &Value) {
    match (slot, b) {
        (Value::Scalar(a), Value::Scalar(b)) => *a = round3(*a + b),
        (Value::Ranges(a), Value::Ranges(b)) => {
            let mut v = std::mem::take(a);
            v.extend_from_slice(b);
            *a = normalize_ranges(v);
        }
        (Value::Set(a), Value::Set(b)) => a.extend(b.iter().cloned()),
        (slot, other) => *slot = other.clone(),
    }
}

/// Round to Mesos' fixed-point precision (three decimals).
pub fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

fn normalize_ranges(mut r: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    r.retain(|(b, e)| b <= e);
    r.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::with_capacity(r.len());
    for (b, e) in r {
        match out.last_mut() {
            Some(last) if b <= last.1.saturating_add(1) => last.1 = last.1.max(e),
            _ => out.push((b, e)),
        }
    }
    out
}

fn subtract_ranges(a: &[(u64, u64)], b: &[(u64, u64)]) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    for &(mut lo, hi) in a {
        let mut alive = true;
        for &(bl, bh) in b {
            if !alive || bh < lo || bl > hi {
                continue;
            }
            if bl > lo {
                out.push((lo, bl - 1));
            }
            if bh >= hi {
                alive = false;
            } else {
                lo = bh + 1;
            }
        }
        if alive {
            out.push((lo, hi));
        }
    }
    normalize_ranges(out)
}

fn ranges_contain(outer: &[(u64, u64)], inner: &[(u64, u64)]) -> bool {
    inner
        .iter()
        .all(|&(b, e)| outer.iter().any(|&(ob, oe)| ob <= b && e <= oe))
}

/// `[31000-32000, 33000-33010]`
pub fn format_ranges(r: &[(u64, u64)]) -> String {
    let parts: Vec<String> = r.iter().map(|(b, e)| format!("{b}-{e}")).collect();
    format!("[{}]", parts.join(", "))
}

fn format_set(s: &BTreeSet<String>) -> String {
    format!("{{{}}}", s.iter().cloned().collect::<Vec<_>>().join(", "))
}

fn format_scalar(v: f64) -> String {
    let v = round3(v);
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

impl Value {
    /// The `type` and value fields of a v1 `Resource`/`Attribute`.
    fn fill_wire(
        &self,
        kind: &mut Option<String>,
        scalar: &mut Option<wire::Scalar>,
        ranges: &mut Option<wire::Ranges>,
        set: &mut Option<wire::Set>,
    ) -> Option<wire::Text> {
        match self {
            Value::Scalar(v) => {
                *kind = Some("SCALAR".into());
                *scalar = Some(wire::Scalar { value: round3(*v) });
            }
            Value::Ranges(x) => {
                *kind = Some("RANGES".into());
                *ranges = Some(wire::Ranges {
                    range: x
                        .iter()
                        .map(|(b, e)| wire::Range { begin: *b, end: *e })
                        .collect(),
                });
            }
            Value::Set(x) => {
                *kind = Some("SET".into());
                *set = Some(wire::Set {
                    item: x.iter().cloned().collect(),
                });
            }
            Value::Text(t) => {
                *kind = Some("TEXT".into());
                return Some(wire::Text { value: t.clone() });
            }
        }
        None
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Scalar(v) => f.write_str(&format_scalar(*v)),
            Value::Ranges(r) => f.write_str(&format_ranges(r)),
            Value::Set(s) => f.write_str(&format_set(s)),
            Value::Text(t) => f.write_str(t),
        }
    }
}

/// Parse a value in text syntax: number, `[a-b,c-d]`, `{x,y}`; with
/// `allow_text` anything else is TEXT.
pub fn parse_value(raw: &str, allow_set: bool, allow_text: bool) -> Result<Value, String> {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if s.starts_with('[') {
        let inner = s
            .strip_prefix('[')
            .and_then(|x| x.strip_suffix(']'))
            .ok_or_else(|| format!("'{raw}' is missing the closing ']'"))?;
        let mut ranges = Vec::new();
        for part in inner.split(',').filter(|p| !p.is_empty()) {
            let (b, e) = part
                .split_once('-')
                .ok_or_else(|| format!("range '{part}' in '{raw}' is not BEGIN-END"))?;
            let b: u64 = b
                .parse()
                .map_err(|_| format!("range '{part}' in '{raw}' has a bad begin '{b}'"))?;
            let e: u64 = e
                .parse()
                .map_err(|_| format!("range '{part}' in '{raw}' has a bad end '{e}'"))?;
            if b > e {
                return Err(format!("range '{part}' in '{raw}' ends before it begins"));
            }
            ranges.push((b, e));
        }
        return Ok(Value::Ranges(normalize_ranges(ranges)));
    }
    if s.starts_with('{') {
        if !allow_set {
            return Err(format!("sets like '{raw}' are not allowed here"));
        }
        let inner = s
            .strip_prefix('{')
            .and_then(|x| x.strip_suffix('}'))
            .ok_or_else(|| format!("'{raw}' is missing the closing '}}'"))?;
        let items: BTreeSet<String> = inner
            .split(',')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        return Ok(Value::Set(items));
    }
    match s.parse::<f64>() {
        Ok(v) => checked_scalar(v, &format!("'{raw}'")).map(Value::Scalar),
        Err(_) if allow_text && !raw.trim().is_empty() => Ok(Value::Text(raw.trim().to_string())),
        Err(_) => Err(format!(
            "'{raw}' is not a number, a range list [a-b] or a set {{a,b}}"
        )),
    }
}

impl Resources {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Resource> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.iter().all(|r| match &r.value {
            Value::Scalar(v) => round3(*v) <= 0.0,
            Value::Ranges(x) => x.is_empty(),
            Value::Set(x) => x.is_empty(),
            Value::Text(_) => false,
        })
    }

    /// The index of the (name, role) entry of `r`, trying `hint` first:
    /// bags summed in a loop mostly list the same names in the same order.
    fn position_of(&self, r: &Resource, hint: usize) -> Option<usize> {
        let is = |e: &Resource| same(&e.name, &r.name) && same(&e.role, &r.role);
        match self.items.get(hint) {
            Some(e) if is(e) => Some(hint),
            _ => self.items.iter().position(is),
        }
    }

    /// Add one resource, merging with an existing (name, role) entry.
    pub fn push(&mut self, r: Resource) {
        match self.position_of(&r, 0) {
            Some(i) => merge(&mut self.items[i].value, &r.value),
            None => self.items.push(r),
        }
    }

    /// Sum of two bags: merged in place where the entry exists (sums of
    /// many tasks' resources clone nothing), cloned only where new.
    pub fn add(&mut self, other: &Resources) {
        for (i, r) in other.items.iter().enumerate() {
            match self.position_of(r, i) {
                Some(at) => merge(&mut self.items[at].value, &r.value),
                None => self.items.push(r.clone()),
            }
        }
    }

    /// Remove `other` (saturating); entries that become empty are dropped.
    pub fn subtract(&mut self, other: &Resources) {
        for o in &other.items {
            if let Some(e) = self
                .items
                .iter_mut()
                .find(|e| e.name == o.name && e.role == o.role)
            {
                match (&mut e.value, &o.value) {
                    (Value::Scalar(a), Value::Scalar(b)) => *a = round3((*a - b).max(0.0)),
                    (Value::Ranges(a), Value::Ranges(b)) => *a = subtract_ranges(a, b),
                    (Value::Set(a), Value::Set(b)) => a.retain(|x| !b.contains(x)),
                    _ => {}
                }
            }
        }
        self.items.retain(|r| match &r.value {
            Value::Scalar(v) => *v > 0.0,
            Value::Ranges(x) => !x.is_empty(),
            Value::Set(x) => !x.is_empty(),
            Value::Text(_) => true,
        });
    }

    /// Whether every resource of `other` is available here (same name and role).
    pub fn contains(&self, other: &Resources) -> bool {
        other.items.iter().all(|o| {
            let Some(e) = self
                .items
                .iter()
                .find(|e| e.name == o.name && e.role == o.role)
            else {
                return match &o.value {
                    Value::Scalar(v) => round3(*v) <= 0.0,
                    Value::Ranges(r) => r.is_empty(),
                    Value::Set(s) => s.is_empty(),
                    Value::Text(_) => false,
                };
            };
            match (&e.value, &o.value) {
                (Value::Scalar(a), Value::Scalar(b)) => round3(*a) + 1e-9 >= round3(*b),
                (Value::Ranges(a), Value::Ranges(b)) => ranges_contain(a, b),
                (Value::Set(a), Value::Set(b)) => b.is_subset(a),
                (a, b) => a == b,
            }
        })
    }

    /// Total scalar quantity of `name` across roles.
    pub fn scalar(&self, name: &str) -> f64 {
        round3(
            self.items
                .iter()
                .filter(|r| r.name == name)
                .map(|r| match r.value {
                    Value::Scalar(v) => v,
                    _ => 0.0,
                })
                // Not `.sum()`: an empty f64 sum is -0.0.
                .fold(0.0, |a, b| a + b),
        )
    }

    /// All ranges of `name` across roles, merged.
    pub fn ranges(&self, name: &str) -> Vec<(u64, u64)> {
        normalize_ranges(
            self.items
                .iter()
                .filter(|r| r.name == name)
                .filter_map(|r| match &r.value {
                    Value::Ranges(x) => Some(x.clone()),
                    _ => None,
                })
                .flatten()
                .collect(),
        )
    }

    /// The part usable by `role`: unreserved (`*`) plus reserved for `role`.
    pub fn allocatable_to(&self, role: &str) -> Resources {
        Resources {
            items: self
                .items
                .iter()
                .filter(|r| r.role == "*" || r.role == role)
                .cloned()
                .collect(),
        }
    }

    /// Same resources with every role replaced (used to compare requests that
    /// do not name roles against offers).
    pub fn with_role(&self, role: &str) -> Resources {
        let mut out = Resources::new();
        for r in &self.items {
            out.push(Resource {
                role: role.to_string(),
                ..r.clone()
            });
        }
        out
    }

    /// Parse `--resources` text (`cpus:4;mem:8192;ports(*):[31000-32000]`) or
    /// a JSON array of v1 Resource objects.
    pub fn parse(text: &str, default_role: &str) -> Result<Resources, String> {
        let t = text.trim();
        if t.starts_with('[') && t.contains('{') && t.contains("\"name\"") {
            let v: Json = serde_json::from_str(t).map_err(|e| format!("resources JSON: {e}"))?;
            return Resources::from_v1_json(&v);
        }
        let mut out = Resources::new();
        for item in t
            .split([';', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let (key, val) = item
                .split_once(':')
                .ok_or_else(|| format!("resource '{item}' is not NAME:VALUE"))?;
            let key = key.trim();
            let (name, role) = match key.split_once('(') {
                Some((n, rest)) => {
                    let role = rest
                        .strip_suffix(')')
                        .ok_or_else(|| format!("resource '{item}': role is missing ')'"))?;
                    if role.is_empty() {
                        return Err(format!("resource '{item}' has an empty role"));
                    }
                    (n.trim(), role.to_string())
                }
                None => (key, default_role.to_string()),
            };
            if name.is_empty() {
                return Err(format!("resource '{item}' has no name"));
            }
            let value =
                parse_value(val, true, false).map_err(|e| format!("resource '{name}': {e}"))?;
            out.push(Resource {
                name: name.to_string(),
                role,
                value,
            });
        }
        Ok(out)
    }

    /// Parse an array of v1 Resource JSON objects (or a single object),
    /// through the wire model ([`wire::Resource`]).
    pub fn from_v1_json(v: &Json) -> Result<Resources, String> {
        use serde::Deserialize as _;
        let list: Vec<wire::Resource> = match v {
            Json::Array(a) => a
                .iter()
                .map(wire::Resource::deserialize)
                .collect::<Result<_, _>>(),
            Json::Object(_) => wire::Resource::deserialize(v).map(|r| vec![r]),
            Json::Null => Ok(Vec::new()),
            _ => return Err("resources must be an array of objects".into()),
        }
        .map_err(|e| format!("invalid resource: {e}"))?;
        Resources::from_wire(&list)
    }

    /// The resources of a v1 `Resource` list: scalars checked and rounded
    /// to Mesos' precision, ranges in order and merged, the reservation
    /// role (last `reservations[].role`, else legacy `role`, else `*`).
    pub fn from_wire(list: &[wire::Resource]) -> Result<Resources, String> {
        let mut out = Resources::new();
        for r in list {
            if r.name.is_empty() {
                return Err("a resource has no 'name'".into());
            }
            let name = r.name.clone();
            let value = match r.kind.as_deref().unwrap_or("SCALAR") {
                "SCALAR" => Value::Scalar(checked_scalar(
                    r.scalar
                        .as_ref()
                        .map(|s| s.value)
                        .ok_or_else(|| format!("resource '{name}' has no scalar.value"))?,
                    &format!("resource '{name}': scalar.value"),
                )?),
                "RANGES" => {
                    let mut v = Vec::new();
                    for rg in r.ranges.iter().flat_map(|x| x.range.iter()) {
                        if rg.begin > rg.end {
                            return Err(format!(
                                "resource '{name}': range {}-{} ends before it begins",
                                rg.begin, rg.end
                            ));
                        }
                        v.push((rg.begin, rg.end));
                    }
                    Value::Ranges(normalize_ranges(v))
                }
                "SET" => Value::Set(r.set.iter().flat_map(|x| x.item.iter().cloned()).collect()),
                other => return Err(format!("resource '{name}' has unknown type '{other}'")),
            };
            out.push(Resource {
                name,
                role: r.reservation_role(),
                value,
            });
        }
        Ok(out)
    }

    /// v1 JSON array. `allocation_role` adds `allocation_info` (offers, tasks).
    pub fn to_v1_json(&self, allocation_role: Option<&str>) -> Vec<Json> {
        self.to_wire(allocation_role)
            .iter()
            .map(|r| serde_json::to_value(r).unwrap_or(Json::Null))
            .collect()
    }

    /// The v1 `Resource` list ("endpoint" format: legacy `role`, static
    /// `reservations` when reserved). `allocation_role` adds
    /// `allocation_info` (offers, tasks).
    pub fn to_wire(&self, allocation_role: Option<&str>) -> Vec<wire::Resource> {
        self.items
            .iter()
            .map(|r| {
                let mut w = wire::Resource {
                    name: r.name.clone(),
                    role: Some(r.role.clone()),
                    allocation_info: allocation_role.map(wire::AllocationInfo::new),
                    ..Default::default()
                };
                r.value
                    .fill_wire(&mut w.kind, &mut w.scalar, &mut w.ranges, &mut w.set);
                if r.role != "*" {
                    let res = wire::ReservationInfo {
                        kind: Some("STATIC".into()),
                        role: Some(r.role.clone()),
                    };
                    w.reservations = vec![serde_json::to_value(res).unwrap_or(Json::Null)];
                }
                w
            })
            .collect()
    }

    /// The v0 summary object ([`wire::ResourceSummary`]): `cpus`, `gpus`,
    /// `mem`, `disk` always (doubles), `ports` as `"[a-b, c-d]"`, other
    /// resources by name (scalars summed, ranges and sets merged).
    pub fn to_summary(&self) -> wire::ResourceSummary {
        // `+ 0.0`: an empty sum is -0.0; Mesos never writes a negative zero.
        let mut out = wire::ResourceSummary {
            cpus: self.scalar("cpus") + 0.0,
            mem: self.scalar("mem") + 0.0,
            disk: self.scalar("disk") + 0.0,
            gpus: self.scalar("gpus") + 0.0,
            ..Default::default()
        };
        let mut names: Vec<&str> = self.items.iter().map(|r| r.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            if ["cpus", "gpus", "mem", "disk"].contains(&name) {
                continue;
            }
            let merged =
                self.items
                    .iter()
                    .filter(|r| r.name == name)
                    .fold(None::<Value>, |acc, r| match (acc, &r.value) {
                        (None, v) => Some(v.clone()),
                        (Some(Value::Scalar(a)), Value::Scalar(b)) => Some(Value::Scalar(a + b)),
                        (Some(Value::Ranges(mut a)), Value::Ranges(b)) => {
                            a.extend(b.iter().copied());
                            Some(Value::Ranges(normalize_ranges(a)))
                        }
                        (Some(Value::Set(mut a)), Value::Set(b)) => {
                            a.extend(b.iter().cloned());
                            Some(Value::Set(a))
                        }
                        (Some(a), _) => Some(a),
                    });
            match merged {
                Some(Value::Scalar(v)) => {
                    out.other.insert(name.into(), Json::from(round3(v) + 0.0));
                }
                Some(v) if name == "ports" => out.ports = Some(v.to_string()),
                Some(v) => {
                    out.other.insert(name.into(), Json::String(v.to_string()));
                }
                None => {}
            }
        }
        out
    }

    /// [`Resources::to_summary`] as a JSON object.
    pub fn summary(&self) -> Map<String, Json> {
        match serde_json::to_value(self.to_summary()) {
            Ok(Json::Object(m)) => m,
            _ => Map::new(),
        }
    }
}

impl fmt::Display for Resources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .items
            .iter()
            .map(|r| {
                if r.role == "*" {
                    format!("{}:{}", r.name, r.value)
                } else {
                    format!("{}({}):{}", r.name, r.role, r.value)
                }
            })
            .collect();
        f.write_str(&parts.join(";"))
    }
}

/// An agent attribute (`rack:r1`, `gen:2`, `slots:[1-4]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub value: Value,
}

/// Parse `--attributes` (`k:v;k:v`, also newline separated).
pub fn parse_attributes(text: &str) -> Result<Vec<Attribute>, String> {
    let mut out: Vec<Attribute> = Vec::new();
    for item in text
        .split([';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let (k, v) = item
            .split_once(':')
            .ok_or_else(|| format!("attribute '{item}' is not NAME:VALUE"))?;
        let k = k.trim();
        if k.is_empty() {
            return Err(format!("attribute '{item}' has no name"));
        }
        let value = parse_value(v, false, true).map_err(|e| format!("attribute '{k}': {e}"))?;
        out.retain(|a| a.name != k);
        out.push(Attribute {
            name: k.to_string(),
            value,
        });
    }
    Ok(out)
}

/// v0 attributes object as JSON (see [`attribute_map`]).
pub fn attributes_v0(attrs: &[Attribute]) -> Map<String, Json> {
    attribute_map(attrs).into_iter().collect()
}

/// v1 attributes array as JSON (see [`attributes_to_wire`]).
pub fn attributes_v1(attrs: &[Attribute]) -> Vec<Json> {
    attributes_to_wire(attrs)
        .iter()
        .map(|a| serde_json::to_value(a).unwrap_or(Json::Null))
        .collect()
}

/// v0 attributes object: scalar -> number, ranges/set -> string, text -> string.
pub fn attribute_map(attrs: &[Attribute]) -> crate::wire::Attributes {
    attrs
        .iter()
        .map(|a| {
            let v = match &a.value {
                Value::Scalar(x) => Json::from(*x),
                Value::Text(t) => Json::String(t.clone()),
                other => Json::String(other.to_string()),
            };
            (a.name.clone(), v)
        })
        .collect()
}

/// v1 attributes (`AgentInfo.attributes`).
pub fn attributes_to_wire(attrs: &[Attribute]) -> Vec<wire::Attribute> {
    attrs
        .iter()
        .map(|a| {
            let mut w = wire::Attribute {
                name: a.name.clone(),
                ..Default::default()
            };
            // Attributes keep their exact scalar (no fixed-point rounding).
            if let Value::Scalar(x) = &a.value {
                w.kind = Some("SCALAR".into());
                w.scalar = Some(wire::Scalar { value: *x });
            } else {
                w.text = a
                    .value
                    .fill_wire(&mut w.kind, &mut w.scalar, &mut w.ranges, &mut w.set);
            }
            w
        })
        .collect()
}

/// Attributes of typed v1 `Attribute`s (unnamed ones, and ones without the
/// value their type names, are skipped).
pub fn attributes_from_wire(list: &[wire::Attribute]) -> Vec<Attribute> {
    list.iter()
        .filter(|a| !a.name.is_empty())
        .filter_map(|a| {
            let value = match a.kind.as_deref().unwrap_or("TEXT") {
                "SCALAR" => Value::Scalar(a.scalar.as_ref()?.value),
                "RANGES" => Value::Ranges(normalize_ranges(
                    a.ranges
                        .iter()
                        .flat_map(|r| r.range.iter().map(|x| (x.begin, x.end)))
                        .collect(),
                )),
                "SET" => Value::Set(a.set.iter().flat_map(|s| s.item.iter().cloned()).collect()),
                _ => Value::Text(a.text.as_ref()?.value.clone()),
            };
            Some(Attribute {
                name: a.name.clone(),
                value,
            })
        })
        .collect()
}

/// Parse v1 attributes JSON (array of Attribute objects): each element is
/// read as a typed [`wire::Attribute`] (one that does not fit is skipped),
/// then as [`attributes_from_wire`].
pub fn attributes_from_v1(v: &Json) -> Vec<Attribute> {
    use serde::Deserialize as _;
    let list: Vec<wire::Attribute> = v
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| wire::Attribute::deserialize(a).ok())
        .collect();
    attributes_from_wire(&list)
}

#[cfg(test)]
#[path = "resources_tests.rs"]
mod tests;
