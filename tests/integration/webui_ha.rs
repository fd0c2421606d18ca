//! The web UI in a real browser, continued: a three-master cluster whose
//! leader is killed under the page (the heaviest of the browser tests:
//! `cluster up` with managed ZooKeeper), basic auth, and TLS.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::cluster_local::Env;
use crate::common::browser::{url_authority, Browser};
use crate::common::cluster::start_master;

/// The masters of a `cluster status --json` report: (address, pid, leader).
fn masters(status: &Value) -> Vec<(String, u64, bool)> {
    status["daemons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["role"] == "master")
        .map(|d| {
            (
                d["address"].as_str().unwrap().to_string(),
                d["pid"].as_u64().unwrap(),
                d["leader"] == true,
            )
        })
        .collect()
}

/// The leader `host:port` a master names in `/master/state`, if any.
fn leader_seen_by(addr: &str) -> Option<String> {
    let (code, body) = crate::common::cluster::http_get(&format!("http://{addr}/master/state"))?;
    if code != 200 {
        return None;
    }
    let st: Value = serde_json::from_str(&body).ok()?;
    let l = st["leader"].as_str()?;
    Some(l.strip_prefix("master@").unwrap_or(l).to_string())
}

/// Wait until the page is on `addr`'s origin, showing `page` rendered.
async fn wait_on(b: &Browser, addr: &str, page: &str, what: &str) {
    let want = addr.to_string();
    b.wait_for(
        Duration::from_secs(60),
        what,
        &format!(
            "[location.href, !!document.querySelector('main[data-page=\"{page}\"][data-ready=\"true\"]')]"
        ),
        |v| {
            let href = v[0].as_str()?;
            (url_authority(href).as_deref() == Some(want.as_str()) && v[1] == true).then_some(())
        },
    )
    .await;
}

/// The heaviest browser test (three masters, ZooKeeper, one agent).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ui_follows_the_leader_of_a_three_master_cluster_when_it_is_killed() {
    let started = Instant::now();
    let mut env = Env::new();
    env.watch("webui-ha");
    let up = [
        "cluster",
        "up",
        "--name",
        "webui-ha",
        "--masters",
        "3",
        "--agents",
        "1",
        "--no-marathon",
    ];
    tokio::task::block_in_place(|| env.run(&up)).assert_ok();
    let r = tokio::task::block_in_place(|| {
        env.run(&["cluster", "status", "--name", "webui-ha", "--json"])
    });
    r.assert_ok();
    let status: Value = serde_json::from_str(&r.stdout).unwrap();
    let ms = masters(&status);
    assert_eq!(ms.len(), 3, "{status}");
    let all: Vec<String> = ms.iter().map(|m| m.0.clone()).collect();
    let (leader, leader_pid, _) = ms.iter().find(|m| m.2).cloned().expect("a leader");
    let follower = ms.iter().find(|m| !m.2).unwrap().0.clone();

    // Opened on a follower, the UI goes to the leader, keeping the route.
    let b = Browser::start().await;
    b.goto(&format!("http://{follower}/#/agents")).await;
    wait_on(&b, &leader, "agents", "the agents page on the leader").await;
    let href = b.location().await;
    assert!(href.ends_with("#/agents"), "{href}");
    b.js("location.hash = '#/'; return true", vec![]).await;
    wait_on(&b, &leader, "overview", "the overview on the leader").await;
    assert_eq!(b.stat("leader").await.as_deref(), Some(leader.as_str()));

    // The leader dies; another is elected and the page reaches it.
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(leader_pid as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    let others: Vec<String> = all.iter().filter(|a| **a != leader).cloned().collect();
    let new_leader = crate::common::wait_for(Duration::from_secs(60), "a new leader", || {
        let seen: Vec<Option<String>> = others.iter().map(|a| leader_seen_by(a)).collect();
        match seen
            .iter()
            .flatten()
            .find(|l| **l != leader && others.contains(l))
        {
            Some(l) => Ok(l.clone()),
            None => Err(format!("{seen:?}")),
        }
    });
    wait_on(
        &b,
        &new_leader,
        "overview",
        "the overview on the new leader",
    )
    .await;
    b.wait_for(
        Duration::from_secs(60),
        "the new leader on the overview",
        "(document.querySelector('[data-stat=\"leader\"]') || {}).textContent",
        |v| (v.as_str().map(str::trim) == Some(new_leader.as_str())).then_some(()),
    )
    .await;
    // Following the new leader's events (or polling it).
    b.wait_for(
        Duration::from_secs(60),
        "data-live stream or polling on the new leader",
        "(document.querySelector('output[data-live]') || {dataset: {}}).dataset.live",
        |v| matches!(v.as_str(), Some("stream") | Some("polling")).then_some(()),
    )
    .await;
    b.assert_requests_only_to(&all).await;
    eprintln!("three-master UI test took {:?}", started.elapsed());
}

const SECRET: &str = "webui-secret-3f9a";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_read_only_auth_the_ui_asks_for_credentials_and_works_with_them() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("creds.json");
    std::fs::write(
        &creds,
        json!({"credentials": [{"principal": "ops", "secret": SECRET}]}).to_string(),
    )
    .unwrap();
    std::fs::set_permissions(&creds, std::fs::Permissions::from_mode(0o600)).unwrap();
    let master = start_master(&[
        "--authenticate_http_readonly",
        &format!("--credentials={}", creds.display()),
    ]);
    let host = master.addr();

    // Without credentials: the browser gets the 401 that makes it prompt.
    let b = Browser::start().await;
    b.goto(&format!("http://{host}/")).await;
    assert_eq!(b.document_status().await, Some(401));
    assert_eq!(
        b.js(
            "return document.querySelector('main[data-ready]') === null",
            vec![]
        )
        .await,
        json!(true)
    );

    // With them (the header the browser sends once its prompt is
    // answered), the UI renders the master's data through the same realm.
    b.basic_auth("ops", SECRET).await;
    b.goto(&format!("http://{host}/")).await;
    assert_eq!(b.document_status().await, Some(200));
    b.wait_ready("overview").await;
    assert_eq!(b.stat("leader").await.as_deref(), Some(host.as_str()));
    b.assert_requests_only_to(std::slice::from_ref(&host)).await;

    // Credentials in the address (`http://user:pass@host/`) stay in the
    // page's base URL, where a relative fetch() would throw: the UI still
    // loads its data.
    let b = Browser::start().await;
    b.goto(&format!("http://ops:{SECRET}@{host}/#/agents"))
        .await;
    assert_eq!(b.document_status().await, Some(200));
    b.wait_ready("agents").await;
    b.assert_requests_only_to(std::slice::from_ref(&host)).await;
}

