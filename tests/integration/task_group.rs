//! Task groups end to end: a scheduler's LAUNCH_GROUP through a real
//! master and agent, run by the default executor (`mesos agent
//! --internal-default-executor`) as nested containers: per-task statuses,
//! the group rules (a failed task takes its group down), the sandboxes at
//! `<executor sandbox>/tasks/<task id>`, the executor's exit and the
//! resources freed. (`mesos execute --task-group`: execute.rs.)

use std::time::Duration;

use mesos::http::{HttpClient, HttpOptions};
use mesos::wire::agent_v1::{ExecutorInfo, Id, TaskInfo};
use mesos::wire::scheduler::{Call, IdRef, Operation};
use serde_json::{json, Value};

use crate::common::cluster::{
    get_json, http_get, restart_agent, start_agent, start_agent_in, start_master, Daemon,
};
use crate::common::sched::{command_task, res, subscribe_json, Events, JsonCalls, Scheduler};
use crate::common::wait_until;

const DEADLINE: Duration = Duration::from_secs(60);

struct Fw {
    s: Scheduler,
    ev: Events,
    /// Every status seen, acknowledged.
    statuses: Vec<Value>,
}

impl Fw {
    async fn new(master: &Daemon) -> Fw {
        Fw::with_checkpoint(master, false).await
    }

    async fn with_checkpoint(master: &Daemon, checkpoint: bool) -> Fw {
        let http = HttpClient::new(&HttpOptions::default()).unwrap();
        let url = reqwest::Url::parse(&master.url()).unwrap();
        let info = json!({"user": "tester", "name": "task-group-test", "checkpoint": checkpoint});
        let (s, ev, subscribed) = subscribe_json(&http, &url, info).await.unwrap();
        assert_eq!(subscribed["type"], "SUBSCRIBED");
        Fw {
            s,
            ev,
            statuses: Vec::new(),
        }
    }

    async fn offer(&mut self) -> Value {
        tokio::time::timeout(DEADLINE, async {
            loop {
                let e = self.ev.next_json().await.unwrap().expect("stream open");
                if e["type"] == "OFFERS" {
                    return e["offers"]["offers"][0].clone();
                }
            }
        })
        .await
        .expect("an offer")
    }

    /// ACCEPT `offer` with one LAUNCH_GROUP of `tasks` (id, command) under
    /// a DEFAULT executor `exec`.
    async fn launch_group(&mut self, offer: &Value, exec: &str, tasks: &[(&str, &str)]) {
        self.launch_groups(offer, exec, &[tasks]).await;
    }

    /// ACCEPT `offer` with a LAUNCH_GROUP per group, all under the same
    /// DEFAULT executor `exec`.
    async fn launch_groups(&mut self, offer: &Value, exec: &str, groups: &[&[(&str, &str)]]) {
        let agent_id = &offer["agent_id"];
        let groups = groups
            .iter()
            .map(|tasks| {
                tasks
                    .iter()
                    .map(|(id, cmd)| command_task(id, id, agent_id, cmd, res(0.1, 16.0)))
                    .collect()
            })
            .collect();
        self.launch_infos(offer, exec, groups).await;
    }

    /// ACCEPT `offer` with a LAUNCH_GROUP per group of TaskInfos.
    async fn launch_infos(&mut self, offer: &Value, exec: &str, groups: Vec<Vec<TaskInfo>>) {
        let executor = ExecutorInfo {
            kind: Some("DEFAULT".into()),
            executor_id: Id::new(exec),
            framework_id: Some(Id::new(self.s.framework_id.clone())),
            // A DEFAULT executor needs cpus, mem and disk (Mesos' rule).
            resources: res(0.1, 32.0)
                .into_iter()
                .chain([json!({"name": "disk", "type": "SCALAR", "scalar": {"value": 32.0}})])
                .map(|r| serde_json::from_value(r).unwrap())
                .collect(),
            ..ExecutorInfo::default()
        };
        let operations = groups
            .into_iter()
            .map(|infos| Operation::launch_group(executor.clone(), infos))
            .collect();
        let offer_id = IdRef::new(offer["id"]["value"].as_str().unwrap());
        self.s
            .call(Call::accept(vec![offer_id], operations, 1.0))
            .await
            .unwrap();
    }

