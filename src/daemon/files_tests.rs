//! Unit tests of `files`.

use super::*;
use serde_json::json;

/// The typed bodies serialize exactly as the `json!` bodies of earlier
/// builds did (same keys, same order, same number forms).
#[test]
fn bodies_keep_their_json() {
    let f = FileInfo {
        path: "/sb/stdout".into(),
        nlink: 1,
        size: 12,
        mtime: 1_700_000_000,
        mtime_nsec: 5,
        mode: 0o100644,
        uid: "root".into(),
        gid: "wheel".into(),
    };
    let v0 = serde_json::to_string(&f.v0()).unwrap();
    assert_eq!(
        v0,
        json!({"path": "/sb/stdout", "nlink": 1, "size": 12, "mtime": 1_700_000_000f64,
               "mode": "-rw-r--r--", "uid": "root", "gid": "wheel"})
        .to_string()
    );
    let v1 = serde_json::to_string(&f.v1()).unwrap();
    assert_eq!(
        v1,
        json!({"path": "/sb/stdout", "nlink": 1, "size": 12,
               "mtime": {"nanoseconds": 1_700_000_000_000_000_005i64},
               "mode": 0o100644, "uid": "root", "gid": "wheel"})
        .to_string()
    );
    // What the CLI's reader makes of both forms.
    let back: crate::wire::FileInfo = serde_json::from_str(&v1).unwrap();
    assert_eq!(back, serde_json::from_str(&v0).unwrap());
    assert_eq!(
        serde_json::to_string(&ListFiles::default()).unwrap(),
        json!({}).to_string()
    );
    assert_eq!(
        serde_json::to_string(&ListFiles {
            file_infos: vec![f.v1()]
        })
        .unwrap(),
        format!("{{\"file_infos\":[{v1}]}}")
    );
    assert_eq!(
        serde_json::to_string(&ReadFile {
            size: 3,
            data: "aGk=".into()
        })
        .unwrap(),
        json!({"size": 3, "data": "aGk="}).to_string()
    );
    assert_eq!(
        serde_json::to_string(&ReadResponse {
            data: "hi".into(),
            offset: 7
        })
        .unwrap(),
        json!({"data": "hi", "offset": 7}).to_string()
    );
}

#[test]
fn mode_strings() {
    assert_eq!(mode_string(0o040755), "drwxr-xr-x");
    assert_eq!(mode_string(0o100644), "-rw-r--r--");
    assert_eq!(mode_string(0o100660), "-rw-rw----");
    assert_eq!(mode_string(0o120777), "lrwxrwxrwx");
    assert_eq!(mode_string(0o104755), "-rwsr-xr-x");
    assert_eq!(mode_string(0o041777), "drwxrwxrwt");
    assert_eq!(mode_string(0o100000), "----------");
}

#[test]
fn read_is_capped_and_probes_size() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("big");
    std::fs::write(&f, vec![b'a'; 100_000]).unwrap();
    let fs = FileServer::new();
    fs.attach("/sb", dir.path());
    let (size, data) = fs.read("/sb/big", 0, None).unwrap();
    assert_eq!(size, 100_000);
    assert_eq!(data.len() as u64, MAX_READ);
    let (_, data) = fs.read("/sb/big", 99_990, Some(100)).unwrap();
    assert_eq!(data.len(), 10);
    let (_, data) = fs.read("/sb/big", 200_000, None).unwrap();
    assert!(data.is_empty());
    assert!(
        matches!(fs.read("/sb", 0, None), Err(FilesError::Invalid(m)) if m == "Cannot read a directory.")
    );
    assert_eq!(parse_read_query("offset=-1").unwrap(), (-1, None));
    assert!(parse_read_query("offset=-2").is_err());
    assert!(parse_read_query("offset=x").is_err());
    assert_eq!(
        parse_read_query("offset=5&length=-1&_ts=9").unwrap(),
        (5, None)
    );
}

#[test]
fn path_safety() {
    let dir = tempfile::tempdir().unwrap();
    let sb = dir.path().join("sandbox");
    std::fs::create_dir_all(sb.join("sub")).unwrap();
    std::fs::write(sb.join("stdout"), b"hi").unwrap();
    std::fs::write(dir.path().join("secret"), b"no").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", sb.join("pw")).unwrap();
    std::os::unix::fs::symlink("/etc", sb.join("etc")).unwrap();
    std::os::unix::fs::symlink("stdout", sb.join("inside")).unwrap();
    std::os::unix::fs::symlink("../secret", sb.join("sub/up")).unwrap();
    let fs = FileServer::new();
    fs.attach("/sb", &sb);
    assert!(fs.resolve("/sb/stdout").is_ok());
    assert!(fs.resolve("/sb//sub/../stdout").is_err());
    assert!(fs.resolve("/sb/inside").is_ok());
    for bad in [
        "/sb/../secret",
        "/sb/pw",
        "/sb/etc/passwd",
        "/sb/sub/up",
        "/etc/passwd",
        "/sb/..",
        "//etc/passwd",
    ] {
        let r = fs.resolve(bad);
        assert!(r.is_err(), "{bad} resolved to {r:?}");
        assert!(fs.read(bad, 0, None).is_err(), "{bad}");
    }
    assert!(matches!(fs.resolve("/nope"), Err(FilesError::NotFound(_))));
    // A sibling whose name extends the sandbox's is not inside it.
    std::fs::create_dir_all(dir.path().join("sandbox2")).unwrap();
    std::fs::write(dir.path().join("sandbox2/x"), b"x").unwrap();
    std::os::unix::fs::symlink("../sandbox2/x", sb.join("sib")).unwrap();
    assert!(fs.resolve("/sb/sib").is_err());
    let names: Vec<String> = fs
        .browse("/sb")
        .unwrap()
        .into_iter()
        .map(|i| i.path)
        .collect();
    assert!(names.contains(&"/sb/stdout".to_string()), "{names:?}");
    assert!(fs.browse("/sb/stdout").unwrap().is_empty());
    fs.detach("/sb");
    assert!(fs.resolve("/sb/stdout").is_err());
}

#[test]
fn lossy_chunks_keep_offsets() {
    assert_eq!(lossy_chunk(b"abc", false), ("abc".into(), 3));
    assert_eq!(lossy_chunk(b"a\xffb", false), ("a\u{FFFD}b".into(), 3));
    // "é" is C3 A9: a chunk ending after C3 stops before it.
    assert_eq!(lossy_chunk(b"ab\xc3", false), ("ab".into(), 2));
    assert_eq!(lossy_chunk(b"ab\xc3", true), ("ab\u{FFFD}".into(), 3));
    assert_eq!(lossy_chunk(b"\xc3\xa9", false), ("é".into(), 2));
}
