//! Building blocks of `mesos marathon` against real servers: the state
//! store and the leader election in a real ZooKeeper (Debian `zookeeper`
//! package, see `common::zk`), and the health probes against a real HTTP
//! server (`python3 -m http.server`), a real TLS server and closed ports.

use std::future::Future;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use mesos::marathon::election::{self, Election, Leadership};
use mesos::marathon::health::{probe, probe_outcome, ProbeKind, ProbeOutcome};
use mesos::marathon::store::{encode_segment, Store, StoreConfig, StoreError};
use zookeeper_client as zkc;

use crate::common::http::{Answer, TestServer};
use crate::common::tls_server::{TestCa, TlsTestServer};
use crate::common::zk::{self, ZkServer, ZkSession};
use crate::common::{free_port, wait_until};

/// Generous: a loaded 2-core machine, a JVM, session timeouts.
const DEADLINE: Duration = Duration::from_secs(60);

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Run `f` on `rt` with an overall bound, so a hang fails instead of
/// blocking the suite.
fn run<T>(rt: &tokio::runtime::Runtime, f: impl Future<Output = T>) -> T {
    rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(120), f)
            .await
            .expect("the test step finished within 120 s")
    })
}

// ---------------------------------------------------------------------------
// State store in ZooKeeper.

#[test]
fn zk_store_round_trip_layout_compression_and_limits() {
    let server = zk::shared();
    let path = zk::unique_path("marathon-store");
    let rt = runtime();
    let store = run(&rt, Store::open(&StoreConfig::Zk(server.url(&path)))).unwrap();
    assert!(store.describe().ends_with(&format!("{path}/state")));

    let app = br#"{"id":"/web","instances":2}"#;
    // A large, compressible value (a big app list).
    let big: Vec<u8> = (0..20_000)
        .flat_map(|i| format!("{{\"id\":\"/app-{i}\"}},").into_bytes())
        .collect();
    assert!(big.len() > 64 * 1024);
    run(&rt, async {
        assert_eq!(store.get("apps/web").await.unwrap(), None);
        store.put("apps/web", b"old").await.unwrap();
        store.put("apps/web", app).await.unwrap();
        store.put("apps/api", b"{}").await.unwrap();
        store.put("framework-id", b"fw-1").await.unwrap();
        let version = encode_segment("2024-01-01T00:00:00.000Z");
        store
            .put(&format!("versions/web/{version}"), app)
            .await
            .unwrap();
        store.put("deployments/d1", &big).await.unwrap();
        assert_eq!(
            store.get("apps/web").await.unwrap().as_deref(),
            Some(&app[..])
        );
        assert_eq!(
            store.get("deployments/d1").await.unwrap(),
            Some(big.clone())
        );
        assert_eq!(store.list("apps").await.unwrap(), ["api", "web"]);
        assert_eq!(
            store.list("").await.unwrap(),
            ["apps", "deployments", "framework-id", "versions"]
        );
        assert!(store.list("nothing").await.unwrap().is_empty());
        // A pure prefix holds no value.
        assert_eq!(store.get("versions/web").await.unwrap(), None);
    });

    // The documented layout, seen by another client.
    let zs = ZkSession::connect(&server.connect_string(), None);
    assert_eq!(zs.data(&format!("{path}/state/apps/web")).unwrap(), app);
    assert_eq!(
        zs.data(&format!("{path}/state/framework-id")).unwrap(),
        b"fw-1"
    );
    let raw = zs.data(&format!("{path}/state/deployments/d1")).unwrap();
    assert_eq!(&raw[..2], &[0x1f, 0x8b], "large values are gzip-compressed");
    assert!(raw.len() < big.len() / 5);

    run(&rt, async {
        // Incompressible and above the node limit: refused, naming the key.
        let mut noise = Vec::new();
        let mut x: u64 = 0x2545f4914f6cdd1d;
        while noise.len() < 2 * 1024 * 1024 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            noise.extend_from_slice(&x.to_le_bytes());
        }
        let e = store.put("apps/huge", &noise).await.unwrap_err();
        assert!(matches!(e, StoreError::TooLarge { .. }), "{e}");
        assert!(e.to_string().contains("apps/huge"), "{e}");
        assert_eq!(store.get("apps/huge").await.unwrap(), None);

        // Bad keys never reach ZooKeeper.
        for key in ["../x", "apps//a", "/apps", "apps/"] {
            let e = store.put(key, b"x").await.unwrap_err();
            assert!(matches!(e, StoreError::BadKey { .. }), "{key}: {e}");
        }

        // Delete: idempotent, and a prefix goes with everything under it.
        store.delete("apps/web").await.unwrap();
        store.delete("apps/web").await.unwrap();
        assert_eq!(store.get("apps/web").await.unwrap(), None);
        store.delete("versions").await.unwrap();
        assert!(store.list("versions").await.unwrap().is_empty());
        assert_eq!(
            store.list("").await.unwrap(),
            ["apps", "deployments", "framework-id"]
        );
    });
    assert!(!zs.exists(&format!("{path}/state/versions")));

    // A second scheduler (a new session) sees the same state.
    let other = run(&rt, Store::open(&StoreConfig::Zk(server.url(&path)))).unwrap();
    let fw = run(&rt, other.get("framework-id")).unwrap();
    assert_eq!(fw.as_deref(), Some(&b"fw-1"[..]));
}

