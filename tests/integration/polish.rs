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

/// `COMPLETE=bash mesos -- mesos WORDS...` as the shell hook runs it:
/// the candidates, one a line.
fn complete(env: &TestEnv, words: &[&str]) -> (Vec<String>, crate::common::Run) {
    let start = std::time::Instant::now();
    let mut all = vec!["--", "mesos"];
    all.extend_from_slice(words);
    let out = env
        .command(&all)
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", words.len().to_string())
        .env("_CLAP_IFS", "\n")
        .output()
        .unwrap();
    let run = crate::common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: start.elapsed(),
    };
    let mut lines: Vec<String> = run.stdout.lines().map(String::from).collect();
    lines.sort();
    (lines, run)
}

/// Dynamic completion against a running bundled master: task ids, framework
/// ids, agent ids and profile names; nothing (quickly, silently) when the
/// master cannot be reached. The same tasks check task globs (`[..]`,
/// `[!..]`, ranges, `?`, `*`) through `ps`.
#[test]
fn dynamic_completion_of_ids_and_profiles_from_the_master() {
    use crate::common::sched::{command_task, subscribe_json, JsonCalls as _};
    use mesos::http::{HttpClient, HttpOptions};
    use serde_json::json;

    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let fid = rt.block_on(async {
        let http = HttpClient::new(&HttpOptions::default()).unwrap();
        let url = reqwest::Url::parse(&master.url()).unwrap();
        let info = json!({"user": "tester", "name": "completer-fw"});
        let (s, mut ev, first) = subscribe_json(&http, &url, info).await.unwrap();
        let fid = first["subscribed"]["framework_id"]["value"]
            .as_str()
            .unwrap()
            .to_string();
        let offer = tokio::time::timeout(std::time::Duration::from_secs(60), async {
            loop {
                let e = ev.next_json().await.unwrap().expect("stream open");
                if e["type"] == "OFFERS" {
                    return e["offers"]["offers"][0].clone();
                }
            }
        })
        .await
        .expect("an offer");
        let tasks = ["web-1", "web-2"]
            .iter()
            .map(|id| {
                command_task(
                    id,
                    id,
                    &offer["agent_id"],
                    "sleep 60",
                    crate::common::sched::res(0.1, 32.0),
                )
            })
            .collect();
        s.launch_json(&[offer["id"].clone()], tasks, 0.0)
            .await
            .unwrap();
        // Keep the subscription open for the rest of the test.
        std::mem::forget(ev);
        std::mem::forget(s);
        fid
    });
    crate::common::wait_until(std::time::Duration::from_secs(60), "two tasks", || {
        get_json(&format!("{}/master/tasks", master.url()))["tasks"]
            .as_array()
            .is_some_and(|t| t.len() == 2)
    });
    let agent_id = get_json(&format!("{}/master/slaves", master.url()))["slaves"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let env = TestEnv::new().env("MESOS_MASTER", &master.addr());
    std::fs::write(
        env.config_path(),
        "active = \"prod\"\n\n[profiles.prod]\n\n[profiles.staging]\n",
    )
    .unwrap();

    // Task globs (the glob crate's Pattern) on the same tasks.
    for (glob, want) in [
        ("web-[2]", "web-2\n"),
        ("w*-?", "web-1\nweb-2\n"),
        ("web-[!1]", "web-2\n"),
        ("*b-[1-2]", "web-1\nweb-2\n"),
    ] {
        let r = env.run(&["ps", glob, "-q"]);
        r.assert_ok();
        let mut got: Vec<&str> = r.stdout.lines().collect();
        got.sort();
        assert_eq!(got.join("\n") + "\n", want, "ps {glob}");
    }
    env.run(&["ps", "web-[3]", "-q"]).assert_code(4);

    let (got, r) = complete(&env, &["ps", "web"]);
    assert_eq!(got, ["web-1", "web-2"], "{r:?}");
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let (got, _) = complete(&env, &["tail", "--", "web-2"]);
    assert_eq!(got, ["web-2"]);
    let (got, _) = complete(&env, &["ps", "--framework", ""]);
    assert_eq!(got, [fid]);
    let (got, _) = complete(&env, &["ps", "--agent", &agent_id[..4]]);
    assert_eq!(got, std::slice::from_ref(&agent_id));
    let (got, _) = complete(&env, &["agents", ""]);
    let ids: Vec<&String> = got.iter().filter(|c| !c.starts_with('-')).collect();
    assert_eq!(ids, [&agent_id], "{got:?}");
    let (got, _) = complete(&env, &["--profile", ""]);
    assert_eq!(got, ["prod", "staging"]);
    let (got, _) = complete(&env, &["config", "use", "st"]);
    assert_eq!(got, ["staging"]);
    // Flags still complete as before.
    let (got, _) = complete(&env, &["ps", "--wid"]);
    assert_eq!(got, ["--wide"]);
    // --master on the command line wins over MESOS_MASTER.
    let dead = format!("127.0.0.1:{}", crate::common::free_port());
    let (got, r) = complete(&env, &["--master", &dead, "ps", "web"]);
    assert!(got.is_empty(), "{got:?}");
    assert_eq!(r.code, 0);
    assert!(r.stderr.is_empty(), "{}", r.stderr);

    // The registration script the shell sources.
    let r = env.command(&[]).env("COMPLETE", "bash").output().unwrap();
    let script = String::from_utf8_lossy(&r.stdout);
    assert!(
        script.contains("complete -o nospace") && script.contains("_clap_complete_mesos"),
        "{script}"
    );
    drop(agent);
}

/// A master that accepts connections but never answers: completion gives
/// up within its short timeout and offers nothing.
#[test]
fn dynamic_completion_gives_up_quickly_on_a_silent_master() {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let env = TestEnv::new().env("MESOS_MASTER", &silent.local_addr().unwrap().to_string());
    let (got, r) = complete(&env, &["ps", ""]);
    assert!(
        got.iter().all(|c| c.starts_with('-')),
        "only flags: {got:?}"
    );
    assert_eq!(r.code, 0);
    assert!(
        r.elapsed < std::time::Duration::from_secs(4),
        "{:?}",
        r.elapsed
    );
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

/// Bad `--master` values (now a typed `SpecError`) keep their messages,
/// their hint and exit 2, and never show a ZooKeeper password.
#[test]
fn bad_master_values_are_usage_errors_with_the_same_words() {
    let env = TestEnv::new();
    let cases = [
        ("a:0", "error: --master 'a:0': 'a:0' has an invalid port '0'\n"),
        (
            "ftp://x",
            "error: --master 'ftp://x': unsupported scheme 'ftp://' in 'ftp://x' (use http://, https://, zk:// or file://)\n",
        ),
        (
            "zk://h:2181",
            "error: --master 'zk://h:2181' names no znode path (expected zk://host:2181/mesos)\n",
        ),
        (
            "zk://user:pw@h:0/mesos",
            "error: --master 'zk://user:***@h:0/mesos': ZooKeeper member 'h:0' has an invalid port '0'\n",
        ),
        (
            " ",
            "error: --master is empty\nhint: give host:port, http(s)://host:port[/prefix], zk://host:2181/mesos or file:///path\n",
        ),
    ];
    for (master, want) in cases {
        let r = env.run(&["--master", master, "ps"]);
        r.assert_code(2).assert_clean_error();
        assert_eq!(r.stderr, want, "--master {master:?}");
    }
}
