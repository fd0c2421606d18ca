//! `application/x-protobuf` on the v1 APIs of the bundled daemons (real
//! processes), spoken by a scheduler and operator clients built from
//! hand-written `prost` messages (independent of the daemons' codec): the
//! scheduler API (SUBSCRIBE, OFFERS, ACCEPT/LAUNCH, UPDATE + ACKNOWLEDGE,
//! TEARDOWN), operator GET_STATE on master and agent against the JSON
//! answer, operator SUBSCRIBE, `protoc --decode_raw` agreeing with a
//! record, and `mesos execute` with `MESOS_WIRE=protobuf`.

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::Duration;

use futures_util::StreamExt as _;
use prost::Message;
use serde_json::{json, Value};

use crate::common::cluster::{start_agent, start_master, Daemon};
use crate::common::daemons::request;
use crate::common::{wait_until, TestEnv};

const DEADLINE: Duration = Duration::from_secs(60);
const PB: &str = "application/x-protobuf";

mod agent;
mod executor;
mod messages;
mod operator;
use messages::*;

// --- plumbing ----------------------------------------------------------------

fn client() -> reqwest::Client {
    mesos::http::install_crypto_provider();
    reqwest::Client::builder().build().unwrap()
}

/// A RecordIO stream of protobuf records.
struct Records {
    body: std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    decoder: mesos::recordio::Decoder,
}

impl Records {
    fn of(resp: reqwest::Response) -> Records {
        Records {
            body: Box::pin(resp.bytes_stream()),
            decoder: mesos::recordio::Decoder::new(),
        }
    }

    async fn next_raw(&mut self) -> Vec<u8> {
        tokio::time::timeout(DEADLINE, async {
            loop {
                if let Some(r) = self.decoder.next_record().unwrap() {
                    return r;
                }
                let chunk = self.body.next().await.expect("stream open").unwrap();
                self.decoder.push(&chunk);
            }
        })
        .await
        .expect("a record within the deadline")
    }

    /// The next record of type `ty` (others skipped).
    async fn next_of<M: Message + Default>(&mut self, ty: i32, type_of: fn(&M) -> i32) -> M {
        loop {
            let raw = self.next_raw().await;
            let m = M::decode(&raw[..]).expect("a protobuf record");
            if type_of(&m) == ty {
                return m;
            }
        }
    }
}

fn event_type(e: &Event) -> i32 {
    e.r#type.unwrap_or(0)
}

fn operator_event_type(e: &OperatorEvent) -> i32 {
    e.r#type.unwrap_or(0)
}

