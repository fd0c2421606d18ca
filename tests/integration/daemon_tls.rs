//! TLS on the bundled daemons (`LIBPROCESS_SSL_*`), with real processes and
//! a throw-away CA: the CLI (`--ca-file`) reads state, tasks and sandboxes
//! from a TLS master and agent, a v1 scheduler runs a task while master and
//! agent talk TLS to each other, downgrade serves plain and TLS on one
//! port, `REQUIRE_CERT` refuses clients without a certificate, a plain
//! client on a TLS port and a TLS client on a plain port get a clear error,
//! half-sent requests are cut off, and bad TLS settings stop the daemon.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::common::cluster::{http_get, start_master, Daemon};
use crate::common::tls_daemons::{https_get, run_daemon, start_agent_env, start_master_env, Pki};
use crate::common::{wait_until, TestEnv};

fn tls_cluster(pki: &Pki, extra_env: &[(&str, &str)]) -> (Daemon, Daemon) {
    let env = pki.env(extra_env);
    let master = start_master_env(pki, &env, &[]);
    let agent = start_agent_env(pki, &master, &env);
    (master, agent)
}

#[test]
fn execute_runs_a_task_to_completion_over_tls_end_to_end() {
    let pki = Pki::new();
    let (master, agent) = tls_cluster(&pki, &[]);
    // No scheme on --master: --ca-file makes https the default.
    let r = TestEnv::new().run(&[
        "execute",
        "--master",
        &master.addr(),
        "--ca-file",
        &pki.ca_pem(),
        "--name",
        "tls-true",
        "--command",
        "true",
    ]);
    r.assert_ok();
    assert!(r.stderr.contains("TASK_RUNNING"), "{}", r.stderr);
    assert!(r.stderr.contains("TASK_FINISHED"), "{}", r.stderr);
    // The master called the agent over https and the agent registered and
    // sent its updates over https.
    assert!(
        agent.log().contains("Listening on https://"),
        "{}",
        agent.log()
    );
    let state = https_get(
        &pki,
        &format!("https://{}/master/state", master.addr()),
        true,
    )
    .expect("state over https");
    assert!(state.1.contains("tls-true"), "{}", state.1);
}

#[test]
fn cli_reads_state_ps_and_sandbox_from_a_tls_master_and_agent() {
    let pki = Pki::new();
    let (master, agent) = tls_cluster(&pki, &[]);
    let env = TestEnv::new().env("MESOS_CA_FILE", &pki.ca_pem());
    let m = format!("https://{}", master.addr());
    env.run(&[
        "execute",
        "--master",
        &m,
        "--detach",
        "--name",
        "tls-echo",
        "--command",
        "echo hello-over-tls; sleep 60",
    ])
    .assert_ok();
    let r = env.run(&["state", "--master", &m]);
    r.assert_ok();
    assert!(
        r.stdout.contains(&format!("slave(1)@{}", agent.addr())),
        "{}",
        r.stdout
    );
    let r = env.run(&["ps", "--master", &m, "--no-usage"]);
    r.assert_ok();
    assert!(r.stdout.contains("tls-echo"), "{}", r.stdout);
    // The sandbox is read from the agent, over https.
    wait_until(Duration::from_secs(30), "task output over https", || {
        let r = env.run(&["cat", "--master", &m, "tls-echo", "stdout"]);
        r.code == 0 && r.stdout.contains("hello-over-tls")
    });
    env.run(&["kill", "--master", &m, "tls-echo"]);
}

#[test]
fn downgrade_serves_plain_http_and_tls_on_one_port() {
    let pki = Pki::new();
    let env = pki.env(&[("LIBPROCESS_SSL_SUPPORT_DOWNGRADE", "true")]);
    let master = start_master_env(&pki, &env, &[]);
    let tls = https_get(
        &pki,
        &format!("https://{}/master/health", master.addr()),
        false,
    );
    assert_eq!(tls.map(|r| r.0), Some(200));
    let plain = http_get(&format!("http://{}/master/health", master.addr()));
    assert_eq!(plain.map(|r| r.0), Some(200));
    // And the CLI with either scheme.
    let cli = TestEnv::new();
    cli.run(&["state", "--master", &format!("http://{}", master.addr())])
        .assert_ok();
    cli.run(&[
        "state",
        "--master",
        &format!("https://{}", master.addr()),
        "--ca-file",
        &pki.ca_pem(),
    ])
    .assert_ok();
}

