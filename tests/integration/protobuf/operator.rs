//! The master's operator calls whose payloads are weights, roles, quota,
//! maintenance and operations, in `application/x-protobuf`: every such
//! answer carries what the JSON answer carries (decoded by the project's
//! reader and, for weights and the schedule, by hand-written `prost`
//! messages), and every such change sent as protobuf (hand-written
//! `prost` calls, independent of the daemons' descriptor-driven codec) has
//! the effect of the JSON call.

use prost::Message;
use serde_json::{json, Value};

use super::{json_call, protobuf_call, PB};
use crate::common::cluster::{start_master, Daemon};
use crate::common::daemons::request;

// --- hand-written messages (field numbers of Mesos 1.x) ----------------------

#[derive(Clone, PartialEq, Message)]
struct WeightInfo {
    #[prost(double, tag = "1")]
    weight: f64,
    #[prost(string, optional, tag = "2")]
    role: Option<String>,
}

#[derive(Clone, PartialEq, Message)]
struct Weights {
    #[prost(message, repeated, tag = "1")]
    weight_infos: Vec<WeightInfo>,
}

#[derive(Clone, PartialEq, Message)]
struct Nanos {
    #[prost(int64, tag = "1")]
    nanoseconds: i64,
}

#[derive(Clone, PartialEq, Message)]
struct MachineId {
    #[prost(string, optional, tag = "1")]
    hostname: Option<String>,
    #[prost(string, optional, tag = "2")]
    ip: Option<String>,
}

#[derive(Clone, PartialEq, Message)]
struct Unavailability {
    #[prost(message, optional, tag = "1")]
    start: Option<Nanos>,
    #[prost(message, optional, tag = "2")]
    duration: Option<Nanos>,
}

#[derive(Clone, PartialEq, Message)]
struct Window {
    #[prost(message, repeated, tag = "1")]
    machine_ids: Vec<MachineId>,
    #[prost(message, optional, tag = "2")]
    unavailability: Option<Unavailability>,
}

#[derive(Clone, PartialEq, Message)]
struct Schedule {
    #[prost(message, repeated, tag = "1")]
    windows: Vec<Window>,
}

/// `UpdateMaintenanceSchedule` and `GetMaintenanceSchedule` (both
/// `schedule = 1`).
#[derive(Clone, PartialEq, Message)]
struct WithSchedule {
    #[prost(message, optional, tag = "1")]
    schedule: Option<Schedule>,
}

#[derive(Clone, PartialEq, Message)]
struct Machines {
    #[prost(message, repeated, tag = "1")]
    machines: Vec<MachineId>,
}

#[derive(Clone, PartialEq, Message)]
struct Scalar {
    #[prost(double, tag = "1")]
    value: f64,
}

#[derive(Clone, PartialEq, Message)]
struct QuotaConfig {
    #[prost(string, tag = "1")]
    role: String,
    #[prost(btree_map = "string, message", tag = "2")]
    guarantees: std::collections::BTreeMap<String, Scalar>,
    #[prost(btree_map = "string, message", tag = "3")]
    limits: std::collections::BTreeMap<String, Scalar>,
}

#[derive(Clone, PartialEq, Message)]
struct UpdateQuota {
    #[prost(bool, optional, tag = "1")]
    force: Option<bool>,
    #[prost(message, repeated, tag = "2")]
    quota_configs: Vec<QuotaConfig>,
}

#[derive(Clone, PartialEq, Message)]
struct Resource {
    #[prost(string, tag = "1")]
    name: String,
    #[prost(int32, optional, tag = "2")]
    r#type: Option<i32>,
    #[prost(message, optional, tag = "3")]
    scalar: Option<Scalar>,
}

#[derive(Clone, PartialEq, Message)]
struct QuotaRequest {
    #[prost(bool, optional, tag = "1")]
    force: Option<bool>,
    #[prost(string, optional, tag = "2")]
    role: Option<String>,
    #[prost(message, repeated, tag = "3")]
    guarantee: Vec<Resource>,
}

