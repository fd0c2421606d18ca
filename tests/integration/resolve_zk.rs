//! `mesos resolve zk://...` against a real ZooKeeper (Debian `zookeeper`
//! package), with znodes written the way real Mesos masters write them.
//!
//! All tests share one server (`common::zk::shared`) and use their own znode
//! paths; the server is killed when the test process exits.

use std::net::Ipv4Addr;
use std::time::Duration;

use zookeeper_client as zkc;

use crate::common::zk::{self, master_info_json, master_info_protobuf, ZkSession};
use crate::common::{free_port, wait_until, Run, TestEnv};

const LOCAL: Ipv4Addr = Ipv4Addr::LOCALHOST;

/// Generous budget for runs that should succeed (a loaded 2-core machine).
const OK_TIMEOUT: &str = "20s";

/// A stand-in master that answers every request with 503 (a master that
/// knows no leader): `resolve` finds it up, and `--json` fails fast when it
/// asks for the master's details, so it keeps the znode's data.
fn master_port() -> u16 {
    stand_in_master("503 Service Unavailable", None)
}

/// Serve `status` (with `Location: location`, if any, `{self}` standing for
/// its own port) to every request on a fresh local port, for the rest of
/// the test process.
fn stand_in_master(status: &'static str, location: Option<String>) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind((LOCAL, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let location = location.map(|l| l.replace("{self}", &port.to_string()));
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let location = location.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&conn);
                let mut length = 0usize;
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    if line == "\r\n" {
                        break;
                    }
                    line.clear();
                }
                let mut body = vec![0; length];
                let _ = std::io::Read::read_exact(&mut reader, &mut body);
                let extra = location.map_or(String::new(), |l| format!("Location: {l}\r\n"));
                let _ = write!(
                    &conn,
                    "HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
                );
            });
        }
    });
    port
}

fn resolve(env: &TestEnv, url: &str) -> Run {
    env.run(&["resolve", "--timeout", OK_TIMEOUT, url])
}

fn resolve_json(env: &TestEnv, url: &str) -> serde_json::Value {
    let r = env.run(&["resolve", "--json", "--timeout", OK_TIMEOUT, url]);
    r.assert_ok();
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("bad JSON ({e}): {}", r.stdout))
}

fn session() -> ZkSession {
    ZkSession::connect(&zk::shared().connect_string(), None)
}

#[test]
fn lowest_sequence_wins_and_non_contenders_are_ignored() {
    let server = zk::shared();
    let path = zk::unique_path("lowest");
    let admin = session();
    admin.ensure_path(&path);
    // What else lives under a real Mesos path: the replicated log's group,
    // plus junk whose last `_` token is not a sequence number.
    admin.create(
        &format!("{path}/log_replicas"),
        b"",
        zkc::CreateMode::Persistent,
    );
    admin.create(
        &format!("{path}/log_replicas/0000000000"),
        b"x",
        zkc::CreateMode::Persistent,
    );
    for junk in ["junk", "lock-abc", "not_a_seq", "json.info_"] {
        admin.create(
            &format!("{path}/{junk}"),
            b"{}",
            zkc::CreateMode::Persistent,
        );
    }

    let ports = [master_port(), master_port(), master_port()];
    let masters: Vec<ZkSession> = ports
        .iter()
        .enumerate()
        .map(|(i, port)| {
            let s = session();
            let node = s.register_master(
                &path,
                &master_info_json(&format!("master-{i}"), LOCAL, *port, &format!("m{i}.test")),
            );
            assert!(node.starts_with(&format!("{path}/json.info_")), "{node}");
            s
        })
        .collect();

    let env = TestEnv::new();
    let r = resolve(&env, &server.url(&path));
    r.assert_ok();
    assert_eq!(r.stdout, format!("127.0.0.1:{}\n", ports[0]));

    let j = resolve_json(&env, &server.url(&path));
    assert_eq!(j["leader"], format!("127.0.0.1:{}", ports[0]));
    assert_eq!(j["ip"], "127.0.0.1");
    assert_eq!(j["port"], ports[0]);
    assert_eq!(j["hostname"], "m0.test");
    // With ZooKeeper, id and version come from the znode itself.
    assert_eq!(j["id"], "master-0");
    assert_eq!(j["version"], "1.11.0");
    let via = j["via"].as_str().unwrap();
    assert!(via.contains(&server.url(&path)), "{via}");
    assert!(via.contains("json.info_"), "{via}");
    drop(masters);
}

