//! v0 bodies: `/master/state`, `/master/frameworks`, `/master/slaves`,
//! `/master/tasks`, `/master/roles`, built as the [`crate::wire::master`]
//! models.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    all_tasks, labels_of, leader, leader_info_v0, pid_of, roles, split_reserved, summary,
    task_terminal, version_json,
};
use crate::daemon::flags::Flags;
use crate::master::state::{AgentEntry, FrameworkEntry, MasterState, OfferEntry, TaskEntry};
use crate::resources::{attribute_map, Resources};
use crate::wire::agent_v1::V1TaskStatus;
use crate::wire::agent_v1::{CommandInfo as V1CommandInfo, ExecutorInfo};
use crate::wire::endpoints::{CommandInfo, CommandUri, Role, RoleQuota, RolesResponse};
use crate::wire::master::{
    Agent, Executor, Framework, FrameworksResponse, MasterState as StateBody, Offer,
    SlavesResponse, TasksResponse,
};
use crate::wire::resources::AllocationInfo;
use crate::wire::{Task, TaskState, TaskStatus};

// ---------------------------------------------------------------------------
// Tasks

/// v0 TaskStatus-lite: `state`, `timestamp`, `labels`?, `container_status`?, `healthy`?.
pub fn status_v0(s: &V1TaskStatus) -> TaskStatus {
    TaskStatus {
        state: s.state.clone(),
        timestamp: s.timestamp,
        labels: labels_of(s.labels.as_ref()).unwrap_or_default(),
        container_status: s
            .container_status
            .as_ref()
            .and_then(|c| serde_json::to_value(c).ok()),
        healthy: s.healthy,
        ..Default::default()
    }
}

/// The executor id of a task: the entry's, else its TaskInfo's, else `""`.
pub(crate) fn task_executor_id(t: &TaskEntry) -> String {
    if !t.executor_id.is_empty() {
        return t.executor_id.clone();
    }
    t.info
        .executor
        .as_ref()
        .map(|e| e.executor_id.value.clone())
        .unwrap_or_default()
}

