//! The pure decisions of the driver: for every app, what runs now (its
//! regime: kept at a count, scaled, restarted or stopped by the deployment
//! under way), how many instances to launch and which to kill. Nothing here
//! talks to Mesos or the store; [`plan`] is recomputed after every change.

use std::collections::{BTreeMap, BTreeSet};

use crate::marathon::constraints::{kills_for_constraints, Placed as Where};
use crate::marathon::core::{DeploymentRecord, Instance, State};
use crate::marathon::killorder::{self, InstanceState, KillCandidate};
use crate::marathon::rolling::{RollingPlan, StepState};
use crate::wire::marathon::{ActionKind, AppDefinition, PathId, UnreachableStrategy};

/// What the driver does with one app right now.
#[derive(Clone, Debug, PartialEq)]
pub enum Regime<'a> {
    /// Keep `count` instances of `def` running, replacing those that end.
    /// `trim` kills instances above the count (outside deployments); a
    /// deployment's pending app is only kept as it was.
    Keep {
        def: Option<&'a AppDefinition>,
        count: u32,
        trim: bool,
    },
    /// `ScaleApplication`: launch up to / kill down to `def.instances`.
    Scale(&'a AppDefinition),
    /// `RestartApplication`: replace every instance of another config by
    /// one of `def`, rolling by `upgradeStrategy`.
    Restart(&'a AppDefinition),
    /// `StopApplication`, or an app removed by a finished step: kill all.
    Stop,
    /// Instances of an app nobody knows: kill them.
    Unknown,
}

/// An app that wants instances launched.
#[derive(Clone, Debug, PartialEq)]
pub struct LaunchNeed {
    pub app: AppDefinition,
    pub count: usize,
}

/// Why an instance is killed (kills for health and launch timeouts count
/// differently).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KillReason {
    /// Scale-down, replacement, stop, unknown app.
    Scaling,
    /// Did not reach RUNNING within `task_launch_timeout`.
    LaunchTimeout,
    /// Unreachable longer than `expungeAfterSeconds`.
    Expunged,
}

/// A kill the driver should send.
#[derive(Clone, Debug, PartialEq)]
pub struct KillOrder {
    pub task_id: String,
    pub agent_id: String,
    /// `taskKillGracePeriodSeconds` of the instance's app.
    pub grace_seconds: Option<f64>,
    pub reason: KillReason,
}

/// Everything to do now.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// Apps to launch instances of now (backoff over), in app order.
    pub launches: Vec<LaunchNeed>,
    /// Apps that want instances but wait for their backoff delay: the
    /// earliest time one ends (epoch ms).
    pub delayed_until_ms: Option<i64>,
    pub kills: Vec<KillOrder>,
    /// Instances to forget (expunged unreachable ones; they are killed too).
    pub expunge: Vec<String>,
}

impl Plan {
    /// Whether offers are wanted (now or once a backoff ends).
    pub fn wants_offers(&self) -> bool {
        !self.launches.is_empty()
    }
}

/// Tuning of [`plan`].
#[derive(Clone, Copy, Debug)]
pub struct PlanOptions {
    pub now_ms: i64,
    pub task_launch_timeout_ms: i64,
}

/// The definition an instance runs: the current app when the versions
/// match, else the deployment's original, else the current app.
pub fn def_of<'a>(state: &'a State, inst: &Instance) -> Option<&'a AppDefinition> {
    let current = state.apps.get(&inst.app_id);
    if let Some(d) = current {
        if same_config(inst, d) {
            return Some(d);
        }
    }
    for dep in &state.deployments {
        for def in dep.original.get(&inst.app_id).into_iter().flatten() {
            if same_config(inst, def) {
                return Some(def);
            }
        }
        for def in dep.target.get(&inst.app_id).into_iter().flatten() {
            if same_config(inst, def) {
                return Some(def);
            }
        }
    }
    current.or_else(|| {
        state.deployments.iter().find_map(|d| {
            d.original
                .get(&inst.app_id)
                .and_then(Option::as_ref)
                .or_else(|| d.target.get(&inst.app_id).and_then(Option::as_ref))
        })
    })
}

/// Whether `inst` was launched with `def`'s configuration: its version is
/// the app's version or its last configuration change (a scale-only change
/// makes a new version without a new configuration).
pub fn same_config(inst: &Instance, def: &AppDefinition) -> bool {
    let version = def.version.as_deref().unwrap_or("");
    if inst.app_version == version {
        return true;
    }
    match &def.version_info {
        Some(vi) => inst.app_version == vi.last_config_change_at,
        None => version.is_empty(),
    }
}

