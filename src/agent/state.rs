//! The agent's model (frameworks -> executors -> tasks) and its renderings:
//! v0 `/slave(1)/state` JSON (docs/wire-notes.md#agent-state) and the v1
//! shapes of the agent operator API
//! (docs/wire-notes.md#agent-operator-calls).

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value as Json};
use tokio::sync::{mpsc, watch};

use super::{Config, MESOS_VERSION};
use crate::daemon::files::FileServer;
use crate::http::{HttpClient, HttpOptions};
use crate::resources::{attributes_v0, attributes_v1, Resource, Resources, Value};

/// Completed executors kept per framework (Mesos' default).
pub const MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK: usize = 150;
/// Completed frameworks kept (Mesos' default).
pub const MAX_COMPLETED_FRAMEWORKS: usize = 50;

pub use crate::daemon::{is_terminal, now_secs};

/// `{"value": s}`
pub fn id_obj(s: &str) -> Json {
    json!({ "value": s })
}

/// The `value` of an id object (or a plain string).
pub fn id_of(v: Option<&Json>) -> Option<String> {
    match v? {
        Json::String(s) => Some(s.clone()),
        o => o.get("value").and_then(Json::as_str).map(str::to_string),
    }
}

/// Where the agent is registered.
#[derive(Clone, Debug, PartialEq)]
pub struct Registration {
    pub agent_id: String,
    /// `host:port` of the master that accepted us.
    pub master: String,
    /// Secret of this registration: carried on our calls to the master, and
    /// required on the master's calls to us (docs/internal-protocol.md).
    pub token: crate::daemon::proto::session::Token,
}

/// Lifecycle of an executor container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Launching,
    Running,
    Terminated,
}

/// A kill request for a running executor.
#[derive(Clone, Debug)]
pub struct Kill {
    /// Grace period before SIGKILL.
    pub grace: Duration,
}

/// A task as the agent knows it.
#[derive(Clone, Debug)]
pub struct Task {
    pub id: String,
    pub name: String,
    /// v1 TaskInfo.
    pub info: Json,
    pub state: String,
    /// Full v1 TaskStatus objects, oldest first.
    pub statuses: Vec<Json>,
    pub resources: Resources,
    pub role: String,
    /// Agent the task runs on (as given at launch).
    pub agent_id: String,
    /// The terminal update was acknowledged (or will never be).
    pub terminal_acked: bool,
}

/// A (command) executor and its single task.
#[derive(Clone, Debug)]
pub struct Executor {
    pub id: String,
    pub framework_id: String,
    pub name: String,
    pub source: String,
    pub container_id: String,
    /// Sandbox (host path).
    pub directory: PathBuf,
    /// Checkpoint directory of this run.
    pub meta_dir: PathBuf,
    /// v1 ExecutorInfo.
    pub info: Json,
    /// Executor overhead (0.1 cpus, 32 MB).
    pub overhead: Resources,
    pub task: Task,
    pub phase: Phase,
    /// Pid of the command (its session / process group id).
    pub pid: Option<u32>,
    /// Pid of our executor wrapper process.
    pub executor_pid: Option<u32>,
    /// Raw wait status of the command, once it exited.
    pub exit_status: Option<i32>,
    pub kill_tx: Option<mpsc::UnboundedSender<Kill>>,
    pub killed: bool,
    pub launched_at: f64,
    /// Notified when the container terminates (WAIT_CONTAINER).
    pub done_tx: watch::Sender<bool>,
}

impl Executor {
    /// Executor + task resources (the task's only while it is not terminal).
    pub fn allocated(&self) -> Resources {
        let mut r = self.overhead.clone();
        if !is_terminal(&self.task.state) {
            r.add(&self.task.resources);
        }
        r
    }
    /// Executor + task resources regardless of task state (limits).
    pub fn limits(&self) -> Resources {
        let mut r = self.overhead.clone();
        r.add(&self.task.resources);
        r
    }
    pub fn is_live(&self) -> bool {
        self.phase != Phase::Terminated
    }
}

