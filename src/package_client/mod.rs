//! The CLI side of `mesos package`: which package manager to use and the
//! backends of the local one (docs/packages.md, "Where it installs").
//!
//! * [`locate`]: `--cosmos URL`, the profile's `cosmos`, a DC/OS cluster
//!   whose `GET /capabilities` lists PACKAGE_MANAGEMENT → the Cosmos API;
//!   otherwise the local package manager.
//! * [`cosmos`]: a client of the Cosmos API (`/package/*`, media types).
//! * [`local`]: the local manager's Marathon and Mesos backends over HTTP.
//! * [`repos`]: the local manager's repositories (the profile's list, the
//!   on-disk cache).
//!
//! * [`prompt`]: asking for required options that have no default.
//! * [`wait`]: following an installed app until it is healthy; its status.
//! * [`report`]: package-manager errors as the CLI reports them.
//!
//! [`Manager`] answers every operation in the Cosmos shapes either way.

pub mod cosmos;
pub mod local;
pub mod locate;
pub mod prompt;
pub mod report;
pub mod repos;
pub mod wait;

use crate::context::Context;
use crate::marathon_client::Marathon;
use crate::packages::cosmos::{
    CosmosError, DescribeRequest, DescribeResponse, InstallRequest, ListRequest, ListResponse,
    ListVersionsRequest, ListVersionsResponse, RenderRequest, RenderResponse, RepositoryAddRequest,
    RepositoryDeleteRequest, RepositoryListResponse, SearchRequest, SearchResponse,
    UninstallRequest,
};
use crate::packages::service::{Installed, PackageService, Uninstalled};

/// The local package manager: repositories from the profile, Marathon and
/// the master over HTTP.
pub type LocalService = PackageService<repos::ProfileRepos, local::HttpApps, local::HttpFrameworks>;

/// The package manager a command uses.
pub enum Manager {
    Local(Box<LocalService>),
    Cosmos(cosmos::CosmosClient),
}

macro_rules! delegate {
    ($self:ident, $m:ident $(, $a:expr)*) => {
        match $self {
            Manager::Local(s) => s.$m($($a),*).await,
            Manager::Cosmos(c) => c.$m($($a),*).await,
        }
    };
}

impl Manager {
    /// Where this manager works, for `-v` and messages ("Cosmos at URL",
    /// "Marathon at URL").
    pub fn describe_target(&self) -> String {
        match self {
            Manager::Local(s) => match s.apps.marathon.get() {
                Some(m) => format!("Marathon at {}", m.at()),
                None => s.apps.at(),
            },
            Manager::Cosmos(c) => format!("Cosmos at {}", c.base.as_str().trim_end_matches('/')),
        }
    }

    /// The Marathon the packages' apps run on (for following an install
    /// and for `list`'s status): the local manager's own (found on first
    /// use); for Cosmos the one `mesos app` finds (`flag` = --marathon),
    /// else the Cosmos URL itself (`mesos marathon` serves both APIs).
    pub async fn marathon(
        &self,
        ctx: &Context,
        flag: Option<&str>,
    ) -> crate::error::Result<Marathon> {
        match self {
            Manager::Local(s) => s
                .apps
                .marathon
                .get_or_try_init(|| {
                    crate::marathon_client::locate::locate(&s.apps.ctx, s.apps.flag.as_deref())
                })
                .await
                .cloned(),
            Manager::Cosmos(c) => match crate::marathon_client::locate::locate(ctx, flag).await {
                Ok(m) => Ok(m),
                Err(e) if flag.is_some() => Err(e),
                Err(_) => Ok(Marathon::new(
                    c.http.clone(),
                    c.base.clone(),
                    "the Cosmos URL",
                )),
            },
        }
    }

    pub async fn search(&self, req: &SearchRequest) -> Result<SearchResponse, CosmosError> {
        delegate!(self, search, req)
    }
    pub async fn describe(&self, req: &DescribeRequest) -> Result<DescribeResponse, CosmosError> {
        delegate!(self, describe, req)
    }
    pub async fn list_versions(
        &self,
        req: &ListVersionsRequest,
    ) -> Result<ListVersionsResponse, CosmosError> {
        delegate!(self, list_versions, req)
    }
    pub async fn render(&self, req: &RenderRequest) -> Result<RenderResponse, CosmosError> {
        delegate!(self, render, req)
    }
    pub async fn install(&self, req: &InstallRequest) -> Result<Installed, CosmosError> {
        delegate!(self, install, req)
    }
    pub async fn list(&self, req: &ListRequest) -> Result<ListResponse, CosmosError> {
        delegate!(self, list, req)
    }
    pub async fn uninstall(&self, req: &UninstallRequest) -> Result<Vec<Uninstalled>, CosmosError> {
        delegate!(self, uninstall, req)
    }
    pub async fn repository_list(&self) -> Result<RepositoryListResponse, CosmosError> {
        delegate!(self, repository_list)
    }
    pub async fn repository_add(
        &self,
        req: &RepositoryAddRequest,
    ) -> Result<RepositoryListResponse, CosmosError> {
        delegate!(self, repository_add, req)
    }
    pub async fn repository_delete(
        &self,
        req: &RepositoryDeleteRequest,
    ) -> Result<RepositoryListResponse, CosmosError> {
        delegate!(self, repository_delete, req)
    }
}

/// A package manager's error as the CLI reports it ([`report::to_error`]):
/// one line (the message, which names the package, repository or URI),
/// detail lines for schema and Marathon failures (`data.errors`), exit 4
/// for the not-found kinds ([`CosmosError::exit_kind_not_found`]), 1
/// otherwise.
impl From<CosmosError> for crate::error::Error {
    fn from(e: CosmosError) -> Self {
        report::to_error(e)
    }
}

/// Read an options file (`-`: stdin): a JSON object.
pub fn read_options(
    file: &str,
) -> crate::error::Result<serde_json::Map<String, serde_json::Value>> {
    use crate::error::Error;
    use std::io::Read as _;
    let (name, bytes) = if file == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| Error::failed(format!("cannot read the options from stdin: {e}")))?;
        ("stdin".to_string(), b)
    } else {
        let b = std::fs::read(file)
            .map_err(|e| Error::usage(format!("cannot read the options file {file}: {e}")))?;
        (file.to_string(), b)
    };
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(m)) => Ok(m),
        Ok(_) => Err(Error::usage(format!(
            "the options in {name} are not a JSON object"
        ))),
        Err(e) => Err(Error::usage(format!(
            "the options in {name} are not valid JSON: {e}"
        ))),
    }
}
