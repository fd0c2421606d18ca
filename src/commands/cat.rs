//! `mesos cat` and `mesos head`: sandbox files of one or many tasks.

use std::io::Write;
use std::sync::Arc;

use crate::context::Context;
use clap::Args;

use crate::commands::files_common::{self, item_error, path_of, Headers};
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::sandbox::{Files, BLOCK};
use crate::tasks::{self, Located, SelectArgs};

/// Print sandbox files of tasks, byte for byte
///
/// Prints FILE (default `stdout`; paths are relative to the task's sandbox)
/// of every task matching TASK. The bytes are streamed from the agent's
/// `/files/download` exactly as they are on disk (binary-safe, never held
/// in memory as a whole). When several tasks or files are printed, each
/// starts with a `==> task:file <==` header; -q drops the headers.
///
/// TASK matches an exact task id first, else any task whose id or name
/// starts with, contains or glob-matches it (--regex for a regular
/// expression); completed tasks need -i unless named by exact id. The
/// sandbox is found through the agent's state (the executor's directory),
/// so files of completed tasks can be read while their sandbox exists.
/// A task or file that cannot be read is named on stderr and the others
/// are still printed (exit 3).
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos cat my-task
  mesos cat my-task stderr
  mesos cat 'web.*' stdout stderr -q | grep ERROR
  mesos cat -i batch-job-42 output/result.bin > result.bin")]
pub struct CatArgs {
    /// Task id, id prefix, name, substring or glob
    #[arg(value_name = "TASK")]
    pub task: String,

    /// Files, relative to the sandbox [default: stdout]
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,

    #[command(flatten)]
    pub select: SelectArgs,

    /// Never print `==> task:file <==` headers
    #[arg(short, long)]
    pub quiet: bool,

    /// Agents asked at once while locating sandboxes
    #[arg(long, value_name = "N", default_value_t = tasks::DEFAULT_PARALLEL, value_parser = tasks::parse_parallel)]
    pub parallel: usize,
}

/// Print the first lines of sandbox files of tasks
///
/// Prints the first N lines (default 10) of FILE (default `stdout`) of every
/// task matching TASK, reading only as much of the file as needed (64 KiB
/// per request). Headers, matching and errors as in `mesos cat`.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos head my-task
  mesos head -n 50 my-task stderr
  mesos head -i -q 'batch-*' stdout")]
pub struct HeadArgs {
    /// Task id, id prefix, name, substring or glob
    #[arg(value_name = "TASK")]
    pub task: String,

    /// Files, relative to the sandbox [default: stdout]
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,

    /// Number of lines
    #[arg(short = 'n', long, value_name = "N", default_value_t = 10)]
    pub lines: usize,

    #[command(flatten)]
    pub select: SelectArgs,

    /// Never print `==> task:file <==` headers
    #[arg(short, long)]
    pub quiet: bool,

    /// Agents asked at once while locating sandboxes
    #[arg(long, value_name = "N", default_value_t = tasks::DEFAULT_PARALLEL, value_parser = tasks::parse_parallel)]
    pub parallel: usize,
}

/// One client per agent, shared by all files on it.
pub struct Clients {
    http: HttpClient,
    map: std::collections::HashMap<String, Arc<Files>>,
}

impl Clients {
    pub fn new(http: &HttpClient) -> Clients {
        Clients {
            http: http.clone(),
            map: Default::default(),
        }
    }
    pub fn for_task(&mut self, l: &Located) -> Result<Arc<Files>> {
        let base = l.agent_base()?;
        let http = &self.http;
        Ok(self
            .map
            .entry(base.to_string())
            .or_insert_with(|| Arc::new(Files::agent(http, base)))
            .clone())
    }
}

pub async fn cmd_cat(ctx: &Context, args: &CatArgs) -> Result<()> {
    let (http, found) =
        files_common::find_tasks(ctx, &args.task, &args.select, args.parallel).await?;
    ctx.raw_output_only("cat");
    let list = pairs(&found, &args.files);
    let mut headers = Headers::new(!args.quiet && list.len() > 1);
    let mut clients = Clients::new(&http);
    let mut failures = Vec::new();
    for (l, file) in &list {
        let r = async {
            let files = clients.for_task(l)?;
            let path = path_of(l, file)?;
            let resp = files.download(&path, 0).await?;
            headers.print(&l.task.id, file)?;
            copy_body(resp, &path).await
        }
        .await;
        if let Err(e) = r {
            failures.push(item_error(l, file, e, list.len()));
        }
    }
    files_common::flush()?;
    files_common::finish(list.len(), failures)
}

pub async fn cmd_head(ctx: &Context, args: &HeadArgs) -> Result<()> {
    let (http, found) =
        files_common::find_tasks(ctx, &args.task, &args.select, args.parallel).await?;
    ctx.raw_output_only("head");
    let list = pairs(&found, &args.files);
    let mut headers = Headers::new(!args.quiet && list.len() > 1);
    let mut clients = Clients::new(&http);
    let mut failures = Vec::new();
    for (l, file) in &list {
        let r = async {
            let files = clients.for_task(l)?;
            let path = path_of(l, file)?;
            let data = head(&files, &path, args.lines).await?;
            headers.print(&l.task.id, file)?;
            files_common::raw(&data)
        }
        .await;
        if let Err(e) = r {
            failures.push(item_error(l, file, e, list.len()));
        }
    }
    files_common::flush()?;
    files_common::finish(list.len(), failures)
}

/// (task, file) pairs with owned file names.
pub fn pairs<'a>(found: &'a [Located], files: &[String]) -> Vec<(&'a Located, String)> {
    let files: Vec<String> = if files.is_empty() {
        vec!["stdout".into()]
    } else {
        files.to_vec()
    };
    found
        .iter()
        .flat_map(|l| files.iter().map(move |f| (l, f.clone())))
        .collect()
}

/// Write a download body to stdout as it arrives.
pub async fn copy_body(mut resp: reqwest::Response, path: &str) -> Result<u64> {
    let mut n = 0u64;
    let mut out = std::io::stdout().lock();
    loop {
        match resp.chunk().await {
            Ok(Some(c)) => {
                n += c.len() as u64;
                if let Err(e) = out.write_all(&c) {
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        std::process::exit(0);
                    }
                    return Err(Error::failed(format!("cannot write to stdout: {e}")));
                }
            }
            Ok(None) => break,
            Err(e) => {
                return Err(Error::failed(format!(
                    "{path}: transfer broke after {n} bytes: {}",
                    crate::http::root_cause(&e)
                )))
            }
        }
    }
    let _ = out.flush();
    Ok(n)
}

/// The first `lines` lines of a file, reading block by block.
pub async fn head(files: &Files, path: &str, lines: usize) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    if lines == 0 {
        // Still check that the file exists.
        files.size(path).await?;
        return Ok(out);
    }
    let mut offset = 0u64;
    let mut seen = 0usize;
    loop {
        let c = files.read(path, offset, BLOCK).await?;
        if c.data.is_empty() {
            return Ok(out);
        }
        offset += c.data.len() as u64;
        for (i, b) in c.data.iter().enumerate() {
            if *b == b'\n' {
                seen += 1;
                if seen == lines {
                    out.extend_from_slice(&c.data[..=i]);
                    return Ok(out);
                }
            }
        }
        out.extend_from_slice(&c.data);
        if let Some(size) = c.size {
            if offset >= size {
                return Ok(out);
            }
        }
    }
}
