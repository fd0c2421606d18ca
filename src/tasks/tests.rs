//! Unit tests of task selection and state fetching.

use super::*;

fn task(id: &str, name: &str, state: &str, fw: &str, agent: &str) -> Task {
    serde_json::from_value(serde_json::json!({
        "id": id, "name": name, "state": state, "framework_id": fw, "slave_id": agent,
        "statuses": [{"state": state, "timestamp": 1.0}],
        "labels": [{"key": "team", "value": "web"}]
    }))
    .unwrap()
}

fn cluster() -> Cluster {
    let mut c = Cluster {
        tasks: vec![
            task("web.1", "web", "TASK_RUNNING", "F1", "S1"),
            task("web.2", "web", "TASK_RUNNING", "F1", "S2"),
            task("db", "postgres", "TASK_FINISHED", "F2", "S1"),
            task("webber", "x", "TASK_FAILED", "F2", "S2"),
        ],
        ..Cluster::default()
    };
    c.frameworks.insert("F1".into(), "marathon".into());
    c.frameworks.insert("F2".into(), "batch".into());
    c.agents.insert(
        "S1".into(),
        AgentRef {
            id: "S1".into(),
            hostname: "a1.example".into(),
            address: Some("10.0.0.1:5051".into()),
            base: None,
            active: true,
        },
    );
    c
}

fn ids(f: &TaskFilter, c: &Cluster) -> Vec<String> {
    f.select(c).iter().map(|t| t.id.clone()).collect()
}

fn filter(task: Option<&str>, args: SelectArgs) -> TaskFilter {
    TaskFilter::new(task, &args).unwrap()
}

#[test]
fn exact_prefix_substring_glob_regex() {
    let c = cluster();
    assert_eq!(
        ids(&filter(Some("web.1"), SelectArgs::default()), &c),
        ["web.1"]
    );
    assert_eq!(
        ids(&filter(Some("web"), SelectArgs::default()), &c),
        ["web.1", "web.2"]
    );
    assert_eq!(
        ids(&filter(Some("eb."), SelectArgs::default()), &c),
        ["web.1", "web.2"]
    );
    assert_eq!(
        ids(&filter(Some("*.2"), SelectArgs::default()), &c),
        ["web.2"]
    );
    // Exact id of a completed task works without -i.
    assert_eq!(ids(&filter(Some("db"), SelectArgs::default()), &c), ["db"]);
    // Name match.
    assert_eq!(
        ids(
            &filter(
                Some("postgres"),
                SelectArgs {
                    inactive: true,
                    ..Default::default()
                }
            ),
            &c
        ),
        ["db"]
    );
    let all = SelectArgs {
        all: true,
        ..Default::default()
    };
    assert_eq!(
        ids(&filter(Some("web"), all.clone()), &c),
        ["web.1", "web.2", "webber"]
    );
    let re = SelectArgs {
        regex: true,
        all: true,
        ..Default::default()
    };
    assert_eq!(
        ids(&filter(Some("^web\\.[12]$"), re), &c),
        ["web.1", "web.2"]
    );
    assert!(TaskFilter::new(
        Some("("),
        &SelectArgs {
            regex: true,
            ..Default::default()
        }
    )
    .is_err());
}

#[test]
fn flags() {
    let c = cluster();
    let f = SelectArgs {
        framework: Some("batch".into()),
        ..Default::default()
    };
    assert_eq!(ids(&filter(None, f), &c), Vec::<String>::new());
    let f = SelectArgs {
        framework: Some("batch".into()),
        inactive: true,
        ..Default::default()
    };
    assert_eq!(ids(&filter(None, f), &c), ["db", "webber"]);
    let a = SelectArgs {
        agent: Some("a1".into()),
        all: true,
        ..Default::default()
    };
    assert_eq!(ids(&filter(None, a), &c), ["web.1", "db"]);
    let a = SelectArgs {
        agent: Some("10.0.0.1".into()),
        ..Default::default()
    };
    assert_eq!(ids(&filter(None, a), &c), ["web.1"]);
    // A terminal --state implies completed tasks.
    let s = SelectArgs {
        state: vec!["failed".into()],
        ..Default::default()
    };
    assert_eq!(ids(&filter(None, s), &c), ["webber"]);
    let l = SelectArgs {
        label: vec!["team=web".into()],
        ..Default::default()
    };
    assert_eq!(ids(&filter(None, l), &c).len(), 2);
    let l = SelectArgs {
        label: vec!["team=db".into()],
        ..Default::default()
    };
    assert!(ids(&filter(None, l), &c).is_empty());
    let l = SelectArgs {
        label: vec!["team".into()],
        ..Default::default()
    };
    assert_eq!(ids(&filter(None, l), &c).len(), 2);
    assert!(TaskFilter::new(
        None,
        &SelectArgs {
            state: vec!["bogus".into()],
            ..Default::default()
        }
    )
    .is_err());
    assert!(TaskFilter::new(
        None,
        &SelectArgs {
            label: vec!["=x".into()],
            ..Default::default()
        }
    )
    .is_err());
}

#[test]
fn paths_and_bases() {
    assert_eq!(join_path("/sb/", "."), "/sb");
    assert_eq!(join_path("/sb", "stdout"), "/sb/stdout");
    assert_eq!(join_path("/sb", "./a/b/"), "/sb/a/b");
    assert_eq!(join_path("/sb", "/sb/x"), "/sb/x");
    let l = Url::parse("http://10.0.0.1:5050").unwrap();
    assert_eq!(
        agent_base(&l, "S1", Some("10.0.0.2:5051"))
            .unwrap()
            .as_str(),
        "http://10.0.0.2:5051/"
    );
    let d = Url::parse("https://dcos.example/mesos").unwrap();
    assert_eq!(
        agent_base(&d, "S1", Some("10.0.0.2:5051"))
            .unwrap()
            .as_str(),
        "https://dcos.example/agent/S1"
    );
}
