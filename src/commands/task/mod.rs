//! `mesos task ...`: commands about one task. Each subcommand is one
//! variant of [`TaskCommand`] with its own module.

pub mod metrics;

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::error::Result;

/// Work with tasks (metrics)
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mesos task metrics summary web
  mesos task metrics details web.1b2c --json")]
pub struct TaskArgs {
    #[command(subcommand)]
    pub command: TaskCommand,
}

/// `mesos task` subcommands.
#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    Metrics(metrics::TaskMetricsArgs),
}

pub async fn cmd_task(ctx: &Context, args: &TaskArgs) -> Result<()> {
    match &args.command {
        TaskCommand::Metrics(a) => metrics::cmd_task_metrics(ctx, a).await,
    }
}
