//! v1 operator API of the master (`POST /api/v1`, docs/wire-notes.md#operator-api):
//! JSON calls with real-Mesos validation and error texts, synchronous
//! responses `{"type":..,"<call_lc>":{..}}`, and the `SUBSCRIBE` event
//! stream (RecordIO of `Event`s, `SUBSCRIBED` first, then everything
//! published on `Master::events`, and `HEARTBEAT`s).

use std::convert::Infallible;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;

use super::http::{ApiResult, MasterError};
use super::render;
use super::snapshot;
use super::state::Shared;
use super::v0;
use crate::wire::call::{self as wire_call, Call, CallType};
use crate::wire::operator;

/// Seconds between operator `HEARTBEAT` events.
pub const HEARTBEAT_SECS: f64 = 15.0;

use crate::daemon::toggle::{set_verbosity, verbosity as logging_level};

#[cfg(test)]
use crate::daemon::httputil::accepts_json;
use crate::daemon::httputil::media_type as essence;
use crate::wire::proto::{self, Media};

/// A synchronous `Response` body `{"type": T, "<t>": payload}`.
fn respond<T: serde::Serialize>(ty: CallType, payload: T) -> Response {
    super::http::call_response(ty.as_str(), payload)
}

/// `POST /api/v1` (`/master/api/v1`). Only the leader gets here (route
/// layer).
pub async fn api(State(m): State<Shared>, req: Request) -> Response {
    match call(&m, req).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn call(m: &Shared, req: Request) -> ApiResult<Response> {
    if req.method() != Method::POST {
        return Err(MasterError::MethodNotAllowed {
            allow: "POST",
            message: format!(
                "Expecting one of {{ 'POST' }}, but received '{}'",
                req.method()
            ),
        });
    }
    let headers = req.headers().clone();
    let Some(ct) = headers.get(header::CONTENT_TYPE) else {
        return Err(MasterError::bad_request(
            "Expecting 'Content-Type' to be present",
        ));
    };
    let Some(media) = Media::of_content_type(ct.to_str().unwrap_or("")) else {
        return Err(MasterError::UnsupportedMediaType(
            "Expecting 'Content-Type' of application/json or application/x-protobuf".into(),
        ));
    };
    // Bounded by the router's body limit (413 beyond it).
    let body = Bytes::from_request(req, &()).await?;
    let body = match media {
        Media::Json => body,
        Media::Protobuf => Bytes::from(
            proto::body_to_json(media, "mesos.v1.master.Call", &body).map_err(|e| {
                MasterError::BadRequest(format!("Failed to parse body into Call protobuf: {e}"))
            })?,
        ),
    };
    // Parsing and per-call validation come before content negotiation, as
    // in Mesos.
    let call = wire_call::parse(&body).map_err(|e| MasterError::BadRequest(e.message()))?;
    if let Call::Teardown(t) = &call {
        crate::daemon::ids::validate_id("Framework ID", &t.framework_id).map_err(|e| {
            MasterError::BadRequest(wire_call::CallError::Invalid(e.to_string()).message())
        })?;
    }
    let accept = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok());
    let Some(out) = proto::accepted(accept) else {
        return Err(MasterError::NotAcceptable(
            "Expecting 'Accept' to allow application/json or application/x-protobuf".into(),
        ));
    };
    // The state-reading calls are answered from a snapshot, rendered off
    // the async workers (`super::snapshot`), in the accepted media.
    if let Call::Plain(t) = &call {
        if let Some(render) = state_read(*t, out) {
            if out == Media::Protobuf {
                let key = format!("{}\0protobuf", t.as_str());
                return Ok(match snapshot::body(m, &key, render).await {
                    Ok(b) => rendered_protobuf(b),
                    Err(e) => e.into_response(),
                });
            }
            let enc = snapshot::Encoding {
                jsonp: None,
                gzip: crate::daemon::httputil::accepts_gzip(&headers),
            };
            return Ok(snapshot::respond(m, &enc, t.as_str(), render).await);
        }
        if *t == CallType::Subscribe {
            return Ok(subscribe(m, out));
        }
    }
    // The maintenance, quota and weights calls read their payloads from
    // the JSON as sent (it parsed above).
    let raw: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let resp = handle(m, call, &raw).await?;
    Ok(match out {
        Media::Json => resp,
        Media::Protobuf => to_protobuf(resp).await,
    })
}

/// A `200` with a protobuf body.
fn protobuf_response(body: Bytes) -> Response {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, proto::PROTOBUF)
        .body(Body::from(body))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// The first byte of a render that failed to encode: field number 0 is
/// never valid protobuf, so no encoded `Response` starts with it.
const ENCODE_FAILED: u8 = 0;

