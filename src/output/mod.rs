//! The one output layer every command renders through.
//!
//! * `table`: whitespace-aligned columns (no borders). On a TTY they are
//!   fitted to the width (`COLUMNS`, else the terminal's; see [`fit`]):
//!   never wrapped, ids never cut, other columns cut with `…` or left out
//!   (named on stderr). Unchanged when stdout is not a TTY.
//! * `json`: one JSON document (pretty on a TTY, compact otherwise).
//! * `ndjson`: one compact JSON object per line, for streams and `jq -c`.
//!
//! stdout carries results only; [`status`] and [`warn`] write to stderr.

pub mod picker;

use std::io::{IsTerminal, Write};

use clap::ValueEnum;
use serde::Serialize;

use crate::error::{Error, Result};

/// `--output` values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// Human-readable table (plain columns when stdout is not a terminal)
    #[default]
    Table,
    /// One JSON document
    Json,
    /// One JSON object per line
    Ndjson,
}

impl std::str::FromStr for OutputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        <OutputFormat as ValueEnum>::from_str(s, true)
            .map_err(|_| format!("'{s}' is not an output format (table, json, ndjson)"))
    }
}

/// A row type that can be shown as a table and serialized as JSON.
pub trait TableRow: Serialize {
    /// Column headers.
    fn headers() -> Vec<&'static str>;
    /// Cells, in header order.
    fn cells(&self) -> Vec<String>;
}

/// Rendering context: format plus what the terminal allows.
#[derive(Clone, Debug)]
pub struct Output {
    pub format: OutputFormat,
    pub stdout_tty: bool,
    pub color: bool,
}

impl Output {
    /// Detect TTY and colour (`NO_COLOR` disables colour).
    pub fn new(format: OutputFormat) -> Self {
        let stdout_tty = std::io::stdout().is_terminal();
        let color = stdout_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Output {
            format,
            stdout_tty,
            color,
        }
    }

    /// Print one JSON document: pretty on a TTY, compact otherwise.
    pub fn json_value<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        let text = if self.stdout_tty {
            serde_json::to_string_pretty(value)
        } else {
            serde_json::to_string(value)
        }
        .map_err(|e| Error::failed(format!("cannot encode JSON: {e}")))?;
        write_stdout(format!("{text}\n").as_bytes())
    }

    /// Print a single record in the chosen format (table = key/value lines).
    pub fn record<T: Serialize>(&self, value: &T, table_lines: &[(&str, String)]) -> Result<()> {
        match self.format {
            OutputFormat::Json => self.json_value(value),
            OutputFormat::Ndjson => write_ndjson_line(value),
            OutputFormat::Table => {
                let rows: Vec<Vec<String>> = table_lines
                    .iter()
                    .map(|(k, v)| vec![format!("{k}:"), v.clone()])
                    .collect();
                write_stdout(render_plain(&[], &rows).as_bytes())
            }
        }
    }

    /// Print a list of rows in the chosen format.
    pub fn rows<T: TableRow>(&self, rows: &[T]) -> Result<()> {
        match self.format {
            OutputFormat::Json => self.json_value(rows),
            OutputFormat::Ndjson => {
                for r in rows {
                    write_ndjson_line(r)?;
                }
                Ok(())
            }
            OutputFormat::Table => {
                let headers = T::headers();
                let cells: Vec<Vec<String>> = rows.iter().map(|r| r.cells()).collect();
                let text = if self.stdout_tty {
                    render_tty(&headers, &cells)
                } else {
                    render_plain(&headers, &cells)
                };
                write_stdout(text.as_bytes())
            }
        }
    }
}

/// One compact JSON object and a newline.
pub fn write_ndjson_line<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut text = serde_json::to_string(value)
        .map_err(|e| Error::failed(format!("cannot encode JSON: {e}")))?;
    text.push('\n');
    write_stdout(text.as_bytes())
}

/// Write bytes to stdout. A closed pipe (`mesos ... | head`) ends the program quietly.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Error::failed(format!("cannot write to stdout: {e}"))),
    }
}

