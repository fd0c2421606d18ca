//! The local package manager's repositories: the profile's `repos` list
//! (default: the built-in repository), fetched through
//! [`crate::packages::fetch::Fetcher`] with the on-disk cache in the user's
//! cache dir.
//!
//! `repo add` / `repo remove` write the list into the profile in use. With
//! no profile at all, they create one named `default` (or the dangling
//! `active` name) and make it active, saying so on stderr: the list has to
//! live somewhere, and a new empty profile changes nothing else.
//! Local paths are stored absolute (canonical), so the list works from
//! any directory.

// CosmosError (the contract's error type, with its data map) is the error
// of every package operation; boxing it here alone would buy nothing.
#![allow(clippy::result_large_err)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use serde_json::{Map, Value};

use crate::config::{Config, Profile};
use crate::http::HttpOptions;
use crate::packages::builtin;
use crate::packages::cosmos::{CosmosError, PackageRepository};
use crate::packages::fetch::{location, read_offline, Fetcher, Location};
use crate::packages::service::{LoadedRepo, Repos};

/// The profile created by `repo add|remove` when there is none.
pub const NEW_PROFILE: &str = "default";

pub struct ProfileRepos {
    /// The config file and profile the list is stored in (`None`: no
    /// profile; add/remove then create one).
    pub config_path: Option<PathBuf>,
    pub profile: Option<String>,
    /// `--repo NAME|URI`: use only this repository (not stored).
    pub only: Option<PackageRepository>,
    /// Where fetched http(s) repositories are cached (`None`: no cache).
    pub cache_dir: Option<PathBuf>,
    /// `--refresh`: revalidate cached repositories.
    pub refresh: bool,
    /// The settings of the HTTP client (`--timeout`, `--ca-file`,
    /// `--insecure`). The client is built on the first request only:
    /// building it reads the system's CA certificates, which would be most
    /// of a search on cached repositories.
    pub http_options: HttpOptions,
    fetcher: OnceLock<Fetcher>,
    /// The repositories loaded by this process (one command may search,
    /// describe and render: each repository is read once).
    loaded: Mutex<Option<Vec<LoadedRepo>>>,
}

/// A whole repository fetch may take this long (at least; `--timeout`
/// when longer). Connecting is bounded by `--timeout`.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(60);

/// The fetcher's HTTP client: `--timeout` to connect, [`FETCH_TIMEOUT`]
/// (or more) for a whole fetch; `--ca-file` / `--insecure` apply to https
/// repositories.
pub fn http_client(opts: &HttpOptions) -> Result<reqwest::Client, String> {
    crate::http::install_crypto_provider();
    let mut b = reqwest::Client::builder()
        .connect_timeout(opts.timeout)
        .timeout(opts.timeout.max(FETCH_TIMEOUT))
        .gzip(true)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::limited(5))
        .tls_danger_accept_invalid_certs(opts.insecure);
    if let Some(path) = &opts.ca_file {
        let pem = std::fs::read(path)
            .map_err(|e| format!("cannot read --ca-file {}: {e}", path.display()))?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|e| format!("--ca-file {} holds no PEM certificate: {e}", path.display()))?;
        b = b.tls_certs_merge(certs);
    }
    b.build()
        .map_err(|e| format!("cannot set up the HTTP client: {e}"))
}

/// The built-in repository's list entry.
pub fn builtin_entry() -> PackageRepository {
    PackageRepository {
        name: builtin::NAME.to_string(),
        uri: builtin::URI.to_string(),
    }
}

