//! `ps`, `frameworks`, `agents`, `ls`, `cat`, `events` against a test HTTP
//! server replaying bodies captured from real Mesos (0.22, 0.27, 1.2, 1.5,
//! 1.7; tests/fixtures/). Agent addresses inside the bodies are pointed
//! at local test servers (or at closed ports, for dead agents); nothing
//! else in the bodies is changed.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::http::{Answer, TestServer};
use crate::common::{free_port, read_fixture_text, Run, TestEnv};

fn fixture(name: &str) -> String {
    read_fixture_text(name)
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// Point every agent pid in a master state at `addr(agent_id)`.
fn repoint(state: &mut Value, addr: impl Fn(&str) -> String) {
    for key in ["slaves", "agents"] {
        if let Some(list) = state.get_mut(key).and_then(Value::as_array_mut) {
            for a in list {
                let id = a["id"].as_str().unwrap_or_default().to_string();
                let target = addr(&id);
                a["pid"] = json!(format!("slave(1)@{target}"));
                if let Some((_, port)) = target.rsplit_once(':') {
                    if a.get("port").is_some() {
                        a["port"] = json!(port.parse::<u16>().unwrap());
                    }
                }
            }
        }
    }
}

/// A closed port: connecting is refused at once.
fn dead_addr() -> String {
    format!("127.0.0.1:{}", free_port())
}

/// Every task of a master state, as `/master/tasks` would list them.
fn tasks_of(state: &Value) -> Value {
    let mut tasks = Vec::new();
    for fk in ["frameworks", "completed_frameworks"] {
        for f in state[fk].as_array().into_iter().flatten() {
            for tk in ["tasks", "unreachable_tasks", "completed_tasks"] {
                for t in f[tk].as_array().into_iter().flatten() {
                    tasks.push(t.clone());
                }
            }
        }
    }
    json!({ "tasks": tasks })
}

fn master() -> TestServer {
    let m = TestServer::start();
    m.as_leader();
    m
}

fn run(m: &TestServer, args: &[&str]) -> Run {
    let addr = m.addr();
    let mut all: Vec<&str> = vec!["--master", &addr];
    all.extend_from_slice(args);
    TestEnv::new().run(&all)
}

/// Rows of plain table output (header first), split on runs of 2+ spaces.
fn rows(stdout: &str) -> Vec<Vec<String>> {
    stdout
        .lines()
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(String::from)
                .collect()
        })
        .collect()
}

// ---------------------------------------------------------------------------
// ps

#[test]
fn ps_on_a_0_22_master_falls_back_to_state_json() {
    let mut state = fixture_json("master-state-0.22.json");
    let agent = TestServer::start();
    agent.route(
        "/monitor/statistics.json",
        Answer::json(fixture("agent-monitor-statistics-0.21.json")),
    );
    let a = agent.addr();
    repoint(&mut state, |_| a.clone());
    let m = master();
    m.route("/master/state.json", Answer::json(state.to_string()));
    let r = run(&m, &["ps"]);
    r.assert_ok();
    let rows = rows(&r.stdout);
    assert_eq!(
        rows[0],
        [
            "ID",
            "NAME",
            "FRAMEWORK",
            "STATE",
            "HOST",
            "CPUS",
            "MEM",
            "TIME",
            "RSS",
            "%MEM"
        ]
    );
    assert_eq!(
        rows[1],
        [
            "hello.dc130e23-df88-11e4-b9ec-080027fc1312",
            "hello",
            "marathon",
            "RUNNING",
            "localhost",
            "1",
            "100M",
            "-",
            "-",
            "-"
        ]
    );
    assert_eq!(rows.len(), 2);
    // The agent was asked for statistics exactly once (old spelling found by fallback).
    assert_eq!(agent.requests_to("/monitor/statistics.json").len(), 1);
}

