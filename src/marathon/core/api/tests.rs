use std::collections::{BTreeMap, BTreeSet};

use super::plan::{depth, steps};
use super::*;
use crate::wire::marathon::ActionKind;

fn app(id: &str, instances: u32, deps: &[&str]) -> AppDefinition {
    let mut a = AppDefinition::new(PathId::parse(id));
    a.cmd = Some("sleep 1".into());
    a.instances = instances;
    a.dependencies = deps.iter().map(|d| PathId::parse(d)).collect();
    a
}

#[test]
fn plans_stop_start_then_dependency_order_and_drop_empty_steps() {
    let mut st = State::default();
    for a in [
        app("/db", 1, &[]),
        app("/web", 2, &["/db"]),
        app("/lb", 1, &["/web"]),
    ] {
        st.apps.insert(a.id.clone(), a);
    }
    let mut original = BTreeMap::new();
    let mut target = BTreeMap::new();
    for id in ["/db", "/web", "/lb"] {
        original.insert(PathId::parse(id), None);
        target.insert(PathId::parse(id), st.apps.get(&PathId::parse(id)).cloned());
    }
    original.insert(PathId::parse("/old"), Some(app("/old", 1, &[])));
    target.insert(PathId::parse("/old"), None);
    let s = steps(&st, &original, &target, &BTreeSet::new());
    let kinds: Vec<Vec<(ActionKind, String)>> = s
        .iter()
        .map(|step| step.iter().map(|(k, id)| (*k, id.to_string())).collect())
        .collect();
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    assert_eq!(
        kinds[0],
        vec![(ActionKind::StopApplication, "/old".to_string())]
    );
    assert_eq!(kinds[1].len(), 3);
    assert!(kinds[1]
        .iter()
        .all(|(k, _)| *k == ActionKind::StartApplication));
    assert_eq!(
        kinds[2],
        vec![(ActionKind::ScaleApplication, "/db".to_string())]
    );
    assert_eq!(
        kinds[3],
        vec![(ActionKind::ScaleApplication, "/web".to_string())]
    );
    assert_eq!(
        kinds[4],
        vec![(ActionKind::ScaleApplication, "/lb".to_string())]
    );
    assert_eq!(depth(&st, &PathId::parse("/lb")), 2);

    // A scale-only change scales, a config change restarts, no change is no step.
    let mut changed = app("/web", 2, &["/db"]);
    changed.cmd = Some("sleep 2".into());
    let s = steps(
        &st,
        &BTreeMap::from([
            (PathId::parse("/db"), Some(app("/db", 3, &[]))),
            (PathId::parse("/web"), Some(app("/web", 2, &["/db"]))),
            (PathId::parse("/lb"), Some(app("/lb", 1, &["/web"]))),
        ]),
        &BTreeMap::from([
            (PathId::parse("/db"), Some(app("/db", 1, &[]))),
            (PathId::parse("/web"), Some(changed)),
            (PathId::parse("/lb"), Some(app("/lb", 1, &["/web"]))),
        ]),
        &BTreeSet::new(),
    );
    assert_eq!(
        s,
        vec![
            vec![(ActionKind::ScaleApplication, PathId::parse("/db"))],
            vec![(ActionKind::RestartApplication, PathId::parse("/web"))],
        ]
    );
}

#[test]
fn lenient_booleans_read_like_java() {
    assert!(lenient_bool(Some("True"), false));
    assert!(lenient_bool(Some("true"), false));
    assert!(!lenient_bool(Some("False"), true));
    assert!(!lenient_bool(Some("yes"), true));
    assert!(lenient_bool(None, true));
}

#[test]
fn errors_map_to_status_and_body() {
    let e = ApiError::Locked(vec!["d1".into()]);
    assert_eq!(e.status(), 409);
    assert_eq!(e.body().deployments.unwrap()[0].id, "d1");
    assert_eq!(ApiError::InvalidJson("x".into()).status(), 400);
    assert_eq!(
        ApiError::Invalid(vec![]).body().message,
        "Object is not valid"
    );
}
