//! The master's in-memory model: agents, frameworks, tasks, offers. One
//! `Mutex<MasterState>` inside [`Master`]; never held across an `.await`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bytes::Bytes;
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::{broadcast, mpsc, Notify};

use crate::daemon::flags::Flags;
use crate::resources::{Attribute, Resources};
use crate::wire::agent_v1::ExecutorInfo;
use crate::wire::MasterInfo;

pub use crate::daemon::now_secs;

/// Whether a task state (wire name) is terminal: the set
/// [`crate::wire::TaskState`] defines.
pub fn is_terminal(state: &str) -> bool {
    crate::wire::TaskState::is_terminal_name(state)
}

/// Everything handlers share.
pub struct Master {
    pub state: Mutex<MasterState>,
    /// The generation counter and cached renders of the read endpoints
    /// (`super::snapshot`).
    pub reads: super::snapshot::Reads,
    pub flags: Flags,
    /// Client for calls to agents (internal protocol).
    pub http: reqwest::Client,
    /// v1 operator events, encoded once (RecordIO-framed JSON), for the
    /// operator SUBSCRIBE streams.
    pub events: broadcast::Sender<Bytes>,
    /// Bounds concurrent calls to agents (connections and their buffers).
    pub agent_calls: tokio::sync::Semaphore,
    /// Wakes the allocator (new framework, agent, freed resources, revive).
    pub allocate: Notify,
    pub started: Instant,
    /// With `--authenticate_agents`: the store agents' credentials are
    /// checked against (set once at start-up).
    pub agent_credentials: std::sync::OnceLock<Arc<crate::daemon::auth::Credentials>>,
    /// Persists the registry (docs/registry.md).
    pub registrar: super::registry::Registrar,
    /// The MasterInfo of every ZooKeeper contender (this master included),
    /// as last read by `super::contender`; empty without `--zk`. Outside
    /// `state` so that updating it does not invalidate the read caches.
    pub contenders: Mutex<Vec<MasterInfo>>,
}

pub type Shared = Arc<Master>;

impl Master {
    /// Lock the state. Mutable access through the guard bumps the state's
    /// generation, which invalidates the cached renders of the read
    /// endpoints (`super::snapshot`); read-only use does not.
    pub fn lock(&self) -> super::snapshot::StateGuard<'_> {
        super::snapshot::StateGuard::new(
            self.state.lock().unwrap_or_else(|p| p.into_inner()),
            &self.reads,
        )
    }
    /// Publish an operator event (not even encoded when nobody listens).
    pub fn emit(&self, event: crate::wire::operator::Event) {
        if self.events.receiver_count() == 0 {
            return;
        }
        let json = serde_json::to_vec(&event).unwrap_or_default();
        let _ = self
            .events
            .send(Bytes::from(crate::recordio::encode(&json)));
    }
}

/// Leadership as this master sees it.
#[derive(Clone, Debug)]
pub enum Leadership {
    /// This master leads (standalone masters always do).
    Leading,
    /// Another master leads.
    Following(Box<MasterInfo>),
    /// Nobody is known to lead (503).
    Unknown,
}

/// The state behind the lock. `Clone` so that the read endpoints can render
/// from a copy outside the lock (`super::snapshot`): keep handles that
/// must not be duplicated (connections, files) out of it.
#[derive(Clone)]
pub struct MasterState {
    pub id: String,
    pub info: MasterInfo,
    pub hostname: String,
    pub ip: String,
    pub port: u16,
    pub start_time: f64,
    pub elected_time: Option<f64>,
    pub leadership: Leadership,
    pub cluster: Option<String>,
    pub agents: BTreeMap<String, AgentEntry>,
    /// Agents removed (unreachable/gone), kept for reporting.
    pub removed_agents: BTreeSet<String>,
    pub frameworks: BTreeMap<String, FrameworkEntry>,
    pub completed_frameworks: VecDeque<FrameworkEntry>,
    pub offers: BTreeMap<String, OfferEntry>,
    pub next_framework: u64,
    pub next_agent: u64,
    pub next_offer: u64,
    pub counters: Counters,
    pub max_completed_frameworks: usize,
    pub max_completed_tasks: usize,
    /// Maintenance schedule, down machines, quotas and weights: what the
    /// registry persists (master/policy.rs).
    pub policy: super::policy::Policy,
    /// Inverse offers in flight and the answers (not persisted).
    pub inverse: InverseOffers,
    /// Recovered agents, unreachable times, and what the registry keeps
    /// for maintenance, quota and weights (docs/registry.md).
    pub registry: super::registry::RegistryState,
}

