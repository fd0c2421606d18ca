//! `mesos node metrics summary|details`: node metrics of agents from the
//! cluster's metrics source (see docs/metrics.md). The work is in
//! `crate::metrics`.

use std::collections::HashMap;
use std::time::Duration;

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::error::{Error, Result};
use crate::metrics::collect::AgentFailure;
use crate::metrics::render::{self, NodeRow, PointRow};
use crate::metrics::{summary, AgentRef, Collector, History, NodeMetrics, NodeSummary};
use crate::output::{self, OutputFormat, TableRow};

/// Node metrics of agents (CPU, load, memory, disk; every datapoint)
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mesos node metrics summary
  mesos node metrics summary 10.0.4.17 --json
  mesos node metrics details S3 --watch
  mesos -v node metrics summary   # also says which source each agent used")]
pub struct NodeMetricsArgs {
    #[command(subcommand)]
    pub command: NodeMetricsCommand,
}

#[derive(Debug, Subcommand)]
pub enum NodeMetricsCommand {
    Summary(SummaryArgs),
    Details(DetailsArgs),
}

/// One row per agent: CPU %, load, memory and disk (on /) used/total, tasks
///
/// Unknown values (a source that cannot give them) are `-` and JSON null.
/// Exit 3 when some agents failed (their rows are missing, one warning
/// each), 4 when an AGENT matches nothing.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Agents: id, id prefix, hostname, hostname prefix or IP (default: every active agent)
    #[arg(value_name = "AGENT")]
    pub agents: Vec<String>,

    /// Refresh every INTERVAL (default 2s): redraw on a terminal, NDJSON lines otherwise
    #[arg(long, value_name = "INTERVAL", num_args = 0..=1, default_missing_value = "2s",
          value_parser = render::parse_interval)]
    pub watch: Option<Duration>,
}

/// Every datapoint of one agent: NAME, VALUE, UNIT, TAGS
///
/// JSON is the node metrics object (source, the DC/OS message, unknown names).
#[derive(Debug, Args)]
pub struct DetailsArgs {
    /// The agent: id, id prefix, hostname, hostname prefix or IP
    #[arg(value_name = "AGENT")]
    pub agent: String,

    /// Refresh every INTERVAL (default 2s): redraw on a terminal, NDJSON lines otherwise
    #[arg(long, value_name = "INTERVAL", num_args = 0..=1, default_missing_value = "2s",
          value_parser = render::parse_interval)]
    pub watch: Option<Duration>,
}

pub async fn cmd_node_metrics(ctx: &Context, args: &NodeMetricsArgs) -> Result<()> {
    let http = ctx.http()?;
    let c = Collector::new(ctx, &http).await?;
    match &args.command {
        NodeMetricsCommand::Summary(a) => summary_cmd(ctx, &c, a).await,
        NodeMetricsCommand::Details(a) => details_cmd(ctx, &c, a).await,
    }
}

fn explain(ctx: &Context, m: &NodeMetrics) {
    if ctx.verbose > 0 {
        output::status(format!(
            "agent {} ({}): source {}",
            m.agent.id,
            m.agent.hostname,
            match m.source {
                crate::metrics::Source::Dcos => "dcos (DC/OS metrics API through the master)",
                crate::metrics::Source::Bundled => "bundled (the agent's own metrics API)",
                crate::metrics::Source::Derived =>
                    "derived (/metrics/snapshot of a plain Mesos agent)",
            }
        ));
        if !m.unknown.is_empty() && ctx.verbose > 1 {
            output::status(format!("  unknown: {}", m.unknown.join(", ")));
        }
    }
    if m.message.is_none() {
        output::status(format!(
            "agent {} ({}): no metrics yet (the source has not collected any)",
            m.agent.id, m.agent.hostname
        ));
    }
}

fn warn_failures(failed: &[AgentFailure]) {
    for (a, e) in failed {
        output::warn(format!("agent {} ({}): {}", a.id, a.hostname, e.message));
    }
}

fn partial(failed: &[AgentFailure], total: usize) -> Result<()> {
    if failed.is_empty() {
        return Ok(());
    }
    Err(Error::partial(format!(
        "{} of {total} agents gave no metrics",
        failed.len()
    )))
}

/// One fetch of the selected agents: summaries and failures.
async fn summaries(
    ctx: &Context,
    c: &Collector,
    agents: &[AgentRef],
) -> (Vec<NodeSummary>, Vec<AgentFailure>) {
    let (results, counts) = futures_util::future::join(c.nodes(agents), c.task_counts()).await;
    let counts: Option<HashMap<String, u64>> = counts.ok();
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for r in results {
        match r {
            Ok(m) => {
                explain(ctx, &m);
                let tasks = counts
                    .as_ref()
                    .map(|c| c.get(&m.agent.id).copied().unwrap_or(0));
                rows.push(summary::node(&m, tasks));
            }
            Err(f) => failed.push(f),
        }
    }
    (rows, failed)
}

