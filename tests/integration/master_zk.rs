//! ZooKeeper leader election of the bundled master (`mesos master --zk`),
//! with real master processes and a real ZooKeeper
//! (docs/wire-notes.md#zookeeper, docs/wire-notes.md#master-endpoints): one
//! `json.info_` EPHEMERAL|SEQUENTIAL node per master holding its MasterInfo
//! JSON, lowest sequence leads, non-leaders redirect, a dead leader's node
//! expires and a standby takes over.
//!
//! Most tests share one ZooKeeper (`common::zk::shared`) under their own
//! znode paths; the one that kills ZooKeeper starts its own.

use std::time::Duration;

use serde_json::Value;
use zookeeper_client as zkc;

use crate::common::cluster::{agent_count, start_agent_unwaited, start_master_zk, Daemon};
use crate::common::zk::{self, ZkServer};
use crate::common::{free_port, wait_until, TestEnv};

/// Generous: JVM + several daemons on a loaded 2-core machine.
const DEADLINE: Duration = Duration::from_secs(60);

/// `127.0.0.1` packed the way MasterInfo.ip is (little-endian s_addr).
const LOCALHOST_PACKED: u64 = 16777343;

// ---------------------------------------------------------------------------
// HTTP without following redirects.

struct Reply {
    code: u16,
    location: Option<String>,
    body: String,
}

fn raw_get(url: &str) -> Option<Reply> {
    mesos::http::install_crypto_provider();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    rt.block_on(async {
        let c = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .ok()?;
        let r = c.get(url).send().await.ok()?;
        let code = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        Some(Reply {
            code,
            location,
            body: r.text().await.ok()?,
        })
    })
}

/// `master/elected` from `/metrics/snapshot` (None when unreachable).
fn elected(m: &Daemon) -> Option<f64> {
    let r = raw_get(&format!("{}/metrics/snapshot", m.url()))?;
    if r.code != 200 {
        return None;
    }
    serde_json::from_str::<Value>(&r.body).ok()?["master/elected"].as_f64()
}

/// Where `/master/redirect` points (`//host:port`), if it redirects.
fn redirect_target(m: &Daemon) -> Option<String> {
    let r = raw_get(&format!("{}/master/redirect", m.url()))?;
    (r.code == 307).then_some(r.location).flatten()
}

/// Wait until exactly one of `masters` leads and every other one redirects
/// to it; returns the leader's index.
fn wait_single_leader(masters: &[&Daemon]) -> usize {
    let mut leader = None;
    wait_until(DEADLINE, "exactly one elected master", || {
        for m in masters {
            assert!(!exited(m), "master {} exited:\n{}", m.addr(), m.log());
        }
        let flags: Vec<Option<f64>> = masters.iter().map(|m| elected(m)).collect();
        let leaders: Vec<usize> = (0..masters.len())
            .filter(|&i| flags[i] == Some(1.0))
            .collect();
        if leaders.len() != 1
            || flags.iter().filter(|f| **f == Some(0.0)).count() != masters.len() - 1
        {
            return false;
        }
        let l = leaders[0];
        let target = format!("//{}", masters[l].addr());
        if masters
            .iter()
            .all(|m| redirect_target(m).as_deref() == Some(target.as_str()))
        {
            leader = Some(l);
            true
        } else {
            false
        }
    });
    leader.unwrap()
}

/// Has the daemon's process exited? (`try_wait` needs `&mut`; a zombie has.)
fn exited(d: &Daemon) -> bool {
    match std::fs::read_to_string(format!("/proc/{}/stat", d.child.id())) {
        Ok(stat) => stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.trim_start().starts_with(['Z', 'X']))
            .unwrap_or(true),
        Err(_) => true,
    }
}

// ---------------------------------------------------------------------------
// Reading ZooKeeper from the test.

struct ZkReader {
    rt: tokio::runtime::Runtime,
    client: zkc::Client,
}

