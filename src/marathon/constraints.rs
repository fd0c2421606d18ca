//! Constraint checks (`[field, OPERATOR, value?]`) as Marathon evaluates
//! them: on the agent hostname (`hostname`, `@hostname`) or an agent
//! attribute, compared as strings.
//!
//! Attribute values read as: text as is; scalars rounded to 3 decimals,
//! trailing zeros dropped (`2.50` -> `2.5`, `4.0` -> `4`); ranges
//! `[b-e,b-e]`; sets `{a,b}`. An agent lacking the attribute refuses every
//! operator but `UNLIKE`.

use std::collections::BTreeMap;

use crate::wire::marathon::Constraint;
use crate::wire::resources::{format_number, Attribute};

/// Where one live instance of the app runs (the constraint view).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Placed {
    pub agent_id: String,
    pub hostname: String,
    pub attributes: Vec<Attribute>,
}

/// The string form of an attribute value (see the module docs).
pub fn attribute_value(a: &Attribute) -> String {
    if let Some(t) = &a.text {
        return t.value.clone();
    }
    if let Some(s) = &a.scalar {
        return scalar_string(s.value);
    }
    if let Some(r) = &a.ranges {
        let parts: Vec<String> = r
            .range
            .iter()
            .map(|r| format!("{}-{}", r.begin, r.end))
            .collect();
        return format!("[{}]", parts.join(","));
    }
    if let Some(s) = &a.set {
        return format!("{{{}}}", s.item.join(","));
    }
    String::new()
}

/// A scalar as constraints compare it: 3 decimals, trailing zeros dropped.
pub fn scalar_string(v: f64) -> String {
    format_number((v * 1000.0).round() / 1000.0)
}

/// The value of `field` on an agent: its hostname for `hostname` /
/// `@hostname`, else the attribute's string form (`None` when missing).
pub fn field_value(field: &str, hostname: &str, attributes: &[Attribute]) -> Option<String> {
    if field == "hostname" || field == "@hostname" {
        return Some(hostname.to_string());
    }
    attributes
        .iter()
        .find(|a| a.name == field)
        .map(attribute_value)
}

/// Whether `field` is a scalar attribute on this agent (for `IS`).
fn is_scalar(field: &str, attributes: &[Attribute]) -> bool {
    attributes
        .iter()
        .any(|a| a.name == field && a.scalar.is_some())
}

/// A full-match regex (`LIKE`, `UNLIKE`); `None` when it does not compile.
pub fn full_regex(re: &str) -> Option<regex_lite::Regex> {
    regex_lite::Regex::new(&format!("^(?:{re})$")).ok()
}

/// Whether an agent (`hostname`, `attributes`) may take one more instance
/// given where the app's instances already run (`placed`).
pub fn meets(c: &Constraint, hostname: &str, attributes: &[Attribute], placed: &[Placed]) -> bool {
    let field = c.field();
    let op = c.operator();
    let value = c.value();
    let Some(mine) = field_value(field, hostname, attributes) else {
        // A missing attribute refuses every operator but UNLIKE.
        return op == "UNLIKE";
    };
    let values = || {
        placed
            .iter()
            .filter_map(|p| field_value(field, &p.hostname, &p.attributes))
    };
    match op {
        "UNIQUE" => values().all(|v| v != mine),
        "CLUSTER" => match value.filter(|v| !v.is_empty()) {
            Some(v) => mine == v,
            None => values().next().is_none_or(|v| v == mine),
        },
        "GROUP_BY" => group_by_ok(&mine, value, values()),
        "MAX_PER" => {
            let max: usize = value.and_then(|v| v.trim().parse().ok()).unwrap_or(0);
            values().filter(|v| *v == mine).count() < max
        }
        "LIKE" => value
            .and_then(full_regex)
            .is_some_and(|re| re.is_match(&mine)),
        "UNLIKE" => value
            .and_then(full_regex)
            .is_some_and(|re| !re.is_match(&mine)),
        "IS" => match value {
            Some(v) if is_scalar(field, attributes) => match v.trim().parse::<f64>() {
                Ok(n) => scalar_string(n) == mine,
                Err(_) => v == mine,
            },
            Some(v) => v == mine,
            None => false,
        },
        _ => false,
    }
}

/// `GROUP_BY`: accept a value not seen yet, or one whose group is among
/// the smallest once at least `value` groups exist.
fn group_by_ok(mine: &str, value: Option<&str>, placed: impl Iterator<Item = String>) -> bool {
    let minimum: usize = value.and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    let mut groups: BTreeMap<String, usize> = BTreeMap::new();
    for v in placed {
        *groups.entry(v).or_default() += 1;
    }
    let min_count = groups.values().copied().min().unwrap_or(0);
    match groups.get(mine) {
        None => true,
        Some(&n) => groups.len() >= minimum && n == min_count,
    }
}

/// Whether an agent meets all of the app's constraints.
pub fn meets_all(
    constraints: &[Constraint],
    hostname: &str,
    attributes: &[Attribute],
    placed: &[Placed],
) -> bool {
    constraints
        .iter()
        .all(|c| meets(c, hostname, attributes, placed))
}

/// Scale-down: up to `n` instances (ids) whose removal best restores the
/// distribution constraints (`GROUP_BY`, `UNIQUE`, `MAX_PER`): repeatedly
/// one from the largest group of a field value, as Marathon does. Empty
/// when the app has no such constraint. `instances` pairs an id with
/// where it runs; within a group the first in `instances` order goes, so
/// pass them most-killable first.
pub fn kills_for_constraints(
    constraints: &[Constraint],
    instances: &[(String, Placed)],
    n: usize,
) -> Vec<String> {
    let spread: Vec<&Constraint> = constraints
        .iter()
        .filter(|c| matches!(c.operator(), "GROUP_BY" | "UNIQUE" | "MAX_PER"))
        .collect();
    if spread.is_empty() {
        return Vec::new();
    }
    let mut chosen: Vec<String> = Vec::new();
    while chosen.len() < n {
        // The largest over-full group over all spread constraints.
        let mut best: Option<(usize, String)> = None;
        for c in &spread {
            let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
            for (id, p) in instances {
                if chosen.contains(id) {
                    continue;
                }
                if let Some(v) = field_value(c.field(), &p.hostname, &p.attributes) {
                    groups.entry(v).or_default().push(id);
                }
            }
            let smallest = groups.values().map(Vec::len).min().unwrap_or(0);
            let limit = match c.operator() {
                "UNIQUE" => 1,
                "MAX_PER" => c
                    .value()
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(usize::MAX),
                _ => usize::MAX,
            };
            for ids in groups.values() {
                let over = ids.len() > limit || ids.len() > smallest;
                if over && best.as_ref().is_none_or(|(len, _)| ids.len() > *len) {
                    best = Some((ids.len(), ids[0].to_string()));
                }
            }
        }
        match best {
            Some((_, id)) => chosen.push(id),
            None => break,
        }
    }
    chosen
}

#[cfg(test)]
#[path = "constraints_tests.rs"]
mod tests;
