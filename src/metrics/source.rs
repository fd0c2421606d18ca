//! Where an agent's metrics come from, and turning each source's answer into
//! the DC/OS envelope ([`MetricsMessage`]):
//!
//! * DC/OS ([`Source::Dcos`]): the leader URL is behind Admin Router (its
//!   path ends in `/mesos`); metrics are at
//!   `<root>/system/v1/agent/{id}/metrics/v0/…`.
//! * Bundled ([`Source::Bundled`]): the agent answers
//!   `GET <agent>/system/v1/metrics/v0/ping` with 200 `{"ok":true,…}`; the
//!   same v0 paths are on the agent itself.
//! * Derived ([`Source::Derived`]): anything else (a plain Apache Mesos
//!   agent). Node metrics come from `/metrics/snapshot` (`system/*`,
//!   `slave/*`), container metrics from `/monitor/statistics`. Names the
//!   snapshot cannot give are listed in `unknown`, never invented.

use std::collections::BTreeMap;

use reqwest::{StatusCode, Url};

use super::{AgentRef, Source};
use crate::error::{Error, Result};
use crate::http::{decode_json, status_error, HttpClient};
use crate::leader::endpoint;
use crate::wire::dcos_metrics::{unit, Datapoint, Dimensions, MetricsMessage, Ping, Value};
use crate::wire::MonitorEntry;

/// The v0 API prefix on a node (the bundled agent, a DC/OS node).
pub const LOCAL_PREFIX: &str = "/system/v1/metrics/v0";

/// The DC/OS cluster root of a leader URL behind Admin Router
/// (`https://dcos.example/mesos` -> `https://dcos.example/`), else `None`.
pub fn dcos_root(leader: &Url) -> Option<Url> {
    let prefix = leader.path().trim_end_matches('/');
    let root = prefix.strip_suffix("/mesos")?;
    let mut u = leader.clone();
    u.set_path(if root.is_empty() { "/" } else { root });
    u.set_query(None);
    Some(u)
}

/// The URL of a v0 path (`/node`, `/containers/{id}`, `/ping`) for one
/// agent under `source`. `None` for the derived source (it has no v0 API).
pub fn v0_url(source: Source, leader: &Url, agent: &AgentRef, path: &str) -> Option<Url> {
    match source {
        Source::Dcos => {
            let root = dcos_root(leader)?;
            Some(endpoint(
                &root,
                &format!("/system/v1/agent/{}/metrics/v0{path}", agent.id),
            ))
        }
        Source::Bundled => {
            let base = Url::parse(&agent.url).ok()?;
            Some(endpoint(&base, &format!("{LOCAL_PREFIX}{path}")))
        }
        Source::Derived => None,
    }
}

/// Does the agent answer the v0 ping (our bundled agent)? Any failure
/// (404 from a plain Mesos agent, a body that is not a ping) is `false`.
pub async fn pings(http: &HttpClient, agent: &AgentRef) -> bool {
    let Ok(base) = Url::parse(&agent.url) else {
        return false;
    };
    let url = endpoint(&base, &format!("{LOCAL_PREFIX}/ping"));
    match http.get_raw(&url).await {
        Ok((s, body)) if s == StatusCode::OK => serde_json::from_slice::<Ping>(&body)
            .map(|p| p.ok)
            .unwrap_or(false),
        _ => false,
    }
}

/// GET a v0 message: 200 → `Some`, 204 → `None` (no data yet), else an error.
pub async fn fetch_message(http: &HttpClient, url: &Url) -> Result<Option<MetricsMessage>> {
    let (status, body) = http.get_raw(url).await?;
    if status == StatusCode::NO_CONTENT {
        return Ok(None);
    }
    if !status.is_success() {
        return Err(status_error(url, status, &body));
    }
    decode_json(url, status, &body).map(Some)
}

/// GET an agent's or master's `/metrics/snapshot` (a flat name → number map).
pub async fn fetch_snapshot(http: &HttpClient, base: &Url) -> Result<BTreeMap<String, f64>> {
    let url = endpoint(base, "/metrics/snapshot");
    let m: crate::wire::metrics::Metrics = http.get_json(&url).await?;
    Ok(m.0)
}

