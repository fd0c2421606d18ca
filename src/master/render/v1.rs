//! v1 operator payloads (`GET_*`, `SUBSCRIBED`) and event payloads, built
//! as [`crate::wire::operator`] bodies.

use std::collections::BTreeMap;

use serde_json::Value;

use super::v0::{add_to_role, task_executor_id, wire_by_role, AgentUse};
use super::{all_tasks, roles, time_info};
use crate::daemon::flags::Flags;
use crate::master::state::{AgentEntry, FrameworkEntry, MasterState, OfferEntry, TaskEntry};
use crate::resources::{attributes_to_wire, Resources};
use crate::wire::framework::FrameworkInfo;
use crate::wire::master_info::Address;
use crate::wire::operator::{
    Agent, AgentInfo, Capability, Executor, Flag, Framework, GetAgents, GetExecutors, GetFlags,
    GetFrameworks, GetMaster, GetMetrics, GetRoles, GetState, GetTasks, Id, Metric, Offer, Pruned,
    Role, Task, Url,
};
use crate::wire::resources::AllocationInfo;
use crate::wire::{Resource, TaskState};

/// A framework's `framework_info` with the defaults real Mesos writes out.
fn framework_info_v1(f: &FrameworkEntry) -> FrameworkInfo {
    let mut info = f.info.clone();
    info.id.get_or_insert_with(|| Id::new(f.id.clone()));
    info.user.get_or_insert_with(|| f.user.clone());
    info.name.get_or_insert_with(|| f.name.clone());
    info.failover_timeout.get_or_insert(f.failover_timeout);
    info.checkpoint.get_or_insert(f.checkpoint);
    info
}

/// Resources of a framework's live tasks with `allocation_info`.
fn framework_allocated_v1(f: &FrameworkEntry) -> Vec<Resource> {
    let mut by_role: BTreeMap<String, Resources> = BTreeMap::new();
    for (role, r) in f.allocations() {
        add_to_role(&mut by_role, role, r);
    }
    wire_by_role(&by_role)
}

fn pruned(v: &Option<Value>) -> Option<Pruned> {
    v.clone().map(Pruned)
}

/// v1 `Task` (operator API, TASK_ADDED events).
pub fn task_v1(t: &TaskEntry) -> Task {
    let eid = task_executor_id(t);
    Task {
        name: t.name.clone(),
        task_id: Id::new(t.id.clone()),
        framework_id: Id::new(t.framework_id.clone()),
        executor_id: (!eid.is_empty()).then(|| Id::new(eid)),
        agent_id: Id::new(t.agent_id.clone()),
        state: TaskState::from_wire(&t.state),
        resources: t.resources.to_wire(Some(&t.role)),
        statuses: t.statuses.clone(),
        status_update_state: t.status_update_state.as_deref().map(TaskState::from_wire),
        status_update_uuid: t.status_update_uuid.clone(),
        labels: pruned(&t.info.labels),
        discovery: pruned(&t.info.discovery),
        container: pruned(&t.info.container),
        health_check: pruned(&t.info.health_check),
        kill_policy: pruned(&t.info.kill_policy),
        limits: pruned(&t.info.limits),
        user: t.info.user(),
    }
}

/// v1 `Response.GetAgents.Agent` (operator API, AGENT_ADDED events).
pub fn agent_v1(a: &AgentEntry) -> Agent {
    agent_v1_with(a, a.allocated.to_wire(None), a.offered.to_wire(None))
}

/// [`agent_v1`] with allocated/offered resources carrying `allocation_info`.
pub fn agent_v1_in(st: &MasterState, a: &AgentEntry) -> Agent {
    agent_v1_using(&AgentUse::of(st), a)
}

/// [`agent_v1_in`] with the usage of every agent measured once.
fn agent_v1_using(usage: &AgentUse, a: &AgentEntry) -> Agent {
    agent_v1_with(a, usage.used(&a.id), usage.offered(&a.id))
}

fn agent_v1_with(a: &AgentEntry, allocated: Vec<Resource>, offered: Vec<Resource>) -> Agent {
    // AgentInfo carries its resources without the deprecated `role` default.
    let info_resources = a
        .total
        .to_wire(None)
        .into_iter()
        .map(|mut r| {
            if r.role.as_deref() == Some("*") {
                r.role = None;
            }
            r
        })
        .collect();
    Agent {
        agent_info: agent_info_with(a, info_resources),
        active: a.active,
        deactivated: false,
        version: a.version.clone(),
        pid: a.pid(),
        registered_time: time_info(a.registered_time),
        reregistered_time: a.reregistered_time.map(time_info),
        total_resources: a.total.to_wire(None),
        allocated_resources: allocated,
        offered_resources: offered,
        capabilities: a
            .capabilities
            .iter()
            .map(|c| Capability { kind: c.clone() })
            .collect(),
    }
}

fn agent_info_with(a: &AgentEntry, resources: Vec<Resource>) -> AgentInfo {
    AgentInfo {
        hostname: a.hostname.clone(),
        port: a.port,
        resources,
        attributes: attributes_to_wire(&a.attributes),
        id: Id::new(a.id.clone()),
    }
}

/// v1 AgentInfo (`recovered_agents[]`).
pub fn agent_info_v1(a: &AgentEntry) -> AgentInfo {
    agent_v1(a).agent_info
}

