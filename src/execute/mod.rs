//! `mesos execute`: a one-off v1 HTTP scheduler (docs/wire-notes.md#scheduler-api).
//!
//! One run = one framework: SUBSCRIBE, take offers that fit (constraints,
//! Docker support, resources), ACCEPT with LAUNCH (or LAUNCH_GROUP with a
//! DEFAULT executor), DECLINE the rest and SUPPRESS once everything is
//! launched, ACKNOWLEDGE every status update that carries a uuid, and
//! TEARDOWN at the end, on errors and on Ctrl-C (after killing the tasks).
//! With `--detach` the framework gets a failover timeout and is left
//! registered once the tasks run, so `mesos kill` can re-subscribe as it.
//!
//! Exit codes ([`Runner::exit_code`]): 0 when every task FINISHED; the
//! task's status for `TASK_FAILED` "Command exited with status N"; 1 for
//! other failures and when no offer fits within `--offer-timeout`; 3 when
//! some of several tasks failed; 130 (143) after SIGINT (SIGTERM).

pub mod follow;
pub mod offers;
pub mod spec;

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::time::Duration;

use reqwest::Url;
use serde_json::{json, Value as Json};
use tokio::time::Instant;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::resources::Resources;
use crate::scheduler_client::{Events, Scheduler};
use follow::{Follower, Target};
use offers::{agent_attributes, agent_base_url, check_constraints, shortfall, Constraint, Pool};
use spec::{Containerizer, Plan, TaskPlan};

/// Label put on every framework `mesos execute` registers; `mesos kill`
/// only re-subscribes as frameworks carrying it.
pub const FRAMEWORK_LABEL: &str = "mesos-cli.execute";
/// Its value for frameworks left running by `--detach`.
pub const LABEL_DETACHED: &str = "detached";

/// Declined offers we cannot use at all come back after this long.
const REFUSE_LONG: f64 = 3600.0;
/// Offers that were too small are looked at again after this long.
const REFUSE_SHORT: f64 = 1.0;
/// After a kill, wait this long (plus the grace period) for the terminal state.
const KILL_WAIT: Duration = Duration::from_secs(15);
/// How long to let `--follow` drain the files after the task ended.
const FOLLOW_DRAIN: Duration = Duration::from_secs(5);

/// What `mesos execute` was asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    pub framework_name: String,
    pub role: String,
    pub user: String,
    pub principal: Option<String>,
    pub checkpoint: bool,
    pub detach: bool,
    /// Failover timeout of a detached framework.
    pub failover_timeout: Duration,
    pub offer_timeout: Duration,
    pub kill_after: Option<Duration>,
    pub grace: Option<Duration>,
    pub follow: bool,
    pub quiet: bool,
    pub json: bool,
    pub constraints: Vec<Constraint>,
    pub docker: Option<Containerizer>,
    pub plan: Plan,
}

/// Terminal task states (docs/wire-notes.md#task-states): the one
/// definition is [`crate::wire::TaskState::is_terminal_name`].
pub fn is_terminal(state: &str) -> bool {
    crate::wire::TaskState::is_terminal_name(state)
}

/// `Command exited with status N` -> N.
pub fn exit_status(message: &str) -> Option<i32> {
    let rest = &message[message.find("exited with status ")? + "exited with status ".len()..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

/// The current OS user (for `FrameworkInfo.user`).
pub fn current_user() -> String {
    for k in ["USER", "LOGNAME"] {
        if let Ok(u) = std::env::var(k) {
            if !u.is_empty() {
                return u;
            }
        }
    }
    // SAFETY: getpwuid_r with a buffer we own; the result is copied out.
    unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut res: *mut libc::passwd = std::ptr::null_mut();
        let mut buf = vec![0 as libc::c_char; 4096];
        let rc = libc::getpwuid_r(
            libc::geteuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut res,
        );
        if rc == 0 && !res.is_null() && !pwd.pw_name.is_null() {
            return std::ffi::CStr::from_ptr(pwd.pw_name)
                .to_string_lossy()
                .into_owned();
        }
        format!("{}", libc::geteuid())
    }
}

/// This machine's hostname (for `FrameworkInfo.hostname`).
pub fn local_hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most buf.len() bytes into our buffer.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr() as *mut libc::c_char, buf.len()) };
    if rc != 0 {
        return "localhost".into();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

/// The FrameworkInfo `mesos execute` subscribes with.
pub fn framework_info(o: &Options) -> Json {
    let mut info = json!({
        "user": o.user,
        "name": o.framework_name,
        "hostname": local_hostname(),
        "role": o.role,
        "failover_timeout": if o.detach { o.failover_timeout.as_secs_f64() } else { 0.0 },
        "checkpoint": o.checkpoint,
        "capabilities": [{"type": "TASK_KILLING_STATE"}],
        "labels": {"labels": [{"key": FRAMEWORK_LABEL, "value": if o.detach { LABEL_DETACHED } else { "attached" }}]},
    });
    if let Some(p) = &o.principal {
        info["principal"] = json!(p);
    }
    info
}

/// Colour for a state on a terminal stderr (never with NO_COLOR).
fn paint(state: &str) -> String {
    let tty = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if !tty {
        return state.to_string();
    }
    let code = match state {
        "TASK_FINISHED" => "32",
        "TASK_RUNNING" => "36",
        s if is_terminal(s) => "31",
        _ => "33",
    };
    format!("\x1b[{code}m{state}\x1b[0m")
}

/// Why an agent's offers were not used.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    /// The task asked for another agent (`agent_id` in `--task`).
    Agent,
    Constraint,
    Docker,
    Resources,
}

