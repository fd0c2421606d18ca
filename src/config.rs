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
    /// Marathon base URL for `mesos app` / `mesos deployment`
    /// (`http://host:8080`, `https://dcos.example.com/service/marathon`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marathon: Option<String>,
    /// Cosmos package API base URL for `mesos package` (DC/OS cluster URL,
    /// or `mesos marathon`'s URL); unset: found through `/capabilities`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cosmos: Option<String>,
    /// Package repositories in priority order (`mesos package repo add`);
    /// unset: the built-in repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repos: Option<Vec<crate::packages::cosmos::PackageRepository>>,
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
    "marathon",
    "cosmos",
];

/// What can go wrong with the config file and its profiles; exit codes in
/// `crate::error` (a missing profile is "not found", a bad key or name a
/// usage error, the rest failures).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot find the user's config directory; set MESOS_CONFIG to a file path")]
    NoConfigDir,
    #[error("cannot read config file {}: {cause}", path.display())]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("cannot write config file {}: {cause}", path.display())]
    Write {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("config file {} is not valid{at}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        at: String,
        message: String,
    },
    #[error("cannot encode config: {0}")]
    Encode(String),
    #[error("no profile named '{name}' (known: {known})")]
    NoProfile { name: String, known: String },
    #[error("unknown config key '{key}' (valid keys: {})", PROFILE_KEYS.join(", "))]
    UnknownKey { key: String, secret: bool },
    #[error("invalid profile name '{0}' (use letters, digits, '-', '_' and '.')")]
    BadProfileName(String),
}

impl ConfigError {
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            ConfigError::UnknownKey { secret: true, .. } => Some(
                "secrets are never stored in the config file: put the secret in a file and `mesos config set secret_file PATH`",
            ),
            _ => None,
        }
    }
}

/// Where the config file lives.
pub fn config_path() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    dirs::config_dir()
        .map(|d| d.join("mesos").join("config.toml"))
        .ok_or_else(|| ConfigError::NoConfigDir.into())
}

