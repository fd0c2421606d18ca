//! Unit tests of the driver's pure decisions: what to launch and kill for
//! a given state, deployment progress, status updates, health verdicts.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::deploy::advance;
use super::plan::{plan, regime, restart_step, KillReason, PlanOptions, Regime};
use super::status::{apply, condition};
use crate::marathon::core::{Delay, DeploymentRecord, HealthResult, Instance, State};
use crate::marathon::health::{HealthState, Verdict};
use crate::wire::agent_v1::{Id, V1TaskStatus};
use crate::wire::marathon::{ActionKind, AppDefinition, EventKind, PathId};
use crate::wire::task::TaskState;

#[path = "tests_fidelity.rs"]
mod fidelity;

const NOW: i64 = 1_800_000_000_000;

fn app(id: &str, n: u32, version: &str) -> AppDefinition {
    let mut a: AppDefinition = serde_json::from_value(json!({
        "id": id, "cmd": "sleep 1000", "instances": n, "version": version,
        "versionInfo": {"lastScalingAt": version, "lastConfigChangeAt": version}
    }))
    .unwrap();
    a.normalize();
    a
}

fn with_http_check(mut a: AppDefinition) -> AppDefinition {
    a.health_checks = serde_json::from_value(json!([{"protocol": "HTTP"}])).unwrap();
    a
}

fn inst(task: &str, app: &str, version: &str, state: &str, started: Option<i64>) -> Instance {
    Instance {
        task_id: task.into(),
        app_id: PathId::parse(app),
        app_version: version.into(),
        agent_id: "S1".into(),
        hostname: "h1".into(),
        host_ports: vec![31000],
        state: state.into(),
        staged_at_ms: NOW - 60_000,
        started_at_ms: started,
        mesos_healthy: None,
        health: Vec::new(),
        ip_addresses: Vec::new(),
        kill_requested: false,
        unreachable_since_ms: None,
    }
}

fn healthy(mut i: Instance) -> Instance {
    i.health = vec![HealthResult {
        alive: true,
        last_success_ms: Some(NOW),
        ..HealthResult::default()
    }];
    i
}

fn state(apps: Vec<AppDefinition>, insts: Vec<Instance>) -> State {
    State {
        apps: apps.into_iter().map(|a| (a.id.clone(), a)).collect(),
        instances: insts.into_iter().map(|i| (i.task_id.clone(), i)).collect(),
        ..State::default()
    }
}

fn opts() -> PlanOptions {
    PlanOptions {
        now_ms: NOW,
        task_launch_timeout_ms: 300_000,
    }
}

fn deployment(steps: Vec<Vec<(ActionKind, &str)>>, current: u32) -> DeploymentRecord {
    let mut target = BTreeMap::new();
    for s in &steps {
        for (_, a) in s {
            target.insert(PathId::parse(a), None);
        }
    }
    DeploymentRecord {
        id: "d1".into(),
        version: "v".into(),
        steps: steps
            .into_iter()
            .map(|s| s.into_iter().map(|(k, a)| (k, PathId::parse(a))).collect())
            .collect(),
        current_step: current,
        original: BTreeMap::new(),
        target,
    }
}

fn no_ready() -> BTreeSet<String> {
    BTreeSet::new()
}

#[test]
fn missing_instances_are_launched_and_extra_ones_killed_youngest_first() {
    let st = state(
        vec![app("/a", 3, "v1")],
        vec![inst("a.1", "/a", "v1", "TASK_RUNNING", Some(NOW - 10))],
    );
    let p = plan(&st, opts(), &no_ready());
    assert_eq!(p.launches.len(), 1);
    assert_eq!(p.launches[0].count, 2);
    assert!(p.kills.is_empty());
    assert!(p.wants_offers());

    let st = state(
        vec![app("/a", 1, "v1")],
        vec![
            inst("a.old", "/a", "v1", "TASK_RUNNING", Some(NOW - 1000)),
            inst("a.mid", "/a", "v1", "TASK_RUNNING", Some(NOW - 500)),
            inst("a.new", "/a", "v1", "TASK_RUNNING", Some(NOW - 10)),
        ],
    );
    let p = plan(&st, opts(), &no_ready());
    let killed: BTreeSet<&str> = p.kills.iter().map(|k| k.task_id.as_str()).collect();
    assert_eq!(killed, BTreeSet::from(["a.mid", "a.new"]));
    assert!(!p.wants_offers());
}

