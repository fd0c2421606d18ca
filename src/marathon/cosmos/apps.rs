//! The package service's Marathon, in process: the scheduler's own
//! [`Api`] (no HTTP round trip), with Marathon's answers mapped to the
//! Cosmos error types as Cosmos maps Marathon's HTTP statuses.

use std::sync::Arc;

use serde_json::Value;

use crate::marathon::core::api::views::{AppFilter, Embed};
use crate::marathon::core::api::{Api, ApiError, Caller};
use crate::packages::cosmos::CosmosError;
use crate::packages::service::{Apps, Created};
use crate::wire::marathon::{AppDefinition, AppView, PathId};

/// Marathon as this process serves it. `caller` is who the change is
/// recorded for (`api_post_event`): the client of the Cosmos call.
pub struct ApiApps {
    pub api: Arc<Api>,
    pub caller: Caller,
}

/// Marathon's error for a failed create, as Cosmos reports it: 409 →
/// `PackageAlreadyInstalled`, other 4xx → `MarathonBadResponse` (400, the
/// message and `data.errors` = Marathon's details), 5xx →
/// `MarathonBadGateway` (502).
pub fn create_error(e: &ApiError) -> CosmosError {
    let status = e.status();
    match status {
        409 => CosmosError::package_already_installed(),
        400..=499 => {
            let body = e.body();
            let details = body
                .details
                .iter()
                .flatten()
                .map(|d| serde_json::to_value(d).unwrap_or(Value::Null))
                .collect();
            CosmosError::marathon_bad_response(body.message, details)
        }
        _ => CosmosError::marathon_bad_gateway(format!(
            "Received response status code {status} from Marathon"
        )),
    }
}

/// Marathon's error for a failed delete: a missing app →
/// `MarathonAppNotFound`, anything else → `MarathonAppDeleteError`.
pub fn delete_error(id: &PathId, e: &ApiError) -> CosmosError {
    match e {
        ApiError::NotFound(_) => CosmosError::marathon_app_not_found(&id.to_string()),
        _ => CosmosError::marathon_app_delete_error(&id.to_string(), &e.body().message),
    }
}

impl Apps for ApiApps {
    async fn apps(&self) -> Result<Vec<AppView>, CosmosError> {
        Ok(self.api.apps(&AppFilter::default(), &Embed::default()))
    }

    async fn create(&self, app: &AppDefinition) -> Result<Created, CosmosError> {
        let caller = Caller {
            client_ip: self.caller.client_ip.clone(),
            uri: "/v2/apps".into(),
        };
        let (deployed, view) = self
            .api
            .create_app(&caller, app.clone(), false)
            .await
            .map_err(|e| create_error(&e))?;
        Ok(Created {
            app_id: view.app.id.clone(),
            deployment_id: deployed.result.deployment_id,
            version: deployed.result.version,
        })
    }

    async fn delete(&self, id: &PathId) -> Result<String, CosmosError> {
        let caller = Caller {
            client_ip: self.caller.client_ip.clone(),
            uri: format!("/v2/apps{id}"),
        };
        self.api
            .delete_app(&caller, id, true)
            .await
            .map(|d| d.result.deployment_id)
            .map_err(|e| delete_error(id, &e))
    }
}
