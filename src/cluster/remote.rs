//! Clusters on SSH hosts (`mesos cluster up -f cluster.toml` and the
//! commands that follow it).
//!
//! `up` connects to every host at once (host keys checked, see [`super::ssh`]),
//! checks OS and architecture, uploads the running `mesos` binary to
//! `<work_dir>/bin/mesos` unless its SHA-256 already matches, then starts
//! ZooKeeper (managed: `zoo.cfg` with `server.N` lines and `myid`), the
//! masters and the agents in that order. On the hosts the binary itself does
//! the process work (`mesos cluster host`, a hidden subcommand reading JSON
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
// The host side: `mesos cluster host` (hidden), JSON in, JSON out.

/// One request to `mesos cluster host`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum HostOp {
    /// Write files, start daemons detached, record each in `daemon.json`.
    Start { daemons: Vec<StartItem> },
    /// Liveness of recorded daemons, with log tails of dead ones.
    Status {
        daemons: Vec<DaemonRecord>,
        tail: usize,
    },
    /// Stop these daemons and those recorded under `work_dir`, tasks first.
    Stop {
        work_dir: String,
        /// Only records of this host are taken from `work_dir` (hosts may
        /// share a filesystem).
        host: String,
        daemons: Vec<DaemonRecord>,
        grace_ms: u64,
        purge: bool,
    },
}

/// A daemon to start on a host.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StartItem {
    pub rec: DaemonRecord,
    /// Program to run; `None` = this `mesos` binary.
    #[serde(default)]
    pub program: Option<String>,
    /// Files to write first: (path, content).
    #[serde(default)]
    pub files: Vec<(String, String)>,
}

/// Outcome of starting one daemon.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Started {
    pub rec: DaemonRecord,
    pub error: Option<String>,
}

/// Liveness of one daemon.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HostStatus {
    pub name: String,
    pub alive: bool,
    #[serde(default)]
    pub tail: Vec<String>,
}

/// File name of a daemon's record on its host.
pub const DAEMON_FILE: &str = "daemon.json";

/// `<root>/<daemon>` from a record (`<root>/<daemon>/work` or `.../data`).
fn daemon_dir(rec: &DaemonRecord) -> PathBuf {
    Path::new(&rec.work_dir)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(&rec.work_dir))
}