/// One outstanding inverse offer (master/inverse.rs sends and answers them).
#[derive(Clone, Debug)]
pub struct Outstanding {
    pub framework_id: String,
    pub agent_id: String,
    pub machine: crate::wire::maintenance::MachineId,
}

/// Inverse offers in flight and the frameworks' answers (not persisted).
#[derive(Clone, Debug, Default)]
pub struct InverseOffers {
    pub outstanding: BTreeMap<String, Outstanding>,
    /// Latest answer per machine, per framework id.
    pub statuses: BTreeMap<
        crate::wire::maintenance::MachineId,
        BTreeMap<String, crate::wire::maintenance::InverseOfferStatus>,
    >,
    /// No inverse offer for (framework, agent) before this.
    pub filters: BTreeMap<(String, String), Instant>,
}

/// Monotonic counters for `/metrics/snapshot`.
#[derive(Clone, Debug, Default)]
pub struct Counters {
    pub tasks_finished: u64,
    pub tasks_failed: u64,
    pub tasks_killed: u64,
    pub tasks_lost: u64,
    pub tasks_error: u64,
    pub tasks_dropped: u64,
    pub tasks_gone: u64,
    pub frameworks_removed: u64,
    pub agents_removed: u64,
    pub agent_registrations: u64,
    pub agent_reregistrations: u64,
    pub offers_sent: u64,
    pub offers_declined: u64,
    pub offers_accepted: u64,
    pub offers_rescinded: u64,
    pub status_updates: u64,
    pub scheduler_calls: u64,
    pub invalid_status_updates: u64,
    /// Messages by kind and their outcomes (master/metrics.rs).
    pub messages: super::metrics::Messages,
    /// Registrar metrics; the registry records its fetches and stores here.
    pub registrar: super::metrics::Registrar,
}

/// A registered agent.
#[derive(Clone, Debug)]
pub struct AgentEntry {
    pub id: String,
    pub hostname: String,
    pub ip: String,
    pub port: u16,
    pub version: String,
    pub capabilities: Vec<String>,
    pub total: Resources,
    pub attributes: Vec<Attribute>,
    pub registered_time: f64,
    pub reregistered_time: Option<f64>,
    pub active: bool,
    pub last_ping: Instant,
    /// Resources of launched, non-terminal tasks.
    pub allocated: Resources,
    /// Resources in outstanding offers.
    pub offered: Resources,
    /// Secret of the agent's current registration with this master
    /// (docs/internal-protocol.md); never rendered.
    pub session_token: crate::daemon::proto::session::Token,
}

impl AgentEntry {
    /// `slave(1)@ip:port`
    pub fn pid(&self) -> String {
        format!("slave(1)@{}:{}", self.ip, self.port)
    }
    /// `http://ip:port` (`https` when TLS is on)
    pub fn base_url(&self) -> String {
        format!(
            "{}://{}:{}",
            crate::daemon::tls::scheme(),
            self.ip,
            self.port
        )
    }
    /// Resources neither allocated nor offered.
    pub fn available(&self) -> Resources {
        let mut a = self.total.clone();
        a.subtract(&self.allocated);
        a.subtract(&self.offered);
        a
    }
}

/// The open SUBSCRIBE stream of a framework.
#[derive(Clone, Debug)]
pub struct Stream {
    /// `Mesos-Stream-Id`.
    pub id: String,
    /// RecordIO-framed event bytes.
    pub tx: mpsc::UnboundedSender<Bytes>,
}

/// A framework's offer filter (`refuse_seconds`) on one agent.
#[derive(Clone, Debug)]
pub struct OfferFilter {
    pub agent_id: String,
    pub until: Instant,
}

