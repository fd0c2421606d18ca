//! A v1 HTTP scheduler client (docs/wire-notes.md#scheduler-api), JSON codec: used by
//! `mesos execute` and by tests. Works against real Mesos 1.x masters and
//! the bundled master alike.

use futures_util::StreamExt;
use reqwest::{header, Method, StatusCode, Url};
use serde_json::{json, Value};

use crate::error::{excerpt, Error, Result};
use crate::http::HttpClient;
use crate::leader::endpoint;
use crate::recordio::Decoder;

/// A subscribed framework: make calls with it.
#[derive(Clone, Debug)]
pub struct Scheduler {
    http: HttpClient,
    /// `.../api/v1/scheduler` on the leader that accepted the subscription.
    pub url: Url,
    pub stream_id: String,
    pub framework_id: String,
}

/// The event stream of a subscription.
pub struct Events {
    body: std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    decoder: Decoder,
    url: Url,
}

impl Events {
    /// The next event, `Ok(None)` when the master closed the stream.
    pub async fn next(&mut self) -> Result<Option<Value>> {
        loop {
            match self.decoder.next_record() {
                Ok(Some(rec)) => {
                    return serde_json::from_slice(&rec).map(Some).map_err(|e| {
                        Error::failed(format!(
                            "{}: event is not JSON ({e}): {}",
                            self.url,
                            excerpt(&rec, 120)
                        ))
                    })
                }
                Ok(None) => {}
                Err(e) => return Err(Error::failed(format!("{}: {e}", self.url))),
            }
            match self.body.next().await {
                Some(Ok(chunk)) => self.decoder.push(&chunk),
                Some(Err(e)) => {
                    return Err(Error::failed(format!(
                        "{}: event stream broke: {}",
                        self.url,
                        crate::http::root_cause(&e)
                    )))
                }
                None => return Ok(None),
            }
        }
    }
}

impl Scheduler {
    /// SUBSCRIBE with `framework_info` (v1 JSON). Follows redirects to the
    /// leader. Returns the client, the event stream, and the SUBSCRIBED event.
    pub async fn subscribe(
        http: &HttpClient,
        master: &Url,
        framework_info: Value,
    ) -> Result<(Scheduler, Events, Value)> {
        let mut url = endpoint(master, "/api/v1/scheduler");
        let mut call =
            json!({"type": "SUBSCRIBE", "subscribe": {"framework_info": framework_info}});
        if let Some(id) = call.pointer("/subscribe/framework_info/id").cloned() {
            call["framework_id"] = id;
        }
        for _ in 0..5 {
            let rb = http
                .stream_request(Method::POST, url.clone())
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT, "application/json")
                .body(call.to_string());
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
                    Error::failed(format!(
                        "{url} redirected to an unusable Location '{loc}': {e}"
                    ))
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
            };
            let first = events.next().await?.ok_or_else(|| {
                Error::failed(format!("{url} closed the subscription before SUBSCRIBED"))
            })?;
            match first.get("type").and_then(Value::as_str) {
                Some("SUBSCRIBED") => {}
                Some("ERROR") => {
                    return Err(Error::failed(format!(
                        "the master refused the subscription: {}",
                        first
                            .pointer("/error/message")
                            .and_then(Value::as_str)
                            .unwrap_or("?")
                    )))
                }
                other => {
                    return Err(Error::failed(format!(
                        "{url}: expected SUBSCRIBED, got {}",
                        other.unwrap_or("an event without type")
                    )))
                }
            }
            let framework_id = first
                .pointer("/subscribed/framework_id/value")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let s = Scheduler {
                http: http.clone(),
                url,
                stream_id,
                framework_id,
            };
            return Ok((s, events, first));
        }
        Err(Error::failed(format!(
            "{master}: too many redirects subscribing"
        )))
    }

    /// Send one call (framework id and stream id are added). Expects 202/200.
    pub async fn call(&self, mut call: Value) -> Result<()> {
        call["framework_id"] = json!({"value": self.framework_id});
        let rb = self
            .http
            .request(Method::POST, self.url.clone(), false)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .header("Mesos-Stream-Id", &self.stream_id)
            .body(call.to_string());
        let resp = self.http.send(rb, &self.url).await?;
        let status = resp.status();
        if status == StatusCode::ACCEPTED || status == StatusCode::OK {
            return Ok(());
        }
        let body = resp.bytes().await.unwrap_or_default();
        Err(crate::http::status_error(&self.url, status, &body))
    }

    /// ACCEPT offers with LAUNCH of `task_infos`.
    pub async fn launch(
        &self,
        offer_ids: &[Value],
        task_infos: Vec<Value>,
        refuse_seconds: f64,
    ) -> Result<()> {
        self.call(json!({"type": "ACCEPT", "accept": {
            "offer_ids": offer_ids,
            "operations": [{"type": "LAUNCH", "launch": {"task_infos": task_infos}}],
            "filters": {"refuse_seconds": refuse_seconds}
        }}))
        .await
    }

    /// DECLINE offers.
    pub async fn decline(&self, offer_ids: &[Value], refuse_seconds: f64) -> Result<()> {
        self.call(json!({"type": "DECLINE", "decline": {
            "offer_ids": offer_ids, "filters": {"refuse_seconds": refuse_seconds}}}))
            .await
    }

    /// ACKNOWLEDGE an UPDATE's status if it carries a uuid.
    pub async fn acknowledge(&self, status: &Value) -> Result<()> {
        let Some(uuid) = status.get("uuid") else {
            return Ok(());
        };
        self.call(json!({"type": "ACKNOWLEDGE", "acknowledge": {
            "agent_id": status.get("agent_id").cloned().unwrap_or(Value::Null),
            "task_id": status.get("task_id").cloned().unwrap_or(Value::Null),
            "uuid": uuid}}))
            .await
    }

    /// KILL a task.
    pub async fn kill(&self, task_id: &str, agent_id: Option<&str>) -> Result<()> {
        let mut k = json!({"task_id": {"value": task_id}});
        if let Some(a) = agent_id {
            k["agent_id"] = json!({"value": a});
        }
        self.call(json!({"type": "KILL", "kill": k})).await
    }

    /// TEARDOWN the framework.
    pub async fn teardown(&self) -> Result<()> {
        self.call(json!({"type": "TEARDOWN"})).await
    }

    /// SUPPRESS offers.
    pub async fn suppress(&self) -> Result<()> {
        self.call(json!({"type": "SUPPRESS", "suppress": {}})).await
    }

    /// REVIVE offers.
    pub async fn revive(&self) -> Result<()> {
        self.call(json!({"type": "REVIVE", "revive": {}})).await
    }

    /// RECONCILE (empty list = implicit).
    pub async fn reconcile(&self, tasks: Vec<Value>) -> Result<()> {
        self.call(json!({"type": "RECONCILE", "reconcile": {"tasks": tasks}}))
            .await
    }
}

/// A command TaskInfo for `agent_id` with `resources` (v1 JSON array).
pub fn command_task(
    id: &str,
    name: &str,
    agent_id: &Value,
    shell_cmd: &str,
    resources: Vec<Value>,
) -> Value {
    json!({
        "name": name,
        "task_id": {"value": id},
        "agent_id": agent_id,
        "resources": resources,
        "command": {"shell": true, "value": shell_cmd},
    })
}
