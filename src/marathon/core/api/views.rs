//! The output bodies built from the state: apps with their counts, tasks,
//! groups, deployments, the launch queue, the text task list.

use std::collections::{BTreeMap, BTreeSet};

use super::groups::group_exists;
use super::stats;
use super::{Api, ApiError};
use crate::datetime::iso_millis;
use crate::marathon::core::state::{now_ms, DeploymentRecord, Instance, State};
use crate::marathon::labels::Selector;
use crate::wire::marathon::{
    AppDefinition, AppView, CurrentAction, Deployment, DeploymentAction, DeploymentPlan,
    DeploymentRef, DeploymentStep, Group, HealthCheckResult, IpAddress, LastTaskFailure,
    MarathonTask, PathId, QueueDelay, QueueEntry,
};

/// What to embed in app bodies beyond the counts and deployments (always
/// there, as in 1.5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Embed {
    pub tasks: bool,
    pub last_task_failure: bool,
    /// `readiness`: `readinessCheckResults`.
    pub readiness: bool,
    /// `taskStats`.
    pub task_stats: bool,
}

impl Embed {
    /// Tasks and the last failure (`GET /v2/apps/{id}`).
    pub fn all() -> Embed {
        Embed {
            tasks: true,
            last_task_failure: true,
            ..Embed::default()
        }
    }

    /// From `embed=` values with their prefix (`apps.`, `app.`,
    /// `group.apps.`): `tasks`, `lastTaskFailure`, `failures` (both),
    /// `readiness`, `taskStats`.
    pub fn parse(values: &[String], prefix: &str) -> Embed {
        let mut e = Embed::default();
        for v in values {
            match v.strip_prefix(prefix) {
                Some("tasks") => e.tasks = true,
                Some("lastTaskFailure") => e.last_task_failure = true,
                Some("readiness") => e.readiness = true,
                Some("taskStats") => e.task_stats = true,
                Some("failures") => {
                    e.tasks = true;
                    e.last_task_failure = true;
                }
                _ => {}
            }
        }
        e
    }
}

/// `GET /v2/apps` filters.
#[derive(Clone, Debug, Default)]
pub struct AppFilter {
    /// Apps whose id contains this.
    pub id: Option<String>,
    /// Apps whose `cmd` contains this.
    pub cmd: Option<String>,
    pub label: Option<Selector>,
}

impl AppFilter {
    fn matches(&self, app: &AppDefinition) -> bool {
        self.id
            .as_deref()
            .is_none_or(|s| app.id.to_string().contains(s))
            && self
                .cmd
                .as_deref()
                .is_none_or(|s| app.cmd.as_deref().is_some_and(|c| c.contains(s)))
            && self.label.as_ref().is_none_or(|l| l.matches(&app.labels))
    }
}

/// An app's body: counts (§6 rules), deployments, and what `embed` asks.
pub fn app_view(st: &State, app: &AppDefinition, embed: &Embed) -> AppView {
    let has_mesos_check = app.health_checks.iter().any(|h| h.protocol.is_mesos());
    let (mut staged, mut running, mut healthy, mut unhealthy) = (0, 0, 0, 0);
    let mut tasks = Vec::new();
    for i in st.instances_of(&app.id) {
        if i.is_staged() {
            staged += 1;
        }
        if i.is_running() {
            running += 1;
        }
        match i.healthy(has_mesos_check) {
            Some(true) => healthy += 1,
            Some(false) => unhealthy += 1,
            None => {}
        }
        if embed.tasks {
            tasks.push(task(st, i));
        }
    }
    let deployments = st
        .deployments
        .iter()
        .filter(|d| d.affects(&app.id))
        .map(|d| DeploymentRef { id: d.id.clone() })
        .collect();
    AppView {
        app: app.clone(),
        tasks_staged: staged,
        tasks_running: running,
        tasks_healthy: healthy,
        tasks_unhealthy: unhealthy,
        deployments,
        tasks: embed.tasks.then_some(tasks),
        last_task_failure: if embed.last_task_failure {
            last_failure(st, &app.id)
        } else {
            None
        },
        readiness_check_results: embed
            .readiness
            .then(|| stats::readiness_results(st, &app.id)),
        task_stats: embed
            .task_stats
            .then(|| stats::task_stats(st, app, now_ms())),
    }
}

