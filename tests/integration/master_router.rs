//! The master's HTTP application driven in-process
//! (`tower::ServiceExt::oneshot` on `mesos::master::app`): the status code,
//! content type and top-level keys of every endpoint, on the leader, on a
//! follower (307 to the leader) and without a leader (503). The
//! process-level tests (`master_endpoints`) cover the same endpoints over TCP.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt as _;

use mesos::daemon::auth::HttpAuth;
use mesos::daemon::flags::{self, Parsed};
use mesos::master::state::{Leadership, Shared};
use mesos::wire::{Address, MasterInfo};

fn master() -> Shared {
    mesos::http::install_crypto_provider();
    let args = vec![
        "--registry=in_memory".to_string(),
        "--weights=ops=2.5".to_string(),
    ];
    let f = match flags::parse("mesos master", mesos::master::flags::SPECS, &args, |_| None)
        .expect("flags parse")
    {
        Parsed::Flags(f) => f,
        _ => unreachable!(),
    };
    mesos::master::new_master(f, "127.0.0.1:5050".parse().unwrap()).expect("master")
}

struct Answer {
    status: StatusCode,
    content_type: String,
    location: Option<String>,
    allow: Option<String>,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {} {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn call(m: &Shared, method: &str, uri: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let app = mesos::master::app(m.clone(), &HttpAuth::default());
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = app
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let h = |n: header::HeaderName| {
        resp.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (status, content_type, location, allow) = (
        resp.status(),
        h(header::CONTENT_TYPE).unwrap_or_default(),
        h(header::LOCATION),
        h(header::ALLOW),
    );
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Answer {
        status,
        content_type,
        location,
        allow,
        body,
    }
}

async fn get(m: &Shared, uri: &str) -> Answer {
    call(m, "GET", uri, &[], "").await
}

async fn operator(m: &Shared, body: &str) -> Answer {
    call(
        m,
        "POST",
        "/api/v1",
        &[("Content-Type", "application/json")],
        body,
    )
    .await
}

fn assert_keys(v: &Value, keys: &[&str], what: &str) {
    let o = v
        .as_object()
        .unwrap_or_else(|| panic!("{what}: not an object: {v}"));
    for k in keys {
        assert!(o.contains_key(*k), "{what}: no '{k}' in {v}");
    }
}

#[tokio::test]
async fn v0_endpoints_on_the_leader() {
    let m = master();
    let cases: &[(&str, &[&str])] = &[
        (
            "/master/state",
            &[
                "version",
                "build_date",
                "start_time",
                "elected_time",
                "id",
                "pid",
                "hostname",
                "activated_slaves",
                "deactivated_slaves",
                "unreachable_slaves",
                "leader",
                "leader_info",
                "flags",
                "slaves",
                "recovered_slaves",
                "frameworks",
                "completed_frameworks",
                "orphan_tasks",
                "unregistered_frameworks",
            ],
        ),
        (
            "/master/state-summary",
            &["hostname", "slaves", "frameworks"],
        ),
        (
            "/master/frameworks",
            &[
                "frameworks",
                "completed_frameworks",
                "unregistered_frameworks",
            ],
        ),
        ("/master/tasks", &["tasks"]),
        ("/master/slaves", &["slaves", "recovered_slaves"]),
        ("/master/roles", &["roles"]),
        ("/master/flags", &["flags"]),
        (
            "/metrics/snapshot",
            &["master/elected", "master/uptime_secs"],
        ),
        (
            "/version",
            &["version", "build_date", "build_time", "build_user"],
        ),
    ];
    for (path, keys) in cases {
        let a = get(&m, path).await;
        assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.text());
        assert_eq!(a.content_type, "application/json", "{path}");
        assert_keys(&a.json(), keys, path);
    }
    // Maintenance, quota and weights (empty on a fresh master).
    for path in [
        "/master/maintenance/schedule",
        "/master/maintenance/status",
        "/master/quota",
        "/master/weights",
    ] {
        let a = get(&m, path).await;
        assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.text());
        assert_eq!(a.content_type, "application/json", "{path}");
        let _ = a.json();
    }
    let s = get(&m, "/master/state").await.json();
    assert_eq!(s["leader"], s["pid"]);
    assert_eq!(
        s["activated_slaves"].to_string(),
        "0.0",
        "counts are doubles"
    );
    assert_keys(
        &s["leader_info"],
        &["id", "pid", "port", "hostname"],
        "leader_info",
    );
    assert_eq!(s["flags"]["weights"], "ops=2.5");
    let r = get(&m, "/master/roles").await.json();
    assert_eq!(r["roles"][0]["name"], "ops");
    assert_eq!(r["roles"][0]["weight"].to_string(), "2.5");
    assert_keys(
        &r["roles"][0],
        &[
            "frameworks",
            "resources",
            "allocated",
            "offered",
            "reserved",
            "quota",
        ],
        "role",
    );
    assert_eq!(
        get(&m, "/metrics/snapshot").await.json()["master/elected"],
        1.0
    );
    assert_eq!(get(&m, "/version").await.json()["version"], "1.11.0");
    // Query filters are accepted (and unknown parameters ignored).
    for path in [
        "/master/frameworks?framework_id=x&_ts=1",
        "/master/slaves?slave_id=",
        "/master/tasks?limit=-1&offset=0&order=asc&task_id=t",
    ] {
        assert_eq!(get(&m, path).await.status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn v0_errors_aliases_and_jsonp() {
    let m = master();
    let a = get(&m, "/master/tasks?limit=abc").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        a.text(),
        "Failed to parse query parameter 'limit': 'abc' is not a number"
    );
    assert_eq!(
        get(&m, "/master/tasks?offset=x").await.status,
        StatusCode::BAD_REQUEST
    );
    for path in [
        "/state",
        "/master/state.json",
        "/master/state/",
        "/state.json",
    ] {
        let a = get(&m, path).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert_keys(&a.json(), &["slaves", "frameworks"], path);
    }
    let a = get(&m, "/master/state?jsonp=cb").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.content_type, "text/javascript");
    let t = a.text();
    assert!(t.starts_with("cb({") && t.ends_with("})"), "{t}");
    // An unsafe callback is not echoed: plain JSON.
    let a = get(&m, "/master/state?jsonp=alert(1)").await;
    assert_eq!(a.content_type, "application/json");
    assert_eq!(get(&m, "/nope").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&m, "/master/redirect/deeper").await.status,
        StatusCode::NOT_FOUND
    );
    let h = get(&m, "/master/health").await;
    assert_eq!(h.status, StatusCode::OK);
    assert!(h.body.is_empty());
    let r = get(&m, "/master/redirect").await;
    assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(r.location.as_deref(), Some("//127.0.0.1:5050"));
}

#[tokio::test]
async fn teardown_form_and_methods() {
    let m = master();
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let a = call(&m, "POST", "/master/teardown", &form, "").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.text(), "Missing 'frameworkId' query parameter");
    let a = call(&m, "POST", "/master/teardown", &form, "frameworkId=nope").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.text(), "No framework found with specified ID");
    // Mesos reads the body as a form whatever its Content-Type.
    let a = call(&m, "POST", "/master/teardown", &[], "frameworkId=nope").await;
    assert_eq!(a.text(), "No framework found with specified ID");
    assert_eq!(
        get(&m, "/master/teardown").await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn operator_api_calls_and_errors() {
    let m = master();
    let a = operator(&m, r#"{"type":"GET_HEALTH"}"#).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.content_type, "application/json");
    assert_eq!(
        a.json(),
        serde_json::json!({"type": "GET_HEALTH", "get_health": {"healthy": true}})
    );
    let s = operator(&m, r#"{"type":"GET_STATE"}"#).await.json();
    assert_eq!(s["type"], "GET_STATE");
    assert_keys(
        &s["get_state"],
        &["get_tasks", "get_executors", "get_frameworks", "get_agents"],
        "get_state",
    );
    let gm = operator(&m, r#"{"type":"GET_MASTER"}"#).await.json();
    assert_keys(
        &gm["get_master"],
        &["master_info", "start_time"],
        "get_master",
    );
    assert_keys(
        &gm["get_master"]["master_info"],
        &["id", "ip", "port", "pid", "hostname", "version", "address"],
        "master_info",
    );
    let v = operator(&m, r#"{"type":"GET_VERSION"}"#).await.json();
    assert_eq!(v["get_version"]["version_info"]["version"], "1.11.0");
    let w = operator(&m, r#"{"type":"GET_WEIGHTS"}"#).await.json();
    assert_eq!(
        w["get_weights"]["weight_infos"],
        serde_json::json!([{"weight": 2.5, "role": "ops"}])
    );
    let f = operator(&m, r#"{"type":"GET_FLAGS"}"#).await.json();
    assert!(f["get_flags"]["flags"]
        .as_array()
        .is_some_and(|a| !a.is_empty()));
    let mt = operator(&m, r#"{"type":"GET_METRICS","get_metrics":{}}"#)
        .await
        .json();
    assert!(mt["get_metrics"]["metrics"].is_array());
    assert_eq!(
        operator(&m, r#"{"type":"GET_LOGGING_LEVEL"}"#).await.json()["get_logging_level"]["level"],
        0
    );
    // Errors.
    let a = operator(&m, "{}").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        a.text(),
        "Failed to validate master::Call: Expecting 'type' to be present"
    );
    let a = operator(&m, "{not json").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(
        a.text().starts_with("Failed to parse body into JSON"),
        "{}",
        a.text()
    );
    let a = operator(&m, r#"{"type":"READ_FILE","read_file":{"path":"/x"}}"#).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        a.text(),
        "Failed to convert JSON into Call protobuf: Missing required fields: read_file.offset"
    );
    let a = operator(&m, r#"{"type":"GET_METRICS"}"#).await;
    assert_eq!(
        a.text(),
        "Failed to validate master::Call: Expecting 'get_metrics' to be present"
    );
    let a = operator(
        &m,
        r#"{"type":"TEARDOWN","teardown":{"framework_id":{"value":"x"}}}"#,
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.text(), "No framework found with specified ID");
    assert_eq!(
        operator(&m, r#"{"type":"UNKNOWN"}"#).await.status,
        StatusCode::NOT_IMPLEMENTED
    );
    assert_eq!(
        operator(&m, r#"{"type":"RESERVE_RESOURCES"}"#).await.status,
        StatusCode::NOT_IMPLEMENTED
    );
    // Quota, weights and maintenance calls are answered (typed payloads).
    for (ty, key) in [
        ("GET_QUOTA", "get_quota"),
        ("GET_WEIGHTS", "get_weights"),
        ("GET_MAINTENANCE_SCHEDULE", "get_maintenance_schedule"),
        ("GET_MAINTENANCE_STATUS", "get_maintenance_status"),
    ] {
        let a = operator(&m, &format!(r#"{{"type":"{ty}"}}"#)).await;
        assert_eq!(a.status, StatusCode::OK, "{ty}: {}", a.text());
        let v = a.json();
        assert_eq!(v["type"], ty);
        assert!(v.get(key).is_some(), "{ty}: {v}");
    }
    let a = operator(&m, r#"{"type":"UPDATE_WEIGHTS"}"#).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        a.text(),
        "Failed to validate master::Call: Expecting 'update_weights' to be present"
    );
    let a = call(&m, "GET", "/api/v1", &[], "").await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.allow.as_deref(), Some("POST"));
    let a = call(
        &m,
        "POST",
        "/api/v1",
        &[("Content-Type", "text/plain")],
        r#"{"type":"GET_HEALTH"}"#,
    )
    .await;
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let a = call(
        &m,
        "POST",
        "/api/v1",
        &[
            ("Content-Type", "application/json"),
            ("Accept", "text/html"),
        ],
        r#"{"type":"GET_HEALTH"}"#,
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_ACCEPTABLE);
}

#[tokio::test]
async fn scheduler_and_internal_errors() {
    let m = master();
    let a = get(&m, "/api/v1/scheduler").await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.allow.as_deref(), Some("POST"));
    assert_eq!(a.text(), "Expecting 'POST', received 'GET'");
    let a = call(&m, "POST", "/api/v1/scheduler", &[], "{}").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.text(), "Expecting 'Content-Type' to be present");
    let a = call(
        &m,
        "POST",
        "/api/v1/scheduler",
        &[("Content-Type", "text/plain")],
        "",
    )
    .await;
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // An empty protobuf Call has no type.
    let a = call(
        &m,
        "POST",
        "/api/v1/scheduler",
        &[("Content-Type", "application/x-protobuf")],
        "",
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let json = [("Content-Type", "application/json")];
    let a = call(
        &m,
        "POST",
        "/api/v1/scheduler",
        &json,
        r#"{"framework_id":{"value":"F"}}"#,
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        a.text(),
        "Failed to validate scheduler::Call: Expecting 'type' to be present"
    );
    let a = call(
        &m,
        "POST",
        "/api/v1/scheduler",
        &json,
        r#"{"type":"DECLINE","decline":5}"#,
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(
        a.text()
            .starts_with("Failed to convert JSON into Call protobuf"),
        "{}",
        a.text()
    );
    let a = call(
        &m,
        "POST",
        "/api/v1/scheduler",
        &json,
        r#"{"type":"DECLINE","framework_id":{"value":"nope"},"decline":{}}"#,
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.text(), "Framework cannot be found");
    let a = call(&m, "POST", "/master/internal/ping", &[], "not json").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.text().starts_with("Failed to parse ping"), "{}", a.text());
}

fn follow(m: &Shared, host: &str, port: u16) {
    m.lock().leadership = Leadership::Following(Box::new(MasterInfo {
        id: Some("other".into()),
        hostname: Some(host.into()),
        port: Some(port),
        address: Some(Address {
            hostname: Some(host.into()),
            ip: Some("10.0.0.12".into()),
            port: Some(port),
        }),
        ..Default::default()
    }));
}

#[tokio::test]
async fn a_follower_redirects_leader_only_routes() {
    let m = master();
    follow(&m, "m2", 5051);
    for path in [
        "/master/state?x=1",
        "/master/state-summary",
        "/master/frameworks",
        "/master/tasks",
        "/master/slaves",
        "/master/roles",
    ] {
        let a = get(&m, path).await;
        assert_eq!(a.status, StatusCode::TEMPORARY_REDIRECT, "{path}");
        assert_eq!(
            a.location.as_deref(),
            Some(format!("//m2:5051{path}").as_str()),
            "{path}"
        );
    }
    let a = operator(&m, r#"{"type":"GET_HEALTH"}"#).await;
    assert_eq!(a.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(a.location.as_deref(), Some("//m2:5051/master/api/v1"));
    let a = call(&m, "POST", "/master/internal/ping", &[], "{}").await;
    assert_eq!(a.status, StatusCode::TEMPORARY_REDIRECT);
    let a = call(&m, "POST", "/master/teardown", &[], "frameworkId=x").await;
    assert_eq!(a.status, StatusCode::TEMPORARY_REDIRECT);
    for path in [
        "/master/maintenance/schedule",
        "/master/maintenance/status",
        "/master/quota",
        "/master/weights",
    ] {
        let a = get(&m, path).await;
        assert_eq!(a.status, StatusCode::TEMPORARY_REDIRECT, "{path}");
        assert_eq!(
            a.location.as_deref(),
            Some(format!("//m2:5051{path}").as_str()),
            "{path}"
        );
    }
    let a = call(&m, "POST", "/master/machine/down", &[], "[]").await;
    assert_eq!(a.status, StatusCode::TEMPORARY_REDIRECT);
    // Any master answers these.
    for path in [
        "/master/flags",
        "/metrics/snapshot",
        "/version",
        "/master/health",
        "/logging/toggle",
        "/__processes__",
    ] {
        assert_eq!(get(&m, path).await.status, StatusCode::OK, "{path}");
    }
    assert_eq!(
        get(&m, "/metrics/snapshot").await.json()["master/elected"],
        0.0
    );
    let r = get(&m, "/master/redirect").await;
    assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(r.location.as_deref(), Some("//m2:5051"));
    // The method check of the scheduler API comes first.
    assert_eq!(
        get(&m, "/api/v1/scheduler").await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    let a = call(
        &m,
        "POST",
        "/api/v1/scheduler",
        &[("Content-Type", "application/json")],
        "{}",
    )
    .await;
    assert_eq!(a.status, StatusCode::TEMPORARY_REDIRECT);
}

#[tokio::test]
async fn without_a_leader_leader_only_routes_are_503() {
    let m = master();
    m.lock().leadership = Leadership::Unknown;
    for path in ["/master/state", "/master/tasks", "/master/redirect"] {
        let a = get(&m, path).await;
        assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_eq!(a.text(), "No leader elected", "{path}");
    }
    let a = operator(&m, r#"{"type":"GET_STATE"}"#).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(get(&m, "/master/flags").await.status, StatusCode::OK);
}

#[tokio::test]
async fn files_endpoints_of_the_master() {
    let m = master();
    let d = get(&m, "/files/debug").await;
    assert_eq!(d.status, StatusCode::OK);
    assert!(d.json().is_object());
    // No --log_dir / --external_log_file: nothing is attached.
    assert_eq!(
        get(&m, "/files/browse?path=/master/log").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&m, "/files/read?path=/master/log&offset=0")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(get(&m, "/files/read").await.status, StatusCode::BAD_REQUEST);
    let a = operator(
        &m,
        r#"{"type":"LIST_FILES","list_files":{"path":"/master/log"}}"#,
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn whole_bodies_are_gzipped_when_asked_event_streams_never() {
    use axum::body::HttpBody as _;
    let m = master();
    let gz = [("Accept-Encoding", "gzip")];
    let app = || mesos::master::app(m.clone(), &HttpAuth::default());
    let send = |uri: &str, method: &str, body: &str, extra: &[(&str, &str)]| {
        let mut req = Request::builder().method(method).uri(uri);
        for (k, v) in gz.iter().chain(extra) {
            req = req.header(*k, *v);
        }
        req.body(Body::from(body.to_string())).unwrap()
    };
    // A large whole body: compressed, and it decompresses to the plain one.
    let r = app()
        .oneshot(send("/master/flags", "GET", "", &[]))
        .await
        .unwrap();
    assert_eq!(r.headers()[header::CONTENT_ENCODING], "gzip");
    let zipped = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .unwrap();
    let mut plain = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&zipped[..]), &mut plain)
        .unwrap();
    assert_eq!(plain, get(&m, "/master/flags").await.text());
    // A small one is not.
    let r = app()
        .oneshot(send("/master/health", "GET", "", &[]))
        .await
        .unwrap();
    assert!(r.headers().get(header::CONTENT_ENCODING).is_none());
    // An event stream is not, and its first record arrives at once.
    let r = app()
        .oneshot(send(
            "/api/v1",
            "POST",
            r#"{"type":"SUBSCRIBE"}"#,
            &[("Content-Type", "application/json")],
        ))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get(header::CONTENT_ENCODING).is_none());
    let mut body = r.into_body();
    let frame = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    })
    .await
    .expect("first record in time")
    .expect("a frame")
    .unwrap();
    let data = frame.into_data().unwrap();
    let text = String::from_utf8_lossy(&data);
    assert!(text.contains("\"SUBSCRIBED\""), "{text}");
}
