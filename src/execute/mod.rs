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
mod launch;
pub mod offers;
mod report;
pub mod spec;
mod update;

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use reqwest::Url;
use tokio::time::Instant;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::scheduler_client::{Events, Scheduler};
use crate::wire::agent_v1::V1TaskStatus;
use crate::wire::event::{Event, EventType};
use crate::wire::resources::Label;
use crate::wire::scheduler::{labels_message, Capability, FrameworkInfo};
use follow::Follower;
pub use launch::docker_verdict;
use launch::Rejection;
use offers::Constraint;
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
pub fn framework_info(o: &Options) -> FrameworkInfo {
    FrameworkInfo {
        user: Some(o.user.clone()),
        name: Some(o.framework_name.clone()),
        hostname: Some(local_hostname()),
        role: Some(o.role.clone()),
        failover_timeout: Some(if o.detach {
            o.failover_timeout.as_secs_f64()
        } else {
            0.0
        }),
        checkpoint: Some(o.checkpoint),
        capabilities: vec![Capability::new("TASK_KILLING_STATE")],
        labels: Some(labels_message(vec![Label {
            key: FRAMEWORK_LABEL.into(),
            value: Some(if o.detach { LABEL_DETACHED } else { "attached" }.into()),
        }])),
        principal: o.principal.clone(),
        ..FrameworkInfo::default()
    }
}

/// One task being run.
struct Task {
    plan: TaskPlan,
    launched: bool,
    agent_id: String,
    hostname: String,
    agent_url: Option<Url>,
    state: Option<String>,
    last: Option<V1TaskStatus>,
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

    async fn on_event(&mut self, e: Event) -> Result<()> {
        match e.kind {
            EventType::Offers => {
                self.on_offers(e.offers.map(|o| o.offers).unwrap_or_default())
                    .await
            }
            EventType::Update => match e.update {
                Some(u) => self.on_update(u.status).await,
                None => Ok(()),
            },
            EventType::Failure => {
                let f = e.failure.unwrap_or_default();
                let agent = f.agent_id.as_ref().map_or("?", |a| a.value.as_str());
                match &f.executor_id {
                    Some(ex) => self.say(format!(
                        "executor '{}' on agent {agent} terminated (status {})",
                        ex.value,
                        f.status.map_or_else(|| "?".into(), |s| s.to_string())
                    )),
                    None => self.say(format!("agent {agent} was lost")),
                }
                Ok(())
            }
            EventType::Error => Err(Error::failed(format!(
                "the master sent an ERROR: {}",
                e.error
                    .as_ref()
                    .map_or("(no message)", |e| e.message.as_str())
            ))),
            // HEARTBEAT, RESCIND (offers are never kept), MESSAGE, INVERSE_OFFERS, ...
            _ => Ok(()),
        }
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
        let agent = Some(agent_id).filter(|a| !a.is_empty());
        self.sched
            .kill_with(task_id, agent, self.o.grace.map(spec::kill_policy))
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
    fn framework_info_has_the_json_it_had() {
        let o = Options {
            framework_name: "fw".into(),
            role: "dev".into(),
            user: "u".into(),
            principal: Some("p".into()),
            checkpoint: true,
            detach: true,
            failover_timeout: Duration::from_secs(60),
            offer_timeout: Duration::from_secs(1),
            kill_after: None,
            grace: None,
            follow: false,
            quiet: true,
            json: false,
            constraints: Vec::new(),
            docker: None,
            plan: Plan::Tasks(Vec::new()),
        };
        let v = serde_json::to_value(framework_info(&o)).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"user": "u", "name": "fw", "hostname": local_hostname(), "role": "dev",
                "failover_timeout": 60.0, "checkpoint": true,
                "capabilities": [{"type": "TASK_KILLING_STATE"}],
                "labels": {"labels": [{"key": FRAMEWORK_LABEL, "value": LABEL_DETACHED}]},
                "principal": "p"})
        );
    }

    #[test]
    fn terminal_states() {
        assert!(is_terminal("TASK_GONE_BY_OPERATOR"));
        assert!(!is_terminal("TASK_KILLING"));
        assert!(!is_terminal("TASK_UNREACHABLE"));
    }
}
