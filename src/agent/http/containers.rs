//! The agent API's nested-container and container I/O calls
//! (docs/wire-notes.md#container-io): LAUNCH_NESTED_CONTAINER[_SESSION],
//! LAUNCH_CONTAINER with a parent, WAIT / KILL / REMOVE of nested
//! containers, ATTACH_CONTAINER_OUTPUT (streaming response) and
//! ATTACH_CONTAINER_INPUT (streaming request). Thin: the containers are
//! `agent::nested`'s.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use futures_util::StreamExt;
use tokio::sync::{broadcast, watch};

use super::error::Error;
use crate::agent::containers::{Chunk, InputOp, Nested, Switchboard};
use crate::agent::core::Agent;
use crate::agent::nested::{self, Launch, Launched, NestedError};
use crate::daemon::httputil;
use crate::recordio::Decoder;
use crate::wire::agent_v1::{AgentResponse, ContainerId, V1Container, WaitContainer};
use crate::wire::process_io::{InputCall, LaunchContainer, ProcessIo, AGENT_CALL, PROCESS_IO};
use crate::wire::proto::{self, Media, RECORDIO};

/// `Message-Accept` / `Message-Content-Type` of the streaming calls.
pub const MESSAGE_ACCEPT: &str = "Message-Accept";
pub const MESSAGE_CONTENT_TYPE: &str = "Message-Content-Type";

/// How often an output stream carries a CONTROL HEARTBEAT record.
pub const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(30);

impl From<NestedError> for Error {
    fn from(e: NestedError) -> Error {
        match e {
            NestedError::BadRequest(m) => Error::BadRequest(m),
            NestedError::NotFound(m) => Error::NotFound(m),
            NestedError::Conflict(m) => Error::Conflict(m),
            NestedError::Failed(m) => Error::Internal(m),
        }
    }
}

fn bad(msg: impl Into<String>) -> Error {
    Error::BadRequest(msg.into())
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Whether a request body is a stream (`Content-Type: application/recordio`).
pub fn is_streaming_request(headers: &HeaderMap) -> bool {
    header_str(headers, header::CONTENT_TYPE.as_str()).is_some_and(|ct| {
        ct.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .eq_ignore_ascii_case(RECORDIO)
    })
}

/// Whether the client accepts a streaming response (`Accept:
/// application/recordio`, not refused with q=0).
fn accepts_recordio(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let ty = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q_zero = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f64>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            ty == RECORDIO && !q_zero
        })
}

/// The framing of a streaming response: `Content-Type: application/recordio`
/// with `Message-Content-Type` of the `Message-Accept`ed media, or the
/// legacy labelling (`Content-Type` of the `Accept`ed media) for clients
/// that do not ask for RecordIO.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamMedia {
    pub recordio: bool,
    pub message: Media,
}

impl StreamMedia {
    pub fn negotiate(headers: &HeaderMap) -> Result<StreamMedia, Error> {
        let (recordio, message) = if accepts_recordio(headers) {
            let m = Media::from_accept(header_str(headers, MESSAGE_ACCEPT)).ok_or_else(|| {
                Error::NotAcceptable(
                    "Expecting 'Message-Accept' to allow application/json or application/x-protobuf"
                        .into(),
                )
            })?;
            (true, m)
        } else {
            let accept: Vec<&str> = headers
                .get_all(header::ACCEPT)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect();
            let joined = accept.join(",");
            let m = Media::from_accept((!accept.is_empty()).then_some(joined.as_str()))
                .ok_or_else(|| {
                    Error::NotAcceptable(
                        "Expecting 'Accept' to allow application/recordio, application/json or application/x-protobuf"
                            .into(),
                    )
                })?;
            (false, m)
        };
        // Refuse up front what cannot be written (rather than an empty stream).
        proto::record(message, PROCESS_IO, &ProcessIo::heartbeat(0)).map_err(|e| {
            Error::NotAcceptable(format!("Cannot stream {}: {e}", message.as_str()))
        })?;
        Ok(StreamMedia { recordio, message })
    }

    fn apply(self, resp: &mut Response) {
        let h = resp.headers_mut();
        if self.recordio {
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(RECORDIO));
            h.insert(
                MESSAGE_CONTENT_TYPE,
                HeaderValue::from_static(self.message.as_str()),
            );
        } else {
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(self.message.as_str()),
            );
        }
    }
}

