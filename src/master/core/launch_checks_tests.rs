//! The TASK_ERROR reasons of LAUNCH (custom executors) and LAUNCH_GROUP.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::*;
use crate::master::framework_info::framework_from_info;

fn fw() -> FrameworkEntry {
    let info = serde_json::from_value(json!({"user": "u", "name": "n"})).unwrap();
    framework_from_info("F1", &info, 0.0, true)
}

fn pool() -> Resources {
    Resources::parse("cpus:2;mem:1024;disk:1024", "*").unwrap()
}

fn res(cpus: f64, mem: f64) -> Value {
    json!([{"name": "cpus", "type": "SCALAR", "scalar": {"value": cpus}},
           {"name": "mem", "type": "SCALAR", "scalar": {"value": mem}}])
}

fn executor(id: &str) -> Value {
    json!({"executor_id": {"value": id}, "command": {"value": "./exec"},
           "resources": res(0.1, 32.0)})
}

fn task_with(id: &str, executor: Value) -> TaskInfo {
    serde_json::from_value(json!({"name": id, "task_id": {"value": id},
        "resources": res(0.5, 64.0), "executor": executor}))
    .unwrap()
}

fn check(fw: &FrameworkEntry, pending: &[ExecutorEntry], t: &TaskInfo) -> Result<Valid, String> {
    let pool = pool();
    let seen = BTreeSet::new();
    let c = Ctx {
        fw,
        agent_id: "S0",
        role: "*",
        pool: &pool,
        seen: &seen,
        pending,
    };
    task(&c, t)
}

#[test]
fn a_custom_executor_task_is_accepted_with_its_framework_filled_in() {
    let fw = fw();
    let v = check(&fw, &[], &task_with("t1", executor("e1"))).unwrap();
    let e = v.new_executor.expect("a new executor");
    assert_eq!(e.info.framework_id.as_ref().unwrap().value, "F1");
    assert_eq!(e.resources.scalar("cpus"), 0.1);
    assert_eq!(v.resources.scalar("cpus"), 0.5);
    assert_eq!(v.executor.unwrap(), e.info);
}

#[test]
fn a_running_executor_takes_more_tasks_without_its_resources_again() {
    let mut fw = fw();
    let first = check(&fw, &[], &task_with("t1", executor("e1"))).unwrap();
    let entry = first.new_executor.unwrap();
    fw.executors
        .insert(("S0".into(), "e1".into()), entry.clone());
    let v = check(&fw, &[], &task_with("t2", executor("e1"))).unwrap();
    assert!(v.new_executor.is_none());
    // Same within one ACCEPT (executor pending).
    let v = check(&self::fw(), &[entry], &task_with("t2", executor("e1"))).unwrap();
    assert!(v.new_executor.is_none());
}

#[test]
fn an_executor_id_reused_with_another_executor_info_is_refused() {
    let mut fw = fw();
    let entry = check(&fw, &[], &task_with("t1", executor("e1")))
        .unwrap()
        .new_executor
        .unwrap();
    fw.executors.insert(("S0".into(), "e1".into()), entry);
    let mut other = executor("e1");
    other["command"]["value"] = json!("./other");
    let e = check(&fw, &[], &task_with("t2", other)).err().unwrap();
    assert!(
        e.starts_with(
            "ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID).\n"
        ),
        "{e}"
    );
    assert!(e.contains("./other") && e.contains("./exec"), "{e}");
}

#[test]
fn executor_rules_of_mesos() {
    let fw = fw();
    let mut wrong_fw = executor("e1");
    wrong_fw["framework_id"] = json!({"value": "F2"});
    let e = check(&fw, &[], &task_with("t", wrong_fw)).err().unwrap();
    assert_eq!(
        e,
        "ExecutorInfo has an invalid FrameworkID (Actual: F2 vs Expected: F1)"
    );
    let mut default = executor("e1");
    default["type"] = json!("DEFAULT");
    default.as_object_mut().unwrap().remove("command");
    let e = check(&fw, &[], &task_with("t", default)).err().unwrap();
    assert_eq!(e, "'ExecutorInfo.type' must be 'CUSTOM'");
    let mut no_cmd = executor("e1");
    no_cmd.as_object_mut().unwrap().remove("command");
    let e = check(&fw, &[], &task_with("t", no_cmd)).err().unwrap();
    assert_eq!(e, "'ExecutorInfo.command' must be set");
    let mut custom_no_cmd = executor("e1");
    custom_no_cmd["type"] = json!("CUSTOM");
    custom_no_cmd.as_object_mut().unwrap().remove("command");
    let e = check(&fw, &[], &task_with("t", custom_no_cmd))
        .err()
        .unwrap();
    assert_eq!(
        e,
        "'ExecutorInfo.command' must be set for 'CUSTOM' executor"
    );
    let mut grace = executor("e1");
    grace["shutdown_grace_period"] = json!({"nanoseconds": -1});
    let e = check(&fw, &[], &task_with("t", grace)).err().unwrap();
    assert_eq!(
        e,
        "ExecutorInfo's 'shutdown_grace_period' must be non-negative"
    );
    let mut both = task_with("t", executor("e1"));
    both.command = Some(Default::default());
    let e = check(&fw, &[], &both).err().unwrap();
    assert_eq!(
        e,
        "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present"
    );
    let mut big = executor("e1");
    big["resources"] = res(1.8, 32.0);
    let e = check(&fw, &[], &task_with("t", big)).err().unwrap();
    assert!(
        e.starts_with("Total resources ")
            && e.contains(" required by task and its executor is more than available "),
        "{e}"
    );
}

