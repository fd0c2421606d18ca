//! `mesos state` against servers replaying bodies captured from real Mesos.

use crate::common::http::{Answer, TestServer};
use crate::common::{read_fixture, TestEnv};

fn fixture(name: &str) -> Vec<u8> {
    read_fixture(name)
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap()
}

#[test]
fn master_state_is_printed_compact_and_complete() {
    let m = TestServer::start();
    m.as_leader();
    m.route(
        "/master/state",
        Answer::json(fixture("master-state-1.5.json")),
    );
    let r = TestEnv::new().run(&["state", "--master", &m.addr()]);
    r.assert_ok();
    assert_eq!(r.stdout.lines().count(), 1, "compact when not a terminal");
    assert_eq!(
        json(r.stdout.as_bytes()),
        json(&fixture("master-state-1.5.json"))
    );
}

#[test]
fn old_masters_fall_back_to_state_json() {
    let m = TestServer::start();
    m.as_leader();
    m.route(
        "/master/state.json",
        Answer::json(fixture("master-state-0.22.json")),
    );
    let r = TestEnv::new().run(&["state", "--master", &m.addr()]);
    r.assert_ok();
    assert_eq!(
        json(r.stdout.as_bytes()),
        json(&fixture("master-state-0.22.json"))
    );
    assert_eq!(
        m.paths().iter().filter(|p| *p == "/master/state").count(),
        1
    );
}

#[test]
fn summary_uses_state_summary() {
    let m = TestServer::start();
    m.as_leader();
    m.route(
        "/master/state-summary",
        Answer::json(fixture("state-summary-1.7.json")),
    );
    let r = TestEnv::new().run(&["state", "--summary", "--master", &m.addr()]);
    r.assert_ok();
    assert_eq!(
        json(r.stdout.as_bytes()),
        json(&fixture("state-summary-1.7.json"))
    );
    assert!(!m.paths().contains(&"/master/state".to_string()));
}

fn slaves_body(entries: &[(&str, &str, u16)]) -> String {
    let slaves: Vec<String> = entries
        .iter()
        .map(|(id, host, port)| {
            format!(r#"{{"id":"{id}","hostname":"{host}","port":{port},"pid":"slave(1)@127.0.0.1:{port}"}}"#)
        })
        .collect();
    format!(
        r#"{{"slaves":[{}],"recovered_slaves":[]}}"#,
        slaves.join(",")
    )
}

#[test]
fn agent_state_by_id_prefix_or_hostname() {
    let agent = TestServer::start();
    agent.route(
        "/slave(1)/state",
        Answer::json(fixture("agent-state-0.27.json")),
    );
    let m = TestServer::start();
    m.as_leader();
    m.route(
        "/master/slaves",
        Answer::json(slaves_body(&[
            ("abc-S0", "a1.example.net", agent.port),
            ("abc-S1", "a2.example.net", 1),
        ])),
    );
    let env = TestEnv::new();
    for query in ["abc-S0", "a1.example.net", "a1"] {
        let r = env.run(&["state", "--master", &m.addr(), query]);
        r.assert_ok();
        assert_eq!(
            json(r.stdout.as_bytes()),
            json(&fixture("agent-state-0.27.json")),
            "{query}"
        );
    }
}

#[test]
fn ambiguous_or_unknown_agent_exits_4() {
    let m = TestServer::start();
    m.as_leader();
    m.route(
        "/master/slaves",
        Answer::json(slaves_body(&[
            ("abc-S0", "a1", 5051),
            ("abc-S1", "a2", 5052),
        ])),
    );
    let env = TestEnv::new();
    let r = env.run(&["state", "--master", &m.addr(), "abc"]);
    r.assert_code(4).assert_clean_error();
    assert!(
        r.stderr.contains("abc-S0") && r.stderr.contains("abc-S1"),
        "{}",
        r.stderr
    );
    let r = env.run(&["state", "--master", &m.addr(), "zzz"]);
    r.assert_code(4).assert_clean_error();
    assert!(r.stderr.contains("zzz"), "{}", r.stderr);
}

#[test]
fn html_from_a_master_is_an_error_with_url_status_and_excerpt() {
    let m = TestServer::start();
    m.as_leader();
    m.route(
        "/master/state",
        Answer::status(200, "<html><body>Welcome to nginx</body></html>")
            .header("content-type", "text/html"),
    );
    let r = TestEnv::new().run(&["state", "--master", &m.addr()]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains(&format!("{}/master/state", m.url())),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("HTTP 200"), "{}", r.stderr);
    assert!(r.stderr.contains("Welcome to nginx"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn truncated_json_is_an_error() {
    let m = TestServer::start();
    m.as_leader();
    let full = fixture("master-state-1.2.json");
    m.route(
        "/master/state",
        Answer::json(full[..full.len() / 2].to_vec()),
    );
    let r = TestEnv::new().run(&["state", "--master", &m.addr()]);
    r.assert_code(1).assert_clean_error();
    assert!(r.stderr.contains("truncated JSON"), "{}", r.stderr);
}

#[test]
fn server_errors_name_status_and_body() {
    let m = TestServer::start();
    m.as_leader();
    m.route(
        "/master/state",
        Answer::status(500, "Internal failure: registry"),
    );
    let r = TestEnv::new().run(&["state", "--master", &m.addr()]);
    r.assert_code(1).assert_clean_error();
    assert!(r.stderr.contains("HTTP 500"), "{}", r.stderr);
    assert!(r.stderr.contains("registry"), "{}", r.stderr);
}
