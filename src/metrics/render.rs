//! Table rows and value formatting shared by `mesos node metrics`, `mesos
//! task metrics` and `mesos metrics` (the commands stay thin): bytes as
//! GiB/MiB, percent with `%`, unknown as `-`, and the per-tick loop of
//! `--watch` (clear + redraw on a terminal, NDJSON lines otherwise).

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::{NodeSummary, TaskSummary};
use crate::output::TableRow;
use crate::wire::dcos_metrics::{unit, Datapoint, Value};

/// Bytes as dcoscli shows them: `1.76 GiB`, `512.00 MiB` (below 1 GiB), or
/// `0 B`.
pub fn bytes(n: f64) -> String {
    const GIB: f64 = 1024.0 * 1024.0 * 1024.0;
    const MIB: f64 = 1024.0 * 1024.0;
    if n >= GIB {
        format!("{:.2} GiB", n / GIB)
    } else if n >= MIB {
        format!("{:.2} MiB", n / MIB)
    } else if n >= 1024.0 {
        format!("{:.2} KiB", n / 1024.0)
    } else {
        format!("{n} B")
    }
}

/// A number without trailing noise (`3`, `0.25`, `1.123`).
pub fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A datapoint value by unit: bytes as GiB/MiB, percent with `%`.
pub fn value(d: &Datapoint) -> String {
    match d.value {
        Value::NaN => "NaN".into(),
        Value::Number(n) => match d.unit.as_str() {
            unit::BYTES => bytes(n),
            unit::PERCENT => format!("{}%", number(n)),
            _ => number(n),
        },
    }
}

/// `k:v,k:v` (or empty).
pub fn tags(d: &Datapoint) -> String {
    d.tags
        .iter()
        .map(|(k, v)| format!("{k}:{v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn opt<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map(f).unwrap_or_else(|| "-".into())
}

fn used_of(used: Option<u64>, total: Option<u64>) -> String {
    match (used, total) {
        (None, None) => "-".into(),
        (u, t) => format!(
            "{} / {}",
            opt(u, |v| bytes(v as f64)),
            opt(t, |v| bytes(v as f64))
        ),
    }
}

/// One row of `node metrics summary`.
#[derive(Serialize)]
#[serde(transparent)]
pub struct NodeRow(pub NodeSummary);

impl TableRow for NodeRow {
    fn headers() -> Vec<&'static str> {
        vec!["AGENT", "HOST", "CPU", "LOAD", "MEM", "DISK", "TASKS"]
    }
    fn cells(&self) -> Vec<String> {
        let s = &self.0;
        vec![
            s.agent_id.clone(),
            s.hostname.clone(),
            opt(s.cpu_percent, |v| format!("{v:.2}%")),
            opt(s.load_1min, number),
            used_of(s.mem_used_bytes, s.mem_total_bytes),
            used_of(s.disk_used_bytes, s.disk_total_bytes),
            opt(s.tasks, |v| v.to_string()),
        ]
    }
}

/// One datapoint row of `node|task metrics details`.
#[derive(Serialize)]
#[serde(transparent)]
pub struct PointRow(pub Datapoint);

impl TableRow for PointRow {
    fn headers() -> Vec<&'static str> {
        vec!["NAME", "VALUE", "UNIT", "TAGS"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.0.name.clone(),
            value(&self.0),
            self.0.unit.clone(),
            tags(&self.0),
        ]
    }
}

/// One row of `task metrics summary`.
#[derive(Serialize)]
#[serde(transparent)]
pub struct TaskRow(pub TaskSummary);

impl TableRow for TaskRow {
    fn headers() -> Vec<&'static str> {
        vec![
            "TASK",
            "CPU USER",
            "CPU SYSTEM",
            "THROTTLED",
            "CPUS",
            "MEM",
            "DISK",
        ]
    }
    fn cells(&self) -> Vec<String> {
        let s = &self.0;
        let secs = |v: f64| format!("{}s", number(v));
        vec![
            s.task_id.clone(),
            opt(s.cpus_user_time_secs, secs),
            opt(s.cpus_system_time_secs, secs),
            opt(s.cpus_throttled_time_secs, secs),
            opt(s.cpus_limit, number),
            used_of(s.mem_total_bytes, s.mem_limit_bytes),
            used_of(s.disk_used_bytes, s.disk_limit_bytes),
        ]
    }
}

/// One row of `mesos metrics`.
#[derive(Serialize)]
pub struct SnapshotRow {
    pub name: String,
    pub value: f64,
}

impl TableRow for SnapshotRow {
    fn headers() -> Vec<&'static str> {
        vec!["NAME", "VALUE"]
    }
    fn cells(&self) -> Vec<String> {
        vec![self.name.clone(), number(self.value)]
    }
}

/// The snapshot entries whose name starts with `prefix`, sorted by name.
pub fn filter_snapshot(
    snap: &BTreeMap<String, f64>,
    prefix: Option<&str>,
) -> BTreeMap<String, f64> {
    snap.iter()
        .filter(|(k, _)| prefix.is_none_or(|p| k.starts_with(p)))
        .map(|(k, v)| (k.clone(), *v))
        .collect()
}

/// Clear a terminal and move home (the `--watch` redraw).
pub const CLEAR: &str = "\x1b[H\x1b[2J";

/// What starts a `--watch` frame on a terminal: [`CLEAR`] (redraw in
/// place) when escape sequences are allowed (`color`: a TTY without
/// NO_COLOR), else a blank line (frames follow one another).
pub fn frame_start(color: bool) -> &'static str {
    if color {
        CLEAR
    } else {
        "\n"
    }
}

/// Wait `interval` or until Ctrl-C; `false` when interrupted.
pub async fn tick(interval: Duration) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(interval) => true,
        _ = tokio::signal::ctrl_c() => false,
    }
}

/// Parse the `--watch` interval (default 2s when given without a value).
pub fn parse_interval(s: &str) -> std::result::Result<Duration, String> {
    let d = crate::duration::parse_duration(s)?;
    if d.is_zero() {
        return Err("the --watch interval must be greater than zero".into());
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_by_unit() {
        let d = |v: f64, u: &str| Datapoint {
            name: "x".into(),
            value: Value::Number(v),
            unit: u.into(),
            timestamp: String::new(),
            tags: BTreeMap::new(),
        };
        assert_eq!(value(&d(1885151232.0, "bytes")), "1.76 GiB");
        assert_eq!(value(&d(1048576.0 * 3.0, "bytes")), "3.00 MiB");
        assert_eq!(value(&d(0.09, "percent")), "0.09%");
        assert_eq!(value(&d(38436612.0, "count")), "38436612");
        assert_eq!(number(0.1), "0.1");
    }
}
