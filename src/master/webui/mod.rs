//! The web UI (docs/webui.md): the assets at `/` and `/webui/*` (built into
//! the binary from the repository's `webui/` directory, or read from
//! `--webui_dir`), the UI's helper endpoint `/webui/api/masters`
//! ([`masters`]) and the agent proxy `/agent/<id>/<path>` ([`proxy`]).
//! Every answer here carries the UI's Content-Security-Policy. The router
//! puts these routes in the read-only realm, like `/master/state`.

pub mod masters;
pub mod proxy;
#[cfg(test)]
mod tests;

use std::path::{Component, Path, PathBuf};

use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::http::{text, MasterError};
use super::state::Shared;
use crate::daemon::flags::Flags;

/// `--webui_dir`'s default: where real Mesos installs its UI. This value
/// means "the UI built into the binary".
pub const DEFAULT_DIR: &str = "/usr/local/share/mesos/webui";

/// One asset built into the binary.
struct Asset {
    name: &'static str,
    body: &'static [u8],
}

macro_rules! assets {
    ($($name:literal),+ $(,)?) => {
        &[$(Asset { name: $name, body: include_bytes!(concat!("../../../webui/", $name)) }),+]
    };
}

/// The built-in UI: every file of `webui/` (keep in step with that directory).
const ASSETS: &[Asset] = assets!(
    "index.html",
    "app.css",
    "app.js",
    "dom.js",
    "model.js",
    "views.js",
    "sandbox.js",
);

/// Where the assets come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Built into the binary.
    Embedded,
    /// `--webui_dir` (canonical path of an existing directory).
    Dir(PathBuf),
}

impl Source {
    /// From `--webui_dir`: the default value (real Mesos' install path)
    /// means the built-in UI; anything else must be a directory.
    pub fn from_flags(flags: &Flags) -> Result<Source, String> {
        match flags.get("webui_dir") {
            None | Some("") | Some(DEFAULT_DIR) => Ok(Source::Embedded),
            Some(dir) => match std::fs::canonicalize(dir) {
                Ok(p) if p.is_dir() => Ok(Source::Dir(p)),
                Ok(_) => Err(format!("--webui_dir={dir}: not a directory")),
                Err(e) => Err(format!("--webui_dir={dir}: {e}")),
            },
        }
    }
}

/// The Content-Security-Policy of every UI answer: everything from this
/// origin only; `connect-src` adds the cluster's other masters (the UI
/// probes them to find a new leader when this one goes away).
pub fn csp(masters: &[String]) -> String {
    let mut connect = String::from("'self'");
    for m in masters {
        connect.push(' ');
        connect.push_str(m);
    }
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src {connect}; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'self'"
    )
}

/// Add the UI's security headers to `resp`.
pub fn secure(m: &Shared, mut resp: Response) -> Response {
    let urls: Vec<String> = masters::list(m).into_iter().map(|e| e.url).collect();
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&csp(&urls)) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    resp
}

/// `GET /`: the UI's page.
pub async fn index(State(m): State<Shared>, headers: HeaderMap) -> Response {
    secure(&m, serve(&m, "index.html", &headers))
}

/// `GET /webui/<path>`: one asset.
pub async fn asset(
    State(m): State<Shared>,
    UrlPath(path): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    secure(&m, serve(&m, &path, &headers))
}

fn serve(m: &Shared, path: &str, headers: &HeaderMap) -> Response {
    let source = match Source::from_flags(&m.flags) {
        Ok(s) => s,
        Err(e) => return MasterError::Internal(e).into_response(),
    };
    let body: Vec<u8> = match read(&source, path) {
        Ok(b) => b,
        Err((status, why)) => return text(status, why),
    };
    let etag = format!("\"{:016x}\"", fnv1a(&body));
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut resp = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = Response::new(Body::from(body));
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(path)),
        );
        r
    };
    let h = resp.headers_mut();
    // Revalidate every time (cheap with the ETag): a new binary or a new
    // --webui_dir file shows at the next load.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    resp
}

/// The bytes of `path` (relative to the UI's root) from `source`, else
/// the status and one line to answer.
pub fn read(source: &Source, path: &str) -> Result<Vec<u8>, (StatusCode, String)> {
    let missing = || (StatusCode::NOT_FOUND, format!("No web UI file '{path}'"));
    match source {
        Source::Embedded => ASSETS
            .iter()
            .find(|a| a.name == path)
            .map(|a| a.body.to_vec())
            .ok_or_else(missing),
        Source::Dir(root) => {
            let file = inside(root, path).map_err(|why| (StatusCode::FORBIDDEN, why))?;
            match std::fs::read(&file) {
                Ok(b) => Ok(b),
                Err(_) => Err(missing()),
            }
        }
    }
}

/// `root/path` when it stays inside `root`: no `..`, no absolute path,
/// no symbolic link that leads out of it. A missing file is `Ok` (the
/// read answers 404).
pub fn inside(root: &Path, path: &str) -> Result<PathBuf, String> {
    let rel = Path::new(path);
    if path.contains('\0')
        || rel
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(format!(
            "Refusing web UI path '{path}': it leaves --webui_dir"
        ));
    }
    let joined = root.join(rel);
    match std::fs::canonicalize(&joined) {
        Ok(real) if real.starts_with(root) => Ok(real),
        Ok(_) => Err(format!(
            "Refusing web UI path '{path}': a symbolic link leads out of --webui_dir"
        )),
        Err(_) => Ok(joined),
    }
}

/// The media type of a UI file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, e)| e) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("txt") | Some("md") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// FNV-1a, for ETags.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