/// What `protoc --decode_raw` makes of `bytes`.
fn decode_raw(bytes: &[u8]) -> String {
    let mut child = Command::new("protoc")
        .arg("--decode_raw")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("protoc runs (protobuf-compiler is a test prerequisite)");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json_call(d: &Daemon, path: &str, call: Value) -> Value {
    let r = request(
        &d.addr(),
        "POST",
        path,
        &[("Content-Type", "application/json")],
        call.to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

fn protobuf_call(d: &Daemon, path: &str, ty: i32) -> Vec<u8> {
    let body = OperatorCall { r#type: Some(ty) }.encode_to_vec();
    let r = request(
        &d.addr(),
        "POST",
        path,
        &[("Content-Type", PB), ("Accept", PB)],
        &body,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some(PB));
    r.body
}

fn ids_states(tasks: &[Task]) -> Vec<(String, &'static str)> {
    let mut v: Vec<_> = tasks
        .iter()
        .map(|t| {
            (
                t.task_id.clone().unwrap_or_default().value,
                state_name(t.state.unwrap_or(-1)),
            )
        })
        .collect();
    v.sort();
    v
}

fn json_ids_states(tasks: &Value) -> Vec<(String, &'static str)> {
    let mut v: Vec<_> = tasks
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|t| {
            let s = t["state"].as_str().unwrap_or("");
            let name = [0, 1, 2, 3, 4, 6]
                .into_iter()
                .map(state_name)
                .find(|n| *n == s)
                .unwrap_or("other");
            (
                t["task_id"]["value"].as_str().unwrap_or("").to_string(),
                name,
            )
        })
        .collect();
    v.sort();
    v
}

// --- the tests ---------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_protobuf_scheduler_runs_a_task_that_protobuf_operators_see() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let http = client();

    // Operator SUBSCRIBE in protobuf, before the framework exists.
    let op = http
        .post(format!("{}/api/v1", master.url()))
        .header("Content-Type", PB)
        .header("Accept", PB)
        .body(OperatorCall { r#type: Some(18) }.encode_to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(op.status(), 200);
    assert_eq!(op.headers()["content-type"], PB);
    let mut op = Records::of(op);
    let first: OperatorEvent = op.next_of(1, operator_event_type).await;
    let snapshot = first
        .subscribed
        .and_then(|s| s.get_state)
        .unwrap_or_default();
    assert_eq!(
        snapshot.get_agents.unwrap_or_default().agents.len(),
        1,
        "the SUBSCRIBED snapshot has the agent"
    );

    // SUBSCRIBE.
    let sched = format!("{}/api/v1/scheduler", master.url());
    let subscribe = Call {
        r#type: Some(SUBSCRIBE),
        subscribe: Some(Subscribe {
            framework_info: Some(FrameworkInfo {
                user: "root".into(),
                name: "protobuf-test".into(),
                id: None,
            }),
        }),
        ..Call::default()
    };
    let resp = http
        .post(&sched)
        .header("Content-Type", PB)
        .header("Accept", PB)
        .body(subscribe.encode_to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], PB);
    let stream_id = resp.headers()["mesos-stream-id"]
        .to_str()
        .unwrap()
        .to_string();
    let mut events = Records::of(resp);
    let raw = events.next_raw().await;
    let subscribed = Event::decode(&raw[..]).unwrap();
    assert_eq!(event_type(&subscribed), SUBSCRIBED);
    let s = subscribed.subscribed.unwrap();
    let fid = s.framework_id.unwrap().value;
    assert!(!fid.is_empty());
    assert_eq!(s.heartbeat_interval_seconds, Some(15.0));
    // protoc agrees: type 1, subscribed {framework_id {value: fid}}.
    let text = decode_raw(&raw);
    assert!(text.lines().any(|l| l == "1: 1"), "{text}");
    assert!(text.lines().any(|l| l == "2 {"), "{text}");
    assert!(text.contains(&format!("1: \"{fid}\"")), "{text}");

    let call = |c: Call| {
        let http = http.clone();
        let sched = sched.clone();
        let stream_id = stream_id.clone();
        async move {
            let r = http
                .post(&sched)
                .header("Content-Type", PB)
                .header("Accept", PB)
                .header("Mesos-Stream-Id", stream_id)
                .body(c.encode_to_vec())
                .send()
                .await
                .unwrap();
            let status = r.status();
            assert!(
                status == 202 || status == 200,
                "{status}: {}",
                r.text().await.unwrap_or_default()
            );
        }
    };

    // OFFERS -> ACCEPT with LAUNCH.
    let offers: Event = events.next_of(OFFERS, event_type).await;
    let offer = offers.offers.unwrap().offers.remove(0);
    assert!(offer
        .resources
        .iter()
        .any(|r| r.name == "cpus" && r.scalar.as_ref().is_some_and(|s| s.value > 0.0)));
    let agent_id = offer.agent_id.clone().unwrap();
    let task = TaskInfo {
        name: "pb".into(),
        task_id: Some(id("pb-task")),
        agent_id: Some(agent_id.clone()),
        resources: vec![
            Resource {
                name: "cpus".into(),
                r#type: Some(0),
                scalar: Some(Scalar { value: 0.1 }),
            },
            Resource {
                name: "mem".into(),
                r#type: Some(0),
                scalar: Some(Scalar { value: 32.0 }),
            },
        ],
        command: Some(CommandInfo {
            value: Some("echo protobuf".into()),
            shell: Some(true),
        }),
    };
    call(Call {
        framework_id: Some(id(&fid)),
        r#type: Some(ACCEPT),
        accept: Some(Accept {
            offer_ids: vec![offer.id.clone().unwrap()],
            operations: vec![Operation {
                r#type: Some(LAUNCH),
                launch: Some(Launch {
                    task_infos: vec![task],
                }),
            }],
        }),
        ..Call::default()
    })
    .await;

    // The operator stream sees the task.
    let added: OperatorEvent = op.next_of(2, operator_event_type).await;
    let t = added.task_added.unwrap().task.unwrap();
    assert_eq!(t.task_id.unwrap().value, "pb-task");
    assert_eq!(t.framework_id.unwrap().value, fid);

    // UPDATEs, each acknowledged, until FINISHED.
    let mut seen = Vec::new();
    loop {
        let u: Event = events.next_of(UPDATE, event_type).await;
        let st = u.update.unwrap().status.unwrap();
        let state = st.state.unwrap_or(TASK_STARTING);
        assert_eq!(st.task_id.clone().unwrap().value, "pb-task");
        seen.push(state_name(state));
        if let Some(uuid) = st.uuid.clone() {
            call(Call {
                framework_id: Some(id(&fid)),
                r#type: Some(ACKNOWLEDGE),
                acknowledge: Some(Acknowledge {
                    agent_id: Some(agent_id.clone()),
                    task_id: st.task_id.clone(),
                    uuid,
                }),
                ..Call::default()
            })
            .await;
        }
        if state == TASK_FINISHED {
            break;
        }
        assert!(seen.len() < 10, "{seen:?}");
    }
    assert!(seen.contains(&state_name(TASK_RUNNING)), "{seen:?}");

    // Operator GET_STATE in protobuf says what the JSON answer says.
    let wait_acked = || {
        let s = json_call(&master, "/api/v1", json!({"type": "GET_TASKS"}));
        s["get_tasks"]["tasks"]
            .as_array()
            .map(|a| a.iter().all(|t| t.get("status_update_uuid").is_none()))
            .unwrap_or(true)
    };
    wait_until(DEADLINE, "the updates acknowledged", wait_acked);
    let pb = MasterResponse::decode(&protobuf_call(&master, "/api/v1", 9)[..]).unwrap();
    let js = json_call(&master, "/api/v1", json!({"type": "GET_STATE"}));
    assert_eq!(pb.r#type, Some(8), "Response.Type GET_STATE");
    let st = pb.get_state.unwrap();
    let tasks = st.get_tasks.unwrap_or_default();
    let jt = &js["get_state"]["get_tasks"];
    assert_eq!(ids_states(&tasks.tasks), json_ids_states(&jt["tasks"]));
    assert_eq!(
        ids_states(&tasks.completed_tasks),
        json_ids_states(&jt["completed_tasks"])
    );
    assert_eq!(
        ids_states(&[tasks.tasks, tasks.completed_tasks].concat()),
        vec![("pb-task".to_string(), "TASK_FINISHED")]
    );
    let fws = st.get_frameworks.unwrap_or_default();
    assert_eq!(
        fws.frameworks.len(),
        js["get_state"]["get_frameworks"]["frameworks"]
            .as_array()
            .unwrap()
            .len()
    );
    assert_eq!(
        fws.frameworks[0]
            .framework_info
            .as_ref()
            .unwrap()
            .id
            .as_ref()
            .unwrap()
            .value,
        fid
    );
    let agents = st.get_agents.unwrap_or_default().agents;
    assert_eq!(agents.len(), 1);
    assert_eq!(
        agents[0]
            .agent_info
            .as_ref()
            .unwrap()
            .id
            .as_ref()
            .unwrap()
            .value,
        js["get_state"]["get_agents"]["agents"][0]["agent_info"]["id"]["value"]
            .as_str()
            .unwrap()
    );

    // The agent's GET_STATE too.
    let pb = AgentResponse::decode(&protobuf_call(&agent, "/api/v1", 9)[..]).unwrap();
    let js = json_call(&agent, "/api/v1", json!({"type": "GET_STATE"}));
    assert_eq!(pb.r#type, Some(8));
    let st = pb.get_state.unwrap();
    let tasks = st.get_tasks.unwrap_or_default();
    let jt = &js["get_state"]["get_tasks"];
    for (mine, key) in [
        (&tasks.launched_tasks, "launched_tasks"),
        (&tasks.terminated_tasks, "terminated_tasks"),
        (&tasks.completed_tasks, "completed_tasks"),
    ] {
        assert_eq!(ids_states(mine), json_ids_states(&jt[key]), "{key}");
    }
    assert!(
        [tasks.terminated_tasks, tasks.completed_tasks]
            .concat()
            .iter()
            .any(|t| t.task_id.as_ref().unwrap().value == "pb-task"),
        "{jt}"
    );
    let fws = st.get_frameworks.unwrap_or_default();
    assert_eq!(
        fws.frameworks.len() + fws.completed_frameworks.len(),
        js["get_state"]["get_frameworks"]["frameworks"]
            .as_array()
            .map_or(0, Vec::len)
            + js["get_state"]["get_frameworks"]["completed_frameworks"]
                .as_array()
                .map_or(0, Vec::len)
    );

    // TEARDOWN.
    call(Call {
        framework_id: Some(id(&fid)),
        r#type: Some(TEARDOWN),
        ..Call::default()
    })
    .await;
    wait_until(DEADLINE, "the framework torn down", || {
        let s = json_call(&master, "/api/v1", json!({"type": "GET_FRAMEWORKS"}));
        s["get_frameworks"]["frameworks"]
            .as_array()
            .is_none_or(|a| a.is_empty())
    });
    assert!(master
        .log()
        .contains(&format!("Framework {fid} speaks application/x-protobuf")));
}

#[test]
fn bad_protobuf_is_a_400_naming_the_message() {
    let master = start_master(&[]);
    let r = request(
        &master.addr(),
        "POST",
        "/api/v1/scheduler",
        &[("Content-Type", PB), ("Accept", PB)],
        &[0x0a, 0x7f, 0x01],
    );
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(
        r.text()
            .starts_with("Failed to parse body into Call protobuf: Failed to parse mesos.v1.scheduler.Call protobuf"),
        "{}",
        r.text()
    );
    // Neither JSON nor protobuf acceptable.
    let r = request(
        &master.addr(),
        "POST",
        "/api/v1",
        &[("Content-Type", PB), ("Accept", "text/html")],
        &OperatorCall { r#type: Some(1) }.encode_to_vec(),
    );
    assert_eq!(r.status, 406, "{}", r.text());
    // JSON wins when both are acceptable.
    let r = request(
        &master.addr(),
        "POST",
        "/api/v1",
        &[
            ("Content-Type", PB),
            ("Accept", "application/x-protobuf, application/json"),
        ],
        &OperatorCall { r#type: Some(1) }.encode_to_vec(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["get_health"]["healthy"], true);
}

#[test]
fn mesos_execute_speaks_protobuf_with_mesos_wire() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new().env("MESOS_WIRE", "protobuf");
    let addr = master.addr();
    let r = env.run(&[
        "execute",
        "--master",
        &addr,
        "--name",
        "pbexec",
        "--command",
        "echo over protobuf",
        "--follow",
    ]);
    r.assert_ok();
    assert_eq!(r.stdout, "over protobuf\n", "stderr:\n{}", r.stderr);
    assert!(
        r.stderr.contains("task pbexec: TASK_FINISHED"),
        "{}",
        r.stderr
    );
    assert!(
        master.log().contains("speaks application/x-protobuf"),
        "the master saw no protobuf subscription:\n{}",
        master.log()
    );
    // The flag says the same; a bad value is a usage error.
    let r = TestEnv::new().run(&["execute", "--wire", "xml", "--command", "true"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn mesos_events_speaks_protobuf_with_the_wire_flag() {
    use std::io::BufRead as _;
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new().env("MESOS_MASTER", &master.addr());
    let mut child = env
        .command(&["events", "--wire", "protobuf"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let first = rx.recv_timeout(DEADLINE).expect("a SUBSCRIBED line");
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.contains("SUBSCRIBED") && first.contains("agents=1"),
        "{first}"
    );
    assert!(
        master
            .log()
            .contains("Added an operator API subscriber (application/x-protobuf)"),
        "{}",
        master.log()
    );
}
