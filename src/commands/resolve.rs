//! `mesos resolve`: print the leading master.

use clap::Args;

use crate::context::Context;
use crate::error::Result;
use crate::output::{write_stdout, OutputFormat};

/// Print the leading master as host:port
///
/// Asks ZooKeeper (zk://), each master of a list (via /master/redirect), or
/// the master named in a file (file://) who leads, and prints its address.
/// Plain http masters print as `host:port`; https or prefixed ones as a URL,
/// so the output can be handed to curl or other tools.
///
/// With --json prints {leader, hostname, ip, port, id, version, via}.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos resolve zk://zk1:2181,zk2:2181,zk3:2181/mesos
  mesos resolve m1:5050,m2:5050,m3:5050
  curl -s $(mesos resolve)/master/health
  mesos resolve --json | jq -r .version")]
pub struct ResolveArgs {
    /// Master to resolve (same forms as --master); defaults to --master / MESOS_MASTER / the profile
    #[arg(value_name = "MASTER")]
    pub target: Option<String>,
}

pub async fn cmd_resolve(ctx: &Context, args: &ResolveArgs) -> Result<()> {
    let ResolveArgs { target } = args;
    let with_target;
    let ctx = match target {
        Some(t) => {
            with_target = ctx.with_master(t);
            &with_target
        }
        None => ctx,
    };
    let http = ctx.http()?;
    let mut leader = ctx.leader(&http).await?;
    match ctx.output.format {
        OutputFormat::Table => write_stdout(format!("{}\n", leader.leader).as_bytes()),
        OutputFormat::Json | OutputFormat::Ndjson => {
            if let Err(e) = crate::leader::http::describe(&mut leader, &http).await {
                crate::output::warn(format!("could not read the leader's id and version: {e}"));
            }
            if ctx.output.format == OutputFormat::Json {
                ctx.output.json_value(&leader)
            } else {
                crate::output::write_ndjson_line(&leader)
            }
        }
    }
}
