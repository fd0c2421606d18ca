//! The master's frameworks with their tasks, as the commands that act on
//! frameworks (`teardown`, `kill`, `package uninstall`) need them, and
//! tearing one down.

use crate::error::{ErrorKind, Result};
use crate::http::HttpClient;
use crate::leader::Leader;
use crate::wire::call::TeardownCall;
use crate::wire::FrameworksResponse;
use reqwest::{header, Method, StatusCode};

/// `/master/frameworks` (`/master/state` on masters without it: both list
/// `frameworks` and `completed_frameworks`).
pub async fn master_frameworks(http: &HttpClient, leader: &Leader) -> Result<FrameworksResponse> {
    let url = leader.endpoint("/master/frameworks");
    match http.get_json::<FrameworksResponse>(&url).await {
        Err(e) if e.kind == ErrorKind::NotFound => {
            http.get_json(&leader.endpoint("/master/state")).await
        }
        other => other,
    }
}

/// Tear one framework down through the operator API (v1, else v0).
pub async fn teardown_framework(
    http: &HttpClient,
    leader: &Leader,
    framework_id: &str,
) -> Result<()> {
    let url = leader.endpoint("/api/v1");
    let media = crate::wire::proto::client_media();
    let call = crate::wire::proto::write(
        media,
        "mesos.v1.master.Call",
        &TeardownCall::new(framework_id),
    )
    .map_err(|e| crate::error::Error::failed(format!("{url}: {e}")))?;
    let rb = http
        .request(Method::POST, url.clone(), true)
        .header(header::CONTENT_TYPE, media.as_str())
        .header(header::ACCEPT, media.as_str())
        .body(call);
    let resp = http.send(rb, &url).await?;
    let status = resp.status();
    let body = resp.bytes().await.unwrap_or_default();
    if status.is_success() {
        return Ok(());
    }
    if !matches!(
        status,
        StatusCode::NOT_FOUND
            | StatusCode::METHOD_NOT_ALLOWED
            | StatusCode::NOT_IMPLEMENTED
            | StatusCode::UNSUPPORTED_MEDIA_TYPE
    ) {
        return Err(crate::http::status_error(&url, status, &body));
    }
    // Masters without the v1 operator API.
    let url = leader.endpoint("/master/teardown");
    let rb = http
        .request(Method::POST, url.clone(), true)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(format!("frameworkId={framework_id}"));
    let resp = http.send(rb, &url).await?;
    let status = resp.status();
    let body = resp.bytes().await.unwrap_or_default();
    if status.is_success() {
        Ok(())
    } else {
        Err(crate::http::status_error(&url, status, &body))
    }
}

/// What the task commands want of a framework they only know by id.
#[derive(serde::Deserialize, Default, Clone, Debug)]
pub struct FrameworkInfo {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub user: String,
}

/// Name and user of frameworks the task listing could not name (completed
/// frameworks are not in `/master/state-summary`, and the summary has no
/// users), from `/master/frameworks`, which keeps completed ones too. Asks
/// for each id (`?framework_id=`) when there are a few, for all frameworks
/// otherwise. A master that cannot answer leaves them unknown: names and
/// users are a nicety, never an error.
pub async fn infos_of(
    http: &HttpClient,
    leader: &Leader,
    ids: &[String],
) -> std::collections::HashMap<String, FrameworkInfo> {
    #[derive(serde::Deserialize, Default)]
    struct Frameworks {
        #[serde(default)]
        frameworks: Vec<FrameworkInfo>,
        #[serde(default)]
        completed_frameworks: Vec<FrameworkInfo>,
    }
    let mut out = std::collections::HashMap::new();
    if ids.is_empty() {
        return out;
    }
    let urls: Vec<reqwest::Url> = if ids.len() <= 4 {
        ids.iter()
            .map(|id| {
                let mut u = leader.endpoint("/master/frameworks");
                u.query_pairs_mut().append_pair("framework_id", id);
                u
            })
            .collect()
    } else {
        vec![leader.endpoint("/master/frameworks")]
    };
    let answers =
        futures_util::future::join_all(urls.iter().map(|u| http.get_json::<Frameworks>(u))).await;
    for f in answers.into_iter().flatten() {
        for n in f.frameworks.into_iter().chain(f.completed_frameworks) {
            if ids.contains(&n.id) {
                out.insert(n.id.clone(), n);
            }
        }
    }
    out
}

/// One line per agent and role with resources reserved for one of `roles`
/// (`*` is not a reservation).
pub fn reservations(agents: &crate::wire::SlavesResponse, roles: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for agent in &agents.slaves {
        for role in roles.iter().filter(|r| r.as_str() != "*") {
            let full = agent
                .reserved_resources_full
                .as_ref()
                .and_then(|m| m.get(role))
                .and_then(|v| serde_json::from_value::<Vec<crate::wire::Resource>>(v.clone()).ok());
            let (summary, volumes) = match full {
                Some(list) => {
                    let volumes = list
                        .iter()
                        .filter(|r| {
                            r.disk
                                .as_ref()
                                .is_some_and(|d| d.get("persistence").is_some())
                        })
                        .count();
                    (crate::wire::ResourceSummary::from_resources(&list), volumes)
                }
                None => match agent.reserved_resources.get(role) {
                    Some(s) => (s.clone(), 0),
                    None => continue,
                },
            };
            if summary.is_empty() {
                continue;
            }
            let mut line = format!(
                "agent {} ({}): {} reserved for role '{role}'",
                agent.id,
                agent.hostname,
                summary_text(&summary)
            );
            if volumes > 0 {
                line.push_str(&format!(
                    ", {volumes} persistent volume{}",
                    if volumes == 1 { "" } else { "s" }
                ));
            }
            out.push(line);
        }
    }
    out
}

