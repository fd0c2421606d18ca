//! The bundled master and agents as real processes, driven by a v1 HTTP
//! scheduler: tasks run for real in sandboxes, statuses flow reliably,
//! resources are shared by DRF.

use std::time::Duration;

use crate::common::sched::{command_task, subscribe_json, Events, JsonCalls, Scheduler};
use mesos::http::{HttpClient, HttpOptions};
use serde_json::{json, Value};

use crate::common::cluster::{get_json, start_agent, start_master, Daemon};
use crate::common::sched::{next_of, res};

const DEADLINE: Duration = Duration::from_secs(60);

fn client() -> HttpClient {
    HttpClient::new(&HttpOptions::default()).unwrap()
}

async fn subscribe(master: &Daemon, name: &str, caps: &[&str]) -> (Scheduler, Events) {
    let caps: Vec<Value> = caps.iter().map(|c| json!({"type": c})).collect();
    let info = json!({"user": "tester", "name": name, "capabilities": caps});
    let url = reqwest::Url::parse(&master.url()).unwrap();
    let (s, ev, subscribed) = subscribe_json(&client(), &url, info).await.unwrap();
    assert_eq!(subscribed["type"], "SUBSCRIBED");
    (s, ev)
}

/// Launch one shell task on the first offer; collect every status until a
/// terminal one (acknowledging each). Returns (statuses, agent_id).
async fn run_task(
    s: &Scheduler,
    ev: &mut Events,
    id: &str,
    cmd: &str,
    r: Vec<Value>,
) -> (Vec<Value>, String) {
    let offers = next_of(ev, &["OFFERS"]).await;
    let offer = &offers["offers"]["offers"][0];
    let agent_id = offer["agent_id"].clone();
    s.launch_json(
        &[offer["id"].clone()],
        vec![command_task(id, id, &agent_id, cmd, r)],
        0.0,
    )
    .await
    .unwrap();
    let statuses = collect_until_terminal(s, ev, id).await;
    (statuses, agent_id["value"].as_str().unwrap().to_string())
}

/// Launch one shell task on the first offer and acknowledge its updates
/// until it is RUNNING. Returns the offer's `agent_id` object.
async fn launch_until_running(s: &Scheduler, ev: &mut Events, id: &str, cmd: &str) -> Value {
    let offers = next_of(ev, &["OFFERS"]).await;
    let offer = &offers["offers"]["offers"][0];
    let agent_id = offer["agent_id"].clone();
    s.launch_json(
        &[offer["id"].clone()],
        vec![command_task(id, id, &agent_id, cmd, res(0.1, 32.0))],
        0.0,
    )
    .await
    .unwrap();
    loop {
        let u = next_of(ev, &["UPDATE"]).await;
        let st = &u["update"]["status"];
        s.acknowledge_json(st).await.unwrap();
        if st["task_id"]["value"] == id && st["state"] == "TASK_RUNNING" {
            return agent_id;
        }
    }
}

async fn collect_until_terminal(s: &Scheduler, ev: &mut Events, id: &str) -> Vec<Value> {
    let mut statuses = Vec::new();
    loop {
        let u = next_of(ev, &["UPDATE"]).await;
        let st = u["update"]["status"].clone();
        if st["task_id"]["value"] != id {
            continue;
        }
        s.acknowledge_json(&st).await.unwrap();
        let state = st["state"].as_str().unwrap().to_string();
        statuses.push(st);
        if matches!(
            state.as_str(),
            "TASK_FINISHED"
                | "TASK_FAILED"
                | "TASK_KILLED"
                | "TASK_ERROR"
                | "TASK_LOST"
                | "TASK_DROPPED"
        ) {
            return statuses;
        }
    }
}

fn states(statuses: &[Value]) -> Vec<String> {
    statuses
        .iter()
        .map(|s| s["state"].as_str().unwrap().to_string())
        .collect()
}

/// The task's sandbox directory from the agent's state.
fn sandbox(agent: &Daemon, task_id: &str) -> String {
    let st = get_json(&format!("{}/slave(1)/state", agent.url()));
    for key in ["frameworks", "completed_frameworks"] {
        for fw in st[key].as_array().into_iter().flatten() {
            for ek in ["executors", "completed_executors"] {
                for ex in fw[ek].as_array().into_iter().flatten() {
                    if ex["id"] == task_id {
                        return ex["directory"].as_str().unwrap().to_string();
                    }
                }
            }
        }
    }
    panic!("no executor for {task_id} in agent state: {st}");
}

