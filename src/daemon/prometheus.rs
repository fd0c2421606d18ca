//! Prometheus text exposition (format 0.0.4) of both daemons'
//! `GET /metrics/prometheus` (docs/metrics.md#prometheus): every
//! `/metrics/snapshot` key as a gauge named `mesos_<key>` (non-word
//! characters → `_`), and, on the agent, the dcos-metrics datapoints named
//! as dcos-metrics' Prometheus producer names them (HELP `DC/OS Metrics
//! Datapoint`, dimensions and tags as labels, every sample of a family
//! carrying the union of the family's label names).

use std::collections::{BTreeMap, BTreeSet};

use crate::wire::dcos_metrics::MetricsMessage;

/// The Content-Type of the exposition.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";
/// HELP of every dcos-metrics family.
pub const DCOS_HELP: &str = "DC/OS Metrics Datapoint";

#[derive(Debug, Default)]
struct Family {
    help: String,
    samples: Vec<(BTreeMap<String, String>, f64)>,
}

/// Gauge families being collected, rendered in name order.
#[derive(Debug, Default)]
pub struct Exposition {
    families: BTreeMap<String, Family>,
}

/// A Prometheus name: every character outside `[A-Za-z0-9_]` becomes `_`,
/// lower-cased, `_` prepended unless it starts with a letter or `_`.
pub fn sanitize(raw: &str) -> String {
    let mut s: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        s.insert(0, '_');
    }
    s
}

/// The name of a `/metrics/snapshot` key: `master/elected` →
/// `mesos_master_elected`.
pub fn snapshot_name(key: &str) -> String {
    format!("mesos_{}", sanitize(key))
}

/// A label value or HELP text escaped: `\` → `\\`, newline → `\n`, and
/// (`quote`) `"` → `\"`.
fn escape(s: &str, quote: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '"' if quote => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out
}

fn format_value(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        format!("{v}")
    }
}

impl Exposition {
    /// Add one gauge sample (`name` already a valid Prometheus name).
    pub fn gauge(&mut self, name: &str, help: &str, labels: BTreeMap<String, String>, value: f64) {
        let f = self.families.entry(name.to_string()).or_default();
        if f.help.is_empty() {
            f.help = help.to_string();
        }
        f.samples.push((labels, value));
    }

    /// Every snapshot key as a gauge `mesos_<key>`.
    pub fn add_snapshot(&mut self, snapshot: &BTreeMap<String, f64>) {
        for (k, v) in snapshot {
            self.gauge(
                &snapshot_name(k),
                &format!("Mesos metric {k}"),
                BTreeMap::new(),
                *v,
            );
        }
    }

    /// Every datapoint of a dcos-metrics message, labelled with the
    /// message's (non-empty) dimensions, its `labels` flattened, and the
    /// datapoint's tags. NaN app values are skipped.
    pub fn add_message(&mut self, m: &MetricsMessage) {
        let d = &m.dimensions;
        let mut base: BTreeMap<String, String> = BTreeMap::new();
        let dims = [
            ("mesos_id", &d.mesos_id),
            ("cluster_id", &d.cluster_id),
            ("hostname", &d.hostname),
            ("container_id", &d.container_id),
            ("executor_id", &d.executor_id),
            ("framework_id", &d.framework_id),
            ("framework_name", &d.framework_name),
            ("framework_role", &d.framework_role),
            ("framework_principal", &d.framework_principal),
            ("task_id", &d.task_id),
            ("task_name", &d.task_name),
        ];
        for (k, v) in dims {
            if !v.is_empty() || k == "mesos_id" || k == "hostname" {
                base.insert(k.to_string(), v.clone());
            }
        }
        for (k, v) in &d.labels {
            base.insert(sanitize(k), v.clone());
        }
        for p in &m.datapoints {
            let Some(v) = p.value.number() else { continue };
            let mut labels = base.clone();
            for (k, t) in &p.tags {
                labels.insert(sanitize(k), t.clone());
            }
            self.gauge(&sanitize(&p.name), DCOS_HELP, labels, v);
        }
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (name, f) in &self.families {
            let names: BTreeSet<&String> = f.samples.iter().flat_map(|(l, _)| l.keys()).collect();
            out.push_str(&format!("# HELP {name} {}\n", escape(&f.help, false)));
            out.push_str(&format!("# TYPE {name} gauge\n"));
            for (labels, v) in &f.samples {
                out.push_str(name);
                if !names.is_empty() {
                    let parts: Vec<String> = names
                        .iter()
                        .map(|k| {
                            let v = labels.get(*k).map(String::as_str).unwrap_or("");
                            format!("{k}=\"{}\"", escape(v, true))
                        })
                        .collect();
                    out.push('{');
                    out.push_str(&parts.join(","));
                    out.push('}');
                }
                out.push(' ');
                out.push_str(&format_value(*v));
                out.push('\n');
            }
        }
        out
    }
}

