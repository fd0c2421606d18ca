//! `mesos health` (alias `mesos doctor`) against real daemons: exit codes
//! in the Nagios convention, lines naming what is wrong, the `--nagios`
//! status line and `--json`.

use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::common::cluster::{get_json, start_agent, start_master, start_master_zk, Daemon};
use crate::common::zk;
use crate::common::{wait_until, Run, TestEnv};

/// Generous: several daemons (and a JVM) on a loaded 2-core machine.
const DEADLINE: Duration = Duration::from_secs(90);

/// `mesos --master M health ARGS` (a fresh cluster is never "flapping").
fn health(env: &TestEnv, master: &str, args: &[&str]) -> Run {
    let mut all = vec!["--master", master, "health", "--min-leader-uptime", "0s"];
    all.extend_from_slice(args);
    env.run(&all)
}

/// The table line of check `name`.
fn line<'a>(r: &'a Run, name: &str) -> &'a str {
    r.stdout
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some(name))
        .unwrap_or_else(|| panic!("no `{name}` line in:\n{}", r.stdout))
}

fn signal(pid: u32, sig: &str) {
    let _ = std::process::Command::new("kill")
        .args([sig, &pid.to_string()])
        .status();
}

#[test]
fn healthy_cluster_is_ok_on_every_line_and_in_nagios_and_json() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new();

    let r = health(&env, &master.addr(), &["--expect-agents", "1"]);
    r.assert_ok();
    assert!(r.stdout.lines().count() >= 10, "{}", r.stdout);
    for l in r.stdout.lines() {
        assert!(l.starts_with("OK "), "not OK: {l}\n{}", r.stdout);
    }
    assert!(line(&r, "leader").contains(&master.addr()), "{}", r.stdout);
    assert!(
        line(&r, "agents").contains("1 agents active"),
        "{}",
        r.stdout
    );

    // The alias, and the Nagios line: exactly one line, valid perfdata.
    let r = health(&env, &master.addr(), &["--expect-agents", "1", "--nagios"]);
    r.assert_ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stdout);
    let (head, perf) = lines[0].split_once(" | ").expect("a perfdata part");
    assert!(head.starts_with("MESOS OK - "), "{head}");
    for item in perf.split(' ') {
        let (label, rest) = item.split_once('=').unwrap_or_else(|| panic!("{item}"));
        assert!(!label.is_empty() && !label.contains(' '), "{item}");
        let fields: Vec<&str> = rest.split(';').collect();
        assert!(fields.len() <= 5, "{item}");
        let value = fields[0].trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '%');
        value
            .parse::<f64>()
            .unwrap_or_else(|_| panic!("value of {item}"));
        for range in &fields[1..] {
            let ok = range.is_empty()
                || range
                    .trim_start_matches('@')
                    .split(':')
                    .all(|p| p.is_empty() || p == "~" || p.parse::<f64>().is_ok());
            assert!(ok, "bad range in {item}");
        }
    }
    assert!(perf.contains("agents_active=1"), "{perf}");

    let r = env.run(&[
        "--master",
        &master.addr(),
        "doctor",
        "--json",
        "--min-leader-uptime",
        "0s",
    ]);
    r.assert_ok();
    let v: Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v["status"], "OK");
    let checks = v["checks"].as_array().unwrap();
    assert!(checks.iter().any(|c| c["name"] == "clock-skew"));
    for c in checks {
        assert!(c["summary"].is_string() && c["perfdata"].is_array(), "{c}");
    }

    // Bad flags are UNKNOWN (3), as Nagios expects of a plugin.
    env.run(&["health", "--expect-agents", "many"])
        .assert_code(3);
}

#[test]
fn killed_agent_is_critical_naming_it() {
    let master = start_master(&[]);
    let mut agent = start_agent(&master, &[]);
    let slaves = get_json(&format!("{}/master/slaves", master.url()));
    let id = slaves["slaves"][0]["id"].as_str().unwrap().to_string();
    let hostname = slaves["slaves"][0]["hostname"]
        .as_str()
        .unwrap()
        .to_string();
    agent.kill();

    let env = TestEnv::new();
    let mut last = None;
    wait_until(DEADLINE, "health to report the agent", || {
        let r = health(&env, &master.addr(), &["--expect-agents", "1"]);
        let done = r.code == 2 && line(&r, "agents").contains(&id);
        last = Some(r);
        done
    });
    let r = last.unwrap();
    let l = line(&r, "agents");
    assert!(l.starts_with("CRIT"), "{l}");
    assert!(l.contains(&id) && l.contains(&hostname), "{l}");

    let r = health(&env, &master.addr(), &["--expect-agents", "1", "--nagios"]);
    r.assert_code(2);
    assert!(r.stdout.starts_with("MESOS CRITICAL - "), "{}", r.stdout);
    assert!(r.stdout.contains(&id), "{}", r.stdout);
}

