//! Task selection and sandbox resolution, shared by every task command
//! (`ps`, `cat`, `head`, `tail`, `ls`, `find`, `download`, later `ssh`).
//!
//! * [`SelectArgs`]: the selection flags every task command takes.
//! * [`TaskFilter`]: a positional TASK plus those flags: exact id first,
//!   then prefix / substring / glob of the id or the name (or `--regex`).
//! * [`fetch`]: the cheapest master calls that answer the question
//!   (`/master/tasks?task_id=` for an exact id, else `/master/tasks` plus
//!   `/master/state-summary`; `/master/state(.json)` only for old masters).
//! * [`locate`]: each involved agent's `/state` once, concurrently, to find
//!   every task's sandbox directory (with the documented layout as fallback).
//! * [`find`]: all of the above; [`find_one`]: exactly one task (an
//!   interactive choice on a terminal) or exit 4 listing the candidates.

pub mod error;
pub mod format;
pub mod frameworks;
pub mod glob;
pub mod lean;
mod located;

pub use error::TasksError;
pub use located::{join_path, Located};

use std::collections::{BTreeMap, HashMap};

use clap::Args;
use futures_util::StreamExt;
use reqwest::{StatusCode, Url};
use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::http::HttpClient;
use crate::leader::{endpoint, Leader};
use crate::wire::{AgentState, MasterState, Task, TaskState};

/// Default number of agents asked at once.
pub const DEFAULT_PARALLEL: usize = 100;

/// Parse `--parallel N` (1..=1024).
pub fn parse_parallel(s: &str) -> std::result::Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if (1..=1024).contains(&n) => Ok(n),
        _ => Err(format!("'{s}' is not a number from 1 to 1024")),
    }
}

/// Selection flags shared by every task command.
#[derive(Clone, Debug, Default, Args)]
pub struct SelectArgs {
    /// Treat TASK as a regular expression, searched in task ids and names
    #[arg(long, help_heading = "Task selection")]
    pub regex: bool,

    /// Only tasks of this framework (id, id prefix or name)
    #[arg(long, value_name = "FRAMEWORK", help_heading = "Task selection")]
    pub framework: Option<String>,

    /// Only tasks on this agent (id, id prefix, hostname or IP)
    #[arg(long, value_name = "AGENT", help_heading = "Task selection")]
    pub agent: Option<String>,

    /// Only tasks in these states (running, failed, ...; repeat or comma-separate)
    #[arg(
        long,
        value_name = "STATE",
        value_delimiter = ',',
        help_heading = "Task selection"
    )]
    pub state: Vec<String>,

    /// Only tasks with this label: KEY=VALUE, or KEY for any value (repeatable; all must match)
    #[arg(long, value_name = "KEY=VALUE", help_heading = "Task selection")]
    pub label: Vec<String>,

    /// Also completed tasks (finished, failed, killed, lost, ...)
    #[arg(short = 'i', long, help_heading = "Task selection")]
    pub inactive: bool,

    /// Active and completed tasks (same as -i)
    #[arg(short = 'a', long, help_heading = "Task selection")]
    pub all: bool,
}

/// How a positional TASK is compared.
#[derive(Clone, Debug)]
pub enum Pattern {
    /// Exact id, then prefix / substring / glob of id or name.
    Text(String),
    /// `--regex`.
    Regex(regex_lite::Regex, String),
}

impl Pattern {
    pub fn as_str(&self) -> &str {
        match self {
            Pattern::Text(s) | Pattern::Regex(_, s) => s,
        }
    }

    /// A plain string that could be an exact task id (no glob, no regex).
    pub fn exact_candidate(&self) -> Option<&str> {
        match self {
            Pattern::Text(s) if !s.is_empty() && !glob::is_glob(s) => Some(s),
            _ => None,
        }
    }

    /// Loose match (everything but the exact-id rule) on one id or name.
    fn loose(&self, text: &str) -> bool {
        match self {
            Pattern::Text(p) => {
                text.starts_with(p.as_str())
                    || text.contains(p.as_str())
                    || (glob::is_glob(p) && glob::glob_match(p, text))
            }
            Pattern::Regex(r, _) => r.is_match(text),
        }
    }
}

/// A complete task selection: TASK plus the selection flags.
#[derive(Clone, Debug, Default)]
pub struct TaskFilter {
    pub pattern: Option<Pattern>,
    pub framework: Option<String>,
    pub agent: Option<String>,
    pub states: Vec<TaskState>,
    /// (key, Some(value)) or (key, None) for "has the key".
    pub labels: Vec<(String, Option<String>)>,
    pub include_completed: bool,
}

