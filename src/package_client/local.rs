//! The local package manager's backends: Marathon through
//! [`crate::marathon_client`], the Mesos master (frameworks, teardown,
//! reservations) over its HTTP API. Both are found on first use, so
//! `search`, `describe` and `repo` need neither.
//!
//! Failures are answered as Cosmos does: Marathon's 409 on create →
//! `PackageAlreadyInstalled`, another 4xx → `MarathonBadResponse` (400,
//! `data.errors` = Marathon's `details`), 5xx → `MarathonBadGateway` (502),
//! no Marathon → `ServiceUnavailable` (503); the master unreachable →
//! `ServiceUnavailable`, which uninstall reports as `IncompleteUninstall`.

use serde_json::Value;
use tokio::sync::OnceCell;

use crate::context::Context;
use crate::execute::spec::Containerizer;
use crate::http::HttpClient;
use crate::leader::Leader;
use crate::marathon_client::checked::Failure;
use crate::marathon_client::Marathon;
use crate::packages::cosmos::CosmosError;
use crate::packages::service::requirements::AgentSupport;
use crate::packages::service::{master, Apps, Created, FrameworkRef, Frameworks};
use crate::wire::marathon::{AppDefinition, AppView, PathId};

pub struct HttpApps {
    pub ctx: Context,
    /// `--marathon` / `MESOS_MARATHON`.
    pub flag: Option<String>,
    /// Found on first use (`crate::marathon_client::locate`).
    pub marathon: OnceCell<Marathon>,
}

impl HttpApps {
    pub fn new(ctx: Context, flag: Option<String>) -> HttpApps {
        HttpApps {
            ctx,
            flag,
            marathon: OnceCell::new(),
        }
    }

    /// Where apps go, for messages: the Marathon URL once found.
    pub fn at(&self) -> String {
        match self.marathon.get() {
            Some(m) => m.at(),
            None => "Marathon (not contacted yet)".to_string(),
        }
    }

    /// The Marathon, located on first use.
    async fn marathon(&self) -> Result<&Marathon, CosmosError> {
        self.marathon
            .get_or_try_init(|| {
                crate::marathon_client::locate::locate(&self.ctx, self.flag.as_deref())
            })
            .await
            .map_err(|e| CosmosError::service_unavailable(e.message))
    }
}

/// Marathon's `details` as Cosmos passes them on (`{path, errors}`
/// objects), and the same as text for the message.
fn details(f: &Failure) -> (Vec<Value>, Vec<String>) {
    let Failure::Refused {
        body: Some(body), ..
    } = f
    else {
        return (Vec::new(), Vec::new());
    };
    let list = body.details.clone().unwrap_or_default();
    let values = list
        .iter()
        .filter_map(|d| serde_json::to_value(d).ok())
        .collect();
    let mut lines = Vec::new();
    for d in &list {
        if d.errors.is_empty() {
            lines.push(d.path.clone());
        }
        for e in &d.errors {
            lines.push(format!("{}: {e}", d.path));
        }
    }
    (values, lines)
}

/// A Marathon failure in Cosmos' terms (create's 409 and delete's 404 are
/// the callers').
fn marathon_error(f: Failure) -> CosmosError {
    match &f {
        Failure::Unreachable(e) => CosmosError::service_unavailable(e.message.clone()),
        Failure::BadAnswer(e) => CosmosError::marathon_bad_gateway(e.message.clone()),
        Failure::Refused { status, .. } if *status >= 500 => {
            CosmosError::marathon_bad_gateway(f.to_string())
        }
        Failure::Refused { .. } => {
            let (values, lines) = details(&f);
            let mut message = f.to_string();
            if !lines.is_empty() {
                message = format!("{message} ({})", lines.join("; "));
            }
            CosmosError::marathon_bad_response(message, values)
        }
    }
}

impl Apps for HttpApps {
    async fn apps(&self) -> Result<Vec<AppView>, CosmosError> {
        self.marathon()
            .await?
            .try_apps()
            .await
            .map_err(marathon_error)
    }

    async fn create(&self, app: &AppDefinition) -> Result<Created, CosmosError> {
        match self.marathon().await?.try_create(app, false).await {
            Ok(d) => Ok(Created {
                app_id: app.id.clone(),
                deployment_id: d.result.deployment_id,
                version: d.result.version,
            }),
            Err(Failure::Refused { status: 409, .. }) => {
                Err(CosmosError::package_already_installed())
            }
            Err(f) => Err(marathon_error(f)),
        }
    }

