//! Load generator for bench/state-load.sh: N concurrent keep-alive clients
//! GET one URL at R requests/s each until a stop file appears (or a
//! duration passes), then print one JSON line of statistics: requests,
//! errors, latency percentiles in ms, megabytes received.
//!
//! Every answer must be 200 with a body that parses as JSON (every
//! `--validate-every`th body is parsed fully). The first half of the
//! clients ask for gzip (as browsers and `mesos state` do), the others not.
//!
//! Usage: state_poller URL CLIENTS RATE [--stop-file PATH] [--duration SECS]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Stats {
    latencies_ms: Vec<f64>,
    errors: usize,
    first_error: Option<String>,
    bytes: usize,
}

impl Stats {
    fn error(&mut self, e: String) {
        self.errors += 1;
        self.first_error.get_or_insert(e);
    }
}

async fn client(
    n: usize,
    clients: usize,
    url: String,
    rate: f64,
    validate_every: usize,
    stop: Arc<tokio::sync::watch::Receiver<bool>>,
    stats: Arc<Mutex<Stats>>,
) {
    let gzip = n < clients.div_ceil(2);
    let http = reqwest::Client::builder()
        .gzip(gzip)
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(1)
        .no_proxy()
        .build()
        .expect("HTTP client");
    let period = Duration::from_secs_f64(1.0 / rate);
    // Spread the clients' first requests over one period.
    let mut next = tokio::time::Instant::now() + period.mul_f64(n as f64 / clients as f64);
    let mut stop = (*stop).clone();
    for i in 0.. {
        tokio::select! {
            _ = tokio::time::sleep_until(next) => {}
            _ = stop.wait_for(|s| *s) => return,
        }
        next = (next + period).max(tokio::time::Instant::now());
        let t0 = Instant::now();
        let result = async {
            let r = http.get(&url).send().await.map_err(|e| e.to_string())?;
            let status = r.status();
            let body = r.bytes().await.map_err(|e| e.to_string())?;
            if !status.is_success() {
                return Err(format!("status {status}"));
            }
            if i % validate_every == 0 {
                serde_json::from_slice::<serde::de::IgnoredAny>(&body)
                    .map_err(|e| format!("not JSON: {e}"))?;
            }
            Ok(body.len())
        }
        .await;
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        let mut s = stats.lock().unwrap();
        match result {
            Ok(len) => {
                s.latencies_ms.push(ms);
                s.bytes += len;
            }
            Err(e) => s.error(e),
        }
    }
}

fn pct(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let k = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    Some((sorted[k.min(sorted.len() - 1)] * 10.0).round() / 10.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    mesos::http::install_crypto_provider();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: state_poller URL CLIENTS RATE [--stop-file PATH] [--duration SECS]";
    let (Some(url), Some(clients), Some(rate)) = (
        args.first().cloned(),
        args.get(1).and_then(|c| c.parse::<usize>().ok()),
        args.get(2).and_then(|r| r.parse::<f64>().ok()),
    ) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let stop_file = opt("--stop-file");
    let duration = opt("--duration").and_then(|d| d.parse::<f64>().ok());
    let (tx, rx) = tokio::sync::watch::channel(false);
    let rx = Arc::new(rx);
    let stats = Arc::new(Mutex::new(Stats::default()));
    let t0 = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|n| {
            tokio::spawn(client(
                n,
                clients,
                url.clone(),
                rate,
                5,
                rx.clone(),
                stats.clone(),
            ))
        })
        .collect();
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if stop_file
            .as_deref()
            .is_some_and(|f| std::path::Path::new(f).exists())
        {
            break;
        }
        if duration.is_some_and(|d| t0.elapsed().as_secs_f64() >= d) {
            break;
        }
    }
    let _ = tx.send(true);
    for t in tasks {
        let _ = t.await;
    }
    let secs = t0.elapsed().as_secs_f64();
    let s = stats.lock().unwrap();
    let mut lat = s.latencies_ms.clone();
    lat.sort_by(f64::total_cmp);
    let requests = lat.len() + s.errors;
    let out = serde_json::json!({
        "seconds": (secs * 10.0).round() / 10.0,
        "requests": requests,
        "errors": s.errors,
        "first_error": s.first_error,
        "req_per_s": ((requests as f64 / secs) * 10.0).round() / 10.0,
        "p50_ms": pct(&lat, 50.0),
        "p90_ms": pct(&lat, 90.0),
        "p99_ms": pct(&lat, 99.0),
        "max_ms": pct(&lat, 100.0),
        "mb": ((s.bytes as f64 / 1e6) * 10.0).round() / 10.0,
    });
    println!("{out}");
}
