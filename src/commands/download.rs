//! `mesos download TASK [PATH] [--to DIR]`: copy sandbox files locally.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::context::Context;
use clap::Args;
use serde::Serialize;
use tokio::io::AsyncWriteExt;

use crate::commands::files_common::{self, Out};
use crate::error::{Error, Result};
use crate::output::OutputFormat;
use crate::sandbox::tree::{walk, Entry};
use crate::sandbox::Files;
use crate::tasks::{self, SelectArgs};

/// Files downloaded at once.
const JOBS: usize = 4;

/// Copy files or whole directories out of a task's sandbox
///
/// Downloads PATH (relative to the sandbox; default the whole sandbox) of
/// the one task matching TASK into DIR (default the current directory;
/// created if missing). A file lands as DIR/<name>; a directory as
/// DIR/<name>/... (the whole sandbox as DIR/<task id>/...), its files
/// fetched a few at a time. Each file is written to `<name>.part` and
/// renamed when complete, so a finished name is always a whole file; an
/// interrupted download resumes from its `.part` file next time. Bytes are
/// copied exactly (`/files/download`). A progress bar is shown on a
/// terminal. With several matching tasks, asks which one on a terminal and
/// otherwise exits 4 listing them.
///
/// Prints each local file written. JSON fields: path (relative to the
/// sandbox), local (the local path), size (bytes), resumed_from (bytes
/// already there from an earlier attempt).
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos download my-task
  mesos download my-task stdout --to /tmp
  mesos download -i batch-job-7 output/ --to ./results")]
pub struct DownloadArgs {
    /// Task id, id prefix, name, substring or glob (must select one task)
    #[arg(value_name = "TASK")]
    pub task: String,

    /// File or directory, relative to the sandbox
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: String,

    /// Local directory to write into
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub to: PathBuf,

    #[command(flatten)]
    pub select: SelectArgs,
}

/// One downloaded file.
#[derive(Clone, Debug, Serialize)]
pub struct Downloaded {
    pub path: String,
    pub local: String,
    pub size: u64,
    pub resumed_from: u64,
}

pub async fn cmd_download(ctx: &Context, args: &DownloadArgs) -> Result<()> {
    let (http, l) = files_common::find_one(ctx, &args.task, &args.select, "download").await?;
    let sandbox = l.sandbox_dir()?.to_string();
    let files = Files::agent(&http, l.agent_base()?);
    let remote = tasks::join_path(&sandbox, &args.path);
    let listing = files
        .browse(&remote)
        .await
        .map_err(|e| l.file_error(&remote, e))?;
    let is_file = listing.len() == 1
        && !listing[0].is_dir()
        && listing[0].path.trim_end_matches('/') == remote;
    std::fs::create_dir_all(&args.to)
        .map_err(|e| Error::failed(format!("cannot create {}: {e}", args.to.display())))?;

    // (remote path, relative path, local path, size)
    let mut jobs: Vec<(String, String, PathBuf, u64)> = Vec::new();
    let mut problems = Vec::new();
    if is_file {
        let f = &listing[0];
        jobs.push((
            f.path.clone(),
            Entry::new(f, &sandbox).path,
            args.to.join(f.name()),
            f.size,
        ));
    } else {
        let top = if remote.trim_end_matches('/') == sandbox.trim_end_matches('/') {
            l.task.id.clone()
        } else {
            remote
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("download")
                .to_string()
        };
        let dest = args.to.join(safe_name(&top));
        let mut warn = |dir: &str, e: Error| {
            let e = l.file_error(dir, e);
            crate::output::warn(&e.message);
            problems.push(Error::failed(e.message));
        };
        let entries = walk(&files, &sandbox, &remote, &mut warn)
            .await
            .map_err(|e| l.file_error(&remote, e))?;
        std::fs::create_dir_all(&dest)
            .map_err(|e| Error::failed(format!("cannot create {}: {e}", dest.display())))?;
        let root_rel = Entry::new(
            &crate::wire::FileInfo {
                path: remote.clone(),
                ..Default::default()
            },
            &sandbox,
        )
        .path;
        for e in &entries {
            let below = if root_rel == "." {
                e.path.clone()
            } else {
                e.path
                    .strip_prefix(&root_rel)
                    .unwrap_or(&e.path)
                    .trim_start_matches('/')
                    .to_string()
            };
            let local = below
                .split('/')
                .filter(|s| !s.is_empty() && *s != "." && *s != "..")
                .fold(dest.clone(), |p, s| p.join(s));
            if e.is_dir() {
                std::fs::create_dir_all(&local).map_err(|er| {
                    Error::failed(format!("cannot create {}: {er}", local.display()))
                })?;
            } else {
                jobs.push((
                    tasks::join_path(&sandbox, &e.path),
                    e.path.clone(),
                    local,
                    e.size,
                ));
            }
        }
    }

    let total: u64 = jobs.iter().map(|j| j.3).sum();
    let show = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let bar = if show {
        let b = indicatif::ProgressBar::new(total);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} {eta} {wide_msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let n_jobs = jobs.len();
    let results = tasks::bounded(jobs, JOBS, |(remote, rel, local, size)| {
        let files = &files;
        let bar = bar.clone();
        async move {
            let r = fetch_file(files, &remote, &local, size, &bar).await;
            (rel, local, r)
        }
    })
    .await;
    bar.finish_and_clear();

    let mut done = Vec::new();
    for (rel, local, r) in results {
        match r {
            Ok((size, resumed_from)) => done.push(Downloaded {
                path: rel,
                local: local.display().to_string(),
                size,
                resumed_from,
            }),
            Err(e) => {
                let e = l.file_error(&tasks::join_path(&sandbox, &rel), e);
                crate::output::warn(&e.message);
                problems.push(e);
            }
        }
    }
    let mut out = Out::new();
    match ctx.output.format {
        OutputFormat::Json => ctx.output.json_value(&done)?,
        OutputFormat::Ndjson => {
            for d in &done {
                out.json_line(d)?;
            }
        }
        OutputFormat::Table => {
            for d in &done {
                out.line(&d.local)?;
            }
        }
    }
    out.flush()?;
    files_common::finish(n_jobs.max(problems.len()), problems)
}

/// A local name for a remote path component (no separators, not `..`).
fn safe_name(s: &str) -> String {
    let s = s.replace('/', "_");
    if s.is_empty() || s == "." || s == ".." {
        "download".into()
    } else {
        s
    }
}

/// The temporary name a file is written under.
pub fn part_path(local: &Path) -> PathBuf {
    let mut name = local
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".part");
    local.with_file_name(name)
}

