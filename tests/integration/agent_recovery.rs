//! Agent recovery: a `mesos agent` restarted with the same `--work_dir`
//! (after SIGKILL or SIGTERM) re-registers under the same agent id,
//! reconnects to the executors that kept running, serves their sandboxes
//! again, resends unacknowledged status updates and reports what happened
//! to tasks while it was down. Real processes throughout; no fixed sleeps.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::sched::{command_task, subscribe_json, Events, JsonCalls, Scheduler};
use mesos::http::{HttpClient, HttpOptions};
use serde_json::{json, Value};

use crate::common::cluster::{
    get_json, http_get, restart_agent, start_agent, start_agent_in, start_master, Daemon,
};
use crate::common::daemons::process_alive;
use crate::common::sched::res;
use crate::common::wait_until;

const DEADLINE: Duration = Duration::from_secs(60);

/// Writes its pid, then a numbered line every 100 ms.
const TICKER: &str =
    "echo $$ > task.pid; i=0; while true; do echo line $i; i=$((i+1)); sleep 0.1; done";

fn client() -> HttpClient {
    HttpClient::new(&HttpOptions::default()).unwrap()
}

/// A master that keeps a silent agent registered for a long time.
fn master() -> Daemon {
    start_master(&[
        "--agent_ping_timeout=1secs",
        "--max_agent_ping_timeouts=300",
    ])
}

/// A subscribed framework; offers seen while waiting for updates are kept.
struct Fw {
    s: Scheduler,
    ev: Events,
    offers: VecDeque<Value>,
}

impl Fw {
    /// A framework that checkpoints: its executors survive agent restarts.
    async fn new(master: &Daemon, name: &str) -> Fw {
        Fw::with_checkpoint(master, name, true).await
    }

    async fn with_checkpoint(master: &Daemon, name: &str, checkpoint: bool) -> Fw {
        let info = json!({"user": "tester", "name": name, "checkpoint": checkpoint});
        let url = reqwest::Url::parse(&master.url()).unwrap();
        let (s, ev, subscribed) = subscribe_json(&client(), &url, info).await.unwrap();
        assert_eq!(subscribed["type"], "SUBSCRIBED");
        Fw {
            s,
            ev,
            offers: VecDeque::new(),
        }
    }

    fn id(&self) -> String {
        self.s.framework_id.clone()
    }

    /// Next UPDATE or OFFERS event (offers are queued).
    async fn next_update(&mut self) -> Value {
        tokio::time::timeout(DEADLINE, async {
            loop {
                let e = self.ev.next_json().await.unwrap().expect("stream open");
                match e["type"].as_str().unwrap_or("") {
                    "UPDATE" => return e["update"]["status"].clone(),
                    "OFFERS" => {
                        for o in e["offers"]["offers"].as_array().into_iter().flatten() {
                            self.offers.push_back(o.clone());
                        }
                    }
                    "RESCIND" => {
                        let id = e["rescind"]["offer_id"].clone();
                        self.offers.retain(|o| o["id"] != id);
                    }
                    _ => {}
                }
            }
        })
        .await
        .unwrap_or_else(|_| panic!("no status update within {DEADLINE:?}"))
    }

    async fn next_offer(&mut self) -> Value {
        tokio::time::timeout(DEADLINE, async {
            loop {
                if let Some(o) = self.offers.pop_front() {
                    return o;
                }
                let e = self.ev.next_json().await.unwrap().expect("stream open");
                match e["type"].as_str().unwrap_or("") {
                    "OFFERS" => {
                        for o in e["offers"]["offers"].as_array().into_iter().flatten() {
                            self.offers.push_back(o.clone());
                        }
                    }
                    "UPDATE" => {
                        // Not waited for: acknowledge, so nothing is resent.
                        self.s
                            .acknowledge_json(&e["update"]["status"])
                            .await
                            .unwrap();
                    }
                    _ => {}
                }
            }
        })
        .await
        .unwrap_or_else(|_| panic!("no offer within {DEADLINE:?}"))
    }