/// The whole `container_id` of a call (`key` names the call's payload).
pub fn container_id(id: Option<ContainerId>, key: &str) -> Result<ContainerId, Error> {
    let id = id.ok_or_else(|| {
        bad(format!(
            "Failed to convert JSON into Call protobuf: Missing required fields: {key}.container_id"
        ))
    })?;
    let mut c = Some(&id);
    while let Some(x) = c {
        crate::daemon::ids::validate_id("Container ID", &x.value)
            .map_err(|e| bad(format!("Failed to validate agent::Call: {e}")))?;
        c = x.parent.as_deref();
    }
    Ok(id)
}

fn launch_request(l: LaunchContainer, key: &str, session: bool) -> Result<Launch, Error> {
    let id = container_id(Some(l.container_id), key)?;
    let command = l.command.ok_or_else(|| {
        bad(format!(
            "Failed to validate agent::Call: Expecting '{key}.command' to be present"
        ))
    })?;
    let tty = l
        .container
        .as_ref()
        .and_then(|c| c.tty_info.as_ref())
        .map(|t| {
            t.window_size
                .map(|w| {
                    (
                        w.rows.min(u16::MAX as u32) as u16,
                        w.columns.min(u16::MAX as u32) as u16,
                    )
                })
                .unwrap_or((24, 80))
        });
    Ok(Launch {
        id,
        command,
        tty,
        session,
    })
}

/// LAUNCH_NESTED_CONTAINER / LAUNCH_CONTAINER: `200` once started, `202`
/// when a container with this id exists already.
pub async fn launch(agent: &Arc<Agent>, l: LaunchContainer, key: &str) -> Result<Response, Error> {
    if l.container_id.parent.is_none() {
        return Err(Error::NotImplemented(
            "Standalone containers (LAUNCH_CONTAINER without 'container_id.parent') are not supported by this agent".into(),
        ));
    }
    let req = launch_request(l, key, false)?;
    match nested::launch(agent, req).await? {
        Launched::Already => Ok(httputil::text(StatusCode::ACCEPTED, "")),
        Launched::Started(..) => Ok(httputil::text(StatusCode::OK, "")),
    }
}

/// LAUNCH_NESTED_CONTAINER_SESSION: the container's output as a stream;
/// the container is destroyed when the connection closes.
pub async fn launch_session(
    agent: &Arc<Agent>,
    headers: &HeaderMap,
    l: LaunchContainer,
) -> Result<Response, Error> {
    let media = StreamMedia::negotiate(headers)?;
    let req = launch_request(l, "launch_nested_container_session", true)?;
    match nested::launch(agent, req).await? {
        Launched::Already => Err(bad(
            "Failed to launch nested container session: a container with this id exists already",
        )),
        Launched::Started(n, rx) => Ok(output_response(
            media,
            n.done.subscribe(),
            rx,
            Some(SessionGuard(n.clone())),
        )),
    }
}

/// ATTACH_CONTAINER_OUTPUT: the container's output from now on.
pub async fn attach_output(
    agent: &Arc<Agent>,
    headers: &HeaderMap,
    id: ContainerId,
) -> Result<Response, Error> {
    let media = StreamMedia::negotiate(headers)?;
    let a = agent.clone();
    let (rx, done) = tokio::task::spawn_blocking(move || nested::attach_output(&a, &id))
        .await
        .map_err(|e| Error::Internal(e.to_string()))??;
    Ok(output_response(media, done, rx, None))
}

/// Kills a session's container when its stream is dropped early.
struct SessionGuard(Arc<Nested>);

impl Drop for SessionGuard {
    fn drop(&mut self) {
        nested::connection_closed(&self.0);
    }
}

struct OutputStream {
    rx: Option<broadcast::Receiver<Chunk>>,
    done: watch::Receiver<bool>,
    media: Media,
    heartbeat: tokio::time::Interval,
    _guard: Option<SessionGuard>,
}

impl OutputStream {
    fn record(&self, io: &ProcessIo) -> Option<Bytes> {
        proto::record(self.media, PROCESS_IO, io)
            .ok()
            .map(Bytes::from)
    }

