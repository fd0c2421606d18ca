//! Browser-side figures of the web UI (run by bench/webui.sh): headless
//! Chromium, driven by the same harness as the UI tests
//! (tests/integration/common/browser.rs), loads the overview of a running
//! master RUNS times with the HTTP cache disabled, and reports from the
//! Performance API: first contentful paint, DOMContentLoaded, the page's
//! `data-ready`, and the bytes transferred (`transferSize`: compressed
//! bodies plus headers) split into the UI's own files and the master's
//! data. It then visits every page of the UI once and sums the distinct UI
//! files transferred (the whole UI). Prints one `key: value` line per figure.
//!
//! Usage: bench_webui MASTER_URL [RUNS]   (e.g. http://127.0.0.1:5050/)

#[path = "../tests/integration/common/browser.rs"]
mod browser;

use std::collections::BTreeMap;
use std::time::Instant;

use browser::Browser;
use serde_json::json;

/// Every Performance entry of the document: name, transferSize,
/// decodedBodySize.
const ENTRIES: &str = "return performance.getEntriesByType('navigation')
  .concat(performance.getEntriesByType('resource'))
  .map(e => [e.name, e.transferSize, e.decodedBodySize]);";

/// A file of the UI itself (not the master's data it shows).
fn is_ui_file(url: &str) -> bool {
    let path = url.split_once("://").map_or(url, |(_, r)| r);
    let path = path.find('/').map_or("/", |i| &path[i..]);
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path == "/"
        || path.ends_with("/index.html")
        || (path.contains("/webui/") && !path.contains("/webui/api/"))
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(url) = args.get(1).cloned() else {
        eprintln!("usage: bench_webui MASTER_URL [RUNS]");
        std::process::exit(2);
    };
    let url = if url.ends_with('/') {
        url
    } else {
        format!("{url}/")
    };
    let runs: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(20);
    let b = Browser::start().await;
    b.cdp("Network.enable", json!({})).await;
    b.cdp("Network.setCacheDisabled", json!({"cacheDisabled": true}))
        .await;

    let (mut fcp, mut dcl, mut ready, mut ui_bytes, mut data_bytes) =
        (vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..runs {
        let t0 = Instant::now();
        b.goto(&url).await;
        b.wait_ready("overview").await;
        // Upper bound: the harness polls every 50 ms.
        ready.push(t0.elapsed().as_secs_f64() * 1000.0);
        let p = b
            .js(
                "const n = performance.getEntriesByType('navigation')[0];
                 const f = performance.getEntriesByName('first-contentful-paint')[0];
                 return [f ? f.startTime : null, n.domContentLoadedEventEnd];",
                vec![],
            )
            .await;
        fcp.push(p[0].as_f64().expect("no first-contentful-paint entry"));
        dcl.push(p[1].as_f64().unwrap_or(0.0));
        let entries = b.js(ENTRIES, vec![]).await;
        let (mut ui, mut data) = (0.0, 0.0);
        for e in entries.as_array().unwrap() {
            let t = e[1].as_f64().unwrap_or(0.0);
            if is_ui_file(e[0].as_str().unwrap_or("")) {
                ui += t;
            } else {
                data += t;
            }
        }
        ui_bytes.push(ui);
        data_bytes.push(data);
    }
    println!("runs: {runs}");
    println!("first_contentful_paint_ms_median: {:.1}", median(&mut fcp));
    println!(
        "first_contentful_paint_ms_max: {:.1}",
        fcp.iter().cloned().fold(0.0, f64::max)
    );
    println!("dom_content_loaded_ms_median: {:.1}", median(&mut dcl));
    println!(
        "ready_ms_median (data-ready seen, polled every 50 ms): {:.1}",
        median(&mut ready)
    );
    println!(
        "overview_ui_files_transferred_bytes: {:.0}",
        median(&mut ui_bytes)
    );
    println!(
        "overview_data_transferred_bytes: {:.0}",
        median(&mut data_bytes)
    );

    // The whole UI: every page once; each UI file counted once.
    let mut files: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let pages = [
        ("overview", "#/"),
        ("frameworks", "#/frameworks"),
        ("agents", "#/agents"),
        ("tasks", "#/tasks"),
        ("offers", "#/offers"),
        ("maintenance", "#/maintenance"),
        ("roles", "#/roles"),
    ];
    b.goto(&url).await;
    for (page, route) in pages {
        b.js(
            "location.hash = arguments[0]; return true;",
            vec![json!(route)],
        )
        .await;
        b.wait_ready(page).await;
    }
    let entries = b.js(ENTRIES, vec![]).await;
    for e in entries.as_array().unwrap() {
        let name = e[0].as_str().unwrap_or("").to_string();
        if is_ui_file(&name) {
            let t = e[1].as_f64().unwrap_or(0.0);
            let d = e[2].as_f64().unwrap_or(0.0);
            files.entry(name).or_insert((t, d));
        }
    }
    for (name, (t, d)) in &files {
        println!("file: {name} transferred {t:.0} B, decoded {d:.0} B");
    }
    let total: f64 = files.values().map(|(t, _)| t).sum();
    let decoded: f64 = files.values().map(|(_, d)| d).sum();
    println!("whole_ui_transferred_bytes: {total:.0}");
    println!("whole_ui_decoded_bytes: {decoded:.0}");
    let foreign = b
        .foreign_requests(&[browser::url_authority(&url).unwrap()])
        .await;
    println!("requests_to_other_hosts: {}", foreign.len());
}
