//! The package service's Mesos master: the master the scheduler itself
//! uses (`--master`: `host:port`, a list, `zk://…` or `file://…`),
//! resolved to the leader on every call, with the scheduler's TLS and
//! credentials towards it (`--mesos_authentication_principal` and its
//! secret file). The requests are the library's
//! ([`crate::tasks::frameworks`], and the reservation lines of
//! [`crate::tasks::frameworks::reservations`]), as for the CLI's local
//! package manager.

use std::time::Duration;

use crate::execute::spec::Containerizer;
use crate::http::HttpClient;
use crate::leader::{self, Leader, ResolveOptions};
use crate::packages::cosmos::CosmosError;
use crate::packages::service::requirements::AgentSupport;
use crate::packages::service::{master, FrameworkRef, Frameworks};
use crate::tasks::frameworks::teardown_framework;

#[derive(Clone)]
pub struct MasterFrameworks {
    /// `--master` as given.
    pub master: String,
    pub http: HttpClient,
    /// For masters given without one.
    pub scheme: &'static str,
}

fn unavailable(why: impl std::fmt::Display) -> CosmosError {
    CosmosError::service_unavailable(format!(
        "Unable to complete request due to service [mesos] unavailability: {why}"
    ))
}

impl MasterFrameworks {
    async fn leader(&self) -> Result<Leader, CosmosError> {
        let opts = ResolveOptions {
            timeout: Duration::from_secs(10),
            scheme: self.scheme.to_string(),
        };
        leader::resolve(&self.master, &self.http, &opts)
            .await
            .map_err(|e| unavailable(e.message))
    }
}

impl Frameworks for MasterFrameworks {
    async fn named(&self, name: &str) -> Result<Vec<FrameworkRef>, CosmosError> {
        let leader = self.leader().await?;
        master::named(&self.http, &leader, name)
            .await
            .map_err(|e| unavailable(e.message))
    }

    async fn teardown(&self, id: &str) -> Result<(), CosmosError> {
        let leader = self.leader().await?;
        teardown_framework(&self.http, &leader, id)
            .await
            .map_err(|e| unavailable(format!("cannot tear down framework {id}: {}", e.message)))
    }

    async fn leftovers(&self, framework: &FrameworkRef) -> Result<Vec<String>, CosmosError> {
        let leader = self.leader().await?;
        master::leftovers(&self.http, &leader, framework)
            .await
            .map_err(|e| unavailable(e.message))
    }

    async fn agents_for(&self, kind: Containerizer) -> Result<AgentSupport, CosmosError> {
        let leader = self.leader().await?;
        let verdicts = crate::tasks::frameworks::docker_verdicts(&self.http, &leader, kind)
            .await
            .map_err(|e| unavailable(e.message))?;
        Ok(AgentSupport::from_verdicts(verdicts))
    }

    async fn reachable(&self, url: &str) -> Result<(), String> {
        crate::tasks::frameworks::url_reachable(&self.http, url).await
    }
}
