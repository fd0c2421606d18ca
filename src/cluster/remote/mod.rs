//! Clusters on SSH hosts (`mesos cluster up -f cluster.toml` and the
//! commands that follow it).
//!
//! `up` connects to every host at once (host keys checked, see [`super::ssh`]),
//! checks OS and architecture, uploads the running `mesos` binary to
//! `<work_dir>/bin/mesos` unless its SHA-256 already matches, then starts
//! ZooKeeper (managed: `zoo.cfg` with `server.N` lines and `myid`), the
//! masters, the agents and `mesos marathon` (`[marathon]`) in that order.
//! On the hosts the binary itself does the process work (`mesos cluster host`, a hidden subcommand reading JSON
//! on stdin): it starts daemons detached exactly as a local `up` does and
//! records each in `<work_dir>/<daemon>/daemon.json`, reports liveness and
//! log tails, and stops daemons and their tasks like a local `down`.
//! Readiness is checked from here over HTTP ([`super::ready`]).
//!
//! A failing host is reported with its stderr or log tail; the others keep
//! going, everything started is recorded in the local `cluster.json`, and
//! the command exits 3.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::local::{self, DownOutcome, StatusReport, UpOutcome};
use super::progress::Progress;
use super::ready::{self, Check};
use super::spec::{HostSpec, Spec, ZkSpec};
use super::ssh::{self, sh_quote, Session};
use super::state::{ClusterState, DaemonRecord, Mode, Role, SshTarget, STATE_VERSION};
use super::HostsError;
use super::{cluster_dir, now_secs, quorum, secure, zk};
use crate::error::{ErrorKind, Result};
use crate::output::TableRow;

/// Settings shared by the SSH commands.
#[derive(Clone, Debug)]
pub struct Options {
    pub accept_new_host_keys: bool,
    /// Readiness timeout (`up`, `wait`).
    pub timeout: Duration,
}

/// TCP connect and SSH handshake.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Any single blocking SSH operation once connected (uploads, stops).
const OP_TIMEOUT: Duration = Duration::from_secs(120);
/// How often liveness is polled over SSH while waiting.
const LIVENESS_EVERY: Duration = Duration::from_millis(300);
/// Least free disk at the work dir that `doctor` accepts.
const MIN_FREE_DISK_MB: u64 = 1024;
/// Largest clock difference `doctor` accepts.
const MAX_CLOCK_SKEW: Duration = Duration::from_secs(2);
/// Least `ulimit -n` that `doctor` accepts.
const MIN_NOFILE: u64 = 1024;

// ---------------------------------------------------------------------------
// The controller side.

/// One SSH host as the controller sees it.
pub(super) struct Host {
    /// As named in the file (or recorded).
    pub(super) name: String,
    pub(super) ip: String,
    pub(super) target: SshTarget,
    pub(super) sess: Option<Session>,
    /// Absolute work dir on the host (`~` resolved).
    pub(super) work_dir: String,
    /// `<work_dir>/bin/mesos`.
    pub(super) bin: String,
    /// Why this host failed (first failure wins).
    pub(super) error: Option<String>,
}

impl Host {
    pub(super) fn new(name: &str, ip: &str, target: SshTarget) -> Host {
        Host {
            name: name.to_string(),
            ip: ip.to_string(),
            target,
            sess: None,
            work_dir: String::new(),
            bin: String::new(),
            error: None,
        }
    }

    pub(super) fn fail(&mut self, msg: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(msg.into());
        }
    }

    pub(super) fn ok(&self) -> bool {
        self.error.is_none() && self.sess.is_some()
    }

    pub(super) fn sess(&self) -> Result<&Session> {
        self.sess
            .as_ref()
            .ok_or_else(|| HostsError::NotConnected(self.name.clone()).into())
    }

    /// Run a request through the uploaded binary.
    pub(super) fn helper<T: for<'de> Deserialize<'de>>(&self, op: &HostOp) -> Result<T> {
        let s = self.sess()?;
        let input = serde_json::to_vec(op).map_err(HostsError::EncodeRequest)?;
        let out = s.exec(
            &format!("{} cluster host", sh_quote(&self.bin)),
            Some(&input),
        )?;
        if out.code != 0 {
            return Err(HostsError::HelperExited {
                host: self.name.clone(),
                code: out.code,
                output: out.tail(5),
            }
            .into());
        }
        serde_json::from_slice(&out.stdout).map_err(|cause| {
            HostsError::HelperAnswer {
                host: self.name.clone(),
                cause,
                excerpt: crate::error::excerpt(&out.stdout, 200),
            }
            .into()
        })
    }
}

