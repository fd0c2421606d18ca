//! `mesos metrics [master|AGENT] [--prefix P]`: the raw `/metrics/snapshot`
//! of the leading master or of one agent, flattened and sorted.

use clap::Args;

use crate::context::Context;
use crate::error::Result;
use crate::metrics::render::{filter_snapshot, SnapshotRow};
use crate::metrics::{collect, Target};
use crate::output::OutputFormat;

/// Print the raw metrics snapshot of the leading master or of one agent
///
/// A NAME VALUE table sorted by name; JSON is the `{"name": number}`
/// object. Exit 4 when AGENT matches no agent.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mesos metrics
  mesos metrics master --prefix master/tasks_
  mesos metrics 10.0.4.17 --prefix system/ --json")]
pub struct MetricsArgs {
    /// `master` (the default) or an agent: id, id prefix, hostname, hostname prefix or IP
    #[arg(value_name = "master|AGENT")]
    pub target: Option<String>,

    /// Only metrics whose name starts with PREFIX (e.g. `master/`, `system/`)
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,
}

pub async fn cmd_metrics(ctx: &Context, args: &MetricsArgs) -> Result<()> {
    let http = ctx.http()?;
    let target = match args.target.as_deref() {
        None | Some("master") => Target::Master,
        Some(q) => Target::Agent(q.to_string()),
    };
    let snap = collect::snapshot(ctx, &http, target).await?;
    let snap = filter_snapshot(&snap, args.prefix.as_deref());
    match ctx.output.format {
        OutputFormat::Json => ctx.output.json_value(&snap),
        _ => {
            let rows: Vec<SnapshotRow> = snap
                .into_iter()
                .map(|(name, value)| SnapshotRow { name, value })
                .collect();
            ctx.output.rows(&rows)
        }
    }
}
