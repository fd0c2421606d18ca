//! The web UI in a real browser (headless Chromium through chromedriver,
//! tests/integration/common/browser.rs) against real local clusters: the
//! overview's numbers against `/master/state`, a running task's sandbox
//! tailing a line printed after the page loaded, a task followed from
//! STAGING to FINISHED without a reload, basic auth, and the leader change
//! of a three-master cluster (webui_ha.rs). Every test also checks that the
//! page asked no host but the cluster's.

use std::time::Duration;

use serde_json::json;

use crate::common::browser::{Browser, PAGE_DEADLINE};

/// A one-page site on a loopback port: `/` renders a `data-stat` figure
/// after fetching `/data.json`, and asks `foreign` for an image.
async fn trivial_site(foreign: Option<String>) -> (String, tokio::task::JoinHandle<()>) {
    use axum::routing::get;
    let img = foreign
        .map(|f| format!("<img alt=\"\" src=\"{f}\">"))
        .unwrap_or_default();
    let page = format!(
        "<!doctype html><title>t</title><main data-page=\"t\" data-ready=\"false\">\
         <output data-stat=\"answer\"></output>{img}</main><script>\
         fetch('data.json').then(r => r.json()).then(d => {{\
           document.querySelector('[data-stat=answer]').textContent = d.answer;\
           document.querySelector('main').dataset.ready = 'true'; }});</script>"
    );
    let app = axum::Router::new()
        .route("/", get(move || async move { axum::response::Html(page) }))
        .route(
            "/data.json",
            get(|| async { axum::Json(json!({"answer": 42})) }),
        );
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", l.local_addr().unwrap());
    let h = tokio::spawn(async move {
        axum::serve(l, app).await.unwrap();
    });
    (url, h)
}

/// Processes whose command line mentions `dir`.
fn processes_mentioning(dir: &std::path::Path) -> Vec<u32> {
    let needle = dir.to_string_lossy().into_owned();
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            String::from_utf8_lossy(&cmd).contains(&needle)
        })
        .collect()
}

/// The harness itself: a page renders, its figure is read, the request log
/// names the page's own fetch and a request to another host (which the
/// host check reports), and dropping the browser leaves no process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_harness_reads_a_page_logs_its_requests_and_leaves_nothing() {
    // 127.0.0.2 is loopback too, but another host to the browser.
    let other = format!("http://127.0.0.2:{}/pixel.png", crate::common::free_port());
    let (url, server) = trivial_site(Some(other.clone())).await;
    let b = Browser::start().await;
    let dir = b.dir().to_path_buf();
    assert!(
        !processes_mentioning(&dir).is_empty(),
        "no Chromium process runs with the profile {}",
        dir.display()
    );
    b.goto(&url).await;
    b.wait_ready("t").await;
    assert_eq!(b.stat("answer").await.as_deref(), Some("42"));
    let data = format!("{url}data.json");
    let host = crate::common::browser::url_authority(&url).unwrap();
    let end = std::time::Instant::now() + PAGE_DEADLINE;
    let seen = loop {
        let seen = b.requested_urls().await;
        if seen.contains(&other) || std::time::Instant::now() > end {
            break seen;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(seen.contains(&url), "{seen:#?}");
    assert!(seen.contains(&data), "{seen:#?}");
    let foreign = b.foreign_requests(std::slice::from_ref(&host)).await;
    assert_eq!(foreign, vec![other.clone()], "{seen:#?}");
    // With both hosts allowed, nothing is foreign.
    let both = [host, crate::common::browser::url_authority(&other).unwrap()];
    b.assert_requests_only_to(&both).await;
    drop(b);
    let left = processes_mentioning(&dir);
    assert!(left.is_empty(), "processes left behind: {left:?}");
    server.abort();
}

// ---------------------------------------------------------------------------
// The UI against a real master and agents.

use std::time::Instant;

use mesos::http::{HttpClient, HttpOptions};
use mesos::wire::agent_v1::{CommandUri, TaskInfo};
use serde_json::Value;

use crate::common::cluster::{get_json, start_agent, start_master, Daemon};
use crate::common::sched::{
    command_task, next_of, res, subscribe_json, Events, JsonCalls, Scheduler,
};

/// `host:port` of a daemon, as the browser sees it.
fn hosts_of(daemons: &[&Daemon]) -> Vec<String> {
    daemons.iter().map(|d| d.addr()).collect()
}

/// Subscribe a framework (with a failover timeout, so its tasks outlive a
/// dropped subscription).
pub(crate) async fn subscribe(master_url: &str, name: &str) -> (Scheduler, Events) {
    let http = HttpClient::new(&HttpOptions::default()).unwrap();
    let url = reqwest::Url::parse(master_url).unwrap();
    let info = json!({"user": "tester", "name": name, "failover_timeout": 3600.0});
    let (s, ev, subscribed) = subscribe_json(&http, &url, info).await.unwrap();
    assert_eq!(subscribed["type"], "SUBSCRIBED");
    (s, ev)
}

/// Launch `tasks(agent_id)` on the first offer (the other offers, of that
/// event or later ones, are held: never answered); the agent id.
pub(crate) async fn launch_on_first_offer(
    s: &Scheduler,
    ev: &mut Events,
    tasks: impl FnOnce(&Value) -> Vec<TaskInfo>,
) -> String {
    let offers = next_of(ev, &["OFFERS"]).await;
    let offers = offers["offers"]["offers"].as_array().unwrap().clone();
    let first = &offers[0];
    let agent_id = first["agent_id"].clone();
    // A long filter: the rest of that agent stays unoffered, so the
    // master's offered resources hold still.
    s.launch_json(&[first["id"].clone()], tasks(&agent_id), 3600.0)
        .await
        .unwrap();
    agent_id["value"].as_str().unwrap().to_string()
}

/// Acknowledge every status update in the background (until aborted).
pub(crate) fn acknowledge_in_background(
    s: Scheduler,
    mut ev: Events,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        while let Ok(Some(e)) = ev.next_json().await {
            let st = &e["update"]["status"];
            if e["type"] == "UPDATE" && st.get("uuid").is_some() {
                let _ = s.acknowledge_json(st).await;
            }
        }
    })
}

