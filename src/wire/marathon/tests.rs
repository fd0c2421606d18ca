//! The model against real Marathon bodies and the key sets strict clients accept.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::*;
use crate::test_fixtures::read_fixture;

fn paths(v: &Value) -> BTreeSet<String> {
    crate::test_fixtures::key_paths(v)
}

#[test]
fn real_1_5_apps_body_round_trips_with_the_same_keys() {
    let raw: Value = serde_json::from_slice(&read_fixture("marathon-v2-apps-1.5.json")).unwrap();
    let list: AppList = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(list.apps.len(), 1);
    let app = &list.apps[0];
    assert_eq!(app.app.id.to_string(), "/pywebserver");
    assert_eq!(app.tasks_running, 1);
    let tasks = app.tasks.as_ref().unwrap();
    assert_eq!(tasks[0].ports, vec![1565]);
    assert_eq!(tasks[0].state, "TASK_RUNNING");
    let ours = serde_json::to_value(&list).unwrap();
    assert_eq!(paths(&ours), paths(&raw));
    // Whole numbers are written without a fraction, as Marathon does.
    assert_eq!(ours["apps"][0]["mem"], json!(128));
    assert_eq!(ours["apps"][0]["cpus"], json!(0.1));
}

#[test]
fn real_groups_body_parses() {
    let g: Group =
        serde_json::from_slice(&read_fixture("marathon-v2-groups-dcos1.9.json")).unwrap();
    assert!(g.id.is_root());
    let mut apps = 0;
    let mut stack = vec![&g];
    while let Some(g) = stack.pop() {
        apps += g.apps.len();
        stack.extend(g.groups.iter());
    }
    assert_eq!(apps, 8);
}

/// The keys marathon-python 0.13 builds its models from (`cls(**json)`
/// raises on any other).
const APP_KEYS: &str = "acceptedResourceRoles args backoffFactor backoffSeconds cmd constraints container cpus dependencies deployments disk env executor healthChecks id role instances killSelection labels lastTaskFailure maxLaunchDelaySeconds mem ports requirePorts storeUrls taskRateLimit tasks tasksRunning tasksStaged tasksHealthy taskKillGracePeriodSeconds tasksUnhealthy upgradeStrategy unreachableStrategy uris user version versionInfo ipAddress fetch taskStats readinessChecks readinessCheckResults secrets portDefinitions residency gpus networks";
const TASK_KEYS: &str = "appId healthCheckResults host id ports servicePorts slaveId stagedAt startedAt version ipAddresses state localVolumes region zone role";

fn full_app() -> AppView {
    let mut app: AppDefinition = serde_json::from_value(json!({
        "id": "/prod/web", "cmd": "python3 -m http.server $PORT0", "instances": 2,
        "env": {"A": "1", "S": {"secret": "s1"}}, "labels": {"team": "x"},
        "constraints": [["hostname", "UNIQUE"], ["rack", "MAX_PER", 2]],
        "acceptedResourceRoles": ["*"], "uris": ["http://h/x.tgz"],
        "healthChecks": [{"protocol": "HTTP"}, {"protocol": "COMMAND", "command": {"value": "true"}}],
        "taskKillGracePeriodSeconds": 5, "dependencies": ["/prod/db"],
        "secrets": {"s1": {"source": "/x"}}, "user": "nobody",
        "readinessChecks": [{}], "residency": {}, "args": null,
    }))
    .unwrap();
    app.normalize();
    app.version = Some("2017-07-19T17:34:41.967Z".into());
    app.version_info = Some(VersionInfo {
        last_scaling_at: "2017-07-19T17:34:41.967Z".into(),
        last_config_change_at: "2017-07-19T17:34:41.967Z".into(),
    });
    let task = MarathonTask {
        id: "prod_web.8cad6a69-6ca8-11e7-beb2-0e2beceebfcc".into(),
        app_id: app.id.clone(),
        host: "h".into(),
        slave_id: "S1".into(),
        state: "TASK_RUNNING".into(),
        ports: vec![31000],
        service_ports: Some(vec![10000]),
        staged_at: Some("2017-07-19T17:34:43.039Z".into()),
        started_at: None,
        version: "2017-07-19T17:34:41.967Z".into(),
        ip_addresses: vec![],
        health_check_results: Some(vec![HealthCheckResult {
            alive: true,
            consecutive_failures: 0,
            first_success: Some("2017-07-19T17:34:50.000Z".into()),
            last_failure: None,
            last_success: Some("2017-07-19T17:34:50.000Z".into()),
            last_failure_cause: None,
            instance_id: "prod_web.marathon-8cad6a69-6ca8-11e7-beb2-0e2beceebfcc".into(),
        }]),
    };
    AppView {
        app,
        tasks_staged: 0,
        tasks_running: 1,
        tasks_healthy: 1,
        tasks_unhealthy: 0,
        deployments: vec![DeploymentRef { id: "d".into() }],
        tasks: Some(vec![task]),
        last_task_failure: None,
        readiness_check_results: None,
        task_stats: None,
    }
}

