//! Reading offers: which agent an offer comes from, whether the agent meets
//! the `--constraint`s, and carving a task's resources out of the offer.
//!
//! Resources are carved from the offer's own JSON entries (copied verbatim,
//! only the quantity changed), so whatever reservation format the master
//! uses (`role`/`reservation` before 1.4, `reservations` after, with or
//! without `allocation_info`) goes back to it unchanged. Entries reserved
//! for the framework's role are used before unreserved (`*`) ones, as
//! upstream `mesos-execute` does. Revocable, shared and persistent-volume
//! entries are never used.

use std::collections::BTreeSet;

use reqwest::Url;
use serde_json::{json, Value as Json};

use crate::resources::{attributes_from_v1, round3, Resources, Value};

/// `--constraint ATTR:VALUE`: the agent's attribute `ATTR` must equal
/// `VALUE`. Several constraints on one attribute are alternatives; different
/// attributes must all match. `hostname` matches the agent's hostname unless
/// the agent has an attribute of that name.
#[derive(Clone, Debug, PartialEq)]
pub struct Constraint {
    pub attribute: String,
    pub value: String,
}

impl std::fmt::Display for Constraint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.attribute, self.value)
    }
}

/// Parse `ATTR:VALUE`.
pub fn parse_constraint(s: &str) -> Result<Constraint, String> {
    let (a, v) = s
        .split_once(':')
        .ok_or_else(|| format!("constraint '{s}' is not ATTRIBUTE:VALUE (e.g. rack:r1)"))?;
    let (a, v) = (a.trim(), v.trim());
    if a.is_empty() || v.is_empty() {
        return Err(format!(
            "constraint '{s}' is not ATTRIBUTE:VALUE (e.g. rack:r1)"
        ));
    }
    Ok(Constraint {
        attribute: a.to_string(),
        value: v.to_string(),
    })
}

/// The agent's attributes as `name -> text` (plus `hostname`).
pub fn agent_attributes(hostname: &str, attributes_v1: &Json) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = attributes_from_v1(attributes_v1)
        .into_iter()
        .map(|a| (a.name, a.value))
        .collect();
    if !out.iter().any(|(n, _)| n == "hostname") && !hostname.is_empty() {
        out.push(("hostname".into(), Value::Text(hostname.to_string())));
    }
    out
}

fn value_matches(have: &Value, want: &str) -> bool {
    match have {
        Value::Scalar(x) => want
            .trim()
            .parse::<f64>()
            .is_ok_and(|w| round3(w) == round3(*x)),
        Value::Text(t) => t == want,
        other => {
            let norm = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            norm(&other.to_string()) == norm(want)
        }
    }
}

/// Whether attributes meet all constraints; `Err` names the first unmet one.
pub fn check_constraints(
    attrs: &[(String, Value)],
    constraints: &[Constraint],
) -> Result<(), String> {
    let names: BTreeSet<&str> = constraints.iter().map(|c| c.attribute.as_str()).collect();
    for name in names {
        let wanted: Vec<&Constraint> = constraints.iter().filter(|c| c.attribute == name).collect();
        let have = attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        let ok = have.is_some_and(|h| wanted.iter().any(|c| value_matches(h, &c.value)));
        if !ok {
            let want: Vec<String> = wanted.iter().map(|c| c.value.clone()).collect();
            return Err(match have {
                Some(h) => format!("{name} is {h}, not {}", want.join(" or ")),
                None => format!("no attribute '{name}' (wanted {})", want.join(" or ")),
            });
        }
    }
    Ok(())
}

/// The base URL of the agent that made an offer (from the offer's `url`,
/// else `http://<hostname>:5051`).
pub fn agent_base_url(offer: &Json, scheme: &str) -> Option<Url> {
    if let Some(u) = offer.get("url") {
        let addr = u.get("address")?;
        let host = addr
            .get("ip")
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .or_else(|| addr.get("hostname").and_then(Json::as_str))?;
        let port = addr.get("port").and_then(Json::as_u64).unwrap_or(5051);
        let sch = u.get("scheme").and_then(Json::as_str).unwrap_or(scheme);
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host.to_string()
        };
        return Url::parse(&format!("{sch}://{host}:{port}")).ok();
    }
    let h = offer.get("hostname").and_then(Json::as_str)?;
    Url::parse(&format!("{scheme}://{h}:5051")).ok()
}

