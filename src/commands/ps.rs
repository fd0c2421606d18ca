//! `mesos ps [TASK]`: tasks with their allocation and live usage.

use std::collections::{BTreeMap, HashMap};

use crate::context::Context;
use clap::Args;
use serde::Serialize;

use crate::commands::files_common::{self, Out};
use crate::error::{Error, ErrorKind, Result};
use crate::http::HttpClient;
use crate::leader::endpoint;
use crate::output::{render_tty, OutputFormat};
use crate::tasks::format as fmt;
use crate::tasks::{self, Cluster, SelectArgs, TaskFilter};
use crate::wire::agent::ResourceStatistics;
use crate::wire::{Labels, MonitorEntry, Task};

/// List tasks with their resources and live CPU and memory usage
///
/// Shows active tasks (add -i for completed ones) as a table: ID, NAME,
/// FRAMEWORK, STATE, HOST, CPUS and MEM (allocated), TIME (user+system CPU
/// time), RSS and %MEM (RSS of the memory limit). The master is asked once
/// (`/master/tasks` and `/master/state-summary`; one small
/// `/master/tasks?task_id=` for an exact id). Usage comes from each involved
/// agent's `/monitor/statistics`, all agents at once (at most --parallel in
/// flight) and each exactly once, so the wall time is that of the slowest
/// agent. An unreachable agent leaves its usage cells as `-`, is named on
/// stderr and makes the exit code 3. --no-usage skips the agents entirely.
///
/// TASK matches an exact task id first, else any task whose id or name
/// starts with, contains or glob-matches it (--regex for a regular
/// expression). A selection (TASK, --framework, --agent, --state, --label)
/// that matches no task exits 4; `mesos ps` on a cluster without tasks
/// lists no rows and exits 0.
///
/// JSON (--json: one array; --ndjson: one object per line) fields: id, name,
/// framework_id, framework, state, agent_id, hostname, executor_id, role,
/// user, cpus, mem (MB), disk (MB), gpus, started (epoch seconds of the
/// first status), updated (of the latest status), labels [{key,value}],
/// usage (null with --no-usage or when the agent did not answer, else
/// {timestamp, cpu_time_secs, cpus_user_time_secs, cpus_system_time_secs,
/// cpus_limit, mem_rss_bytes, mem_limit_bytes, mem_percent, statistics: the
/// agent's full ResourceStatistics}), command (the executor's name as the
/// agent reports it, e.g. Mesos' "Command Executor (Task: ID) (Command:
/// sh -c '...')"; null with --no-usage or when the agent did not say).
///
/// -w/--wide adds USER (the task's user, else its framework's: Mesos records
/// a task's user only when its command names one) and COMMAND to the table
/// and never cuts it to the terminal's width. JSON `user` is the task's own.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos ps
  mesos ps web --framework marathon
  mesos ps -i --state failed,killed
  mesos ps --no-usage -q | wc -l
  mesos ps --ndjson | jq -c 'select(.usage.mem_percent > 90)'")]
pub struct PsArgs {
    /// Task id, id prefix, name, substring or glob
    #[arg(value_name = "TASK")]
    pub task: Option<String>,

    #[command(flatten)]
    pub select: SelectArgs,

    /// Do not ask the agents for usage (only the master is asked)
    #[arg(long)]
    pub no_usage: bool,

    /// Print task ids only
    #[arg(short, long)]
    pub quiet: bool,

    /// Also USER (the task's, else its framework's) and COMMAND (the executor's name, from the agents), and never cut to the terminal's width
    #[arg(short, long)]
    pub wide: bool,

    /// Agents asked at once
    #[arg(long, value_name = "N", default_value_t = tasks::DEFAULT_PARALLEL, value_parser = tasks::parse_parallel)]
    pub parallel: usize,
}

/// Live usage of a task's executor.
#[derive(Clone, Debug, Serialize)]
pub struct Usage {
    pub timestamp: f64,
    pub cpu_time_secs: Option<f64>,
    pub cpus_user_time_secs: Option<f64>,
    pub cpus_system_time_secs: Option<f64>,
    pub cpus_limit: Option<f64>,
    pub mem_rss_bytes: Option<u64>,
    pub mem_limit_bytes: Option<u64>,
    pub mem_percent: Option<f64>,
    pub statistics: ResourceStatistics,
}