fn last_failure(st: &State, id: &PathId) -> Option<LastTaskFailure> {
    st.last_failures.get(id).map(|f| LastTaskFailure {
        app_id: id.clone(),
        host: f.host.clone(),
        message: f.message.clone(),
        state: f.state.clone(),
        task_id: f.task_id.clone(),
        timestamp: iso_millis(f.timestamp_ms),
        version: f.version.clone(),
        slave_id: f.agent_id.clone(),
    })
}

/// A task's body. `servicePorts` when the app has service ports,
/// `healthCheckResults` when it has health checks.
pub fn task(st: &State, i: &Instance) -> MarathonTask {
    let app = st.apps.get(&i.app_id);
    let service_ports = app.map(|a| a.service_ports()).filter(|p| !p.is_empty());
    let health = app.filter(|a| !a.health_checks.is_empty()).map(|a| {
        let ms = |t: Option<i64>| t.map(iso_millis);
        if a.health_checks.iter().any(|h| h.protocol.is_mesos()) && i.health.is_empty() {
            return i
                .mesos_healthy
                .map(|alive| HealthCheckResult {
                    alive,
                    consecutive_failures: 0,
                    first_success: None,
                    last_failure: None,
                    last_success: None,
                    last_failure_cause: None,
                    instance_id: i.task_id.clone(),
                })
                .into_iter()
                .collect();
        }
        i.health
            .iter()
            .map(|h| HealthCheckResult {
                alive: h.alive,
                consecutive_failures: h.consecutive_failures,
                first_success: ms(h.first_success_ms),
                last_failure: ms(h.last_failure_ms),
                last_success: ms(h.last_success_ms),
                last_failure_cause: h.last_failure_cause.clone(),
                instance_id: i.task_id.clone(),
            })
            .collect()
    });
    MarathonTask {
        id: i.task_id.clone(),
        app_id: i.app_id.clone(),
        host: i.hostname.clone(),
        slave_id: i.agent_id.clone(),
        state: i.state.clone(),
        ports: i.host_ports.clone(),
        service_ports,
        staged_at: Some(iso_millis(i.staged_at_ms)),
        started_at: i.started_at_ms.map(iso_millis),
        version: i.app_version.clone(),
        ip_addresses: i.ip_addresses.iter().map(|ip| IpAddress::of(ip)).collect(),
        health_check_results: health,
    }
}

/// Whether a task's state matches a `status=` value (`running`,
/// `staging`, ... or the full `TASK_RUNNING`).
fn status_matches(state: &str, want: &str) -> bool {
    let s = state.strip_prefix("TASK_").unwrap_or(state);
    let w = want.strip_prefix("TASK_").unwrap_or(want);
    s.eq_ignore_ascii_case(w)
}

