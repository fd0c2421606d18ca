//! A task's sandbox as the file commands show it: [`Entry`] (the JSON
//! shape of `ls`, `find` and `download`), the long listing, and [`walk`]
//! for recursive listings.

use futures_util::stream::{FuturesUnordered, StreamExt};
use serde::Serialize;

use super::Files;
use crate::error::Result;
use crate::output::render_plain;
use crate::tasks::format as fmt;
use crate::wire::FileInfo;

/// Directories listed at once while walking.
const WALK_PARALLEL: usize = 8;

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

/// Every entry below `root` (a sandbox path), sorted by path. Directories
/// are listed up to [`WALK_PARALLEL`] at a time. Unreadable subdirectories
/// are reported through `warn` (with their agent path) and skipped.
pub async fn walk(
    files: &Files,
    sandbox: &str,
    root: &str,
    warn: &mut dyn FnMut(&str, crate::error::Error),
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
            Err(e) => warn(&dir, e),
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