/// One `ps` record (the JSON shape).
#[derive(Clone, Debug, Serialize)]
pub struct PsRecord {
    pub id: String,
    pub name: String,
    pub framework_id: String,
    pub framework: String,
    pub state: String,
    pub agent_id: String,
    pub hostname: String,
    pub executor_id: String,
    pub role: Option<String>,
    pub user: Option<String>,
    pub cpus: f64,
    pub mem: f64,
    pub disk: f64,
    pub gpus: f64,
    pub started: Option<f64>,
    pub updated: Option<f64>,
    pub labels: Labels,
    pub usage: Option<Usage>,
    /// The executor's name as the agent reports it (the command of a
    /// command task); null without usage or when the agent did not say.
    pub command: Option<String>,
}

pub async fn cmd_ps(ctx: &Context, args: &PsArgs) -> Result<()> {
    let filter = TaskFilter::new(args.task.as_deref(), &args.select)?;
    let (http, leader) = files_common::connect(ctx).await?;
    let mut cluster = tasks::fetch(&http, &leader, &filter).await?;
    // Completed frameworks are not in the summary: name them too; and with
    // --wide, USER falls back to the framework's user, which the summary
    // lacks.
    let ask: Vec<String> = filter
        .select(&cluster)
        .iter()
        .filter(|t| !t.framework_id.is_empty())
        .filter(|t| {
            !cluster.frameworks.contains_key(&t.framework_id)
                || (args.wide && cluster.task_user(t).is_none())
        })
        .map(|t| t.framework_id.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for (id, f) in tasks::frameworks::infos_of(&http, &leader, &ask).await {
        if !f.user.is_empty() {
            cluster.framework_users.insert(id.clone(), f.user);
        }
        if !f.name.is_empty() && !cluster.frameworks.contains_key(&id) {
            cluster.frameworks.insert(id, f.name);
        }
    }
    let selected = filter.select(&cluster);
    // An empty listing is not an error; a selection (TASK or the selection
    // flags) that matches nothing is, the same for every way of selecting.
    if selected.is_empty() && filter.narrows() {
        return Err(tasks::no_match(&filter, &cluster));
    }
    let want_usage = !args.no_usage && !args.quiet;
    let (usage, failed) = if want_usage {
        fetch_usage(&http, &cluster, &selected, args.parallel).await
    } else {
        (HashMap::new(), BTreeMap::new())
    };
    let format = ctx.output.format;
    let mut out = Out::new();
    if args.quiet {
        for t in &selected {
            out.line(&t.id)?;
        }
    } else {
        match format {
            OutputFormat::Json if ctx.output.stdout_tty => {
                let records: Vec<PsRecord> = selected
                    .iter()
                    .map(|t| record(t, &cluster, &usage))
                    .collect();
                ctx.output.json_value(&records)?;
            }
            OutputFormat::Json => {
                // Streamed: one record at a time, never the whole document.
                out.push(b"[")?;
                for (i, t) in selected.iter().enumerate() {
                    if i > 0 {
                        out.push(b",")?;
                    }
                    out.json(&record(t, &cluster, &usage))?;
                }
                out.push(b"]\n")?;
            }
            OutputFormat::Ndjson => {
                for t in &selected {
                    out.json_line(&record(t, &cluster, &usage))?;
                }
            }
            OutputFormat::Table => {
                let (headers, rows) = table(&selected, &cluster, &usage, want_usage, args.wide);
                if ctx.output.stdout_tty && !args.wide {
                    out.push(render_tty(&headers, &rows).as_bytes())?;
                } else {
                    files_common::plain_table(&mut out, &headers, &rows)?;
                }
            }
        }
    }
    out.flush()?;
    if !failed.is_empty() {
        for (id, msg) in &failed {
            let host = cluster
                .agents
                .get(id)
                .map(|a| a.hostname.as_str())
                .unwrap_or("");
            crate::output::warn(format!("no usage from agent {id} ({host}): {msg}"));
        }
        return Err(Error::partial(format!(
            "usage missing from {} of {} agents",
            failed.len(),
            agents_with_usage(&selected)
        )));
    }
    Ok(())
}

fn agents_with_usage(tasks: &[&Task]) -> usize {
    let mut s: Vec<&str> = tasks
        .iter()
        .filter(|t| !t.state.is_terminal())
        .map(|t| t.slave_id.as_str())
        .collect();
    s.sort_unstable();
    s.dedup();
    s.len()
}

/// What an agent's `/monitor/statistics` says about one executor.
#[derive(Clone, Debug)]
struct Sample {
    statistics: ResourceStatistics,
    /// The executor's name: for command tasks Mesos' "Command Executor
    /// (Task: ID) (Command: sh -c '...')", the COMMAND column.
    executor_name: String,
}

type UsageMap = HashMap<(String, String), Sample>;

/// Ask every agent running a selected task for `/monitor/statistics`,
/// concurrently, once each. Returns usage by (framework id, executor id)
/// and the agents that failed.
async fn fetch_usage(
    http: &HttpClient,
    cluster: &Cluster,
    tasks: &[&Task],
    parallel: usize,
) -> (UsageMap, BTreeMap<String, String>) {
    let mut agents: Vec<String> = tasks
        .iter()
        .filter(|t| !t.state.is_terminal())
        .map(|t| t.slave_id.clone())
        .collect();
    agents.sort_unstable();
    agents.dedup();
    let results = tasks::bounded(agents, parallel, |id| async move {
        let base = cluster.agents.get(&id).and_then(|a| a.base.clone());
        let r = match base {
            Some(b) => monitor_statistics(http, &b).await,
            None => Err(Error::failed("agent not registered with the master")),
        };
        (id, r)
    })
    .await;
    let mut usage = UsageMap::new();
    let mut failed = BTreeMap::new();
    for (id, r) in results {
        match r {
            Ok(entries) => add_entries(&mut usage, entries),
            Err(e) => {
                failed.insert(id, e.message);
            }
        }
    }
    (usage, failed)
}

/// Index statistics by (framework id, executor id), and by executor id
/// alone (old agents report shortened framework ids).
fn add_entries(usage: &mut UsageMap, entries: Vec<MonitorEntry>) {
    for e in entries {
        let sample = Sample {
            statistics: e.statistics,
            executor_name: e.executor_name,
        };
        usage.insert(
            (e.framework_id.clone(), e.executor_id.clone()),
            sample.clone(),
        );
        usage
            .entry((String::new(), e.executor_id))
            .or_insert(sample);
    }
}

/// `/slave(1)/monitor/statistics`, then the older `/monitor/statistics` and
/// `/monitor/statistics.json`.
pub async fn monitor_statistics(
    http: &HttpClient,
    base: &reqwest::Url,
) -> Result<Vec<MonitorEntry>> {
    let mut last = None;
    for p in [
        "/slave(1)/monitor/statistics",
        "/monitor/statistics",
        "/monitor/statistics.json",
    ] {
        match http.get_json::<Vec<MonitorEntry>>(&endpoint(base, p)).await {
            Ok(v) => return Ok(v),
            Err(e) if e.kind == ErrorKind::NotFound => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| Error::failed("no statistics endpoint")))
}

/// The statistics of a task's executor (none for ended tasks).
fn stats_of<'a>(t: &Task, usage: &'a UsageMap) -> Option<&'a ResourceStatistics> {
    sample_of(t, usage).map(|s| &s.statistics)
}