/// A status/progress line on stderr.
pub fn status(msg: impl AsRef<str>) {
    let _ = writeln!(std::io::stderr(), "{}", msg.as_ref());
}

/// A warning on stderr.
pub fn warn(msg: impl AsRef<str>) {
    let _ = writeln!(std::io::stderr(), "warning: {}", msg.as_ref());
}

/// The width tables are fitted to on a terminal: `COLUMNS` when set to a
/// number, else what the terminal reports; `None` when neither says (a pty
/// reporting 0 columns is "unknown", not 0 wide).
pub fn terminal_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return Some(n);
    }
    // The terminal stdout is (None when stdout is not a terminal).
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(w, _)| usize::from(w.0))
        .filter(|n| *n > 0)
}

/// Whether a column holds identifiers, which are never cut: a cut id is
/// useless to copy (`ID`, `... ID`, and the columns naming a task,
/// framework or agent by id).
fn whole_column(header: &str) -> bool {
    header == "ID" || header.ends_with(" ID") || matches!(header, "TASK" | "FRAMEWORK" | "AGENT")
}

/// A table for a terminal: plain columns fitted to [`terminal_width`] (see
/// [`fit`]); a note on stderr names the columns left out.
pub fn render_tty(headers: &[&str], rows: &[Vec<String>]) -> String {
    match terminal_width() {
        Some(w) => {
            let (text, hidden) = fit(headers, rows, w);
            if !hidden.is_empty() {
                status(format!(
                    "({} not shown at {w} columns: widen the terminal or use --output json)",
                    hidden.join(", ")
                ));
            }
            text
        }
        None => render_plain(headers, rows),
    }
}

