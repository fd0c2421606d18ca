//! v1 operator API of the master (`POST /api/v1`, docs/wire-notes.md#operator-api):
//! JSON calls with real-Mesos validation and error texts, synchronous
//! responses `{"type":..,"<call_lc>":{..}}`, and the `SUBSCRIBE` event
//! stream (RecordIO of `Event`s, `SUBSCRIBED` first, then everything
//! published on `Master::events`, and `HEARTBEAT`s).

use std::convert::Infallible;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use tokio::sync::broadcast;

use super::http::{text, MasterError};
use super::render;
use super::state::Shared;
use super::v0;
use crate::wire::operator;

/// Seconds between operator `HEARTBEAT` events.
pub const HEARTBEAT_SECS: f64 = 15.0;

/// Every master `Call.Type` name (docs/wire-notes.md#master-call-types).
const CALL_TYPES: &[&str] = &[
    "UNKNOWN",
    "GET_HEALTH",
    "GET_FLAGS",
    "GET_VERSION",
    "GET_METRICS",
    "GET_LOGGING_LEVEL",
    "SET_LOGGING_LEVEL",
    "LIST_FILES",
    "READ_FILE",
    "GET_STATE",
    "GET_AGENTS",
    "GET_FRAMEWORKS",
    "GET_EXECUTORS",
    "GET_OPERATIONS",
    "GET_TASKS",
    "GET_ROLES",
    "GET_WEIGHTS",
    "UPDATE_WEIGHTS",
    "GET_MASTER",
    "SUBSCRIBE",
    "RESERVE_RESOURCES",
    "UNRESERVE_RESOURCES",
    "CREATE_VOLUMES",
    "DESTROY_VOLUMES",
    "GROW_VOLUME",
    "SHRINK_VOLUME",
    "GET_MAINTENANCE_STATUS",
    "GET_MAINTENANCE_SCHEDULE",
    "UPDATE_MAINTENANCE_SCHEDULE",
    "START_MAINTENANCE",
    "STOP_MAINTENANCE",
    "DRAIN_AGENT",
    "DEACTIVATE_AGENT",
    "REACTIVATE_AGENT",
    "GET_QUOTA",
    "UPDATE_QUOTA",
    "SET_QUOTA",
    "REMOVE_QUOTA",
    "TEARDOWN",
    "MARK_AGENT_GONE",
];

/// Process-wide logging verbosity set by `SET_LOGGING_LEVEL` (glog's `v`),
/// with the time it reverts to 0. The bundled daemons have no verbose log
/// statements, so it is only reported back.
static LOGGING_LEVEL: Mutex<Option<(u32, Instant)>> = Mutex::new(None);

fn logging_level() -> u32 {
    let mut g = LOGGING_LEVEL.lock().unwrap_or_else(|p| p.into_inner());
    match *g {
        Some((level, until)) if Instant::now() < until => level,
        _ => {
            *g = None;
            0
        }
    }
}

fn bad_request(msg: impl Into<String>) -> Response {
    text(StatusCode::BAD_REQUEST, msg)
}

fn invalid(msg: impl std::fmt::Display) -> Response {
    bad_request(format!("Failed to validate master::Call: {msg}"))
}

fn convert_error(msg: impl std::fmt::Display) -> Response {
    bad_request(format!("Failed to convert JSON into Call protobuf: {msg}"))
}

use crate::daemon::httputil::{accepts_json, media_type as essence};

/// A synchronous `Response` body.
fn respond<T: serde::Serialize>(ty: &'static str, payload: T) -> Response {
    let body = crate::wire::operator::Response::new(ty, payload);
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(serde_json::to_vec(&body).unwrap_or_default()))
        .unwrap()
}

/// The sub-message of a call, required to be present (may be `{}`); the
/// error is the full `400` text.
fn sub<'a>(call: &'a Value, key: &str) -> Result<&'a Value, String> {
    match call.get(key) {
        Some(v) if v.is_object() => Ok(v),
        Some(Value::Null) | None => Err(format!(
            "Failed to validate master::Call: Expecting '{key}' to be present"
        )),
        Some(_) => Err(format!(
            "Failed to convert JSON into Call protobuf: Expecting a JSON object for field '{key}'"
        )),
    }
}

fn missing_required(field: &str) -> Response {
    convert_error(format!("Missing required fields: {field}"))
}

