//! `mesos cluster up --secure` on 127.0.0.1 with the real binary: TLS and
//! HTTP authentication on every daemon, private files, a profile that the
//! CLI commands use as is, `status`/`doctor` saying so, `down`.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::cluster_local::{alive, pids, Env};

/// Mode bits of a path.
fn mode(p: &Path) -> u32 {
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Every file under `dir` is 0600, every directory 0700.
fn assert_private(dir: &Path) {
    assert_eq!(mode(dir), 0o700, "{}", dir.display());
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            assert_private(&p);
        } else {
            assert_eq!(mode(&p), 0o600, "{}", p.display());
        }
    }
}

/// GET `url` (trusting only `ca` when given, with basic auth when given):
/// the status and the `WWW-Authenticate` header, or the transport error.
fn get(url: &str, ca: Option<&Path>, auth: Option<(&str, &str)>) -> Result<(u16, String), String> {
    mesos::http::install_crypto_provider();
    let mut b = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10));
    if let Some(ca) = ca {
        let pem = std::fs::read(ca).unwrap();
        b = b.tls_certs_only(reqwest::Certificate::from_pem_bundle(&pem).unwrap());
    }
    let c = b.build().unwrap();
    let mut req = c.get(url);
    if let Some((p, s)) = auth {
        req = req.basic_auth(p, Some(s));
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let r = req.send().await.map_err(|e| e.to_string())?;
        let www = r
            .headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        Ok((r.status().as_u16(), www))
    })
}

/// A child process killed when the test ends, even on a failed assertion.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn daemon<'a>(st: &'a Value, name: &str) -> &'a Value {
    st["daemons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {st}"))
}

fn addr(d: &Value) -> String {
    format!("{}:{}", d["ip"].as_str().unwrap(), d["port"])
}

