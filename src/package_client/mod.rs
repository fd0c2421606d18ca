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
//! [`Manager`] answers every operation in the Cosmos shapes either way.

pub mod cosmos;
pub mod local;
pub mod locate;
pub mod repos;

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
            Manager::Local(s) => s.apps.at(),
            Manager::Cosmos(c) => format!("Cosmos at {}", c.base.as_str().trim_end_matches('/')),
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