#[test]
fn backoff_delays_launches() {
    let mut st = state(vec![app("/a", 1, "v1")], vec![]);
    st.delays
        .insert(PathId::parse("/a"), Delay::until(NOW + 5000));
    let p = plan(&st, opts(), &no_ready());
    assert!(p.launches.is_empty());
    assert_eq!(p.delayed_until_ms, Some(NOW + 5000));
    assert!(!p.wants_offers(), "no offers while the delay runs");
    st.delays.insert(PathId::parse("/a"), Delay::until(NOW - 1));
    assert_eq!(plan(&st, opts(), &no_ready()).launches.len(), 1);
}

#[test]
fn unknown_apps_are_killed_and_stuck_launches_time_out() {
    let mut stuck = inst("a.stuck", "/a", "v1", "TASK_STAGING", None);
    stuck.staged_at_ms = NOW - 400_000;
    let st = state(
        vec![app("/a", 1, "v1")],
        vec![
            stuck,
            inst("ghost.1", "/ghost", "v1", "TASK_RUNNING", Some(NOW)),
        ],
    );
    let p = plan(&st, opts(), &no_ready());
    let kills: BTreeMap<&str, KillReason> = p
        .kills
        .iter()
        .map(|k| (k.task_id.as_str(), k.reason))
        .collect();
    assert_eq!(kills.get("a.stuck"), Some(&KillReason::LaunchTimeout));
    assert_eq!(kills.get("ghost.1"), Some(&KillReason::Scaling));
    // The timed-out launch no longer counts: a replacement is wanted.
    assert_eq!(p.launches[0].count, 1);
}

#[test]
fn unreachable_instances_follow_the_strategy() {
    let mut lost = inst("a.1", "/a", "v1", "TASK_UNREACHABLE", Some(NOW - 1000));
    lost.unreachable_since_ms = Some(NOW - 1000);
    // Default {0, 0}: replaced and expunged (and killed) at once.
    let st = state(vec![app("/a", 1, "v1")], vec![lost.clone()]);
    let p = plan(&st, opts(), &no_ready());
    assert_eq!(p.expunge, vec!["a.1".to_string()]);
    assert_eq!(p.kills[0].reason, KillReason::Expunged);
    assert_eq!(p.launches[0].count, 1);
    // {inactive 1 s, expunge 60 s}: replaced, kept.
    let mut a = app("/a", 1, "v1");
    a.unreachable_strategy =
        serde_json::from_value(json!({"inactiveAfterSeconds": 1, "expungeAfterSeconds": 60}))
            .unwrap();
    let st = state(vec![a.clone()], vec![lost.clone()]);
    let p = plan(&st, opts(), &no_ready());
    assert!(p.expunge.is_empty() && p.kills.is_empty());
    assert_eq!(p.launches[0].count, 1);
    // "disabled": waited for forever.
    a.unreachable_strategy = serde_json::from_value(json!("disabled")).unwrap();
    let st = state(vec![a], vec![lost]);
    let p = plan(&st, opts(), &no_ready());
    assert!(p.launches.is_empty() && p.kills.is_empty() && p.expunge.is_empty());
}

#[test]
fn apps_wait_for_their_step_and_stop_when_it_comes() {
    // Step 1 stops /old, step 2 scales the new /b: /b launches nothing yet.
    let mut st = state(
        vec![app("/b", 2, "v1")],
        vec![inst("old.1", "/old", "v0", "TASK_RUNNING", Some(NOW))],
    );
    let mut d = deployment(
        vec![
            vec![(ActionKind::StopApplication, "/old")],
            vec![(ActionKind::ScaleApplication, "/b")],
        ],
        1,
    );
    d.target
        .insert(PathId::parse("/b"), Some(app("/b", 2, "v1")));
    d.original
        .insert(PathId::parse("/old"), Some(app("/old", 1, "v0")));
    st.deployments.push(d);
    assert_eq!(regime(&st, &PathId::parse("/old")), Regime::Stop);
    assert!(matches!(
        regime(&st, &PathId::parse("/b")),
        Regime::Keep { count: 0, .. }
    ));
    let p = plan(&st, opts(), &no_ready());
    assert!(p.launches.is_empty());
    assert_eq!(p.kills.len(), 1);
    // Step 1 is done once /old's task is gone: step 2 starts, /b launches.
    st.instances.clear();
    let progress = advance(&mut st, NOW, &no_ready());
    assert_eq!(st.deployments[0].current_step, 2);
    let kinds: Vec<&str> = progress.events.iter().map(|e| e.event_type()).collect();
    assert_eq!(
        kinds,
        [
            "app_terminated_event",
            "deployment_step_success",
            "deployment_info"
        ]
    );
    assert_eq!(progress.save.len(), 1);
    let p = plan(&st, opts(), &no_ready());
    assert_eq!(p.launches[0].count, 2);
}

