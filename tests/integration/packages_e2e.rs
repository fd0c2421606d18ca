//! Issue 15 end to end with real processes: on a `mesos cluster up`
//! cluster, every package of the built-in repository (whatever `mesos
//! package search` lists, so new packages are covered) is described,
//! installed with its defaults until healthy, listed, reached on its port
//! and uninstalled; the hello package with custom options and app ids;
//! options that fail the schema, a script without --yes and an unknown
//! package are refused with nothing posted to Marathon.

use std::time::Duration;

use serde_json::{json, Value};

use crate::cluster_local::Env;
use crate::common::cluster::{get_json, http_get};
use crate::common::pty::PtyRun;
use crate::common::wait_until;

const DEADLINE: Duration = Duration::from_secs(90);

/// `cluster up` with one agent whose ports no other test cluster uses
/// (clusters on one host would otherwise hand out the same host ports, and
/// a task of one could hold the port a task of the other is given).
fn cluster_up(env: &Env, ports: &str) {
    let resources = format!("ports:[{ports}]");
    env.run(&[
        "cluster",
        "up",
        "--agents",
        "1",
        "--agent-resources",
        &resources,
    ])
    .assert_ok();
}

fn marathon_url(env: &Env) -> String {
    env.state("local")["marathon"]
        .as_str()
        .expect("cluster up records the marathon URL")
        .trim_end_matches('/')
        .to_string()
}

fn master_addr(env: &Env) -> String {
    let m = env.state("local")["master"]
        .as_str()
        .expect("cluster up records the master")
        .to_string();
    m.trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}

/// Marathon's app, with its tasks; `None` once it is gone.
fn app(marathon: &str, id: &str) -> Option<Value> {
    let (code, body) = http_get(&format!("{marathon}/v2/apps{id}?embed=app.tasks"))?;
    (code == 200).then(|| serde_json::from_str::<Value>(&body).unwrap()["app"].clone())
}