#[test]
fn zk_store_with_credentials_keeps_others_out_and_never_shows_the_password() {
    let server = zk::shared();
    let path = zk::unique_path("marathon-store-auth");
    let url = format!("zk://sched:s3cret@{}{path}", server.connect_string());
    let rt = runtime();
    let store = run(&rt, Store::open(&StoreConfig::Zk(url))).unwrap();
    assert!(!store.describe().contains("s3cret"), "{}", store.describe());
    run(&rt, store.put("apps/web", b"{\"env\":{\"TOKEN\":\"x\"}}")).unwrap();
    let got = run(&rt, store.get("apps/web")).unwrap();
    assert!(got.is_some());

    // Someone without the credentials cannot read the state.
    let node = format!("{path}/state/apps/web");
    let denied = run(&rt, async {
        let c = zkc::Client::connector()
            .with_session_timeout(Duration::from_secs(20))
            .connect(&server.connect_string())
            .await
            .unwrap();
        c.get_data(&node).await.map(|_| ())
    });
    assert!(matches!(denied, Err(zkc::Error::NoAuth)), "{denied:?}");

    // An unreachable ZooKeeper: one line, no password.
    let port = free_port();
    let e = run(
        &rt,
        Store::open(&StoreConfig::Zk(format!(
            "zk://sched:s3cret@127.0.0.1:{port}/m"
        ))),
    )
    .unwrap_err();
    let msg = e.to_string();
    assert!(!msg.contains("s3cret") && !msg.contains('\n'), "{msg}");
    assert!(msg.contains("sched:***@"), "{msg}");
}

// ---------------------------------------------------------------------------
// Leader election.

/// Wait until the participant's leadership is `want`.
fn wait_leadership(rt: &tokio::runtime::Runtime, e: &Election, want: Leadership) {
    let mut rx = e.subscribe();
    let got = run(rt, async {
        tokio::time::timeout(DEADLINE, rx.wait_for(|l| *l == want))
            .await
            .map(|r| r.map(|l| l.clone()))
    });
    assert!(
        matches!(&got, Ok(Ok(l)) if *l == want),
        "wanted {want:?}, have {:?}",
        e.current()
    );
}

fn leading(me: &str) -> Leadership {
    Leadership {
        leading: true,
        leader: Some(me.into()),
    }
}

fn following(leader: &str) -> Leadership {
    Leadership {
        leading: false,
        leader: Some(leader.into()),
    }
}

