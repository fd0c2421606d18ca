//! The config profile a cluster's `up` writes (named after the cluster,
//! made active) and `down --purge` removes.

use std::path::Path;

use super::state::ClusterState;
use crate::config::Config;
use crate::error::Result;

/// Create or update the profile of a cluster and make it active: `master`,
/// `marathon` when the cluster runs `mesos marathon`,
/// and for a secured cluster `ca_file`, `principal`, `secret_file` (and
/// `scheme = "https"` for a zk:// master). Security keys a previous secured
/// run of this cluster left are removed from a plain one.
pub fn write_profile(state: &ClusterState) -> Result<()> {
    let (mut cfg, path) = Config::load()?;
    let p = cfg.profiles.entry(state.profile.clone()).or_default();
    p.set("master", &state.master)?;
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
