//! `mesos node exec -- COMMAND...`: run a command on many agents at once
//! over SSH (libssh2), with output grouped per host or as NDJSON lines.

use std::io::{Read, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::context::Context;
use clap::Args;
use serde::Serialize;

use crate::cluster::ssh::Session;
use crate::commands::files_common;
use crate::error::Result;
use crate::output::OutputFormat;
use crate::remote::agents::{self, AgentSelectArgs, HostGroup};
use crate::remote::conn::{Conn, ConnArgs};
use crate::remote::fanout::{self, Failure, Reason};
use crate::remote::quote;
use crate::remote::ssh_config::SshConfig;
use crate::tasks::parse_parallel;

/// Run a command on many agents in parallel over SSH
///
/// Runs COMMAND on every active agent the master knows (or only those
/// chosen with --agent and --attribute), at most --parallel hosts at once,
/// each host once however many agents run on it. Connections, host key
/// checks and the user, port and key work as in `mesos scp` (flags, then
/// the profile, then ~/.ssh/config). One COMMAND word is a shell command
/// line (`-- 'df -h / | tail -1'`); several words are quoted one by one
/// (`-- systemctl status mesos-agent`). The command gets no input.
///
/// Output: each host's stdout (on stdout) and stderr (on stderr) grouped
/// under a `==> HOST (exit N) <==` header as the host finishes, then a
/// summary on stderr. The exit code is 0 when the command exited 0
/// everywhere, 3 when any host failed (non-zero exit, signal, or could not
/// connect: auth, host key, connect, timeout, ssh), 4 when no agent
/// matches.
///
/// --ndjson streams one object per output line as it arrives: host, stream
/// (stdout or stderr), line; then one per host when it is done: host,
/// stream ("exit"), status (ok or failed), exit_code (null when it never
/// ran or was killed), signal (e.g. "KILL", or null), reason (null,
/// exit_code, signal, auth, host_key, connect, timeout, ssh), error
/// (message or null), seconds. --json prints one array when all are done:
/// host, user, port, agent_ids, status, exit_code, signal, reason, error,
/// stdout, stderr (text, invalid UTF-8 replaced), seconds.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos node exec -- uptime
  mesos node exec --attribute rack:r1 -- 'df -h /var/lib/mesos | tail -1'
  mesos node exec --agent 10.0.4.17,10.0.4.18 --user core -- sudo systemctl restart mesos-agent
  mesos node exec --ndjson -- journalctl -u mesos-agent -n 5 | jq -r '\"\\(.host): \\(.line)\"'")]
pub struct ExecArgs {
    #[command(flatten)]
    pub agents: AgentSelectArgs,

    /// Run on at most N hosts at once
    #[arg(long, value_name = "N", default_value_t = fanout::DEFAULT_SSH_PARALLEL, value_parser = parse_parallel)]
    pub parallel: usize,

    #[command(flatten)]
    pub conn: ConnArgs,

    /// The command to run (after `--`)
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// One host's outcome (the `--json` shape).
#[derive(Clone, Debug, Serialize)]
pub struct ExecResult {
    pub host: String,
    pub user: String,
    pub port: u16,
    pub agent_ids: Vec<String>,
    pub status: &'static str,
    pub exit_code: Option<i32>,
    pub signal: Option<String>,
    pub reason: Option<Reason>,
    pub error: Option<String>,
    pub stdout: String,
    pub stderr: String,
    pub seconds: f64,
    #[serde(skip)]
    pub hint: Option<String>,
}

/// An `--ndjson` output line.
#[derive(Serialize)]
struct LineRecord<'a> {
    host: &'a str,
    stream: &'static str,
    line: &'a str,
}

/// The `--ndjson` end-of-host record.
#[derive(Serialize)]
struct ExitRecord<'a> {
    host: &'a str,
    stream: &'static str,
    status: &'static str,
    exit_code: Option<i32>,
    signal: Option<&'a str>,
    reason: Option<Reason>,
    error: Option<&'a str>,
    seconds: f64,
}