impl TaskFilter {
    /// Build from a positional TASK and the flags; bad values are usage errors.
    pub fn new(task: Option<&str>, args: &SelectArgs) -> Result<TaskFilter> {
        let pattern = match task {
            None => None,
            Some(t) if args.regex => Some(Pattern::Regex(
                regex_lite::Regex::new(t).map_err(|e| TasksError::BadRegex {
                    pattern: t.to_string(),
                    cause: e.to_string(),
                })?,
                t.to_string(),
            )),
            Some("") => None,
            Some(t) => Some(Pattern::Text(t.to_string())),
        };
        if args.regex && task.is_none() {
            return Err(TasksError::RegexWithoutPattern.into());
        }
        let mut states = Vec::new();
        for s in args
            .state
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            let st = TaskState::parse(s);
            if let TaskState::Unknown(_) = st {
                return Err(TasksError::BadState(s.to_string()).into());
            }
            states.push(st);
        }
        let mut labels = Vec::new();
        for l in &args.label {
            match l.split_once('=') {
                Some(("", _)) => return Err(TasksError::LabelWithoutKey(l.clone()).into()),
                Some((k, v)) => labels.push((k.to_string(), Some(v.to_string()))),
                None if l.is_empty() => return Err(TasksError::EmptyLabel.into()),
                None => labels.push((l.clone(), None)),
            }
        }
        // Asking for a terminal state implies looking at completed tasks.
        let include_completed =
            args.inactive || args.all || states.iter().any(TaskState::is_terminal);
        Ok(TaskFilter {
            pattern,
            framework: args.framework.clone().filter(|s| !s.is_empty()),
            agent: args.agent.clone().filter(|s| !s.is_empty()),
            states,
            labels,
            include_completed,
        })
    }

    /// Every filter but the pattern and the active/completed default.
    fn flags_match(&self, t: &Task, c: &Cluster) -> bool {
        if !self.states.is_empty() && !self.states.contains(&t.state) {
            return false;
        }
        if let Some(f) = &self.framework {
            let name = c
                .frameworks
                .get(&t.framework_id)
                .map(String::as_str)
                .unwrap_or("");
            if !(t.framework_id == *f
                || t.framework_id.starts_with(f.as_str())
                || name == f
                || glob::glob_match(f, name))
            {
                return false;
            }
        }
        if let Some(a) = &self.agent {
            let (host, addr) = c
                .agents
                .get(&t.slave_id)
                .map(|x| (x.hostname.as_str(), x.address.as_deref().unwrap_or("")))
                .unwrap_or(("", ""));
            let ip = addr.rsplit_once(':').map(|(h, _)| h).unwrap_or(addr);
            if !(t.slave_id == *a
                || t.slave_id.starts_with(a.as_str())
                || host == a
                || (!host.is_empty() && host.starts_with(a.as_str()))
                || ip == a
                || addr == a)
            {
                return false;
            }
        }
        for (k, v) in &self.labels {
            let found = t.labels.iter().any(|l| {
                l.key == *k
                    && v.as_ref()
                        .is_none_or(|v| l.value.as_deref().unwrap_or("") == v)
            });
            if !found {
                return false;
            }
        }
        true
    }

    /// The matching tasks of `c`, in a stable order (active first, then by
    /// first status time, then id).
    pub fn select<'a>(&self, c: &'a Cluster) -> Vec<&'a Task> {
        let mut out: Vec<&Task> = match &self.pattern {
            Some(p) => {
                // 1. exact id (a completed task named exactly is shown too).
                let exact: Vec<&Task> = match p.exact_candidate() {
                    Some(id) => c
                        .tasks
                        .iter()
                        .filter(|t| t.id == id && self.flags_match(t, c))
                        .collect(),
                    None => Vec::new(),
                };
                if !exact.is_empty() {
                    exact
                } else {
                    c.tasks
                        .iter()
                        .filter(|t| self.wanted_state(t))
                        .filter(|t| p.loose(&t.id) || (!t.name.is_empty() && p.loose(&t.name)))
                        .filter(|t| self.flags_match(t, c))
                        .collect()
                }
            }
            None => c
                .tasks
                .iter()
                .filter(|t| self.wanted_state(t) && self.flags_match(t, c))
                .collect(),
        };
        // The same task may be listed twice by old masters (orphans); keep one.
        let mut seen = std::collections::HashSet::new();
        out.retain(|t| seen.insert((t.framework_id.as_str(), t.id.as_str())));
        out.sort_by(|a, b| {
            a.state
                .is_terminal()
                .cmp(&b.state.is_terminal())
                .then(
                    a.first_timestamp()
                        .unwrap_or(0.0)
                        .total_cmp(&b.first_timestamp().unwrap_or(0.0)),
                )
                .then(a.id.cmp(&b.id))
        });
        out
    }

    /// Whether anything narrows the listing (TASK or a selection flag other
    /// than -i/-a): an empty result is then "not found" (exit 4), while an
    /// empty listing of everything is just empty.
    pub fn narrows(&self) -> bool {
        self.pattern.is_some()
            || self.framework.is_some()
            || self.agent.is_some()
            || !self.states.is_empty()
            || !self.labels.is_empty()
    }

    fn wanted_state(&self, t: &Task) -> bool {
        self.include_completed || !self.states.is_empty() || !t.state.is_terminal()
    }

    /// Describe the selection for "no task matches ..." messages.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        match &self.pattern {
            Some(Pattern::Text(p)) => parts.push(format!("'{p}'")),
            Some(Pattern::Regex(_, p)) => parts.push(format!("regex '{p}'")),
            None => parts.push("the selection".to_string()),
        }
        if let Some(f) = &self.framework {
            parts.push(format!("framework '{f}'"));
        }
        if let Some(a) = &self.agent {
            parts.push(format!("agent '{a}'"));
        }
        if !self.states.is_empty() {
            parts.push(format!(
                "state {}",
                self.states
                    .iter()
                    .map(|s| s.short().to_ascii_lowercase())
                    .collect::<Vec<_>>()
                    .join(",")
            ));
        }
        for (k, v) in &self.labels {
            parts.push(match v {
                Some(v) => format!("label {k}={v}"),
                None => format!("label {k}"),
            });
        }
        parts.join(", ")
    }
}