fn sample_of<'a>(t: &Task, usage: &'a UsageMap) -> Option<&'a Sample> {
    if t.state.is_terminal() {
        return None;
    }
    let eid = t.executor_or_task_id();
    usage
        .get(&(t.framework_id.clone(), eid.to_string()))
        .or_else(|| usage.get(&(String::new(), eid.to_string())))
}

fn summarize(s: &ResourceStatistics) -> Usage {
    let mem_percent = match (s.mem_rss_bytes, s.mem_limit_bytes) {
        (Some(r), Some(l)) if l > 0 => Some(((r as f64) * 1000.0 / l as f64).round() / 10.0),
        _ => None,
    };
    Usage {
        timestamp: s.timestamp,
        cpu_time_secs: s.cpu_time_secs(),
        cpus_user_time_secs: s.cpus_user_time_secs,
        cpus_system_time_secs: s.cpus_system_time_secs,
        cpus_limit: s.cpus_limit,
        mem_rss_bytes: s.mem_rss_bytes,
        mem_limit_bytes: s.mem_limit_bytes,
        mem_percent,
        statistics: s.clone(),
    }
}

fn record(t: &Task, c: &Cluster, usage: &UsageMap) -> PsRecord {
    PsRecord {
        id: t.id.clone(),
        name: t.name.clone(),
        framework_id: t.framework_id.clone(),
        framework: c.framework_name(&t.framework_id).to_string(),
        state: t.state.as_str().to_string(),
        agent_id: t.slave_id.clone(),
        hostname: c
            .agents
            .get(&t.slave_id)
            .map(|a| a.hostname.clone())
            .unwrap_or_default(),
        executor_id: t.executor_or_task_id().to_string(),
        role: t.role.clone(),
        user: t.user.clone(),
        cpus: t.resources.cpus,
        mem: t.resources.mem,
        disk: t.resources.disk,
        gpus: t.resources.gpus,
        started: t.first_timestamp(),
        updated: t.latest_timestamp(),
        labels: t.labels.clone(),
        usage: stats_of(t, usage).map(summarize),
        command: sample_of(t, usage)
            .map(|s| s.executor_name.clone())
            .filter(|n| !n.is_empty()),
    }
}

