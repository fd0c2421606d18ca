//! App operations: create, update (partial, full, create-if-missing,
//! rollback to a version, many at once), delete, restart, kill tasks,
//! versions, queue delay reset.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::views::{self, Embed};
use super::{Api, ApiError, Caller, Change, Deployed};
use crate::marathon::core::persist;
use crate::marathon::core::state::State;
use crate::marathon::{ports, validate};
use crate::wire::marathon::{AppDefinition, AppView, ErrorDetail, MarathonTask, PathId};

/// How an update treats the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateMode {
    /// `PUT ?partialUpdate=true` (the default): only the keys given change;
    /// an unknown app is created.
    PutPartial,
    /// `PUT ?partialUpdate=false`: the body replaces the app; an unknown app
    /// is created.
    PutFull,
    /// `PATCH`: partial, never creates.
    Patch,
}

/// Which tasks `DELETE /v2/apps/{id}/tasks` kills, and how.
#[derive(Clone, Debug, Default)]
pub struct KillOptions {
    /// Only tasks on this agent host.
    pub host: Option<String>,
    /// Lower `instances` by the number killed (a deployment).
    pub scale: bool,
    pub wipe: bool,
    pub force: bool,
}

/// What a kill answers: the killed tasks, or a deployment with `scale`.
#[derive(Clone, Debug)]
pub enum Killed {
    Tasks(Vec<MarathonTask>),
    Deployment(Deployed),
}

/// A body as `AppDefinition`, or the 400 Marathon answers.
pub fn parse_app(body: Value) -> Result<AppDefinition, ApiError> {
    serde_json::from_value(body).map_err(|e| ApiError::InvalidJson(e.to_string()))
}

/// The service ports every app but `except` uses.
fn used_ports(st: &State, except: &PathId) -> BTreeSet<u32> {
    st.apps
        .iter()
        .filter(|(id, _)| *id != except)
        .flat_map(|(_, a)| a.service_ports())
        .filter(|p| *p != 0)
        .collect()
}

/// Normalize, assign service ports and validate `app` against `st`.
pub(crate) fn prepare_app(
    api: &Api,
    st: &State,
    app: AppDefinition,
) -> Result<AppDefinition, Vec<ErrorDetail>> {
    prepare_app_with(api, st, app, &BTreeSet::new())
}

/// [`prepare_app`] with more service ports taken (other apps of the same
/// change).
pub(crate) fn prepare_app_with(
    api: &Api,
    st: &State,
    mut app: AppDefinition,
    taken: &BTreeSet<u32>,
) -> Result<AppDefinition, Vec<ErrorDetail>> {
    app.normalize();
    if app.id.is_root() {
        return Err(vec![ErrorDetail {
            path: "/id".into(),
            errors: vec!["Path must not be empty or the root group".into()],
        }]);
    }
    let range = (api.cfg.local_port_min, api.cfg.local_port_max);
    let mut used = used_ports(st, &app.id);
    used.extend(taken.iter().copied());
    if let Err(e) = ports::assign_service_ports(&mut app, &used, range) {
        return Err(vec![e]);
    }
    let errors = validate::app(&app);
    if !errors.is_empty() {
        return Err(errors);
    }
    if let Some(e) = group_clash(st, &app.id) {
        return Err(vec![e]);
    }
    Ok(app)
}

/// An app id must not be a group that holds apps (nor lie below an app).
fn group_clash(st: &State, id: &PathId) -> Option<ErrorDetail> {
    let clash = st
        .apps
        .keys()
        .any(|a| a != id && (a.is_under(id) || id.is_under(a)));
    clash.then(|| ErrorDetail {
        path: "/id".into(),
        errors: vec![format!(
            "An app with id {id} clashes with an existing group or app path"
        )],
    })
}

impl Api {
    /// `POST /v2/apps`: 409 when the id exists, 422 when invalid.
    pub async fn create_app(
        &self,
        caller: &Caller,
        app: AppDefinition,
        force: bool,
    ) -> Result<(Deployed, AppView), ApiError> {
        let id = app.id.clone();
        let deployed = self
            .deploy(caller, |st| {
                if st.apps.contains_key(&id) {
                    return Err(ApiError::Conflict(format!(
                        "An app with id [{id}] already exists."
                    )));
                }
                let app = prepare_app(self, st, app).map_err(ApiError::Invalid)?;
                Ok(Change {
                    apps: BTreeMap::from([(id.clone(), Some(app))]),
                    force,
                    api_post: true,
                    group: id.parent(),
                    ..Change::default()
                })
            })
            .await?;
        let view = self
            .app_view(&id, &Embed::all())
            .ok_or_else(|| ApiError::app_not_found(&id))?;
        Ok((deployed, view))
    }

