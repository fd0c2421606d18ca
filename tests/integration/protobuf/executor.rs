//! The v1 executor API in `application/x-protobuf`, end to end: a JSON
//! scheduler launches a task with a custom executor whose command runs
//! this test binary again as the executor ([`protobuf_executor_process`]),
//! which speaks protobuf only, with hand-written `prost` messages (not the
//! daemons' codec): SUBSCRIBE -> SUBSCRIBED and LAUNCH as RecordIO
//! protobuf records, UPDATE TASK_RUNNING -> ACKNOWLEDGED, UPDATE
//! TASK_FINISHED. What the executor decoded travels back in the status
//! messages the scheduler sees.

use std::time::Duration;

use futures_util::StreamExt as _;
use prost::Message;
use serde_json::{json, Value};

use crate::common::cluster::{start_agent, start_master, Daemon};
use crate::common::sched::{subscribe_json, typed, Events, JsonCalls, Scheduler};
use mesos::http::{HttpClient, HttpOptions};

const DEADLINE: Duration = Duration::from_secs(60);
const PB: &str = "application/x-protobuf";
/// Set in the executor's command: this process is the executor.
const EXECUTOR_MODE: &str = "MESOS_TEST_PROTOBUF_EXECUTOR";
const FRAMEWORK_NAME: &str = "protobuf-executor-e2e";

// --- mesos.v1.executor, hand-written (field numbers of Mesos 1.x) ------------

#[derive(Clone, PartialEq, Message)]
struct Id {
    #[prost(string, tag = "1")]
    value: String,
}

fn id(v: &str) -> Id {
    Id { value: v.into() }
}

#[derive(Clone, PartialEq, Message)]
struct TaskStatus {
    #[prost(message, optional, tag = "1")]
    task_id: Option<Id>,
    #[prost(int32, optional, tag = "2")]
    state: Option<i32>,
    #[prost(string, optional, tag = "4")]
    message: Option<String>,
    #[prost(message, optional, tag = "7")]
    executor_id: Option<Id>,
    #[prost(int32, optional, tag = "9")]
    source: Option<i32>,
    #[prost(bytes = "vec", optional, tag = "11")]
    uuid: Option<Vec<u8>>,
}

#[derive(Clone, PartialEq, Message)]
struct Subscribe {}

#[derive(Clone, PartialEq, Message)]
struct Update {
    #[prost(message, optional, tag = "1")]
    status: Option<TaskStatus>,
}

#[derive(Clone, PartialEq, Message)]
struct Call {
    #[prost(message, optional, tag = "1")]
    executor_id: Option<Id>,
    #[prost(message, optional, tag = "2")]
    framework_id: Option<Id>,
    #[prost(int32, optional, tag = "3")]
    r#type: Option<i32>,
    #[prost(message, optional, tag = "4")]
    subscribe: Option<Subscribe>,
    #[prost(message, optional, tag = "5")]
    update: Option<Update>,
}

#[derive(Clone, PartialEq, Message)]
struct FrameworkInfo {
    #[prost(string, tag = "1")]
    user: String,
    #[prost(string, tag = "2")]
    name: String,
}

#[derive(Clone, PartialEq, Message)]
struct AgentInfo {
    #[prost(string, tag = "1")]
    hostname: String,
    #[prost(message, optional, tag = "6")]
    id: Option<Id>,
}

#[derive(Clone, PartialEq, Message)]
struct ExecutorInfo {
    #[prost(message, optional, tag = "1")]
    executor_id: Option<Id>,
}

#[derive(Clone, PartialEq, Message)]
struct Subscribed {
    #[prost(message, optional, tag = "1")]
    executor_info: Option<ExecutorInfo>,
    #[prost(message, optional, tag = "2")]
    framework_info: Option<FrameworkInfo>,
    #[prost(message, optional, tag = "3")]
    agent_info: Option<AgentInfo>,
}

#[derive(Clone, PartialEq, Message)]
struct TaskInfo {
    #[prost(string, tag = "1")]
    name: String,
    #[prost(message, optional, tag = "2")]
    task_id: Option<Id>,
}

#[derive(Clone, PartialEq, Message)]
struct Launch {
    #[prost(message, optional, tag = "1")]
    task: Option<TaskInfo>,
}

#[derive(Clone, PartialEq, Message)]
struct Acknowledged {
    #[prost(message, optional, tag = "1")]
    task_id: Option<Id>,
    #[prost(bytes = "vec", tag = "2")]
    uuid: Vec<u8>,
}

#[derive(Clone, PartialEq, Message)]
struct Event {
    #[prost(int32, optional, tag = "1")]
    r#type: Option<i32>,
    #[prost(message, optional, tag = "2")]
    subscribed: Option<Subscribed>,
    #[prost(message, optional, tag = "3")]
    acknowledged: Option<Acknowledged>,
    #[prost(message, optional, tag = "4")]
    launch: Option<Launch>,
}

