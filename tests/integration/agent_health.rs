//! Mesos-level health checks (`TaskInfo.health_check`) run by the agent's
//! command executor: results reach the scheduler as TASK_RUNNING updates
//! with `healthy` (reason `REASON_TASK_HEALTH_CHECK_STATUS_UPDATED`) and
//! show in the master's endpoints; too many consecutive failures kill the
//! task, whose terminal update says `healthy: false`; failures inside the
//! grace period are ignored; checks resume after an agent restart. Real
//! master, agent, scheduler-API framework and task processes; no fixed
//! sleeps.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::cluster::{get_json, restart_agent, start_agent, start_master, Daemon};
use crate::common::sched::{
    command_task, res, subscribe_json, typed, Events, JsonCalls, Scheduler,
};
use crate::common::{free_port, wait_until};
use mesos::http::{HttpClient, HttpOptions};
use mesos::wire::agent_v1::TaskInfo;

pub(crate) const DEADLINE: Duration = Duration::from_secs(60);
const HEALTH_REASON: &str = "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED";

pub(crate) fn blocking<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

/// A subscribed framework that acknowledges every update it reads.
pub(crate) struct Fw {
    pub(crate) s: Scheduler,
    ev: Events,
    offers: VecDeque<Value>,
    /// Updates read but not looked at yet (of other tasks).
    updates: VecDeque<Value>,
}

impl Fw {
    pub(crate) async fn new(master: &Daemon, name: &str) -> Fw {
        let info = json!({"user": "tester", "name": name, "checkpoint": true});
        let url = reqwest::Url::parse(&master.url()).unwrap();
        let http = HttpClient::new(&HttpOptions::default()).unwrap();
        let (s, ev, subscribed) = subscribe_json(&http, &url, info).await.unwrap();
        assert_eq!(subscribed["type"], "SUBSCRIBED");
        Fw {
            s,
            ev,
            offers: VecDeque::new(),
            updates: VecDeque::new(),
        }
    }

    /// The next event of interest: an update (acknowledged) or None after
    /// queueing offers.
    async fn pump(&mut self) -> Option<Value> {
        let e = self.ev.next_json().await.unwrap().expect("stream open");
        match e["type"].as_str().unwrap_or("") {
            "UPDATE" => {
                let st = e["update"]["status"].clone();
                if st.get("uuid").is_some() {
                    self.s.acknowledge_json(&st).await.unwrap();
                }
                Some(st)
            }
            "OFFERS" => {
                for o in e["offers"]["offers"].as_array().into_iter().flatten() {
                    self.offers.push_back(o.clone());
                }
                None
            }
            "RESCIND" => {
                let id = e["rescind"]["offer_id"].clone();
                self.offers.retain(|o| o["id"] != id);
                None
            }
            _ => None,
        }
    }

    async fn next_offer(&mut self) -> Value {
        tokio::time::timeout(DEADLINE, async {
            loop {
                if let Some(o) = self.offers.pop_front() {
                    return o;
                }
                self.pump().await;
            }
        })
        .await
        .expect("an offer")
    }

    /// Launch tasks (built from the offer's agent id) on the next offer.
    pub(crate) async fn launch(&mut self, tasks: impl FnOnce(&Value) -> Vec<TaskInfo>) -> String {
        let offer = self.next_offer().await;
        let agent_id = offer["agent_id"].clone();
        self.s
            .launch_json(&[offer["id"].clone()], tasks(&agent_id), 0.0)
            .await
            .unwrap();
        agent_id["value"].as_str().unwrap().to_string()
    }

    /// Updates of task `id` until one matching `done` (returned with the
    /// ones before it).
    pub(crate) async fn updates_until(
        &mut self,
        id: &str,
        what: &str,
        done: impl Fn(&Value) -> bool,
    ) -> Vec<Value> {
        let mut seen = Vec::new();
        let mut others = VecDeque::new();
        let r = tokio::time::timeout(DEADLINE, async {
            loop {
                let next = match self.updates.pop_front() {
                    Some(st) => Some(st),
                    None => self.pump().await,
                };
                if let Some(st) = next {
                    if st["task_id"]["value"] != id {
                        others.push_back(st);
                        continue;
                    }
                    seen.push(st.clone());
                    if done(&st) {
                        return;
                    }
                }
            }
        })
        .await;
        others.extend(self.updates.drain(..));
        self.updates = others;
        assert!(
            r.is_ok(),
            "no {what} update of {id} within {DEADLINE:?}: {seen:#?}"
        );
        seen
    }
}

