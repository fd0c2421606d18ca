//! `mesos scp FILE... REMOTE_DIR`: copy local files to a directory on every
//! (selected) agent, in parallel, over SFTP (SCP when a host has no SFTP).

use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::context::Context;
use clap::Args;
use serde::Serialize;

use crate::cluster::ssh::Session;
use crate::commands::files_common::{self, Out};
use crate::error::{Error, Result};
use crate::output::{render_plain, render_tty, OutputFormat};
use crate::remote::agents::{self, AgentSelectArgs, HostGroup};
use crate::remote::conn::{Conn, ConnArgs};
use crate::remote::fanout::{self, Bars, Failure, Reason};
use crate::remote::quote::quote_word;
use crate::remote::sftp::{self, Sftp, SftpError};
use crate::remote::ssh_config::SshConfig;
use crate::tasks::parse_parallel;

/// Copy local files to a directory on every agent, in parallel
///
/// Copies each FILE into REMOTE_DIR on every active agent the master knows
/// (or only those chosen with --agent and --attribute; an agent named with
/// --agent is used even when inactive). Each host is visited once, however
/// many agents run on it. Connections use libssh2: host keys are checked
/// against ~/.ssh/known_hosts (an unknown key is refused unless
/// --accept-new-host-keys, a changed key always), and the user, port and
/// key come from the flags, then the profile (ssh_user, ssh_port, ssh_key),
/// then ~/.ssh/config as the OpenSSH client resolves it (`ssh -G`: Host
/// and Match blocks, Include; HostName, Port, User, IdentityFile; needs
/// `ssh` installed when the file exists), then the defaults (local user,
/// 22, the SSH agent and ~/.ssh/id_*).
///
/// Files go over SFTP (SCP when the host has no SFTP subsystem) to a
/// temporary name in REMOTE_DIR (`.NAME.mesos-scp-XXXXXXXX`), get the local
/// file's mode and modification time, and once all are sent they are
/// renamed over their names with rename(2) (SFTP posix-rename; `mv -f`
/// through the remote shell when the server lacks it), so a reader never
/// sees a half-written file and an existing file is replaced in one step.
/// Temporary files are removed when a copy fails. REMOTE_DIR must exist; a relative
/// path (or `~/...`) is relative to the remote user's home. At most
/// --parallel hosts are copied to at once. A terminal shows one progress
/// bar per host on stderr.
///
/// The result is a table of HOST, STATUS (ok, or failed and why), BYTES
/// and TIME; each failure is also explained on stderr. The exit code is 0
/// when every host got every file, 3 when any host failed (reasons: auth,
/// host key, disk full, permission, no such directory, connect, timeout,
/// ssh), 4 when no agent matches.
///
/// JSON (--json: one array; --ndjson: one object per host as it finishes)
/// fields: host (as the master names it), user, port, agent_ids, status
/// (ok or failed), reason (null, auth, host_key, disk_full, permission,
/// not_found, connect, timeout, ssh), error (message or null), files
/// (remote paths written), bytes, seconds.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos scp ./fix.sh /tmp
  mesos scp app.conf limits.conf /etc/myapp --attribute rack:r1
  mesos scp --agent 10.0.4.17 --user core -i ~/.ssh/ops ./tool /opt/bin
  mesos scp big.tar /var/tmp --parallel 4 --json | jq -r '.[] | select(.status != \"ok\") | .host'")]
pub struct ScpArgs {
    /// Local files to copy (regular files)
    #[arg(value_name = "FILE", required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,

    /// Existing directory on the agents
    #[arg(value_name = "REMOTE_DIR", required = true)]
    pub remote_dir: String,

    #[command(flatten)]
    pub agents: AgentSelectArgs,

    /// Copy to at most N hosts at once
    #[arg(long, value_name = "N", default_value_t = fanout::DEFAULT_SSH_PARALLEL, value_parser = parse_parallel)]
    pub parallel: usize,

    #[command(flatten)]
    pub conn: ConnArgs,
}

