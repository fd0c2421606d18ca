//! After `install`: follow the package's Marathon app until it is running
//! and healthy (every instance running, every instance healthy when the app
//! has health checks, no deployment left), and the one-phrase status
//! `mesos package list` shows for an installed app.
//!
//! Works the same for the local manager and Cosmos: it only polls
//! `GET /v2/apps/{id}` of the Marathon the app went to.

use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::marathon_client::follow::{failure_line, Spinner};
use crate::marathon_client::Marathon;
use crate::wire::marathon::{AppView, LastTaskFailure, PathId};

/// Whether an app is where `install` is done with it: no deployment, every
/// instance running, and healthy when the app has health checks.
pub fn ready(v: &AppView) -> bool {
    let n = v.app.instances;
    v.deployments.is_empty()
        && v.tasks_running >= n
        && (v.app.health_checks.is_empty() || v.tasks_healthy >= n)
}

/// `running 2/2, healthy 2/2`, `running 1/1` (no health checks),
/// `deploying: running 0/1, healthy 0/1`, `suspended` (0 instances).
pub fn status(v: &AppView) -> String {
    let n = v.app.instances;
    if n == 0 && v.deployments.is_empty() && v.tasks_running == 0 {
        return "suspended".to_string();
    }
    let mut s = format!("running {}/{n}", v.tasks_running);
    if !v.app.health_checks.is_empty() {
        s.push_str(&format!(", healthy {}/{n}", v.tasks_healthy));
    }
    if v.tasks_unhealthy > 0 {
        s.push_str(&format!(", unhealthy {}", v.tasks_unhealthy));
    }
    if !v.deployments.is_empty() {
        s = format!("deploying: {s}");
    }
    s
}

/// How the wait ended.
#[derive(Clone, Debug)]
pub struct Healthy {
    pub elapsed: Duration,
    pub polls: u32,
    pub view: AppView,
}

const FIRST_POLL: Duration = Duration::from_millis(100);
const MAX_POLL: Duration = Duration::from_millis(500);

/// Poll `id` until [`ready`]. A spinner on a terminal's stderr, nothing on
/// a pipe; task failures newer than `baseline` are warned about. Errors:
/// the app disappears (exit 1), `deadline` passes (exit 124, the app keeps
/// deploying).
pub async fn until_healthy(
    m: &Marathon,
    id: &PathId,
    baseline: Option<LastTaskFailure>,
    deadline: Option<Instant>,
) -> Result<Healthy> {
    let started = Instant::now();
    let spinner = Spinner::new(&format!("app {id}"));
    let mut failure = baseline;
    let mut polls = 0u32;
    let mut wait = FIRST_POLL;
    loop {
        polls += 1;
        let Some(view) = m.app_optional(id).await? else {
            spinner.clear();
            return Err(Error::failed(format!(
                "app '{id}' disappeared from {} before it was healthy",
                m.at()
            ))
            .with_hint("it was removed (or its deployment rolled back) while installing"));
        };
        if let Some(new) = &view.last_task_failure {
            if failure.as_ref() != Some(new) {
                spinner.warn(&failure_line(new));
                failure = Some(new.clone());
            }
        }
        if ready(&view) {
            spinner.clear();
            return Ok(Healthy {
                elapsed: started.elapsed(),
                polls,
                view,
            });
        }
        let now_status = status(&view);
        spinner.set(&now_status);
        if let Some(deadline) = deadline {
            let now = Instant::now();
            if now >= deadline {
                spinner.clear();
                return Err(Error::timeout(format!(
                    "app '{id}' still not healthy after {} ({now_status}); it keeps deploying",
                    crate::duration::format_duration(started.elapsed())
                ))
                .with_hint(format!(
                    "`mesos app show {id}` shows it; `mesos package list --app-id {id}` its status"
                )));
            }
            tokio::time::sleep(wait.min(deadline - now)).await;
        } else {
            tokio::time::sleep(wait).await;
        }
        wait = (wait * 3 / 2).min(MAX_POLL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(instances: u32, running: u32, healthy: u32, checks: bool, deploying: bool) -> AppView {
        let mut v = serde_json::json!({
            "id": "/hello", "instances": instances,
            "tasksRunning": running, "tasksHealthy": healthy,
            "deployments": if deploying { serde_json::json!([{"id": "d1"}]) } else { serde_json::json!([]) },
        });
        if checks {
            v["healthChecks"] = serde_json::json!([{"protocol": "HTTP", "path": "/"}]);
        }
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn ready_needs_every_instance_running_healthy_and_no_deployment() {
        assert!(ready(&view(2, 2, 2, true, false)));
        assert!(!ready(&view(2, 2, 1, true, false)), "one not healthy yet");
        assert!(!ready(&view(2, 2, 2, true, true)), "still deploying");
        assert!(!ready(&view(2, 1, 1, true, false)));
        assert!(ready(&view(1, 1, 0, false, false)), "no health checks");
    }

    #[test]
    fn status_phrases() {
        assert_eq!(
            status(&view(2, 2, 2, true, false)),
            "running 2/2, healthy 2/2"
        );
        assert_eq!(status(&view(1, 1, 0, false, false)), "running 1/1");
        assert_eq!(
            status(&view(1, 0, 0, true, true)),
            "deploying: running 0/1, healthy 0/1"
        );
        assert_eq!(status(&view(0, 0, 0, true, false)), "suspended");
    }
}
