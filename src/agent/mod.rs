//! The bundled `mesos agent` daemon: registers with a master over the
//! internal protocol (docs/internal-protocol.md), runs command tasks exactly
//! like the Mesos command executor, delivers their status updates reliably,
//! and serves the real agent HTTP API (docs/wire-notes.md#agent-endpoints,
//! docs/wire-notes.md#agent-operator-calls).
//!
//! # Layering
//!
//! The modules form a DAG; each one uses only the ones listed before it
//! (nothing below `http` knows about serving HTTP):
//!
//! 1. leaves: `flags` (flag table), `sysres` (host resources, boot id),
//!    `paths` (work-dir layout, atomic writes), `model` (frameworks ->
//!    executors -> tasks, counters: plain data), `stream` (status update
//!    streams: plain data), `hostmetrics` (the background node sampler
//!    and sandbox-size walker, and the /proc parsers behind them),
//!    `containers` (the nested-container registry and I/O switchboards);
//! 2. `config` ([`Config`] from the flags);
//! 3. `core` (the [`core::Agent`]: state behind one lock, registration
//!    watch, sandbox registry, completion of executors);
//! 4. `monitor` (/proc usage of live containers), `fetcher` (CommandInfo
//!    URIs), `render` (the state as typed v0/v1 wire values of
//!    `crate::wire`), `metrics` (`/metrics/snapshot` values);
//! 5. `registration` (master detection, register, ping), `dcos` (the
//!    DC/OS metrics v0 messages of the node and the containers);
//! 6. `status` (the status update manager: recording, reliable delivery,
//!    acknowledgements);
//! 7. `executor` (containers: sandbox, launch, kill, the per-task wrapper
//!    process, health checks, reconnecting to recovered executors);
//! 8. `recovery` (restart with the same `--work_dir`), `nested` (nested
//!    containers: launch, sessions, wait, kill, remove, recovery);
//! 9. `http` (thin handlers grouped by API: v0 endpoints, the v1 operator
//!    API, the internal protocol, the DC/OS metrics API, files; a routes-only router; one error
//!    type);
//! 10. this module: `main`, [`run`].

pub mod config;
pub mod containers;
pub mod core;
pub mod dcos;
pub mod default_executor;
pub mod executor;
pub mod fetcher;
pub mod flags;
pub mod hostmetrics;
pub mod http;
pub mod metrics;
pub mod model;
pub mod monitor;
pub mod nested;
pub mod paths;
pub mod recovery;
pub mod registration;
pub mod render;
pub mod status;
pub mod stream;
pub mod sysres;

use std::path::Path;
use std::time::Duration;

use crate::daemon::auth::HttpAuth;
use crate::daemon::flags as dflags;
use crate::daemon::log::Level;

pub use config::{
    configure, parse_resources_flag, Config, INTERNAL_RUN_TASK, MESOS_VERSION, PROCESS_ID,
};

