//! The master's registry (docs/registry.md), with real master and agent
//! processes and a real ZooKeeper: what a new leader (or a restarted
//! standalone master) recovers, `--agent_reregister_timeout`, `--quorum`,
//! and `--registry=in_memory`.

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::cluster::{
    agent_count, get_json, http_get, spawn_with_env, start_agent, start_agent_unwaited,
    start_master, Daemon,
};
use crate::common::daemons::request;
use crate::common::zk::{self, ZkSession};
use crate::common::{free_port, wait_until, TestEnv};
use mesos::master::registry::{self, Record};

/// Generous: a JVM and several daemons on a loaded 2-core machine.
const DEADLINE: Duration = Duration::from_secs(90);

/// Spawn `mesos master ARGS` on `port` in `dir` without waiting.
fn spawn_master(port: u16, dir: tempfile::TempDir, extra: &[String]) -> Daemon {
    let mut args = vec![
        "--ip=127.0.0.1".to_string(),
        format!("--port={port}"),
        format!("--work_dir={}", dir.path().join("work").display()),
        format!("--log_dir={}", dir.path().join("logs").display()),
    ];
    args.extend(extra.iter().cloned());
    spawn_with_env("master", args, &[], port, dir)
}

/// Wait until the master answers `/master/health`.
fn wait_health(d: &mut Daemon) {
    let url = format!("{}/master/health", d.url());
    wait_until(DEADLINE, "master /health", || {
        if let Ok(Some(st)) = d.child.try_wait() {
            panic!("master exited early ({st}):\n{}", d.log());
        }
        matches!(http_get(&url), Some((200, _)))
    });
}

/// A master contending through ZooKeeper with `--quorum=<quorum>`.
fn zk_master(url: &str, quorum: u32, extra: &[&str]) -> Daemon {
    let mut args = vec![format!("--zk={url}"), format!("--quorum={quorum}")];
    args.extend(extra.iter().map(|s| s.to_string()));
    let mut d = spawn_master(free_port(), tempfile::tempdir().unwrap(), &args);
    wait_health(&mut d);
    d
}

/// `master/elected` (None when unreachable).
fn elected(m: &Daemon) -> Option<f64> {
    let (code, body) = http_get(&format!("{}/metrics/snapshot", m.url()))?;
    if code != 200 {
        return None;
    }
    serde_json::from_str::<Value>(&body).ok()?["master/elected"].as_f64()
}

/// Wait until exactly one of `masters` is elected; its index.
fn wait_leader(masters: &[&Daemon]) -> usize {
    let mut leader = 0;
    wait_until(DEADLINE, "exactly one elected master", || {
        let flags: Vec<Option<f64>> = masters.iter().map(|m| elected(m)).collect();
        let leaders: Vec<usize> = (0..masters.len())
            .filter(|&i| flags[i] == Some(1.0))
            .collect();
        if leaders.len() == 1 && flags.iter().all(Option::is_some) {
            leader = leaders[0];
            true
        } else {
            false
        }
    });
    leader
}

fn state(m: &Daemon) -> Value {
    get_json(&format!("{}/master/state", m.url()))
}

/// POST a v1 operator call; the response JSON.
fn v1(m: &Daemon, call: Value) -> Value {
    let r = request(
        &m.addr(),
        "POST",
        "/api/v1",
        &[
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
        ],
        call.to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["id"].as_str().map(str::to_string))
        .collect()
}

/// The id of the agent listening on `port`, from the master's state.
fn agent_id(st: &Value, port: u16) -> String {
    st["slaves"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["port"].as_u64() == Some(u64::from(port)))
        .and_then(|a| a["id"].as_str())
        .unwrap_or_else(|| panic!("no agent on port {port}: {st}"))
        .to_string()
}

fn has_exited(d: &mut Daemon) -> Option<i32> {
    d.child
        .try_wait()
        .ok()
        .flatten()
        .map(|s| s.code().unwrap_or(-1))
}

/// Run `mesos execute --detach` against `master`: two `sleep` tasks.
fn detached_sleeps(master: &Daemon) -> String {
    let env = TestEnv::new();
    let r = env.run(&[
        "execute",
        "--master",
        &master.addr(),
        "--detach",
        "--name",
        "web",
        "--instances",
        "2",
        "--command",
        "sleep 300",
    ]);
    r.assert_ok();
    r.stderr
        .lines()
        .find_map(|l| {
            l.strip_prefix("framework ")
                .and_then(|x| x.split_whitespace().next())
        })
        .unwrap_or_else(|| panic!("no framework id:\n{}", r.stderr))
        .to_string()
}