/// A `TaskResourceLimitation`: `{"value": limit}` (or a bare number).
#[derive(Deserialize)]
#[serde(untagged)]
enum Limit {
    Message {
        #[serde(default, deserialize_with = "crate::wire::de::f64")]
        value: f64,
    },
    Bare(#[serde(deserialize_with = "crate::wire::de::f64")] f64),
}

/// v0 `limits`: each limit as a double (0 when it is not a number).
fn limits_v0(limits: Option<&Value>) -> Option<BTreeMap<String, Value>> {
    let limits = BTreeMap::<String, Value>::deserialize(limits?).ok()?;
    let double = |l: Value| match Limit::deserialize(l) {
        Ok(Limit::Message { value } | Limit::Bare(value)) => value,
        Err(_) => 0.0,
    };
    Some(
        limits
            .into_iter()
            .map(|(k, l)| (k, Value::from(double(l))))
            .collect(),
    )
}

/// v0 Task (`tasks[]` of frameworks, `/master/tasks`).
pub fn task_v0(t: &TaskEntry) -> Task {
    let limits = limits_v0(t.info.limits.as_ref());
    Task {
        id: t.id.clone(),
        name: t.name.clone(),
        framework_id: t.framework_id.clone(),
        executor_id: task_executor_id(t),
        slave_id: t.agent_id.clone(),
        state: TaskState::from_wire(&t.state),
        resources: summary(&t.resources),
        limits,
        role: Some(t.role.clone()),
        statuses: t.statuses.iter().map(status_v0).collect(),
        user: t.info.user(),
        labels: labels_of(t.info.labels.as_ref()).unwrap_or_default(),
        discovery: t.info.discovery.clone(),
        container: t.info.container.clone(),
        health_check: t.info.health_check.clone(),
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------
// Agents

/// Add `r` to the sum of `role` (the role's key is made only when new).
pub(crate) fn add_to_role(m: &mut BTreeMap<String, Resources>, role: &str, r: &Resources) {
    match m.get_mut(role) {
        Some(sum) => sum.add(r),
        None => {
            m.insert(role.to_string(), r.clone());
        }
    }
}

/// Per agent and allocation role: the resources of launched, non-terminal
/// tasks and live executors, and those in outstanding offers; every agent
/// in one pass over the tasks and offers (not one pass per agent).
#[derive(Default)]
pub(crate) struct AgentUse<'a> {
    used: HashMap<&'a str, BTreeMap<String, Resources>>,
    offered: HashMap<&'a str, BTreeMap<String, Resources>>,
}

impl<'a> AgentUse<'a> {
    pub(crate) fn of(st: &'a MasterState) -> Self {
        let mut u = AgentUse::default();
        for fw in st.frameworks.values() {
            for (agent, role, r) in fw.allocations_by_agent() {
                add_to_role(u.used.entry(agent).or_default(), role, r);
            }
        }
        for o in st.offers.values() {
            let roles = u.offered.entry(o.agent_id.as_str()).or_default();
            add_to_role(roles, &o.role, &o.resources);
        }
        u
    }
    /// The agent's used resources as a v1 list with `allocation_info`.
    pub(crate) fn used(&self, agent_id: &str) -> Vec<crate::wire::Resource> {
        self.used
            .get(agent_id)
            .map(wire_by_role)
            .unwrap_or_default()
    }
    /// The agent's offered resources as a v1 list with `allocation_info`.
    pub(crate) fn offered(&self, agent_id: &str) -> Vec<crate::wire::Resource> {
        self.offered
            .get(agent_id)
            .map(wire_by_role)
            .unwrap_or_default()
    }
}

/// v1 Resource list of per-role resources, each with its `allocation_info`.
pub(crate) fn wire_by_role(m: &BTreeMap<String, Resources>) -> Vec<crate::wire::Resource> {
    m.iter()
        .flat_map(|(role, r)| r.to_wire(Some(role)))
        .collect()
}

/// JSON form of a wire value kept as `Value` in the lenient models (the
/// `/master/slaves` `_full` lists).
fn json_of<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// v0 agent entry (`slaves[]` of `/master/state`, `/master/state-summary`).
pub fn agent_v0(a: &AgentEntry) -> Agent {
    let (reserved, unreserved) = split_reserved(&a.total);
    Agent {
        id: a.id.clone(),
        hostname: a.hostname.clone(),
        port: Some(a.port),
        pid: a.pid(),
        attributes: attribute_map(&a.attributes),
        registered_time: a.registered_time,
        reregistered_time: a.reregistered_time,
        resources: summary(&a.total),
        used_resources: summary(&a.allocated),
        offered_resources: summary(&a.offered),
        reserved_resources: reserved
            .iter()
            .map(|(k, r)| (k.clone(), summary(r)))
            .collect(),
        unreserved_resources: summary(&unreserved),
        active: a.active,
        deactivated: Some(false),
        version: Some(a.version.clone()),
        capabilities: a.capabilities.clone(),
        ..Default::default()
    }
}

/// v0 agent entry plus the `_full` arrays of `/master/slaves`.
pub fn agent_full_v0(st: &MasterState, a: &AgentEntry) -> Agent {
    agent_full_v0_with(&AgentUse::of(st), a)
}

/// [`agent_full_v0`] with the usage of every agent measured once.
pub(crate) fn agent_full_v0_with(usage: &AgentUse, a: &AgentEntry) -> Agent {
    let mut o = agent_v0(a);
    let (reserved, unreserved) = split_reserved(&a.total);
    let reserved_full: BTreeMap<&String, Vec<crate::wire::Resource>> =
        reserved.iter().map(|(k, r)| (k, r.to_wire(None))).collect();
    o.reserved_resources_full = Some(json_of(&reserved_full));
    o.unreserved_resources_full = Some(json_of(&unreserved.to_wire(None)));
    o.used_resources_full = Some(json_of(&usage.used(&a.id)));
    o.offered_resources_full = Some(json_of(&usage.offered(&a.id)));
    o
}

// ---------------------------------------------------------------------------
// Frameworks

/// v0 Offer.
pub fn offer_v0(o: &OfferEntry) -> Offer {
    Offer {
        id: o.id.clone(),
        framework_id: o.framework_id.clone(),
        allocation_info: Some(AllocationInfo::new(&o.role)),
        slave_id: o.agent_id.clone(),
        resources: summary(&o.resources),
    }
}

/// v0 CommandInfo of a v1 CommandInfo (`argv` and `uris` always).
pub fn command_v0(c: Option<&V1CommandInfo>) -> CommandInfo {
    let Some(c) = c else {
        return CommandInfo {
            argv: Value::Array(Vec::new()),
            ..Default::default()
        };
    };
    CommandInfo {
        shell: c.shell,
        value: c.value.clone(),
        argv: c.arguments.iter().cloned().map(Value::String).collect(),
        environment: c.environment.as_ref().map(json_of),
        uris: c
            .uris
            .iter()
            .map(|u| CommandUri {
                value: u.value.clone(),
                executable: u.executable.unwrap_or(false),
            })
            .collect(),
    }
}

/// Executors of a framework that the master knows of, as (agent id,
/// ExecutorInfo with its `framework_id`): the live executors it tracks,
/// then (for tasks known from before executors were tracked) the executor
/// of each non-terminal task that names one, once per (agent, id).
pub fn framework_executors(f: &FrameworkEntry) -> Vec<(String, ExecutorInfo)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for ((agent, id), e) in &f.executors {
        seen.insert((agent.clone(), id.clone()));
        out.push((agent.clone(), e.info.clone()));
    }
    for t in f.tasks.values().filter(|t| !task_terminal(t)) {
        let Some(e) = &t.info.executor else {
            continue;
        };
        if seen.insert((t.agent_id.clone(), e.executor_id.value.clone())) {
            out.push((t.agent_id.clone(), e.clone()));
        }
    }
    for (_, e) in out.iter_mut() {
        e.framework_id
            .get_or_insert_with(|| crate::wire::operator::Id::new(f.id.clone()));
    }
    out
}

/// v0 Executor entry.
pub fn executor_v0(agent_id: &str, e: &ExecutorInfo) -> Executor {
    let resources = Resources::from_wire(&e.resources).unwrap_or_default();
    let role = e
        .resources
        .first()
        .and_then(|r| r.allocation_info.as_ref())
        .map(|a| a.role.clone());
    Executor {
        executor_id: e.executor_id.value.clone(),
        name: e.name.clone().unwrap_or_default(),
        framework_id: e
            .framework_id
            .as_ref()
            .map(|f| f.value.clone())
            .unwrap_or_default(),
        command: Some(json_of(&command_v0(e.command.as_ref()))),
        resources: summary(&resources),
        role,
        labels: labels_of(e.other.get("labels")).unwrap_or_default(),
        executor_type: e.kind.clone(),
        slave_id: agent_id.to_string(),
        container: None,
    }
}

/// v0 framework entry (`frameworks[]`, `completed_frameworks[]`).
pub fn framework_v0(st: &MasterState, f: &FrameworkEntry) -> Framework {
    let used = f.allocated();
    let offered = st.offered_to(&f.id);
    let mut total = used.clone();
    total.add(&offered);
    let (role, roles) = if f.multi_role {
        (None, f.roles.clone())
    } else {
        (Some(f.primary_role().to_string()), Vec::new())
    };
    Framework {
        id: f.id.clone(),
        name: f.name.clone(),
        pid: None,
        user: f.user.clone(),
        hostname: f.hostname.clone(),
        webui_url: f.webui_url.clone(),
        principal: f.principal.clone(),
        active: f.active,
        connected: Some(f.connected),
        recovered: Some(f.recovered),
        checkpoint: f.checkpoint,
        failover_timeout: f.failover_timeout,
        registered_time: f.registered_time,
        reregistered_time: f.reregistered_time.filter(|t| *t != f.registered_time),
        unregistered_time: f.unregistered_time,
        role,
        roles,
        capabilities: f.capabilities.clone(),
        resources: summary(&total),
        used_resources: summary(&used),
        offered_resources: summary(&offered),
        tasks: f.tasks.values().map(|t| task_v0(t)).collect(),
        unreachable_tasks: f.unreachable_tasks.values().map(|t| task_v0(t)).collect(),
        completed_tasks: f.completed_tasks.iter().map(|t| task_v0(t)).collect(),
        offers: st
            .offers
            .values()
            .filter(|x| x.framework_id == f.id)
            .map(offer_v0)
            .collect(),
        executors: framework_executors(f)
            .iter()
            .map(|(a, e)| executor_v0(a, e))
            .collect(),
        labels: labels_of(f.info.labels.as_ref()).unwrap_or_default(),
        offer_constraints: Some(
            f.info
                .offer_constraints
                .clone()
                .filter(|c| c.is_object())
                .unwrap_or_else(|| Value::Object(Default::default())),
        ),
    }
}

// ---------------------------------------------------------------------------
// Whole endpoints

/// `/master/state`.
pub fn state_v0(st: &MasterState, flags: &Flags) -> StateBody {
    let v = version_json();
    let active = st.agents.values().filter(|a| a.active).count();
    let leader = leader(st);
    StateBody {
        version: v.version,
        build_date: v.build_date,
        build_time: v.build_time,
        build_user: v.build_user,
        start_time: st.start_time,
        elected_time: st.elected_time.filter(|_| st.leading()),
        id: st.id.clone(),
        pid: pid_of(&st.info),
        hostname: st.hostname.clone(),
        capabilities: st
            .info
            .capabilities
            .iter()
            .map(|c| c.kind.clone())
            .collect(),
        activated_slaves: active as f64,
        deactivated_slaves: (st.agents.len() - active) as f64,
        unreachable_slaves: st.removed_agents.len() as f64,
        domain: st.info.domain.clone(),
        leader: leader.as_ref().map(pid_of),
        leader_info: leader.as_ref().map(leader_info_v0),
        cluster: st.cluster.clone(),
        log_dir: flags.string("log_dir"),
        external_log_file: flags.string("external_log_file"),
        flags: crate::master::flags::rendered(flags),
        slaves: st.agents.values().map(agent_v0).collect(),
        recovered_slaves: crate::master::registry::recovered_slaves_v0(&st.registry),
        frameworks: st
            .frameworks
            .values()
            .map(|f| framework_v0(st, f))
            .collect(),
        completed_frameworks: st
            .completed_frameworks
            .iter()
            .map(|f| framework_v0(st, f))
            .collect(),
        orphan_tasks: Vec::new(),
        unregistered_frameworks: Vec::new(),
        ..Default::default()
    }
}

/// `/master/frameworks[?framework_id=]`.
pub fn frameworks_v0(st: &MasterState, only: Option<&str>) -> FrameworksResponse {
    let keep = |f: &&FrameworkEntry| only.is_none_or(|id| f.id == id);
    FrameworksResponse {
        frameworks: st
            .frameworks
            .values()
            .filter(keep)
            .map(|f| framework_v0(st, f))
            .collect(),
        completed_frameworks: st
            .completed_frameworks
            .iter()
            .filter(keep)
            .map(|f| framework_v0(st, f))
            .collect(),
        unregistered_frameworks: Vec::new(),
    }
}

/// `/master/slaves[?slave_id=]`.
pub fn slaves_v0(st: &MasterState, only: Option<&str>) -> SlavesResponse {
    let usage = AgentUse::of(st);
    SlavesResponse {
        slaves: st
            .agents
            .values()
            .filter(|a| only.is_none_or(|id| a.id == id))
            .map(|a| agent_full_v0_with(&usage, a))
            .collect(),
        recovered_slaves: crate::master::registry::recovered_slaves_v0(&st.registry)
            .into_iter()
            .filter(|a| only.is_none_or(|id| a.id == id))
            .collect(),
    }
}

/// Query of `/master/tasks`.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskQuery {
    /// `None` = no limit (negative `limit`).
    pub limit: Option<usize>,
    pub offset: usize,
    pub ascending: bool,
    pub framework_id: Option<String>,
    pub task_id: Option<String>,
}

