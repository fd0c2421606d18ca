//! `mesos ls TASK [PATH]`: list a task's sandbox.

use clap::Args;
use serde::Serialize;

use crate::cli::GlobalArgs;
use crate::commands::files_common::{self, Out};
use crate::error::Result;
use crate::output::{render_plain, OutputFormat};
use crate::sandbox::Files;
use crate::tasks::format as fmt;
use crate::tasks::{self, SelectArgs};
use crate::wire::FileInfo;

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

/// One listed entry (the JSON shape of `ls` and `find`).
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub name: String,
    pub path: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub mode: String,
    pub nlink: u64,
    pub uid: String,
    pub gid: String,
    pub size: u64,
    pub mtime: f64,
}

impl Entry {
    /// From a Mesos entry, with the path made relative to `sandbox`.
    pub fn new(f: &FileInfo, sandbox: &str) -> Entry {
        let base = sandbox.trim_end_matches('/');
        let rel = f
            .path
            .strip_prefix(base)
            .map(|r| r.trim_start_matches('/'))
            .unwrap_or(&f.path)
            .to_string();
        Entry {
            name: f.name().to_string(),
            path: if rel.is_empty() { ".".into() } else { rel },
            kind: match f.mode.chars().next() {
                Some('d') => "directory",
                Some('l') => "symlink",
                Some('-') => "file",
                _ => "other",
            },
            mode: f.mode.clone(),
            nlink: f.nlink,
            uid: f.uid.clone(),
            gid: f.gid.clone(),
            size: f.size,
            mtime: f.mtime,
        }
    }

    pub fn is_dir(&self) -> bool {
        self.kind == "directory"
    }

    /// Cells of a long listing (without the name's column alignment).
    pub fn long_cells(&self, name: String) -> Vec<String> {
        vec![
            self.mode.clone(),
            self.nlink.to_string(),
            self.uid.clone(),
            self.gid.clone(),
            self.size.to_string(),
            fmt::ls_time(self.mtime),
            name,
        ]
    }
}

pub async fn cmd_ls(global: &GlobalArgs, args: &LsArgs) -> Result<()> {
    let (ctx, http, l) = files_common::find_one(global, &args.task, &args.select, "ls").await?;
    let sandbox = l.sandbox_dir()?.to_string();
    let files = Files::agent(&http, l.agent_base()?);
    let path = tasks::join_path(&sandbox, &args.path);
    let list = files.browse(&path).await?;
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

/// `ls -l` columns: numbers right-aligned, the rest left-aligned.
pub fn render_long(rows: &[Vec<String>]) -> String {
    let plain = render_plain(&[], rows);
    if rows.is_empty() {
        return plain;
    }
    let n = rows[0].len();
    let mut widths = vec![0usize; n];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let mut s = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            let pad = widths[i] - c.chars().count();
            let right = i == 1 || i == 4;
            if right {
                line.push_str(&" ".repeat(pad));
                line.push_str(c);
            } else {
                line.push_str(c);
                if i + 1 < r.len() {
                    line.push_str(&" ".repeat(pad));
                }
            }
            if i + 1 < r.len() {
                line.push(' ');
            }
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s
}
