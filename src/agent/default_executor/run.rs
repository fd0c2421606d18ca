//! The default executor's event loop: one actor owning the task groups
//! (`super::group`), fed by the subscription (events from the agent), the
//! launches and the waits of the nested containers. Status updates go out
//! one at a time, in order, and stay unacknowledged (re-sent in the next
//! SUBSCRIBE after an agent restart) until the agent says ACKNOWLEDGED.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use super::client::{Agent, CallError, EventStream};
use super::config::Settings;
use super::group::{Phase, Tasks, Terminal};
use crate::agent::executor::checks::CheckWatch;
use crate::agent::executor::health::{AbortOnDrop, HealthWatch, Report, Watch, HEALTH_REASON};
use crate::wire::agent_v1::{ContainerId, ContainerStatus, Id, TaskInfo, V1TaskStatus};
use crate::wire::check::CHECK_REASON;
use crate::wire::executor::{Event, Subscribe, Update};
use crate::wire::process_io::{LaunchContainer, SessionContainerInfo};
use crate::wire::task::TaskState;
use serde_json::Value;

/// Default kill grace period (no kill policy), as the command executor's.
const DEFAULT_KILL_GRACE: Duration = Duration::from_secs(3);
/// How long the executor waits for its last updates to be acknowledged
/// before it exits anyway.
const ACK_WAIT: Duration = Duration::from_secs(10);
/// How long WAIT_NESTED_CONTAINER is retried while the agent answers 404
/// (it does right after a restart, until it has recovered the container)
/// before the task is failed.
const WAIT_UNKNOWN_LIMIT: Duration = Duration::from_secs(120);

/// One glog-style line on stderr (the sandbox `stderr`).
pub fn log(level: crate::daemon::log::Level, line: u32, msg: &str) {
    use std::io::Write as _;
    let text = crate::daemon::log::format_line(level, "default_executor.cpp", line, msg);
    let _ = std::io::stderr().write_all(text.as_bytes());
}

macro_rules! info {
    ($($a:tt)*) => { log(crate::daemon::log::Level::Info, line!(), &format!($($a)*)) };
}
macro_rules! warn {
    ($($a:tt)*) => { log(crate::daemon::log::Level::Warning, line!(), &format!($($a)*)) };
}

/// What the actor is told.
enum Msg {
    /// Subscribed, with the uuids of the updates that SUBSCRIBE carried.
    Subscribed(Vec<String>),
    Event(Box<Event>),
    Disconnected(String),
    Launched(String, Result<(), CallError>),
    Exited(String, Result<Option<i32>, CallError>),
    /// What a task's health checker asks to report.
    Health(String, Report),
    /// A task's new check result (`CheckStatusInfo`).
    Check(String, Value),
}

/// Updates and tasks the agent has not acknowledged yet (shared with the
/// subscriber, which re-sends them in SUBSCRIBE).
#[derive(Default)]
struct Pending {
    updates: Vec<Update>,
    tasks: BTreeMap<String, TaskInfo>,
}

struct Executor {
    s: Settings,
    agent: Arc<Agent>,
    tx: UnboundedSender<Msg>,
    updates: UnboundedSender<V1TaskStatus>,
    pending: Arc<Mutex<Pending>>,
    tasks: Tasks,
    container: Option<ContainerId>,
    agent_id: Option<Id>,
    killing_state: bool,
    subscribed_once: bool,
    disconnected_since: Option<Instant>,
    shutting_down: bool,
    done_since: Option<Instant>,
    started: Instant,
    /// The running health checkers and checkers, by task (aborted when
    /// dropped from here: a killed or ended task is not checked any more).
    checkers: BTreeMap<String, Vec<AbortOnDrop>>,
    /// The last check result of each task with a check.
    check_statuses: BTreeMap<String, Value>,
    /// A task was killed by its failing health check: terminal updates say
    /// `healthy: false` (as Mesos' default executor does).
    unhealthy: bool,
}