impl Config {
    /// Load from `path`; a missing file is an empty config.
    pub fn load_from(path: &Path) -> Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(ConfigError::Read {
                    path: path.to_path_buf(),
                    cause: e,
                }
                .into())
            }
        };
        Self::from_toml(&text, path).map_err(|e| {
            e.with_hint(format!(
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
        let text = self.to_toml()?;
        crate::fsutil::write_atomic(path, text.as_bytes()).map_err(|cause| {
            ConfigError::Write {
                path: path.to_path_buf(),
                cause,
            }
            .into()
        })
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
            None if requested.is_some() => Err(ConfigError::NoProfile {
                name: name.to_string(),
                known: self.profile_names(),
            }
            .into()),
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

/// What `mesos config set` accepts for each key, for help and error messages.
pub const PROFILE_KEY_HELP: &[(&str, &str)] = &[
    (
        "master",
        "host:port, http(s)://host:port[/prefix], a comma list, zk://... or file://...",
    ),
    ("scheme", "http or https"),
    ("principal", "HTTP basic-auth principal"),
    (
        "secret_file",
        "file holding the secret for principal (the secret itself is never stored)",
    ),
    ("ca_file", "PEM file with CA certificates to trust"),
    ("insecure", "true or false"),
    ("timeout", "a duration such as 5s, 500ms or 1m"),
    ("output", "table, json or ndjson"),
    ("ssh_user", "SSH login user"),
    ("ssh_key", "SSH private key file"),
    ("ssh_port", "1-65535"),
    (
        "marathon",
        "Marathon URL for `mesos app` (else found through the master)",
    ),
    (
        "cosmos",
        "Cosmos package API URL for `mesos package` (else DC/OS /capabilities, else local)",
    ),
];

/// The canonical name of a profile key (`ssh-port` is accepted for `ssh_port`).
/// Unknown keys are a usage error (exit 2) listing the valid ones.
pub fn canonical_key(key: &str) -> Result<&'static str> {
    let k = key.trim().to_ascii_lowercase().replace('-', "_");
    if let Some(found) = PROFILE_KEYS.iter().find(|p| **p == k) {
        return Ok(found);
    }
    Err(ConfigError::UnknownKey {
        key: key.to_string(),
        secret: k == "secret" || k == "password" || k == "token",
    }
    .into())
}

/// Check a `master` value the way `--master` is checked (exit 2 on error),
/// naming the key and the (redacted) value.
pub fn validate_master(value: &str) -> Result<()> {
    match crate::leader::parse_master_spec(value, "http") {
        Ok(_) => Ok(()),
        Err(mut e) => {
            let shown = crate::leader::spec::redact_spec(value);
            let mut msg = e.message.replacen("--master ", "master ", 1);
            if !msg.contains(&format!("'{shown}'")) {
                msg = format!("master '{shown}': {msg}");
            }
            e.message = format!("invalid value for {msg}");
            Err(e)
        }
    }
}

/// Validate and normalise `value` for `key` (already canonical).
/// Returns the value as it will be stored.
fn normalize_value(key: &str, value: &str) -> Result<String> {
    let v = value.trim();
    let bad = |why: &str| Error::usage(format!("invalid value '{value}' for {key}: {why}"));
    if v.is_empty() {
        return Err(Error::usage(format!("empty value for {key}"))
            .with_hint(format!("to remove it use `mesos config unset {key}`")));
    }
    match key {
        "master" => {
            validate_master(v)?;
            Ok(v.to_string())
        }
        "scheme" => match v.to_ascii_lowercase().as_str() {
            s @ ("http" | "https") => Ok(s.to_string()),
            _ => Err(bad("must be http or https")),
        },
        "insecure" => match v.to_ascii_lowercase().as_str() {
            s @ ("true" | "false") => Ok(s.to_string()),
            _ => Err(bad("must be true or false")),
        },
        "timeout" => {
            let d = crate::duration::parse_duration(v).map_err(|e| bad(&e))?;
            if d.is_zero() {
                return Err(bad("must be greater than zero"));
            }
            Ok(v.to_string())
        }
        "output" => v
            .parse::<crate::output::OutputFormat>()
            .map(|_| v.to_ascii_lowercase())
            .map_err(|_| bad("must be table, json or ndjson")),
        "ssh_port" => match v.parse::<u16>() {
            Ok(p) if p >= 1 => Ok(p.to_string()),
            _ => Err(bad("must be a port number from 1 to 65535")),
        },
        "marathon" | "cosmos" => crate::marathon_client::locate::parse_marathon_url(v)
            .map(|u| u.as_str().trim_end_matches('/').to_string())
            .map_err(|e| bad(&e)),
        _ => Ok(v.to_string()),
    }
}

impl Profile {
    /// The value of `key` as text, `None` when unset. Unknown key: exit 2.
    pub fn get(&self, key: &str) -> Result<Option<String>> {
        let key = canonical_key(key)?;
        Ok(match key {
            "master" => self.master.clone(),
            "scheme" => self.scheme.clone(),
            "principal" => self.principal.clone(),
            "secret_file" => self.secret_file.clone(),
            "ca_file" => self.ca_file.clone(),
            "insecure" => self.insecure.map(|b| b.to_string()),
            "timeout" => self.timeout.clone(),
            "output" => self.output.clone(),
            "ssh_user" => self.ssh_user.clone(),
            "ssh_key" => self.ssh_key.clone(),
            "ssh_port" => self.ssh_port.map(|p| p.to_string()),
            "marathon" => self.marathon.clone(),
            "cosmos" => self.cosmos.clone(),
            _ => unreachable!("canonical_key returned an unlisted key"),
        })
    }

    /// The value of `key` as typed JSON (`insecure` a bool, `ssh_port` a number).
    pub fn get_json(&self, key: &str) -> Result<Option<serde_json::Value>> {
        let key = canonical_key(key)?;
        Ok(match key {
            "insecure" => self.insecure.map(serde_json::Value::from),
            "ssh_port" => self.ssh_port.map(serde_json::Value::from),
            _ => self.get(key)?.map(serde_json::Value::from),
        })
    }

    /// Validate and set `key`. Unknown key or bad value: exit 2 naming both.
    /// Returns the canonical key.
    pub fn set(&mut self, key: &str, value: &str) -> Result<&'static str> {
        let key = canonical_key(key)?;
        let v = normalize_value(key, value)?;
        match key {
            "master" => self.master = Some(v),
            "scheme" => self.scheme = Some(v),
            "principal" => self.principal = Some(v),
            "secret_file" => self.secret_file = Some(v),
            "ca_file" => self.ca_file = Some(v),
            "insecure" => self.insecure = Some(v == "true"),
            "timeout" => self.timeout = Some(v),
            "output" => self.output = Some(v),
            "ssh_user" => self.ssh_user = Some(v),
            "ssh_key" => self.ssh_key = Some(v),
            "ssh_port" => self.ssh_port = Some(v.parse().expect("validated port")),
            "marathon" => self.marathon = Some(v),
            "cosmos" => self.cosmos = Some(v),
            _ => unreachable!("canonical_key returned an unlisted key"),
        }
        Ok(key)
    }

    /// Remove `key`; returns whether it was set. Unknown key: exit 2.
    pub fn unset(&mut self, key: &str) -> Result<bool> {
        let key = canonical_key(key)?;
        let was = self.get(key)?.is_some();
        match key {
            "master" => self.master = None,
            "scheme" => self.scheme = None,
            "principal" => self.principal = None,
            "secret_file" => self.secret_file = None,
            "ca_file" => self.ca_file = None,
            "insecure" => self.insecure = None,
            "timeout" => self.timeout = None,
            "output" => self.output = None,
            "ssh_user" => self.ssh_user = None,
            "ssh_key" => self.ssh_key = None,
            "ssh_port" => self.ssh_port = None,
            "marathon" => self.marathon = None,
            "cosmos" => self.cosmos = None,
            _ => unreachable!("canonical_key returned an unlisted key"),
        }
        Ok(was)
    }

    /// The keys that are set, with their values, in `PROFILE_KEYS` order.
    pub fn entries(&self) -> Vec<(&'static str, String)> {
        PROFILE_KEYS
            .iter()
            .filter_map(|k| self.get(k).ok().flatten().map(|v| (*k, v)))
            .collect()
    }

    /// A copy safe to display: credentials in `master` replaced by `***`.
    pub fn redacted(&self) -> Profile {
        let mut p = self.clone();
        p.master = p.master.as_deref().map(crate::leader::spec::redact_spec);
        p
    }
}

/// Profile names: letters, digits, `-`, `_` and `.`, not starting with `-`.
pub fn validate_profile_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(ConfigError::BadProfileName(name.to_string()).into())
    }
}

