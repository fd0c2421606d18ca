//! Launching: an ACCEPT of offers with LAUNCH / LAUNCH_GROUP operations,
//! validated against the offered resources, sent to the agents.

use std::collections::BTreeSet;

use serde_json::Value;

use super::calls::{add_filter, refuse_for};
use super::launch_checks::{self, Ctx};
use super::*;
use crate::daemon::proto;
use crate::master::render;
use crate::master::state::{ExecutorEntry, Shared, TaskEntry};
use crate::resources::Resources;
use crate::wire::agent_v1::{ExecutorInfo, Id, TaskInfo, V1TaskStatus};
use crate::wire::event::Event as WireEvent;
use crate::wire::internal::{RunTaskGroup, ToAgent};
use crate::wire::operator::Event;
use crate::wire::scheduler::Accept;

/// A call that launches tasks on the agent, with the ids of its tasks.
struct Launching {
    target: super::AgentTarget,
    body: Body,
    task_ids: Vec<String>,
    agent_id: String,
    /// An executor this launch starts (removed again when the launch
    /// cannot be delivered).
    new_executor: Option<String>,
}

enum Body {
    Task(Box<proto::RunTask>),
    Group(Box<RunTaskGroup>),
}

/// A task accepted by validation, before it is stored.
fn staging(
    fid: &str,
    agent_id: &str,
    role: &str,
    tid: &str,
    info: &TaskInfo,
    res: Resources,
    executor_id: &str,
) -> TaskEntry {
    TaskEntry {
        id: tid.to_string(),
        name: info.name.clone().unwrap_or_else(|| tid.to_string()),
        framework_id: fid.to_string(),
        agent_id: agent_id.to_string(),
        executor_id: executor_id.to_string(),
        state: "TASK_STAGING".into(),
        resources: res,
        role: role.to_string(),
        statuses: Vec::new(),
        info: Default::default(),
        status_update_state: None,
        status_update_uuid: None,
    }
}

