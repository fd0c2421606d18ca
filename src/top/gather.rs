//! Gathering a [`Frame`] from the cluster: the leader's `/master/state`,
//! then for every active agent at once its `/monitor/statistics`
//! (container usage) and its node metrics through the metrics library
//! ([`crate::metrics::collect::Collector`]: DC/OS, bundled or derived
//! source, summarised as `node metrics summary` does), each agent bounded
//! by a deadline so that a slow or dead agent is shown as such instead of
//! holding the frame back.
//!
//! CPU percentages are rates: the growth of user + system CPU seconds
//! between two rounds over the time between their samples, so the first
//! round has none (`--once` gathers twice, an interval apart).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use futures_util::future::join_all;

use super::model::{push_history, sort_tasks, AgentRow, AgentStatus, Frame, SortBy, TaskRow};
use crate::error::Result;
use crate::http::HttpClient;
use crate::leader::endpoint;
use crate::metrics::collect::{agent_ref, Collector};
use crate::metrics::NodeSummary;
use crate::tasks::format::now_epoch;
use crate::wire::{Agent, MasterState, MonitorEntry};

const MB: u64 = 1024 * 1024;

/// One container's CPU seconds at a time.
#[derive(Clone, Copy, Debug)]
struct Sample {
    timestamp: f64,
    cpu_secs: f64,
}

/// Key of a container: agent, framework, executor.
type Key = (String, String, String);

/// Keeps what rates and histories need between rounds.
#[derive(Debug, Default)]
pub struct Gatherer {
    samples: HashMap<Key, Sample>,
    cpu_history: HashMap<String, Vec<f64>>,
    mem_history: HashMap<String, Vec<f64>>,
    /// How long one agent may take to answer.
    pub agent_deadline: Duration,
}

/// What one agent said this round.
#[derive(Debug, Default)]
pub struct AgentAnswer {
    pub statistics: Vec<MonitorEntry>,
    /// The node summary (host CPU, load, memory, disk); `None` when the
    /// node metrics failed (the master's allocation is shown instead).
    pub node: Option<NodeSummary>,
}

impl Gatherer {
    pub fn new(agent_deadline: Duration) -> Gatherer {
        Gatherer {
            agent_deadline,
            ..Default::default()
        }
    }

    /// Ask the cluster for one frame.
    pub async fn gather(&mut self, collector: &Collector) -> Result<Frame> {
        let (http, leader) = (collector.http(), &collector.leader);
        let state = crate::tasks::master_state(http, leader).await?;
        let deadline = self.agent_deadline;
        let asks = state.slaves.iter().map(|a| {
            let base = crate::tasks::agent_base(&leader.url, &a.id, a.address().as_deref());
            async move {
                if !a.active {
                    return None;
                }
                let Some(base) = base else {
                    return Some(Err("the master knows no address for it".to_string()));
                };
                let ask = ask_agent(collector, a, &base);
                Some(match tokio::time::timeout(deadline, ask).await {
                    Ok(r) => r,
                    Err(_) => Err(format!(
                        "no answer within {}",
                        crate::duration::format_duration(deadline)
                    )),
                })
            }
        });
        let answers = join_all(asks).await;
        let mut answers_by_id = HashMap::new();
        for (a, ans) in state.slaves.iter().zip(answers) {
            answers_by_id.insert(a.id.clone(), ans);
        }
        Ok(self.build(&leader.leader, &state, answers_by_id, now_epoch()))
    }

