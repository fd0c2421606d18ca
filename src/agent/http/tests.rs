//! In-process tests of the agent's router (`tower::ServiceExt::oneshot`):
//! every endpoint's status codes and body shapes, on an agent that is not
//! registered (and on one with a recorded task), plus [`crate::agent::run`]
//! over TCP.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::watch;
use tower::ServiceExt;

use super::app;
use crate::agent::core::Agent;
use crate::agent::model::{executor_overhead, Executor, Framework, Phase, Task};
use crate::daemon::auth::HttpAuth;
use crate::daemon::flags::{self as dflags, Parsed};
use crate::daemon::proto::session::Token;
use crate::resources::Resources;
use crate::wire::agent::{AgentFlags, AgentState, ContainerizerDebug, MonitorEntry};
use crate::wire::agent_v1::{ExecutorInfo, Id, TaskInfo, V1TaskStatus};
use crate::wire::{Metrics, TaskState, Version};

pub(super) struct Fixture {
    pub(super) dir: tempfile::TempDir,
    pub(super) agent: Arc<Agent>,
    pub(super) app: Router,
}

fn config(work: &std::path::Path, port: u16) -> crate::agent::Config {
    let args = vec![
        "--master=127.0.0.1:1".to_string(),
        format!("--work_dir={}", work.display()),
        format!("--port={port}"),
        "--resources=cpus:2;mem:256;disk:128;ports:[31000-31001]".to_string(),
        "--attributes=rack:r1".to_string(),
    ];
    let Ok(Parsed::Flags(f)) =
        dflags::parse("mesos agent", crate::agent::flags::SPECS, &args, |_| None)
    else {
        panic!("flags");
    };
    crate::agent::configure(f).unwrap()
}

pub(super) fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::new(config(&dir.path().join("work"), 5051)).unwrap();
    let app = app(agent.clone(), &HttpAuth::off());
    Fixture { dir, agent, app }
}

pub(super) struct Resp {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Vec<u8>,
}

impl Resp {
    pub(super) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }
    fn typed<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }
    fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

