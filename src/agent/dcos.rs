//! The agent as a dcos-metrics v0 source: the node and container
//! `MetricsMessage`s (docs/metrics.md#the-bundled-agent-as-a-metrics-source).
//! Names, units and dimensions follow dcos-metrics; values come from the
//! background node sample ([`super::hostmetrics`]) and the executors'
//! measured usage ([`super::monitor`], the numbers `/monitor/statistics`
//! and `/containers` report).

use std::collections::BTreeMap;

use super::core::Agent;
use super::hostmetrics::{rfc3339_nanos, NodeSample};
use super::monitor::LiveContainer;
use crate::wire::dcos_metrics::{unit, Datapoint, Dimensions, MetricsMessage, Value};

/// Task labels dcos-metrics leaves out of the dimensions.
const DROPPED_LABELS: &[&str] = &[
    "DCOS_PACKAGE_DEFINITION",
    "DCOS_PACKAGE_FRAMEWORK_NAME",
    "DCOS_PACKAGE_METADATA",
    "DCOS_PACKAGE_OPTIONS",
    "DCOS_PACKAGE_SOURCE",
    "DCOS_SERVICE_PORT_INDEX",
    "DCOS_SERVICE_SCHEME",
    "MARATHON_SINGLE_INSTANCE_APP",
];
/// Longer label values are left out too.
const MAX_LABEL_VALUE: usize = 128;