/// A framework with executors on this agent.
#[derive(Clone, Debug)]
pub struct Framework {
    pub id: String,
    /// v1 FrameworkInfo.
    pub info: Json,
    pub executors: BTreeMap<String, Executor>,
    pub completed_executors: VecDeque<Executor>,
    /// ShutdownFramework received: nothing more is sent for it.
    pub shutting_down: bool,
}

/// Whether a FrameworkInfo asks for checkpointing (`checkpoint: true`): only
/// such frameworks' executors are recovered by a restarted agent.
pub fn framework_checkpoints(info: &Json) -> bool {
    info.get("checkpoint").and_then(Json::as_bool) == Some(true)
}

impl Framework {
    pub fn has_capability(&self, cap: &str) -> bool {
        self.info
            .get("capabilities")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .any(|c| c.get("type").and_then(Json::as_str) == Some(cap) || c.as_str() == Some(cap))
    }
}

/// Counters behind `/metrics/snapshot`.
#[derive(Clone, Debug, Default)]
pub struct Counters {
    pub tasks_finished: u64,
    pub tasks_failed: u64,
    pub tasks_killed: u64,
    pub tasks_lost: u64,
    pub tasks_error: u64,
    pub tasks_dropped: u64,
    pub tasks_gone: u64,
    pub executors_terminated: u64,
    pub valid_status_updates: u64,
    pub invalid_status_updates: u64,
    pub container_launch_errors: u64,
    pub valid_framework_messages: u64,
    /// Unreadable checkpoints skipped during recovery (`--strict=false`).
    pub recovery_errors: u64,
}

/// Mutable agent state (behind one mutex; never held across `.await`).
#[derive(Debug, Default)]
pub struct State {
    pub agent_id: Option<String>,
    pub master_hostname: Option<String>,
    pub master_info: Option<Json>,
    pub frameworks: BTreeMap<String, Framework>,
    pub completed_frameworks: VecDeque<Framework>,
    pub counters: Counters,
}

impl State {
    /// Active executor by framework and executor id.
    pub fn executor_mut(&mut self, fid: &str, eid: &str) -> Option<&mut Executor> {
        self.frameworks.get_mut(fid)?.executors.get_mut(eid)
    }
    pub fn executor(&self, fid: &str, eid: &str) -> Option<&Executor> {
        self.frameworks.get(fid)?.executors.get(eid)
    }
    /// Active executor running `task_id` (command executors: id == task id).
    pub fn executor_for_task_mut(&mut self, fid: &str, tid: &str) -> Option<&mut Executor> {
        self.frameworks
            .get_mut(fid)?
            .executors
            .values_mut()
            .find(|e| e.task.id == tid)
    }
    /// All executors, active first: (framework, executor, completed?).
    pub fn all_executors(&self) -> impl Iterator<Item = (&Framework, &Executor, bool)> {
        self.frameworks.values().flat_map(|f| {
            f.executors
                .values()
                .map(move |e| (f, e, false))
                .chain(f.completed_executors.iter().map(move |e| (f, e, true)))
        })
    }
    /// Resources allocated to live executors and their tasks.
    pub fn allocated(&self) -> Resources {
        let mut r = Resources::new();
        for f in self.frameworks.values() {
            for e in f.executors.values() {
                if e.is_live() || !is_terminal(&e.task.state) {
                    r.add(&e.allocated());
                }
            }
        }
        r
    }
}

/// The agent.
pub struct Agent {
    pub cfg: Config,
    pub files: Arc<FileServer>,
    /// Client for the master (no redirects followed: 307 is handled).
    pub client: HttpClient,
    /// Client for the fetcher (follows redirects, long timeout).
    pub fetch_client: HttpClient,
    pub start_time: f64,
    pub started: Instant,
    st: Mutex<State>,
    pub registration: watch::Sender<Option<Registration>>,
    /// Session token of the latest registration: the master's internal
    /// calls must carry it. Unlike `registration` it is kept while the agent
    /// looks for a master again, and replaced only by a new registration.
    master_token: Mutex<Option<crate::daemon::proto::session::Token>>,
    pub status: super::status::Manager,
    /// Wakes the registration loop (ping now: something looked wrong).
    pub nudge: tokio::sync::Notify,
    shutting_down: AtomicBool,
}

