//! The Cosmos API next to `/v2`: media-type negotiation and its errors,
//! every op's response type and shape (key sets as real Cosmos sends
//! them), the repository list in the store, install / list / uninstall on
//! the in-process Marathon.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request};
use serde_json::{json, Value};
use tower::ServiceExt;

use super::{setup, Resp, T};
use crate::marathon::cosmos::repos::KEY;
use crate::packages::cosmos::{Op, CAPABILITIES_TYPE, ERROR_TYPE};
use crate::packages::model::MarathonTemplate;
use crate::wire::marathon::PathId;

const TEMPLATE: &str = r#"{
  "id": "{{service.name}}",
  "cmd": "sleep {{service.seconds}}",
  "cpus": 0.1,
  "mem": 32,
  "instances": 1
}"#;

/// A repository document with `cosmos-sleeper` 1.0.0 (release 0) and
/// 1.1.0 (release 1), and `cosmos-cli-only` (no template).
fn test_repo() -> Value {
    let template = MarathonTemplate::from_template(TEMPLATE).v2_app_mustache_template;
    let config = json!({"type":"object","additionalProperties":false,"properties":{
        "service":{"type":"object","additionalProperties":false,"properties":{
            "name":{"type":"string","default":"sleeper"},
            "seconds":{"type":"integer","default":600}}}}});
    let sleeper = |version: &str, release: u64| {
        json!({"packagingVersion":"3.0","name":"cosmos-sleeper","version":version,
            "releaseVersion":release,"maintainer":"dev@example.com",
            "description":"Sleeps for a while","tags":["test","sleep"],
            "postInstallNotes":"It sleeps.","postUninstallNotes":"It woke up.",
            "config":config,"marathon":{"v2AppMustacheTemplate":template}})
    };
    json!({"packages":[
        sleeper("1.0.0", 0),
        sleeper("1.1.0", 1),
        {"packagingVersion":"3.0","name":"cosmos-cli-only","version":"0.1.0","releaseVersion":0,
         "maintainer":"dev@example.com","description":"Only a CLI","tags":[]}
    ]})
}

/// Serve `doc` at `http://127.0.0.1:<port>/repo` as a v4 repository.
async fn serve_repo(doc: Value) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let body = serde_json::to_vec(&doc).unwrap();
    let app = axum::Router::new().route(
        "/repo",
        axum::routing::get(move || {
            let body = body.clone();
            async move {
                (
                    [(
                        axum::http::header::CONTENT_TYPE,
                        crate::packages::cosmos::REPO_TYPES[1],
                    )],
                    body,
                )
            }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://127.0.0.1:{port}/repo")
}

async fn raw(t: &T, method: &str, uri: &str, headers: &[(&str, String)], body: &str) -> Resp {
    let mut req = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap())
        .uri(uri);
    for (k, v) in headers {
        req = req.header(*k, v.as_str());
    }
    let resp = t
        .app
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), 1 << 24)
        .await
        .unwrap()
        .to_vec();
    Resp {
        status,
        headers,
        body,
    }
}

/// POST an op with its request type and `Accept` of response `version`.
async fn op(t: &T, op: Op, version: u8, body: Value) -> Resp {
    raw(
        t,
        "POST",
        &format!("/package/{}", op.path()),
        &[
            ("content-type", op.request_type()),
            ("accept", op.response_type(version)),
        ],
        &body.to_string(),
    )
    .await
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn set<'a>(k: &[&'a str]) -> BTreeSet<&'a str> {
    k.iter().copied().collect()
}

/// A 400 Cosmos error of `kind`, with the error media type.
fn assert_error(r: &Resp, status: u16, kind: &str) -> Value {
    assert_eq!(r.status, status, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some(ERROR_TYPE));
    let b = r.json();
    assert_eq!(b["type"], kind, "{b}");
    assert!(b["message"].as_str().is_some_and(|m| !m.is_empty()));
    b
}

