//! `GET /v2/tasks[?status=]` (JSON or `text/plain`) and
//! `POST /v2/tasks/delete`.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;

use super::{caller, deployed, error, json, parse_body, text, wants_text, Peer, Query, Shared};
use crate::marathon::core::api::apps::Killed;
use crate::wire::marathon::{TaskIds, TaskList};

/// `GET /v2/tasks`: every app's tasks, filtered by `status` / `status[]`.
pub async fn list(
    State(ctx): State<Shared>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    if wants_text(&headers) {
        return text(StatusCode::OK, ctx.api.tasks_text(None));
    }
    let q = Query::parse(q.as_deref());
    let tasks = ctx.api.tasks(&q.all("status"));
    json(StatusCode::OK, &TaskList { tasks })
}

/// `POST /v2/tasks/delete?scale=&wipe=&force=` with `{"ids": [...]}`.
pub async fn delete(
    State(ctx): State<Shared>,
    ci: Peer,
    uri: Uri,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let q = Query::parse(q.as_deref());
    let ids: TaskIds = match parse_body(&body) {
        Ok(b) => b,
        Err(e) => return error(e),
    };
    let who = caller(ci, &uri);
    match ctx
        .api
        .kill_tasks_by_id(
            &who,
            ids.ids,
            q.bool("scale", false),
            q.bool("wipe", false),
            q.bool("force", false),
        )
        .await
    {
        Ok(Killed::Tasks(tasks)) => json(StatusCode::OK, &TaskList { tasks }),
        Ok(Killed::Deployment(d)) => deployed(&d),
        Err(e) => error(e),
    }
}
