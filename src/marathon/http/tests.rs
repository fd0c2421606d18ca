//! In-process router tests: status codes, headers and body shapes of every
//! route (the driver is absent: deployments stay until a test clears them,
//! instances are seeded into the state directly).

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request};
use serde_json::{json, Value};
use tower::ServiceExt;

use super::*;
use crate::marathon::core::api::ApiConfig;
use crate::marathon::core::state::Instance;
use crate::marathon::store::{Store, StoreConfig};

mod compat;
mod cosmos;
mod groups;
mod more;
mod stats;

pub(super) struct T {
    _dir: tempfile::TempDir,
    pub ctx: Shared,
    pub app: Router,
}

pub(super) async fn setup_with(leadership: Leadership) -> T {
    crate::http::install_crypto_provider();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&StoreConfig::Dir(dir.path().to_path_buf()))
        .await
        .unwrap();
    let (_tx, rx) = watch::channel(leadership);
    let store_for_cosmos = store.clone();
    let api = Api::new(Default::default(), store, ApiConfig::default());
    let opts = crate::marathon::flags::Options::from_flags(&{
        let args: Vec<String> = vec![
            "--master=127.0.0.1:5050".into(),
            "--work_dir=/tmp/unused".into(),
            "--hostname=localhost".into(),
        ];
        match crate::daemon::flags::parse_with_prefix(
            "mesos marathon",
            crate::marathon::flags::SPECS,
            &args,
            |_| None,
            "MARATHON_",
        )
        .unwrap()
        {
            crate::daemon::flags::Parsed::Flags(f) => f,
            crate::daemon::flags::Parsed::Help(_) => unreachable!(),
        }
    })
    .unwrap();
    let (marathon_config, zookeeper_config, http_config) = opts.info("http");
    let cosmos = test_cosmos(store_for_cosmos);
    let ctx = Arc::new(Ctx {
        api: Arc::new(api),
        cosmos,
        info: InfoConfig {
            marathon_config,
            zookeeper_config,
            http_config,
        },
        leadership: rx,
        election: None,
        me: "localhost:8080".into(),
        scheme: "http",
        started: Instant::now(),
        client: reqwest::Client::new(),
        heartbeat: Duration::from_millis(200),
    });
    let app = router(ctx.clone(), &HttpAuth::off());
    T {
        _dir: dir,
        ctx,
        app,
    }
}

/// The Cosmos backends of a test: the list in the test's store, a master
/// that is not there.
pub(super) fn test_cosmos(store: Store) -> crate::marathon::cosmos::Cosmos {
    crate::marathon::cosmos::Cosmos {
        repos: crate::marathon::cosmos::StoreRepos::new(
            store,
            crate::packages::fetch::Fetcher {
                http: reqwest::Client::new(),
                cache_dir: None,
                refresh: false,
            },
        ),
        frameworks: crate::marathon::cosmos::MasterFrameworks {
            master: "127.0.0.1:1".into(),
            http: crate::http::HttpClient::new(&Default::default()).unwrap(),
            scheme: "http",
        },
    }
}

pub(super) async fn setup() -> T {
    setup_with(Leadership {
        leading: true,
        leader: Some("localhost:8080".into()),
    })
    .await
}

pub(super) struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl T {
    pub async fn call(&self, method: &str, uri: &str, body: Option<Value>) -> Resp {
        self.call_with(method, uri, body, &[]).await
    }

    pub async fn call_with(
        &self,
        method: &str,
        uri: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).unwrap())
            .uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(serde_json::to_vec(&b).unwrap())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = axum::body::to_bytes(resp.into_body(), 1 << 24)
            .await
            .unwrap()
            .to_vec();
        Resp {
            status,
            headers,
            body,
        }
    }

    /// What the driver does when it finishes: forget every deployment.
    pub fn finish_deployments(&self) {
        self.ctx.api.marathon.lock().deployments.clear();
    }

    pub fn seed(&self, i: Instance) {
        self.ctx
            .api
            .marathon
            .lock()
            .instances
            .insert(i.task_id.clone(), i);
    }
}

pub(super) fn instance(task: &str, app: &str, state: &str, host: &str, port: u32) -> Instance {
    Instance {
        task_id: task.into(),
        app_id: PathId::parse(app),
        app_version: "2026-01-01T00:00:00.000Z".into(),
        agent_id: "agent-S0".into(),
        hostname: host.into(),
        host_ports: vec![port],
        state: state.into(),
        staged_at_ms: 1_500_485_681_967,
        started_at_ms: (state == "TASK_RUNNING").then_some(1_500_485_682_000),
        mesos_healthy: None,
        health: Vec::new(),
        ip_addresses: vec!["10.0.0.1".into()],
        kill_requested: false,
        unreachable_since_ms: None,
    }
}

