//! Following a deployment: poll `GET /v2/deployments` until its id is gone
//! (how Marathon clients know a deployment finished), showing the current
//! step and actions on a terminal (an indicatif spinner on stderr; nothing
//! when stderr is not a terminal), warning about new task failures of the
//! app, and telling a finished deployment from a cancelled or rolled-back
//! one (both also leave the list) by the app's version afterwards.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Marathon;
use crate::error::{Error, Result};
use crate::wire::marathon::{Deployment, LastTaskFailure, PathId};

/// What a deployment was started for, to check its outcome.
#[derive(Clone, Debug)]
pub enum Expect {
    /// The app should end at this version (create, update, scale, restart,
    /// kill with scale).
    Version(PathId, String),
    /// The app should be gone (remove).
    Gone(PathId),
    /// Nothing to check but the deployment leaving the list (rollback).
    Nothing,
}

/// How to follow.
#[derive(Clone, Debug)]
pub struct Follow {
    pub deployment: String,
    pub expect: Expect,
    /// The app's last task failure before the call (new ones are warned about).
    pub baseline_failure: Option<LastTaskFailure>,
    /// Give up (exit 124) at this instant.
    pub deadline: Option<Instant>,
}

/// How a finished deployment ended.
#[derive(Clone, Debug)]
pub struct Finished {
    pub elapsed: Duration,
    /// Polls of `/v2/deployments` that still listed it.
    pub polls: u32,
}

const FIRST_POLL: Duration = Duration::from_millis(200);
const MAX_POLL: Duration = Duration::from_secs(1);

/// Follow `f.deployment` to its end.
pub async fn follow(m: &Marathon, f: Follow) -> Result<Finished> {
    let started = Instant::now();
    let spinner = Spinner::new(&format!("deployment {}", f.deployment));
    let app = match &f.expect {
        Expect::Version(a, _) | Expect::Gone(a) => Some(a.clone()),
        Expect::Nothing => None,
    };
    let mut failure = f.baseline_failure.clone();
    let mut polls = 0u32;
    let mut wait = FIRST_POLL;
    loop {
        let list = m.deployments().await?;
        let Some(d) = list.into_iter().find(|d| d.id == f.deployment) else {
            break;
        };
        polls += 1;
        let doing = describe(&d);
        spinner.set(&doing);
        if let Some(a) = &app {
            if let Some(view) = m.app_optional(a).await? {
                if let Some(new) = &view.last_task_failure {
                    if failure.as_ref() != Some(new) {
                        spinner.warn(&failure_line(new));
                        failure = Some(new.clone());
                    }
                }
            }
        }
        if let Some(deadline) = f.deadline {
            let now = Instant::now();
            if now >= deadline {
                spinner.clear();
                return Err(Error::timeout(format!(
                    "deployment {} still running after {}: {doing}",
                    f.deployment,
                    crate::duration::format_duration(started.elapsed())
                ))
                .with_hint(format!(
                    "it goes on in Marathon: `mesos deployment list` shows it, `mesos deployment rollback {}` reverts it",
                    f.deployment
                )));
            }
            tokio::time::sleep(wait.min(deadline - now)).await;
        } else {
            tokio::time::sleep(wait).await;
        }
        wait = (wait * 3 / 2).min(MAX_POLL);
    }
    spinner.clear();
    let cancelled = || {
        Error::failed(format!(
            "deployment {} was cancelled or rolled back",
            f.deployment
        ))
    };
    match &f.expect {
        Expect::Version(a, version) => match m.app_optional(a).await? {
            Some(view) => {
                let now = view.app.version.clone().unwrap_or_default();
                if !version.is_empty() && now != *version {
                    return Err(cancelled().with_hint(format!(
                        "app '{a}' is at version {now}, not the deployed {version}"
                    )));
                }
            }
            None => return Err(cancelled().with_hint(format!("app '{a}' no longer exists"))),
        },
        Expect::Gone(a) => {
            if m.app_optional(a).await?.is_some() {
                return Err(cancelled().with_hint(format!("app '{a}' still exists")));
            }
        }
        Expect::Nothing => {}
    }
    Ok(Finished {
        elapsed: started.elapsed(),
        polls,
    })
}

/// `step 1/2: ScaleApplication /web, RestartApplication /db`.
pub fn describe(d: &Deployment) -> String {
    let actions: Vec<String> = d
        .current_actions
        .iter()
        .map(|a| format!("{} {}", a.action.as_str(), a.app))
        .collect();
    if d.current_step == 0 || actions.is_empty() {
        return format!(
            "step {}/{}: waiting to start",
            d.current_step, d.total_steps
        );
    }
    format!(
        "step {}/{}: {}",
        d.current_step,
        d.total_steps,
        actions.join(", ")
    )
}

/// The warning for a task failure seen during a deployment.
pub fn failure_line(f: &LastTaskFailure) -> String {
    let mut s = format!("task {} of app {} failed", f.task_id, f.app_id);
    if !f.host.is_empty() {
        s.push_str(&format!(" on {}", f.host));
    }
    if !f.state.is_empty() {
        s.push_str(&format!(" ({})", f.state));
    }
    if !f.message.trim().is_empty() {
        s.push_str(&format!(": {}", crate::error::one_line(&f.message)));
    }
    s
}

/// A spinner on a terminal's stderr (`<what>: <msg> (<elapsed>)`); nothing
/// otherwise (warnings still go to stderr).
pub struct Spinner {
    bar: Option<ProgressBar>,
}

impl Spinner {
    /// `what` names what is followed (`deployment <id>`, `app /hello`).
    pub fn new(what: &str) -> Spinner {
        let bar = crate::cluster::progress::fancy().then(|| {
            let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            pb.set_style(
                ProgressStyle::with_template("{spinner} {prefix}: {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            pb.set_prefix(what.to_string());
            pb.set_message("starting");
            pb.enable_steady_tick(Duration::from_millis(100));
            pb
        });
        Spinner { bar }
    }

    pub fn set(&self, msg: &str) {
        if let Some(b) = &self.bar {
            b.set_message(msg.to_string());
        }
    }

    /// A warning line above the spinner.
    pub fn warn(&self, msg: &str) {
        match &self.bar {
            Some(b) => b.suspend(|| crate::output::warn(msg)),
            None => crate::output::warn(msg),
        }
    }

    pub fn clear(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_steps_and_failures() {
        let d: Deployment = serde_json::from_value(serde_json::json!({
            "id": "d1", "version": "v",
            "currentActions": [{"action": "ScaleApplication", "app": "/foo"}],
            "currentStep": 1, "totalSteps": 2
        }))
        .unwrap();
        assert_eq!(describe(&d), "step 1/2: ScaleApplication /foo");
        let f: LastTaskFailure = serde_json::from_value(serde_json::json!({
            "appId": "/foo", "host": "h1", "message": "Command exited with status 1\n",
            "state": "TASK_FAILED", "taskId": "foo.1"
        }))
        .unwrap();
        assert_eq!(
            failure_line(&f),
            "task foo.1 of app /foo failed on h1 (TASK_FAILED): Command exited with status 1"
        );
    }
}
