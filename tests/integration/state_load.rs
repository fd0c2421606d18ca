//! Scheduling while `/master/state` is polled (issue 11, "no starvation"),
//! CI-sized: real master and agent processes, 10 pollers at 5 requests/s
//! each, 100 `true` tasks through `mesos execute`. The full-size run with
//! its time budgets is bench/state-load.sh.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::cluster::{get_json, start_agent, start_master, Daemon};
use crate::common::daemons::request;
use crate::common::{wait_until, TestEnv};

const POLLERS: usize = 10;
const TASKS: usize = 100;
/// Generous: the same run takes a few seconds without pollers.
const EXECUTE_DEADLINE: Duration = Duration::from_secs(240);

/// Every task id in a v0 state (active and completed, of registered and
/// completed frameworks), with its state.
fn tasks_in(state: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for list in ["frameworks", "completed_frameworks"] {
        for fw in state[list].as_array().into_iter().flatten() {
            for key in ["tasks", "unreachable_tasks", "completed_tasks"] {
                for t in fw[key].as_array().into_iter().flatten() {
                    out.push((
                        t["id"].as_str().unwrap_or("").to_string(),
                        t["state"].as_str().unwrap_or("").to_string(),
                    ));
                }
            }
        }
    }
    out
}

/// What one poller saw.
#[derive(Default)]
struct Seen {
    polls: usize,
    /// Failures: status, unparsable body, a task listed twice, or fewer
    /// tasks than an earlier answer showed (a body older than one already
    /// served to this client).
    problems: Vec<String>,
}

/// GET `/master/state` every 200 ms until `stop`; gzip on odd pollers.
fn poll(addr: String, n: usize, stop: Arc<AtomicBool>) -> Seen {
    let mut seen = Seen::default();
    let mut most = 0;
    let gzip = n % 2 == 1;
    while !stop.load(Ordering::SeqCst) {
        let t0 = Instant::now();
        let headers: &[(&str, &str)] = if gzip {
            &[("Accept-Encoding", "gzip")]
        } else {
            &[]
        };
        let r = request(&addr, "GET", "/master/state", headers, b"");
        seen.polls += 1;
        if r.status != 200 {
            seen.problems
                .push(format!("status {}: {}", r.status, r.text()));
            continue;
        }
        let mut body = r.body.clone();
        if r.header("content-encoding") == Some("gzip") {
            body.clear();
            if let Err(e) = flate2::read::GzDecoder::new(&r.body[..]).read_to_end(&mut body) {
                seen.problems.push(format!("bad gzip: {e}"));
                continue;
            }
        }
        let state: Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                seen.problems.push(format!("not JSON: {e}"));
                continue;
            }
        };
        let tasks = tasks_in(&state);
        let ids: BTreeSet<&str> = tasks.iter().map(|(id, _)| id.as_str()).collect();
        if ids.len() != tasks.len() {
            seen.problems.push("a task listed twice".into());
        }
        if tasks.len() < most {
            seen.problems.push(format!(
                "went back in time: {} tasks after {most}",
                tasks.len()
            ));
        }
        most = most.max(tasks.len());
        if let Some(rest) = Duration::from_millis(200).checked_sub(t0.elapsed()) {
            std::thread::sleep(rest);
        }
    }
    seen
}

fn metric(d: &Daemon, name: &str) -> f64 {
    get_json(&format!("{}/metrics/snapshot", d.url()))[name]
        .as_f64()
        .unwrap_or_else(|| panic!("no metric {name}"))
}

#[test]
fn tasks_finish_while_state_is_polled_and_no_update_is_resent() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &["--resources=cpus:8;mem:8192;disk:8192"]);
    let stop = Arc::new(AtomicBool::new(false));
    let pollers: Vec<_> = (0..POLLERS)
        .map(|n| {
            let (addr, stop) = (master.addr(), stop.clone());
            std::thread::spawn(move || poll(addr, n, stop))
        })
        .collect();

    let env = TestEnv::new();
    let instances = TASKS.to_string();
    let addr = master.addr();
    let mut child = env
        .command(&[
            "execute",
            "--master",
            &addr,
            "-q",
            "--name",
            "load",
            "--instances",
            &instances,
            "--command",
            "true",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn mesos execute");
    let t0 = Instant::now();
    let mut status = None;
    wait_until(EXECUTE_DEADLINE, "mesos execute to finish", || {
        status = child.try_wait().expect("wait for mesos execute");
        status.is_some()
    });
    let took = t0.elapsed();
    stop.store(true, Ordering::SeqCst);
    let seen: Vec<Seen> = pollers.into_iter().map(|p| p.join().unwrap()).collect();
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    assert!(
        status.unwrap().success(),
        "mesos execute failed after {took:?}: {stderr}"
    );

    // Every poll answered, with a consistent body.
    let polls: usize = seen.iter().map(|s| s.polls).sum();
    let problems: Vec<&String> = seen.iter().flat_map(|s| &s.problems).collect();
    assert!(
        problems.is_empty(),
        "{} of {polls} polls: {problems:?}",
        problems.len()
    );
    assert!(
        seen.iter().all(|s| s.polls >= 1),
        "every poller was answered"
    );

    // No update was resent for want of an acknowledgement.
    assert_eq!(metric(&agent, "slave/status_update_resends"), 0.0);

    // Once quiet: the state shows exactly the launched tasks, all finished,
    // and agrees with the metrics.
    let state = get_json(&format!("{}/master/state", master.url()));
    let tasks = tasks_in(&state);
    let ids: BTreeSet<String> = tasks.iter().map(|(id, _)| id.clone()).collect();
    let expected: BTreeSet<String> = (1..=TASKS).map(|i| format!("load-{i}")).collect();
    assert_eq!(ids, expected);
    assert!(tasks.iter().all(|(_, s)| s == "TASK_FINISHED"), "{tasks:?}");
    assert_eq!(metric(&master, "master/tasks_finished"), TASKS as f64);
    // A status update is counted once, however often it was sent: the
    // master counts as many as the agent emitted.
    assert_eq!(
        metric(&master, "master/messages_status_update"),
        metric(&agent, "slave/valid_status_updates")
    );
}
