//! `HealthCheck` of a `TaskInfo` (v1 protobuf JSON): what the agent's
//! command executor runs (docs/agent-design.md#health-checks).
//!
//! Every field is optional on the wire and kept only if it was sent, so a
//! TaskInfo is reported as it was launched; unknown fields survive in
//! `other`. The protobuf defaults are applied by the accessors.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::agent_v1::{CommandInfo, Extra};
use super::de;

/// `HealthCheck.delay_seconds` default.
pub const DEFAULT_DELAY: f64 = 15.0;
/// `HealthCheck.interval_seconds` default.
pub const DEFAULT_INTERVAL: f64 = 10.0;
/// `HealthCheck.timeout_seconds` default.
pub const DEFAULT_TIMEOUT: f64 = 20.0;
/// `HealthCheck.consecutive_failures` default.
pub const DEFAULT_CONSECUTIVE_FAILURES: u64 = 3;
/// `HealthCheck.grace_period_seconds` default.
pub const DEFAULT_GRACE_PERIOD: f64 = 10.0;

/// `HealthCheck`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HealthCheck {
    /// `COMMAND`, `HTTP` or `TCP`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<CommandInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpCheckInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp: Option<TcpCheckInfo>,
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub delay_seconds: Option<f64>,
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub interval_seconds: Option<f64>,
    /// 0 means no timeout.
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub timeout_seconds: Option<f64>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub consecutive_failures: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub grace_period_seconds: Option<f64>,
    #[serde(flatten)]
    pub other: Extra,
}

/// `HealthCheck.HTTPCheckInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HttpCheckInfo {
    /// `http` (default) or `https`.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub scheme: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub port: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub path: Option<String>,
    /// Statuses counted as healthy (else 200-399).
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub statuses: Vec<u32>,
    /// `IPv4` (default) or `IPv6`.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub protocol: Option<String>,
    #[serde(flatten)]
    pub other: Extra,
}

/// `HealthCheck.TCPCheckInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TcpCheckInfo {
    #[serde(
        default,
        deserialize_with = "de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub port: Option<u64>,
    /// `IPv4` (default) or `IPv6`.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub protocol: Option<String>,
    #[serde(flatten)]
    pub other: Extra,
}

/// What a valid [`HealthCheck`] probes.
#[derive(Clone, Debug, PartialEq)]
pub enum Probe {
    /// Run a command (`/bin/sh -c value` when `shell`, else `value` with
    /// `arguments` as argv); exit 0 is healthy.
    Command(CommandInfo),
    /// GET `<scheme>://<loopback>:<port><path>`.
    Http {
        scheme: String,
        port: u16,
        path: String,
        statuses: Vec<u32>,
        ipv6: bool,
    },
    /// Connect to `<loopback>:<port>`.
    Tcp { port: u16, ipv6: bool },
}

fn secs(v: Option<f64>, default: f64) -> f64 {
    v.unwrap_or(default)
}

/// Seconds as a duration (negative: zero; too large: the longest).
pub(super) fn duration(v: f64) -> Duration {
    Duration::try_from_secs_f64(v.max(0.0)).unwrap_or(Duration::MAX)
}

/// Mesos' check of the seconds fields of a (health) check: each one sent
/// is a finite non-negative number.
pub(super) fn non_negative(fields: &[(&str, Option<f64>)]) -> Result<(), String> {
    for (name, v) in fields {
        if let Some(v) = v {
            if !(*v >= 0.0 && v.is_finite()) {
                return Err(format!("Expecting '{name}' to be non-negative, got {v}"));
            }
        }
    }
    Ok(())
}

fn port_of(port: Option<u64>, what: &str) -> Result<u16, String> {
    match port {
        None => Err(format!("{what} health check has no 'port'")),
        Some(p) => u16::try_from(p)
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| format!("{what} health check port {p} is not a valid port")),
    }
}

fn ipv6(protocol: Option<&str>) -> Result<bool, String> {
    match protocol {
        None | Some("IPv4") => Ok(false),
        Some("IPv6") => Ok(true),
        Some(other) => Err(format!(
            "'{other}' is not a valid health check protocol (IPv4 or IPv6)"
        )),
    }
}

impl HealthCheck {
    pub fn delay(&self) -> Duration {
        duration(secs(self.delay_seconds, DEFAULT_DELAY))
    }

    pub fn interval(&self) -> Duration {
        duration(secs(self.interval_seconds, DEFAULT_INTERVAL))
    }

    /// The bound of one attempt; `None` when `timeout_seconds` is 0
    /// (no timeout, as in Mesos).
    pub fn timeout(&self) -> Option<Duration> {
        let t = secs(self.timeout_seconds, DEFAULT_TIMEOUT);
        (t > 0.0).then(|| duration(t))
    }

    pub fn grace_period(&self) -> Duration {
        duration(secs(self.grace_period_seconds, DEFAULT_GRACE_PERIOD))
    }

    pub fn consecutive_failures(&self) -> u64 {
        self.consecutive_failures
            .unwrap_or(DEFAULT_CONSECUTIVE_FAILURES)
    }

    /// The type name (for logs and messages).
    pub fn type_name(&self) -> &str {
        self.kind.as_deref().unwrap_or("UNKNOWN")
    }

