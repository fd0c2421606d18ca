//! Deployment progress: start the first step, notice when the actions of
//! the current step are done, advance, and finish. The actions themselves
//! are carried out by [`super::plan`] (each app's regime follows the step
//! under way). Pure: works on [`State`] and says what to persist and
//! publish.

use std::collections::BTreeSet;

use crate::marathon::core::{DeploymentRecord, State};
use crate::wire::marathon::{
    ActionKind, DeploymentAction, DeploymentPlan, EventKind, PathId, StepInfo,
};

use super::plan::action_done;

/// What a round of [`advance`] did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    /// Events to publish, in order.
    pub events: Vec<EventKind>,
    /// Deployments whose `current_step` changed (persist them).
    pub save: Vec<DeploymentRecord>,
    /// Deployments that finished (delete them from the store).
    pub finished: Vec<String>,
    /// Instances to forget (left-overs of stopped apps on lost agents).
    pub forget: Vec<String>,
}

/// The plan as events carry it, with the root group before and after
/// (`/v2/events?plan-format=light` strips them).
pub fn plan_of(state: &State, d: &DeploymentRecord) -> DeploymentPlan {
    crate::marathon::core::api::views::plan(state, d, false)
}

fn actions_of(step: &[(ActionKind, PathId)]) -> Vec<DeploymentAction> {
    step.iter()
        .map(|(action, app)| DeploymentAction {
            action: *action,
            app: app.clone(),
        })
        .collect()
}

fn step_info(d: &DeploymentRecord) -> StepInfo {
    let i = d.current_step as usize;
    StepInfo {
        actions: d
            .steps
            .get(i.wrapping_sub(1))
            .map(|s| actions_of(s))
            .unwrap_or_default(),
    }
}

/// Move every deployment as far as its steps are done. A step starts by
/// resetting the backoff of the apps it scales or restarts (a new version
/// launches at once); a `StopApplication` that is done ends the app
/// (`app_terminated_event`, its failures and delay forgotten).
pub fn advance(state: &mut State, now_ms: i64, ready: &BTreeSet<String>) -> Progress {
    let mut out = Progress::default();
    let mut i = 0;
    while i < state.deployments.len() {
        let mut changed = false;
        let mut finished = false;
        loop {
            let d = &state.deployments[i];
            let total = d.steps.len() as u32;
            if d.current_step == 0 {
                if total == 0 {
                    finished = true;
                    break;
                }
                start_step(state, i, 1, &mut out);
                changed = true;
                continue;
            }
            if d.current_step > total {
                finished = true;
                break;
            }
            let step = d.steps[d.current_step as usize - 1].clone();
            let all_done = step
                .iter()
                .all(|(kind, app)| action_done(state, app, *kind, now_ms, ready));
            if !all_done {
                break;
            }
            for (kind, app) in &step {
                if *kind == ActionKind::StopApplication {
                    stopped(state, app, &mut out);
                }
            }
            let d = &state.deployments[i];
            out.events.push(EventKind::DeploymentStepSuccess {
                plan: Box::new(plan_of(state, d)),
                current_step: step_info(d),
            });
            if d.current_step >= total {
                finished = true;
                break;
            }
            let next = d.current_step + 1;
            start_step(state, i, next, &mut out);
            changed = true;
        }
        if finished {
            let d = state.deployments.remove(i);
            out.events.push(EventKind::DeploymentSuccess {
                id: d.id.clone(),
                plan: Box::new(plan_of(state, &d)),
            });
            out.save.retain(|s| s.id != d.id);
            out.finished.push(d.id);
            continue;
        }
        if changed {
            let d = state.deployments[i].clone();
            out.save.retain(|s| s.id != d.id);
            out.save.push(d);
        }
        i += 1;
    }
    out
}

fn start_step(state: &mut State, i: usize, step: u32, out: &mut Progress) {
    state.deployments[i].current_step = step;
    let d = &state.deployments[i];
    let resets: Vec<PathId> = d.steps[step as usize - 1]
        .iter()
        .filter(|(k, _)| {
            matches!(
                k,
                ActionKind::ScaleApplication | ActionKind::RestartApplication
            )
        })
        .map(|(_, a)| a.clone())
        .collect();
    out.events.push(EventKind::DeploymentInfo {
        plan: Box::new(plan_of(state, d)),
        current_step: step_info(d),
    });
    for app in resets {
        state.delays.remove(&app);
    }
}

fn stopped(state: &mut State, app: &PathId, out: &mut Progress) {
    let left: Vec<String> = state.instances_of(app).map(|i| i.task_id.clone()).collect();
    for t in left {
        state.instances.remove(&t);
        out.forget.push(t);
    }
    state.delays.remove(app);
    if !state.apps.contains_key(app) {
        state.last_failures.remove(app);
    }
    out.events.push(EventKind::AppTerminatedEvent {
        app_id: app.clone(),
    });
}