#[test]
fn secure_up_serves_only_https_with_auth_and_its_profile_drives_the_cli() {
    let env = Env::new();
    let r = env.run(&["cluster", "up", "--secure"]);
    r.assert_ok();
    let up_stdout = r.stdout.clone();
    let st = env.state("local");
    let master = daemon(&st, "master-1");
    let m = addr(master);
    // stdout: the https master, the security, the export.
    assert!(
        r.stdout.contains(&format!("# master: https://{m}\n")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("# secured: TLS (CA "), "{}", r.stdout);
    assert!(
        r.stdout
            .contains(&format!("export MESOS_MASTER=https://{m}\n")),
        "{}",
        r.stdout
    );

    // Files: the cluster dir and the security dir private, files 0600.
    let dir = env.cluster_dir("local");
    assert_eq!(mode(&dir), 0o700);
    let sec = dir.join("secure");
    assert_private(&sec);
    let ca = sec.join("ca.crt");
    let secret = std::fs::read_to_string(sec.join("admin.secret")).unwrap();
    let secret = secret.trim_end();
    let agent_cred: Value =
        serde_json::from_str(&std::fs::read_to_string(sec.join("agent_credential.json")).unwrap())
            .unwrap();
    let agent_secret = agent_cred["secret"].as_str().unwrap();
    assert_eq!(st["secure"]["principal"], "admin", "{st}");

    // The profile uses them.
    let cfg = std::fs::read_to_string(env.env.config_path()).unwrap();
    assert!(cfg.contains(&format!("master = \"https://{m}\"")), "{cfg}");
    assert!(cfg.contains("principal = \"admin\""), "{cfg}");
    assert!(cfg.contains("secret_file = "), "{cfg}");
    assert!(cfg.contains("ca_file = "), "{cfg}");
    assert!(!cfg.contains(secret), "secret in the config file: {cfg}");

    // CLI commands work through the profile alone.
    let r = env.run(&["state", "--json"]);
    r.assert_ok();
    let state: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        state["activated_slaves"].as_f64(),
        Some(2.0),
        "{}",
        r.stdout
    );
    env.run(&["ps"]).assert_ok();
    let r = env.run(&["execute", "--command", "true"]);
    r.assert_ok();

    // Marathon runs secured too: https with the cluster's certificate, its
    // REST API behind the operator's credentials, subscribed to the master
    // as framework principal `marathon`; `mesos app` works through the
    // profile (its URL, CA and credentials).
    let mt = addr(daemon(&st, "marathon-1"));
    assert_eq!(daemon(&st, "marathon-1")["tls"], true, "{st}");
    assert_eq!(st["marathon"], format!("https://{mt}"), "{st}");
    assert!(
        up_stdout.contains(&format!("# marathon: https://{mt}\n")),
        "{up_stdout}"
    );
    assert!(
        cfg.contains(&format!("marathon = \"https://{mt}\"")),
        "{cfg}"
    );
    assert_eq!(
        get(&format!("https://{mt}/ping"), Some(&ca), None)
            .unwrap()
            .0,
        200
    );
    let (code, www) = get(&format!("https://{mt}/v2/apps"), Some(&ca), None).unwrap();
    assert_eq!(code, 401);
    assert!(www.starts_with("Basic realm="), "{www}");
    assert_eq!(
        get(
            &format!("https://{mt}/v2/apps"),
            Some(&ca),
            Some(("admin", secret))
        )
        .unwrap()
        .0,
        200
    );
    assert!(get(&format!("https://{mt}/ping"), None, None).is_err());
    if let Ok((code, _)) = get(&format!("http://{mt}/ping"), None, None) {
        assert!(!(200..300).contains(&code), "plain http answered {code}");
    }
    let app = env.env.home().join("sleepy.json");
    std::fs::write(
        &app,
        r#"{"id":"/sleepy","cmd":"sleep 600","instances":1,"cpus":0.1,"mem":32}"#,
    )
    .unwrap();
    let r = env.run(&["app", "add", app.to_str().unwrap(), "--timeout", "90s"]);
    r.assert_ok();
    crate::common::wait_until(Duration::from_secs(60), "/sleepy running", || {
        let r = env.run(&["app", "tasks", "/sleepy", "--json"]);
        r.code == 0 && r.stdout.contains("TASK_RUNNING")
    });
    let r = env.run(&["app", "list", "--json"]);
    r.assert_ok();
    let apps: Value = serde_json::from_str(&r.stdout).unwrap();
    let a = apps
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "/sleepy")
        .unwrap_or_else(|| panic!("no /sleepy: {apps}"));
    assert_eq!(a["tasksRunning"], 1, "{a}");
    // The master knows it as an authenticated framework.
    let r = env.run(&["state", "--json"]);
    r.assert_ok();
    let fws: Value = serde_json::from_str(&r.stdout).unwrap();
    let fw = fws["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "marathon")
        .unwrap_or_else(|| panic!("no marathon framework: {fws}"));
    assert_eq!(fw["principal"], "marathon", "{fw}");

    // Without credentials: 401 from the master and the agents; plain http
    // gets nothing; with the operator's credentials: 200.
    let (code, www) = get(&format!("https://{m}/master/state"), Some(&ca), None).unwrap();
    assert_eq!(code, 401);
    assert!(www.starts_with("Basic realm="), "{www}");
    let a1 = addr(daemon(&st, "agent-1"));
    let (code, _) = get(&format!("https://{a1}/slave(1)/state"), Some(&ca), None).unwrap();
    assert_eq!(code, 401);
    if let Ok((code, _)) = get(&format!("http://{m}/master/state"), None, None) {
        assert!(!(200..300).contains(&code), "plain http answered {code}");
    }
    let url = format!("https://{m}/master/state");
    assert_eq!(
        get(&url, Some(&ca), Some(("admin", secret))).unwrap().0,
        200
    );
    assert_eq!(
        get(&url, Some(&ca), Some(("admin", "wrong"))).unwrap().0,
        401
    );
    // A client that does not trust the cluster CA refuses the certificate.
    assert!(get(&url, None, None).is_err());

    // No secret on any command line or in any log.
    for p in pids(&st) {
        let cmd = std::fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default();
        let cmd = String::from_utf8_lossy(&cmd);
        assert!(
            !cmd.contains(secret) && !cmd.contains(agent_secret),
            "secret on the command line of {p}: {cmd}"
        );
    }
    for d in st["daemons"].as_array().unwrap() {
        for f in ["log_file", "console_log"] {
            let text = std::fs::read_to_string(d[f].as_str().unwrap()).unwrap_or_default();
            assert!(
                !text.contains(secret) && !text.contains(agent_secret),
                "secret in {}",
                d[f]
            );
        }
    }

    // An agent without the agents' credential is refused by the master
    // (--authenticate_agents), even with the cluster's certificate.
    let port = crate::common::free_port();
    let tmp = tempfile::tempdir().unwrap();
    let a1 = daemon(&st, "agent-1");
    let mut args: Vec<String> = a1["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .filter(|a| !a.starts_with("--credential=") && !a.starts_with("--resources="))
        .collect();
    for a in args.iter_mut() {
        if a.starts_with("--port=") {
            *a = format!("--port={port}");
        } else if a.starts_with("--work_dir=") {
            *a = format!("--work_dir={}", tmp.path().join("work").display());
        } else if a.starts_with("--log_dir=") {
            *a = format!("--log_dir={}", tmp.path().join("logs").display());
        }
    }
    let mut cmd = std::process::Command::new(crate::common::mesos_bin());
    cmd.args(&args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    for kv in a1["env"].as_array().unwrap() {
        cmd.env(kv[0].as_str().unwrap(), kv[1].as_str().unwrap());
    }
    let mut intruder = KillOnDrop(cmd.spawn().unwrap());
    let master_log = master["log_file"].as_str().unwrap().to_string();
    let refused = format!("Refused the registration of agent 127.0.0.1:{port}");
    crate::common::wait_until(Duration::from_secs(60), "the registration refused", || {
        std::fs::read_to_string(&master_log)
            .unwrap_or_default()
            .contains(&refused)
    });
    let r = env.run(&["agents", "--json"]);
    r.assert_ok();
    let agents: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(agents.as_array().map(Vec::len), Some(2), "{agents}");
    let _ = intruder.0.kill();

    // status and doctor say it is secured, and doctor proves it.
    let r = env.run(&["cluster", "status", "--json"]);
    r.assert_ok();
    let s: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(s["ready"], true, "{s}");
    assert_eq!(s["secure"]["secured"], true, "{s}");
    let r = env.run(&["cluster", "status"]);
    r.assert_ok();
    assert!(r.stderr.contains("secured: TLS"), "{}", r.stderr);
    let r = env.run(&["cluster", "doctor", "--json"]);
    r.assert_ok();
    let rows: Value = serde_json::from_str(&r.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    for (host, check) in [
        ("master-1", "tls"),
        ("master-1", "auth"),
        ("agent-1", "tls"),
        ("agent-2", "auth"),
        ("marathon-1", "tls"),
        ("marathon-1", "auth"),
        ("this machine", "files"),
    ] {
        let row = rows
            .iter()
            .find(|r| r["host"] == host && r["check"] == check)
            .unwrap_or_else(|| panic!("no {host}/{check} row: {rows:?}"));
        assert_eq!(row["ok"], true, "{row}");
    }
    // A loosened file is a failed check (exit 3).
    std::fs::set_permissions(&ca, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = env.run(&["cluster", "doctor"]);
    r.assert_code(3);
    assert!(r.stdout.contains("ca.crt (644)"), "{}", r.stdout);
    std::fs::set_permissions(&ca, std::fs::Permissions::from_mode(0o600)).unwrap();

    // down stops everything; a plain `up` of the same name is plain again,
    // and its profile has no leftover security keys.
    env.run(&["cluster", "down", "--grace", "2s"]).assert_ok();
    for p in pids(&st) {
        assert!(!alive(p), "pid {p} survived down");
    }
    // (A TLS switch in the shell does not leak into a plain cluster.)
    let out = env
        .env
        .command(&["cluster", "up", "--agents", "1"])
        .env("LIBPROCESS_SSL_ENABLED", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("# master: http://"), "{stdout}");
    assert!(!sec.exists(), "security files left after a plain up");
    let cfg = std::fs::read_to_string(env.env.config_path()).unwrap();
    assert!(
        !cfg.contains("ca_file") && !cfg.contains("principal"),
        "{cfg}"
    );
    env.run(&["ps"]).assert_ok();
    let r = env.run(&["cluster", "doctor", "--json"]);
    r.assert_ok();
    assert!(r.stdout.contains("no: plain HTTP"), "{}", r.stdout);
    let r = env.run(&["cluster", "status"]);
    assert!(r.stderr.contains("not secured"), "{}", r.stderr);
}

#[test]
fn secure_three_masters_with_zookeeper_are_reached_over_https() {
    let mut env = Env::new();
    env.watch("sha");
    let r = env.run(&[
        "cluster",
        "up",
        "--secure",
        "--name",
        "sha",
        "--masters",
        "3",
        "--agents",
        "1",
    ]);
    r.assert_ok();
    assert!(
        r.stdout.contains("export MESOS_MASTER=zk://127.0.0.1:"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("# master: https://"), "{}", r.stdout);
    let cfg = std::fs::read_to_string(env.env.config_path()).unwrap();
    assert!(cfg.contains("scheme = \"https\""), "{cfg}");
    // The leader found in ZooKeeper is reached over https with the CA.
    let r = env.run(&["state", "--json"]);
    r.assert_ok();
    let state: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        state["activated_slaves"].as_f64(),
        Some(1.0),
        "{}",
        r.stdout
    );
    let r = env.run(&["cluster", "status", "--name", "sha", "--json"]);
    r.assert_ok();
    let s: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(s["ready"], true, "{s}");
    assert!(
        s["leader_url"].as_str().unwrap().starts_with("https://"),
        "{s}"
    );
    // Three Marathons, secured like the masters (standby masters answer
    // an authenticated request with a redirect: that passes too).
    assert_eq!(
        s["marathon"].as_str().map(|u| u.starts_with("https://")),
        Some(true),
        "{s}"
    );
    let r = env.run(&["cluster", "doctor", "--name", "sha", "--json"]);
    r.assert_ok();
    let rows: Value = serde_json::from_str(&r.stdout).unwrap();
    for m in ["marathon-1", "marathon-2", "marathon-3", "master-2"] {
        for c in ["tls", "auth"] {
            assert!(
                rows.as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["host"] == m && r["check"] == c && r["ok"] == true),
                "{m}/{c}: {rows}"
            );
        }
    }
    let st = env.state("sha");
    env.run(&["cluster", "down", "--name", "sha", "--grace", "2s"])
        .assert_ok();
    for p in pids(&st) {
        assert!(!alive(p), "pid {p} survived down");
    }
}