/// An agent as the task commands need it.
#[derive(Clone, Debug, Serialize)]
pub struct AgentRef {
    pub id: String,
    pub hostname: String,
    /// `ip:port` from the pid (or hostname:port).
    pub address: Option<String>,
    /// Base URL for agent requests (None when the address is unknown).
    #[serde(skip)]
    pub base: Option<Url>,
    pub active: bool,
}

/// What the master told us: tasks, agents by id, framework names by id.
#[derive(Debug, Default)]
pub struct Cluster {
    pub tasks: Vec<Task>,
    pub agents: HashMap<String, AgentRef>,
    pub frameworks: HashMap<String, String>,
    /// Framework id -> the framework's user (the user its tasks run as
    /// when a task names none), where known.
    pub framework_users: HashMap<String, String>,
}

/// The base URL of an agent. Through a DC/OS Admin Router (leader URL
/// `https://host/mesos`) agents are proxied at `/agent/<id>`; otherwise the
/// agent's own `ip:port` with the leader's scheme.
pub fn agent_base(leader: &Url, id: &str, address: Option<&str>) -> Option<Url> {
    let prefix = leader.path().trim_end_matches('/');
    if prefix.ends_with("/mesos") && !id.is_empty() {
        let mut u = leader.clone();
        u.set_path(&format!(
            "{}/agent/{id}",
            &prefix[..prefix.len() - "/mesos".len()]
        ));
        return Some(u);
    }
    let addr = address?;
    Url::parse(&format!("{}://{addr}", leader.scheme())).ok()
}

fn agent_ref(leader: &Url, a: &crate::wire::Agent) -> AgentRef {
    let address = a.address();
    AgentRef {
        id: a.id.clone(),
        hostname: a.hostname.clone(),
        base: agent_base(leader, &a.id, address.as_deref()),
        address,
        active: a.active,
    }
}

impl Cluster {
    fn add_summary(&mut self, leader: &Url, s: lean::LeanSummary) {
        for a in &s.slaves {
            self.agents
                .insert(a.id.clone(), agent_ref(leader, &a.to_agent()));
        }
        for f in s.frameworks {
            self.frameworks.insert(f.id, f.name);
        }
    }

