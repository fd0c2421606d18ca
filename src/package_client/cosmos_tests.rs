//! The client against a small fake Cosmos: the headers it sends, describe's
//! v3 → v2 fallback, Cosmos error bodies, and answers that are not Cosmos.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use serde_json::json;

use super::*;
use crate::packages::cosmos::Op;

/// An old Cosmos: describe only in v2; search answers HTML; list an error
/// body; install checks what it is sent.
async fn fake() -> Url {
    async fn describe(h: HeaderMap) -> axum::response::Response {
        let accept = h.get(header::ACCEPT).unwrap().to_str().unwrap().to_string();
        if accept.contains("version=v3") {
            let body =
                json!({"type":"not_valid","message":"Item 'header 'Accept'' deemed invalid"});
            return (
                StatusCode::BAD_REQUEST,
                [(header::CONTENT_TYPE, ERROR_TYPE)],
                body.to_string(),
            )
                .into_response();
        }
        let pkg = json!({"packagingVersion":"2.0","name":"old","version":"1.0","maintainer":"m",
            "description":"d","tags":[]});
        (
            [(header::CONTENT_TYPE, Op::Describe.response_type(2))],
            pkg.to_string(),
        )
            .into_response()
    }
    async fn install(h: HeaderMap) -> axum::response::Response {
        assert_eq!(
            h.get(header::CONTENT_TYPE).unwrap(),
            Op::Install.request_type().as_str()
        );
        assert_eq!(
            h.get(header::ACCEPT).unwrap(),
            Op::Install.response_type(2).as_str()
        );
        (
            [(header::CONTENT_TYPE, Op::Install.response_type(2))],
            json!({"packageName":"old","packageVersion":"1.0","appId":"/old"}).to_string(),
        )
            .into_response()
    }
    let app = axum::Router::new()
        .route("/package/describe", post(describe))
        .route("/package/install", post(install))
        .route(
            "/package/search",
            post(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    "<html><body>Welcome</body></html>",
                )
            }),
        )
        .route(
            "/package/list",
            post(|| async {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::CONTENT_TYPE, ERROR_TYPE)],
                    json!({"type":"ServiceUnavailable","message":"Unable to complete request due to service [marathon] unavailability"}).to_string(),
                )
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://127.0.0.1:{port}/").parse().unwrap()
}

fn client(base: Url) -> CosmosClient {
    CosmosClient::new(
        HttpClient::new(&crate::http::HttpOptions::default()).unwrap(),
        base,
    )
}

#[tokio::test]
async fn describe_falls_back_to_v2_and_install_asks_for_v2() {
    let c = client(fake().await);
    let d = c
        .describe(&DescribeRequest {
            package_name: "old".into(),
            package_version: None,
        })
        .await
        .unwrap();
    assert_eq!(d.package.name, "old");
    let i = c
        .install(&InstallRequest {
            package_name: "old".into(),
            ..InstallRequest::default()
        })
        .await
        .unwrap();
    assert_eq!(i.response.app_id.as_deref(), Some("/old"));
    assert!(i.created.is_none());
}

#[tokio::test]
async fn error_bodies_and_answers_that_are_not_cosmos() {
    let base = fake().await;
    let c = client(base.clone());
    let e = c.list(&ListRequest::default()).await.unwrap_err();
    assert_eq!((e.kind.as_str(), e.status), ("ServiceUnavailable", 503));
    assert!(e.message.contains("[marathon]"), "{}", e.message);

    let e = c.search(&SearchRequest::default()).await.unwrap_err();
    assert_eq!(e.kind, "UnexpectedResponse");
    assert!(
        e.message.contains(&format!("{base}package/search"))
            && e.message.contains("text/html")
            && e.message.contains("HTTP 200"),
        "{}",
        e.message
    );
    // A path the fake does not serve: axum's empty 404.
    let e = c.repository_list().await.unwrap_err();
    assert_eq!(e.status, 404);
    assert!(
        e.message.contains("not the Cosmos package API"),
        "{}",
        e.message
    );

    // Nothing listening.
    let gone = client("http://127.0.0.1:1/".parse().unwrap());
    let e = gone.search(&SearchRequest::default()).await.unwrap_err();
    assert_eq!((e.kind.as_str(), e.status), ("ServiceUnavailable", 503));
    assert!(e.message.contains("127.0.0.1:1"), "{}", e.message);
    assert!(capabilities(&gone.http, &gone.base).await.is_err());
}
