//! Executors of a re-registering agent: the ones it reports are taken, the
//! ones a reported live task still names are kept (agents that do not list
//! executors), the others on that agent are forgotten.

use serde_json::json;

use super::recover_executors;
use crate::master::state::{ExecutorEntry, TaskEntry};
use crate::resources::Resources;
use crate::wire::internal::RegisterRequest;

use crate::master::test_master;

fn entry(agent: &str, id: &str, cpus: f64) -> ExecutorEntry {
    let resources = Resources::parse(&format!("cpus:{cpus}"), "*").unwrap();
    ExecutorEntry {
        agent_id: agent.into(),
        info: serde_json::from_value(json!({"executor_id": {"value": id},
            "framework_id": {"value": "F"}, "command": {"value": "x"}}))
        .unwrap(),
        resources,
        role: "*".into(),
    }
}

fn task(id: &str, executor: &str) -> TaskEntry {
    TaskEntry {
        id: id.into(),
        name: id.into(),
        framework_id: "F".into(),
        agent_id: "A".into(),
        executor_id: executor.into(),
        state: "TASK_RUNNING".into(),
        resources: Resources::parse("cpus:1", "*").unwrap(),
        role: "*".into(),
        statuses: Vec::new(),
        info: Default::default(),
        status_update_state: None,
        status_update_uuid: None,
    }
}

#[test]
fn reported_and_still_named_executors_are_kept_the_rest_forgotten() {
    let m = test_master();
    let mut st = m.lock();
    let mut fw = crate::master::framework_info::framework_from_json(
        "F",
        &json!({"user": "u", "name": "n", "id": {"value": "F"}}),
        0.0,
        true,
    );
    for (a, e, c) in [("A", "named", 0.1), ("A", "gone", 0.2), ("B", "other", 0.4)] {
        fw.executors.insert((a.into(), e.into()), entry(a, e, c));
    }
    fw.tasks.insert("t1".into(), task("t1", "named").into());
    st.frameworks.insert("F".into(), fw);
    // An agent that lists no executors; its task names none either (the
    // master knows it from the launch).
    let req: RegisterRequest = serde_json::from_value(json!({
        "agent_id": "A", "hostname": "h", "ip": "127.0.0.1", "port": 1, "resources": [],
        "tasks": [{"name": "t1", "task_id": {"value": "t1"}, "framework_id": {"value": "F"},
            "agent_id": {"value": "A"}, "state": "TASK_RUNNING", "resources": []}]}))
    .unwrap();
    let used = recover_executors(&mut st, &req, "A");
    assert_eq!(used.scalar("cpus"), 0.1);
    let keys: Vec<_> = st.frameworks["F"].executors.keys().cloned().collect();
    assert_eq!(
        keys,
        vec![("A".into(), "named".into()), ("B".into(), "other".into())]
    );
    // An agent that reports its executors: they are taken as reported.
    let req: RegisterRequest = serde_json::from_value(json!({
        "agent_id": "A", "hostname": "h", "ip": "127.0.0.1", "port": 1, "resources": [],
        "executors": [{"executor_id": {"value": "new"}, "framework_id": {"value": "F"},
            "command": {"value": "x"},
            "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.3},
                "allocation_info": {"role": "web"}}]}]}))
    .unwrap();
    let used = recover_executors(&mut st, &req, "A");
    assert_eq!(used.scalar("cpus"), 0.3);
    let e = &st.frameworks["F"].executors[&("A".to_string(), "new".to_string())];
    assert_eq!(e.role, "web");
    assert!(!st.frameworks["F"].has_executor("A", "named"));
    assert!(st.frameworks["F"].has_executor("B", "other"));
}
