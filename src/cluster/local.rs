//! The local cluster: the bundled daemons on 127.0.0.1, detached, with work
//! dirs and logs under `<data dir>/mesos/clusters/<name>/<daemon>/`.
//!
//! `up` starts (managed ZooKeeper,) masters, then agents, records every pid
//! in `cluster.json` as it goes, and returns once the cluster is ready (see
//! [`super::ready`]). A daemon that exits during startup fails `up` at once
//! with its last log lines, and the daemons already started are stopped. A
//! port taken between picking and binding is retried on another port.
//!
//! `down` kills the tasks first (the agent leaves them running on SIGTERM,
//! like Mesos, for recovery), then SIGTERMs every daemon and SIGKILLs what
//! is left after the grace period.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::progress::Progress;
use super::ready::{self, Check};
use super::state::{ClusterState, DaemonRecord, Mode, Role, STATE_VERSION};
use super::LocalError;
use super::{cluster_dir, clusters_root, now_secs, proc, quorum, zk};
use crate::error::{Error, Result};

/// Address every local daemon binds.
pub const LOCAL_IP: &str = "127.0.0.1";
/// Default readiness timeout of `up` and `wait`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default grace period of `down` between SIGTERM and SIGKILL.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(5);
/// How often readiness is polled.
const POLL: Duration = Duration::from_millis(20);
/// Lines of a failed daemon's log shown.
pub const TAIL_LINES: usize = 12;
/// Attempts per daemon when its port was taken before it could bind.
const PORT_ATTEMPTS: u32 = 4;

/// What `mesos cluster up` was asked for.
#[derive(Clone, Debug)]
pub struct UpOptions {
    pub name: String,
    pub masters: u32,
    pub agents: u32,
    /// External ZooKeeper (`zk://host:port/path`); else managed when masters > 1.
    pub zk: Option<String>,
    pub agent_resources: Option<String>,
    pub agent_attributes: Option<String>,
    /// Extra `--flag=value` for every master / agent.
    pub master_flags: Vec<String>,
    pub agent_flags: Vec<String>,
    pub timeout: Duration,
    /// TLS and HTTP authentication on every daemon (`--secure`).
    pub secure: bool,
}

/// What `up` did.
#[derive(Clone, Debug)]
pub struct UpOutcome {
    pub state: ClusterState,
    /// The cluster was already running: nothing was changed.
    pub already_running: bool,
    /// Name of the leading master.
    pub leader: Option<String>,
    pub elapsed: Duration,
    /// Hosts or daemons that failed (SSH clusters; the rest is up).
    pub failed: Vec<String>,
}

impl UpOutcome {
    /// URL of the leading master (else the first master).
    pub fn leader_url(&self) -> String {
        self.leader
            .as_deref()
            .and_then(|l| self.state.find(l))
            .map(|d| d.url())
            .unwrap_or_else(|| self.state.master_url.clone())
    }
}

// ---------------------------------------------------------------------------
// Locking: one `cluster` command per cluster at a time.

/// An exclusive lock on a cluster directory, released on drop.
pub struct DirLock {
    _lock: nix::fcntl::Flock<std::fs::File>,
}

/// Take `<dir>/.lock` (waits for a concurrent `up`/`down` of the same cluster).
pub fn lock(dir: &Path) -> Result<DirLock> {
    use nix::fcntl::{Flock, FlockArg};
    std::fs::create_dir_all(dir).map_err(|e| io_error("create", dir.display(), e))?;
    let path = dir.join(".lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| io_error("open", path.display(), e))?;
    let lock = match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
        Ok(l) => l,
        Err((file, _)) => {
            crate::output::status(format!(
                "waiting for another `mesos cluster` command on {}",
                dir.display()
            ));
            Flock::lock(file, FlockArg::LockExclusive)
                .map_err(|(_, e)| io_error("lock", path.display(), e.into()))?
        }
    };
    Ok(DirLock { _lock: lock })
}

// ---------------------------------------------------------------------------
// Liveness.

/// Is the recorded local process still running?
pub fn alive(d: &DaemonRecord) -> bool {
    proc::alive(d.pid, d.start_ticks)
}

/// The last lines of a daemon's logs: its own log, then console lines that
/// are not already there (errors printed before logging started).
pub fn log_tail(d: &DaemonRecord, n: usize) -> Vec<String> {
    // Logs are appended across runs: keep the glog lines of this process.
    let mine = |l: &String| match glog_pid(l) {
        Some(p) => d.pid == 0 || p == d.pid,
        None => true,
    };
    let mut lines: Vec<String> = proc::tail_lines(Path::new(&d.log_file), n * 4)
        .into_iter()
        .filter(mine)
        .collect();
    let skip = lines.len().saturating_sub(n);
    lines.drain(..skip);
    let console = proc::tail_lines(Path::new(&d.console_log), n);
    let seen: BTreeSet<&String> = lines.iter().collect();
    let extra: Vec<String> = console.into_iter().filter(|l| !seen.contains(l)).collect();
    lines.extend(extra);
    let skip = lines.len().saturating_sub(n);
    lines.split_off(skip)
}

/// The process id of a glog line (`I1122 00:47:36.429807  23873 file.rs:1] ...`).
fn glog_pid(l: &str) -> Option<u32> {
    let b = l.as_bytes();
    if b.len() < 6
        || !matches!(b[0], b'I' | b'W' | b'E' | b'F')
        || !b[1..5].iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    l.split_whitespace().nth(2)?.parse().ok()
}

/// The most telling line of a failed daemon's output (an `error:` line, a
/// glog `E`/`F` line, else the last one).
pub fn last_error(lines: &[String]) -> Option<String> {
    let glog_error = |l: &str| {
        let b = l.as_bytes();
        b.len() > 5 && (b[0] == b'E' || b[0] == b'F') && b[1..5].iter().all(u8::is_ascii_digit)
    };
    lines
        .iter()
        .rev()
        .find(|l| {
            l.starts_with("error:")
                || glog_error(l)
                || l.contains("Exception")
                || l.contains("ERROR")
        })
        .map(|l| l.trim().to_string())
}

/// Print a failed daemon's log tail on stderr.
pub fn show_tail(progress: &Progress, d: &DaemonRecord, lines: &[String]) {
    if lines.is_empty() {
        progress.line(&format!(
            "{} left no log lines ({}, {})",
            d.name, d.log_file, d.console_log
        ));
        return;
    }
    progress.line(&format!("last lines of {}'s log ({}):", d.name, d.log_file));
    for l in lines {
        progress.line(&format!("  | {l}"));
    }
}

// ---------------------------------------------------------------------------
// up