#[test]
fn ps_uses_tasks_and_state_summary_not_the_full_state() {
    let state = fixture_json("master-state-1.2.json");
    let m = master();
    m.route("/master/tasks", Answer::json(tasks_of(&state).to_string()));
    m.route(
        "/master/state-summary",
        Answer::json(fixture("state-summary-1.2.json")),
    );
    let r = run(&m, &["ps", "--no-usage"]);
    r.assert_ok();
    let rows = rows(&r.stdout);
    assert_eq!(
        rows[0],
        ["ID", "NAME", "FRAMEWORK", "STATE", "HOST", "CPUS", "MEM"]
    );
    // 5 running tasks (1 kafka broker + 4 marathon apps), all on 10.0.3.46.
    assert_eq!(rows.len(), 6, "{}", r.stdout);
    let broker = rows
        .iter()
        .find(|r| r[0].starts_with("broker-0__"))
        .unwrap();
    assert_eq!(
        broker[1..],
        [
            "broker-0",
            "confluent-kafka",
            "RUNNING",
            "10.0.3.46",
            "1",
            "2.2G"
        ]
    );
    let kafka = rows
        .iter()
        .find(|r| r[0].starts_with("confluent-kafka."))
        .unwrap();
    assert_eq!(
        kafka[1..],
        [
            "confluent-kafka",
            "marathon",
            "RUNNING",
            "10.0.3.46",
            "1",
            "1.2G"
        ]
    );
    assert!(m.requests_to("/master/state").is_empty(), "{:?}", m.paths());
    let q = m.requests_to("/master/tasks")[0]
        .query
        .clone()
        .unwrap_or_default();
    assert!(q.contains("limit=-1"), "{q}");

    // -i adds the 272 completed marathon tasks.
    let r = run(&m, &["ps", "--no-usage", "-i", "-q"]);
    r.assert_ok();
    assert_eq!(r.stdout.lines().count(), 5 + 272);

    // An exact id asks /master/tasks?task_id= first.
    let id = "confluent-kafka.4e941eb7-c642-11e6-9066-5a8a388c67a1";
    let before = m.requests_to("/master/tasks").len();
    let r = run(&m, &["ps", "--no-usage", "-q", id]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), id);
    let reqs = m.requests_to("/master/tasks");
    assert_eq!(reqs.len(), before + 1, "one small request is enough");
    assert!(reqs
        .last()
        .unwrap()
        .query
        .as_deref()
        .unwrap_or("")
        .contains("task_id="));

    // Filters.
    let r = run(
        &m,
        &["ps", "--no-usage", "-q", "--framework", "confluent-kafka"],
    );
    assert_eq!(
        r.stdout.lines().collect::<Vec<_>>(),
        ["broker-0__110e02b3-b6a3-4979-be56-7e5535757ebf"]
    );
    let r = run(&m, &["ps", "--no-usage", "-q", "logging"]);
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
    let r = run(
        &m,
        &[
            "ps",
            "--no-usage",
            "-q",
            "--state",
            "finished",
            "--framework",
            "marathon",
        ],
    );
    assert!(r.stdout.lines().count() > 100, "{}", r.stdout);
    let r = run(
        &m,
        &[
            "ps",
            "--no-usage",
            "-q",
            "--regex",
            "^development_logging\\.b8",
        ],
    );
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
}

#[test]
fn ps_json_records_from_a_1_5_state() {
    let mut state = fixture_json("master-state-1.5.json");
    repoint(&mut state, |_| dead_addr());
    let m = master();
    m.route("/master/state", Answer::json(state.to_string()));
    let r = run(&m, &["ps", "--no-usage", "--json"]);
    r.assert_ok();
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 6);
    let t = list.iter().find(|t| t["id"] == "test123-123").unwrap();
    assert_eq!(t["name"], "test123");
    assert_eq!(t["framework"], "marathon");
    assert_eq!(
        t["framework_id"],
        "db10f9b1-5b82-4187-aa47-4fbcefc7cdca-0000"
    );
    assert_eq!(t["state"], "TASK_RUNNING");
    assert_eq!(t["agent_id"], "db10f9b1-5b82-4187-aa47-4fbcefc7cdca-S1");
    assert_eq!(t["hostname"], "10.0.0.157");
    assert_eq!(t["executor_id"], "test123-123");
    assert_eq!(t["cpus"], 0.1);
    assert_eq!(t["mem"], 128.0);
    assert!(t["usage"].is_null());
    assert!(t["started"].as_f64().unwrap() > 1.5e9);
    // Pod tasks keep their executor id.
    let p = list.iter().find(|t| t["name"] == "container-1").unwrap();
    assert_eq!(
        p["executor_id"],
        "instance-parent-pod.da6ef080-b81f-11e7-a9ac-52ad791ffaa8"
    );
    // --ndjson: one object per line.
    let r = run(&m, &["ps", "--no-usage", "--ndjson"]);
    assert_eq!(r.stdout.lines().count(), 6);
    for l in r.stdout.lines() {
        serde_json::from_str::<Value>(l).unwrap();
    }
}

