//! Unit tests of `resources.rs`.

use super::*;
use serde_json::json;

#[test]
fn parses_text_syntax_with_roles_ranges_and_sets() {
    let r = Resources::parse(
        "cpus:4;mem:8192;disk(ops):10000;ports(*):[31000-32000, 33000-33010];disks:{a,b}",
        "*",
    )
    .unwrap();
    assert_eq!(r.scalar("cpus"), 4.0);
    assert_eq!(r.scalar("disk"), 10000.0);
    assert_eq!(r.ranges("ports"), vec![(31000, 32000), (33000, 33010)]);
    assert_eq!(r.allocatable_to("dev").scalar("disk"), 0.0);
    assert_eq!(r.allocatable_to("ops").scalar("disk"), 10000.0);
    let s = r.summary();
    assert_eq!(s["cpus"], json!(4.0));
    assert_eq!(s["gpus"], json!(0.0));
    assert_eq!(s["ports"], json!("[31000-32000, 33000-33010]"));
    assert_eq!(s["disks"], json!("{a, b}"));
}

#[test]
fn precise_errors_for_bad_syntax() {
    for (input, needle) in [
        ("cpus", "NAME:VALUE"),
        ("cpus:abc", "not a number"),
        ("ports:[1-]", "bad end"),
        ("ports:[5-1]", "ends before"),
        ("ports:[1-2", "closing"),
        ("cpus():1", "empty role"),
        ("cpus:-1", "non-negative"),
    ] {
        let e = Resources::parse(input, "*").unwrap_err();
        assert!(e.contains(needle), "{input}: {e}");
    }
}

#[test]
fn arithmetic_is_fixed_point_and_ranges_split() {
    let mut total = Resources::parse("cpus:1;mem:100;ports:[31000-31010]", "*").unwrap();
    let used = Resources::parse("cpus:0.1;mem:32;ports:[31005-31005]", "*").unwrap();
    assert!(total.contains(&used));
    for _ in 0..9 {
        total.subtract(&used.with_role("*"));
        total.push(Resource {
            name: "ports".into(),
            role: "*".into(),
            value: Value::Ranges(vec![(31005, 31005)]),
        });
    }
    assert_eq!(total.scalar("cpus"), 0.1);
    let mut t2 = Resources::parse("ports:[31000-31010]", "*").unwrap();
    t2.subtract(&Resources::parse("ports:[31005-31005]", "*").unwrap());
    assert_eq!(t2.ranges("ports"), vec![(31000, 31004), (31006, 31010)]);
    assert!(!t2.contains(&Resources::parse("ports:[31004-31006]", "*").unwrap()));
    assert!(!total.contains(&Resources::parse("cpus:0.2", "*").unwrap()));
}

#[test]
fn v1_json_round_trip() {
    let r = Resources::parse("cpus(dev):0.5;mem:64;ports:[31000-31000];s:{x}", "*").unwrap();
    let j = Json::Array(r.to_v1_json(Some("dev")));
    let back = Resources::from_v1_json(&j).unwrap();
    assert_eq!(back, r);
    assert_eq!(j[0]["reservations"][0]["role"], "dev");
    assert_eq!(j[1]["allocation_info"]["role"], "dev");
    // Numeric strings are accepted, like stout does.
    let j = json!([{"name":"cpus","type":"SCALAR","scalar":{"value":"1.5"}}]);
    assert_eq!(Resources::from_v1_json(&j).unwrap().scalar("cpus"), 1.5);
}

#[test]
fn attributes_infer_types() {
    let a = parse_attributes("rack:r1;gen:2;slots:[1-4]\nzone:eu-1a").unwrap();
    let v0 = attributes_v0(&a);
    assert_eq!(v0["rack"], json!("r1"));
    assert_eq!(v0["gen"], json!(2.0));
    assert_eq!(v0["slots"], json!("[1-4]"));
    assert_eq!(v0["zone"], json!("eu-1a"));
    assert!(parse_attributes("x:{a,b}").is_err());
    assert_eq!(attributes_from_v1(&Json::Array(attributes_v1(&a))), a);
    assert_eq!(attributes_from_wire(&attributes_to_wire(&a)), a);
    let set = vec![Attribute {
        name: "s".into(),
        value: Value::Set(["a".to_string(), "b".to_string()].into()),
    }];
    assert_eq!(attributes_from_wire(&attributes_to_wire(&set)), set);
    // What the JSON reader skips, the typed one skips too.
    let odd: Vec<wire::Attribute> = serde_json::from_value(json!([
        {"name": "", "type": "TEXT", "text": {"value": "x"}},
        {"name": "n", "type": "SCALAR"}, {"name": "t", "text": {"value": "v"}}]))
    .unwrap();
    assert_eq!(
        attributes_from_wire(&odd),
        vec![Attribute {
            name: "t".into(),
            value: Value::Text("v".into())
        }]
    );
}

/// The typed attribute reader (the master reading an agent's registration)
/// agrees with the JSON one, and both round-trip the agent's own form.
#[test]
fn typed_attributes_read_like_the_json_ones() {
    let attrs = parse_attributes("rack:r1;gen:2.5;slots:[1-4,6-6]").unwrap();
    let json = json!([
        {"name": "rack", "type": "TEXT", "text": {"value": "r1"}},
        {"name": "gen", "type": "SCALAR", "scalar": {"value": 2.5}},
        {"name": "slots", "type": "RANGES", "ranges": {"range": [{"begin": 6, "end": 6}, {"begin": 1, "end": 4}]}},
        {"name": "zone", "type": "SET", "set": {"item": ["a", "b"]}},
        {"name": "notype", "text": {"value": "x"}},
        {"name": "novalue", "type": "SCALAR"}
    ]);
    let typed: Vec<wire::Attribute> = serde_json::from_value(json.clone()).unwrap();
    let from_typed = attributes_from_wire(&typed);
    let from_json = attributes_from_v1(&json);
    let show = |a: &[Attribute]| -> Vec<String> {
        a.iter()
            .map(|a| format!("{}={}", a.name, a.value))
            .collect()
    };
    assert_eq!(show(&from_typed), show(&from_json));
    assert_eq!(show(&from_typed)[..3], show(&attrs)[..]);
    let again = attributes_from_wire(&attributes_to_wire(&attrs));
    assert_eq!(show(&again), show(&attrs));
}

#[test]
fn add_merges_by_name_and_role_in_any_order() {
    let mut sum = Resources::parse("cpus:1;mem:128;ports:[31000-31001]", "*").unwrap();
    // Same names in another order, a reserved role, a new set, touching and
    // overlapping ranges.
    let other = Resources::parse(
        "ports:[31002-31003];mem:64;cpus(ops):0.5;cpus:0.25;zones:{a}",
        "*",
    )
    .unwrap();
    sum.add(&other);
    sum.add(&Resources::parse("zones:{b};ports:[31001-31005]", "*").unwrap());
    assert_eq!(sum.scalar("mem"), 192.0);
    assert_eq!(sum.allocatable_to("*").scalar("cpus"), 1.25);
    assert_eq!(sum.allocatable_to("ops").scalar("cpus"), 1.75);
    assert_eq!(sum.ranges("ports"), vec![(31000, 31005)]);
    assert_eq!(
        sum.to_string(),
        "cpus:1.25;mem:192;ports:[31000-31005];cpus(ops):0.5;zones:{a, b}"
    );
    // Many small sums stay exact to Mesos' three decimals.
    let mut total = Resources::new();
    for _ in 0..1000 {
        total.add(&Resources::parse("cpus:0.001", "*").unwrap());
    }
    assert_eq!(total.scalar("cpus"), 1.0);
}
