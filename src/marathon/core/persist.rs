//! Persistence of the scheduler's state in the [`Store`] (a `--work_dir`
//! directory or ZooKeeper), as JSON values. A restart loses nothing: what
//! [`load`] reads back is what the `save_*` calls wrote.
//!
//! Layout (keys; docs/marathon.md "State store"):
//!
//! | key | value |
//! |---|---|
//! | `framework-id` | the framework id (plain text) |
//! | `apps/<safe id>/current` | the current [`AppDefinition`] |
//! | `apps/<safe id>/versions/<version>` | the app as it was at `<version>` (`:` written as `_`) |
//! | `groups/<safe id>` (`groups/_root` for `/`) | a group's dependencies and version |
//! | `deployments/<id>` | a [`DeploymentRecord`] |
//! | `instances/<task id>` | an [`Instance`] |
//!
//! `<safe id>` is the app id with `/` written as `_` (`/a/b` -> `a_b`);
//! ids never hold `_`, so the mapping is one to one.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::state::{DeploymentRecord, GroupRecord, Instance, State};
use crate::marathon::store::{Store, StoreError};
use crate::wire::marathon::{AppDefinition, PathId};

const FRAMEWORK_ID: &str = "framework-id";
const APPS: &str = "apps";
const GROUPS: &str = "groups";
const DEPLOYMENTS: &str = "deployments";
const INSTANCES: &str = "instances";

/// A group as stored (the record plus its id).
#[derive(Serialize, Deserialize)]
struct StoredGroup {
    id: PathId,
    #[serde(flatten)]
    record: GroupRecord,
}

/// Everything stored, as a [`State`] (instances, deployments, apps with
/// their version lists, groups, the framework id). Values that do not parse
/// are an error naming the key: a silently dropped app would be relaunched
/// nowhere.
pub async fn load(store: &Store) -> Result<State, StoreError> {
    let mut state = State::default();
    if let Some(id) = store.get(FRAMEWORK_ID).await? {
        let id = String::from_utf8_lossy(&id).trim().to_string();
        if !id.is_empty() {
            state.framework_id = Some(id);
        }
    }
    for dir in store.list(APPS).await? {
        let key = format!("{APPS}/{dir}/current");
        let Some(app) = get_json::<AppDefinition>(store, &key).await? else {
            continue;
        };
        let mut versions: Vec<String> = store
            .list(&format!("{APPS}/{dir}/versions"))
            .await?
            .into_iter()
            .map(|k| version_of_key(&k))
            .collect();
        versions.sort();
        state.versions.insert(app.id.clone(), versions);
        state.apps.insert(app.id.clone(), app);
    }
    for name in store.list(GROUPS).await? {
        if let Some(g) = get_json::<StoredGroup>(store, &format!("{GROUPS}/{name}")).await? {
            state.groups.insert(g.id, g.record);
        }
    }
    let mut deployments = Vec::new();
    for name in store.list(DEPLOYMENTS).await? {
        let key = format!("{DEPLOYMENTS}/{name}");
        if let Some(d) = get_json::<DeploymentRecord>(store, &key).await? {
            deployments.push(d);
        }
    }
    // Creation order: versions are creation times.
    deployments.sort_by(|a, b| a.version.cmp(&b.version).then(a.id.cmp(&b.id)));
    state.deployments = deployments;
    for name in store.list(INSTANCES).await? {
        let key = format!("{INSTANCES}/{name}");
        if let Some(i) = get_json::<Instance>(store, &key).await? {
            state.instances.insert(i.task_id.clone(), i);
        }
    }
    Ok(state)
}

/// Store `app` as the current definition and as its version
/// (`app.version`, when set).
pub async fn save_app(store: &Store, app: &AppDefinition) -> Result<(), StoreError> {
    let dir = app_dir(&app.id)?;
    let body = to_json(&format!("{dir}/current"), app)?;
    if let Some(v) = &app.version {
        store
            .put(&format!("{dir}/versions/{}", version_key(v)), &body)
            .await?;
    }
    store.put(&format!("{dir}/current"), &body).await
}

/// The app `id` as it was at `version`, if that version is stored.
pub async fn load_version(
    store: &Store,
    id: &PathId,
    version: &str,
) -> Result<Option<AppDefinition>, StoreError> {
    let dir = app_dir(id)?;
    if version.is_empty() {
        return Ok(None);
    }
    let key = format!("{dir}/versions/{}", version_key(version));
    if crate::marathon::store::check_key(&key).is_err() {
        return Ok(None);
    }
    get_json(store, &key).await
}

