//! The master's real-Mesos fidelity over real processes: maintenance with
//! inverse offers to a running scheduler, machine down/up with the agent
//! removed and refused, counters that move (acknowledgements, messages,
//! registrar), quota guarantees honoured by offers, and the agent's
//! `/logging/toggle`, `/__processes__` and `.json` aliases flag
//! (docs/wire-notes.md#maintenance, #quota-and-weights, #master-metrics).

use std::time::Duration;

use crate::common::sched::{command_task, subscribe_json, Events, JsonCalls, Scheduler};
use mesos::http::{HttpClient, HttpOptions};
use serde_json::{json, Value};

use crate::common::cluster::{agent_count, get_json, start_agent, start_master, Daemon};
use crate::common::daemons::request;
use crate::common::sched::{next_of, res};
use crate::common::wait_until;

fn client() -> HttpClient {
    HttpClient::new(&HttpOptions::default()).unwrap()
}

fn post(d: &Daemon, path: &str, body: &Value) -> (u16, String) {
    let r = request(
        &d.addr(),
        "POST",
        path,
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    );
    (r.status, r.text())
}

fn metric(master: &Daemon, key: &str) -> f64 {
    get_json(&format!("{}/metrics/snapshot", master.url()))[key]
        .as_f64()
        .unwrap_or_else(|| panic!("no {key} in /metrics/snapshot"))
}

/// The machine of an agent started by `start_agent` (hostname = IP).
fn local_machine() -> Value {
    json!({"hostname": "127.0.0.1", "ip": "127.0.0.1"})
}

