//! Reading repositories: Universe repository JSON over http(s) (with the
//! Cosmos `Accept` types, gzip, and an on-disk cache revalidated with
//! ETag / Last-Modified), `file://` (a repository JSON file or a source
//! directory), a plain local path (a source directory or JSON file), and
//! [`super::builtin::URI`].

use std::path::PathBuf;
use std::sync::Arc;

use super::cosmos::{CosmosError, PackageRepository};
use super::model::Repository;

/// How repositories are fetched.
#[derive(Clone, Debug)]
pub struct Fetcher {
    pub http: reqwest::Client,
    /// Where fetched http(s) repositories are cached (`None`: no disk cache).
    pub cache_dir: Option<PathBuf>,
    /// Ignore the cache's freshness and revalidate (`--refresh`).
    pub refresh: bool,
}

impl Fetcher {
    /// Read one repository. Errors name the repository and URI.
    pub async fn fetch(&self, spec: &PackageRepository) -> Result<Arc<Repository>, CosmosError> {
        let _ = spec;
        todo!("fetch")
    }
}