    async fn delete(&self, id: &PathId) -> Result<String, CosmosError> {
        match self.marathon().await?.try_remove(id, true).await {
            Ok(d) => Ok(d.result.deployment_id),
            Err(Failure::Refused { status: 404, .. }) => {
                Err(CosmosError::marathon_app_not_found(&id.to_string()))
            }
            Err(f @ (Failure::Unreachable(_) | Failure::Refused { status: 500.., .. })) => {
                Err(marathon_error(f))
            }
            Err(f) => Err(CosmosError::marathon_app_delete_error(
                &id.to_string(),
                &f.to_string(),
            )),
        }
    }
}

/// The leading master, found on first use (only uninstall of a framework
/// needs it).
pub struct HttpFrameworks {
    pub ctx: Context,
}

/// The master could not be asked.
fn master_down(e: crate::error::Error) -> CosmosError {
    CosmosError::service_unavailable(e.message)
}

impl HttpFrameworks {
    async fn leader(&self) -> Result<(HttpClient, Leader), CosmosError> {
        let http = self.ctx.http().map_err(master_down)?;
        let leader = self.ctx.leader(&http).await.map_err(master_down)?;
        Ok((http, leader))
    }
}

impl Frameworks for HttpFrameworks {
    async fn named(&self, name: &str) -> Result<Vec<FrameworkRef>, CosmosError> {
        let (http, leader) = self.leader().await?;
        master::named(&http, &leader, name)
            .await
            .map_err(master_down)
    }

    async fn teardown(&self, id: &str) -> Result<(), CosmosError> {
        let (http, leader) = self.leader().await?;
        crate::tasks::frameworks::teardown_framework(&http, &leader, id)
            .await
            .map_err(|e| {
                CosmosError::service_unavailable(format!(
                    "the master at {} did not tear down framework {id}: {}",
                    leader.leader, e.message
                ))
            })
    }

    async fn leftovers(&self, framework: &FrameworkRef) -> Result<Vec<String>, CosmosError> {
        let (http, leader) = self.leader().await?;
        master::leftovers(&http, &leader, framework)
            .await
            .map_err(master_down)
    }

    async fn agents_for(&self, kind: Containerizer) -> Result<AgentSupport, CosmosError> {
        let (http, leader) = self.leader().await?;
        let verdicts = crate::tasks::frameworks::docker_verdicts(&http, &leader, kind)
            .await
            .map_err(master_down)?;
        Ok(AgentSupport::from_verdicts(verdicts))
    }

    async fn reachable(&self, url: &str) -> Result<(), String> {
        let http = self.ctx.http().map_err(|e| e.message)?;
        crate::tasks::frameworks::url_reachable(&http, url).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn marathon_failures_become_cosmos_errors() {
        use crate::marathon_client::MarathonError;
        use crate::wire::marathon::ErrorBody;
        let body: ErrorBody = serde_json::from_value(json!({"message": "Object is not valid",
            "details": [{"path": "/cpus", "errors": ["must be >= 0"]}]}))
        .unwrap();
        let refused = |status: u16, body: Option<ErrorBody>| Failure::Refused {
            status,
            body,
            error: MarathonError::Invalid {
                what: "app '/x'".into(),
                at: "http://m:8080".into(),
                status,
                message: "Object is not valid".into(),
                details: vec![],
            },
        };
        let e = marathon_error(refused(422, Some(body)));
        assert_eq!((e.kind.as_str(), e.status), ("MarathonBadResponse", 400));
        assert!(e.message.contains("Object is not valid"), "{}", e.message);
        assert!(e.message.contains("/cpus: must be >= 0"), "{}", e.message);
        assert_eq!(
            e.data.unwrap()["errors"],
            json!([{"path": "/cpus", "errors": ["must be >= 0"]}])
        );
        let e = marathon_error(refused(503, None));
        assert_eq!((e.kind.as_str(), e.status), ("MarathonBadGateway", 502));
        let e = marathon_error(Failure::Unreachable(crate::error::Error::failed(
            "cannot connect to http://m:8080",
        )));
        assert_eq!((e.kind.as_str(), e.status), ("ServiceUnavailable", 503));
        assert_eq!(e.message, "cannot connect to http://m:8080");
    }
}
