//! `mesos deployment ...`: Marathon deployments (library code in
//! `crate::marathon_client`).

use std::time::Duration;

use clap::{Args, Subcommand};

use crate::commands::app::{finish, DeployFlags, MarathonFlag};
use crate::context::Context;
use crate::error::Result;
use crate::marathon_client::follow::Expect;
use crate::marathon_client::{locate, view};
use crate::output::{write_stdout, OutputFormat};

/// List and roll back Marathon deployments
///
/// Marathon is found as for `mesos app` (--marathon, MESOS_MARATHON, the
/// profile's `marathon`, else through the master). `list` shows the
/// running deployments: ID, APPS, STEP (current/total), ACTIONS (what the
/// current step does), VERSION; with --json Marathon's deployment objects.
///
/// `rollback ID` cancels a deployment and starts a new one that reverts its
/// changes, then follows that one like `mesos app` commands do (--no-wait,
/// --timeout: exit 124). With --force the deployment is only cancelled,
/// leaving its apps as they are (Marathon answers 202). Exit 4 when the
/// deployment does not exist (any more). JSON: the reverting deployment
/// {"version", "deploymentId"}; with --force {"deploymentId", "cancelled": true}.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos deployment list
  mesos deployment list --json | jq -r '.[].id'
  mesos deployment rollback 97c136bf-5a28-4821-9d94-480d9fbb01c8
  mesos deployment rollback 97c136bf-5a28-4821-9d94-480d9fbb01c8 --force")]
pub struct DeploymentArgs {
    #[command(flatten)]
    pub marathon: MarathonFlag,

    #[command(subcommand)]
    pub command: DeploymentCommand,
}

#[derive(Clone, Debug, Subcommand)]
pub enum DeploymentCommand {
    /// List running deployments: ID, APPS, STEP, ACTIONS, VERSION
    #[command(visible_alias = "ls")]
    List,
    /// Revert a deployment's changes (a new deployment); with --force only cancel it
    Rollback {
        /// Deployment id (from `mesos deployment list`)
        id: String,
        #[command(flatten)]
        deploy: DeployFlags,
    },
}

pub async fn cmd_deployment(
    ctx: &Context,
    wait: Option<Duration>,
    args: &DeploymentArgs,
) -> Result<()> {
    let m = locate::locate(ctx, args.marathon.marathon.as_deref()).await?;
    match &args.command {
        DeploymentCommand::List => {
            let ds = m.deployments().await?;
            match ctx.output.format {
                OutputFormat::Json => ctx.output.json_value(&ds),
                OutputFormat::Ndjson => {
                    for d in &ds {
                        crate::output::write_ndjson_line(d)?;
                    }
                    Ok(())
                }
                OutputFormat::Table => {
                    let (h, rows) = view::deployment_rows(&ds);
                    write_stdout(view::table(&ctx.output, &h, &rows).as_bytes())
                }
            }
        }
        DeploymentCommand::Rollback { id, deploy } => match m.rollback(id, deploy.force).await? {
            Some(d) => {
                let what = format!("deployment {id} rolled back");
                finish(ctx, &m, d, Expect::Nothing, None, wait, deploy, &what).await
            }
            None => match ctx.output.format {
                OutputFormat::Table => write_stdout(
                    format!("deployment {id} cancelled (its apps were left as they are)\n")
                        .as_bytes(),
                ),
                _ => {
                    #[derive(serde::Serialize)]
                    struct Cancelled<'a> {
                        #[serde(rename = "deploymentId")]
                        deployment_id: &'a str,
                        cancelled: bool,
                    }
                    let c = Cancelled {
                        deployment_id: id,
                        cancelled: true,
                    };
                    if ctx.output.format == OutputFormat::Json {
                        ctx.output.json_value(&c)
                    } else {
                        crate::output::write_ndjson_line(&c)
                    }
                }
            },
        },
    }
}
