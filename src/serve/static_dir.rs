//! `mesos serve static`: a directory over HTTP. Files are served with a
//! content type from their extension, directories as an HTML listing (or
//! their `index.html`). Paths resolve through the agent's files-API
//! resolver ([`crate::daemon::files::FileServer`]): no `..` segment, and the
//! canonical path (symlinks followed) must stay inside the directory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::daemon::files::{mime_for, FileServer, FilesError};
use crate::daemon::httputil::percent_decode;

/// The text of the `index.html` written into an empty directory.
pub const DEFAULT_INDEX_TEXT: &str = "Hello from mesos serve static!";

/// Where the directory is attached in the resolver.
const ROOT: &str = "/site";

struct Site {
    files: Arc<FileServer>,
}

/// Make `dir` ready to serve: create it, and write `index.html` with
/// `index_text` when given, or with [`DEFAULT_INDEX_TEXT`] when the
/// directory is empty.
pub fn prepare(dir: &Path, index_text: Option<&str>) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let empty = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .next()
        .is_none();
    let text = match index_text {
        Some(t) => t,
        None if empty => DEFAULT_INDEX_TEXT,
        None => return Ok(()),
    };
    let page = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{t}</title></head>\n<body><h1>{t}</h1></body></html>\n",
        t = super::escape_html(text)
    );
    let index = dir.join("index.html");
    crate::fsutil::write_atomic(&index, page.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", index.display()))
}

/// The static site's router over `dir`.
pub fn router(dir: PathBuf) -> Router {
    let files = FileServer::new();
    files.attach(ROOT, dir);
    Router::new()
        .route("/health", get(super::health))
        .fallback(get(serve_path))
        .with_state(Arc::new(Site { files }))
}

async fn serve_path(State(site): State<Arc<Site>>, uri: Uri) -> Response {
    let raw = uri.path().to_string();
    let path = percent_decode(&raw);
    let requested = format!("{ROOT}{path}");
    let files = site.files.clone();
    let resolved = tokio::task::spawn_blocking(move || files.resolve(&requested)).await;
    let real = match resolved {
        Ok(Ok(p)) => p,
        Ok(Err(FilesError::NotFound(_))) => {
            return super::text(StatusCode::NOT_FOUND, format!("{path}: not found\n"))
        }
        Ok(Err(FilesError::Invalid(_))) => {
            return super::text(
                StatusCode::FORBIDDEN,
                format!("{path}: outside the served directory\n"),
            )
        }
        Ok(Err(e)) => return super::text(StatusCode::INTERNAL_SERVER_ERROR, e.message()),
        Err(e) => return super::text(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    };
    if real.is_dir() {
        if !raw.ends_with('/') {
            return redirect(&format!("{raw}/"));
        }
        let index = real.join("index.html");
        if index.is_file() {
            return file(&index).await;
        }
        return listing(&real, &path).await;
    }
    file(&real).await
}

fn redirect(to: &str) -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::MOVED_PERMANENTLY;
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

async fn file(real: &Path) -> Response {
    let f = match tokio::fs::File::open(real).await {
        Ok(f) => f,
        Err(e) => return super::text(StatusCode::FORBIDDEN, format!("cannot open: {e}\n")),
    };
    let len = f.metadata().await.map(|m| m.len()).unwrap_or(0);
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stream = futures_util::stream::unfold(f, |mut f| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(bytes::Bytes::from(buf)), f))
            }
            Err(e) => Some((Err(e), f)),
        }
    });
    let mut r = Response::new(Body::from_stream(stream));
    let mime = match mime_for(&name) {
        "text/plain" => "text/plain; charset=utf-8",
        "text/html" => "text/html; charset=utf-8",
        m => m,
    };
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    r.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    r
}

async fn listing(real: &Path, shown: &str) -> Response {
    let real = real.to_path_buf();
    let entries = tokio::task::spawn_blocking(move || -> std::io::Result<Vec<(String, bool)>> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(&real)?.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let dir = e.path().is_dir();
            out.push((name, dir));
        }
        out.sort();
        Ok(out)
    })
    .await;
    let entries = match entries {
        Ok(Ok(e)) => e,
        Ok(Err(e)) => return super::text(StatusCode::FORBIDDEN, format!("cannot list: {e}\n")),
        Err(e) => return super::text(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    };
    let title = super::escape_html(&format!("Index of {shown}"));
    let mut page = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body><h1>{title}</h1>\n<ul>\n"
    );
    if shown != "/" {
        page.push_str("<li><a href=\"../\">../</a></li>\n");
    }
    for (name, dir) in entries {
        let slash = if dir { "/" } else { "" };
        page.push_str(&format!(
            "<li><a href=\"{}{slash}\">{}{slash}</a></li>\n",
            encode_segment(&name),
            super::escape_html(&name)
        ));
    }
    page.push_str("</ul></body></html>\n");
    super::html(StatusCode::OK, page)
}

/// Percent-encode one path segment for an `href`.
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;
    use axum::http::Request;
    use tower::ServiceExt;

    async fn get(app: &Router, path: &str) -> (u16, String) {
        let r = app
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = r.status().as_u16();
        let body = to_bytes(r.into_body(), 1 << 20).await.unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn serves_lists_and_refuses_escapes() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        prepare(&site, None).unwrap();
        std::fs::create_dir(site.join("sub dir")).unwrap();
        std::fs::write(site.join("sub dir/a.txt"), "A").unwrap();
        std::fs::write(tmp.path().join("secret"), "S").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret"), site.join("out")).unwrap();
        let app = router(site.clone());
        let (s, body) = get(&app, "/").await;
        assert_eq!(s, 200);
        assert!(body.contains(DEFAULT_INDEX_TEXT), "{body}");
        assert_eq!(get(&app, "/sub%20dir").await.0, 301);
        let (s, body) = get(&app, "/sub%20dir/").await;
        assert_eq!(s, 200);
        assert!(body.contains("href=\"a.txt\""), "{body}");
        assert_eq!(get(&app, "/sub%20dir/a.txt").await, (200, "A".into()));
        assert_eq!(get(&app, "/out").await.0, 403);
        assert_eq!(get(&app, "/sub%20dir/%2e%2e/%2e%2e/secret").await.0, 403);
        assert_eq!(get(&app, "/missing").await.0, 404);
        assert_eq!(get(&app, "/health").await.0, 200);
        // A non-empty directory keeps its files; --index-text replaces the index.
        prepare(&site, Some("<b>mine</b>")).unwrap();
        let (_, body) = get(&app, "/index.html").await;
        assert!(body.contains("&lt;b&gt;mine&lt;/b&gt;"), "{body}");
    }
}
