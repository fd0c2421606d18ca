//! Group operations: create (`POST /v2/groups`), update (`PUT`, with
//! `scaleBy` and `version` rollback; apps missing from the body are
//! stopped), delete, and the dry-run plan.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::apps::prepare_app_with;
use super::{Api, ApiError, Caller, Change, Deployed};
use crate::marathon::core::persist;
use crate::marathon::core::state::{GroupRecord, State};
use crate::marathon::validate;
use crate::wire::de;
use crate::wire::marathon::{AppDefinition, DeploymentAction, DeploymentStep, ErrorDetail, PathId};

/// A group body (`POST`/`PUT /v2/groups`). Ids inside may be relative to
/// the group.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupUpdate {
    #[serde(default, deserialize_with = "de::opt_string")]
    pub id: Option<String>,
    #[serde(default)]
    pub apps: Option<Vec<GroupApp>>,
    #[serde(default)]
    pub groups: Option<Vec<GroupUpdate>>,
    #[serde(default)]
    pub dependencies: Option<Vec<String>>,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub version: Option<String>,
    #[serde(default, deserialize_with = "de::opt_f64")]
    pub scale_by: Option<f64>,
}

/// An app in a group body: the definition plus its id and dependencies as
/// written (relative ids resolve against the group).
#[derive(Clone, Debug)]
pub struct GroupApp {
    pub id: String,
    pub dependencies: Vec<String>,
    pub app: AppDefinition,
}

impl<'de> Deserialize<'de> for GroupApp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default, deserialize_with = "de::opt_string")]
            id: Option<String>,
            #[serde(default, deserialize_with = "de::vec")]
            dependencies: Vec<String>,
        }
        let v = Value::deserialize(d)?;
        let raw: Raw = serde_json::from_value(v.clone()).map_err(serde::de::Error::custom)?;
        let app: AppDefinition = serde_json::from_value(v).map_err(serde::de::Error::custom)?;
        Ok(GroupApp {
            id: raw.id.unwrap_or_default(),
            dependencies: raw.dependencies,
            app,
        })
    }
}

/// Whether group `id` exists: the root always; else a stored record or an
/// app below it.
pub fn group_exists(st: &State, id: &PathId) -> bool {
    id.is_root() || st.groups.contains_key(id) || st.apps.keys().any(|a| a != id && a.is_under(id))
}

/// The group ids below `id` (from records and app paths), `id` excluded.
fn groups_under(st: &State, id: &PathId) -> BTreeSet<PathId> {
    let mut out: BTreeSet<PathId> = st
        .groups
        .keys()
        .filter(|g| *g != id && g.is_under(id))
        .cloned()
        .collect();
    for a in st.apps.keys().filter(|a| a.is_under(id)) {
        let mut g = a.parent();
        while g != *id && g.is_under(id) {
            out.insert(g.clone());
            g = g.parent();
        }
    }
    out
}

/// The body's tree, flattened: apps (absolute ids), group records, and for
/// every group that lists its `apps` / `groups` the ones listed (what a PUT
/// keeps).
#[derive(Default)]
struct Flat {
    apps: Vec<AppDefinition>,
    groups: BTreeMap<PathId, GroupRecord>,
    /// Groups whose body listed `apps`: the app ids listed.
    listed_apps: BTreeMap<PathId, BTreeSet<PathId>>,
    /// Groups whose body listed `groups`: the subgroup ids listed.
    listed_groups: BTreeMap<PathId, BTreeSet<PathId>>,
    errors: Vec<ErrorDetail>,
}

fn flatten(gid: &PathId, body: &GroupUpdate, prefix: &str, out: &mut Flat) {
    let deps = body
        .dependencies
        .iter()
        .flatten()
        .map(|d| PathId::resolve(gid, d))
        .collect();
    out.groups.insert(
        gid.clone(),
        GroupRecord {
            dependencies: deps,
            version: String::new(),
        },
    );
    if let Some(apps) = &body.apps {
        let listed = out.listed_apps.entry(gid.clone()).or_default();
        for (i, a) in apps.iter().enumerate() {
            let id = PathId::resolve(gid, &a.id);
            if let Some(e) = validate::group_member(gid, &id) {
                out.errors
                    .extend(validate::prefixed(vec![e], &format!("{prefix}/apps({i})")));
                continue;
            }
            let mut app = a.app.clone();
            app.id = id.clone();
            app.dependencies = a
                .dependencies
                .iter()
                .map(|d| PathId::resolve(gid, d))
                .collect();
            app.version = None;
            app.version_info = None;
            listed.insert(id);
            out.apps.push(app);
        }
    }
    if let Some(groups) = &body.groups {
        out.listed_groups.entry(gid.clone()).or_default();
        for (j, g) in groups.iter().enumerate() {
            let sub = PathId::resolve(gid, g.id.as_deref().unwrap_or(""));
            if sub.parent() != *gid || sub.is_root() {
                out.errors.push(ErrorDetail {
                    path: format!("{prefix}/groups({j})/id"),
                    errors: vec![format!(
                        "Identifier is not child of {gid}. Hint: use relative paths."
                    )],
                });
                continue;
            }
            if let Some(l) = out.listed_groups.get_mut(gid) {
                l.insert(sub.clone());
            }
            flatten(&sub, g, &format!("{prefix}/groups({j})"), out);
        }
    }
}