/// Run one host request (the body of `mesos cluster host`).
pub fn host_main(input: &str) -> Result<String> {
    let op: HostOp = serde_json::from_str(input).map_err(HostsError::BadHostRequest)?;
    match op {
        HostOp::Start { daemons } => {
            let me = std::env::current_exe().map_err(HostsError::NoOwnBinary)?;
            let mut out = Vec::new();
            for mut item in daemons {
                let res = (|| -> Result<()> {
                    for (path, content) in &item.files {
                        crate::fsutil::write_atomic(Path::new(path), content.as_bytes()).map_err(
                            |source| HostsError::WriteFile {
                                path: path.clone(),
                                source,
                            },
                        )?;
                    }
                    let program = item
                        .program
                        .as_ref()
                        .map(PathBuf::from)
                        .unwrap_or_else(|| me.clone());
                    local::start_detached(&program, &mut item.rec)?;
                    let text = serde_json::to_string_pretty(&item.rec).unwrap_or_default();
                    let f = daemon_dir(&item.rec).join(DAEMON_FILE);
                    crate::fsutil::write_atomic(&f, text.as_bytes()).map_err(|source| {
                        HostsError::WriteFile {
                            path: f.display().to_string(),
                            source,
                        }
                    })?;
                    Ok(())
                })();
                out.push(Started {
                    error: res.err().map(|e| e.message),
                    rec: item.rec,
                });
            }
            Ok(to_json(&out))
        }
        HostOp::Status { daemons, tail } => {
            let out: Vec<HostStatus> = daemons
                .iter()
                .map(|d| {
                    let alive = local::alive(d);
                    HostStatus {
                        name: d.name.clone(),
                        alive,
                        tail: if alive {
                            Vec::new()
                        } else {
                            local::log_tail(d, tail)
                        },
                    }
                })
                .collect();
            Ok(to_json(&out))
        }
        HostOp::Stop {
            work_dir,
            host,
            mut daemons,
            grace_ms,
            purge,
        } => {
            // Also whatever `up` recorded on this host (e.g. after the local
            // state was lost).
            if let Ok(rd) = std::fs::read_dir(&work_dir) {
                for e in rd.flatten() {
                    let f = e.path().join(DAEMON_FILE);
                    if let Ok(text) = std::fs::read_to_string(&f) {
                        if let Ok(rec) = serde_json::from_str::<DaemonRecord>(&text) {
                            if rec.host == host && !daemons.iter().any(|d| d.name == rec.name) {
                                daemons.push(rec);
                            }
                        }
                    }
                }
            }
            daemons.sort_by_key(|d| d.role);
            let quiet = Progress::new(true);
            let mut out = local::stop_daemons(&daemons, Duration::from_millis(grace_ms), &quiet);
            for d in &daemons {
                let dir = daemon_dir(d);
                if purge {
                    let _ = std::fs::remove_dir_all(&dir);
                } else {
                    let _ = std::fs::remove_file(dir.join(DAEMON_FILE));
                }
            }
            if purge {
                let _ = std::fs::remove_dir_all(Path::new(&work_dir).join("bin"));
                let _ = std::fs::remove_dir_all(Path::new(&work_dir).join(secure::SECURE_DIR));
                let _ = std::fs::remove_dir(&work_dir);
                out.purged = true;
            }
            Ok(to_json(&out))
        }
    }
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

// ---------------------------------------------------------------------------
// The controller side.

/// One SSH host as the controller sees it.
struct Host {
    /// As named in the file (or recorded).
    name: String,
    ip: String,
    target: SshTarget,
    sess: Option<Session>,
    /// Absolute work dir on the host (`~` resolved).
    work_dir: String,
    /// `<work_dir>/bin/mesos`.
    bin: String,
    /// Why this host failed (first failure wins).
    error: Option<String>,
}

impl Host {
    fn new(name: &str, ip: &str, target: SshTarget) -> Host {
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

    fn fail(&mut self, msg: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(msg.into());
        }
    }

    fn ok(&self) -> bool {
        self.error.is_none() && self.sess.is_some()
    }

    fn sess(&self) -> Result<&Session> {
        self.sess
            .as_ref()
            .ok_or_else(|| HostsError::NotConnected(self.name.clone()).into())
    }

    /// Run a request through the uploaded binary.
    fn helper<T: for<'de> Deserialize<'de>>(&self, op: &HostOp) -> Result<T> {
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
fn connect_all(
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

fn expand_home(dir: &str, home: &str) -> String {
    if dir == "~" {
        home.to_string()
    } else if let Some(rest) = dir.strip_prefix("~/") {
        format!("{}/{rest}", home.trim_end_matches('/'))
    } else {
        dir.to_string()
    }
}

fn normalize_arch(a: &str) -> &str {
    match a {
        "amd64" | "x86_64" => "x86_64",
        "arm64" | "aarch64" => "aarch64",
        other => other,
    }
}

/// The host must run this very binary: same OS and architecture.
fn check_platform(os: &str, arch: &str) -> std::result::Result<(), String> {
    let (my_os, my_arch) = (std::env::consts::OS, std::env::consts::ARCH);
    if !os.eq_ignore_ascii_case(my_os) || normalize_arch(arch) != normalize_arch(my_arch) {
        return Err(format!(
            "host is {os} {arch}, but this mesos binary is built for {my_os} {my_arch}"
        ));
    }
    Ok(())
}

/// SHA-256 of a local file, hex.
fn read_error(path: &Path, source: std::io::Error) -> HostsError {
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
fn upload_all(hosts: &mut [Host], progress: &Progress) -> Result<()> {
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

/// A daemon to start, with the host it goes to.
struct PlannedRemote {
    host: String,
    item: StartItem,
}

fn record(h: &Host, name: &str, role: Role, port: u16, log_name: &str) -> DaemonRecord {
    let d = format!("{}/{name}", h.work_dir);
    DaemonRecord {
        name: name.to_string(),
        role,
        host: h.name.clone(),
        ip: h.ip.clone(),
        port,
        pid: 0,
        start_ticks: None,
        started_at: 0,
        work_dir: format!(
            "{d}/{}",
            if role == Role::Zookeeper {
                "data"
            } else {
                "work"
            }
        ),
        log_dir: format!("{d}/logs"),
        log_file: format!("{d}/logs/{log_name}"),
        console_log: format!("{d}/logs/console.log"),
        args: Vec::new(),
        ssh: Some(h.target.clone()),
        tls: false,
        env: Vec::new(),
    }
}

/// Build the daemons of a spec (ZooKeeper first, then masters, then agents).
fn plan(spec: &Spec, hosts: &BTreeMap<String, &Host>, secure: bool) -> Result<Vec<PlannedRemote>> {
    let mut out = Vec::new();
    // TLS environment, flags: paths on the host (`up --secure`).
    let secure_on = |h: &Host, rec: &mut DaemonRecord| -> Option<String> {
        if !secure {
            return None;
        }
        let dir = format!("{}/{}", h.work_dir, secure::SECURE_DIR);
        rec.tls = true;
        rec.env = secure::tls_env(&dir, &h.name);
        Some(dir)
    };
    let zk_url = spec.zk_url();
    if let ZkSpec::Managed {
        hosts: zh,
        client_port,
        peer_port,
        election_port,
    } = &spec.zookeeper
    {
        let members: Vec<zk::Member> = zh
            .iter()
            .enumerate()
            .map(|(i, h)| zk::Member {
                id: i as u32 + 1,
                host: spec.hosts[h].ip.clone(),
                peer_port: *peer_port,
                election_port: *election_port,
            })
            .collect();
        for (i, hname) in zh.iter().enumerate() {
            let h = hosts[hname];
            let name = format!("zookeeper-{}", i + 1);
            let mut rec = record(h, &name, Role::Zookeeper, *client_port, "console.log");
            let dir = format!("{}/{name}", h.work_dir);
            let cfg = format!("{dir}/zoo.cfg");
            // java and the classpath are filled in per host before starting.
            rec.args = zk::jvm_args("@CLASSPATH@", &cfg);
            out.push(PlannedRemote {
                host: hname.clone(),
                item: StartItem {
                    rec: rec.clone(),
                    program: Some("@JAVA@".into()),
                    files: vec![
                        (
                            cfg,
                            zk::zoo_cfg(&rec.work_dir, &h.ip, *client_port, &members),
                        ),
                        (format!("{}/myid", rec.work_dir), format!("{}\n", i + 1)),
                    ],
                },
            });
        }
    }
    let q = zk_url.as_ref().map(|_| quorum(spec.masters.len() as u32));
    for (i, hname) in spec.masters.iter().enumerate() {
        let h = hosts[hname];
        let mut rec = record(
            h,
            &format!("master-{}", i + 1),
            Role::Master,
            spec.master_port,
            "mesos-master.log",
        );
        let mut a = vec![
            "master".to_string(),
            format!("--ip={}", h.ip),
            format!("--port={}", spec.master_port),
            format!("--hostname={}", h.name),
            format!("--work_dir={}", rec.work_dir),
            format!("--log_dir={}", rec.log_dir),
            format!("--cluster={}", spec.name),
        ];
        match (&zk_url, q) {
            (Some(z), Some(q)) => {
                a.push(format!("--zk={z}"));
                a.push(format!("--quorum={q}"));
                a.push("--registry=replicated_log".into());
            }
            _ => a.push("--registry=in_memory".into()),
        }
        if let Some(dir) = secure_on(h, &mut rec) {
            a.extend(secure::master_flags(&dir));
        }
        a.extend(spec.master_flags.iter().cloned());
        rec.args = a;
        out.push(PlannedRemote {
            host: hname.clone(),
            item: StartItem {
                rec,
                program: None,
                files: Vec::new(),
            },
        });
    }
    let master = master_spec(spec);
    for (i, hname) in spec.agents.iter().enumerate() {
        let h = hosts[hname];
        let mut rec = record(
            h,
            &format!("agent-{}", i + 1),
            Role::Agent,
            spec.agent_port,
            "mesos-agent.log",
        );
        let mut a = vec![
            "agent".to_string(),
            format!("--master={master}"),
            format!("--ip={}", h.ip),
            format!("--port={}", spec.agent_port),
            format!("--hostname={}", h.name),
            format!("--work_dir={}", rec.work_dir),
            format!("--log_dir={}", rec.log_dir),
            "--quiet".to_string(),
        ];
        if let Some(r) = &spec.agent_resources {
            a.push(format!("--resources={r}"));
        }
        if let Some(at) = &spec.agent_attributes {
            a.push(format!("--attributes={at}"));
        }
        if let Some(dir) = secure_on(h, &mut rec) {
            a.extend(secure::agent_flags(&dir));
        }
        a.extend(spec.agent_flags.iter().cloned());
        rec.args = a;
        out.push(PlannedRemote {
            host: hname.clone(),
            item: StartItem {
                rec,
                program: None,
                files: Vec::new(),
            },
        });
    }
    Ok(out)
}

/// What agents and the profile use: the zk URL, else `ip:port` of the master.
fn master_spec(spec: &Spec) -> String {
    match spec.zk_url() {
        Some(z) => z,
        None => format!("{}:{}", spec.hosts[&spec.masters[0]].ip, spec.master_port),
    }
}

/// Find java and the ZooKeeper classpath on a host.
fn remote_zk_install(h: &Host) -> Result<(String, String)> {
    let out = h.sess()?.exec(zk::REMOTE_FIND_SCRIPT, None)?;
    if out.code != 0 {
        return Err(HostsError::NoZk {
            host: h.name.clone(),
            output: out.tail(2),
        }
        .into());
    }
    let text = out.stdout_text();
    let (java, cp) = text
        .trim()
        .split_once('\t')
        .ok_or_else(|| HostsError::NoJavaZk {
            host: h.name.clone(),
        })?;
    Ok((java.to_string(), cp.to_string()))
}

/// Start one tier (all its daemons, hosts in parallel). Returns the started
/// records; failures are recorded on their hosts.
fn start_tier(
    hosts: &mut [Host],
    tier: &[PlannedRemote],
    progress: &Progress,
) -> Vec<DaemonRecord> {
    let started = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for h in hosts.iter_mut().filter(|h| h.ok()) {
            let mine: Vec<StartItem> = tier
                .iter()
                .filter(|p| p.host == h.name)
                .map(|p| p.item.clone())
                .collect();
            if mine.is_empty() {
                continue;
            }
            let started = &started;
            scope.spawn(move || {
                let names: Vec<String> = mine.iter().map(|i| i.rec.name.clone()).collect();
                progress.set(&h.name, &format!("starting {}", names.join(", ")));
                let res = (|| -> Result<Vec<Started>> {
                    let mut items = mine;
                    if items.iter().any(|i| i.program.as_deref() == Some("@JAVA@")) {
                        let (java, cp) = remote_zk_install(h)?;
                        for i in items
                            .iter_mut()
                            .filter(|i| i.program.as_deref() == Some("@JAVA@"))
                        {
                            i.program = Some(java.clone());
                            for a in i.rec.args.iter_mut() {
                                if a == "@CLASSPATH@" {
                                    *a = cp.clone();
                                }
                            }
                        }
                    }
                    h.helper(&HostOp::Start { daemons: items })
                })();
                match res {
                    Ok(list) => {
                        let mut errors = Vec::new();
                        for s in list {
                            match s.error {
                                None => started.lock().unwrap().push(s.rec),
                                Some(e) => errors.push(format!("{}: {e}", s.rec.name)),
                            }
                        }
                        if errors.is_empty() {
                            progress.set(&h.name, &format!("started {}", names.join(", ")));
                        } else {
                            let msg = errors.join("; ");
                            progress.fail(&h.name, &msg);
                            h.fail(msg);
                        }
                    }
                    Err(e) => {
                        progress.fail(&h.name, &e.message);
                        h.fail(e.message);
                    }
                }
            });
        }
    });
    started.into_inner().unwrap()
}

/// Liveness of `daemons` over SSH (hosts in parallel). Unreachable hosts
/// count as dead, with the reason as the tail.
fn liveness(hosts: &[Host], daemons: &[DaemonRecord], tail: usize) -> BTreeMap<String, HostStatus> {
    let out = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for h in hosts {
            let mine: Vec<DaemonRecord> = daemons
                .iter()
                .filter(|d| d.host == h.name)
                .cloned()
                .collect();
            if mine.is_empty() {
                continue;
            }
            let out = &out;
            scope.spawn(move || {
                let res: Result<Vec<HostStatus>> = if h.sess.is_some() {
                    h.helper(&HostOp::Status {
                        daemons: mine.clone(),
                        tail,
                    })
                } else {
                    Err(HostsError::HostUnusable(
                        h.error.clone().unwrap_or_else(|| "not connected".into()),
                    )
                    .into())
                };
                let mut o = out.lock().unwrap();
                match res {
                    Ok(list) => {
                        for s in list {
                            o.insert(s.name.clone(), s);
                        }
                    }
                    Err(e) => {
                        for d in mine {
                            o.insert(
                                d.name.clone(),
                                HostStatus {
                                    name: d.name,
                                    alive: false,
                                    tail: vec![format!(
                                        "host {} unreachable: {}",
                                        h.name, e.message
                                    )],
                                },
                            );
                        }
                    }
                }
            });
        }
    });
    out.into_inner().unwrap()
}

/// Hosts of a recorded cluster, from the daemons' SSH targets.
fn hosts_of_state(state: &ClusterState) -> Vec<Host> {
    let mut out: Vec<Host> = Vec::new();
    for d in &state.daemons {
        if out.iter().any(|h| h.name == d.host) {
            continue;
        }
        let Some(t) = &d.ssh else { continue };
        let mut h = Host::new(&d.host, &d.ip, t.clone());
        // `<work_dir>/<daemon>/work` → `<work_dir>`.
        h.work_dir = daemon_dir(d)
            .parent()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        h.bin = format!("{}/bin/mesos", h.work_dir);
        out.push(h);
    }
    out
}

/// Connect to already known hosts (work dirs known).
fn reconnect(hosts: &mut [Host], opts: &Options, progress: &Progress) {
    std::thread::scope(|scope| {
        for h in hosts.iter_mut() {
            scope.spawn(move || {
                match Session::connect(&h.target, opts.accept_new_host_keys, CONNECT_TIMEOUT) {
                    Ok(s) => {
                        s.set_timeout(OP_TIMEOUT);
                        h.sess = Some(s);
                    }
                    Err(e) => {
                        progress.fail(&h.name, &e.message);
                        h.fail(e.message);
                    }
                }
            });
        }
    });
}

fn dead_error(d: &DaemonRecord, st: &HostStatus, progress: &Progress, starting: bool) -> String {
    progress.line(&format!(
        "{} on {} {}; last lines of {}:",
        d.name,
        d.host,
        if starting {
            "exited during startup"
        } else {
            "is not running"
        },
        d.log_file
    ));
    for l in &st.tail {
        progress.line(&format!("  | {l}"));
    }
    let why = local::last_error(&st.tail)
        .or_else(|| st.tail.last().cloned())
        .map(|l| format!(": {l}"))
        .unwrap_or_default();
    format!(
        "{} {}{why}",
        d.name,
        if starting {
            "exited during startup"
        } else {
            "is not running"
        }
    )
}

/// Wait until `live` (the daemons not known to have failed) is ready. Dead
/// daemons are moved to `failed` as they are found; returns when ready,
/// when no master is left, or at the deadline.
/// What every wait needs.
struct Waiter {
    rt: tokio::runtime::Runtime,
    client: reqwest::Client,
    deadline: Instant,
    timeout: Duration,
}

impl Waiter {
    fn new(timeout: Duration, secure: Option<&secure::Security>) -> Result<Waiter> {
        Ok(Waiter {
            rt: local::runtime()?,
            client: ready::probe_client_for(secure, Duration::from_secs(2))?,
            deadline: Instant::now() + timeout,
            timeout,
        })
    }
}

fn wait_remote(
    w: &Waiter,
    base: &ClusterState,
    hosts: &mut [Host],
    live: &mut Vec<DaemonRecord>,
    failed: &mut Vec<String>,
    progress: &Progress,
    gate: Option<Role>,
) -> Result<Check> {
    let (rt, client, deadline) = (&w.rt, &w.client, w.deadline);
    let mut last_liveness = Instant::now() - LIVENESS_EVERY;
    loop {
        if last_liveness.elapsed() >= LIVENESS_EVERY {
            last_liveness = Instant::now();
            let st = liveness(hosts, live, local::TAIL_LINES);
            let mut dead = Vec::new();
            for d in live.iter() {
                if let Some(s) = st.get(&d.name) {
                    if !s.alive {
                        let msg = dead_error(d, s, progress, true);
                        if let Some(h) = hosts.iter_mut().find(|h| h.name == d.host) {
                            h.fail(msg.clone());
                            progress.fail(&h.name, &msg);
                        }
                        failed.push(msg);
                        dead.push(d.name.clone());
                    }
                }
            }
            live.retain(|d| !dead.contains(&d.name));
        }
        let mut view = base.clone();
        view.daemons = live.clone();
        if view.of_role(Role::Master).next().is_none() && gate != Some(Role::Zookeeper) {
            return Err(HostsError::NoMaster.into());
        }
        let check = match gate {
            Some(Role::Zookeeper) => {
                let mut c = Check::default();
                for z in view.of_role(Role::Zookeeper) {
                    if !rt.block_on(ready::zk_ruok(&z.ip, z.port, Duration::from_millis(500))) {
                        c.waiting_for.push(format!("{} to answer ruok", z.name));
                    }
                }
                c
            }
            Some(Role::Master) => {
                let mut c = Check::default();
                for m in view.of_role(Role::Master) {
                    let ok = rt.block_on(async {
                        matches!(client.get(format!("{}/master/health", m.url())).send().await, Ok(r) if r.status().is_success())
                    });
                    if !ok {
                        c.waiting_for.push(format!("{} to answer on HTTP", m.name));
                    }
                }
                c
            }
            _ => rt.block_on(ready::check(&view, client)),
        };
        if check.ready() {
            return Ok(check);
        }
        if Instant::now() >= deadline {
            return Err(HostsError::NotReady {
                name: base.name.clone(),
                after: super::human(w.timeout),
                waiting_for: check.waiting_for.clone(),
            }
            .into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Generate the CA, host certificates and credentials of an SSH cluster:
/// the CA and the operator's secret under `<dir>/secure` here, each host's
/// files in `<work_dir>/secure` there (over SFTP, 0700/0600). A host whose
/// upload fails is failed like any other.
fn secure_hosts(
    spec: &Spec,
    dir: &Path,
    hosts: &mut [Host],
    progress: &Progress,
) -> Result<secure::Security> {
    let names: Vec<secure::HostNames> = hosts
        .iter()
        .map(|h| secure::HostNames::new(&h.name, &h.ip, &[]))
        .collect();
    let m = secure::generate(&spec.name, &names)?;
    secure::private_dir(dir).map_err(|source| HostsError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let here = dir.join(secure::SECURE_DIR);
    secure::write_files(&here, &m.files_for("", secure::HostRoles::default(), true)?)?;
    std::thread::scope(|scope| {
        for h in hosts.iter_mut().filter(|h| h.ok()) {
            let roles = secure::HostRoles {
                master: spec.masters.contains(&h.name),
                agent: spec.agents.contains(&h.name),
            };
            if !roles.master && !roles.agent {
                continue;
            }
            let m = &m;
            scope.spawn(move || {
                let res = m.files_for(&h.name, roles, false).and_then(|files| {
                    let dir = format!("{}/{}", h.work_dir, secure::SECURE_DIR);
                    h.sess()?.write_private_files(&dir, &files)
                });
                match res {
                    Ok(()) => progress.set(&h.name, "certificate and credentials installed"),
                    Err(e) => {
                        progress.fail(&h.name, &e.message);
                        h.fail(e.message);
                    }
                }
            });
        }
    });
    Ok(secure::security_of(&here))
}

/// `mesos cluster up -f FILE` (`secure`: `up --secure -f FILE`).
pub fn up(spec: &Spec, opts: &Options, secure: bool, progress: &Progress) -> Result<UpOutcome> {
    let started = Instant::now();
    let dir = cluster_dir(&spec.name)?;
    let _lock = local::lock(&dir)?;
    if let Some(existing) = ClusterState::load(&dir)? {
        let w = Waiter::new(opts.timeout, existing.secure.as_ref())?;
        if existing.mode != Mode::Ssh {
            return Err(HostsError::RunsLocally {
                name: existing.name.clone(),
                file: spec.path.clone(),
            }
            .into());
        }
        let mut hosts = hosts_of_state(&existing);
        let quiet = Progress::new(true);
        reconnect(&mut hosts, opts, &quiet);
        let st = liveness(&hosts, &existing.daemons, 0);
        let alive: Vec<&DaemonRecord> = existing
            .daemons
            .iter()
            .filter(|d| st.get(&d.name).is_some_and(|s| s.alive))
            .collect();
        if !alive.is_empty() {
            if alive.len() < existing.daemons.len() {
                let dead: Vec<String> = existing
                    .daemons
                    .iter()
                    .filter(|d| !st.get(&d.name).is_some_and(|s| s.alive))
                    .map(|d| d.name.clone())
                    .collect();
                return Err(HostsError::PartlyRunning {
                    name: existing.name.clone(),
                    dead,
                    file: spec.path.clone(),
                }
                .into());
            }
            if secure && existing.secure.is_none() {
                crate::output::warn(format!(
                    "cluster '{}' is already running without --secure; it was not secured (`mesos cluster down -f FILE` first)",
                    existing.name
                ));
            }
            let mut live = existing.daemons.clone();
            let mut failed = Vec::new();
            let check = wait_remote(
                &w,
                &existing,
                &mut hosts,
                &mut live,
                &mut failed,
                &quiet,
                None,
            )?;
            return Ok(UpOutcome {
                leader: check.leader.clone(),
                state: existing,
                already_running: true,
                elapsed: started.elapsed(),
                failed: Vec::new(),
            });
        }
    }

    // Connect, check, upload.
    let mut hosts: Vec<Host> = spec
        .host_order()
        .iter()
        .map(|n| {
            let hs: &HostSpec = &spec.hosts[n];
            Host::new(n, &hs.ip, hs.ssh.clone())
        })
        .collect();
    for h in &hosts {
        progress.add(&h.name, "waiting");
    }
    connect_all(&mut hosts, &spec.work_dir, opts, progress, true);
    upload_all(&mut hosts, progress)?;
    if hosts.iter().all(|h| !h.ok()) {
        let reasons: Vec<String> = hosts.iter().filter_map(|h| h.error.clone()).collect();
        return Err(HostsError::NoHostUsable {
            reasons,
            file: spec.path.clone(),
        }
        .into());
    }

    let security = if secure {
        Some(secure_hosts(spec, &dir, &mut hosts, progress)?)
    } else {
        let _ = std::fs::remove_dir_all(dir.join(secure::SECURE_DIR));
        None
    };
    let w = Waiter::new(opts.timeout, security.as_ref())?;
    let planned = {
        let by_name: BTreeMap<String, &Host> = hosts.iter().map(|h| (h.name.clone(), h)).collect();
        plan(spec, &by_name, secure)?
    };
    let master = match (spec.zk_url(), secure) {
        (None, true) => format!("https://{}", master_spec(spec)),
        _ => master_spec(spec),
    };
    let mut state = ClusterState {
        version: STATE_VERSION,
        name: spec.name.clone(),
        mode: Mode::Ssh,
        created_at: now_secs(),
        dir: dir.clone(),
        binary: "<work_dir>/bin/mesos".into(),
        master: master.clone(),
        master_url: format!(
            "{}://{}:{}",
            if secure { "https" } else { "http" },
            spec.hosts[&spec.masters[0]].ip,
            spec.master_port
        ),
        zk: spec.zk_url(),
        quorum: spec.zk_url().map(|_| quorum(spec.masters.len() as u32)),
        profile: spec.name.clone(),
        spec_file: Some(spec.path.clone()),
        secure: security,
        daemons: Vec::new(),
    };
    let mut failed: Vec<String> = hosts.iter().filter_map(|h| h.error.clone()).collect();
    let mut live: Vec<DaemonRecord> = Vec::new();
    let mut result: Result<Check> = Err(HostsError::NothingStarted.into());
    for role in [Role::Zookeeper, Role::Master, Role::Agent] {
        let tier: Vec<PlannedRemote> = planned
            .iter()
            .filter(|p| p.item.rec.role == role)
            .map(|p| PlannedRemote {
                host: p.host.clone(),
                item: p.item.clone(),
            })
            .collect();
        if tier.is_empty() {
            continue;
        }
        let before: Vec<String> = hosts.iter().filter_map(|h| h.error.clone()).collect();
        let new = start_tier(&mut hosts, &tier, progress);
        for h in &hosts {
            if let Some(e) = &h.error {
                if !before.contains(e) && !failed.contains(e) {
                    failed.push(e.clone());
                }
            }
        }
        state.daemons.extend(new.iter().cloned());
        live.extend(new);
        sort_daemons(&mut state.daemons);
        sort_daemons(&mut live);
        state.save()?;
        let gate = match role {
            Role::Zookeeper => Some(Role::Zookeeper),
            Role::Master if state.zk.is_none() => Some(Role::Master),
            Role::Master => continue,
            Role::Agent => None,
        };
        result = wait_remote(
            &w,
            &state,
            &mut hosts,
            &mut live,
            &mut failed,
            progress,
            gate,
        );
        if result.is_err() {
            break;
        }
    }
    state.save()?;
    match result {
        Ok(check) => {
            for h in hosts.iter().filter(|h| h.ok()) {
                progress.done(&h.name, &format!("ready ({})", daemons_on(&state, &h.name)));
            }
            if let Some(l) = check.leader.as_deref().and_then(|l| state.find(l)) {
                state.master_url = l.url();
            }
            state.save()?;
            super::profile::write_profile(&state)?;
            Ok(UpOutcome {
                leader: check.leader.clone(),
                state,
                already_running: false,
                elapsed: started.elapsed(),
                failed,
            })
        }
        Err(e) => {
            let _ = super::profile::write_profile(&state);
            let mut msg = e.message.clone();
            if !failed.is_empty() {
                msg = format!("{msg} ({})", failed.join("; "));
            }
            Err(HostsError::UpFailed {
                message: msg,
                timed_out: e.kind == ErrorKind::Timeout,
                partly_started: state
                    .daemons
                    .iter()
                    .any(|d| live.iter().any(|l| l.name == d.name)),
                name: state.name.clone(),
                file: spec.path.clone(),
            }
            .into())
        }
    }
}

/// ZooKeeper, masters, agents; each by number (`agent-2` before `agent-10`).
fn sort_daemons(d: &mut [DaemonRecord]) {
    d.sort_by_key(|r| {
        let n: u32 = r
            .name
            .rsplit('-')
            .next()
            .and_then(|x| x.parse().ok())
            .unwrap_or(0);
        (r.role, n)
    });
}

fn daemons_on(state: &ClusterState, host: &str) -> String {
    let names: Vec<&str> = state
        .daemons
        .iter()
        .filter(|d| d.host == host)
        .map(|d| d.name.as_str())
        .collect();
    names.join(", ")
}

/// `mesos cluster status` for an SSH cluster.
pub fn status(state: &ClusterState, opts: &Options) -> Result<StatusReport> {
    let mut hosts = hosts_of_state(state);
    let quiet = Progress::new(true);
    reconnect(&mut hosts, opts, &quiet);
    let st = liveness(&hosts, &state.daemons, 0);
    let alive: Vec<bool> = state
        .daemons
        .iter()
        .map(|d| st.get(&d.name).is_some_and(|s| s.alive))
        .collect();
    let rt = local::runtime()?;
    let client = ready::probe_client_for(state.secure.as_ref(), Duration::from_secs(2))?;
    let check = rt.block_on(ready::check(state, &client));
    let mut r = local::report(state, &alive, &check);
    for h in hosts.iter().filter(|h| h.error.is_some()) {
        r.waiting_for.push(format!(
            "host {} ({})",
            h.name,
            h.error.as_deref().unwrap_or("")
        ));
        r.ready = false;
    }
    Ok(r)
}

/// `mesos cluster wait` for an SSH cluster.
pub fn wait(state: &ClusterState, opts: &Options, progress: &Progress) -> Result<Check> {
    let w = Waiter::new(opts.timeout, state.secure.as_ref())?;
    let mut hosts = hosts_of_state(state);
    reconnect(&mut hosts, opts, progress);
    let mut live = state.daemons.clone();
    let mut failed = Vec::new();
    let r = wait_remote(
        &w,
        state,
        &mut hosts,
        &mut live,
        &mut failed,
        progress,
        None,
    );
    if !failed.is_empty() {
        return Err(HostsError::Failures(failed).into());
    }
    r
}

/// `mesos cluster down` for a recorded SSH cluster.
pub fn down(
    state: &ClusterState,
    _file: Option<&Spec>,
    purge: bool,
    grace: Duration,
    opts: &Options,
    progress: &Progress,
) -> Result<DownOutcome> {
    let dir = cluster_dir(&state.name)?;
    let _lock = local::lock(&dir)?;
    let mut hosts = hosts_of_state(state);
    for h in &hosts {
        progress.add(&h.name, "connecting");
    }
    reconnect(&mut hosts, opts, progress);
    let (out, failed_hosts) = stop_on_hosts(&mut hosts, &state.daemons, purge, grace, progress);
    let mut out = out;
    out.name = state.name.clone();
    if !failed_hosts.is_empty() {
        // Keep what could not be stopped on record.
        let mut left = state.clone();
        left.daemons.retain(|d| failed_hosts.contains(&d.host));
        left.save()?;
        let reasons: Vec<String> = hosts.iter().filter_map(|h| h.error.clone()).collect();
        return Err(HostsError::StopFailed {
            hosts: failed_hosts,
            reasons,
            kept: true,
        }
        .into());
    }
    if purge {
        let _ = std::fs::remove_dir_all(&dir);
        out.purged = true;
        out.profile_removed = super::profile::forget_profile(&state.profile, &state.master)?;
    } else {
        let _ = std::fs::remove_file(ClusterState::path_in(&dir));
    }
    Ok(out)
}

/// `mesos cluster down -f FILE` with no local record: stop whatever `up`
/// recorded on the hosts of the file.
pub fn down_from_spec(
    spec: &Spec,
    purge: bool,
    grace: Duration,
    opts: &Options,
    progress: &Progress,
) -> Result<DownOutcome> {
    let mut hosts: Vec<Host> = spec
        .host_order()
        .iter()
        .map(|n| Host::new(n, &spec.hosts[n].ip, spec.hosts[n].ssh.clone()))
        .collect();
    for h in &hosts {
        progress.add(&h.name, "connecting");
    }
    connect_all(&mut hosts, &spec.work_dir, opts, progress, false);
    let (mut out, failed_hosts) = stop_on_hosts(&mut hosts, &[], purge, grace, progress);
    out.name = spec.name.clone();
    if !failed_hosts.is_empty() {
        let reasons: Vec<String> = hosts.iter().filter_map(|h| h.error.clone()).collect();
        return Err(HostsError::StopFailed {
            hosts: failed_hosts,
            reasons,
            kept: false,
        }
        .into());
    }
    Ok(out)
}

/// Stop daemons on every host in parallel. Returns the merged outcome and
/// the hosts where stopping failed.
fn stop_on_hosts(
    hosts: &mut [Host],
    daemons: &[DaemonRecord],
    purge: bool,
    grace: Duration,
    progress: &Progress,
) -> (DownOutcome, Vec<String>) {
    let merged = Mutex::new(DownOutcome::default());
    let failed = Mutex::new(Vec::new());
    // Per host: the daemon names stopped or found stopped (for purging).
    let names: Mutex<BTreeMap<String, Vec<String>>> = Mutex::new(BTreeMap::new());
    // First stop everything everywhere (hosts may share a filesystem, so
    // nothing is deleted before every host is done).
    std::thread::scope(|scope| {
        for h in hosts.iter_mut() {
            let mine: Vec<DaemonRecord> = daemons
                .iter()
                .filter(|d| d.host == h.name)
                .cloned()
                .collect();
            let (merged, failed, names) = (&merged, &failed, &names);
            scope.spawn(move || {
                if !h.ok() {
                    failed.lock().unwrap().push(h.name.clone());
                    return;
                }
                progress.set(&h.name, "stopping");
                let mut recorded: Vec<String> = mine.iter().map(|d| d.name.clone()).collect();
                let op = HostOp::Stop {
                    work_dir: h.work_dir.clone(),
                    host: h.name.clone(),
                    daemons: mine,
                    grace_ms: grace.as_millis() as u64,
                    purge: false,
                };
                // Nothing deployed there (never started, or purged): nothing to stop.
                let deployed = h
                    .sess()
                    .and_then(|s| s.exec(&format!("test -x {}", sh_quote(&h.bin)), None))
                    .map(|o| o.code == 0)
                    .unwrap_or(false);
                if !deployed {
                    progress.done(&h.name, "nothing deployed");
                    names.lock().unwrap().insert(h.name.clone(), recorded);
                    return;
                }
                match h.helper::<DownOutcome>(&op) {
                    Ok(o) => {
                        progress.done(
                            &h.name,
                            &format!(
                                "stopped {}{}",
                                if o.stopped.is_empty() {
                                    "nothing".to_string()
                                } else {
                                    o.stopped.join(", ")
                                },
                                if o.tasks_killed > 0 {
                                    format!(", {} task(s) killed", o.tasks_killed)
                                } else {
                                    String::new()
                                }
                            ),
                        );
                        for n in o.stopped.iter().chain(&o.already_stopped) {
                            if !recorded.contains(n) {
                                recorded.push(n.clone());
                            }
                        }
                        names.lock().unwrap().insert(h.name.clone(), recorded);
                        let mut m = merged.lock().unwrap();
                        m.stopped.extend(o.stopped);
                        m.killed.extend(o.killed);
                        m.already_stopped.extend(o.already_stopped);
                        m.tasks_killed += o.tasks_killed;
                    }
                    Err(e) => {
                        progress.fail(&h.name, &e.message);
                        h.fail(e.message);
                        failed.lock().unwrap().push(h.name.clone());
                    }
                }
            });
        }
    });
    let failed = failed.into_inner().unwrap();
    let mut merged = merged.into_inner().unwrap();
    if purge && failed.is_empty() {
        let names = names.into_inner().unwrap();
        for h in hosts.iter().filter(|h| h.ok()) {
            let mut cmd = String::new();
            for n in names.get(&h.name).into_iter().flatten() {
                cmd.push_str(&format!(
                    "rm -rf {}; ",
                    sh_quote(&format!("{}/{n}", h.work_dir))
                ));
            }
            cmd.push_str(&format!(
                "rm -rf {} {}; rmdir {} 2>/dev/null; true",
                sh_quote(&format!("{}/bin", h.work_dir)),
                sh_quote(&format!("{}/{}", h.work_dir, secure::SECURE_DIR)),
                sh_quote(&h.work_dir)
            ));
            if let Ok(s) = h.sess() {
                let _ = s.exec(&cmd, None);
            }
        }
        merged.purged = true;
    }
    (merged, failed)
}

/// `mesos cluster logs` for an SSH cluster: `tail` over SSH.
pub fn logs(
    state: &ClusterState,
    daemons: &[DaemonRecord],
    follow: bool,
    lines: Option<usize>,
    accept_new: bool,
) -> Result<()> {
    let prefix = daemons.len() > 1;
    let opts = Options {
        accept_new_host_keys: accept_new,
        timeout: CONNECT_TIMEOUT,
    };
    let _ = state;
    let out = Mutex::new(());
    let errors = Mutex::new(Vec::new());
    let run = |d: &DaemonRecord| -> Result<()> {
        let t = d
            .ssh
            .as_ref()
            .ok_or_else(|| HostsError::NoSshTarget(d.name.clone()))?;
        let s = Session::connect(t, opts.accept_new_host_keys, CONNECT_TIMEOUT)?;
        let f = sh_quote(&d.log_file);
        let n = lines.map(|n| n.to_string()).unwrap_or_else(|| "+1".into());
        let cmd = if follow {
            format!("exec tail -n {n} -F {f} 2>/dev/null")
        } else {
            format!("tail -n {n} {f}")
        };
        let mut partial: Vec<u8> = Vec::new();
        s.exec_stream(&cmd, |chunk| {
            partial.extend_from_slice(chunk);
            if let Some(pos) = partial.iter().rposition(|b| *b == b'\n') {
                let complete: Vec<u8> = partial.drain(..=pos).collect();
                let mut buf = Vec::new();
                for l in complete[..complete.len() - 1].split(|b| *b == b'\n') {
                    if prefix {
                        buf.extend_from_slice(format!("{:<12} | ", d.name).as_bytes());
                    }
                    buf.extend_from_slice(l);
                    buf.push(b'\n');
                }
                let _g = out.lock().unwrap();
                crate::output::write_stdout(&buf)?;
            }
            Ok(())
        })?;
        Ok(())
    };
    if follow {
        std::thread::scope(|scope| {
            for d in daemons {
                let (run, errors) = (&run, &errors);
                scope.spawn(move || {
                    if let Err(e) = run(d) {
                        errors.lock().unwrap().push(e.message);
                    }
                });
            }
        });
    } else {
        for d in daemons {
            if let Err(e) = run(d) {
                errors.lock().unwrap().push(e.message);
            }
        }
    }
    let errors = errors.into_inner().unwrap();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(HostsError::SomeFailed(errors).into())
    }
}

// ---------------------------------------------------------------------------
// doctor

/// One preflight check of one host.
#[derive(Clone, Debug, Serialize)]
pub struct DoctorRow {
    pub host: String,
    pub check: String,
    pub ok: bool,
    pub detail: String,
}

impl TableRow for DoctorRow {
    fn headers() -> Vec<&'static str> {
        vec!["HOST", "CHECK", "OK", "DETAIL"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.host.clone(),
            self.check.clone(),
            if self.ok { "ok".into() } else { "FAIL".into() },
            self.detail.clone(),
        ]
    }
}

/// Ports `up` will need on `host` (with what for).
fn ports_needed(spec: &Spec, host: &str) -> Vec<(u16, String)> {
    let mut v = Vec::new();
    if let ZkSpec::Managed {
        hosts,
        client_port,
        peer_port,
        election_port,
    } = &spec.zookeeper
    {
        if hosts.iter().any(|h| h == host) {
            v.push((*client_port, "zookeeper client".to_string()));
            if hosts.len() > 1 {
                v.push((*peer_port, "zookeeper peer".to_string()));
                v.push((*election_port, "zookeeper election".to_string()));
            }
        }
    }
    if spec.masters.iter().any(|h| h == host) {
        v.push((spec.master_port, "master".to_string()));
    }
    if spec.agents.iter().any(|h| h == host) {
        v.push((spec.agent_port, "agent".to_string()));
    }
    v
}

/// Listening sockets from `/proc/net/tcp{,6}` text: (address hex, port).
pub fn listening(proc_net_tcp: &str) -> Vec<(String, u16)> {
    let mut out = Vec::new();
    for line in proc_net_tcp.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        // sl local_address rem_address st ...
        if f.len() < 4 || f[3] != "0A" {
            continue;
        }
        if let Some((addr, port)) = f[1].split_once(':') {
            if let Ok(p) = u16::from_str_radix(port, 16) {
                out.push((addr.to_string(), p));
            }
        }
    }
    out
}

/// `/proc/net/tcp` hex of an IPv4 address (little-endian).
fn ipv4_hex(ip: &str) -> Option<String> {
    let a: std::net::Ipv4Addr = ip.parse().ok()?;
    let o = a.octets();
    Some(format!("{:02X}{:02X}{:02X}{:02X}", o[3], o[2], o[1], o[0]))
}

/// Is `port` taken for `ip` (bound to it, or to any address)?
fn port_taken(listen: &[(String, u16)], ip: &str, port: u16) -> bool {
    let mine = ipv4_hex(ip).unwrap_or_default();
    listen.iter().any(|(a, p)| {
        *p == port
            && (a == &mine
                || a.chars().all(|c| c == '0')
                // ::ffff:a.b.c.d and :: in tcp6
                || a.ends_with(&format!("FFFF0000{mine}")))
    })
}

/// A port `doctor` found taken is fine when it is the port of a daemon of
/// the recorded cluster `running` (whether that daemon really answers is
/// what the security rows of the same `doctor` check).
pub fn accept_own_ports(rows: &mut [DoctorRow], running: &ClusterState) {
    for r in rows.iter_mut().filter(|r| !r.ok) {
        let Some(port) = r
            .check
            .strip_prefix("port ")
            .and_then(|p| p.parse::<u16>().ok())
        else {
            continue;
        };
        if let Some(d) = running
            .daemons
            .iter()
            .find(|d| d.host == r.host && d.port == port)
        {
            r.ok = true;
            r.detail = format!(
                "in use by {} of the running cluster '{}'",
                d.name, running.name
            );
        }
    }
}

/// `mesos cluster doctor -f FILE`.
pub fn doctor(spec: &Spec, opts: &Options) -> Result<Vec<DoctorRow>> {
    let quiet = Progress::new(true);
    let mut hosts: Vec<Host> = spec
        .host_order()
        .iter()
        .map(|n| Host::new(n, &spec.hosts[n].ip, spec.hosts[n].ssh.clone()))
        .collect();
    connect_all(&mut hosts, &spec.work_dir, opts, &quiet, false);
    let rows = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for h in &hosts {
            let rows = &rows;
            scope.spawn(move || {
                let mut mine = Vec::new();
                let mut row = |check: &str, ok: bool, detail: String| {
                    mine.push(DoctorRow {
                        host: h.name.clone(),
                        check: check.into(),
                        ok,
                        detail,
                    })
                };
                if let Some(e) = &h.error {
                    row("ssh", false, e.clone());
                    rows.lock().unwrap().extend(mine);
                    return;
                }
                row(
                    "ssh",
                    true,
                    format!(
                        "{} (host key known, authenticated)",
                        ssh::host_pattern_name(&h.target.host, h.target.port)
                    ),
                );
                let s = h.sess.as_ref().expect("connected");
                let script = format!(
                    "uname -s; uname -m; \
                     d={wd}; while [ ! -d \"$d\" ]; do d=$(dirname \"$d\"); done; \
                     df -Pk \"$d\" | awk 'NR==2 {{print $4}}'; echo \"$d\"; \
                     ulimit -n; \
                     echo ---; cat /proc/net/tcp /proc/net/tcp6 2>/dev/null",
                    wd = sh_quote(&h.work_dir)
                );
                let out = match s.exec(&script, None) {
                    Ok(o) => o,
                    Err(e) => {
                        row("commands", false, e.message);
                        rows.lock().unwrap().extend(mine);
                        return;
                    }
                };
                let text = out.stdout_text();
                let (head, net) = text.split_once("---\n").unwrap_or((&text, ""));
                let l: Vec<&str> = head.lines().collect();
                let get = |i: usize| l.get(i).map(|s| s.trim()).unwrap_or("");
                let (os, arch) = (get(0), get(1));
                match check_platform(os, arch) {
                    Ok(()) => row("os/arch", true, format!("{os} {arch}")),
                    Err(m) => row("os/arch", false, m),
                }
                match get(2).parse::<u64>() {
                    Ok(kb) => {
                        let mb = kb / 1024;
                        row(
                            "disk",
                            mb >= MIN_FREE_DISK_MB,
                            format!("{mb} MiB free at {} (need {MIN_FREE_DISK_MB} MiB)", get(3)),
                        )
                    }
                    Err(_) => row(
                        "disk",
                        false,
                        format!("cannot read free space at {}", h.work_dir),
                    ),
                }
                let nofile = get(4);
                match nofile.parse::<u64>() {
                    Ok(n) => row(
                        "ulimit -n",
                        n >= MIN_NOFILE,
                        format!("{n} (need {MIN_NOFILE}; 65536 recommended for agents)"),
                    ),
                    Err(_) if nofile == "unlimited" => row("ulimit -n", true, "unlimited".into()),
                    Err(_) => row("ulimit -n", false, format!("cannot read ({nofile})")),
                }
                let listen = listening(net);
                for (port, what) in ports_needed(spec, &h.name) {
                    let taken = port_taken(&listen, &h.ip, port);
                    row(
                        &format!("port {port}"),
                        !taken,
                        if taken {
                            format!("{what} port {port} is already in use on {}", h.ip)
                        } else {
                            format!("{what} port free")
                        },
                    );
                }
                // Clock skew: the remote clock against the middle of the round trip.
                let t0 = std::time::SystemTime::now();
                match s.exec("date +%s.%N", None) {
                    Ok(o) => {
                        let t1 = std::time::SystemTime::now();
                        let rtt = t1.duration_since(t0).unwrap_or_default();
                        let mid = t0 + rtt / 2;
                        let local = mid
                            .duration_since(std::time::UNIX_EPOCH)
                            .unwrap_or_default()
                            .as_secs_f64();
                        match o.stdout_text().trim().parse::<f64>() {
                            Ok(remote) => {
                                let skew = (remote - local).abs();
                                row(
                                    "clock",
                                    skew <= MAX_CLOCK_SKEW.as_secs_f64(),
                                    format!(
                                        "{:+.3}s against this machine (max {}s)",
                                        remote - local,
                                        MAX_CLOCK_SKEW.as_secs()
                                    ),
                                );
                            }
                            Err(_) => row("clock", false, "cannot read the remote clock".into()),
                        }
                    }
                    Err(e) => row("clock", false, e.message),
                }
                if let ZkSpec::Managed { hosts: zh, .. } = &spec.zookeeper {
                    if zh.contains(&h.name) {
                        match remote_zk_install(h) {
                            Ok((java, cp)) => row(
                                "zookeeper",
                                true,
                                format!("java {java}, {}", cp.split(':').next().unwrap_or("")),
                            ),
                            Err(e) => row(
                                "zookeeper",
                                false,
                                format!("{} ({})", e.message, zk::INSTALL_HINT),
                            ),
                        }
                    }
                }
                rows.lock().unwrap().extend(mine);
            });
        }
    });
    let mut rows = rows.into_inner().unwrap();
    let order: Vec<String> = spec.host_order();
    rows.sort_by_key(|r| {
        order
            .iter()
            .position(|h| *h == r.host)
            .unwrap_or(usize::MAX)
    });
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listening_sockets_and_taken_ports() {
        let tcp = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
   0: 0200007F:13BA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n\
   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1\n\
   2: 0200007F:9C40 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 3 1\n";
        let l = listening(tcp);
        assert_eq!(
            l,
            vec![("0200007F".to_string(), 5050), ("00000000".to_string(), 22)]
        );
        assert!(port_taken(&l, "127.0.0.2", 5050));
        assert!(!port_taken(&l, "127.0.0.3", 5050));
        assert!(
            port_taken(&l, "127.0.0.3", 22),
            "0.0.0.0 takes every address"
        );
        assert!(!port_taken(&l, "127.0.0.2", 40000), "not listening");
    }

    #[test]
    fn platforms_and_homes() {
        check_platform(std::env::consts::OS, std::env::consts::ARCH).unwrap();
        assert!(check_platform("Darwin", "arm64").is_err());
        assert_eq!(expand_home("~/m/x", "/home/u/"), "/home/u/m/x");
        assert_eq!(expand_home("/srv/m", "/home/u"), "/srv/m");
    }

    #[test]
    fn host_requests_round_trip() {
        let op = HostOp::Stop {
            work_dir: "/w".into(),
            host: "h".into(),
            daemons: vec![],
            grace_ms: 5000,
            purge: false,
        };
        let text = serde_json::to_string(&op).unwrap();
        assert!(text.contains("\"op\":\"stop\""), "{text}");
        let out = host_main(&text).unwrap();
        let o: DownOutcome = serde_json::from_str(&out).unwrap();
        assert!(o.stopped.is_empty());
        assert_eq!(host_main("{").unwrap_err().exit_code(), 2);
    }

    #[test]
    fn sha256_of_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("x");
        std::fs::write(&f, "abc").unwrap();
        assert_eq!(
            sha256_file(&f).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
