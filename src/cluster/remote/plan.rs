//! Planning and starting the daemons on the hosts, liveness, waiting.

use super::*;

/// A daemon to start, with the host it goes to.
pub(super) struct PlannedRemote {
    pub(super) host: String,
    pub(super) item: StartItem,
}

impl PlannedRemote {
    /// A daemon of this `mesos` binary on `host`, with no files to write.
    fn mesos(host: &str, rec: DaemonRecord) -> PlannedRemote {
        PlannedRemote {
            host: host.to_string(),
            item: StartItem {
                rec,
                program: None,
                files: Vec::new(),
            },
        }
    }
}

pub(super) fn record(h: &Host, name: &str, role: Role, port: u16, log_name: &str) -> DaemonRecord {
    let d = format!("{}/{name}", h.work_dir);
    DaemonRecord {
        name: name.to_string(),
        role,
        host: h.name.clone(),
        ip: h.ip.clone(),
        port,
        pid: 0,
        start_ticks: None,
        started_at: 0,
        work_dir: format!(
            "{d}/{}",
            if role == Role::Zookeeper {
                "data"
            } else {
                "work"
            }
        ),
        log_dir: format!("{d}/logs"),
        log_file: format!("{d}/logs/{log_name}"),
        console_log: format!("{d}/logs/console.log"),
        args: Vec::new(),
        ssh: Some(h.target.clone()),
        tls: false,
        env: Vec::new(),
    }
}

/// Build the daemons of a spec (ZooKeeper first, then masters, then agents,
/// then `mesos marathon` on `marathon_hosts`).
pub(super) fn plan(
    spec: &Spec,
    hosts: &BTreeMap<String, &Host>,
    secure: bool,
    marathon_hosts: &[String],
) -> Result<Vec<PlannedRemote>> {
    let mut out = Vec::new();
    // TLS environment, flags: paths on the host (`up --secure`).
    let secure_on = |h: &Host, rec: &mut DaemonRecord| -> Option<String> {
        if !secure {
            return None;
        }
        let dir = format!("{}/{}", h.work_dir, secure::SECURE_DIR);
        rec.tls = true;
        rec.env = secure::tls_env(&dir, &h.name);
        Some(dir)
    };
    let zk_url = spec.zk_url();
    if let ZkSpec::Managed {
        hosts: zh,
        client_port,
        peer_port,
        election_port,
    } = &spec.zookeeper
    {
        let members: Vec<zk::Member> = zh
            .iter()
            .enumerate()
            .map(|(i, h)| zk::Member {
                id: i as u32 + 1,
                host: spec.hosts[h].ip.clone(),
                peer_port: *peer_port,
                election_port: *election_port,
            })
            .collect();
        for (i, hname) in zh.iter().enumerate() {
            let h = hosts[hname];
            let name = format!("zookeeper-{}", i + 1);
            let mut rec = record(h, &name, Role::Zookeeper, *client_port, "console.log");
            let dir = format!("{}/{name}", h.work_dir);
            let cfg = format!("{dir}/zoo.cfg");
            // java and the classpath are filled in per host before starting.
            rec.args = zk::jvm_args("@CLASSPATH@", &cfg);
            out.push(PlannedRemote {
                host: hname.clone(),
                item: StartItem {
                    rec: rec.clone(),
                    program: Some("@JAVA@".into()),
                    files: vec![
                        (
                            cfg,
                            zk::zoo_cfg(&rec.work_dir, &h.ip, *client_port, &members),
                        ),
                        (format!("{}/myid", rec.work_dir), format!("{}\n", i + 1)),
                    ],
                },
            });
        }
    }
    let q = zk_url.as_ref().map(|_| quorum(spec.masters.len() as u32));
    for (i, hname) in spec.masters.iter().enumerate() {
        let h = hosts[hname];
        let mut rec = record(
            h,
            &format!("master-{}", i + 1),
            Role::Master,
            spec.master_port,
            "mesos-master.log",
        );
        let mut a = vec![
            "master".to_string(),
            format!("--ip={}", h.ip),
            format!("--port={}", spec.master_port),
            format!("--hostname={}", h.name),
            format!("--work_dir={}", rec.work_dir),
            format!("--log_dir={}", rec.log_dir),
            format!("--cluster={}", spec.name),
        ];
        match (&zk_url, q) {
            (Some(z), Some(q)) => {
                a.push(format!("--zk={z}"));
                a.push(format!("--quorum={q}"));
                a.push("--registry=replicated_log".into());
            }
            _ => a.push("--registry=in_memory".into()),
        }
        if let Some(dir) = secure_on(h, &mut rec) {
            a.extend(secure::master_flags(&dir));
        }
        a.extend(spec.master_flags.iter().cloned());
        rec.args = a;
        out.push(PlannedRemote::mesos(hname, rec));
    }
    let master = master_spec(spec);
    for (i, hname) in spec.agents.iter().enumerate() {
        let h = hosts[hname];
        let mut rec = record(
            h,
            &format!("agent-{}", i + 1),
            Role::Agent,
            spec.agent_port,
            "mesos-agent.log",
        );
        let mut a = vec![
            "agent".to_string(),
            format!("--master={master}"),
            format!("--ip={}", h.ip),
            format!("--port={}", spec.agent_port),
            format!("--hostname={}", h.name),
            format!("--work_dir={}", rec.work_dir),
            format!("--log_dir={}", rec.log_dir),
            "--quiet".to_string(),
        ];
        if let Some(r) = &spec.agent_resources {
            a.push(format!("--resources={r}"));
        }
        if let Some(at) = &spec.agent_attributes {
            a.push(format!("--attributes={at}"));
        }
        if let Some(dir) = secure_on(h, &mut rec) {
            a.extend(secure::agent_flags(&dir));
        }
        a.extend(spec.agent_flags.iter().cloned());
        rec.args = a;
        out.push(PlannedRemote::mesos(hname, rec));
    }
    let marathon_zk = zk_url.as_deref().and_then(local::marathon_zk);
    for (i, hname) in marathon_hosts.iter().enumerate() {
        let h = hosts[hname];
        let mut rec = record(
            h,
            &format!("marathon-{}", i + 1),
            Role::Marathon,
            spec.marathon_port,
            "console.log",
        );
        let mut a = vec![
            "marathon".to_string(),
            format!("--master={master}"),
            format!("--http_address={}", h.ip),
            format!("--http_port={}", spec.marathon_port),
            format!("--hostname={}", h.name),
            format!("--work_dir={}", rec.work_dir),
        ];
        if let Some(z) = &marathon_zk {
            a.push(format!("--zk={z}"));
        }
        if let Some(dir) = secure_on(h, &mut rec) {
            a.extend(secure::marathon_flags(&dir));
        }
        a.extend(spec.marathon_flags.iter().cloned());
        rec.args = a;
        out.push(PlannedRemote::mesos(hname, rec));
    }
    Ok(out)
}