/// An unsigned integer field (JSON number or numeric string).
fn uint(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `POST /api/v1` (`/master/api/v1`).
pub async fn api(State(m): State<Shared>, req: Request) -> Response {
    // Only the leader gets here (route layer).
    if req.method() != Method::POST {
        return MasterError::MethodNotAllowed {
            allow: "POST",
            message: format!(
                "Expecting one of {{ 'POST' }}, but received '{}'",
                req.method()
            ),
        }
        .into_response();
    }
    let headers = req.headers().clone();
    let Some(ct) = headers.get(header::CONTENT_TYPE) else {
        return bad_request("Expecting 'Content-Type' to be present");
    };
    let ct = essence(ct.to_str().unwrap_or(""));
    match ct.as_str() {
        "application/json" => {}
        "application/x-protobuf" => {
            return text(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Only JSON is supported by this master: send the call with 'Content-Type: application/json' (application/x-protobuf is not supported)",
            )
        }
        _ => {
            return text(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Expecting 'Content-Type' of application/json or application/x-protobuf",
            )
        }
    }
    // Bounded by the router's body limit (413 beyond it).
    let body = match Bytes::from_request(req, &()).await {
        Ok(b) => b,
        Err(rejection) => return rejection.into_response(),
    };
    let call: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad_request(format!("Failed to parse body into JSON: {e}")),
    };
    if !call.is_object() {
        return convert_error("Expecting a JSON object");
    }
    let ty = match call.get("type") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => CALL_TYPES.iter().find(|t| **t == s.as_str()).copied(),
        Some(_) => return convert_error("Expecting a string for enum field 'type'"),
    };
    let Some(ty) = ty else {
        return invalid("Expecting 'type' to be present");
    };
    // Per-call validation (before content negotiation, as Mesos does).
    match ty {
        "GET_METRICS" => {
            if let Err(e) = sub(&call, "get_metrics") {
                return bad_request(e);
            }
        }
        "SET_LOGGING_LEVEL" => match sub(&call, "set_logging_level") {
            Err(e) => return bad_request(e),
            Ok(s) => {
                if uint(s.get("level")).is_none() {
                    return missing_required("set_logging_level.level");
                }
                if s.pointer("/duration/nanoseconds").is_none() {
                    return missing_required("set_logging_level.duration");
                }
            }
        },
        "LIST_FILES" => match sub(&call, "list_files") {
            Err(e) => return bad_request(e),
            Ok(s) if s.get("path").and_then(Value::as_str).is_none() => {
                return missing_required("list_files.path")
            }
            Ok(_) => {}
        },
        "READ_FILE" => match sub(&call, "read_file") {
            Err(e) => return bad_request(e),
            Ok(s) => {
                if s.get("path").and_then(Value::as_str).is_none() {
                    return missing_required("read_file.path");
                }
                if uint(s.get("offset")).is_none() {
                    return missing_required("read_file.offset");
                }
            }
        },
        "TEARDOWN" => match sub(&call, "teardown") {
            Err(e) => return bad_request(e),
            Ok(s)
                if s.pointer("/framework_id/value")
                    .and_then(Value::as_str)
                    .is_none() =>
            {
                return missing_required("teardown.framework_id")
            }
            Ok(s) => {
                let fid = s.pointer("/framework_id/value").and_then(Value::as_str);
                if let Err(e) = crate::daemon::ids::validate_id("Framework ID", fid.unwrap_or("")) {
                    return invalid(e);
                }
            }
        },
        _ => {}
    }
    if !accepts_json(&headers) {
        return text(
            StatusCode::NOT_ACCEPTABLE,
            "Expecting 'Accept' to allow application/json (the only response type of this master)",
        );
    }
    handle(&m, ty, &call).await
}

async fn handle(m: &Shared, ty: &'static str, call: &Value) -> Response {
    match ty {
        "UNKNOWN" => StatusCode::NOT_IMPLEMENTED.into_response(),
        "GET_HEALTH" => respond(ty, operator::GetHealth { healthy: true }),
        "GET_FLAGS" => respond(ty, render::get_flags_v1(&m.flags)),
        "GET_VERSION" => respond(
            ty,
            operator::GetVersion {
                version_info: render::version_json(),
            },
        ),
        "GET_METRICS" => respond(ty, render::get_metrics_v1(&v0::metrics_values(m))),
        "GET_LOGGING_LEVEL" => respond(
            ty,
            operator::GetLoggingLevel {
                level: logging_level(),
            },
        ),
        "SET_LOGGING_LEVEL" => {
            let s = &call["set_logging_level"];
            let level = uint(s.get("level")).unwrap_or(0) as u32;
            let ns = s
                .pointer("/duration/nanoseconds")
                .and_then(|v| {
                    v.as_i64()
                        .or_else(|| v.as_str().and_then(|x| x.parse().ok()))
                })
                .unwrap_or(0)
                .max(0) as u64;
            *LOGGING_LEVEL.lock().unwrap_or_else(|p| p.into_inner()) =
                Some((level, Instant::now() + Duration::from_nanos(ns)));
            crate::info!(
                "Set logging verbosity to {level} for {:.3}s",
                ns as f64 / 1e9
            );
            StatusCode::OK.into_response()
        }
        "LIST_FILES" => {
            let path = call
                .pointer("/list_files/path")
                .and_then(Value::as_str)
                .unwrap_or("");
            match v0::master_files(m).list_files_v1(path) {
                Ok(v) => respond(ty, v),
                Err(e) => e.into_response(),
            }
        }
        "READ_FILE" => {
            let s = &call["read_file"];
            let path = s.get("path").and_then(Value::as_str).unwrap_or("");
            let offset = uint(s.get("offset")).unwrap_or(0);
            let length = uint(s.get("length"));
            match v0::master_files(m).read_file_v1(path, offset, length) {
                Ok(v) => respond(ty, v),
                Err(e) => e.into_response(),
            }
        }
        "GET_STATE" => respond(ty, render::get_state_v1(&m.lock())),
        "GET_AGENTS" => respond(ty, render::get_agents_v1(&m.lock())),
        "GET_FRAMEWORKS" => respond(ty, render::get_frameworks_v1(&m.lock())),
        "GET_EXECUTORS" => respond(ty, render::get_executors_v1(&m.lock())),
        "GET_TASKS" => respond(ty, render::get_tasks_v1(&m.lock())),
        "GET_ROLES" => respond(ty, render::get_roles_v1(&m.lock(), &m.flags)),
        "GET_MASTER" => respond(ty, render::get_master_v1(&m.lock())),
        "GET_OPERATIONS" => respond(ty, operator::Empty {}),
        "GET_WEIGHTS" => respond(ty, render::get_weights_v1(&m.flags)),
        "TEARDOWN" => {
            let id = call
                .pointer("/teardown/framework_id/value")
                .and_then(Value::as_str)
                .unwrap_or("");
            if super::scheduler::teardown_framework(
                m,
                id,
                "Framework torn down by the operator (TEARDOWN)",
            ) {
                StatusCode::OK.into_response()
            } else {
                bad_request("No framework found with specified ID")
            }
        }
        "SUBSCRIBE" => subscribe(m),
        other => text(
            StatusCode::NOT_IMPLEMENTED,
            format!("Call '{other}' is not supported by this master"),
        ),
    }
}

