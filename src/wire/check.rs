//! `CheckInfo` of a `TaskInfo` and the `CheckStatusInfo` of a `TaskStatus`
//! (v1 protobuf JSON): Mesos' general checks, which report a result to the
//! framework and never kill (docs/agent-design.md#general-checks).
//!
//! As with [`super::health_check`], every field is kept only if it was
//! sent and unknown fields survive in `other`; the protobuf defaults are
//! applied by the accessors.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::agent_v1::{CommandInfo, Extra};
use super::de;
use super::health_check::{duration, non_negative};

/// `CheckInfo.delay_seconds` default.
pub const DEFAULT_DELAY: f64 = 15.0;
/// `CheckInfo.interval_seconds` default.
pub const DEFAULT_INTERVAL: f64 = 10.0;
/// `CheckInfo.timeout_seconds` default.
pub const DEFAULT_TIMEOUT: f64 = 20.0;

/// Reason of the TASK_RUNNING updates that carry a new check result.
pub const CHECK_REASON: &str = "REASON_TASK_CHECK_STATUS_UPDATED";

/// `CheckInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckInfo {
    /// `COMMAND`, `HTTP` or `TCP`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    /// `{"command": CommandInfo}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<CheckCommand>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<CheckPort>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp: Option<CheckPort>,
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
    #[serde(flatten)]
    pub other: Extra,
}

/// `CheckInfo.Command`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckCommand {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<CommandInfo>,
    #[serde(flatten)]
    pub other: Extra,
}

/// `CheckInfo.Http` (`port`, `path`) and `CheckInfo.Tcp` (`port`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckPort {
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
    #[serde(flatten)]
    pub other: Extra,
}

/// What a valid [`CheckInfo`] probes.
#[derive(Clone, Debug, PartialEq)]
pub enum CheckProbe {
    /// Run a command; its exit code is the result.
    Command(CommandInfo),
    /// GET `http://127.0.0.1:<port><path>`; the status code is the result.
    Http { port: u16, path: String },
    /// Connect to `127.0.0.1:<port>`; whether it connected is the result.
    Tcp { port: u16 },
}

/// One check attempt's outcome: `None` when the check could not be
/// performed (timed out, could not start, no HTTP answer), which Mesos
/// reports as a `CheckStatusInfo` without a result.
#[derive(Clone, Debug, PartialEq)]
pub enum CheckResult {
    Command(Option<i32>),
    Http(Option<u16>),
    Tcp(Option<bool>),
}

impl CheckResult {
    /// The `CheckStatusInfo` that reports it.
    pub fn status_info(&self) -> Value {
        match self {
            CheckResult::Command(code) => match code {
                Some(c) => json!({"type": "COMMAND", "command": {"exit_code": c}}),
                None => json!({"type": "COMMAND", "command": {}}),
            },
            CheckResult::Http(code) => match code {
                Some(c) => json!({"type": "HTTP", "http": {"status_code": c}}),
                None => json!({"type": "HTTP", "http": {}}),
            },
            CheckResult::Tcp(ok) => match ok {
                Some(b) => json!({"type": "TCP", "tcp": {"succeeded": b}}),
                None => json!({"type": "TCP", "tcp": {}}),
            },
        }
    }
}

impl CheckProbe {
    /// The result of a check not performed yet: the `CheckStatusInfo`
    /// every update of a checked task carries until the first result.
    pub fn no_result(&self) -> CheckResult {
        match self {
            CheckProbe::Command(_) => CheckResult::Command(None),
            CheckProbe::Http { .. } => CheckResult::Http(None),
            CheckProbe::Tcp { .. } => CheckResult::Tcp(None),
        }
    }
}

fn port_of(p: Option<&CheckPort>, what: &str) -> Result<u16, String> {
    let p = p.ok_or_else(|| {
        format!(
            "Expecting '{}' to be set for {what} check",
            what.to_lowercase()
        )
    })?;
    match p.port {
        None => Err(format!("{what} check has no 'port'")),
        Some(n) => u16::try_from(n)
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{what} check port {n} is not a valid port")),
    }
}

impl CheckInfo {
    pub fn delay(&self) -> Duration {
        duration(self.delay_seconds.unwrap_or(DEFAULT_DELAY))
    }

    pub fn interval(&self) -> Duration {
        duration(self.interval_seconds.unwrap_or(DEFAULT_INTERVAL))
    }

    /// The bound of one attempt; `None` when `timeout_seconds` is 0.
    pub fn timeout(&self) -> Option<Duration> {
        let t = self.timeout_seconds.unwrap_or(DEFAULT_TIMEOUT);
        (t > 0.0).then(|| duration(t))
    }

    /// The type name (for logs and messages).
    pub fn type_name(&self) -> &str {
        self.kind.as_deref().unwrap_or("UNKNOWN")
    }

