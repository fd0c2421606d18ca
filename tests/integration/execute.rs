//! `mesos execute`, `mesos kill`, `mesos teardown` against the bundled
//! master and agents (real processes). Protocol-level behaviour (ACCEPT,
//! ACKNOWLEDGE, TEARDOWN) is checked through the master's own state, metrics
//! and log.

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::cluster::{get_json, start_agent, start_master, Daemon};
use crate::common::{wait_until, Run, TestEnv};

const DEADLINE: Duration = Duration::from_secs(60);

fn execute(env: &TestEnv, master: &Daemon, args: &[&str]) -> Run {
    let addr = master.addr();
    let mut a = vec!["execute", "--master", addr.as_str()];
    a.extend_from_slice(args);
    env.run(&a)
}

fn frameworks(master: &Daemon) -> Value {
    get_json(&format!("{}/master/frameworks", master.url()))
}

/// The completed framework with this id (panics if it is still registered).
fn completed_framework(master: &Daemon, fid: &str) -> Value {
    let fws = frameworks(master);
    assert!(
        !fws["frameworks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == fid),
        "framework {fid} is still registered: {fws}"
    );
    fws["completed_frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == fid)
        .cloned()
        .unwrap_or_else(|| panic!("framework {fid} not in completed_frameworks: {fws}"))
}

fn metric(master: &Daemon, name: &str) -> f64 {
    get_json(&format!("{}/metrics/snapshot", master.url()))[name]
        .as_f64()
        .unwrap_or(-1.0)
}

/// The framework id printed on stderr (`framework <id> (...) subscribed`).
fn framework_id(r: &Run) -> String {
    r.stderr
        .lines()
        .find_map(|l| {
            l.strip_prefix("framework ")
                .and_then(|x| x.split_whitespace().next())
        })
        .unwrap_or_else(|| panic!("no framework id in stderr:\n{}", r.stderr))
        .to_string()
}

/// The framework removed itself with a TEARDOWN call (not by disconnecting).
fn assert_torn_down_by_call(master: &Daemon, fid: &str) {
    let log = master.log();
    assert!(
        log.lines()
            .any(|l| l.contains(&format!("Removing framework {fid}"))
                && l.contains("Framework requested teardown")),
        "no TEARDOWN call for {fid} in the master log:\n{log}"
    );
}

/// No framework left registered and no outstanding offers.
fn assert_nothing_leaked(master: &Daemon) {
    let fws = frameworks(master);
    assert_eq!(fws["frameworks"].as_array().unwrap().len(), 0, "{fws}");
    assert_eq!(metric(master, "master/outstanding_offers"), 0.0);
}

#[test]
fn echo_task_follows_output_and_exits_0_after_accept_ack_teardown() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new();
    let r = execute(
        &env,
        &master,
        &[
            "--name",
            "hello",
            "--command",
            "echo hello from the task; echo to-stderr >&2",
            "--follow",
        ],
    );
    r.assert_ok();
    assert_eq!(r.stdout, "hello from the task\n", "stderr:\n{}", r.stderr);
    assert!(r.stderr.contains("to-stderr"), "{}", r.stderr);
    for s in [
        "task hello: submitted to agent",
        "task hello: TASK_RUNNING",
        "task hello: TASK_FINISHED",
    ] {
        assert!(r.stderr.contains(s), "missing '{s}' in:\n{}", r.stderr);
    }
    let fid = framework_id(&r);
    let fw = completed_framework(&master, &fid);
    assert_eq!(fw["name"], "mesos-execute");
    let task = &fw["completed_tasks"][0];
    assert_eq!(task["id"], "hello");
    assert_eq!(task["state"], "TASK_FINISHED");
    // ACKNOWLEDGE: the terminal update was acknowledged (nothing pending).
    assert!(
        task.get("status_update_uuid").is_none(),
        "unacknowledged update: {task}"
    );
    // ACCEPT with LAUNCH, then TEARDOWN.
    assert!(metric(&master, "master/messages_launch_tasks") >= 1.0);
    assert_torn_down_by_call(&master, &fid);
    assert_nothing_leaked(&master);
}

#[test]
fn exit_status_of_a_failed_command_is_the_exit_code() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new();
    let r = execute(&env, &master, &["--name", "seven", "--command", "exit 7"]);
    r.assert_code(7);
    assert!(r.stderr.contains("TASK_FAILED"), "{}", r.stderr);
    assert!(
        r.stderr.contains("error: task seven TASK_FAILED"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("Command exited with status 7"),
        "{}",
        r.stderr
    );
    let fid = framework_id(&r);
    let fw = completed_framework(&master, &fid);
    assert!(fw["completed_tasks"][0].get("status_update_uuid").is_none());
    assert_torn_down_by_call(&master, &fid);
    // Rough edge 12: a task exiting 3 looks like the tool's "partial"
    // exit code; --json says whose code it is.
    let r = execute(&env, &master, &["--json", "--command", "exit 3"]);
    r.assert_code(3);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["exit_code"], 3, "{doc}");
    assert_eq!(doc["exit_code_source"], "task", "{doc}");
    assert_eq!(doc["tasks"][0]["exit_status"], 3, "{doc}");
}

