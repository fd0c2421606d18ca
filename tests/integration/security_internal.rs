//! The internal master <-> agent protocol is authenticated: calls that do
//! not carry the session token of the agent's current registration are
//! refused and nothing runs or changes (docs/internal-protocol.md). Real
//! master and agent processes; the attacker is a plain HTTP client.

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::cluster::{get_json, restart_agent, start_agent, start_master, Daemon};
use crate::common::daemons::request;
use crate::common::{wait_until, TestEnv};

const DEADLINE: Duration = Duration::from_secs(60);

fn post(addr: &str, path: &str, auth: Option<&str>, body: &Value) -> (u16, String) {
    let bearer = auth.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(b) = &bearer {
        headers.push(("Authorization", b.as_str()));
    }
    let r = request(addr, "POST", path, &headers, body.to_string().as_bytes());
    (r.status, r.text())
}

/// A task whose command would leave `marker` behind if it ever ran.
fn evil_run_task(agent_id: &str, marker: &std::path::Path) -> Value {
    json!({
        "framework": {"id": {"value": "evil-fw"}, "name": "evil", "user": "root"},
        "task": {
            "name": "evil", "task_id": {"value": "evil-task"},
            "agent_id": {"value": agent_id},
            "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}}],
            "command": {"value": format!("touch {}", marker.display()), "shell": true}
        }
    })
}

fn agent_state(agent: &Daemon) -> Value {
    get_json(&format!("{}/slave(1)/state", agent.url()))
}

fn agent_id(agent: &Daemon) -> String {
    agent_state(agent)["id"].as_str().unwrap_or("").to_string()
}

/// `mesos CMD --master MASTER ARGS...` in a sealed environment.
fn mesos_at(master: &str, cmd_and_args: &[&str]) -> crate::common::Run {
    let mut args = vec![cmd_and_args[0], "--master", master];
    args.extend_from_slice(&cmd_and_args[1..]);
    TestEnv::new().run(&args)
}

/// Run a detached `sleep` through the real scheduler API; its task id.
fn launch_victim(master: &Daemon, name: &str) -> String {
    let r = mesos_at(
        &master.addr(),
        &[
            "execute",
            "--detach",
            // The victim survives agent restarts.
            "--checkpoint",
            "--name",
            name,
            "--command",
            "sleep 300",
        ],
    );
    assert_eq!(r.code, 0, "execute --detach: {}", r.stderr);
    name.to_string()
}

