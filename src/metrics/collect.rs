//! Fetching metrics: the agents from the leading master, each agent's
//! source (cached per [`Collector`], so `--watch` and `mesos top` probe once),
//! node metrics fanned out concurrently with a per-agent deadline, task
//! (container) metrics, and raw snapshots.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use futures_util::future::join_all;
use reqwest::Url;

use super::source::{self, dcos_root, v0_url};
use super::{AgentRef, NodeMetrics, Source, TaskMetrics};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::leader::Leader;
use crate::remote::agents::{self as select, AgentSelectArgs};
use crate::tasks::{self, TaskFilter};
use crate::wire::{Agent, Task};

/// What `mesos metrics` reads the snapshot of.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Master,
    /// An agent by id, id prefix, hostname or IP.
    Agent(String),
}

/// One agent's failure in a fan-out.
pub type AgentFailure = (AgentRef, Error);

/// A leader plus what was learnt about each agent's source. Reuse one
/// across ticks of a refreshing view.
pub struct Collector {
    pub leader: Leader,
    http: HttpClient,
    timeout: Duration,
    sources: Mutex<HashMap<String, Source>>,
}

/// The [`AgentRef`] of a master's agent entry (the URL is the agent's own
/// `ip:port`, or `<root>/agent/<id>` behind DC/OS Admin Router).
pub fn agent_ref(leader: &Url, a: &Agent) -> AgentRef {
    let url = tasks::agent_base(leader, &a.id, a.address().as_deref())
        .map(|u| u.to_string().trim_end_matches('/').to_string())
        .unwrap_or_default();
    AgentRef {
        id: a.id.clone(),
        hostname: a.hostname.clone(),
        url,
    }
}

fn from_task_agent(a: &tasks::AgentRef) -> AgentRef {
    AgentRef {
        id: a.id.clone(),
        hostname: a.hostname.clone(),
        url: a
            .base
            .as_ref()
            .map(|u| u.to_string().trim_end_matches('/').to_string())
            .unwrap_or_default(),
    }
}

impl Collector {
    /// Resolve the leading master.
    pub async fn new(ctx: &Context, http: &HttpClient) -> Result<Collector> {
        let leader = ctx.leader(http).await?;
        Ok(Collector {
            leader,
            http: http.clone(),
            timeout: ctx.timeout,
            sources: Mutex::new(HashMap::new()),
        })
    }

    /// The HTTP client this collector uses.
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// Every agent the leader knows (`/master/slaves`).
    pub async fn all_agents(&self) -> Result<Vec<Agent>> {
        select::fetch(&self.http, &self.leader).await
    }

    /// The agents named by `selection` (id, id prefix, hostname, hostname
    /// prefix or IP, as `mesos node ssh`), all active agents when empty.
    /// A query matching nothing is exit 4.
    pub async fn agents(&self, selection: &[String]) -> Result<Vec<AgentRef>> {
        let all = self.all_agents().await?;
        let args = AgentSelectArgs {
            agent: selection.to_vec(),
            attribute: Vec::new(),
        };
        let picked = select::select(&all, &args)?;
        Ok(picked
            .into_iter()
            .map(|a| agent_ref(&self.leader.url, a))
            .collect())
    }

    /// Exactly one agent (an ambiguous query is exit 4 listing the
    /// candidates, or an interactive choice on a terminal).
    pub async fn agent(&self, query: &str) -> Result<AgentRef> {
        let all = self.all_agents().await?;
        let a = select::pick_one(&all, query)?;
        Ok(agent_ref(&self.leader.url, a))
    }

    /// The source of one agent: DC/OS when the leader is behind Admin
    /// Router, else Bundled when the agent answers the v0 ping, else
    /// Derived. Remembered for this collector's life.
    pub async fn source(&self, agent: &AgentRef) -> Source {
        if dcos_root(&self.leader.url).is_some() {
            return Source::Dcos;
        }
        if let Some(s) = self.cached(&agent.id) {
            return s;
        }
        let s = if source::pings(&self.http, agent).await {
            Source::Bundled
        } else {
            Source::Derived
        };
        self.remember(&agent.id, s);
        s
    }

    fn cached(&self, id: &str) -> Option<Source> {
        self.sources.lock().ok()?.get(id).copied()
    }

    fn remember(&self, id: &str, s: Source) {
        if let Ok(mut m) = self.sources.lock() {
            m.insert(id.to_string(), s);
        }
    }