/// A state-reading call's `Response` as protobuf bytes, or (when the
/// typed value does not fit the message) [`ENCODE_FAILED`] followed by the
/// one-line cause, which [`rendered_protobuf`] answers as a `500`.
fn protobuf_render<T: serde::Serialize>(r: &T) -> Vec<u8> {
    protobuf_or_failure(proto::encode("mesos.v1.master.Response", r))
}

/// Protobuf bytes, or [`ENCODE_FAILED`] and the cause.
fn protobuf_or_failure(r: Result<Vec<u8>, proto::ProtoError>) -> Vec<u8> {
    match r {
        Ok(b) => b,
        Err(e) => {
            crate::warning!("{e}");
            let mut b = vec![ENCODE_FAILED];
            b.extend_from_slice(e.to_string().as_bytes());
            b
        }
    }
}

/// A rendered protobuf body as the answer: `200` with the bytes, or a
/// `500` naming the message and the cause when the render failed.
fn rendered_protobuf(body: Bytes) -> Response {
    match body.split_first() {
        Some((&ENCODE_FAILED, cause)) => {
            MasterError::Internal(String::from_utf8_lossy(cause).into_owned()).into_response()
        }
        _ => protobuf_response(body),
    }
}

/// A JSON `Response` answer re-encoded as protobuf `mesos.v1.master.Response`
/// (bodies that are not JSON, such as the empty `200` of a change, pass).
async fn to_protobuf(resp: Response) -> Response {
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| essence(v) == proto::JSON);
    if resp.status() != StatusCode::OK || !is_json {
        return resp;
    }
    let body = match axum::body::to_bytes(resp.into_body(), usize::MAX).await {
        Ok(b) => b,
        Err(e) => return MasterError::Internal(e.to_string()).into_response(),
    };
    match proto::transcode_body(Media::Protobuf, "mesos.v1.master.Response", &body) {
        Ok(b) => protobuf_response(Bytes::from(b)),
        Err(e) => MasterError::Internal(e.to_string()).into_response(),
    }
}

/// The render of a state-reading call's whole `Response` from a snapshot,
/// in `media` (protobuf straight from the typed render).
fn state_read(t: CallType, media: Media) -> Option<snapshot::Render> {
    fn of<T: serde::Serialize>(media: Media, t: CallType, payload: T) -> Vec<u8> {
        let r = operator::Response::new(t.as_str(), payload);
        match media {
            Media::Json => snapshot::to_json(&r),
            Media::Protobuf => protobuf_render(&r),
        }
    }
    let o = media;
    Some(match t {
        // The large ones in protobuf: written from the state directly.
        CallType::GetState if o == Media::Protobuf => Box::new(|m, st| {
            protobuf_or_failure(render::proto::get_state_response(
                &m.reads.protobuf_tasks,
                st,
            ))
        }),
        CallType::GetTasks if o == Media::Protobuf => Box::new(|m, st| {
            protobuf_or_failure(render::proto::get_tasks_response(
                &m.reads.protobuf_tasks,
                st,
            ))
        }),
        CallType::GetState => Box::new(move |_, st| of(o, t, render::get_state_v1(st))),
        CallType::GetAgents => Box::new(move |_, st| of(o, t, render::get_agents_v1(st))),
        CallType::GetFrameworks => Box::new(move |_, st| of(o, t, render::get_frameworks_v1(st))),
        CallType::GetExecutors => Box::new(move |_, st| of(o, t, render::get_executors_v1(st))),
        CallType::GetTasks => Box::new(move |_, st| of(o, t, render::get_tasks_v1(st))),
        CallType::GetRoles => Box::new(move |m, st| of(o, t, render::get_roles_v1(st, &m.flags))),
        CallType::GetMaster => Box::new(move |_, st| of(o, t, render::get_master_v1(st))),
        _ => return None,
    })
}

