//! `down`: stop the tasks, then the daemons.

use super::*;

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

pub(super) fn find_files(dir: &Path, name: &str, depth: u32, out: &mut Vec<PathBuf>) {
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
        out.profile_removed = super::super::profile::forget_profile(&state.profile, &state.master)?;
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
                    super::super::human(grace)
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