/// A running victim task and the id of the framework that launched it.
fn running_victim(master: &Daemon, name: &str) -> (String, String) {
    let victim = launch_victim(master, name);
    wait_until(DEADLINE, "victim running", || {
        task_state(master, &victim) == "TASK_RUNNING"
    });
    let fid = get_json(&format!("{}/master/frameworks", master.url()))["frameworks"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    (victim, fid)
}

fn task_state(master: &Daemon, id: &str) -> String {
    get_json(&format!("{}/master/tasks", master.url()))["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .and_then(|t| t["state"].as_str())
        .unwrap_or("")
        .to_string()
}

#[test]
fn forged_calls_to_the_agent_are_refused_and_nothing_runs() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let aid = agent_id(&agent);
    let scratch = tempfile::tempdir().unwrap();
    let marker = scratch.path().join("pwned");
    let body = evil_run_task(&aid, &marker);
    let wrong = "f".repeat(64);
    for auth in [None, Some(wrong.as_str()), Some("")] {
        let (code, text) = post(&agent.addr(), "/slave(1)/internal/run_task", auth, &body);
        assert_eq!(code, 403, "run_task with {auth:?}: {text}");
    }
    // The handler refused before recording anything: no framework, no
    // executor, no sandbox directory.
    let st = agent_state(&agent);
    assert_eq!(st["frameworks"].as_array().unwrap().len(), 0, "{st}");
    let fw_dir = agent
        .work_dir()
        .join("slaves")
        .join(&aid)
        .join("frameworks")
        .join("evil-fw");
    assert!(!fw_dir.exists(), "{} was created", fw_dir.display());

    // The other master -> agent calls are refused too.
    let (victim, fid) = running_victim(&master, "victim");
    for (path, body) in [
        (
            "/slave(1)/internal/kill_task",
            json!({"framework_id": fid, "task_id": victim}),
        ),
        (
            "/slave(1)/internal/shutdown_framework",
            json!({"framework_id": fid}),
        ),
        (
            "/slave(1)/internal/acknowledge",
            json!({"framework_id": fid, "task_id": victim, "uuid": "AAAAAAAAAAAAAAAAAAAAAA=="}),
        ),
    ] {
        let (code, text) = post(&agent.addr(), path, Some(&wrong), &body);
        assert_eq!(code, 403, "{path}: {text}");
    }
    let log = agent.log();
    assert!(
        log.contains("Refused /slave(1)/internal/run_task from 127.0.0.1:"),
        "the refusal is logged with the peer address:\n{log}"
    );
    assert!(!log.contains(&wrong), "the presented token is not logged");

    // The real master still drives the agent: the victim keeps running, and
    // a task launched through the scheduler API runs to completion.
    let r = mesos_at(
        &master.addr(),
        &["execute", "--name", "legit", "--command", "true"],
    );
    assert_eq!(r.code, 0, "legit task: {}", r.stderr);
    assert_eq!(task_state(&master, &victim), "TASK_RUNNING");
    assert!(!marker.exists(), "the forged task ran");
    let r = mesos_at(&master.addr(), &["kill", &victim]);
    assert_eq!(r.code, 0, "kill through the master: {}", r.stderr);
    wait_until(DEADLINE, "victim killed by the real master", || {
        task_state(&master, &victim) == "TASK_KILLED"
    });
}

#[test]
fn forged_status_updates_and_pings_do_not_change_the_master() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let aid = agent_id(&agent);
    let (victim, fid) = running_victim(&master, "victim2");
    let forged = |agent_id: &str| {
        json!({
            "agent_id": agent_id,
            "framework_id": fid,
            "status": {
                "task_id": {"value": victim}, "state": "TASK_FINISHED",
                "source": "SOURCE_EXECUTOR", "uuid": "AAAAAAAAAAAAAAAAAAAAAA==",
                "agent_id": {"value": agent_id}
            }
        })
    };
    // Without, and with a wrong, session token.
    for auth in [None, Some("0".repeat(64))] {
        let (code, text) = post(
            &master.addr(),
            "/master/internal/status_update",
            auth.as_deref(),
            &forged(&aid),
        );
        assert_eq!(code, 403, "{text}");
        let (code, _) = post(
            &master.addr(),
            "/master/internal/ping",
            auth.as_deref(),
            &json!({"agent_id": aid}),
        );
        assert_eq!(code, 403);
    }
    // A registered (fake) agent holds a valid token of its own, but may not
    // speak for another agent's task.
    let reg = json!({
        "hostname": "intruder", "ip": "127.0.0.1", "port": 1,
        "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 1.0}}],
        "attributes": [], "version": "1.11.0"
    });
    let r = request(
        &master.addr(),
        "POST",
        "/master/internal/register",
        &[("Content-Type", "application/json")],
        reg.to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let fake = r.json();
    let fake_id = fake["agent_id"].as_str().unwrap();
    let token = fake["session_token"].as_str().unwrap();
    assert_eq!(token.len(), 64);
    let mut body = forged(fake_id);
    let (code, text) = post(
        &master.addr(),
        "/master/internal/status_update",
        Some(token),
        &body,
    );
    assert_eq!(code, 403, "{text}");
    body["status"]["agent_id"]["value"] = json!(aid);
    let (code, _) = post(
        &master.addr(),
        "/master/internal/status_update",
        Some(token),
        &body,
    );
    assert_eq!(code, 403);
    assert_eq!(task_state(&master, &victim), "TASK_RUNNING");
    let log = master.log();
    assert!(
        log.contains("Refused a status update") && log.contains("from 127.0.0.1:"),
        "{log}"
    );
    assert!(!log.contains(token), "session tokens are never logged");
}

#[test]
fn a_restarted_agent_gets_a_new_session_and_the_master_still_drives_it() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &["--recovery_timeout=1mins"]);
    let aid = agent_id(&agent);
    let victim = launch_victim(&master, "survivor");
    wait_until(DEADLINE, "survivor running", || {
        task_state(&master, &victim) == "TASK_RUNNING"
    });
    let agent = restart_agent(agent, &master.addr(), &["--recovery_timeout=1mins"]);
    wait_until(DEADLINE, "re-registration", || agent_id(&agent) == aid);
    wait_until(DEADLINE, "re-registration logged by the master", || {
        master
            .log()
            .matches(&format!("Re-registered agent {aid}"))
            .count()
            >= 1
    });
    // The master's calls (kill) carry the new session's token.
    let r = mesos_at(&master.addr(), &["kill", &victim]);
    assert_eq!(r.code, 0, "kill after the agent restart: {}", r.stderr);
    wait_until(DEADLINE, "survivor killed", || {
        task_state(&master, &victim) == "TASK_KILLED"
    });
    assert!(
        !agent.log().contains("Refused /slave(1)/internal"),
        "{}",
        agent.log()
    );
}

/// Index of the one master answering `/master/state` itself (the others
/// redirect or have no leader).
fn leader_of(masters: &[&Daemon]) -> Option<usize> {
    let leading: Vec<usize> = masters
        .iter()
        .enumerate()
        .filter(|(_, m)| {
            std::net::TcpStream::connect(m.addr()).is_ok()
                && request(&m.addr(), "GET", "/master/state", &[], b"").status == 200
        })
        .map(|(i, _)| i)
        .collect();
    (leading.len() == 1).then(|| leading[0])
}

