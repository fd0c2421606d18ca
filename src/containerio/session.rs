//! One exec or attach session against an agent: the output stream
//! (LAUNCH_NESTED_CONTAINER_SESSION or ATTACH_CONTAINER_OUTPUT), the input
//! stream (ATTACH_CONTAINER_INPUT) fed from local events, and the exit
//! status (WAIT_CONTAINER, started as soon as the container is known).

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::{header, Method, StatusCode, Url};
use tokio::sync::mpsc::{self, UnboundedReceiver};

use super::calls::{exit_code, AgentContainerCall, WaitResponse, WaitResult, AGENT_RESPONSE};
use super::input::{self, Input, Record, HEARTBEAT};
use super::output::{OutputDecoder, Sinks};
use crate::error::{Error, Result};
use crate::http::{transport_error, HttpClient};
use crate::leader::endpoint;
use crate::wire::agent_v1::ContainerId;
use crate::wire::process_io::{LaunchContainer, AGENT_CALL};
use crate::wire::proto::{self, Media, RECORDIO};

/// The v1 operator API of one agent.
#[derive(Clone, Debug)]
pub struct Agent {
    pub http: HttpClient,
    /// `<agent>/slave(1)/api/v1`.
    pub api: Url,
    /// How the agent is named in messages (`host:port`).
    pub name: String,
    /// The per-message encoding asked for (JSON unless protobuf is chosen).
    pub media: Media,
}

impl Agent {
    pub fn new(http: HttpClient, base: &Url, media: Media) -> Agent {
        let name = match (base.host_str(), base.port_or_known_default()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            _ => base.to_string(),
        };
        Agent {
            http,
            api: endpoint(base, "/slave(1)/api/v1"),
            name,
            media: Media::Json,
        }
        .with_media(media)
    }

    fn with_media(mut self, media: Media) -> Agent {
        self.media = media;
        self
    }

    fn body(&self, call: &AgentContainerCall) -> Result<Vec<u8>> {
        proto::write(self.media, AGENT_CALL, call)
            .map_err(|e| Error::failed(format!("cannot encode {}: {e}", call.kind)))
    }

    /// POST a call whose answer is a RecordIO stream of `ProcessIO`.
    async fn post_streaming(&self, call: &AgentContainerCall) -> Result<reqwest::Response> {
        let rb = self
            .http
            .stream_request(Method::POST, self.api.clone())
            .header(header::CONTENT_TYPE, self.media.as_str())
            .header(header::ACCEPT, RECORDIO)
            .header("Message-Accept", self.media.as_str())
            .body(self.body(call)?);
        let resp = self.http.send(rb, &self.api).await?;
        self.check(&call.kind, resp).await
    }

    /// An error response as one line: unsupported calls and media say so.
    async fn check(&self, call: &str, resp: reqwest::Response) -> Result<reqwest::Response> {
        let status = resp.status();
        if status.is_success() {
            return Ok(resp);
        }
        let text = resp.text().await.unwrap_or_default();
        Err(refused(&self.name, call, status, &text))
    }

    /// WAIT_CONTAINER (WAIT_NESTED_CONTAINER on agents that lack it).
    pub async fn wait(&self, id: &ContainerId) -> Result<WaitResult> {
        match self.wait_call(id, false).await {
            Err(e) if e.message.contains("HTTP 400") || e.message.contains("HTTP 501") => {
                if id.parent.is_some() {
                    self.wait_call(id, true).await.map_err(|_| e)
                } else {
                    Err(e)
                }
            }
            r => r,
        }
    }

    async fn wait_call(&self, id: &ContainerId, nested: bool) -> Result<WaitResult> {
        let call = AgentContainerCall::wait(id.clone(), nested);
        let rb = self
            .http
            .stream_request(Method::POST, self.api.clone())
            .header(header::CONTENT_TYPE, self.media.as_str())
            .header(header::ACCEPT, self.media.as_str())
            .body(self.body(&call)?);
        let resp = self.http.send(rb, &self.api).await?;
        let resp = self.check(&call.kind, resp).await?;
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| transport_error(&self.api, &e, self.http.timeout))?;
        let json = proto::body_to_json(self.media, AGENT_RESPONSE, &bytes)
            .map_err(|e| Error::failed(format!("{}: {e}", call.kind)))?;
        let w: WaitResponse = serde_json::from_slice(&json).map_err(|e| {
            Error::failed(format!(
                "the agent at {} answered {} with something else ({e})",
                self.name, call.kind
            ))
        })?;
        w.result().cloned().ok_or_else(|| {
            Error::failed(format!(
                "the agent at {} answered {} without a result",
                self.name, call.kind
            ))
        })
    }
}

