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
mod tests {
    use super::*;

    fn sample() -> Config {
        let mut prod = Profile::default();
        prod.set("master", "zk://ops:pw@zk1:2181,zk2:2181/mesos")
            .unwrap();
        prod.set("timeout", "10s").unwrap();
        prod.set("insecure", "true").unwrap();
        prod.set("ssh-port", "2222").unwrap();
        prod.set("secret_file", "~/.mesos/prod.secret").unwrap();
        let mut dev = Profile::default();
        dev.set("master", "localhost:5050").unwrap();
        Config {
            active: Some("prod".into()),
            profiles: [("prod".to_string(), prod), ("dev".to_string(), dev)].into(),
        }
    }

    #[test]
    fn toml_round_trips() {
        let cfg = sample();
        let text = cfg.to_toml().unwrap();
        assert!(text.contains("active = \"prod\""), "{text}");
        assert!(text.contains("[profiles.prod]"), "{text}");
        assert!(text.contains("ssh_port = 2222"), "{text}");
        assert!(text.contains("insecure = true"), "{text}");
        let back = Config::from_toml(&text, Path::new("x.toml")).unwrap();
        assert_eq!(back, cfg);
    }

    #[test]
    fn save_and_load_round_trip_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("config.toml");
        assert_eq!(Config::load_from(&path).unwrap(), Config::default());
        let cfg = sample();
        cfg.save_to(&path).unwrap();
        assert_eq!(Config::load_from(&path).unwrap(), cfg);
        // No temp files left behind.
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("config.toml")]);
    }

    #[test]
    fn parses_the_documented_example() {
        let text = r#"
active = "prod"

[profiles.prod]
master = "zk://zk1:2181,zk2:2181/mesos"
principal = "ops"
secret_file = "/etc/mesos/ops.secret"
ca_file = "/etc/ssl/mesos-ca.pem"
output = "table"
ssh_user = "core"
ssh_key = "~/.ssh/id_ed25519"
"#;
        let cfg = Config::from_toml(text, Path::new("c.toml")).unwrap();
        let (name, p) = cfg.select(None).unwrap().unwrap();
        assert_eq!(name, "prod");
        assert_eq!(p.principal.as_deref(), Some("ops"));
        assert_eq!(p.ssh_user.as_deref(), Some("core"));
    }

    #[test]
    fn invalid_toml_names_the_file_and_position() {
        let e = Config::from_toml("active = \"a\"\nmaster = = 1\n", Path::new("/x/c.toml"))
            .unwrap_err();
        assert_eq!(e.exit_code(), 1);
        assert!(e.message.contains("/x/c.toml"), "{}", e.message);
        assert!(e.message.contains("line 2"), "{}", e.message);
        // Unknown keys are rejected, not silently dropped.
        let e =
            Config::from_toml("[profiles.a]\nmastr = \"x\"\n", Path::new("c.toml")).unwrap_err();
        assert!(e.message.contains("mastr"), "{}", e.message);
    }

    #[test]
    fn get_set_unset_by_key() {
        let mut p = Profile::default();
        assert_eq!(p.get("master").unwrap(), None);
        assert_eq!(p.set("MASTER", " m1:5050,m2:5050 ").unwrap(), "master");
        assert_eq!(p.get("master").unwrap().as_deref(), Some("m1:5050,m2:5050"));
        p.set("scheme", "HTTPS").unwrap();
        assert_eq!(p.scheme.as_deref(), Some("https"));
        p.set("output", "JSON").unwrap();
        assert_eq!(p.output.as_deref(), Some("json"));
        p.set("ssh_port", "22").unwrap();
        assert_eq!(p.get_json("ssh_port").unwrap(), Some(serde_json::json!(22)));
        p.set("insecure", "false").unwrap();
        assert_eq!(
            p.get_json("insecure").unwrap(),
            Some(serde_json::json!(false))
        );
        assert!(p.unset("ssh_port").unwrap());
        assert!(!p.unset("ssh_port").unwrap());
        assert_eq!(p.ssh_port, None);
        let keys: Vec<&str> = p.entries().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["master", "scheme", "insecure", "output"]);
    }

    #[test]
    fn unknown_keys_exit_2_and_list_the_valid_ones() {
        let p = Profile::default();
        let e = p.get("nope").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.message.contains("'nope'") && e.message.contains("ssh_port"),
            "{}",
            e.message
        );
        let e = canonical_key("secret").unwrap_err();
        assert!(e.hint.unwrap().contains("secret_file"));
    }

    #[test]
    fn bad_values_exit_2_naming_key_and_value() {
        let cases = [
            ("scheme", "ftp"),
            ("insecure", "maybe"),
            ("timeout", "soon"),
            ("timeout", "0s"),
            ("output", "yaml"),
            ("ssh_port", "0"),
            ("ssh_port", "70000"),
            ("master", "host:notaport"),
            ("master", "ftp://m1:5050"),
            ("master", "zk://zk1:2181"),
        ];
        for (k, v) in cases {
            let mut p = Profile::default();
            let e = p.set(k, v).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{k}={v}: {}", e.message);
            assert!(e.message.contains(k), "{k}={v}: {}", e.message);
            assert!(e.message.contains(v), "{k}={v}: {}", e.message);
            assert_eq!(p, Profile::default(), "{k}={v} changed the profile");
        }
        let e = Profile::default().set("principal", "  ").unwrap_err();
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn master_errors_do_not_leak_zk_passwords() {
        let e = validate_master("zk://ops:hunter2@zk1:notaport/mesos").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(!e.message.contains("hunter2"), "{}", e.message);
        assert!(e.message.contains("master"), "{}", e.message);
    }

    #[test]
    fn redacted_hides_zk_passwords_only() {
        let shown = sample().redacted();
        let m = shown.profiles["prod"].master.as_deref().unwrap();
        assert!(!m.contains("pw@") && m.contains("***"), "{m}");
        assert_eq!(shown.profiles["dev"], sample().profiles["dev"]);
    }

    #[test]
    fn profile_names_are_checked() {
        for ok in ["prod", "dc-1", "a.b_c"] {
            validate_profile_name(ok).unwrap();
        }
        for bad in ["", "-x", "a b", "a/b", "prod]"] {
            assert_eq!(
                validate_profile_name(bad).unwrap_err().exit_code(),
                2,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn active_profile_ignores_a_dangling_name() {
        let mut cfg = sample();
        assert_eq!(cfg.active_profile(), Some("prod"));
        cfg.active = Some("gone".into());
        assert_eq!(cfg.active_profile(), None);
        assert_eq!(cfg.existing("gone").unwrap_err().exit_code(), 4);
    }

    // --- legacy importer ---

    fn legacy(text: &str, as_name: Option<&str>) -> Result<LegacyImport> {
        parse_legacy(text, Path::new("/home/u/.mesos.json"), as_name)
    }

    #[test]
    fn imports_a_flat_file_as_one_profile() {
        let imp = legacy(
            r#"{"master": "m1:5050", "scheme": "https", "response_timeout": 5,
                "log_level": "debug", "log_file": null, "debug": "false", "max_workers": 5}"#,
            None,
        )
        .unwrap();
        assert_eq!(imp.profiles.len(), 1);
        let (name, p) = &imp.profiles[0];
        assert_eq!(name, "imported");
        assert_eq!(p.master.as_deref(), Some("m1:5050"));
        assert_eq!(p.scheme.as_deref(), Some("https"));
        assert_eq!(p.timeout.as_deref(), Some("5s"));
        assert_eq!(imp.selected.as_deref(), Some("imported"));
        let notes = imp.notes.join("\n");
        assert!(notes.contains("max_workers"), "{notes}");
        assert!(notes.contains("log_level"), "{notes}");
        assert!(
            !notes.contains("log_file"),
            "null values are silently skipped: {notes}"
        );
    }

    #[test]
    fn flat_file_honours_as() {
        let imp = legacy(r#"{"master": "zk://zk1:2181/mesos"}"#, Some("old")).unwrap();
        assert_eq!(imp.profiles[0].0, "old");
        assert_eq!(imp.selected.as_deref(), Some("old"));
    }

    #[test]
    fn imports_profiles_under_their_names() {
        let text = r#"{"profile": "prod",
            "prod": {"master": "zk://zk1:2181,zk2:2181/mesos", "response_timeout": 0.5},
            "dev": {"master": "localhost:5050", "scheme": "http", "max_workers": 5}}"#;
        let imp = legacy(text, None).unwrap();
        let names: Vec<&str> = imp.profiles.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["dev", "prod"]);
        assert_eq!(imp.selected.as_deref(), Some("prod"));
        let prod = &imp.profiles[1].1;
        assert_eq!(prod.master.as_deref(), Some("zk://zk1:2181,zk2:2181/mesos"));
        assert_eq!(prod.timeout.as_deref(), Some("500ms"));
        assert!(imp
            .notes
            .iter()
            .any(|n| n.contains("'dev'") && n.contains("max_workers")));

        let imp = legacy(text, Some("old")).unwrap();
        let names: Vec<&str> = imp.profiles.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["old-dev", "old-prod"]);
        assert_eq!(imp.selected.as_deref(), Some("old-prod"));
    }

    #[test]
    fn a_dangling_selection_is_a_note() {
        let imp = legacy(r#"{"profile": "gone", "a": {"master": "m:5050"}}"#, None).unwrap();
        assert_eq!(imp.selected, None);
        assert!(imp.notes.iter().any(|n| n.contains("gone")));
    }

    #[test]
    fn invalid_json_names_the_file_and_position() {
        let e = legacy("{\n  \"master\": \"m1\",\n}", None).unwrap_err();
        assert_eq!(e.exit_code(), 1);
        assert!(e.message.contains("/home/u/.mesos.json"), "{}", e.message);
        assert!(e.message.contains("line 3"), "{}", e.message);
        let e = legacy("[1, 2]", None).unwrap_err();
        assert!(e.message.contains("object"), "{}", e.message);
    }

    #[test]
    fn invalid_legacy_values_are_errors_naming_the_key() {
        for text in [
            r#"{"master": "host:notaport"}"#,
            r#"{"scheme": "gopher"}"#,
            r#"{"response_timeout": -1}"#,
            r#"{"response_timeout": "soon"}"#,
            r#"{"master": 5050}"#,
            r#"{"p": {"scheme": "gopher"}}"#,
        ] {
            let e = legacy(text, None).unwrap_err();
            assert_eq!(e.exit_code(), 1, "{text}: {}", e.message);
            assert!(
                e.message.contains("/home/u/.mesos.json"),
                "{text}: {}",
                e.message
            );
            assert!(
                e.message.contains("master")
                    || e.message.contains("scheme")
                    || e.message.contains("response_timeout"),
                "{text}: {}",
                e.message
            );
        }
    }

    #[test]
    fn seconds_format_compactly() {
        assert_eq!(format_seconds(5.0), "5s");
        assert_eq!(format_seconds(0.25), "250ms");
        assert_eq!(format_seconds(1.0005), "1.0005s");
        for s in [5.0, 0.25, 1.0005] {
            let d = crate::duration::parse_duration(&format_seconds(s)).unwrap();
            assert!((d.as_secs_f64() - s).abs() < 1e-9);
        }
    }
}
