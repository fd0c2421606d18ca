//! Issue 14 end to end with real processes: `mesos cluster up` starts a
//! master, an agent and `mesos marathon`; `mesos app` keeps an HTTP service
//! running and healthy through a killed task, scaling, a rolling update, a
//! deployment that never becomes healthy (rolled back) and a scheduler
//! killed with SIGKILL (tasks adopted, not relaunched).

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cluster_local::{alive, Env};
use crate::common::cluster::{get_json, http_get};
use crate::common::wait_until;

const DEADLINE: Duration = Duration::from_secs(90);

/// `mesos app add -` with `body` on stdin; returns the exit code and stderr.
fn app_add(env: &Env, body: &str, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["app", "add", "-"];
    args.extend_from_slice(extra);
    let r = env.env.run_with_stdin(&args, body.as_bytes());
    (r.code, r.stderr)
}

/// `mesos app update APP -` with `body` on stdin.
fn app_update(env: &Env, app: &str, body: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["app", "update", app, "-"];
    args.extend_from_slice(extra);
    let r = env.env.run_with_stdin(&args, body.as_bytes());
    (r.code, r.stdout, r.stderr)
}

fn app_json(marathon: &str, id: &str) -> Value {
    get_json(&format!("{marathon}/v2/apps{id}?embed=app.tasks"))["app"].clone()
}

