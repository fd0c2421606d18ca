//! Custom executors end to end: a v1 scheduler (JSON) launches tasks with
//! an `executor` through the bundled master onto the bundled agent, which
//! runs the Python test executor (tests/executors/test_executor.py).
//! Statuses with data, MESSAGE both ways, two tasks on one executor,
//! SHUTDOWN, an executor crash (TASK_FAILED + FAILURE) and an agent
//! restart the executor survives.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::common::cluster::{restart_agent, start_agent, start_master, Daemon};
use crate::common::sched::{subscribe_json, typed, Events, JsonCalls, Scheduler};
use mesos::http::{HttpClient, HttpOptions};

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

fn scalar(name: &str, v: f64) -> Value {
    json!({"name": name, "type": "SCALAR", "scalar": {"value": v}})
}

fn executor(fid: &str, eid: &str) -> Value {
    json!({
        "type": "CUSTOM",
        "executor_id": {"value": eid},
        "framework_id": {"value": fid},
        "name": "python test executor",
        "command": {
            "value": format!("exec '{}' '{}'", python(), fixture().display()),
            "shell": true
        },
        "resources": [scalar("cpus", 0.1), scalar("mem", 32.0)],
    })
}

struct Fw {
    s: Scheduler,
    ev: Events,
    offers: VecDeque<Value>,
    /// Non-UPDATE, non-OFFERS events seen while waiting (MESSAGE, FAILURE).
    others: Vec<Value>,
}

impl Fw {
    async fn new(master: &Daemon) -> Fw {
        let info = json!({"user": "tester", "name": "executors-e2e", "checkpoint": true});
        let url = reqwest::Url::parse(&master.url()).unwrap();
        let http = HttpClient::new(&HttpOptions::default()).unwrap();
        let (s, ev, subscribed) = subscribe_json(&http, &url, info).await.unwrap();
        assert_eq!(subscribed["type"], "SUBSCRIBED");
        Fw {
            s,
            ev,
            offers: VecDeque::new(),
            others: Vec::new(),
        }
    }

    fn id(&self) -> String {
        self.s.framework_id.clone()
    }

    async fn next(&mut self) -> Value {
        let e = tokio::time::timeout(DEADLINE, self.ev.next_json())
            .await
            .expect("an event in time")
            .unwrap()
            .expect("stream open");
        match e["type"].as_str().unwrap_or("") {
            "OFFERS" => {
                for o in e["offers"]["offers"].as_array().into_iter().flatten() {
                    self.offers.push_back(o.clone());
                }
            }
            "RESCIND" => {
                let id = e["rescind"]["offer_id"].clone();
                self.offers.retain(|o| o["id"] != id);
            }
            "UPDATE" | "HEARTBEAT" => {}
            _ => self.others.push(e.clone()),
        }
        e
    }

    async fn offer(&mut self) -> Value {
        loop {
            if let Some(o) = self.offers.pop_front() {
                return o;
            }
            let e = self.next().await;
            let st = &e["update"]["status"];
            if e["type"] == "UPDATE" && st.get("uuid").is_some() && st["agent_id"]["value"] != "" {
                self.s
                    .acknowledge_json(&e["update"]["status"])
                    .await
                    .unwrap();
            }
        }
    }

    /// Launch task `tid` (its `data` says what the test executor does) on
    /// executor `eid`; returns the agent id.
    async fn launch(&mut self, tid: &str, eid: &str, what: &str) -> Value {
        let offer = self.offer().await;
        let agent_id = offer["agent_id"].clone();
        let task = json!({
            "name": tid,
            "task_id": {"value": tid},
            "agent_id": agent_id,
            "resources": [scalar("cpus", 0.2), scalar("mem", 32.0)],
            "executor": executor(&self.id(), eid),
            "data": b64(what),
        });
        self.s
            .launch_json(&[offer["id"].clone()], vec![typed(&task)], 0.0)
            .await
            .unwrap();
        agent_id
    }

    /// Updates of `tid` until one in `state` (each acknowledged).
    async fn wait_update(&mut self, tid: &str, state: &str) -> Value {
        loop {
            let e = self.next().await;
            if e["type"] != "UPDATE" {
                continue;
            }
            let st = e["update"]["status"].clone();
            if st.get("uuid").is_some() && st["agent_id"]["value"] != "" {
                self.s.acknowledge_json(&st).await.unwrap();
            }
            if st["task_id"]["value"] == tid && st["state"] == state {
                return st;
            }
        }
    }

