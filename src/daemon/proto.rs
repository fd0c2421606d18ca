//! The internal master <-> agent protocol of the bundled daemons: plain
//! HTTP/JSON, documented in docs/internal-protocol.md. Public Mesos APIs
//! (v0, v1 operator, scheduler, executor) are NOT here: they follow
//! docs/wire-notes.md. Task, framework and status payloads are carried in
//! their v1 JSON form (`serde_json::Value`) so nothing is lost in transit.
//!
//! Every call except `register` is authenticated with the agent's session
//! token (see [`session`]): the master hands a fresh random token to an
//! agent in its [`RegisterResponse`]; both sides then carry it as
//! `Authorization: Bearer <token>` and refuse calls without it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Paths (on the master: under `/master`, on the agent: under `/slave(1)`).
pub mod paths {
    /// Agent -> master.
    pub const REGISTER: &str = "/master/internal/register";
    /// Agent -> master, every `ping_interval_secs`.
    pub const PING: &str = "/master/internal/ping";
    /// Agent -> master, retried until the master answers 202.
    pub const STATUS_UPDATE: &str = "/master/internal/status_update";
    /// Master -> agent.
    pub const RUN_TASK: &str = "/slave(1)/internal/run_task";
    /// Master -> agent.
    pub const KILL_TASK: &str = "/slave(1)/internal/kill_task";
    /// Master -> agent: the framework acknowledged a status update.
    pub const ACK: &str = "/slave(1)/internal/acknowledge";
    /// Master -> agent: kill all tasks of a framework and forget it.
    pub const SHUTDOWN_FRAMEWORK: &str = "/slave(1)/internal/shutdown_framework";
}

/// Agent -> master: register (no `agent_id`) or re-register (with the id the
/// agent was given before, plus what it is running).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RegisterRequest {
    /// Set when re-registering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    pub hostname: String,
    /// Address the master uses to reach the agent.
    pub ip: String,
    pub port: u16,
    /// Total resources, v1 JSON array.
    pub resources: Value,
    /// v1 JSON array of Attribute.
    #[serde(default)]
    pub attributes: Value,
    pub version: String,
    /// Agent capabilities (strings, e.g. `MULTI_ROLE`).
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// Non-terminal tasks the agent runs (re-registration), v1 Task JSON.
    #[serde(default)]
    pub tasks: Vec<Value>,
    /// FrameworkInfo (v1 JSON) of frameworks with tasks on the agent.
    #[serde(default)]
    pub frameworks: Vec<Value>,
    /// The agent's `--credential`, for a master with `--authenticate_agents`
    /// (sent only when configured; use TLS so it does not cross the network
    /// in clear text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<crate::daemon::auth::AgentCredential>,
}

/// Master -> agent answer to a registration.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RegisterResponse {
    pub agent_id: String,
    pub master_id: String,
    /// How often to ping.
    pub ping_interval_secs: f64,
    /// MasterInfo JSON of the master that accepted the registration.
    pub master_info: Value,
    /// Secret of this registration (256 random bits, hex). The agent sends
    /// it on pings and status updates and accepts master calls only when
    /// they carry it. A new leader, or a registration that does not present
    /// the current token, gets a new one.
    pub session_token: String,
}

/// Agent -> master liveness ping. 200 = known; 404 = unknown agent (the agent
/// must re-register); 307/503 = not the leader.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Ping {
    pub agent_id: String,
}

/// Agent -> master: one status update (v1 TaskStatus with `uuid`), retried
/// with backoff until the master answers 202.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StatusUpdate {
    pub agent_id: String,
    pub framework_id: String,
    /// v1 TaskStatus JSON (task_id, state, source, reason, message, uuid, timestamp, ...).
    pub status: Value,
}

/// Master -> agent: launch a task.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunTask {
    /// v1 FrameworkInfo (with `id`).
    pub framework: Value,
    /// v1 TaskInfo (with `agent_id`, resources carrying allocation_info).
    pub task: Value,
    /// For LAUNCH_GROUP: the group's ExecutorInfo (v1), else absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executor: Option<Value>,
}

