//! One pure function per check: facts and thresholds in, one [`Check`] out.

use std::collections::BTreeSet;

use super::facts::Facts;
use super::nagios::range_below;
use super::{Check, Perfdata, Status, Thresholds};
use crate::duration::format_duration;
use crate::wire::{Task, TaskState};

/// Most names listed in one summary; the rest are counted.
const MAX_NAMED: usize = 5;

fn names(items: &[String]) -> String {
    let mut s = items
        .iter()
        .take(MAX_NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > MAX_NAMED {
        s.push_str(&format!(" and {} more", items.len() - MAX_NAMED));
    }
    s
}

fn secs(v: f64) -> String {
    format_duration(std::time::Duration::from_secs_f64(v.max(0.0)))
}

fn no_state(name: &'static str, f: &Facts) -> Check {
    Check::new(
        name,
        Status::Unknown,
        format!(
            "no leader state: {}",
            f.state_error.as_deref().unwrap_or("not read")
        ),
    )
}

/// Every configured master answers. One down while a quorum still answers:
/// WARNING naming it; a majority down or none at all: CRITICAL.
pub fn masters(f: &Facts, t: &Thresholds) -> Check {
    let up = f.masters.iter().filter(|m| m.error.is_none()).count();
    let expected = t
        .expect_masters
        .or(f.expected_masters)
        .unwrap_or(f.masters.len())
        .max(f.masters.len())
        .max(1);
    let down: Vec<String> = f
        .masters
        .iter()
        .filter_map(|m| m.error.as_ref().map(|e| format!("{} ({e})", m.address)))
        .collect();
    let quorum = expected / 2 + 1;
    let mut perf =
        Perfdata::new("masters_up", up as f64, "").min_max(Some(0.0), Some(expected as f64));
    perf.warn = Some(range_below(expected as f64));
    perf.crit = Some(range_below(quorum as f64));
    let (status, summary) = if let Some(e) = &f.zk_error {
        (
            Status::Critical,
            format!("cannot read the masters from {}: {e}", f.masters_from),
        )
    } else if up == 0 {
        (
            Status::Critical,
            if down.is_empty() {
                format!("no master found in {}", f.masters_from)
            } else {
                format!("no master answers: {}", names(&down))
            },
        )
    } else if up < quorum {
        (
            Status::Critical,
            format!(
                "only {up} of {expected} masters answer (quorum {quorum}); down: {}",
                names(&down)
            ),
        )
    } else if !down.is_empty() {
        (
            Status::Warning,
            format!("{up} of {expected} masters answer; down: {}", names(&down)),
        )
    } else if up < expected {
        (
            Status::Warning,
            format!(
                "{up} of {expected} expected masters found in {} (quorum {quorum} still there)",
                f.masters_from
            ),
        )
    } else {
        (Status::Ok, format!("{up} of {expected} masters answer"))
    };
    Check::new("masters", status, summary)
        .value(up as f64)
        .perf(perf)
}

/// Exactly one master is elected and every answering master's redirect
/// names it; else CRITICAL.
pub fn leader(f: &Facts) -> Check {
    let elected: Vec<&str> = f
        .masters
        .iter()
        .filter(|m| m.elected == Some(true))
        .map(|m| m.address.as_str())
        .collect();
    let up: Vec<_> = f.masters.iter().filter(|m| m.error.is_none()).collect();
    let check =
        |status, text: String| Check::new("leader", status, text).value(elected.len() as f64);
    match elected.as_slice() {
        [] => check(
            Status::Critical,
            format!("no elected leader among {} answering masters", up.len()),
        ),
        [one] => {
            let leader = one.to_ascii_lowercase();
            let disagree: Vec<String> = up
                .iter()
                .filter(|m| m.follows.as_deref().is_some_and(|l| l != leader))
                .map(|m| {
                    format!(
                        "{} names {}",
                        m.address,
                        m.follows.as_deref().unwrap_or("?")
                    )
                })
                .collect();
            if disagree.is_empty() {
                check(
                    Status::Ok,
                    format!(
                        "leader {one} elected, all {} answering masters agree",
                        up.len()
                    ),
                )
            } else {
                check(
                    Status::Critical,
                    format!("leader {one} elected but {}", names(&disagree)),
                )
            }
        }
        many => check(
            Status::Critical,
            format!("{} masters say they lead: {}", many.len(), many.join(", ")),
        ),
    }
}

/// The leader was elected at least `--min-leader-uptime` ago (else a recent
/// re-election: WARNING). From `elected_time` in its state against its own
/// clock, else from its `master/uptime_secs`.
pub fn leader_uptime(f: &Facts, t: &Thresholds) -> Check {
    let from_state = f.state.as_ref().and_then(|s| {
        let elected = s.elected_time?;
        let clock = f.leader_clock.unwrap_or(f.now);
        Some(clock - elected)
    });
    let Some(age) = from_state.or_else(|| f.leader().and_then(|l| l.uptime_secs)) else {
        return Check::new("leader-uptime", Status::Unknown, "no leader to ask");
    };
    // The leader's `Date` header has whole seconds and `elected_time` does
    // not: a just-elected leader can look elected in the future.
    let age = age.max(0.0);
    let min = t.min_leader_uptime.as_secs_f64();
    let mut perf =
        Perfdata::new("leader_uptime", age.max(0.0).round(), "s").min_max(Some(0.0), None);
    perf.warn = Some(range_below(min));
    let (status, text) = if age < min {
        (
            Status::Warning,
            format!(
                "leader elected {} ago, less than {} (re-election?)",
                secs(age),
                secs(min)
            ),
        )
    } else {
        (Status::Ok, format!("leader elected {} ago", secs(age)))
    };
    Check::new("leader-uptime", status, text)
        .value(age)
        .perf(perf)
}

/// Every ZooKeeper member answers `ruok` with `imok`, and `mntr` names its
/// role. Members down while a majority is fine: WARNING; majority down:
/// CRITICAL; four-letter words refused: WARNING with the whitelist hint.
pub fn zookeeper(f: &Facts) -> Check {
    let Some(members) = &f.zk else {
        return Check::new("zookeeper", Status::Unknown, "not a zk:// master");
    };
    let mut ok = Vec::new();
    let mut down = Vec::new();
    let mut refused = Vec::new();
    for m in members {
        match &m.ruok {
            Ok(a) if a.trim() == "imok" => {
                let role = m
                    .mntr
                    .as_ref()
                    .ok()
                    .and_then(|t| {
                        super::zk4lw::parse_mntr(t)
                            .into_iter()
                            .find(|(k, _)| k == "zk_server_state")
                            .map(|(_, v)| v)
                    })
                    .unwrap_or_else(|| "role unknown".into());
                ok.push(format!("{} {role}", m.address));
            }
            Ok(a) if super::zk4lw::not_whitelisted(a) => refused.push(m.address.clone()),
            Ok(a) => down.push(format!("{} (ruok: {})", m.address, a.trim())),
            Err(e) => down.push(format!("{} ({e})", m.address)),
        }
    }
    let n = members.len();
    let answering = ok.len() + refused.len();
    let perf = Perfdata::new("zk_ok", ok.len() as f64, "").min_max(Some(0.0), Some(n as f64));
    let (status, text) = if answering <= n / 2 {
        (
            Status::Critical,
            format!(
                "{answering} of {n} ZooKeeper members answer; down: {}",
                names(&down)
            ),
        )
    } else if !down.is_empty() {
        (
            Status::Warning,
            format!(
                "{} of {n} ZooKeeper members answer; down: {}",
                answering,
                names(&down)
            ),
        )
    } else if !refused.is_empty() {
        (
            Status::Warning,
            format!(
                "{} refuse ruok/mntr: add them to 4lw.commands.whitelist (ZooKeeper 3.5+)",
                names(&refused)
            ),
        )
    } else {
        (Status::Ok, format!("{n} of {n} members ok: {}", names(&ok)))
    };
    Check::new("zookeeper", status, text)
        .value(ok.len() as f64)
        .perf(perf)
}

/// Agents: disconnected ones (not active, not deactivated for maintenance)
/// or fewer active than `--expect-agents`: CRITICAL naming them;
/// deactivated (draining, maintenance) or unreachable ones: WARNING.
pub fn agents(f: &Facts, t: &Thresholds) -> Check {
    let Some(s) = &f.state else {
        return no_state("agents", f);
    };
    let active = s.slaves.iter().filter(|a| a.active).count();
    let named = |a: &crate::wire::Agent| format!("{} ({})", a.id, a.hostname);
    let disconnected: Vec<String> = s
        .slaves
        .iter()
        .filter(|a| !a.active && a.deactivated != Some(true))
        .map(named)
        .collect();
    let deactivated: Vec<String> = s
        .slaves
        .iter()
        .filter(|a| a.deactivated == Some(true))
        .map(named)
        .collect();
    let unreachable = s.unreachable_slaves as u64;
    let mut perf = Perfdata::new("agents_active", active as f64, "").min_max(Some(0.0), None);
    if let Some(n) = t.expect_agents {
        perf.crit = Some(range_below(n as f64));
    }
    let mut crit = Vec::new();
    let mut warn = Vec::new();
    if !disconnected.is_empty() {
        crit.push(format!("disconnected: {}", names(&disconnected)));
    }
    if let Some(n) = t.expect_agents.filter(|n| active < *n) {
        crit.push(format!("{active} of {n} expected agents active"));
    }
    if !deactivated.is_empty() {
        warn.push(format!("deactivated: {}", names(&deactivated)));
    }
    if unreachable > 0 {
        warn.push(format!(
            "{unreachable} unreachable (removed after missing pings)"
        ));
    }
    let (status, text) = if !crit.is_empty() {
        crit.extend(warn);
        (Status::Critical, crit.join("; "))
    } else if !warn.is_empty() {
        (Status::Warning, warn.join("; "))
    } else {
        let expected = t
            .expect_agents
            .map(|n| format!(" (expected {n})"))
            .unwrap_or_default();
        (Status::Ok, format!("{active} agents active{expected}"))
    };
    Check::new("agents", status, text)
        .value(active as f64)
        .perf(perf)
        .perf(Perfdata::new("agents_disconnected", disconnected.len() as f64, "").above(0.0, 0.0))
        .perf(Perfdata::new("agents_unreachable", unreachable as f64, ""))
}

/// Allocated cpus, mem and disk as percent of the active agents' totals;
/// the worst of the three against `--usage-warn` / `--usage-crit`.
pub fn resources(f: &Facts, t: &Thresholds) -> Check {
    let Some(s) = &f.state else {
        return no_state("resources", f);
    };
    let mut total = [0.0f64; 3];
    let mut used = [0.0f64; 3];
    for a in s.slaves.iter().filter(|a| a.active) {
        total[0] += a.resources.cpus;
        total[1] += a.resources.mem;
        total[2] += a.resources.disk;
        used[0] += a.used_resources.cpus;
        used[1] += a.used_resources.mem;
        used[2] += a.used_resources.disk;
    }
    let labels = ["cpus", "mem", "disk"];
    let pct: Vec<f64> = (0..3)
        .map(|i| {
            if total[i] > 0.0 {
                100.0 * used[i] / total[i]
            } else {
                0.0
            }
        })
        .collect();
    let worst = pct.iter().cloned().fold(0.0, f64::max);
    let over: Vec<String> = (0..3)
        .filter(|&i| pct[i] > t.usage_warn)
        .map(|i| format!("{} {:.0}%", labels[i], pct[i]))
        .collect();
    let status = if worst > t.usage_crit {
        Status::Critical
    } else if worst > t.usage_warn {
        Status::Warning
    } else {
        Status::Ok
    };
    let text = if over.is_empty() {
        format!(
            "allocated cpus {:.0}%, mem {:.0}%, disk {:.0}%",
            pct[0], pct[1], pct[2]
        )
    } else {
        format!("allocated {} (above {}%)", over.join(", "), t.usage_warn)
    };
    let mut c = Check::new("resources", status, text).value(worst);
    for i in 0..3 {
        c = c.perf(
            Perfdata::new(
                format!("{}_used", labels[i]),
                (pct[i] * 10.0).round() / 10.0,
                "%",
            )
            .above(t.usage_warn, t.usage_crit)
            .min_max(Some(0.0), Some(100.0)),
        );
    }
    c
}

fn all_tasks(s: &crate::wire::MasterState) -> impl Iterator<Item = &Task> {
    s.frameworks
        .iter()
        .chain(&s.completed_frameworks)
        .flat_map(|fw| {
            fw.tasks
                .iter()
                .chain(&fw.completed_tasks)
                .chain(&fw.unreachable_tasks)
        })
}

/// Tasks STAGING or STARTING for longer than `--stuck-after` (WARNING) or
/// `--stuck-crit` (CRITICAL). Age: from the task's latest status timestamp;
/// a STAGING task has none in Mesos, so its age is from when an earlier
/// `mesos health` run first saw it (see `first_seen`), else unknown.
pub fn stuck_tasks(f: &Facts, t: &Thresholds) -> Check {
    let Some(s) = &f.state else {
        return no_state("stuck-tasks", f);
    };
    let clock = f.leader_clock.unwrap_or(f.now);
    let mut stuck = Vec::new();
    let mut oldest = 0.0f64;
    let mut crit = false;
    for task in all_tasks(s).filter(|x| matches!(x.state, TaskState::Staging | TaskState::Starting))
    {
        let by_status = task.latest_timestamp().map(|ts| clock - ts);
        let by_memory = f.first_seen.get(&task.id).map(|ts| f.now - ts);
        let Some(age) = by_status.into_iter().chain(by_memory).reduce(f64::max) else {
            continue;
        };
        if age >= t.stuck_after.as_secs_f64() {
            oldest = oldest.max(age);
            crit |= age >= t.stuck_crit.as_secs_f64();
            stuck.push(format!(
                "{} {} for {}",
                task.id,
                task.state.as_str(),
                secs(age)
            ));
        }
    }
    let perf = Perfdata::new("tasks_stuck", stuck.len() as f64, "").above(0.0, 0.0);
    let (status, text) = match (stuck.is_empty(), crit) {
        (true, _) => (
            Status::Ok,
            format!(
                "no task STAGING or STARTING for over {}",
                format_duration(t.stuck_after)
            ),
        ),
        (false, false) => (Status::Warning, format!("stuck: {}", names(&stuck))),
        (false, true) => (Status::Critical, format!("stuck: {}", names(&stuck))),
    };
    Check::new("stuck-tasks", status, text)
        .value(oldest)
        .perf(perf)
}

/// Tasks whose terminal status in `states` came within the window.
fn recent_terminal(f: &Facts, t: &Thresholds, states: &[TaskState]) -> Vec<String> {
    let Some(s) = &f.state else {
        return Vec::new();
    };
    let clock = f.leader_clock.unwrap_or(f.now);
    let since = clock - t.window.as_secs_f64();
    let mut seen = BTreeSet::new();
    all_tasks(s)
        .filter(|task| states.contains(&task.state))
        .filter(|task| task.latest_timestamp().is_some_and(|ts| ts >= since))
        .filter(|task| seen.insert(task.id.clone()))
        .map(|task| format!("{} {}", task.id, task.state.as_str()))
        .collect()
}

fn rate_check(
    name: &'static str,
    label: &str,
    what: &str,
    found: Vec<String>,
    warn: u64,
    crit: u64,
    t: &Thresholds,
) -> Check {
    let n = found.len() as u64;
    let status = if n >= crit {
        Status::Critical
    } else if n >= warn {
        Status::Warning
    } else {
        Status::Ok
    };
    let window = format_duration(t.window);
    let text = if n == 0 {
        format!("no task {what} in the last {window}")
    } else {
        format!("{n} tasks {what} in the last {window}: {}", names(&found))
    };
    // Alert at `warn` or more: the perfdata range allows 0..warn-1.
    let mut perf = Perfdata::new(label, n as f64, "").min_max(Some(0.0), None);
    perf.warn = Some(super::nagios::range_above(warn.saturating_sub(1) as f64));
    perf.crit = Some(super::nagios::range_above(crit.saturating_sub(1) as f64));
    Check::new(name, status, text).value(n as f64).perf(perf)
}

/// FAILED and ERROR tasks within `--window` (from their status timestamps
/// in the leader's state, which keeps only the latest completed tasks).
pub fn task_failures(f: &Facts, t: &Thresholds) -> Check {
    if f.state.is_none() {
        return no_state("task-failures", f);
    }
    let found = recent_terminal(f, t, &[TaskState::Failed, TaskState::Error]);
    rate_check(
        "task-failures",
        "tasks_failed",
        "failed",
        found,
        t.failed_warn,
        t.failed_crit,
        t,
    )
}

/// LOST, UNREACHABLE, GONE and DROPPED tasks within `--window`.
pub fn task_losses(f: &Facts, t: &Thresholds) -> Check {
    if f.state.is_none() {
        return no_state("task-losses", f);
    }
    let found = recent_terminal(
        f,
        t,
        &[
            TaskState::Lost,
            TaskState::Unreachable,
            TaskState::Gone,
            TaskState::Dropped,
        ],
    );
    rate_check(
        "task-losses",
        "tasks_lost",
        "lost",
        found,
        t.lost_warn,
        t.lost_crit,
        t,
    )
}

/// Frameworks that are registered but inactive or disconnected: WARNING.
pub fn frameworks(f: &Facts) -> Check {
    let Some(s) = &f.state else {
        return no_state("frameworks", f);
    };
    let bad: Vec<String> = s
        .frameworks
        .iter()
        .filter(|fw| !fw.active || fw.connected == Some(false))
        .map(|fw| {
            let why = if fw.connected == Some(false) {
                "disconnected"
            } else {
                "inactive"
            };
            format!("{} ({}) {why}", fw.name, fw.id)
        })
        .collect();
    let perf = Perfdata::new("frameworks_inactive", bad.len() as f64, "").above(0.0, f64::INFINITY);
    let mut perf = perf;
    perf.crit = None;
    let (status, text) = if bad.is_empty() {
        (
            Status::Ok,
            format!("{} frameworks active", s.frameworks.len()),
        )
    } else {
        (Status::Warning, names(&bad))
    };
    Check::new("frameworks", status, text)
        .value(bad.len() as f64)
        .perf(perf)
}

/// The spread of the clocks of masters and agents (from the `Date` of their
/// answers, whole seconds, so ±1 s): WARNING / CRITICAL above the limits.
pub fn clock_skew(f: &Facts, t: &Thresholds) -> Check {
    let mut nodes: Vec<(String, f64)> = f
        .masters
        .iter()
        .filter_map(|m| Some((format!("master {}", m.address), m.clock_offset?)))
        .collect();
    nodes.extend(
        f.agents
            .iter()
            .filter_map(|a| Some((format!("agent {}", a.hostname), a.clock_offset?))),
    );
    if nodes.len() < 2 {
        return Check::new(
            "clock-skew",
            Status::Ok,
            format!("{} clocks compared", nodes.len()),
        )
        .value(0.0);
    }
    let min = nodes
        .iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .cloned()
        .unwrap_or_default();
    let max = nodes
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .cloned()
        .unwrap_or_default();
    let spread = (max.1 - min.1).max(0.0);
    let perf = Perfdata::new("clock_skew", spread.round(), "s")
        .above(t.skew_warn.as_secs_f64(), t.skew_crit.as_secs_f64())
        .min_max(Some(0.0), None);
    let status = if spread > t.skew_crit.as_secs_f64() {
        Status::Critical
    } else if spread > t.skew_warn.as_secs_f64() {
        Status::Warning
    } else {
        Status::Ok
    };
    let text = if status == Status::Ok {
        format!(
            "{} clocks within {:.0} s",
            nodes.len(),
            spread.ceil().max(1.0)
        )
    } else {
        format!("{} is {:.0} s ahead of {}", max.0, spread, min.0)
    };
    Check::new("clock-skew", status, text)
        .value(spread)
        .perf(perf)
}

/// Masters and agents all run the same Mesos version (else WARNING, as
/// during a rolling upgrade).
pub fn versions(f: &Facts) -> Check {
    let mut by_version: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for m in &f.masters {
        if let Some(v) = &m.version {
            by_version
                .entry(v.clone())
                .or_default()
                .push(format!("master {}", m.address));
        }
    }
    for a in &f.agents {
        if let Some(v) = &a.version {
            by_version
                .entry(v.clone())
                .or_default()
                .push(format!("agent {}", a.hostname));
        }
    }
    let n = by_version.len();
    let perf = Perfdata::new("versions", n as f64, "").above(1.0, f64::INFINITY);
    let mut perf = perf;
    perf.crit = None;
    let (status, text) = match n {
        0 => (Status::Unknown, "no node said its version".to_string()),
        1 => {
            let (v, nodes) = by_version.iter().next().expect("one version");
            (Status::Ok, format!("all {} nodes run {v}", nodes.len()))
        }
        _ => (
            Status::Warning,
            by_version
                .iter()
                .map(|(v, nodes)| format!("{v} on {}", names(nodes)))
                .collect::<Vec<_>>()
                .join("; "),
        ),
    };
    Check::new("versions", status, text)
        .value(n as f64)
        .perf(perf)
}
