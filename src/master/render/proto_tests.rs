//! Unit tests of `render::proto`: the protobuf `GET_STATE` / `GET_TASKS`
//! written from the state are the typed path's bytes.

use super::*;

/// The typed path's bytes: the typed render through the encoder.
fn typed_protobuf<T: Serialize>(kind: &'static str, payload: T) -> Vec<u8> {
    let r = crate::wire::operator::Response::new(kind, payload);
    crate::wire::proto::encode("mesos.v1.master.Response", &r).unwrap()
}

/// A state with every shape a task can take: reserved, range and set
/// resources, an executor, statuses with reasons, health, data, check
/// status, labels in either key order, without value and with extra keys,
/// kill policy, health check and limits, unreachable and completed tasks
/// and a completed framework.
fn varied_state() -> MasterState {
    let mut st = master_state();
    let mut t = task("t2", "TASK_RUNNING", 1700000102.25);
    t.resources = Resources::parse(
        "cpus(ops):0.5;ports:[31000-31005,31010-31010];zones:{a,b}",
        "*",
    )
    .unwrap();
    t.role = "ops".into();
    t.executor_id = "ex-1".into();
    t.statuses.push(
        serde_json::from_value(json!({
            "task_id": {"value": "t2"}, "state": "TASK_RUNNING", "timestamp": 1700000103.0,
            "source": "SOURCE_AGENT", "reason": "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED",
            "healthy": true, "uuid": "3q2+7w==", "data": "aGk=",
            "agent_id": {"value": "M-S0"}, "executor_id": {"value": "ex-1"},
            "check_status": {"type": "COMMAND", "command": {"exit_code": 0}},
            "labels": {"labels": [{"value": "v", "key": "k"}, {"key": "only"}]}
        }))
        .unwrap(),
    );
    t.info = crate::master::state::prune_task_info(&json!({
        "name": "t2", "task_id": {"value": "t2"},
        "labels": {"labels": [{"key": "a", "value": "b", "extra": 1}]},
        "health_check": {"type": "TCP", "tcp": {"port": 8080}, "interval_seconds": 5.0},
        "kill_policy": {"grace_period": {"nanoseconds": 3000000000_i64}},
        "limits": {"cpus": {"value": 2.0}},
        "container": {"type": "MESOS", "volumes": []}
    }));
    t.status_update_state = None;
    t.status_update_uuid = None;
    let mut u = task("t3", "TASK_UNREACHABLE", 1700000104.0);
    u.info.labels = Some(json!({"labels": []}));
    let fw = st.frameworks.get_mut("M-0000").unwrap();
    fw.tasks.insert("t2".into(), t.into());
    fw.unreachable_tasks.insert("t3".into(), u.into());
    let mut done = framework();
    done.id = "M-0001".into();
    done.tasks.clear();
    done.completed_tasks = vec![task("t9", "TASK_KILLED", 1700000000.0).into()].into();
    st.completed_frameworks.push_back(done);
    st
}

#[test]
fn protobuf_get_state_from_the_state_is_the_typed_encoding() {
    for st in [master_state(), varied_state()] {
        let direct =
            crate::master::render::proto::get_state_response(&Default::default(), &st).unwrap();
        assert_eq!(
            direct,
            typed_protobuf("GET_STATE", crate::master::render::get_state_v1(&st))
        );
        let direct =
            crate::master::render::proto::get_tasks_response(&Default::default(), &st).unwrap();
        assert_eq!(
            direct,
            typed_protobuf("GET_TASKS", crate::master::render::get_tasks_v1(&st))
        );
    }
    // And it decodes to the JSON answer.
    let st = varied_state();
    let back = crate::wire::proto::to_json(
        "mesos.v1.master.Response",
        &crate::master::render::proto::get_state_response(&Default::default(), &st).unwrap(),
    )
    .unwrap();
    let tasks = &back["get_state"]["get_tasks"];
    assert_eq!(tasks["tasks"].as_array().unwrap().len(), 2);
    assert_eq!(tasks["unreachable_tasks"][0]["task_id"]["value"], "t3");
    assert_eq!(tasks["completed_tasks"].as_array().unwrap().len(), 2);
    let t2 = &tasks["tasks"][1];
    assert_eq!(
        t2["statuses"][1]["reason"],
        "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED"
    );
    assert_eq!(t2["statuses"][1]["data"], "aGk=");
    assert_eq!(t2["resources"][0]["reservations"][0]["role"], "ops");
}

#[test]
fn protobuf_tasks_the_writer_cannot_take_are_written_as_the_typed_path() {
    // The same bytes, or the same failure, as the typed path.
    fn assert_same_protobuf(st: &MasterState) {
        let r = crate::wire::operator::Response::new(
            "GET_STATE",
            crate::master::render::get_state_v1(st),
        );
        assert_eq!(
            crate::master::render::proto::get_state_response(&Default::default(), st).ok(),
            crate::wire::proto::encode("mesos.v1.master.Response", &r).ok()
        );
    }
    // A reason the descriptors lack: whatever the typed path makes of it.
    let mut st = master_state();
    let fw = st.frameworks.get_mut("M-0000").unwrap();
    let t = std::sync::Arc::make_mut(fw.tasks.get_mut("t1").unwrap());
    t.statuses[0].reason = Some("REASON_FROM_THE_FUTURE".into());
    t.state = "TASK_FROM_THE_FUTURE".into();
    assert_same_protobuf(&st);
    // A TEXT resource goes through the typed path whole.
    let mut st = master_state();
    let fw = st.frameworks.get_mut("M-0000").unwrap();
    let t = std::sync::Arc::make_mut(fw.tasks.get_mut("t1").unwrap());
    t.resources.push(crate::resources::Resource {
        name: "note".into(),
        role: "*".into(),
        value: crate::resources::Value::Text("hello".into()),
    });
    assert_same_protobuf(&st);
}

#[test]
fn protobuf_task_bodies_kept_between_renders_follow_every_change() {
    let typed =
        |st: &MasterState| typed_protobuf("GET_STATE", crate::master::render::get_state_v1(st));
    let cache = crate::master::render::proto::TaskBodyCache::default();
    let mut st = varied_state();
    let first = crate::master::render::proto::get_state_response(&cache, &st).unwrap();
    assert_eq!(first, typed(&st));
    assert_eq!(
        crate::master::render::proto::get_state_response(&cache, &st).unwrap(),
        first
    );
    // Changes made as the master makes them (copy on write through the
    // shared entries): a status update, a task gone, a task added.
    let fw = st.frameworks.get_mut("M-0000").unwrap();
    let t = std::sync::Arc::make_mut(fw.tasks.get_mut("t1").unwrap());
    t.state = "TASK_FINISHED".into();
    t.statuses[0].message = Some("done".into());
    fw.tasks.remove("t2");
    fw.tasks
        .insert("t4".into(), task("t4", "TASK_STAGING", 1700000200.0).into());
    let second = crate::master::render::proto::get_state_response(&cache, &st).unwrap();
    assert_ne!(second, first);
    assert_eq!(second, typed(&st));
    let back = crate::wire::proto::to_json("mesos.v1.master.Response", &second).unwrap();
    let tasks = &back["get_state"]["get_tasks"]["tasks"];
    assert_eq!(tasks[0]["state"], "TASK_FINISHED");
    assert_eq!(tasks[0]["statuses"][0]["message"], "done");
    assert_eq!(tasks[1]["task_id"]["value"], "t4");
}
