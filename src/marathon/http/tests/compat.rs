//! Replay compatibility: the key paths of our bodies against real captured
//! Marathon bodies (tests/fixtures) and the documented 1.5 shapes, so that
//! strict clients (which reject unknown keys) read them. A key we emit that
//! real Marathon never does fails here.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::{instance, setup};
use crate::marathon::core::state::{HealthResult, TaskFailure};
use crate::test_fixtures::read_fixture;
use crate::wire::marathon::{PathId, ReadinessCheckResult, ReadinessResponse};

/// Objects whose keys are user data: one `*` node instead of their keys.
const USER_MAPS: [&str; 3] = ["env", "labels", "options"];

/// Every node of `v` as a path (`.apps[].tasks[].id`), objects with user
/// keys collapsed to `.*`.
fn nodes(v: &Value, p: String, out: &mut BTreeSet<String>) {
    out.insert(p.clone());
    match v {
        Value::Object(m) => {
            if USER_MAPS.iter().any(|u| p.ends_with(&format!(".{u}"))) {
                if !m.is_empty() {
                    out.insert(format!("{p}.*"));
                }
                return;
            }
            for (k, x) in m {
                nodes(x, format!("{p}.{k}"), out);
            }
        }
        Value::Array(a) => {
            for x in a {
                nodes(x, format!("{p}[]"), out);
            }
        }
        _ => {}
    }
}

/// The nodes with the group nesting (`.groups[].groups[]...`) stripped.
fn group_nodes(v: &Value) -> BTreeSet<String> {
    let mut raw = BTreeSet::new();
    nodes(v, String::new(), &mut raw);
    raw.into_iter()
        .map(|p| {
            let mut s = p.as_str();
            while let Some(rest) = s.strip_prefix(".groups[]") {
                s = rest;
            }
            s.to_string()
        })
        .collect()
}

fn fixture(name: &str) -> Value {
    serde_json::from_slice(&read_fixture(name)).unwrap()
}

/// Keys 1.5 writes that the 1.3-era groups capture lacks: the documented
/// additions (`killSelection`, `unreachableStrategy`, `networks`, `pods`)
/// and the task fields of the 1.5 task JSON (health results name the
/// instance, `instanceId`, since 1.4; `servicePorts` when the app has
/// service ports).
fn allowed_1_5(p: &str) -> bool {
    [
        ".apps[].killSelection",
        ".apps[].unreachableStrategy",
        ".apps[].networks",
        ".pods",
        ".apps[].tasks[].healthCheckResults[].instanceId",
        ".apps[].tasks[].servicePorts",
        // `delay` of Mesos-level checks is `delaySeconds` in 1.5 (§7.3).
        ".apps[].healthChecks[].delaySeconds",
        // The fourth bucket of `taskStats` (§6); the capture had no task
        // of an outdated configuration.
        ".apps[].taskStats.withOutdatedConfig",
    ]
    .iter()
    .any(|a| p == *a || p.starts_with(&format!("{a}.")) || p.starts_with(&format!("{a}[]")))
}

fn check(ours: &BTreeSet<String>, real: &BTreeSet<String>, what: &str) {
    // Elements of an array the capture only has empty (`dependencies`).
    let known =
        |p: &str| real.contains(p) || p.strip_suffix("[]").is_some_and(|a| real.contains(a));
    let extra: Vec<&String> = ours
        .iter()
        .filter(|p| !known(p) && !allowed_1_5(p))
        .collect();
    assert!(
        extra.is_empty(),
        "{what}: keys real Marathon never writes: {extra:?}"
    );
}

fn health(ok: bool) -> HealthResult {
    HealthResult {
        alive: ok,
        consecutive_failures: if ok { 0 } else { 1 },
        first_success_ms: Some(1_500_485_690_000),
        last_success_ms: Some(1_500_485_690_000),
        last_failure_ms: (!ok).then_some(1_500_485_699_000),
        last_failure_cause: (!ok).then(|| "HTTP 503".to_string()),
    }
}