async fn summary_cmd(ctx: &Context, c: &Collector, a: &SummaryArgs) -> Result<()> {
    let agents = c.agents(&a.agents).await?;
    let Some(interval) = a.watch else {
        let (rows, failed) = summaries(ctx, c, &agents).await;
        let rows: Vec<NodeRow> = rows.into_iter().map(NodeRow).collect();
        ctx.output.rows(&rows)?;
        warn_failures(&failed);
        return partial(&failed, agents.len());
    };
    let redraw = redraws(ctx);
    let mut history = History::new(30);
    loop {
        let (rows, failed) = summaries(ctx, c, &agents).await;
        if !redraw {
            for r in &rows {
                output::write_ndjson_line(r)?;
            }
            warn_failures(&failed);
        } else {
            let now = crate::tasks::format::now_epoch();
            let mut cells = Vec::new();
            for r in &rows {
                if let Some(v) = r.cpu_percent {
                    history.push(&format!("cpu/{}", r.agent_id), now, v);
                }
                if let Some(v) = r.mem_used_bytes {
                    history.push(&format!("mem/{}", r.agent_id), now, v as f64);
                }
                let mut line = NodeRow(r.clone()).cells();
                line.push(render_spark(&history, &format!("cpu/{}", r.agent_id)));
                line.push(render_spark(&history, &format!("mem/{}", r.agent_id)));
                cells.push(line);
            }
            let mut headers = NodeRow::headers();
            headers.extend(["CPU HISTORY", "MEM HISTORY"]);
            let mut text = String::from(render::frame_start(ctx.output.color));
            text.push_str(&output::render_tty(&headers, &cells));
            for (a, e) in &failed {
                text.push_str(&format!("agent {} ({}): {}\n", a.id, a.hostname, e.message));
            }
            output::write_stdout(text.as_bytes())?;
        }
        if !render::tick(interval).await {
            return Ok(());
        }
    }
}

fn render_spark(h: &History, key: &str) -> String {
    let s = crate::metrics::sparkline(&h.values(key), 20);
    if s.is_empty() {
        "-".into()
    } else {
        s
    }
}

/// A `--watch` on a terminal with table output redraws in place; otherwise
/// it prints NDJSON lines.
fn redraws(ctx: &Context) -> bool {
    ctx.output.stdout_tty && ctx.output.format == OutputFormat::Table
}

async fn details_cmd(ctx: &Context, c: &Collector, a: &DetailsArgs) -> Result<()> {
    let agent = c.agent(&a.agent).await?;
    let Some(interval) = a.watch else {
        let m = c.node(&agent).await?;
        explain(ctx, &m);
        return print_details(ctx, &m);
    };
    let redraw = redraws(ctx);
    let mut history = History::new(30);
    loop {
        match c.node(&agent).await {
            Err(e) => {
                output::warn(format!(
                    "agent {} ({}): {}",
                    agent.id, agent.hostname, e.message
                ));
            }
            Ok(m) if !redraw => output::write_ndjson_line(&m)?,
            Ok(m) => details_frame(ctx, &agent, &m, &mut history)?,
        }
        if !render::tick(interval).await {
            return Ok(());
        }
    }
}

fn details_frame(
    ctx: &Context,
    agent: &AgentRef,
    m: &NodeMetrics,
    history: &mut History,
) -> Result<()> {
    {
        {
            let s = summary::node(m, None);
            let now = crate::tasks::format::now_epoch();
            if let Some(v) = s.cpu_percent {
                history.push("cpu", now, v);
            }
            if let Some(v) = s.mem_used_bytes {
                history.push("mem", now, v as f64);
            }
            let mut text = String::from(render::frame_start(ctx.output.color));
            text.push_str(&format!(
                "{} ({})  CPU {} {}  MEM {} {}\n\n",
                agent.id,
                agent.hostname,
                s.cpu_percent
                    .map(|v| format!("{v:.2}%"))
                    .unwrap_or_else(|| "-".into()),
                render_spark(history, "cpu"),
                s.mem_used_bytes
                    .map(|v| render::bytes(v as f64))
                    .unwrap_or_else(|| "-".into()),
                render_spark(history, "mem"),
            ));
            let cells: Vec<Vec<String>> = sorted_points(m)
                .into_iter()
                .map(|p| PointRow(p).cells())
                .collect();
            text.push_str(&output::render_tty(&PointRow::headers(), &cells));
            output::write_stdout(text.as_bytes())
        }
    }
}

fn sorted_points(m: &NodeMetrics) -> Vec<crate::wire::dcos_metrics::Datapoint> {
    let mut points = m
        .message
        .as_ref()
        .map(|x| x.datapoints.clone())
        .unwrap_or_default();
    points.sort_by(|a, b| a.name.cmp(&b.name).then(a.tags.cmp(&b.tags)));
    points
}

fn print_details(ctx: &Context, m: &NodeMetrics) -> Result<()> {
    match ctx.output.format {
        OutputFormat::Json => ctx.output.json_value(m),
        OutputFormat::Ndjson => output::write_ndjson_line(m),
        OutputFormat::Table => {
            let rows: Vec<PointRow> = sorted_points(m).into_iter().map(PointRow).collect();
            ctx.output.rows(&rows)?;
            if !m.unknown.is_empty() {
                output::status(format!(
                    "not known from the {} source: {}",
                    match m.source {
                        crate::metrics::Source::Derived => "derived",
                        crate::metrics::Source::Bundled => "bundled",
                        crate::metrics::Source::Dcos => "dcos",
                    },
                    m.unknown.join(", ")
                ));
            }
            Ok(())
        }
    }
}