#[derive(Clone, Debug)]
struct Rejection {
    hostname: String,
    stage: Stage,
    detail: String,
}

/// One task being run.
struct Task {
    plan: TaskPlan,
    launched: bool,
    agent_id: String,
    hostname: String,
    agent_url: Option<Url>,
    state: Option<String>,
    last: Option<Json>,
    kill_at: Option<Instant>,
    kill_sent: bool,
    /// Never launched: why.
    unplaced: Option<String>,
    follower: Option<Follower>,
    followed: bool,
}

impl Task {
    fn id(&self) -> &str {
        self.plan.id()
    }
    fn terminal(&self) -> bool {
        self.state.as_deref().is_some_and(is_terminal)
    }
    /// Nothing more will happen to it.
    fn done(&self) -> bool {
        self.unplaced.is_some() || self.terminal()
    }
    fn pending(&self) -> bool {
        !self.launched && self.unplaced.is_none()
    }
}

/// The running scheduler.
pub struct Runner {
    o: Options,
    http: HttpClient,
    sched: Scheduler,
    events: Events,
    master: String,
    scheme: String,
    leader_url: Url,
    tasks: Vec<Task>,
    offer_deadline: Instant,
    suppressed: bool,
    rejections: BTreeMap<String, Rejection>,
    docker_cache: HashMap<String, std::result::Result<(), String>>,
    interrupted: Option<(u8, Instant)>,
    force_stop: bool,
    detached: bool,
    failure: Option<Error>,
    signals: Signals,
}

/// Subscribe and run to the end. Returns the exit code; errors before the
/// framework exists are returned as `Err`.
pub async fn execute(ctx: &Context, o: Options) -> Result<u8> {
    use tokio::signal::unix::{signal, SignalKind};
    let http = ctx.http()?;
    let leader = ctx.leader(&http).await?;
    let info = framework_info(&o);
    // Listen for signals before the framework exists, so that an interrupt
    // while subscribing still ends with a TEARDOWN.
    let mut signals = Signals {
        int: signal(SignalKind::interrupt()).ok(),
        term: signal(SignalKind::terminate()).ok(),
    };
    let mut early_signal = None;
    let subscribed = {
        let subscribe = Scheduler::subscribe(&http, &leader.url, info);
        tokio::pin!(subscribe);
        loop {
            tokio::select! {
                r = &mut subscribe => break r,
                code = signals.next(), if early_signal.is_none() => early_signal = Some(code),
            }
        }
    };
    let (sched, events, _subscribed) =
        subscribed.map_err(|e| e.context("cannot subscribe the framework"))?;
    if let Some(code) = early_signal {
        let _ = sched.teardown().await;
        crate::output::status(format!(
            "interrupted: framework {} torn down",
            sched.framework_id
        ));
        return Ok(code);
    }
    let tasks = o
        .plan
        .tasks()
        .into_iter()
        .map(|p| Task {
            plan: p.clone(),
            launched: false,
            agent_id: String::new(),
            hostname: String::new(),
            agent_url: None,
            state: None,
            last: None,
            kill_at: None,
            kill_sent: false,
            unplaced: None,
            follower: None,
            followed: false,
        })
        .collect();
    let mut r = Runner {
        offer_deadline: Instant::now() + o.offer_timeout,
        o,
        http,
        sched,
        events,
        master: leader.leader.clone(),
        scheme: ctx.scheme.clone(),
        leader_url: leader.url.clone(),
        tasks,
        suppressed: false,
        rejections: BTreeMap::new(),
        docker_cache: HashMap::new(),
        interrupted: None,
        force_stop: false,
        detached: false,
        failure: None,
        signals,
    };
    r.say(format!(
        "framework {} ({}) subscribed to {}",
        r.sched.framework_id, r.o.framework_name, r.master
    ));
    r.run().await;
    Ok(r.finish().await)
}

impl Runner {
    fn say(&self, msg: impl AsRef<str>) {
        if !self.o.quiet {
            crate::output::status(msg);
        }
    }

    fn all_done(&self) -> bool {
        self.tasks.iter().all(Task::done)
    }

