//! The data of one `mesos top` frame: what the view renders and what
//! `mesos top --once --json` prints. Built by [`super::gather`], rendered by
//! [`super::view`]; nothing here talks to the cluster.

use std::collections::BTreeMap;

use serde::Serialize;

/// One frame: the header, the agents and the busiest tasks.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Frame {
    /// The leading master (`host:port`).
    pub leader: String,
    /// The master's `--cluster` name, when it has one.
    pub cluster: Option<String>,
    /// Epoch seconds when the frame was gathered.
    pub timestamp: f64,
    pub agents_active: u64,
    pub agents_total: u64,
    pub frameworks: u64,
    /// Tasks by state name (`TASK_RUNNING`, ...), only states with tasks.
    pub task_counts: BTreeMap<String, u64>,
    pub agents: Vec<AgentRow>,
    /// Tasks with usage, busiest first (by CPU unless sorted otherwise).
    pub tasks: Vec<TaskRow>,
}

/// How an agent answered this round.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", content = "error", rename_all = "snake_case")]
pub enum AgentStatus {
    /// Answered both requests.
    Ok,
    /// Registered but deactivated (not asked).
    Inactive,
    /// Did not answer in time or answered with an error (the text says which).
    Failed(String),
}

/// One row of the agents table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentRow {
    pub id: String,
    pub hostname: String,
    #[serde(flatten)]
    pub status: AgentStatus,
    /// CPU used by the agent's containers, percent of its CPUs.
    pub cpu_percent: Option<f64>,
    pub cpus_total: Option<f64>,
    pub load_1min: Option<f64>,
    /// Host memory in use (total - free), else memory allocated to tasks.
    pub mem_used_bytes: Option<u64>,
    pub mem_total_bytes: Option<u64>,
    /// Disk allocated to tasks of the agent's disk resources.
    pub disk_used_bytes: Option<u64>,
    pub disk_total_bytes: Option<u64>,
    /// Active (non-terminal) tasks on the agent.
    pub tasks: u64,
    /// Recent CPU percentages, oldest first (one per refresh).
    pub cpu_history: Vec<f64>,
    /// Recent memory percentages, oldest first.
    pub mem_history: Vec<f64>,
}

/// One row of the busiest tasks table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskRow {
    pub id: String,
    pub name: String,
    pub framework: String,
    pub agent: String,
    pub state: String,
    /// CPU use over the last interval, percent of the container's CPU limit
    /// (user + system seconds per second / cpus_limit x 100).
    pub cpu_percent: Option<f64>,
    pub cpus_limit: Option<f64>,
    pub mem_rss_bytes: Option<u64>,
    pub mem_limit_bytes: Option<u64>,
}

/// The order of the busiest tasks table (`s` cycles it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    #[default]
    Cpu,
    Mem,
}

impl SortBy {
    pub fn next(self) -> SortBy {
        match self {
            SortBy::Cpu => SortBy::Mem,
            SortBy::Mem => SortBy::Cpu,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            SortBy::Cpu => "cpu",
            SortBy::Mem => "mem",
        }
    }
}

impl AgentRow {
    /// Memory use, percent of the total.
    pub fn mem_percent(&self) -> Option<f64> {
        percent(self.mem_used_bytes?, self.mem_total_bytes?)
    }
    /// Disk use, percent of the total.
    pub fn disk_percent(&self) -> Option<f64> {
        percent(self.disk_used_bytes?, self.disk_total_bytes?)
    }
}

impl TaskRow {
    /// RSS, percent of the memory limit.
    pub fn mem_percent(&self) -> Option<f64> {
        percent(self.mem_rss_bytes?, self.mem_limit_bytes?)
    }
}

fn percent(used: u64, total: u64) -> Option<f64> {
    (total > 0).then(|| used as f64 * 100.0 / total as f64)
}