#[derive(Clone, PartialEq, Message)]
struct SetQuota {
    #[prost(message, optional, tag = "1")]
    quota_request: Option<QuotaRequest>,
}

#[derive(Clone, PartialEq, Message)]
struct RemoveQuota {
    #[prost(string, tag = "1")]
    role: String,
}

/// `mesos.v1.master.Call` with the change payloads this test sends.
#[derive(Clone, PartialEq, Message)]
struct ChangeCall {
    #[prost(int32, optional, tag = "1")]
    r#type: Option<i32>,
    #[prost(message, optional, tag = "6")]
    update_weights: Option<Weights>,
    #[prost(message, optional, tag = "11")]
    update_maintenance_schedule: Option<WithSchedule>,
    #[prost(message, optional, tag = "12")]
    start_maintenance: Option<Machines>,
    #[prost(message, optional, tag = "13")]
    stop_maintenance: Option<Machines>,
    #[prost(message, optional, tag = "14")]
    set_quota: Option<SetQuota>,
    #[prost(message, optional, tag = "15")]
    remove_quota: Option<RemoveQuota>,
    #[prost(message, optional, tag = "20")]
    update_quota: Option<UpdateQuota>,
}

/// `mesos.v1.master.Response` with the answers read here by hand.
#[derive(Clone, PartialEq, Message)]
struct ReadResponse {
    #[prost(int32, optional, tag = "1")]
    r#type: Option<i32>,
    #[prost(message, optional, tag = "15")]
    get_weights: Option<Weights>,
    #[prost(message, optional, tag = "18")]
    get_maintenance_schedule: Option<WithSchedule>,
}

// Call types.
const GET_OPERATIONS: i32 = 33;
const GET_ROLES: i32 = 14;
const GET_WEIGHTS: i32 = 15;
const UPDATE_WEIGHTS: i32 = 16;
const GET_MAINTENANCE_STATUS: i32 = 23;
const GET_MAINTENANCE_SCHEDULE: i32 = 24;
const UPDATE_MAINTENANCE_SCHEDULE: i32 = 25;
const START_MAINTENANCE: i32 = 26;
const STOP_MAINTENANCE: i32 = 27;
const GET_QUOTA: i32 = 28;
const SET_QUOTA: i32 = 29;
const REMOVE_QUOTA: i32 = 30;
const UPDATE_QUOTA: i32 = 36;

// --- helpers -------------------------------------------------------------------

/// Numbers as `f64` (the JSON writer and the protobuf reader may differ
/// in integer vs float spelling of the same value).
fn normalized(v: &Value) -> Value {
    match v {
        Value::Number(n) => json!(n.as_f64().unwrap()),
        Value::Array(a) => Value::Array(a.iter().map(normalized).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (k.clone(), normalized(v))).collect())
        }
        other => other.clone(),
    }
}

/// The answer to `call_type` in JSON and in protobuf (read back as the
/// JSON mapping); asserts they are the same value and returns it.
fn same_in_both(master: &Daemon, name: &str, call_type: i32) -> Value {
    let json_answer = json_call(master, "/api/v1", json!({ "type": name }));
    let pb = protobuf_call(master, "/api/v1", call_type);
    let pb_answer = mesos::wire::proto::to_json("mesos.v1.master.Response", &pb)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        normalized(&pb_answer),
        normalized(&json_answer),
        "{name}: the protobuf answer differs from the JSON answer"
    );
    json_answer
}

