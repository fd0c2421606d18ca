//! Reading repositories: Universe repository JSON over http(s) (with the
//! Cosmos `Accept` types, gzip, and an on-disk cache revalidated with
//! ETag / Last-Modified), `file://` (a repository JSON file or a source
//! directory), a plain local path (a source directory or JSON file), and
//! [`super::builtin::URI`].
//!
//! The http(s) cache: one file per URI in [`Fetcher::cache_dir`], named
//! after a hash of the URI, holding one JSON line of metadata (the URI, the
//! `ETag` and `Last-Modified` validators, the content type, when it was
//! fetched or last revalidated) followed by the body as served. Within
//! [`FRESH_FOR`] of that time the copy is used without a request; after it
//! (or with `refresh`) the repository is asked again with `If-None-Match` /
//! `If-Modified-Since`, and a `304` keeps the copy (and restarts its
//! freshness). When that revalidation fails (unreachable, an HTTP error, a
//! body that does not parse) the stale copy is used and a warning on stderr
//! says so; only a repository never fetched before fails the call.

// CosmosError (the contract's error type, with its data map) is the error
// of every package operation; boxing it here alone would buy nothing.
#![allow(clippy::result_large_err)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header;
use serde::{Deserialize, Serialize};

use super::cosmos::{CosmosError, PackageRepository, REPO_TYPES};
use super::model::Repository;

/// How long a fetched repository is used from the cache without asking
/// the server again.
pub const FRESH_FOR: Duration = Duration::from_secs(10 * 60);

/// The universe repository media type (without parameters).
const REPO_MEDIA: &str = "application/vnd.dcos.universe.repo+json";

/// How repositories are fetched.
#[derive(Clone, Debug)]
pub struct Fetcher {
    pub http: reqwest::Client,
    /// Where fetched http(s) repositories are cached (`None`: no disk cache).
    pub cache_dir: Option<PathBuf>,
    /// Ignore the cache's freshness and revalidate (`--refresh`).
    pub refresh: bool,
}

/// What kind of location a repository URI names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    Builtin,
    Http(reqwest::Url),
    /// `file://` or a plain path: a repository JSON file or a source directory.
    Local(PathBuf),
}

/// Classify a repository URI: `builtin`, `http(s)://…`, `file://…`, or a
/// plain path (anything without `scheme://`). Another scheme, or a URL that
/// does not parse, is `UnsupportedRepositoryUri`.
pub fn location(uri: &str) -> Result<Location, CosmosError> {
    let uri = uri.trim();
    if uri == super::builtin::URI {
        return Ok(Location::Builtin);
    }
    let Some((scheme, _)) = uri.split_once("://") else {
        if uri.is_empty() {
            return Err(unsupported_uri(uri, "it is empty"));
        }
        return Ok(Location::Local(PathBuf::from(uri)));
    };
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" => {
            let url = reqwest::Url::parse(uri)
                .map_err(|e| unsupported_uri(uri, &format!("not a URL ({e})")))?;
            if url.host_str().is_none_or(str::is_empty) {
                return Err(unsupported_uri(uri, "no host"));
            }
            Ok(Location::Http(url))
        }
        "file" => {
            let url = reqwest::Url::parse(uri)
                .map_err(|e| unsupported_uri(uri, &format!("not a URL ({e})")))?;
            let path = url
                .to_file_path()
                .map_err(|_| unsupported_uri(uri, "not an absolute local file:// path"))?;
            Ok(Location::Local(path))
        }
        other => Err(unsupported_uri(
            uri,
            &format!("the scheme '{other}' is not http, https or file"),
        )),
    }
}

fn unsupported_uri(uri: &str, why: &str) -> CosmosError {
    let mut d = serde_json::Map::new();
    d.insert("uri".into(), uri.into());
    CosmosError::new(
        "UnsupportedRepositoryUri",
        400,
        format!(
            "Repository URI [{uri}] is not supported: {why} (use http(s)://, file://, a directory or file path, or builtin)"
        ),
    )
    .with_data(d)
}

/// `Accept` of a repository fetch: the universe types newest first, then
/// plain JSON.
pub fn accept_header() -> String {
    let mut a = REPO_TYPES.join(", ");
    a.push_str(", application/json;q=0.9");
    a
}

/// Is this `Content-Type` a repository document we read (universe repo
/// v3/v4/v5, or plain JSON)?
pub fn supported_content_type(ct: &str) -> bool {
    let mut parts = ct.split(';').map(|p| p.trim().to_ascii_lowercase());
    let media = parts.next().unwrap_or_default();
    if media == "application/json" {
        return true;
    }
    if media != REPO_MEDIA {
        return false;
    }
    parts.any(|p| matches!(p.as_str(), "version=v3" | "version=v4" | "version=v5"))
}