fn group_of(executor: Option<Value>, tasks: Vec<Value>) -> Result<ValidGroup, String> {
    group_in(&fw(), executor, tasks)
}

fn group_in(
    fw: &FrameworkEntry,
    executor: Option<Value>,
    tasks: Vec<Value>,
) -> Result<ValidGroup, String> {
    let pool = pool();
    let seen = BTreeSet::new();
    let c = Ctx {
        fw,
        agent_id: "S0",
        role: "*",
        pool: &pool,
        seen: &seen,
        pending: &[],
    };
    let executor: Option<ExecutorInfo> = executor.map(|e| serde_json::from_value(e).unwrap());
    let tasks: Vec<TaskInfo> = tasks
        .into_iter()
        .map(|t| serde_json::from_value(t).unwrap())
        .collect();
    group(&c, executor.as_ref(), &tasks)
}

fn default_executor() -> Value {
    json!({"executor_id": {"value": "default"}, "framework_id": {"value": "F1"},
        "type": "DEFAULT",
        "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}},
                      {"name": "mem", "type": "SCALAR", "scalar": {"value": 32.0}},
                      {"name": "disk", "type": "SCALAR", "scalar": {"value": 32.0}}]})
}

fn group_task(id: &str) -> Value {
    json!({"name": id, "task_id": {"value": id}, "resources": res(0.5, 64.0),
        "command": {"value": "sleep 100"}})
}

#[test]
fn a_task_group_is_accepted_with_its_default_executor() {
    let v = group_of(
        Some(default_executor()),
        vec![group_task("a"), group_task("b")],
    )
    .unwrap();
    assert_eq!(v.tasks.len(), 2);
    assert_eq!(v.executor.executor_id.value, "default");
    assert_eq!(v.new_executor.unwrap().resources.scalar("disk"), 32.0);
    // A second group for the running executor adds no executor resources.
    let mut fw = fw();
    let entry = group_of(Some(default_executor()), vec![group_task("a")])
        .unwrap()
        .new_executor
        .unwrap();
    fw.executors.insert(("S0".into(), "default".into()), entry);
    let v = group_in(&fw, Some(default_executor()), vec![group_task("c")]).unwrap();
    assert!(v.new_executor.is_none());
}

#[test]
fn task_group_rules_of_mesos() {
    let e = group_of(None, vec![group_task("a")]).err().unwrap();
    assert_eq!(e, "'LaunchGroup.executor' must be set");
    let mut untyped = default_executor();
    untyped.as_object_mut().unwrap().remove("type");
    let e = group_of(Some(untyped), vec![group_task("a")])
        .err()
        .unwrap();
    assert_eq!(e, "'ExecutorInfo.type' must be set");
    let mut no_fw = default_executor();
    no_fw.as_object_mut().unwrap().remove("framework_id");
    let e = group_of(Some(no_fw), vec![group_task("a")]).err().unwrap();
    assert_eq!(e, "'ExecutorInfo.framework_id' must be set");
    let e = group_of(
        Some(default_executor()),
        vec![group_task("a"), group_task("a")],
    )
    .err()
    .unwrap();
    assert_eq!(e, "Task 'a' is invalid: Task has duplicate ID: a");
    let mut with_other = group_task("b");
    with_other["executor"] = executor("x");
    let e = group_of(Some(default_executor()), vec![group_task("a"), with_other])
        .err()
        .unwrap();
    assert_eq!(
        e,
        "The `ExecutorInfo` of task 'b' is different from executor 'default'"
    );
    let mut small = default_executor();
    small["resources"][0]["scalar"]["value"] = json!(0.005);
    let e = group_of(Some(small), vec![group_task("a")]).err().unwrap();
    assert_eq!(
        e,
        "Executor 'default' uses less CPUs (0.005) than the minimum required (0.01)"
    );
    let mut no_mem = default_executor();
    no_mem["resources"].as_array_mut().unwrap().remove(1);
    let e = group_of(Some(no_mem), vec![group_task("a")]).err().unwrap();
    assert_eq!(
        e,
        "Executor 'default' uses less memory (None) than the minimum required (32MB)"
    );
    let mut no_disk = default_executor();
    no_disk["resources"].as_array_mut().unwrap().remove(2);
    let e = group_of(Some(no_disk), vec![group_task("a")])
        .err()
        .unwrap();
    assert_eq!(e, "Executor 'default' uses no disk");
    let mut with_cmd = default_executor();
    with_cmd["command"] = json!({"value": "x"});
    let e = group_of(Some(with_cmd), vec![group_task("a")])
        .err()
        .unwrap();
    assert_eq!(
        e,
        "'ExecutorInfo.command' must not be set for 'DEFAULT' executor"
    );
    let tasks = (0..4).map(|i| group_task(&format!("t{i}"))).collect();
    let e = group_of(Some(default_executor()), tasks).err().unwrap();
    assert!(
        e.contains("required by task group and its executor are more than available"),
        "{e}"
    );
}
