//! `mesos serve hello`: `GET /` answers a greeting, `/echo[/...]` echoes
//! the request (method, path, query, headers, body) as JSON, `/health`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{any, get};
use axum::Router;
use serde::Serialize;

/// The default greeting.
pub const DEFAULT_MESSAGE: &str = "Hello from Mesos!";

/// What `GET /echo` answers.
#[derive(Debug, Serialize)]
pub struct Echo {
    pub method: String,
    pub path: String,
    pub query: String,
    /// Header names in lower case; repeated headers joined with `, `.
    pub headers: BTreeMap<String, String>,
    /// The body as text (invalid UTF-8 replaced).
    pub body: String,
}

/// The hello service's router.
pub fn router(message: &str) -> Router {
    let message = Arc::new(format!("{}\n", message.trim_end_matches('\n')));
    Router::new()
        .route("/", get(greet))
        .route("/health", get(super::health))
        .route("/echo", any(echo))
        .route("/echo/{*rest}", any(echo))
        .with_state(message)
}

async fn greet(State(message): State<Arc<String>>) -> Response {
    super::text(StatusCode::OK, message.as_str())
}

async fn echo(method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let mut hs: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in &headers {
        let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
        hs.entry(k.as_str().to_string())
            .and_modify(|e| {
                e.push_str(", ");
                e.push_str(&v);
            })
            .or_insert(v);
    }
    super::json(
        StatusCode::OK,
        &Echo {
            method: method.to_string(),
            path: uri.path().to_string(),
            query: uri.query().unwrap_or_default().to_string(),
            headers: hs,
            body: String::from_utf8_lossy(&body).into_owned(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{to_bytes, Body};
    use axum::http::Request;
    use tower::ServiceExt;

    #[tokio::test]
    async fn greets_and_echoes() {
        let app = router("hi there");
        let r = app
            .clone()
            .oneshot(Request::get("/").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let body = to_bytes(r.into_body(), 1 << 20).await.unwrap();
        assert_eq!(&body[..], b"hi there\n");
        let r = app
            .oneshot(
                Request::post("/echo/a/b?x=1")
                    .header("x-test", "yes")
                    .body(Body::from("payload"))
                    .unwrap(),
            )
            .await
            .unwrap();
        let v: serde_json::Value =
            serde_json::from_slice(&to_bytes(r.into_body(), 1 << 20).await.unwrap()).unwrap();
        assert_eq!(v["method"], "POST");
        assert_eq!(v["path"], "/echo/a/b");
        assert_eq!(v["query"], "x=1");
        assert_eq!(v["headers"]["x-test"], "yes");
        assert_eq!(v["body"], "payload");
    }
}
