//! `mesos node ...`: commands about cluster nodes (agents). Each
//! subcommand is one variant of [`NodeCommand`] with its own module or
//! args struct; add new ones (ssh, exec, metrics) next to `list`.

pub mod exec;
pub mod metrics;
pub mod ssh;

use crate::context::Context;
use clap::{Args, Subcommand};

use crate::commands::agents;
use crate::error::Result;

/// Work with cluster nodes (agents)
///
/// `mesos node list` is the same as `mesos agents`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mesos node list
  mesos node list --json | jq -r '.[].hostname'
  mesos node ssh 10.0.4.17
  mesos node exec -- uptime
  mesos node metrics summary")]
pub struct NodeArgs {
    #[command(subcommand)]
    pub command: NodeCommand,
}

/// `mesos node` subcommands.
#[derive(Debug, Subcommand)]
pub enum NodeCommand {
    List(agents::AgentsArgs),
    Ssh(ssh::NodeSshArgs),
    Exec(exec::ExecArgs),
    Metrics(metrics::NodeMetricsArgs),
}

pub async fn cmd_node(ctx: &Context, args: &NodeArgs) -> Result<()> {
    match &args.command {
        NodeCommand::List(a) => agents::cmd_agents(ctx, a).await,
        NodeCommand::Ssh(a) => ssh::cmd_node_ssh(ctx, a).await,
        NodeCommand::Exec(a) => exec::cmd_exec(ctx, a).await,
        NodeCommand::Metrics(a) => metrics::cmd_node_metrics(ctx, a).await,
    }
}
