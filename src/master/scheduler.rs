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
use serde_json::{json, Value};

use super::agents::{post_to_agent, send_to_agent};
use super::render;
use super::state::{
    is_terminal, now_secs, FrameworkEntry, MasterState, OfferFilter, Shared, Stream, TaskEntry,
};
use super::validation;
use crate::daemon::auth::Principal;
use crate::daemon::proto;
use crate::resources::Resources;

/// Seconds between HEARTBEAT events.
pub const HEARTBEAT_SECS: f64 = 15.0;

fn err(status: StatusCode, msg: impl Into<String>) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain")], msg.into()).into_response()
}

/// Media type of a header, without parameters.
fn essence(v: Option<&header::HeaderValue>) -> Option<String> {
    v.and_then(|v| v.to_str().ok())
        .map(crate::daemon::httputil::media_type)
}

use crate::daemon::httputil::accepts_json;

/// Items of a repeated field; a single object counts as one element.
fn list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

fn str_at<'a>(v: &'a Value, ptr: &str) -> Option<&'a str> {
    v.pointer(ptr).and_then(Value::as_str)
}

/// `POST /api/v1/scheduler`
pub async fn api(State(m): State<Shared>, req: Request) -> Response {
    // Only POST is routed here, and only on the leader (route layers).
    // Set by the scheduler realm's layer under --authenticate_http_frameworks.
    let principal = req.extensions().get::<Principal>().map(|p| p.0.clone());
    let headers = req.headers().clone();
    match essence(headers.get(header::CONTENT_TYPE)).as_deref() {
        Some("application/json") => {}
        None => return err(StatusCode::BAD_REQUEST, "Expecting 'Content-Type' to be present"),
        Some(other) => {
            return err(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("Expecting 'Content-Type' of application/json; this master does not accept '{other}'"),
            )
        }
    }
    if !accepts_json(&headers) {
        return err(
            StatusCode::NOT_ACCEPTABLE,
            "Expecting 'Accept' to allow application/json",
        );
    }
    // Bounded by the router's body limit (413 beyond it).
    let body = match Bytes::from_request(req, &()).await {
        Ok(b) => b,
        Err(rejection) => return rejection.into_response(),
    };
    let mut call: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return err(
                StatusCode::BAD_REQUEST,
                format!("Failed to parse body into JSON: {e}"),
            )
        }
    };
    let Some(ty) = call.get("type").and_then(Value::as_str).map(str::to_string) else {
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
        if let Some(p) = &principal {
            if let Err(r) = bind_principal(&mut call, p) {
                return r;
            }
        }
        return subscribe(&m, &call);
    }
    // Every other call: known framework, current stream.
    let Some(fid) = str_at(&call, "/framework_id/value").map(str::to_string) else {
        return err(
            StatusCode::BAD_REQUEST,
            "Failed to validate scheduler::Call: Expecting 'framework_id' to be present",
        );
    };
    if let Err(e) = validation::scheduler_call_ids(&call) {
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
    match ty.as_str() {
        "TEARDOWN" => {
            teardown_framework(&m, &fid, "Framework requested teardown");
        }
        "ACCEPT" => accept(&m, &fid, call.get("accept").unwrap_or(&Value::Null)),
        "DECLINE" => decline(&m, &fid, call.get("decline").unwrap_or(&Value::Null)),
        "REVIVE" => revive(&m, &fid, call.get("revive").unwrap_or(&Value::Null)),
        "SUPPRESS" => suppress(&m, &fid, call.get("suppress").unwrap_or(&Value::Null)),
        "KILL" => {
            let k = call.get("kill").unwrap_or(&Value::Null);
            let Some(tid) = str_at(k, "/task_id/value") else {
                return err(
                    StatusCode::BAD_REQUEST,
                    "Failed to validate scheduler::Call: Expecting 'kill.task_id' to be present",
                );
            };
            kill(&m, &fid, tid, k.get("kill_policy").cloned());
        }
        "SHUTDOWN" => {
            let s = call.get("shutdown").unwrap_or(&Value::Null);
            if let Some(eid) = str_at(s, "/executor_id/value") {
                // Command executors have the task's id.
                kill(&m, &fid, eid, None);
            }
        }
        "ACKNOWLEDGE" => {
            let a = call.get("acknowledge").unwrap_or(&Value::Null);
            let (Some(tid), Some(uuid)) = (
                str_at(a, "/task_id/value"),
                a.get("uuid").and_then(Value::as_str),
            ) else {
                return err(StatusCode::BAD_REQUEST, "Failed to validate scheduler::Call: Expecting 'acknowledge.task_id' and 'acknowledge.uuid'");
            };
            if base64::engine::general_purpose::STANDARD
                .decode(uuid)
                .is_err()
            {
                return err(
                    StatusCode::BAD_REQUEST,
                    "Failed to validate scheduler::Call: 'acknowledge.uuid' is not base64",
                );
            }
            acknowledge(&m, &fid, tid, uuid);
        }
        "RECONCILE" => reconcile(&m, &fid, call.get("reconcile").unwrap_or(&Value::Null)),
        "MESSAGE" => {
            crate::info!(
                "Dropping framework message from {fid}: command executors take no messages"
            );
        }
        "REQUEST"
        | "ACCEPT_INVERSE_OFFERS"
        | "DECLINE_INVERSE_OFFERS"
        | "ACKNOWLEDGE_OPERATION_STATUS"
        | "RECONCILE_OPERATIONS" => {}
        "UPDATE_FRAMEWORK" => {
            let u = call.get("update_framework").unwrap_or(&Value::Null);
            if let Some(Err(e)) = u.get("framework_info").map(validation::framework_info) {
                return err(
                    StatusCode::BAD_REQUEST,
                    format!("Failed to validate scheduler::Call: {e}"),
                );
            }
            if let Some(info) = u.get("framework_info") {
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
                    fw.suppressed_roles = list(u.get("suppressed_roles"))
                        .iter()
                        .filter_map(|r| r.as_str().map(str::to_string))
                        .collect();
                    let ev = json!({"type": "FRAMEWORK_UPDATED", "framework_updated": {"framework": render::framework_v1(fw)}});
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

fn principal_mismatch(authenticated: &str, declared: &str) -> String {
    format!("Authenticated principal '{authenticated}' does not match principal '{declared}' set in `FrameworkInfo`")
}

/// SUBSCRIBE under HTTP framework authentication: a declared
/// `framework_info.principal` must be the authenticated one (else 400, as
/// Mesos); a missing one is set to it.
#[allow(clippy::result_large_err)]
fn bind_principal(call: &mut Value, principal: &str) -> Result<(), Response> {
    let Some(info) = call
        .pointer_mut("/subscribe/framework_info")
        .and_then(Value::as_object_mut)
    else {
        // subscribe() reports the missing framework_info.
        return Ok(());
    };
    match info.get("principal").and_then(Value::as_str) {
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
            info.insert("principal".into(), json!(principal));
            Ok(())
        }
    }
}

/// Parse a FrameworkInfo into a (connected or not) framework entry.
pub fn framework_from_info(id: &str, info: &Value, now: f64, connected: bool) -> FrameworkEntry {
    let capabilities: Vec<String> = list(info.get("capabilities"))
        .iter()
        .filter_map(|c| c.get("type").and_then(Value::as_str).map(str::to_string))
        .collect();
    let multi_role = capabilities.iter().any(|c| c == "MULTI_ROLE");
    let roles: Vec<String> = if multi_role {
        list(info.get("roles"))
            .iter()
            .filter_map(|r| r.as_str().map(str::to_string))
            .collect()
    } else {
        vec![info
            .get("role")
            .and_then(Value::as_str)
            .unwrap_or("*")
            .to_string()]
    };
    // Indexing below panics on a non-object: a client may send any JSON here.
    let mut info = if info.is_object() {
        info.clone()
    } else {
        json!({})
    };
    info["id"] = json!({"value": id});
    // Defaults real Mesos writes out.
    for (k, d) in [
        ("failover_timeout", json!(0.0)),
        ("checkpoint", json!(false)),
    ] {
        if info.get(k).is_none() {
            info[k] = d;
        }
    }
    let s = |k: &str| {
        info.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    FrameworkEntry {
        id: id.to_string(),
        name: s("name"),
        user: s("user"),
        roles: if roles.is_empty() {
            vec!["*".into()]
        } else {
            roles
        },
        multi_role,
        principal: info
            .get("principal")
            .and_then(Value::as_str)
            .map(str::to_string),
        hostname: s("hostname"),
        webui_url: s("webui_url"),
        failover_timeout: info
            .get("failover_timeout")
            .and_then(Value::as_f64)
            .unwrap_or(0.0),
        checkpoint: info
            .get("checkpoint")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        capabilities,
        active: connected,
        connected,
        registered_time: now,
        reregistered_time: None,
        unregistered_time: 0.0,
        disconnected_at: if connected {
            None
        } else {
            Some(Instant::now())
        },
        tasks: Default::default(),
        unreachable_tasks: Default::default(),
        completed_tasks: Default::default(),
        stream: None,
        filters: Vec::new(),
        suppressed_roles: BTreeSet::new(),
        info,
    }
}

/// Encode an event and push it on the framework's stream (if connected).
pub fn send_event(fw: &FrameworkEntry, event: &Value) -> bool {
    match &fw.stream {
        Some(s) => {
            let bytes = crate::recordio::encode(event.to_string().as_bytes());
            s.tx.send(Bytes::from(bytes)).is_ok()
        }
        None => false,
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

/// A SUBSCRIBE answer that carries one ERROR event and ends.
fn error_event_response(message: &str) -> Response {
    let ev = json!({"type": "ERROR", "error": {"message": message}});
    let bytes = crate::recordio::encode(ev.to_string().as_bytes());
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .header("Mesos-Stream-Id", super::random_uuid())
        .body(Body::from(bytes))
        .unwrap()
}

fn subscribe(m: &Shared, call: &Value) -> Response {
    let sub = call.get("subscribe").unwrap_or(&Value::Null);
    let Some(info) = sub.get("framework_info").filter(|v| v.is_object()) else {
        return err(StatusCode::BAD_REQUEST, "Failed to convert JSON into Call protobuf: Missing required fields: subscribe.framework_info");
    };
    for f in ["user", "name"] {
        if info.get(f).and_then(Value::as_str).is_none() {
            return err(
                StatusCode::BAD_REQUEST,
                format!("Failed to convert JSON into Call protobuf: Missing required fields: subscribe.framework_info.{f}"),
            );
        }
    }
    let given_id = str_at(info, "/id/value").map(str::to_string);
    if let (Some(a), Some(b)) = (&given_id, str_at(call, "/framework_id/value")) {
        if a != b {
            return err(StatusCode::BAD_REQUEST, "Failed to validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'");
        }
    }
    // Refused as real Mesos refuses an invalid FrameworkInfo: an ERROR event.
    if let Err(e) = validation::framework_info(info) {
        crate::info!("Refusing subscription of a framework: {e}");
        return error_event_response(&e);
    }
    let capabilities_ok = {
        let caps: Vec<&str> = list(info.get("capabilities"))
            .iter()
            .filter_map(|c| c.get("type").and_then(Value::as_str))
            .collect();
        caps.contains(&"MULTI_ROLE") || info.get("roles").is_none_or(|r| list(Some(r)).is_empty())
    };
    if !capabilities_ok {
        return err(StatusCode::BAD_REQUEST, "Failed to validate scheduler::Call: 'framework_info.roles' requires the MULTI_ROLE capability");
    }
    let stream_id = super::random_uuid();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Bytes>();
    let now = now_secs();
    let (fid, event, op_event) = {
        let mut st = m.lock();
        let removed = given_id.as_ref().is_some_and(|id| {
            st.completed_frameworks.iter().any(|f| &f.id == id) && !st.frameworks.contains_key(id)
        });
        if removed {
            return error_event_response("Framework has been removed");
        }
        let fid = match &given_id {
            Some(id) => id.clone(),
            None => st.new_framework_id(),
        };
        let suppressed: BTreeSet<String> = list(sub.get("suppressed_roles"))
            .iter()
            .filter_map(|r| r.as_str().map(str::to_string))
            .collect();
        let op_event = if let Some(fw) = st.frameworks.get_mut(&fid) {
            // Re-subscription (failover): keep tasks, replace the stream.
            if let Some(old) = fw.stream.take() {
                let ev = json!({"type": "ERROR", "error": {"message": "Framework failed over"}});
                let _ = old.tx.send(Bytes::from(crate::recordio::encode(
                    ev.to_string().as_bytes(),
                )));
            }
            let fresh = framework_from_info(&fid, info, fw.registered_time, true);
            fw.info = fresh.info;
            fw.name = fresh.name;
            fw.roles = fresh.roles;
            fw.multi_role = fresh.multi_role;
            fw.capabilities = fresh.capabilities;
            fw.failover_timeout = fresh.failover_timeout;
            fw.checkpoint = fresh.checkpoint;
            fw.connected = true;
            fw.active = true;
            fw.reregistered_time = Some(now);
            fw.disconnected_at = None;
            fw.suppressed_roles = suppressed;
            crate::info!("Framework {fid} ({}) re-subscribed", fw.name);
            json!({"type": "FRAMEWORK_UPDATED", "framework_updated": {"framework": render::framework_v1(fw)}})
        } else {
            let mut fw = framework_from_info(&fid, info, now, true);
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
            let ev = json!({"type": "FRAMEWORK_ADDED", "framework_added": {"framework": render::framework_v1(&fw)}});
            st.frameworks.insert(fid.clone(), fw);
            ev
        };
        let subscribed = json!({
            "type": "SUBSCRIBED",
            "subscribed": {
                "framework_id": {"value": fid},
                "heartbeat_interval_seconds": HEARTBEAT_SECS,
                "master_info": render::master_info_json(&st),
            }
        });
        let fw = st.frameworks.get_mut(&fid).expect("just inserted");
        fw.stream = Some(Stream {
            id: stream_id.clone(),
            tx,
        });
        (fid, subscribed, op_event)
    };
    m.emit(op_event);
    let first = Bytes::from(crate::recordio::encode(event.to_string().as_bytes()));
    let guard = DisconnectGuard {
        master: m.clone(),
        framework_id: fid,
        stream_id: stream_id.clone(),
    };
    let stream = futures_util::stream::unfold(
        (Some(first), rx, guard),
        |(first, mut rx, guard)| async move {
            if let Some(f) = first {
                return Some((Ok::<Bytes, std::io::Error>(f), (None, rx, guard)));
            }
            let next = rx.recv().await?;
            Some((Ok(next), (None, rx, guard)))
        },
    );
    m.allocate.notify_one();
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .header("Mesos-Stream-Id", stream_id)
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::from_stream(stream))
        .unwrap()
}

/// Give a framework's outstanding offers back to their agents.
fn return_framework_offers(st: &mut MasterState, fid: &str) {
    let ids: Vec<String> = st
        .offers
        .values()
        .filter(|o| o.framework_id == fid)
        .map(|o| o.id.clone())
        .collect();
    for id in ids {
        if let Some(o) = st.offers.remove(&id) {
            if let Some(a) = st.agents.get_mut(&o.agent_id) {
                a.offered.subtract(&o.resources);
            }
        }
    }
}

/// Rescind every offer on an agent (agent removed or re-registered).
pub fn rescind_agent_offers(st: &mut MasterState, agent_id: &str) {
    let ids: Vec<String> = st
        .offers
        .values()
        .filter(|o| o.agent_id == agent_id)
        .map(|o| o.id.clone())
        .collect();
    for id in ids {
        rescind_offer(st, &id);
    }
}

fn rescind_offer(st: &mut MasterState, offer_id: &str) {
    let Some(o) = st.offers.remove(offer_id) else {
        return;
    };
    if let Some(a) = st.agents.get_mut(&o.agent_id) {
        a.offered.subtract(&o.resources);
    }
    st.counters.offers_rescinded += 1;
    if let Some(fw) = st.frameworks.get(&o.framework_id) {
        send_event(
            fw,
            &json!({"type": "RESCIND", "rescind": {"offer_id": {"value": offer_id}}}),
        );
    }
}

/// A master-generated TaskStatus (no uuid: not acknowledged).
pub fn master_status(
    task_id: &str,
    agent_id: &str,
    state: &str,
    reason: &str,
    message: &str,
) -> Value {
    json!({
        "task_id": {"value": task_id},
        "state": state,
        "source": "SOURCE_MASTER",
        "reason": reason,
        "message": message,
        "agent_id": {"value": agent_id},
        "timestamp": now_secs(),
    })
}

/// Same, with a uuid (for updates the scheduler must acknowledge).
fn master_status_reliable(
    task_id: &str,
    agent_id: &str,
    state: &str,
    reason: &str,
    message: &str,
) -> Value {
    let mut s = master_status(task_id, agent_id, state, reason, message);
    s["uuid"] = json!(base64::engine::general_purpose::STANDARD.encode(super::random_bytes16()));
    s
}

fn count_terminal(st: &mut MasterState, state: &str) {
    let c = &mut st.counters;
    match state {
        "TASK_FINISHED" => c.tasks_finished += 1,
        "TASK_FAILED" => c.tasks_failed += 1,
        "TASK_KILLED" => c.tasks_killed += 1,
        "TASK_LOST" => c.tasks_lost += 1,
        "TASK_ERROR" => c.tasks_error += 1,
        "TASK_DROPPED" => c.tasks_dropped += 1,
        "TASK_GONE" | "TASK_GONE_BY_OPERATOR" => c.tasks_gone += 1,
        _ => {}
    }
}

fn push_completed(st_max: usize, fw: &mut FrameworkEntry, t: TaskEntry) {
    fw.completed_tasks.push_back(t);
    while fw.completed_tasks.len() > st_max {
        fw.completed_tasks.pop_front();
    }
}

/// Record a status update for a task and forward it to the framework.
pub fn apply_status(m: &Shared, fid: &str, agent_id: &str, mut status: Value) {
    if status.get("agent_id").is_none() {
        status["agent_id"] = json!({"value": agent_id});
    }
    let state = status
        .get("state")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let tid = str_at(&status, "/task_id/value").unwrap_or("").to_string();
    let uuid = status
        .get("uuid")
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut freed = false;
    let mut op_event = None;
    {
        let mut st = m.lock();
        let max_completed = st.max_completed_tasks;
        let Some(fw) = st.frameworks.get_mut(fid) else {
            return;
        };
        let in_unreachable = fw.unreachable_tasks.contains_key(&tid);
        let task = if in_unreachable {
            fw.unreachable_tasks.get_mut(&tid)
        } else {
            fw.tasks.get_mut(&tid)
        };
        let Some(task) = task else {
            // Unknown task (e.g. already completed): still forward, so the
            // scheduler can acknowledge and the agent stops retrying.
            send_event(fw, &json!({"type": "UPDATE", "update": {"status": status}}));
            return;
        };
        let duplicate = uuid.is_some()
            && task
                .statuses
                .iter()
                .any(|s| s.get("uuid").and_then(Value::as_str) == uuid.as_deref());
        if !duplicate {
            let was_terminal = is_terminal(&task.state);
            task.statuses.push(status.clone());
            task.state = state.clone();
            if uuid.is_some() {
                task.status_update_state = Some(state.clone());
                task.status_update_uuid = uuid.clone();
            }
            op_event = Some(json!({"type": "TASK_UPDATED", "task_updated": {
                "framework_id": {"value": fid}, "status": status, "state": state}}));
            let resources = task.resources.clone();
            let now_terminal = is_terminal(&state);
            // Move between the active and unreachable maps.
            if state == "TASK_UNREACHABLE" && !in_unreachable {
                if let Some(t) = fw.tasks.remove(&tid) {
                    fw.unreachable_tasks.insert(tid.clone(), t);
                }
            } else if state != "TASK_UNREACHABLE" && in_unreachable {
                if let Some(t) = fw.unreachable_tasks.remove(&tid) {
                    fw.tasks.insert(tid.clone(), t);
                }
            }
            // Terminal updates without uuid need no acknowledgement.
            if now_terminal && uuid.is_none() {
                let t = fw
                    .tasks
                    .remove(&tid)
                    .or_else(|| fw.unreachable_tasks.remove(&tid));
                if let Some(t) = t {
                    push_completed(max_completed, fw, t);
                }
            }
            send_event(fw, &json!({"type": "UPDATE", "update": {"status": status}}));
            if now_terminal && !was_terminal {
                count_terminal(&mut st, &state);
                if let Some(a) = st.agents.get_mut(agent_id) {
                    a.allocated.subtract(&resources);
                }
                freed = true;
            }
        } else {
            // A retry from the agent: the scheduler has not acknowledged yet.
            send_event(fw, &json!({"type": "UPDATE", "update": {"status": status}}));
        }
    }
    if let Some(e) = op_event {
        m.emit(e);
    }
    if freed {
        m.allocate.notify_one();
    }
}

fn acknowledge(m: &Shared, fid: &str, tid: &str, uuid: &str) {
    let agent;
    {
        let mut st = m.lock();
        let max_completed = st.max_completed_tasks;
        let Some(fw) = st.frameworks.get_mut(fid) else {
            return;
        };
        let task = fw
            .tasks
            .get_mut(tid)
            .or_else(|| fw.unreachable_tasks.get_mut(tid));
        let Some(task) = task else {
            return; // Unknown task: acknowledgements of master-generated updates.
        };
        let carries = task
            .statuses
            .iter()
            .any(|s| s.get("uuid").and_then(Value::as_str) == Some(uuid));
        if !carries {
            return;
        }
        agent = Some(task.agent_id.clone());
        if task.status_update_uuid.as_deref() == Some(uuid) {
            task.status_update_state = None;
            task.status_update_uuid = None;
            if is_terminal(&task.state) {
                if let Some(t) = fw
                    .tasks
                    .remove(tid)
                    .or_else(|| fw.unreachable_tasks.remove(tid))
                {
                    push_completed(max_completed, fw, t);
                }
            }
        }
    }
    if let Some(aid) = agent {
        send_to_agent(
            m,
            &aid,
            proto::paths::ACK,
            json!({"framework_id": fid, "task_id": tid, "uuid": uuid}),
        );
    }
}

fn refuse_for(filters: Option<&Value>) -> Duration {
    let secs = filters
        .and_then(|f| f.get("refuse_seconds"))
        .and_then(|v| {
            v.as_f64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
        .unwrap_or(5.0);
    let secs = if secs.is_finite() {
        secs.clamp(0.0, 365.0 * 86400.0)
    } else {
        365.0 * 86400.0
    };
    Duration::from_secs_f64(secs)
}

fn add_filter(fw: &mut FrameworkEntry, agent_id: &str, d: Duration) {
    if d.is_zero() {
        return;
    }
    fw.filters.retain(|f| f.agent_id != agent_id);
    fw.filters.push(OfferFilter {
        agent_id: agent_id.to_string(),
        until: Instant::now() + d,
    });
}

fn decline(m: &Shared, fid: &str, d: &Value) {
    let refuse = refuse_for(d.get("filters"));
    {
        let mut st = m.lock();
        for oid in list(d.get("offer_ids"))
            .iter()
            .filter_map(|o| o.get("value").and_then(Value::as_str))
        {
            let Some(o) = st
                .offers
                .get(oid)
                .filter(|o| o.framework_id == fid)
                .cloned()
            else {
                continue;
            };
            st.offers.remove(oid);
            st.counters.offers_declined += 1;
            if let Some(a) = st.agents.get_mut(&o.agent_id) {
                a.offered.subtract(&o.resources);
            }
            if let Some(fw) = st.frameworks.get_mut(fid) {
                add_filter(fw, &o.agent_id, refuse);
            }
        }
    }
    m.allocate.notify_one();
}

fn revive(m: &Shared, fid: &str, r: &Value) {
    {
        let mut st = m.lock();
        if let Some(fw) = st.frameworks.get_mut(fid) {
            fw.filters.clear();
            let roles: Vec<String> = list(r.get("roles"))
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect();
            if roles.is_empty() {
                fw.suppressed_roles.clear();
            } else {
                for role in roles {
                    fw.suppressed_roles.remove(&role);
                }
            }
        }
    }
    m.allocate.notify_one();
}

fn suppress(m: &Shared, fid: &str, s: &Value) {
    let mut st = m.lock();
    if let Some(fw) = st.frameworks.get_mut(fid) {
        let roles: Vec<String> = list(s.get("roles"))
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect();
        if roles.is_empty() {
            fw.suppressed_roles = fw.roles.iter().cloned().collect();
        } else {
            fw.suppressed_roles.extend(roles);
        }
    }
}

fn kill(m: &Shared, fid: &str, tid: &str, kill_policy: Option<Value>) {
    let target: Option<(String, bool)> = {
        let st = m.lock();
        st.frameworks.get(fid).and_then(|fw| {
            fw.tasks
                .get(tid)
                .or_else(|| fw.unreachable_tasks.get(tid))
                .map(|t| (t.agent_id.clone(), is_terminal(&t.state)))
        })
    };
    match target {
        Some((agent_id, false)) => {
            let mut body = json!({"framework_id": fid, "task_id": tid});
            if let Some(p) = kill_policy {
                body["kill_policy"] = p;
            }
            send_to_agent(m, &agent_id, proto::paths::KILL_TASK, body);
        }
        Some((_, true)) => {}
        None => {
            let aware = m
                .lock()
                .frameworks
                .get(fid)
                .is_some_and(|f| f.partition_aware());
            let state = if aware { "TASK_UNKNOWN" } else { "TASK_LOST" };
            let status = master_status(
                tid,
                "",
                state,
                "REASON_RECONCILIATION",
                "Attempted to kill an unknown task",
            );
            let mut status = status;
            status.as_object_mut().map(|o| o.remove("agent_id"));
            let st = m.lock();
            if let Some(fw) = st.frameworks.get(fid) {
                send_event(fw, &json!({"type": "UPDATE", "update": {"status": status}}));
            }
        }
    }
}

fn reconcile(m: &Shared, fid: &str, r: &Value) {
    let st = m.lock();
    let Some(fw) = st.frameworks.get(fid) else {
        return;
    };
    let reply = |t: &TaskEntry| {
        let mut s = master_status(
            &t.id,
            &t.agent_id,
            &t.state,
            "REASON_RECONCILIATION",
            "Reconciliation: Latest task state",
        );
        if let Some(last) = t.statuses.last() {
            for k in ["container_status", "executor_id", "labels", "healthy"] {
                if let Some(v) = last.get(k) {
                    s[k] = v.clone();
                }
            }
        }
        s
    };
    let asked = list(r.get("tasks"));
    if asked.is_empty() {
        for t in fw.tasks.values().chain(fw.unreachable_tasks.values()) {
            send_event(
                fw,
                &json!({"type": "UPDATE", "update": {"status": reply(t)}}),
            );
        }
        return;
    }
    for a in asked {
        let Some(tid) = str_at(a, "/task_id/value") else {
            continue;
        };
        let known = fw.tasks.get(tid).or_else(|| fw.unreachable_tasks.get(tid));
        let status = match known {
            Some(t) => reply(t),
            None => {
                let completed = fw.completed_tasks.iter().rev().find(|t| t.id == tid);
                match completed {
                    Some(t) => reply(t),
                    None => {
                        let agent = str_at(a, "/agent_id/value").unwrap_or("");
                        let gone = !agent.is_empty() && st.removed_agents.contains(agent);
                        let state = match (fw.partition_aware(), gone) {
                            (true, true) => "TASK_GONE",
                            (true, false) => "TASK_UNKNOWN",
                            (false, _) => "TASK_LOST",
                        };
                        let mut s = master_status(
                            tid,
                            agent,
                            state,
                            "REASON_RECONCILIATION",
                            "Reconciliation: Task is unknown",
                        );
                        if agent.is_empty() {
                            s.as_object_mut().map(|o| o.remove("agent_id"));
                        }
                        s
                    }
                }
            }
        };
        send_event(fw, &json!({"type": "UPDATE", "update": {"status": status}}));
    }
}

/// Remove a framework: kill its tasks, drop its offers, close its stream.
/// Returns whether it existed. Used by TEARDOWN, `/master/teardown`, the
/// operator API and failover timeouts.
pub fn teardown_framework(m: &Shared, framework_id: &str, why: &str) -> bool {
    let (agents, info) = {
        let mut st = m.lock();
        let Some(mut fw) = st.frameworks.remove(framework_id) else {
            return false;
        };
        crate::info!("Removing framework {framework_id} ({}): {why}", fw.name);
        return_framework_offers(&mut st, framework_id);
        let mut agents = BTreeSet::new();
        let max_completed = st.max_completed_tasks;
        let ids: Vec<String> = fw
            .tasks
            .keys()
            .chain(fw.unreachable_tasks.keys())
            .cloned()
            .collect();
        for tid in ids {
            let Some(mut t) = fw
                .tasks
                .remove(&tid)
                .or_else(|| fw.unreachable_tasks.remove(&tid))
            else {
                continue;
            };
            if !is_terminal(&t.state) {
                agents.insert(t.agent_id.clone());
                if let Some(a) = st.agents.get_mut(&t.agent_id) {
                    a.allocated.subtract(&t.resources);
                }
                let s = master_status(
                    &t.id,
                    &t.agent_id,
                    "TASK_KILLED",
                    "REASON_FRAMEWORK_REMOVED",
                    why,
                );
                t.statuses.push(s);
                t.state = "TASK_KILLED".into();
                st.counters.tasks_killed += 1;
            }
            push_completed(max_completed, &mut fw, t);
        }
        if fw.stream.is_some() {
            send_event(
                &fw,
                &json!({"type": "ERROR", "error": {"message": format!("Framework has been removed: {why}")}}),
            );
        }
        fw.stream = None;
        fw.active = false;
        fw.connected = false;
        fw.unregistered_time = now_secs();
        let info = fw.info.clone();
        st.counters.frameworks_removed += 1;
        st.completed_frameworks.push_back(fw);
        while st.completed_frameworks.len() > st.max_completed_frameworks {
            st.completed_frameworks.pop_front();
        }
        (agents, info)
    };
    for a in agents {
        send_to_agent(
            m,
            &a,
            proto::paths::SHUTDOWN_FRAMEWORK,
            json!({"framework_id": framework_id}),
        );
    }
    m.emit(json!({"type": "FRAMEWORK_REMOVED", "framework_removed": {"framework_info": info}}));
    m.allocate.notify_one();
    true
}

/// The reason a launch failed validation (TASK_ERROR).
fn validate_task(
    fw: &FrameworkEntry,
    task: &Value,
    offer_agent: &str,
    pool: &Resources,
    seen: &BTreeSet<String>,
) -> Result<(String, Resources), String> {
    let tid = str_at(task, "/task_id/value").ok_or("Task has no 'task_id'")?;
    validation::task_info(task)?;
    if fw.tasks.contains_key(tid) || fw.unreachable_tasks.contains_key(tid) || seen.contains(tid) {
        return Err(format!("Task has duplicate ID: {tid}"));
    }
    if let Some(aid) = str_at(task, "/agent_id/value") {
        if aid != offer_agent {
            return Err(format!(
                "Task uses agent ID {aid} which does not match offer's agent ID {offer_agent}"
            ));
        }
    }
    let has_cmd = task.get("command").is_some_and(|c| !c.is_null());
    let has_exec = task.get("executor").is_some_and(|c| !c.is_null());
    if has_cmd == has_exec {
        return Err(
            "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present"
                .into(),
        );
    }
    if has_exec {
        return Err(
            "Task uses a custom executor, which the bundled agent does not run; use a CommandInfo"
                .into(),
        );
    }
    let res = Resources::from_v1_json(task.get("resources").unwrap_or(&Value::Null))
        .map_err(|e| format!("Task has invalid resources: {e}"))?;
    if res.is_empty() {
        return Err("Task uses no resources".into());
    }
    if !pool.contains(&res) {
        return Err(format!(
            "Task uses more resources {res} than available {pool}"
        ));
    }
    Ok((tid.to_string(), res))
}

fn accept(m: &Shared, fid: &str, a: &Value) {
    let offer_ids: Vec<String> = list(a.get("offer_ids"))
        .iter()
        .filter_map(|o| o.get("value").and_then(Value::as_str).map(str::to_string))
        .collect();
    let refuse = refuse_for(a.get("filters"));
    let operations = list(a.get("operations"));
    // (agent, framework info, task)
    let mut launches: Vec<(super::agents::AgentTarget, Value, Value)> = Vec::new();
    let mut errors: Vec<Value> = Vec::new();
    let mut added: Vec<Value> = Vec::new();
    {
        let mut st = m.lock();
        // Validate offers: all exist, belong to the framework, one agent.
        let mut invalid = None;
        let mut agent_id = None;
        let mut pool = Resources::new();
        let mut role = String::from("*");
        for oid in &offer_ids {
            match st.offers.get(oid) {
                Some(o) if o.framework_id == fid => {
                    if agent_id.get_or_insert_with(|| o.agent_id.clone()) != &o.agent_id {
                        invalid =
                            Some("Aggregated offers must belong to one single agent".to_string());
                    }
                    role = o.role.clone();
                }
                Some(_) => invalid = Some(format!("Offer {oid} is not for this framework")),
                None => invalid = Some(format!("Offer {oid} is no longer valid")),
            }
        }
        if offer_ids.is_empty() {
            invalid = Some("No offers given".into());
        }
        // Take the valid offers out (their resources go back unless used).
        for oid in &offer_ids {
            if let Some(o) = st
                .offers
                .get(oid)
                .filter(|o| o.framework_id == fid)
                .cloned()
            {
                st.offers.remove(oid);
                if let Some(ag) = st.agents.get_mut(&o.agent_id) {
                    ag.offered.subtract(&o.resources);
                }
                pool.add(&o.resources);
            }
        }
        st.counters.offers_accepted += offer_ids.len() as u64;
        let Some(fw) = st.frameworks.get(fid) else {
            return;
        };
        let aware = fw.partition_aware();
        let agent_id = agent_id.unwrap_or_default();
        let mut seen = BTreeSet::new();
        let mut accepted: Vec<TaskEntry> = Vec::new();
        for op in operations {
            let ty = op.get("type").and_then(Value::as_str).unwrap_or("");
            let (tasks, group_error) = match ty {
                "LAUNCH" => (list(op.pointer("/launch/task_infos")), None),
                "LAUNCH_GROUP" => (
                    list(op.pointer("/launch_group/task_group/tasks")),
                    Some("LAUNCH_GROUP is not supported by the bundled master yet; launch the tasks individually"),
                ),
                other => {
                    crate::warning!("Framework {fid}: ignoring unsupported operation {other}");
                    continue;
                }
            };
            for task in tasks {
                let tid = str_at(task, "/task_id/value").unwrap_or("").to_string();
                if let Some(why) = &invalid {
                    let state = if aware { "TASK_DROPPED" } else { "TASK_LOST" };
                    errors.push(master_status_reliable(
                        &tid,
                        &agent_id,
                        state,
                        "REASON_INVALID_OFFERS",
                        why,
                    ));
                    continue;
                }
                if let Some(why) = group_error {
                    // Invalid ids are named even though groups are refused.
                    let executor = op.pointer("/launch_group/executor").unwrap_or(&Value::Null);
                    let why = validation::task_info(task)
                        .and_then(|_| validation::executor_info(executor))
                        .err()
                        .unwrap_or_else(|| why.to_string());
                    errors.push(master_status_reliable(
                        &tid,
                        &agent_id,
                        "TASK_ERROR",
                        "REASON_TASK_GROUP_INVALID",
                        &why,
                    ));
                    continue;
                }
                match validate_task(fw, task, &agent_id, &pool, &seen) {
                    Err(why) => errors.push(master_status_reliable(
                        &tid,
                        &agent_id,
                        "TASK_ERROR",
                        "REASON_TASK_INVALID",
                        &why,
                    )),
                    Ok((tid, res)) => {
                        pool.subtract(&res);
                        seen.insert(tid.clone());
                        let mut info = task.clone();
                        info["agent_id"] = json!({"value": agent_id});
                        info["resources"] = Value::Array(res.to_v1_json(Some(&role)));
                        let entry = TaskEntry {
                            id: tid.clone(),
                            name: info
                                .get("name")
                                .and_then(Value::as_str)
                                .unwrap_or(&tid)
                                .to_string(),
                            framework_id: fid.to_string(),
                            agent_id: agent_id.clone(),
                            executor_id: String::new(),
                            state: "TASK_STAGING".into(),
                            resources: res,
                            role: role.clone(),
                            statuses: Vec::new(),
                            info,
                            status_update_state: None,
                            status_update_uuid: None,
                        };
                        accepted.push(entry);
                    }
                }
            }
        }
        let base = super::agents::AgentTarget::of(&st, &agent_id);
        let fw_info = st
            .frameworks
            .get(fid)
            .map(|f| f.info.clone())
            .unwrap_or(Value::Null);
        for mut t in accepted {
            if let Some(ag) = st.agents.get_mut(&agent_id) {
                ag.allocated.add(&t.resources);
            }
            let full = std::mem::take(&mut t.info);
            t.info = super::state::prune_task_info(&full);
            added.push(json!({"type": "TASK_ADDED", "task_added": {"task": render::task_v1(&t)}}));
            if let Some(b) = &base {
                launches.push((b.clone(), fw_info.clone(), full));
            }
            if let Some(fw) = st.frameworks.get_mut(fid) {
                fw.tasks.insert(t.id.clone(), t);
            }
        }
        if !pool.is_empty() && !agent_id.is_empty() {
            if let Some(fw) = st.frameworks.get_mut(fid) {
                add_filter(fw, &agent_id, refuse);
            }
        }
        if let Some(fw) = st.frameworks.get(fid) {
            for s in &errors {
                send_event(fw, &json!({"type": "UPDATE", "update": {"status": s}}));
            }
        }
    }
    for e in added {
        m.emit(e);
    }
    for (base, framework, task) in launches {
        let m2 = m.clone();
        let fid = fid.to_string();
        tokio::spawn(async move {
            let body = serde_json::to_value(proto::RunTask {
                framework,
                task: task.clone(),
                executor: None,
            })
            .unwrap_or_default();
            if let Err(e) = post_to_agent(&m2, &base, proto::paths::RUN_TASK, &body).await {
                let tid = str_at(&task, "/task_id/value").unwrap_or("").to_string();
                let aid = str_at(&task, "/agent_id/value").unwrap_or("").to_string();
                crate::warning!("Failed to launch task {tid} on agent {aid}: {e}");
                let aware = m2
                    .lock()
                    .frameworks
                    .get(&fid)
                    .is_some_and(|f| f.partition_aware());
                let state = if aware { "TASK_DROPPED" } else { "TASK_LOST" };
                let s = master_status(
                    &tid,
                    &aid,
                    state,
                    "REASON_AGENT_DISCONNECTED",
                    &format!("Could not deliver the task to its agent: {e}"),
                );
                apply_status(&m2, &fid, &aid, s);
            }
        });
    }
    m.allocate.notify_one();
}

/// Heartbeats, offer timeouts, framework failover timeouts.
pub fn spawn_maintenance(m: Shared) {
    let hb = m.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs_f64(HEARTBEAT_SECS));
        tick.tick().await;
        loop {
            tick.tick().await;
            let st = hb.lock();
            let ev = json!({"type": "HEARTBEAT"});
            for fw in st.frameworks.values() {
                send_event(fw, &ev);
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