#[test]
fn election_first_leads_second_takes_over_when_the_first_session_ends() {
    let server = zk::shared();
    let path = zk::unique_path("marathon-election");
    let url = server.url(&path);
    let rt = runtime();
    let _guard = rt.enter();

    let a = election::start(Some(url.clone()), "10.0.0.1:8080".into());
    wait_leadership(&rt, &a, leading("10.0.0.1:8080"));
    let b = election::start(Some(url.clone()), "10.0.0.2:8080".into());
    wait_leadership(&rt, &b, following("10.0.0.1:8080"));
    assert_eq!(a.current(), leading("10.0.0.1:8080"));

    // The latch as Curator lays it out: `_c_<uuid>-latch-<seq>` holding
    // the participant id; the lowest sequence is the leader's.
    let zs = ZkSession::connect(&server.connect_string(), None);
    let latch = format!("{path}/leader-curator");
    let mut children = zs.children(&latch);
    assert_eq!(children.len(), 2, "{children:?}");
    children.sort_by_key(|c| c.rsplit_once("-latch-").unwrap().1.to_string());
    for c in &children {
        let (prefix, seq) = c.rsplit_once("-latch-").unwrap();
        assert!(prefix.starts_with("_c_") && prefix.len() == 3 + 36, "{c}");
        assert!(
            seq.len() == 10 && seq.bytes().all(|b| b.is_ascii_digit()),
            "{c}"
        );
    }
    assert_eq!(
        zs.data(&format!("{latch}/{}", children[0])).unwrap(),
        b"10.0.0.1:8080"
    );
    assert_eq!(
        zs.data(&format!("{latch}/{}", children[1])).unwrap(),
        b"10.0.0.2:8080"
    );

    // The leader's session ends: the second leads, on both sides.
    run(&rt, a.stop());
    wait_leadership(&rt, &b, leading("10.0.0.2:8080"));
    assert_eq!(zs.children(&latch).len(), 1);

    // The first comes back at the back of the queue.
    let a = election::start(Some(url), "10.0.0.1:8080".into());
    wait_leadership(&rt, &a, following("10.0.0.2:8080"));
    assert_eq!(b.current(), leading("10.0.0.2:8080"));
    run(&rt, a.stop());
    run(&rt, b.stop());
}

#[test]
fn election_follows_a_real_marathon_and_leads_when_its_session_is_killed() {
    let server = zk::shared();
    let path = zk::unique_path("marathon-election-foreign");
    let rt = runtime();
    let _guard = rt.enter();

    // A real Marathon's Curator latch node, created first.
    let marathon = ZkSession::connect(&server.connect_string(), None);
    marathon.ensure_path(&format!("{path}/leader-curator"));
    marathon.create(
        &format!("{path}/leader-curator/_c_5a1c3e9b-0d6f-4a51-9a32-2b7c1f0e8d44-latch-"),
        b"marathon-1.example:8080",
        zkc::CreateMode::EphemeralSequential,
    );
    let ours = election::start(Some(server.url(&path)), "127.0.0.1:8090".into());
    wait_leadership(&rt, &ours, following("marathon-1.example:8080"));

    // The other scheduler dies (its session ends): we lead.
    marathon.close();
    wait_leadership(&rt, &ours, leading("127.0.0.1:8090"));
    run(&rt, ours.stop());
}

#[test]
fn election_abdication_hands_leadership_over_and_rejoins_at_the_back() {
    let server = zk::shared();
    let path = zk::unique_path("marathon-election-abdicate");
    let url = server.url(&path);
    let rt = runtime();
    let _guard = rt.enter();

    let a = election::start(Some(url.clone()), "a:1".into());
    wait_leadership(&rt, &a, leading("a:1"));
    let b = election::start(Some(url), "b:2".into());
    wait_leadership(&rt, &b, following("a:1"));

    run(&rt, a.abdicate()).unwrap();
    wait_leadership(&rt, &b, leading("b:2"));
    wait_leadership(&rt, &a, following("b:2"));
    let zs = ZkSession::connect(&server.connect_string(), None);
    assert_eq!(zs.children(&format!("{path}/leader-curator")).len(), 2);

    // And back again.
    run(&rt, b.abdicate()).unwrap();
    wait_leadership(&rt, &a, leading("a:1"));
    wait_leadership(&rt, &b, following("a:1"));
    run(&rt, a.stop());
    run(&rt, b.stop());
}

