//! Untrusted input to the bundled daemons: ids that could name paths outside
//! the agent's work directory (refused by the master with TASK_ERROR / an
//! ERROR event / 400, as real Mesos does), oversized request bodies and
//! free-text fields (413 / ERROR event), and bad start-up flags (exit 1 with
//! one line naming the flag, never a panic).

use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStringExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::sched::{command_task, subscribe_json, JsonCalls};
use mesos::http::{HttpClient, HttpOptions};
use serde_json::{json, Value};

use crate::common::cluster::{get_json, start_agent, start_master, Daemon};
use crate::common::daemons::request;
use crate::common::mesos_bin;
use crate::common::sched::{next_of, res};

fn client() -> HttpClient {
    HttpClient::new(&HttpOptions::default()).unwrap()
}

/// Nothing appeared in `outside`, and no path under the agent's work dir
/// contains `task_dirs` (the framework/task directories).
fn assert_nothing_created(outside: &tempfile::TempDir, agent: &Daemon, task_dirs: &str) {
    assert!(
        tree(outside.path()).is_empty(),
        "{:?}",
        tree(outside.path())
    );
    let made = tree(&agent.work_dir());
    assert!(
        !made.iter().any(|p| p.contains(task_dirs)),
        "the agent created task directories: {made:?}"
    );
}

/// Every file and directory under `dir` (relative paths).
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            out.push(p.strip_prefix(dir).unwrap().display().to_string());
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            }
        }
    }
    out
}

/// A task id climbing out of any sandbox into `target/escaped`.
fn escaping_id(target: &Path) -> String {
    format!(
        "{}{}/escaped",
        "../".repeat(24),
        target.display().to_string().trim_start_matches('/')
    )
}

