//! The framework's connection to the leading master: the FrameworkInfo
//! Marathon registers with, SUBSCRIBE (re-using the stored framework id,
//! following leader changes, reconnecting with backoff), heartbeats, and
//! the session loop that hands every event, state change, timer and health
//! result to the driver's parts.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::http::HttpClient;
use crate::leader::{self, ResolveOptions};
use crate::marathon::core::{now_ms, Marathon, State};
use crate::scheduler_client::{Events, Scheduler};
use crate::wire::agent_v1::{DurationInfo, Id, KillPolicy};
use crate::wire::event::{Event, EventType};
use crate::wire::marathon::EventKind;
use crate::wire::scheduler::{Capability, FrameworkInfo};

use super::health::{Checks, Report};
use super::persist;
use super::plan::{self, KillOrder, PlanOptions};
use super::status::{self, event};
use super::{deploy, DriverConfig};

/// Reconnection delays: from the first to the most.
const BACKOFF_MIN: Duration = Duration::from_millis(500);
const BACKOFF_MAX: Duration = Duration::from_secs(30);
/// Missed heartbeats before the stream is considered dead.
const MISSED_HEARTBEATS: u32 = 5;
/// A kill not followed by a terminal update is sent again after this.
const KILL_RETRY: Duration = Duration::from_secs(10);
/// While offers are wanted and none come, REVIVE again after this.
const REVIVE_AGAIN: Duration = Duration::from_secs(10);
/// After (re)subscribing, a master that answers "unknown" for a task may
/// not have heard from its agent yet (a failed-over master): such answers
/// are ignored for this long and the tasks asked again afterwards.
pub const UNKNOWN_GRACE: Duration = Duration::from_secs(90);

/// The FrameworkInfo Marathon subscribes with.
pub fn framework_info(cfg: &DriverConfig, id: Option<&str>) -> FrameworkInfo {
    let user = cfg
        .user
        .clone()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(crate::execute::current_user);
    FrameworkInfo {
        user: Some(user),
        name: Some(cfg.framework_name.clone()),
        id: id.map(Id::new),
        failover_timeout: Some(cfg.failover_timeout),
        checkpoint: Some(true),
        role: Some(cfg.role.clone()),
        hostname: Some(cfg.hostname.clone()),
        principal: cfg.principal(),
        webui_url: Some(cfg.webui_url.clone()),
        capabilities: vec![Capability::new("PARTITION_AWARE")],
        ..FrameworkInfo::default()
    }
}

