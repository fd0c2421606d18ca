//! The v1 agent operator API: `POST /slave(1)/api/v1`
//! (docs/wire-notes.md#operator-api, docs/wire-notes.md#agent-operator-calls).
//! JSON only; `Content-Type` parameters are tolerated.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value as Json};

use super::router::{container_status, live_containers, metrics_map};
use super::state::{id_obj, is_terminal, Agent};
use crate::daemon::files::FilesError;
use crate::daemon::httputil;

fn bad(msg: impl Into<String>) -> Response {
    httputil::text(StatusCode::BAD_REQUEST, msg)
}

pub use crate::daemon::httputil::{accepts_json, media_type};

fn respond(ty: &str, key: &str, payload: Json) -> Response {
    let mut o = Map::new();
    o.insert("type".into(), json!(ty));
    o.insert(key.into(), payload);
    httputil::json(&Json::Object(o))
}

fn ok_empty() -> Response {
    httputil::text(StatusCode::OK, "")
}

fn files_error(e: FilesError) -> Response {
    let msg = match &e {
        FilesError::NotFound(m) if m.is_empty() => String::new(),
        other => other.message().to_string(),
    };
    httputil::text(e.status(), msg)
}

fn u64_field(v: Option<&Json>) -> Option<Option<u64>> {
    match v {
        None | Some(Json::Null) => Some(None),
        Some(Json::Number(n)) => n.as_u64().map(Some),
        Some(Json::String(s)) => s.trim().parse::<u64>().ok().map(Some),
        _ => None,
    }
}

