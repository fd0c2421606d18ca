//! A small stand-in for Marathon 1.5's REST API (the paths `mesos app` and
//! `mesos deployment` call), for CLI tests: typed bodies from
//! `mesos::wire::marathon`, status codes as documented (201 on create, 409
//! for an existing id, 422 with `details`, 404 for unknown apps), and
//! deployments that stay in `GET /v2/deployments` for a set number of polls
//! before they finish. It records every request.
//!
//! [`start_marathon`] is the one place that starts "a Marathon" for the
//! tests; tests that only need Marathon's API (not the recording or the
//! knobs) work the same against the real `mesos marathon`.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use mesos::wire::marathon::{
    ActionKind, AppDefinition, AppList, AppOne, AppView, CurrentAction, Deployment,
    DeploymentAction, DeploymentRef, DeploymentResult, DeploymentStep, ErrorBody, ErrorDetail,
    LastTaskFailure, MarathonTask, PathId, TaskList, TaskOne, VersionList,
};

/// What happens when a deployment leaves the list.
#[derive(Clone, Debug)]
enum OnDone {
    Nothing,
    Remove(PathId),
}

struct Running {
    d: Deployment,
    polls_left: u32,
    on_done: OnDone,
}

#[derive(Default)]
struct State {
    apps: BTreeMap<PathId, AppView>,
    versions: BTreeMap<PathId, Vec<String>>,
    deployments: Vec<Running>,
    log: Vec<Logged>,
    clock: i64,
    next_id: u32,
    /// Polls of `/v2/deployments` a new deployment stays listed for.
    polls: u32,
    /// The next deployment is rolled back by "someone else" when it ends.
    cancel_next: bool,
    /// A task failure appears on the app on the first poll of a deployment.
    fail_during_deploy: bool,
    /// What `/v2/leader` names: this server.
    leader: String,
}

/// One request as received.
#[derive(Clone, Debug)]
pub struct Logged {
    pub method: String,
    pub path: String,
    pub query: String,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
    pub body: Vec<u8>,
}

impl Logged {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// The running stand-in; stops when dropped.
pub struct FakeMarathon {
    pub port: u16,
    state: Arc<Mutex<State>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Start "a Marathon" for a test; its base URL is `.url()`.
pub fn start_marathon() -> FakeMarathon {
    FakeMarathon::start()
}

impl FakeMarathon {
    pub fn start() -> FakeMarathon {
        let state = Arc::new(Mutex::new(State {
            polls: 2,
            clock: 1_500_000_000_000,
            ..State::default()
        }));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        state.lock().unwrap().leader = format!("127.0.0.1:{port}");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let st = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let app = axum::Router::new().fallback(move |req: Request<Body>| {
                    let st = st.clone();
                    async move {
                        let (parts, body) = req.into_parts();
                        let bytes = axum::body::to_bytes(body, 16 << 20)
                            .await
                            .map(|b| b.to_vec())
                            .unwrap_or_default();
                        let mut s = st.lock().unwrap();
                        let logged = Logged {
                            method: parts.method.to_string(),
                            path: parts.uri.path().to_string(),
                            query: parts.uri.query().unwrap_or("").to_string(),
                            authorization: parts
                                .headers
                                .get("authorization")
                                .and_then(|v| v.to_str().ok())
                                .map(str::to_string),
                            body: bytes,
                        };
                        s.log.push(logged.clone());
                        s.handle(&logged)
                    }
                });
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await
                    .unwrap();
            });
        });
        FakeMarathon {
            port,
            state,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Deployments stay listed for this many polls.
    pub fn polls(&self, n: u32) -> &Self {
        self.state.lock().unwrap().polls = n;
        self
    }

    /// The next deployment ends rolled back (the app gets another version).
    pub fn cancel_next(&self) -> &Self {
        self.state.lock().unwrap().cancel_next = true;
        self
    }

    /// A task of the app fails while its next deployment runs.
    pub fn fail_during_deploy(&self) -> &Self {
        self.state.lock().unwrap().fail_during_deploy = true;
        self
    }

    /// Put an app in place without a deployment.
    pub fn with_app(&self, json: &str) -> &Self {
        let mut app: AppDefinition = serde_json::from_str(json).expect("app json");
        app.normalize();
        let mut s = self.state.lock().unwrap();
        let v = s.tick();
        app.version = Some(v.clone());
        let id = app.id.clone();
        let n = app.instances;
        s.versions.entry(id.clone()).or_default().push(v);
        s.apps.insert(id, view(app, n));
        self
    }

    /// Requests received so far.
    pub fn requests(&self) -> Vec<Logged> {
        self.state.lock().unwrap().log.clone()
    }

    /// Requests other than reads.
    pub fn changes(&self) -> Vec<Logged> {
        self.requests()
            .into_iter()
            .filter(|r| r.method != "GET")
            .collect()
    }

    /// Polls of `/v2/deployments` so far.
    pub fn deployment_polls(&self) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method == "GET" && r.path == "/v2/deployments")
            .count()
    }

    pub fn app(&self, id: &str) -> Option<AppView> {
        self.state
            .lock()
            .unwrap()
            .apps
            .get(&PathId::parse(id))
            .cloned()
    }

    pub fn running_deployments(&self) -> usize {
        self.state.lock().unwrap().deployments.len()
    }
}

