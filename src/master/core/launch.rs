//! Launching: an ACCEPT of offers with LAUNCH / LAUNCH_GROUP operations,
//! validated against the offered resources, sent to the agents.

use std::collections::BTreeSet;

use serde_json::Value;

use super::calls::{add_filter, refuse_for};
use super::*;
use crate::daemon::proto;
use crate::master::render;
use crate::master::state::{FrameworkEntry, Shared, TaskEntry};
use crate::master::validation;
use crate::resources::Resources;
use crate::wire::agent_v1::{Id, TaskInfo, V1TaskStatus};
use crate::wire::event::Event as WireEvent;
use crate::wire::operator::Event;
use crate::wire::scheduler::Accept;

/// The reason a launch failed validation (TASK_ERROR).
pub fn validate_task(
    fw: &FrameworkEntry,
    task: &TaskInfo,
    offer_agent: &str,
    pool: &Resources,
    seen: &BTreeSet<String>,
) -> Result<(String, Resources), String> {
    validation::task_info(task)?;
    let tid = task.task_id.value.as_str();
    if fw.tasks.contains_key(tid) || fw.unreachable_tasks.contains_key(tid) || seen.contains(tid) {
        return Err(format!("Task has duplicate ID: {tid}"));
    }
    if let Some(aid) = &task.agent_id {
        if aid.value != offer_agent {
            return Err(format!(
                "Task uses agent ID {} which does not match offer's agent ID {offer_agent}",
                aid.value
            ));
        }
    }
    let has_cmd = task.command.is_some();
    let has_exec = task.executor.is_some();
    if has_cmd == has_exec {
        return Err(
            "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present"
                .into(),
        );
    }
    if has_exec {
        return Err(
            "Task uses a custom executor, which the bundled agent does not run; use a CommandInfo"
                .into(),
        );
    }
    let res = Resources::from_wire(&task.resources)
        .map_err(|e| format!("Task has invalid resources: {e}"))?;
    if res.is_empty() {
        return Err("Task uses no resources".into());
    }
    if !pool.contains(&res) {
        return Err(format!(
            "Task uses more resources {res} than available {pool}"
        ));
    }
    Ok((tid.to_string(), res))
}

/// A task to send to an agent: where, the framework's info, the TaskInfo.
struct Launching {
    target: super::AgentTarget,
    framework: Value,
    task: TaskInfo,
    task_id: String,
    agent_id: String,
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
        // Each with the full TaskInfo JSON for the agent.
        let mut accepted: Vec<(TaskEntry, TaskInfo)> = Vec::new();
        let none: Vec<TaskInfo> = Vec::new();
        for op in operations {
            let (tasks, group_error) = match op.kind.as_str() {
                "LAUNCH" => (
                    op.launch.as_ref().map_or(&none, |l| &l.task_infos),
                    None,
                ),
                "LAUNCH_GROUP" => (
                    op.launch_group
                        .as_ref()
                        .map_or(&none, |g| &g.task_group.tasks),
                    Some("LAUNCH_GROUP is not supported by the bundled master yet; launch the tasks individually"),
                ),
                other => {
                    crate::warning!("Framework {fid}: ignoring unsupported operation {other}");
                    continue;
                }
            };
            for task in tasks {
                let tid = task.task_id.value.clone();
                if let Some(why) = &invalid {
                    let state = if aware { "TASK_DROPPED" } else { "TASK_LOST" };
                    errors.push(master_status_reliable(
                        &tid,
                        &agent_id,
                        state,
                        "REASON_INVALID_OFFERS",
                        why,
                    ));
                    continue;
                }
                if let Some(why) = group_error {
                    // Invalid ids are named even though groups are refused.
                    let executor = op.launch_group.as_ref().and_then(|g| g.executor.as_ref());
                    let why = validation::task_info(task)
                        .and_then(|_| executor.map_or(Ok(()), validation::executor_info))
                        .err()
                        .unwrap_or_else(|| why.to_string());
                    errors.push(master_status_reliable(
                        &tid,
                        &agent_id,
                        "TASK_ERROR",
                        "REASON_TASK_GROUP_INVALID",
                        &why,
                    ));
                    continue;
                }
                match validate_task(fw, task, &agent_id, &pool, &seen) {
                    Err(why) => errors.push(master_status_reliable(
                        &tid,
                        &agent_id,
                        "TASK_ERROR",
                        "REASON_TASK_INVALID",
                        &why,
                    )),
                    Ok((tid, res)) => {
                        pool.subtract(&res);
                        seen.insert(tid.clone());
                        let mut info = task.clone();
                        info.agent_id = Some(Id::new(agent_id.clone()));
                        info.resources = res.to_wire(Some(&role));
                        let entry = TaskEntry {
                            id: tid.clone(),
                            name: info.name.clone().unwrap_or_else(|| tid.clone()),
                            framework_id: fid.to_string(),
                            agent_id: agent_id.clone(),
                            executor_id: String::new(),
                            state: "TASK_STAGING".into(),
                            resources: res,
                            role: role.clone(),
                            statuses: Vec::new(),
                            info: Default::default(),
                            status_update_state: None,
                            status_update_uuid: None,
                        };
                        accepted.push((entry, info));
                    }
                }
            }
        }
        let base = super::AgentTarget::of(&st, &agent_id);
        let fw_info = st
            .frameworks
            .get(fid)
            .and_then(|f| serde_json::to_value(&f.info).ok())
            .unwrap_or(Value::Null);
        for (mut t, full) in accepted {
            if let Some(ag) = st.agents.get_mut(&agent_id) {
                ag.allocated.add(&t.resources);
            }
            t.info = crate::master::state::prune_task_info(
                &serde_json::to_value(&full).unwrap_or_default(),
            );
            added.push(Event::task_added(render::task_v1(&t)));
            if let Some(b) = &base {
                launches.push(Launching {
                    target: b.clone(),
                    framework: fw_info.clone(),
                    task: full,
                    task_id: t.id.clone(),
                    agent_id: t.agent_id.clone(),
                });
            }
            if let Some(fw) = st.frameworks.get_mut(fid) {
                fw.tasks.insert(t.id.clone(), t);
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
            let (tid, aid) = (l.task_id, l.agent_id);
            let body = proto::RunTask {
                framework: l.framework,
                task: l.task,
                executor: None,
            };
            if let Err(e) = post_to_agent(&m2, &l.target, proto::paths::RUN_TASK, &body).await {
                crate::warning!("Failed to launch task {tid} on agent {aid}: {e}");
                let aware = m2
                    .lock()
                    .frameworks
                    .get(&fid)
                    .is_some_and(|f| f.partition_aware());
                let state = if aware { "TASK_DROPPED" } else { "TASK_LOST" };
                let s = master_status(
                    &tid,
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
