//! `/v2/info`, `/v2/leader` (GET, DELETE = abdicate), `/ping`, `/metrics`.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use super::{error, json, text, Shared};
use crate::marathon::core::api::ApiError;
use crate::wire::marathon::{ErrorBody, Info, LeaderInfo};

/// The version `/v2/info` reports: the Marathon API level we speak.
pub const MARATHON_VERSION: &str = "1.5.0";

/// `GET /ping`: `pong` (no auth).
pub async fn ping() -> Response {
    text(StatusCode::OK, "pong".into())
}

/// `GET /v2/info`: exactly the 1.5 keys.
pub async fn info(State(ctx): State<Shared>) -> Response {
    let lead = ctx.leadership.borrow().clone();
    let body = Info {
        name: "marathon".into(),
        version: MARATHON_VERSION.into(),
        buildref: env!("CARGO_PKG_VERSION").into(),
        elected: lead.leading,
        leader: lead.leader,
        framework_id: ctx.api.marathon.lock().framework_id.clone(),
        marathon_config: ctx.info.marathon_config.clone(),
        zookeeper_config: ctx.info.zookeeper_config.clone(),
        http_config: ctx.info.http_config.clone(),
    };
    json(StatusCode::OK, &body)
}

/// `GET /v2/leader`: `{"leader":"host:port"}`, 404 when none.
pub async fn leader(State(ctx): State<Shared>) -> Response {
    match ctx.leadership.borrow().leader.clone() {
        Some(leader) => json(StatusCode::OK, &LeaderInfo { leader }),
        None => json(StatusCode::NOT_FOUND, &ErrorBody::new("There is no leader")),
    }
}

/// `DELETE /v2/leader`: give up leadership (when leading).
pub async fn abdicate(State(ctx): State<Shared>) -> Response {
    if !ctx.leadership.borrow().leading {
        return json(StatusCode::NOT_FOUND, &ErrorBody::new("There is no leader"));
    }
    if let Some(e) = &ctx.election {
        if let Err(why) = e.abdicate().await {
            return error(ApiError::Unavailable(format!("Cannot abdicate: {why}")));
        }
    }
    crate::info!("Abdicating leadership on request");
    json(StatusCode::OK, &ErrorBody::new("Leadership abdicated"))
}

/// One gauge of `/metrics`.
#[derive(Serialize)]
struct Gauge {
    #[serde(serialize_with = "crate::wire::marathon::num")]
    value: f64,
}

/// `/metrics` in the Dropwizard JSON shape Marathon 1.5 writes.
#[derive(Serialize)]
struct Metrics {
    version: &'static str,
    gauges: BTreeMap<String, Gauge>,
    counters: BTreeMap<String, Gauge>,
    histograms: BTreeMap<String, Gauge>,
    meters: BTreeMap<String, Gauge>,
    timers: BTreeMap<String, Gauge>,
}

/// `GET /metrics`.
pub async fn metrics(State(ctx): State<Shared>) -> Response {
    let (apps, groups, running, staged, deployments, queued) = {
        let st = ctx.api.marathon.lock();
        let running = st.instances.values().filter(|i| i.is_running()).count();
        let staged = st.instances.values().filter(|i| i.is_staged()).count();
        let mut groups = std::collections::BTreeSet::new();
        for a in st.apps.keys() {
            let mut g = a.parent();
            while !g.is_root() {
                groups.insert(g.clone());
                g = g.parent();
            }
        }
        groups.extend(st.groups.keys().filter(|g| !g.is_root()).cloned());
        let queued: u32 = st
            .apps
            .values()
            .map(|a| {
                a.instances
                    .saturating_sub(st.instances_of(&a.id).count() as u32)
            })
            .sum();
        (
            st.apps.len(),
            groups.len() + 1,
            running,
            staged,
            st.deployments.len(),
            queued,
        )
    };
    let p = "service.mesosphere.marathon";
    let mut gauges = BTreeMap::new();
    let mut put = |name: &str, value: f64| {
        gauges.insert(format!("{p}.{name}"), Gauge { value });
    };
    put("app.count", apps as f64);
    put("group.count", groups as f64);
    put("task.running.count", running as f64);
    put("task.staged.count", staged as f64);
    put("deployments.active", deployments as f64);
    put("launchQueue.count", queued as f64);
    put("uptime", ctx.started.elapsed().as_millis() as f64);
    json(
        StatusCode::OK,
        &Metrics {
            version: "3.0.0",
            gauges,
            counters: BTreeMap::new(),
            histograms: BTreeMap::new(),
            meters: BTreeMap::new(),
            timers: BTreeMap::new(),
        },
    )
}
