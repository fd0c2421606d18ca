//! The readiness rule, checked over the daemons' HTTP APIs.
//!
//! A cluster is ready when:
//! 1. every ZooKeeper it manages answers `imok` to `ruok`;
//! 2. exactly one master reports `master/elected = 1` in `/metrics/snapshot`,
//!    and every other master's `/master/redirect` points at it (so the
//!    election is settled, not just won);
//! 3. the leader's `/master/slaves` lists every agent (matched by
//!    `slave(1)@ip:port`) with `active: true`;
//! 4. every `mesos marathon` answers 200 to `GET /ping` and to
//!    `GET /v2/leader` (a leader is elected among them).
//!
//! Process liveness is checked by the caller (locally through `/proc`, on
//! SSH hosts through the remote `/proc`), so that a dead daemon fails at
//! once instead of waiting out the timeout.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use super::secure::Security;
use super::state::{ClusterState, DaemonRecord, Role};
use super::LocalError;

/// What a master said about itself.
#[derive(Clone, Debug, Default, Serialize)]
pub struct MasterView {
    /// `/metrics/snapshot` answered.
    pub reachable: bool,
    /// `master/elected`.
    pub elected: Option<bool>,
    /// Where `/master/redirect` points (`host:port`), when it knows a leader.
    pub redirect: Option<String>,
    /// `master/slaves_active`.
    pub agents_active: Option<u64>,
}

/// An agent as the leading master lists it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct AgentView {
    pub registered: bool,
    pub active: bool,
    /// Agent id given by the master.
    pub id: Option<String>,
}

/// What a `mesos marathon` said about itself.
#[derive(Clone, Debug, Default, Serialize)]
pub struct MarathonView {
    /// `/ping` and `/v2/leader` answered 200.
    pub serving: bool,
    /// The leader `/v2/leader` names (`host:port`).
    pub leader: Option<String>,
}

/// One readiness check of the whole cluster.
#[derive(Clone, Debug, Default)]
pub struct Check {
    /// Per master name.
    pub masters: Vec<(String, MasterView)>,
    /// Per agent name.
    pub agents: Vec<(String, AgentView)>,
    /// Per ZooKeeper name: answered `imok`.
    pub zookeepers: Vec<(String, bool)>,
    /// Per `mesos marathon` name.
    pub marathons: Vec<(String, MarathonView)>,
    /// Name of the leading master.
    pub leader: Option<String>,
    /// Why the cluster is not ready (empty = ready).
    pub waiting_for: Vec<String>,
}