impl Config {
    /// Profile names joined with `, ` (or `none`), for messages.
    pub fn known_profiles(&self) -> String {
        self.profile_names()
    }

    /// The active profile's name, if it names an existing profile.
    pub fn active_profile(&self) -> Option<&str> {
        self.active
            .as_deref()
            .filter(|a| self.profiles.contains_key(*a))
    }

    /// An existing profile by name; exit 4 listing the known ones otherwise.
    pub fn existing(&self, name: &str) -> Result<&Profile> {
        self.profiles.get(name).ok_or_else(|| {
            ConfigError::NoProfile {
                name: name.to_string(),
                known: self.profile_names(),
            }
            .into()
        })
    }

    /// The config as TOML text (what `save_to` writes).
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string_pretty(self).map_err(|e| ConfigError::Encode(e.to_string()).into())
    }

    /// Parse TOML text (`source` names the file in errors).
    pub fn from_toml(text: &str, source: &Path) -> Result<Config> {
        toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|span| {
                    let before = text.get(..span.start).unwrap_or(text);
                    let line = before.matches('\n').count() + 1;
                    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    format!(" at line {line} column {col}")
                })
                .unwrap_or_default();
            ConfigError::Invalid {
                path: source.to_path_buf(),
                at,
                message: e.message().trim_end().to_string(),
            }
            .into()
        })
    }

    /// A copy safe to display (see [`Profile::redacted`]).
    pub fn redacted(&self) -> Config {
        Config {
            active: self.active.clone(),
            profiles: self
                .profiles
                .iter()
                .map(|(k, p)| (k.clone(), p.redacted()))
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------
// Import of the older Python mesos-cli JSON config (`~/.mesos.json`).
// ---------------------------------------------------------------------------

/// File name the older Python mesos-cli used (in `~`, `.`, `/etc`, ...).
pub const LEGACY_CONFIG_NAME: &str = ".mesos.json";

/// Default profile name for a single-profile legacy file.
pub const LEGACY_DEFAULT_NAME: &str = "imported";

/// What [`parse_legacy`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LegacyImport {
    /// Profiles to add, with their final names, in file order (sorted).
    pub profiles: Vec<(String, Profile)>,
    /// The profile the old file selected (`"profile": NAME`), renamed like the rest.
    pub selected: Option<String>,
    /// Things ignored or worth knowing, for stderr.
    pub notes: Vec<String>,
}

/// Parse the older mesos-cli JSON config.
///
/// Two shapes: a flat object of settings (imported as one profile named
/// `as_name`, default `imported`), or profiles: every top-level object value
/// is a profile of the same shape and `"profile": NAME` names the selected
/// one (imported under their own names, prefixed `AS-` when `as_name` is
/// given). `response_timeout` (seconds) becomes `timeout`; `log_level`,
/// `log_file`, `debug` and `max_workers` have no equivalent and are ignored
/// with a note. Errors name `source` and exit 1.
pub fn parse_legacy(text: &str, source: &Path, as_name: Option<&str>) -> Result<LegacyImport> {
    let file = source.display().to_string();
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| Error::failed(format!("{file} is not valid JSON: {e}")))?;
    let serde_json::Value::Object(top) = value else {
        return Err(Error::failed(format!(
            "{file}: expected a JSON object at the top level"
        )));
    };
    if let Some(n) = as_name {
        validate_profile_name(n)?;
    }
    let mut out = LegacyImport::default();
    let is_profiles = top.values().any(|v| v.is_object());
    if !is_profiles {
        let name = as_name.unwrap_or(LEGACY_DEFAULT_NAME).to_string();
        let p = legacy_profile(&top, &file, None, &mut out.notes)?;
        out.selected = Some(name.clone());
        out.profiles.push((name, p));
        return Ok(out);
    }
    let rename = |n: &str| match as_name {
        Some(prefix) => format!("{prefix}-{n}"),
        None => n.to_string(),
    };
    let mut ignored_top = Vec::new();
    for (k, v) in &top {
        match v {
            serde_json::Value::Object(obj) => {
                let name = rename(k);
                validate_profile_name(&name)
                    .map_err(|e| Error::failed(format!("{file}: {}", e.message)))?;
                let p = legacy_profile(obj, &file, Some(k), &mut out.notes)?;
                out.profiles.push((name, p));
            }
            _ if k == "profile" => {}
            serde_json::Value::Null => {}
            _ => ignored_top.push(k.as_str()),
        }
    }
    // Deterministic order whatever the JSON map keeps.
    out.profiles.sort_by(|a, b| a.0.cmp(&b.0));
    if !ignored_top.is_empty() {
        out.notes.push(format!(
            "ignored top-level {} (the old tool read settings only from the selected profile)",
            ignored_top.join(", ")
        ));
    }
    match top.get("profile") {
        Some(serde_json::Value::String(sel)) => {
            if top.get(sel).is_some_and(|v| v.is_object()) {
                out.selected = Some(rename(sel));
            } else {
                out.notes.push(format!(
                    "the file selects profile '{sel}', which it does not define"
                ));
            }
        }
        None | Some(serde_json::Value::Null) => {}
        Some(other) => {
            return Err(Error::failed(format!(
                "{file}: \"profile\" must be a profile name, not {other}"
            )))
        }
    }
    Ok(out)
}