impl ZkReader {
    fn connect(connect_string: &str, credentials: Option<(&str, &str)>) -> ZkReader {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let client = rt.block_on(async {
            let mut c = zkc::Client::connector().with_session_timeout(Duration::from_secs(20));
            if let Some((u, p)) = credentials {
                c = c.with_auth("digest", format!("{u}:{p}").as_bytes());
            }
            tokio::time::timeout(Duration::from_secs(60), c.connect(connect_string))
                .await
                .expect("timed out connecting to ZooKeeper")
                .expect("connect to ZooKeeper")
        });
        ZkReader { rt, client }
    }

    fn shared() -> ZkReader {
        Self::connect(&zk::shared().connect_string(), None)
    }

    fn block<T>(
        &self,
        f: impl std::future::Future<Output = Result<T, zkc::Error>>,
    ) -> Result<T, zkc::Error> {
        self.rt.block_on(async {
            tokio::time::timeout(Duration::from_secs(30), f)
                .await
                .unwrap_or(Err(zkc::Error::Timeout))
        })
    }

    /// `json.info_*` children, sorted (zero padding: by sequence).
    fn contenders(&self, path: &str) -> Vec<String> {
        let mut v: Vec<String> = match self.block(self.client.list_children(path)) {
            Ok(v) => v,
            Err(zkc::Error::NoNode) => Vec::new(),
            Err(e) => panic!("list {path}: {e}"),
        };
        v.retain(|c| c.starts_with("json.info_"));
        v.sort();
        v
    }

    fn data(&self, path: &str) -> Vec<u8> {
        self.block(self.client.get_data(path))
            .unwrap_or_else(|e| panic!("get {path}: {e}"))
            .0
    }

    fn acl(&self, path: &str) -> Vec<zkc::Acl> {
        self.block(self.client.get_acl(path))
            .unwrap_or_else(|e| panic!("get_acl {path}: {e}"))
            .0
    }

    fn delete(&self, path: &str) -> Result<(), zkc::Error> {
        self.block(self.client.delete(path, None))
    }
}

/// The MasterInfo JSON a master wrote, by master port.
fn infos_by_port(r: &ZkReader, path: &str) -> Vec<(u64, String, Value)> {
    r.contenders(path)
        .into_iter()
        .map(|c| {
            let raw = String::from_utf8(r.data(&format!("{path}/{c}"))).expect("UTF-8 znode data");
            let v: Value = serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{c}: {e}: {raw}"));
            (v["port"].as_u64().unwrap(), c, v)
        })
        .collect()
}

fn resolve_json(url: &str) -> Value {
    let env = TestEnv::new();
    let r = env.run(&["resolve", "--json", "--timeout", "20s", url]);
    r.assert_ok();
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("bad JSON ({e}): {}", r.stdout))
}

