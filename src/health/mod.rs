//! `mesos health`: cluster health checks in the Nagios plugin convention.
//!
//! Three layers, each usable alone:
//! * [`facts`] gathers what the checks look at (every master's metrics
//!   snapshot, redirect and `/version`, the leader's `/master/state`, each
//!   agent's `/version`, ZooKeeper's `ruok`/`mntr`), never judging it;
//! * [`checks`] are pure functions from [`facts::Facts`] and [`Thresholds`]
//!   to one [`Check`] each;
//! * [`nagios`] renders the one-line plugin output with perfdata and
//!   aggregates the worst state.
//!
//! The checks are documented in docs/metrics.md ("mesos health").

pub mod checks;
pub mod facts;
pub mod memory;
pub mod nagios;
mod zk4lw;

use std::time::Duration;

use serde::Serialize;

/// A Nagios state. Ordered by how bad it is for aggregation:
/// OK < WARNING < UNKNOWN < CRITICAL (see [`worst`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Ok,
    Warning,
    Critical,
    Unknown,
}

impl Status {
    /// The plugin exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Ok => 0,
            Status::Warning => 1,
            Status::Critical => 2,
            Status::Unknown => 3,
        }
    }

    /// `OK`, `WARNING`, `CRITICAL`, `UNKNOWN`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::Warning => "WARNING",
            Status::Critical => "CRITICAL",
            Status::Unknown => "UNKNOWN",
        }
    }

    /// The short form of the table (`OK`, `WARN`, `CRIT`, `UNKN`).
    pub fn short(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::Warning => "WARN",
            Status::Critical => "CRIT",
            Status::Unknown => "UNKN",
        }
    }

    /// Rank for aggregation: CRITICAL > UNKNOWN > WARNING > OK (the order
    /// most Nagios aggregators use: an unknown check may hide a failure,
    /// so it outranks a warning, but a known failure outranks both).
    fn rank(self) -> u8 {
        match self {
            Status::Ok => 0,
            Status::Warning => 1,
            Status::Unknown => 2,
            Status::Critical => 3,
        }
    }
}

/// The worst state of several (OK when there are none).
pub fn worst<'a>(statuses: impl IntoIterator<Item = &'a Status>) -> Status {
    statuses
        .into_iter()
        .copied()
        .max_by_key(|s| s.rank())
        .unwrap_or(Status::Ok)
}

/// One perfdata item: `'label'=value[uom];[warn];[crit];[min];[max]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Perfdata {
    pub label: String,
    pub value: f64,
    /// Unit of measure: "", "s", "ms", "%", "B", "c".
    pub uom: String,
    /// Warning range in Nagios range syntax (e.g. `80`, `@10:20`, `~:5`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

impl Perfdata {
    pub fn new(label: impl Into<String>, value: f64, uom: &str) -> Self {
        Perfdata {
            label: label.into(),
            value,
            uom: uom.to_string(),
            warn: None,
            crit: None,
            min: None,
            max: None,
        }
    }

    /// Warn/crit as "alert above" thresholds (`0:warn` in range syntax,
    /// written as the bare number).
    pub fn above(mut self, warn: f64, crit: f64) -> Self {
        self.warn = Some(nagios::range_above(warn));
        self.crit = Some(nagios::range_above(crit));
        self
    }

    pub fn min_max(mut self, min: Option<f64>, max: Option<f64>) -> Self {
        self.min = min;
        self.max = max;
        self
    }
}

/// The outcome of one check.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// Short name, e.g. `leader`, `agents`.
    pub name: &'static str,
    pub status: Status,
    /// One line saying why (names the masters, agents or tasks at fault).
    pub summary: String,
    /// The measured value the status was decided on (a count, percent,
    /// seconds), when there is one.
    pub value: Option<f64>,
    pub perfdata: Vec<Perfdata>,
}

impl Check {
    pub fn new(name: &'static str, status: Status, summary: impl Into<String>) -> Self {
        Check {
            name,
            status,
            summary: summary.into(),
            value: None,
            perfdata: Vec::new(),
        }
    }

    pub fn value(mut self, v: f64) -> Self {
        self.value = Some(v);
        self
    }

    pub fn perf(mut self, p: Perfdata) -> Self {
        self.perfdata.push(p);
        self
    }
}

/// Thresholds of the checks; the defaults are those of `mesos health --help`.
#[derive(Clone, Debug)]
pub struct Thresholds {
    /// Agents that should be registered and active (none: not checked).
    pub expect_agents: Option<usize>,
    /// Masters that should answer (none: the list given, or 2×quorum−1).
    pub expect_masters: Option<usize>,
    /// Allocated cpus/mem/disk percent: WARNING above.
    pub usage_warn: f64,
    /// Allocated cpus/mem/disk percent: CRITICAL above.
    pub usage_crit: f64,
    /// A task STAGING/STARTING for longer is stuck: WARNING.
    pub stuck_after: Duration,
    /// ... and CRITICAL after this long.
    pub stuck_crit: Duration,
    /// The window for failure and loss counts.
    pub window: Duration,
    /// Tasks FAILED/ERROR in the window: WARNING at or above.
    pub failed_warn: u64,
    pub failed_crit: u64,
    /// Tasks LOST/UNREACHABLE/GONE/DROPPED in the window: WARNING at or above.
    pub lost_warn: u64,
    pub lost_crit: u64,
    /// A leader elected more recently: WARNING (flapping).
    pub min_leader_uptime: Duration,
    /// Clock spread between nodes: WARNING / CRITICAL above.
    pub skew_warn: Duration,
    pub skew_crit: Duration,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            expect_agents: None,
            expect_masters: None,
            usage_warn: 85.0,
            usage_crit: 95.0,
            stuck_after: Duration::from_secs(300),
            stuck_crit: Duration::from_secs(900),
            window: Duration::from_secs(900),
            failed_warn: 5,
            failed_crit: 20,
            lost_warn: 1,
            lost_crit: 5,
            min_leader_uptime: Duration::from_secs(300),
            skew_warn: Duration::from_secs(5),
            skew_crit: Duration::from_secs(30),
        }
    }
}

/// Every check, in the order they are printed.
pub fn run_checks(f: &facts::Facts, t: &Thresholds) -> Vec<Check> {
    let mut out = vec![
        checks::masters(f, t),
        checks::leader(f),
        checks::leader_uptime(f, t),
    ];
    if f.zk.is_some() {
        out.push(checks::zookeeper(f));
    }
    out.extend([
        checks::agents(f, t),
        checks::resources(f, t),
        checks::stuck_tasks(f, t),
        checks::task_failures(f, t),
        checks::task_losses(f, t),
        checks::frameworks(f),
        checks::clock_skew(f, t),
        checks::versions(f),
    ]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_state_wins_with_unknown_between_warning_and_critical() {
        use Status::*;
        assert_eq!(worst(&[]), Ok);
        assert_eq!(worst(&[Ok, Warning, Ok]), Warning);
        assert_eq!(worst(&[Warning, Unknown]), Unknown);
        assert_eq!(worst(&[Unknown, Critical, Warning]), Critical);
        assert_eq!(Critical.exit_code(), 2);
        assert_eq!(Unknown.exit_code(), 3);
    }
}

#[cfg(test)]
mod checks_tests;
