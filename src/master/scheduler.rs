//! The v1 scheduler API (`POST /api/v1/scheduler`, docs/wire-notes.md#scheduler-api):
//! SUBSCRIBE streams, ACCEPT/DECLINE/REVIVE/SUPPRESS, KILL, ACKNOWLEDGE,
//! RECONCILE, TEARDOWN, MESSAGE, UPDATE_FRAMEWORK; status update routing;
//! heartbeats, offer timeouts and framework failover.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;

use super::core::{
    accept, acknowledge, decline, event_record, framework_from_info, framework_message, kill,
    reconcile, rescind_offer, return_framework_offers, revive, send_record, shutdown_executor,
    suppress, teardown_framework,
};
use super::http::MasterError;
use super::render;
use super::state::{now_secs, Shared, Stream};
use super::validation;
use crate::daemon::auth::Principal;
use crate::wire::event::Event as WireEvent;
use crate::wire::framework::FrameworkInfo;
use crate::wire::operator::Event;
use crate::wire::scheduler::Call as SchedulerCall;

/// Seconds between HEARTBEAT events.
pub const HEARTBEAT_SECS: f64 = 15.0;

fn err(status: StatusCode, msg: impl Into<String>) -> Response {
    MasterError::with_status(status, msg).into_response()
}

/// Media type of a header, without parameters.
fn essence(v: Option<&header::HeaderValue>) -> Option<String> {
    v.and_then(|v| v.to_str().ok())
        .map(crate::daemon::httputil::media_type)
}

use crate::wire::proto::{self, Media};