fn repo_error(kind: &str, spec: &PackageRepository, message: String) -> CosmosError {
    let mut d = serde_json::Map::new();
    d.insert("name".into(), spec.name.as_str().into());
    d.insert("uri".into(), spec.uri.as_str().into());
    CosmosError::new(
        kind,
        if kind == "UniverseClientHttpError" {
            500
        } else {
            400
        },
        message,
    )
    .with_data(d)
}

/// A repository read with no network: `builtin`, a local path, or an
/// http(s) repository whose cached copy is fresh (and `refresh` is off).
/// `None`: it needs a request (then [`Fetcher::fetch`] with an HTTP client,
/// whose construction reads the system's CA certificates — most of the
/// time of a search on cached repositories, so callers build it only when
/// this says so).
pub fn read_offline(
    spec: &PackageRepository,
    cache_dir: Option<&Path>,
    refresh: bool,
) -> Option<Result<Repository, CosmosError>> {
    match location(&spec.uri) {
        Err(e) => Some(Err(e)),
        Ok(Location::Builtin) => Some(Ok(super::builtin::repository())),
        Ok(Location::Local(path)) => Some(read_local(spec, &path)),
        Ok(Location::Http(_)) if refresh => None,
        Ok(Location::Http(_)) => {
            let c = Cached::read(&cache_path(cache_dir?, &spec.uri), &spec.uri)?;
            if c.age() >= FRESH_FOR {
                return None;
            }
            Repository::parse(&c.body).ok().map(Ok)
        }
    }
}

/// `repository 'NAME' (URI)`, or just the URI when the name is the URI.
pub fn describe_repo(spec: &PackageRepository) -> String {
    if spec.name == spec.uri {
        format!("repository {}", spec.uri)
    } else {
        format!("repository '{}' ({})", spec.name, spec.uri)
    }
}

impl Fetcher {
    /// Read one repository. Errors name the repository and URI.
    pub async fn fetch(&self, spec: &PackageRepository) -> Result<Arc<Repository>, CosmosError> {
        if let Some(read) = read_offline(spec, self.cache_dir.as_deref(), self.refresh) {
            return read.map(Arc::new);
        }
        match location(&spec.uri)? {
            Location::Http(url) => self.fetch_http(spec, url).await.map(Arc::new),
            Location::Builtin => Ok(Arc::new(super::builtin::repository())),
            Location::Local(path) => read_local(spec, &path).map(Arc::new),
        }
    }

    async fn fetch_http(
        &self,
        spec: &PackageRepository,
        url: reqwest::Url,
    ) -> Result<Repository, CosmosError> {
        let cache_file = self.cache_dir.as_ref().map(|d| cache_path(d, &spec.uri));
        // A cached copy that no longer parses counts as none (and sends no
        // validators, so the server answers with the whole document).
        let cached = cache_file
            .as_deref()
            .and_then(|p| Cached::read(p, &spec.uri))
            .and_then(|c| Repository::parse(&c.body).ok().map(|r| (c, r)));
        let fresh = cached
            .as_ref()
            .is_some_and(|(c, _)| !self.refresh && c.age() < FRESH_FOR);
        if fresh {
            return Ok(cached.map(|(_, repo)| repo).unwrap_or_default());
        }
        match self.get(spec, url, cached.as_ref().map(|(c, _)| c)).await {
            Ok(Got::NotModified) => {
                let (c, repo) = cached.expect("304 only answers a conditional request");
                if let Some(p) = &cache_file {
                    c.touched().write(p);
                }
                Ok(repo)
            }
            Ok(Got::Fresh(c, repo)) => {
                if let Some(p) = &cache_file {
                    c.write(p);
                }
                Ok(repo)
            }
            Err(e) => {
                let Some((c, repo)) = cached else {
                    return Err(e);
                };
                crate::output::warn(format!(
                    "{}; using the copy cached {} ago",
                    e.message,
                    crate::duration::format_duration(Duration::from_secs(c.age().as_secs()))
                ));
                Ok(repo)
            }
        }
    }

