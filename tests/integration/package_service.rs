//! The local package manager against real daemons: a master, an agent and
//! `mesos marathon`, a repository in the Universe source layout in a temp
//! directory, and the package service over the HTTP backends. install →
//! the app runs in Marathon with the Cosmos labels; install again →
//! PackageAlreadyInstalled; list; uninstall removes the app; a package
//! whose app is a framework (`mesos marathon` under another name) is torn
//! down at the master when it is uninstalled.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use mesos::cli::GlobalArgs;
use mesos::config::Config;
use mesos::context::Context;
use mesos::package_client::local::{HttpApps, HttpFrameworks};
use mesos::packages::cosmos::{
    CosmosError, InstallRequest, ListRequest, PackageRepository, UninstallRequest,
};
use mesos::packages::service::{Apps, LoadedRepo, PackageService, Repos};
use mesos::wire::marathon::PathId;

use crate::common::cluster::{
    get_json, http_get, spawn_with_env, start_agent, start_master, Daemon,
};
use crate::common::daemons::request;
use crate::common::{free_port, mesos_bin, wait_until};

const DEADLINE: Duration = Duration::from_secs(90);

/// One repository read from a source directory on every load.
struct DirRepos {
    dir: PathBuf,
}

impl Repos for DirRepos {
    async fn list(&self) -> Result<Vec<PackageRepository>, CosmosError> {
        Ok(vec![self.spec()])
    }
    async fn add(
        &self,
        _: PackageRepository,
        _: Option<u32>,
    ) -> Result<Vec<PackageRepository>, CosmosError> {
        Err(CosmosError::unhandled("fixed repository list"))
    }
    async fn delete(
        &self,
        _: Option<&str>,
        _: Option<&str>,
    ) -> Result<Vec<PackageRepository>, CosmosError> {
        Err(CosmosError::unhandled("fixed repository list"))
    }
    async fn load(&self) -> Result<Vec<LoadedRepo>, CosmosError> {
        let repo = mesos::packages::source::read_source_dir(&self.dir)
            .map_err(|e| CosmosError::new("JsonParsingError", 400, e))?;
        Ok(vec![LoadedRepo {
            spec: self.spec(),
            repo: Arc::new(repo),
        }])
    }
}

impl DirRepos {
    fn spec(&self) -> PackageRepository {
        PackageRepository {
            name: "test".into(),
            uri: format!("file://{}", self.dir.display()),
        }
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `sleeper`: one task running `sleep`; `inner`: `mesos marathon` as a
/// framework named by its options, labelled so uninstall tears it down.
fn write_repository(root: &Path) {
    let sleeper = root.join("packages/S/sleeper/0");
    write(
        &sleeper.join("package.json"),
        r#"{"packagingVersion": "3.0", "name": "sleeper", "version": "1.0",
            "maintainer": "test@example.com", "description": "sleeps",
            "tags": ["test"], "postInstallNotes": "sleeping",
            "postUninstallNotes": "awake again"}"#,
    );
    write(
        &sleeper.join("config.json"),
        r#"{"type": "object", "properties": {"sleeper": {"type": "object", "properties": {
            "name": {"type": "string", "default": "sleeper"},
            "seconds": {"type": "integer", "default": 600, "minimum": 1},
            "cpus": {"type": "number", "default": 0.1}}}}}"#,
    );
    write(
        &sleeper.join("marathon.json.mustache"),
        r#"{"id": "{{sleeper.name}}", "cmd": "sleep {{sleeper.seconds}}",
            "cpus": {{sleeper.cpus}}, "mem": 16, "instances": 1}"#,
    );
    let inner = root.join("packages/I/inner/0");
    write(
        &inner.join("package.json"),
        r#"{"packagingVersion": "3.0", "name": "inner", "version": "0.1",
            "maintainer": "test@example.com", "description": "a Marathon in Marathon",
            "tags": ["framework"], "framework": true}"#,
    );
    write(
        &inner.join("config.json"),
        r#"{"type": "object", "properties": {"inner": {"type": "object",
            "required": ["mesos", "master", "framework"], "properties": {
            "mesos": {"type": "string"}, "master": {"type": "string"},
            "framework": {"type": "string"}}}}}"#,
    );
    write(
        &inner.join("marathon.json.mustache"),
        r#"{"id": "/inner", "cpus": 0.2, "mem": 64, "instances": 1,
            "cmd": "exec {{inner.mesos}} marathon --master={{inner.master}} --http_port=$PORT0 --http_address=127.0.0.1 --hostname=127.0.0.1 --work_dir=$MESOS_SANDBOX/m --framework_name={{inner.framework}}",
            "portDefinitions": [{"port": 0}],
            "labels": {"DCOS_PACKAGE_FRAMEWORK_NAME": "{{inner.framework}}"}}"#,
    );
}

