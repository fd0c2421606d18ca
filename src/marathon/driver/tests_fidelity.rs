//! The driver's records for the REST side: deployment saves racing a
//! cancel, the backoff's quiet period, readiness results, offer
//! statistics.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use super::super::health::{poll_readiness, Readiness};
use super::super::offers::{match_offers, record_offers};
use super::super::persist::save_deployment;
use super::super::place::PlaceCtx;
use super::super::plan::LaunchNeed;
use super::{app, deployment, inst, state, update, NOW};
use crate::marathon::core::api::{Api, ApiConfig};
use crate::marathon::core::{persist, Marathon};
use crate::marathon::store::{Store, StoreConfig};
use crate::wire::event::Offer;
use crate::wire::marathon::{ActionKind, PathId};
use crate::wire::task::TaskState;

async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&StoreConfig::Dir(dir.path().to_path_buf()))
        .await
        .unwrap();
    (dir, store)
}

#[tokio::test]
async fn a_deployment_no_longer_under_way_is_not_written_back() {
    let (_dir, store) = store().await;
    let d = deployment(vec![vec![(ActionKind::ScaleApplication, "/a")]], 1);
    let mut st = state(vec![app("/a", 1, "v1")], vec![]);
    st.deployments.push(d.clone());
    let m = Marathon::new(st);
    assert!(save_deployment(&m, &store, &d).await);
    assert_eq!(
        persist::load(&store).await.unwrap().deployments,
        vec![d.clone()]
    );
    // The REST side cancels it (out of the state, then out of the store);
    // a save of the driver's older copy must not bring it back.
    m.lock().deployments.clear();
    persist::delete_deployment(&store, &d.id).await.unwrap();
    assert!(!save_deployment(&m, &store, &d).await);
    assert!(persist::load(&store).await.unwrap().deployments.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancel_racing_the_driver_save_never_leaves_the_deployment_stored() {
    let (_dir, store) = store().await;
    let m = Marathon::new(state(vec![app("/a", 1, "v1")], vec![]));
    let api = Arc::new(Api::new(m.clone(), store.clone(), ApiConfig::default()));
    for n in 0..40 {
        let mut d = deployment(vec![vec![(ActionKind::ScaleApplication, "/a")]], 1);
        d.id = format!("d{n}");
        m.lock().deployments.push(d.clone());
        let (m2, s2) = (m.clone(), store.clone());
        let saver = tokio::spawn(async move { save_deployment(&m2, &s2, &d).await });
        let api2 = api.clone();
        let id = format!("d{n}");
        let cancel = tokio::spawn(async move { api2.cancel_deployment(&id).await });
        saver.await.unwrap();
        cancel.await.unwrap().unwrap();
        let left = persist::load(&store).await.unwrap().deployments;
        assert!(left.is_empty(), "round {n}: {left:?} came back");
    }
}

#[test]
fn the_backoff_starts_over_after_a_quiet_period() {
    let mut a = app("/a", 1, "v1");
    a.backoff_seconds = 1.0;
    a.backoff_factor = 2.0;
    a.max_launch_delay_seconds = 10.0;
    let fail = |st: &mut crate::marathon::core::State, task: &str, at: i64| {
        st.instances.insert(
            task.into(),
            inst(task, "/a", "v1", "TASK_RUNNING", Some(at)),
        );
        super::apply(st, &update(task, TaskState::Failed), at);
        st.delays[&PathId::parse("/a")].ready_at() - at
    };
    let mut st = state(vec![a], vec![]);
    assert_eq!(fail(&mut st, "a.1", NOW), 1000);
    assert_eq!(fail(&mut st, "a.2", NOW + 100), 2000);
    assert_eq!(fail(&mut st, "a.3", NOW + 200), 4000);
    // Quiet for longer than the delay (4 s) + maxLaunchDelaySeconds (10 s).
    let later = NOW + 200 + 14_001;
    assert_eq!(fail(&mut st, "a.4", later), 1000);
    // Within the quiet period it grows again.
    assert_eq!(fail(&mut st, "a.5", later + 500), 2000);
}

/// A one-connection-at-a-time HTTP server answering `status` with `body`.
async fn http_server(status: u16, body: &'static str) -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        loop {
            let Ok((mut s, _)) = l.accept().await else {
                return;
            };
            let mut buf = [0u8; 2048];
            let _ = s.read(&mut buf).await;
            let resp = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = s.write_all(resp.as_bytes()).await;
        }
    });
    format!("http://{addr}/ready")
}

