//! The operations behind the Marathon REST API, on [`Marathon`]'s state:
//! every deployable call (apps, groups, tasks, deployments, queue delays)
//! and the queries that build the output bodies. No HTTP here: the
//! handlers in `marathon::http` parse requests into these calls and map
//! [`ApiError`] to status codes.
//!
//! Every change goes the same way ([`Api::deploy`]): compute the target
//! apps, refuse with [`ApiError::Locked`] when an affected app is in a
//! running deployment (unless `force`, which cancels those deployments),
//! build the plan (docs/marathon.md "Deployments"), apply the change to
//! the state at once (as Marathon stores its target group at once), give
//! every changed app a new version, persist, `poke()` the driver and
//! publish the events. The driver executes the plan.
//!
//! * [`apps`]: create, update, delete, restart, kill tasks.
//! * [`groups`]: group create, update (`scaleBy`, `version`), delete.
//! * [`views`]: `AppView`, tasks, groups, deployments, queue.
//! * [`plan`]: deployment plans.
//! * [`deployments`]: cancel (rollback or force) a deployment.

pub mod apps;
pub mod deployments;
pub mod groups;
pub mod plan;
pub mod stats;
pub mod views;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicI64, Ordering};

use crate::datetime::iso_millis;
use crate::marathon::core::persist;
use crate::marathon::core::state::{now_ms, DeploymentRecord, GroupRecord, Marathon, State};
use crate::marathon::store::{Store, StoreError};
use crate::wire::marathon::{
    AppDefinition, DeploymentRef, DeploymentResult, ErrorBody, ErrorDetail, EventKind,
    MarathonEvent, PathId, VersionInfo,
};

/// Settings of the REST side.
#[derive(Clone, Debug)]
pub struct ApiConfig {
    /// `--local_port_min` / `--local_port_max`: where service ports come from.
    pub local_port_min: u32,
    pub local_port_max: u32,
    /// `--zk_max_versions`: stored versions per app.
    pub max_versions: usize,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            local_port_min: 10000,
            local_port_max: 20000,
            max_versions: 50,
        }
    }
}

/// Why a call failed; each maps to one status code and an [`ErrorBody`].
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// 400: a body that is not the JSON expected (the parser's message).
    InvalidJson(String),
    /// 400: a request that makes no sense.
    BadRequest(String),
    /// 404.
    NotFound(String),
    /// 409: already exists.
    Conflict(String),
    /// 409: an affected app is locked by these deployments.
    Locked(Vec<String>),
    /// 422: validation failed.
    Invalid(Vec<ErrorDetail>),
    /// 503: the state store failed.
    Unavailable(String),
}

impl ApiError {
    pub fn status(&self) -> u16 {
        match self {
            ApiError::BadRequest(_) | ApiError::InvalidJson(_) => 400,
            ApiError::NotFound(_) => 404,
            ApiError::Conflict(_) | ApiError::Locked(_) => 409,
            ApiError::Invalid(_) => 422,
            ApiError::Unavailable(_) => 503,
        }
    }

    pub fn body(&self) -> ErrorBody {
        match self {
            ApiError::BadRequest(m)
            | ApiError::NotFound(m)
            | ApiError::Conflict(m)
            | ApiError::Unavailable(m) => ErrorBody::new(m.clone()),
            ApiError::InvalidJson(e) => ErrorBody {
                message: "Invalid JSON".into(),
                details: Some(vec![ErrorDetail {
                    path: "/".into(),
                    errors: vec![e.clone()],
                }]),
                deployments: None,
            },
            ApiError::Locked(ids) => ErrorBody {
                // Marathon writes the placeholder literally.
                message: "App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/<DEPLOYMENT_ID>'.".into(),
                details: None,
                deployments: Some(ids.iter().map(|id| DeploymentRef { id: id.clone() }).collect()),
            },
            ApiError::Invalid(details) => ErrorBody {
                message: "Object is not valid".into(),
                details: Some(details.clone()),
                deployments: None,
            },
        }
    }

