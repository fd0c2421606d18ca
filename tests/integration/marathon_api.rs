//! `mesos marathon` as a real process against a bundled master: it serves
//! the REST API, and what it stored survives a kill -9 and a restart.

use std::process::Command;
use std::time::Duration;

use crate::common::cluster::{spawn_with_env, start_master, Daemon};
use crate::common::daemons::request;
use crate::common::{free_port, mesos_bin, wait_until, zk};

/// Start `mesos marathon` on a free port with its state in `work_dir`, and
/// wait until `/ping` answers.
pub(crate) fn start_marathon(master: &Daemon, work_dir: &std::path::Path) -> Daemon {
    start_marathon_with(master, &format!("--work_dir={}", work_dir.display()))
}

/// [`start_marathon`] with the state flag given (`--work_dir=` or `--zk=`).
fn start_marathon_with(master: &Daemon, state: &str) -> Daemon {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let args = vec![
        format!("--master={}", master.addr()),
        state.to_string(),
        "--http_address=127.0.0.1".to_string(),
        format!("--http_port={port}"),
        "--hostname=127.0.0.1".to_string(),
    ];
    let mut d = spawn_with_env("marathon", args, &[], port, dir);
    let addr = d.addr();
    wait_until(Duration::from_secs(30), "marathon /ping", || {
        if let Ok(Some(st)) = d.child.try_wait() {
            panic!("marathon exited early ({st}):\n{}", d.log());
        }
        std::net::TcpStream::connect(&addr).is_ok()
            && request(&addr, "GET", "/ping", &[], b"").status == 200
    });
    d
}