fn table(
    tasks: &[&Task],
    c: &Cluster,
    usage: &UsageMap,
    with_usage: bool,
    wide: bool,
) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let mut headers = vec!["ID", "NAME", "FRAMEWORK", "STATE", "HOST", "CPUS", "MEM"];
    if with_usage {
        headers.extend(["TIME", "RSS", "%MEM"]);
    }
    if wide {
        headers.extend(["USER", "COMMAND"]);
    }
    let dash = || "-".to_string();
    let rows = tasks
        .iter()
        .map(|t| {
            let framework = c.framework_name(&t.framework_id);
            let host = c
                .agents
                .get(&t.slave_id)
                .map(|a| a.hostname.as_str())
                .filter(|h| !h.is_empty());
            let mut row = vec![
                t.id.clone(),
                if t.name.is_empty() {
                    dash()
                } else {
                    t.name.clone()
                },
                if framework.is_empty() {
                    t.framework_id.clone()
                } else {
                    framework.to_string()
                },
                t.state.short().to_string(),
                host.map(String::from).unwrap_or_else(|| t.slave_id.clone()),
                fmt::number(t.resources.cpus),
                fmt::megabytes(t.resources.mem),
            ];
            if with_usage {
                let u = stats_of(t, usage).map(summarize);
                let u = u.as_ref();
                row.push(
                    u.and_then(|u| u.cpu_time_secs)
                        .map(fmt::cpu_time)
                        .unwrap_or_else(dash),
                );
                row.push(
                    u.and_then(|u| u.mem_rss_bytes)
                        .map(fmt::bytes)
                        .unwrap_or_else(dash),
                );
                row.push(
                    u.and_then(|u| u.mem_percent)
                        .map(|p| format!("{p:.1}"))
                        .unwrap_or_else(dash),
                );
            }
            if wide {
                row.push(c.task_user(t).unwrap_or_else(dash));
                row.push(
                    sample_of(t, usage)
                        .map(|s| s.executor_name.clone())
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(dash),
                );
            }
            row
        })
        .collect();
    (headers, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Usage from a real 0.21 `/monitor/statistics` body (the framework id
    /// in it was shortened by its anonymiser, so the executor id decides).
    #[test]
    fn usage_from_a_real_monitor_body() {
        let body = crate::test_fixtures::read_fixture("agent-monitor-statistics-0.21.json");
        let entries: Vec<MonitorEntry> = serde_json::from_slice(&body).unwrap();
        let mut usage = UsageMap::new();
        add_entries(&mut usage, entries);
        let t: Task = serde_json::from_value(serde_json::json!({
            "id": "task_name.09b6f20c-b6a9-11e4-99f6-fa163ef210c0", "framework_id": "20150101-0000",
            "executor_id": "", "slave_id": "S0", "state": "TASK_RUNNING"}))
        .unwrap();
        let c = Cluster::default();
        let r = record(&t, &c, &usage);
        let u = r.usage.expect("usage found by executor id");
        assert_eq!(u.mem_rss_bytes, Some(102981632));
        assert!(u.cpu_time_secs.unwrap() > 7.52);
        assert!(u.mem_percent.is_some());
        let (_, rows) = table(&[&t], &c, &usage, true, false);
        assert_eq!(rows[0][8], "98M");
        // Ended tasks show no usage even if their executor still reports.
        let mut done = t.clone();
        done.state = crate::wire::TaskState::Finished;
        assert!(record(&done, &c, &usage).usage.is_none());
    }
}