    fn from_state(leader: &Url, s: MasterState) -> Cluster {
        let mut c = Cluster::default();
        for a in s.slaves.iter().chain(s.recovered_slaves.iter()) {
            c.agents
                .entry(a.id.clone())
                .or_insert_with(|| agent_ref(leader, a));
        }
        let mut tasks = Vec::new();
        for f in s.frameworks.into_iter().chain(s.completed_frameworks) {
            c.frameworks.insert(f.id.clone(), f.name.clone());
            if !f.user.is_empty() {
                c.framework_users.insert(f.id.clone(), f.user.clone());
            }
            let fid = f.id.clone();
            for mut t in f
                .tasks
                .into_iter()
                .chain(f.unreachable_tasks)
                .chain(f.completed_tasks)
            {
                if t.framework_id.is_empty() {
                    t.framework_id = fid.clone();
                }
                tasks.push(t);
            }
        }
        tasks.extend(s.orphan_tasks);
        c.tasks = tasks;
        c
    }

    /// The framework name for an id (`""` when unknown).
    pub fn framework_name(&self, id: &str) -> &str {
        self.frameworks.get(id).map(String::as_str).unwrap_or("")
    }

    /// The user a task runs as: its own `user`, else its framework's
    /// (Mesos sets a task's user only when its command names one).
    pub fn task_user(&self, t: &Task) -> Option<String> {
        t.user
            .clone()
            .filter(|u| !u.is_empty())
            .or_else(|| self.framework_users.get(&t.framework_id).cloned())
    }
}

