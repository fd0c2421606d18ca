//! The v1 executor API: `POST /slave(1)/api/v1/executor` (and
//! `/api/v1/executor`). JSON or protobuf (`mesos.v1.executor.Call` /
//! `Event` through `crate::wire::proto`). SUBSCRIBE answers `200` with a
//! RecordIO stream of events in the accepted media type (plus a HEARTBEAT
//! every [`HEARTBEAT`]); the other calls answer `202`. The calls
//! themselves live in `agent::executor::calls`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::error::Error;
use crate::agent::core::Agent;
use crate::agent::executor::calls::{self, CallError};
use crate::daemon::httputil;
use crate::wire::executor::{Call, Event, CALL, EVENT};
use crate::wire::proto::{self, Media, ProtoError};

/// Interval of the HEARTBEAT events of a subscription (real agents': 30 s).
pub const HEARTBEAT: Duration = Duration::from_secs(30);

impl From<CallError> for Error {
    fn from(e: CallError) -> Error {
        match e {
            CallError::BadRequest(m) => Error::BadRequest(m),
            CallError::Forbidden(m) => Error::Forbidden(m),
        }
    }
}

fn proto_error(e: ProtoError) -> Error {
    match e {
        ProtoError::Unsupported(m) => Error::UnsupportedMediaType(m),
        ProtoError::Decode(m) => Error::BadRequest(format!("Failed to parse body into Call: {m}")),
        ProtoError::Encode(m) => Error::Internal(m),
    }
}

/// With `--authenticate_http_executors` (the token itself was checked
/// before): a token may only speak for the executor it was made for.
fn own_token(agent: &Agent, headers: &HeaderMap, call: &Call) -> Result<(), Error> {
    let Some(key) = &agent.cfg.executor_key else {
        return Ok(());
    };
    let claims = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::daemon::jwt::bearer)
        .and_then(|t| key.verify(t).ok())
        .unwrap_or_default();
    let fid = claims.get("fid").map(String::as_str);
    let eid = claims.get("eid").map(String::as_str);
    if fid == Some(call.framework_id.value.as_str()) && eid == Some(call.executor_id.value.as_str())
    {
        return Ok(());
    }
    Err(Error::Forbidden(format!(
        "The executor token is not for executor '{}' of framework '{}'",
        call.executor_id.value, call.framework_id.value
    )))
}

/// The handler.
pub async fn handle(
    State(agent): State<Arc<Agent>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| Error::BadRequest("Expecting 'Content-Type' to be present".into()))?;
    let media = Media::of_content_type(ct).ok_or_else(|| {
        Error::UnsupportedMediaType(
            "Expecting 'Content-Type' of application/json or application/x-protobuf".into(),
        )
    })?;
    let json = proto::body_to_json(media, CALL, &body).map_err(proto_error)?;
    let call: Call = serde_json::from_slice(&json)
        .map_err(|e| Error::BadRequest(format!("Failed to parse body into Call: {e}")))?;
    calls::validate(&call)?;
    own_token(&agent, &headers, &call)?;
    match call.kind.as_str() {
        "SUBSCRIBE" => subscribe(agent, &headers, &call),
        "UPDATE" => calls::update(&agent, &call)
            .map(|()| accepted())
            .map_err(Error::from),
        "MESSAGE" => calls::message(&agent, &call)
            .map(|()| accepted())
            .map_err(Error::from),
        _ => calls::heartbeat(&agent, &call)
            .map(|()| accepted())
            .map_err(Error::from),
    }
}

fn accepted() -> Response {
    httputil::text(StatusCode::ACCEPTED, "")
}

/// Ends the subscription when the response stream is dropped.
struct Guard {
    agent: Arc<Agent>,
    fid: String,
    eid: String,
    id: u64,
}

impl Drop for Guard {
    fn drop(&mut self) {
        calls::disconnected(&self.agent, &self.fid, &self.eid, self.id);
    }
}

fn subscribe(agent: Arc<Agent>, headers: &HeaderMap, call: &Call) -> Result<Response, Error> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let media = Media::from_accept(accept).ok_or_else(|| {
        Error::NotAcceptable(
            "Expecting 'Accept' to allow application/json or application/x-protobuf".into(),
        )
    })?;
    // The stream's first record must encode, or the subscription fails
    // cleanly (protobuf not available yet).
    proto::write(media, EVENT, &Event::bare("HEARTBEAT")).map_err(proto_error)?;
    let sub = calls::subscribe(&agent, call)?;
    let guard = Guard {
        agent,
        fid: call.framework_id.value.clone(),
        eid: call.executor_id.value.clone(),
        id: sub.id,
    };
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + HEARTBEAT, HEARTBEAT);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let stream = futures_util::stream::unfold(
        (sub.events, tick, guard),
        move |(mut rx, mut tick, guard)| async move {
            let event = tokio::select! {
                e = rx.recv() => e?,
                _ = tick.tick() => Event::bare("HEARTBEAT"),
            };
            let record = match proto::record(media, EVENT, &event) {
                Ok(r) => r,
                Err(e) => {
                    crate::error!("Failed to encode an executor event: {e}");
                    return None;
                }
            };
            Some((
                Ok::<Bytes, std::io::Error>(Bytes::from(record)),
                (rx, tick, guard),
            ))
        },
    );
    Ok(Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, media.as_str())
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()))
}
