//! `mesos frameworks`: registered (and with -i completed) frameworks.

use std::collections::BTreeMap;

use crate::context::Context;
use clap::Args;
use serde::Serialize;

use crate::commands::files_common::{self, Out};
use crate::error::{Error, Result};
use crate::output::{render_plain, render_tty, OutputFormat};
use crate::tasks::format as fmt;
use crate::tasks::{get_optional, glob};
use crate::wire::{Framework, FrameworksResponse, ResourceSummary};

/// List frameworks with their resources and task counts
///
/// Asks the leader for `/master/frameworks` (`/master/state` on masters
/// without it). Shows registered frameworks, connected or not; -i adds
/// completed (torn down) ones. The table has ID, NAME, HOST, USER, ACTIVE
/// (yes, no = disconnected/inactive, done = completed), REGISTERED (UTC),
/// TASKS (active tasks), CPUS, MEM and DISK (in use). FRAMEWORK filters by
/// id, id prefix, name or name glob.
///
/// JSON (--json: one array; --ndjson: one object per line) fields: id, name,
/// hostname, user, principal, roles, active, connected, completed,
/// registered_time, reregistered_time, unregistered_time (epoch seconds),
/// webui_url, capabilities, resources {total, used, offered} (each
/// {cpus, mem, disk, gpus, ports?, ...}), tasks {active, unreachable,
/// completed, by_state {TASK_RUNNING: n, ...}}, offers (outstanding offers).
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos frameworks
  mesos frameworks -i
  mesos frameworks marathon --json | jq '.[0].resources.used'
  mesos frameworks -q")]
pub struct FrameworksArgs {
    /// Framework id, id prefix, name or glob
    #[arg(value_name = "FRAMEWORK")]
    pub framework: Option<String>,

    /// Also completed frameworks
    #[arg(short = 'i', long, visible_alias = "all", short_alias = 'a')]
    pub inactive: bool,

    /// Print framework ids only
    #[arg(short, long)]
    pub quiet: bool,
}

/// Resources of a framework: total = used + offered.
#[derive(Clone, Debug, Serialize)]
pub struct FrameworkResources {
    pub total: ResourceSummary,
    pub used: ResourceSummary,
    pub offered: ResourceSummary,
}

/// Task counts of a framework.
#[derive(Clone, Debug, Serialize)]
pub struct FrameworkTasks {
    pub active: usize,
    pub unreachable: usize,
    pub completed: usize,
    pub by_state: BTreeMap<String, usize>,
}

/// One `frameworks` record (the JSON shape).
#[derive(Clone, Debug, Serialize)]
pub struct FrameworkRecord {
    pub id: String,
    pub name: String,
    pub hostname: String,
    pub user: String,
    pub principal: Option<String>,
    pub roles: Vec<String>,
    pub active: bool,
    pub connected: Option<bool>,
    pub completed: bool,
    pub registered_time: f64,
    pub reregistered_time: Option<f64>,
    pub unregistered_time: f64,
    pub webui_url: String,
    pub capabilities: Vec<String>,
    pub resources: FrameworkResources,
    pub tasks: FrameworkTasks,
    pub offers: usize,
}

pub async fn cmd_frameworks(ctx: &Context, args: &FrameworksArgs) -> Result<()> {
    let (http, leader) = files_common::connect(ctx).await?;
    let resp =
        match get_optional::<FrameworksResponse>(&http, &leader.endpoint("/master/frameworks"))
            .await?
        {
            Some(r) => r,
            None => {
                let s = crate::tasks::master_state(&http, &leader).await?;
                FrameworksResponse {
                    frameworks: s.frameworks,
                    completed_frameworks: s.completed_frameworks,
                    unregistered_frameworks: s.unregistered_frameworks,
                }
            }
        };
    let mut records: Vec<FrameworkRecord> =
        resp.frameworks.iter().map(|f| record(f, false)).collect();
    if args.inactive {
        records.extend(resp.completed_frameworks.iter().map(|f| record(f, true)));
    }
    if let Some(q) = &args.framework {
        let exact: Vec<FrameworkRecord> = records.iter().filter(|r| r.id == *q).cloned().collect();
        records = if !exact.is_empty() {
            exact
        } else {
            records
                .into_iter()
                .filter(|r| {
                    r.id.starts_with(q.as_str())
                        || r.name == *q
                        || r.name.contains(q.as_str())
                        || glob::glob_match(q, &r.name)
                })
                .collect()
        };
        if records.is_empty() {
            let e = Error::not_found(format!("no framework matches '{q}'"));
            return Err(if args.inactive {
                e
            } else {
                e.with_hint("add -i to include completed frameworks")
            });
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
                "NAME",
                "HOST",
                "USER",
                "ACTIVE",
                "REGISTERED",
                "TASKS",
                "CPUS",
                "MEM",
                "DISK",
            ];
            let rows: Vec<Vec<String>> = records
                .iter()
                .map(|r| {
                    vec![
                        r.id.clone(),
                        dash(&r.name),
                        dash(&r.hostname),
                        dash(&r.user),
                        if r.completed {
                            "done"
                        } else if r.active {
                            "yes"
                        } else {
                            "no"
                        }
                        .to_string(),
                        fmt::utc(r.registered_time),
                        r.tasks.active.to_string(),
                        fmt::number(r.resources.used.cpus),
                        fmt::megabytes(r.resources.used.mem),
                        fmt::megabytes(r.resources.used.disk),
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

fn dash(s: &str) -> String {
    if s.is_empty() {
        "-".into()
    } else {
        s.to_string()
    }
}

/// Build the record of one framework entry.
pub fn record(f: &Framework, completed: bool) -> FrameworkRecord {
    let mut by_state: BTreeMap<String, usize> = BTreeMap::new();
    for t in f.all_tasks() {
        *by_state.entry(t.state.as_str().to_string()).or_default() += 1;
    }
    let active = f.tasks.iter().filter(|t| !t.state.is_terminal()).count();
    // Older masters have no separate `resources`: total = used + offered.
    let total = if f.resources.is_empty()
        && !(f.used_resources.is_empty() && f.offered_resources.is_empty())
    {
        add(&f.used_resources, &f.offered_resources)
    } else {
        f.resources.clone()
    };
    FrameworkRecord {
        id: f.id.clone(),
        name: f.name.clone(),
        hostname: f.hostname.clone(),
        user: f.user.clone(),
        principal: f.principal.clone(),
        roles: f.roles().into_iter().map(String::from).collect(),
        active: f.active && !completed,
        connected: f.connected,
        completed,
        registered_time: f.registered_time,
        reregistered_time: f.reregistered_time,
        unregistered_time: f.unregistered_time,
        webui_url: f.webui_url.clone(),
        capabilities: f.capabilities.clone(),
        resources: FrameworkResources {
            total,
            used: f.used_resources.clone(),
            offered: f.offered_resources.clone(),
        },
        tasks: FrameworkTasks {
            active,
            unreachable: f.unreachable_tasks.len(),
            completed: f.completed_tasks.len(),
            by_state,
        },
        offers: f.offers.len(),
    }
}

fn add(a: &ResourceSummary, b: &ResourceSummary) -> ResourceSummary {
    ResourceSummary {
        cpus: a.cpus + b.cpus,
        mem: a.mem + b.mem,
        disk: a.disk + b.disk,
        gpus: a.gpus + b.gpus,
        ports: a.ports.clone().or_else(|| b.ports.clone()),
        other: a.other.clone(),
    }
}
