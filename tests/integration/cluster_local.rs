//! `mesos cluster up|status|wait|logs|down` on 127.0.0.1 with the real
//! binary: detached daemons, readiness, the profile, idempotence, a killed
//! daemon, tasks killed on `down`, managed ZooKeeper with three masters.

use std::path::PathBuf;
use std::time::Duration;

use crate::common::sched::{command_task, subscribe_json, JsonCalls};
use mesos::http::{HttpClient, HttpOptions};
use serde_json::{json, Value};

use crate::common::{wait_until, Run, TestEnv};

const DEADLINE: Duration = Duration::from_secs(60);

/// A sealed environment whose clusters are always brought down, even when
/// an assertion fails.
pub(crate) struct Env {
    pub(crate) env: TestEnv,
    names: Vec<String>,
}

impl Env {
    pub(crate) fn new() -> Env {
        let env = TestEnv::new();
        let data = env.home().join("data");
        Env {
            env: env.env("XDG_DATA_HOME", data.to_str().unwrap()),
            names: vec!["local".into()],
        }
    }
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.env.run(args)
    }
    pub(crate) fn watch(&mut self, name: &str) {
        self.names.push(name.to_string());
    }
    pub(crate) fn state(&self, name: &str) -> Value {
        let p = self.cluster_dir(name).join("cluster.json");
        serde_json::from_str(
            &std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
        )
        .unwrap()
    }
    pub(crate) fn cluster_dir(&self, name: &str) -> PathBuf {
        self.env.home().join("data/mesos/clusters").join(name)
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        for n in &self.names {
            let _ = self
                .env
                .run(&["cluster", "down", "--name", n, "--grace", "1s", "-q"]);
        }
    }
}

/// Running and not a zombie.
pub(crate) fn alive(pid: u64) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(s) => s
            .rsplit_once(')')
            .is_some_and(|(_, r)| !r.trim_start().starts_with(['Z', 'X'])),
        Err(_) => false,
    }
}

pub(crate) fn pids(state: &Value) -> Vec<u64> {
    state["daemons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["pid"].as_u64().unwrap())
        .collect()
}

fn pid_of(state: &Value, name: &str) -> u64 {
    state["daemons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {state}"))["pid"]
        .as_u64()
        .unwrap()
}

/// Processes whose command line mentions `needle` (to find task processes).
fn processes_with(needle: &str) -> Vec<u64> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u64>().ok()) else {
            continue;
        };
        let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        if cmd.contains(needle) && alive(pid) {
            out.push(pid);
        }
    }
    out
}

/// Launch a `sleep` task through the scheduler API and wait for
/// TASK_RUNNING. The framework's failover timeout keeps the task running
/// after this returns: its runtime, and with it the subscription, is gone.
fn run_sleep_task(master_url: &str, marker: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run_sleep_task_async(master_url, marker));
}