#[tokio::test]
async fn groups_body_has_only_keys_of_real_marathon() {
    let t = setup().await;
    let r = t
        .call(
            "POST",
            "/v2/groups",
            Some(json!({
                "id": "/prod",
                "apps": [{"id": "db", "cmd": "redis-server", "mem": 64,
                          "labels": {"tier": "db"}, "env": {"A": "1"},
                          "constraints": [["hostname", "UNIQUE"]],
                          "fetch": [{"uri": "http://h/x.tgz"}],
                          "healthChecks": [{"protocol": "COMMAND", "command": {"value": "true"}}]}],
                "groups": [{"id": "web", "dependencies": ["/prod/db"], "apps": [{
                    "id": "front", "cmd": "python3 -m http.server $PORT0", "instances": 2,
                    "labels": {"HAPROXY_GROUP": "external"},
                    "portDefinitions": [{"port": 10001, "name": "http", "labels": {"VIP_0": "/front:80"}}],
                    "healthChecks": [{"protocol": "HTTP", "path": "/", "portIndex": 0}],
                    "readinessChecks": [{"portName": "http"}],
                    "upgradeStrategy": {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0.5},
                    "taskKillGracePeriodSeconds": 5,
                    "user": "nobody"
                }]}]
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let mut a = instance(
        "prod_web_front.1",
        "/prod/web/front",
        "TASK_RUNNING",
        "h1",
        31001,
    );
    a.health = vec![health(true)];
    let mut b = instance(
        "prod_web_front.2",
        "/prod/web/front",
        "TASK_RUNNING",
        "h2",
        31002,
    );
    b.health = vec![health(false)];
    t.seed(a);
    t.seed(b);
    t.seed(instance(
        "prod_db.1",
        "/prod/db",
        "TASK_STAGING",
        "h1",
        31003,
    ));
    t.ctx.api.marathon.lock().last_failures.insert(
        PathId::parse("/prod/db"),
        TaskFailure {
            task_id: "prod_db.0".into(),
            state: "TASK_FAILED".into(),
            message: "exited 1".into(),
            host: "h1".into(),
            agent_id: "agent-S0".into(),
            version: "2026-01-01T00:00:00.000Z".into(),
            timestamp_ms: 1_500_485_600_000,
        },
    );
    let r = t
        .call(
            "GET",
            "/v2/groups?embed=group.apps.tasks&embed=group.apps.lastTaskFailure&embed=group.apps.taskStats",
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    let ours = group_nodes(&r.json());
    // The body has what the test is about.
    for p in [
        ".apps[].tasks[].healthCheckResults[].alive",
        ".apps[].portDefinitions[].labels.*",
        ".apps[].labels.*",
        ".apps[].lastTaskFailure.slaveId",
        ".apps[].taskStats.totalSummary.stats.counts.running",
        ".apps[].readinessChecks[].portName",
        ".dependencies[]",
    ] {
        assert!(ours.contains(p), "{p} missing from {ours:?}");
    }
    let mut real = group_nodes(&fixture("marathon-v2-groups-dcos1.9.json"));
    let mut apps_1_5 = BTreeSet::new();
    nodes(
        &fixture("marathon-v2-apps-1.5.json"),
        String::new(),
        &mut apps_1_5,
    );
    real.extend(apps_1_5);
    check(&ours, &real, "/v2/groups");

    // The same apps through `/v2/apps` (`{"apps": [...]}`).
    let r = t
        .call(
            "GET",
            "/v2/apps?embed=apps.tasks&embed=apps.lastTaskFailure&embed=apps.taskStats",
            None,
        )
        .await;
    let mut ours = BTreeSet::new();
    nodes(&r.json(), String::new(), &mut ours);
    assert!(ours.contains(".apps[].tasks[].healthCheckResults[].alive"));
    check(&ours, &real, "/v2/apps");
}

/// Key paths of the deployment example of the 1.5 RAML
/// (`v2/examples/deployments.json`) and of a readiness result (§7.4).
const DEPLOYMENT_NODES: &str = " .id .version .affectedApps .affectedApps[] .affectedPods \
    .steps .steps[] .steps[].actions .steps[].actions[] .steps[].actions[].action \
    .steps[].actions[].app .currentActions .currentActions[] .currentActions[].action \
    .currentActions[].app .currentActions[].readinessCheckResults \
    .currentActions[].readinessCheckResults[] .currentActions[].readinessCheckResults[].taskId \
    .currentActions[].readinessCheckResults[].name .currentActions[].readinessCheckResults[].ready \
    .currentActions[].readinessCheckResults[].lastResponse \
    .currentActions[].readinessCheckResults[].lastResponse.body \
    .currentActions[].readinessCheckResults[].lastResponse.contentType \
    .currentActions[].readinessCheckResults[].lastResponse.status .currentStep .totalSteps";

#[tokio::test]
async fn deployments_carry_the_readiness_results_and_only_documented_keys() {
    let t = setup().await;
    t.call(
        "POST",
        "/v2/apps",
        Some(json!({"id": "/r", "cmd": "x", "instances": 1,
            "portDefinitions": [{"port": 0, "name": "http-api"}],
            "readinessChecks": [{"preserveLastResponse": true}]})),
    )
    .await;
    t.seed(instance("r.1", "/r", "TASK_RUNNING", "h1", 31001));
    {
        let mut st = t.ctx.api.marathon.lock();
        st.deployments[0].current_step = 1;
        st.readiness.insert(
            "r.1".into(),
            ReadinessCheckResult {
                name: "readinessCheck".into(),
                task_id: "r.1".into(),
                ready: false,
                last_response: Some(ReadinessResponse {
                    status: 503,
                    content_type: "text/plain".into(),
                    body: "warming up".into(),
                }),
            },
        );
        // A result of a task that is gone is not shown.
        st.readiness.insert(
            "r.0".into(),
            ReadinessCheckResult {
                name: "readinessCheck".into(),
                task_id: "r.0".into(),
                ready: true,
                last_response: None,
            },
        );
    }
    let d = t.call("GET", "/v2/deployments", None).await.json();
    let results = &d[0]["currentActions"][0]["readinessCheckResults"];
    assert_eq!(
        results,
        &json!([{"name": "readinessCheck", "taskId": "r.1", "ready": false,
            "lastResponse": {"status": 503, "contentType": "text/plain", "body": "warming up"}}])
    );
    let mut ours = BTreeSet::new();
    nodes(&d[0], String::new(), &mut ours);
    let doc: BTreeSet<String> = DEPLOYMENT_NODES
        .split_whitespace()
        .map(String::from)
        .chain([String::new()])
        .collect();
    let extra: Vec<&String> = ours.difference(&doc).collect();
    assert!(extra.is_empty(), "undocumented deployment keys: {extra:?}");

    // The same results with `embed=app.readiness`.
    let app = t
        .call("GET", "/v2/apps/r?embed=app.readiness", None)
        .await
        .json();
    assert_eq!(app["app"]["readinessCheckResults"], *results);
    let plain = t.call("GET", "/v2/apps/r", None).await.json();
    assert!(plain["app"].get("readinessCheckResults").is_none());
}

/// marathon-python 0.13's accepted `/v2/info` keys (its models raise on
/// any other).
#[tokio::test]
async fn info_keys_are_ones_marathon_python_accepts() {
    let t = setup().await;
    let info = t.call("GET", "/v2/info", None).await.json();
    let accept = |obj: &Value, keys: &str, what: &str| {
        let ok: BTreeSet<&str> = keys.split_whitespace().collect();
        for k in obj.as_object().unwrap().keys() {
            assert!(ok.contains(k.as_str()), "{what}: {k} is not accepted");
        }
    };
    accept(
        &info,
        "event_subscriber framework_id frameworkId http_config leader marathon_config name version elected zookeeper_config buildref",
        "top level",
    );
    accept(
        &info["marathon_config"],
        "access_control_allow_origin checkpoint decline_offer_duration default_network_name env_vars_prefix executor failover_timeout features framework_name ha hostname launch_token launch_token_refresh_interval leader_proxy_connection_timeout_ms leader_proxy_read_timeout_ms local_port_max local_port_min master max_instances_per_offer mesos_bridge_name mesos_heartbeat_failure_threshold mesos_heartbeat_interval mesos_leader_ui_url mesos_role mesos_user min_revive_offers_interval offer_matching_timeout on_elected_prepare_timeout reconciliation_initial_delay reconciliation_interval revive_offers_for_new_apps revive_offers_repetitions scale_apps_initial_delay scale_apps_interval store_cache task_launch_confirm_timeout task_launch_timeout task_lost_expunge_initial_delay task_lost_expunge_interval task_reservation_timeout webui_url maintenance_mode new_group_enforce_role marathon_store_timeout",
        "marathon_config",
    );
    accept(
        &info["zookeeper_config"],
        "zk zk_future_timeout zk_hosts zk_max_versions zk_path zk_session_timeout zk_state zk_timeout zk_connection_timeout zk_compression zk_compression_threshold zk_max_node_size",
        "zookeeper_config",
    );
    accept(
        &info["http_config"],
        "assets_path http_port https_port",
        "http_config",
    );
}