/// Entry point: `args` are the flags after `mesos agent`. Returns the exit code.
pub fn main(args: Vec<String>) -> u8 {
    if let Some(first) = args.first() {
        if first == INTERNAL_RUN_TASK || first.starts_with(&format!("{INTERNAL_RUN_TASK}=")) {
            let spec = match first.split_once('=') {
                Some((_, v)) => v.to_string(),
                None => args.get(1).cloned().unwrap_or_default(),
            };
            return executor::wrapper::wrapper_main(Path::new(&spec));
        }
        if first == default_executor::ARG {
            return default_executor::main();
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
    let level =
        Level::parse(cfg.flags.get("logging_level").unwrap_or("INFO")).unwrap_or(Level::Info);
    match crate::daemon::startup::init_process("mesos-agent", level, &cfg.flags) {
        Ok(p) => cfg.log_file = p,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    }
    if let Err(e) = HttpAuth::for_agent(&cfg.flags) {
        eprintln!("error: {e}");
        return 1;
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
    let code = rt.block_on(start(cfg));
    rt.shutdown_timeout(Duration::from_millis(200));
    code
}

/// Create the work directory, bind `--ip:--port` and [`run`] until SIGTERM
/// or SIGINT.
async fn start(cfg: Config) -> u8 {
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
    run(cfg, listener, async {
        let sig = shutdown_signal().await;
        crate::info!("Received {sig}; agent terminating (tasks keep running)");
    })
    .await
}

/// Run an agent on `listener` until `shutdown` completes: recover the
/// checkpointed state, serve the HTTP API, register with the master. On
/// shutdown the agent stops (its tasks keep running, to be recovered by the
/// next agent). Returns the exit code. Tests drive the same app in-process
/// with [`http::app`].
pub async fn run(
    mut cfg: Config,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> u8 {
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
    let actual = listener.local_addr().map(|a| a.port()).unwrap_or(cfg.port);
    if cfg.port == 0 || cfg.port != actual {
        if cfg.advertise_port == 0 || cfg.advertise_port == cfg.port {
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
    let agent = match core::Agent::new(cfg) {
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
            nested::recover(&agent);
        }
    }
    let app = http::app(agent.clone(), &auth);
    crate::daemon::tls::log_summary();
    crate::info!(
        "Listening on {}://{}:{} as {}",
        crate::daemon::tls::scheme(),
        agent.cfg.ip,
        agent.cfg.port,
        agent.cfg.pid()
    );
    agent.start_host_metrics();
    tokio::spawn(registration::run(agent.clone()));
    let tls = crate::daemon::tls::current();
    let server = crate::daemon::serve::serve(listener, app, tls, std::future::pending());
    tokio::select! {
        _ = server => {}
        _ = shutdown => agent.shutdown(),
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

#[cfg(test)]
mod layering {
    //! The module DAG of the module docs, enforced: every reference from
    //! one agent module to another (outside tests) goes to a lower layer.

    use std::collections::BTreeMap;

    /// (module, layer); a module may use only modules of a lower layer.
    const LAYERS: &[(&str, u32)] = &[
        ("flags", 0),
        ("sysres", 0),
        ("paths", 0),
        ("model", 0),
        ("stream", 0),
        ("hostmetrics", 0),
        ("containers", 0),
        ("config", 1),
        ("core", 2),
        ("monitor", 3),
        ("fetcher", 3),
        ("render", 3),
        ("metrics", 3),
        ("registration", 4),
        ("dcos", 4),
        ("status", 5),
        ("executor", 6),
        ("recovery", 7),
        ("default_executor", 7),
        ("nested", 7),
        ("http", 8),
    ];

    /// Submodules of `executor` and `http`, with their layers inside.
    const INNER: &[(&str, &str, u32)] = &[
        ("executor", "process", 0),
        ("executor", "switchboard", 1),
        ("executor", "wrapper", 2),
        ("executor", "probe", 1),
        ("executor", "health", 2),
        ("executor", "ctx", 3),
        ("executor", "setup", 4),
        ("executor", "resume", 4),
        ("executor", "custom", 5),
        ("executor", "events", 5),
        ("executor", "calls", 6),
        ("executor", "mod", 7),
        ("nested", "session", 0),
        ("nested", "recover", 0),
        ("nested", "mod", 1),
        ("http", "error", 0),
        ("http", "v0", 1),
        ("http", "api", 2),
        ("http", "internal", 1),
        ("http", "executor_api", 1),
        ("http", "dcos", 1),
        ("http", "containers", 1),
        ("http", "mod", 3),
        ("default_executor", "config", 0),
        ("default_executor", "group", 0),
        ("default_executor", "client", 1),
        ("default_executor", "health", 2),
        ("default_executor", "run", 3),
        ("default_executor", "mod", 4),
    ];

    /// Identifiers following `prefix::`, including `prefix::{a, b::c}`.
    fn refs(src: &str, prefix: &str) -> Vec<String> {
        let mut out = Vec::new();
        let pat = format!("{prefix}::");
        let mut rest = src;
        while let Some(i) = rest.find(&pat) {
            let before = rest[..i].chars().last();
            rest = &rest[i + pat.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let id: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    out.push(id);
                }
            } else {
                out.push(
                    rest.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect(),
                );
            }
        }
        out
    }

    #[test]
    fn agent_modules_form_the_documented_dag() {
        let layer: BTreeMap<&str, u32> = LAYERS.iter().copied().collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/agent");
        let mut files = Vec::new();
        for (m, _) in LAYERS {
            let flat = dir.join(format!("{m}.rs"));
            if flat.is_file() {
                files.push((m.to_string(), None, flat));
            }
        }
        for (outer, inner, _) in INNER {
            let file = dir.join(outer).join(format!("{inner}.rs"));
            assert!(file.is_file(), "{}", file.display());
            files.push((outer.to_string(), Some(*inner), file));
        }
        let mut bad = Vec::new();
        for (module, inner, file) in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            let own = layer[module.as_str()];
            let mut agent_refs = refs(code, "crate::agent");
            let mut inner_refs = Vec::new();
            match inner {
                None => agent_refs.extend(refs(code, "super")),
                Some("mod") => {
                    agent_refs.extend(refs(code, "super"));
                    inner_refs.extend(refs(code, "self"));
                }
                Some(_) => {
                    inner_refs.extend(refs(code, "super"));
                    agent_refs.extend(refs(code, "super::super"));
                }
            }
            for r in agent_refs {
                match layer.get(r.as_str()) {
                    Some(l) if *l < own || r == module => {}
                    Some(l) => bad.push(format!(
                        "{} (layer {own}) uses {r} (layer {l})",
                        file.display()
                    )),
                    // An item of `agent/mod.rs` (the top): a cycle.
                    None => bad.push(format!("{} uses agent::{r}", file.display())),
                }
            }
            if let Some(me) = inner {
                let mine = INNER
                    .iter()
                    .find(|(o, i, _)| *o == module && *i == me)
                    .map(|x| x.2)
                    .unwrap();
                for r in inner_refs {
                    let Some((_, _, l)) = INNER.iter().find(|(o, i, _)| *o == module && *i == r)
                    else {
                        continue; // an item of the parent module, not a module
                    };
                    if *l >= mine {
                        bad.push(format!(
                            "{} (inner layer {mine}) uses {r} (inner layer {l})",
                            file.display()
                        ));
                    }
                }
            }
        }
        assert!(bad.is_empty(), "layering violations:\n{}", bad.join("\n"));
    }

    #[test]
    fn the_scanner_sees_groups_and_paths() {
        let src = "use super::{core, model::Executor};\nlet x = crate::agent::render::task_v1(e); // supersuper::no";
        assert_eq!(refs(src, "super"), vec!["core", "model"]);
        assert_eq!(refs(src, "crate::agent"), vec!["render"]);
    }
}