/// `POST /api/v1/scheduler`
pub async fn api(State(m): State<Shared>, req: Request) -> Response {
    // Only POST is routed here, and only on the leader (route layers).
    // Set by the scheduler realm's layer under --authenticate_http_frameworks.
    let principal = req.extensions().get::<Principal>().map(|p| p.0.clone());
    let headers = req.headers().clone();
    let media = match essence(headers.get(header::CONTENT_TYPE)).as_deref() {
        None => return err(StatusCode::BAD_REQUEST, "Expecting 'Content-Type' to be present"),
        Some(ct) => match Media::of_content_type(ct) {
            Some(m) => m,
            None => {
                return err(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    format!("Expecting 'Content-Type' of application/json or application/x-protobuf; this master does not accept '{ct}'"),
                )
            }
        },
    };
    let accepts = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok());
    let Some(out) = proto::accepted(accepts) else {
        return err(
            StatusCode::NOT_ACCEPTABLE,
            "Expecting 'Accept' to allow application/json or application/x-protobuf",
        );
    };
    // Bounded by the router's body limit (413 beyond it).
    let body = match Bytes::from_request(req, &()).await {
        Ok(b) => b,
        Err(rejection) => return rejection.into_response(),
    };
    let body = match proto::body_to_json(media, "mesos.v1.scheduler.Call", &body) {
        Ok(b) => b,
        Err(e) => {
            return err(
                StatusCode::BAD_REQUEST,
                format!("Failed to parse body into Call protobuf: {e}"),
            )
        }
    };
    let typed: SchedulerCall = match serde_json::from_slice(&body) {
        Ok(c) => c,
        // Well-formed JSON that is not a Call.
        Err(e) if e.is_data() => {
            return err(
                StatusCode::BAD_REQUEST,
                format!("Failed to convert JSON into Call protobuf: {e}"),
            )
        }
        Err(e) => {
            return err(
                StatusCode::BAD_REQUEST,
                format!("Failed to parse body into JSON: {e}"),
            )
        }
    };
    let Some(ty) = typed.type_name().map(str::to_string) else {
        return err(
            StatusCode::BAD_REQUEST,
            "Failed to validate scheduler::Call: Expecting 'type' to be present",
        );
    };
    m.lock().counters.scheduler_calls += 1;
    if ty == "SUBSCRIBE" {
        if headers.contains_key("mesos-stream-id") {
            return err(
                StatusCode::BAD_REQUEST,
                "Subscribe calls should not include the 'Mesos-Stream-Id' header",
            );
        }
        let framework_id = typed.framework_id().map(str::to_string);
        let sub = typed.subscribe.unwrap_or_default();
        let Some(mut info) = sub.framework_info else {
            return err(StatusCode::BAD_REQUEST, "Failed to convert JSON into Call protobuf: Missing required fields: subscribe.framework_info");
        };
        if let Some(p) = &principal {
            if let Err(r) = bind_principal(&mut info, p) {
                return r;
            }
        }
        let resubscribe = info.id.is_some();
        m.lock()
            .counters
            .messages
            .scheduler_call("SUBSCRIBE", resubscribe);
        return subscribe(&m, out, framework_id.as_deref(), info, sub.suppressed_roles);
    }
    // Every other call: known framework, current stream.
    let Some(fid) = typed.framework_id().map(str::to_string) else {
        return err(
            StatusCode::BAD_REQUEST,
            "Failed to validate scheduler::Call: Expecting 'framework_id' to be present",
        );
    };
    if let Err(e) = validation::scheduler_call_ids(&typed) {
        return err(
            StatusCode::BAD_REQUEST,
            format!("Failed to validate scheduler::Call: {e}"),
        );
    }
    {
        let st = m.lock();
        let Some(fw) = st.frameworks.get(&fid) else {
            return err(StatusCode::BAD_REQUEST, "Framework cannot be found");
        };
        if let Some(p) = &principal {
            if fw.principal.as_deref() != Some(p.as_str()) {
                return err(
                    StatusCode::BAD_REQUEST,
                    principal_mismatch(p, fw.principal.as_deref().unwrap_or("")),
                );
            }
        }
        let Some(stream) = &fw.stream else {
            return err(StatusCode::FORBIDDEN, "Framework is not subscribed");
        };
        let given = headers.get("mesos-stream-id").and_then(|v| v.to_str().ok());
        if given != Some(stream.id.as_str()) {
            return err(
                StatusCode::BAD_REQUEST,
                format!("The stream ID '{}' included in this request didn't match the stream ID currently associated with framework ID {fid}", given.unwrap_or("")),
            );
        }
    }
    m.lock().counters.messages.scheduler_call(&ty, false);
    match ty.as_str() {
        "TEARDOWN" => {
            teardown_framework(&m, &fid, "Framework requested teardown");
        }
        "ACCEPT" => accept(&m, &fid, &typed.accept.unwrap_or_default()),
        "DECLINE" => decline(&m, &fid, &typed.decline.unwrap_or_default()),
        "REVIVE" => revive(&m, &fid, &typed.revive.unwrap_or_default()),
        "SUPPRESS" => suppress(&m, &fid, &typed.suppress.unwrap_or_default()),
        "KILL" => {
            let k = typed.kill.unwrap_or_default();
            let Some(tid) = k.task_id() else {
                return err(
                    StatusCode::BAD_REQUEST,
                    "Failed to validate scheduler::Call: Expecting 'kill.task_id' to be present",
                );
            };
            kill(&m, &fid, tid, k.kill_policy.clone());
        }
        "SHUTDOWN" => {
            let s = typed.shutdown.unwrap_or_default();
            let missing = missing_fields(&[
                ("shutdown.executor_id", s.executor_id.is_some()),
                ("shutdown.agent_id", s.agent_id.is_some()),
            ]);
            if let Some(r) = missing {
                return r;
            }
            shutdown_executor(&m, &fid, &s)
        }
        "ACKNOWLEDGE" => {
            let a = typed.acknowledge.unwrap_or_default();
            let (Some(tid), Some(uuid)) = (a.task_id(), a.uuid.as_deref()) else {
                m.lock()
                    .counters
                    .messages
                    .invalid_status_update_acknowledgements += 1;
                return err(StatusCode::BAD_REQUEST, "Failed to validate scheduler::Call: Expecting 'acknowledge.task_id' and 'acknowledge.uuid'");
            };
            if base64::engine::general_purpose::STANDARD
                .decode(uuid)
                .is_err()
            {
                m.lock()
                    .counters
                    .messages
                    .invalid_status_update_acknowledgements += 1;
                return err(
                    StatusCode::BAD_REQUEST,
                    "Failed to validate scheduler::Call: 'acknowledge.uuid' is not base64",
                );
            }
            acknowledge(&m, &fid, tid, uuid);
        }
        "RECONCILE" => reconcile(&m, &fid, &typed.reconcile.unwrap_or_default()),
        "MESSAGE" => {
            let msg = typed.message.unwrap_or_default();
            let missing = missing_fields(&[
                ("message.agent_id", msg.agent_id.is_some()),
                ("message.executor_id", msg.executor_id.is_some()),
                ("message.data", msg.data.is_some()),
            ]);
            if let Some(r) = missing {
                return r;
            }
            framework_message(&m, &fid, &msg)
        }
        "ACCEPT_INVERSE_OFFERS" | "DECLINE_INVERSE_OFFERS" => {
            let accept = ty == "ACCEPT_INVERSE_OFFERS";
            let (key, answer) = if accept {
                ("accept_inverse_offers", typed.accept_inverse_offers)
            } else {
                ("decline_inverse_offers", typed.decline_inverse_offers)
            };
            match answer {
                Some(a) => super::inverse::answer(&mut m.lock(), &fid, &a, accept),
                None => {
                    return err(
                        StatusCode::BAD_REQUEST,
                        format!(
                            "Failed to validate scheduler::Call: Expecting '{key}' to be present"
                        ),
                    )
                }
            }
        }
        "REQUEST" | "ACKNOWLEDGE_OPERATION_STATUS" | "RECONCILE_OPERATIONS" => {}
        "UPDATE_FRAMEWORK" => {
            let u = typed.update_framework.unwrap_or_default();
            if let Some(Err(e)) = u.framework_info.as_ref().map(validation::framework_info) {
                return err(
                    StatusCode::BAD_REQUEST,
                    format!("Failed to validate scheduler::Call: {e}"),
                );
            }
            if let Some(info) = &u.framework_info {
                let mut st = m.lock();
                if let Some(fw) = st.frameworks.get_mut(&fid) {
                    let mut fresh = framework_from_info(&fid, info, fw.registered_time, true);
                    std::mem::swap(&mut fw.tasks, &mut fresh.tasks);
                    fw.info = fresh.info;
                    fw.name = fresh.name;
                    fw.roles = fresh.roles;
                    fw.capabilities = fresh.capabilities;
                    fw.failover_timeout = fresh.failover_timeout;
                    fw.webui_url = fresh.webui_url;
                    fw.suppressed_roles = u.suppressed_roles.iter().cloned().collect();
                    let ev = Event::framework_updated(render::framework_v1(fw));
                    drop(st);
                    m.emit(ev);
                }
            }
            m.allocate.notify_one();
            return StatusCode::OK.into_response();
        }
        other => {
            return err(
                StatusCode::BAD_REQUEST,
                format!("Failed to validate scheduler::Call: unknown call type '{other}'"),
            );
        }
    }
    StatusCode::ACCEPTED.into_response()
}