/// Connect to every host at once; resolve `~` in `work_dir` on each.
pub(super) fn connect_all(
    hosts: &mut [Host],
    work_dir: &str,
    opts: &Options,
    progress: &Progress,
    check_arch: bool,
) {
    std::thread::scope(|scope| {
        for h in hosts.iter_mut() {
            scope.spawn(move || {
                progress.set(&h.name, "connecting");
                let res = (|| -> Result<()> {
                    let s =
                        Session::connect(&h.target, opts.accept_new_host_keys, CONNECT_TIMEOUT)?;
                    let out = s.exec("printf '%s\\n' \"$HOME\"; uname -s; uname -m", None)?;
                    let text = out.stdout_text();
                    let mut l = text.lines();
                    let home = l.next().unwrap_or("").trim().to_string();
                    let os = l.next().unwrap_or("").trim().to_string();
                    let arch = l.next().unwrap_or("").trim().to_string();
                    if check_arch {
                        check_platform(&os, &arch).map_err(|why| HostsError::Platform {
                            host: h.name.clone(),
                            why,
                        })?;
                    }
                    h.work_dir = expand_home(work_dir, &home);
                    h.bin = format!("{}/bin/mesos", h.work_dir);
                    s.set_timeout(OP_TIMEOUT);
                    h.sess = Some(s);
                    Ok(())
                })();
                match res {
                    Ok(()) => progress.set(&h.name, "connected"),
                    Err(e) => {
                        progress.fail(&h.name, &e.message);
                        h.fail(e.message);
                    }
                }
            });
        }
    });
}

pub(super) fn expand_home(dir: &str, home: &str) -> String {
    if dir == "~" {
        home.to_string()
    } else if let Some(rest) = dir.strip_prefix("~/") {
        format!("{}/{rest}", home.trim_end_matches('/'))
    } else {
        dir.to_string()
    }
}

pub(super) fn normalize_arch(a: &str) -> &str {
    match a {
        "amd64" | "x86_64" => "x86_64",
        "arm64" | "aarch64" => "aarch64",
        other => other,
    }
}

/// The host must run this very binary: same OS and architecture.
pub(super) fn check_platform(os: &str, arch: &str) -> std::result::Result<(), String> {
    let (my_os, my_arch) = (std::env::consts::OS, std::env::consts::ARCH);
    if !os.eq_ignore_ascii_case(my_os) || normalize_arch(arch) != normalize_arch(my_arch) {
        return Err(format!(
            "host is {os} {arch}, but this mesos binary is built for {my_os} {my_arch}"
        ));
    }
    Ok(())
}

/// SHA-256 of a local file, hex.
pub(super) fn read_error(path: &Path, source: std::io::Error) -> HostsError {
    HostsError::ReadFile {
        path: path.to_path_buf(),
        source,
    }
}

pub fn sha256_file(path: &Path) -> Result<String> {
    let mut f = std::fs::File::open(path).map_err(|e| read_error(path, e))?;
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).map_err(|e| read_error(path, e))?;
        if n == 0 {
            break;
        }
        ctx.update(&buf[..n]);
    }
    Ok(ctx
        .finish()
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Upload this binary to every connected host unless its checksum matches.
pub(super) fn upload_all(hosts: &mut [Host], progress: &Progress) -> Result<()> {
    let me = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .map_err(HostsError::NoRunningBinary)?;
    let sum = sha256_file(&me)?;
    let size = std::fs::metadata(&me).map(|m| m.len()).unwrap_or(0);
    std::thread::scope(|scope| {
        for h in hosts.iter_mut().filter(|h| h.ok()) {
            let (me, sum) = (&me, &sum);
            scope.spawn(move || {
                let res = (|| -> Result<bool> {
                    let s = h.sess()?;
                    let q = sh_quote(&h.bin);
                    let out = s.exec(&format!("sha256sum {q} 2>/dev/null | cut -d' ' -f1"), None)?;
                    if out.stdout_text().trim() == sum {
                        return Ok(false);
                    }
                    progress.set(&h.name, &format!("uploading mesos ({} MiB)", size / (1 << 20)));
                    let f = std::fs::File::open(me)
                        .map_err(|e| read_error(me, e))?;
                    let dir = sh_quote(&format!("{}/bin", h.work_dir));
                    let cmd = format!(
                        "set -e; mkdir -p {dir}; t={q}.tmp.$$; cat > \"$t\"; chmod 755 \"$t\"; mv -f \"$t\" {q}; sha256sum {q} | cut -d' ' -f1"
                    );
                    let out = s.exec_reader(&cmd, Some(Box::new(std::io::BufReader::new(f))))?;
                    if out.code != 0 {
                        return Err(HostsError::UploadFailed {
                            bin: h.bin.clone(),
                            output: out.tail(3),
                        }
                        .into());
                    }
                    if out.stdout_text().trim() != sum {
                        return Err(HostsError::UploadCorrupted { bin: h.bin.clone() }.into());
                    }
                    Ok(true)
                })();
                match res {
                    Ok(true) => progress.set(&h.name, "binary uploaded"),
                    Ok(false) => progress.set(&h.name, "binary up to date"),
                    Err(e) => {
                        progress.fail(&h.name, &e.message);
                        h.fail(e.message);
                    }
                }
            });
        }
    });
    Ok(())
}

mod doctor;
mod host;
mod lifecycle;
mod plan;

#[allow(unused_imports)]
use self::{doctor::*, host::*, lifecycle::*, plan::*};
pub use doctor::*;
pub use host::*;
pub use lifecycle::*;

#[cfg(test)]
mod tests;
