//! `mesos ls TASK [PATH]`: list a task's sandbox.

use crate::context::Context;
use clap::Args;

use crate::commands::files_common::{self, Out};
use crate::error::Result;
use crate::output::OutputFormat;
use crate::sandbox::tree::{render_long, Entry};
use crate::sandbox::Files;
use crate::tasks::{self, SelectArgs};

/// List files in a task's sandbox
///
/// Lists PATH (a directory or file relative to the sandbox; default the
/// sandbox itself) of the one task matching TASK. With several matches,
/// asks which one on a terminal and otherwise exits 4 listing them. -l
/// prints mode, links, user, group, size, modification time (UTC) and name,
/// like `ls -l`.
///
/// JSON (--json: one array; --output ndjson: one object per line) fields:
/// name, path (relative to the sandbox), type (file, directory, symlink,
/// other), mode (e.g. -rw-r--r--), nlink, uid, gid, size (bytes), mtime
/// (epoch seconds).
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos ls my-task
  mesos ls -l my-task
  mesos ls -l my-task tasks/web/
  mesos ls my-task --json | jq -r '.[] | select(.size > 1e6) | .path'")]
pub struct LsArgs {
    /// Task id, id prefix, name, substring or glob (must select one task)
    #[arg(value_name = "TASK")]
    pub task: String,

    /// Directory or file, relative to the sandbox
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: String,

    /// Long listing: mode, links, user, group, size, time, name
    #[arg(short, long)]
    pub long: bool,

    #[command(flatten)]
    pub select: SelectArgs,
}

pub async fn cmd_ls(ctx: &Context, args: &LsArgs) -> Result<()> {
    let (http, l) = files_common::find_one(ctx, &args.task, &args.select, "ls").await?;
    let sandbox = l.sandbox_dir()?.to_string();
    let files = Files::agent(&http, l.agent_base()?);
    let path = tasks::join_path(&sandbox, &args.path);
    let list = files
        .browse(&path)
        .await
        .map_err(|e| l.file_error(&path, e))?;
    let entries: Vec<Entry> = list.iter().map(|f| Entry::new(f, &sandbox)).collect();
    let mut out = Out::new();
    match ctx.output.format {
        OutputFormat::Json => ctx.output.json_value(&entries),
        OutputFormat::Ndjson => {
            for e in &entries {
                out.json_line(e)?;
            }
            out.flush()
        }
        OutputFormat::Table => {
            if args.long {
                let rows: Vec<Vec<String>> = entries
                    .iter()
                    .map(|e| e.long_cells(e.name.clone()))
                    .collect();
                out.push(render_long(&rows).as_bytes())?;
            } else {
                for e in &entries {
                    out.line(&e.name)?;
                }
            }
            out.flush()
        }
    }
}
