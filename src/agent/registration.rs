//! Finding the master, registering, pinging (docs/internal-protocol.md).
//!
//! `--master` is resolved every round: host lists are tried in order,
//! `zk://` asks ZooKeeper for the leader, `file://` is read again. A `307`
//! (protocol-relative `Location: //host:port`) is followed; `503`, errors and
//! unreachable masters mean another round with backoff. Once registered the
//! agent pings every `ping_interval_secs`; a `404` makes it re-register
//! (with its id and running tasks), a `307`/`503` or repeated failures make
//! it look for the leader again.

use std::sync::Arc;
use std::time::Duration;

use reqwest::{header, Method, StatusCode};

use super::config::MESOS_VERSION;
use super::core::Agent;
use super::model::{capabilities, Registration};
use super::paths::{symlink_atomic, write_atomic};
use super::render;
use crate::daemon::proto::{self, Ping, RegisterRequest, RegisterResponse};
use crate::leader::spec::{parse_master_spec, MasterSpec};
use crate::resources::attributes_to_wire;
use crate::wire::agent_v1::Id;

/// Pings in a row that may fail before the agent looks for a master again.
const MAX_PING_FAILURES: u32 = 3;
const MIN_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(10);
/// With `--master=zk://...` a round is one ZooKeeper read, and a failover
/// elects a new leader at an unknown moment: look again at least this
/// often, so the agent re-registers soon after the election (a Mesos agent
/// watches ZooKeeper and re-registers at once).
const MAX_BACKOFF_ZK: Duration = Duration::from_secs(1);

/// Wake the registration loop (e.g. the master answered 404 to an update).
pub fn nudge(agent: &Agent) {
    agent.nudge_registration();
}

enum RegError {
    Redirect(String),
    Failed(String),
}

enum PingOutcome {
    Reregister,
    Redirect(String),
    LookAgain,
}

/// The registration loop; runs for the agent's lifetime.
pub async fn run(agent: Arc<Agent>) {
    let mut backoff = MIN_BACKOFF;
    let mut redirect: Option<String> = None;
    let mut redirects = 0u32;
    let mut failures = 0u64;
    // The token of the last registration: presenting it on re-registration
    // with the same master keeps it valid for calls in flight.
    let mut last_token: Option<proto::session::Token> = None;
    let max_backoff = if agent
        .cfg
        .master
        .trim()
        .to_ascii_lowercase()
        .starts_with("zk://")
    {
        MAX_BACKOFF_ZK
    } else {
        MAX_BACKOFF
    };
    loop {
        if agent.is_shutting_down() {
            return;
        }
        let candidates = match redirect.take() {
            Some(r) => vec![r],
            None => match candidates(&agent).await {
                Ok(c) => c,
                Err(e) => {
                    if failures % 20 == 0 {
                        crate::warning!("Cannot find the master: {e}");
                    }
                    failures += 1;
                    wait(&agent, backoff).await;
                    backoff = (backoff * 2).min(max_backoff);
                    continue;
                }
            },
        };
        let mut registered = false;
        for addr in candidates {
            match register(&agent, &addr, last_token.as_ref()).await {
                Ok(resp) => {
                    let token = proto::session::Token::from_wire(resp.session_token.clone());
                    last_token = Some(token.clone());
                    on_registered(&agent, &addr, &resp, token.clone());
                    registered = true;
                    failures = 0;
                    backoff = MIN_BACKOFF;
                    redirects = 0;
                    let interval =
                        Duration::from_secs_f64(resp.ping_interval_secs.clamp(0.05, 60.0));
                    let outcome = ping_loop(&agent, &addr, &resp.agent_id, &token, interval).await;
                    agent.registration.send_replace(None);
                    match outcome {
                        PingOutcome::Redirect(to) => redirect = Some(to),
                        PingOutcome::Reregister => {
                            crate::info!(
                                "Master {addr} does not know this agent any more; re-registering"
                            );
                            redirect = Some(addr.clone());
                        }
                        PingOutcome::LookAgain => {
                            crate::warning!(
                                "Lost the master {addr}; looking for the leading master"
                            );
                        }
                    }
                    break;
                }
                Err(RegError::Redirect(to)) => {
                    redirects += 1;
                    if redirects <= 5 {
                        redirect = Some(to);
                        registered = true; // try the target right away
                    }
                    break;
                }
                Err(RegError::Failed(e)) => {
                    if failures % 20 == 0 {
                        crate::warning!("Failed to register with master {addr}: {e}; retrying");
                    }
                    failures += 1;
                }
            }
        }
        if !registered {
            redirects = 0;
            wait(&agent, backoff).await;
            backoff = (backoff * 2).min(max_backoff);
        }
    }
}