/// What agents and the profile use: the zk URL, else `ip:port` of the master.
pub(super) fn master_spec(spec: &Spec) -> String {
    match spec.zk_url() {
        Some(z) => z,
        None => format!("{}:{}", spec.hosts[&spec.masters[0]].ip, spec.master_port),
    }
}

/// Find java and the ZooKeeper classpath on a host.
pub(super) fn remote_zk_install(h: &Host) -> Result<(String, String)> {
    let out = h.sess()?.exec(zk::REMOTE_FIND_SCRIPT, None)?;
    if out.code != 0 {
        return Err(HostsError::NoZk {
            host: h.name.clone(),
            output: out.tail(2),
        }
        .into());
    }
    let text = out.stdout_text();
    let (java, cp) = text
        .trim()
        .split_once('\t')
        .ok_or_else(|| HostsError::NoJavaZk {
            host: h.name.clone(),
        })?;
    Ok((java.to_string(), cp.to_string()))
}

/// Start one tier (all its daemons, hosts in parallel). Returns the started
/// records; failures are recorded on their hosts.
pub(super) fn start_tier(
    hosts: &mut [Host],
    tier: &[PlannedRemote],
    progress: &Progress,
) -> Vec<DaemonRecord> {
    let started = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for h in hosts.iter_mut().filter(|h| h.ok()) {
            let mine: Vec<StartItem> = tier
                .iter()
                .filter(|p| p.host == h.name)
                .map(|p| p.item.clone())
                .collect();
            if mine.is_empty() {
                continue;
            }
            let started = &started;
            scope.spawn(move || {
                let names: Vec<String> = mine.iter().map(|i| i.rec.name.clone()).collect();
                progress.set(&h.name, &format!("starting {}", names.join(", ")));
                let res = (|| -> Result<Vec<Started>> {
                    let mut items = mine;
                    if items.iter().any(|i| i.program.as_deref() == Some("@JAVA@")) {
                        let (java, cp) = remote_zk_install(h)?;
                        for i in items
                            .iter_mut()
                            .filter(|i| i.program.as_deref() == Some("@JAVA@"))
                        {
                            i.program = Some(java.clone());
                            for a in i.rec.args.iter_mut() {
                                if a == "@CLASSPATH@" {
                                    *a = cp.clone();
                                }
                            }
                        }
                    }
                    h.helper(&HostOp::Start { daemons: items })
                })();
                match res {
                    Ok(list) => {
                        let mut errors = Vec::new();
                        for s in list {
                            match s.error {
                                None => started.lock().unwrap().push(s.rec),
                                Some(e) => errors.push(format!("{}: {e}", s.rec.name)),
                            }
                        }
                        if errors.is_empty() {
                            progress.set(&h.name, &format!("started {}", names.join(", ")));
                        } else {
                            let msg = errors.join("; ");
                            progress.fail(&h.name, &msg);
                            h.fail(msg);
                        }
                    }
                    Err(e) => {
                        progress.fail(&h.name, &e.message);
                        h.fail(e.message);
                    }
                }
            });
        }
    });
    started.into_inner().unwrap()
}

