use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use super::*;
use crate::packages::cosmos::PackageRepository;
use crate::packages::model::{MarathonTemplate, Repository};
use crate::packages::service::{Created, LABEL_FRAMEWORK_NAME};
use crate::wire::marathon::AppDefinition;

// ------------------------------------------------------- in-memory backends

struct MemRepos {
    repos: Vec<LoadedRepo>,
    broken: bool,
}

impl Repos for MemRepos {
    async fn list(&self) -> Result<Vec<PackageRepository>, CosmosError> {
        Ok(self.repos.iter().map(|r| r.spec.clone()).collect())
    }
    async fn add(
        &self,
        _: PackageRepository,
        _: Option<u32>,
    ) -> Result<Vec<PackageRepository>, CosmosError> {
        Err(CosmosError::unhandled("not used here"))
    }
    async fn delete(
        &self,
        _: Option<&str>,
        _: Option<&str>,
    ) -> Result<Vec<PackageRepository>, CosmosError> {
        Err(CosmosError::unhandled("not used here"))
    }
    async fn load(&self) -> Result<Vec<LoadedRepo>, CosmosError> {
        if self.broken {
            return Err(CosmosError::new(
                "RepositoryUriConnection",
                400,
                "Could not access data at URI [http://down/repo]",
            ));
        }
        Ok(self.repos.clone())
    }
}

#[derive(Default)]
struct MemApps {
    apps: Mutex<Vec<AppView>>,
    deleted: Mutex<Vec<String>>,
}

impl MemApps {
    fn with(apps: Vec<AppView>) -> MemApps {
        MemApps {
            apps: Mutex::new(apps),
            ..MemApps::default()
        }
    }
    fn ids(&self) -> Vec<String> {
        self.apps
            .lock()
            .unwrap()
            .iter()
            .map(|a| a.app.id.to_string())
            .collect()
    }
}

fn view(app: &AppDefinition) -> AppView {
    serde_json::from_value(serde_json::to_value(app).unwrap()).unwrap()
}

impl Apps for MemApps {
    async fn apps(&self) -> Result<Vec<AppView>, CosmosError> {
        Ok(self.apps.lock().unwrap().clone())
    }
    async fn create(&self, app: &AppDefinition) -> Result<Created, CosmosError> {
        let mut apps = self.apps.lock().unwrap();
        if apps.iter().any(|a| a.app.id == app.id) {
            return Err(CosmosError::package_already_installed());
        }
        apps.push(view(app));
        Ok(Created {
            app_id: app.id.clone(),
            deployment_id: format!("dep-{}", apps.len()),
            version: "2026-01-01T00:00:00.000Z".into(),
        })
    }
    async fn delete(&self, id: &PathId) -> Result<String, CosmosError> {
        let mut apps = self.apps.lock().unwrap();
        let before = apps.len();
        apps.retain(|a| &a.app.id != id);
        if apps.len() == before {
            return Err(CosmosError::marathon_app_not_found(&id.to_string()));
        }
        self.deleted.lock().unwrap().push(id.to_string());
        Ok(format!("del-{id}"))
    }
}

#[derive(Default)]
struct MemFrameworks {
    active: Vec<FrameworkRef>,
    down: bool,
    torn_down: Mutex<Vec<String>>,
    /// Each active agent's verdict on running a Docker image.
    agents: Vec<Option<Result<(), String>>>,
    /// Download URLs that do not answer.
    unreachable: Vec<String>,
    /// Every containerizer asked about and every URL checked.
    asked: Mutex<Vec<String>>,
}