/// Run until every task is done (exit 0) or the agent is lost (1).
pub async fn run(s: Settings) -> u8 {
    let agent = match Agent::new(&s) {
        Ok(a) => Arc::new(a),
        Err(e) => {
            warn!("{e}");
            return 1;
        }
    };
    let (tx, mut rx) = unbounded_channel();
    let (utx, urx) = unbounded_channel();
    let pending = Arc::new(Mutex::new(Pending::default()));
    tokio::spawn(subscriber(
        agent.clone(),
        pending.clone(),
        tx.clone(),
        s.backoff_max,
    ));
    tokio::spawn(updater(agent.clone(), urx));
    info!(
        "Default executor {} of framework {} subscribing to {}",
        s.executor_id, s.framework_id, s.agent
    );
    let mut ex = Executor {
        s,
        agent,
        tx,
        updates: utx,
        pending,
        tasks: Tasks::default(),
        container: None,
        agent_id: None,
        killing_state: false,
        subscribed_once: false,
        disconnected_since: Some(Instant::now()),
        shutting_down: false,
        done_since: None,
        started: Instant::now(),
        checkers: BTreeMap::new(),
        check_statuses: BTreeMap::new(),
        unhealthy: false,
    };
    loop {
        if let Ok(Some(msg)) = tokio::time::timeout(Duration::from_millis(250), rx.recv()).await {
            ex.handle(msg);
        }
        if let Some(code) = ex.finished() {
            return code;
        }
    }
}