/// 400 naming the required fields of a call that are absent (as Mesos'
/// protobuf conversion does), or `None` when all are there.
fn missing_fields(fields: &[(&str, bool)]) -> Option<Response> {
    let missing: Vec<&str> = fields
        .iter()
        .filter(|(_, present)| !present)
        .map(|(name, _)| *name)
        .collect();
    (!missing.is_empty()).then(|| {
        err(
            StatusCode::BAD_REQUEST,
            format!(
                "Failed to convert JSON into Call protobuf: Missing required fields: {}",
                missing.join(", ")
            ),
        )
    })
}

fn principal_mismatch(authenticated: &str, declared: &str) -> String {
    format!("Authenticated principal '{authenticated}' does not match principal '{declared}' set in `FrameworkInfo`")
}

/// SUBSCRIBE under HTTP framework authentication: a declared
/// `framework_info.principal` must be the authenticated one (else 400, as
/// Mesos); a missing one is set to it.
#[allow(clippy::result_large_err)]
fn bind_principal(info: &mut FrameworkInfo, principal: &str) -> Result<(), Response> {
    match info.principal.as_deref() {
        Some(declared) if declared != principal => Err(err(
            StatusCode::BAD_REQUEST,
            format!(
                "Failed to validate scheduler::Call: {}",
                principal_mismatch(principal, declared)
            ),
        )),
        Some(_) => Ok(()),
        None => {
            crate::warning!("Setting 'principal' in FrameworkInfo to '{principal}' because the framework authenticated with that principal but did not set it in FrameworkInfo");
            info.principal = Some(principal.to_string());
            Ok(())
        }
    }
}