fn point(name: &str, value: f64, unit: &str, ts: &str, tags: &[(&str, &str)]) -> Datapoint {
    Datapoint {
        name: name.to_string(),
        value: Value::Number(value),
        unit: unit.to_string(),
        timestamp: ts.to_string(),
        tags: tags
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

/// The `/node` datapoints of one sample.
pub fn node_datapoints(s: &NodeSample) -> Vec<Datapoint> {
    use unit::{BYTES, COUNT, PERCENT};
    let ts = s.timestamp.as_str();
    let p = |n: &str, v: f64, u: &str| point(n, v, u, ts, &[]);
    let m = &s.memory;
    let mut out = vec![
        p("system.uptime", s.uptime_secs as f64, COUNT),
        p("cpu.cores", s.cores as f64, COUNT),
        p("cpu.total", s.cpu.total(), PERCENT),
        p("cpu.user", s.cpu.user, PERCENT),
        p("cpu.system", s.cpu.system, PERCENT),
        p("cpu.idle", s.cpu.idle, PERCENT),
        p("cpu.wait", s.cpu.wait, PERCENT),
        p("load.1min", s.load.0, COUNT),
        p("load.5min", s.load.1, COUNT),
        p("load.15min", s.load.2, COUNT),
        p("memory.total", m.total as f64, BYTES),
        p("memory.free", m.free as f64, BYTES),
        p("memory.buffers", m.buffers as f64, BYTES),
        p("memory.cached", m.cached as f64, BYTES),
        p("swap.total", m.swap_total as f64, BYTES),
        p("swap.free", m.swap_free as f64, BYTES),
        p(
            "swap.used",
            m.swap_total.saturating_sub(m.swap_free) as f64,
            BYTES,
        ),
        p("process.count", s.process_count as f64, COUNT),
    ];
    for f in &s.filesystems {
        let t = [("path", f.path.as_str())];
        let fp = |n: &str, v: u64, u: &str| point(n, v as f64, u, ts, &t);
        out.push(fp("filesystem.capacity.total", f.capacity_total, BYTES));
        out.push(fp("filesystem.capacity.used", f.capacity_used, BYTES));
        out.push(fp("filesystem.capacity.free", f.capacity_free, BYTES));
        out.push(fp("filesystem.inode.total", f.inode_total, COUNT));
        out.push(fp("filesystem.inode.used", f.inode_used, COUNT));
        out.push(fp("filesystem.inode.free", f.inode_free, COUNT));
    }
    for n in &s.networks {
        let t = [("interface", n.interface.as_str())];
        let np = |name: &str, v: u64, u: &str| point(name, v as f64, u, ts, &t);
        out.push(np("network.in", n.rx_bytes, BYTES));
        out.push(np("network.out", n.tx_bytes, BYTES));
        out.push(np("network.in.packets", n.rx_packets, COUNT));
        out.push(np("network.out.packets", n.tx_packets, COUNT));
        out.push(np("network.in.dropped", n.rx_dropped, COUNT));
        out.push(np("network.out.dropped", n.tx_dropped, COUNT));
        out.push(np("network.in.errors", n.rx_errors, COUNT));
        out.push(np("network.out.errors", n.tx_errors, COUNT));
    }
    out
}

/// `mesos_id` (the agent id, `""` before registration), `hostname` (the
/// agent's IP, as DC/OS ip-detect gives it) and `cluster_id` (the
/// `/var/lib/dcos/cluster-id` file when present).
pub fn node_dimensions(agent: &Agent) -> Dimensions {
    Dimensions {
        mesos_id: agent.agent_id().unwrap_or_default(),
        hostname: agent.cfg.advertise_ip.clone(),
        cluster_id: std::fs::read_to_string("/var/lib/dcos/cluster-id")
            .map(|s| s.trim().to_string())
            .unwrap_or_default(),
        ..Dimensions::default()
    }
}

/// `GET …/v0/node`: `None` before the first sample (204).
pub fn node_message(agent: &Agent) -> Option<MetricsMessage> {
    let s = agent.host.node()?;
    Some(MetricsMessage {
        datapoints: node_datapoints(&s),
        dimensions: node_dimensions(agent),
    })
}

/// The container's datapoints (dcos-metrics names for the
/// ResourceStatistics fields this agent measures; `net.*` is never
/// measured: executors share the host network).
pub fn container_datapoints(c: &LiveContainer) -> Vec<Datapoint> {
    let s = &c.statistics;
    let ts = crate::datetime::utc(s.timestamp)
        .map(rfc3339_nanos)
        .unwrap_or_default();
    let tags = [
        ("container_id", c.container_id.as_str()),
        ("source", c.source.as_str()),
        ("framework_id", c.framework_id.as_str()),
        ("executor_id", c.executor_id.as_str()),
        ("executor_name", c.executor_name.as_str()),
    ];
    crate::wire::dcos_metrics::container_points(s, &ts, &tags)
}

/// Task labels kept as dimensions.
pub fn kept_labels(labels: &crate::wire::Labels) -> BTreeMap<String, String> {
    labels
        .iter()
        .filter(|l| !DROPPED_LABELS.contains(&l.key.as_str()))
        .map(|l| (l.key.clone(), l.value.clone().unwrap_or_default()))
        .filter(|(_, v)| v.len() <= MAX_LABEL_VALUE)
        .collect()
}

/// The container's dimensions: node dimensions plus its framework,
/// executor and task.
pub fn container_dimensions(agent: &Agent, c: &LiveContainer) -> Dimensions {
    let mut d = node_dimensions(agent);
    d.container_id = c.container_id.clone();
    d.executor_id = c.executor_id.clone();
    d.framework_id = c.framework_id.clone();
    let st = agent.lock();
    if let Some(f) = st.frameworks.get(&c.framework_id) {
        d.framework_name = f.parsed.name.clone();
        d.framework_role = f
            .parsed
            .roles()
            .first()
            .map(|r| r.to_string())
            .unwrap_or_default();
        d.framework_principal = f.parsed.principal.clone().unwrap_or_default();
        if let Some(e) = f.executors.get(&c.executor_id) {
            d.task_id = e.task.id.clone();
            d.task_name = e.task.name.clone();
            d.labels = kept_labels(&super::render::labels_of(e.task.info.labels.as_ref()));
        }
    }
    d
}

/// `GET …/v0/containers/{id}`: `None` for an unknown container (204).
pub fn container_message(
    agent: &Agent,
    live: &[LiveContainer],
    id: &str,
) -> Option<MetricsMessage> {
    let c = live.iter().find(|c| c.container_id == id)?;
    Some(MetricsMessage {
        datapoints: container_datapoints(c),
        dimensions: container_dimensions(agent, c),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Label, Labels};

    #[test]
    fn dcos_labels_and_long_values_are_dropped() {
        let l = |k: &str, v: &str| Label {
            key: k.into(),
            value: Some(v.into()),
        };
        let labels = Labels(vec![
            l("team", "infra"),
            l("DCOS_PACKAGE_OPTIONS", "e30="),
            l("MARATHON_SINGLE_INSTANCE_APP", "true"),
            l("DCOS_SERVICE_SCHEME", "http"),
            l("blob", &"x".repeat(129)),
            l("edge", &"y".repeat(128)),
        ]);
        let kept = kept_labels(&labels);
        assert_eq!(kept.keys().collect::<Vec<_>>(), vec!["edge", "team"]);
    }

    #[test]
    fn node_points_carry_dcos_names_units_and_tags() {
        let s = NodeSample {
            timestamp: "2017-11-14T18:32:44.488816719Z".into(),
            cores: 2,
            filesystems: vec![super::super::hostmetrics::FsUsage {
                path: "/".into(),
                capacity_total: 100,
                ..Default::default()
            }],
            networks: vec![super::super::hostmetrics::parse::NetDev {
                interface: "lo".into(),
                tx_bytes: 7,
                ..Default::default()
            }],
            ..Default::default()
        };
        let m = MetricsMessage {
            datapoints: node_datapoints(&s),
            dimensions: Dimensions::default(),
        };
        assert_eq!(m.value("cpu.cores", None), Some(2.0));
        assert_eq!(m.get("cpu.total", None).unwrap().unit, "percent");
        assert_eq!(
            m.value("filesystem.capacity.total", Some(("path", "/"))),
            Some(100.0)
        );
        assert_eq!(m.value("network.out", Some(("interface", "lo"))), Some(7.0));
        assert_eq!(m.datapoints.len(), 18 + 6 + 8);
    }
}
