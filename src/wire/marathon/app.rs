//! `AppDefinition` (request and response JSON of `/v2/apps`) and its parts.

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::checks::{HealthCheck, ReadinessCheck};
use super::container::{Container, Network, Residency, Secret};
use super::path::PathId;
use super::task::{LastTaskFailure, MarathonTask};
use super::{num, opt_num};
use crate::wire::de;

/// An app as stored and as written in `GET /v2/apps` (defaults filled in).
/// Read-only output fields (counts, tasks) live in [`AppView`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppDefinition {
    pub id: PathId,
    #[serde(
        default = "d_backoff_factor",
        serialize_with = "num",
        deserialize_with = "de::f64"
    )]
    pub backoff_factor: f64,
    #[serde(
        default = "d_one",
        serialize_with = "num",
        deserialize_with = "de::f64"
    )]
    pub backoff_seconds: f64,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt_string"
    )]
    pub cmd: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::vec"
    )]
    pub args: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt_string"
    )]
    pub user: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "de::map"
    )]
    pub env: BTreeMap<String, EnvValue>,
    #[serde(default = "d_instances", deserialize_with = "instances")]
    pub instances: u32,
    #[serde(
        default = "d_one",
        serialize_with = "num",
        deserialize_with = "de::f64"
    )]
    pub cpus: f64,
    #[serde(
        default = "d_mem",
        serialize_with = "num",
        deserialize_with = "de::f64"
    )]
    pub mem: f64,
    #[serde(default, serialize_with = "num", deserialize_with = "de::f64")]
    pub disk: f64,
    #[serde(default, serialize_with = "num", deserialize_with = "de::f64")]
    pub gpus: f64,
    #[serde(default, deserialize_with = "de::string")]
    pub executor: String,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::vec"
    )]
    pub constraints: Vec<Constraint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_resource_roles: Option<Vec<String>>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "de::string_map"
    )]
    pub labels: BTreeMap<String, String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::vec"
    )]
    pub fetch: Vec<Fetch>,
    /// Deprecated input form of `fetch` (read, never written).
    #[serde(default, skip_serializing, deserialize_with = "de::vec")]
    pub uris: Vec<String>,
    /// Host-networking ports; `None` for container networking (the ports
    /// are then `container.portMappings`). See [`AppDefinition::normalize`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_definitions: Option<Vec<PortDefinition>>,
    /// Deprecated input form of `portDefinitions` (read, never written).
    #[serde(default, skip_serializing)]
    pub ports: Option<Vec<u32>>,
    #[serde(default, deserialize_with = "de::bool")]
    pub require_ports: bool,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::vec"
    )]
    pub health_checks: Vec<HealthCheck>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::vec"
    )]
    pub readiness_checks: Vec<ReadinessCheck>,
    #[serde(
        default = "d_max_launch_delay",
        serialize_with = "num",
        deserialize_with = "de::f64"
    )]
    pub max_launch_delay_seconds: f64,
    #[serde(default)]
    pub upgrade_strategy: UpgradeStrategy,
    #[serde(default)]
    pub kill_selection: KillSelection,
    #[serde(default)]
    pub unreachable_strategy: UnreachableStrategy,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_num",
        deserialize_with = "de::opt_f64"
    )]
    pub task_kill_grace_period_seconds: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<Container>,
    #[serde(default, deserialize_with = "de::vec")]
    pub networks: Vec<Network>,
    /// Deprecated IP-per-task settings (read, never written).
    #[serde(default, skip_serializing)]
    pub ip_address: Option<Value>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::vec"
    )]
    pub dependencies: Vec<PathId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residency: Option<Residency>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "de::map"
    )]
    pub secrets: BTreeMap<String, Secret>,
    /// 1.5+; written only when set (marathon-python rejects the key).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt_bool"
    )]
    pub tty: Option<bool>,
    /// Set by the server; on input only meaningful in updates (roll back
    /// to this version).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt_string"
    )]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_info: Option<VersionInfo>,
}

fn d_backoff_factor() -> f64 {
    1.15
}
fn d_one() -> f64 {
    1.0
}
fn d_instances() -> u32 {
    1
}
fn d_mem() -> f64 {
    128.0
}
fn d_max_launch_delay() -> f64 {
    3600.0
}

/// `instances`: a whole number >= 0 (Marathon answers 422 otherwise; here
/// the reader refuses, and the API maps it to 400 "Invalid JSON").
fn instances<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let v = de::f64(d)?;
    if v < 0.0 || v.fract() != 0.0 || v > u32::MAX as f64 {
        return Err(D::Error::custom(format!(
            "instances must be a whole number >= 0, got {v}"
        )));
    }
    Ok(v as u32)
}