impl std::fmt::Debug for Agent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("pid", &self.cfg.pid())
            .finish()
    }
}

impl Agent {
    pub fn new(cfg: Config) -> Result<Arc<Agent>, String> {
        let client = HttpClient::new(&HttpOptions {
            timeout: Duration::from_secs(5),
            client_tls: crate::daemon::tls::current().map(|t| t.client.clone()),
            ..HttpOptions::default()
        })
        .map_err(|e| e.message)?;
        let fetch_client = HttpClient::new(&HttpOptions {
            timeout: Duration::from_secs(600),
            ..HttpOptions::default()
        })
        .map_err(|e| e.message)?;
        let files = FileServer::new();
        if let Some(log) = &cfg.log_file {
            files.attach("/slave/log", log);
        }
        let (registration, _) = watch::channel(None);
        Ok(Arc::new(Agent {
            cfg,
            files,
            client,
            fetch_client,
            start_time: now_secs(),
            started: Instant::now(),
            st: Mutex::new(State::default()),
            registration,
            master_token: Mutex::new(None),
            status: super::status::Manager::default(),
            nudge: tokio::sync::Notify::new(),
            shutting_down: AtomicBool::new(false),
        }))
    }

    /// Lock the state (short critical sections only).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.st.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn agent_id(&self) -> Option<String> {
        self.lock().agent_id.clone()
    }

    pub fn shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }

    /// Record a new registration's session token (see `master_token`).
    pub fn set_master_token(&self, token: crate::daemon::proto::session::Token) {
        *self.master_token.lock().unwrap_or_else(|p| p.into_inner()) = Some(token);
    }

    /// Whether `headers` carry the session token of the latest registration.
    pub fn from_current_master(&self, headers: &axum::http::HeaderMap) -> bool {
        self.master_token
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .is_some_and(|t| t.presented_in(headers))
    }

    /// Current registration, if any.
    pub fn registered(&self) -> Option<Registration> {
        self.registration.borrow().clone()
    }

    /// Wait until registered with a master.
    pub async fn wait_registered(&self) -> Registration {
        let mut rx = self.registration.subscribe();
        loop {
            if let Some(r) = rx.borrow_and_update().clone() {
                return r;
            }
            if rx.changed().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }

    /// `<work_dir>/slaves/<agent_id>` (refused for an invalid id).
    pub fn agent_dir(&self, agent_id: &str) -> Result<PathBuf, String> {
        super::paths::agent_dir(&self.cfg.work_dir, agent_id)
    }

    /// `<work_dir>/meta/slaves/<agent_id>` (refused for an invalid id).
    pub fn meta_agent_dir(&self, agent_id: &str) -> Result<PathBuf, String> {
        super::paths::meta_agent_dir(&self.cfg.work_dir, agent_id)
    }

    /// Stop serving an executor's sandbox (it left the completed lists).
    pub fn detach_sandbox(&self, e: &Executor) {
        let dir = e.directory.to_string_lossy().into_owned();
        self.files.detach(&dir);
        if let Some(runs) = e.directory.parent() {
            let latest = runs.join("latest");
            // Only if `latest` still denotes this run.
            if std::fs::read_link(&latest).ok().as_deref() == Some(Path::new(&e.container_id)) {
                self.files.detach(&latest.to_string_lossy());
                self.files.detach(&format!(
                    "/frameworks/{}/executors/{}/runs/latest",
                    e.framework_id, e.id
                ));
            }
        }
    }

    /// Move a terminated executor whose terminal update was acknowledged to
    /// `completed_executors`, and an empty framework to `completed_frameworks`.
    pub fn maybe_complete(&self, fid: &str, eid: &str) {
        let mut st = self.lock();
        let Some(fw) = st.frameworks.get_mut(fid) else {
            return;
        };
        let done = fw.executors.get(eid).is_some_and(|e| {
            e.phase == Phase::Terminated && is_terminal(&e.task.state) && e.task.terminal_acked
        });
        if done {
            if let Some(e) = fw.executors.remove(eid) {
                fw.completed_executors.push_back(e);
                while fw.completed_executors.len() > MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK {
                    if let Some(old) = fw.completed_executors.pop_front() {
                        self.detach_sandbox(&old);
                    }
                }
            }
        }
        if fw.executors.is_empty() {
            if let Some(fw) = st.frameworks.remove(fid) {
                st.completed_frameworks.retain(|f| f.id != fw.id);
                st.completed_frameworks.push_back(fw);
                while st.completed_frameworks.len() > MAX_COMPLETED_FRAMEWORKS {
                    if let Some(old) = st.completed_frameworks.pop_front() {
                        for e in old.completed_executors.iter().chain(old.executors.values()) {
                            self.detach_sandbox(e);
                        }
                    }
                }
            }
        }
    }

    /// v0 `/slave(1)/state`.
    pub fn state_v0(&self) -> Json {
        let st = self.lock();
        let mut o = Map::new();
        version_fields(&mut o);
        o.insert("start_time".into(), json!(self.start_time));
        o.insert("id".into(), json!(st.agent_id.clone().unwrap_or_default()));
        o.insert("pid".into(), json!(self.cfg.pid()));
        o.insert("hostname".into(), json!(self.cfg.hostname));
        o.insert("capabilities".into(), json!(capabilities()));
        let total = &self.cfg.resources;
        o.insert("resources".into(), Json::Object(total.summary()));
        let allocated = st.allocated();
        let (reserved, unreserved) = split_reserved(total);
        let (reserved_alloc, unreserved_alloc) = split_reserved(&allocated);
        o.insert(
            "reserved_resources".into(),
            Json::Object(
                reserved
                    .iter()
                    .map(|(k, v)| (k.clone(), Json::Object(v.summary())))
                    .collect(),
            ),
        );
        o.insert(
            "unreserved_resources".into(),
            Json::Object(unreserved.summary()),
        );
        o.insert(
            "reserved_resources_full".into(),
            Json::Object(
                reserved
                    .iter()
                    .map(|(k, v)| (k.clone(), Json::Array(v.to_v1_json(None))))
                    .collect(),
            ),
        );
        o.insert(
            "unreserved_resources_full".into(),
            Json::Array(unreserved.to_v1_json(None)),
        );
        o.insert(
            "reserved_resources_allocated".into(),
            Json::Object(
                reserved_alloc
                    .iter()
                    .map(|(k, v)| (k.clone(), Json::Object(v.summary())))
                    .collect(),
            ),
        );
        o.insert(
            "unreserved_resources_allocated".into(),
            Json::Object(unreserved_alloc.summary()),
        );
        o.insert(
            "attributes".into(),
            Json::Object(attributes_v0(&self.cfg.attributes)),
        );
        if let Some(h) = &st.master_hostname {
            o.insert("master_hostname".into(), json!(h));
        }
        if let Some(d) = self.cfg.flags.string("log_dir") {
            o.insert("log_dir".into(), json!(d));
        }
        o.insert("flags".into(), self.flags_json());
        let fws: Vec<Json> = st
            .frameworks
            .values()
            .map(|f| self.framework_v0(f))
            .collect();
        let done: Vec<Json> = st
            .completed_frameworks
            .iter()
            .rev()
            .map(|f| self.framework_v0(f))
            .collect();
        o.insert("frameworks".into(), Json::Array(fws));
        o.insert("completed_frameworks".into(), Json::Array(done));
        Json::Object(o)
    }

    /// `{"flag": "value", ...}`
    pub fn flags_json(&self) -> Json {
        Json::Object(
            self.cfg
                .flags
                .all()
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect(),
        )
    }

    fn framework_v0(&self, f: &Framework) -> Json {
        let info = &f.info;
        let mut o = Map::new();
        o.insert("id".into(), json!(f.id));
        o.insert("name".into(), json!(str_field(info, "name")));
        o.insert("user".into(), json!(str_field(info, "user")));
        o.insert(
            "failover_timeout".into(),
            json!(info
                .get("failover_timeout")
                .and_then(Json::as_f64)
                .unwrap_or(0.0)),
        );
        o.insert(
            "checkpoint".into(),
            json!(info
                .get("checkpoint")
                .and_then(Json::as_bool)
                .unwrap_or(false)),
        );
        o.insert("hostname".into(), json!(str_field(info, "hostname")));
        if let Some(p) = info.get("principal").and_then(Json::as_str) {
            o.insert("principal".into(), json!(p));
        }
        let caps: Vec<String> = info
            .get("capabilities")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c.get("type").and_then(Json::as_str).map(str::to_string))
            .collect();
        if f.has_capability("MULTI_ROLE") {
            o.insert("roles".into(), json!(framework_roles(info)));
        } else {
            o.insert(
                "role".into(),
                json!(framework_roles(info)
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "*".into())),
            );
        }
        o.insert("capabilities".into(), json!(caps));
        let ex: Vec<Json> = f.executors.values().map(|e| self.executor_v0(e)).collect();
        let done: Vec<Json> = f
            .completed_executors
            .iter()
            .rev()
            .map(|e| self.executor_v0(e))
            .collect();
        o.insert("executors".into(), Json::Array(ex));
        o.insert("completed_executors".into(), Json::Array(done));
        Json::Object(o)
    }

    fn executor_v0(&self, e: &Executor) -> Json {
        let t = &e.task;
        let task = self.task_v0(e);
        let (tasks, completed) = if is_terminal(&t.state) {
            (vec![], vec![task])
        } else {
            (vec![task], vec![])
        };
        let mut o = Map::new();
        o.insert("id".into(), json!(e.id));
        o.insert("name".into(), json!(e.name));
        o.insert("source".into(), json!(e.source));
        o.insert("container".into(), json!(e.container_id));
        o.insert("directory".into(), json!(e.directory.to_string_lossy()));
        let res = if e.is_live() {
            e.allocated()
        } else {
            e.overhead.clone()
        };
        o.insert("resources".into(), Json::Object(res.summary()));
        o.insert("role".into(), json!(t.role));
        o.insert("type".into(), json!("CUSTOM"));
        o.insert("tasks".into(), Json::Array(tasks));
        o.insert("queued_tasks".into(), json!([]));
        o.insert("completed_tasks".into(), Json::Array(completed));
        Json::Object(o)
    }

    /// Master-style v0 Task JSON.
    pub fn task_v0(&self, e: &Executor) -> Json {
        let t = &e.task;
        let mut o = Map::new();
        o.insert("id".into(), json!(t.id));
        o.insert("name".into(), json!(t.name));
        o.insert("framework_id".into(), json!(e.framework_id));
        o.insert("executor_id".into(), json!(""));
        o.insert("slave_id".into(), json!(t.agent_id));
        o.insert("state".into(), json!(t.state));
        o.insert("resources".into(), Json::Object(t.resources.summary()));
        o.insert("role".into(), json!(t.role));
        o.insert(
            "statuses".into(),
            Json::Array(t.statuses.iter().map(status_lite).collect()),
        );
        if let Some(u) = t.info.pointer("/command/user").and_then(Json::as_str) {
            o.insert("user".into(), json!(u));
        }
        if let Some(labels) = t.info.pointer("/labels/labels").and_then(Json::as_array) {
            if !labels.is_empty() {
                o.insert("labels".into(), Json::Array(labels.clone()));
            }
        }
        for k in ["discovery", "container", "health_check"] {
            if let Some(v) = t.info.get(k) {
                o.insert(k.into(), v.clone());
            }
        }
        Json::Object(o)
    }

    /// v1 Task (agent operator API).
    pub fn task_v1(&self, e: &Executor) -> Json {
        let t = &e.task;
        let mut o = Map::new();
        o.insert("name".into(), json!(t.name));
        o.insert("task_id".into(), id_obj(&t.id));
        o.insert("framework_id".into(), id_obj(&e.framework_id));
        o.insert("agent_id".into(), id_obj(&t.agent_id));
        o.insert("state".into(), json!(t.state));
        o.insert(
            "resources".into(),
            t.info
                .get("resources")
                .cloned()
                .unwrap_or_else(|| json!([])),
        );
        if !t.statuses.is_empty() {
            o.insert("statuses".into(), Json::Array(t.statuses.clone()));
        }
        if let Some(last) = t.statuses.last() {
            if let Some(s) = last.get("state") {
                o.insert("status_update_state".into(), s.clone());
            }
            if let Some(u) = last.get("uuid") {
                o.insert("status_update_uuid".into(), u.clone());
            }
        }
        for k in [
            "labels",
            "discovery",
            "container",
            "health_check",
            "kill_policy",
        ] {
            if let Some(v) = t.info.get(k) {
                o.insert(k.into(), v.clone());
            }
        }
        if let Some(u) = t.info.pointer("/command/user") {
            o.insert("user".into(), u.clone());
        }
        Json::Object(o)
    }

    /// v1 AgentInfo.
    pub fn agent_info_v1(&self) -> Json {
        let mut o = Map::new();
        o.insert("hostname".into(), json!(self.cfg.hostname));
        o.insert("port".into(), json!(self.cfg.advertise_port));
        o.insert(
            "resources".into(),
            Json::Array(self.cfg.resources.to_v1_json(None)),
        );
        let attrs = attributes_v1(&self.cfg.attributes);
        if !attrs.is_empty() {
            o.insert("attributes".into(), Json::Array(attrs));
        }
        if let Some(id) = self.agent_id() {
            o.insert("id".into(), id_obj(&id));
        }
        Json::Object(o)
    }
}

