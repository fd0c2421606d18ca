//! Waiting on a started daemon: reaping early exits, readiness gates, progress.

use super::*;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Gate {
    Zookeeper,
    MasterHttp,
}

/// Check every child we started: restart one whose port was taken, fail
/// (with its log tail) on any other exit.
pub(super) fn reap(
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
pub(super) fn io_error(
    action: &'static str,
    path: impl std::fmt::Display,
    e: std::io::Error,
) -> LocalError {
    LocalError::Io {
        action,
        path: path.to_string(),
        source: e,
    }
}

pub(super) fn describe_status(s: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (s.code(), s.signal()) {
        (Some(c), _) => format!("exited with status {c}"),
        (None, Some(sig)) => format!("was killed by signal {sig}"),
        _ => "exited".into(),
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn wait_gate(
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
pub(super) fn wait_ready(
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
                after: super::super::human(timeout),
                waiting_for: check.waiting_for.clone(),
            }
            .into());
        }
        std::thread::sleep(POLL);
    }
}

/// Per-daemon messages from one readiness check.
pub(super) fn report_progress(state: &ClusterState, check: &Check, progress: &Progress) {
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
            Role::Marathon => {
                if let Some(v) = check.marathon(&d.name).filter(|v| v.serving) {
                    let role = match &v.leader {
                        Some(l) if ready::names(d, l) => "leading",
                        Some(_) => "standby",
                        None => "serving",
                    };
                    progress.done(&d.name, &format!("{role} at {} (pid {})", d.url(), d.pid));
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