use crate::wire::marathon::PathId;

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[tokio::test]
async fn ping_info_and_unknown_routes() {
    let t = setup().await;
    let r = t.call("GET", "/ping", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, b"pong");
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));

    let r = t.call("GET", "/v2/info", None).await;
    assert_eq!(r.status, 200);
    let info = r.json();
    let want: BTreeSet<String> = "name version buildref elected leader frameworkId marathon_config zookeeper_config http_config"
        .split(' ')
        .map(String::from)
        .collect();
    assert_eq!(keys(&info), want);
    // Exactly the 1.5 keys of each config object.
    let mc = "access_control_allow_origin checkpoint decline_offer_duration default_network_name env_vars_prefix executor failover_timeout features framework_name ha hostname launch_token launch_token_refresh_interval leader_proxy_connection_timeout_ms leader_proxy_read_timeout_ms local_port_max local_port_min master max_instances_per_offer mesos_bridge_name mesos_heartbeat_failure_threshold mesos_heartbeat_interval mesos_leader_ui_url mesos_role mesos_user min_revive_offers_interval offer_matching_timeout on_elected_prepare_timeout reconciliation_initial_delay reconciliation_interval revive_offers_for_new_apps revive_offers_repetitions scale_apps_initial_delay scale_apps_interval store_cache task_launch_confirm_timeout task_launch_timeout task_lost_expunge_initial_delay task_lost_expunge_interval task_reservation_timeout webui_url";
    assert_eq!(
        keys(&info["marathon_config"]),
        mc.split(' ').map(String::from).collect()
    );
    let zc = "zk zk_compression zk_compression_threshold zk_connection_timeout zk_max_node_size zk_max_versions zk_session_timeout zk_timeout";
    assert_eq!(
        keys(&info["zookeeper_config"]),
        zc.split(' ').map(String::from).collect()
    );
    assert_eq!(
        keys(&info["http_config"]),
        ["http_port", "https_port"].map(String::from).into()
    );
    assert_eq!(info["elected"], json!(true));
    assert_eq!(info["leader"], json!("localhost:8080"));
    assert_eq!(info["marathon_config"]["failover_timeout"], json!(604800));
    assert_eq!(info["http_config"]["http_port"], json!(8080));
    assert_eq!(r.header("x-marathon-leader"), Some("http://localhost:8080"));

    let r = t.call("GET", "/v2/nope", None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json(), json!({"message": "URI not found: /v2/nope"}));

    let r = t.call("GET", "/v2/leader", None).await;
    assert_eq!(r.json(), json!({"leader": "localhost:8080"}));
    let r = t.call("DELETE", "/v2/leader", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"message": "Leadership abdicated"}));

    let r = t.call("GET", "/metrics", None).await;
    assert_eq!(r.status, 200);
    let m = r.json();
    assert!(m["version"].is_string());
    assert_eq!(
        m["gauges"]["service.mesosphere.marathon.app.count"]["value"],
        json!(0)
    );
}

#[tokio::test]
async fn create_answers_201_with_location_deployment_and_the_app() {
    let t = setup().await;
    let r = t
        .call_with(
            "POST",
            "/v2/apps",
            Some(json!({"id": "web", "cmd": "sleep 600", "instances": 2})),
            &[("host", "m1:8080")],
        )
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("location"), Some("http://m1:8080/web"));
    let dep = r.header("marathon-deployment-id").unwrap().to_string();
    let app = r.json();
    assert_eq!(app["id"], json!("/web"));
    assert_eq!(app["deployments"], json!([{"id": dep}]));
    assert_eq!(app["tasks"], json!([]));
    assert_eq!(app["tasksRunning"], json!(0));
    assert_eq!(app["portDefinitions"][0]["port"], json!(10000));
    assert!(app["version"].is_string());

    // The plan: StartApplication, then ScaleApplication.
    let r = t.call("GET", "/v2/deployments", None).await;
    let deps = r.json();
    assert_eq!(deps.as_array().unwrap().len(), 1);
    assert_eq!(deps[0]["id"], json!(dep));
    assert_eq!(
        deps[0]["steps"],
        json!([{"actions":[{"action":"StartApplication","app":"/web"}]},
               {"actions":[{"action":"ScaleApplication","app":"/web"}]}])
    );
    assert_eq!(deps[0]["totalSteps"], json!(2));
    // Stored, not started (the driver starts step 1).
    assert_eq!(deps[0]["currentStep"], json!(0));
    assert_eq!(deps[0]["currentActions"], json!([]));
    t.ctx.api.marathon.lock().deployments[0].current_step = 1;
    let deps = t.call("GET", "/v2/deployments", None).await.json();
    assert_eq!(
        deps[0]["currentActions"][0]["action"],
        json!("StartApplication")
    );

    // The same id again: 409.
    let r = t
        .call("POST", "/v2/apps", Some(json!({"id": "/web", "cmd": "x"})))
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(
        r.json(),
        json!({"message": "An app with id [/web] already exists."})
    );
}