/// Keep a framework subscribed while this scheduler leads (the caller
/// drops this future when leadership is lost).
pub async fn run_leading(m: &Marathon, cfg: &DriverConfig) {
    let http = match HttpClient::new(&cfg.http) {
        Ok(h) => h,
        Err(e) => {
            crate::error!("cannot build the HTTP client for the master: {e}");
            std::future::pending::<()>().await;
            return;
        }
    };
    let mut checks = Checks::new();
    let mut delay = BACKOFF_MIN;
    loop {
        match connect(m, cfg, &http).await {
            Ok((sched, events, heartbeat)) => {
                delay = BACKOFF_MIN;
                let mut s = Session::new(m, cfg, sched, heartbeat, &mut checks);
                s.run(events).await;
                m.lock().master = None;
                m.publish(event(EventKind::SchedulerDisconnectedEvent {}));
            }
            Err(e) => crate::warning!("cannot subscribe to the Mesos master: {e}"),
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(BACKOFF_MAX);
    }
}

/// Resolve the leader and SUBSCRIBE. Persists a new framework id and
/// publishes the (re)registration.
async fn connect(
    m: &Marathon,
    cfg: &DriverConfig,
    http: &HttpClient,
) -> crate::error::Result<(Scheduler, Events, Duration)> {
    let opts = ResolveOptions {
        timeout: Duration::from_secs(15),
        scheme: cfg.scheme().to_string(),
    };
    let leader = leader::resolve(&cfg.master, http, &opts).await?;
    let stored = m.lock().framework_id.clone();
    let sub = Scheduler::subscribe(http, &leader.url, framework_info(cfg, stored.as_deref())).await;
    let (sched, events, first) = match sub {
        Ok(x) => x,
        Err(e) if stored.is_some() && refused(&e) && m.lock().instances.is_empty() => {
            // The stored framework was removed (torn down, failover
            // timeout passed) and nothing of ours runs: start afresh.
            crate::warning!(
                "the master refused framework {}: {e}; subscribing as a new framework",
                stored.as_deref().unwrap_or("")
            );
            m.lock().framework_id = None;
            Scheduler::subscribe(http, &leader.url, framework_info(cfg, None)).await?
        }
        Err(e) => return Err(e),
    };
    let heartbeat = first
        .subscribed
        .as_ref()
        .and_then(|s| s.heartbeat_interval_seconds)
        .filter(|s| *s > 0.0)
        .map(Duration::from_secs_f64)
        .unwrap_or(Duration::from_secs(15));
    let master = crate::leader::display_address(&leader.url);
    let fid = sched.framework_id.clone();
    let known = {
        let mut st = m.lock();
        let known = st.framework_id.as_deref() == Some(fid.as_str());
        st.framework_id = Some(fid.clone());
        st.master = Some(master.clone());
        known
    };
    if known {
        crate::info!("re-subscribed as framework {fid} with master {master}");
        m.publish(event(EventKind::SchedulerReregisteredEvent { master }));
    } else {
        persist::save_framework_id(&cfg.store, &fid).await;
        crate::info!("subscribed as framework {fid} with master {master}");
        m.publish(event(EventKind::SchedulerRegisteredEvent {
            framework_id: fid,
            master,
        }));
    }
    Ok((sched, events, heartbeat))
}

/// The master turned the stored framework id down (not a transport
/// problem): `ERROR` as the first event, or a removed framework.
fn refused(e: &crate::error::Error) -> bool {
    e.message.contains("refused the subscription") || e.message.contains("removed")
}

/// One subscription: lives until the stream ends or breaks.
pub struct Session<'a> {
    pub m: &'a Marathon,
    pub cfg: &'a DriverConfig,
    pub sched: Scheduler,
    pub checks: &'a mut Checks,
    heartbeat: Duration,
    last_event: Instant,
    pub subscribed_at: Instant,
    /// Our view of the master's suppression of our offers.
    pub suppressed: Option<bool>,
    pub last_revive: Option<Instant>,
    pub last_offer: Option<Instant>,
    /// Whether the last plan wanted offers.
    wanted: bool,
    /// When a KILL was last sent per task.
    kill_sent: HashMap<String, Instant>,
    pub next_reconcile: Instant,
    pub recheck_unknown: Option<Instant>,
    /// Roles, user, env prefix and agent attributes for placement.
    pub place_ctx: super::place::PlaceCtx,
}