impl Check {
    pub fn ready(&self) -> bool {
        self.waiting_for.is_empty()
    }
    pub fn master(&self, name: &str) -> Option<&MasterView> {
        self.masters.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
    pub fn agent(&self, name: &str) -> Option<&AgentView> {
        self.agents.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
    pub fn marathon(&self, name: &str) -> Option<&MarathonView> {
        self.marathons
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
    pub fn zookeeper(&self, name: &str) -> Option<bool> {
        self.zookeepers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }
}

/// A plain HTTP client with short timeouts: probes must not hang.
pub fn probe_client(timeout: Duration) -> reqwest::Client {
    probe_builder(timeout)
        .build()
        .expect("a plain HTTP client always builds")
}

fn probe_builder(timeout: Duration) -> reqwest::ClientBuilder {
    crate::http::install_crypto_provider();
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
}

/// The probe client of a cluster: for a secured one it trusts only the
/// cluster's CA and sends the operator's credentials on every request
/// (the header is marked sensitive, so it is never logged).
pub fn probe_client_for(
    secure: Option<&Security>,
    timeout: Duration,
) -> crate::error::Result<reqwest::Client> {
    let Some(sec) = secure else {
        return Ok(probe_client(timeout));
    };
    let cred = super::secure::operator_credential(sec)?;
    let token = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{}:{}", cred.principal, cred.secret),
    );
    let mut value = reqwest::header::HeaderValue::from_str(&format!("Basic {token}"))
        .map_err(|_| LocalError::BadCredentialHeader)?;
    value.set_sensitive(true);
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::AUTHORIZATION, value);
    ca_builder(sec, timeout)?
        .default_headers(headers)
        .build()
        .map_err(|e| LocalError::ProbeClient(e).into())
}

/// A probe client trusting only the cluster's CA, sending no credentials.
pub fn probe_client_ca_only(
    sec: &Security,
    timeout: Duration,
) -> crate::error::Result<reqwest::Client> {
    ca_builder(sec, timeout)?
        .build()
        .map_err(|e| LocalError::ProbeClient(e).into())
}

fn ca_builder(sec: &Security, timeout: Duration) -> crate::error::Result<reqwest::ClientBuilder> {
    let pem = std::fs::read(&sec.ca_file).map_err(|source| LocalError::CaUnreadable {
        file: sec.ca_file.clone(),
        source,
    })?;
    let roots =
        reqwest::Certificate::from_pem_bundle(&pem).map_err(|source| LocalError::CaNotPem {
            file: sec.ca_file.clone(),
            source,
        })?;
    Ok(probe_builder(timeout).tls_certs_only(roots))
}

async fn get(client: &reqwest::Client, url: &str) -> Option<(u16, Option<String>, String)> {
    let r = client.get(url).send().await.ok()?;
    let code = r.status().as_u16();
    let location = r
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = r.text().await.ok()?;
    Some((code, location, body))
}

/// Probe one master.
pub async fn master_view(client: &reqwest::Client, m: &DaemonRecord) -> MasterView {
    let base = m.url();
    let (metrics_url, redirect_url) = (
        format!("{base}/metrics/snapshot"),
        format!("{base}/master/redirect"),
    );
    let (metrics, redirect) = tokio::join!(get(client, &metrics_url), get(client, &redirect_url));
    let mut v = MasterView::default();
    if let Some((200, _, body)) = metrics {
        v.reachable = true;
        if let Ok(j) = serde_json::from_str::<Value>(&body) {
            v.elected = j["master/elected"].as_f64().map(|x| x >= 1.0);
            v.agents_active = j["master/slaves_active"].as_f64().map(|x| x as u64);
        }
    }
    if let Some((307, Some(loc), _)) = redirect {
        // `//host:port[/path]`
        let hp = loc.trim_start_matches("http:").trim_start_matches("https:");
        let hp = hp.trim_start_matches('/');
        let hp = hp.split('/').next().unwrap_or("");
        if !hp.is_empty() {
            v.redirect = Some(hp.to_string());
        }
    }
    v
}

/// Does `host:port` name this daemon (by address or host name)?
pub fn names(d: &DaemonRecord, host_port: &str) -> bool {
    match host_port.rsplit_once(':') {
        Some((h, p)) => p == d.port.to_string() && (h == d.ip || h == d.host),
        None => false,
    }
}

/// `ruok` → `imok` over TCP.
pub async fn zk_ruok(host: &str, port: u16, timeout: Duration) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let fut = async {
        let mut s = tokio::net::TcpStream::connect((host, port)).await.ok()?;
        s.write_all(b"ruok").await.ok()?;
        let mut out = Vec::new();
        s.read_to_end(&mut out).await.ok()?;
        Some(out)
    };
    matches!(tokio::time::timeout(timeout, fut).await, Ok(Some(b)) if b.starts_with(b"imok"))
}

/// Probe one `mesos marathon`: `/ping` and `/v2/leader` both 200.
pub async fn marathon_view(client: &reqwest::Client, m: &DaemonRecord) -> MarathonView {
    let base = m.url();
    let (ping_url, leader_url) = (format!("{base}/ping"), format!("{base}/v2/leader"));
    let (ping, leader) = tokio::join!(get(client, &ping_url), get(client, &leader_url));
    let mut v = MarathonView::default();
    if let (Some((200, _, _)), Some((200, _, body))) = (ping, leader) {
        v.serving = true;
        v.leader = serde_json::from_str::<crate::wire::marathon::LeaderInfo>(&body)
            .ok()
            .map(|l| l.leader);
    }
    v
}