#[test]
fn written_keys_are_ones_strict_clients_accept() {
    let v = serde_json::to_value(full_app()).unwrap();
    let allowed: BTreeSet<&str> = APP_KEYS.split(' ').collect();
    for k in v.as_object().unwrap().keys() {
        assert!(allowed.contains(k.as_str()), "app key {k}");
    }
    let allowed: BTreeSet<&str> = TASK_KEYS.split(' ').collect();
    for k in v["tasks"][0].as_object().unwrap().keys() {
        assert!(allowed.contains(k.as_str()), "task key {k}");
    }
    // Deprecated forms are read and converted, never written.
    assert!(v.get("uris").is_none() && v.get("ports").is_none());
    assert_eq!(v["fetch"][0]["uri"], "http://h/x.tgz");
    assert_eq!(v["fetch"][0]["extract"], true);
    assert_eq!(v["tasks"][0]["startedAt"], Value::Null);
    assert_eq!(v["constraints"][1], json!(["rack", "MAX_PER", "2"]));
    assert!(v.get("args").is_none(), "empty args are omitted");
    assert!(v.get("tty").is_none());
}

#[test]
fn minimal_app_gets_marathon_defaults() {
    let mut app: AppDefinition =
        serde_json::from_value(json!({"id": "x", "cmd": "sleep 600"})).unwrap();
    app.normalize();
    let v = serde_json::to_value(&app).unwrap();
    assert_eq!(v["id"], "/x");
    assert_eq!(v["instances"], 1);
    assert_eq!(v["cpus"], 1);
    assert_eq!(v["mem"], 128);
    assert_eq!(v["backoffFactor"], 1.15);
    assert_eq!(v["maxLaunchDelaySeconds"], 3600);
    assert_eq!(
        v["upgradeStrategy"],
        json!({"minimumHealthCapacity": 1, "maximumOverCapacity": 1})
    );
    assert_eq!(v["killSelection"], "YOUNGEST_FIRST");
    assert_eq!(
        v["unreachableStrategy"],
        json!({"inactiveAfterSeconds": 0, "expungeAfterSeconds": 0})
    );
    assert_eq!(v["networks"], json!([{"mode": "host"}]));
    assert_eq!(
        v["portDefinitions"],
        json!([{"port": 0, "protocol": "tcp", "name": "default", "labels": {}}])
    );
    for omitted in [
        "args",
        "env",
        "labels",
        "constraints",
        "healthChecks",
        "user",
        "container",
    ] {
        assert!(v.get(omitted).is_none(), "{omitted} should be omitted");
    }
    // Normalizing twice changes nothing.
    let mut again = app.clone();
    again.normalize();
    assert_eq!(again, app);
}

#[test]
fn health_check_defaults_per_protocol() {
    let app: AppDefinition = serde_json::from_value(json!({"id": "/x", "healthChecks": [
        {"protocol": "HTTP"}, {"protocol": "TCP", "port": 8080},
        {"protocol": "COMMAND", "command": {"value": "true"}}, {"protocol": "MESOS_HTTP", "path": "/h"}]}))
    .unwrap();
    let mut app = app;
    app.normalize();
    let v = serde_json::to_value(&app.health_checks).unwrap();
    assert_eq!(
        v[0],
        json!({"protocol": "HTTP", "gracePeriodSeconds": 300, "intervalSeconds": 60,
               "timeoutSeconds": 20, "maxConsecutiveFailures": 3,
               "path": "/", "portIndex": 0, "ignoreHttp1xx": false})
    );
    // `delaySeconds` only for Mesos-level checks, as Marathon writes it.
    assert_eq!(v[2]["delaySeconds"], 15);
    assert_eq!(v[3]["delaySeconds"], 15);
    assert!(v[1].get("delaySeconds").is_none());
    assert!(v[1].get("portIndex").is_none() && v[1]["port"] == 8080 && v[1].get("path").is_none());
    assert!(v[2].get("portIndex").is_none() && v[2]["command"]["value"] == "true");
    assert_eq!(v[3]["path"], "/h");
    assert!(v[3].get("ignoreHttp1xx").is_none());
    assert!(HealthProtocol::MesosHttp.is_mesos() && !HealthProtocol::Http.is_mesos());
}

