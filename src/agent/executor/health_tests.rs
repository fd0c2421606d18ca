use super::*;
use crate::wire::agent_v1::Id;
use crate::wire::TaskState;

const GRACE: Duration = Duration::from_secs(10);

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn unhealthy(n: u64, kill: bool) -> Option<Report> {
    Some(Report {
        healthy: false,
        consecutive_failures: n,
        kill,
    })
}

const HEALTHY: Option<Report> = Some(Report {
    healthy: true,
    consecutive_failures: 0,
    kill: false,
});

#[test]
fn first_success_is_reported_then_only_changes() {
    let mut s = HealthState::default();
    assert_eq!(s.success(), HEALTHY);
    assert_eq!(s.success(), None);
    assert_eq!(s.success(), None);
    // A failure after being healthy is reported (the grace period no
    // longer applies once healthy), and so is the recovery.
    assert_eq!(s.failure(secs(1), GRACE, 3), unhealthy(1, false));
    assert_eq!(s.success(), HEALTHY);
    assert_eq!(s.success(), None);
}

#[test]
fn failures_in_the_grace_period_are_ignored_until_first_healthy() {
    let mut s = HealthState::default();
    for t in [1, 5, 10] {
        assert_eq!(s.failure(secs(t), GRACE, 1), None, "at {t}s");
    }
    assert_eq!(s.consecutive_failures, 0);
    // After the grace period failures count, even before any success.
    assert_eq!(s.failure(secs(11), GRACE, 2), unhealthy(1, false));
    assert_eq!(s.failure(secs(21), GRACE, 2), unhealthy(2, true));
    // No grace period: the first failure counts.
    let mut s = HealthState::default();
    assert_eq!(s.failure(secs(0), Duration::ZERO, 3), unhealthy(1, false));
}

#[test]
fn every_counted_failure_is_reported_and_the_limit_asks_for_a_kill() {
    let mut s = HealthState::default();
    assert_eq!(s.success(), HEALTHY);
    assert_eq!(s.failure(secs(100), GRACE, 3), unhealthy(1, false));
    assert_eq!(s.failure(secs(110), GRACE, 3), unhealthy(2, false));
    assert_eq!(s.failure(secs(120), GRACE, 3), unhealthy(3, true));
    // A success resets the count.
    let mut s = HealthState::default();
    s.success();
    s.failure(secs(100), GRACE, 3);
    s.failure(secs(110), GRACE, 3);
    assert_eq!(s.success(), HEALTHY);
    assert_eq!(s.failure(secs(130), GRACE, 3), unhealthy(1, false));
}

fn status(state: TaskState, healthy: Option<bool>) -> V1TaskStatus {
    V1TaskStatus {
        task_id: Id::new("t"),
        state,
        reason: healthy.map(|_| HEALTH_REASON.to_string()),
        healthy,
        ..V1TaskStatus::default()
    }
}

#[test]
fn state_resumes_from_the_reported_updates() {
    use TaskState::*;
    assert_eq!(
        HealthState::resumed(&[status(Starting, None), status(Running, None)]),
        HealthState::default()
    );
    let healthy_then_two_failures = [
        status(Running, None),
        status(Running, Some(true)),
        status(Running, Some(false)),
        status(Running, Some(false)),
    ];
    let mut s = HealthState::resumed(&healthy_then_two_failures);
    assert_eq!(
        s,
        HealthState {
            initializing: false,
            consecutive_failures: 2
        }
    );
    // The third failure in a row kills, grace period or not.
    assert_eq!(s.failure(secs(1), GRACE, 3), unhealthy(3, true));
    let recovered = [
        status(Running, Some(true)),
        status(Running, Some(false)),
        status(Running, Some(true)),
    ];
    let mut s = HealthState::resumed(&recovered);
    assert_eq!(s.consecutive_failures, 0);
    assert!(!s.initializing);
    assert_eq!(s.success(), None);
}
