//! Leader resolution over HTTP against small servers that answer like real
//! masters: 307 with protocol-relative Location, 503 without a leader, a
//! DC/OS path prefix, old masters without /master/redirect, bad bodies.

use std::time::Duration;

use crate::common::http::{Answer, SilentServer, TestServer};
use crate::common::{free_port, TestEnv};

#[test]
fn leader_answers_itself() {
    let m = TestServer::start();
    m.as_leader();
    let r = TestEnv::new().run(&["resolve", &m.addr()]);
    r.assert_ok();
    assert_eq!(r.stdout, format!("{}\n", m.addr()));
    assert!(r.stderr.is_empty(), "stderr: {}", r.stderr);
}

#[test]
fn standby_redirect_is_followed_to_the_leader() {
    let leader = TestServer::start();
    leader.as_leader();
    let standby = TestServer::start();
    standby.route(
        "/master/redirect",
        Answer::redirect(&format!("//{}", leader.addr())),
    );
    let r = TestEnv::new().run(&["resolve", &standby.addr()]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), leader.addr());
}

#[test]
fn list_with_dead_member_and_no_leader_standby_finds_the_leader() {
    let leader = TestServer::start();
    leader.as_leader();
    let waiting = TestServer::start();
    waiting.route("/master/redirect", Answer::status(503, "No leader elected"));
    let dead = free_port();
    let list = format!("127.0.0.1:{dead},{},{}", waiting.addr(), leader.addr());
    let r = TestEnv::new().run(&["resolve", "--timeout", "5s", &list]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), leader.addr());
}

#[test]
fn standby_without_leader_is_reported_as_such() {
    let waiting = TestServer::start();
    waiting.route("/master/redirect", Answer::status(503, "No leader elected"));
    let r = TestEnv::new().run(&["resolve", &waiting.addr()]);
    r.assert_code(1).assert_clean_error();
    assert!(r.stderr.contains("no leader elected"), "{}", r.stderr);
    assert!(r.stderr.contains(&waiting.addr()), "{}", r.stderr);
}

#[test]
fn dcos_prefix_is_kept_on_every_request() {
    let proxy = TestServer::start();
    // The admin router forwards to the leader; its Location names an internal address.
    proxy.route(
        "/mesos/master/redirect",
        Answer::redirect("//10.0.0.5:5050"),
    );
    proxy.route(
        "/mesos/master/state",
        Answer::json(r#"{"id":"x","slaves":[]}"#),
    );
    let base = format!("{}/mesos", proxy.url());
    let env = TestEnv::new();
    let r = env.run(&["resolve", &base]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), base);
    let r = env.run(&["state", "--master", &base]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), r#"{"id":"x","slaves":[]}"#);
    let paths = proxy.paths();
    assert!(paths.iter().all(|p| p.starts_with("/mesos/")), "{paths:?}");
    assert!(
        paths.contains(&"/mesos/master/state".to_string()),
        "{paths:?}"
    );
}

#[test]
fn https_and_prefixed_masters_print_as_urls_http_as_host_port() {
    // Protocol-relative Location keeps the scheme the client used.
    let leader = TestServer::start();
    leader.as_leader();
    let r = TestEnv::new().run(&["resolve", &leader.url()]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), leader.addr());
}

#[test]
fn json_output_has_the_documented_fields() {
    let m = TestServer::start();
    m.as_leader();
    m.route(
        "/api/v1",
        Answer::json(format!(
            r#"{{"type":"GET_MASTER","get_master":{{"master_info":{{"id":"m-123","ip":16777343,"port":{p},"pid":"master@127.0.0.1:{p}","hostname":"localhost","version":"1.11.0","address":{{"hostname":"localhost","ip":"127.0.0.1","port":{p}}}}},"start_time":1.0}}}}"#,
            p = m.port
        )),
    );
    let r = TestEnv::new().run(&["resolve", "--json", &m.addr()]);
    r.assert_ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["leader"], m.addr());
    assert_eq!(v["id"], "m-123");
    assert_eq!(v["version"], "1.11.0");
    assert_eq!(v["ip"], "127.0.0.1");
    assert_eq!(v["hostname"], "localhost");
    assert_eq!(v["port"], m.port);
    assert!(v["via"].as_str().unwrap().contains(&m.addr()), "{v}");
    // The v1 call was a POST with the bare JSON content type.
    let req = m
        .requests()
        .into_iter()
        .find(|r| r.path == "/api/v1")
        .expect("GET_MASTER was sent");
    assert_eq!(req.method, "POST");
    assert_eq!(req.headers["content-type"], "application/json");
}