impl Frameworks for MemFrameworks {
    async fn named(&self, name: &str) -> Result<Vec<FrameworkRef>, CosmosError> {
        if self.down {
            return Err(CosmosError::service_unavailable(
                "the master at 127.0.0.1:1 cannot be reached",
            ));
        }
        Ok(self
            .active
            .iter()
            .filter(|f| f.name == name)
            .cloned()
            .collect())
    }
    async fn teardown(&self, id: &str) -> Result<(), CosmosError> {
        self.torn_down.lock().unwrap().push(id.to_string());
        Ok(())
    }
    async fn leftovers(&self, f: &FrameworkRef) -> Result<Vec<String>, CosmosError> {
        Ok(f.roles
            .iter()
            .map(|r| format!("agent a1 (h): cpus:1 reserved for role '{r}'"))
            .collect())
    }
    async fn agents_for(
        &self,
        kind: crate::execute::spec::Containerizer,
    ) -> Result<super::super::requirements::AgentSupport, CosmosError> {
        self.asked.lock().unwrap().push(format!("{kind:?}"));
        if self.down {
            return Err(CosmosError::service_unavailable("no master"));
        }
        Ok(super::super::requirements::AgentSupport::from_verdicts(
            self.agents.clone(),
        ))
    }
    async fn reachable(&self, url: &str) -> Result<(), String> {
        self.asked.lock().unwrap().push(url.to_string());
        if self.unreachable.iter().any(|u| u == url) {
            Err("HTTP 404 Not Found".into())
        } else {
            Ok(())
        }
    }
}

// ---------------------------------------------------------------- packages

const TEMPLATE: &str = r#"{
  "id": "{{app.name}}",
  "cmd": "sleep {{app.seconds}}",
  "cpus": {{app.cpus}},
  "mem": 32,
  "labels": {"OWN": "kept", "DCOS_PACKAGE_NAME": "overridden"}
}"#;

fn package(name: &str, version: &str, release: u64, template: Option<&str>) -> Package {
    let mut p: Package = serde_json::from_value(json!({
        "packagingVersion": "3.0", "name": name, "version": version,
        "releaseVersion": release, "maintainer": "m@example.com",
        "description": format!("the {name} package"), "tags": ["t"],
        "postInstallNotes": format!("{name} {version} is running"),
        "postUninstallNotes": format!("{name} {version} is gone"),
        "config": {"type": "object", "properties": {"app": {"type": "object",
            "properties": {
                "name": {"type": "string", "default": name},
                "seconds": {"type": "integer", "default": 600, "minimum": 1},
                "cpus": {"type": "number", "default": 0.1}
            }}}},
        "resource": {"cli": {"binaries": {"linux": {"x86-64": {
            "kind": "executable", "url": "http://example.com/cli",
            "contentHash": [{"algo": "sha256", "value": "00"}]}}}}}
    }))
    .unwrap();
    p.marathon = template.map(MarathonTemplate::from_template);
    p
}

fn repo(name: &str, packages: Vec<Package>) -> LoadedRepo {
    LoadedRepo {
        spec: PackageRepository {
            name: name.into(),
            uri: format!("http://{name}.example/repo"),
        },
        repo: Arc::new(Repository { packages }),
    }
}

