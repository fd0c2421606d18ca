//! The Cosmos package API of `mesos marathon` with real processes (a
//! master, an agent, `mesos marathon`) and the CLI's Cosmos client: a
//! repository added over HTTP, search and describe, install of a package
//! whose app runs `sleep 600` (the Marathon app carries the Cosmos labels
//! and reaches TASK_RUNNING), list, uninstall (the app and its task go),
//! and what the client says about a URL that is not Cosmos.

use std::future::Future;
use std::time::Duration;

use base64::Engine as _;
use mesos::http::{HttpClient, HttpOptions};
use mesos::package_client::cosmos::{capabilities, CosmosClient};
use mesos::packages::cosmos::{
    DescribeRequest, InstallRequest, ListRequest, PackageRepository, RepositoryAddRequest,
    SearchRequest, UninstallRequest, PACKAGE_MANAGEMENT,
};
use serde_json::{json, Value};

use crate::common::cluster::{get_json, start_agent, start_master};
use crate::common::http::{Answer, TestServer};
use crate::common::wait_until;
use crate::marathon_api::start_marathon;

const DEADLINE: Duration = Duration::from_secs(90);

const TEMPLATE: &str = r#"{
  "id": "{{service.name}}",
  "cmd": "sleep 600",
  "cpus": 0.1,
  "mem": 32,
  "instances": 1,
  "labels": {"DCOS_PACKAGE_FRAMEWORK_NAME": "{{service.name}}-framework"}
}"#;

/// A Universe repository document with one package, `naptime`.
fn repo_doc() -> String {
    let template = base64::engine::general_purpose::STANDARD.encode(TEMPLATE);
    json!({"packages":[{
        "packagingVersion":"3.0","name":"naptime","version":"0.1.0","releaseVersion":0,
        "maintainer":"dev@example.com","description":"Sleeps ten minutes",
        "tags":["sleep"],"postInstallNotes":"Sleeping.",
        "config":{"type":"object","properties":{"service":{"type":"object","properties":{
            "name":{"type":"string","default":"naptime"}}}}},
        "marathon":{"v2AppMustacheTemplate":template}
    }]})
    .to_string()
}