/// A daemon about to start (or restart on another port).
struct Planned {
    rec: DaemonRecord,
    program: PathBuf,
    attempts: u32,
}

/// Per-cluster facts needed to build the command lines.
struct Plan {
    dir: PathBuf,
    binary: PathBuf,
    name: String,
    /// `--master` of the agents and the profile: `127.0.0.1:P` or zk URL.
    master: String,
    zk: Option<String>,
    quorum: Option<u32>,
    agent_resources: Option<String>,
    agent_attributes: Option<String>,
    master_flags: Vec<String>,
    agent_flags: Vec<String>,
    zk_install: Option<zk::Install>,
    /// Directory of the security files (`up --secure`).
    secure: Option<String>,
}

/// Pick `n` distinct free ports on 127.0.0.1 (all held until every one is
/// picked, then released).
pub fn free_ports(n: usize) -> Result<Vec<u16>> {
    let mut held = Vec::new();
    for _ in 0..n {
        let l = std::net::TcpListener::bind((LOCAL_IP, 0)).map_err(|source| {
            LocalError::NoFreePort {
                ip: LOCAL_IP,
                source,
            }
        })?;
        held.push(l);
    }
    Ok(held
        .iter()
        .map(|l| l.local_addr().map(|a| a.port()).unwrap_or(0))
        .collect())
}

