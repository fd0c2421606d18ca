//! The default executor program against the stand-in agent of
//! `default_executor.rs`: health checks of group tasks (HTTP from the
//! executor, COMMAND in a nested container of the task's container),
//! general checks (COMMAND in nested containers, results as
//! `check_status`),
//! framework messages, a plain LAUNCH, and WAIT_NESTED_CONTAINER retried
//! while the agent does not know the container yet.

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::wait_until;
use crate::default_executor::{launch_group, task, Harness};

/// The updates of `task` so far.
fn updates(h: &Harness, task: &str) -> Vec<Value> {
    h.state
        .lock()
        .unwrap()
        .updates
        .iter()
        .filter(|u| u["task_id"]["value"] == task)
        .cloned()
        .collect()
}

/// Wait until an update of `task` matches.
fn wait_update(h: &Harness, task: &str, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let mut found = Value::Null;
    wait_until(
        Duration::from_secs(30),
        &format!("{what} of {task} (log: {})", h.log()),
        || match updates(h, task).into_iter().find(|u| ok(u)) {
            Some(u) => {
                found = u;
                true
            }
            None => false,
        },
    );
    found
}

fn health_reason(u: &Value) -> bool {
    u["reason"] == "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED" && u["state"] == "TASK_RUNNING"
}

#[test]
fn an_http_health_check_reports_healthy_then_kills_the_task_when_it_fails() {
    let mut h = Harness::new(true);
    h.start(false);
    h.wait_subscribed(1);
    let mut web = task("web", "sleep 1000");
    web["health_check"] = json!({"type": "HTTP",
        "http": {"port": h.port, "path": "/health"},
        "delay_seconds": 0, "interval_seconds": 0.2, "timeout_seconds": 5,
        "grace_period_seconds": 0, "consecutive_failures": 2});
    h.send(launch_group(vec![web, task("side", "sleep 1000")]));
    let healthy = wait_update(&h, "web", "healthy=true", |u| {
        health_reason(u) && u["healthy"] == true
    });
    let cid = &healthy["container_status"]["container_id"];
    assert_eq!(cid["parent"]["value"], "exec-cid", "{healthy}");
    // Healthy is reported once, not on every passing check.
    std::thread::sleep(Duration::from_millis(600));
    let n = updates(&h, "web")
        .iter()
        .filter(|u| health_reason(u))
        .count();
    assert_eq!(n, 1, "{:?}", updates(&h, "web"));
    // The endpoint starts failing: two unhealthy reports, then the task
    // (and its group) is killed, its terminal update unhealthy.
    h.state.lock().unwrap().health_status = 503;
    h.wait_state("web", "TASK_KILLED");
    let unhealthy: Vec<Value> = updates(&h, "web")
        .into_iter()
        .filter(|u| health_reason(u) && u["healthy"] == false)
        .collect();
    assert_eq!(unhealthy.len(), 2, "{unhealthy:?}");
    assert_eq!(h.last("web")["healthy"], false, "{}", h.last("web"));
    h.wait_state("side", "TASK_KILLED");
    assert_eq!(h.exit_code(), 0, "{}", h.log());
    assert!(h.log().contains("health check"), "{}", h.log());
}

