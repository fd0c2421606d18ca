//! A framework's calls on its offers and tasks: decline (with offer
//! filters), revive, suppress, kill, reconcile.

use std::time::{Duration, Instant};

use super::*;
use crate::daemon::proto;
use crate::master::state::{is_terminal, FrameworkEntry, OfferFilter, Shared, TaskEntry};
use crate::wire::agent_v1::V1TaskStatus;
use crate::wire::event::Event;
use crate::wire::scheduler::{Decline, Filters, Reconcile, Roles};

/// How long declined resources stay filtered (`refuse_seconds`, default 5 s).
pub fn refuse_for(filters: Option<&Filters>) -> Duration {
    let secs = filters.and_then(|f| f.refuse_seconds).unwrap_or(5.0);
    let secs = if secs.is_finite() {
        secs.clamp(0.0, 365.0 * 86400.0)
    } else {
        365.0 * 86400.0
    };
    Duration::from_secs_f64(secs)
}

pub fn add_filter(fw: &mut FrameworkEntry, agent_id: &str, d: Duration) {
    if d.is_zero() {
        return;
    }
    fw.filters.retain(|f| f.agent_id != agent_id);
    fw.filters.push(OfferFilter {
        agent_id: agent_id.to_string(),
        until: Instant::now() + d,
    });
}

pub fn decline(m: &Shared, fid: &str, d: &Decline) {
    let refuse = refuse_for(d.filters.as_ref());
    {
        let mut st = m.lock();
        for oid in d.offer_ids.iter().filter_map(|o| o.value.as_deref()) {
            let Some(o) = st
                .offers
                .get(oid)
                .filter(|o| o.framework_id == fid)
                .cloned()
            else {
                continue;
            };
            st.offers.remove(oid);
            st.counters.offers_declined += 1;
            if let Some(a) = st.agents.get_mut(&o.agent_id) {
                a.offered.subtract(&o.resources);
            }
            if let Some(fw) = st.frameworks.get_mut(fid) {
                add_filter(fw, &o.agent_id, refuse);
            }
        }
    }
    m.allocate.notify_one();
}

pub fn revive(m: &Shared, fid: &str, r: &Roles) {
    {
        let mut st = m.lock();
        if let Some(fw) = st.frameworks.get_mut(fid) {
            fw.filters.clear();
            let roles = r.roles.clone();
            if roles.is_empty() {
                fw.suppressed_roles.clear();
            } else {
                for role in roles {
                    fw.suppressed_roles.remove(&role);
                }
            }
        }
    }
    m.allocate.notify_one();
}

pub fn suppress(m: &Shared, fid: &str, s: &Roles) {
    let mut st = m.lock();
    if let Some(fw) = st.frameworks.get_mut(fid) {
        let roles = s.roles.clone();
        if roles.is_empty() {
            fw.suppressed_roles = fw.roles.iter().cloned().collect();
        } else {
            fw.suppressed_roles.extend(roles);
        }
    }
}

pub fn kill(
    m: &Shared,
    fid: &str,
    tid: &str,
    kill_policy: Option<crate::wire::agent_v1::KillPolicy>,
) {
    let target: Option<(String, bool)> = {
        let st = m.lock();
        st.frameworks.get(fid).and_then(|fw| {
            fw.tasks
                .get(tid)
                .or_else(|| fw.unreachable_tasks.get(tid))
                .map(|t| (t.agent_id.clone(), is_terminal(&t.state)))
        })
    };
    match target {
        Some((agent_id, false)) => {
            let body = proto::KillTask {
                framework_id: fid.to_string(),
                task_id: tid.to_string(),
                kill_policy,
            };
            call_agent(m, &agent_id, &body);
        }
        Some((_, true)) => {}
        None => {
            let aware = m
                .lock()
                .frameworks
                .get(fid)
                .is_some_and(|f| f.partition_aware());
            let state = if aware { "TASK_UNKNOWN" } else { "TASK_LOST" };
            let status = V1TaskStatus {
                agent_id: None,
                ..master_status(
                    tid,
                    "",
                    state,
                    "REASON_RECONCILIATION",
                    "Attempted to kill an unknown task",
                )
            };
            let st = m.lock();
            if let Some(fw) = st.frameworks.get(fid) {
                send_event(fw, &Event::update(status));
            }
        }
    }
}

pub fn reconcile(m: &Shared, fid: &str, r: &Reconcile) {
    let st = m.lock();
    let Some(fw) = st.frameworks.get(fid) else {
        return;
    };
    let reply = |t: &TaskEntry| {
        let mut s = master_status(
            &t.id,
            &t.agent_id,
            &t.state,
            "REASON_RECONCILIATION",
            "Reconciliation: Latest task state",
        );
        if let Some(last) = t.statuses.last() {
            s.container_status.clone_from(&last.container_status);
            s.executor_id.clone_from(&last.executor_id);
            s.labels.clone_from(&last.labels);
            s.healthy = last.healthy;
        }
        s
    };
    let asked = &r.tasks;
    if asked.is_empty() {
        for t in fw.tasks.values().chain(fw.unreachable_tasks.values()) {
            send_event(fw, &Event::update(reply(t)));
        }
        return;
    }
    for a in asked {
        let Some(tid) = a.task_id() else {
            continue;
        };
        let known = fw.tasks.get(tid).or_else(|| fw.unreachable_tasks.get(tid));
        let status = match known {
            Some(t) => reply(t),
            None => {
                let completed = fw.completed_tasks.iter().rev().find(|t| t.id == tid);
                match completed {
                    Some(t) => reply(t),
                    None => {
                        let agent = a.agent_id().unwrap_or("");
                        let gone = !agent.is_empty() && st.removed_agents.contains(agent);
                        let state = match (fw.partition_aware(), gone) {
                            (true, true) => "TASK_GONE",
                            (true, false) => "TASK_UNKNOWN",
                            (false, _) => "TASK_LOST",
                        };
                        let mut s = master_status(
                            tid,
                            agent,
                            state,
                            "REASON_RECONCILIATION",
                            "Reconciliation: Task is unknown",
                        );
                        if agent.is_empty() {
                            s.agent_id = None;
                        }
                        s
                    }
                }
            }
        };
        send_event(fw, &Event::update(status));
    }
}
