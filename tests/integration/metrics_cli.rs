//! `mesos node metrics`, `mesos task metrics` and `mesos metrics` against
//! replayed plain-Mesos agents (0.22 snapshot, 0.21 monitor statistics), a
//! replayed DC/OS master (documentation-derived `/node` body), and real
//! bundled daemons.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::cluster::{start_agent, start_master};
use crate::common::http::{Answer, TestServer};
use crate::common::{free_port, read_fixture_text, wait_until, Run, TestEnv};

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&read_fixture_text(name)).unwrap()
}

/// The 0.22 master state with its one agent (S0) pointed at `addr`.
fn master_0_22(addr: &str) -> TestServer {
    let mut state = fixture_json("master-state-0.22.json");
    for a in state["slaves"].as_array_mut().unwrap() {
        a["pid"] = json!(format!("slave(1)@{addr}"));
    }
    let m = TestServer::start();
    m.as_leader();
    m.route("/master/state.json", Answer::json(state.to_string()));
    m
}

/// A plain Mesos 0.22 agent: snapshot and monitor statistics, no v0 API.
fn plain_agent() -> TestServer {
    let a = TestServer::start();
    a.route(
        "/metrics/snapshot",
        Answer::json(read_fixture_text("agent-stats-0.22.json")),
    );
    a.route(
        "/monitor/statistics",
        Answer::json(read_fixture_text("agent-monitor-statistics-0.21.json")),
    );
    a
}

fn run(master: &str, args: &[&str]) -> Run {
    let mut all: Vec<&str> = vec!["--master", master];
    all.extend_from_slice(args);
    TestEnv::new().run(&all)
}