/// `version`, `build_*` fields (also `/version`).
pub fn version_fields(o: &mut Map<String, Json>) {
    o.insert("version".into(), json!(MESOS_VERSION));
    o.insert("build_date".into(), json!(build_date()));
    o.insert("build_time".into(), json!(build_time()));
    o.insert("build_user".into(), json!("mesos-rs"));
}

/// `/version` body.
pub fn version_json() -> Json {
    let mut o = Map::new();
    version_fields(&mut o);
    Json::Object(o)
}

fn build_time() -> f64 {
    // The binary's modification time is the closest thing to a build time.
    std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as f64)
        .unwrap_or(0.0)
}

fn build_date() -> String {
    let secs = build_time() as i64;
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Agent capabilities announced to the master and in state.
pub fn capabilities() -> Vec<&'static str> {
    vec!["MULTI_ROLE", "HIERARCHICAL_ROLE", "RESERVATION_REFINEMENT"]
}

/// Split into reserved (by role) and unreserved resources.
pub fn split_reserved(r: &Resources) -> (BTreeMap<String, Resources>, Resources) {
    let mut reserved: BTreeMap<String, Resources> = BTreeMap::new();
    let mut unreserved = Resources::new();
    for x in r.iter() {
        if x.role == "*" {
            unreserved.push(x.clone());
        } else {
            reserved.entry(x.role.clone()).or_default().push(x.clone());
        }
    }
    (reserved, unreserved)
}

