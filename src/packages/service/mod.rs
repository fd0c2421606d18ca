//! The package service: the Cosmos operations (search, describe,
//! list-versions, render, install, list, uninstall, repository
//! list/add/delete) over an ordered repository list, a Marathon and a
//! Mesos master. One implementation for the CLI's local package manager
//! (plain Mesos + Marathon: repositories from the profile, Marathon and the
//! master over HTTP) and for the Cosmos-compatible server on the dev
//! cluster (repositories in Marathon's store, Marathon in-process).
//!
//! The backends are traits so each side plugs its own: [`Repos`] (where the
//! repository list lives and how repositories are fetched), [`Apps`]
//! (Marathon apps), [`Frameworks`] (Mesos frameworks, for uninstall's
//! teardown). Errors are [`CosmosError`]s with Cosmos' type names.
//!
//! * [`catalog`]: search, describe, list-versions, render, repositories.
//! * [`installs`]: install, list, uninstall.
//! * [`requirements`]: what an install needs (Docker, downloads), checked
//!   before Marathon is asked.
//! * [`installed`]: what an installed app's labels say about its package.
//! * [`errors`]: the Cosmos errors of these operations, and lookup and
//!   render failures mapped to them.

mod catalog;
pub mod errors;
pub mod installed;
mod installs;
pub mod master;
pub mod requirements;

pub use installs::select_package;

use std::future::Future;
use std::sync::Arc;

use super::cosmos::{CosmosError, PackageRepository};
use super::model::Repository;
use crate::wire::marathon::{AppDefinition, AppView, PathId};

/// One configured repository with its fetched contents.
#[derive(Clone, Debug)]
pub struct LoadedRepo {
    pub spec: PackageRepository,
    pub repo: Arc<Repository>,
}

/// Where the repository list lives and how repositories are read.
pub trait Repos: Send + Sync {
    /// The configured list, priority order.
    fn list(&self) -> impl Future<Output = Result<Vec<PackageRepository>, CosmosError>> + Send;
    /// Add (at `index`, else last); the new list. Errors:
    /// `RepositoryAlreadyPresent`, `RepositoryAddIndexOutOfBounds`,
    /// `UnsupportedRepositoryUri`.
    fn add(
        &self,
        repo: PackageRepository,
        index: Option<u32>,
    ) -> impl Future<Output = Result<Vec<PackageRepository>, CosmosError>> + Send;
    /// Remove by name or uri; the remaining list. Errors:
    /// `RepoNameOrUriMissing`, `RepositoryNotPresent`.
    fn delete(
        &self,
        name: Option<&str>,
        uri: Option<&str>,
    ) -> impl Future<Output = Result<Vec<PackageRepository>, CosmosError>> + Send;
    /// Every configured repository, fetched (from a cache when fresh), in
    /// priority order. A repository that cannot be read fails the call with
    /// an error naming it (`RepositoryUriConnection`, `UniverseClientHttpError`,
    /// `UnsupportedContentType`, `JsonParsingError`...).
    fn load(&self) -> impl Future<Output = Result<Vec<LoadedRepo>, CosmosError>> + Send;
}

/// What `POST /v2/apps` gave back.
#[derive(Clone, Debug, PartialEq)]
pub struct Created {
    pub app_id: PathId,
    pub deployment_id: String,
    pub version: String,
}

/// Marathon, as the package service needs it. Errors are already mapped
/// to Cosmos types: 409 on create → `PackageAlreadyInstalled`, other 4xx →
/// `MarathonBadResponse` (data.errors = Marathon's details), 5xx →
/// `MarathonBadGateway`, unreachable → `ServiceUnavailable`.
pub trait Apps: Send + Sync {
    /// Every app (with labels and task counts).
    fn apps(&self) -> impl Future<Output = Result<Vec<AppView>, CosmosError>> + Send;
    fn create(
        &self,
        app: &AppDefinition,
    ) -> impl Future<Output = Result<Created, CosmosError>> + Send;
    /// `DELETE /v2/apps/{id}?force=true`; the deployment id. A missing app →
    /// `MarathonAppNotFound`, another failure → `MarathonAppDeleteError`.
    fn delete(&self, id: &PathId) -> impl Future<Output = Result<String, CosmosError>> + Send;
}

/// An active Mesos framework, as uninstall sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameworkRef {
    pub id: String,
    pub name: String,
    pub roles: Vec<String>,
}

/// The Mesos master, for tearing down a package's framework.
pub trait Frameworks: Send + Sync {
    /// Active (not completed) frameworks with this name.
    fn named(
        &self,
        name: &str,
    ) -> impl Future<Output = Result<Vec<FrameworkRef>, CosmosError>> + Send;
    /// `POST /master/teardown frameworkId=<id>`. Mesos unreachable →
    /// `IncompleteUninstall` (503).
    fn teardown(&self, id: &str) -> impl Future<Output = Result<(), CosmosError>> + Send;
    /// What the framework leaves behind after teardown, one line each (e.g.
    /// "agent a1 (host): cpus:1;mem:128 reserved for role 'kafka'"), for the
    /// user to clean up. Empty when nothing is left or it cannot be known.
    fn leftovers(
        &self,
        framework: &FrameworkRef,
    ) -> impl Future<Output = Result<Vec<String>, CosmosError>> + Send;
    /// How many active agents can run a Docker image with this
    /// containerizer, from each agent's `/flags` (`--containerizers`,
    /// `--image_providers`), read concurrently with a short timeout. The
    /// master unreachable → `ServiceUnavailable`.
    fn agents_for(
        &self,
        kind: crate::execute::spec::Containerizer,
    ) -> impl Future<Output = Result<requirements::AgentSupport, CosmosError>> + Send;
    /// Whether a URL a package downloads answers (HEAD, short timeout) from
    /// where the package manager runs; the cause when not.
    fn reachable(&self, url: &str) -> impl Future<Output = Result<(), String>> + Send;
}

/// One uninstalled app, with what the CLI tells the user beyond Cosmos'
/// `UninstallResult` (the server sends only the Cosmos fields).
#[derive(Clone, Debug, PartialEq)]
pub struct Uninstalled {
    pub result: super::cosmos::UninstallResult,
    /// The Marathon deployment removing the app.
    pub deployment_id: Option<String>,
    /// Frameworks torn down (from `DCOS_PACKAGE_FRAMEWORK_NAME`).
    pub torn_down: Vec<FrameworkRef>,
    /// What was left (reservations, volumes), one line each.
    pub leftovers: Vec<String>,
}

/// One install, beyond Cosmos' `InstallResponse`.
#[derive(Clone, Debug, PartialEq)]
pub struct Installed {
    pub response: super::cosmos::InstallResponse,
    /// `None` for a package with no Marathon template.
    pub created: Option<Created>,
}

/// The label a template sets to name the framework its app registers.
pub const LABEL_FRAMEWORK_NAME: &str = "DCOS_PACKAGE_FRAMEWORK_NAME";

/// The package service over its three backends.
pub struct PackageService<R, A, F> {
    pub repos: R,
    pub apps: A,
    pub frameworks: F,
}

impl<R: Repos, A: Apps, F: Frameworks> PackageService<R, A, F> {
    pub fn new(repos: R, apps: A, frameworks: F) -> Self {
        PackageService {
            repos,
            apps,
            frameworks,
        }
    }
}