/// Over TLS: a master and an agent serving only https, the page loaded
/// over https follows the SUBSCRIBE stream and reaches the agent through
/// the master's proxy (the master calls the agent over https). Chromium
/// is told to accept the test CA's certificates.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_tls_the_ui_streams_and_reaches_agents_through_the_master() {
    use crate::common::tls_daemons::{start_agent_env, start_master_env, Pki};
    let pki = Pki::new();
    let env = pki.env(&[]);
    let (master, agent) = tokio::task::block_in_place(|| {
        let master = start_master_env(&pki, &env, &[]);
        let agent = start_agent_env(&pki, &master, &env);
        (master, agent)
    });
    let host = master.addr();
    let agent_id = tokio::task::block_in_place(|| {
        let st = crate::common::tls_daemons::https_get(
            &pki,
            &format!("https://{}/slave(1)/state", agent.addr()),
            true,
        )
        .expect("agent state over https");
        let v: Value = serde_json::from_str(&st.1).unwrap();
        v["id"].as_str().unwrap().to_string()
    });

    let b = Browser::start_with(&["--ignore-certificate-errors"]).await;
    b.goto(&format!("https://{host}/")).await;
    assert_eq!(b.document_status().await, Some(200));
    b.wait_ready("overview").await;
    b.wait_true(
        "one active agent on the overview",
        "document.querySelector('[data-stat=\"agents-active\"]')?.textContent === '1'",
    )
    .await;
    b.wait_true(
        "the SUBSCRIBE stream over https",
        "document.querySelector('[data-live]')?.dataset.live === 'stream'",
    )
    .await;
    let at = b.location().await;
    assert!(at.starts_with(&format!("https://{host}/")), "{at}");

    // The agent's state through the master's proxy, from the page.
    b.js(
        &format!(
            "fetch('agent/{agent_id}/state').then(r => r.json()).then(j => window.__agentId = j.id, e => window.__agentId = 'error ' + e)"
        ),
        vec![],
    )
    .await;
    let seen = b
        .wait_true("the proxied agent state", "window.__agentId")
        .await;
    assert_eq!(seen, json!(agent_id));
    b.assert_requests_only_to(std::slice::from_ref(&host)).await;
}

