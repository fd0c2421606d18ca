//! What the driver writes to the store (through
//! [`crate::marathon::core::persist`]): instances (before they are
//! launched, after every status change), deployment progress and the
//! framework id. Failures are logged; the in-memory state stays
//! authoritative while this scheduler leads and the next write of the same
//! record repairs the store.

use crate::marathon::core::persist;
use crate::marathon::core::{DeploymentRecord, Instance};
use crate::marathon::store::Store;

pub async fn save_instance(store: &Store, inst: &Instance) {
    if let Err(e) = persist::save_instance(store, inst).await {
        crate::warning!("cannot persist instance {}: {e}", inst.task_id);
    }
}

pub async fn delete_instance(store: &Store, task_id: &str) {
    if let Err(e) = persist::delete_instance(store, task_id).await {
        crate::warning!("cannot delete instance {task_id} from the store: {e}");
    }
}

pub async fn save_framework_id(store: &Store, id: &str) {
    if let Err(e) = persist::save_framework_id(store, id).await {
        crate::warning!("cannot persist the framework id: {e}");
    }
}

pub async fn save_deployment(store: &Store, d: &DeploymentRecord) {
    if let Err(e) = persist::save_deployment(store, d).await {
        crate::warning!("cannot persist deployment {}: {e}", d.id);
    }
}

pub async fn delete_deployment(store: &Store, id: &str) {
    if let Err(e) = persist::delete_deployment(store, id).await {
        crate::warning!("cannot delete deployment {id} from the store: {e}");
    }
}
