//! Marathon-level health checks (`HTTP`, `HTTPS`, `TCP`) run by the
//! scheduler: the per-task, per-check [`HealthState`] tracker and a runner
//! ([`spawn_checker`]) that probes on an interval. The probe itself is in
//! [`super::probe`]. Rules as in real Marathon (docs/marathon.md, "Health
//! checks (scheduler side)"):
//!
//! * a pass sets `firstSuccess` (once), `lastSuccess` and resets the
//!   consecutive failures;
//! * a failure while the task has never been healthy and is still inside
//!   its grace period is ignored: nothing changes;
//! * any other failure sets `lastFailure`/`lastFailureCause`; when the task
//!   had already failed `maxConsecutiveFailures` times in a row it is to be
//!   killed (so the kill comes with the failure after that many, as in
//!   Marathon: "fails more than maxConsecutiveFailures"), and `0` means
//!   never kill;
//! * `alive` is true when the last success is more recent than the last
//!   failure.

use std::time::{Duration, SystemTime};

use tokio::sync::mpsc;

pub use super::probe::{probe, probe_outcome, ProbeKind, ProbeOutcome};

/// Health of one task for one check (Marathon's `Health`, rendered as a
/// `healthCheckResults` entry).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HealthState {
    pub alive: bool,
    pub consecutive_failures: u32,
    pub first_success: Option<SystemTime>,
    pub last_success: Option<SystemTime>,
    pub last_failure: Option<SystemTime>,
    pub last_failure_cause: Option<String>,
}

/// What the scheduler should make of one result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The check passed.
    Healthy,
    /// The check failed and counts; not (yet) a reason to kill.
    Unhealthy,
    /// A failure inside the grace period of a task never healthy yet (or a
    /// discarded 1xx answer): the state did not change.
    Ignored,
    /// Too many consecutive failures: kill the task (and replace it).
    Kill,
}

impl HealthState {
    /// Account for one probe result taken at `now`.
    pub fn record(
        &mut self,
        result: Result<(), String>,
        now: SystemTime,
        task_started_at: SystemTime,
        grace_period: Duration,
        max_consecutive_failures: u32,
    ) -> Verdict {
        match result {
            Ok(()) => {
                self.first_success.get_or_insert(now);
                self.last_success = Some(now);
                self.consecutive_failures = 0;
                self.update_alive();
                Verdict::Healthy
            }
            Err(cause) => {
                let in_grace = task_started_at
                    .checked_add(grace_period)
                    .is_none_or(|end| now < end);
                if self.first_success.is_none() && in_grace {
                    return Verdict::Ignored;
                }
                let kill = max_consecutive_failures > 0
                    && self.consecutive_failures >= max_consecutive_failures;
                self.consecutive_failures = self.consecutive_failures.saturating_add(1);
                self.last_failure = Some(now);
                self.last_failure_cause = Some(cause);
                self.update_alive();
                if kill {
                    Verdict::Kill
                } else {
                    Verdict::Unhealthy
                }
            }
        }
    }

    fn update_alive(&mut self) {
        self.alive = match (self.last_success, self.last_failure) {
            (Some(s), Some(f)) => f < s,
            (Some(_), None) => true,
            (None, _) => false,
        };
    }
}

/// Milliseconds since the epoch (for JSON timestamps).
pub fn epoch_ms(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// One Marathon-level check of one task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckSpec {
    pub kind: ProbeKind,
    pub host: String,
    pub port: u16,
    /// Path of HTTP(S) checks (`/` by default); unused for TCP.
    pub path: String,
    pub interval: Duration,
    pub timeout: Duration,
    pub grace: Duration,
    pub max_failures: u32,
    pub ignore_1xx: bool,
}

/// The first probe comes after the interval, but never later than this
/// (Marathon's "first health check after").
pub const FIRST_CHECK_AFTER: Duration = Duration::from_secs(5);

/// Probe `spec` every `interval` (the first time after
/// `min(interval, 5s)`) and send `(key, state, verdict)` after every probe
/// (discarded 1xx answers are not sent). Stops when aborted through the
/// returned handle or when the receiver is gone; it keeps probing after a
/// `Kill` verdict until the scheduler stops it. Must be called inside the
/// tokio runtime.
pub fn spawn_checker<K>(
    key: K,
    spec: CheckSpec,
    started_at: SystemTime,
    tx: mpsc::Sender<(K, HealthState, Verdict)>,
) -> tokio::task::AbortHandle
where
    K: Clone + Send + 'static,
{
    tokio::spawn(async move {
        let interval = spec.interval.max(Duration::from_millis(10));
        let mut state = HealthState::default();
        let first = tokio::time::Instant::now() + interval.min(FIRST_CHECK_AFTER);
        let mut ticks = tokio::time::interval_at(first, interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = ticks.tick() => {}
                _ = tx.closed() => return,
            }
            let outcome = probe_outcome(
                spec.kind,
                &spec.host,
                spec.port,
                &spec.path,
                spec.timeout,
                spec.ignore_1xx,
            )
            .await;
            let result = match outcome {
                ProbeOutcome::Pass => Ok(()),
                ProbeOutcome::Fail(cause) => Err(cause),
                ProbeOutcome::Discarded => continue,
            };
            let verdict = state.record(
                result,
                SystemTime::now(),
                started_at,
                spec.grace,
                spec.max_failures,
            );
            if tx
                .send((key.clone(), state.clone(), verdict))
                .await
                .is_err()
            {
                return;
            }
        }
    })
    .abort_handle()
}

#[cfg(test)]
mod tests;
