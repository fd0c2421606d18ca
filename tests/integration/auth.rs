//! HTTP authentication of the bundled daemons (docs/security.md): every
//! realm of the master and the agent with no, wrong and right credentials,
//! the endpoints that stay open, `--authenticate_http_frameworks` and the
//! framework principal, bad credentials files at start-up, and the `mesos`
//! CLI with and without `--principal/--secret-file` against real processes.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::common::cluster::{start_agent_unwaited, start_master, Daemon};
use crate::common::daemons::{request, Resp};
use crate::common::{mesos_bin, wait_until, TestEnv};

const SECRET: &str = "s3cret-Xq9";

fn basic(principal: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{principal}:{secret}"))
    )
}

/// A credentials file (mode 0600) in `dir`.
fn creds_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    p
}

fn json_creds(dir: &Path) -> PathBuf {
    creds_file(
        dir,
        "creds.json",
        &json!({"credentials": [
            {"principal": "ops", "secret": SECRET},
            {"principal": "fw2", "secret": "other-secret"},
        ]})
        .to_string(),
    )
}

fn text_creds(dir: &Path) -> PathBuf {
    creds_file(
        dir,
        "creds.txt",
        &format!("ops {SECRET}\n\nfw2 other-secret\n"),
    )
}

/// One request with an optional `Authorization` value.
fn ask(addr: &str, method: &str, path: &str, auth: Option<&str>) -> Resp {
    let mut h: Vec<(&str, &str)> = Vec::new();
    if let Some(a) = auth {
        h.push(("Authorization", a));
    }
    let body: &[u8] = if method == "POST" {
        h.push(("Content-Type", "application/json"));
        h.push(("Accept", "application/json"));
        if path.ends_with("/scheduler") {
            // Not a SUBSCRIBE: its answer would be an endless stream.
            br#"{"type":"TEARDOWN","framework_id":{"value":"none"}}"#
        } else if path.ends_with("teardown") {
            b"frameworkId=none"
        } else {
            br#"{"type":"GET_HEALTH"}"#
        }
    } else {
        b""
    };
    request(addr, method, path, &h, body)
}

/// Each path answers 401 with the realm's challenge and the libprocess body
/// without credentials, with wrong ones and with malformed headers, and
/// something else with the right ones.
fn assert_realm(addr: &str, realm: &str, endpoints: &[(&str, &str)]) {
    let challenge = format!("Basic realm=\"{realm}\"");
    let wrong = [
        None,
        Some(basic("ops", "wrong")),
        Some(basic("nobody", SECRET)),
        Some(basic("ops", &format!("{SECRET}x"))),
        Some("Bearer abc".to_string()),
        Some("Basic !!!not-base64".to_string()),
        Some(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("no-colon")
        )),
    ];
    for (method, path) in endpoints {
        for w in &wrong {
            let r = ask(addr, method, path, w.as_deref());
            assert_eq!(r.status, 401, "{method} {path} with {w:?}: {}", r.text());
            assert_eq!(
                r.header("www-authenticate"),
                Some(challenge.as_str()),
                "{method} {path}"
            );
            assert_eq!(r.text(), "401 Unauthorized.", "{method} {path}");
        }
        let r = ask(addr, method, path, Some(&basic("ops", SECRET)));
        assert_ne!(r.status, 401, "{method} {path} with the right credentials");
        assert!(r.header("www-authenticate").is_none(), "{method} {path}");
    }
}

/// Paths that must never ask for credentials, even with all realms on.
fn assert_open(addr: &str, endpoints: &[(&str, &str)]) {
    for (method, path) in endpoints {
        let r = ask(addr, method, path, None);
        let challenge = r.header("www-authenticate").unwrap_or("");
        assert!(
            !challenge.contains("mesos-master") && !challenge.contains("mesos-agent"),
            "{method} {path} must not be in an HTTP realm: {} {challenge}",
            r.status
        );
        assert_ne!(r.status, 401, "{method} {path}");
    }
}

