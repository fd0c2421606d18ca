//! Custom executors on the bundled agent, driven the way a master drives
//! it by a fake master (`common::http::TestServer`), with a real executor
//! process: tests/executors/test_executor.py, a Python-stdlib
//! executor speaking the v1 executor API (`/api/v1/executor`). Covers the
//! executor's environment, SUBSCRIBED, LAUNCH of several tasks on one
//! executor, updates with data, ACKNOWLEDGED, KILL, MESSAGE both ways,
//! SHUTDOWN, crashes and the registration timeout, the API's validation,
//! and re-subscription after an agent restart.

use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::common::cluster::restart_agent;
use crate::common::daemons::{AgentExt, AgentProc, TEST_SESSION_TOKEN};
use crate::common::http::{Answer, TestServer};
use crate::common::wait_until;

const AGENT_ID: &str = "0a0b0c0d-0000-4000-8000-00000000000e-S0";
const FW: &str = "0a0b0c0d-0000-4000-8000-00000000000e-0000";
const DEADLINE: Duration = Duration::from_secs(60);

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn unb64(v: &Value) -> String {
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or(""))
            .unwrap(),
    )
    .unwrap()
}

/// A fake master answering the agent side of the internal protocol,
/// including the executor calls.
fn fake_master() -> TestServer {
    let m = TestServer::start();
    let info = json!({
        "id": "0a0b0c0d-0000-4000-8000-00000000000e",
        "ip": 16777343u32,
        "port": m.port,
        "pid": format!("master@127.0.0.1:{}", m.port),
        "hostname": "localhost",
        "version": "1.11.0",
        "address": {"hostname": "localhost", "ip": "127.0.0.1", "port": m.port}
    });
    let answer = json!({
        "agent_id": AGENT_ID,
        "master_id": "0a0b0c0d-0000-4000-8000-00000000000e",
        "ping_interval_secs": 0.2,
        "master_info": info,
        "session_token": TEST_SESSION_TOKEN,
    });
    m.route(
        "/master/internal/register",
        Answer::json(answer.to_string()),
    );
    m.route("/master/internal/ping", Answer::status(200, ""));
    m.route("/master/internal/status_update", Answer::status(202, ""));
    m.route("/master/internal/executor_message", Answer::status(202, ""));
    m.route("/master/internal/exited_executor", Answer::status(202, ""));
    m
}

fn setup(extra: &[&str]) -> (TestServer, AgentProc) {
    let m = fake_master();
    let a = AgentProc::start(&m.addr(), extra);
    wait_until(DEADLINE, "agent registration", || {
        a.get_json("/slave(1)/state")["id"] == AGENT_ID
    });
    (m, a)
}

/// The real interpreter (not a version-manager shim, which may need an
/// environment the agent does not pass on).
fn python() -> String {
    let out = std::process::Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .expect("python3 is needed by these tests (scripts/test.sh installs it)");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/executors/test_executor.py")
}

fn framework(checkpoint: bool) -> Value {
    json!({
        "id": {"value": FW},
        "name": "executor-test",
        "user": "tester",
        "checkpoint": checkpoint,
        "role": "*",
    })
}

fn resources(cpus: f64, mem: f64) -> Value {
    json!([
        {"name": "cpus", "type": "SCALAR", "scalar": {"value": cpus}, "role": "*", "allocation_info": {"role": "*"}},
        {"name": "mem", "type": "SCALAR", "scalar": {"value": mem}, "role": "*", "allocation_info": {"role": "*"}}
    ])
}

fn executor_info(eid: &str, command: Value) -> Value {
    json!({
        "type": "CUSTOM",
        "executor_id": {"value": eid},
        "framework_id": {"value": FW},
        "name": "test executor",
        "source": "tests",
        "command": command,
        "resources": resources(0.1, 32.0),
    })
}

/// The Python test executor's ExecutorInfo.
fn py_executor(eid: &str) -> Value {
    executor_info(
        eid,
        json!({
            "value": format!("exec '{}' '{}'", python(), fixture().display()),
            "shell": true,
            "environment": {"variables": [{"name": "EXTRA_VAR", "value": "from-command"}]},
        }),
    )
}

