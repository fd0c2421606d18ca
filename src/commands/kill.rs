//! `mesos kill TASK...`: kill tasks started by `mesos execute --detach`, by
//! re-subscribing as their framework (v1 scheduler API).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use serde::Serialize;
use tokio::time::Instant;

use crate::context::Context;
use crate::duration::parse_duration;
use crate::error::{Error, Result};
use crate::execute::{is_terminal, FRAMEWORK_LABEL};
use crate::output::TableRow;
use crate::scheduler_client::Scheduler;
use crate::tasks::frameworks::master_frameworks;
use crate::tasks::{choose_one, no_match, Cluster, SelectArgs, TaskFilter};
use crate::wire::agent_v1::Id;
use crate::wire::event::EventType;
use crate::wire::scheduler::{labels_message, Capability, FrameworkInfo};
use crate::wire::{Framework, FrameworksResponse};

/// Kill tasks started by `mesos execute --detach`
///
/// Finds each TASK in the leading master's frameworks with the selection
/// every task command uses: an exact task id, else a prefix, substring or
/// glob of task ids and names (or --regex), narrowed by the selection
/// flags. A TASK must select exactly one task: several matches are an error
/// listing them (exit 4; a picker on a terminal). Only a framework's own scheduler may
/// kill its tasks, so for tasks of a framework registered by `mesos execute
/// --detach` (its label mesos-cli.execute=detached) this command
/// re-subscribes as that framework (same framework id, v1 scheduler API),
/// sends KILL, acknowledges every status update until the task is terminal,
/// and tears the framework down once none of its tasks are left running.
/// A task that already ended is reported (and its framework cleaned up).
///
/// Tasks of other frameworks (Marathon, Aurora, a `mesos execute` still
/// attached to its terminal, ...) must be killed through their own
/// scheduler; operators can remove a whole framework with all its tasks
/// with `mesos teardown FRAMEWORK`.
///
/// Prints one line per TASK argument (TASK, FRAMEWORK, STATE, RESULT). With
/// --json an array with one entry per argument, in order: {argument,
/// task_id, framework_id, state, result, error} where result is "killed",
/// "already ended" or "failed" (then error says why; task_id and
/// framework_id are null when the argument selected no single task). Exit 0
/// when every task is dead, 4 when a task is not found or ambiguous, 124
/// when a kill was not confirmed within --wait, 3 when only some of several
/// tasks could be killed.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos execute --detach --name web --command 'python3 -m http.server 31000'
  mesos kill web
  mesos kill --grace-period 30s web-1 web-2 web-3
  mesos kill 'web-*' --framework web-batch
  mesos kill web nosuch --json | jq -r '.[] | [.argument, .result] | @tsv'")]
pub struct KillArgs {
    /// Task id, or an id/name prefix, substring or glob selecting exactly one task
    #[arg(value_name = "TASK", required = true)]
    pub tasks: Vec<String>,

    #[command(flatten)]
    pub select: SelectArgs,

    /// How long to wait for each task to be confirmed dead
    #[arg(long, value_parser = parse_duration, value_name = "DURATION", default_value = "30s")]
    pub wait: Duration,

    /// Grace period between SIGTERM and SIGKILL (KillPolicy of the KILL call)
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub grace_period: Option<Duration>,
}

/// One result line per TASK argument.
#[derive(Clone, Debug, Serialize)]
pub struct KillRecord {
    /// The TASK argument as given.
    pub argument: String,
    /// The task it selected (`None` when it selected none or several).
    pub task_id: Option<String>,
    pub framework_id: Option<String>,
    pub state: Option<String>,
    /// `killed`, `already ended` or `failed`.
    pub result: String,
    /// Why it failed.
    pub error: Option<String>,
}

impl KillRecord {
    fn failed(argument: &str, found: Option<&Found>, e: &Error) -> KillRecord {
        KillRecord {
            argument: argument.to_string(),
            task_id: found.map(|t| t.id.clone()),
            framework_id: found.map(|t| t.framework_id().to_string()),
            state: found.map(|t| t.state.clone()),
            result: "failed".into(),
            error: Some(e.message.clone()),
        }
    }
}

