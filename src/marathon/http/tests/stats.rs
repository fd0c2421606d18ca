//! `taskStats` in app bodies and the offer statistics of `/v2/queue`.

use serde_json::{json, Value};

use super::{instance, setup};
use crate::marathon::core::state::{now_ms, OfferStats, UnusedOffer};
use crate::wire::marathon::PathId;

#[tokio::test]
async fn task_stats_count_per_bucket_and_leave_out_empty_ones() {
    let t = setup().await;
    t.call(
        "POST",
        "/v2/apps",
        Some(json!({"id": "/s", "cmd": "x", "instances": 3})),
    )
    .await;
    // No tasks: an empty object, as Marathon writes it.
    let app = t
        .call("GET", "/v2/apps/s?embed=app.taskStats", None)
        .await
        .json();
    assert_eq!(app["app"]["taskStats"], json!({}));
    assert!(t.call("GET", "/v2/apps/s", None).await.json()["app"]
        .get("taskStats")
        .is_none());

    let version = app["app"]["version"].as_str().unwrap().to_string();
    let now = now_ms();
    let mut new1 = instance("s.1", "/s", "TASK_RUNNING", "h1", 31001);
    new1.app_version = version.clone();
    new1.staged_at_ms = now;
    new1.started_at_ms = Some(now - 10_000);
    let mut new2 = instance("s.2", "/s", "TASK_STAGING", "h1", 31002);
    new2.app_version = version.clone();
    new2.staged_at_ms = now;
    let mut old = instance("s.0", "/s", "TASK_RUNNING", "h2", 31000);
    old.app_version = "2020-01-01T00:00:00.000Z".into();
    old.staged_at_ms = 1_577_836_800_000;
    old.started_at_ms = Some(now - 30_000);
    for i in [new1, new2, old] {
        t.seed(i);
    }
    let stats = t
        .call("GET", "/v2/apps?embed=apps.taskStats", None)
        .await
        .json()["apps"][0]["taskStats"]
        .clone();
    let counts = |b: &str| stats[b]["stats"]["counts"].clone();
    let life = |b: &str| stats[b]["stats"]["lifeTime"].clone();
    assert_eq!(
        counts("totalSummary"),
        json!({"staged": 1, "running": 2, "healthy": 0, "unhealthy": 0})
    );
    assert_eq!(counts("withLatestConfig")["staged"], 1);
    assert_eq!(counts("withLatestConfig")["running"], 1);
    assert_eq!(counts("withOutdatedConfig")["running"], 1);
    assert_eq!(counts("startedAfterLastScaling")["running"], 1);
    let secs = |v: &Value| v.as_f64().unwrap();
    // Two started tasks, about 10 s and 30 s old.
    let avg = secs(&life("totalSummary")["averageSeconds"]);
    assert!((19.0..25.0).contains(&avg), "{avg}");
    assert_eq!(
        life("totalSummary")["medianSeconds"],
        life("totalSummary")["averageSeconds"]
    );
    assert!((9.0..15.0).contains(&secs(&life("withLatestConfig")["medianSeconds"])));

    // Only old tasks: no `withLatestConfig` bucket at all.
    t.ctx
        .api
        .marathon
        .lock()
        .instances
        .retain(|k, _| k == "s.0");
    let stats = t
        .call("GET", "/v2/groups?embed=group.apps.taskStats", None)
        .await
        .json()["apps"][0]["taskStats"]
        .clone();
    let buckets: Vec<&String> = stats.as_object().unwrap().keys().collect();
    assert_eq!(buckets, ["withOutdatedConfig", "totalSummary"]);
}

#[tokio::test]
async fn the_queue_reports_the_offers_the_driver_processed() {
    let t = setup().await;
    t.call(
        "POST",
        "/v2/apps",
        Some(json!({"id": "/q", "cmd": "x", "instances": 2, "cpus": 8})),
    )
    .await;
    let version = t.call("GET", "/v2/apps/q", None).await.json()["app"]["version"]
        .as_str()
        .unwrap()
        .to_string();
    let offer: crate::wire::event::Offer = serde_json::from_value(json!({
        "id": {"value": "o1"}, "framework_id": {"value": "fw"}, "agent_id": {"value": "S1"},
        "hostname": "h1",
        "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 1.0}, "role": "*"}],
    }))
    .unwrap();
    let mut s = OfferStats {
        version,
        processed: 3,
        unused: 3,
        last_unused_ms: Some(1_500_000_000_000),
        ..OfferStats::default()
    };
    s.declined.insert("InsufficientCpus".into(), 2);
    s.declined.insert("UnfulfilledConstraint".into(), 1);
    s.last_unused.push_back(UnusedOffer {
        offer,
        reasons: vec!["InsufficientCpus".into()],
        at_ms: 1_500_000_000_000,
    });
    t.ctx
        .api
        .marathon
        .lock()
        .offer_stats
        .insert(PathId::parse("/q"), s);
    let q = t.call("GET", "/v2/queue", None).await.json();
    let e = &q["queue"][0];
    assert!(e.get("lastUnusedOffers").is_none(), "only when embedded");
    let sum = &e["processedOffersSummary"];
    assert_eq!(sum["processedOffersCount"], 3);
    assert_eq!(sum["unusedOffersCount"], 3);
    assert_eq!(sum["lastUnusedOfferAt"], "2017-07-14T02:40:00.000Z");
    assert!(sum.get("lastUsedOfferAt").is_none());
    let step = |list: &str, reason: &str| {
        sum[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["reason"] == reason)
            .cloned()
            .unwrap()
    };
    // The funnel: constraints are checked before resources.
    assert_eq!(
        step("rejectSummaryLaunchAttempt", "UnfulfilledConstraint"),
        json!({"reason": "UnfulfilledConstraint", "declined": 1, "processed": 3})
    );
    assert_eq!(
        step("rejectSummaryLaunchAttempt", "InsufficientCpus"),
        json!({"reason": "InsufficientCpus", "declined": 2, "processed": 2})
    );
    assert_eq!(
        step("rejectSummaryLaunchAttempt", "InsufficientMemory"),
        json!({"reason": "InsufficientMemory", "declined": 0, "processed": 0})
    );
    assert_eq!(
        step("rejectSummaryLastOffers", "InsufficientCpus"),
        json!({"reason": "InsufficientCpus", "declined": 1, "processed": 1})
    );

    let q = t
        .call("GET", "/v2/queue?embed=lastUnusedOffers", None)
        .await
        .json();
    assert_eq!(
        q["queue"][0]["lastUnusedOffers"],
        json!([{"offer": {"id": "o1", "agentId": "S1", "hostname": "h1",
            "resources": [{"name": "cpus", "role": "*", "scalar": 1.0}], "attributes": []},
            "reason": ["InsufficientCpus"], "timestamp": "2017-07-14T02:40:00.000Z"}])
    );
    // The entry's keys are the documented ones.
    let keys: Vec<&String> = q["queue"][0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "app",
            "count",
            "delay",
            "since",
            "processedOffersSummary",
            "lastUnusedOffers"
        ]
    );
}