impl<'a> Session<'a> {
    fn new(
        m: &'a Marathon,
        cfg: &'a DriverConfig,
        sched: Scheduler,
        heartbeat: Duration,
        checks: &'a mut Checks,
    ) -> Session<'a> {
        let now = Instant::now();
        Session {
            m,
            cfg,
            sched,
            checks,
            heartbeat,
            last_event: now,
            subscribed_at: now,
            suppressed: None,
            last_revive: None,
            last_offer: None,
            wanted: false,
            kill_sent: HashMap::new(),
            next_reconcile: now,
            recheck_unknown: None,
            place_ctx: super::place::PlaceCtx {
                roles: vec![cfg.role.clone()],
                default_user: cfg.user.clone(),
                env_vars_prefix: cfg.env_vars_prefix.clone(),
                attributes: HashMap::new(),
            },
        }
    }

    async fn run(&mut self, mut events: Events) {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        self.converge().await;
        loop {
            tokio::select! {
                ev = events.next() => match ev {
                    Ok(Some(ev)) => {
                        self.last_event = Instant::now();
                        if !self.on_event(ev).await {
                            return;
                        }
                    }
                    Ok(None) => {
                        crate::warning!("the master closed the event stream");
                        return;
                    }
                    Err(e) => {
                        crate::warning!("event stream from the master broke: {e}");
                        return;
                    }
                },
                _ = self.m.changed() => self.converge().await,
                Some(r) = self.checks.rx.recv() => self.on_check(r).await,
                _ = tick.tick() => {
                    if self.last_event.elapsed() > self.heartbeat * MISSED_HEARTBEATS {
                        crate::warning!("no heartbeat from the master for {:?}: reconnecting", self.last_event.elapsed());
                        return;
                    }
                    self.timers().await;
                    self.converge().await;
                }
            }
        }
    }

    /// Handle one event; `false` ends the session.
    async fn on_event(&mut self, ev: Event) -> bool {
        match ev.kind {
            EventType::Offers => {
                let offers = ev.offers.map(|o| o.offers).unwrap_or_default();
                self.on_offers(offers).await;
            }
            EventType::Update => {
                if let Some(u) = ev.update {
                    self.on_update(u.status).await;
                }
            }
            EventType::Error => {
                let msg = ev.error.map(|e| e.message).unwrap_or_default();
                crate::warning!("the master ended the subscription: {msg}");
                return false;
            }
            EventType::Failure => {
                // An agent or executor is gone; its tasks' updates follow.
            }
            _ => {}
        }
        true
    }

    /// Reconciliation on its interval, and again for tasks answered
    /// "unknown" right after subscribing.
    async fn timers(&mut self) {
        let now = Instant::now();
        if now >= self.next_reconcile {
            self.next_reconcile = now + self.cfg.reconciliation_interval;
            self.reconcile().await;
        } else if self.recheck_unknown.is_some_and(|t| now >= t) {
            self.recheck_unknown = None;
            self.reconcile().await;
        }
    }

    /// Publish events.
    pub fn publish_all(&self, kinds: Vec<EventKind>) {
        for k in kinds {
            self.m.publish(event(k));
        }
    }

    /// Send a KILL (with the app's grace period as kill policy).
    pub async fn kill(&mut self, order: &KillOrder) {
        self.kill_sent.insert(order.task_id.clone(), Instant::now());
        let policy = order.grace_seconds.map(|g| KillPolicy {
            grace_period: Some(DurationInfo {
                nanoseconds: (g * 1e9) as i64,
            }),
            ..KillPolicy::default()
        });
        let agent = Some(order.agent_id.as_str()).filter(|a| !a.is_empty());
        if let Err(e) = self.sched.kill_with(&order.task_id, agent, policy).await {
            crate::warning!("cannot kill task {}: {e}", order.task_id);
        }
    }

    /// Recompute and act: deployment progress, kills, expunges, health
    /// checkers, REVIVE/SUPPRESS.
    pub async fn converge(&mut self) {
        let now = now_ms();
        let opts = PlanOptions {
            now_ms: now,
            task_launch_timeout_ms: self.cfg.task_launch_timeout.as_millis() as i64,
        };
        let (progress, plan, saves, resend) = {
            let mut st = self.m.lock();
            let progress = deploy::advance(&mut st, now, &self.checks.ready);
            let plan = plan::plan(&st, opts, &self.checks.ready);
            let mut saves = Vec::new();
            for t in &plan.expunge {
                st.instances.remove(t);
            }
            for k in &plan.kills {
                if let Some(i) = st.instances.get_mut(&k.task_id) {
                    i.kill_requested = true;
                    saves.push(i.clone());
                }
            }
            // Kills sent before that got no terminal answer yet.
            let resend: Vec<KillOrder> = st
                .instances
                .values()
                .filter(|i| i.kill_requested)
                .filter(|i| !plan.kills.iter().any(|k| k.task_id == i.task_id))
                .filter(|i| {
                    self.kill_sent
                        .get(&i.task_id)
                        .is_none_or(|t| t.elapsed() >= KILL_RETRY)
                })
                .map(|i| KillOrder {
                    task_id: i.task_id.clone(),
                    agent_id: i.agent_id.clone(),
                    grace_seconds: plan::def_of(&st, i)
                        .and_then(|d| d.task_kill_grace_period_seconds),
                    reason: plan::KillReason::Scaling,
                })
                .collect();
            self.checks.sync(&st);
            let State {
                instances,
                readiness,
                apps,
                offer_stats,
                ..
            } = &mut *st;
            readiness.retain(|t, _| instances.contains_key(t));
            offer_stats.retain(|a, _| apps.contains_key(a));
            (progress, plan, saves, resend)
        };
        let store = &self.cfg.store;
        for d in &progress.save {
            persist::save_deployment(self.m, store, d).await;
        }
        for id in &progress.finished {
            persist::delete_deployment(store, id).await;
        }
        for t in progress.forget.iter().chain(&plan.expunge) {
            persist::delete_instance(store, t).await;
        }
        for i in &saves {
            persist::save_instance(store, i).await;
        }
        self.publish_all(progress.events);
        for k in plan.kills.iter().chain(&resend) {
            self.kill(k).await;
        }
        self.kill_sent
            .retain(|t, _| self.m.lock().instances.contains_key(t));
        self.offers_wanted(plan.wants_offers()).await;
    }

    /// REVIVE when offers are wanted (again after a while without
    /// offers), SUPPRESS when nothing is.
    async fn offers_wanted(&mut self, wanted: bool) {
        let newly = wanted && !self.wanted;
        self.wanted = wanted;
        if wanted {
            // Newly wanted: offers declined earlier are filtered for a
            // while, REVIVE clears that at once.
            let quiet = self.last_offer.is_none_or(|t| t.elapsed() >= REVIVE_AGAIN);
            let due = self.last_revive.is_none_or(|t| t.elapsed() >= REVIVE_AGAIN);
            if newly || self.suppressed != Some(false) || (quiet && due) {
                match self.sched.revive().await {
                    Ok(()) => {
                        self.suppressed = Some(false);
                        self.last_revive = Some(Instant::now());
                    }
                    Err(e) => crate::warning!("cannot revive offers: {e}"),
                }
            }
        } else if self.suppressed != Some(true) {
            match self.sched.suppress().await {
                Ok(()) => self.suppressed = Some(true),
                Err(e) => crate::warning!("cannot suppress offers: {e}"),
            }
        }
    }

    /// A health or readiness result.
    async fn on_check(&mut self, r: Report) {
        match r {
            Report::Readiness(task, result) => {
                let ready = result.ready;
                {
                    let mut st = self.m.lock();
                    if st.instances.contains_key(&task) {
                        st.readiness.insert(task.clone(), result);
                    }
                }
                if ready {
                    self.checks.mark_ready(task);
                    self.converge().await;
                }
            }
            Report::Health((task, idx), hs, verdict) => {
                let out = {
                    let mut st = self.m.lock();
                    super::health::apply(&mut st, &task, idx, &hs, verdict, now_ms())
                };
                if let Some(i) = &out.save {
                    persist::save_instance(&self.cfg.store, i).await;
                }
                self.publish_all(out.events);
                if let Some(k) = &out.kill {
                    self.kill(k).await;
                }
                if out.kill.is_some() || verdict != crate::marathon::health::Verdict::Ignored {
                    self.converge().await;
                }
            }
        }
    }

    /// A task status update: apply, persist, acknowledge, act.
    async fn on_update(&mut self, status: crate::wire::agent_v1::V1TaskStatus) {
        let now = now_ms();
        let unknown_early = status.state == crate::wire::task::TaskState::TaskUnknown
            && status.reason.as_deref() == Some("REASON_RECONCILIATION")
            && self.subscribed_at.elapsed() < UNKNOWN_GRACE;
        let out = if unknown_early {
            // Possibly a master that has not heard from the agent yet.
            self.recheck_unknown = Some(self.subscribed_at + UNKNOWN_GRACE);
            status::Outcome::default()
        } else {
            let mut st = self.m.lock();
            status::apply(&mut st, &status, now)
        };
        if let Some(i) = &out.save {
            persist::save_instance(&self.cfg.store, i).await;
        }
        if let Some(t) = &out.delete {
            persist::delete_instance(&self.cfg.store, t).await;
            self.kill_sent.remove(t);
        }
        if let Err(e) = self.sched.acknowledge(&status).await {
            crate::warning!(
                "cannot acknowledge the update of task {}: {e}",
                status.task_id.value
            );
        }
        self.publish_all(out.events);
        if let Some(k) = &out.kill {
            crate::info!("killing task {} of no known app", k.task_id);
            self.kill(k).await;
        }
        self.converge().await;
    }
}
