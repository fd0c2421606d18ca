//! The bundled `mesos agent` daemon: registers with a master over the
//! internal protocol (docs/internal-protocol.md), runs command tasks exactly
//! like the Mesos command executor, delivers their status updates reliably,
//! and serves the real agent HTTP API (docs/wire-notes.md#agent-endpoints,
//! docs/wire-notes.md#agent-operator-calls).
//!
//! Layout: `flags` (flag table), `state` (the model and its v0/v1 JSON),
//! `router` (v0 + internal endpoints), `api` (v1 operator API), `executor`
//! (sandbox, launch, kill, and the per-task wrapper process), `status`
//! (status update streams), `fetcher` (CommandInfo URIs), `monitor` (/proc
//! usage), `registration` (master detection, register, ping), `recovery`
//! (restart with the same `--work_dir`: checkpointed state, reconnecting to
//! running executors), `sysres` (resource auto-detection).

pub mod api;
pub mod executor;
pub mod fetcher;
pub mod flags;
pub mod monitor;
pub mod paths;
pub mod recovery;
pub mod registration;
pub mod router;
pub mod state;
pub mod status;
pub mod sysres;

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::daemon::auth::HttpAuth;
use crate::daemon::flags::{self as dflags, FlagError, Flags};
use crate::daemon::log::{self, Level};
use crate::resources::{Attribute, Resources};

/// The Mesos version the agent speaks on the wire.
pub const MESOS_VERSION: &str = "1.11.0";
/// Main libprocess process id of an agent.
pub const PROCESS_ID: &str = "slave(1)";
/// Hidden mode: run one task as its command executor (see `executor`).
pub const INTERNAL_RUN_TASK: &str = "--internal-run-task";

/// Everything decided at startup.
#[derive(Clone, Debug)]
pub struct Config {
    pub flags: Flags,
    /// `--master` as given.
    pub master: String,
    /// Address to bind.
    pub ip: Ipv4Addr,
    /// Port actually bound (after `--port=0`).
    pub port: u16,
    /// Address announced to the master and in `pid`.
    pub advertise_ip: String,
    pub advertise_port: u16,
    pub hostname: String,
    /// Absolute work directory.
    pub work_dir: PathBuf,
    pub resources: Resources,
    pub attributes: Vec<Attribute>,
    pub default_role: String,
    pub executor_shutdown_grace_period: Duration,
    pub registration_backoff_factor: Duration,
    /// The agent's own log file (`--log_dir`).
    pub log_file: Option<PathBuf>,
    /// Base environment for executors (`--executor_environment_variables`).
    pub executor_env: Option<Vec<(String, String)>>,
    /// `--credential`: presented when registering.
    pub credential: Option<crate::daemon::auth::AgentCredential>,
}

impl Config {
    /// `slave(1)@ip:port`
    pub fn pid(&self) -> String {
        format!("{PROCESS_ID}@{}:{}", self.advertise_ip, self.advertise_port)
    }
    /// `ip:port` executors use to reach the agent.
    pub fn endpoint(&self) -> String {
        format!("{}:{}", self.advertise_ip, self.advertise_port)
    }
}

