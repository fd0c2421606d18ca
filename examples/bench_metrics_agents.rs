//! Fake cluster for bench/node_metrics.sh: a master (`/master/redirect`,
//! `/master/slaves`, `/master/tasks`, `/master/state-summary`) on PORT and
//! 100 agents on PORT+1..=PORT+100, each answering every path after its own
//! delay (spread evenly over 10..200 ms). `plain` agents serve
//! `/metrics/snapshot` only (a plain Mesos agent: the v0 ping is a 404);
//! `bundled` agents also serve the v0 ping and `/node` as the bundled agent
//! does. Prints `ready` once every port listens.
//!
//! Usage: bench_metrics_agents plain|bundled PORT

use std::collections::BTreeMap;
use std::time::Duration;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use mesos::wire::dcos_metrics::{unit, Datapoint, Dimensions, MetricsMessage, Ping, Value};

const AGENTS: u16 = 100;

fn json(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn point(name: &str, v: f64, u: &str, root: bool) -> Datapoint {
    let mut tags = BTreeMap::new();
    if root {
        tags.insert("path".to_string(), "/".to_string());
    }
    Datapoint {
        name: name.into(),
        value: Value::Number(v),
        unit: u.into(),
        timestamp: "2026-01-01T00:00:00.000000000Z".into(),
        tags,
    }
}

fn agent_id(i: u16) -> String {
    format!("7f1e2c9a-0b6d-4d1e-9c43-2a5f7b1d8e60-S{i}")
}

async fn serve(listener: tokio::net::TcpListener, app: Router) {
    axum::serve(listener, app).await.unwrap();
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bundled = args.get(1).map(String::as_str) == Some("bundled");
    let port: u16 = args.get(2).and_then(|p| p.parse().ok()).expect("PORT");

    let slaves: Vec<String> = (0..AGENTS)
        .map(|i| {
            let p = port + 1 + i;
            format!(
                r#"{{"id":"{}","hostname":"agent-{i:03}.example.net","port":{p},"pid":"slave(1)@127.0.0.1:{p}","active":true}}"#,
                agent_id(i)
            )
        })
        .collect();
    let slaves = format!(r#"{{"slaves":[{}]}}"#, slaves.join(","));
    let summary = format!(r#"{{"frameworks":[],{}"#, &slaves[1..]);
    let redirect = format!("//127.0.0.1:{port}");
    let master =
        Router::new()
            .route(
                "/master/redirect",
                axum::routing::get(move || {
                    let r = redirect.clone();
                    async move {
                        (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, r)]).into_response()
                    }
                }),
            )
            .route(
                "/master/slaves",
                axum::routing::get(move || {
                    let b = slaves.clone();
                    async move { json(b) }
                }),
            )
            .route(
                "/master/tasks",
                axum::routing::get(|| async { json(r#"{"tasks":[]}"#.into()) }),
            )
            .route(
                "/master/state-summary",
                axum::routing::get(move || {
                    let b = summary.clone();
                    async move { json(b) }
                }),
            );
    let ml = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    tokio::spawn(serve(ml, master));

    let snapshot = r#"{"system/load_1min":0.5,"system/load_5min":0.4,"system/load_15min":0.3,"system/cpus_total":8,"system/mem_total_bytes":33554432000,"system/mem_free_bytes":8388608000,"slave/cpus_total":8,"slave/cpus_used":2,"slave/mem_total":30000,"slave/mem_used":4096,"slave/tasks_running":3}"#;
    let ping = serde_json::to_string(&Ping {
        ok: true,
        timestamp: "2026-01-01T00:00:00Z".into(),
    })
    .unwrap();
    for i in 0..AGENTS {
        let delay = Duration::from_secs_f64(0.010 + 0.190 * f64::from(i) / f64::from(AGENTS - 1));
        let node = serde_json::to_string(&MetricsMessage {
            datapoints: vec![
                point("cpu.total", 12.5, unit::PERCENT, false),
                point("load.1min", 0.5, unit::COUNT, false),
                point("memory.total", 33554432000.0, unit::BYTES, false),
                point("memory.free", 8388608000.0, unit::BYTES, false),
                point(
                    "filesystem.capacity.total",
                    107374182400.0,
                    unit::BYTES,
                    true,
                ),
                point("filesystem.capacity.used", 53687091200.0, unit::BYTES, true),
            ],
            dimensions: Dimensions {
                mesos_id: agent_id(i),
                hostname: "127.0.0.1".into(),
                ..Dimensions::default()
            },
        })
        .unwrap();
        let ping = ping.clone();
        let app = Router::new().fallback(move |uri: axum::http::Uri| {
            let (node, ping) = (node.clone(), ping.clone());
            async move {
                tokio::time::sleep(delay).await;
                match uri.path() {
                    "/metrics/snapshot" => json(snapshot.into()),
                    "/system/v1/metrics/v0/ping" if bundled => json(ping),
                    "/system/v1/metrics/v0/node" if bundled => json(node),
                    _ => StatusCode::NOT_FOUND.into_response(),
                }
            }
        });
        let l = tokio::net::TcpListener::bind(("127.0.0.1", port + 1 + i))
            .await
            .unwrap();
        tokio::spawn(serve(l, app));
    }
    println!("ready");
    std::future::pending::<()>().await;
}
