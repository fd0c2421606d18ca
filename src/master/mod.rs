//! The bundled `mesos master` daemon: registers agents, offers their
//! resources to frameworks with DRF, launches tasks through the v1 scheduler
//! API, and answers the v0 endpoints and the v1 operator API exactly as real
//! Mesos 1.x does (docs/wire-notes.md).

pub mod agent_executors;
pub mod agents;
pub mod allocator;
pub mod config;
pub mod contender;
pub mod core;
#[cfg(test)]
mod fidelity_tests;
pub mod flags;
pub mod framework_info;
pub mod http;
pub mod info;
pub mod inverse;
pub mod maintenance;
pub mod metrics;
pub mod operator;
pub mod policy;
pub mod quota;
pub mod registrar;
pub mod registry;
pub mod render;
pub mod router;
pub mod scheduler;
pub mod snapshot;
pub mod state;
pub mod v0;
pub mod validation;
pub mod webui;

/// A standalone master with an in-memory registry (unit tests' fixture).
#[cfg(test)]
pub(crate) fn test_master() -> state::Shared {
    crate::http::install_crypto_provider();
    let args = vec!["--registry=in_memory".to_string()];
    let flags =
        match crate::daemon::flags::parse("mesos master", flags::SPECS, &args, |_| None).unwrap() {
            crate::daemon::flags::Parsed::Flags(f) => f,
            _ => unreachable!(),
        };
    new_master(flags, "127.0.0.1:5050".parse().unwrap()).unwrap()
}

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::daemon::auth::HttpAuth;
use crate::daemon::flags::{self as dflags, Flags};
use crate::wire::{Address, MasterInfo};
use state::{Counters, Leadership, Master, MasterState, Shared};

/// Concurrent requests from the master to agents.
pub const MAX_AGENT_CALLS: usize = 64;

pub use info::{random_bytes16, random_uuid, MESOS_COMPAT_VERSION};

/// Entry point: `args` are the flags after `mesos master`. Returns the exit code.
pub fn main(args: Vec<String>) -> u8 {
    limit_malloc_arenas();
    let flags = match dflags::parse_or_exit_code("mesos master", flags::SPECS, &args) {
        Ok(f) => f,
        Err(code) => return code,
    };
    if flags.bool("version") {
        println!(
            "mesos {MESOS_COMPAT_VERSION} (mesos-rs {})",
            env!("CARGO_PKG_VERSION")
        );
        return 0;
    }
    let cfg = match config::configure(&flags) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return e.exit_code();
        }
    };
    if let Err(e) = crate::daemon::startup::init_process("mesos-master", cfg.logging_level, &flags)
    {
        eprintln!("error: {e}");
        return 1;
    }
    let auth = match HttpAuth::for_master(&flags) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    if flags.bool("authenticate_agents") && auth.credentials().is_none() {
        eprintln!("error: --authenticate_agents needs --credentials (the principals and secrets agents present with --credential)");
        return 1;
    }
    log_auth(&flags, &auth);
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
    let config = Config { flags, cfg, auth };
    let serve = async move {
        let (ip, port) = (config.cfg.ip, config.cfg.port);
        let listener = tokio::net::TcpListener::bind(SocketAddr::from((ip, port)))
            .await
            .map_err(|e| format!("cannot listen on {ip}:{port}: {e}"))?;
        run(config, listener, shutdown_signal()).await
    };
    match rt.block_on(serve) {
        Ok(()) => 0,
        Err(e) => {
            crate::error!("{e}");
            eprintln!("error: {e}");
            1
        }
    }
}

/// Say at start-up which HTTP realms are enforced (as Mesos does).
fn log_auth(flags: &Flags, auth: &HttpAuth) {
    if flags.bool("authenticate_http_frameworks") {
        crate::info!("Master only allowing authenticated HTTP frameworks to register");
    } else {
        crate::info!("Master allowing HTTP frameworks to register without authentication");
    }
    if flags.bool("authenticate_frameworks") {
        crate::warning!(
            "--authenticate_frameworks has no effect: driver-era (SASL) framework authentication does not exist here; only HTTP authentication applies (--authenticate_http_frameworks)"
        );
    }
    for realm in auth.enabled() {
        crate::info!("Using default 'basic' HTTP authenticator for realm '{realm}'");
    }
}

