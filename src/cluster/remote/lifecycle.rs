//! `up`, `status`, `wait`, `down` and `logs` of a cluster across SSH hosts.

use super::*;

/// `mesos cluster up -f FILE` (`secure`: `up --secure -f FILE`; `marathon`:
/// start `mesos marathon` where the file says, unless `--no-marathon`).
pub fn up(
    spec: &Spec,
    opts: &Options,
    secure: bool,
    marathon: bool,
    progress: &Progress,
) -> Result<UpOutcome> {
    let started = Instant::now();
    let dir = cluster_dir(&spec.name)?;
    let _lock = local::lock(&dir)?;
    if let Some(existing) = ClusterState::load(&dir)? {
        let w = Waiter::new(opts.timeout, existing.secure.as_ref())?;
        if existing.mode != Mode::Ssh {
            return Err(HostsError::RunsLocally {
                name: existing.name.clone(),
                file: spec.path.clone(),
            }
            .into());
        }
        let mut hosts = hosts_of_state(&existing);
        let quiet = Progress::new(true);
        reconnect(&mut hosts, opts, &quiet);
        let st = liveness(&hosts, &existing.daemons, 0);
        let alive: Vec<&DaemonRecord> = existing
            .daemons
            .iter()
            .filter(|d| st.get(&d.name).is_some_and(|s| s.alive))
            .collect();
        if !alive.is_empty() {
            if alive.len() < existing.daemons.len() {
                let dead: Vec<String> = existing
                    .daemons
                    .iter()
                    .filter(|d| !st.get(&d.name).is_some_and(|s| s.alive))
                    .map(|d| d.name.clone())
                    .collect();
                return Err(HostsError::PartlyRunning {
                    name: existing.name.clone(),
                    dead,
                    file: spec.path.clone(),
                }
                .into());
            }
            if secure && existing.secure.is_none() {
                crate::output::warn(format!(
                    "cluster '{}' is already running without --secure; it was not secured (`mesos cluster down -f FILE` first)",
                    existing.name
                ));
            }
            let mut live = existing.daemons.clone();
            let mut failed = Vec::new();
            let check = wait_remote(
                &w,
                &existing,
                &mut hosts,
                &mut live,
                &mut failed,
                &quiet,
                None,
            )?;
            return Ok(UpOutcome {
                leader: check.leader.clone(),
                state: existing,
                already_running: true,
                elapsed: started.elapsed(),
                failed: Vec::new(),
            });
        }
    }

    // Connect, check, upload.
    let mut hosts: Vec<Host> = spec
        .host_order()
        .iter()
        .map(|n| {
            let hs: &HostSpec = &spec.hosts[n];
            Host::new(n, &hs.ip, hs.ssh.clone())
        })
        .collect();
    for h in &hosts {
        progress.add(&h.name, "waiting");
    }
    connect_all(&mut hosts, &spec.work_dir, opts, progress, true);
    upload_all(&mut hosts, progress)?;
    if hosts.iter().all(|h| !h.ok()) {
        let reasons: Vec<String> = hosts.iter().filter_map(|h| h.error.clone()).collect();
        return Err(HostsError::NoHostUsable {
            reasons,
            file: spec.path.clone(),
        }
        .into());
    }

    // `mesos marathon` where the file says, unless --no-marathon or this
    // build has none (the hosts run this very binary).
    let marathon_hosts: Vec<String> = match std::env::current_exe() {
        Ok(me) if marathon && local::marathon_available(&me) => spec.marathon_hosts.clone(),
        _ => Vec::new(),
    };
    let security = if secure {
        Some(secure_hosts(
            spec,
            &dir,
            &mut hosts,
            &marathon_hosts,
            progress,
        )?)
    } else {
        let _ = std::fs::remove_dir_all(dir.join(secure::SECURE_DIR));
        None
    };
    let w = Waiter::new(opts.timeout, security.as_ref())?;
    let planned = {
        let by_name: BTreeMap<String, &Host> = hosts.iter().map(|h| (h.name.clone(), h)).collect();
        plan(spec, &by_name, secure, &marathon_hosts)?
    };
    let master = match (spec.zk_url(), secure) {
        (None, true) => format!("https://{}", master_spec(spec)),
        _ => master_spec(spec),
    };
    let mut state = ClusterState {
        version: STATE_VERSION,
        name: spec.name.clone(),
        mode: Mode::Ssh,
        created_at: now_secs(),
        dir: dir.clone(),
        binary: "<work_dir>/bin/mesos".into(),
        master: master.clone(),
        master_url: format!(
            "{}://{}:{}",
            if secure { "https" } else { "http" },
            spec.hosts[&spec.masters[0]].ip,
            spec.master_port
        ),
        zk: spec.zk_url(),
        quorum: spec.zk_url().map(|_| quorum(spec.masters.len() as u32)),
        profile: spec.name.clone(),
        spec_file: Some(spec.path.clone()),
        secure: security,
        // The first `mesos marathon`, as planned.
        marathon: planned
            .iter()
            .find(|p| p.item.rec.role == Role::Marathon)
            .map(|p| p.item.rec.url()),
        daemons: Vec::new(),
    };
    let mut failed: Vec<String> = hosts.iter().filter_map(|h| h.error.clone()).collect();
    let mut live: Vec<DaemonRecord> = Vec::new();
    let mut result: Result<Check> = Err(HostsError::NothingStarted.into());
    for role in [Role::Zookeeper, Role::Master, Role::Agent, Role::Marathon] {
        let tier: Vec<PlannedRemote> = planned
            .iter()
            .filter(|p| p.item.rec.role == role)
            .map(|p| PlannedRemote {
                host: p.host.clone(),
                item: p.item.clone(),
            })
            .collect();
        if tier.is_empty() {
            continue;
        }
        let before: Vec<String> = hosts.iter().filter_map(|h| h.error.clone()).collect();
        let new = start_tier(&mut hosts, &tier, progress);
        for h in &hosts {
            if let Some(e) = &h.error {
                if !before.contains(e) && !failed.contains(e) {
                    failed.push(e.clone());
                }
            }
        }
        state.daemons.extend(new.iter().cloned());
        live.extend(new);
        sort_daemons(&mut state.daemons);
        sort_daemons(&mut live);
        state.save()?;
        let gate = match role {
            Role::Zookeeper => Some(Role::Zookeeper),
            Role::Master if state.zk.is_none() => Some(Role::Master),
            Role::Master => continue,
            Role::Agent | Role::Marathon => None,
        };
        result = wait_remote(
            &w,
            &state,
            &mut hosts,
            &mut live,
            &mut failed,
            progress,
            gate,
        );
        if result.is_err() {
            break;
        }
    }
    state.save()?;
    match result {
        Ok(check) => {
            for h in hosts.iter().filter(|h| h.ok()) {
                progress.done(&h.name, &format!("ready ({})", daemons_on(&state, &h.name)));
            }
            if let Some(l) = check.leader.as_deref().and_then(|l| state.find(l)) {
                state.master_url = l.url();
            }
            // The first Marathon that started (one whose host failed is not
            // recorded as the cluster's).
            let first = state.of_role(Role::Marathon).next().map(|d| d.url());
            state.marathon = first;
            state.save()?;
            super::super::profile::write_profile(&state)?;
            Ok(UpOutcome {
                leader: check.leader.clone(),
                state,
                already_running: false,
                elapsed: started.elapsed(),
                failed,
            })
        }
        Err(e) => {
            let _ = super::super::profile::write_profile(&state);
            let mut msg = e.message.clone();
            if !failed.is_empty() {
                msg = format!("{msg} ({})", failed.join("; "));
            }
            Err(HostsError::UpFailed {
                message: msg,
                timed_out: e.kind == ErrorKind::Timeout,
                partly_started: state
                    .daemons
                    .iter()
                    .any(|d| live.iter().any(|l| l.name == d.name)),
                name: state.name.clone(),
                file: spec.path.clone(),
            }
            .into())
        }
    }
}

