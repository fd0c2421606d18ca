//! Launch backoff per app (docs/marathon.md, "Scheduling rules"): after a
//! failed task (`TASK_FAILED`, `TASK_ERROR`, `TASK_FINISHED`, health
//! kills; not operator kills) the next launch waits `backoffSeconds`,
//! then × `backoffFactor` per further failure, capped at
//! `maxLaunchDelaySeconds`. A new app version or `DELETE
//! /v2/queue/{id}/delay` resets it ([`Backoff::reset`]); so does a quiet
//! period of the current delay + `maxLaunchDelaySeconds` without a
//! failure. Times are milliseconds since the epoch, passed in.

use std::time::Duration;

use crate::wire::marathon::AppDefinition;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Backoff {
    /// The current delay (0 = none).
    delay_ms: i64,
    /// The last failure.
    last_failure_ms: Option<i64>,
    /// No launch before this.
    ready_at_ms: i64,
}

impl Backoff {
    pub fn new() -> Backoff {
        Backoff::default()
    }

    /// Record a failure at `now_ms`; returns the delay before the next
    /// launch.
    pub fn delay_after_failure(&mut self, app: &AppDefinition, now_ms: i64) -> Duration {
        let max_ms = secs_to_ms(app.max_launch_delay_seconds);
        if let Some(last) = self.last_failure_ms {
            if now_ms.saturating_sub(last) > self.delay_ms.saturating_add(max_ms) {
                self.delay_ms = 0;
            }
        }
        let next = if self.delay_ms == 0 {
            secs_to_ms(app.backoff_seconds)
        } else {
            (self.delay_ms as f64 * app.backoff_factor.max(1.0)).round() as i64
        };
        self.delay_ms = next.clamp(0, max_ms.max(0));
        self.last_failure_ms = Some(now_ms);
        self.ready_at_ms = now_ms.saturating_add(self.delay_ms);
        Duration::from_millis(self.delay_ms as u64)
    }

    /// A delay ending at `ready_at_ms` (tests and seeded states).
    #[cfg(test)]
    pub fn until(ready_at_ms: i64) -> Backoff {
        Backoff {
            delay_ms: 1000,
            last_failure_ms: None,
            ready_at_ms,
        }
    }

    /// Forget the failures (new version, `DELETE /v2/queue/{id}/delay`).
    pub fn reset(&mut self) {
        *self = Backoff::default();
    }

    /// The current delay.
    pub fn delay(&self) -> Duration {
        Duration::from_millis(self.delay_ms.max(0) as u64)
    }

    /// When the next launch may happen (ms since the epoch; 0 = now).
    pub fn ready_at(&self) -> i64 {
        self.ready_at_ms
    }

    /// Whether a launch may happen at `now_ms`.
    pub fn is_ready(&self, now_ms: i64) -> bool {
        now_ms >= self.ready_at_ms
    }

    /// Time until the next launch may happen (zero when it may now).
    pub fn time_left(&self, now_ms: i64) -> Duration {
        Duration::from_millis(self.ready_at_ms.saturating_sub(now_ms).max(0) as u64)
    }

    /// `/v2/queue`'s `delay.timeLeftSeconds` (rounded up).
    pub fn time_left_seconds(&self, now_ms: i64) -> u64 {
        (self.time_left(now_ms).as_millis() as u64).div_ceil(1000)
    }
}

fn secs_to_ms(s: f64) -> i64 {
    if s.is_finite() && s > 0.0 {
        (s * 1000.0).round().min(i64::MAX as f64) as i64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::marathon::PathId;

    fn app(secs: f64, factor: f64, max: f64) -> AppDefinition {
        let mut a = AppDefinition::new(PathId::parse("/a"));
        a.backoff_seconds = secs;
        a.backoff_factor = factor;
        a.max_launch_delay_seconds = max;
        a
    }

    #[test]
    fn grows_by_the_factor_and_is_capped() {
        let a = app(1.0, 2.0, 5.0);
        let mut b = Backoff::new();
        assert!(b.is_ready(0));
        let delays: Vec<u64> = (0..5)
            .map(|i| b.delay_after_failure(&a, 1000 * i).as_millis() as u64)
            .collect();
        assert_eq!(delays, [1000, 2000, 4000, 5000, 5000]);
        assert_eq!(b.ready_at(), 4000 + 5000);
        assert!(!b.is_ready(8999));
        assert!(b.is_ready(9000));
        assert_eq!(b.time_left(6500), Duration::from_millis(2500));
        assert_eq!(b.time_left_seconds(6500), 3);
        assert_eq!(b.time_left_seconds(10_000), 0);
    }

    #[test]
    fn the_default_factor_compounds() {
        let a = app(1.0, 1.15, 3600.0);
        let mut b = Backoff::new();
        b.delay_after_failure(&a, 0);
        b.delay_after_failure(&a, 10);
        assert_eq!(b.delay_after_failure(&a, 20), Duration::from_millis(1323));
    }

    #[test]
    fn reset_and_quiet_period_start_over() {
        let a = app(2.0, 2.0, 10.0);
        let mut b = Backoff::new();
        b.delay_after_failure(&a, 0);
        b.delay_after_failure(&a, 1);
        assert_eq!(b.delay(), Duration::from_secs(4));
        b.reset();
        assert!(b.is_ready(0));
        assert_eq!(b.delay_after_failure(&a, 100), Duration::from_secs(2));
        // Quiet for longer than delay (2 s) + max (10 s): back to the start.
        assert_eq!(
            b.delay_after_failure(&a, 100 + 12_001),
            Duration::from_secs(2)
        );
        // Within the quiet period it keeps growing.
        assert_eq!(
            b.delay_after_failure(&a, 100 + 12_002),
            Duration::from_secs(4)
        );
    }

    #[test]
    fn zero_backoff_launches_at_once() {
        let a = app(0.0, 2.0, 10.0);
        let mut b = Backoff::new();
        assert_eq!(b.delay_after_failure(&a, 5), Duration::ZERO);
        assert!(b.is_ready(5));
    }
}
