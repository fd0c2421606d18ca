//! Corpus loading, mutation strategies and the runner shared by all targets.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{
    Config, FileFailurePersistence, RngSeed, TestCaseError, TestError, TestRunner,
};
use serde_json::Value as Json;

/// `fuzz/` in the repository.
pub fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Every input of `fuzz/corpus/<target>/`: a `*.lines` file gives one input
/// per non-empty line, any other file is one input.
pub fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = fuzz_dir().join("corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let data = std::fs::read(&f).unwrap();
        if f.extension().is_some_and(|e| e == "lines") {
            out.extend(
                data.split(|b| *b == b'\n')
                    .filter(|l| !l.is_empty())
                    .map(<[u8]>::to_vec),
            );
        } else {
            out.push(data);
        }
    }
    assert!(!out.is_empty(), "corpus {} is empty", dir.display());
    out
}

/// Corpus entries as text.
pub fn corpus_text(target: &str) -> Vec<String> {
    corpus(target)
        .into_iter()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect()
}

/// Corpus entries that are JSON documents (others are skipped).
pub fn corpus_json(target: &str) -> Vec<Json> {
    corpus(target)
        .iter()
        .filter_map(|b| serde_json::from_slice(b).ok())
        .collect()
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// Run `test` on inputs from `strategy`: `FUZZ_CASES` cases (else
/// `default_cases`). Failing inputs are shrunk, reported and their seed kept
/// in `fuzz/regressions/<name>.txt` (replayed first on every run).
pub fn run<S: Strategy>(
    name: &str,
    default_cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let cases = env_u64("FUZZ_CASES")
        .map(|n| n.min(u32::MAX as u64) as u32)
        .unwrap_or(default_cases);
    let seed = env_u64("FUZZ_SEED").unwrap_or_else(|| {
        if std::env::var("FUZZ_RANDOM").is_ok_and(|v| v == "1") {
            rand_seed()
        } else {
            0x6d65_736f_735f_667a // fixed: normal test runs are reproducible
        }
    });
    let regressions: &'static str =
        Box::leak(format!("fuzz/regressions/{name}.txt").into_boxed_str());
    let config = Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(regressions))),
        max_shrink_iters: 2000,
        ..Config::default()
    };
    let count = AtomicU64::new(0);
    let started = Instant::now();
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, |v| {
        count.fetch_add(1, Ordering::Relaxed);
        test(v)
    });
    let n = count.load(Ordering::Relaxed);
    let secs = started.elapsed().as_secs_f64();
    eprintln!("fuzz target {name}: {n} inputs in {secs:.1}s (seed {seed}, {cases} cases)");
    match result {
        Ok(()) => {}
        Err(TestError::Fail(why, input)) => {
            panic!("fuzz target {name} failed: {why}\nminimal input: {input:#?}")
        }
        Err(e) => panic!("fuzz target {name}: {e}"),
    }
}

fn rand_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    h.finish()
}

/// One byte-level edit of an input.
#[derive(Clone, Debug)]
pub enum Edit {
    /// XOR one byte.
    Flip(Index, u8),
    /// Insert bytes (a dictionary token or random bytes).
    Insert(Index, Vec<u8>),
    /// Delete up to N bytes.
    Delete(Index, u8),
    /// Repeat a slice of up to N bytes.
    Dup(Index, u8),
    /// Cut the input here.
    Truncate(Index),
}

fn edit(dict: &'static [&'static str]) -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<Index>(), 1..=255u8).prop_map(|(i, x)| Edit::Flip(i, x)),
        4 => (any::<Index>(), select(dict)).prop_map(|(i, t)| Edit::Insert(i, t.as_bytes().to_vec())),
        1 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..8)).prop_map(|(i, b)| Edit::Insert(i, b)),
        2 => (any::<Index>(), 1..16u8).prop_map(|(i, n)| Edit::Delete(i, n)),
        1 => (any::<Index>(), 1..32u8).prop_map(|(i, n)| Edit::Dup(i, n)),
        1 => any::<Index>().prop_map(Edit::Truncate),
    ]
}

/// Apply edits in order.
pub fn apply(mut data: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let at = |i: &Index, len: usize| i.index(len + 1);
        match e {
            Edit::Flip(i, x) if !data.is_empty() => {
                let p = i.index(data.len());
                data[p] ^= x;
            }
            Edit::Flip(..) => {}
            Edit::Insert(i, b) => {
                let p = at(i, data.len());
                data.splice(p..p, b.iter().copied());
            }
            Edit::Delete(i, n) => {
                let p = at(i, data.len());
                let end = (p + *n as usize).min(data.len());
                data.drain(p..end);
            }
            Edit::Dup(i, n) => {
                let p = at(i, data.len());
                let end = (p + *n as usize).min(data.len());
                let piece = data[p..end].to_vec();
                data.splice(end..end, piece);
            }
            Edit::Truncate(i) => {
                let p = at(i, data.len());
                data.truncate(p);
            }
        }
    }
    data
}