/// v0 TaskStatus-lite: state, timestamp, labels?, container_status?, healthy?.
pub fn status_lite(s: &Json) -> Json {
    let mut o = Map::new();
    o.insert(
        "state".into(),
        s.get("state").cloned().unwrap_or(Json::Null),
    );
    o.insert(
        "timestamp".into(),
        json!(s.get("timestamp").and_then(Json::as_f64).unwrap_or(0.0)),
    );
    if let Some(l) = s.pointer("/labels/labels").and_then(Json::as_array) {
        o.insert("labels".into(), Json::Array(l.clone()));
    }
    if let Some(c) = s.get("container_status") {
        o.insert("container_status".into(), c.clone());
    }
    if let Some(h) = s.get("healthy") {
        o.insert("healthy".into(), h.clone());
    }
    Json::Object(o)
}

fn str_field(v: &Json, k: &str) -> String {
    v.get(k).and_then(Json::as_str).unwrap_or("").to_string()
}

/// `roles` of a MULTI_ROLE framework, else `[role]` (default `*`).
pub fn framework_roles(info: &Json) -> Vec<String> {
    let roles: Vec<String> = info
        .get("roles")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str().map(str::to_string))
        .collect();
    if !roles.is_empty() {
        return roles;
    }
    vec![info
        .get("role")
        .and_then(Json::as_str)
        .unwrap_or("*")
        .to_string()]
}

