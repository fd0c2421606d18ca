//! Is a running cluster secured? The checks behind `mesos cluster doctor`
//! (without `-f`, or for a recorded `-f` cluster) and the `secured` line of
//! `mesos cluster status`.
//!
//! For every master, agent and `mesos marathon`, from this machine:
//! * `tls`: it answers https with a certificate the cluster CA vouches for,
//!   and refuses plain http;
//! * `auth`: its state endpoint answers 401 without credentials and 200
//!   with the operator's;
//!
//! and, for the files on this machine, that the security directory and
//! everything in it is private (0700 directories, 0600 files).

use std::time::Duration;

use serde::Serialize;

use super::ready;
use super::remote::DoctorRow;
use super::secure;
use super::state::{ClusterState, DaemonRecord, Role};
use crate::error::Result;

/// How a cluster is secured, for `status`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Secured {
    /// Started with `--secure`.
    pub secured: bool,
    /// The cluster CA (this machine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// The operator principal the profile uses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
}

impl Secured {
    pub fn of(state: &ClusterState) -> Secured {
        match &state.secure {
            Some(s) => Secured {
                secured: true,
                ca_file: Some(s.ca_file.clone()),
                principal: Some(s.principal.clone()),
            },
            None => Secured::default(),
        }
    }

    /// One line for humans.
    pub fn describe(&self) -> String {
        match (&self.ca_file, &self.principal) {
            (Some(ca), Some(p)) if self.secured => format!(
                "secured: TLS with the cluster CA {ca}, HTTP authentication on (principal {p})"
            ),
            _ => "not secured: plain HTTP, no authentication (`mesos cluster up --secure` secures a new cluster)".into(),
        }
    }
}

/// The state endpoint of a daemon (in an authentication realm).
fn state_path(d: &DaemonRecord) -> &'static str {
    match d.role {
        Role::Agent => "/slave(1)/state",
        Role::Marathon => "/v2/apps",
        _ => "/master/state",
    }
}

/// An endpoint that answers without credentials (for the TLS check).
fn open_path(d: &DaemonRecord) -> &'static str {
    match d.role {
        Role::Marathon => "/ping",
        _ => "/version",
    }
}

fn status_of(r: std::result::Result<reqwest::Response, reqwest::Error>) -> String {
    match r {
        Ok(r) => r.status().as_u16().to_string(),
        Err(e) => {
            let mut msg = e.to_string();
            let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(&e);
            while let Some(c) = cur {
                msg = c.to_string();
                cur = c.source();
            }
            msg
        }
    }
}

/// Check one daemon of a secured cluster. `with` sends the operator's
/// credentials and trusts only the CA; `without` trusts only the CA.
async fn check_daemon(
    d: &DaemonRecord,
    with: &reqwest::Client,
    without: &reqwest::Client,
    plain: &reqwest::Client,
) -> Vec<DoctorRow> {
    let url = d.url();
    let path = state_path(d);
    let row = |check: &str, ok: bool, detail: String| DoctorRow {
        host: d.name.clone(),
        check: check.into(),
        ok,
        detail,
    };
    // TLS: a verified https answer, and plain http refused.
    let open = open_path(d);
    let https = without.get(format!("{url}{open}")).send().await;
    let plain_url = format!("http://{}:{}{open}", d.ip, d.port);
    let plain_ok = matches!(
        plain.get(&plain_url).send().await,
        Ok(r) if r.status().is_success()
    );
    let tls = match (&https, plain_ok) {
        (Ok(_), false) => row(
            "tls",
            true,
            format!("{url}: certificate verified by the cluster CA; plain http refused"),
        ),
        (Ok(_), true) => row("tls", false, format!("{plain_url} also answers plain http")),
        (Err(_), _) => row("tls", false, format!("{url}: {}", status_of(https))),
    };
    // Authentication: 401 without credentials, 200 with.
    let anon = status_of(without.get(format!("{url}{path}")).send().await);
    let authed = status_of(with.get(format!("{url}{path}")).send().await);
    // A standby master redirects an authenticated request to the leader.
    let accepted = authed == "200" || (d.role == Role::Master && authed == "307");
    let auth = row(
        "auth",
        anon == "401" && accepted,
        format!("{path}: {anon} without credentials, {authed} with the operator's"),
    );
    vec![tls, auth]
}

/// The security rows of `doctor` for a recorded cluster.
pub fn doctor_rows(state: &ClusterState) -> Result<Vec<DoctorRow>> {
    let Some(sec) = &state.secure else {
        return Ok(vec![DoctorRow {
            host: state.name.clone(),
            check: "secured".into(),
            ok: true,
            detail: "no: plain HTTP, no authentication (started without --secure)".into(),
        }]);
    };
    let mut rows = vec![DoctorRow {
        host: state.name.clone(),
        check: "secured".into(),
        ok: true,
        detail: format!(
            "yes: TLS and HTTP authentication (principal {}, CA {})",
            sec.principal, sec.ca_file
        ),
    }];
    let loose = secure::loose_modes(std::path::Path::new(&sec.dir));
    let missing: Vec<&str> = [sec.ca_file.as_str(), sec.secret_file.as_str()]
        .into_iter()
        .filter(|f| !std::path::Path::new(f).is_file())
        .collect();
    rows.push(DoctorRow {
        host: "this machine".into(),
        check: "files".into(),
        ok: loose.is_empty() && missing.is_empty(),
        detail: if !missing.is_empty() {
            format!("missing: {}", missing.join(", "))
        } else if loose.is_empty() {
            format!("{}: directories 0700, files 0600", sec.dir)
        } else {
            format!("readable by others: {}", loose.join(", "))
        },
    });
    let timeout = Duration::from_secs(3);
    let with = ready::probe_client_for(Some(sec), timeout)?;
    let without = ready::probe_client_ca_only(sec, timeout)?;
    let plain = ready::probe_client(timeout);
    let rt = super::local::runtime()?;
    let daemons: Vec<&DaemonRecord> = state
        .daemons
        .iter()
        .filter(|d| d.role != Role::Zookeeper)
        .collect();
    let results = rt.block_on(futures_util::future::join_all(
        daemons
            .iter()
            .map(|d| check_daemon(d, &with, &without, &plain)),
    ));
    rows.extend(results.into_iter().flatten());
    Ok(rows)
}
