//! Each check on synthetic facts.

use std::time::Duration;

use serde_json::json;

use super::checks::*;
use super::facts::{AgentFacts, Facts, MasterFacts, ZkMember};
use super::{Status, Thresholds};
use crate::wire::MasterState;

const NOW: f64 = 1_700_000_000.0;

fn master(addr: &str, elected: bool, follows: &str) -> MasterFacts {
    MasterFacts {
        address: addr.into(),
        elected: Some(elected),
        uptime_secs: Some(3600.0),
        follows: Some(follows.into()),
        version: Some("1.11.0".into()),
        clock_offset: Some(0.0),
        ..Default::default()
    }
}

fn down(addr: &str) -> MasterFacts {
    MasterFacts {
        address: addr.into(),
        error: Some("Connection refused".into()),
        ..Default::default()
    }
}

fn state(v: serde_json::Value) -> MasterState {
    let mut base = json!({
        "version": "1.11.0", "start_time": NOW - 7200.0, "elected_time": NOW - 3600.0,
        "id": "m1", "pid": "master@10.0.0.1:5050", "hostname": "m1",
        "activated_slaves": 1.0, "deactivated_slaves": 0.0, "unreachable_slaves": 0.0,
        "flags": {}, "slaves": [], "frameworks": [], "completed_frameworks": []
    });
    for (k, val) in v.as_object().unwrap() {
        base[k] = val.clone();
    }
    serde_json::from_value(base).expect("a master state")
}

fn agent(id: &str, active: bool, used_cpus: f64) -> serde_json::Value {
    json!({
        "id": id, "hostname": format!("host-{id}"), "pid": format!("slave(1)@10.0.1.1:5051"),
        "registered_time": NOW - 100.0, "active": active,
        "resources": {"cpus": 4.0, "mem": 1024.0, "disk": 1000.0},
        "used_resources": {"cpus": used_cpus, "mem": 0.0, "disk": 0.0},
        "offered_resources": {}, "reserved_resources": {}, "unreserved_resources": {}
    })
}

fn task(id: &str, state: &str, statuses: &[(&str, f64)]) -> serde_json::Value {
    json!({
        "id": id, "name": id, "framework_id": "f1", "executor_id": "", "slave_id": "a1",
        "state": state, "resources": {},
        "statuses": statuses.iter().map(|(s, t)| json!({"state": s, "timestamp": t})).collect::<Vec<_>>()
    })
}

fn framework(
    active: bool,
    tasks: Vec<serde_json::Value>,
    completed: Vec<serde_json::Value>,
) -> serde_json::Value {
    json!({
        "id": "f1", "name": "marathon", "user": "root", "hostname": "h", "webui_url": "",
        "active": active, "checkpoint": false, "failover_timeout": 0.0,
        "registered_time": NOW - 500.0, "unregistered_time": 0.0,
        "resources": {}, "used_resources": {}, "offered_resources": {},
        "tasks": tasks, "completed_tasks": completed, "unreachable_tasks": [],
        "offers": [], "executors": []
    })
}

fn facts(masters: Vec<MasterFacts>, st: Option<MasterState>) -> Facts {
    Facts {
        now: NOW,
        expected_masters: Some(masters.len()),
        masters_from: "the --master list".into(),
        masters,
        state: st,
        leader_clock: Some(NOW),
        ..Default::default()
    }
}

fn three_masters() -> Vec<MasterFacts> {
    vec![
        master("m1:5050", true, "m1:5050"),
        master("m2:5050", false, "m1:5050"),
        master("m3:5050", false, "m1:5050"),
    ]
}

#[test]
fn masters_one_down_is_a_warning_naming_it_and_a_majority_down_is_critical() {
    let t = Thresholds::default();
    let f = facts(three_masters(), None);
    assert_eq!(masters(&f, &t).status, Status::Ok);
    let mut m = three_masters();
    m[2] = down("m3:5050");
    let c = masters(&facts(m.clone(), None), &t);
    assert_eq!(c.status, Status::Warning);
    assert!(c.summary.contains("m3:5050"), "{}", c.summary);
    m[1] = down("m2:5050");
    assert_eq!(masters(&facts(m, None), &t).status, Status::Critical);
    // Only two found in ZooKeeper where three are expected.
    let mut f = facts(three_masters()[..2].to_vec(), None);
    f.expected_masters = Some(3);
    assert_eq!(masters(&f, &t).status, Status::Warning);
    assert_eq!(masters(&facts(vec![], None), &t).status, Status::Critical);
}

