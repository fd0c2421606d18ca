//! The data shared by the REST side and the driver (the contract between
//! them). Everything lives in one [`State`] behind a mutex in [`Marathon`];
//! changes to it are announced on [`Marathon::changed`] so the driver
//! re-plans, and user-visible changes are published as [`MarathonEvent`]s.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, Notify};

use crate::wire::marathon::{
    ActionKind, AppDefinition, MarathonEvent, PathId, ReadinessCheckResult,
};

/// The lifecycle of an instance (one task) as Marathon shows it: the Mesos
/// state name (`TASK_STAGING` until the first update).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    /// The Mesos task id (`<safe app id>.<uuid>`).
    pub task_id: String,
    pub app_id: PathId,
    /// The app version (timestamp) the task was launched with.
    pub app_version: String,
    pub agent_id: String,
    pub hostname: String,
    pub host_ports: Vec<u32>,
    /// `TASK_STAGING`, `TASK_RUNNING`, ... (latest update).
    pub state: String,
    pub staged_at_ms: i64,
    pub started_at_ms: Option<i64>,
    /// `TaskStatus.healthy` of the latest update (Mesos-level checks).
    pub mesos_healthy: Option<bool>,
    /// Marathon-level check results, one per app health check (same order).
    pub health: Vec<HealthResult>,
    pub ip_addresses: Vec<String>,
    /// Asked to be killed (scale-down, replacement, `DELETE .../tasks`).
    pub kill_requested: bool,
    /// When the agent went unreachable (`TASK_UNREACHABLE`), for
    /// `unreachableStrategy`.
    pub unreachable_since_ms: Option<i64>,
}

/// One health check's state for one instance (rendered as
/// `healthCheckResults`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthResult {
    pub alive: bool,
    pub consecutive_failures: u64,
    pub first_success_ms: Option<i64>,
    pub last_success_ms: Option<i64>,
    pub last_failure_ms: Option<i64>,
    pub last_failure_cause: Option<String>,
}

impl Instance {
    /// Launched but not yet running (counts as `tasksStaged`).
    pub fn is_staged(&self) -> bool {
        matches!(self.state.as_str(), "TASK_STAGING" | "TASK_STARTING")
    }

    pub fn is_running(&self) -> bool {
        self.state == "TASK_RUNNING"
    }

    /// Healthy as Marathon counts it: running, and every check (Marathon-
    /// level results, or the Mesos `healthy` flag) says alive. `None` when
    /// the app has no checks or no result is in yet.
    pub fn healthy(&self, has_mesos_check: bool) -> Option<bool> {
        if has_mesos_check {
            return self.mesos_healthy;
        }
        if self.health.is_empty() {
            return None;
        }
        if self
            .health
            .iter()
            .any(|h| !h.alive && h.last_failure_ms.is_some())
        {
            return Some(false);
        }
        if self.health.iter().all(|h| h.alive) {
            return Some(true);
        }
        None
    }
}

/// A deployment: what changes, in steps of parallel actions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeploymentRecord {
    pub id: String,
    /// The version (timestamp) of the change.
    pub version: String,
    /// Steps in order; each step's actions run in parallel.
    pub steps: Vec<Vec<(ActionKind, PathId)>>,
    /// 1-based index of the step under way; 0 before the first starts.
    pub current_step: u32,
    /// The apps before the change (`None` = did not exist), for rollback.
    pub original: BTreeMap<PathId, Option<AppDefinition>>,
    /// The apps after the change (`None` = removed).
    pub target: BTreeMap<PathId, Option<AppDefinition>>,
}

impl DeploymentRecord {
    pub fn affects(&self, app: &PathId) -> bool {
        self.target.contains_key(app)
    }
}

/// The last failed task of an app (`lastTaskFailure`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskFailure {
    pub task_id: String,
    pub state: String,
    pub message: String,
    pub host: String,
    pub agent_id: String,
    pub version: String,
    pub timestamp_ms: i64,
}

/// Launch delay of an app after failures (`backoffSeconds` ...): the one
/// backoff implementation, [`crate::marathon::backoff::Backoff`].
pub type Delay = crate::marathon::backoff::Backoff;