#[test]
fn old_master_without_redirect_endpoint_uses_state_leader() {
    let m = TestServer::start();
    m.route(
        "/master/state.json",
        Answer::json(format!(r#"{{"leader":"master@{}","slaves":[]}}"#, m.addr())),
    );
    let r = TestEnv::new().run(&["resolve", &m.addr()]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), m.addr());
}

#[test]
fn unreachable_masters_fail_within_timeout_naming_each() {
    let (a, b) = (free_port(), free_port());
    let list = format!("127.0.0.1:{a},127.0.0.1:{b}");
    let r = TestEnv::new().run(&["resolve", "--timeout", "2s", &list]);
    r.assert_code(1).assert_clean_error();
    assert!(r.stderr.contains(&format!("127.0.0.1:{a}")), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("127.0.0.1:{b}")), "{}", r.stderr);
    assert!(r.stderr.contains("connection refused"), "{}", r.stderr);
    assert!(r.elapsed < Duration::from_secs(10), "{:?}", r.elapsed);
}

#[test]
fn silent_master_times_out_with_exit_124() {
    let s = SilentServer::start();
    let r = TestEnv::new().run(&[
        "resolve",
        "--timeout",
        "1s",
        &format!("127.0.0.1:{}", s.port),
    ]);
    r.assert_code(124).assert_clean_error();
    assert!(
        r.stderr.contains(&format!("127.0.0.1:{}", s.port)),
        "{}",
        r.stderr
    );
    // The budget as a person reads it, not the nanoseconds that were left.
    assert!(r.stderr.contains("no answer within 1s"), "{}", r.stderr);
    let nanos = r
        .stderr
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w.ends_with("ns") && w.starts_with(|c: char| c.is_ascii_digit()));
    assert!(!nanos, "{}", r.stderr);
    assert!(r.elapsed < Duration::from_secs(8), "{:?}", r.elapsed);
}

#[test]
fn malformed_master_values_exit_2_naming_the_bad_part() {
    let env = TestEnv::new();
    for (value, needle) in [
        ("zk://", "no ZooKeeper host"),
        ("zk://host/", "no znode path"),
        ("http://:5050", "no host"),
        ("file:///definitely/not/here", "/definitely/not/here"),
        ("m1:notaport", "invalid port"),
    ] {
        let r = env.run(&["resolve", "--master", value]);
        r.assert_code(2).assert_clean_error();
        assert!(r.stderr.contains(needle), "{value}: {}", r.stderr);
    }
}

#[test]
fn file_spec_is_resolved_recursively_and_loops_are_caught() {
    let m = TestServer::start();
    m.as_leader();
    let env = TestEnv::new();
    let inner = env.home().join("inner");
    let outer = env.home().join("outer");
    std::fs::write(&inner, format!("{}\n", m.url())).unwrap();
    std::fs::write(&outer, format!("# comment\nfile://{}\n", inner.display())).unwrap();
    let r = env.run(&["resolve", &format!("file://{}", outer.display())]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), m.addr());

    let a = env.home().join("a");
    let b = env.home().join("b");
    std::fs::write(&a, format!("file://{}", b.display())).unwrap();
    std::fs::write(&b, format!("file://{}", a.display())).unwrap();
    let r = env.run(&["resolve", &format!("file://{}", a.display())]);
    r.assert_code(2).assert_clean_error();
    assert!(r.stderr.contains("loop"), "{}", r.stderr);
}

#[test]
fn basic_auth_is_sent_and_secret_never_shown() {
    let m = TestServer::start();
    m.as_leader();
    m.route("/master/state", Answer::json(r#"{"ok":true}"#));
    // base64("ops:s3cret-value")
    m.require_auth("Basic b3BzOnMzY3JldC12YWx1ZQ==");
    let env = TestEnv::new();
    let secret = env.home().join("secret");
    std::fs::write(&secret, "s3cret-value\n").unwrap();
    let r = env.run(&[
        "state",
        "--master",
        &m.addr(),
        "--principal",
        "ops",
        "--secret-file",
        secret.to_str().unwrap(),
    ]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), r#"{"ok":true}"#);

    // Wrong secret: 401 with a hint, and the secret is not echoed.
    std::fs::write(&secret, "wrong-value\n").unwrap();
    let r = env.run(&[
        "state",
        "--master",
        &m.addr(),
        "--principal",
        "ops",
        "--secret-file",
        secret.to_str().unwrap(),
    ]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr
            .contains("refused the credentials of principal 'ops'"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("wrong-value"), "{}", r.stderr);

    // A principal without a secret is a usage error.
    let r = env.run(&["state", "--master", &m.addr(), "--principal", "ops"]);
    r.assert_code(2).assert_clean_error();
}

#[test]
fn token_is_sent_dcos_style() {
    let m = TestServer::start();
    m.as_leader();
    m.require_auth("token=abc.def.ghi");
    m.route("/master/state", Answer::json("{}"));
    let r = TestEnv::new()
        .env("MESOS_TOKEN", "abc.def.ghi")
        .run(&["state", "--master", &m.addr()]);
    r.assert_ok();
}
