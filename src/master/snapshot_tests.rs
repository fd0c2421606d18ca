use super::*;

use crate::master::test_master;

/// A render that counts its calls and shows the cluster name.
fn counting(calls: &Arc<AtomicUsize>) -> Render {
    let calls = calls.clone();
    Box::new(move |_, st| {
        calls.fetch_add(1, Ordering::SeqCst);
        to_json(&st.cluster)
    })
}

#[test]
fn only_mutable_access_bumps_the_generation() {
    let m = test_master();
    let g0 = m.reads.generation();
    {
        let st = m.lock();
        let _ = st.agents.len();
    }
    assert_eq!(m.reads.generation(), g0, "a read-only lock");
    {
        let mut st = m.lock();
        st.cluster = Some("a".into());
        st.next_offer += 1;
    }
    assert_eq!(m.reads.generation(), g0 + 1, "one bump per guard");
    m.lock().unrendered().next_offer += 1;
    assert_eq!(m.reads.generation(), g0 + 1, "not rendered, not bumped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_share_one_snapshot_and_one_render() {
    let m = test_master();
    m.lock().cluster = Some("c1".into());
    let calls = Arc::new(AtomicUsize::new(0));
    let mut joins = Vec::new();
    for _ in 0..20 {
        let (m, calls) = (m.clone(), calls.clone());
        joins.push(tokio::spawn(async move {
            body(&m, "k", counting(&calls)).await.unwrap()
        }));
    }
    for j in joins {
        assert_eq!(&j.await.unwrap()[..], b"\"c1\"");
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "one render for 20 requests"
    );
    assert_eq!(m.reads.snapshots_taken(), 1);
    // Nothing changed: served from the cache.
    body(&m, "k", counting(&calls)).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(m.reads.snapshots_taken(), 1);
}

#[tokio::test]
async fn a_read_after_a_write_sees_the_write() {
    let m = test_master();
    let calls = Arc::new(AtomicUsize::new(0));
    assert_eq!(&body(&m, "k", counting(&calls)).await.unwrap()[..], b"null");
    for i in 0..5 {
        m.lock().cluster = Some(format!("c{i}"));
        let b = body(&m, "k", counting(&calls)).await.unwrap();
        assert_eq!(b, format!("\"c{i}\""));
    }
    assert_eq!(calls.load(Ordering::SeqCst), 6);
}

#[tokio::test]
async fn keys_render_separately_and_the_cache_is_bounded() {
    let m = test_master();
    let calls = Arc::new(AtomicUsize::new(0));
    for i in 0..MAX_BODIES + 4 {
        body(&m, &format!("k{i}"), counting(&calls)).await.unwrap();
    }
    let snap = fresh(&m).await.unwrap();
    assert_eq!(lock_plain(&snap.bodies).len(), MAX_BODIES);
    // Past the bound, a key is rendered every time (not cached).
    let before = calls.load(Ordering::SeqCst);
    body(&m, "extra", counting(&calls)).await.unwrap();
    body(&m, "extra", counting(&calls)).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), before + 2);
    // A cached key is not.
    body(&m, "k0", counting(&calls)).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), before + 2);
}

