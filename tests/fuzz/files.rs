//! The files API (`src/daemon/files.rs`): a requested path must never
//! resolve, list or read anything outside the attached directory, whatever
//! `..`, `.`, empty segments, percent escapes or symlinks it uses.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use mesos::daemon::files::FileServer;
use proptest::prelude::*;
use proptest::sample::select;
use tower::ServiceExt as _;

use crate::common::{corpus_text, percent_encode_all, run};

/// Content of the file outside the sandbox; must never be served.
const SECRET: &str = "FUZZ-SECRET-5d1c0e";

/// A sandbox with files, a nested directory and symlinks pointing in, out
/// (relative and absolute) and in a loop, next to a secret directory.
struct Tree {
    _tmp: tempfile::TempDir,
    sandbox: PathBuf,
    single: PathBuf,
    fs: Arc<FileServer>,
}

fn tree() -> Tree {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    let sandbox = root.join("sandbox");
    let secret = root.join("secret");
    std::fs::create_dir_all(sandbox.join("dir/deeper")).unwrap();
    std::fs::create_dir_all(&secret).unwrap();
    std::fs::write(secret.join("s.txt"), SECRET).unwrap();
    std::fs::write(root.join("sibling.txt"), SECRET).unwrap();
    std::fs::write(sandbox.join("stdout"), "hello from the task\n").unwrap();
    std::fs::write(sandbox.join("dir/b.txt"), "b\n").unwrap();
    std::fs::write(sandbox.join("dir/deeper/c.txt"), "c\n").unwrap();
    symlink("../secret", sandbox.join("link_out")).unwrap();
    symlink(secret.join("s.txt"), sandbox.join("link_abs")).unwrap();
    symlink("dir", sandbox.join("link_in")).unwrap();
    symlink("loop", sandbox.join("loop")).unwrap();
    symlink("/", sandbox.join("link_root")).unwrap();
    let single = root.join("single.log");
    std::fs::write(&single, "one file\n").unwrap();
    let fs = FileServer::new();
    fs.attach("/sandbox", &sandbox);
    fs.attach("/slave/log", &single);
    Tree {
        _tmp: tmp,
        sandbox,
        single,
        fs,
    }
}

const SEGMENTS: &[&str] = &[
    "sandbox",
    "slave",
    "log",
    "dir",
    "deeper",
    "b.txt",
    "c.txt",
    "stdout",
    "link_out",
    "link_abs",
    "link_in",
    "loop",
    "link_root",
    "secret",
    "s.txt",
    "sibling.txt",
    "etc",
    "passwd",
    "..",
    ".",
    "",
    "...",
    "..%2f",
    "%2e%2e",
    "dir/..",
    "\\..",
    "..\\..",
    "\u{0}",
    "nope",
];

fn request_path() -> impl Strategy<Value = String> {
    let seg = prop_oneof![
        8 => select(SEGMENTS).prop_map(str::to_string),
        1 => "\\PC{0,6}",
    ];
    let built = (
        any::<bool>(),
        prop::collection::vec(seg, 0..8),
        any::<bool>(),
    )
        .prop_map(|(lead, segs, trail)| {
            let mut p = segs.join("/");
            if lead {
                p.insert(0, '/');
            }
            if trail {
                p.push('/');
            }
            p
        });
    prop_oneof![4 => built, 1 => select(corpus_text("files_path"))]
}

fn inside(real: &Path, t: &Tree) -> bool {
    real.starts_with(&t.sandbox) || real == t.single
}

#[test]
fn files_paths_stay_inside_the_sandbox() {
    let t = tree();
    run("files_paths", 500, request_path(), |p| {
        if let Ok(real) = t.fs.resolve(&p) {
            prop_assert!(inside(&real, &t), "{p:?} resolved to {}", real.display());
        }
        if let Ok((_, data)) = t.fs.read(&p, 0, None) {
            prop_assert!(
                !String::from_utf8_lossy(&data).contains(SECRET),
                "{p:?} read the secret"
            );
        }
        if let Ok(list) = t.fs.browse(&p) {
            for e in list {
                let names_secret = e.path.ends_with("/s.txt") || e.path.ends_with("sibling.txt");
                prop_assert!(!names_secret, "{p:?} listed {}", e.path);
            }
        }
        Ok(())
    });
}

/// The same through the HTTP handlers, with the path percent-encoded (or
/// not) in the query string and arbitrary offset/length values.
#[test]
fn files_http_queries() {
    let t = tree();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let app = t.fs.router();
    let number = prop_oneof![
        Just(String::new()),
        Just("-1".to_string()),
        Just("-2".to_string()),
        Just("9223372036854775807".to_string()),
        Just("18446744073709551616".to_string()),
        "[0-9]{1,6}",
        "\\PC{0,4}",
    ];
    let endpoint = select(
        &[
            "/files/read",
            "/files/browse",
            "/files/download",
            "/files/debug",
        ][..],
    );
    run(
        "files_http",
        300,
        (
            endpoint,
            request_path(),
            any::<bool>(),
            number.clone(),
            number,
        ),
        |(ep, p, encode, offset, length)| {
            let path = if encode {
                percent_encode_all(&p)
            } else {
                p.replace(['%', '&', '#', ' '], "")
            };
            let mut uri = format!("{ep}?path={path}");
            for (k, v) in [("offset", offset), ("length", length)] {
                if !v.is_empty() {
                    uri.push_str(&format!("&{k}={}", percent_encode_all(&v)));
                }
            }
            let Ok(req) = Request::get(&uri).body(Body::empty()) else {
                return Ok(());
            };
            let (status, body) = rt.block_on(async {
                let resp = app.clone().oneshot(req).await.unwrap();
                let status = resp.status();
                let body = axum::body::to_bytes(resp.into_body(), 1 << 24)
                    .await
                    .unwrap_or_default();
                (status, body)
            });
            prop_assert!(status != StatusCode::INTERNAL_SERVER_ERROR, "{uri} -> 500");
            let text = String::from_utf8_lossy(&body);
            prop_assert!(!text.contains(SECRET), "{uri} served the secret");
            Ok(())
        },
    );
}
