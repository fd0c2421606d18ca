//! `mesos top`: the live, full-screen view of the cluster (library: crate::top).

use std::time::Duration;

use clap::Args;

use crate::context::Context;
use crate::duration::parse_duration;
use crate::error::{Error, Result};
use crate::metrics::collect::Collector;
use crate::output::OutputFormat;
use crate::top::{app, gather::Gatherer, model::AgentStatus, view};

/// A live, full-screen view of the cluster: agents, busiest tasks, task counts
///
/// The header names the leader, the cluster, active/total agents, the
/// frameworks and the tasks by state (RUNNING, STAGING, FAILED, ...). The
/// agents table shows each agent's host CPU as a bar with a sparkline of
/// its recent history (0-100 %), memory and the disk mounted at / as
/// used/total bars, and the 1-minute load, from its node metrics (as `mesos
/// node metrics summary`: DC/OS, bundled or derived from /metrics/snapshot);
/// what a source lacks falls back to the containers' CPU use of the
/// agent's CPUs and to the master's allocation of memory and disk. The
/// busiest tasks table shows each container's CPU (user + system seconds
/// per second between two refreshes, percent of its CPU limit) and RSS
/// against its memory limit. Every refresh asks the leader's /master/state
/// and, all at once, each active agent's /monitor/statistics and node
/// metrics; an agent that does not answer within the interval (at least
/// 1s) is shown as FAILED with the reason, without holding the frame back.
///
/// Keys: q, Esc or Ctrl-C quit; s sorts the tasks by cpu or mem; the
/// arrow keys and PageUp/PageDown scroll the tasks.
///
/// When stdout is not a terminal, or with --once, one frame is printed as
/// plain text (no escape codes) and `mesos top` exits: 0, or 3 when some
/// agent did not answer. CPU needs two samples, so --once gathers twice,
/// --interval apart. --once --json prints the frame's data: leader,
/// cluster, timestamp, agents_active, agents_total, frameworks,
/// task_counts {TASK_RUNNING: n, ...}, agents [{id, hostname, status
/// (ok|inactive|failed), error?, cpu_percent, cpus_total, load_1min,
/// mem_used_bytes, mem_total_bytes, disk_used_bytes, disk_total_bytes,
/// tasks, cpu_history, mem_history}], tasks [{id, name, framework, agent,
/// state, cpu_percent, cpus_limit, mem_rss_bytes, mem_limit_bytes}]
/// (busiest first).
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos top
  mesos top --interval 5s
  mesos top --once
  mesos top --once --json | jq '.tasks[0]'")]
pub struct TopArgs {
    /// Time between refreshes
    #[arg(long, value_parser = parse_duration, default_value = "1s", value_name = "DURATION")]
    pub interval: Duration,

    /// Print one frame as plain text and exit (also when stdout is not a terminal)
    #[arg(long)]
    pub once: bool,

    /// Tasks printed by --once
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub tasks: usize,
}

pub async fn cmd_top(ctx: &Context, args: &TopArgs) -> Result<()> {
    if args.interval.is_zero() {
        return Err(Error::usage("--interval must be more than 0"));
    }
    let http = ctx.http()?;
    let collector = Collector::new(ctx, &http).await?;
    let once = args.once || !ctx.output.stdout_tty || ctx.output.format != OutputFormat::Table;
    if !once {
        let (color, interval) = (ctx.output.color, args.interval);
        // The full-screen loop blocks on the terminal: off the runtime.
        return tokio::task::spawn_blocking(move || app::run(collector, interval, color))
            .await
            .map_err(|e| Error::failed(format!("the view stopped: {e}")))?;
    }
    let mut g = Gatherer::new(args.interval.max(Duration::from_secs(1)));
    g.gather(&collector).await?;
    tokio::time::sleep(args.interval).await;
    let frame = g.gather(&collector).await?;
    match ctx.output.format {
        OutputFormat::Table => {
            let width = crate::output::terminal_width()
                .unwrap_or(120)
                .min(u16::MAX as usize) as u16;
            let mut text = view::plain_lines(&frame, width, args.tasks).join("\n");
            text.push('\n');
            crate::output::write_stdout(text.as_bytes())?;
        }
        _ => ctx.output.json_value(&frame)?,
    }
    let failed: Vec<String> = frame
        .agents
        .iter()
        .filter_map(|a| match &a.status {
            AgentStatus::Failed(e) => Some(format!("{} ({}): {e}", a.hostname, a.id)),
            _ => None,
        })
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Error::partial(format!(
            "{} of {} agents did not answer",
            failed.len(),
            frame.agents.len()
        ))
        .with_details(failed))
    }
}