    /// Launch a shell task on the next offer; returns the agent id.
    async fn launch(&mut self, id: &str, cmd: &str) -> String {
        let offer = self.next_offer().await;
        let agent_id = offer["agent_id"].clone();
        self.s
            .launch_json(
                &[offer["id"].clone()],
                vec![command_task(id, id, &agent_id, cmd, res(0.1, 32.0))],
                0.0,
            )
            .await
            .unwrap();
        agent_id["value"].as_str().unwrap().to_string()
    }

    /// Read updates of task `id` until one in `state`; acknowledge each one
    /// when `ack`. Returns that update's status.
    async fn wait_update(&mut self, id: &str, state: &str, ack: bool) -> Value {
        loop {
            let st = self.next_update().await;
            if st["task_id"]["value"] != id {
                continue;
            }
            if ack {
                self.s.acknowledge_json(&st).await.unwrap();
            }
            if st["state"] == state {
                return st;
            }
        }
    }
}

fn blocking<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

fn agent_state(agent: &Daemon) -> Value {
    get_json(&format!("{}/slave(1)/state", agent.url()))
}

/// (executor JSON, framework list key, executor list key) of executor `id`.
fn find_executor(st: &Value, id: &str) -> Option<(Value, &'static str, &'static str)> {
    for fk in ["frameworks", "completed_frameworks"] {
        for fw in st[fk].as_array().into_iter().flatten() {
            for ek in ["executors", "completed_executors"] {
                for ex in fw[ek].as_array().into_iter().flatten() {
                    if ex["id"] == id {
                        return Some((ex.clone(), fk, ek));
                    }
                }
            }
        }
    }
    None
}

fn files_read(agent: &Daemon, path: &str, offset: i64) -> Option<Value> {
    let url = reqwest::Url::parse_with_params(
        &format!("{}/files/read", agent.url()),
        &[("path", path), ("offset", &offset.to_string())],
    )
    .unwrap();
    match http_get(url.as_str()) {
        Some((200, body)) => serde_json::from_str(&body).ok(),
        _ => None,
    }
}

/// The run's checkpoint directory (`meta/.../runs/<container>`).
fn run_meta(work: &Path, agent_id: &str, fid: &str, eid: &str, container: &str) -> PathBuf {
    work.join("meta/slaves")
        .join(agent_id)
        .join("frameworks")
        .join(fid)
        .join("executors")
        .join(eid)
        .join("runs")
        .join(container)
}

