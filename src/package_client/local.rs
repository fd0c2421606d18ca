//! The local package manager's backends: Marathon through
//! [`crate::marathon_client`], the Mesos master (frameworks, teardown,
//! reservations) over its HTTP API.

use crate::http::HttpClient;
use crate::marathon_client::Marathon;
use crate::packages::cosmos::CosmosError;
use crate::packages::service::{Apps, Created, FrameworkRef, Frameworks};
use crate::wire::marathon::{AppDefinition, AppView, PathId};
use reqwest::Url;

pub struct HttpApps {
    pub marathon: Marathon,
}

impl Apps for HttpApps {
    async fn apps(&self) -> Result<Vec<AppView>, CosmosError> {
        todo!("local backend")
    }
    async fn create(&self, app: &AppDefinition) -> Result<Created, CosmosError> {
        let _ = app;
        todo!("local backend")
    }
    async fn delete(&self, id: &PathId) -> Result<String, CosmosError> {
        let _ = id;
        todo!("local backend")
    }
}

/// The leading master (found lazily: only uninstall of a framework needs it).
pub struct HttpFrameworks {
    pub http: HttpClient,
    /// The leading master's base URL, when known.
    pub master: Option<Url>,
}

impl Frameworks for HttpFrameworks {
    async fn named(&self, name: &str) -> Result<Vec<FrameworkRef>, CosmosError> {
        let _ = name;
        todo!("local backend")
    }
    async fn teardown(&self, id: &str) -> Result<(), CosmosError> {
        let _ = id;
        todo!("local backend")
    }
    async fn leftovers(&self, framework: &FrameworkRef) -> Result<Vec<String>, CosmosError> {
        let _ = framework;
        todo!("local backend")
    }
}