async fn wait(agent: &Agent, d: Duration) {
    tokio::select! {
        _ = tokio::time::sleep(d) => {}
        _ = agent.nudge.notified() => {}
    }
}

/// `host:port` candidates for the master, from `--master`.
async fn candidates(agent: &Agent) -> Result<Vec<String>, String> {
    let mut spec_text = agent.cfg.master.clone();
    for _ in 0..3 {
        match parse_master_spec(&spec_text, "http").map_err(|e| e.message)? {
            MasterSpec::Hosts(urls) => {
                return Ok(urls
                    .iter()
                    .filter_map(|u| {
                        Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?))
                    })
                    .collect())
            }
            MasterSpec::Zk(zk) => {
                let timeout = agent
                    .cfg
                    .flags
                    .duration("zk_session_timeout")
                    .unwrap_or(Duration::from_secs(10));
                let leader = crate::leader::zk::resolve_zk(&zk, timeout)
                    .await
                    .map_err(|e| e.message)?;
                let host = leader
                    .info
                    .connect_host()
                    .ok_or_else(|| format!("leader {} has no address", leader.znode))?;
                let port = leader
                    .info
                    .port_number()
                    .ok_or_else(|| format!("leader {} has no port", leader.znode))?;
                return Ok(vec![format!("{host}:{port}")]);
            }
            MasterSpec::File(path) => {
                spec_text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?
                    .trim()
                    .to_string();
            }
        }
    }
    Err("--master files refer to each other".into())
}

/// `host:port` from a `Location` header (`//h:p/...` or `http://h:p/...`).
pub fn location_addr(loc: &str) -> Option<String> {
    let rest = loc
        .strip_prefix("//")
        .or_else(|| loc.split_once("://").map(|(_, r)| r))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() {
        return None;
    }
    Some(if authority.contains(':') {
        authority.to_string()
    } else {
        format!("{authority}:5050")
    })
}

/// POST a JSON body of the internal protocol to the master the agent is
/// registered with (with the session token), retried while no master
/// accepts it, for up to `attempts` rounds (about a second apart, waiting
/// for a registration in between). True once a master answered 2xx.
pub async fn post_master<T: serde::Serialize>(
    agent: &Agent,
    path: &str,
    body: &T,
    attempts: u32,
) -> bool {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    for i in 0..attempts.max(1) {
        if agent.is_shutting_down() {
            return false;
        }
        if i > 0 {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        let Ok(reg) = tokio::time::timeout(Duration::from_secs(5), agent.wait_registered()).await
        else {
            continue;
        };
        let Some(u) = url(&reg.master, path) else {
            return false;
        };
        let rb = agent
            .client
            .request(Method::POST, u, false)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, reg.token.header_value())
            .body(bytes.clone());
        match rb.send().await {
            Ok(r) if r.status().is_success() => return true,
            Ok(r) => {
                crate::warning!("The master answered {} to {path}", r.status());
                if r.status() == StatusCode::NOT_FOUND && i > 0 {
                    // An older master without this call.
                    return false;
                }
                nudge(agent);
            }
            Err(e) => crate::warning!("Failed to post {path} to the master: {e}"),
        }
    }
    false
}