#[test]
fn one_of_three_masters_down_is_a_warning_naming_it() {
    let server = zk::shared();
    let url = server.url(&zk::unique_path("health-three"));
    // A long session keeps the killed master's znode (and so its name) in
    // ZooKeeper while health runs.
    let extra = ["--zk_session_timeout=20secs"];
    let mut masters: Vec<Daemon> = (0..3).map(|_| start_master_zk(&url, &extra)).collect();
    let elected = |m: &Daemon| {
        crate::common::cluster::http_get(&format!("{}/metrics/snapshot", m.url()))
            .and_then(|(_, b)| serde_json::from_str::<Value>(&b).ok())
            .and_then(|v| v["master/elected"].as_f64())
            == Some(1.0)
    };
    let env = TestEnv::new();
    wait_until(DEADLINE, "a leader and a healthy report", || {
        masters.iter().any(elected) && health(&env, &url, &["--expect-masters", "3"]).code == 0
    });
    let follower = masters.iter().position(|m| !elected(m)).unwrap();
    let gone = masters[follower].addr();
    masters[follower].kill();

    let r = health(&env, &url, &["--expect-masters", "3"]);
    r.assert_code(1);
    let l = line(&r, "masters");
    assert!(l.starts_with("WARN") && l.contains(&gone), "{}", r.stdout);
    assert!(line(&r, "zookeeper").starts_with("OK"), "{}", r.stdout);
    assert!(line(&r, "leader").starts_with("OK"), "{}", r.stdout);
}

#[test]
fn task_stuck_in_staging_is_named() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    // A stopped agent still accepts connections: the master keeps it
    // active and offers it, but the launch never gets an answer.
    signal(agent.child.id(), "-STOP");
    let env = TestEnv::new();
    let mut exec: Child = env
        .command(&[
            "--master",
            &master.addr(),
            "--timeout",
            "120s",
            "execute",
            "--name",
            "stuck-one",
            "--command",
            "sleep 100",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut task_id = String::new();
    wait_until(DEADLINE, "a STAGING task", || {
        let t = get_json(&format!("{}/master/tasks", master.url()));
        match t["tasks"].as_array().and_then(|a| a.first()) {
            Some(task) if task["state"] == "TASK_STAGING" => {
                task_id = task["id"].as_str().unwrap().to_string();
                true
            }
            _ => false,
        }
    });
    let mut last = None;
    wait_until(DEADLINE, "health to name the stuck task", || {
        let r = health(&env, &master.addr(), &["--stuck-after", "1s"]);
        let done = r.code >= 1 && line(&r, "stuck-tasks").contains(&task_id);
        last = Some(r);
        done
    });
    let r = last.unwrap();
    let l = line(&r, "stuck-tasks");
    assert!(l.starts_with("WARN") || l.starts_with("CRIT"), "{l}");
    assert!(l.contains("STAGING"), "{l}");
    let _ = exec.kill();
    let _ = exec.wait();
    signal(agent.child.id(), "-CONT");
}

#[test]
fn no_master_answering_is_critical_and_a_bad_master_value_unknown() {
    let env = TestEnv::new();
    let addr = format!("127.0.0.1:{}", crate::common::free_port());
    let r = health(&env, &addr, &["--nagios"]);
    r.assert_code(2);
    assert!(
        r.stdout
            .starts_with("MESOS CRITICAL - masters: no master answers: ")
            && r.stdout.contains(&addr),
        "{}",
        r.stdout
    );
    let r = health(&env, "zk://", &[]);
    r.assert_code(3);
    assert!(
        r.stdout.is_empty() && r.stderr.starts_with("error: "),
        "{}",
        r.stderr
    );
}
