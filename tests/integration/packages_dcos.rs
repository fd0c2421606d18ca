//! `mesos package` against a DC/OS cluster whose `GET /capabilities` lists
//! PACKAGE_MANAGEMENT: the Cosmos API under the cluster's URL is used (a
//! fixture server plays the cluster: Admin Router's `/mesos`,
//! `/capabilities` and the Cosmos `/package/*` RPCs).

use serde_json::json;

use crate::common::http::{Answer, TestServer};
use crate::common::TestEnv;

const CAPS: &str = "application/vnd.dcos.capabilities+json;charset=utf-8;version=v1";
const SEARCH_REQ: &str =
    "application/vnd.dcos.package.search-request+json;charset=utf-8;version=v1";
const SEARCH_RESP: &str =
    "application/vnd.dcos.package.search-response+json;charset=utf-8;version=v1";
const DESCRIBE_REQ: &str =
    "application/vnd.dcos.package.describe-request+json;charset=utf-8;version=v1";
const DESCRIBE_RESP: &str =
    "application/vnd.dcos.package.describe-response+json;charset=utf-8;version=v3";

fn typed(content_type: &str, body: serde_json::Value) -> Answer {
    Answer {
        status: 200,
        headers: vec![("content-type".into(), content_type.into())],
        body: body.to_string().into_bytes(),
    }
}

#[test]
fn a_dcos_cluster_with_package_management_is_used_through_the_cosmos_api() {
    let env = TestEnv::new();
    let server = TestServer::start();
    server.route(
        "/capabilities",
        typed(
            CAPS,
            json!({"capabilities": [{"name": "PACKAGE_MANAGEMENT"}, {"name": "LOGGING"}]}),
        ),
    );
    server.route(
        "/package/search",
        typed(
            SEARCH_RESP,
            json!({"packages": [{"name": "cosmos-only", "currentVersion": "2.1.0",
                "versions": {"2.1.0": 3, "2.0.0": 2}, "description": "Served by the cluster's Cosmos",
                "framework": true, "selected": false, "tags": ["dcos"]}]}),
        ),
    );
    server.route(
        "/package/describe",
        typed(
            DESCRIBE_RESP,
            json!({"package": {"packagingVersion": "4.0", "name": "cosmos-only",
                "version": "2.1.0", "releaseVersion": 3, "maintainer": "ops@example.com",
                "description": "Served by the cluster's Cosmos", "tags": ["dcos"],
                "framework": true}}),
        ),
    );
    let master = format!("{}/mesos", server.url());

    let r = env.run(&["--master", &master, "-v", "package", "search"]);
    r.assert_ok();
    assert!(r.stdout.contains("cosmos-only"), "{}", r.stdout);
    assert!(r.stdout.contains("2.1.0"), "{}", r.stdout);
    assert!(
        r.stderr.contains(&format!(
            "using the Cosmos package API at {}",
            server.url().trim_end_matches('/')
        )) && r
            .stderr
            .contains("the DC/OS cluster's /capabilities lists PACKAGE_MANAGEMENT"),
        "{}",
        r.stderr
    );
    let searches = server.requests_to("/package/search");
    assert_eq!(searches.len(), 1);
    assert_eq!(searches[0].method, "POST");
    assert_eq!(searches[0].headers.get("content-type").unwrap(), SEARCH_REQ);
    assert_eq!(searches[0].headers.get("accept").unwrap(), SEARCH_RESP);
    assert_eq!(
        server.requests_to("/capabilities")[0]
            .headers
            .get("accept")
            .unwrap(),
        CAPS
    );

    let r = env.run(&[
        "--master",
        &master,
        "package",
        "describe",
        "cosmos-only",
        "--json",
    ]);
    r.assert_ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let described = v.get("package").unwrap_or(&v);
    assert_eq!(described["maintainer"], "ops@example.com", "{}", r.stdout);
    let describes = server.requests_to("/package/describe");
    assert_eq!(describes.len(), 1);
    assert_eq!(
        describes[0].headers.get("content-type").unwrap(),
        DESCRIBE_REQ
    );
    assert_eq!(describes[0].json()["packageName"], "cosmos-only");
    // Nothing but /capabilities and the Cosmos RPCs was asked.
    assert!(
        server
            .paths()
            .iter()
            .all(|p| p == "/capabilities" || p.starts_with("/package/")),
        "{:?}",
        server.paths()
    );
}
