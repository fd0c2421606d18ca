//! Every internal message: the typed body serializes to the JSON earlier
//! builds wrote (so mixed versions talk during an upgrade), and the JSON an
//! earlier build wrote reads back into the typed body.

use super::*;
use serde_json::json;

/// Serialize `v`, compare with `old`, and read `old` back into the type.
fn same<T>(v: &T, old: Value) -> T
where
    T: Serialize + serde::de::DeserializeOwned,
{
    assert_eq!(serde_json::to_value(v).unwrap(), old);
    serde_json::from_value(old).unwrap()
}

/// A RegisterRequest as the previous build's agent sent it (re-registering
/// with one running task of a framework).
fn old_register() -> Value {
    json!({
        "agent_id": "S1",
        "hostname": "h1",
        "ip": "10.0.0.1",
        "port": 5051,
        "resources": [
            {"name": "cpus", "type": "SCALAR", "scalar": {"value": 2.0}, "role": "*"},
            {"name": "ports", "type": "RANGES", "ranges": {"range": [{"begin": 31000, "end": 32000}]}, "role": "*"}
        ],
        "attributes": [
            {"name": "rack", "type": "TEXT", "text": {"value": "r1"}},
            {"name": "gen", "type": "SCALAR", "scalar": {"value": 2.0}}
        ],
        "version": "1.11.0",
        "capabilities": ["MULTI_ROLE", "HIERARCHICAL_ROLE"],
        "tasks": [{
            "name": "t1",
            "task_id": {"value": "T1"},
            "framework_id": {"value": "F1"},
            "agent_id": {"value": "S1"},
            "state": "TASK_RUNNING",
            "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.5},
                           "role": "*", "allocation_info": {"role": "web"}}],
            "statuses": [{"task_id": {"value": "T1"}, "state": "TASK_RUNNING",
                          "source": "SOURCE_EXECUTOR", "agent_id": {"value": "S1"},
                          "timestamp": 1.5, "uuid": "dXVpZA=="}],
            "status_update_state": "TASK_RUNNING",
            "status_update_uuid": "dXVpZA==",
            "user": "nobody"
        }],
        "frameworks": [{"id": {"value": "F1"}, "name": "f", "user": "nobody",
                        "checkpoint": true, "capabilities": [{"type": "MULTI_ROLE"}]}],
        "credential": {"principal": "agent", "secret": "s3cret"}
    })
}

#[test]
fn register_request_keeps_its_json() {
    let req: RegisterRequest = serde_json::from_value(old_register()).unwrap();
    assert_eq!(req.agent_id.as_deref(), Some("S1"));
    assert_eq!(req.resources.len(), 2);
    assert_eq!(req.attributes[0].name, "rack");
    assert_eq!(req.tasks[0].task_id.value, "T1");
    assert_eq!(req.tasks[0].statuses[0].uuid.as_deref(), Some("dXVpZA=="));
    assert_eq!(
        FrameworkRef::id_of(&req.frameworks[0]).as_deref(),
        Some("F1")
    );
    let cred = req.credential.as_ref().unwrap();
    assert_eq!(
        (cred.principal.as_str(), cred.secret()),
        ("agent", "s3cret")
    );
    assert!(!format!("{req:?}").contains("s3cret"));
    // Written back: exactly the old body.
    assert_eq!(serde_json::to_value(&req).unwrap(), old_register());
}

#[test]
fn a_first_registration_omits_id_and_credential() {
    let req = RegisterRequest {
        hostname: "h".into(),
        ip: "127.0.0.1".into(),
        port: 5051,
        version: "1.11.0".into(),
        ..Default::default()
    };
    let v = same(
        &req,
        json!({"hostname": "h", "ip": "127.0.0.1", "port": 5051, "resources": [],
               "attributes": [], "version": "1.11.0", "capabilities": [], "tasks": [],
               "frameworks": []}),
    );
    assert!(v.agent_id.is_none() && v.credential.is_none());
    // Lenient: a lone resource object, absent optional lists.
    let v: RegisterRequest = serde_json::from_value(json!({
        "hostname": "h", "ip": "i", "port": 1, "version": "v",
        "resources": {"name": "cpus", "type": "SCALAR", "scalar": {"value": 1}}}))
    .unwrap();
    assert_eq!(v.resources.len(), 1);
    assert!(v.tasks.is_empty() && v.frameworks.is_empty());
    // No resources at all is not a registration.
    assert!(serde_json::from_value::<RegisterRequest>(
        json!({"hostname": "h", "ip": "i", "port": 1, "version": "v"})
    )
    .is_err());
}