impl Api {
    /// The group id a call addresses: the body's `id` resolved against the
    /// URL path, else the path.
    pub fn group_id(path: &PathId, body: &GroupUpdate) -> PathId {
        match body.id.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => PathId::resolve(path, s),
            None => path.clone(),
        }
    }

    /// `POST /v2/groups[/{id}]`: 409 when it exists.
    pub async fn create_group(
        &self,
        caller: &Caller,
        gid: &PathId,
        body: GroupUpdate,
        force: bool,
    ) -> Result<Deployed, ApiError> {
        let gid = gid.clone();
        let mut d = self
            .deploy(caller, |st| {
                if group_exists(st, &gid) {
                    return Err(ApiError::Conflict(format!(
                        "Group {gid} is already created. Use PUT to change this group."
                    )));
                }
                self.group_change(st, &gid, &body, force)
            })
            .await?;
        d.created = true;
        Ok(d)
    }

    /// `PUT /v2/groups[/{id}]`: update or create; `version` rolls back,
    /// `scaleBy` scales every app below.
    pub async fn update_group(
        &self,
        caller: &Caller,
        gid: &PathId,
        body: GroupUpdate,
        force: bool,
    ) -> Result<Deployed, ApiError> {
        let gid = gid.clone();
        if let Some(v) = body.version.clone() {
            let restored = self.group_at(&gid, &v).await?;
            return self
                .deploy(caller, |st| {
                    let mut apps: BTreeMap<PathId, Option<AppDefinition>> = st
                        .apps
                        .keys()
                        .filter(|a| a.is_under(&gid))
                        .map(|a| (a.clone(), None))
                        .collect();
                    for app in restored {
                        let mut app = app;
                        app.version = None;
                        apps.insert(app.id.clone(), Some(app));
                    }
                    Ok(Change {
                        apps,
                        force,
                        group: gid.clone(),
                        ..Change::default()
                    })
                })
                .await;
        }
        if let Some(f) = body.scale_by {
            if !(f.is_finite() && f >= 0.0) {
                return Err(ApiError::Invalid(vec![ErrorDetail {
                    path: "/scaleBy".into(),
                    errors: vec!["must be a positive number".into()],
                }]));
            }
            return self
                .deploy(caller, |st| {
                    if !group_exists(st, &gid) {
                        return Err(ApiError::group_not_found(&gid));
                    }
                    let apps = st
                        .apps
                        .iter()
                        .filter(|(a, _)| a.is_under(&gid))
                        .map(|(a, app)| {
                            let mut app = app.clone();
                            app.instances = (app.instances as f64 * f).ceil() as u32;
                            (a.clone(), Some(app))
                        })
                        .collect();
                    Ok(Change {
                        apps,
                        force,
                        group: gid.clone(),
                        ..Change::default()
                    })
                })
                .await;
        }
        let mut d = self
            .deploy(caller, |st| self.group_change(st, &gid, &body, force))
            .await?;
        d.created = false;
        Ok(d)
    }

    /// `PUT /v2/groups?dryRun=true`: the steps the update would take.
    pub fn dry_run_group(
        &self,
        gid: &PathId,
        body: &GroupUpdate,
    ) -> Result<Vec<DeploymentStep>, ApiError> {
        let mut st = self.marathon.lock().clone();
        let change = self.group_change(&st, gid, body, true)?;
        let mut work = super::Persist::default();
        let (record, _) = self.apply(&mut st, &change, "dry-run", "dry-run", &mut work)?;
        Ok(record
            .map(|r| {
                r.steps
                    .iter()
                    .map(|s| DeploymentStep {
                        actions: s
                            .iter()
                            .map(|(a, id)| DeploymentAction {
                                action: *a,
                                app: id.clone(),
                            })
                            .collect(),
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The change a group body makes to group `gid`.
    fn group_change(
        &self,
        st: &State,
        gid: &PathId,
        body: &GroupUpdate,
        force: bool,
    ) -> Result<Change, ApiError> {
        let mut flat = Flat::default();
        flatten(gid, body, "", &mut flat);
        let mut errors = std::mem::take(&mut flat.errors);
        let mut apps: BTreeMap<PathId, Option<AppDefinition>> = BTreeMap::new();
        // Apps and groups the body no longer lists are removed.
        for (g, listed) in &flat.listed_apps {
            for a in st.apps.keys().filter(|a| a.parent() == *g) {
                if !listed.contains(a) {
                    apps.insert(a.clone(), None);
                }
            }
        }
        let mut groups: BTreeMap<PathId, Option<GroupRecord>> = BTreeMap::new();
        for (g, listed) in &flat.listed_groups {
            for sub in groups_under(st, g).into_iter().filter(|s| s.parent() == *g) {
                if listed.contains(&sub) {
                    continue;
                }
                for a in st.apps.keys().filter(|a| a.is_under(&sub)) {
                    apps.insert(a.clone(), None);
                }
                for r in st.groups.keys().filter(|r| r.is_under(&sub)) {
                    groups.insert(r.clone(), None);
                }
            }
        }
        let mut taken = BTreeSet::new();
        for (i, app) in flat.apps.into_iter().enumerate() {
            let id = app.id.clone();
            match prepare_app_with(self, st, app, &taken) {
                Ok(app) => {
                    taken.extend(app.service_ports());
                    apps.insert(id, Some(app));
                }
                Err(e) => errors.extend(validate::prefixed(e, &format!("/apps({i})"))),
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::Invalid(errors));
        }
        for (g, rec) in flat.groups {
            // A body without `dependencies` keeps the stored ones.
            let rec = match (&body.dependencies, st.groups.get(&g)) {
                (None, Some(old)) if g == *gid => old.clone(),
                _ => rec,
            };
            groups.insert(g, Some(rec));
        }
        Ok(Change {
            apps,
            groups,
            force,
            group: gid.clone(),
            ..Change::default()
        })
    }

    /// The apps of group `gid` as they were at `version`: each app's latest
    /// stored version not after it (apps created later are left out).
    async fn group_at(&self, gid: &PathId, version: &str) -> Result<Vec<AppDefinition>, ApiError> {
        let picks: Vec<(PathId, String)> = {
            let st = self.marathon.lock();
            if !group_exists(&st, gid) {
                return Err(ApiError::group_not_found(gid));
            }
            st.versions
                .iter()
                .filter(|(a, _)| a.is_under(gid))
                .filter_map(|(a, vs)| {
                    vs.iter()
                        .filter(|v| v.as_str() <= version)
                        .max()
                        .map(|v| (a.clone(), v.clone()))
                })
                .collect()
        };
        let mut out = Vec::new();
        for (id, v) in picks {
            if let Some(app) = persist::load_version(&self.store, &id, &v).await? {
                out.push(app);
            }
        }
        Ok(out)
    }

    /// `DELETE /v2/groups[/{id}]`: the group and every app below it.
    pub async fn delete_group(
        &self,
        caller: &Caller,
        gid: &PathId,
        force: bool,
    ) -> Result<Deployed, ApiError> {
        let gid = gid.clone();
        self.deploy(caller, |st| {
            if !group_exists(st, &gid) {
                return Err(ApiError::group_not_found(&gid));
            }
            let apps = st
                .apps
                .keys()
                .filter(|a| a.is_under(&gid))
                .map(|a| (a.clone(), None))
                .collect();
            let groups = st
                .groups
                .keys()
                .filter(|g| g.is_under(&gid) && !g.is_root())
                .map(|g| (g.clone(), None))
                .collect();
            Ok(Change {
                apps,
                groups,
                force,
                group: gid.clone(),
                ..Change::default()
            })
        })
        .await
    }

    /// `GET /v2/groups/{id}/versions`.
    pub fn group_versions(&self, gid: &PathId) -> Result<Vec<String>, ApiError> {
        let st = self.marathon.lock();
        if !group_exists(&st, gid) {
            return Err(ApiError::group_not_found(gid));
        }
        let mut v: BTreeSet<String> = st
            .versions
            .iter()
            .filter(|(a, _)| a.is_under(gid))
            .flat_map(|(_, vs)| vs.iter().cloned())
            .collect();
        if let Some(g) = st.groups.get(gid).filter(|g| !g.version.is_empty()) {
            v.insert(g.version.clone());
        }
        Ok(v.into_iter().collect())
    }
}
