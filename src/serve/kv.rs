//! `mesos serve kv`: a key-value store over HTTP.
//!
//! * `PUT /v1/kv/<key>` stores the body (UTF-8 text): `201` new, `200`
//!   replaced, answering `{"key": …, "created": …}`.
//! * `GET /v1/kv/<key>`: the value as `text/plain`, `404` when unknown.
//! * `DELETE /v1/kv/<key>`: `204`, `404` when unknown.
//! * `GET /v1/kv[?prefix=P]`: `{"keys": [...]}`, sorted.
//!
//! Keys may contain `/`. Every change is written to the data file (JSON,
//! through a temp file renamed over it) before it is answered, so the store
//! survives a restart.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

/// The default data file (relative: in the task sandbox).
pub const DEFAULT_DATA: &str = "kv-data.json";

/// The data file's content.
#[derive(Debug, Default, Serialize, Deserialize)]
struct DataFile {
    entries: BTreeMap<String, String>,
}

struct Store {
    path: PathBuf,
    entries: Mutex<BTreeMap<String, String>>,
}

#[derive(Serialize)]
struct Stored<'a> {
    key: &'a str,
    created: bool,
}

#[derive(Serialize)]
struct Keys {
    keys: Vec<String>,
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    prefix: String,
}

/// Load the store's data file (missing: empty).
fn load(path: &Path) -> Result<BTreeMap<String, String>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str::<DataFile>(&text)
            .map(|d| d.entries)
            .map_err(|e| format!("{}: not a kv data file: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// The store's router over the data file `data` (read now).
pub fn router(data: PathBuf) -> Result<Router, String> {
    let entries = load(&data)?;
    crate::info!("kv: {} keys loaded from {}", entries.len(), data.display());
    let store = Arc::new(Store {
        path: data,
        entries: Mutex::new(entries),
    });
    Ok(Router::new()
        .route("/health", get(super::health))
        .route("/v1/kv", get(list))
        .route("/v1/kv/", get(list))
        .route("/v1/kv/{*key}", get(read).put(write).delete(remove))
        .with_state(store))
}

impl Store {
    fn save(&self, entries: &BTreeMap<String, String>) -> Result<(), String> {
        let text = serde_json::to_vec_pretty(&DataFile {
            entries: entries.clone(),
        })
        .unwrap_or_default();
        crate::fsutil::write_atomic(&self.path, &text)
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))
    }
}

async fn list(State(store): State<Arc<Store>>, Query(q): Query<ListQuery>) -> Response {
    let entries = store.entries.lock().await;
    let keys = entries
        .keys()
        .filter(|k| k.starts_with(&q.prefix))
        .cloned()
        .collect();
    super::json(StatusCode::OK, &Keys { keys })
}

async fn read(State(store): State<Arc<Store>>, UrlPath(key): UrlPath<String>) -> Response {
    match store.entries.lock().await.get(&key) {
        Some(v) => super::text(StatusCode::OK, v.clone()),
        None => super::error(StatusCode::NOT_FOUND, format!("no key {key:?}")),
    }
}

async fn write(
    State(store): State<Arc<Store>>,
    UrlPath(key): UrlPath<String>,
    body: Bytes,
) -> Response {
    if key.is_empty() {
        return super::error(StatusCode::BAD_REQUEST, "the key is empty");
    }
    let Ok(value) = String::from_utf8(body.to_vec()) else {
        return super::error(StatusCode::BAD_REQUEST, "the value is not UTF-8 text");
    };
    let mut entries = store.entries.lock().await;
    let mut next = entries.clone();
    let created = next.insert(key.clone(), value).is_none();
    if let Err(e) = store.save(&next) {
        crate::error!("kv: {e}");
        return super::error(StatusCode::INTERNAL_SERVER_ERROR, e);
    }
    *entries = next;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    super::json(status, &Stored { key: &key, created })
}

async fn remove(State(store): State<Arc<Store>>, UrlPath(key): UrlPath<String>) -> Response {
    let mut entries = store.entries.lock().await;
    if !entries.contains_key(&key) {
        return super::error(StatusCode::NOT_FOUND, format!("no key {key:?}"));
    }
    let mut next = entries.clone();
    next.remove(&key);
    if let Err(e) = store.save(&next) {
        crate::error!("kv: {e}");
        return super::error(StatusCode::INTERNAL_SERVER_ERROR, e);
    }
    *entries = next;
    let mut r = Response::new(axum::body::Body::empty());
    *r.status_mut() = StatusCode::NO_CONTENT;
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{to_bytes, Body};
    use axum::http::Request;
    use tower::ServiceExt;

    async fn call(app: &Router, method: &str, path: &str, body: &str) -> (u16, String) {
        let r = app
            .clone()
            .oneshot(
                Request::builder()
                    .method(method)
                    .uri(path)
                    .body(Body::from(body.to_string()))
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = r.status().as_u16();
        let body = to_bytes(r.into_body(), 1 << 20).await.unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn put_get_list_delete_and_reload() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("kv.json");
        let app = router(data.clone()).unwrap();
        assert_eq!(call(&app, "PUT", "/v1/kv/a/b", "1").await.0, 201);
        assert_eq!(call(&app, "PUT", "/v1/kv/a/b", "2").await.0, 200);
        assert_eq!(call(&app, "PUT", "/v1/kv/c", "3").await.0, 201);
        assert_eq!(call(&app, "GET", "/v1/kv/a/b", "").await, (200, "2".into()));
        let (_, keys) = call(&app, "GET", "/v1/kv?prefix=a", "").await;
        let keys: serde_json::Value = serde_json::from_str(&keys).unwrap();
        assert_eq!(keys["keys"], serde_json::json!(["a/b"]));
        assert_eq!(call(&app, "DELETE", "/v1/kv/c", "").await.0, 204);
        assert_eq!(call(&app, "DELETE", "/v1/kv/c", "").await.0, 404);
        assert_eq!(call(&app, "GET", "/v1/kv/c", "").await.0, 404);
        let again = router(data.clone()).unwrap();
        assert_eq!(
            call(&again, "GET", "/v1/kv/a/b", "").await,
            (200, "2".into())
        );
        std::fs::write(&data, "{broken").unwrap();
        let err = router(data).err().unwrap();
        assert!(err.contains("kv.json: not a kv data file"), "{err}");
    }
}