    /// Build a frame from the master's state and the agents' answers
    /// (`None`: not asked, the agent is inactive).
    pub fn build(
        &mut self,
        leader: &str,
        state: &MasterState,
        mut answers: HashMap<String, Option<std::result::Result<AgentAnswer, String>>>,
        now: f64,
    ) -> Frame {
        let fw_names: HashMap<&str, &str> = state
            .frameworks
            .iter()
            .chain(state.completed_frameworks.iter())
            .map(|f| (f.id.as_str(), f.name.as_str()))
            .collect();
        let mut task_counts: BTreeMap<String, u64> = BTreeMap::new();
        for t in state.all_tasks() {
            *task_counts.entry(t.state.as_str().to_string()).or_default() += 1;
        }
        let mut seen: HashSet<Key> = HashSet::new();
        let mut agents = Vec::new();
        let mut tasks = Vec::new();
        for a in &state.slaves {
            let active_tasks: Vec<&crate::wire::Task> = state
                .all_tasks()
                .filter(|t| t.slave_id == a.id && !t.state.is_terminal())
                .collect();
            let answer = answers.remove(&a.id).flatten();
            let mut row = agent_row(a, active_tasks.len() as u64);
            match answer {
                None => row.status = AgentStatus::Inactive,
                Some(Err(e)) => row.status = AgentStatus::Failed(e),
                Some(Ok(ans)) => {
                    let mut rates: Vec<Option<f64>> = Vec::new();
                    for e in &ans.statistics {
                        let key = (a.id.clone(), e.framework_id.clone(), e.executor_id.clone());
                        let rate = self.rate(&key, &e.statistics);
                        seen.insert(key);
                        rates.push(rate);
                        let task = active_tasks.iter().find(|t| {
                            t.framework_id == e.framework_id
                                && (t.executor_id == e.executor_id
                                    || (t.executor_id.is_empty() && t.id == e.executor_id))
                        });
                        let s = &e.statistics;
                        let limit = s.cpus_limit.filter(|l| *l > 0.0);
                        let (id, name, state_name) = match task {
                            Some(t) => (t.id.clone(), t.name.clone(), t.state.as_str().to_string()),
                            None => (
                                e.executor_id.clone(),
                                e.executor_name.clone(),
                                String::new(),
                            ),
                        };
                        tasks.push(TaskRow {
                            id,
                            name,
                            framework: fw_names
                                .get(e.framework_id.as_str())
                                .map(|n| n.to_string())
                                .unwrap_or_else(|| e.framework_id.clone()),
                            agent: a.hostname.clone(),
                            state: state_name,
                            cpu_percent: rate.zip(limit).map(|(r, l)| r / l * 100.0),
                            cpus_limit: limit,
                            mem_rss_bytes: s.mem_rss_bytes,
                            mem_limit_bytes: s.mem_limit_bytes,
                        });
                    }
                    // Host CPU from the node metrics, else the containers'
                    // use of the agent's CPUs.
                    let cpus = row.cpus_total;
                    if rates.iter().all(Option::is_some) {
                        let used = rates.iter().flatten().fold(0.0, |a, r| a + r);
                        row.cpu_percent = cpus.map(|c| used / c * 100.0);
                    }
                    if let Some(n) = &ans.node {
                        row.cpu_percent = n.cpu_percent.or(row.cpu_percent);
                        row.load_1min = n.load_1min;
                        if let (Some(u), Some(t)) = (n.mem_used_bytes, n.mem_total_bytes) {
                            (row.mem_used_bytes, row.mem_total_bytes) = (Some(u), Some(t));
                        }
                        if let (Some(u), Some(t)) = (n.disk_used_bytes, n.disk_total_bytes) {
                            (row.disk_used_bytes, row.disk_total_bytes) = (Some(u), Some(t));
                        }
                    }
                }
            }
            if let Some(p) = row.cpu_percent {
                let h = self.cpu_history.entry(a.id.clone()).or_default();
                push_history(h, p);
            }
            if let Some(p) = row.mem_percent() {
                let h = self.mem_history.entry(a.id.clone()).or_default();
                push_history(h, p);
            }
            row.cpu_history = self.cpu_history.get(&a.id).cloned().unwrap_or_default();
            row.mem_history = self.mem_history.get(&a.id).cloned().unwrap_or_default();
            agents.push(row);
        }
        // Forget containers and agents that are gone.
        let failed: HashSet<&str> = agents
            .iter()
            .filter(|a| a.status != AgentStatus::Ok)
            .map(|a| a.id.as_str())
            .collect();
        self.samples
            .retain(|k, _| seen.contains(k) || failed.contains(k.0.as_str()));
        let ids: HashSet<&str> = state.slaves.iter().map(|a| a.id.as_str()).collect();
        self.cpu_history.retain(|k, _| ids.contains(k.as_str()));
        self.mem_history.retain(|k, _| ids.contains(k.as_str()));
        sort_tasks(&mut tasks, SortBy::Cpu);
        Frame {
            leader: leader.to_string(),
            cluster: state.cluster.clone().filter(|c| !c.is_empty()),
            timestamp: now,
            agents_active: state.slaves.iter().filter(|a| a.active).count() as u64,
            agents_total: state.slaves.len() as u64,
            frameworks: state.frameworks.len() as u64,
            task_counts,
            agents,
            tasks,
        }
    }

