//! The agent core: the [`Agent`] (its configuration, its state behind one
//! lock, the registration watch, the sandbox registry, the status update
//! streams) and the state transitions every layer above shares (completing
//! executors and frameworks). Knows nothing about serving HTTP: the layers
//! above (`status`, `executor`, `recovery`, `http`) act on it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::config::Config;
use super::model::{
    Executor, Phase, Registration, State, MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK,
    MAX_COMPLETED_FRAMEWORKS,
};
use crate::daemon::files::FileServer;
use crate::daemon::now_secs;
use crate::daemon::proto::session::Token;
use crate::http::{HttpClient, HttpOptions};

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
    master_token: Mutex<Option<Token>>,
    pub status: super::stream::Manager,
    /// Wakes the registration loop (ping now: something looked wrong).
    pub nudge: tokio::sync::Notify,
    shutting_down: AtomicBool,
    /// Node samples and sandbox sizes, kept fresh by a background thread
    /// (started by [`Agent::start_host_metrics`]).
    pub host: Arc<super::hostmetrics::HostMetrics>,
    /// Containers nested in the executors' containers (`agent::nested`).
    pub nested: super::containers::Registry,
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
            status: super::stream::Manager::default(),
            nudge: tokio::sync::Notify::new(),
            shutting_down: AtomicBool::new(false),
            host: Arc::default(),
            nested: super::containers::Registry::default(),
        }))
    }

    /// Start sampling the node and measuring the live sandboxes in the
    /// background (docs/metrics.md#the-bundled-agent-as-a-metrics-source).
    pub fn start_host_metrics(self: &Arc<Self>) {
        let weak = Arc::downgrade(self);
        let every = self
            .cfg
            .flags
            .duration("container_disk_watch_interval")
            .filter(|d| !d.is_zero())
            .unwrap_or(super::hostmetrics::DISK_INTERVAL);
        self.host.start(every, move || {
            let agent = weak.upgrade()?;
            let nested: Vec<_> = agent
                .nested
                .list()
                .into_iter()
                .filter(|n| !n.is_done())
                .map(|n| n.directory.clone())
                .collect();
            let st = agent.lock();
            let executors = st
                .frameworks
                .values()
                .flat_map(|f| f.executors.values())
                .filter(|e| e.is_live())
                .map(|e| e.directory.clone());
            Some(executors.chain(nested).collect())
        });
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
    pub fn set_master_token(&self, token: Token) {
        *self.master_token.lock().unwrap_or_else(|p| p.into_inner()) = Some(token);
    }

    /// The session token of the latest registration: the master's internal
    /// calls must present it.
    pub fn master_token(&self) -> Option<Token> {
        self.master_token
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Wake the registration loop (ping now: something looked wrong).
    pub fn nudge_registration(&self) {
        self.nudge.notify_one();
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
        let done = fw
            .executors
            .get(eid)
            .is_some_and(|e| e.phase == Phase::Terminated && e.tasks_done());
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
}