fn app_ids(marathon: &str) -> Vec<String> {
    get_json(&format!("{marathon}/v2/apps"))["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

fn write_options(env: &Env, name: &str, v: &Value) -> String {
    let p = env.env.home().join(name);
    std::fs::write(&p, v.to_string()).unwrap();
    p.to_str().unwrap().to_string()
}

/// Options a package cannot do without (required, no default), by package:
/// a new package with such options needs its values here.
fn required_options(package: &str, env: &Env) -> Option<(Value, &'static str)> {
    match package {
        "marathon" => Some((
            json!({"marathon": {"master": master_addr(env)}}),
            "/marathon/master",
        )),
        _ => None,
    }
}

/// Every running task answers its health-check path on its first port
/// (the path the package's postInstallNotes point at answer there too).
fn assert_answers(app: &Value) {
    let path = app["healthChecks"][0]["path"].as_str().unwrap_or("/");
    let tasks = app["tasks"].as_array().expect("tasks embedded");
    assert!(!tasks.is_empty(), "no tasks: {app}");
    for t in tasks {
        let host = t["host"].as_str().unwrap();
        let port = t["ports"][0].as_u64().expect("the task has a port");
        let url = format!("http://{host}:{port}{path}");
        let (code, body) = http_get(&url).unwrap_or_else(|| panic!("{url} does not answer"));
        assert_eq!(code, 200, "{url}: {body}");
    }
}

#[test]
fn every_builtin_package_installs_to_healthy_lists_answers_and_uninstalls() {
    let env = Env::new();
    cluster_up(&env, "33100-33199");
    let marathon = marathon_url(&env);

    let search = env.run(&["package", "search", "--json"]);
    search.assert_ok();
    let found: Value = serde_json::from_str(&search.stdout).unwrap();
    let names: Vec<String> = found["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    for expected in ["hello", "static", "kv", "cron", "marathon"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} not in {names:?}"
        );
    }

    for name in &names {
        let d = env.run(&["package", "describe", name, "--json"]);
        d.assert_ok();
        let described: Value = serde_json::from_str(&d.stdout).unwrap();
        let pkg = if described["package"].is_object() {
            described["package"].clone()
        } else {
            described
        };
        assert_eq!(pkg["name"], name.as_str(), "{pkg}");
        let version = pkg["version"].as_str().unwrap().to_string();
        assert!(
            pkg["postInstallNotes"].is_string(),
            "{name}: postInstallNotes say how to reach it"
        );

        let mut args: Vec<String> = vec![
            "package".into(),
            "install".into(),
            name.clone(),
            "--yes".into(),
            "--timeout".into(),
            "90s".into(),
        ];
        if let Some((options, field)) = required_options(name, &env) {
            // Without the required option: the schema error names it, nothing posted.
            let r = env.run(&["package", "install", name, "--yes"]);
            r.assert_code(1);
            assert!(r.stderr.contains(field), "{name}: {}", r.stderr);
            assert!(r.stderr.contains("required"), "{name}: {}", r.stderr);
            assert!(app_ids(&marathon).is_empty(), "{name}: nothing posted");
            let file = write_options(&env, &format!("{name}.json"), &options);
            args.extend(["--options".into(), file]);
        }
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = env.run(&argv);
        r.assert_ok();
        eprintln!("{name}: installed to healthy in {:?}", r.elapsed);
        let line = r.stdout.trim();
        let app_id = line
            .strip_prefix(&format!("installed {name} {version} as "))
            .unwrap_or_else(|| panic!("{name}: unexpected stdout {line:?}"))
            .to_string();
        assert!(
            r.stderr.contains(
                pkg["postInstallNotes"]
                    .as_str()
                    .unwrap()
                    .lines()
                    .next()
                    .unwrap()
            ),
            "{name}: post-install notes on stderr: {}",
            r.stderr
        );

        // Exit 0 means healthy: every instance running and healthy now.
        let a = app(&marathon, &app_id).unwrap_or_else(|| panic!("{app_id} not in Marathon"));
        let n = a["instances"].as_u64().unwrap();
        assert!(n >= 1, "{a}");
        assert_eq!(a["tasksRunning"].as_u64().unwrap(), n, "{a}");
        if a["healthChecks"].as_array().is_some_and(|h| !h.is_empty()) {
            assert_eq!(a["tasksHealthy"].as_u64().unwrap(), n, "{a}");
        }
        assert_eq!(a["labels"]["DCOS_PACKAGE_NAME"], name.as_str(), "{a}");
        assert_eq!(a["labels"]["DCOS_PACKAGE_VERSION"], version.as_str(), "{a}");
        assert_answers(&a);

        // list: JSON in Cosmos' shape, the table with the status.
        let l = env.run(&["package", "list", "--json"]);
        l.assert_ok();
        let listed: Value = serde_json::from_str(&l.stdout).unwrap();
        let entry = listed["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["appId"] == app_id.as_str())
            .unwrap_or_else(|| panic!("{app_id} not listed: {listed}"))
            .clone();
        let def = &entry["packageInformation"]["packageDefinition"];
        assert_eq!(def["name"], name.as_str());
        assert_eq!(def["version"], version.as_str());
        let t = env.run(&["package", "list", name]);
        t.assert_ok();
        let row = t
            .stdout
            .lines()
            .find(|l| l.split_whitespace().nth(2) == Some(app_id.as_str()))
            .unwrap_or_else(|| panic!("no row for {app_id}: {}", t.stdout));
        assert!(row.starts_with(&format!("{name} ")), "{row}");
        assert!(row.contains(&version), "{row}");
        assert!(row.contains(&format!("running {n}/{n}")), "{row}");

        // A framework package: wait for its framework, uninstall tears it down.
        let framework = pkg["framework"] == true;
        let framework_name = a["labels"]["DCOS_PACKAGE_FRAMEWORK_NAME"]
            .as_str()
            .map(str::to_string);
        if let Some(fw) = &framework_name {
            let master = master_addr(&env);
            wait_until(DEADLINE, &format!("framework {fw} registers"), || {
                get_json(&format!("http://{master}/master/frameworks"))["frameworks"]
                    .as_array()
                    .is_some_and(|fs| fs.iter().any(|f| f["name"] == fw.as_str()))
            });
        }

        let u = env.run(&["package", "uninstall", name, "--yes"]);
        u.assert_ok();
        assert_eq!(
            u.stdout.trim(),
            format!("Uninstalled package {name} version {version} (app {app_id})")
        );
        if let Some(fw) = &framework_name {
            assert!(framework, "{name} labels a framework but is not one");
            assert!(
                u.stderr.contains(&format!("tore down framework {fw} (")),
                "{name}: {}",
                u.stderr
            );
            let master = master_addr(&env);
            let frameworks = get_json(&format!("http://{master}/master/frameworks"));
            assert!(
                !frameworks["frameworks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["name"] == fw.as_str()),
                "{fw} still registered: {frameworks}"
            );
        }
        wait_until(DEADLINE, &format!("{app_id} is gone"), || {
            app(&marathon, &app_id).is_none()
        });
        let l = env.run(&["package", "list", "--json"]);
        l.assert_ok();
        assert!(!l.stdout.contains(&format!("\"{app_id}\"")), "{}", l.stdout);
    }
}

#[test]
fn hello_with_custom_options_ids_and_refusals() {
    let env = Env::new();
    cluster_up(&env, "33200-33299");
    let marathon = marathon_url(&env);

    // Refusals first: nothing may reach Marathon.
    let bad = write_options(&env, "bad.json", &json!({"service": {"cpus": "lots"}}));
    let r = env.run(&["package", "install", "hello", "--options", &bad, "--yes"]);
    r.assert_code(1);
    assert!(r.stderr.contains("/service/cpus"), "{}", r.stderr);
    assert!(r.stderr.contains("expected number"), "{}", r.stderr);
    assert!(r.stderr.contains("nothing was installed"), "{}", r.stderr);

    let small = write_options(&env, "small.json", &json!({"service": {"mem": 1}}));
    let r = env.run(&["package", "install", "hello", "--options", &small, "--yes"]);
    r.assert_code(1);
    assert!(r.stderr.contains("/service/mem"), "{}", r.stderr);
    assert!(r.stderr.contains("minimum"), "{}", r.stderr);

    let array = write_options(&env, "array.json", &json!([1]));
    let r = env.run(&["package", "install", "hello", "--options", &array, "--yes"]);
    r.assert_code(2);
    assert!(r.stderr.contains("array.json"), "{}", r.stderr);
    assert!(r.stderr.contains("not a JSON object"), "{}", r.stderr);

    let r = env
        .env
        .run_with_stdin(&["package", "install", "hello"], b"y\n");
    r.assert_code(2);
    assert!(
        r.stderr.contains("refusing to install hello without --yes"),
        "{}",
        r.stderr
    );
    let r = env.run(&["package", "install", "no-such-package", "--yes"]);
    r.assert_code(4);
    assert!(r.stderr.contains("no-such-package"), "{}", r.stderr);
    assert!(app_ids(&marathon).is_empty(), "nothing was posted");

    // An app that cannot start (no agent has 1000 cpus): --timeout gives
    // exit 124 and the app keeps deploying; --no-wait returns at once.
    let huge = write_options(
        &env,
        "huge.json",
        &json!({"service": {"name": "/stuck", "cpus": 1000}}),
    );
    let r = env.run(&[
        "package",
        "install",
        "hello",
        "--options",
        &huge,
        "--yes",
        "--timeout",
        "2s",
    ]);
    r.assert_code(124);
    assert!(
        r.stderr.contains("app '/stuck' still not healthy after"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("it keeps deploying"), "{}", r.stderr);
    assert!(app(&marathon, "/stuck").is_some(), "the app stays");
    env.run(&[
        "package",
        "uninstall",
        "hello",
        "--app-id",
        "/stuck",
        "--yes",
    ])
    .assert_ok();
    wait_until(DEADLINE, "/stuck is gone", || {
        app(&marathon, "/stuck").is_none()
    });
    let r = env.run(&[
        "package",
        "install",
        "hello",
        "--options",
        &huge,
        "--yes",
        "--no-wait",
    ]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), "installed hello 1.0.0 as /stuck");
    let a = app(&marathon, "/stuck").expect("posted");
    assert_eq!(a["tasksRunning"], 0, "{a}");
    let l = env.run(&["package", "list", "hello"]);
    l.assert_ok();
    assert!(
        l.stdout.contains("deploying: running 0/1, healthy 0/1"),
        "{}",
        l.stdout
    );
    env.run(&["package", "uninstall", "hello", "--yes"])
        .assert_ok();
    wait_until(DEADLINE, "/stuck is gone", || {
        app(&marathon, "/stuck").is_none()
    });

    // Custom options: another id and message, visible in the rendered app
    // and in what the service answers.
    let custom = write_options(
        &env,
        "custom.json",
        &json!({"service": {"name": "/team/greeter"}, "hello": {"message": "Howdy from a test"}}),
    );
    let r = env.run(&[
        "package",
        "install",
        "hello",
        "--options",
        &custom,
        "--yes",
        "--timeout",
        "90s",
    ]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), "installed hello 1.0.0 as /team/greeter");
    let a = app(&marathon, "/team/greeter").expect("the custom id");
    assert_eq!(a["env"]["HELLO_MESSAGE"], "Howdy from a test", "{a}");
    let t = &a["tasks"][0];
    let url = format!(
        "http://{}:{}/",
        t["host"].as_str().unwrap(),
        t["ports"][0].as_u64().unwrap()
    );
    let (code, body) = http_get(&url).expect("the greeter answers");
    assert_eq!((code, body.trim()), (200, "Howdy from a test"));

    // --app-id beats the template's id; --json is the Cosmos install response.
    let r = env.run(&[
        "package",
        "install",
        "hello",
        "--app-id",
        "/hello-two",
        "--yes",
        "--json",
        "--timeout",
        "90s",
    ]);
    r.assert_ok();
    let resp: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(resp["packageName"], "hello");
    assert_eq!(resp["packageVersion"], "1.0.0");
    assert_eq!(resp["appId"], "/hello-two");
    assert!(app(&marathon, "/hello-two").is_some());

    // The same id twice: Marathon refuses, the error says so.
    let r = env.run(&[
        "package",
        "install",
        "hello",
        "--app-id",
        "/hello-two",
        "--yes",
    ]);
    r.assert_code(1);
    assert!(r.stderr.contains("already installed"), "{}", r.stderr);

    // Two installs: uninstall needs --app-id or --all (exit 4 names them).
    let r = env.run(&["package", "uninstall", "hello", "--yes"]);
    r.assert_code(4);
    assert!(r.stderr.contains("/hello-two"), "{}", r.stderr);
    assert!(r.stderr.contains("/team/greeter"), "{}", r.stderr);
    assert!(r.stderr.contains("--all"), "{}", r.stderr);
    let r = env.run(&["package", "uninstall", "hello"]);
    r.assert_code(2);
    assert!(r
        .stderr
        .contains("refusing to uninstall hello without --yes"));
    assert_eq!(app_ids(&marathon).len(), 2, "nothing removed");

    let l = env.run(&["package", "list", "--app-id", "/team/greeter", "--json"]);
    l.assert_ok();
    let listed: Value = serde_json::from_str(&l.stdout).unwrap();
    assert_eq!(listed["packages"].as_array().unwrap().len(), 1, "{listed}");

    let r = env.run(&[
        "package",
        "uninstall",
        "hello",
        "--app-id",
        "/team/greeter",
        "--yes",
        "--json",
    ]);
    r.assert_ok();
    let out: Value = serde_json::from_str(&r.stdout).unwrap();
    let res = &out["results"][0];
    assert_eq!(res["appId"], "/team/greeter", "{out}");
    assert_eq!(res["packageName"], "hello", "{out}");
    assert!(res["tornDown"].as_array().unwrap().is_empty(), "{out}");
    let r = env.run(&["package", "uninstall", "hello", "--all", "--yes"]);
    r.assert_ok();
    wait_until(DEADLINE, "both hello apps are gone", || {
        app_ids(&marathon).is_empty()
    });
    let r = env.run(&["package", "uninstall", "hello", "--yes"]);
    r.assert_code(4);
    assert!(r.stderr.contains("not installed"), "{}", r.stderr);
}

#[test]
fn on_a_terminal_install_asks_for_required_options_and_confirmation() {
    let env = Env::new();
    cluster_up(&env, "33300-33399");
    let marathon = marathon_url(&env);
    let wait = Duration::from_secs(60);

    // "n" at the confirmation: nothing installed, exit 1.
    let mut p = PtyRun::start(&env.env, &["package", "install", "hello"], 120);
    p.wait_for("Continue installing? [y/N]", wait);
    p.type_keys(b"n");
    let (code, screen) = p.wait(wait);
    assert_eq!(code, 1, "{screen}");
    assert!(
        screen.contains("cancelled; nothing was installed"),
        "{screen}"
    );
    assert!(app_ids(&marathon).is_empty(), "nothing posted");

    // The required option without a default is asked for, typed, then
    // confirmed: installed to healthy.
    let mut p = PtyRun::start(
        &env.env,
        &["package", "install", "marathon", "--timeout", "90s"],
        120,
    );
    p.wait_for("marathon.master (string)", wait);
    p.type_keys(format!("{}\r", master_addr(&env)).as_bytes());
    p.wait_for("Continue installing? [y/N]", wait);
    p.type_keys(b"y");
    let (code, screen) = p.wait(Duration::from_secs(120));
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("installed marathon 1.0.0 as /marathon-user"),
        "{screen}"
    );
    let a = app(&marathon, "/marathon-user").expect("installed");
    assert_eq!(
        a["env"]["MARATHON_MASTER"],
        master_addr(&env).as_str(),
        "{a}"
    );
    assert_eq!(a["tasksHealthy"], 1, "{a}");

    // Uninstall asks too (y/N, naming the app and the framework).
    let mut p = PtyRun::start(&env.env, &["package", "uninstall", "marathon"], 120);
    p.wait_for(
        "Uninstall package marathon (app /marathon-user) and tear down its framework?",
        wait,
    );
    p.type_keys(b"y");
    let (code, screen) = p.wait(wait);
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("Uninstalled package marathon version 1.0.0 (app /marathon-user)"),
        "{screen}"
    );
    wait_until(DEADLINE, "/marathon-user is gone", || {
        app(&marathon, "/marathon-user").is_none()
    });
}