impl TableRow for KillRecord {
    fn headers() -> Vec<&'static str> {
        vec!["TASK", "FRAMEWORK", "STATE", "RESULT"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.task_id
                .clone()
                .unwrap_or_else(|| self.argument.clone()),
            self.framework_id.clone().unwrap_or_default(),
            self.state.clone().unwrap_or_default(),
            self.result.clone(),
        ]
    }
}

/// A task as listed by the master.
#[derive(Clone, Debug)]
struct Found {
    id: String,
    state: String,
    agent_id: String,
    framework: Arc<Framework>,
    framework_completed: bool,
    /// The task as the master listed it.
    task: crate::wire::Task,
}

impl Found {
    fn framework_id(&self) -> &str {
        &self.framework.id
    }
}

/// Every task of `frameworks` then `completed_frameworks` (`tasks`,
/// `unreachable_tasks`, `completed_tasks` of each).
fn all_tasks(state: &FrameworksResponse) -> Vec<Found> {
    let mut out = Vec::new();
    for (list, completed) in [
        (&state.frameworks, false),
        (&state.completed_frameworks, true),
    ] {
        for f in list {
            let framework = Arc::new(f.clone());
            for t in f.all_tasks() {
                out.push(Found {
                    id: t.id.clone(),
                    state: t.state.as_str().to_string(),
                    agent_id: t.slave_id.clone(),
                    framework: framework.clone(),
                    framework_completed: completed,
                    task: t.clone(),
                });
            }
        }
    }
    out
}

/// The tasks as the shared task selection sees them (same order as `found`).
fn cluster_of(state: &FrameworksResponse, found: &[Found]) -> Cluster {
    let mut c = Cluster::default();
    for f in state.frameworks.iter().chain(&state.completed_frameworks) {
        c.frameworks.insert(f.id.clone(), f.name.clone());
    }
    c.tasks = found
        .iter()
        .map(|t| {
            let mut task = t.task.clone();
            task.framework_id = t.framework_id().to_string();
            task
        })
        .collect();
    c
}

/// Resolve one TASK argument with the shared task selection: exactly one
/// task, else exit 4 (none, or several listed).
fn find_task(found: &[Found], cluster: &Cluster, key: &str, select: &SelectArgs) -> Result<Found> {
    let filter = TaskFilter::new(Some(key), select)?;
    let selected = filter.select(cluster);
    if selected.is_empty() {
        return Err(no_match(&filter, cluster).with_hint("list tasks with `mesos ps -a`"));
    }
    let one = choose_one(cluster, selected, &format!("kill {key}"))?;
    found
        .iter()
        .find(|t| t.id == one.id && t.framework_id() == one.framework_id)
        .cloned()
        .ok_or_else(|| Error::not_found(format!("no task '{key}'")))
}

/// FrameworkInfo to re-subscribe as a framework listed in `/master/frameworks`.
fn resubscribe_info(f: &Framework) -> FrameworkInfo {
    let multi = f.capabilities.iter().any(|c| c == "MULTI_ROLE");
    FrameworkInfo {
        id: Some(Id::new(f.id.as_str())),
        name: Some(f.name.clone()),
        user: Some(f.user.clone()),
        failover_timeout: Some(f.failover_timeout),
        checkpoint: Some(f.checkpoint),
        hostname: Some(f.hostname.clone()).filter(|h| !h.is_empty()),
        principal: f.principal.clone(),
        roles: match (multi, f.roles.is_empty()) {
            (false, _) => Vec::new(),
            (true, true) => vec!["*".to_string()],
            (true, false) => f.roles.clone(),
        },
        role: if multi { None } else { f.role.clone() },
        capabilities: f.capabilities.iter().map(|c| Capability::new(c)).collect(),
        labels: (!f.labels.is_empty()).then(|| labels_message(f.labels.0.clone())),
        ..FrameworkInfo::default()
    }
}

