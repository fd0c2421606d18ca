//! Load harness for the bundled master (run by bench/daemons.sh):
//! registers N lightweight fake agents through the internal protocol (all
//! served by one HTTP listener, routed by agent id), subscribes a framework,
//! launches tasks on every offer until T tasks are RUNNING, then measures
//! `/master/state` latency. Prints one `key: value` line per figure.
//!
//! Usage: bench_master MASTER_ADDR AGENTS TASKS [MASTER_PID]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::routing::post;
use base64::Engine as _;
use mesos::http::{HttpClient, HttpOptions};
use mesos::resources::Resources;
use mesos::scheduler_client::{command_task, Scheduler};
use mesos::wire::event::EventType;
use mesos::wire::scheduler::FrameworkInfo;
use mesos::wire::TaskState;
use serde_json::{json, Value};

fn uuid_b64() -> String {
    let mut b = [0u8; 16];
    let t = Instant::now().elapsed().as_nanos() ^ (std::process::id() as u128);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed) as u128;
    b.copy_from_slice(&(t.wrapping_mul(6364136223846793005) ^ (n << 64) ^ n).to_le_bytes());
    base64::engine::general_purpose::STANDARD.encode(b)
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    mesos::http::install_crypto_provider();
    let args: Vec<String> = std::env::args().collect();
    let master = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "127.0.0.1:5050".into());
    let agents: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let tasks: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let per_agent = tasks.div_ceil(agents);
    let http = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(64)
        .build()
        .unwrap();

    // One listener plays every agent.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let master_url = format!("http://{master}");
    let h2 = http.clone();
    let m2 = master_url.clone();
    // Session token of each fake agent (docs/internal-protocol.md): sent as
    // a bearer token with its pings and status updates.
    let tokens: Arc<std::sync::Mutex<std::collections::HashMap<String, String>>> = Arc::default();
    let t2 = tokens.clone();
    let app = axum::Router::new()
        .route(
            "/slave(1)/internal/run_task",
            post(move |body: Bytes| {
                let http = h2.clone();
                let master = m2.clone();
                let tokens = t2.clone();
                async move {
                    let run: Value = serde_json::from_slice(&body).unwrap_or_default();
                    tokio::spawn(async move {
                        let task = &run["task"];
                        let status = json!({
                            "task_id": task["task_id"], "state": "TASK_RUNNING",
                            "source": "SOURCE_EXECUTOR", "agent_id": task["agent_id"],
                            "executor_id": {"value": task["task_id"]["value"]},
                            "timestamp": 1.0, "uuid": uuid_b64()
                        });
                        let upd = json!({"agent_id": task["agent_id"]["value"],
                            "framework_id": run["framework"]["id"]["value"], "status": status});
                        let aid = task["agent_id"]["value"].as_str().unwrap_or("");
                        let token = tokens.lock().unwrap().get(aid).cloned().unwrap_or_default();
                        for _ in 0..20 {
                            let r = http
                                .post(format!("{master}/master/internal/status_update"))
                                .bearer_auth(&token)
                                .json(&upd)
                                .send()
                                .await;
                            if r.is_ok_and(|r| r.status().is_success()) {
                                break;
                            }
                            tokio::time::sleep(Duration::from_millis(200)).await;
                        }
                    });
                    axum::http::StatusCode::ACCEPTED
                }
            }),
        )
        .fallback(|| async { axum::http::StatusCode::ACCEPTED });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    // Register the agents.
    let t0 = Instant::now();
    let mut ids = Vec::with_capacity(agents);
    for i in 0..agents {
        let reg = json!({
            "hostname": format!("fake-{i}"), "ip": "127.0.0.1", "port": port,
            "resources": [
                {"name": "cpus", "type": "SCALAR", "scalar": {"value": per_agent as f64}},
                {"name": "mem", "type": "SCALAR", "scalar": {"value": (per_agent * 32) as f64}}
            ],
            "attributes": [], "version": "1.11.0"
        });
        let r: Value = http
            .post(format!("{master_url}/master/internal/register"))
            .json(&reg)
            .send()
            .await
            .expect("register")
            .json()
            .await
            .expect("register json");
        let id = r["agent_id"].as_str().unwrap().to_string();
        let token = r["session_token"].as_str().unwrap_or("").to_string();
        tokens.lock().unwrap().insert(id.clone(), token);
        ids.push(id);
    }
    println!(
        "agents_registered: {agents} in {:.0} ms",
        t0.elapsed().as_secs_f64() * 1e3
    );
    // Keep them alive.
    let hp = http.clone();
    let mp = master_url.clone();
    tokio::spawn(async move {
        loop {
            for id in &ids {
                let token = tokens.lock().unwrap().get(id).cloned().unwrap_or_default();
                let _ = hp
                    .post(format!("{mp}/master/internal/ping"))
                    .bearer_auth(&token)
                    .json(&json!({"agent_id": id}))
                    .send()
                    .await;
            }
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    });

    // The framework.
    // A generous timeout: all the first offers' ACCEPTs are sent at once and
    // queue at the master (1,000 agents: about 4 s for the last one).
    let client = HttpClient::new(&HttpOptions {
        timeout: Duration::from_secs(60),
        ..HttpOptions::default()
    })
    .unwrap();
    let url = reqwest::Url::parse(&master_url).unwrap();
    let info = FrameworkInfo {
        user: Some("bench".into()),
        name: Some("bench-master".into()),
        ..FrameworkInfo::default()
    };
    let res = Resources::parse("cpus:1;mem:32", "*")
        .unwrap()
        .to_wire(None)
        .into_iter()
        .map(|r| mesos::wire::Resource { role: None, ..r })
        .collect::<Vec<_>>();
    let (s, mut ev, _) = Scheduler::subscribe(&client, &url, info)
        .await
        .expect("subscribe");
    let s = Arc::new(s);
    let mut launched = 0usize;
    let mut running = 0usize;
    let mut first_accept: Option<Instant> = None;
    while running < tasks {
        let e = tokio::time::timeout(Duration::from_secs(60), ev.next())
            .await
            .expect("event within 60 s")
            .expect("stream")
            .expect("open");
        match e.kind {
            EventType::Offers => {
                for o in e.offers.map(|o| o.offers).unwrap_or_default() {
                    let n = per_agent.min(tasks - launched);
                    if n == 0 {
                        s.decline(std::slice::from_ref(&o.id), 3600.0)
                            .await
                            .unwrap();
                        continue;
                    }
                    let infos: Vec<_> = (0..n)
                        .map(|k| {
                            let id = format!("t{}", launched + k);
                            command_task(&id, &id, &o.agent_id.value, "sleep 1000", res.clone())
                        })
                        .collect();
                    launched += n;
                    first_accept.get_or_insert_with(Instant::now);
                    let s2 = s.clone();
                    let oid = o.id.clone();
                    tokio::spawn(async move { s2.launch(&[oid], infos, 3600.0).await.unwrap() });
                }
            }
            EventType::Update => {
                let Some(st) = e.update.map(|u| u.status) else {
                    continue;
                };
                if st.state == TaskState::Running {
                    running += 1;
                }
                let s2 = s.clone();
                tokio::spawn(async move {
                    let _ = s2.acknowledge(&st).await;
                });
            }
            _ => {}
        }
    }
    let launch_secs = first_accept
        .map(|t| t.elapsed().as_secs_f64())
        .unwrap_or(0.0);
    println!(
        "tasks_running: {running} in {:.2} s from the first ACCEPT",
        launch_secs
    );

    if let Some(pid) = args.get(4) {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let rss = status
            .lines()
            .find(|l| l.starts_with("VmRSS"))
            .unwrap_or("VmRSS: ?");
        println!(
            "master_rss_before_state: {}",
            rss.trim_start_matches("VmRSS:").trim()
        );
    }
    // /master/state latency (plain, as curl asks for it; then gzip, as our CLI does).
    let plain = reqwest::Client::builder()
        .no_proxy()
        .no_gzip()
        .build()
        .unwrap();
    let mut times = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let body = plain
            .get(format!("{master_url}/master/state"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        times.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(body.len() > 1000);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "state_plain_ms_median: {:.1} (min {:.1}, max {:.1})",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..10 {
        let t = Instant::now();
        let body = http
            .get(format!("{master_url}/master/state"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        times.push(t.elapsed().as_secs_f64() * 1e3);
        size = body.len();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "state_gzip_ms_median: {:.1} (min {:.1}, max {:.1}, {} bytes)",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        size
    );
    // BENCH_HOLD_SECS keeps the fake agents and the framework up, so the
    // caller can read the master's bodies with all tasks running.
    if let Some(secs) = std::env::var("BENCH_HOLD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        println!("holding: {secs} s");
        tokio::time::sleep(Duration::from_secs(secs)).await;
    }
}