fn state_id(m: &Daemon) -> String {
    let r = raw_get(&format!("{}/master/state", m.url())).expect("GET /master/state");
    assert_eq!(r.code, 200, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    v["id"].as_str().unwrap().to_string()
}

// ---------------------------------------------------------------------------

#[test]
fn two_masters_elect_exactly_one_leader_and_the_other_redirects() {
    let server = zk::shared();
    let path = zk::unique_path("mzk-two");
    let url = server.url(&path);
    let a = start_master_zk(&url, &[]);
    // `--zk=file:///path` holding the URL works the same.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("zk");
    std::fs::write(&file, format!("{url}\n")).unwrap();
    let b = start_master_zk(&format!("file://{}", file.display()), &[]);
    let masters = [&a, &b];
    let li = wait_single_leader(&masters);
    let (leader, follower) = (masters[li], masters[1 - li]);

    // The follower: leader-only endpoints redirect (protocol-relative, with
    // the path and query), /master/redirect points at the leader.
    let r = raw_get(&format!("{}/master/state?jsonp=x", follower.url())).unwrap();
    assert_eq!(r.code, 307, "{}", r.body);
    assert_eq!(
        r.location.as_deref(),
        Some(format!("//{}/master/state?jsonp=x", leader.addr()).as_str())
    );
    let r = raw_get(&format!("{}/state", follower.url())).unwrap();
    assert_eq!(r.code, 307);
    assert_eq!(
        r.location.as_deref(),
        Some(format!("//{}/master/state", leader.addr()).as_str())
    );
    assert_eq!(
        redirect_target(follower),
        Some(format!("//{}", leader.addr()))
    );
    assert_eq!(
        redirect_target(leader),
        Some(format!("//{}", leader.addr()))
    );
    // Endpoints that any master serves.
    assert_eq!(
        raw_get(&format!("{}/master/health", follower.url()))
            .unwrap()
            .code,
        200
    );
    assert_eq!(
        raw_get(&format!("{}/master/flags", follower.url()))
            .unwrap()
            .code,
        200
    );
    let leader_id = state_id(leader);

    // Both contenders are in ZooKeeper with compact MasterInfo JSON as real
    // Mesos writes it; the lowest sequence is the leader.
    let reader = ZkReader::shared();
    let nodes = reader.contenders(&path);
    assert_eq!(nodes.len(), 2, "{nodes:?}");
    for n in &nodes {
        let seq = n.strip_prefix("json.info_").unwrap();
        assert_eq!(seq.len(), 10, "{n}");
        assert!(seq.bytes().all(|b| b.is_ascii_digit()), "{n}");
    }
    let infos = infos_by_port(&reader, &path);
    for (port, node, info) in &infos {
        let raw = String::from_utf8(reader.data(&format!("{path}/{node}"))).unwrap();
        assert!(
            !raw.contains('\n') && !raw.contains(": "),
            "not compact: {raw}"
        );
        assert!(raw.starts_with("{\"id\":\""), "{raw}");
        assert_eq!(info["ip"].as_u64(), Some(LOCALHOST_PACKED), "{raw}");
        assert_eq!(info["pid"], format!("master@127.0.0.1:{port}"), "{raw}");
        assert_eq!(info["hostname"], "127.0.0.1", "{raw}");
        assert_eq!(info["version"], "1.11.0", "{raw}");
        assert_eq!(
            info["address"],
            serde_json::json!({"hostname": "127.0.0.1", "ip": "127.0.0.1", "port": port}),
            "{raw}"
        );
        assert_eq!(
            info["capabilities"],
            serde_json::json!([{"type": "AGENT_UPDATE"}, {"type": "AGENT_DRAINING"}, {"type": "QUOTA_V2"}])
        );
    }
    let mut ports: Vec<u64> = infos.iter().map(|(p, _, _)| *p).collect();
    ports.sort();
    let mut want = vec![u64::from(a.port), u64::from(b.port)];
    want.sort();
    assert_eq!(ports, want);
    let lowest = &infos.iter().find(|(_, n, _)| *n == nodes[0]).unwrap().2;
    assert_eq!(lowest["port"].as_u64(), Some(u64::from(leader.port)));
    assert_eq!(lowest["id"], leader_id.as_str());

    // The real CLI finds the same leader.
    let j = resolve_json(&url);
    assert_eq!(j["port"].as_u64(), Some(u64::from(leader.port)), "{j}");
    assert_eq!(j["id"], leader_id.as_str(), "{j}");

    // Logs, as real Mesos words them.
    wait_until(DEADLINE, "election log lines", || {
        leader.log().contains("Elected as the leading master!")
            && follower.log().contains(&format!(
                "The newly elected leader is master@127.0.0.1:{} with id {leader_id}",
                leader.port
            ))
    });
}

/// Depends on the agent following ZooKeeper (`mesos agent --master=zk://`).
#[test]
fn agent_given_a_zk_url_registers_with_the_leader() {
    let server = zk::shared();
    let path = zk::unique_path("mzk-agent");
    let url = server.url(&path);
    let a = start_master_zk(&url, &[]);
    let b = start_master_zk(&url, &[]);
    let masters = [&a, &b];
    let li = wait_single_leader(&masters);
    let leader = masters[li];
    let agent = start_agent_unwaited(&url, &[]);
    wait_until(DEADLINE, "the agent in the leader's /master/slaves", || {
        agent_count(leader) == 1
    });
    let r = raw_get(&format!("{}/master/slaves", leader.url())).unwrap();
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        v["slaves"][0]["port"].as_u64(),
        Some(u64::from(agent.port)),
        "{v}"
    );
}

