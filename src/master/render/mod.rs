//! Typed renderings of the master's model: v0 (`/master/state` & co,
//! docs/wire-notes.md#master-endpoints) as the [`crate::wire::master`]
//! models the CLI parses, and v1 (operator API and its events,
//! docs/wire-notes.md#operator-api) as [`crate::wire::operator`] bodies.
//! Every function returns a typed value; the HTTP edge (`master::http`,
//! its `Json` response) serializes it, so another encoding can be added there.
//!
//! * [`v0`] — tasks, agents, frameworks, `/master/state`, `/master/tasks`,
//!   `/master/frameworks`, `/master/slaves`, `/master/roles`;
//! * [`mod@summary`] — `/master/state-summary`;
//! * [`v1`] — operator `GET_*` payloads and event payloads;
//! * [`metrics`] — `/metrics/snapshot` values.
//!
//! v0 follows the hand-written writers of the real master: counts and times
//! are doubles, resources are summary objects, labels are arrays, `statuses`
//! is always present. v1 follows the generic protobuf mapping.

pub mod metrics;
pub mod proto;
pub mod summary;
pub mod v0;
pub mod v1;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

use super::state::{FrameworkEntry, Leadership, MasterState, TaskEntry};
use crate::daemon::flags::Flags;
use crate::resources::Resources;
use crate::wire::resources::Labels;
use crate::wire::{MasterInfo, ResourceSummary, TaskState, Version};

pub use metrics::{master_metrics, metrics_snapshot, system_metrics};
pub use summary::{state_summary_v0, SUMMARY_STATES};
pub use v0::{
    agent_full_v0, agent_v0, command_v0, executor_v0, framework_executors, framework_v0,
    frameworks_v0, offer_v0, roles_v0, slaves_v0, state_v0, status_v0, task_v0, tasks_v0,
    TaskQuery,
};
pub use v1::{
    agent_info_v1, agent_v1, agent_v1_in, framework_info_json, framework_v1, framework_v1_in,
    get_agents_v1, get_executors_v1, get_flags_v1, get_frameworks_v1, get_master_v1,
    get_metrics_v1, get_roles_v1, get_state_v1, get_tasks_v1, offer_v1, task_v1,
};

// ---------------------------------------------------------------------------
// Small helpers

/// v1 `TimeInfo` for epoch seconds.
pub fn time_info(secs: f64) -> crate::wire::v1::TimeInfo {
    crate::wire::v1::TimeInfo {
        nanoseconds: (secs * 1e9).round() as i64,
    }
}

/// v0 resource summary object.
pub fn summary(r: &Resources) -> ResourceSummary {
    r.to_summary()
}

/// Whether a task's state is terminal (its resources are released).
pub fn task_terminal(t: &TaskEntry) -> bool {
    TaskState::is_terminal_name(&t.state)
}

/// Items of a v1 `Labels` message (`{"labels":[...]}`, or a bare array) as
/// the v0 list; `None` when there is no labels message (or it does not map).
pub(crate) fn labels_of(labels: Option<&Value>) -> Option<Labels> {
    use serde::Deserialize as _;
    Labels::deserialize(labels.filter(|l| !l.is_null())?).ok()
}

/// Split resources into `{role: reserved}` and the unreserved part.
pub fn split_reserved(r: &Resources) -> (BTreeMap<String, Resources>, Resources) {
    let mut reserved: BTreeMap<String, Resources> = BTreeMap::new();
    let mut unreserved = Resources::new();
    for res in r.iter() {
        if res.role == "*" {
            unreserved.push(res.clone());
        } else {
            reserved
                .entry(res.role.clone())
                .or_default()
                .push(res.clone());
        }
    }
    (reserved, unreserved)
}

/// Every task of a framework: active, unreachable, completed.
pub(crate) fn all_tasks(f: &FrameworkEntry) -> impl Iterator<Item = &TaskEntry> {
    f.tasks
        .values()
        .chain(f.unreachable_tasks.values())
        .chain(f.completed_tasks.iter())
        .map(|t| &**t)
}

// ---------------------------------------------------------------------------
// Build/version information

