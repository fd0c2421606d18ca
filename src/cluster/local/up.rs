//! `up`: plan the daemons, start them in order, wait for each gate.

use super::*;

/// A daemon about to start (or restart on another port).
pub(super) struct Planned {
    pub(super) rec: DaemonRecord,
    pub(super) program: PathBuf,
    pub(super) attempts: u32,
}

/// Per-cluster facts needed to build the command lines.
pub(super) struct Plan {
    pub(super) dir: PathBuf,
    pub(super) binary: PathBuf,
    pub(super) name: String,
    /// `--master` of the agents and the profile: `127.0.0.1:P` or zk URL.
    pub(super) master: String,
    pub(super) zk: Option<String>,
    pub(super) quorum: Option<u32>,
    pub(super) agent_resources: Option<String>,
    pub(super) agent_attributes: Option<String>,
    pub(super) master_flags: Vec<String>,
    pub(super) agent_flags: Vec<String>,
    pub(super) zk_install: Option<zk::Install>,
    /// Directory of the security files (`up --secure`).
    pub(super) secure: Option<String>,
}

/// `zk://hosts/mesos` -> `zk://hosts/marathon`: where `mesos marathon`
/// keeps its state and elects its leader.
pub fn marathon_zk(zk: &str) -> Option<String> {
    let rest = zk.strip_prefix("zk://")?;
    let hosts = rest.split('/').next().filter(|h| !h.is_empty())?;
    Some(format!("zk://{hosts}/marathon"))
}