    pub fn app_not_found(id: &PathId) -> ApiError {
        ApiError::NotFound(format!("App '{id}' does not exist"))
    }

    pub fn group_not_found(id: &PathId) -> ApiError {
        ApiError::NotFound(format!("Group '{id}' does not exist"))
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        crate::error!("State store failed: {e}");
        ApiError::Unavailable(format!("The state store failed: {e}"))
    }
}

/// Who asked (for `api_post_event`).
#[derive(Clone, Debug, Default)]
pub struct Caller {
    pub client_ip: String,
    pub uri: String,
}

/// What a deployable call answers: the result body and whether something
/// was created (201). When nothing changed, the id names no deployment.
#[derive(Clone, Debug)]
pub struct Deployed {
    pub result: DeploymentResult,
    pub created: bool,
}

/// A change to make: apps to set (`Some`) or remove (`None`), apps to
/// restart even if unchanged, groups to set or remove.
#[derive(Clone, Debug, Default)]
pub struct Change {
    pub apps: BTreeMap<PathId, Option<AppDefinition>>,
    pub restart: BTreeSet<PathId>,
    pub groups: BTreeMap<PathId, Option<GroupRecord>>,
    /// Instances to kill as part of a scale-down (`kill ... scale=true`).
    pub kill: Vec<String>,
    /// Deployments to cancel first (`DELETE /v2/deployments/{id}`).
    pub cancel: Vec<String>,
    pub force: bool,
    /// Publish `api_post_event` for the changed apps (app calls).
    pub api_post: bool,
    /// The group `group_change_success` names.
    pub group: PathId,
}

/// The REST side's handle: the shared state, the store and the settings.
pub struct Api {
    pub marathon: Marathon,
    pub store: Store,
    pub cfg: ApiConfig,
    /// Serializes changes (compute, apply, persist) so stored values are
    /// written in the order they were made.
    write: tokio::sync::Mutex<()>,
    last_version_ms: AtomicI64,
}

impl Api {
    pub fn new(marathon: Marathon, store: Store, cfg: ApiConfig) -> Api {
        Api {
            marathon,
            store,
            cfg,
            write: tokio::sync::Mutex::new(()),
            last_version_ms: AtomicI64::new(0),
        }
    }

    /// A new version timestamp, later than any handed out before.
    fn next_version(&self) -> String {
        let now = now_ms();
        let mut prev = self.last_version_ms.load(Ordering::Relaxed);
        loop {
            let next = now.max(prev + 1);
            match self.last_version_ms.compare_exchange(
                prev,
                next,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return iso_millis(next),
                Err(p) => prev = p,
            }
        }
    }

    /// Make `change`: see the module docs. `prepare` runs under the state
    /// lock and fills in the change from the current state (so the check
    /// and the change see the same state).
    pub async fn deploy(
        &self,
        caller: &Caller,
        prepare: impl FnOnce(&State) -> Result<Change, ApiError>,
    ) -> Result<Deployed, ApiError> {
        let _serial = self.write.lock().await;
        let version = self.next_version();
        let id = uuid::Uuid::new_v4().to_string();
        let mut work = Persist::default();
        let (record, created, events) = {
            let mut st = self.marathon.lock();
            let change = prepare(&st)?;
            let (record, created) = self.apply(&mut st, &change, &id, &version, &mut work)?;
            let events = self.events(&st, &change, &version, caller);
            (record, created, events)
        };
        // A store failure answers 503; the change stays in memory (this
        // instance keeps leading with it) and the next write of the same
        // records repairs the store.
        work.run(&self.store).await?;
        self.marathon.poke();
        for e in events {
            self.marathon.publish(e);
        }
        Ok(Deployed {
            result: DeploymentResult {
                version,
                deployment_id: record.map(|r| r.id).unwrap_or(id),
            },
            created,
        })
    }

