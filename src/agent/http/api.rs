//! The v1 agent operator API: `POST /slave(1)/api/v1`
//! (docs/wire-notes.md#operator-api, docs/wire-notes.md#agent-operator-calls).
//! JSON only; `Content-Type` parameters are tolerated. The call is parsed
//! into [`AgentCall`]; answers are [`AgentResponse`] values. The container
//! calls (nested containers, sessions, attach; streaming requests and
//! responses) are dispatched to [`super::containers`].

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::containers;
use super::error::Error;
use crate::agent::core::Agent;
use crate::agent::monitor::live_containers;
use crate::agent::{executor, metrics, render};
#[cfg(test)]
use crate::daemon::httputil::accepts_json;
use crate::daemon::httputil::{self, media_type};
use crate::daemon::ids::validate_id;
use crate::wire::agent_v1::{
    AgentCall, AgentGetState, AgentResponse, ContainerCall, Empty, Flags, GetAgent, GetContainers,
    Health, LoggingLevel, MetricList, NameValue, V1Container, VersionInfo, WaitContainer,
};
use crate::wire::agent_v1::{ContainerId, Id};
use crate::wire::proto::{self, Media};

fn bad(msg: impl Into<String>) -> Error {
    Error::BadRequest(msg.into())
}

fn missing(field: &str) -> Error {
    bad(format!(
        "Failed to convert JSON into Call protobuf: Missing required fields: {field}"
    ))
}

fn expecting(key: &str) -> Error {
    bad(format!(
        "Failed to validate agent::Call: Expecting '{key}' to be present"
    ))
}

/// The `Content-Type` rule of the v1 API: the media of the call.
fn negotiate(headers: &HeaderMap) -> Result<Media, Error> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| bad("Expecting 'Content-Type' to be present"))?;
    let media = match media_type(ct).as_str() {
        "application/recordio" => {
            return Err(Error::UnsupportedMediaType(
                "Streaming requests (ATTACH_CONTAINER_INPUT) are not supported by this agent"
                    .into(),
            ))
        }
        other => Media::of_content_type(other).ok_or_else(|| {
            Error::UnsupportedMediaType(
                "Expecting 'Content-Type' of application/json or application/x-protobuf".into(),
            )
        })?,
    };
    Ok(media)
}

/// The `Accept` rule of the non-streaming calls: the media of the answer.
fn negotiate_accept(headers: &HeaderMap) -> Result<Media, Error> {
    let accept = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok());
    proto::accepted(accept).ok_or_else(|| {
        Error::NotAcceptable(
            "Expecting 'Accept' to allow application/json or application/x-protobuf".into(),
        )
    })
}

/// An answer in the accepted media.
fn answer_in(out: Media, answer: &AgentResponse) -> Result<Response, Error> {
    let body = proto::write(out, "mesos.v1.agent.Response", answer)
        .map_err(|e| Error::Internal(format!("Failed to serialize the response: {e}")))?;
    Ok(Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, out.as_str())
        .body(axum::body::Body::from(body))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()))
}

/// A call's payload under `key`, typed.
fn payload<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    key: &str,
) -> Result<T, Error> {
    let v = value.get(key).cloned().ok_or_else(|| expecting(key))?;
    serde_json::from_value(v).map_err(|e| {
        bad(format!(
            "Failed to convert JSON into Call protobuf: {key}: {e}"
        ))
    })
}