fn url(addr: &str, path: &str) -> Option<reqwest::Url> {
    let scheme = crate::daemon::tls::scheme();
    reqwest::Url::parse(&format!("{scheme}://{addr}{path}")).ok()
}

fn register_request(agent: &Agent) -> RegisterRequest {
    let st = agent.lock();
    let mut tasks = Vec::new();
    let mut frameworks = Vec::new();
    let mut executors = Vec::new();
    for f in st.frameworks.values() {
        let mut any = false;
        for e in f.executors.values() {
            if e.is_custom() && e.is_live() {
                executors.push(e.info.clone());
                any = true;
            }
            for t in e.tasks() {
                if !t.state.is_terminal() || !t.terminal_acked {
                    tasks.push(render::task_v1_of(e, t));
                    any = true;
                }
            }
        }
        if any {
            frameworks.push(f.info.clone());
        }
    }
    RegisterRequest {
        agent_id: st.agent_id.clone(),
        hostname: agent.cfg.hostname.clone(),
        ip: agent.cfg.advertise_ip.clone(),
        port: agent.cfg.advertise_port,
        resources: agent.cfg.resources.to_wire(None),
        attributes: attributes_to_wire(&agent.cfg.attributes),
        version: MESOS_VERSION.to_string(),
        capabilities: capabilities().into_iter().map(str::to_string).collect(),
        tasks,
        frameworks,
        executors,
        credential: agent.cfg.credential.clone(),
    }
}

async fn register(
    agent: &Agent,
    addr: &str,
    last_token: Option<&proto::session::Token>,
) -> Result<RegisterResponse, RegError> {
    let body = register_request(agent);
    let u = url(addr, proto::paths::REGISTER)
        .ok_or_else(|| RegError::Failed(format!("bad address '{addr}'")))?;
    let mut rb = agent
        .client
        .request(Method::POST, u, false)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json");
    if let Some(t) = last_token {
        rb = rb.header(header::AUTHORIZATION, t.header_value());
    }
    let resp = rb
        .body(serde_json::to_vec(&body).unwrap_or_default())
        .send()
        .await
        .map_err(|e| RegError::Failed(crate::http::root_cause(&e)))?;
    let status = resp.status();
    if status == StatusCode::TEMPORARY_REDIRECT || status.is_redirection() {
        let loc = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(location_addr);
        return match loc {
            Some(to) if to != addr => {
                crate::info!("Master {addr} is not the leader; following the redirect to {to}");
                Err(RegError::Redirect(to))
            }
            _ => Err(RegError::Failed(format!(
                "{status} without a usable Location"
            ))),
        };
    }
    let bytes = resp
        .bytes()
        .await
        .map_err(|e| RegError::Failed(e.to_string()))?;
    if !status.is_success() {
        let text = String::from_utf8_lossy(&bytes);
        return Err(RegError::Failed(format!("{status} {}", text.trim())));
    }
    let resp = serde_json::from_slice::<RegisterResponse>(&bytes)
        .map_err(|e| RegError::Failed(format!("bad RegisterResponse: {e}")))?;
    // The id names the agent's directories: never take an invalid one.
    crate::daemon::ids::validate_id("Agent ID", &resp.agent_id)
        .map_err(|e| RegError::Failed(format!("bad RegisterResponse: {e}")))?;
    Ok(resp)
}

