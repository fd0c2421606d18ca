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
use serde::Deserialize;

use crate::resources::{round3, Resources, Value};
use crate::wire::event::Offer;
use crate::wire::resources::{Attribute, Range, Ranges, Resource, Scalar, Set};

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

/// The agent's attributes as `name -> value` (plus `hostname`).
pub fn agent_attributes(hostname: &str, attributes: &[Attribute]) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = attributes.iter().filter_map(attribute_value).collect();
    if !out.iter().any(|(n, _)| n == "hostname") && !hostname.is_empty() {
        out.push(("hostname".into(), Value::Text(hostname.to_string())));
    }
    out
}

/// One v1 attribute as `(name, value)` (`TEXT` when the type is missing);
/// `None` without a name or a value of its type.
fn attribute_value(a: &Attribute) -> Option<(String, Value)> {
    if a.name.is_empty() {
        return None;
    }
    let value = match a.kind.as_deref().unwrap_or("TEXT") {
        "SCALAR" => Value::Scalar(a.scalar.as_ref()?.value),
        "RANGES" => {
            let mut r: Vec<(u64, u64)> = a
                .ranges
                .iter()
                .flat_map(|r| r.range.iter())
                .filter(|r| r.begin <= r.end)
                .map(|r| (r.begin, r.end))
                .collect();
            r.sort_unstable();
            let mut merged: Vec<(u64, u64)> = Vec::new();
            for (b, e) in r {
                match merged.last_mut() {
                    Some(last) if b <= last.1.saturating_add(1) => last.1 = last.1.max(e),
                    _ => merged.push((b, e)),
                }
            }
            Value::Ranges(merged)
        }
        "SET" => Value::Set(a.set.iter().flat_map(|s| s.item.iter().cloned()).collect()),
        _ => Value::Text(a.text.as_ref()?.value.clone()),
    };
    Some((a.name.clone(), value))
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
pub fn agent_base_url(offer: &Offer, scheme: &str) -> Option<Url> {
    if let Some(u) = &offer.url {
        let addr = &u.address;
        let host = addr
            .ip
            .as_deref()
            .filter(|s| !s.is_empty())
            .or(addr.hostname.as_deref())?;
        let port = addr.port.unwrap_or(5051);
        let sch = if u.scheme.is_empty() {
            scheme
        } else {
            u.scheme.as_str()
        };
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host.to_string()
        };
        return Url::parse(&format!("{sch}://{host}:{port}")).ok();
    }
    if offer.hostname.is_empty() {
        return None;
    }
    Url::parse(&format!("{scheme}://{}:5051", offer.hostname)).ok()
}

/// `Resource.DiskInfo`, as far as it decides whether an entry is usable.
#[derive(Deserialize)]
struct DiskInfo {
    #[serde(default)]
    persistence: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    source: Option<serde::de::IgnoredAny>,
}

fn usable(r: &Resource, role: &str) -> bool {
    if r.revocable.is_some() || r.shared.is_some() {
        return false;
    }
    if let Some(disk) = &r.disk {
        match DiskInfo::deserialize(disk) {
            Ok(d) if d.persistence.is_none() && d.source.is_none() => {}
            _ => return false,
        }
    }
    let er = r.reservation_role();
    er == "*" || er == role
}

/// What is left of one offer while tasks are carved out of it.
#[derive(Clone, Debug)]
pub struct Pool {
    entries: Vec<Resource>,
}

fn ranges_of(r: &Resource) -> Vec<(u64, u64)> {
    r.ranges
        .iter()
        .flat_map(|x| x.range.iter())
        .map(|x| (x.begin, x.end))
        .collect()
}