fn repos() -> Vec<LoadedRepo> {
    let mut manager = package("managed", "1", 0, Some(TEMPLATE));
    manager.packaging_version = "5.0".into();
    manager.manager = Some(crate::packages::model::Manager {
        package_name: "cassandra-manager".into(),
        min_package_version: None,
    });
    let mut bare = package("bare", "1", 0, Some(r#"{"id": "/bare", "cmd": "sleep 1"}"#));
    bare.config = None;
    vec![
        repo(
            "first",
            vec![
                package("web", "1.0", 0, Some(TEMPLATE)),
                package("web", "1.1", 1, Some(TEMPLATE)),
                package("cli-only", "2", 0, None),
                package(
                    "broken",
                    "1",
                    0,
                    Some("{\n  \"id\": \"/b\",\n  \"cmd\": oops\n}"),
                ),
                package("scalar", "1", 0, Some("[1, 2]")),
                manager,
                bare,
            ],
        ),
        repo("second", vec![package("web", "0.9", 0, Some(TEMPLATE))]),
    ]
}

type Svc = PackageService<MemRepos, MemApps, MemFrameworks>;

fn service(apps: Vec<AppView>, frameworks: MemFrameworks) -> Svc {
    PackageService::new(
        MemRepos {
            repos: repos(),
            broken: false,
        },
        MemApps::with(apps),
        frameworks,
    )
}

fn install_req(name: &str, options: Option<Value>) -> InstallRequest {
    InstallRequest {
        package_name: name.into(),
        options: options.map(|o| o.as_object().unwrap().clone()),
        ..InstallRequest::default()
    }
}

fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

/// An app as Cosmos installs it: rendered from `pkg` (labels included).
fn installed_app(pkg: &Package, id: &str, framework: Option<&str>) -> AppView {
    let r = render::render(render::RenderRequest {
        package: pkg,
        source: "http://first.example/repo",
        options: &json!({}),
        app_id: Some(id),
    })
    .unwrap();
    let mut app = r.app;
    if let Some(f) = framework {
        app.labels.insert(LABEL_FRAMEWORK_NAME.into(), f.into());
    }
    view(&app)
}

fn fw(id: &str, name: &str) -> FrameworkRef {
    FrameworkRef {
        id: id.into(),
        name: name.into(),
        roles: vec!["web-role".into()],
    }
}

// ------------------------------------------------------------------ install

#[test]
fn install_renders_the_latest_version_creates_the_app_and_answers_v2() {
    let svc = service(vec![], MemFrameworks::default());
    let req = install_req("web", Some(json!({"app": {"seconds": 30}})));
    let done = block(svc.install(&req)).unwrap();
    assert_eq!(done.response.package_name, "web");
    assert_eq!(done.response.package_version, "1.1");
    assert_eq!(done.response.app_id.as_deref(), Some("/web"));
    assert_eq!(
        done.response.post_install_notes.as_deref(),
        Some("web 1.1 is running")
    );
    assert!(done.response.cli.unwrap().binaries.contains_key("linux"));
    assert_eq!(done.created.unwrap().deployment_id, "dep-1");

    let apps = svc.apps.apps.lock().unwrap().clone();
    let app = &apps[0].app;
    assert_eq!(app.cmd.as_deref(), Some("sleep 30"));
    assert_eq!(app.labels["DCOS_PACKAGE_NAME"], "web");
    assert_eq!(app.labels["DCOS_PACKAGE_VERSION"], "1.1");
    assert_eq!(
        app.labels["DCOS_PACKAGE_SOURCE"],
        "http://first.example/repo"
    );
    assert_eq!(app.labels["OWN"], "kept");

    // The same id again: Marathon's 409, as Cosmos names it.
    let again = block(svc.install(&req)).unwrap_err();
    assert_eq!(
        (again.kind.as_str(), again.status),
        ("PackageAlreadyInstalled", 409)
    );
    // Another appId is another installation; a version only the second
    // repository has comes from there.
    let req = InstallRequest {
        package_version: Some("0.9".into()),
        app_id: Some("/team/web".into()),
        ..install_req("web", None)
    };
    let done = block(svc.install(&req)).unwrap();
    assert_eq!(done.response.app_id.as_deref(), Some("/team/web"));
    let apps = svc.apps.apps.lock().unwrap().clone();
    assert_eq!(
        apps[1].app.labels["DCOS_PACKAGE_SOURCE"],
        "http://second.example/repo"
    );
}

#[test]
fn install_errors_carry_cosmos_types() {
    let svc = service(vec![], MemFrameworks::default());
    let err = |req: InstallRequest| block(svc.install(&req)).unwrap_err();

    let e = err(install_req("nope", None));
    assert_eq!((e.kind.as_str(), e.status), ("PackageNotFound", 400));
    assert_eq!(e.message, "Package [nope] not found");
    let e = err(InstallRequest {
        package_version: Some("7".into()),
        ..install_req("web", None)
    });
    assert_eq!(e.kind, "VersionNotFound");
    assert_eq!(e.message, "Version [7] of package [web] not found");

    let e = err(install_req("bare", Some(json!({"x": 1}))));
    assert_eq!(e.kind, "OptionsNotAllowed");

    let e = err(install_req(
        "web",
        Some(json!({"app": {"seconds": 0, "name": 5}})),
    ));
    assert_eq!((e.kind.as_str(), e.status), ("JsonSchemaMismatch", 400));
    let errors = e.data.as_ref().unwrap()["errors"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(errors.len(), 2, "{errors:?}");
    let pointers: Vec<&str> = errors
        .iter()
        .map(|e| e["instance"]["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/app/name", "/app/seconds"]);
    assert_eq!(errors[1]["keyword"], "minimum");
    assert!(errors[1]["message"].as_str().unwrap().contains("minimum 1"));

    let e = err(install_req("broken", None));
    assert_eq!(e.kind, "MarathonTemplateMustBeJsonObject");
    assert!(e.message.contains("line 3"), "{}", e.message);
    assert!(e.message.contains("\"cmd\": oops"), "{}", e.message);
    assert_eq!(e.data.as_ref().unwrap()["line"], 3);
    let e = err(install_req("scalar", None));
    assert_eq!(e.kind, "MarathonTemplateMustBeJsonObject");

    let e = err(install_req("managed", None));
    assert_eq!(e.kind, "NotImplemented");
    assert!(e.message.contains("cassandra-manager"), "{}", e.message);

    // Nothing reached Marathon.
    assert!(svc.apps.ids().is_empty());

    // A repository that cannot be read fails the install with its error.
    let down = PackageService::new(
        MemRepos {
            repos: vec![],
            broken: true,
        },
        MemApps::default(),
        MemFrameworks::default(),
    );
    let e = block(down.install(&install_req("web", None))).unwrap_err();
    assert_eq!(e.kind, "RepositoryUriConnection");
}

#[test]
fn a_package_without_a_template_is_installed_with_no_app() {
    let svc = service(vec![], MemFrameworks::default());
    let done = block(svc.install(&install_req("cli-only", None))).unwrap();
    assert_eq!(done.response.app_id, None);
    assert_eq!(done.created, None);
    assert!(done.response.cli.is_some());
    assert!(svc.apps.ids().is_empty());
    // Its options are still checked.
    let e = block(svc.install(&install_req(
        "cli-only",
        Some(json!({"app": {"seconds": "x"}})),
    )))
    .unwrap_err();
    assert_eq!(e.kind, "JsonSchemaMismatch");
}

// --------------------------------------------------------------------- list

/// An app installed by DC/OS ≤1.9: only the ≤0.3 labels (no definition).
fn metadata_only_app() -> AppView {
    let meta = json!({"packagingVersion": "2.0", "name": "old", "version": "0.2",
        "maintainer": "m", "description": "from DC/OS 1.9", "tags": ["legacy"],
        "selected": false, "framework": true,
        "images": {"icon-small": "http://example.com/s.png"}});
    let b64 = |v: &Value| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(v).unwrap())
    };
    view(
        &serde_json::from_value(json!({"id": "/old", "cmd": "sleep 1", "labels": {
            "DCOS_PACKAGE_NAME": "old", "DCOS_PACKAGE_VERSION": "0.2",
            "DCOS_PACKAGE_METADATA": b64(&meta),
            "DCOS_PACKAGE_REGISTRY_VERSION": "2.0", "DCOS_PACKAGE_IS_FRAMEWORK": "true"}}))
        .unwrap(),
    )
}

fn plain_app(id: &str, labels: Value) -> AppView {
    view(&serde_json::from_value(json!({"id": id, "cmd": "sleep 1", "labels": labels})).unwrap())
}

#[test]
fn list_decodes_definition_and_metadata_labels_and_skips_the_rest() {
    let web = package("web", "1.1", 1, Some(TEMPLATE));
    let apps = vec![
        installed_app(&web, "/z-web", None),
        plain_app("/not-a-package", json!({"OWN": "x"})),
        metadata_only_app(),
        installed_app(&web, "/a-web", None),
        plain_app(
            "/garbled",
            json!({"DCOS_PACKAGE_NAME": "web", "DCOS_PACKAGE_DEFINITION": "!!!"}),
        ),
    ];
    let svc = service(apps, MemFrameworks::default());
    let all = block(svc.list(&ListRequest::default())).unwrap();
    let rows: Vec<(String, String)> = all
        .packages
        .iter()
        .map(|i| {
            (
                i.package_information.package_definition.name.clone(),
                i.app_id.clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("old".to_string(), "/old".to_string()),
            ("web".into(), "/a-web".into()),
            ("web".into(), "/z-web".into()),
        ]
    );
    let old = &all.packages[0].package_information;
    assert_eq!(old.package_definition.version, "0.2");
    assert_eq!(old.package_definition.description, "from DC/OS 1.9");
    assert_eq!(old.package_definition.framework, Some(true));
    assert_eq!(
        old.resource_definition
            .as_ref()
            .unwrap()
            .images
            .as_ref()
            .unwrap()
            .icon_small
            .as_deref(),
        Some("http://example.com/s.png")
    );
    let w = &all.packages[1].package_information;
    assert_eq!(w.package_definition.version, "1.1");
    assert_eq!(
        w.package_definition.post_uninstall_notes.as_deref(),
        Some("web 1.1 is gone")
    );
    assert!(w.resource_definition.as_ref().unwrap().cli.is_some());

    let by_name = block(svc.list(&ListRequest {
        package_name: Some("old".into()),
        app_id: None,
    }))
    .unwrap();
    assert_eq!(by_name.packages.len(), 1);
    let by_id = block(svc.list(&ListRequest {
        package_name: None,
        app_id: Some("z-web".into()),
    }))
    .unwrap();
    assert_eq!(by_id.packages.len(), 1);
    assert_eq!(by_id.packages[0].app_id, "/z-web");
    let none = block(svc.list(&ListRequest {
        package_name: Some("nope".into()),
        app_id: None,
    }))
    .unwrap();
    assert!(none.packages.is_empty());
}

// ---------------------------------------------------------------- uninstall

fn uninstall_req(name: &str, app_id: Option<&str>, all: bool) -> UninstallRequest {
    UninstallRequest {
        package_name: name.into(),
        app_id: app_id.map(str::to_string),
        all: all.then_some(true),
    }
}

#[test]
fn uninstall_picks_apps_as_cosmos_does() {
    let web = package("web", "1.1", 1, Some(TEMPLATE));
    let apps = || {
        vec![
            installed_app(&web, "/web-b", None),
            installed_app(&web, "/web-a", None),
            metadata_only_app(),
            plain_app("/other", json!({})),
        ]
    };
    let svc = service(apps(), MemFrameworks::default());
    let err = |req: UninstallRequest| block(svc.uninstall(&req)).unwrap_err();

    let e = err(uninstall_req("nope", None, false));
    assert_eq!(
        (e.kind.as_str(), e.message.as_str()),
        ("PackageNotInstalled", "Package [nope] is not installed")
    );
    let e = err(uninstall_req("web", None, false));
    assert_eq!(e.kind, "AmbiguousAppId");
    assert_eq!(
        e.data.as_ref().unwrap()["appIds"],
        json!(["/web-a", "/web-b"])
    );
    for id in ["/missing", "/other", "/old"] {
        let e = err(uninstall_req("web", Some(id), false));
        assert_eq!(e.kind, "UninstallNonExistentAppForPackage", "{id}");
        assert_eq!(
            e.message,
            format!("Package [web] with id [{id}] is not installed")
        );
    }
    assert!(svc.apps.deleted.lock().unwrap().is_empty());

    // One by id (ids are normalised).
    let done = block(svc.uninstall(&uninstall_req("web", Some("web-b"), false))).unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].result.app_id, "/web-b");
    assert_eq!(done[0].result.package_version.as_deref(), Some("1.1"));
    assert_eq!(
        done[0].result.post_uninstall_notes.as_deref(),
        Some("web 1.1 is gone")
    );
    assert_eq!(done[0].deployment_id.as_deref(), Some("del-/web-b"));
    assert!(done[0].torn_down.is_empty());

    // All of them.
    let svc = service(apps(), MemFrameworks::default());
    let done = block(svc.uninstall(&uninstall_req("web", None, true))).unwrap();
    let ids: Vec<&str> = done.iter().map(|u| u.result.app_id.as_str()).collect();
    assert_eq!(ids, ["/web-a", "/web-b"]);
    assert_eq!(svc.apps.ids(), ["/old", "/other"]);

    // The only one, even installed by an old DC/OS.
    let done = block(svc.uninstall(&uninstall_req("old", None, false))).unwrap();
    assert_eq!(done[0].result.app_id, "/old");
    assert_eq!(done[0].result.post_uninstall_notes, None);
}

