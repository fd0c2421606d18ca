//! The Cosmos routes like the rest of the API: Basic credentials when
//! configured, and a standby forwarding to the leader.

use serde_json::json;

use super::cosmos::{assert_error, op, raw};
use super::setup;
use crate::marathon::cosmos::repos::KEY;
use crate::packages::cosmos::{Op, CAPABILITIES_TYPE};

#[tokio::test]
async fn the_cosmos_routes_need_the_apis_credentials() {
    use base64::Engine as _;
    let mut t = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("creds");
    std::fs::write(&creds, "ops s3cret\n").unwrap();
    std::fs::set_permissions(&creds, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let args = vec![format!("--http_credentials={}", creds.display())];
    let flags = match crate::daemon::flags::parse_with_prefix(
        "mesos marathon",
        crate::marathon::flags::SPECS,
        &args,
        |_| None,
        "MARATHON_",
    )
    .unwrap()
    {
        crate::daemon::flags::Parsed::Flags(f) => f,
        crate::daemon::flags::Parsed::Help(_) => unreachable!(),
    };
    let auth = crate::daemon::auth::HttpAuth::for_marathon(&flags).unwrap();
    t.app = crate::marathon::http::router(t.ctx.clone(), &auth);

    let accept = ("accept", CAPABILITIES_TYPE.to_string());
    let r = raw(
        &t,
        "GET",
        "/capabilities",
        std::slice::from_ref(&accept),
        "",
    )
    .await;
    assert_eq!(r.status, 401);
    let r = op(&t, Op::RepositoryList, 1, json!({})).await;
    assert_eq!(r.status, 401);
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("ops:s3cret")
    );
    let r = raw(
        &t,
        "GET",
        "/capabilities",
        &[accept, ("authorization", basic.clone())],
        "",
    )
    .await;
    assert_eq!(r.status, 200);
    let r = raw(
        &t,
        "POST",
        "/package/repository/list",
        &[
            ("content-type", Op::RepositoryList.request_type()),
            ("accept", Op::RepositoryList.response_type(1)),
            ("authorization", basic),
        ],
        "{}",
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}

#[tokio::test]
async fn a_standby_forwards_cosmos_calls_to_the_leader() {
    let leader = setup().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(crate::daemon::serve::serve(
        listener,
        leader.app.clone(),
        None,
        std::future::pending(),
    ));
    let standby = super::setup_with(crate::marathon::election::Leadership {
        leading: false,
        leader: Some(addr.to_string()),
    })
    .await;
    // Added through the standby, stored by the leader.
    let r = op(
        &standby,
        Op::RepositoryAdd,
        1,
        json!({"name":"a","uri":"http://127.0.0.1:1/repo"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        r.header("content-type").unwrap(),
        Op::RepositoryAdd.response_type(1)
    );
    let r = op(&leader, Op::RepositoryList, 1, json!({})).await;
    assert_eq!(r.json()["repositories"][1]["name"], "a");
    assert!(standby.ctx.api.store.get(KEY).await.unwrap().is_none());
    // Errors come back as the leader wrote them: the repository is not
    // there, which every catalog call reports (a fetch is not cached).
    let r = op(&standby, Op::Describe, 3, json!({"packageName":"nope"})).await;
    let b = assert_error(&r, 400, "RepositoryUriConnection");
    assert_eq!(b["data"]["name"], "a");
}

#[tokio::test]
async fn the_resource_proxy_serves_only_what_a_package_names() {
    let t = setup().await;
    // One server for the repository and the asset it names.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let asset = format!("{base}/files/tool.bin");
    let doc = json!({"packages":[{"packagingVersion":"3.0","name":"with-asset","version":"1",
        "releaseVersion":0,"maintainer":"m","description":"d","tags":[],
        "resource":{"assets":{"uris":{"tool":asset}}}}]});
    let body = serde_json::to_vec(&doc).unwrap();
    let app = axum::Router::new()
        .route(
            "/repo",
            axum::routing::get(move || {
                let body = body.clone();
                async move {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        body,
                    )
                }
            }),
        )
        .route(
            "/files/tool.bin",
            axum::routing::get(|| async {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/x-tool")],
                    vec![1u8, 2, 3],
                )
            }),
        );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let r = op(
        &t,
        Op::RepositoryAdd,
        1,
        json!({"name":"files","uri":format!("{base}/repo")}),
    )
    .await;
    assert_eq!(r.status, 200);

    let q = |u: &str| format!("/package/resource?url={}", urlencoding(u));
    let r = raw(&t, "GET", &q(&asset), &[], "").await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.body, [1, 2, 3]);
    assert_eq!(r.header("content-type"), Some("application/x-tool"));
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=\"tool.bin\"")
    );
    // Not named by a package: refused, not fetched.
    let r = raw(&t, "GET", &q(&format!("{base}/repo")), &[], "").await;
    let b = assert_error(&r, 403, "Forbidden");
    assert_eq!(b["data"]["url"], format!("{base}/repo"));
    let r = raw(&t, "GET", "/package/resource", &[], "").await;
    assert_error(&r, 400, "not_present");
}

fn urlencoding(s: &str) -> String {
    serde_urlencoded::to_string([("u", s)]).unwrap()[2..].to_string()
}