/// SUBSCRIBE, read events, and on a broken stream SUBSCRIBE again with
/// backoff (each time with what is still unacknowledged).
async fn subscriber(
    agent: Arc<Agent>,
    pending: Arc<Mutex<Pending>>,
    tx: UnboundedSender<Msg>,
    backoff_max: Duration,
) {
    let floor = Duration::from_millis(200).min(backoff_max.max(Duration::from_millis(10)));
    let mut backoff = floor;
    loop {
        let sub = {
            let p = pending.lock().unwrap();
            Subscribe {
                unacknowledged_tasks: p.tasks.values().cloned().collect(),
                unacknowledged_updates: p.updates.clone(),
            }
        };
        let carried = sub
            .unacknowledged_updates
            .iter()
            .filter_map(|u| u.status.uuid.clone())
            .collect();
        let why = match agent.subscribe(sub).await {
            Ok(resp) => {
                backoff = floor;
                if tx.send(Msg::Subscribed(carried)).is_err() {
                    return;
                }
                let mut stream = EventStream::new(resp, agent.media());
                loop {
                    match stream.next_event().await {
                        Ok(e) => {
                            if tx.send(Msg::Event(Box::new(e))).is_err() {
                                return;
                            }
                        }
                        Err(e) => break e,
                    }
                }
            }
            Err(e) => format!("SUBSCRIBE failed: {e}"),
        };
        if tx.send(Msg::Disconnected(why)).is_err() {
            return;
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(backoff_max.max(floor));
    }
}

/// Send updates one at a time, in order. A failed UPDATE stays pending:
/// it goes again in the next SUBSCRIBE.
async fn updater(agent: Arc<Agent>, mut rx: UnboundedReceiver<V1TaskStatus>) {
    while let Some(status) = rx.recv().await {
        let what = format!("{} of task {}", status.state, status.task_id.value);
        if let Err(e) = agent.update(status).await {
            warn!("Failed to send {what}: {e} (it is re-sent on re-subscription)");
        }
    }
}

impl Executor {
    fn handle(&mut self, msg: Msg) {
        match msg {
            Msg::Subscribed(carried) => {
                self.disconnected_since = None;
                // Updates made while SUBSCRIBE was on its way go now.
                let late: Vec<V1TaskStatus> = self
                    .pending
                    .lock()
                    .unwrap()
                    .updates
                    .iter()
                    .filter(|u| !u.status.uuid.as_ref().is_some_and(|x| carried.contains(x)))
                    .map(|u| u.status.clone())
                    .collect();
                for st in late {
                    let _ = self.updates.send(st);
                }
            }
            Msg::Disconnected(why) => {
                if self.disconnected_since.is_none() {
                    warn!("Disconnected from the agent: {why}");
                    self.disconnected_since = Some(Instant::now());
                }
            }
            Msg::Event(e) => self.event(*e),
            Msg::Health(id, report) => self.health(&id, report),
            Msg::Check(id, status) => self.check(&id, status),
            Msg::Launched(id, r) => self.launched(&id, r),
            Msg::Exited(id, r) => {
                let r = match r {
                    Ok(Some(raw)) => Ok(raw),
                    Ok(None) => Err("The container ended without an exit status".to_string()),
                    Err(e) => Err(format!("Failed to wait for the container: {e}")),
                };
                if let Ok(raw) = &r {
                    info!("Task {id}: {} ", super::group::describe_wait_status(*raw));
                }
                if let Some(t) = self.tasks.exited(&id, r) {
                    self.terminal(&id, t);
                }
            }
        }
    }

    fn event(&mut self, e: Event) {
        match e.kind.as_str() {
            "SUBSCRIBED" => {
                let Some(sub) = e.subscribed else { return };
                self.subscribed_once = true;
                self.disconnected_since = None;
                self.agent_id = sub
                    .agent_info
                    .get("id")
                    .and_then(|i| i.get("value"))
                    .and_then(|v| v.as_str())
                    .map(Id::new);
                self.killing_state = sub
                    .framework_info
                    .get("capabilities")
                    .and_then(|c| c.as_array())
                    .is_some_and(|caps| {
                        caps.iter().any(|c| {
                            c.get("type").and_then(|t| t.as_str()) == Some("TASK_KILLING_STATE")
                        })
                    });
                if let Some(c) = sub.container_id {
                    info!("Subscribed: executor container {}", c.chain());
                    self.container = Some(c);
                }
            }
            "LAUNCH_GROUP" => {
                let tasks = e
                    .launch_group
                    .map(|l| l.task_group.tasks)
                    .unwrap_or_default();
                self.launch_group(tasks);
            }
            "LAUNCH" => {
                // As Mesos' default executor: a plain LAUNCH never goes to
                // a default executor, so it is unexpected: shut down (the
                // agent then ends the task with the executor).
                let id = e.launch.map(|l| l.task.task_id.value).unwrap_or_default();
                warn!(
                    "LAUNCH event (task '{id}') is not supported by the default executor: \
                     shutting down"
                );
                self.shutdown();
            }
            "KILL" => {
                let Some(k) = e.kill else { return };
                let id = k.task_id.value;
                info!("Received kill for task {id}: killing its task group");
                let grace = k
                    .kill_policy
                    .and_then(|p| p.grace_period)
                    .map(|d| Duration::from_nanos(d.nanoseconds.max(0) as u64));
                let ids = self.tasks.kill(&id);
                self.kill(ids, grace);
            }
            "ACKNOWLEDGED" => {
                let Some(a) = e.acknowledged else { return };
                let mut p = self.pending.lock().unwrap();
                p.updates
                    .retain(|u| u.status.uuid.as_deref() != Some(a.uuid.as_str()));
                p.tasks.remove(&a.task_id.value);
            }
            "SHUTDOWN" => {
                info!("Received SHUTDOWN: killing every task");
                self.shutdown();
            }
            "MESSAGE" => {
                let len = e.message.as_ref().map_or(0, |m| m.data.len());
                info!("Received a framework message ({len} bytes of base64): ignored, as Mesos' default executor does");
            }
            "ERROR" => {
                let m = e.error.map(|e| e.message).unwrap_or_default();
                warn!("Error from the agent: {m}");
            }
            "HEARTBEAT" => {}
            other => warn!("Ignoring an event of unknown type '{other}'"),
        }
    }

    /// Kill every task (within the shutdown grace period) and exit once
    /// they have ended and their updates are acknowledged.
    fn shutdown(&mut self) {
        if self.shutting_down {
            warn!("Ignoring shutdown since it is in progress");
            return;
        }
        self.shutting_down = true;
        let ids = self.tasks.kill_all();
        let cap = self.s.shutdown_grace.saturating_sub(Duration::from_secs(1));
        self.kill_capped(ids, cap);
    }

    /// A health report of a running task: TASK_RUNNING with `healthy` and
    /// REASON_TASK_HEALTH_CHECK_STATUS_UPDATED; kill its group when the
    /// check failed too many times in a row.
    fn health(&mut self, id: &str, report: Report) {
        if !self.checked(id) {
            return;
        }
        if self.disconnected_since.is_some() {
            info!("Ignoring a health update of task {id}: not connected to the agent");
            return;
        }
        info!(
            "Received task health update for task '{id}', task is {}",
            if report.healthy {
                "healthy"
            } else {
                "not healthy"
            }
        );
        let container = self.tasks.get(id).map(|t| t.container.clone());
        let mut st = self.status(id, TaskState::Running, container.as_ref());
        st.healthy = Some(report.healthy);
        st.reason = Some(HEALTH_REASON.into());
        self.send(st);
        if report.kill {
            warn!(
                "Task {id} failed its health check {} times in a row: killing its task group",
                report.consecutive_failures
            );
            self.unhealthy = true;
            let ids = self.tasks.kill(id);
            self.kill(ids, None);
        }
    }

    /// Whether task `id` runs, is not being killed and is still checked
    /// (a report racing with a kill or the end is dropped).
    fn checked(&self, id: &str) -> bool {
        self.tasks
            .get(id)
            .is_some_and(|t| t.phase == Phase::Running && !t.killing)
            && self.checkers.contains_key(id)
    }

    /// A new check result of a running task: TASK_RUNNING with it as
    /// `check_status` and REASON_TASK_CHECK_STATUS_UPDATED.
    fn check(&mut self, id: &str, status: Value) {
        if !self.checked(id) {
            return;
        }
        info!("Received check update for task '{id}': {status}");
        // Kept while disconnected too: later updates carry it.
        self.check_statuses.insert(id.to_string(), status);
        if self.disconnected_since.is_some() {
            info!("Not sending the check update of task {id}: not connected to the agent");
            return;
        }
        let container = self.tasks.get(id).map(|t| t.container.clone());
        let mut st = self.status(id, TaskState::Running, container.as_ref());
        st.reason = Some(CHECK_REASON.into());
        self.send(st);
    }

    fn launch_group(&mut self, tasks: Vec<TaskInfo>) {
        let ids: Vec<String> = tasks.iter().map(|t| t.task_id.value.clone()).collect();
        info!("Launching task group [{}]", ids.join(", "));
        if self.shutting_down {
            for t in &tasks {
                let mut st = self.status(&t.task_id.value, TaskState::Killed, None);
                st.message = Some("The executor is shutting down".into());
                self.send(st);
            }
            return;
        }
        let Some(parent) = self.container.clone() else {
            for t in &tasks {
                let mut st = self.status(&t.task_id.value, TaskState::Failed, None);
                st.message = Some("The agent did not tell the executor its container id".into());
                self.send(st);
            }
            return;
        };
        if let Err(e) = self
            .tasks
            .add_group(&tasks, &parent, || uuid::Uuid::new_v4().to_string())
        {
            warn!("Refusing the task group: {e}");
            for t in &tasks {
                if self.tasks.get(&t.task_id.value).is_none() && !t.task_id.value.is_empty() {
                    let mut st = self.status(&t.task_id.value, TaskState::Failed, None);
                    st.message = Some(format!("Invalid task group: {e}"));
                    self.send(st);
                }
            }
            return;
        }
        {
            let mut p = self.pending.lock().unwrap();
            for t in &tasks {
                p.tasks.insert(t.task_id.value.clone(), t.clone());
            }
        }
        let mut launches = Vec::new();
        for t in &tasks {
            let id = t.task_id.value.clone();
            let st = self.status(&id, TaskState::Starting, None);
            self.send(st);
            let container = self.tasks.get(&id).map(|x| x.container.clone()).unwrap();
            let spec = LaunchContainer {
                container_id: container,
                command: t.command.clone(),
                container: t
                    .container
                    .clone()
                    .and_then(|c| serde_json::from_value::<SessionContainerInfo>(c).ok()),
                resources: t.resources.clone(),
            };
            launches.push((id, spec));
        }
        let agent = self.agent.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            for (id, spec) in launches {
                let r = agent.launch(spec).await;
                if tx.send(Msg::Launched(id, r)).is_err() {
                    return;
                }
            }
        });
    }

    fn launched(&mut self, id: &str, r: Result<(), CallError>) {
        if let Err(e) = r {
            warn!("Failed to launch the container of task {id}: {e}");
            if let Some(t) = self.tasks.launch_failed(id, &e.to_string()) {
                self.terminal(id, t);
            }
            return;
        }
        let kill_now = self.tasks.launched(id);
        let Some(task) = self.tasks.get(id) else {
            return;
        };
        let container = task.container.clone();
        info!("Task {id} runs in container {}", container.chain());
        link_task_sandbox(&self.s.sandbox, id, &container.value);
        let st = self.status(id, TaskState::Running, Some(&container));
        self.send(st);
        self.spawn_wait(id.to_string(), container.clone());
        if kill_now {
            self.kill(vec![id.to_string()], None);
            return;
        }
        let Some(info) = self.tasks.get(id).map(|t| t.info.clone()) else {
            return;
        };
        let mut checkers = Vec::new();
        if let Some(spec) = super::health::spec(&self.agent, &info, &container, &self.s.sandbox) {
            let task = id.to_string();
            checkers.push(self.forward(HealthWatch::start(Some(spec)), move |r| {
                Msg::Health(task.clone(), r)
            }));
        }
        let check = super::health::check_spec(&self.agent, &info, &container, &self.s.sandbox);
        if let Some(spec) = check {
            let task = id.to_string();
            checkers.push(self.forward(CheckWatch::start(Some(spec)), move |c| {
                Msg::Check(task.clone(), c)
            }));
        }
        if !checkers.is_empty() {
            self.checkers.insert(id.to_string(), checkers);
        }
    }

    /// Forward what a checker reports to the actor, as `msg` says.
    fn forward<T: Send + 'static>(
        &self,
        mut watch: Watch<T>,
        msg: impl Fn(T) -> Msg + Send + 'static,
    ) -> AbortOnDrop {
        let tx = self.tx.clone();
        AbortOnDrop(tokio::spawn(async move {
            loop {
                let r = watch.next().await;
                if tx.send(msg(r)).is_err() {
                    return;
                }
            }
        }))
    }

    fn spawn_wait(&self, id: String, container: ContainerId) {
        let agent = self.agent.clone();
        let tx = self.tx.clone();
        let max = self.s.backoff_max.max(Duration::from_millis(200));
        tokio::spawn(async move {
            let mut backoff = Duration::from_millis(200);
            // Since when the agent has not known the container (404).
            let mut unknown_since: Option<Instant> = None;
            loop {
                let retry = match agent.wait(&container).await {
                    // The agent is (re)starting or recovering: wait again.
                    Err(CallError::Transport(e)) => Some(e),
                    Err(CallError::Status(503, e)) => Some(format!("agent answered 503: {e}")),
                    // Right after an agent restart the agent may not know
                    // the container yet (it recovers nested containers):
                    // wait again, for a while.
                    Err(CallError::Status(404, e))
                        if unknown_since.get_or_insert_with(Instant::now).elapsed()
                            < WAIT_UNKNOWN_LIMIT =>
                    {
                        Some(format!("agent answered 404: {e}"))
                    }
                    r => {
                        let _ = tx.send(Msg::Exited(id, r));
                        return;
                    }
                };
                if tx.is_closed() {
                    return;
                }
                if let Some(why) = retry {
                    warn!(
                        "Waiting for container {} of task {id} failed ({why}); retrying in {}",
                        container.chain(),
                        crate::duration::format_mesos_duration(backoff)
                    );
                }
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(max);
            }
        });
    }

    /// Kill the containers of `ids`: SIGTERM, then SIGKILL after the grace
    /// period (`grace`, else the task's kill policy, else 3 s).
    fn kill(&mut self, ids: Vec<String>, grace: Option<Duration>) {
        self.kill_with(ids, grace, None);
    }

    fn kill_capped(&mut self, ids: Vec<String>, cap: Duration) {
        self.kill_with(ids, None, Some(cap));
    }

    fn kill_with(&mut self, ids: Vec<String>, grace: Option<Duration>, cap: Option<Duration>) {
        for id in ids {
            // A task being killed is not checked any more.
            self.checkers.remove(&id);
            let Some(t) = self.tasks.get(&id) else {
                continue;
            };
            let container = t.container.clone();
            let mut g = grace
                .or_else(|| {
                    t.info
                        .kill_policy
                        .as_ref()
                        .and_then(|p| p.grace_period)
                        .map(|d| Duration::from_nanos(d.nanoseconds.max(0) as u64))
                })
                .unwrap_or(DEFAULT_KILL_GRACE);
            if let Some(c) = cap {
                g = g.min(c);
            }
            if self.killing_state {
                let st = self.status(&id, TaskState::Killing, Some(&container));
                self.send(st);
            }
            info!(
                "Killing task {id} (container {}) with a grace period of {}",
                container.chain(),
                crate::duration::format_mesos_duration(g)
            );
            let agent = self.agent.clone();
            tokio::spawn(async move {
                if let Err(e) = agent.kill(&container, libc::SIGTERM).await {
                    warn!(
                        "Failed to send SIGTERM to container {}: {e}",
                        container.chain()
                    );
                }
                tokio::time::sleep(g).await;
                // Gone by now is fine: the agent answers an error we ignore.
                let _ = agent.kill(&container, libc::SIGKILL).await;
            });
        }
    }

    fn terminal(&mut self, id: &str, t: Terminal) {
        info!("Task {id} is in {}: {}", t.state, t.message);
        self.checkers.remove(id);
        let container = self.tasks.get(id).and_then(|x| match x.phase {
            Phase::Done(_)
                if !matches!(t.reason.as_deref(), Some("REASON_CONTAINER_LAUNCH_FAILED")) =>
            {
                Some(x.container.clone())
            }
            _ => None,
        });
        let mut st = self.status(id, t.state.clone(), container.as_ref());
        st.message = Some(t.message.clone());
        st.reason = t.reason.clone();
        if self.unhealthy {
            // A task of this executor was killed by its health check.
            st.healthy = Some(false);
        }
        self.send(st);
        if !t.kill.is_empty() {
            info!(
                "Task {id} failed: killing the rest of its task group [{}]",
                t.kill.join(", ")
            );
            self.kill(t.kill, None);
        }
    }

    fn status(&self, id: &str, state: TaskState, container: Option<&ContainerId>) -> V1TaskStatus {
        V1TaskStatus {
            task_id: Id::new(id),
            state,
            source: Some("SOURCE_EXECUTOR".into()),
            agent_id: self.agent_id.clone(),
            executor_id: Some(Id::new(self.s.executor_id.clone())),
            timestamp: crate::daemon::now_secs(),
            uuid: Some(
                base64::engine::general_purpose::STANDARD.encode(uuid::Uuid::new_v4().as_bytes()),
            ),
            container_status: container.map(|c| ContainerStatus {
                container_id: Some(c.clone()),
                ..ContainerStatus::default()
            }),
            other: self
                .check_status_of(id)
                .into_iter()
                .map(|c| ("check_status".to_string(), c))
                .collect(),
            ..V1TaskStatus::default()
        }
    }

    /// What a task with a valid check reports as `check_status` on every
    /// update: its last result, else "no result yet".
    fn check_status_of(&self, id: &str) -> Option<Value> {
        if let Some(c) = self.check_statuses.get(id) {
            return Some(c.clone());
        }
        let check = self.tasks.get(id)?.info.check.as_ref()?;
        Some(check.probe().ok()?.no_result().status_info())
    }

    /// Record the update as pending and queue it for sending.
    fn send(&mut self, status: V1TaskStatus) {
        self.pending.lock().unwrap().updates.push(Update {
            status: status.clone(),
        });
        if self.disconnected_since.is_none() {
            let _ = self.updates.send(status);
        }
    }

    /// `Some(exit code)` when the executor is done.
    fn finished(&mut self) -> Option<u8> {
        if let Some(since) = self.disconnected_since {
            if self.subscribed_once && !self.s.checkpoint {
                warn!("Lost the agent and the framework does not checkpoint: shutting down");
                return Some(1);
            }
            let start = if self.subscribed_once {
                since
            } else {
                self.started
            };
            if start.elapsed() > self.s.recovery_timeout {
                warn!(
                    "Could not reach the agent for {}: shutting down",
                    crate::duration::format_mesos_duration(self.s.recovery_timeout)
                );
                return Some(1);
            }
        }
        let idle = self.tasks.active() == 0 && (!self.tasks.is_empty() || self.shutting_down);
        if !idle {
            self.done_since = None;
            return None;
        }
        let since = *self.done_since.get_or_insert_with(Instant::now);
        let unacked = self.pending.lock().unwrap().updates.len();
        if unacked == 0 {
            info!("No tasks remain: exiting");
            return Some(0);
        }
        if since.elapsed() > ACK_WAIT {
            warn!("Exiting with {unacked} status update(s) not acknowledged");
            return Some(0);
        }
        None
    }
}

