//! A v1 HTTP scheduler client (docs/wire-notes.md#scheduler-api), JSON or protobuf
//! (`--wire` / `MESOS_WIRE`, docs/wire-notes.md#protobuf): used by
//! `mesos execute`, `mesos kill` and by tests. Works against real Mesos 1.x
//! masters and the bundled master alike.
//!
//! Calls are the typed [`Call`] of `wire::scheduler` (the one the bundled
//! master parses), events the typed [`Event`] of `wire::event` (the one it
//! writes); [`Events::next_json`] hands out an event as the master wrote it,
//! for tests and raw passthrough.

use futures_util::StreamExt;
use reqwest::{header, Method, StatusCode, Url};

use crate::error::{excerpt, Result};
use crate::http::HttpClient;
use crate::leader::endpoint;
use crate::recordio::Decoder;
use crate::wire::agent_v1::{CommandInfo, Id, KillPolicy, TaskInfo, V1TaskStatus};
use crate::wire::event::{Event, EventType};
use crate::wire::proto::{self, Media};
use crate::wire::scheduler::{Call, FrameworkInfo, IdRef, Operation, ReconcileTask};
use crate::wire::Resource;

/// What can go wrong subscribing and reading events. The exit code of each
/// variant is decided in `crate::error` (the `From<SchedulerError>` impl).
#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    #[error("{url}: not a scheduler event ({cause}): {excerpt}")]
    BadEvent {
        url: Url,
        cause: serde_json::Error,
        excerpt: String,
    },
    #[error("{url}: event is not JSON ({cause}): {excerpt}")]
    EventNotJson {
        url: Url,
        cause: serde_json::Error,
        excerpt: String,
    },
    /// The RecordIO framing of the stream is broken.
    #[error("{url}: {why}")]
    BadRecord { url: Url, why: String },
    #[error("{url}: event stream broke: {why}")]
    StreamBroke { url: Url, why: String },
    #[error("{url} redirected to an unusable Location '{location}': {cause}")]
    BadRedirect {
        url: Url,
        location: String,
        cause: String,
    },
    #[error("{0} closed the subscription before SUBSCRIBED")]
    ClosedBeforeSubscribed(Url),
    #[error("the master refused the subscription: {0}")]
    Refused(String),
    #[error("{0}: expected SUBSCRIBED, got an event of unknown type")]
    UnknownFirstEvent(Url),
    #[error("{url}: expected SUBSCRIBED, got {got}")]
    UnexpectedFirstEvent { url: Url, got: String },
    #[error("{0}: too many redirects subscribing")]
    TooManyRedirects(Url),
    #[error("{url}: {why}")]
    Protobuf { url: Url, why: String },
}

/// A subscribed framework: make calls with it.
#[derive(Clone, Debug)]
pub struct Scheduler {
    http: HttpClient,
    /// `.../api/v1/scheduler` on the leader that accepted the subscription.
    pub url: Url,
    pub stream_id: String,
    pub framework_id: String,
    /// The encoding of calls and events.
    pub media: Media,
}

/// The event stream of a subscription.
pub struct Events {
    body: std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    decoder: Decoder,
    url: Url,
    media: Media,
}

impl Events {
    /// The next event, `Ok(None)` when the master closed the stream.
    pub async fn next(&mut self) -> Result<Option<Event>> {
        let Some(rec) = self.next_record().await? else {
            return Ok(None);
        };
        serde_json::from_slice(&rec).map(Some).map_err(|e| {
            SchedulerError::BadEvent {
                url: self.url.clone(),
                cause: e,
                excerpt: excerpt(&rec, 120),
            }
            .into()
        })
    }

    /// The next event as the master wrote it (JSON, not interpreted):
    /// for tests and raw passthrough.
    pub async fn next_json(&mut self) -> Result<Option<serde_json::Value>> {
        let Some(rec) = self.next_record().await? else {
            return Ok(None);
        };
        serde_json::from_slice(&rec).map(Some).map_err(|e| {
            SchedulerError::EventNotJson {
                url: self.url.clone(),
                cause: e,
                excerpt: excerpt(&rec, 120),
            }
            .into()
        })
    }