    /// Read updates (acknowledging them) until `done` holds.
    async fn until(&mut self, what: &str, done: impl Fn(&[Value]) -> bool) {
        let r = tokio::time::timeout(DEADLINE, async {
            while !done(&self.statuses) {
                let e = self.ev.next_json().await.unwrap().expect("stream open");
                if e["type"] == "UPDATE" {
                    let st = e["update"]["status"].clone();
                    if st.get("uuid").is_some() {
                        self.s.acknowledge_json(&st).await.unwrap();
                    }
                    self.statuses.push(st);
                }
            }
        })
        .await;
        assert!(r.is_ok(), "{what}: got {:#?}", self.statuses);
    }
}

fn states(statuses: &[Value], task: &str) -> Vec<String> {
    statuses
        .iter()
        .filter(|s| s["task_id"]["value"] == task)
        .map(|s| s["state"].as_str().unwrap().to_string())
        .collect()
}

fn last<'a>(statuses: &'a [Value], task: &str) -> &'a Value {
    statuses
        .iter()
        .rev()
        .find(|s| s["task_id"]["value"] == task)
        .unwrap()
}

fn has(statuses: &[Value], task: &str, state: &str) -> bool {
    states(statuses, task).iter().any(|s| s == state)
}

/// The executor's sandbox directory in the agent's state.
fn executor_dir(agent: &Daemon, exec: &str) -> Option<String> {
    let state = get_json(&format!("{}/slave(1)/state", agent.url()));
    for f in state["frameworks"]
        .as_array()
        .into_iter()
        .chain(state["completed_frameworks"].as_array())
        .flatten()
    {
        for e in f["executors"]
            .as_array()
            .into_iter()
            .chain(f["completed_executors"].as_array())
            .flatten()
        {
            if e["id"] == exec {
                return e["directory"].as_str().map(str::to_string);
            }
        }
    }
    None
}