const SUBSCRIBE: i32 = 1;
const UPDATE: i32 = 2;
const SUBSCRIBED: i32 = 1;
const LAUNCH: i32 = 2;
const ACKNOWLEDGED: i32 = 4;
const TASK_RUNNING: i32 = 1;
const TASK_FINISHED: i32 = 2;
const SOURCE_EXECUTOR: i32 = 2;

// --- the executor ------------------------------------------------------------------

/// The executor's event stream: RecordIO of protobuf `Event`s.
struct Stream {
    body: std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    decoder: mesos::recordio::Decoder,
}

impl Stream {
    /// The next event of `ty` (HEARTBEATs and others skipped).
    async fn next_of(&mut self, ty: i32) -> Event {
        loop {
            let record = loop {
                if let Some(r) = self.decoder.next_record().unwrap() {
                    break r;
                }
                let chunk = self
                    .body
                    .next()
                    .await
                    .expect("the event stream stays open")
                    .unwrap();
                self.decoder.push(&chunk);
            };
            let e = Event::decode(&record[..]).expect("a protobuf Event record");
            if e.r#type == Some(ty) {
                return e;
            }
        }
    }
}

struct Executor {
    http: reqwest::Client,
    url: String,
    fid: String,
    eid: String,
}

impl Executor {
    async fn post(&self, call: Call) -> reqwest::Response {
        self.http
            .post(&self.url)
            .header("Content-Type", PB)
            .header("Accept", PB)
            .body(call.encode_to_vec())
            .send()
            .await
            .expect("the agent answers")
    }

    fn call(&self, ty: i32) -> Call {
        Call {
            executor_id: Some(id(&self.eid)),
            framework_id: Some(id(&self.fid)),
            r#type: Some(ty),
            ..Default::default()
        }
    }

    /// UPDATE `state` of `task` with `message`; waits for its ACKNOWLEDGED.
    async fn update(&self, events: &mut Stream, task: &str, state: i32, message: String) {
        let uuid = uuid::Uuid::new_v4().as_bytes().to_vec();
        let mut call = self.call(UPDATE);
        call.update = Some(Update {
            status: Some(TaskStatus {
                task_id: Some(id(task)),
                state: Some(state),
                message: Some(message),
                executor_id: Some(id(&self.eid)),
                source: Some(SOURCE_EXECUTOR),
                uuid: Some(uuid.clone()),
            }),
        });
        let r = self.post(call).await;
        assert_eq!(r.status().as_u16(), 202, "{:?}", r.text().await);
        let ack = events.next_of(ACKNOWLEDGED).await.acknowledged.unwrap();
        assert_eq!(ack.uuid, uuid, "ACKNOWLEDGED names the update's uuid");
        assert_eq!(ack.task_id, Some(id(task)));
    }
}

/// Not a test of its own: the executor process of
/// [`a_protobuf_executor_subscribes_updates_and_is_acknowledged`], started
/// by the agent with [`EXECUTOR_MODE`] set (this binary, filtered to this
/// function).
#[test]
#[ignore = "the executor process of a_protobuf_executor_subscribes_updates_and_is_acknowledged"]
fn protobuf_executor_process() {
    // Only the agent runs this (with EXECUTOR_MODE set); a run of the
    // ignored tests (`--include-ignored`) has nothing to do here.
    if std::env::var_os(EXECUTOR_MODE).is_none() {
        eprintln!("not an executor run ({EXECUTOR_MODE} unset): nothing to do");
        return;
    }
    let env = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{k} is set by the agent"));
    let endpoint = env("MESOS_AGENT_ENDPOINT");
    let base = if endpoint.contains("://") {
        endpoint
    } else {
        format!("http://{endpoint}")
    };
    mesos::http::install_crypto_provider();
    let exec = Executor {
        http: reqwest::Client::new(),
        url: format!("{}/api/v1/executor", base.trim_end_matches('/')),
        fid: env("MESOS_FRAMEWORK_ID"),
        eid: env("MESOS_EXECUTOR_ID"),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let exchange = async move {
        let mut call = exec.call(SUBSCRIBE);
        call.subscribe = Some(Subscribe {});
        let r = exec.post(call).await;
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(
            r.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some(PB)
        );
        let mut events = Stream {
            body: Box::pin(r.bytes_stream()),
            decoder: mesos::recordio::Decoder::new(),
        };
        let sub = events.next_of(SUBSCRIBED).await.subscribed.unwrap();
        let framework = sub.framework_info.unwrap_or_default().name;
        let agent = sub.agent_info.unwrap_or_default();
        let own = sub.executor_info.and_then(|e| e.executor_id);
        let task = events
            .next_of(LAUNCH)
            .await
            .launch
            .and_then(|l| l.task)
            .expect("LAUNCH carries the task");
        let tid = task.task_id.unwrap().value;
        let seen = format!(
            "subscribed: framework {framework}, agent {}, executor {}, task {}",
            agent.id.map(|i| i.value).unwrap_or_default(),
            own.map(|i| i.value).unwrap_or_default(),
            task.name
        );
        exec.update(&mut events, &tid, TASK_RUNNING, seen).await;
        exec.update(
            &mut events,
            &tid,
            TASK_FINISHED,
            "TASK_RUNNING was acknowledged".into(),
        )
        .await;
    };
    rt.block_on(async { tokio::time::timeout(DEADLINE, exchange).await })
        .expect("the executor's exchange within the deadline");
}

// --- the scheduler side --------------------------------------------------------------

fn scalar(name: &str, v: f64) -> Value {
    json!({"name": name, "type": "SCALAR", "scalar": {"value": v}})
}

/// The `stderr` files of the sandboxes under the agent's work dir.
fn sandbox_stderr(agent: &Daemon) -> String {
    fn walk(dir: &std::path::Path, out: &mut String) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.file_name().is_some_and(|n| n == "stderr") {
                out.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
            }
        }
    }
    let mut out = String::new();
    walk(&agent.work_dir(), &mut out);
    out
}