    /// The next RecordIO record as JSON, `Ok(None)` at the end of the
    /// stream (protobuf events are read into their JSON mapping).
    async fn next_record(&mut self) -> Result<Option<Vec<u8>>> {
        let Some(rec) = self.next_raw().await? else {
            return Ok(None);
        };
        match proto::body_to_json(self.media, "mesos.v1.scheduler.Event", &rec) {
            Ok(json) => Ok(Some(json)),
            Err(e) => Err(SchedulerError::Protobuf {
                url: self.url.clone(),
                why: e.to_string(),
            }
            .into()),
        }
    }

    async fn next_raw(&mut self) -> Result<Option<Vec<u8>>> {
        loop {
            match self.decoder.next_record() {
                Ok(Some(rec)) => return Ok(Some(rec)),
                Ok(None) => {}
                Err(e) => {
                    return Err(SchedulerError::BadRecord {
                        url: self.url.clone(),
                        why: e.to_string(),
                    }
                    .into())
                }
            }
            match self.body.next().await {
                Some(Ok(chunk)) => self.decoder.push(&chunk),
                Some(Err(e)) => {
                    return Err(SchedulerError::StreamBroke {
                        url: self.url.clone(),
                        why: crate::http::root_cause(&e),
                    }
                    .into())
                }
                None => return Ok(None),
            }
        }
    }
}

impl Scheduler {
    /// SUBSCRIBE with `framework_info`. Follows redirects to the leader.
    /// Returns the client, the event stream, and the SUBSCRIBED event.
    pub async fn subscribe(
        http: &HttpClient,
        master: &Url,
        framework_info: FrameworkInfo,
    ) -> Result<(Scheduler, Events, Event)> {
        let mut url = endpoint(master, "/api/v1/scheduler");
        let media = proto::client_media();
        let body = encode_call(media, &url, &Call::subscribe(framework_info))?;
        for _ in 0..5 {
            let rb = http
                .stream_request(Method::POST, url.clone())
                .header(header::CONTENT_TYPE, media.as_str())
                .header(header::ACCEPT, media.as_str())
                .body(body.clone());
            let resp = http.send(rb, &url).await?;
            let status = resp.status();
            if status.is_redirection() {
                let loc = resp
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                let abs = if loc.starts_with("//") {
                    format!("{}:{loc}", url.scheme())
                } else {
                    loc.clone()
                };
                url = Url::parse(&abs).or_else(|_| url.join(&loc)).map_err(|e| {
                    SchedulerError::BadRedirect {
                        url: url.clone(),
                        location: loc.clone(),
                        cause: e.to_string(),
                    }
                })?;
                continue;
            }
            if status != StatusCode::OK {
                let body = resp.bytes().await.unwrap_or_default();
                return Err(crate::http::status_error(&url, status, &body));
            }
            let stream_id = resp
                .headers()
                .get("mesos-stream-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            let mut events = Events {
                body: Box::pin(resp.bytes_stream()),
                decoder: Decoder::new(),
                url: url.clone(),
                media,
            };
            let first = events
                .next()
                .await?
                .ok_or_else(|| SchedulerError::ClosedBeforeSubscribed(url.clone()))?;
            let framework_id = match (first.kind, &first.subscribed, &first.error) {
                (EventType::Subscribed, Some(s), _) => s.framework_id.value.clone(),
                (EventType::Subscribed, None, _) => String::new(),
                (EventType::Error, _, e) => {
                    return Err(SchedulerError::Refused(
                        e.as_ref().map_or("?", |e| e.message.as_str()).to_string(),
                    )
                    .into())
                }
                (EventType::Unknown, _, _) => {
                    return Err(SchedulerError::UnknownFirstEvent(url).into())
                }
                (other, _, _) => {
                    return Err(SchedulerError::UnexpectedFirstEvent {
                        url,
                        got: other.as_str().to_string(),
                    }
                    .into())
                }
            };
            let s = Scheduler {
                http: http.clone(),
                url,
                stream_id,
                framework_id,
                media,
            };
            return Ok((s, events, first));
        }
        Err(SchedulerError::TooManyRedirects(master.clone()).into())
    }