/// One legacy settings object -> a profile.
fn legacy_profile(
    obj: &serde_json::Map<String, serde_json::Value>,
    file: &str,
    profile: Option<&str>,
    notes: &mut Vec<String>,
) -> Result<Profile> {
    use serde_json::Value;
    let place = match profile {
        Some(p) => format!("{file}: profile '{p}'"),
        None => file.to_string(),
    };
    let bad = |key: &str, v: &Value, why: &str| {
        Error::failed(format!("{place}: invalid {key} {v}: {why}"))
    };
    let mut p = Profile::default();
    let mut ignored = Vec::new();
    for (key, v) in obj {
        if v.is_null() {
            continue;
        }
        match key.as_str() {
            "master" => {
                let Value::String(s) = v else {
                    return Err(bad(key, v, "expected a string"));
                };
                if s.trim().is_empty() {
                    continue;
                }
                validate_master(s).map_err(|e| Error::failed(format!("{place}: {}", e.message)))?;
                p.master = Some(s.trim().to_string());
            }
            "scheme" => {
                let s = v.as_str().map(|s| s.trim().to_ascii_lowercase());
                match s.as_deref() {
                    Some(s @ ("http" | "https")) => p.scheme = Some(s.to_string()),
                    _ => return Err(bad(key, v, "must be \"http\" or \"https\"")),
                }
            }
            "response_timeout" => {
                let secs = match v {
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) => s.trim().parse::<f64>().ok(),
                    _ => None,
                };
                match secs {
                    Some(s) if s.is_finite() && s > 0.0 && s <= 1e9 => {
                        p.timeout = Some(format_seconds(s));
                    }
                    _ => return Err(bad(key, v, "expected a positive number of seconds")),
                }
            }
            "log_level" | "log_file" | "debug" | "max_workers" => ignored.push(key.as_str()),
            // The selector inside a flat file is meaningless; skip it quietly.
            "profile" if profile.is_none() => {}
            other => notes.push(format!("{place}: ignored unknown key '{other}'")),
        }
    }
    if ignored.contains(&"max_workers") {
        notes.push(format!(
            "{place}: ignored max_workers (mesos chooses its own concurrency)"
        ));
    }
    let logging: Vec<&str> = ignored
        .into_iter()
        .filter(|k| *k != "max_workers")
        .collect();
    if !logging.is_empty() {
        notes.push(format!(
            "{place}: ignored {} (no equivalent; use -v for more detail on stderr)",
            logging.join(", ")
        ));
    }
    Ok(p)
}

/// `5` -> `5s`, `0.5` -> `500ms`, `1.25` -> `1250ms`.
fn format_seconds(s: f64) -> String {
    if s.fract() == 0.0 {
        format!("{}s", s as u64)
    } else {
        let ms = s * 1000.0;
        if ms.fract() == 0.0 {
            format!("{}ms", ms as u64)
        } else {
            format!("{s}s")
        }
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