    /// With `--detach`: every task runs (or ended) and something runs.
    fn ready_to_detach(&self) -> bool {
        self.o.detach
            && self.interrupted.is_none()
            && self
                .tasks
                .iter()
                .all(|t| t.done() || t.state.as_deref() == Some("TASK_RUNNING"))
            && self
                .tasks
                .iter()
                .any(|t| t.state.as_deref() == Some("TASK_RUNNING"))
    }

    fn next_deadline(&self) -> Instant {
        let mut d = Instant::now() + Duration::from_secs(3600);
        if self.tasks.iter().any(Task::pending) {
            d = d.min(self.offer_deadline);
        }
        for t in &self.tasks {
            if let (Some(k), false, false) = (t.kill_at, t.kill_sent, t.terminal()) {
                d = d.min(k);
            }
        }
        if let Some((_, until)) = self.interrupted {
            d = d.min(until);
        }
        d
    }

    async fn run(&mut self) {
        loop {
            if self.all_done() || self.force_stop || self.failure.is_some() {
                return;
            }
            if self.ready_to_detach() {
                self.detached = true;
                return;
            }
            let deadline = self.next_deadline();
            tokio::select! {
                ev = self.events.next() => match ev {
                    Ok(Some(e)) => {
                        if let Err(e) = self.on_event(e).await {
                            self.failure = Some(e);
                        }
                    }
                    Ok(None) => {
                        self.failure = Some(Error::failed(format!(
                            "the master {} closed the event stream of framework {}",
                            self.master, self.sched.framework_id
                        )));
                    }
                    Err(e) => self.failure = Some(e.context("lost the connection to the master")),
                },
                code = self.signals.next() => self.on_signal(code).await,
                _ = tokio::time::sleep_until(deadline) => {
                    if let Err(e) = self.on_timer().await {
                        self.failure = Some(e);
                    }
                }
            }
        }
    }

    async fn on_event(&mut self, e: Json) -> Result<()> {
        match e.get("type").and_then(Json::as_str).unwrap_or("") {
            "OFFERS" => {
                let offers = e
                    .pointer("/offers/offers")
                    .and_then(Json::as_array)
                    .cloned()
                    .unwrap_or_default();
                self.on_offers(offers).await
            }
            "UPDATE" => {
                let status = e.pointer("/update/status").cloned().unwrap_or(Json::Null);
                self.on_update(status).await
            }
            "FAILURE" => {
                let f = e.get("failure").cloned().unwrap_or(Json::Null);
                let agent = f
                    .pointer("/agent_id/value")
                    .and_then(Json::as_str)
                    .unwrap_or("?");
                match f.pointer("/executor_id/value").and_then(Json::as_str) {
                    Some(ex) => self.say(format!(
                        "executor '{ex}' on agent {agent} terminated (status {})",
                        f.get("status")
                            .map(|s| s.to_string())
                            .unwrap_or_else(|| "?".into())
                    )),
                    None => self.say(format!("agent {agent} was lost")),
                }
                Ok(())
            }
            "ERROR" => Err(Error::failed(format!(
                "the master sent an ERROR: {}",
                e.pointer("/error/message")
                    .and_then(Json::as_str)
                    .unwrap_or("(no message)")
            ))),
            // HEARTBEAT, RESCIND (offers are never kept), MESSAGE, INVERSE_OFFERS, ...
            _ => Ok(()),
        }
    }

    /// Whether an agent can run `--docker-image` tasks, from its flags.
    async fn docker_support(
        &mut self,
        agent_id: &str,
        agent: Option<&Url>,
    ) -> std::result::Result<(), String> {
        let Some(kind) = self.o.docker else {
            return Ok(());
        };
        if let Some(r) = self.docker_cache.get(agent_id) {
            return r.clone();
        }
        let r = match agent {
            None => Ok(()),
            Some(url) => {
                let u = crate::leader::endpoint(url, "/slave(1)/flags");
                match self.http.get_json::<Json>(&u).await {
                    // Unknown (e.g. flags not readable): let the agent decide.
                    Err(_) => Ok(()),
                    Ok(v) => docker_verdict(kind, v.get("flags").unwrap_or(&Json::Null)),
                }
            }
        };
        self.docker_cache.insert(agent_id.to_string(), r.clone());
        r
    }