impl Drop for FakeMarathon {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn view(app: AppDefinition, running: u32) -> AppView {
    AppView {
        app,
        tasks_staged: 0,
        tasks_running: running,
        tasks_healthy: 0,
        tasks_unhealthy: 0,
        deployments: Vec::new(),
        tasks: None,
        last_task_failure: None,
        readiness_check_results: None,
        task_stats: None,
    }
}

fn tasks_of(a: &AppView) -> Vec<MarathonTask> {
    (0..a.tasks_running)
        .map(|i| MarathonTask {
            id: format!("{}.task-{i}", a.app.id.safe()),
            app_id: a.app.id.clone(),
            host: "127.0.0.1".into(),
            slave_id: "agent-1".into(),
            state: "TASK_RUNNING".into(),
            ports: vec![31000 + i],
            service_ports: None,
            staged_at: Some("2017-07-14T02:40:00.000Z".into()),
            started_at: Some("2017-07-14T02:40:01.000Z".into()),
            version: a.app.version.clone().unwrap_or_default(),
            ip_addresses: Vec::new(),
            health_check_results: None,
        })
        .collect()
}

fn json<T: serde::Serialize>(status: u16, body: &T) -> Response<Body> {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap())
        .header("content-type", "application/json")
        .body(Body::from(serde_json::to_vec(body).unwrap()))
        .unwrap()
}

fn error(status: u16, message: &str) -> Response<Body> {
    json(status, &ErrorBody::new(message))
}

impl State {
    fn tick(&mut self) -> String {
        self.clock += 1000;
        mesos::datetime::iso_millis(self.clock)
    }

    /// A new deployment of one action on `app`, listed for `polls` polls.
    fn deploy(&mut self, app: &PathId, action: ActionKind, on_done: OnDone) -> DeploymentResult {
        self.next_id += 1;
        let id = format!("deployment-{}", self.next_id);
        let version = self.tick();
        let d = Deployment {
            id: id.clone(),
            version: version.clone(),
            affected_apps: vec![app.clone()],
            affected_pods: Vec::new(),
            steps: vec![DeploymentStep {
                actions: vec![DeploymentAction {
                    action,
                    app: app.clone(),
                }],
            }],
            current_actions: vec![CurrentAction {
                action,
                app: app.clone(),
                readiness_check_results: Vec::new(),
            }],
            current_step: 1,
            total_steps: 1,
        };
        self.deployments.push(Running {
            d,
            polls_left: self.polls,
            on_done,
        });
        if let Some(a) = self.apps.get_mut(app) {
            a.app.version = Some(version.clone());
            a.deployments = vec![DeploymentRef { id: id.clone() }];
            self.versions
                .entry(app.clone())
                .or_default()
                .push(version.clone());
        }
        DeploymentResult {
            version,
            deployment_id: id,
        }
    }

