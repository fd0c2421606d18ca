//! `mesos execute`: run one-off tasks through the v1 scheduler API and
//! report their outcome like a local command (the scheduler is in
//! `crate::execute`).

use std::time::Duration;

use clap::Args;

use crate::context::Context;
use crate::duration::parse_duration;
use crate::error::{Error, Result};
use crate::execute::offers::{parse_constraint, Constraint};
use crate::execute::spec::{self, CommandSpec, CommandTask, Containerizer, Plan};
use crate::execute::Options;
use crate::http::Auth;
use crate::output::OutputFormat;
use crate::resources::Resources;

/// Default `--resources` of a command task.
pub const DEFAULT_RESOURCES: &str = "cpus:0.1;mem:32";

/// Run a one-off task on the cluster and exit with its outcome
///
/// Registers a short-lived framework with the leading master (v1 scheduler
/// API, JSON), launches the task on the first offer that fits, prints the
/// framework id, the agent and every state transition on stderr, and exits
/// when the task ends: 0 for TASK_FINISHED, the command's exit status for
/// TASK_FAILED "Command exited with status N", 1 for other failures
/// (TASK_LOST, TASK_ERROR, TASK_DROPPED, TASK_KILLED, ...; reason and message
/// are printed), 3 when only some of --instances failed, 130 after Ctrl-C
/// (which kills the task, waits for TASK_KILLED and tears the framework
/// down; 143 after SIGTERM). Because the task's own status is passed
/// through, a task exiting 3, 4 or 124 gives the same exit code as the
/// tool's partial-failure, not-found and timeout codes: scripts that must
/// tell them apart use --json, whose exit_code_source says whether
/// exit_code is the task's ("task") or the tool's ("mesos"), and whose
/// tasks[].exit_status is each command's own status. Every status update is acknowledged and the
/// framework always tears itself down at the end, also on errors. The global
/// --principal (with --secret or --secret-file) authenticates the calls and
/// becomes the framework's principal.
///
/// The command runs with `sh -c` (--command) or directly (`-- ARGV...`).
/// --task / --task-group take a TaskInfo / TaskGroupInfo in JSON as upstream
/// mesos-execute does (inline, a path or file://; agent_id may be omitted;
/// resources default to --resources); a task group runs under a DEFAULT
/// executor (cpus:0.1;mem:32;disk:32) via LAUNCH_GROUP.
///
/// Offers are used only from agents whose attributes match every
/// --constraint (several values for one attribute are alternatives; the
/// pseudo-attribute `hostname` matches the agent's hostname). With
/// --docker-image only agents whose /slave(1)/flags show a Docker
/// containerizer (--containerizers=docker, or --image_providers=docker for
/// --containerizer mesos) are used. When nothing fits within
/// --offer-timeout the command fails (exit 1) and names the reason: no
/// agents, constraint unmet, no Docker containerizer, or not enough
/// resources (what was needed and what was offered).
///
/// --tty gives the command a terminal (a MESOS container with `tty_info`),
/// usually with --detach: `mesos attach TASK` then connects to it.
///
/// --follow streams the task's sandbox stdout and stderr to stdout and
/// stderr while it runs. --detach returns once the task is TASK_RUNNING and
/// prints the task id(s) on stdout; the framework keeps running with a
/// failover timeout so `mesos kill TASK` can re-subscribe as it and kill the
/// task.
///
/// With --json prints one document when the run ends: framework_id,
/// framework_name, master, role, detached, interrupted, exit_code,
/// exit_code_source ("task" or "mesos", see above), error
/// (why the run failed, or null) and tasks, one object per task with
/// task_id, name, agent_id, agent_hostname, state, exit_status (0 for
/// TASK_FINISHED, N for "Command exited with status N", else null), reason,
/// message, source, error (why it was never launched, or null) and status
/// (the last TaskStatus as the master sent it).
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos execute --name hello --command 'echo hello from $(hostname)' --follow
  mesos execute --resources 'cpus:1;mem:512' --env MODE=batch -- ./run.sh --full
  mesos execute --constraint rack:r1 --instances 5 --command 'sleep 5'
  mesos execute --docker-image alpine:3 --command 'cat /etc/os-release' --follow
  mesos execute --task task.json --json | jq -r .tasks[0].state
  mesos execute --detach --name web --command 'python3 -m http.server 31000' && mesos kill web
  mesos execute --detach --tty --name console -- sh && mesos attach console")]