/// Whether `binary` has the `mesos marathon` daemon (`marathon --help`
/// exits 0). A build without it starts clusters without Marathon.
pub fn marathon_available(binary: &Path) -> bool {
    std::process::Command::new(binary)
        .args(["marathon", "--help"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .env_remove("MESOS_MARATHON")
        .status()
        .is_ok_and(|s| s.success())
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

pub(super) fn daemon_dir(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

pub(super) fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

impl Plan {
    pub(super) fn record(&self, name: &str, role: Role, port: u16, log_name: &str) -> DaemonRecord {
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
                (Some(sec), Role::Master | Role::Agent | Role::Marathon) => {
                    super::super::secure::tls_env(sec, LOCAL_IP)
                }
                _ => Vec::new(),
            },
        }
    }

    pub(super) fn master(&self, i: u32, port: u16) -> Planned {
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

    pub(super) fn master_args(&self, rec: &DaemonRecord) -> Vec<String> {
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
            a.extend(super::super::secure::master_flags(sec));
        }
        a.extend(self.master_flags.iter().cloned());
        a
    }

    pub(super) fn agent(&self, i: u32, port: u16) -> Planned {
        let mut rec = self.record(&format!("agent-{i}"), Role::Agent, port, "mesos-agent.log");
        rec.args = self.agent_args(&rec, i);
        Planned {
            rec,
            program: self.binary.clone(),
            attempts: 0,
        }
    }

    pub(super) fn agent_args(&self, rec: &DaemonRecord, i: u32) -> Vec<String> {
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
            a.extend(super::super::secure::agent_flags(sec));
        }
        a.extend(self.agent_flags.iter().cloned());
        a
    }

    pub(super) fn marathon(&self, i: u32, port: u16) -> Planned {
        let mut rec = self.record(
            &format!("marathon-{i}"),
            Role::Marathon,
            port,
            "console.log",
        );
        rec.args = self.marathon_args(&rec);
        Planned {
            rec,
            program: self.binary.clone(),
            attempts: 0,
        }
    }

    /// `marathon --master M --http_port P --hostname H --work_dir D [--zk Z]`
    /// (+ the framework credential and `--http_credentials` when secured).
    pub(super) fn marathon_args(&self, rec: &DaemonRecord) -> Vec<String> {
        let mut a = vec![
            "marathon".to_string(),
            "--master".to_string(),
            self.master.clone(),
            "--http_port".to_string(),
            rec.port.to_string(),
            "--hostname".to_string(),
            LOCAL_IP.to_string(),
            "--work_dir".to_string(),
            rec.work_dir.clone(),
        ];
        if let Some(z) = self.zk.as_deref().and_then(marathon_zk) {
            a.push("--zk".into());
            a.push(z);
        }
        if let Some(sec) = &self.secure {
            a.extend(super::super::secure::marathon_flags(sec));
        }
        a
    }

    pub(super) fn zookeeper(&self, port: u16) -> Result<Planned> {
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
    pub(super) fn with_port(&self, p: &mut Planned, port: u16) -> Result<()> {
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
            Role::Marathon => p.rec.args = self.marathon_args(&p.rec),
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
pub(super) fn stripped_env() -> Vec<String> {
    std::env::vars_os()
        .filter_map(|(k, _)| k.into_string().ok())
        .filter(|k| k.starts_with("MESOS_"))
        .chain(super::super::secure::tls_env_names())
        .collect()
}

pub(super) fn spawn(p: &mut Planned) -> Result<Child> {
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
    let mut env = rec.env.clone();
    if !env.iter().any(|(k, _)| k == "PATH") {
        if let Some(path) = path_with_own_dir() {
            env.push(("PATH".into(), path));
        }
    }
    let child = proc::spawn_detached(
        program,
        &rec.args,
        &cwd,
        Path::new(&rec.console_log),
        &stripped_env(),
        &env,
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

/// `PATH` for a daemon: the directory of this `mesos` binary (the one the
/// daemons run) first, then our own `PATH`. Tasks inherit their agent's
/// environment, so `mesos serve` (the built-in packages) and `mesos
/// marathon` resolve in tasks. `None` when the binary cannot be found.
fn path_with_own_dir() -> Option<String> {
    let exe = std::env::current_exe().ok()?.canonicalize().ok()?;
    let path = std::env::var("PATH").unwrap_or_default();
    Some(prepend_path(exe.parent()?, &path))
}

/// `dir:path`, unless `dir` already comes first.
pub(super) fn prepend_path(dir: &Path, path: &str) -> String {
    let dir = dir.to_string_lossy();
    if path.split(':').next() == Some(dir.as_ref()) {
        return path.to_string();
    }
    if path.is_empty() {
        dir.into_owned()
    } else {
        format!("{dir}:{path}")
    }
}

/// Did this daemon die because its port was taken?
pub(super) fn port_taken(d: &DaemonRecord) -> bool {
    log_tail(d, 30).iter().any(|l| {
        l.contains("Address already in use")
            || l.contains("address already in use")
            || l.contains("BindException")
    })
}

/// Validate what can be validated before anything starts (exit 2).
pub fn validate(opts: &UpOptions) -> Result<()> {
    super::super::validate_name(&opts.name)?;
    super::super::check_master_count(opts.masters)?;
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
    // One `mesos marathon` per master, unless --no-marathon or this build
    // has none.
    let marathons = if opts.marathon && marathon_available(&binary) {
        opts.masters
    } else {
        0
    };
    let n_ports =
        opts.masters as usize + opts.agents as usize + usize::from(managed_zk) + marathons as usize;
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
        Some(super::super::secure::write_local(
            &dir, &opts.name, LOCAL_IP,
        )?)
    } else {
        let _ = std::fs::remove_dir_all(dir.join(super::super::secure::SECURE_DIR));
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
        marathon: None,
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
    for i in 1..=marathons {
        planned.push(plan.marathon(i, next_port()));
    }
    state.marathon = planned
        .iter()
        .find(|p| p.rec.role == Role::Marathon)
        .map(|p| p.rec.url());
    for p in &planned {
        progress.add(&p.rec.name, "waiting");
    }

    let mut children: HashMap<String, Child> = HashMap::new();
    let result = (|| -> Result<Check> {
        // ZooKeeper first, then masters, then agents and Marathon.
        for role in [Role::Zookeeper, Role::Master, Role::Agent, Role::Marathon] {
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
            // A Marathon restarted on another port.
            let marathon = state.of_role(Role::Marathon).next().map(|d| d.url());
            state.marathon = marathon;
            state.master_url = check
                .leader
                .as_deref()
                .and_then(|l| state.find(l))
                .map(|d| d.url())
                .unwrap_or(state.master_url.clone());
            state.save()?;
            super::super::profile::write_profile(&state)?;
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
            let _ = super::super::profile::write_profile(&state);
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