/// glibc keeps one malloc arena per thread that ever allocated (up to 8 per
/// core); a long-running daemon with bursts of connections then holds on to
/// freed memory. Two arenas are plenty for two worker threads.
pub fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only adjusts allocator tuning; called before threads start.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// What [`run`] needs besides the listener: the parsed flags, the checked
/// configuration and the HTTP authentication realms.
pub struct Config {
    pub flags: Flags,
    pub cfg: config::MasterConfig,
    pub auth: HttpAuth,
}

/// The master's whole HTTP application: every route ([`router::router`])
/// inside the libprocess conventions (aliases, trailing slashes, jsonp,
/// gzip). Tests drive it in-process with `tower::ServiceExt::oneshot`.
pub fn app(master: Shared, auth: &HttpAuth) -> axum::Router {
    crate::daemon::httputil::Libprocess::new("master")
        .with_json_aliases(master.flags.bool("json_endpoint_aliases"))
        // the web UI's assets and its agent proxy (docs/webui.md)
        .with_process("webui")
        .with_process("agent")
        .wrap(router::router(master, auth))
}

/// Build the shared master and serve on `listener` until `shutdown`
/// resolves (then the scheduler streams are closed and the remaining
/// connections get two seconds).
pub async fn run(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let Config { flags, auth, .. } = config;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    let authenticate_agents = flags.bool("authenticate_agents");
    webui::Source::from_flags(&flags)?;
    let master = new_master(flags, bound)?;
    if authenticate_agents {
        if let Some(creds) = auth.credentials() {
            let _ = master.agent_credentials.set(creds);
        }
        crate::info!("Master only allowing authenticated agents to register");
    } else {
        crate::info!("Master allowing unauthenticated agents to register");
    }
    let (adv_ip, adv_port, id) = {
        let st = master.lock();
        (st.ip.clone(), st.port, st.id.clone())
    };
    let tls = crate::daemon::tls::current();
    crate::daemon::tls::log_summary();
    crate::info!(
        "Master {id} listening on {}://{bound} (advertised as {adv_ip}:{adv_port})",
        crate::daemon::tls::scheme()
    );

    // On shutdown: close the scheduler event streams (without tearing the
    // frameworks down: their tasks keep running), then give the other
    // long-lived connections (operator SUBSCRIBE) a moment before exiting.
    let signalled = Arc::new(tokio::sync::Notify::new());
    let (m2, s2) = (master.clone(), signalled.clone());
    let shutdown = async move {
        shutdown.await;
        crate::info!("Received a termination signal; shutting down");
        {
            let mut st = m2.lock();
            for fw in st.frameworks.values_mut() {
                fw.stream = None;
            }
        }
        s2.notify_one();
    };
    if master.registrar.reregister_timeout < registrar::DEFAULT_REREGISTER_TIMEOUT {
        crate::warning!(
            "--agent_reregister_timeout={} is below the 10mins Mesos requires; agents of the registry that are slow to re-register after a failover will be marked unreachable",
            crate::duration::format_mesos_duration(master.registrar.reregister_timeout)
        );
    }
    // A standalone master recovers its registry before it serves as the
    // leader; with --zk that happens on election (contender.rs).
    if master.flags.string("zk").is_none() {
        registrar::recover_file(&master)?;
    }
    allocator::spawn(master.clone());
    agents::spawn_health_checks(master.clone());
    scheduler::spawn_maintenance(master.clone());
    if let Some(zk) = master.flags.string("zk") {
        contender_spawn(master.clone(), zk);
    } else {
        crate::info!("Elected as the leading master (no --zk: standalone)");
    }

    let app = app(master.clone(), &auth);
    let serve = crate::daemon::serve::serve(listener, app, tls, shutdown);
    let cap = async move {
        signalled.notified().await;
        tokio::time::sleep(Duration::from_secs(2)).await;
    };
    tokio::select! {
        _ = serve => {}
        _ = cap => crate::info!("Closing the remaining connections"),
    }
    crate::info!("Master {id} shutting down");
    Ok(())
}

