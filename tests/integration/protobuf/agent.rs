//! The agent's operator answers whose payloads were opaque in protobuf
//! before (a container's `resource_statistics`, operations, resource
//! providers) carry in protobuf what the JSON answer carries.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{json, Value};

use super::{json_call, protobuf_call};
use crate::common::cluster::{start_agent, start_master, Daemon};
use crate::common::sched::{command_task, res, subscribe_json, JsonCalls};
use mesos::http::{HttpClient, HttpOptions};

const DEADLINE: Duration = Duration::from_secs(60);

fn both(agent: &Daemon, name: &str, ty: i32) -> (Value, Value) {
    let json_answer = json_call(agent, "/api/v1", json!({ "type": name }));
    let pb = protobuf_call(agent, "/api/v1", ty);
    let pb_answer = mesos::wire::proto::to_json("mesos.v1.agent.Response", &pb)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    (json_answer, pb_answer)
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_answers_in_protobuf_carry_statistics_operations_and_providers() {
    let master = tokio::task::block_in_place(|| start_master(&[]));
    let agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let url = reqwest::Url::parse(&master.url()).unwrap();
    let http = HttpClient::new(&HttpOptions::default()).unwrap();
    let info = json!({"user": "tester", "name": "protobuf-agent-answers"});
    let (s, mut ev, _) = subscribe_json(&http, &url, info).await.unwrap();
    let running = tokio::time::timeout(DEADLINE, async {
        let mut launched = false;
        loop {
            let e = ev.next_json().await.unwrap().expect("stream open");
            if e["type"] == "OFFERS" && !launched {
                let offer = &e["offers"]["offers"][0];
                let task = command_task(
                    "pb-sleep",
                    "pb-sleep",
                    &offer["agent_id"],
                    "sleep 120",
                    res(0.1, 32.0),
                );
                s.launch_json(&[offer["id"].clone()], vec![task], 0.0)
                    .await
                    .unwrap();
                launched = true;
            }
            if e["type"] == "UPDATE" {
                let st = e["update"]["status"].clone();
                if st.get("uuid").is_some() {
                    s.acknowledge_json(&st).await.unwrap();
                }
                if st["state"] == "TASK_RUNNING" {
                    return st;
                }
                assert_eq!(st["state"], "TASK_STARTING", "{st}");
            }
        }
    })
    .await
    .expect("TASK_RUNNING in time");
    assert_eq!(running["task_id"]["value"], "pb-sleep");

    // GET_CONTAINERS: statistics are sampled per call, so the values may
    // differ (and, rarely, which optional fields a sample has: a few
    // samples are allowed to find two alike); the containers and the
    // statistics' fields must not.
    let mut last = String::new();
    let mut matched = false;
    for _ in 0..10 {
        let (js, pb) = tokio::task::block_in_place(|| both(&agent, "GET_CONTAINERS", 10));
        let js_c = js["get_containers"]["containers"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let pb_c = pb["get_containers"]["containers"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(js_c.len(), 1, "{js}");
        assert_eq!(pb_c.len(), 1, "{pb}");
        let strip = |c: &Value| {
            let mut c = c.clone();
            c.as_object_mut().unwrap().remove("resource_statistics");
            c
        };
        assert_eq!(
            strip(&pb_c[0]),
            strip(&js_c[0]),
            "\njson: {js}\nprotobuf: {pb}"
        );
        let js_stats = keys(&js_c[0]["resource_statistics"]);
        assert!(js_stats.contains("timestamp"), "{js}");
        assert!(js_stats.len() > 1, "statistics beyond the timestamp: {js}");
        if keys(&pb_c[0]["resource_statistics"]) == js_stats {
            matched = true;
            break;
        }
        last = format!("\njson: {js}\nprotobuf: {pb}");
    }
    assert!(
        matched,
        "the protobuf statistics never had the JSON's fields:{last}"
    );

    for (name, ty) in [("GET_OPERATIONS", 31), ("GET_RESOURCE_PROVIDERS", 26)] {
        let (js, pb) = tokio::task::block_in_place(|| both(&agent, name, ty));
        assert_eq!(pb, js, "{name}");
    }
}