pub struct ExecuteArgs {
    /// Task name, and task id for a single instance (default: execute-<random>)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Shell command to run (`sh -c`)
    #[arg(long, short = 'c', value_name = "CMD", conflicts_with = "argv")]
    pub command: Option<String>,

    /// Program and arguments to run without a shell (after `--`)
    #[arg(last = true, value_name = "ARGV")]
    pub argv: Vec<String>,

    /// Resources per task, e.g. 'cpus:0.5;mem:256;disk:100;ports:[31000-31000]'
    #[arg(long, value_name = "RESOURCES", default_value = DEFAULT_RESOURCES)]
    pub resources: String,

    /// Environment variable for the command (NAME=VALUE; can be repeated)
    #[arg(long = "env", short = 'e', value_name = "NAME=VALUE")]
    pub env: Vec<String>,

    /// Role the framework registers with
    #[arg(long, value_name = "ROLE", default_value = "*")]
    pub role: String,

    /// Name of the framework
    #[arg(long, value_name = "NAME", default_value = "mesos-execute")]
    pub framework_name: String,

    /// User to run the task as (default: the current user)
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,

    /// Only use agents whose attribute ATTR is VALUE (can be repeated)
    #[arg(long = "constraint", value_name = "ATTR:VALUE")]
    pub constraints: Vec<String>,

    /// URI the agent fetches into the sandbox before the command starts (can be repeated)
    #[arg(long = "uri", value_name = "URL")]
    pub uris: Vec<String>,

    /// Extract fetched archives (--uri)
    #[arg(long, requires = "uris")]
    pub extract: bool,