/// Sort tasks busiest first; ties (and unknown values, last) by task id.
pub fn sort_tasks(tasks: &mut [TaskRow], by: SortBy) {
    let key = |t: &TaskRow| match by {
        SortBy::Cpu => t.cpu_percent,
        SortBy::Mem => t.mem_rss_bytes.map(|b| b as f64),
    };
    tasks.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        match (ka, kb) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.id.cmp(&b.id))
    });
}

/// The fixed order of task states in the header (others follow by name).
pub const STATE_ORDER: &[&str] = &[
    "TASK_RUNNING",
    "TASK_STAGING",
    "TASK_STARTING",
    "TASK_KILLING",
    "TASK_FINISHED",
    "TASK_FAILED",
    "TASK_KILLED",
    "TASK_LOST",
    "TASK_ERROR",
    "TASK_UNREACHABLE",
    "TASK_GONE",
    "TASK_DROPPED",
    "TASK_UNKNOWN",
];

/// `(RUNNING, n)` pairs in [`STATE_ORDER`], without the `TASK_` prefix.
pub fn ordered_counts(counts: &BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let rank = |s: &str| {
        STATE_ORDER
            .iter()
            .position(|x| *x == s)
            .unwrap_or(STATE_ORDER.len())
    };
    let mut v: Vec<(&String, &u64)> = counts.iter().collect();
    v.sort_by(|a, b| rank(a.0).cmp(&rank(b.0)).then_with(|| a.0.cmp(b.0)));
    v.into_iter()
        .map(|(s, n)| (s.trim_start_matches("TASK_").to_string(), *n))
        .collect()
}

/// A sparkline of values in 0..=100 (eight block heights), the last
/// `width` values.
pub fn sparkline(values: &[f64], width: usize) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let start = values.len().saturating_sub(width);
    values[start..]
        .iter()
        .map(|v| {
            let i = (v.clamp(0.0, 100.0) / 100.0 * 7.0).round() as usize;
            BARS[i.min(7)]
        })
        .collect()
}

/// How many values the histories keep.
pub const HISTORY: usize = 60;

/// Append to a bounded history.
pub fn push_history(h: &mut Vec<f64>, v: f64) {
    h.push(v);
    if h.len() > HISTORY {
        let drop = h.len() - HISTORY;
        h.drain(..drop);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, cpu: Option<f64>, rss: Option<u64>) -> TaskRow {
        TaskRow {
            id: id.into(),
            name: id.into(),
            framework: "f".into(),
            agent: "a".into(),
            state: "TASK_RUNNING".into(),
            cpu_percent: cpu,
            cpus_limit: Some(1.0),
            mem_rss_bytes: rss,
            mem_limit_bytes: Some(100),
        }
    }

    #[test]
    fn tasks_sort_busiest_first_unknown_last() {
        let mut t = vec![
            task("a", Some(5.0), Some(50)),
            task("b", None, None),
            task("c", Some(90.0), Some(10)),
        ];
        sort_tasks(&mut t, SortBy::Cpu);
        let ids: Vec<&str> = t.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["c", "a", "b"]);
        sort_tasks(&mut t, SortBy::Mem);
        let ids: Vec<&str> = t.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["a", "c", "b"]);
    }

    #[test]
    fn counts_in_state_order() {
        let c: BTreeMap<String, u64> = [("TASK_FAILED", 2), ("TASK_RUNNING", 3), ("TASK_ZZZ", 1)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        assert_eq!(
            ordered_counts(&c),
            [
                ("RUNNING".into(), 3),
                ("FAILED".into(), 2),
                ("ZZZ".into(), 1)
            ]
        );
    }

    #[test]
    fn sparkline_scales_and_keeps_the_last_values() {
        assert_eq!(sparkline(&[0.0, 50.0, 100.0, 250.0], 3), "▅██");
        assert_eq!(sparkline(&[0.0, 100.0], 10), "▁█");
        let mut h = Vec::new();
        for i in 0..100 {
            push_history(&mut h, i as f64);
        }
        assert_eq!(h.len(), HISTORY);
        assert_eq!(h[0], 40.0);
    }
}
