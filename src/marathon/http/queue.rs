//! `GET /v2/queue` and `DELETE /v2/queue/{appId}/delay`.

use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::{error, json, Query, Shared};
use crate::marathon::core::api::ApiError;
use crate::wire::marathon::{PathId, Queue};

/// `GET /v2/queue[?embed=lastUnusedOffers]`.
pub async fn list(State(ctx): State<Shared>, RawQuery(q): RawQuery) -> Response {
    let q = Query::parse(q.as_deref());
    let unused = q.all("embed").iter().any(|e| e == "lastUnusedOffers");
    json(
        StatusCode::OK,
        &Queue {
            queue: ctx.api.queue(unused),
        },
    )
}

/// `DELETE /v2/queue/{appId}/delay`: 204, or 404 when not queued.
pub async fn reset_delay(
    State(ctx): State<Shared>,
    uri: Uri,
    Path(rest): Path<String>,
) -> Response {
    let Some(app) = rest.trim_end_matches('/').strip_suffix("/delay") else {
        return error(ApiError::NotFound(format!("URI not found: {}", uri.path())));
    };
    match ctx.api.reset_delay(&PathId::parse(app)) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => error(e),
    }
}
