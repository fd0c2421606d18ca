//! Real `mesos master` / `mesos agent` processes on free loopback ports with
//! temp work dirs, killed (whole process group) when dropped.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::{free_port, mesos_bin, wait_until};

/// A daemon process; killed on drop. Its log is in `dir/daemon.log`.
pub struct Daemon {
    pub child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

impl Daemon {
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("daemon.log")).unwrap_or_default()
    }
    pub fn work_dir(&self) -> PathBuf {
        self.dir.path().join("work")
    }
    /// SIGKILL now.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
    /// SIGTERM and wait for exit.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        unsafe_kill(self.child.id() as i32, 15);
        self.child.wait().expect("wait")
    }
}

fn unsafe_kill(pid: i32, sig: i32) {
    let _ = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .status();
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.kill();
        // Tasks run in their own sessions: do not leave them behind.
        super::daemons::kill_tasks_under(&self.work_dir());
    }
}

fn spawn(role: &str, args: Vec<String>, port: u16, dir: tempfile::TempDir) -> Daemon {
    spawn_with_env(role, args, &[], port, dir)
}

/// Spawn `mesos <role> args` with exactly `env` (plus PATH and HOME).
pub fn spawn_with_env(
    role: &str,
    args: Vec<String>,
    env: &[(String, String)],
    port: u16,
    dir: tempfile::TempDir,
) -> Daemon {
    let log = std::fs::File::create(dir.path().join("daemon.log")).unwrap();
    let child = Command::new(mesos_bin())
        .arg(role)
        .args(&args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("spawn daemon");
    Daemon { child, port, dir }
}

/// GET a URL: status and body text (None when unreachable).
/// Runs on its own thread, so it works from sync and async tests alike.
pub fn http_get(url: &str) -> Option<(u16, String)> {
    let url = url.to_string();
    std::thread::spawn(move || http_get_blocking(&url))
        .join()
        .ok()
        .flatten()
}

fn http_get_blocking(url: &str) -> Option<(u16, String)> {
    mesos::http::install_crypto_provider();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    rt.block_on(async {
        let c = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .no_proxy()
            .build()
            .ok()?;
        let r = c.get(url).send().await.ok()?;
        let code = r.status().as_u16();
        Some((code, r.text().await.ok()?))
    })
}

/// GET a URL and parse JSON (panics with context on failure).
pub fn get_json(url: &str) -> serde_json::Value {
    let (code, body) = http_get(url).unwrap_or_else(|| panic!("GET {url} failed"));
    assert_eq!(code, 200, "GET {url}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {url}: {e}: {body}"))
}

/// Start a standalone master (in-memory registry) and wait for /health.
pub fn start_master(extra: &[&str]) -> Daemon {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "--ip=127.0.0.1".to_string(),
        format!("--port={port}"),
        "--registry=in_memory".to_string(),
        format!("--log_dir={}", dir.path().join("logs").display()),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let mut d = spawn("master", args, port, dir);
    let url = format!("{}/master/health", d.url());
    wait_until(Duration::from_secs(30), "master /health", || {
        if let Ok(Some(st)) = d.child.try_wait() {
            panic!("master exited early ({st}):\n{}", d.log());
        }
        matches!(http_get(&url), Some((200, _)))
    });
    d
}

/// Start an agent registered with `master` and wait until the master lists it.
pub fn start_agent(master: &Daemon, extra: &[&str]) -> Daemon {
    let before = agent_count(master);
    let d = start_agent_unwaited(&master.addr(), extra);
    wait_until(Duration::from_secs(30), "agent registration", || {
        agent_count(master) > before
    });
    d
}

/// Start an agent without waiting for registration.
pub fn start_agent_unwaited(master: &str, extra: &[&str]) -> Daemon {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        format!("--master={master}"),
        "--ip=127.0.0.1".to_string(),
        format!("--port={port}"),
        format!("--work_dir={}", dir.path().join("work").display()),
        format!("--log_dir={}", dir.path().join("logs").display()),
    ];
    if !extra.iter().any(|e| e.starts_with("--resources")) {
        args.push("--resources=cpus:2;mem:1024;disk:1024;ports:[31000-31100]".into());
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    spawn("agent", args, port, dir)
}

/// Number of agents the master lists.
pub fn agent_count(master: &Daemon) -> usize {
    match http_get(&format!("{}/master/slaves", master.url())) {
        Some((200, body)) => serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["slaves"].as_array().map(Vec::len))
            .unwrap_or(0),
        _ => 0,
    }
}

/// Start a master contending for leadership through ZooKeeper
/// (`--zk=<zk> --quorum=1`, replicated-log registry in a temp work dir) and
/// wait for `/master/health` only: it may lead, follow or know no leader.
pub fn start_master_zk(zk: &str, extra: &[&str]) -> Daemon {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "--ip=127.0.0.1".to_string(),
        format!("--port={port}"),
        format!("--zk={zk}"),
        "--quorum=1".to_string(),
        format!("--work_dir={}", dir.path().join("work").display()),
        format!("--log_dir={}", dir.path().join("logs").display()),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let mut d = spawn("master", args, port, dir);
    let url = format!("{}/master/health", d.url());
    wait_until(Duration::from_secs(30), "master /health", || {
        if let Ok(Some(st)) = d.child.try_wait() {
            panic!("master exited early ({st}):\n{}", d.log());
        }
        matches!(http_get(&url), Some((200, _)))
    });
    d
}

/// Start an agent on `port` with `dir` (work dir `dir/work`, logs `dir/logs`)
/// without waiting for registration.
pub fn start_agent_in(master: &str, port: u16, dir: tempfile::TempDir, extra: &[&str]) -> Daemon {
    let mut args = vec![
        format!("--master={master}"),
        "--ip=127.0.0.1".to_string(),
        format!("--port={port}"),
        format!("--work_dir={}", dir.path().join("work").display()),
        format!("--log_dir={}", dir.path().join("logs").display()),
    ];
    if !extra.iter().any(|e| e.starts_with("--resources")) {
        args.push("--resources=cpus:2;mem:1024;disk:1024;ports:[31000-31100]".into());
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    // Keep the previous run's output.
    let log = dir.path().join("daemon.log");
    if log.exists() {
        let mut n = 1;
        while dir.path().join(format!("daemon.log.{n}")).exists() {
            n += 1;
        }
        let _ = std::fs::rename(&log, dir.path().join(format!("daemon.log.{n}")));
    }
    spawn("agent", args, port, dir)
}

/// Restart an agent (already killed or terminated by the caller) with the
/// same port, work dir and log dir, and wait until it answers `/slave(1)/health`.
/// Its tasks are not touched: `old` gives up its directory first.
pub fn restart_agent(mut old: Daemon, master: &str, extra: &[&str]) -> Daemon {
    old.kill();
    let port = old.port;
    let dir = std::mem::replace(&mut old.dir, tempfile::tempdir().unwrap());
    drop(old);
    let mut d = start_agent_in(master, port, dir, extra);
    let url = format!("{}/slave(1)/health", d.url());
    wait_until(Duration::from_secs(30), "restarted agent /health", || {
        if let Ok(Some(st)) = d.child.try_wait() {
            panic!("restarted agent exited early ({st}):\n{}", d.log());
        }
        matches!(http_get(&url), Some((200, _)))
    });
    d
}