async fn run_sleep_task_async(master_url: &str, marker: &str) {
    let http = HttpClient::new(&HttpOptions::default()).unwrap();
    let url = reqwest::Url::parse(master_url).unwrap();
    // A failover timeout keeps the task running after the scheduler leaves;
    // checkpointing keeps it running when its agent is killed.
    let info = json!({"user": "tester", "name": "cluster-local-test", "failover_timeout": 3600.0, "checkpoint": true});
    let (s, mut ev, subscribed) = subscribe_json(&http, &url, info).await.unwrap();
    assert_eq!(subscribed["type"], "SUBSCRIBED");
    let res = vec![
        json!({"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}}),
        json!({"name": "mem", "type": "SCALAR", "scalar": {"value": 32.0}}),
    ];
    let sr = &s;
    let ev = tokio::time::timeout(DEADLINE, async move {
        let s = sr;
        let mut launched = false;
        loop {
            let e = ev.next_json().await.unwrap().expect("stream open");
            match e["type"].as_str() {
                Some("OFFERS") if !launched => {
                    let offer = &e["offers"]["offers"][0];
                    let task = command_task(
                        "sleeper",
                        "sleeper",
                        &offer["agent_id"],
                        &format!("sleep 600 # {marker}"),
                        res.clone(),
                    );
                    s.launch_json(&[offer["id"].clone()], vec![task], 0.0)
                        .await
                        .unwrap();
                    launched = true;
                }
                Some("UPDATE") => {
                    let st = &e["update"]["status"];
                    s.acknowledge_json(st).await.unwrap();
                    match st["state"].as_str().unwrap() {
                        "TASK_RUNNING" => return ev,
                        "TASK_STARTING" => {}
                        other => panic!("task went {other}: {st}"),
                    }
                }
                _ => {}
            }
        }
    })
    .await
    .expect("task running in time");
    drop((s, ev));
}

#[test]
fn up_runs_a_task_is_idempotent_reports_a_dead_agent_and_down_leaves_nothing() {
    // The base shape (master and agents); Marathon in `cluster up` is
    // covered by apps_cli and marathon_e2e.
    let env = Env::new();
    let r = env.run(&["cluster", "up", "--no-marathon"]);
    r.assert_ok();
    // stdout: master URL and profile as comments, then an eval-able export.
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    assert!(
        lines[0].starts_with("# master: http://127.0.0.1:"),
        "{}",
        r.stdout
    );
    assert_eq!(lines[1], "# profile: local (active)");
    let master = lines[2]
        .strip_prefix("export MESOS_MASTER=")
        .expect("export line")
        .to_string();
    assert!(master.starts_with("127.0.0.1:"), "{master}");
    assert!(
        r.stderr.contains("is ready (1 master, 2 agents)"),
        "{}",
        r.stderr
    );
    // The web UI's address, and the master serves the UI there.
    let ui = r
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("Web UI: "))
        .unwrap_or_else(|| panic!("no 'Web UI:' line in:\n{}", r.stderr))
        .to_string();
    assert!(
        ui.starts_with("http://127.0.0.1:") && ui.ends_with('/'),
        "{ui}"
    );
    let (code, page) = crate::common::cluster::http_get(&ui).expect("GET the web UI");
    assert_eq!(code, 200, "{page}");
    assert!(page.contains("data-live"), "{page}");
    // Each daemon's state is reported once: the leader's line is not
    // repeated when the cluster becomes ready.
    let leading: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("master-1: leading at "))
        .collect();
    assert_eq!(leading.len(), 1, "{}", r.stderr);
    assert!(leading[0].contains("(pid "), "{}", r.stderr);
    let mut seen = std::collections::HashSet::new();
    for l in r.stderr.lines().filter(|l| l.contains(": ")) {
        assert!(seen.insert(l), "repeated line {l:?} in:\n{}", r.stderr);
    }

    // The profile was written and made active: `mesos agents` works next.
    let cfg = std::fs::read_to_string(env.env.config_path()).unwrap();
    assert!(cfg.contains("active = \"local\""), "{cfg}");
    assert!(cfg.contains(&format!("master = \"{master}\"")), "{cfg}");
    let st = env.state("local");
    assert_eq!(st["mode"], "local");
    assert_eq!(st["daemons"].as_array().unwrap().len(), 3);
    for p in pids(&st) {
        assert!(alive(p), "pid {p} not running");
    }
    // Detached: each daemon leads its own session.
    for p in pids(&st) {
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap();
        let f: Vec<&str> = stat
            .rsplit_once(')')
            .unwrap()
            .1
            .split_whitespace()
            .collect();
        assert_eq!(
            f[3],
            p.to_string(),
            "daemon {p} is not a session leader: {stat}"
        );
    }

    // Status: everyone alive, one leader with two agents.
    let r = env.run(&["cluster", "status", "--json"]);
    r.assert_ok();
    let s: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(s["ready"], true, "{s}");
    assert_eq!(s["leader"], "master-1");
    assert_eq!(s["webui_url"], ui.as_str(), "{s}");
    assert_eq!(s["daemons"][0]["registered_agents"], 2, "{s}");
    assert_eq!(s["daemons"][1]["active"], true, "{s}");
    let r = env.run(&["cluster", "status"]);
    r.assert_ok();
    assert!(r.stdout.starts_with("NAME"), "{}", r.stdout);
    assert!(r.stdout.contains("2 agents"), "{}", r.stdout);
    assert!(
        r.stderr.contains(&format!("Web UI: {ui}\n")),
        "{}",
        r.stderr
    );

    // A task runs on it through the scheduler API.
    let marker = format!("cluster-local-{}", std::process::id());
    run_sleep_task(s["leader_url"].as_str().unwrap(), &marker);
    assert!(
        !processes_with(&marker).is_empty(),
        "task process not found"
    );

    // `up` again: reported, nothing changed.
    let r = env.run(&["cluster", "up", "--no-marathon"]);
    r.assert_ok();
    assert!(r.stderr.contains("already running"), "{}", r.stderr);
    assert!(
        r.stdout.contains(&format!("export MESOS_MASTER={master}")),
        "{}",
        r.stdout
    );
    assert_eq!(env.state("local"), st, "state changed by a second up");

    // A killed agent is reported by status (exit 3) and by wait (exit 1).
    let agent2 = pid_of(&st, "agent-2");
    unsafe {
        libc::kill(agent2 as i32, libc::SIGKILL);
    }
    wait_until(DEADLINE, "agent-2 dead", || !alive(agent2));
    let r = env.run(&["cluster", "status", "--json"]);
    r.assert_code(3);
    let s: Value = serde_json::from_str(&r.stdout).unwrap();
    let a2 = s["daemons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "agent-2")
        .unwrap();
    assert_eq!(a2["alive"], false, "{s}");
    assert!(r.stderr.contains("agent-2 not running"), "{}", r.stderr);
    let r = env.run(&["cluster", "wait"]);
    r.assert_code(1);
    assert!(
        r.stderr.contains("error: agent-2 is not running"),
        "{}",
        r.stderr
    );
    // `up` on a half-dead cluster refuses and says what to do.
    let r = env.run(&["cluster", "up", "--no-marathon"]);
    r.assert_code(1);
    assert!(r.stderr.contains("partly running"), "{}", r.stderr);

    // Logs of one daemon, and of all with prefixes.
    let r = env.run(&["cluster", "logs", "master", "-n", "50"]);
    r.assert_ok();
    assert!(r.stdout.contains("Registered agent"), "{}", r.stdout);
    let r = env.run(&["cluster", "logs", "-n", "1"]);
    r.assert_ok();
    assert_eq!(r.stdout.lines().count(), 3, "{}", r.stdout);
    assert!(r.stdout.contains("agent-1      | "), "{}", r.stdout);

    // Down: every daemon and the task are gone, the state file too.
    let before = processes_with(&marker);
    assert!(!before.is_empty(), "the task died before down");
    let r = env.run(&["cluster", "down"]);
    r.assert_ok();
    assert!(
        r.stderr.contains("1 task(s) killed"),
        "{}\ntask pids before: {before:?}",
        r.stderr
    );
    assert!(
        r.elapsed < Duration::from_secs(5),
        "down took {:?}: {}",
        r.elapsed,
        r.stderr
    );
    for p in pids(&st) {
        assert!(!alive(p), "daemon {p} survived down");
    }
    assert!(
        processes_with(&marker).is_empty(),
        "task processes survived down"
    );
    assert!(!env.cluster_dir("local").join("cluster.json").exists());
    assert!(env
        .cluster_dir("local")
        .join("master-1/logs/mesos-master.log")
        .exists());

    // Gone now: status exits 4, down too.
    env.run(&["cluster", "status"])
        .assert_code(4)
        .assert_clean_error();
    env.run(&["cluster", "down"]).assert_code(4);
    // Purge after a fresh up removes everything, profile included.
    env.run(&["cluster", "up", "-q", "--agents", "1"])
        .assert_ok();
    env.run(&["cluster", "down", "--purge", "-q"]).assert_ok();
    assert!(!env.cluster_dir("local").exists());
    let cfg = std::fs::read_to_string(env.env.config_path()).unwrap();
    assert!(!cfg.contains("[profiles.local]"), "{cfg}");
}

#[test]
fn three_masters_with_managed_zookeeper_elect_one_leader() {
    let mut env = Env::new();
    env.watch("ha");
    let r = env.run(&[
        "cluster",
        "up",
        "--name",
        "ha",
        "--masters",
        "3",
        "--agents",
        "1",
    ]);
    r.assert_ok();
    let export = r.stdout.lines().last().unwrap();
    assert!(
        export.starts_with("export MESOS_MASTER=zk://127.0.0.1:"),
        "{}",
        r.stdout
    );
    assert!(export.ends_with("/mesos"), "{export}");
    let r = env.run(&["cluster", "status", "--name", "ha", "--json"]);
    r.assert_ok();
    let s: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(s["ready"], true, "{s}");
    let daemons = s["daemons"].as_array().unwrap();
    let leaders: Vec<&Value> = daemons
        .iter()
        .filter(|d| d["role"] == "master" && d["leader"] == true)
        .collect();
    assert_eq!(leaders.len(), 1, "{s}");
    assert_eq!(daemons.iter().filter(|d| d["role"] == "master").count(), 3);
    // One Marathon per master, one of them leading through ZooKeeper.
    let marathons: Vec<&Value> = daemons.iter().filter(|d| d["role"] == "marathon").collect();
    assert_eq!(marathons.len(), 3, "{s}");
    assert_eq!(
        marathons.iter().filter(|d| d["leader"] == true).count(),
        1,
        "{s}"
    );
    assert_eq!(
        daemons.iter().filter(|d| d["role"] == "zookeeper").count(),
        1
    );
    assert_eq!(leaders[0]["registered_agents"], 1, "{s}");
    // The masters got the real flags: ZooKeeper and a majority quorum.
    let st = env.state("ha");
    let m1 = &st["daemons"][1];
    let args: Vec<&str> = m1["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(args.contains(&"--quorum=2"), "{args:?}");
    assert!(
        args.iter().any(|a| a.starts_with("--zk=zk://127.0.0.1:")),
        "{args:?}"
    );
    // Even counts are refused with the reason.
    let r = env.run(&["cluster", "up", "--name", "even", "--masters", "2"]);
    r.assert_code(2).assert_clean_error();
    assert!(r.stderr.contains("odd"), "{}", r.stderr);
    // Down stops ZooKeeper (java) too.
    env.run(&["cluster", "down", "--name", "ha"]).assert_ok();
    for p in pids(&st) {
        assert!(!alive(p), "pid {p} survived down");
    }
}

#[test]
fn a_daemon_failing_at_startup_fails_up_at_once_with_its_log() {
    let env = Env::new();
    let r = env.run(&["cluster", "up", "--agent-flag=--no_such_flag=1"]);
    r.assert_code(1);
    assert!(r.elapsed < Duration::from_secs(10), "took {:?}", r.elapsed);
    assert!(r.stderr.contains("no_such_flag"), "{}", r.stderr);
    assert!(r.stderr.contains("error: agent-"), "{}", r.stderr);
    assert!(r.stderr.contains("during startup"), "{}", r.stderr);
    // The daemons that did start were stopped.
    let st = env.state("local");
    for p in pids(&st) {
        assert!(!alive(p), "pid {p} left running after a failed up");
    }
    let r = env.run(&["cluster", "list", "--json"]);
    r.assert_ok();
    let l: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(l[0]["status"], "stopped", "{l}");
    // Usage errors never start anything.
    for args in [
        &["cluster", "up", "--agent-resources", "cpus:many"][..],
        &["cluster", "up", "--zk", "127.0.0.1:2181"][..],
        &["cluster", "up", "--name", "bad name"][..],
    ] {
        env.run(args).assert_code(2).assert_clean_error();
    }
}

#[test]
fn init_writes_an_example_that_parses() {
    let env = Env::new();
    let f = env.env.home().join("c.toml");
    let fs = f.to_str().unwrap();
    env.run(&["cluster", "init", fs]).assert_ok();
    let text = std::fs::read_to_string(&f).unwrap();
    assert!(text.contains("[masters]"), "{text}");
    let r = env.run(&["cluster", "init", fs]);
    r.assert_code(2).assert_clean_error();
    env.run(&["cluster", "init", fs, "--force"]).assert_ok();
    // A broken file names the line and the field.
    std::fs::write(
        &f,
        "name = \"x\"\n[masters]\nhosts = [\"127.0.0.2\", \"127.0.0.3\"]\n",
    )
    .unwrap();
    let r = env.run(&["cluster", "doctor", "-f", fs]);
    r.assert_code(2).assert_clean_error();
    assert!(
        r.stderr.contains(":3: masters.hosts: 2 masters is even"),
        "{}",
        r.stderr
    );
}

/// Issue 12, rough edge 2: without --name, commands on an existing cluster
/// use the active profile's cluster (here the only one, not named `local`);
/// `-f` means `--file` in every `cluster` subcommand (logs follows with
/// -F); after `down`, both `cluster status` and a command using the profile
/// say that the profile's cluster is down instead of a bare
/// "connection refused".
#[test]
fn commands_default_to_the_active_profiles_cluster_and_say_when_it_is_down() {
    let mut env = Env::new();
    env.watch("dev");
    env.run(&["cluster", "up", "--name", "dev", "--agents", "1", "-q"])
        .assert_ok();
    let r = env.run(&["cluster", "status", "--json"]);
    r.assert_ok();
    let st: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(st["name"], "dev", "{st}");
    env.run(&["cluster", "wait", "-q"]).assert_ok();
    let r = env.run(&["cluster", "logs", "master", "-n", "1"]);
    r.assert_ok();
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    // `-f` never means --follow in `cluster` (it is --file elsewhere).
    let r = env.run(&["cluster", "logs", "master", "-f"]);
    r.assert_code(2);
    assert!(r.stderr.contains("'-f'"), "{}", r.stderr);

    env.run(&["cluster", "down", "-q", "--grace", "1s"])
        .assert_ok();
    let r = env.run(&["cluster", "status"]);
    r.assert_code(4).assert_clean_error();
    assert!(r.stderr.contains("cluster 'dev' is down"), "{}", r.stderr);
    let r = env.run(&["--timeout", "3s", "ps"]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("profile 'dev'") && r.stderr.contains("is down"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("mesos cluster up --name dev"),
        "{}",
        r.stderr
    );
}

/// Issue 12, rough edge 8: `down` then `up` (no --purge) does not bring
/// back torn-down frameworks as registered-but-inactive ones, and a task
/// killed before `down` is never reported FAILED afterwards.
#[test]
fn down_and_up_again_brings_back_no_torn_down_framework() {
    let env = Env::new();
    env.run(&["cluster", "up", "--agents", "1", "-q"])
        .assert_ok();
    env.run(&[
        "execute",
        "--name",
        "victim",
        "--detach",
        "--command",
        "sleep 300",
    ])
    .assert_ok();
    env.run(&["kill", "victim"]).assert_ok();
    env.run(&["execute", "--name", "quick", "--command", "true"])
        .assert_ok();
    env.run(&["cluster", "down", "-q", "--grace", "1s"])
        .assert_ok();
    env.run(&["cluster", "up", "-q"]).assert_ok();
    let r = env.run(&["frameworks", "--json"]);
    r.assert_ok();
    let fws: Value = serde_json::from_str(&r.stdout).unwrap();
    // Only the cluster's own Marathon, back under its stored framework id.
    for f in fws.as_array().unwrap() {
        assert_eq!(f["name"], "marathon", "{fws}");
        assert_eq!(f["active"], true, "{fws}");
    }
    let r = env.run(&["ps", "-a", "--no-usage", "--json"]);
    let tasks: Value = serde_json::from_str(&r.stdout).unwrap_or(Value::Null);
    for t in tasks.as_array().into_iter().flatten() {
        assert_ne!(t["state"], "TASK_FAILED", "{tasks}");
    }
}