/// Ids every rule refuses, with the rule text each message must carry.
fn bad_ids(outside: &Path) -> Vec<(String, &'static str)> {
    vec![
        (".".into(), "'.' is disallowed"),
        ("..".into(), "'..' is disallowed"),
        (
            "a/b".into(),
            "contains invalid characters ('/' is not allowed)",
        ),
        (
            escaping_id(outside),
            "contains invalid characters ('/' is not allowed)",
        ),
        (
            "a\\b".into(),
            "contains invalid characters ('\\' is not allowed)",
        ),
        (
            "a\nb".into(),
            "contains invalid characters (control character '\\n' is not allowed)",
        ),
        (
            "del\u{7f}".into(),
            "contains invalid characters (control character",
        ),
        ("x".repeat(256), "must not be greater than 255 characters"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_task_and_executor_ids_get_task_error_and_create_nothing() {
    let master = start_master(&[]);
    let agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let outside = tempfile::tempdir().unwrap();
    let url = reqwest::Url::parse(&master.url()).unwrap();
    let info = json!({"user": "tester", "name": "ids"});
    let (s, mut ev, _) = subscribe_json(&client(), &url, info).await.unwrap();
    let offers = next_of(&mut ev, &["OFFERS"]).await;
    let offer = &offers["offers"]["offers"][0];
    let agent_id = offer["agent_id"].clone();

    // One ACCEPT: every bad task id, an empty one, and valid task ids whose
    // executor id is bad. Each is refused on its own.
    let mut expected: Vec<(String, String)> = Vec::new(); // (task id, message part)
    let mut tasks = Vec::new();
    for (id, rule) in bad_ids(outside.path()) {
        tasks.push(json!(command_task(
            &id,
            "t",
            &agent_id,
            "true",
            res(0.01, 1.0)
        )));
        expected.push((id.clone(), "Task ID '".to_string()));
        expected.push((id, rule.to_string()));
    }
    tasks.push(json!(command_task(
        "",
        "t",
        &agent_id,
        "true",
        res(0.01, 1.0)
    )));
    expected.push((String::new(), "Task ID must not be empty".into()));
    for (n, (eid, rule)) in bad_ids(outside.path()).into_iter().enumerate() {
        let tid = format!("exec-{n}");
        tasks.push(json!({
            "name": "t", "task_id": {"value": tid}, "agent_id": agent_id,
            "resources": res(0.01, 1.0),
            "executor": {"executor_id": {"value": eid}, "command": {"value": "true"}},
        }));
        expected.push((tid.clone(), "Executor ID '".to_string()));
        expected.push((tid, rule.to_string()));
    }
    // A task group: its executor id and its tasks' ids are named too.
    let group = json!({"type": "LAUNCH_GROUP", "launch_group": {
    "executor": {"executor_id": {"value": ".."}, "framework_id": {"value": "x"}, "type": "DEFAULT"},
    "task_group": {"tasks": [
        {"name": "g", "task_id": {"value": "group-1"}, "agent_id": agent_id, "resources": res(0.01, 1.0)},
        {"name": "g", "task_id": {"value": "group/2"}, "agent_id": agent_id, "resources": res(0.01, 1.0)},
    ]}}});
    // The whole group is refused with the first reason (as Mesos: the
    // tasks are checked before the executor).
    for tid in ["group-1", "group/2"] {
        expected.push((
            tid.into(),
            "Task 'group/2' is invalid: Task ID 'group/2' contains invalid characters".into(),
        ));
    }
    // A group of valid tasks names its bad executor id.
    let group2 = json!({"type": "LAUNCH_GROUP", "launch_group": {
    "executor": {"executor_id": {"value": ".."}, "framework_id": {"value": "x"}, "type": "DEFAULT"},
    "task_group": {"tasks": [
        {"name": "g", "task_id": {"value": "group-3"}, "agent_id": agent_id, "resources": res(0.01, 1.0)},
    ]}}});
    expected.push(("group-3".into(), "Executor ID '..' is disallowed".into()));
    let n_tasks = tasks.len() + 3;
    s.call_json(json!({"type": "ACCEPT", "accept": {
        "offer_ids": [offer["id"]],
        "operations": [{"type": "LAUNCH", "launch": {"task_infos": tasks}}, group, group2],
        "filters": {"refuse_seconds": 0.0}}}))
        .await
        .unwrap();

    let mut errors: Vec<Value> = Vec::new();
    while errors.len() < n_tasks {
        let u = next_of(&mut ev, &["UPDATE"]).await;
        let st = u["update"]["status"].clone();
        assert_eq!(st["state"], "TASK_ERROR", "{st}");
        let tid = st["task_id"]["value"].as_str().unwrap_or("");
        let reason = if tid.starts_with("group") {
            "REASON_TASK_GROUP_INVALID"
        } else {
            "REASON_TASK_INVALID"
        };
        assert_eq!(st["reason"], reason, "{st}");
        assert_eq!(st["source"], "SOURCE_MASTER", "{st}");
        errors.push(st);
    }
    for (tid, part) in &expected {
        let st = errors
            .iter()
            .find(|s| s["task_id"]["value"] == tid.as_str())
            .unwrap_or_else(|| panic!("no TASK_ERROR for task {tid:?}: {errors:?}"));
        let msg = st["message"].as_str().unwrap();
        assert!(
            msg.contains(part.as_str()),
            "task {tid:?}: '{msg}' lacks '{part}'"
        );
        assert!(!msg.contains('\n'), "one line: {msg:?}");
    }

    // Nothing reached the agent, nothing was stored, nothing was created.
    let state = tokio::task::block_in_place(|| get_json(&format!("{}/master/state", master.url())));
    let fw = &state["frameworks"][0];
    assert_eq!(fw["tasks"].as_array().map(Vec::len), Some(0), "{fw}");
    assert_eq!(
        fw["completed_tasks"].as_array().map(Vec::len),
        Some(0),
        "{fw}"
    );
    assert_nothing_created(&outside, &agent, "/frameworks/");

    // The framework still launches a valid task.
    let offers = next_of(&mut ev, &["OFFERS"]).await;
    let offer = &offers["offers"]["offers"][0];
    let task = command_task("ok-1", "ok-1", &offer["agent_id"], "true", res(0.1, 32.0));
    s.launch_json(&[offer["id"].clone()], vec![task], 0.0)
        .await
        .unwrap();
    loop {
        let u = next_of(&mut ev, &["UPDATE"]).await;
        let st = &u["update"]["status"];
        s.acknowledge_json(st).await.unwrap();
        if st["task_id"]["value"] == "ok-1" && st["state"] == "TASK_FINISHED" {
            break;
        }
        assert_ne!(st["state"], "TASK_ERROR", "{st}");
    }
}

/// POST a scheduler call; returns (status, body).
fn post_call(master: &Daemon, call: &Value, stream_id: Option<&str>) -> (u16, String) {
    let mut headers = vec![
        ("Content-Type", "application/json"),
        ("Accept", "application/json"),
    ];
    if let Some(s) = stream_id {
        headers.push(("Mesos-Stream-Id", s));
    }
    let r = request(
        &master.addr(),
        "POST",
        "/api/v1/scheduler",
        &headers,
        call.to_string().as_bytes(),
    );
    (r.status, r.text())
}

#[test]
fn invalid_framework_ids_are_refused_with_an_error_event() {
    let master = start_master(&[]);
    let outside = tempfile::tempdir().unwrap();
    for (id, rule) in bad_ids(outside.path()) {
        let call = json!({"type": "SUBSCRIBE", "framework_id": {"value": id},
            "subscribe": {"framework_info": {"user": "u", "name": "n", "id": {"value": id}}}});
        let (status, body) = post_call(&master, &call, None);
        // As real Mesos: the subscription answers one ERROR event and ends.
        assert_eq!(status, 200, "{id:?}: {body}");
        let event: Value = serde_json::from_str(body.split_once('\n').unwrap().1).unwrap();
        assert_eq!(event["type"], "ERROR", "{id:?}: {body}");
        let msg = event["error"]["message"].as_str().unwrap();
        assert!(msg.starts_with("Framework ID"), "{id:?}: {msg}");
        assert!(msg.contains(rule), "{id:?}: '{msg}' lacks '{rule}'");
    }
    let fws = get_json(&format!("{}/master/frameworks", master.url()));
    assert_eq!(fws["frameworks"].as_array().map(Vec::len), Some(0), "{fws}");
    assert!(tree(outside.path()).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_in_other_scheduler_calls_are_refused_with_400() {
    let master = start_master(&[]);
    let url = reqwest::Url::parse(&master.url()).unwrap();
    let info = json!({"user": "tester", "name": "ids-calls"});
    let (s, _ev, subscribed) = subscribe_json(&client(), &url, info).await.unwrap();
    let fid = subscribed["subscribed"]["framework_id"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    let stream = s.stream_id.clone();
    let cases = [
        (
            json!({"type": "KILL", "framework_id": {"value": fid},
                "kill": {"task_id": {"value": "t"}, "agent_id": {"value": "../x"}}}),
            "Agent ID '../x' contains invalid characters",
        ),
        (
            json!({"type": "MESSAGE", "framework_id": {"value": fid},
                "message": {"agent_id": {"value": "S0"}, "executor_id": {"value": "."}, "data": ""}}),
            "Executor ID '.' is disallowed",
        ),
        (
            json!({"type": "RECONCILE", "framework_id": {"value": fid},
                "reconcile": {"tasks": [{"task_id": {"value": "t"}, "agent_id": {"value": ".."}}]}}),
            "Agent ID '..' is disallowed",
        ),
        (
            json!({"type": "SHUTDOWN", "framework_id": {"value": fid},
                "shutdown": {"executor_id": {"value": "a/b"}, "agent_id": {"value": "S0"}}}),
            "Executor ID 'a/b' contains invalid characters",
        ),
        (
            json!({"type": "TEARDOWN", "framework_id": {"value": "../x"}}),
            "Framework ID '../x' contains invalid characters",
        ),
    ];
    for (call, want) in cases {
        let (status, body) =
            tokio::task::block_in_place(|| post_call(&master, &call, Some(&stream)));
        assert_eq!(status, 400, "{call}: {body}");
        assert!(
            body.starts_with("Failed to validate scheduler::Call: ") && body.contains(want),
            "{call}: {body}"
        );
    }
}

/// Send only the head of a POST announcing `len` body bytes (as curl does
/// with `Expect: 100-continue`) and read the answer.
fn post_head_only(addr: &str, target: &str, len: usize) -> String {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "POST {target} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: {len}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).unwrap();
    let mut buf = [0u8; 512];
    let n = s.read(&mut buf).unwrap();
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[test]
fn oversized_bodies_and_framework_names_are_refused() {
    let master = start_master(&[]);
    // A 10 MB framework name: 413 before the body is read.
    let answer = post_head_only(&master.addr(), "/api/v1/scheduler", 10 << 20);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let answer = post_head_only(&master.addr(), "/api/v1", 10 << 20);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // Sent in full (chunked, no length announced): 413 once over the limit.
    let name = "x".repeat(10 << 20);
    let call =
        json!({"type": "SUBSCRIBE", "subscribe": {"framework_info": {"user": "u", "name": name}}});
    let body = call.to_string().into_bytes();
    let status = std::thread::spawn({
        let url = format!("{}/api/v1/scheduler", master.url());
        move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let chunks = body
                    .chunks(64 << 10)
                    .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
                    .collect::<Vec<_>>();
                let stream = futures_util::stream::iter(chunks);
                reqwest::Client::builder()
                    .no_proxy()
                    .build()
                    .unwrap()
                    .post(url)
                    .header("Content-Type", "application/json")
                    .body(reqwest::Body::wrap_stream(stream))
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
            })
        }
    })
    .join()
    .unwrap();
    // The master may close the connection before the client is done sending.
    if let Ok(code) = status {
        assert_eq!(code, 413);
    }
    // A name within the body limit but over the field cap: an ERROR event.
    let call = json!({"type": "SUBSCRIBE", "subscribe": {"framework_info": {"user": "u", "name": "y".repeat(2000)}}});
    let (status, body) = post_call(&master, &call, None);
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("'framework_info.name' must not be longer than 1024 bytes"),
        "{body}"
    );
    let fws = get_json(&format!("{}/master/frameworks", master.url()));
    assert_eq!(fws["frameworks"].as_array().map(Vec::len), Some(0), "{fws}");
    assert!(
        !master.log().contains("yyyyyyyyyyyyyyyy"),
        "the name was logged"
    );
}

/// Run `mesos <args>` (with `env`), expecting it to exit on its own.
fn daemon_exit(args: &[OsString], env: &[(&str, OsString)]) -> (i32, String) {
    let home = tempfile::tempdir().unwrap();
    let mut c = Command::new(mesos_bin());
    c.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().unwrap();
    let end = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if Instant::now() > end {
            let _ = child.kill();
            let _ = child.wait();
            panic!("mesos {args:?} did not exit: it started with a bad value");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (status.code().unwrap_or(-1), err)
}

fn os(s: &str) -> OsString {
    OsString::from(s)
}

fn non_utf8(prefix: &str) -> OsString {
    let mut b = prefix.as_bytes().to_vec();
    b.extend_from_slice(b"\xff\xfe");
    OsString::from_vec(b)
}

/// Arguments, environment, and what the one error line must say.
type StartUpCase = (Vec<OsString>, Vec<(&'static str, OsString)>, &'static str);

#[test]
fn bad_start_up_values_exit_1_with_one_line_naming_the_flag() {
    let work = tempfile::tempdir().unwrap();
    let wd = format!("--work_dir={}", work.path().display());
    let agent = |extra: &[OsString]| {
        let mut a = vec![
            os("agent"),
            os("--master=127.0.0.1:5050"),
            os(&wd),
            os("--port=0"),
        ];
        a.extend_from_slice(extra);
        a
    };
    let master = |extra: &[&str]| {
        let mut a = vec![os("master"), os("--registry=in_memory"), os("--port=0")];
        a.extend(extra.iter().map(|s| os(s)));
        a
    };
    let cases: Vec<StartUpCase> = vec![
        (
            vec![
                os("agent"),
                os("--master=127.0.0.1:5050"),
                non_utf8("--work_dir=/tmp/"),
            ],
            vec![],
            "flag --work_dir: the value",
        ),
        (
            agent(&[os("--attributes"), non_utf8("rack:")]),
            vec![],
            "flag --attributes: the value",
        ),
        (
            agent(&[non_utf8("--attributes=rack:")]),
            vec![],
            "flag --attributes: the value",
        ),
        (
            master(&[]),
            vec![("MESOS_PORT", os("garbage"))],
            "MESOS_PORT",
        ),
        (
            master(&[]),
            vec![("MESOS_PORT", non_utf8("50"))],
            "(from MESOS_PORT)",
        ),
        (
            agent(&[]),
            vec![("MESOS_ATTRIBUTES", non_utf8("r:"))],
            "(from MESOS_ATTRIBUTES)",
        ),
        (
            master(&["--weights=a=abc"]),
            vec![],
            "--weights: the weight 'abc' of role 'a' is not a number",
        ),
        (
            master(&["--weights=a"]),
            vec![],
            "--weights: 'a' is not role=weight",
        ),
        (
            master(&["--port=70000"]),
            vec![],
            "--port 70000 is out of range",
        ),
        (
            agent(&[os("--resources=cpus:abc")]),
            vec![],
            "--resources: resource 'cpus'",
        ),
        (
            agent(&[os("--attributes=rack")]),
            vec![],
            "--attributes: attribute 'rack' is not NAME:VALUE",
        ),
        (
            vec![os("agent"), os("--master=not-a-master"), os(&wd)],
            vec![],
            "--master 'not-a-master' is not a master address",
        ),
        (
            vec![os("agent"), os("--master=nosuchhost.invalid:5050"), os(&wd)],
            vec![],
            "--master: cannot resolve host 'nosuchhost.invalid'",
        ),
        (
            vec![
                os("agent"),
                os("--master=file:///nonexistent/mesos-master"),
                os(&wd),
            ],
            vec![],
            "--master: cannot read '/nonexistent/mesos-master'",
        ),
        (
            master(&["--zk=zk://nosuchhost.invalid:2181/mesos", "--quorum=1"]),
            vec![],
            "--zk: cannot resolve host 'nosuchhost.invalid'",
        ),
        (
            master(&["--zk=127.0.0.1:2181"]),
            vec![],
            "--zk '127.0.0.1:2181' is not a ZooKeeper URL",
        ),
    ];
    for (args, env, want) in cases {
        let (code, err) = daemon_exit(&args, &env);
        assert_eq!(code, 1, "{args:?} {env:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: one line, got: {err}");
        assert!(
            err.starts_with("error: ") && err.contains(want),
            "{args:?}: '{err}' lacks '{want}'"
        );
    }
    assert!(
        tree(work.path()).is_empty(),
        "a refused agent created {:?}",
        tree(work.path())
    );
    // Usage errors keep exit 2.
    let (code, err) = daemon_exit(&[os("master"), os("--bogus=1")], &[]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let (code, err) = daemon_exit(&[os("agent"), os(&wd)], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("missing required flag --master"), "{err}");
}

#[test]
fn mesos_execute_with_an_escaping_task_id_reports_task_error_and_creates_nothing() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let env = crate::common::TestEnv::new();
    let outside = tempfile::tempdir().unwrap();
    let id = escaping_id(outside.path());
    let task = json!({"name": "escape", "task_id": {"value": id},
        "command": {"value": "touch should-not-exist"}});
    let path = env.home().join("t.json");
    std::fs::write(&path, task.to_string()).unwrap();
    let r = env.run(&[
        "execute",
        "--master",
        &master.addr(),
        "--task",
        path.to_str().unwrap(),
    ]);
    r.assert_code(1);
    assert!(r.stderr.contains("TASK_ERROR"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("contains invalid characters ('/' is not allowed)"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert_nothing_created(&outside, &agent, "frameworks");
}
