//! The local package manager's backends: Marathon through
//! [`crate::marathon_client`], the Mesos master (frameworks, teardown,
//! reservations) over its HTTP API. Both are found on first use, so
//! `search`, `describe` and `repo` need neither.

use tokio::sync::OnceCell;

use crate::context::Context;
use crate::marathon_client::Marathon;
use crate::packages::cosmos::CosmosError;
use crate::packages::service::{Apps, Created, FrameworkRef, Frameworks};
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

/// The leading master, found on first use (only uninstall of a framework
/// needs it).
pub struct HttpFrameworks {
    pub ctx: Context,
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