#[test]
fn leader_needs_exactly_one_elected_master_that_all_agree_on() {
    let c = leader(&facts(three_masters(), None));
    assert_eq!(c.status, Status::Ok, "{}", c.summary);
    assert!(c.summary.contains("m1:5050") && c.summary.contains("all 3"));
    let mut m = three_masters();
    m[2].follows = Some("m3:5050".into());
    let c = leader(&facts(m, None));
    assert_eq!(c.status, Status::Critical);
    assert!(c.summary.contains("m3:5050 names m3:5050"), "{}", c.summary);
    let mut m = three_masters();
    m[0].elected = Some(false);
    assert_eq!(leader(&facts(m, None)).status, Status::Critical);
    let mut m = three_masters();
    m[1].elected = Some(true);
    assert_eq!(leader(&facts(m, None)).status, Status::Critical);
}

#[test]
fn a_recently_elected_leader_is_a_warning() {
    let t = Thresholds::default();
    let f = facts(three_masters(), Some(state(json!({}))));
    assert_eq!(leader_uptime(&f, &t).status, Status::Ok);
    let f = facts(
        three_masters(),
        Some(state(json!({"elected_time": NOW - 30.0}))),
    );
    let c = leader_uptime(&f, &t);
    assert_eq!(c.status, Status::Warning);
    assert_eq!(c.value, Some(30.0));
    // Without a state: the leader's uptime.
    let mut m = three_masters();
    m[0].uptime_secs = Some(10.0);
    assert_eq!(leader_uptime(&facts(m, None), &t).status, Status::Warning);
}

#[test]
fn zookeeper_members_down_refused_or_fine() {
    let member = |a: &str, ruok: Result<&str, &str>| ZkMember {
        address: a.into(),
        ruok: ruok.map(String::from).map_err(String::from),
        mntr: Ok("zk_server_state\tfollower\n".into()),
    };
    let mut f = facts(three_masters(), None);
    f.zk = Some(vec![
        member("z1:2181", Ok("imok")),
        member("z2:2181", Ok("imok")),
        member("z3:2181", Ok("imok")),
    ]);
    let c = zookeeper(&f);
    assert_eq!(c.status, Status::Ok);
    assert!(c.summary.contains("follower"));
    f.zk.as_mut().unwrap()[2] = member("z3:2181", Err("cannot connect: refused"));
    let c = zookeeper(&f);
    assert_eq!(c.status, Status::Warning);
    assert!(c.summary.contains("z3:2181"));
    f.zk.as_mut().unwrap()[1] = member("z2:2181", Err("cannot connect: refused"));
    assert_eq!(zookeeper(&f).status, Status::Critical);
    f.zk = Some(vec![member(
        "z1:2181",
        Ok("ruok is not executed because it is not in the whitelist.\n"),
    )]);
    let c = zookeeper(&f);
    assert_eq!(c.status, Status::Warning);
    assert!(
        c.summary.contains("4lw.commands.whitelist"),
        "{}",
        c.summary
    );
}

#[test]
fn disconnected_or_missing_agents_are_critical_and_named() {
    let mut t = Thresholds::default();
    let st = state(json!({"slaves": [agent("a1", true, 0.0), agent("a2", false, 0.0)]}));
    let c = agents(&facts(three_masters(), Some(st)), &t);
    assert_eq!(c.status, Status::Critical);
    assert!(c.summary.contains("a2 (host-a2)"), "{}", c.summary);
    let st = state(json!({"slaves": [agent("a1", true, 0.0)]}));
    assert_eq!(
        agents(&facts(three_masters(), Some(st.clone())), &t).status,
        Status::Ok
    );
    t.expect_agents = Some(2);
    let c = agents(&facts(three_masters(), Some(st)), &t);
    assert_eq!(c.status, Status::Critical);
    assert!(c.summary.contains("1 of 2 expected"), "{}", c.summary);
    t.expect_agents = None;
    let st = state(json!({"slaves": [agent("a1", true, 0.0)], "unreachable_slaves": 2.0}));
    assert_eq!(
        agents(&facts(three_masters(), Some(st)), &t).status,
        Status::Warning
    );
    assert_eq!(
        agents(&facts(three_masters(), None), &t).status,
        Status::Unknown
    );
}

