//! Repeated status updates and acknowledgements (an agent resends an update
//! until it is acknowledged; a scheduler may acknowledge twice) are answered
//! like the first and counted once; a repeated acknowledgement of a
//! completed task's update still reaches the agent.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, Extensions, HeaderMap, StatusCode};
use serde_json::{json, Value};

use crate::daemon::proto::session::Token;
use crate::master::state::{AgentEntry, Shared, Stream, TaskEntry};
use crate::resources::Resources;

const TOKEN: &str = "agent-session-token";

use crate::master::test_master;

/// A fake agent that records the acknowledgements the master forwards.
async fn fake_agent() -> (u16, Arc<Mutex<Vec<Value>>>) {
    let acks = Arc::new(Mutex::new(Vec::new()));
    let a2 = acks.clone();
    let app = axum::Router::new().route(
        "/slave(1)/internal/acknowledge",
        axum::routing::post(move |body: Bytes| {
            let acks = a2.clone();
            async move {
                acks.lock()
                    .unwrap()
                    .push(serde_json::from_slice::<Value>(&body).unwrap());
                StatusCode::ACCEPTED
            }
        }),
    );
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (port, acks)
}

/// Master with agent `A` (the fake agent), framework `F` subscribed on
/// stream `s1`, and task `t1` on `A`. Returns the framework's event stream.
fn populate(m: &Shared, port: u16) -> tokio::sync::mpsc::UnboundedReceiver<Bytes> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let mut st = m.lock();
    st.agents.insert(
        "A".into(),
        AgentEntry {
            id: "A".into(),
            hostname: "127.0.0.1".into(),
            ip: "127.0.0.1".into(),
            port,
            version: "1.11.0".into(),
            capabilities: Vec::new(),
            total: Resources::parse("cpus:4;mem:1024", "*").unwrap(),
            attributes: Default::default(),
            registered_time: 0.0,
            reregistered_time: None,
            active: true,
            last_ping: Instant::now(),
            allocated: Resources::parse("cpus:1;mem:32", "*").unwrap(),
            offered: Resources::new(),
            session_token: Token::from_wire(TOKEN.into()),
        },
    );
    let mut fw = crate::master::framework_info::framework_from_json(
        "F",
        &json!({"user": "u", "name": "n", "id": {"value": "F"}}),
        0.0,
        true,
    );
    fw.stream = Some(Stream {
        id: "s1".into(),
        tx,
    });
    fw.tasks.insert(
        "t1".into(),
        TaskEntry {
            id: "t1".into(),
            name: "t1".into(),
            framework_id: "F".into(),
            agent_id: "A".into(),
            executor_id: String::new(),
            state: "TASK_STAGING".into(),
            resources: Resources::parse("cpus:1;mem:32", "*").unwrap(),
            role: "*".into(),
            statuses: Vec::new(),
            info: Default::default(),
            status_update_state: None,
            status_update_uuid: None,
        }
        .into(),
    );
    st.frameworks.insert("F".into(), fw);
    rx
}

async fn update(m: &Shared, state: &str, uuid: &str) -> StatusCode {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::AUTHORIZATION,
        Token::from_wire(TOKEN.into()).header_value(),
    );
    let body = json!({"agent_id": "A", "framework_id": "F", "status": {
        "task_id": {"value": "t1"}, "state": state, "source": "SOURCE_EXECUTOR",
        "agent_id": {"value": "A"}, "uuid": uuid, "timestamp": 1.0}});
    let r = crate::master::agents::status_update(
        State(m.clone()),
        headers,
        Extensions::new(),
        Bytes::from(body.to_string()),
    )
    .await;
    r.status()
}

async fn acknowledge(m: &Shared, uuid: &str) -> StatusCode {
    let call = json!({"type": "ACKNOWLEDGE", "framework_id": {"value": "F"},
        "acknowledge": {"agent_id": {"value": "A"}, "task_id": {"value": "t1"}, "uuid": uuid}});
    let req = Request::builder()
        .method("POST")
        .uri("/master/api/v1/scheduler")
        .header(header::CONTENT_TYPE, "application/json")
        .header("Mesos-Stream-Id", "s1")
        .body(Body::from(call.to_string()))
        .unwrap();
    crate::master::scheduler::api(State(m.clone()), req)
        .await
        .status()
}

fn drain(rx: &mut tokio::sync::mpsc::UnboundedReceiver<Bytes>) -> usize {
    let mut n = 0;
    while rx.try_recv().is_ok() {
        n += 1;
    }
    n
}

async fn wait_acks(acks: &Mutex<Vec<Value>>, n: usize) {
    let end = Instant::now() + Duration::from_secs(20);
    while acks.lock().unwrap().len() < n {
        assert!(Instant::now() < end, "{n} acknowledgements forwarded");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

// uuids: 16 bytes, base64.
const U1: &str = "AAAAAAAAAAAAAAAAAAAAAA==";
const U2: &str = "AQEBAQEBAQEBAQEBAQEBAQ==";

#[tokio::test]
async fn a_repeated_update_is_answered_and_forwarded_but_counted_once() {
    let m = test_master();
    let (port, _acks) = fake_agent().await;
    let mut events = populate(&m, port);
    assert_eq!(update(&m, "TASK_RUNNING", U1).await, StatusCode::ACCEPTED);
    assert_eq!(update(&m, "TASK_RUNNING", U1).await, StatusCode::ACCEPTED);
    // Both reach the scheduler (it may have missed the first) ...
    assert_eq!(drain(&mut events), 2);
    // ... but the master recorded and counted one.
    let st = m.lock();
    assert_eq!(st.counters.status_updates, 1);
    assert_eq!(st.frameworks["F"].tasks["t1"].statuses.len(), 1);
}

#[tokio::test]
async fn repeated_acknowledgements_are_ok_and_reach_the_agent_even_after_completion() {
    let m = test_master();
    let (port, acks) = fake_agent().await;
    let _events = populate(&m, port);
    update(&m, "TASK_RUNNING", U1).await;
    assert_eq!(acknowledge(&m, U1).await, StatusCode::ACCEPTED);
    assert_eq!(acknowledge(&m, U1).await, StatusCode::ACCEPTED);
    wait_acks(&acks, 2).await;
    // The terminal update, acknowledged: the task completes.
    update(&m, "TASK_FINISHED", U2).await;
    assert_eq!(acknowledge(&m, U2).await, StatusCode::ACCEPTED);
    wait_acks(&acks, 3).await;
    assert!(m.lock().frameworks["F"].tasks.is_empty());
    let finished = m.lock().counters.tasks_finished;
    // The forward to the agent was lost, say: the agent resends the
    // update, the scheduler acknowledges again, and the agent hears of it.
    assert_eq!(update(&m, "TASK_FINISHED", U2).await, StatusCode::ACCEPTED);
    assert_eq!(acknowledge(&m, U2).await, StatusCode::ACCEPTED);
    wait_acks(&acks, 4).await;
    let last = acks.lock().unwrap().last().cloned().unwrap();
    assert_eq!(last["uuid"], U2);
    assert_eq!(last["task_id"], "t1");
    let st = m.lock();
    assert_eq!(st.counters.tasks_finished, finished, "not counted twice");
    assert_eq!(st.counters.status_updates, 2);
    let fw = &st.frameworks["F"];
    assert_eq!(fw.completed_tasks.len(), 1);
    assert_eq!(fw.completed_tasks[0].statuses.len(), 2);
}
