use super::*;
use proptest::prelude::*;

fn strategy(min: f64, over: f64) -> UpgradeStrategy {
    UpgradeStrategy {
        minimum_health_capacity: min,
        maximum_over_capacity: over,
    }
}

#[test]
fn bounds_and_the_plus_one_rule() {
    let p = RollingPlan::new(4, &strategy(0.5, 0.5), 4);
    assert_eq!((p.min_healthy, p.max_capacity), (2, 6));
    let p = RollingPlan::new(3, &strategy(0.5, 0.0), 3);
    assert_eq!((p.min_healthy, p.max_capacity), (2, 3));
    // minHealthy == maxCapacity: one over-capacity instance is allowed.
    let p = RollingPlan::new(3, &strategy(1.0, 0.0), 3);
    assert_eq!((p.min_healthy, p.max_capacity), (3, 4));
    // No old instances: nothing to replace, no need for the extra one.
    let p = RollingPlan::new(3, &strategy(1.0, 0.0), 0);
    assert_eq!((p.min_healthy, p.max_capacity), (3, 3));
    // Float products round as Marathon's do (0.1 × 10 is 1, not 1.0000001).
    assert_eq!(min_healthy(10, &strategy(0.1, 0.0)), 1);
    assert_eq!(max_capacity(10, &strategy(1.0, 0.1)), 11);
}

#[test]
fn default_strategy_starts_all_new_then_kills_old_as_they_become_ready() {
    let p = RollingPlan::new(2, &UpgradeStrategy::default(), 2);
    let a = p.next(&StepState {
        old_alive: 2,
        old_healthy: 2,
        new_started: 0,
        new_ready: 0,
    });
    assert_eq!((a.kill_old, a.launch_new, a.done), (0, 2, false));
    let a = p.next(&StepState {
        old_alive: 2,
        old_healthy: 2,
        new_started: 2,
        new_ready: 1,
    });
    assert_eq!((a.kill_old, a.launch_new), (1, 0));
    let a = p.next(&StepState {
        old_alive: 0,
        old_healthy: 0,
        new_started: 2,
        new_ready: 2,
    });
    assert!(a.done);
}

#[test]
fn half_capacity_kills_half_at_once() {
    let p = RollingPlan::new(4, &strategy(0.5, 0.0), 4);
    let a = p.next(&StepState {
        old_alive: 4,
        old_healthy: 4,
        new_started: 0,
        new_ready: 0,
    });
    assert_eq!((a.kill_old, a.kill_healthy_old, a.launch_new), (2, 2, 2));
}

#[test]
fn unhealthy_old_instances_go_at_once() {
    let p = RollingPlan::new(3, &strategy(1.0, 0.0), 3);
    let a = p.next(&StepState {
        old_alive: 3,
        old_healthy: 1,
        new_started: 0,
        new_ready: 0,
    });
    assert_eq!((a.kill_old, a.kill_healthy_old), (2, 0));
    assert_eq!(a.launch_new, 3);
}

#[test]
fn zero_instances_just_kills_the_old() {
    let p = RollingPlan::new(0, &UpgradeStrategy::default(), 3);
    let a = p.next(&StepState {
        old_alive: 3,
        old_healthy: 3,
        new_started: 0,
        new_ready: 0,
    });
    assert_eq!((a.kill_old, a.launch_new, a.done), (3, 0, false));
    assert!(p.next(&StepState::default()).done);
}

proptest! {
    /// Whatever happens to the new instances (ready, failing), the step
    /// never drops the healthy count below minHealthy (or below what it
    /// was, if it started lower), never exceeds maxCapacity through its
    /// own launches, and finishes once new instances become ready.
    #[test]
    fn invariants_hold_and_the_step_finishes(
        n in 0usize..8,
        r in 0usize..8,
        healthy_frac in 0usize..=4,
        min in prop::sample::select(vec![0.0, 0.25, 0.5, 0.75, 1.0]),
        over in prop::sample::select(vec![0.0, 0.25, 0.5, 1.0]),
        events in prop::collection::vec(0u8..4, 0..40),
    ) {
        let plan = RollingPlan::new(n, &strategy(min, over), r);
        let mut s = StepState { old_alive: r, old_healthy: r * healthy_frac / 4, new_started: 0, new_ready: 0 };
        let mut events = events.into_iter();
        let mut rounds = 0;
        loop {
            rounds += 1;
            prop_assert!(rounds < 500, "no progress: {plan:?} {s:?}");
            let a = plan.next(&s);
            if a.done {
                prop_assert_eq!(s.old_alive, 0);
                prop_assert!(s.new_ready >= n);
                break;
            }
            let before = s.old_healthy + s.new_ready;
            prop_assert!(a.kill_old <= s.old_alive);
            prop_assert!(a.kill_healthy_old <= a.kill_old);
            prop_assert!(a.kill_old - a.kill_healthy_old <= s.old_alive - s.old_healthy);
            s.old_alive -= a.kill_old;
            s.old_healthy -= a.kill_healthy_old;
            let after = s.old_healthy + s.new_ready;
            prop_assert!(after >= plan.min_healthy.min(before), "{plan:?} {s:?} {a:?}");
            if a.launch_new > 0 {
                s.new_started += a.launch_new;
                prop_assert!(s.old_alive + s.new_started <= plan.max_capacity, "{plan:?} {s:?}");
            }
            prop_assert!(s.new_started <= n);
            match events.next() {
                // A new instance becomes healthy and ready.
                Some(0) | Some(1) | None => {
                    if s.new_ready < s.new_started {
                        s.new_ready += 1;
                    }
                }
                // A new, not yet ready instance fails.
                Some(2) => {
                    if s.new_ready < s.new_started {
                        s.new_started -= 1;
                    }
                }
                // Nothing happens.
                _ => {}
            }
        }
    }
}