    async fn on_offers(&mut self, offers: Vec<Json>) -> Result<()> {
        for offer in offers {
            let oid = offer.get("id").cloned().unwrap_or(Json::Null);
            let pending: Vec<usize> = (0..self.tasks.len())
                .filter(|&i| self.tasks[i].pending() && self.interrupted.is_none())
                .collect();
            if pending.is_empty() {
                self.sched.decline(&[oid], REFUSE_LONG).await?;
                continue;
            }
            let agent_id = offer
                .pointer("/agent_id/value")
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string();
            let hostname = offer
                .get("hostname")
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string();
            let agent_url = agent_base_url(&offer, &self.scheme);
            let reject = |stage: Stage, detail: String| Rejection {
                hostname: hostname.clone(),
                stage,
                detail,
            };
            let remaining = self
                .offer_deadline
                .saturating_duration_since(Instant::now())
                .as_secs_f64()
                + 1.0;
            // 1. Pinned agent, constraints, Docker support.
            if pending.iter().all(|&i| {
                self.tasks[i]
                    .plan
                    .agent_id
                    .as_deref()
                    .is_some_and(|a| a != agent_id)
            }) {
                let want = self.tasks[pending[0]]
                    .plan
                    .agent_id
                    .clone()
                    .unwrap_or_default();
                self.rejections.insert(
                    agent_id.clone(),
                    reject(Stage::Agent, format!("the task asks for agent {want}")),
                );
                self.sched.decline(&[oid], remaining).await?;
                continue;
            }
            let attrs = agent_attributes(&hostname, offer.get("attributes").unwrap_or(&Json::Null));
            if let Err(why) = check_constraints(&attrs, &self.o.constraints) {
                self.rejections
                    .insert(agent_id.clone(), reject(Stage::Constraint, why));
                self.sched.decline(&[oid], remaining).await?;
                continue;
            }
            if let Err(why) = self.docker_support(&agent_id, agent_url.as_ref()).await {
                self.rejections
                    .insert(agent_id.clone(), reject(Stage::Docker, why));
                self.sched.decline(&[oid], remaining).await?;
                continue;
            }
            // 2. Resources.
            let mut pool = Pool::from_offer(&offer, &self.o.role);
            let offered = pool.summary();
            let agent_json = json!({ "value": agent_id });
            let mut launched: Vec<usize> = Vec::new();
            let operation = match &self.o.plan {
                Plan::Tasks(_) => {
                    let mut infos = Vec::new();
                    for &i in &pending {
                        let t = &self.tasks[i];
                        if t.plan.agent_id.as_deref().is_some_and(|a| a != agent_id) {
                            continue;
                        }
                        if let Some(res) = pool.take(&t.plan.need) {
                            let mut info = t.plan.info.clone();
                            info["agent_id"] = agent_json.clone();
                            info["resources"] = Json::Array(res);
                            infos.push(info);
                            launched.push(i);
                        }
                    }
                    json!({"type": "LAUNCH", "launch": {"task_infos": infos}})
                }
                Plan::Group(g) => {
                    let mut p = pool.clone();
                    let exec_res = p.take(&g.executor_need);
                    let mut infos = Vec::new();
                    let mut ok = exec_res.is_some();
                    for &i in &pending {
                        if !ok {
                            break;
                        }
                        match p.take(&self.tasks[i].plan.need) {
                            Some(res) => {
                                let mut info = self.tasks[i].plan.info.clone();
                                info["agent_id"] = agent_json.clone();
                                info["resources"] = Json::Array(res);
                                infos.push(info);
                                launched.push(i);
                            }
                            None => ok = false,
                        }
                    }
                    if ok {
                        pool = p;
                        let mut executor = g.executor.clone();
                        executor["framework_id"] = json!({ "value": self.sched.framework_id });
                        executor["resources"] = Json::Array(exec_res.unwrap_or_default());
                        json!({"type": "LAUNCH_GROUP", "launch_group": {"executor": executor, "task_group": {"tasks": infos}}})
                    } else {
                        launched.clear();
                        Json::Null
                    }
                }
            };
            if launched.is_empty() {
                let mut need = Resources::new();
                match &self.o.plan {
                    Plan::Tasks(_) => need.add(&self.tasks[pending[0]].plan.need),
                    Plan::Group(g) => {
                        need.add(&g.executor_need);
                        for &i in &pending {
                            need.add(&self.tasks[i].plan.need);
                        }
                    }
                }
                let detail = format!("offered {offered} ({})", shortfall(&need, &offered));
                self.rejections
                    .insert(agent_id.clone(), reject(Stage::Resources, detail));
                self.sched.decline(&[oid], REFUSE_SHORT).await?;
                continue;
            }
            let still_pending = pending.len() > launched.len();
            let refuse = if still_pending {
                REFUSE_SHORT
            } else {
                REFUSE_LONG
            };
            self.sched
                .call(json!({"type": "ACCEPT", "accept": {
                    "offer_ids": [oid],
                    "operations": [operation],
                    "filters": {"refuse_seconds": refuse}
                }}))
                .await
                .map_err(|e| e.context("ACCEPT failed"))?;
            self.rejections.remove(&agent_id);
            let ids: Vec<String> = launched
                .iter()
                .map(|&i| self.tasks[i].id().to_string())
                .collect();
            for &i in &launched {
                let t = &mut self.tasks[i];
                t.launched = true;
                t.agent_id = agent_id.clone();
                t.hostname = hostname.clone();
                t.agent_url = agent_url.clone();
            }
            let what = match (&self.o.plan, ids.len()) {
                (Plan::Group(_), _) => format!("task group [{}]", ids.join(", ")),
                (_, 1) => format!("task {}", ids[0]),
                _ => format!("tasks {}", ids.join(", ")),
            };
            self.say(format!(
                "{what}: submitted to agent {hostname} ({agent_id})"
            ));
        }
        if !self.suppressed && !self.tasks.iter().any(Task::pending) {
            self.suppressed = true;
            self.sched.suppress().await?;
        }
        Ok(())
    }