#[test]
fn uninstall_tears_down_the_framework_the_app_names_and_only_then() {
    let web = package("web", "1.1", 1, Some(TEMPLATE));
    let frameworks = || MemFrameworks {
        active: vec![fw("f-1", "inner"), fw("f-2", "twin"), fw("f-3", "twin")],
        ..MemFrameworks::default()
    };
    let svc = service(
        vec![
            installed_app(&web, "/plain", None),
            installed_app(&web, "/fw", Some("inner")),
            installed_app(&web, "/gone-fw", Some("not-running")),
        ],
        frameworks(),
    );
    let done = block(svc.uninstall(&uninstall_req("web", None, true))).unwrap();
    let by_id = |id: &str| done.iter().find(|u| u.result.app_id == id).unwrap();
    assert_eq!(by_id("/fw").torn_down, [fw("f-1", "inner")]);
    assert_eq!(
        by_id("/fw").leftovers,
        ["agent a1 (h): cpus:1 reserved for role 'web-role'"]
    );
    assert!(by_id("/plain").torn_down.is_empty());
    assert!(by_id("/gone-fw").torn_down.is_empty());
    assert_eq!(*svc.frameworks.torn_down.lock().unwrap(), ["f-1"]);
    assert!(svc.apps.ids().is_empty());

    // Two active frameworks with the name: the app is deleted, then the
    // ambiguity is reported and nothing is torn down.
    let svc = service(
        vec![installed_app(&web, "/twin", Some("twin"))],
        frameworks(),
    );
    let e = block(svc.uninstall(&uninstall_req("web", None, false))).unwrap_err();
    assert_eq!(e.kind, "MultipleFrameworkIds");
    assert_eq!(
        e.data.as_ref().unwrap()["frameworkIds"],
        json!(["f-2", "f-3"])
    );
    assert!(svc.frameworks.torn_down.lock().unwrap().is_empty());
    assert_eq!(*svc.apps.deleted.lock().unwrap(), ["/twin"]);

    // The master cannot be reached: IncompleteUninstall (503).
    let svc = service(
        vec![installed_app(&web, "/fw", Some("inner"))],
        MemFrameworks {
            down: true,
            ..frameworks()
        },
    );
    let e = block(svc.uninstall(&uninstall_req("web", None, false))).unwrap_err();
    assert_eq!((e.kind.as_str(), e.status), ("IncompleteUninstall", 503));
    assert!(e.message.contains("cannot be reached"), "{}", e.message);
}