/// A DC/OS-style front proxy on a loopback port: `/mesos/<rest>` is the
/// master's `/<rest>` (any method, headers and body forwarded, answers
/// streamed back, so the SUBSCRIBE stream flows through it); anything else
/// is 404. Returns the proxy's address.
async fn prefix_proxy(master: String) -> (String, tokio::task::JoinHandle<()>) {
    use axum::body::Body;
    use axum::http::{Request, Response, StatusCode};
    let client = reqwest::Client::new();
    let app = axum::Router::new().fallback(move |req: Request<Body>| {
        let (client, master) = (client.clone(), master.clone());
        async move {
            let pq = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let Some(rest) = pq.strip_prefix("/mesos/") else {
                return Response::builder()
                    .status(StatusCode::NOT_FOUND)
                    .body(Body::from("not under /mesos/"))
                    .unwrap();
            };
            let url = format!("http://{master}/{rest}");
            let mut out = client.request(req.method().clone(), &url);
            for (k, v) in req.headers() {
                if k != "host" {
                    out = out.header(k, v);
                }
            }
            let body = axum::body::to_bytes(req.into_body(), 1 << 20)
                .await
                .unwrap();
            let r = out.body(body).send().await.unwrap();
            let mut resp = Response::builder().status(r.status().as_u16());
            for (k, v) in r.headers() {
                resp = resp.header(k, v);
            }
            resp.body(Body::from_stream(r.bytes_stream())).unwrap()
        }
    });
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let h = tokio::spawn(async move {
        axum::serve(l, app).await.unwrap();
    });
    (addr, h)
}

/// Behind a path prefix (DC/OS serves the Mesos UI at `/mesos/`): every
/// request of the page stays under the prefix, the overview renders, the
/// SUBSCRIBE stream flows through the proxy, and the page stays there
/// (the master it reaches through the prefix is the leader).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_path_prefix_every_request_stays_under_it() {
    let master = start_master(&[]);
    let (proxy, _h) = prefix_proxy(master.addr()).await;
    let b = Browser::start().await;
    b.goto(&format!("http://{proxy}/mesos/")).await;
    assert_eq!(b.document_status().await, Some(200));
    b.wait_ready("overview").await;
    b.wait_true(
        "the SUBSCRIBE stream through the proxy",
        "document.querySelector('[data-live]')?.dataset.live === 'stream'",
    )
    .await;
    b.goto(&format!("http://{proxy}/mesos/#/tasks")).await;
    b.wait_ready("tasks").await;
    let at = b.location().await;
    assert!(at.starts_with(&format!("http://{proxy}/mesos/")), "{at}");
    let urls = b
        .assert_requests_only_to(std::slice::from_ref(&proxy))
        .await;
    let outside: Vec<&String> = urls
        .iter()
        .filter(|u| u.starts_with("http") && !u.starts_with(&format!("http://{proxy}/mesos/")))
        .collect();
    assert!(
        outside.is_empty(),
        "requests outside the prefix: {outside:?}"
    );
    assert!(
        urls.iter().any(|u| u.ends_with("/mesos/master/api/v1")),
        "{urls:?}"
    );
}

/// Keyboard only: Tab reaches the page links, Enter follows one, and a
/// column's sort button is reachable and works from the keyboard.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ui_is_usable_from_the_keyboard() {
    use fantoccini::key::Key;
    let master = start_master(&[]);
    let b = Browser::start().await;
    b.goto(&format!("http://{}/", master.addr())).await;
    b.wait_ready("overview").await;

    // Tab until `pred` (a JS expression on `a`, the focused element) holds.
    async fn tab_to(b: &Browser, what: &str, pred: &str) {
        for _ in 0..40 {
            let hit = b
                .js(
                    &format!("const a = document.activeElement; return !!a && ({pred});"),
                    vec![],
                )
                .await;
            if hit == json!(true) {
                return;
            }
            let el = b.client.active_element().await.unwrap();
            el.send_keys(&Key::Tab).await.unwrap();
        }
        panic!("Tab never reached {what}\n{}", b.describe().await);
    }
    tab_to(&b, "the Tasks link", "a.textContent.trim() === 'Tasks'").await;
    let el = b.client.active_element().await.unwrap();
    el.send_keys(&Key::Enter).await.unwrap();
    b.wait_ready("tasks").await;
    assert!(b.location().await.ends_with("#/tasks"));

    tab_to(
        &b,
        "the Name column's sort button",
        "a.dataset.sort === 'name'",
    )
    .await;
    let el = b.client.active_element().await.unwrap();
    el.send_keys(&Key::Enter).await.unwrap();
    b.wait_true(
        "the Name column sorted ascending",
        "document.querySelector('[data-sort=\"name\"]')?.closest('th')?.getAttribute('aria-sort') === 'ascending'",
    )
    .await;
}