#[test]
fn ps_with_a_dead_agent_shows_dashes_warns_and_exits_3() {
    let mut state = fixture_json("master-state-0.27.json");
    let live = TestServer::start();
    live.route("/slave(1)/monitor/statistics", Answer::json("[]"));
    let la = live.addr();
    repoint(&mut state, |id| {
        if id.ends_with("-S2") {
            la.clone()
        } else {
            dead_addr()
        }
    });
    let m = master();
    m.route("/master/state", Answer::json(state.to_string()));
    let r = run(&m, &["ps"]);
    r.assert_code(3);
    let rows = rows(&r.stdout);
    assert_eq!(rows.len(), 5, "{}", r.stdout);
    for row in &rows[1..] {
        assert_eq!(row[7..], ["-", "-", "-"], "{row:?}");
    }
    // Three dead agents run tasks (S0, S4, S5); each is named once.
    let warned: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: no usage from agent"))
        .collect();
    assert_eq!(warned.len(), 3, "{}", r.stderr);
    assert!(r.stderr.contains("-S5 (10.0.1.108)"), "{}", r.stderr);
    assert!(
        r.stderr
            .lines()
            .last()
            .unwrap()
            .starts_with("error: usage missing from 3 of 4 agents"),
        "{}",
        r.stderr
    );
    assert_eq!(live.requests_to("/slave(1)/monitor/statistics").len(), 1);
    assert!(r.elapsed < Duration::from_secs(5), "{:?}", r.elapsed);
}