#[test]
fn killed_leader_expires_and_the_standby_takes_over() {
    let server = zk::shared();
    let path = zk::unique_path("mzk-failover");
    let url = server.url(&path);
    let fast = ["--zk_session_timeout=2secs"];
    let a = start_master_zk(&url, &fast);
    let b = start_master_zk(&url, &fast);
    let li = wait_single_leader(&[&a, &b]);
    let (mut old, new) = if li == 0 { (a, b) } else { (b, a) };
    let old_id = state_id(&old);
    let reader = ZkReader::shared();
    assert_eq!(reader.contenders(&path).len(), 2);

    old.kill();
    wait_until(DEADLINE, "the killed leader's znode to expire", || {
        reader.contenders(&path).len() == 1
    });
    let infos = infos_by_port(&reader, &path);
    assert_eq!(infos[0].0, u64::from(new.port), "{infos:?}");

    let li = wait_single_leader(&[&new]);
    assert_eq!(li, 0);
    let new_id = state_id(&new);
    assert_ne!(new_id, old_id);
    assert!(
        new.log().contains("Elected as the leading master!"),
        "{}",
        new.log()
    );
    let j = resolve_json(&url);
    assert_eq!(j["port"].as_u64(), Some(u64::from(new.port)), "{j}");
    assert_eq!(j["id"], new_id.as_str(), "{j}");

    // A restarted master rejoins as a standby.
    let again = start_master_zk(&url, &fast);
    let li = wait_single_leader(&[&new, &again]);
    assert_eq!(li, 0, "the new leader keeps leading");
    wait_until(DEADLINE, "two contenders again", || {
        reader.contenders(&path).len() == 2
    });
}

/// Right after `kill -9` of the leader, ZooKeeper still names it (until its
/// session expires): `mesos resolve` says it is down, naming the contenders
/// it tried, within `--timeout`, and names the standby once it has taken
/// over, never the dead leader.
#[test]
fn resolve_right_after_the_leader_is_killed_never_names_it() {
    let server = zk::shared();
    let path = zk::unique_path("mzk-kill9");
    let url = server.url(&path);
    // Real Mesos' default: the dead leader stays listed for up to 10 s.
    let session = ["--zk_session_timeout=10secs"];
    let a = start_master_zk(&url, &session);
    let b = start_master_zk(&url, &session);
    let li = wait_single_leader(&[&a, &b]);
    let (mut old, new) = if li == 0 { (a, b) } else { (b, a) };
    let reader = ZkReader::shared();
    old.kill();

    let env = TestEnv::new();
    let r = env.run(&["resolve", "--timeout", "3s", &url]);
    let still_listed = reader.contenders(&path).len() == 2;
    assert!(r.elapsed < Duration::from_secs(8), "{:?}", r.elapsed);
    assert_ne!(r.stdout.trim(), old.addr(), "printed the dead leader");
    if still_listed {
        // ZooKeeper named the dead leader the whole time.
        r.assert_code(1).assert_clean_error();
        assert!(
            r.stderr.contains("names a leader that is down"),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr
                .contains(&format!("{} (connection refused", old.addr())),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.contains(&format!("{} (standby", new.addr())),
            "{}",
            r.stderr
        );
    } else {
        r.assert_ok();
        assert_eq!(r.stdout, format!("{}\n", new.addr()));
    }

    // Given a budget past the session timeout, it waits for the standby.
    let r = env.run(&["resolve", "--timeout", "40s", &url]);
    r.assert_ok();
    assert_eq!(r.stdout, format!("{}\n", new.addr()), "{}", r.stderr);
    assert_eq!(reader.contenders(&path).len(), 1);
}