/// One RecordIO frame of compact JSON.
fn frame(v: &Value) -> Bytes {
    Bytes::from(crate::recordio::encode(
        serde_json::to_string(v).unwrap_or_default().as_bytes(),
    ))
}

struct Subscriber {
    first: Option<Bytes>,
    rx: broadcast::Receiver<Value>,
    heartbeat: tokio::time::Interval,
}

/// `SUBSCRIBE`: `200`, `Content-Type: application/json`, chunked RecordIO.
/// A subscriber that falls too far behind (`Lagged`) has its stream closed
/// rather than silently missing events; it reconnects and gets a fresh
/// `SUBSCRIBED` snapshot.
fn subscribe(m: &Shared) -> Response {
    // Subscribe and snapshot under the lock: nothing published after the
    // snapshot can be missed (at worst an event is seen twice).
    let (rx, first) = {
        let st = m.lock();
        let rx = m.events.subscribe();
        let ev = json!({
            "type": "SUBSCRIBED",
            "subscribed": {
                "get_state": render::get_state_v1(&st),
                "heartbeat_interval_seconds": HEARTBEAT_SECS,
            }
        });
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
    crate::info!("Added an operator API subscriber");
    let stream = futures_util::stream::unfold(sub, |mut s| async move {
        if let Some(b) = s.first.take() {
            return Some((Ok::<Bytes, Infallible>(b), s));
        }
        tokio::select! {
            r = s.rx.recv() => match r {
                Ok(ev) => Some((Ok(frame(&ev)), s)),
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    crate::warning!("Closing an operator API subscription that fell {n} events behind");
                    None
                }
                Err(broadcast::error::RecvError::Closed) => None,
            },
            _ = s.heartbeat.tick() => Some((Ok(frame(&json!({"type": "HEARTBEAT"}))), s)),
        }
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::from_stream(stream))
        .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue};

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

    fn test_master() -> Shared {
        crate::http::install_crypto_provider();
        let args = vec!["--registry=in_memory".to_string()];
        let flags = match crate::daemon::flags::parse(
            "mesos master",
            crate::master::flags::SPECS,
            &args,
            |_| None,
        )
        .unwrap()
        {
            crate::daemon::flags::Parsed::Flags(f) => f,
            _ => unreachable!(),
        };
        crate::master::new_master(flags, "127.0.0.1:5050".parse().unwrap()).unwrap()
    }

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
        let resp = subscribe(&m);
        assert_eq!(resp.headers()[header::CONTENT_TYPE], "application/json");
        let mut body = resp.into_body().into_data_stream();
        let first = body.next().await.unwrap().unwrap();
        assert_eq!(records(&first)[0]["type"], "SUBSCRIBED");
        m.emit(json!({"type": "AGENT_REMOVED", "agent_removed": {"agent_id": {"value": "a"}}}));
        let next = body.next().await.unwrap().unwrap();
        assert_eq!(records(&next)[0]["agent_removed"]["agent_id"]["value"], "a");
    }

    #[tokio::test]
    async fn a_lagging_subscriber_is_closed_not_silently_skipped() {
        let m = test_master();
        let resp = subscribe(&m);
        // Overflow the broadcast buffer before the subscriber reads anything.
        for i in 0..5000 {
            m.emit(json!({"type": "TASK_UPDATED", "n": i}));
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

    #[test]
    fn response_envelope() {
        let r = respond("GET_HEALTH", operator::GetHealth { healthy: true });
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
    }
}