#[test]
fn marathon_serves_the_api_and_keeps_apps_across_a_kill_9() {
    let master = start_master(&[]);
    let state = tempfile::tempdir().unwrap();
    let mut m = start_marathon(&master, state.path());
    let addr = m.addr();

    let r = request(&addr, "GET", "/ping", &[], b"");
    assert_eq!(r.text(), "pong");
    let info = request(&addr, "GET", "/v2/info", &[], b"").json();
    assert_eq!(info["name"], "marathon");
    assert_eq!(info["elected"], true);
    assert_eq!(info["leader"], format!("127.0.0.1:{}", m.port));
    assert!(info["marathon_config"].is_object());
    assert_eq!(info["marathon_config"]["framework_name"], "marathon");

    let body = br#"{"id":"/web","cmd":"sleep 600","instances":2}"#;
    let r = request(
        &addr,
        "POST",
        "/v2/apps",
        &[("Content-Type", "application/json")],
        body,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert!(r.header("Marathon-Deployment-Id").is_some());
    assert!(r.header("Location").is_some());
    let created = r.json();
    let version = created["version"].as_str().unwrap().to_string();
    let r = request(
        &addr,
        "POST",
        "/v2/apps",
        &[("Content-Type", "application/json")],
        body,
    );
    assert_eq!(r.status, 409);

    // kill -9, then a new process on the same state: nothing is lost.
    m.kill();
    let m2 = start_marathon(&master, state.path());
    let addr = m2.addr();
    let r = request(&addr, "GET", "/v2/apps/web", &[], b"");
    assert_eq!(r.status, 200, "{}\n{}", r.text(), m2.log());
    let app = r.json();
    assert_eq!(app["app"]["id"], "/web");
    assert_eq!(app["app"]["instances"], 2);
    assert_eq!(app["app"]["version"], version.as_str());
    assert_eq!(
        app["app"]["portDefinitions"], created["portDefinitions"],
        "service ports are kept"
    );
    let versions = request(&addr, "GET", "/v2/apps//web/versions", &[], b"").json();
    assert_eq!(versions["versions"], serde_json::json!([version]));
    let r = request(
        &addr,
        "POST",
        "/v2/apps",
        &[("Content-Type", "application/json")],
        body,
    );
    assert_eq!(r.status, 409, "still there after the restart");
}

#[test]
fn marathon_flags_help_and_refusals() {
    let out = Command::new(mesos_bin())
        .args(["marathon", "--help"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("MARATHON_<FLAG>"), "{help}");
    assert!(help.contains("--http_port"), "{help}");

    // No --master: one line naming the flag, exit 1.
    let out = Command::new(mesos_bin())
        .args(["marathon", "--work_dir=/tmp/x"])
        .env_remove("MARATHON_MASTER")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--master"), "{err}");

    // Flags come from MARATHON_<FLAG> too; an unknown flag is a usage error.
    let out = Command::new(mesos_bin())
        .args(["marathon", "--bogus=1"])
        .env("MARATHON_MASTER", "127.0.0.1:5050")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(mesos_bin())
        .args(["marathon"])
        .env("MARATHON_MASTER", "127.0.0.1:5050")
        .env_remove("MARATHON_WORK_DIR")
        .env_remove("MARATHON_ZK")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("--work_dir"),
        "MARATHON_MASTER was read: {err}"
    );
}

/// Who `/v2/leader` on `addr` names, if anyone.
fn leader_of(addr: &str) -> Option<String> {
    let r = request(addr, "GET", "/v2/leader", &[], b"");
    (r.status == 200).then(|| r.json()["leader"].as_str().unwrap_or("").to_string())
}

#[test]
fn two_marathons_on_zookeeper_elect_one_proxy_to_it_and_fail_over() {
    let master = start_master(&[]);
    let url = zk::shared().url(&zk::unique_path("marathon-ha"));
    let mut a = start_marathon_with(&master, &format!("--zk={url}"));
    let mut b = start_marathon_with(&master, &format!("--zk={url}"));
    let (aa, ba) = (a.addr(), b.addr());
    wait_until(Duration::from_secs(30), "one leader both agree on", || {
        let (la, lb) = (leader_of(&aa), leader_of(&ba));
        la.is_some() && la == lb
    });
    let leader = leader_of(&aa).unwrap();
    let (leader_d, standby_d) = if leader == aa {
        (&mut a, &mut b)
    } else {
        (&mut b, &mut a)
    };
    let standby = standby_d.addr();
    let info = request(&standby, "GET", "/v2/info", &[], b"").json();
    // /v2/info is proxied too: the leader answers it.
    assert_eq!(info["elected"], true);
    assert_eq!(info["leader"], leader.as_str());
    assert_eq!(info["zookeeper_config"]["zk"], url.as_str());

    // A change sent to the standby is made by the leader.
    let body = br#"{"id":"/ha","cmd":"sleep 600"}"#;
    let r = request(
        &standby,
        "POST",
        "/v2/apps",
        &[("Content-Type", "application/json")],
        body,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        r.header("X-Marathon-Leader"),
        Some(format!("http://{leader}").as_str())
    );

    // The leader dies: the standby takes over with the state from ZooKeeper.
    leader_d.kill();
    wait_until(Duration::from_secs(60), "the standby to lead", || {
        leader_of(&standby).as_deref() == Some(standby.as_str())
    });
    let r = request(&standby, "GET", "/v2/apps/ha", &[], b"");
    assert_eq!(r.status, 200, "{}\n{}", r.text(), standby_d.log());
    assert_eq!(r.json()["app"]["cmd"], "sleep 600");
}

#[test]
fn marathon_serves_tls_like_the_daemons() {
    use crate::common::tls_daemons::{https_get, Pki};
    let pki = Pki::new();
    let master = start_master(&[]);
    let state = tempfile::tempdir().unwrap();
    let port = free_port();
    let args = vec![
        format!("--master={}", master.addr()),
        format!("--work_dir={}", state.path().display()),
        "--http_address=127.0.0.1".to_string(),
        format!("--http_port={port}"),
        "--hostname=127.0.0.1".to_string(),
    ];
    let mut d = spawn_with_env(
        "marathon",
        args,
        &pki.env(&[]),
        port,
        tempfile::tempdir().unwrap(),
    );
    let ping = format!("https://127.0.0.1:{port}/ping");
    wait_until(Duration::from_secs(30), "marathon https /ping", || {
        if let Ok(Some(st)) = d.child.try_wait() {
            panic!("marathon exited early ({st}):\n{}", d.log());
        }
        matches!(https_get(&pki, &ping, false), Some((200, ref b)) if b == "pong")
    });
    let (code, body) =
        https_get(&pki, &format!("https://127.0.0.1:{port}/v2/info"), false).unwrap();
    assert_eq!(code, 200);
    let info: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        info["marathon_config"]["webui_url"],
        format!("https://127.0.0.1:{port}").as_str()
    );
    // Plain HTTP on the TLS port is refused.
    let r = request(&d.addr(), "GET", "/ping", &[], b"");
    assert_eq!(r.status, 400);
}

