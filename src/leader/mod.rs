//! Leader resolution, used by every command: `--master` / `MESOS_MASTER` /
//! profile in any of the forms of [`spec::parse_master_spec`] → the leading
//! master's base URL and identity.

mod alive;
pub mod error;
pub mod http;
pub mod spec;
pub mod zk;

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::Url;
use serde::Serialize;

use crate::error::Result;
use crate::http::HttpClient;
pub use error::LeaderError;
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
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Leader>> + Send + 'a>> {
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

/// How many `file://` indirections one `--master` may go through.
const MAX_SPEC_FILES: usize = 16;

fn read_spec_file(
    path: &Path,
    seen: &mut HashSet<std::path::PathBuf>,
) -> Result<String, LeaderError> {
    let unreadable = |source| LeaderError::SpecFile {
        path: path.to_path_buf(),
        source,
    };
    let canonical = std::fs::canonicalize(path).map_err(unreadable)?;
    if !seen.insert(canonical.clone()) {
        return Err(LeaderError::SpecFileLoop {
            path: path.to_path_buf(),
            canonical,
        });
    }
    if seen.len() > MAX_SPEC_FILES {
        return Err(LeaderError::SpecFileChain(MAX_SPEC_FILES));
    }
    let text = std::fs::read_to_string(&canonical).map_err(unreadable)?;
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .ok_or_else(|| LeaderError::SpecFileEmpty(path.to_path_buf()))?;
    Ok(first.to_string())
}

fn leader_from_zk(zk: &ZkUrl, found: zk::ZkLeader, scheme: &str) -> Result<Leader, LeaderError> {
    let info = found.info;
    let host = info
        .connect_host()
        .ok_or_else(|| LeaderError::ZnodeNoAddress {
            znode: found.znode.clone(),
            zk: zk.to_string(),
        })?;
    let port = info.port_number().unwrap_or(spec::DEFAULT_MASTER_PORT);
    let url = Url::parse(&format!("{scheme}://{}:{port}", bracket_v6(&host))).map_err(|e| {
        LeaderError::ZnodeBadAddress {
            znode: found.znode.clone(),
            host: host.clone(),
            cause: e.to_string(),
        }
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