/// A registered (or completed) framework.
#[derive(Clone, Debug)]
pub struct FrameworkEntry {
    pub id: String,
    /// v1 FrameworkInfo as subscribed, with `id` set.
    pub info: crate::wire::framework::FrameworkInfo,
    pub name: String,
    pub user: String,
    /// Roles (one entry for single-role frameworks).
    pub roles: Vec<String>,
    pub multi_role: bool,
    pub principal: Option<String>,
    pub hostname: String,
    pub webui_url: String,
    pub failover_timeout: f64,
    pub checkpoint: bool,
    /// Capability type names, e.g. `TASK_KILLING_STATE`.
    pub capabilities: Vec<String>,
    pub active: bool,
    pub connected: bool,
    /// Known from the registry or a re-registering agent after a master
    /// failover, and not re-subscribed since.
    pub recovered: bool,
    pub registered_time: f64,
    pub reregistered_time: Option<f64>,
    pub unregistered_time: f64,
    pub disconnected_at: Option<Instant>,
    /// Tasks are shared with the read snapshots (copy-on-write through
    /// `Arc::make_mut`), so a snapshot copies 10,000 tasks as 10,000
    /// reference counts.
    pub tasks: BTreeMap<String, Arc<TaskEntry>>,
    pub unreachable_tasks: BTreeMap<String, Arc<TaskEntry>>,
    pub completed_tasks: VecDeque<Arc<TaskEntry>>,
    pub stream: Option<Stream>,
    pub filters: Vec<OfferFilter>,
    pub suppressed_roles: BTreeSet<String>,
    /// Custom and default executors the framework runs, by (agent id,
    /// executor id): launched with a task or task group, recovered from a
    /// re-registering agent, gone when the agent reports their exit.
    pub executors: BTreeMap<(String, String), ExecutorEntry>,
}

/// An executor (custom or default) of a framework on one agent. Its
/// resources are allocated once, on top of its tasks', while it lives.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecutorEntry {
    pub agent_id: String,
    /// As launched: `framework_id` set, resources carrying the allocation
    /// role.
    pub info: ExecutorInfo,
    pub resources: Resources,
    pub role: String,
}

impl ExecutorEntry {
    pub fn id(&self) -> &str {
        &self.info.executor_id.value
    }
}

impl FrameworkEntry {
    pub fn has_capability(&self, cap: &str) -> bool {
        self.capabilities.iter().any(|c| c == cap)
    }
    pub fn partition_aware(&self) -> bool {
        self.has_capability("PARTITION_AWARE")
    }
    /// Resources of launched, non-terminal tasks and of live executors.
    pub fn allocated(&self) -> Resources {
        let mut r = Resources::new();
        for (_, res) in self.allocations() {
            r.add(res);
        }
        r
    }
    /// (allocation role, resources) of every non-terminal task and live
    /// executor.
    pub fn allocations(&self) -> impl Iterator<Item = (&str, &Resources)> {
        self.allocations_by_agent().map(|(_, role, r)| (role, r))
    }
    /// (agent id, allocation role, resources) of every non-terminal task
    /// and live executor.
    pub fn allocations_by_agent(&self) -> impl Iterator<Item = (&str, &str, &Resources)> {
        self.tasks
            .values()
            .filter(|t| !is_terminal(&t.state))
            .map(|t| (t.agent_id.as_str(), t.role.as_str(), &t.resources))
            .chain(
                self.executors
                    .values()
                    .map(|e| (e.agent_id.as_str(), e.role.as_str(), &e.resources)),
            )
    }
    /// Whether the framework runs executor `executor_id` on `agent_id`.
    pub fn has_executor(&self, agent_id: &str, executor_id: &str) -> bool {
        self.executors
            .contains_key(&(agent_id.to_string(), executor_id.to_string()))
    }
    /// The role used for single-role frameworks and the first role otherwise.
    pub fn primary_role(&self) -> &str {
        self.roles.first().map(String::as_str).unwrap_or("*")
    }
}

/// A task known to the master.
#[derive(Clone, Debug)]
pub struct TaskEntry {
    pub id: String,
    pub name: String,
    pub framework_id: String,
    pub agent_id: String,
    /// `""` for command tasks.
    pub executor_id: String,
    /// Latest state name, e.g. `TASK_RUNNING`.
    pub state: String,
    pub resources: Resources,
    pub role: String,
    /// Full v1 TaskStatus, oldest first.
    pub statuses: Vec<crate::wire::agent_v1::V1TaskStatus>,
    /// The optional parts of the v1 TaskInfo as launched (labels,
    /// container, discovery, health_check, executor, ...), see
    /// [`prune_task_info`].
    pub info: KeptTaskInfo,
    /// State and uuid of the latest update not yet acknowledged.
    pub status_update_state: Option<String>,
    pub status_update_uuid: Option<String>,
}