fn on_registered(agent: &Agent, addr: &str, resp: &RegisterResponse, token: proto::session::Token) {
    // First of all: the master may call as soon as it has answered.
    agent.set_master_token(token.clone());
    let info = &resp.master_info;
    let master_pid = info.pid.clone().unwrap_or_else(|| format!("master@{addr}"));
    let master_hostname = info
        .address
        .as_ref()
        .and_then(|a| a.hostname.clone())
        .or_else(|| info.hostname.clone())
        .filter(|h| !h.is_empty())
        .or_else(|| crate::wire::master_info::parse_pid(&master_pid).map(|(h, _)| h));
    let previous = {
        let mut st = agent.lock();
        let prev = st.agent_id.replace(resp.agent_id.clone());
        st.master_hostname = master_hostname;
        st.master_info = Some(resp.master_info.clone());
        prev
    };
    match &previous {
        Some(p) if *p == resp.agent_id => crate::info!(
            "Re-registered with master {master_pid} as agent {}",
            resp.agent_id
        ),
        Some(p) => crate::warning!(
            "Registered with master {master_pid}; the agent ID changed from {p} to {}",
            resp.agent_id
        ),
        None => crate::info!(
            "Registered with master {master_pid}; given agent ID {}",
            resp.agent_id
        ),
    }
    if let Err(e) = checkpoint_agent(agent, &resp.agent_id) {
        crate::warning!("Failed to checkpoint the agent info: {e}");
    }
    agent.registration.send_replace(Some(Registration {
        agent_id: resp.agent_id.clone(),
        master: addr.to_string(),
        token,
    }));
    agent.status.kick_all();
}

fn checkpoint_agent(agent: &Agent, id: &str) -> std::io::Result<()> {
    let work = &agent.cfg.work_dir;
    std::fs::create_dir_all(agent.agent_dir(id).map_err(std::io::Error::other)?)?;
    symlink_atomic(
        std::path::Path::new(id),
        &work.join("slaves").join("latest"),
    )?;
    let meta = agent.meta_agent_dir(id).map_err(std::io::Error::other)?;
    let mut info = render::agent_info_v1(agent);
    info.id = Some(Id::new(id));
    let bytes = serde_json::to_vec(&info).map_err(std::io::Error::other)?;
    write_atomic(&meta.join("slave.info"), &bytes)?;
    // Recovery after a reboot starts afresh (executors do not survive it).
    if let Some(boot) = super::sysres::current_boot_id() {
        write_atomic(&work.join("meta").join("boot_id"), boot.as_bytes())?;
    }
    symlink_atomic(
        std::path::Path::new(id),
        &work.join("meta").join("slaves").join("latest"),
    )
}

async fn ping_loop(
    agent: &Agent,
    addr: &str,
    agent_id: &str,
    token: &proto::session::Token,
    interval: Duration,
) -> PingOutcome {
    let mut failures = 0;
    let Some(u) = url(addr, proto::paths::PING) else {
        return PingOutcome::LookAgain;
    };
    let body = serde_json::to_vec(&Ping {
        agent_id: agent_id.to_string(),
    })
    .unwrap_or_default();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = agent.nudge.notified() => {}
        }
        if agent.is_shutting_down() {
            return PingOutcome::LookAgain;
        }
        let r = agent
            .client
            .request(Method::POST, u.clone(), false)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, token.header_value())
            .body(body.clone())
            .send()
            .await;
        match r {
            Ok(r) if r.status().is_success() => failures = 0,
            // Unknown agent, or the master no longer accepts our token.
            Ok(r)
                if r.status() == StatusCode::NOT_FOUND
                    || r.status() == StatusCode::FORBIDDEN
                    || r.status() == StatusCode::UNAUTHORIZED =>
            {
                return PingOutcome::Reregister
            }
            Ok(r) if r.status().is_redirection() => {
                let to = r
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(location_addr);
                return match to {
                    Some(to) => PingOutcome::Redirect(to),
                    None => PingOutcome::LookAgain,
                };
            }
            Ok(r) if r.status() == StatusCode::SERVICE_UNAVAILABLE => {
                return PingOutcome::LookAgain
            }
            Ok(_) | Err(_) => {
                failures += 1;
                if failures >= MAX_PING_FAILURES {
                    return PingOutcome::LookAgain;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        assert_eq!(
            location_addr("//10.0.0.1:5050").as_deref(),
            Some("10.0.0.1:5050")
        );
        assert_eq!(
            location_addr("//m1:5050/master/redirect").as_deref(),
            Some("m1:5050")
        );
        assert_eq!(location_addr("http://m1/x").as_deref(), Some("m1:5050"));
        assert_eq!(location_addr("/relative"), None);
    }
}