/// The role an offer entry is reserved for (`*` = unreserved), in either
/// reservation format.
pub fn entry_role(r: &Json) -> &str {
    r.get("reservations")
        .and_then(Json::as_array)
        .and_then(|a| a.last())
        .and_then(|x| x.get("role"))
        .and_then(Json::as_str)
        .or_else(|| r.get("role").and_then(Json::as_str))
        .unwrap_or("*")
}

fn usable(r: &Json, role: &str) -> bool {
    if r.get("revocable").is_some() || r.get("shared").is_some() {
        return false;
    }
    if r.pointer("/disk/persistence").is_some() || r.pointer("/disk/source").is_some() {
        return false;
    }
    let er = entry_role(r);
    er == "*" || er == role
}

/// What is left of one offer while tasks are carved out of it.
#[derive(Clone, Debug)]
pub struct Pool {
    entries: Vec<Json>,
}

fn ranges_of(r: &Json) -> Vec<(u64, u64)> {
    r.pointer("/ranges/range")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|x| Some((x.get("begin")?.as_u64()?, x.get("end")?.as_u64()?)))
        .collect()
}

fn set_ranges(r: &mut Json, ranges: &[(u64, u64)]) {
    let list: Vec<Json> = ranges
        .iter()
        .map(|(b, e)| json!({"begin": b, "end": e}))
        .collect();
    r["ranges"] = json!({ "range": list });
}

fn intersect(a: &[(u64, u64)], b: &[(u64, u64)]) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    for &(ab, ae) in a {
        for &(bb, be) in b {
            let (lo, hi) = (ab.max(bb), ae.min(be));
            if lo <= hi {
                out.push((lo, hi));
            }
        }
    }
    out
}

fn minus(a: &[(u64, u64)], b: &[(u64, u64)]) -> Vec<(u64, u64)> {
    let mut out = a.to_vec();
    for &(bb, be) in b {
        let mut next = Vec::new();
        for (lo, hi) in out {
            if be < lo || bb > hi {
                next.push((lo, hi));
                continue;
            }
            if bb > lo {
                next.push((lo, bb - 1));
            }
            if be < hi {
                next.push((be + 1, hi));
            }
        }
        out = next;
    }
    out
}

fn count(r: &[(u64, u64)]) -> u64 {
    r.iter().map(|(b, e)| e - b + 1).sum()
}

impl Pool {
    /// The usable entries of `offer` for a framework in `role`, reserved ones first.
    pub fn from_offer(offer: &Json, role: &str) -> Pool {
        let mut entries: Vec<Json> = offer
            .get("resources")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter(|r| usable(r, role))
            .cloned()
            .collect();
        entries.sort_by_key(|r| entry_role(r) == "*");
        Pool { entries }
    }

    /// The pool as a role-less bag (for messages and comparisons).
    pub fn summary(&self) -> Resources {
        let list = Json::Array(self.entries.clone());
        Resources::from_v1_json(&list)
            .map(|r| r.with_role("*"))
            .unwrap_or_default()
    }