    /// The next event of `kind` (seen before or later).
    async fn wait_event(&mut self, kind: &str) -> Value {
        loop {
            if let Some(i) = self.others.iter().position(|e| e["type"] == kind) {
                return self.others.remove(i);
            }
            let e = self.next().await;
            let st = &e["update"]["status"];
            if e["type"] == "UPDATE" && st.get("uuid").is_some() && st["agent_id"]["value"] != "" {
                self.s
                    .acknowledge_json(&e["update"]["status"])
                    .await
                    .unwrap();
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_executor_tasks_messages_and_shutdown_through_the_master() {
    let master = tokio::task::block_in_place(|| start_master(&[]));
    let _agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let mut fw = Fw::new(&master).await;
    let agent_id = fw.launch("e2e-1", "py-exec", "finish").await;
    fw.wait_update("e2e-1", "TASK_RUNNING").await;
    let finished = fw.wait_update("e2e-1", "TASK_FINISHED").await;
    assert_eq!(unb64(&finished["data"]), "done:e2e-1");
    assert_eq!(finished["executor_id"]["value"], "py-exec");
    assert_eq!(finished["source"], "SOURCE_EXECUTOR");

    // MESSAGE: scheduler -> executor -> scheduler.
    let call = json!({
        "framework_id": {"value": fw.id()},
        "type": "MESSAGE",
        "message": {"agent_id": agent_id, "executor_id": {"value": "py-exec"}, "data": b64("hello")},
    });
    fw.s.call_json(call).await.unwrap();
    let msg = fw.wait_event("MESSAGE").await;
    assert_eq!(unb64(&msg["message"]["data"]), "echo:hello");
    assert_eq!(msg["message"]["executor_id"]["value"], "py-exec");

    // A second task on the same executor.
    fw.launch("e2e-2", "py-exec", "run").await;
    let running = fw.wait_update("e2e-2", "TASK_RUNNING").await;
    assert_eq!(running["executor_id"]["value"], "py-exec");

    // SHUTDOWN: the executor kills its task and exits; FAILURE follows.
    let call = json!({
        "framework_id": {"value": fw.id()},
        "type": "SHUTDOWN",
        "shutdown": {"executor_id": {"value": "py-exec"}, "agent_id": agent_id},
    });
    fw.s.call_json(call).await.unwrap();
    fw.wait_update("e2e-2", "TASK_KILLED").await;
    let failure = fw.wait_event("FAILURE").await;
    assert_eq!(failure["failure"]["executor_id"]["value"], "py-exec");
    assert_eq!(failure["failure"]["status"], 0, "{failure}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_executor_crash_reaches_the_scheduler_as_task_failed_and_failure() {
    let master = tokio::task::block_in_place(|| start_master(&[]));
    let _agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let mut fw = Fw::new(&master).await;
    fw.launch("crash-1", "py-crash", "crash").await;
    let failed = fw.wait_update("crash-1", "TASK_FAILED").await;
    assert_eq!(failed["reason"], "REASON_EXECUTOR_TERMINATED");
    assert_eq!(failed["source"], "SOURCE_AGENT");
    let failure = fw.wait_event("FAILURE").await;
    assert_eq!(failure["failure"]["executor_id"]["value"], "py-crash");
    assert_eq!(failure["failure"]["status"], 3 << 8, "{failure}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_executor_survives_an_agent_restart() {
    let master = tokio::task::block_in_place(|| {
        start_master(&[
            "--agent_ping_timeout=1secs",
            "--max_agent_ping_timeouts=300",
        ])
    });
    let agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let mut fw = Fw::new(&master).await;
    let agent_id = fw.launch("keep-1", "py-keep", "run").await;
    fw.wait_update("keep-1", "TASK_RUNNING").await;
    let agent = tokio::task::block_in_place(|| restart_agent(agent, &master.addr(), &[]));
    // The executor re-subscribes to the new agent process; a later task on
    // it still runs to completion (offers made before the restart are
    // rescinded: launch again on a fresh one).
    fw.offers.clear();
    let finished = loop {
        fw.launch("keep-2", "py-keep", "finish").await;
        let st = loop {
            let e = fw.next().await;
            let st = e["update"]["status"].clone();
            if e["type"] == "UPDATE" && st["task_id"]["value"] == "keep-2" {
                break st;
            }
        };
        if st["reason"] == "REASON_INVALID_OFFERS" {
            continue;
        }
        fw.s.acknowledge_json(&st).await.unwrap();
        assert_eq!(st["state"], "TASK_RUNNING", "{st}");
        break fw.wait_update("keep-2", "TASK_FINISHED").await;
    };
    assert_eq!(unb64(&finished["data"]), "done:keep-2");
    // The recovered task can still be killed through its executor.
    fw.s.kill("keep-1", agent_id["value"].as_str())
        .await
        .unwrap();
    let killed = fw.wait_update("keep-1", "TASK_KILLED").await;
    assert_eq!(killed["source"], "SOURCE_EXECUTOR");
    drop(agent);
}
