//! Unit tests of the protobuf codec (docs/wire-notes.md#protobuf).

use super::*;
use serde_json::{json, Value};

fn accept(v: &str) -> Option<Media> {
    Media::from_accept(Some(v))
}

#[test]
fn json_wins_and_missing_accept_is_json() {
    assert_eq!(Media::from_accept(None), Some(Media::Json));
    assert_eq!(accept("*/*"), Some(Media::Json));
    assert_eq!(accept("application/x-protobuf"), Some(Media::Protobuf));
    assert_eq!(
        accept("application/x-protobuf, application/json"),
        Some(Media::Json)
    );
    assert_eq!(
        accept("application/json;q=0, application/x-protobuf"),
        Some(Media::Protobuf)
    );
    assert_eq!(accept("text/html"), None);
    assert_eq!(
        Media::of_content_type("application/json; charset=utf-8"),
        Some(Media::Json)
    );
    assert_eq!(Media::of_content_type("text/plain"), None);
}

/// JSON value -> protobuf -> JSON value.
fn round(message: &str, v: &Value) -> Value {
    let bytes = encode(message, v).unwrap_or_else(|e| panic!("{message}: {e}"));
    to_json(message, &bytes).unwrap_or_else(|e| panic!("{message}: {e}"))
}

#[test]
fn the_descriptor_set_loads_and_resolves_every_v1_message() {
    let reg = schema::registry();
    for m in [
        "mesos.v1.scheduler.Call",
        "mesos.v1.scheduler.Event",
        "mesos.v1.executor.Call",
        "mesos.v1.executor.Event",
        "mesos.v1.master.Call",
        "mesos.v1.master.Response",
        "mesos.v1.master.Event",
        "mesos.v1.agent.Call",
        "mesos.v1.agent.Response",
        "mesos.v1.agent.ProcessIO",
        "mesos.v1.TaskStatus",
    ] {
        assert!(reg.message(m).is_some(), "{m}");
    }
    assert!(matches!(
        encode("mesos.v1.Nope", &json!({})),
        Err(ProtoError::Unsupported(_))
    ));
}

#[test]
fn known_bytes_decode_and_encode_exactly() {
    // TaskID {value: "t"} inside TaskStatus {task_id=1, state=2 (TASK_FINISHED)}
    let bytes = [0x0a, 0x03, 0x0a, 0x01, b't', 0x10, 0x02];
    let v = to_json("mesos.v1.TaskStatus", &bytes).unwrap();
    assert_eq!(
        v,
        json!({"task_id": {"value": "t"}, "state": "TASK_FINISHED"})
    );
    assert_eq!(encode("mesos.v1.TaskStatus", &v).unwrap(), bytes);
}