/// Master -> agent: kill a task.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KillTask {
    pub framework_id: String,
    pub task_id: String,
    /// v1 KillPolicy (`{"grace_period":{"nanoseconds":N}}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kill_policy: Option<Value>,
}

/// Master -> agent: a status update was acknowledged by the framework.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Acknowledge {
    pub framework_id: String,
    pub task_id: String,
    /// base64 uuid, as in the TaskStatus.
    pub uuid: String,
}

/// Master -> agent: the framework is gone.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShutdownFramework {
    pub framework_id: String,
}

/// The session token of the internal protocol.
pub mod session {
    use axum::http::{header, HeaderMap, HeaderValue};

    /// A session token held in memory; its `Debug` form never shows it.
    #[derive(Clone, PartialEq, Eq, Default)]
    pub struct Token(String);

    impl Token {
        /// A fresh random token ([`new_token`]).
        pub fn generate() -> Result<Token, String> {
            new_token().map(Token)
        }
        /// Wrap a token received on the wire.
        pub fn from_wire(s: String) -> Token {
            Token(s)
        }
        pub fn as_str(&self) -> &str {
            &self.0
        }
        /// Whether the request headers carry this token.
        pub fn presented_in(&self, headers: &HeaderMap) -> bool {
            matches(from_headers(headers), &self.0)
        }
        /// The `Authorization` header value carrying it.
        pub fn header_value(&self) -> HeaderValue {
            header_value(&self.0)
        }
    }

    impl std::fmt::Debug for Token {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("Token(<redacted>)")
        }
    }

    /// A new random token: 32 bytes from the system's secure random source, hex.
    /// Without secure randomness there is no token (never a guessable one).
    pub fn new_token() -> Result<String, String> {
        use ring::rand::SecureRandom;
        let mut b = [0u8; 32];
        ring::rand::SystemRandom::new()
            .fill(&mut b)
            .map_err(|_| "the system's secure random source failed".to_string())?;
        Ok(b.iter().map(|x| format!("{x:02x}")).collect())
    }

    /// The `Authorization` header value carrying `token`, marked sensitive
    /// so that it never shows up in debug output.
    pub fn header_value(token: &str) -> HeaderValue {
        let mut v = HeaderValue::from_str(&format!("Bearer {token}"))
            .unwrap_or_else(|_| HeaderValue::from_static("Bearer -"));
        v.set_sensitive(true);
        v
    }

    /// The bearer token of a request, if any.
    pub fn from_headers(headers: &HeaderMap) -> Option<&str> {
        headers
            .get(header::AUTHORIZATION)?
            .to_str()
            .ok()?
            .strip_prefix("Bearer ")
            .map(str::trim)
    }

    /// Whether `presented` is `expected`, in time independent of where
    /// they differ.
    pub fn matches(presented: Option<&str>, expected: &str) -> bool {
        let Some(p) = presented else {
            return false;
        };
        let (a, b) = (p.as_bytes(), expected.as_bytes());
        if a.len() != b.len() || b.is_empty() {
            return false;
        }
        a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn tokens_are_random_and_compared_exactly() {
            let t = new_token().unwrap();
            assert_eq!(t.len(), 64);
            assert_ne!(t, new_token().unwrap());
            let mut h = HeaderMap::new();
            assert!(!matches(from_headers(&h), &t));
            h.insert(header::AUTHORIZATION, header_value(&t));
            assert!(matches(from_headers(&h), &t));
            let mut wrong = t.clone();
            wrong.replace_range(63..64, if t.ends_with('0') { "1" } else { "0" });
            assert!(!matches(Some(&wrong), &t));
            assert!(!matches(Some(""), ""));
            assert!(!matches(Some(&t[..10]), &t));
            let tok = Token::from_wire(t.clone());
            assert!(tok.presented_in(&h));
            assert!(!format!("{tok:?}").contains(&t));
        }
    }
}