/// [`render_plain`] fitted to `width` columns, and the headers of the
/// columns left out. Cells are never wrapped: the widest text columns are
/// cut with `…` (down to a few characters); when that is not enough,
/// columns are left out from the right. Id columns are never cut or left
/// out, and numbers are never cut (a cut number reads as another number),
/// so a table of long ids may still be wider than `width`.
pub fn fit(headers: &[&str], rows: &[Vec<String>], width: usize) -> (String, Vec<String>) {
    let len = |s: &str| s.chars().count();
    let ncols = headers.len();
    if ncols == 0 {
        return (render_plain(headers, rows), Vec::new());
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| len(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(ncols) {
            widths[i] = widths[i].max(len(c));
        }
    }
    let natural = widths.clone();
    let numeric: Vec<bool> = (0..ncols)
        .map(|i| {
            rows.iter().all(|r| {
                r.get(i).is_none_or(|c| {
                    c.is_empty()
                        || c == "-"
                        || c.trim_end_matches(['%', 'B', 'K', 'M', 'G', 'T', 'i', 's'])
                            .parse::<f64>()
                            .is_ok()
                })
            })
        })
        .collect();
    let mut shown: Vec<bool> = vec![true; ncols];
    let total = |w: &[usize], shown: &[bool]| {
        let cols: Vec<usize> = (0..w.len()).filter(|&i| shown[i]).map(|i| w[i]).collect();
        cols.iter().sum::<usize>() + 2 * cols.len().saturating_sub(1)
    };
    // A cut column keeps its header and a few characters.
    let floor: Vec<usize> = headers.iter().map(|h| len(h).max(6)).collect();
    while total(&widths, &shown) > width {
        let widest = (0..ncols)
            .filter(|&i| !whole_column(headers[i]) && !numeric[i] && widths[i] > floor[i])
            .max_by_key(|&i| widths[i]);
        match widest {
            Some(i) => widths[i] -= 1,
            None => break,
        }
    }
    let mut hidden = Vec::new();
    while total(&widths, &shown) > width {
        match (0..ncols)
            .rev()
            .find(|&i| shown[i] && !whole_column(headers[i]))
        {
            Some(i) if (0..ncols).filter(|&j| shown[j]).count() > 1 => {
                shown[i] = false;
                hidden.insert(0, headers[i].to_string());
            }
            _ => break,
        }
    }
    // Room freed by the left-out columns goes back to the cut ones.
    while total(&widths, &shown) < width {
        match (0..ncols)
            .filter(|&i| shown[i] && widths[i] < natural[i])
            .max_by_key(|&i| natural[i] - widths[i])
        {
            Some(i) => widths[i] += 1,
            None => break,
        }
    }
    let cut = |c: &str, w: usize| -> String {
        if len(c) <= w {
            c.to_string()
        } else {
            let mut s: String = c.chars().take(w.saturating_sub(1)).collect();
            s.push('…');
            s
        }
    };
    let pick = |cells: Vec<String>| -> Vec<String> {
        cells
            .into_iter()
            .enumerate()
            .filter(|(i, _)| *i >= ncols || shown[*i])
            .map(|(i, c)| match widths.get(i) {
                Some(&w) => cut(&c, w),
                None => c,
            })
            .collect()
    };
    let fitted: Vec<Vec<String>> = rows.iter().map(|r| pick(r.clone())).collect();
    let heads = pick(headers.iter().map(|h| h.to_string()).collect());
    let heads: Vec<&str> = heads.iter().map(String::as_str).collect();
    (render_plain(&heads, &fitted), hidden)
}

/// Plain aligned columns separated by two spaces; stable for scripts and tests.
pub fn render_plain(headers: &[&str], rows: &[Vec<String>]) -> String {
    let ncols = headers
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let mut widths = vec![0usize; ncols];
    let width = |s: &str| s.chars().count();
    for (i, h) in headers.iter().enumerate() {
        widths[i] = widths[i].max(width(h));
    }
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(c));
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate() {
            l.push_str(c);
            if i + 1 < cells.len() {
                l.extend(std::iter::repeat_n(' ', widths[i] - width(c) + 2));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    if !headers.is_empty() {
        line(headers.to_vec());
    }
    for r in rows {
        line(r.iter().map(String::as_str).collect());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_columns_align() {
        let s = render_plain(
            &["ID", "STATE"],
            &[
                vec!["a".into(), "RUNNING".into()],
                vec!["long-id".into(), "X".into()],
            ],
        );
        assert_eq!(s, "ID       STATE\na        RUNNING\nlong-id  X\n");
    }

    #[test]
    fn fitted_tables_cut_other_columns_never_ids() {
        let id = "6a2f8e71-7d0b-4f43-9c1a-6cb2d0b6a1f4-0001".to_string();
        let rows = vec![vec![
            id.clone(),
            "a rather long framework name".to_string(),
            "TASK_RUNNING".to_string(),
        ]];
        let h = ["ID", "NAME", "STATE", "CPUS"];
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .map(|mut r| {
                r.push("12.5".into());
                r
            })
            .collect();
        let (s, hidden) = fit(&h, &rows, 70);
        let line = s.lines().nth(1).unwrap();
        assert!(line.starts_with(&id), "{s}");
        assert!(line.chars().count() <= 70, "{s}");
        assert!(line.contains('…') && line.ends_with("12.5"), "{s}");
        assert!(hidden.is_empty());
        // Wide enough: unchanged.
        assert_eq!(fit(&h, &rows, 200).0, render_plain(&h, &rows));
        // Narrower: columns are left out from the right, never the id.
        let (s, hidden) = fit(&h, &rows, 50);
        assert_eq!(hidden, ["STATE", "CPUS"], "{s}");
        assert!(s.lines().all(|l| l.chars().count() <= 50), "{s}");
        // Too narrow even for the id: it stays whole, nothing wraps.
        let (s, _) = fit(&h, &rows, 20);
        assert_eq!(s.lines().count(), 2, "{s}");
        assert!(s.contains(&id), "{s}");
    }

    #[test]
    fn output_format_parses_case_insensitively() {
        assert_eq!("JSON".parse::<OutputFormat>().unwrap(), OutputFormat::Json);
        assert!("yaml".parse::<OutputFormat>().unwrap_err().contains("yaml"));
    }
}