/// `(build_date, build_time, build_user)`: the time the running executable
/// was written and the user who built it.
pub fn build_info() -> &'static (String, f64, String) {
    static INFO: OnceLock<(String, f64, String)> = OnceLock::new();
    INFO.get_or_init(|| {
        // /proc/self/exe still works when the file was replaced meanwhile.
        let t = std::fs::metadata("/proc/self/exe")
            .or_else(|_| std::env::current_exe().and_then(std::fs::metadata))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let user = option_env!("USER")
            .or(option_env!("LOGNAME"))
            .unwrap_or("")
            .to_string();
        (format_date(t as i64), t as f64, user)
    })
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) for epoch seconds.
pub fn format_date(secs: i64) -> String {
    crate::datetime::date_time(secs)
}

/// `/version` body (also v1 `VersionInfo`).
pub fn version_json() -> Version {
    let (date, time, user) = build_info();
    Version {
        version: super::info::MESOS_COMPAT_VERSION.into(),
        build_date: Some(date.clone()),
        build_time: Some(*time),
        build_user: Some(user.clone()),
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------
// Master info

/// MasterInfo of this master (ZooKeeper / v1 `master_info` shape).
pub fn master_info_json(st: &MasterState) -> MasterInfo {
    st.info.clone()
}

/// The MasterInfo of the current leader, if one is known.
pub fn leader(st: &MasterState) -> Option<MasterInfo> {
    match &st.leadership {
        Leadership::Leading => Some(st.info.clone()),
        Leadership::Following(info) => Some((**info).clone()),
        Leadership::Unknown => None,
    }
}

pub(crate) fn pid_of(info: &MasterInfo) -> String {
    info.pid.clone().unwrap_or_else(|| {
        format!(
            "master@{}:{}",
            info.ip_string().unwrap_or_default(),
            info.port_number().unwrap_or(5050)
        )
    })
}

/// v0 `leader_info`: `{"id","pid","port","hostname"[,"domain"]}`.
pub fn leader_info_v0(info: &MasterInfo) -> MasterInfo {
    MasterInfo {
        id: Some(info.id.clone().unwrap_or_default()),
        pid: Some(pid_of(info)),
        port: Some(info.port_number().unwrap_or(5050)),
        hostname: Some(
            info.hostname
                .clone()
                .or_else(|| info.hostname_string())
                .unwrap_or_default(),
        ),
        domain: info.domain.clone(),
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------
// Roles

/// Parse `role=weight,...` (`--weights`).
pub fn parse_weights(s: Option<&str>) -> BTreeMap<String, f64> {
    s.unwrap_or("")
        .split(',')
        .filter_map(|p| {
            let (r, w) = p.split_once('=')?;
            Some((r.trim().to_string(), w.trim().parse().ok()?))
        })
        .collect()
}

/// One known role: its frameworks and the resources allocated, offered and
/// reserved for it.
#[derive(Clone, Debug, Default)]
pub struct RoleInfo {
    pub name: String,
    pub weight: f64,
    pub frameworks: Vec<String>,
    pub allocated: Resources,
    pub offered: Resources,
    pub reserved: Resources,
}

/// Known roles: of subscribed frameworks, `--roles`, weights and quotas
/// (`st.policy`), and reservations, sorted by name.
pub fn roles(st: &MasterState, flags: &Flags) -> Vec<RoleInfo> {
    let weights = st.policy.weights.clone();
    let mut m: BTreeMap<String, RoleInfo> = BTreeMap::new();
    fn entry<'a>(
        m: &'a mut BTreeMap<String, RoleInfo>,
        weights: &BTreeMap<String, f64>,
        name: &str,
    ) -> &'a mut RoleInfo {
        m.entry(name.to_string()).or_insert_with(|| RoleInfo {
            name: name.to_string(),
            weight: weights.get(name).copied().unwrap_or(1.0),
            ..Default::default()
        })
    }
    for r in flags
        .get("roles")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        entry(&mut m, &weights, r);
    }
    for r in weights.keys().chain(st.policy.quotas.keys()) {
        entry(&mut m, &weights, r);
    }
    for f in st.frameworks.values() {
        for r in &f.roles {
            let e = entry(&mut m, &weights, r);
            if !e.frameworks.contains(&f.id) {
                e.frameworks.push(f.id.clone());
            }
        }
        for (role, r) in f.allocations() {
            entry(&mut m, &weights, role).allocated.add(r);
        }
    }
    for o in st.offers.values() {
        entry(&mut m, &weights, &o.role).offered.add(&o.resources);
    }
    for a in st.agents.values() {
        for (role, r) in split_reserved(&a.total).0 {
            entry(&mut m, &weights, &role).reserved.add(&r);
        }
    }
    m.into_values().collect()
}