    /// CPU seconds per second since the previous sample of a container.
    fn rate(&mut self, key: &Key, s: &crate::wire::ResourceStatistics) -> Option<f64> {
        let now = Sample {
            timestamp: s.timestamp,
            cpu_secs: s.cpu_time_secs()?,
        };
        let prev = self.samples.insert(key.clone(), now)?;
        let dt = now.timestamp - prev.timestamp;
        (dt > 0.0).then(|| ((now.cpu_secs - prev.cpu_secs) / dt).max(0.0))
    }
}

/// The agent's row before its answer: allocation from the master.
fn agent_row(a: &Agent, tasks: u64) -> AgentRow {
    let mb = |v: f64| (v.max(0.0) * MB as f64) as u64;
    let known = |total: f64| total > 0.0;
    AgentRow {
        id: a.id.clone(),
        hostname: a.hostname.clone(),
        status: AgentStatus::Ok,
        cpu_percent: None,
        cpus_total: known(a.resources.cpus).then_some(a.resources.cpus),
        load_1min: None,
        mem_used_bytes: known(a.resources.mem).then(|| mb(a.used_resources.mem)),
        mem_total_bytes: known(a.resources.mem).then(|| mb(a.resources.mem)),
        disk_used_bytes: known(a.resources.disk).then(|| mb(a.used_resources.disk)),
        disk_total_bytes: known(a.resources.disk).then(|| mb(a.resources.disk)),
        tasks,
        cpu_history: Vec::new(),
        mem_history: Vec::new(),
    }
}