/// One host's outcome (the JSON shape).
#[derive(Clone, Debug, Serialize)]
pub struct ScpResult {
    pub host: String,
    pub user: String,
    pub port: u16,
    pub agent_ids: Vec<String>,
    pub status: &'static str,
    pub reason: Option<Reason>,
    pub error: Option<String>,
    pub files: Vec<String>,
    pub bytes: u64,
    pub seconds: f64,
    #[serde(skip)]
    pub hint: Option<String>,
}

/// A local file to send.
#[derive(Clone, Debug)]
pub struct LocalFile {
    pub path: PathBuf,
    pub name: String,
    pub size: u64,
    pub mode: u32,
    pub mtime: u64,
    pub atime: u64,
}

/// Check the local files: regular, readable, distinct names.
pub fn local_files(paths: &[PathBuf]) -> Result<Vec<LocalFile>> {
    let mut out: Vec<LocalFile> = Vec::new();
    for p in paths {
        let md = std::fs::metadata(p)
            .map_err(|e| Error::failed(format!("cannot read {}: {e}", p.display())))?;
        if md.is_dir() {
            return Err(Error::usage(format!(
                "{} is a directory; scp copies files (archive it first, e.g. tar czf)",
                p.display()
            )));
        }
        if !md.is_file() {
            return Err(Error::usage(format!(
                "{} is not a regular file",
                p.display()
            )));
        }
        std::fs::File::open(p)
            .map_err(|e| Error::failed(format!("cannot read {}: {e}", p.display())))?;
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| Error::usage(format!("{} has no file name", p.display())))?;
        if name.contains(['\n', '\r']) {
            return Err(Error::usage(format!(
                "{}: file names with line breaks are not supported",
                p.display()
            )));
        }
        if out.iter().any(|f| f.name == name) {
            return Err(Error::usage(format!(
                "two files are named '{name}'; they would overwrite each other in REMOTE_DIR"
            )));
        }
        out.push(LocalFile {
            path: p.clone(),
            name,
            size: md.len(),
            mode: md.mode() & 0o7777,
            mtime: md.mtime().max(0) as u64,
            atime: md.atime().max(0) as u64,
        });
    }
    Ok(out)
}

/// REMOTE_DIR as SFTP and the shell see it: `~/x` -> `x` (relative to the
/// home directory), no trailing slash.
pub fn normalize_remote_dir(d: &str) -> Result<String> {
    if d.is_empty() {
        return Err(Error::usage("REMOTE_DIR is empty"));
    }
    if d.contains(['\n', '\r', '\0']) {
        return Err(Error::usage("REMOTE_DIR must not contain line breaks"));
    }
    let d = if d == "~" || d == "~/" {
        "."
    } else if let Some(r) = d.strip_prefix("~/") {
        r
    } else if d.starts_with('~') {
        return Err(Error::usage(format!(
            "REMOTE_DIR '{d}': only ~/ (the remote user's home) is understood"
        )));
    } else {
        d
    };
    let t = d.trim_end_matches('/');
    Ok(if t.is_empty() {
        "/".into()
    } else {
        t.to_string()
    })
}

/// `dir/name`.
pub fn remote_join(dir: &str, name: &str) -> String {
    if dir == "/" {
        format!("/{name}")
    } else {
        format!("{dir}/{name}")
    }
}

pub async fn cmd_scp(ctx: &Context, args: &ScpArgs) -> Result<()> {
    let files = local_files(&args.files)?;
    let dir = normalize_remote_dir(&args.remote_dir)?;
    let (http, leader) = files_common::connect(ctx).await?;
    let conn = Conn::new(&args.conn, &ctx.profile, ctx.timeout)?;
    let all = agents::fetch(&http, &leader).await?;
    let selected = agents::select(&all, &args.agents)?;
    let hosts = agents::group_by_host(&selected)?;
    let format = ctx.output.format;
    let cfg = SshConfig::load(hosts.iter().map(|g| g.host.as_str()))?;
    let total: u64 = files.iter().map(|f| f.size).sum();
    let bars = Bars::new(true);
    let results = fanout::run_bounded(hosts.len(), args.parallel, |i| {
        let r = copy_host(&hosts[i], &conn, &cfg, &files, &dir, total, &bars);
        if let Some(e) = &r.error {
            bars.println(&format!("warning: {}: {e}", r.host));
        }
        if format == OutputFormat::Ndjson {
            let _ = crate::output::write_ndjson_line(&r);
        }
        r
    });
    let mut out = Out::new();
    match format {
        OutputFormat::Json => ctx.output.json_value(&results)?,
        OutputFormat::Ndjson => {}
        OutputFormat::Table => {
            let headers = ["HOST", "STATUS", "BYTES", "TIME"];
            let rows: Vec<Vec<String>> = results
                .iter()
                .map(|r| {
                    vec![
                        r.host.clone(),
                        match r.reason {
                            None => "ok".to_string(),
                            Some(x) => format!("failed ({})", x.label()),
                        },
                        r.bytes.to_string(),
                        fanout::seconds_text(r.seconds),
                    ]
                })
                .collect();
            let text = if ctx.output.stdout_tty {
                render_tty(&headers, &rows)
            } else {
                render_plain(&headers, &rows)
            };
            out.push(text.as_bytes())?;
            out.flush()?;
        }
    }
    fanout::partial_error(
        "scp",
        &results
            .iter()
            .map(|r| (&r.host, r.reason, r.hint.as_deref()))
            .collect::<Vec<_>>(),
    )
}

