//! The driver: the framework side of `mesos marathon`. While this scheduler
//! leads, it subscribes to the leading Mesos master over the v1 scheduler
//! API and converges the actual state (instances) to the desired one (apps
//! and the deployments under way) held in [`Marathon`]. See docs/marathon.md
//! ("Driver").
//!
//! * `connection`: the framework info, SUBSCRIBE (following master leader
//!   changes, with backoff), heartbeats, and the session loop that feeds
//!   every event to the parts below.
//! * [`plan`]: the pure per-app decisions: how many instances to launch,
//!   which to kill, given the state and the deployment under way.
//! * [`deploy`]: deployment steps (start, done, advance, finish).
//! * `offers`: matching offers to what is wanted (through `place` and
//!   `crate::marathon::placement`), ACCEPT/DECLINE.
//! * `status`: task status updates (state, acks, failures, backoff).
//! * `health`: Marathon-level health checks of running instances.
//! * `reconcile`: task reconciliation after (re)subscribing and on an
//!   interval.
//! * `persist`: writing instances, deployments and the framework id to
//!   the store.

mod connection;
pub mod deploy;
mod health;
mod offers;
mod persist;
mod place;
pub mod plan;
mod reconcile;
mod status;
#[cfg(test)]
mod tests;

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::http::HttpOptions;
use crate::marathon::core::Marathon;
use crate::marathon::election::Leadership;
use crate::marathon::store::Store;

/// How the driver runs (from the `mesos marathon` flags).
#[derive(Clone, Debug)]
pub struct DriverConfig {
    /// `--master`: `host:port`, a comma-separated list, `zk://...` or
    /// `file://...`; resolved again on every (re)connection.
    pub master: String,
    /// `--framework_name` (`marathon`).
    pub framework_name: String,
    /// `--mesos_role` (`*`).
    pub role: String,
    /// `--mesos_user`; the current user when `None`.
    pub user: Option<String>,
    /// `--failover_timeout` in seconds (604800, one week).
    pub failover_timeout: f64,
    /// `--webui_url`, else `http://<hostname>:<port>` (the REST API).
    pub webui_url: String,
    /// `--hostname`: this scheduler's host name.
    pub hostname: String,
    /// TLS and credentials towards the master (`--principal`/`--secret`
    /// become basic auth and `FrameworkInfo.principal`).
    pub http: HttpOptions,
    /// `--max_instances_per_offer` (5).
    pub max_instances_per_offer: usize,
    /// `--decline_offer_duration` in seconds (120).
    pub decline_offer_seconds: f64,
    /// `--reconciliation_interval` (600 s).
    pub reconciliation_interval: Duration,
    /// `--task_launch_timeout` (300 s).
    pub task_launch_timeout: Duration,
    /// `--env_vars_prefix` for `PORT*` and `HOST`.
    pub env_vars_prefix: Option<String>,
    /// `--local_port_min`/`--local_port_max`: service ports for port 0.
    pub local_port_range: (u32, u32),
    /// Where instances, deployments and the framework id are persisted.
    pub store: Store,
}

impl DriverConfig {
    /// The scheme for masters given without one: https when TLS towards
    /// the master is configured.
    pub fn scheme(&self) -> &'static str {
        if self.http.client_tls.is_some() || self.http.ca_file.is_some() {
            "https"
        } else {
            "http"
        }
    }

    /// The principal of basic auth, if any (`FrameworkInfo.principal`).
    fn principal(&self) -> Option<String> {
        match &self.http.auth {
            crate::http::Auth::Basic { principal, .. } => Some(principal.clone()),
            _ => None,
        }
    }
}

/// Run the driver: while `leadership` says this scheduler leads, keep a
/// framework subscribed and converge; when leadership is lost, drop the
/// subscription (the master keeps the tasks for `failover_timeout`) and
/// wait to lead again. Ends when the leadership sender is gone while not
/// leading, or when the handle is aborted.
pub fn spawn(
    marathon: Marathon,
    cfg: DriverConfig,
    leadership: watch::Receiver<Leadership>,
) -> JoinHandle<()> {
    tokio::spawn(run(marathon, cfg, leadership))
}

async fn run(marathon: Marathon, cfg: DriverConfig, mut leadership: watch::Receiver<Leadership>) {
    loop {
        // Wait to lead.
        loop {
            if leadership.borrow_and_update().leading {
                break;
            }
            if leadership.changed().await.is_err() {
                return;
            }
        }
        crate::info!("leading: starting the Mesos framework");
        let mut leading = leadership.clone();
        let lost = async move {
            loop {
                if leading.changed().await.is_err() {
                    // The election is gone: keep the last verdict.
                    if leading.borrow().leading {
                        std::future::pending::<()>().await;
                    }
                    return;
                }
                if !leading.borrow().leading {
                    return;
                }
            }
        };
        tokio::select! {
            _ = connection::run_leading(&marathon, &cfg) => {}
            _ = lost => {
                crate::info!("leadership lost: leaving the Mesos master");
                marathon.publish(status::event(
                    crate::wire::marathon::EventKind::SchedulerDisconnectedEvent {},
                ));
            }
        }
    }
}