/// An outstanding offer.
#[derive(Clone, Debug)]
pub struct OfferEntry {
    pub id: String,
    pub framework_id: String,
    pub agent_id: String,
    pub resources: Resources,
    pub role: String,
    pub created: Instant,
}

/// The parts of a TaskInfo the master keeps after launch (for the state
/// endpoints): everything else (ids, name, resources, the command) lives in
/// typed fields already, and 10,000 full JSON trees cost memory. The
/// messages the master only shows are kept as sent (`null` is absent).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct KeptTaskInfo {
    #[serde(default)]
    pub labels: Option<Value>,
    #[serde(default)]
    pub discovery: Option<Value>,
    #[serde(default)]
    pub container: Option<Value>,
    #[serde(default)]
    pub health_check: Option<Value>,
    #[serde(default)]
    pub check: Option<Value>,
    #[serde(default)]
    pub kill_policy: Option<Value>,
    /// `{name: {"value": limit}}`.
    #[serde(default)]
    pub limits: Option<Value>,
    /// A custom executor (tasks of re-registering agents only: the master
    /// launches command tasks).
    #[serde(default, deserialize_with = "lenient")]
    pub executor: Option<ExecutorInfo>,
    #[serde(default)]
    pub max_completion_time: Option<Value>,
    /// Only `command.user` is kept.
    #[serde(default, deserialize_with = "lenient")]
    pub command: Option<KeptCommand>,
}

/// `TaskInfo.command` as kept: its `user`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct KeptCommand {
    #[serde(default, deserialize_with = "crate::wire::de::opt_string")]
    pub user: Option<String>,
}

impl KeptTaskInfo {
    /// The user the task runs as, if its command (or executor's) names one.
    pub fn user(&self) -> Option<String> {
        self.command
            .as_ref()
            .and_then(|c| c.user.clone())
            .or_else(|| {
                self.executor
                    .as_ref()
                    .and_then(|e| e.command.as_ref())
                    .and_then(|c| c.user.clone())
            })
    }
}

/// An optional message that is dropped (not an error) when it does not map.
fn lenient<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = Value::deserialize(d)?;
    Ok(T::deserialize(v).ok())
}

/// [`KeptTaskInfo`] of a v1 TaskInfo JSON (a non-object keeps nothing).
pub fn prune_task_info(info: &Value) -> KeptTaskInfo {
    KeptTaskInfo::deserialize(info).unwrap_or_default()
}

impl MasterState {
    /// Whether this master leads.
    pub fn leading(&self) -> bool {
        matches!(self.leadership, Leadership::Leading)
    }

    pub fn new_framework_id(&mut self) -> String {
        let id = format!("{}-{:04}", self.id, self.next_framework);
        self.next_framework += 1;
        id
    }
    pub fn new_agent_id(&mut self) -> String {
        let id = format!("{}-S{}", self.id, self.next_agent);
        self.next_agent += 1;
        id
    }
    pub fn new_offer_id(&mut self) -> String {
        let id = format!("{}-O{}", self.id, self.next_offer);
        self.next_offer += 1;
        id
    }

    /// Resources offered to a framework (sum of its outstanding offers).
    pub fn offered_to(&self, framework_id: &str) -> Resources {
        let mut r = Resources::new();
        for o in self
            .offers
            .values()
            .filter(|o| o.framework_id == framework_id)
        {
            r.add(&o.resources);
        }
        r
    }

    /// Find a task by framework and id (active or unreachable).
    pub fn task_mut(&mut self, framework_id: &str, task_id: &str) -> Option<&mut TaskEntry> {
        let fw = self.frameworks.get_mut(framework_id)?;
        if fw.tasks.contains_key(task_id) {
            return fw.tasks.get_mut(task_id).map(Arc::make_mut);
        }
        fw.unreachable_tasks.get_mut(task_id).map(Arc::make_mut)
    }

    /// Count of tasks per state across active frameworks (for metrics).
    pub fn task_state_counts(&self) -> BTreeMap<String, u64> {
        let mut m = BTreeMap::new();
        for fw in self.frameworks.values() {
            for t in fw.tasks.values().chain(fw.unreachable_tasks.values()) {
                *m.entry(t.state.clone()).or_insert(0) += 1;
            }
        }
        m
    }
}