    /// Bound one agent's work by the per-agent timeout.
    async fn bounded<T>(
        &self,
        agent: &AgentRef,
        f: impl std::future::Future<Output = Result<T>>,
    ) -> Result<T> {
        match tokio::time::timeout(self.timeout, f).await {
            Ok(r) => r,
            Err(_) => Err(Error::timeout(format!(
                "agent {} ({}) did not answer within {}",
                agent.id,
                agent.hostname,
                crate::duration::format_duration(self.timeout)
            ))),
        }
    }

    /// One agent's node metrics. An agent whose source is not known yet is
    /// asked for the v0 ping, `/node` and `/metrics/snapshot` at once (one
    /// round trip whatever it turns out to be); later calls ask only what
    /// its source needs.
    pub async fn node(&self, agent: &AgentRef) -> Result<NodeMetrics> {
        self.bounded(agent, self.node_unbounded(agent)).await
    }

    async fn node_unbounded(&self, agent: &AgentRef) -> Result<NodeMetrics> {
        let leader = &self.leader.url;
        let known = if dcos_root(leader).is_some() {
            Some(Source::Dcos)
        } else {
            self.cached(&agent.id)
        };
        let source = match known {
            Some(s) => s,
            None => {
                // First contact: ping, /node and /metrics/snapshot at once,
                // so either kind of agent costs one round trip.
                let url = v0_url(Source::Bundled, leader, agent, "/node");
                let base = Url::parse(&agent.url).map_err(|_| bad_url(agent))?;
                let (ping, node, snap) = futures_util::future::join3(
                    source::pings(&self.http, agent),
                    async {
                        match &url {
                            Some(u) => Some(source::fetch_message(&self.http, u).await),
                            None => None,
                        }
                    },
                    source::fetch_snapshot(&self.http, &base),
                )
                .await;
                if ping {
                    self.remember(&agent.id, Source::Bundled);
                    let message = node.unwrap_or_else(|| Err(bad_url(agent)))?;
                    return Ok(node_metrics(agent, Source::Bundled, message, Vec::new()));
                }
                self.remember(&agent.id, Source::Derived);
                let (m, unknown) = source::derived_node(agent, &snap?);
                return Ok(node_metrics(agent, Source::Derived, Some(m), unknown));
            }
        };
        match source {
            Source::Dcos | Source::Bundled => {
                let url = v0_url(source, leader, agent, "/node").ok_or_else(|| bad_url(agent))?;
                let message = source::fetch_message(&self.http, &url).await?;
                Ok(node_metrics(agent, source, message, Vec::new()))
            }
            Source::Derived => {
                let base = Url::parse(&agent.url).map_err(|_| bad_url(agent))?;
                let snap = source::fetch_snapshot(&self.http, &base).await?;
                let (m, unknown) = source::derived_node(agent, &snap);
                Ok(node_metrics(agent, Source::Derived, Some(m), unknown))
            }
        }
    }

    /// Node metrics of many agents, concurrently, each within the
    /// per-agent timeout; results in the order of `agents`.
    pub async fn nodes(&self, agents: &[AgentRef]) -> Vec<Result<NodeMetrics, AgentFailure>> {
        join_all(
            agents
                .iter()
                .map(|a| async move { self.node(a).await.map_err(|e| (a.clone(), e)) }),
        )
        .await
    }

    /// Active (non-terminal) tasks per agent id, from the master.
    pub async fn task_counts(&self) -> Result<HashMap<String, u64>> {
        let cluster = tasks::fetch(&self.http, &self.leader, &TaskFilter::default()).await?;
        let mut out: HashMap<String, u64> = HashMap::new();
        for t in cluster.tasks.iter().filter(|t| !t.state.is_terminal()) {
            *out.entry(t.slave_id.clone()).or_default() += 1;
        }
        Ok(out)
    }

    /// The tasks `query` selects (exact id, id/name prefix, substring or
    /// glob, as `mesos ps`; active ones), with the master's view.
    pub async fn find_tasks(&self, query: &str) -> Result<(tasks::Cluster, Vec<Task>)> {
        let filter = TaskFilter::new(Some(query), &tasks::SelectArgs::default())?;
        let cluster = tasks::fetch(&self.http, &self.leader, &filter).await?;
        let selected: Vec<Task> = filter.select(&cluster).into_iter().cloned().collect();
        if selected.is_empty() {
            return Err(tasks::no_match(&filter, &cluster));
        }
        Ok((cluster, selected))
    }