/// Forget one stored version of `id` (older ones beyond the limit).
pub async fn delete_version(store: &Store, id: &PathId, version: &str) -> Result<(), StoreError> {
    let dir = app_dir(id)?;
    store
        .delete(&format!("{dir}/versions/{}", version_key(version)))
        .await
}

/// Forget the app and all its versions.
pub async fn delete_app(store: &Store, id: &PathId) -> Result<(), StoreError> {
    store.delete(&app_dir(id)?).await
}

pub async fn save_deployment(store: &Store, d: &DeploymentRecord) -> Result<(), StoreError> {
    let key = format!("{DEPLOYMENTS}/{}", key_segment(&d.id));
    store.put(&key, &to_json(&key, d)?).await
}

pub async fn delete_deployment(store: &Store, id: &str) -> Result<(), StoreError> {
    store
        .delete(&format!("{DEPLOYMENTS}/{}", key_segment(id)))
        .await
}

pub async fn save_instance(store: &Store, i: &Instance) -> Result<(), StoreError> {
    let key = format!("{INSTANCES}/{}", key_segment(&i.task_id));
    store.put(&key, &to_json(&key, i)?).await
}

pub async fn delete_instance(store: &Store, task_id: &str) -> Result<(), StoreError> {
    store
        .delete(&format!("{INSTANCES}/{}", key_segment(task_id)))
        .await
}

pub async fn save_framework_id(store: &Store, id: &str) -> Result<(), StoreError> {
    store.put(FRAMEWORK_ID, id.as_bytes()).await
}

pub async fn save_group(store: &Store, id: &PathId, g: &GroupRecord) -> Result<(), StoreError> {
    let key = group_key(id);
    let stored = StoredGroup {
        id: id.clone(),
        record: g.clone(),
    };
    store.put(&key, &to_json(&key, &stored)?).await
}

pub async fn delete_group(store: &Store, id: &PathId) -> Result<(), StoreError> {
    store.delete(&group_key(id)).await
}

/// Write everything in `state` (used by tests and by a first start that
/// imports state). Keys of things no longer in `state` are not removed.
pub async fn save_all(store: &Store, state: &State) -> Result<(), StoreError> {
    if let Some(id) = &state.framework_id {
        save_framework_id(store, id).await?;
    }
    for app in state.apps.values() {
        save_app(store, app).await?;
    }
    for (id, g) in &state.groups {
        save_group(store, id, g).await?;
    }
    for d in &state.deployments {
        save_deployment(store, d).await?;
    }
    for i in state.instances.values() {
        save_instance(store, i).await?;
    }
    Ok(())
}

fn app_dir(id: &PathId) -> Result<String, StoreError> {
    if id.is_root() {
        return Err(StoreError::BadKey {
            key: format!("{APPS}/"),
            why: "the root group is not an app",
        });
    }
    Ok(format!("{APPS}/{}", key_segment(&id.safe())))
}

fn group_key(id: &PathId) -> String {
    if id.is_root() {
        format!("{GROUPS}/_root")
    } else {
        format!("{GROUPS}/{}", key_segment(&id.safe()))
    }
}

/// A version timestamp as a key segment (`:` is not allowed in keys; ISO
/// times never hold `_`).
fn version_key(v: &str) -> String {
    key_segment(&v.replace(':', "_"))
}

fn version_of_key(k: &str) -> String {
    k.replace('_', ":")
}

/// `s` with any character a key may not hold replaced by `-` (ids the
/// scheduler makes never hold one; this only keeps odd input storable).
fn key_segment(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    match out.as_str() {
        "" | "." | ".." => format!("-{out}"),
        _ => out,
    }
}

fn to_json<T: Serialize>(key: &str, v: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(v).map_err(|e| StoreError::Corrupt {
        key: key.to_string(),
        why: format!("cannot encode the value: {e}"),
    })
}

async fn get_json<T: DeserializeOwned>(store: &Store, key: &str) -> Result<Option<T>, StoreError> {
    match store.get(key).await? {
        None => Ok(None),
        Some(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| StoreError::Corrupt {
                key: key.to_string(),
                why: format!("not the JSON expected: {e}"),
            }),
    }
}

/// Stored versions of an app beyond `keep`, oldest first (what to delete).
pub fn versions_beyond(versions: &[String], keep: usize) -> Vec<String> {
    let excess = versions.len().saturating_sub(keep);
    versions[..excess].to_vec()
}

#[cfg(test)]
#[path = "persist_tests.rs"]
mod tests;