/// Drops with the SUBSCRIBE response body: the framework disconnected.
struct DisconnectGuard {
    master: Shared,
    framework_id: String,
    stream_id: String,
}

impl Drop for DisconnectGuard {
    fn drop(&mut self) {
        let m = self.master.clone();
        let fid = self.framework_id.clone();
        let sid = self.stream_id.clone();
        let teardown_now = {
            let mut st = m.lock();
            let Some(fw) = st.frameworks.get_mut(&fid) else {
                return;
            };
            if fw.stream.as_ref().map(|s| s.id.as_str()) != Some(sid.as_str()) {
                return; // Replaced by a newer subscription.
            }
            fw.stream = None;
            fw.connected = false;
            fw.active = false;
            fw.disconnected_at = Some(Instant::now());
            crate::info!("Framework {fid} ({}) disconnected", fw.name);
            let timeout = fw.failover_timeout;
            return_framework_offers(&mut st, &fid);
            timeout <= 0.0
        };
        if teardown_now {
            teardown_framework(
                &m,
                &fid,
                "Framework disconnected and its failover timeout is 0",
            );
        }
        m.allocate.notify_one();
    }
}

/// Event records (compact JSON, as every stream carries them) in `media`.
fn in_media(media: Media, record: Bytes) -> Bytes {
    match media {
        Media::Json => record,
        Media::Protobuf => {
            match proto::transcode_records(media, "mesos.v1.scheduler.Event", &record) {
                Ok(b) => Bytes::from(b),
                Err(e) => {
                    crate::warning!("{e}");
                    Bytes::new()
                }
            }
        }
    }
}

/// A SUBSCRIBE answer that carries one ERROR event and ends.
fn error_event_response(media: Media, message: &str) -> Response {
    let bytes = in_media(media, event_record(&WireEvent::error(message)));
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, media.as_str())
        .header("Mesos-Stream-Id", super::info::random_uuid())
        .body(Body::from(bytes))
        .unwrap()
}

