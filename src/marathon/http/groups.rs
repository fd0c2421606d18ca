//! `/v2/groups[/{id}]`: GET (tree), `/versions`, POST (create), PUT
//! (update, `scaleBy`, `version`, `dryRun`), DELETE.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::Serialize;

use super::{caller, deployed, error, json, parse_body, respond, Peer, Query, Shared};
use crate::marathon::core::api::groups::GroupUpdate;
use crate::marathon::core::api::views::Embed;
use crate::marathon::core::api::Api;
use crate::wire::marathon::{DeploymentStep, PathId};

/// The answer of `PUT /v2/groups?dryRun=true`.
#[derive(Serialize)]
struct DryRun {
    steps: Vec<DeploymentStep>,
}

fn get_group(ctx: &Shared, rest: &str, q: Option<String>) -> Response {
    let q = Query::parse(q.as_deref());
    let trimmed = rest.trim_end_matches('/');
    if let Some(g) = trimmed
        .strip_suffix("versions")
        .filter(|g| g.is_empty() || g.ends_with('/'))
    {
        return match ctx.api.group_versions(&PathId::parse(g)) {
            Ok(v) => json(StatusCode::OK, &v),
            Err(e) => error(e),
        };
    }
    let embed = Embed::parse(&q.all("embed"), "group.apps.");
    match ctx.api.group(&PathId::parse(rest), &embed) {
        Ok(g) => json(StatusCode::OK, &g),
        Err(e) => error(e),
    }
}

/// `GET /v2/groups`: the root group (always there).
pub async fn get_root(State(ctx): State<Shared>, RawQuery(q): RawQuery) -> Response {
    get_group(&ctx, "", q)
}

/// `GET /v2/groups/{id}` and `/v2/groups/{id}/versions`.
pub async fn get_one(
    State(ctx): State<Shared>,
    Path(rest): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    get_group(&ctx, &rest, q)
}

async fn post(
    ctx: Shared,
    ci: Peer,
    uri: Uri,
    path: PathId,
    q: Option<String>,
    body: Bytes,
) -> Response {
    let q = Query::parse(q.as_deref());
    let body: GroupUpdate = match parse_body(&body) {
        Ok(b) => b,
        Err(e) => return error(e),
    };
    let gid = Api::group_id(&path, &body);
    let who = caller(ci, &uri);
    respond(
        ctx.api
            .create_group(&who, &gid, body, q.bool("force", false))
            .await
            .map(|d| deployed(&d)),
    )
}

/// `POST /v2/groups`: 201, 409 when the group exists.
pub async fn post_root(
    State(ctx): State<Shared>,
    ci: Peer,
    uri: Uri,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    post(ctx, ci, uri, PathId::root(), q, body).await
}

/// `POST /v2/groups/{id}`.
pub async fn post_one(
    State(ctx): State<Shared>,
    ci: Peer,
    uri: Uri,
    Path(rest): Path<String>,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    post(ctx, ci, uri, PathId::parse(&rest), q, body).await
}

async fn put(
    ctx: Shared,
    ci: Peer,
    uri: Uri,
    path: PathId,
    q: Option<String>,
    body: Bytes,
) -> Response {
    let q = Query::parse(q.as_deref());
    let body: GroupUpdate = match parse_body(&body) {
        Ok(b) => b,
        Err(e) => return error(e),
    };
    let gid = Api::group_id(&path, &body);
    if q.bool("dryRun", false) {
        return match ctx.api.dry_run_group(&gid, &body) {
            Ok(steps) => json(StatusCode::OK, &DryRun { steps }),
            Err(e) => error(e),
        };
    }
    let who = caller(ci, &uri);
    respond(
        ctx.api
            .update_group(&who, &gid, body, q.bool("force", false))
            .await
            .map(|d| deployed(&d)),
    )
}

/// `PUT /v2/groups`: update (or create) from the root.
pub async fn put_root(
    State(ctx): State<Shared>,
    ci: Peer,
    uri: Uri,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    put(ctx, ci, uri, PathId::root(), q, body).await
}

/// `PUT /v2/groups/{id}`.
pub async fn put_one(
    State(ctx): State<Shared>,
    ci: Peer,
    uri: Uri,
    Path(rest): Path<String>,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    put(ctx, ci, uri, PathId::parse(&rest), q, body).await
}

async fn remove(ctx: Shared, ci: Peer, uri: Uri, gid: PathId, q: Option<String>) -> Response {
    let q = Query::parse(q.as_deref());
    let who = caller(ci, &uri);
    respond(
        ctx.api
            .delete_group(&who, &gid, q.bool("force", false))
            .await
            .map(|d| deployed(&d)),
    )
}

/// `DELETE /v2/groups`: every app.
pub async fn delete_root(
    State(ctx): State<Shared>,
    ci: Peer,
    uri: Uri,
    RawQuery(q): RawQuery,
) -> Response {
    remove(ctx, ci, uri, PathId::root(), q).await
}

/// `DELETE /v2/groups/{id}`.
pub async fn delete_one(
    State(ctx): State<Shared>,
    ci: Peer,
    uri: Uri,
    Path(rest): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    remove(ctx, ci, uri, PathId::parse(&rest), q).await
}