/// `cpus:1;mem:128;disk:0.5;ports:[31000-31001]` (zero scalars left out).
fn summary_text(s: &crate::wire::ResourceSummary) -> String {
    let num = |x: f64| {
        if x.fract() == 0.0 {
            format!("{}", x as i64)
        } else {
            format!("{x}")
        }
    };
    let mut parts = Vec::new();
    for (name, v) in [
        ("cpus", s.cpus),
        ("mem", s.mem),
        ("disk", s.disk),
        ("gpus", s.gpus),
    ] {
        if v != 0.0 {
            parts.push(format!("{name}:{}", num(v)));
        }
    }
    if let Some(p) = s.ports.as_deref().filter(|p| !p.is_empty() && *p != "[]") {
        parts.push(format!("ports:{p}"));
    }
    for (name, v) in &s.other {
        match v {
            serde_json::Value::Number(n) if n.as_f64() == Some(0.0) => {}
            serde_json::Value::Number(n) => {
                parts.push(format!("{name}:{}", num(n.as_f64().unwrap_or(0.0))))
            }
            serde_json::Value::String(t) => parts.push(format!("{name}:{t}")),
            other => parts.push(format!("{name}:{other}")),
        }
    }
    parts.join(";")
}

/// How long one agent's `/flags` or one download URL may take to answer
/// the package manager's requirement checks.
pub const CHECK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Each active agent's verdict on running a Docker image with `kind`, from
/// its `/slave(1)/flags` read concurrently ([`CHECK_TIMEOUT`] each): `None`
/// when the flags could not be read, else [`crate::execute::docker_verdict`].
pub async fn docker_verdicts(
    http: &HttpClient,
    leader: &Leader,
    kind: crate::execute::spec::Containerizer,
) -> Result<Vec<Option<std::result::Result<(), String>>>> {
    let agents: crate::wire::SlavesResponse =
        http.get_json(&leader.endpoint("/master/slaves")).await?;
    let asks = agents.slaves.iter().filter(|a| a.active).map(|a| {
        let base = crate::tasks::agent_base(&leader.url, &a.id, a.address().as_deref());
        async move {
            let url = crate::leader::endpoint(&base?, "/slave(1)/flags");
            let rb = http
                .request(Method::GET, url.clone(), true)
                .timeout(CHECK_TIMEOUT);
            let resp = http.send(rb, &url).await.ok()?;
            if !resp.status().is_success() {
                return None;
            }
            let flags: crate::wire::endpoints::FlagsResponse = resp.json().await.ok()?;
            Some(crate::execute::docker_verdict(kind, &flags.flags))
        }
    });
    Ok(futures_util::future::join_all(asks).await)
}

/// Whether a URL answers a HEAD (a GET of its first byte when HEAD is not
/// allowed) with a success within [`CHECK_TIMEOUT`]; the cause when not.
pub async fn url_reachable(http: &HttpClient, url: &str) -> std::result::Result<(), String> {
    let u = reqwest::Url::parse(url).map_err(|e| format!("not a URL: {e}"))?;
    let head = http
        .request(Method::HEAD, u.clone(), true)
        .timeout(CHECK_TIMEOUT);
    let status = http.send(head, &u).await.map_err(|e| e.message)?.status();
    let status = if status == StatusCode::METHOD_NOT_ALLOWED || status == StatusCode::FORBIDDEN {
        let get = http
            .request(Method::GET, u.clone(), true)
            .header(header::RANGE, "bytes=0-0")
            .timeout(CHECK_TIMEOUT);
        http.send(get, &u).await.map_err(|e| e.message)?.status()
    } else {
        status
    };
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("HTTP {status}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::SlavesResponse;
    use serde_json::json;

    #[test]
    fn leftovers_name_agent_role_and_resources() {
        let agents: SlavesResponse = serde_json::from_value(json!({"slaves": [
            {"id": "a1", "hostname": "h1",
             "reserved_resources": {"kafka": {"cpus": 9, "mem": 9}},
             "reserved_resources_full": {"kafka": [
                {"name": "cpus", "type": "SCALAR", "scalar": {"value": 1}, "role": "kafka"},
                {"name": "mem", "type": "SCALAR", "scalar": {"value": 128}, "role": "kafka"},
                {"name": "disk", "type": "SCALAR", "scalar": {"value": 64}, "role": "kafka",
                 "disk": {"persistence": {"id": "v1"}, "volume": {"container_path": "data", "mode": "RW"}}}
             ], "other": [
                {"name": "cpus", "type": "SCALAR", "scalar": {"value": 2}, "role": "other"}]}},
            {"id": "a2", "hostname": "h2",
             "reserved_resources": {"kafka": {"cpus": 0.5, "mem": 0, "disk": 0, "gpus": 0}}},
            {"id": "a3", "hostname": "h3", "reserved_resources": {}}
        ]}))
        .unwrap();
        assert_eq!(
            reservations(&agents, &["kafka".to_string(), "*".to_string()]),
            [
                "agent a1 (h1): cpus:1;mem:128;disk:64 reserved for role 'kafka', 1 persistent volume",
                "agent a2 (h2): cpus:0.5 reserved for role 'kafka'",
            ]
        );
        assert!(reservations(&agents, &["nobody".to_string()]).is_empty());
    }
}