fn daemon_dir(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

impl Plan {
    fn record(&self, name: &str, role: Role, port: u16, log_name: &str) -> DaemonRecord {
        let d = daemon_dir(&self.dir, name);
        let logs = d.join("logs");
        DaemonRecord {
            name: name.to_string(),
            role,
            host: LOCAL_IP.into(),
            ip: LOCAL_IP.into(),
            port,
            pid: 0,
            start_ticks: None,
            started_at: 0,
            work_dir: s(&d.join(if role == Role::Zookeeper {
                "data"
            } else {
                "work"
            })),
            log_dir: s(&logs),
            log_file: s(&logs.join(log_name)),
            console_log: s(&logs.join("console.log")),
            args: Vec::new(),
            ssh: None,
            tls: self.secure.is_some() && role != Role::Zookeeper,
            env: match (&self.secure, role) {
                (Some(sec), Role::Master | Role::Agent) => super::secure::tls_env(sec, LOCAL_IP),
                _ => Vec::new(),
            },
        }
    }

    fn master(&self, i: u32, port: u16) -> Planned {
        let mut rec = self.record(
            &format!("master-{i}"),
            Role::Master,
            port,
            "mesos-master.log",
        );
        rec.args = self.master_args(&rec);
        Planned {
            rec,
            program: self.binary.clone(),
            attempts: 0,
        }
    }

    fn master_args(&self, rec: &DaemonRecord) -> Vec<String> {
        let mut a = vec![
            "master".to_string(),
            format!("--ip={LOCAL_IP}"),
            format!("--port={}", rec.port),
            format!("--hostname={LOCAL_IP}"),
            format!("--work_dir={}", rec.work_dir),
            format!("--log_dir={}", rec.log_dir),
            format!("--cluster={}", self.name),
        ];
        match (&self.zk, self.quorum) {
            (Some(zk), Some(q)) => {
                a.push(format!("--zk={zk}"));
                a.push(format!("--quorum={q}"));
                a.push("--registry=replicated_log".into());
            }
            _ => a.push("--registry=in_memory".into()),
        }
        if let Some(sec) = &self.secure {
            a.extend(super::secure::master_flags(sec));
        }
        a.extend(self.master_flags.iter().cloned());
        a
    }

    fn agent(&self, i: u32, port: u16) -> Planned {
        let mut rec = self.record(&format!("agent-{i}"), Role::Agent, port, "mesos-agent.log");
        rec.args = self.agent_args(&rec, i);
        Planned {
            rec,
            program: self.binary.clone(),
            attempts: 0,
        }
    }

    fn agent_args(&self, rec: &DaemonRecord, i: u32) -> Vec<String> {
        let mut a = vec![
            "agent".to_string(),
            format!("--master={}", self.master),
            format!("--ip={LOCAL_IP}"),
            format!("--port={}", rec.port),
            format!("--hostname={LOCAL_IP}"),
            format!("--work_dir={}", rec.work_dir),
            format!("--log_dir={}", rec.log_dir),
            "--quiet".to_string(),
        ];
        if let Some(r) = agent_resources(self.agent_resources.as_deref(), i) {
            a.push(format!("--resources={r}"));
        }
        if let Some(at) = &self.agent_attributes {
            a.push(format!("--attributes={at}"));
        }
        if let Some(sec) = &self.secure {
            a.extend(super::secure::agent_flags(sec));
        }
        a.extend(self.agent_flags.iter().cloned());
        a
    }

    fn zookeeper(&self, port: u16) -> Result<Planned> {
        let install = self.zk_install.as_ref().ok_or(LocalError::NoZkInstall)?;
        let mut rec = self.record("zookeeper-1", Role::Zookeeper, port, "console.log");
        let d = daemon_dir(&self.dir, &rec.name);
        let cfg = d.join("zoo.cfg");
        std::fs::create_dir_all(&rec.work_dir).map_err(|e| io_error("create", &rec.work_dir, e))?;
        crate::fsutil::write_atomic(
            &cfg,
            zk::zoo_cfg(&rec.work_dir, LOCAL_IP, port, &[]).as_bytes(),
        )
        .map_err(|e| io_error("write", cfg.display(), e))?;
        rec.args = zk::jvm_args(&install.classpath, &s(&cfg));
        Ok(Planned {
            rec,
            program: install.java.clone(),
            attempts: 0,
        })
    }

    /// Rebuild a daemon's command line for a new port.
    fn with_port(&self, p: &mut Planned, port: u16) -> Result<()> {
        p.rec.port = port;
        match p.rec.role {
            Role::Master => p.rec.args = self.master_args(&p.rec),
            Role::Agent => {
                let i: u32 = p.rec.name.trim_start_matches("agent-").parse().unwrap_or(1);
                p.rec.args = self.agent_args(&p.rec, i)
            }
            Role::Zookeeper => {
                let attempts = p.attempts;
                *p = self.zookeeper(port)?;
                p.attempts = attempts;
            }
        }
        Ok(())
    }
}

/// `--resources` of agent `i`: the user's text, plus a ports range of its own
/// (31000-31999 for the first agent, 32000-32999 for the second, ...) when
/// the text has none, so tasks on one machine never get the same port.
pub fn agent_resources(user: Option<&str>, i: u32) -> Option<String> {
    let has_ports = user.is_some_and(|u| {
        u.split(';').any(|r| {
            r.trim()
                .split(['(', ':'])
                .next()
                .is_some_and(|n| n.trim() == "ports")
        }) || u.trim_start().starts_with('[')
            || u.trim_start().starts_with("file://")
    });
    let lo = 31000u32 + 1000 * (i.saturating_sub(1));
    let ports = (!has_ports && lo + 999 <= 65535).then(|| format!("ports:[{lo}-{}]", lo + 999));
    match (user.map(str::trim).filter(|u| !u.is_empty()), ports) {
        (Some(u), Some(p)) => Some(format!("{};{p}", u.trim_end_matches(';'))),
        (Some(u), None) => Some(u.to_string()),
        (None, p) => p,
    }
}

/// The environment of our daemons: ours without `MESOS_*` (every flag is
/// given on the command line; a stray `MESOS_PORT` must not change one)
/// and without TLS variables (a secured cluster sets its own).
fn stripped_env() -> Vec<String> {
    std::env::vars_os()
        .filter_map(|(k, _)| k.into_string().ok())
        .filter(|k| k.starts_with("MESOS_"))
        .chain(super::secure::tls_env_names())
        .collect()
}

fn spawn(p: &mut Planned) -> Result<Child> {
    let child = start_detached(&p.program, &mut p.rec)?;
    p.attempts += 1;
    Ok(child)
}

/// Start the daemon `rec` describes (`program` + `rec.args`) detached: its
/// own session, SIGHUP ignored, stdin from /dev/null, stdout and stderr
/// appended to `rec.console_log`, cwd `rec.work_dir` (created, like the log
/// dir), no `MESOS_*` variables. Fills in `pid`, `start_ticks`, `started_at`.
pub fn start_detached(program: &Path, rec: &mut DaemonRecord) -> Result<Child> {
    let cwd = PathBuf::from(&rec.work_dir);
    std::fs::create_dir_all(&cwd).map_err(|e| io_error("create", cwd.display(), e))?;
    std::fs::create_dir_all(&rec.log_dir).map_err(|e| io_error("create", &rec.log_dir, e))?;
    let child = proc::spawn_detached(
        program,
        &rec.args,
        &cwd,
        Path::new(&rec.console_log),
        &stripped_env(),
        &rec.env,
    )
    .map_err(|source| LocalError::CannotStart {
        name: rec.name.clone(),
        program: program.to_path_buf(),
        source,
    })?;
    rec.pid = child.id();
    rec.start_ticks = proc::stat(rec.pid).map(|s| s.start_ticks);
    rec.started_at = now_secs();
    Ok(child)
}

/// Did this daemon die because its port was taken?
fn port_taken(d: &DaemonRecord) -> bool {
    log_tail(d, 30).iter().any(|l| {
        l.contains("Address already in use")
            || l.contains("address already in use")
            || l.contains("BindException")
    })
}

/// Validate what can be validated before anything starts (exit 2).
pub fn validate(opts: &UpOptions) -> Result<()> {
    super::validate_name(&opts.name)?;
    super::check_master_count(opts.masters)?;
    if opts.agents > 200 {
        return Err(LocalError::TooManyAgents(opts.agents).into());
    }
    if let Some(r) = &opts.agent_resources {
        crate::agent::parse_resources_flag(r, "*").map_err(LocalError::BadAgentResources)?;
    }
    if let Some(a) = &opts.agent_attributes {
        crate::resources::parse_attributes(a).map_err(LocalError::BadAgentAttributes)?;
    }
    if let Some(z) = &opts.zk {
        match crate::leader::parse_master_spec(z, "http") {
            Ok(crate::leader::MasterSpec::Zk(_)) => {}
            Ok(_) => return Err(LocalError::ZkNotZk(crate::leader::spec::redact_spec(z)).into()),
            Err(e) => return Err(LocalError::BadZk(e.message).into()),
        }
    }
    for f in opts.master_flags.iter().chain(&opts.agent_flags) {
        if !f.starts_with("--") {
            return Err(LocalError::BadDaemonFlag(f.clone()).into());
        }
    }
    Ok(())
}

/// `mesos cluster up` on this machine.
pub fn up(opts: &UpOptions, progress: &Progress) -> Result<UpOutcome> {
    let started = Instant::now();
    validate(opts)?;
    let dir = cluster_dir(&opts.name)?;
    let _lock = lock(&dir)?;
    let rt = runtime()?;

    if let Some(existing) = ClusterState::load(&dir)? {
        if existing.mode != Mode::Local {
            return Err(LocalError::UpRunsOnSsh {
                name: existing.name.clone(),
                spec_file: existing
                    .spec_file
                    .as_deref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
            }
            .into());
        }
        let dead: Vec<&DaemonRecord> = existing.daemons.iter().filter(|d| !alive(d)).collect();
        if dead.len() < existing.daemons.len() {
            if !dead.is_empty() {
                return Err(LocalError::PartlyRunning {
                    name: existing.name.clone(),
                    dead: dead.iter().map(|d| d.name.clone()).collect(),
                }
                .into());
            }
            // Running: change nothing, but report whether it is ready.
            let want = format!(
                "{} master{}, {} agent{}",
                opts.masters,
                if opts.masters == 1 { "" } else { "s" },
                opts.agents,
                if opts.agents == 1 { "" } else { "s" }
            );
            if opts.secure && existing.secure.is_none() {
                crate::output::warn(format!(
                    "cluster '{}' is already running without --secure; it was not secured (`mesos cluster down --name {}` first, then `up --secure`)",
                    existing.name, existing.name
                ));
            }
            if !existing.shape().starts_with(&want) {
                crate::output::warn(format!(
                    "cluster '{}' is already running with {}; the requested shape ({want}) was not applied (`mesos cluster down --name {}` first to change it)",
                    existing.name,
                    existing.shape(),
                    existing.name
                ));
            }
            let quiet = Progress::new(true);
            let client = ready::probe_client_for(existing.secure.as_ref(), Duration::from_secs(1))?;
            let check = wait_ready(
                &rt,
                &client,
                &existing,
                &mut HashMap::new(),
                started + opts.timeout,
                opts.timeout,
                &quiet,
                None,
            )
            .inspect_err(|_| {
                progress.line(&format!(
                    "cluster '{}' is running but not ready",
                    existing.name
                ));
            })?;
            return Ok(UpOutcome {
                leader: check.leader.clone(),
                state: existing,
                already_running: true,
                elapsed: started.elapsed(),
                failed: Vec::new(),
            });
        }
        // Nothing alive: a stale record (e.g. after a reboot). Start afresh,
        // with clean work dirs (old agent checkpoints would confuse recovery).
        for d in &existing.daemons {
            let _ = std::fs::remove_dir_all(&d.work_dir);
        }
    }

    let binary = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .map_err(LocalError::NoBinary)?;
    let managed_zk = opts.zk.is_none() && opts.masters > 1;
    let zk_install = if managed_zk {
        Some(zk::find_install()?)
    } else {
        None
    };
    let n_ports = opts.masters as usize + opts.agents as usize + usize::from(managed_zk);
    let mut ports = free_ports(n_ports)?.into_iter();
    let mut next_port = || ports.next().unwrap_or(0);

    let zk_port = managed_zk.then(&mut next_port);
    let zk_url = match (&opts.zk, zk_port) {
        (Some(z), _) => Some(z.clone()),
        (None, Some(p)) => Some(format!("zk://{LOCAL_IP}:{p}/mesos")),
        _ => None,
    };
    let master_ports: Vec<u16> = (0..opts.masters).map(|_| next_port()).collect();
    let master = match &zk_url {
        Some(z) => z.clone(),
        None => format!("{LOCAL_IP}:{}", master_ports[0]),
    };
    let secure = if opts.secure {
        Some(super::secure::write_local(&dir, &opts.name, LOCAL_IP)?)
    } else {
        let _ = std::fs::remove_dir_all(dir.join(super::secure::SECURE_DIR));
        None
    };
    let scheme = if secure.is_some() { "https" } else { "http" };
    // What the profile and MESOS_MASTER get: the scheme must be explicit
    // for a single master (a zk:// profile says https through `scheme`).
    let profile_master = match (&zk_url, &secure) {
        (None, Some(_)) => format!("https://{master}"),
        _ => master.clone(),
    };
    let client = ready::probe_client_for(secure.as_ref(), Duration::from_secs(1))?;
    let plan = Plan {
        dir: dir.clone(),
        binary: binary.clone(),
        name: opts.name.clone(),
        master: master.clone(),
        quorum: zk_url.as_ref().map(|_| quorum(opts.masters)),
        zk: zk_url.clone(),
        agent_resources: opts.agent_resources.clone(),
        agent_attributes: opts.agent_attributes.clone(),
        master_flags: opts.master_flags.clone(),
        agent_flags: opts.agent_flags.clone(),
        zk_install,
        secure: secure.as_ref().map(|s| s.dir.clone()),
    };
    let mut state = ClusterState {
        version: STATE_VERSION,
        name: opts.name.clone(),
        mode: Mode::Local,
        created_at: now_secs(),
        dir: dir.clone(),
        binary: s(&binary),
        master: profile_master,
        master_url: format!("{scheme}://{LOCAL_IP}:{}", master_ports[0]),
        zk: zk_url.clone(),
        quorum: plan.quorum,
        profile: opts.name.clone(),
        spec_file: None,
        secure: secure.clone(),
        daemons: Vec::new(),
    };

    let mut planned: Vec<Planned> = Vec::new();
    if let Some(p) = zk_port {
        planned.push(plan.zookeeper(p)?);
    }
    for (i, p) in master_ports.iter().enumerate() {
        planned.push(plan.master(i as u32 + 1, *p));
    }
    for i in 1..=opts.agents {
        planned.push(plan.agent(i, next_port()));
    }
    for p in &planned {
        progress.add(&p.rec.name, "waiting");
    }

    let mut children: HashMap<String, Child> = HashMap::new();
    let result = (|| -> Result<Check> {
        // ZooKeeper first, then masters, then agents.
        for role in [Role::Zookeeper, Role::Master, Role::Agent] {
            let idx: Vec<usize> = (0..planned.len())
                .filter(|i| planned[*i].rec.role == role)
                .collect();
            if idx.is_empty() {
                continue;
            }
            for &i in &idx {
                let child = spawn(&mut planned[i])?;
                let r = &planned[i].rec;
                progress.set(
                    &r.name,
                    &format!("started, pid {} on {}", r.pid, r.address()),
                );
                children.insert(r.name.clone(), child);
            }
            state.daemons = planned
                .iter()
                .filter(|p| p.rec.pid != 0)
                .map(|p| p.rec.clone())
                .collect();
            state.save()?;
            // The next tier needs this one up: ZooKeeper answering ruok, a
            // single master answering HTTP (agents then register at once).
            let gate = match role {
                Role::Zookeeper => Gate::Zookeeper,
                Role::Master if zk_url.is_none() => Gate::MasterHttp,
                _ => continue,
            };
            wait_gate(
                &rt,
                &client,
                &plan,
                &mut planned,
                &mut children,
                &mut state,
                gate,
                started + opts.timeout,
                progress,
            )?;
        }
        state.daemons = planned.iter().map(|p| p.rec.clone()).collect();
        state.save()?;
        wait_ready(
            &rt,
            &client,
            &state,
            &mut children,
            started + opts.timeout,
            opts.timeout,
            progress,
            Some((&plan, &mut planned)),
        )
    })();

    match result {
        Ok(check) => {
            state.daemons = planned.iter().map(|p| p.rec.clone()).collect();
            state.master_url = check
                .leader
                .as_deref()
                .and_then(|l| state.find(l))
                .map(|d| d.url())
                .unwrap_or(state.master_url.clone());
            state.save()?;
            super::profile::write_profile(&state)?;
            Ok(UpOutcome {
                leader: check.leader.clone(),
                state,
                already_running: false,
                elapsed: started.elapsed(),
                failed: Vec::new(),
            })
        }
        Err(e) if e.kind == crate::error::ErrorKind::Timeout => {
            // Leave the daemons running: they may still get there.
            state.daemons = planned
                .iter()
                .filter(|p| p.rec.pid != 0)
                .map(|p| p.rec.clone())
                .collect();
            let _ = state.save();
            let _ = super::profile::write_profile(&state);
            Err(e)
        }
        Err(e) => {
            // A daemon failed: stop the others, keep the record and logs.
            state.daemons = planned
                .iter()
                .filter(|p| p.rec.pid != 0)
                .map(|p| p.rec.clone())
                .collect();
            let _ = state.save();
            let mut targets: Vec<(u32, Option<u64>)> = Vec::new();
            for d in &state.daemons {
                if proc::signal(d.pid, d.start_ticks, libc::SIGTERM) {
                    targets.push((d.pid, d.start_ticks));
                }
            }
            let left = proc::wait_gone(&targets, Duration::from_secs(3));
            for (p, t) in left {
                proc::signal(p, t, libc::SIGKILL);
            }
            for (_, mut c) in children.drain() {
                let _ = c.try_wait();
            }
            let stopped = "the other daemons were stopped".to_string();
            let hint = match &e.hint {
                Some(h) => format!("{h}; {stopped}"),
                None => format!("{stopped}; logs are under {}", dir.display()),
            };
            Err(e.with_hint(hint))
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Gate {
    Zookeeper,
    MasterHttp,
}

/// Check every child we started: restart one whose port was taken, fail
/// (with its log tail) on any other exit.
fn reap(
    plan: &Plan,
    planned: &mut [Planned],
    children: &mut HashMap<String, Child>,
    state: &mut ClusterState,
    progress: &Progress,
) -> Result<()> {
    for p in planned.iter_mut() {
        let Some(child) = children.get_mut(&p.rec.name) else {
            continue;
        };
        let Ok(Some(status)) = child.try_wait() else {
            continue;
        };
        children.remove(&p.rec.name);
        if port_taken(&p.rec) && p.attempts < PORT_ATTEMPTS {
            let port = free_ports(1)?[0];
            progress.set(
                &p.rec.name,
                &format!("port {} was taken, retrying on {port}", p.rec.port),
            );
            plan.with_port(p, port)?;
            let c = spawn(p)?;
            children.insert(p.rec.name.clone(), c);
            if let Some(d) = state.daemons.iter_mut().find(|d| d.name == p.rec.name) {
                *d = p.rec.clone();
            }
            let _ = state.save();
            continue;
        }
        return Err(early_exit(&p.rec, Some(status), progress, true));
    }
    Ok(())
}

/// The error for a daemon that died during startup, after showing its log tail.
pub fn early_exit(
    d: &DaemonRecord,
    status: Option<std::process::ExitStatus>,
    progress: &Progress,
    starting: bool,
) -> Error {
    let mut how = match status {
        Some(s) => describe_status(s),
        None => "is not running".into(),
    };
    if starting {
        how.push_str(" during startup");
    }
    progress.fail(&d.name, &how);
    let tail = log_tail(d, TAIL_LINES);
    show_tail(progress, d, &tail);
    let why = last_error(&tail)
        .map(|l| format!(": {l}"))
        .unwrap_or_default();
    LocalError::DaemonDied {
        name: d.name.clone(),
        how,
        why,
        log_file: d.log_file.clone(),
        console_log: d.console_log.clone(),
    }
    .into()
}

/// `cannot {action} {path}: {e}`.
fn io_error(action: &'static str, path: impl std::fmt::Display, e: std::io::Error) -> LocalError {
    LocalError::Io {
        action,
        path: path.to_string(),
        source: e,
    }
}

fn describe_status(s: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (s.code(), s.signal()) {
        (Some(c), _) => format!("exited with status {c}"),
        (None, Some(sig)) => format!("was killed by signal {sig}"),
        _ => "exited".into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn wait_gate(
    rt: &tokio::runtime::Runtime,
    client: &reqwest::Client,
    plan: &Plan,
    planned: &mut [Planned],
    children: &mut HashMap<String, Child>,
    state: &mut ClusterState,
    gate: Gate,
    deadline: Instant,
    progress: &Progress,
) -> Result<()> {
    loop {
        reap(plan, planned, children, state, progress)?;
        let ok = rt.block_on(async {
            match gate {
                Gate::Zookeeper => {
                    let zks: Vec<&DaemonRecord> = state.of_role(Role::Zookeeper).collect();
                    for z in zks {
                        if !ready::zk_ruok(&z.ip, z.port, Duration::from_millis(500)).await {
                            return false;
                        }
                    }
                    true
                }
                Gate::MasterHttp => {
                    let Some(m) = state.of_role(Role::Master).next() else {
                        return true;
                    };
                    matches!(
                        client.get(format!("{}/master/health", m.url())).send().await,
                        Ok(r) if r.status().is_success()
                    )
                }
            }
        });
        if ok {
            for d in &state.daemons {
                let role_done = match gate {
                    Gate::Zookeeper => d.role == Role::Zookeeper,
                    Gate::MasterHttp => false,
                };
                if role_done {
                    progress.done(
                        &d.name,
                        &format!("serving on {} (pid {})", d.address(), d.pid),
                    );
                }
            }
            return Ok(());
        }
        if Instant::now() >= deadline {
            let what = match gate {
                Gate::Zookeeper => "ZooKeeper to answer ruok",
                Gate::MasterHttp => "the master to answer on HTTP",
            };
            return Err(LocalError::GateTimeout(what).into());
        }
        std::thread::sleep(POLL);
    }
}

/// Poll until the readiness rule holds. Daemons that are our children are
/// checked with `try_wait` (and restarted when their port was taken); the
/// others through `/proc`. A dead daemon fails at once.
#[allow(clippy::too_many_arguments)]
fn wait_ready(
    rt: &tokio::runtime::Runtime,
    client: &reqwest::Client,
    state: &ClusterState,
    children: &mut HashMap<String, Child>,
    deadline: Instant,
    timeout: Duration,
    progress: &Progress,
    mut restart: Option<(&Plan, &mut Vec<Planned>)>,
) -> Result<Check> {
    let mut state = state.clone();
    loop {
        if let Some((plan, planned)) = restart.as_mut() {
            let before: Vec<u16> = planned.iter().map(|p| p.rec.port).collect();
            reap(plan, planned, children, &mut state, progress)?;
            let after: Vec<u16> = planned.iter().map(|p| p.rec.port).collect();
            if before != after {
                state.daemons = planned.iter().map(|p| p.rec.clone()).collect();
            }
        } else {
            for d in &state.daemons {
                if !alive(d) {
                    return Err(early_exit(d, None, progress, false));
                }
            }
        }
        let check = rt.block_on(ready::check(&state, client));
        report_progress(&state, &check, progress);
        if check.ready() {
            return Ok(check);
        }
        if Instant::now() >= deadline {
            return Err(LocalError::NotReady {
                name: state.name.clone(),
                after: super::human(timeout),
                waiting_for: check.waiting_for.clone(),
            }
            .into());
        }
        std::thread::sleep(POLL);
    }
}

/// Per-daemon messages from one readiness check.
fn report_progress(state: &ClusterState, check: &Check, progress: &Progress) {
    for d in &state.daemons {
        match d.role {
            Role::Zookeeper => {
                if check.zookeeper(&d.name) == Some(true) {
                    progress.done(
                        &d.name,
                        &format!("serving on {} (pid {})", d.address(), d.pid),
                    );
                }
            }
            Role::Master => {
                let v = check.master(&d.name);
                if check.leader.as_deref() == Some(d.name.as_str()) {
                    if check.ready() {
                        progress.done(&d.name, &format!("leading at {} (pid {})", d.url(), d.pid));
                    } else {
                        // The same words as the final line, so plain output
                        // (one line per change) says it once.
                        progress.set(&d.name, &format!("leading at {} (pid {})", d.url(), d.pid));
                    }
                } else if check.leader.is_some()
                    && !check
                        .waiting_for
                        .iter()
                        .any(|w| w.starts_with(&format!("{} ", d.name)))
                {
                    progress.done(&d.name, &format!("standby at {} (pid {})", d.url(), d.pid));
                } else if v.is_some_and(|v| v.reachable) {
                    progress.set(&d.name, "serving, waiting for the election");
                }
            }
            Role::Agent => match check.agent(&d.name) {
                Some(a) if a.active => progress.done(
                    &d.name,
                    &format!("registered and active at {} (pid {})", d.url(), d.pid),
                ),
                Some(a) if a.registered => progress.set(&d.name, "registered, not active yet"),
                _ => {}
            },
        }
    }
}

/// A current-thread runtime for the HTTP probes.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LocalError::NoRuntime(e).into())
}

/// Load a cluster's state; exit 4 when there is none.
pub fn load(name: &str) -> Result<ClusterState> {
    let dir = cluster_dir(name)?;
    match ClusterState::load(&dir)? {
        Some(s) => Ok(s),
        None if dir.is_dir() => Err(LocalError::ClusterDown(name.to_string()).into()),
        None => Err(LocalError::NoSuchCluster {
            name: name.to_string(),
            known: known_names().unwrap_or_default(),
        }
        .into()),
    }
}

/// The cluster a command on an existing cluster means when none is named:
/// the one named like `profile` (the selected or active profile, which `up`
/// names after its cluster), else the only cluster there is, else `local`.
pub fn default_cluster(profile: Option<&str>) -> Result<String> {
    let names = known_names()?;
    if let Some(p) = profile.filter(|p| names.iter().any(|n| n == p) || is_stopped(p)) {
        return Ok(p.to_string());
    }
    match names.as_slice() {
        [only] => Ok(only.clone()),
        _ => Ok(super::DEFAULT_NAME.to_string()),
    }
}

/// Whether `name` is a cluster `up` started here that is not running now:
/// its directory exists but it was taken down (no state file), or it is a
/// local cluster none of whose daemons is alive.
pub fn is_stopped(name: &str) -> bool {
    let Ok(dir) = cluster_dir(name) else {
        return false;
    };
    if !dir.is_dir() {
        return false;
    }
    match ClusterState::load(&dir) {
        Ok(None) => true,
        Ok(Some(st)) => st.mode == Mode::Local && !st.daemons.iter().any(alive),
        Err(_) => false,
    }
}

/// Names of the clusters with a state file.
pub fn known_names() -> Result<Vec<String>> {
    let root = clusters_root()?;
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&root) {
        for e in rd.flatten() {
            if e.path().join(super::state::STATE_FILE).is_file() {
                out.push(e.file_name().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    Ok(out)
}

// ---------------------------------------------------------------------------
// wait / status

/// `mesos cluster wait` for a local cluster.
pub fn wait(state: &ClusterState, timeout: Duration, progress: &Progress) -> Result<Check> {
    let rt = runtime()?;
    let client = ready::probe_client_for(state.secure.as_ref(), Duration::from_secs(1))?;
    for d in &state.daemons {
        progress.add(&d.name, "checking");
    }
    wait_ready(
        &rt,
        &client,
        state,
        &mut HashMap::new(),
        Instant::now() + timeout,
        timeout,
        progress,
        None,
    )
}

/// One row of `mesos cluster status`.
#[derive(Clone, Debug, Serialize)]
pub struct DaemonStatus {
    pub name: String,
    pub role: Role,
    pub host: String,
    pub address: String,
    pub pid: u32,
    pub alive: bool,
    /// Masters: leading? (null when unknown or not a master).
    pub leader: Option<bool>,
    /// Masters: active agents it knows of.
    pub registered_agents: Option<u64>,
    /// Agents: registered with the leading master.
    pub registered: Option<bool>,
    /// Agents: active in the leading master.
    pub active: Option<bool>,
    pub log_file: String,
}

/// The whole `status` answer.
#[derive(Clone, Debug, Serialize)]
pub struct StatusReport {
    pub name: String,
    pub mode: Mode,
    pub master: String,
    pub leader: Option<String>,
    pub leader_url: Option<String>,
    pub ready: bool,
    pub waiting_for: Vec<String>,
    /// TLS and HTTP authentication (`up --secure`).
    pub secure: super::secure_check::Secured,
    pub daemons: Vec<DaemonStatus>,
}

impl StatusReport {
    pub fn alive_count(&self) -> usize {
        self.daemons.iter().filter(|d| d.alive).count()
    }
}

/// Build the status report from liveness (one bool per daemon) and a check.
pub fn report(state: &ClusterState, alive_flags: &[bool], check: &Check) -> StatusReport {
    let daemons = state
        .daemons
        .iter()
        .zip(alive_flags)
        .map(|(d, &alive)| {
            let m = (d.role == Role::Master)
                .then(|| check.master(&d.name))
                .flatten();
            let a = (d.role == Role::Agent)
                .then(|| check.agent(&d.name))
                .flatten();
            DaemonStatus {
                name: d.name.clone(),
                role: d.role,
                host: d.host.clone(),
                address: d.address(),
                pid: d.pid,
                alive,
                leader: match d.role {
                    Role::Master => Some(alive && check.leader.as_deref() == Some(d.name.as_str())),
                    _ => None,
                },
                registered_agents: if alive {
                    m.and_then(|m| m.agents_active)
                } else {
                    None
                },
                registered: a.map(|a| alive && a.registered),
                active: a.map(|a| alive && a.active),
                log_file: d.log_file.clone(),
            }
        })
        .collect();
    let mut waiting_for = check.waiting_for.clone();
    for (d, &alive) in state.daemons.iter().zip(alive_flags) {
        if !alive {
            waiting_for.insert(0, format!("{} (not running)", d.name));
        }
    }
    StatusReport {
        name: state.name.clone(),
        mode: state.mode,
        master: state.master.clone(),
        leader_url: check
            .leader
            .as_deref()
            .and_then(|l| state.find(l))
            .map(|d| d.url()),
        leader: check.leader.clone(),
        ready: waiting_for.is_empty(),
        waiting_for,
        secure: super::secure_check::Secured::of(state),
        daemons,
    }
}

/// `mesos cluster status` for a local cluster.
pub fn status(state: &ClusterState) -> Result<StatusReport> {
    let alive_flags: Vec<bool> = state.daemons.iter().map(alive).collect();
    let check = if alive_flags.iter().any(|a| *a) {
        let rt = runtime()?;
        let client = ready::probe_client_for(state.secure.as_ref(), Duration::from_secs(2))?;
        rt.block_on(ready::check(state, &client))
    } else {
        Check::default()
    };
    Ok(report(state, &alive_flags, &check))
}

// ---------------------------------------------------------------------------
// down

/// What `down` did.
#[derive(Clone, Debug, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct DownOutcome {
    pub name: String,
    /// Daemons that were running and were stopped.
    pub stopped: Vec<String>,
    /// Of those, the ones that needed SIGKILL.
    pub killed: Vec<String>,
    /// Daemons that were already gone.
    pub already_stopped: Vec<String>,
    /// Tasks found running and killed.
    pub tasks_killed: usize,
    pub purged: bool,
    pub profile_removed: bool,
}

/// Process groups of the tasks of a local agent: the executors the agent
/// started (its children, each in its own session) and the commands they
/// forked (their children, in sessions of their own), plus commands recorded
/// in `<work_dir>/meta/**/pids/forked.pid` that still run (e.g. after the
/// agent itself died). Only processes in their own session, started after
/// the agent, are taken.
pub fn task_groups(agent: &DaemonRecord) -> BTreeSet<u32> {
    let mut table: HashMap<u32, proc::Stat> = HashMap::new();
    if let Ok(rd) = std::fs::read_dir("/proc") {
        for e in rd.flatten() {
            if let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) {
                if let Some(s) = proc::stat(pid) {
                    table.insert(pid, s);
                }
            }
        }
    }
    let after_agent = |s: &proc::Stat| agent.start_ticks.is_none_or(|t| s.start_ticks >= t);
    let own_session = |pid: u32, s: &proc::Stat| s.session == pid && !matches!(s.state, 'Z' | 'X');
    let mut groups = BTreeSet::new();
    if alive(agent) {
        for (&pid, s) in &table {
            if s.ppid == agent.pid && own_session(pid, s) {
                groups.insert(pid);
                for (&c, cs) in &table {
                    if cs.ppid == pid && own_session(c, cs) {
                        groups.insert(c);
                    }
                }
            }
        }
    }
    let mut files = Vec::new();
    find_files(
        &Path::new(&agent.work_dir).join("meta"),
        "forked.pid",
        12,
        &mut files,
    );
    for f in files {
        let Some(pid) = std::fs::read_to_string(&f)
            .ok()
            .and_then(|t| t.trim().parse::<u32>().ok())
        else {
            continue;
        };
        // `<run meta>/pids/forked.pid`; a `<run meta>/wait_status` means it ended.
        if f.parent()
            .and_then(Path::parent)
            .is_some_and(|m| m.join("wait_status").exists())
        {
            continue;
        }
        if let Some(s) = table.get(&pid) {
            if own_session(pid, s) && after_agent(s) {
                groups.insert(pid);
                if let Some(ps) = table.get(&s.ppid) {
                    if s.ppid > 1
                        && s.ppid != agent.pid
                        && own_session(s.ppid, ps)
                        && after_agent(ps)
                    {
                        groups.insert(s.ppid);
                    }
                }
            }
        }
    }
    groups
}

fn find_files(dir: &Path, name: &str, depth: u32, out: &mut Vec<PathBuf>) {
    if depth == 0 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let Ok(ft) = e.file_type() else { continue };
        let p = e.path();
        if ft.is_dir() {
            find_files(&p, name, depth - 1, out);
        } else if ft.is_file() && e.file_name() == name {
            out.push(p);
        }
    }
}

/// `mesos cluster down` for a local cluster.
pub fn down(name: &str, purge: bool, grace: Duration, progress: &Progress) -> Result<DownOutcome> {
    let dir = cluster_dir(name)?;
    let _lock = lock(&dir)?;
    let state = load(name)?;
    if state.mode != Mode::Local {
        return Err(LocalError::DownRunsOnSsh(name.to_string()).into());
    }
    let mut out = stop_daemons(&state.daemons, grace, progress);
    out.name = name.to_string();
    if purge {
        std::fs::remove_dir_all(&dir).map_err(|e| io_error("remove", dir.display(), e))?;
        out.purged = true;
        out.profile_removed = super::profile::forget_profile(&state.profile, &state.master)?;
    } else {
        let path = ClusterState::path_in(&dir);
        std::fs::remove_file(&path).map_err(|e| io_error("remove", path.display(), e))?;
    }
    Ok(out)
}

/// Stop daemons of this machine: their tasks first (the agents leave them
/// running on SIGTERM), then SIGTERM to every daemon still the recorded
/// process, SIGKILL to what is left after `grace`. Used by `down` here and,
/// through `mesos cluster host`, on SSH hosts.
pub fn stop_daemons(daemons: &[DaemonRecord], grace: Duration, progress: &Progress) -> DownOutcome {
    let mut out = DownOutcome::default();
    // Tasks first: the agents leave them running on SIGTERM.
    let mut groups = BTreeSet::new();
    for a in daemons.iter().filter(|d| d.role == Role::Agent) {
        groups.extend(task_groups(a));
    }
    // A task is a group whose leader's parent is not another task group
    // (the executor's group counts, the command it forked does not).
    out.tasks_killed = groups
        .iter()
        .filter(|g| proc::stat(**g).is_none_or(|s| !groups.contains(&s.ppid)))
        .count();
    for g in &groups {
        proc::signal_group(*g, libc::SIGTERM);
    }
    // Then every daemon at once (agents, masters, ZooKeeper).
    let mut running: Vec<&DaemonRecord> = Vec::new();
    for d in daemons.iter().rev() {
        if alive(d) {
            progress.add(&d.name, "stopping");
            proc::signal(d.pid, d.start_ticks, libc::SIGTERM);
            running.push(d);
        } else {
            out.already_stopped.push(d.name.clone());
        }
    }
    let mut targets: Vec<(u32, Option<u64>)> =
        running.iter().map(|d| (d.pid, d.start_ticks)).collect();
    targets.extend(groups.iter().map(|g| (*g, None)));
    let left = proc::wait_gone(&targets, grace);
    for (pid, ticks) in &left {
        if groups.contains(pid) {
            proc::signal_group(*pid, libc::SIGKILL);
        } else {
            proc::signal(*pid, *ticks, libc::SIGKILL);
        }
    }
    // Whatever is left of the task groups (children that outlived their leader).
    for g in &groups {
        proc::signal_group(*g, libc::SIGKILL);
    }
    if !left.is_empty() {
        proc::wait_gone(&left, Duration::from_secs(2));
    }
    for d in &running {
        if left.iter().any(|(p, _)| *p == d.pid) {
            out.killed.push(d.name.clone());
            progress.done(
                &d.name,
                &format!(
                    "killed (pid {}, SIGKILL after {})",
                    d.pid,
                    super::human(grace)
                ),
            );
        } else {
            progress.done(&d.name, &format!("stopped (pid {})", d.pid));
        }
        out.stopped.push(d.name.clone());
    }
    out.stopped.reverse();
    out
}

// ---------------------------------------------------------------------------
// list

/// One row of `mesos cluster list`.
#[derive(Clone, Debug, Serialize)]
pub struct ListEntry {
    pub name: String,
    pub mode: Mode,
    pub masters: usize,
    pub agents: usize,
    /// `running`, `partial` or `stopped`.
    pub status: String,
    pub master: String,
    pub dir: String,
}

/// Every cluster with a state file. Liveness of SSH clusters is not probed
/// (that needs SSH): their status is `unknown`.
pub fn list() -> Result<Vec<ListEntry>> {
    let mut out = Vec::new();
    for name in known_names()? {
        let Ok(Some(st)) = ClusterState::load(&cluster_dir(&name)?) else {
            continue;
        };
        let status = match st.mode {
            Mode::Local => {
                let up = st.daemons.iter().filter(|d| alive(d)).count();
                if up == st.daemons.len() && up > 0 {
                    "running"
                } else if up == 0 {
                    "stopped"
                } else {
                    "partial"
                }
            }
            Mode::Ssh => "unknown",
        };
        out.push(ListEntry {
            name: st.name.clone(),
            mode: st.mode,
            masters: st.of_role(Role::Master).count(),
            agents: st.of_role(Role::Agent).count(),
            status: status.into(),
            master: st.master.clone(),
            dir: s(&st.dir),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_get_their_own_port_ranges() {
        assert_eq!(
            agent_resources(None, 1).as_deref(),
            Some("ports:[31000-31999]")
        );
        assert_eq!(
            agent_resources(None, 2).as_deref(),
            Some("ports:[32000-32999]")
        );
        assert_eq!(
            agent_resources(Some("cpus:2;mem:1024"), 2).as_deref(),
            Some("cpus:2;mem:1024;ports:[32000-32999]")
        );
        assert_eq!(
            agent_resources(Some("cpus:2;ports:[5000-5010]"), 2).as_deref(),
            Some("cpus:2;ports:[5000-5010]")
        );
        assert_eq!(
            agent_resources(Some("ports(web):[1-2]"), 1).as_deref(),
            Some("ports(web):[1-2]")
        );
        assert_eq!(agent_resources(None, 40), None);
    }

    #[test]
    fn glog_lines_name_their_process() {
        assert_eq!(
            glog_pid("I1122 00:47:36.429807  23873 mod.rs:283] x"),
            Some(23873)
        );
        assert_eq!(glog_pid("error: cannot listen"), None);
        assert_eq!(glog_pid("Itself"), None);
    }

    #[test]
    fn the_telling_error_line_is_picked() {
        let lines: Vec<String> = [
            "I0101 starting",
            "E0101 12:00:00 Failed to bind",
            "Every line",
            "I0101 bye",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            last_error(&lines).as_deref(),
            Some("E0101 12:00:00 Failed to bind")
        );
        let lines = vec!["error: cannot listen".to_string(), "x".to_string()];
        assert_eq!(last_error(&lines).as_deref(), Some("error: cannot listen"));
        assert_eq!(last_error(&["a".into()]), None);
        assert_eq!(last_error(&[]), None);
    }

    fn plan(secure: Option<&str>) -> Plan {
        Plan {
            dir: PathBuf::from("/c"),
            binary: PathBuf::from("/bin/mesos"),
            name: "dev".into(),
            master: "127.0.0.1:5050".into(),
            zk: None,
            quorum: None,
            agent_resources: None,
            agent_attributes: None,
            master_flags: vec!["--extra".into()],
            agent_flags: vec![],
            zk_install: None,
            secure: secure.map(str::to_string),
        }
    }

    #[test]
    fn secured_daemons_get_tls_env_and_auth_flags() {
        let p = plan(Some("/c/secure"));
        let m = p.master(1, 5050);
        assert!(m.rec.tls);
        assert_eq!(m.rec.url(), "https://127.0.0.1:5050");
        let env: Vec<String> = m.rec.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert!(
            env.contains(&"LIBPROCESS_SSL_ENABLED=true".to_string()),
            "{env:?}"
        );
        assert!(env.contains(&"LIBPROCESS_SSL_CERT_FILE=/c/secure/127.0.0.1.crt".to_string()));
        assert!(m
            .rec
            .args
            .contains(&"--credentials=/c/secure/credentials.json".to_string()));
        assert!(m.rec.args.contains(&"--authenticate_agents".to_string()));
        // The user's extra flags come last.
        assert_eq!(m.rec.args.last().unwrap(), "--extra");
        let a = p.agent(1, 5051);
        assert!(a.rec.tls && !a.rec.env.is_empty());
        assert!(a
            .rec
            .args
            .contains(&"--credential=/c/secure/agent_credential.json".to_string()));
        assert!(a.rec.args.contains(&"--master=127.0.0.1:5050".to_string()));

        let plain = plan(None);
        let m = plain.master(1, 5050);
        assert!(!m.rec.tls && m.rec.env.is_empty());
        assert_eq!(m.rec.url(), "http://127.0.0.1:5050");
        assert!(!m.rec.args.iter().any(|a| a.starts_with("--authenticate")));
    }

    #[test]
    fn validation_names_the_bad_flag() {
        let base = UpOptions {
            name: "local".into(),
            masters: 1,
            agents: 2,
            zk: None,
            agent_resources: None,
            agent_attributes: None,
            master_flags: vec![],
            agent_flags: vec![],
            timeout: DEFAULT_TIMEOUT,
            secure: false,
        };
        validate(&base).unwrap();
        let bad = |f: &dyn Fn(&mut UpOptions)| {
            let mut o = base.clone();
            f(&mut o);
            validate(&o).unwrap_err()
        };
        let e = bad(&|o| o.masters = 2);
        assert_eq!(e.exit_code(), 2);
        let e = bad(&|o| o.agent_resources = Some("cpus:lots".into()));
        assert!(e.message.contains("--agent-resources"), "{}", e.message);
        let e = bad(&|o| o.agent_attributes = Some(":".into()));
        assert!(e.message.contains("--agent-attributes"), "{}", e.message);
        let e = bad(&|o| o.zk = Some("m1:5050".into()));
        assert!(e.message.contains("--zk"), "{}", e.message);
        let e = bad(&|o| o.agent_flags = vec!["isolation=x".into()]);
        assert_eq!(e.exit_code(), 2);
    }
}