#[test]
fn uninstall_works_when_the_repositories_cannot_be_read() {
    let web = package("web", "1.1", 1, Some(TEMPLATE));
    let svc = PackageService::new(
        MemRepos {
            repos: vec![],
            broken: true,
        },
        MemApps::with(vec![installed_app(&web, "/web", None)]),
        MemFrameworks::default(),
    );
    let done = block(svc.uninstall(&uninstall_req("web", None, false))).unwrap();
    assert_eq!(done[0].result.app_id, "/web");
    // The notes the app's own labels recorded.
    assert_eq!(
        done[0].result.post_uninstall_notes.as_deref(),
        Some("web 1.1 is gone")
    );
}

// ------------------------------------------------------------ requirements

const DOCKER_TEMPLATE: &str = r#"{"id": "/lb", "cpus": 0.1, "mem": 32,
  "container": {"type": "DOCKER", "docker": {"image": "mesosphere/marathon-lb:v1.15.0"}},
  "fetch": [{"uri": "file:///etc/hosts"}]}"#;
const FETCH_TEMPLATE: &str = r#"{"id": "/dl", "cmd": "ls", "cpus": 0.1, "mem": 32,
  "fetch": [{"uri": "https://downloads.example/a.tgz"}, {"uri": "/local/file"}]}"#;