/// `/monitor/statistics` and the node metrics of one agent, at once.
async fn ask_agent(
    collector: &Collector,
    agent: &Agent,
    base: &reqwest::Url,
) -> std::result::Result<AgentAnswer, String> {
    let http: &HttpClient = collector.http();
    let stats_url = endpoint(base, "/monitor/statistics");
    let node_ref = agent_ref(&collector.leader.url, agent);
    let (stats, node) = futures_util::future::join(
        http.get_json::<Vec<MonitorEntry>>(&stats_url),
        collector.node(&node_ref),
    )
    .await;
    let statistics = stats.map_err(|e| crate::error::one_line(&e.to_string()))?;
    Ok(AgentAnswer {
        statistics,
        node: node.ok().map(|n| crate::metrics::summary::node(&n, None)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ResourceStatistics;

    fn state() -> MasterState {
        serde_json::from_str(
            r#"{"cluster":"dev","slaves":[
                {"id":"S1","hostname":"h1","pid":"slave(1)@10.0.0.1:5051","active":true,
                 "resources":{"cpus":2,"mem":1024,"disk":2048},
                 "used_resources":{"cpus":1,"mem":256,"disk":0}},
                {"id":"S2","hostname":"h2","pid":"slave(1)@10.0.0.2:5051","active":true,
                 "resources":{"cpus":2,"mem":1024,"disk":2048}},
                {"id":"S3","hostname":"h3","pid":"slave(1)@10.0.0.3:5051","active":false,
                 "resources":{"cpus":2,"mem":1024,"disk":2048}}],
              "frameworks":[{"id":"F","name":"marathon","tasks":[
                 {"id":"burn","name":"burn","framework_id":"F","slave_id":"S1","state":"TASK_RUNNING"},
                 {"id":"idle","name":"idle","framework_id":"F","slave_id":"S1","state":"TASK_RUNNING"},
                 {"id":"new","name":"new","framework_id":"F","slave_id":"S2","state":"TASK_STAGING"}],
                "completed_tasks":[
                 {"id":"old","name":"old","framework_id":"F","slave_id":"S1","state":"TASK_FAILED"}]}]}"#,
        )
        .unwrap()
    }

    fn entry(executor: &str, ts: f64, cpu: f64, rss: u64) -> MonitorEntry {
        MonitorEntry {
            framework_id: "F".into(),
            executor_id: executor.into(),
            statistics: ResourceStatistics {
                timestamp: ts,
                cpus_user_time_secs: Some(cpu * 0.75),
                cpus_system_time_secs: Some(cpu * 0.25),
                cpus_limit: Some(0.5),
                mem_rss_bytes: Some(rss),
                mem_limit_bytes: Some(64 << 20),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn answers(
        ts: f64,
        burn: f64,
    ) -> HashMap<String, Option<std::result::Result<AgentAnswer, String>>> {
        let mut m = HashMap::new();
        m.insert(
            "S1".to_string(),
            Some(Ok(AgentAnswer {
                statistics: vec![
                    entry("burn", ts, burn, 1 << 20),
                    entry("idle", ts, 1.0, 8 << 20),
                ],
                node: None,
            })),
        );
        m.insert(
            "S2".to_string(),
            Some(Err("no answer within 1s".to_string())),
        );
        m.insert("S3".to_string(), None);
        m
    }

    #[test]
    fn two_rounds_give_cpu_rates_counts_and_statuses() {
        let s = state();
        let mut g = Gatherer::new(Duration::from_secs(1));
        let first = g.build("m:5050", &s, answers(100.0, 10.0), 100.0);
        // One sample: no rates yet.
        assert!(first.tasks.iter().all(|t| t.cpu_percent.is_none()));
        assert_eq!(first.agents[0].cpu_percent, None);
        // Two seconds later the burner used 0.9 CPU s/s of its 0.5 limit.
        let f = g.build("m:5050", &s, answers(102.0, 11.8), 102.0);
        assert_eq!(f.cluster.as_deref(), Some("dev"));
        assert_eq!((f.agents_active, f.agents_total, f.frameworks), (2, 3, 1));
        assert_eq!(f.task_counts["TASK_RUNNING"], 2);
        assert_eq!(f.task_counts["TASK_STAGING"], 1);
        assert_eq!(f.task_counts["TASK_FAILED"], 1);
        assert_eq!(f.tasks[0].id, "burn");
        assert_eq!(f.tasks[0].framework, "marathon");
        assert_eq!(f.tasks[0].agent, "h1");
        assert!((f.tasks[0].cpu_percent.unwrap() - 180.0).abs() < 1e-6);
        assert_eq!(f.tasks[1].id, "idle");
        assert_eq!(f.tasks[1].cpu_percent, Some(0.0));
        let h1 = &f.agents[0];
        assert_eq!(h1.status, AgentStatus::Ok);
        assert_eq!(h1.tasks, 2);
        // Without node metrics: the containers' 0.9 CPU of the agent's 2.
        assert!((h1.cpu_percent.unwrap() - 45.0).abs() < 1e-6);
        assert_eq!(h1.cpu_history.len(), 1);
        assert_eq!(h1.mem_used_bytes, Some(256 << 20));
        assert_eq!(
            f.agents[1].status,
            AgentStatus::Failed("no answer within 1s".into())
        );
        assert_eq!(f.agents[2].status, AgentStatus::Inactive);
    }

    #[test]
    fn node_metrics_replace_the_allocation() {
        let s = state();
        let mut g = Gatherer::new(Duration::from_secs(1));
        let mut a = answers(100.0, 1.0);
        if let Some(Some(Ok(ans))) = a.get_mut("S1") {
            ans.node = Some(NodeSummary {
                agent_id: "S1".into(),
                hostname: "h1".into(),
                source: crate::metrics::Source::Bundled,
                cpu_percent: Some(12.5),
                load_1min: Some(0.3),
                mem_used_bytes: Some(3 << 30),
                mem_total_bytes: Some(8 << 30),
                disk_used_bytes: Some(10 << 30),
                disk_total_bytes: Some(100 << 30),
                tasks: None,
            });
        }
        let f = g.build("m:5050", &s, a, 100.0);
        let h1 = &f.agents[0];
        assert_eq!(h1.cpu_percent, Some(12.5));
        assert_eq!(h1.load_1min, Some(0.3));
        assert_eq!(h1.mem_total_bytes, Some(8 << 30));
        assert_eq!(h1.disk_used_bytes, Some(10 << 30));
        assert_eq!(h1.cpu_history, [12.5]);
    }
}