/// The running tasks of `/app` as (id, state).
fn tasks_of(addr: &str, app: &str) -> Vec<(String, String)> {
    let r = request(addr, "GET", &format!("/v2/apps{app}/tasks"), &[], b"");
    if r.status != 200 {
        return Vec::new();
    }
    r.json()["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_string(),
                t["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn marathon_runs_apps_and_adopts_its_tasks_after_a_kill_9() {
    let master = start_master(&[]);
    let _agent = crate::common::cluster::start_agent(&master, &[]);
    let state = tempfile::tempdir().unwrap();
    let mut m = start_marathon(&master, state.path());
    let addr = m.addr();
    let body = br#"{"id":"/sleepy","cmd":"sleep 600","instances":2,"cpus":0.1,"mem":32}"#;
    let r = request(
        &addr,
        "POST",
        "/v2/apps",
        &[("Content-Type", "application/json")],
        body,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    wait_until(
        Duration::from_secs(60),
        "2 running tasks and no deployment",
        || {
            let running = tasks_of(&addr, "/sleepy")
                .iter()
                .filter(|(_, s)| s == "TASK_RUNNING")
                .count();
            let deps = request(&addr, "GET", "/v2/deployments", &[], b"").json();
            running == 2 && deps.as_array().is_some_and(|d| d.is_empty())
        },
    );
    let before: Vec<String> = tasks_of(&addr, "/sleepy")
        .into_iter()
        .map(|t| t.0)
        .collect();
    let fw = crate::common::cluster::get_json(&format!("{}/master/frameworks", master.url()));
    assert_eq!(fw["frameworks"][0]["name"], "marathon");

    // kill -9 the scheduler; a new one on the same state adopts the tasks.
    m.kill();
    let m2 = start_marathon(&master, state.path());
    let addr = m2.addr();
    wait_until(
        Duration::from_secs(60),
        "the tasks adopted, running",
        || {
            let now = tasks_of(&addr, "/sleepy");
            now.len() == 2 && now.iter().all(|(_, s)| s == "TASK_RUNNING")
        },
    );
    let mut after: Vec<String> = tasks_of(&addr, "/sleepy")
        .into_iter()
        .map(|t| t.0)
        .collect();
    let mut before = before;
    before.sort();
    after.sort();
    assert_eq!(after, before, "adopted, not relaunched\n{}", m2.log());
    let app = request(&addr, "GET", "/v2/apps/sleepy", &[], b"").json();
    assert_eq!(app["app"]["tasksRunning"], 2);

    // Scale to 1 through the API: one task goes.
    let r = request(
        &addr,
        "PUT",
        "/v2/apps//sleepy?force=False",
        &[("Content-Type", "application/json")],
        br#"{"instances":1}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    wait_until(Duration::from_secs(60), "scaled to 1", || {
        tasks_of(&addr, "/sleepy").len() == 1
    });

    // Kill the task without scale: it is replaced by a new one.
    let (old, _) = tasks_of(&addr, "/sleepy").remove(0);
    let r = request(
        &addr,
        "DELETE",
        &format!("/v2/apps/sleepy/tasks/{old}"),
        &[],
        b"",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["task"]["id"], old.as_str());
    wait_until(Duration::from_secs(60), "a replacement running", || {
        let now = tasks_of(&addr, "/sleepy");
        now.len() == 1 && now[0].0 != old && now[0].1 == "TASK_RUNNING"
    });
}