fn master_agents(master: &Daemon) -> Vec<Value> {
    get_json(&format!("{}/master/slaves", master.url()))["slaves"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The master lists exactly one agent, `id`, active and re-registered.
fn wait_reregistered(master: &Daemon, id: &str) {
    wait_until(DEADLINE, "agent re-registered with the same id", || {
        let agents = master_agents(master);
        agents.len() == 1
            && agents[0]["id"] == id
            && agents[0]["active"] == true
            && agents[0]
                .get("reregistered_time")
                .is_some_and(|t| !t.is_null())
    });
}

/// Wait until the file at `path` grows past `size`; returns the new size.
fn wait_growth(path: &Path, size: u64, what: &str) -> u64 {
    let mut now = size;
    wait_until(DEADLINE, what, || {
        now = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        now > size
    });
    now
}

fn pid_in(path: &Path) -> u32 {
    let mut pid = 0;
    wait_until(DEADLINE, "pid file", || {
        pid = std::fs::read_to_string(path)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        pid > 0
    });
    pid
}

/// A running ticker survives its agent going down (SIGKILL or SIGTERM) and
/// is fully managed by the restarted agent.
async fn running_task_survives_restart(graceful: bool) {
    let master = master();
    let agent = blocking(|| start_agent(&master, &[]));
    let mut s = Fw::new(&master, "recovery-running").await;
    let aid = s.launch("ticker", TICKER).await;
    let running = s.wait_update("ticker", "TASK_RUNNING", true).await;
    let fid = s.id();
    let st = blocking(|| agent_state(&agent));
    assert_eq!(st["id"], aid);
    let (ex, _, _) = find_executor(&st, "ticker").unwrap();
    let dir = ex["directory"].as_str().unwrap().to_string();
    let container = ex["container"].as_str().unwrap().to_string();
    let stdout = PathBuf::from(&dir).join("stdout");
    let task_pid = blocking(|| pid_in(&PathBuf::from(&dir).join("task.pid")));
    let work = agent.work_dir();
    let meta = run_meta(&work, &aid, &fid, "ticker", &container);
    assert!(meta.join("tasks/ticker/task.updates").is_file());
    let executor_pid: u32 = std::fs::read_to_string(meta.join("pids/executor.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();

    let mut agent = agent;
    if graceful {
        let status = agent.terminate();
        assert!(
            status.success(),
            "agent exit status after SIGTERM: {status}"
        );
    } else {
        agent.kill();
    }
    // The task keeps running (and writing) while the agent is down.
    let size = std::fs::metadata(&stdout).unwrap().len();
    blocking(|| wait_growth(&stdout, size, "task output while the agent is down"));
    assert!(process_alive(task_pid), "the task died with its agent");
    assert!(
        process_alive(executor_pid),
        "the executor died with its agent"
    );

    let agent = blocking(|| restart_agent(agent, &master.addr(), &[]));
    blocking(|| wait_reregistered(&master, &aid));
    // The same executor, sandbox and container, running.
    let st = blocking(|| agent_state(&agent));
    assert_eq!(st["id"], aid);
    let (ex, fk, ek) = find_executor(&st, "ticker").expect("executor recovered");
    assert_eq!((fk, ek), ("frameworks", "executors"), "{st}");
    assert_eq!(ex["directory"], dir.as_str());
    assert_eq!(ex["container"], container.as_str());
    assert_eq!(ex["tasks"][0]["state"], "TASK_RUNNING", "{ex}");
    // Its sandbox is served again, and new output keeps appearing.
    let path = format!("{dir}/stdout");
    let probe = blocking(|| files_read(&agent, &path, -1)).expect("sandbox attached again");
    let offset = probe["offset"].as_i64().unwrap();
    let mut data = String::new();
    blocking(|| {
        wait_until(DEADLINE, "new sandbox output through /files/read", || {
            data = files_read(&agent, &path, offset)
                .and_then(|v| v["data"].as_str().map(str::to_string))
                .unwrap_or_default();
            data.contains("line ")
        })
    });
    for virt in [
        format!(
            "{}/latest/stdout",
            PathBuf::from(&dir).parent().unwrap().display()
        ),
        format!("/frameworks/{fid}/executors/ticker/runs/latest/stdout"),
    ] {
        assert!(
            blocking(|| files_read(&agent, &virt, 0)).is_some(),
            "{virt}"
        );
    }
    // Usage is reported again.
    blocking(|| {
        wait_until(DEADLINE, "executor in /monitor/statistics", || {
            let stats = get_json(&format!("{}/monitor/statistics", agent.url()));
            stats.as_array().into_iter().flatten().any(|e| {
                e["executor_id"] == "ticker"
                    && e["framework_id"] == fid.as_str()
                    && e["statistics"]["mem_rss_bytes"].as_f64().unwrap_or(0.0) > 0.0
            })
        })
    });
    // The executor knows it was recovered (its recovery countdown is off);
    // it looks for the agent's marker every 250 ms.
    let stderr_path = PathBuf::from(&dir).join("stderr");
    blocking(|| {
        wait_until(DEADLINE, "the executor noticing its recovery", || {
            std::fs::read_to_string(&stderr_path)
                .unwrap_or_default()
                .contains("recovered this executor")
        })
    });

    // The scheduler can still kill it; its process group goes away.
    s.s.kill("ticker", Some(&aid)).await.unwrap();
    let killed = s.wait_update("ticker", "TASK_KILLED", true).await;
    assert_eq!(killed["source"], "SOURCE_EXECUTOR");
    assert_ne!(killed["uuid"], running["uuid"]);
    blocking(|| {
        wait_until(DEADLINE, "task process gone", || !process_alive(task_pid));
        wait_until(DEADLINE, "executor gone", || !process_alive(executor_pid));
        wait_until(DEADLINE, "executor completed", || {
            matches!(
                find_executor(&agent_state(&agent), "ticker"),
                Some((_, _, "completed_executors"))
            )
        });
    });
    s.s.teardown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn running_task_survives_agent_sigkill_and_restart() {
    running_task_survives_restart(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn running_task_survives_agent_sigterm_and_restart() {
    running_task_survives_restart(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_that_finished_while_the_agent_was_down_is_reported_finished() {
    let master = master();
    let mut agent = blocking(|| start_agent(&master, &[]));
    let mut s = Fw::new(&master, "recovery-finished").await;
    let aid = s.launch("short", "sleep 2; echo done").await;
    s.wait_update("short", "TASK_RUNNING", true).await;
    let fid = s.id();
    let (ex, _, _) = find_executor(&blocking(|| agent_state(&agent)), "short").unwrap();
    let container = ex["container"].as_str().unwrap().to_string();
    let meta = run_meta(&agent.work_dir(), &aid, &fid, "short", &container);
    agent.kill();
    // The command ends while the agent is down; its executor records it.
    blocking(|| {
        wait_until(DEADLINE, "wait_status recorded", || {
            meta.join("wait_status").is_file()
        })
    });
    let agent = blocking(|| restart_agent(agent, &master.addr(), &[]));
    let finished = s.wait_update("short", "TASK_FINISHED", true).await;
    assert_eq!(finished["message"], "Command exited with status 0");
    assert_eq!(finished["source"], "SOURCE_EXECUTOR");
    assert_eq!(finished["agent_id"]["value"], aid.as_str());
    blocking(|| wait_reregistered(&master, &aid));
    blocking(|| {
        wait_until(
            DEADLINE,
            "executor completed after the ack",
            || match find_executor(&agent_state(&agent), "short") {
                Some((ex, _, "completed_executors")) => {
                    ex["completed_tasks"][0]["state"] == "TASK_FINISHED"
                }
                _ => false,
            },
        )
    });
    let url = format!("{}/master/tasks?task_id=short", master.url());
    blocking(|| {
        wait_until(DEADLINE, "master shows TASK_FINISHED", || {
            get_json(&url)["tasks"][0]["state"] == "TASK_FINISHED"
        })
    });
    let dir = ex["directory"].as_str().unwrap().to_string();
    let out = blocking(|| files_read(&agent, &format!("{dir}/stdout"), 0)).unwrap();
    assert_eq!(out["data"], "done\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unacknowledged_updates_are_resent_in_order_after_a_restart() {
    let master = master();
    let mut agent = blocking(|| start_agent(&master, &[]));
    let mut s = Fw::new(&master, "recovery-resend").await;
    let aid = s.launch("unacked", "sleep 1").await;
    s.wait_update("unacked", "TASK_STARTING", true).await;
    // TASK_RUNNING is not acknowledged: TASK_FINISHED queues behind it.
    let running = s.wait_update("unacked", "TASK_RUNNING", false).await;
    let fid = s.id();
    let (ex, _, _) = find_executor(&blocking(|| agent_state(&agent)), "unacked").unwrap();
    let container = ex["container"].as_str().unwrap().to_string();
    let meta = run_meta(&agent.work_dir(), &aid, &fid, "unacked", &container);
    let updates = meta.join("tasks/unacked/task.updates");
    blocking(|| {
        wait_until(DEADLINE, "TASK_FINISHED checkpointed", || {
            std::fs::read_to_string(&updates).is_ok_and(|t| t.contains("TASK_FINISHED"))
        })
    });
    agent.kill();
    let agent = blocking(|| restart_agent(agent, &master.addr(), &[]));
    blocking(|| wait_reregistered(&master, &aid));
    // Only TASK_RUNNING (the same update) comes until it is acknowledged:
    // watch the stream for a few seconds (the restarted agent resends it
    // as soon as it is registered).
    let watch_until = Instant::now() + Duration::from_secs(5);
    let give_up = Instant::now() + DEADLINE;
    let mut resent = 0;
    while Instant::now() < watch_until || resent == 0 {
        assert!(Instant::now() < give_up, "TASK_RUNNING was not resent");
        let u = tokio::time::timeout(Duration::from_secs(1), s.next_update()).await;
        let Ok(st) = u else { continue };
        let st = &st;
        assert_eq!(st["state"], "TASK_RUNNING", "out of order: {st}");
        assert_eq!(st["uuid"], running["uuid"]);
        resent += 1;
    }
    let log = agent.log();
    assert!(
        log.contains("Recovered 2 unacknowledged status update(s) for task unacked"),
        "{log}"
    );
    s.s.acknowledge_json(&running).await.unwrap();
    let finished = s.wait_update("unacked", "TASK_FINISHED", false).await;
    assert_eq!(finished["message"], "Command exited with status 0");
    s.s.acknowledge_json(&finished).await.unwrap();
    blocking(|| {
        wait_until(DEADLINE, "executor completed after the acks", || {
            matches!(
                find_executor(&agent_state(&agent), "unacked"),
                Some((_, _, "completed_executors"))
            )
        })
    });
    // The checkpointed stream holds every update, each acknowledged once.
    let cp: Value = serde_json::from_slice(&std::fs::read(&updates).unwrap()).unwrap();
    let states: Vec<&str> = cp["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"]);
    assert_eq!(cp["acknowledged"].as_array().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completed_tasks_are_kept_across_a_restart() {
    let master = master();
    let mut agent = blocking(|| start_agent(&master, &[]));
    // One framework whose only task ended, one still running a task.
    let mut s1 = Fw::new(&master, "recovery-done").await;
    let aid = s1.launch("first", "echo first").await;
    s1.wait_update("first", "TASK_FINISHED", true).await;
    // Gone from the master (its offers go to the next framework).
    s1.s.teardown().await.unwrap();
    let mut s2 = Fw::new(&master, "recovery-mixed").await;
    s2.launch("second", "echo second").await;
    s2.wait_update("second", "TASK_FINISHED", true).await;
    s2.launch("third", TICKER).await;
    s2.wait_update("third", "TASK_RUNNING", true).await;
    let before = blocking(|| {
        wait_until(DEADLINE, "tasks completed before the restart", || {
            let st = agent_state(&agent);
            ["first", "second"]
                .iter()
                .all(|t| matches!(find_executor(&st, t), Some((_, _, "completed_executors"))))
        });
        agent_state(&agent)
    });
    agent.kill();
    let agent = blocking(|| restart_agent(agent, &master.addr(), &[]));
    blocking(|| wait_reregistered(&master, &aid));
    let st = blocking(|| agent_state(&agent));
    for (task, fk) in [("first", "completed_frameworks"), ("second", "frameworks")] {
        let (ex, got_fk, ek) = find_executor(&st, task).unwrap_or_else(|| panic!("{task}: {st}"));
        assert_eq!((got_fk, ek), (fk, "completed_executors"), "{task}: {st}");
        let (old, _, _) = find_executor(&before, task).unwrap();
        assert_eq!(ex["directory"], old["directory"]);
        assert_eq!(ex["container"], old["container"]);
        assert_eq!(ex["tasks"], json!([]));
        let done = &ex["completed_tasks"][0];
        assert_eq!(done["state"], "TASK_FINISHED", "{ex}");
        assert_eq!(done["statuses"], old["completed_tasks"][0]["statuses"]);
        // Their sandboxes are still served.
        let out = blocking(|| {
            files_read(
                &agent,
                &format!("{}/stdout", ex["directory"].as_str().unwrap()),
                0,
            )
        })
        .unwrap();
        assert_eq!(out["data"], format!("{task}\n"));
    }
    let (third, fk, ek) = find_executor(&st, "third").unwrap();
    assert_eq!((fk, ek), ("frameworks", "executors"));
    assert_eq!(third["tasks"][0]["state"], "TASK_RUNNING");
    // The completed framework's executor is listed once.
    let n: usize = st["completed_frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["completed_executors"].as_array().unwrap().len())
        .sum();
    assert_eq!(n, 1, "{st}");
    s2.s.kill("third", Some(&aid)).await.unwrap();
    s2.wait_update("third", "TASK_KILLED", true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn executor_that_died_while_the_agent_was_down_fails_the_task() {
    let master = master();
    let mut agent = blocking(|| start_agent(&master, &[]));
    let mut s = Fw::new(&master, "recovery-gone").await;
    let aid = s.launch("orphan", TICKER).await;
    s.wait_update("orphan", "TASK_RUNNING", true).await;
    let fid = s.id();
    let (ex, _, _) = find_executor(&blocking(|| agent_state(&agent)), "orphan").unwrap();
    let dir = PathBuf::from(ex["directory"].as_str().unwrap());
    let container = ex["container"].as_str().unwrap().to_string();
    let meta = run_meta(&agent.work_dir(), &aid, &fid, "orphan", &container);
    let task_pid = blocking(|| pid_in(&dir.join("task.pid")));
    let executor_pid = blocking(|| pid_in(&meta.join("pids/executor.pid")));
    agent.kill();
    // The executor dies without recording anything; the command lives on.
    unsafe {
        libc::kill(executor_pid as i32, libc::SIGKILL);
    }
    blocking(|| wait_until(DEADLINE, "executor gone", || !process_alive(executor_pid)));
    assert!(process_alive(task_pid));
    let _agent = blocking(|| restart_agent(agent, &master.addr(), &[]));
    let failed = s.wait_update("orphan", "TASK_FAILED", true).await;
    assert_eq!(failed["reason"], "REASON_EXECUTOR_TERMINATED", "{failed}");
    assert_eq!(failed["source"], "SOURCE_AGENT");
    assert!(
        failed["message"]
            .as_str()
            .unwrap()
            .starts_with("Abnormal executor termination"),
        "{failed}"
    );
    // What the dead executor left behind is cleaned up.
    blocking(|| {
        wait_until(DEADLINE, "orphaned command killed", || {
            !process_alive(task_pid)
        })
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn executors_outlive_their_recovery_timeout_only_when_the_agent_comes_back() {
    let master = master();
    let mut agent = blocking(|| start_agent(&master, &["--recovery_timeout=4secs"]));
    let mut s = Fw::new(&master, "recovery-timeout").await;
    let aid = s.launch("kept", TICKER).await;
    s.wait_update("kept", "TASK_RUNNING", true).await;
    let (ex, _, _) = find_executor(&blocking(|| agent_state(&agent)), "kept").unwrap();
    let kept_dir = PathBuf::from(ex["directory"].as_str().unwrap());
    let kept_pid = blocking(|| pid_in(&kept_dir.join("task.pid")));
    s.launch("dropped", TICKER).await;
    s.wait_update("dropped", "TASK_RUNNING", true).await;
    let (ex, _, _) = find_executor(&blocking(|| agent_state(&agent)), "dropped").unwrap();
    let dropped_dir = PathBuf::from(ex["directory"].as_str().unwrap());
    let dropped_pid = blocking(|| pid_in(&dropped_dir.join("task.pid")));
    let fid = s.id();
    let work = agent.work_dir();

    agent.kill();
    // Nobody comes back for `dropped` in time: hide its checkpoint so the
    // restarted agent cannot reconnect to it.
    let dropped_meta = run_meta(
        &work,
        &aid,
        &fid,
        "dropped",
        ex["container"].as_str().unwrap(),
    );
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::rename(&dropped_meta, elsewhere.path().join("run")).unwrap();
    let agent = blocking(|| restart_agent(agent, &master.addr(), &["--recovery_timeout=4secs"]));
    blocking(|| wait_reregistered(&master, &aid));
    let started = Instant::now();
    blocking(|| {
        wait_until(DEADLINE, "unrecovered executor timed out", || {
            !process_alive(dropped_pid)
        })
    });
    let stderr = std::fs::read_to_string(dropped_dir.join("stderr")).unwrap();
    assert!(stderr.contains("Recovery timeout elapsed"), "{stderr}");
    // The recovered one outlives the timeout (4 s + 3 s grace).
    let stdout = kept_dir.join("stdout");
    let mut size = std::fs::metadata(&stdout).unwrap().len();
    while started.elapsed() < Duration::from_secs(9) {
        size = blocking(|| wait_growth(&stdout, size, "recovered task output"));
    }
    assert!(process_alive(kept_pid));
    let stderr = std::fs::read_to_string(kept_dir.join("stderr")).unwrap();
    assert!(!stderr.contains("Recovery timeout elapsed"), "{stderr}");
    s.s.kill("kept", Some(&aid)).await.unwrap();
    s.wait_update("kept", "TASK_KILLED", true).await;
    drop(agent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recover_cleanup_kills_the_old_executors_and_exits() {
    let master = master();
    let mut agent = blocking(|| start_agent(&master, &[]));
    let mut s = Fw::new(&master, "recovery-cleanup").await;
    s.launch("doomed", TICKER).await;
    s.wait_update("doomed", "TASK_RUNNING", true).await;
    let (ex, _, _) = find_executor(&blocking(|| agent_state(&agent)), "doomed").unwrap();
    let dir = PathBuf::from(ex["directory"].as_str().unwrap());
    let task_pid = blocking(|| pid_in(&dir.join("task.pid")));
    agent.kill();
    let port = agent.port;
    let tmp = std::mem::replace(&mut agent.dir, tempfile::tempdir().unwrap());
    drop(agent);
    let mut cleanup = start_agent_in(&master.addr(), port, tmp, &["--recover=cleanup"]);
    let status = blocking(|| cleanup.child.wait().unwrap());
    assert!(status.success(), "{status}: {}", cleanup.log());
    assert!(
        cleanup.log().contains("killed 1 executor(s)"),
        "{}",
        cleanup.log()
    );
    blocking(|| wait_until(DEADLINE, "task killed", || !process_alive(task_pid)));
}

/// As in Mesos, only the executors of frameworks that checkpoint are
/// recovered: a non-checkpointing framework's executor shuts its task down
/// as soon as the agent is killed, the restarted agent does not report it,
/// and the framework hears TASK_LOST; the checkpointing framework's task
/// runs on under the restarted agent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_checkpointing_frameworks_executors_survive_an_agent_restart() {
    // Held offers come back quickly, so both frameworks get some.
    let master = start_master(&[
        "--agent_ping_timeout=1secs",
        "--max_agent_ping_timeouts=300",
        "--offer_timeout=1secs",
    ]);
    let agent = blocking(|| start_agent(&master, &[]));
    let mut plain = Fw::with_checkpoint(&master, "recovery-no-checkpoint", false).await;
    let aid = plain.launch("plain", TICKER).await;
    plain.wait_update("plain", "TASK_RUNNING", true).await;
    plain.s.suppress().await.unwrap();
    let mut kept = Fw::new(&master, "recovery-checkpoint").await;
    kept.launch("kept", TICKER).await;
    kept.wait_update("kept", "TASK_RUNNING", true).await;
    let st = blocking(|| agent_state(&agent));
    let dir_of = |id: &str| {
        let (ex, _, _) = find_executor(&st, id).unwrap_or_else(|| panic!("{id}: {st}"));
        PathBuf::from(ex["directory"].as_str().unwrap())
    };
    let (plain_dir, kept_dir) = (dir_of("plain"), dir_of("kept"));
    let plain_pid = blocking(|| pid_in(&plain_dir.join("task.pid")));
    let kept_pid = blocking(|| pid_in(&kept_dir.join("task.pid")));

    let mut agent = agent;
    agent.kill();
    blocking(|| {
        wait_until(
            DEADLINE,
            "the non-checkpointing task ending with its agent",
            || !process_alive(plain_pid),
        )
    });
    let stderr = std::fs::read_to_string(plain_dir.join("stderr")).unwrap_or_default();
    assert!(
        stderr.contains("the framework does not checkpoint"),
        "{stderr}"
    );
    assert!(process_alive(kept_pid), "the checkpointing task died");

    let agent = blocking(|| restart_agent(agent, &master.addr(), &[]));
    blocking(|| wait_reregistered(&master, &aid));
    let lost = plain.wait_update("plain", "TASK_LOST", true).await;
    assert_eq!(lost["task_id"]["value"], "plain", "{lost}");
    let st = blocking(|| agent_state(&agent));
    assert!(find_executor(&st, "plain").is_none(), "{st}");
    let (ex, fk, ek) = find_executor(&st, "kept").expect("checkpointing executor recovered");
    assert_eq!((fk, ek), ("frameworks", "executors"), "{st}");
    assert_eq!(ex["tasks"][0]["state"], "TASK_RUNNING", "{ex}");
    assert!(process_alive(kept_pid));
    kept.s.kill("kept", Some(&aid)).await.unwrap();
    kept.wait_update("kept", "TASK_KILLED", true).await;
    blocking(|| wait_until(DEADLINE, "kept task gone", || !process_alive(kept_pid)));
}

/// Like Mesos when an agent's connection drops, the master marks a killed
/// agent disconnected (`active: false` in v0 and v1) within seconds and
/// rescinds its offers, long before the ping timeout removes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_agent_is_marked_disconnected_promptly_then_removed() {
    let master = start_master(&["--agent_ping_timeout=1secs", "--max_agent_ping_timeouts=20"]);
    let mut agent = blocking(|| start_agent(&master, &[]));
    let mut s = Fw::new(&master, "disconnect").await;
    let offer = s.next_offer().await;
    let aid = offer["agent_id"]["value"].as_str().unwrap().to_string();
    let active = |m: &Daemon| -> Option<bool> {
        master_agents(m)
            .iter()
            .find(|a| a["id"] == aid.as_str())
            .map(|a| a["active"] == true)
    };
    assert_eq!(blocking(|| active(&master)), Some(true));
    let killed = Instant::now();
    agent.kill();
    blocking(|| {
        wait_until(DEADLINE, "the killed agent marked inactive", || {
            active(&master) == Some(false)
        })
    });
    let took = killed.elapsed();
    assert!(
        took < Duration::from_secs(10),
        "marked disconnected after {took:?} (removal comes after 20 s)"
    );
    assert!(
        master.log().contains(&format!("Agent {aid}")) && master.log().contains("disconnected"),
        "{}",
        master.log()
    );
    // The v1 operator API agrees.
    let v1 = blocking(|| {
        let r = crate::common::daemons::request(
            &master.addr(),
            "POST",
            "/api/v1",
            &[("Content-Type", "application/json")],
            br#"{"type":"GET_AGENTS"}"#,
        );
        r.json()
    });
    let agents = v1["get_agents"]["agents"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(agents.len(), 1, "{v1}");
    assert_eq!(agents[0]["active"], false, "{v1}");
    // So do the metrics.
    let metrics = blocking(|| {
        crate::common::daemons::request(&master.addr(), "GET", "/metrics/snapshot", &[], b"").json()
    });
    assert_eq!(metrics["master/slaves_connected"], 0.0, "{metrics}");
    assert_eq!(metrics["master/slaves_disconnected"], 1.0, "{metrics}");
    // Its outstanding offer was rescinded.
    let offer_id = offer["id"].clone();
    tokio::time::timeout(DEADLINE, async {
        loop {
            let e = s.ev.next_json().await.unwrap().expect("stream open");
            if e["type"] == "RESCIND" && e["rescind"]["offer_id"] == offer_id {
                return;
            }
        }
    })
    .await
    .expect("the disconnected agent's offer is rescinded");
    // Back (same id and work dir): active again, and offered again.
    let agent = blocking(|| restart_agent(agent, &master.addr(), &[]));
    blocking(|| {
        wait_until(DEADLINE, "the restarted agent active again", || {
            active(&master) == Some(true)
        })
    });
    s.offers.clear();
    let again = s.next_offer().await;
    assert_eq!(again["agent_id"]["value"], aid.as_str());
    assert_ne!(again["id"], offer_id, "a new offer");
    // Killed for good: disconnected again, later removed by the ping
    // timeout, as before.
    let mut agent = agent;
    let killed = Instant::now();
    agent.kill();
    blocking(|| {
        wait_until(DEADLINE, "the killed agent marked inactive again", || {
            active(&master) == Some(false)
        })
    });
    blocking(|| {
        wait_until(DEADLINE, "the killed agent removed", || {
            active(&master).is_none()
        })
    });
    assert!(
        killed.elapsed() >= Duration::from_secs(15),
        "removed too early"
    );
}