#[test]
fn killed_leader_the_new_one_recovers_agents_and_frameworks_and_no_task_is_lost() {
    let server = zk::shared();
    let path = zk::unique_path("reg-failover");
    let url = server.url(&path);
    let fast = ["--zk_session_timeout=3secs"];
    let mut masters: Vec<Daemon> = (0..3).map(|_| zk_master(&url, 2, &fast)).collect();
    let li = wait_leader(&masters.iter().collect::<Vec<_>>());
    let _a1 = start_agent_unwaited(&url, &[]);
    let _a2 = start_agent_unwaited(&url, &[]);
    wait_until(DEADLINE, "two agents registered", || {
        agent_count(&masters[li]) == 2
    });
    let fid = detached_sleeps(&masters[li]);

    // The registry in ZooKeeper holds both agents and the framework.
    let zs = ZkSession::connect(&server.connect_string(), None);
    let rec: Record = registry::decode(&zs.data(&format!("{path}/registry")).unwrap()).unwrap();
    assert_eq!(rec.agents.len(), 2, "{rec:?}");
    assert_eq!(rec.frameworks.len(), 1, "{rec:?}");
    assert_eq!(rec.frameworks[0].id(), Some(fid.as_str()));

    masters[li].kill();
    let rest: Vec<&Daemon> = masters
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != li)
        .map(|(_, m)| m)
        .collect();
    let new = rest[wait_leader(&rest)];
    assert!(
        new.log()
            .contains("Recovered 2 agents and 1 frameworks from the registry"),
        "{}",
        new.log()
    );
    wait_until(
        DEADLINE,
        "both agents re-registered with the new leader",
        || {
            let st = state(new);
            ids(&st["slaves"]).len() == 2 && ids(&st["recovered_slaves"]).is_empty()
        },
    );
    let st = state(new);
    for a in st["slaves"].as_array().unwrap() {
        assert!(a["reregistered_time"].is_number(), "{a}");
    }
    let fw = st["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == fid.as_str())
        .unwrap_or_else(|| panic!("framework {fid} not recovered: {st}"));
    assert_eq!(fw["recovered"], true, "{fw}");
    assert_eq!(fw["connected"], false, "{fw}");
    assert_eq!(fw["active"], false, "{fw}");
    // 0 tasks lost: both still run, nothing completed or unreachable.
    let states: Vec<&str> = fw["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["TASK_RUNNING", "TASK_RUNNING"], "{fw}");
    assert_eq!(fw["completed_tasks"], json!([]), "{fw}");
    assert_eq!(fw["unreachable_tasks"], json!([]), "{fw}");
    let v = v1(new, json!({"type": "GET_FRAMEWORKS"}));
    let f = &v["get_frameworks"]["frameworks"][0];
    assert_eq!(f["framework_info"]["id"]["value"], fid.as_str(), "{v}");
    assert_eq!(f["recovered"], true, "{v}");
    // The new leader wrote its own version of the registry.
    let rec2: Record = registry::decode(&zs.data(&format!("{path}/registry")).unwrap()).unwrap();
    assert!(
        rec2.version > rec.version,
        "{} <= {}",
        rec2.version,
        rec.version
    );
    assert_eq!(rec2.agents.len(), 2);
}

#[test]
fn restarted_standalone_master_reports_recovered_agents_then_marks_the_missing_one_unreachable() {
    let port = free_port();
    let flags = vec!["--agent_reregister_timeout=10secs".to_string()];
    let mut m = spawn_master(port, tempfile::tempdir().unwrap(), &flags);
    wait_health(&mut m);
    let a1 = start_agent(&m, &[]);
    let mut a2 = start_agent(&m, &[]);
    let st = state(&m);
    let (id1, id2) = (agent_id(&st, a1.port), agent_id(&st, a2.port));
    let file = m.work_dir().join("registry.json");
    let rec = registry::decode(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(rec.agents.len(), 2, "{rec:?}");

    // The master and one agent die; the other agent keeps running.
    m.kill();
    a2.kill();
    let dir = std::mem::replace(&mut m.dir, tempfile::tempdir().unwrap());
    drop(m);
    let mut m = spawn_master(port, dir, &flags);
    wait_health(&mut m);
    let st = state(&m);
    assert!(
        ids(&st["recovered_slaves"]).contains(&id2),
        "{}",
        st["recovered_slaves"]
    );
    let r = st["recovered_slaves"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id2.as_str())
        .unwrap();
    assert_eq!(r["port"].as_u64(), Some(u64::from(a2.port)), "{r}");
    let v = v1(&m, json!({"type": "GET_AGENTS"}));
    let recovered = &v["get_agents"]["recovered_agents"];
    assert!(
        recovered
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["id"]["value"] == id2.as_str())),
        "{v}"
    );
    // `?slave_id=` selects among the recovered agents too.
    let only =
        |id: &str| -> Value { get_json(&format!("{}/master/slaves?slave_id={id}", m.url())) };
    assert_eq!(
        ids(&only(&id2)["recovered_slaves"]),
        std::slice::from_ref(&id2)
    );
    assert!(!ids(&only(&id1)["recovered_slaves"]).contains(&id2));
    assert!(ids(&only("nosuch")["recovered_slaves"]).is_empty());
    // The live agent re-registers and is no longer "recovered".
    wait_until(DEADLINE, "the live agent to re-register", || {
        let st = state(&m);
        ids(&st["slaves"]) == [id1.clone()] && !ids(&st["recovered_slaves"]).contains(&id1)
    });
    // The dead one becomes unreachable after --agent_reregister_timeout.
    wait_until(DEADLINE, "the missing agent to become unreachable", || {
        let st = state(&m);
        ids(&st["recovered_slaves"]).is_empty() && st["unreachable_slaves"] == 1.0
    });
    assert!(
        m.log()
            .contains(&format!("Agent {id2} did not re-register within 10secs")),
        "{}",
        m.log()
    );
    // ... and stays so across another restart.
    m.kill();
    let dir = std::mem::replace(&mut m.dir, tempfile::tempdir().unwrap());
    drop(m);
    let mut m = spawn_master(port, dir, &flags);
    wait_health(&mut m);
    let st = state(&m);
    assert_eq!(st["unreachable_slaves"], 1.0, "{st}");
    assert!(!ids(&st["recovered_slaves"]).contains(&id2), "{st}");
}