    async fn on_update(&mut self, status: Json) -> Result<()> {
        // Acknowledge first: the agent keeps resending until we do.
        if status.get("uuid").is_some() {
            self.sched
                .acknowledge(&status)
                .await
                .map_err(|e| e.context("ACKNOWLEDGE failed"))?;
        }
        let tid = status
            .pointer("/task_id/value")
            .and_then(Json::as_str)
            .unwrap_or("");
        let Some(i) = self.tasks.iter().position(|t| t.id() == tid) else {
            return Ok(());
        };
        let state = status
            .get("state")
            .and_then(Json::as_str)
            .unwrap_or("TASK_UNKNOWN")
            .to_string();
        let message = status
            .get("message")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string();
        let reason = status
            .get("reason")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string();
        let source = status
            .get("source")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string();
        let t = &mut self.tasks[i];
        let repeat = t.state.as_deref() == Some(state.as_str())
            && t.last
                .as_ref()
                .and_then(|l| l.get("message"))
                .and_then(Json::as_str)
                .unwrap_or("")
                == message;
        if t.terminal() && !is_terminal(&state) {
            return Ok(()); // a stale retry
        }
        if t.agent_id.is_empty() {
            if let Some(a) = status.pointer("/agent_id/value").and_then(Json::as_str) {
                t.agent_id = a.to_string();
            }
        }
        t.state = Some(state.clone());
        t.last = Some(status.clone());
        // Print the task's last output before its terminal state.
        if is_terminal(&state) {
            if let Some(f) = t.follower.take() {
                f.finish(FOLLOW_DRAIN).await;
            }
        }
        if !repeat {
            let mut line = format!("task {tid}: {}", paint(&state));
            let failing = is_terminal(&state) && state != "TASK_FINISHED";
            if failing && (!reason.is_empty() || !source.is_empty()) {
                let parts: Vec<&str> = [reason.as_str(), source.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect();
                line.push_str(&format!(" ({})", parts.join(", ")));
            }
            if !message.is_empty() {
                line.push_str(&format!(": {message}"));
            }
            self.say(line);
        }
        let several = self.tasks.len() > 1;
        let t = &mut self.tasks[i];
        if state == "TASK_RUNNING" && t.kill_at.is_none() {
            if let Some(d) = self.o.kill_after {
                t.kill_at = Some(Instant::now() + d);
            }
        }
        // --follow: start once the sandbox can exist (not for master-made failures).
        if self.o.follow && !t.followed && source != "SOURCE_MASTER" && t.agent_url.is_some() {
            t.followed = true;
            let (executor_id, subdir) = match &self.o.plan {
                Plan::Group(_) => (
                    spec::DEFAULT_EXECUTOR_ID.to_string(),
                    format!("tasks/{tid}"),
                ),
                Plan::Tasks(_) => (
                    status
                        .pointer("/executor_id/value")
                        .and_then(Json::as_str)
                        .unwrap_or(tid)
                        .to_string(),
                    String::new(),
                ),
            };
            let prefix = several.then(|| format!("[{tid}] "));
            let target = Target {
                agent: t.agent_url.clone().expect("checked"),
                framework_id: self.sched.framework_id.clone(),
                executor_id,
                subdir,
                prefix,
            };
            t.follower = Some(Follower::spawn(self.http.clone(), target));
        }
        if is_terminal(&state) {
            if let Some(f) = self.tasks[i].follower.take() {
                f.finish(FOLLOW_DRAIN).await;
            }
        }
        Ok(())
    }

    async fn on_timer(&mut self) -> Result<()> {
        let now = Instant::now();
        // --kill-after.
        for i in 0..self.tasks.len() {
            let t = &self.tasks[i];
            if t.kill_at.is_some_and(|k| k <= now) && !t.kill_sent && !t.terminal() {
                let (id, agent) = (t.id().to_string(), t.agent_id.clone());
                self.say(format!(
                    "task {id}: killing it after --kill-after {}",
                    crate::duration::format_duration(self.o.kill_after.unwrap_or_default())
                ));
                self.kill(&id, &agent).await?;
                self.tasks[i].kill_sent = true;
            }
        }
        // --offer-timeout.
        if self.tasks.iter().any(Task::pending) && now >= self.offer_deadline {
            let why = self.no_offer_reason().await;
            for t in self.tasks.iter_mut().filter(|t| t.pending()) {
                t.unplaced = Some(why.clone());
            }
            if !self.suppressed {
                self.suppressed = true;
                let _ = self.sched.suppress().await;
            }
            if !self.tasks.iter().any(|t| t.launched) {
                return Err(Error::failed(format!(
                    "no offer fit within --offer-timeout {}: {why}",
                    crate::duration::format_duration(self.o.offer_timeout)
                )));
            }
            crate::output::warn(format!(
                "{} task(s) could not be placed within --offer-timeout: {why}",
                self.tasks.iter().filter(|t| t.unplaced.is_some()).count()
            ));
        }
        // Interrupted and the kills take too long.
        if let Some((_, until)) = self.interrupted {
            if now >= until {
                crate::output::warn(
                    "the tasks did not end in time after the kill; tearing the framework down",
                );
                self.force_stop = true;
            }
        }
        Ok(())
    }

    async fn kill(&self, task_id: &str, agent_id: &str) -> Result<()> {
        let mut k = json!({"task_id": {"value": task_id}});
        if !agent_id.is_empty() {
            k["agent_id"] = json!({ "value": agent_id });
        }
        if let Some(g) = self.o.grace {
            k["kill_policy"] = json!({ "grace_period": spec::duration_info(g) });
        }
        self.sched
            .call(json!({"type": "KILL", "kill": k}))
            .await
            .map_err(|e| e.context("KILL failed"))
    }

    async fn on_signal(&mut self, code: u8) {
        if self.interrupted.is_some() {
            self.say("interrupted again: tearing the framework down");
            self.force_stop = true;
            return;
        }
        for t in self.tasks.iter_mut().filter(|t| t.pending()) {
            t.unplaced = Some("interrupted before it was launched".into());
        }
        let live: Vec<(String, String)> = self
            .tasks
            .iter()
            .filter(|t| t.launched && !t.terminal())
            .map(|t| (t.id().to_string(), t.agent_id.clone()))
            .collect();
        let wait = KILL_WAIT + self.o.grace.unwrap_or_default();
        self.interrupted = Some((code, Instant::now() + wait));
        if live.is_empty() {
            self.force_stop = true;
            return;
        }
        self.say(format!(
            "interrupted: killing {} task(s) (interrupt again to stop waiting)",
            live.len()
        ));
        for (id, agent) in live {
            if let Err(e) = self.kill(&id, &agent).await {
                crate::output::warn(e.message);
                self.force_stop = true;
            }
        }
    }

    /// Why nothing fit, for `--offer-timeout`.
    async fn no_offer_reason(&self) -> String {
        if self.rejections.is_empty() {
            let url = crate::leader::endpoint(&self.leader_url, "/master/slaves");
            return match self.http.get_json::<Json>(&url).await {
                Ok(v) => {
                    let n = v
                        .get("slaves")
                        .and_then(Json::as_array)
                        .map(|a| {
                            a.iter()
                                .filter(|s| s.get("active").and_then(Json::as_bool) != Some(false))
                                .count()
                        })
                        .unwrap_or(0);
                    if n == 0 {
                        format!("no agents are registered with the master {}", self.master)
                    } else {
                        format!(
                            "no offers from the {n} agent(s): their resources are in use or offered to other frameworks (role {})",
                            self.o.role
                        )
                    }
                }
                Err(_) => "no offers were received".to_string(),
            };
        }
        let best = self
            .rejections
            .values()
            .map(|r| r.stage.clone())
            .max()
            .expect("not empty");
        let of_stage: Vec<String> = self
            .rejections
            .values()
            .filter(|r| r.stage == best)
            .map(|r| format!("{}: {}", r.hostname, r.detail))
            .collect();
        let details = of_stage.join("; ");
        match best {
            Stage::Agent => format!("the task is pinned to another agent ({details})"),
            Stage::Constraint => {
                let cs: Vec<String> = self.o.constraints.iter().map(|c| c.to_string()).collect();
                format!(
                    "constraint unmet: no agent matches --constraint {} ({details})",
                    cs.join(" --constraint ")
                )
            }
            Stage::Docker => format!("no agent offers a Docker containerizer ({details})"),
            Stage::Resources => format!(
                "not enough resources: {} needs {}; {details}",
                self.what_needs(),
                self.total_need()
            ),
        }
    }

    /// "the task" / "each task" / "the task group".
    fn what_needs(&self) -> &'static str {
        match (&self.o.plan, self.tasks.len()) {
            (Plan::Group(_), _) => "the task group (with its executor)",
            (_, 1) => "the task",
            _ => "each task",
        }
    }

