//! The config profile a cluster's `up` writes (named after the cluster,
//! made active) and `down --purge` removes.

use std::path::Path;

use super::state::ClusterState;
use crate::config::{Config, Profile};
use crate::error::Result;
use crate::packages::{builtin, cosmos::PackageRepository};

/// Create or update the profile of a cluster and make it active: `master`,
/// `repos` (the built-in package repository, unless it has a list already),
/// `marathon` when the cluster runs `mesos marathon`,
/// and for a secured cluster `ca_file`, `principal`, `secret_file` (and
/// `scheme = "https"` for a zk:// master). Security keys a previous secured
/// run of this cluster left are removed from a plain one.
pub fn write_profile(state: &ClusterState) -> Result<()> {
    let (mut cfg, path) = Config::load()?;
    let p = cfg.profiles.entry(state.profile.clone()).or_default();
    p.set("master", &state.master)?;
    default_repos(p);
    // `mesos app` finds the cluster's Marathon through the profile.
    match &state.marathon {
        Some(url) => {
            p.set("marathon", url)?;
        }
        None => {
            // One a previous run of a local cluster recorded is stale.
            let stale = state.mode == super::state::Mode::Local
                && p.marathon.as_deref().is_some_and(|m| {
                    m.starts_with("http://127.0.0.1:") || m.starts_with("https://127.0.0.1:")
                });
            if stale {
                p.unset("marathon")?;
            }
        }
    }
    match &state.secure {
        Some(sec) => {
            p.set("ca_file", &sec.ca_file)?;
            p.set("principal", &sec.principal)?;
            p.set("secret_file", &sec.secret_file)?;
            if state.master.starts_with("zk://") {
                p.set("scheme", "https")?;
            } else {
                p.unset("scheme")?;
            }
        }
        None => {
            let ours = |f: &Option<String>| {
                f.as_deref()
                    .is_some_and(|f| Path::new(f).starts_with(&state.dir))
            };
            if ours(&p.secret_file) || ours(&p.ca_file) {
                for k in ["ca_file", "principal", "secret_file", "scheme"] {
                    p.unset(k)?;
                }
            }
        }
    }
    cfg.active = Some(state.profile.clone());
    cfg.save_to(&path)
}

/// A cluster profile's package repositories: the built-in repository
/// (its packages run on the cluster with nothing to download), unless the
/// profile has a list already (the user's, kept as it is, even empty).
pub fn default_repos(p: &mut Profile) {
    if p.repos.is_none() {
        p.repos = Some(vec![PackageRepository {
            name: builtin::NAME.to_string(),
            uri: builtin::URI.to_string(),
        }]);
    }
}

/// Remove profile `name` if it still points at `master`; returns whether it did.
pub fn forget_profile(name: &str, master: &str) -> Result<bool> {
    let (mut cfg, path) = Config::load()?;
    if cfg.profiles.get(name).and_then(|p| p.master.as_deref()) != Some(master) {
        return Ok(false);
    }
    cfg.profiles.remove(name);
    if cfg.active.as_deref() == Some(name) {
        cfg.active = None;
    }
    cfg.save_to(&path)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_profiles_get_the_builtin_repository_unless_they_have_repos() {
        let mut p = Profile::default();
        default_repos(&mut p);
        let builtin = PackageRepository {
            name: "builtin".into(),
            uri: "builtin".into(),
        };
        assert_eq!(p.repos, Some(vec![builtin]));
        let mine = vec![PackageRepository {
            name: "mine".into(),
            uri: "https://example.com/repo.json".into(),
        }];
        let mut p = Profile {
            repos: Some(mine.clone()),
            ..Profile::default()
        };
        default_repos(&mut p);
        assert_eq!(p.repos, Some(mine));
        let mut p = Profile {
            repos: Some(Vec::new()),
            ..Profile::default()
        };
        default_repos(&mut p);
        assert_eq!(p.repos, Some(Vec::new()));
    }
}