#[test]
fn in_memory_registry_persists_nothing() {
    let work = tempfile::tempdir().unwrap();
    let w = work.path().join("master");
    let m = start_master(&[&format!("--work_dir={}", w.display())]);
    let _a = start_agent(&m, &[]);
    detached_sleeps(&m);
    assert!(
        !w.join("registry.json").exists(),
        "{:?}",
        std::fs::read_dir(&w).map(|d| d.count())
    );

    let server = zk::shared();
    let path = zk::unique_path("reg-inmem");
    let url = server.url(&path);
    let mut args = vec![format!("--zk={url}"), "--registry=in_memory".to_string()];
    args.push("--zk_session_timeout=3secs".into());
    let mut zm = spawn_master(free_port(), tempfile::tempdir().unwrap(), &args);
    wait_health(&mut zm);
    wait_leader(&[&zm]);
    let _b = start_agent_unwaited(&url, &[]);
    wait_until(DEADLINE, "the agent registered", || agent_count(&zm) == 1);
    let zs = ZkSession::connect(&server.connect_string(), None);
    assert!(!zs.exists(&format!("{path}/registry")));
    assert!(!zm.work_dir().join("registry.json").exists());
}

#[test]
fn without_a_quorum_no_master_leads_and_the_elected_one_gives_up() {
    let server = zk::shared();
    let path = zk::unique_path("reg-quorum");
    let url = server.url(&path);
    // Two of three masters cannot reach ZooKeeper (nothing listens there).
    let dead = format!("zk://127.0.0.1:{}/mesos", free_port());
    let mut lone = zk_master(&url, 2, &["--registry_fetch_timeout=10secs"]);
    let cut: Vec<Daemon> = (0..2).map(|_| zk_master(&dead, 2, &[])).collect();
    let _agent = start_agent_unwaited(&url, &[]);
    wait_until(DEADLINE, "the lone master to wait for a quorum", || {
        lone.log()
            .contains("Elected, but only 1 of the quorum of 2")
    });
    for m in std::iter::once(&lone).chain(cut.iter()) {
        assert_eq!(elected(m), Some(0.0), "{}", m.log());
        let (code, body) = http_get(&format!("{}/master/state", m.url())).unwrap();
        assert_eq!((code, body.as_str()), (503, "No leader elected"));
    }
    // Nobody takes a framework (so nobody launches a task).
    let r = request(
        &lone.addr(),
        "POST",
        "/api/v1/scheduler",
        &[("Content-Type", "application/json")],
        br#"{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n"}}}"#,
    );
    assert_eq!(r.status, 503, "{}", r.text());
    // As a Mesos master whose registry fetch times out, it aborts.
    let mut code = None;
    wait_until(DEADLINE, "the lone master to abort", || {
        code = has_exited(&mut lone);
        code.is_some()
    });
    assert_eq!(code, Some(1), "{}", lone.log());
    assert!(lone.log().contains("Recovery failed"), "{}", lone.log());
    let zs = ZkSession::connect(&server.connect_string(), None);
    assert!(!zs.exists(&format!("{path}/registry")));

    // With a quorum of masters on ZooKeeper, one leads and tasks run.
    let b = zk_master(&url, 2, &[]);
    let c = zk_master(&url, 2, &[]);
    let masters = [&b, &c];
    let li = wait_leader(&masters);
    wait_until(DEADLINE, "the agent registered", || {
        agent_count(masters[li]) == 1
    });
    let env = TestEnv::new();
    env.run(&[
        "execute",
        "--master",
        &masters[li].addr(),
        "--command",
        "true",
    ])
    .assert_ok();
    assert!(zs.exists(&format!("{path}/registry")));
}

