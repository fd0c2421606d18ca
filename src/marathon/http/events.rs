//! `GET /v2/events`: the server-sent event stream. Only a request whose
//! `Accept` value is exactly `text/event-stream` is served (else 405, as
//! Jetty's servlet answers). `event_type=` (repeatable) filters,
//! `plan-format=light` drops the groups from deployment plans. The first
//! event is the client's own `event_stream_attached`; an empty line is
//! sent every heartbeat interval. Each event is
//! `event: <type>\r\ndata: <json>\r\n\r\n`.

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast::error::RecvError;

use super::{Peer, Query, Shared};
use crate::datetime::iso_millis;
use crate::marathon::core::state::now_ms;
use crate::wire::marathon::{EventKind, MarathonEvent};

/// The SSE frame of one event.
pub fn frame(e: &MarathonEvent) -> Option<Bytes> {
    let data = serde_json::to_string(e).ok()?;
    Some(Bytes::from(format!(
        "event: {}\r\ndata: {data}\r\n\r\n",
        e.event_type()
    )))
}

/// Drop `original` and `target` from a deployment event's plan.
pub fn lighten(e: &mut MarathonEvent) {
    match &mut e.kind {
        EventKind::DeploymentInfo { plan, .. }
        | EventKind::DeploymentStepSuccess { plan, .. }
        | EventKind::DeploymentStepFailure { plan, .. }
        | EventKind::DeploymentSuccess { plan, .. }
        | EventKind::DeploymentFailed { plan, .. } => {
            plan.original = None;
            plan.target = None;
        }
        _ => {}
    }
}

pub async fn events(
    State(ctx): State<Shared>,
    ci: Peer,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let sse = headers
        .get_all(header::ACCEPT)
        .iter()
        .any(|v| v.as_bytes() == b"text/event-stream");
    if !sse {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::CONTENT_TYPE, "text/html;charset=iso-8859-1")],
            "<html><body><h2>HTTP ERROR 405</h2><p>Problem accessing /v2/events. Reason: Method Not Allowed (send Accept: text/event-stream)</p></body></html>\n",
        )
            .into_response();
    }
    let q = Query::parse(q.as_deref());
    let types = q.all("event_type");
    let light = q.get("plan-format") == Some("light");
    let remote = ci.0.map(|a| a.ip().to_string()).unwrap_or_default();
    let rx = ctx.api.marathon.subscribe();
    // Published after subscribing: the client sees its own attach first.
    ctx.api.marathon.publish(MarathonEvent {
        kind: EventKind::EventStreamAttached {
            remote_address: remote.clone(),
        },
        timestamp: iso_millis(now_ms()),
    });
    crate::info!("Event stream attached for {remote}");
    let mut tick = tokio::time::interval(ctx.heartbeat);
    tick.reset();
    let stream = futures_util::stream::unfold((rx, tick), move |(mut rx, mut tick)| {
        let types = types.clone();
        async move {
            loop {
                tokio::select! {
                    r = rx.recv() => match r {
                        Ok(mut e) => {
                            if !types.is_empty() && !types.iter().any(|t| t == e.event_type()) {
                                continue;
                            }
                            if light {
                                lighten(&mut e);
                            }
                            if let Some(b) = frame(&e) {
                                return Some((Ok::<Bytes, std::io::Error>(b), (rx, tick)));
                            }
                        }
                        Err(RecvError::Lagged(n)) => {
                            crate::warning!("An event stream fell behind; {n} event(s) skipped");
                        }
                        Err(RecvError::Closed) => return None,
                    },
                    _ = tick.tick() => {
                        return Some((Ok(Bytes::from_static(b"\r\n")), (rx, tick)));
                    }
                }
            }
        }
    });
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/event-stream;charset=UTF-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::marathon::{DeploymentPlan, Group, PathId, StepInfo};

    fn plan() -> Box<DeploymentPlan> {
        let g = Group {
            id: PathId::root(),
            dependencies: Vec::new(),
            version: "2026-01-01T00:00:00.000Z".into(),
            apps: Vec::new(),
            groups: Vec::new(),
            pods: Vec::new(),
        };
        Box::new(DeploymentPlan {
            id: "d1".into(),
            original: Some(Box::new(g.clone())),
            target: Some(Box::new(g)),
            steps: Vec::new(),
            version: "2026-01-01T00:00:00.000Z".into(),
        })
    }

    #[test]
    fn frames_and_light_plans() {
        let mut e = MarathonEvent {
            kind: EventKind::DeploymentInfo {
                plan: plan(),
                current_step: StepInfo {
                    actions: Vec::new(),
                },
            },
            timestamp: "2026-01-01T00:00:01.000Z".into(),
        };
        let full = String::from_utf8(frame(&e).unwrap().to_vec()).unwrap();
        assert!(
            full.starts_with("event: deployment_info\r\ndata: {"),
            "{full}"
        );
        assert!(full.ends_with("}\r\n\r\n"));
        assert!(full.contains("\"original\""));
        assert_eq!(full.matches("\r\n").count(), 3, "one-line JSON");
        lighten(&mut e);
        let light = String::from_utf8(frame(&e).unwrap().to_vec()).unwrap();
        assert!(!light.contains("\"original\"") && !light.contains("\"target\""));
        assert!(light.contains("\"eventType\":\"deployment_info\""));
    }
}
