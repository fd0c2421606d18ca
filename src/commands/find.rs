//! `mesos find TASK [PATH]`: recursive listing of a task's sandbox.

use clap::{Args, ValueEnum};
use futures_util::stream::{FuturesUnordered, StreamExt};

use crate::cli::GlobalArgs;
use crate::commands::files_common::{self, Out};
use crate::commands::ls::{render_long, Entry};
use crate::error::{Error, Result};
use crate::output::OutputFormat;
use crate::sandbox::Files;
use crate::tasks::{self, glob, SelectArgs};

/// Directories listed at once while walking.
const WALK_PARALLEL: usize = 8;

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

/// Every entry below `root` (a sandbox path), sorted by path. Directories
/// are listed up to [`WALK_PARALLEL`] at a time. Unreadable subdirectories
/// are reported through `warn` and skipped.
pub async fn walk(
    files: &Files,
    sandbox: &str,
    root: &str,
    warn: &mut dyn FnMut(String),
) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    let first = files.browse(root).await?;
    let mut pending: Vec<String> = Vec::new();
    for f in &first {
        let e = Entry::new(f, sandbox);
        if e.is_dir() {
            pending.push(f.path.clone());
        }
        out.push(e);
    }
    let mut running = FuturesUnordered::new();
    loop {
        while running.len() < WALK_PARALLEL {
            let Some(dir) = pending.pop() else { break };
            running.push(async move {
                let r = files.browse(&dir).await;
                (dir, r)
            });
        }
        let Some((dir, r)) = running.next().await else {
            break;
        };
        match r {
            Ok(list) => {
                for f in &list {
                    // Guard against listings that echo the directory itself.
                    if f.path.trim_end_matches('/') == dir.trim_end_matches('/') {
                        continue;
                    }
                    let e = Entry::new(f, sandbox);
                    if e.is_dir() {
                        pending.push(f.path.clone());
                    }
                    out.push(e);
                }
            }
            Err(e) => warn(format!("{dir}: {}", e.message)),
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

pub async fn cmd_find(global: &GlobalArgs, args: &FindArgs) -> Result<()> {
    let (ctx, http, l) = files_common::find_one(global, &args.task, &args.select, "find").await?;
    let sandbox = l.sandbox_dir()?.to_string();
    let files = Files::agent(&http, l.agent_base()?);
    let root = tasks::join_path(&sandbox, &args.path);
    let mut problems = 0usize;
    let mut warn = |m: String| {
        problems += 1;
        crate::output::warn(m);
    };
    let all = walk(&files, &sandbox, &root, &mut warn).await?;
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
