//! Counts and embedded tasks, task lists (JSON and text), kills, restart,
//! the queue, events, standbys.

use serde_json::json;

use super::{instance, setup, setup_with};
use crate::marathon::core::state::{Delay, HealthResult};
use crate::marathon::election::Leadership;

fn alive(ok: bool) -> HealthResult {
    HealthResult {
        alive: ok,
        consecutive_failures: if ok { 0 } else { 2 },
        first_success_ms: Some(1_500_485_690_000),
        last_success_ms: Some(1_500_485_690_000),
        last_failure_ms: (!ok).then_some(1_500_485_699_000),
        last_failure_cause: (!ok).then(|| "connection refused".to_string()),
    }
}

#[tokio::test]
async fn counts_and_embedded_tasks_follow_the_instances() {
    let t = setup().await;
    t.call(
        "POST",
        "/v2/apps",
        Some(
            json!({"id": "/web", "cmd": "python3 -m http.server $PORT0", "instances": 4,
            "healthChecks": [{"protocol": "HTTP", "path": "/"}]}),
        ),
    )
    .await;
    let mut a = instance("web.1", "/web", "TASK_RUNNING", "h1", 31001);
    a.health = vec![alive(true)];
    let mut b = instance("web.2", "/web", "TASK_RUNNING", "h2", 31002);
    b.health = vec![alive(false)];
    let c = instance("web.3", "/web", "TASK_RUNNING", "h1", 31003);
    let d = instance("web.4", "/web", "TASK_STAGING", "h2", 31004);
    for i in [a, b, c, d] {
        t.seed(i);
    }
    let app = t.call("GET", "/v2/apps/web", None).await.json()["app"].clone();
    assert_eq!(app["tasksRunning"], json!(3));
    assert_eq!(app["tasksStaged"], json!(1));
    assert_eq!(app["tasksHealthy"], json!(1));
    assert_eq!(app["tasksUnhealthy"], json!(1));
    let tasks = app["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 4);
    let t1 = &tasks[0];
    assert_eq!(t1["id"], json!("web.1"));
    assert_eq!(t1["appId"], json!("/web"));
    assert_eq!(t1["host"], json!("h1"));
    assert_eq!(t1["slaveId"], json!("agent-S0"));
    assert_eq!(t1["ports"], json!([31001]));
    assert_eq!(t1["servicePorts"], json!([10000]));
    assert_eq!(t1["stagedAt"], json!("2017-07-19T17:34:41.967Z"));
    assert_eq!(
        t1["ipAddresses"],
        json!([{"ipAddress": "10.0.0.1", "protocol": "IPv4"}])
    );
    assert_eq!(t1["healthCheckResults"][0]["alive"], json!(true));
    assert_eq!(t1["healthCheckResults"][0]["instanceId"], json!("web.1"));
    assert_eq!(
        tasks[1]["healthCheckResults"][0]["lastFailureCause"],
        json!("connection refused")
    );
    assert_eq!(tasks[3]["startedAt"], json!(null));
    // The list: counts always, tasks only when embedded.
    let list = t.call("GET", "/v2/apps", None).await.json();
    assert_eq!(list["apps"][0]["tasksRunning"], json!(3));
    assert_eq!(list["apps"][0].get("tasks"), None);
    let list = t
        .call(
            "GET",
            "/v2/apps?embed=apps.tasks&embed=apps.lastTaskFailure",
            None,
        )
        .await
        .json();
    assert_eq!(list["apps"][0]["tasks"].as_array().unwrap().len(), 4);
    // Filters.
    assert_eq!(
        t.call("GET", "/v2/apps?cmd=http.server", None).await.json()["apps"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        t.call("GET", "/v2/apps?id=nope", None).await.json(),
        json!({"apps": []})
    );
    assert_eq!(
        t.call("GET", "/v2/apps?label=tier==web", None).await.json(),
        json!({"apps": []})
    );
    // /v2/tasks with a status filter, and the app's tasks.
    let all = t.call("GET", "/v2/tasks", None).await.json();
    assert_eq!(all["tasks"].as_array().unwrap().len(), 4);
    let staging = t.call("GET", "/v2/tasks?status=staging", None).await.json();
    assert_eq!(staging["tasks"].as_array().unwrap().len(), 1);
    let running = t
        .call("GET", "/v2/tasks?status[]=running", None)
        .await
        .json();
    assert_eq!(running["tasks"].as_array().unwrap().len(), 3);
    let own = t.call("GET", "/v2/apps/web/tasks", None).await.json();
    assert_eq!(own["tasks"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn text_task_lists_have_a_line_per_service_port() {
    let t = setup().await;
    t.call(
        "POST",
        "/v2/apps",
        Some(json!({"id": "/tools/web", "cmd": "x", "portDefinitions": [{"port": 9000}]})),
    )
    .await;
    t.call(
        "POST",
        "/v2/apps",
        Some(json!({"id": "/noports", "cmd": "x", "portDefinitions": []})),
    )
    .await;
    t.seed(instance(
        "tools_web.2",
        "/tools/web",
        "TASK_RUNNING",
        "h2",
        31002,
    ));
    t.seed(instance(
        "tools_web.1",
        "/tools/web",
        "TASK_RUNNING",
        "h1",
        31001,
    ));
    t.seed(instance(
        "tools_web.3",
        "/tools/web",
        "TASK_STAGING",
        "h3",
        31003,
    ));
    t.seed(instance("noports.1", "/noports", "TASK_RUNNING", "h1", 0));
    let r = t
        .call_with("GET", "/v2/tasks", None, &[("accept", "text/plain")])
        .await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        "noports\t \th1\t\ntools_web\t9000\th1:31001\th2:31002\t\n"
    );
    let r = t
        .call_with(
            "GET",
            "/v2/apps/tools/web/tasks",
            None,
            &[("accept", "text/plain")],
        )
        .await;
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        "tools_web\t9000\th1:31001\th2:31002\t\n"
    );
    // JSON unless text is preferred.
    let r = t
        .call_with("GET", "/v2/tasks", None, &[("accept", "application/json")])
        .await;
    assert!(r.json()["tasks"].is_array());
}

#[tokio::test]
async fn kills_with_and_without_scale_and_restart() {
    let t = setup().await;
    t.call(
        "POST",
        "/v2/apps",
        Some(json!({"id": "/w", "cmd": "x", "instances": 3})),
    )
    .await;
    t.finish_deployments();
    for (n, h) in [(1, "h1"), (2, "h2"), (3, "h1")] {
        t.seed(instance(
            &format!("w.{n}"),
            "/w",
            "TASK_RUNNING",
            h,
            31000 + n,
        ));
    }
    // One task, no scale: marked for killing, answered as {"task": ...}.
    let r = t.call("DELETE", "/v2/apps/w/tasks/w.2", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["task"]["id"], json!("w.2"));
    assert!(t.ctx.api.marathon.lock().instances["w.2"].kill_requested);
    assert_eq!(
        t.call("DELETE", "/v2/apps/w/tasks/w.9", None).await.json(),
        json!({"message": "Task 'w.9' does not exist"})
    );
    // All on h1 with scale: a deployment lowering instances by 2.
    let r = t
        .call("DELETE", "/v2/apps/w/tasks?host=h1&scale=true", None)
        .await;
    assert_eq!(r.status, 200);
    assert!(r.json()["deploymentId"].is_string());
    let app = t.call("GET", "/v2/apps/w", None).await.json();
    assert_eq!(app["app"]["instances"], json!(1));
    assert!(t.ctx.api.marathon.lock().instances["w.1"].kill_requested);
    let r = t
        .call("DELETE", "/v2/apps/w/tasks?scale=true&wipe=true", None)
        .await;
    assert_eq!(r.status, 400);
    t.finish_deployments();
    // POST /v2/tasks/delete.
    let r = t
        .call("POST", "/v2/tasks/delete", Some(json!({"ids": ["w.3"]})))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["tasks"][0]["id"], json!("w.3"));
    let r = t
        .call(
            "POST",
            "/v2/tasks/delete",
            Some(json!({"ids": ["garbage"]})),
        )
        .await;
    assert_eq!(r.status, 400);
    // Restart: a new version, a RestartApplication deployment.
    let before = t.call("GET", "/v2/apps/w", None).await.json()["app"]["version"].clone();
    let r = t.call("POST", "/v2/apps/w/restart", None).await;
    assert_eq!(r.status, 200);
    let deps = t.call("GET", "/v2/deployments", None).await.json();
    assert_eq!(
        deps[0]["steps"][0]["actions"][0]["action"],
        json!("RestartApplication")
    );
    let after = t.call("GET", "/v2/apps/w", None).await.json()["app"]["version"].clone();
    assert_ne!(before, after);
    // DELETE the app: force is the default, so the lock does not stop it.
    let r = t.call("DELETE", "/v2/apps/w", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(t.call("GET", "/v2/apps/w", None).await.status, 404);
}

#[tokio::test]
async fn queue_lists_apps_short_of_instances_and_delays_reset() {
    let t = setup().await;
    t.call(
        "POST",
        "/v2/apps",
        Some(json!({"id": "/q", "cmd": "x", "instances": 2})),
    )
    .await;
    t.seed(instance("q.1", "/q", "TASK_RUNNING", "h1", 31000));
    t.ctx.api.marathon.lock().delays.insert(
        crate::wire::marathon::PathId::parse("/q"),
        Delay::until(crate::marathon::core::state::now_ms() + 30_000),
    );
    let q = t.call("GET", "/v2/queue", None).await.json();
    let e = &q["queue"][0];
    assert_eq!(e["count"], json!(1));
    assert_eq!(e["app"]["id"], json!("/q"));
    assert_eq!(e["delay"]["overdue"], json!(false));
    assert!(e["delay"]["timeLeftSeconds"].as_u64().unwrap() > 20);
    let r = t.call("DELETE", "/v2/queue/q/delay", None).await;
    assert_eq!(r.status, 204);
    let q = t.call("GET", "/v2/queue", None).await.json();
    assert_eq!(q["queue"][0]["delay"]["overdue"], json!(true));
    // The failures are forgotten: the next one starts at backoffSeconds.
    assert!(!t
        .ctx
        .api
        .marathon
        .lock()
        .delays
        .contains_key(&crate::wire::marathon::PathId::parse("/q")));
}

#[tokio::test]
async fn events_need_exactly_text_event_stream_and_start_with_attached() {
    let t = setup().await;
    let r = t.call("GET", "/v2/events", None).await;
    assert_eq!(r.status, 405);
    let r = t
        .call_with(
            "GET",
            "/v2/events",
            None,
            &[("accept", "text/event-stream, */*")],
        )
        .await;
    assert_eq!(r.status, 405);

    use axum::body::Body;
    use axum::http::Request;
    use futures_util::StreamExt;
    use tower::ServiceExt;
    let req = Request::get(
        "/v2/events?event_type=event_stream_attached&event_type=api_post_event&plan-format=light",
    )
    .header("accept", "text/event-stream")
    .body(Body::empty())
    .unwrap();
    let resp = t.app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let mut body = resp.into_body().into_data_stream();
    let mut got = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    // The first event, then a change: its api_post_event, not the others.
    while !got.contains("\r\n\r\n") {
        let chunk = tokio::time::timeout_at(deadline, body.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        got.push_str(std::str::from_utf8(&chunk).unwrap());
    }
    assert!(
        got.starts_with("event: event_stream_attached\r\ndata: {"),
        "{got}"
    );
    t.call("POST", "/v2/apps", Some(json!({"id": "/e", "cmd": "x"})))
        .await;
    let mut rest = String::new();
    while !rest.contains("api_post_event") || !rest.ends_with("\r\n\r\n") {
        let chunk = tokio::time::timeout_at(deadline, body.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        rest.push_str(std::str::from_utf8(&chunk).unwrap());
    }
    assert!(!rest.contains("deployment_info"), "{rest}");
    let line = rest
        .lines()
        .find(|l| l.starts_with("data: ") && l.contains("api_post_event"))
        .unwrap();
    let ev: serde_json::Value = serde_json::from_str(&line["data: ".len()..]).unwrap();
    assert_eq!(ev["eventType"], json!("api_post_event"));
    assert_eq!(ev["appDefinition"]["id"], json!("/e"));
    assert_eq!(ev["uri"], json!("/v2/apps"));
    // Heartbeats keep coming.
    let chunk = tokio::time::timeout_at(deadline, body.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(&chunk[..], b"\r\n");
}

#[tokio::test]
async fn a_standby_without_a_leader_answers_503() {
    let t = setup_with(Leadership {
        leading: false,
        leader: None,
    })
    .await;
    let r = t.call("GET", "/v2/apps", None).await;
    assert_eq!(r.status, 503);
    assert_eq!(
        r.json(),
        json!({"message": "Could not determine the current leader"})
    );
    let r = t.call("GET", "/v2/leader", None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json(), json!({"message": "There is no leader"}));
}

#[tokio::test]
async fn a_standby_proxies_to_the_leader_and_detects_loops() {
    // The leader: a real server on a free port.
    let leader = setup().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = leader.app.clone();
    tokio::spawn(crate::daemon::serve::serve(
        listener,
        app,
        None,
        std::future::pending(),
    ));
    leader
        .call("POST", "/v2/apps", Some(json!({"id": "/p", "cmd": "x"})))
        .await;
    let standby = setup_with(Leadership {
        leading: false,
        leader: Some(addr.to_string()),
    })
    .await;
    let r = standby.call("GET", "/v2/apps/p", None).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["app"]["id"], json!("/p"));
    // A request that already passed this standby is a loop.
    let r = standby
        .call_with(
            "GET",
            "/v2/apps",
            None,
            &[("x-marathon-via", "1.1 localhost:8080")],
        )
        .await;
    assert_eq!(r.status, 502);
}

#[tokio::test]
async fn http_credentials_protect_all_but_ping() {
    let t = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("creds");
    std::fs::write(&file, "ops s3cret\n").unwrap();
    let args = vec![format!("--http_credentials={}", file.display())];
    let flags = match crate::daemon::flags::parse_with_prefix(
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
    };
    let auth = crate::daemon::auth::HttpAuth::for_marathon(&flags).unwrap();
    let app = super::super::router(t.ctx.clone(), &auth);
    let secured = super::T {
        _dir: tempfile::tempdir().unwrap(),
        ctx: t.ctx.clone(),
        app,
    };
    assert_eq!(secured.call("GET", "/ping", None).await.status, 200);
    let r = secured.call("GET", "/v2/apps", None).await;
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").unwrap().contains("Mesosphere"));
    // ops:s3cret
    let r = secured
        .call_with(
            "GET",
            "/v2/apps",
            None,
            &[("authorization", "Basic b3BzOnMzY3JldA==")],
        )
        .await;
    assert_eq!(r.status, 200);
    let r = secured
        .call_with(
            "GET",
            "/v2/apps",
            None,
            &[("authorization", "Basic b3BzOndyb25n")],
        )
        .await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn apps_with_tasks_have_the_real_1_5_field_set() {
    let t = setup().await;
    let real: serde_json::Value = serde_json::from_slice(&crate::test_fixtures::read_fixture(
        "marathon-v2-apps-1.5.json",
    ))
    .unwrap();
    // Create the same app (its own body, read-only fields and all).
    let r = t
        .call("POST", "/v2/apps", Some(real["apps"][0].clone()))
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    t.finish_deployments();
    let mut i = instance(
        "pywebserver.8cad6a69-6ca8-11e7-beb2-0e2beceebfcc",
        "/pywebserver",
        "TASK_RUNNING",
        "10.0.2.148",
        1565,
    );
    i.ip_addresses = vec!["172.17.0.2".into()];
    t.seed(i);
    let ours = t
        .call("GET", "/v2/apps?embed=apps.tasks", None)
        .await
        .json();
    let want = crate::test_fixtures::key_paths(&real);
    let got = crate::test_fixtures::key_paths(&ours);
    let missing: Vec<&String> = want.difference(&got).collect();
    assert!(
        missing.is_empty(),
        "keys the real body has and ours lacks: {missing:?}"
    );
    // Ours may add servicePorts to tasks (the app has service ports).
    let extra: Vec<&String> = got.difference(&want).collect();
    assert!(
        extra
            .iter()
            .all(|k| k.as_str() == "apps[].tasks[].servicePorts"),
        "keys real Marathon does not write: {extra:?}"
    );
    assert_eq!(ours["apps"][0]["tasksRunning"], json!(1));
    assert_eq!(
        ours["apps"][0]["container"]["portMappings"][0]["servicePort"],
        json!(10101)
    );
}
