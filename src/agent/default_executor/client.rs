//! The default executor's two HTTP conversations with its agent: the v1
//! executor API (`/slave(1)/api/v1/executor`: SUBSCRIBE stream, UPDATE)
//! and the agent operator API (`/slave(1)/api/v1`: the nested-container
//! calls). Protobuf (as real default executors speak), or JSON when
//! `MESOS_DEFAULT_EXECUTOR_WIRE=json`, through `crate::wire::proto`; the
//! executor token (if the agent gave one) as `Authorization: Bearer` on
//! every call.

use std::time::Duration;

use reqwest::header;
use serde::{Deserialize, Serialize};

use super::config::Settings;
use crate::recordio::Decoder;
use crate::wire::agent_v1::{ContainerId, Id, V1TaskStatus};
use crate::wire::executor::{self, Call, Event, Subscribe, Update};
use crate::wire::process_io::{self, ContainerRef, LaunchContainer};
use crate::wire::proto::{self, Media};

/// What went wrong with one call.
#[derive(Clone, Debug, PartialEq)]
pub enum CallError {
    /// No answer (refused, reset, timed out): the agent may be restarting.
    Transport(String),
    /// An answer other than the expected status.
    Status(u16, String),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Transport(e) => write!(f, "{e}"),
            CallError::Status(code, body) if body.is_empty() => write!(f, "agent answered {code}"),
            CallError::Status(code, body) => write!(f, "agent answered {code}: {body}"),
        }
    }
}

/// An agent operator `Call` with the nested-container payloads.
#[derive(Clone, Debug, Default, Serialize)]
pub struct OperatorCall {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_nested_container: Option<LaunchContainer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wait_nested_container: Option<ContainerRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kill_nested_container: Option<KillContainer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remove_nested_container: Option<ContainerRef>,
}

/// `kill_nested_container`: a container and a signal.
#[derive(Clone, Debug, Default, Serialize)]
pub struct KillContainer {
    pub container_id: ContainerId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signal: Option<i32>,
}

/// The part of a WAIT_(NESTED_)CONTAINER response the executor reads.
#[derive(Clone, Debug, Default, Deserialize)]
struct WaitResponse {
    #[serde(default)]
    wait_nested_container: Option<WaitPayload>,
    #[serde(default)]
    wait_container: Option<WaitPayload>,
}

#[derive(Clone, Debug, Default, Deserialize)]
struct WaitPayload {
    #[serde(default)]
    exit_status: Option<i32>,
}

/// The agent, as this executor talks to it.
pub struct Agent {
    /// For the long-lived calls (SUBSCRIBE, WAIT): no overall deadline.
    long: reqwest::Client,
    /// For the rest: a 30 s deadline.
    short: reqwest::Client,
    base: String,
    token: Option<String>,
    media: Media,
    framework_id: Id,
    executor_id: Id,
}

