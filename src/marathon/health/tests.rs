use super::*;

const T0: u64 = 1_700_000_000;

fn at(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(T0 + secs)
}

const GRACE: Duration = Duration::from_secs(30);

fn fail(s: &mut HealthState, now: u64, max: u32) -> Verdict {
    s.record(Err("HTTP 503".into()), at(now), at(0), GRACE, max)
}

fn pass(s: &mut HealthState, now: u64, max: u32) -> Verdict {
    s.record(Ok(()), at(now), at(0), GRACE, max)
}

#[test]
fn a_pass_is_healthy_and_sets_first_and_last_success() {
    let mut s = HealthState::default();
    assert!(!s.alive);
    assert_eq!(pass(&mut s, 5, 3), Verdict::Healthy);
    assert!(s.alive);
    assert_eq!(s.first_success, Some(at(5)));
    assert_eq!(s.last_success, Some(at(5)));
    assert_eq!(pass(&mut s, 15, 3), Verdict::Healthy);
    assert_eq!(
        s.first_success,
        Some(at(5)),
        "first success stays the first"
    );
    assert_eq!(s.last_success, Some(at(15)));
    assert_eq!(s.consecutive_failures, 0);
    assert_eq!(s.last_failure, None);
}

#[test]
fn failures_inside_the_grace_period_are_ignored_until_first_healthy() {
    let mut s = HealthState::default();
    for t in [1, 10, 29] {
        assert_eq!(fail(&mut s, t, 1), Verdict::Ignored);
    }
    // Nothing changed: no failure recorded, nothing counted.
    assert_eq!(s, HealthState::default());
}

#[test]
fn failures_after_the_grace_period_count_even_if_never_healthy() {
    let mut s = HealthState::default();
    // The grace period ends at started + grace exactly.
    assert_eq!(fail(&mut s, 30, 3), Verdict::Unhealthy);
    assert_eq!(s.consecutive_failures, 1);
    assert_eq!(s.last_failure, Some(at(30)));
    assert_eq!(s.last_failure_cause.as_deref(), Some("HTTP 503"));
    assert!(!s.alive);
}

#[test]
fn once_healthy_failures_inside_the_grace_period_count() {
    let mut s = HealthState::default();
    assert_eq!(pass(&mut s, 2, 3), Verdict::Healthy);
    assert_eq!(fail(&mut s, 4, 3), Verdict::Unhealthy);
    assert_eq!(s.consecutive_failures, 1);
    assert!(!s.alive, "a failure after the last success means not alive");
    assert_eq!(s.first_success, Some(at(2)));
}

#[test]
fn kill_comes_with_the_failure_after_max_consecutive_failures() {
    let mut s = HealthState::default();
    for (i, t) in [40, 50, 60].into_iter().enumerate() {
        assert_eq!(fail(&mut s, t, 3), Verdict::Unhealthy, "failure {}", i + 1);
    }
    assert_eq!(s.consecutive_failures, 3);
    assert_eq!(fail(&mut s, 70, 3), Verdict::Kill);
    assert_eq!(s.consecutive_failures, 4);
    assert_eq!(s.last_failure, Some(at(70)));
    // Still failing while the kill is under way: still Kill.
    assert_eq!(fail(&mut s, 80, 3), Verdict::Kill);

    // max 1: the second consecutive failure kills.
    let mut s = HealthState::default();
    assert_eq!(fail(&mut s, 40, 1), Verdict::Unhealthy);
    assert_eq!(fail(&mut s, 41, 1), Verdict::Kill);
}

#[test]
fn a_pass_resets_the_consecutive_failures() {
    let mut s = HealthState::default();
    assert_eq!(fail(&mut s, 40, 2), Verdict::Unhealthy);
    assert_eq!(fail(&mut s, 50, 2), Verdict::Unhealthy);
    assert_eq!(pass(&mut s, 60, 2), Verdict::Healthy);
    assert_eq!(s.consecutive_failures, 0);
    assert!(s.alive);
    assert_eq!(s.last_failure, Some(at(50)), "the last failure is kept");
    assert_eq!(fail(&mut s, 70, 2), Verdict::Unhealthy);
    assert_eq!(fail(&mut s, 80, 2), Verdict::Unhealthy);
    assert_eq!(fail(&mut s, 90, 2), Verdict::Kill);
}