    /// Run N copies of the task (ids NAME-1..NAME-N) in one framework
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10000))]
    pub instances: u32,

    /// TaskInfo JSON (inline, a path or file://) to launch instead of --command
    #[arg(long, value_name = "JSON|FILE", conflicts_with_all = ["command", "argv", "name", "env", "uris", "docker_image", "task_group"])]
    pub task: Option<String>,

    /// TaskGroupInfo JSON (inline, a path or file://) to launch with LAUNCH_GROUP
    #[arg(long, alias = "task_group", value_name = "JSON|FILE", conflicts_with_all = ["command", "argv", "name", "env", "uris", "docker_image"])]
    pub task_group: Option<String>,

    /// Run the command in this Docker image
    #[arg(long, alias = "docker_image", value_name = "IMAGE")]
    pub docker_image: Option<String>,

    /// Container type for --docker-image
    #[arg(
        long,
        value_enum,
        value_name = "KIND",
        default_value = "docker",
        requires = "docker_image"
    )]
    pub containerizer: Containerizer,

    /// Kill the task this long after it is running (e.g. 30s, 5m)
    #[arg(long, alias = "kill_after", value_parser = parse_duration, value_name = "DURATION", conflicts_with = "detach")]
    pub kill_after: Option<Duration>,

    /// Grace period between SIGTERM and SIGKILL when the task is killed
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub grace_period: Option<Duration>,

    /// Ask agents to checkpoint the framework (tasks survive agent restarts)
    #[arg(long)]
    pub checkpoint: bool,

    /// Give up when no offer fits within this long
    #[arg(long, alias = "offer_timeout", value_parser = parse_duration, value_name = "DURATION", default_value = "1m")]
    pub offer_timeout: Duration,

    /// Stream the task's stdout and stderr while it runs
    #[arg(long, short = 'f', conflicts_with = "detach")]
    pub follow: bool,

    /// Return once the task is running; stop it later with `mesos kill TASK`
    #[arg(long, short = 'd')]
    pub detach: bool,

    /// With --detach: how long the master keeps the framework without a scheduler
    #[arg(long, value_parser = parse_duration, value_name = "DURATION", default_value = "1d", requires = "detach")]
    pub failover_timeout: Duration,

    /// Give the command a TTY (a MESOS container with tty_info), to attach to with `mesos attach`
    #[arg(long, short = 't', conflicts_with_all = ["task", "task_group"])]
    pub tty: bool,

    /// Print no progress on stderr (errors only)
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Turn the flags into scheduler options (usage errors exit 2).
pub fn options(ctx: &Context, a: &ExecuteArgs) -> Result<Options> {
    let json = ctx.output.format == OutputFormat::Json;
    if a.follow && json {
        return Err(Error::usage(
            "--follow writes the task's output to stdout, which --json reserves for the result document",
        ));
    }
    if a.tty && a.docker_image.is_some() && a.containerizer == Containerizer::Docker {
        return Err(Error::usage(
            "--tty needs a MESOS container: add --containerizer mesos to --docker-image",
        ));
    }
    let need = Resources::parse(&a.resources, "*")
        .map_err(|e| Error::usage(format!("--resources '{}': {e}", a.resources)))?;
    if need.is_empty() {
        return Err(Error::usage(format!(
            "--resources '{}' asks for nothing",
            a.resources
        )));
    }
    let constraints: Vec<Constraint> = a
        .constraints
        .iter()
        .map(|c| parse_constraint(c).map_err(Error::usage))
        .collect::<Result<_>>()?;
    let plan = if let Some(t) = &a.task {
        if a.instances > 1 {
            return Err(Error::usage(
                "--instances works with --command or ARGV, not with --task",
            ));
        }
        let v = spec::read_json_arg("--task", t)?;
        Plan::Tasks(vec![spec::task_from_json("--task", &v, &need)?])
    } else if let Some(g) = &a.task_group {
        if a.instances > 1 {
            return Err(Error::usage(
                "--instances works with --command or ARGV, not with --task-group",
            ));
        }
        let v = spec::read_json_arg("--task-group", g)?;
        Plan::Group(Box::new(spec::group_from_json(&v, &need)?))
    } else {
        let command = match (&a.command, a.argv.is_empty()) {
            (Some(c), _) if c.trim().is_empty() => return Err(Error::usage("--command is empty")),
            (Some(c), _) => CommandSpec::Shell(c.clone()),
            (None, false) => CommandSpec::Argv(a.argv.clone()),
            (None, true) => {
                return Err(Error::usage("nothing to run").with_hint(
                    "give a shell command with --command 'CMD', a program after `--`, or --task FILE.json",
                ))
            }
        };
        let name = match &a.name {
            Some(n) if n.trim().is_empty() => return Err(Error::usage("--name is empty")),
            Some(n) => n.clone(),
            None => format!(
                "execute-{}",
                &uuid::Uuid::new_v4().simple().to_string()[..8]
            ),
        };
        spec::command_plan(&CommandTask {
            name,
            instances: a.instances,
            command,
            need,
            env: spec::parse_env(&a.env)?,
            uris: a.uris.clone(),
            extract: a.extract,
            docker_image: a.docker_image.clone().map(|i| (i, a.containerizer)),
            grace: a.grace_period,
            user: a.user.clone(),
            tty: a.tty,
        })
    };
    let principal = match &ctx.http_options.auth {
        Auth::Basic { principal, .. } => Some(principal.clone()),
        _ => None,
    };
    Ok(Options {
        framework_name: a.framework_name.clone(),
        role: a.role.clone(),
        user: a.user.clone().unwrap_or_else(crate::execute::current_user),
        principal,
        checkpoint: a.checkpoint,
        detach: a.detach,
        failover_timeout: a.failover_timeout,
        offer_timeout: a.offer_timeout,
        kill_after: a.kill_after,
        grace: a.grace_period,
        follow: a.follow,
        quiet: a.quiet,
        json,
        constraints,
        docker: a.docker_image.as_ref().map(|_| a.containerizer),
        plan,
    })
}

/// Run it; returns the exit code (the task's outcome).
pub async fn cmd_execute(ctx: &Context, args: &ExecuteArgs) -> Result<u8> {
    let opts = options(ctx, args)?;
    crate::execute::execute(ctx, opts).await
}

/// Entry point from the dispatcher: runs on its own runtime and exits with
/// the task's code (which is not one of the error kinds).
pub fn run(ctx: &Context, args: &ExecuteArgs) -> Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::failed(format!("cannot start the async runtime: {e}")))?;
    let code = rt.block_on(cmd_execute(ctx, args))?;
    drop(rt);
    if code == 0 {
        Ok(())
    } else {
        std::process::exit(code as i32)
    }
}
