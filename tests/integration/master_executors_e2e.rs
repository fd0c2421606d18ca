//! The master's accounting of a custom executor end to end: the bundled
//! master and agent, the Python test executor
//! (tests/executors/test_executor.py), a v1 scheduler. The
//! executor's resources are allocated once on top of its task's, survive an
//! agent restart (the agent reports its executors when it re-registers),
//! stay while the executor runs without tasks, and are freed when it exits.

use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::common::cluster::{get_json, restart_agent, start_agent, start_master, Daemon};
use crate::common::sched::{subscribe_json, typed, Events, JsonCalls, Scheduler};
use crate::common::wait_until;
use mesos::http::{HttpClient, HttpOptions};

const DEADLINE: Duration = Duration::from_secs(60);

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

/// The next event of `kind`, acknowledging every reliable update on the way.
async fn next(s: &Scheduler, ev: &mut Events, kind: &str, task: Option<(&str, &str)>) -> Value {
    tokio::time::timeout(DEADLINE, async {
        loop {
            let e = ev.next_json().await.unwrap().expect("stream open");
            let st = &e["update"]["status"];
            if e["type"] == "UPDATE" && st.get("uuid").is_some() && st["agent_id"]["value"] != "" {
                s.acknowledge_json(st).await.unwrap();
            }
            if e["type"] != kind {
                continue;
            }
            match task {
                Some((tid, state)) if st["task_id"]["value"] != tid || st["state"] != state => {}
                _ => return e,
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no {kind} {task:?} within {DEADLINE:?}"))
}

/// (used cpus of the agent, the framework's executors, its tasks).
fn accounting(master: &Daemon) -> (f64, Value, Value) {
    let st = tokio::task::block_in_place(|| get_json(&format!("{}/master/state", master.url())));
    let used = st["slaves"][0]["used_resources"]["cpus"]
        .as_f64()
        .unwrap_or(-1.0);
    let fw = &st["frameworks"][0];
    (used, fw["executors"].clone(), fw["tasks"].clone())
}

fn wait_used(master: &Daemon, cpus: f64, what: &str) {
    tokio::task::block_in_place(|| {
        wait_until(DEADLINE, what, || {
            (accounting(master).0 * 1000.0).round() == (cpus * 1000.0).round()
        })
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_executors_resources_follow_it_through_restart_and_exit() {
    let master = tokio::task::block_in_place(|| {
        start_master(&[
            "--agent_ping_timeout=1secs",
            "--max_agent_ping_timeouts=300",
        ])
    });
    let agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let url = reqwest::Url::parse(&master.url()).unwrap();
    let http = HttpClient::new(&HttpOptions::default()).unwrap();
    let info = json!({"user": "tester", "name": "executor-accounting", "checkpoint": true});
    let (s, mut ev, _) = subscribe_json(&http, &url, info).await.unwrap();
    let offers = next(&s, &mut ev, "OFFERS", None).await;
    let offer = &offers["offers"]["offers"][0];
    let agent_id = offer["agent_id"].clone();
    let fid = s.framework_id.clone();
    let task = json!({
        "name": "acct-1", "task_id": {"value": "acct-1"}, "agent_id": agent_id,
        "resources": [scalar("cpus", 0.2), scalar("mem", 32.0)],
        "executor": {
            "type": "CUSTOM", "executor_id": {"value": "py-acct"},
            "framework_id": {"value": fid}, "name": "python test executor",
            "command": {
                "value": format!("exec '{}' '{}'", python(), fixture().display()),
                "shell": true
            },
            "resources": [scalar("cpus", 0.1), scalar("mem", 32.0)],
        },
        "data": base64::engine::general_purpose::STANDARD.encode("run"),
    });
    s.launch_json(&[offer["id"].clone()], vec![typed(&task)], 0.0)
        .await
        .unwrap();
    next(&s, &mut ev, "UPDATE", Some(("acct-1", "TASK_RUNNING"))).await;
    wait_used(&master, 0.3, "the executor's and the task's cpus used");
    let (_, executors, tasks) = accounting(&master);
    assert_eq!(executors.as_array().map(Vec::len), Some(1), "{executors}");
    assert_eq!(executors[0]["executor_id"], "py-acct");
    assert_eq!(executors[0]["resources"]["cpus"], 0.1);
    assert_eq!(tasks[0]["executor_id"], "py-acct", "{tasks}");

    // The agent restarts and re-registers with its executor.
    let agent = tokio::task::block_in_place(|| restart_agent(agent, &master.addr(), &[]));
    tokio::task::block_in_place(|| {
        wait_until(DEADLINE, "the agent re-registered", || {
            master.log().contains(&format!(
                "Re-registered agent {}",
                agent_id["value"].as_str().unwrap()
            ))
        })
    });
    wait_used(&master, 0.3, "the same cpus used after re-registration");
    let (_, executors, _) = accounting(&master);
    assert_eq!(executors.as_array().map(Vec::len), Some(1), "{executors}");

    // The task ends; the executor (and its resources) stays.
    s.kill("acct-1", agent_id["value"].as_str()).await.unwrap();
    next(&s, &mut ev, "UPDATE", Some(("acct-1", "TASK_KILLED"))).await;
    wait_used(&master, 0.1, "only the executor's cpus used");
    let (_, executors, _) = accounting(&master);
    assert_eq!(executors.as_array().map(Vec::len), Some(1), "{executors}");

    // SHUTDOWN: it exits, FAILURE, nothing is used any more.
    s.call_json(json!({"type": "SHUTDOWN", "shutdown": {
        "executor_id": {"value": "py-acct"}, "agent_id": agent_id}}))
        .await
        .unwrap();
    let f = next(&s, &mut ev, "FAILURE", None).await;
    assert_eq!(f["failure"]["executor_id"]["value"], "py-acct", "{f}");
    wait_used(&master, 0.0, "nothing used after the executor exited");
    let (_, executors, _) = accounting(&master);
    assert_eq!(executors, json!([]));
    drop(agent);
}