#[test]
fn require_cert_refuses_clients_without_a_certificate_but_not_the_daemons() {
    let pki = Pki::new();
    // The agent requires client certificates: the master presents its own
    // when it launches a task there.
    let master = start_master_env(&pki, &pki.env(&[]), &[]);
    let agent = start_agent_env(
        &pki,
        &master,
        &pki.env(&[("LIBPROCESS_SSL_REQUIRE_CERT", "true")]),
    );
    let url = format!("https://{}/slave(1)/health", agent.addr());
    assert_eq!(
        https_get(&pki, &url, false),
        None,
        "{url} without a certificate"
    );
    assert_eq!(https_get(&pki, &url, true).map(|r| r.0), Some(200), "{url}");
    assert!(
        agent.log().contains("TLS handshake with"),
        "{}",
        agent.log()
    );
    let r = TestEnv::new().run(&[
        "execute",
        "--master",
        &master.addr(),
        "--ca-file",
        &pki.ca_pem(),
        "--command",
        "true",
    ]);
    r.assert_ok();
    assert!(r.stderr.contains("TASK_FINISHED"), "{}", r.stderr);

    // A master that requires them: an agent (presenting its certificate)
    // registers; the CLI, which has none, gets a clean error.
    let strict = start_master_env(
        &pki,
        &pki.env(&[("LIBPROCESS_SSL_REQUIRE_CLIENT_CERT", "true")]),
        &[],
    );
    let _agent2 = start_agent_env(&pki, &strict, &pki.env(&[]));
    let r = TestEnv::new().run(&[
        "state",
        "--master",
        &format!("https://{}", strict.addr()),
        "--ca-file",
        &pki.ca_pem(),
    ]);
    r.assert_code(1).assert_clean_error();
}

#[test]
fn plain_client_on_a_tls_port_and_tls_client_on_a_plain_port_get_a_clear_error() {
    let pki = Pki::new();
    let master = start_master_env(&pki, &pki.env(&[]), &[]);
    let r = TestEnv::new().run(&["state", "--master", &format!("http://{}", master.addr())]);
    r.assert_code(1).assert_clean_error();
    let first = r.stderr.lines().next().unwrap_or("");
    assert!(first.contains("speaks TLS"), "{}", r.stderr);
    assert!(
        first.contains(&format!("use https://{} instead", master.addr())),
        "{}",
        r.stderr
    );

    let plain = start_master(&[]);
    let r = TestEnv::new().run(&[
        "state",
        "--master",
        &format!("https://{}", plain.addr()),
        "--ca-file",
        &pki.ca_pem(),
    ]);
    r.assert_code(1).assert_clean_error();
    let first = r.stderr.lines().next().unwrap_or("");
    assert!(first.contains("does not speak TLS"), "{}", r.stderr);
    assert!(
        first.contains(&format!("use http://{} instead", plain.addr())),
        "{}",
        r.stderr
    );
}