pub fn accept(m: &Shared, fid: &str, a: &Accept) {
    let offer_ids = a.offer_ids();
    let refuse = refuse_for(a.filters.as_ref());
    let operations = &a.operations;
    let mut launches: Vec<Launching> = Vec::new();
    let mut errors: Vec<V1TaskStatus> = Vec::new();
    let mut added: Vec<Event> = Vec::new();
    {
        let mut st = m.lock();
        // Validate offers: all exist, belong to the framework, one agent.
        let mut invalid = None;
        let mut agent_id = None;
        let mut pool = Resources::new();
        let mut role = String::from("*");
        for oid in &offer_ids {
            match st.offers.get(oid) {
                Some(o) if o.framework_id == fid => {
                    if agent_id.get_or_insert_with(|| o.agent_id.clone()) != &o.agent_id {
                        invalid =
                            Some("Aggregated offers must belong to one single agent".to_string());
                    }
                    role = o.role.clone();
                }
                Some(_) => invalid = Some(format!("Offer {oid} is not for this framework")),
                None => invalid = Some(format!("Offer {oid} is no longer valid")),
            }
        }
        if offer_ids.is_empty() {
            invalid = Some("No offers given".into());
        }
        // Take the valid offers out (their resources go back unless used).
        for oid in &offer_ids {
            if let Some(o) = st
                .offers
                .get(oid)
                .filter(|o| o.framework_id == fid)
                .cloned()
            {
                st.offers.remove(oid);
                if let Some(ag) = st.agents.get_mut(&o.agent_id) {
                    ag.offered.subtract(&o.resources);
                }
                pool.add(&o.resources);
            }
        }
        st.counters.offers_accepted += offer_ids.len() as u64;
        let Some(fw) = st.frameworks.get(fid) else {
            return;
        };
        let aware = fw.partition_aware();
        let agent_id = agent_id.unwrap_or_default();
        let mut seen = BTreeSet::new();
        // Each with the full TaskInfo as sent to the agent.
        let mut accepted: Vec<(TaskEntry, TaskInfo)> = Vec::new();
        // Executors started by this ACCEPT.
        let mut new_executors: Vec<ExecutorEntry> = Vec::new();
        // Per launch call: the accepted tasks it carries (indexes), and for
        // a group its executor and whether it is new.
        let mut calls: Vec<(Vec<usize>, Option<ExecutorInfo>, Option<String>)> = Vec::new();
        let none: Vec<TaskInfo> = Vec::new();
        let lost = |tid: &str, why: &str| {
            let state = if aware { "TASK_DROPPED" } else { "TASK_LOST" };
            master_status_reliable(tid, &agent_id, state, "REASON_INVALID_OFFERS", why)
        };
        let task_error = |tid: &str, reason: &str, why: &str| {
            master_status_reliable(tid, &agent_id, "TASK_ERROR", reason, why)
        };
        // The TaskInfo sent to the agent: its agent and resources set.
        let full = |task: &TaskInfo, res: &Resources| {
            let mut info = task.clone();
            info.agent_id = Some(Id::new(agent_id.clone()));
            info.resources = res.to_wire(Some(&role));
            info
        };
        for op in operations {
            match op.kind.as_str() {
                "LAUNCH" => {
                    let tasks = op.launch.as_ref().map_or(&none, |l| &l.task_infos);
                    for task in tasks {
                        let tid = task.task_id.value.as_str();
                        if let Some(why) = &invalid {
                            errors.push(lost(tid, why));
                            continue;
                        }
                        let ctx = Ctx {
                            fw,
                            agent_id: &agent_id,
                            role: &role,
                            pool: &pool,
                            seen: &seen,
                            pending: &new_executors,
                        };
                        let v = match launch_checks::task(&ctx, task) {
                            Ok(v) => v,
                            Err(why) => {
                                errors.push(task_error(tid, "REASON_TASK_INVALID", &why));
                                continue;
                            }
                        };
                        pool.subtract(&v.resources);
                        let mut new_id = None;
                        if let Some(e) = v.new_executor {
                            pool.subtract(&e.resources);
                            new_id = Some(e.id().to_string());
                            new_executors.push(e);
                        }
                        seen.insert(v.task_id.clone());
                        let mut info = full(task, &v.resources);
                        info.executor.clone_from(&v.executor);
                        let eid = v
                            .executor
                            .as_ref()
                            .map(|e| e.executor_id.value.clone())
                            .unwrap_or_default();
                        let entry = staging(fid, &agent_id, &role, tid, &info, v.resources, &eid);
                        calls.push((vec![accepted.len()], None, new_id));
                        accepted.push((entry, info));
                    }
                }
                "LAUNCH_GROUP" => {
                    let group = op.launch_group.as_ref();
                    let tasks = group.map_or(&none, |g| &g.task_group.tasks);
                    if let Some(why) = &invalid {
                        errors.extend(tasks.iter().map(|t| lost(&t.task_id.value, why)));
                        continue;
                    }
                    let ctx = Ctx {
                        fw,
                        agent_id: &agent_id,
                        role: &role,
                        pool: &pool,
                        seen: &seen,
                        pending: &new_executors,
                    };
                    let executor = group.and_then(|g| g.executor.as_ref());
                    let v = match launch_checks::group(&ctx, executor, tasks) {
                        Ok(v) => v,
                        Err(why) => {
                            errors.extend(tasks.iter().map(|t| {
                                task_error(&t.task_id.value, "REASON_TASK_GROUP_INVALID", &why)
                            }));
                            continue;
                        }
                    };
                    let mut new_id = None;
                    if let Some(e) = v.new_executor {
                        pool.subtract(&e.resources);
                        new_id = Some(e.id().to_string());
                        new_executors.push(e);
                    }
                    let eid = v.executor.executor_id.value.clone();
                    let mut indexes = Vec::new();
                    for (task, (tid, res)) in tasks.iter().zip(v.tasks) {
                        pool.subtract(&res);
                        seen.insert(tid.clone());
                        let mut info = full(task, &res);
                        // Kept with the task (state endpoints show it), not
                        // sent: the group's executor travels once.
                        info.executor = Some(v.executor.clone());
                        let entry = staging(fid, &agent_id, &role, &tid, &info, res, &eid);
                        indexes.push(accepted.len());
                        accepted.push((entry, info));
                    }
                    calls.push((indexes, Some(v.executor), new_id));
                }
                other => {
                    crate::warning!("Framework {fid}: ignoring unsupported operation {other}");
                }
            }
        }
        let base = super::AgentTarget::of(&st, &agent_id);
        let fw_info = st
            .frameworks
            .get(fid)
            .and_then(|f| serde_json::to_value(&f.info).ok())
            .unwrap_or(Value::Null);
        for e in new_executors {
            if let Some(ag) = st.agents.get_mut(&agent_id) {
                ag.allocated.add(&e.resources);
            }
            if let Some(fw) = st.frameworks.get_mut(fid) {
                fw.executors
                    .insert((agent_id.clone(), e.id().to_string()), e);
            }
        }
        for (t, info) in &mut accepted {
            if let Some(ag) = st.agents.get_mut(&agent_id) {
                ag.allocated.add(&t.resources);
            }
            t.info = crate::master::state::prune_task_info(
                &serde_json::to_value(&*info).unwrap_or_default(),
            );
            added.push(Event::task_added(render::task_v1(t)));
        }
        if let Some(b) = &base {
            for (indexes, executor, new_executor) in calls {
                let task_ids = indexes.iter().map(|i| accepted[*i].0.id.clone()).collect();
                let body = match executor {
                    None => Body::Task(Box::new(proto::RunTask {
                        framework: fw_info.clone(),
                        task: accepted[indexes[0]].1.clone(),
                        executor: None,
                    })),
                    Some(executor) => Body::Group(Box::new(RunTaskGroup {
                        framework: fw_info.clone(),
                        executor,
                        tasks: indexes
                            .iter()
                            .map(|i| TaskInfo {
                                executor: None,
                                ..accepted[*i].1.clone()
                            })
                            .collect(),
                    })),
                };
                launches.push(Launching {
                    target: b.clone(),
                    body,
                    task_ids,
                    agent_id: agent_id.clone(),
                    new_executor,
                });
            }
        }
        if let Some(fw) = st.frameworks.get_mut(fid) {
            for (t, _) in accepted {
                fw.tasks.insert(t.id.clone(), std::sync::Arc::new(t));
            }
        }
        if !pool.is_empty() && !agent_id.is_empty() {
            if let Some(fw) = st.frameworks.get_mut(fid) {
                add_filter(fw, &agent_id, refuse);
            }
        }
        if let Some(fw) = st.frameworks.get(fid) {
            for s in errors {
                send_event(fw, &WireEvent::update(s));
            }
        }
    }
    for e in added {
        m.emit(e);
    }
    for l in launches {
        let m2 = m.clone();
        let fid = fid.to_string();
        tokio::spawn(async move {
            let aid = l.agent_id;
            let sent = match &l.body {
                Body::Task(b) => post_to_agent(&m2, &l.target, proto::paths::RUN_TASK, b).await,
                Body::Group(b) => post_to_agent(&m2, &l.target, RunTaskGroup::PATH, b).await,
            };
            let Err(e) = sent else {
                return;
            };
            crate::warning!(
                "Failed to launch task(s) {} on agent {aid}: {e}",
                l.task_ids.join(", ")
            );
            if let Some(eid) = &l.new_executor {
                super::executors::remove_executor(&mut m2.lock(), &fid, &aid, eid);
            }
            let aware = m2
                .lock()
                .frameworks
                .get(&fid)
                .is_some_and(|f| f.partition_aware());
            let state = if aware { "TASK_DROPPED" } else { "TASK_LOST" };
            for tid in &l.task_ids {
                let s = master_status(
                    tid,
                    &aid,
                    state,
                    "REASON_AGENT_DISCONNECTED",
                    &format!("Could not deliver the task to its agent: {e}"),
                );
                apply_status(&m2, &fid, &aid, s);
            }
        });
    }
    m.allocate.notify_one();
}