/// Run one readiness check over HTTP (and `ruok` for ZooKeeper).
pub async fn check(state: &ClusterState, client: &reqwest::Client) -> Check {
    let masters: Vec<&DaemonRecord> = state.of_role(Role::Master).collect();
    let agents: Vec<&DaemonRecord> = state.of_role(Role::Agent).collect();
    let zks: Vec<&DaemonRecord> = state.of_role(Role::Zookeeper).collect();
    let marathons: Vec<&DaemonRecord> = state.of_role(Role::Marathon).collect();
    let mut c = Check::default();
    let views =
        futures_util::future::join_all(marathons.iter().map(|m| marathon_view(client, m))).await;
    for (m, v) in marathons.iter().zip(views) {
        c.marathons.push((m.name.clone(), v));
    }

    let zk_futs = zks
        .iter()
        .map(|z| zk_ruok(&z.ip, z.port, Duration::from_secs(1)));
    let master_futs = masters.iter().map(|m| master_view(client, m));
    let (zk_ok, views) = tokio::join!(
        futures_util::future::join_all(zk_futs),
        futures_util::future::join_all(master_futs)
    );
    for (z, ok) in zks.iter().zip(zk_ok) {
        if !ok {
            c.waiting_for
                .push(format!("{} to answer ruok on {}", z.name, z.address()));
        }
        c.zookeepers.push((z.name.clone(), ok));
    }
    for (m, v) in masters.iter().zip(views) {
        c.masters.push((m.name.clone(), v));
    }

    let leaders: Vec<&DaemonRecord> = masters
        .iter()
        .zip(&c.masters)
        .filter(|(_, (_, v))| v.elected == Some(true))
        .map(|(m, _)| *m)
        .collect();
    let leader = match leaders.as_slice() {
        [one] => Some(*one),
        [] => {
            let unreachable: Vec<&str> = c
                .masters
                .iter()
                .filter(|(_, v)| !v.reachable)
                .map(|(n, _)| n.as_str())
                .collect();
            if unreachable.len() == masters.len() {
                c.waiting_for.push(format!(
                    "{} to answer on HTTP",
                    if masters.len() == 1 {
                        masters[0].name.clone()
                    } else {
                        "the masters".into()
                    }
                ));
            } else {
                c.waiting_for.push("a leading master to be elected".into());
            }
            None
        }
        many => {
            let names: Vec<&str> = many.iter().map(|m| m.name.as_str()).collect();
            c.waiting_for.push(format!(
                "a single leader ({} all claim to lead)",
                names.join(", ")
            ));
            None
        }
    };
    if let Some(l) = leader {
        c.leader = Some(l.name.clone());
        for (m, (_, v)) in masters.iter().zip(&c.masters) {
            if m.name == l.name {
                continue;
            }
            match &v.redirect {
                Some(to) if names(l, to) => {}
                _ => c
                    .waiting_for
                    .push(format!("{} to follow the leader {}", m.name, l.name)),
            }
        }
        // Agents, as the leader sees them.
        let list: Vec<crate::wire::master::Agent> =
            match get(client, &format!("{}/master/slaves", l.url())).await {
                Some((200, _, body)) => {
                    serde_json::from_str::<crate::wire::master::SlavesResponse>(&body)
                        .map(|r| r.slaves)
                        .unwrap_or_default()
                }
                _ => Vec::new(),
            };
        for a in &agents {
            let want = format!("slave(1)@{}:{}", a.ip, a.port);
            let found = list.iter().find(|s| {
                s.pid == want
                    || (s.port == Some(a.port) && (s.hostname == a.ip || s.hostname == a.host))
            });
            let view = match found {
                Some(s) => AgentView {
                    registered: true,
                    active: s.active,
                    id: Some(s.id.clone()).filter(|id| !id.is_empty()),
                },
                None => AgentView::default(),
            };
            if !view.registered {
                c.waiting_for.push(format!("{} to register", a.name));
            } else if !view.active {
                c.waiting_for.push(format!("{} to become active", a.name));
            }
            c.agents.push((a.name.clone(), view));
        }
    } else {
        for a in &agents {
            c.agents.push((a.name.clone(), AgentView::default()));
        }
    }
    for (m, (_, v)) in marathons.iter().zip(&c.marathons) {
        if !v.serving {
            c.waiting_for.push(format!(
                "{} to answer /ping and /v2/leader on {}",
                m.name,
                m.address()
            ));
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_targets_match_by_ip_or_host_and_port() {
        let d = DaemonRecord {
            name: "master-1".into(),
            role: Role::Master,
            host: "node1".into(),
            ip: "10.0.0.1".into(),
            port: 5050,
            pid: 1,
            start_ticks: None,
            started_at: 0,
            work_dir: String::new(),
            log_dir: String::new(),
            log_file: String::new(),
            console_log: String::new(),
            args: vec![],
            ssh: None,
            tls: false,
            env: vec![],
        };
        assert!(names(&d, "10.0.0.1:5050"));
        assert!(names(&d, "node1:5050"));
        assert!(!names(&d, "10.0.0.1:5051"));
        assert!(!names(&d, "10.0.0.2:5050"));
        assert!(!names(&d, "garbage"));
    }
}
