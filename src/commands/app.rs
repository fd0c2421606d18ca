//! `mesos app ...`: Marathon apps (library code in `crate::marathon_client`).

use std::io::Read;
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::error::{Error, Result};
use crate::marathon_client::follow::{self, Expect, Follow};
use crate::marathon_client::{locate, view, Body, Deployed, Marathon, ScaleBody};
use crate::output::{write_stdout, OutputFormat};
use crate::wire::marathon::{AppDefinition, LastTaskFailure, PathId};

/// Run and change long-running services on Marathon
///
/// Talks to Marathon's REST API (`mesos marathon`, started by `mesos
/// cluster up`, or a real Marathon 1.x, also behind DC/OS). Marathon is
/// found from --marathon URL, then MESOS_MARATHON, then the profile's
/// `marathon` key, else through the leading master: on DC/OS (a master URL
/// ending in /mesos) <DC/OS URL>/service/marathon, otherwise the webui_url
/// of the framework named `marathon`. `-v` says which was used.
///
/// Commands that change an app (add, update, scale, restart, kill --scale,
/// remove) start a Marathon deployment and then follow it until it leaves
/// /v2/deployments (a spinner with the current step on a terminal, nothing
/// on a pipe): exit 0 when it finished, 1 when it was cancelled or rolled
/// back, 124 when --timeout (if given) ran out first (the deployment goes
/// on). New task failures of the app are shown as warnings meanwhile.
/// --no-wait prints the deployment id and returns at once. --force
/// overrides a deployment already holding the app (Marathon's force=true).
///
/// Exit codes: 4 when the app or task does not exist; 1 when Marathon
/// rejects the change (422: each invalid field on its own line; 409: the
/// app exists or is locked by a deployment) or cannot be found.
///
/// JSON (--json, --ndjson) is Marathon's own JSON: apps as in GET
/// /v2/apps, tasks as in /v2/apps/ID/tasks, and for changes the deployment
/// {"version", "deploymentId"}.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos app list
  mesos app add web.json
  echo '{\"id\":\"/sleepy\",\"cmd\":\"sleep 3600\",\"instances\":2}' | mesos app add -
  mesos app scale /web 5 --timeout 2m
  mesos app update /web web-v2.json --no-wait
  mesos app restart /web
  mesos app tasks /web --json | jq -r '.[].host'
  mesos app kill /web web.1f0c... --scale
  mesos app remove /web
  mesos app --marathon http://10.0.0.5:8080 show /web")]
pub struct AppArgs {
    #[command(flatten)]
    pub marathon: MarathonFlag,

    #[command(subcommand)]
    pub command: AppCommand,
}

/// `--marathon`, shared by `mesos app` and `mesos deployment`.
#[derive(Clone, Debug, Default, Args)]
pub struct MarathonFlag {
    /// Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile's `marathon`, else found through the master]
    #[arg(long, global = true, env = "MESOS_MARATHON", value_name = "URL")]
    pub marathon: Option<String>,
}

/// Flags of the commands that start a deployment.
#[derive(Clone, Debug, Default, Args)]
pub struct DeployFlags {
    /// Override a deployment already changing the app (cancels it, without rollback)
    #[arg(long)]
    pub force: bool,
    /// Print the deployment id and return without waiting for it to finish
    #[arg(long)]
    pub no_wait: bool,
}