/// Entry point: `args` are the flags after `mesos agent`. Returns the exit code.
pub fn main(args: Vec<String>) -> u8 {
    if let Some(first) = args.first() {
        if first == INTERNAL_RUN_TASK || first.starts_with(&format!("{INTERNAL_RUN_TASK}=")) {
            let spec = match first.split_once('=') {
                Some((_, v)) => v.to_string(),
                None => args.get(1).cloned().unwrap_or_default(),
            };
            return executor::wrapper_main(Path::new(&spec));
        }
    }
    let flags = match dflags::parse_or_exit_code("mesos agent", flags::SPECS, &args) {
        Ok(f) => f,
        Err(code) => return code,
    };
    if flags.bool("version") {
        println!(
            "mesos {MESOS_VERSION} (mesos-rs {})",
            env!("CARGO_PKG_VERSION")
        );
        return 0;
    }
    let mut cfg = match configure(flags) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return e.exit_code();
        }
    };
    if let Err(e) = crate::daemon::tls::init_from_env() {
        eprintln!("error: {e}");
        return 1;
    }
    let level =
        Level::parse(cfg.flags.get("logging_level").unwrap_or("INFO")).unwrap_or(Level::Info);
    let log_dir = cfg.flags.string("log_dir").map(PathBuf::from);
    match log::init("mesos-agent", level, log_dir.as_deref()) {
        Ok(p) => cfg.log_file = p,
        Err(e) => {
            eprintln!("error: cannot open a log file in --log_dir: {e}");
            return 1;
        }
    }
    if cfg.flags.bool("quiet") {
        log::set_quiet_stderr(true);
    }
    let auth = match HttpAuth::for_agent(&cfg.flags) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    for realm in auth.enabled() {
        crate::info!("Using default 'basic' HTTP authenticator for realm '{realm}'");
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return 1;
        }
    };
    let code = rt.block_on(run(cfg, auth));
    rt.shutdown_timeout(Duration::from_millis(200));
    code
}

/// Validate flags and build the configuration: errors are one line naming
/// the flag; a bad value exits 1, a missing required flag 2.
pub fn configure(mut flags: Flags) -> Result<Config, FlagError> {
    let master = flags.string("master").ok_or_else(|| {
        FlagError::usage("missing required flag --master (host:port, master@host:port, zk://host:2181/mesos or file:///path)")
    })?;
    crate::daemon::startup::check_master_location(
        "--master",
        &master,
        crate::daemon::startup::Ports::Required,
    )?;
    let work_dir = flags.string("work_dir").ok_or_else(|| {
        FlagError::usage("missing required flag --work_dir (e.g. --work_dir=/var/lib/mesos/agent)")
    })?;
    let mut work_dir = PathBuf::from(work_dir);
    if work_dir.is_relative() {
        work_dir = std::env::current_dir()
            .map_err(|e| format!("cannot resolve --work_dir: {e}"))?
            .join(work_dir);
    }
    let ip_s = flags.string("ip").unwrap_or_else(|| "127.0.0.1".into());
    let ip: Ipv4Addr = ip_s
        .parse()
        .map_err(|_| format!("--ip '{ip_s}' is not an IPv4 address"))?;
    let port = flags.int("port").unwrap_or(5051);
    if !(0..=65535).contains(&port) {
        return Err(format!("--port {port} is out of range (0-65535)").into());
    }
    let advertise_ip = match flags.string("advertise_ip") {
        Some(a) => {
            a.parse::<Ipv4Addr>()
                .map_err(|_| format!("--advertise_ip '{a}' is not an IPv4 address"))?;
            a
        }
        None if ip.is_unspecified() => "127.0.0.1".to_string(),
        None => ip.to_string(),
    };
    let advertise_port = match flags.int("advertise_port") {
        Some(p) if (1..=65535).contains(&p) => Some(p as u16),
        Some(p) => return Err(format!("--advertise_port {p} is out of range (1-65535)").into()),
        None => None,
    };
    Level::parse(flags.get("logging_level").unwrap_or("INFO"))?;
    let recover = flags
        .string("recover")
        .unwrap_or_else(|| "reconnect".into());
    if recover != "reconnect" && recover != "cleanup" {
        return Err(format!("--recover '{recover}' is not one of 'reconnect' or 'cleanup'").into());
    }
    for c in flags
        .string("containerizers")
        .unwrap_or_default()
        .split(',')
    {
        if !c.trim().is_empty() && c.trim() != "mesos" {
            return Err(format!(
                "--containerizers: '{}' is not supported by this agent (only 'mesos')",
                c.trim()
            )
            .into());
        }
    }
    let launcher = flags.string("launcher").unwrap_or_else(|| "posix".into());
    if launcher != "posix" && launcher != "linux" {
        return Err(format!("--launcher '{launcher}' is not one of 'posix' or 'linux'").into());
    }
    let default_role = flags.string("default_role").unwrap_or_else(|| "*".into());
    if default_role.contains(['/', ' ']) && default_role != "*" {
        return Err(format!("--default_role '{default_role}' is not a valid role name").into());
    }
    let mut resources = match flags.string("resources") {
        Some(text) => parse_resources_flag(&text, &default_role)?,
        None => Resources::new(),
    };
    let given: Vec<String> = resources.iter().map(|r| r.name.clone()).collect();
    sysres::fill_defaults(&mut resources, &given, &work_dir, &default_role);
    let attributes = match flags.string("attributes") {
        Some(t) => {
            crate::resources::parse_attributes(&t).map_err(|e| format!("--attributes: {e}"))?
        }
        None => Vec::new(),
    };
    let hostname = match flags.string("hostname") {
        Some(h) => h,
        None => advertise_ip.clone(),
    };
    let grace = flags
        .duration("executor_shutdown_grace_period")
        .unwrap_or(Duration::from_secs(5));
    let backoff = flags
        .duration("registration_backoff_factor")
        .unwrap_or(Duration::from_secs(1));
    let executor_env = match flags.string("executor_environment_variables") {
        Some(text) => {
            let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                format!("--executor_environment_variables is not a JSON object: {e}")
            })?;
            let obj = v
                .as_object()
                .ok_or("--executor_environment_variables must be a JSON object of strings")?;
            let mut out = Vec::new();
            for (k, v) in obj {
                let v = v.as_str().ok_or_else(|| {
                    format!("--executor_environment_variables: value of '{k}' is not a string")
                })?;
                out.push((k.clone(), v.to_string()));
            }
            Some(out)
        }
        None => None,
    };
    let credential = match flags.string("credential") {
        Some(path) => Some(
            crate::daemon::auth::AgentCredential::load(&path)
                .map_err(|e| format!("--credential: {e}"))?,
        ),
        None => None,
    };
    flags.set("ip", ip.to_string());
    flags.set("work_dir", work_dir.to_string_lossy());
    Ok(Config {
        master,
        ip,
        port: port as u16,
        advertise_ip,
        advertise_port: advertise_port.unwrap_or(port as u16),
        hostname,
        work_dir,
        resources,
        attributes,
        default_role,
        executor_shutdown_grace_period: grace,
        registration_backoff_factor: backoff,
        log_file: None,
        executor_env,
        credential,
        flags,
    })
}