/// Exactly one `error:` line, this one (progress lines may come before it).
fn assert_one_error(stderr: &str, line: &str) {
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors, [line], "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

fn block<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn client(base: &str) -> CosmosClient {
    CosmosClient::new(
        HttpClient::new(&HttpOptions {
            timeout: Duration::from_secs(30),
            ..HttpOptions::default()
        })
        .unwrap(),
        base.parse().unwrap(),
    )
}

fn task_states(marathon: &str, id: &str) -> Vec<String> {
    get_json(&format!("{marathon}/v2/apps{id}?embed=app.tasks"))["app"]["tasks"]
        .as_array()
        .map(|ts| {
            ts.iter()
                .map(|t| t["state"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn app_ids(marathon: &str) -> Vec<String> {
    get_json(&format!("{marathon}/v2/apps"))["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn marathon_serves_cosmos_install_runs_a_task_and_uninstall_removes_it() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let state = tempfile::tempdir().unwrap();
    let m = start_marathon(&master, state.path());
    let marathon = m.url();
    let repo = TestServer::start();
    repo.route("/repo", Answer::json(repo_doc()));
    let repo_uri = format!("{}/repo", repo.url());
    let c = client(&marathon);

    // The capabilities say there is a package manager.
    let caps = block(capabilities(&c.http, &c.base))
        .unwrap()
        .expect("served");
    assert!(caps.has(PACKAGE_MANAGEMENT));

    // A repository added over HTTP is first, before the built-in one.
    let list = block(c.repository_add(&RepositoryAddRequest {
        name: "test".into(),
        uri: repo_uri.clone(),
        index: Some(0),
    }))
    .unwrap();
    assert_eq!(
        list.repositories[0],
        PackageRepository {
            name: "test".into(),
            uri: repo_uri.clone()
        }
    );
    assert_eq!(list.repositories[1].uri, "builtin");

    let found = block(c.search(&SearchRequest {
        query: Some("naptime".into()),
    }))
    .unwrap();
    assert_eq!(found.packages.len(), 1);
    assert_eq!(found.packages[0].current_version, "0.1.0");
    let d = block(c.describe(&DescribeRequest {
        package_name: "naptime".into(),
        package_version: None,
    }))
    .unwrap();
    assert_eq!(d.package.post_install_notes.as_deref(), Some("Sleeping."));
    let e = block(c.describe(&DescribeRequest {
        package_name: "nope".into(),
        package_version: None,
    }))
    .unwrap_err();
    assert_eq!((e.kind.as_str(), e.status), ("PackageNotFound", 400));

    // Install: a Marathon app with the Cosmos labels, running.
    let done = block(c.install(&InstallRequest {
        package_name: "naptime".into(),
        ..InstallRequest::default()
    }))
    .unwrap();
    assert_eq!(done.response.app_id.as_deref(), Some("/naptime"));
    let app = get_json(&format!("{marathon}/v2/apps/naptime"))["app"].clone();
    let labels = &app["labels"];
    assert_eq!(labels["DCOS_PACKAGE_NAME"], "naptime");
    assert_eq!(labels["DCOS_PACKAGE_VERSION"], "0.1.0");
    assert_eq!(labels["DCOS_PACKAGE_SOURCE"], repo_uri.as_str());
    for l in [
        "DCOS_PACKAGE_DEFINITION",
        "DCOS_PACKAGE_OPTIONS",
        "DCOS_PACKAGE_METADATA",
    ] {
        assert!(labels[l].is_string(), "{l} missing: {labels}");
    }
    wait_until(DEADLINE, "the package's task to run", || {
        task_states(&marathon, "/naptime") == ["TASK_RUNNING"]
    });
    let e = block(c.install(&InstallRequest {
        package_name: "naptime".into(),
        ..InstallRequest::default()
    }))
    .unwrap_err();
    assert_eq!(
        (e.kind.as_str(), e.status),
        ("PackageAlreadyInstalled", 409)
    );

    let listed = block(c.list(&ListRequest::default())).unwrap();
    let ids: Vec<&str> = listed.packages.iter().map(|p| p.app_id.as_str()).collect();
    assert_eq!(ids, ["/naptime"]);
    assert_eq!(
        listed.packages[0]
            .package_information
            .package_definition
            .name,
        "naptime"
    );

    // Uninstall: the app goes (its framework name matches none, so the
    // master is asked and nothing is torn down), and so does the task.
    let gone = block(c.uninstall(&UninstallRequest {
        package_name: "naptime".into(),
        ..UninstallRequest::default()
    }))
    .unwrap();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].result.app_id, "/naptime");
    assert!(!app_ids(&marathon).contains(&"/naptime".to_string()));
    wait_until(DEADLINE, "the task to end", || {
        let tasks: Value = get_json(&format!("{marathon}/v2/tasks"));
        tasks["tasks"].as_array().is_some_and(|t| t.is_empty())
    });
    assert!(block(c.list(&ListRequest::default()))
        .unwrap()
        .packages
        .is_empty());
    let e = block(c.uninstall(&UninstallRequest {
        package_name: "naptime".into(),
        ..UninstallRequest::default()
    }))
    .unwrap_err();
    assert_eq!(e.kind, "PackageNotInstalled");

    // The repository list survives a restart of the scheduler.
    drop(m);
    let m2 = start_marathon(&master, state.path());
    let list = block(client(&m2.url()).repository_list()).unwrap();
    assert_eq!(list.repositories[0].uri, repo_uri);
}

#[test]
fn the_client_says_when_a_url_is_not_cosmos() {
    let master = start_master(&[]);
    let c = client(&master.url());
    // A Mesos master has no /capabilities: no package manager there.
    assert!(block(capabilities(&c.http, &c.base)).unwrap().is_none());
    let e = block(c.search(&SearchRequest::default())).unwrap_err();
    assert_eq!(e.status, 404, "{e:?}");
    assert!(
        e.message
            .contains(&format!("{}/package/search", master.url()))
            && e.message.contains("not the Cosmos package API"),
        "{}",
        e.message
    );
    assert!(!e.message.contains('\n'));
}

#[test]
fn the_cli_manages_packages_through_marathons_cosmos_api() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let state = tempfile::tempdir().unwrap();
    let m = start_marathon(&master, state.path());
    let marathon = m.url();
    let repo = TestServer::start();
    repo.route("/repo", Answer::json(repo_doc()));
    let repo_uri = format!("{}/repo", repo.url());
    let env = crate::common::TestEnv::new().env("MESOS_COSMOS", &marathon);
    let pkg = |args: &[&str]| {
        let mut a = vec!["package"];
        a.extend_from_slice(args);
        env.run(&a)
    };

    // The repository goes to the server's list, not a profile.
    let r = pkg(&["repo", "add", "test", &repo_uri, "--index", "0", "-v"]);
    r.assert_ok();
    assert!(r.stderr.contains("Cosmos"), "{}", r.stderr);
    let r = pkg(&["repo", "list"]);
    r.assert_ok();
    let first = r.stdout.lines().nth(1).unwrap_or("");
    assert!(
        first.contains("test") && first.contains(&repo_uri),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("builtin"), "{}", r.stdout);
    let r = pkg(&["repo", "add", "local", "/tmp/somewhere"]);
    r.assert_code(1).assert_clean_error();
    assert!(r.stderr.contains("http"), "{}", r.stderr);

    let r = pkg(&["search", "naptime"]);
    r.assert_ok();
    assert!(
        r.stdout.contains("naptime") && r.stdout.contains("0.1.0"),
        "{}",
        r.stdout
    );
    let r = pkg(&["describe", "naptime", "--json"]);
    r.assert_ok();
    let d: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(d["package"]["postInstallNotes"], "Sleeping.", "{d}");
    pkg(&["describe", "nope"])
        .assert_code(4)
        .assert_clean_error();

    // Install through Cosmos; the CLI follows the app on the same URL.
    let r = pkg(&["install", "naptime", "--yes", "--timeout", "90s"]);
    r.assert_ok();
    assert!(r.stdout.contains("/naptime"), "{}", r.stdout);
    assert!(r.stderr.contains("Sleeping."), "{}", r.stderr);
    assert_eq!(task_states(&marathon, "/naptime"), ["TASK_RUNNING"]);
    let app = get_json(&format!("{marathon}/v2/apps/naptime"))["app"].clone();
    assert_eq!(app["labels"]["DCOS_PACKAGE_NAME"], "naptime");
    let r = pkg(&["install", "naptime", "--yes"]);
    r.assert_code(1);
    assert_one_error(&r.stderr, "error: Package is already installed");

    let r = pkg(&["list"]);
    r.assert_ok();
    assert!(
        r.stdout.contains("naptime") && r.stdout.contains("/naptime"),
        "{}",
        r.stdout
    );

    pkg(&["uninstall", "naptime", "--yes"]).assert_ok();
    assert!(!app_ids(&marathon).contains(&"/naptime".to_string()));
    let r = pkg(&["uninstall", "naptime", "--yes"]);
    r.assert_code(4).assert_clean_error();
    let r = pkg(&["repo", "remove", "test"]);
    r.assert_ok();
    assert!(!pkg(&["repo", "list"]).stdout.contains(&repo_uri));
}

/// `host:port` of the cluster's master.
fn master_addr(env: &crate::cluster_local::Env) -> String {
    env.state("local")["master"]
        .as_str()
        .expect("cluster up records the master")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}

fn active_framework(master: &str, name: &str) -> bool {
    get_json(&format!("http://{master}/master/frameworks"))["frameworks"]
        .as_array()
        .is_some_and(|fs| fs.iter().any(|f| f["name"] == name))
}

#[test]
fn a_framework_package_installed_through_cosmos_is_torn_down_by_its_uninstall() {
    let env = crate::cluster_local::Env::new();
    env.run(&["cluster", "up", "--agents", "1"]).assert_ok();
    let marathon = env.state("local")["marathon"]
        .as_str()
        .expect("cluster up records the marathon URL")
        .trim_end_matches('/')
        .to_string();
    let master = master_addr(&env);
    let pkg = |args: &[&str]| {
        let mut a = vec!["package", "--cosmos", marathon.as_str()];
        a.extend_from_slice(args);
        env.run(&a)
    };

    // The server's default list is the built-in repository.
    let r = pkg(&["repo", "list", "--json"]);
    r.assert_ok();
    let list: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        list,
        json!({"repositories":[{"name":"builtin","uri":"builtin"}]})
    );

    // The built-in Marathon package: a framework on the same master.
    let options = env.env.home().join("marathon-options.json");
    std::fs::write(
        &options,
        json!({"marathon": {"master": master}}).to_string(),
    )
    .unwrap();
    let r = pkg(&[
        "install",
        "marathon",
        "--yes",
        "--options",
        options.to_str().unwrap(),
        "--timeout",
        "120s",
    ]);
    r.assert_ok();
    let app_id = r.stdout.trim().rsplit(' ').next().unwrap().to_string();
    let app = get_json(&format!("{marathon}/v2/apps{app_id}"))["app"].clone();
    let fw = app["labels"]["DCOS_PACKAGE_FRAMEWORK_NAME"]
        .as_str()
        .unwrap_or_else(|| panic!("no framework label: {app}"))
        .to_string();
    wait_until(DEADLINE, &format!("framework {fw} registers"), || {
        active_framework(&master, &fw)
    });

    // Uninstall through Cosmos: the server deletes the app and tears the
    // framework down at the master.
    pkg(&["uninstall", "marathon", "--yes"]).assert_ok();
    assert!(
        !active_framework(&master, &fw),
        "{fw} still registered right after uninstall"
    );
    let completed = get_json(&format!("http://{master}/master/frameworks"))["completed_frameworks"]
        .as_array()
        .is_some_and(|fs| fs.iter().any(|f| f["name"] == fw.as_str()));
    assert!(
        completed,
        "{fw} was not torn down (not among completed frameworks)"
    );
    assert!(!app_ids(&marathon).contains(&app_id));
}