/// The handler of `POST /slave(1)/api/v1`.
pub async fn handle(
    State(agent): State<Arc<Agent>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Error> {
    if containers::is_streaming_request(&headers) {
        return containers::attach_input(&agent, &headers, body).await;
    }
    let body: Bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|e| bad(format!("Failed to read the request body: {e}")))?;
    let media = negotiate(&headers)?;
    let body = proto::body_to_json(media, "mesos.v1.agent.Call", &body)
        .map_err(|e| bad(format!("Failed to parse body into Call protobuf: {e}")))?;
    let value: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|e| bad(format!("Failed to parse body into JSON: {e}")))?;
    if !value.is_object() {
        return Err(bad(
            "Failed to convert JSON into Call protobuf: Expecting a JSON object",
        ));
    }
    let call: AgentCall = serde_json::from_value(value.clone())
        .map_err(|e| bad(format!("Failed to convert JSON into Call protobuf: {e}")))?;
    let Some(kind) = call.kind.clone() else {
        return Err(expecting("type"));
    };
    // Calls answered with a stream negotiate their own framing.
    let out = match kind.as_str() {
        "LAUNCH_NESTED_CONTAINER_SESSION" => {
            let l = payload(&value, "launch_nested_container_session")?;
            return containers::launch_session(&agent, &headers, l).await;
        }
        "ATTACH_CONTAINER_OUTPUT" => {
            let c = call.attach_container_output.ok_or_else(|| expecting("attach_container_output"))?;
            let id = containers::container_id(c.container_id, "attach_container_output")?;
            return containers::attach_output(&agent, &headers, id).await;
        }
        "ATTACH_CONTAINER_INPUT" => {
            return Err(Error::UnsupportedMediaType(
                "Expecting 'Content-Type' of application/recordio for ATTACH_CONTAINER_INPUT (a streaming request)".into(),
            ))
        }
        _ => negotiate_accept(&headers)?,
    };
    let answer = match kind.as_str() {
        "GET_HEALTH" => AgentResponse::GetHealth {
            get_health: Health { healthy: true },
        },
        "GET_FLAGS" => AgentResponse::GetFlags {
            get_flags: Flags {
                flags: agent
                    .cfg
                    .flags
                    .all()
                    .iter()
                    .map(|(name, value)| NameValue {
                        name: name.clone(),
                        value: value.clone(),
                    })
                    .collect(),
            },
        },
        "GET_VERSION" => AgentResponse::GetVersion {
            get_version: VersionInfo {
                version_info: render::version(),
            },
        },
        "GET_METRICS" => {
            call.get_metrics.as_ref().ok_or_else(|| expecting("get_metrics"))?;
            AgentResponse::GetMetrics {
                get_metrics: MetricList {
                    metrics: metrics::snapshot(&agent)
                        .into_iter()
                        .map(|(name, value)| NameValue { name, value })
                        .collect(),
                },
            }
        }
        "GET_LOGGING_LEVEL" => AgentResponse::GetLoggingLevel {
            get_logging_level: LoggingLevel { level: 0 },
        },
        "SET_LOGGING_LEVEL" => {
            call.set_logging_level
                .as_ref()
                .ok_or_else(|| expecting("set_logging_level"))?;
            return Ok(httputil::text(StatusCode::OK, ""));
        }
        "LIST_FILES" => {
            let l = call.list_files.ok_or_else(|| expecting("list_files"))?;
            let path = l.path.ok_or_else(|| missing("list_files.path"))?;
            let files = agent.files.clone();
            let v = tokio::task::spawn_blocking(move || files.list_files_v1(&path))
                .await
                .map_err(|e| Error::Internal(e.to_string()))??;
            AgentResponse::ListFiles { list_files: v }
        }
        "READ_FILE" => {
            let rf = call.read_file.ok_or_else(|| expecting("read_file"))?;
            let path = rf.path.ok_or_else(|| missing("read_file.path"))?;
            let offset = rf.offset.get()
                .map_err(|()| bad("Failed to convert JSON into Call protobuf: 'read_file.offset' is not a non-negative integer"))?
                .ok_or_else(|| missing("read_file.offset"))?;
            let length = rf.length.get().map_err(|()| {
                bad("Failed to convert JSON into Call protobuf: 'read_file.length' is not a non-negative integer")
            })?;
            let files = agent.files.clone();
            let v = tokio::task::spawn_blocking(move || files.read_file_v1(&path, offset, length))
                .await
                .map_err(|e| Error::Internal(e.to_string()))??;
            AgentResponse::ReadFile { read_file: v }
        }
        "GET_STATE" => {
            let st = agent.lock();
            AgentResponse::GetState {
                get_state: AgentGetState {
                    get_tasks: render::get_tasks(&st),
                    get_executors: render::get_executors(&st),
                    get_frameworks: render::get_frameworks(&st),
                },
            }
        }
        "GET_TASKS" => AgentResponse::GetTasks {
            get_tasks: render::get_tasks(&agent.lock()),
        },
        "GET_EXECUTORS" => AgentResponse::GetExecutors {
            get_executors: render::get_executors(&agent.lock()),
        },
        "GET_FRAMEWORKS" => AgentResponse::GetFrameworks {
            get_frameworks: render::get_frameworks(&agent.lock()),
        },
        "GET_AGENT" => AgentResponse::GetAgent {
            get_agent: GetAgent {
                agent_info: render::agent_info_v1(&agent),
            },
        },
        "GET_OPERATIONS" => AgentResponse::GetOperations {
            get_operations: Empty {},
        },
        "GET_RESOURCE_PROVIDERS" => AgentResponse::GetResourceProviders {
            get_resource_providers: Empty {},
        },
        "GET_CONTAINERS" => {
            let a = agent.clone();
            let show_nested = call.get_containers.as_ref().is_some_and(|g| g.show_nested);
            let (list, nested) = tokio::task::spawn_blocking(move || {
                let nested = if show_nested {
                    crate::agent::monitor::live_nested(&a)
                } else {
                    Vec::new()
                };
                (live_containers(&a), nested)
            })
            .await
            .unwrap_or_default();
            let mut containers: Vec<V1Container> = list
                        .iter()
                        .map(|c| V1Container {
                            framework_id: Id::new(&c.framework_id),
                            executor_id: Id::new(&c.executor_id),
                            executor_name: c.executor_name.clone(),
                            container_id: ContainerId::new(&c.container_id),
                            container_status: c.container_status(),
                            resource_statistics: c.statistics.clone(),
                        })
                        .collect();
            containers.extend(containers::nested_entries(nested));
            AgentResponse::GetContainers {
                get_containers: GetContainers { containers },
            }
        }
        "LAUNCH_NESTED_CONTAINER" | "LAUNCH_CONTAINER" => {
            let key = kind.to_ascii_lowercase();
            return containers::launch(&agent, payload(&value, &key)?, &key).await;
        }
        "REMOVE_NESTED_CONTAINER" | "REMOVE_CONTAINER" => {
            let (c, key) = if kind == "REMOVE_CONTAINER" {
                (call.remove_container, "remove_container")
            } else {
                (call.remove_nested_container, "remove_nested_container")
            };
            let c = c.ok_or_else(|| expecting(key))?;
            let id = containers::container_id(c.container_id, key)?;
            return containers::remove(&agent, &id);
        }
        "WAIT_CONTAINER" | "WAIT_NESTED_CONTAINER" if nested_id(&call, &kind) => {
            let (c, key) = if kind == "WAIT_CONTAINER" {
                (call.wait_container, "wait_container")
            } else {
                (call.wait_nested_container, "wait_nested_container")
            };
            let id = containers::container_id(c.and_then(|c| c.container_id), key)?;
            let w = containers::wait(&agent, &id).await?;
            // In the accepted media (a protobuf client, e.g. a default
            // executor, reads a protobuf Response).
            return answer_in(out, &containers::wait_response(&kind, w));
        }
        "KILL_CONTAINER" | "KILL_NESTED_CONTAINER" if nested_id(&call, &kind) => {
            let (c, key) = if kind == "KILL_CONTAINER" {
                (call.kill_container, "kill_container")
            } else {
                (call.kill_nested_container, "kill_nested_container")
            };
            let signal = c.as_ref().and_then(|k| k.signal).unwrap_or(libc::SIGKILL);
            let id = containers::container_id(c.and_then(|c| c.container_id), key)?;
            return containers::kill(&agent, &id, signal);
        }
        "WAIT_CONTAINER" => {
            let cid = container_id(call.wait_container, "wait_container")?;
            AgentResponse::WaitContainer {
                wait_container: wait_container(&agent, &cid).await?,
            }
        }
        "WAIT_NESTED_CONTAINER" => {
            let cid = container_id(call.wait_nested_container, "wait_nested_container")?;
            AgentResponse::WaitNestedContainer {
                wait_nested_container: wait_container(&agent, &cid).await?,
            }
        }
        "KILL_CONTAINER" | "KILL_NESTED_CONTAINER" => {
            let (k, key) = if kind == "KILL_CONTAINER" {
                (call.kill_container, "kill_container")
            } else {
                (call.kill_nested_container, "kill_nested_container")
            };
            let signal = k.as_ref().and_then(|k| k.signal).unwrap_or(libc::SIGKILL);
            let cid = container_id(k, key)?;
            kill_container(&agent, &cid, signal)?;
            return Ok(httputil::text(StatusCode::OK, ""));
        }
        "UNKNOWN" => return Err(Error::NotImplemented(String::new())),
        "ADD_RESOURCE_PROVIDER_CONFIG"
        | "UPDATE_RESOURCE_PROVIDER_CONFIG"
        | "REMOVE_RESOURCE_PROVIDER_CONFIG"
        | "MARK_RESOURCE_PROVIDER_GONE"
        | "PRUNE_IMAGES" => {
            return Err(Error::NotImplemented(format!(
                "{kind} is not supported by this agent"
            )))
        }
        other => {
            return Err(bad(format!(
                "Failed to validate agent::Call: Expecting 'type' to be present (unknown call type '{other}')"
            )))
        }
    };
    answer_in(out, &answer)
}