#[test]
fn sequence_number_not_creation_order_decides() {
    // Names written explicitly: the node created first has the larger number.
    let server = zk::shared();
    let path = zk::unique_path("seqorder");
    let admin = session();
    admin.ensure_path(&path);
    let (late, early) = (master_port(), master_port());
    let data = |id: &str, port| {
        master_info_json(id, LOCAL, port, "h")
            .to_string()
            .into_bytes()
    };
    admin.create(
        &format!("{path}/json.info_0000000100"),
        &data("late", late),
        zkc::CreateMode::Persistent,
    );
    admin.create(
        &format!("{path}/json.info_0000000009"),
        &data("early", early),
        zkc::CreateMode::Persistent,
    );
    let r = resolve(&TestEnv::new(), &server.url(&path));
    r.assert_ok();
    assert_eq!(r.stdout, format!("127.0.0.1:{early}\n"));
}

#[test]
fn leader_change_moves_to_the_next_lowest_sequence() {
    let server = zk::shared();
    let path = zk::unique_path("failover");
    let url = server.url(&path);
    let observer = session();
    let ports = [master_port(), master_port(), master_port()];
    let mut masters: Vec<(ZkSession, String)> = ports
        .iter()
        .enumerate()
        .map(|(i, port)| {
            let s = session();
            let node = s.register_master(
                &path,
                &master_info_json(&format!("m{i}"), LOCAL, *port, "h"),
            );
            (s, node)
        })
        .collect();
    let env = TestEnv::new();
    resolve(&env, &url).assert_ok();
    assert_eq!(
        resolve(&env, &url).stdout,
        format!("127.0.0.1:{}\n", ports[0])
    );

    for (n, expected) in ports.iter().enumerate().skip(1) {
        // The leader's session ends (the master died): its znode vanishes.
        let (old, node) = masters.remove(0);
        old.close();
        wait_until(
            Duration::from_secs(30),
            "the old leader's znode to vanish",
            || !observer.exists(&node),
        );
        let r = resolve(&env, &url);
        r.assert_ok();
        assert_eq!(
            r.stdout,
            format!("127.0.0.1:{expected}\n"),
            "after failover #{n}"
        );
    }

    // A newcomer gets a higher sequence and does not take over.
    let newcomer = session();
    newcomer.register_master(&path, &master_info_json("new", LOCAL, master_port(), "h"));
    assert_eq!(
        resolve(&env, &url).stdout,
        format!("127.0.0.1:{}\n", ports[2])
    );

    // Everyone gone: nobody is registered.
    drop(masters);
    newcomer.close();
    wait_until(Duration::from_secs(30), "all contenders to vanish", || {
        observer.children(&path).is_empty()
    });
    let r = resolve(&env, &url);
    r.assert_code(4).assert_clean_error();
    assert!(
        r.stderr
            .contains(&format!("no master is registered under {path}")),
        "{}",
        r.stderr
    );
}

#[test]
fn legacy_protobuf_info_node() {
    // A 0.23-era master: `info_` with binary protobuf. A later 1.x master's
    // json.info_ node has a higher sequence, so the old one still leads.
    let server = zk::shared();
    let path = zk::unique_path("legacy-pb");
    let old_port = master_port();
    let old = session();
    old.ensure_path(&path);
    let node = old.create(
        &format!("{path}/info_"),
        &master_info_protobuf("20150101-old", LOCAL, old_port, "old.test", "0.23.1"),
        zkc::CreateMode::EphemeralSequential,
    );
    assert!(node.contains("/info_0"), "{node}");
    let new = session();
    new.register_master(
        &path,
        &master_info_json("new", LOCAL, master_port(), "new.test"),
    );

    let env = TestEnv::new();
    let r = resolve(&env, &server.url(&path));
    r.assert_ok();
    assert_eq!(r.stdout, format!("127.0.0.1:{old_port}\n"));
    let j = resolve_json(&env, &server.url(&path));
    assert_eq!(j["id"], "20150101-old");
    assert_eq!(j["version"], "0.23.1");
    assert_eq!(j["hostname"], "old.test");
    assert_eq!(j["port"], old_port);
    assert!(j["via"].as_str().unwrap().contains(&node), "{j}");
}

#[test]
fn legacy_digits_only_pid_node() {
    // A very old master: the node name is just the sequence and the data is
    // the text UPID.
    let server = zk::shared();
    let path = zk::unique_path("legacy-pid");
    let port = master_port();
    let old = session();
    old.ensure_path(&path);
    let node = old.create(
        &format!("{path}/"),
        format!("master@127.0.0.1:{port}").as_bytes(),
        zkc::CreateMode::EphemeralSequential,
    );
    let name = node.rsplit('/').next().unwrap();
    assert!(name.bytes().all(|b| b.is_ascii_digit()), "{node}");
    let r = resolve(&TestEnv::new(), &server.url(&path));
    r.assert_ok();
    assert_eq!(r.stdout, format!("127.0.0.1:{port}\n"));
}