#[test]
fn a_scale_step_is_done_when_all_instances_run_healthy() {
    let a = with_http_check(app("/a", 2, "v2"));
    let mut st = state(
        vec![a.clone()],
        vec![
            healthy(inst("a.1", "/a", "v1", "TASK_RUNNING", Some(NOW))),
            inst("a.2", "/a", "v2", "TASK_RUNNING", Some(NOW)),
        ],
    );
    let mut d = deployment(vec![vec![(ActionKind::ScaleApplication, "/a")]], 1);
    d.target.insert(a.id.clone(), Some(a.clone()));
    st.deployments.push(d);
    let progress = advance(&mut st, NOW, &no_ready());
    assert!(progress.events.is_empty(), "a.2 has no health result yet");
    assert_eq!(st.deployments.len(), 1);
    let i = st.instances.get_mut("a.2").unwrap();
    *i = healthy(i.clone());
    let progress = advance(&mut st, NOW, &no_ready());
    let kinds: Vec<&str> = progress.events.iter().map(|e| e.event_type()).collect();
    assert_eq!(kinds, ["deployment_step_success", "deployment_success"]);
    assert_eq!(progress.finished, vec!["d1".to_string()]);
    assert!(st.deployments.is_empty());
}

#[test]
fn rolling_restart_never_goes_below_minimum_health_capacity() {
    let mut a = with_http_check(app("/a", 2, "v2"));
    a.upgrade_strategy.maximum_over_capacity = 0.0;
    let st = state(vec![a.clone()], vec![]);
    let old1 = healthy(inst("a.o1", "/a", "v1", "TASK_RUNNING", Some(NOW - 100)));
    let old2 = healthy(inst("a.o2", "/a", "v1", "TASK_RUNNING", Some(NOW - 50)));
    // Start: keep both old (minHealthy 2), one replacement (capacity 3).
    let (launch, kills) = restart_step(&st, &a, &[&old1, &old2], None);
    assert_eq!((launch, kills.len()), (1, 0));
    // The new one runs but is not healthy yet: nothing more.
    let new1 = inst("a.n1", "/a", "v2", "TASK_RUNNING", Some(NOW));
    let (launch, kills) = restart_step(&st, &a, &[&old1, &old2, &new1], None);
    assert_eq!((launch, kills.len()), (0, 0));
    // Healthy: one old goes (the youngest), the next replacement starts.
    let new1 = healthy(new1);
    let (launch, kills) = restart_step(&st, &a, &[&old1, &old2, &new1], None);
    assert_eq!(launch, 1);
    assert_eq!(
        kills.iter().map(|i| i.task_id.as_str()).collect::<Vec<_>>(),
        ["a.o2"]
    );
}

fn update(task: &str, state: TaskState) -> V1TaskStatus {
    V1TaskStatus {
        task_id: Id::new(task),
        state,
        agent_id: Some(Id::new("S1")),
        timestamp: (NOW / 1000) as f64,
        uuid: Some("AAAAAAAAAAAAAAAAAAAAAA==".into()),
        message: Some("msg".into()),
        ..V1TaskStatus::default()
    }
}

#[test]
fn status_updates_move_instances_and_failures_grow_the_backoff() {
    let mut st = state(
        vec![app("/a", 1, "v1")],
        vec![inst("a.1", "/a", "v1", "TASK_STAGING", None)],
    );
    let out = apply(&mut st, &update("a.1", TaskState::Running), NOW);
    let i = &st.instances["a.1"];
    assert_eq!(i.state, "TASK_RUNNING");
    assert_eq!(i.started_at_ms, Some(NOW / 1000 * 1000));
    assert_eq!(out.save.as_ref(), Some(i));
    match &out.events[..] {
        [EventKind::StatusUpdateEvent { task_status, .. }, EventKind::InstanceChangedEvent { condition, .. }] =>
        {
            assert_eq!(task_status, "TASK_RUNNING");
            assert_eq!(condition, "Running");
        }
        other => panic!("{other:?}"),
    }
    // The same state again (a reconciliation answer): nothing to publish.
    let out = apply(&mut st, &update("a.1", TaskState::Running), NOW);
    assert!(out.events.is_empty() && out.save.is_none());

    let out = apply(&mut st, &update("a.1", TaskState::Failed), NOW);
    assert_eq!(out.delete.as_deref(), Some("a.1"));
    assert!(st.instances.is_empty());
    let f = &st.last_failures[&PathId::parse("/a")];
    assert_eq!(
        (f.state.as_str(), f.message.as_str()),
        ("TASK_FAILED", "msg")
    );
    assert_eq!(st.delays[&PathId::parse("/a")].ready_at(), NOW + 1000);

    // A kill we asked for: no failure, no backoff growth.
    let mut st = state(vec![app("/a", 1, "v1")], vec![]);
    let mut k = inst("a.2", "/a", "v1", "TASK_RUNNING", Some(NOW));
    k.kill_requested = true;
    st.instances.insert("a.2".into(), k);
    apply(&mut st, &update("a.2", TaskState::Killed), NOW);
    assert!(st.last_failures.is_empty() && st.delays.is_empty());

    // A running task nobody knows: killed.
    let out = apply(&mut st, &update("x.9", TaskState::Running), NOW);
    assert_eq!(out.kill.map(|k| k.task_id), Some("x.9".to_string()));
    assert_eq!(
        condition("TASK_LOST", Some("REASON_AGENT_DISCONNECTED")),
        "Unreachable"
    );
    assert_eq!(condition("TASK_LOST", None), "Gone");
}

