//! What the agent tells an executor through its environment (the
//! variables every Mesos executor gets), read once at start.

use std::path::PathBuf;
use std::time::Duration;

use crate::duration::parse_duration;
use crate::wire::proto::Media;

/// The variable that picks the executor's wire encoding (`protobuf`, the
/// default, as real default executors speak; `json` for debugging).
pub const WIRE_VAR: &str = "MESOS_DEFAULT_EXECUTOR_WIRE";

/// The executor's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// `http://ip:port` of the agent (`MESOS_AGENT_ENDPOINT`).
    pub agent: String,
    pub framework_id: String,
    pub executor_id: String,
    /// The executor sandbox (`MESOS_SANDBOX`, else `MESOS_DIRECTORY`).
    pub sandbox: PathBuf,
    /// `MESOS_CHECKPOINT=1`: survive agent restarts (reconnect).
    pub checkpoint: bool,
    /// `MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD` (default 5secs).
    pub shutdown_grace: Duration,
    /// `MESOS_RECOVERY_TIMEOUT` (default 15mins): how long to keep trying
    /// to reach a restarting agent.
    pub recovery_timeout: Duration,
    /// `MESOS_SUBSCRIPTION_BACKOFF_MAX` (default 2secs).
    pub backoff_max: Duration,
    /// `MESOS_EXECUTOR_AUTHENTICATION_TOKEN`: sent as `Authorization:
    /// Bearer` on every call (never logged).
    pub token: Option<String>,
    /// The encoding of every call and of the event stream ([`WIRE_VAR`]).
    pub media: Media,
}

impl Settings {
    /// From a variable lookup (`std::env::var` in the program). One line
    /// naming the variable on a missing or bad value.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
        let need = |name: &str| {
            get(name)
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| format!("{name} is not set (the agent sets it for its executors)"))
        };
        let duration = |name: &str, default: Duration| match get(name) {
            Some(v) if !v.trim().is_empty() => {
                parse_duration(&v).map_err(|e| format!("{name}: {e}"))
            }
            _ => Ok(default),
        };
        let endpoint = need("MESOS_AGENT_ENDPOINT")?;
        let agent = if endpoint.contains("://") {
            endpoint.trim_end_matches('/').to_string()
        } else {
            format!("http://{}", endpoint.trim())
        };
        let sandbox = get("MESOS_SANDBOX")
            .filter(|v| !v.is_empty())
            .or_else(|| get("MESOS_DIRECTORY").filter(|v| !v.is_empty()))
            .ok_or("MESOS_SANDBOX (or MESOS_DIRECTORY) is not set")?;
        let media = match get(WIRE_VAR).as_deref().map(str::trim) {
            None | Some("") => Media::Protobuf,
            Some(w) if w.eq_ignore_ascii_case("protobuf") => Media::Protobuf,
            Some(w) if w.eq_ignore_ascii_case("json") => Media::Json,
            Some(w) => {
                return Err(format!(
                    "{WIRE_VAR}: '{w}' is neither 'protobuf' nor 'json'"
                ))
            }
        };
        Ok(Settings {
            agent,
            media,
            framework_id: need("MESOS_FRAMEWORK_ID")?,
            executor_id: need("MESOS_EXECUTOR_ID")?,
            sandbox: PathBuf::from(sandbox),
            checkpoint: matches!(
                get("MESOS_CHECKPOINT").as_deref().map(str::trim),
                Some("1") | Some("true")
            ),
            shutdown_grace: duration(
                "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD",
                Duration::from_secs(5),
            )?,
            recovery_timeout: duration("MESOS_RECOVERY_TIMEOUT", Duration::from_secs(15 * 60))?,
            backoff_max: duration("MESOS_SUBSCRIPTION_BACKOFF_MAX", Duration::from_secs(2))?,
            token: get("MESOS_EXECUTOR_AUTHENTICATION_TOKEN").filter(|t| !t.is_empty()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn the_agent_environment_is_read_with_mesos_defaults() {
        let s = Settings::from_lookup(lookup(&[
            ("MESOS_AGENT_ENDPOINT", "127.0.0.1:5051"),
            ("MESOS_FRAMEWORK_ID", "f1"),
            ("MESOS_EXECUTOR_ID", "e1"),
            ("MESOS_DIRECTORY", "/tmp/sb"),
            ("MESOS_CHECKPOINT", "1"),
            ("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "7secs"),
        ]))
        .unwrap();
        assert_eq!(s.agent, "http://127.0.0.1:5051");
        assert_eq!(s.sandbox, PathBuf::from("/tmp/sb"));
        assert!(s.checkpoint);
        assert_eq!(s.shutdown_grace, Duration::from_secs(7));
        assert_eq!(s.backoff_max, Duration::from_secs(2));
        assert_eq!(s.token, None);
        assert_eq!(s.media, Media::Protobuf);
    }

    #[test]
    fn the_wire_is_protobuf_unless_json_is_asked_for() {
        let base = [
            ("MESOS_AGENT_ENDPOINT", "h:1"),
            ("MESOS_FRAMEWORK_ID", "f1"),
            ("MESOS_EXECUTOR_ID", "e1"),
            ("MESOS_SANDBOX", "/x"),
        ];
        let with = |w: &'static str| {
            let mut v = base.to_vec();
            v.push((WIRE_VAR, w));
            Settings::from_lookup(lookup(&v))
        };
        assert_eq!(with("json").unwrap().media, Media::Json);
        assert_eq!(with("PROTOBUF").unwrap().media, Media::Protobuf);
        let e = with("xml").unwrap_err();
        assert!(e.starts_with(WIRE_VAR) && e.contains("xml"), "{e}");
    }

    #[test]
    fn missing_or_bad_variables_are_named() {
        let e = Settings::from_lookup(lookup(&[("MESOS_FRAMEWORK_ID", "f1")])).unwrap_err();
        assert!(e.contains("MESOS_AGENT_ENDPOINT"), "{e}");
        let e = Settings::from_lookup(lookup(&[
            ("MESOS_AGENT_ENDPOINT", "h:1"),
            ("MESOS_FRAMEWORK_ID", "f1"),
            ("MESOS_EXECUTOR_ID", "e1"),
            ("MESOS_SANDBOX", "/x"),
            ("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "soon"),
        ]))
        .unwrap_err();
        assert!(e.starts_with("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"), "{e}");
    }
}