    /// What one launch needs (role-less), for messages.
    fn total_need(&self) -> Resources {
        let mut need = Resources::new();
        match &self.o.plan {
            Plan::Group(g) => {
                need.add(&g.executor_need);
                for t in &g.tasks {
                    need.add(&t.need);
                }
            }
            Plan::Tasks(ts) => {
                if let Some(t) = ts.first() {
                    need.add(&t.need);
                }
            }
        }
        need.with_role("*")
    }

    /// Whether [`Runner::exit_code`] is the tasks' own exit status (they all
    /// failed with the same "Command exited with status N") rather than one
    /// of the tool's codes.
    fn exit_code_is_tasks(&self) -> bool {
        let code = self.exit_code();
        self.interrupted.is_none()
            && self.failure.is_none()
            && !self.tasks.is_empty()
            && self
                .tasks
                .iter()
                .all(|t| task_exit_status(t) == Some(i32::from(code)) && code != 0)
    }

    fn exit_code(&self) -> u8 {
        if let Some((code, _)) = self.interrupted {
            return code;
        }
        if self.failure.is_some() {
            return crate::error::EXIT_ERROR;
        }
        let ok = |t: &Task| match t.state.as_deref() {
            Some("TASK_FINISHED") => true,
            Some("TASK_RUNNING") => self.detached,
            _ => false,
        };
        let failed: Vec<&Task> = self.tasks.iter().filter(|t| !ok(t)).collect();
        if failed.is_empty() {
            return crate::error::EXIT_OK;
        }
        if failed.len() < self.tasks.len() {
            return crate::error::EXIT_PARTIAL;
        }
        // All failed: the exit status when they agree on one.
        let codes: Vec<Option<i32>> = failed.iter().map(|t| task_exit_status(t)).collect();
        match codes.first() {
            Some(Some(c)) if codes.iter().all(|x| *x == Some(*c)) && (1..=255).contains(c) => {
                *c as u8
            }
            _ => crate::error::EXIT_ERROR,
        }
    }