    /// `PUT` / `PATCH /v2/apps/{id}`. A body with `version` rolls the app
    /// back to that stored version.
    pub async fn update_app(
        &self,
        caller: &Caller,
        id: &PathId,
        body: Map<String, Value>,
        mode: UpdateMode,
        force: bool,
    ) -> Result<Deployed, ApiError> {
        let rollback = self.rollback_target(id, &body).await?;
        let id = id.clone();
        self.deploy(caller, |st| {
            let app = self.updated_app(st, &id, &body, mode, rollback, &BTreeSet::new())?;
            Ok(Change {
                apps: BTreeMap::from([(id.clone(), Some(app))]),
                force,
                api_post: true,
                group: id.parent(),
                ..Change::default()
            })
        })
        .await
    }

    /// `PUT` / `PATCH /v2/apps` with an array: one deployment for all.
    /// Each body must carry its `id`.
    pub async fn update_apps(
        &self,
        caller: &Caller,
        bodies: Vec<Map<String, Value>>,
        mode: UpdateMode,
        force: bool,
    ) -> Result<Deployed, ApiError> {
        let mut items = Vec::new();
        for (i, body) in bodies.into_iter().enumerate() {
            let id = match body.get("id").and_then(Value::as_str) {
                Some(s) if !PathId::parse(s).is_root() => PathId::parse(s),
                _ => {
                    return Err(ApiError::Invalid(vec![ErrorDetail {
                        path: format!("({i})/id"),
                        errors: vec!["error.path.missing".into()],
                    }]))
                }
            };
            let rollback = self.rollback_target(&id, &body).await?;
            items.push((id, body, rollback));
        }
        let mut d = self
            .deploy(caller, |st| {
                let mut apps = BTreeMap::new();
                let mut taken = BTreeSet::new();
                for (id, body, rollback) in items {
                    let app = self.updated_app(st, &id, &body, mode, rollback, &taken)?;
                    taken.extend(app.service_ports());
                    apps.insert(id, Some(app));
                }
                Ok(Change {
                    apps,
                    force,
                    api_post: true,
                    group: PathId::root(),
                    ..Change::default()
                })
            })
            .await?;
        // The array forms answer 200 even when they create.
        d.created = false;
        Ok(d)
    }

    /// The stored version a `{"version": ts}` body names (404 if unknown).
    async fn rollback_target(
        &self,
        id: &PathId,
        body: &Map<String, Value>,
    ) -> Result<Option<AppDefinition>, ApiError> {
        let Some(v) = body.get("version").and_then(Value::as_str) else {
            return Ok(None);
        };
        match persist::load_version(&self.store, id, v).await? {
            Some(app) => Ok(Some(app)),
            None => Err(ApiError::NotFound(format!(
                "App '{id}' does not exist in version {v}"
            ))),
        }
    }

    fn updated_app(
        &self,
        st: &State,
        id: &PathId,
        body: &Map<String, Value>,
        mode: UpdateMode,
        rollback: Option<AppDefinition>,
        taken: &BTreeSet<u32>,
    ) -> Result<AppDefinition, ApiError> {
        let current = st.apps.get(id);
        let app = match (rollback, current, mode) {
            (Some(mut old), _, _) => {
                old.id = id.clone();
                old
            }
            (None, None, UpdateMode::Patch) => return Err(ApiError::app_not_found(id)),
            (None, Some(cur), UpdateMode::PutPartial | UpdateMode::Patch) => cur
                .updated(body)
                .map_err(|e| ApiError::InvalidJson(e.to_string()))?,
            (None, _, _) => {
                let mut body = body.clone();
                body.insert("id".into(), Value::String(id.to_string()));
                let mut app = parse_app(Value::Object(body))?;
                app.id = id.clone();
                app.version = None;
                app.version_info = None;
                app
            }
        };
        prepare_app_with(self, st, app, taken).map_err(ApiError::Invalid)
    }

    /// `DELETE /v2/apps/{id}`.
    pub async fn delete_app(
        &self,
        caller: &Caller,
        id: &PathId,
        force: bool,
    ) -> Result<Deployed, ApiError> {
        let id = id.clone();
        self.deploy(caller, |st| {
            if !st.apps.contains_key(&id) {
                return Err(ApiError::app_not_found(&id));
            }
            Ok(Change {
                apps: BTreeMap::from([(id.clone(), None)]),
                force,
                group: id.parent(),
                ..Change::default()
            })
        })
        .await
    }

    /// `POST /v2/apps/{id}/restart`: same config, new version, rolling
    /// replacement.
    pub async fn restart_app(
        &self,
        caller: &Caller,
        id: &PathId,
        force: bool,
    ) -> Result<Deployed, ApiError> {
        let id = id.clone();
        self.deploy(caller, |st| {
            let app = st
                .apps
                .get(&id)
                .cloned()
                .ok_or_else(|| ApiError::app_not_found(&id))?;
            Ok(Change {
                apps: BTreeMap::from([(id.clone(), Some(app))]),
                restart: BTreeSet::from([id.clone()]),
                force,
                group: id.parent(),
                ..Change::default()
            })
        })
        .await
    }