/// ZooKeeper, masters, agents; each by number (`agent-2` before `agent-10`).
pub(super) fn sort_daemons(d: &mut [DaemonRecord]) {
    d.sort_by_key(|r| {
        let n: u32 = r
            .name
            .rsplit('-')
            .next()
            .and_then(|x| x.parse().ok())
            .unwrap_or(0);
        (r.role, n)
    });
}

pub(super) fn daemons_on(state: &ClusterState, host: &str) -> String {
    let names: Vec<&str> = state
        .daemons
        .iter()
        .filter(|d| d.host == host)
        .map(|d| d.name.as_str())
        .collect();
    names.join(", ")
}

/// `mesos cluster status` for an SSH cluster.
pub fn status(state: &ClusterState, opts: &Options) -> Result<StatusReport> {
    let mut hosts = hosts_of_state(state);
    let quiet = Progress::new(true);
    reconnect(&mut hosts, opts, &quiet);
    let st = liveness(&hosts, &state.daemons, 0);
    let alive: Vec<bool> = state
        .daemons
        .iter()
        .map(|d| st.get(&d.name).is_some_and(|s| s.alive))
        .collect();
    let rt = local::runtime()?;
    let client = ready::probe_client_for(state.secure.as_ref(), Duration::from_secs(2))?;
    let check = rt.block_on(ready::check(state, &client));
    let mut r = local::report(state, &alive, &check);
    for h in hosts.iter().filter(|h| h.error.is_some()) {
        r.waiting_for.push(format!(
            "host {} ({})",
            h.name,
            h.error.as_deref().unwrap_or("")
        ));
        r.ready = false;
    }
    Ok(r)
}