/// Has Mesos-level checks (`COMMAND`, `MESOS_*`), read from `healthy`.
pub fn has_mesos_checks(def: &AppDefinition) -> bool {
    def.health_checks.iter().any(|h| h.protocol.is_mesos())
}

/// Running and, when the app has checks, healthy; when it has readiness
/// checks (and `ready` is given), ready too.
pub fn healthy_and_ready(
    inst: &Instance,
    def: Option<&AppDefinition>,
    ready: Option<&BTreeSet<String>>,
) -> bool {
    if !inst.is_running() || inst.kill_requested {
        return false;
    }
    let Some(def) = def else {
        return true;
    };
    if !def.health_checks.is_empty() && inst.healthy(has_mesos_checks(def)) != Some(true) {
        return false;
    }
    match ready {
        Some(r) if !def.readiness_checks.is_empty() => r.contains(&inst.task_id),
        _ => true,
    }
}

/// Unreachable longer than the strategy's `inactiveAfterSeconds`: no longer
/// counted, a replacement is launched.
pub fn unreachable_inactive(inst: &Instance, def: Option<&AppDefinition>, now_ms: i64) -> bool {
    let Some(since) = unreachable_since(inst) else {
        return false;
    };
    match def.map(|d| d.unreachable_strategy).unwrap_or_default() {
        UnreachableStrategy::Disabled => false,
        UnreachableStrategy::Enabled {
            inactive_after_seconds,
            ..
        } => now_ms - since >= inactive_after_seconds as i64 * 1000,
    }
}

/// Unreachable longer than `expungeAfterSeconds`: forgotten (and killed).
pub fn unreachable_expunged(inst: &Instance, def: Option<&AppDefinition>, now_ms: i64) -> bool {
    let Some(since) = unreachable_since(inst) else {
        return false;
    };
    match def.map(|d| d.unreachable_strategy).unwrap_or_default() {
        UnreachableStrategy::Disabled => false,
        UnreachableStrategy::Enabled {
            expunge_after_seconds,
            ..
        } => now_ms - since >= expunge_after_seconds as i64 * 1000,
    }
}

fn unreachable_since(inst: &Instance) -> Option<i64> {
    if inst.state == "TASK_UNREACHABLE" {
        Some(inst.unreachable_since_ms.unwrap_or(0))
    } else {
        None
    }
}

/// Counted as one of the app's instances: not being killed and not
/// unreachable for too long.
pub fn is_live(inst: &Instance, def: Option<&AppDefinition>, now_ms: i64) -> bool {
    !inst.kill_requested && !unreachable_inactive(inst, def, now_ms)
}

/// The action of `app` in deployment `d` that applies now: `Ok(Some)` for
/// the action of the current step, `Err(true)` when the app's last action
/// is in a step already done, `Err(false)` when its first action has not
/// started yet.
fn action_now(d: &DeploymentRecord, app: &PathId) -> Result<ActionKind, bool> {
    let current = d.current_step as usize;
    let mut done = false;
    for (i, step) in d.steps.iter().enumerate() {
        let n = i + 1;
        for (kind, a) in step {
            if a != app {
                continue;
            }
            if n == current {
                return Ok(*kind);
            }
            if n < current {
                done = true;
            }
        }
    }
    Err(done)
}

/// The regime of `app` now.
pub fn regime<'a>(state: &'a State, app: &PathId) -> Regime<'a> {
    let current = state.apps.get(app);
    let Some(d) = state.deployment_of(app) else {
        return match current {
            Some(def) => Regime::Keep {
                def: Some(def),
                count: def.instances,
                trim: true,
            },
            None => Regime::Unknown,
        };
    };
    let target = current.or_else(|| d.target.get(app).and_then(Option::as_ref));
    let removed = matches!(d.target.get(app), Some(None));
    match action_now(d, app) {
        Ok(ActionKind::StopApplication) => Regime::Stop,
        Ok(_) if removed => Regime::Stop,
        Ok(ActionKind::StartApplication) => Regime::Keep {
            def: target,
            count: 0,
            trim: false,
        },
        Ok(ActionKind::ScaleApplication) => match target {
            Some(def) => Regime::Scale(def),
            None => Regime::Stop,
        },
        Ok(ActionKind::RestartApplication) => match target {
            Some(def) => Regime::Restart(def),
            None => Regime::Stop,
        },
        Err(true) => match target {
            Some(def) if !removed => Regime::Keep {
                def: Some(def),
                count: def.instances,
                trim: true,
            },
            _ => Regime::Stop,
        },
        Err(false) => {
            let original = d.original.get(app).and_then(Option::as_ref);
            Regime::Keep {
                def: original.or(target),
                count: original.map(|o| o.instances).unwrap_or(0),
                trim: false,
            }
        }
    }
}