/// The one-line error for a refused call.
pub fn refused(agent: &str, call: &str, status: StatusCode, text: &str) -> Error {
    let text = crate::error::one_line(text.trim());
    let detail = if text.is_empty() {
        format!("HTTP {}", status.as_u16())
    } else {
        format!("HTTP {}: {text}", status.as_u16())
    };
    if status == StatusCode::NOT_IMPLEMENTED || (status == StatusCode::NOT_FOUND && text.is_empty())
    {
        return Error::failed(format!(
            "the agent at {agent} does not support {call} ({detail})"
        ))
        .with_hint("exec and attach need a Mesos 1.x agent with the Mesos containerizer");
    }
    if status == StatusCode::NOT_ACCEPTABLE || status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
        return Error::failed(format!(
            "the agent at {agent} does not accept the streaming media types of {call} ({detail})"
        ));
    }
    if call == "ATTACH_CONTAINER_OUTPUT" && text.to_ascii_lowercase().contains("switchboard") {
        return Error::failed(format!(
            "the task's container has no terminal to attach to ({detail})"
        ))
        .with_hint("`mesos attach` works with tasks launched with a TTY (`mesos execute --tty`); `mesos exec` runs a new command in any task");
    }
    Error::failed(format!("the agent at {agent} refused {call} ({detail})"))
}

/// What the session runs.
#[derive(Clone, Debug)]
pub enum Target {
    /// A new nested container (`mesos exec`).
    Launch(Box<LaunchContainer>),
    /// An existing container with an I/O switchboard (`mesos attach`).
    Attach(ContainerId),
}

/// A session's settings.
#[derive(Clone, Debug)]
pub struct Session {
    pub target: Target,
    /// Attach stdin (ATTACH_CONTAINER_INPUT).
    pub interactive: bool,
    /// The container has a TTY: window changes are sent, end of input is
    /// EOT (`\x04`).
    pub tty: bool,
    /// Send a 0x0 window before the first real one, so full-screen
    /// programs redraw (attaching to a running TTY).
    pub redraw: bool,
    /// How long to wait for the exit status once the output has ended.
    pub wait_deadline: Duration,
}

/// How a session ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The command exited with this code (128 + n for signal n).
    Exited(u8),
    /// The output ended and the agent told no exit status.
    Ended,
    /// The detach keys were typed.
    Detached,
    /// A signal stopped us; exit with this code.
    Interrupted(u8),
    /// Our stdout was closed (a pipe reader went away).
    OutputClosed,
}

impl Session {
    fn container(&self) -> ContainerId {
        match &self.target {
            Target::Launch(l) => l.container_id.clone(),
            Target::Attach(id) => id.clone(),
        }
    }
}

/// The media a stream response says its records are in.
fn response_media(resp: &reqwest::Response, asked: Media) -> Media {
    let h = |n: &str| {
        resp.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .and_then(Media::of_content_type)
    };
    h("Message-Content-Type")
        .or_else(|| h(header::CONTENT_TYPE.as_str()))
        .unwrap_or(asked)
}

