//! The server's repository list: kept in Marathon's state store under
//! [`KEY`] (a file under `--work_dir`, or a znode under the `--zk` path,
//! like the rest of the state), `[{"name":"builtin","uri":"builtin"}]`
//! until first changed. Repositories are fetched through
//! [`Fetcher`] (no disk cache) and kept in memory for [`CACHE_FOR`], as
//! Cosmos does; a failed fetch is not cached.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::marathon::store::Store;
use crate::packages::builtin;
use crate::packages::cosmos::{CosmosError, PackageRepository};
use crate::packages::fetch::Fetcher;
use crate::packages::model::Repository;
use crate::packages::repolist;
use crate::packages::service::{LoadedRepo, Repos};

/// The state-store key of the list.
pub const KEY: &str = "cosmos/repositories";
/// How long a fetched repository is used before it is fetched again.
pub const CACHE_FOR: Duration = Duration::from_secs(60);

/// The stored value: `{"repositories":[{"name","uri"},…]}`.
#[derive(Serialize, Deserialize)]
struct Stored {
    repositories: Vec<PackageRepository>,
}

/// The default list: the built-in repository.
pub fn default_list() -> Vec<PackageRepository> {
    vec![PackageRepository {
        name: builtin::NAME.to_string(),
        uri: builtin::URI.to_string(),
    }]
}

/// Cheap to clone (shared state).
#[derive(Clone)]
pub struct StoreRepos {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    fetcher: Fetcher,
    /// uri → (fetched at, contents).
    cache: Mutex<HashMap<String, (Instant, Arc<Repository>)>>,
    /// Serializes read-modify-write of the list.
    edit: tokio::sync::Mutex<()>,
}

fn store_failed(e: impl std::fmt::Display) -> CosmosError {
    CosmosError::new(
        "ServiceUnavailable",
        503,
        format!("The repository list in the state store cannot be used: {e}"),
    )
}

impl StoreRepos {
    pub fn new(store: Store, fetcher: Fetcher) -> StoreRepos {
        StoreRepos {
            inner: Arc::new(Inner {
                store,
                fetcher,
                cache: Mutex::new(HashMap::new()),
                edit: tokio::sync::Mutex::new(()),
            }),
        }
    }

    async fn read(&self) -> Result<Vec<PackageRepository>, CosmosError> {
        match self.inner.store.get(KEY).await.map_err(store_failed)? {
            None => Ok(default_list()),
            Some(bytes) => serde_json::from_slice::<Stored>(&bytes)
                .map(|s| s.repositories)
                .map_err(|e| store_failed(format!("key '{KEY}' does not decode: {e}"))),
        }
    }

    async fn write(&self, list: &[PackageRepository]) -> Result<(), CosmosError> {
        let bytes = serde_json::to_vec(&Stored {
            repositories: list.to_vec(),
        })
        .map_err(store_failed)?;
        self.inner
            .store
            .put(KEY, &bytes)
            .await
            .map_err(store_failed)
    }

    fn cached(&self, uri: &str) -> Option<Arc<Repository>> {
        let cache = self.inner.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .get(uri)
            .filter(|(at, _)| at.elapsed() < CACHE_FOR)
            .map(|(_, r)| r.clone())
    }
}

impl Repos for StoreRepos {
    async fn list(&self) -> Result<Vec<PackageRepository>, CosmosError> {
        self.read().await
    }

    async fn add(
        &self,
        repo: PackageRepository,
        index: Option<u32>,
    ) -> Result<Vec<PackageRepository>, CosmosError> {
        repolist::check_http_uri(&repo.uri)?;
        let _g = self.inner.edit.lock().await;
        let list = repolist::add(&self.read().await?, repo, index)?;
        self.write(&list).await?;
        Ok(list)
    }

    async fn delete(
        &self,
        name: Option<&str>,
        uri: Option<&str>,
    ) -> Result<Vec<PackageRepository>, CosmosError> {
        let _g = self.inner.edit.lock().await;
        let list = repolist::delete(&self.read().await?, name, uri)?;
        self.write(&list).await?;
        Ok(list)
    }

    async fn load(&self) -> Result<Vec<LoadedRepo>, CosmosError> {
        let mut out = Vec::new();
        for spec in self.read().await? {
            let repo = match self.cached(&spec.uri) {
                Some(r) => r,
                None => {
                    let r = self.inner.fetcher.fetch(&spec).await?;
                    self.inner
                        .cache
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(spec.uri.clone(), (Instant::now(), r.clone()));
                    r
                }
            };
            out.push(LoadedRepo { spec, repo });
        }
        Ok(out)
    }
}