impl Default for TaskQuery {
    fn default() -> Self {
        TaskQuery {
            limit: Some(100),
            offset: 0,
            ascending: false,
            framework_id: None,
            task_id: None,
        }
    }
}

/// `/master/tasks`: active, unreachable and completed tasks of active and
/// completed frameworks, sorted by the timestamp of their first status.
pub fn tasks_v0(st: &MasterState, q: &TaskQuery) -> TasksResponse {
    let mut tasks: Vec<&TaskEntry> = st
        .frameworks
        .values()
        .chain(st.completed_frameworks.iter())
        .filter(|f| q.framework_id.as_deref().is_none_or(|id| f.id == id))
        .flat_map(all_tasks)
        .filter(|t| q.task_id.as_deref().is_none_or(|id| t.id == id))
        .collect();
    let first = |t: &TaskEntry| t.statuses.first().map(|s| s.timestamp);
    // Tasks without statuses sort first in ascending order (None < Some).
    tasks.sort_by(|a, b| {
        let o = first(a)
            .partial_cmp(&first(b))
            .unwrap_or(std::cmp::Ordering::Equal);
        if q.ascending {
            o
        } else {
            o.reverse()
        }
    });
    TasksResponse {
        tasks: tasks
            .into_iter()
            .skip(q.offset)
            .take(q.limit.unwrap_or(usize::MAX))
            .map(task_v0)
            .collect(),
    }
}

/// `/master/roles`.
pub fn roles_v0(st: &MasterState, flags: &Flags) -> RolesResponse {
    RolesResponse {
        roles: roles(st, flags)
            .into_iter()
            .map(|r| Role {
                weight: r.weight,
                frameworks: r.frameworks,
                resources: summary(&r.allocated),
                allocated: summary(&r.allocated),
                offered: summary(&r.offered),
                reserved: summary(&r.reserved),
                quota: {
                    let q = st.policy.quotas.get(&r.name);
                    RoleQuota {
                        role: r.name.clone(),
                        guarantee: q.map(|q| q.guarantee_quantities()).unwrap_or_default(),
                        limit: q.map(|q| q.limit_quantities()).unwrap_or_default(),
                        consumed: summary(&r.allocated),
                    }
                },
                name: r.name,
            })
            .collect(),
    }
}
