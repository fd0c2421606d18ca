//! Sessions against a fake agent (an in-process HTTP server speaking the
//! agent's container I/O calls): what reaches stdout / stderr, the input
//! records the agent gets, exit codes, and refused calls.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use bytes::Bytes;
use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio::sync::{mpsc, watch};

use super::input::Input;
use super::output::Sinks;
use super::session::{run, Agent, Outcome, Session, Target};
use crate::http::{HttpClient, HttpOptions};
use crate::wire::agent_v1::{CommandInfo, ContainerId};
use crate::wire::process_io::{LaunchContainer, ProcessIo, PROCESS_IO};
use crate::wire::proto::{self, Media};

#[derive(Clone)]
struct Fake {
    /// Every call's JSON (input records included), in arrival order.
    calls: Arc<Mutex<Vec<Value>>>,
    /// Headers of every call, same order.
    headers: Arc<Mutex<Vec<HeaderMap>>>,
    /// Stdin bytes from ATTACH_CONTAINER_INPUT (an empty chunk = EOF).
    stdin_tx: mpsc::UnboundedSender<Vec<u8>>,
    stdin_rx: Arc<Mutex<Option<mpsc::UnboundedReceiver<Vec<u8>>>>>,
    exit: watch::Sender<Option<i32>>,
    /// Answer the session / attach call with this status instead.
    refuse: Option<(StatusCode, &'static str)>,
}

fn record(io: &ProcessIo) -> Bytes {
    Bytes::from(proto::record(Media::Json, PROCESS_IO, io).unwrap())
}

async fn handle(f: Fake, headers: HeaderMap, body: Body) -> Response {
    f.headers.lock().unwrap().push(headers.clone());
    let streaming = headers
        .get("content-type")
        .is_some_and(|v| v == "application/recordio");
    if streaming {
        // ATTACH_CONTAINER_INPUT: records as they come.
        let mut dec = crate::recordio::Decoder::new();
        let mut s = body.into_data_stream();
        while let Some(Ok(chunk)) = s.next().await {
            dec.push(&chunk);
            while let Some(rec) = dec.next_record().unwrap() {
                let v: Value = serde_json::from_slice(&rec).unwrap();
                f.calls.lock().unwrap().push(v.clone());
                let io = &v["attach_container_input"]["process_io"];
                if io["type"] == "DATA" {
                    let p: ProcessIo = serde_json::from_value(io.clone()).unwrap();
                    let _ = f.stdin_tx.send(p.bytes().unwrap());
                }
            }
        }
        return StatusCode::OK.into_response();
    }
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let call: Value = serde_json::from_slice(&bytes).unwrap();
    f.calls.lock().unwrap().push(call.clone());
    match call["type"].as_str().unwrap() {
        "WAIT_CONTAINER" => {
            let mut rx = f.exit.subscribe();
            let st = loop {
                if let Some(st) = *rx.borrow_and_update() {
                    break st;
                }
                rx.changed().await.unwrap();
            };
            axum::Json(json!({"type": "WAIT_CONTAINER", "wait_container": {"exit_status": st}}))
                .into_response()
        }
        kind @ ("LAUNCH_NESTED_CONTAINER_SESSION" | "ATTACH_CONTAINER_OUTPUT") => {
            if let Some((st, text)) = f.refuse {
                return (st, text).into_response();
            }
            let cmd = call["launch_nested_container_session"]["command"]["value"]
                .as_str()
                .unwrap_or("attached")
                .to_string();
            let out: futures_util::stream::BoxStream<'static, Result<Bytes, std::io::Error>> =
                if cmd == "cat" || kind == "ATTACH_CONTAINER_OUTPUT" {
                    // Echo stdin until EOF (empty data or EOT), then exit 0.
                    let rx = f.stdin_rx.lock().unwrap().take().unwrap();
                    let exit = f.exit.clone();
                    futures_util::stream::unfold((rx, exit), |(mut rx, exit)| async move {
                        let b = rx.recv().await?;
                        if b.is_empty() || b == [4] {
                            exit.send_replace(Some(0));
                            return None;
                        }
                        Some((Ok(record(&ProcessIo::data("STDOUT", &b))), (rx, exit)))
                    })
                    .boxed()
                } else {
                    f.exit.send_replace(Some(3 << 8));
                    futures_util::stream::iter(vec![
                        Ok(record(&ProcessIo::data("STDOUT", b"hello\n"))),
                        Ok(record(&ProcessIo::heartbeat(1))),
                        Ok(record(&ProcessIo::data("STDERR", b"oops\n"))),
                    ])
                    .boxed()
                };
            Response::builder()
                .header("content-type", "application/recordio")
                .header("message-content-type", "application/json")
                .body(Body::from_stream(out))
                .unwrap()
        }
        _ => StatusCode::BAD_REQUEST.into_response(),
    }
}

async fn fake(refuse: Option<(StatusCode, &'static str)>) -> (Agent, Fake) {
    let (stdin_tx, stdin_rx) = mpsc::unbounded_channel();
    let f = Fake {
        calls: Arc::default(),
        headers: Arc::default(),
        stdin_tx,
        stdin_rx: Arc::new(Mutex::new(Some(stdin_rx))),
        exit: watch::channel(None).0,
        refuse,
    };
    let state = f.clone();
    let app = Router::new().route(
        "/slave(1)/api/v1",
        post(move |h: HeaderMap, b: Body| handle(state.clone(), h, b)),
    );
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    let http = HttpClient::with_stream_idle(&HttpOptions::default(), None).unwrap();
    let base = format!("http://127.0.0.1:{port}").parse().unwrap();
    (Agent::new(http, &base, Media::Json), f)
}

/// Output captured in memory.
#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn wait_for(cond: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !cond() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "condition not met in time"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn sinks() -> (Sinks, Buf, Buf) {
    let (o, e) = (Buf::default(), Buf::default());
    (
        Sinks {
            out: Box::new(o.clone()),
            err: Box::new(e.clone()),
        },
        o,
        e,
    )
}

fn launch(cmd: &str) -> LaunchContainer {
    LaunchContainer {
        container_id: ContainerId::nested("n1", ContainerId::new("task-c")),
        command: Some(CommandInfo {
            shell: Some(false),
            value: Some(cmd.into()),
            arguments: vec![cmd.into()],
            ..CommandInfo::default()
        }),
        ..LaunchContainer::default()
    }
}

fn session(target: Target, interactive: bool, tty: bool) -> Session {
    Session {
        target,
        interactive,
        tty,
        redraw: false,
        wait_deadline: Duration::from_secs(10),
    }
}

#[tokio::test]
async fn exec_streams_stdout_and_stderr_and_exits_with_the_command_code() {
    let (agent, f) = fake(None).await;
    let (mut sk, out, err) = sinks();
    let (_tx, rx) = mpsc::unbounded_channel();
    let s = session(Target::Launch(Box::new(launch("echo"))), false, false);
    let outcome = run(&agent, &s, rx, &mut sk).await.unwrap();
    assert_eq!(outcome, Outcome::Exited(3));
    assert_eq!(&*out.0.lock().unwrap(), b"hello\n");
    assert_eq!(&*err.0.lock().unwrap(), b"oops\n");
    let calls = f.calls.lock().unwrap().clone();
    assert_eq!(calls[0]["type"], "LAUNCH_NESTED_CONTAINER_SESSION");
    let c = &calls[0]["launch_nested_container_session"]["container_id"];
    assert_eq!(c["parent"]["value"], "task-c");
    assert!(calls.iter().any(|c| c["type"] == "WAIT_CONTAINER"
        && c["wait_container"]["container_id"]["parent"]["value"] == "task-c"));
    let h = &f.headers.lock().unwrap()[0];
    assert_eq!(h["accept"], "application/recordio");
    assert_eq!(h["message-accept"], "application/json");
    assert_eq!(h["content-type"], "application/json");
}

#[tokio::test]
async fn exec_interactive_sends_stdin_and_eof_after_the_container_id() {
    let (agent, f) = fake(None).await;
    let (mut sk, out, _err) = sinks();
    let (tx, rx) = mpsc::unbounded_channel();
    tx.send(Input::Data(b"one\n".to_vec())).unwrap();
    tx.send(Input::Data(b"two\n".to_vec())).unwrap();
    tx.send(Input::Eof).unwrap();
    let s = session(Target::Launch(Box::new(launch("cat"))), true, false);
    let outcome = run(&agent, &s, rx, &mut sk).await.unwrap();
    assert_eq!(outcome, Outcome::Exited(0));
    assert_eq!(&*out.0.lock().unwrap(), b"one\ntwo\n");
    let calls = f.calls.lock().unwrap().clone();
    let inputs: Vec<&Value> = calls
        .iter()
        .filter(|c| c["type"] == "ATTACH_CONTAINER_INPUT")
        .collect();
    assert_eq!(inputs[0]["attach_container_input"]["type"], "CONTAINER_ID");
    assert_eq!(
        inputs[0]["attach_container_input"]["container_id"]["value"],
        "n1"
    );
    let last = inputs.last().unwrap();
    assert_eq!(
        last["attach_container_input"]["process_io"]["data"]["data"],
        ""
    );
    let h = f.headers.lock().unwrap();
    let input_h = h
        .iter()
        .find(|h| {
            h.get("content-type")
                .is_some_and(|v| v == "application/recordio")
        })
        .unwrap();
    assert_eq!(input_h["message-content-type"], "application/json");
}

#[tokio::test]
async fn attach_with_a_tty_redraws_ends_input_with_eot_and_detaches() {
    let (agent, f) = fake(None).await;
    let (mut sk, out, _err) = sinks();
    let (tx, rx) = mpsc::unbounded_channel();
    tx.send(Input::Window(40, 120)).unwrap();
    tx.send(Input::Data(b"x".to_vec())).unwrap();
    let mut s = session(Target::Attach(ContainerId::new("task-c")), true, true);
    s.redraw = true;
    let agent2 = agent.clone();
    let h = tokio::spawn(async move { run(&agent2, &s, rx, &mut sk).await });
    // The echo shows the input went through; then detach.
    wait_for(|| out.0.lock().unwrap().as_slice() == b"x").await;
    tx.send(Input::Detach).unwrap();
    assert_eq!(h.await.unwrap().unwrap(), Outcome::Detached);
    let calls = f.calls.lock().unwrap().clone();
    assert_eq!(calls[0]["type"], "ATTACH_CONTAINER_OUTPUT");
    let windows: Vec<Value> = calls
        .iter()
        .filter_map(|c| {
            let ctl = &c["attach_container_input"]["process_io"]["control"];
            (ctl["type"] == "TTY_INFO").then(|| ctl["tty_info"]["window_size"].clone())
        })
        .collect();
    assert_eq!(
        windows,
        vec![
            json!({"rows": 0, "columns": 0}),
            json!({"rows": 40, "columns": 120})
        ]
    );

    // End of input with a TTY is EOT; the task's exit ends the session.
    let (agent, _f) = fake(None).await;
    let (mut sk, _out, _err) = sinks();
    let (tx, rx) = mpsc::unbounded_channel();
    tx.send(Input::Eof).unwrap();
    let s = session(Target::Attach(ContainerId::new("task-c")), true, true);
    assert_eq!(
        run(&agent, &s, rx, &mut sk).await.unwrap(),
        Outcome::Exited(0)
    );
}

#[tokio::test]
async fn refused_calls_say_what_the_agent_said() {
    let (agent, _f) = fake(Some((
        StatusCode::NOT_IMPLEMENTED,
        "LAUNCH_NESTED_CONTAINER_SESSION is not supported by this agent",
    )))
    .await;
    let (mut sk, _o, _e) = sinks();
    let (_tx, rx) = mpsc::unbounded_channel();
    let s = session(Target::Launch(Box::new(launch("echo"))), false, false);
    let e = run(&agent, &s, rx, &mut sk).await.unwrap_err();
    assert!(
        e.message
            .contains("does not support LAUNCH_NESTED_CONTAINER_SESSION"),
        "{}",
        e.message
    );
    assert_eq!(e.exit_code(), 1);

    let (agent, _f) = fake(Some((
        StatusCode::INTERNAL_SERVER_ERROR,
        "I/O switchboard server was disabled for this container",
    )))
    .await;
    let (_tx, rx) = mpsc::unbounded_channel();
    let s = session(Target::Attach(ContainerId::new("c")), false, true);
    let e = run(&agent, &s, rx, &mut sk).await.unwrap_err();
    assert!(
        e.message.contains("no terminal to attach to"),
        "{}",
        e.message
    );

    let (agent, _f) = fake(Some((StatusCode::BAD_REQUEST, "Unknown parent container"))).await;
    let (_tx, rx) = mpsc::unbounded_channel();
    let s = session(Target::Launch(Box::new(launch("echo"))), false, false);
    let e = run(&agent, &s, rx, &mut sk).await.unwrap_err();
    assert!(
        e.message.ends_with(
            "refused LAUNCH_NESTED_CONTAINER_SESSION (HTTP 400: Unknown parent container)"
        ),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn an_interrupt_ends_the_session_with_its_code() {
    let (agent, _f) = fake(None).await;
    let (mut sk, _o, _e) = sinks();
    let (tx, rx) = mpsc::unbounded_channel();
    tx.send(Input::Interrupt(130)).unwrap();
    let s = session(Target::Launch(Box::new(launch("cat"))), true, false);
    assert_eq!(
        run(&agent, &s, rx, &mut sk).await.unwrap(),
        Outcome::Interrupted(130)
    );
}