/// A task for `executor` whose `data` tells the test executor what to do.
fn task(id: &str, executor: &Value, what: &str) -> Value {
    json!({
        "name": id,
        "task_id": {"value": id},
        "agent_id": {"value": AGENT_ID},
        "resources": resources(0.2, 64.0),
        "executor": executor,
        "data": b64(what),
    })
}

fn run_task(a: &AgentProc, fw: &Value, task: Value) {
    let r = a.post_internal(
        "/slave(1)/internal/run_task",
        &json!({"framework": fw, "task": task}),
    );
    assert_eq!(r.status, 202, "run_task: {}", r.text());
}

fn updates(m: &TestServer, tid: &str) -> Vec<Value> {
    m.requests_to("/master/internal/status_update")
        .iter()
        .map(|r| r.json()["status"].clone())
        .filter(|s| s["task_id"]["value"] == tid)
        .collect()
}

fn wait_update(m: &TestServer, a: &AgentProc, tid: &str, state: &str) -> Value {
    let mut found = Value::Null;
    wait_until(DEADLINE, &format!("{state} for {tid}"), || {
        match updates(m, tid).into_iter().find(|s| s["state"] == state) {
            Some(s) => {
                found = s;
                true
            }
            None => false,
        }
    });
    assert!(!found.is_null(), "{}", a.log());
    found
}

fn ack(a: &AgentProc, tid: &str, status: &Value) {
    let r = a.post_internal(
        "/slave(1)/internal/acknowledge",
        &json!({"framework_id": FW, "task_id": tid, "uuid": status["uuid"]}),
    );
    assert_eq!(r.status, 202, "acknowledge: {}", r.text());
}

/// The executor entry `eid` of `/slave(1)/state` (active ones only).
fn executor_state(a: &AgentProc, eid: &str) -> Option<Value> {
    let s = a.get_json("/slave(1)/state");
    s["frameworks"]
        .as_array()?
        .iter()
        .flat_map(|f| f["executors"].as_array().cloned().unwrap_or_default())
        .find(|e| e["id"] == eid)
}

fn sandbox(a: &AgentProc, eid: &str) -> PathBuf {
    let mut dir = None;
    wait_until(DEADLINE, "executor in state", || {
        dir = executor_state(a, eid).and_then(|e| e["directory"].as_str().map(PathBuf::from));
        dir.is_some()
    });
    dir.unwrap()
}

fn read_json_file(path: &std::path::Path) -> Value {
    let mut v = Value::Null;
    wait_until(
        DEADLINE,
        &format!("{}", path.display()),
        || match std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
        {
            Some(x) => {
                v = x;
                true
            }
            None => false,
        },
    );
    v
}

