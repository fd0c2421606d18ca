//! `GET /webui/api/masters`: the masters of the cluster as this master
//! sees them (every ZooKeeper contender, read by `super::super::contender`
//! into `Master::contenders`; just this master without `--zk`), which one
//! leads and which one answered. The UI asks it at start and on errors to
//! find the leader.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::super::http::Json;
use super::super::state::{Leadership, Shared};
use crate::wire::MasterInfo;

/// The body.
#[derive(Clone, Debug, Serialize)]
pub struct Masters {
    pub masters: Vec<MasterEntry>,
}

/// One master.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct MasterEntry {
    pub id: String,
    pub hostname: String,
    pub ip: String,
    pub port: u16,
    /// `http(s)://hostname:port` (no trailing slash).
    pub url: String,
    pub leader: bool,
    /// The master that answered.
    #[serde(rename = "self")]
    pub this: bool,
}

/// The handler. A page served by another master of the cluster may read
/// it (CORS for exactly those origins): when its own master dies, the UI
/// asks the others for the new leader.
pub async fn masters(State(m): State<Shared>, headers: HeaderMap) -> Response {
    let body = Masters { masters: list(&m) };
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .filter(|o| body.masters.iter().any(|e| e.url == *o))
        .map(str::to_string);
    let mut resp = super::secure(&m, Json(body).into_response());
    if let Some(v) = origin.and_then(|o| HeaderValue::from_str(&o).ok()) {
        resp.headers_mut()
            .insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
        resp.headers_mut()
            .insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    resp
}

/// Every known master, this one included, ordered by id.
pub fn list(m: &Shared) -> Vec<MasterEntry> {
    let contenders = m
        .contenders
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let st = m.lock();
    let own = st.info.clone();
    let leader_id = match &st.leadership {
        Leadership::Leading => own.id.clone(),
        Leadership::Following(info) => info.id.clone(),
        Leadership::Unknown => None,
    };
    drop(st);
    let mut out: Vec<MasterEntry> = Vec::new();
    let mut push = |info: &MasterInfo| {
        if out.iter().any(|e| Some(&e.id) == info.id.as_ref()) {
            return;
        }
        let id = info.id.clone().unwrap_or_default();
        let ip = info.ip_string().unwrap_or_default();
        let hostname = info.hostname_string().unwrap_or_else(|| ip.clone());
        let port = info.port_number().unwrap_or(5050);
        out.push(MasterEntry {
            url: format!("{}://{hostname}:{port}", crate::daemon::tls::scheme()),
            leader: leader_id.as_deref() == Some(id.as_str()),
            this: own.id.as_deref() == Some(id.as_str()),
            id,
            hostname,
            ip,
            port,
        });
    };
    push(&own);
    for c in &contenders {
        push(c);
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}