impl Agent {
    pub fn new(s: &Settings) -> Result<Agent, String> {
        crate::http::install_crypto_provider();
        let build = |deadline: Option<Duration>| {
            let mut b = reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(5))
                .no_proxy()
                .user_agent(concat!(
                    "mesos-default-executor/",
                    env!("CARGO_PKG_VERSION")
                ));
            if let Some(d) = deadline {
                b = b.timeout(d);
            }
            b.build()
                .map_err(|e| format!("cannot set up the HTTP client: {e}"))
        };
        Ok(Agent {
            long: build(None)?,
            short: build(Some(Duration::from_secs(30)))?,
            base: s.agent.clone(),
            token: s.token.clone(),
            media: s.media,
            framework_id: Id::new(s.framework_id.clone()),
            executor_id: Id::new(s.executor_id.clone()),
        })
    }

    /// The encoding this executor speaks.
    pub fn media(&self) -> Media {
        self.media
    }

    fn post(&self, long: bool, path: &str, body: Vec<u8>) -> reqwest::RequestBuilder {
        let c = if long { &self.long } else { &self.short };
        let mut rb = c
            .post(format!("{}{path}", self.base))
            .header(header::CONTENT_TYPE, self.media.as_str())
            .header(header::ACCEPT, self.media.as_str())
            .body(body);
        if let Some(t) = &self.token {
            rb = rb.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        rb
    }

    fn call(&self, kind: &str) -> Call {
        Call {
            executor_id: self.executor_id.clone(),
            framework_id: self.framework_id.clone(),
            kind: kind.into(),
            ..Call::default()
        }
    }

    /// SUBSCRIBE with what is not acknowledged yet; on 200 the event
    /// stream to read with [`next_event`].
    pub async fn subscribe(&self, subscribe: Subscribe) -> Result<reqwest::Response, CallError> {
        let mut call = self.call("SUBSCRIBE");
        call.subscribe = Some(subscribe);
        let body = encode(self.media, &call, executor::CALL)?;
        let resp = self
            .post(true, "/slave(1)/api/v1/executor", body)
            .send()
            .await
            .map_err(transport)?;
        expect(resp, 200).await
    }

    /// UPDATE (202).
    pub async fn update(&self, status: V1TaskStatus) -> Result<(), CallError> {
        let mut call = self.call("UPDATE");
        call.update = Some(Update { status });
        let body = encode(self.media, &call, executor::CALL)?;
        let resp = self
            .post(false, "/slave(1)/api/v1/executor", body)
            .send()
            .await
            .map_err(transport)?;
        expect(resp, 202).await.map(|_| ())
    }

    /// An operator call: the answer's media (its `Content-Type`) and body.
    async fn operator(
        &self,
        long: bool,
        call: &OperatorCall,
    ) -> Result<(Media, Vec<u8>), CallError> {
        let body = encode(self.media, call, process_io::AGENT_CALL)?;
        let resp = self
            .post(long, "/slave(1)/api/v1", body)
            .send()
            .await
            .map_err(transport)?;
        let resp = expect(resp, 200).await?;
        let media = media_of(&resp).unwrap_or(self.media);
        resp.bytes()
            .await
            .map(|b| (media, b.to_vec()))
            .map_err(|e| CallError::Transport(crate::http::root_cause(&e)))
    }

    /// LAUNCH_NESTED_CONTAINER.
    pub async fn launch(&self, launch: LaunchContainer) -> Result<(), CallError> {
        let call = OperatorCall {
            kind: "LAUNCH_NESTED_CONTAINER".into(),
            launch_nested_container: Some(launch),
            ..OperatorCall::default()
        };
        self.operator(false, &call).await.map(|_| ())
    }

    /// WAIT_NESTED_CONTAINER (long-poll): the raw wait status, `None` when
    /// the agent knows none.
    pub async fn wait(&self, container: &ContainerId) -> Result<Option<i32>, CallError> {
        let call = OperatorCall {
            kind: "WAIT_NESTED_CONTAINER".into(),
            wait_nested_container: Some(ContainerRef {
                container_id: container.clone(),
            }),
            ..OperatorCall::default()
        };
        let (media, body) = self.operator(true, &call).await?;
        let json = proto::body_to_json(media, "mesos.v1.agent.Response", &body)
            .map_err(|e| CallError::Status(200, e.to_string()))?;
        let r: WaitResponse = serde_json::from_slice(&json).map_err(|e| {
            CallError::Status(200, format!("unexpected WAIT_NESTED_CONTAINER answer: {e}"))
        })?;
        Ok(r.wait_nested_container
            .or(r.wait_container)
            .and_then(|w| w.exit_status))
    }

    /// KILL_NESTED_CONTAINER with `signal`.
    pub async fn kill(&self, container: &ContainerId, signal: i32) -> Result<(), CallError> {
        let call = OperatorCall {
            kind: "KILL_NESTED_CONTAINER".into(),
            kill_nested_container: Some(KillContainer {
                container_id: container.clone(),
                signal: Some(signal),
            }),
            ..OperatorCall::default()
        };
        self.operator(false, &call).await.map(|_| ())
    }
}

impl Agent {
    /// REMOVE_NESTED_CONTAINER (of an ended container).
    pub async fn remove(&self, container: &ContainerId) -> Result<(), CallError> {
        let call = OperatorCall {
            kind: "REMOVE_NESTED_CONTAINER".into(),
            remove_nested_container: Some(ContainerRef {
                container_id: container.clone(),
            }),
            ..OperatorCall::default()
        };
        self.operator(false, &call).await.map(|_| ())
    }
}

/// Reads the events of a SUBSCRIBE stream.
pub struct EventStream {
    resp: reqwest::Response,
    decoder: Decoder,
    media: Media,
}

impl EventStream {
    /// The stream of a SUBSCRIBE answer, its records in the answer's
    /// `Content-Type` (else the media asked for).
    pub fn new(resp: reqwest::Response, asked: Media) -> EventStream {
        let media = media_of(&resp).unwrap_or(asked);
        EventStream {
            resp,
            decoder: Decoder::new(),
            media,
        }
    }

    /// The next event; `Err` when the stream ended or broke.
    pub async fn next_event(&mut self) -> Result<Event, String> {
        loop {
            if let Some(record) = self.decoder.next_record()? {
                let json = proto::body_to_json(self.media, executor::EVENT, &record)
                    .map_err(|e| e.to_string())?;
                return serde_json::from_slice(&json).map_err(|e| {
                    format!("the agent sent an event this executor cannot read: {e}")
                });
            }
            match self.resp.chunk().await {
                Ok(Some(bytes)) => self.decoder.push(&bytes),
                Ok(None) => return Err("the agent closed the event stream".into()),
                Err(e) => return Err(crate::http::root_cause(&e)),
            }
        }
    }
}

fn encode<T: Serialize>(media: Media, value: &T, message: &str) -> Result<Vec<u8>, CallError> {
    proto::write(media, message, value).map_err(|e| CallError::Status(0, e.to_string()))
}

/// The media of an answer's `Content-Type`.
fn media_of(resp: &reqwest::Response) -> Option<Media> {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(Media::of_content_type)
}

fn transport(e: reqwest::Error) -> CallError {
    CallError::Transport(crate::http::root_cause(&e))
}

async fn expect(resp: reqwest::Response, want: u16) -> Result<reqwest::Response, CallError> {
    let code = resp.status().as_u16();
    if code == want || (want == 202 && code == 200) {
        return Ok(resp);
    }
    let body = resp.text().await.unwrap_or_default();
    let line = body.lines().next().unwrap_or("").trim();
    Err(CallError::Status(code, line.chars().take(300).collect()))
}
