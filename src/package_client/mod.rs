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

/// A package manager's error as the CLI reports it: one line (the message,
/// which names the package, repository or URI), detail lines for schema
/// and Marathon failures (`data.errors`), exit 4 for the not-found kinds
/// ([`CosmosError::exit_kind_not_found`]), 1 otherwise.
impl From<CosmosError> for crate::error::Error {
    fn from(e: CosmosError) -> Self {
        use crate::error::{Error, ErrorKind};
        let kind = if e.exit_kind_not_found() {
            ErrorKind::NotFound
        } else {
            ErrorKind::Failed
        };
        let details: Vec<String> = e
            .data
            .as_ref()
            .and_then(|d| d.get("errors"))
            .and_then(|v| v.as_array())
            .map(|errors| errors.iter().map(error_detail).collect())
            .unwrap_or_default();
        let mut err = Error::new(kind, e.message.clone());
        if !details.is_empty() {
            err = err.with_details(details);
        }
        match e.kind.as_str() {
            "PackageNotFound" => err.with_hint("`mesos package search` lists the packages"),
            "VersionNotFound" => {
                err.with_hint("`mesos package describe NAME --package-versions` lists the versions")
            }
            "AmbiguousAppId" => err.with_hint("pass --app-id ID, or --all"),
            "RepositoryNotPresent" | "RepositoryAlreadyPresent" => {
                err.with_hint("`mesos package repo list` shows the repositories")
            }
            _ => err,
        }
    }
}

/// One entry of `data.errors`: its `message` (and the JSON pointer of the
/// failing value, when given), else the entry as JSON.
fn error_detail(v: &serde_json::Value) -> String {
    let message = v.get("message").and_then(|m| m.as_str());
    let pointer = v
        .get("instance")
        .and_then(|i| i.get("pointer"))
        .and_then(|p| p.as_str())
        .filter(|p| !p.is_empty());
    match (message, pointer) {
        (Some(m), Some(p)) if !m.contains(p) => format!("{p}: {m}"),
        (Some(m), _) => m.to_string(),
        _ => v.to_string(),
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