/// The next UPDATE of `tid` in `state` (every status acknowledged); a
/// terminal state other than `state` fails at once, with the executor's
/// stderr.
async fn wait_update(
    s: &Scheduler,
    ev: &mut Events,
    agent: &Daemon,
    tid: &str,
    state: &str,
) -> Value {
    tokio::time::timeout(DEADLINE, async {
        loop {
            let e = ev.next_json().await.unwrap().expect("stream open");
            if e["type"] != "UPDATE" {
                continue;
            }
            let st = e["update"]["status"].clone();
            if st.get("uuid").is_some() && st["agent_id"]["value"] != "" {
                s.acknowledge_json(&st).await.unwrap();
            }
            if st["task_id"]["value"] == tid && st["state"] == state {
                return st;
            }
            let terminal = ["TASK_FAILED", "TASK_LOST", "TASK_ERROR", "TASK_KILLED"];
            if st["task_id"]["value"] == tid
                && terminal.contains(&st["state"].as_str().unwrap_or(""))
            {
                panic!(
                    "{tid} ended {} waiting for {state}: {st}\nexecutor stderr:\n{}",
                    st["state"],
                    sandbox_stderr(agent)
                );
            }
        }
    })
    .await
    .unwrap_or_else(|_| {
        panic!(
            "no {state} for {tid} within {DEADLINE:?}; agent log:\n{}",
            agent.log()
        )
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_protobuf_executor_subscribes_updates_and_is_acknowledged() {
    let master = tokio::task::block_in_place(|| start_master(&[]));
    let agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let url = reqwest::Url::parse(&master.url()).unwrap();
    let http = HttpClient::new(&HttpOptions::default()).unwrap();
    let info = json!({"user": "tester", "name": FRAMEWORK_NAME});
    let (s, mut ev, _) = subscribe_json(&http, &url, info).await.unwrap();
    let offer = tokio::time::timeout(DEADLINE, async {
        loop {
            let e = ev.next_json().await.unwrap().expect("stream open");
            if e["type"] == "OFFERS" {
                return e["offers"]["offers"][0].clone();
            }
        }
    })
    .await
    .expect("an offer");
    let agent_id = offer["agent_id"].clone();
    let exe = std::env::current_exe().unwrap();
    let command = format!(
        "{EXECUTOR_MODE}=1 exec '{}' protobuf::executor::protobuf_executor_process \
         --exact --ignored --nocapture --test-threads=1",
        exe.display()
    );
    let task = json!({
        "name": "pb-task",
        "task_id": {"value": "pb-1"},
        "agent_id": agent_id,
        "resources": [scalar("cpus", 0.1), scalar("mem", 32.0)],
        "executor": {
            "type": "CUSTOM",
            "executor_id": {"value": "pb-exec"},
            "framework_id": {"value": s.framework_id},
            "name": "protobuf test executor",
            "command": {"value": command, "shell": true},
            "resources": [scalar("cpus", 0.1), scalar("mem", 32.0)],
        },
    });
    s.launch_json(&[offer["id"].clone()], vec![typed(&task)], 0.0)
        .await
        .unwrap();
    let running = wait_update(&s, &mut ev, &agent, "pb-1", "TASK_RUNNING").await;
    assert_eq!(
        running["message"],
        format!(
            "subscribed: framework {FRAMEWORK_NAME}, agent {}, executor pb-exec, task pb-task",
            agent_id["value"].as_str().unwrap()
        ),
        "what the executor decoded from SUBSCRIBED and LAUNCH: {running}"
    );
    assert_eq!(running["source"], "SOURCE_EXECUTOR", "{running}");
    assert_eq!(running["executor_id"]["value"], "pb-exec", "{running}");
    let finished = wait_update(&s, &mut ev, &agent, "pb-1", "TASK_FINISHED").await;
    assert_eq!(
        finished["message"], "TASK_RUNNING was acknowledged",
        "{finished}"
    );
}