/// Run a session to its end. `events` are the local side's (stdin,
/// window changes, detach, interrupts); output goes to `sinks`.
pub async fn run(
    agent: &Agent,
    s: &Session,
    mut events: UnboundedReceiver<Input>,
    sinks: &mut Sinks,
) -> Result<Outcome> {
    let container = s.container();
    let call = match &s.target {
        Target::Launch(l) => AgentContainerCall::launch_session((**l).clone()),
        Target::Attach(id) => AgentContainerCall::attach_output(id.clone()),
    };
    let resp = agent.post_streaming(&call).await?;
    let mut decoder = OutputDecoder::new(response_media(&resp, agent.media));

    // The exit status: asked for now, so that it is known however the
    // agent treats the container once the output stream closes.
    let waiter = {
        let agent = agent.clone();
        let id = container.clone();
        tokio::spawn(async move { agent.wait(&id).await })
    };

    // The input stream.
    let (body_tx, body_rx) = mpsc::unbounded_channel::<Record>();
    let mut input_task = if s.interactive {
        if s.redraw && s.tty {
            let _ = body_tx.send(Record::Window(0, 0));
        }
        let body = input::body(agent.media, container.clone(), body_rx);
        let rb = agent
            .http
            .stream_request(Method::POST, agent.api.clone())
            .header(header::CONTENT_TYPE, RECORDIO)
            .header("Message-Content-Type", agent.media.as_str())
            .header(header::ACCEPT, agent.media.as_str())
            .body(reqwest::Body::wrap_stream(body));
        let http = agent.http.clone();
        let api = agent.api.clone();
        Some(tokio::spawn(async move {
            let resp = http.send(rb, &api).await?;
            let status = resp.status();
            let text = resp.text().await.unwrap_or_default();
            Ok::<_, Error>((status, text))
        }))
    } else {
        drop(body_rx);
        None
    };

    let mut heartbeat =
        tokio::time::interval_at(tokio::time::Instant::now() + HEARTBEAT, HEARTBEAT);
    let mut stream = resp.bytes_stream();
    let mut events_open = true;
    loop {
        tokio::select! {
            chunk = stream.next() => match chunk {
                Some(Ok(bytes)) => {
                    let records = decoder.push(&bytes).map_err(|e| {
                        Error::failed(format!("the output stream of {} from {}: {e}", container.chain(), agent.name))
                    })?;
                    for io in &records {
                        match sinks.write(io) {
                            Ok(()) => {}
                            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                                return Ok(Outcome::OutputClosed)
                            }
                            Err(e) => return Err(Error::failed(format!("cannot write the output: {e}"))),
                        }
                    }
                }
                Some(Err(e)) => {
                    return Err(transport_error(&agent.api, &e, agent.http.timeout)
                        .context(format!("the output stream of {}", container.chain())));
                }
                None => break,
            },
            ev = events.recv(), if events_open => match ev {
                Some(Input::Data(d)) => { if s.interactive { let _ = body_tx.send(Record::Stdin(d)); } }
                Some(Input::Eof) => {
                    if s.interactive {
                        let eof = if s.tty { vec![0x04] } else { Vec::new() };
                        let _ = body_tx.send(Record::Stdin(eof));
                    }
                }
                Some(Input::Window(rows, cols)) => {
                    if s.interactive && s.tty { let _ = body_tx.send(Record::Window(rows, cols)); }
                }
                Some(Input::Detach) => return Ok(Outcome::Detached),
                Some(Input::Interrupt(code)) => return Ok(Outcome::Interrupted(code)),
                None => events_open = false,
            },
            _ = heartbeat.tick(), if s.interactive => { let _ = body_tx.send(Record::Heartbeat); }
            r = async { input_task.as_mut().unwrap().await }, if input_task.is_some() => {
                input_task = None;
                match r {
                    Ok(Ok((st, _))) if st.is_success() => {}
                    // The container is gone already: its output still ends the session.
                    Ok(Ok((StatusCode::INTERNAL_SERVER_ERROR, _))) => {}
                    Ok(Ok((st, text))) => return Err(refused(&agent.name, "ATTACH_CONTAINER_INPUT", st, &text)),
                    Ok(Err(e)) => return Err(e.context("ATTACH_CONTAINER_INPUT")),
                    Err(e) => return Err(Error::failed(format!("the input stream failed: {e}"))),
                }
            }
        }
    }
    if let Some(t) = input_task {
        t.abort();
    }
    if decoder.pending() > 0 {
        crate::output::warn(format!(
            "the output stream of {} ended in the middle of a record",
            container.chain()
        ));
    }
    let waited = tokio::time::timeout(s.wait_deadline, waiter).await;
    let launched = matches!(s.target, Target::Launch(_));
    match waited {
        Ok(Ok(Ok(r))) => match r.exit_status {
            Some(st) => Ok(Outcome::Exited(exit_code(st))),
            None if launched => Err(Error::failed(format!(
                "the agent at {} told no exit status for {}{}",
                agent.name,
                container.chain(),
                r.message.map(|m| format!(": {m}")).unwrap_or_default()
            ))),
            None => Ok(Outcome::Ended),
        },
        Ok(Ok(Err(e))) if launched => {
            Err(e.context(format!("the exit status of {}", container.chain())))
        }
        Err(_) if launched => Err(Error::timeout(format!(
            "the output of {} ended but the agent at {} told no exit status within {:?}",
            container.chain(),
            agent.name,
            s.wait_deadline
        ))),
        Ok(Err(e)) if launched => Err(Error::failed(format!("waiting for the exit status: {e}"))),
        _ => Ok(Outcome::Ended),
    }
}
