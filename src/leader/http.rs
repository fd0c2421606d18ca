//! Leader resolution over HTTP: ask every given master who leads
//! (`/master/redirect`, following protocol-relative 307s), concurrently.

use std::time::Duration;

use futures_util::stream::{FuturesUnordered, StreamExt};
use reqwest::{header, Method, StatusCode, Url};
use serde::Deserialize;

use super::{display_address, endpoint, Leader, LeaderError};
use crate::error::{excerpt, ErrorKind, Result};
use crate::http::{transport_error, HttpClient};
use crate::wire::MasterInfo;

/// Outcome of asking one master.
enum Probe {
    Leader(Box<Leader>),
    /// Answered, but knows no leader (503).
    NoLeader(String),
}

/// Ask each URL who leads; the first that names a leader wins.
pub async fn resolve_hosts(urls: &[Url], http: &HttpClient, timeout: Duration) -> Result<Leader> {
    let mut pending: FuturesUnordered<_> = urls
        .iter()
        .enumerate()
        .map(|(i, u)| async move {
            let r = match tokio::time::timeout(timeout, probe(u, urls, http)).await {
                Ok(r) => r,
                Err(_) => Err(LeaderError::NoAnswerWithin(timeout).into()),
            };
            (i, r)
        })
        .collect();
    let mut failures: Vec<(usize, String, ErrorKind)> = Vec::new();
    while let Some((i, r)) = pending.next().await {
        match r {
            Ok(Probe::Leader(l)) => return Ok(*l),
            Ok(Probe::NoLeader(why)) => failures.push((i, why, ErrorKind::Failed)),
            Err(e) => failures.push((i, e.message, e.kind)),
        }
    }
    failures.sort_by_key(|(i, _, _)| *i);
    let all_timed_out = failures.iter().all(|(_, _, k)| *k == ErrorKind::Timeout);
    let detail = failures
        .iter()
        .map(|(i, why, _)| {
            // Transport and status errors already name the URL they asked.
            if why.starts_with(urls[*i].as_str().trim_end_matches('/')) {
                why.clone()
            } else {
                format!("{}: {why}", display_address(&urls[*i]))
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let masters = urls.len();
    Err(if all_timed_out {
        LeaderError::AllTimedOut { masters, detail }
    } else {
        LeaderError::NoLeadingMaster { masters, detail }
    }
    .into())
}

async fn probe(base: &Url, all: &[Url], http: &HttpClient) -> Result<Probe> {
    let url = endpoint(base, "/master/redirect");
    let resp = http
        .send(http.request(Method::GET, url.clone(), false), &url)
        .await?;
    let status = resp.status();
    if status.is_redirection() {
        let loc = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        return Ok(Probe::Leader(Box::new(leader_from_location(
            base, all, &loc,
        )?)));
    }
    let body = resp
        .bytes()
        .await
        .map_err(|e| transport_error(&url, &e, http.timeout))?;
    match status {
        StatusCode::SERVICE_UNAVAILABLE => Ok(Probe::NoLeader(format!(
            "standby, no leader elected yet: HTTP 503 {}",
            excerpt(&body, 80)
        ))),
        // A proxy (DC/OS admin router) may follow the redirect itself.
        s if s.is_success() => Ok(Probe::Leader(Box::new(Leader {
            leader: display_address(base),
            hostname: base.host_str().map(str::to_string),
            ip: ip_of(base.host_str().unwrap_or_default()),
            port: base.port_or_known_default().unwrap_or(5050),
            id: None,
            version: None,
            via: format!("{base} answered /master/redirect directly"),
            url: base.clone(),
        }))),
        // Very old masters have no /master/redirect: read `leader` from state.
        StatusCode::NOT_FOUND => legacy_state_leader(base, all, http)
            .await
            .map(|l| Probe::Leader(Box::new(l))),
        s => Err(crate::http::status_error(&url, s, &body)),
    }
}

/// Build the leader from a redirect `Location` (`//host:port`, possibly
/// with a scheme or path).
fn leader_from_location(base: &Url, all: &[Url], location: &str) -> Result<Leader, LeaderError> {
    if location.is_empty() {
        return Err(LeaderError::RedirectWithoutLocation {
            url: endpoint(base, "/master/redirect").to_string(),
        });
    }
    let absolute = if location.starts_with("//") {
        format!("{}:{location}", base.scheme())
    } else {
        location.to_string()
    };
    let loc = Url::parse(&absolute)
        .or_else(|_| base.join(location))
        .map_err(|e| LeaderError::BadRedirect {
            base: base.to_string(),
            location: location.to_string(),
            cause: e.to_string(),
        })?;
    let host = loc.host_str().unwrap_or_default().to_string();
    let port = loc.port_or_known_default().unwrap_or(5050);
    let prefix = base.path().trim_end_matches('/');
    // Behind a path prefix (DC/OS `/mesos`) the proxy routes to the leader:
    // keep talking to the proxy.
    let url = if !prefix.is_empty() {
        base.clone()
    } else if let Some(known) = all
        .iter()
        .find(|u| u.host_str() == Some(host.as_str()) && u.port_or_known_default() == Some(port))
    {
        known.clone()
    } else {
        let mut u = base.clone();
        u.set_host(Some(&host))
            .map_err(|e| LeaderError::BadRedirectHost {
                base: base.to_string(),
                host: host.clone(),
                cause: e.to_string(),
            })?;
        let _ = u.set_port(Some(port));
        u
    };
    let via = if url.host_str() == base.host_str() && url.port() == base.port() {
        format!("{} (leader)", display_address(base))
    } else {
        format!("redirect from {}", display_address(base))
    };
    Ok(Leader {
        leader: display_address(&url),
        hostname: Some(host.clone()),
        ip: ip_of(&host),
        port,
        id: None,
        version: None,
        via,
        url,
    })
}

fn ip_of(host: &str) -> Option<String> {
    host.trim_matches(['[', ']'])
        .parse::<std::net::IpAddr>()
        .ok()
        .map(|ip| ip.to_string())
}

#[derive(Deserialize)]
struct LegacyState {
    #[serde(default)]
    leader: Option<String>,
}

async fn legacy_state_leader(base: &Url, all: &[Url], http: &HttpClient) -> Result<Leader> {
    let mut last = None;
    for path in ["/master/state", "/master/state.json"] {
        let url = endpoint(base, path);
        match http.get_json::<LegacyState>(&url).await {
            Ok(st) => {
                let pid = st.leader.filter(|l| !l.is_empty()).ok_or_else(|| {
                    LeaderError::StateNamesNoLeader {
                        url: url.to_string(),
                    }
                })?;
                let (host, port) = crate::wire::master_info::parse_pid(&pid).ok_or_else(|| {
                    LeaderError::BadLeaderPid {
                        url: url.to_string(),
                        pid: pid.clone(),
                    }
                })?;
                let mut l = leader_from_location(base, all, &format!("//{host}:{port}"))?;
                l.via = format!("leader field of {url}");
                return Ok(l);
            }
            Err(e) if e.kind == ErrorKind::NotFound => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| LeaderError::NotAMaster(base.to_string()).into()))
}

/// Fill in id, version and address of a resolved leader: v1 `GET_MASTER`,
/// falling back to `/master/state` for masters without the v1 API.
pub async fn describe(leader: &mut Leader, http: &HttpClient) -> Result<()> {
    #[derive(Deserialize)]
    struct GetMaster {
        master_info: MasterInfo,
    }
    #[derive(Deserialize)]
    struct Resp {
        get_master: GetMaster,
    }
    let api = leader.endpoint("/api/v1");
    let info = match http
        .post_json::<Resp>(
            &api,
            &crate::wire::call::PlainCall::new(crate::wire::call::CallType::GetMaster),
        )
        .await
    {
        Ok(r) => r.get_master.master_info,
        Err(_) => {
            #[derive(Deserialize)]
            struct St {
                id: Option<String>,
                version: Option<String>,
                pid: Option<String>,
                hostname: Option<String>,
            }
            let mut found = None;
            let mut last_err = None;
            for path in ["/master/state", "/master/state.json"] {
                match http.get_json::<St>(&leader.endpoint(path)).await {
                    Ok(s) => {
                        found = Some(s);
                        break;
                    }
                    Err(e) => last_err = Some(e),
                }
            }
            let s = found.ok_or_else(|| last_err.unwrap_or_else(|| LeaderError::NoState.into()))?;
            MasterInfo {
                id: s.id,
                version: s.version,
                pid: s.pid,
                hostname: s.hostname,
                ..Default::default()
            }
        }
    };
    if info.id.is_some() {
        leader.id = info.id.clone();
    }
    if info.version.is_some() {
        leader.version = info.version.clone();
    }
    if let Some(h) = info.hostname_string() {
        leader.hostname = Some(h);
    }
    if let Some(ip) = info.ip_string() {
        leader.ip = Some(ip);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_relative_location_keeps_scheme() {
        let base = Url::parse("https://m2:5050").unwrap();
        let l = leader_from_location(&base, std::slice::from_ref(&base), "//m1.example.net:5050")
            .unwrap();
        assert_eq!(l.url.as_str(), "https://m1.example.net:5050/");
        assert_eq!(l.leader, "https://m1.example.net:5050");
        assert_eq!(l.hostname.as_deref(), Some("m1.example.net"));
        assert_eq!(l.via, "redirect from https://m2:5050");
    }

    #[test]
    fn prefix_is_kept_behind_a_proxy() {
        let base = Url::parse("https://cluster.example.com/mesos").unwrap();
        let l =
            leader_from_location(&base, std::slice::from_ref(&base), "//10.0.0.5:5050").unwrap();
        assert_eq!(l.url.as_str(), "https://cluster.example.com/mesos");
        assert_eq!(l.port, 5050);
        assert_eq!(l.ip.as_deref(), Some("10.0.0.5"));
    }
}
