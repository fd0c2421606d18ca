//! `mesos marathon`: parse the flags, open the store, load the state,
//! take part in the leader election, start the driver, serve the REST API.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::core::api::{Api, ApiConfig};
use super::core::{persist, Marathon};
use super::election::Leadership;
use super::flags::{Options, SPECS};
use super::http::{self, Ctx, InfoConfig};
use super::store::{Store, StoreConfig};
use crate::daemon::auth::HttpAuth;
use crate::daemon::flags as dflags;
use crate::daemon::log;
use tokio::sync::watch;

/// The program name in logs and `--help`.
pub const PROGRAM: &str = "mesos marathon";

/// Run the scheduler; the exit code (0 after a clean shutdown or `--help`,
/// 1 for a bad flag value or a failure, 2 for a usage error).
pub fn main(args: Vec<String>) -> u8 {
    let flags = match dflags::parse_or_exit_code_with_prefix(PROGRAM, SPECS, &args, "MARATHON_") {
        Ok(f) => f,
        Err(code) => return code,
    };
    if flags.bool("version") {
        println!(
            "marathon {} (mesos-rs {})",
            http::info::MARATHON_VERSION,
            env!("CARGO_PKG_VERSION")
        );
        return 0;
    }
    let opts = match Options::from_flags(&flags) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return dflags::EXIT_BAD_VALUE;
        }
    };
    let level = match log::Level::parse(flags.get("logging_level").unwrap_or("INFO")) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: flag --logging_level: {e}");
            return dflags::EXIT_BAD_VALUE;
        }
    };
    if let Err(e) = crate::daemon::startup::init_process("mesos-marathon", level, &flags) {
        eprintln!("error: {e}");
        return 1;
    }
    let auth = match HttpAuth::for_marathon(&flags) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
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
    match rt.block_on(run(opts, auth)) {
        Ok(()) => 0,
        Err(e) => {
            crate::error!("{e}");
            eprintln!("error: {e}");
            1
        }
    }
}

async fn run(opts: Options, auth: HttpAuth) -> Result<(), String> {
    let store_cfg = match (&opts.zk, &opts.work_dir) {
        (Some(zk), _) => StoreConfig::Zk(zk.clone()),
        (None, Some(dir)) => StoreConfig::Dir(dir.into()),
        (None, None) => return Err("flag --work_dir or --zk is required".into()),
    };
    let store = Store::open(&store_cfg)
        .await
        .map_err(|e| format!("cannot open the state store: {e}"))?;
    let state = persist::load(&store)
        .await
        .map_err(|e| format!("cannot load the state from {}: {e}", store.describe()))?;
    crate::info!(
        "Loaded {} app(s), {} deployment(s), {} instance(s) from {}{}",
        state.apps.len(),
        state.deployments.len(),
        state.instances.len(),
        store.describe(),
        state
            .framework_id
            .as_deref()
            .map(|f| format!(" (framework id {f})"))
            .unwrap_or_default()
    );
    let marathon = Marathon::new(state);
    let addr = format!("{}:{}", opts.http_address, opts.http_port);
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let me = opts.me();
    let zk = if opts.disable_ha {
        None
    } else {
        opts.zk.clone()
    };
    let election = Arc::new(super::election::start(zk, me.clone()));
    let leadership = follow_election(election.subscribe(), marathon.clone(), store.clone());

    // The driver (Mesos side) converges the instances to the apps while
    // this instance leads.
    let driver_cfg = driver_config(&opts, store.clone())?;
    let cosmos = cosmos_backends(&driver_cfg, store.clone())?;
    let driver = super::driver::spawn(marathon.clone(), driver_cfg, leadership.clone());

    let scheme = crate::daemon::tls::scheme();
    let tls = crate::daemon::tls::current();
    let mut client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        // Per read, so event streams (a heartbeat every 10 s) stay open.
        .read_timeout(Duration::from_secs(30));
    if let Some(t) = tls {
        client = t.client_builder(client);
    }
    let client = client
        .build()
        .map_err(|e| format!("cannot build the proxy client: {e}"))?;
    let (marathon_config, zookeeper_config, http_config) = opts.info(scheme);
    let api = Api::new(
        marathon,
        store,
        ApiConfig {
            local_port_min: opts.local_port_min,
            local_port_max: opts.local_port_max,
            max_versions: opts.zk_max_versions,
        },
    );
    let ctx = Arc::new(Ctx {
        api: Arc::new(api),
        cosmos,
        info: InfoConfig {
            marathon_config,
            zookeeper_config,
            http_config,
        },
        leadership: leadership.clone(),
        election: Some(election.clone()),
        me: me.clone(),
        scheme,
        started: Instant::now(),
        client,
        heartbeat: Duration::from_secs(10),
    });
    let app = http::router(ctx, &auth);
    crate::daemon::tls::log_summary();
    if auth.is_enabled(crate::daemon::auth::MARATHON) {
        crate::info!("The REST API requires HTTP Basic authentication (all but /ping)");
    }
    crate::info!(
        "Marathon {me} listening on {scheme}://{addr} (master {}, state in {})",
        crate::leader::spec::redact_spec(&opts.master),
        match &store_cfg {
            StoreConfig::Zk(z) => crate::leader::spec::redacted_zk(z),
            StoreConfig::Dir(d) => d.display().to_string(),
        }
    );
    let signalled = Arc::new(tokio::sync::Notify::new());
    let s2 = signalled.clone();
    let shutdown = async move {
        crate::master::shutdown_signal().await;
        crate::info!("Received a termination signal; shutting down");
        s2.notify_one();
    };
    let serve = crate::daemon::serve::serve(listener, app, tls, shutdown);
    let cap = async move {
        signalled.notified().await;
        // Event streams never end on their own.
        tokio::time::sleep(Duration::from_secs(2)).await;
    };
    tokio::select! {
        _ = serve => {}
        _ = cap => crate::info!("Closing the remaining connections"),
    }
    driver.abort();
    if let Ok(e) = Arc::try_unwrap(election) {
        e.stop().await;
    }
    crate::info!("Marathon {me} shutting down");
    Ok(())
}

