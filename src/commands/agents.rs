//! `mesos agents` (also `mesos node list`): the agents the master knows.

use std::collections::BTreeMap;

use crate::context::Context;
use clap::Args;
use serde::Serialize;

use crate::commands::files_common::{self, Out};
use crate::error::{Error, Result};
use crate::output::{render_plain, render_tty, OutputFormat};
use crate::tasks::format as fmt;
use crate::tasks::get_optional;
use crate::wire::resources::attribute_string;
use crate::wire::{
    Agent, Attributes, MasterState, ResourceSummary, StateSummary, TaskCounts, TaskState,
};

/// List agents with their resources, attributes and task counts
///
/// Asks the leader for `/master/state-summary` (one light call with every
/// agent and its task counts; `/master/state` on masters without it). The
/// table has ID, HOSTNAME, ADDRESS (ip:port of the agent's HTTP API),
/// ACTIVE, REGISTERED (UTC), TASKS (active tasks), CPUS, MEM, DISK (used /
/// total) and ATTRIBUTES. AGENT filters by id, id prefix, hostname or IP.
///
/// JSON (--json: one array; --ndjson: one object per line) fields: id,
/// hostname, address, port, active, deactivated, version, registered_time,
/// reregistered_time (epoch seconds), resources {total, used, offered,
/// unreserved, reserved {role: {...}}} (each {cpus, mem, disk, gpus,
/// ports?, ...}; mem and disk in MB), attributes {name: value}, tasks
/// {active, by_state {TASK_RUNNING: n, ...}}, framework_ids.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos agents
  mesos node list --json | jq -r '.[] | select(.active) | .hostname'
  mesos agents a1.example.net
  mesos agents -q")]
pub struct AgentsArgs {
    /// Agent id, id prefix, hostname or IP
    #[arg(value_name = "AGENT")]
    pub agent: Option<String>,

    /// Print agent ids only
    #[arg(short, long)]
    pub quiet: bool,
}

/// Resources of an agent.
#[derive(Clone, Debug, Serialize)]
pub struct AgentResources {
    pub total: ResourceSummary,
    pub used: ResourceSummary,
    pub offered: ResourceSummary,
    pub unreserved: ResourceSummary,
    pub reserved: BTreeMap<String, ResourceSummary>,
}

/// Task counts on an agent.
#[derive(Clone, Debug, Serialize)]
pub struct AgentTasks {
    pub active: u64,
    pub by_state: BTreeMap<String, u64>,
}

/// One `agents` record (the JSON shape).
#[derive(Clone, Debug, Serialize)]
pub struct AgentRecord {
    pub id: String,
    pub hostname: String,
    pub address: Option<String>,
    pub port: Option<u16>,
    pub active: bool,
    pub deactivated: Option<bool>,
    pub version: Option<String>,
    pub registered_time: f64,
    pub reregistered_time: Option<f64>,
    pub resources: AgentResources,
    pub attributes: Attributes,
    pub tasks: AgentTasks,
    pub framework_ids: Vec<String>,
}

