//! The minimal inputs the fuzz targets found, kept as plain tests so each
//! fix stays fixed whatever seed a run uses (docs/security.md, "Fuzzing").

use axum::body::Body;
use axum::http::{Request, StatusCode};
use mesos::leader::spec::{parse_master_spec, redact_spec};
use mesos::resources::{attributes_from_v1, attributes_v1, parse_attributes, Resources};
use serde_json::json;
use tower::ServiceExt as _;

#[test]
fn update_framework_with_a_non_object_framework_info_is_no_panic() {
    let m = crate::calls::master();
    let app = mesos::master::router::router(m.clone(), &mesos::daemon::auth::HttpAuth::off());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let sub = json!({"type": "SUBSCRIBE", "subscribe": {"framework_info": {"user": "u", "name": "n"}}});
        let resp = app
            .clone()
            .oneshot(crate::calls::post("/master/api/v1/scheduler", sub.to_string().into_bytes(), None))
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let sid = resp.headers()["mesos-stream-id"].to_str().unwrap().to_string();
        let fid = m.lock().frameworks.keys().next().unwrap().clone();
        let call = json!({"type": "UPDATE_FRAMEWORK", "framework_id": {"value": fid},
                          "update_framework": {"framework_info": []}});
        let r = app
            .clone()
            .oneshot(crate::calls::post("/master/api/v1/scheduler", call.to_string().into_bytes(), Some(&sid)))
            .await
            .unwrap();
        assert!(!r.status().is_server_error(), "{}", r.status());
        // The master still answers.
        let r = app
            .oneshot(Request::get("/master/state").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        drop(resp);
    });
}

#[test]
fn negative_and_huge_scalars_are_refused() {
    let cpus =
        |v: serde_json::Value| json!([{"name": "cpus", "type": "SCALAR", "scalar": {"value": v}}]);
    for bad in [
        json!(-1),
        json!(-1e300),
        json!("NaN"),
        json!("inf"),
        json!(1e300),
    ] {
        let e = Resources::from_v1_json(&cpus(bad.clone())).unwrap_err();
        assert!(
            e.contains("cpus") && e.contains("non-negative"),
            "{bad}: {e}"
        );
    }
    assert_eq!(
        Resources::from_v1_json(&cpus(json!(0.5)))
            .unwrap()
            .scalar("cpus"),
        0.5
    );
    let e = Resources::parse("cpus:0.51e308", "*").unwrap_err();
    assert!(e.contains("cpus"), "{e}");
    assert!(parse_attributes("bpus:0.51e308").is_err());
}

#[test]
fn json_ranges_need_integer_bounds_in_order() {
    let ports = |b: serde_json::Value, e: serde_json::Value| json!([{"name": "ports", "type": "RANGES", "ranges": {"range": [{"begin": b, "end": e}]}}]);
    for (b, e) in [
        (json!(5), json!(1)),
        (json!(-1), json!(3)),
        (json!(1.5), json!(3)),
        (json!("x"), json!(3)),
    ] {
        assert!(
            Resources::from_v1_json(&ports(b.clone(), e.clone())).is_err(),
            "{b}-{e}"
        );
    }
    let ok = Resources::from_v1_json(&ports(json!(31000), json!("31005"))).unwrap();
    assert_eq!(ok.ranges("ports"), vec![(31000, 31005)]);
}

#[test]
fn attribute_ranges_keep_their_exact_bounds() {
    let attrs = parse_attributes("ports:[31000-31000, 31002-18407370955161531010]").unwrap();
    let back = attributes_from_v1(&serde_json::Value::Array(attributes_v1(&attrs)));
    assert_eq!(back, attrs);
}

#[test]
fn passwords_of_unparsable_specs_are_redacted() {
    assert_eq!(redact_spec("http://:Pw7Q@/mesos"), "http://:***@/mesos");
    assert_eq!(
        redact_spec("u:pw@h:0,http://v:pw2@h2"),
        "u:***@h:0,http://v:***@h2"
    );
    let e = parse_master_spec("http://u:hunter2@h:0", "http").unwrap_err();
    assert!(!e.message.contains("hunter2"), "{}", e.message);
    assert!(e.message.contains("u:***@h:0"), "{}", e.message);
}
