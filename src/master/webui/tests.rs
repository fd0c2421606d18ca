//! In-process router tests of the web UI's serving: assets and their
//! headers, `--webui_dir` (and what it refuses), read-only authentication,
//! `/webui/api/masters` and the agent proxy's refusals.

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use tower::ServiceExt;

use super::super::state::Shared;

fn master(extra: &[String]) -> Shared {
    crate::http::install_crypto_provider();
    let mut args = vec!["--registry=in_memory".to_string()];
    args.extend(extra.iter().cloned());
    let flags =
        match crate::daemon::flags::parse("mesos master", super::super::flags::SPECS, &args, |_| {
            None
        })
        .unwrap()
        {
            crate::daemon::flags::Parsed::Flags(f) => f,
            _ => unreachable!(),
        };
    super::super::new_master(flags, "127.0.0.1:5050".parse().unwrap()).unwrap()
}

fn app(m: &Shared) -> Router {
    let auth = crate::daemon::auth::HttpAuth::for_master(&m.flags).unwrap();
    super::super::app(m.clone(), &auth)
}

async fn get(
    app: &Router,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut req = Request::builder().method("GET").uri(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    (parts.status, parts.headers, bytes.to_vec())
}

fn h(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers
        .get(&name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

#[tokio::test]
async fn index_and_assets_are_served_with_types_csp_and_etag() {
    let m = master(&[]);
    let app = app(&m);
    let (s, hd, body) = get(&app, "/", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h(&hd, header::CONTENT_TYPE), "text/html; charset=utf-8");
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("data-live"), "{html}");
    // relative URLs only: the UI works behind a prefix
    assert!(html.contains("href=\"webui/app.css\""), "{html}");
    assert!(
        !html.contains("src=\"/") && !html.contains("href=\"/"),
        "{html}"
    );
    let csp = h(&hd, header::CONTENT_SECURITY_POLICY);
    assert!(csp.starts_with("default-src 'self'"), "{csp}");
    assert!(csp.contains("connect-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    for (path, ct) in [
        ("/webui/app.js", "text/javascript; charset=utf-8"),
        ("/webui/views.js", "text/javascript; charset=utf-8"),
        ("/webui/app.css", "text/css; charset=utf-8"),
    ] {
        let (s, hd, body) = get(&app, path, &[]).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert_eq!(h(&hd, header::CONTENT_TYPE), ct, "{path}");
        assert!(!body.is_empty(), "{path}");
        assert_eq!(h(&hd, header::CACHE_CONTROL), "no-cache", "{path}");
        assert!(h(&hd, header::CONTENT_SECURITY_POLICY).contains("script-src 'self'"));
        let etag = h(&hd, header::ETAG).to_string();
        let (s, _, body) = get(&app, path, &[("If-None-Match", &etag)]).await;
        assert_eq!(s, StatusCode::NOT_MODIFIED, "{path}");
        assert!(body.is_empty());
    }
    // gzip for clients that accept it
    let (s, hd, _) = get(&app, "/webui/views.js", &[("Accept-Encoding", "gzip")]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h(&hd, header::CONTENT_ENCODING), "gzip");
    let (s, _, body) = get(&app, "/webui/nope.js", &[]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(String::from_utf8(body).unwrap(), "No web UI file 'nope.js'");
}

#[tokio::test]
async fn the_whole_ui_is_far_under_its_size_budget() {
    let total: usize = super::ASSETS
        .iter()
        .map(|a| crate::daemon::httputil::gzip_bytes(a.body).len())
        .sum();
    assert!(total < 60 * 1024, "gzip'd UI is {total} bytes");
}

#[tokio::test]
async fn webui_dir_overrides_and_refuses_escapes() {
    let root = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(root.path().join("index.html"), "<p>custom</p>").unwrap();
    std::fs::create_dir(root.path().join("sub")).unwrap();
    std::fs::write(root.path().join("sub/x.css"), "p{}").unwrap();
    std::fs::write(outside.path().join("secret.txt"), "s3cret").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        root.path().join("leak.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(root.path().join("sub/x.css"), root.path().join("ok.css")).unwrap();
    let m = master(&[format!("--webui_dir={}", root.path().display())]);
    let app = app(&m);
    let (s, _, body) = get(&app, "/", &[]).await;
    assert_eq!(
        (s, body.as_slice()),
        (StatusCode::OK, &b"<p>custom</p>"[..])
    );
    let (s, hd, body) = get(&app, "/webui/sub/x.css", &[]).await;
    assert_eq!((s, body.as_slice()), (StatusCode::OK, &b"p{}"[..]));
    assert_eq!(h(&hd, header::CONTENT_TYPE), "text/css; charset=utf-8");
    // a link that stays inside is fine
    let (s, _, _) = get(&app, "/webui/ok.css", &[]).await;
    assert_eq!(s, StatusCode::OK);
    // the built-in files are not there
    let (s, _, _) = get(&app, "/webui/app.js", &[]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    for bad in [
        "/webui/../secret.txt",
        "/webui/sub/../../x",
        "/webui/%2e%2e/secret.txt",
    ] {
        let (s, _, body) = get(&app, bad, &[]).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{bad}");
        assert!(
            String::from_utf8(body)
                .unwrap()
                .contains("leaves --webui_dir"),
            "{bad}"
        );
    }
    let (s, _, body) = get(&app, "/webui/leak.txt", &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let text = String::from_utf8(body).unwrap();
    assert!(
        text.contains("symbolic link") && !text.contains("s3cret"),
        "{text}"
    );
}

#[test]
fn webui_dir_must_be_a_directory() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let m = master(&[format!("--webui_dir={}", file.path().display())]);
    let e = super::Source::from_flags(&m.flags).unwrap_err();
    assert!(e.contains("not a directory"), "{e}");
    let m = master(&["--webui_dir=/nonexistent/webui".to_string()]);
    let e = super::Source::from_flags(&m.flags).unwrap_err();
    assert!(e.starts_with("--webui_dir=/nonexistent/webui: "), "{e}");
    // real Mesos' default path means the built-in UI
    assert_eq!(
        super::Source::from_flags(&master(&[]).flags),
        Ok(super::Source::Embedded)
    );
}

#[tokio::test]
async fn readonly_auth_guards_the_ui_like_master_state() {
    let creds = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        creds.path(),
        r#"{"credentials":[{"principal":"ops","secret":"s3cret"}]}"#,
    )
    .unwrap();
    let m = master(&[
        "--authenticate_http_readonly".into(),
        format!("--credentials={}", creds.path().display()),
    ]);
    let app = app(&m);
    let good = format!(
        "Basic {}",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "ops:s3cret")
    );
    for path in [
        "/",
        "/webui/app.js",
        "/webui/api/masters",
        "/agent/x/files/read",
    ] {
        let (s, hd, _) = get(&app, path, &[]).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{path}");
        assert!(
            h(&hd, header::WWW_AUTHENTICATE).starts_with("Basic realm="),
            "{path}"
        );
    }
    for path in ["/", "/webui/app.js", "/webui/api/masters"] {
        let (s, _, _) = get(&app, path, &[("Authorization", &good)]).await;
        assert_eq!(s, StatusCode::OK, "{path}");
    }
    // unknown agent, with credentials: 404 from the proxy itself
    let (s, _, _) = get(
        &app,
        "/agent/x/files/read?path=/tmp",
        &[("Authorization", &good)],
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn masters_lists_this_standalone_master_as_leader() {
    let m = master(&[]);
    let (s, hd, body) = get(&app(&m), "/webui/api/masters", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h(&hd, header::CONTENT_TYPE), "application/json");
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let list = v["masters"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{v}");
    assert_eq!(list[0]["leader"], true);
    assert_eq!(list[0]["self"], true);
    assert_eq!(list[0]["port"], 5050);
    assert_eq!(list[0]["url"], "http://127.0.0.1:5050");
    assert_eq!(list[0]["id"], m.lock().id.as_str());
}

#[tokio::test]
async fn masters_allows_other_masters_origins_only() {
    let m = master(&[]);
    let mut other = m.lock().info.clone();
    other.id = Some("other".into());
    other.address.as_mut().unwrap().port = Some(5051);
    *m.contenders.lock().unwrap() = vec![other];
    let app = app(&m);
    let (_, hd, body) = get(
        &app,
        "/webui/api/masters",
        &[("Origin", "http://127.0.0.1:5051")],
    )
    .await;
    assert_eq!(
        h(&hd, header::ACCESS_CONTROL_ALLOW_ORIGIN),
        "http://127.0.0.1:5051"
    );
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["masters"].as_array().unwrap().len(), 2, "{v}");
    assert!(h(&hd, header::CONTENT_SECURITY_POLICY).contains("http://127.0.0.1:5051"));
    let (_, hd, _) = get(
        &app,
        "/webui/api/masters",
        &[("Origin", "http://evil.example")],
    )
    .await;
    assert!(hd.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}

#[tokio::test]
async fn agent_proxy_refuses_other_paths_and_unknown_agents() {
    let m = master(&[]);
    let app = app(&m);
    for bad in [
        "/agent/a1/master/state",
        "/agent/a1/files/../../etc/passwd",
        "/agent/a1/flags",
        "/agent/a1/api/v1",
        "/agent/a1/containers",
    ] {
        let (s, _, body) = get(&app, bad, &[]).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{bad}");
        assert!(
            String::from_utf8(body)
                .unwrap()
                .contains("does not forward"),
            "{bad}"
        );
    }
    let (s, _, body) = get(&app, "/agent/a1/files/read?path=/x", &[]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(
        String::from_utf8(body).unwrap(),
        "Agent 'a1' is not registered with this master"
    );
    let req = Request::builder()
        .method("POST")
        .uri("/agent/a1/files/read")
        .body(Body::empty())
        .unwrap();
    let s = app.clone().oneshot(req).await.unwrap().status();
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
}

#[test]
fn proxy_paths() {
    use super::proxy::allowed;
    for ok in [
        "state",
        "files/read",
        "files/browse",
        "slave(1)/state",
        "monitor/statistics",
        "metrics/snapshot",
        "system/v1/metrics/v0/node",
    ] {
        assert!(allowed(ok), "{ok}");
    }
    for bad in [
        "",
        "statex",
        "flags",
        "files/../flags",
        "/files/read",
        "api/v1",
        "containers",
        "files\\..\\x",
    ] {
        assert!(!allowed(bad), "{bad}");
    }
}

#[test]
fn every_file_of_the_webui_directory_is_built_in() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/webui");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut built_in: Vec<String> = super::ASSETS.iter().map(|a| a.name.to_string()).collect();
    built_in.sort();
    assert_eq!(
        on_disk, built_in,
        "webui/ and the ASSETS list of src/master/webui/mod.rs differ"
    );
}