#[test]
fn dead_members_are_skipped() {
    let server = zk::shared();
    let path = zk::unique_path("dead-some");
    let port = master_port();
    let m = session();
    m.register_master(&path, &master_info_json("m", LOCAL, port, "h"));
    let (d1, d2) = (free_port(), free_port());
    // Dead members first and last: the client must move on to the live one.
    let url = format!(
        "zk://127.0.0.1:{d1},{},127.0.0.1:{d2}{path}",
        server.connect_string()
    );
    let env = TestEnv::new();
    for _ in 0..3 {
        // The client shuffles members; a few runs exercise several orders.
        let r = resolve(&env, &url);
        r.assert_ok();
        assert_eq!(r.stdout, format!("127.0.0.1:{port}\n"));
    }
}

#[test]
fn silent_members_are_skipped_and_reported() {
    // A member that accepts TCP connections but never speaks ZooKeeper
    // (hung JVM, wrong service): the client must give up on it in time.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_addr = format!("127.0.0.1:{}", silent.local_addr().unwrap().port());
    let server = zk::shared();
    let path = zk::unique_path("silent");
    let port = master_port();
    let m = session();
    m.register_master(&path, &master_info_json("m", LOCAL, port, "h"));
    let env = TestEnv::new();
    let url = format!("zk://{silent_addr},{}{path}", server.connect_string());
    let r = resolve(&env, &url);
    r.assert_ok();
    assert_eq!(r.stdout, format!("127.0.0.1:{port}\n"));

    let r = env.run(&[
        "resolve",
        "--timeout",
        "2s",
        &format!("zk://{silent_addr}{path}"),
    ]);
    r.assert_code(1).assert_clean_error();
    assert!(r.elapsed < Duration::from_secs(10), "took {:?}", r.elapsed);
    assert!(r.stderr.contains(&silent_addr), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("accepts connections but gave no ZooKeeper session"),
        "{}",
        r.stderr
    );
    drop(silent);
}

#[test]
fn all_members_dead_fails_within_the_timeout_naming_each() {
    let dead = [free_port(), free_port(), free_port()];
    let members: Vec<String> = dead.iter().map(|p| format!("127.0.0.1:{p}")).collect();
    let url = format!("zk://{}/mesos", members.join(","));
    let r = TestEnv::new().run(&["resolve", "--timeout", "2s", &url]);
    r.assert_code(1).assert_clean_error();
    assert!(r.elapsed < Duration::from_secs(10), "took {:?}", r.elapsed);
    assert_eq!(
        r.stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .count(),
        1,
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("cannot reach ZooKeeper"), "{}", r.stderr);
    assert!(r.stderr.contains("within 2s"), "{}", r.stderr);
    assert!(r.stderr.contains("connection refused"), "{}", r.stderr);
    for m in &members {
        assert!(
            r.stderr.contains(m.as_str()),
            "{m} missing from: {}",
            r.stderr
        );
    }
    assert!(r.stdout.is_empty(), "{}", r.stdout);
}