/// Everything the scheduler knows.
#[derive(Clone, Debug, Default)]
pub struct State {
    /// The current definition of every app (defaults filled, normalized).
    pub apps: BTreeMap<PathId, AppDefinition>,
    /// Stored versions per app, oldest first (`/v2/apps/{id}/versions`).
    pub versions: BTreeMap<PathId, Vec<String>>,
    /// Group dependencies and versions (`/v2/groups`); groups exist
    /// implicitly for every app's parents.
    pub groups: BTreeMap<PathId, GroupRecord>,
    /// Live instances by task id.
    pub instances: BTreeMap<String, Instance>,
    /// Deployments under way, in creation order.
    pub deployments: Vec<DeploymentRecord>,
    pub last_failures: BTreeMap<PathId, TaskFailure>,
    pub delays: BTreeMap<PathId, Delay>,
    /// The latest readiness check result per task id (from the driver's
    /// readiness checkers; `currentActions[].readinessCheckResults`).
    pub readiness: BTreeMap<String, ReadinessCheckResult>,
    /// What the driver did with offers per app (`/v2/queue`'s
    /// `processedOffersSummary`, `lastUnusedOffers`).
    pub offer_stats: BTreeMap<PathId, OfferStats>,
    /// Our framework id once subscribed (persisted).
    pub framework_id: Option<String>,
    /// The master we are subscribed to (`host:port`), if any.
    pub master: Option<String>,
}

/// Offers processed for one app's launches (since its current version).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OfferStats {
    /// The app version these counts are for (a new version starts over).
    pub version: String,
    pub processed: u64,
    pub unused: u64,
    pub last_used_ms: Option<i64>,
    pub last_unused_ms: Option<i64>,
    /// Offers declined per reason (Marathon's names) since the version.
    pub declined: BTreeMap<String, u64>,
    /// The latest unused offers, newest last (at most
    /// [`OfferStats::KEEP`]).
    pub last_unused: std::collections::VecDeque<UnusedOffer>,
}

impl OfferStats {
    /// How many unused offers are kept for `lastUnusedOffers`.
    pub const KEEP: usize = 10;
}

/// An offer that did not fit an app, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct UnusedOffer {
    pub offer: crate::wire::event::Offer,
    pub reasons: Vec<String>,
    pub at_ms: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupRecord {
    pub dependencies: Vec<PathId>,
    pub version: String,
}

impl State {
    /// The deployment that holds `app`, if any (an app is in at most one).
    pub fn deployment_of(&self, app: &PathId) -> Option<&DeploymentRecord> {
        self.deployments.iter().find(|d| d.affects(app))
    }

    /// The live instances of `app`.
    pub fn instances_of<'a>(&'a self, app: &'a PathId) -> impl Iterator<Item = &'a Instance> + 'a {
        self.instances.values().filter(move |i| &i.app_id == app)
    }
}

/// The shared handle: state, change notification and the event bus.
#[derive(Clone)]
pub struct Marathon {
    state: Arc<Mutex<State>>,
    changed: Arc<Notify>,
    events: broadcast::Sender<MarathonEvent>,
}

impl Default for Marathon {
    fn default() -> Self {
        Marathon::new(State::default())
    }
}

impl Marathon {
    pub fn new(state: State) -> Marathon {
        Marathon {
            state: Arc::new(Mutex::new(state)),
            changed: Arc::new(Notify::new()),
            events: broadcast::channel(4096).0,
        }
    }

    /// Lock the state (short critical sections; never across an `.await`).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Tell the driver the desired state changed.
    pub fn poke(&self) {
        self.changed.notify_one();
    }

    /// Wait until [`Marathon::poke`] is called.
    pub async fn changed(&self) {
        self.changed.notified().await
    }

    /// Publish an event to `/v2/events` subscribers (dropped when none).
    pub fn publish(&self, event: MarathonEvent) {
        let _ = self.events.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<MarathonEvent> {
        self.events.subscribe()
    }
}

/// Now, in epoch milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