/// GET and decode JSON; `Ok(None)` on 404 (an endpoint this master lacks).
pub async fn get_optional<T: serde::de::DeserializeOwned>(
    http: &HttpClient,
    url: &Url,
) -> Result<Option<T>> {
    match http.get_json::<T>(url).await {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// `/master/state`, falling back to `/master/state.json` (masters < 0.25).
pub async fn master_state(http: &HttpClient, leader: &Leader) -> Result<MasterState> {
    if let Some(s) = get_optional(http, &leader.endpoint("/master/state")).await? {
        return Ok(s);
    }
    http.get_json(&leader.endpoint("/master/state.json")).await
}

fn tasks_url(leader: &Leader, task_id: Option<&str>) -> Url {
    let mut u = leader.endpoint("/master/tasks");
    {
        let mut q = u.query_pairs_mut();
        match task_id {
            Some(id) => {
                q.append_pair("task_id", id);
            }
            None => {
                q.append_pair("limit", "-1");
            }
        }
    }
    u
}

/// GET a body with the buffer sized from `Content-Length` (one copy of a
/// big body in memory, not two). `Ok(None)` on 404.
pub async fn get_body(http: &HttpClient, url: &Url) -> Result<Option<Vec<u8>>> {
    let resp = http
        .send(http.request(reqwest::Method::GET, url.clone(), true), url)
        .await?;
    let status = resp.status();
    if status == StatusCode::NOT_FOUND {
        return Ok(None);
    }
    if !status.is_success() {
        let body = resp.bytes().await.unwrap_or_default();
        return Err(crate::http::status_error(url, status, &body));
    }
    let mut resp = resp;
    let mut buf = Vec::with_capacity(resp.content_length().unwrap_or(0).min(1 << 30) as usize);
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| crate::http::transport_error(url, &e, http.timeout))?
    {
        buf.extend_from_slice(&chunk);
    }
    Ok(Some(buf))
}

fn parse_error(url: &Url, e: serde_json::Error, body: &[u8]) -> TasksError {
    TasksError::BadBody {
        url: url.clone(),
        cause: e,
        excerpt: crate::error::excerpt(body, 120),
    }
}

/// `/master/tasks` (lean parse); `Ok(None)` when the master lacks it.
async fn get_tasks(http: &HttpClient, url: &Url) -> Result<Option<Vec<Task>>> {
    match get_body(http, url).await? {
        Some(b) => lean::parse_tasks(&b)
            .map(Some)
            .map_err(|e| parse_error(url, e, &b).into()),
        None => Ok(None),
    }
}

/// `/master/state-summary` (lean parse); `Ok(None)` when the master lacks it.
async fn get_summary(http: &HttpClient, url: &Url) -> Result<Option<lean::LeanSummary>> {
    match get_body(http, url).await? {
        Some(b) => lean::parse_summary(&b)
            .map(Some)
            .map_err(|e| parse_error(url, e, &b).into()),
        None => Ok(None),
    }
}

/// Ask the master for the tasks `filter` may select, with agents and
/// framework names. An exact task id costs one small `/master/tasks?task_id=`
/// plus `/master/state-summary`; anything else the whole `/master/tasks`
/// (fetched concurrently with the summary).
pub async fn fetch(http: &HttpClient, leader: &Leader, filter: &TaskFilter) -> Result<Cluster> {
    let summary_url = leader.endpoint("/master/state-summary");
    let exact_id = filter.pattern.as_ref().and_then(Pattern::exact_candidate);
    let tasks = async {
        if let Some(id) = exact_id {
            if let Some(t) = get_tasks(http, &tasks_url(leader, Some(id))).await? {
                if t.iter().any(|t| t.id == id) {
                    return Ok(Some(t));
                }
            } else {
                return Ok(None);
            }
        }
        get_tasks(http, &tasks_url(leader, None)).await
    };
    let (summary, tasks) = futures_util::future::join(get_summary(http, &summary_url), tasks).await;
    match (tasks?, summary?) {
        (Some(tasks), Some(summary)) => {
            let mut c = Cluster {
                tasks,
                ..Cluster::default()
            };
            c.add_summary(&leader.url, summary);
            Ok(c)
        }
        (tasks, _) => {
            // An old master (no /master/tasks or no state-summary).
            let mut c = Cluster::from_state(&leader.url, master_state(http, leader).await?);
            if let Some(t) = tasks {
                c.tasks = t;
            }
            Ok(c)
        }
    }
}

/// The agent's `/slave(1)/state` (`/slave(1)/state.json` before 1.7... and
/// `/state.json` on very old agents).
pub async fn agent_state(http: &HttpClient, base: &Url) -> Result<AgentState> {
    let mut last = None;
    for p in ["/slave(1)/state", "/slave(1)/state.json", "/state.json"] {
        match http.get_json::<AgentState>(&endpoint(base, p)).await {
            Ok(s) => return Ok(s),
            Err(e) if e.kind == ErrorKind::NotFound => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| TasksError::NoAgentState.into()))
}

/// Resolve sandboxes: each agent involved is asked once, at most `parallel`
/// at a time. Never fails as a whole: problems are recorded per task.
pub async fn locate(
    http: &HttpClient,
    cluster: &Cluster,
    tasks: &[&Task],
    parallel: usize,
) -> Vec<Located> {
    let mut by_agent: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, t) in tasks.iter().enumerate() {
        by_agent.entry(t.slave_id.as_str()).or_default().push(i);
    }
    let jobs: Vec<(String, Option<Url>)> = by_agent
        .keys()
        .map(|id| {
            (
                id.to_string(),
                cluster.agents.get(*id).and_then(|a| a.base.clone()),
            )
        })
        .collect();
    let states: HashMap<String, Result<AgentState>> = futures_util::stream::iter(jobs)
        .map(|(id, base)| async move {
            let r = match base {
                Some(b) => agent_state(http, &b).await,
                None => Err(TasksError::AgentNotRegistered(id.clone()).into()),
            };
            (id, r)
        })
        .buffer_unordered(parallel.max(1))
        .collect()
        .await;
    tasks
        .iter()
        .map(|t| {
            let agent = cluster.agents.get(&t.slave_id).cloned();
            let mut l = Located {
                task: (*t).clone(),
                framework: cluster.framework_name(&t.framework_id).to_string(),
                agent,
                executor_directory: None,
                sandbox: None,
                problem: None,
            };
            match states.get(t.slave_id.as_str()) {
                Some(Ok(st)) => resolve_sandbox(&mut l, st),
                Some(Err(e)) => {
                    l.problem = Some(e.message.clone());
                    // Mesos >= 1.5 also serves every sandbox at this path.
                    if l.agent.as_ref().is_some_and(|a| a.base.is_some()) {
                        l.sandbox = Some(format!(
                            "/frameworks/{}/executors/{}/runs/latest",
                            t.framework_id,
                            t.executor_or_task_id()
                        ));
                    }
                }
                None => l.problem = Some("agent unknown".into()),
            }
            l
        })
        .collect()
}

/// Find the executor's directory in the agent state (or the documented
/// layout under the agent's work_dir when the executor is gone from it).
fn resolve_sandbox(l: &mut Located, st: &AgentState) {
    let t = &l.task;
    let eid = t.executor_or_task_id();
    let found = st
        .find_executor(&t.framework_id, eid)
        .map(|e| (e, true))
        .or_else(|| st.find_task_executor(&t.id).map(|(_, e)| (e, false)));
    match found {
        Some((e, _)) if !e.directory.is_empty() => {
            l.executor_directory = Some(e.directory.clone());
            // Tasks of a task group (default executor) write to tasks/<id>.
            let group = e.executor_type.as_deref() == Some("DEFAULT") && e.id != t.id;
            l.sandbox = Some(if group {
                format!("{}/tasks/{}", e.directory.trim_end_matches('/'), t.id)
            } else {
                e.directory.clone()
            });
        }
        _ => {
            let dir = match st.flags.get("work_dir").filter(|w| !w.is_empty()) {
                Some(w) => format!(
                    "{}/slaves/{}/frameworks/{}/executors/{}/runs/latest",
                    w.trim_end_matches('/'),
                    t.slave_id,
                    t.framework_id,
                    eid
                ),
                None => format!("/frameworks/{}/executors/{eid}/runs/latest", t.framework_id),
            };
            l.problem = Some(
                "the agent no longer lists the executor; using the default sandbox path".into(),
            );
            l.sandbox = Some(dir);
        }
    }
}

