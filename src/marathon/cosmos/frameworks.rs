//! The package service's Mesos master: the master the scheduler itself
//! uses (`--master`: `host:port`, a list, `zk://…` or `file://…`),
//! resolved to the leader on every call, with the scheduler's TLS and
//! credentials towards it (`--mesos_authentication_principal` and its
//! secret file).

use std::time::Duration;

use crate::http::HttpClient;
use crate::leader::{self, ResolveOptions};
use crate::packages::cosmos::CosmosError;
use crate::packages::master;
use crate::packages::service::{FrameworkRef, Frameworks};

#[derive(Clone)]
pub struct MasterFrameworks {
    /// `--master` as given.
    pub master: String,
    pub http: HttpClient,
    /// For masters given without one.
    pub scheme: &'static str,
}

impl MasterFrameworks {
    async fn leader(&self) -> Result<reqwest::Url, CosmosError> {
        let opts = ResolveOptions {
            timeout: Duration::from_secs(10),
            scheme: self.scheme.to_string(),
        };
        leader::resolve(&self.master, &self.http, &opts)
            .await
            .map(|l| l.url)
            .map_err(|e| master::mesos_unavailable(&e.message))
    }
}

impl Frameworks for MasterFrameworks {
    async fn named(&self, name: &str) -> Result<Vec<FrameworkRef>, CosmosError> {
        let leader = self.leader().await?;
        master::frameworks_named(&self.http, &leader, name).await
    }

    async fn teardown(&self, id: &str) -> Result<(), CosmosError> {
        let leader = self.leader().await.map_err(|e| {
            CosmosError::new(
                "IncompleteUninstall",
                503,
                format!("Incomplete uninstall: cannot tear down framework {id}: {e}"),
            )
        })?;
        master::teardown(&self.http, &leader, id).await
    }

    async fn leftovers(&self, framework: &FrameworkRef) -> Result<Vec<String>, CosmosError> {
        let leader = self.leader().await?;
        master::leftovers(&self.http, &leader, framework).await
    }
}
