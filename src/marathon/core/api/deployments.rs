//! `DELETE /v2/deployments/{id}`: by default cancel the deployment and
//! start a new one back to its `original` apps; with `force`, cancel only.

use super::{Api, ApiError, Caller, Change, Deployed};
use crate::marathon::core::persist;
use crate::wire::marathon::PathId;

impl Api {
    fn deployment_not_found(id: &str) -> ApiError {
        ApiError::NotFound(format!("DeploymentPlan {id} does not exist"))
    }

    /// Cancel deployment `id` and revert its changes in a new deployment
    /// (answered as its result).
    pub async fn rollback_deployment(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<Deployed, ApiError> {
        let id = id.to_string();
        self.deploy(caller, |st| {
            let d = st
                .deployments
                .iter()
                .find(|d| d.id == id)
                .ok_or_else(|| Self::deployment_not_found(&id))?;
            crate::info!("Rolling back deployment {id}");
            Ok(Change {
                apps: d.original.clone(),
                cancel: vec![id.clone()],
                force: true,
                group: PathId::root(),
                ..Change::default()
            })
        })
        .await
    }

    /// Cancel deployment `id` without rollback (`force=true`, 202).
    pub async fn cancel_deployment(&self, id: &str) -> Result<(), ApiError> {
        {
            let mut st = self.marathon.lock();
            let before = st.deployments.len();
            st.deployments.retain(|d| d.id != id);
            if st.deployments.len() == before {
                return Err(Self::deployment_not_found(id));
            }
        }
        crate::info!("Deployment {id} cancelled");
        persist::delete_deployment(&self.store, id).await?;
        self.marathon.poke();
        Ok(())
    }
}
