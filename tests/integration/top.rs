//! `mesos top` against the bundled master and agent as real processes, with
//! a task that burns CPU: the plain frame (stdout not a terminal), the JSON
//! frame, and the full-screen view on a pseudo-terminal.

use std::time::Duration;

use serde_json::Value;

use crate::common::cluster::{start_agent, start_master, Daemon};
use crate::common::pty::PtyRun;
use crate::common::{wait_until, TestEnv};

const DEADLINE: Duration = Duration::from_secs(60);

/// A master, an agent, and a detached task spinning a CPU (one CPU).
fn cluster_with_burner(env: &TestEnv) -> (Daemon, Daemon) {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    env.run(&[
        "execute",
        "--master",
        &master.addr(),
        "--detach",
        "--name",
        "burner",
        "--resources",
        "cpus:1;mem:64",
        "--command",
        "while :; do :; done",
    ])
    .assert_ok();
    (master, agent)
}

fn json_frame(env: &TestEnv, master: &Daemon) -> Value {
    let r = env.run(&[
        "top",
        "--master",
        &master.addr(),
        "--once",
        "--json",
        "--interval",
        "1s",
    ]);
    r.assert_ok();
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

#[test]
fn once_prints_agents_counts_and_the_burning_task() {
    let env = TestEnv::new();
    let (master, agent) = cluster_with_burner(&env);
    // The task's container has used some CPU between the two samples.
    let mut doc = Value::Null;
    wait_until(DEADLINE, "the burner's CPU in the JSON frame", || {
        doc = json_frame(&env, &master);
        doc["tasks"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["id"] == "burner"))
            .and_then(|t| t["cpu_percent"].as_f64())
            .is_some_and(|c| c > 10.0)
    });
    assert_eq!(doc["task_counts"]["TASK_RUNNING"], 1, "{doc}");
    assert_eq!(doc["agents_total"], 1);
    assert_eq!(doc["agents"][0]["status"], "ok");
    assert_eq!(doc["agents"][0]["tasks"], 1);
    assert!(
        doc["agents"][0]["cpu_percent"].as_f64().unwrap() > 0.0,
        "{doc}"
    );
    let burner = &doc["tasks"][0];
    assert_eq!(burner["id"], "burner", "busiest first: {doc}");
    assert_eq!(burner["state"], "TASK_RUNNING");
    assert!(burner["mem_rss_bytes"].as_u64().unwrap() > 0, "{doc}");
    let hostname = doc["agents"][0]["hostname"].as_str().unwrap().to_string();

    // The same frame as text: not a TTY, so plain, no escape codes.
    let r = env.run(&["top", "--master", &master.addr()]);
    r.assert_ok();
    let out = &r.stdout;
    assert!(!out.contains('\u{1b}'), "{out}");
    assert!(out.contains(&hostname), "{out}");
    assert!(out.contains("Tasks: RUNNING 1"), "{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with("burner"))
        .unwrap_or_else(|| panic!("no burner row:\n{out}"));
    let pct: f64 = line
        .split_whitespace()
        .find_map(|w| w.strip_suffix('%').and_then(|n| n.parse().ok()))
        .unwrap_or_else(|| panic!("no CPU % in {line:?}"));
    assert!(pct > 0.0, "{line}");
    drop(agent);
}

#[test]
fn once_shows_a_dead_agent_as_failed_and_exits_3() {
    let env = TestEnv::new();
    let master = start_master(&[]);
    let mut agent = start_agent(&master, &[]);
    agent.kill();
    let r = env.run(&["top", "--master", &master.addr(), "--once"]);
    r.assert_code(3);
    assert!(r.stdout.contains("FAILED"), "{}", r.stdout);
    assert!(
        r.stderr.contains("1 of 1 agents did not answer"),
        "{}",
        r.stderr
    );
}

#[test]
fn full_screen_view_quits_on_q_and_restores_the_terminal() {
    let env = TestEnv::new();
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let hostname = crate::common::cluster::get_json(&format!("{}/master/slaves", master.url()))
        ["slaves"][0]["hostname"]
        .as_str()
        .unwrap()
        .to_string();
    let mut p = PtyRun::start(&env, &["top", "--master", &master.addr()], 120);
    p.wait_for("\u{1b}[?1049h", DEADLINE);
    p.wait_for(&hostname, DEADLINE);
    p.wait_for("quit", DEADLINE);
    p.type_keys(b"q");
    let (code, screen) = p.wait(DEADLINE);
    assert_eq!(code, 0, "{screen}");
    let entered = screen.rfind("\u{1b}[?1049h").unwrap();
    let left = screen
        .rfind("\u{1b}[?1049l")
        .expect("the alternate screen is left");
    assert!(left > entered, "{screen}");
}
