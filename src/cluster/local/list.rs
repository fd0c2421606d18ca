//! `list`: the known local clusters.

use super::*;

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
