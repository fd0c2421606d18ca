//! `mesos task metrics summary|details TASK`: a task's container (and app)
//! metrics from its agent's metrics source (see docs/metrics.md). The work
//! is in `crate::metrics`.

use std::time::Duration;

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::error::Result;
use crate::metrics::render::{self, PointRow, TaskRow};
use crate::metrics::{summary, Collector, TaskMetrics};
use crate::output::{self, OutputFormat, TableRow};

/// Container metrics of tasks (CPU times, memory, disk; every datapoint)
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mesos task metrics summary web
  mesos task metrics details web.1b2c --json
  mesos task metrics summary web --watch 5s")]
pub struct TaskMetricsArgs {
    #[command(subcommand)]
    pub command: TaskMetricsCommand,
}

#[derive(Debug, Subcommand)]
pub enum TaskMetricsCommand {
    Summary(TaskSummaryArgs),
    Details(TaskDetailsArgs),
}

/// CPU user/system/throttled time, CPUs, memory and disk used/limit of the matching tasks
///
/// TASK is an exact id, an id or name prefix, a substring or a glob (as in
/// `mesos ps`); every active task it matches is shown. Unknown values are
/// `-` and JSON null. Exit 4 when nothing matches.
#[derive(Debug, Args)]
pub struct TaskSummaryArgs {
    /// The task: id, id prefix, name, substring or glob
    #[arg(value_name = "TASK")]
    pub task: String,

    /// Refresh every INTERVAL (default 2s): redraw on a terminal, NDJSON lines otherwise
    #[arg(long, value_name = "INTERVAL", num_args = 0..=1, default_missing_value = "2s",
          value_parser = render::parse_interval)]
    pub watch: Option<Duration>,
}

/// Every container and app datapoint of one task: NAME, VALUE, UNIT, TAGS
///
/// JSON is the task metrics object (source, container and app messages,
/// unknown names). TASK must pick one task (exit 4 listing the candidates
/// otherwise, or a choice on a terminal).
#[derive(Debug, Args)]
pub struct TaskDetailsArgs {
    /// The task: id, id prefix, name, substring or glob
    #[arg(value_name = "TASK")]
    pub task: String,

    /// Refresh every INTERVAL (default 2s): redraw on a terminal, NDJSON lines otherwise
    #[arg(long, value_name = "INTERVAL", num_args = 0..=1, default_missing_value = "2s",
          value_parser = render::parse_interval)]
    pub watch: Option<Duration>,
}

pub async fn cmd_task_metrics(ctx: &Context, args: &TaskMetricsArgs) -> Result<()> {
    let http = ctx.http()?;
    let c = Collector::new(ctx, &http).await?;
    match &args.command {
        TaskMetricsCommand::Summary(a) => summary_cmd(ctx, &c, a).await,
        TaskMetricsCommand::Details(a) => details_cmd(ctx, &c, a).await,
    }
}

fn explain(ctx: &Context, m: &TaskMetrics) {
    if ctx.verbose > 0 {
        output::status(format!(
            "task {} on agent {} ({}): source {:?}, container {}",
            m.task_id,
            m.agent.id,
            m.agent.hostname,
            m.source,
            m.container_id.as_deref().unwrap_or("unknown")
        ));
    }
    if m.container.is_none() && m.app.is_none() {
        output::status(format!("task {}: no metrics found", m.task_id));
    }
}

fn redraws(ctx: &Context) -> bool {
    ctx.output.stdout_tty && ctx.output.format == OutputFormat::Table
}

async fn summary_cmd(ctx: &Context, c: &Collector, a: &TaskSummaryArgs) -> Result<()> {
    let redraw = redraws(ctx);
    loop {
        let (cluster, tasks) = c.find_tasks(&a.task).await?;
        let results =
            futures_util::future::join_all(tasks.iter().map(|t| c.task(&cluster, t))).await;
        let mut rows = Vec::new();
        let mut failed = 0;
        for r in results {
            match r {
                Ok(m) => {
                    explain(ctx, &m);
                    rows.push(TaskRow(summary::task(&m)));
                }
                Err(e) => {
                    failed += 1;
                    output::warn(e.message);
                }
            }
        }
        match a.watch {
            None => {
                ctx.output.rows(&rows)?;
                if failed > 0 {
                    return Err(crate::error::Error::partial(format!(
                        "{failed} of {} tasks gave no metrics",
                        tasks.len()
                    )));
                }
                return Ok(());
            }
            Some(_) if redraw => {
                let cells: Vec<Vec<String>> = rows.iter().map(|r| r.cells()).collect();
                let text = format!(
                    "{}{}",
                    render::frame_start(ctx.output.color),
                    output::render_tty(&TaskRow::headers(), &cells)
                );
                output::write_stdout(text.as_bytes())?;
            }
            Some(_) => {
                for r in &rows {
                    output::write_ndjson_line(r)?;
                }
            }
        }
        if !render::tick(a.watch.unwrap_or_default()).await {
            return Ok(());
        }
    }
}

fn points(m: &TaskMetrics) -> Vec<PointRow> {
    let mut v: Vec<PointRow> = m
        .container
        .iter()
        .chain(m.app.iter())
        .flat_map(|x| x.datapoints.iter().cloned())
        .map(PointRow)
        .collect();
    v.sort_by(|a, b| a.0.name.cmp(&b.0.name).then(a.0.tags.cmp(&b.0.tags)));
    v
}

async fn details_cmd(ctx: &Context, c: &Collector, a: &TaskDetailsArgs) -> Result<()> {
    let (cluster, tasks) = c.find_tasks(&a.task).await?;
    let one = crate::tasks::choose_one(&cluster, tasks.iter().collect(), "metrics")?.clone();
    let redraw = redraws(ctx);
    loop {
        let m = c.task(&cluster, &one).await;
        match (a.watch, m) {
            (None, m) => {
                let m = m?;
                explain(ctx, &m);
                return match ctx.output.format {
                    OutputFormat::Json => ctx.output.json_value(&m),
                    OutputFormat::Ndjson => output::write_ndjson_line(&m),
                    OutputFormat::Table => {
                        ctx.output.rows(&points(&m))?;
                        if !m.unknown.is_empty() {
                            output::status(format!(
                                "not known from this source: {}",
                                m.unknown.join(", ")
                            ));
                        }
                        Ok(())
                    }
                };
            }
            (Some(_), Err(e)) => output::warn(e.message),
            (Some(_), Ok(m)) if redraw => {
                let cells: Vec<Vec<String>> = points(&m).iter().map(|r| r.cells()).collect();
                let text = format!(
                    "{}task {} on {}\n\n{}",
                    render::frame_start(ctx.output.color),
                    m.task_id,
                    m.agent.hostname,
                    output::render_tty(&PointRow::headers(), &cells)
                );
                output::write_stdout(text.as_bytes())?;
            }
            (Some(_), Ok(m)) => output::write_ndjson_line(&m)?,
        }
        if !render::tick(a.watch.unwrap_or_default()).await {
            return Ok(());
        }
    }
}
