//! TLS options against real HTTPS servers (rustls, a throw-away rcgen CA):
//! an untrusted certificate fails cleanly with a hint, `--ca-file` (flag,
//! `MESOS_CA_FILE`, profile `ca_file`) and `--insecure` (flag,
//! `MESOS_INSECURE`) make it work, bad CA files are usage errors, a
//! certificate for another host is refused, and protocol-relative redirects
//! keep https.

use crate::common::http::Answer;
use crate::common::tls_server::{TestCa, TlsTestServer};
use crate::common::TestEnv;

/// A CA, an HTTPS leading master whose certificate it signed, and a sealed
/// environment holding `ca.pem`.
fn leader_setup() -> (TestCa, TlsTestServer, TestEnv, String) {
    let ca = TestCa::new();
    let m = TlsTestServer::start(&ca);
    m.as_leader();
    let env = TestEnv::new();
    let ca_pem = ca.write_pem(env.home(), "ca.pem");
    (ca, m, env, ca_pem.to_string_lossy().into_owned())
}

#[test]
fn untrusted_certificate_fails_with_one_clean_line_and_a_hint() {
    let (_ca, m, env, _) = leader_setup();
    let r = env.run(&["resolve", &m.url()]);
    r.assert_code(1).assert_clean_error();
    let error_lines: Vec<_> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(error_lines.len(), 1, "{}", r.stderr);
    let err = error_lines[0];
    assert!(err.contains(&m.url()), "names the URL: {err}");
    assert!(
        err.contains("not trusted"),
        "says the certificate is not trusted: {err}"
    );
    assert!(err.contains("UnknownIssuer"), "keeps rustls' reason: {err}");
    assert!(
        r.stderr.contains("--ca-file"),
        "hints at --ca-file: {}",
        r.stderr
    );
    assert!(
        r.stderr.contains("--insecure"),
        "hints at --insecure: {}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "stdout: {}", r.stdout);
    // The handshake failed: no request ever reached the server.
    assert!(m.requests().is_empty(), "{:?}", m.paths());
}

#[test]
fn ca_file_flag_trusts_the_server() {
    let (_ca, m, env, ca_pem) = leader_setup();
    let r = env.run(&["resolve", "--ca-file", &ca_pem, &m.url()]);
    r.assert_ok();
    // https masters print as URLs.
    assert_eq!(r.stdout, format!("{}\n", m.url()));
    assert!(r.stderr.is_empty(), "stderr: {}", r.stderr);
    assert_eq!(m.paths(), ["/master/redirect"]);
}

#[test]
fn ca_file_from_the_environment_trusts_the_server() {
    let (_ca, m, env, ca_pem) = leader_setup();
    let env = env.env("MESOS_CA_FILE", &ca_pem);
    let r = env.run(&["resolve", &m.url()]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), m.url());
}

#[test]
fn ca_file_from_the_profile_trusts_the_server() {
    let (_ca, m, env, ca_pem) = leader_setup();
    let write_profile = |extra: &str| {
        let text = format!(
            "active = \"tls\"\n\n[profiles.tls]\nmaster = {}\n{extra}",
            toml::Value::from(m.url())
        );
        std::fs::write(env.config_path(), text).unwrap();
    };
    // Without ca_file the profile's https master is refused...
    write_profile("");
    env.run(&["resolve"]).assert_code(1).assert_clean_error();
    // ...with it, trusted. The master comes from the profile too.
    write_profile(&format!(
        "ca_file = {}\n",
        toml::Value::from(ca_pem.as_str())
    ));
    let r = env.run(&["resolve"]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), m.url());
    // A profile `insecure = true` works as well.
    write_profile("insecure = true\n");
    let r = env.run(&["resolve"]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), m.url());
}

#[test]
fn ca_file_with_another_ca_is_still_not_trusted() {
    let (_ca, m, env, _) = leader_setup();
    let other = TestCa::new().write_pem(env.home(), "other-ca.pem");
    let r = env.run(&["resolve", "--ca-file", &other.to_string_lossy(), &m.url()]);
    r.assert_code(1).assert_clean_error();
    assert!(r.stderr.contains("not trusted"), "{}", r.stderr);
    assert!(m.requests().is_empty());
}

#[test]
fn insecure_flag_skips_verification() {
    let (_ca, m, env, _) = leader_setup();
    let r = env.run(&["resolve", "--insecure", &m.url()]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), m.url());
}

#[test]
fn insecure_from_the_environment_skips_verification() {
    let (_ca, m, _, _) = leader_setup();
    let r = TestEnv::new()
        .env("MESOS_INSECURE", "true")
        .run(&["resolve", &m.url()]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), m.url());
}