    /// One (conditional) GET.
    async fn get(
        &self,
        spec: &PackageRepository,
        url: reqwest::Url,
        cached: Option<&Cached>,
    ) -> Result<Got, CosmosError> {
        let uri = &spec.uri;
        let mut rb = self
            .http
            .get(url)
            .header(header::ACCEPT, accept_header())
            .header(
                header::USER_AGENT,
                concat!("mesos/", env!("CARGO_PKG_VERSION")),
            );
        if let Some(c) = cached {
            if let Some(etag) = &c.meta.etag {
                rb = rb.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &c.meta.last_modified {
                rb = rb.header(header::IF_MODIFIED_SINCE, lm);
            }
        }
        let connection = |e: &reqwest::Error| {
            let cause = if e.is_timeout() {
                "no answer in time".to_string()
            } else {
                crate::http::root_cause(e)
            };
            repo_error(
                "RepositoryUriConnection",
                spec,
                format!("{}: cannot fetch {uri}: {cause}", describe_repo(spec)),
            )
        };
        let resp = rb.send().await.map_err(|e| connection(&e))?;
        let status = resp.status();
        if status == reqwest::StatusCode::NOT_MODIFIED && cached.is_some() {
            return Ok(Got::NotModified);
        }
        if !status.is_success() {
            return Err(repo_error(
                "UniverseClientHttpError",
                spec,
                format!(
                    "{}: {uri} answered HTTP {}{}",
                    describe_repo(spec),
                    status.as_u16(),
                    status
                        .canonical_reason()
                        .map(|r| format!(" {r}"))
                        .unwrap_or_default()
                ),
            ));
        }
        let header_text = |name: header::HeaderName| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header_text(header::CONTENT_TYPE).unwrap_or_default();
        if !supported_content_type(&content_type) {
            let shown = if content_type.is_empty() {
                "no Content-Type".to_string()
            } else {
                format!("Content-Type '{content_type}'")
            };
            let mut e = repo_error(
                "UnsupportedContentType",
                spec,
                format!(
                    "{}: {uri} answered with {shown}, not a Universe repository (application/vnd.dcos.universe.repo+json version v3, v4 or v5, or application/json)",
                    describe_repo(spec)
                ),
            );
            if let Some(d) = e.data.as_mut() {
                d.insert("contentType".into(), content_type.into());
            }
            return Err(e);
        }
        let meta = CacheMeta {
            uri: uri.clone(),
            etag: header_text(header::ETAG),
            last_modified: header_text(header::LAST_MODIFIED),
            content_type,
            fetched: now_secs(),
        };
        let bytes = resp.bytes().await.map_err(|e| connection(&e))?;
        let body = String::from_utf8(bytes.to_vec())
            .map_err(|_| parse_error(spec, "the body is not UTF-8 text"))?;
        let repo = Repository::parse(&body).map_err(|e| parse_error(spec, &e))?;
        Ok(Got::Fresh(Cached { meta, body }, repo))
    }
}

enum Got {
    NotModified,
    Fresh(Cached, Repository),
}

fn parse_error(spec: &PackageRepository, e: &str) -> CosmosError {
    repo_error(
        "JsonParsingError",
        spec,
        format!("{}: {e}", describe_repo(spec)),
    )
}

/// A `file://` URI or plain path: a source directory or a repository JSON file.
fn read_local(spec: &PackageRepository, path: &Path) -> Result<Repository, CosmosError> {
    let unreadable = |e: std::io::Error| {
        repo_error(
            "RepositoryUriConnection",
            spec,
            format!(
                "{}: cannot read {}: {}",
                describe_repo(spec),
                path.display(),
                io_cause(&e)
            ),
        )
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.is_dir() {
        return super::source::read_source_dir(path).map_err(|e| parse_error(spec, &e));
    }
    let text = std::fs::read_to_string(path).map_err(unreadable)?;
    Repository::parse(&text).map_err(|e| parse_error(spec, &e))
}

fn io_cause(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

// ------------------------------------------------------------------ cache

/// The metadata line of a cache file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CacheMeta {
    uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_modified: Option<String>,
    #[serde(default)]
    content_type: String,
    /// Seconds since the epoch of the last fetch or 304.
    fetched: u64,
}

#[derive(Clone, Debug)]
struct Cached {
    meta: CacheMeta,
    body: String,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The cache file of a URI: `<dir>/<first 32 hex digits of SHA-256(uri)>.repo`.
pub fn cache_path(dir: &Path, uri: &str) -> PathBuf {
    let digest = ring::digest::digest(&ring::digest::SHA256, uri.as_bytes());
    let hex: String = digest.as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    dir.join(format!("{hex}.repo"))
}

impl Cached {
    /// The cached copy of `uri`, if there is a readable one.
    fn read(path: &Path, uri: &str) -> Option<Cached> {
        let text = std::fs::read_to_string(path).ok()?;
        let (line, body) = text.split_once('\n')?;
        let meta: CacheMeta = serde_json::from_str(line).ok()?;
        (meta.uri == uri).then(|| Cached {
            meta,
            body: body.to_string(),
        })
    }

    fn age(&self) -> Duration {
        Duration::from_secs(now_secs().saturating_sub(self.meta.fetched))
    }

    fn touched(mut self) -> Cached {
        self.meta.fetched = now_secs();
        self
    }

    /// Write (temp file + rename). A cache that cannot be written is only
    /// a warning: the repository was read.
    fn write(&self, path: &Path) {
        let mut data = serde_json::to_vec(&self.meta).unwrap_or_default();
        data.push(b'\n');
        data.extend_from_slice(self.body.as_bytes());
        if let Err(e) = crate::fsutil::write_atomic(path, &data) {
            crate::output::warn(format!(
                "cannot write the repository cache {}: {e}",
                path.display()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        assert_eq!(location("builtin").unwrap(), Location::Builtin);
        assert!(matches!(
            location("https://universe.example/repo").unwrap(),
            Location::Http(_)
        ));
        assert_eq!(
            location("file:///srv/repo.json").unwrap(),
            Location::Local(PathBuf::from("/srv/repo.json"))
        );
        assert_eq!(
            location("./pkgs").unwrap(),
            Location::Local(PathBuf::from("./pkgs"))
        );
        let e = location("ftp://x/repo").unwrap_err();
        assert_eq!(e.kind, "UnsupportedRepositoryUri");
        assert!(e.message.contains("'ftp'"), "{}", e.message);
        assert!(location("http://").is_err());
    }

    #[test]
    fn content_types() {
        assert!(supported_content_type(
            "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v4"
        ));
        assert!(supported_content_type("application/json; charset=utf-8"));
        assert!(supported_content_type(REPO_TYPES[2]));
        assert!(!supported_content_type(
            "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v2"
        ));
        assert!(!supported_content_type("text/html"));
        assert!(!supported_content_type(""));
        let a = accept_header();
        assert!(a.starts_with(REPO_TYPES[0]) && a.ends_with("application/json;q=0.9"));
    }

    #[test]
    fn cache_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let p = cache_path(dir.path(), "http://x/repo");
        assert_ne!(p, cache_path(dir.path(), "http://y/repo"));
        let c = Cached {
            meta: CacheMeta {
                uri: "http://x/repo".into(),
                etag: Some("\"abc\"".into()),
                last_modified: None,
                content_type: "application/json".into(),
                fetched: now_secs() - 3600,
            },
            body: "{\"packages\":[]}\n".into(),
        };
        c.write(&p);
        let back = Cached::read(&p, "http://x/repo").unwrap();
        assert_eq!(back.meta, c.meta);
        assert_eq!(back.body, c.body);
        assert!(back.age() >= Duration::from_secs(3600));
        assert!(back.touched().age() < FRESH_FOR);
        // Another URI's file (a hash collision) is not used.
        assert!(Cached::read(&p, "http://z/repo").is_none());
    }

    #[test]
    fn offline_reads_need_no_request() {
        let spec = |uri: &str| PackageRepository {
            name: "r".into(),
            uri: uri.into(),
        };
        assert!(read_offline(&spec("builtin"), None, false).unwrap().is_ok());
        let e = read_offline(&spec("/no/such/dir"), None, false)
            .unwrap()
            .unwrap_err();
        assert_eq!(e.kind, "RepositoryUriConnection");
        assert!(e.message.contains("/no/such/dir"), "{}", e.message);
        let web = spec("http://x/repo");
        let dir = tempfile::tempdir().unwrap();
        assert!(read_offline(&web, None, false).is_none());
        assert!(read_offline(&web, Some(dir.path()), false).is_none());
        let mut c = Cached {
            meta: CacheMeta {
                uri: web.uri.clone(),
                etag: None,
                last_modified: None,
                content_type: "application/json".into(),
                fetched: now_secs(),
            },
            body: "{\"packages\":[]}".into(),
        };
        let p = cache_path(dir.path(), &web.uri);
        c.write(&p);
        assert!(read_offline(&web, Some(dir.path()), false).unwrap().is_ok());
        assert!(read_offline(&web, Some(dir.path()), true).is_none());
        c.meta.fetched -= FRESH_FOR.as_secs();
        c.write(&p);
        assert!(read_offline(&web, Some(dir.path()), false).is_none());
    }
}