/// `<executor sandbox>/tasks/<task id>` -> `../containers/<child id>` (the
/// nested container's sandbox), as Mesos' default executor links it.
fn link_task_sandbox(sandbox: &Path, task_id: &str, child: &str) {
    if task_id.is_empty() || task_id.contains('/') || task_id == "." || task_id == ".." {
        warn!("Not linking a sandbox for task id '{task_id}' (not a file name)");
        return;
    }
    let dir = sandbox.join("tasks");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        warn!("Cannot create {}: {e}", dir.display());
        return;
    }
    let link = dir.join(task_id);
    let target = Path::new("..").join("containers").join(child);
    if let Err(e) = std::os::unix::fs::symlink(&target, &link) {
        warn!(
            "Cannot link {} to {}: {e}",
            link.display(),
            target.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_task_sandbox_link_points_into_the_executor_sandbox() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("containers/c1")).unwrap();
        std::fs::write(dir.path().join("containers/c1/stdout"), "hi\n").unwrap();
        link_task_sandbox(dir.path(), "web", "c1");
        let out = std::fs::read_to_string(dir.path().join("tasks/web/stdout")).unwrap();
        assert_eq!(out, "hi\n");
        assert_eq!(
            std::fs::read_link(dir.path().join("tasks/web")).unwrap(),
            Path::new("../containers/c1")
        );
        link_task_sandbox(dir.path(), "../evil", "c1");
        assert!(!dir.path().join("evil").exists());
    }
}