pub async fn cmd_agents(ctx: &Context, args: &AgentsArgs) -> Result<()> {
    let (http, leader) = files_common::connect(ctx).await?;
    let mut records =
        match get_optional::<StateSummary>(&http, &leader.endpoint("/master/state-summary")).await?
        {
            Some(s) => s
                .slaves
                .iter()
                .map(|a| record(&a.agent, &a.counts, a.framework_ids.clone()))
                .collect::<Vec<_>>(),
            None => from_state(&crate::tasks::master_state(&http, &leader).await?),
        };
    if let Some(q) = &args.agent {
        let ip = |r: &AgentRecord| {
            r.address
                .as_deref()
                .and_then(|a| a.rsplit_once(':'))
                .map(|(h, _)| h.to_string())
                .unwrap_or_default()
        };
        let exact: Vec<AgentRecord> = records
            .iter()
            .filter(|r| r.id == *q || r.hostname == *q || ip(r) == *q)
            .cloned()
            .collect();
        records = if !exact.is_empty() {
            exact
        } else {
            records
                .into_iter()
                .filter(|r| r.id.starts_with(q.as_str()) || r.hostname.starts_with(q.as_str()))
                .collect()
        };
        if records.is_empty() {
            return Err(Error::not_found(format!("no agent matches '{q}'")));
        }
    }
    let mut out = Out::new();
    if args.quiet {
        for r in &records {
            out.line(&r.id)?;
        }
        return out.flush();
    }
    match ctx.output.format {
        OutputFormat::Json => ctx.output.json_value(&records),
        OutputFormat::Ndjson => {
            for r in &records {
                out.json_line(r)?;
            }
            out.flush()
        }
        OutputFormat::Table => {
            let headers = [
                "ID",
                "HOSTNAME",
                "ADDRESS",
                "ACTIVE",
                "REGISTERED",
                "TASKS",
                "CPUS",
                "MEM",
                "DISK",
                "ATTRIBUTES",
            ];
            let rows: Vec<Vec<String>> = records
                .iter()
                .map(|r| {
                    let res = &r.resources;
                    vec![
                        r.id.clone(),
                        r.hostname.clone(),
                        r.address.clone().unwrap_or_else(|| "-".into()),
                        if r.active { "yes" } else { "no" }.to_string(),
                        fmt::utc(r.registered_time),
                        r.tasks.active.to_string(),
                        format!(
                            "{}/{}",
                            fmt::number(res.used.cpus),
                            fmt::number(res.total.cpus)
                        ),
                        format!(
                            "{}/{}",
                            fmt::megabytes(res.used.mem),
                            fmt::megabytes(res.total.mem)
                        ),
                        format!(
                            "{}/{}",
                            fmt::megabytes(res.used.disk),
                            fmt::megabytes(res.total.disk)
                        ),
                        attributes(&r.attributes),
                    ]
                })
                .collect();
            let text = if ctx.output.stdout_tty {
                render_tty(&headers, &rows)
            } else {
                render_plain(&headers, &rows)
            };
            out.push(text.as_bytes())?;
            out.flush()
        }
    }
}

/// `k=v,k2=v2` (or `-`).
pub fn attributes(a: &Attributes) -> String {
    if a.is_empty() {
        return "-".into();
    }
    a.iter()
        .map(|(k, v)| format!("{k}={}", attribute_string(v)))
        .collect::<Vec<_>>()
        .join(",")
}

/// Build the record of one agent entry with its task counts.
pub fn record(a: &Agent, counts: &TaskCounts, framework_ids: Vec<String>) -> AgentRecord {
    let by_state: BTreeMap<String, u64> = TaskState::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), counts.get(s)))
        .filter(|(_, n)| *n > 0)
        .collect();
    AgentRecord {
        id: a.id.clone(),
        hostname: a.hostname.clone(),
        address: a.address(),
        port: a.port,
        active: a.active,
        deactivated: a.deactivated,
        version: a.version.clone(),
        registered_time: a.registered_time,
        reregistered_time: a.reregistered_time,
        resources: AgentResources {
            total: a.resources.clone(),
            used: a.used_resources.clone(),
            offered: a.offered_resources.clone(),
            unreserved: a.unreserved_resources.clone(),
            reserved: a.reserved_resources.clone(),
        },
        attributes: a.attributes.clone(),
        tasks: AgentTasks {
            active: counts.active(),
            by_state,
        },
        framework_ids,
    }
}

/// Records from a full `/master/state` (counts computed from its tasks).
pub fn from_state(s: &MasterState) -> Vec<AgentRecord> {
    let mut counts: BTreeMap<&str, TaskCounts> = BTreeMap::new();
    let mut fws: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for f in s.frameworks.iter().chain(s.completed_frameworks.iter()) {
        for t in f.all_tasks() {
            let c = counts.entry(t.slave_id.as_str()).or_default();
            match t.state {
                TaskState::Staging => c.staging += 1,
                TaskState::Starting => c.starting += 1,
                TaskState::Running => c.running += 1,
                TaskState::Killing => c.killing += 1,
                TaskState::Finished => c.finished += 1,
                TaskState::Killed => c.killed += 1,
                TaskState::Failed => c.failed += 1,
                TaskState::Lost => c.lost += 1,
                TaskState::Error => c.error += 1,
                TaskState::Unreachable => c.unreachable += 1,
                _ => {}
            }
            if !t.state.is_terminal() {
                let list = fws.entry(t.slave_id.as_str()).or_default();
                if !list.contains(&f.id) {
                    list.push(f.id.clone());
                }
            }
        }
    }
    s.slaves
        .iter()
        .map(|a| {
            record(
                a,
                counts.get(a.id.as_str()).unwrap_or(&TaskCounts::default()),
                fws.get(a.id.as_str()).cloned().unwrap_or_default(),
            )
        })
        .collect()
}