pub async fn cmd_exec(ctx: &Context, args: &ExecArgs) -> Result<()> {
    let (http, leader) = files_common::connect(ctx).await?;
    let conn = Conn::new(&args.conn, &ctx.profile, ctx.timeout)?;
    let all = agents::fetch(&http, &leader).await?;
    let selected = agents::select(&all, &args.agents)?;
    let hosts = agents::group_by_host(&selected)?;
    let format = ctx.output.format;
    let cmd = quote::command_line(&args.command).unwrap_or_default();
    let cfg = SshConfig::load(hosts.iter().map(|g| g.host.as_str()))?;
    let print = Mutex::new(());
    let results = fanout::run_bounded(hosts.len(), args.parallel, |i| {
        let r = run_host(&hosts[i], &conn, &cfg, &cmd, format, &print);
        match format {
            OutputFormat::Table => print_group(&r, &print),
            OutputFormat::Ndjson => {
                let _g = print.lock().unwrap_or_else(|p| p.into_inner());
                let _ = crate::output::write_ndjson_line(&ExitRecord {
                    host: &r.host,
                    stream: "exit",
                    status: r.status,
                    exit_code: r.exit_code,
                    signal: r.signal.as_deref(),
                    reason: r.reason,
                    error: r.error.as_deref(),
                    seconds: r.seconds,
                });
            }
            OutputFormat::Json => {}
        }
        r
    });
    match format {
        OutputFormat::Json => ctx.output.json_value(&results)?,
        OutputFormat::Table => crate::output::status(summary(&results)),
        OutputFormat::Ndjson => {}
    }
    fanout::partial_error(
        "the command",
        &results
            .iter()
            .map(|r| (&r.host, r.reason, r.hint.as_deref()))
            .collect::<Vec<_>>(),
    )
}

/// `2 hosts: all exited 0` / `3 hosts: 1 ok, 2 failed (h2: exit 1, h3: host key)`.
pub fn summary(results: &[ExecResult]) -> String {
    let n = results.len();
    let hosts = if n == 1 { "host" } else { "hosts" };
    let failed: Vec<String> = results
        .iter()
        .filter(|r| r.reason.is_some())
        .map(|r| format!("{}: {}", r.host, short_status(r)))
        .collect();
    if failed.is_empty() {
        format!("{n} {hosts}: all exited 0")
    } else {
        format!(
            "{n} {hosts}: {} ok, {} failed ({})",
            n - failed.len(),
            failed.len(),
            failed.join(", ")
        )
    }
}

fn short_status(r: &ExecResult) -> String {
    match (r.reason, r.exit_code, &r.signal) {
        (None, _, _) => "exit 0".into(),
        (Some(Reason::ExitCode), Some(c), _) => format!("exit {c}"),
        (Some(Reason::Signal), _, Some(s)) => format!("signal {s}"),
        (Some(x), _, _) => format!("failed: {}", x.label()),
    }
}

/// Print one finished host: header and stdout on stdout, stderr on stderr.
fn print_group(r: &ExecResult, lock: &Mutex<()>) {
    let _g = lock.lock().unwrap_or_else(|p| p.into_inner());
    let mut text = format!("==> {} ({}) <==\n", r.host, short_status(r));
    text.push_str(&r.stdout);
    if !r.stdout.is_empty() && !r.stdout.ends_with('\n') {
        text.push('\n');
    }
    let _ = crate::output::write_stdout(text.as_bytes());
    let mut err = std::io::stderr().lock();
    if !r.stderr.is_empty() {
        let _ = err.write_all(r.stderr.as_bytes());
        if !r.stderr.ends_with('\n') {
            let _ = err.write_all(b"\n");
        }
    }
    if let Some(e) = &r.error {
        let _ = writeln!(err, "warning: {}: {e}", r.host);
    }
    let _ = err.flush();
}

/// Splits a stream into lines for `--ndjson`.
struct Lines {
    partial: [Vec<u8>; 2],
}

impl Lines {
    fn push(&mut self, host: &str, stream: usize, data: &[u8], lock: &Mutex<()>) {
        let buf = &mut self.partial[stream];
        buf.extend_from_slice(data);
        let Some(last_nl) = buf.iter().rposition(|b| *b == b'\n') else {
            return;
        };
        let rest = buf.split_off(last_nl + 1);
        let done = std::mem::replace(buf, rest);
        emit_lines(host, stream, &done, lock);
    }

    fn finish(&mut self, host: &str, lock: &Mutex<()>) {
        for s in 0..2 {
            let rest = std::mem::take(&mut self.partial[s]);
            if !rest.is_empty() {
                emit_lines(host, s, &rest, lock);
            }
        }
    }
}

fn emit_lines(host: &str, stream: usize, bytes: &[u8], lock: &Mutex<()>) {
    let text = String::from_utf8_lossy(bytes);
    let name = if stream == 0 { "stdout" } else { "stderr" };
    let mut out = Vec::with_capacity(bytes.len() + 64);
    for line in text.strip_suffix('\n').unwrap_or(&text).split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if serde_json::to_writer(
            &mut out,
            &LineRecord {
                host,
                stream: name,
                line,
            },
        )
        .is_ok()
        {
            out.push(b'\n');
        }
    }
    let _g = lock.lock().unwrap_or_else(|p| p.into_inner());
    let _ = crate::output::write_stdout(&out);
}