fn copy_host(
    g: &HostGroup,
    conn: &Conn,
    cfg: &SshConfig,
    files: &[LocalFile],
    dir: &str,
    total: u64,
    bars: &Bars,
) -> ScpResult {
    let start = Instant::now();
    let target = conn.target(&g.host, cfg);
    let bar = bars.bar(&g.host, total);
    let mut r = ScpResult {
        host: g.host.clone(),
        user: target.user.clone(),
        port: target.port,
        agent_ids: g.agent_ids.clone(),
        status: "ok",
        reason: None,
        error: None,
        files: Vec::new(),
        bytes: 0,
        seconds: 0.0,
        hint: None,
    };
    let outcome = fanout::connect(&target, conn.accept_new, conn.timeout).and_then(|sess| {
        if let Some(b) = &bar {
            b.set_message("copying");
        }
        let mut up = Uploader::new(&sess, dir, conn.timeout)?;
        for f in files {
            up.send(f, |n| {
                r.bytes += n;
                if let Some(b) = &bar {
                    b.inc(n);
                }
            })?;
        }
        r.files = up.finish()?;
        Ok(())
    });
    r.seconds = start.elapsed().as_secs_f64();
    match outcome {
        Ok(()) => {
            if let Some(b) = bar {
                b.finish_with_message(format!("ok in {}", fanout::seconds_text(r.seconds)));
            }
        }
        Err(f) => {
            if let Some(b) = bar {
                b.abandon_with_message(format!("failed ({})", f.reason.label()));
            }
            r.status = "failed";
            r.reason = Some(f.reason);
            r.error = Some(f.message);
            r.hint = f.hint;
        }
    }
    r
}

/// Sends files into one remote directory over one session: each to a
/// temporary name first; [`Uploader::finish`] then renames them all into
/// place.
struct Uploader<'a> {
    sess: &'a Session,
    sftp: Option<Sftp<'a>>,
    dir: String,
    timeout: Duration,
    /// (temporary, final) paths of the files sent so far.
    sent: Vec<(String, String)>,
    /// Without SFTP: a shell that renames `tmp\ndst\n` pairs read from its
    /// input with `mv -f` (rename(2), atomic), started before the upload so
    /// the remote shell's start-up overlaps the transfer.
    mover: Option<ssh2::Channel>,
}

/// The rename helper: POSIX sh, one line, no `!` (csh would expand it).
const MOVER: &str = "exec /bin/sh -c 'while IFS= read -r s && IFS= read -r d; do mv -f -- \"$s\" \"$d\" || exit 1; done'";

fn sftp_failure(what: &str, e: &SftpError) -> Failure {
    let reason = match e.status {
        Some(sftp::FX_NO_SUCH_FILE) | Some(sftp::FX_NO_SUCH_PATH) => Reason::NotFound,
        Some(sftp::FX_PERMISSION_DENIED) | Some(sftp::FX_WRITE_PROTECT) => Reason::Permission,
        Some(sftp::FX_NO_SPACE) | Some(sftp::FX_QUOTA_EXCEEDED) => Reason::DiskFull,
        _ if e.code == -9 || e.code == -30 => Reason::Timeout,
        _ => fanout::classify(&e.to_string()),
    };
    Failure::new(reason, format!("{what}: {e}"))
}