impl AppDefinition {
    /// A minimal app: `id` and defaults (what `{"id": ...}` reads as).
    pub fn new(id: PathId) -> AppDefinition {
        let mut app: AppDefinition = serde_json::from_str(r#"{"id":"/"}"#).expect("defaults");
        app.id = id;
        app
    }

    /// Whether the app uses host networking (no `networks`, or `host`).
    pub fn host_networking(&self) -> bool {
        self.networks.is_empty() || self.networks.iter().any(|n| n.mode == "host")
    }

    /// Bring deprecated and implied forms to the canonical 1.5 form, as
    /// Marathon's normalization does: `uris` -> `fetch`, `ports` ->
    /// `portDefinitions`, the default port definition for host networking,
    /// `networks` defaulting to host, and the health check defaults per
    /// protocol. Idempotent.
    pub fn normalize(&mut self) {
        for uri in std::mem::take(&mut self.uris) {
            self.fetch.push(Fetch::new(uri));
        }
        if self.networks.is_empty() {
            self.networks = vec![Network {
                mode: "host".into(),
                name: None,
                labels: None,
            }];
        }
        if let Some(ports) = self.ports.take() {
            if self.port_definitions.is_none() {
                self.port_definitions = Some(ports.into_iter().map(PortDefinition::port).collect());
            }
        }
        if self.host_networking() {
            if self.port_definitions.is_none() {
                let mut p = PortDefinition::port(0);
                p.name = Some("default".into());
                self.port_definitions = Some(vec![p]);
            }
        } else {
            self.port_definitions = None;
        }
        for hc in &mut self.health_checks {
            hc.normalize();
        }
    }

    /// The service ports (`portDefinitions[].port`, or the mappings'
    /// `servicePort`).
    pub fn service_ports(&self) -> Vec<u32> {
        match &self.port_definitions {
            Some(p) => p.iter().map(|d| d.port).collect(),
            None => self
                .container
                .as_ref()
                .map(|c| c.port_mappings().iter().map(|m| m.service_port).collect())
                .unwrap_or_default(),
        }
    }

    /// Apply a partial update (`PUT ?partialUpdate=true`, `PATCH`): every
    /// top-level key present in `patch` replaces the app's, as Marathon's
    /// `AppUpdate` does; the id stays.
    pub fn updated(
        &self,
        patch: &serde_json::Map<String, Value>,
    ) -> Result<AppDefinition, serde_json::Error> {
        let mut base = match serde_json::to_value(self)? {
            Value::Object(m) => m,
            _ => unreachable!("an app serializes to an object"),
        };
        for (k, v) in patch {
            if k != "id" {
                base.insert(k.clone(), v.clone());
            }
        }
        let mut app: AppDefinition = serde_json::from_value(Value::Object(base))?;
        app.id = self.id.clone();
        Ok(app)
    }

    /// Whether going from `self` to `to` needs new tasks (a rolling
    /// restart) rather than only scaling: any change but `instances`,
    /// `version`, `versionInfo` (§4.4 of docs/marathon.md).
    pub fn needs_restart(&self, to: &AppDefinition) -> bool {
        let mut a = self.clone();
        let mut b = to.clone();
        a.instances = 0;
        b.instances = 0;
        a.version = None;
        b.version = None;
        a.version_info = None;
        b.version_info = None;
        a != b
    }
}

/// A value of `env`: a string or a secret reference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum EnvValue {
    Value(String),
    Secret { secret: String },
}

impl EnvValue {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            EnvValue::Value(s) => Some(s),
            EnvValue::Secret { .. } => None,
        }
    }
}

/// `[field, OPERATOR]` or `[field, OPERATOR, value]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Constraint(pub Vec<String>);

impl Constraint {
    pub fn field(&self) -> &str {
        self.0.first().map(String::as_str).unwrap_or("")
    }
    pub fn operator(&self) -> &str {
        self.0.get(1).map(String::as_str).unwrap_or("")
    }
    pub fn value(&self) -> Option<&str> {
        self.0.get(2).map(String::as_str)
    }
}

