//! `GET /v2/deployments` and `DELETE /v2/deployments/{id}[?force=]`.

use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::{caller, deployed, error, json, Peer, Query, Shared};

/// `GET /v2/deployments`: a bare array.
pub async fn list(State(ctx): State<Shared>) -> Response {
    json(StatusCode::OK, &ctx.api.deployments())
}

/// `DELETE /v2/deployments/{id}`: cancel and roll back (200 with the new
/// deployment), or with `force=true` cancel only (202, no body).
pub async fn delete(
    State(ctx): State<Shared>,
    ci: Peer,
    uri: Uri,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let q = Query::parse(q.as_deref());
    if q.bool("force", false) {
        return match ctx.api.cancel_deployment(&id).await {
            Ok(()) => StatusCode::ACCEPTED.into_response(),
            Err(e) => error(e),
        };
    }
    let who = caller(ci, &uri);
    match ctx.api.rollback_deployment(&who, &id).await {
        Ok(d) => deployed(&d),
        Err(e) => error(e),
    }
}