/// Every app the driver has to look at: known apps, apps of deployments,
/// apps of instances.
pub fn app_ids(state: &State) -> BTreeSet<PathId> {
    let mut ids: BTreeSet<PathId> = state.apps.keys().cloned().collect();
    for d in &state.deployments {
        ids.extend(d.target.keys().cloned());
        ids.extend(d.original.keys().cloned());
    }
    ids.extend(state.instances.values().map(|i| i.app_id.clone()));
    ids
}

/// Which `n` of `candidates` to kill, by [`killorder`]: those the app's
/// distribution constraints want gone first, then unreachable, staging,
/// starting, running, ties by `killSelection` on the start time.
pub fn select_kills<'a>(
    def: Option<&AppDefinition>,
    candidates: &[&'a Instance],
    n: usize,
) -> Vec<&'a Instance> {
    let cands: Vec<KillCandidate> = candidates
        .iter()
        .map(|i| KillCandidate {
            id: i.task_id.clone(),
            state: match i.state.as_str() {
                "TASK_UNREACHABLE" => InstanceState::Unreachable,
                "TASK_STAGING" => InstanceState::Staging,
                "TASK_STARTING" => InstanceState::Starting,
                _ => InstanceState::Running,
            },
            started_at_ms: i.started_at_ms,
        })
        .collect();
    let sel = def.map(|d| d.kill_selection).unwrap_or_default();
    let by_constraints = match def {
        Some(d) if !d.constraints.is_empty() => {
            let placed: Vec<(String, Where)> = candidates
                .iter()
                .map(|i| {
                    (
                        i.task_id.clone(),
                        Where {
                            agent_id: i.agent_id.clone(),
                            hostname: i.hostname.clone(),
                            attributes: Vec::new(),
                        },
                    )
                })
                .collect();
            kills_for_constraints(&d.constraints, &placed, n)
        }
        _ => Vec::new(),
    };
    let ids = killorder::select_kills_with(&cands, n, sel, &[], &by_constraints);
    ids.iter()
        .filter_map(|id| candidates.iter().copied().find(|i| &i.task_id == id))
        .collect()
}

/// What to launch and kill now.
pub fn plan(state: &State, opts: PlanOptions, ready: &BTreeSet<String>) -> Plan {
    let now = opts.now_ms;
    let mut out = Plan::default();
    let mut by_app: BTreeMap<&PathId, Vec<&Instance>> = BTreeMap::new();
    for inst in state.instances.values() {
        by_app.entry(&inst.app_id).or_default().push(inst);
    }
    let kill = |inst: &Instance, reason: KillReason| KillOrder {
        task_id: inst.task_id.clone(),
        agent_id: inst.agent_id.clone(),
        grace_seconds: def_of(state, inst).and_then(|d| d.task_kill_grace_period_seconds),
        reason,
    };
    for app in app_ids(state) {
        let insts = by_app.get(&app).cloned().unwrap_or_default();
        // Expunge and time out what is stuck, whatever the regime.
        let mut alive: Vec<&Instance> = Vec::new();
        for inst in insts {
            let def = def_of(state, inst);
            if unreachable_expunged(inst, def, now) {
                out.expunge.push(inst.task_id.clone());
                out.kills.push(kill(inst, KillReason::Expunged));
                continue;
            }
            if !inst.kill_requested
                && inst.is_staged()
                && now - inst.staged_at_ms >= opts.task_launch_timeout_ms
            {
                out.kills.push(kill(inst, KillReason::LaunchTimeout));
                continue;
            }
            alive.push(inst);
        }
        let live: Vec<&Instance> = alive
            .iter()
            .copied()
            .filter(|i| is_live(i, def_of(state, i), now))
            .collect();
        let mut want: Option<(&AppDefinition, usize)> = None;
        match regime(state, &app) {
            Regime::Unknown | Regime::Stop => {
                for i in &live {
                    out.kills.push(kill(i, KillReason::Scaling));
                }
            }
            Regime::Keep { def, count, trim } => {
                let count = count as usize;
                if live.len() < count {
                    want = def.map(|d| (d, count - live.len()));
                } else if trim && live.len() > count {
                    for i in select_kills(def, &live, live.len() - count) {
                        out.kills.push(kill(i, KillReason::Scaling));
                    }
                }
            }
            Regime::Scale(def) => {
                let count = def.instances as usize;
                if live.len() < count {
                    want = Some((def, count - live.len()));
                } else if live.len() > count {
                    for i in select_kills(Some(def), &live, live.len() - count) {
                        out.kills.push(kill(i, KillReason::Scaling));
                    }
                }
            }
            Regime::Restart(def) => {
                let (launch, kills) = restart_step(state, def, &live, Some(ready));
                if launch > 0 {
                    want = Some((def, launch));
                }
                for i in kills {
                    out.kills.push(kill(i, KillReason::Scaling));
                }
            }
        }
        if let Some((def, count)) = want {
            let until = state.delays.get(&app).map(|d| d.ready_at()).unwrap_or(0);
            if until > now {
                out.delayed_until_ms = Some(out.delayed_until_ms.map_or(until, |u| u.min(until)));
            } else {
                out.launches.push(LaunchNeed {
                    app: def.clone(),
                    count,
                });
            }
        }
    }
    out
}