fn requirement_service(frameworks: MemFrameworks) -> Svc {
    PackageService::new(
        MemRepos {
            repos: vec![repo(
                "reqs",
                vec![
                    package("lb", "1.15.0", 0, Some(DOCKER_TEMPLATE)),
                    package("dl", "1", 0, Some(FETCH_TEMPLATE)),
                ],
            )],
            broken: false,
        },
        MemApps::default(),
        frameworks,
    )
}

#[test]
fn a_docker_package_is_refused_when_no_agent_runs_docker_and_nothing_is_created() {
    let no_docker = || Some(Err("--containerizers=mesos, no docker".to_string()));
    let svc = requirement_service(MemFrameworks {
        agents: vec![no_docker(), no_docker()],
        ..MemFrameworks::default()
    });
    let e = block(svc.install(&install_req("lb", None))).unwrap_err();
    assert_eq!(
        (e.kind.as_str(), e.status),
        ("PackageRequirementsNotMet", 400)
    );
    assert_eq!(
        e.message,
        "package [lb] version [1.15.0] cannot run on this cluster: it needs the Docker image \
         mesosphere/marathon-lb:v1.15.0, but none of the 2 agents runs the docker containerizer \
         (--containerizers): --containerizers=mesos, no docker"
    );
    assert_eq!(e.data.unwrap()["packageName"], "lb");
    assert!(svc.apps.ids().is_empty());
    assert_eq!(*svc.frameworks.asked.lock().unwrap(), ["Docker"]);

    // No agent at all: said so.
    let svc = requirement_service(MemFrameworks::default());
    let e = block(svc.install(&install_req("lb", None))).unwrap_err();
    assert!(
        e.message.ends_with("but the cluster has no active agent"),
        "{}",
        e.message
    );
    assert!(svc.apps.ids().is_empty());
}