#[derive(Clone, Debug, Subcommand)]
pub enum AppCommand {
    /// List apps: ID, INSTANCES (running/wanted), HEALTHY, CPUS, MEM, DISK, DEPLOYMENT, CMD
    List,
    /// Show one app (with --json: Marathon's app object)
    Show {
        /// App id (/group/app; a leading / may be left out)
        app: String,
    },
    /// Create an app from a JSON app definition (FILE, or - for stdin)
    Add {
        /// App definition file (Marathon JSON), - for stdin
        file: String,
        #[command(flatten)]
        deploy: DeployFlags,
    },
    /// Change an app: the keys in FILE (or - for stdin) replace the app's
    Update {
        /// App id (/group/app; a leading / may be left out)
        app: String,
        /// Partial app definition (Marathon JSON), - for stdin
        file: String,
        #[command(flatten)]
        deploy: DeployFlags,
    },
    /// Set the number of instances
    Scale {
        /// App id (/group/app; a leading / may be left out)
        app: String,
        /// Number of instances (0 stops every task and keeps the app)
        instances: u32,
        #[command(flatten)]
        deploy: DeployFlags,
    },
    /// Replace every task of the app (a rolling restart by its upgradeStrategy)
    Restart {
        /// App id (/group/app; a leading / may be left out)
        app: String,
        #[command(flatten)]
        deploy: DeployFlags,
    },
    /// Kill one task of the app (all its tasks without TASK); Marathon starts replacements unless --scale
    Kill {
        /// App id (/group/app; a leading / may be left out)
        app: String,
        /// Task id (from `mesos app tasks APP`)
        task: Option<String>,
        /// Lower the app's instances by the tasks killed instead of replacing them
        #[arg(long)]
        scale: bool,
        #[command(flatten)]
        deploy: DeployFlags,
    },
    /// Remove the app and kill its tasks
    #[command(visible_alias = "rm")]
    Remove {
        /// App id (/group/app; a leading / may be left out)
        app: String,
        #[command(flatten)]
        deploy: DeployFlags,
    },
    /// List the stored versions of the app (with VERSION: that version's definition as JSON)
    Versions {
        /// App id (/group/app; a leading / may be left out)
        app: String,
        /// One version (as listed) to print
        #[arg(value_name = "VERSION")]
        at: Option<String>,
    },
    /// List the app's tasks: ID, HOST, STATE, PORTS, HEALTHY, STARTED, VERSION
    Tasks {
        /// App id (/group/app; a leading / may be left out)
        app: String,
    },
}

/// An APP argument: `web`, `/web`, `/prod/web`.
pub fn app_id(s: &str) -> Result<PathId> {
    let id = PathId::parse(s);
    if id.is_root() {
        return Err(Error::usage(format!(
            "'{s}' is not an app id (expected /name or /group/name)"
        )));
    }
    Ok(id)
}

/// Read FILE or stdin (`-`).
pub fn read_input(file: &str) -> Result<Vec<u8>> {
    if file == "-" {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b).map_err(|e| {
            Error::failed(format!("cannot read the app definition from stdin: {e}"))
        })?;
        return Ok(b);
    }
    std::fs::read(file).map_err(|e| Error::usage(format!("cannot read {file}: {e}")))
}

fn input_name(file: &str) -> &str {
    if file == "-" {
        "stdin"
    } else {
        file
    }
}

/// The deadline of a deployment: `--timeout` (or MESOS_TIMEOUT) from now,
/// none when not given.
pub fn deadline(wait: Option<Duration>) -> Option<Instant> {
    wait.map(|w| Instant::now() + w)
}