fn read_file(agent: &Daemon, path: &str) -> String {
    let url = reqwest::Url::parse_with_params(
        &format!("{}/files/read", agent.url()),
        &[("path", path), ("offset", "0")],
    )
    .unwrap();
    get_json(url.as_str())["data"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echo_task_finishes_and_its_output_is_in_the_sandbox() {
    let master = start_master(&[]);
    let agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let (s, mut ev) = subscribe(&master, "e2e-echo", &[]).await;
    let (statuses, _) = run_task(
        &s,
        &mut ev,
        "echo-1",
        "echo hello from mesos",
        res(0.1, 32.0),
    )
    .await;
    let mut seen = states(&statuses);
    seen.dedup(); // an unacknowledged update may legitimately be re-sent
    assert_eq!(seen, ["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"]);
    let last = statuses.last().unwrap();
    assert_eq!(last["message"], "Command exited with status 0");
    assert_eq!(last["source"], "SOURCE_EXECUTOR");
    let dir = tokio::task::block_in_place(|| sandbox(&agent, "echo-1"));
    let out = tokio::task::block_in_place(|| read_file(&agent, &format!("{dir}/stdout")));
    assert_eq!(out, "hello from mesos\n");
    // After the acknowledgement the master lists it as completed.
    let url = format!("{}/master/tasks?task_id=echo-1", master.url());
    tokio::task::block_in_place(|| {
        crate::common::wait_until(DEADLINE, "task completed in master", || {
            get_json(&url)["tasks"][0]["state"] == "TASK_FINISHED"
        })
    });
    s.teardown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_task_reports_its_exit_status() {
    let master = start_master(&[]);
    let _agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let (s, mut ev) = subscribe(&master, "e2e-fail", &[]).await;
    let (statuses, _) = run_task(&s, &mut ev, "fail-1", "exit 3", res(0.1, 32.0)).await;
    let last = statuses.last().unwrap();
    assert_eq!(last["state"], "TASK_FAILED");
    assert_eq!(last["message"], "Command exited with status 3");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_task_ends_killed_and_its_processes_are_gone() {
    let master = start_master(&[]);
    let agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let (s, mut ev) = subscribe(&master, "e2e-kill", &["TASK_KILLING_STATE"]).await;
    let cmd = "sleep 300 & echo $! > child.pid; wait";
    let agent_id = launch_until_running(&s, &mut ev, "sleep-1", cmd).await;
    let dir = tokio::task::block_in_place(|| sandbox(&agent, "sleep-1"));
    let pid_file = format!("{dir}/child.pid");
    tokio::task::block_in_place(|| {
        crate::common::wait_until(DEADLINE, "child pid file", || {
            std::fs::read_to_string(&pid_file).is_ok_and(|s| s.trim().parse::<u32>().is_ok())
        })
    });
    let child: u32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(std::path::Path::new(&format!("/proc/{child}")).exists());
    s.kill("sleep-1", agent_id["value"].as_str()).await.unwrap();
    let statuses = collect_until_terminal(&s, &mut ev, "sleep-1").await;
    let st = states(&statuses);
    assert_eq!(st.last().unwrap(), "TASK_KILLED", "{st:?}");
    assert!(st.contains(&"TASK_KILLING".to_string()), "{st:?}");
    // The whole process group is gone, not just the shell.
    tokio::task::block_in_place(|| {
        crate::common::wait_until(DEADLINE, "grandchild gone", || {
            let stat = std::fs::read_to_string(format!("/proc/{child}/stat")).unwrap_or_default();
            stat.is_empty() || stat.split_whitespace().nth(2) == Some("Z")
        })
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_task_is_refused_with_a_clear_reason() {
    let master = start_master(&[]);
    let _agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let (s, mut ev) = subscribe(&master, "e2e-big", &[]).await;
    let (statuses, _) = run_task(&s, &mut ev, "big-1", "true", res(64.0, 32.0)).await;
    let last = statuses.last().unwrap();
    assert_eq!(last["state"], "TASK_ERROR");
    assert_eq!(last["reason"], "REASON_TASK_INVALID");
    assert!(
        last["message"].as_str().unwrap().contains("more resources"),
        "{last}"
    );
    // Nothing was launched: the master lists no such task.
    let tasks = tokio::task::block_in_place(|| {
        get_json(&format!("{}/master/tasks?task_id=big-1", master.url()))
    });
    assert_eq!(tasks["tasks"].as_array().unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_frameworks_share_the_cluster_by_drf() {
    let master = start_master(&[]);
    // Agents with cpus and mem only (ports do not count for DRF), so a task
    // can use one up entirely.
    let r = ["--resources=cpus:2;mem:1024;disk:0"];
    let (_a1, _a2) =
        tokio::task::block_in_place(|| (start_agent(&master, &r), start_agent(&master, &r)));
    // Framework A is alone at first: it is offered both agents.
    let (a, mut a_ev) = subscribe(&master, "drf-a", &[]).await;
    let mut offers: Vec<Value> = Vec::new();
    while offers.len() < 2 {
        let o = next_of(&mut a_ev, &["OFFERS"]).await;
        offers.extend(o["offers"]["offers"].as_array().unwrap().iter().cloned());
    }
    // B subscribes; A takes one whole agent and gives the other back.
    let (_b, mut b_ev) = subscribe(&master, "drf-b", &[]).await;
    let (use_offer, give_back) = (&offers[0], &offers[1]);
    a.launch_json(
        &[use_offer["id"].clone()],
        vec![command_task(
            "hog",
            "hog",
            &use_offer["agent_id"],
            "sleep 300",
            res(2.0, 1024.0),
        )],
        0.0,
    )
    .await
    .unwrap();
    a.decline_json(&[give_back["id"].clone()], 0.0)
        .await
        .unwrap();
    // A holds half the cluster, B none: the agent A gave back goes to B
    // (not back to A), whole.
    let got = loop {
        let o = next_of(&mut b_ev, &["OFFERS"]).await;
        if let Some(x) = o["offers"]["offers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["agent_id"] == give_back["agent_id"])
        {
            break x.clone();
        }
    };
    let cpus = got["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "cpus")
        .unwrap();
    assert_eq!(cpus["scalar"]["value"], 2.0, "{got}");
    a.teardown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconciliation_answers_known_and_unknown_tasks() {
    let master = start_master(&[]);
    let _agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let (s, mut ev) = subscribe(&master, "e2e-reconcile", &["PARTITION_AWARE"]).await;
    launch_until_running(&s, &mut ev, "long-1", "sleep 300").await;
    // Explicit: one known, one unknown task.
    s.reconcile_json(vec![
        json!({"task_id": {"value": "long-1"}}),
        json!({"task_id": {"value": "nope"}}),
    ])
    .await
    .unwrap();
    let mut got = std::collections::BTreeMap::new();
    while got.len() < 2 {
        let u = next_of(&mut ev, &["UPDATE"]).await;
        let st = &u["update"]["status"];
        assert_eq!(st["reason"], "REASON_RECONCILIATION", "{st}");
        assert!(
            st.get("uuid").is_none(),
            "reconciliation answers carry no uuid: {st}"
        );
        got.insert(
            st["task_id"]["value"].as_str().unwrap().to_string(),
            st["state"].as_str().unwrap().to_string(),
        );
    }
    assert_eq!(got["long-1"], "TASK_RUNNING");
    assert_eq!(got["nope"], "TASK_UNKNOWN");
    // Implicit: every known task.
    s.reconcile_json(vec![]).await.unwrap();
    let u = next_of(&mut ev, &["UPDATE"]).await;
    assert_eq!(u["update"]["status"]["task_id"]["value"], "long-1");
    // Killing an unknown task is answered, not ignored.
    s.kill("ghost", None).await.unwrap();
    let u = next_of(&mut ev, &["UPDATE"]).await;
    assert_eq!(u["update"]["status"]["task_id"]["value"], "ghost");
    assert_eq!(u["update"]["status"]["state"], "TASK_UNKNOWN");
    s.teardown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_offers_and_duplicate_ids_are_refused() {
    let master = start_master(&[]);
    let _agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let (s, mut ev) = subscribe(&master, "e2e-invalid", &[]).await;
    let offers = next_of(&mut ev, &["OFFERS"]).await;
    let offer = &offers["offers"]["offers"][0];
    let agent_id = offer["agent_id"].clone();
    // Two tasks with the same id in one ACCEPT: the second is refused.
    s.launch_json(
        &[offer["id"].clone()],
        vec![
            command_task("dup", "a", &agent_id, "sleep 300", res(0.1, 32.0)),
            command_task("dup", "b", &agent_id, "sleep 300", res(0.1, 32.0)),
        ],
        0.0,
    )
    .await
    .unwrap();
    let mut errors = Vec::new();
    while errors.is_empty() {
        let u = next_of(&mut ev, &["UPDATE"]).await;
        let st = u["update"]["status"].clone();
        s.acknowledge_json(&st).await.unwrap();
        if st["state"] == "TASK_ERROR" {
            errors.push(st);
        }
    }
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("duplicate ID"),
        "{}",
        errors[0]
    );
    // The same offer again: it is gone, so the launch is LOST with INVALID_OFFERS.
    s.launch_json(
        &[offer["id"].clone()],
        vec![command_task(
            "late",
            "late",
            &agent_id,
            "true",
            res(0.1, 32.0),
        )],
        0.0,
    )
    .await
    .unwrap();
    loop {
        let u = next_of(&mut ev, &["UPDATE"]).await;
        let st = &u["update"]["status"];
        if st["task_id"]["value"] == "late" {
            assert_eq!(st["state"], "TASK_LOST", "{st}");
            assert_eq!(st["reason"], "REASON_INVALID_OFFERS", "{st}");
            break;
        }
        s.acknowledge_json(st).await.unwrap();
    }
    s.teardown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unused_offers_are_rescinded_after_offer_timeout() {
    let master = start_master(&["--offer_timeout=1secs"]);
    let _agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let (s, mut ev) = subscribe(&master, "e2e-rescind", &[]).await;
    let offers = next_of(&mut ev, &["OFFERS"]).await;
    let oid = offers["offers"]["offers"][0]["id"].clone();
    let r = next_of(&mut ev, &["RESCIND"]).await;
    assert_eq!(r["rescind"]["offer_id"], oid);
    // And the resources come back in a new offer.
    let again = next_of(&mut ev, &["OFFERS"]).await;
    assert_ne!(again["offers"]["offers"][0]["id"], oid);
    s.teardown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn framework_with_failover_timeout_can_resubscribe_and_keep_its_tasks() {
    let master = start_master(&[]);
    let _agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let url = reqwest::Url::parse(&master.url()).unwrap();
    let info = json!({"user": "tester", "name": "e2e-failover", "failover_timeout": 60.0});
    let (s, mut ev, _) = subscribe_json(&client(), &url, info.clone()).await.unwrap();
    launch_until_running(&s, &mut ev, "keep", "sleep 300").await;
    // Drop the connection: the framework stays (disconnected), tasks keep running.
    let fid = s.framework_id.clone();
    drop(ev);
    drop(s);
    let state_url = format!("{}/master/frameworks", master.url());
    tokio::task::block_in_place(|| {
        crate::common::wait_until(DEADLINE, "framework disconnected", || {
            let f = get_json(&state_url);
            f["frameworks"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["id"] == fid.as_str() && x["connected"] == false)
        })
    });
    let mut info2 = info.clone();
    info2["id"] = json!({"value": fid});
    let (s2, mut ev2, sub) = subscribe_json(&client(), &url, info2).await.unwrap();
    assert_eq!(sub["subscribed"]["framework_id"]["value"], fid.as_str());
    s2.reconcile_json(vec![]).await.unwrap();
    let u = next_of(&mut ev2, &["UPDATE"]).await;
    assert_eq!(u["update"]["status"]["task_id"]["value"], "keep");
    assert_eq!(u["update"]["status"]["state"], "TASK_RUNNING");
    s2.teardown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn master_stops_promptly_on_sigterm_with_a_scheduler_connected() {
    let mut master = start_master(&[]);
    let (_s, mut ev) = subscribe(&master, "e2e-sigterm", &[]).await;
    let start = std::time::Instant::now();
    let status = tokio::task::block_in_place(|| master.terminate());
    assert!(status.success(), "exit status {status}:\n{}", master.log());
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "took {:?}",
        start.elapsed()
    );
    // The scheduler sees its stream end rather than hang.
    let end = tokio::time::timeout(DEADLINE, async {
        loop {
            match ev.next_json().await {
                Ok(Some(_)) => continue,
                other => return other,
            }
        }
    })
    .await
    .expect("stream ends");
    assert!(end.is_err() || end.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_a_reregistering_agent_does_not_report_are_lost() {
    let master = start_master(&[]);
    let agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let (s, mut ev) = subscribe(&master, "e2e-missing", &[]).await;
    let agent_id = launch_until_running(&s, &mut ev, "gone", "sleep 300").await;
    let agent_id = agent_id["value"].as_str().unwrap().to_string();
    // The agent re-registers under its id but reports no task (as if its
    // checkpoint were lost).
    let reg = json!({
        "agent_id": agent_id, "hostname": "127.0.0.1", "ip": "127.0.0.1", "port": agent.port,
        "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 2.0}},
                      {"name": "mem", "type": "SCALAR", "scalar": {"value": 1024.0}}],
        "attributes": [], "version": "1.11.0", "tasks": [], "frameworks": []
    });
    let r = reqwest::Client::new()
        .post(format!("{}/master/internal/register", master.url()))
        .json(&reg)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let u = next_of(&mut ev, &["UPDATE"]).await;
    let st = &u["update"]["status"];
    assert_eq!(st["task_id"]["value"], "gone", "{st}");
    assert_eq!(st["state"], "TASK_LOST", "{st}");
    assert_eq!(st["reason"], "REASON_RECONCILIATION", "{st}");
    assert!(st.get("uuid").is_none(), "{st}");
    // Its resources are free again: the agent's used cpus are back to 0.
    let url = format!("{}/master/slaves", master.url());
    tokio::task::block_in_place(|| {
        crate::common::wait_until(DEADLINE, "resources released", || {
            get_json(&url)["slaves"][0]["used_resources"]["cpus"] == 0.0
        })
    });
    s.teardown().await.unwrap();
}