/// Fetch, select and locate. `Err` (exit 4) when nothing matches.
pub async fn find(
    http: &HttpClient,
    leader: &Leader,
    filter: &TaskFilter,
    parallel: usize,
) -> Result<Vec<Located>> {
    let cluster = fetch(http, leader, filter).await?;
    let selected = filter.select(&cluster);
    if selected.is_empty() {
        return Err(no_match(filter, &cluster));
    }
    Ok(locate(http, &cluster, &selected, parallel).await)
}

/// The "no task matches" error (exit 4) with a hint.
pub fn no_match(filter: &TaskFilter, cluster: &Cluster) -> Error {
    let completed = cluster
        .tasks
        .iter()
        .filter(|t| t.state.is_terminal())
        .count();
    TasksError::NoMatch {
        filter: filter.describe(),
        completed_hidden: !filter.include_completed && completed > 0,
    }
    .into()
}

/// Exactly one task: the only match, an interactive choice (stdin and stderr
/// are terminals), or exit 4 listing the candidates (id, name, agent, state).
pub fn choose_one<'a>(
    cluster: &Cluster,
    mut matches: Vec<&'a Task>,
    what: &str,
) -> Result<&'a Task> {
    match matches.len() {
        0 => Err(TasksError::NoCandidate.into()),
        1 => Ok(matches.remove(0)),
        n => {
            let lines: Vec<String> = matches
                .iter()
                .map(|t| {
                    let host = cluster
                        .agents
                        .get(&t.slave_id)
                        .map(|a| a.hostname.as_str())
                        .filter(|h| !h.is_empty())
                        .unwrap_or(&t.slave_id);
                    format!(
                        "{}  {}  {}  {}",
                        t.id,
                        if t.name.is_empty() { "-" } else { &t.name },
                        host,
                        t.state.short()
                    )
                })
                .collect();
            if crate::output::picker::interactive() {
                let choice = crate::output::picker::pick(
                    &format!("{n} tasks match; pick one for {what}"),
                    &lines,
                )?;
                return match choice {
                    Some(i) => Ok(matches.remove(i)),
                    None => Err(TasksError::NoneChosen.into()),
                };
            }
            // Errors are one line: the candidates follow the colon, `; `-separated.
            Err(TasksError::Ambiguous {
                count: n,
                what: what.to_string(),
                candidates: lines.join("; "),
            }
            .into())
        }
    }
}

/// Fetch, select, choose one task (see [`choose_one`]) and locate it.
pub async fn find_one(
    http: &HttpClient,
    leader: &Leader,
    filter: &TaskFilter,
    what: &str,
) -> Result<Located> {
    let cluster = fetch(http, leader, filter).await?;
    let selected = filter.select(&cluster);
    if selected.is_empty() {
        return Err(no_match(filter, &cluster));
    }
    let one = choose_one(&cluster, selected, what)?;
    let mut v = locate(http, &cluster, &[one], 1).await;
    Ok(v.remove(0))
}

/// Run `f` over `items` with at most `limit` in flight; results in input order.
pub async fn bounded<T, R, F, Fut>(items: Vec<T>, limit: usize, f: F) -> Vec<R>
where
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = R>,
{
    let mut out: Vec<(usize, R)> = futures_util::stream::iter(items.into_iter().enumerate())
        .map(|(i, x)| {
            let fut = f(x);
            async move { (i, fut.await) }
        })
        .buffer_unordered(limit.max(1))
        .collect()
        .await;
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
}

/// True when the error means "that endpoint/file does not exist".
pub fn is_not_found(e: &Error) -> bool {
    e.kind == ErrorKind::NotFound
}

/// Status code helper for callers matching raw responses.
pub fn is_missing(status: StatusCode) -> bool {
    status == StatusCode::NOT_FOUND
}

#[cfg(test)]
mod tests;