const MASTER_READONLY: &[(&str, &str)] = &[
    ("GET", "/master/state"),
    ("GET", "/state"),
    ("GET", "/master/state-summary"),
    ("GET", "/master/frameworks"),
    ("GET", "/master/tasks"),
    ("GET", "/master/slaves"),
    ("GET", "/master/roles"),
    ("GET", "/master/flags"),
    ("GET", "/flags"),
    ("GET", "/metrics/snapshot"),
    ("GET", "/files/debug"),
    ("GET", "/files/browse?path=/master/log"),
];
const MASTER_READWRITE: &[(&str, &str)] = &[
    ("POST", "/master/api/v1"),
    ("POST", "/api/v1"),
    ("POST", "/master/teardown"),
    ("GET", "/master/maintenance/schedule"),
    ("GET", "/master/maintenance/status"),
    ("POST", "/master/machine/down"),
    ("POST", "/master/machine/up"),
    ("GET", "/master/quota"),
    ("DELETE", "/master/quota/dev"),
    ("GET", "/master/weights"),
    ("GET", "/logging/toggle"),
];
const MASTER_SCHEDULER: &[(&str, &str)] = &[
    ("POST", "/master/api/v1/scheduler"),
    ("POST", "/api/v1/scheduler"),
];
const MASTER_OPEN: &[(&str, &str)] = &[
    ("GET", "/master/health"),
    ("GET", "/health"),
    ("GET", "/version"),
    ("GET", "/master/redirect"),
    ("GET", "/redirect"),
    ("POST", "/master/internal/ping"),
    ("GET", "/__processes__"),
];

fn secured_master(creds: &Path) -> Daemon {
    start_master(&[
        "--authenticate_http_readonly",
        "--authenticate_http_readwrite",
        "--authenticate_http_frameworks",
        "--http_framework_authenticators=basic",
        &format!("--credentials={}", creds.display()),
    ])
}

#[test]
fn master_realms_with_no_wrong_and_right_credentials() {
    let dir = tempfile::tempdir().unwrap();
    // The text form of the credentials file.
    let m = secured_master(&text_creds(dir.path()));
    let a = m.addr();
    assert_realm(&a, "mesos-master-readonly", MASTER_READONLY);
    assert_realm(&a, "mesos-master-readwrite", MASTER_READWRITE);
    assert_realm(&a, "mesos-master-scheduler", MASTER_SCHEDULER);
    assert_open(&a, MASTER_OPEN);
    // Unknown paths are 404, not a challenge.
    assert_eq!(ask(&a, "GET", "/master/nope", None).status, 404);
    // The second principal of the file works too.
    let r = ask(
        &a,
        "GET",
        "/master/state",
        Some(&basic("fw2", "other-secret")),
    );
    assert_eq!(r.status, 200);
    // Failed attempts are logged with the principal and the peer; secrets never.
    let log = std::fs::read_to_string(m.dir.path().join("logs/mesos-master.log"))
        .unwrap_or_else(|_| m.log());
    assert!(
        log.contains("Failed to authenticate principal 'ops' from 127.0.0.1:"),
        "{log}"
    );
    assert!(
        !log.contains(SECRET) && !log.contains("other-secret"),
        "{log}"
    );
}

#[test]
fn realms_are_independent_and_credentials_are_ignored_when_off() {
    let dir = tempfile::tempdir().unwrap();
    let m = start_master(&[
        "--authenticate_http_readonly",
        &format!("--credentials={}", json_creds(dir.path()).display()),
    ]);
    let a = m.addr();
    assert_realm(&a, "mesos-master-readonly", &[("GET", "/master/state")]);
    // Read-write and scheduler realms are off: no credentials, or wrong
    // ones, are fine there.
    for auth in [None, Some(basic("ops", "wrong"))] {
        let r = ask(&a, "POST", "/api/v1", auth.as_deref());
        assert_eq!(r.status, 200, "{}", r.text());
    }
    // No flag at all: wrong credentials are ignored everywhere.
    let open = start_master(&[]);
    let r = ask(&open.addr(), "GET", "/master/state", Some(&basic("x", "y")));
    assert_eq!(r.status, 200);
}

