//! Removing frameworks (teardown) and agents (with their tasks).

use std::collections::BTreeSet;

use super::status::push_completed;
use super::{
    apply_status, call_agent, master_status, rescind_agent_offers, return_framework_offers,
    send_event,
};
use crate::daemon::proto;
use crate::master::state::{is_terminal, now_secs, FrameworkEntry, Shared};
use crate::wire::event::Event as WireEvent;
use crate::wire::operator::{AgentRemoved, Event, FrameworkRemoved, Id};

/// Remove a framework: kill its tasks, drop its offers, close its stream.
/// Returns whether it existed. Used by TEARDOWN, `/master/teardown`, the
/// operator API and failover timeouts.
pub fn teardown_framework(m: &Shared, framework_id: &str, why: &str) -> bool {
    let (agents, info) = {
        let mut st = m.lock();
        let Some(mut fw) = st.frameworks.remove(framework_id) else {
            return false;
        };
        crate::info!("Removing framework {framework_id} ({}): {why}", fw.name);
        return_framework_offers(&mut st, framework_id);
        let mut agents = BTreeSet::new();
        let max_completed = st.max_completed_tasks;
        let ids: Vec<String> = fw
            .tasks
            .keys()
            .chain(fw.unreachable_tasks.keys())
            .cloned()
            .collect();
        for tid in ids {
            let Some(mut t) = fw
                .tasks
                .remove(&tid)
                .or_else(|| fw.unreachable_tasks.remove(&tid))
            else {
                continue;
            };
            if !is_terminal(&t.state) {
                let t = std::sync::Arc::make_mut(&mut t);
                agents.insert(t.agent_id.clone());
                if let Some(a) = st.agents.get_mut(&t.agent_id) {
                    a.allocated.subtract(&t.resources);
                }
                let s = master_status(
                    &t.id,
                    &t.agent_id,
                    "TASK_KILLED",
                    "REASON_FRAMEWORK_REMOVED",
                    why,
                );
                t.statuses.push(s);
                t.state = "TASK_KILLED".into();
                st.counters.tasks_killed += 1;
            }
            push_completed(max_completed, &mut fw, t);
        }
        // Its executors go with it (the agents shut them down).
        for ((agent, _), e) in std::mem::take(&mut fw.executors) {
            if let Some(a) = st.agents.get_mut(&agent) {
                a.allocated.subtract(&e.resources);
            }
            agents.insert(agent);
        }
        if fw.stream.is_some() {
            send_event(
                &fw,
                &WireEvent::error(format!("Framework has been removed: {why}")),
            );
        }
        fw.stream = None;
        fw.active = false;
        fw.connected = false;
        fw.unregistered_time = now_secs();
        let info = fw.info.clone();
        st.counters.frameworks_removed += 1;
        st.completed_frameworks.push_back(fw);
        while st.completed_frameworks.len() > st.max_completed_frameworks {
            st.completed_frameworks.pop_front();
        }
        (agents, info)
    };
    for a in agents {
        let shutdown = proto::ShutdownFramework {
            framework_id: framework_id.to_string(),
        };
        call_agent(m, &a, &shutdown);
    }
    m.emit(Event::FrameworkRemoved {
        framework_removed: Box::new(FrameworkRemoved {
            framework_info: info,
        }),
    });
    crate::master::registrar::persist(m);
    m.allocate.notify_one();
    true
}

/// Remove an agent: rescind its offers; its tasks become TASK_UNREACHABLE
/// (partition-aware frameworks) or TASK_LOST.
pub fn remove_agent(m: &Shared, agent_id: &str, why: &str) {
    let mut events = Vec::new();
    {
        let mut st = m.lock();
        if st.agents.remove(agent_id).is_none() {
            return;
        }
        crate::warning!("Removing agent {agent_id}: {why}");
        st.removed_agents.insert(agent_id.to_string());
        st.registry
            .unreachable_since
            .insert(agent_id.to_string(), now_secs());
        st.counters.agents_removed += 1;
        rescind_agent_offers(&mut st, agent_id);
        super::executors::remove_agent_executors(&mut st, agent_id);
        let fw_ids: Vec<String> = st.frameworks.keys().cloned().collect();
        for fid in fw_ids {
            let task_ids: Vec<(String, bool)> = {
                let fw: &FrameworkEntry = &st.frameworks[&fid];
                fw.tasks
                    .values()
                    .filter(|t| t.agent_id == agent_id && !is_terminal(&t.state))
                    .map(|t| (t.id.clone(), fw.partition_aware()))
                    .collect()
            };
            for (tid, aware) in task_ids {
                let (state, reason) = if aware {
                    ("TASK_UNREACHABLE", "REASON_AGENT_REMOVED")
                } else {
                    ("TASK_LOST", "REASON_AGENT_REMOVED")
                };
                let status = master_status(
                    &tid,
                    agent_id,
                    state,
                    reason,
                    &format!("Agent {agent_id} removed: {why}"),
                );
                events.push((fid.clone(), status));
            }
            if let Some(fw) = st.frameworks.get(&fid) {
                send_event(fw, &WireEvent::agent_failure(agent_id));
            }
        }
    }
    for (fid, status) in events {
        apply_status(m, &fid, agent_id, status);
    }
    m.emit(Event::AgentRemoved {
        agent_removed: AgentRemoved {
            agent_id: Id::new(agent_id),
        },
    });
    crate::master::registrar::persist(m);
    m.allocate.notify_one();
}