/// `Command Executor (Task: <id>) (Command: sh -c '<cmd>')`, with Mesos'
/// truncation (more than 15 characters -> the first 12 + `...`).
pub fn executor_name(task_id: &str, command: &Json) -> String {
    let shell = command.get("shell").and_then(Json::as_bool).unwrap_or(true);
    let value = command.get("value").and_then(Json::as_str);
    let mut name = format!("(Task: {task_id}) ");
    if shell {
        match value {
            None => name.push_str("(Command: NO COMMAND)"),
            Some(v) => {
                name.push_str("(Command: sh -c '");
                if v.chars().count() > 15 {
                    name.push_str(&v.chars().take(12).collect::<String>());
                    name.push_str("...')");
                } else {
                    name.push_str(v);
                    name.push_str("')");
                }
            }
        }
    } else {
        match value {
            None => name.push_str("(Command: NO EXECUTABLE)"),
            Some(v) => {
                let args: Vec<&str> = command
                    .get("arguments")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Json::as_str)
                    .collect();
                let joined = format!("{v}, {}", args.join(", "));
                if joined.chars().count() > 15 {
                    name.push_str(&format!(
                        "(Command: [{}...])",
                        joined.chars().take(12).collect::<String>()
                    ));
                } else {
                    name.push_str(&format!("(Command: [{joined}])"));
                }
            }
        }
    }
    format!("Command Executor {name}")
}