/// A shell task of 0.1 cpus and 32 MB.
fn task(id: &str, agent_id: &Value, cmd: &str) -> TaskInfo {
    command_task(id, id, agent_id, cmd, res(0.1, 32.0))
}

/// Every task the master knows, by id: its state.
fn master_tasks(master: &Daemon) -> std::collections::BTreeMap<String, String> {
    let st = get_json(&format!("{}/master/state", master.url()));
    let mut out = std::collections::BTreeMap::new();
    for key in ["frameworks", "completed_frameworks"] {
        for fw in st[key].as_array().into_iter().flatten() {
            for tk in ["tasks", "completed_tasks", "unreachable_tasks"] {
                for t in fw[tk].as_array().into_iter().flatten() {
                    out.insert(
                        t["id"].as_str().unwrap_or_default().to_string(),
                        t["state"].as_str().unwrap_or_default().to_string(),
                    );
                }
            }
        }
    }
    out
}

/// The overview figures `/master/state` implies, as the contract names
/// them (`data-stat`), as numbers; the leader, version and cluster as text.
/// Numbers and texts of the overview, by `data-stat` name.
type Figures = (Vec<(String, f64)>, Vec<(String, String)>);

fn expected_overview(st: &Value) -> Figures {
    let mut nums: Vec<(String, f64)> = vec![
        (
            "agents-active".into(),
            st["activated_slaves"].as_f64().unwrap_or(0.0),
        ),
        (
            "agents-inactive".into(),
            st["deactivated_slaves"].as_f64().unwrap_or(0.0),
        ),
        (
            "agents-unreachable".into(),
            st["unreachable_slaves"].as_f64().unwrap_or(0.0),
        ),
    ];
    let mut by_state: std::collections::BTreeMap<String, f64> = [
        "staging", "starting", "running", "finished", "failed", "killed", "lost",
    ]
    .iter()
    .map(|s| (s.to_string(), 0.0))
    .collect();
    for fw in st["frameworks"].as_array().into_iter().flatten() {
        for tk in ["tasks", "completed_tasks"] {
            for t in fw[tk].as_array().into_iter().flatten() {
                let s = t["state"].as_str().unwrap_or("");
                let s = s
                    .strip_prefix("TASK_")
                    .unwrap_or(s)
                    .to_ascii_lowercase()
                    .replace('_', "-");
                *by_state.entry(s).or_default() += 1.0;
            }
        }
    }
    nums.extend(by_state.into_iter().map(|(s, n)| (format!("tasks-{s}"), n)));
    for res in ["cpus", "mem", "disk", "gpus"] {
        let sum = |key: &str| -> f64 {
            st["slaves"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|a| a[key][res].as_f64().unwrap_or(0.0))
                .sum()
        };
        let (total, used, offered) = (
            sum("resources"),
            sum("used_resources"),
            sum("offered_resources"),
        );
        nums.push((format!("{res}-total"), total));
        nums.push((format!("{res}-used"), used));
        nums.push((format!("{res}-offered"), offered));
        nums.push((format!("{res}-idle"), total - used - offered));
    }
    let leader = st["leader"].as_str().unwrap_or("");
    let texts = vec![
        (
            "leader".into(),
            leader.strip_prefix("master@").unwrap_or(leader).to_string(),
        ),
        (
            "version".into(),
            st["version"].as_str().unwrap_or("").to_string(),
        ),
        (
            "cluster".into(),
            st["cluster"].as_str().unwrap_or("").to_string(),
        ),
    ];
    (nums, texts)
}

