//! `/v2/apps` and `/v2/apps/{id}[/restart|/tasks[/{taskId}]|/versions[/{v}]]`
//! (ids hold slashes; `{id}` may be `group/*`).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Map, Value};

use super::{
    caller, deployed, error, json, parse_body, respond, text, wants_text, Peer, Query, Shared,
};
use crate::marathon::core::api::apps::{parse_app, KillOptions, Killed, UpdateMode};
use crate::marathon::core::api::views::{AppFilter, Embed};
use crate::marathon::core::api::ApiError;
use crate::marathon::labels::parse_selector;
use crate::wire::marathon::{AppList, AppOne, PathId, TaskList, TaskOne, VersionList};

/// What the part after `/v2/apps/` addresses.
#[derive(Debug, PartialEq)]
enum Target {
    App(PathId),
    /// `group/*`.
    GroupAll(PathId),
    Restart(PathId),
    /// Tasks of an app (`true`: of every app below a group, `group/*/tasks`).
    Tasks(PathId, bool),
    Task(PathId, String),
    Versions(PathId),
    Version(PathId, String),
}

fn target(rest: &str) -> Target {
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let id = |n: usize| PathId::parse(&segs[..segs.len() - n].join("/"));
    match segs.as_slice() {
        [_, .., "*", "tasks"] => Target::Tasks(id(2), true),
        [_, .., "tasks"] => Target::Tasks(id(1), false),
        [_, .., "tasks", t] => Target::Task(id(2), t.to_string()),
        [_, .., "restart"] => Target::Restart(id(1)),
        [_, .., "versions"] => Target::Versions(id(1)),
        [_, .., "versions", v] => Target::Version(id(2), v.to_string()),
        [.., "*"] => Target::GroupAll(id(1)),
        _ => Target::App(id(0)),
    }
}

/// `GET /v2/apps[?cmd=&id=&label=&embed=...]`.
pub async fn list(State(ctx): State<Shared>, RawQuery(q): RawQuery) -> Response {
    let q = Query::parse(q.as_deref());
    let label = match q.get("label").map(parse_selector).transpose() {
        Ok(l) => l,
        Err(e) => return error(ApiError::BadRequest(e)),
    };
    let filter = AppFilter {
        id: q.get("id").map(str::to_string),
        cmd: q.get("cmd").map(str::to_string),
        label,
    };
    let apps = ctx
        .api
        .apps(&filter, &Embed::parse(&q.all("embed"), "apps."));
    json(StatusCode::OK, &AppList { apps })
}

/// `POST /v2/apps`: 201 with the app, `Location` and `Marathon-Deployment-Id`.
pub async fn create(
    State(ctx): State<Shared>,
    ci: Peer,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let q = Query::parse(q.as_deref());
    let app = match parse_body::<Value>(&body).and_then(parse_app) {
        Ok(a) => a,
        Err(e) => return error(e),
    };
    let who = caller(ci, &uri);
    match ctx.api.create_app(&who, app, q.bool("force", false)).await {
        Ok((d, view)) => {
            let mut resp = json(StatusCode::CREATED, &view);
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or(&ctx.me);
            let location = format!("{}://{host}{}", ctx.scheme, view.app.id);
            if let Ok(v) = HeaderValue::from_str(&location) {
                resp.headers_mut().insert(header::LOCATION, v);
            }
            if let Ok(v) = HeaderValue::from_str(&d.result.deployment_id) {
                resp.headers_mut().insert("Marathon-Deployment-Id", v);
            }
            resp
        }
        Err(e) => error(e),
    }
}

async fn update_many(
    ctx: Shared,
    ci: Peer,
    uri: Uri,
    q: Query,
    body: Bytes,
    mode: UpdateMode,
) -> Response {
    let bodies: Vec<Map<String, Value>> = match parse_body(&body) {
        Ok(b) => b,
        Err(e) => return error(e),
    };
    let who = caller(ci, &uri);
    respond(
        ctx.api
            .update_apps(&who, bodies, mode, q.bool("force", false))
            .await
            .map(|d| deployed(&d)),
    )
}

fn put_mode(q: &Query) -> UpdateMode {
    if q.bool("partialUpdate", true) {
        UpdateMode::PutPartial
    } else {
        UpdateMode::PutFull
    }
}

/// `PUT /v2/apps` with an array of apps.
pub async fn put_many(
    State(ctx): State<Shared>,
    ci: Peer,
    uri: Uri,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let q = Query::parse(q.as_deref());
    let mode = put_mode(&q);
    update_many(ctx, ci, uri, q, body, mode).await
}

/// `PATCH /v2/apps` with an array of apps.
pub async fn patch_many(
    State(ctx): State<Shared>,
    ci: Peer,
    uri: Uri,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let q = Query::parse(q.as_deref());
    update_many(ctx, ci, uri, q, body, UpdateMode::Patch).await
}