/// Wait until exactly one of `es` leads and all agree on who.
fn wait_one_leader(rt: &tokio::runtime::Runtime, es: &[&Election]) -> String {
    let end = std::time::Instant::now() + DEADLINE;
    loop {
        let now: Vec<Leadership> = es.iter().map(|e| e.current()).collect();
        let leaders: Vec<&Leadership> = now.iter().filter(|l| l.leading).collect();
        if let [l] = leaders[..] {
            let id = l.leader.clone().unwrap();
            if now.iter().all(|x| x.leader.as_deref() == Some(id.as_str())) {
                return id;
            }
        }
        assert!(
            std::time::Instant::now() < end,
            "no single agreed leader within {DEADLINE:?}: {now:?}"
        );
        run(rt, tokio::time::sleep(Duration::from_millis(20)));
    }
}

#[test]
fn losing_zookeeper_steps_down_at_once_and_everything_recovers_with_a_new_session() {
    // Its own server: this test kills and restarts it.
    let mut server = ZkServer::start();
    let path = "/marathon";
    let rt = runtime();
    let _guard = rt.enter();
    let session = Duration::from_secs(4);
    let a = election::start_with(Some(server.url(path)), "a:1".into(), session);
    wait_leadership(&rt, &a, leading("a:1"));
    let b = election::start_with(Some(server.url(path)), "b:2".into(), session);
    wait_leadership(&rt, &b, following("a:1"));
    let store = run(&rt, Store::open(&StoreConfig::Zk(server.url(path)))).unwrap();
    run(&rt, store.put("framework-id", b"fw-1")).unwrap();

    // The connection drops: both step down (leader unknown) well before
    // the session could expire.
    server.stop();
    let lost = std::time::Instant::now();
    let unknown = Leadership {
        leading: false,
        leader: None,
    };
    wait_leadership(&rt, &a, unknown.clone());
    wait_leadership(&rt, &b, unknown);
    assert!(
        lost.elapsed() < session,
        "stepped down only after {:?}",
        lost.elapsed()
    );

    // A fresh ensemble on the same address (old sessions unknown there):
    // the participants join again with new sessions and elect a leader,
    // and the store opens a new session on its next operation.
    server.restart();
    let leader = wait_one_leader(&rt, &[&a, &b]);
    assert!(leader == "a:1" || leader == "b:2", "{leader}");
    run(&rt, store.put("framework-id", b"fw-2")).unwrap();
    let got = run(&rt, store.get("framework-id")).unwrap();
    assert_eq!(got.as_deref(), Some(&b"fw-2"[..]));
    let zs = ZkSession::connect(&server.connect_string(), None);
    assert_eq!(zs.data("/marathon/state/framework-id").unwrap(), b"fw-2");
    assert_eq!(zs.children("/marathon/leader-curator").len(), 2);
}

#[test]
fn spawn_without_zookeeper_always_leads() {
    let rt = runtime();
    let rx = run(&rt, async { election::spawn(None, "h:8080".into()) });
    assert_eq!(*rx.borrow(), leading("h:8080"));
}

// ---------------------------------------------------------------------------
// Health probes.

/// `python3 -m http.server` on a free port, serving `dir`; killed on drop.
struct PyHttp {
    child: Child,
    port: u16,
}

impl PyHttp {
    fn start(dir: &std::path::Path) -> PyHttp {
        let port = free_port();
        let child = Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
            ])
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m http.server");
        wait_until(DEADLINE, "python3 -m http.server to listen", || {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        PyHttp { child, port }
    }
}

impl Drop for PyHttp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const T: Duration = Duration::from_secs(10);