async fn handle(m: &Shared, call: Call, raw: &serde_json::Value) -> ApiResult<Response> {
    let ty = call.kind();
    Ok(match call {
        Call::SetLoggingLevel(s) => {
            set_verbosity(s.level, Duration::from_nanos(s.duration_nanos));
            StatusCode::OK.into_response()
        }
        Call::ListFiles(f) => respond(ty, v0::master_files(m).list_files_v1(&f.path)?),
        Call::ReadFile(f) => respond(
            ty,
            v0::master_files(m).read_file_v1(&f.path, f.offset, f.length)?,
        ),
        Call::Teardown(t) => {
            if !super::core::teardown_framework(
                m,
                &t.framework_id,
                "Framework torn down by the operator (TEARDOWN)",
            ) {
                return Err(MasterError::bad_request(
                    "No framework found with specified ID",
                ));
            }
            StatusCode::OK.into_response()
        }
        Call::Plain(t) => match t {
            CallType::Unknown => return Err(MasterError::NotImplemented(String::new())),
            CallType::GetHealth => respond(t, operator::GetHealth { healthy: true }),
            CallType::GetFlags => respond(t, render::get_flags_v1(&m.flags)),
            CallType::GetVersion => respond(
                t,
                operator::GetVersion {
                    version_info: render::version_json(),
                },
            ),
            CallType::GetMetrics => {
                let v = v0::metrics_values_async(m)
                    .await
                    .map_err(|e| MasterError::Internal(e.to_string()))?;
                respond(t, render::get_metrics_v1(&v))
            }
            CallType::GetLoggingLevel => respond(
                t,
                operator::GetLoggingLevel {
                    level: logging_level(),
                },
            ),
            CallType::GetState => respond(t, render::get_state_v1(&m.lock())),
            CallType::GetAgents => respond(t, render::get_agents_v1(&m.lock())),
            CallType::GetFrameworks => respond(t, render::get_frameworks_v1(&m.lock())),
            CallType::GetExecutors => respond(t, render::get_executors_v1(&m.lock())),
            CallType::GetTasks => respond(t, render::get_tasks_v1(&m.lock())),
            CallType::GetRoles => respond(t, render::get_roles_v1(&m.lock(), &m.flags)),
            CallType::GetMaster => respond(t, render::get_master_v1(&m.lock())),
            CallType::GetOperations => respond(t, operator::Empty {}),
            CallType::Subscribe => subscribe(m, Media::Json),
            other => {
                let ty = other.as_str();
                let r = super::maintenance::operator_call(m, ty, raw)
                    .or_else(|| super::quota::operator_call(m, ty, raw, None));
                // Maintenance, quota and weights changes are in the registry.
                super::registrar::flushed(m).await;
                return r.ok_or_else(|| {
                    MasterError::NotImplemented(format!(
                        "Call '{ty}' is not supported by this master"
                    ))
                });
            }
        },
    })
}

/// One RecordIO frame of compact JSON.
fn frame<T: serde::Serialize + ?Sized>(v: &T) -> Bytes {
    Bytes::from(crate::recordio::encode(
        serde_json::to_string(v).unwrap_or_default().as_bytes(),
    ))
}

struct Subscriber {
    first: Option<Bytes>,
    rx: broadcast::Receiver<Bytes>,
    heartbeat: tokio::time::Interval,
}