pub async fn cmd_app(ctx: &Context, wait: Option<Duration>, args: &AppArgs) -> Result<()> {
    let m = locate::locate(ctx, args.marathon.marathon.as_deref()).await?;
    match &args.command {
        AppCommand::List => list(ctx, &m).await,
        AppCommand::Show { app } => {
            let a = m.app(&app_id(app)?).await?;
            ctx.output.record(&a, &view::app_lines(&a))
        }
        AppCommand::Add { file, deploy } => {
            let bytes = read_input(file)?;
            let mut app: AppDefinition = serde_json::from_slice(&bytes).map_err(|e| {
                Error::usage(format!(
                    "{} is not a Marathon app definition: {e}",
                    input_name(file)
                ))
            })?;
            if app.id.is_root() {
                return Err(Error::usage(format!(
                    "{} has no app id (\"id\": \"/name\")",
                    input_name(file)
                )));
            }
            // Deprecated input forms (`uris`, `ports`) to the 1.5 ones.
            app.normalize();
            let d = m.create(&app, deploy.force).await?;
            let expect = Expect::Version(app.id.clone(), d.result.version.clone());
            finish(
                ctx,
                &m,
                d,
                expect,
                None,
                wait,
                deploy,
                &format!("app {} created", app.id),
            )
            .await
        }
        AppCommand::Update { app, file, deploy } => {
            let id = app_id(app)?;
            let bytes = read_input(file)?;
            let patch: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&bytes)
                .map_err(|e| {
                    Error::usage(format!(
                        "{} is not a JSON object of app fields: {e}",
                        input_name(file)
                    ))
                })?;
            if let Some(other) = patch.get("id").and_then(|v| v.as_str()) {
                if PathId::parse(other) != id {
                    return Err(Error::usage(format!(
                        "{} is for app '{}', not '{id}'",
                        input_name(file),
                        PathId::parse(other)
                    )));
                }
            }
            // The keys must make a valid app (typed check before sending).
            AppDefinition::new(id.clone())
                .updated(&patch)
                .map_err(|e| {
                    Error::usage(format!(
                        "{} is not a valid app update: {e}",
                        input_name(file)
                    ))
                })?;
            // PUT would create a missing app: make sure it exists.
            let before = m.app(&id).await?;
            let d = m.put_app(&id, Body::json(&patch)?, deploy.force).await?;
            let expect = Expect::Version(id.clone(), d.result.version.clone());
            let fail = before.last_task_failure.clone();
            finish(
                ctx,
                &m,
                d,
                expect,
                fail,
                wait,
                deploy,
                &format!("app {id} updated"),
            )
            .await
        }
        AppCommand::Scale {
            app,
            instances,
            deploy,
        } => {
            let id = app_id(app)?;
            let before = m.app(&id).await?;
            let body = Body::json(&ScaleBody {
                instances: *instances,
            })?;
            let d = m.put_app(&id, body, deploy.force).await?;
            let expect = Expect::Version(id.clone(), d.result.version.clone());
            let fail = before.last_task_failure.clone();
            let what = format!("app {id} scaled to {instances}");
            finish(ctx, &m, d, expect, fail, wait, deploy, &what).await
        }
        AppCommand::Restart { app, deploy } => {
            let id = app_id(app)?;
            let before = m.app(&id).await?;
            let d = m.restart(&id, deploy.force).await?;
            let expect = Expect::Version(id.clone(), d.result.version.clone());
            let fail = before.last_task_failure.clone();
            finish(
                ctx,
                &m,
                d,
                expect,
                fail,
                wait,
                deploy,
                &format!("app {id} restarted"),
            )
            .await
        }
        AppCommand::Remove { app, deploy } => {
            let id = app_id(app)?;
            let d = m.remove(&id, deploy.force).await?;
            let expect = Expect::Gone(id.clone());
            finish(
                ctx,
                &m,
                d,
                expect,
                None,
                wait,
                deploy,
                &format!("app {id} removed"),
            )
            .await
        }
        AppCommand::Kill {
            app,
            task,
            scale,
            deploy,
        } => kill(ctx, &m, wait, app, task.as_deref(), *scale, deploy).await,
        AppCommand::Versions { app, at } => {
            let id = app_id(app)?;
            match at {
                Some(v) => {
                    let def = m.version(&id, v).await?;
                    ctx.output.json_value(&def)
                }
                None => {
                    let vs = m.versions(&id).await?;
                    match ctx.output.format {
                        OutputFormat::Json => ctx.output.json_value(&vs),
                        OutputFormat::Ndjson => {
                            for v in &vs {
                                crate::output::write_ndjson_line(v)?;
                            }
                            Ok(())
                        }
                        OutputFormat::Table => {
                            let rows: Vec<Vec<String>> =
                                vs.iter().map(|v| vec![v.clone()]).collect();
                            write_stdout(view::table(&ctx.output, &["VERSION"], &rows).as_bytes())
                        }
                    }
                }
            }
        }
        AppCommand::Tasks { app } => {
            let id = app_id(app)?;
            let tasks = m.tasks(&id).await?.tasks;
            match ctx.output.format {
                OutputFormat::Json => ctx.output.json_value(&tasks),
                OutputFormat::Ndjson => {
                    for t in &tasks {
                        crate::output::write_ndjson_line(t)?;
                    }
                    Ok(())
                }
                OutputFormat::Table => {
                    let (h, rows) = view::task_rows(&tasks);
                    write_stdout(view::table(&ctx.output, &h, &rows).as_bytes())
                }
            }
        }
    }
}