#[test]
fn http_and_tcp_probes_against_a_real_http_server() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("health"), "ok").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let py = PyHttp::start(dir.path());
    let rt = runtime();
    let closed = free_port();
    run(&rt, async {
        let p = py.port;
        assert_eq!(
            probe(ProbeKind::Http, "127.0.0.1", p, "/health", T, false).await,
            Ok(())
        );
        assert_eq!(
            probe(ProbeKind::Http, "127.0.0.1", p, "health", T, false).await,
            Ok(())
        );
        // A redirect (a directory without its slash) is not followed: 3xx passes.
        assert_eq!(
            probe(ProbeKind::Http, "127.0.0.1", p, "/sub", T, false).await,
            Ok(())
        );
        assert_eq!(
            probe(ProbeKind::Http, "127.0.0.1", p, "/missing", T, false).await,
            Err("HTTP 404".into())
        );
        assert_eq!(
            probe(ProbeKind::Tcp, "127.0.0.1", p, "", T, false).await,
            Ok(())
        );
        assert_eq!(
            probe(ProbeKind::Http, "127.0.0.1", closed, "/", T, false).await,
            Err("Connection refused".into())
        );
        assert_eq!(
            probe(ProbeKind::Tcp, "127.0.0.1", closed, "", T, false).await,
            Err("Connection refused".into())
        );
        // Many probes in a row against a single-threaded server: no idle
        // connection is kept that would block the next one.
        for _ in 0..20 {
            assert_eq!(
                probe(ProbeKind::Http, "127.0.0.1", p, "/", T, false).await,
                Ok(())
            );
        }
    });
}

#[test]
fn http_probe_failures_status_and_timeout() {
    let web = TestServer::start();
    web.route("/ok", Answer::status(204, ""));
    web.route("/unavailable", Answer::status(503, "down"));
    let rt = runtime();
    // Accepts connections but never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    run(&rt, async {
        let p = web.port;
        assert_eq!(
            probe(ProbeKind::Http, "127.0.0.1", p, "/ok", T, false).await,
            Ok(())
        );
        assert_eq!(
            probe(ProbeKind::Http, "127.0.0.1", p, "/unavailable", T, false).await,
            Err("HTTP 503".into())
        );
        let started = std::time::Instant::now();
        let got = probe(
            ProbeKind::Http,
            "127.0.0.1",
            silent_port,
            "/",
            Duration::from_millis(500),
            false,
        )
        .await;
        assert_eq!(got, Err("Timed out after 500ms".into()));
        assert!(started.elapsed() < Duration::from_secs(10));
    });
    drop(silent);
}

#[test]
fn https_probe_does_not_verify_certificates() {
    // A certificate from a CA nobody trusts, for a name that is not the host.
    let ca = TestCa::new();
    let tls = TlsTestServer::start_with_names(&ca, &["not-this-host.example"]);
    tls.route("/health", Answer::status(200, "ok"));
    let rt = runtime();
    run(&rt, async {
        assert_eq!(
            probe(ProbeKind::Https, "127.0.0.1", tls.port, "/health", T, false).await,
            Ok(())
        );
        // Plain HTTP against the TLS port fails, with a one-line cause.
        let e = probe(ProbeKind::Http, "127.0.0.1", tls.port, "/health", T, false)
            .await
            .unwrap_err();
        assert!(!e.is_empty() && !e.contains('\n'), "{e}");
    });
}

/// Answer every connection with `status_line` and no body, then close.
fn raw_http_server(status_line: &'static str) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let mut reader = BufReader::new(&conn);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                if line == "\r\n" {
                    break;
                }
                line.clear();
            }
            let _ = write!(&conn, "{status_line}\r\nContent-Length: 0\r\n\r\n");
        }
    });
    port
}

#[test]
fn http_1xx_answers_fail_or_are_discarded_with_ignore_http_1xx() {
    let port = raw_http_server("HTTP/1.1 101 Switching Protocols");
    let rt = runtime();
    run(&rt, async {
        let o = probe_outcome(ProbeKind::Http, "127.0.0.1", port, "/", T, false).await;
        assert_eq!(o, ProbeOutcome::Fail("HTTP 101".into()));
        let o = probe_outcome(ProbeKind::Http, "127.0.0.1", port, "/", T, true).await;
        assert_eq!(o, ProbeOutcome::Discarded);
    });
}
