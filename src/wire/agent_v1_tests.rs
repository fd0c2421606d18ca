//! Unit tests of `agent_v1`.

use super::*;
use serde_json::json;

#[test]
fn responses_are_tagged_envelopes() {
    let r = AgentResponse::GetHealth {
        get_health: Health { healthy: true },
    };
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({"type": "GET_HEALTH", "get_health": {"healthy": true}})
    );
    let r = AgentResponse::GetTasks {
        get_tasks: AgentGetTasks::default(),
    };
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({"type": "GET_TASKS", "get_tasks": {}})
    );
    let r = AgentResponse::GetResourceProviders {
        get_resource_providers: Empty {},
    };
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({"type": "GET_RESOURCE_PROVIDERS", "get_resource_providers": {}})
    );
}

#[test]
fn messages_round_trip_with_unknown_fields() {
    let t = json!({"name": "t", "task_id": {"value": "t"}, "agent_id": {"value": "S1"},
        "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 1.0},
            "allocation_info": {"role": "web"}}],
        "command": {"value": "sleep 1", "uris": {"value": "http://x/y.tgz"},
            "environment": {"variables": [{"name": "A", "value": "1"}]}},
        "kill_policy": {"grace_period": {"nanoseconds": "1500000000"}},
        "max_completion_time": {"nanoseconds": 5}});
    let info: TaskInfo = serde_json::from_value(t.clone()).unwrap();
    assert_eq!(info.task_id.value, "t");
    assert_eq!(info.allocation_role().as_deref(), Some("web"));
    let cmd = info.command.as_ref().unwrap();
    assert!(cmd.shell());
    assert_eq!(cmd.uris[0].value, "http://x/y.tgz");
    assert_eq!(
        info.kill_policy
            .as_ref()
            .unwrap()
            .grace_period
            .unwrap()
            .nanoseconds,
        1_500_000_000
    );
    let back = serde_json::to_value(&info).unwrap();
    assert_eq!(back["max_completion_time"], json!({"nanoseconds": 5}));
    assert_eq!(back["command"]["uris"][0]["value"], "http://x/y.tgz");
    let s = json!({"task_id": {"value": "t"}, "state": "TASK_RUNNING", "source": "SOURCE_EXECUTOR",
        "agent_id": {"value": "S1"}, "timestamp": 1.5, "uuid": "u", "healthy": true,
        "container_status": {"container_id": {"value": "c"}, "executor_pid": 7,
            "network_infos": [{"ip_addresses": [{"protocol": "IPv4", "ip_address": "10.0.0.1"}]}]}});
    let st: V1TaskStatus = serde_json::from_value(s.clone()).unwrap();
    assert_eq!(st.state, TaskState::Running);
    assert_eq!(serde_json::to_value(&st).unwrap(), s);
}

#[test]
fn calls_parse_leniently() {
    let c: AgentCall = serde_json::from_value(json!({"type": "READ_FILE",
        "read_file": {"path": "/x", "offset": "10", "length": 5}}))
    .unwrap();
    assert_eq!(c.kind.as_deref(), Some("READ_FILE"));
    let rf = c.read_file.unwrap();
    assert_eq!(rf.offset.get(), Ok(Some(10)));
    assert_eq!(rf.length.get(), Ok(Some(5)));
    let bad: LenientU64 = serde_json::from_value(json!(-1)).unwrap();
    assert_eq!(bad.get(), Err(()));
    let none: ReadFileCall = serde_json::from_value(json!({"offset": null})).unwrap();
    assert_eq!((none.offset.get(), none.length.get()), (Ok(None), Ok(None)));
    let c: AgentCall = serde_json::from_value(
        json!({"type": "KILL_CONTAINER", "kill_container": {"container_id": {"value": "c"}, "signal": 15}}),
    )
    .unwrap();
    let k = c.kill_container.unwrap();
    assert_eq!(k.container_id.unwrap().value, "c");
    assert_eq!(k.signal, Some(15));
}
