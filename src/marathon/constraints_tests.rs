use super::*;
use crate::wire::resources::{Range, Ranges, Scalar, Set, Text};

fn text(name: &str, v: &str) -> Attribute {
    Attribute {
        name: name.into(),
        kind: Some("TEXT".into()),
        text: Some(Text { value: v.into() }),
        ..Default::default()
    }
}

fn scalar(name: &str, v: f64) -> Attribute {
    Attribute {
        name: name.into(),
        kind: Some("SCALAR".into()),
        scalar: Some(Scalar { value: v }),
        ..Default::default()
    }
}

fn c(parts: &[&str]) -> Constraint {
    Constraint(parts.iter().map(|s| s.to_string()).collect())
}

fn at(host: &str, attrs: Vec<Attribute>) -> Placed {
    Placed {
        agent_id: format!("id-{host}"),
        hostname: host.into(),
        attributes: attrs,
    }
}

fn rack(host: &str, r: &str) -> Placed {
    at(host, vec![text("rack", r)])
}

#[test]
fn attribute_values_read_as_marathon_prints_them() {
    assert_eq!(attribute_value(&text("a", "x y")), "x y");
    assert_eq!(attribute_value(&scalar("a", 2.0)), "2");
    assert_eq!(attribute_value(&scalar("a", 2.5)), "2.5");
    assert_eq!(attribute_value(&scalar("a", 1.23456)), "1.235");
    let ranges = Attribute {
        name: "r".into(),
        ranges: Some(Ranges {
            range: vec![Range { begin: 1, end: 5 }, Range { begin: 8, end: 9 }],
        }),
        ..Default::default()
    };
    assert_eq!(attribute_value(&ranges), "[1-5,8-9]");
    let set = Attribute {
        name: "s".into(),
        set: Some(Set {
            item: vec!["a".into(), "b".into()],
        }),
        ..Default::default()
    };
    assert_eq!(attribute_value(&set), "{a,b}");
}

#[test]
fn unique_on_hostname_and_attribute() {
    let placed = [rack("h1", "r1")];
    let u = c(&["hostname", "UNIQUE"]);
    assert!(!meets(&u, "h1", &[], &placed));
    assert!(meets(&u, "h2", &[], &placed));
    assert!(meets(&c(&["@hostname", "UNIQUE"]), "h2", &[], &placed));
    let u = c(&["rack", "UNIQUE"]);
    assert!(!meets(&u, "h2", &[text("rack", "r1")], &placed));
    assert!(meets(&u, "h2", &[text("rack", "r2")], &placed));
}

#[test]
fn cluster_with_and_without_a_value() {
    let with = c(&["rack", "CLUSTER", "r1"]);
    assert!(meets(&with, "h", &[text("rack", "r1")], &[]));
    assert!(!meets(&with, "h", &[text("rack", "r2")], &[]));
    let pin = c(&["rack", "CLUSTER"]);
    assert!(meets(&pin, "h", &[text("rack", "r2")], &[]));
    let placed = [rack("h1", "r2")];
    assert!(meets(&pin, "h", &[text("rack", "r2")], &placed));
    assert!(!meets(&pin, "h", &[text("rack", "r1")], &placed));
}

#[test]
fn group_by_spreads_over_values() {
    let g = c(&["rack", "GROUP_BY"]);
    let placed = [rack("a", "r1"), rack("b", "r1"), rack("c", "r2")];
    // r2 is the smallest group; r3 is new.
    assert!(meets(&g, "x", &[text("rack", "r2")], &placed));
    assert!(meets(&g, "x", &[text("rack", "r3")], &placed));
    assert!(!meets(&g, "x", &[text("rack", "r1")], &placed));
    // With an expected 3 values, a seen value waits until 3 groups exist.
    let g3 = c(&["rack", "GROUP_BY", "3"]);
    let placed = [rack("a", "r1")];
    assert!(!meets(&g3, "x", &[text("rack", "r1")], &placed));
    assert!(meets(&g3, "x", &[text("rack", "r2")], &placed));
}

#[test]
fn max_per_like_unlike_is() {
    let m = c(&["rack", "MAX_PER", "2"]);
    let placed = [rack("a", "r1"), rack("b", "r1")];
    assert!(!meets(&m, "x", &[text("rack", "r1")], &placed));
    assert!(meets(&m, "x", &[text("rack", "r2")], &placed));
    let like = c(&["hostname", "LIKE", "web-[0-9]+"]);
    assert!(meets(&like, "web-12", &[], &[]));
    // Full match only.
    assert!(!meets(&like, "web-12.example", &[], &[]));
    let unlike = c(&["rack", "UNLIKE", "r[12]"]);
    assert!(!meets(&unlike, "x", &[text("rack", "r1")], &[]));
    assert!(meets(&unlike, "x", &[text("rack", "r3")], &[]));
    let is = c(&["cores", "IS", "4.000"]);
    assert!(meets(&is, "x", &[scalar("cores", 4.0)], &[]));
    assert!(!meets(&is, "x", &[scalar("cores", 4.001)], &[]));
    assert!(meets(
        &c(&["os", "IS", "linux"]),
        "x",
        &[text("os", "linux")],
        &[]
    ));
}

#[test]
fn a_missing_attribute_refuses_all_but_unlike() {
    for op in [
        vec!["rack", "UNIQUE"],
        vec!["rack", "CLUSTER", "r1"],
        vec!["rack", "GROUP_BY"],
        vec!["rack", "MAX_PER", "5"],
        vec!["rack", "LIKE", ".*"],
        vec!["rack", "IS", "r1"],
    ] {
        assert!(!meets(&c(&op), "h", &[], &[]), "{op:?}");
    }
    assert!(meets(&c(&["rack", "UNLIKE", "r1"]), "h", &[], &[]));
}

#[test]
fn all_constraints_must_hold() {
    let cs = [c(&["hostname", "UNIQUE"]), c(&["rack", "LIKE", "r1"])];
    assert!(meets_all(
        &cs,
        "h2",
        &[text("rack", "r1")],
        &[rack("h1", "r1")]
    ));
    assert!(!meets_all(
        &cs,
        "h1",
        &[text("rack", "r1")],
        &[rack("h1", "r1")]
    ));
    assert!(meets_all(&[], "h1", &[], &[]));
}

#[test]
fn scale_down_takes_from_the_largest_group() {
    let inst = vec![
        ("a1".to_string(), rack("a", "r1")),
        ("a2".to_string(), rack("b", "r1")),
        ("a3".to_string(), rack("c", "r1")),
        ("b1".to_string(), rack("d", "r2")),
    ];
    let g = [c(&["rack", "GROUP_BY"])];
    assert_eq!(kills_for_constraints(&g, &inst, 2), vec!["a1", "a2"]);
    // Once balanced, nothing more is needed for the constraint.
    assert_eq!(kills_for_constraints(&g, &inst, 4), vec!["a1", "a2"]);
    assert!(kills_for_constraints(&[c(&["hostname", "LIKE", "x"])], &inst, 2).is_empty());
    let u = [c(&["rack", "UNIQUE"])];
    assert_eq!(kills_for_constraints(&u, &inst, 5), vec!["a1", "a2"]);
}
