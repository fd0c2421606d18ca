//! `GET /package/resource?url=<url>`: a resource (icon, asset, CLI binary)
//! that some package of the configured repositories names, fetched and
//! handed back, as Cosmos' resource proxy does. Only URLs found in a
//! package's `resource` are fetched (`Forbidden` otherwise), at most
//! [`LIMIT`] bytes (`ResourceTooLarge`).

use serde_json::{Map, Value};

use super::StoreRepos;
use crate::packages::cosmos::CosmosError;
use crate::packages::service::Repos;

/// The largest resource handed back (Cosmos' limit: 100 MiB).
pub const LIMIT: u64 = 100 * 1024 * 1024;

/// A fetched resource.
pub struct Fetched {
    pub content_type: String,
    pub filename: String,
    pub body: Vec<u8>,
}

fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

fn with_url(kind: &str, status: u16, message: String, url: &str) -> CosmosError {
    let mut d = Map::new();
    d.insert("url".into(), Value::from(url));
    CosmosError::new(kind, status, message).with_data(d)
}

/// Fetch `url` when a package of `repos` names it.
pub async fn fetch(repos: &StoreRepos, url: &str) -> Result<Fetched, CosmosError> {
    let mut known = Vec::new();
    for loaded in repos.load().await? {
        for p in &loaded.repo.packages {
            if let Some(r) = &p.resource {
                collect_strings(&serde_json::to_value(r).unwrap_or(Value::Null), &mut known);
            }
        }
    }
    if !known.iter().any(|k| k == url) {
        return Err(with_url(
            "Forbidden",
            403,
            format!("Resource [{url}] is not named by any package of the configured repositories"),
            url,
        ));
    }
    let parsed = reqwest::Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| {
            with_url(
                "EndpointUriSyntax",
                400,
                format!("Resource URI [{url}] is not an http(s) URL"),
                url,
            )
        })?;
    let mut resp = repos.http().get(parsed.clone()).send().await.map_err(|e| {
        with_url(
            "EndpointUriConnection",
            502,
            format!(
                "Could not access data at URI [{url}]: {}",
                crate::http::root_cause(&e)
            ),
            url,
        )
    })?;
    let status = resp.status();
    if !status.is_success() {
        return Err(with_url(
            "GenericHttpError",
            500,
            format!(
                "Unexpected down stream http error: GET {url} {}",
                status.as_u16()
            ),
            url,
        ));
    }
    let too_large = || {
        let mut d = Map::new();
        d.insert("limit".into(), Value::from(LIMIT));
        CosmosError::new(
            "ResourceTooLarge",
            400,
            format!("Resource [{url}] is larger than the limit of {LIMIT} bytes"),
        )
        .with_data(d)
    };
    if resp.content_length().is_some_and(|n| n > LIMIT) {
        return Err(too_large());
    }
    let content_type = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_string();
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| {
        with_url(
            "EndpointUriConnection",
            502,
            format!(
                "Could not read data at URI [{url}]: {}",
                crate::http::root_cause(&e)
            ),
            url,
        )
    })? {
        if body.len() as u64 + chunk.len() as u64 > LIMIT {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    let filename = parsed
        .path_segments()
        .and_then(|mut s| s.next_back().map(str::to_string))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "resource".to_string());
    Ok(Fetched {
        content_type,
        filename,
        body,
    })
}