/// `mesos cluster wait` for an SSH cluster.
pub fn wait(state: &ClusterState, opts: &Options, progress: &Progress) -> Result<Check> {
    let w = Waiter::new(opts.timeout, state.secure.as_ref())?;
    let mut hosts = hosts_of_state(state);
    reconnect(&mut hosts, opts, progress);
    let mut live = state.daemons.clone();
    let mut failed = Vec::new();
    let r = wait_remote(
        &w,
        state,
        &mut hosts,
        &mut live,
        &mut failed,
        progress,
        None,
    );
    if !failed.is_empty() {
        return Err(HostsError::Failures(failed).into());
    }
    r
}

/// `mesos cluster down` for a recorded SSH cluster.
pub fn down(
    state: &ClusterState,
    _file: Option<&Spec>,
    purge: bool,
    grace: Duration,
    opts: &Options,
    progress: &Progress,
) -> Result<DownOutcome> {
    let dir = cluster_dir(&state.name)?;
    let _lock = local::lock(&dir)?;
    let mut hosts = hosts_of_state(state);
    for h in &hosts {
        progress.add(&h.name, "connecting");
    }
    reconnect(&mut hosts, opts, progress);
    let (out, failed_hosts) = stop_on_hosts(&mut hosts, &state.daemons, purge, grace, progress);
    let mut out = out;
    out.name = state.name.clone();
    if !failed_hosts.is_empty() {
        // Keep what could not be stopped on record.
        let mut left = state.clone();
        left.daemons.retain(|d| failed_hosts.contains(&d.host));
        left.save()?;
        let reasons: Vec<String> = hosts.iter().filter_map(|h| h.error.clone()).collect();
        return Err(HostsError::StopFailed {
            hosts: failed_hosts,
            reasons,
            kept: true,
        }
        .into());
    }
    if purge {
        let _ = std::fs::remove_dir_all(&dir);
        out.purged = true;
        out.profile_removed = super::super::profile::forget_profile(&state.profile, &state.master)?;
    } else {
        let _ = std::fs::remove_file(ClusterState::path_in(&dir));
    }
    Ok(out)
}