/// Inputs for a byte parser: corpus entries (mostly mutated, some spliced,
/// some verbatim), dictionary soup and random bytes.
pub fn bytes_input(
    corpus: Vec<Vec<u8>>,
    dict: &'static [&'static str],
) -> impl Strategy<Value = Vec<u8>> {
    let c2 = corpus.clone();
    let c3 = corpus.clone();
    prop_oneof![
        8 => (select(corpus), prop::collection::vec(edit(dict), 1..6))
            .prop_map(|(d, e)| apply(d, &e)),
        2 => (select(c2.clone()), select(c2), any::<Index>(), any::<Index>()).prop_map(
            |(a, b, i, j)| {
                let mut out = a[..i.index(a.len() + 1)].to_vec();
                out.extend_from_slice(&b[j.index(b.len() + 1)..]);
                out
            }
        ),
        1 => select(c3),
        2 => prop::collection::vec(select(dict), 0..12)
            .prop_map(|t| t.concat().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..96),
    ]
}

/// [`bytes_input`] as (lossy) UTF-8 text.
pub fn text_input(
    corpus: Vec<String>,
    dict: &'static [&'static str],
) -> impl Strategy<Value = String> {
    bytes_input(corpus.into_iter().map(String::into_bytes).collect(), dict)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// Arbitrary JSON built from field names and strings that matter to Mesos.
pub fn json_value(
    keys: &'static [&'static str],
    strings: &'static [&'static str],
) -> BoxedStrategy<Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::from),
        any::<i64>().prop_map(Json::from),
        any::<u64>().prop_map(Json::from),
        prop_oneof![
            Just(-1.0f64),
            Just(0.0),
            Just(1e300),
            Just(-1e300),
            Just(f64::MAX),
            Just(1.5e-9),
            any::<f64>().prop_filter("finite", |f| f.is_finite()),
        ]
        .prop_map(Json::from),
        select(strings).prop_map(Json::from),
        "\\PC{0,16}".prop_map(Json::from),
    ];
    leaf.prop_recursive(4, 32, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Json::Array),
            prop::collection::vec((select(keys), inner), 0..5).prop_map(|kv| {
                Json::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
    .boxed()
}

/// One structural edit of a JSON document.
#[derive(Clone, Debug)]
pub enum JsonEdit {
    /// Replace the node with this value.
    Replace(Index, Json),
    /// Remove the node from its parent.
    Remove(Index),
    /// `x` becomes `[x]`.
    Wrap(Index),
    /// Set (or add) a key of an object node.
    Set(Index, &'static str, Json),
}

pub fn json_edit(
    keys: &'static [&'static str],
    strings: &'static [&'static str],
) -> impl Strategy<Value = JsonEdit> {
    let v = json_value(keys, strings);
    prop_oneof![
        4 => (any::<Index>(), v.clone()).prop_map(|(i, v)| JsonEdit::Replace(i, v)),
        2 => any::<Index>().prop_map(JsonEdit::Remove),
        1 => any::<Index>().prop_map(JsonEdit::Wrap),
        3 => (any::<Index>(), select(keys), v).prop_map(|(i, k, v)| JsonEdit::Set(i, k, v)),
    ]
}

/// JSON pointers of every node (the root is `""`).
fn pointers(v: &Json, at: String, out: &mut Vec<String>) {
    match v {
        Json::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                pointers(x, format!("{at}/{i}"), out);
            }
        }
        Json::Object(o) => {
            for (k, x) in o {
                let k = k.replace('~', "~0").replace('/', "~1");
                pointers(x, format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

pub fn apply_json(mut doc: Json, edits: &[JsonEdit]) -> Json {
    for e in edits {
        let mut ptrs = Vec::new();
        pointers(&doc, String::new(), &mut ptrs);
        let pick = |i: &Index| ptrs[i.index(ptrs.len())].clone();
        match e {
            JsonEdit::Replace(i, v) => {
                if let Some(n) = doc.pointer_mut(&pick(i)) {
                    *n = v.clone();
                }
            }
            JsonEdit::Wrap(i) => {
                if let Some(n) = doc.pointer_mut(&pick(i)) {
                    *n = Json::Array(vec![n.take()]);
                }
            }
            JsonEdit::Set(i, k, v) => {
                if let Some(Json::Object(o)) = doc.pointer_mut(&pick(i)) {
                    o.insert(k.to_string(), v.clone());
                }
            }
            JsonEdit::Remove(i) => {
                let p = pick(i);
                let Some((parent, key)) = p.rsplit_once('/') else {
                    continue;
                };
                let key = key.replace("~1", "/").replace("~0", "~");
                match doc.pointer_mut(parent) {
                    Some(Json::Object(o)) => {
                        o.remove(&key);
                    }
                    Some(Json::Array(a)) => {
                        if let Ok(i) = key.parse::<usize>() {
                            if i < a.len() {
                                a.remove(i);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    doc
}

/// Corpus documents with structural edits.
pub fn json_input(
    corpus: Vec<Json>,
    keys: &'static [&'static str],
    strings: &'static [&'static str],
) -> impl Strategy<Value = Json> {
    (
        select(corpus),
        prop::collection::vec(json_edit(keys, strings), 0..5),
    )
        .prop_map(|(d, e)| apply_json(d, &e))
}

/// Percent-encode every byte (what a client may legally send).
pub fn percent_encode_all(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}
