//! In-process router tests of the container calls: status codes, the
//! framing and labelling of streaming responses, streaming requests.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::tests::{finished_executor, fixture, send, Fixture, Resp};
use crate::agent::model::{Framework, Phase};
use crate::wire::agent_v1::ContainerId;
use crate::wire::process_io::{InputCall, ProcessIo};

/// A live executor (container `c-1`) whose sandbox is a temp dir.
fn with_live_executor(f: &Fixture) {
    let mut e = finished_executor("F1", "t1");
    e.phase = Phase::Running;
    e.directory = f.dir.path().join("sandbox");
    e.meta_dir = f.dir.path().join("meta");
    e.done_tx.send_replace(false);
    std::fs::create_dir_all(&e.directory).unwrap();
    let mut st = f.agent.lock();
    st.agent_id = Some("S1".into());
    let mut fw = Framework::new("F1", json!({"id": {"value": "F1"}, "user": "u"}));
    fw.executors.insert("t1".into(), e);
    st.frameworks.insert("F1".into(), fw);
}

async fn post(f: &Fixture, headers: &[(&str, &str)], body: &str) -> Resp {
    send(&f.app, Method::POST, "/slave(1)/api/v1", headers, body).await
}

const JSON: (&str, &str) = ("Content-Type", "application/json");

fn session_call(cmd: &str) -> String {
    json!({"type": "LAUNCH_NESTED_CONTAINER_SESSION", "launch_nested_container_session": {
        "container_id": {"value": "s1", "parent": {"value": "c-1"}},
        "command": {"value": cmd}}})
    .to_string()
}

#[tokio::test]
async fn streaming_calls_negotiate_their_framing() {
    let f = fixture();
    with_live_executor(&f);
    // Accept: application/recordio + Message-Accept: JSON.
    let r = post(
        &f,
        &[
            JSON,
            ("Accept", "application/recordio"),
            ("Message-Accept", "application/json"),
        ],
        &session_call("echo hi"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.headers["content-type"], "application/recordio");
    assert_eq!(r.headers["message-content-type"], "application/json");
    let mut dec = crate::recordio::Decoder::new();
    dec.push(&r.body);
    let rec = dec.next_record().unwrap().unwrap();
    let io: ProcessIo = serde_json::from_slice(&rec).unwrap();
    assert_eq!(io, ProcessIo::data("STDOUT", b"hi\n"));
    assert_eq!(dec.next_record().unwrap(), None);

    // Only JSON accepted: the same stream labelled application/json.
    let body = session_call("echo legacy").replace("\"s1\"", "\"s2\"");
    let r = post(&f, &[JSON, ("Accept", "application/json")], &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.headers["content-type"], "application/json");
    assert!(r.headers.get("message-content-type").is_none());
    let legacy = crate::recordio::encode(
        &serde_json::to_vec(&ProcessIo::data("STDOUT", b"legacy\n")).unwrap(),
    );
    assert!(r.body.ends_with(&legacy), "{}", r.text());

    // Nothing acceptable: 406 before anything is launched.
    let body = session_call("echo no").replace("\"s1\"", "\"s3\"");
    for h in [
        vec![JSON, ("Accept", "text/html")],
        vec![
            JSON,
            ("Accept", "application/recordio"),
            ("Message-Accept", "text/html"),
        ],
    ] {
        let r = post(&f, &h, &body).await;
        assert_eq!(r.status, StatusCode::NOT_ACCEPTABLE, "{h:?}");
    }
    assert!(f
        .agent
        .nested
        .get(&ContainerId::nested("s3", ContainerId::new("c-1")))
        .is_none());
}

#[tokio::test]
async fn container_call_errors() {
    let f = fixture();
    with_live_executor(&f);
    let rec = |c: &InputCall| {
        String::from_utf8(crate::recordio::encode(&serde_json::to_vec(c).unwrap())).unwrap()
    };
    let unknown = ContainerId::nested("nope", ContainerId::new("c-1"));
    let streaming = [
        ("Content-Type", "application/recordio"),
        ("Message-Content-Type", "application/json"),
    ];
    type Case<'a> = (Vec<(&'a str, &'a str)>, String, u16);
    let cases: Vec<Case> = vec![
        // A streaming request of another call.
        (
            streaming.to_vec(),
            String::from_utf8(crate::recordio::encode(br#"{"type":"GET_HEALTH"}"#)).unwrap(),
            415,
        ),
        // ATTACH_CONTAINER_INPUT must stream.
        (
            vec![JSON],
            serde_json::to_string(&InputCall::container(unknown.clone())).unwrap(),
            415,
        ),
        (
            streaming.to_vec(),
            rec(&InputCall::container(unknown.clone())),
            404,
        ),
        (
            streaming.to_vec(),
            rec(&InputCall::io(ProcessIo::data("STDIN", b"x"))),
            400,
        ),
        (
            vec![JSON, ("Accept", "application/recordio")],
            json!({"type": "ATTACH_CONTAINER_OUTPUT", "attach_container_output": {"container_id": unknown}}).to_string(),
            404,
        ),
        (
            vec![JSON, ("Accept", "application/recordio")],
            session_call("true").replace("c-1", "no-parent"),
            404,
        ),
        (
            vec![JSON],
            json!({"type": "LAUNCH_CONTAINER", "launch_container": {"container_id": {"value": "top"}, "command": {"value": "true"}}}).to_string(),
            501,
        ),
        (
            vec![JSON],
            json!({"type": "LAUNCH_NESTED_CONTAINER", "launch_nested_container": {"container_id": {"value": "x", "parent": {"value": "c-1"}}}}).to_string(),
            400,
        ),
        (
            vec![JSON],
            json!({"type": "WAIT_NESTED_CONTAINER", "wait_nested_container": {"container_id": unknown}}).to_string(),
            404,
        ),
        (
            vec![JSON],
            json!({"type": "KILL_NESTED_CONTAINER", "kill_nested_container": {"container_id": unknown}}).to_string(),
            404,
        ),
        (
            vec![JSON],
            json!({"type": "REMOVE_NESTED_CONTAINER", "remove_nested_container": {"container_id": unknown}}).to_string(),
            200,
        ),
    ];
    for (h, body, status) in cases {
        let r = post(&f, &h, &body).await;
        assert_eq!(r.status.as_u16(), status, "{h:?} {body}: {}", r.text());
    }
}
