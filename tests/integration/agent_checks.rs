//! General checks (`TaskInfo.check`) run by the agent's command executor:
//! every update of a checked task carries `check_status` (without a result
//! until the first one), each new result comes as a TASK_RUNNING update
//! with reason `REASON_TASK_CHECK_STATUS_UPDATED`, checks never kill, an
//! invalid check is refused with TASK_ERROR, and checks resume after an
//! agent restart without repeating a result. Real master, agent,
//! scheduler-API framework, task processes, and a port the test opens and
//! serves itself; no fixed sleeps.

use std::io::{Read, Write};
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::agent_health::{blocking, master, master_last_status, sandbox, terminal, Fw, DEADLINE};
use crate::common::cluster::{restart_agent, start_agent};
use crate::common::daemons::request;
use crate::common::free_port;
use crate::common::sched::{command_task, res, typed};
use crate::common::wait_until;
use mesos::wire::agent_v1::TaskInfo;

const CHECK_REASON: &str = "REASON_TASK_CHECK_STATUS_UPDATED";

fn check_update(st: &Value) -> bool {
    st["state"] == "TASK_RUNNING" && st["reason"] == CHECK_REASON
}

/// A shell task with a general check.
fn checked_task(id: &str, agent: &Value, cmd: &str, check: Value) -> TaskInfo {
    let mut v = serde_json::to_value(command_task(id, id, agent, cmd, res(0.1, 32.0))).unwrap();
    v["check"] = check;
    typed(&v)
}