/// The real marathon-lb package (a Docker image) on a `cluster up` cluster,
/// whose agents run the mesos containerizer only: refused before Marathon
/// is asked, naming the image and what was checked.
#[test]
fn a_docker_package_is_refused_when_no_agent_can_run_docker() {
    let env = Env::new();
    cluster_up(&env, "33400-33499");
    let marathon = marathon_url(&env);
    let repo = env.env.home().join("universe");
    let lb = repo.join("packages/M/marathon-lb/0");
    std::fs::create_dir_all(&lb).unwrap();
    for f in [
        "package.json",
        "config.json",
        "resource.json",
        "marathon.json.mustache",
    ] {
        std::fs::copy(
            crate::common::fixtures_dir()
                .join("universe-example")
                .join(f),
            lb.join(f),
        )
        .unwrap();
    }
    let before = app_ids(&marathon);
    let repo = repo.to_str().unwrap();
    let r = env.run(&["package", "--repo", repo, "install", "marathon-lb", "--yes"]);
    r.assert_code(1);
    assert!(
        r.stderr.contains("marathon-lb")
            && r.stderr
                .contains("it needs the Docker image mesosphere/marathon-lb:v1.15.0")
            && r.stderr
                .contains("none of the 1 agent runs the docker containerizer (--containerizers)")
            && r.stderr.contains("nothing was installed"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_eq!(app_ids(&marathon), before);

    // The same through the Cosmos API `mesos marathon` serves: the server
    // checks its master's agents and answers the Cosmos error.
    let cosmos = |args: &[&str]| {
        let mut a = vec!["package", "--cosmos", marathon.as_str()];
        a.extend_from_slice(args);
        env.run(&a)
    };
    // (Cosmos reads http(s) repositories only: serve marathon-lb as a
    // repository document.)
    let fixture = |f: &str| -> Value {
        let p = crate::common::fixtures_dir()
            .join("universe-example")
            .join(f);
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let template = std::fs::read(
        crate::common::fixtures_dir().join("universe-example/marathon.json.mustache"),
    )
    .unwrap();
    let mut package = fixture("package.json");
    package["releaseVersion"] = json!(0);
    package["config"] = fixture("config.json");
    package["resource"] = fixture("resource.json");
    package["marathon"] = json!({"v2AppMustacheTemplate":
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, template)});
    let server = crate::common::http::TestServer::start();
    server.route(
        "/repo",
        crate::common::http::Answer {
            status: 200,
            headers: vec![(
                "content-type".into(),
                "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v4".into(),
            )],
            body: json!({"packages": [package]}).to_string().into_bytes(),
        },
    );
    let repo_url = format!("{}/repo", server.url().trim_end_matches('/'));
    cosmos(&["repo", "add", "lb", &repo_url, "--index", "0"]).assert_ok();
    let r = cosmos(&["install", "marathon-lb", "--yes"]);
    r.assert_code(1);
    assert!(
        r.stderr
            .contains("it needs the Docker image mesosphere/marathon-lb:v1.15.0")
            && r.stderr
                .contains("none of the 1 agent runs the docker containerizer"),
        "{}",
        r.stderr
    );
    assert_eq!(app_ids(&marathon), before);
}
