//! `mesos app` / `mesos deployment` against a Marathon (the stand-in of
//! `common::marathon`, which records what the CLI sends), and finding
//! Marathon through `--marathon`, MESOS_MARATHON, the profile and a live
//! master's `marathon` framework.

use std::time::Duration;

use mesos::http::{HttpClient, HttpOptions};
use mesos::wire::marathon::{AppView, Deployment, DeploymentResult, MarathonTask};
use serde_json::json;

use crate::common::cluster::start_master;
use crate::common::http::{Answer, TestServer};
use crate::common::marathon::{start_marathon, FakeMarathon};
use crate::common::sched::subscribe_json;
use crate::common::{Run, TestEnv};

const WEB: &str =
    r#"{"id":"/web","cmd":"python3 -m http.server $PORT0","instances":2,"cpus":0.1,"mem":32}"#;
const DB: &str = r#"{"id":"/prod/db","cmd":"sleep 3600","instances":1,"cpus":0.5,"mem":256,
  "healthChecks":[{"protocol":"COMMAND","command":{"value":"true"}}]}"#;

/// `mesos app ARGS --marathon URL`.
fn app(env: &TestEnv, m: &FakeMarathon, args: &[&str]) -> Run {
    let url = m.url();
    let mut a = vec!["app", "--marathon", url.as_str()];
    a.extend_from_slice(args);
    env.run(&a)
}

fn deployment(env: &TestEnv, m: &FakeMarathon, args: &[&str]) -> Run {
    let url = m.url();
    let mut a = vec!["deployment", "--marathon", url.as_str()];
    a.extend_from_slice(args);
    env.run(&a)
}

fn write(env: &TestEnv, name: &str, text: &str) -> String {
    let p = env.home().join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn list_and_show_as_tables_and_marathon_json() {
    let env = TestEnv::new();
    let m = start_marathon();
    m.with_app(WEB).with_app(DB);

    let r = app(&env, &m, &["list"]);
    r.assert_ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("INSTANCES") && lines[0].contains("CMD"),
        "{}",
        r.stdout
    );
    let db = lines.iter().find(|l| l.starts_with("/prod/db")).unwrap();
    assert!(
        db.contains("1/1") && db.contains("0.5") && db.contains("256"),
        "{db}"
    );
    let web = lines.iter().find(|l| l.starts_with("/web")).unwrap();
    assert!(web.contains("2/2") && web.contains("http.server"), "{web}");

    let r = app(&env, &m, &["list", "--json"]);
    r.assert_ok();
    let apps: Vec<AppView> = serde_json::from_str(&r.stdout).unwrap();
    let ids: Vec<String> = apps.iter().map(|a| a.app.id.to_string()).collect();
    assert_eq!(ids, ["/prod/db", "/web"]);
    // Marathon's own keys, not ours.
    let raw: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(raw[1]["tasksRunning"], 2);
    assert_eq!(raw[1]["cmd"], "python3 -m http.server $PORT0");

    let r = app(&env, &m, &["list", "--ndjson"]);
    r.assert_ok();
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);

    let r = app(&env, &m, &["show", "prod/db"]);
    r.assert_ok();
    assert!(
        r.stdout.contains("id:") && r.stdout.contains("/prod/db"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("health checks:") && r.stdout.contains("COMMAND"),
        "{}",
        r.stdout
    );
    let r = app(&env, &m, &["show", "/web", "--json"]);
    r.assert_ok();
    let one: AppView = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(one.app.instances, 2);

    let r = app(&env, &m, &["tasks", "/web"]);
    r.assert_ok();
    assert!(
        r.stdout.starts_with("ID") && r.stdout.contains("web.task-1"),
        "{}",
        r.stdout
    );
    let r = app(&env, &m, &["tasks", "/web", "--json"]);
    let tasks: Vec<MarathonTask> = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(tasks.len(), 2);

    let r = app(&env, &m, &["versions", "/web", "--json"]);
    r.assert_ok();
    let vs: Vec<String> = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(vs.len(), 1);
    let r = app(&env, &m, &["versions", "/web", &vs[0]]);
    r.assert_ok();
    assert!(r.stdout.contains("\"id\":\"/web\""), "{}", r.stdout);
}