/// `mesos cluster down -f FILE` with no local record: stop whatever `up`
/// recorded on the hosts of the file.
pub fn down_from_spec(
    spec: &Spec,
    purge: bool,
    grace: Duration,
    opts: &Options,
    progress: &Progress,
) -> Result<DownOutcome> {
    let mut hosts: Vec<Host> = spec
        .host_order()
        .iter()
        .map(|n| Host::new(n, &spec.hosts[n].ip, spec.hosts[n].ssh.clone()))
        .collect();
    for h in &hosts {
        progress.add(&h.name, "connecting");
    }
    connect_all(&mut hosts, &spec.work_dir, opts, progress, false);
    let (mut out, failed_hosts) = stop_on_hosts(&mut hosts, &[], purge, grace, progress);
    out.name = spec.name.clone();
    if !failed_hosts.is_empty() {
        let reasons: Vec<String> = hosts.iter().filter_map(|h| h.error.clone()).collect();
        return Err(HostsError::StopFailed {
            hosts: failed_hosts,
            reasons,
            kept: false,
        }
        .into());
    }
    Ok(out)
}

/// Stop daemons on every host in parallel. Returns the merged outcome and
/// the hosts where stopping failed.
pub(super) fn stop_on_hosts(
    hosts: &mut [Host],
    daemons: &[DaemonRecord],
    purge: bool,
    grace: Duration,
    progress: &Progress,
) -> (DownOutcome, Vec<String>) {
    let merged = Mutex::new(DownOutcome::default());
    let failed = Mutex::new(Vec::new());
    // Per host: the daemon names stopped or found stopped (for purging).
    let names: Mutex<BTreeMap<String, Vec<String>>> = Mutex::new(BTreeMap::new());
    // First stop everything everywhere (hosts may share a filesystem, so
    // nothing is deleted before every host is done).
    std::thread::scope(|scope| {
        for h in hosts.iter_mut() {
            let mine: Vec<DaemonRecord> = daemons
                .iter()
                .filter(|d| d.host == h.name)
                .cloned()
                .collect();
            let (merged, failed, names) = (&merged, &failed, &names);
            scope.spawn(move || {
                if !h.ok() {
                    failed.lock().unwrap().push(h.name.clone());
                    return;
                }
                progress.set(&h.name, "stopping");
                let mut recorded: Vec<String> = mine.iter().map(|d| d.name.clone()).collect();
                let op = HostOp::Stop {
                    work_dir: h.work_dir.clone(),
                    host: h.name.clone(),
                    daemons: mine,
                    grace_ms: grace.as_millis() as u64,
                    purge: false,
                };
                // Nothing deployed there (never started, or purged): nothing to stop.
                let deployed = h
                    .sess()
                    .and_then(|s| s.exec(&format!("test -x {}", sh_quote(&h.bin)), None))
                    .map(|o| o.code == 0)
                    .unwrap_or(false);
                if !deployed {
                    progress.done(&h.name, "nothing deployed");
                    names.lock().unwrap().insert(h.name.clone(), recorded);
                    return;
                }
                match h.helper::<DownOutcome>(&op) {
                    Ok(o) => {
                        progress.done(
                            &h.name,
                            &format!(
                                "stopped {}{}",
                                if o.stopped.is_empty() {
                                    "nothing".to_string()
                                } else {
                                    o.stopped.join(", ")
                                },
                                if o.tasks_killed > 0 {
                                    format!(", {} task(s) killed", o.tasks_killed)
                                } else {
                                    String::new()
                                }
                            ),
                        );
                        for n in o.stopped.iter().chain(&o.already_stopped) {
                            if !recorded.contains(n) {
                                recorded.push(n.clone());
                            }
                        }
                        names.lock().unwrap().insert(h.name.clone(), recorded);
                        let mut m = merged.lock().unwrap();
                        m.stopped.extend(o.stopped);
                        m.killed.extend(o.killed);
                        m.already_stopped.extend(o.already_stopped);
                        m.tasks_killed += o.tasks_killed;
                    }
                    Err(e) => {
                        progress.fail(&h.name, &e.message);
                        h.fail(e.message);
                        failed.lock().unwrap().push(h.name.clone());
                    }
                }
            });
        }
    });
    let failed = failed.into_inner().unwrap();
    let mut merged = merged.into_inner().unwrap();
    if purge && failed.is_empty() {
        let names = names.into_inner().unwrap();
        for h in hosts.iter().filter(|h| h.ok()) {
            let mut cmd = String::new();
            for n in names.get(&h.name).into_iter().flatten() {
                cmd.push_str(&format!(
                    "rm -rf {}; ",
                    sh_quote(&format!("{}/{n}", h.work_dir))
                ));
            }
            cmd.push_str(&format!(
                "rm -rf {} {}; rmdir {} 2>/dev/null; true",
                sh_quote(&format!("{}/bin", h.work_dir)),
                sh_quote(&format!("{}/{}", h.work_dir, secure::SECURE_DIR)),
                sh_quote(&h.work_dir)
            ));
            if let Ok(s) = h.sess() {
                let _ = s.exec(&cmd, None);
            }
        }
        merged.purged = true;
    }
    (merged, failed)
}