#[tokio::test]
async fn readiness_results_keep_the_last_response_only_when_asked() {
    crate::http::install_crypto_provider();
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = http_server(503, "warming up").await;
    let check = |preserve: bool| Readiness {
        name: "readinessCheck".into(),
        url: url.clone(),
        codes: vec![200],
        interval: Duration::from_secs(1),
        timeout: Duration::from_secs(5),
        preserve,
    };
    let r = poll_readiness(&client, &check(true), "a.1").await;
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({"name": "readinessCheck", "taskId": "a.1", "ready": false,
            "lastResponse": {"status": 503, "contentType": "text/plain", "body": "warming up"}})
    );
    let r = poll_readiness(&client, &check(false), "a.1").await;
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({"name": "readinessCheck", "taskId": "a.1", "ready": false})
    );
    let ok = http_server(200, "ok").await;
    let r = poll_readiness(
        &client,
        &Readiness {
            url: ok,
            ..check(false)
        },
        "a.1",
    )
    .await;
    assert!(r.ready);
}

fn offer(id: &str, cpus: f64) -> Offer {
    serde_json::from_value(json!({
        "id": {"value": id}, "framework_id": {"value": "fw"},
        "agent_id": {"value": "S1"}, "hostname": "h1",
        "resources": [
            {"name": "cpus", "type": "SCALAR", "scalar": {"value": cpus}, "role": "*"},
            {"name": "mem", "type": "SCALAR", "scalar": {"value": 4096.0}, "role": "*"},
            {"name": "ports", "type": "RANGES", "ranges": {"range": [{"begin": 31000, "end": 31009}]}, "role": "*"}
        ],
        "attributes": [{"name": "rack", "type": "TEXT", "text": {"value": "r1"}}]
    }))
    .unwrap()
}

#[test]
fn offers_are_counted_per_app_with_the_reject_reason() {
    let a = app("/a", 2, "v1");
    let mut st = state(vec![a.clone()], vec![]);
    let ctx = PlaceCtx {
        roles: vec!["*".into()],
        ..PlaceCtx::default()
    };
    let mut needs = vec![LaunchNeed { app: a, count: 2 }];
    let offers = [offer("small", 0.5), offer("big", 4.0)];
    let (launches, declines, seen) = match_offers(&st, &offers, &mut needs, 5, &ctx, NOW);
    assert_eq!(launches.len(), 1);
    assert_eq!(declines.len(), 1);
    record_offers(&mut st, seen, NOW);
    let s = &st.offer_stats[&PathId::parse("/a")];
    assert_eq!((s.processed, s.unused), (2, 1));
    assert_eq!((s.last_used_ms, s.last_unused_ms), (Some(NOW), Some(NOW)));
    assert_eq!(s.declined.get("InsufficientCpus"), Some(&1));
    assert_eq!(s.last_unused.len(), 1);
    assert_eq!(s.last_unused[0].offer.id.value, "small");
    assert_eq!(s.last_unused[0].reasons, ["InsufficientCpus"]);
    // A new version starts the counts over.
    let mut b = st.apps[&PathId::parse("/a")].clone();
    b.version = Some("v2".into());
    let mut needs = vec![LaunchNeed { app: b, count: 1 }];
    let (_, _, seen) = match_offers(&st, &[offer("small2", 0.5)], &mut needs, 5, &ctx, NOW + 1);
    record_offers(&mut st, seen, NOW + 1);
    let s = &st.offer_stats[&PathId::parse("/a")];
    assert_eq!((s.version.as_str(), s.processed, s.unused), ("v2", 1, 1));
    assert_eq!(s.last_used_ms, None);
}