#[test]
fn zero_max_consecutive_failures_never_kills() {
    let mut s = HealthState::default();
    for t in 0..100 {
        assert_eq!(fail(&mut s, 31 + t, 0), Verdict::Unhealthy);
    }
    assert_eq!(s.consecutive_failures, 100);
}

#[test]
fn a_zero_grace_period_counts_the_first_failure() {
    let mut s = HealthState::default();
    let v = s.record(
        Err("Connection refused".into()),
        at(0),
        at(0),
        Duration::ZERO,
        3,
    );
    assert_eq!(v, Verdict::Unhealthy);
    assert_eq!(s.last_failure_cause.as_deref(), Some("Connection refused"));
}

#[test]
fn epoch_ms_of_times() {
    assert_eq!(
        epoch_ms(SystemTime::UNIX_EPOCH + Duration::from_millis(1234)),
        1234
    );
    assert_eq!(epoch_ms(SystemTime::UNIX_EPOCH), 0);
}

fn spec(port: u16, grace: Duration, max_failures: u32) -> CheckSpec {
    CheckSpec {
        kind: ProbeKind::Tcp,
        host: "127.0.0.1".into(),
        port,
        path: "/".into(),
        interval: Duration::from_millis(50),
        timeout: Duration::from_secs(2),
        grace,
        max_failures,
        ignore_1xx: false,
    }
}

async fn next<K>(rx: &mut mpsc::Receiver<(K, HealthState, Verdict)>) -> (K, HealthState, Verdict) {
    tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("a result within 30 s")
        .expect("the checker is running")
}

#[tokio::test]
async fn checker_reports_healthy_for_a_listening_port_and_stops_when_aborted() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((s, _)) = listener.accept().await {
            drop(s);
        }
    });
    let (tx, mut rx) = mpsc::channel(4);
    let handle = spawn_checker("task-1", spec(port, GRACE, 3), SystemTime::now(), tx);
    let (key, state, verdict) = next(&mut rx).await;
    assert_eq!(key, "task-1");
    assert_eq!(verdict, Verdict::Healthy);
    assert!(state.alive && state.first_success.is_some());
    handle.abort();
    // Once aborted, the sender is dropped: the channel ends.
    let end = tokio::time::timeout(Duration::from_secs(30), async {
        while rx.recv().await.is_some() {}
    })
    .await;
    assert!(end.is_ok(), "the checker must stop when aborted");
}

#[tokio::test]
async fn checker_asks_for_a_kill_on_a_closed_port() {
    // A port nobody listens on: bind, note it, close.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (tx, mut rx) = mpsc::channel(4);
    let handle = spawn_checker(7u32, spec(port, Duration::ZERO, 1), SystemTime::now(), tx);
    let (_, state, verdict) = next(&mut rx).await;
    assert_eq!(verdict, Verdict::Unhealthy);
    assert_eq!(
        state.last_failure_cause.as_deref(),
        Some("Connection refused")
    );
    let (_, state, verdict) = next(&mut rx).await;
    assert_eq!(verdict, Verdict::Kill);
    assert_eq!(state.consecutive_failures, 2);
    handle.abort();
}

#[tokio::test]
async fn checker_failures_inside_grace_are_reported_as_ignored() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (tx, mut rx) = mpsc::channel(4);
    let handle = spawn_checker(
        "t",
        spec(port, Duration::from_secs(3600), 1),
        SystemTime::now(),
        tx,
    );
    for _ in 0..3 {
        let (_, state, verdict) = next(&mut rx).await;
        assert_eq!(verdict, Verdict::Ignored);
        assert_eq!(state, HealthState::default());
    }
    handle.abort();
}
