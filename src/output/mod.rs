//! The one output layer every command renders through.
//!
//! * `table`: comfy-table, terminal-width aware when stdout is a TTY; plain
//!   whitespace-aligned columns (no borders, no colour) otherwise.
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

/// comfy-table rendering for terminals, fitted to the terminal width.
pub fn render_tty(headers: &[&str], rows: &[Vec<String>]) -> String {
    use comfy_table::{presets, ContentArrangement, Table};
    let mut t = Table::new();
    t.load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(headers.iter().copied());
    for r in rows {
        t.add_row(r.iter().map(String::as_str));
    }
    let mut s = t.to_string();
    // comfy-table pads the left edge with one space per cell; keep lines tidy.
    s = s
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    s.push('\n');
    s
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
    fn output_format_parses_case_insensitively() {
        assert_eq!("JSON".parse::<OutputFormat>().unwrap(), OutputFormat::Json);
        assert!("yaml".parse::<OutputFormat>().unwrap_err().contains("yaml"));
    }
}