fn set_ranges(r: &mut Resource, ranges: &[(u64, u64)]) {
    r.ranges = Some(Ranges {
        range: ranges
            .iter()
            .map(|&(begin, end)| Range { begin, end })
            .collect(),
    });
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
    pub fn from_offer(offer: &Offer, role: &str) -> Pool {
        let mut entries: Vec<Resource> = offer
            .resources
            .iter()
            .filter(|r| usable(r, role))
            .cloned()
            .collect();
        entries.sort_by_key(|r| r.reservation_role() == "*");
        Pool { entries }
    }

    /// The pool as a role-less bag (for messages and comparisons).
    pub fn summary(&self) -> Resources {
        Resources::from_wire(&self.entries)
            .map(|r| r.with_role("*"))
            .unwrap_or_default()
    }

    /// Carve `need` out of the pool: the offer entries to put in the
    /// TaskInfo, or `None` (pool unchanged) when it does not fit. A role in
    /// `need` other than `*` only takes entries reserved for that role.
    pub fn take(&mut self, need: &Resources) -> Option<Vec<Resource>> {
        let mut entries = self.entries.clone();
        let mut out: Vec<Resource> = Vec::new();
        for want in need.iter() {
            let candidates: Vec<usize> = (0..entries.len())
                .filter(|&i| {
                    let e = &entries[i];
                    e.name == want.name && (want.role == "*" || e.reservation_role() == want.role)
                })
                .collect();
            match &want.value {
                Value::Scalar(v) => {
                    let mut left = round3(*v);
                    for i in candidates {
                        if left <= 0.0 {
                            break;
                        }
                        let have = entries[i].scalar.as_ref().map_or(0.0, |s| s.value);
                        let t = round3(have.min(left));
                        if t <= 0.0 {
                            continue;
                        }
                        let mut piece = entries[i].clone();
                        piece.scalar = Some(Scalar { value: t });
                        out.push(piece);
                        entries[i].scalar = Some(Scalar {
                            value: round3(have - t),
                        });
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
                            .set
                            .iter()
                            .flat_map(|s| s.item.iter().cloned())
                            .collect();
                        let got: BTreeSet<String> = have.intersection(&left).cloned().collect();
                        if got.is_empty() {
                            continue;
                        }
                        let mut piece = entries[i].clone();
                        piece.set = Some(Set {
                            item: got.iter().cloned().collect(),
                        });
                        out.push(piece);
                        entries[i].set = Some(Set {
                            item: have.difference(&got).cloned().collect(),
                        });
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
    use serde_json::json;

    fn offer() -> Offer {
        offer_of(json!({"hostname": "a1", "resources": [
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
        ]}))
    }

    fn offer_of(v: serde_json::Value) -> Offer {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn carves_reserved_first_and_keeps_entries() {
        let mut p = Pool::from_offer(&offer(), "dev");
        let need = Resources::parse("cpus:1;mem:32;ports:[31005-31006]", "*").unwrap();
        let got = serde_json::to_value(p.take(&need).unwrap()).unwrap();
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
    fn a_real_offers_event_decodes_and_carved_entries_keep_their_fields() {
        // The shape a Mesos 1.x master writes (allocation_info, reservations
        // with a principal, a non-persistent disk, the agent's url).
        let e: crate::wire::event::Event = serde_json::from_value(json!({"type": "OFFERS",
            "offers": {"offers": [{"id": {"value": "o-1"}, "framework_id": {"value": "F"},
                "agent_id": {"value": "S1"}, "hostname": "a1",
                "url": {"scheme": "http", "address": {"hostname": "a1", "ip": "10.0.0.7", "port": 5051}, "path": "/slave(1)"},
                "allocation_info": {"role": "dev"},
                "domain": {"fault_domain": {"region": {"name": "r"}, "zone": {"name": "z"}}},
                "resources": [
                    {"name": "cpus", "type": "SCALAR", "scalar": {"value": 4.0}, "role": "dev",
                     "allocation_info": {"role": "dev"},
                     "reservations": [{"type": "DYNAMIC", "role": "dev", "principal": "ops",
                                       "labels": {"labels": [{"key": "k", "value": "v"}]}}]},
                    {"name": "disk", "type": "SCALAR", "scalar": {"value": 100.0}, "role": "*",
                     "allocation_info": {"role": "dev"}, "disk": {"volume": {"mode": "RW", "container_path": "x"}}},
                    {"name": "disk", "type": "SCALAR", "scalar": {"value": 50.0}, "role": "*",
                     "disk": {"persistence": {"id": "p"}, "volume": {"mode": "RW", "container_path": "v"}}}],
                "attributes": [{"name": "rack", "type": "TEXT", "text": {"value": "r1"}}],
                "executor_ids": [{"value": "e"}]}]}}))
        .unwrap();
        let offer = &e.offers.unwrap().offers[0];
        assert_eq!(
            agent_base_url(offer, "https").unwrap().as_str(),
            "http://10.0.0.7:5051/"
        );
        assert_eq!(offer.other["domain"]["fault_domain"]["zone"]["name"], "z");
        let mut p = Pool::from_offer(offer, "dev");
        // The persistent volume is never used.
        assert_eq!(p.summary().scalar("disk"), 100.0);
        let got = p
            .take(&Resources::parse("cpus:1;disk:10", "*").unwrap())
            .unwrap();
        let got = serde_json::to_value(got).unwrap();
        assert_eq!(
            got[0],
            json!({"name": "cpus", "type": "SCALAR", "scalar": {"value": 1.0}, "role": "dev",
                "allocation_info": {"role": "dev"},
                "reservations": [{"type": "DYNAMIC", "role": "dev", "principal": "ops",
                                  "labels": {"labels": [{"key": "k", "value": "v"}]}}]})
        );
        assert_eq!(
            got[1],
            json!({"name": "disk", "type": "SCALAR", "scalar": {"value": 10.0}, "role": "*",
                "allocation_info": {"role": "dev"}, "disk": {"volume": {"mode": "RW", "container_path": "x"}}})
        );
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
        let attrs = agent_attributes("a1", &o.attributes);
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
        let o = offer_of(
            json!({"hostname": "h", "url": {"scheme": "http", "address": {"hostname": "h", "ip": "10.0.0.1", "port": 5051}, "path": "/slave(1)"}}),
        );
        assert_eq!(
            agent_base_url(&o, "http").unwrap().as_str(),
            "http://10.0.0.1:5051/"
        );
        assert_eq!(
            agent_base_url(&offer_of(json!({"hostname": "h"})), "https")
                .unwrap()
                .as_str(),
            "https://h:5051/"
        );
    }
}