/// A protobuf change call: `200`.
fn send(master: &Daemon, call: ChangeCall) {
    let r = request(
        &master.addr(),
        "POST",
        "/api/v1",
        &[("Content-Type", PB), ("Accept", PB)],
        &call.encode_to_vec(),
    );
    assert_eq!(r.status, 200, "{:?}: {}", call.r#type, r.text());
}

fn machine(h: &str, ip: &str) -> MachineId {
    MachineId {
        hostname: Some(h.into()),
        ip: Some(ip.into()),
    }
}

const START_NS: i64 = 1_900_000_000_000_000_000;
const HOUR_NS: i64 = 3_600_000_000_000;

fn schedule() -> Schedule {
    Schedule {
        windows: vec![
            Window {
                machine_ids: vec![machine("m1", "10.0.0.1")],
                unavailability: Some(Unavailability {
                    start: Some(Nanos {
                        nanoseconds: START_NS,
                    }),
                    duration: Some(Nanos {
                        nanoseconds: HOUR_NS,
                    }),
                }),
            },
            Window {
                machine_ids: vec![machine("m2", "10.0.0.2")],
                unavailability: Some(Unavailability {
                    start: Some(Nanos {
                        nanoseconds: START_NS + HOUR_NS,
                    }),
                    duration: None,
                }),
            },
        ],
    }
}

// --- the tests -------------------------------------------------------------------

#[test]
fn protobuf_operator_changes_have_the_json_effect_and_answers_carry_the_json_payloads() {
    let master = start_master(&[]);

    // Before any change: the empty answers agree too.
    for (name, ty) in [
        ("GET_WEIGHTS", GET_WEIGHTS),
        ("GET_QUOTA", GET_QUOTA),
        ("GET_MAINTENANCE_SCHEDULE", GET_MAINTENANCE_SCHEDULE),
        ("GET_MAINTENANCE_STATUS", GET_MAINTENANCE_STATUS),
        ("GET_OPERATIONS", GET_OPERATIONS),
        ("GET_ROLES", GET_ROLES),
    ] {
        same_in_both(&master, name, ty);
    }

    // UPDATE_WEIGHTS in protobuf, read back in JSON, protobuf and by hand.
    send(
        &master,
        ChangeCall {
            r#type: Some(UPDATE_WEIGHTS),
            update_weights: Some(Weights {
                weight_infos: vec![WeightInfo {
                    weight: 2.5,
                    role: Some("web".into()),
                }],
            }),
            ..Default::default()
        },
    );
    let w = same_in_both(&master, "GET_WEIGHTS", GET_WEIGHTS);
    assert_eq!(
        w["get_weights"]["weight_infos"],
        json!([{"role": "web", "weight": 2.5}]),
        "{w}"
    );
    let hand = ReadResponse::decode(&protobuf_call(&master, "/api/v1", GET_WEIGHTS)[..]).unwrap();
    assert_eq!(
        hand.get_weights.unwrap().weight_infos,
        vec![WeightInfo {
            weight: 2.5,
            role: Some("web".into())
        }]
    );
    let roles = same_in_both(&master, "GET_ROLES", GET_ROLES);
    let web = roles["get_roles"]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "web")
        .cloned();
    assert_eq!(
        web.map(|r| r["weight"].clone()),
        Some(json!(2.5)),
        "{roles}"
    );

    // UPDATE_MAINTENANCE_SCHEDULE, START_MAINTENANCE, STOP_MAINTENANCE.
    send(
        &master,
        ChangeCall {
            r#type: Some(UPDATE_MAINTENANCE_SCHEDULE),
            update_maintenance_schedule: Some(WithSchedule {
                schedule: Some(schedule()),
            }),
            ..Default::default()
        },
    );
    let s = same_in_both(
        &master,
        "GET_MAINTENANCE_SCHEDULE",
        GET_MAINTENANCE_SCHEDULE,
    );
    assert_eq!(
        s["get_maintenance_schedule"]["schedule"]["windows"][1]["machine_ids"],
        json!([{"hostname": "m2", "ip": "10.0.0.2"}]),
        "{s}"
    );
    assert_eq!(
        s["get_maintenance_schedule"]["schedule"]["windows"][0]["unavailability"]["duration"]
            ["nanoseconds"]
            .as_i64(),
        Some(HOUR_NS),
        "{s}"
    );
    let hand =
        ReadResponse::decode(&protobuf_call(&master, "/api/v1", GET_MAINTENANCE_SCHEDULE)[..])
            .unwrap();
    assert_eq!(
        hand.get_maintenance_schedule.and_then(|s| s.schedule),
        Some(schedule()),
        "the schedule round-trips through protobuf unchanged"
    );
    send(
        &master,
        ChangeCall {
            r#type: Some(START_MAINTENANCE),
            start_maintenance: Some(Machines {
                machines: vec![machine("m1", "10.0.0.1")],
            }),
            ..Default::default()
        },
    );
    let st = same_in_both(&master, "GET_MAINTENANCE_STATUS", GET_MAINTENANCE_STATUS);
    assert_eq!(
        st["get_maintenance_status"]["status"]["down_machines"],
        json!([{"hostname": "m1", "ip": "10.0.0.1"}]),
        "{st}"
    );
    assert_eq!(
        st["get_maintenance_status"]["status"]["draining_machines"][0]["id"],
        json!({"hostname": "m2", "ip": "10.0.0.2"}),
        "{st}"
    );
    send(
        &master,
        ChangeCall {
            r#type: Some(STOP_MAINTENANCE),
            stop_maintenance: Some(Machines {
                machines: vec![machine("m1", "10.0.0.1")],
            }),
            ..Default::default()
        },
    );
    let st = same_in_both(&master, "GET_MAINTENANCE_STATUS", GET_MAINTENANCE_STATUS);
    assert!(
        st["get_maintenance_status"]["status"]
            .get("down_machines")
            .is_none(),
        "{st}"
    );
    same_in_both(
        &master,
        "GET_MAINTENANCE_SCHEDULE",
        GET_MAINTENANCE_SCHEDULE,
    );

    // UPDATE_QUOTA (guarantees and limits are maps), SET_QUOTA, REMOVE_QUOTA.
    send(
        &master,
        ChangeCall {
            r#type: Some(UPDATE_QUOTA),
            update_quota: Some(UpdateQuota {
                force: Some(true),
                quota_configs: vec![QuotaConfig {
                    role: "web".into(),
                    guarantees: [("cpus".to_string(), Scalar { value: 0.5 })].into(),
                    limits: [
                        ("cpus".to_string(), Scalar { value: 2.0 }),
                        ("mem".to_string(), Scalar { value: 512.0 }),
                    ]
                    .into(),
                }],
            }),
            ..Default::default()
        },
    );
    let q = same_in_both(&master, "GET_QUOTA", GET_QUOTA);
    let configs = &q["get_quota"]["status"]["configs"];
    assert_eq!(configs[0]["role"], "web", "{q}");
    assert_eq!(configs[0]["guarantees"]["cpus"]["value"], json!(0.5), "{q}");
    assert_eq!(configs[0]["limits"]["mem"]["value"], json!(512.0), "{q}");
    send(
        &master,
        ChangeCall {
            r#type: Some(SET_QUOTA),
            set_quota: Some(SetQuota {
                quota_request: Some(QuotaRequest {
                    force: Some(true),
                    role: Some("batch".into()),
                    guarantee: vec![Resource {
                        name: "cpus".into(),
                        r#type: Some(0),
                        scalar: Some(Scalar { value: 1.0 }),
                    }],
                }),
            }),
            ..Default::default()
        },
    );
    let q = same_in_both(&master, "GET_QUOTA", GET_QUOTA);
    let roles_with_quota = |q: &Value| -> Vec<String> {
        let mut v: Vec<String> = q["get_quota"]["status"]["configs"]
            .as_array()
            .map(|a| a.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|c| c["role"].as_str().unwrap_or("").to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(roles_with_quota(&q), ["batch", "web"], "{q}");
    send(
        &master,
        ChangeCall {
            r#type: Some(REMOVE_QUOTA),
            remove_quota: Some(RemoveQuota {
                role: "batch".into(),
            }),
            ..Default::default()
        },
    );
    let q = same_in_both(&master, "GET_QUOTA", GET_QUOTA);
    assert_eq!(roles_with_quota(&q), ["web"], "{q}");
    same_in_both(&master, "GET_ROLES", GET_ROLES);
    same_in_both(&master, "GET_OPERATIONS", GET_OPERATIONS);
}

#[test]
fn a_protobuf_change_without_its_payload_is_the_json_400() {
    let master = start_master(&[]);
    for (name, ty, key) in [
        (
            "UPDATE_MAINTENANCE_SCHEDULE",
            UPDATE_MAINTENANCE_SCHEDULE,
            "update_maintenance_schedule",
        ),
        ("SET_QUOTA", SET_QUOTA, "set_quota"),
        ("REMOVE_QUOTA", REMOVE_QUOTA, "remove_quota"),
    ] {
        let pb = request(
            &master.addr(),
            "POST",
            "/api/v1",
            &[("Content-Type", PB)],
            &ChangeCall {
                r#type: Some(ty),
                ..Default::default()
            }
            .encode_to_vec(),
        );
        let js = request(
            &master.addr(),
            "POST",
            "/api/v1",
            &[("Content-Type", "application/json")],
            json!({ "type": name }).to_string().as_bytes(),
        );
        assert_eq!(pb.status, 400, "{name}: {}", pb.text());
        assert_eq!((pb.status, pb.text()), (js.status, js.text()), "{name}");
        assert!(pb.text().contains(key), "{name}: {}", pb.text());
    }
}

#[derive(Clone, PartialEq, Message)]
struct FrameworkId {
    #[prost(string, tag = "1")]
    value: String,
}

#[derive(Clone, PartialEq, Message)]
struct Teardown {
    #[prost(message, optional, tag = "1")]
    framework_id: Option<FrameworkId>,
}

#[derive(Clone, PartialEq, Message)]
struct TeardownCall {
    #[prost(int32, optional, tag = "1")]
    r#type: Option<i32>,
    #[prost(message, optional, tag = "16")]
    teardown: Option<Teardown>,
}

const TEARDOWN: i32 = 31;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_protobuf_operator_teardown_removes_the_framework() {
    use crate::common::sched::subscribe_json;
    use mesos::http::{HttpClient, HttpOptions};
    let master = tokio::task::block_in_place(|| start_master(&[]));
    let url = reqwest::Url::parse(&master.url()).unwrap();
    let http = HttpClient::new(&HttpOptions::default()).unwrap();
    let info = json!({"user": "tester", "name": "torn-down-in-protobuf"});
    let (s, _ev, _) = subscribe_json(&http, &url, info).await.unwrap();
    let fid = s.framework_id.clone();
    let teardown = |fid: &str| {
        let body = TeardownCall {
            r#type: Some(TEARDOWN),
            teardown: Some(Teardown {
                framework_id: Some(FrameworkId { value: fid.into() }),
            }),
        }
        .encode_to_vec();
        request(
            &master.addr(),
            "POST",
            "/api/v1",
            &[("Content-Type", PB)],
            &body,
        )
    };
    // An unknown framework: the JSON call's 400.
    let r = tokio::task::block_in_place(|| teardown("no-such-framework"));
    assert_eq!(
        (r.status, r.text()),
        (400, "No framework found with specified ID".to_string())
    );
    let r = tokio::task::block_in_place(|| teardown(&fid));
    assert_eq!(r.status, 200, "{}", r.text());
    let state = tokio::task::block_in_place(|| {
        json_call(&master, "/api/v1", json!({"type": "GET_FRAMEWORKS"}))
    });
    let ids = |key: &str| -> Vec<String> {
        state["get_frameworks"][key]
            .as_array()
            .map(|a| a.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|f| {
                f["framework_info"]["id"]["value"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    };
    assert!(!ids("frameworks").contains(&fid), "{state}");
    assert!(ids("completed_frameworks").contains(&fid), "{state}");
}