/// Kill `targets` (all of one framework), then tear it down if nothing of
/// it runs any more. Returns the final state per task id.
async fn kill_in_framework(
    http: &crate::http::HttpClient,
    leader: &crate::leader::Leader,
    framework: &Framework,
    targets: &[Found],
    args: &KillArgs,
) -> Result<BTreeMap<String, std::result::Result<String, Error>>> {
    let fid = framework.id.clone();
    let (sched, mut events, _) =
        Scheduler::subscribe(http, &leader.url, resubscribe_info(framework))
            .await
            .map_err(|e| e.context(format!("cannot re-subscribe as framework {fid}")))?;
    crate::output::status(format!("re-subscribed as framework {fid}"));
    sched.suppress().await?;
    let mut states: BTreeMap<String, String> = targets
        .iter()
        .map(|t| (t.id.clone(), t.state.clone()))
        .collect();
    for t in targets.iter().filter(|t| !is_terminal(&t.state)) {
        let agent = Some(t.agent_id.as_str()).filter(|a| !a.is_empty());
        let policy = args.grace_period.map(crate::execute::spec::kill_policy);
        sched
            .kill_with(&t.id, agent, policy)
            .await
            .map_err(|e| e.context("KILL failed"))?;
        crate::output::status(format!("task {}: kill sent", t.id));
    }
    let deadline = Instant::now() + args.wait + args.grace_period.unwrap_or_default();
    while states.values().any(|s| !is_terminal(s)) {
        let ev = match tokio::time::timeout_at(deadline, events.next()).await {
            Err(_) => break,
            Ok(Err(e)) => return Err(e.context("lost the connection to the master")),
            Ok(Ok(None)) => {
                return Err(Error::failed(format!(
                    "the master closed the event stream of framework {fid}"
                )))
            }
            Ok(Ok(Some(ev))) => ev,
        };
        match ev.kind {
            EventType::Update => {
                let Some(st) = ev.update.map(|u| u.status) else {
                    continue;
                };
                sched.acknowledge(&st).await?;
                let tid = st.task_id.value.as_str();
                let state = st.state.as_str().to_string();
                if let Some(cur) = states.get_mut(tid) {
                    if *cur != state && !is_terminal(cur) {
                        let msg = st.message.as_deref().filter(|m| !m.is_empty());
                        crate::output::status(match msg {
                            Some(m) => format!("task {tid}: {state}: {m}"),
                            None => format!("task {tid}: {state}"),
                        });
                        *cur = state;
                    }
                }
            }
            EventType::Offers => {
                let ids: Vec<Id> = ev
                    .offers
                    .into_iter()
                    .flat_map(|o| o.offers)
                    .map(|o| o.id)
                    .collect();
                if !ids.is_empty() {
                    sched.decline(&ids, 3600.0).await?;
                }
            }
            EventType::Error => {
                return Err(Error::failed(format!(
                    "the master sent an ERROR to framework {fid}: {}",
                    ev.error.as_ref().map_or("?", |e| e.message.as_str())
                )))
            }
            _ => {}
        }
    }
    // Tear down when nothing of the framework runs any more.
    let target_ids: Vec<&str> = targets.iter().map(|t| t.id.as_str()).collect();
    let others_running = framework
        .tasks
        .iter()
        .chain(&framework.unreachable_tasks)
        .filter(|t| !target_ids.contains(&t.id.as_str()))
        .any(|t| !t.state.is_terminal());
    let all_dead = states.values().all(|s| is_terminal(s));
    if all_dead && !others_running {
        sched.teardown().await?;
        crate::output::status(format!("framework {fid} torn down"));
    }
    let wait = crate::duration::format_duration(args.wait);
    Ok(states
        .into_iter()
        .map(|(id, s)| {
            let r = if is_terminal(&s) {
                Ok(s)
            } else {
                Err(Error::timeout(format!(
                    "task {id} is still {s} {wait} after the kill"
                )))
            };
            (id, r)
        })
        .collect())
}

