//! Small text parsers on request and flag paths: Mesos durations
//! (`src/duration.rs`), byte sizes (`parse_bytes` in `src/daemon/flags.rs`)
//! and the HTTP helpers of `src/daemon/httputil.rs`.

use std::time::Duration;

use mesos::daemon::flags::parse_bytes;
use mesos::daemon::httputil::{
    form_decode, jsonp_callback, percent_decode, query_param, Libprocess,
};
use mesos::duration::{format_mesos_duration, parse_duration};
use proptest::prelude::*;
use proptest::sample::select;

use crate::common::{corpus_text, percent_encode_all, run, text_input};

const NUM_DICT: &[&str] = &[
    ".",
    "..",
    "e",
    "E5",
    "-",
    "+",
    " ",
    "0",
    "9",
    "1e308",
    "nan",
    "inf",
    "NaN",
    "ns",
    "us",
    "ms",
    "s",
    "secs",
    "mins",
    "hrs",
    "days",
    "weeks",
    "B",
    "KB",
    "MB",
    "GB",
    "TB",
    "99999999999999999999",
    "\u{e9}",
    "\u{0}",
    "\u{660}",
];

#[test]
fn durations() {
    run(
        "durations",
        500,
        text_input(corpus_text("duration_bytes"), NUM_DICT),
        |s| {
            if let Ok(d) = parse_duration(&s) {
                prop_assert!(d.as_secs_f64() <= 1e12, "{s:?} gave {d:?}");
                let _ = format_mesos_duration(d);
            }
            Ok(())
        },
    );
}

#[test]
fn durations_round_trip() {
    let unit = select(&[1u64, 1_000, 1_000_000, 1_000_000_000, 60_000_000_000][..]);
    run(
        "durations_round_trip",
        500,
        (0u64..1_000_000_000, unit),
        |(n, unit)| {
            let d = Duration::from_nanos(n.saturating_mul(unit) % (1u64 << 62));
            let text = format_mesos_duration(d);
            let back = parse_duration(&text).map_err(TestCaseError::fail)?;
            let tolerance = Duration::from_secs_f64(d.as_secs_f64() * 1e-12 + 1e-6);
            let diff = back.abs_diff(d);
            prop_assert!(diff <= tolerance, "{d:?} -> {text} -> {back:?}");
            Ok(())
        },
    );
}

#[test]
fn byte_sizes() {
    let unit = select(
        &[
            ("", 1u64),
            ("B", 1),
            ("KB", 1 << 10),
            ("MB", 1 << 20),
            ("GB", 1 << 30),
        ][..],
    );
    run(
        "byte_sizes",
        500,
        (
            text_input(corpus_text("duration_bytes"), NUM_DICT),
            0u64..(1 << 20),
            unit,
        ),
        |(s, n, (u, mult))| {
            let _ = parse_bytes(&s);
            prop_assert_eq!(parse_bytes(&format!("{n}{u}")), Ok(n * mult));
            Ok(())
        },
    );
}

const HTTP_DICT: &[&str] = &[
    "/",
    "//",
    "%",
    "%2",
    "%2F",
    "%2f",
    "%25",
    "%00",
    "%ff",
    "%C3%A9",
    "%e9",
    "+",
    "&",
    "=",
    "?",
    "#",
    ".json",
    ".",
    "..",
    "master",
    "slave(1)",
    "slave%281%29",
    "files",
    "jsonp",
    "path",
    "offset",
    "length",
    "\u{e9}",
    "\u{0}",
];

#[test]
fn http_paths_and_queries() {
    let lp = Libprocess::new("master").with_process("slave(1)");
    run(
        "http_paths_and_queries",
        500,
        (
            text_input(corpus_text("http"), HTTP_DICT),
            select(&["path", "jsonp", "offset", "x"][..]),
        ),
        |(s, name)| {
            let (path, query) = s.split_once('?').unwrap_or((&s, ""));
            let n = lp.normalize(path);
            prop_assert!(n.starts_with('/'), "{path:?} -> {n:?}");
            let _ = percent_decode(&s);
            let _ = form_decode(&s);
            let _ = query_param(query, name);
            if let Some(cb) = jsonp_callback(query) {
                // Reflected into a script response: only identifier characters.
                prop_assert!(
                    !cb.is_empty()
                        && cb
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.')),
                    "unsafe jsonp callback {cb:?}"
                );
            }
            Ok(())
        },
    );
}

#[test]
fn percent_decoding_round_trip() {
    run(
        "percent_decoding_round_trip",
        500,
        ("\\PC{0,24}", "\\PC{0,24}", "[^%+]{0,24}"),
        |(k, v, plain)| {
            prop_assert_eq!(percent_decode(&percent_encode_all(&v)), v.clone());
            prop_assert_eq!(percent_decode(&plain), plain.clone());
            let q = format!(
                "a=1&{}={}&{}=other",
                percent_encode_all(&k),
                percent_encode_all(&v),
                percent_encode_all(&k)
            );
            let expect = if k == "a" { "1".to_string() } else { v };
            prop_assert_eq!(query_param(&q, &k), Some(expect));
            Ok(())
        },
    );
}
