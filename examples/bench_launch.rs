//! Launch latency through the bundled master and a real agent (run by
//! bench/daemons.sh and bench/tls.sh): for each of N rounds, ACCEPT an
//! offer with an `echo` task and time ACCEPT -> TASK_RUNNING and ACCEPT ->
//! TASK_FINISHED as the scheduler sees them (acknowledging every update,
//! as a scheduler must).
//!
//! Usage: bench_launch MASTER [ROUNDS]. MASTER is `host:port` (http) or a
//! URL (`https://host:port`); `BENCH_CA_FILE` names the CA to trust.

use std::time::{Duration, Instant};

use mesos::http::{HttpClient, HttpOptions};
use mesos::resources::Resources;
use mesos::scheduler_client::{command_task, Scheduler};
use mesos::wire::event::EventType;
use mesos::wire::scheduler::FrameworkInfo;
use mesos::wire::TaskState;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    mesos::http::install_crypto_provider();
    let args: Vec<String> = std::env::args().collect();
    let master = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "127.0.0.1:5050".into());
    let rounds: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(20);
    let client = HttpClient::new(&HttpOptions {
        ca_file: std::env::var_os("BENCH_CA_FILE").map(Into::into),
        ..HttpOptions::default()
    })
    .unwrap();
    let url = if master.contains("://") {
        reqwest::Url::parse(&master).unwrap()
    } else {
        reqwest::Url::parse(&format!("http://{master}")).unwrap()
    };
    let info = FrameworkInfo {
        user: Some("bench".into()),
        name: Some("bench-launch".into()),
        ..FrameworkInfo::default()
    };
    let (s, mut ev, _) = Scheduler::subscribe(&client, &url, info)
        .await
        .expect("subscribe");
    let mut to_running = Vec::new();
    let mut to_finished = Vec::new();
    let res = Resources::parse("cpus:0.1;mem:32", "*")
        .unwrap()
        .to_wire(None)
        .into_iter()
        .map(|r| mesos::wire::Resource { role: None, ..r })
        .collect::<Vec<_>>();
    let mut round = 0;
    let mut started: Option<Instant> = None;
    while round < rounds {
        let e = tokio::time::timeout(Duration::from_secs(30), ev.next())
            .await
            .expect("event within 30 s")
            .expect("stream")
            .expect("open");
        match e.kind {
            EventType::Offers => {
                let offers = e.offers.map(|o| o.offers).unwrap_or_default();
                for (i, o) in offers.iter().enumerate() {
                    if i == 0 && started.is_none() {
                        let id = format!("echo-{round}");
                        let t =
                            command_task(&id, &id, &o.agent_id.value, "echo hello", res.clone());
                        started = Some(Instant::now());
                        s.launch(std::slice::from_ref(&o.id), vec![t], 0.0)
                            .await
                            .unwrap();
                    } else {
                        s.decline(std::slice::from_ref(&o.id), 0.0).await.unwrap();
                    }
                }
            }
            EventType::Update => {
                let Some(st) = e.update.map(|u| u.status) else {
                    continue;
                };
                s.acknowledge(&st).await.unwrap();
                let Some(t0) = started else { continue };
                match &st.state {
                    TaskState::Running => to_running.push(t0.elapsed().as_secs_f64() * 1e3),
                    TaskState::Finished => {
                        to_finished.push(t0.elapsed().as_secs_f64() * 1e3);
                        started = None;
                        round += 1;
                        s.revive().await.unwrap();
                    }
                    TaskState::Starting => {}
                    other => panic!("unexpected {}: {st:?}", other.as_str()),
                }
            }
            _ => {}
        }
    }
    s.teardown().await.unwrap();
    println!(
        "accept_to_running_ms_median: {:.1} ({} rounds)",
        median(to_running),
        rounds
    );
    println!(
        "accept_to_finished_ms_median: {:.1} ({} rounds)",
        median(to_finished),
        rounds
    );
}