#[test]
fn agent_realms_with_no_wrong_and_right_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let creds = json_creds(dir.path());
    let m = start_master(&[]);
    let agent = start_agent_unwaited(
        &m.addr(),
        &[
            "--authenticate_http_readonly",
            "--authenticate_http_readwrite",
            &format!("--http_credentials={}", creds.display()),
        ],
    );
    let a = agent.addr();
    wait_until(Duration::from_secs(30), "agent /health", || {
        std::net::TcpStream::connect(&a).is_ok()
            && ask(&a, "GET", "/slave(1)/health", None).status == 200
    });
    assert_realm(
        &a,
        "mesos-agent-readonly",
        &[
            ("GET", "/slave(1)/state"),
            ("GET", "/state"),
            ("GET", "/slave(1)/flags"),
            ("GET", "/slave(1)/monitor/statistics"),
            ("GET", "/slave(1)/containers"),
            ("GET", "/slave(1)/containerizer/debug"),
            ("GET", "/metrics/snapshot"),
            ("GET", "/files/debug"),
        ],
    );
    assert_realm(
        &a,
        "mesos-agent-readwrite",
        &[
            ("POST", "/slave(1)/api/v1"),
            ("POST", "/api/v1"),
            ("GET", "/logging/toggle?level=1&duration=1secs"),
        ],
    );
    assert_open(
        &a,
        &[
            ("GET", "/slave(1)/health"),
            ("GET", "/health"),
            ("GET", "/version"),
            ("GET", "/__processes__"),
        ],
    );
    // The internal protocol is not an HTTP realm (it has its own checks).
    let r = ask(&a, "POST", "/slave(1)/internal/kill_task", None);
    let challenge = r.header("www-authenticate").unwrap_or("");
    assert!(!challenge.contains("mesos-agent"), "{challenge}");
}