    /// Carve `need` out of the pool: the offer entries to put in the
    /// TaskInfo, or `None` (pool unchanged) when it does not fit. A role in
    /// `need` other than `*` only takes entries reserved for that role.
    pub fn take(&mut self, need: &Resources) -> Option<Vec<Json>> {
        let mut entries = self.entries.clone();
        let mut out: Vec<Json> = Vec::new();
        for want in need.iter() {
            let candidates: Vec<usize> = (0..entries.len())
                .filter(|&i| {
                    let e = &entries[i];
                    e.get("name").and_then(Json::as_str) == Some(want.name.as_str())
                        && (want.role == "*" || entry_role(e) == want.role)
                })
                .collect();
            match &want.value {
                Value::Scalar(v) => {
                    let mut left = round3(*v);
                    for i in candidates {
                        if left <= 0.0 {
                            break;
                        }
                        let have = entries[i]
                            .pointer("/scalar/value")
                            .and_then(Json::as_f64)
                            .unwrap_or(0.0);
                        let t = round3(have.min(left));
                        if t <= 0.0 {
                            continue;
                        }
                        let mut piece = entries[i].clone();
                        piece["scalar"] = json!({ "value": t });
                        out.push(piece);
                        entries[i]["scalar"] = json!({ "value": round3(have - t) });
                        left = round3(left - t);
                    }
                    if left > 0.0 {
                        return None;
                    }
                }
                Value::Ranges(wanted) => {
                    let mut left = wanted.clone();
                    for i in candidates {
                        if left.is_empty() {
                            break;
                        }
                        let have = ranges_of(&entries[i]);
                        let got = intersect(&have, &left);
                        if got.is_empty() {
                            continue;
                        }
                        let mut piece = entries[i].clone();
                        set_ranges(&mut piece, &got);
                        out.push(piece);
                        set_ranges(&mut entries[i], &minus(&have, &got));
                        left = minus(&left, &got);
                    }
                    if count(&left) > 0 {
                        return None;
                    }
                }
                Value::Set(wanted) => {
                    let mut left = wanted.clone();
                    for i in candidates {
                        let have: BTreeSet<String> = entries[i]
                            .pointer("/set/item")
                            .and_then(Json::as_array)
                            .into_iter()
                            .flatten()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect();
                        let got: BTreeSet<String> = have.intersection(&left).cloned().collect();
                        if got.is_empty() {
                            continue;
                        }
                        let mut piece = entries[i].clone();
                        piece["set"] = json!({ "item": got });
                        out.push(piece);
                        let rest: Vec<&String> = have.difference(&got).collect();
                        entries[i]["set"] = json!({ "item": rest });
                        left.retain(|x| !got.contains(x));
                    }
                    if !left.is_empty() {
                        return None;
                    }
                }
                Value::Text(_) => return None,
            }
        }
        self.entries = entries;
        Some(out)
    }
}