/// The events the test executor logged (`events.jsonl`).
fn events(dir: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("events.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn wait_event(dir: &std::path::Path, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let mut found = Value::Null;
    wait_until(DEADLINE, what, || {
        match events(dir).into_iter().find(&pred) {
            Some(e) => {
                found = e;
                true
            }
            None => false,
        }
    });
    found
}

#[test]
fn custom_executor_gets_the_mesos_environment_and_runs_several_tasks() {
    let (m, a) = setup(&[]);
    let fw = framework(true);
    let exec = py_executor("exec-1");
    run_task(&a, &fw, task("t1", &exec, "finish"));
    let running = wait_update(&m, &a, "t1", "TASK_RUNNING");
    assert_eq!(running["source"], "SOURCE_EXECUTOR");
    assert_eq!(running["executor_id"]["value"], "exec-1");
    assert_eq!(running["agent_id"]["value"], AGENT_ID);
    ack(&a, "t1", &running);
    let finished = wait_update(&m, &a, "t1", "TASK_FINISHED");
    assert_eq!(unb64(&finished["data"]), "done:t1");

    // The environment real agents give executors.
    let dir = sandbox(&a, "exec-1");
    let env = read_json_file(&dir.join("env.json"));
    assert_eq!(env["MESOS_FRAMEWORK_ID"], FW);
    assert_eq!(env["MESOS_EXECUTOR_ID"], "exec-1");
    assert_eq!(env["MESOS_SLAVE_ID"], AGENT_ID);
    assert_eq!(env["MESOS_AGENT_ENDPOINT"], a.addr());
    assert_eq!(env["MESOS_SLAVE_PID"], format!("slave(1)@{}", a.addr()));
    assert_eq!(env["MESOS_CHECKPOINT"], "1");
    assert_eq!(env["MESOS_HTTP_COMMAND_EXECUTOR"], "0");
    assert_eq!(env["MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"], "5secs");
    assert_eq!(env["MESOS_SUBSCRIPTION_BACKOFF_MAX"], "2secs");
    assert_eq!(env["MESOS_RECOVERY_TIMEOUT"], "15mins");
    assert!(env.get("MESOS_TASK_ID").is_none(), "{env}");
    let sandbox_path = dir.to_string_lossy().to_string();
    assert_eq!(env["MESOS_DIRECTORY"], sandbox_path.as_str());
    assert_eq!(env["MESOS_SANDBOX"], sandbox_path.as_str());
    assert!(
        sandbox_path.contains(&format!("/frameworks/{FW}/executors/exec-1/runs/")),
        "{sandbox_path}"
    );
    // SUBSCRIBED names what the environment said.
    let sub = read_json_file(&dir.join("subscribed.json"));
    let s = &sub["subscribed"];
    assert_eq!(s["executor_info"]["executor_id"]["value"], "exec-1");
    assert_eq!(s["framework_info"]["id"]["value"], FW);
    assert_eq!(s["agent_info"]["id"]["value"], AGENT_ID);
    let container = executor_state(&a, "exec-1").unwrap()["container"].clone();
    assert_eq!(s["container_id"]["value"], container);
    // The acknowledgement of TASK_RUNNING reached the executor.
    let acked = wait_event(&dir, "ACKNOWLEDGED", |e| e["type"] == "ACKNOWLEDGED");
    assert_eq!(acked["acknowledged"]["uuid"], running["uuid"]);
    assert_eq!(acked["acknowledged"]["task_id"]["value"], "t1");
    ack(&a, "t1", &finished);

    // A second task goes to the running executor as a LAUNCH event.
    run_task(&a, &fw, task("t2", &exec, "run"));
    let r2 = wait_update(&m, &a, "t2", "TASK_RUNNING");
    ack(&a, "t2", &r2);
    let launches: Vec<Value> = events(&dir)
        .into_iter()
        .filter(|e| e["type"] == "LAUNCH")
        .collect();
    assert_eq!(launches.len(), 2, "{launches:?}");
    assert_eq!(launches[1]["launch"]["task"]["task_id"]["value"], "t2");
    // One executor process, its tasks listed under it, resources =
    // executor + live tasks.
    let e = executor_state(&a, "exec-1").unwrap();
    assert_eq!(e["tasks"].as_array().unwrap().len(), 1, "{e}");
    assert_eq!(e["tasks"][0]["id"], "t2");
    assert_eq!(e["tasks"][0]["executor_id"], "exec-1");
    assert_eq!(e["completed_tasks"][0]["id"], "t1");
    assert!(
        (e["resources"]["cpus"].as_f64().unwrap() - 0.3).abs() < 1e-9,
        "{e}"
    );
    assert_eq!(e["resources"]["mem"], 96.0);
    assert_eq!(e["name"], "test executor");
    assert_eq!(e["source"], "tests");
    let tasks = a
        .post_json("/slave(1)/api/v1", &json!({"type": "GET_TASKS"}))
        .json();
    let launched = &tasks["get_tasks"]["launched_tasks"];
    assert_eq!(launched[0]["task_id"]["value"], "t2", "{tasks}");
    assert_eq!(launched[0]["executor_id"]["value"], "exec-1");

    // KILL reaches the executor, which reports TASK_KILLED.
    let r = a.post_internal(
        "/slave(1)/internal/kill_task",
        &json!({"framework_id": FW, "task_id": "t2"}),
    );
    assert_eq!(r.status, 202);
    let killed = wait_update(&m, &a, "t2", "TASK_KILLED");
    assert_eq!(killed["source"], "SOURCE_EXECUTOR");
    assert!(events(&dir)
        .iter()
        .any(|e| e["type"] == "KILL" && e["kill"]["task_id"]["value"] == "t2"));
}

#[test]
fn messages_round_trip_and_shutdown_ends_the_executor() {
    let (m, a) = setup(&[]);
    let fw = framework(true);
    let mut exec = py_executor("exec-m");
    exec["shutdown_grace_period"] = json!({"nanoseconds": 3_000_000_000i64});
    run_task(&a, &fw, task("tm", &exec, "run"));
    let running = wait_update(&m, &a, "tm", "TASK_RUNNING");
    ack(&a, "tm", &running);
    let dir = sandbox(&a, "exec-m");
    // The executor's own grace period is the one it is told.
    let env = read_json_file(&dir.join("env.json"));
    assert_eq!(env["MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"], "3secs");

    // framework_message -> MESSAGE event -> MESSAGE call -> executor_message.
    let r = a.post_internal(
        "/slave(1)/internal/framework_message",
        &json!({"framework_id": FW, "executor_id": "exec-m", "data": b64("ping")}),
    );
    assert_eq!(r.status, 202, "{}", r.text());
    let mut echoed = Value::Null;
    wait_until(DEADLINE, "executor_message", || {
        match m.requests_to("/master/internal/executor_message").first() {
            Some(r) => {
                echoed = r.json();
                true
            }
            None => false,
        }
    });
    assert_eq!(echoed["agent_id"], AGENT_ID);
    assert_eq!(echoed["framework_id"], FW);
    assert_eq!(echoed["executor_id"], "exec-m");
    assert_eq!(unb64(&echoed["data"]), "echo:ping");
    let msg = wait_event(&dir, "MESSAGE", |e| e["type"] == "MESSAGE");
    assert_eq!(unb64(&msg["message"]["data"]), "ping");

    // shutdown_executor -> SHUTDOWN -> the executor kills its task and exits.
    let pid = executor_state(&a, "exec-m").unwrap();
    assert!(pid["tasks"].as_array().unwrap().len() == 1);
    let r = a.post_internal(
        "/slave(1)/internal/shutdown_executor",
        &json!({"framework_id": FW, "executor_id": "exec-m"}),
    );
    assert_eq!(r.status, 202);
    let killed = wait_update(&m, &a, "tm", "TASK_KILLED");
    assert_eq!(killed["source"], "SOURCE_EXECUTOR");
    let mut exited = Value::Null;
    wait_until(DEADLINE, "exited_executor", || {
        match m.requests_to("/master/internal/exited_executor").first() {
            Some(r) => {
                exited = r.json();
                true
            }
            None => false,
        }
    });
    assert_eq!(exited["executor_id"], "exec-m");
    assert_eq!(exited["framework_id"], FW);
    assert_eq!(exited["status"], 0, "{exited}");
    assert!(events(&dir).iter().any(|e| e["type"] == "SHUTDOWN"));
    ack(&a, "tm", &killed);
    wait_until(DEADLINE, "executor completed", || {
        executor_state(&a, "exec-m").is_none()
    });
}

#[test]
fn an_executor_crash_fails_its_tasks_and_is_reported_to_the_master() {
    let (m, a) = setup(&[]);
    let fw = framework(true);
    let exec = py_executor("exec-c");
    run_task(&a, &fw, task("tc", &exec, "crash"));
    // Updates of a task go out one at a time, each once the previous one
    // was acknowledged.
    let running = wait_update(&m, &a, "tc", "TASK_RUNNING");
    ack(&a, "tc", &running);
    let failed = wait_update(&m, &a, "tc", "TASK_FAILED");
    assert_eq!(failed["source"], "SOURCE_AGENT");
    assert_eq!(failed["reason"], "REASON_EXECUTOR_TERMINATED");
    assert!(
        failed["message"]
            .as_str()
            .unwrap()
            .contains("exited with status 3"),
        "{failed}"
    );
    let mut exited = Value::Null;
    wait_until(DEADLINE, "exited_executor", || {
        match m.requests_to("/master/internal/exited_executor").first() {
            Some(r) => {
                exited = r.json();
                true
            }
            None => false,
        }
    });
    assert_eq!(exited["executor_id"], "exec-c");
    assert_eq!(exited["status"], 3 << 8);
}

#[test]
fn an_executor_that_never_subscribes_is_killed_after_the_registration_timeout() {
    let (m, a) = setup(&["--executor_registration_timeout=1secs"]);
    let fw = framework(false);
    let exec = executor_info("exec-silent", json!({"value": "sleep 1000", "shell": true}));
    run_task(&a, &fw, task("ts", &exec, "run"));
    let failed = wait_update(&m, &a, "ts", "TASK_FAILED");
    assert_eq!(failed["source"], "SOURCE_AGENT");
    assert_eq!(failed["reason"], "REASON_EXECUTOR_REGISTRATION_TIMEOUT");
    assert_eq!(failed["message"], "Executor did not register within 1secs");
    assert!(
        updates(&m, "ts")
            .iter()
            .all(|s| s["state"] != "TASK_RUNNING"),
        "{:?}",
        updates(&m, "ts")
    );
}

#[test]
fn a_kill_before_the_executor_subscribes_drops_the_task() {
    let (m, a) = setup(&[]);
    let fw = framework(false);
    let exec = executor_info("exec-k", json!({"value": "sleep 1000", "shell": true}));
    run_task(&a, &fw, task("tk", &exec, "run"));
    sandbox(&a, "exec-k");
    let r = a.post_internal(
        "/slave(1)/internal/kill_task",
        &json!({"framework_id": FW, "task_id": "tk"}),
    );
    assert_eq!(r.status, 202);
    let killed = wait_update(&m, &a, "tk", "TASK_KILLED");
    assert_eq!(killed["source"], "SOURCE_AGENT");
    assert_eq!(killed["reason"], "REASON_TASK_KILLED_DURING_LAUNCH");
    // With no task left the executor is destroyed.
    wait_until(DEADLINE, "exited_executor", || {
        !m.requests_to("/master/internal/exited_executor").is_empty()
    });
}

#[test]
fn the_executor_api_validates_calls_as_mesos_does() {
    let (_m, a) = setup(&[]);
    let call = |body: Value| a.post_json("/api/v1/executor", &body);
    let r = a.post_json("/api/v1/executor", &json!({"type": "SUBSCRIBE"}));
    assert_eq!(r.status, 400);
    assert!(
        r.text()
            .contains("Missing required fields: executor_id, framework_id"),
        "{}",
        r.text()
    );
    let ids = json!({"executor_id": {"value": "e"}, "framework_id": {"value": "nope"}});
    let mut c = ids.clone();
    c["type"] = json!("SUBSCRIBE");
    let r = call(c);
    assert_eq!(
        (r.status, r.text()),
        (400, "Framework cannot be found".into())
    );
    let mut c = ids.clone();
    c["type"] = json!("BOGUS");
    assert_eq!(call(c).status, 400);
    let r = crate::common::daemons::request(
        &a.addr(),
        "POST",
        "/api/v1/executor",
        &[("Content-Type", "text/plain")],
        b"{}",
    );
    assert_eq!(r.status, 415, "{}", r.text());
    let r = crate::common::daemons::request(&a.addr(), "POST", "/api/v1/executor", &[], b"{}");
    assert_eq!(r.status, 400, "{}", r.text());

    // A known executor that has not subscribed may not send updates.
    let fw = framework(false);
    let exec = executor_info("exec-v", json!({"value": "sleep 1000", "shell": true}));
    run_task(&a, &fw, task("tv", &exec, "run"));
    sandbox(&a, "exec-v");
    let upd = json!({"executor_id": {"value": "exec-v"}, "framework_id": {"value": FW},
        "type": "UPDATE", "update": {"status": {"task_id": {"value": "tv"}, "state": "TASK_RUNNING",
        "uuid": b64("0123456789abcdef")}}});
    let r = call(upd);
    assert_eq!(
        (r.status, r.text()),
        (403, "Executor is not subscribed".into())
    );
    let mut c = json!({"executor_id": {"value": "nope"}, "framework_id": {"value": FW}});
    c["type"] = json!("SUBSCRIBE");
    let r = call(c);
    assert_eq!(
        (r.status, r.text()),
        (400, "Executor cannot be found".into())
    );
}

#[test]
fn a_custom_executor_resubscribes_after_an_agent_restart() {
    let (m, a) = setup(&["--executor_reregistration_timeout=10secs"]);
    let fw = framework(true);
    let exec = py_executor("exec-r");
    run_task(&a, &fw, task("tr1", &exec, "run"));
    let running = wait_update(&m, &a, "tr1", "TASK_RUNNING");
    ack(&a, "tr1", &running);
    let dir = sandbox(&a, "exec-r");
    wait_event(&dir, "ACKNOWLEDGED", |e| e["type"] == "ACKNOWLEDGED");
    let a = restart_agent(a, &m.addr(), &["--executor_reregistration_timeout=10secs"]);
    // The executor subscribes again (a second SUBSCRIBED in its log).
    wait_until(DEADLINE, "re-subscription", || {
        events(&dir)
            .iter()
            .filter(|e| e["type"] == "SUBSCRIBED")
            .count()
            >= 2
    });
    wait_until(DEADLINE, "agent re-registration", || {
        a.get_json("/slave(1)/state")["id"] == AGENT_ID
    });
    let e = executor_state(&a, "exec-r").expect("recovered executor");
    assert_eq!(e["tasks"][0]["id"], "tr1");
    // A later task still reaches it.
    run_task(&a, &fw, task("tr2", &exec, "finish"));
    let r2 = wait_update(&m, &a, "tr2", "TASK_RUNNING");
    ack(&a, "tr2", &r2);
    let finished = wait_update(&m, &a, "tr2", "TASK_FINISHED");
    assert_eq!(unb64(&finished["data"]), "done:tr2");
    // And a kill of the recovered task too.
    let r = a.post_internal(
        "/slave(1)/internal/kill_task",
        &json!({"framework_id": FW, "task_id": "tr1"}),
    );
    assert_eq!(r.status, 202);
    wait_update(&m, &a, "tr1", "TASK_KILLED");
}

#[test]
fn recovered_executors_that_do_not_come_back_are_killed() {
    let (m, a) = setup(&["--executor_reregistration_timeout=1secs"]);
    let fw = framework(true);
    // Subscribes never: sleeps (its tasks stay STAGING).
    let exec = executor_info("exec-gone", json!({"value": "sleep 1000", "shell": true}));
    run_task(&a, &fw, task("tg", &exec, "run"));
    sandbox(&a, "exec-gone");
    let pid: u32 = {
        let mut p = None;
        wait_until(DEADLINE, "executor pid", || {
            p = std::fs::read_dir(a.work_dir().join("meta/slaves"))
                .ok()
                .and_then(|_| find_file(&a.work_dir().join("meta"), "executor.pid"))
                .and_then(|f| std::fs::read_to_string(f).ok())
                .and_then(|s| s.trim().parse().ok());
            p.is_some()
        });
        p.unwrap()
    };
    let a = restart_agent(a, &m.addr(), &["--executor_reregistration_timeout=1secs"]);
    let failed = wait_update(&m, &a, "tg", "TASK_FAILED");
    assert_eq!(
        failed["reason"], "REASON_EXECUTOR_REREGISTRATION_TIMEOUT",
        "{failed}"
    );
    assert_eq!(
        failed["message"],
        "Executor did not reregister within 1secs"
    );
    wait_until(DEADLINE, "executor killed", || {
        !crate::common::daemons::process_alive(pid)
    });
}

fn find_file(dir: &std::path::Path, name: &str) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let p = entry.path();
        if p.file_name().is_some_and(|n| n == name) {
            return Some(p);
        }
        if p.is_dir() && !p.is_symlink() {
            if let Some(f) = find_file(&p, name) {
                return Some(f);
            }
        }
    }
    None
}

