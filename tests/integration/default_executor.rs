//! The default executor program (`mesos agent --internal-default-executor`)
//! as a real process against a stand-in agent that speaks the executor API
//! (SUBSCRIBE stream, UPDATE) and the nested-container operator calls
//! (LAUNCH/WAIT/KILL_NESTED_CONTAINER, run as real `sh -c` processes): the
//! task-group rules, the status updates, the sandbox links, re-subscription
//! with unacknowledged updates (the stand-in speaks JSON, which the
//! executor speaks with `MESOS_DEFAULT_EXECUTOR_WIRE=json`; with a real
//! agent it speaks protobuf). Health checks, MESSAGE, plain LAUNCH and WAIT
//! retries are in `default_executor_checks.rs`; the end-to-end tests
//! through a real master and agent are in `task_group.rs`.

use std::collections::HashMap;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use base64::Engine as _;
use serde_json::{json, Value};
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};

use crate::common::{mesos_bin, wait_until};

/// A launched container: its pid and its wait status once it exited.
pub(crate) type Container = (i32, Arc<Mutex<Option<i32>>>);

#[derive(Default)]
pub(crate) struct Fake {
    pub sandbox: PathBuf,
    /// Events sent on every new subscription, before anything else.
    pub on_subscribe: Vec<Value>,
    /// Acknowledge every update at once.
    pub auto_ack: bool,
    pub stream: Option<UnboundedSender<Bytes>>,
    pub subscribes: Vec<Value>,
    pub updates: Vec<Value>,
    pub launches: Vec<Value>,
    pub kills: Vec<(String, i64)>,
    /// child value -> (pid, wait status once exited)
    pub containers: HashMap<String, Container>,
    /// WAIT_NESTED_CONTAINER answers 404 this many times more (as an
    /// agent that has not recovered the container yet).
    pub wait_404: usize,
    /// The WAIT_NESTED_CONTAINER calls answered 404.
    pub waits_404: usize,
    pub removes: Vec<String>,
    /// GET /health answers this status.
    pub health_status: u16,
}

pub(crate) type Shared = Arc<Mutex<Fake>>;

fn record(v: &Value) -> Bytes {
    let body = serde_json::to_vec(v).unwrap();
    let mut out = format!("{}\n", body.len()).into_bytes();
    out.extend_from_slice(&body);
    Bytes::from(out)
}

async fn executor_api(State(s): State<Shared>, body: Bytes) -> Response {
    let call: Value = serde_json::from_slice(&body).unwrap();
    match call["type"].as_str().unwrap_or("") {
        "SUBSCRIBE" => {
            let (tx, rx) = unbounded_channel::<Bytes>();
            {
                let mut f = s.lock().unwrap();
                f.subscribes.push(call.clone());
                for e in f.on_subscribe.clone() {
                    let _ = tx.send(record(&e));
                }
                f.stream = Some(tx);
            }
            // The stream ends when the fake drops its sender.
            let body = futures_util::stream::unfold(rx, |mut rx| async move {
                let b = rx.recv().await?;
                Some((Ok::<Bytes, std::io::Error>(b), rx))
            });
            Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(Body::from_stream(body))
                .unwrap()
        }
        "UPDATE" => {
            let status = call["update"]["status"].clone();
            let mut f = s.lock().unwrap();
            f.updates.push(status.clone());
            if f.auto_ack {
                let ack = json!({"type": "ACKNOWLEDGED", "acknowledged": {
                    "task_id": status["task_id"], "uuid": status["uuid"]}});
                if let Some(tx) = &f.stream {
                    let _ = tx.send(record(&ack));
                }
            }
            StatusCode::ACCEPTED.into_response()
        }
        other => (StatusCode::BAD_REQUEST, format!("unexpected call {other}")).into_response(),
    }
}