#[test]
fn register_response_keeps_its_json() {
    let old = json!({
        "agent_id": "S1",
        "master_id": "M1",
        "ping_interval_secs": 1.0,
        "master_info": {"id": "M1", "ip": 16777343, "port": 5050, "pid": "master@127.0.0.1:5050",
                        "hostname": "m", "version": "1.11.0",
                        "address": {"hostname": "m", "ip": "127.0.0.1", "port": 5050}},
        "session_token": "abc"
    });
    let r: RegisterResponse = serde_json::from_value(old.clone()).unwrap();
    assert_eq!(r.master_info.pid.as_deref(), Some("master@127.0.0.1:5050"));
    assert_eq!(r.ping_interval_secs, 1.0);
    same(&r, old);
}

#[test]
fn ping_keeps_its_json() {
    let p = Ping {
        agent_id: "S1".into(),
    };
    assert_eq!(same(&p, json!({"agent_id": "S1"})), p);
}

#[test]
fn status_update_keeps_its_json() {
    let old = json!({
        "agent_id": "S1",
        "framework_id": "F1",
        "status": {"task_id": {"value": "T1"}, "state": "TASK_FINISHED",
                   "message": "Command exited with status 0", "source": "SOURCE_EXECUTOR",
                   "agent_id": {"value": "S1"}, "executor_id": {"value": "T1"},
                   "timestamp": 2.25, "uuid": "dXVpZA==",
                   "container_status": {"container_id": {"value": "c1"}, "executor_pid": 42},
                   "data": "eA=="}
    });
    let u: StatusUpdate = serde_json::from_value(old.clone()).unwrap();
    assert_eq!(u.status.state, crate::wire::TaskState::Finished);
    assert_eq!(u.status.uuid.as_deref(), Some("dXVpZA=="));
    same(&u, old);
}

#[test]
fn run_task_keeps_its_json() {
    let old = json!({
        "framework": {"id": {"value": "F1"}, "name": "f", "user": "u", "roles": ["web"]},
        "task": {"name": "t", "task_id": {"value": "T1"}, "agent_id": {"value": "S1"},
                 "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1},
                                "allocation_info": {"role": "web"}}],
                 "command": {"value": "sleep 1", "shell": true},
                 "labels": {"labels": [{"key": "k", "value": "v"}]}}
    });
    let r: RunTask = serde_json::from_value(old.clone()).unwrap();
    assert_eq!(r.task.task_id.value, "T1");
    assert!(r.executor.is_none());
    same(&r, old);
    let with_executor = json!({
        "framework": {"id": {"value": "F1"}},
        "task": {"task_id": {"value": "T1"}, "resources": []},
        "executor": {"type": "DEFAULT", "executor_id": {"value": "E1"}}
    });
    let r: RunTask = serde_json::from_value(with_executor.clone()).unwrap();
    assert_eq!(r.executor.as_ref().unwrap().executor_id.value, "E1");
    same(&r, with_executor);
    // An executor sent with `"resources": []` is forwarded without the
    // empty list (protobuf's JSON omits empty repeated fields).
    let e: ExecutorInfo =
        serde_json::from_value(json!({"executor_id": {"value": "E1"}, "resources": []})).unwrap();
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        json!({"executor_id": {"value": "E1"}})
    );
}

#[test]
fn kill_task_keeps_its_json() {
    // As the master built it before: the policy only when the call had one.
    let k = KillTask {
        framework_id: "F1".into(),
        task_id: "T1".into(),
        kill_policy: None,
    };
    same(&k, json!({"framework_id": "F1", "task_id": "T1"}));
    let old = json!({"framework_id": "F1", "task_id": "T1",
                     "kill_policy": {"grace_period": {"nanoseconds": 3000000000i64}}});
    let k: KillTask = serde_json::from_value(old.clone()).unwrap();
    assert_eq!(
        k.kill_policy
            .as_ref()
            .unwrap()
            .grace_period
            .unwrap()
            .nanoseconds,
        3_000_000_000
    );
    same(&k, old);
    assert_eq!(KillTask::PATH, "/slave(1)/internal/kill_task");
}

#[test]
fn acknowledge_keeps_its_json() {
    let a = Acknowledge {
        framework_id: "F1".into(),
        task_id: "T1".into(),
        uuid: "dXVpZA==".into(),
    };
    let old = json!({"framework_id": "F1", "task_id": "T1", "uuid": "dXVpZA=="});
    assert_eq!(same(&a, old), a);
    assert_eq!(Acknowledge::PATH, paths::ACK);
}

#[test]
fn shutdown_framework_keeps_its_json() {
    let s = ShutdownFramework {
        framework_id: "F1".into(),
    };
    assert_eq!(same(&s, json!({"framework_id": "F1"})), s);
    assert_eq!(ShutdownFramework::PATH, paths::SHUTDOWN_FRAMEWORK);
    assert_eq!(RunTask::PATH, paths::RUN_TASK);
}
