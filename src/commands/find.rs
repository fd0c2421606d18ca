//! `mesos find TASK [PATH]`: recursive listing of a task's sandbox.

use crate::context::Context;
use clap::{Args, ValueEnum};

use crate::commands::files_common::{self, Out};
use crate::error::{Error, Result};
use crate::output::OutputFormat;
use crate::sandbox::tree::{render_long, walk, Entry};
use crate::sandbox::Files;
use crate::tasks::{self, glob, SelectArgs};

/// List a task's sandbox recursively
///
/// Walks PATH (relative to the sandbox; default the whole sandbox) of the
/// one task matching TASK and prints every file and directory below it,
/// relative to the sandbox. Directories are listed concurrently. --name
/// keeps entries whose name matches a glob (`*.log`), --type keeps files or
/// directories; the walk itself always goes everywhere. -l prints long
/// lines like `ls -l`. With several matching tasks, asks which one on a
/// terminal and otherwise exits 4 listing them.
///
/// JSON fields as in `mesos ls`: name, path, type, mode, nlink, uid, gid,
/// size, mtime.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos find my-task
  mesos find my-task --name '*.log'
  mesos find my-task logs --type f -l
  mesos find my-task --json | jq '[.[] | .size] | add'")]
pub struct FindArgs {
    /// Task id, id prefix, name, substring or glob (must select one task)
    #[arg(value_name = "TASK")]
    pub task: String,

    /// Directory to start from, relative to the sandbox
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: String,

    /// Only entries whose name matches this glob
    #[arg(long, value_name = "GLOB")]
    pub name: Option<String>,

    /// Only files or only directories
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub kind: Option<Kind>,

    /// Long lines: mode, links, user, group, size, time, path
    #[arg(short, long)]
    pub long: bool,

    #[command(flatten)]
    pub select: SelectArgs,
}

/// `--type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Regular files (and anything that is not a directory)
    F,
    /// Directories
    D,
}

pub async fn cmd_find(ctx: &Context, args: &FindArgs) -> Result<()> {
    let (http, l) = files_common::find_one(ctx, &args.task, &args.select, "find").await?;
    let sandbox = l.sandbox_dir()?.to_string();
    let files = Files::agent(&http, l.agent_base()?);
    let root = tasks::join_path(&sandbox, &args.path);
    let mut problems = 0usize;
    let mut warn = |dir: &str, e: Error| {
        problems += 1;
        crate::output::warn(l.file_error(dir, e).message);
    };
    let all = walk(&files, &sandbox, &root, &mut warn)
        .await
        .map_err(|e| l.file_error(&root, e))?;
    let entries: Vec<&Entry> = all
        .iter()
        .filter(|e| {
            args.name
                .as_deref()
                .is_none_or(|g| glob::glob_match(g, &e.name))
        })
        .filter(|e| match args.kind {
            Some(Kind::D) => e.is_dir(),
            Some(Kind::F) => !e.is_dir(),
            None => true,
        })
        .collect();
    let mut out = Out::new();
    match ctx.output.format {
        OutputFormat::Json => ctx.output.json_value(&entries)?,
        OutputFormat::Ndjson => {
            for e in &entries {
                out.json_line(e)?;
            }
        }
        OutputFormat::Table => {
            if args.long {
                let rows: Vec<Vec<String>> = entries
                    .iter()
                    .map(|e| e.long_cells(e.path.clone()))
                    .collect();
                out.push(render_long(&rows).as_bytes())?;
            } else {
                for e in &entries {
                    out.line(&e.path)?;
                }
            }
        }
    }
    out.flush()?;
    if problems > 0 {
        return Err(Error::partial(format!(
            "{problems} directories could not be listed"
        )));
    }
    Ok(())
}