/// The handler of `POST /slave(1)/api/v1`.
#[allow(clippy::result_large_err)]
pub async fn handle(State(agent): State<Arc<Agent>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return bad("Expecting 'Content-Type' to be present");
    };
    match media_type(ct).as_str() {
        "application/json" => {}
        "application/x-protobuf" => {
            return httputil::text(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "This agent only speaks application/json on /api/v1; application/x-protobuf is not supported",
            )
        }
        "application/recordio" => {
            return httputil::text(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Streaming requests (ATTACH_CONTAINER_INPUT) are not supported by this agent",
            )
        }
        _ => {
            return httputil::text(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Expecting 'Content-Type' of application/json or application/x-protobuf",
            )
        }
    }
    if !accepts_json(&headers) {
        return httputil::text(
            StatusCode::NOT_ACCEPTABLE,
            "Expecting 'Accept' to allow application/json or application/x-protobuf",
        );
    }
    let call: Json = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad(format!("Failed to parse body into JSON: {e}")),
    };
    if !call.is_object() {
        return bad("Failed to convert JSON into Call protobuf: Expecting a JSON object");
    }
    let Some(ty) = call.get("type").and_then(Json::as_str).map(str::to_string) else {
        return bad("Failed to validate agent::Call: Expecting 'type' to be present");
    };
    let sub = |k: &str| call.get(k).filter(|v| !v.is_null());
    let need = |k: &str| -> Result<&Json, Response> {
        sub(k).ok_or_else(|| {
            bad(format!(
                "Failed to validate agent::Call: Expecting '{k}' to be present"
            ))
        })
    };
    match ty.as_str() {
        "GET_HEALTH" => respond("GET_HEALTH", "get_health", json!({ "healthy": true })),
        "GET_FLAGS" => {
            let flags: Vec<Json> = agent
                .cfg
                .flags
                .all()
                .iter()
                .map(|(k, v)| json!({ "name": k, "value": v }))
                .collect();
            respond("GET_FLAGS", "get_flags", json!({ "flags": flags }))
        }
        "GET_VERSION" => respond(
            "GET_VERSION",
            "get_version",
            json!({ "version_info": super::state::version_json() }),
        ),
        "GET_METRICS" => {
            if let Err(r) = need("get_metrics") {
                return r;
            }
            let metrics: Vec<Json> = metrics_map(&agent)
                .into_iter()
                .map(|(k, v)| json!({ "name": k, "value": v }))
                .collect();
            respond("GET_METRICS", "get_metrics", json!({ "metrics": metrics }))
        }
        "GET_LOGGING_LEVEL" => respond("GET_LOGGING_LEVEL", "get_logging_level", json!({ "level": 0 })),
        "SET_LOGGING_LEVEL" => match need("set_logging_level") {
            Err(r) => r,
            Ok(_) => ok_empty(),
        },
        "LIST_FILES" => {
            let path = match need("list_files").map(|l| l.get("path").and_then(Json::as_str)) {
                Err(r) => return r,
                Ok(None) => {
                    return bad("Failed to convert JSON into Call protobuf: Missing required fields: list_files.path")
                }
                Ok(Some(p)) => p.to_string(),
            };
            let files = agent.files.clone();
            match tokio::task::spawn_blocking(move || files.list_files_v1(&path)).await {
                Ok(Ok(v)) => respond("LIST_FILES", "list_files", v),
                Ok(Err(e)) => files_error(e),
                Err(e) => httputil::text(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
            }
        }
        "READ_FILE" => {
            let rf = match need("read_file") {
                Err(r) => return r,
                Ok(v) => v.clone(),
            };
            let Some(path) = rf.get("path").and_then(Json::as_str).map(str::to_string) else {
                return bad("Failed to convert JSON into Call protobuf: Missing required fields: read_file.path");
            };
            let offset = match u64_field(rf.get("offset")) {
                Some(Some(o)) => o,
                Some(None) => {
                    return bad("Failed to convert JSON into Call protobuf: Missing required fields: read_file.offset")
                }
                None => return bad("Failed to convert JSON into Call protobuf: 'read_file.offset' is not a non-negative integer"),
            };
            let length = match u64_field(rf.get("length")) {
                Some(l) => l,
                None => return bad("Failed to convert JSON into Call protobuf: 'read_file.length' is not a non-negative integer"),
            };
            let files = agent.files.clone();
            match tokio::task::spawn_blocking(move || files.read_file_v1(&path, offset, length)).await {
                Ok(Ok(v)) => respond("READ_FILE", "read_file", v),
                Ok(Err(e)) => files_error(e),
                Err(e) => httputil::text(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
            }
        }
        "GET_STATE" => respond(
            "GET_STATE",
            "get_state",
            json!({
                "get_tasks": get_tasks(&agent),
                "get_executors": get_executors(&agent),
                "get_frameworks": get_frameworks(&agent),
            }),
        ),
        "GET_TASKS" => respond("GET_TASKS", "get_tasks", get_tasks(&agent)),
        "GET_EXECUTORS" => respond("GET_EXECUTORS", "get_executors", get_executors(&agent)),
        "GET_FRAMEWORKS" => respond("GET_FRAMEWORKS", "get_frameworks", get_frameworks(&agent)),
        "GET_AGENT" => respond("GET_AGENT", "get_agent", json!({ "agent_info": agent.agent_info_v1() })),
        "GET_OPERATIONS" => respond("GET_OPERATIONS", "get_operations", json!({})),
        "GET_RESOURCE_PROVIDERS" => respond("GET_RESOURCE_PROVIDERS", "get_resource_providers", json!({})),
        "GET_CONTAINERS" => {
            let a = agent.clone();
            let list = tokio::task::spawn_blocking(move || live_containers(&a)).await.unwrap_or_default();
            let containers: Vec<Json> = list
                .iter()
                .map(|c| {
                    json!({
                        "framework_id": id_obj(&c.framework_id),
                        "executor_id": id_obj(&c.executor_id),
                        "executor_name": c.executor_name,
                        "container_id": id_obj(&c.container_id),
                        "container_status": container_status(c),
                        "resource_statistics": c.statistics,
                    })
                })
                .collect();
            let mut o = Map::new();
            if !containers.is_empty() {
                o.insert("containers".into(), Json::Array(containers));
            }
            respond("GET_CONTAINERS", "get_containers", Json::Object(o))
        }
        "WAIT_CONTAINER" | "WAIT_NESTED_CONTAINER" => {
            let key = if ty == "WAIT_CONTAINER" { "wait_container" } else { "wait_nested_container" };
            let cid = match need(key).map(|w| w.pointer("/container_id/value").and_then(Json::as_str)) {
                Err(r) => return r,
                Ok(None) => return bad(format!("Failed to convert JSON into Call protobuf: Missing required fields: {key}.container_id")),
                Ok(Some(c)) => c.to_string(),
            };
            if let Err(e) = crate::daemon::ids::validate_id("Container ID", &cid) {
                return bad(format!("Failed to validate agent::Call: {e}"));
            }
            wait_container(&agent, &ty, key, &cid).await
        }
        "KILL_CONTAINER" | "KILL_NESTED_CONTAINER" => {
            let key = if ty == "KILL_CONTAINER" { "kill_container" } else { "kill_nested_container" };
            let k = match need(key) {
                Err(r) => return r,
                Ok(k) => k.clone(),
            };
            let Some(cid) = k.pointer("/container_id/value").and_then(Json::as_str) else {
                return bad(format!("Failed to convert JSON into Call protobuf: Missing required fields: {key}.container_id"));
            };
            if let Err(e) = crate::daemon::ids::validate_id("Container ID", cid) {
                return bad(format!("Failed to validate agent::Call: {e}"));
            }
            let signal = k.get("signal").and_then(Json::as_i64).unwrap_or(libc::SIGKILL as i64) as i32;
            let pid = {
                let st = agent.lock();
                st.frameworks
                    .values()
                    .flat_map(|f| f.executors.values())
                    .find(|e| e.container_id == cid && e.is_live())
                    .map(|e| e.pid)
            };
            match pid {
                None => httputil::text(StatusCode::NOT_FOUND, format!("Container {cid} cannot be found")),
                Some(pid) => {
                    if let Some(p) = pid {
                        super::executor::signal_group(p, signal);
                    }
                    ok_empty()
                }
            }
        }
        "UNKNOWN" => httputil::text(StatusCode::NOT_IMPLEMENTED, ""),
        "LAUNCH_NESTED_CONTAINER"
        | "REMOVE_NESTED_CONTAINER"
        | "LAUNCH_NESTED_CONTAINER_SESSION"
        | "ATTACH_CONTAINER_INPUT"
        | "ATTACH_CONTAINER_OUTPUT"
        | "LAUNCH_CONTAINER"
        | "REMOVE_CONTAINER"
        | "ADD_RESOURCE_PROVIDER_CONFIG"
        | "UPDATE_RESOURCE_PROVIDER_CONFIG"
        | "REMOVE_RESOURCE_PROVIDER_CONFIG"
        | "MARK_RESOURCE_PROVIDER_GONE"
        | "PRUNE_IMAGES" => httputil::text(
            StatusCode::NOT_IMPLEMENTED,
            format!("{ty} is not supported by this agent"),
        ),
        other => bad(format!(
            "Failed to validate agent::Call: Expecting 'type' to be present (unknown call type '{other}')"
        )),
    }
}

async fn wait_container(agent: &Arc<Agent>, ty: &str, key: &str, cid: &str) -> Response {
    let found = {
        let st = agent.lock();
        let found = st
            .all_executors()
            .find(|(_, e, _)| e.container_id == cid)
            .map(|(_, e, _)| (e.done_tx.subscribe(), e.framework_id.clone(), e.id.clone()));
        found
    };
    let Some((mut rx, fid, eid)) = found else {
        return httputil::text(
            StatusCode::NOT_FOUND,
            format!("Container {cid} cannot be found"),
        );
    };
    while !*rx.borrow_and_update() {
        if rx.changed().await.is_err() {
            break;
        }
    }
    let st = agent.lock();
    let e = st
        .frameworks
        .get(&fid)
        .and_then(|f| {
            f.executors
                .get(&eid)
                .or_else(|| f.completed_executors.iter().find(|e| e.container_id == cid))
        })
        .or_else(|| {
            st.completed_frameworks
                .iter()
                .flat_map(|f| f.completed_executors.iter())
                .find(|e| e.container_id == cid)
        });
    let mut o = Map::new();
    if let Some(e) = e {
        if let Some(s) = e.exit_status {
            o.insert("exit_status".into(), json!(s));
        }
        if is_terminal(&e.task.state) {
            o.insert("state".into(), json!(e.task.state));
            if let Some(last) = e.task.statuses.last() {
                if let Some(r) = last.get("reason") {
                    o.insert("reason".into(), r.clone());
                }
                if let Some(m) = last.get("message") {
                    o.insert("message".into(), m.clone());
                }
            }
        }
    }
    drop(st);
    respond(ty, key, Json::Object(o))
}

fn get_tasks(agent: &Agent) -> Json {
    let st = agent.lock();
    let mut launched = Vec::new();
    let mut terminated = Vec::new();
    let mut completed = Vec::new();
    for (_, e, done) in st.all_executors() {
        let t = agent.task_v1(e);
        if done {
            completed.push(t);
        } else if is_terminal(&e.task.state) {
            terminated.push(t);
        } else {
            launched.push(t);
        }
    }
    for f in &st.completed_frameworks {
        for e in &f.completed_executors {
            completed.push(agent.task_v1(e));
        }
    }
    let mut o = Map::new();
    for (k, v) in [
        ("launched_tasks", launched),
        ("terminated_tasks", terminated),
        ("completed_tasks", completed),
    ] {
        if !v.is_empty() {
            o.insert(k.into(), Json::Array(v));
        }
    }
    Json::Object(o)
}

fn get_executors(agent: &Agent) -> Json {
    let st = agent.lock();
    let mut active = Vec::new();
    let mut completed = Vec::new();
    for (_, e, done) in st.all_executors() {
        let x = json!({ "executor_info": e.info });
        if done {
            completed.push(x);
        } else {
            active.push(x);
        }
    }
    for f in &st.completed_frameworks {
        for e in &f.completed_executors {
            completed.push(json!({ "executor_info": e.info }));
        }
    }
    let mut o = Map::new();
    if !active.is_empty() {
        o.insert("executors".into(), Json::Array(active));
    }
    if !completed.is_empty() {
        o.insert("completed_executors".into(), Json::Array(completed));
    }
    Json::Object(o)
}

fn get_frameworks(agent: &Agent) -> Json {
    let st = agent.lock();
    let active: Vec<Json> = st
        .frameworks
        .values()
        .map(|f| json!({ "framework_info": f.info }))
        .collect();
    let completed: Vec<Json> = st
        .completed_frameworks
        .iter()
        .map(|f| json!({ "framework_info": f.info }))
        .collect();
    let mut o = Map::new();
    if !active.is_empty() {
        o.insert("frameworks".into(), Json::Array(active));
    }
    if !completed.is_empty() {
        o.insert("completed_frameworks".into(), Json::Array(completed));
    }
    Json::Object(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn accept_negotiation() {
        let mut h = HeaderMap::new();
        assert!(accepts_json(&h));
        h.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/x-protobuf"),
        );
        assert!(!accepts_json(&h));
        h.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/x-protobuf, */*;q=0.1"),
        );
        assert!(accepts_json(&h));
        h.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/json;q=0"),
        );
        assert!(!accepts_json(&h));
        assert_eq!(
            media_type("application/json; charset=utf-8"),
            "application/json"
        );
    }
}