fn subscribe(
    m: &Shared,
    media: Media,
    call_framework_id: Option<&str>,
    info: FrameworkInfo,
    suppressed_roles: Vec<String>,
) -> Response {
    for (f, v) in [("user", &info.user), ("name", &info.name)] {
        if v.is_none() {
            return err(
                StatusCode::BAD_REQUEST,
                format!("Failed to convert JSON into Call protobuf: Missing required fields: subscribe.framework_info.{f}"),
            );
        }
    }
    // An empty id asks for a new framework, as in real Mesos.
    let given_id = info.id().filter(|id| !id.is_empty()).map(str::to_string);
    if let (Some(a), Some(b)) = (&given_id, call_framework_id) {
        if a != b {
            return err(StatusCode::BAD_REQUEST, "Failed to validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'");
        }
    }
    // Refused as real Mesos refuses an invalid FrameworkInfo: an ERROR event.
    if let Err(e) = validation::framework_info(&info) {
        crate::info!("Refusing subscription of a framework: {e}");
        return error_event_response(media, &e);
    }
    let capabilities_ok = info.has_capability("MULTI_ROLE") || info.roles.is_empty();
    if !capabilities_ok {
        return err(StatusCode::BAD_REQUEST, "Failed to validate scheduler::Call: 'framework_info.roles' requires the MULTI_ROLE capability");
    }
    let stream_id = super::info::random_uuid();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Bytes>();
    let now = now_secs();
    let (fid, event, op_event) = {
        let mut st = m.lock();
        let removed = given_id.as_ref().is_some_and(|id| {
            st.completed_frameworks.iter().any(|f| &f.id == id) && !st.frameworks.contains_key(id)
        });
        if removed {
            return error_event_response(media, "Framework has been removed");
        }
        let fid = match &given_id {
            Some(id) => id.clone(),
            None => st.new_framework_id(),
        };
        let suppressed: BTreeSet<String> = suppressed_roles.into_iter().collect();
        let op_event = if let Some(fw) = st.frameworks.get_mut(&fid) {
            // Re-subscription (failover): keep tasks, replace the stream.
            if let Some(old) = fw.stream.take() {
                let _ = old
                    .tx
                    .send(event_record(&WireEvent::error("Framework failed over")));
            }
            let fresh = framework_from_info(&fid, &info, fw.registered_time, true);
            fw.info = fresh.info;
            fw.name = fresh.name;
            fw.roles = fresh.roles;
            fw.multi_role = fresh.multi_role;
            fw.capabilities = fresh.capabilities;
            fw.failover_timeout = fresh.failover_timeout;
            fw.checkpoint = fresh.checkpoint;
            fw.connected = true;
            fw.active = true;
            fw.recovered = false;
            fw.reregistered_time = Some(now);
            fw.disconnected_at = None;
            fw.suppressed_roles = suppressed;
            crate::info!("Framework {fid} ({}) re-subscribed", fw.name);
            Event::framework_updated(render::framework_v1(fw))
        } else {
            let mut fw = framework_from_info(&fid, &info, now, true);
            fw.suppressed_roles = suppressed;
            if given_id.is_some() {
                fw.reregistered_time = Some(now);
            }
            crate::info!(
                "Framework {fid} ({}) subscribed, user {}, roles {:?}",
                fw.name,
                fw.user,
                fw.roles
            );
            let ev = Event::framework_added(render::framework_v1(&fw));
            st.frameworks.insert(fid.clone(), fw);
            ev
        };
        let subscribed = WireEvent::subscribed(&fid, HEARTBEAT_SECS, render::master_info_json(&st));
        let fw = st.frameworks.get_mut(&fid).expect("just inserted");
        fw.stream = Some(Stream {
            id: stream_id.clone(),
            tx,
        });
        (fid, subscribed, op_event)
    };
    m.emit(op_event);
    if media == Media::Protobuf {
        crate::info!("Framework {fid} speaks {}", media.as_str());
    }
    super::registrar::persist(m);
    let first = event_record(&event);
    let guard = DisconnectGuard {
        master: m.clone(),
        framework_id: fid,
        stream_id: stream_id.clone(),
    };
    let stream = futures_util::stream::unfold(
        (Some(first), rx, guard),
        move |(first, mut rx, guard)| async move {
            if let Some(f) = first {
                return Some((
                    Ok::<Bytes, std::io::Error>(in_media(media, f)),
                    (None, rx, guard),
                ));
            }
            let next = rx.recv().await?;
            Some((Ok(in_media(media, next)), (None, rx, guard)))
        },
    );
    m.allocate.notify_one();
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, media.as_str())
        .header("Mesos-Stream-Id", stream_id)
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::from_stream(stream))
        .unwrap()
}

/// Heartbeats, offer timeouts, framework failover timeouts.
pub fn spawn_maintenance(m: Shared) {
    let hb = m.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs_f64(HEARTBEAT_SECS));
        tick.tick().await;
        loop {
            tick.tick().await;
            // Encoded once for every stream.
            let record = event_record(&WireEvent::heartbeat());
            let st = hb.lock();
            for fw in st.frameworks.values() {
                send_record(fw, record.clone());
            }
        }
    });
    let offer_timeout = m.flags.duration("offer_timeout");
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(250));
        loop {
            tick.tick().await;
            let expired: Vec<String> = {
                let mut st = m.lock();
                if let Some(t) = offer_timeout {
                    let old: Vec<String> = st
                        .offers
                        .values()
                        .filter(|o| o.created.elapsed() >= t)
                        .map(|o| o.id.clone())
                        .collect();
                    for id in &old {
                        rescind_offer(&mut st, id);
                    }
                    if !old.is_empty() {
                        m.allocate.notify_one();
                    }
                }
                let now = Instant::now();
                for fw in st.frameworks.values_mut() {
                    fw.filters.retain(|f| f.until > now);
                }
                st.frameworks
                    .values()
                    .filter(|f| {
                        !f.connected
                            && f.disconnected_at
                                .is_some_and(|d| d.elapsed().as_secs_f64() >= f.failover_timeout)
                    })
                    .map(|f| f.id.clone())
                    .collect()
            };
            for fid in expired {
                teardown_framework(&m, &fid, "Framework failover timeout expired");
            }
        }
    });
}