    /// One task's container (and app) metrics from its agent's source.
    pub async fn task(&self, cluster: &tasks::Cluster, task: &Task) -> Result<TaskMetrics> {
        let agent = cluster
            .agents
            .get(&task.slave_id)
            .map(from_task_agent)
            .ok_or_else(|| {
                Error::not_found(format!(
                    "task {} runs on agent {}, which the master does not list",
                    task.id, task.slave_id
                ))
            })?;
        self.bounded(&agent, self.task_unbounded(agent.clone(), task))
            .await
    }

    async fn task_unbounded(&self, agent: AgentRef, task: &Task) -> Result<TaskMetrics> {
        let source = self.source(&agent).await;
        let mut tm = TaskMetrics {
            task_id: task.id.clone(),
            task_name: task.name.clone(),
            agent: agent.clone(),
            container_id: task.container_id().map(str::to_string),
            source,
            container: None,
            app: None,
            unknown: Vec::new(),
        };
        match source {
            Source::Dcos | Source::Bundled => {
                if tm.container_id.is_none() {
                    tm.container_id = self.container_from_state(&agent, task).await;
                }
                let Some(cid) = tm.container_id.clone() else {
                    return Err(Error::not_found(format!(
                        "task {} has no container id in its statuses or on agent {}; no container metrics",
                        task.id, agent.id
                    )));
                };
                let leader = &self.leader.url;
                let cu = v0_url(source, leader, &agent, &format!("/containers/{cid}"))
                    .ok_or_else(|| bad_url(&agent))?;
                let au = v0_url(source, leader, &agent, &format!("/containers/{cid}/app"))
                    .ok_or_else(|| bad_url(&agent))?;
                let (c, a) = futures_util::future::join(
                    source::fetch_message(&self.http, &cu),
                    source::fetch_message(&self.http, &au),
                )
                .await;
                tm.container = c?;
                tm.app = a?;
            }
            Source::Derived => {
                let base = Url::parse(&agent.url).map_err(|_| bad_url(&agent))?;
                let stats = source::fetch_statistics(&self.http, &base).await?;
                let eid = task.executor_or_task_id();
                match stats
                    .iter()
                    .find(|e| e.executor_id == eid && e.framework_id == task.framework_id)
                {
                    Some(e) => {
                        if tm.container_id.is_none() {
                            tm.container_id = e.container_id.clone();
                        }
                        let (m, unknown) = source::derived_container(
                            e,
                            &agent,
                            &task.id,
                            &task.name,
                            tm.container_id.as_deref(),
                        );
                        tm.container = Some(m);
                        tm.unknown = unknown;
                    }
                    None => {
                        tm.unknown = source::TASK_SUMMARY_NAMES
                            .iter()
                            .map(|s| s.to_string())
                            .chain(["app".to_string()])
                            .collect();
                    }
                }
            }
        }
        Ok(tm)
    }

    /// The container id of a task's executor from the agent's `/state`.
    async fn container_from_state(&self, agent: &AgentRef, task: &Task) -> Option<String> {
        let base = Url::parse(&agent.url).ok()?;
        let st = tasks::agent_state(&self.http, &base).await.ok()?;
        let e = st
            .find_executor(&task.framework_id, task.executor_or_task_id())
            .or_else(|| st.find_task_executor(&task.id).map(|(_, e)| e))?;
        (!e.container.is_empty()).then(|| e.container.clone())
    }