/// GET an agent's `/monitor/statistics` (`/monitor/statistics.json` on
/// agents older than 0.25).
pub async fn fetch_statistics(http: &HttpClient, base: &Url) -> Result<Vec<MonitorEntry>> {
    let mut last: Option<Error> = None;
    for p in ["/monitor/statistics", "/monitor/statistics.json"] {
        match http.get_json::<Vec<MonitorEntry>>(&endpoint(base, p)).await {
            Ok(v) => return Ok(v),
            Err(e) if e.kind == crate::error::ErrorKind::NotFound => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| Error::failed("no /monitor/statistics")))
}

/// The DC/OS node metric names a `/metrics/snapshot` cannot give. The
/// snapshot has no host CPU time counters (so no `cpu.*` percentages, even
/// from two samples), no per-mount filesystem, network, swap, buffers,
/// cache, process count or host uptime.
pub const DERIVED_NODE_UNKNOWN: &[&str] = &[
    "cpu.total",
    "cpu.user",
    "cpu.system",
    "cpu.idle",
    "cpu.wait",
    "memory.buffers",
    "memory.cached",
    "swap.total",
    "swap.free",
    "swap.used",
    "filesystem.capacity.total",
    "filesystem.capacity.used",
    "filesystem.capacity.free",
    "filesystem.inode.total",
    "filesystem.inode.used",
    "filesystem.inode.free",
    "network.in",
    "network.out",
    "network.in.packets",
    "network.out.packets",
    "network.in.dropped",
    "network.out.dropped",
    "network.in.errors",
    "network.out.errors",
    "process.count",
    "system.uptime",
];

/// Snapshot keys that map onto DC/OS node names (name, unit).
const SNAPSHOT_NODE: &[(&str, &str, &str)] = &[
    ("system/cpus_total", "cpu.cores", unit::COUNT),
    ("system/load_1min", "load.1min", unit::COUNT),
    ("system/load_5min", "load.5min", unit::COUNT),
    ("system/load_15min", "load.15min", unit::COUNT),
    ("system/mem_total_bytes", "memory.total", unit::BYTES),
    ("system/mem_free_bytes", "memory.free", unit::BYTES),
];

fn now_rfc3339() -> String {
    crate::tasks::format::rfc3339(crate::tasks::format::now_epoch())
}

fn point(name: &str, value: f64, unit: &str, timestamp: &str) -> Datapoint {
    Datapoint {
        name: name.to_string(),
        value: Value::Number(value),
        unit: unit.to_string(),
        timestamp: timestamp.to_string(),
        tags: BTreeMap::new(),
    }
}

/// A node message from a plain Mesos agent's snapshot: the `system/*` keys
/// under their DC/OS names, and every `slave/*` key as it is (the Mesos
/// name; `mem`/`disk` totals and usage in MB as Mesos reports them, unit
/// `megabytes`). Returns the message and the DC/OS names it cannot give
/// (including the mapped names the snapshot lacks).
pub fn derived_node(
    agent: &AgentRef,
    snapshot: &BTreeMap<String, f64>,
) -> (MetricsMessage, Vec<String>) {
    let ts = now_rfc3339();
    let mut datapoints = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for (key, name, u) in SNAPSHOT_NODE {
        match snapshot.get(*key) {
            Some(v) => datapoints.push(point(name, *v, u, &ts)),
            None => unknown.push(name.to_string()),
        }
    }
    unknown.extend(DERIVED_NODE_UNKNOWN.iter().map(|s| s.to_string()));
    for (k, v) in snapshot.range("slave/".to_string()..) {
        if !k.starts_with("slave/") {
            break;
        }
        let megabytes = ["mem_total", "mem_used", "disk_total", "disk_used"]
            .iter()
            .any(|s| k.strip_prefix("slave/") == Some(s));
        let u = if megabytes { "megabytes" } else { unit::COUNT };
        datapoints.push(point(k, *v, u, &ts));
    }
    let message = MetricsMessage {
        datapoints,
        dimensions: Dimensions {
            mesos_id: agent.id.clone(),
            hostname: agent.hostname.clone(),
            ..Dimensions::default()
        },
    };
    (message, unknown)
}

