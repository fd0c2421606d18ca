//! Resources and attributes: `--resources` / `--attributes` text, the v1
//! JSON a scheduler puts in ACCEPT (`src/resources.rs`), and the endpoint
//! JSON the CLI reads (`src/wire/resources.rs`).

use mesos::resources::{
    attributes_from_v1, attributes_v0, attributes_v1, parse_attributes, parse_value, Resources,
    Value,
};
use mesos::wire::resources::{Resource as WireResource, ResourceSummary};
use proptest::prelude::*;
use serde_json::Value as Json;

use crate::common::{corpus_json, corpus_text, json_input, json_value, run, text_input};

const DICT: &[&str] = &[
    ";",
    ":",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "-",
    ",",
    "*",
    "\n",
    " ",
    "\t",
    "1e308",
    "NaN",
    "inf",
    "-1",
    "-0",
    "0.0005",
    "18446744073709551615",
    "18446744073709551616",
    "cpus",
    "mem",
    "ports",
    "disk",
    "(*)",
    "(dev)",
    "()",
    "[0-0]",
    "[5-1]",
    "{}",
    "\u{e9}",
    "\u{0}",
];

const KEYS: &[&str] = &[
    "name",
    "type",
    "scalar",
    "value",
    "ranges",
    "range",
    "begin",
    "end",
    "set",
    "item",
    "role",
    "reservations",
    "text",
    "allocation_info",
    "revocable",
    "disk",
    "shared",
];

const STRINGS: &[&str] = &[
    "SCALAR", "RANGES", "SET", "TEXT", "cpus", "mem", "ports", "*", "dev", "NaN", "inf", "-1",
    "1e999", "31000", "", "STATIC", "DYNAMIC",
];

fn ranges_ok(r: &[(u64, u64)]) -> bool {
    r.iter().all(|(b, e)| b <= e) && r.windows(2).all(|w| w[0].1.saturating_add(1) < w[1].0)
}

/// What every parsed bag must satisfy (the allocator's arithmetic relies on it).
fn check_invariants(r: &Resources) -> Result<(), TestCaseError> {
    for x in r.iter() {
        match &x.value {
            Value::Scalar(v) => prop_assert!(
                v.is_finite() && *v >= 0.0,
                "resource {} has scalar {}",
                x.name,
                v
            ),
            Value::Ranges(rs) => prop_assert!(ranges_ok(rs), "{} ranges {:?}", x.name, rs),
            Value::Set(_) => {}
            Value::Text(_) => prop_assert!(false, "TEXT is not a resource type"),
        }
    }
    Ok(())
}

/// The arithmetic an allocator does with two parsed bags.
fn exercise(a: &Resources, b: &Resources) -> Result<(), TestCaseError> {
    let _ = a.contains(b);
    let _ = a.summary();
    let _ = a.to_string();
    let mut sum = a.clone();
    sum.add(b);
    let mut rest = sum.clone();
    rest.subtract(b);
    check_invariants(&rest)?;
    let _ = rest.allocatable_to("dev").with_role("*");
    // v1 JSON round trip keeps the bag.
    let back = Resources::from_v1_json(&Json::Array(a.to_v1_json(Some("dev"))))
        .map_err(|e| TestCaseError::fail(format!("own JSON rejected: {e}")))?;
    prop_assert_eq!(&back, a);
    Ok(())
}

#[test]
fn resources_text() {
    let input = || text_input(corpus_text("resources"), DICT);
    run("resources_text", 400, (input(), input()), |(a, b)| {
        let role = "*";
        let (Ok(ra), rb) = (
            Resources::parse(&a, role),
            Resources::parse(&b, role).unwrap_or_default(),
        ) else {
            return Ok(());
        };
        check_invariants(&ra)?;
        check_invariants(&rb)?;
        exercise(&ra, &rb)
    });
}

#[test]
fn attributes_text() {
    run(
        "attributes_text",
        400,
        text_input(corpus_text("resources"), DICT),
        |s| {
            let _ = parse_value(&s, true, true);
            let Ok(attrs) = parse_attributes(&s) else {
                return Ok(());
            };
            let _ = attributes_v0(&attrs);
            let v1 = Json::Array(attributes_v1(&attrs));
            prop_assert_eq!(attributes_from_v1(&v1), attrs);
            Ok(())
        },
    );
}

#[test]
fn resources_v1_json() {
    let seeds: Vec<Json> = corpus_json("resources")
        .into_iter()
        .chain(corpus_json("v1_event"))
        .collect();
    let input = prop_oneof![
        4 => json_input(seeds, KEYS, STRINGS),
        1 => json_value(KEYS, STRINGS),
    ];
    run("resources_v1_json", 400, input, |doc| {
        // Any sub-document may be handed to the parsers.
        let mut nodes = vec![&doc];
        let mut i = 0;
        while i < nodes.len() {
            match nodes[i] {
                Json::Array(a) => nodes.extend(a.iter()),
                Json::Object(o) => nodes.extend(o.values()),
                _ => {}
            }
            i += 1;
        }
        for n in nodes {
            if let Ok(r) = Resources::from_v1_json(n) {
                check_invariants(&r)?;
                exercise(&r, &r)?;
            }
            let _ = attributes_from_v1(n);
            if let Ok(list) = serde_json::from_value::<Vec<WireResource>>(n.clone()) {
                let s = ResourceSummary::from_resources(&list);
                let _ = (s.is_empty(), s.scalar("cpus"));
                for r in &list {
                    let _ = r.reservation_role();
                }
            }
        }
        Ok(())
    });
}