pub async fn cmd_kill(ctx: &Context, args: &KillArgs) -> Result<()> {
    // Bad selection flags are usage errors before anything is fetched.
    TaskFilter::new(None, &args.select)?;
    let http = ctx.http()?;
    let leader = ctx.leader(&http).await?;
    let state = master_frameworks(&http, &leader).await?;
    let tasks = all_tasks(&state);
    let cluster = cluster_of(&state, &tasks);
    // One outcome per argument, in order; the kills are grouped by framework.
    let mut outcomes: Vec<(String, Option<Found>, Option<Error>)> = Vec::new();
    let mut groups: Vec<(Arc<Framework>, Vec<Found>)> = Vec::new();
    for key in &args.tasks {
        let t = match find_task(&tasks, &cluster, key, &args.select) {
            Ok(t) => t,
            Err(e) => {
                outcomes.push((key.clone(), None, Some(e)));
                continue;
            }
        };
        let refused = refusal(&t);
        if refused.is_none() && !t.framework_completed {
            match groups.iter_mut().find(|(f, _)| f.id == t.framework.id) {
                Some((_, list)) => {
                    if !list.iter().any(|x| x.id == t.id) {
                        list.push(t.clone())
                    }
                }
                None => groups.push((t.framework.clone(), vec![t.clone()])),
            }
        }
        outcomes.push((key.clone(), Some(t), refused));
    }
    // Final state per (framework id, task id), or why the kill failed.
    let mut results: BTreeMap<(String, String), std::result::Result<String, Error>> =
        BTreeMap::new();
    for (framework, targets) in &groups {
        let fid = framework.id.clone();
        for t in targets.iter().filter(|t| is_terminal(&t.state)) {
            crate::output::status(format!("task {}: already {}", t.id, t.state));
        }
        match kill_in_framework(&http, &leader, framework, targets, args).await {
            Ok(r) => {
                for (id, v) in r {
                    results.insert((fid.clone(), id), v);
                }
            }
            Err(e) => {
                for t in targets {
                    results.insert((fid.clone(), t.id.clone()), Err(e.clone()));
                }
            }
        }
    }
    let mut records: Vec<KillRecord> = Vec::new();
    let mut errors: Vec<Error> = Vec::new();
    for (arg, found, err) in outcomes {
        let Some(t) = found else {
            let e = err.expect("an unresolved argument has an error");
            records.push(KillRecord::failed(&arg, None, &e));
            errors.push(e);
            continue;
        };
        if let Some(e) = err {
            records.push(KillRecord::failed(&arg, Some(&t), &e));
            errors.push(e);
            continue;
        }
        let fid = t.framework_id().to_string();
        if t.framework_completed {
            crate::output::status(format!(
                "task {}: already {} (framework {fid} was removed)",
                t.id, t.state
            ));
        }
        let outcome = if t.framework_completed {
            Ok(t.state.clone())
        } else {
            results
                .get(&(fid.clone(), t.id.clone()))
                .cloned()
                .unwrap_or_else(|| Err(Error::failed(format!("task {}: no result", t.id))))
        };
        match outcome {
            Ok(s) => records.push(KillRecord {
                argument: arg,
                task_id: Some(t.id.clone()),
                framework_id: Some(fid),
                state: Some(s),
                result: if is_terminal(&t.state) {
                    "already ended".into()
                } else {
                    "killed".into()
                },
                error: None,
            }),
            Err(e) => {
                records.push(KillRecord::failed(&arg, Some(&t), &e));
                errors.push(e);
            }
        }
    }
    let n = records.len();
    let ok = n - errors.len();
    if ok > 0 || ctx.output.format != crate::output::OutputFormat::Table {
        ctx.output.rows(&records)?;
    }
    // The same error is reported once even when several arguments share it.
    let mut seen = std::collections::HashSet::new();
    errors.retain(|e| seen.insert(e.message.clone()));
    match (errors.len(), ok) {
        (0, _) => Ok(()),
        (_, 0) => {
            // Nothing killed: the first error decides the exit code.
            let first = errors.remove(0);
            for e in &errors {
                crate::report(e);
            }
            Err(first)
        }
        _ => {
            for e in &errors {
                crate::report(e);
            }
            Err(Error::partial(format!(
                "{} of {n} tasks could not be killed",
                n - ok
            )))
        }
    }
}