fn json_out(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

#[test]
fn summary_of_a_plain_mesos_agent_is_derived_from_its_snapshot() {
    let agent = plain_agent();
    let m = master_0_22(&agent.addr());
    let r = run(&m.addr(), &["node", "metrics", "summary", "--json"]);
    r.assert_ok();
    let v = json_out(&r);
    let row = &v[0];
    assert_eq!(row["agent_id"], "20150410-134224-16777343-5050-1778-S0");
    assert_eq!(row["source"], "derived");
    assert_eq!(row["load_1min"], 0.1);
    assert_eq!(row["mem_total_bytes"], 513798144u64);
    assert_eq!(row["mem_used_bytes"], 513798144u64 - 34271232);
    // Not in a snapshot: unknown, never invented.
    assert!(row["cpu_percent"].is_null(), "{row}");
    assert!(row["disk_used_bytes"].is_null(), "{row}");
    assert!(row["disk_total_bytes"].is_null(), "{row}");
    assert_eq!(row["tasks"], 1);

    // The table marks them `-`; -v names the source.
    let r = run(&m.addr(), &["-v", "node", "metrics", "summary"]);
    r.assert_ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[0].starts_with("AGENT"), "{}", r.stdout);
    let cells: Vec<&str> = lines[1]
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(cells[2], "-", "{}", r.stdout);
    assert_eq!(cells[3], "0.1", "{}", r.stdout);
    assert_eq!(cells[4], "457.31 MiB / 490.00 MiB", "{}", r.stdout);
    assert!(r.stderr.contains("source derived"), "{}", r.stderr);

    // Details: the JSON lists what cannot be known.
    let r = run(
        &m.addr(),
        &["node", "metrics", "details", "20150410", "--json"],
    );
    r.assert_ok();
    let v = json_out(&r);
    let unknown: Vec<&str> = v["unknown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert!(unknown.contains(&"cpu.total"), "{unknown:?}");
    assert!(unknown.contains(&"filesystem.capacity.used"), "{unknown:?}");
    let names: Vec<&str> = v["message"]["datapoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"load.1min") && names.contains(&"slave/cpus_total"));
    assert!(!names.contains(&"cpu.total"));
}

#[test]
fn task_metrics_of_a_plain_mesos_agent_come_from_monitor_statistics() {
    let agent = plain_agent();
    let m = TestServer::start();
    m.as_leader();
    let aid = "20150410-134224-16777343-5050-1778-S0";
    // A master listing the task whose command executor the statistics fixture measured.
    let tid = "task_name.09b6f20c-b6a9-11e4-99f6-fa163ef210c0";
    m.route(
        "/master/tasks",
        Answer::json(
            json!({"tasks":[{"id": tid, "name":"task_name","framework_id":"105146",
                "slave_id": aid, "executor_id":"", "state":"TASK_RUNNING","resources":{}}]})
            .to_string(),
        ),
    );
    m.route(
        "/master/state-summary",
        Answer::json(
            json!({"slaves":[{"id": aid, "hostname":"localhost",
                "pid": format!("slave(1)@{}", agent.addr()), "active": true}],
                "frameworks":[{"id":"105146","name":"marathon"}]})
            .to_string(),
        ),
    );
    let r = run(
        &m.addr(),
        &["task", "metrics", "summary", "task_name.09b6", "--json"],
    );
    r.assert_ok();
    let v = json_out(&r);
    assert_eq!(v[0]["task_id"], tid);
    assert_eq!(v[0]["cpus_user_time_secs"], 7.52);
    assert_eq!(v[0]["cpus_system_time_secs"], 1.11);
    assert_eq!(v[0]["cpus_limit"], 0.6);
    assert_eq!(v[0]["mem_limit_bytes"], 557842432u64);
    // The 0.21 statistics have no mem_total_bytes / disk: unknown.
    assert!(v[0]["mem_total_bytes"].is_null());
    assert!(v[0]["disk_used_bytes"].is_null());

    let r = run(&m.addr(), &["task", "metrics", "details", tid, "--json"]);
    r.assert_ok();
    let v = json_out(&r);
    assert_eq!(v["source"], "derived");
    assert_eq!(v["container"]["dimensions"]["executor_id"], tid);
    assert!(v["unknown"]
        .as_array()
        .unwrap()
        .contains(&json!("mem.total")));
    let r = run(&m.addr(), &["task", "metrics", "summary", "nosuchtask"]);
    r.assert_code(4).assert_clean_error();
}

/// A DC/OS master behind Admin Router with two agents: S1 with the
/// documentation-derived `/node` body, S2 with nothing collected yet (204).
fn dcos_master() -> TestServer {
    let p = TestServer::start();
    p.route(
        "/mesos/master/redirect",
        Answer::redirect("//10.0.0.5:5050"),
    );
    let s1 = "41932554-feb2-43b3-b5b8-1f61aaa308c1-S1";
    let s2 = "41932554-feb2-43b3-b5b8-1f61aaa308c1-S2";
    p.route(
        "/mesos/master/slaves",
        Answer::json(
            json!({"slaves":[
                {"id": s1, "hostname":"10.0.1.22","pid":"slave(1)@10.0.1.22:5051","active":true},
                {"id": s2, "hostname":"10.0.1.23","pid":"slave(1)@10.0.1.23:5051","active":true}]})
            .to_string(),
        ),
    );
    p.route(
        "/mesos/master/tasks",
        Answer::json(json!({"tasks":[{"id":"t1","name":"t1","framework_id":"F","slave_id":s1,"state":"TASK_RUNNING"}]}).to_string()),
    );
    p.route(
        "/mesos/master/state-summary",
        Answer::json(json!({"slaves":[],"frameworks":[]}).to_string()),
    );
    p.route(
        &format!("/system/v1/agent/{s1}/metrics/v0/node"),
        Answer::json(read_fixture_text("dcos-metrics-node-doc.json")),
    );
    p.route(
        &format!("/system/v1/agent/{s2}/metrics/v0/node"),
        Answer::status(204, ""),
    );
    p
}

#[test]
fn dcos_summary_is_computed_like_dcoscli_and_204_is_no_metrics_yet() {
    let p = dcos_master();
    let base = format!("{}/mesos", p.url());
    let r = run(&base, &["-v", "node", "metrics", "summary", "--json"]);
    r.assert_ok();
    let v = json_out(&r);
    assert_eq!(v.as_array().unwrap().len(), 2, "{v}");
    let s1 = &v[0];
    assert_eq!(s1["source"], "dcos");
    assert_eq!(s1["cpu_percent"], 3.25);
    assert_eq!(s1["load_1min"], 0.42);
    assert_eq!(s1["mem_total_bytes"], 16697241600u64);
    assert_eq!(s1["mem_used_bytes"], 16697241600u64 - 10737418240);
    // The filesystem at `/`, not `/boot`.
    assert_eq!(s1["disk_total_bytes"], 53687091200u64);
    assert_eq!(s1["disk_used_bytes"], 21474836480u64);
    assert_eq!(s1["tasks"], 1);
    let s2 = &v[1];
    assert!(
        s2["cpu_percent"].is_null() && s2["mem_total_bytes"].is_null(),
        "{s2}"
    );
    assert!(r.stderr.contains("no metrics yet"), "{}", r.stderr);
    assert!(r.stderr.contains("source dcos"), "{}", r.stderr);

    // details: bytes as GiB, percent with %.
    let r = run(&base, &["node", "metrics", "details", "10.0.1.22"]);
    r.assert_ok();
    let line = |name: &str| {
        r.stdout
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {}", r.stdout))
            .to_string()
    };
    assert!(line("memory.cached").contains("1.76 GiB"), "{}", r.stdout);
    assert!(line("cpu.total").contains("3.25%"), "{}", r.stdout);
    assert!(
        line("filesystem.inode.free").contains("path:/"),
        "{}",
        r.stdout
    );
}

#[test]
fn one_failing_agent_of_two_exits_3_with_the_other_row() {
    let good = plain_agent();
    let dead = format!("127.0.0.1:{}", free_port());
    let m = TestServer::start();
    m.as_leader();
    m.route(
        "/master/slaves",
        Answer::json(
            json!({"slaves":[
                {"id":"S-good","hostname":"good","pid":format!("slave(1)@{}", good.addr()),"active":true},
                {"id":"S-dead","hostname":"dead","pid":format!("slave(1)@{dead}"),"active":true}]})
            .to_string(),
        ),
    );
    let r = run(&m.addr(), &["node", "metrics", "summary"]);
    r.assert_code(3);
    assert!(r.stdout.contains("S-good"), "{}", r.stdout);
    assert!(!r.stdout.contains("S-dead"), "{}", r.stdout);
    let warnings: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", r.stderr);
    assert!(warnings[0].contains("S-dead"), "{}", r.stderr);

    // An unknown agent: exit 4 before any agent is asked.
    let before = good.requests().len();
    let r = run(&m.addr(), &["node", "metrics", "summary", "S-nosuch"]);
    r.assert_code(4).assert_clean_error();
    assert!(r.stderr.contains("S-nosuch"), "{}", r.stderr);
    assert_eq!(good.requests().len(), before);
}

#[test]
fn watch_off_a_tty_prints_ndjson_lines() {
    let agent = plain_agent();
    let m = master_0_22(&agent.addr());
    let env = TestEnv::new();
    let addr = m.addr();
    let mut child = env
        .command(&[
            "--master", &addr, "node", "metrics", "summary", "--watch", "100ms",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    while lines.len() < 2 {
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(l) => lines.push(l),
            Err(e) => {
                let _ = child.kill();
                panic!("only {} lines before {e:?}: {lines:?}", lines.len());
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    for l in &lines {
        let v: Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["agent_id"], "20150410-134224-16777343-5050-1778-S0");
        assert_eq!(v["load_1min"], 0.1);
    }
    assert!(agent.requests_to("/metrics/snapshot").len() >= 2);
}

#[test]
fn metrics_of_a_real_bundled_master_and_agent() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let r = run(
        &master.addr(),
        &["metrics", "master", "--prefix", "master/", "--json"],
    );
    r.assert_ok();
    let v = json_out(&r);
    let obj = v.as_object().unwrap();
    assert!(!obj.is_empty());
    assert!(obj.keys().all(|k| k.starts_with("master/")), "{v}");
    assert_eq!(v["master/elected"], 1.0);
    assert_eq!(v["master/slaves_active"], 1.0);

    // The table is sorted NAME VALUE rows.
    let r = run(&master.addr(), &["metrics", "--prefix", "master/slaves_"]);
    r.assert_ok();
    let names: Vec<&str> = r
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(names.contains(&"master/slaves_active"));

    // The bundled agent is its own metrics source (it answers the v0 ping).
    let mem_total = std::fs::read_to_string("/proc/meminfo")
        .unwrap()
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .unwrap()
        * 1024;
    let mut last = Value::Null;
    // The agent's first host sample may not be taken yet (204): wait for it.
    wait_until(
        Duration::from_secs(30),
        "bundled agent node metrics",
        || {
            let r = run(&master.addr(), &["node", "metrics", "summary", "--json"]);
            r.assert_ok();
            last = json_out(&r)[0].clone();
            !last["mem_total_bytes"].is_null()
        },
    );
    assert_eq!(last["source"], "bundled", "{last}");
    assert_eq!(last["mem_total_bytes"], mem_total, "{last}");
    assert!(last["disk_total_bytes"].as_u64().unwrap() > 0, "{last}");
    assert!(last["load_1min"].is_number(), "{last}");

    // An agent's snapshot by hostname prefix.
    let r = run(
        &master.addr(),
        &["metrics", "127.0.0.1", "--prefix", "system/", "--json"],
    );
    r.assert_ok();
    assert!(json_out(&r)["system/cpus_total"].as_f64().unwrap() >= 1.0);
    drop(agent);
}

#[test]
fn watch_on_a_terminal_redraws_with_sparklines_until_ctrl_c() {
    use crate::common::pty::PtyRun;
    let p = dcos_master();
    let base = format!("{}/mesos", p.url());
    let env = TestEnv::new();
    let args = [
        "--master", &base, "node", "metrics", "summary", "--watch", "100ms",
    ];
    // Escape sequences allowed (NO_COLOR empty): each frame clears the screen.
    let mut run = PtyRun::start_with(&env, &args, 160, &[("NO_COLOR", "")]);
    // Two samples of the same CPU % draw a flat sparkline.
    run.wait_for("3.25%  0.42", Duration::from_secs(30));
    run.wait_for("▁▁", Duration::from_secs(30));
    assert!(run.screen().contains("\x1b[2J"), "{}", run.screen());
    assert!(run.screen().contains("CPU HISTORY"), "{}", run.screen());
    run.type_keys(b"\x03");
    let (code, _) = run.wait(Duration::from_secs(30));
    assert_eq!(code, 0);

    // NO_COLOR: frames follow one another without escape sequences.
    let mut run = PtyRun::start(&env, &args, 160);
    run.wait_for("▁▁", Duration::from_secs(30));
    assert!(!run.screen().contains("\x1b["), "{:?}", run.screen());
    run.type_keys(b"\x03");
    let (code, _) = run.wait(Duration::from_secs(30));
    assert_eq!(code, 0);
}

#[test]
fn task_metrics_of_a_task_on_a_real_bundled_agent() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let env = TestEnv::new();
    let addr = master.addr();
    env.run(&[
        "execute",
        "--master",
        &addr,
        "--detach",
        "--name",
        "sleeper",
        "--command",
        "sleep 120",
    ])
    .assert_ok();
    let mut last = Value::Null;
    wait_until(
        Duration::from_secs(30),
        "container metrics of the task",
        || {
            let r = env.run(&[
                "--master", &addr, "task", "metrics", "details", "sleeper", "--json",
            ]);
            if r.code != 0 {
                return false;
            }
            last = json_out(&r);
            last["container"]["datapoints"].is_array()
        },
    );
    assert_eq!(last["source"], "bundled", "{last}");
    assert!(last["container_id"].is_string(), "{last}");
    let r = env.run(&[
        "--master", &addr, "task", "metrics", "summary", "sleeper", "--json",
    ]);
    r.assert_ok();
    let s = &json_out(&r)[0];
    assert!(s["cpus_limit"].as_f64().unwrap() > 0.0, "{s}");
    assert!(s["mem_limit_bytes"].as_u64().unwrap() > 0, "{s}");
    assert!(s["mem_total_bytes"].as_u64().unwrap() > 0, "{s}");
    env.run(&["kill", "--master", &addr, "sleeper"]).assert_ok();
    crate::common::daemons::kill_tasks_under(&agent.work_dir());
}