#[tokio::test]
async fn bad_bodies_are_400_and_invalid_apps_422_with_details() {
    let t = setup().await;
    let r = t
        .call_with(
            "POST",
            "/v2/apps",
            None,
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["message"], json!("Invalid JSON"));
    let r = t
        .call(
            "POST",
            "/v2/apps",
            Some(json!({"id": "/x", "instances": "many"})),
        )
        .await;
    assert_eq!(r.status, 400);

    let r = t
        .call(
            "POST",
            "/v2/apps",
            Some(json!({"id": "/Bad_Id", "cmd": "x",
                "upgradeStrategy": {"minimumHealthCapacity": 2}})),
        )
        .await;
    assert_eq!(r.status, 422);
    let body = r.json();
    assert_eq!(body["message"], json!("Object is not valid"));
    let paths: Vec<&str> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"/id"), "{body}");
    assert!(
        paths.contains(&"/upgradeStrategy/minimumHealthCapacity"),
        "{body}"
    );
    let r = t
        .call("POST", "/v2/apps", Some(json!({"id": "/nocmd"})))
        .await;
    assert_eq!(r.status, 422, "{}", String::from_utf8_lossy(&r.body));
    assert!(t.ctx.api.marathon.lock().apps.is_empty());
}

#[tokio::test]
async fn not_found_shapes() {
    let t = setup().await;
    let r = t.call("GET", "/v2/apps/nope", None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json(), json!({"message": "App '/nope' does not exist"}));
    let r = t.call("GET", "/v2/apps/a/b/tasks", None).await;
    assert_eq!(r.json(), json!({"message": "App '/a/b' does not exist"}));
    let r = t.call("DELETE", "/v2/apps/nope", None).await;
    assert_eq!(r.status, 404);
    let r = t
        .call("PATCH", "/v2/apps/nope", Some(json!({"instances": 1})))
        .await;
    assert_eq!(r.status, 404);
    let r = t.call("GET", "/v2/groups/nope", None).await;
    assert_eq!(r.json(), json!({"message": "Group '/nope' does not exist"}));
    let r = t.call("GET", "/v2/apps/nope/*", None).await;
    assert_eq!(r.status, 404);
    let r = t.call("DELETE", "/v2/deployments/abc", None).await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json(),
        json!({"message": "DeploymentPlan abc does not exist"})
    );
    let r = t.call("DELETE", "/v2/queue/nope/delay", None).await;
    assert_eq!(r.status, 404);
    let r = t.call("POST", "/v2/apps/nope/restart", None).await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn locked_apps_are_409_until_forced_and_doubled_slashes_are_tolerated() {
    let t = setup().await;
    let r = t
        .call(
            "POST",
            "/v2/apps",
            Some(json!({"id": "/web", "cmd": "sleep 600"})),
        )
        .await;
    let first = r.header("marathon-deployment-id").unwrap().to_string();
    // What marathon-python's scale_app sends.
    let r = t
        .call(
            "PUT",
            "/v2/apps//web?force=False",
            Some(json!({"instances": 3})),
        )
        .await;
    assert_eq!(r.status, 409);
    let body = r.json();
    assert_eq!(body["deployments"], json!([{"id": first}]));
    assert!(body["message"]
        .as_str()
        .unwrap()
        .starts_with("App is locked by one or more deployments."));
    let r = t
        .call(
            "PUT",
            "/v2/apps//web?force=True",
            Some(json!({"instances": 3})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let dep = r.header("marathon-deployment-id").unwrap().to_string();
    assert_eq!(r.json()["deploymentId"], json!(dep));
    // The forced change cancelled the first deployment.
    let deps = t.call("GET", "/v2/deployments", None).await.json();
    assert_eq!(deps.as_array().unwrap().len(), 1);
    assert_eq!(deps[0]["id"], json!(dep));
    let app = t.call("GET", "/v2/apps/web", None).await.json();
    assert_eq!(app["app"]["instances"], json!(3));
    assert_eq!(app["app"]["cmd"], json!("sleep 600"));
    assert_eq!(
        deps[0]["steps"][0]["actions"][0]["action"],
        json!("ScaleApplication")
    );
}

#[tokio::test]
async fn updates_partial_full_create_and_versions_with_rollback() {
    let t = setup().await;
    // PUT on an unknown app creates it: 201.
    let r = t
        .call(
            "PUT",
            "/v2/apps/svc",
            Some(json!({"cmd": "sleep 1", "env": {"A": "1"}, "instances": 1})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let v1 = r.json()["version"].as_str().unwrap().to_string();
    t.finish_deployments();
    // Partial (the default): only cmd changes, env stays; a restart.
    let r = t
        .call("PUT", "/v2/apps/svc", Some(json!({"cmd": "sleep 2"})))
        .await;
    assert_eq!(r.status, 200);
    let app = t.call("GET", "/v2/apps/svc", None).await.json()["app"].clone();
    assert_eq!(app["env"], json!({"A": "1"}));
    assert_eq!(app["cmd"], json!("sleep 2"));
    let deps = t.call("GET", "/v2/deployments", None).await.json();
    assert_eq!(
        deps[0]["steps"][0]["actions"][0]["action"],
        json!("RestartApplication")
    );
    t.finish_deployments();
    // Full replacement drops env.
    let r = t
        .call(
            "PUT",
            "/v2/apps/svc?partialUpdate=false",
            Some(json!({"id": "/ignored", "cmd": "sleep 3"})),
        )
        .await;
    assert_eq!(r.status, 200);
    let app = t.call("GET", "/v2/apps/svc", None).await.json()["app"].clone();
    assert_eq!(app.get("env"), None);
    assert_eq!(app["id"], json!("/svc"));
    t.finish_deployments();
    // PATCH is partial.
    let r = t
        .call("PATCH", "/v2/apps/svc", Some(json!({"instances": 2})))
        .await;
    assert_eq!(r.status, 200);
    t.finish_deployments();
    // Versions, oldest first; one stored version reads back.
    let versions = t.call("GET", "/v2/apps/svc/versions", None).await.json();
    let list = versions["versions"].as_array().unwrap();
    assert_eq!(list.len(), 4);
    assert_eq!(list[0], json!(v1));
    let old = t
        .call("GET", &format!("/v2/apps/svc/versions/{v1}"), None)
        .await;
    assert_eq!(old.status, 200);
    assert_eq!(old.json()["cmd"], json!("sleep 1"));
    assert_eq!(old.json()["env"], json!({"A": "1"}));
    // Roll back to v1.
    let r = t
        .call("PUT", "/v2/apps/svc", Some(json!({"version": v1})))
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let app = t.call("GET", "/v2/apps/svc", None).await.json()["app"].clone();
    assert_eq!(app["cmd"], json!("sleep 1"));
    assert_eq!(app["instances"], json!(1));
    let r = t
        .call(
            "PUT",
            "/v2/apps/svc?force=true",
            Some(json!({"version": "2000-01-01T00:00:00.000Z"})),
        )
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn put_and_patch_of_many_apps_make_one_deployment() {
    let t = setup().await;
    let r = t
        .call(
            "PUT",
            "/v2/apps",
            Some(json!([{"id": "/a", "cmd": "sleep 1"}, {"id": "/b", "cmd": "sleep 1"}])),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let deps = t.call("GET", "/v2/deployments", None).await.json();
    assert_eq!(deps.as_array().unwrap().len(), 1);
    assert_eq!(deps[0]["affectedApps"], json!(["/a", "/b"]));
    // Two new apps got distinct service ports.
    let apps = t.call("GET", "/v2/apps", None).await.json();
    let p0 = &apps["apps"][0]["portDefinitions"][0]["port"];
    let p1 = &apps["apps"][1]["portDefinitions"][0]["port"];
    assert_ne!(p0, p1);
    let r = t
        .call("PATCH", "/v2/apps", Some(json!([{"instances": 2}])))
        .await;
    assert_eq!(r.status, 422);
}
