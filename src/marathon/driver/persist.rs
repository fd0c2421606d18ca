//! What the driver writes to the store: instances (before they are
//! launched, after every status change), deployment progress and the
//! framework id. Failures are logged and retried by the next write; the
//! in-memory state stays authoritative while this scheduler leads.

use crate::marathon::core::{DeploymentRecord, Instance};
use crate::marathon::store::Store;

pub async fn save_instance(store: &Store, inst: &Instance) {
    let key = format!("instance/{}", inst.task_id);
    match serde_json::to_vec(inst) {
        Ok(v) => {
            if let Err(e) = store.put(&key, &v).await {
                crate::warning!("cannot persist instance {}: {e}", inst.task_id);
            }
        }
        Err(e) => crate::warning!("cannot serialize instance {}: {e}", inst.task_id),
    }
}

pub async fn delete_instance(store: &Store, task_id: &str) {
    if let Err(e) = store.delete(&format!("instance/{task_id}")).await {
        crate::warning!("cannot delete instance {task_id} from the store: {e}");
    }
}

pub async fn save_framework_id(store: &Store, id: &str) {
    if let Err(e) = store.put("framework-id", id.as_bytes()).await {
        crate::warning!("cannot persist the framework id: {e}");
    }
}

pub async fn save_deployment(store: &Store, d: &DeploymentRecord) {
    let key = format!("deployment/{}", d.id);
    match serde_json::to_vec(d) {
        Ok(v) => {
            if let Err(e) = store.put(&key, &v).await {
                crate::warning!("cannot persist deployment {}: {e}", d.id);
            }
        }
        Err(e) => crate::warning!("cannot serialize deployment {}: {e}", d.id),
    }
}

pub async fn delete_deployment(store: &Store, id: &str) {
    if let Err(e) = store.delete(&format!("deployment/{id}")).await {
        crate::warning!("cannot delete deployment {id} from the store: {e}");
    }
}