    async fn next(&mut self) -> Option<Bytes> {
        loop {
            let live = self.rx.is_some();
            let OutputStream {
                rx,
                done,
                heartbeat,
                ..
            } = self;
            let chunk = tokio::select! {
                c = async { rx.as_mut().expect("guarded").recv().await }, if live => c,
                _ = heartbeat.tick() => {
                    return self.record(&ProcessIo::heartbeat(HEARTBEAT_INTERVAL.as_nanos() as i64));
                }
                _ = async {
                    while !*done.borrow_and_update() {
                        if done.changed().await.is_err() { break; }
                    }
                }, if !live => return None,
            };
            match chunk {
                Ok(Chunk::Stdout(b)) => return self.record(&ProcessIo::data("STDOUT", &b)),
                Ok(Chunk::Stderr(b)) => return self.record(&ProcessIo::data("STDERR", &b)),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => self.rx = None,
            }
        }
    }
}

fn output_response(
    media: StreamMedia,
    done: watch::Receiver<bool>,
    rx: Option<broadcast::Receiver<Chunk>>,
    guard: Option<SessionGuard>,
) -> Response {
    let start = tokio::time::Instant::now() + HEARTBEAT_INTERVAL;
    let state = OutputStream {
        rx,
        done,
        media: media.message,
        heartbeat: tokio::time::interval_at(start, HEARTBEAT_INTERVAL),
        _guard: guard,
    };
    let stream = futures_util::stream::unfold(state, |mut s| async move {
        let item = s.next().await?;
        Some((Ok::<Bytes, Infallible>(item), s))
    });
    let mut resp = Response::new(Body::from_stream(stream));
    media.apply(&mut resp);
    resp.extensions_mut().insert(httputil::NoTransform);
    resp
}

/// WAIT_[NESTED_]CONTAINER of a nested container.
pub async fn wait(agent: &Arc<Agent>, id: &ContainerId) -> Result<WaitContainer, Error> {
    let t = nested::wait(agent, id).await?;
    Ok(WaitContainer {
        exit_status: t.exit_status,
        message: t.error,
        ..WaitContainer::default()
    })
}

/// KILL_[NESTED_]CONTAINER of a nested container.
pub fn kill(agent: &Arc<Agent>, id: &ContainerId, signal: i32) -> Result<Response, Error> {
    nested::kill(agent, id, signal)?;
    Ok(httputil::text(StatusCode::OK, ""))
}

/// REMOVE_[NESTED_]CONTAINER.
pub fn remove(agent: &Arc<Agent>, id: &ContainerId) -> Result<Response, Error> {
    nested::remove(agent, id)?;
    Ok(httputil::text(StatusCode::OK, ""))
}

/// GET_CONTAINERS entries of the live nested containers (`show_nested`),
/// with their usage.
pub fn nested_entries(
    live: Vec<(Arc<Nested>, crate::wire::ResourceStatistics)>,
) -> Vec<V1Container> {
    live.into_iter()
        .map(|(n, resource_statistics)| {
            let pid = n.state().pid;
            V1Container {
                framework_id: crate::wire::agent_v1::Id::new(&n.framework_id),
                executor_id: crate::wire::agent_v1::Id::new(&n.executor_id),
                executor_name: n.executor_name.clone(),
                container_id: n.id.clone(),
                container_status: crate::wire::agent_v1::ContainerStatus {
                    container_id: Some(n.id.clone()),
                    executor_pid: pid.map(u64::from),
                    ..Default::default()
                },
                resource_statistics,
            }
        })
        .collect()
}

/// One record of an ATTACH_CONTAINER_INPUT body.
fn input_record(media: Media, rec: &[u8]) -> Result<InputCall, Error> {
    let json = proto::body_to_json(media, AGENT_CALL, rec)
        .map_err(|e| bad(format!("Failed to decode a record of the request: {e}")))?;
    serde_json::from_slice(&json)
        .map_err(|e| bad(format!("Failed to convert JSON into Call protobuf: {e}")))
}