#[test]
fn half_sent_request_is_closed_after_the_header_timeout() {
    let master = start_master(&[]);
    let mut s = TcpStream::connect(master.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    s.write_all(b"GET /master/state HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .unwrap();
    let t0 = Instant::now();
    let mut buf = [0u8; 512];
    let n = s.read(&mut buf).unwrap_or(0);
    let took = t0.elapsed();
    // Closed (EOF or an error answer), after about the 10 s header timeout.
    let answer = String::from_utf8_lossy(&buf[..n]).to_string();
    assert!(n == 0 || answer.starts_with("HTTP/1.1 4"), "{answer}");
    assert!(took >= Duration::from_secs(8), "closed after {took:?}");
    assert!(took < Duration::from_secs(30), "closed after {took:?}");
    // The master still serves.
    assert_eq!(
        http_get(&format!("{}/master/health", master.url())).map(|r| r.0),
        Some(200)
    );
}

#[test]
fn bad_tls_settings_stop_both_daemons_with_one_line() {
    let pki = Pki::new();
    let work = tempfile::tempdir().unwrap();
    let other_key = rcgen::KeyPair::generate().unwrap().serialize_pem();
    std::fs::write(work.path().join("other-key.pem"), other_key).unwrap();
    let other = work.path().join("other-key.pem");
    let cases: Vec<(Vec<(String, String)>, &str)> = vec![
        (
            vec![("LIBPROCESS_SSL_ENABLED".into(), "yes".into())],
            "LIBPROCESS_SSL_ENABLED='yes' is not a boolean",
        ),
        (
            vec![("LIBPROCESS_SSL_ENABLED".into(), "true".into())],
            "LIBPROCESS_SSL_CERT_FILE",
        ),
        (
            pki.env(&[("LIBPROCESS_SSL_CERT_FILE", "/nonexistent/cert.pem")]),
            "LIBPROCESS_SSL_CERT_FILE /nonexistent/cert.pem: cannot read",
        ),
        (
            pki.env(&[("LIBPROCESS_SSL_KEY_FILE", other.to_str().unwrap())]),
            "does not match the certificate",
        ),
        (
            pki.env(&[("LIBPROCESS_SSL_REQUIRE_CERT", "maybe")]),
            "LIBPROCESS_SSL_REQUIRE_CERT='maybe' is not a boolean",
        ),
    ];
    let agent_work = work.path().join("agent");
    let agent_work_flag = format!("--work_dir={}", agent_work.display());
    for (env, want) in &cases {
        for (role, args) in [
            (
                "master",
                vec!["--ip=127.0.0.1", "--port=0", "--registry=in_memory"],
            ),
            (
                "agent",
                vec![
                    "--master=127.0.0.1:5050",
                    "--ip=127.0.0.1",
                    "--port=0",
                    agent_work_flag.as_str(),
                ],
            ),
        ] {
            let (code, stderr) = run_daemon(role, &args, env, work.path());
            assert_eq!(code, 1, "{role} {env:?}: {stderr}");
            let lines: Vec<&str> = stderr.lines().collect();
            assert_eq!(lines.len(), 1, "{role} {env:?}: {stderr}");
            assert!(lines[0].starts_with("error: "), "{role}: {stderr}");
            assert!(lines[0].contains(want), "{role} wants '{want}': {stderr}");
        }
    }
}

/// ZooKeeper does not say whether the leader speaks TLS: with `--ca-file`
/// the CLI uses https for the leader it finds there; without, http, and the
/// error says to use https.
#[test]
fn leader_found_through_zookeeper_is_reached_over_https_with_a_ca_file() {
    let zk = crate::common::zk::shared();
    let zk_url = zk.url(&crate::common::zk::unique_path("tls-leader"));
    let pki = Pki::new();
    let master = start_master_env(&pki, &pki.env(&[]), &[&format!("--zk={zk_url}")]);
    let env = TestEnv::new();
    let mut out = String::new();
    wait_until(Duration::from_secs(30), "leader in ZooKeeper", || {
        let r = env.run(&["resolve", &zk_url, "--ca-file", &pki.ca_pem()]);
        out = r.stdout.clone();
        r.code == 0
    });
    assert_eq!(out.trim(), format!("https://{}", master.addr()));
    env.run(&["state", "--master", &zk_url, "--ca-file", &pki.ca_pem()])
        .assert_ok();
    let r = env.run(&["state", "--master", &zk_url]);
    r.assert_code(1).assert_clean_error();
    assert!(r.stderr.contains("speaks TLS"), "{}", r.stderr);
}