/// Liveness of `daemons` over SSH (hosts in parallel). Unreachable hosts
/// count as dead, with the reason as the tail.
pub(super) fn liveness(
    hosts: &[Host],
    daemons: &[DaemonRecord],
    tail: usize,
) -> BTreeMap<String, HostStatus> {
    let out = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for h in hosts {
            let mine: Vec<DaemonRecord> = daemons
                .iter()
                .filter(|d| d.host == h.name)
                .cloned()
                .collect();
            if mine.is_empty() {
                continue;
            }
            let out = &out;
            scope.spawn(move || {
                let res: Result<Vec<HostStatus>> = if h.sess.is_some() {
                    h.helper(&HostOp::Status {
                        daemons: mine.clone(),
                        tail,
                    })
                } else {
                    Err(HostsError::HostUnusable(
                        h.error.clone().unwrap_or_else(|| "not connected".into()),
                    )
                    .into())
                };
                let mut o = out.lock().unwrap();
                match res {
                    Ok(list) => {
                        for s in list {
                            o.insert(s.name.clone(), s);
                        }
                    }
                    Err(e) => {
                        for d in mine {
                            o.insert(
                                d.name.clone(),
                                HostStatus {
                                    name: d.name,
                                    alive: false,
                                    tail: vec![format!(
                                        "host {} unreachable: {}",
                                        h.name, e.message
                                    )],
                                },
                            );
                        }
                    }
                }
            });
        }
    });
    out.into_inner().unwrap()
}

/// Hosts of a recorded cluster, from the daemons' SSH targets.
pub(super) fn hosts_of_state(state: &ClusterState) -> Vec<Host> {
    let mut out: Vec<Host> = Vec::new();
    for d in &state.daemons {
        if out.iter().any(|h| h.name == d.host) {
            continue;
        }
        let Some(t) = &d.ssh else { continue };
        let mut h = Host::new(&d.host, &d.ip, t.clone());
        // `<work_dir>/<daemon>/work` → `<work_dir>`.
        h.work_dir = daemon_dir(d)
            .parent()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        h.bin = format!("{}/bin/mesos", h.work_dir);
        out.push(h);
    }
    out
}

/// Connect to already known hosts (work dirs known).
pub(super) fn reconnect(hosts: &mut [Host], opts: &Options, progress: &Progress) {
    std::thread::scope(|scope| {
        for h in hosts.iter_mut() {
            scope.spawn(move || {
                match Session::connect(&h.target, opts.accept_new_host_keys, CONNECT_TIMEOUT) {
                    Ok(s) => {
                        s.set_timeout(OP_TIMEOUT);
                        h.sess = Some(s);
                    }
                    Err(e) => {
                        progress.fail(&h.name, &e.message);
                        h.fail(e.message);
                    }
                }
            });
        }
    });
}

pub(super) fn dead_error(
    d: &DaemonRecord,
    st: &HostStatus,
    progress: &Progress,
    starting: bool,
) -> String {
    progress.line(&format!(
        "{} on {} {}; last lines of {}:",
        d.name,
        d.host,
        if starting {
            "exited during startup"
        } else {
            "is not running"
        },
        d.log_file
    ));
    for l in &st.tail {
        progress.line(&format!("  | {l}"));
    }
    let why = local::last_error(&st.tail)
        .or_else(|| st.tail.last().cloned())
        .map(|l| format!(": {l}"))
        .unwrap_or_default();
    format!(
        "{} {}{why}",
        d.name,
        if starting {
            "exited during startup"
        } else {
            "is not running"
        }
    )
}

/// Wait until `live` (the daemons not known to have failed) is ready. Dead
/// daemons are moved to `failed` as they are found; returns when ready,
/// when no master is left, or at the deadline.
/// What every wait needs.
pub(super) struct Waiter {
    pub(super) rt: tokio::runtime::Runtime,
    pub(super) client: reqwest::Client,
    pub(super) deadline: Instant,
    pub(super) timeout: Duration,
}