    fn poll(&mut self) -> Vec<Deployment> {
        let fail = std::mem::take(&mut self.fail_during_deploy);
        let mut done = Vec::new();
        for r in &mut self.deployments {
            if r.polls_left == 0 {
                done.push(r.d.id.clone());
            } else {
                r.polls_left -= 1;
            }
        }
        if fail {
            if let Some(r) = self.deployments.first() {
                let app = r.d.affected_apps[0].clone();
                if let Some(a) = self.apps.get_mut(&app) {
                    a.last_task_failure = Some(LastTaskFailure {
                        app_id: app.clone(),
                        host: "127.0.0.1".into(),
                        message: "Command exited with status 1".into(),
                        state: "TASK_FAILED".into(),
                        task_id: format!("{}.failed-1", app.safe()),
                        timestamp: "2017-07-14T02:41:00.000Z".into(),
                        version: a.app.version.clone().unwrap_or_default(),
                        slave_id: "agent-1".into(),
                    });
                }
            }
        }
        for id in done {
            let i = self.deployments.iter().position(|r| r.d.id == id).unwrap();
            let r = self.deployments.remove(i);
            let cancel = std::mem::take(&mut self.cancel_next);
            let app = r.d.affected_apps[0].clone();
            if cancel {
                // Rolled back: the app ends at yet another version.
                let v = self.tick();
                if let Some(a) = self.apps.get_mut(&app) {
                    a.app.version = Some(v);
                    a.deployments.clear();
                }
                continue;
            }
            if let OnDone::Remove(p) = &r.on_done {
                self.apps.remove(p);
            }
            if let Some(a) = self.apps.get_mut(&app) {
                a.deployments.clear();
                a.tasks_running = a.app.instances;
            }
        }
        self.deployments.iter().map(|r| r.d.clone()).collect()
    }

    fn handle(&mut self, r: &Logged) -> Response<Body> {
        let force = r.query.split('&').any(|kv| kv == "force=true");
        let scale = r.query.split('&').any(|kv| kv == "scale=true");
        let segs: Vec<&str> = r.path.split('/').filter(|s| !s.is_empty()).collect();
        match (r.method.as_str(), segs.as_slice()) {
            ("GET", ["ping"]) => Response::new(Body::from("pong")),
            ("GET", ["v2", "leader"]) => json(
                200,
                &mesos::wire::marathon::LeaderInfo {
                    leader: self.leader.clone(),
                },
            ),
            ("GET", ["v2", "deployments"]) => {
                let list = self.poll();
                json(200, &list)
            }
            ("DELETE", ["v2", "deployments", id]) => {
                let Some(i) = self.deployments.iter().position(|d| d.d.id == *id) else {
                    return error(404, &format!("DeploymentPlan {id} does not exist"));
                };
                let old = self.deployments.remove(i);
                if force {
                    return Response::builder().status(202).body(Body::empty()).unwrap();
                }
                let app = old.d.affected_apps[0].clone();
                let res = self.deploy(&app, ActionKind::RestartApplication, OnDone::Nothing);
                json(200, &res)
            }
            ("GET", ["v2", "apps"]) => {
                let apps: Vec<AppView> = self.apps.values().cloned().collect();
                json(200, &AppList { apps })
            }
            ("POST", ["v2", "apps"]) => {
                let mut app: AppDefinition = match serde_json::from_slice(&r.body) {
                    Ok(a) => a,
                    Err(e) => return error(400, &format!("Invalid JSON: {e}")),
                };
                let mut details = Vec::new();
                if let Some(seg) = app.id.invalid_segment() {
                    details.push(ErrorDetail {
                        path: "/id".into(),
                        errors: vec![format!("'{seg}' must fully match the id pattern")],
                    });
                }
                if app.cpus < 0.0 {
                    details.push(ErrorDetail {
                        path: "/cpus".into(),
                        errors: vec!["got -1.0, expected 0.0 or more".into()],
                    });
                }
                if !details.is_empty() {
                    let mut b = ErrorBody::new("Object is not valid");
                    b.details = Some(details);
                    return json(422, &b);
                }
                if self.apps.contains_key(&app.id) {
                    return error(409, &format!("An app with id [{}] already exists.", app.id));
                }
                app.normalize();
                let id = app.id.clone();
                self.apps.insert(id.clone(), view(app, 0));
                let res = self.deploy(&id, ActionKind::ScaleApplication, OnDone::Nothing);
                let mut created = self.apps[&id].clone();
                created.deployments = vec![DeploymentRef {
                    id: res.deployment_id.clone(),
                }];
                created.tasks = Some(Vec::new());
                let mut resp = json(201, &created);
                resp.headers_mut()
                    .insert("Marathon-Deployment-Id", res.deployment_id.parse().unwrap());
                resp
            }
            (method, ["v2", "apps", rest @ ..]) => self.app_route(method, rest, r, force, scale),
            _ => error(404, &format!("URI not found: {}", r.path)),
        }
    }