/// One round of a rolling restart to `def` over the `live` instances
/// ([`RollingPlan`]): how many new instances to launch and which old ones
/// to kill (unhealthy ones first; healthy ones only while
/// `minimumHealthCapacity` stays healthy).
pub fn restart_step<'a>(
    state: &State,
    def: &AppDefinition,
    live: &[&'a Instance],
    ready: Option<&BTreeSet<String>>,
) -> (usize, Vec<&'a Instance>) {
    let n = def.instances as usize;
    let (new, old): (Vec<&Instance>, Vec<&Instance>) =
        live.iter().copied().partition(|i| same_config(i, def));
    let (old_healthy, old_sick): (Vec<&Instance>, Vec<&Instance>) = old
        .iter()
        .copied()
        .partition(|i| healthy_and_ready(i, def_of(state, i), None));
    let new_ready = new
        .iter()
        .filter(|i| healthy_and_ready(i, Some(def), ready))
        .count();
    let rp = RollingPlan::new(n, &def.upgrade_strategy, old.len());
    let next = rp.next(&StepState {
        old_alive: old.len(),
        old_healthy: old_healthy.len(),
        new_started: new.len(),
        new_ready,
    });
    let mut kills: Vec<&Instance> = Vec::new();
    let sick = next.kill_old.saturating_sub(next.kill_healthy_old);
    kills.extend(select_kills(Some(def), &old_sick, sick));
    kills.extend(select_kills(Some(def), &old_healthy, next.kill_healthy_old));
    if new.len() > n {
        kills.extend(select_kills(Some(def), &new, new.len() - n));
    }
    (next.launch_new, kills)
}

/// Whether the action of `app` in the current step is done.
pub fn action_done(
    state: &State,
    app: &PathId,
    kind: ActionKind,
    now_ms: i64,
    ready: &BTreeSet<String>,
) -> bool {
    let insts: Vec<&Instance> = state.instances_of(app).collect();
    match kind {
        ActionKind::StartApplication => true,
        ActionKind::StopApplication => insts
            .iter()
            .all(|i| i.state == "TASK_UNREACHABLE" && i.kill_requested),
        ActionKind::ScaleApplication | ActionKind::RestartApplication => {
            let Some(def) = state.apps.get(app) else {
                // Removed meanwhile: done once nothing is left.
                return insts.is_empty();
            };
            let n = def.instances as usize;
            let live: Vec<&&Instance> = insts
                .iter()
                .filter(|i| is_live(i, Some(def), now_ms))
                .collect();
            let good = live
                .iter()
                .filter(|i| {
                    (kind == ActionKind::ScaleApplication || same_config(i, def))
                        && healthy_and_ready(i, Some(def), Some(ready))
                })
                .count();
            let others_gone =
                kind == ActionKind::ScaleApplication || insts.iter().all(|i| same_config(i, def));
            // Instances being killed must be gone too (unless their agent
            // is unreachable: that may take forever).
            let dying = insts
                .iter()
                .any(|i| i.kill_requested && i.state != "TASK_UNREACHABLE");
            live.len() == n && good == n && others_gone && !dying
        }
    }
}
