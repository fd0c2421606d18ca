//! Rolling restart arithmetic (docs/marathon.md, "Scheduling rules").
//!
//! With `n` target instances and `r` old instances at the start of the
//! step: `minHealthy = ceil(n × minimumHealthCapacity)`, `maxCapacity =
//! floor(n × (1 + maximumOverCapacity))`; if `minHealthy == maxCapacity`
//! and there are old instances, `maxCapacity` is raised by 1 so one
//! replacement can start (Marathon raises it only when `maxCapacity ≤ r`
//! and otherwise lets the healthy count dip; here it never dips).
//!
//! [`RollingPlan::next`] is stateless over the counts: it kills old
//! instances only while the healthy count (healthy old + healthy-and-ready
//! new) stays at or above `minHealthy` (unhealthy old ones go at once),
//! launches new ones while old + new stays within `maxCapacity`, and says
//! when the step is done (`n` new healthy and ready, no old left).

use crate::wire::marathon::UpgradeStrategy;

/// The bounds of one restart step, fixed when it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RollingPlan {
    pub target: usize,
    pub min_healthy: usize,
    pub max_capacity: usize,
}

/// The counts at one moment of the step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepState {
    /// Old instances still alive (not yet killed).
    pub old_alive: usize,
    /// Of those, the healthy ones (running, and passing health checks if
    /// any).
    pub old_healthy: usize,
    /// New instances launched and not terminal.
    pub new_started: usize,
    /// Of those, the healthy and ready ones.
    pub new_ready: usize,
}

/// What to do now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NextActions {
    /// Old instances to kill now: the unhealthy ones first.
    pub kill_old: usize,
    /// Of `kill_old`, how many may be healthy ones.
    pub kill_healthy_old: usize,
    /// New instances to launch now.
    pub launch_new: usize,
    /// The step is complete.
    pub done: bool,
}

/// `ceil(n × minimumHealthCapacity)`.
pub fn min_healthy(n: usize, s: &UpgradeStrategy) -> usize {
    ((n as f64) * s.minimum_health_capacity.clamp(0.0, 1.0) - 1e-9)
        .ceil()
        .max(0.0) as usize
}

/// `floor(n × (1 + maximumOverCapacity))`.
pub fn max_capacity(n: usize, s: &UpgradeStrategy) -> usize {
    ((n as f64) * (1.0 + s.maximum_over_capacity.clamp(0.0, 1.0)) + 1e-9).floor() as usize
}

impl RollingPlan {
    /// The bounds for replacing `old_at_start` instances with `target`
    /// new ones.
    pub fn new(target: usize, strategy: &UpgradeStrategy, old_at_start: usize) -> RollingPlan {
        let min_healthy = min_healthy(target, strategy);
        let mut max_capacity = max_capacity(target, strategy).max(min_healthy);
        if min_healthy == max_capacity && old_at_start > 0 && target > 0 {
            max_capacity += 1;
        }
        RollingPlan {
            target,
            min_healthy,
            max_capacity,
        }
    }

    /// The actions for the current counts.
    pub fn next(&self, s: &StepState) -> NextActions {
        let old_healthy = s.old_healthy.min(s.old_alive);
        let new_ready = s.new_ready.min(s.new_started);
        let healthy = old_healthy + new_ready;
        let unhealthy_old = s.old_alive - old_healthy;
        // Healthy old ones may go while the rest keeps minHealthy, and
        // only as far as the new ones cover the target.
        let spare = healthy.saturating_sub(self.min_healthy);
        let kill_healthy_old = spare.min(old_healthy);
        let kill_old = unhealthy_old + kill_healthy_old;
        let old_after = s.old_alive - kill_old;
        let room = self.max_capacity.saturating_sub(old_after + s.new_started);
        let launch_new = self.target.saturating_sub(s.new_started).min(room);
        let done = s.old_alive == 0 && new_ready >= self.target;
        NextActions {
            kill_old,
            kill_healthy_old,
            launch_new,
            done,
        }
    }
}

#[cfg(test)]
#[path = "rolling_tests.rs"]
mod tests;
