use super::*;

async fn open_dir() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&StoreConfig::Dir(dir.path().to_path_buf()))
        .await
        .unwrap();
    (dir, store)
}

#[tokio::test]
async fn dir_put_get_overwrite_and_layout() {
    let (dir, store) = open_dir().await;
    assert_eq!(store.get("apps/web").await.unwrap(), None);
    store.put("apps/web", b"v1").await.unwrap();
    store.put("apps/web", b"v2").await.unwrap();
    assert_eq!(
        store.get("apps/web").await.unwrap().as_deref(),
        Some(&b"v2"[..])
    );
    // The documented layout: one file per key under <work_dir>/state.
    let file = dir.path().join("state/apps/web");
    assert_eq!(std::fs::read(&file).unwrap(), b"v2");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "state files are private: {mode:o}");
    // Nothing but the value file is left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path().join("state/apps"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["web"]);
    // Reopening sees the same state.
    let again = Store::open(&StoreConfig::Dir(dir.path().to_path_buf()))
        .await
        .unwrap();
    assert_eq!(
        again.get("apps/web").await.unwrap().as_deref(),
        Some(&b"v2"[..])
    );
}

#[tokio::test]
async fn dir_write_is_atomic_rename_and_crash_leftovers_are_ignored() {
    let (dir, store) = open_dir().await;
    store.put("framework-id", b"old").await.unwrap();
    let file = dir.path().join("state/framework-id");
    let ino = |p: &std::path::Path| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(p).unwrap().ino()
    };
    let before = ino(&file);
    store.put("framework-id", b"new").await.unwrap();
    // A rename replaces the inode; an in-place rewrite would keep it (and
    // could leave a torn value after a crash).
    assert_ne!(ino(&file), before, "the value must be replaced by a rename");

    // A crash between writing the temporary file and the rename leaves the
    // old value and a temporary file: readers and listings ignore it, and
    // reopening removes it.
    let tmp = dir.path().join("state/framework-id~tmp.1.0");
    std::fs::write(&tmp, b"half").unwrap();
    assert_eq!(
        store.get("framework-id").await.unwrap().as_deref(),
        Some(&b"new"[..])
    );
    assert_eq!(store.list("").await.unwrap(), ["framework-id"]);
    Store::open(&StoreConfig::Dir(dir.path().to_path_buf()))
        .await
        .unwrap();
    assert!(!tmp.exists(), "leftover temporary file swept on open");
}

#[tokio::test]
async fn dir_list_is_sorted_children_and_empty_when_missing() {
    let (_dir, store) = open_dir().await;
    for k in [
        "apps/b",
        "apps/a",
        "apps/c.d/x",
        "versions/a/1",
        "framework-id",
    ] {
        store.put(k, k.as_bytes()).await.unwrap();
    }
    assert_eq!(store.list("apps").await.unwrap(), ["a", "b", "c.d"]);
    assert_eq!(
        store.list("").await.unwrap(),
        ["apps", "framework-id", "versions"]
    );
    assert_eq!(store.list("versions/a").await.unwrap(), ["1"]);
    assert!(store.list("nothing/here").await.unwrap().is_empty());
    // Listing a value (not a prefix) has no children.
    assert!(store.list("framework-id").await.unwrap().is_empty());
    // A pure prefix holds no value.
    assert_eq!(store.get("apps").await.unwrap(), None);
}

#[tokio::test]
async fn dir_delete_is_idempotent_and_recursive() {
    let (_dir, store) = open_dir().await;
    store.put("apps/a", b"1").await.unwrap();
    store.put("versions/a/1", b"1").await.unwrap();
    store.put("versions/a/2", b"2").await.unwrap();
    store.delete("apps/a").await.unwrap();
    store.delete("apps/a").await.unwrap();
    store.delete("never/was").await.unwrap();
    assert_eq!(store.get("apps/a").await.unwrap(), None);
    store.delete("versions/a").await.unwrap();
    assert!(store.list("versions/a").await.unwrap().is_empty());
    assert_eq!(store.get("versions/a/2").await.unwrap(), None);
}

