//! The bundled `mesos agent` as a real process, driven the way a master
//! drives it (docs/internal-protocol.md) by a fake master
//! (`common::http::TestServer`): registration, command tasks and their
//! status updates (ordering, reliability, acknowledgements), kills, the
//! files API and its path safety, the v0/v1 endpoints compared with real
//! Mesos bodies, and flag errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use base64::Engine as _;
use serde_json::{json, Value};

use crate::common::daemons::{
    self, pids_with_cwd_under, process_alive, AgentExt, AgentProc, TEST_SESSION_TOKEN,
};
use crate::common::http::{Answer, TestServer};
use crate::common::{read_fixture, wait_until, TestEnv};

const AGENT_ID: &str = "f1e2d3c4-0000-4000-8000-000000000001-S0";
const FW: &str = "f1e2d3c4-0000-4000-8000-000000000001-0000";
const DEADLINE: Duration = Duration::from_secs(30);

/// The fake master's answer to a registration, handing out `token`.
fn registration_answer(port: u16, token: &str) -> String {
    let info = json!({
        "id": "f1e2d3c4-0000-4000-8000-000000000001",
        "ip": 16777343u32,
        "port": port,
        "pid": format!("master@127.0.0.1:{port}"),
        "hostname": "localhost",
        "version": "1.11.0",
        "address": {"hostname": "localhost", "ip": "127.0.0.1", "port": port}
    });
    json!({
        "agent_id": AGENT_ID,
        "master_id": "f1e2d3c4-0000-4000-8000-000000000001",
        "ping_interval_secs": 0.2,
        "master_info": info,
        "session_token": token,
    })
    .to_string()
}

/// A fake master answering the agent side of the internal protocol.
fn fake_master() -> TestServer {
    let m = TestServer::start();
    m.route(
        "/master/internal/register",
        Answer::json(registration_answer(m.port, TEST_SESSION_TOKEN)),
    );
    m.route("/master/internal/ping", Answer::status(200, ""));
    m.route("/master/internal/status_update", Answer::status(202, ""));
    m
}

/// Fake master + registered agent.
fn setup(extra: &[&str]) -> (TestServer, AgentProc) {
    let m = fake_master();
    let a = AgentProc::start(&m.addr(), extra);
    wait_until(DEADLINE, "agent registration", || {
        a.get_json("/slave(1)/state")["id"] == AGENT_ID
    });
    (m, a)
}

fn framework(caps: &[&str]) -> Value {
    json!({
        "id": {"value": FW},
        "name": "agent-test",
        "user": "tester",
        "failover_timeout": 0.0,
        "checkpoint": true,
        "hostname": "ws1",
        "role": "*",
        "capabilities": caps.iter().map(|c| json!({"type": c})).collect::<Vec<_>>(),
    })
}