/// `MESOS_INSECURE=1` is the usual way to set a boolean in the environment.
#[test]
fn insecure_from_the_environment_accepts_1() {
    let (_ca, m, _, _) = leader_setup();
    let r = TestEnv::new()
        .env("MESOS_INSECURE", "1")
        .run(&["resolve", &m.url()]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), m.url());
}

#[test]
fn state_over_https_prints_the_served_body() {
    let (_ca, m, env, ca_pem) = leader_setup();
    let body = r#"{"id":"tls-master","hostname":"127.0.0.1","slaves":[],"frameworks":[]}"#;
    m.route("/master/state", Answer::json(body));
    let r = env.run(&["state", "--master", &m.url(), "--ca-file", &ca_pem]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), body);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["id"], "tls-master");
    assert!(
        m.paths().contains(&"/master/state".to_string()),
        "{:?}",
        m.paths()
    );
}

#[test]
fn missing_ca_file_is_a_usage_error_naming_the_file() {
    let (_ca, m, env, _) = leader_setup();
    let missing = env.home().join("no-such-ca.pem");
    let missing = missing.to_string_lossy();
    let r = env.run(&["resolve", "--ca-file", &missing, &m.url()]);
    r.assert_code(2).assert_clean_error();
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains(&*missing), "{}", r.stderr);
    assert!(m.requests().is_empty());
}

#[test]
fn ca_file_without_a_certificate_is_a_usage_error_naming_the_file() {
    let (ca, m, env, _) = leader_setup();
    let cases = [
        ("empty.pem", String::new()),
        ("text.pem", "this is not a certificate\n".to_string()),
        // A private key is PEM, but not a certificate.
        (
            "key.pem",
            rcgen::KeyPair::generate().unwrap().serialize_pem(),
        ),
        // Truncated base64 inside the markers.
        (
            "broken.pem",
            "-----BEGIN CERTIFICATE-----\nMIIB!!!notbase64\n-----END CERTIFICATE-----\n"
                .to_string(),
        ),
    ];
    for (name, text) in cases {
        let p = env.home().join(name);
        std::fs::write(&p, text).unwrap();
        let p = p.to_string_lossy();
        let r = env.run(&["resolve", "--ca-file", &p, &m.url()]);
        r.assert_code(2).assert_clean_error();
        assert_eq!(r.stderr.lines().count(), 1, "{name}: {}", r.stderr);
        assert!(r.stderr.contains(&*p), "{name}: {}", r.stderr);
        assert!(
            r.stderr.contains("no PEM certificate"),
            "{name}: {}",
            r.stderr
        );
    }
    drop(ca);
    assert!(m.requests().is_empty());
}

#[test]
fn certificate_for_another_host_is_refused_even_with_the_right_ca() {
    let ca = TestCa::new();
    let m = TlsTestServer::start_with_names(&ca, &["127.0.0.2"]);
    m.as_leader();
    let env = TestEnv::new();
    let ca_pem = ca.write_pem(env.home(), "ca.pem");
    let r = env.run(&["resolve", "--ca-file", &ca_pem.to_string_lossy(), &m.url()]);
    r.assert_code(1).assert_clean_error();
    let err = r.stderr.lines().next().unwrap();
    assert!(err.contains(&m.url()), "{err}");
    assert!(err.contains("does not match the host name"), "{err}");
    // rustls' detail: the name asked for and the names the certificate has.
    assert!(err.contains(r#"not valid for name "127.0.0.1""#), "{err}");
    assert!(err.contains("127.0.0.2"), "{err}");
    assert!(!err.contains("not trusted"), "the CA is trusted: {err}");
    assert!(m.requests().is_empty());
}

#[test]
fn protocol_relative_redirect_keeps_https() {
    let ca = TestCa::new();
    let leader = TlsTestServer::start(&ca);
    leader.as_leader();
    let standby = TlsTestServer::start(&ca);
    standby.route(
        "/master/redirect",
        Answer::redirect(&format!("//{}", leader.addr())),
    );
    let env = TestEnv::new();
    let ca_pem = ca.write_pem(env.home(), "ca.pem");
    let r = env.run(&[
        "resolve",
        "--ca-file",
        &ca_pem.to_string_lossy(),
        &standby.url(),
    ]);
    r.assert_ok();
    assert_eq!(r.stdout, format!("{}\n", leader.url()));
    assert_eq!(standby.paths(), ["/master/redirect"]);
}
