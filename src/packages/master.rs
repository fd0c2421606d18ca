//! What uninstall asks of the leading Mesos master, over its HTTP API:
//! active frameworks by name (`GET /master/frameworks`), teardown
//! (`POST /master/teardown`) and what a torn-down framework leaves behind
//! (reservations and persistent volumes for its roles, from `GET
//! /master/slaves`). Shared by the CLI's local package manager and the
//! Cosmos API of `mesos marathon`; callers find the leader.

use std::collections::BTreeMap;

use reqwest::{Method, Url};

use super::cosmos::CosmosError;
use super::service::FrameworkRef;
use crate::http::HttpClient;
use crate::wire::master::{FrameworksResponse, SlavesResponse};
use crate::wire::resources::{format_number, Resource};

/// `ServiceUnavailable` (503) naming Mesos and why.
pub fn mesos_unavailable(why: impl std::fmt::Display) -> CosmosError {
    CosmosError::new(
        "ServiceUnavailable",
        503,
        format!("Unable to complete request due to service [mesos] unavailability: {why}"),
    )
}

/// Active frameworks (`frameworks[]`, not `completed_frameworks`) named
/// `name`.
pub async fn frameworks_named(
    http: &HttpClient,
    leader: &Url,
    name: &str,
) -> Result<Vec<FrameworkRef>, CosmosError> {
    let url = crate::leader::endpoint(leader, "/master/frameworks");
    let resp: FrameworksResponse = http
        .get_json(&url)
        .await
        .map_err(|e| mesos_unavailable(&e.message))?;
    Ok(resp
        .frameworks
        .iter()
        .filter(|f| f.name == name)
        .map(|f| FrameworkRef {
            id: f.id.clone(),
            name: f.name.clone(),
            roles: f.roles().into_iter().map(str::to_string).collect(),
        })
        .collect())
}

/// `POST /master/teardown` with `frameworkId=<id>`. Mesos unreachable or
/// refusing → `IncompleteUninstall` (503).
pub async fn teardown(http: &HttpClient, leader: &Url, id: &str) -> Result<(), CosmosError> {
    let url = crate::leader::endpoint(leader, "/master/teardown");
    let incomplete = |why: String| {
        CosmosError::new(
            "IncompleteUninstall",
            503,
            format!("Incomplete uninstall: cannot tear down framework {id}: {why}"),
        )
    };
    let body = serde_urlencoded::to_string([("frameworkId", id)])
        .map_err(|e| incomplete(e.to_string()))?;
    let rb = http
        .request(Method::POST, url.clone(), true)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(body);
    let resp = http
        .send(rb, &url)
        .await
        .map_err(|e| incomplete(e.message))?;
    let status = resp.status();
    if status.is_success() {
        return Ok(());
    }
    let text = resp.text().await.unwrap_or_default();
    Err(incomplete(format!(
        "{url} answered {status}: {}",
        text.trim().chars().take(200).collect::<String>()
    )))
}

/// What `framework` leaves behind: per agent and role of the framework
/// (but `*`), the reserved resources, one line each ("agent S1 (host):
/// cpus:1;mem:128;disk:100 (persistent volume v1) reserved for role
/// 'kafka'").
pub async fn leftovers(
    http: &HttpClient,
    leader: &Url,
    framework: &FrameworkRef,
) -> Result<Vec<String>, CosmosError> {
    let url = crate::leader::endpoint(leader, "/master/slaves");
    let resp: SlavesResponse = http
        .get_json(&url)
        .await
        .map_err(|e| mesos_unavailable(&e.message))?;
    let mut lines = Vec::new();
    for agent in &resp.slaves {
        let Some(full) = &agent.reserved_resources_full else {
            continue;
        };
        let by_role: BTreeMap<String, Vec<Resource>> =
            serde_json::from_value(full.clone()).unwrap_or_default();
        for (role, resources) in by_role {
            if role == "*" || !framework.roles.iter().any(|r| *r == role) {
                continue;
            }
            let parts: Vec<String> = resources.iter().map(describe).collect();
            if parts.is_empty() {
                continue;
            }
            lines.push(format!(
                "agent {} ({}): {} reserved for role '{role}'",
                agent.id,
                agent.hostname,
                parts.join(";")
            ));
        }
    }
    Ok(lines)
}

/// `cpus:1`, `ports:[31000-31001]`, `disk:100 (persistent volume v1)`.
fn describe(r: &Resource) -> String {
    let value = if let Some(s) = &r.scalar {
        format_number(s.value)
    } else if let Some(rs) = &r.ranges {
        let parts: Vec<String> = rs
            .range
            .iter()
            .map(|x| format!("{}-{}", x.begin, x.end))
            .collect();
        format!("[{}]", parts.join(","))
    } else if let Some(set) = &r.set {
        format!("{{{}}}", set.item.join(","))
    } else {
        "?".to_string()
    };
    let volume = r
        .disk
        .as_ref()
        .and_then(|d| d.get("persistence"))
        .and_then(|p| p.get("id"))
        .and_then(|id| id.as_str())
        .map(|id| format!(" (persistent volume {id})"))
        .unwrap_or_default();
    format!("{}:{value}{volume}", r.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_read_as_the_user_sees_them() {
        let r: Resource = serde_json::from_value(serde_json::json!(
            {"name":"disk","type":"SCALAR","scalar":{"value":100.0},
             "disk":{"persistence":{"id":"v1","principal":"p"},"volume":{"container_path":"data","mode":"RW"}}}
        ))
        .unwrap();
        assert_eq!(describe(&r), "disk:100 (persistent volume v1)");
        let p: Resource = serde_json::from_value(serde_json::json!(
            {"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":31001}]}}
        ))
        .unwrap();
        assert_eq!(describe(&p), "ports:[31000-31001]");
    }
}
