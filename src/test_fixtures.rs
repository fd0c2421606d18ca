//! Where the captured response bodies of real Mesos (and Marathon, DC/OS)
//! live: `tests/fixtures/` in this repository, with their sources, commits
//! and licences in `tests/fixtures/PROVENANCE.md` and `LICENSES.md`.
//!
//! The one place that knows the path: compiled into the library's unit
//! tests (`#[cfg(test)]` in `lib.rs`) and, through `#[path]`, into the
//! integration tests (`tests/integration/common/mod.rs`). A missing fixture
//! is a test failure, never a skipped test.

use std::path::PathBuf;

/// `tests/fixtures/` of this checkout.
pub fn fixtures_dir() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    assert!(p.is_dir(), "fixtures directory {} is missing", p.display());
    p
}

/// The bytes of one fixture (`name` relative to `tests/fixtures/`).
pub fn read_fixture(name: &str) -> Vec<u8> {
    let p = fixtures_dir().join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("fixture {}: {e}", p.display()))
}

/// One fixture as UTF-8 text.
pub fn read_fixture_text(name: &str) -> String {
    String::from_utf8(read_fixture(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// Every key path of a JSON body (`a`, `a.b`, `a[].c`), for comparing our
/// bodies' shapes with captured real ones. `labels` and `env` objects are
/// data: their keys are not paths.
pub fn key_paths(v: &serde_json::Value) -> std::collections::BTreeSet<String> {
    fn walk(v: &serde_json::Value, prefix: &str, out: &mut std::collections::BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    if !matches!(k.as_str(), "labels" | "env") {
                        walk(v, &p, out);
                    }
                    out.insert(p);
                }
            }
            serde_json::Value::Array(items) => {
                for i in items {
                    walk(i, &format!("{prefix}[]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    walk(v, "", &mut out);
    out
}