#[test]
fn elected_master_that_cannot_read_the_registry_does_not_lead() {
    let server = zk::shared();
    let path = zk::unique_path("reg-corrupt");
    let zs = ZkSession::connect(&server.connect_string(), None);
    zs.ensure_path(&path);
    zs.create(
        &format!("{path}/registry"),
        b"not a registry",
        zookeeper_client::CreateMode::Persistent,
    );
    let args = vec![
        format!("--zk={}", server.url(&path)),
        "--quorum=1".to_string(),
    ];
    let mut m = spawn_master(free_port(), tempfile::tempdir().unwrap(), &args);
    let mut code = None;
    wait_until(DEADLINE, "the master to abort", || {
        code = has_exited(&mut m);
        code.is_some()
    });
    assert_eq!(code, Some(1), "{}", m.log());
    let log = m.log();
    assert!(log.contains("Recovery failed"), "{log}");
    assert!(log.contains("registry is not valid"), "{log}");
    assert!(!log.contains("Elected as the leading master!"), "{log}");
}

#[test]
fn a_registry_split_over_several_znodes_is_recovered_and_compacted() {
    let server = zk::shared();
    let path = zk::unique_path("reg-chunks");
    let zs = ZkSession::connect(&server.connect_string(), None);
    zs.ensure_path(&path);
    // What a master writes when the compressed record outgrows one znode:
    // a manifest in <path>/registry, the bytes in its children.
    let rec = Record {
        format: registry::FORMAT,
        version: 41,
        master_id: "old".into(),
        agents: vec![registry::AgentRecord {
            id: "old-S7".into(),
            hostname: "far-away".into(),
            ip: "127.0.0.1".into(),
            port: free_port(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let bytes = registry::encode(&rec);
    let parts = registry::split(&bytes, 64);
    assert!(parts.len() > 2);
    let manifest = registry::Manifest {
        generation: 41,
        chunks: parts.len(),
        size: bytes.len(),
    };
    let node = format!("{path}/registry");
    zs.create(
        &node,
        &serde_json::to_vec(&manifest).unwrap(),
        zookeeper_client::CreateMode::Persistent,
    );
    for (i, p) in parts.iter().enumerate() {
        zs.create(
            &format!("{node}/{}", registry::chunk_name(41, i)),
            p,
            zookeeper_client::CreateMode::Persistent,
        );
    }
    let m = zk_master(&server.url(&path), 1, &[]);
    wait_leader(&[&m]);
    let st = state(&m);
    assert_eq!(ids(&st["recovered_slaves"]), ["old-S7"], "{st}");
    assert_eq!(st["recovered_slaves"][0]["hostname"], "far-away");
    // Written back whole (it is small now); the old chunks are gone.
    let back = registry::decode(&zs.data(&node).unwrap()).unwrap();
    assert!(back.version > 41, "{back:?}");
    assert_eq!(back.agents.len(), 1);
    assert!(zs.children(&node).is_empty(), "{:?}", zs.children(&node));
}

#[test]
fn a_leader_whose_registry_was_changed_behind_its_back_aborts_instead_of_overwriting() {
    let server = zk::shared();
    let path = zk::unique_path("reg-fence");
    let url = server.url(&path);
    let mut m = zk_master(&url, 1, &[]);
    wait_leader(&[&m]);
    let zs = ZkSession::connect(&server.connect_string(), None);
    let node = format!("{path}/registry");
    wait_until(DEADLINE, "the registry written", || {
        zs.data(&node).is_some()
    });
    // Another writer (say, a master that still believes it leads).
    let other = Record {
        format: registry::FORMAT,
        version: 1000,
        master_id: "intruder".into(),
        ..Default::default()
    };
    zs.set_data(&node, &registry::encode(&other));
    // The next write of the leader (an agent registering) is refused.
    let _agent = start_agent_unwaited(&url, &[]);
    let mut code = None;
    wait_until(DEADLINE, "the leader to abort", || {
        code = has_exited(&mut m);
        code.is_some()
    });
    assert_eq!(code, Some(1), "{}", m.log());
    assert!(
        m.log()
            .contains("the registry was changed by another master"),
        "{}",
        m.log()
    );
    // The other writer's registry is intact.
    let now = registry::decode(&zs.data(&node).unwrap()).unwrap();
    assert_eq!(now.master_id, "intruder");
}

/// Maintenance schedule, quota and weights are in the registry: a restarted
/// standalone master has them again (here through the v1 API).
#[test]
fn maintenance_quota_and_weights_survive_a_restart() {
    let port = free_port();
    let mut m = spawn_master(port, tempfile::tempdir().unwrap(), &[]);
    wait_health(&mut m);
    let schedule = json!({"windows": [{
        "machine_ids": [{"hostname": "maint-host", "ip": "10.9.9.9"}],
        "unavailability": {"start": {"nanoseconds": 4102444800000000000i64}}
    }]});
    let post = |m: &Daemon, call: Value| {
        let r = request(
            &m.addr(),
            "POST",
            "/api/v1",
            &[("Content-Type", "application/json")],
            call.to_string().as_bytes(),
        );
        assert_eq!(r.status, 200, "{call}: {}", r.text());
    };
    post(
        &m,
        json!({"type": "UPDATE_MAINTENANCE_SCHEDULE",
        "update_maintenance_schedule": {"schedule": schedule}}),
    );
    post(
        &m,
        json!({"type": "UPDATE_WEIGHTS", "update_weights": {
        "weight_infos": [{"role": "analytics", "weight": 3.0}]}}),
    );
    post(
        &m,
        json!({"type": "UPDATE_QUOTA", "update_quota": {"force": true, "quota_configs": [{
        "role": "analytics", "guarantees": {"cpus": {"value": 1.0}}}]}}),
    );
    let before = (
        v1(&m, json!({"type": "GET_MAINTENANCE_SCHEDULE"})),
        v1(&m, json!({"type": "GET_WEIGHTS"})),
        v1(&m, json!({"type": "GET_QUOTA"})),
    );
    assert_eq!(
        before.0["get_maintenance_schedule"]["schedule"]["windows"][0]["machine_ids"][0]
            ["hostname"],
        "maint-host",
        "{}",
        before.0
    );
    m.kill();
    let dir = std::mem::replace(&mut m.dir, tempfile::tempdir().unwrap());
    drop(m);
    let mut m = spawn_master(port, dir, &[]);
    wait_health(&mut m);
    let after = (
        v1(&m, json!({"type": "GET_MAINTENANCE_SCHEDULE"})),
        v1(&m, json!({"type": "GET_WEIGHTS"})),
        v1(&m, json!({"type": "GET_QUOTA"})),
    );
    assert_eq!(after, before);
    let w = &after.1["get_weights"]["weight_infos"];
    assert!(
        w.as_array()
            .unwrap()
            .iter()
            .any(|x| x["role"] == "analytics" && x["weight"] == 3.0),
        "{w}"
    );
}

#[test]
fn more_missing_agents_than_the_removal_limit_makes_the_master_exit_not_remove_them() {
    let port = free_port();
    let flags = vec![
        "--agent_reregister_timeout=3secs".to_string(),
        "--recovery_agent_removal_limit=40%".to_string(),
    ];
    let mut m = spawn_master(port, tempfile::tempdir().unwrap(), &flags);
    wait_health(&mut m);
    let _a1 = start_agent(&m, &[]);
    let mut a2 = start_agent(&m, &[]);
    let id2 = agent_id(&state(&m), a2.port);

    // One agent of two (50%) does not come back after a restart.
    m.kill();
    a2.kill();
    let dir = std::mem::replace(&mut m.dir, tempfile::tempdir().unwrap());
    drop(m);
    let mut m = spawn_master(port, dir, &flags);
    wait_health(&mut m);
    let mut code = None;
    wait_until(DEADLINE, "the master to exit", || {
        code = has_exited(&mut m);
        code.is_some()
    });
    assert_eq!(code, Some(1), "{}", m.log());
    let log = m.log();
    assert!(
        log.contains("Post-recovery agent removal limit exceeded")
            && log.contains(&id2)
            && log.contains("(50%)")
            && log.contains("removal limit is 40%"),
        "{log}"
    );
    // Nothing was removed: the registry still admits both agents.
    let rec =
        registry::decode(&std::fs::read(m.work_dir().join("registry.json")).unwrap()).unwrap();
    assert_eq!(rec.agents.len(), 2, "{rec:?}");
    assert!(rec.unreachable.is_empty(), "{rec:?}");
}

/// SUBSCRIBE a framework over a raw connection, read SUBSCRIBED and hang up
/// (it stays registered for its failover timeout). Returns its id.
fn subscribe_and_leave(m: &Daemon, info: &Value) -> String {
    use std::io::{Read, Write};
    let body = json!({"type": "SUBSCRIBE", "subscribe": {"framework_info": info}}).to_string();
    let addr = format!("127.0.0.1:{}", m.port);
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "POST /api/v1/scheduler HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(body.as_bytes()).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let text = loop {
        let n = s.read(&mut buf).unwrap();
        assert!(
            n > 0,
            "connection closed: {}",
            String::from_utf8_lossy(&got)
        );
        got.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&got).to_string();
        if text.contains("\"SUBSCRIBED\"") && text.contains("heartbeat_interval_seconds") {
            break text;
        }
    };
    let at = text.find("\"framework_id\":{\"value\":\"").unwrap() + 25;
    text[at..at + text[at..].find('"').unwrap()].to_string()
}

#[test]
fn a_registry_too_large_for_one_znode_is_written_in_chunks_and_recovered_whole() {
    let server = zk::shared();
    let path = zk::unique_path("reg-big");
    let url = server.url(&path);
    let mut m = zk_master(&url, 1, &["--zk_session_timeout=3secs"]);
    wait_leader(&[&m]);
    // Three frameworks whose infos carry ~700 KB of random hex each: about
    // 1 MB compressed, more than one znode holds.
    let mut ids = Vec::new();
    let mut blobs = Vec::new();
    for i in 0..3 {
        let blob: String = (0..20_000)
            .map(|_| uuid::Uuid::new_v4().simple().to_string())
            .collect();
        let info = json!({"user": "tester", "name": format!("big-{i}"), "failover_timeout": 3600.0,
            "labels": {"labels": [{"key": "blob", "value": blob}]}});
        ids.push(subscribe_and_leave(&m, &info));
        blobs.push(blob);
    }
    let zs = ZkSession::connect(&server.connect_string(), None);
    let node = format!("{path}/registry");
    wait_until(DEADLINE, "the registry to be written in chunks", || {
        zs.data(&node)
            .and_then(|d| serde_json::from_slice::<registry::Manifest>(&d).ok())
            .is_some_and(|mf| mf.chunks >= 2 && zs.children(&node).len() == mf.chunks)
    });
    let manifest: registry::Manifest = serde_json::from_slice(&zs.data(&node).unwrap()).unwrap();
    assert!(manifest.size > registry::ZK_CHUNK, "{manifest:?}");

    // A new master recovers all three frameworks, labels intact.
    m.kill();
    let m2 = zk_master(&url, 1, &[]);
    wait_leader(&[&m2]);
    assert!(
        m2.log()
            .contains("Recovered 0 agents and 3 frameworks from the registry"),
        "{}",
        m2.log()
    );
    let v = v1(&m2, json!({"type": "GET_FRAMEWORKS"}));
    let fws = v["get_frameworks"]["frameworks"].as_array().unwrap();
    assert_eq!(fws.len(), 3, "{} frameworks", fws.len());
    for (id, blob) in ids.iter().zip(&blobs) {
        let f = fws
            .iter()
            .find(|f| f["framework_info"]["id"]["value"] == id.as_str())
            .unwrap_or_else(|| panic!("framework {id} not recovered"));
        assert_eq!(f["recovered"], true);
        assert_eq!(
            f["framework_info"]["labels"]["labels"][0]["value"].as_str(),
            Some(blob.as_str())
        );
    }
}