fn health_update(st: &Value) -> bool {
    st["state"] == "TASK_RUNNING" && st["reason"] == HEALTH_REASON
}

pub(crate) fn terminal(st: &Value) -> bool {
    matches!(
        st["state"].as_str().unwrap_or(""),
        "TASK_FINISHED" | "TASK_FAILED" | "TASK_KILLED" | "TASK_LOST" | "TASK_ERROR"
    )
}

/// A shell task with a health check (and optional extra TaskInfo fields).
fn checked_task(id: &str, agent: &Value, cmd: &str, check: Value, extra: Value) -> TaskInfo {
    let mut t = command_task(id, id, agent, cmd, res(0.1, 32.0));
    t.health_check = Some(typed(&check));
    let mut v = serde_json::to_value(&t).unwrap();
    for (k, x) in extra.as_object().into_iter().flatten() {
        v[k] = x.clone();
    }
    typed(&v)
}

pub(crate) fn master() -> Daemon {
    start_master(&[
        "--agent_ping_timeout=1secs",
        "--max_agent_ping_timeouts=300",
    ])
}

fn agent_state(agent: &Daemon) -> Value {
    get_json(&format!("{}/slave(1)/state", agent.url()))
}

/// The sandbox of executor `id` on `agent`.
pub(crate) fn sandbox(agent: &Daemon, id: &str) -> PathBuf {
    let st = agent_state(agent);
    for fw in st["frameworks"].as_array().into_iter().flatten() {
        for ex in fw["executors"].as_array().into_iter().flatten() {
            if ex["id"] == id {
                return PathBuf::from(ex["directory"].as_str().unwrap());
            }
        }
    }
    panic!("no executor {id} in {st}");
}

