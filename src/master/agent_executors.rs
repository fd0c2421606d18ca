//! The agent -> master calls about executors (docs/internal-protocol.md):
//! an executor's message for its scheduler, an executor's exit. Checked
//! like status updates: a registered agent presenting its session token.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::agents::{parse_body, refuse};
use super::core::{executor_message as relay_message, exited_executor as executor_exited};
use super::http::MasterError;
use super::state::Shared;
use crate::wire::internal::{ExecutorMessage, ExitedExecutor};

/// `None` when `agent_id` is registered and the call carries its token,
/// else the answer (404 unknown agent, 403 wrong token).
fn check_agent(
    m: &Shared,
    headers: &HeaderMap,
    ext: &Extensions,
    what: &str,
    agent_id: &str,
) -> Option<Response> {
    let st = m.lock();
    match st.agents.get(agent_id) {
        None => Some(MasterError::NotFound("Unknown agent; re-register".into()).into_response()),
        Some(a) if !a.session_token.presented_in(headers) => {
            drop(st);
            Some(refuse(ext, what, agent_id))
        }
        Some(_) => None,
    }
}

/// `POST /master/internal/executor_message`: to the scheduler as a
/// `MESSAGE` event (202 also when the framework is not connected: the
/// message is dropped, as Mesos drops it).
pub async fn executor_message(
    State(m): State<Shared>,
    headers: HeaderMap,
    ext: Extensions,
    body: Bytes,
) -> Response {
    let msg: ExecutorMessage = match parse_body(&body, "executor message") {
        Ok(v) => v,
        Err(r) => return r,
    };
    if let Some(r) = check_agent(&m, &headers, &ext, "an executor message", &msg.agent_id) {
        return r;
    }
    relay_message(&m, &msg);
    StatusCode::ACCEPTED.into_response()
}

/// `POST /master/internal/exited_executor`: the executor's resources are
/// freed and the scheduler gets a `FAILURE` event.
pub async fn exited_executor(
    State(m): State<Shared>,
    headers: HeaderMap,
    ext: Extensions,
    body: Bytes,
) -> Response {
    let x: ExitedExecutor = match parse_body(&body, "exited executor") {
        Ok(v) => v,
        Err(r) => return r,
    };
    if let Some(r) = check_agent(&m, &headers, &ext, "an executor exit", &x.agent_id) {
        return r;
    }
    executor_exited(&m, &x);
    StatusCode::ACCEPTED.into_response()
}