    /// `DELETE /v2/apps/{id}/tasks` (all, or on `host`) and
    /// `DELETE /v2/apps/{id}/tasks/{taskId}` (`task`).
    pub async fn kill_app_tasks(
        &self,
        caller: &Caller,
        id: &PathId,
        task: Option<&str>,
        opts: &KillOptions,
    ) -> Result<Killed, ApiError> {
        if opts.scale && opts.wipe {
            return Err(ApiError::BadRequest(
                "You cannot use scale and wipe at the same time.".into(),
            ));
        }
        let ids: Vec<String> = {
            let st = self.marathon.lock();
            if !st.apps.contains_key(id) {
                return Err(ApiError::app_not_found(id));
            }
            let ids: Vec<String> = st
                .instances_of(id)
                .filter(|i| task.is_none_or(|t| i.task_id == t))
                .filter(|i| opts.host.as_deref().is_none_or(|h| i.hostname == h))
                .map(|i| i.task_id.clone())
                .collect();
            if let (Some(t), true) = (task, ids.is_empty()) {
                return Err(ApiError::NotFound(format!("Task '{t}' does not exist")));
            }
            ids
        };
        self.kill_tasks(caller, ids, opts.scale, opts.force).await
    }

    /// `POST /v2/tasks/delete`: kill tasks by id (any apps). Unknown ids
    /// are skipped; an id that is not a task id at all is a 400.
    pub async fn kill_tasks_by_id(
        &self,
        caller: &Caller,
        ids: Vec<String>,
        scale: bool,
        wipe: bool,
        force: bool,
    ) -> Result<Killed, ApiError> {
        if scale && wipe {
            return Err(ApiError::BadRequest(
                "You cannot use scale and wipe at the same time.".into(),
            ));
        }
        for id in &ids {
            if !id.contains('.') && !id.contains('_') {
                return Err(ApiError::BadRequest(format!("Invalid task id '{id}'")));
            }
        }
        let known: Vec<String> = {
            let st = self.marathon.lock();
            ids.into_iter()
                .filter(|t| st.instances.contains_key(t))
                .collect()
        };
        self.kill_tasks(caller, known, scale, force).await
    }

    async fn kill_tasks(
        &self,
        caller: &Caller,
        ids: Vec<String>,
        scale: bool,
        force: bool,
    ) -> Result<Killed, ApiError> {
        if scale {
            let d = self
                .deploy(caller, |st| {
                    let mut per_app: BTreeMap<PathId, u32> = BTreeMap::new();
                    for t in &ids {
                        if let Some(i) = st.instances.get(t).filter(|i| !i.kill_requested) {
                            *per_app.entry(i.app_id.clone()).or_default() += 1;
                        }
                    }
                    let mut apps = BTreeMap::new();
                    for (app_id, n) in per_app {
                        if let Some(app) = st.apps.get(&app_id) {
                            let mut app = app.clone();
                            app.instances = app.instances.saturating_sub(n);
                            apps.insert(app_id, Some(app));
                        }
                    }
                    Ok(Change {
                        apps,
                        kill: ids.clone(),
                        force,
                        group: PathId::root(),
                        ..Change::default()
                    })
                })
                .await?;
            return Ok(Killed::Deployment(d));
        }
        let (tasks, changed) = {
            let mut st = self.marathon.lock();
            let mut changed = Vec::new();
            for t in &ids {
                if let Some(i) = st.instances.get_mut(t) {
                    i.kill_requested = true;
                    changed.push(i.clone());
                }
            }
            let tasks: Vec<MarathonTask> = changed.iter().map(|i| views::task(&st, i)).collect();
            (tasks, changed)
        };
        for i in &changed {
            persist::save_instance(&self.store, i).await?;
        }
        if !changed.is_empty() {
            crate::info!("Killing {} task(s) on request", changed.len());
            self.marathon.poke();
        }
        Ok(Killed::Tasks(tasks))
    }

    /// `GET /v2/apps/{id}/versions`.
    pub fn app_versions(&self, id: &PathId) -> Result<Vec<String>, ApiError> {
        let st = self.marathon.lock();
        if !st.apps.contains_key(id) {
            return Err(ApiError::app_not_found(id));
        }
        Ok(st.versions.get(id).cloned().unwrap_or_default())
    }

    /// `GET /v2/apps/{id}/versions/{version}`.
    pub async fn app_version(&self, id: &PathId, version: &str) -> Result<AppDefinition, ApiError> {
        if !self.marathon.lock().apps.contains_key(id) {
            return Err(ApiError::app_not_found(id));
        }
        persist::load_version(&self.store, id, version)
            .await?
            .ok_or_else(|| {
                ApiError::NotFound(format!("App '{id}' does not exist in version {version}"))
            })
    }

    /// `DELETE /v2/queue/{id}/delay`: 404 unless the app is queued.
    pub fn reset_delay(&self, id: &PathId) -> Result<(), ApiError> {
        let mut st = self.marathon.lock();
        let queued = st.apps.get(id).is_some_and(|a| {
            let live = st.instances_of(id).filter(|i| !i.kill_requested).count();
            (live as u32) < a.instances
        });
        if !queued && !st.delays.contains_key(id) {
            return Err(ApiError::NotFound(format!(
                "Application {id} not found in tasks queue."
            )));
        }
        st.delays.remove(id);
        drop(st);
        self.marathon.poke();
        Ok(())
    }
}
