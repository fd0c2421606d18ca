//! The Marathon driver (`mesos::marathon::driver`) in this test process
//! against a real bundled master and agent (processes): apps given as the
//! REST side would give them (an app in `State` and a `DeploymentRecord`)
//! reach TASK_RUNNING with their ports, dead tasks are replaced, apps
//! scale, a rolling restart keeps `minimumHealthCapacity` healthy, and a
//! restarted driver adopts the running tasks instead of relaunching them.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use mesos::http::{Auth, HttpOptions};
use mesos::marathon::core::{persist, DeploymentRecord, Instance, Marathon, State};
use mesos::marathon::driver::{self, DriverConfig};
use mesos::marathon::election::Leadership;
use mesos::marathon::store::{Store, StoreConfig};
use mesos::wire::marathon::{ActionKind, AppDefinition, PathId};
use tokio::sync::watch;

use crate::common::cluster::{
    get_json, http_get, spawn_with_env, start_agent, start_master, Daemon,
};
use crate::common::free_port;

const DEADLINE: Duration = Duration::from_secs(90);

/// Wait (without blocking the runtime) until `cond` holds.
async fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let end = Instant::now() + DEADLINE;
    while Instant::now() < end {
        if cond() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out after {DEADLINE:?} waiting for {what}");
}

fn config(master: &Daemon, store: Store) -> DriverConfig {
    DriverConfig {
        master: master.addr(),
        framework_name: "marathon".into(),
        role: "*".into(),
        user: None,
        failover_timeout: 604800.0,
        webui_url: "http://127.0.0.1:8080".into(),
        hostname: "127.0.0.1".into(),
        http: HttpOptions {
            timeout: Duration::from_secs(10),
            auth: Auth::None,
            ca_file: None,
            insecure: false,
            client_tls: None,
        },
        max_instances_per_offer: 5,
        decline_offer_seconds: 120.0,
        reconciliation_interval: Duration::from_secs(600),
        task_launch_timeout: Duration::from_secs(120),
        env_vars_prefix: None,
        local_port_range: (10000, 20000),
        store,
    }
}

fn leading() -> watch::Receiver<Leadership> {
    let (tx, rx) = watch::channel(Leadership {
        leading: true,
        leader: Some("127.0.0.1:8080".into()),
    });
    // Keep the sender alive for the whole test.
    std::mem::forget(tx);
    rx
}

/// An HTTP service on `$PORT0` with a Marathon-level HTTP health check.
fn web_app(id: &str, instances: u32, version: &str) -> AppDefinition {
    let mut app: AppDefinition = serde_json::from_value(serde_json::json!({
        "id": id,
        "cmd": "exec python3 -m http.server $PORT0",
        "cpus": 0.1, "mem": 32, "instances": instances,
        "backoffSeconds": 1,
        "healthChecks": [{"protocol": "HTTP", "path": "/", "portIndex": 0,
            "gracePeriodSeconds": 30, "intervalSeconds": 1, "timeoutSeconds": 2,
            "maxConsecutiveFailures": 3}],
        "version": version,
        "versionInfo": {"lastScalingAt": version, "lastConfigChangeAt": version}
    }))
    .unwrap();
    app.normalize();
    app
}

/// Put `app` in the state (and the store) with a one-step deployment of
/// `action`, as the REST side does, and poke the driver.
async fn deploy(m: &Marathon, store: &Store, app: AppDefinition, action: ActionKind) -> String {
    let id = format!("dep-{}", uuid::Uuid::new_v4());
    let record = {
        let mut st = m.lock();
        let original = st.apps.get(&app.id).cloned();
        let record = DeploymentRecord {
            id: id.clone(),
            version: app.version.clone().unwrap(),
            steps: vec![vec![(action, app.id.clone())]],
            current_step: 1,
            original: BTreeMap::from([(app.id.clone(), original)]),
            target: BTreeMap::from([(app.id.clone(), Some(app.clone()))]),
        };
        st.deployments.push(record.clone());
        st.apps.insert(app.id.clone(), app.clone());
        record
    };
    persist::save_app(store, &app).await.unwrap();
    persist::save_deployment(store, &record).await.unwrap();
    m.poke();
    id
}

fn instances(m: &Marathon, app: &str) -> Vec<Instance> {
    let id = PathId::parse(app);
    m.lock().instances_of(&id).cloned().collect()
}

/// Running, not being killed, and every health check alive.
fn healthy(i: &Instance) -> bool {
    i.is_running() && !i.kill_requested && i.healthy(false) == Some(true)
}

