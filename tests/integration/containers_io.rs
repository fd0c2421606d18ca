//! Nested containers across agent restarts and their I/O: a session dies
//! with its connection (also when an agent restart closed it), a plain
//! nested container with a TTY keeps its switchboard (attach, detach,
//! attach again, after a restart too), and GET_CONTAINERS measures nested
//! containers like top-level ones.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use crate::common::cluster::{restart_agent, start_agent, start_master, Daemon};
use crate::containers::{
    api, attach_input, call, client, nested_id, read_output, running_task, session, stdin,
    wait_nested, Output, DEADLINE,
};

/// A process exists and is not a zombie.
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            let rest = s[s.rfind(')')? + 1..].trim_start().to_string();
            rest.chars().next()
        })
        .is_some_and(|state| state != 'Z' && state != 'X')
}

async fn restart(master: &Daemon, agent: Daemon) -> Daemon {
    let addr = master.addr();
    tokio::task::spawn_blocking(move || restart_agent(agent, &addr, &[]))
        .await
        .unwrap()
}

async fn attach_output(agent: &Daemon, id: &Value) -> Output {
    let resp = client()
        .stream_request(Method::POST, api(agent))
        .header("Content-Type", "application/json")
        .header("Accept", "application/recordio")
        .header("Message-Accept", "application/json")
        .body(
            json!({"type": "ATTACH_CONTAINER_OUTPUT", "attach_container_output": {"container_id": id}})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    Output::new(resp)
}

/// GET_CONTAINERS with nested containers.
async fn containers(agent: &Daemon) -> Value {
    let (status, body) = call(
        agent,
        json!({"type": "GET_CONTAINERS", "get_containers": {"show_nested": true}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn nested_entry<'a>(v: &'a Value, value: &str) -> Option<&'a Value> {
    v["get_containers"]["containers"]
        .as_array()?
        .iter()
        .find(|c| c["container_id"]["value"] == value && c["container_id"]["parent"].is_object())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_destroyed_when_an_agent_restart_closes_their_connection() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let (_s, _ev, task_cid) = running_task(&master, &agent, "holder").await;

    // A session that ended before the restart.
    let ended = nested_id("ended", &task_cid);
    let resp = session(&agent, &ended, json!({"value": "exit 3"}), None).await;
    assert_eq!(resp.status().as_u16(), 200);
    read_output(resp, None).await;

    // A live session with a child process, its connection open.
    let live = nested_id("debug", &task_cid);
    let resp = session(
        &agent,
        &live,
        json!({"value": "sleep 301 & echo pids $$ $! end; wait"}),
        None,
    )
    .await;
    assert_eq!(resp.status().as_u16(), 200);
    let mut output = Output::new(resp);
    let (out, _) = output.read(Some(" end")).await;
    let pids: Vec<u32> = out
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(pids.len(), 2, "{out:?}");
    assert!(pids.iter().all(|p| alive(*p)), "{pids:?}");

    let agent = restart(&master, agent).await;
    drop(output);
    // The restarted agent destroyed the session: WAIT answers SIGKILL and
    // nothing of it is left.
    let (status, w) = wait_nested(&agent, &live).await;
    assert_eq!(status, 200, "{w}");
    assert_eq!(w["wait_nested_container"]["exit_status"], 9, "{w}");
    for pid in &pids {
        assert!(
            !alive(*pid),
            "process {pid} of the session is still running"
        );
    }
    let v = containers(&agent).await;
    assert!(nested_entry(&v, "debug").is_none(), "{v}");
    // The session that had ended is known with its own status.
    let (status, w) = wait_nested(&agent, &ended).await;
    assert_eq!(status, 200, "{w}");
    assert_eq!(w["wait_nested_container"]["exit_status"], 3 << 8, "{w}");

    // Its termination is checkpointed: another restart still answers it,
    // and REMOVE forgets it.
    let agent = restart(&master, agent).await;
    let (status, w) = wait_nested(&agent, &live).await;
    assert_eq!(status, 200, "{w}");
    assert_eq!(w["wait_nested_container"]["exit_status"], 9, "{w}");
    let (status, body) = call(
        &agent,
        json!({"type": "REMOVE_NESTED_CONTAINER", "remove_nested_container": {"container_id": live}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, w) = wait_nested(&agent, &live).await;
    assert_eq!(status, 404, "{w}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_nested_container_with_a_tty_outlives_its_attachments_and_a_restart() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let (_s, _ev, task_cid) = running_task(&master, &agent, "terminal").await;
    let id = nested_id("shell", &task_cid);
    let (status, body) = call(
        &agent,
        json!({"type": "LAUNCH_NESTED_CONTAINER", "launch_nested_container": {
            "container_id": id, "command": {"value": "sh"},
            "container": {"type": "MESOS", "tty_info": {"window_size": {"rows": 30, "columns": 100}}}}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // The launch call returned and the container is up; attach to it.
    let mut output = attach_output(&agent, &id).await;
    let (tx, input) = attach_input(&agent, &id);
    tx.send(stdin(b"echo $((6 * 7)); stty size\n")).unwrap();
    let (out, err) = output.read(Some("30 100")).await;
    assert!(out.contains("42"), "{out:?}");
    assert_eq!(err, "");
    // Detach both.
    drop(tx);
    let (status, body) = tokio::time::timeout(DEADLINE, input)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status, 200, "{body}");
    drop(output);
    let v = containers(&agent).await;
    assert!(nested_entry(&v, "shell").is_some(), "{v}");

    // The restarted agent attaches to the same terminal.
    let agent = restart(&master, agent).await;
    let mut output = attach_output(&agent, &id).await;
    let (tx, input) = attach_input(&agent, &id);
    tx.send(stdin(b"echo $((7 * 8)); exit 4\n")).unwrap();
    let (out, _) = output.read(None).await;
    assert!(out.contains("56"), "{out:?}");
    drop(tx);
    let (status, _) = tokio::time::timeout(DEADLINE, input)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status, 200);
    let (status, w) = wait_nested(&agent, &id).await;
    assert_eq!(status, 200, "{w}");
    assert_eq!(w["wait_nested_container"]["exit_status"], 4 << 8, "{w}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_containers_measures_nested_containers() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &["--container_disk_watch_interval=1secs"]);
    let (_s, _ev, task_cid) = running_task(&master, &agent, "measured").await;
    let id = nested_id("busy", &task_cid);
    // It burns CPU and writes 2 MiB into its own sandbox.
    let (status, body) = call(
        &agent,
        json!({"type": "LAUNCH_NESTED_CONTAINER", "launch_nested_container": {
            "container_id": id, "command": {"value":
                "head -c 2097152 /dev/urandom > blob && while :; do :; done"}}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let end = tokio::time::Instant::now() + DEADLINE;
    let mut seen = Value::Null;
    let stats = loop {
        let v = containers(&agent).await;
        if let Some(c) = nested_entry(&v, "busy") {
            let s = c["resource_statistics"].clone();
            let user = s["cpus_user_time_secs"].as_f64().unwrap_or(0.0);
            let rss = s["mem_rss_bytes"].as_u64().unwrap_or(0);
            let disk = s["disk_used_bytes"].as_u64().unwrap_or(0);
            if user > 0.0 && rss > 0 && disk >= 2 << 20 {
                break s;
            }
            seen = s;
        }
        assert!(
            tokio::time::Instant::now() < end,
            "no usage of the busy nested container; last statistics seen: {seen}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(stats["processes"].as_u64().unwrap() >= 1, "{stats}");
    assert!(stats["threads"].as_u64().unwrap() >= 1, "{stats}");
    assert!(stats["timestamp"].as_f64().unwrap() > 0.0, "{stats}");
    // Nested containers have no resources of their own: no limits.
    assert!(stats.get("cpus_limit").is_none(), "{stats}");
    // Without show_nested, only the task's container.
    let (_, body) = call(&agent, json!({"type": "GET_CONTAINERS"})).await;
    assert!(!body.contains(r#""value":"busy""#), "{body}");
    let (status, _) = call(
        &agent,
        json!({"type": "KILL_NESTED_CONTAINER", "kill_nested_container": {"container_id": id}}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, w) = wait_nested(&agent, &id).await;
    assert_eq!(w["wait_nested_container"]["exit_status"], 9, "{w}");
}