#[test]
fn kill_after_ends_killed_with_a_nonzero_code() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new();
    let start = Instant::now();
    let r = execute(
        &env,
        &master,
        &[
            "--name",
            "sleepy",
            "--command",
            "sleep 60",
            "--kill-after",
            "1s",
        ],
    );
    r.assert_code(1);
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "took {:?}",
        start.elapsed()
    );
    assert!(
        r.stderr.contains("killing it after --kill-after"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("task sleepy: TASK_KILLED"),
        "{}",
        r.stderr
    );
    let fid = framework_id(&r);
    assert_eq!(
        completed_framework(&master, &fid)["completed_tasks"][0]["state"],
        "TASK_KILLED"
    );
}

#[test]
fn impossible_resources_fail_within_the_offer_timeout_with_the_reason() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new();
    let start = Instant::now();
    let r = execute(
        &env,
        &master,
        &[
            "-q",
            "--resources",
            "cpus:64;mem:32",
            "--offer-timeout",
            "2s",
            "--command",
            "true",
        ],
    );
    let took = start.elapsed();
    r.assert_code(1).assert_clean_error();
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(10),
        "took {took:?}"
    );
    assert!(r.stderr.contains("--offer-timeout"), "{}", r.stderr);
    assert!(r.stderr.contains("not enough resources"), "{}", r.stderr);
    assert!(r.stderr.contains("cpus 2 < 64"), "{}", r.stderr);
    // Offers were declined (not kept) and the framework is gone.
    assert!(metric(&master, "master/messages_decline_offers") >= 1.0);
    assert_nothing_leaked(&master);
}

#[test]
fn no_agents_is_named_as_the_reason() {
    let master = start_master(&[]);
    let env = TestEnv::new();
    let r = execute(
        &env,
        &master,
        &["-q", "--offer-timeout", "1s", "--command", "true"],
    );
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("no agents are registered"),
        "{}",
        r.stderr
    );
    assert_nothing_leaked(&master);
}

#[test]
fn constraints_pick_the_matching_agent_or_name_the_unmet_one() {
    let master = start_master(&[]);
    let _a1 = start_agent(
        &master,
        &["--attributes=rack:r1;gen:1", "--hostname=node-r1"],
    );
    let _a2 = start_agent(
        &master,
        &["--attributes=rack:r2;gen:2", "--hostname=node-r2"],
    );
    let env = TestEnv::new();
    for (c, host) in [
        ("rack:r2", "node-r2"),
        ("rack:r1", "node-r1"),
        ("gen:2", "node-r2"),
        ("hostname:node-r1", "node-r1"),
    ] {
        let r = execute(
            &env,
            &master,
            &["--json", "--constraint", c, "--command", "true"],
        );
        r.assert_ok();
        let doc: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(
            doc["tasks"][0]["agent_hostname"], host,
            "--constraint {c}: {doc}"
        );
        assert_eq!(doc["tasks"][0]["state"], "TASK_FINISHED");
    }
    let r = execute(
        &env,
        &master,
        &[
            "-q",
            "--constraint",
            "rack:r9",
            "--offer-timeout",
            "2s",
            "--command",
            "true",
        ],
    );
    r.assert_code(1).assert_clean_error();
    assert!(r.stderr.contains("constraint unmet"), "{}", r.stderr);
    assert!(
        r.stderr.contains("rack is r1, not r9") && r.stderr.contains("rack is r2, not r9"),
        "{}",
        r.stderr
    );
}