    /// Container metrics of every active task in the cluster, one
    /// `/monitor/statistics` per agent with tasks (concurrently, each within
    /// the timeout); for `mesos top`. These are measured usage from the
    /// statistics of any agent (ours serves the same numbers), so the
    /// `source` of each is [`Source::Derived`]. Agents that failed are
    /// returned beside.
    pub async fn all_tasks(&self) -> Result<(Vec<TaskMetrics>, Vec<AgentFailure>)> {
        let cluster = tasks::fetch(&self.http, &self.leader, &TaskFilter::default()).await?;
        let mut by_agent: BTreeMap<String, Vec<&Task>> = BTreeMap::new();
        for t in cluster.tasks.iter().filter(|t| !t.state.is_terminal()) {
            by_agent.entry(t.slave_id.clone()).or_default().push(t);
        }
        let jobs = by_agent.into_iter().filter_map(|(id, ts)| {
            let a = cluster.agents.get(&id).map(from_task_agent)?;
            Some((a, ts))
        });
        let results = join_all(jobs.map(|(agent, ts)| async move {
            let r = self
                .bounded(&agent, async {
                    let base = Url::parse(&agent.url).map_err(|_| bad_url(&agent))?;
                    source::fetch_statistics(&self.http, &base).await
                })
                .await;
            (agent, ts, r)
        }))
        .await;
        let mut out = Vec::new();
        let mut failed = Vec::new();
        for (agent, ts, r) in results {
            let stats = match r {
                Ok(s) => s,
                Err(e) => {
                    failed.push((agent, e));
                    continue;
                }
            };
            for t in ts {
                let eid = t.executor_or_task_id();
                let Some(e) = stats
                    .iter()
                    .find(|e| e.executor_id == eid && e.framework_id == t.framework_id)
                else {
                    continue;
                };
                let cid = t
                    .container_id()
                    .map(str::to_string)
                    .or_else(|| e.container_id.clone());
                let (m, unknown) =
                    source::derived_container(e, &agent, &t.id, &t.name, cid.as_deref());
                out.push(TaskMetrics {
                    task_id: t.id.clone(),
                    task_name: t.name.clone(),
                    agent: agent.clone(),
                    container_id: cid,
                    source: Source::Derived,
                    container: Some(m),
                    app: None,
                    unknown,
                });
            }
        }
        Ok((out, failed))
    }

    /// A raw snapshot of the leader or one agent.
    pub async fn snapshot(&self, target: &Target) -> Result<BTreeMap<String, f64>> {
        match target {
            Target::Master => source::fetch_snapshot(&self.http, &self.leader.url).await,
            Target::Agent(q) => {
                let a = self.agent(q).await?;
                let base = Url::parse(&a.url).map_err(|_| bad_url(&a))?;
                self.bounded(&a, source::fetch_snapshot(&self.http, &base))
                    .await
            }
        }
    }
}

fn bad_url(agent: &AgentRef) -> Error {
    Error::failed(format!(
        "agent {} has no usable address ('{}')",
        agent.id, agent.url
    ))
}

fn node_metrics(
    agent: &AgentRef,
    source: Source,
    message: Option<crate::wire::dcos_metrics::MetricsMessage>,
    unknown: Vec<String>,
) -> NodeMetrics {
    NodeMetrics {
        agent: agent.clone(),
        source,
        message,
        unknown,
    }
}

/// Node metrics of the selected agents (empty = every active agent),
/// concurrently. `Err` only when the master cannot be asked or a selection
/// matches no agent (exit 4, before any agent is fetched).
pub async fn nodes(
    ctx: &Context,
    http: &HttpClient,
    selection: &[String],
) -> Result<Vec<Result<NodeMetrics, AgentFailure>>> {
    let c = Collector::new(ctx, http).await?;
    let agents = c.agents(selection).await?;
    Ok(c.nodes(&agents).await)
}

/// Container metrics of every active task `task_query` selects.
pub async fn tasks(ctx: &Context, http: &HttpClient, task_query: &str) -> Result<Vec<TaskMetrics>> {
    let c = Collector::new(ctx, http).await?;
    let (cluster, selected) = c.find_tasks(task_query).await?;
    let results = join_all(selected.iter().map(|t| c.task(&cluster, t))).await;
    results.into_iter().collect()
}

/// The flattened `/metrics/snapshot` of the leader or an agent.
pub async fn snapshot(
    ctx: &Context,
    http: &HttpClient,
    target: Target,
) -> Result<BTreeMap<String, f64>> {
    Collector::new(ctx, http).await?.snapshot(&target).await
}

/// Every active task's container metrics with its summary, busiest (most
/// CPU seconds, then memory) first; for `mesos top`.
pub async fn busiest_tasks(
    ctx: &Context,
    http: &HttpClient,
) -> Result<Vec<(TaskMetrics, super::TaskSummary)>> {
    let c = Collector::new(ctx, http).await?;
    let (all, _failed) = c.all_tasks().await?;
    let mut v: Vec<(TaskMetrics, super::TaskSummary)> = all
        .into_iter()
        .map(|m| {
            let s = super::summary::task(&m);
            (m, s)
        })
        .collect();
    let cpu = |s: &super::TaskSummary| {
        s.cpus_user_time_secs.unwrap_or(0.0) + s.cpus_system_time_secs.unwrap_or(0.0)
    };
    v.sort_by(|a, b| {
        cpu(&b.1)
            .total_cmp(&cpu(&a.1))
            .then(b.1.mem_total_bytes.cmp(&a.1.mem_total_bytes))
    });
    Ok(v)
}