/// v1 `Offer`.
pub fn offer_v1(st: &MasterState, o: &OfferEntry) -> Offer {
    let agent = st.agents.get(&o.agent_id);
    Offer {
        id: Id::new(o.id.clone()),
        framework_id: Id::new(o.framework_id.clone()),
        agent_id: Id::new(o.agent_id.clone()),
        hostname: agent.map(|a| a.hostname.clone()).unwrap_or_default(),
        resources: o.resources.to_wire(Some(&o.role)),
        allocation_info: AllocationInfo::new(&o.role),
        url: agent.map(|a| Url {
            scheme: "http".into(),
            address: Address {
                hostname: Some(a.hostname.clone()),
                ip: Some(a.ip.clone()),
                port: Some(a.port),
            },
            path: "/slave(1)".into(),
        }),
    }
}

/// v1 `Response.GetFrameworks.Framework` (operator API, FRAMEWORK_* events).
pub fn framework_v1(f: &FrameworkEntry) -> Framework {
    framework_v1_with(f, Vec::new(), Vec::new())
}

/// [`framework_v1`] with the framework's outstanding offers.
pub fn framework_v1_in(st: &MasterState, f: &FrameworkEntry) -> Framework {
    let offers: Vec<&OfferEntry> = st
        .offers
        .values()
        .filter(|o| o.framework_id == f.id)
        .collect();
    let offered = offers
        .iter()
        .flat_map(|o| o.resources.to_wire(Some(&o.role)))
        .collect();
    framework_v1_with(f, offers.iter().map(|o| offer_v1(st, o)).collect(), offered)
}

fn framework_v1_with(f: &FrameworkEntry, offers: Vec<Offer>, offered: Vec<Resource>) -> Framework {
    Framework {
        framework_info: framework_info_v1(f),
        active: f.active,
        connected: f.connected,
        recovered: f.recovered,
        registered_time: time_info(f.registered_time),
        reregistered_time: f.reregistered_time.map(time_info),
        unregistered_time: (f.unregistered_time > 0.0).then(|| time_info(f.unregistered_time)),
        offers,
        allocated_resources: framework_allocated_v1(f),
        offered_resources: offered,
    }
}

/// v1 FrameworkInfo of a framework (FRAMEWORK_REMOVED events).
pub fn framework_info_json(f: &FrameworkEntry) -> FrameworkInfo {
    framework_info_v1(f)
}

/// `get_agents` payload.
pub fn get_agents_v1(st: &MasterState) -> GetAgents {
    GetAgents {
        agents: {
            let usage = AgentUse::of(st);
            st.agents
                .values()
                .map(|a| agent_v1_using(&usage, a))
                .collect()
        },
        recovered_agents: crate::master::registry::recovered_agents_v1(&st.registry),
    }
}

/// `get_frameworks` payload.
pub fn get_frameworks_v1(st: &MasterState) -> GetFrameworks {
    GetFrameworks {
        frameworks: st
            .frameworks
            .values()
            .map(|f| framework_v1_in(st, f))
            .collect(),
        completed_frameworks: st.completed_frameworks.iter().map(framework_v1).collect(),
    }
}

/// `get_executors` payload.
pub fn get_executors_v1(st: &MasterState) -> GetExecutors {
    GetExecutors {
        executors: st
            .frameworks
            .values()
            .flat_map(super::framework_executors)
            .map(|(agent, e)| Executor {
                // Written without empty arrays, as the framework sent it.
                executor_info: Pruned(serde_json::to_value(e).unwrap_or_default()),
                agent_id: Id::new(agent),
            })
            .collect(),
    }
}

/// `get_tasks` payload.
pub fn get_tasks_v1(st: &MasterState) -> GetTasks {
    let mut out = GetTasks::default();
    for f in st.frameworks.values() {
        out.tasks.extend(f.tasks.values().map(|t| task_v1(t)));
        out.unreachable_tasks
            .extend(f.unreachable_tasks.values().map(|t| task_v1(t)));
        out.completed_tasks
            .extend(f.completed_tasks.iter().map(|t| task_v1(t)));
    }
    for f in &st.completed_frameworks {
        out.completed_tasks.extend(all_tasks(f).map(task_v1));
    }
    out
}

/// `get_state` payload (also inside SUBSCRIBED).
pub fn get_state_v1(st: &MasterState) -> GetState {
    GetState {
        get_tasks: get_tasks_v1(st),
        get_executors: get_executors_v1(st),
        get_frameworks: get_frameworks_v1(st),
        get_agents: get_agents_v1(st),
    }
}

/// `get_roles` payload.
pub fn get_roles_v1(st: &MasterState, flags: &Flags) -> GetRoles {
    GetRoles {
        roles: roles(st, flags)
            .into_iter()
            .map(|r| Role {
                weight: r.weight,
                frameworks: r.frameworks.into_iter().map(Id::new).collect(),
                resources: r.allocated.to_wire(Some(&r.name)),
                allocated: r.allocated.to_wire(Some(&r.name)),
                offered: r.offered.to_wire(Some(&r.name)),
                reserved: r.reserved.to_wire(None),
                name: r.name,
            })
            .collect(),
    }
}

/// `get_master` payload.
pub fn get_master_v1(st: &MasterState) -> GetMaster {
    GetMaster {
        master_info: st.info.clone(),
        start_time: st.start_time,
        elected_time: st.elected_time.filter(|_| st.leading()),
    }
}

/// `get_flags` payload.
pub fn get_flags_v1(flags: &Flags) -> GetFlags {
    GetFlags {
        flags: crate::master::flags::rendered(flags)
            .into_iter()
            .map(|(name, value)| Flag { name, value })
            .collect(),
    }
}

/// `get_metrics` payload.
pub fn get_metrics_v1(metrics: &BTreeMap<String, f64>) -> GetMetrics {
    GetMetrics {
        metrics: metrics
            .iter()
            .map(|(k, v)| Metric {
                name: k.clone(),
                value: *v,
            })
            .collect(),
    }
}