/// The command executor's overhead resources (0.1 cpus, 32 MB).
pub fn executor_overhead() -> Resources {
    let mut r = Resources::new();
    r.push(Resource {
        name: "cpus".into(),
        role: "*".into(),
        value: Value::Scalar(0.1),
    });
    r.push(Resource {
        name: "mem".into(),
        role: "*".into(),
        value: Value::Scalar(32.0),
    });
    r
}

/// Write `bytes` to `path` atomically (temp file + rename), creating parents.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!(
        "tmp.{}.{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Point the symlink `link` at `target` atomically.
pub fn symlink_atomic(target: &Path, link: &Path) -> std::io::Result<()> {
    let tmp = link.with_file_name(format!(
        ".{}.tmp.{}",
        link.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        uuid::Uuid::new_v4().simple()
    ));
    std::os::unix::fs::symlink(target, &tmp)?;
    std::fs::rename(&tmp, link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executor_names_follow_mesos_truncation() {
        assert_eq!(
            executor_name("hello", &json!({"value": "sleep 100"})),
            "Command Executor (Task: hello) (Command: sh -c 'sleep 100')"
        );
        assert_eq!(
            executor_name("t", &json!({"value": "echo hello world!", "shell": true})),
            "Command Executor (Task: t) (Command: sh -c 'echo hello w...')"
        );
        // Exactly 15 characters are kept whole.
        assert_eq!(
            executor_name("t", &json!({"value": "123456789012345"})),
            "Command Executor (Task: t) (Command: sh -c '123456789012345')"
        );
        assert_eq!(
            executor_name(
                "t",
                &json!({"value": "/bin/ls", "shell": false, "arguments": ["ls", "-la"]})
            ),
            "Command Executor (Task: t) (Command: [/bin/ls, ls,...])"
        );
        assert_eq!(
            executor_name("t", &json!({"value": "ls", "shell": false})),
            "Command Executor (Task: t) (Command: [ls, ])"
        );
        assert_eq!(
            executor_name("t", &json!({"shell": true})),
            "Command Executor (Task: t) (Command: NO COMMAND)"
        );
    }

    #[test]
    fn terminal_states() {
        assert!(is_terminal("TASK_FINISHED"));
        assert!(is_terminal("TASK_GONE_BY_OPERATOR"));
        assert!(!is_terminal("TASK_RUNNING"));
        assert!(!is_terminal("TASK_KILLING"));
    }

    #[test]
    fn lite_statuses_drop_reliability_fields() {
        let s = json!({"state":"TASK_RUNNING","timestamp":1.5,"uuid":"x","source":"SOURCE_EXECUTOR",
            "container_status":{"container_id":{"value":"c"}}});
        let l = status_lite(&s);
        assert_eq!(
            l,
            json!({"state":"TASK_RUNNING","timestamp":1.5,"container_status":{"container_id":{"value":"c"}}})
        );
    }
}
