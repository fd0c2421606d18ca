//! Which package manager `mesos package` uses, in order: `--cosmos URL`
//! (or `MESOS_COSMOS`), the profile's `cosmos` key, a DC/OS cluster (master
//! URL behind Admin Router) whose `GET /capabilities` lists
//! PACKAGE_MANAGEMENT; otherwise the local manager over the Marathon found
//! as for `mesos app`. `-v` says which.
//!
//! The local manager is set up without any network traffic: search,
//! describe and repo work with no cluster at all (Marathon and the master
//! are found on first use by install, list and uninstall).

use std::path::PathBuf;

use reqwest::{header, StatusCode, Url};

use super::cosmos::CosmosClient;
use super::local::{HttpApps, HttpFrameworks};
use super::repos::{builtin_entry, normalize_uri, ProfileRepos};
use super::Manager;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::marathon_client::locate::{dcos_marathon, parse_marathon_url};
use crate::packages::builtin;
use crate::packages::cosmos::{
    Capabilities, PackageRepository, CAPABILITIES_TYPE, PACKAGE_MANAGEMENT,
};
use crate::packages::service::PackageService;

/// Overrides the cache directory (`<dir>/repositories` holds fetched
/// repositories); default `<user cache dir>/mesos` (`~/.cache/mesos`).
pub const CACHE_DIR_ENV: &str = "MESOS_CACHE_DIR";

/// The flags that choose the manager.
#[derive(Clone, Debug, Default)]
pub struct Choice {
    pub cosmos: Option<String>,
    pub marathon: Option<String>,
    /// `--repo NAME|URI`: only this repository (local manager).
    pub repo: Option<String>,
    /// `--refresh`: revalidate cached repositories.
    pub refresh: bool,
}

/// Where fetched repositories are cached.
pub fn cache_dir() -> Option<PathBuf> {
    let root = match std::env::var_os(CACHE_DIR_ENV).filter(|v| !v.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => dirs::cache_dir()?.join("mesos"),
    };
    Some(root.join("repositories"))
}

pub async fn manager(ctx: &Context, choice: &Choice) -> Result<Manager> {
    let say = |msg: String| {
        if ctx.verbose > 0 {
            crate::output::status(msg);
        }
    };
    let pname = ctx.profile_name.as_deref().unwrap_or("?");
    let cosmos = |base: Url, source: &str| -> Result<Manager> {
        say(format!(
            "using the Cosmos package API at {} ({source})",
            base.as_str().trim_end_matches('/')
        ));
        if choice.repo.is_some() {
            crate::output::warn(
                "--repo applies to the local package manager only; Cosmos uses its own repository list",
            );
        }
        Ok(Manager::Cosmos(CosmosClient {
            http: ctx.http()?,
            base,
        }))
    };
    if let Some(c) = &choice.cosmos {
        let base = parse_marathon_url(c)
            .map_err(|e| Error::usage(format!("invalid --cosmos / MESOS_COSMOS '{c}': {e}")))?;
        return cosmos(base, "--cosmos / MESOS_COSMOS");
    }
    if let Some(c) = &ctx.profile.cosmos {
        let base = parse_marathon_url(c)
            .map_err(|e| Error::usage(format!("profile '{pname}': invalid cosmos '{c}': {e}")))?;
        return cosmos(base, &format!("profile '{pname}'"));
    }
    let why_local = match dcos_root(ctx.master.as_deref()) {
        Some(root) => match capabilities(ctx, &root).await? {
            Some(caps) if caps.has(PACKAGE_MANAGEMENT) => {
                return cosmos(
                    root,
                    "the DC/OS cluster's /capabilities lists PACKAGE_MANAGEMENT",
                );
            }
            Some(_) => format!(
                "the DC/OS cluster at {} does not list PACKAGE_MANAGEMENT",
                root.as_str().trim_end_matches('/')
            ),
            None => format!(
                "the DC/OS cluster at {} has no /capabilities",
                root.as_str().trim_end_matches('/')
            ),
        },
        None => "no --cosmos, MESOS_COSMOS or profile `cosmos`, and the master is not a DC/OS URL"
            .to_string(),
    };
    let repos = profile_repos(ctx, choice)?;
    say(format!(
        "using the local package manager ({why_local}); repositories: {}",
        match &repos.only {
            Some(r) => format!("{} (--repo)", r.uri),
            None => match &ctx.profile_name {
                Some(p) => format!("profile '{p}'"),
                None => "the built-in repository (no profile)".to_string(),
            },
        }
    ));
    Ok(Manager::Local(Box::new(PackageService::new(
        repos,
        HttpApps::new(ctx.clone(), choice.marathon.clone()),
        HttpFrameworks { ctx: ctx.clone() },
    ))))
}

