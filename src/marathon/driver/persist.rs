//! What the driver writes to the store (through
//! [`crate::marathon::core::persist`]): instances (before they are
//! launched, after every status change), deployment progress and the
//! framework id. Failures are logged; the in-memory state stays
//! authoritative while this scheduler leads and the next write of the same
//! record repairs the store.

use crate::marathon::core::persist;
use crate::marathon::core::{DeploymentRecord, Instance, Marathon};
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

/// Save a deployment's progress, but only while it is still under way
/// (in `State.deployments`): the REST side may cancel it (`DELETE
/// /v2/deployments/{id}`, a forced change) while the driver writes, and a
/// write landing after the REST side's delete would bring it back at the
/// next start. So: skip the write when it is gone already, and when it went
/// away during the write, delete it again. Returns whether it was kept.
pub async fn save_deployment(m: &Marathon, store: &Store, d: &DeploymentRecord) -> bool {
    let current = || m.lock().deployments.iter().any(|x| x.id == d.id);
    if !current() {
        return false;
    }
    if let Err(e) = persist::save_deployment(store, d).await {
        crate::warning!("cannot persist deployment {}: {e}", d.id);
    }
    if !current() {
        delete_deployment(store, &d.id).await;
        return false;
    }
    true
}

pub async fn delete_deployment(store: &Store, id: &str) {
    if let Err(e) = persist::delete_deployment(store, id).await {
        crate::warning!("cannot delete deployment {id} from the store: {e}");
    }
}