#[test]
fn scalars_enums_bytes_maps_and_repeated_follow_the_stout_mapping() {
    let task = json!({
        "name": "t",
        "task_id": {"value": "a"},
        "framework_id": {"value": "f"},
        "agent_id": {"value": "s"},
        "state": "TASK_RUNNING",
        "resources": [
            {"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.5}},
            {"name": "ports", "type": "RANGES",
             "ranges": {"range": [{"begin": 31000, "end": 31005}]}}
        ],
        "statuses": [{"task_id": {"value": "a"}, "state": "TASK_RUNNING",
                      "timestamp": 1518160049.92947, "uuid": "AAECAw==",
                      "source": "SOURCE_EXECUTOR", "healthy": true}],
        "status_update_uuid": "/w==",
        "limits": {"cpus": {"value": 2.0}, "mem": {"value": 64.0}},
        "labels": {"labels": [{"key": "k", "value": "v"}]}
    });
    assert_eq!(round("mesos.v1.Task", &task), task);
    // Numeric strings, unknown keys and nulls; unknown enum names unset.
    let lenient = json!({
        "name": "t", "task_id": {"value": "a"}, "framework_id": {"value": "f"},
        "agent_id": {"value": "s"}, "state": "TASK_NOPE", "bogus": [1, 2],
        "executor_id": null,
        "resources": {"name": "mem", "type": "SCALAR", "scalar": {"value": "128"}}
    });
    assert_eq!(
        round("mesos.v1.Task", &lenient),
        json!({
            "name": "t", "task_id": {"value": "a"}, "framework_id": {"value": "f"},
            "agent_id": {"value": "s"},
            "resources": [{"name": "mem", "type": "SCALAR", "scalar": {"value": 128.0}}]
        })
    );
    // Negative int32 and int64, uint64 beyond i64.
    let ev = json!({"type": "FAILURE", "failure": {"status": -9}});
    assert_eq!(round("mesos.v1.scheduler.Event", &ev), ev);
    let t = json!({"nanoseconds": -5});
    assert_eq!(round("mesos.v1.TimeInfo", &t), t);
    let r = json!({"begin": 0, "end": u64::MAX});
    assert_eq!(round("mesos.v1.Value.Range", &r), r);
}

#[test]
fn packed_repeated_scalars_are_accepted() {
    // HealthCheck.HTTPCheckInfo {port=1: 80, statuses=4 packed [200, 201]}
    let bytes = [0x08, 80, 0x22, 0x04, 0xc8, 0x01, 0xc9, 0x01];
    assert_eq!(
        to_json("mesos.v1.HealthCheck.HTTPCheckInfo", &bytes).unwrap(),
        json!({"port": 80, "statuses": [200, 201]})
    );
}

#[test]
fn malformed_input_is_one_line_naming_the_message() {
    for bad in [
        &[0x0a, 0x05, 0x0a][..],             // length past the end
        &[0x0a][..],                         // truncated varint
        &[0x0b][..],                         // group
        &[0x00, 0x01][..],                   // field 0
        &[0x0a, 0x03, 0x0a, 0x01, 0xff][..], // invalid UTF-8 in task_id.value
    ] {
        match to_json("mesos.v1.TaskStatus", bad) {
            Err(ProtoError::Decode(m)) => {
                assert!(m.contains("mesos.v1.TaskStatus"), "{m}");
                assert!(!m.contains('\n'), "{m}");
            }
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    // Unknown fields are skipped.
    let v = to_json("mesos.v1.TaskID", &[0x0a, 0x01, b'x', 0x78, 0x05]).unwrap();
    assert_eq!(v, json!({"value": "x"}));
}

#[test]
fn the_checked_in_descriptor_set_is_what_protoc_makes_of_the_definitions() {
    use prost::Message as _;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("mesos-desc-{}.bin", std::process::id()));
    let status = std::process::Command::new(root.join("scripts/gen-proto.sh"))
        .arg(&out)
        .status()
        .expect("scripts/gen-proto.sh runs (protoc is a test prerequisite: protobuf-compiler)");
    assert!(status.success(), "scripts/gen-proto.sh failed");
    let fresh = std::fs::read(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    let a = prost_types::FileDescriptorSet::decode(&fresh[..]).unwrap();
    let b = prost_types::FileDescriptorSet::decode(schema::DESCRIPTOR_SET).unwrap();
    assert!(
        a == b,
        "proto/mesos.desc is stale: run scripts/gen-proto.sh after editing proto/mesos/v1/*.proto"
    );
}

/// typed -> protobuf -> `to_json` -> typed.
fn typed_round<T>(message: &str, v: &T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let bytes = encode(message, v).unwrap_or_else(|e| panic!("{message}: {e}"));
    let back = to_json(message, &bytes).unwrap_or_else(|e| panic!("{message}: {e}"));
    serde_json::from_value(back.clone()).unwrap_or_else(|e| panic!("{message}: {e}: {back}"))
}

fn typed<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap()
}

fn status_json() -> Value {
    json!({
        "task_id": {"value": "t1"}, "state": "TASK_RUNNING", "source": "SOURCE_EXECUTOR",
        "reason": "REASON_COMMAND_EXECUTOR_FAILED", "message": "m",
        "agent_id": {"value": "S0"}, "executor_id": {"value": "e"},
        "timestamp": 1518160049.92947, "uuid": "q83vEjRWeJA=", "data": "aGk=",
        "healthy": true,
        "container_status": {"container_id": {"value": "c", "parent": {"value": "p"}},
                             "executor_pid": 42}
    })
}

#[test]
fn executor_calls_and_events_round_trip_typed() {
    use crate::wire::executor::{Call, Event};
    let update: Call = typed(json!({
        "executor_id": {"value": "e"}, "framework_id": {"value": "f"}, "type": "UPDATE",
        "update": {"status": status_json()}
    }));
    assert_eq!(typed_round(crate::wire::executor::CALL, &update), update);
    let subscribe: Call = typed(json!({
        "executor_id": {"value": "e"}, "framework_id": {"value": "f"}, "type": "SUBSCRIBE",
        "subscribe": {"unacknowledged_updates": [{"status": status_json()}]}
    }));
    assert_eq!(
        typed_round(crate::wire::executor::CALL, &subscribe),
        subscribe
    );
    let message: Call = typed(json!({
        "executor_id": {"value": "e"}, "framework_id": {"value": "f"}, "type": "MESSAGE",
        "message": {"data": "aGVsbG8="}
    }));
    assert_eq!(typed_round(crate::wire::executor::CALL, &message), message);

    let task = json!({
        "name": "a", "task_id": {"value": "a"}, "agent_id": {"value": "S0"},
        "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}}],
        "command": {"value": "echo hi", "shell": true,
                    "environment": {"variables": [{"name": "A", "type": "VALUE", "value": "1"}]}}
    });
    let launch_group: Event = typed(json!({
        "type": "LAUNCH_GROUP",
        "launch_group": {"task_group": {"tasks": [task.clone(), task]}}
    }));
    assert_eq!(
        typed_round(crate::wire::executor::EVENT, &launch_group),
        launch_group
    );
    let subscribed: Event = typed(json!({
        "type": "SUBSCRIBED",
        "subscribed": {
            "executor_info": {"type": "DEFAULT", "executor_id": {"value": "e"},
                              "framework_id": {"value": "f"}},
            "framework_info": {"user": "u", "name": "n", "id": {"value": "f"}},
            "agent_info": {"hostname": "h", "port": 5051, "id": {"value": "S0"}},
            "container_id": {"value": "c"}
        }
    }));
    assert_eq!(
        typed_round(crate::wire::executor::EVENT, &subscribed),
        subscribed
    );
    for ev in [
        json!({"type": "ACKNOWLEDGED", "acknowledged": {"task_id": {"value": "t"}, "uuid": "AAE="}}),
        json!({"type": "KILL", "kill": {"task_id": {"value": "t"},
               "kill_policy": {"grace_period": {"nanoseconds": 3000000000i64}}}}),
        json!({"type": "MESSAGE", "message": {"data": "aGk="}}),
        json!({"type": "ERROR", "error": {"message": "boom"}}),
        json!({"type": "SHUTDOWN"}),
    ] {
        let e: Event = typed(ev);
        assert_eq!(typed_round(crate::wire::executor::EVENT, &e), e);
    }
}

#[test]
fn process_io_and_attach_container_input_round_trip_typed() {
    use crate::wire::agent_v1::ContainerId;
    use crate::wire::process_io::{InputCall, ProcessIo};
    for io in [
        ProcessIo::data("STDOUT", b"hello\n\x00\xff"),
        ProcessIo::data("STDIN", b""),
        ProcessIo::heartbeat(30_000_000_000),
        ProcessIo::window(24, 80),
    ] {
        let back = typed_round("mesos.v1.agent.ProcessIO", &io);
        assert_eq!(back, io);
        assert_eq!(back.bytes(), io.bytes());
    }
    let id = ContainerId::nested("child", ContainerId::new("parent"));
    for call in [
        InputCall::container(id),
        InputCall::io(ProcessIo::data("STDIN", b"ls\n")),
    ] {
        assert_eq!(typed_round("mesos.v1.agent.Call", &call), call);
    }
}

#[test]
fn scheduler_events_round_trip() {
    use crate::wire::event::Event;
    for ev in [
        Event::heartbeat(),
        Event::error("Framework has been removed"),
        Event::rescind("o1"),
        Event::agent_failure("S1"),
    ] {
        let want = serde_json::to_value(&ev).unwrap();
        assert_eq!(round("mesos.v1.scheduler.Event", &want), want);
        // Typed straight to protobuf gives the same bytes as its JSON.
        assert_eq!(
            encode("mesos.v1.scheduler.Event", &ev).unwrap(),
            encode("mesos.v1.scheduler.Event", &want).unwrap()
        );
    }
}

#[test]
fn captured_v1_bodies_survive_protobuf() {
    use crate::wire::v1;
    let text = crate::test_fixtures::read_fixture_text("master-api-v1-get-master-1.5.json");
    let raw: Value = serde_json::from_str(&text).unwrap();
    let want: v1::Response = typed(raw.clone());
    let back: v1::Response = typed(round("mesos.v1.master.Response", &raw));
    assert_eq!(back, want);
    let text = crate::test_fixtures::read_fixture_text("master-api-v1-subscribe-1.5.jsonl");
    let mut n = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let raw: Value = serde_json::from_str(line).unwrap();
        let want: v1::Event = typed(raw.clone());
        let back: v1::Event = typed(round("mesos.v1.master.Event", &raw));
        assert_eq!(back, want, "{line}");
        n += 1;
    }
    assert!(n > 30);
}

#[test]
fn nested_lengths_at_varint_boundaries_encode_exactly() {
    use crate::wire::agent_v1::V1TaskStatus;
    // A TaskStatus {task_id: {value}, message} whose bodies are exactly
    // 127/128/16383/16384 bytes long (and one either side), checked
    // against bytes put together by hand.
    for target in [126usize, 127, 128, 129, 16_382, 16_383, 16_384, 16_385] {
        // TaskID body: key + length + value (id of `n` bytes); the status
        // body adds key 0x0a + the TaskID length varint + TaskID body.
        let n = (0..target)
            .rev()
            .find(|n| 1 + super::wire::varint_len(*n as u64) + n == target)
            .unwrap();
        let id = "i".repeat(n);
        let mut tid_body = vec![0x0a];
        super::wire::put_varint(&mut tid_body, n as u64);
        tid_body.extend(id.as_bytes());
        assert_eq!(tid_body.len(), target, "TaskID body of {target} bytes");
        let mut want = vec![0x0a];
        super::wire::put_varint(&mut want, tid_body.len() as u64);
        want.extend(&tid_body);
        want.extend([0x10, 0x01]); // state TASK_RUNNING
        let v = json!({"task_id": {"value": id}, "state": "TASK_RUNNING"});
        assert_eq!(encode("mesos.v1.TaskStatus", &v).unwrap(), want, "{target}");
        // The typed status (struct fields) writes the same, then its
        // always-present timestamp.
        let st: V1TaskStatus = typed(v);
        let bytes = encode("mesos.v1.TaskStatus", &st).unwrap();
        assert!(bytes.starts_with(&want), "{target}");
        assert_eq!(typed_round("mesos.v1.TaskStatus", &st), st, "{target}");
    }
}

#[test]
fn deeply_nested_long_bodies_round_trip() {
    use crate::wire::operator::GetState;
    // Response > GetState > GetTasks > Task > TaskStatus > ContainerStatus
    // > NetworkInfo > IPAddress, with bodies long enough that every level
    // needs a two- or three-byte length, next to short siblings.
    let long = "x".repeat(20_000);
    let status = json!({
        "task_id": {"value": long}, "state": "TASK_RUNNING", "timestamp": 1.5,
        "uuid": "q83vEjRWeJCrze8SNFZ4kA==",
        "container_status": {"container_id": {"value": "c"},
            "network_infos": [{"ip_addresses": [{"protocol": "IPv4", "ip_address": long}]},
                              {"ip_addresses": [{"ip_address": "10.0.0.1"}]}]}
    });
    let task = json!({"name": "t", "task_id": {"value": "a"}, "framework_id": {"value": "f"},
        "agent_id": {"value": "s"}, "state": "TASK_RUNNING", "statuses": [status.clone(), status.clone()]});
    let v =
        json!({"type": "GET_STATE", "get_state": {"get_tasks": {"tasks": [task.clone(), task]}}});
    let back = round("mesos.v1.master.Response", &v);
    assert_eq!(
        back["get_state"]["get_tasks"]["tasks"][1]["statuses"][1]["container_status"]
            ["network_infos"][0]["ip_addresses"][0]["ip_address"],
        Value::from(long.as_str())
    );
    // The same through the typed operator model (struct fields, flattened
    // statuses).
    let mut st = GetState::default();
    for _ in 0..2 {
        st.get_tasks.tasks.push(crate::wire::operator::Task {
            name: "t".into(),
            task_id: crate::wire::agent_v1::Id::new("a"),
            statuses: vec![typed(status.clone()), typed(status.clone())],
            ..Default::default()
        });
    }
    let bytes = encode(
        "mesos.v1.master.Response",
        &crate::wire::operator::Response::new("GET_STATE", &st),
    )
    .unwrap();
    let decoded = to_json("mesos.v1.master.Response", &bytes).unwrap();
    assert_eq!(
        decoded["get_state"]["get_tasks"]["tasks"][1]["statuses"][1],
        back["get_state"]["get_tasks"]["tasks"][1]["statuses"][1]
    );
}

#[test]
fn the_hand_driven_writer_writes_the_encoders_bytes() {
    use direct::{enum_type, Writer};
    // Field numbers past 15 (two-byte keys), a body of 128 bytes or more
    // (a widened length), nested messages, doubles, bools, base64 bytes,
    // and fields appended by the encoder.
    let long = "x".repeat(300);
    let v = json!({
        "task_id": {"value": "t"},
        "state": "TASK_RUNNING",
        "message": long,
        "limitation": {"resources": [
            {"name": "cpus", "type": "SCALAR", "scalar": {"value": 1.5}},
            {"name": "mem", "type": "SCALAR", "scalar": {"value": 128.0}, "role": long}
        ]},
        "timestamp": 1.5,
        "healthy": true,
        "uuid": "3q2+7w==",
        "data": "aGk="
    });
    let running = enum_type("mesos.v1.TaskState")
        .and_then(|e| e.number("TASK_RUNNING"))
        .unwrap();
    let mut w = Writer::with_capacity(16);
    w.id(1, "t");
    w.enumeration(2, running);
    w.string(4, &long);
    let lim = w.begin(16);
    for (name, value, role) in [("cpus", 1.5, None), ("mem", 128.0, Some(&long))] {
        let r = w.begin(1);
        w.string(1, name);
        w.enumeration(2, 0);
        let s = w.begin(3);
        w.double(1, value);
        w.end(s);
        if let Some(role) = role {
            w.string(6, role);
        }
        w.end(r);
    }
    w.end(lim);
    w.double(6, 1.5);
    w.bool(8, true);
    w.base64(11, "3q2+7w==").unwrap();
    w.fields("mesos.v1.TaskStatus", &json!({"data": "aGk="}))
        .unwrap();
    assert_eq!(w.finish(), encode("mesos.v1.TaskStatus", &v).unwrap());
    // Not base64: an error naming the value, as the encoder's.
    let mut w = Writer::with_capacity(16);
    let e = w.base64(11, "not base64!").unwrap_err();
    assert!(e.to_string().contains("not base64!"), "{e}");
    assert!(w.fields("mesos.v1.NoSuchMessage", &json!({})).is_err());
}
