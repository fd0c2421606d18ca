//! `/master/state-summary`: agents and frameworks without tasks, with
//! per-state task counts.

use std::collections::{BTreeMap, BTreeSet};

use super::v0::agent_v0;
use super::{all_tasks, summary, task_terminal};
use crate::master::state::{FrameworkEntry, MasterState};
use crate::wire::master::{
    FrameworkSummary, StateSummary, SummaryAgent, SummaryFramework, TaskCounts,
};
use crate::wire::TaskState;

/// Task states counted by `/master/state-summary` (in the order Mesos writes them).
pub const SUMMARY_STATES: &[&str] = &[
    "TASK_STAGING",
    "TASK_STARTING",
    "TASK_RUNNING",
    "TASK_KILLING",
    "TASK_FINISHED",
    "TASK_KILLED",
    "TASK_FAILED",
    "TASK_LOST",
    "TASK_ERROR",
    "TASK_UNREACHABLE",
];

/// Count one task in `c` (states the summary does not count are ignored).
fn count(c: &mut TaskCounts, state: &str) {
    let slot = match TaskState::from_wire(state) {
        TaskState::Staging => &mut c.staging,
        TaskState::Starting => &mut c.starting,
        TaskState::Running => &mut c.running,
        TaskState::Killing => &mut c.killing,
        TaskState::Finished => &mut c.finished,
        TaskState::Killed => &mut c.killed,
        TaskState::Failed => &mut c.failed,
        TaskState::Lost => &mut c.lost,
        TaskState::Error => &mut c.error,
        TaskState::Unreachable => &mut c.unreachable,
        _ => return,
    };
    *slot += 1;
}

/// The summary part of a v0 framework entry.
pub fn framework_summary_v0(st: &MasterState, f: &FrameworkEntry) -> FrameworkSummary {
    FrameworkSummary {
        id: f.id.clone(),
        name: f.name.clone(),
        pid: None,
        used_resources: summary(&f.allocated()),
        offered_resources: summary(&st.offered_to(&f.id)),
        capabilities: f.capabilities.clone(),
        hostname: f.hostname.clone(),
        webui_url: f.webui_url.clone(),
        active: f.active,
        connected: Some(f.connected),
        recovered: Some(f.recovered),
    }
}

/// `/master/state-summary`.
pub fn state_summary_v0(st: &MasterState) -> StateSummary {
    let mut by_agent: BTreeMap<&str, TaskCounts> = BTreeMap::new();
    let mut agent_fws: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for f in st.frameworks.values().chain(st.completed_frameworks.iter()) {
        for t in all_tasks(f) {
            count(by_agent.entry(t.agent_id.as_str()).or_default(), &t.state);
        }
    }
    for f in st.frameworks.values() {
        for t in f.tasks.values().filter(|t| !task_terminal(t)) {
            agent_fws
                .entry(t.agent_id.as_str())
                .or_default()
                .insert(f.id.as_str());
        }
    }
    let slaves = st
        .agents
        .values()
        .map(|a| SummaryAgent {
            agent: agent_v0(a),
            counts: by_agent.get(a.id.as_str()).cloned().unwrap_or_default(),
            framework_ids: agent_fws
                .get(a.id.as_str())
                .map(|s| s.iter().map(|x| x.to_string()).collect())
                .unwrap_or_default(),
        })
        .collect();
    let frameworks = st
        .frameworks
        .values()
        .map(|f| {
            let mut counts = TaskCounts::default();
            for t in all_tasks(f) {
                count(&mut counts, &t.state);
            }
            let agents: BTreeSet<&str> = f
                .tasks
                .values()
                .filter(|t| !task_terminal(t))
                .map(|t| t.agent_id.as_str())
                .collect();
            SummaryFramework {
                framework: framework_summary_v0(st, f),
                counts,
                slave_ids: agents.into_iter().map(str::to_string).collect(),
            }
        })
        .collect();
    StateSummary {
        hostname: st.hostname.clone(),
        cluster: st.cluster.clone(),
        slaves,
        frameworks,
    }
}