/// Resolves on SIGTERM or SIGINT.
pub async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => return std::future::pending().await,
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

/// ZooKeeper leader election (hook; see `contender_spawn`).
fn contender_spawn(master: Shared, zk: String) {
    contender::spawn(master, zk);
}

/// Construct the master's shared state.
pub fn new_master(flags: Flags, bound: SocketAddr) -> Result<Shared, String> {
    let ip = flags
        .string("advertise_ip")
        .unwrap_or_else(|| bound.ip().to_string());
    let port = flags
        .int("advertise_port")
        .map(|p| p as u16)
        .unwrap_or(bound.port());
    let hostname = flags.string("hostname").unwrap_or_else(|| ip.clone());
    let id = random_uuid();
    let ipv4: Ipv4Addr = ip.parse().unwrap_or(Ipv4Addr::LOCALHOST);
    let info = MasterInfo {
        id: Some(id.clone()),
        ip: Some(crate::wire::master_info::pack_ip(ipv4)),
        port: Some(port),
        pid: Some(format!("master@{ip}:{port}")),
        hostname: Some(hostname.clone()),
        version: Some(MESOS_COMPAT_VERSION.into()),
        address: Some(Address {
            hostname: Some(hostname.clone()),
            ip: Some(ip.clone()),
            port: Some(port),
        }),
        domain: None,
        capabilities: ["AGENT_UPDATE", "AGENT_DRAINING", "QUOTA_V2"]
            .map(crate::wire::master_info::MasterCapability::new)
            .into(),
    };
    let standalone = flags.string("zk").is_none();
    let now = state::now_secs();
    let st = MasterState {
        id,
        info,
        hostname,
        ip,
        port,
        start_time: now,
        elected_time: standalone.then_some(now),
        leadership: if standalone {
            Leadership::Leading
        } else {
            Leadership::Unknown
        },
        cluster: flags.string("cluster"),
        agents: BTreeMap::new(),
        removed_agents: BTreeSet::new(),
        frameworks: BTreeMap::new(),
        completed_frameworks: VecDeque::new(),
        offers: BTreeMap::new(),
        next_framework: 0,
        next_agent: 0,
        next_offer: 0,
        counters: Counters::default(),
        max_completed_frameworks: flags.int("max_completed_frameworks").unwrap_or(50) as usize,
        max_completed_tasks: flags
            .int("max_completed_tasks_per_framework")
            .unwrap_or(1000) as usize,
        policy: policy::Policy::from_weights(render::parse_weights(flags.get("weights"))),
        inverse: Default::default(),
        registry: Default::default(),
    };
    let mut http = reqwest::Client::builder();
    if let Some(tls) = crate::daemon::tls::current() {
        http = tls.client_builder(http);
    }
    let http = http
        .timeout(Duration::from_secs(10))
        .connect_timeout(Duration::from_secs(3))
        .pool_max_idle_per_host(4)
        // Below the daemons' 10 s keep-alive (header-read) timeout, so a
        // pooled connection is never reused just as the agent closes it.
        .pool_idle_timeout(crate::daemon::serve::CLIENT_POOL_IDLE)
        .no_proxy()
        .build()
        .map_err(|e| format!("cannot build HTTP client: {e}"))?;
    let (events, _) = tokio::sync::broadcast::channel(4096);
    let registrar = registrar::Registrar::new(&flags);
    Ok(Arc::new(Master {
        registrar,
        state: Mutex::new(st),
        reads: Default::default(),
        flags,
        http,
        events,
        allocate: tokio::sync::Notify::new(),
        agent_calls: tokio::sync::Semaphore::new(MAX_AGENT_CALLS),
        started: Instant::now(),
        agent_credentials: std::sync::OnceLock::new(),
        contenders: Mutex::new(Vec::new()),
    }))
}