#[test]
fn too_many_health_failures_kill_and_count_as_a_failure() {
    let a = with_http_check(app("/a", 1, "v1"));
    let mut st = state(
        vec![a],
        vec![inst("a.1", "/a", "v1", "TASK_RUNNING", Some(NOW))],
    );
    let hs = HealthState {
        alive: false,
        consecutive_failures: 4,
        last_failure: Some(std::time::SystemTime::now()),
        last_failure_cause: Some("HTTP 503".into()),
        ..HealthState::default()
    };
    let out = super::health::apply(&mut st, "a.1", 0, &hs, Verdict::Kill, NOW);
    assert_eq!(out.kill.map(|k| k.task_id), Some("a.1".to_string()));
    assert!(st.instances["a.1"].kill_requested);
    assert_eq!(st.instances["a.1"].health[0].consecutive_failures, 4);
    assert!(st.delays.contains_key(&PathId::parse("/a")));
    let kinds: Vec<&str> = out.events.iter().map(|e| e.event_type()).collect();
    assert_eq!(
        kinds,
        [
            "health_status_changed_event",
            "instance_health_changed_event",
            "failed_health_check_event",
            "unhealthy_instance_kill_event"
        ]
    );
    // A replacement is wanted right away, but waits for the backoff.
    let p = plan(&st, opts(), &no_ready());
    assert!(p.launches.is_empty() && p.delayed_until_ms.is_some());
}

#[tokio::test]
async fn the_framework_subscribes_as_marathon_does() {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::marathon::store::Store::open(&crate::marathon::store::StoreConfig::Dir(
        dir.path().to_path_buf(),
    ))
    .await
    .unwrap();
    let cfg = super::DriverConfig {
        master: "127.0.0.1:5050".into(),
        framework_name: "marathon".into(),
        role: "*".into(),
        user: Some("svc".into()),
        failover_timeout: 604800.0,
        webui_url: "http://m1:8080".into(),
        hostname: "m1".into(),
        http: crate::http::HttpOptions {
            timeout: std::time::Duration::from_secs(5),
            auth: crate::http::Auth::Basic {
                principal: "marathon".into(),
                secret: "s3cret".into(),
            },
            ca_file: None,
            insecure: false,
            client_tls: None,
        },
        max_instances_per_offer: 5,
        decline_offer_seconds: 120.0,
        reconciliation_interval: std::time::Duration::from_secs(600),
        task_launch_timeout: std::time::Duration::from_secs(300),
        env_vars_prefix: None,
        local_port_range: (10000, 20000),
        store,
    };
    let info = super::connection::framework_info(&cfg, Some("F-1"));
    let v = serde_json::to_value(&info).unwrap();
    assert_eq!(
        v,
        json!({"user": "svc", "name": "marathon", "id": {"value": "F-1"},
            "failover_timeout": 604800.0, "checkpoint": true, "role": "*",
            "hostname": "m1", "principal": "marathon", "webui_url": "http://m1:8080",
            "capabilities": [{"type": "PARTITION_AWARE"}]})
    );
    assert!(!v.to_string().contains("s3cret"));
    let fresh = super::connection::framework_info(&cfg, None);
    assert!(fresh.id.is_none());
}

#[test]
fn a_scale_down_is_done_once_the_killed_instances_are_gone() {
    let a = app("/a", 1, "v2");
    let mut dying = inst("a.2", "/a", "v1", "TASK_RUNNING", Some(NOW));
    dying.kill_requested = true;
    let mut st = state(
        vec![a.clone()],
        vec![inst("a.1", "/a", "v1", "TASK_RUNNING", Some(NOW)), dying],
    );
    let mut d = deployment(vec![vec![(ActionKind::ScaleApplication, "/a")]], 1);
    d.target.insert(a.id.clone(), Some(a));
    st.deployments.push(d);
    advance(&mut st, NOW, &no_ready());
    assert_eq!(st.deployments.len(), 1, "a.2 is still dying");
    st.instances.remove("a.2");
    advance(&mut st, NOW, &no_ready());
    assert!(st.deployments.is_empty());
}