/// An HTTP server on `port` answering every request with the status code
/// `code` holds (0: close without answering), counting them in `served`.
fn serve_status(port: u16, code: Arc<AtomicU16>, served: Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut c) = conn else { continue };
            let mut buf = [0u8; 2048];
            let _ = c.read(&mut buf);
            served.fetch_add(1, Ordering::SeqCst);
            let code = code.load(Ordering::SeqCst);
            if code == 0 {
                continue;
            }
            let _ = write!(
                c,
                "HTTP/1.1 {code} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn command_check_results_reach_the_scheduler_and_never_kill() {
    let master = master();
    let agent = blocking(|| start_agent(&master, &[]));
    let mut fw = Fw::new(&master, "checks-command").await;
    // Exit 0 once the test created `ready` in the sandbox, else the check's
    // own variable: run in the sandbox with the check's environment.
    let check = json!({
        "type": "COMMAND",
        "command": {"command": {
            "value": "test -f ready && exit 0; exit $NOT_READY",
            "environment": {"variables": [{"name": "NOT_READY", "value": "3"}]}
        }},
        "delay_seconds": 0, "interval_seconds": 0.2
    });
    fw.launch(|agent| vec![checked_task("web", agent, "sleep 300", check.clone())])
        .await;
    let seen = fw
        .updates_until("web", "first check result", check_update)
        .await;
    let states: Vec<&str> = seen.iter().map(|s| s["state"].as_str().unwrap()).collect();
    assert_eq!(
        states,
        ["TASK_STARTING", "TASK_RUNNING", "TASK_RUNNING"],
        "{seen:#?}"
    );
    // Until the first result, updates carry a check status without one.
    let none = json!({"type": "COMMAND", "command": {}});
    assert_eq!(seen[0]["check_status"], none, "{seen:#?}");
    assert_eq!(seen[1]["check_status"], none, "{seen:#?}");
    let first = &seen[2];
    assert_eq!(
        first["check_status"],
        json!({"type": "COMMAND", "command": {"exit_code": 3}})
    );
    assert_eq!(first["source"], "SOURCE_EXECUTOR");
    assert_ne!(first["uuid"], seen[1]["uuid"]);
    assert_eq!(first["container_status"], seen[1]["container_status"]);

    // A new result is one new update; an unchanged one is none.
    let dir = blocking(|| sandbox(&agent, "web"));
    std::fs::write(dir.join("ready"), "").unwrap();
    let seen = fw.updates_until("web", "exit 0", check_update).await;
    assert_eq!(
        seen.len(),
        1,
        "the same result is not sent again: {seen:#?}"
    );
    assert_eq!(
        seen[0]["check_status"],
        json!({"type": "COMMAND", "command": {"exit_code": 0}})
    );
    // The master keeps it with the task's full statuses (v1 GET_TASKS; the
    // v0 endpoints' statuses carry no check status, as in Mesos).
    blocking(|| {
        wait_until(DEADLINE, "GET_TASKS shows the exit code", || {
            let r = request(
                &master.addr(),
                "POST",
                "/api/v1",
                &[
                    ("content-type", "application/json"),
                    ("accept", "application/json"),
                ],
                br#"{"type": "GET_TASKS"}"#,
            );
            let v: Value = serde_json::from_slice(&r.body).unwrap_or_default();
            let last = v["get_tasks"]["tasks"][0]["statuses"]
                .as_array()
                .and_then(|s| s.last().cloned())
                .unwrap_or_default();
            last["check_status"]["command"]["exit_code"] == 0
        })
    });
    assert!(master_last_status(&master, "web")
        .get("check_status")
        .is_none());

    // A failing check never kills; the task's terminal update carries the
    // last result.
    std::fs::remove_file(dir.join("ready")).unwrap();
    let seen = fw.updates_until("web", "exit 3 again", check_update).await;
    assert_eq!(seen[0]["check_status"]["command"]["exit_code"], 3);
    fw.s.kill("web", None).await.unwrap();
    let seen = fw.updates_until("web", "terminal", terminal).await;
    let killed = seen.last().unwrap();
    assert_eq!(killed["state"], "TASK_KILLED", "{seen:#?}");
    assert_eq!(
        killed["check_status"]["command"]["exit_code"], 3,
        "{killed}"
    );

    // An invalid check is refused with the reason.
    fw.launch(|agent| {
        vec![checked_task(
            "bad",
            agent,
            "sleep 300",
            json!({"type": "HTTP", "http": {"port": 80, "path": "health"}}),
        )]
    })
    .await;
    let seen = fw.updates_until("bad", "terminal", terminal).await;
    let refused = seen.last().unwrap();
    assert_eq!(refused["state"], "TASK_ERROR", "{seen:#?}");
    assert_eq!(
        refused["message"],
        "Task uses invalid check: The path 'health' of HTTP check must start with '/'"
    );
    fw.s.teardown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_and_tcp_checks_report_status_codes_and_connections_across_a_restart() {
    let master = master();
    let agent = blocking(|| start_agent(&master, &[]));
    let mut fw = Fw::new(&master, "checks-network").await;
    let (http_port, tcp_port) = (free_port(), free_port());
    let every = |kind: &str, port: u16| {
        let mut c = json!({"type": kind, "delay_seconds": 0, "interval_seconds": 0.2});
        c[kind.to_lowercase()] = json!({"port": port});
        if kind == "HTTP" {
            c["http"]["path"] = json!("/ready");
        }
        c
    };
    fw.launch(|agent| {
        vec![
            checked_task("web", agent, "sleep 300", every("HTTP", http_port)),
            checked_task("db", agent, "sleep 300", every("TCP", tcp_port)),
        ]
    })
    .await;
    // Nothing listens: a refused connection is a TCP result, while an HTTP
    // check without an answer has none (no update).
    let seen = fw.updates_until("db", "refused", check_update).await;
    assert_eq!(
        seen.last().unwrap()["check_status"],
        json!({"type": "TCP", "tcp": {"succeeded": false}})
    );
    let _listener = std::net::TcpListener::bind(("127.0.0.1", tcp_port)).unwrap();
    let seen = fw.updates_until("db", "connected", check_update).await;
    assert_eq!(
        seen.last().unwrap()["check_status"],
        json!({"type": "TCP", "tcp": {"succeeded": true}})
    );

    let code = Arc::new(AtomicU16::new(503));
    let served = Arc::new(AtomicUsize::new(0));
    serve_status(http_port, code.clone(), served.clone());
    let seen = fw.updates_until("web", "503", check_update).await;
    let states: Vec<&str> = seen.iter().map(|s| s["state"].as_str().unwrap()).collect();
    assert_eq!(
        states,
        ["TASK_STARTING", "TASK_RUNNING", "TASK_RUNNING"],
        "no update before the first answer: {seen:#?}"
    );
    assert_eq!(seen[1]["check_status"], json!({"type": "HTTP", "http": {}}));
    assert_eq!(
        seen[2]["check_status"],
        json!({"type": "HTTP", "http": {"status_code": 503}})
    );

    // After an agent restart the checks go on from the last result: the
    // next new update is the next change, 200 (the 503 update may come
    // again, resent with its uuid if its acknowledgement was not through).
    let sent_503 = seen[2]["uuid"].clone();
    let addr = master.addr();
    let _agent = blocking(|| restart_agent(agent, &addr, &[]));
    // The resumed checker has seen 503 again (two more requests) before
    // the answer changes.
    let before = served.load(Ordering::SeqCst);
    blocking(|| {
        wait_until(DEADLINE, "the resumed checker's requests", || {
            served.load(Ordering::SeqCst) >= before + 2
        })
    });
    code.store(200, Ordering::SeqCst);
    let seen = fw
        .updates_until("web", "200", |st| {
            check_update(st) && st["uuid"] != sent_503
        })
        .await;
    let changes: Vec<&Value> = seen
        .iter()
        .filter(|s| check_update(s) && s["uuid"] != sent_503)
        .collect();
    assert_eq!(changes.len(), 1, "{seen:#?}");
    assert_eq!(
        changes[0]["check_status"],
        json!({"type": "HTTP", "http": {"status_code": 200}}),
        "{seen:#?}"
    );
    for st in &seen {
        assert!(st.get("check_status").is_some(), "{st}");
    }
    fw.s.teardown().await.unwrap();
}
