//! Nested containers and container I/O on a real agent: a command task
//! runs `sleep`, and the agent API launches, waits for, kills and removes
//! containers nested in it, runs sessions with their output streamed back
//! and their input streamed in (pipes and a TTY).

use std::time::Duration;

use futures_util::StreamExt;
use mesos::http::{HttpClient, HttpOptions};
use mesos::recordio::Decoder;
use mesos::wire::agent_v1::ContainerId;
use mesos::wire::process_io::{InputCall, ProcessIo};
use reqwest::{Method, Url};
use serde_json::{json, Value};

use crate::common::cluster::{restart_agent, start_agent, start_master, Daemon};
use crate::common::sched::{
    command_task, next_of, res, subscribe_json, Events, JsonCalls, Scheduler,
};

pub(crate) const DEADLINE: Duration = Duration::from_secs(60);

pub(crate) fn client() -> HttpClient {
    HttpClient::new(&HttpOptions::default()).unwrap()
}

pub(crate) fn api(agent: &Daemon) -> Url {
    Url::parse(&format!("{}/slave(1)/api/v1", agent.url())).unwrap()
}

/// A non-streaming agent call: (status, body).
pub(crate) async fn call(agent: &Daemon, body: Value) -> (u16, String) {
    let c = client();
    let r = c
        .request(Method::POST, api(agent), false)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

pub(crate) async fn wait_nested(agent: &Daemon, id: &Value) -> (u16, Value) {
    let (status, body) = tokio::time::timeout(
        DEADLINE,
        call(
            agent,
            json!({"type": "WAIT_NESTED_CONTAINER", "wait_nested_container": {"container_id": id}}),
        ),
    )
    .await
    .expect("WAIT_NESTED_CONTAINER answered in time");
    (
        status,
        serde_json::from_str(&body).unwrap_or(Value::String(body)),
    )
}

/// A task running `sleep 300`; its scheduler, events and container id.
pub(crate) async fn running_task(
    master: &Daemon,
    agent: &Daemon,
    id: &str,
) -> (Scheduler, Events, String) {
    let info = json!({"user": "tester", "name": "nested", "checkpoint": true});
    let url = Url::parse(&master.url()).unwrap();
    let (s, mut ev, _) = subscribe_json(&client(), &url, info).await.unwrap();
    let offers = next_of(&mut ev, &["OFFERS"]).await;
    let offer = &offers["offers"]["offers"][0];
    let agent_id = offer["agent_id"].clone();
    s.launch_json(
        &[offer["id"].clone()],
        vec![command_task(id, id, &agent_id, "sleep 300", res(0.1, 32.0))],
        0.0,
    )
    .await
    .unwrap();
    loop {
        let u = next_of(&mut ev, &["UPDATE"]).await;
        let st = &u["update"]["status"];
        s.acknowledge_json(st).await.unwrap();
        if st["state"] == "TASK_RUNNING" {
            break;
        }
    }
    let (_, body) = call(agent, json!({"type": "GET_CONTAINERS"})).await;
    let v: Value = serde_json::from_str(&body).unwrap();
    let cid = v["get_containers"]["containers"][0]["container_id"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    (s, ev, cid)
}

pub(crate) fn nested_id(value: &str, parent: &str) -> Value {
    json!({"value": value, "parent": {"value": parent}})
}

/// A session's response (status, headers), and its records as they come.
pub(crate) async fn session(
    agent: &Daemon,
    id: &Value,
    cmd: Value,
    tty: Option<(u32, u32)>,
) -> reqwest::Response {
    let mut launch = json!({"container_id": id, "command": cmd});
    if let Some((rows, columns)) = tty {
        launch["container"] = json!({"type": "MESOS", "tty_info": {"window_size": {"rows": rows, "columns": columns}}});
    }
    client()
        .stream_request(Method::POST, api(agent))
        .header("Content-Type", "application/json")
        .header("Accept", "application/recordio")
        .header("Message-Accept", "application/json")
        .body(json!({"type": "LAUNCH_NESTED_CONTAINER_SESSION", "launch_nested_container_session": launch}).to_string())
        .send()
        .await
        .unwrap()
}

/// A session's output stream.
pub(crate) struct Output {
    body: std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    dec: Decoder,
}

impl Output {
    pub(crate) fn new(resp: reqwest::Response) -> Output {
        Output {
            body: Box::pin(resp.bytes_stream()),
            dec: Decoder::new(),
        }
    }

    /// Read ProcessIO records until the stream ends (or `until` is seen in
    /// stdout); (stdout, stderr) read by this call.
    pub(crate) async fn read(&mut self, until: Option<&str>) -> (String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        tokio::time::timeout(DEADLINE, async {
            loop {
                while let Some(rec) = self.dec.next_record().unwrap() {
                    let io: ProcessIo = serde_json::from_slice(&rec).unwrap();
                    if io.kind == "DATA" {
                        let bytes = io.bytes().unwrap();
                        match io.data.as_ref().unwrap().kind.as_str() {
                            "STDOUT" => out.extend(bytes),
                            "STDERR" => err.extend(bytes),
                            other => panic!("unexpected stream {other}"),
                        }
                    }
                    if until.is_some_and(|u| String::from_utf8_lossy(&out).contains(u)) {
                        return;
                    }
                }
                match self.body.next().await {
                    Some(Ok(b)) => self.dec.push(&b),
                    _ => return,
                }
            }
        })
        .await
        .unwrap_or_else(|_| {
            panic!(
                "output did not end in time: {:?}",
                String::from_utf8_lossy(&out)
            )
        });
        (
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    }
}

pub(crate) async fn read_output(resp: reqwest::Response, until: Option<&str>) -> (String, String) {
    Output::new(resp).read(until).await
}

pub(crate) fn record(call: &InputCall) -> Vec<u8> {
    mesos::recordio::encode(&serde_json::to_vec(call).unwrap())
}

/// Open ATTACH_CONTAINER_INPUT for `id`; the sender of further records and
/// the pending response.
pub(crate) fn attach_input(
    agent: &Daemon,
    id: &Value,
) -> (
    tokio::sync::mpsc::UnboundedSender<Vec<u8>>,
    tokio::task::JoinHandle<(u16, String)>,
) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
    let cid: ContainerId = serde_json::from_value(id.clone()).unwrap();
    tx.send(record(&InputCall::container(cid))).unwrap();
    let stream = tokio_stream_of(rx);
    let url = api(agent);
    let handle = tokio::spawn(async move {
        let r = client()
            .stream_request(Method::POST, url)
            .header("Content-Type", "application/recordio")
            .header("Message-Content-Type", "application/json")
            .header("Accept", "application/json")
            .body(reqwest::Body::wrap_stream(stream))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap_or_default())
    });
    (tx, handle)
}

fn tokio_stream_of(
    rx: tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures_util::stream::unfold(
        rx,
        |mut rx| async move { rx.recv().await.map(|b| (Ok(b), rx)) },
    )
}

pub(crate) fn stdin(bytes: &[u8]) -> Vec<u8> {
    record(&InputCall::io(ProcessIo::data("STDIN", bytes)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_containers_launch_wait_kill_remove_in_a_task_container() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let (_s, _ev, task_cid) = running_task(&master, &agent, "parent").await;

    // Unknown parent: 404.
    let (status, body) = call(
        &agent,
        json!({"type": "LAUNCH_NESTED_CONTAINER", "launch_nested_container": {
        "container_id": nested_id("x", "no-such-container"), "command": {"value": "true"}}}),
    )
    .await;
    assert_eq!(
        (status, body.as_str()),
        (404, "Container no-such-container cannot be found")
    );

    let id = nested_id("sleeper", &task_cid);
    let launch = json!({"type": "LAUNCH_NESTED_CONTAINER", "launch_nested_container": {
        "container_id": id, "command": {"value": "echo \"$MESOS_SANDBOX\"; pwd; sleep 300"}}});
    assert_eq!(call(&agent, launch.clone()).await.0, 200);
    // The same id again: already launched.
    assert_eq!(call(&agent, launch).await.0, 202);

    // Listed with its parent.
    let (_, body) = call(
        &agent,
        json!({"type": "GET_CONTAINERS", "get_containers": {"show_nested": true}}),
    )
    .await;
    let v: Value = serde_json::from_str(&body).unwrap();
    let listed: Vec<&Value> = v["get_containers"]["containers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["container_id"]["value"] == "sleeper")
        .collect();
    assert_eq!(listed.len(), 1, "{body}");
    assert_eq!(
        listed[0]["container_id"]["parent"]["value"],
        task_cid.as_str()
    );
    assert_eq!(listed[0]["executor_id"]["value"], "parent");
    let (_, body) = call(&agent, json!({"type": "GET_CONTAINERS"})).await;
    assert!(!body.contains("sleeper"), "{body}");

    // Its stdout (in its own sandbox) names its sandbox, which is its cwd.
    let state = crate::common::cluster::get_json(&format!("{}/slave(1)/state", agent.url()));
    let dir = state["frameworks"][0]["executors"][0]["directory"]
        .as_str()
        .unwrap()
        .to_string();
    let nested_dir = format!("{dir}/containers/sleeper");
    crate::common::wait_until(DEADLINE, "nested stdout", || {
        std::fs::read_to_string(format!("{nested_dir}/stdout"))
            .is_ok_and(|s| s == format!("{nested_dir}\n{nested_dir}\n"))
    });

    // KILL (SIGTERM asked), then WAIT: the raw wait status of the signal.
    let (status, _) = call(&agent, json!({"type": "KILL_NESTED_CONTAINER", "kill_nested_container": {"container_id": id, "signal": 15}})).await;
    assert_eq!(status, 200);
    let (status, w) = wait_nested(&agent, &id).await;
    assert_eq!(status, 200, "{w}");
    assert_eq!(w["type"], "WAIT_NESTED_CONTAINER");
    assert_eq!(w["wait_nested_container"]["exit_status"], 15, "{w}");
    // WAIT_CONTAINER answers the same until it is removed.
    let (status, body) = call(
        &agent,
        json!({"type": "WAIT_CONTAINER", "wait_container": {"container_id": id}}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.contains(r#""exit_status":15"#), "{body}");
    let (status, _) = call(
        &agent,
        json!({"type": "REMOVE_NESTED_CONTAINER", "remove_nested_container": {"container_id": id}}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = wait_nested(&agent, &id).await;
    assert_eq!(status, 404);
    // The sandbox stays.
    assert!(std::path::Path::new(&nested_dir).join("stdout").is_file());

    // A nested container dies with its parent task.
    let orphan = nested_id("orphan", &task_cid);
    let (status, _) = call(&agent, json!({"type": "LAUNCH_CONTAINER", "launch_container": {
        "container_id": orphan, "command": {"value": "sleep", "shell": false, "arguments": ["sleep", "300"]}}})).await;
    assert_eq!(status, 200);
    let (status, _) = call(
        &agent,
        json!({"type": "KILL_CONTAINER", "kill_container": {"container_id": {"value": task_cid}}}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, w) = wait_nested(&agent, &orphan).await;
    assert_eq!(status, 200);
    assert_eq!(w["wait_nested_container"]["exit_status"], 9, "{w}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_stream_output_take_input_and_die_with_their_connection() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let (_s, _ev, task_cid) = running_task(&master, &agent, "host").await;

    // Exit status 7: the stream ends, WAIT says 7 << 8.
    let id = nested_id("seven", &task_cid);
    let resp = session(
        &agent,
        &id,
        json!({"value": "echo out; echo err >&2; exit 7"}),
        None,
    )
    .await;
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "application/recordio");
    assert_eq!(resp.headers()["message-content-type"], "application/json");
    let (out, err) = read_output(resp, None).await;
    assert_eq!((out.as_str(), err.as_str()), ("out\n", "err\n"));
    let (_, w) = wait_nested(&agent, &id).await;
    assert_eq!(w["wait_nested_container"]["exit_status"], 7 << 8, "{w}");

    // `cat`: input records come back; an empty record is EOF.
    let id = nested_id("cat", &task_cid);
    let resp = session(
        &agent,
        &id,
        json!({"value": "cat", "shell": false, "arguments": ["cat"]}),
        None,
    )
    .await;
    assert_eq!(resp.status().as_u16(), 200);
    // A second reader of the same output (legacy labelling: JSON only).
    let attached = client()
        .stream_request(Method::POST, api(&agent))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .body(json!({"type": "ATTACH_CONTAINER_OUTPUT", "attach_container_output": {"container_id": id}}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(attached.status().as_u16(), 200);
    assert_eq!(attached.headers()["content-type"], "application/json");
    let (tx, input) = attach_input(&agent, &id);
    tx.send(stdin(b"hello ")).unwrap();
    tx.send(stdin(b"world\n")).unwrap();
    tx.send(stdin(b"")).unwrap();
    let (out, _) = read_output(resp, None).await;
    assert_eq!(out, "hello world\n");
    let (out, _) = read_output(attached, None).await;
    assert_eq!(out, "hello world\n");
    let (_, w) = wait_nested(&agent, &id).await;
    assert_eq!(w["wait_nested_container"]["exit_status"], 0, "{w}");
    drop(tx);
    let (status, _) = tokio::time::timeout(DEADLINE, input)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status, 200);

    // A TTY: resized through the input stream, `stty size` sees it; one
    // input attachment at a time.
    let id = nested_id("tty", &task_cid);
    let resp = session(
        &agent,
        &id,
        json!({"value": "read go; stty size; read done; echo bye"}),
        Some((24, 80)),
    )
    .await;
    assert_eq!(resp.status().as_u16(), 200);
    let mut output = Output::new(resp);
    let (tx, input) = attach_input(&agent, &id);
    tx.send(record(&InputCall::io(ProcessIo::window(40, 120))))
        .unwrap();
    tx.send(stdin(b"go\n")).unwrap();
    let (out, _) = output.read(Some("40 120")).await;
    assert!(out.contains("40 120"), "{out:?}");
    // The first attachment is in place: a second one is refused.
    let (tx2, second) = attach_input(&agent, &id);
    drop(tx2);
    let (status, body) = tokio::time::timeout(DEADLINE, second)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (status, body.as_str()),
        (409, "Multiple input connections are not allowed")
    );
    tx.send(stdin(b"\n")).unwrap();
    let (out, err) = output.read(None).await;
    assert!(out.contains("bye"), "{out:?}");
    assert_eq!(err, "");
    drop(tx);
    let (status, _) = tokio::time::timeout(DEADLINE, input)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status, 200);

    // Closing the session's connection destroys the container.
    let id = nested_id("closed", &task_cid);
    let resp = session(
        &agent,
        &id,
        json!({"value": "echo started; sleep 300"}),
        None,
    )
    .await;
    let mut body = resp.bytes_stream();
    let first = tokio::time::timeout(DEADLINE, body.next()).await.unwrap();
    assert!(first.is_some());
    drop(body);
    let (_, w) = wait_nested(&agent, &id).await;
    assert_eq!(w["wait_nested_container"]["exit_status"], 9, "{w}");

    // Attach to a container without a switchboard.
    let plain = nested_id("plain", &task_cid);
    let (status, _) = call(
        &agent,
        json!({"type": "LAUNCH_NESTED_CONTAINER", "launch_nested_container": {
        "container_id": plain, "command": {"value": "sleep 300"}}}),
    )
    .await;
    assert_eq!(status, 200);
    let r = client()
        .stream_request(Method::POST, api(&agent))
        .header("Content-Type", "application/json")
        .header("Accept", "application/recordio")
        .body(json!({"type": "ATTACH_CONTAINER_OUTPUT", "attach_container_output": {"container_id": plain}}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 500);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tty_task_can_be_attached_through_its_switchboard() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let info = json!({"user": "tester", "name": "tty"});
    let url = Url::parse(&master.url()).unwrap();
    let (s, mut ev, _) = subscribe_json(&client(), &url, info).await.unwrap();
    let offers = next_of(&mut ev, &["OFFERS"]).await;
    let offer = &offers["offers"]["offers"][0];
    let mut task = command_task("shell", "shell", &offer["agent_id"], "sh", res(0.1, 32.0));
    task.container =
        Some(json!({"type": "MESOS", "tty_info": {"window_size": {"rows": 30, "columns": 100}}}));
    s.launch_json(&[offer["id"].clone()], vec![task], 0.0)
        .await
        .unwrap();
    loop {
        let u = next_of(&mut ev, &["UPDATE"]).await;
        let st = &u["update"]["status"];
        s.acknowledge_json(st).await.unwrap();
        if st["state"] == "TASK_RUNNING" {
            break;
        }
    }
    let (_, body) = call(&agent, json!({"type": "GET_CONTAINERS"})).await;
    let v: Value = serde_json::from_str(&body).unwrap();
    let cid = v["get_containers"]["containers"][0]["container_id"].clone();

    let resp = client()
        .stream_request(Method::POST, api(&agent))
        .header("Content-Type", "application/json")
        .header("Accept", "application/recordio")
        .header("Message-Accept", "application/json")
        .body(json!({"type": "ATTACH_CONTAINER_OUTPUT", "attach_container_output": {"container_id": cid}}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "application/recordio");
    let mut output = Output::new(resp);
    let (tx, input) = attach_input(&agent, &cid);
    tx.send(stdin(b"echo $((6 * 7)); stty size\n")).unwrap();
    let (out, err) = output.read(Some("30 100")).await;
    assert!(out.contains("42"), "{out:?}");
    assert_eq!(err, "");
    tx.send(record(&InputCall::io(ProcessIo::window(50, 160))))
        .unwrap();
    tx.send(stdin(b"stty size; exit 3\n")).unwrap();
    let (out, _) = output.read(None).await;
    assert!(out.contains("50 160"), "{out:?}");
    drop(tx);
    let (status, _) = tokio::time::timeout(DEADLINE, input)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status, 200);
    loop {
        let u = next_of(&mut ev, &["UPDATE"]).await;
        let st = &u["update"]["status"];
        s.acknowledge_json(st).await.unwrap();
        if st["state"] == "TASK_FAILED" {
            break;
        }
    }
    // The terminal's output is in the sandbox stdout too.
    let state = crate::common::cluster::get_json(&format!("{}/slave(1)/state", agent.url()));
    let dir = state["completed_frameworks"][0]["completed_executors"][0]["directory"]
        .as_str()
        .or_else(|| state["frameworks"][0]["completed_executors"][0]["directory"].as_str())
        .unwrap()
        .to_string();
    let stdout = std::fs::read_to_string(format!("{dir}/stdout")).unwrap();
    assert!(stdout.contains("50 160"), "{stdout:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_containers_survive_an_agent_restart() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let (_s, _ev, task_cid) = running_task(&master, &agent, "keeper").await;
    let live = nested_id("live", &task_cid);
    let ended = nested_id("ended", &task_cid);
    for (id, cmd) in [(&live, "sleep 300"), (&ended, "read x; exit 5")] {
        let (status, body) = call(
            &agent,
            json!({"type": "LAUNCH_NESTED_CONTAINER", "launch_nested_container": {
            "container_id": id, "command": {"value": cmd}}}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let addr = master.addr();
    let agent = tokio::task::spawn_blocking(move || restart_agent(agent, &addr, &[]))
        .await
        .unwrap();
    // `read` met end of file at once (stdin is /dev/null) and exited 5:
    // the restarted agent still knows its wait status.
    let (status, w) = wait_nested(&agent, &ended).await;
    assert_eq!(status, 200, "{w}");
    assert_eq!(w["wait_nested_container"]["exit_status"], 5 << 8, "{w}");
    // The live one is still there, and can be killed and waited for.
    let (_, body) = call(
        &agent,
        json!({"type": "GET_CONTAINERS", "get_containers": {"show_nested": true}}),
    )
    .await;
    assert!(body.contains(r#""value":"live""#), "{body}");
    let (status, _) = call(
        &agent,
        json!({"type": "KILL_NESTED_CONTAINER", "kill_nested_container": {"container_id": live}}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, w) = wait_nested(&agent, &live).await;
    assert_eq!(status, 200, "{w}");
    assert_eq!(w["wait_nested_container"]["exit_status"], 9, "{w}");
}