/// Differences between the page's figures and `/master/state`'s (empty
/// when they agree).
fn overview_diff(page: &std::collections::BTreeMap<String, String>, st: &Value) -> Vec<String> {
    let (nums, texts) = expected_overview(st);
    let mut diff = Vec::new();
    for (name, want) in nums {
        match page.get(&name) {
            None => diff.push(format!("no data-stat={name} (want {want})")),
            Some(got) => {
                let plain = !got.is_empty()
                    && got.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                    && !got.starts_with('.')
                    && !got.ends_with('.');
                match got.parse::<f64>() {
                    Ok(v) if plain && (v - want).abs() < 1e-6 => {}
                    _ => diff.push(format!("{name}: page {got:?}, master {want}")),
                }
            }
        }
    }
    for (name, want) in texts {
        if page.get(&name) != Some(&want) {
            diff.push(format!(
                "{name}: page {:?}, master {want:?}",
                page.get(&name)
            ));
        }
    }
    diff
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overview_numbers_match_the_masters_state() {
    let master = start_master(&["--cluster=webui-overview"]);
    let _a1 = start_agent(&master, &[]);
    let _a2 = start_agent(&master, &["--resources=cpus:1.5;mem:512;disk:256"]);
    let (s, mut ev) = subscribe(&master.url(), "webui-overview").await;
    launch_on_first_offer(&s, &mut ev, |a| {
        vec![
            task("running-1", a, "sleep 600"),
            task("finished-1", a, "true"),
            task("failed-1", a, "exit 3"),
        ]
    })
    .await;
    let acker = acknowledge_in_background(s.clone(), ev);
    crate::common::wait_for(
        Duration::from_secs(60),
        "tasks running, finished and failed",
        || {
            let t = master_tasks(&master);
            let want = [
                ("running-1", "TASK_RUNNING"),
                ("finished-1", "TASK_FINISHED"),
                ("failed-1", "TASK_FAILED"),
            ];
            if want
                .iter()
                .all(|(id, st)| t.get(*id).map(String::as_str) == Some(st))
            {
                Ok(())
            } else {
                Err(format!("{t:?}"))
            }
        },
    );

    let b = Browser::start().await;
    b.goto(&format!("{}/", master.url())).await;
    b.wait_ready("overview").await;
    // The figures follow the master; compare until they agree (a figure
    // may be one update behind when read).
    let end = Instant::now() + PAGE_DEADLINE;
    loop {
        let page = b.stats().await;
        let st = get_json(&format!("{}/master/state", master.url()));
        let diff = overview_diff(&page, &st);
        if diff.is_empty() {
            // Not all zero: the figures this test set up are there.
            assert_eq!(page["tasks-running"], "1");
            assert_eq!(page["tasks-finished"], "1");
            assert_eq!(page["tasks-failed"], "1");
            assert_eq!(page["agents-active"], "2");
            assert_eq!(page["cpus-total"], "3.5");
            assert_ne!(page["cpus-offered"], "0", "{page:?}");
            assert_ne!(page["cpus-used"], "0", "{page:?}");
            assert_eq!(page["cluster"], "webui-overview");
            break;
        }
        assert!(
            Instant::now() < end,
            "the overview disagrees with /master/state: {diff:#?}\npage: {page:#?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    b.assert_requests_only_to(&hosts_of(&[&master])).await;
    acker.abort();
}

/// A task's sandbox directory, from its agent's state.
fn sandbox_dir(agent: &Daemon, task_id: &str) -> std::path::PathBuf {
    let st = get_json(&format!("{}/slave(1)/state", agent.url()));
    for fw in st["frameworks"].as_array().into_iter().flatten() {
        for ex in fw["executors"].as_array().into_iter().flatten() {
            if ex["id"] == task_id {
                return ex["directory"].as_str().unwrap().into();
            }
        }
    }
    panic!("no executor {task_id} on the agent: {st}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_tails_a_line_printed_after_the_page_loaded_and_downloads_it() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let (s, mut ev) = subscribe(&master.url(), "webui-sandbox").await;
    let marker = format!(
        "marker-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    );
    let cmd = format!(
        "echo started; while [ ! -f go ]; do sleep 0.2; done; echo {marker}; exec sleep 600"
    );
    let agent_id = launch_on_first_offer(&s, &mut ev, |a| vec![task("tail-1", a, &cmd)]).await;
    let acker = acknowledge_in_background(s.clone(), ev);
    crate::common::wait_for(Duration::from_secs(60), "the task running", || {
        let t = master_tasks(&master);
        match t.get("tail-1").map(String::as_str) {
            Some("TASK_RUNNING") => Ok(()),
            other => Err(format!("{other:?}")),
        }
    });
    let dir = sandbox_dir(&agent, "tail-1");
    let fid = &s.framework_id;
    let route = format!("#/sandbox/{agent_id}/{fid}/tail-1/tail-1");

    let b = Browser::start().await;
    // The listing names the task's files.
    b.goto(&format!("{}/{route}", master.url())).await;
    b.wait_ready("sandbox").await;
    b.wait_selector("table[data-table=\"files\"] tr[data-path=\"stdout\"]")
        .await;
    b.wait_selector("table[data-table=\"files\"] tr[data-path=\"stderr\"]")
        .await;

    // The file view, loaded before the line exists.
    b.js(
        "location.hash = arguments[0]; window.__webuiTestKept = true;",
        vec![json!(format!("{route}?path=stdout"))],
    )
    .await;
    let pre = "pre[data-file=\"stdout\"]";
    b.wait_for(
        PAGE_DEADLINE,
        "the stdout view with the task's first line",
        &format!(
            "(document.querySelector('main[data-ready=\"true\"] {pre}') || {{}}).textContent || ''"
        ),
        |v| {
            v.as_str()
                .filter(|t| t.contains("started"))
                .map(str::to_string)
        },
    )
    .await;
    assert!(!b.text(pre).await.unwrap_or_default().contains(&marker));
    std::fs::write(dir.join("go"), b"").unwrap();
    let text = b
        .wait_for(
            PAGE_DEADLINE,
            "the line printed after the page loaded",
            &format!(
                "(document.querySelector('{}') || {{}}).textContent || ''",
                pre
            ),
            |v| {
                v.as_str()
                    .filter(|t| t.contains(&marker))
                    .map(str::to_string)
            },
        )
        .await;
    assert!(text.contains("started"), "{text}");
    // Live: the same document, not a reload.
    assert_eq!(
        b.js("return window.__webuiTestKept === true", vec![]).await,
        json!(true)
    );

    // The download link serves the whole file from the master's origin.
    let href = b
        .attr("a[data-download]", "href")
        .await
        .expect("a download link");
    let body = b
        .js(
            "const a = document.querySelector('a[data-download]'); \
             return (async () => { const r = await fetch(a.href); \
             return [r.status, await r.text(), a.href]; })();",
            vec![],
        )
        .await;
    assert_eq!(body[0], 200, "{href}: {body}");
    assert!(body[1].as_str().unwrap().contains(&marker), "{body}");
    assert_eq!(
        crate::common::browser::url_authority(body[2].as_str().unwrap()),
        Some(master.addr()),
        "download link {href}"
    );
    b.assert_requests_only_to(&hosts_of(&[&master])).await;
    acker.abort();
}

/// An HTTP server that holds every request until `open` is notified (the
/// agent's fetcher keeps a task in STAGING while it waits).
async fn gate() -> (String, std::sync::Arc<tokio::sync::Notify>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/payload.txt", l.local_addr().unwrap());
    let open = std::sync::Arc::new(tokio::sync::Notify::new());
    let o = open.clone();
    tokio::spawn(async move {
        let opened = o.notified();
        tokio::pin!(opened);
        let mut waiting = Vec::new();
        loop {
            tokio::select! {
                c = l.accept() => if let Ok((c, _)) = c { waiting.push(c) },
                _ = &mut opened => break,
            }
        }
        loop {
            for mut c in waiting.drain(..) {
                let mut buf = [0u8; 4096];
                let _ = c.read(&mut buf).await;
                let _ = c
                    .write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n",
                    )
                    .await;
            }
            match l.accept().await {
                Ok((c, _)) => waiting.push(c),
                Err(_) => return,
            }
        }
    });
    (url, open)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_is_followed_from_staging_to_finished_without_a_reload() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let b = Browser::start().await;
    b.goto(&format!("{}/#/tasks", master.url())).await;
    b.wait_ready("tasks").await;
    // Record every state the task's row shows, and mark this document.
    b.js(
        "window.__webuiTestKept = true; window.__states = [];
         const rec = () => {
           const r = document.querySelector('table[data-table=\"tasks\"] tr[data-task-id=\"follow-1\"]');
           const s = r && r.getAttribute('data-state');
           if (s && window.__states[window.__states.length - 1] !== s) window.__states.push(s);
         };
         new MutationObserver(rec).observe(document.documentElement,
           {subtree: true, childList: true, attributes: true, characterData: true});
         return true;",
        vec![],
    )
    .await;
    let start_url = b.location().await;

    let (url, open) = gate().await;
    let (s, mut ev) = subscribe(&master.url(), "webui-follow").await;
    launch_on_first_offer(&s, &mut ev, |a| {
        let mut t = task("follow-1", a, "cat payload.txt");
        t.command.as_mut().unwrap().uris.push(CommandUri {
            value: url.clone(),
            ..CommandUri::default()
        });
        vec![t]
    })
    .await;
    let acker = acknowledge_in_background(s.clone(), ev);
    // The fetch is held: the row appears in STAGING...
    let row = "table[data-table=\"tasks\"] tr[data-task-id=\"follow-1\"]";
    b.wait_for(PAGE_DEADLINE, "the task's row in TASK_STAGING", &format!(
        "(document.querySelector('{row}') || {{getAttribute: () => null}}).getAttribute('data-state')"
    ), |v| (v == "TASK_STAGING").then_some(()))
    .await;
    assert_eq!(
        master_tasks(&master).get("follow-1").map(String::as_str),
        Some("TASK_STAGING")
    );
    // ...and once it is released, runs to TASK_FINISHED on the same page.
    open.notify_one();
    b.wait_for(PAGE_DEADLINE, "the task's row in TASK_FINISHED", &format!(
        "(document.querySelector('{row}') || {{getAttribute: () => null}}).getAttribute('data-state')"
    ), |v| (v == "TASK_FINISHED").then_some(()))
    .await;
    let row_text = b.text(row).await.unwrap();
    assert!(row_text.contains("TASK_FINISHED"), "{row_text}");
    let states = b.js("return window.__states", vec![]).await;
    let states: Vec<String> = serde_json::from_value(states).unwrap();
    assert_eq!(
        states.first().map(String::as_str),
        Some("TASK_STAGING"),
        "{states:?}"
    );
    assert_eq!(
        states.last().map(String::as_str),
        Some("TASK_FINISHED"),
        "{states:?}"
    );
    // No navigation: the document (and its mark) survived, the URL is the same.
    assert_eq!(
        b.js("return window.__webuiTestKept === true", vec![]).await,
        json!(true)
    );
    assert_eq!(b.location().await, start_url);
    assert_eq!(
        b.js(
            "return performance.getEntriesByType('navigation').length",
            vec![]
        )
        .await,
        json!(1)
    );
    let live = b.attr("output[data-live]", "data-live").await;
    assert!(
        matches!(live.as_deref(), Some("stream") | Some("polling")),
        "data-live: {live:?}"
    );
    b.assert_requests_only_to(&hosts_of(&[&master])).await;
    acker.abort();
}