/// The DC/OS cluster URL of a master spec behind Admin Router
/// (`https://dcos.example/mesos` → `https://dcos.example/`).
pub fn dcos_root(master: Option<&str>) -> Option<Url> {
    let m = master?.trim();
    if !(m.starts_with("http://") || m.starts_with("https://")) || m.contains(',') {
        return None;
    }
    let url = Url::parse(m).ok()?;
    dcos_marathon(&url)?;
    let prefix = url.path().trim_end_matches('/');
    let root = prefix.strip_suffix("/mesos").unwrap_or("");
    let mut u = url.clone();
    u.set_path(&format!("{root}/"));
    u.set_query(None);
    Some(u)
}

/// `GET <root>/capabilities`; `None` on a 404 (no package management).
async fn capabilities(ctx: &Context, root: &Url) -> Result<Option<Capabilities>> {
    let http = ctx.http()?;
    let url = root
        .join("capabilities")
        .map_err(|e| Error::failed(format!("cannot build the /capabilities URL: {e}")))?;
    let rb = http
        .request(reqwest::Method::GET, url.clone(), true)
        .header(header::ACCEPT, CAPABILITIES_TYPE);
    let resp = http.send(rb, &url).await.map_err(|e| {
        e.context("cannot ask the DC/OS cluster whether it has a package manager")
            .with_hint("pass --cosmos URL, or --marathon URL to manage packages without Cosmos")
    })?;
    let status = resp.status();
    if status == StatusCode::NOT_FOUND {
        return Ok(None);
    }
    let body = resp
        .bytes()
        .await
        .map_err(|e| crate::http::transport_error(&url, &e, http.timeout))?;
    crate::http::decode_json::<Capabilities>(&url, status, &body).map(Some)
}

/// The local manager's repositories: the profile's list, or `--repo`.
fn profile_repos(ctx: &Context, choice: &Choice) -> Result<ProfileRepos> {
    let only = match &choice.repo {
        None => None,
        Some(arg) => Some(repo_arg(ctx, arg)?),
    };
    Ok(ProfileRepos::new(
        crate::config::config_path().ok(),
        ctx.profile_name.clone(),
        only,
        cache_dir(),
        choice.refresh,
        ctx.http_options.clone(),
    ))
}

/// `--repo NAME|URI`: a name from the profile's list, `builtin`, else a
/// URI or path (named by itself).
fn repo_arg(ctx: &Context, arg: &str) -> Result<PackageRepository> {
    if let Some(r) = ctx.profile.repos.iter().flatten().find(|r| r.name == arg) {
        return Ok(r.clone());
    }
    if arg == builtin::NAME {
        return Ok(builtin_entry());
    }
    let uri = normalize_uri(arg).map_err(|e| {
        Error::usage(format!(
            "--repo {arg}: not a configured repository name, and {}",
            e.message
        ))
    })?;
    Ok(PackageRepository {
        name: uri.clone(),
        uri,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dcos_roots() {
        assert_eq!(
            dcos_root(Some("https://dcos.example.com/mesos"))
                .unwrap()
                .as_str(),
            "https://dcos.example.com/"
        );
        assert_eq!(
            dcos_root(Some("https://h/prefix/mesos/")).unwrap().as_str(),
            "https://h/prefix/"
        );
        assert!(dcos_root(Some("http://10.0.0.1:5050")).is_none());
        assert!(dcos_root(Some("10.0.0.1:5050")).is_none());
        assert!(dcos_root(Some("zk://h:2181/mesos")).is_none());
        assert!(dcos_root(None).is_none());
    }
}