/// Whether a WAIT/KILL call names a nested container (a `parent` chain).
fn nested_id(call: &AgentCall, kind: &str) -> bool {
    let c = match kind {
        "WAIT_CONTAINER" => &call.wait_container,
        "WAIT_NESTED_CONTAINER" => &call.wait_nested_container,
        "KILL_CONTAINER" => &call.kill_container,
        _ => &call.kill_nested_container,
    };
    c.as_ref()
        .and_then(|c| c.container_id.as_ref())
        .is_some_and(|id| id.parent.is_some())
}

/// The validated `container_id` of a container call.
fn container_id(call: Option<ContainerCall>, key: &str) -> Result<String, Error> {
    let c = call.ok_or_else(|| expecting(key))?;
    let cid = c
        .container_id
        .ok_or_else(|| missing(&format!("{key}.container_id")))?
        .value;
    validate_id("Container ID", &cid)
        .map_err(|e| bad(format!("Failed to validate agent::Call: {e}")))?;
    Ok(cid)
}

/// Signal a live container's process group.
fn kill_container(agent: &Agent, cid: &str, signal: i32) -> Result<(), Error> {
    let pid = {
        let st = agent.lock();
        st.frameworks
            .values()
            .flat_map(|f| f.executors.values())
            .find(|e| e.container_id == cid && e.is_live())
            .map(|e| e.pid)
    };
    match pid {
        None => Err(Error::NotFound(format!("Container {cid} cannot be found"))),
        Some(pid) => {
            if let Some(p) = pid {
                executor::process::signal_group(p, signal);
            }
            Ok(())
        }
    }
}

/// Wait until the container terminates; its exit and, once terminal, its
/// task's state and last reason/message.
async fn wait_container(agent: &Arc<Agent>, cid: &str) -> Result<WaitContainer, Error> {
    let found = {
        let st = agent.lock();
        let found = st
            .all_executors()
            .find(|(_, e, _)| e.container_id == cid)
            .map(|(_, e, _)| (e.done_tx.subscribe(), e.framework_id.clone(), e.id.clone()));
        found
    };
    let Some((mut rx, fid, eid)) = found else {
        return Err(Error::NotFound(format!("Container {cid} cannot be found")));
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
    let mut out = WaitContainer::default();
    if let Some(e) = e {
        out.exit_status = e.exit_status;
        if e.task.state.is_terminal() {
            out.state = Some(e.task.state.clone());
            if let Some(last) = e.task.statuses.last() {
                out.reason = last.reason.clone();
                out.message = last.message.clone();
            }
        }
    }
    Ok(out)
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
