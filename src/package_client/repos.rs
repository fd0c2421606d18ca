//! The local package manager's repositories: the profile's `repos` list
//! (default: the built-in repository), fetched through
//! [`crate::packages::fetch::Fetcher`] with the on-disk cache in the user's
//! cache dir.

use std::path::PathBuf;

use crate::packages::cosmos::{CosmosError, PackageRepository};
use crate::packages::fetch::Fetcher;
use crate::packages::service::{LoadedRepo, Repos};

pub struct ProfileRepos {
    /// The config file and profile the list is stored in (`None`: no
    /// profile; add/remove then say how to create one).
    pub config_path: Option<PathBuf>,
    pub profile: Option<String>,
    /// `--repo NAME|URI`: use only this repository (not stored).
    pub only: Option<PackageRepository>,
    pub fetcher: Fetcher,
}

impl Repos for ProfileRepos {
    async fn list(&self) -> Result<Vec<PackageRepository>, CosmosError> {
        todo!("profile repos")
    }
    async fn add(
        &self,
        repo: PackageRepository,
        index: Option<u32>,
    ) -> Result<Vec<PackageRepository>, CosmosError> {
        let _ = (repo, index);
        todo!("profile repos")
    }
    async fn delete(
        &self,
        name: Option<&str>,
        uri: Option<&str>,
    ) -> Result<Vec<PackageRepository>, CosmosError> {
        let _ = (name, uri);
        todo!("profile repos")
    }
    async fn load(&self) -> Result<Vec<LoadedRepo>, CosmosError> {
        todo!("profile repos")
    }
}