#[test]
fn partial_update_replaces_top_level_keys_only() {
    let mut app: AppDefinition = serde_json::from_value(
        json!({"id": "/x", "cmd": "sleep 1", "instances": 2, "labels": {"a": "1"}}),
    )
    .unwrap();
    app.normalize();
    let patch = json!({"instances": 5, "id": "/other"});
    let scaled = app.updated(patch.as_object().unwrap()).unwrap();
    assert_eq!(scaled.instances, 5);
    assert_eq!(scaled.id.to_string(), "/x");
    assert_eq!(scaled.labels, app.labels);
    assert!(
        !app.needs_restart(&scaled),
        "scaling alone needs no restart"
    );
    let patch = json!({"labels": {"b": "2"}});
    let relabelled = app.updated(patch.as_object().unwrap()).unwrap();
    assert!(app.needs_restart(&relabelled), "a label change restarts");
    assert!(app
        .updated(json!({"instances": -1}).as_object().unwrap())
        .is_err());
    assert!(app
        .updated(json!({"instances": "two"}).as_object().unwrap())
        .is_err());
}

#[test]
fn unreachable_strategy_forms() {
    let d: UnreachableStrategy = serde_json::from_value(json!("disabled")).unwrap();
    assert_eq!(d, UnreachableStrategy::Disabled);
    assert_eq!(serde_json::to_value(d).unwrap(), json!("disabled"));
    let e: UnreachableStrategy =
        serde_json::from_value(json!({"inactiveAfterSeconds": 300, "expungeAfterSeconds": 600}))
            .unwrap();
    assert_eq!(
        e,
        UnreachableStrategy::Enabled {
            inactive_after_seconds: 300,
            expunge_after_seconds: 600
        }
    );
    assert!(serde_json::from_value::<UnreachableStrategy>(json!("sometimes")).is_err());
}

#[test]
fn events_carry_their_type_and_time() {
    let e = MarathonEvent {
        kind: EventKind::StatusUpdateEvent {
            slave_id: "S0".into(),
            task_id: "test-app.5dd78972".into(),
            task_status: "TASK_RUNNING".into(),
            message: String::new(),
            app_id: PathId::parse("/test-app"),
            host: "h".into(),
            ip_addresses: vec![],
            ports: vec![31182],
            version: "2015-09-11T22:11:03.156Z".into(),
        },
        timestamp: "2015-09-30T12:47:11.286Z".into(),
    };
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["eventType"], "status_update_event");
    assert_eq!(e.event_type(), "status_update_event");
    assert_eq!(v["appId"], "/test-app");
    assert_eq!(v["timestamp"], "2015-09-30T12:47:11.286Z");
    let back: MarathonEvent = serde_json::from_value(v).unwrap();
    assert_eq!(back, e);
    let d = MarathonEvent {
        kind: EventKind::SchedulerDisconnectedEvent {},
        timestamp: "t".into(),
    };
    assert_eq!(
        serde_json::to_value(&d).unwrap(),
        json!({"eventType": "scheduler_disconnected_event", "timestamp": "t"})
    );
}

#[test]
fn deployment_shape() {
    let d = Deployment {
        id: "97c136bf".into(),
        version: "2015-09-30T09:09:17.614Z".into(),
        affected_apps: vec![PathId::parse("/foo")],
        affected_pods: vec![],
        steps: vec![DeploymentStep {
            actions: vec![DeploymentAction {
                action: ActionKind::ScaleApplication,
                app: PathId::parse("/foo"),
            }],
        }],
        current_actions: vec![CurrentAction {
            action: ActionKind::ScaleApplication,
            app: PathId::parse("/foo"),
            readiness_check_results: vec![],
        }],
        current_step: 1,
        total_steps: 1,
    };
    assert_eq!(
        serde_json::to_value(&d).unwrap(),
        json!({"id":"97c136bf","version":"2015-09-30T09:09:17.614Z",
            "affectedApps":["/foo"],"affectedPods":[],
            "steps":[{"actions":[{"action":"ScaleApplication","app":"/foo"}]}],
            "currentActions":[{"action":"ScaleApplication","app":"/foo","readinessCheckResults":[]}],
            "currentStep":1,"totalSteps":1})
    );
}

