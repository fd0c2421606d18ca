//! In-process router tests (`tower::ServiceExt::oneshot`) of the endpoints
//! that close the fidelity gaps: flags, metrics, maintenance, quota,
//! weights, `/logging/toggle`, `/__processes__`, the `.json` aliases and
//! the v1 Content-Type answers.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use tower::ServiceExt;

use super::state::Shared;

fn master(extra: &[&str]) -> Shared {
    crate::http::install_crypto_provider();
    let mut args = vec!["--registry=in_memory".to_string()];
    args.extend(extra.iter().map(|s| s.to_string()));
    let flags =
        match crate::daemon::flags::parse("mesos master", super::flags::SPECS, &args, |_| None)
            .unwrap()
        {
            crate::daemon::flags::Parsed::Flags(f) => f,
            _ => unreachable!(),
        };
    super::new_master(flags, "127.0.0.1:5050".parse().unwrap()).unwrap()
}

fn app(m: &Shared) -> Router {
    let auth = crate::daemon::auth::HttpAuth::for_master(&m.flags).unwrap();
    super::app(m.clone(), &auth)
}

struct Answer {
    status: StatusCode,
    allow: Option<String>,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }
}

async fn send(app: &Router, method: &str, path: &str, ct: Option<&str>, body: &str) -> Answer {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(ct) = ct {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let allow = resp
        .headers()
        .get(header::ALLOW)
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    Answer {
        status,
        allow,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(app: &Router, path: &str) -> Answer {
    send(app, "GET", path, None, "").await
}

async fn post_json(app: &Router, path: &str, body: Value) -> Answer {
    send(
        app,
        "POST",
        path,
        Some("application/json"),
        &body.to_string(),
    )
    .await
}

async fn call(app: &Router, body: Value) -> Answer {
    post_json(app, "/api/v1", body).await
}

const A: &str = r#"{"hostname":"a.example","ip":"10.0.0.1"}"#;

fn machine_a() -> Value {
    serde_json::from_str(A).unwrap()
}

fn schedule_of(machines: Value) -> Value {
    json!({"windows": [{
        "machine_ids": machines,
        "unavailability": {"start": {"nanoseconds": 1_700_000_000_000_000_000i64},
                           "duration": {"nanoseconds": 3_600_000_000_000i64}}
    }]})
}

#[tokio::test]
async fn flags_list_real_defaults_as_strings() {
    let m = master(&["--zk=zk://u:pw@127.0.0.1:2181/mesos", "--quorum=1"]);
    let app = app(&m);
    let r = get(&app, "/master/flags").await;
    assert_eq!(r.status, StatusCode::OK);
    let flags = r.json()["flags"].as_object().unwrap().clone();
    assert!(flags.len() >= 50, "{} flags", flags.len());
    assert!(flags.values().all(Value::is_string));
    assert_eq!(flags["framework_sorter"], "drf");
    assert_eq!(flags["registry_store_timeout"], "20secs");
    assert_eq!(flags["registry"], "in_memory");
    assert!(
        !r.body.contains("pw@"),
        "the --zk password is shown: {}",
        r.body
    );
    // GET_FLAGS needs a leader: a standalone master.
    let leader = self::app(&master(&[]));
    let v1 = call(&leader, json!({"type": "GET_FLAGS"})).await.json();
    let list = v1["get_flags"]["flags"].as_array().unwrap();
    assert_eq!(list.len(), flags.len() - 2, "all but --zk and --quorum");
    assert!(list
        .iter()
        .any(|f| f == &json!({"name": "allocator", "value": "hierarchical"})));
}

#[tokio::test]
async fn maintenance_v0_schedule_down_up_with_mesos_errors() {
    let m = master(&[]);
    let app = app(&m);
    assert_eq!(get(&app, "/master/maintenance/schedule").await.body, "{}");
    assert_eq!(get(&app, "/master/maintenance/status").await.body, "{}");
    let r = send(&app, "PUT", "/master/maintenance/schedule", None, "").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.allow.as_deref(), Some("GET, POST"));
    // Not in a schedule: cannot go down.
    let r = post_json(&app, "/master/machine/down", json!([machine_a()])).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.body,
        format!("Machine '{A}' is not part of a maintenance schedule")
    );
    let bad = post_json(
        &app,
        "/master/maintenance/schedule",
        schedule_of(json!([{}])),
    )
    .await;
    assert_eq!(bad.body, "Both 'hostname' and 'ip' for a machine are empty");
    let sched = schedule_of(json!([machine_a()]));
    let r = post_json(&app, "/master/maintenance/schedule", sched.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        get(&app, "/master/maintenance/schedule").await.json(),
        sched
    );
    let st = get(&app, "/master/maintenance/status").await.json();
    assert_eq!(st, json!({"draining_machines": [{"id": machine_a()}]}));
    // Up is only for DOWN machines.
    let r = post_json(&app, "/master/machine/up", json!([machine_a()])).await;
    assert_eq!(
        r.body,
        format!("Machine '{A}' is not in DOWN mode and cannot be brought up")
    );
    let r = post_json(&app, "/master/machine/down", json!([machine_a()])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let st = get(&app, "/master/maintenance/status").await.json();
    assert_eq!(st, json!({"down_machines": [machine_a()]}));
    // A DOWN machine's agent may not register.
    assert!(m
        .lock()
        .policy
        .refuses_agent("a.example", "10.0.0.1")
        .is_some());
    // A DOWN machine cannot leave the schedule.
    let r = post_json(&app, "/master/maintenance/schedule", json!({})).await;
    assert_eq!(
        r.body,
        format!("Machine '{A}' is deactivated and cannot be removed from the schedule")
    );
    let r = post_json(&app, "/master/machine/up", json!([machine_a()])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(get(&app, "/master/maintenance/schedule").await.body, "{}");
    assert_eq!(get(&app, "/master/maintenance/status").await.body, "{}");
    let r = post_json(&app, "/master/machine/up", json!([])).await;
    assert_eq!(r.body, "List of machines is empty");
    let r = send(&app, "GET", "/master/machine/down", None, "").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn maintenance_v1_calls() {
    let m = master(&[]);
    let app = app(&m);
    let r = call(&app, json!({"type": "GET_MAINTENANCE_SCHEDULE"})).await;
    assert_eq!(
        r.json(),
        json!({"type": "GET_MAINTENANCE_SCHEDULE", "get_maintenance_schedule": {"schedule": {}}})
    );
    let r = call(&app, json!({"type": "UPDATE_MAINTENANCE_SCHEDULE"})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("'update_maintenance_schedule' to be present"),
        "{}",
        r.body
    );
    let sched = schedule_of(json!([machine_a()]));
    let r = call(
        &app,
        json!({"type": "UPDATE_MAINTENANCE_SCHEDULE", "update_maintenance_schedule": {"schedule": sched}}),
    )
    .await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, ""));
    let r = call(
        &app,
        json!({"type": "START_MAINTENANCE", "start_maintenance": {"machines": [machine_a()]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = call(&app, json!({"type": "GET_MAINTENANCE_STATUS"}))
        .await
        .json();
    assert_eq!(
        r["get_maintenance_status"]["status"],
        json!({"down_machines": [machine_a()]})
    );
    let r = call(
        &app,
        json!({"type": "STOP_MAINTENANCE", "stop_maintenance": {"machines": [machine_a()]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = call(&app, json!({"type": "GET_MAINTENANCE_STATUS"}))
        .await
        .json();
    assert_eq!(r["get_maintenance_status"], json!({"status": {}}));
}

#[tokio::test]
async fn quota_v0_and_v1() {
    let m = master(&[]);
    let app = app(&m);
    assert_eq!(get(&app, "/master/quota").await.body, "{}");
    let req = json!({"role": "dev", "guarantee": [
        {"name": "cpus", "type": "SCALAR", "scalar": {"value": 1.0}}]});
    // No agents: the guarantee overcommits the cluster.
    let r = post_json(&app, "/master/quota", req.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        r.body
            .starts_with("Quota guarantees overcommit the cluster"),
        "{}",
        r.body
    );
    let mut forced = req.clone();
    forced["force"] = json!(true);
    let r = post_json(&app, "/master/quota", forced.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = post_json(&app, "/master/quota", forced).await;
    assert_eq!(
        r.body,
        "Failed to validate set quota request: Cannot set quota for role 'dev' which already has quota"
    );
    let q = get(&app, "/master/quota").await.json();
    assert_eq!(q["infos"][0]["role"], "dev");
    assert_eq!(q["infos"][0]["guarantee"][0]["scalar"]["value"], 1.0);
    assert_eq!(
        q["configs"][0],
        json!({"role": "dev", "guarantees": {"cpus": {"value": 1.0}}, "limits": {"cpus": {"value": 1.0}}})
    );
    let roles = get(&app, "/master/roles").await.json();
    let dev = roles["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "dev")
        .unwrap()
        .clone();
    assert_eq!(dev["quota"]["guarantee"], json!({"cpus": 1.0}));
    let r = send(&app, "DELETE", "/master/quota/dev", None, "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = send(&app, "DELETE", "/master/quota/dev", None, "").await;
    assert_eq!(
        r.body,
        "Failed to remove quota for path '/master/quota/dev': Role 'dev' has no quota set"
    );
    let r = send(&app, "PUT", "/master/quota", None, "").await;
    assert_eq!(r.allow.as_deref(), Some("GET, POST, DELETE"));

    // v1 quota v2: guarantees within limits, overcommit unless forced.
    let update = |g: f64, l: f64, force: bool| {
        json!({"type": "UPDATE_QUOTA", "update_quota": {"force": force, "quota_configs": [
            {"role": "ops", "guarantees": {"cpus": {"value": g}}, "limits": {"cpus": {"value": l}}}]}})
    };
    let r = call(&app, update(3.0, 2.0, true)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("is not contained within the 'QuotaConfig.limits'"),
        "{}",
        r.body
    );
    let r = call(&app, update(1.0, 2.0, false)).await;
    assert!(r.body.contains("exceed cluster capacity"), "{}", r.body);
    let r = call(&app, update(1.0, 2.0, true)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let q = call(&app, json!({"type": "GET_QUOTA"})).await.json();
    assert_eq!(
        q["get_quota"]["status"]["configs"][0]["limits"]["cpus"]["value"],
        2.0
    );
    let r = call(
        &app,
        json!({"type": "REMOVE_QUOTA", "remove_quota": {"role": "ops"}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let q = call(&app, json!({"type": "GET_QUOTA"})).await.json();
    assert_eq!(q, json!({"type": "GET_QUOTA", "get_quota": {"status": {}}}));
}

#[tokio::test]
async fn weights_v0_and_v1_feed_roles_and_registrar_metrics() {
    let m = master(&["--weights=ops=2"]);
    let app = app(&m);
    assert_eq!(
        get(&app, "/master/weights").await.json(),
        json!([{"weight": 2.0, "role": "ops"}])
    );
    let r = send(
        &app,
        "PUT",
        "/master/weights",
        Some("application/json"),
        r#"[{"role":"dev","weight":2.5}]"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = send(
        &app,
        "PUT",
        "/master/weights",
        None,
        r#"[{"role":"dev","weight":0}]"#,
    )
    .await;
    assert_eq!(
        r.body,
        "Failed to validate update weights request JSON for role 'dev': Invalid weight '0': Weights must be positive"
    );
    let w = call(&app, json!({"type": "GET_WEIGHTS"})).await.json();
    assert_eq!(
        w["get_weights"]["weight_infos"],
        json!([{"weight": 2.5, "role": "dev"}, {"weight": 2.0, "role": "ops"}])
    );
    let r = call(&app, json!({"type": "UPDATE_WEIGHTS", "update_weights": {"weight_infos": [{"role": "ops", "weight": 3}]}})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let roles = get(&app, "/master/roles").await.json();
    let ops = roles["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "ops")
        .unwrap()
        .clone();
    assert_eq!(ops["weight"], 3.0);
    // Two policy stores so far: the registrar timer has two samples.
    let metrics = get(&app, "/metrics/snapshot").await.json();
    assert_eq!(metrics["registrar/state_store_ms/count"], 2.0);
    assert!(metrics["registrar/registry_size_bytes"].as_f64().unwrap() > 0.0);
    for k in [
        "registrar/queued_operations",
        "master/slave_shutdowns_scheduled",
        "master/messages_register_framework",
        "master/valid_status_update_acknowledgements",
    ] {
        assert!(metrics[k].is_f64(), "{k} missing");
    }
    let r = send(&app, "DELETE", "/master/weights", None, "").await;
    assert_eq!(r.allow.as_deref(), Some("GET, PUT"));
}

#[tokio::test]
async fn logging_toggle_and_processes() {
    let m = master(&[]);
    let app = app(&m);
    let r = get(&app, "/logging/toggle?level=1").await;
    assert_eq!(
        (r.status, r.body.as_str()),
        (
            StatusCode::BAD_REQUEST,
            "Expecting 'duration=value' in query.\n"
        )
    );
    let r = get(&app, "/logging/toggle?level=abc&duration=1secs").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = get(&app, "/logging/toggle").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.trim().parse::<u32>().is_ok(), "{}", r.body);
    let p = get(&app, "/__processes__").await.json();
    let ids: Vec<&str> = p
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    for want in ["master", "metrics", "files", "logging", "__processes__"] {
        assert!(ids.contains(&want), "{want} not in {ids:?}");
    }
}

#[tokio::test]
async fn json_aliases_follow_the_flag() {
    let on = app(&master(&[]));
    assert_eq!(get(&on, "/master/state.json").await.status, StatusCode::OK);
    assert_eq!(
        get(&on, "/metrics/snapshot.json").await.status,
        StatusCode::OK
    );
    let off = app(&master(&["--no-json_endpoint_aliases"]));
    assert_eq!(
        get(&off, "/master/state.json").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(get(&off, "/state.json").await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&off, "/master/state").await.status, StatusCode::OK);
}

#[tokio::test]
async fn v1_content_type_answers_are_real_mesos_ones() {
    let app = app(&master(&[]));
    for path in ["/api/v1", "/api/v1/scheduler"] {
        // Absent: 400, as real Mesos 1.11's handlers answer.
        let r = send(&app, "POST", path, None, "{}").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(r.body, "Expecting 'Content-Type' to be present", "{path}");
        // What `curl -d` sends: 415.
        let r = send(
            &app,
            "POST",
            path,
            Some("application/x-www-form-urlencoded"),
            "{}",
        )
        .await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{path}");
    }
}

/// An active agent `id` with `resources`, on machine `host`/`host`.
fn add_agent(m: &Shared, id: &str, host: &str, resources: &str) {
    let entry = super::state::AgentEntry {
        id: id.into(),
        hostname: host.into(),
        ip: host.into(),
        port: 5051,
        version: "1.11.0".into(),
        capabilities: vec![],
        total: crate::resources::Resources::parse(resources, "*").unwrap(),
        attributes: vec![],
        registered_time: 0.0,
        reregistered_time: None,
        active: true,
        last_ping: std::time::Instant::now(),
        allocated: Default::default(),
        offered: Default::default(),
        session_token: crate::daemon::proto::session::Token::generate().unwrap(),
    };
    m.lock().agents.insert(id.into(), entry);
}

/// A subscribed framework of `role`; the receiver gets its events.
fn add_framework(
    m: &Shared,
    id: &str,
    role: &str,
) -> tokio::sync::mpsc::UnboundedReceiver<bytes::Bytes> {
    let info = json!({"user": "u", "name": id, "roles": [role],
        "capabilities": [{"type": "MULTI_ROLE"}], "id": {"value": id}});
    let mut fw = super::core::framework_from_json(id, &info, 0.0, true);
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    fw.stream = Some(super::state::Stream { id: "s".into(), tx });
    m.lock().frameworks.insert(id.into(), fw);
    rx
}

fn events(rx: &mut tokio::sync::mpsc::UnboundedReceiver<bytes::Bytes>) -> Vec<Value> {
    let mut out = Vec::new();
    while let Ok(b) = rx.try_recv() {
        let mut d = crate::recordio::Decoder::new();
        d.push(&b);
        while let Some(r) = d.next_record().unwrap() {
            out.push(serde_json::from_slice(&r).unwrap());
        }
    }
    out
}

fn offered_cpus(ev: &[Value]) -> f64 {
    ev.iter()
        .filter(|e| e["type"] == "OFFERS")
        .flat_map(|e| e["offers"]["offers"].as_array().unwrap().clone())
        .flat_map(|o| o["resources"].as_array().unwrap().clone())
        .filter(|r| r["name"] == "cpus")
        .map(|r| r["scalar"]["value"].as_f64().unwrap())
        .sum()
}

#[tokio::test]
async fn offers_are_trimmed_to_quota_limits_and_carry_unavailability() {
    let m = master(&[]);
    add_agent(&m, "A", "10.0.0.1", "cpus:4;mem:1024");
    let mut rx = add_framework(&m, "F", "web");
    let limit = QuotaConfigJson::limit("web", 1.5);
    super::quota::update(&m, vec![limit], true).unwrap();
    let sched = schedule_of(json!([{"hostname": "10.0.0.1", "ip": "10.0.0.1"}]));
    super::maintenance::update_schedule(&mut m.lock(), serde_json::from_value(sched).unwrap())
        .unwrap();
    super::allocator::allocate(&m);
    let ev = events(&mut rx);
    assert_eq!(offered_cpus(&ev), 1.5, "{ev:?}");
    let offer = &ev[0]["offers"]["offers"][0];
    assert_eq!(
        offer["unavailability"]["start"]["nanoseconds"],
        1_700_000_000_000_000_000i64
    );
}

#[tokio::test]
async fn weights_order_roles_in_drf() {
    let m = master(&["--weights=heavy=3"]);
    add_agent(&m, "A", "10.0.0.1", "cpus:1;mem:128");
    // Ids sort `light` first, so only the weight can put `heavy` first.
    let mut light = add_framework(&m, "A-light", "light");
    let mut heavy = add_framework(&m, "Z-heavy", "heavy");
    // Both roles already use the same share elsewhere: the heavier weight
    // makes `heavy`'s weighted share smaller, so it is offered first.
    add_agent(&m, "B", "10.0.0.2", "cpus:2;mem:256");
    for (fid, role) in [("A-light", "light"), ("Z-heavy", "heavy")] {
        let t = super::state::TaskEntry {
            id: format!("t-{fid}"),
            name: "t".into(),
            framework_id: fid.into(),
            agent_id: "B".into(),
            executor_id: String::new(),
            state: "TASK_RUNNING".into(),
            resources: crate::resources::Resources::parse("cpus:1;mem:128", "*").unwrap(),
            role: role.into(),
            statuses: vec![],
            info: Default::default(),
            status_update_state: None,
            status_update_uuid: None,
        };
        let mut st = m.lock();
        st.agents.get_mut("B").unwrap().allocated.add(&t.resources);
        st.frameworks
            .get_mut(fid)
            .unwrap()
            .tasks
            .insert(t.id.clone(), t.into());
    }
    super::allocator::allocate(&m);
    assert_eq!(offered_cpus(&events(&mut heavy)), 1.0);
    assert_eq!(offered_cpus(&events(&mut light)), 0.0);
}

/// Quota configs for tests.
struct QuotaConfigJson;

impl QuotaConfigJson {
    fn limit(role: &str, cpus: f64) -> crate::wire::quota::QuotaConfig {
        serde_json::from_value(json!({"role": role, "limits": {"cpus": {"value": cpus}}})).unwrap()
    }
}

/// OFFERS as real Mesos writes them (and as this master wrote them with
/// `json!` before the events were typed): `allocation_info` on the offer
/// and its resources only for MULTI_ROLE frameworks, attributes only when
/// the agent has some, no `unavailability` outside maintenance.
#[tokio::test]
async fn offers_keep_their_v1_json_shape() {
    let m = master(&[]);
    add_agent(&m, "A", "10.0.0.1", "cpus:1;mem:128");
    m.lock().agents.get_mut("A").unwrap().attributes =
        crate::resources::parse_attributes("rack:r1").unwrap();
    let mut multi = add_framework(&m, "F", "web");
    super::allocator::allocate(&m);
    let ev = events(&mut multi);
    assert_eq!(ev.len(), 1, "{ev:?}");
    let offer = &ev[0]["offers"]["offers"][0];
    let res = |alloc: Option<Value>| {
        let mut cpus =
            json!({"name": "cpus", "type": "SCALAR", "scalar": {"value": 1.0}, "role": "*"});
        let mut mem =
            json!({"name": "mem", "type": "SCALAR", "scalar": {"value": 128.0}, "role": "*"});
        if let Some(a) = alloc {
            cpus["allocation_info"] = a.clone();
            mem["allocation_info"] = a;
        }
        json!([cpus, mem])
    };
    let scheme = crate::daemon::tls::scheme();
    let expected = |fid: &str, id: &Value, alloc: Option<Value>| {
        let mut o = json!({
            "id": id, "framework_id": {"value": fid}, "agent_id": {"value": "A"},
            "hostname": "10.0.0.1",
            "url": {"scheme": scheme,
                "address": {"hostname": "10.0.0.1", "ip": "10.0.0.1", "port": 5051},
                "path": "/slave(1)"},
            "resources": res(alloc.clone()),
            "attributes": [{"name": "rack", "type": "TEXT", "text": {"value": "r1"}}],
        });
        if let Some(a) = alloc {
            o["allocation_info"] = a;
        }
        o
    };
    assert_eq!(
        offer,
        &expected("F", &offer["id"], Some(json!({"role": "web"}))),
        "{offer}"
    );
    assert_eq!(ev[0]["type"], "OFFERS");

    // A single-role framework: no allocation_info anywhere.
    super::core::teardown_framework(&m, "F", "test");
    let info = json!({"user": "u", "name": "S", "id": {"value": "S"}});
    let mut fw = super::core::framework_from_json("S", &info, 0.0, true);
    let (tx, mut single) = tokio::sync::mpsc::unbounded_channel();
    fw.stream = Some(super::state::Stream { id: "s".into(), tx });
    m.lock().frameworks.insert("S".into(), fw);
    super::allocator::allocate(&m);
    let ev = events(&mut single);
    let offer = &ev[0]["offers"]["offers"][0];
    assert_eq!(offer, &expected("S", &offer["id"], None), "{offer}");
}