    fn app_route(
        &mut self,
        method: &str,
        rest: &[&str],
        r: &Logged,
        force: bool,
        scale: bool,
    ) -> Response<Body> {
        // Split `/a/b/tasks/x`, `/a/versions/v`, `/a/restart` from the id.
        let (id_segs, tail): (&[&str], &[&str]) = match rest
            .iter()
            .position(|s| ["tasks", "versions", "restart"].contains(s))
        {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, &[]),
        };
        let id = PathId::parse(&id_segs.join("/"));
        let Some(app) = self.apps.get(&id).cloned() else {
            return error(404, &format!("App '{id}' does not exist"));
        };
        let locked = !app.deployments.is_empty() && !force;
        let lock = || {
            let mut b = ErrorBody::new(
                "App is locked by one or more deployments. Override with the option '?force=true'.",
            );
            b.deployments = Some(app.deployments.clone());
            json(409, &b)
        };
        match (method, tail) {
            ("GET", []) => {
                let mut a = app.clone();
                a.tasks = Some(tasks_of(&app));
                json(200, &AppOne { app: a })
            }
            ("PUT", []) => {
                if locked {
                    return lock();
                }
                let patch: serde_json::Map<String, serde_json::Value> =
                    match serde_json::from_slice(&r.body) {
                        Ok(p) => p,
                        Err(e) => return error(400, &format!("Invalid JSON: {e}")),
                    };
                let updated = match app.app.updated(&patch) {
                    Ok(u) => u,
                    Err(e) => return error(400, &format!("Invalid JSON: {e}")),
                };
                let kind = if app.app.needs_restart(&updated) {
                    ActionKind::RestartApplication
                } else {
                    ActionKind::ScaleApplication
                };
                self.apps.get_mut(&id).unwrap().app = updated;
                json(200, &self.deploy(&id, kind, OnDone::Nothing))
            }
            ("DELETE", []) => {
                let res = self.deploy(&id, ActionKind::StopApplication, OnDone::Remove(id.clone()));
                json(200, &res)
            }
            ("POST", ["restart"]) => {
                if locked {
                    return lock();
                }
                json(
                    200,
                    &self.deploy(&id, ActionKind::RestartApplication, OnDone::Nothing),
                )
            }
            ("GET", ["tasks"]) => json(
                200,
                &TaskList {
                    tasks: tasks_of(&app),
                },
            ),
            ("DELETE", ["tasks"]) => {
                if scale {
                    self.apps.get_mut(&id).unwrap().app.instances = 0;
                    return json(
                        200,
                        &self.deploy(&id, ActionKind::ScaleApplication, OnDone::Nothing),
                    );
                }
                json(
                    200,
                    &TaskList {
                        tasks: tasks_of(&app),
                    },
                )
            }
            ("DELETE", ["tasks", task]) => {
                let Some(t) = tasks_of(&app).into_iter().find(|t| t.id == *task) else {
                    return error(404, &format!("Task '{task}' does not exist"));
                };
                if scale {
                    let a = self.apps.get_mut(&id).unwrap();
                    a.app.instances = a.app.instances.saturating_sub(1);
                    return json(
                        200,
                        &self.deploy(&id, ActionKind::ScaleApplication, OnDone::Nothing),
                    );
                }
                json(200, &TaskOne { task: t })
            }
            ("GET", ["versions"]) => json(
                200,
                &VersionList {
                    versions: self.versions.get(&id).cloned().unwrap_or_default(),
                },
            ),
            ("GET", ["versions", v]) => {
                if self
                    .versions
                    .get(&id)
                    .is_some_and(|vs| vs.iter().any(|x| x == v))
                {
                    json(200, &app.app)
                } else {
                    error(404, &format!("App '{id}' does not exist in version {v}"))
                }
            }
            _ => error(404, &format!("URI not found: {}", r.path)),
        }
    }
}