impl<'de> Deserialize<'de> for Constraint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items: Vec<Value> = Vec::deserialize(d)?;
        items
            .iter()
            .map(|v| {
                de::string_of(v)
                    .ok_or_else(|| D::Error::custom(format!("a constraint holds strings, got {v}")))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Constraint)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fetch {
    pub uri: String,
    #[serde(default = "d_true", deserialize_with = "de::bool")]
    pub extract: bool,
    #[serde(default, deserialize_with = "de::bool")]
    pub executable: bool,
    #[serde(default, deserialize_with = "de::bool")]
    pub cache: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dest_path: Option<String>,
}

fn d_true() -> bool {
    true
}

impl Fetch {
    pub fn new(uri: String) -> Fetch {
        Fetch {
            uri,
            extract: true,
            executable: false,
            cache: false,
            dest_path: None,
        }
    }
}

/// One host port of a host-networking app. `port` is the service port
/// (0 = assign one from the scheduler's local port range).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortDefinition {
    #[serde(default)]
    pub port: u32,
    #[serde(default = "d_tcp")]
    pub protocol: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "de::string_map")]
    pub labels: BTreeMap<String, String>,
}

pub(super) fn d_tcp() -> String {
    "tcp".into()
}

impl PortDefinition {
    pub fn port(port: u32) -> PortDefinition {
        PortDefinition {
            port,
            protocol: d_tcp(),
            name: None,
            labels: BTreeMap::new(),
        }
    }
}

/// Rolling replacement bounds, fractions of `instances` in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpgradeStrategy {
    #[serde(
        default = "d_one",
        serialize_with = "num",
        deserialize_with = "de::f64"
    )]
    pub minimum_health_capacity: f64,
    #[serde(
        default = "d_one",
        serialize_with = "num",
        deserialize_with = "de::f64"
    )]
    pub maximum_over_capacity: f64,
}

impl Default for UpgradeStrategy {
    fn default() -> Self {
        UpgradeStrategy {
            minimum_health_capacity: 1.0,
            maximum_over_capacity: 1.0,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KillSelection {
    #[default]
    YoungestFirst,
    OldestFirst,
}

/// What to do with instances on unreachable agents: replace after
/// `inactiveAfterSeconds`, expunge after `expungeAfterSeconds`, or wait
/// forever (`"disabled"`). The default `{0, 0}` (replace at once) is
/// Marathon 1.5.1+'s.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum UnreachableStrategy {
    Enabled {
        inactive_after_seconds: u64,
        expunge_after_seconds: u64,
    },
    Disabled,
}

impl Default for UnreachableStrategy {
    fn default() -> Self {
        UnreachableStrategy::Enabled {
            inactive_after_seconds: 0,
            expunge_after_seconds: 0,
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct UnreachableEnabled {
    #[serde(default, deserialize_with = "de::u64")]
    inactive_after_seconds: u64,
    #[serde(default, deserialize_with = "de::u64")]
    expunge_after_seconds: u64,
}

impl Serialize for UnreachableStrategy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            UnreachableStrategy::Disabled => s.serialize_str("disabled"),
            UnreachableStrategy::Enabled {
                inactive_after_seconds,
                expunge_after_seconds,
            } => UnreachableEnabled {
                inactive_after_seconds,
                expunge_after_seconds,
            }
            .serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for UnreachableStrategy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Word(String),
            Enabled(UnreachableEnabled),
        }
        match Form::deserialize(d)? {
            Form::Word(w) if w == "disabled" => Ok(UnreachableStrategy::Disabled),
            Form::Word(w) => Err(D::Error::custom(format!(
                "unreachableStrategy must be \"disabled\" or an object, got \"{w}\""
            ))),
            Form::Enabled(e) => Ok(UnreachableStrategy::Enabled {
                inactive_after_seconds: e.inactive_after_seconds,
                expunge_after_seconds: e.expunge_after_seconds,
            }),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionInfo {
    pub last_scaling_at: String,
    pub last_config_change_at: String,
}

/// An app as `GET /v2/apps` and `GET /v2/apps/{id}` write it: the
/// definition, the task counts (always, as 1.5 does), the deployments, and
/// the tasks and last failure when embedded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppView {
    #[serde(flatten)]
    pub app: AppDefinition,
    #[serde(default)]
    pub tasks_staged: u32,
    #[serde(default)]
    pub tasks_running: u32,
    #[serde(default)]
    pub tasks_healthy: u32,
    #[serde(default)]
    pub tasks_unhealthy: u32,
    #[serde(default, deserialize_with = "de::vec")]
    pub deployments: Vec<DeploymentRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<MarathonTask>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_task_failure: Option<LastTaskFailure>,
    /// With `embed=apps.readiness`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_check_results: Option<Vec<super::deployment::ReadinessCheckResult>>,
    /// With `embed=apps.taskStats`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_stats: Option<super::stats::TaskStatsByVersion>,
}

/// `{"id": "<deployment id>"}` in an app's `deployments`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeploymentRef {
    pub id: String,
}
