//! The master side of custom executors and task groups: a real master
//! process, a v1 scheduler, and a stub agent (a test HTTP server registered
//! through the internal protocol) that records what the master sends it and
//! plays the agent's part (status updates, executor messages and exits).

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::cluster::{get_json, start_master, Daemon};
use crate::common::daemons::request;
use crate::common::http::{Answer, TestServer};
use crate::common::sched::{next_of, res, subscribe_json, Events, JsonCalls, Scheduler};
use crate::common::wait_until;
use mesos::http::{HttpClient, HttpOptions};

const DEADLINE: Duration = Duration::from_secs(60);

/// A stub agent registered with `master`: its server, id and session token.
struct StubAgent {
    server: TestServer,
    id: String,
    token: String,
}

impl StubAgent {
    fn register(master: &Daemon) -> StubAgent {
        let server = TestServer::start();
        for p in [
            "run_task",
            "run_task_group",
            "kill_task",
            "acknowledge",
            "shutdown_framework",
            "framework_message",
            "shutdown_executor",
        ] {
            server.route(&format!("/slave(1)/internal/{p}"), Answer::status(202, ""));
        }
        let scalar = |n: &str, v: f64| json!({"name": n, "type": "SCALAR", "scalar": {"value": v}});
        let reg = json!({
            "hostname": "stub", "ip": "127.0.0.1", "port": server.port,
            "resources": [scalar("cpus", 2.0), scalar("mem", 1024.0), scalar("disk", 1024.0)],
            "attributes": [], "version": "1.11.0"
        });
        let r = request(
            &master.addr(),
            "POST",
            "/master/internal/register",
            &[("Content-Type", "application/json")],
            reg.to_string().as_bytes(),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        StubAgent {
            server,
            id: v["agent_id"].as_str().unwrap().to_string(),
            token: v["session_token"].as_str().unwrap().to_string(),
        }
    }

    /// POST an internal call to the master as this agent (`token` false:
    /// without the session token).
    fn post(&self, master: &Daemon, path: &str, body: &Value, token: bool) -> u16 {
        let bearer = format!("Bearer {}", self.token);
        let mut headers = vec![("Content-Type", "application/json")];
        if token {
            headers.push(("Authorization", bearer.as_str()));
        }
        let r = request(
            &master.addr(),
            "POST",
            path,
            &headers,
            body.to_string().as_bytes(),
        );
        r.status
    }

    /// Bodies the master posted to `/slave(1)/internal/<name>`, waiting
    /// for at least `n`.
    fn received(&self, name: &str, n: usize) -> Vec<Value> {
        let path = format!("/slave(1)/internal/{name}");
        wait_until(DEADLINE, &format!("{n} call(s) to {path}"), || {
            self.server.requests_to(&path).len() >= n
        });
        self.server
            .requests_to(&path)
            .iter()
            .map(|r| r.json())
            .collect()
    }

    /// A status update of a task, as the agent sends it.
    fn update(&self, master: &Daemon, fid: &str, tid: &str, state: &str, uuid: &str) {
        let body = json!({"agent_id": self.id, "framework_id": fid, "status": {
            "task_id": {"value": tid}, "state": state, "source": "SOURCE_EXECUTOR",
            "uuid": uuid, "agent_id": {"value": self.id}, "timestamp": 1.0}});
        let code = self.post(master, "/master/internal/status_update", &body, true);
        assert_eq!(code, 202);
    }
}

fn client() -> HttpClient {
    HttpClient::new(&HttpOptions::default()).unwrap()
}

fn state(master: &Daemon) -> Value {
    tokio::task::block_in_place(|| get_json(&format!("{}/master/state", master.url())))
}

fn used_cpus(master: &Daemon) -> f64 {
    state(master)["slaves"][0]["used_resources"]["cpus"]
        .as_f64()
        .unwrap()
}

async fn subscribe(master: &Daemon) -> (Scheduler, Events, String) {
    let url = reqwest::Url::parse(&master.url()).unwrap();
    let info = json!({"user": "tester", "name": "executors"});
    let (s, ev, sub) = subscribe_json(&client(), &url, info).await.unwrap();
    let fid = sub["subscribed"]["framework_id"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    (s, ev, fid)
}

fn scalars(cpus: f64, mem: f64, disk: f64) -> Vec<Value> {
    let mut r = res(cpus, mem);
    r.push(json!({"name": "disk", "type": "SCALAR", "scalar": {"value": disk}}));
    r
}

fn executor(id: &str, cmd: &str) -> Value {
    json!({"executor_id": {"value": id}, "command": {"value": cmd}, "resources": res(0.5, 64.0)})
}

fn executor_task(id: &str, agent: &str, executor: Value) -> Value {
    json!({"name": id, "task_id": {"value": id}, "agent_id": {"value": agent},
        "resources": res(0.25, 32.0), "executor": executor})
}

async fn accept(s: &Scheduler, offer: &Value, operations: Vec<Value>) {
    s.call_json(json!({"type": "ACCEPT", "accept": {
        "offer_ids": [offer["id"]], "operations": operations,
        "filters": {"refuse_seconds": 0.0}}}))
        .await
        .unwrap();
}

async fn next_offer(ev: &mut Events) -> Value {
    next_of(ev, &["OFFERS"]).await["offers"]["offers"][0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_executor_tasks_are_launched_accounted_and_their_executor_relayed() {
    let master = start_master(&[]);
    let agent = tokio::task::block_in_place(|| StubAgent::register(&master));
    let (s, mut ev, fid) = subscribe(&master).await;
    let offer = next_offer(&mut ev).await;
    assert_eq!(offer["agent_id"]["value"], agent.id.as_str());
    assert!(offer.get("executor_ids").is_none(), "{offer}");

    // Two tasks on one new executor, in one ACCEPT.
    let e1 = executor("e1", "./my-executor");
    let launch = json!({"type": "LAUNCH", "launch": {"task_infos": [
        executor_task("t1", &agent.id, e1.clone()),
        executor_task("t2", &agent.id, e1.clone())]}});
    accept(&s, &offer, vec![launch]).await;
    let runs = tokio::task::block_in_place(|| agent.received("run_task", 2));
    for r in &runs {
        let e = &r["task"]["executor"];
        assert_eq!(e["executor_id"]["value"], "e1", "{r}");
        assert_eq!(e["framework_id"]["value"], fid.as_str(), "{r}");
        assert_eq!(e["command"]["value"], "./my-executor", "{r}");
        assert!(r["task"].get("command").is_none(), "{r}");
    }
    // The executor's resources count once: 0.5 + 2 x 0.25.
    assert_eq!(used_cpus(&master), 1.0);
    let st = state(&master);
    let fw = &st["frameworks"][0];
    let execs = fw["executors"].as_array().unwrap();
    assert_eq!(execs.len(), 1, "{fw}");
    assert_eq!(execs[0]["executor_id"], "e1");
    assert_eq!(execs[0]["slave_id"], agent.id.as_str());
    assert_eq!(execs[0]["resources"]["cpus"], 0.5);
    assert_eq!(fw["used_resources"]["cpus"], 1.0, "{fw}");
    for t in fw["tasks"].as_array().unwrap() {
        assert_eq!(t["executor_id"], "e1", "{t}");
        assert_eq!(t["state"], "TASK_STAGING", "{t}");
    }

    // The next offer has what is left and names the running executor.
    let offer = next_offer(&mut ev).await;
    assert_eq!(offer["executor_ids"], json!([{"value": "e1"}]), "{offer}");
    let cpus = offer["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "cpus")
        .unwrap()["scalar"]["value"]
        .as_f64()
        .unwrap();
    assert_eq!(cpus, 1.0);

    // Another task for e1 with a different ExecutorInfo is refused.
    let other = executor("e1", "./another");
    let launch = json!({"type": "LAUNCH", "launch": {"task_infos": [
        executor_task("t3", &agent.id, other)]}});
    accept(&s, &offer, vec![launch]).await;
    let u = next_of(&mut ev, &["UPDATE"]).await;
    let st3 = &u["update"]["status"];
    assert_eq!(st3["task_id"]["value"], "t3");
    assert_eq!(st3["state"], "TASK_ERROR");
    assert_eq!(st3["reason"], "REASON_TASK_INVALID");
    assert!(
        st3["message"]
            .as_str()
            .unwrap()
            .starts_with("ExecutorInfo is not compatible with existing ExecutorInfo"),
        "{st3}"
    );

    // Its tasks finish; the executor (and its resources) stays.
    tokio::task::block_in_place(|| {
        agent.update(
            &master,
            &fid,
            "t1",
            "TASK_FINISHED",
            "AAAAAAAAAAAAAAAAAAAAAA==",
        );
        agent.update(
            &master,
            &fid,
            "t2",
            "TASK_FINISHED",
            "AQAAAAAAAAAAAAAAAAAAAA==",
        );
    });
    tokio::task::block_in_place(|| {
        wait_until(DEADLINE, "only the executor's resources used", || {
            used_cpus(&master) == 0.5
        })
    });

    // Scheduler MESSAGE -> the agent's framework_message.
    s.call_json(json!({"type": "MESSAGE", "message": {
        "agent_id": {"value": agent.id}, "executor_id": {"value": "e1"}, "data": "aGVsbG8="}}))
        .await
        .unwrap();
    let msgs = tokio::task::block_in_place(|| agent.received("framework_message", 1));
    assert_eq!(
        msgs[0],
        json!({"framework_id": fid, "executor_id": "e1", "data": "aGVsbG8="})
    );

    // An executor's message -> the scheduler's MESSAGE event; only with
    // the agent's session token.
    let body = json!({"agent_id": agent.id, "framework_id": fid, "executor_id": "e1",
        "data": "cG9uZw=="});
    let (refused, accepted) = tokio::task::block_in_place(|| {
        (
            agent.post(&master, "/master/internal/executor_message", &body, false),
            agent.post(&master, "/master/internal/executor_message", &body, true),
        )
    });
    assert_eq!((refused, accepted), (403, 202));
    let m = next_of(&mut ev, &["MESSAGE"]).await;
    assert_eq!(
        m["message"],
        json!({"agent_id": {"value": agent.id}, "executor_id": {"value": "e1"}, "data": "cG9uZw=="})
    );

    // Scheduler SHUTDOWN -> the agent's shutdown_executor.
    s.call_json(json!({"type": "SHUTDOWN", "shutdown": {
        "executor_id": {"value": "e1"}, "agent_id": {"value": agent.id}}}))
        .await
        .unwrap();
    let shut = tokio::task::block_in_place(|| agent.received("shutdown_executor", 1));
    assert_eq!(shut[0], json!({"framework_id": fid, "executor_id": "e1"}));

    // The executor exits: FAILURE, and its resources are free.
    let exited = json!({"agent_id": agent.id, "framework_id": fid, "executor_id": "e1",
        "status": 9});
    let (refused, accepted) = tokio::task::block_in_place(|| {
        (
            agent.post(&master, "/master/internal/exited_executor", &exited, false),
            agent.post(&master, "/master/internal/exited_executor", &exited, true),
        )
    });
    assert_eq!((refused, accepted), (403, 202));
    let f = next_of(&mut ev, &["FAILURE"]).await;
    assert_eq!(
        f["failure"],
        json!({"agent_id": {"value": agent.id}, "executor_id": {"value": "e1"}, "status": 9})
    );
    assert_eq!(used_cpus(&master), 0.0);
    let st = state(&master);
    assert_eq!(st["frameworks"][0]["executors"], json!([]));
    let metrics =
        tokio::task::block_in_place(|| get_json(&format!("{}/metrics/snapshot", master.url())));
    assert_eq!(metrics["master/messages_exited_executor"], 1.0);
    assert_eq!(metrics["master/valid_executor_to_framework_messages"], 1.0);
    assert_eq!(metrics["master/valid_framework_to_executor_messages"], 1.0);
}

fn default_executor(id: &str, fid: &str, disk: bool) -> Value {
    let resources = if disk {
        scalars(0.1, 32.0, 32.0)
    } else {
        res(0.1, 32.0)
    };
    json!({"executor_id": {"value": id}, "framework_id": {"value": fid}, "type": "DEFAULT",
        "resources": resources})
}

fn group_task(id: &str, agent: &str) -> Value {
    json!({"name": id, "task_id": {"value": id}, "agent_id": {"value": agent},
        "resources": res(0.2, 32.0), "command": {"value": "sleep 1000"}})
}

fn launch_group(executor: Value, tasks: Vec<Value>) -> Value {
    json!({"type": "LAUNCH_GROUP", "launch_group": {
        "executor": executor, "task_group": {"tasks": tasks}}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_groups_go_to_the_agent_as_one_call_with_their_default_executor() {
    let master = start_master(&[]);
    let agent = tokio::task::block_in_place(|| StubAgent::register(&master));
    let (s, mut ev, fid) = subscribe(&master).await;
    let a = agent.id.clone();

    // An invalid group: every task gets TASK_ERROR, nothing is sent.
    let offer = next_offer(&mut ev).await;
    let bad = launch_group(
        default_executor("dx", &fid, false),
        vec![group_task("b1", &a), group_task("b2", &a)],
    );
    accept(&s, &offer, vec![bad]).await;
    for _ in 0..2 {
        let u = next_of(&mut ev, &["UPDATE"]).await;
        let st = &u["update"]["status"];
        assert_eq!(st["state"], "TASK_ERROR", "{st}");
        assert_eq!(st["reason"], "REASON_TASK_GROUP_INVALID", "{st}");
        assert_eq!(st["message"], "Executor 'dx' uses no disk", "{st}");
    }

    // A valid group of two: one run_task_group, tasks without executor.
    let offer = next_offer(&mut ev).await;
    let group = launch_group(
        default_executor("dx", &fid, true),
        vec![group_task("g1", &a), group_task("g2", &a)],
    );
    accept(&s, &offer, vec![group]).await;
    let calls = tokio::task::block_in_place(|| agent.received("run_task_group", 1));
    let call = &calls[0];
    assert_eq!(call["executor"]["executor_id"]["value"], "dx", "{call}");
    assert_eq!(call["executor"]["type"], "DEFAULT", "{call}");
    assert_eq!(call["framework"]["id"]["value"], fid.as_str(), "{call}");
    let tasks = call["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 2);
    for t in tasks {
        assert!(t.get("executor").is_none(), "{t}");
        assert_eq!(t["agent_id"]["value"], a.as_str(), "{t}");
    }
    assert!(agent
        .server
        .requests_to("/slave(1)/internal/run_task")
        .is_empty());
    // 0.1 (executor) + 2 x 0.2.
    assert_eq!(used_cpus(&master), 0.5);

    // A second group for the running executor: no executor resources again.
    let offer = next_offer(&mut ev).await;
    assert_eq!(offer["executor_ids"], json!([{"value": "dx"}]), "{offer}");
    let group = launch_group(
        default_executor("dx", &fid, true),
        vec![group_task("g3", &a)],
    );
    accept(&s, &offer, vec![group]).await;
    tokio::task::block_in_place(|| agent.received("run_task_group", 2));
    assert_eq!(used_cpus(&master), 0.7);
    let st = state(&master);
    let fw = &st["frameworks"][0];
    let tasks = fw["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 3, "{fw}");
    for t in tasks {
        assert_eq!(t["executor_id"], "dx", "{t}");
        assert_eq!(t["state"], "TASK_STAGING", "{t}");
    }
    let execs = fw["executors"].as_array().unwrap();
    assert_eq!(execs.len(), 1, "{fw}");
    assert_eq!(execs[0]["type"], "DEFAULT");

    // v1 GET_EXECUTORS and GET_TASKS agree.
    let r = tokio::task::block_in_place(|| {
        request(
            &master.addr(),
            "POST",
            "/api/v1",
            &[
                ("Content-Type", "application/json"),
                ("Accept", "application/json"),
            ],
            br#"{"type": "GET_STATE"}"#,
        )
    });
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let ex = &v["get_state"]["get_executors"]["executors"];
    assert_eq!(ex.as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(ex[0]["executor_info"]["executor_id"]["value"], "dx");
    assert_eq!(ex[0]["agent_id"]["value"], a.as_str());
    for t in v["get_state"]["get_tasks"]["tasks"].as_array().unwrap() {
        assert_eq!(t["executor_id"]["value"], "dx", "{t}");
    }

    // Teardown frees everything.
    s.call_json(json!({"type": "TEARDOWN"})).await.unwrap();
    tokio::task::block_in_place(|| {
        wait_until(DEADLINE, "resources freed", || used_cpus(&master) == 0.0)
    });
}

#[test]
fn a_reregistering_agent_brings_its_executors_back() {
    // A master that never saw the agent (as after a master failover).
    let master = start_master(&[]);
    let server = TestServer::start();
    let fid = "fw-7";
    let cpus = |v: f64| {
        json!({"name": "cpus", "type": "SCALAR", "scalar": {"value": v},
            "allocation_info": {"role": "*"}})
    };
    let reg = json!({
        "agent_id": "old-S7", "hostname": "stub", "ip": "127.0.0.1", "port": server.port,
        "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 4.0}}],
        "version": "1.11.0",
        "frameworks": [{"id": {"value": fid}, "name": "f", "user": "u"}],
        "tasks": [{"name": "t", "task_id": {"value": "t"}, "framework_id": {"value": fid},
            "executor_id": {"value": "ex"}, "agent_id": {"value": "old-S7"},
            "state": "TASK_RUNNING", "resources": [cpus(1.0)]}],
        "executors": [{"executor_id": {"value": "ex"}, "framework_id": {"value": fid},
            "type": "CUSTOM", "command": {"value": "./ex"}, "resources": [cpus(0.5)]}]
    });
    let r = request(
        &master.addr(),
        "POST",
        "/master/internal/register",
        &[("Content-Type", "application/json")],
        reg.to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let st = get_json(&format!("{}/master/state", master.url()));
    assert_eq!(st["slaves"][0]["used_resources"]["cpus"], 1.5, "{st}");
    let fw = &st["frameworks"][0];
    assert_eq!(fw["id"], fid);
    assert_eq!(fw["tasks"][0]["executor_id"], "ex", "{fw}");
    let execs = fw["executors"].as_array().unwrap();
    assert_eq!(execs.len(), 1, "{fw}");
    assert_eq!(execs[0]["executor_id"], "ex");
    assert_eq!(execs[0]["slave_id"], "old-S7");
    assert_eq!(execs[0]["command"]["value"], "./ex");
}