fn data(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn config_error(e: crate::error::Error) -> CosmosError {
    CosmosError::unhandled(e.message)
}

impl ProfileRepos {
    pub fn new(
        config_path: Option<PathBuf>,
        profile: Option<String>,
        only: Option<PackageRepository>,
        cache_dir: Option<PathBuf>,
        refresh: bool,
        http_options: HttpOptions,
    ) -> ProfileRepos {
        ProfileRepos {
            config_path,
            profile,
            only,
            cache_dir,
            refresh,
            http_options,
            fetcher: OnceLock::new(),
            loaded: Mutex::new(None),
        }
    }

    /// The fetcher, its HTTP client built on first use.
    fn fetcher(&self) -> Result<&Fetcher, CosmosError> {
        if let Some(f) = self.fetcher.get() {
            return Ok(f);
        }
        let http = http_client(&self.http_options).map_err(CosmosError::unhandled)?;
        Ok(self.fetcher.get_or_init(|| Fetcher {
            http,
            cache_dir: self.cache_dir.clone(),
            refresh: self.refresh,
        }))
    }

    fn config(&self) -> Result<Config, CosmosError> {
        match &self.config_path {
            Some(p) => Config::load_from(p).map_err(config_error),
            None => Ok(Config::default()),
        }
    }

    /// The stored list (not `--repo`).
    fn stored(&self) -> Result<Vec<PackageRepository>, CosmosError> {
        let config = self.config()?;
        let profile = self.profile.as_deref().and_then(|n| config.profiles.get(n));
        Ok(profile
            .and_then(|p| p.repos.clone())
            .unwrap_or_else(|| vec![builtin_entry()]))
    }

    /// Change the stored list with `f` and save it; the new list.
    fn update(
        &self,
        f: impl FnOnce(&mut Vec<PackageRepository>) -> Result<(), CosmosError>,
    ) -> Result<Vec<PackageRepository>, CosmosError> {
        let path = self.config_path.as_ref().ok_or_else(|| {
            CosmosError::unhandled(
                "no config file to store the repository list in (set MESOS_CONFIG or HOME)",
            )
        })?;
        let mut config = self.config()?;
        let name = match &self.profile {
            Some(n) => n.clone(),
            None => config
                .active
                .clone()
                .unwrap_or_else(|| NEW_PROFILE.to_string()),
        };
        let created = !config.profiles.contains_key(&name);
        let profile: &mut Profile = config.profiles.entry(name.clone()).or_default();
        let mut list = profile
            .repos
            .clone()
            .unwrap_or_else(|| vec![builtin_entry()]);
        f(&mut list)?;
        profile.repos = Some(list.clone());
        if created {
            config.active = Some(name.clone());
        }
        config.save_to(path).map_err(config_error)?;
        if created {
            crate::output::status(format!(
                "created profile '{name}' (now active) in {} to keep the repository list",
                path.display()
            ));
        }
        *self.loaded.lock().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(list)
    }
}

/// Check a URI before storing it: a known scheme; a local path must exist
/// (and is stored absolute).
pub fn normalize_uri(uri: &str) -> Result<String, CosmosError> {
    let uri = uri.trim();
    match location(uri)? {
        Location::Local(path) if !uri.contains("://") => {
            let abs = std::path::absolute(&path).unwrap_or(path);
            if let Ok(canonical) = abs.canonicalize() {
                return Ok(canonical.to_string_lossy().into_owned());
            }
            Err(CosmosError::new(
                    "UnsupportedRepositoryUri",
                    400,
                    format!(
                        "Repository URI [{uri}] is not supported: no such file or directory {} (use http(s)://, file://, a directory or file path, or builtin)",
                        abs.display()
                    ),
                )
            .with_data(data(&[("uri", uri.into())])))
        }
        _ => Ok(uri.to_string()),
    }
}

/// Insert `repo` at `index` (else last), refusing clashes and bad indexes.
pub fn insert(
    list: &mut Vec<PackageRepository>,
    repo: PackageRepository,
    index: Option<u32>,
) -> Result<(), CosmosError> {
    if let Some(clash) = list
        .iter()
        .find(|r| r.name == repo.name || r.uri == repo.uri)
    {
        let (what, d) = if clash.name == repo.name {
            (
                format!(
                    "Repository name [{}] is already present (uri {})",
                    repo.name, clash.uri
                ),
                data(&[("name", repo.name.as_str().into())]),
            )
        } else {
            (
                format!(
                    "Repository URI [{}] is already present (name {})",
                    repo.uri, clash.name
                ),
                data(&[("uri", repo.uri.as_str().into())]),
            )
        };
        return Err(CosmosError::new("RepositoryAlreadyPresent", 400, what).with_data(d));
    }
    let at = match index {
        None => list.len(),
        Some(i) if (i as usize) <= list.len() => i as usize,
        Some(i) => {
            return Err(CosmosError::new(
                "RepositoryAddIndexOutOfBounds",
                400,
                format!(
                    "Index [{i}] is out of bounds: the list has {} repositories, so the index must be 0 to {}",
                    list.len(),
                    list.len()
                ),
            )
            .with_data(data(&[
                ("attempted", Value::from(i)),
                ("max", Value::from(list.len())),
            ])))
        }
    };
    list.insert(at, repo);
    Ok(())
}

/// Remove the repository with this name (or uri).
pub fn remove(
    list: &mut Vec<PackageRepository>,
    name: Option<&str>,
    uri: Option<&str>,
) -> Result<(), CosmosError> {
    let pos = list
        .iter()
        .position(|r| Some(r.name.as_str()) == name || Some(r.uri.as_str()) == uri);
    match pos {
        Some(i) => {
            list.remove(i);
            Ok(())
        }
        None => {
            let mut d = Map::new();
            let mut what = Vec::new();
            if let Some(n) = name {
                d.insert("name".into(), n.into());
                what.push(format!("name [{n}]"));
            }
            if let Some(u) = uri {
                d.insert("uri".into(), u.into());
                what.push(format!("URI [{u}]"));
            }
            let known: Vec<&str> = list.iter().map(|r| r.name.as_str()).collect();
            Err(CosmosError::new(
                "RepositoryNotPresent",
                400,
                format!(
                    "No repository with {} is present (repositories: {})",
                    what.join(" or "),
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            )
            .with_data(d))
        }
    }
}

impl Repos for ProfileRepos {
    async fn list(&self) -> Result<Vec<PackageRepository>, CosmosError> {
        match &self.only {
            Some(r) => Ok(vec![r.clone()]),
            None => self.stored(),
        }
    }

    async fn add(
        &self,
        repo: PackageRepository,
        index: Option<u32>,
    ) -> Result<Vec<PackageRepository>, CosmosError> {
        if repo.name.trim().is_empty() {
            return Err(CosmosError::new(
                "RepositoryUriSyntax",
                400,
                "a repository needs a non-empty name",
            ));
        }
        let repo = PackageRepository {
            name: repo.name.trim().to_string(),
            uri: normalize_uri(&repo.uri)?,
        };
        self.update(|list| insert(list, repo, index))
    }

    async fn delete(
        &self,
        name: Option<&str>,
        uri: Option<&str>,
    ) -> Result<Vec<PackageRepository>, CosmosError> {
        let stored = self.stored()?;
        // Check first: a missing repository must not create a profile.
        remove(&mut stored.clone(), name, uri)?;
        self.update(|list| remove(list, name, uri))
    }

    async fn load(&self) -> Result<Vec<LoadedRepo>, CosmosError> {
        if let Some(l) = self
            .loaded
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            return Ok(l.clone());
        }
        let specs = self.list().await?;
        // Builtin, local and freshly cached repositories need no request
        // (and no HTTP client).
        let offline: Vec<_> = specs
            .iter()
            .map(|s| read_offline(s, self.cache_dir.as_deref(), self.refresh))
            .collect();
        let fetcher = match offline.iter().any(Option::is_none) {
            true => Some(self.fetcher()?),
            false => None,
        };
        let fetches = specs.iter().zip(offline).map(|(spec, read)| async move {
            let repo = match (read, fetcher) {
                (Some(r), _) => Arc::new(r?),
                (None, Some(f)) => f.fetch(spec).await?,
                (None, None) => unreachable!("a fetcher is built when a repository needs one"),
            };
            Ok::<_, CosmosError>(LoadedRepo {
                spec: spec.clone(),
                repo,
            })
        });
        let loaded = futures_util::future::try_join_all(fetches).await?;
        *self.loaded.lock().unwrap_or_else(|e| e.into_inner()) = Some(loaded.clone());
        Ok(loaded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(name: &str, uri: &str) -> PackageRepository {
        PackageRepository {
            name: name.into(),
            uri: uri.into(),
        }
    }

    #[test]
    fn insert_and_remove() {
        let mut list = vec![builtin_entry()];
        insert(&mut list, r("a", "http://a/repo"), None).unwrap();
        insert(&mut list, r("b", "http://b/repo"), Some(0)).unwrap();
        let names: Vec<&str> = list.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["b", "builtin", "a"]);
        let e = insert(&mut list, r("a", "http://c/repo"), None).unwrap_err();
        assert_eq!(e.kind, "RepositoryAlreadyPresent");
        assert!(e.message.contains("[a]"), "{}", e.message);
        let e = insert(&mut list, r("c", "http://a/repo"), None).unwrap_err();
        assert_eq!(e.kind, "RepositoryAlreadyPresent");
        let e = insert(&mut list, r("c", "http://c/repo"), Some(4)).unwrap_err();
        assert_eq!(e.kind, "RepositoryAddIndexOutOfBounds");
        assert_eq!(e.data.as_ref().unwrap()["attempted"], 4);
        assert_eq!(e.data.as_ref().unwrap()["max"], 3);
        remove(&mut list, Some("builtin"), None).unwrap();
        remove(&mut list, None, Some("http://b/repo")).unwrap();
        let e = remove(&mut list, Some("zzz"), None).unwrap_err();
        assert_eq!(e.kind, "RepositoryNotPresent");
        assert!(e.message.contains("repositories: a"), "{}", e.message);
        assert!(e.exit_kind_not_found());
    }

    #[test]
    fn uris_are_checked_and_paths_made_absolute() {
        assert_eq!(normalize_uri("builtin").unwrap(), "builtin");
        assert_eq!(normalize_uri("https://x/repo").unwrap(), "https://x/repo");
        assert_eq!(
            normalize_uri("ftp://x").unwrap_err().kind,
            "UnsupportedRepositoryUri"
        );
        let e = normalize_uri("no/such/dir").unwrap_err();
        assert!(
            e.message.contains("no such file or directory"),
            "{}",
            e.message
        );
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().display().to_string();
        assert_eq!(normalize_uri(&p).unwrap(), p);
    }
}