fn run_host(
    g: &HostGroup,
    conn: &Conn,
    cfg: &SshConfig,
    cmd: &str,
    format: OutputFormat,
    lock: &Mutex<()>,
) -> ExecResult {
    let start = Instant::now();
    let target = conn.target(&g.host, cfg);
    let mut r = ExecResult {
        host: g.host.clone(),
        user: target.user.clone(),
        port: target.port,
        agent_ids: g.agent_ids.clone(),
        status: "ok",
        exit_code: None,
        signal: None,
        reason: None,
        error: None,
        stdout: String::new(),
        stderr: String::new(),
        seconds: 0.0,
        hint: None,
    };
    let mut bufs: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
    let mut lines = Lines {
        partial: [Vec::new(), Vec::new()],
    };
    let outcome = fanout::connect(&target, conn.accept_new, conn.timeout).and_then(|sess| {
        run_command(&sess, cmd, conn.timeout, |stream, data| {
            if format == OutputFormat::Ndjson {
                lines.push(&g.host, stream, data, lock);
            } else {
                bufs[stream].extend_from_slice(data);
            }
        })
    });
    lines.finish(&g.host, lock);
    r.stdout = String::from_utf8_lossy(&bufs[0]).into_owned();
    r.stderr = String::from_utf8_lossy(&bufs[1]).into_owned();
    r.seconds = start.elapsed().as_secs_f64();
    match outcome {
        Ok(Ended::Exit(0)) => r.exit_code = Some(0),
        Ok(Ended::Exit(c)) => {
            r.exit_code = Some(c);
            r.status = "failed";
            r.reason = Some(Reason::ExitCode);
        }
        Ok(Ended::Signal(s)) => {
            r.status = "failed";
            r.reason = Some(Reason::Signal);
            r.error = Some(format!("killed by signal {s}"));
            r.signal = Some(s);
        }
        Err(f) => {
            r.status = "failed";
            r.reason = Some(f.reason);
            r.error = Some(f.message);
            r.hint = f.hint;
        }
    }
    r
}

/// How a remote command ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    Exit(i32),
    Signal(String),
}

/// Run `cmd` on `sess`, handing stdout (0) and stderr (1) to `on_data` as
/// they arrive. Both streams are read as data comes (non-blocking, waiting
/// on the socket), so a chatty stderr never stalls stdout.
pub fn run_command(
    sess: &Session,
    cmd: &str,
    timeout: Duration,
    mut on_data: impl FnMut(usize, &[u8]),
) -> std::result::Result<Ended, Failure> {
    let raw = sess.raw();
    let label = sess.label();
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        let msg = format!("{label}: {what}: {e}");
        Failure::new(fanout::classify(&msg), msg)
    };
    sess.set_timeout(timeout);
    let mut ch = fanout::step(sess, timeout, || raw.channel_session())
        .map_err(|e| fail("cannot open a channel", &e))?;
    fanout::step(sess, timeout, || ch.exec(cmd)).map_err(|e| fail("cannot run the command", &e))?;
    ch.send_eof()
        .map_err(|e| fail("cannot close the input", &e))?;
    raw.set_blocking(false);
    let mut buf = vec![0u8; 64 * 1024];
    let result = (|| loop {
        let mut got = false;
        for id in 0..2usize {
            let mut s = ch.stream(id as i32);
            loop {
                match s.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        got = true;
                        on_data(id, &buf[..n]);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                    Err(e) => return Err(fail("cannot read the output", &e)),
                }
            }
        }
        if ch.eof() {
            return Ok(());
        }
        if !got {
            fanout::quick_ack(sess);
            fanout::wait_socket(raw, 200);
        }
    })();
    raw.set_blocking(true);
    result?;
    let _ = ch.wait_close();
    if let Ok(sig) = ch.exit_signal() {
        if let Some(s) = sig.exit_signal.filter(|s| !s.is_empty()) {
            return Ok(Ended::Signal(s));
        }
    }
    let code = ch.exit_status().map_err(|e| fail("no exit status", &e))?;
    Ok(Ended::Exit(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(host: &str, reason: Option<Reason>, code: Option<i32>) -> ExecResult {
        ExecResult {
            host: host.into(),
            user: "u".into(),
            port: 22,
            agent_ids: vec![],
            status: if reason.is_some() { "failed" } else { "ok" },
            exit_code: code,
            signal: None,
            reason,
            error: None,
            stdout: String::new(),
            stderr: String::new(),
            seconds: 0.1,
            hint: None,
        }
    }

    #[test]
    fn summaries() {
        let ok = [result("a", None, Some(0)), result("b", None, Some(0))];
        assert_eq!(summary(&ok), "2 hosts: all exited 0");
        let mixed = [
            result("a", None, Some(0)),
            result("b", Some(Reason::ExitCode), Some(2)),
            result("c", Some(Reason::HostKey), None),
        ];
        assert_eq!(
            summary(&mixed),
            "3 hosts: 1 ok, 2 failed (b: exit 2, c: failed: host key)"
        );
    }
}
