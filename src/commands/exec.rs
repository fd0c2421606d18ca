//! `mesos exec TASK [-t] [-i] -- CMD [ARGS...]`: run a command in a new
//! nested container inside a running task's container (the agent's
//! LAUNCH_NESTED_CONTAINER_SESSION), streaming its output and exiting with
//! its exit code. The client is `crate::containerio`.

use clap::Args;
use tokio::sync::mpsc;

use crate::containerio::{input, target, term, Agent, Input, Session, Target};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::tasks::TaskFilter;
use crate::wire::agent_v1::{CommandInfo, ContainerId};
use crate::wire::process_io::{LaunchContainer, SessionContainerInfo, TtyInfo, WindowSize};

/// Run a command inside a running task's container
///
/// Finds the one running task matching TASK (several matches: a choice on
/// a terminal, else exit 4 listing them), asks its agent to start COMMAND
/// in a new container nested in the task's container (same filesystem,
/// network and sandbox: the agent's v1 API, LAUNCH_NESTED_CONTAINER_SESSION,
/// Mesos containerizer), and streams the command's stdout and stderr to
/// yours as they come. The command runs without a shell: use
/// `-- sh -c '...'` for pipes and variables. The nested container ends with
/// the command, or when `mesos exec` stops.
///
/// -i / --interactive sends your stdin to the command (pipes work:
/// `echo hi | mesos exec -i TASK -- cat`); the end of your input closes the
/// command's stdin. -t / --tty gives the command a terminal; when your
/// stdin is a terminal too, it is put in raw mode (every key, Ctrl-C
/// included, goes to the command; it is restored however `mesos exec`
/// ends), window size changes are forwarded, and the detach keys
/// (--detach-keys, default Ctrl-P Ctrl-Q; "" turns them off) leave the
/// session, which ends the command.
///
/// Exit code: the command's (128 + N when it was killed by signal N), 4
/// when no task or several tasks match, 1 when the task is not running, has
/// no container yet, or the agent refuses (its answer is shown; agents
/// without nested container support say so), 130/143/129 after
/// SIGINT/SIGTERM/SIGHUP, 0 after detaching. There is no JSON output
/// (--json is a usage error).
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos exec my-task -- cat /etc/hostname
  mesos exec -it my-task -- sh
  echo 'SELECT 1;' | mesos exec -i db -- psql
  mesos exec web --framework marathon -- sh -c 'ls -l $MESOS_SANDBOX'")]
pub struct ExecArgs {
    /// Task id, id prefix, name, substring or glob (must select one running task)
    #[arg(value_name = "TASK")]
    pub task: String,

    /// Command and its arguments, run without a shell (after `--`)
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<String>,

    /// Send stdin to the command
    #[arg(short = 'i', long)]
    pub interactive: bool,

    /// Give the command a terminal (raw mode when stdin is a terminal)
    #[arg(short = 't', long)]
    pub tty: bool,

    /// User to run the command as (default: the task's user)
    #[arg(short = 'u', long, value_name = "USER")]
    pub user: Option<String>,

    /// Keys that leave a TTY session: ctrl-X or single characters, comma-separated ("" = none)
    #[arg(long, value_name = "KEYS", default_value = input::DEFAULT_DETACH_KEYS)]
    pub detach_keys: String,

    #[command(flatten)]
    pub select: target::LiveSelectArgs,
}

/// The LAUNCH_NESTED_CONTAINER_SESSION payload for `args` under `parent`.
pub fn launch(args: &ExecArgs, parent: ContainerId, window: Option<(u32, u32)>) -> LaunchContainer {
    let id = uuid::Uuid::new_v4().to_string();
    LaunchContainer {
        container_id: ContainerId::nested(id, parent),
        command: Some(CommandInfo {
            shell: Some(false),
            value: Some(args.command[0].clone()),
            arguments: args.command.clone(),
            user: args.user.clone(),
            ..CommandInfo::default()
        }),
        container: args.tty.then(|| SessionContainerInfo {
            kind: Some("MESOS".into()),
            tty_info: Some(TtyInfo {
                window_size: window.map(|(rows, columns)| WindowSize { rows, columns }),
            }),
            ..SessionContainerInfo::default()
        }),
        resources: Vec::new(),
    }
}

pub async fn cmd_exec(ctx: &Context, args: &ExecArgs) -> Result<u8> {
    crate::containerio::no_json(ctx, "exec")?;
    if args.command.first().is_none_or(|c| c.is_empty()) {
        return Err(Error::usage("nothing to run: give the command after `--`"));
    }
    let detach = input::parse_detach_keys(&args.detach_keys)
        .map_err(|e| Error::usage(format!("--detach-keys: {e}")))?;
    let http = HttpClient::with_stream_idle(&ctx.http_options, None)?;
    let leader = ctx.leader(&http).await?;
    let filter = TaskFilter::new(Some(&args.task), &args.select.to_select())?;
    let l = target::find_one(&http, &leader, &filter, "exec").await?;
    let (base, parent) = target::resolve(&http, &l, "exec").await?;
    let raw = args.tty && args.interactive && term::stdin_is_terminal();
    let window = if args.tty { term::window_size() } else { None };
    let launch = launch(args, parent, window);
    if ctx.verbose > 0 {
        crate::output::status(format!(
            "task {} on {}: container {}",
            l.label(),
            base,
            launch.container_id.chain()
        ));
    }
    let (tx, rx) = mpsc::unbounded_channel::<Input>();
    term::watch_signals(tx.clone(), raw)?;
    let agent = Agent::new(http, &base, crate::wire::proto::client_media());
    let s = Session {
        target: Target::Launch(Box::new(launch)),
        interactive: args.interactive,
        tty: args.tty,
        redraw: false,
        wait_deadline: ctx.timeout.max(std::time::Duration::from_secs(10)),
    };
    crate::containerio::drive(&agent, &s, tx, rx, raw, detach).await
}

/// Entry point from the dispatcher: exits with the command's code.
pub fn run(ctx: &Context, args: &ExecArgs) -> Result<()> {
    super::exit_with(super::block_on_code(cmd_exec(ctx, args)))
}