async fn with_test_repo(t: &T) -> String {
    let uri = serve_repo(test_repo()).await;
    let r = op(
        t,
        Op::RepositoryAdd,
        1,
        json!({"name":"test","uri":uri,"index":0}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    uri
}

#[tokio::test]
async fn capabilities_need_their_accept_type() {
    let t = setup().await;
    let accept = [("accept", CAPABILITIES_TYPE.to_string())];
    let r = raw(&t, "GET", "/capabilities", &accept, "").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some(CAPABILITIES_TYPE));
    let names: Vec<String> = r.json()["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(keys(c), set(&["name"]));
            c["name"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        names,
        [
            "PACKAGE_MANAGEMENT",
            "SUPPORT_CLUSTER_REPORT",
            "METRONOME",
            "LOGGING",
            "LOGGING_V2"
        ]
    );
    let r = raw(&t, "GET", "/capabilities", &[], "").await;
    assert_error(&r, 400, "not_present");
    let r = raw(
        &t,
        "GET",
        "/capabilities",
        &[("accept", "application/json".into())],
        "",
    )
    .await;
    assert_error(&r, 400, "not_valid");
}

#[tokio::test]
async fn headers_and_bodies_are_checked_like_cosmos() {
    let t = setup().await;
    let search = Op::Search;
    let path = "/package/search";
    // Wrong Content-Type.
    let r = raw(
        &t,
        "POST",
        path,
        &[
            ("content-type", "application/json".into()),
            ("accept", search.response_type(1)),
        ],
        "{}",
    )
    .await;
    let b = assert_error(&r, 400, "not_valid");
    assert!(
        b["message"].as_str().unwrap().contains("Content-Type"),
        "{b}"
    );
    // The version must match; parameters in another order and case are fine.
    let v2 = search.request_type().replace("version=v1", "version=v2");
    let r = raw(
        &t,
        "POST",
        path,
        &[("content-type", v2), ("accept", search.response_type(1))],
        "{}",
    )
    .await;
    assert_error(&r, 400, "not_valid");
    // Missing Accept.
    let r = raw(
        &t,
        "POST",
        path,
        &[("content-type", search.request_type())],
        "{}",
    )
    .await;
    let b = assert_error(&r, 400, "not_present");
    assert_eq!(
        b["message"],
        "Item 'header 'Accept'' not present but required"
    );
    // An Accept we do not serve.
    let r = raw(
        &t,
        "POST",
        path,
        &[
            ("content-type", search.request_type()),
            ("accept", search.response_type(2)),
        ],
        "{}",
    )
    .await;
    let b = assert_error(&r, 400, "not_valid");
    assert_eq!(b["data"]["available"], json!([search.response_type(1)]));
    assert_eq!(
        b["data"]["invalidItem"],
        json!({"type":"header","name":"Accept"})
    );
    // An unknown field, and no body at all.
    let r = op(&t, Op::Search, 1, json!({"query":"x","extra":1})).await;
    let b = assert_error(&r, 400, "not_parsed");
    assert!(b["message"].as_str().unwrap().contains("extra"), "{b}");
    let r = raw(
        &t,
        "POST",
        path,
        &[
            ("content-type", search.request_type()),
            ("accept", search.response_type(1)),
        ],
        "",
    )
    .await;
    assert_error(&r, 400, "not_present");
    // Everything wrong at once.
    let r = raw(&t, "POST", path, &[], "nope").await;
    let b = assert_error(&r, 400, "multiple_errors");
    let kinds: Vec<&str> = b["data"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["not_present", "not_present", "not_parsed"]);
    // repository/list takes exactly {}.
    let r = op(&t, Op::RepositoryList, 1, json!({"x":1})).await;
    assert_error(&r, 400, "not_parsed");
    // Unknown ops are Marathon's 404; GET is not served.
    let r = raw(&t, "POST", "/package/nope", &[], "{}").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["message"], "URI not found: /package/nope");
    let r = raw(&t, "GET", path, &[], "").await;
    assert_eq!(r.status, 405);
}

#[tokio::test]
async fn repository_list_add_delete_and_their_errors() {
    let t = setup().await;
    let list = |r: &Resp| {
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let b = r.json();
        assert_eq!(keys(&b), set(&["repositories"]));
        b["repositories"].clone()
    };
    let r = op(&t, Op::RepositoryList, 1, json!({})).await;
    assert_eq!(
        r.header("content-type").unwrap(),
        Op::RepositoryList.response_type(1)
    );
    assert_eq!(list(&r), json!([{"name":"builtin","uri":"builtin"}]));

    let r = op(
        &t,
        Op::RepositoryAdd,
        1,
        json!({"name":"a","uri":"http://a.example/repo"}),
    )
    .await;
    assert_eq!(
        r.header("content-type").unwrap(),
        Op::RepositoryAdd.response_type(1)
    );
    assert_eq!(
        list(&r),
        json!([{"name":"builtin","uri":"builtin"},{"name":"a","uri":"http://a.example/repo"}])
    );
    let r = op(
        &t,
        Op::RepositoryAdd,
        1,
        json!({"name":"b","uri":"https://b.example/repo","index":0}),
    )
    .await;
    assert_eq!(list(&r)[0]["name"], "b");

    let r = op(
        &t,
        Op::RepositoryAdd,
        1,
        json!({"name":"a","uri":"http://other/repo"}),
    )
    .await;
    let b = assert_error(&r, 400, "RepositoryAlreadyPresent");
    assert_eq!(b["data"], json!({"name":"a"}));
    assert_eq!(
        b["message"],
        "Repository name [a] is already present in the list"
    );
    let r = op(
        &t,
        Op::RepositoryAdd,
        1,
        json!({"name":"c","uri":"http://c/repo","index":4}),
    )
    .await;
    let b = assert_error(&r, 400, "RepositoryAddIndexOutOfBounds");
    assert_eq!(b["data"], json!({"attempted":4,"max":2}));
    let r = op(
        &t,
        Op::RepositoryAdd,
        1,
        json!({"name":"f","uri":"file:///tmp/repo.json"}),
    )
    .await;
    let b = assert_error(&r, 400, "UnsupportedRepositoryUri");
    assert_eq!(b["data"], json!({"uri":"file:///tmp/repo.json"}));

    let r = op(&t, Op::RepositoryDelete, 1, json!({})).await;
    assert_error(&r, 400, "RepoNameOrUriMissing");
    let r = op(&t, Op::RepositoryDelete, 1, json!({"name":"zzz"})).await;
    let b = assert_error(&r, 400, "RepositoryNotPresent");
    assert_eq!(b["data"], json!({"name":"zzz"}));
    let r = op(
        &t,
        Op::RepositoryDelete,
        1,
        json!({"uri":"https://b.example/repo"}),
    )
    .await;
    assert_eq!(
        r.header("content-type").unwrap(),
        Op::RepositoryDelete.response_type(1)
    );
    assert_eq!(
        list(&r),
        json!([{"name":"builtin","uri":"builtin"},{"name":"a","uri":"http://a.example/repo"}])
    );
    // Kept in the state store.
    let stored: Value =
        serde_json::from_slice(&t.ctx.api.store.get(KEY).await.unwrap().unwrap()).unwrap();
    assert_eq!(stored["repositories"][1]["name"], "a");
}

#[tokio::test]
async fn search_describe_list_versions_render() {
    let t = setup().await;
    let uri = with_test_repo(&t).await;

    let r = op(&t, Op::Search, 1, json!({"query":"sleep"})).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        r.header("content-type").unwrap(),
        Op::Search.response_type(1)
    );
    let b = r.json();
    assert_eq!(keys(&b), set(&["packages"]));
    let found: Vec<&Value> = b["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"] == "cosmos-sleeper")
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(
        keys(found[0]),
        set(&[
            "name",
            "currentVersion",
            "versions",
            "description",
            "framework",
            "selected",
            "tags"
        ])
    );
    assert_eq!(found[0]["currentVersion"], "1.1.0");
    assert_eq!(found[0]["versions"], json!({"1.0.0":0,"1.1.0":1}));

    // describe v3 wraps, v2 is the bare package.
    let r = op(&t, Op::Describe, 3, json!({"packageName":"cosmos-sleeper"})).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type").unwrap(),
        Op::Describe.response_type(3)
    );
    let v3 = r.json();
    assert_eq!(keys(&v3), set(&["package"]));
    assert_eq!(v3["package"]["version"], "1.1.0");
    let r = op(
        &t,
        Op::Describe,
        2,
        json!({"packageName":"cosmos-sleeper","packageVersion":"1.0.0"}),
    )
    .await;
    assert_eq!(
        r.header("content-type").unwrap(),
        Op::Describe.response_type(2)
    );
    let v2 = r.json();
    assert_eq!(v2["name"], "cosmos-sleeper");
    assert_eq!(v2["version"], "1.0.0");
    assert!(v2.get("package").is_none());
    // Both offered: v3 first.
    let r = raw(
        &t,
        "POST",
        "/package/describe",
        &[
            ("content-type", Op::Describe.request_type()),
            (
                "accept",
                format!(
                    "{},{}",
                    Op::Describe.response_type(2),
                    Op::Describe.response_type(3)
                ),
            ),
        ],
        r#"{"packageName":"cosmos-sleeper"}"#,
    )
    .await;
    assert_eq!(
        r.header("content-type").unwrap(),
        Op::Describe.response_type(2)
    );

    let r = op(&t, Op::Describe, 3, json!({"packageName":"nope"})).await;
    let b = assert_error(&r, 400, "PackageNotFound");
    assert_eq!(b["data"], json!({"packageName":"nope"}));
    assert_eq!(b["message"], "Package [nope] not found");
    let r = op(
        &t,
        Op::Describe,
        3,
        json!({"packageName":"cosmos-sleeper","packageVersion":"9"}),
    )
    .await;
    let b = assert_error(&r, 400, "VersionNotFound");
    assert_eq!(
        b["data"],
        json!({"packageName":"cosmos-sleeper","packageVersion":"9"})
    );

    let r = op(
        &t,
        Op::ListVersions,
        1,
        json!({"packageName":"cosmos-sleeper","includePackageVersions":true}),
    )
    .await;
    assert_eq!(
        r.header("content-type").unwrap(),
        Op::ListVersions.response_type(1)
    );
    assert_eq!(r.json(), json!({"results":{"1.0.0":"0","1.1.0":"1"}}));

    let r = op(
        &t,
        Op::Render,
        1,
        json!({"packageName":"cosmos-sleeper","options":{"service":{"name":"nap"}}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        r.header("content-type").unwrap(),
        Op::Render.response_type(1)
    );
    let b = r.json();
    assert_eq!(keys(&b), set(&["marathonJson"]));
    assert_eq!(b["marathonJson"]["id"], "nap");
    assert_eq!(b["marathonJson"]["cmd"], "sleep 600");
    let labels = &b["marathonJson"]["labels"];
    assert_eq!(labels["DCOS_PACKAGE_NAME"], "cosmos-sleeper");
    assert_eq!(labels["DCOS_PACKAGE_SOURCE"], uri.as_str());
    let r = op(
        &t,
        Op::Render,
        1,
        json!({"packageName":"cosmos-sleeper","options":{"service":{"seconds":"x"}}}),
    )
    .await;
    assert_error(&r, 400, "JsonSchemaMismatch");
    let r = op(&t, Op::Render, 1, json!({"packageName":"cosmos-cli-only"})).await;
    assert_error(&r, 400, "ServiceMarathonTemplateNotFound");
}

#[tokio::test]
async fn install_list_uninstall_on_the_marathon_in_process() {
    let t = setup().await;
    with_test_repo(&t).await;

    // v2: the app id and notes.
    let r = op(&t, Op::Install, 2, json!({"packageName":"cosmos-sleeper"})).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        r.header("content-type").unwrap(),
        Op::Install.response_type(2)
    );
    let b = r.json();
    assert_eq!(
        keys(&b),
        set(&["packageName", "packageVersion", "appId", "postInstallNotes"])
    );
    assert_eq!(b["appId"], "/sleeper");
    assert_eq!(b["packageVersion"], "1.1.0");
    let view = t
        .ctx
        .api
        .app_view(&PathId::parse("/sleeper"), &Default::default())
        .expect("the app exists");
    assert_eq!(view.app.cmd.as_deref(), Some("sleep 600"));
    assert_eq!(
        view.app.labels.get("DCOS_PACKAGE_NAME").map(String::as_str),
        Some("cosmos-sleeper")
    );
    assert!(view.app.labels.contains_key("DCOS_PACKAGE_DEFINITION"));
    t.finish_deployments();

    // Again: 409.
    let r = op(&t, Op::Install, 2, json!({"packageName":"cosmos-sleeper"})).await;
    assert_error(&r, 409, "PackageAlreadyInstalled");

    // v1: exactly three keys. An invalid app is Marathon's 422 → 400.
    let r = op(
        &t,
        Op::Install,
        1,
        json!({"packageName":"cosmos-sleeper","packageVersion":"1.0.0","appId":"/naps/two"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        r.header("content-type").unwrap(),
        Op::Install.response_type(1)
    );
    assert_eq!(
        r.json(),
        json!({"packageName":"cosmos-sleeper","packageVersion":"1.0.0","appId":"/naps/two"})
    );
    t.finish_deployments();
    let r = op(
        &t,
        Op::Install,
        2,
        json!({"packageName":"cosmos-sleeper","appId":"/sleeper/below"}),
    )
    .await;
    let b = assert_error(&r, 400, "MarathonBadResponse");
    assert!(b["data"]["errors"].is_array(), "{b}");

    // list: both, sorted by app id, Cosmos' shape.
    let r = op(&t, Op::List, 1, json!({"packageName":"cosmos-sleeper"})).await;
    assert_eq!(r.header("content-type").unwrap(), Op::List.response_type(1));
    let b = r.json();
    let pkgs = b["packages"].as_array().unwrap();
    let ids: Vec<&str> = pkgs.iter().map(|p| p["appId"].as_str().unwrap()).collect();
    assert_eq!(ids, ["/naps/two", "/sleeper"]);
    assert_eq!(keys(&pkgs[0]), set(&["appId", "packageInformation"]));
    assert_eq!(
        keys(&pkgs[0]["packageInformation"]),
        set(&["packageDefinition"])
    );
    assert_eq!(
        pkgs[0]["packageInformation"]["packageDefinition"]["version"],
        "1.0.0"
    );

    // uninstall: ambiguous without all, then one by id.
    let r = op(
        &t,
        Op::Uninstall,
        1,
        json!({"packageName":"cosmos-sleeper"}),
    )
    .await;
    let b = assert_error(&r, 400, "AmbiguousAppId");
    assert_eq!(b["data"]["appIds"], json!(["/naps/two", "/sleeper"]));
    let r = op(
        &t,
        Op::Uninstall,
        1,
        json!({"packageName":"cosmos-sleeper","appId":"/sleeper"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        r.header("content-type").unwrap(),
        Op::Uninstall.response_type(1)
    );
    let b = r.json();
    assert_eq!(keys(&b), set(&["results"]));
    assert_eq!(
        keys(&b["results"][0]),
        set(&[
            "packageName",
            "appId",
            "packageVersion",
            "postUninstallNotes"
        ])
    );
    assert_eq!(b["results"][0]["appId"], "/sleeper");
    assert!(t
        .ctx
        .api
        .app_view(&PathId::parse("/sleeper"), &Default::default())
        .is_none());
    let r = op(
        &t,
        Op::Uninstall,
        1,
        json!({"packageName":"cosmos-sleeper","appId":"/sleeper"}),
    )
    .await;
    assert_error(&r, 400, "UninstallNonExistentAppForPackage");
    let r = op(
        &t,
        Op::Uninstall,
        1,
        json!({"packageName":"cosmos-cli-only"}),
    )
    .await;
    assert_error(&r, 400, "PackageNotInstalled");
}

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
