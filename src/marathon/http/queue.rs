//! `GET /v2/queue` and `DELETE /v2/queue/{appId}/delay`.

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::{error, json, Shared};
use crate::marathon::core::api::ApiError;
use crate::wire::marathon::{PathId, Queue};

/// `GET /v2/queue`.
pub async fn list(State(ctx): State<Shared>) -> Response {
    json(
        StatusCode::OK,
        &Queue {
            queue: ctx.api.queue(),
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