#[test]
fn resource_allocation_over_the_thresholds() {
    let t = Thresholds::default();
    let run = |cpus: f64| {
        let st = state(json!({"slaves": [agent("a1", true, cpus)]}));
        resources(&facts(three_masters(), Some(st)), &t)
    };
    assert_eq!(run(1.0).status, Status::Ok);
    let c = run(3.6);
    assert_eq!(c.status, Status::Warning);
    assert!(c.summary.contains("cpus 90%"), "{}", c.summary);
    assert_eq!(run(4.0).status, Status::Critical);
}

#[test]
fn stuck_tasks_by_status_time_or_first_seen() {
    let t = Thresholds::default();
    let st = state(json!({"frameworks": [framework(true, vec![
        task("starting-long", "TASK_STARTING", &[("TASK_STARTING", NOW - 400.0)]),
        task("starting-new", "TASK_STARTING", &[("TASK_STARTING", NOW - 10.0)]),
        task("staging", "TASK_STAGING", &[]),
    ], vec![])]}));
    let mut f = facts(three_masters(), Some(st));
    let c = stuck_tasks(&f, &t);
    assert_eq!(c.status, Status::Warning);
    assert!(c.summary.contains("starting-long") && !c.summary.contains("starting-new"));
    assert!(
        !c.summary.contains("staging"),
        "age unknown yet: {}",
        c.summary
    );
    f.first_seen.insert("staging".into(), NOW - 1000.0);
    let c = stuck_tasks(&f, &t);
    assert_eq!(c.status, Status::Critical);
    assert!(c.summary.contains("staging TASK_STAGING"), "{}", c.summary);
}

#[test]
fn failures_and_losses_count_only_inside_the_window() {
    let t = Thresholds {
        failed_warn: 2,
        failed_crit: 3,
        ..Default::default()
    };
    let done = |id: &str, s: &str, at: f64| task(id, s, &[(s, at)]);
    let st = state(json!({"frameworks": [framework(true, vec![], vec![
        done("f1", "TASK_FAILED", NOW - 60.0),
        done("f2", "TASK_ERROR", NOW - 120.0),
        done("f-old", "TASK_FAILED", NOW - 3600.0),
        done("l1", "TASK_LOST", NOW - 5.0),
        done("ok", "TASK_FINISHED", NOW - 5.0),
    ])]}));
    let f = facts(three_masters(), Some(st));
    let c = task_failures(&f, &t);
    assert_eq!(c.status, Status::Warning);
    assert_eq!(c.value, Some(2.0));
    assert!(!c.summary.contains("f-old"));
    let c = task_losses(&f, &t);
    assert_eq!(c.status, Status::Warning);
    assert!(c.summary.contains("l1 TASK_LOST"), "{}", c.summary);
}

#[test]
fn inactive_frameworks_are_a_warning() {
    let st = state(json!({"frameworks": [framework(false, vec![], vec![])]}));
    let c = frameworks(&facts(three_masters(), Some(st)));
    assert_eq!(c.status, Status::Warning);
    assert!(c.summary.contains("marathon (f1) inactive"));
    let st = state(json!({"frameworks": [framework(true, vec![], vec![])]}));
    assert_eq!(
        frameworks(&facts(three_masters(), Some(st))).status,
        Status::Ok
    );
}

#[test]
fn clock_skew_between_nodes() {
    let t = Thresholds::default();
    let mut f = facts(three_masters(), None);
    assert_eq!(clock_skew(&f, &t).status, Status::Ok);
    f.agents.push(AgentFacts {
        id: "a1".into(),
        hostname: "h1".into(),
        clock_offset: Some(12.0),
        version: Some("1.11.0".into()),
        ..Default::default()
    });
    let c = clock_skew(&f, &t);
    assert_eq!(c.status, Status::Warning);
    assert!(c.summary.contains("agent h1"), "{}", c.summary);
    f.agents[0].clock_offset = Some(-45.0);
    assert_eq!(clock_skew(&f, &t).status, Status::Critical);
    let t = Thresholds {
        skew_warn: Duration::from_secs(60),
        skew_crit: Duration::from_secs(120),
        ..Default::default()
    };
    assert_eq!(clock_skew(&f, &t).status, Status::Ok);
}

#[test]
fn mixed_versions_are_a_warning() {
    let mut f = facts(three_masters(), None);
    assert_eq!(versions(&f).status, Status::Ok);
    f.masters[2].version = Some("1.10.0".into());
    let c = versions(&f);
    assert_eq!(c.status, Status::Warning);
    assert!(
        c.summary.contains("1.10.0 on master m3:5050"),
        "{}",
        c.summary
    );
}