#[test]
fn add_from_a_file_posts_and_follows_the_deployment() {
    let env = TestEnv::new();
    let m = start_marathon();
    m.polls(3);
    let f = write(&env, "web.json", WEB);
    let r = app(&env, &m, &["add", &f]);
    r.assert_ok();
    assert_eq!(r.stdout, "app /web created (deployment deployment-1)\n");
    // Nothing but the result on a pipe: no spinner, no status lines.
    assert_eq!(r.stderr, "");
    let posts: Vec<_> = m.changes();
    assert_eq!(posts.len(), 1);
    assert_eq!(
        (posts[0].method.as_str(), posts[0].path.as_str()),
        ("POST", "/v2/apps")
    );
    assert_eq!(posts[0].query, "");
    let body = posts[0].json();
    assert_eq!(body["id"], "/web");
    assert_eq!(body["instances"], 2);
    assert_eq!(body["cmd"], "python3 -m http.server $PORT0");
    // Followed until the deployment left the list (3 polls listed it).
    assert!(m.deployment_polls() >= 4, "{}", m.deployment_polls());
    assert_eq!(m.running_deployments(), 0);

    // Again: Marathon answers 409.
    let r = app(&env, &m, &["add", &f]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.starts_with(&format!(
            "error: app '/web' already exists (Marathon at {})\n",
            m.url()
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn add_from_stdin_and_json_output() {
    let env = TestEnv::new();
    let m = start_marathon();
    let url = m.url();
    let r = env.run_with_stdin(
        &["app", "--marathon", &url, "add", "-", "--json"],
        br#"{"id":"sleepy","cmd":"sleep 3600","uris":["http://x/a.tgz"]}"#,
    );
    r.assert_ok();
    let res: DeploymentResult = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(res.deployment_id, "deployment-1");
    let body = m.changes()[0].json();
    assert_eq!(body["id"], "/sleepy");
    // The deprecated `uris` goes as Marathon 1.5's `fetch`.
    assert_eq!(body["fetch"][0]["uri"], "http://x/a.tgz");
    assert!(m.app("/sleepy").is_some());

    // Not an app definition: one line, exit 2, nothing sent.
    let bad = write(&env, "bad.json", "{\"cmd\": ");
    let r = app(&env, &m, &["add", &bad]);
    r.assert_code(2).assert_clean_error();
    assert!(
        r.stderr.contains("is not a Marathon app definition"),
        "{}",
        r.stderr
    );
    let r = app(&env, &m, &["add", "/nonexistent/file.json"]);
    r.assert_code(2).assert_clean_error();
    assert_eq!(m.changes().len(), 1);
}

#[test]
fn invalid_definition_lists_each_field_on_its_own_line() {
    let env = TestEnv::new();
    let m = start_marathon();
    let f = write(
        &env,
        "bad.json",
        r#"{"id":"/Bad_Name","cmd":"x","cpus":-1}"#,
    );
    let r = app(&env, &m, &["add", &f]);
    r.assert_code(1);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(
        lines,
        [
            format!(
                "error: Marathon at {} rejected app '/Bad_Name' (HTTP 422): Object is not valid",
                m.url()
            )
            .as_str(),
            "  /id: 'Bad_Name' must fully match the id pattern",
            "  /cpus: got -1.0, expected 0.0 or more",
        ],
        "{}",
        r.stderr
    );
}

#[test]
fn unknown_apps_exit_4_and_are_never_created() {
    let env = TestEnv::new();
    let m = start_marathon();
    let want = format!(
        "error: app '/nope' does not exist (Marathon at {})\n",
        m.url()
    );
    for args in [
        vec!["show", "nope"],
        vec!["scale", "/nope", "3"],
        vec!["restart", "/nope"],
        vec!["tasks", "/nope"],
        vec!["remove", "/nope"],
    ] {
        let r = app(&env, &m, &args);
        r.assert_code(4);
        assert_eq!(r.stderr, want, "{args:?}");
    }
    let f = write(&env, "u.json", r#"{"cmd":"sleep 1"}"#);
    app(&env, &m, &["update", "/nope", &f]).assert_code(4);
    // A PUT to an unknown id would create the app: never sent.
    assert!(
        m.changes().iter().all(|r| r.method != "PUT"),
        "{:?}",
        m.changes()
    );
    m.with_app(WEB);
    let r = app(&env, &m, &["kill", "/web", "web.nosuch"]);
    r.assert_code(4);
    assert!(
        r.stderr
            .contains("task 'web.nosuch' of app '/web' does not exist"),
        "{}",
        r.stderr
    );
}

#[test]
fn changes_send_what_marathon_expects() {
    let env = TestEnv::new();
    let m = start_marathon();
    m.polls(0).with_app(WEB);

    let r = app(&env, &m, &["scale", "web", "3"]);
    r.assert_ok();
    assert_eq!(r.stdout, "app /web scaled to 3 (deployment deployment-1)\n");
    let put = m.changes().pop().unwrap();
    assert_eq!(
        (put.method.as_str(), put.path.as_str(), put.query.as_str()),
        ("PUT", "/v2/apps/web", "")
    );
    assert_eq!(put.json(), json!({"instances": 3}));
    assert_eq!(m.app("/web").unwrap().app.instances, 3);

    app(&env, &m, &["scale", "/web", "1", "--force"]).assert_ok();
    assert_eq!(m.changes().pop().unwrap().query, "force=true");

    let f = write(&env, "v2.json", r#"{"cmd":"sleep 99","env":{"A":"1"}}"#);
    app(&env, &m, &["update", "/web", &f]).assert_ok();
    let put = m.changes().pop().unwrap();
    assert_eq!(put.method, "PUT");
    assert_eq!(put.json(), json!({"cmd":"sleep 99","env":{"A":"1"}}));
    assert_eq!(m.app("/web").unwrap().app.cmd.as_deref(), Some("sleep 99"));
    let other = write(&env, "other.json", r#"{"id":"/db","cmd":"x"}"#);
    let r = app(&env, &m, &["update", "/web", &other]);
    r.assert_code(2);
    assert!(
        r.stderr.contains("is for app '/db', not '/web'"),
        "{}",
        r.stderr
    );

    app(&env, &m, &["restart", "/web"]).assert_ok();
    let post = m.changes().pop().unwrap();
    assert_eq!(
        (post.method.as_str(), post.path.as_str()),
        ("POST", "/v2/apps/web/restart")
    );

    // Killing a task: without --scale Marathon replaces it (the task back).
    let r = app(&env, &m, &["kill", "/web", "web.task-0", "--json"]);
    r.assert_ok();
    let t: MarathonTask = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(t.id, "web.task-0");
    let del = m.changes().pop().unwrap();
    assert_eq!(
        (del.method.as_str(), del.path.as_str(), del.query.as_str()),
        ("DELETE", "/v2/apps/web/tasks/web.task-0", "")
    );
    app(&env, &m, &["kill", "/web", "web.task-0", "--scale"]).assert_ok();
    let del = m.changes().pop().unwrap();
    assert_eq!(del.query, "scale=true");
    assert_eq!(m.app("/web").unwrap().app.instances, 0);

    let r = app(&env, &m, &["remove", "/web"]);
    r.assert_ok();
    let del = m.changes().pop().unwrap();
    assert_eq!(
        (del.method.as_str(), del.path.as_str(), del.query.as_str()),
        ("DELETE", "/v2/apps/web", "")
    );
    assert!(m.app("/web").is_none());
}

#[test]
fn no_wait_prints_the_deployment_id_and_returns() {
    let env = TestEnv::new();
    let m = start_marathon();
    m.polls(1000).with_app(WEB);
    let r = app(&env, &m, &["scale", "/web", "5", "--no-wait"]);
    r.assert_ok();
    assert_eq!(r.stdout, "deployment-1\n");
    assert_eq!(m.deployment_polls(), 0);

    // The app is locked by that deployment: 409 names it, --force overrides.
    let r = app(&env, &m, &["restart", "/web", "--no-wait"]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr
            .contains("app '/web' is locked by deployment deployment-1"),
        "{}",
        r.stderr
    );
    app(&env, &m, &["restart", "/web", "--no-wait", "--force"]).assert_ok();

    let r = deployment(&env, &m, &["list"]);
    r.assert_ok();
    assert!(
        r.stdout.starts_with("ID") && r.stdout.contains("deployment-1"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("1/1") && r.stdout.contains("ScaleApplication /web"),
        "{}",
        r.stdout
    );
    let r = deployment(&env, &m, &["list", "--json"]);
    let ds: Vec<Deployment> = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(ds.len(), 2);
}

#[test]
fn timeout_exits_124_naming_the_deployment_and_its_step() {
    let env = TestEnv::new();
    let m = start_marathon();
    m.polls(100_000).with_app(WEB);
    let r = app(&env, &m, &["scale", "/web", "4", "--timeout", "1s"]);
    r.assert_code(124).assert_clean_error();
    assert!(
        r.stderr
            .starts_with("error: deployment deployment-1 still running after 1"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("step 1/1: ScaleApplication /web"),
        "{}",
        r.stderr
    );
    assert!(r.elapsed < Duration::from_secs(10), "{:?}", r.elapsed);
    assert!(m.deployment_polls() >= 2);
}

#[test]
fn a_rolled_back_deployment_fails_and_task_failures_are_warned() {
    let env = TestEnv::new();
    let m = start_marathon();
    m.polls(2).with_app(WEB);
    m.cancel_next();
    let r = app(&env, &m, &["scale", "/web", "4"]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr
            .starts_with("error: deployment deployment-1 was cancelled or rolled back\n"),
        "{}",
        r.stderr
    );

    m.fail_during_deploy();
    let r = app(&env, &m, &["restart", "/web"]);
    r.assert_ok();
    assert!(
        r.stderr.contains(
            "warning: task web.failed-1 of app /web failed on 127.0.0.1 (TASK_FAILED): Command exited with status 1"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn rollback_follows_the_reverting_deployment() {
    let env = TestEnv::new();
    let m = start_marathon();
    m.polls(1000).with_app(WEB);
    app(&env, &m, &["scale", "/web", "5", "--no-wait"]).assert_ok();
    m.polls(0);
    let r = deployment(&env, &m, &["rollback", "deployment-1"]);
    r.assert_ok();
    assert_eq!(
        r.stdout,
        "deployment deployment-1 rolled back (deployment deployment-2)\n"
    );
    let del = m.changes().pop().unwrap();
    assert_eq!(
        (del.method.as_str(), del.path.as_str(), del.query.as_str()),
        ("DELETE", "/v2/deployments/deployment-1", "")
    );

    let r = deployment(&env, &m, &["rollback", "deployment-1"]);
    r.assert_code(4);
    assert!(
        r.stderr
            .contains("deployment 'deployment-1' does not exist"),
        "{}",
        r.stderr
    );

    m.polls(1000);
    app(&env, &m, &["scale", "/web", "2", "--no-wait", "--force"]).assert_ok();
    let r = deployment(&env, &m, &["rollback", "deployment-3", "--force"]);
    r.assert_ok();
    assert!(r.stdout.contains("deployment-3 cancelled"), "{}", r.stdout);
    assert_eq!(m.changes().pop().unwrap().query, "force=true");
}

#[test]
fn a_terminal_shows_the_deployment_step_while_it_runs() {
    let env = TestEnv::new();
    let m = start_marathon();
    m.polls(5).with_app(WEB);
    let url = m.url();
    let run = crate::common::pty::PtyRun::start_with(
        &env,
        &["app", "--marathon", &url, "scale", "/web", "2"],
        120,
        &[("NO_COLOR", ""), ("TERM", "xterm")],
    );
    run.wait_for(
        "deployment deployment-1: step 1/1: ScaleApplication /web",
        Duration::from_secs(20),
    );
    let (code, screen) = run.wait(Duration::from_secs(30));
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("app /web scaled to 2 (deployment deployment-1)"),
        "{screen}"
    );
}

/// A master with a framework named `marathon` whose webui_url is `url`,
/// kept subscribed while `f` runs.
fn with_marathon_framework(url: &str, f: impl FnOnce(&str)) {
    let master = start_master(&[]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let http = HttpClient::new(&HttpOptions::default()).unwrap();
    let base = reqwest::Url::parse(&master.url()).unwrap();
    let info = json!({"user": "tester", "name": "marathon", "webui_url": url, "checkpoint": true});
    let (_s, _ev, subscribed) = rt.block_on(subscribe_json(&http, &base, info)).unwrap();
    assert_eq!(subscribed["type"], "SUBSCRIBED");
    f(&master.addr());
}

#[test]
fn discovery_through_the_masters_marathon_framework() {
    let env = TestEnv::new();
    let m = start_marathon();
    m.with_app(WEB);
    with_marathon_framework(&m.url(), |master| {
        let r = env.run(&["--master", master, "app", "list", "-v"]);
        r.assert_ok();
        assert!(r.stdout.contains("/web"), "{}", r.stdout);
        assert!(
            r.stderr.contains(&format!(
                "using Marathon at {} (webui_url of framework 'marathon'",
                m.url()
            )),
            "{}",
            r.stderr
        );
    });

    // A master without one: one line saying what was tried, exit 1.
    let master = start_master(&[]);
    let r = env.run(&["--master", &master.addr(), "app", "list"]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.starts_with(&format!(
            "error: cannot find Marathon: no --marathon, MESOS_MARATHON or profile `marathon`, and on the master at {}: no framework named 'marathon' is registered\n",
            master.addr()
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn dcos_masters_mean_service_marathon() {
    let env = TestEnv::new();
    let s = TestServer::start();
    s.route(
        "/mesos/master/redirect",
        Answer::redirect(&format!("//{}", s.addr())),
    );
    s.route(
        "/service/marathon/v2/apps",
        Answer::json(r#"{"apps":[{"id":"/dcos-app","cmd":"x"}]}"#),
    );
    let r = env.run(&[
        "--master",
        &format!("{}/mesos", s.url()),
        "app",
        "list",
        "-v",
    ]);
    r.assert_ok();
    assert!(r.stdout.contains("/dcos-app"), "{}", r.stdout);
    assert!(
        r.stderr.contains(&format!(
            "using Marathon at {}/service/marathon (DC/OS at",
            s.url()
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn credentials_go_as_basic_auth_and_never_into_output() {
    let env = TestEnv::new();
    let m = start_marathon();
    m.with_app(WEB);
    let secret = env.home().join("secret");
    std::fs::write(&secret, "s3cret-value\n").unwrap();
    let r = app(
        &env,
        &m,
        &[
            "list",
            "-v",
            "--principal",
            "ops",
            "--secret-file",
            secret.to_str().unwrap(),
        ],
    );
    r.assert_ok();
    let auth: Vec<Option<String>> = m.requests().into_iter().map(|r| r.authorization).collect();
    assert!(!auth.is_empty());
    // base64("ops:s3cret-value")
    assert!(
        auth.iter()
            .all(|a| a.as_deref() == Some("Basic b3BzOnMzY3JldC12YWx1ZQ==")),
        "{auth:?}"
    );
    assert!(!r.stdout.contains("s3cret") && !r.stderr.contains("s3cret"));
}

#[test]
fn flag_over_env_over_profile() {
    let (a, b, c) = (start_marathon(), start_marathon(), start_marathon());
    a.with_app(r#"{"id":"/from-a","cmd":"x"}"#);
    b.with_app(r#"{"id":"/from-b","cmd":"x"}"#);
    c.with_app(r#"{"id":"/from-c","cmd":"x"}"#);
    let env = TestEnv::new();
    env.run(&["config", "set", "marathon", &c.url()])
        .assert_ok();
    env.run(&["config", "set", "master", "127.0.0.1:1"])
        .assert_ok();
    let r = env.run(&["app", "list", "-v"]);
    r.assert_ok();
    assert!(r.stdout.contains("/from-c"), "{}", r.stdout);
    assert!(r.stderr.contains("(profile 'default')"), "{}", r.stderr);

    let env = env.env("MESOS_MARATHON", &b.url());
    let r = env.run(&["app", "list"]);
    assert!(r.stdout.contains("/from-b"), "{}", r.stdout);
    let r = env.run(&["app", "list", "--marathon", &a.url()]);
    assert!(r.stdout.contains("/from-a"), "{}", r.stdout);

    let r = env.run(&["config", "set", "marathon", "ftp://x"]);
    r.assert_code(2).assert_clean_error();
    let r = env.run(&["app", "list", "--marathon", "ftp://x"]);
    r.assert_code(2).assert_clean_error();
}

// ---------------------------------------------------------------------------
// `mesos cluster up` and Marathon.

fn marathon_record(name: &str, port: u16) -> mesos::cluster::state::DaemonRecord {
    mesos::cluster::state::DaemonRecord {
        name: name.into(),
        role: mesos::cluster::state::Role::Marathon,
        host: "127.0.0.1".into(),
        ip: "127.0.0.1".into(),
        port,
        pid: std::process::id(),
        start_ticks: None,
        started_at: 0,
        work_dir: String::new(),
        log_dir: String::new(),
        log_file: String::new(),
        console_log: String::new(),
        args: vec![],
        ssh: None,
        tls: false,
        env: vec![],
    }
}

#[test]
fn cluster_readiness_waits_for_marathon_ping_and_leader() {
    let m = start_marathon();
    let dead = crate::common::free_port();
    let mut state: mesos::cluster::state::ClusterState = serde_json::from_value(json!({
        "version": 1, "name": "t", "mode": "local", "created_at": 0, "dir": "/nonexistent",
        "binary": "mesos", "master": "127.0.0.1:1", "master_url": "http://127.0.0.1:1",
        "profile": "t", "daemons": []
    }))
    .unwrap();
    state.daemons = vec![
        marathon_record("marathon-1", m.port),
        marathon_record("marathon-2", dead),
    ];
    let client = mesos::cluster::ready::probe_client(Duration::from_secs(2));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let check = rt.block_on(mesos::cluster::ready::check(&state, &client));
    let one = check.marathon("marathon-1").unwrap();
    assert!(one.serving);
    assert_eq!(one.leader, Some(format!("127.0.0.1:{}", m.port)));
    assert!(!check.marathon("marathon-2").unwrap().serving);
    assert!(
        check.waiting_for.contains(&format!(
            "marathon-2 to answer /ping and /v2/leader on 127.0.0.1:{dead}"
        )),
        "{:?}",
        check.waiting_for
    );
    assert!(
        !check
            .waiting_for
            .iter()
            .any(|w| w.starts_with("marathon-1")),
        "{:?}",
        check.waiting_for
    );
    assert!(m.requests().iter().any(|r| r.path == "/ping"));
}

#[test]
fn cluster_up_no_marathon_starts_none() {
    let env = crate::cluster_local::Env::new();
    let r = env.run(&["cluster", "up", "--agents", "1", "--no-marathon", "-q"]);
    r.assert_ok();
    assert!(!r.stdout.contains("# marathon:"), "{}", r.stdout);
    let st = env.state("local");
    assert!(st.get("marathon").is_none(), "{st}");
    assert!(st["daemons"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["role"] != "marathon"));
    let r = env.run(&["config", "get", "marathon"]);
    assert!(r.stdout.trim().is_empty(), "{}", r.stdout);
}

/// `cluster status`, `logs`, `wait` and `down` with a Marathon in the
/// cluster: a stand-in serving the API and a `sleep` as its process (until
/// `mesos marathon` exists, `up` cannot start a real one here).
#[test]
fn cluster_status_logs_and_down_include_marathon() {
    let env = crate::cluster_local::Env::new();
    env.run(&["cluster", "up", "--agents", "1", "--no-marathon", "-q"])
        .assert_ok();
    let m = start_marathon();
    let mut sleeper = std::process::Command::new("sleep")
        .arg("600")
        .spawn()
        .unwrap();
    let dir = env.cluster_dir("local");
    let log = dir.join("marathon-1.log");
    std::fs::write(&log, "marathon says hi\n").unwrap();
    let path = dir.join("cluster.json");
    let mut st: mesos::cluster::state::ClusterState =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut rec = marathon_record("marathon-1", m.port);
    rec.pid = sleeper.id();
    rec.log_file = log.display().to_string();
    rec.console_log = log.display().to_string();
    st.daemons.push(rec);
    st.marathon = Some(m.url());
    std::fs::write(&path, serde_json::to_string(&st).unwrap()).unwrap();

    let r = env.run(&["cluster", "status"]);
    r.assert_ok();
    let row = r
        .stdout
        .lines()
        .find(|l| l.starts_with("marathon-1"))
        .unwrap_or_else(|| panic!("{}", r.stdout));
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        cells,
        [
            "marathon-1",
            "marathon",
            &format!("127.0.0.1:{}", m.port),
            &sleeper.id().to_string(),
            "yes",
            "yes",
            "serving"
        ],
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains(&format!("marathon: {}", m.url())),
        "{}",
        r.stderr
    );
    let r = env.run(&["cluster", "status", "--json"]);
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(j["marathon"], m.url());
    env.run(&["cluster", "wait"]).assert_ok();
    let r = env.run(&["cluster", "logs", "marathon-1"]);
    r.assert_ok();
    assert!(r.stdout.contains("marathon says hi"), "{}", r.stdout);

    // While it does not answer, the cluster is not ready; down stops it.
    drop(m);
    let r = env.run(&["cluster", "wait", "--timeout", "1s"]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr
            .contains("marathon-1 to answer /ping and /v2/leader"),
        "{}",
        r.stderr
    );
    let r = env.run(&["cluster", "down", "--grace", "2s", "--json"]);
    r.assert_ok();
    assert!(r.stdout.contains("marathon-1"), "{}", r.stdout);
    crate::common::wait_until(Duration::from_secs(10), "marathon-1 stopped", || {
        matches!(sleeper.try_wait(), Ok(Some(_)))
    });
}

/// The whole path with the real daemon: `cluster up` starts `mesos
/// marathon`, records it, and `mesos app` finds it through the profile and
/// through the master.
#[test]
fn cluster_up_starts_marathon_and_app_commands_use_it() {
    let env = crate::cluster_local::Env::new();
    let r = env.run(&["cluster", "up", "--agents", "1"]);
    r.assert_ok();
    let st = env.state("local");
    let url = st["marathon"]
        .as_str()
        .expect("marathon URL recorded")
        .to_string();
    assert!(
        r.stdout.contains(&format!("# marathon: {url}\n")),
        "{}",
        r.stdout
    );
    let m = st["daemons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["role"] == "marathon")
        .expect("a marathon daemon")
        .clone();
    assert_eq!(m["name"], "marathon-1");
    let args: Vec<&str> = m["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(
        &args[..3],
        ["marathon", "--master", st["master"].as_str().unwrap()]
    );
    let r = env.run(&["config", "get", "marathon"]);
    assert_eq!(r.stdout.trim(), url);

    // Through the profile.
    env.env
        .run_with_stdin(
            &["app", "add", "-", "--timeout", "60s"],
            br#"{"id":"/sleepy","cmd":"sleep 600","cpus":0.1,"mem":16}"#,
        )
        .assert_ok();
    let r = env.run(&["app", "list", "--json"]);
    r.assert_ok();
    let apps: Vec<AppView> = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(apps[0].tasks_running, 1, "{}", r.stdout);
    env.run(&["app", "scale", "/sleepy", "2", "--timeout", "60s"])
        .assert_ok();
    let r = env.run(&["app", "tasks", "/sleepy", "--json"]);
    let tasks: Vec<MarathonTask> = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(tasks.len(), 2);

    // Through the master's `marathon` framework.
    env.run(&["config", "unset", "marathon"]).assert_ok();
    let r = env.run(&["app", "list", "-v"]);
    r.assert_ok();
    assert!(
        r.stderr.contains("(webui_url of framework 'marathon'"),
        "{}",
        r.stderr
    );

    // status, logs, down.
    let r = env.run(&["cluster", "status"]);
    r.assert_ok();
    let row = r
        .stdout
        .lines()
        .find(|l| l.starts_with("marathon-1"))
        .expect("a marathon row");
    assert!(row.contains("marathon") && row.contains("serving"), "{row}");
    env.run(&["cluster", "logs", "marathon-1"]).assert_ok();
    env.run(&["app", "remove", "/sleepy", "--timeout", "60s"])
        .assert_ok();
    let pid = m["pid"].as_u64().unwrap();
    env.run(&["cluster", "down", "--grace", "5s"]).assert_ok();
    assert!(!crate::cluster_local::alive(pid));
}

#[test]
fn a_real_marathon_15_app_list_reads_and_renders() {
    // `GET /v2/apps?embed=apps.tasks` captured from Marathon 1.5.
    let body = crate::common::read_fixture_text("marathon-v2-apps-1.5.json");
    let s = TestServer::start();
    s.route("/v2/apps", Answer::json(body.clone()));
    let env = TestEnv::new();
    let r = env.run(&["app", "--marathon", &s.url(), "list"]);
    r.assert_ok();
    let row = r.stdout.lines().nth(1).unwrap_or_default();
    assert!(
        row.starts_with("/pywebserver") && row.contains("1/1"),
        "{}",
        r.stdout
    );
    let r = env.run(&["app", "--marathon", &s.url(), "list", "--json"]);
    r.assert_ok();
    let ours: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let real: serde_json::Value = serde_json::from_str(&body).unwrap();
    for k in [
        "id",
        "cmd",
        "instances",
        "cpus",
        "mem",
        "tasksRunning",
        "version",
    ] {
        assert_eq!(ours[0][k], real["apps"][0][k], "{k}");
    }
    assert_eq!(ours[0]["tasks"][0]["id"], real["apps"][0]["tasks"][0]["id"]);
}