    /// Send one call (framework id and stream id are added). Expects 202/200.
    pub async fn call(&self, call: Call) -> Result<()> {
        let body = encode_call(
            self.media,
            &self.url,
            &call.from_framework(&self.framework_id),
        )?;
        let rb = self
            .http
            .request(Method::POST, self.url.clone(), false)
            .header(header::CONTENT_TYPE, self.media.as_str())
            .header(header::ACCEPT, self.media.as_str())
            .header("Mesos-Stream-Id", &self.stream_id)
            .body(body);
        let resp = self.http.send(rb, &self.url).await?;
        let status = resp.status();
        if status == StatusCode::ACCEPTED || status == StatusCode::OK {
            return Ok(());
        }
        let body = resp.bytes().await.unwrap_or_default();
        Err(crate::http::status_error(&self.url, status, &body))
    }

    /// ACCEPT offers with one LAUNCH of `task_infos`.
    pub async fn launch(
        &self,
        offer_ids: &[Id],
        task_infos: Vec<TaskInfo>,
        refuse_seconds: f64,
    ) -> Result<()> {
        self.call(Call::accept(
            id_refs(offer_ids),
            vec![Operation::launch(task_infos)],
            refuse_seconds,
        ))
        .await
    }

    /// DECLINE offers.
    pub async fn decline(&self, offer_ids: &[Id], refuse_seconds: f64) -> Result<()> {
        self.call(Call::decline(id_refs(offer_ids), refuse_seconds))
            .await
    }

    /// ACKNOWLEDGE an UPDATE's status if it carries a uuid.
    pub async fn acknowledge(&self, status: &V1TaskStatus) -> Result<()> {
        let Some(uuid) = &status.uuid else {
            return Ok(());
        };
        let agent_id = status.agent_id.as_ref().map(|a| a.value.as_str());
        self.call(Call::acknowledge(agent_id, &status.task_id.value, uuid))
            .await
    }

    /// KILL a task.
    pub async fn kill(&self, task_id: &str, agent_id: Option<&str>) -> Result<()> {
        self.kill_with(task_id, agent_id, None).await
    }

    /// KILL a task with a `KillPolicy` (a grace period).
    pub async fn kill_with(
        &self,
        task_id: &str,
        agent_id: Option<&str>,
        kill_policy: Option<KillPolicy>,
    ) -> Result<()> {
        self.call(Call::kill(task_id, agent_id, kill_policy)).await
    }

    /// TEARDOWN the framework.
    pub async fn teardown(&self) -> Result<()> {
        self.call(Call::of("TEARDOWN")).await
    }

    /// SUPPRESS offers.
    pub async fn suppress(&self) -> Result<()> {
        self.call(Call::suppress()).await
    }

    /// REVIVE offers.
    pub async fn revive(&self) -> Result<()> {
        self.call(Call::revive()).await
    }

    /// RECONCILE (empty list = implicit).
    pub async fn reconcile(&self, tasks: Vec<ReconcileTask>) -> Result<()> {
        self.call(Call::reconcile(tasks)).await
    }
}

/// A call's body in `media`.
fn encode_call(media: Media, url: &Url, call: &Call) -> Result<Vec<u8>> {
    proto::write(media, "mesos.v1.scheduler.Call", call).map_err(|e| {
        SchedulerError::Protobuf {
            url: url.clone(),
            why: e.to_string(),
        }
        .into()
    })
}

fn id_refs(ids: &[Id]) -> Vec<IdRef> {
    ids.iter().map(|i| IdRef::new(&i.value)).collect()
}

/// A command TaskInfo for `agent_id` with `resources`.
pub fn command_task(
    id: &str,
    name: &str,
    agent_id: &str,
    shell_cmd: &str,
    resources: Vec<Resource>,
) -> TaskInfo {
    TaskInfo {
        name: Some(name.to_string()),
        task_id: Id::new(id),
        agent_id: Some(Id::new(agent_id)),
        resources: resources.to_vec(),
        command: Some(CommandInfo {
            shell: Some(true),
            value: Some(shell_cmd.to_string()),
            ..CommandInfo::default()
        }),
        ..TaskInfo::default()
    }
}