/// The leadership the rest of the process sees: the election's, except that
/// on becoming leader the state is first reloaded from the store (a standby
/// holds what it loaded at start; the old leader changed it since), and
/// only then is `leading` announced (to the driver and the API).
fn follow_election(
    mut election: watch::Receiver<Leadership>,
    marathon: Marathon,
    store: Store,
) -> watch::Receiver<Leadership> {
    let (tx, rx) = watch::channel(Leadership {
        leading: false,
        leader: None,
    });
    tokio::spawn(async move {
        // The state was loaded just before the election started.
        let mut fresh = true;
        let mut was_leading = false;
        loop {
            let l = election.borrow_and_update().clone();
            if l.leading && !was_leading {
                if !fresh {
                    let _ = tx.send(Leadership {
                        leading: false,
                        leader: None,
                    });
                    loop {
                        match persist::load(&store).await {
                            Ok(state) => {
                                *marathon.lock() = state;
                                break;
                            }
                            Err(e) => {
                                crate::error!("Cannot reload the state on election: {e}; retrying");
                                tokio::time::sleep(Duration::from_secs(1)).await;
                            }
                        }
                    }
                    let st = marathon.lock();
                    crate::info!(
                        "Reloaded {} app(s) and {} deployment(s) on election",
                        st.apps.len(),
                        st.deployments.len()
                    );
                }
                crate::info!("Elected as the leading Marathon");
                marathon.poke();
            } else if !l.leading && (was_leading || fresh) {
                crate::info!(
                    "Not leading (leader: {})",
                    l.leader.as_deref().unwrap_or("unknown")
                );
            }
            fresh = false;
            was_leading = l.leading;
            let _ = tx.send(l);
            if election.changed().await.is_err() {
                return;
            }
        }
    });
    rx
}

/// The Cosmos API's backends: the repository list in the state store
/// (repositories fetched over plain HTTP(S) with the platform's roots),
/// and the master the driver uses, with its TLS and credentials.
fn cosmos_backends(
    driver: &super::driver::DriverConfig,
    store: Store,
) -> Result<super::cosmos::Cosmos, String> {
    let http = crate::http::HttpClient::new(&driver.http)
        .map_err(|e| format!("cannot build the HTTP client for the master: {e}"))?;
    let fetch_client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .gzip(true)
        .build()
        .map_err(|e| format!("cannot build the repository client: {e}"))?;
    Ok(super::cosmos::Cosmos {
        repos: super::cosmos::StoreRepos::new(
            store,
            crate::packages::fetch::Fetcher {
                http: fetch_client,
                cache_dir: None,
                refresh: false,
            },
        ),
        frameworks: super::cosmos::MasterFrameworks {
            master: driver.master.clone(),
            http,
            scheme: driver.scheme(),
        },
    })
}

/// The driver's settings from the flags: the FrameworkInfo, the master, TLS
/// towards it (the daemons' `LIBPROCESS_SSL_*`), Basic credentials from
/// `--mesos_authentication_principal` and the secret file (never logged).
fn driver_config(opts: &Options, store: Store) -> Result<super::driver::DriverConfig, String> {
    let auth =
        match (&opts.principal, &opts.secret_file) {
            (Some(principal), Some(file)) => {
                let path = file.strip_prefix("file://").unwrap_or(file);
                let secret = std::fs::read_to_string(path).map_err(|e| {
                    format!("flag --mesos_authentication_secret_file: cannot read '{path}': {e}")
                })?;
                crate::http::Auth::Basic {
                    principal: principal.clone(),
                    secret: secret.trim().to_string(),
                }
            }
            (Some(_), None) => return Err(
                "flag --mesos_authentication_principal needs --mesos_authentication_secret_file"
                    .into(),
            ),
            (None, Some(_)) => return Err(
                "flag --mesos_authentication_secret_file needs --mesos_authentication_principal"
                    .into(),
            ),
            (None, None) => crate::http::Auth::None,
        };
    Ok(super::driver::DriverConfig {
        master: opts.master.clone(),
        framework_name: opts.framework_name.clone(),
        role: opts.mesos_role.clone().unwrap_or_else(|| "*".into()),
        user: opts.mesos_user.clone(),
        failover_timeout: opts.failover_timeout_secs as f64,
        webui_url: opts.webui_url(crate::daemon::tls::scheme()),
        hostname: opts.hostname.clone(),
        http: crate::http::HttpOptions {
            timeout: Duration::from_secs(10),
            auth,
            ca_file: None,
            insecure: false,
            client_tls: crate::daemon::tls::current().map(|t| t.client.clone()),
        },
        max_instances_per_offer: opts.max_instances_per_offer.max(1) as usize,
        decline_offer_seconds: opts.decline_offer_duration_ms as f64 / 1000.0,
        reconciliation_interval: Duration::from_millis(opts.reconciliation_interval_ms.max(1000)),
        task_launch_timeout: Duration::from_millis(opts.task_launch_timeout_ms.max(1000)),
        env_vars_prefix: opts.env_vars_prefix.clone(),
        local_port_range: (opts.local_port_min, opts.local_port_max),
        store,
    })
}