/// Download one file to `local` through `<local>.part`, resuming a part
/// file left by an earlier attempt. Returns (size, resumed_from).
pub async fn fetch_file(
    files: &Files,
    remote: &str,
    local: &Path,
    size_hint: u64,
    bar: &indicatif::ProgressBar,
) -> Result<(u64, u64)> {
    let part = part_path(local);
    let mut from = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
    if from > size_hint && size_hint > 0 {
        from = 0; // the file was replaced by a smaller one: start over
    }
    let mut resp = files.download(remote, from).await?;
    let partial = resp.status() == reqwest::StatusCode::PARTIAL_CONTENT;
    let mut skip = if partial { 0 } else { from };
    if !partial && from > 0 {
        // The server sent everything: keep the bytes we have, skip them here.
        if let Some(len) = resp.content_length() {
            if len < from {
                from = 0;
                skip = 0;
            }
        }
    }
    let mut f = tokio::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(from > 0)
        .truncate(from == 0)
        .open(&part)
        .await
        .map_err(|e| Error::failed(format!("cannot write {}: {e}", part.display())))?;
    bar.inc(from);
    bar.set_message(remote.rsplit('/').next().unwrap_or(remote).to_string());
    let mut written = from;
    loop {
        let chunk = match resp.chunk().await {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                let _ = f.flush().await;
                return Err(Error::failed(format!(
                    "transfer broke after {written} bytes (run again to resume): {}",
                    crate::http::root_cause(&e)
                )));
            }
        };
        let mut data: &[u8] = &chunk;
        if skip > 0 {
            let n = (skip as usize).min(data.len());
            data = &data[n..];
            skip -= n as u64;
        }
        if data.is_empty() {
            continue;
        }
        f.write_all(data)
            .await
            .map_err(|e| Error::failed(format!("cannot write {}: {e}", part.display())))?;
        written += data.len() as u64;
        bar.inc(data.len() as u64);
    }
    f.flush()
        .await
        .map_err(|e| Error::failed(format!("cannot write {}: {e}", part.display())))?;
    drop(f);
    std::fs::rename(&part, local).map_err(|e| {
        Error::failed(format!(
            "cannot rename {} to {}: {e}",
            part.display(),
            local.display()
        ))
    })?;
    Ok((written, from))
}