fn used_cpus(master: &Daemon) -> f64 {
    let state = get_json(&format!("{}/master/state", master.url()));
    state["slaves"][0]["used_resources"]["cpus"]
        .as_f64()
        .unwrap_or(-1.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_task_kills_its_group_and_the_executor_goes_away() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let flag = tempfile::tempdir().unwrap();
    let go = flag.path().join("go");
    let mut fw = Fw::new(&master).await;
    let offer = fw.offer().await;
    let failing = format!(
        "echo out-c; while [ ! -e {} ]; do sleep 0.05; done; exit 3",
        go.display()
    );
    fw.launch_group(
        &offer,
        "grp",
        &[
            ("a", "echo out-a; sleep 1000"),
            ("b", "sleep 1000"),
            ("c", &failing),
        ],
    )
    .await;
    fw.until("every task RUNNING", |s| {
        ["a", "b", "c"].iter().all(|t| has(s, t, "TASK_RUNNING"))
    })
    .await;
    for t in ["a", "b", "c"] {
        assert_eq!(
            states(&fw.statuses, t),
            vec!["TASK_STARTING", "TASK_RUNNING"],
            "{t}"
        );
        let running = last(&fw.statuses, t);
        assert_eq!(running["source"], "SOURCE_EXECUTOR");
        assert_eq!(running["executor_id"]["value"], "grp");
        let cid = &running["container_status"]["container_id"];
        assert!(cid["parent"]["value"].is_string(), "{running}");
    }
    std::fs::write(&go, "").unwrap();
    fw.until("the group to end", |s| {
        has(s, "c", "TASK_FAILED") && has(s, "a", "TASK_KILLED") && has(s, "b", "TASK_KILLED")
    })
    .await;
    assert_eq!(
        last(&fw.statuses, "c")["message"],
        "Command exited with status 3"
    );
    // Each task's sandbox is at tasks/<id> in the executor's, with its
    // output; the files API serves it.
    let dir = executor_dir(&agent, "grp").expect("the agent lists the executor");
    assert!(dir.contains("/runs/"), "{dir}");
    let out_c = std::fs::read_to_string(format!("{dir}/tasks/c/stdout")).unwrap();
    assert_eq!(out_c, "out-c\n");
    let (code, body) = http_get(&format!(
        "{}/files/read?path={dir}/tasks/a/stdout&offset=0",
        agent.url()
    ))
    .unwrap();
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("out-a"), "{body}");
    // ... and still refuses to leave the sandbox through it.
    let escape = http_get(&format!(
        "{}/files/read?path={dir}/tasks/a/../../../../../../../../etc/passwd&offset=0",
        agent.url()
    ))
    .unwrap();
    assert_ne!(escape.0, 200, "{}", escape.1);
    // With no task left the executor exits and its resources are freed.
    wait_until(DEADLINE, "the executor's resources to be freed", || {
        used_cpus(&master) == 0.0
    });
    wait_until(DEADLINE, "the executor to be completed", || {
        let state = get_json(&format!("{}/slave(1)/state", agent.url()));
        state["frameworks"][0]["completed_executors"]
            .as_array()
            .is_some_and(|c| c.iter().any(|e| e["id"] == "grp"))
            || state["completed_frameworks"][0]["completed_executors"]
                .as_array()
                .is_some_and(|c| c.iter().any(|e| e["id"] == "grp"))
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_of_finishing_tasks_ends_finished() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let mut fw = Fw::new(&master).await;
    let offer = fw.offer().await;
    fw.launch_group(
        &offer,
        "fin",
        &[("one", "echo first"), ("two", "echo second")],
    )
    .await;
    fw.until("both FINISHED", |s| {
        has(s, "one", "TASK_FINISHED") && has(s, "two", "TASK_FINISHED")
    })
    .await;
    for t in ["one", "two"] {
        assert_eq!(
            states(&fw.statuses, t),
            vec!["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"],
            "{t}"
        );
        assert_eq!(
            last(&fw.statuses, t)["message"],
            "Command exited with status 0"
        );
    }
    let dir = executor_dir(&agent, "fin").unwrap();
    assert_eq!(
        std::fs::read_to_string(format!("{dir}/tasks/two/stdout")).unwrap(),
        "second\n"
    );
    wait_until(DEADLINE, "the executor's resources to be freed", || {
        used_cpus(&master) == 0.0
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_one_task_kills_its_group_and_spares_the_executors_other_group() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let mut fw = Fw::new(&master).await;
    let offer = fw.offer().await;
    fw.launch_groups(
        &offer,
        "shared",
        &[
            &[("k1", "sleep 1000"), ("k2", "sleep 1000")],
            &[("o1", "sleep 1000")],
        ],
    )
    .await;
    fw.until("every task RUNNING", |s| {
        ["k1", "k2", "o1"].iter().all(|t| has(s, t, "TASK_RUNNING"))
    })
    .await;
    fw.s.kill("k1", None).await.unwrap();
    fw.until("k1 and k2 KILLED", |s| {
        has(s, "k1", "TASK_KILLED") && has(s, "k2", "TASK_KILLED")
    })
    .await;
    // The other group of the same executor runs on.
    assert_eq!(
        states(&fw.statuses, "o1"),
        vec!["TASK_STARTING", "TASK_RUNNING"]
    );
    assert!(used_cpus(&master) > 0.0);
    fw.s.kill("o1", None).await.unwrap();
    fw.until("o1 KILLED", |s| has(s, "o1", "TASK_KILLED")).await;
    tokio::task::block_in_place(|| {
        wait_until(DEADLINE, "the executor's resources to be freed", || {
            used_cpus(&master) == 0.0
        })
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_executor_and_its_tasks_survive_an_agent_restart() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let flag = tempfile::tempdir().unwrap();
    let go = flag.path().join("go");
    let mut fw = Fw::with_checkpoint(&master, true).await;
    let offer = fw.offer().await;
    let waits = format!(
        "echo started; while [ ! -e {} ]; do sleep 0.05; done; echo done",
        go.display()
    );
    fw.launch_group(&offer, "keep", &[("w", &waits)]).await;
    fw.until("w RUNNING", |s| has(s, "w", "TASK_RUNNING")).await;
    let agent = tokio::task::block_in_place(|| restart_agent(agent, &master.addr(), &[]));
    // The task ends while the restarted agent has the executor back: its
    // update goes through the new agent.
    std::fs::write(&go, "").unwrap();
    fw.until("w FINISHED after the restart", |s| {
        has(s, "w", "TASK_FINISHED")
    })
    .await;
    assert_eq!(
        last(&fw.statuses, "w")["message"],
        "Command exited with status 0"
    );
    let dir = tokio::task::block_in_place(|| executor_dir(&agent, "keep")).unwrap();
    assert_eq!(
        std::fs::read_to_string(format!("{dir}/tasks/w/stdout")).unwrap(),
        "started\ndone\n"
    );
    tokio::task::block_in_place(|| {
        wait_until(DEADLINE, "the executor's resources to be freed", || {
            used_cpus(&master) == 0.0
        })
    });
}

/// The first status of `task` that `ok` accepts.
fn find<'a>(statuses: &'a [Value], task: &str, ok: impl Fn(&Value) -> bool) -> Option<&'a Value> {
    statuses
        .iter()
        .find(|s| s["task_id"]["value"] == task && ok(s))
}

fn health_update(s: &Value, healthy: bool) -> bool {
    s["state"] == "TASK_RUNNING"
        && s["reason"] == "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED"
        && s["healthy"] == healthy
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_task_health_check_reports_healthy_and_a_failing_one_kills_the_task() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let flag = tempfile::tempdir().unwrap();
    let sick = flag.path().join("sick");
    let mut fw = Fw::new(&master).await;
    let offer = fw.offer().await;
    let mut task = command_task("hc", "hc", &offer["agent_id"], "sleep 1000", res(0.1, 16.0));
    // A COMMAND check, run in a nested container of the task's container.
    task.health_check = Some(
        serde_json::from_value(json!({"type": "COMMAND",
            "command": {"value": format!("test ! -e {}", sick.display())},
            "delay_seconds": 0, "interval_seconds": 0.5, "timeout_seconds": 10,
            "grace_period_seconds": 0, "consecutive_failures": 2}))
        .unwrap(),
    );
    fw.launch_infos(&offer, "hcx", vec![vec![task]]).await;
    fw.until("hc healthy", |s| {
        find(s, "hc", |u| health_update(u, true)).is_some()
    })
    .await;
    let healthy = find(&fw.statuses, "hc", |u| health_update(u, true)).unwrap();
    assert!(
        healthy["container_status"]["container_id"]["parent"]["value"].is_string(),
        "{healthy}"
    );
    std::fs::write(&sick, "").unwrap();
    fw.until("hc KILLED", |s| has(s, "hc", "TASK_KILLED")).await;
    let unhealthy = fw
        .statuses
        .iter()
        .filter(|u| u["task_id"]["value"] == "hc" && health_update(u, false))
        .count();
    assert_eq!(unhealthy, 2, "{:#?}", fw.statuses);
    assert_eq!(last(&fw.statuses, "hc")["healthy"], false);
    tokio::task::block_in_place(|| {
        wait_until(DEADLINE, "the executor's resources to be freed", || {
            used_cpus(&master) == 0.0
        })
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_framework_message_to_a_group_executor_does_not_stop_its_group() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let flag = tempfile::tempdir().unwrap();
    let go = flag.path().join("go");
    let mut fw = Fw::new(&master).await;
    let offer = fw.offer().await;
    let waits = format!("while [ ! -e {} ]; do sleep 0.05; done", go.display());
    fw.launch_group(&offer, "msgx", &[("m", &waits)]).await;
    fw.until("m RUNNING", |s| has(s, "m", "TASK_RUNNING")).await;
    fw.s.call_json(json!({"type": "MESSAGE", "message": {
        "agent_id": offer["agent_id"], "executor_id": {"value": "msgx"}, "data": "aGVsbG8="}}))
        .await
        .unwrap();
    let dir = tokio::task::block_in_place(|| executor_dir(&agent, "msgx")).unwrap();
    tokio::task::block_in_place(|| {
        wait_until(DEADLINE, "the executor to log the message", || {
            std::fs::read_to_string(format!("{dir}/stderr"))
                .unwrap_or_default()
                .contains("framework message")
        })
    });
    std::fs::write(&go, "").unwrap();
    fw.until("m FINISHED", |s| has(s, "m", "TASK_FINISHED"))
        .await;
    assert_eq!(
        states(&fw.statuses, "m"),
        vec!["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_group_runs_on_an_agent_that_authenticates_executors_and_operators() {
    let master = start_master(&[]);
    let secrets = tempfile::tempdir().unwrap();
    let creds = secrets.path().join("creds");
    std::fs::write(&creds, "ops ops-secret\n").unwrap();
    let key = secrets.path().join("jwt");
    std::fs::write(&key, "a-key-for-executor-tokens").unwrap();
    for f in [&creds, &key] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let flags = [
        format!("--http_credentials={}", creds.display()),
        "--authenticate_http_readwrite".to_string(),
        "--authenticate_http_executors".to_string(),
        format!("--jwt_secret_key={}", key.display()),
    ];
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let agent = start_agent(&master, &flags);
    // Without a token the executor API refuses; so does the operator API
    // without credentials (or with a token it did not sign).
    let client = reqwest::Client::new();
    let call = json!({"type": "SUBSCRIBE", "framework_id": {"value": "f"},
        "executor_id": {"value": "e"}, "subscribe": {}});
    let r = client
        .post(format!("{}/slave(1)/api/v1/executor", agent.url()))
        .json(&call)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let r = client
        .post(format!("{}/slave(1)/api/v1", agent.url()))
        .bearer_auth("e30.e30.c2ln")
        .json(&json!({"type": "GET_HEALTH"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    // A token the agent's key signed: accepted by the operator API, and by
    // the executor API only for the executor it names.
    let signer = mesos::daemon::jwt::Key::new(b"a-key-for-executor-tokens");
    let token = signer.sign(&mesos::daemon::jwt::executor_claims("f", "other", None));
    let r = client
        .post(format!("{}/slave(1)/api/v1", agent.url()))
        .bearer_auth(&token)
        .json(&json!({"type": "GET_HEALTH"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let r = client
        .post(format!("{}/slave(1)/api/v1/executor", agent.url()))
        .bearer_auth(&token)
        .json(&call)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // The default executor subscribes, launches and waits with its token.
    let mut fw = Fw::new(&master).await;
    let offer = fw.offer().await;
    fw.launch_group(&offer, "authx", &[("a1", "echo one"), ("a2", "echo two")])
        .await;
    fw.until("both FINISHED", |s| {
        has(s, "a1", "TASK_FINISHED") && has(s, "a2", "TASK_FINISHED")
    })
    .await;
    assert_eq!(
        states(&fw.statuses, "a1"),
        vec!["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"]
    );
    // The token is in neither the executor's log nor the agent's.
    let dir = tokio::task::block_in_place(|| executor_dir(&agent, "authx")).unwrap();
    let log = std::fs::read_to_string(format!("{dir}/stderr")).unwrap_or_default();
    assert!(!log.contains("eyJ"), "{log}");
    assert!(!agent.log().contains("eyJ"), "{}", agent.log());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_task_that_ends_while_the_agent_is_down_is_reported_after_its_restart() {
    let master = start_master(&[]);
    let mut agent = start_agent(&master, &[]);
    let flag = tempfile::tempdir().unwrap();
    let go = flag.path().join("go");
    let ended = flag.path().join("ended");
    let mut fw = Fw::with_checkpoint(&master, true).await;
    let offer = fw.offer().await;
    let waits = format!(
        "while [ ! -e {} ]; do sleep 0.05; done; touch {}; exit 0",
        go.display(),
        ended.display()
    );
    fw.launch_group(&offer, "down", &[("d", &waits)]).await;
    fw.until("d RUNNING", |s| has(s, "d", "TASK_RUNNING")).await;
    // The agent goes away; the task ends meanwhile (the executor's WAIT
    // fails to connect and is retried), then the agent comes back with
    // the same work dir and recovers the container and its exit status.
    agent.kill();
    let port = agent.port;
    let dir = std::mem::replace(&mut agent.dir, tempfile::tempdir().unwrap());
    drop(agent);
    std::fs::write(&go, "").unwrap();
    tokio::task::block_in_place(|| {
        wait_until(DEADLINE, "the task to end while the agent is down", || {
            ended.exists()
        })
    });
    let _agent = start_agent_in(&master.addr(), port, dir, &[]);
    fw.until("d FINISHED after the restart", |s| {
        has(s, "d", "TASK_FINISHED")
    })
    .await;
    assert_eq!(
        last(&fw.statuses, "d")["message"],
        "Command exited with status 0"
    );
    assert!(!has(&fw.statuses, "d", "TASK_FAILED"), "{:#?}", fw.statuses);
}