/// `--resources`: text, a JSON array, or `file:///path` holding either.
pub fn parse_resources_flag(text: &str, default_role: &str) -> Result<Resources, String> {
    let body = if let Some(path) = text.trim().strip_prefix("file://") {
        std::fs::read_to_string(path)
            .map_err(|e| format!("--resources: cannot read '{path}': {e}"))?
    } else {
        text.to_string()
    };
    let t = body.trim();
    if t.starts_with('[') && t.contains('{') {
        let v: serde_json::Value =
            serde_json::from_str(t).map_err(|e| format!("--resources: invalid JSON: {e}"))?;
        return Resources::from_v1_json(&v).map_err(|e| format!("--resources: {e}"));
    }
    Resources::parse(t, default_role).map_err(|e| format!("--resources: {e}"))
}

async fn run(mut cfg: Config, auth: HttpAuth) -> u8 {
    if let Err(e) = std::fs::create_dir_all(&cfg.work_dir) {
        crate::error!(
            "Failed to create work directory '{}': {e}",
            cfg.work_dir.display()
        );
        eprintln!(
            "error: cannot create --work_dir {}: {e}",
            cfg.work_dir.display()
        );
        return 1;
    }
    let listener = match tokio::net::TcpListener::bind((cfg.ip, cfg.port)).await {
        Ok(l) => l,
        Err(e) => {
            crate::error!("Failed to bind {}:{}: {e}", cfg.ip, cfg.port);
            eprintln!("error: cannot listen on {}:{}: {e}", cfg.ip, cfg.port);
            return 1;
        }
    };
    if cfg.port == 0 {
        let actual = listener.local_addr().map(|a| a.port()).unwrap_or(0);
        if cfg.advertise_port == 0 {
            cfg.advertise_port = actual;
        }
        cfg.port = actual;
        cfg.flags.set("port", actual.to_string());
    }
    crate::info!(
        "Build: mesos-rs {} (Mesos {MESOS_VERSION} compatible)",
        env!("CARGO_PKG_VERSION")
    );
    crate::info!("Version: {MESOS_VERSION}");
    crate::info!("Agent resources: {}", cfg.resources);
    if !cfg.attributes.is_empty() {
        let attrs: Vec<String> = cfg
            .attributes
            .iter()
            .map(|a| format!("{}:{}", a.name, a.value))
            .collect();
        crate::info!("Agent attributes: {}", attrs.join(";"));
    }
    crate::info!("Agent hostname: {}", cfg.hostname);
    let agent = match state::Agent::new(cfg) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    // Recover the checkpointed state before serving or registering.
    match recovery::scan(&agent) {
        Err(e) => {
            crate::error!("{e}");
            eprintln!("error: {e}");
            return 1;
        }
        Ok(None) => {}
        Ok(Some(scan)) => {
            for e in &scan.errors {
                crate::warning!("Recovery error: {e}");
            }
            if !scan.errors.is_empty() && agent.cfg.flags.bool("strict") {
                let msg = format!(
                    "Recovery failed: {} (use --strict=false to skip unreadable checkpoints)",
                    scan.errors[0]
                );
                crate::error!("{msg}");
                eprintln!("error: {msg}");
                return 1;
            }
            if agent.cfg.flags.string("recover").as_deref() == Some("cleanup") {
                let n = recovery::cleanup(&scan);
                crate::info!("--recover=cleanup: killed {n} executor(s); agent exiting");
                return 0;
            }
            recovery::apply(&agent, scan);
        }
    }
    let app = router::build(agent.clone(), &auth);
    crate::daemon::tls::log_summary();
    crate::info!(
        "Listening on {}://{}:{} as {}",
        crate::daemon::tls::scheme(),
        agent.cfg.ip,
        agent.cfg.port,
        agent.cfg.pid()
    );
    tokio::spawn(registration::run(agent.clone()));
    let tls = crate::daemon::tls::current();
    let server = crate::daemon::serve::serve(listener, app, tls, std::future::pending());
    tokio::select! {
        _ = server => {}
        sig = shutdown_signal() => {
            crate::info!("Received {sig}; agent terminating (tasks keep running)");
            agent.shutdown();
        }
    }
    0
}

