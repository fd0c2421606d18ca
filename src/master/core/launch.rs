//! Launching: an ACCEPT of offers with LAUNCH / LAUNCH_GROUP operations,
//! validated against the offered resources, sent to the agents.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::calls::{add_filter, refuse_for};
use super::*;
use crate::daemon::proto;
use crate::master::render;
use crate::master::state::{FrameworkEntry, Shared, TaskEntry};
use crate::master::validation;
use crate::resources::Resources;
use crate::wire::operator::Event;
use crate::wire::scheduler::Accept;

/// The reason a launch failed validation (TASK_ERROR).
pub fn validate_task(
    fw: &FrameworkEntry,
    task: &Value,
    offer_agent: &str,
    pool: &Resources,
    seen: &BTreeSet<String>,
) -> Result<(String, Resources), String> {
    let tid = str_at(task, "/task_id/value").ok_or("Task has no 'task_id'")?;
    validation::task_info(task)?;
    if fw.tasks.contains_key(tid) || fw.unreachable_tasks.contains_key(tid) || seen.contains(tid) {
        return Err(format!("Task has duplicate ID: {tid}"));
    }
    if let Some(aid) = str_at(task, "/agent_id/value") {
        if aid != offer_agent {
            return Err(format!(
                "Task uses agent ID {aid} which does not match offer's agent ID {offer_agent}"
            ));
        }
    }
    let has_cmd = task.get("command").is_some_and(|c| !c.is_null());
    let has_exec = task.get("executor").is_some_and(|c| !c.is_null());
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
    let res = Resources::from_v1_json(task.get("resources").unwrap_or(&Value::Null))
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

pub fn accept(m: &Shared, fid: &str, a: &Accept) {
    let offer_ids = a.offer_ids();
    let refuse = refuse_for(a.filters.as_ref());
    let operations = &a.operations;
    // (agent, framework info, task)
    let mut launches: Vec<(super::AgentTarget, Value, Value)> = Vec::new();
    let mut errors: Vec<Value> = Vec::new();
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
        let mut accepted: Vec<TaskEntry> = Vec::new();
        let none: Vec<Value> = Vec::new();
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
                let tid = str_at(task, "/task_id/value").unwrap_or("").to_string();
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
                    let executor = op
                        .launch_group
                        .as_ref()
                        .map_or(&Value::Null, |g| &g.executor);
                    let why = validation::task_info(task)
                        .and_then(|_| validation::executor_info(executor))
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
                        info["agent_id"] = json!({"value": agent_id});
                        info["resources"] = Value::Array(res.to_v1_json(Some(&role)));
                        let entry = TaskEntry {
                            id: tid.clone(),
                            name: info
                                .get("name")
                                .and_then(Value::as_str)
                                .unwrap_or(&tid)
                                .to_string(),
                            framework_id: fid.to_string(),
                            agent_id: agent_id.clone(),
                            executor_id: String::new(),
                            state: "TASK_STAGING".into(),
                            resources: res,
                            role: role.clone(),
                            statuses: Vec::new(),
                            info,
                            status_update_state: None,
                            status_update_uuid: None,
                        };
                        accepted.push(entry);
                    }
                }
            }
        }
        let base = super::AgentTarget::of(&st, &agent_id);
        let fw_info = st
            .frameworks
            .get(fid)
            .map(|f| f.info.clone())
            .unwrap_or(Value::Null);
        for mut t in accepted {
            if let Some(ag) = st.agents.get_mut(&agent_id) {
                ag.allocated.add(&t.resources);
            }
            let full = std::mem::take(&mut t.info);
            t.info = crate::master::state::prune_task_info(&full);
            added.push(Event::task_added(render::task_v1(&t)));
            if let Some(b) = &base {
                launches.push((b.clone(), fw_info.clone(), full));
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
            for s in &errors {
                send_event(fw, &json!({"type": "UPDATE", "update": {"status": s}}));
            }
        }
    }
    for e in added {
        m.emit(e);
    }
    for (base, framework, task) in launches {
        let m2 = m.clone();
        let fid = fid.to_string();
        tokio::spawn(async move {
            let sent = match serde_json::from_value(task.clone()) {
                Ok(info) => {
                    let body = proto::RunTask {
                        framework,
                        task: info,
                        executor: None,
                    };
                    post_to_agent(&m2, &base, proto::paths::RUN_TASK, &body).await
                }
                Err(e) => Err(format!("the task is not a TaskInfo: {e}")),
            };
            if let Err(e) = sent {
                let tid = str_at(&task, "/task_id/value").unwrap_or("").to_string();
                let aid = str_at(&task, "/agent_id/value").unwrap_or("").to_string();
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