    /// One-line summary of what failed (for the `error:` line).
    fn failure_summary(&self) -> Option<String> {
        if self.interrupted.is_some() {
            return None;
        }
        // Group tasks that failed the same way: "tasks a, b TASK_ERROR (...): why".
        let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
        for t in self.tasks.iter().filter(|t| {
            !(t.state.as_deref() == Some("TASK_FINISHED")
                || (self.detached && t.state.as_deref() == Some("TASK_RUNNING")))
        }) {
            let how = match (&t.unplaced, &t.last) {
                (Some(why), _) => format!("not launched: {why}"),
                (None, Some(s)) => {
                    let mut x = s
                        .get("state")
                        .and_then(Json::as_str)
                        .unwrap_or("?")
                        .to_string();
                    if let Some(r) = s.get("reason").and_then(Json::as_str) {
                        x.push_str(&format!(" ({r})"));
                    }
                    if let Some(m) = s
                        .get("message")
                        .and_then(Json::as_str)
                        .filter(|m| !m.is_empty())
                    {
                        x.push_str(&format!(": {m}"));
                    }
                    x
                }
                (None, None) => "has no status".to_string(),
            };
            match groups.iter_mut().find(|(h, _)| *h == how) {
                Some((_, ids)) => ids.push(t.id()),
                None => groups.push((how, vec![t.id()])),
            }
        }
        let n: usize = groups.iter().map(|(_, ids)| ids.len()).sum();
        let parts: Vec<String> = groups
            .iter()
            .map(|(how, ids)| match ids.len() {
                1 => format!("task {} {how}", ids[0]),
                _ => format!("tasks {} {how}", ids.join(", ")),
            })
            .collect();
        match n {
            0 => None,
            _ if self.tasks.len() == 1 => Some(parts.join("; ")),
            _ => Some(format!(
                "{n} of {} tasks failed: {}",
                self.tasks.len(),
                parts.join("; ")
            )),
        }
    }

    /// The `--json` document.
    fn report(&self, code: u8) -> Json {
        let tasks: Vec<Json> = self
            .tasks
            .iter()
            .map(|t| {
                let s = t.last.as_ref();
                let field = |k: &str| s.and_then(|s| s.get(k)).cloned().unwrap_or(Json::Null);
                json!({
                    "task_id": t.id(),
                    "name": t.plan.name(),
                    "agent_id": if t.agent_id.is_empty() { Json::Null } else { json!(t.agent_id) },
                    "agent_hostname": if t.hostname.is_empty() { Json::Null } else { json!(t.hostname) },
                    "state": t.state,
                    "exit_status": task_exit_status(t),
                    "reason": field("reason"),
                    "message": field("message"),
                    "source": field("source"),
                    "error": t.unplaced,
                    "status": s.cloned().unwrap_or(Json::Null),
                })
            })
            .collect();
        json!({
            "framework_id": self.sched.framework_id,
            "framework_name": self.o.framework_name,
            "master": self.master,
            "role": self.o.role,
            "detached": self.detached,
            "interrupted": self.interrupted.is_some(),
            "exit_code": code,
            "exit_code_source": if self.exit_code_is_tasks() { "task" } else { "mesos" },
            "error": self.failure.as_ref().map(|e| e.message.clone()),
            "tasks": tasks,
        })
    }