#[test]
fn a_command_health_check_runs_nested_in_the_task_container_and_a_failing_one_kills() {
    let mut h = Harness::new(true);
    h.start(false);
    h.wait_subscribed(1);
    let mut good = task("good", "sleep 1000");
    good["health_check"] = json!({"type": "COMMAND", "command": {"value": "true"},
        "delay_seconds": 0, "interval_seconds": 0.2, "consecutive_failures": 1});
    let mut bad = task("bad", "sleep 1000");
    bad["health_check"] = json!({"type": "COMMAND", "command": {"value": "exit 1"},
        "delay_seconds": 0, "interval_seconds": 0.2, "consecutive_failures": 2,
        "grace_period_seconds": 0});
    h.send(launch_group(vec![good]));
    h.send(launch_group(vec![bad, task("sibling", "sleep 1000")]));
    wait_update(&h, "good", "healthy=true", |u| {
        health_reason(u) && u["healthy"] == true
    });
    h.wait_state("bad", "TASK_KILLED");
    h.wait_state("sibling", "TASK_KILLED");
    assert_eq!(h.last("bad")["healthy"], false);
    let failures = updates(&h, "bad")
        .into_iter()
        .filter(|u| health_reason(u) && u["healthy"] == false)
        .count();
    assert_eq!(failures, 2, "{:?}", updates(&h, "bad"));
    // The other group is still running, its checks still pass.
    assert!(!h.states("good").iter().any(|s| s == "TASK_KILLED"));
    assert!(h.alive());
    // The checks ran as nested containers of the task's container, and
    // were removed after each attempt.
    let task_cid = updates(&h, "bad")[1]["container_status"]["container_id"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    let (checks, removes) = {
        let f = h.state.lock().unwrap();
        let checks: Vec<Value> = f
            .launches
            .iter()
            .map(|l| l["launch_nested_container"].clone())
            .filter(|l| l["command"]["value"] == "exit 1")
            .collect();
        (checks, f.removes.len())
    };
    assert!(checks.len() >= 2, "{checks:?}");
    for c in &checks {
        assert_eq!(
            c["container_id"]["parent"]["value"],
            task_cid.as_str(),
            "{c}"
        );
        assert_eq!(c["container_id"]["parent"]["parent"]["value"], "exec-cid");
    }
    assert!(removes >= 2, "{removes}");
    h.send(json!({"type": "SHUTDOWN"}));
    h.wait_state("good", "TASK_KILLED");
    assert_eq!(h.exit_code(), 0, "{}", h.log());
}

#[test]
fn a_framework_message_is_ignored_and_the_group_still_finishes() {
    let mut h = Harness::new(true);
    h.start(false);
    h.wait_subscribed(1);
    h.send(launch_group(vec![task(
        "m",
        "while [ ! -e ../../go ]; do sleep 0.05; done",
    )]));
    h.wait_state("m", "TASK_RUNNING");
    h.send(json!({"type": "MESSAGE", "message": {"data": "aGVsbG8="}}));
    wait_until(Duration::from_secs(30), "the message to be logged", || {
        h.log().contains("framework message")
    });
    std::fs::write(h.sandbox.join("go"), "").unwrap();
    h.wait_state("m", "TASK_FINISHED");
    assert_eq!(
        h.states("m"),
        vec!["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"]
    );
    assert_eq!(h.exit_code(), 0, "{}", h.log());
}

#[test]
fn a_plain_launch_shuts_the_default_executor_down() {
    let mut h = Harness::new(true);
    h.start(false);
    h.wait_subscribed(1);
    h.send(launch_group(vec![task("g", "sleep 1000")]));
    h.wait_state("g", "TASK_RUNNING");
    h.send(json!({"type": "LAUNCH", "launch": {"task": task("plain", "true")}}));
    h.wait_state("g", "TASK_KILLED");
    assert_eq!(h.exit_code(), 0, "{}", h.log());
    assert!(h.log().contains("LAUNCH event"), "{}", h.log());
    // No update for the plain task: the agent ends it with the executor.
    assert!(h.states("plain").is_empty(), "{:?}", h.states("plain"));
    assert!(!h
        .state
        .lock()
        .unwrap()
        .launches
        .iter()
        .any(|l| l["launch_nested_container"]["command"]["value"] == "true"));
}

#[test]
fn wait_is_retried_while_the_agent_does_not_know_the_container() {
    let mut h = Harness::new(true);
    h.state.lock().unwrap().wait_404 = 3;
    h.start(false);
    h.wait_subscribed(1);
    h.send(launch_group(vec![task(
        "w",
        "while [ ! -e ../../go ]; do sleep 0.05; done",
    )]));
    h.wait_state("w", "TASK_RUNNING");
    wait_until(Duration::from_secs(30), "three 404 answers to WAIT", || {
        h.state.lock().unwrap().waits_404 >= 3
    });
    std::fs::write(h.sandbox.join("go"), "").unwrap();
    h.wait_state("w", "TASK_FINISHED");
    assert_eq!(h.exit_code(), 0, "{}", h.log());
    assert!(h.log().contains("404"), "{}", h.log());
}

fn check_reason(u: &Value) -> bool {
    u["reason"] == "REASON_TASK_CHECK_STATUS_UPDATED" && u["state"] == "TASK_RUNNING"
}

#[test]
fn a_command_check_runs_nested_and_reports_exit_codes_without_killing() {
    let mut h = Harness::new(true);
    h.start(false);
    h.wait_subscribed(1);
    let flag = tempfile::tempdir().unwrap();
    let ready = flag.path().join("ready");
    let mut web = task("web", "sleep 1000");
    web["check"] = json!({"type": "COMMAND",
        "command": {"command": {"value": format!("test -f {} && exit 0; exit 4", ready.display())}},
        "delay_seconds": 0, "interval_seconds": 0.2});
    h.send(launch_group(vec![web, task("side", "sleep 1000")]));
    let first = wait_update(&h, "web", "exit 4", check_reason);
    assert_eq!(
        first["check_status"],
        json!({"type": "COMMAND", "command": {"exit_code": 4}})
    );
    // Before the first result, the task's updates carried none; the task
    // without a check carries no check status.
    let before: Vec<Value> = updates(&h, "web")
        .into_iter()
        .take_while(|u| !check_reason(u))
        .collect();
    assert!(!before.is_empty());
    for u in &before {
        assert_eq!(
            u["check_status"],
            json!({"type": "COMMAND", "command": {}}),
            "{u}"
        );
    }
    assert!(updates(&h, "side")
        .iter()
        .all(|u| u.get("check_status").is_none()));

    std::fs::write(&ready, "").unwrap();
    wait_update(&h, "web", "exit 0", |u| {
        check_reason(u) && u["check_status"]["command"]["exit_code"] == 0
    });
    // One update per change, none for an unchanged result.
    let changes = updates(&h, "web").into_iter().filter(check_reason).count();
    assert_eq!(changes, 2, "{:?}", updates(&h, "web"));
    // The check ran as nested containers of the task's container.
    let task_cid = first["container_status"]["container_id"]["value"].clone();
    {
        let f = h.state.lock().unwrap();
        let checks: Vec<&Value> = f
            .launches
            .iter()
            .map(|l| &l["launch_nested_container"])
            .filter(|l| {
                l["command"]["value"]
                    .as_str()
                    .unwrap_or("")
                    .contains("exit 4")
            })
            .collect();
        assert!(checks.len() >= 2, "{checks:?}");
        assert!(checks
            .iter()
            .all(|c| c["container_id"]["parent"]["value"] == task_cid));
    }
    // A failing check never kills; the terminal update carries the result.
    std::fs::remove_file(&ready).unwrap();
    wait_update(&h, "web", "exit 4 again", |u| {
        check_reason(u) && u["check_status"]["command"]["exit_code"] == 4 && u != &first
    });
    assert!(!h.states("web").iter().any(|s| s == "TASK_KILLED"));
    h.send(json!({"type": "SHUTDOWN"}));
    h.wait_state("web", "TASK_KILLED");
    assert_eq!(h.last("web")["check_status"]["command"]["exit_code"], 4);
    assert_eq!(h.exit_code(), 0, "{}", h.log());
}