/// What `need` lacks in `have` (role-less), e.g. `cpus 2 < 64`.
pub fn shortfall(need: &Resources, have: &Resources) -> String {
    let mut parts = Vec::new();
    let have = have.with_role("*");
    let mut seen = BTreeSet::new();
    for r in need.with_role("*").iter() {
        if !seen.insert(r.name.clone()) {
            continue;
        }
        match &r.value {
            Value::Scalar(v) => {
                let h = have.scalar(&r.name);
                if h + 1e-9 < *v {
                    parts.push(format!("{} {} < {}", r.name, Value::Scalar(h), r.value));
                }
            }
            Value::Ranges(want) => {
                let h = have.ranges(&r.name);
                if count(&minus(want, &h)) > 0 {
                    parts.push(format!("{} {} lacks {}", r.name, Value::Ranges(h), r.value));
                }
            }
            other => {
                let mut one = Resources::new();
                one.push(crate::resources::Resource {
                    name: r.name.clone(),
                    role: "*".into(),
                    value: other.clone(),
                });
                if !have.contains(&one) {
                    parts.push(format!("{} (needs {})", r.name, r.value));
                }
            }
        }
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer() -> Json {
        json!({"hostname": "a1", "resources": [
            {"name": "cpus", "type": "SCALAR", "scalar": {"value": 2.0}, "role": "*"},
            {"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.5}, "role": "dev",
             "reservations": [{"type": "STATIC", "role": "dev"}]},
            {"name": "mem", "type": "SCALAR", "scalar": {"value": 1024.0}, "role": "*"},
            {"name": "ports", "type": "RANGES", "ranges": {"range": [{"begin": 31000, "end": 31010}]}, "role": "*"},
            {"name": "cpus", "type": "SCALAR", "scalar": {"value": 8.0}, "revocable": {}},
            {"name": "mem", "type": "SCALAR", "scalar": {"value": 512.0}, "role": "ops"}
        ], "attributes": [
            {"name": "rack", "type": "TEXT", "text": {"value": "r1"}},
            {"name": "gen", "type": "SCALAR", "scalar": {"value": 2.0}}
        ]})
    }

    #[test]
    fn carves_reserved_first_and_keeps_entries() {
        let mut p = Pool::from_offer(&offer(), "dev");
        let need = Resources::parse("cpus:1;mem:32;ports:[31005-31006]", "*").unwrap();
        let got = p.take(&need).unwrap();
        assert_eq!(got[0]["scalar"]["value"], 0.5);
        assert_eq!(got[0]["reservations"][0]["role"], "dev");
        assert_eq!(got[1]["scalar"]["value"], 0.5);
        assert_eq!(got[1]["role"], "*");
        assert_eq!(
            got[3]["ranges"]["range"][0],
            json!({"begin": 31005, "end": 31006})
        );
        let left = p.summary();
        assert_eq!(left.scalar("cpus"), 1.5);
        assert_eq!(left.scalar("mem"), 992.0);
        assert_eq!(left.ranges("ports"), vec![(31000, 31004), (31007, 31010)]);
        // Revocable and other roles' resources are never used.
        assert!(p.take(&Resources::parse("cpus:2", "*").unwrap()).is_none());
        assert_eq!(
            p.summary().scalar("cpus"),
            1.5,
            "failed take leaves the pool"
        );
        assert!(p
            .take(&Resources::parse("mem(ops):1", "*").unwrap())
            .is_none());
    }

    #[test]
    fn packs_several_tasks() {
        let mut p = Pool::from_offer(&offer(), "*");
        let need = Resources::parse("cpus:0.5;mem:256", "*").unwrap();
        let n = std::iter::from_fn(|| p.take(&need)).take(10).count();
        assert_eq!(n, 4);
    }

    #[test]
    fn constraints_match_attributes_and_hostname() {
        let o = offer();
        let attrs = agent_attributes("a1", &o["attributes"]);
        let c = |s: &str| parse_constraint(s).unwrap();
        assert!(check_constraints(&attrs, &[c("rack:r1")]).is_ok());
        assert!(check_constraints(&attrs, &[c("rack:r2"), c("rack:r1")]).is_ok());
        assert!(check_constraints(&attrs, &[c("gen:2"), c("hostname:a1")]).is_ok());
        assert_eq!(
            check_constraints(&attrs, &[c("rack:r1"), c("gen:3")]).unwrap_err(),
            "gen is 2, not 3"
        );
        assert_eq!(
            check_constraints(&attrs, &[c("zone:eu")]).unwrap_err(),
            "no attribute 'zone' (wanted eu)"
        );
        assert!(parse_constraint("rack").is_err());
        assert!(parse_constraint(":x").is_err());
    }

    #[test]
    fn names_what_is_missing() {
        let need = Resources::parse("cpus:64;mem:32", "*").unwrap();
        let have = Resources::parse("cpus:2;mem:1024", "*").unwrap();
        assert_eq!(shortfall(&need, &have), "cpus 2 < 64");
    }

    #[test]
    fn agent_url_from_offer() {
        let o = json!({"hostname": "h", "url": {"scheme": "http", "address": {"hostname": "h", "ip": "10.0.0.1", "port": 5051}, "path": "/slave(1)"}});
        assert_eq!(
            agent_base_url(&o, "http").unwrap().as_str(),
            "http://10.0.0.1:5051/"
        );
        assert_eq!(
            agent_base_url(&json!({"hostname": "h"}), "https")
                .unwrap()
                .as_str(),
            "https://h:5051/"
        );
    }
}