    /// Stop followers, tear down (unless detached), report. Returns the exit code.
    async fn finish(mut self) -> u8 {
        for t in self.tasks.iter_mut() {
            if let Some(f) = t.follower.take() {
                if self.force_stop || self.failure.is_some() {
                    f.abort();
                } else {
                    f.finish(FOLLOW_DRAIN).await;
                }
            }
        }
        if self.detached {
            let ids: Vec<&str> = self
                .tasks
                .iter()
                .filter(|t| t.launched)
                .map(Task::id)
                .collect();
            self.say(format!(
                "detached: framework {} stays registered for {}; stop with `mesos kill {}`",
                self.sched.framework_id,
                crate::duration::format_duration(self.o.failover_timeout),
                ids.join(" ")
            ));
        } else if let Err(e) = self.sched.teardown().await {
            crate::output::warn(format!(
                "could not tear down framework {}: {} (it is removed when its failover timeout of 0s expires)",
                self.sched.framework_id, e.message
            ));
        }
        let code = self.exit_code();
        if self.o.json {
            let _ = crate::output::Output::new(crate::output::OutputFormat::Json)
                .json_value(&self.report(code));
        } else if self.detached {
            let ids: String = self
                .tasks
                .iter()
                .filter(|t| t.launched)
                .map(|t| format!("{}\n", t.id()))
                .collect();
            let _ = crate::output::write_stdout(ids.as_bytes());
        }
        if let Some(e) = &self.failure {
            crate::report(e);
        } else if code != 0 {
            if let Some(s) = self.failure_summary() {
                crate::report(&Error::failed(s));
            }
        }
        if self.interrupted.is_some() && !self.detached {
            self.say(format!(
                "framework {} torn down after the interrupt",
                self.sched.framework_id
            ));
        }
        code
    }
}

fn task_exit_status(t: &Task) -> Option<i32> {
    let s = t.last.as_ref()?;
    match s.get("state").and_then(Json::as_str) {
        Some("TASK_FINISHED") => Some(0),
        Some("TASK_FAILED") => exit_status(s.get("message").and_then(Json::as_str).unwrap_or("")),
        _ => None,
    }
}

/// Whether agent flags allow a Docker image task of `kind`.
pub fn docker_verdict(kind: Containerizer, flags: &Json) -> std::result::Result<(), String> {
    let list = |k: &str| -> Vec<String> {
        flags
            .get(k)
            .and_then(Json::as_str)
            .unwrap_or("")
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let containerizers = list("containerizers");
    let shown = if containerizers.is_empty() {
        "mesos".to_string()
    } else {
        containerizers.join(",")
    };
    match kind {
        Containerizer::Docker if containerizers.iter().any(|c| c == "docker") => Ok(()),
        Containerizer::Docker => Err(format!("--containerizers={shown}, no docker")),
        Containerizer::Mesos => {
            let providers = list("image_providers");
            let mesos = containerizers.is_empty() || containerizers.iter().any(|c| c == "mesos");
            if mesos && providers.iter().any(|p| p.eq_ignore_ascii_case("docker")) {
                Ok(())
            } else {
                Err(format!(
                    "--containerizers={shown} --image_providers={}, no docker image provider",
                    if providers.is_empty() {
                        "(none)".to_string()
                    } else {
                        providers.join(",")
                    }
                ))
            }
        }
    }
}

/// SIGINT and SIGTERM, as exit codes (130, 143).
struct Signals {
    int: Option<tokio::signal::unix::Signal>,
    term: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    async fn next(&mut self) -> u8 {
        async fn recv(s: &mut Option<tokio::signal::unix::Signal>) -> Option<()> {
            match s {
                Some(s) => s.recv().await,
                None => std::future::pending().await,
            }
        }
        tokio::select! {
            Some(_) = recv(&mut self.int) => 130,
            Some(_) = recv(&mut self.term) => 143,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_status_from_the_executor_message() {
        assert_eq!(exit_status("Command exited with status 7"), Some(7));
        assert_eq!(
            exit_status("Command exited with status 0 (pid: 42)"),
            Some(0)
        );
        assert_eq!(exit_status("Command terminated with signal Killed"), None);
    }

    #[test]
    fn docker_support_from_agent_flags() {
        let f = |c: &str, p: &str| json!({"containerizers": c, "image_providers": p});
        assert!(docker_verdict(Containerizer::Docker, &f("docker,mesos", "")).is_ok());
        assert_eq!(
            docker_verdict(Containerizer::Docker, &f("mesos", "")).unwrap_err(),
            "--containerizers=mesos, no docker"
        );
        assert!(docker_verdict(Containerizer::Mesos, &f("mesos", "appc,docker")).is_ok());
        assert!(docker_verdict(Containerizer::Mesos, &f("mesos", "")).is_err());
    }

    #[test]
    fn terminal_states() {
        assert!(is_terminal("TASK_GONE_BY_OPERATOR"));
        assert!(!is_terminal("TASK_KILLING"));
        assert!(!is_terminal("TASK_UNREACHABLE"));
    }
}