fn task_ids(app: &Value) -> BTreeSet<String> {
    app["tasks"]
        .as_array()
        .map(|ts| {
            ts.iter()
                .map(|t| t["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Instances whose every health result is alive.
fn healthy_tasks(app: &Value) -> usize {
    app["tasks"]
        .as_array()
        .map(|ts| {
            ts.iter()
                .filter(|t| {
                    t["state"] == "TASK_RUNNING"
                        && t["healthCheckResults"]
                            .as_array()
                            .is_some_and(|r| !r.is_empty() && r.iter().all(|h| h["alive"] == true))
                })
                .count()
        })
        .unwrap_or(0)
}

/// The pid of the process serving `port` (the task's `python3 -m
/// http.server PORT`).
fn server_pid(port: u64) -> Option<u32> {
    let needle = format!("http.server {port}");
    for e in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        if cmd.contains("python3") && cmd.contains(&needle) && alive(pid as u64) {
            return Some(pid);
        }
    }
    None
}

fn marathon_url(env: &Env) -> String {
    env.state("local")["marathon"]
        .as_str()
        .expect("cluster up records the marathon URL")
        .to_string()
}

fn deployments(marathon: &str) -> Vec<Value> {
    get_json(&format!("{marathon}/v2/deployments"))
        .as_array()
        .cloned()
        .unwrap_or_default()
}

const WEB: &str = r#"{"id": "/web", "cmd": "exec python3 -m http.server $PORT0",
  "instances": 2, "cpus": 0.1, "mem": 32, "backoffSeconds": 1,
  "healthChecks": [{"protocol": "HTTP", "path": "/", "gracePeriodSeconds": 30,
    "intervalSeconds": 1, "timeoutSeconds": 1, "maxConsecutiveFailures": 2}]}"#;

#[test]
fn a_service_stays_healthy_through_kills_scaling_updates_and_a_failed_rollout() {
    let env = Env::new();
    env.run(&["cluster", "up", "--agents", "1"]).assert_ok();
    let marathon = marathon_url(&env);

    // Add: the CLI follows the deployment; the service answers on its ports.
    let (code, err) = app_add(&env, WEB, &["--timeout", "120s"]);
    assert_eq!(code, 0, "{err}");
    wait_until(DEADLINE, "2 healthy instances of /web", || {
        healthy_tasks(&app_json(&marathon, "/web")) == 2
    });
    let app = app_json(&marathon, "/web");
    assert_eq!(app["tasksHealthy"], 2, "{app}");
    for t in app["tasks"].as_array().unwrap() {
        let port = t["ports"][0].as_u64().unwrap();
        let (code, _) = http_get(&format!("http://127.0.0.1:{port}/")).expect("task answers");
        assert_eq!(code, 200);
    }

    // kill -9 one task's process: replaced, healthy again.
    let before = task_ids(&app);
    let victim = &app["tasks"][0];
    let pid = server_pid(victim["ports"][0].as_u64().unwrap()).expect("the task's process");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    let victim_id = victim["id"].as_str().unwrap().to_string();
    wait_until(DEADLINE, "the killed task is replaced and healthy", || {
        let a = app_json(&marathon, "/web");
        let ids = task_ids(&a);
        !ids.contains(&victim_id) && ids.len() == 2 && healthy_tasks(&a) == 2
    });
    let after = task_ids(&app_json(&marathon, "/web"));
    assert_eq!(before.intersection(&after).count(), 1, "one survivor");
    let failure = app_json(&marathon, "/web")["lastTaskFailure"].clone();
    assert_eq!(failure["taskId"], victim_id.as_str(), "{failure}");

    // Scale to 3 and back to 2.
    env.run(&["app", "scale", "/web", "3", "--timeout", "120s"])
        .assert_ok();
    wait_until(DEADLINE, "3 healthy", || {
        healthy_tasks(&app_json(&marathon, "/web")) == 3
    });
    env.run(&["app", "scale", "/web", "2", "--timeout", "120s"])
        .assert_ok();
    wait_until(DEADLINE, "back to 2", || {
        task_ids(&app_json(&marathon, "/web")).len() == 2
    });

    // A new command: rolling replacement that never drops below
    // minimumHealthCapacity (1.0: both instances healthy all along).
    let old = task_ids(&app_json(&marathon, "/web"));
    let (code, out, err) = app_update(
        &env,
        "/web",
        r#"{"cmd": "exec python3 -m http.server $PORT0 --directory ."}"#,
        &["--no-wait"],
    );
    assert_eq!(code, 0, "{err}");
    let deployment = out.trim().to_string();
    assert!(!deployment.is_empty(), "--no-wait prints the deployment id");
    let mut min_healthy = usize::MAX;
    let start = Instant::now();
    loop {
        let a = app_json(&marathon, "/web");
        min_healthy = min_healthy.min(healthy_tasks(&a));
        let ids = task_ids(&a);
        let done = !deployments(&marathon)
            .iter()
            .any(|d| d["id"] == deployment.as_str());
        if done && ids.is_disjoint(&old) && healthy_tasks(&a) == 2 {
            break;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "rolling update did not finish: {a}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        min_healthy >= 2,
        "dropped to {min_healthy} healthy instances"
    );

    // A rollout that can never become healthy stays visible, and rolls back.
    let stable = task_ids(&app_json(&marathon, "/web"));
    let (code, out, err) = app_update(&env, "/web", r#"{"cmd": "sleep 600"}"#, &["--no-wait"]);
    assert_eq!(code, 0, "{err}");
    let bad = out.trim().to_string();
    wait_until(DEADLINE, "an unhealthy new instance was started", || {
        task_ids(&app_json(&marathon, "/web")).len() > 2
    });
    assert!(
        deployments(&marathon)
            .iter()
            .any(|d| d["id"] == bad.as_str()),
        "the stuck deployment is listed"
    );
    assert_eq!(
        healthy_tasks(&app_json(&marathon, "/web")),
        2,
        "old instances stay while the new ones are unhealthy"
    );
    let r = env.run(&["deployment", "list", "--json"]);
    r.assert_ok();
    assert!(r.stdout.contains(&bad), "{}", r.stdout);
    env.run(&["deployment", "rollback", &bad, "--timeout", "120s"])
        .assert_ok();
    // Back to the healthy command; the unhealthy instances are gone (the
    // revert is a new version, so the old instances may be replaced too).
    wait_until(DEADLINE, "rolled back to the healthy version", || {
        let a = app_json(&marathon, "/web");
        let tasks = a["tasks"].as_array().cloned().unwrap_or_default();
        deployments(&marathon).is_empty()
            && tasks.len() == 2
            && healthy_tasks(&a) == 2
            && tasks.iter().all(|t| t["version"] == a["version"])
    });
    let a = app_json(&marathon, "/web");
    assert!(a["cmd"].as_str().unwrap().contains("--directory ."), "{a}");
    assert!(
        stable.len() == 2,
        "two healthy instances before the bad rollout"
    );
}

#[test]
fn a_killed_scheduler_adopts_its_tasks_without_relaunching() {
    let env = Env::new();
    env.run(&["cluster", "up", "--agents", "1"]).assert_ok();
    let marathon = marathon_url(&env);
    let (code, err) = app_add(
        &env,
        r#"{"id": "/sleepy", "cmd": "sleep 600", "instances": 2, "cpus": 0.1, "mem": 16}"#,
        &["--timeout", "120s"],
    );
    assert_eq!(code, 0, "{err}");
    let before = task_ids(&app_json(&marathon, "/sleepy"));
    assert_eq!(before.len(), 2);
    let info = get_json(&format!("{marathon}/v2/info"));
    let framework_id = info["frameworkId"].as_str().unwrap().to_string();

    // SIGKILL the scheduler; `cluster up` brings it back.
    let st = env.state("local");
    let pid = st["daemons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["role"] == "marathon")
        .unwrap()["pid"]
        .as_u64()
        .unwrap();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    wait_until(DEADLINE, "the scheduler is gone", || !alive(pid));
    // Start it again as `cluster up` did (same flags, same work dir).
    let args: Vec<String> = st["daemons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["role"] == "marathon")
        .unwrap()["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    let log = std::fs::File::create(env.env.home().join("marathon-again.log")).unwrap();
    let _again = Restarted(
        std::process::Command::new(crate::common::mesos_bin())
            .args(&args)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    wait_until(DEADLINE, "the scheduler is back", || {
        http_get(&format!("{marathon}/ping")).is_some_and(|(c, _)| c == 200)
    });

    // Same framework, re-subscribed; the same two tasks, nothing launched.
    let master = env.state("local")["master"].as_str().unwrap().to_string();
    let master = if master.starts_with("http") {
        master
    } else {
        format!("http://{master}")
    };
    wait_until(DEADLINE, "the framework re-subscribed", || {
        let fw = get_json(&format!("{master}/master/frameworks"));
        fw["frameworks"].as_array().unwrap().iter().any(|f| {
            f["id"] == framework_id.as_str() && f["active"] == true && f["connected"] == true
        })
    });
    wait_until(DEADLINE, "the tasks are adopted", || {
        let a = app_json(&marathon, "/sleepy");
        a["tasksRunning"] == 2 && deployments(&marathon).is_empty()
    });
    assert_eq!(task_ids(&app_json(&marathon, "/sleepy")), before);
    let tasks = get_json(&format!("{master}/master/tasks"));
    let launched: BTreeSet<String> = tasks["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["framework_id"] == framework_id.as_str())
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        launched, before,
        "the master knows exactly the adopted tasks"
    );
    assert_eq!(
        get_json(&format!("{marathon}/v2/info"))["frameworkId"],
        framework_id.as_str()
    );
}

/// A process started by the test; killed when dropped.
struct Restarted(std::process::Child);

impl Drop for Restarted {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
