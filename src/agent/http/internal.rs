//! The master -> agent half of the internal protocol
//! (docs/internal-protocol.md): in no HTTP realm, but every call must carry
//! the session token of the agent's current registration
//! ([`require_master`], a route layer).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;

use super::error::{Body, Error};
use crate::agent::core::Agent;
use crate::agent::executor;
use crate::agent::executor::custom::{self, CustomLaunch};
use crate::agent::executor::events;
use crate::daemon::httputil;
use crate::daemon::proto::{paths, Acknowledge, KillTask, RunTask, ShutdownFramework};
use crate::wire::internal::{FrameworkMessage, RunTaskGroup, ShutdownExecutor};

type Shared = State<Arc<Agent>>;

/// The internal routes, behind [`require_master`].
pub fn routes(agent: Arc<Agent>) -> Router {
    Router::new()
        .route(paths::RUN_TASK, post(run_task))
        .route(paths::KILL_TASK, post(kill_task))
        .route(paths::ACK, post(acknowledge))
        .route(paths::SHUTDOWN_FRAMEWORK, post(shutdown_framework))
        .route(paths::RUN_TASK_GROUP, post(run_task_group))
        .route(paths::FRAMEWORK_MESSAGE, post(framework_message))
        .route(paths::SHUTDOWN_EXECUTOR, post(shutdown_executor))
        .route_layer(middleware::from_fn_with_state(
            agent.clone(),
            require_master,
        ))
        .with_state(agent)
}

/// Acts on an internal call only when it carries the session token of the
/// agent's current registration, i.e. comes from the master that accepted
/// it. Refusals are logged with the peer.
pub async fn require_master(State(agent): Shared, req: Request, next: Next) -> Response {
    let ok = agent
        .master_token()
        .is_some_and(|t| t.presented_in(req.headers()));
    if ok {
        return next.run(req).await;
    }
    crate::warning!(
        "Refused {} from {}: not the master this agent is registered with (missing or wrong session token)",
        req.uri().path(),
        crate::daemon::peer_addr(req.extensions())
    );
    Error::Forbidden(
        "This agent accepts internal calls only from the master it is registered with\n".into(),
    )
    .into_response()
}

fn accepted() -> Response {
    httputil::text(StatusCode::ACCEPTED, "")
}

/// The answer to a launch: 202 once recorded, also for a duplicate launch
/// (ignored); 400 naming what is wrong.
fn launch_answer(result: Result<(), String>) -> Result<Response, Error> {
    match result {
        Ok(()) => Ok(accepted()),
        Err(e) => {
            crate::warning!("{e}");
            if e.contains("already known") {
                Ok(accepted())
            } else {
                Err(Error::BadRequest(format!("{e}\n")))
            }
        }
    }
}

/// `run_task`: 202 once recorded (a duplicate launch is ignored).
pub async fn run_task(State(agent): Shared, Body(req): Body<RunTask>) -> Result<Response, Error> {
    launch_answer(executor::launch(&agent, req))
}

/// `run_task_group`: 202 once recorded (a duplicate launch is ignored).
pub async fn run_task_group(
    State(agent): Shared,
    Body(req): Body<RunTaskGroup>,
) -> Result<Response, Error> {
    let launch = CustomLaunch {
        framework: req.framework,
        executor: req.executor,
        tasks: req.tasks,
        group: true,
    };
    launch_answer(custom::launch(&agent, launch))
}

/// `framework_message`: a MESSAGE event for the executor (dropped, with a
/// warning, for an unknown executor, as real agents do).
pub async fn framework_message(
    State(agent): Shared,
    Body(req): Body<FrameworkMessage>,
) -> Response {
    if let Err(e) = events::framework_message(&agent, &req) {
        crate::warning!("{e}");
    }
    accepted()
}

/// `shutdown_executor`
pub async fn shutdown_executor(
    State(agent): Shared,
    Body(req): Body<ShutdownExecutor>,
) -> Response {
    executor::shutdown_executor(&agent, &req.framework_id, &req.executor_id);
    accepted()
}

/// `kill_task`
pub async fn kill_task(State(agent): Shared, Body(req): Body<KillTask>) -> Response {
    executor::kill(&agent, &req);
    accepted()
}

/// `acknowledge`: the framework acknowledged a status update.
pub async fn acknowledge(State(agent): Shared, Body(req): Body<Acknowledge>) -> Response {
    agent.acknowledge(&req.framework_id, &req.task_id, &req.uuid);
    accepted()
}

/// `shutdown_framework`
pub async fn shutdown_framework(
    State(agent): Shared,
    Body(req): Body<ShutdownFramework>,
) -> Response {
    executor::shutdown_framework(&agent, &req.framework_id);
    accepted()
}