#[tokio::test]
async fn dir_value_and_prefix_conflicts_are_refused() {
    let (_dir, store) = open_dir().await;
    store.put("apps/a", b"1").await.unwrap();
    let e = store.put("apps/a/b", b"2").await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict { .. }), "{e}");
    assert!(e.to_string().contains("apps/a/b"), "{e}");
    let e = store.put("apps", b"2").await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict { .. }), "{e}");
    assert_eq!(
        store.get("apps/a").await.unwrap().as_deref(),
        Some(&b"1"[..])
    );
}

#[tokio::test]
async fn dir_concurrent_writers_never_tear_a_value() {
    let (_dir, store) = open_dir().await;
    let big_a = vec![b'a'; 256 * 1024];
    let big_b = vec![b'b'; 256 * 1024];
    let mut tasks = Vec::new();
    for i in 0..16 {
        let s = store.clone();
        let v = if i % 2 == 0 {
            big_a.clone()
        } else {
            big_b.clone()
        };
        tasks.push(tokio::spawn(
            async move { s.put("deployments/d1", &v).await },
        ));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let v = store.get("deployments/d1").await.unwrap().unwrap();
    assert!(v == big_a || v == big_b, "torn value");
    assert_eq!(store.list("deployments").await.unwrap(), ["d1"]);
}

#[tokio::test]
async fn bad_keys_are_refused_before_touching_the_disk() {
    let (dir, store) = open_dir().await;
    for key in [
        "",
        "/apps",
        "apps/",
        "apps//a",
        "..",
        "apps/../../etc",
        "./a",
        "a b",
        "a~b",
        "é",
        "a\\b",
    ] {
        let e = store.put(key, b"x").await.unwrap_err();
        assert!(matches!(e, StoreError::BadKey { .. }), "{key}: {e}");
        assert!(e.to_string().starts_with("invalid state key"), "{e}");
        assert!(store.get(key).await.is_err(), "{key}");
        assert!(store.delete(key).await.is_err(), "{key}");
    }
    assert!(store.list("../x").await.is_err());
    assert!(!dir.path().join("etc").exists());
    assert!(store.list("").await.unwrap().is_empty());
    // Every allowed character works.
    store.put("A-z_0.9/x", b"ok").await.unwrap();
}

#[test]
fn zk_encoding_compresses_large_values_only_and_refuses_oversized_ones() {
    use zk::{decode, encode, COMPRESS_ABOVE, MAX_NODE_SIZE};
    let small = b"{\"id\":\"/web\"}".to_vec();
    assert_eq!(encode("k", &small).unwrap(), small);
    assert_eq!(decode("k", small.clone()).unwrap(), small);

    let large = "x".repeat(COMPRESS_ABOVE + 1).into_bytes();
    let stored = encode("k", &large).unwrap();
    assert!(stored.len() < large.len() / 10);
    assert_eq!(decode("k", stored).unwrap(), large);

    // A small value that looks gzipped is stored compressed, so reading it
    // back is unambiguous.
    let tricky = vec![0x1f, 0x8b, 1, 2, 3];
    let stored = encode("k", &tricky).unwrap();
    assert_ne!(stored, tricky);
    assert_eq!(decode("k", stored).unwrap(), tricky);

    // Incompressible data over the limit: refused, naming the key.
    let mut noise = Vec::with_capacity(MAX_NODE_SIZE + 100_000);
    let mut x: u64 = 0x9e3779b97f4a7c15;
    while noise.len() < MAX_NODE_SIZE + 100_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        noise.extend_from_slice(&x.to_le_bytes());
    }
    let e = encode("apps/huge", &noise).unwrap_err();
    assert!(matches!(e, StoreError::TooLarge { .. }));
    assert!(e.to_string().contains("apps/huge"), "{e}");
    // Compressible data over the limit is fine.
    let big = vec![b'y'; 4 * 1024 * 1024];
    assert!(encode("k", &big).unwrap().len() < MAX_NODE_SIZE);

    let e = decode("k", vec![0x1f, 0x8b, 0, 0]).unwrap_err();
    assert!(matches!(e, StoreError::Corrupt { .. }), "{e}");
}

#[tokio::test]
async fn zk_url_errors_never_show_the_password() {
    let e = Store::open(&StoreConfig::Zk("zk://u:hunter2@/marathon".into()))
        .await
        .unwrap_err();
    assert!(!e.to_string().contains("hunter2"), "{e}");
    let e = Store::open(&StoreConfig::Zk("h:2181".into()))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::BadZkUrl(_)), "{e}");
}