/// `GET /v2/apps/{id}`, `group/*`, `/tasks`, `/versions[/{v}]`.
pub async fn get_one(
    State(ctx): State<Shared>,
    Path(rest): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let q = Query::parse(q.as_deref());
    let mut embed = Embed::parse(&q.all("embed"), "app.");
    embed.tasks = true;
    embed.last_task_failure = true;
    match target(&rest) {
        Target::GroupAll(g) => match ctx.api.group_apps(&g, &embed) {
            Ok(apps) => json(StatusCode::OK, &GroupApps { apps }),
            Err(e) => error(e),
        },
        Target::Tasks(id, group) => {
            if wants_text(&headers) {
                let known = if group {
                    ctx.api.app_tasks(&id, true).map(|_| ())
                } else {
                    ctx.api.app_tasks(&id, false).map(|_| ())
                };
                return match known {
                    Ok(()) => text(StatusCode::OK, ctx.api.tasks_text(Some((&id, group)))),
                    Err(e) => error(e),
                };
            }
            match ctx.api.app_tasks(&id, group) {
                Ok(tasks) => json(StatusCode::OK, &TaskList { tasks }),
                Err(e) => error(e),
            }
        }
        Target::Versions(id) => match ctx.api.app_versions(&id) {
            Ok(versions) => json(StatusCode::OK, &VersionList { versions }),
            Err(e) => error(e),
        },
        Target::Version(id, v) => match ctx.api.app_version(&id, &v).await {
            Ok(app) => json(StatusCode::OK, &app),
            Err(e) => error(e),
        },
        other => {
            let id = match other {
                Target::App(id) => id,
                _ => PathId::parse(&rest),
            };
            match ctx.api.app_view(&id, &embed) {
                Some(app) => json(StatusCode::OK, &AppOne { app }),
                None => error(ApiError::app_not_found(&id)),
            }
        }
    }
}

/// `{"*": [apps]}` of `GET /v2/apps/{group}/*`.
#[derive(serde::Serialize)]
struct GroupApps {
    #[serde(rename = "*")]
    apps: Vec<crate::wire::marathon::AppView>,
}

async fn update_one(
    ctx: Shared,
    ci: Peer,
    uri: Uri,
    rest: String,
    q: Query,
    body: Bytes,
    mode: UpdateMode,
) -> Response {
    let body: Map<String, Value> = match parse_body(&body) {
        Ok(b) => b,
        Err(e) => return error(e),
    };
    let id = PathId::parse(&rest);
    let who = caller(ci, &uri);
    respond(
        ctx.api
            .update_app(&who, &id, body, mode, q.bool("force", false))
            .await
            .map(|d| deployed(&d)),
    )
}

/// `PUT /v2/apps/{id}[?partialUpdate=&force=]`: 201 when it creates.
pub async fn put_one(
    State(ctx): State<Shared>,
    ci: Peer,
    uri: Uri,
    Path(rest): Path<String>,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let q = Query::parse(q.as_deref());
    let mode = put_mode(&q);
    update_one(ctx, ci, uri, rest, q, body, mode).await
}

/// `PATCH /v2/apps/{id}`: partial, 404 for an unknown app.
pub async fn patch_one(
    State(ctx): State<Shared>,
    ci: Peer,
    uri: Uri,
    Path(rest): Path<String>,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let q = Query::parse(q.as_deref());
    update_one(ctx, ci, uri, rest, q, body, UpdateMode::Patch).await
}

fn kill_options(q: &Query) -> KillOptions {
    KillOptions {
        host: q.get("host").map(str::to_string),
        scale: q.bool("scale", false),
        wipe: q.bool("wipe", false),
        force: q.bool("force", false),
    }
}

/// `DELETE /v2/apps/{id}` (force defaults to true), `/tasks`,
/// `/tasks/{taskId}`.
pub async fn delete_one(
    State(ctx): State<Shared>,
    ci: Peer,
    uri: Uri,
    Path(rest): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let q = Query::parse(q.as_deref());
    let who = caller(ci, &uri);
    match target(&rest) {
        Target::Tasks(id, false) => {
            match ctx
                .api
                .kill_app_tasks(&who, &id, None, &kill_options(&q))
                .await
            {
                Ok(Killed::Tasks(tasks)) => json(StatusCode::OK, &TaskList { tasks }),
                Ok(Killed::Deployment(d)) => deployed(&d),
                Err(e) => error(e),
            }
        }
        Target::Task(id, task) => {
            match ctx
                .api
                .kill_app_tasks(&who, &id, Some(&task), &kill_options(&q))
                .await
            {
                Ok(Killed::Tasks(mut tasks)) => match tasks.pop() {
                    Some(task) => json(StatusCode::OK, &TaskOne { task }),
                    None => error(ApiError::NotFound(format!("Task '{task}' does not exist"))),
                },
                Ok(Killed::Deployment(d)) => deployed(&d),
                Err(e) => error(e),
            }
        }
        _ => {
            let id = PathId::parse(&rest);
            respond(
                ctx.api
                    .delete_app(&who, &id, q.bool("force", true))
                    .await
                    .map(|d| deployed(&d)),
            )
        }
    }
}

/// `POST /v2/apps/{id}/restart`.
pub async fn post_one(
    State(ctx): State<Shared>,
    ci: Peer,
    uri: Uri,
    Path(rest): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let q = Query::parse(q.as_deref());
    let who = caller(ci, &uri);
    match target(&rest) {
        Target::Restart(id) => respond(
            ctx.api
                .restart_app(&who, &id, q.bool("force", false))
                .await
                .map(|d| deployed(&d)),
        ),
        _ => error(ApiError::NotFound(format!("URI not found: {}", uri.path()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_after_v2_apps() {
        let p = PathId::parse;
        assert_eq!(target("a/b"), Target::App(p("/a/b")));
        assert_eq!(target("/a"), Target::App(p("/a")));
        assert_eq!(target("a/restart"), Target::Restart(p("/a")));
        assert_eq!(target("a/b/tasks"), Target::Tasks(p("/a/b"), false));
        assert_eq!(target("g/*/tasks"), Target::Tasks(p("/g"), true));
        assert_eq!(target("a/tasks/a.1"), Target::Task(p("/a"), "a.1".into()));
        assert_eq!(target("a/versions"), Target::Versions(p("/a")));
        assert_eq!(
            target("a/versions/2017-01-01T00:00:00.000Z"),
            Target::Version(p("/a"), "2017-01-01T00:00:00.000Z".into())
        );
        assert_eq!(target("g/*"), Target::GroupAll(p("/g")));
        assert_eq!(target("tasks"), Target::App(p("/tasks")));
    }
}