/// Run a daemon that should refuse to start: its exit code and stderr.
fn refused(role: &str, args: &[&str]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Command::new(mesos_bin());
    c.arg(role)
        .args(args)
        .arg(format!("--work_dir={}", dir.path().join("w").display()))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .stdin(Stdio::null());
    if role == "master" {
        c.arg("--registry=in_memory").arg("--port=0");
    } else {
        c.arg("--master=127.0.0.1:1").arg("--port=0");
    }
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_credentials_and_auth_flags_stop_the_daemons_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bad_json = creds_file(
        d,
        "bad.json",
        &format!(r#"{{"credentials":[{{"principal":"ops","secret":"{SECRET}"}}"#),
    );
    let no_secret = creds_file(
        d,
        "nosecret.json",
        r#"{"credentials":[{"principal":"ops"}]}"#,
    );
    let bad_text = creds_file(d, "bad.txt", &format!("ops {SECRET} extra\n"));
    let empty = creds_file(d, "empty.txt", "\n");
    let good = text_creds(d);
    let flag = |name: &str, p: &Path| format!("--{name}={}", p.display());
    let cases: Vec<(&str, Vec<String>, &str)> = vec![
        (
            "master",
            vec!["--credentials=/nonexistent/creds".into()],
            "--credentials: cannot read '/nonexistent/creds'",
        ),
        (
            "master",
            vec![flag("credentials", &bad_json)],
            "not valid JSON",
        ),
        (
            "master",
            vec![flag("credentials", &no_secret)],
            "no \"secret\"",
        ),
        ("master", vec![flag("credentials", &bad_text)], "line 1"),
        (
            "master",
            vec![flag("credentials", &empty)],
            "at least one credential",
        ),
        (
            "master",
            vec!["--authenticate_http_readonly".into()],
            "realm 'mesos-master-readonly'",
        ),
        (
            "master",
            vec!["--authenticate_http_readwrite".into()],
            "--credentials",
        ),
        (
            "master",
            vec![
                "--authenticate_http_frameworks".into(),
                flag("credentials", &good),
            ],
            "--http_framework_authenticators",
        ),
        (
            "master",
            vec![
                "--authenticate_http_frameworks".into(),
                "--http_framework_authenticators=basic".into(),
            ],
            "realm 'mesos-master-scheduler'",
        ),
        (
            "master",
            vec!["--http_authenticators=kerberos".into()],
            "'kerberos'",
        ),
        (
            "agent",
            vec!["--http_credentials=/nonexistent/creds".into()],
            "--http_credentials: cannot read",
        ),
        ("agent", vec![flag("http_credentials", &bad_text)], "line 1"),
        (
            "agent",
            vec!["--authenticate_http_readonly".into()],
            "realm 'mesos-agent-readonly'",
        ),
        (
            "agent",
            vec!["--authenticate_http_readwrite".into()],
            "--http_credentials",
        ),
        (
            "agent",
            vec!["--http_authenticators=basic,jwt".into()],
            "'jwt'",
        ),
    ];
    for (role, args, needle) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stderr) = refused(role, &args);
        assert_eq!(code, 1, "{role} {args:?}: {stderr}");
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect();
        assert_eq!(lines.len(), 1, "{role} {args:?}: {stderr}");
        assert!(lines[0].contains(needle), "{role} {args:?}: {stderr}");
        assert!(!stderr.contains(SECRET), "{role} {args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

/// SUBSCRIBE `framework_info` with `auth`: the status, body text, (on 200)
/// the framework id from the first event, and the connection (the
/// framework stays subscribed while it is open).
fn subscribe(
    addr: &str,
    auth: Option<&str>,
    info: Value,
) -> (u16, String, Option<String>, std::net::TcpStream) {
    let call = json!({"type": "SUBSCRIBE", "subscribe": {"framework_info": info}});
    let mut h = vec![
        ("Content-Type", "application/json"),
        ("Accept", "application/json"),
    ];
    if let Some(a) = auth {
        h.push(("Authorization", a));
    }
    // A subscription is a stream: read until the first event, then drop it.
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let body = call.to_string();
    let mut req = format!("POST /api/v1/scheduler HTTP/1.1\r\nHost: {addr}\r\n");
    for (k, v) in &h {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    use std::io::{Read, Write};
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    let mut fid = None;
    while let Ok(n) = s.read(&mut buf) {
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&raw).into_owned();
        if text.starts_with("HTTP/1.1 200") {
            if let Some(i) = text.find("\"framework_id\":{\"value\":\"") {
                let rest = &text[i + 25..];
                fid = rest.split('"').next().map(str::to_string);
                break;
            }
        } else if text.contains("\r\n\r\n") && !text.contains("chunked") {
            // A complete non-streaming answer (Content-Length bodies are short).
            let (head, tail) = text.split_once("\r\n\r\n").unwrap();
            let len = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            if tail.len() >= len {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_string())
        .unwrap_or_default();
    (status, body, fid, s)
}

#[test]
fn framework_principal_must_match_the_authenticated_one() {
    let dir = tempfile::tempdir().unwrap();
    let m = start_master(&[
        "--authenticate_http_frameworks",
        "--http_framework_authenticators=basic",
        &format!("--credentials={}", json_creds(dir.path()).display()),
    ]);
    let a = m.addr();
    let info = |p: Option<&str>| {
        let mut i = json!({"user": "u", "name": "auth-test"});
        if let Some(p) = p {
            i["principal"] = json!(p);
        }
        i
    };
    // No or wrong credentials: 401 in the scheduler realm, nothing registered.
    for auth in [None, Some(basic("ops", "nope"))] {
        let (status, body, _, _) = subscribe(&a, auth.as_deref(), info(Some("ops")));
        assert_eq!(status, 401, "{body}");
    }
    // A principal other than the authenticated one: 400, as real Mesos.
    let (status, body, _, _) = subscribe(&a, Some(&basic("ops", SECRET)), info(Some("fw2")));
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains(
            "Authenticated principal 'ops' does not match principal 'fw2' set in `FrameworkInfo`"
        ),
        "{body}"
    );
    let frameworks = ask(&a, "GET", "/master/frameworks", None).json();
    assert_eq!(
        frameworks["frameworks"].as_array().unwrap().len(),
        0,
        "{frameworks}"
    );
    // No principal declared: the authenticated one is filled in.
    let (status, body, fid, _stream) = subscribe(&a, Some(&basic("ops", SECRET)), info(None));
    assert_eq!(status, 200, "{body}");
    let fid = fid.expect("SUBSCRIBED with a framework id");
    let frameworks = ask(&a, "GET", "/master/frameworks", None).json();
    let fw = &frameworks["frameworks"][0];
    assert_eq!(fw["id"], fid.as_str());
    assert_eq!(fw["principal"], "ops", "{frameworks}");
    // Other calls need the same credentials, and the same principal.
    let teardown = json!({"type": "TEARDOWN", "framework_id": {"value": fid}}).to_string();
    let post = |auth: Option<String>| {
        let mut h = vec![
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
        ];
        let auth = auth.unwrap_or_default();
        if !auth.is_empty() {
            h.push(("Authorization", auth.as_str()));
        }
        request(&a, "POST", "/api/v1/scheduler", &h, teardown.as_bytes())
    };
    let r = post(None);
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("www-authenticate"),
        Some("Basic realm=\"mesos-master-scheduler\"")
    );
    let r = post(Some(basic("fw2", "other-secret")));
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(
        r.text()
            .contains("Authenticated principal 'fw2' does not match principal 'ops'"),
        "{}",
        r.text()
    );
}

#[test]
fn cli_commands_pass_with_credentials_and_fail_clearly_without() {
    let dir = tempfile::tempdir().unwrap();
    let creds = json_creds(dir.path());
    let m = secured_master(&creds);
    let a = m.addr();
    let agent = start_agent_unwaited(
        &a,
        &[
            "--authenticate_http_readonly",
            "--authenticate_http_readwrite",
            &format!("--http_credentials={}", creds.display()),
        ],
    );
    let ok = basic("ops", SECRET);
    wait_until(Duration::from_secs(30), "agent registration", || {
        let r = ask(&a, "GET", "/master/slaves", Some(&ok));
        r.status == 200 && r.json()["slaves"].as_array().is_some_and(|s| !s.is_empty())
    });
    let secret_file = creds_file(dir.path(), "secret", SECRET);
    let env = TestEnv::new();
    let sf = secret_file.display().to_string();
    let with = |args: &[&str]| {
        let mut v = vec![
            "--master",
            a.as_str(),
            "--principal",
            "ops",
            "--secret-file",
            sf.as_str(),
        ];
        v.extend_from_slice(args);
        env.run(&v)
    };
    let without = |args: &[&str]| {
        let mut v = vec!["--master", a.as_str()];
        v.extend_from_slice(args);
        env.run(&v)
    };

    // execute: authenticated SUBSCRIBE, the principal becomes the framework's.
    let r = with(&[
        "execute",
        "--name",
        "authtask",
        "--command",
        "echo hello-from-auth",
    ]);
    r.assert_ok();
    let fws = ask(&a, "GET", "/master/frameworks", Some(&ok)).json();
    let all: Vec<&Value> = fws["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .chain(fws["completed_frameworks"].as_array().unwrap())
        .collect();
    assert!(all.iter().any(|f| f["principal"] == "ops"), "{fws}");

    with(&["state"]).assert_ok();
    let r = with(&["ps", "-a"]);
    r.assert_ok();
    assert!(r.stdout.contains("authtask"), "{}", r.stdout);
    // cat reads the sandbox from the agent (its read-only realm).
    let r = with(&["cat", "authtask"]);
    r.assert_ok();
    assert!(r.stdout.contains("hello-from-auth"), "{}", r.stdout);

    // Without credentials: one clear line, exit 1, naming the realm.
    for args in [vec!["state"], vec!["ps"], vec!["cat", "authtask"]] {
        let r = without(&args);
        r.assert_code(1).assert_clean_error();
        assert!(
            r.stderr.contains(&format!(
                "the master at http://{a} asked for credentials (realm mesos-master-readonly)"
            )),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("--principal"), "{}", r.stderr);
    }
    let r = without(&["execute", "--name", "t2", "--command", "true"]);
    r.assert_code(1);
    assert!(
        r.stderr.contains("(realm mesos-master-scheduler)"),
        "{}",
        r.stderr
    );
    // Wrong secret: refused, the secret is never echoed.
    let r = env.run(&[
        "--master",
        &a,
        "--principal",
        "ops",
        "--secret",
        "not-the-secret",
        "state",
    ]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr
            .contains("refused the credentials of principal 'ops'"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("not-the-secret"), "{}", r.stderr);

    // The agent asks on its own: a principal only the master knows is refused there.
    let only_agent = creds_file(dir.path(), "agent-only.txt", "agentops agent-secret\n");
    drop(agent);
    let agent2 = start_agent_unwaited(
        &a,
        &[
            "--authenticate_http_readonly",
            &format!("--http_credentials={}", only_agent.display()),
        ],
    );
    let r = ask(&agent2.addr_when_up(), "GET", "/slave(1)/state", Some(&ok));
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("www-authenticate"),
        Some("Basic realm=\"mesos-agent-readonly\"")
    );
}

trait WhenUp {
    fn addr_when_up(&self) -> String;
}

impl WhenUp for Daemon {
    /// The agent's address once it answers `/slave(1)/health`.
    fn addr_when_up(&self) -> String {
        let a = self.addr();
        wait_until(Duration::from_secs(30), "agent /health", || {
            std::net::TcpStream::connect(&a).is_ok()
                && ask(&a, "GET", "/slave(1)/health", None).status == 200
        });
        a
    }
}
