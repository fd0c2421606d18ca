//! Issue 12's utilities replaced by crates, seen from the real binary:
//! `~/.ssh/config` read through `ssh -G`, dates, dynamic completion, the
//! `ps --wide` USER fallback.

use crate::common::cluster::{get_json, start_agent, start_master};
use crate::common::TestEnv;

/// `scp` and `node exec` read `~/.ssh/config` through the OpenSSH client:
/// a config ssh rejects is reported with ssh's own words, and a missing
/// `ssh` is named, both before any connection is tried.
#[test]
fn ssh_config_is_resolved_by_ssh_and_its_failures_are_clear() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &["--hostname=127.0.0.2", "--ip=127.0.0.2"]);
    let env = TestEnv::new().env("MESOS_MASTER", &master.addr());
    let ssh = env.home().join(".ssh");
    std::fs::create_dir_all(&ssh).unwrap();
    std::fs::write(ssh.join("config"), "Host 127.0.0.2\n  NoSuchOption yes\n").unwrap();
    let file = env.home().join("payload.txt");
    std::fs::write(&file, "x").unwrap();
    let file = file.display().to_string();

    let r = env.run(&["scp", &file, "/tmp"]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("config for 127.0.0.2: `ssh -G` failed")
            && r.stderr
                .contains("line 2: Bad configuration option: nosuchoption"),
        "{}",
        r.stderr
    );

    // No `ssh` on PATH: named, with a hint; without a config nothing is needed.
    let empty = tempfile::tempdir().unwrap();
    let no_ssh = env.env("PATH", &empty.path().display().to_string());
    let r = no_ssh.run(&["node", "exec", "--", "true"]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("OpenSSH client `ssh` is not installed") && r.stderr.contains("hint: "),
        "{}",
        r.stderr
    );
    std::fs::remove_file(ssh.join("config")).unwrap();
    let r = no_ssh.run(&["node", "exec", "--timeout", "2s", "--", "true"]);
    assert!(
        !r.stderr.contains("ssh -G") && !r.stderr.contains("not installed"),
        "{}",
        r.stderr
    );
}

/// The UTC date `date(1)` gives for epoch seconds: an oracle independent
/// of our date code.
fn date_u(secs: i64) -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "-d", &format!("@{secs}"), "+%Y-%m-%d %H:%M:%S"])
        .output()
        .expect("date");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Both daemons' `/version` give `build_date` as the calendar date of
/// `build_time` (the `time` crate now does the day arithmetic).
#[test]
fn version_build_date_is_the_utc_date_of_build_time() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    for base in [master.url(), agent.url()] {
        let v = get_json(&format!("{base}/version"));
        let t = v["build_time"].as_f64().expect("build_time") as i64;
        assert!(t > 1_600_000_000, "{v}");
        assert_eq!(v["build_date"], date_u(t).as_str(), "{base}: {v}");
    }
}

/// `ps --wide` against a master replaying a real Mesos 1.2 state: its
/// tasks name no user (Mesos sets one only when the command does), so
/// USER is the framework's user from `/master/frameworks`; a task's own
/// user wins; a master that cannot say leaves `-`.
#[test]
fn ps_wide_user_falls_back_to_the_frameworks_user() {
    use crate::common::http::{Answer, TestServer};
    use crate::common::read_fixture_text;
    use serde_json::{json, Value};

    let mut state: Value =
        serde_json::from_str(&read_fixture_text("master-state-1.2.json")).unwrap();
    let mut tasks = Vec::new();
    for f in state["frameworks"].as_array_mut().unwrap() {
        if f["name"] == "marathon" {
            f["user"] = json!("svc-marathon");
        }
        for t in f["tasks"].as_array().unwrap() {
            assert!(t.get("user").is_none(), "the captured tasks have no user");
            tasks.push(t.clone());
        }
    }
    // One marathon task names its own user.
    let mine = tasks
        .iter_mut()
        .find(|t| t["framework_id"] == tasks_framework(&state, "marathon"))
        .unwrap();
    mine["user"] = json!("alice");
    let mine_id = mine["id"].as_str().unwrap().to_string();

    let serve = |with_frameworks: bool| {
        let m = TestServer::start();
        m.as_leader();
        m.route(
            "/master/tasks",
            Answer::json(json!({ "tasks": tasks }).to_string()),
        );
        m.route(
            "/master/state-summary",
            Answer::json(read_fixture_text("state-summary-1.2.json")),
        );
        if with_frameworks {
            m.route(
                "/master/frameworks",
                Answer::json(json!({ "frameworks": state["frameworks"] }).to_string()),
            );
        }
        m
    };
    let users = |m: &TestServer| -> Vec<(String, String)> {
        let r = TestEnv::new().run(&["--master", &m.addr(), "ps", "--wide", "--no-usage"]);
        r.assert_ok();
        let mut lines = r.stdout.lines();
        let head: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
        let col = head.iter().position(|h| *h == "USER").expect("USER column");
        lines
            .map(|l| {
                let cells: Vec<&str> = l
                    .split("  ")
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .collect();
                (cells[0].to_string(), cells[col].to_string())
            })
            .collect()
    };

    let m = serve(true);
    let got = users(&m);
    assert_eq!(got.len(), 5, "{got:?}");
    for (id, user) in &got {
        let want = if *id == mine_id {
            "alice"
        } else if id.starts_with("broker-0__") {
            "root"
        } else {
            "svc-marathon"
        };
        assert_eq!(user, want, "{id}: {got:?}");
    }

    // No /master/frameworks (404): the task's own user or `-`, still exit 0.
    let m = serve(false);
    for (id, user) in users(&m) {
        assert_eq!(user, if id == mine_id { "alice" } else { "-" }, "{id}");
    }
}

fn tasks_framework(state: &serde_json::Value, name: &str) -> serde_json::Value {
    state["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .map(|f| f["id"].clone())
        .unwrap()
}
