//! `mesos attach TASK`: connect the terminal to a running task launched
//! with a TTY (the agent's ATTACH_CONTAINER_OUTPUT / ATTACH_CONTAINER_INPUT).
//! The client is `crate::containerio`.

use clap::Args;
use tokio::sync::mpsc;

use crate::containerio::{input, target, term, Agent, Input, Session, Target};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::tasks::TaskFilter;

/// Attach to the terminal of a task launched with a TTY
///
/// Finds the one running task matching TASK (several matches: a choice on
/// a terminal, else exit 4 listing them) and connects to its container's
/// terminal: the task's output is streamed to stdout, and when stdin is a
/// terminal (or with -i) what you type goes to the task. The task must have
/// been launched with a TTY (`mesos execute --tty`, or a ContainerInfo with
/// `tty_info`; Mesos containerizer). On a terminal, stdin is put in raw
/// mode (restored however `mesos attach` ends), window size changes are
/// forwarded (the task's program is told to redraw on attaching), and the
/// detach keys (--detach-keys, default Ctrl-P Ctrl-Q; "" turns them off)
/// leave the task running. Ctrl-C and Ctrl-D go to the task.
///
/// Exit code: the task's exit code when the agent reports it once the
/// output ends (else 0), 0 after detaching, 4 when no task or several tasks
/// match, 1 when the task is not running, has no terminal, or the agent
/// refuses (its answer is shown). There is no JSON output (--json is a
/// usage error).
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos execute --tty --detach --name console -- sh
  mesos attach console
  mesos attach console --no-stdin")]
pub struct AttachArgs {
    /// Task id, id prefix, name, substring or glob (must select one running task)
    #[arg(value_name = "TASK")]
    pub task: String,

    /// Send stdin to the task even when it is not a terminal
    #[arg(short = 'i', long, conflicts_with = "no_stdin")]
    pub interactive: bool,

    /// Only show the task's output (stdin is not sent)
    #[arg(long)]
    pub no_stdin: bool,

    /// Keys that detach: ctrl-X or single characters, comma-separated ("" = none)
    #[arg(long, value_name = "KEYS", default_value = input::DEFAULT_DETACH_KEYS)]
    pub detach_keys: String,

    #[command(flatten)]
    pub select: target::LiveSelectArgs,
}

pub async fn cmd_attach(ctx: &Context, args: &AttachArgs) -> Result<u8> {
    crate::containerio::no_json(ctx, "attach")?;
    let detach = input::parse_detach_keys(&args.detach_keys)
        .map_err(|e| Error::usage(format!("--detach-keys: {e}")))?;
    let http = HttpClient::with_stream_idle(&ctx.http_options, None)?;
    let leader = ctx.leader(&http).await?;
    let filter = TaskFilter::new(Some(&args.task), &args.select.to_select())?;
    let l = target::find_one(&http, &leader, &filter, "attach").await?;
    let (base, container) = target::resolve(&http, &l, "attach").await?;
    let on_terminal = term::stdin_is_terminal();
    let interactive = !args.no_stdin && (args.interactive || on_terminal);
    let raw = interactive && on_terminal;
    if ctx.verbose > 0 {
        crate::output::status(format!(
            "task {} on {}: container {}",
            l.label(),
            base,
            container.chain()
        ));
    }
    let (tx, rx) = mpsc::unbounded_channel::<Input>();
    term::watch_signals(tx.clone(), raw)?;
    if raw {
        if let Some((rows, cols)) = term::window_size() {
            let _ = tx.send(Input::Window(rows, cols));
        }
    }
    let agent = Agent::new(http, &base, crate::wire::proto::client_media());
    let s = Session {
        target: Target::Attach(container),
        interactive,
        tty: true,
        redraw: raw,
        wait_deadline: ctx.timeout.max(std::time::Duration::from_secs(10)),
    };
    crate::containerio::drive(&agent, &s, tx, rx, raw, detach).await
}

/// Entry point from the dispatcher: exits with the task's code.
pub fn run(ctx: &Context, args: &AttachArgs) -> Result<()> {
    super::exit_with(super::block_on_code(cmd_attach(ctx, args)))
}