#[test]
fn ps_not_found_exits_4_with_a_hint() {
    let state = fixture_json("master-state-1.2.json");
    let m = master();
    m.route("/master/tasks", Answer::json(tasks_of(&state).to_string()));
    m.route(
        "/master/state-summary",
        Answer::json(fixture("state-summary-1.2.json")),
    );
    let r = run(&m, &["ps", "no-such-task"]);
    r.assert_code(4).assert_clean_error();
    assert!(
        r.stderr.contains("no task matches 'no-such-task'"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("hint: add -i"), "{}", r.stderr);
    // One rule for every way of selecting: a framework without active
    // tasks, or no such framework, selects nothing (exit 4) like TASK does.
    let r = run(&m, &["ps", "--no-usage", "--framework", "metronome"]);
    r.assert_code(4).assert_clean_error();
    assert!(
        r.stderr
            .contains("no task matches the selection, framework 'metronome'"),
        "{}",
        r.stderr
    );
    let r = run(&m, &["ps", "--no-usage", "--framework", "nosuch"]);
    r.assert_code(4).assert_clean_error();
    // Everything, when there is nothing, is just empty.
    let empty = master();
    empty.route(
        "/master/tasks",
        Answer::json(r#"{"tasks": []}"#.to_string()),
    );
    empty.route(
        "/master/state-summary",
        Answer::json(r#"{"slaves": [], "frameworks": []}"#.to_string()),
    );
    let r = run(&empty, &["ps", "--no-usage"]);
    r.assert_ok();
    assert_eq!(r.stdout.lines().count(), 1, "only the header: {}", r.stdout);
}

// ---------------------------------------------------------------------------
// frameworks, agents

#[test]
fn frameworks_from_0_27_state_and_1_2_frameworks_endpoint() {
    let m = master();
    m.route(
        "/master/state.json",
        Answer::json(fixture("master-state-0.27.json")),
    );
    let r = run(&m, &["frameworks"]);
    r.assert_ok();
    let rows = rows(&r.stdout);
    assert_eq!(
        rows[0],
        [
            "ID",
            "NAME",
            "HOST",
            "USER",
            "ACTIVE",
            "REGISTERED",
            "TASKS",
            "CPUS",
            "MEM",
            "DISK"
        ]
    );
    let c = rows.iter().find(|r| r[1] == "cassandra").unwrap();
    assert_eq!(c[0], "b3bd182c-c6d7-463e-8bf0-06cd5807df4e-0001");
    assert_eq!(c[2], "ip-10-0-1-110.us-west-2.compute.internal");
    assert_eq!(c[4], "yes");
    assert_eq!(c[6], "3");
    let mk = rows.iter().find(|r| r[1] == "marathon").unwrap();
    assert_eq!(mk[6], "1");

    let state = fixture_json("master-state-1.2.json");
    let m = master();
    let body = json!({
        "frameworks": state["frameworks"],
        "completed_frameworks": state["completed_frameworks"],
        "unregistered_frameworks": [],
    });
    m.route("/master/frameworks", Answer::json(body.to_string()));
    let r = run(&m, &["frameworks", "--json"]);
    r.assert_ok();
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    let mk = v
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "marathon")
        .unwrap();
    assert_eq!(mk["tasks"]["active"], 4);
    assert_eq!(mk["tasks"]["completed"], 272);
    assert_eq!(mk["active"], true);
    assert!(mk["registered_time"].as_f64().unwrap() > 1.4e9);
    assert!(mk["resources"]["used"]["mem"].as_f64().unwrap() > 0.0);
    assert!(m.requests_to("/master/state").is_empty());
    let r = run(&m, &["frameworks", "-i", "-q"]);
    assert_eq!(r.stdout.lines().count(), 4);
    let r = run(&m, &["frameworks", "kafka", "-q"]);
    assert_eq!(r.stdout.trim(), "c116a0cf-3d63-45f5-898d-5bc2136e2c5b-0003");
    let r = run(&m, &["frameworks", "nothing-like-this"]);
    r.assert_code(4).assert_clean_error();
}

#[test]
fn agents_from_state_summaries_of_three_versions_and_a_0_22_state() {
    for (file, n, first_id, host) in [
        (
            "state-summary-0.27.json",
            6,
            "b3bd182c-c6d7-463e-8bf0-06cd5807df4e-S5",
            "10.0.1.108",
        ),
        (
            "state-summary-1.2.json",
            2,
            "c116a0cf-3d63-45f5-898d-5bc2136e2c5b-S1",
            "10.0.3.46",
        ),
        (
            "state-summary-1.7.json",
            1,
            "113c74e9-1c3f-4c7b-a2ac-0cbaa6a21d01-S2100",
            "localhost",
        ),
    ] {
        let m = master();
        m.route("/master/state-summary", Answer::json(fixture(file)));
        let r = run(&m, &["agents"]);
        r.assert_ok();
        let rows = rows(&r.stdout);
        assert_eq!(
            rows[0],
            [
                "ID",
                "HOSTNAME",
                "ADDRESS",
                "ACTIVE",
                "REGISTERED",
                "TASKS",
                "CPUS",
                "MEM",
                "DISK",
                "ATTRIBUTES"
            ],
            "{file}"
        );
        assert_eq!(rows.len(), n + 1, "{file}: {}", r.stdout);
        let row = rows
            .iter()
            .find(|r| r[0] == first_id)
            .unwrap_or_else(|| panic!("{file}: {}", r.stdout));
        assert_eq!(row[1], host, "{file}");
        assert_eq!(row[3], "yes", "{file}");
        // `node list` is the same listing.
        let n2 = run(&m, &["node", "list"]);
        assert_eq!(n2.stdout, r.stdout);
    }
    // 1.7 (production numbers): 8 cpus, attributes rendered, JSON fields.
    let m = master();
    m.route(
        "/master/state-summary",
        Answer::json(fixture("state-summary-1.7.json")),
    );
    let r = run(&m, &["agents", "--json"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let a = &v[0];
    assert_eq!(a["resources"]["total"]["cpus"], 8.0);
    assert_eq!(a["address"], "localhost:5051");
    assert_eq!(a["attributes"]["env"], "prod");
    assert!(a["tasks"]["by_state"].is_object());
    let r = run(&m, &["agents"]);
    assert!(
        r.stdout
            .contains("cluster=48,env=prod,name=agent,number=29160"),
        "{}",
        r.stdout
    );
    // 1.2: task counts from the summary.
    let m = master();
    m.route(
        "/master/state-summary",
        Answer::json(fixture("state-summary-1.2.json")),
    );
    let r = run(&m, &["agents", "--json"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let s1 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "c116a0cf-3d63-45f5-898d-5bc2136e2c5b-S1")
        .unwrap();
    assert_eq!(s1["tasks"]["active"], 5);

    // 0.22: no state-summary; counts computed from /master/state.json.
    let m = master();
    m.route(
        "/master/state.json",
        Answer::json(fixture("master-state-0.22.json")),
    );
    let r = run(&m, &["agents"]);
    r.assert_ok();
    let rows = rows(&r.stdout);
    assert_eq!(rows[1][0], "20150410-134224-16777343-5050-1778-S0");
    assert_eq!(rows[1][2], "127.0.0.1:5051");
    assert_eq!(rows[1][5], "1");
    let r = run(&m, &["agents", "no-such-agent"]);
    r.assert_code(4).assert_clean_error();
}

// ---------------------------------------------------------------------------
// Sandbox files through a replayed agent

/// A 0.27 master whose agent S2 is a test server with the real agent state
/// and `/files/browse` bodies.
fn cluster_0_27() -> (TestServer, TestServer) {
    let agent = TestServer::start();
    agent.route(
        "/slave(1)/state",
        Answer::json(fixture("agent-state-0.27.json")),
    );
    agent.route(
        "/files/browse",
        Answer::json(fixture("files-browse-0.27.json")),
    );
    let mut state = fixture_json("master-state-0.27.json");
    let a = agent.addr();
    repoint(&mut state, |id| {
        if id.ends_with("-S2") {
            a.clone()
        } else {
            dead_addr()
        }
    });
    let m = master();
    m.route("/master/state", Answer::json(state.to_string()));
    (m, agent)
}

const SANDBOX_0_27: &str = "/var/lib/mesos/slave/slaves/b3bd182c-c6d7-463e-8bf0-06cd5807df4e-S2/frameworks/b3bd182c-c6d7-463e-8bf0-06cd5807df4e-0001/executors/server-0_10ab666b-cf9b-44eb-bc53-b6dba1b7c737_executor/runs/6ce1f063-3838-49b9-b6aa-428127094507";

#[test]
fn ls_finds_the_sandbox_through_the_agent_state() {
    let (m, agent) = cluster_0_27();
    let r = run(&m, &["ls", "server-0"]);
    r.assert_ok();
    let names: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(names.len(), 13);
    assert!(
        names.contains(&"stdout") && names.contains(&"jre1.7.0_76"),
        "{names:?}"
    );
    let q = agent.requests_to("/files/browse")[0].query.clone().unwrap();
    let path = url_param(&q, "path");
    assert_eq!(path, SANDBOX_0_27);
    let r = run(&m, &["ls", "-l", "server-0"]);
    r.assert_ok();
    let line = r.stdout.lines().find(|l| l.ends_with(" stdout")).unwrap();
    assert!(line.starts_with("-rw-r--r-- 1 root root "), "{line}");
    assert!(line.contains(" 261 "), "{line}");
    let r = run(&m, &["ls", "--json", "server-0"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let jre = v
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "jre1.7.0_76")
        .unwrap();
    assert_eq!(jre["type"], "directory");
    assert_eq!(jre["size"], 4096);
    assert_eq!(jre["mode"], "drwxr-xr-x");
}

#[test]
fn ls_with_several_matches_exits_4_listing_candidates() {
    let (m, _agent) = cluster_0_27();
    // server-0, server-1, server-2 all match "server".
    let r = run(&m, &["ls", "server"]);
    r.assert_code(4).assert_clean_error();
    for id in [
        "server-0_10ab666b",
        "server-1_486aff94",
        "server-2_1b100d78",
    ] {
        assert!(r.stderr.contains(id), "{}", r.stderr);
    }
    assert!(
        r.stderr.contains("3 tasks match, ls needs one"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("RUNNING"), "{}", r.stderr);
    let r = run(&m, &["download", "nothing-matches"]);
    r.assert_code(4).assert_clean_error();
}

#[test]
fn cat_streams_bytes_exactly_and_names_dead_agents() {
    let (m, agent) = cluster_0_27();
    let mut bytes: Vec<u8> = "héllo ✓\n".as_bytes().to_vec();
    bytes.extend_from_slice(&[0, 1, 2, 0xff, 0xfe, b'\n']);
    agent.route(
        "/files/download",
        Answer {
            status: 200,
            headers: vec![("content-type".into(), "application/octet-stream".into())],
            body: bytes.clone(),
        },
    );
    let env = TestEnv::new();
    let out = env
        .command(&["--master", &m.addr(), "cat", "server-0"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, bytes);
    let q = agent.requests_to("/files/download")[0]
        .query
        .clone()
        .unwrap();
    assert_eq!(url_param(&q, "path"), format!("{SANDBOX_0_27}/stdout"));
    // All three cassandra servers: one is readable, two agents are dead -> exit 3.
    let out = env
        .command(&["--master", &m.addr(), "cat", "server", "stdout"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = out.stdout;
    let header = b"==> server-0_10ab666b-cf9b-44eb-bc53-b6dba1b7c737:stdout <==\n";
    assert!(stdout.windows(header.len()).any(|w| w == header));
    assert!(stdout.ends_with(&bytes));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.lines()
            .filter(|l| l.starts_with("warning: server-"))
            .count(),
        2,
        "{err}"
    );
    // -q: no headers.
    let out = env
        .command(&[
            "--master",
            &m.addr(),
            "cat",
            "-q",
            "server-0",
            "stdout",
            "stdout",
        ])
        .output()
        .unwrap();
    assert_eq!(out.stdout, [bytes.clone(), bytes.clone()].concat());
}

fn url_param(query: &str, key: &str) -> String {
    reqwest::Url::parse(&format!("http://x/?{query}"))
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------
// events

#[test]
fn events_replays_a_real_subscribe_stream_and_reconnects() {
    let mut body = Vec::new();
    let events: Vec<Value> = fixture("master-api-v1-subscribe-1.5.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for e in &events {
        body.extend(mesos::recordio::encode(e.to_string().as_bytes()));
    }
    let m = master();
    m.route("/master/api/v1", Answer::json(body));
    let env = TestEnv::new();

    // Readable lines; the stream ends after the last event, so a second
    // SUBSCRIBED shows the reconnection.
    let lines = read_lines(&env, &["--master", &m.addr(), "events"], events.len() + 2);
    assert!(
        lines[0].contains("SUBSCRIBED") && lines[0].contains("master=127.0.0.1:"),
        "{lines:?}"
    );
    let updated = lines.iter().find(|l| l.contains("TASK_UPDATED")).unwrap();
    assert!(
        updated.contains("task=") && updated.contains("framework=") && updated.contains("TASK_"),
        "{updated}"
    );
    assert!(
        lines.iter().skip(1).any(|l| l.contains("SUBSCRIBED")),
        "{lines:?}"
    );
    let first: Vec<&str> = lines[0].split("  ").collect();
    assert!(first[0].ends_with('Z') && first[0].len() == 24, "{first:?}");

    // --ndjson: the events as received.
    let lines = read_lines(
        &env,
        &["--master", &m.addr(), "events", "--ndjson"],
        events.len(),
    );
    for (got, want) in lines.iter().zip(&events) {
        let got: Value = serde_json::from_str(got).unwrap();
        assert_eq!(&got, want);
    }
    // --type filters.
    let lines = read_lines(
        &env,
        &["--master", &m.addr(), "events", "--type", "task_added"],
        2,
    );
    assert!(lines.iter().all(|l| l.contains("TASK_ADDED")), "{lines:?}");
    let req = &m.requests_to("/master/api/v1")[0];
    assert_eq!(req.json()["type"], "SUBSCRIBE");
}

/// Run a streaming command, return its first `n` stdout lines, kill it.
fn read_lines(env: &TestEnv, args: &[&str], n: usize) -> Vec<String> {
    let mut child = env
        .command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for l in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(l).is_err() {
                break;
            }
        }
    });
    let mut out = Vec::new();
    while out.len() < n {
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(l) => out.push(l),
            Err(_) => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(out.len(), n, "got only {} lines: {out:?}", out.len());
    out
}