/// `mesos cluster logs` for an SSH cluster: `tail` over SSH.
pub fn logs(
    state: &ClusterState,
    daemons: &[DaemonRecord],
    follow: bool,
    lines: Option<usize>,
    accept_new: bool,
) -> Result<()> {
    let prefix = daemons.len() > 1;
    let opts = Options {
        accept_new_host_keys: accept_new,
        timeout: CONNECT_TIMEOUT,
    };
    let _ = state;
    let out = Mutex::new(());
    let errors = Mutex::new(Vec::new());
    let run = |d: &DaemonRecord| -> Result<()> {
        let t = d
            .ssh
            .as_ref()
            .ok_or_else(|| HostsError::NoSshTarget(d.name.clone()))?;
        let s = Session::connect(t, opts.accept_new_host_keys, CONNECT_TIMEOUT)?;
        let f = sh_quote(&d.log_file);
        let n = lines.map(|n| n.to_string()).unwrap_or_else(|| "+1".into());
        let cmd = if follow {
            format!("exec tail -n {n} -F {f} 2>/dev/null")
        } else {
            format!("tail -n {n} {f}")
        };
        let mut partial: Vec<u8> = Vec::new();
        s.exec_stream(&cmd, |chunk| {
            partial.extend_from_slice(chunk);
            if let Some(pos) = partial.iter().rposition(|b| *b == b'\n') {
                let complete: Vec<u8> = partial.drain(..=pos).collect();
                let mut buf = Vec::new();
                for l in complete[..complete.len() - 1].split(|b| *b == b'\n') {
                    if prefix {
                        buf.extend_from_slice(format!("{:<12} | ", d.name).as_bytes());
                    }
                    buf.extend_from_slice(l);
                    buf.push(b'\n');
                }
                let _g = out.lock().unwrap();
                crate::output::write_stdout(&buf)?;
            }
            Ok(())
        })?;
        Ok(())
    };
    if follow {
        std::thread::scope(|scope| {
            for d in daemons {
                let (run, errors) = (&run, &errors);
                scope.spawn(move || {
                    if let Err(e) = run(d) {
                        errors.lock().unwrap().push(e.message);
                    }
                });
            }
        });
    } else {
        for d in daemons {
            if let Err(e) = run(d) {
                errors.lock().unwrap().push(e.message);
            }
        }
    }
    let errors = errors.into_inner().unwrap();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(HostsError::SomeFailed(errors).into())
    }
}