impl Waiter {
    pub(super) fn new(timeout: Duration, secure: Option<&secure::Security>) -> Result<Waiter> {
        Ok(Waiter {
            rt: local::runtime()?,
            client: ready::probe_client_for(secure, Duration::from_secs(2))?,
            deadline: Instant::now() + timeout,
            timeout,
        })
    }
}

pub(super) fn wait_remote(
    w: &Waiter,
    base: &ClusterState,
    hosts: &mut [Host],
    live: &mut Vec<DaemonRecord>,
    failed: &mut Vec<String>,
    progress: &Progress,
    gate: Option<Role>,
) -> Result<Check> {
    let (rt, client, deadline) = (&w.rt, &w.client, w.deadline);
    let mut last_liveness = Instant::now() - LIVENESS_EVERY;
    loop {
        if last_liveness.elapsed() >= LIVENESS_EVERY {
            last_liveness = Instant::now();
            let st = liveness(hosts, live, local::TAIL_LINES);
            let mut dead = Vec::new();
            for d in live.iter() {
                if let Some(s) = st.get(&d.name) {
                    if !s.alive {
                        let msg = dead_error(d, s, progress, true);
                        if let Some(h) = hosts.iter_mut().find(|h| h.name == d.host) {
                            h.fail(msg.clone());
                            progress.fail(&h.name, &msg);
                        }
                        failed.push(msg);
                        dead.push(d.name.clone());
                    }
                }
            }
            live.retain(|d| !dead.contains(&d.name));
        }
        let mut view = base.clone();
        view.daemons = live.clone();
        if view.of_role(Role::Master).next().is_none() && gate != Some(Role::Zookeeper) {
            return Err(HostsError::NoMaster.into());
        }
        let check = match gate {
            Some(Role::Zookeeper) => {
                let mut c = Check::default();
                for z in view.of_role(Role::Zookeeper) {
                    if !rt.block_on(ready::zk_ruok(&z.ip, z.port, Duration::from_millis(500))) {
                        c.waiting_for.push(format!("{} to answer ruok", z.name));
                    }
                }
                c
            }
            Some(Role::Master) => {
                let mut c = Check::default();
                for m in view.of_role(Role::Master) {
                    let ok = rt.block_on(async {
                        matches!(client.get(format!("{}/master/health", m.url())).send().await, Ok(r) if r.status().is_success())
                    });
                    if !ok {
                        c.waiting_for.push(format!("{} to answer on HTTP", m.name));
                    }
                }
                c
            }
            _ => rt.block_on(ready::check(&view, client)),
        };
        if check.ready() {
            return Ok(check);
        }
        if Instant::now() >= deadline {
            return Err(HostsError::NotReady {
                name: base.name.clone(),
                after: super::super::human(w.timeout),
                waiting_for: check.waiting_for.clone(),
            }
            .into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Generate the CA, host certificates and credentials of an SSH cluster:
/// the CA and the operator's secret under `<dir>/secure` here, each host's
/// files in `<work_dir>/secure` there (over SFTP, 0700/0600). A host whose
/// upload fails is failed like any other.
pub(super) fn secure_hosts(
    spec: &Spec,
    dir: &Path,
    hosts: &mut [Host],
    marathon_hosts: &[String],
    progress: &Progress,
) -> Result<secure::Security> {
    let names: Vec<secure::HostNames> = hosts
        .iter()
        .map(|h| secure::HostNames::new(&h.name, &h.ip, &[]))
        .collect();
    let m = secure::generate(&spec.name, &names)?;
    secure::private_dir(dir).map_err(|source| HostsError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let here = dir.join(secure::SECURE_DIR);
    secure::write_files(&here, &m.files_for("", secure::HostRoles::default(), true)?)?;
    std::thread::scope(|scope| {
        for h in hosts.iter_mut().filter(|h| h.ok()) {
            let roles = secure::HostRoles {
                master: spec.masters.contains(&h.name),
                agent: spec.agents.contains(&h.name),
                marathon: marathon_hosts.contains(&h.name),
            };
            if !roles.master && !roles.agent && !roles.marathon {
                continue;
            }
            let m = &m;
            scope.spawn(move || {
                let res = m.files_for(&h.name, roles, false).and_then(|files| {
                    let dir = format!("{}/{}", h.work_dir, secure::SECURE_DIR);
                    h.sess()?.write_private_files(&dir, &files)
                });
                match res {
                    Ok(()) => progress.set(&h.name, "certificate and credentials installed"),
                    Err(e) => {
                        progress.fail(&h.name, &e.message);
                        h.fail(e.message);
                    }
                }
            });
        }
    });
    Ok(secure::security_of(&here))
}
