//! `mesos ssh TASK [-- COMMAND...]`: a shell (or COMMAND) in a task's
//! sandbox on its agent, through the system OpenSSH client.

use std::io::IsTerminal;

use crate::context::Context;
use clap::Args;

use crate::commands::files_common;
use crate::error::{Error, Result};
use crate::remote::conn::{check_host, Conn, ConnArgs};
use crate::remote::openssh::{ClientArgs, Invocation};
use crate::remote::quote;
use crate::tasks::{Located, SelectArgs};

/// Open a shell in a task's sandbox on its agent (over ssh)
///
/// Finds the one task matching TASK (several matches: a choice on a
/// terminal, else exit 4 listing them), looks up its sandbox directory on
/// its agent, and runs the system `ssh` client to the agent's hostname with
/// `cd SANDBOX` followed by your login shell, or by COMMAND. The `ssh`
/// process replaces `mesos`, so ~/.ssh/config, the SSH agent, known_hosts,
/// the terminal and the exit code all behave as with `ssh` itself.
///
/// One COMMAND word is a shell command line (`-- 'tail -f stdout | grep
/// ERROR'`); several words are quoted one by one (`-- ls -l 'my file'`).
/// `-t` is passed when stdin is a terminal.
///
/// Connection: --user, --port and -i (defaults from the profile's
/// ssh_user, ssh_port, ssh_key; else ~/.ssh/config and ssh's own
/// defaults), -o KEY=VALUE for any ssh option (also --option; -o is read as
/// an ssh option whenever its value contains `=`), --jump for a bastion
/// (ssh -J: the bastion hop uses its own ~/.ssh/config settings, the other
/// options apply to the agent only). Host keys: StrictHostKeyChecking=yes
/// (unknown keys refused), or accept-new with --accept-new-host-keys; a
/// changed key is always refused. A -o StrictHostKeyChecking=... of yours
/// wins.
///
/// Exit code: the remote command's (or shell's), 255 when ssh itself fails
/// (connection, authentication, host key), 4 when no task or several
/// tasks match, 1 when the sandbox cannot be found.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos ssh my-task
  mesos ssh my-task -- ls -l
  mesos ssh my-task -- 'tail -n 100 stderr | grep -i error'
  mesos ssh web --framework marathon --user core -i ~/.ssh/ops
  mesos ssh web -o ServerAliveInterval=30 --jump ops@bastion.example.com")]
pub struct SshArgs {
    /// Task id, id prefix, name, substring or glob (must select one task)
    #[arg(value_name = "TASK")]
    pub task: String,

    /// Command to run in the sandbox instead of a shell (after `--`)
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,

    #[command(flatten)]
    pub client: ClientArgs,

    #[command(flatten)]
    pub conn: ConnArgs,

    #[command(flatten)]
    pub select: SshSelectArgs,
}

/// The task selection flags of the inspection commands, without `-i` (it
/// is the identity file here, as in ssh): use --inactive.
#[derive(Clone, Debug, Default, Args)]
pub struct SshSelectArgs {
    /// Treat TASK as a regular expression, searched in task ids and names
    #[arg(long, help_heading = "Task selection")]
    pub regex: bool,

    /// Only tasks of this framework (id, id prefix or name)
    #[arg(long, value_name = "FRAMEWORK", help_heading = "Task selection")]
    pub framework: Option<String>,

    /// Only tasks on this agent (id, id prefix, hostname or IP)
    #[arg(long, value_name = "AGENT", help_heading = "Task selection")]
    pub agent: Option<String>,

    /// Only tasks in these states (running, failed, ...; repeat or comma-separate)
    #[arg(
        long,
        value_name = "STATE",
        value_delimiter = ',',
        help_heading = "Task selection"
    )]
    pub state: Vec<String>,

    /// Only tasks with this label: KEY=VALUE, or KEY for any value (repeatable; all must match)
    #[arg(long, value_name = "KEY=VALUE", help_heading = "Task selection")]
    pub label: Vec<String>,

    /// Also completed tasks (their sandboxes stay until the agent collects them)
    #[arg(long, help_heading = "Task selection")]
    pub inactive: bool,

    /// Active and completed tasks (same as --inactive)
    #[arg(short = 'a', long, help_heading = "Task selection")]
    pub all: bool,
}

impl SshSelectArgs {
    pub fn to_select(&self) -> SelectArgs {
        SelectArgs {
            regex: self.regex,
            framework: self.framework.clone(),
            agent: self.agent.clone(),
            state: self.state.clone(),
            label: self.label.clone(),
            inactive: self.inactive,
            all: self.all,
        }
    }
}

/// The host to SSH to for a located task: the agent's hostname, else its IP.
pub fn task_host(l: &Located) -> Result<String> {
    let agent = l.agent.as_ref().ok_or_else(|| {
        Error::failed(format!(
            "task {}: its agent {} is not known to the master",
            l.task.id, l.task.slave_id
        ))
    })?;
    let host = if !agent.hostname.is_empty() {
        agent.hostname.clone()
    } else {
        agent
            .address
            .as_deref()
            .and_then(|a| a.rsplit_once(':'))
            .map(|(h, _)| h.to_string())
            .unwrap_or_default()
    };
    if host.is_empty() {
        return Err(Error::failed(format!(
            "task {}: agent {} has no hostname or address",
            l.task.id, agent.id
        )));
    }
    check_host(&host)?;
    Ok(host)
}

/// The task's sandbox as a path on the agent's disk. When the agent could
/// not be asked, [`crate::tasks::locate`] only has the files API alias
/// (`/frameworks/...`), which is no directory on disk.
pub fn disk_sandbox(l: &Located) -> Result<String> {
    let dir = l.sandbox_dir()?;
    if l.executor_directory.is_none() && dir.starts_with("/frameworks/") {
        return Err(Error::failed(format!(
            "cannot find the sandbox of task {} on its agent{}",
            l.task.id,
            l.problem
                .as_deref()
                .map(|p| format!(": {p}"))
                .unwrap_or_default()
        ))
        .with_hint(format!(
            "`mesos node ssh {}` opens a shell on the agent",
            l.task.slave_id
        )));
    }
    if let Some(p) = &l.problem {
        crate::output::warn(format!("task {}: {p}", l.task.id));
    }
    Ok(dir.to_string())
}

pub async fn cmd_ssh(ctx: &Context, args: &SshArgs) -> Result<()> {
    let select = args.select.to_select();
    let (_http, l) = files_common::find_one(ctx, &args.task, &select, "ssh").await?;
    let conn = Conn::new(&args.conn, &ctx.profile, ctx.timeout)?;
    let host = task_host(&l)?;
    let dir = disk_sandbox(&l)?;
    let mut inv = Invocation::new(&host, &conn);
    inv.jump = args.client.jump.clone();
    inv.options = args.client.options.clone();
    inv.tty = std::io::stdin().is_terminal();
    inv.remote = Some(quote::in_directory(&dir, &args.command));
    if ctx.verbose > 0 {
        crate::output::status(format!("task {} on {host}, sandbox {dir}", l.label()));
    }
    Err(inv.exec(ctx.verbose > 0))
}