/// The last status of task `id` in the master's /master/tasks.
pub(crate) fn master_last_status(master: &Daemon, id: &str) -> Value {
    let tasks = get_json(&format!("{}/master/tasks?task_id={id}", master.url()));
    tasks["tasks"][0]["statuses"]
        .as_array()
        .and_then(|s| s.last().cloned())
        .unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn command_check_in_the_sandbox_with_the_task_environment_reports_healthy() {
    let master = master();
    let agent = blocking(|| start_agent(&master, &[]));
    let mut fw = Fw::new(&master, "health-command").await;
    // Healthy only when run in the sandbox (the task's file is there) with
    // the task's environment (its own variable and the executor's).
    let check = json!({
        "type": "COMMAND",
        "command": {"value": "test -f started && test \"$GREETING\" = hello && test \"$MESOS_TASK_ID\" = web"},
        "delay_seconds": 0, "interval_seconds": 0.2, "grace_period_seconds": 30
    });
    let env = json!({"variables": [{"name": "GREETING", "value": "hello"}]});
    fw.launch(|agent| {
        let mut t = checked_task(
            "web",
            agent,
            "touch started; sleep 300",
            check.clone(),
            json!({}),
        );
        t.command.as_mut().unwrap().environment = Some(typed(&env));
        vec![t]
    })
    .await;
    let seen = fw
        .updates_until("web", "healthy", |st| {
            health_update(st) && st["healthy"] == true
        })
        .await;
    let states: Vec<&str> = seen.iter().map(|s| s["state"].as_str().unwrap()).collect();
    assert_eq!(
        states,
        ["TASK_STARTING", "TASK_RUNNING", "TASK_RUNNING"],
        "{seen:#?}"
    );
    let running = &seen[1];
    let healthy = &seen[2];
    assert!(running.get("healthy").is_none(), "{running}");
    assert_eq!(healthy["source"], "SOURCE_EXECUTOR");
    assert_ne!(healthy["uuid"], running["uuid"]);
    // The health update carries what the last update did.
    assert_eq!(healthy["container_status"], running["container_status"]);
    assert_eq!(healthy["executor_id"], running["executor_id"]);

    // The master shows it (the v0 task's statuses and the v1 operator API).
    blocking(|| {
        wait_until(DEADLINE, "/master/tasks shows healthy", || {
            master_last_status(&master, "web")["healthy"] == true
        })
    });
    let state = blocking(|| get_json(&format!("{}/master/state", master.url())));
    let task = state["frameworks"][0]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "web")
        .cloned()
        .unwrap();
    assert_eq!(
        task["statuses"].as_array().unwrap().last().unwrap()["healthy"],
        true
    );
    // The TaskInfo's check is reported as it was sent (agent and master).
    let ex = &blocking(|| agent_state(&agent))["frameworks"][0]["executors"][0];
    assert_eq!(
        ex["tasks"][0]["health_check"]["command"]["value"],
        check["command"]["value"]
    );

    // A scheduler's kill is not a health kill: no `healthy` on TASK_KILLED,
    // and no further health updates after it.
    fw.s.kill("web", None).await.unwrap();
    let seen = fw.updates_until("web", "terminal", terminal).await;
    let killed = seen.last().unwrap();
    assert_eq!(killed["state"], "TASK_KILLED", "{seen:#?}");
    assert!(killed.get("healthy").is_none(), "{killed}");
    fw.s.teardown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_and_tcp_checks_against_a_real_server() {
    let master = master();
    let _agent = blocking(|| start_agent(&master, &[]));
    let mut fw = Fw::new(&master, "health-http").await;
    let port = free_port();
    // The system interpreter (a version manager's shim may need the
    // tester's HOME, which tasks do not get).
    let python = ["/usr/bin/python3", "/usr/local/bin/python3"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .unwrap_or("python3");
    let server = format!("exec {python} -m http.server {port} --bind 127.0.0.1");
    let timing = json!({"delay_seconds": 0, "interval_seconds": 0.3, "grace_period_seconds": 60});
    let mut http = json!({"type": "HTTP", "http": {"port": port, "path": "/", "scheme": "http"}});
    let mut tcp = json!({"type": "TCP", "tcp": {"port": port}});
    for c in [&mut http, &mut tcp] {
        for (k, v) in timing.as_object().unwrap() {
            c[k] = v.clone();
        }
    }
    fw.launch(|agent| {
        vec![
            checked_task("server", agent, &server, http.clone(), json!({})),
            checked_task("prober", agent, "sleep 300", tcp.clone(), json!({})),
        ]
    })
    .await;
    let seen = fw
        .updates_until("server", "healthy", |st| {
            health_update(st) && st["healthy"] == true
        })
        .await;
    assert!(
        !seen.iter().any(|s| s["healthy"] == false),
        "failures while the server started are inside the grace period: {seen:#?}"
    );
    let seen = fw
        .updates_until("prober", "healthy", |st| {
            health_update(st) && st["healthy"] == true
        })
        .await;
    assert!(!seen.iter().any(|s| s["healthy"] == false), "{seen:#?}");
    blocking(|| {
        wait_until(DEADLINE, "/master/tasks shows both healthy", || {
            master_last_status(&master, "server")["healthy"] == true
                && master_last_status(&master, "prober")["healthy"] == true
        })
    });
    fw.s.teardown().await.unwrap();
}

/// A task made unhealthy by removing the file its COMMAND check tests.
async fn unhealthy_task_is_killed(restart_agent_first: bool) {
    let master = master();
    let mut agent = Some(blocking(|| start_agent(&master, &[])));
    let mut fw = Fw::new(&master, "health-fail").await;
    let check = json!({
        "type": "COMMAND", "command": {"value": "test -f marker"},
        "delay_seconds": 0, "interval_seconds": 0.3, "timeout_seconds": 5,
        "consecutive_failures": 2, "grace_period_seconds": 0
    });
    // The task ignores SIGTERM: the kill honours its kill policy's grace
    // period (1 s), then SIGKILLs.
    let cmd = "trap '' TERM; touch marker; while true; do sleep 0.1; done";
    let policy = json!({"kill_policy": {"grace_period": {"nanoseconds": 1_000_000_000u64}}});
    fw.launch(|agent| {
        vec![checked_task(
            "flaky",
            agent,
            cmd,
            check.clone(),
            policy.clone(),
        )]
    })
    .await;
    let healthy = fw
        .updates_until("flaky", "healthy", |st| {
            health_update(st) && st["healthy"] == true
        })
        .await
        .pop()
        .unwrap();
    let dir = blocking(|| sandbox(agent.as_ref().unwrap(), "flaky"));
    if restart_agent_first {
        // The checks resume with the restarted agent.
        let mut a = agent.take().unwrap();
        a.kill();
        let addr = master.addr();
        agent = Some(blocking(|| restart_agent(a, &addr, &[])));
    }
    std::fs::remove_file(dir.join("marker")).unwrap();
    let seen = fw.updates_until("flaky", "terminal", terminal).await;
    // Delivery is at least once: a restarted agent resends what it had no
    // acknowledgement for (the healthy update too), so count uuids.
    let mut uuids = std::collections::BTreeSet::new();
    uuids.insert(healthy["uuid"].to_string());
    let health: Vec<&Value> = seen
        .iter()
        .filter(|s| health_update(s) && uuids.insert(s["uuid"].to_string()))
        .collect();
    assert_eq!(health.len(), 2, "one update per counted failure: {seen:#?}");
    assert!(health.iter().all(|s| s["healthy"] == false), "{seen:#?}");
    let killed = seen.last().unwrap();
    assert_eq!(killed["state"], "TASK_KILLED", "{seen:#?}");
    assert_eq!(killed["healthy"], false, "{killed}");
    assert_eq!(killed["source"], "SOURCE_EXECUTOR");
    assert_eq!(
        killed["message"], "Command terminated with signal Killed",
        "{killed}"
    );
    let stderr = std::fs::read_to_string(dir.join("stderr")).unwrap();
    assert!(
        stderr.contains("health check failed 2 times consecutively"),
        "{stderr}"
    );
    assert!(stderr.contains("with grace period of 1secs"), "{stderr}");
    blocking(|| {
        wait_until(DEADLINE, "/master/tasks shows the unhealthy kill", || {
            let st = master_last_status(&master, "flaky");
            st["state"] == "TASK_KILLED" && st["healthy"] == false
        })
    });
    fw.s.teardown().await.unwrap();
    drop(agent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_command_check_after_healthy_reports_unhealthy_then_kills() {
    unhealthy_task_is_killed(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_resume_after_an_agent_restart() {
    unhealthy_task_is_killed(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_inside_the_grace_period_do_not_kill() {
    let master = master();
    let agent = blocking(|| start_agent(&master, &[]));
    let mut fw = Fw::new(&master, "health-grace").await;
    // One failure outside the grace period would kill; the task only gets
    // ready after a while, failing checks every 100 ms meanwhile.
    let check = json!({
        "type": "COMMAND", "command": {"value": "test -f ready"},
        "delay_seconds": 0, "interval_seconds": 0.1,
        "consecutive_failures": 1, "grace_period_seconds": 60
    });
    let cmd = "sleep 1.5; touch ready; sleep 300";
    fw.launch(|agent| vec![checked_task("slow", agent, cmd, check.clone(), json!({}))])
        .await;
    let seen = fw
        .updates_until("slow", "health", |st| health_update(st) || terminal(st))
        .await;
    let first = seen.last().unwrap();
    assert_eq!(first["healthy"], true, "{seen:#?}");
    let stderr =
        std::fs::read_to_string(blocking(|| sandbox(&agent, "slow")).join("stderr")).unwrap();
    assert!(stderr.contains("still in grace period"), "{stderr}");
    fw.s.teardown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_health_check_is_a_task_error() {
    let master = master();
    let _agent = blocking(|| start_agent(&master, &[]));
    let mut fw = Fw::new(&master, "health-invalid").await;
    let check = json!({"type": "HTTP", "http": {"port": 80, "scheme": "gopher"}});
    fw.launch(|agent| {
        vec![checked_task(
            "bad",
            agent,
            "sleep 300",
            check.clone(),
            json!({}),
        )]
    })
    .await;
    let seen = fw.updates_until("bad", "terminal", terminal).await;
    let err = seen.last().unwrap();
    assert_eq!(err["state"], "TASK_ERROR", "{seen:#?}");
    assert_eq!(err["reason"], "REASON_TASK_INVALID");
    assert_eq!(
        err["message"],
        "Task uses invalid health check: Unsupported HTTP health check scheme: 'gopher'"
    );
    fw.s.teardown().await.unwrap();
}