#[test]
fn a_docker_package_is_created_when_an_agent_can_run_it_or_cannot_be_asked() {
    for agents in [
        vec![
            Some(Err("--containerizers=mesos, no docker".into())),
            Some(Ok(())),
        ],
        vec![None],
    ] {
        let svc = requirement_service(MemFrameworks {
            agents,
            ..MemFrameworks::default()
        });
        let done = block(svc.install(&install_req("lb", None))).unwrap();
        assert_eq!(done.response.app_id.as_deref(), Some("/lb"));
        assert_eq!(svc.apps.ids(), ["/lb"]);
        // file:// URIs are the agent's business, not checked here.
        assert_eq!(*svc.frameworks.asked.lock().unwrap(), ["Docker"]);
    }
}

#[test]
fn a_docker_package_is_created_when_the_master_cannot_be_asked() {
    let svc = requirement_service(MemFrameworks {
        down: true,
        ..MemFrameworks::default()
    });
    block(svc.install(&install_req("lb", None))).unwrap();
    assert_eq!(svc.apps.ids(), ["/lb"]);
}

#[test]
fn a_package_whose_download_does_not_answer_is_refused_naming_the_url() {
    let svc = requirement_service(MemFrameworks {
        unreachable: vec!["https://downloads.example/a.tgz".into()],
        ..MemFrameworks::default()
    });
    let e = block(svc.install(&install_req("dl", None))).unwrap_err();
    assert_eq!(
        (e.kind.as_str(), e.status),
        ("PackageRequirementsNotMet", 400)
    );
    assert_eq!(
        e.message,
        "package [dl] version [1] cannot run on this cluster: it needs the download \
         https://downloads.example/a.tgz, but it cannot be fetched from where the package \
         manager runs (HTTP 404 Not Found)"
    );
    assert!(svc.apps.ids().is_empty());

    let svc = requirement_service(MemFrameworks::default());
    block(svc.install(&install_req("dl", None))).unwrap();
    assert_eq!(svc.apps.ids(), ["/dl"]);
    assert_eq!(
        *svc.frameworks.asked.lock().unwrap(),
        ["https://downloads.example/a.tgz"]
    );
}
