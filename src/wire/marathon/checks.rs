//! Health and readiness checks of an app (`healthChecks`, `readinessChecks`).

use serde::{Deserialize, Serialize};

use crate::wire::de;

/// Health check protocols (`MESOS_*` and `COMMAND` run on the agent).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HealthProtocol {
    #[default]
    Http,
    Https,
    Tcp,
    Command,
    MesosHttp,
    MesosHttps,
    MesosTcp,
}

impl HealthProtocol {
    /// Checked by the executor on the agent (`TaskInfo.health_check`)
    /// rather than by the scheduler.
    pub fn is_mesos(self) -> bool {
        matches!(
            self,
            HealthProtocol::Command
                | HealthProtocol::MesosHttp
                | HealthProtocol::MesosHttps
                | HealthProtocol::MesosTcp
        )
    }
    pub fn is_http(self) -> bool {
        matches!(
            self,
            HealthProtocol::Http
                | HealthProtocol::Https
                | HealthProtocol::MesosHttp
                | HealthProtocol::MesosHttps
        )
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommandCheck {
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheck {
    #[serde(default)]
    pub protocol: HealthProtocol,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<CommandCheck>,
    #[serde(default = "d_grace", deserialize_with = "de::u64")]
    pub grace_period_seconds: u64,
    #[serde(default = "d_interval", deserialize_with = "de::u64")]
    pub interval_seconds: u64,
    #[serde(default = "d_timeout", deserialize_with = "de::u64")]
    pub timeout_seconds: u64,
    #[serde(default = "d_max_failures", deserialize_with = "de::u64")]
    pub max_consecutive_failures: u64,
    /// `delaySeconds` (15): Mesos-level checks only; Marathon writes it
    /// for them and never for `HTTP`/`HTTPS`/`TCP` ([`HealthCheck::normalize`]).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt_u64"
    )]
    pub delay_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_index: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_http1xx: Option<bool>,
}

fn d_grace() -> u64 {
    300
}
fn d_interval() -> u64 {
    60
}
fn d_timeout() -> u64 {
    20
}
fn d_max_failures() -> u64 {
    3
}
/// `delaySeconds` default.
pub const DEFAULT_CHECK_DELAY_SECONDS: u64 = 15;

impl HealthCheck {
    /// Fill in what Marathon fills in per protocol: `path` `/` for HTTP
    /// kinds, `portIndex` 0 when neither it nor `port` is given (not for
    /// COMMAND), `ignoreHttp1xx` false for HTTP/HTTPS, `delaySeconds` 15
    /// for Mesos-level checks (none for the others).
    pub fn normalize(&mut self) {
        if self.protocol.is_mesos() {
            self.delay_seconds
                .get_or_insert(DEFAULT_CHECK_DELAY_SECONDS);
        } else {
            self.delay_seconds = None;
        }
        if self.protocol.is_http() && self.path.is_none() {
            self.path = Some("/".into());
        }
        if !self.protocol.is_http() {
            self.path = None;
        }
        if self.protocol == HealthProtocol::Command {
            self.port_index = None;
        } else if self.port.is_none() && self.port_index.is_none() {
            self.port_index = Some(0);
        }
        if matches!(self.protocol, HealthProtocol::Http | HealthProtocol::Https) {
            self.ignore_http1xx.get_or_insert(false);
        } else {
            self.ignore_http1xx = None;
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadinessCheck {
    #[serde(default = "d_readiness_name")]
    pub name: String,
    #[serde(default = "d_http")]
    pub protocol: String,
    #[serde(default = "d_slash")]
    pub path: String,
    #[serde(default = "d_port_name")]
    pub port_name: String,
    #[serde(default = "d_readiness_interval", deserialize_with = "de::u64")]
    pub interval_seconds: u64,
    #[serde(default = "d_readiness_timeout", deserialize_with = "de::u64")]
    pub timeout_seconds: u64,
    #[serde(default = "d_ready_codes")]
    pub http_status_codes_for_ready: Vec<u16>,
    #[serde(default, deserialize_with = "de::bool")]
    pub preserve_last_response: bool,
}

fn d_readiness_name() -> String {
    "readinessCheck".into()
}
fn d_http() -> String {
    "HTTP".into()
}
fn d_slash() -> String {
    "/".into()
}
fn d_port_name() -> String {
    "http-api".into()
}
fn d_readiness_interval() -> u64 {
    30
}
fn d_readiness_timeout() -> u64 {
    10
}
fn d_ready_codes() -> Vec<u16> {
    vec![200]
}