    /// Validate as Mesos does (one line naming what is wrong) and say what
    /// to probe.
    pub fn probe(&self) -> Result<CheckProbe, String> {
        non_negative(&[
            ("delay_seconds", self.delay_seconds),
            ("interval_seconds", self.interval_seconds),
            ("timeout_seconds", self.timeout_seconds),
        ])?;
        match self.kind.as_deref() {
            None | Some("UNKNOWN") => Err("CheckInfo must specify 'type'".into()),
            Some("COMMAND") => {
                let c = self
                    .command
                    .as_ref()
                    .and_then(|c| c.command.as_ref())
                    .ok_or("Expecting 'command' to be set for COMMAND check")?;
                if c.value.as_deref().is_none_or(str::is_empty) {
                    return Err(format!(
                        "Command check must contain {}",
                        if c.shell() {
                            "'shell command'"
                        } else {
                            "'executable path'"
                        }
                    ));
                }
                Ok(CheckProbe::Command(c.clone()))
            }
            Some("HTTP") => {
                let port = port_of(self.http.as_ref(), "HTTP")?;
                let path = self
                    .http
                    .as_ref()
                    .and_then(|h| h.path.clone())
                    .unwrap_or_default();
                if !path.is_empty() && !path.starts_with('/') {
                    return Err(format!(
                        "The path '{path}' of HTTP check must start with '/'"
                    ));
                }
                Ok(CheckProbe::Http { port, path })
            }
            Some("TCP") => Ok(CheckProbe::Tcp {
                port: port_of(self.tcp.as_ref(), "TCP")?,
            }),
            Some(other) => Err(format!("'{other}' is not a valid check type")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: Value) -> CheckInfo {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn valid_checks_say_what_to_probe_with_mesos_defaults() {
        let c = check(json!({"type": "COMMAND", "command": {"command": {"value": "true"}}}));
        assert!(matches!(c.probe(), Ok(CheckProbe::Command(_))));
        assert_eq!(c.delay(), Duration::from_secs(15));
        assert_eq!(c.interval(), Duration::from_secs(10));
        assert_eq!(c.timeout(), Some(Duration::from_secs(20)));
        let c = check(
            json!({"type": "HTTP", "http": {"port": 8080, "path": "/ready"},
            "delay_seconds": 0, "interval_seconds": 0.5, "timeout_seconds": 0}),
        );
        assert_eq!(
            c.probe(),
            Ok(CheckProbe::Http {
                port: 8080,
                path: "/ready".into()
            })
        );
        assert_eq!(c.delay(), Duration::ZERO);
        assert_eq!(c.interval(), Duration::from_millis(500));
        assert_eq!(c.timeout(), None);
        let c = check(json!({"type": "TCP", "tcp": {"port": 22}}));
        assert_eq!(c.probe(), Ok(CheckProbe::Tcp { port: 22 }));
    }

    #[test]
    fn invalid_checks_are_named() {
        for (v, want) in [
            (json!({}), "CheckInfo must specify 'type'"),
            (
                json!({"type": "COMMAND"}),
                "Expecting 'command' to be set for COMMAND check",
            ),
            (
                json!({"type": "COMMAND", "command": {"command": {"value": ""}}}),
                "Command check must contain 'shell command'",
            ),
            (
                json!({"type": "HTTP"}),
                "Expecting 'http' to be set for HTTP check",
            ),
            (
                json!({"type": "HTTP", "http": {"port": 70000}}),
                "HTTP check port 70000 is not a valid port",
            ),
            (
                json!({"type": "HTTP", "http": {"port": 80, "path": "x"}}),
                "The path 'x' of HTTP check must start with '/'",
            ),
            (json!({"type": "TCP", "tcp": {}}), "TCP check has no 'port'"),
            (json!({"type": "UDP"}), "'UDP' is not a valid check type"),
            (
                json!({"type": "TCP", "tcp": {"port": 1}, "interval_seconds": -1}),
                "Expecting 'interval_seconds' to be non-negative, got -1",
            ),
        ] {
            assert_eq!(check(v.clone()).probe(), Err(want.to_string()), "{v}");
        }
    }

    #[test]
    fn results_are_reported_as_check_status_infos() {
        assert_eq!(
            CheckResult::Command(Some(3)).status_info(),
            json!({"type": "COMMAND", "command": {"exit_code": 3}})
        );
        assert_eq!(
            CheckResult::Http(Some(503)).status_info(),
            json!({"type": "HTTP", "http": {"status_code": 503}})
        );
        assert_eq!(
            CheckResult::Tcp(Some(false)).status_info(),
            json!({"type": "TCP", "tcp": {"succeeded": false}})
        );
        let probe = CheckProbe::Tcp { port: 1 };
        assert_eq!(
            probe.no_result().status_info(),
            json!({"type": "TCP", "tcp": {}})
        );
    }

    #[test]
    fn a_check_round_trips_with_unknown_fields() {
        let v = json!({"type": "HTTP", "http": {"port": 80, "future": 1}, "later": true});
        assert_eq!(serde_json::to_value(check(v.clone())).unwrap(), v);
    }
}