/// Every event type we write has exactly the fields of Marathon 1.5's
/// (docs/marathon.md, events): a body with those fields reads into our
/// model, and writing it back gives the same keys (a missing field fails
/// to read, an extra one shows in the keys).
#[test]
fn events_have_exactly_the_fields_of_marathon_1_5() {
    let plan = json!({"id": "d1", "steps": [{"actions": [{"action": "ScaleApplication", "app": "/a"}]}],
        "version": "2017-01-01T00:00:00.000Z",
        "original": {"id": "/", "dependencies": [], "version": "v", "apps": [], "groups": [], "pods": []},
        "target": {"id": "/", "dependencies": [], "version": "v", "apps": [], "groups": [], "pods": []}});
    let step = json!({"actions": [{"action": "ScaleApplication", "app": "/a"}]});
    let hc = json!({"protocol": "HTTP", "path": "/", "portIndex": 0, "gracePeriodSeconds": 300,
        "intervalSeconds": 60, "timeoutSeconds": 20, "maxConsecutiveFailures": 3, "ignoreHttp1xx": false});
    let samples = [
        json!({"eventType": "api_post_event", "clientIp": "1.2.3.4", "uri": "/v2/apps/a",
            "appDefinition": {"id": "/a"}}),
        json!({"eventType": "status_update_event", "slaveId": "S0", "taskId": "a.1",
            "taskStatus": "TASK_RUNNING", "message": "", "appId": "/a", "host": "h",
            "ipAddresses": [{"ipAddress": "10.0.0.1", "protocol": "IPv4"}], "ports": [31000],
            "version": "v"}),
        json!({"eventType": "instance_changed_event", "instanceId": "a.1", "condition": "Running",
            "runSpecId": "/a", "agentId": "S0", "host": "h", "runSpecVersion": "v"}),
        json!({"eventType": "instance_health_changed_event", "instanceId": "a.1",
            "runSpecId": "/a", "healthy": true, "runSpecVersion": "v"}),
        json!({"eventType": "health_status_changed_event", "appId": "/a", "instanceId": "a.1",
            "version": "v", "alive": true}),
        json!({"eventType": "failed_health_check_event", "appId": "/a", "taskId": "a.1",
            "healthCheck": hc}),
        json!({"eventType": "unhealthy_instance_kill_event", "appId": "/a", "taskId": "a.1",
            "instanceId": "a.1", "version": "v", "reason": "r", "host": "h", "slaveId": "S0"}),
        json!({"eventType": "deployment_info", "plan": plan, "currentStep": step}),
        json!({"eventType": "deployment_step_success", "plan": plan, "currentStep": step}),
        json!({"eventType": "deployment_step_failure", "plan": plan, "currentStep": step}),
        json!({"eventType": "deployment_success", "id": "d1", "plan": plan}),
        json!({"eventType": "deployment_failed", "id": "d1", "plan": plan}),
        json!({"eventType": "group_change_success", "groupId": "/", "version": "v"}),
        json!({"eventType": "group_change_failed", "groupId": "/", "version": "v", "reason": "r"}),
        json!({"eventType": "app_terminated_event", "appId": "/a"}),
        json!({"eventType": "scheduler_registered_event", "frameworkId": "f", "master": "m"}),
        json!({"eventType": "scheduler_reregistered_event", "master": "m"}),
        json!({"eventType": "scheduler_disconnected_event"}),
        json!({"eventType": "event_stream_attached", "remoteAddress": "1.2.3.4"}),
        json!({"eventType": "event_stream_detached", "remoteAddress": "1.2.3.4"}),
    ];
    fn keys(v: &Value) -> BTreeSet<String> {
        v.as_object().unwrap().keys().cloned().collect()
    }
    for mut sample in samples {
        sample["timestamp"] = json!("2017-01-01T00:00:00.000Z");
        let e: MarathonEvent = serde_json::from_value(sample.clone())
            .unwrap_or_else(|err| panic!("{}: {err}", sample["eventType"]));
        let back = serde_json::to_value(&e).unwrap();
        assert_eq!(keys(&back), keys(&sample), "{}", sample["eventType"]);
        for k in ["plan", "currentStep"] {
            if let Some(p) = sample.get(k) {
                assert_eq!(keys(&back[k]), keys(p), "{} {k}", sample["eventType"]);
            }
        }
        assert_eq!(
            back["healthCheck"],
            sample.get("healthCheck").cloned().unwrap_or(Value::Null)
        );
    }
}
