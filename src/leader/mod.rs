//! Leader resolution, used by every command: `--master` / `MESOS_MASTER` /
//! profile in any of the forms of [`spec::parse_master_spec`] → the leading
//! master's base URL and identity.

mod alive;
pub mod http;
pub mod spec;
pub mod zk;

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::Url;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::http::HttpClient;
pub use spec::{endpoint, parse_master_spec, MasterSpec, ZkUrl};

/// The resolved leading master. Serialized as `mesos resolve --json`.
#[derive(Clone, Debug, Serialize)]
pub struct Leader {
    /// What to hand to other tools: `host:port` for plain HTTP, else the base URL.
    pub leader: String,
    pub hostname: Option<String>,
    pub ip: Option<String>,
    pub port: u16,
    /// Master id (UUID), when known.
    pub id: Option<String>,
    /// Mesos version, when known.
    pub version: Option<String>,
    /// How it was found, e.g. `zookeeper zk://zk1:2181/mesos`, `redirect from http://m2:5050`.
    pub via: String,
    /// Base URL for requests (scheme, host, port, prefix).
    #[serde(skip)]
    pub url: Url,
}

impl Leader {
    /// URL of an endpoint on the leader, keeping any prefix.
    pub fn endpoint(&self, path: &str) -> Url {
        endpoint(&self.url, path)
    }
}

/// The short form users pass along: `host:port` for plain http without a
/// prefix, else the full base URL.
pub fn display_address(url: &Url) -> String {
    let prefix = url.path().trim_end_matches('/');
    let host = url.host_str().unwrap_or_default();
    let port = url
        .port_or_known_default()
        .unwrap_or(spec::DEFAULT_MASTER_PORT);
    if url.scheme() == "http" && prefix.is_empty() {
        format!("{host}:{port}")
    } else {
        format!("{}://{host}:{port}{prefix}", url.scheme())
    }
}

/// Options for resolution.
#[derive(Clone, Debug)]
pub struct ResolveOptions {
    /// Overall deadline.
    pub timeout: Duration,
    /// Scheme for bare `host:port` entries and ZooKeeper results.
    pub scheme: String,
}

/// Resolve a `--master` value to the leader. Bounded by `opts.timeout`.
pub async fn resolve(input: &str, http: &HttpClient, opts: &ResolveOptions) -> Result<Leader> {
    let deadline = Instant::now() + opts.timeout;
    let mut seen = HashSet::new();
    resolve_at(input, http, opts, deadline, &mut seen, None).await
}

fn resolve_at<'a>(
    input: &'a str,
    http: &'a HttpClient,
    opts: &'a ResolveOptions,
    deadline: Instant,
    seen_files: &'a mut HashSet<std::path::PathBuf>,
    via_file: Option<String>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Leader>> + 'a>> {
    Box::pin(async move {
        let spec = parse_master_spec(input, &opts.scheme)?;
        let remaining = deadline.saturating_duration_since(Instant::now());
        let mut leader = match spec {
            MasterSpec::File(path) => {
                let text = read_spec_file(&path, seen_files)?;
                let via = format!("file://{}", path.display());
                return resolve_at(&text, http, opts, deadline, seen_files, Some(via)).await;
            }
            MasterSpec::Zk(zk) => {
                alive::live_zk_leader(&zk, http, &opts.scheme, deadline.into()).await?
            }
            MasterSpec::Hosts(urls) => http::resolve_hosts(&urls, http, remaining).await?,
        };
        if let Some(f) = via_file {
            leader.via = format!("{f} -> {}", leader.via);
        }
        Ok(leader)
    })
}

fn read_spec_file(path: &Path, seen: &mut HashSet<std::path::PathBuf>) -> Result<String> {
    let canonical = std::fs::canonicalize(path)
        .map_err(|e| Error::usage(format!("--master file://{}: {e}", path.display())))?;
    if !seen.insert(canonical.clone()) {
        return Err(Error::usage(format!(
            "--master file://{} refers back to itself (loop through {})",
            path.display(),
            canonical.display()
        )));
    }
    if seen.len() > 16 {
        return Err(Error::usage(
            "--master file:// chain is deeper than 16 files",
        ));
    }
    let text = std::fs::read_to_string(&canonical)
        .map_err(|e| Error::usage(format!("--master file://{}: {e}", path.display())))?;
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .ok_or_else(|| {
            Error::usage(format!(
                "--master file://{} is empty (it should hold host:port, a URL or zk://...)",
                path.display()
            ))
        })?;
    Ok(first.to_string())
}

fn leader_from_zk(zk: &ZkUrl, found: zk::ZkLeader, scheme: &str) -> Result<Leader> {
    let info = found.info;
    let host = info.connect_host().ok_or_else(|| {
        Error::failed(format!(
            "leader znode {} in {zk} has no address, hostname or pid",
            found.znode
        ))
    })?;
    let port = info.port_number().unwrap_or(spec::DEFAULT_MASTER_PORT);
    let url = Url::parse(&format!("{scheme}://{}:{port}", bracket_v6(&host))).map_err(|e| {
        Error::failed(format!(
            "leader znode {} has a bad address '{host}': {e}",
            found.znode
        ))
    })?;
    Ok(Leader {
        leader: display_address(&url),
        hostname: info.hostname_string(),
        ip: info.ip_string(),
        port,
        id: info.id.clone(),
        version: info.version.clone(),
        via: format!("zookeeper {zk} ({})", found.znode),
        url,
    })
}

fn bracket_v6(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}