#[test]
fn instances_run_in_one_framework_and_all_finish() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new();
    let r = execute(
        &env,
        &master,
        &[
            "--json",
            "--name",
            "batch",
            "--instances",
            "5",
            "--command",
            "echo $MESOS_TASK_ID",
        ],
    );
    r.assert_ok();
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let tasks = doc["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 5);
    let ids: Vec<&str> = tasks
        .iter()
        .map(|t| t["task_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["batch-1", "batch-2", "batch-3", "batch-4", "batch-5"]);
    assert!(
        tasks
            .iter()
            .all(|t| t["state"] == "TASK_FINISHED" && t["exit_status"] == 0),
        "{doc}"
    );
    let fid = doc["framework_id"].as_str().unwrap();
    let fw = completed_framework(&master, fid);
    assert_eq!(fw["completed_tasks"].as_array().unwrap().len(), 5);
    assert_eq!(doc["exit_code"], 0);
    // Some failing: partial (3).
    let r = execute(
        &env,
        &master,
        &[
            "-q",
            "--name",
            "p",
            "--instances",
            "3",
            "--command",
            "[ \"$MESOS_TASK_ID\" != p-2 ]",
        ],
    );
    r.assert_code(3);
    assert!(
        r.stderr
            .contains("1 of 3 tasks failed: task p-2 TASK_FAILED"),
        "{}",
        r.stderr
    );
    // The same exit code, but the tool's own: --json tells them apart.
    let r = execute(
        &env,
        &master,
        &[
            "-q",
            "--json",
            "--name",
            "q",
            "--instances",
            "2",
            "--command",
            "[ \"$MESOS_TASK_ID\" != q-2 ]",
        ],
    );
    r.assert_code(3);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["exit_code_source"], "mesos", "{doc}");
    assert_eq!(doc["tasks"][1]["exit_status"], 1, "{doc}");
}

#[test]
fn task_json_is_launched_without_an_agent_id() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new();
    let path = env.home().join("task.json");
    let task = json!({
        "name": "from-json",
        "task_id": {"value": "json-1"},
        "command": {"value": "echo $GREETING", "environment": {"variables": [{"name": "GREETING", "value": "hi json"}]}},
        "resources": [
            {"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.2}},
            {"name": "mem", "type": "SCALAR", "scalar": {"value": 16}}
        ]
    });
    std::fs::write(&path, task.to_string()).unwrap();
    let r = execute(
        &env,
        &master,
        &["--task", path.to_str().unwrap(), "--follow"],
    );
    r.assert_ok();
    assert_eq!(r.stdout, "hi json\n");
    assert!(
        r.stderr.contains("task json-1: TASK_FINISHED"),
        "{}",
        r.stderr
    );
    // Inline JSON works too.
    let r = execute(
        &env,
        &master,
        &[
            "-q",
            "--task",
            r#"{"name": "inline", "command": {"value": "true"}}"#,
        ],
    );
    r.assert_ok();
}

#[test]
fn task_group_runs_under_the_default_executor_to_the_end() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new();
    let group = json!({"tasks": [
        {"name": "g1", "task_id": {"value": "g1"}, "command": {"value": "true"}},
        {"name": "g2", "task_id": {"value": "g2"}, "command": {"value": "echo hi"}}
    ]});
    let r = execute(&env, &master, &["--task-group", &group.to_string()]);
    r.assert_ok();
    assert!(
        r.stderr.contains("task group [g1, g2]: submitted to agent"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("TASK_FINISHED"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"));
    assert_nothing_leaked(&master);
}

#[test]
fn task_group_with_a_bad_task_is_refused_whole() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new();
    // The master refuses the whole group for one bad task (as Mesos: a
    // Docker container on a task of a group).
    let group = json!({"tasks": [
        {"name": "g1", "task_id": {"value": "g1"}, "command": {"value": "true"}},
        {"name": "g2", "task_id": {"value": "g2"}, "command": {"value": "true"},
         "container": {"type": "DOCKER", "docker": {"image": "alpine"}}}
    ]});
    let r = execute(&env, &master, &["--task-group", &group.to_string()]);
    r.assert_code(1);
    assert!(
        r.stderr.contains("task group [g1, g2]: submitted to agent"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("error: 2 of 2 tasks failed: tasks g1, g2 TASK_ERROR (REASON_TASK_GROUP_INVALID): Task 'g2' is invalid: Docker ContainerInfo is not supported on the task"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"));
    assert_nothing_leaked(&master);
}

#[test]
fn docker_image_without_a_docker_containerizer_fails_clearly() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new();
    let r = execute(
        &env,
        &master,
        &[
            "-q",
            "--docker-image",
            "alpine:3",
            "--offer-timeout",
            "2s",
            "--command",
            "true",
        ],
    );
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("no agent offers a Docker containerizer"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--containerizers=mesos"), "{}", r.stderr);
    // Nothing was launched on the mesos-only agent.
    assert_eq!(metric(&master, "master/messages_launch_tasks"), 0.0);
}

#[test]
fn detach_then_kill_resubscribes_and_tears_down() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new();
    let r = execute(
        &env,
        &master,
        &["--detach", "--name", "web", "--command", "sleep 120"],
    );
    r.assert_ok();
    assert_eq!(r.stdout, "web\n");
    let fid = framework_id(&r);
    // The failover timeout (1d) as a person says it.
    assert!(
        r.stderr
            .contains(&format!("framework {fid} stays registered for 1 day;")),
        "{}",
        r.stderr
    );
    // Still registered, disconnected, with a failover timeout, task running.
    let fws = frameworks(&master);
    let fw = fws["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == fid.as_str())
        .expect("registered");
    assert_eq!(fw["connected"], false);
    assert_eq!(fw["failover_timeout"], 86400.0);
    assert_eq!(fw["tasks"][0]["state"], "TASK_RUNNING");
    let k = env.run(&["kill", "--master", &master.addr(), "web", "--json"]);
    k.assert_ok();
    let doc: Value = serde_json::from_str(&k.stdout).unwrap();
    assert_eq!(doc[0]["task_id"], "web");
    assert_eq!(doc[0]["state"], "TASK_KILLED");
    assert_eq!(doc[0]["result"], "killed");
    assert!(
        k.stderr
            .contains(&format!("re-subscribed as framework {fid}")),
        "{}",
        k.stderr
    );
    let fw = completed_framework(&master, &fid);
    assert_eq!(fw["completed_tasks"][0]["state"], "TASK_KILLED");
    assert!(fw["completed_tasks"][0].get("status_update_uuid").is_none());
    assert_torn_down_by_call(&master, &fid);
    assert!(master
        .log()
        .contains(&format!("Framework {fid} (mesos-execute) re-subscribed")));
    // Killing it again: it is already dead.
    let k = env.run(&["kill", "--master", &master.addr(), "web"]);
    k.assert_ok();
    assert!(k.stderr.contains("already TASK_KILLED"), "{}", k.stderr);
    // Unknown task: not found.
    env.run(&["kill", "--master", &master.addr(), "no-such-task"])
        .assert_code(4)
        .assert_clean_error();
}

/// Issue 12, rough edge 4: `kill` selects tasks as every task command does
/// (two matches are an ambiguity error listing both) and reports one entry
/// per argument, with the error, in --json.
#[test]
fn kill_selects_like_other_task_commands_and_reports_every_argument() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new();
    for name in ["job-1", "job-2"] {
        execute(
            &env,
            &master,
            &["--detach", "--name", name, "--command", "sleep 120"],
        )
        .assert_ok();
    }
    let m = master.addr();
    // `job` is a prefix of both: ambiguous, both candidates named.
    let k = env.run(&["kill", "--master", &m, "job"]);
    k.assert_code(4).assert_clean_error();
    assert!(
        k.stderr.contains("2 tasks match")
            && k.stderr.contains("job-1")
            && k.stderr.contains("job-2"),
        "{}",
        k.stderr
    );
    // One entry per argument, in order, the missing one with its error;
    // exit 3 since only some could be killed.
    let k = env.run(&["kill", "--master", &m, "job-1", "nosuch", "--json"]);
    k.assert_code(3);
    let doc: Value = serde_json::from_str(&k.stdout).unwrap();
    let entries = doc.as_array().unwrap();
    assert_eq!(entries.len(), 2, "{doc}");
    assert_eq!(entries[0]["argument"], "job-1");
    assert_eq!(entries[0]["task_id"], "job-1");
    assert_eq!(entries[0]["result"], "killed");
    assert_eq!(entries[0]["state"], "TASK_KILLED");
    assert_eq!(entries[1]["argument"], "nosuch");
    assert_eq!(entries[1]["result"], "failed");
    assert!(entries[1]["task_id"].is_null(), "{doc}");
    assert!(
        entries[1]["error"]
            .as_str()
            .unwrap()
            .contains("no task matches 'nosuch'"),
        "{doc}"
    );
    // Now `job` selects the one task still running (a glob works too).
    let k = env.run(&["kill", "--master", &m, "job*", "--json"]);
    k.assert_ok();
    let doc: Value = serde_json::from_str(&k.stdout).unwrap();
    assert_eq!(doc[0]["task_id"], "job-2", "{doc}");
    // Rough edge 5: completed tasks of removed (torn-down) frameworks are
    // shown with the framework's name, not its id or "".
    let p = env.run(&["ps", "--master", &m, "-i", "job", "--no-usage", "--json"]);
    p.assert_ok();
    let doc: Value = serde_json::from_str(&p.stdout).unwrap();
    assert_eq!(doc.as_array().unwrap().len(), 2, "{doc}");
    for t in doc.as_array().unwrap() {
        assert_eq!(t["state"], "TASK_KILLED", "{doc}");
        assert_eq!(t["framework"], "mesos-execute", "{doc}");
    }
    let p = env.run(&["ps", "--master", &m, "-i", "job", "--no-usage"]);
    p.assert_ok();
    assert!(p.stdout.contains("mesos-execute"), "{}", p.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_of_other_frameworks_are_refused_and_teardown_removes_them() {
    use crate::common::sched::{command_task, subscribe_json, JsonCalls};
    use mesos::http::{HttpClient, HttpOptions};
    let master = start_master(&[]);
    let _agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let http = HttpClient::new(&HttpOptions::default()).unwrap();
    let url = reqwest::Url::parse(&master.url()).unwrap();
    let info = json!({"user": "tester", "name": "other-scheduler", "failover_timeout": 600.0});
    let (s, mut ev, _) = subscribe_json(&http, &url, info).await.unwrap();
    let offers = loop {
        let e = ev.next_json().await.unwrap().unwrap();
        if e["type"] == "OFFERS" {
            break e;
        }
    };
    let offer = &offers["offers"]["offers"][0];
    let res = vec![
        json!({"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}}),
        json!({"name": "mem", "type": "SCALAR", "scalar": {"value": 32.0}}),
    ];
    let t = command_task("theirs", "theirs", &offer["agent_id"], "sleep 120", res);
    s.launch_json(&[offer["id"].clone()], vec![t], 0.0)
        .await
        .unwrap();
    let fid = s.framework_id.clone();
    // Acknowledge updates like a real scheduler (the agent sends the next
    // update only after the previous one was acknowledged).
    let acker = s.clone();
    tokio::spawn(async move {
        while let Ok(Some(e)) = ev.next_json().await {
            if e["type"] == "UPDATE" {
                let _ = acker.acknowledge_json(&e["update"]["status"]).await;
            }
        }
    });
    let env = TestEnv::new();
    let m = master.addr();
    tokio::task::block_in_place(|| {
        wait_until(DEADLINE, "task running", || {
            get_json(&format!("{}/master/tasks?task_id=theirs", master.url()))["tasks"][0]["state"]
                == "TASK_RUNNING"
        });
        let k = env.run(&["kill", "--master", &m, "theirs"]);
        k.assert_code(1).assert_clean_error();
        assert!(
            k.stderr.contains("through that framework's scheduler"),
            "{}",
            k.stderr
        );
        assert!(
            k.stderr.contains(&format!(
                "hint: operators can remove the framework with all its tasks: mesos teardown {fid}"
            )),
            "{}",
            k.stderr
        );
        let t = env.run(&[
            "teardown",
            "--master",
            &m,
            "--yes",
            "other-scheduler",
            "--json",
        ]);
        t.assert_ok();
        let doc: Value = serde_json::from_str(&t.stdout).unwrap();
        assert_eq!(
            doc,
            json!([{"framework_id": fid, "name": "other-scheduler", "tasks": 1, "result": "torn down"}])
        );
        let fw = completed_framework(&master, &fid);
        assert_eq!(fw["completed_tasks"][0]["state"], "TASK_KILLED");
        env.run(&["teardown", "--master", &m, "--yes", "nothing-like-it"])
            .assert_code(4)
            .assert_clean_error();
    });
}

#[test]
fn sigint_kills_the_task_and_tears_the_framework_down() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new();
    let child = env
        .command(&[
            "execute",
            "--master",
            &master.addr(),
            "--name",
            "interrupted",
            "--command",
            "sleep 120",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let tasks_url = format!("{}/master/tasks?task_id=interrupted", master.url());
    wait_until(DEADLINE, "task running", || {
        get_json(&tasks_url)["tasks"][0]["state"] == "TASK_RUNNING"
    });
    let start = Instant::now();
    let st = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "stderr:\n{stderr}");
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
    assert!(
        stderr.contains("interrupted: killing 1 task(s)"),
        "{stderr}"
    );
    assert!(stderr.contains("task interrupted: TASK_KILLED"), "{stderr}");
    // No task running, no framework registered, killed through KILL + TEARDOWN.
    assert_eq!(metric(&master, "master/tasks_running"), 0.0);
    let run = Run {
        code: 130,
        stdout: String::new(),
        stderr: stderr.to_string(),
        elapsed: Duration::ZERO,
    };
    let fid = framework_id(&run);
    let fw = completed_framework(&master, &fid);
    assert_eq!(fw["completed_tasks"][0]["state"], "TASK_KILLED");
    assert_eq!(
        fw["completed_tasks"][0]["statuses"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()["state"],
        "TASK_KILLED"
    );
    assert!(fw["completed_tasks"][0].get("status_update_uuid").is_none());
    assert_torn_down_by_call(&master, &fid);
    assert_nothing_leaked(&master);
}

#[test]
fn usage_errors_exit_2_before_contacting_the_master() {
    let env = TestEnv::new();
    // Nothing listens on port 9: a usage error must come first.
    for args in [
        vec!["execute", "--master", "127.0.0.1:9"],
        vec![
            "execute",
            "--master",
            "127.0.0.1:9",
            "--command",
            "true",
            "--follow",
            "--json",
        ],
        vec![
            "execute",
            "--master",
            "127.0.0.1:9",
            "--command",
            "true",
            "--follow",
            "--detach",
        ],
        vec![
            "execute",
            "--master",
            "127.0.0.1:9",
            "--command",
            "true",
            "--resources",
            "cpus:x",
        ],
        vec![
            "execute",
            "--master",
            "127.0.0.1:9",
            "--command",
            "true",
            "--constraint",
            "rack",
        ],
        vec![
            "execute",
            "--master",
            "127.0.0.1:9",
            "--command",
            "true",
            "--env",
            "NOEQUALS",
        ],
        vec![
            "execute",
            "--master",
            "127.0.0.1:9",
            "--task",
            "/nonexistent/task.json",
        ],
        vec![
            "execute",
            "--master",
            "127.0.0.1:9",
            "--command",
            "true",
            "--",
            "ls",
        ],
        vec![
            "execute",
            "--master",
            "127.0.0.1:9",
            "--task",
            "{}",
            "--command",
            "true",
        ],
        vec!["kill", "--master", "127.0.0.1:9"],
        vec!["teardown", "--master", "127.0.0.1:9"],
    ] {
        let r = env.run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{args:?}: {}", r.stderr);
    }
    // Unreachable master: one clean error line.
    let r = env.run(&[
        "execute",
        "--master",
        "127.0.0.1:9",
        "--timeout",
        "1s",
        "--command",
        "true",
    ]);
    r.assert_code(1).assert_clean_error();
}

#[test]
fn follow_streams_output_while_the_task_runs() {
    use std::io::BufRead;
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new();
    let mut child = env
        .command(&[
            "execute",
            "--master",
            &master.addr(),
            "--name",
            "stream",
            "--follow",
            "--command",
            "echo first; sleep 4; echo second",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "first");
    // "first" came while the task was still running.
    let tasks = get_json(&format!("{}/master/tasks?task_id=stream", master.url()));
    let state = tasks["tasks"][0]["state"].as_str().unwrap();
    assert!(matches!(state, "TASK_STARTING" | "TASK_RUNNING"), "{tasks}");
    assert_eq!(lines.next().unwrap().unwrap(), "second");
    assert!(lines.next().is_none());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}