#[test]
fn after_a_master_failover_the_new_leader_drives_the_agent() {
    use crate::common::cluster::{start_agent_unwaited, start_master_zk};
    let zk = crate::common::zk::shared();
    let url = zk.url(&crate::common::zk::unique_path("sec-failover"));
    let fast = ["--zk_session_timeout=2secs"];
    let mut masters: Vec<Daemon> = (0..3).map(|_| start_master_zk(&url, &fast)).collect();
    let mut li = None;
    wait_until(DEADLINE, "one leader", || {
        li = leader_of(&masters.iter().collect::<Vec<_>>());
        li.is_some()
    });
    let agent = start_agent_unwaited(&url, &[]);
    let leader = &masters[li.unwrap()];
    wait_until(DEADLINE, "agent registered", || {
        crate::common::cluster::agent_count(leader) == 1
    });
    let victim = launch_victim(leader, "failover-victim");
    wait_until(DEADLINE, "victim running", || {
        task_state(leader, &victim) == "TASK_RUNNING"
    });
    masters.remove(li.unwrap()).kill();
    let mut li = None;
    wait_until(DEADLINE, "a new leader", || {
        li = leader_of(&masters.iter().collect::<Vec<_>>());
        li.is_some()
    });
    let leader = &masters[li.unwrap()];
    wait_until(DEADLINE, "agent re-registered with the new leader", || {
        crate::common::cluster::agent_count(leader) == 1
            && task_state(leader, &victim) == "TASK_RUNNING"
    });
    let r = mesos_at(&url, &["kill", &victim]);
    assert_eq!(r.code, 0, "kill through the new leader: {}", r.stderr);
    wait_until(DEADLINE, "victim killed by the new leader", || {
        task_state(leader, &victim) == "TASK_KILLED"
    });
    assert!(
        !agent.log().contains("Refused /slave(1)/internal"),
        "{}",
        agent.log()
    );
}

/// Run `mesos <args>` and return (exit code, stderr).
fn run_daemon_briefly(args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(crate::common::mesos_bin())
        .args(args)
        .env_remove("MESOS_MASTER")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn with_authenticate_agents_only_agents_with_a_valid_credential_register() {
    use crate::common::cluster::{agent_count, start_agent_unwaited};
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("credentials.json");
    std::fs::write(
        &creds,
        r#"{"credentials":[{"principal":"agent","secret":"s3cret-agent"},{"principal":"ops","secret":"ops-pw"}]}"#,
    )
    .unwrap();
    let good = dir.path().join("good.json");
    std::fs::write(&good, r#"{"principal":"agent","secret":"s3cret-agent"}"#).unwrap();
    let wrong = dir.path().join("wrong.txt");
    std::fs::write(&wrong, "agent not-the-secret\n").unwrap();
    let creds_flag = format!("--credentials={}", creds.display());
    let master = start_master(&["--authenticate_agents", &creds_flag]);

    let anonymous = start_agent_unwaited(&master.addr(), &[]);
    let wrong_flag = format!("--credential={}", wrong.display());
    let impostor = start_agent_unwaited(&master.addr(), &[&wrong_flag]);
    wait_until(DEADLINE, "both refusals logged", || {
        let log = master.log();
        log.contains("no credential (--authenticate_agents)")
            && log.contains("wrong credential for principal 'agent'")
    });
    assert_eq!(agent_count(&master), 0);
    for a in [&anonymous, &impostor] {
        wait_until(DEADLINE, "the agent says why it is not registered", || {
            a.log().contains("Agent authentication failed")
        });
    }
    let log = master.log() + &impostor.log();
    assert!(!log.contains("not-the-secret") && !log.contains("s3cret-agent"));

    let good_flag = format!("--credential=file://{}", good.display());
    let _ok = start_agent(&master, &[&good_flag]);
    assert_eq!(agent_count(&master), 1);
    // The agent is driven as usual.
    let r = mesos_at(
        &master.addr(),
        &["execute", "--name", "authd", "--command", "true"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);

    // Start-up errors: one line, exit 1.
    let (code, err) = run_daemon_briefly(&[
        "master",
        "--registry=in_memory",
        "--port=0",
        "--authenticate_agents",
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("--authenticate_agents needs --credentials"),
        "{err}"
    );
    let missing = dir.path().join("missing.json");
    let (code, err) = run_daemon_briefly(&[
        "agent",
        "--master=127.0.0.1:5050",
        &format!("--work_dir={}", dir.path().join("w").display()),
        &format!("--credential={}", missing.display()),
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("--credential: cannot read"), "{err}");
    std::fs::write(&wrong, "a b\nc d\n").unwrap();
    let (code, err) = run_daemon_briefly(&[
        "agent",
        "--master=127.0.0.1:5050",
        &format!("--work_dir={}", dir.path().join("w").display()),
        &wrong_flag,
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("expected exactly one credential, found 2"),
        "{err}"
    );
}