impl<'a> Uploader<'a> {
    fn new(
        sess: &'a Session,
        dir: &str,
        timeout: Duration,
    ) -> std::result::Result<Uploader<'a>, Failure> {
        let label = sess.label();
        let mut up = Uploader {
            sess,
            sftp: None,
            dir: dir.to_string(),
            timeout,
            sent: Vec::new(),
            mover: None,
        };
        match Sftp::open(sess, timeout) {
            Ok(sftp) => {
                match sftp.stat(dir, true) {
                    Ok(st) if st.is_dir => {}
                    Ok(_) => {
                        return Err(Failure::new(
                            Reason::NotFound,
                            format!("{label}: {dir} is not a directory"),
                        ))
                    }
                    Err(e) => {
                        let mut f = sftp_failure(&format!("{label}: {dir}"), &e);
                        if f.reason == Reason::NotFound {
                            f.message = format!("{label}: {dir}: no such directory");
                            f.hint = Some("REMOTE_DIR must exist on every host (create it with `mesos node exec -- mkdir -p DIR`)".into());
                        }
                        return Err(f);
                    }
                }
                up.sftp = Some(sftp);
            }
            Err(e) if e.code == -9 || e.code == -30 => {
                return Err(Failure::new(
                    Reason::Timeout,
                    format!("{label}: cannot start SFTP: timed out"),
                ))
            }
            Err(_) => {
                // No SFTP subsystem: SCP, and the shell for the renames.
                let out = sess
                    .exec(&format!("test -d {}", quote_word(dir)), None)
                    .map_err(|e| Failure::from_error(&e))?;
                if out.code != 0 {
                    return Err(Failure::new(
                        Reason::NotFound,
                        format!("{label}: {dir}: no such directory"),
                    ));
                }
                up.mover = Some(up.start_mover()?);
            }
        }
        Ok(up)
    }

    fn start_mover(&self) -> std::result::Result<ssh2::Channel, Failure> {
        let label = self.sess.label();
        let fail = |e: ssh2::Error| {
            let msg = format!("{label}: cannot start a remote shell: {}", e.message());
            Failure::new(fanout::classify(&msg), msg)
        };
        let raw = self.sess.raw();
        let mut ch =
            fanout::step(self.sess, self.timeout, || raw.channel_session()).map_err(fail)?;
        fanout::step(self.sess, self.timeout, || ch.exec(MOVER)).map_err(fail)?;
        Ok(ch)
    }

    /// Send one file to a temporary name in the directory.
    fn send(
        &mut self,
        f: &LocalFile,
        mut progress: impl FnMut(u64),
    ) -> std::result::Result<(), Failure> {
        let tmp = remote_join(
            &self.dir,
            &format!(
                ".{}.mesos-scp-{}",
                f.name,
                &uuid::Uuid::new_v4().simple().to_string()[..8]
            ),
        );
        let dst = remote_join(&self.dir, &f.name);
        let mut local = std::fs::File::open(&f.path).map_err(|e| {
            Failure::new(
                Reason::Ssh,
                format!("cannot read {}: {e}", f.path.display()),
            )
        })?;
        let sent = match &self.sftp {
            Some(sftp) => self.send_sftp(sftp, f, &tmp, &mut local, &mut progress),
            None => self.send_scp(f, &tmp, &mut local, &mut progress),
        };
        if let Err(e) = sent {
            self.remove(&tmp);
            self.abort();
            return Err(e);
        }
        self.sent.push((tmp, dst));
        Ok(())
    }

    /// Rename every sent file into place, atomically: SFTP
    /// `posix-rename@openssh.com` (rename(2), replacing an existing file),
    /// else a plain SFTP rename for new names, else `mv -f` through the
    /// remote shell. Returns the final paths.
    fn finish(mut self) -> std::result::Result<Vec<String>, Failure> {
        let label = self.sess.label();
        let mut via_shell: Vec<(String, String)> = Vec::new();
        let mut posix = true;
        for (tmp, dst) in &self.sent {
            let Some(sftp) = &self.sftp else {
                via_shell.push((tmp.clone(), dst.clone()));
                continue;
            };
            if posix {
                match sftp.posix_rename(tmp, dst) {
                    Ok(()) => continue,
                    Err(e) if e.status == Some(sftp::FX_OP_UNSUPPORTED) => posix = false,
                    Err(e) => {
                        let f = sftp_failure(&format!("{label}: cannot rename {tmp} to {dst}"), &e);
                        self.abort();
                        return Err(f);
                    }
                }
            }
            if sftp.rename(tmp, dst).is_err() {
                via_shell.push((tmp.clone(), dst.clone()));
            }
        }
        if !via_shell.is_empty() {
            let mut ch = match self.mover.take() {
                Some(ch) => ch,
                None => match self.start_mover() {
                    Ok(ch) => ch,
                    Err(f) => {
                        self.abort();
                        return Err(f);
                    }
                },
            };
            let mut input = String::new();
            for (tmp, dst) in &via_shell {
                input.push_str(tmp);
                input.push('\n');
                input.push_str(dst);
                input.push('\n');
            }
            let mut stderr = String::new();
            let outcome = std::io::Write::write_all(&mut ch, input.as_bytes())
                .map_err(|e| e.to_string())
                .and_then(|_| ch.send_eof().map_err(|e| e.message().to_string()))
                .and_then(|_| {
                    let mut sink = Vec::new();
                    let _ = ch.read_to_end(&mut sink);
                    let _ = ch.stderr().read_to_string(&mut stderr);
                    ch.wait_close().map_err(|e| e.message().to_string())
                })
                .and_then(|_| match ch.exit_status() {
                    Ok(0) => Ok(()),
                    Ok(c) => Err(format!("exit {c}")),
                    Err(e) => Err(e.message().to_string()),
                });
            if let Err(e) = outcome {
                let why = stderr
                    .lines()
                    .rfind(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .unwrap_or(e);
                let msg = format!("{label}: cannot rename into place in {}: {why}", self.dir);
                self.abort();
                return Err(Failure::new(fanout::classify(&msg), msg));
            }
        } else if let Some(mut ch) = self.mover.take() {
            let _ = ch.send_eof();
            let _ = ch.wait_close();
        }
        Ok(self.sent.iter().map(|(_, d)| d.clone()).collect())
    }

    /// Remove the temporary files left after a failure.
    fn abort(&mut self) {
        if let Some(mut ch) = self.mover.take() {
            let _ = ch.close();
        }
        // (A temporary file already renamed into place is gone: no harm.)
        for (tmp, _) in std::mem::take(&mut self.sent) {
            self.remove(&tmp);
        }
    }

    fn send_sftp(
        &self,
        sftp: &Sftp<'a>,
        f: &LocalFile,
        tmp: &str,
        local: &mut std::fs::File,
        progress: &mut impl FnMut(u64),
    ) -> std::result::Result<(), Failure> {
        let label = self.sess.label();
        let mut file = sftp.create_new(tmp, 0o600).map_err(|e| {
            sftp_failure(
                &format!("{label}: cannot create a file in {}", self.dir),
                &e,
            )
        })?;
        if let Some(avail) = file.available() {
            if avail < f.size {
                return Err(disk_full(&label, &self.dir, avail, f.size));
            }
        }
        let mut buf = vec![0u8; 256 * 1024];
        let mut written = 0u64;
        loop {
            let n = local.read(&mut buf).map_err(|e| {
                Failure::new(
                    Reason::Ssh,
                    format!("cannot read {}: {e}", f.path.display()),
                )
            })?;
            if n == 0 {
                break;
            }
            let mut chunk = &buf[..n];
            while !chunk.is_empty() {
                match file.write(chunk) {
                    Ok(0) => {
                        return Err(Failure::new(
                            Reason::Ssh,
                            format!("{label}: write to {tmp} stalled"),
                        ))
                    }
                    Ok(k) => {
                        chunk = &chunk[k..];
                        written += k as u64;
                        progress(k as u64);
                    }
                    Err(e) => {
                        if let Some(avail) = file.available() {
                            if avail < f.size.saturating_sub(written).max(1) {
                                return Err(disk_full(&label, &self.dir, avail, f.size));
                            }
                        }
                        return Err(sftp_failure(&format!("{label}: write to {tmp} failed"), &e));
                    }
                }
            }
        }
        file.set_mode_and_times(f.mode, f.atime, f.mtime)
            .map_err(|e| {
                sftp_failure(&format!("{label}: cannot set mode and time of {tmp}"), &e)
            })?;
        file.close()
            .map_err(|e| sftp_failure(&format!("{label}: cannot close {tmp}"), &e))?;
        Ok(())
    }

    fn send_scp(
        &self,
        f: &LocalFile,
        tmp: &str,
        local: &mut std::fs::File,
        progress: &mut impl FnMut(u64),
    ) -> std::result::Result<(), Failure> {
        let label = self.sess.label();
        let mut ch = self
            .sess
            .raw()
            .scp_send(
                Path::new(tmp),
                f.mode as i32,
                f.size,
                Some((f.mtime, f.atime)),
            )
            .map_err(|e| {
                let msg = format!("{label}: scp to {tmp} failed: {}", e.message());
                Failure::new(fanout::classify(&msg), msg)
            })?;
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = local.read(&mut buf).map_err(|e| {
                Failure::new(
                    Reason::Ssh,
                    format!("cannot read {}: {e}", f.path.display()),
                )
            })?;
            if n == 0 {
                break;
            }
            std::io::Write::write_all(&mut ch, &buf[..n]).map_err(|e| {
                let msg = format!("{label}: scp to {tmp} failed: {e}");
                Failure::new(fanout::classify(&msg), msg)
            })?;
            progress(n as u64);
        }
        // The sender's "ok" after the data: without it `scp -t` exits on
        // the lost connection before setting the times.
        std::io::Write::write_all(&mut ch, &[0]).map_err(|e| {
            let msg = format!("{label}: scp to {tmp} failed: {e}");
            Failure::new(fanout::classify(&msg), msg)
        })?;
        let done = ch
            .send_eof()
            .and_then(|_| ch.wait_eof())
            .and_then(|_| ch.close())
            .and_then(|_| ch.wait_close());
        let code = ch.exit_status().unwrap_or(0);
        if done.is_err() || code != 0 {
            let msg = format!(
                "{label}: scp to {tmp} failed{}",
                done.err()
                    .map(|e| format!(": {}", e.message()))
                    .unwrap_or_default()
            );
            // Say why when the shell can tell (scp reports text we cannot read here).
            let df = self
                .sess
                .exec(&format!("df -Pk {}", quote_word(&self.dir)), None)
                .ok();
            if let Some(avail) = df.and_then(|o| df_available(&o.stdout_text())) {
                if avail < f.size {
                    return Err(disk_full(&label, &self.dir, avail, f.size));
                }
            }
            return Err(Failure::new(fanout::classify(&msg), msg));
        }
        Ok(())
    }

    /// Best-effort removal of a temporary file.
    fn remove(&self, tmp: &str) {
        self.sess.set_timeout(self.timeout);
        match &self.sftp {
            Some(s) => {
                let _ = s.unlink(tmp);
            }
            None => {
                let _ = self
                    .sess
                    .exec(&format!("rm -f -- {}", quote_word(tmp)), None);
            }
        }
    }
}

fn disk_full(label: &str, dir: &str, avail: u64, need: u64) -> Failure {
    Failure::new(
        Reason::DiskFull,
        format!(
            "{label}: not enough space in {dir}: {} free, {} needed",
            human(avail),
            human(need)
        ),
    )
}

fn human(b: u64) -> String {
    const K: f64 = 1024.0;
    let f = b as f64;
    if f >= K * K * K {
        format!("{:.1} GiB", f / K / K / K)
    } else if f >= K * K {
        format!("{:.1} MiB", f / K / K)
    } else if f >= K {
        format!("{:.1} KiB", f / K)
    } else {
        format!("{b} B")
    }
}

/// Available bytes from `df -Pk` output.
fn df_available(text: &str) -> Option<u64> {
    let line = text.lines().rfind(|l| !l.trim().is_empty())?;
    let kb: u64 = line.split_whitespace().nth(3)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
#[path = "scp_tests.rs"]
mod tests;