async fn operator_api(State(s): State<Shared>, body: Bytes) -> Response {
    let call: Value = serde_json::from_slice(&body).unwrap();
    match call["type"].as_str().unwrap_or("") {
        "LAUNCH_NESTED_CONTAINER" => {
            let l = &call["launch_nested_container"];
            let child = l["container_id"]["value"].as_str().unwrap().to_string();
            let mut f = s.lock().unwrap();
            f.launches.push(call.clone());
            let dir = f.sandbox.join("containers").join(&child);
            std::fs::create_dir_all(&dir).unwrap();
            let cmd = l["command"]["value"].as_str().unwrap_or("true").to_string();
            let proc = Command::new("sh")
                .arg("-c")
                .arg(&cmd)
                .current_dir(&dir)
                .env("MESOS_SANDBOX", &dir)
                .stdin(Stdio::null())
                .stdout(std::fs::File::create(dir.join("stdout")).unwrap())
                .stderr(std::fs::File::create(dir.join("stderr")).unwrap())
                .process_group(0)
                .spawn()
                .unwrap();
            let pid = proc.id() as i32;
            let status = Arc::new(Mutex::new(None));
            let st = status.clone();
            std::thread::spawn(move || {
                let mut proc = proc;
                let raw = proc.wait().unwrap().into_raw();
                *st.lock().unwrap() = Some(raw);
            });
            f.containers.insert(child, (pid, status));
            StatusCode::OK.into_response()
        }
        "WAIT_NESTED_CONTAINER" => {
            let child = call["wait_nested_container"]["container_id"]["value"]
                .as_str()
                .unwrap()
                .to_string();
            {
                let mut f = s.lock().unwrap();
                if f.wait_404 > 0 {
                    f.wait_404 -= 1;
                    f.waits_404 += 1;
                    return (StatusCode::NOT_FOUND, "Container not found").into_response();
                }
            }
            let Some(status) = s
                .lock()
                .unwrap()
                .containers
                .get(&child)
                .map(|c| c.1.clone())
            else {
                return StatusCode::NOT_FOUND.into_response();
            };
            loop {
                if let Some(raw) = *status.lock().unwrap() {
                    return axum::Json(json!({"type": "WAIT_NESTED_CONTAINER",
                        "wait_nested_container": {"exit_status": raw}}))
                    .into_response();
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        "KILL_NESTED_CONTAINER" => {
            let k = &call["kill_nested_container"];
            let child = k["container_id"]["value"].as_str().unwrap().to_string();
            let signal = k["signal"].as_i64().unwrap_or(9);
            let mut f = s.lock().unwrap();
            f.kills.push((child.clone(), signal));
            match f.containers.get(&child) {
                Some((pid, st)) if st.lock().unwrap().is_none() => {
                    unsafe { libc::kill(-pid, signal as i32) };
                    StatusCode::OK.into_response()
                }
                _ => StatusCode::NOT_FOUND.into_response(),
            }
        }
        "REMOVE_NESTED_CONTAINER" => {
            let child = call["remove_nested_container"]["container_id"]["value"]
                .as_str()
                .unwrap()
                .to_string();
            s.lock().unwrap().removes.push(child);
            StatusCode::OK.into_response()
        }
        other => (StatusCode::BAD_REQUEST, format!("unexpected call {other}")).into_response(),
    }
}

async fn health(State(s): State<Shared>) -> Response {
    let code = s.lock().unwrap().health_status;
    StatusCode::from_u16(code).unwrap().into_response()
}

/// The stand-in agent and the executor process it serves.
pub(crate) struct Harness {
    _rt: tokio::runtime::Runtime,
    pub state: Shared,
    /// The stand-in agent's port (it also answers GET /health).
    pub port: u16,
    _dir: tempfile::TempDir,
    pub sandbox: PathBuf,
    executor: Option<Child>,
}

impl Harness {
    pub fn new(auto_ack: bool) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = dir.path().join("sandbox");
        std::fs::create_dir_all(&sandbox).unwrap();
        let state: Shared = Arc::new(Mutex::new(Fake {
            sandbox: sandbox.clone(),
            auto_ack,
            health_status: 200,
            on_subscribe: vec![json!({"type": "SUBSCRIBED", "subscribed": {
                "executor_info": {"type": "DEFAULT", "executor_id": {"value": "ex-1"},
                                  "framework_id": {"value": "fw-1"}},
                "framework_info": {"user": "u", "name": "n", "id": {"value": "fw-1"}},
                "agent_info": {"hostname": "h", "id": {"value": "agent-1"}},
                "container_id": {"value": "exec-cid"}}})],
            ..Fake::default()
        }));
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let app = Router::new()
            .route("/slave(1)/api/v1/executor", post(executor_api))
            .route("/slave(1)/api/v1", post(operator_api))
            .route("/health", axum::routing::get(health))
            .with_state(state.clone());
        rt.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Harness {
            _rt: rt,
            state,
            port,
            _dir: dir,
            sandbox,
            executor: None,
        }
    }

    pub fn start(&mut self, checkpoint: bool) {
        let mut cmd = Command::new(mesos_bin());
        for (k, _) in std::env::vars() {
            if k.starts_with("MESOS_") {
                cmd.env_remove(k);
            }
        }
        let child = cmd
            .args(["agent", "--internal-default-executor"])
            .env("MESOS_AGENT_ENDPOINT", format!("127.0.0.1:{}", self.port))
            .env("MESOS_FRAMEWORK_ID", "fw-1")
            .env("MESOS_EXECUTOR_ID", "ex-1")
            .env("MESOS_SANDBOX", &self.sandbox)
            .env("MESOS_DIRECTORY", &self.sandbox)
            .env("MESOS_CHECKPOINT", if checkpoint { "1" } else { "0" })
            .env("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs")
            .env("MESOS_DEFAULT_EXECUTOR_WIRE", "json")
            .current_dir(&self.sandbox)
            .stdout(std::fs::File::create(self.sandbox.join("stdout")).unwrap())
            .stderr(std::fs::File::create(self.sandbox.join("stderr")).unwrap())
            .spawn()
            .unwrap();
        self.executor = Some(child);
    }

    pub fn send(&self, event: Value) {
        let f = self.state.lock().unwrap();
        f.stream
            .as_ref()
            .expect("subscribed")
            .send(record(&event))
            .unwrap();
    }

    pub fn wait_subscribed(&self, n: usize) {
        wait_until(Duration::from_secs(30), "the executor to subscribe", || {
            self.state.lock().unwrap().subscribes.len() >= n
        });
    }

    pub fn states(&self, task: &str) -> Vec<String> {
        self.state
            .lock()
            .unwrap()
            .updates
            .iter()
            .filter(|u| u["task_id"]["value"] == task)
            .map(|u| u["state"].as_str().unwrap_or("").to_string())
            .collect()
    }

    pub fn last(&self, task: &str) -> Value {
        self.state
            .lock()
            .unwrap()
            .updates
            .iter()
            .rev()
            .find(|u| u["task_id"]["value"] == task)
            .cloned()
            .unwrap_or(Value::Null)
    }

    pub fn wait_state(&self, task: &str, state: &str) {
        wait_until(
            Duration::from_secs(30),
            &format!("{state} of {task} (log: {})", self.log()),
            || self.states(task).iter().any(|s| s == state),
        );
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.sandbox.join("stderr")).unwrap_or_default()
    }

    /// The executor's exit code, within a generous deadline.
    pub fn exit_code(&mut self) -> i32 {
        let child = self.executor.as_mut().unwrap();
        let end = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(st) = child.try_wait().unwrap() {
                return st.code().unwrap_or(-1);
            }
            if Instant::now() > end {
                let _ = child.kill();
                panic!("the executor did not exit; log:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn alive(&mut self) -> bool {
        self.executor
            .as_mut()
            .unwrap()
            .try_wait()
            .unwrap()
            .is_none()
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if let Some(c) = self.executor.as_mut() {
            let _ = c.kill();
            let _ = c.wait();
        }
        for (pid, st) in self.state.lock().unwrap().containers.values() {
            if st.lock().unwrap().is_none() {
                unsafe { libc::kill(-*pid, libc::SIGKILL) };
            }
        }
    }
}

pub(crate) fn task(id: &str, cmd: &str) -> Value {
    json!({"name": id, "task_id": {"value": id}, "agent_id": {"value": "agent-1"},
           "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}}],
           "command": {"value": cmd}})
}

pub(crate) fn launch_group(tasks: Vec<Value>) -> Value {
    json!({"type": "LAUNCH_GROUP", "launch_group": {"task_group": {"tasks": tasks}}})
}

#[test]
fn a_failed_task_kills_the_rest_of_its_group_but_not_other_groups() {
    let mut h = Harness::new(true);
    h.start(false);
    h.wait_subscribed(1);
    h.send(launch_group(vec![
        task("a", "sleep 1000"),
        task("b", "sleep 1000"),
        task(
            "c",
            "echo out-c; while [ ! -e ../../go ]; do sleep 0.05; done; exit 3",
        ),
    ]));
    h.send(launch_group(vec![task("x", "sleep 1000")]));
    for t in ["a", "b", "c", "x"] {
        h.wait_state(t, "TASK_RUNNING");
        assert_eq!(h.states(t), vec!["TASK_STARTING", "TASK_RUNNING"], "{t}");
        let running = h.last(t);
        let cid = &running["container_status"]["container_id"];
        assert_eq!(cid["parent"]["value"], "exec-cid", "{running}");
        assert_eq!(running["source"], "SOURCE_EXECUTOR");
        assert_eq!(running["executor_id"]["value"], "ex-1");
        assert_eq!(running["agent_id"]["value"], "agent-1");
        let uuid = base64::engine::general_purpose::STANDARD
            .decode(running["uuid"].as_str().unwrap())
            .unwrap();
        assert_eq!(uuid.len(), 16);
        assert!(running["timestamp"].as_f64().unwrap() > 1.0e9);
        // The task's sandbox is linked under tasks/<id>.
        let link = std::fs::read_link(h.sandbox.join("tasks").join(t)).unwrap();
        assert_eq!(
            link,
            Path::new("../containers").join(cid["value"].as_str().unwrap())
        );
    }
    std::fs::write(h.sandbox.join("go"), "").unwrap();
    h.wait_state("c", "TASK_FAILED");
    assert_eq!(h.last("c")["message"], "Command exited with status 3");
    h.wait_state("a", "TASK_KILLED");
    h.wait_state("b", "TASK_KILLED");
    assert_eq!(
        h.last("a")["message"],
        "Command terminated with signal Terminated"
    );
    let out = std::fs::read_to_string(h.sandbox.join("tasks/c/stdout")).unwrap();
    assert_eq!(out, "out-c\n");
    // The other group runs on, and so does the executor.
    assert_eq!(h.states("x"), vec!["TASK_STARTING", "TASK_RUNNING"]);
    assert!(h.alive());
    // KILL of its task: killed, and with no task left the executor exits 0.
    h.send(json!({"type": "KILL", "kill": {"task_id": {"value": "x"}}}));
    h.wait_state("x", "TASK_KILLED");
    assert_eq!(h.exit_code(), 0, "{}", h.log());
    let f = h.state.lock().unwrap();
    assert!(f.kills.iter().all(|(_, s)| *s == 15 || *s == 9));
    assert!(
        f.containers.values().all(|c| c.1.lock().unwrap().is_some()),
        "every container ended"
    );
}

#[test]
fn a_group_whose_tasks_all_finish_ends_finished_and_the_executor_exits() {
    let mut h = Harness::new(true);
    h.start(false);
    h.wait_subscribed(1);
    h.send(launch_group(vec![
        task("one", "echo first"),
        task("two", "echo second >&2; echo second"),
    ]));
    h.wait_state("one", "TASK_FINISHED");
    h.wait_state("two", "TASK_FINISHED");
    assert_eq!(
        h.states("one"),
        vec!["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"]
    );
    assert_eq!(h.last("two")["message"], "Command exited with status 0");
    assert_eq!(h.exit_code(), 0, "{}", h.log());
    assert_eq!(
        std::fs::read_to_string(h.sandbox.join("tasks/one/stdout")).unwrap(),
        "first\n"
    );
    assert_eq!(
        std::fs::read_to_string(h.sandbox.join("tasks/two/stderr")).unwrap(),
        "second\n"
    );
    // The launch carried the task's command and the nested container id.
    let f = h.state.lock().unwrap();
    let l = &f.launches[0]["launch_nested_container"];
    assert_eq!(l["container_id"]["parent"]["value"], "exec-cid");
    assert_eq!(l["command"]["value"], "echo first");
}

#[test]
fn unacknowledged_updates_are_resent_when_the_executor_subscribes_again() {
    let mut h = Harness::new(false);
    h.start(true);
    h.wait_subscribed(1);
    h.send(launch_group(vec![task("s", "sleep 1000")]));
    h.wait_state("s", "TASK_RUNNING");
    // The agent "restarts": the stream ends, the executor comes back.
    h.state.lock().unwrap().stream = None;
    h.wait_subscribed(2);
    let sub = h.state.lock().unwrap().subscribes[1]["subscribe"].clone();
    let states: Vec<&str> = sub["unacknowledged_updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["status"]["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, vec!["TASK_STARTING", "TASK_RUNNING"], "{sub}");
    assert_eq!(sub["unacknowledged_tasks"][0]["task_id"]["value"], "s");
    // Acknowledge everything, then SHUTDOWN: killed, exit 0.
    let ups = h.state.lock().unwrap().updates.clone();
    for u in ups {
        h.send(json!({"type": "ACKNOWLEDGED", "acknowledged": {
            "task_id": u["task_id"], "uuid": u["uuid"]}}));
    }
    h.state.lock().unwrap().auto_ack = true;
    h.send(json!({"type": "SHUTDOWN"}));
    h.wait_state("s", "TASK_KILLED");
    assert_eq!(h.exit_code(), 0, "{}", h.log());
}

#[test]
fn without_checkpointing_losing_the_agent_ends_the_executor() {
    let mut h = Harness::new(true);
    h.start(false);
    h.wait_subscribed(1);
    h.send(launch_group(vec![task("s", "sleep 1000")]));
    h.wait_state("s", "TASK_RUNNING");
    h.state.lock().unwrap().stream = None;
    assert_eq!(h.exit_code(), 1, "{}", h.log());
    assert!(h.log().contains("does not checkpoint"), "{}", h.log());
}

#[test]
fn frameworks_with_the_killing_state_see_task_killing_first() {
    let mut h = Harness::new(true);
    {
        let mut f = h.state.lock().unwrap();
        f.on_subscribe[0]["subscribed"]["framework_info"]["capabilities"] =
            json!([{"type": "TASK_KILLING_STATE"}]);
    }
    h.start(false);
    h.wait_subscribed(1);
    h.send(launch_group(vec![task("k", "sleep 1000")]));
    h.wait_state("k", "TASK_RUNNING");
    h.send(json!({"type": "KILL", "kill": {"task_id": {"value": "k"},
        "kill_policy": {"grace_period": {"nanoseconds": 100000000}}}}));
    h.wait_state("k", "TASK_KILLED");
    assert_eq!(
        h.states("k"),
        vec![
            "TASK_STARTING",
            "TASK_RUNNING",
            "TASK_KILLING",
            "TASK_KILLED"
        ]
    );
    assert_eq!(h.exit_code(), 0, "{}", h.log());
}
