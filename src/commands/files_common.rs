//! Helpers shared by the task inspection commands (`ps`, `cat`, `head`,
//! `tail`, `ls`, `find`, `download`, `frameworks`, `agents`, `events`):
//! setup, output format, buffered stdout, headers.

use std::io::Write;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::leader::Leader;
use crate::tasks::{Located, SelectArgs, TaskFilter};

/// Client and leader: what every cluster command starts with.
pub async fn connect(ctx: &Context) -> Result<(HttpClient, Leader)> {
    let http = ctx.http()?;
    let leader = ctx.leader(&http).await?;
    Ok((http, leader))
}

/// Resolve the tasks a file command works on (exit 4 when none match).
pub async fn find_tasks(
    ctx: &Context,
    task: &str,
    select: &SelectArgs,
    parallel: usize,
) -> Result<(HttpClient, Vec<Located>)> {
    let filter = TaskFilter::new(Some(task), select)?;
    let (http, leader) = connect(ctx).await?;
    let found = crate::tasks::find(&http, &leader, &filter, parallel).await?;
    Ok((http, found))
}

/// Resolve the one task a command works on (picker or exit 4 when several match).
pub async fn find_one(
    ctx: &Context,
    task: &str,
    select: &SelectArgs,
    what: &str,
) -> Result<(HttpClient, Located)> {
    let filter = TaskFilter::new(Some(task), select)?;
    let (http, leader) = connect(ctx).await?;
    let one = crate::tasks::find_one(&http, &leader, &filter, what).await?;
    Ok((http, one))
}

/// Collects stdout output and writes it in large pieces.
pub struct Out {
    buf: Vec<u8>,
}

impl Default for Out {
    fn default() -> Self {
        Out::new()
    }
}

impl Out {
    pub fn new() -> Out {
        Out {
            buf: Vec::with_capacity(64 * 1024),
        }
    }
    pub fn push(&mut self, bytes: &[u8]) -> Result<()> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= 256 * 1024 {
            self.flush()?;
        }
        Ok(())
    }
    pub fn line(&mut self, s: &str) -> Result<()> {
        self.buf.extend_from_slice(s.as_bytes());
        self.buf.push(b'\n');
        if self.buf.len() >= 256 * 1024 {
            self.flush()?;
        }
        Ok(())
    }
    pub fn json_line<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        serde_json::to_writer(&mut self.buf, v)
            .map_err(|e| Error::failed(format!("cannot encode JSON: {e}")))?;
        self.buf.push(b'\n');
        if self.buf.len() >= 256 * 1024 {
            self.flush()?;
        }
        Ok(())
    }
    /// One compact JSON value, no newline.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        serde_json::to_writer(&mut self.buf, v)
            .map_err(|e| Error::failed(format!("cannot encode JSON: {e}")))?;
        if self.buf.len() >= 256 * 1024 {
            self.flush()?;
        }
        Ok(())
    }
    pub fn flush(&mut self) -> Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let r = crate::output::write_stdout(&self.buf);
        self.buf.clear();
        r
    }
}

impl Drop for Out {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Plain aligned columns (as [`crate::output::render_plain`]), written
/// straight into `out` instead of one big string.
pub fn plain_table(out: &mut Out, headers: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let n = headers
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let mut widths = vec![0usize; n];
    let width = |s: &str| s.chars().count();
    for (i, h) in headers.iter().enumerate() {
        widths[i] = widths[i].max(width(h));
    }
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(c));
        }
    }
    let mut line = String::new();
    let mut emit = |cells: &mut dyn Iterator<Item = &str>, out: &mut Out| -> Result<()> {
        line.clear();
        let cells: Vec<&str> = cells.collect();
        for (i, c) in cells.iter().enumerate() {
            line.push_str(c);
            if i + 1 < cells.len() {
                line.extend(std::iter::repeat_n(' ', widths[i] - width(c) + 2));
            }
        }
        out.line(line.trim_end())
    };
    if !headers.is_empty() {
        emit(&mut headers.iter().copied(), out)?;
    }
    for r in rows {
        emit(&mut r.iter().map(String::as_str), out)?;
    }
    Ok(())
}

/// Write raw bytes to stdout now (no buffering), ending quietly on a closed pipe.
pub fn raw(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Error::failed(format!("cannot write to stdout: {e}"))),
    }
}

/// Flush stdout, ending quietly on a closed pipe.
pub fn flush() -> Result<()> {
    match std::io::stdout().lock().flush() {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Error::failed(format!("cannot write to stdout: {e}"))),
    }
}

/// The `==> task:file <==` header line (coreutils style).
pub fn header(task: &str, file: &str) -> String {
    format!("==> {task}:{file} <==\n")
}

/// Turn per-item failures into the documented exit: all failed -> the first
/// error (its own kind), some failed -> partial (exit 3).
pub fn finish(total: usize, failures: Vec<Error>) -> Result<()> {
    if failures.is_empty() {
        return Ok(());
    }
    if failures.len() >= total {
        if failures.len() == 1 {
            return Err(failures.into_iter().next().unwrap());
        }
        let first = failures[0].clone();
        return Err(Error::new(
            first.kind,
            format!("all {} failed; first: {}", failures.len(), first.message),
        ));
    }
    Err(Error::partial(format!(
        "{} of {total} failed (see warnings above)",
        failures.len()
    )))
}

/// Header state: coreutils style, blank line before every header but the first.
pub struct Headers {
    pub enabled: bool,
    printed: bool,
}

impl Headers {
    pub fn new(enabled: bool) -> Headers {
        Headers {
            enabled,
            printed: false,
        }
    }
    pub fn print(&mut self, task: &str, file: &str) -> Result<()> {
        if !self.enabled {
            return Ok(());
        }
        let mut s = String::new();
        if self.printed {
            s.push('\n');
        }
        s.push_str(&header(task, file));
        self.printed = true;
        raw(s.as_bytes())
    }
}

/// Name the task and file in a per-item error; with several items, also
/// warn at once (the run goes on and ends with exit 3).
pub fn item_error(l: &Located, file: &str, e: Error, items: usize) -> Error {
    let msg = if e.kind == crate::error::ErrorKind::NotFound {
        format!("{}:{file}: no such file or directory", l.task.id)
    } else {
        format!("{}:{file}: {}", l.task.id, e.message)
    };
    if items > 1 {
        crate::output::warn(&msg);
    }
    Error { message: msg, ..e }
}

/// The sandbox path of `file` for a task, or why there is none.
pub fn path_of(l: &Located, file: &str) -> Result<String> {
    l.sandbox_dir()?;
    l.file_path(file).ok_or_else(|| Error::failed("no sandbox"))
}