    /// Apply `change` to `st` (under the lock): lock check, versions, plan,
    /// deployments. Returns the new deployment (none when nothing is to
    /// be done) and whether an app was created.
    fn apply(
        &self,
        st: &mut State,
        change: &Change,
        id: &str,
        version: &str,
        work: &mut Persist,
    ) -> Result<(Option<DeploymentRecord>, bool), ApiError> {
        for d in &change.cancel {
            st.deployments.retain(|x| &x.id != d);
            work.delete_deployments.push(d.clone());
        }
        let mut original = BTreeMap::new();
        let mut target = BTreeMap::new();
        let mut created = false;
        for (app_id, new) in &change.apps {
            let old = st.apps.get(app_id).cloned();
            let restart = change.restart.contains(app_id);
            let new = match (new, &old) {
                (None, None) => continue,
                (None, Some(_)) => None,
                (Some(n), Some(o)) if !restart && same_config(o, n) => {
                    if o.instances == n.instances {
                        continue;
                    }
                    let mut n = n.clone();
                    n.version = Some(version.to_string());
                    n.version_info = Some(VersionInfo {
                        last_scaling_at: version.to_string(),
                        last_config_change_at: o
                            .version_info
                            .as_ref()
                            .map(|v| v.last_config_change_at.clone())
                            .or_else(|| o.version.clone())
                            .unwrap_or_else(|| version.to_string()),
                    });
                    Some(n)
                }
                (Some(n), _) => {
                    created |= old.is_none();
                    let mut n = n.clone();
                    n.version = Some(version.to_string());
                    n.version_info = Some(VersionInfo {
                        last_scaling_at: version.to_string(),
                        last_config_change_at: version.to_string(),
                    });
                    Some(n)
                }
            };
            original.insert(app_id.clone(), old);
            target.insert(app_id.clone(), new);
        }
        // The lock check covers every affected app.
        let locking: Vec<String> = st
            .deployments
            .iter()
            .filter(|d| {
                target
                    .keys()
                    .any(|a| d.affects(a) || d.original.contains_key(a))
            })
            .map(|d| d.id.clone())
            .collect();
        if !locking.is_empty() {
            if !change.force {
                return Err(ApiError::Locked(locking));
            }
            st.deployments.retain(|d| !locking.contains(&d.id));
            for d in locking {
                crate::info!("Deployment {d} cancelled by a forced change");
                work.delete_deployments.push(d);
            }
        }
        // Apply: apps, versions, delays, kills, groups.
        for (app_id, new) in &target {
            match new {
                Some(app) => {
                    st.apps.insert(app_id.clone(), app.clone());
                    let versions = st.versions.entry(app_id.clone()).or_default();
                    versions.push(version.to_string());
                    for old in persist::versions_beyond(versions, self.cfg.max_versions.max(1)) {
                        work.delete_versions.push((app_id.clone(), old));
                    }
                    let excess = versions.len().saturating_sub(self.cfg.max_versions.max(1));
                    versions.drain(..excess);
                    st.delays.remove(app_id);
                    work.save_apps.push(app.clone());
                }
                None => {
                    st.apps.remove(app_id);
                    st.versions.remove(app_id);
                    st.delays.remove(app_id);
                    st.last_failures.remove(app_id);
                    work.delete_apps.push(app_id.clone());
                }
            }
        }
        for task in &change.kill {
            if let Some(i) = st.instances.get_mut(task) {
                i.kill_requested = true;
                work.save_instances.push(i.clone());
            }
        }
        for (gid, g) in &change.groups {
            match g {
                Some(g) => {
                    let mut g = g.clone();
                    g.version = version.to_string();
                    st.groups.insert(gid.clone(), g.clone());
                    work.save_groups.push((gid.clone(), g));
                }
                None => {
                    st.groups.remove(gid);
                    work.delete_groups.push(gid.clone());
                }
            }
        }
        if !change.groups.contains_key(&change.group) && !target.is_empty() {
            // The changed group's version follows its last change.
            let mut g = st.groups.get(&change.group).cloned().unwrap_or_default();
            g.version = version.to_string();
            st.groups.insert(change.group.clone(), g.clone());
            work.save_groups.push((change.group.clone(), g));
        }
        let steps = plan::steps(st, &original, &target, &change.restart);
        if steps.is_empty() {
            return Ok((None, created));
        }
        let record = DeploymentRecord {
            id: id.to_string(),
            version: version.to_string(),
            steps,
            // Stored, not started: the driver starts step 1 (publishing its
            // deployment_info) and advances from there.
            current_step: 0,
            original,
            target,
        };
        st.deployments.push(record.clone());
        work.save_deployments.push(record.clone());
        crate::info!(
            "Deployment {} ({} step(s)) for {}",
            record.id,
            record.steps.len(),
            record
                .target
                .keys()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
        Ok((Some(record), created))
    }

    /// The events of a change: `api_post_event` per changed app (app
    /// calls), `group_change_success`. (`deployment_info` is the driver's,
    /// when it starts a step.)
    fn events(
        &self,
        st: &State,
        change: &Change,
        version: &str,
        caller: &Caller,
    ) -> Vec<MarathonEvent> {
        let ts = iso_millis(now_ms());
        let ev = |kind| MarathonEvent {
            kind,
            timestamp: ts.clone(),
        };
        let mut out = Vec::new();
        if change.api_post {
            for app in change.apps.keys().filter_map(|id| st.apps.get(id)) {
                out.push(ev(EventKind::ApiPostEvent {
                    client_ip: caller.client_ip.clone(),
                    uri: caller.uri.clone(),
                    app_definition: Box::new(app.clone()),
                }));
            }
        }
        out.push(ev(EventKind::GroupChangeSuccess {
            group_id: change.group.clone(),
            version: version.to_string(),
        }));
        out
    }
}

/// Whether two definitions differ only in `instances` / version fields.
fn same_config(a: &AppDefinition, b: &AppDefinition) -> bool {
    !a.needs_restart(b)
}

/// Store writes collected under the lock, run after it.
#[derive(Default)]
pub(crate) struct Persist {
    save_apps: Vec<AppDefinition>,
    delete_apps: Vec<PathId>,
    delete_versions: Vec<(PathId, String)>,
    save_deployments: Vec<DeploymentRecord>,
    delete_deployments: Vec<String>,
    save_instances: Vec<crate::marathon::core::state::Instance>,
    save_groups: Vec<(PathId, GroupRecord)>,
    delete_groups: Vec<PathId>,
}

impl Persist {
    pub(crate) async fn run(self, store: &Store) -> Result<(), StoreError> {
        for d in &self.delete_deployments {
            persist::delete_deployment(store, d).await?;
        }
        for a in &self.save_apps {
            persist::save_app(store, a).await?;
        }
        for (id, v) in &self.delete_versions {
            persist::delete_version(store, id, v).await?;
        }
        for a in &self.delete_apps {
            persist::delete_app(store, a).await?;
        }
        for (id, g) in &self.save_groups {
            persist::save_group(store, id, g).await?;
        }
        for g in &self.delete_groups {
            persist::delete_group(store, g).await?;
        }
        for i in &self.save_instances {
            persist::save_instance(store, i).await?;
        }
        for d in &self.save_deployments {
            persist::save_deployment(store, d).await?;
        }
        Ok(())
    }
}

/// A query boolean as Marathon reads it (Java `Boolean.valueOf`: `true` in
/// any case is true, anything else false); `default` when absent.
pub fn lenient_bool(v: Option<&str>, default: bool) -> bool {
    match v {
        None => default,
        Some(v) => v.eq_ignore_ascii_case("true"),
    }
}

#[cfg(test)]
mod tests;