/// ATTACH_CONTAINER_INPUT: a streaming request; `200` when it ends.
pub async fn attach_input(
    agent: &Arc<Agent>,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, Error> {
    let media = match header_str(headers, MESSAGE_CONTENT_TYPE) {
        None => {
            return Err(Error::UnsupportedMediaType(
                "Expecting 'Message-Content-Type' to be present for a streaming request (only ATTACH_CONTAINER_INPUT streams its request)".into(),
            ))
        }
        Some(v) => Media::of_content_type(v).ok_or_else(|| {
            Error::UnsupportedMediaType(format!(
                "Expecting 'Message-Content-Type' of application/json or application/x-protobuf, not '{v}'"
            ))
        })?,
    };
    if !httputil::accepts_json(headers)
        && Media::from_accept(header_str(headers, "accept")).is_none()
    {
        return Err(Error::NotAcceptable(
            "Expecting 'Accept' to allow application/json or application/x-protobuf".into(),
        ));
    }
    let mut data = body.into_data_stream();
    let mut dec = Decoder::new();
    // The first record names the container.
    let first = loop {
        match dec.next_record() {
            Ok(Some(r)) => break r,
            Ok(None) => {}
            Err(e) => return Err(bad(format!("Failed to read the request: {e}"))),
        }
        match data.next().await {
            Some(Ok(b)) => dec.push(&b),
            Some(Err(e)) => return Err(bad(format!("Failed to read the request: {e}"))),
            None => return Err(bad("Expecting at least one record in a streaming request")),
        }
    };
    let call = input_record(media, &first)?;
    if call.kind != "ATTACH_CONTAINER_INPUT" {
        return Err(Error::UnsupportedMediaType(format!(
            "Streaming requests are only supported for ATTACH_CONTAINER_INPUT, not '{}'",
            call.kind
        )));
    }
    let input = call.attach_container_input.ok_or_else(|| {
        bad("Failed to validate agent::Call: Expecting 'attach_container_input' to be present")
    })?;
    if input.kind != "CONTAINER_ID" {
        return Err(bad(
            "Failed to validate agent::Call: Expecting the first 'attach_container_input' to be of type CONTAINER_ID",
        ));
    }
    let id = container_id(input.container_id, "attach_container_input")?;
    let a = agent.clone();
    let io: Arc<Switchboard> = tokio::task::spawn_blocking(move || nested::attach_input(&a, &id))
        .await
        .map_err(|e| Error::Internal(e.to_string()))??;
    let result = feed_input(&io, media, &mut dec, &mut data).await;
    io.detach_input();
    result?;
    Ok(httputil::text(StatusCode::OK, ""))
}

async fn feed_input(
    io: &Switchboard,
    media: Media,
    dec: &mut Decoder,
    data: &mut axum::body::BodyDataStream,
) -> Result<(), Error> {
    loop {
        while let Some(rec) = dec
            .next_record()
            .map_err(|e| bad(format!("Failed to read the request: {e}")))?
        {
            let call = input_record(media, &rec)?;
            let Some(pio) = call.attach_container_input.and_then(|a| a.process_io) else {
                continue;
            };
            match pio.kind.as_str() {
                "DATA" => {
                    let is_stdin = pio.data.as_ref().is_some_and(|d| d.kind == "STDIN");
                    if !is_stdin {
                        return Err(bad("Expecting 'process_io.data.type' to be STDIN"));
                    }
                    let bytes = pio
                        .bytes()
                        .ok_or_else(|| bad("'process_io.data.data' is not valid base64"))?;
                    io.input(if bytes.is_empty() {
                        InputOp::Eof
                    } else {
                        InputOp::Data(bytes)
                    });
                }
                "CONTROL" => {
                    let c = pio.control.unwrap_or_default();
                    if c.kind == "TTY_INFO" {
                        if let Some(w) = c.tty_info.and_then(|t| t.window_size) {
                            io.input(InputOp::Resize(
                                w.rows.min(u16::MAX as u32) as u16,
                                w.columns.min(u16::MAX as u32) as u16,
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
        match data.next().await {
            Some(Ok(b)) => dec.push(&b),
            Some(Err(_)) | None => return Ok(()),
        }
    }
}

/// The WAIT response of `kind` (`WAIT_CONTAINER` or `WAIT_NESTED_CONTAINER`).
pub fn wait_response(kind: &str, w: WaitContainer) -> AgentResponse {
    if kind == "WAIT_CONTAINER" {
        AgentResponse::WaitContainer { wait_container: w }
    } else {
        AgentResponse::WaitNestedContainer {
            wait_nested_container: w,
        }
    }
}