#[test]
fn digest_credentials_resolve_and_the_password_never_shows() {
    const USER: &str = "mesos-op";
    const PASS: &str = "pa55-Wh1sper";
    let server = zk::shared();
    let path = zk::unique_path("auth");
    let port = master_port();
    // Like a master started with zk://user:pass@...: world READ + auth ALL.
    let m = ZkSession::connect(&server.connect_string(), Some((USER, PASS)));
    m.register_master(&path, &master_info_json("secure", LOCAL, port, "h"));
    let with_creds = |p: &str| format!("zk://{USER}:{PASS}@{}{p}", server.connect_string());
    let no_leak = |r: &Run| {
        assert!(!r.stdout.contains(PASS), "password in stdout: {}", r.stdout);
        assert!(!r.stderr.contains(PASS), "password in stderr: {}", r.stderr);
    };
    let env = TestEnv::new();

    let r = resolve(&env, &with_creds(&path));
    r.assert_ok();
    no_leak(&r);
    assert_eq!(r.stdout, format!("127.0.0.1:{port}\n"));

    let r = env.run(&[
        "resolve",
        "--json",
        "--timeout",
        OK_TIMEOUT,
        &with_creds(&path),
    ]);
    r.assert_ok();
    no_leak(&r);
    assert!(
        r.stdout.contains(&format!("zk://{USER}:***@")),
        "{}",
        r.stdout
    );

    // Wrong path.
    let r = resolve(&env, &with_creds(&format!("{path}-nope")));
    r.assert_code(4).assert_clean_error();
    no_leak(&r);

    // A path only the creator may read, tried with a wrong password and with none.
    let private = zk::unique_path("auth-private");
    m.ensure_path_with(&private, &zkc::Acls::creator_all());
    m.create_with(
        &format!("{private}/json.info_"),
        master_info_json("p", LOCAL, port, "h")
            .to_string()
            .as_bytes(),
        zkc::CreateMode::EphemeralSequential,
        &zkc::Acls::creator_all(),
    );
    let r = resolve(&env, &with_creds(&private));
    r.assert_ok();
    no_leak(&r);
    let wrong = format!(
        "zk://{USER}:{PASS}-wrong@{}{private}",
        server.connect_string()
    );
    let r = resolve(&env, &wrong);
    r.assert_code(1).assert_clean_error();
    no_leak(&r);
    assert!(
        r.stderr.contains("ZooKeeper refused the credentials"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(USER), "{}", r.stderr);
    let r = resolve(&env, &server.url(&private));
    r.assert_code(1).assert_clean_error();
    assert!(r.stderr.contains("without credentials"), "{}", r.stderr);

    // Unreachable ensemble.
    let dead = format!("zk://{USER}:{PASS}@127.0.0.1:{}{path}", free_port());
    let r = env.run(&["resolve", "--timeout", "1s", &dead]);
    r.assert_code(1).assert_clean_error();
    no_leak(&r);
    assert!(
        r.stderr.contains(&format!("zk://{USER}:***@")),
        "{}",
        r.stderr
    );
}

#[test]
fn no_contenders_is_not_found() {
    let server = zk::shared();
    let env = TestEnv::new();

    // The path exists but holds no contender.
    let path = zk::unique_path("empty");
    let admin = session();
    admin.ensure_path(&path);
    let r = resolve(&env, &server.url(&path));
    r.assert_code(4).assert_clean_error();
    assert!(
        r.stderr.contains(&format!(
            "no master is registered under {path} in {}",
            server.url(&path)
        )),
        "{}",
        r.stderr
    );

    // Only non-contenders.
    admin.create(
        &format!("{path}/log_replicas"),
        b"",
        zkc::CreateMode::Persistent,
    );
    admin.create(&format!("{path}/junk"), b"", zkc::CreateMode::Persistent);
    let r = resolve(&env, &server.url(&path));
    r.assert_code(4).assert_clean_error();
    assert!(r.stderr.contains("no master is registered"), "{}", r.stderr);

    // The path does not exist at all.
    let missing = zk::unique_path("missing");
    let r = resolve(&env, &server.url(&missing));
    r.assert_code(4).assert_clean_error();
    assert!(
        r.stderr
            .contains(&format!("no master is registered under {missing}")),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("does not exist"), "{}", r.stderr);
}

/// ZooKeeper names a leader until its session expires; a leader that does
/// not answer is reported at once (with every contender tried) instead of
/// being printed, and a contender that leads by now is named instead.
#[test]
fn a_leader_that_does_not_answer_is_not_printed() {
    let server = zk::shared();
    let path = zk::unique_path("deadleader");
    let url = server.url(&path);
    let dead = free_port();
    let (leader_s, standby_s) = (session(), session());
    leader_s.register_master(&path, &master_info_json("dead", LOCAL, dead, "h"));
    // The standby follows the dead leader (it has not taken over yet).
    let standby = stand_in_master(
        "307 Temporary Redirect",
        Some(format!("//127.0.0.1:{dead}")),
    );
    standby_s.register_master(&path, &master_info_json("standby", LOCAL, standby, "h"));
    let env = TestEnv::new();
    let r = env.run(&["resolve", "--timeout", "2s", &url]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("names a leader that is down"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains(&format!("127.0.0.1:{dead} (connection refused")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!(
            "127.0.0.1:{standby} (standby, follows 127.0.0.1:{dead})"
        )),
        "{}",
        r.stderr
    );
    assert!(r.elapsed < Duration::from_secs(6), "{:?}", r.elapsed);

    // A contender whose redirect names itself leads by now: it is printed.
    let third_s = session();
    let third = stand_in_master("307 Temporary Redirect", Some("//127.0.0.1:{self}".into()));
    third_s.register_master(&path, &master_info_json("third", LOCAL, third, "h"));
    let r = env.run(&["resolve", "--timeout", "5s", &url]);
    r.assert_ok();
    assert_eq!(r.stdout, format!("127.0.0.1:{third}\n"));
    drop((leader_s, standby_s, third_s));
}

/// A leader that wants credentials (401) is up: it is printed.
#[test]
fn a_leader_that_answers_401_is_up() {
    let server = zk::shared();
    let path = zk::unique_path("leader401");
    let port = stand_in_master("401 Unauthorized", None);
    let s = session();
    s.register_master(&path, &master_info_json("locked", LOCAL, port, "h"));
    let r = resolve(&TestEnv::new(), &server.url(&path));
    r.assert_ok();
    assert_eq!(r.stdout, format!("127.0.0.1:{port}\n"));
    drop(s);
}