    /// Validate as Mesos does and say what to probe; the error is one line
    /// naming what is wrong.
    pub fn probe(&self) -> Result<Probe, String> {
        non_negative(&[
            ("delay_seconds", self.delay_seconds),
            ("interval_seconds", self.interval_seconds),
            ("timeout_seconds", self.timeout_seconds),
            ("grace_period_seconds", self.grace_period_seconds),
        ])?;
        match self.kind.as_deref() {
            None => Err("HealthCheck must specify 'type'".into()),
            Some("COMMAND") => {
                let c = self
                    .command
                    .as_ref()
                    .ok_or("Expecting 'command' to be set for COMMAND health check")?;
                if c.value.as_deref().is_none_or(str::is_empty) {
                    return Err(format!(
                        "Command health check must contain {}",
                        if c.shell() {
                            "'shell command'"
                        } else {
                            "'executable path'"
                        }
                    ));
                }
                Ok(Probe::Command(c.clone()))
            }
            Some("HTTP") => {
                let h = self
                    .http
                    .as_ref()
                    .ok_or("Expecting 'http' to be set for HTTP health check")?;
                let scheme = h.scheme.clone().unwrap_or_else(|| "http".into());
                if scheme != "http" && scheme != "https" {
                    return Err(format!("Unsupported HTTP health check scheme: '{scheme}'"));
                }
                let path = h.path.clone().unwrap_or_default();
                if !path.is_empty() && !path.starts_with('/') {
                    return Err(format!(
                        "The path '{path}' of HTTP health check must start with '/'"
                    ));
                }
                Ok(Probe::Http {
                    scheme,
                    port: port_of(h.port, "HTTP")?,
                    path,
                    statuses: h.statuses.clone(),
                    ipv6: ipv6(h.protocol.as_deref())?,
                })
            }
            Some("TCP") => {
                let t = self
                    .tcp
                    .as_ref()
                    .ok_or("Expecting 'tcp' to be set for TCP health check")?;
                Ok(Probe::Tcp {
                    port: port_of(t.port, "TCP")?,
                    ipv6: ipv6(t.protocol.as_deref())?,
                })
            }
            Some(other) => Err(format!("'{other}' is not a valid health check type")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_with_unknown_fields() {
        let v = json!({
            "type": "HTTP",
            "http": {"port": 8080, "path": "/health", "scheme": "http", "statuses": [200], "x": 1},
            "delay_seconds": 1.0, "interval_seconds": 2.5, "timeout_seconds": 3.0,
            "consecutive_failures": 4, "grace_period_seconds": 0.0,
            "future_field": {"a": true}
        });
        let h: HealthCheck = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(serde_json::to_value(&h).unwrap(), v);
        assert_eq!(h.consecutive_failures(), 4);
        assert_eq!(h.interval(), Duration::from_millis(2500));
        assert_eq!(
            h.probe().unwrap(),
            Probe::Http {
                scheme: "http".into(),
                port: 8080,
                path: "/health".into(),
                statuses: vec![200],
                ipv6: false
            }
        );
        // Absent fields stay absent.
        let bare = json!({"type": "TCP", "tcp": {"port": 9}});
        let h: HealthCheck = serde_json::from_value(bare.clone()).unwrap();
        assert_eq!(serde_json::to_value(&h).unwrap(), bare);
    }

    #[test]
    fn protobuf_defaults() {
        let h: HealthCheck =
            serde_json::from_value(json!({"type": "TCP", "tcp": {"port": 9}})).unwrap();
        assert_eq!(h.delay(), Duration::from_secs(15));
        assert_eq!(h.interval(), Duration::from_secs(10));
        assert_eq!(h.timeout(), Some(Duration::from_secs(20)));
        assert_eq!(h.grace_period(), Duration::from_secs(10));
        assert_eq!(h.consecutive_failures(), 3);
        let no_timeout: HealthCheck = serde_json::from_value(
            json!({"type": "TCP", "tcp": {"port": 9}, "timeout_seconds": 0}),
        )
        .unwrap();
        assert_eq!(no_timeout.timeout(), None);
    }

    #[test]
    fn validation_names_what_is_wrong() {
        let bad = |v: serde_json::Value| {
            serde_json::from_value::<HealthCheck>(v)
                .unwrap()
                .probe()
                .unwrap_err()
        };
        assert!(bad(json!({})).contains("'type'"));
        assert!(bad(json!({"type": "COMMAND"})).contains("'command'"));
        assert!(
            bad(json!({"type": "COMMAND", "command": {"shell": true}})).contains("'shell command'")
        );
        assert!(bad(json!({"type": "COMMAND", "command": {"shell": false}}))
            .contains("'executable path'"));
        assert!(bad(json!({"type": "HTTP"})).contains("'http'"));
        assert!(bad(json!({"type": "HTTP", "http": {}})).contains("'port'"));
        assert!(bad(json!({"type": "HTTP", "http": {"port": 70000}})).contains("70000"));
        assert!(bad(json!({"type": "HTTP", "http": {"port": 1, "scheme": "ftp"}})).contains("ftp"));
        assert!(bad(json!({"type": "HTTP", "http": {"port": 1, "path": "x"}})).contains("'/'"));
        assert!(bad(json!({"type": "TCP"})).contains("'tcp'"));
        assert!(bad(json!({"type": "GRPC"})).contains("GRPC"));
        assert!(
            bad(json!({"type": "TCP", "tcp": {"port": 1}, "interval_seconds": -1}))
                .contains("interval_seconds")
        );
        let ok: HealthCheck =
            serde_json::from_value(json!({"type": "COMMAND", "command": {"value": "true"}}))
                .unwrap();
        assert!(matches!(ok.probe(), Ok(Probe::Command(_))));
    }
}