#[test]
fn a_task_group_reaches_its_executor_as_one_launch_group() {
    let (m, a) = setup(&[]);
    let fw = framework(true);
    let exec = py_executor("exec-g");
    let mut tasks = Vec::new();
    for id in ["g-a", "g-b"] {
        let mut t = task(id, &exec, "finish");
        t.as_object_mut().unwrap().remove("executor");
        tasks.push(t);
    }
    let r = a.post_internal(
        "/slave(1)/internal/run_task_group",
        &json!({"framework": fw, "executor": exec, "tasks": tasks}),
    );
    assert_eq!(r.status, 202, "run_task_group: {}", r.text());
    for id in ["g-a", "g-b"] {
        let running = wait_update(&m, &a, id, "TASK_RUNNING");
        assert_eq!(running["executor_id"]["value"], "exec-g");
        ack(&a, id, &running);
        let finished = wait_update(&m, &a, id, "TASK_FINISHED");
        assert_eq!(unb64(&finished["data"]), format!("done:{id}"));
    }
    let dir = sandbox(&a, "exec-g");
    let groups: Vec<Value> = events(&dir)
        .into_iter()
        .filter(|e| e["type"] == "LAUNCH_GROUP")
        .collect();
    assert_eq!(groups.len(), 1, "{groups:?}");
    let ids: Vec<&str> = groups[0]["launch_group"]["task_group"]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["task_id"]["value"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["g-a", "g-b"]);
    assert!(events(&dir).iter().all(|e| e["type"] != "LAUNCH"));
    let e = executor_state(&a, "exec-g").unwrap();
    let completed: Vec<&str> = e["completed_tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(completed, ["g-a", "g-b"], "{e}");
}

#[test]
fn updates_sent_while_the_agent_was_down_arrive_with_the_next_subscription() {
    let (m, mut a) = setup(&["--executor_reregistration_timeout=10secs"]);
    let fw = framework(true);
    let exec = py_executor("exec-u");
    run_task(&a, &fw, task("tu", &exec, "finish-offline"));
    let running = wait_update(&m, &a, "tu", "TASK_RUNNING");
    ack(&a, "tu", &running);
    let dir = sandbox(&a, "exec-u");
    wait_event(&dir, "ACKNOWLEDGED", |e| e["type"] == "ACKNOWLEDGED");
    a.kill();
    // The executor tried to send TASK_FINISHED while the agent was down.
    wait_until(DEADLINE, "an update kept for re-subscription", || {
        std::fs::read_to_string(dir.join("stderr"))
            .unwrap_or_default()
            .contains("kept for re-subscription")
    });
    let a = restart_agent(a, &m.addr(), &["--executor_reregistration_timeout=10secs"]);
    let finished = wait_update(&m, &a, "tu", "TASK_FINISHED");
    assert_eq!(unb64(&finished["data"]), "offline:tu");
    assert_eq!(finished["source"], "SOURCE_EXECUTOR");
    assert_eq!(finished["executor_id"]["value"], "exec-u");
    // Recorded once, even though the executor resends it on every
    // subscription until it is acknowledged.
    ack(&a, "tu", &finished);
    let acked = wait_event(&dir, "ACKNOWLEDGED of TASK_FINISHED", |e| {
        e["type"] == "ACKNOWLEDGED" && e["acknowledged"]["uuid"] == finished["uuid"]
    });
    assert_eq!(acked["acknowledged"]["task_id"]["value"], "tu");
    let n = updates(&m, "tu")
        .iter()
        .filter(|s| s["state"] == "TASK_FINISHED")
        .map(|s| s["uuid"].as_str().unwrap_or("").to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    assert_eq!(n, 1);
}