/// `SUBSCRIBE`: `200`, `Content-Type` the accepted media, chunked RecordIO
/// of `mesos.v1.master.Event`s (JSON records re-encoded for protobuf).
/// A subscriber that falls too far behind (`Lagged`) has its stream closed
/// rather than silently missing events; it reconnects and gets a fresh
/// `SUBSCRIBED` snapshot.
fn subscribe(m: &Shared, media: Media) -> Response {
    // Subscribe and snapshot under the lock: nothing published after the
    // snapshot can be missed (at worst an event is seen twice).
    let (rx, first) = {
        let st = m.lock();
        let rx = m.events.subscribe();
        let ev = operator::Event::Subscribed {
            subscribed: Box::new(operator::Subscribed {
                get_state: render::get_state_v1(&st),
                heartbeat_interval_seconds: HEARTBEAT_SECS,
            }),
        };
        (rx, ev)
    };
    let period = Duration::from_secs_f64(HEARTBEAT_SECS);
    let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let sub = Subscriber {
        first: Some(frame(&first)),
        rx,
        heartbeat,
    };
    crate::info!("Added an operator API subscriber ({})", media.as_str());
    let records = futures_util::stream::unfold(sub, |mut s| async move {
        if let Some(b) = s.first.take() {
            return Some((Ok::<Bytes, Infallible>(b), s));
        }
        tokio::select! {
            r = s.rx.recv() => match r {
                Ok(bytes) => Some((Ok(bytes), s)),
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    crate::warning!("Closing an operator API subscription that fell {n} events behind");
                    None
                }
                Err(broadcast::error::RecvError::Closed) => None,
            },
            _ = s.heartbeat.tick() => Some((Ok(frame(&operator::Event::Heartbeat)), s)),
        }
    });
    let stream = futures_util::StreamExt::map(records, move |r| {
        r.map(|b| match media {
            Media::Json => b,
            Media::Protobuf => match proto::transcode_records(media, "mesos.v1.master.Event", &b) {
                Ok(p) => Bytes::from(p),
                Err(e) => {
                    crate::warning!("{e}");
                    Bytes::new()
                }
            },
        })
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, media.as_str())
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::from_stream(stream))
        .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue};
    use serde_json::{json, Value};

    fn h(accept: Option<&str>) -> HeaderMap {
        let mut m = HeaderMap::new();
        if let Some(a) = accept {
            m.insert(header::ACCEPT, HeaderValue::from_str(a).unwrap());
        }
        m
    }

    #[test]
    fn accept_negotiation() {
        assert!(accepts_json(&h(None)));
        assert!(accepts_json(&h(Some("*/*"))));
        assert!(accepts_json(&h(Some("application/json"))));
        assert!(accepts_json(&h(Some(
            "application/x-protobuf, application/json;q=0.5"
        ))));
        assert!(!accepts_json(&h(Some("application/x-protobuf"))));
        assert!(!accepts_json(&h(Some("application/json;q=0"))));
        assert!(!accepts_json(&h(Some("text/html"))));
    }

    #[test]
    fn frames_are_compact_recordio() {
        let f = frame(&json!({"type": "HEARTBEAT"}));
        assert_eq!(&f[..], b"20\n{\"type\":\"HEARTBEAT\"}");
        let f = frame(&json!({"m": "a\nb"}));
        assert!(!f[3..].contains(&b'\n'), "no raw newline inside a record");
    }

    use crate::master::test_master;

    fn records(bytes: &[u8]) -> Vec<Value> {
        let mut d = crate::recordio::Decoder::new();
        d.push(bytes);
        let mut out = Vec::new();
        while let Some(r) = d.next_record().unwrap() {
            out.push(serde_json::from_slice(&r).unwrap());
        }
        out
    }

    #[tokio::test]
    async fn subscribers_get_snapshot_then_published_events() {
        use futures_util::StreamExt as _;
        let m = test_master();
        let resp = subscribe(&m, Media::Json);
        assert_eq!(resp.headers()[header::CONTENT_TYPE], "application/json");
        let mut body = resp.into_body().into_data_stream();
        let first = body.next().await.unwrap().unwrap();
        assert_eq!(records(&first)[0]["type"], "SUBSCRIBED");
        m.emit(operator::Event::AgentRemoved {
            agent_removed: operator::AgentRemoved {
                agent_id: operator::Id::new("a"),
            },
        });
        let next = body.next().await.unwrap().unwrap();
        assert_eq!(records(&next)[0]["agent_removed"]["agent_id"]["value"], "a");
    }

    #[tokio::test]
    async fn a_lagging_subscriber_is_closed_not_silently_skipped() {
        let m = test_master();
        let resp = subscribe(&m, Media::Json);
        // Overflow the broadcast buffer before the subscriber reads anything.
        for i in 0..5000 {
            m.emit(operator::Event::AgentRemoved {
                agent_removed: operator::AgentRemoved {
                    agent_id: operator::Id::new(format!("a{i}")),
                },
            });
        }
        let all = tokio::time::timeout(
            Duration::from_secs(5),
            axum::body::to_bytes(resp.into_body(), usize::MAX),
        )
        .await
        .expect("the stream ends")
        .unwrap();
        let recs = records(&all);
        assert_eq!(recs.len(), 1, "only SUBSCRIBED, then the stream is closed");
        assert_eq!(recs[0]["type"], "SUBSCRIBED");
    }

    #[tokio::test]
    async fn a_state_answer_that_cannot_encode_is_a_500_naming_message_and_cause() {
        // A string where a `TaskID` message belongs: the value does not fit
        // `mesos.v1.master.Response`.
        let bad = operator::Response::new(
            "GET_TASKS",
            json!({"tasks": [{"name": "t", "task_id": "not-a-message"}]}),
        );
        let resp = rendered_protobuf(Bytes::from(protobuf_render(&bad)));
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(
            text.starts_with("Failed to write mesos.v1.master.Response protobuf: ")
                && text.contains("task_id")
                && text.contains("not-a-message"),
            "{text}"
        );
        assert!(!text.trim_end().contains('\n'), "one line: {text}");
        // A value that fits is a 200 with the protobuf bytes.
        let good = operator::Response::new("GET_TASKS", json!({"tasks": []}));
        let bytes = protobuf_render(&good);
        assert_ne!(bytes.first(), Some(&ENCODE_FAILED));
        let resp = rendered_protobuf(Bytes::from(bytes.clone()));
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(resp.headers()[header::CONTENT_TYPE], proto::PROTOBUF);
        let v = proto::to_json("mesos.v1.master.Response", &bytes).unwrap();
        assert_eq!(v["type"], "GET_TASKS");
    }

    #[test]
    fn response_envelope() {
        let r = respond(CallType::GetHealth, operator::GetHealth { healthy: true });
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
    }
}