/// Next OFFERS event whose first offer satisfies `want`; others are
/// declined for a moment so they come back.
async fn next_offer(s: &Scheduler, ev: &mut Events, want: impl Fn(&Value) -> bool) -> Value {
    loop {
        let e = next_of(ev, &["OFFERS"]).await;
        let offers = e["offers"]["offers"].as_array().unwrap().clone();
        if let Some(o) = offers.iter().find(|o| want(o)) {
            return o.clone();
        }
        let ids: Vec<Value> = offers.iter().map(|o| o["id"].clone()).collect();
        s.decline_json(&ids, 0.1).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draining_machine_gets_inverse_offers_and_down_removes_its_agent() {
    let master = start_master(&["--allocation_interval=100ms"]);
    let agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let url = reqwest::Url::parse(&master.url()).unwrap();
    let info = json!({"user": "tester", "name": "maint"});
    let (s, mut ev, _) = subscribe_json(&client(), &url, info).await.unwrap();
    let offer = next_offer(&s, &mut ev, |_| true).await;
    let task = command_task(
        "long",
        "long",
        &offer["agent_id"],
        "sleep 120",
        res(0.1, 32.0),
    );
    s.launch_json(&[offer["id"].clone()], vec![task], 0.0)
        .await
        .unwrap();
    let valid_before = metric(&master, "master/valid_status_update_acknowledgements");
    loop {
        let u = next_of(&mut ev, &["UPDATE"]).await;
        s.acknowledge_json(&u["update"]["status"]).await.unwrap();
        if u["update"]["status"]["state"] == "TASK_RUNNING" {
            break;
        }
    }
    // Acknowledgements are counted as they are forwarded to the agent.
    tokio::task::block_in_place(|| {
        wait_until(
            Duration::from_secs(30),
            "valid acknowledgements counted",
            || metric(&master, "master/valid_status_update_acknowledgements") > valid_before,
        )
    });
    // An acknowledgement of a task the master does not know is invalid.
    let invalid_before = metric(&master, "master/invalid_status_update_acknowledgements");
    s.call_json(json!({"type": "ACKNOWLEDGE", "acknowledge": {
        "agent_id": offer["agent_id"], "task_id": {"value": "nope"},
        "uuid": "q83vEjRWeJASNFZ4kBI0Vg=="}}))
        .await
        .unwrap();
    assert_eq!(
        metric(&master, "master/invalid_status_update_acknowledgements"),
        invalid_before + 1.0
    );
    assert!(metric(&master, "master/messages_status_update_acknowledgement") >= 2.0);
    assert!(metric(&master, "master/messages_launch_tasks") >= 1.0);
    assert_eq!(metric(&master, "master/messages_register_framework"), 1.0);
    assert!(metric(&master, "master/messages_register_slave") >= 1.0);

    // Schedule the agent's machine: the framework running a task there
    // gets an inverse offer, and offers of the agent carry the window.
    let start_ns = 4_000_000_000_000_000_000i64;
    let schedule = json!({"windows": [{"machine_ids": [local_machine()],
        "unavailability": {"start": {"nanoseconds": start_ns}, "duration": {"nanoseconds": 3_600_000_000_000i64}}}]});
    let (code, body) = post(&master, "/master/maintenance/schedule", &schedule);
    assert_eq!(code, 200, "{body}");
    let inverse = next_of(&mut ev, &["INVERSE_OFFERS"]).await;
    let io = &inverse["inverse_offers"]["inverse_offers"][0];
    assert_eq!(io["agent_id"], offer["agent_id"]);
    assert_eq!(io["unavailability"]["start"]["nanoseconds"], start_ns);
    let marked = next_offer(&s, &mut ev, |o| o.get("unavailability").is_some()).await;
    assert_eq!(marked["unavailability"]["start"]["nanoseconds"], start_ns);

    // The answer shows in the maintenance status.
    s.call_json(json!({"type": "ACCEPT_INVERSE_OFFERS",
        "accept_inverse_offers": {"inverse_offer_ids": [io["id"]]}}))
        .await
        .unwrap();
    let status_url = format!("{}/master/maintenance/status", master.url());
    let framework_id = io["framework_id"]["value"].as_str().unwrap().to_string();
    tokio::task::block_in_place(|| {
        wait_until(Duration::from_secs(30), "ACCEPT in the status", || {
            let st = get_json(&status_url);
            let s = &st["draining_machines"][0]["statuses"][0];
            s["status"] == "ACCEPT" && s["framework_id"]["value"] == framework_id.as_str()
        })
    });

    // Down: the agent is removed (its task lost) and may not come back.
    let (code, body) = post(&master, "/master/machine/down", &json!([local_machine()]));
    assert_eq!(code, 200, "{body}");
    let lost = loop {
        let u = next_of(&mut ev, &["UPDATE"]).await;
        if u["update"]["status"]["task_id"]["value"] == "long" {
            break u;
        }
    };
    assert_eq!(lost["update"]["status"]["state"], "TASK_LOST");
    assert_eq!(
        metric(&master, "master/slave_removals/reason_registered"),
        1.0
    );
    tokio::task::block_in_place(|| {
        wait_until(Duration::from_secs(60), "the DOWN agent refused", || {
            master.log().contains("Refusing registration of agent")
        })
    });
    assert_eq!(agent_count(&master), 0);
    let st = get_json(&status_url);
    assert_eq!(st, json!({"down_machines": [local_machine()]}));

    // Up: out of the schedule, and the agent registers again.
    let (code, body) = post(&master, "/master/machine/up", &json!([local_machine()]));
    assert_eq!(code, 200, "{body}");
    tokio::task::block_in_place(|| {
        wait_until(Duration::from_secs(60), "the agent back", || {
            agent_count(&master) == 1
        })
    });
    assert_eq!(get_json(&status_url), json!({}));
    assert!(metric(&master, "registrar/state_store_ms/count") >= 3.0);
    drop(agent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quota_guarantee_is_kept_from_other_roles() {
    let master = start_master(&["--allocation_interval=100ms"]);
    let _agent = tokio::task::block_in_place(|| {
        start_agent(&master, &["--resources=cpus:4;mem:1024;disk:1024"])
    });
    let (code, body) = post(
        &master,
        "/api/v1",
        &json!({"type": "UPDATE_QUOTA", "update_quota": {"quota_configs": [
            {"role": "dev", "guarantees": {"cpus": {"value": 3}}}]}}),
    );
    assert_eq!(code, 200, "{body}");
    let url = reqwest::Url::parse(&master.url()).unwrap();
    // A framework of another role is offered only what the guarantee spares.
    let other = json!({"user": "tester", "name": "other", "roles": ["web"],
        "capabilities": [{"type": "MULTI_ROLE"}]});
    let (s, mut ev, _) = subscribe_json(&client(), &url, other).await.unwrap();
    let e = next_of(&mut ev, &["OFFERS"]).await;
    let cpus: f64 = e["offers"]["offers"][0]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["name"] == "cpus")
        .map(|r| r["scalar"]["value"].as_f64().unwrap())
        .sum();
    assert!((cpus - 1.0).abs() < 1e-6, "offered {cpus} cpus: {e}");
    // The quota role gets the rest.
    let dev = json!({"user": "tester", "name": "dev", "roles": ["dev"],
        "capabilities": [{"type": "MULTI_ROLE"}]});
    let (_d, mut dev_ev, _) = subscribe_json(&client(), &url, dev).await.unwrap();
    let e = next_of(&mut dev_ev, &["OFFERS"]).await;
    let offer = &e["offers"]["offers"][0];
    assert_eq!(offer["allocation_info"]["role"], "dev");
    let cpus: f64 = offer["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["name"] == "cpus")
        .map(|r| r["scalar"]["value"].as_f64().unwrap())
        .sum();
    assert!((cpus - 3.0).abs() < 1e-6, "offered {cpus} cpus to dev: {e}");
    drop(s);
}

#[test]
fn agent_logging_toggle_processes_and_json_alias_flag() {
    let master = start_master(&["--no-json_endpoint_aliases"]);
    let agent = start_agent(&master, &["--no-json_endpoint_aliases"]);
    let get = |d: &Daemon, path: &str| request(&d.addr(), "GET", path, &[], b"");
    for d in [&master, &agent] {
        let r = get(d, "/logging/toggle?duration=1secs");
        assert_eq!(
            (r.status, r.text()),
            (400, "Expecting 'level=value' in query.\n".into())
        );
        let r = get(d, "/logging/toggle?level=1&duration=2mins");
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(get(d, "/logging/toggle").text(), "1\n");
        let p = get(d, "/__processes__").json();
        assert!(
            p.as_array().unwrap().iter().any(|x| x["id"] == "metrics"),
            "{p}"
        );
        assert_eq!(get(d, "/state.json").status, 404);
        assert_eq!(get(d, "/state").status, 200);
    }
    let f = get(&master, "/master/flags").json();
    assert_eq!(f["flags"]["json_endpoint_aliases"], "false");
    assert_eq!(f["flags"]["allocator"], "hierarchical");
}