async fn shutdown_signal() -> &'static str {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
            return "SIGINT";
        }
    };
    let mut int = signal(SignalKind::interrupt()).ok();
    tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = async {
            match int.as_mut() {
                Some(i) => { i.recv().await; }
                None => std::future::pending::<()>().await,
            }
        } => "SIGINT",
    }
}

/// Keep `Arc` in scope for submodules.
pub type Shared = Arc<state::Agent>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_flag_text_json_and_errors() {
        let r = parse_resources_flag("cpus:2;mem:512;ports(web):[8000-8010]", "*").unwrap();
        assert_eq!(r.scalar("cpus"), 2.0);
        assert_eq!(r.allocatable_to("web").ranges("ports"), vec![(8000, 8010)]);
        let j = r#"[{"name":"cpus","type":"SCALAR","scalar":{"value":1.5}}]"#;
        assert_eq!(parse_resources_flag(j, "*").unwrap().scalar("cpus"), 1.5);
        let e = parse_resources_flag("cpus:2;mem:lots", "*").unwrap_err();
        assert!(e.starts_with("--resources: resource 'mem'"), "{e}");
        let e = parse_resources_flag("[{\"name\":", "*").unwrap_err();
        assert!(e.contains("JSON") || e.contains("resource"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("r.json");
        std::fs::write(&f, j).unwrap();
        let r = parse_resources_flag(&format!("file://{}", f.display()), "*").unwrap();
        assert_eq!(r.scalar("cpus"), 1.5);
    }
}