pub(super) async fn send(
    app: &Router,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Resp {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Resp {
        status,
        headers,
        body,
    }
}

async fn get(app: &Router, uri: &str) -> Resp {
    send(app, Method::GET, uri, &[], "").await
}

async fn v1(app: &Router, body: Value) -> Resp {
    send(
        app,
        Method::POST,
        "/slave(1)/api/v1",
        &[("Content-Type", "application/json")],
        &body.to_string(),
    )
    .await
}

/// A terminated command executor with a finished task, as the agent
/// records it (no process involved).
pub(super) fn finished_executor(fid: &str, tid: &str) -> Executor {
    let info: TaskInfo = serde_json::from_value(json!({
        "name": tid, "task_id": {"value": tid}, "agent_id": {"value": "S1"},
        "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.5}, "role": "*"}],
        "command": {"value": "true", "user": "nobody"},
        "labels": {"labels": [{"key": "k", "value": "v"}]}}))
    .unwrap();
    let status = |state: &str, uuid: &str, t: f64| -> V1TaskStatus {
        serde_json::from_value(json!({"task_id": {"value": tid}, "state": state,
            "source": "SOURCE_EXECUTOR", "agent_id": {"value": "S1"}, "timestamp": t,
            "uuid": uuid, "message": "Command exited with status 0"}))
        .unwrap()
    };
    let (done_tx, _) = watch::channel(true);
    Executor {
        id: tid.into(),
        framework_id: fid.into(),
        name: format!("Command Executor (Task: {tid}) (Command: sh -c 'true')"),
        source: tid.into(),
        container_id: "c-1".into(),
        directory: PathBuf::from("/sandbox/c-1"),
        meta_dir: PathBuf::from("/meta/c-1"),
        info: ExecutorInfo {
            kind: Some("CUSTOM".into()),
            executor_id: Id::new(tid),
            framework_id: Some(Id::new(fid)),
            ..ExecutorInfo::default()
        },
        overhead: executor_overhead(),
        task: Task {
            id: tid.into(),
            name: tid.into(),
            resources: Resources::from_wire(&info.resources).unwrap(),
            info,
            state: TaskState::Finished,
            statuses: vec![
                status("TASK_RUNNING", "u1", 1.0),
                status("TASK_FINISHED", "u2", 2.0),
            ],
            role: "*".into(),
            agent_id: "S1".into(),
            terminal_acked: false,
        },
        more_tasks: Vec::new(),
        custom: None,
        phase: Phase::Terminated,
        pid: None,
        executor_pid: None,
        exit_status: Some(0),
        kill_tx: None,
        killed: false,
        launched_at: 1.0,
        done_tx,
    }
}

fn with_task(f: &Fixture) {
    let mut st = f.agent.lock();
    st.agent_id = Some("S1".into());
    let mut fw = Framework::new(
        "F1",
        json!({"id": {"value": "F1"}, "name": "fw", "user": "u", "checkpoint": true,
            "capabilities": [{"type": "TASK_KILLING_STATE"}]}),
    );
    fw.executors
        .insert("t1".into(), finished_executor("F1", "t1"));
    st.frameworks.insert("F1".into(), fw);
}

#[tokio::test]
async fn v0_endpoints_answer_typed_bodies() {
    let f = fixture();
    for uri in [
        "/slave(1)/state",
        "/state",
        "/state.json",
        "/slave(1)/state/",
    ] {
        let r = get(&f.app, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert_eq!(r.content_type(), "application/json", "{uri}");
        let st: AgentState = r.typed();
        assert_eq!(st.id, "", "not registered yet");
        assert_eq!(st.pid, "slave(1)@127.0.0.1:5051");
        assert_eq!(st.resources.cpus, 2.0);
        assert_eq!(st.unreserved_resources.mem, 256.0);
        assert_eq!(st.attributes["rack"], "r1");
        assert_eq!(st.flags["port"], "5051");
        assert!(st.frameworks.is_empty() && st.completed_frameworks.is_empty());
        let raw = r.json();
        assert_eq!(raw["unreserved_resources_full"][0]["name"], "cpus", "{raw}");
        assert_eq!(raw["capabilities"][0], "MULTI_ROLE");
    }
    let r = get(&f.app, "/slave(1)/flags").await;
    assert_eq!(r.status, StatusCode::OK);
    let flags: AgentFlags = r.typed();
    assert_eq!(flags.flags["master"], "127.0.0.1:1");
    let r = get(&f.app, "/slave(1)/health").await;
    assert_eq!((r.status, r.text()), (StatusCode::OK, String::new()));
    let r = get(&f.app, "/version").await;
    let v: Version = r.typed();
    assert_eq!(v.version, crate::agent::MESOS_VERSION);
    assert_eq!(v.build_user.as_deref(), Some("mesos-rs"));
    let r = get(&f.app, "/slave(1)/containerizer/debug").await;
    assert_eq!(r.json(), json!({"pending": []}));
    let _: ContainerizerDebug = r.typed();
    let r = get(&f.app, "/metrics/snapshot").await;
    assert_eq!(r.status, StatusCode::OK);
    let m: Metrics = r.typed();
    assert_eq!(m.get("slave/registered"), Some(0.0));
    assert_eq!(m.get("slave/cpus_total"), Some(2.0));
    assert_eq!(m.get("slave/tasks_running"), Some(0.0));
    for uri in [
        "/slave(1)/monitor/statistics",
        "/monitor/statistics.json",
        "/slave(1)/containers",
    ] {
        let r = get(&f.app, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        let list: Vec<MonitorEntry> = r.typed();
        assert!(list.is_empty(), "{uri}");
    }
    let r = get(&f.app, "/slave(1)/nope").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn jsonp_wraps_json_bodies_once() {
    let f = fixture();
    let r = get(&f.app, "/version?jsonp=cb").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.content_type(), "text/javascript");
    let t = r.text();
    assert!(t.starts_with("cb({") && t.ends_with("})"), "{t}");
    assert!(!t.starts_with("cb(cb("), "{t}");
    // Plain-text bodies are left alone.
    let r = get(&f.app, "/logging/toggle?level=x&duration=1secs&jsonp=cb").await;
    assert_eq!(r.text(), "Failed to convert 'x' to number.\n");
}

#[tokio::test]
async fn query_errors_are_400_with_one_line() {
    let f = fixture();
    let cases = [
        ("/logging/toggle?level=1", 400, "Expecting 'duration=value' in query.\n"),
        ("/logging/toggle?level=x&duration=1secs", 400, "Failed to convert 'x' to number.\n"),
        ("/slave(1)/containers?container_id=c&framework_id=f", 400, "Expecting no query parameter, 'container_id' alone, 'framework_id' alone, or 'framework_id' with 'executor_id'\n"),
        ("/slave(1)/containers?executor_id=e", 400, "Expecting no query parameter, 'container_id' alone, 'framework_id' alone, or 'framework_id' with 'executor_id'\n"),
        ("/slave(1)/containers?framework_id=f&executor_id=e&_ts=1", 200, "[]"),
    ];
    for (uri, status, body) in cases {
        let r = get(&f.app, uri).await;
        assert_eq!(
            (r.status.as_u16(), r.text().as_str()),
            (status, body),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn v1_envelope_errors() {
    let f = fixture();
    let post = |ct: Option<&'static str>, accept: Option<&'static str>, body: &'static str| {
        let app = f.app.clone();
        async move {
            let mut h = Vec::new();
            if let Some(c) = ct {
                h.push(("Content-Type", c));
            }
            if let Some(a) = accept {
                h.push(("Accept", a));
            }
            send(&app, Method::POST, "/api/v1", &h, body).await
        }
    };
    let health = r#"{"type":"GET_HEALTH"}"#;
    let cases = [
        (Some("application/json; charset=utf-8"), None, health, 200),
        (None, None, health, 400),
        (Some("text/plain"), None, health, 415),
        // GET_HEALTH as protobuf (type=1: 1).
        (Some("application/x-protobuf"), None, "\u{8}\u{1}", 200),
        // JSON text is not a protobuf Call.
        (Some("application/x-protobuf"), None, health, 400),
        (Some("application/recordio"), None, health, 415),
        (
            Some("application/json"),
            Some("application/x-protobuf"),
            health,
            200,
        ),
        (Some("application/json"), Some("text/html"), health, 406),
        (Some("application/json"), Some("*/*"), health, 200),
        (Some("application/json"), None, "not json", 400),
        (Some("application/json"), None, "[1]", 400),
        (Some("application/json"), None, r#"{"type":"NOPE"}"#, 400),
        (Some("application/json"), None, r#"{"type":"UNKNOWN"}"#, 501),
        (
            Some("application/json"),
            None,
            r#"{"type":"LAUNCH_CONTAINER"}"#,
            400,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"PRUNE_IMAGES"}"#,
            501,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"GET_METRICS"}"#,
            400,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"SET_LOGGING_LEVEL"}"#,
            400,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"SET_LOGGING_LEVEL","set_logging_level":{"level":1}}"#,
            200,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"LIST_FILES"}"#,
            400,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"LIST_FILES","list_files":{}}"#,
            400,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"LIST_FILES","list_files":{"path":"/nowhere"}}"#,
            404,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"READ_FILE","read_file":{"path":"/x"}}"#,
            400,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"READ_FILE","read_file":{"path":"/x","offset":-1}}"#,
            400,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"READ_FILE","read_file":{"path":"/x","offset":0,"length":"z"}}"#,
            400,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"READ_FILE","read_file":{"path":"/nowhere","offset":0}}"#,
            404,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"WAIT_CONTAINER"}"#,
            400,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"WAIT_CONTAINER","wait_container":{}}"#,
            400,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"WAIT_CONTAINER","wait_container":{"container_id":{"value":"../x"}}}"#,
            400,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"WAIT_CONTAINER","wait_container":{"container_id":{"value":"nope"}}}"#,
            404,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"KILL_CONTAINER","kill_container":{"container_id":{"value":"nope"}}}"#,
            404,
        ),
        (
            Some("application/json"),
            None,
            r#"{"type":"KILL_NESTED_CONTAINER","kill_nested_container":{"container_id":{"value":"nope"},"signal":15}}"#,
            404,
        ),
    ];
    for (ct, accept, body, status) in cases {
        let r = post(ct, accept, body).await;
        assert_eq!(
            r.status.as_u16(),
            status,
            "{ct:?} {accept:?} {body}: {}",
            r.text()
        );
        if status >= 400 {
            // At most one line of plain text, never a JSON body.
            assert!(r.text().trim_end().lines().count() <= 1, "{}", r.text());
            assert!(
                r.content_type().starts_with("text/plain"),
                "{}",
                r.content_type()
            );
        }
    }
    let r = post(Some("application/json"), None, "{}").await;
    assert_eq!(
        r.text(),
        "Failed to validate agent::Call: Expecting 'type' to be present"
    );
    let r = post(
        Some("application/json"),
        None,
        r#"{"type":"LIST_FILES","list_files":{}}"#,
    )
    .await;
    assert_eq!(
        r.text(),
        "Failed to convert JSON into Call protobuf: Missing required fields: list_files.path"
    );
    let r = get(&f.app, "/slave(1)/api/v1").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn v1_calls_answer_tagged_envelopes() {
    let f = fixture();
    let r = v1(&f.app, json!({"type": "GET_HEALTH"})).await;
    assert_eq!(
        r.json(),
        json!({"type": "GET_HEALTH", "get_health": {"healthy": true}})
    );
    let r = v1(&f.app, json!({"type": "GET_FLAGS"})).await;
    let v = r.json();
    assert_eq!(v["type"], "GET_FLAGS");
    assert!(v["get_flags"]["flags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x == &json!({"name": "port", "value": "5051"})));
    let r = v1(&f.app, json!({"type": "GET_VERSION"})).await;
    assert_eq!(
        r.json()["get_version"]["version_info"]["version"],
        crate::agent::MESOS_VERSION
    );
    let r = v1(&f.app, json!({"type": "GET_METRICS", "get_metrics": {}})).await;
    let v = r.json();
    assert!(v["get_metrics"]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m == &json!({"name": "slave/registered", "value": 0.0})));
    let empty = [
        (
            "GET_STATE",
            json!({"type": "GET_STATE", "get_state": {"get_tasks": {}, "get_executors": {}, "get_frameworks": {}}}),
        ),
        ("GET_TASKS", json!({"type": "GET_TASKS", "get_tasks": {}})),
        (
            "GET_EXECUTORS",
            json!({"type": "GET_EXECUTORS", "get_executors": {}}),
        ),
        (
            "GET_FRAMEWORKS",
            json!({"type": "GET_FRAMEWORKS", "get_frameworks": {}}),
        ),
        (
            "GET_CONTAINERS",
            json!({"type": "GET_CONTAINERS", "get_containers": {}}),
        ),
        (
            "GET_OPERATIONS",
            json!({"type": "GET_OPERATIONS", "get_operations": {}}),
        ),
        (
            "GET_RESOURCE_PROVIDERS",
            json!({"type": "GET_RESOURCE_PROVIDERS", "get_resource_providers": {}}),
        ),
        (
            "GET_LOGGING_LEVEL",
            json!({"type": "GET_LOGGING_LEVEL", "get_logging_level": {"level": 0}}),
        ),
    ];
    for (ty, want) in empty {
        let r = v1(&f.app, json!({ "type": ty })).await;
        assert_eq!(r.status, StatusCode::OK, "{ty}");
        assert_eq!(r.json(), want, "{ty}");
    }
    let r = v1(&f.app, json!({"type": "GET_AGENT"})).await;
    let a = &r.json()["get_agent"]["agent_info"];
    assert_eq!(a["hostname"], "127.0.0.1");
    assert_eq!(a["port"], 5051);
    assert_eq!(a["attributes"][0]["name"], "rack");
    assert!(a.get("id").is_none(), "not registered: {a}");
}

#[tokio::test]
async fn a_recorded_task_in_every_shape() {
    let f = fixture();
    with_task(&f);
    let st: AgentState = get(&f.app, "/slave(1)/state").await.typed();
    assert_eq!(st.id, "S1");
    let fw = &st.frameworks[0];
    assert_eq!(
        (fw.id.as_str(), fw.name.as_str(), fw.checkpoint),
        ("F1", "fw", true)
    );
    assert_eq!(fw.role.as_deref(), Some("*"));
    assert_eq!(fw.capabilities, vec!["TASK_KILLING_STATE"]);
    let ex = &fw.executors[0];
    assert_eq!((ex.id.as_str(), ex.container.as_str()), ("t1", "c-1"));
    assert!(ex.tasks.is_empty());
    let t = &ex.completed_tasks[0];
    assert_eq!(t.state, TaskState::Finished);
    assert_eq!(t.executor_id, "");
    assert_eq!(t.slave_id, "S1");
    assert_eq!(t.user.as_deref(), Some("nobody"));
    assert_eq!(t.labels.get("k"), Some("v"));
    assert_eq!(t.resources.cpus, 0.5);
    assert_eq!(t.statuses.len(), 2);
    // v0 statuses are the lite ones.
    let raw = get(&f.app, "/slave(1)/state").await.json();
    let s0 = &raw["frameworks"][0]["executors"][0]["completed_tasks"][0]["statuses"][0];
    assert_eq!(s0, &json!({"state": "TASK_RUNNING", "timestamp": 1.0}));

    let v = v1(&f.app, json!({"type": "GET_TASKS"})).await.json();
    let t = &v["get_tasks"]["terminated_tasks"][0];
    assert_eq!(t["task_id"], json!({"value": "t1"}));
    assert_eq!(t["framework_id"], json!({"value": "F1"}));
    assert_eq!(t["agent_id"], json!({"value": "S1"}));
    assert_eq!(t["state"], "TASK_FINISHED");
    assert_eq!(t["status_update_state"], "TASK_FINISHED");
    assert_eq!(t["status_update_uuid"], "u2");
    assert_eq!(t["statuses"][1]["uuid"], "u2");
    assert_eq!(t["labels"], json!({"labels": [{"key": "k", "value": "v"}]}));
    assert_eq!(t["user"], "nobody");
    assert!(v["get_tasks"].get("launched_tasks").is_none());
    let v = v1(&f.app, json!({"type": "GET_EXECUTORS"})).await.json();
    assert_eq!(
        v["get_executors"]["executors"][0]["executor_info"]["executor_id"],
        json!({"value": "t1"})
    );
    let v = v1(&f.app, json!({"type": "GET_FRAMEWORKS"})).await.json();
    assert_eq!(
        v["get_frameworks"]["frameworks"][0]["framework_info"]["name"],
        "fw"
    );
    // The container is done: WAIT_CONTAINER answers at once.
    let v = v1(
        &f.app,
        json!({"type": "WAIT_CONTAINER", "wait_container": {"container_id": {"value": "c-1"}}}),
    )
    .await
    .json();
    assert_eq!(
        v,
        json!({"type": "WAIT_CONTAINER", "wait_container": {"exit_status": 0,
            "state": "TASK_FINISHED", "message": "Command exited with status 0"}})
    );
    // Not live: it cannot be killed.
    let r = v1(
        &f.app,
        json!({"type": "KILL_CONTAINER", "kill_container": {"container_id": {"value": "c-1"}}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let m: Metrics = get(&f.app, "/metrics/snapshot").await.typed();
    assert_eq!(m.get("slave/executors_running"), Some(0.0));
}

#[tokio::test]
async fn internal_calls_need_the_session_token() {
    let f = fixture();
    let body = json!({"framework_id": "F1", "task_id": "t9"}).to_string();
    let paths = [
        "/slave(1)/internal/run_task",
        "/slave(1)/internal/kill_task",
        "/slave(1)/internal/acknowledge",
        "/slave(1)/internal/shutdown_framework",
    ];
    for p in paths {
        let r = send(&f.app, Method::POST, p, &[], &body).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{p}");
    }
    let token = Token::generate().unwrap();
    f.agent.set_master_token(token.clone());
    let auth = token.header_value();
    let auth = auth.to_str().unwrap();
    let wrong = send(
        &f.app,
        Method::POST,
        paths[1],
        &[("Authorization", "Bearer 00")],
        &body,
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let h = [("Authorization", auth)];
    // Bodies that do not parse: 400 naming the problem.
    for p in paths {
        let r = send(&f.app, Method::POST, p, &h, "{").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{p}");
        assert!(
            r.text().starts_with("Failed to parse the request body"),
            "{}",
            r.text()
        );
    }
    // Unknown task / framework: accepted (the agent reports what it knows).
    let r = send(&f.app, Method::POST, paths[1], &h, &body).await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    let ack = json!({"framework_id": "F1", "task_id": "t9", "uuid": "u"}).to_string();
    let r = send(&f.app, Method::POST, paths[2], &h, &ack).await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    let r = send(&f.app, Method::POST, paths[3], &h, &body).await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    // A launch before the agent has an id is refused.
    let run = json!({"framework": {"id": {"value": "F1"}},
        "task": {"task_id": {"value": "t9"}, "name": "t9", "command": {"value": "true"}}})
    .to_string();
    let r = send(&f.app, Method::POST, paths[0], &h, &run).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("not registered"), "{}", r.text());
    let r = send(&f.app, Method::GET, paths[0], &h, "").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn files_api_serves_attached_sandboxes_only() {
    let f = fixture();
    let sandbox = f.dir.path().join("sandbox");
    std::fs::create_dir_all(&sandbox).unwrap();
    std::fs::write(sandbox.join("stdout"), "hello\n").unwrap();
    f.agent.files.attach("/sandbox", &sandbox);
    let r = get(&f.app, "/files/debug").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.json()["/sandbox"].is_string(), "{}", r.text());
    let r = get(&f.app, "/files/browse?path=/sandbox").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()[0]["path"], "/sandbox/stdout");
    let r = get(&f.app, "/files/read?path=/sandbox/stdout&offset=0").await;
    assert_eq!(r.json(), json!({"data": "hello\n", "offset": 0}));
    let r = get(&f.app, "/files/download?path=/sandbox/stdout").await;
    assert_eq!(
        (r.status, r.text()),
        (StatusCode::OK, "hello\n".to_string())
    );
    let v = v1(
        &f.app,
        json!({"type": "READ_FILE", "read_file": {"path": "/sandbox/stdout", "offset": 0}}),
    )
    .await
    .json();
    assert_eq!(v["type"], "READ_FILE");
    assert_eq!(v["read_file"]["size"], 6);
    let v = v1(
        &f.app,
        json!({"type": "LIST_FILES", "list_files": {"path": "/sandbox"}}),
    )
    .await
    .json();
    assert_eq!(v["list_files"]["file_infos"][0]["path"], "/sandbox/stdout");
    for uri in [
        "/files/browse?path=/nowhere",
        "/files/read?path=/nowhere&offset=0",
    ] {
        let r = get(&f.app, uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}: {}", r.text());
    }
    let r = get(&f.app, "/files/browse").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = get(&f.app, "/files/download?path=/sandbox/../../etc/passwd").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(!r.text().contains("root:"), "{}", r.text());
}

#[tokio::test]
async fn run_serves_over_tcp_until_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let cfg = config(&dir.path().join("work"), 0);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(crate::agent::run(cfg, listener, async {
        let _ = rx.await;
    }));
    let client = crate::http::HttpClient::new(&crate::http::HttpOptions::default()).unwrap();
    let url = reqwest::Url::parse(&format!("http://127.0.0.1:{port}/slave(1)/state")).unwrap();
    let st: AgentState = client.get_json(&url).await.unwrap();
    assert_eq!(st.pid, format!("slave(1)@127.0.0.1:{port}"));
    assert_eq!(st.flags["port"], port.to_string());
    tx.send(()).unwrap();
    let code = tokio::time::timeout(std::time::Duration::from_secs(10), server)
        .await
        .expect("run returns after shutdown")
        .unwrap();
    assert_eq!(code, 0);
}

#[tokio::test]
async fn dcos_metrics_paths_before_any_sample_or_container() {
    let f = fixture();
    let api = "/system/v1/metrics/v0";
    let r = get(&f.app, &format!("{api}/node")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "no sample yet");
    assert!(r.body.is_empty());
    let r = get(&f.app, &format!("{api}/containers")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.content_type(), "application/json; charset=UTF-8");
    assert_eq!(r.text(), "[]\n");
    for p in ["containers/x", "containers/x/app", "containers/x/app/a.b"] {
        let r = get(&f.app, &format!("{api}/{p}")).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{p}");
    }
    assert_eq!(
        get(&f.app, &format!("{api}/nope")).await.status,
        StatusCode::NOT_FOUND
    );
    let r = get(&f.app, "/metrics/prometheus").await;
    assert!(r.content_type().starts_with("text/plain; version=0.0.4"));
    assert!(
        r.text().contains("\nmesos_slave_registered 0\n"),
        "{}",
        r.text()
    );
}