#[tokio::test]
async fn a_panicking_render_is_a_500_not_a_hang() {
    let m = test_master();
    let r: Render = Box::new(|_, _| panic!("render bug"));
    let e = body(&m, "bad", r).await.unwrap_err();
    assert!(matches!(e, ReadError::Render));
    assert_eq!(
        e.into_response().status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    // The cell was not poisoned: the next render of the key works.
    let calls = Arc::new(AtomicUsize::new(0));
    assert_eq!(
        &body(&m, "bad", counting(&calls)).await.unwrap()[..],
        b"null"
    );
}

#[tokio::test]
async fn under_churn_snapshots_are_paced_by_their_cost() {
    let m = test_master();
    let calls = Arc::new(AtomicUsize::new(0));
    body(&m, "k", counting(&calls)).await.unwrap();
    let first = fresh(&m).await.unwrap();
    // Pretend the first snapshot cost 50 ms: the next one waits 100 ms.
    first.cost_us.store(50_000, Ordering::Relaxed);
    m.lock().cluster = Some("x".into());
    let b = body(&m, "k", counting(&calls)).await.unwrap();
    assert_eq!(&b[..], b"\"x\"", "still fresh");
    // The next snapshot was not taken before 2x the first one's cost had
    // passed since the first (measured from when that one was taken, so
    // the test does not depend on how long this machine took to get here).
    let second = fresh(&m).await.unwrap();
    let gap = second.taken - first.taken;
    assert!(
        gap >= Duration::from_millis(100),
        "the next snapshot came {gap:?} after the first"
    );
    assert_eq!(m.reads.snapshots_taken(), 2);
}

#[test]
fn the_pace_is_bounded() {
    let m = test_master();
    let s = Snapshot::take(&m);
    s.cost_us.store(10_000_000, Ordering::Relaxed);
    assert_eq!(s.next_allowed() - s.taken, MAX_PACE);
}

#[test]
fn a_copy_does_not_keep_a_subscription_open() {
    let m = test_master();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    {
        let mut st = m.lock();
        let mut fw = crate::master::framework_info::framework_from_json(
            "F",
            &serde_json::json!({"user": "u", "name": "n"}),
            0.0,
            true,
        );
        fw.stream = Some(crate::master::state::Stream { id: "s".into(), tx });
        st.frameworks.insert("F".into(), fw);
    }
    let snap = Snapshot::take(&m);
    assert!(snap.state.frameworks["F"].stream.is_some());
    m.lock().frameworks.get_mut("F").unwrap().stream = None;
    // The master dropped its sender; the copy holds none, so the stream ends.
    assert!(rx.try_recv().is_err());
    assert!(rx.is_closed());
    drop(snap);
}

#[test]
fn jsonp_wraps_the_cached_body() {
    let r = json_bytes(Some("cb"), Bytes::from_static(b"{}"));
    assert_eq!(r.headers()[header::CONTENT_TYPE], "text/javascript");
    let r = json_bytes(None, Bytes::from_static(b"{}"));
    assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
}

#[tokio::test]
async fn gzip_bodies_are_compressed_once_per_snapshot() {
    let m = test_master();
    let big = "x".repeat(4096);
    m.lock().cluster = Some(big.clone());
    let calls = Arc::new(AtomicUsize::new(0));
    let enc = Encoding {
        jsonp: None,
        gzip: true,
    };
    for _ in 0..3 {
        let r = respond(&m, &enc, "k", counting(&calls)).await;
        assert_eq!(r.headers()[header::CONTENT_ENCODING], "gzip");
        assert!(r.extensions().get::<httputil::NoTransform>().is_some());
        let z = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap();
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&z[..]), &mut out).unwrap();
        assert_eq!(out, format!("\"{big}\""));
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(m.reads.renders(), 2, "one render, one compression");
    // A client without gzip gets the same body, plain.
    let r = respond(&m, &Encoding::default(), "k", counting(&calls)).await;
    assert!(r.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(m.reads.renders(), 2);
}

#[tokio::test]
async fn while_another_request_refreshes_a_request_waits_for_a_new_snapshot() {
    let m = test_master();
    let calls = Arc::new(AtomicUsize::new(0));
    m.lock().cluster = Some("old".into());
    body(&m, "k", counting(&calls)).await.unwrap();
    m.lock().cluster = Some("new".into());
    // Another request is taking the next snapshot (holds the refresh lock):
    // this one is not answered from the older snapshot, it waits.
    let refreshing = m.reads.refresh.lock().await;
    let m2 = m.clone();
    let c2 = calls.clone();
    let waiting = tokio::spawn(async move { body(&m2, "k", counting(&c2)).await.unwrap() });
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!waiting.is_finished(), "an older snapshot is not served");
    drop(refreshing);
    assert_eq!(&waiting.await.unwrap()[..], b"\"new\"");
}
