//! The TOML configuration file with named profiles.
//!
//! Location: `$MESOS_CONFIG` if set, else `<config dir>/mesos/config.toml`
//! (`~/.config/mesos/config.toml` on Linux). Precedence when resolving a
//! setting: command-line flag > environment variable > active profile > default.
//!
//! ```toml
//! active = "prod"
//!
//! [profiles.prod]
//! master = "zk://zk1:2181,zk2:2181/mesos"
//! principal = "ops"
//! secret_file = "/etc/mesos/ops.secret"
//! ca_file = "/etc/ssl/mesos-ca.pem"
//! output = "table"
//! ssh_user = "core"
//! ssh_key = "~/.ssh/id_ed25519"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Environment variable naming the config file (ours; never `MESOS_CLI_CONFIG`).
pub const CONFIG_ENV: &str = "MESOS_CONFIG";

/// The whole file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Name of the active profile (`mesos config use NAME`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<String>,
    /// Named profiles.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One named profile. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Master: `host:port`, URL, comma list, `zk://...` or `file://...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master: Option<String>,
    /// `http` or `https` for masters given without a scheme and for ZooKeeper results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// HTTP basic-auth principal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    /// File holding the secret for `principal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_file: Option<String>,
    /// PEM file with CA certificates to trust.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// Skip TLS certificate verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure: Option<bool>,
    /// Request timeout, e.g. `5s`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    /// Default output format: `table`, `json` or `ndjson`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// SSH login user for `ssh`, `scp`, `node exec`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_user: Option<String>,
    /// SSH private key file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key: Option<String>,
    /// SSH port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_port: Option<u16>,
}

/// The keys a profile accepts, in display order (for `config get/set` and errors).
pub const PROFILE_KEYS: &[&str] = &[
    "master",
    "scheme",
    "principal",
    "secret_file",
    "ca_file",
    "insecure",
    "timeout",
    "output",
    "ssh_user",
    "ssh_key",
    "ssh_port",
];

/// Where the config file lives.
pub fn config_path() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    dirs::config_dir()
        .map(|d| d.join("mesos").join("config.toml"))
        .ok_or_else(|| {
            Error::failed("cannot find the user's config directory; set MESOS_CONFIG to a file path")
        })
}

impl Config {
    /// Load from `path`; a missing file is an empty config.
    pub fn load_from(path: &Path) -> Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(Error::failed(format!(
                    "cannot read config file {}: {e}",
                    path.display()
                )))
            }
        };
        toml::from_str(&text).map_err(|e| {
            Error::failed(format!(
                "config file {} is not valid: {}",
                path.display(),
                e.message()
            ))
            .with_hint(format!(
                "fix or remove {}; profile keys are: {}",
                path.display(),
                PROFILE_KEYS.join(", ")
            ))
        })
    }

    /// Load from the default location.
    pub fn load() -> Result<(Config, PathBuf)> {
        let path = config_path()?;
        let cfg = Self::load_from(&path)?;
        Ok((cfg, path))
    }

    /// Write atomically: temp file in the same directory, then rename.
    pub fn save_to(&self, path: &Path) -> Result<()> {
        let text = toml::to_string_pretty(self)
            .map_err(|e| Error::failed(format!("cannot encode config: {e}")))?;
        crate::fsutil::write_atomic(path, text.as_bytes())
            .map_err(|e| Error::failed(format!("cannot write config file {}: {e}", path.display())))
    }

    /// The profile to use: `requested` if given, else the active one.
    /// Returns `Ok(None)` when no profile is requested or active.
    pub fn select(&self, requested: Option<&str>) -> Result<Option<(&str, &Profile)>> {
        let name = match requested.or(self.active.as_deref()) {
            Some(n) => n,
            None => return Ok(None),
        };
        match self.profiles.get_key_value(name) {
            Some((k, p)) => Ok(Some((k.as_str(), p))),
            None if requested.is_some() => Err(Error::not_found(format!(
                "no profile named '{name}' (known: {})",
                self.profile_names()
            ))),
            // A dangling `active` is not fatal: behave as if none were set.
            None => Ok(None),
        }
    }

    fn profile_names(&self) -> String {
        if self.profiles.is_empty() {
            "none".into()
        } else {
            self.profiles.keys().cloned().collect::<Vec<_>>().join(", ")
        }
    }
}