/// Why `kill` cannot kill this task itself (it is not a detached `mesos
/// execute` framework's, or that framework's scheduler is still connected).
fn refusal(t: &Found) -> Option<Error> {
    if t.framework_completed {
        return None;
    }
    let fid = t.framework_id();
    let name = t.framework.name.as_str();
    if t.framework.labels.get(FRAMEWORK_LABEL).is_none() {
        return Some(
            Error::failed(format!(
                "task {} belongs to framework {fid} ({name}), which was not started by `mesos execute --detach`: kill it through that framework's scheduler",
                t.id
            ))
            .with_hint(format!(
                "operators can remove the framework with all its tasks: mesos teardown {fid}"
            )),
        );
    }
    if t.framework.connected == Some(true) {
        return Some(
            Error::failed(format!(
                "task {} belongs to framework {fid} ({name}), whose `mesos execute` is still running: stop it there (Ctrl-C)",
                t.id
            ))
            .with_hint(format!(
                "or remove the framework with all its tasks: mesos teardown {fid}"
            )),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn state() -> FrameworksResponse {
        serde_json::from_value(json!({"frameworks": [
            {"id": "F1", "name": "mesos-execute", "user": "u", "role": "*", "failover_timeout": 86400.0,
             "checkpoint": false, "capabilities": ["TASK_KILLING_STATE"], "connected": false,
             "labels": [{"key": FRAMEWORK_LABEL, "value": "detached"}],
             "tasks": [{"id": "web", "name": "web", "state": "TASK_RUNNING", "slave_id": "S0"}],
             "completed_tasks": [{"id": "old", "name": "batch", "state": "TASK_FINISHED", "slave_id": "S0"}]},
            {"id": "F2", "name": "marathon", "tasks": [
                {"id": "app.1", "name": "batch", "state": "TASK_RUNNING"},
                {"id": "app.2", "name": "app", "state": "TASK_RUNNING"},
                {"id": "app.3", "name": "app", "state": "TASK_RUNNING"}]}],
            "completed_frameworks": []}))
        .unwrap()
    }

    #[test]
    fn selects_tasks_as_every_task_command_does() {
        let st = state();
        let ts = all_tasks(&st);
        let c = cluster_of(&st, &ts);
        let sel = SelectArgs::default();
        let find = |k: &str| find_task(&ts, &c, k, &sel);
        assert_eq!(find("web").unwrap().framework_id(), "F1");
        // A name, a prefix and a glob select the one running task.
        assert_eq!(find("batch").unwrap().id, "app.1");
        assert_eq!(find("app.2").unwrap().id, "app.2");
        assert_eq!(find("ap*.3").unwrap().id, "app.3");
        // An exact id finds a completed task too.
        assert_eq!(find("old").unwrap().state, "TASK_FINISHED");
        // Two running tasks named `app`: ambiguous, both listed.
        let e = find("app").unwrap_err();
        assert_eq!(e.exit_code(), 4);
        assert!(
            e.message.contains("app.2") && e.message.contains("app.3"),
            "{}",
            e.message
        );
        assert_eq!(find("nope").unwrap_err().exit_code(), 4);
        // --framework narrows by framework name.
        let only_f2 = SelectArgs {
            framework: Some("marathon".into()),
            ..SelectArgs::default()
        };
        assert_eq!(find_task(&ts, &c, "batch", &only_f2).unwrap().id, "app.1");
        assert_eq!(
            find_task(&ts, &c, "web", &only_f2).unwrap_err().exit_code(),
            4
        );
    }

    #[test]
    fn resubscribes_with_the_same_identity() {
        let st = state();
        let f = &st.frameworks[0];
        // The same JSON as before the FrameworkInfo was typed.
        assert_eq!(
            serde_json::to_value(resubscribe_info(f)).unwrap(),
            json!({"id": {"value": "F1"}, "name": "mesos-execute", "user": "u",
                "failover_timeout": 86400.0, "checkpoint": false, "role": "*",
                "capabilities": [{"type": "TASK_KILLING_STATE"}],
                "labels": {"labels": [{"key": FRAMEWORK_LABEL, "value": "detached"}]}})
        );
        assert_eq!(f.labels.get(FRAMEWORK_LABEL), Some("detached"));
        assert_eq!(st.frameworks[1].labels.get(FRAMEWORK_LABEL), None);
        // MULTI_ROLE frameworks re-subscribe with their roles.
        let mut multi = f.clone();
        multi.capabilities = vec!["MULTI_ROLE".into()];
        multi.roles = vec!["a".into(), "b".into()];
        let v = serde_json::to_value(resubscribe_info(&multi)).unwrap();
        assert_eq!(v["roles"], json!(["a", "b"]));
        assert!(v.get("role").is_none());
    }
}
