//! Real `mesos master` / `mesos agent` processes with TLS on
//! (`LIBPROCESS_SSL_*`), certificates from a throw-away CA, and an HTTPS
//! client for checks that trusts that CA (optionally presenting a client
//! certificate).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::cluster::{spawn_with_env, Daemon};
use super::tls_server::TestCa;
use super::{free_port, mesos_bin, wait_until};

/// A CA and one certificate (for 127.0.0.1, server and client use) that
/// every daemon of a test shares, written as PEM files.
pub struct Pki {
    pub dir: tempfile::TempDir,
    pub ca: TestCa,
}

impl Pki {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let ca = TestCa::new();
        ca.write_pem(dir.path(), "ca.pem");
        let leaf = ca.daemon_leaf(&["127.0.0.1"]);
        std::fs::write(dir.path().join("cert.pem"), &leaf.cert_pem).unwrap();
        std::fs::write(dir.path().join("key.pem"), &leaf.key_pem).unwrap();
        Pki { dir, ca }
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    pub fn ca_pem(&self) -> String {
        self.path("ca.pem").to_string_lossy().into_owned()
    }
    /// `LIBPROCESS_SSL_*` for a daemon: TLS on, our certificate and key,
    /// the CA, server certificates verified; plus `extra`.
    pub fn env(&self, extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut v = vec![
            ("LIBPROCESS_SSL_ENABLED".to_string(), "true".to_string()),
            (
                "LIBPROCESS_SSL_CERT_FILE".into(),
                self.path("cert.pem").to_string_lossy().into_owned(),
            ),
            (
                "LIBPROCESS_SSL_KEY_FILE".into(),
                self.path("key.pem").to_string_lossy().into_owned(),
            ),
            ("LIBPROCESS_SSL_CA_FILE".into(), self.ca_pem()),
            ("LIBPROCESS_SSL_VERIFY_CERT".into(), "true".into()),
        ];
        v.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        v
    }
}

/// A standalone master with `env`; waits until `https_get` (or plain GET
/// when TLS is off) of `/master/health` answers.
pub fn start_master_env(pki: &Pki, env: &[(String, String)], extra: &[&str]) -> Daemon {
    let port = free_port();
    let mut args = vec![
        "--ip=127.0.0.1".to_string(),
        format!("--port={port}"),
        "--registry=in_memory".to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let mut d = spawn_with_env("master", args, env, port, tempfile::tempdir().unwrap());
    let url = format!("https://127.0.0.1:{port}/master/health");
    wait_until(Duration::from_secs(30), "TLS master /health", || {
        if let Ok(Some(st)) = d.child.try_wait() {
            panic!("master exited early ({st}):\n{}", d.log());
        }
        matches!(https_get(pki, &url, true), Some((200, _)))
    });
    d
}

/// An agent of `master` with `env`; waits until the master lists it.
pub fn start_agent_env(pki: &Pki, master: &Daemon, env: &[(String, String)]) -> Daemon {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    // Dropping the daemon kills the tasks under `dir/work`.
    let work = dir.path().join("work");
    let args = vec![
        format!("--master=127.0.0.1:{}", master.port),
        "--ip=127.0.0.1".to_string(),
        format!("--port={port}"),
        format!("--work_dir={}", work.display()),
        "--resources=cpus:2;mem:1024;disk:1024;ports:[31000-31100]".to_string(),
    ];
    let mut d = spawn_with_env("agent", args, env, port, dir);
    let url = format!("https://127.0.0.1:{}/master/slaves", master.port);
    wait_until(Duration::from_secs(30), "TLS agent registration", || {
        if let Ok(Some(st)) = d.child.try_wait() {
            panic!("agent exited early ({st}):\n{}", d.log());
        }
        https_get(pki, &url, true)
            .and_then(|(_, b)| serde_json::from_str::<serde_json::Value>(&b).ok())
            .and_then(|v| v["slaves"].as_array().map(|a| !a.is_empty()))
            .unwrap_or(false)
    });
    d
}

/// GET over https trusting the test CA, with or without presenting the
/// shared certificate as client certificate. None when the request failed.
pub fn https_get(pki: &Pki, url: &str, client_cert: bool) -> Option<(u16, String)> {
    let ca = std::fs::read(pki.path("ca.pem")).ok()?;
    let mut identity = std::fs::read(pki.path("cert.pem")).ok()?;
    identity.extend(std::fs::read(pki.path("key.pem")).ok()?);
    let url = url.to_string();
    std::thread::spawn(move || {
        mesos::http::install_crypto_provider();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        rt.block_on(async {
            let mut b = reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .no_proxy()
                .tls_certs_only(reqwest::Certificate::from_pem_bundle(&ca).ok()?);
            if client_cert {
                b = b.identity(reqwest::Identity::from_pem(&identity).ok()?);
            }
            let r = b.build().ok()?.get(&url).send().await.ok()?;
            let code = r.status().as_u16();
            Some((code, r.text().await.ok()?))
        })
    })
    .join()
    .ok()
    .flatten()
}

/// Run `mesos <role> args` with `env` to completion (for start-up errors).
pub fn run_daemon(
    role: &str,
    args: &[&str],
    env: &[(String, String)],
    work: &Path,
) -> (i32, String) {
    let out = Command::new(mesos_bin())
        .arg(role)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", work)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .output()
        .expect("spawn daemon");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