/// The names `task metrics summary` reads; those missing from a derived
/// message are listed as unknown.
pub const TASK_SUMMARY_NAMES: &[&str] = &[
    "cpus.user.time",
    "cpus.system.time",
    "cpus.throttled.time",
    "cpus.limit",
    "mem.total",
    "mem.limit",
    "disk.used",
    "disk.limit",
];

/// A container message from one `/monitor/statistics` entry, and the
/// summary names it lacks (plus `app`: plain Mesos has no statsd metrics).
pub fn derived_container(
    entry: &MonitorEntry,
    agent: &AgentRef,
    task_id: &str,
    task_name: &str,
    container_id: Option<&str>,
) -> (MetricsMessage, Vec<String>) {
    let ts = if entry.statistics.timestamp > 0.0 {
        crate::tasks::format::rfc3339(entry.statistics.timestamp)
    } else {
        now_rfc3339()
    };
    let datapoints = crate::wire::dcos_metrics::container_points(&entry.statistics, &ts, &[]);
    let mut unknown: Vec<String> = TASK_SUMMARY_NAMES
        .iter()
        .filter(|n| !datapoints.iter().any(|d| d.name == **n))
        .map(|s| s.to_string())
        .collect();
    unknown.push("app".into());
    let message = MetricsMessage {
        datapoints,
        dimensions: Dimensions {
            mesos_id: agent.id.clone(),
            hostname: agent.hostname.clone(),
            container_id: container_id.unwrap_or_default().to_string(),
            executor_id: entry.executor_id.clone(),
            framework_id: entry.framework_id.clone(),
            task_id: task_id.to_string(),
            task_name: task_name.to_string(),
            ..Dimensions::default()
        },
    };
    (message, unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent() -> AgentRef {
        AgentRef {
            id: "S0".into(),
            hostname: "h".into(),
            url: "http://127.0.0.1:5051".into(),
        }
    }

    #[test]
    fn dcos_root_and_urls() {
        let l = Url::parse("https://dcos.example/mesos").unwrap();
        assert_eq!(dcos_root(&l).unwrap().as_str(), "https://dcos.example/");
        assert!(dcos_root(&Url::parse("http://m:5050").unwrap()).is_none());
        assert_eq!(
            v0_url(Source::Dcos, &l, &agent(), "/node")
                .unwrap()
                .as_str(),
            "https://dcos.example/system/v1/agent/S0/metrics/v0/node"
        );
        assert_eq!(
            v0_url(Source::Bundled, &l, &agent(), "/ping")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:5051/system/v1/metrics/v0/ping"
        );
        assert!(v0_url(Source::Derived, &l, &agent(), "/node").is_none());
    }

    #[test]
    fn derived_node_maps_system_keys_and_lists_the_rest_as_unknown() {
        let mut s = BTreeMap::new();
        s.insert("system/load_1min".to_string(), 0.1);
        s.insert("system/mem_total_bytes".to_string(), 1000.0);
        s.insert("slave/mem_total".to_string(), 244.0);
        s.insert("zz/other".to_string(), 1.0);
        let (m, unknown) = derived_node(&agent(), &s);
        assert_eq!(m.value("load.1min", None), Some(0.1));
        assert_eq!(m.value("memory.total", None), Some(1000.0));
        assert_eq!(m.get("slave/mem_total", None).unwrap().unit, "megabytes");
        assert!(m.get("zz/other", None).is_none());
        assert!(m.get("memory.free", None).is_none());
        assert!(unknown.contains(&"memory.free".to_string()));
        assert!(unknown.contains(&"cpu.total".to_string()));
        assert!(!unknown.contains(&"load.1min".to_string()));
    }
}