/// `200` with the exposition text.
pub fn response(text: String) -> axum::response::Response {
    let mut r = axum::response::Response::new(axum::body::Body::from(text));
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(CONTENT_TYPE),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::dcos_metrics::{Datapoint, Dimensions, Value};

    #[test]
    fn names_follow_the_dcos_and_mesos_rules() {
        assert_eq!(sanitize("cpu.total"), "cpu_total");
        assert_eq!(sanitize("load.1min"), "load_1min");
        assert_eq!(
            sanitize("Filesystem.Capacity.Used"),
            "filesystem_capacity_used"
        );
        assert_eq!(sanitize("1min"), "_1min");
        assert_eq!(
            snapshot_name("slave/tasks_running"),
            "mesos_slave_tasks_running"
        );
        assert_eq!(snapshot_name("system/load_1min"), "mesos_system_load_1min");
        assert_eq!(
            snapshot_name("registrar/state_fetch_ms/p99.9"),
            "mesos_registrar_state_fetch_ms_p99_9"
        );
    }

    #[test]
    fn families_carry_the_union_of_label_names_and_escape_values() {
        let dp = |path: Option<&str>, v: f64| Datapoint {
            name: "filesystem.capacity.used".into(),
            value: Value::Number(v),
            unit: "bytes".into(),
            timestamp: String::new(),
            tags: path
                .map(|p| ("path".to_string(), p.to_string()))
                .into_iter()
                .collect(),
        };
        let m = MetricsMessage {
            datapoints: vec![
                dp(Some("/"), 5.0),
                dp(None, 1.5),
                dp(Some("/a \"b\"\\c\nd"), 2.0),
            ],
            dimensions: Dimensions {
                mesos_id: "S1".into(),
                hostname: "10.0.0.1".into(),
                ..Dimensions::default()
            },
        };
        let mut e = Exposition::default();
        e.add_message(&m);
        let mut snap = BTreeMap::new();
        snap.insert("master/elected".to_string(), 1.0);
        e.add_snapshot(&snap);
        let text = e.render();
        let expected = "# HELP filesystem_capacity_used DC/OS Metrics Datapoint\n\
# TYPE filesystem_capacity_used gauge\n\
filesystem_capacity_used{hostname=\"10.0.0.1\",mesos_id=\"S1\",path=\"/\"} 5\n\
filesystem_capacity_used{hostname=\"10.0.0.1\",mesos_id=\"S1\",path=\"\"} 1.5\n\
filesystem_capacity_used{hostname=\"10.0.0.1\",mesos_id=\"S1\",path=\"/a \\\"b\\\"\\\\c\\nd\"} 2\n\
# HELP mesos_master_elected Mesos metric master/elected\n\
# TYPE mesos_master_elected gauge\n\
mesos_master_elected 1\n";
        assert_eq!(text, expected);
        assert_eq!(format_value(f64::INFINITY), "+Inf");
        assert_eq!(format_value(f64::NAN), "NaN");
        assert_eq!(format_value(0.25), "0.25");
    }
}