/// `mesos marathon` on a free port, registered at `master`.
fn start_marathon(master: &Daemon) -> Daemon {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let args = vec![
        format!("--master={}", master.addr()),
        format!("--work_dir={}", dir.path().join("state").display()),
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

type Service = PackageService<DirRepos, HttpApps, HttpFrameworks>;

fn context(master: &str) -> Context {
    let g = GlobalArgs {
        master: Some(master.to_string()),
        timeout: Some(Duration::from_secs(10)),
        ..GlobalArgs::default()
    };
    Context::with_config(&g, &Config::default()).unwrap()
}

/// The service with Marathon at `marathon` (`None`: found through the
/// master's framework `marathon`) and the master at `master`.
fn service(master: &str, marathon: Option<String>, repo: &Path) -> Service {
    let ctx = context(master);
    PackageService::new(
        DirRepos {
            dir: repo.to_path_buf(),
        },
        HttpApps::new(ctx.clone(), marathon),
        HttpFrameworks { ctx },
    )
}

fn install(name: &str, options: Value) -> InstallRequest {
    InstallRequest {
        package_name: name.into(),
        options: Some(options.as_object().unwrap().clone()),
        ..InstallRequest::default()
    }
}

fn uninstall(name: &str) -> UninstallRequest {
    UninstallRequest {
        package_name: name.into(),
        ..UninstallRequest::default()
    }
}

/// The app's JSON, or `None` once Marathon no longer has it.
fn app(marathon: &str, id: &str) -> Option<Value> {
    let (code, body) = http_get(&format!("{marathon}/v2/apps{id}"))?;
    (code == 200).then(|| serde_json::from_str::<Value>(&body).unwrap()["app"].clone())
}

/// Frameworks of the master with this name: (active ids, completed ids).
fn frameworks_named(master: &Daemon, name: &str) -> (Vec<String>, Vec<String>) {
    let state = get_json(&format!("{}/master/frameworks", master.url()));
    let ids = |key: &str| -> Vec<String> {
        state[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| f["name"] == name)
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    };
    (ids("frameworks"), ids("completed_frameworks"))
}

#[test]
fn install_list_and_uninstall_on_marathon_tearing_down_a_packaged_framework() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let marathon_d = start_marathon(&master);
    let marathon = marathon_d.url();
    // The service finds Marathon through the master: wait for it there.
    wait_until(DEADLINE, "marathon registered at the master", || {
        frameworks_named(&master, "marathon").0.len() == 1
    });
    let repo = tempfile::tempdir().unwrap();
    write_repository(repo.path());
    let svc = service(&master.addr(), None, repo.path());
    let rt = tokio::runtime::Runtime::new().unwrap();

    // Install: the rendered app is in Marathon with the Cosmos labels and runs.
    let done = rt
        .block_on(svc.install(&install("sleeper", json!({"sleeper": {"seconds": 300}}))))
        .unwrap();
    assert_eq!(done.response.app_id.as_deref(), Some("/sleeper"));
    assert_eq!(done.response.package_version, "1.0");
    assert_eq!(
        done.response.post_install_notes.as_deref(),
        Some("sleeping")
    );
    assert!(!done.created.unwrap().deployment_id.is_empty());
    assert_eq!(svc.apps.at(), marathon);
    let a = app(&marathon, "/sleeper").expect("the app is in Marathon");
    assert_eq!(a["cmd"], "sleep 300");
    assert_eq!(a["labels"]["DCOS_PACKAGE_NAME"], "sleeper");
    assert_eq!(a["labels"]["DCOS_PACKAGE_VERSION"], "1.0");
    assert_eq!(
        a["labels"]["DCOS_PACKAGE_SOURCE"],
        format!("file://{}", repo.path().display())
    );
    for l in [
        "DCOS_PACKAGE_METADATA",
        "DCOS_PACKAGE_OPTIONS",
        "DCOS_PACKAGE_DEFINITION",
    ] {
        assert!(
            a["labels"][l].as_str().is_some_and(|v| !v.is_empty()),
            "{l}: {a}"
        );
    }
    wait_until(DEADLINE, "the sleeper task running", || {
        app(&marathon, "/sleeper").is_some_and(|a| a["tasksRunning"] == 1)
    });

    // Again: Marathon's 409 as Cosmos names it; bad options never reach it.
    let e = rt
        .block_on(svc.install(&install("sleeper", json!({}))))
        .unwrap_err();
    assert_eq!(
        (e.kind.as_str(), e.status),
        ("PackageAlreadyInstalled", 409)
    );
    let e = rt
        .block_on(svc.install(&install(
            "sleeper",
            json!({"sleeper": {"name": "/other", "seconds": 0}}),
        )))
        .unwrap_err();
    assert_eq!(e.kind, "JsonSchemaMismatch");
    assert!(app(&marathon, "/other").is_none());
    // What the schema allows but Marathon refuses: its details are passed on.
    let e = rt
        .block_on(svc.install(&install(
            "sleeper",
            json!({"sleeper": {"name": "/negative", "cpus": -1}}),
        )))
        .unwrap_err();
    assert_eq!((e.kind.as_str(), e.status), ("MarathonBadResponse", 400));
    assert!(e.message.contains("/cpus"), "{}", e.message);
    let details = e.data.as_ref().unwrap()["errors"].clone();
    assert_eq!(details[0]["path"], "/cpus", "{details}");
    assert!(app(&marathon, "/negative").is_none());

    // A framework package: its app registers `inner-<port>` at the master.
    let fw_name = format!("inner-{}", marathon_d.port);
    let options = json!({"inner": {"mesos": mesos_bin().display().to_string(),
        "master": master.addr(), "framework": fw_name}});
    let done = rt
        .block_on(svc.install(&install("inner", options)))
        .unwrap();
    assert_eq!(done.response.app_id.as_deref(), Some("/inner"));
    wait_until(DEADLINE, "the packaged framework registered", || {
        frameworks_named(&master, &fw_name).0.len() == 1
    });
    let fw_id = frameworks_named(&master, &fw_name).0[0].clone();

    // List: both, sorted by name, decoded from the labels.
    let listed = rt.block_on(svc.list(&ListRequest::default())).unwrap();
    let rows: Vec<(String, String, String)> = listed
        .packages
        .iter()
        .map(|i| {
            let d = &i.package_information.package_definition;
            (d.name.clone(), d.version.clone(), i.app_id.clone())
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("inner".to_string(), "0.1".to_string(), "/inner".to_string()),
            ("sleeper".into(), "1.0".into(), "/sleeper".into()),
        ]
    );
    let only = rt
        .block_on(svc.list(&ListRequest {
            package_name: Some("sleeper".into()),
            app_id: None,
        }))
        .unwrap();
    assert_eq!(only.packages.len(), 1);

    // Uninstall the plain package: the app goes, nothing is torn down.
    let gone = rt.block_on(svc.uninstall(&uninstall("sleeper"))).unwrap();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].result.app_id, "/sleeper");
    assert_eq!(
        gone[0].result.post_uninstall_notes.as_deref(),
        Some("awake again")
    );
    assert!(gone[0].torn_down.is_empty());
    wait_until(DEADLINE, "/sleeper removed from Marathon", || {
        app(&marathon, "/sleeper").is_none()
    });

    // Uninstall the framework package: the app goes and the framework is
    // torn down at the master.
    let gone = rt.block_on(svc.uninstall(&uninstall("inner"))).unwrap();
    assert_eq!(gone[0].result.app_id, "/inner");
    let torn: Vec<(&str, &str)> = gone[0]
        .torn_down
        .iter()
        .map(|f| (f.id.as_str(), f.name.as_str()))
        .collect();
    assert_eq!(torn, [(fw_id.as_str(), fw_name.as_str())]);
    wait_until(DEADLINE, "/inner removed from Marathon", || {
        app(&marathon, "/inner").is_none()
    });
    let (active, completed) = frameworks_named(&master, &fw_name);
    assert!(active.is_empty(), "still registered: {active:?}");
    assert_eq!(completed, [fw_id]);

    // No Marathon there: ServiceUnavailable, naming what was tried.
    let dead = format!("127.0.0.1:{}", free_port());
    let nowhere = service(&dead, Some(format!("http://{dead}")), repo.path());
    let e = rt
        .block_on(nowhere.list(&ListRequest::default()))
        .unwrap_err();
    assert_eq!((e.kind.as_str(), e.status), ("ServiceUnavailable", 503));
    assert!(e.message.contains(&dead), "{}", e.message);

    // The master gone at uninstall time: the app is removed, the framework
    // cannot be torn down — IncompleteUninstall.
    let no_master = service(&dead, Some(marathon.clone()), repo.path());
    let options = json!({"inner": {"mesos": "/bin/true", "master": dead, "framework": "orphan"}});
    rt.block_on(no_master.install(&install("inner", options)))
        .unwrap();
    let e = rt
        .block_on(no_master.uninstall(&uninstall("inner")))
        .unwrap_err();
    assert_eq!((e.kind.as_str(), e.status), ("IncompleteUninstall", 503));
    wait_until(DEADLINE, "/inner removed again", || {
        app(&marathon, "/inner").is_none()
    });

    // Deleting an app Marathon does not have: MarathonAppNotFound.
    let e = rt
        .block_on(svc.apps.delete(&PathId::parse("/never-installed")))
        .unwrap_err();
    assert_eq!(e.kind, "MarathonAppNotFound");
    assert!(e.message.contains("/never-installed"), "{}", e.message);

    // Nothing is installed any more.
    let e = rt
        .block_on(svc.uninstall(&uninstall("sleeper")))
        .unwrap_err();
    assert_eq!(e.kind, "PackageNotInstalled");
    let listed = rt.block_on(svc.list(&ListRequest::default())).unwrap();
    assert!(listed.packages.is_empty());
}