fn deployment_done(m: &Marathon, id: &str) -> bool {
    !m.lock().deployments.iter().any(|d| d.id == id)
}

/// Processes whose command line is `python3 -m http.server <port>`.
fn server_pids(port: u32) -> Vec<i32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(cmd) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
            continue;
        };
        let args: Vec<String> = cmd
            .split(|b| *b == 0)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        if args.iter().any(|a| a == "http.server") && args.iter().any(|a| *a == port.to_string()) {
            out.push(pid);
        }
    }
    out
}

async fn open_store(dir: &std::path::Path) -> Store {
    Store::open(&StoreConfig::Dir(dir.to_path_buf()))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn driver_runs_replaces_scales_and_is_adopted_after_restart() {
    mesos::http::install_crypto_provider();
    let master = start_master(&[]);
    // Port ranges of their own (tests run in parallel on this host), below
    // the ephemeral range so no client socket holds them.
    let _agent = start_agent(
        &master,
        &["--resources=cpus:2;mem:1024;disk:1024;ports:[24000-24099]"],
    );
    let work = tempfile::tempdir().unwrap();
    let store = open_store(work.path()).await;
    let m = Marathon::new(State::default());
    let handle = driver::spawn(m.clone(), config(&master, store.clone()), leading());

    // Two instances reach TASK_RUNNING and healthy; PORT0 serves HTTP.
    let dep = deploy(
        &m,
        &store,
        web_app("/web", 2, "2026-01-01T00:00:00.000Z"),
        ActionKind::ScaleApplication,
    )
    .await;
    wait_for("2 healthy instances and the deployment done", || {
        instances(&m, "/web").iter().filter(|i| healthy(i)).count() == 2
            && deployment_done(&m, &dep)
    })
    .await;
    assert!(
        m.lock().last_failures.is_empty(),
        "a task failed: {:?}",
        m.lock().last_failures
    );
    let fid = m.lock().framework_id.clone().expect("framework id");
    let frameworks = get_json(&format!("{}/master/frameworks", master.url()));
    let fw = &frameworks["frameworks"][0];
    assert_eq!(fw["id"], fid.as_str());
    assert_eq!(fw["name"], "marathon");
    assert_eq!(fw["checkpoint"], true);
    assert_eq!(fw["failover_timeout"], 604800.0);
    assert_eq!(fw["webui_url"], "http://127.0.0.1:8080");
    for i in instances(&m, "/web") {
        assert_eq!(i.host_ports.len(), 1, "{i:?}");
        let url = format!("http://{}:{}/", i.hostname, i.host_ports[0]);
        let (code, _) = http_get(&url).unwrap_or_else(|| panic!("{url} does not answer"));
        assert_eq!(code, 200, "{url}");
    }

    // kill -9 of one task's process: the instance is replaced.
    let victim = instances(&m, "/web")[0].clone();
    let pids = server_pids(victim.host_ports[0]);
    assert!(
        !pids.is_empty(),
        "no process serves port {}",
        victim.host_ports[0]
    );
    for p in pids {
        unsafe { libc::kill(p, libc::SIGKILL) };
    }
    wait_for("the killed instance replaced by a healthy one", || {
        let now = instances(&m, "/web");
        !now.iter().any(|i| i.task_id == victim.task_id)
            && now.iter().filter(|i| healthy(i)).count() == 2
    })
    .await;
    assert!(
        m.lock().last_failures.contains_key(&PathId::parse("/web")),
        "the failure is recorded"
    );

    // Scale up to 3, then down to 1 (a scale keeps the configuration).
    let mut app = m.lock().apps[&PathId::parse("/web")].clone();
    app.instances = 3;
    app.version = Some("2026-01-01T00:01:00.000Z".into());
    let dep = deploy(&m, &store, app.clone(), ActionKind::ScaleApplication).await;
    wait_for("3 healthy instances", || {
        instances(&m, "/web").iter().filter(|i| healthy(i)).count() == 3
            && deployment_done(&m, &dep)
    })
    .await;
    app.instances = 1;
    app.version = Some("2026-01-01T00:02:00.000Z".into());
    let dep = deploy(&m, &store, app, ActionKind::ScaleApplication).await;
    wait_for("1 instance left", || {
        instances(&m, "/web").len() == 1 && deployment_done(&m, &dep)
    })
    .await;
    let tasks = get_json(&format!("{}/master/tasks", master.url()));
    let running = tasks["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["state"] == "TASK_RUNNING")
        .count();
    assert_eq!(running, 1, "the master runs exactly one task: {tasks}");

    // Restart the driver with the stored state: the task is adopted.
    handle.abort();
    let _ = handle.await;
    let before: BTreeSet<String> = instances(&m, "/web")
        .into_iter()
        .map(|i| i.task_id)
        .collect();
    let store = open_store(work.path()).await;
    let stored = persist::load(&store).await.unwrap();
    assert_eq!(stored.framework_id.as_deref(), Some(fid.as_str()));
    assert!(stored.deployments.is_empty(), "{:?}", stored.deployments);
    let stored_tasks: BTreeSet<String> = stored.instances.keys().cloned().collect();
    assert_eq!(stored_tasks, before, "the store holds the live instances");
    let m2 = Marathon::new(stored);
    let mut events = m2.subscribe();
    let handle2 = driver::spawn(m2.clone(), config(&master, store), leading());
    // Re-registered as the same framework.
    let reregistered = tokio::time::timeout(DEADLINE, async {
        loop {
            let e = events.recv().await.unwrap();
            if e.event_type() == "scheduler_reregistered_event" {
                return;
            }
            assert_ne!(
                e.event_type(),
                "scheduler_registered_event",
                "a new framework was registered"
            );
        }
    })
    .await;
    assert!(reregistered.is_ok(), "no scheduler_reregistered_event");
    wait_for("the adopted instance healthy", || {
        instances(&m2, "/web").iter().filter(|i| healthy(i)).count() == 1
    })
    .await;
    // Give a relaunch every chance to show up: a full reconciliation round.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after: BTreeSet<String> = instances(&m2, "/web")
        .into_iter()
        .map(|i| i.task_id)
        .collect();
    assert_eq!(before, after, "tasks were relaunched instead of adopted");
    assert_eq!(m2.lock().framework_id.as_deref(), Some(fid.as_str()));
    handle2.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rolling_restart_keeps_minimum_health_capacity() {
    mesos::http::install_crypto_provider();
    let master = start_master(&[]);
    let _agent = start_agent(
        &master,
        &["--resources=cpus:2;mem:1024;disk:1024;ports:[25000-25099]"],
    );
    let work = tempfile::tempdir().unwrap();
    let store = open_store(work.path()).await;
    let m = Marathon::new(State::default());
    let handle = driver::spawn(m.clone(), config(&master, store.clone()), leading());

    let v1 = "2026-01-01T00:00:00.000Z";
    let dep = deploy(
        &m,
        &store,
        web_app("/roll", 2, v1),
        ActionKind::ScaleApplication,
    )
    .await;
    wait_for("2 healthy instances", || {
        instances(&m, "/roll").iter().filter(|i| healthy(i)).count() == 2
            && deployment_done(&m, &dep)
    })
    .await;
    let old: BTreeSet<String> = instances(&m, "/roll")
        .into_iter()
        .map(|i| i.task_id)
        .collect();

    // A new configuration: every instance is replaced one at a time
    // (maximumOverCapacity 0: one extra allowed), never fewer than
    // minimumHealthCapacity (1.0 → 2) healthy.
    let v2 = "2026-01-01T00:05:00.000Z";
    let mut app = web_app("/roll", 2, v2);
    app.upgrade_strategy.maximum_over_capacity = 0.0;
    app.env.insert(
        "RELEASE".into(),
        mesos::wire::marathon::EnvValue::Value("2".into()),
    );
    let dep = deploy(&m, &store, app, ActionKind::RestartApplication).await;
    let end = Instant::now() + DEADLINE;
    let mut least = usize::MAX;
    let mut most = 0;
    loop {
        let now = instances(&m, "/roll");
        least = least.min(now.iter().filter(|i| healthy(i)).count());
        most = most.max(now.iter().filter(|i| !i.kill_requested).count());
        if deployment_done(&m, &dep) {
            break;
        }
        assert!(Instant::now() < end, "the restart did not finish: {now:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        least >= 2,
        "only {least} healthy instances during the restart"
    );
    assert!(
        most <= 3,
        "{most} live instances at once: over maximumOverCapacity"
    );
    let now = instances(&m, "/roll");
    assert_eq!(now.len(), 2, "{now:?}");
    for i in &now {
        assert!(!old.contains(&i.task_id), "old instance {} left", i.task_id);
        assert_eq!(i.app_version, v2);
        assert!(healthy(i));
    }
    handle.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unhealthy_instances_are_killed_and_a_stopped_app_is_gone() {
    mesos::http::install_crypto_provider();
    let master = start_master(&[]);
    let _agent = start_agent(
        &master,
        &["--resources=cpus:2;mem:1024;disk:1024;ports:[26000-26099]"],
    );
    let work = tempfile::tempdir().unwrap();
    let store = open_store(work.path()).await;
    let m = Marathon::new(State::default());
    let mut events = m.subscribe();
    let handle = driver::spawn(m.clone(), config(&master, store.clone()), leading());

    // Nothing listens on PORT0: the HTTP check fails, and after
    // maxConsecutiveFailures the instance is killed and replaced.
    let mut app = web_app("/sick", 1, "2026-01-01T00:00:00.000Z");
    app.cmd = Some("sleep 1000".into());
    app.health_checks[0].grace_period_seconds = 0;
    app.health_checks[0].max_consecutive_failures = 1;
    let dep = deploy(&m, &store, app, ActionKind::ScaleApplication).await;
    let first = {
        let mut id = None;
        wait_for("an instance", || {
            id = instances(&m, "/sick").first().map(|i| i.task_id.clone());
            id.is_some()
        })
        .await;
        id.unwrap()
    };
    let seen = tokio::time::timeout(DEADLINE, async {
        let mut kinds = BTreeSet::new();
        loop {
            let e = events.recv().await.unwrap();
            kinds.insert(e.event_type().to_string());
            if e.event_type() == "unhealthy_instance_kill_event" {
                return kinds;
            }
        }
    })
    .await
    .expect("no unhealthy_instance_kill_event");
    for k in [
        "status_update_event",
        "instance_changed_event",
        "failed_health_check_event",
    ] {
        assert!(seen.contains(k), "no {k} before the kill: {seen:?}");
    }
    wait_for("the unhealthy instance replaced", || {
        let now = instances(&m, "/sick");
        !now.iter().any(|i| i.task_id == first) && now.iter().any(|i| i.is_running())
    })
    .await;
    assert!(
        !deployment_done(&m, &dep),
        "a never-healthy deployment stays"
    );
    assert!(
        m.lock().delays.contains_key(&PathId::parse("/sick")),
        "the health kill counts for the backoff"
    );

    // Stop (the app removed, as DELETE /v2/apps does): every task killed,
    // the deployment done, app_terminated_event published.
    let stop = format!("dep-{}", uuid::Uuid::new_v4());
    {
        let mut st = m.lock();
        st.deployments.clear();
        let old = st.apps.remove(&PathId::parse("/sick"));
        st.deployments.push(DeploymentRecord {
            id: stop.clone(),
            version: "2026-01-01T00:10:00.000Z".into(),
            steps: vec![vec![(ActionKind::StopApplication, PathId::parse("/sick"))]],
            current_step: 1,
            original: BTreeMap::from([(PathId::parse("/sick"), old)]),
            target: BTreeMap::from([(PathId::parse("/sick"), None)]),
        });
    }
    m.poke();
    let terminated = tokio::time::timeout(DEADLINE, async {
        loop {
            let e = events.recv().await.unwrap();
            if e.event_type() == "app_terminated_event" {
                return;
            }
        }
    })
    .await;
    assert!(terminated.is_ok(), "no app_terminated_event");
    wait_for("the stop deployment done", || {
        deployment_done(&m, &stop) && instances(&m, "/sick").is_empty()
    })
    .await;
    let url = format!("{}/master/tasks", master.url());
    wait_for("no task left on the master", || {
        get_json(&url)["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["state"] != "TASK_RUNNING" && t["state"] != "TASK_STAGING")
    })
    .await;
    handle.abort();
}

/// A master with a persistent registry in `dir` on `port` (restartable).
fn start_durable_master(port: u16, dir: tempfile::TempDir) -> Daemon {
    let args = vec![
        "--ip=127.0.0.1".to_string(),
        format!("--port={port}"),
        "--registry=replicated_log".to_string(),
        format!("--work_dir={}", dir.path().join("work").display()),
        format!("--log_dir={}", dir.path().join("logs").display()),
    ];
    let mut d = spawn_with_env("master", args, &[], port, dir);
    let url = format!("{}/master/health", d.url());
    let end = Instant::now() + DEADLINE;
    loop {
        if let Ok(Some(st)) = d.child.try_wait() {
            panic!("master exited early ({st}):\n{}", d.log());
        }
        if matches!(http_get(&url), Some((200, _))) {
            return d;
        }
        assert!(Instant::now() < end, "master /health");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn master_failover_relaunches_nothing() {
    mesos::http::install_crypto_provider();
    let port = free_port();
    let mut master = start_durable_master(port, tempfile::tempdir().unwrap());
    let _agent = start_agent(
        &master,
        &["--resources=cpus:2;mem:1024;disk:1024;ports:[27000-27099]"],
    );
    let work = tempfile::tempdir().unwrap();
    let store = open_store(work.path()).await;
    let m = Marathon::new(State::default());
    let handle = driver::spawn(m.clone(), config(&master, store.clone()), leading());
    let dep = deploy(
        &m,
        &store,
        web_app("/steady", 2, "2026-01-01T00:00:00.000Z"),
        ActionKind::ScaleApplication,
    )
    .await;
    wait_for("2 healthy instances", || {
        instances(&m, "/steady")
            .iter()
            .filter(|i| healthy(i))
            .count()
            == 2
            && deployment_done(&m, &dep)
    })
    .await;
    let before: BTreeSet<String> = instances(&m, "/steady")
        .into_iter()
        .map(|i| i.task_id)
        .collect();

    // The master dies and comes back (same address, same registry).
    let mut events = m.subscribe();
    master.kill();
    let dir = std::mem::replace(&mut master.dir, tempfile::tempdir().unwrap());
    drop(master);
    let master = start_durable_master(port, dir);
    let reregistered = tokio::time::timeout(DEADLINE, async {
        loop {
            let e = events.recv().await.unwrap();
            assert_ne!(
                e.event_type(),
                "scheduler_registered_event",
                "a new framework was registered"
            );
            if e.event_type() == "scheduler_reregistered_event" {
                return;
            }
        }
    })
    .await;
    assert!(reregistered.is_ok(), "no scheduler_reregistered_event");
    let url = format!("{}/master/tasks", master.url());
    wait_for("the master knows both tasks running again", || {
        let tasks = get_json(&url);
        let running: BTreeSet<String> = tasks["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["state"] == "TASK_RUNNING")
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect();
        running == before
    })
    .await;
    // A reconciliation round after the agent is back changes nothing.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after: BTreeSet<String> = instances(&m, "/steady")
        .into_iter()
        .map(|i| i.task_id)
        .collect();
    assert_eq!(before, after, "tasks were relaunched after the failover");
    assert!(instances(&m, "/steady").iter().all(|i| i.is_running()));
    handle.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deployment_waits_for_readiness() {
    mesos::http::install_crypto_provider();
    let master = start_master(&[]);
    let _agent = start_agent(
        &master,
        &["--resources=cpus:2;mem:1024;disk:1024;ports:[28000-28099]"],
    );
    let work = tempfile::tempdir().unwrap();
    let store = open_store(work.path()).await;
    let m = Marathon::new(State::default());
    let handle = driver::spawn(m.clone(), config(&master, store.clone()), leading());
    // Healthy at once, ready only once the sandbox holds `ready` (the
    // server serves its working directory), which the test creates.
    let mut app = web_app("/slow", 1, "2026-01-01T00:00:00.000Z");
    app.readiness_checks = serde_json::from_value(serde_json::json!([
        {"path": "/ready", "portName": "default", "intervalSeconds": 1, "timeoutSeconds": 1,
         "preserveLastResponse": true}
    ]))
    .unwrap();
    let dep = deploy(&m, &store, app, ActionKind::ScaleApplication).await;
    wait_for("a healthy instance", || {
        instances(&m, "/slow").iter().any(healthy)
    })
    .await;
    // The driver keeps the readiness results (for `readinessCheckResults`),
    // with the last answer as the check asks.
    wait_for("a not-ready result with the 404 answer", || {
        m.lock()
            .readiness
            .values()
            .any(|r| !r.ready && r.last_response.as_ref().is_some_and(|l| l.status == 404))
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        !deployment_done(&m, &dep),
        "done before the instance was ready"
    );
    let i = instances(&m, "/slow").remove(0);
    let pid = server_pids(i.host_ports[0])[0];
    let cwd = std::fs::read_link(format!("/proc/{pid}/cwd")).unwrap();
    std::fs::write(cwd.join("ready"), "yes").unwrap();
    wait_for("the deployment done once ready", || {
        deployment_done(&m, &dep)
    })
    .await;
    let r = m.lock().readiness[&i.task_id].clone();
    assert!(r.ready);
    let last = r.last_response.unwrap();
    assert_eq!((last.status, last.body.as_str()), (200, "yes"));
    handle.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offers_that_do_not_fit_are_counted_with_the_reason() {
    mesos::http::install_crypto_provider();
    let master = start_master(&[]);
    let _agent = start_agent(
        &master,
        &["--resources=cpus:2;mem:1024;disk:1024;ports:[28100-28199]"],
    );
    let work = tempfile::tempdir().unwrap();
    let store = open_store(work.path()).await;
    let m = Marathon::new(State::default());
    let handle = driver::spawn(m.clone(), config(&master, store.clone()), leading());
    let mut app = web_app("/huge", 1, "2026-01-01T00:00:00.000Z");
    app.cpus = 64.0;
    deploy(&m, &store, app, ActionKind::ScaleApplication).await;
    wait_for("an unused offer counted as InsufficientCpus", || {
        m.lock()
            .offer_stats
            .get(&PathId::parse("/huge"))
            .is_some_and(|s| {
                s.unused > 0
                    && s.declined.get("InsufficientCpus") == Some(&s.unused)
                    && s.last_unused
                        .back()
                        .is_some_and(|u| u.reasons == ["InsufficientCpus"])
            })
    })
    .await;
    let s = m.lock().offer_stats[&PathId::parse("/huge")].clone();
    assert_eq!(s.processed, s.unused);
    assert!(s.last_used_ms.is_none() && s.last_unused_ms.is_some());
    handle.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_framework_follows_leadership() {
    mesos::http::install_crypto_provider();
    let master = start_master(&[]);
    let work = tempfile::tempdir().unwrap();
    let store = open_store(work.path()).await;
    let m = Marathon::new(State::default());
    let (tx, rx) = watch::channel(Leadership {
        leading: false,
        leader: Some("other:8080".into()),
    });
    let handle = driver::spawn(m.clone(), config(&master, store), rx);
    let url = format!("{}/master/frameworks", master.url());
    let active = || -> Vec<bool> {
        get_json(&url)["frameworks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["active"].as_bool().unwrap_or(false))
            .collect()
    };
    // A standby does not subscribe.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(active().is_empty(), "a standby subscribed");
    assert!(m.lock().framework_id.is_none());
    // Elected: subscribes.
    tx.send(Leadership {
        leading: true,
        leader: Some("me:8080".into()),
    })
    .unwrap();
    wait_for("the framework subscribed", || active() == [true]).await;
    // Deposed: leaves the master (the framework stays, disconnected, for
    // its failover timeout).
    tx.send(Leadership {
        leading: false,
        leader: Some("other:8080".into()),
    })
    .unwrap();
    wait_for("the framework disconnected", || active() == [false]).await;
    // Elected again: the same framework comes back.
    let fid = m.lock().framework_id.clone();
    tx.send(Leadership {
        leading: true,
        leader: Some("me:8080".into()),
    })
    .unwrap();
    wait_for("the framework re-subscribed", || active() == [true]).await;
    assert_eq!(m.lock().framework_id, fid);
    handle.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_torn_down_framework_is_replaced_when_nothing_runs() {
    mesos::http::install_crypto_provider();
    let master = start_master(&[]);
    let work = tempfile::tempdir().unwrap();
    let store = open_store(work.path()).await;
    let m = Marathon::new(State::default());
    let handle = driver::spawn(m.clone(), config(&master, store.clone()), leading());
    wait_for("subscribed", || m.lock().framework_id.is_some()).await;
    let old = m.lock().framework_id.clone().unwrap();
    handle.abort();
    let _ = handle.await;
    let form = format!("frameworkId={old}");
    let r = crate::common::daemons::request(
        &master.addr(),
        "POST",
        "/master/teardown",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // The next leader starts from the store: the old id is refused, and
    // with no instance to lose a new framework is registered and stored.
    let stored = persist::load(&store).await.unwrap();
    assert_eq!(stored.framework_id.as_deref(), Some(old.as_str()));
    let m2 = Marathon::new(stored);
    let mut events = m2.subscribe();
    let handle = driver::spawn(m2.clone(), config(&master, store.clone()), leading());
    let registered = tokio::time::timeout(DEADLINE, async {
        loop {
            let e = events.recv().await.unwrap();
            if let mesos::wire::marathon::EventKind::SchedulerRegisteredEvent {
                framework_id, ..
            } = e.kind
            {
                return framework_id;
            }
        }
    })
    .await
    .expect("no scheduler_registered_event");
    assert_ne!(registered, old);
    let reloaded = persist::load(&store).await.unwrap();
    assert_eq!(reloaded.framework_id.as_deref(), Some(registered.as_str()));
    handle.abort();
}
