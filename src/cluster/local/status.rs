//! `wait` and `status`.

use super::*;

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
    /// Masters: leading? Marathon: the elected one? (null otherwise).
    pub leader: Option<bool>,
    /// Masters: active agents it knows of.
    pub registered_agents: Option<u64>,
    /// Agents: registered with the leading master; Marathon: serving
    /// (`/ping` and `/v2/leader` answer).
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
    /// The web UI: the leading master's `/`.
    pub webui_url: Option<String>,
    pub ready: bool,
    pub waiting_for: Vec<String>,
    /// TLS and HTTP authentication (`up --secure`).
    pub secure: super::super::secure_check::Secured,
    /// Base URL of the cluster's `mesos marathon` (none without one).
    pub marathon: Option<String>,
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
            let mt = (d.role == Role::Marathon)
                .then(|| check.marathon(&d.name))
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
                    Role::Marathon => Some(
                        alive
                            && mt
                                .and_then(|m| m.leader.as_deref())
                                .is_some_and(|l| ready::names(d, l)),
                    ),
                    _ => None,
                },
                registered_agents: if alive {
                    m.and_then(|m| m.agents_active)
                } else {
                    None
                },
                registered: a
                    .map(|a| alive && a.registered)
                    .or(mt.map(|m| alive && m.serving)),
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
        webui_url: check
            .leader
            .as_deref()
            .and_then(|l| state.find(l))
            .map(|d| format!("{}/", d.url())),
        leader: check.leader.clone(),
        ready: waiting_for.is_empty(),
        waiting_for,
        secure: super::super::secure_check::Secured::of(state),
        marathon: state.marathon.clone(),
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