#[test]
fn unreachable_zookeeper_means_no_leader_but_health_is_served() {
    let url = format!("zk://127.0.0.1:{}/mesos", free_port());
    let m = start_master_zk(&url, &["--zk_session_timeout=2secs"]);
    let r = raw_get(&format!("{}/master/state", m.url())).unwrap();
    assert_eq!(r.code, 503);
    assert_eq!(r.body, "No leader elected");
    let r = raw_get(&format!("{}/master/redirect", m.url())).unwrap();
    assert_eq!(r.code, 503);
    assert_eq!(r.body, "No leader elected");
    assert_eq!(
        raw_get(&format!("{}/master/health", m.url())).unwrap().code,
        200
    );
    assert_eq!(elected(&m), Some(0.0));
    // Still alive and still not leading after a failed connection attempt.
    wait_until(DEADLINE, "a logged connection failure", || {
        m.log().contains("Cannot contend through ZooKeeper")
    });
    assert!(!exited(&m), "{}", m.log());
    assert_eq!(
        raw_get(&format!("{}/master/state", m.url())).unwrap().code,
        503
    );
}

#[test]
fn digest_credentials_create_nodes_with_the_auth_acl() {
    let server = zk::shared();
    let path = zk::unique_path("mzk-digest");
    let url = format!("zk://alice:s3cret@{}{path}", server.connect_string());
    let m = start_master_zk(&url, &[]);
    assert_eq!(wait_single_leader(&[&m]), 0);
    assert!(
        !m.log().contains("s3cret"),
        "password in the log:\n{}",
        m.log()
    );

    let anon = ZkReader::shared();
    let nodes = anon.contenders(&path);
    assert_eq!(nodes.len(), 1, "{nodes:?}");
    let node = format!("{path}/{}", nodes[0]);
    for p in [path.as_str(), node.as_str()] {
        let acl = anon.acl(p);
        assert_eq!(acl.len(), 2, "{p}: {acl:?}");
        assert!(
            acl.iter().any(|a| a.permission() == zkc::Permission::READ
                && a.scheme() == "world"
                && a.id() == "anyone"),
            "{p}: {acl:?}"
        );
        assert!(
            acl.iter().any(|a| a.permission() == zkc::Permission::ALL
                && a.scheme() == "digest"
                && a.id().starts_with("alice:")),
            "{p}: {acl:?}"
        );
    }
    // World-readable: anonymous readers and the CLI without credentials see it...
    let info: Value = serde_json::from_slice(&anon.data(&node)).unwrap();
    assert_eq!(info["port"].as_u64(), Some(u64::from(m.port)));
    let j = resolve_json(&server.url(&path));
    assert_eq!(j["port"].as_u64(), Some(u64::from(m.port)), "{j}");
    let j = resolve_json(&url);
    assert_eq!(j["port"].as_u64(), Some(u64::from(m.port)), "{j}");
    // ...but only the authenticated user may change it.
    assert!(matches!(anon.delete(&node), Err(zkc::Error::NoAuth)));
    let other = ZkReader::connect(&server.connect_string(), Some(("mallory", "x")));
    assert!(matches!(other.delete(&node), Err(zkc::Error::NoAuth)));
    assert_eq!(anon.contenders(&path).len(), 1);
}

#[test]
fn leader_exits_when_it_loses_zookeeper_and_the_standby_stops_redirecting() {
    let mut server = ZkServer::start();
    let url = server.url("/a/mesos");
    let fast = ["--zk_session_timeout=2secs"];
    let a = start_master_zk(&url, &fast);
    let b = start_master_zk(&url, &fast);
    let li = wait_single_leader(&[&a, &b]);
    let (mut leader, follower) = if li == 0 { (a, b) } else { (b, a) };

    server.stop();
    let mut status = None;
    wait_until(DEADLINE, "the leader to abort", || {
        status = leader.child.try_wait().unwrap();
        status.is_some()
    });
    assert_eq!(status.unwrap().code(), Some(1), "{}", leader.log());
    assert!(leader.log().contains("Lost leadership"), "{}", leader.log());

    // The standby forgets the leader once its session is gone, keeps serving.
    wait_until(DEADLINE, "the standby to answer 503", || {
        raw_get(&format!("{}/master/state", follower.url())).is_some_and(|r| r.code == 503)
    });
    assert_eq!(
        raw_get(&format!("{}/master/health", follower.url()))
            .unwrap()
            .code,
        200
    );
    assert!(!exited(&follower), "{}", follower.log());
}