async fn list(ctx: &Context, m: &Marathon) -> Result<()> {
    let apps = m.apps().await?;
    match ctx.output.format {
        OutputFormat::Json => ctx.output.json_value(&apps),
        OutputFormat::Ndjson => {
            for a in &apps {
                crate::output::write_ndjson_line(a)?;
            }
            Ok(())
        }
        OutputFormat::Table => {
            let deployments = if apps.iter().any(|a| !a.deployments.is_empty()) {
                m.deployments().await?
            } else {
                Vec::new()
            };
            let (h, rows) = view::app_rows(&apps, &deployments);
            write_stdout(view::table(&ctx.output, &h, &rows).as_bytes())
        }
    }
}

async fn kill(
    ctx: &Context,
    m: &Marathon,
    wait: Option<Duration>,
    app: &str,
    task: Option<&str>,
    scale: bool,
    deploy: &DeployFlags,
) -> Result<()> {
    let id = app_id(app)?;
    if scale {
        let before = m.app(&id).await?;
        let d = m.kill_and_scale(&id, task, deploy.force).await?;
        let expect = Expect::Version(id.clone(), d.result.version.clone());
        let what = match task {
            Some(t) => format!("task {t} killed, app {id} scaled down"),
            None => format!("tasks of app {id} killed, app scaled to 0"),
        };
        return finish(
            ctx,
            m,
            d,
            expect,
            before.last_task_failure.clone(),
            wait,
            deploy,
            &what,
        )
        .await;
    }
    let killed = match task {
        Some(t) => vec![m.kill_task(&id, t, deploy.force).await?.task],
        None => m.kill_all(&id, deploy.force).await?.tasks,
    };
    match ctx.output.format {
        OutputFormat::Json if task.is_some() => ctx.output.json_value(&killed[0]),
        OutputFormat::Json => ctx.output.json_value(&killed),
        OutputFormat::Ndjson => {
            for t in &killed {
                crate::output::write_ndjson_line(t)?;
            }
            Ok(())
        }
        OutputFormat::Table => {
            let mut text = String::new();
            for t in &killed {
                text.push_str(&format!("killed task {} of app {id}\n", t.id));
            }
            if killed.is_empty() {
                text.push_str(&format!("app {id} had no tasks to kill\n"));
            }
            write_stdout(text.as_bytes())
        }
    }
}

/// After a deployable call: print the id and return (--no-wait), or follow
/// the deployment to its end and say how it went.
#[allow(clippy::too_many_arguments)]
pub async fn finish(
    ctx: &Context,
    m: &Marathon,
    d: Deployed,
    expect: Expect,
    baseline_failure: Option<LastTaskFailure>,
    wait: Option<Duration>,
    deploy: &DeployFlags,
    what: &str,
) -> Result<()> {
    let id = d.result.deployment_id.clone();
    if !deploy.no_wait {
        let done = follow::follow(
            m,
            Follow {
                deployment: id.clone(),
                expect,
                baseline_failure,
                deadline: deadline(wait),
            },
        )
        .await?;
        if ctx.verbose > 0 {
            crate::output::status(format!(
                "deployment {id} finished after {} ({} polls)",
                crate::duration::format_duration(done.elapsed),
                done.polls
            ));
        }
    }
    match ctx.output.format {
        OutputFormat::Json => ctx.output.json_value(&d.result),
        OutputFormat::Ndjson => crate::output::write_ndjson_line(&d.result),
        OutputFormat::Table if deploy.no_wait => write_stdout(format!("{id}\n").as_bytes()),
        OutputFormat::Table => write_stdout(format!("{what} (deployment {id})\n").as_bytes()),
    }
}