fn task(id: &str, command: Value) -> Value {
    json!({
        "name": id,
        "task_id": {"value": id},
        "agent_id": {"value": AGENT_ID},
        "resources": [
            {"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}, "role": "*", "allocation_info": {"role": "*"}},
            {"name": "mem", "type": "SCALAR", "scalar": {"value": 32.0}, "role": "*", "allocation_info": {"role": "*"}},
            {"name": "ports", "type": "RANGES", "ranges": {"range": [{"begin": 31005, "end": 31005}]}, "role": "*", "allocation_info": {"role": "*"}}
        ],
        "labels": {"labels": [{"key": "purpose", "value": "test"}]},
        "command": command,
    })
}

fn run_task(a: &AgentProc, fw: Value, task: Value) {
    let r = a.post_internal(
        "/slave(1)/internal/run_task",
        &json!({"framework": fw, "task": task}),
    );
    assert_eq!(r.status, 202, "run_task: {}", r.text());
}

fn shell(cmd: &str) -> Value {
    json!({"value": cmd, "shell": true})
}

/// Every status update the fake master received for `tid`, in order.
fn updates(m: &TestServer, tid: &str) -> Vec<Value> {
    m.requests_to("/master/internal/status_update")
        .iter()
        .map(|r| r.json())
        .filter(|u| u["status"]["task_id"]["value"] == tid)
        .collect()
}

/// Wait for an update of `tid` in `state`; returns its `status`.
fn wait_update(m: &TestServer, tid: &str, state: &str) -> Value {
    let mut found = Value::Null;
    wait_until(DEADLINE, &format!("{state} for {tid}"), || {
        if let Some(u) = updates(m, tid)
            .into_iter()
            .find(|u| u["status"]["state"] == state)
        {
            found = u["status"].clone();
            true
        } else {
            false
        }
    });
    found
}

fn ack(a: &AgentProc, tid: &str, status: &Value) {
    let r = a.post_internal(
        "/slave(1)/internal/acknowledge",
        &json!({"framework_id": FW, "task_id": tid, "uuid": status["uuid"]}),
    );
    assert_eq!(r.status, 202, "acknowledge: {}", r.text());
}

/// Acknowledge every update of `tid` as it arrives until a terminal one;
/// returns the distinct updates in order.
fn drive_to_terminal(m: &TestServer, a: &AgentProc, tid: &str) -> Vec<Value> {
    let mut seen: Vec<Value> = Vec::new();
    let end = Instant::now() + DEADLINE;
    loop {
        assert!(
            Instant::now() < end,
            "no terminal update for {tid}; got {seen:#?}\n{}",
            a.log()
        );
        for u in updates(m, tid) {
            let s = u["status"].clone();
            if !seen.iter().any(|x| x["uuid"] == s["uuid"]) {
                ack(a, tid, &s);
                seen.push(s.clone());
                let st = s["state"].as_str().unwrap_or("");
                if [
                    "TASK_FINISHED",
                    "TASK_FAILED",
                    "TASK_KILLED",
                    "TASK_LOST",
                    "TASK_ERROR",
                    "TASK_DROPPED",
                ]
                .contains(&st)
                {
                    return seen;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn states(updates: &[Value]) -> Vec<String> {
    updates
        .iter()
        .map(|u| u["state"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The executor entry of `tid` in `/slave(1)/state` (active or completed).
fn executor_of(a: &AgentProc, tid: &str) -> Value {
    let s = a.get_json("/slave(1)/state");
    for fk in ["frameworks", "completed_frameworks"] {
        for f in s[fk].as_array().unwrap() {
            for ek in ["executors", "completed_executors"] {
                for e in f[ek].as_array().unwrap() {
                    if e["id"] == tid {
                        return e.clone();
                    }
                }
            }
        }
    }
    panic!("no executor {tid} in state: {s:#}");
}

fn sandbox_of(a: &AgentProc, tid: &str) -> String {
    executor_of(a, tid)["directory"]
        .as_str()
        .unwrap()
        .to_string()
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn read_file(a: &AgentProc, path: &str) -> String {
    let v = a.get_json(&format!("/files/read?path={}&offset=0", enc(path)));
    v["data"].as_str().unwrap().to_string()
}

fn check_update_envelope(u: &Value, tid: &str) {
    assert_eq!(u["task_id"]["value"], tid);
    assert_eq!(u["agent_id"]["value"], AGENT_ID);
    assert_eq!(u["executor_id"]["value"], tid);
    assert!(u["timestamp"].is_f64(), "timestamp must be a double: {u}");
    let raw = base64::engine::general_purpose::STANDARD
        .decode(u["uuid"].as_str().expect("uuid"))
        .expect("uuid is standard base64");
    assert_eq!(raw.len(), 16, "uuid is 16 bytes: {u}");
}

fn epoch(t: SystemTime) -> f64 {
    t.duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

#[test]
fn echo_task_runs_like_the_command_executor() {
    let (m, a) = setup(&[]);
    let posted = epoch(SystemTime::now());
    run_task(&a, framework(&[]), task("hello", shell("echo hello")));

    let starting = wait_update(&m, "hello", "TASK_STARTING");
    // Nothing else goes out before STARTING is acknowledged.
    assert_eq!(
        states(
            &updates(&m, "hello")
                .iter()
                .map(|u| u["status"].clone())
                .collect::<Vec<_>>()
        )
        .iter()
        .filter(|s| *s != "TASK_STARTING")
        .count(),
        0
    );
    check_update_envelope(&starting, "hello");
    assert_eq!(starting["source"], "SOURCE_EXECUTOR");
    ack(&a, "hello", &starting);

    let running = wait_update(&m, "hello", "TASK_RUNNING");
    check_update_envelope(&running, "hello");
    let container = running["container_status"]["container_id"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        running["container_status"]["executor_pid"]
            .as_u64()
            .unwrap()
            > 1,
        "{running}"
    );
    ack(&a, "hello", &running);

    let finished = wait_update(&m, "hello", "TASK_FINISHED");
    check_update_envelope(&finished, "hello");
    assert_eq!(finished["message"], "Command exited with status 0");
    assert_eq!(finished["source"], "SOURCE_EXECUTOR");
    let to_running = running["timestamp"].as_f64().unwrap() - posted;
    let to_finished = finished["timestamp"].as_f64().unwrap() - posted;
    eprintln!(
        "agent timing: run_task -> TASK_RUNNING {:.1} ms, echo -> TASK_FINISHED {:.1} ms (STARTING/RUNNING acks by a polling test in between)",
        to_running * 1000.0,
        to_finished * 1000.0
    );
    assert!(to_running < 5.0, "TASK_RUNNING took {to_running}s");
    // The master's update log holds the three states in order, each once.
    let all: Vec<Value> = updates(&m, "hello")
        .iter()
        .map(|u| u["status"].clone())
        .collect();
    assert_eq!(
        states(&all),
        ["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"]
    );
    for u in &m.requests_to("/master/internal/status_update") {
        assert_eq!(u.json()["agent_id"], AGENT_ID);
        assert_eq!(u.json()["framework_id"], FW);
    }

    // Sandbox layout and files.
    let dir = sandbox_of(&a, "hello");
    let expected_prefix = a
        .work_dir()
        .join("slaves")
        .join(AGENT_ID)
        .join("frameworks")
        .join(FW)
        .join("executors/hello/runs");
    assert_eq!(PathBuf::from(&dir), expected_prefix.join(&container));
    assert_eq!(
        std::fs::read_link(expected_prefix.join("latest")).unwrap(),
        PathBuf::from(&container)
    );
    assert_eq!(
        std::fs::read_link(a.work_dir().join("slaves/latest")).unwrap(),
        PathBuf::from(AGENT_ID)
    );
    assert_eq!(read_file(&a, &format!("{dir}/stdout")), "hello\n");
    // The same file through the `runs/latest` and `/frameworks/...` virtual paths.
    assert_eq!(
        read_file(&a, &format!("{}/latest/stdout", expected_prefix.display())),
        "hello\n"
    );
    assert_eq!(
        read_file(
            &a,
            &format!("/frameworks/{FW}/executors/hello/runs/latest/stdout")
        ),
        "hello\n"
    );
    // Size probe: offset absent or -1.
    let probe = a.get_json(&format!("/files/read?path={}/stdout", enc(&dir)));
    assert_eq!(probe, json!({"data": "", "offset": 6}));
    let probe = a.get_json(&format!("/files/read?path={}/stdout&offset=-1", enc(&dir)));
    assert_eq!(probe, json!({"data": "", "offset": 6}));
    let part = a.get_json(&format!(
        "/files/read?path={}/stdout&offset=2&length=2&_ts=123",
        enc(&dir)
    ));
    assert_eq!(part, json!({"data": "ll", "offset": 2}));
    let stderr = read_file(&a, &format!("{dir}/stderr"));
    assert!(stderr.contains("] Starting task hello"), "{stderr}");
    assert!(stderr.contains("] Forked command at "), "{stderr}");
    assert!(
        stderr.contains("] Command exited with status 0 (pid: "),
        "{stderr}"
    );
    // Checkpoints for a later recovery.
    let meta = a
        .work_dir()
        .join("meta/slaves")
        .join(AGENT_ID)
        .join("frameworks")
        .join(FW)
        .join("executors/hello/runs")
        .join(&container);
    assert!(meta.join("tasks/hello/task.info").is_file());
    let wait_status: Value =
        serde_json::from_slice(&std::fs::read(meta.join("wait_status")).unwrap()).unwrap();
    assert_eq!(wait_status["status"], 0);

    // After the terminal acknowledgement the executor is completed.
    ack(&a, "hello", &finished);
    wait_until(DEADLINE, "executor completed", || {
        let s = a.get_json("/slave(1)/state");
        s["completed_frameworks"][0]["completed_executors"][0]["id"] == "hello"
    });
    let e = executor_of(&a, "hello");
    assert_eq!(e["completed_tasks"][0]["state"], "TASK_FINISHED");
    assert_eq!(
        e["name"],
        "Command Executor (Task: hello) (Command: sh -c 'echo hello')"
    );
    assert_eq!(e["source"], "hello");
    assert_eq!(e["container"], container.as_str());
    // Files of completed executors stay readable.
    assert_eq!(read_file(&a, &format!("{dir}/stdout")), "hello\n");
}

#[test]
fn failing_and_signalled_tasks_fail_with_the_exit_text() {
    let (m, a) = setup(&[]);
    run_task(&a, framework(&[]), task("three", shell("exit 3")));
    let seen = drive_to_terminal(&m, &a, "three");
    assert_eq!(
        states(&seen),
        ["TASK_STARTING", "TASK_RUNNING", "TASK_FAILED"]
    );
    let last = seen.last().unwrap();
    assert_eq!(last["message"], "Command exited with status 3");
    assert_eq!(last["reason"], "REASON_COMMAND_EXECUTOR_FAILED");
    assert_eq!(last["source"], "SOURCE_EXECUTOR");

    // Killed by a signal that did not come from Mesos.
    run_task(&a, framework(&[]), task("segv", shell("kill -SEGV $$")));
    let seen = drive_to_terminal(&m, &a, "segv");
    assert_eq!(seen.last().unwrap()["state"], "TASK_FAILED");
    assert_eq!(
        seen.last().unwrap()["message"],
        "Command terminated with signal Segmentation fault"
    );

    // Launch failures come from the agent.
    run_task(
        &a,
        framework(&[]),
        task(
            "noexec",
            json!({"value": "/nonexistent/binary", "shell": false, "arguments": ["binary"]}),
        ),
    );
    let seen = drive_to_terminal(&m, &a, "noexec");
    let last = seen.last().unwrap();
    assert_eq!(last["state"], "TASK_FAILED");
    assert_eq!(last["source"], "SOURCE_AGENT");
    assert_eq!(last["reason"], "REASON_CONTAINER_LAUNCH_FAILED");
    assert!(
        last["message"]
            .as_str()
            .unwrap()
            .contains("/nonexistent/binary"),
        "{last}"
    );

    run_task(
        &a,
        framework(&[]),
        task(
            "baduri",
            json!({"value": "true", "uris": [{"value": "file:///nonexistent/thing.tar.gz"}]}),
        ),
    );
    let seen = drive_to_terminal(&m, &a, "baduri");
    assert_eq!(states(&seen), ["TASK_FAILED"]);
    let last = seen.last().unwrap();
    assert_eq!(last["source"], "SOURCE_AGENT");
    assert_eq!(last["reason"], "REASON_CONTAINER_LAUNCH_FAILED");
    assert!(
        last["message"]
            .as_str()
            .unwrap()
            .contains("Failed to fetch 'file:///nonexistent/thing.tar.gz'"),
        "{last}"
    );
}

#[test]
fn environment_argv_and_fetcher() {
    let (m, a) = setup(&[]);
    // argv mode (shell: false): value is the executable, arguments the argv.
    let mut t = task(
        "env",
        json!({
            "value": "/usr/bin/env", "shell": false, "arguments": ["env"],
            "environment": {"variables": [{"name": "FOO", "value": "bar baz"}]}
        }),
    );
    t["name"] = json!("env-task");
    run_task(&a, framework(&[]), t);
    let seen = drive_to_terminal(&m, &a, "env");
    assert_eq!(seen.last().unwrap()["state"], "TASK_FINISHED");
    let dir = sandbox_of(&a, "env");
    let out = read_file(&a, &format!("{dir}/stdout"));
    let env: BTreeMap<&str, &str> = out.lines().filter_map(|l| l.split_once('=')).collect();
    assert_eq!(env["FOO"], "bar baz");
    assert_eq!(env["MESOS_SANDBOX"], dir);
    assert_eq!(env["MESOS_DIRECTORY"], dir);
    assert_eq!(env["MESOS_TASK_ID"], "env");
    assert_eq!(env["MESOS_EXECUTOR_ID"], "env");
    assert_eq!(env["MESOS_FRAMEWORK_ID"], FW);
    assert_eq!(env["MESOS_SLAVE_ID"], AGENT_ID);
    assert_eq!(env["MESOS_AGENT_ENDPOINT"], a.addr());
    assert_eq!(env["MESOS_SLAVE_PID"], format!("slave(1)@{}", a.addr()));
    assert_eq!(env["MESOS_CHECKPOINT"], "1");
    assert_eq!(env["MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"], "5secs");
    assert!(
        env.contains_key("PATH") && env.contains_key("HOME"),
        "{out}"
    );
    assert_eq!(
        executor_of(&a, "env")["name"],
        "Command Executor (Task: env) (Command: [/usr/bin/env...])"
    );

    // Fetcher: copy + executable, tarball extraction, output_file.
    let src = tempfile::tempdir().unwrap();
    let script = src.path().join("run.sh");
    std::fs::write(&script, "#!/bin/sh\necho from-script\n").unwrap();
    std::fs::create_dir_all(src.path().join("pkg/data")).unwrap();
    std::fs::write(src.path().join("pkg/data/inner.txt"), "inner\n").unwrap();
    // Served over HTTP by a test server.
    let web = TestServer::start();
    web.route(
        "/dl/tool.sh",
        Answer {
            status: 200,
            headers: vec![],
            body: b"#!/bin/sh\necho via-http\n".to_vec(),
        },
    );
    // A single gzip'ed file is decompressed next to itself.
    std::fs::write(src.path().join("note.txt"), "gunzipped\n").unwrap();
    assert!(std::process::Command::new("gzip")
        .arg(src.path().join("note.txt"))
        .status()
        .unwrap()
        .success());
    let gz = src.path().join("note.txt.gz");
    let tgz = src.path().join("pkg.tar.gz");
    let st = std::process::Command::new("tar")
        .arg("-C")
        .arg(src.path().join("pkg"))
        .arg("-czf")
        .arg(&tgz)
        .arg("data")
        .status()
        .unwrap();
    assert!(st.success());
    run_task(
        &a,
        framework(&[]),
        task(
            "fetch",
            json!({
                "value": "./run.sh && cat data/inner.txt && cat renamed/copy.txt && ./tool.sh && cat note.txt && pwd",
                "uris": [
                    {"value": format!("file://{}", script.display()), "executable": true},
                    {"value": tgz.display().to_string()},
                    {"value": src.path().join("pkg/data/inner.txt").display().to_string(), "output_file": "renamed/copy.txt"},
                    {"value": format!("{}/dl/tool.sh?v=1", web.url()), "executable": true},
                    {"value": gz.display().to_string()}
                ]
            }),
        ),
    );
    let seen = drive_to_terminal(&m, &a, "fetch");
    let dir = sandbox_of(&a, "fetch");
    let out = read_file(&a, &format!("{dir}/stdout"));
    assert_eq!(
        seen.last().unwrap()["state"],
        "TASK_FINISHED",
        "{out}\n{}",
        read_file(&a, &format!("{dir}/stderr"))
    );
    let canon = std::fs::canonicalize(&dir).unwrap();
    assert_eq!(
        out,
        format!(
            "from-script\ninner\ninner\nvia-http\ngunzipped\n{}\n",
            canon.display()
        )
    );
    let err = read_file(&a, &format!("{dir}/stderr"));
    assert!(err.contains("Fetching URI"), "{err}");
    assert!(err.contains("Successfully fetched all URIs into"), "{err}");

    // An HTTP error fails the launch with the status code.
    run_task(
        &a,
        framework(&[]),
        task(
            "http404",
            json!({"value": "true", "uris": [{"value": format!("{}/missing.tgz", web.url())}]}),
        ),
    );
    let seen = drive_to_terminal(&m, &a, "http404");
    let msg = seen.last().unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("received HTTP return code 404"), "{msg}");
}

#[test]
fn shutdown_framework_kills_its_tasks_quietly() {
    let (m, a) = setup(&["--executor_shutdown_grace_period=3secs"]);
    let mut groups = Vec::new();
    for id in ["s1", "s2"] {
        run_task(&a, framework(&[]), task(id, shell("sleep 100")));
        let s = wait_update(&m, id, "TASK_STARTING");
        ack(&a, id, &s);
        let r = wait_update(&m, id, "TASK_RUNNING");
        ack(&a, id, &r);
        let dir = std::fs::canonicalize(sandbox_of(&a, id)).unwrap();
        wait_until(DEADLINE, "sleep started", || {
            pids_with_cwd_under(&dir).len() >= 2
        });
        groups.extend(pids_with_cwd_under(&dir));
    }
    let r = a.post_internal(
        "/slave(1)/internal/shutdown_framework",
        &json!({"framework_id": FW}),
    );
    assert_eq!(r.status, 202);
    wait_until(DEADLINE, "framework completed", || {
        let s = a.get_json("/slave(1)/state");
        s["frameworks"].as_array().unwrap().is_empty()
            && s["completed_frameworks"][0]["completed_executors"]
                .as_array()
                .is_some_and(|e| e.len() == 2)
    });
    assert!(groups.iter().all(|p| !process_alive(*p)), "{groups:?}");
    // The framework is gone: its terminal updates are not sent.
    for id in ["s1", "s2"] {
        assert!(
            updates(&m, id)
                .iter()
                .all(|u| u["status"]["state"] != "TASK_KILLED"),
            "{id}"
        );
    }
    let e = executor_of(&a, "s1");
    assert_eq!(e["completed_tasks"][0]["state"], "TASK_KILLED");
}

fn session_members(sid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let rest = &stat[stat.rfind(')').unwrap() + 1..];
        let f: Vec<&str> = rest.split_whitespace().collect();
        if f[3].parse::<u32>().ok() == Some(sid) && process_alive(pid) {
            out.push(pid);
        }
    }
    out
}

#[test]
fn kill_terminates_the_whole_process_group() {
    let (m, a) = setup(&[]);
    // Two processes: a background sleep and a foreground one.
    run_task(
        &a,
        framework(&["TASK_KILLING_STATE"]),
        task("sleeper", shell("sleep 100 & sleep 100; wait")),
    );
    let starting = wait_update(&m, "sleeper", "TASK_STARTING");
    ack(&a, "sleeper", &starting);
    let running = wait_update(&m, "sleeper", "TASK_RUNNING");
    ack(&a, "sleeper", &running);
    let dir = std::fs::canonicalize(sandbox_of(&a, "sleeper")).unwrap();
    let mut group = Vec::new();
    wait_until(DEADLINE, "both sleeps", || {
        group = pids_with_cwd_under(&dir);
        let forked: u32 = std::fs::read_to_string(
            a.work_dir()
                .join("meta/slaves")
                .join(AGENT_ID)
                .join("frameworks")
                .join(FW)
                .join("executors/sleeper/runs/latest/pids/forked.pid"),
        )
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
        forked > 0 && session_members(forked).len() >= 3
    });
    assert!(group.len() >= 3, "sh, two sleeps (+ executor): {group:?}");

    let r = a.post_internal(
        "/slave(1)/internal/kill_task",
        &json!({"framework_id": FW, "task_id": "sleeper"}),
    );
    assert_eq!(r.status, 202);
    let seen = drive_to_terminal(&m, &a, "sleeper");
    assert_eq!(
        states(&seen),
        [
            "TASK_STARTING",
            "TASK_RUNNING",
            "TASK_KILLING",
            "TASK_KILLED"
        ],
        "{seen:#?}"
    );
    assert_eq!(
        seen[3]["message"],
        "Command terminated with signal Terminated"
    );
    assert_eq!(seen[3]["source"], "SOURCE_EXECUTOR");
    wait_until(DEADLINE, "task processes gone", || {
        group.iter().all(|p| !process_alive(*p))
    });

    // A task that ignores SIGTERM is SIGKILLed after the kill policy's grace.
    let mut t = task(
        "stubborn",
        shell("trap '' TERM; sleep 100 & wait; sleep 100"),
    );
    t["kill_policy"] = json!({"grace_period": {"nanoseconds": 300_000_000u64}});
    run_task(&a, framework(&[]), t);
    let starting = wait_update(&m, "stubborn", "TASK_STARTING");
    ack(&a, "stubborn", &starting);
    let running = wait_update(&m, "stubborn", "TASK_RUNNING");
    ack(&a, "stubborn", &running);
    let dir = std::fs::canonicalize(sandbox_of(&a, "stubborn")).unwrap();
    wait_until(DEADLINE, "stubborn running", || {
        pids_with_cwd_under(&dir).len() >= 2
    });
    let group = pids_with_cwd_under(&dir);
    let t0 = Instant::now();
    a.post_internal(
        "/slave(1)/internal/kill_task",
        &json!({"framework_id": FW, "task_id": "stubborn"}),
    );
    let seen = drive_to_terminal(&m, &a, "stubborn");
    assert!(
        t0.elapsed() >= Duration::from_millis(250),
        "SIGKILL came before the grace period"
    );
    assert_eq!(
        states(&seen),
        ["TASK_STARTING", "TASK_RUNNING", "TASK_KILLED"],
        "no KILLING without the capability: {seen:#?}"
    );
    assert_eq!(seen[2]["message"], "Command terminated with signal Killed");
    wait_until(DEADLINE, "stubborn processes gone", || {
        group.iter().all(|p| !process_alive(*p))
    });
}

#[test]
fn unacknowledged_updates_are_resent_in_order() {
    let (m, a) = setup(&[]);
    run_task(&a, framework(&[]), task("slow", shell("sleep 100")));
    let starting = wait_update(&m, "slow", "TASK_STARTING");
    let first = Instant::now();
    // Not acknowledged: the same update comes again, after 10 s as in real
    // Mesos (a slow acknowledgement must not cause a storm of resends), and
    // RUNNING is held back.
    wait_until(DEADLINE, "STARTING resent", || {
        updates(&m, "slow")
            .iter()
            .filter(|u| u["status"]["uuid"] == starting["uuid"])
            .count()
            >= 2
    });
    assert!(
        first.elapsed() >= Duration::from_secs(9),
        "resent after {:?}",
        first.elapsed()
    );
    assert_eq!(
        a.get_json("/metrics/snapshot")["slave/status_update_resends"],
        1.0
    );
    assert!(updates(&m, "slow")
        .iter()
        .all(|u| u["status"]["state"] == "TASK_STARTING"));
    // A stale or unknown uuid changes nothing.
    let bogus = json!({"uuid": base64::engine::general_purpose::STANDARD.encode([7u8; 16])});
    ack(&a, "slow", &bogus);
    // After the acknowledgement the next update flows.
    ack(&a, "slow", &starting);
    let running = wait_update(&m, "slow", "TASK_RUNNING");
    assert_ne!(running["uuid"], starting["uuid"]);
    // The master not recording an update (non-2xx) also means resending.
    m.route(
        "/master/internal/status_update",
        Answer::status(503, "busy"),
    );
    let before = updates(&m, "slow").len();
    wait_until(DEADLINE, "RUNNING resent while the master refuses", || {
        updates(&m, "slow").len() > before
    });
    m.route("/master/internal/status_update", Answer::status(202, ""));
    ack(&a, "slow", &running);
    a.post_internal(
        "/slave(1)/internal/kill_task",
        &json!({"framework_id": FW, "task_id": "slow"}),
    );
    let seen = drive_to_terminal(&m, &a, "slow");
    assert_eq!(seen.last().unwrap()["state"], "TASK_KILLED");
    // Metrics count it.
    let metrics = a.get_json("/metrics/snapshot");
    assert_eq!(metrics["slave/tasks_killed"], 1.0);
}

#[test]
fn reregisters_with_its_id_when_the_master_forgets_it() {
    let (m, a) = setup(&[]);
    run_task(&a, framework(&[]), task("keep", shell("sleep 100")));
    let s = wait_update(&m, "keep", "TASK_STARTING");
    ack(&a, "keep", &s);
    let r = wait_update(&m, "keep", "TASK_RUNNING");
    ack(&a, "keep", &r);
    let first = m.requests_to("/master/internal/register");
    assert!(
        first[0].json().get("agent_id").is_none(),
        "first registration has no id"
    );
    assert_eq!(first[0].json()["port"], a.port);
    m.route(
        "/master/internal/ping",
        Answer::status(404, "unknown agent"),
    );
    wait_until(DEADLINE, "re-registration", || {
        m.requests_to("/master/internal/register")
            .iter()
            .any(|r| r.json()["agent_id"] == AGENT_ID)
    });
    m.route("/master/internal/ping", Answer::status(200, ""));
    let rereg = m
        .requests_to("/master/internal/register")
        .into_iter()
        .find(|r| r.json()["agent_id"] == AGENT_ID)
        .unwrap()
        .json();
    assert_eq!(rereg["tasks"][0]["task_id"]["value"], "keep");
    assert_eq!(rereg["tasks"][0]["state"], "TASK_RUNNING");
    assert_eq!(rereg["frameworks"][0]["id"]["value"], FW);
    // Pings, updates and the re-registration carry the session token the
    // (fake) master handed out; the first registration had none to show.
    let bearer = format!("Bearer {TEST_SESSION_TOKEN}");
    let auth = |r: &crate::common::http::LoggedRequest| {
        r.headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    assert_eq!(auth(&first[0]), None);
    for path in [
        "/master/internal/ping",
        "/master/internal/status_update",
        "/master/internal/register",
    ] {
        let reqs = m.requests_to(path);
        let last = reqs.last().unwrap();
        assert_eq!(auth(last).as_deref(), Some(bearer.as_str()), "{path}");
    }
    // After a new registration hands out another token, the old one no
    // longer opens the agent, and the new one does.
    let fresh = "a".repeat(64);
    m.route(
        "/master/internal/register",
        Answer::json(registration_answer(m.port, &fresh)),
    );
    let before = m.requests_to("/master/internal/register").len();
    m.route("/master/internal/ping", Answer::status(403, "wrong token"));
    wait_until(DEADLINE, "re-registration after a refused ping", || {
        m.requests_to("/master/internal/register").len() > before
    });
    m.route("/master/internal/ping", Answer::status(200, ""));
    let kill = json!({"framework_id": FW, "task_id": "keep"});
    wait_until(DEADLINE, "the old token refused", || {
        a.post_internal("/slave(1)/internal/kill_task", &kill)
            .status
            == 403
    });
    let fresh_auth = format!("Bearer {fresh}");
    let r = daemons::request(
        &a.addr(),
        "POST",
        "/slave(1)/internal/kill_task",
        &[
            ("Content-Type", "application/json"),
            ("Authorization", fresh_auth.as_str()),
        ],
        kill.to_string().as_bytes(),
    );
    assert_eq!(r.status, 202, "{}", r.text());
    // Back to the usual token, to acknowledge the kill's updates.
    m.route(
        "/master/internal/register",
        Answer::json(registration_answer(m.port, TEST_SESSION_TOKEN)),
    );
    m.route("/master/internal/ping", Answer::status(403, "wrong token"));
    wait_until(DEADLINE, "the usual token accepted again", || {
        a.post_internal("/slave(1)/internal/kill_task", &kill)
            .status
            == 202
    });
    m.route("/master/internal/ping", Answer::status(200, ""));
    drive_to_terminal(&m, &a, "keep");
}

#[test]
fn files_api_never_serves_files_outside_sandboxes() {
    let (m, a) = setup(&[]);
    run_task(&a, framework(&[]), task("box", shell("echo inside")));
    drive_to_terminal(&m, &a, "box");
    let dir = sandbox_of(&a, "box");
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    let marker = passwd.lines().next().unwrap().to_string();
    assert!(!marker.is_empty());
    std::os::unix::fs::symlink("/etc/passwd", Path::new(&dir).join("pw")).unwrap();
    std::os::unix::fs::symlink("/etc", Path::new(&dir).join("etcdir")).unwrap();
    std::os::unix::fs::symlink(
        "../../../../../../../../../../etc/passwd",
        Path::new(&dir).join("rel"),
    )
    .unwrap();
    let latest = format!("/frameworks/{FW}/executors/box/runs/latest");
    let deep = "../".repeat(20);
    let attempts: Vec<String> = vec![
        "/etc/passwd".into(),
        "//etc/passwd".into(),
        format!("{dir}/{deep}etc/passwd"),
        format!("{dir}/../../../../../../../../../../../../etc/passwd"),
        format!("{latest}/{deep}etc/passwd"),
        format!("{dir}/pw"),
        format!("{dir}/rel"),
        format!("{dir}/etcdir/passwd"),
        format!("{latest}/pw"),
        format!("{latest}/etcdir/passwd"),
        format!("{dir}/etcdir"),
        format!("{dir}/./etcdir/../pw"),
        "/slave/log/../../etc/passwd".into(),
        "/etc".into(),
    ];
    let mut targets = Vec::new();
    for p in &attempts {
        targets.push(format!("/files/read?path={}&offset=0", enc(p)));
        targets.push(format!("/files/download?path={}", enc(p)));
        targets.push(format!("/files/browse?path={}", enc(p)));
        // `..` sent percent-encoded in the query (decodes to `..`), and
        // literally as `%2e%2e` (a file named so would not exist).
        let dotted = p.replace("..", "%2e%2e");
        targets.push(format!("/files/read?path={dotted}&offset=0"));
        targets.push(format!("/files/download?path={dotted}"));
        targets.push(format!("/files/read?path={}&offset=0", enc(&dotted)));
    }
    for t in &targets {
        let r = a.get(t);
        let body = r.text();
        assert!(
            !body.contains(&marker),
            "{t} leaked /etc/passwd: {} {body}",
            r.status
        );
        assert!(
            !body.contains("root:"),
            "{t} leaked /etc/passwd: {} {body}",
            r.status
        );
        assert!(
            matches!(r.status, 400 | 403 | 404),
            "{t}: expected 400/403/404, got {} {body}",
            r.status
        );
    }
    // Same through the v1 API.
    for p in &attempts {
        for call in [
            json!({"type": "READ_FILE", "read_file": {"path": p, "offset": 0}}),
            json!({"type": "LIST_FILES", "list_files": {"path": p}}),
        ] {
            let r = a.post_json("/api/v1", &call);
            let body = r.text();
            assert!(
                matches!(r.status, 400 | 403 | 404),
                "{call}: {} {body}",
                r.status
            );
            assert!(!body.contains("root:"), "{call} leaked: {body}");
        }
    }
    // The listing shows the link itself, not its target.
    let list = a.get_json(&format!("/files/browse?path={}", enc(&dir)));
    let pw = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == format!("{dir}/pw"))
        .unwrap();
    assert!(pw["mode"].as_str().unwrap().starts_with('l'), "{pw}");
    // Error texts of real Mesos.
    let r = a.get("/files/read");
    assert_eq!(
        (r.status, r.text().trim()),
        (400, "Expecting 'path=value' in query.")
    );
    let r = a.get(&format!("/files/read?path={}&offset=0", enc(&dir)));
    assert_eq!(
        (r.status, r.text().trim()),
        (400, "Cannot read a directory.")
    );
    let r = a.get(&format!("/files/download?path={}", enc(&dir)));
    assert_eq!(
        (r.status, r.text().trim()),
        (400, "Cannot download a directory.")
    );
    let r = a.get(&format!("/files/read?path={}/stdout&offset=-2", enc(&dir)));
    assert_eq!(r.status, 400);
    let r = a.get(&format!("/files/read?path={}/stdout&offset=abc", enc(&dir)));
    assert_eq!(r.status, 400);
    let r = a.get("/files/read?path=/no/such/file&offset=0");
    assert_eq!(r.status, 404);
    // Download gives raw bytes with a file name.
    let r = a.get(&format!("/files/download?path={}/stdout", enc(&dir)));
    assert_eq!(r.status, 200);
    assert_eq!(r.body, b"inside\n");
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=stdout")
    );
    // v1 READ_FILE / LIST_FILES on legitimate paths.
    let v = a.post_json("/api/v1", &json!({"type": "READ_FILE", "read_file": {"path": format!("{dir}/stdout"), "offset": 1, "length": 3}})).json();
    assert_eq!(v["type"], "READ_FILE");
    assert_eq!(v["read_file"]["size"], 7);
    assert_eq!(
        v["read_file"]["data"],
        base64::engine::general_purpose::STANDARD.encode("nsi")
    );
    let v = a
        .post_json(
            "/api/v1",
            &json!({"type": "LIST_FILES", "list_files": {"path": latest}}),
        )
        .json();
    let infos = v["list_files"]["file_infos"].as_array().unwrap();
    let stdout = infos
        .iter()
        .find(|i| i["path"] == format!("{latest}/stdout"))
        .unwrap();
    assert!(
        stdout["mode"].is_u64() && stdout["mtime"]["nanoseconds"].is_i64(),
        "{stdout}"
    );
    // /files/debug lists sandboxes and the log, nothing else.
    let debug = a.get_json("/files/debug");
    for (virt, real) in debug.as_object().unwrap() {
        let real = real.as_str().unwrap();
        assert!(
            real.starts_with(a.dir.path().to_str().unwrap()),
            "{virt} -> {real}"
        );
    }
    assert!(debug.get("/slave/log").is_some(), "{debug}");
    // The agent log is served.
    assert!(read_file(&a, "/slave/log").contains("Registered with master"));
}

/// Union of key shapes: objects merge their keys, arrays merge their elements.
#[derive(Debug, Default)]
struct Shape {
    keys: BTreeMap<String, Shape>,
    elems: Option<Box<Shape>>,
    is_object: bool,
}

fn shape(v: &Value, out: &mut Shape) {
    match v {
        Value::Object(o) => {
            out.is_object = true;
            for (k, x) in o {
                shape(x, out.keys.entry(k.clone()).or_default());
            }
        }
        Value::Array(a) => {
            let e = out.elems.get_or_insert_with(Default::default);
            for x in a {
                shape(x, e);
            }
        }
        _ => {}
    }
}

/// Every key the fixture has (at every level) must be in ours, except the
/// listed `exceptions` (paths like `/frameworks[]/executors[]/x`). Values of
/// `opaque` keys are data maps (flags, attributes): not descended into.
fn assert_covers(
    fixture: &Value,
    ours: &Value,
    exceptions: &[(&str, &str)],
    opaque: &[&str],
    what: &str,
) {
    let (mut f, mut o) = (Shape::default(), Shape::default());
    shape(fixture, &mut f);
    shape(ours, &mut o);
    let mut missing = Vec::new();
    walk(&f, &o, "", exceptions, opaque, &mut missing);
    assert!(
        missing.is_empty(),
        "{what}: keys of real Mesos missing from ours: {missing:#?}"
    );
}

fn walk(
    f: &Shape,
    o: &Shape,
    path: &str,
    exc: &[(&str, &str)],
    opaque: &[&str],
    missing: &mut Vec<String>,
) {
    if let Some(fe) = &f.elems {
        match &o.elems {
            Some(oe) => walk(fe, oe, &format!("{path}[]"), exc, opaque, missing),
            None if fe.is_object || fe.elems.is_some() => {
                missing.push(format!("{path}[] (ours is empty)"))
            }
            None => {}
        }
    }
    for (k, fk) in &f.keys {
        let p = format!("{path}/{k}");
        if exc.iter().any(|(e, _)| *e == p) {
            continue;
        }
        match o.keys.get(k) {
            None => missing.push(p),
            Some(ok) if !opaque.contains(&k.as_str()) => walk(fk, ok, &p, exc, opaque, missing),
            Some(_) => {}
        }
    }
}

fn fixture(name: &str) -> Value {
    serde_json::from_slice(&read_fixture(name)).unwrap()
}

#[test]
fn endpoint_bodies_have_the_shapes_of_real_mesos() {
    let (m, a) = setup(&["--attributes=rack:r1;gen:2"]);
    // One completed and one running task, both with statuses.
    run_task(&a, framework(&[]), task("done", shell("echo done")));
    drive_to_terminal(&m, &a, "done");
    run_task(&a, framework(&[]), task("live", shell("sleep 100")));
    let s = wait_update(&m, "live", "TASK_STARTING");
    ack(&a, "live", &s);
    let r = wait_update(&m, "live", "TASK_RUNNING");
    ack(&a, "live", &r);

    let state = a.get_json("/slave(1)/state");
    // Legacy keys real agents dropped, and build-dependent ones.
    let legacy: &[(&str, &str)] = &[
        ("/cluster", "0.22 agents echoed --cluster; no 1.x agent has it"),
        ("/staged_tasks", "0.22 counter, removed in 0.28 (now slave/tasks_staging in /metrics/snapshot)"),
        ("/started_tasks", "0.22 counter, removed in 0.28 (slave/tasks_starting)"),
        ("/finished_tasks", "0.22 counter, removed in 0.28 (slave/tasks_finished)"),
        ("/killed_tasks", "0.22 counter, removed in 0.28 (slave/tasks_killed)"),
        ("/failed_tasks", "0.22 counter, removed in 0.28 (slave/tasks_failed)"),
        ("/lost_tasks", "0.22 counter, removed in 0.28 (slave/tasks_lost)"),
        ("/git_sha", "only in builds from a git checkout (optional, docs/wire-notes.md#agent-state)"),
        ("/git_tag", "only in builds from a release tag (optional)"),
        (
            "/frameworks[]/executors[]/tasks[]/statuses[]/container_status/network_infos[]/ip_address",
            "NetworkInfo.ip_address was deprecated in 0.26 and removed in 1.0 (ip_addresses[] instead)",
        ),
    ];
    for f in ["agent-state-0.22.json", "agent-state-0.27.json"] {
        assert_covers(&fixture(f), &state, legacy, &["flags", "attributes"], f);
    }
    // The 1.x keys from the wire reference.
    for k in [
        "version",
        "build_date",
        "build_time",
        "build_user",
        "start_time",
        "id",
        "pid",
        "hostname",
        "capabilities",
        "resources",
        "reserved_resources",
        "unreserved_resources",
        "reserved_resources_full",
        "unreserved_resources_full",
        "reserved_resources_allocated",
        "unreserved_resources_allocated",
        "attributes",
        "master_hostname",
        "log_dir",
        "flags",
        "frameworks",
        "completed_frameworks",
    ] {
        assert!(state.get(k).is_some(), "state lacks {k}");
    }
    assert!(state["start_time"].is_f64() && state["build_time"].is_f64());
    assert_eq!(state["pid"], format!("slave(1)@{}", a.addr()));
    assert_eq!(state["attributes"], json!({"rack": "r1", "gen": 2.0}));
    assert_eq!(state["resources"]["cpus"], 2.0);
    assert_eq!(state["resources"]["ports"], "[31000-31100]");
    assert_eq!(state["master_hostname"], "localhost");
    let fw = &state["frameworks"][0];
    for k in [
        "id",
        "name",
        "user",
        "failover_timeout",
        "checkpoint",
        "hostname",
        "role",
        "executors",
        "completed_executors",
    ] {
        assert!(fw.get(k).is_some(), "framework lacks {k}");
    }
    let live = fw["executors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "live")
        .unwrap();
    assert_eq!(
        live["resources"]["cpus"], 0.2,
        "task 0.1 + executor 0.1: {live}"
    );
    assert_eq!(live["resources"]["mem"], 64.0);
    assert_eq!(live["tasks"][0]["executor_id"], "");
    assert_eq!(live["tasks"][0]["slave_id"], AGENT_ID);
    assert_eq!(live["tasks"][0]["role"], "*");
    assert_eq!(live["tasks"][0]["statuses"][1]["state"], "TASK_RUNNING");
    assert!(
        live["tasks"][0]["statuses"][1].get("uuid").is_none(),
        "v0 statuses are lite"
    );
    assert_eq!(live["queued_tasks"], json!([]));
    let done = fw["completed_executors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "done")
        .unwrap();
    assert_eq!(done["completed_tasks"][0]["state"], "TASK_FINISHED");

    // /files/browse
    let dir = live["directory"].as_str().unwrap();
    let list = a.get_json(&format!("/files/browse?path={}", enc(dir)));
    assert_covers(
        &fixture("files-browse-0.27.json"),
        &list,
        &[],
        &[],
        "files-browse-0.27.json",
    );
    for e in list.as_array().unwrap() {
        let mode = e["mode"].as_str().unwrap();
        assert_eq!(mode.len(), 10, "{e}");
        assert!("-dcbpls".contains(&mode[..1]), "{e}");
        assert!(
            e["uid"].is_string() && e["gid"].is_string() && e["mtime"].is_number(),
            "{e}"
        );
    }
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(names, [format!("{dir}/stderr"), format!("{dir}/stdout")]);
    // Legacy alias.
    assert_eq!(
        a.get_json(&format!("/files/browse.json?path={}", enc(dir))),
        list
    );

    // /monitor/statistics
    let stats = a.get_json("/slave(1)/monitor/statistics");
    assert_covers(
        &fixture("agent-monitor-statistics-0.21.json"),
        &stats,
        &[],
        &[],
        "monitor statistics",
    );
    let entry = stats
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["executor_id"] == "live")
        .unwrap();
    assert_eq!(entry["statistics"]["cpus_limit"], 0.2);
    assert_eq!(entry["statistics"]["mem_limit_bytes"], 64 * 1024 * 1024);
    assert!(entry["statistics"]["mem_rss_bytes"].as_u64().unwrap() > 0);
    assert!(
        entry["statistics"]["processes"].as_u64().unwrap() >= 2,
        "executor + sleep: {entry}"
    );
    assert!(entry["statistics"]["timestamp"].is_f64());
    let legacy_alias = a.get_json("/monitor/statistics.json");
    assert_eq!(
        legacy_alias.as_array().map(Vec::len),
        stats.as_array().map(Vec::len)
    );

    // /metrics/snapshot
    let metrics = a.get_json("/metrics/snapshot");
    // The fixture is the legacy /stats.json: its unprefixed keys (uptime,
    // registered, staged_tasks, ...) were never part of /metrics/snapshot.
    let stats_fixture = fixture("agent-stats-0.22.json");
    let legacy_keys: Vec<String> = stats_fixture
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| !k.contains('/'))
        .map(|k| format!("/{k}"))
        .collect();
    let legacy_stats: Vec<(&str, &str)> = legacy_keys
        .iter()
        .map(|k| (k.as_str(), "unprefixed legacy /stats.json key"))
        .collect();
    assert_covers(&stats_fixture, &metrics, &legacy_stats, &[], "metrics");
    for (k, v) in metrics.as_object().unwrap() {
        assert!(v.is_f64(), "{k} is not a double: {v}");
    }
    assert_eq!(metrics["slave/registered"], 1.0);
    assert_eq!(metrics["slave/tasks_running"], 1.0);
    assert_eq!(metrics["slave/tasks_finished"], 1.0);
    assert_eq!(metrics["slave/executors_running"], 1.0);
    assert_eq!(metrics["slave/cpus_total"], 2.0);
    assert_eq!(metrics["slave/cpus_used"], 0.2);

    // /containers with its filters.
    let all = a.get_json("/slave(1)/containers");
    let c = all
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["executor_id"] == "live")
        .unwrap()
        .clone();
    for k in [
        "framework_id",
        "executor_id",
        "executor_name",
        "source",
        "container_id",
        "status",
        "statistics",
    ] {
        assert!(c.get(k).is_some(), "container lacks {k}: {c}");
    }
    assert_eq!(c["status"]["container_id"]["value"], c["container_id"]);
    let cid = c["container_id"].as_str().unwrap();
    assert_eq!(
        a.get_json(&format!("/containers?container_id={cid}"))
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        a.get_json(&format!("/containers?framework_id={FW}&executor_id=live"))
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        a.get_json("/containers?framework_id=nope")
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        a.get(&format!("/containers?container_id={cid}&framework_id={FW}"))
            .status,
        400
    );
    assert_eq!(a.get("/containers?executor_id=live").status, 400);

    // Flags, version, health.
    let flags = a.get_json("/slave(1)/flags");
    assert_eq!(flags["flags"]["port"], a.port.to_string());
    assert_eq!(flags["flags"]["isolation"], "posix/cpu,posix/mem");
    assert_eq!(flags["flags"]["executor_shutdown_grace_period"], "5secs");
    let version = a.get_json("/version");
    for k in ["version", "build_date", "build_time", "build_user"] {
        assert!(version.get(k).is_some(), "/version lacks {k}");
    }
    assert_eq!(a.get("/slave(1)/health").status, 200);

    // v1 calls.
    let v1 = |call: Value| {
        let r = a.post_json("/slave(1)/api/v1", &call);
        assert_eq!(r.status, 200, "{call}: {}", r.text());
        r.json()
    };
    assert_eq!(
        v1(json!({"type": "GET_HEALTH"})),
        json!({"type": "GET_HEALTH", "get_health": {"healthy": true}})
    );
    let st = v1(json!({"type": "GET_STATE"}));
    let launched = &st["get_state"]["get_tasks"]["launched_tasks"];
    assert_eq!(launched[0]["task_id"]["value"], "live");
    assert_eq!(launched[0]["state"], "TASK_RUNNING");
    assert_eq!(launched[0]["statuses"][1]["source"], "SOURCE_EXECUTOR");
    assert!(launched[0]["status_update_uuid"].is_string());
    assert_eq!(
        st["get_state"]["get_frameworks"]["frameworks"][0]["framework_info"]["id"]["value"],
        FW
    );
    let ex = &st["get_state"]["get_executors"]["executors"][0]["executor_info"];
    assert_eq!(ex["executor_id"]["value"], "live");
    assert_eq!(ex["resources"][0]["allocation_info"]["role"], "*");
    let agent = v1(json!({"type": "GET_AGENT"}));
    assert_eq!(agent["get_agent"]["agent_info"]["id"]["value"], AGENT_ID);
    assert_eq!(agent["get_agent"]["agent_info"]["port"], a.port);
    let metrics = v1(json!({"type": "GET_METRICS", "get_metrics": {}}));
    assert!(metrics["get_metrics"]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["name"] == "slave/tasks_running"));
    let flags = v1(json!({"type": "GET_FLAGS"}));
    assert!(flags["get_flags"]["flags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["name"] == "work_dir"));
    assert_eq!(
        v1(json!({"type": "GET_VERSION"}))["get_version"]["version_info"]["version"],
        "1.11.0"
    );
    let containers = v1(json!({"type": "GET_CONTAINERS"}));
    assert_eq!(
        containers["get_containers"]["containers"][0]["container_id"]["value"],
        cid
    );
    let tasks = v1(json!({"type": "GET_TASKS"}));
    assert_eq!(
        tasks["get_tasks"]["completed_tasks"][0]["task_id"]["value"],
        "done"
    );

    a.post_internal(
        "/slave(1)/internal/kill_task",
        &json!({"framework_id": FW, "task_id": "live"}),
    );
    drive_to_terminal(&m, &a, "live");
}

#[test]
fn libprocess_routing_conventions_and_v1_errors() {
    let (_m, a) = setup(&[]);
    let state = a.get("/slave(1)/state");
    assert_eq!(state.status, 200);
    assert_eq!(state.header("content-type"), Some("application/json"));
    for alias in [
        "/state",
        "/state.json",
        "/slave(1)/state.json",
        "/slave%281%29/state",
        "/slave(1)/state/",
        "/state?_ts=123",
    ] {
        let r = a.get(alias);
        assert_eq!(r.status, 200, "{alias}");
        assert_eq!(r.json()["pid"], state.json()["pid"], "{alias}");
    }
    assert_eq!(a.get("/nope").status, 404);
    assert_eq!(a.get("/slave(1)/nope").status, 404);
    assert_eq!(a.get("/metrics/snapshot.json").status, 200);
    // jsonp
    let r = a.get("/slave(1)/flags?jsonp=cb");
    assert_eq!(r.header("content-type"), Some("text/javascript"));
    let t = r.text();
    assert!(t.starts_with("cb({") && t.ends_with("})"), "{t}");
    // gzip for large non-streaming bodies only when asked.
    let r = daemons::request(
        &a.addr(),
        "GET",
        "/slave(1)/state",
        &[("Accept-Encoding", "gzip")],
        b"",
    );
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    let mut d = flate2::read::GzDecoder::new(&r.body[..]);
    let mut s = String::new();
    std::io::Read::read_to_string(&mut d, &mut s).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&s).unwrap()["pid"],
        state.json()["pid"]
    );
    let r = daemons::request(
        &a.addr(),
        "GET",
        "/slave(1)/health",
        &[("Accept-Encoding", "gzip")],
        b"",
    );
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(a.get("/slave(1)/state").header("content-encoding"), None);

    // v1 envelope errors.
    let post = |ct: Option<&str>, accept: Option<&str>, body: &str| {
        let mut h = Vec::new();
        if let Some(c) = ct {
            h.push(("Content-Type", c));
        }
        if let Some(x) = accept {
            h.push(("Accept", x));
        }
        daemons::request(&a.addr(), "POST", "/api/v1", &h, body.as_bytes())
    };
    let ok = post(
        Some("application/json; charset=utf-8"),
        None,
        r#"{"type":"GET_HEALTH"}"#,
    );
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(ok.json()["get_health"]["healthy"], true);
    assert_eq!(post(None, None, r#"{"type":"GET_HEALTH"}"#).status, 400);
    assert_eq!(
        post(Some("text/plain"), None, r#"{"type":"GET_HEALTH"}"#).status,
        415
    );
    assert_eq!(
        post(
            Some("application/json"),
            Some("text/html"),
            r#"{"type":"GET_HEALTH"}"#
        )
        .status,
        406
    );
    assert_eq!(
        post(
            Some("application/json"),
            Some("*/*"),
            r#"{"type":"GET_HEALTH"}"#
        )
        .status,
        200
    );
    let r = post(Some("application/json"), None, "{}");
    assert_eq!(
        (r.status, r.text()),
        (
            400,
            "Failed to validate agent::Call: Expecting 'type' to be present".to_string()
        )
    );
    assert_eq!(post(Some("application/json"), None, "not json").status, 400);
    assert_eq!(
        post(Some("application/json"), None, r#"{"type":"GET_METRICS"}"#).status,
        400
    );
    assert_eq!(
        post(
            Some("application/json"),
            None,
            r#"{"type":"READ_FILE","read_file":{"path":"/x"}}"#
        )
        .status,
        400
    );
    let r = a.get("/slave(1)/api/v1");
    assert_eq!(r.status, 405);
    assert!(r.header("allow").unwrap_or("").contains("POST"));
}

#[test]
/// Usage errors (unknown flag, missing required flag) exit 2; bad values exit 1.
fn flag_errors_are_one_line_and_exit_2_for_usage_1_for_bad_values() {
    let env = TestEnv::new();
    let work = env.home().join("work");
    let work_flag = format!("--work_dir={}", work.display());
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["--bogus=1".into()], "--bogus"),
        (
            vec![
                "--master=127.0.0.1:5050".into(),
                work_flag.clone(),
                "--port=abc".into(),
            ],
            "--port",
        ),
        (
            vec![
                "--master=127.0.0.1:5050".into(),
                work_flag.clone(),
                "--resources=cpus:abc".into(),
            ],
            "cpus",
        ),
        (
            vec![
                "--master=127.0.0.1:5050".into(),
                work_flag.clone(),
                "--resources=cpus:1;ports:[5-1]".into(),
            ],
            "ports",
        ),
        (
            vec![
                "--master=127.0.0.1:5050".into(),
                work_flag.clone(),
                "--resources=mem".into(),
            ],
            "mem",
        ),
        (
            vec![
                "--master=127.0.0.1:5050".into(),
                work_flag.clone(),
                "--attributes=x:{a,b}".into(),
            ],
            "--attributes",
        ),
        (
            vec![
                "--master=127.0.0.1:5050".into(),
                work_flag.clone(),
                "--logging_level=LOUD".into(),
            ],
            "logging_level",
        ),
        (
            vec![
                "--master=127.0.0.1:5050".into(),
                work_flag.clone(),
                "--ip=not-an-ip".into(),
            ],
            "--ip",
        ),
        (vec!["--master=ftp://x".into(), work_flag.clone()], "ftp"),
    ];
    let usage: Vec<(Vec<String>, &str)> = vec![
        (vec![work_flag.clone()], "--master"),
        (vec!["--master=127.0.0.1:5050".into()], "--work_dir"),
    ];
    let all = cases
        .into_iter()
        .enumerate()
        .map(|(i, (a, n))| (a, n, if i == 0 { 2 } else { 1 }))
        .chain(usage.into_iter().map(|(a, n)| (a, n, 2)));
    for (args, needle, code) in all {
        let mut full = vec!["agent".to_string()];
        full.extend(args.clone());
        let refs: Vec<&str> = full.iter().map(String::as_str).collect();
        let r = env.run(&refs);
        r.assert_code(code);
        assert_eq!(r.stderr.lines().count(), 1, "{args:?}: {}", r.stderr);
        assert!(r.stderr.starts_with("error: "), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(needle),
            "{args:?} should name {needle}: {}",
            r.stderr
        );
    }
    let r = env.run(&["agent", "--help"]);
    r.assert_ok();
    assert!(
        r.stdout.contains("--work_dir") && r.stdout.contains("--executor_shutdown_grace_period")
    );
    // Environment variables count as flags.
    let r = TestEnv::new().env("MESOS_RESOURCES", "disk:x").run(&[
        "agent",
        "--master=127.0.0.1:1",
        &work_flag,
    ]);
    r.assert_code(1);
    assert!(r.stderr.contains("disk"), "{}", r.stderr);
}

#[test]
fn sigterm_stops_the_agent_promptly() {
    let (m, mut a) = setup(&[]);
    run_task(&a, framework(&[]), task("bg", shell("sleep 100")));
    let s = wait_update(&m, "bg", "TASK_STARTING");
    ack(&a, "bg", &s);
    wait_update(&m, "bg", "TASK_RUNNING");
    let t0 = Instant::now();
    let st = a.terminate();
    assert!(
        t0.elapsed() < Duration::from_secs(5),
        "took {:?}",
        t0.elapsed()
    );
    assert!(st.success(), "{st}");
    let log = a.log();
    assert!(log.contains("Listening on http://127.0.0.1:"), "{log}");
    assert!(log.contains("Received SIGTERM"), "{log}");
    // glog format: `I1121 23:40:31.123456  1234 file.rs:42] message`
    let line = log.lines().find(|l| l.contains("Listening on")).unwrap();
    assert!(
        line.starts_with('I') && line.contains("] Listening on"),
        "{line}"
    );
    let log_file = std::fs::read_to_string(a.dir.path().join("logs/mesos-agent.INFO")).unwrap();
    assert!(log_file.contains("Listening on"), "{log_file}");
    // Drop kills the task left behind.
}

#[test]
fn follows_the_leader_through_zookeeper() {
    use crate::common::zk::{master_info_json, shared, unique_path, ZkSession};
    let zk = shared();
    let path = unique_path("agent-leader");
    let m1 = fake_master();
    let m2 = fake_master();
    let localhost: std::net::Ipv4Addr = "127.0.0.1".parse().unwrap();
    let s1 = ZkSession::connect(&zk.connect_string(), None);
    s1.register_master(
        &path,
        &master_info_json("m1", localhost, m1.port, "localhost"),
    );
    let a = AgentProc::start(&zk.url(&path), &[]);
    wait_until(DEADLINE, "registration with the ZooKeeper leader", || {
        !m1.requests_to("/master/internal/register").is_empty()
    });
    wait_until(DEADLINE, "agent id", || {
        a.get_json("/slave(1)/state")["id"] == AGENT_ID
    });
    assert!(m2.requests_to("/master/internal/register").is_empty());
    // Leader change: m2 joins, m1's session ends, m1 stops answering as leader.
    let s2 = ZkSession::connect(&zk.connect_string(), None);
    s2.register_master(
        &path,
        &master_info_json("m2", localhost, m2.port, "localhost"),
    );
    s1.close();
    m1.route(
        "/master/internal/ping",
        Answer::status(503, "No leader elected"),
    );
    wait_until(DEADLINE, "re-registration with the new leader", || {
        m2.requests_to("/master/internal/register")
            .iter()
            .any(|r| r.json()["agent_id"] == AGENT_ID)
    });
    wait_until(DEADLINE, "pings to the new leader", || {
        !m2.requests_to("/master/internal/ping").is_empty()
    });
    drop(s2);
}

#[test]
fn follows_a_redirect_to_the_leader() {
    let leader = fake_master();
    let standby = TestServer::start();
    standby.route(
        "/master/internal/register",
        Answer::redirect(&format!("//{}", leader.addr())),
    );
    let a = AgentProc::start(&standby.addr(), &[]);
    wait_until(DEADLINE, "registration through the redirect", || {
        a.get_json("/slave(1)/state")["id"] == AGENT_ID
    });
    assert_eq!(leader.requests_to("/master/internal/register").len(), 1);
    assert_eq!(
        a.get_json("/slave(1)/state")["master_hostname"],
        "localhost"
    );
}
