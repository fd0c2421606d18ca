//! Messages from the master core: events to a framework's SUBSCRIBE
//! stream, calls to agents over the internal protocol (with their session
//! token).

use serde::Serialize;

use bytes::Bytes;

use crate::daemon::proto::{session, ToAgent};
use crate::master::state::{FrameworkEntry, MasterState, Shared};
use crate::wire::event::Event;

/// One event as a RecordIO record (what a SUBSCRIBE stream carries).
pub fn event_record(event: &Event) -> Bytes {
    Bytes::from(crate::recordio::encode(event.to_json().as_bytes()))
}

/// Encode an event and push it on the framework's stream (if connected).
pub fn send_event(fw: &FrameworkEntry, event: &Event) -> bool {
    fw.stream.is_some() && send_record(fw, event_record(event))
}

/// Push an encoded event ([`event_record`]) on the framework's stream (if
/// connected): one encoding for many frameworks.
pub fn send_record(fw: &FrameworkEntry, record: Bytes) -> bool {
    match &fw.stream {
        Some(s) => s.tx.send(record).is_ok(),
        None => false,
    }
}

/// Where and how to call one agent: its base URL and session token.
#[derive(Clone, Debug)]
pub struct AgentTarget {
    pub base: String,
    token: session::Token,
}

impl AgentTarget {
    /// The target of a registered agent.
    pub fn of(st: &MasterState, agent_id: &str) -> Option<AgentTarget> {
        st.agents.get(agent_id).map(|a| AgentTarget {
            base: a.base_url(),
            token: a.session_token.clone(),
        })
    }

    /// A POST of the JSON `body` to `path`, carrying the session token.
    fn post(&self, http: &reqwest::Client, path: &str, body: Vec<u8>) -> reqwest::RequestBuilder {
        http.post(format!("{}{path}", self.base))
            .header(axum::http::header::AUTHORIZATION, self.token.header_value())
            .header(axum::http::header::CONTENT_TYPE, "application/json")
            .body(body)
    }
}

/// Fire-and-forget internal call to an agent (`wire::internal`: the body
/// names its path), logged on failure.
pub fn call_agent<T: ToAgent>(m: &Shared, agent_id: &str, body: &T) {
    send_to_agent(m, agent_id, T::PATH, body)
}

/// Fire-and-forget POST to an agent's internal endpoint (logged on failure).
pub fn send_to_agent<T: Serialize>(m: &Shared, agent_id: &str, path: &'static str, body: T) {
    let Some(target) = AgentTarget::of(&m.lock(), agent_id) else {
        return;
    };
    let body = match serde_json::to_vec(&body) {
        Ok(b) => b,
        Err(e) => {
            crate::error!("Cannot encode the call {path} to agent {agent_id}: {e}");
            return;
        }
    };
    let m = m.clone();
    let agent_id = agent_id.to_string();
    tokio::spawn(async move {
        let _permit = m.agent_calls.acquire().await;
        match target.post(&m.http, path, body).send().await {
            Ok(r) if r.status().is_success() => {}
            Ok(r) => crate::warning!("Agent {agent_id} answered {} to {path}", r.status()),
            Err(e) => crate::warning!("Cannot reach agent {agent_id} for {path}: {e}"),
        }
    });
}

/// POST to an agent and report whether it accepted (for launches).
pub async fn post_to_agent<T: Serialize>(
    m: &Shared,
    target: &AgentTarget,
    path: &str,
    body: &T,
) -> Result<(), String> {
    let body = serde_json::to_vec(body).map_err(|e| format!("cannot encode the call: {e}"))?;
    let _permit = m.agent_calls.acquire().await;
    match target.post(&m.http, path, body).send().await {
        Ok(r) if r.status().is_success() => Ok(()),
        Ok(r) => Err(format!("agent answered {}", r.status())),
        Err(e) => Err(format!("cannot reach agent: {e}")),
    }
}