/// The actions of step `n` (1-based) of `r`.
pub fn step_actions(r: &DeploymentRecord, n: u32) -> Vec<DeploymentAction> {
    r.steps
        .get((n as usize).wrapping_sub(1))
        .map(|s| {
            s.iter()
                .map(|(a, id)| DeploymentAction {
                    action: *a,
                    app: id.clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn steps_of(r: &DeploymentRecord) -> Vec<DeploymentStep> {
    (1..=r.steps.len() as u32)
        .map(|n| DeploymentStep {
            actions: step_actions(r, n),
        })
        .collect()
}

/// The plan of `r` as events carry it. `light` (`plan-format=light`)
/// leaves out `original` and `target`; otherwise they are the root group
/// before (the current one with the original apps put back) and now.
pub fn plan(st: &State, r: &DeploymentRecord, light: bool) -> DeploymentPlan {
    let (original, target) = if light {
        (None, None)
    } else {
        let mut before = st.clone();
        for (id, app) in &r.original {
            match app {
                Some(a) => {
                    before.apps.insert(id.clone(), a.clone());
                }
                None => {
                    before.apps.remove(id);
                }
            }
        }
        let plain = Embed::default();
        (
            Some(Box::new(group_tree(&before, &PathId::root(), &plain))),
            Some(Box::new(group_tree(st, &PathId::root(), &plain))),
        )
    };
    DeploymentPlan {
        id: r.id.clone(),
        original,
        target,
        steps: steps_of(r),
        version: r.version.clone(),
    }
}

/// The group `gid` with its apps and subgroups (groups exist implicitly
/// for every app's parents).
pub fn group_tree(st: &State, gid: &PathId, embed: &Embed) -> Group {
    let mut children: BTreeSet<PathId> = BTreeSet::new();
    for g in st.groups.keys() {
        if g != gid && g.is_under(gid) {
            children.insert(child_of(gid, g));
        }
    }
    for a in st.apps.keys() {
        if a.parent() != *gid && a.is_under(gid) {
            children.insert(child_of(gid, a));
        }
    }
    let rec = st.groups.get(gid);
    let apps: Vec<AppView> = st
        .apps
        .values()
        .filter(|a| a.id.parent() == *gid)
        .map(|a| app_view(st, a, embed))
        .collect();
    let version = rec
        .map(|r| r.version.clone())
        .filter(|v| !v.is_empty())
        .or_else(|| {
            st.apps
                .values()
                .filter(|a| a.id.is_under(gid))
                .filter_map(|a| a.version.clone())
                .max()
        })
        .unwrap_or_else(|| iso_millis(0));
    Group {
        id: gid.clone(),
        dependencies: rec.map(|r| r.dependencies.clone()).unwrap_or_default(),
        version,
        apps,
        groups: children.iter().map(|c| group_tree(st, c, embed)).collect(),
        pods: Vec::new(),
    }
}

/// The direct child of `gid` on the way to `below`.
fn child_of(gid: &PathId, below: &PathId) -> PathId {
    let n = gid.segments().len() + 1;
    PathId::parse(&below.segments()[..n].join("/"))
}

impl Api {
    /// `GET /v2/apps/{id}`'s app.
    pub fn app_view(&self, id: &PathId, embed: &Embed) -> Option<AppView> {
        let st = self.marathon.lock();
        st.apps.get(id).map(|a| app_view(&st, a, embed))
    }

    /// `GET /v2/apps`.
    pub fn apps(&self, filter: &AppFilter, embed: &Embed) -> Vec<AppView> {
        let st = self.marathon.lock();
        st.apps
            .values()
            .filter(|a| filter.matches(a))
            .map(|a| app_view(&st, a, embed))
            .collect()
    }

    /// `GET /v2/apps/{group}/*`: every app below the group.
    pub fn group_apps(&self, gid: &PathId, embed: &Embed) -> Result<Vec<AppView>, ApiError> {
        let st = self.marathon.lock();
        let apps: Vec<AppView> = st
            .apps
            .values()
            .filter(|a| a.id.is_under(gid))
            .map(|a| app_view(&st, a, embed))
            .collect();
        if apps.is_empty() {
            return Err(ApiError::group_not_found(gid));
        }
        Ok(apps)
    }

    /// `GET /v2/apps/{id}/tasks` (`group` = `{id}` was `group/*`).
    pub fn app_tasks(&self, id: &PathId, group: bool) -> Result<Vec<MarathonTask>, ApiError> {
        let st = self.marathon.lock();
        if group {
            if !group_exists(&st, id) {
                return Err(ApiError::group_not_found(id));
            }
        } else if !st.apps.contains_key(id) {
            return Err(ApiError::app_not_found(id));
        }
        Ok(st
            .instances
            .values()
            .filter(|i| {
                if group {
                    i.app_id.is_under(id)
                } else {
                    i.app_id == *id
                }
            })
            .map(|i| task(&st, i))
            .collect())
    }

    /// `GET /v2/tasks[?status=...]`: tasks of all apps (any of `statuses`).
    pub fn tasks(&self, statuses: &[String]) -> Vec<MarathonTask> {
        let st = self.marathon.lock();
        st.instances
            .values()
            .filter(|i| statuses.is_empty() || statuses.iter().any(|s| status_matches(&i.state, s)))
            .map(|i| task(&st, i))
            .collect()
    }

    /// The `text/plain` task list: per app and service port a line
    /// `<safe id>\t<service port>\t<host>:<port>\t...\n` of its running
    /// tasks (addresses sorted); an app without service ports gets
    /// `<safe id>\t \t<host>\t...\n`. `only` limits it to some apps.
    pub fn tasks_text(&self, only: Option<(&PathId, bool)>) -> String {
        let st = self.marathon.lock();
        let mut out = String::new();
        for app in st.apps.values() {
            if let Some((id, group)) = only {
                if (group && !app.id.is_under(id)) || (!group && app.id != *id) {
                    continue;
                }
            }
            let running: Vec<&Instance> = st
                .instances_of(&app.id)
                .filter(|i| i.is_running())
                .collect();
            let service = app.service_ports();
            let safe = app.id.safe();
            if service.is_empty() {
                let mut hosts: Vec<&str> = running.iter().map(|i| i.hostname.as_str()).collect();
                hosts.sort();
                out.push_str(&format!("{safe}\t \t"));
                for h in hosts {
                    out.push_str(h);
                    out.push('\t');
                }
                out.push('\n');
                continue;
            }
            for (n, sp) in service.iter().enumerate() {
                let mut addrs: Vec<String> = running
                    .iter()
                    .filter_map(|i| i.host_ports.get(n).map(|p| format!("{}:{p}", i.hostname)))
                    .collect();
                addrs.sort();
                out.push_str(&format!("{safe}\t{sp}\t"));
                for a in addrs {
                    out.push_str(&a);
                    out.push('\t');
                }
                out.push('\n');
            }
        }
        out
    }

    /// `GET /v2/groups[/{id}]`: 404 for an unknown group (not the root).
    pub fn group(&self, gid: &PathId, embed: &Embed) -> Result<Group, ApiError> {
        let st = self.marathon.lock();
        if !group_exists(&st, gid) {
            return Err(ApiError::group_not_found(gid));
        }
        Ok(group_tree(&st, gid, embed))
    }

    /// `GET /v2/deployments`.
    pub fn deployments(&self) -> Vec<Deployment> {
        let st = self.marathon.lock();
        st.deployments.iter().map(|d| deployment(&st, d)).collect()
    }

    /// `GET /v2/queue`: apps with fewer live instances than wanted, with
    /// the driver's offer statistics (`lastUnusedOffers` only when
    /// `unused_offers`, `embed=lastUnusedOffers`).
    pub fn queue(&self, unused_offers: bool) -> Vec<QueueEntry> {
        let st = self.marathon.lock();
        let now = now_ms();
        let mut out = Vec::new();
        for app in st.apps.values() {
            let live = st
                .instances_of(&app.id)
                .filter(|i| !i.kill_requested)
                .count() as u32;
            if live >= app.instances {
                continue;
            }
            let offers = st
                .offer_stats
                .get(&app.id)
                .filter(|s| Some(&s.version) == app.version.as_ref());
            let left = st
                .delays
                .get(&app.id)
                .map(|d| d.time_left_seconds(now))
                .unwrap_or(0);
            out.push(QueueEntry {
                app: app_view(&st, app, &Embed::default()),
                count: app.instances - live,
                delay: QueueDelay {
                    time_left_seconds: left,
                    overdue: left == 0,
                },
                since: app
                    .version_info
                    .as_ref()
                    .map(|v| v.last_scaling_at.clone())
                    .or_else(|| app.version.clone())
                    .unwrap_or_else(|| iso_millis(now)),
                processed_offers_summary: stats::offers_summary(offers),
                last_unused_offers: unused_offers.then(|| stats::last_unused_offers(offers)),
            });
        }
        out
    }
}

/// A deployment's body: steps, the current step's actions (with the
/// readiness results of their apps' instances), counts.
pub fn deployment(st: &State, r: &DeploymentRecord) -> Deployment {
    let mut affected: BTreeMap<PathId, ()> = BTreeMap::new();
    for id in r.target.keys().chain(r.original.keys()) {
        affected.insert(id.clone(), ());
    }
    Deployment {
        id: r.id.clone(),
        version: r.version.clone(),
        affected_apps: affected.into_keys().collect(),
        affected_pods: Vec::new(),
        steps: steps_of(r),
        current_actions: step_actions(r, r.current_step)
            .into_iter()
            .map(|a| CurrentAction {
                readiness_check_results: stats::readiness_results(st, &a.app),
                action: a.action,
                app: a.app,
            })
            .collect(),
        current_step: r.current_step,
        total_steps: r.steps.len() as u32,
    }
}
