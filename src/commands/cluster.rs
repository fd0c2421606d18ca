//! `mesos cluster`: start, check and stop a real Mesos cluster of the
//! bundled daemons, on this machine or on SSH hosts (`-f cluster.toml`).
//! The work is in [`crate::cluster`]; this module is the command line and
//! the rendering.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::GlobalArgs;
use crate::cluster::local::{self, DownOutcome, StatusReport, UpOptions, UpOutcome};
use crate::cluster::progress::Progress;
use crate::cluster::secure_check::{self, Secured};
use crate::cluster::state::{ClusterState, Mode, Role};
use crate::cluster::{self as cl, remote, spec};
use crate::error::{Error, Result};
use crate::output::{status, write_stdout, Output, OutputFormat, TableRow};

const LONG_ABOUT: &str = "\
Start, check and stop a real Mesos cluster of the bundled daemons

`mesos cluster up` starts one master and two agents of this binary's own
`mesos master` / `mesos agent` daemons on 127.0.0.1 (free ports, no ZooKeeper
needed) and returns when the cluster is ready: a leader elected and every
agent registered and active. The daemons run detached (own session, logs to
files) and survive the terminal closing. Work dirs and logs live under
$XDG_DATA_HOME/mesos/clusters/NAME (~/.local/share/mesos/clusters/NAME),
with the state (pids, ports) in cluster.json there.

`up` also writes the config profile NAME (master = the cluster) and makes it
active, so `mesos ps` and friends work next.

`up --secure` starts every daemon with TLS and HTTP authentication on, with a
CA, certificates and credentials generated for the cluster (files 0600 under
its directory), and a profile that uses them; `mesos cluster doctor` checks
that a running cluster is secured.

With -f cluster.toml the daemons run on hosts reached over SSH instead: the
file names the hosts of ZooKeeper, masters and agents and how to log in
(`mesos cluster init` writes an example; `mesos cluster doctor -f FILE`
checks the hosts first).

The global --timeout is the readiness timeout here (default 30s).";

/// Start, check and stop a real Mesos cluster (locally or over SSH)
#[derive(Debug, Args)]
#[command(
    long_about = LONG_ABOUT,
    after_help = "Examples:
  mesos cluster up
  eval \"$(mesos cluster up)\"
  mesos cluster up --agents 3 --agent-resources 'cpus:2;mem:2048'
  mesos cluster up --masters 3            # managed ZooKeeper
  mesos cluster status
  mesos cluster logs agent-1 --follow
  mesos cluster down --purge
  mesos cluster init && mesos cluster doctor -f cluster.toml && mesos cluster up -f cluster.toml"
)]
pub struct ClusterArgs {
    #[command(subcommand)]
    pub command: ClusterCommand,
}

/// `mesos cluster` subcommands.
#[derive(Debug, Subcommand)]
pub enum ClusterCommand {
    Up(UpArgs),
    Down(DownArgs),
    Status(StatusArgs),
    Wait(WaitArgs),
    List(ListArgs),
    Logs(LogsArgs),
    Doctor(DoctorArgs),
    Init(InitArgs),
    #[command(hide = true)]
    Host(HostArgs),
}

/// Which cluster: `--name`, or the name inside `-f FILE`.
#[derive(Debug, Clone, Args)]
pub struct Target {
    /// Cluster name (also the profile name) [default: the name in -f FILE; for `up` local; otherwise the active profile's cluster, else the only cluster, else local]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Cluster file describing SSH hosts (see `mesos cluster init`)
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Record the keys of SSH hosts missing from ~/.ssh/known_hosts instead of refusing them
    #[arg(long)]
    pub accept_new_host_keys: bool,
}

impl Target {
    /// The cluster name and the parsed file, if any; `default` when
    /// neither --name nor -f names one.
    fn resolve(&self, default: &str) -> Result<(String, Option<spec::Spec>)> {
        match &self.file {
            Some(f) => {
                let s = spec::load(f)?;
                if let Some(n) = &self.name {
                    if *n != s.name {
                        return Err(Error::usage(format!(
                            "--name {n} does not match name = \"{}\" in {}",
                            s.name,
                            f.display()
                        )));
                    }
                }
                Ok((s.name.clone(), Some(s)))
            }
            None => {
                let n = self.name.clone().unwrap_or_else(|| default.to_string());
                cl::validate_name(&n)?;
                Ok((n, None))
            }
        }
    }
}

/// Start a cluster and wait until it is ready
///
/// Without -f: starts the bundled daemons on 127.0.0.1 (free ports): ZooKeeper
/// when needed, then the masters, then the agents, each detached with its own
/// work dir and logs under the cluster directory. Returns once a leader is
/// elected and every agent is registered and active (exit 124 when --timeout,
/// default 30s, passes first; the daemons are then left running). A daemon
/// that exits during startup fails `up` at once with its last log lines; the
/// others are stopped.
///
/// --masters N (odd) runs N masters electing a leader through ZooKeeper with
/// quorum N/2+1: the one given with --zk, else a managed ZooKeeper from the
/// system installation (Debian `zookeeper` package or ZOOKEEPER_HOME).
///
/// Writes the config profile NAME (master = 127.0.0.1:PORT, or the zk:// URL
/// with several masters) and makes it active. Prints on stdout the master
/// URL and the profile as `#` comments and an `export MESOS_MASTER=...` line,
/// so `eval "$(mesos cluster up)"` works. Progress goes to stderr.
///
/// Running `up` on a running cluster reports it and changes nothing.
///
/// With -f FILE: deploys to the SSH hosts of the file (uploading this binary
/// when its checksum differs), in the same order, with per-host progress. A
/// failing host is reported with its log tail and the command exits 3; the
/// other hosts keep running and are recorded.
///
/// --secure (local or with -f) makes it a secured cluster in one command: a
/// fresh CA, a certificate per host (for its name and address) and random
/// credentials (operator `admin`, agents `agent`) are generated into
/// <cluster dir>/secure (0700, files 0600; on SSH hosts <work_dir>/secure,
/// copied over SFTP). Every master and agent serves only https
/// (LIBPROCESS_SSL_*, peers verified against the CA) with HTTP
/// authentication on (masters: --authenticate_http_readonly/readwrite/
/// frameworks, --authenticate_agents, --credentials; agents:
/// --authenticate_http_readonly/readwrite, --http_credentials, --credential).
/// Secrets are only ever in those files, never on a command line. The
/// profile gets master = https://..., ca_file, principal and secret_file,
/// so `mesos ps` and friends work as before.
///
/// JSON (--json): {name, mode, already_running, master, master_url, leader,
/// profile, secure: {secured, ca_file, principal}, elapsed_ms,
/// daemons: [{name, role, host, address, pid, log_file}]}.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mesos cluster up
  eval \"$(mesos cluster up --name dev)\"
  mesos cluster up --agents 3 --agent-resources 'cpus:2;mem:2048' --agent-attributes 'rack:r1'
  mesos cluster up --masters 3
  mesos cluster up --secure               # TLS + HTTP authentication
  mesos cluster up --masters 3 --zk zk://127.0.0.1:2181/mesos-dev
  mesos cluster up --agent-flag=--executor_shutdown_grace_period=1secs
  mesos cluster up -f cluster.toml --accept-new-host-keys")]
pub struct UpArgs {
    #[command(flatten)]
    pub target: Target,
    /// Number of masters (odd; more than one needs ZooKeeper)
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub masters: u32,
    /// Number of agents
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub agents: u32,
    /// Use this ZooKeeper (zk://HOST:PORT/PATH) instead of a managed one
    #[arg(long, value_name = "URL")]
    pub zk: Option<String>,
    /// --resources of every agent, e.g. 'cpus:2;mem:2048' (missing ones are detected; each agent gets its own ports range unless given)
    #[arg(long, value_name = "RESOURCES")]
    pub agent_resources: Option<String>,
    /// --attributes of every agent, e.g. 'rack:r1;zone:a'
    #[arg(long, value_name = "ATTRIBUTES")]
    pub agent_attributes: Option<String>,
    /// Extra mesos-master flag (--name=value), repeatable
    #[arg(long = "master-flag", value_name = "FLAG", allow_hyphen_values = true)]
    pub master_flags: Vec<String>,
    /// Extra mesos-agent flag (--name=value), repeatable
    #[arg(long = "agent-flag", value_name = "FLAG", allow_hyphen_values = true)]
    pub agent_flags: Vec<String>,
    /// TLS and HTTP authentication on every daemon: generates a CA, host certificates and credentials (files 0600 under the cluster directory) and a profile that uses them
    #[arg(long)]
    pub secure: bool,
    /// No progress on stderr
    #[arg(short, long)]
    pub quiet: bool,
}

/// Stop every daemon of a cluster
///
/// Kills the cluster's tasks first (the agents, like Mesos agents, leave them
/// running when stopped), then sends SIGTERM to every daemon it started (by
/// the pid recorded at start, checked against the process start time so a
/// reused pid is never hit) and SIGKILL to what is left after --grace.
/// Removes the state file; --purge also deletes the work dirs and logs and
/// the profile `up` wrote (if it still points at this cluster).
///
/// With -f FILE (or for a cluster started with -f): the same over SSH.
///
/// JSON (--json): {name, stopped, killed, already_stopped, tasks_killed,
/// purged, profile_removed}.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mesos cluster down
  mesos cluster down --name dev --purge
  mesos cluster down -f cluster.toml")]
pub struct DownArgs {
    #[command(flatten)]
    pub target: Target,
    /// Also delete work dirs, logs and the cluster's profile
    #[arg(long)]
    pub purge: bool,
    /// Time between SIGTERM and SIGKILL
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse_duration, default_value = "5s")]
    pub grace: Duration,
    /// No progress on stderr
    #[arg(short, long)]
    pub quiet: bool,
}

/// Show each daemon of a cluster: alive, leader, registered agents
///
/// One row per daemon: name, role, address, pid, whether the process is
/// alive, whether a master leads, and registration (for a master the number
/// of active agents it has, for an agent whether the leader lists it as
/// active). A summary line goes to stderr. Exit 0 when every daemon runs
/// (even if not ready yet), 3 when some are dead, 1 when none runs, 4 when
/// there is no such cluster. A line on stderr says whether the cluster is
/// secured (`up --secure`; `mesos cluster doctor` checks that it really is).
///
/// JSON (--json): {name, mode, master, leader, leader_url, ready,
/// waiting_for: [..], secure: {secured, ca_file, principal},
/// daemons: [{name, role, host, address, pid, alive, leader,
/// registered_agents, registered, active, log_file}]}.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mesos cluster status
  mesos cluster status --name dev --json | jq '.daemons[] | select(.alive | not) | .name'")]
pub struct StatusArgs {
    #[command(flatten)]
    pub target: Target,
}

/// Wait until a cluster is ready
///
/// Polls until a leader is elected and every agent is registered and active
/// (the rule `up` uses). Exit 124 when --timeout (default 30s) passes first;
/// exit 1 at once when a daemon is not running, with its last log lines.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mesos cluster wait
  mesos --timeout 2m cluster wait --name dev")]
pub struct WaitArgs {
    #[command(flatten)]
    pub target: Target,
    /// No progress on stderr
    #[arg(short, long)]
    pub quiet: bool,
}

/// List the clusters started with `up`
///
/// One row per cluster with a state file: name, mode (local or ssh), masters,
/// agents, status (running, partial, stopped; `unknown` for SSH clusters,
/// which `status` probes) and master.
///
/// JSON (--json): [{name, mode, masters, agents, status, master, dir}].
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mesos cluster list
  mesos cluster list --json | jq -r '.[].name'")]
pub struct ListArgs {}

/// Print (or follow) the logs of a cluster's daemons
///
/// Prints the log of DAEMON (master-1, agent-2, zookeeper-1, or a role when
/// there is one of it: master), or of every daemon with each line prefixed by
/// its name. -F (--follow) keeps following; -n limits to the last N lines. For SSH
/// clusters the logs are read over SSH.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mesos cluster logs
  mesos cluster logs master -n 50
  mesos cluster logs agent-2 -F")]
pub struct LogsArgs {
    /// Daemon name (see `mesos cluster status`); all when omitted
    #[arg(value_name = "DAEMON")]
    pub daemon: Option<String>,
    /// Cluster name [default: the active profile's cluster, else the only cluster, else local]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Keep printing new lines (-F: in `mesos cluster`, -f always means --file)
    #[arg(short = 'F', long)]
    pub follow: bool,
    /// Only the last N lines
    #[arg(short = 'n', long, value_name = "N")]
    pub lines: Option<usize>,
}

/// Check the SSH hosts of a cluster file before `up`, and whether a cluster is secured
///
/// With -f FILE, for every host: reachable over SSH (host key known,
/// authentication works), OS and architecture match this binary, free disk
/// at the work dir, the daemon ports free, `ulimit -n`, clock skew against
/// this machine, and Java and ZooKeeper present where ZooKeeper is managed.
///
/// For a cluster that was started (the one of -f FILE, or --name, by default
/// the active profile's cluster, else the only one), whether it is secured (`up --secure`) and, if so, that it really
/// is: every master and agent answers https with a certificate of the
/// cluster CA and refuses plain http (check `tls`), answers 401 without
/// credentials and 200 with the operator's (check `auth`), and the security
/// files here are private (check `files`: directories 0700, files 0600).
///
/// Prints one row per check; exit 0 when all pass, 3 when some check fails,
/// 4 without -f when there is no such cluster.
///
/// JSON (--json): [{host, check, ok, detail}].
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mesos cluster doctor -f cluster.toml
  mesos cluster doctor -f cluster.toml --accept-new-host-keys --json
  mesos cluster doctor                    # is the local cluster secured?
  mesos cluster doctor --name dev --json")]
pub struct DoctorArgs {
    #[command(flatten)]
    pub target: Target,
}

/// Write a commented example cluster file
///
/// Writes FILE (default cluster.toml) describing SSH hosts for ZooKeeper,
/// masters and agents, with every field explained. Refuses to overwrite an
/// existing file unless --force. `-` prints it on stdout.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mesos cluster init
  mesos cluster init lab.toml
  mesos cluster init - | less")]
pub struct InitArgs {
    /// File to write
    #[arg(value_name = "FILE", default_value = "cluster.toml")]
    pub file: PathBuf,
    /// Overwrite an existing file
    #[arg(long)]
    pub force: bool,
}

/// Internal: run one request of `mesos cluster up -f` on an SSH host
///
/// Reads one JSON request on stdin (start, status or stop daemons recorded
/// under a work dir) and prints the JSON answer. Used by the SSH commands
/// through the uploaded binary; not meant to be run by hand.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  echo '{\"op\":\"status\",\"daemons\":[],\"tail\":0}' | mesos cluster host")]
pub struct HostArgs {}

/// Run `mesos cluster ...`.
pub fn cmd_cluster(global: &GlobalArgs, args: &ClusterArgs) -> Result<()> {
    // Format as for every command: flags/env, else the profile's default.
    let config = crate::config::Config::load().ok().map(|(c, _)| c);
    let profile_format = config
        .as_ref()
        .and_then(|c| c.select(global.profile.as_deref()).ok().flatten())
        .and_then(|(_, p)| p.output.as_deref())
        .and_then(|o| o.parse().ok());
    let format = global.format_flag().or(profile_format).unwrap_or_default();
    let out = Output::new(format);
    let timeout = global.timeout.unwrap_or(local::DEFAULT_TIMEOUT);
    if timeout.is_zero() {
        return Err(Error::usage("--timeout must be greater than zero"));
    }
    // Commands on an existing cluster default to the one the user works
    // with: the selected profile's cluster, else the only cluster.
    let existing = || -> Result<String> {
        let config = crate::config::Config::load().ok().map(|(c, _)| c);
        let profile = config.as_ref().and_then(|c| {
            c.select(global.profile.as_deref())
                .ok()
                .flatten()
                .map(|(n, _)| n.to_string())
        });
        local::default_cluster(profile.as_deref())
    };
    match &args.command {
        ClusterCommand::Up(a) => cmd_up(&out, timeout, a),
        ClusterCommand::Down(a) => cmd_down(&out, a, &existing()?),
        ClusterCommand::Status(a) => cmd_status(&out, a, &existing()?),
        ClusterCommand::Wait(a) => cmd_wait(timeout, a, &existing()?),
        ClusterCommand::List(_) => cmd_list(&out),
        ClusterCommand::Logs(a) => cmd_logs(a, &existing()?),
        ClusterCommand::Doctor(a) => cmd_doctor(&out, a, &existing()?),
        ClusterCommand::Init(a) => cmd_init(a),
        ClusterCommand::Host(_) => {
            let mut input = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut input)
                .map_err(|e| Error::failed(format!("cannot read the request: {e}")))?;
            let out = remote::host_main(&input)?;
            write_stdout(format!("{out}\n").as_bytes())
        }
    }
}

// ---------------------------------------------------------------------------
// up

#[derive(Serialize)]
struct UpJson<'a> {
    name: &'a str,
    mode: Mode,
    already_running: bool,
    master: &'a str,
    master_url: String,
    leader: Option<&'a str>,
    profile: &'a str,
    secure: Secured,
    elapsed_ms: u128,
    daemons: Vec<DaemonJson<'a>>,
}

#[derive(Serialize)]
struct DaemonJson<'a> {
    name: &'a str,
    role: Role,
    host: &'a str,
    address: String,
    pid: u32,
    log_file: &'a str,
}

fn cmd_up(out: &Output, timeout: Duration, a: &UpArgs) -> Result<()> {
    let (name, file) = a.target.resolve(cl::DEFAULT_NAME)?;
    let progress = Progress::new(a.quiet);
    let outcome = match file {
        Some(spec) => {
            if a.masters != 1
                || a.agents != 2
                || a.zk.is_some()
                || a.agent_resources.is_some()
                || a.agent_attributes.is_some()
            {
                return Err(Error::usage(
                    "--masters, --agents, --zk and --agent-* do not apply with -f: the file describes the cluster",
                ));
            }
            remote::up(
                &spec,
                &remote::Options {
                    accept_new_host_keys: a.target.accept_new_host_keys,
                    timeout,
                },
                a.secure,
                &progress,
            )?
        }
        None => {
            let opts = UpOptions {
                name,
                masters: a.masters,
                agents: a.agents,
                zk: a.zk.clone(),
                agent_resources: a.agent_resources.clone(),
                agent_attributes: a.agent_attributes.clone(),
                master_flags: a.master_flags.clone(),
                agent_flags: a.agent_flags.clone(),
                timeout,
                secure: a.secure,
            };
            local::up(&opts, &progress)?
        }
    };
    drop(progress);
    print_up(out, &outcome, a.quiet)?;
    if !outcome.failed.is_empty() {
        return Err(Error::partial(format!(
            "cluster '{}' is up without: {}",
            outcome.state.name,
            outcome.failed.join("; ")
        ))
        .with_hint(format!(
            "`mesos cluster status --name {}` shows what runs; fix the host and run `up` again after `down`",
            outcome.state.name
        )));
    }
    Ok(())
}

fn print_up(out: &Output, o: &UpOutcome, quiet: bool) -> Result<()> {
    let st = &o.state;
    let url = o.leader_url();
    if !quiet {
        if o.already_running {
            status(format!(
                "cluster '{}' is already running ({}); nothing changed",
                st.name,
                st.shape()
            ));
        } else if !o.failed.is_empty() {
            status(format!(
                "cluster '{}' is partly up after {}: {} failed",
                st.name,
                cl::human(o.elapsed),
                o.failed.len()
            ));
        } else {
            status(format!(
                "cluster '{}' is ready ({}) in {}",
                st.name,
                st.shape(),
                cl::human(o.elapsed)
            ));
        }
    }
    if out.format != OutputFormat::Table {
        let j = UpJson {
            name: &st.name,
            mode: st.mode,
            already_running: o.already_running,
            master: &st.master,
            master_url: url,
            leader: o.leader.as_deref(),
            profile: &st.profile,
            secure: Secured::of(st),
            elapsed_ms: o.elapsed.as_millis(),
            daemons: st
                .daemons
                .iter()
                .map(|d| DaemonJson {
                    name: &d.name,
                    role: d.role,
                    host: &d.host,
                    address: d.address(),
                    pid: d.pid,
                    log_file: &d.log_file,
                })
                .collect(),
        };
        return if out.format == OutputFormat::Json {
            out.json_value(&j)
        } else {
            crate::output::write_ndjson_line(&j)
        };
    }
    let mut text = format!("# master: {url}\n# profile: {} (active)\n", st.profile);
    if let Some(sec) = &st.secure {
        text.push_str(&format!(
            "# secured: TLS (CA {}), HTTP authentication as {} (secret in {})\n",
            sec.ca_file, sec.principal, sec.secret_file
        ));
    }
    text.push_str(&format!(
        "export MESOS_MASTER={}\n",
        shell_quote(&st.master)
    ));
    write_stdout(text.as_bytes())
}

/// Quote for a POSIX shell when needed.
fn shell_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.:/,@=+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

// ---------------------------------------------------------------------------
// down

fn cmd_down(out: &Output, a: &DownArgs, default: &str) -> Result<()> {
    let (name, file) = a.target.resolve(default)?;
    let progress = Progress::new(a.quiet);
    let dir = cl::cluster_dir(&name)?;
    let state = ClusterState::load(&dir)?;
    let o: DownOutcome = match (&state, &file) {
        (Some(st), _) if st.mode == Mode::Ssh => remote::down(
            st,
            file.as_ref(),
            a.purge,
            a.grace,
            &remote::Options {
                accept_new_host_keys: a.target.accept_new_host_keys,
                timeout: a.grace,
            },
            &progress,
        )?,
        (None, Some(spec)) => remote::down_from_spec(
            spec,
            a.purge,
            a.grace,
            &remote::Options {
                accept_new_host_keys: a.target.accept_new_host_keys,
                timeout: a.grace,
            },
            &progress,
        )?,
        _ => local::down(&name, a.purge, a.grace, &progress)?,
    };
    drop(progress);
    if !a.quiet {
        let mut msg = format!(
            "cluster '{}' is down: {} daemon(s) stopped",
            o.name,
            o.stopped.len()
        );
        if !o.killed.is_empty() {
            msg.push_str(&format!(" ({} with SIGKILL)", o.killed.len()));
        }
        if o.tasks_killed > 0 {
            msg.push_str(&format!(", {} task(s) killed", o.tasks_killed));
        }
        if !o.already_stopped.is_empty() {
            msg.push_str(&format!(
                ", already stopped: {}",
                o.already_stopped.join(", ")
            ));
        }
        if o.purged {
            msg.push_str(", work dirs and logs deleted");
        }
        if o.profile_removed {
            msg.push_str(&format!(", profile '{}' removed", o.name));
        }
        status(msg);
    }
    if out.format != OutputFormat::Table {
        return out.record(&o, &[]);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// status

struct StatusRow<'a>(&'a local::DaemonStatus);

impl Serialize for StatusRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl TableRow for StatusRow<'_> {
    fn headers() -> Vec<&'static str> {
        vec![
            "NAME",
            "ROLE",
            "ADDRESS",
            "PID",
            "ALIVE",
            "LEADER",
            "REGISTERED",
        ]
    }
    fn cells(&self) -> Vec<String> {
        let d = self.0;
        let yn = |b: bool| if b { "yes" } else { "no" }.to_string();
        vec![
            d.name.clone(),
            d.role.as_str().into(),
            d.address.clone(),
            d.pid.to_string(),
            yn(d.alive),
            d.leader.map(yn).unwrap_or_else(|| "-".into()),
            match d.role {
                Role::Master => d
                    .registered_agents
                    .map(|n| format!("{n} agent{}", if n == 1 { "" } else { "s" }))
                    .unwrap_or_else(|| "-".into()),
                Role::Agent => match (d.registered, d.active) {
                    (Some(true), Some(true)) => "active".into(),
                    (Some(true), _) => "inactive".into(),
                    _ => "no".into(),
                },
                Role::Zookeeper => "-".into(),
            },
        ]
    }
}

fn load_target(t: &Target, default: &str) -> Result<ClusterState> {
    let (name, _) = t.resolve(default)?;
    local::load(&name)
}

fn cmd_status(out: &Output, a: &StatusArgs, default: &str) -> Result<()> {
    let state = load_target(&a.target, default)?;
    let report: StatusReport = match state.mode {
        Mode::Local => local::status(&state)?,
        Mode::Ssh => remote::status(
            &state,
            &remote::Options {
                accept_new_host_keys: a.target.accept_new_host_keys,
                timeout: Duration::from_secs(10),
            },
        )?,
    };
    match out.format {
        OutputFormat::Table => {
            let rows: Vec<StatusRow> = report.daemons.iter().map(StatusRow).collect();
            out.rows(&rows)?;
        }
        OutputFormat::Json => out.json_value(&report)?,
        OutputFormat::Ndjson => {
            for d in &report.daemons {
                crate::output::write_ndjson_line(d)?;
            }
        }
    }
    let alive = report.alive_count();
    let total = report.daemons.len();
    let dead: Vec<&str> = report
        .daemons
        .iter()
        .filter(|d| !d.alive)
        .map(|d| d.name.as_str())
        .collect();
    if alive == 0 {
        return Err(Error::failed(format!(
            "cluster '{}' is not running (no daemon alive)",
            report.name
        ))
        .with_hint(format!(
            "start it with `mesos cluster up --name {}`",
            report.name
        )));
    }
    if alive < total {
        return Err(Error::partial(format!(
            "cluster '{}': {} not running",
            report.name,
            dead.join(", ")
        ))
        .with_hint(format!(
            "`mesos cluster logs {} --name {}` shows why",
            dead[0], report.name
        )));
    }
    if out.format == OutputFormat::Table {
        status(report.secure.describe());
    }
    if report.ready {
        status(format!(
            "cluster '{}' is ready: leader {} at {}",
            report.name,
            report.leader.as_deref().unwrap_or("?"),
            report.leader_url.as_deref().unwrap_or("?")
        ));
    } else {
        status(format!(
            "cluster '{}' is running but not ready: waiting for {}",
            report.name,
            report.waiting_for.join(", ")
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// wait

fn cmd_wait(timeout: Duration, a: &WaitArgs, default: &str) -> Result<()> {
    let state = load_target(&a.target, default)?;
    let progress = Progress::new(a.quiet);
    let started = std::time::Instant::now();
    let check = match state.mode {
        Mode::Local => local::wait(&state, timeout, &progress)?,
        Mode::Ssh => remote::wait(
            &state,
            &remote::Options {
                accept_new_host_keys: a.target.accept_new_host_keys,
                timeout,
            },
            &progress,
        )?,
    };
    drop(progress);
    if !a.quiet {
        status(format!(
            "cluster '{}' is ready (leader {}) after {}",
            state.name,
            check.leader.as_deref().unwrap_or("?"),
            cl::human(started.elapsed())
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// list

#[derive(Serialize)]
struct ListRow(local::ListEntry);

impl TableRow for ListRow {
    fn headers() -> Vec<&'static str> {
        vec!["NAME", "MODE", "MASTERS", "AGENTS", "STATUS", "MASTER"]
    }
    fn cells(&self) -> Vec<String> {
        let e = &self.0;
        vec![
            e.name.clone(),
            e.mode.as_str().into(),
            e.masters.to_string(),
            e.agents.to_string(),
            e.status.clone(),
            e.master.clone(),
        ]
    }
}

fn cmd_list(out: &Output) -> Result<()> {
    let rows: Vec<ListRow> = local::list()?.into_iter().map(ListRow).collect();
    if rows.is_empty() && out.format == OutputFormat::Table {
        status("no clusters (start one with `mesos cluster up`)");
        return Ok(());
    }
    match out.format {
        OutputFormat::Json => {
            let v: Vec<&local::ListEntry> = rows.iter().map(|r| &r.0).collect();
            out.json_value(&v)
        }
        _ => out.rows(&rows),
    }
}

// ---------------------------------------------------------------------------
// logs

fn cmd_logs(a: &LogsArgs, default: &str) -> Result<()> {
    let name = a.name.as_deref().unwrap_or(default);
    cl::validate_name(name)?;
    let state = local::load(name)?;
    let daemons: Vec<_> = match &a.daemon {
        Some(d) => vec![state.find(d).cloned().ok_or_else(|| {
            let names: Vec<&str> = state.daemons.iter().map(|d| d.name.as_str()).collect();
            Error::not_found(format!(
                "cluster '{}' has no daemon '{d}' (daemons: {})",
                state.name,
                names.join(", ")
            ))
        })?],
        None => state.daemons.clone(),
    };
    if state.mode == Mode::Ssh {
        return remote::logs(&state, &daemons, a.follow, a.lines, false);
    }
    let prefix = daemons.len() > 1;
    let mut offsets = Vec::new();
    for d in &daemons {
        let path = PathBuf::from(&d.log_file);
        let text = std::fs::read(&path).unwrap_or_default();
        let mut lines: Vec<&[u8]> = text.split(|b| *b == b'\n').collect();
        if lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        if let Some(n) = a.lines {
            let skip = lines.len().saturating_sub(n);
            lines.drain(..skip);
        }
        emit(&d.name, prefix, &lines)?;
        offsets.push((d.name.clone(), path, text.len() as u64, Vec::<u8>::new()));
    }
    if !a.follow {
        return Ok(());
    }
    loop {
        std::thread::sleep(Duration::from_millis(200));
        for (name, path, off, partial) in offsets.iter_mut() {
            use std::io::{Read, Seek, SeekFrom};
            let Ok(mut f) = std::fs::File::open(&*path) else {
                continue;
            };
            let len = f.metadata().map(|m| m.len()).unwrap_or(0);
            if len < *off {
                *off = 0; // truncated or replaced
            }
            if len == *off {
                continue;
            }
            let _ = f.seek(SeekFrom::Start(*off));
            let mut buf = Vec::new();
            let _ = f.read_to_end(&mut buf);
            *off += buf.len() as u64;
            partial.extend_from_slice(&buf);
            if let Some(pos) = partial.iter().rposition(|b| *b == b'\n') {
                let complete: Vec<u8> = partial.drain(..=pos).collect();
                let lines: Vec<&[u8]> = complete[..complete.len() - 1]
                    .split(|b| *b == b'\n')
                    .collect();
                emit(name, prefix, &lines)?;
            }
        }
    }
}

fn emit(name: &str, prefix: bool, lines: &[&[u8]]) -> Result<()> {
    let mut buf = Vec::new();
    for l in lines {
        if prefix {
            let _ = write!(buf, "{name:<12} | ");
        }
        buf.extend_from_slice(l);
        buf.push(b'\n');
    }
    write_stdout(&buf)
}

// ---------------------------------------------------------------------------
// doctor, init

fn cmd_doctor(out: &Output, a: &DoctorArgs, default: &str) -> Result<()> {
    let (name, file) = a.target.resolve(default)?;
    let recorded = ClusterState::load(&cl::cluster_dir(&name)?)?;
    let mut rows = match &file {
        Some(spec) => remote::doctor(
            spec,
            &remote::Options {
                accept_new_host_keys: a.target.accept_new_host_keys,
                timeout: Duration::from_secs(10),
            },
        )?,
        None => Vec::new(),
    };
    // A cluster that was started: is it secured?
    match &recorded {
        Some(st) => {
            remote::accept_own_ports(&mut rows, st);
            rows.extend(secure_check::doctor_rows(st)?)
        }
        None if file.is_none() => {
            local::load(&name)?; // "no cluster named ..." (exit 4)
        }
        None => {}
    }
    match out.format {
        OutputFormat::Json => out.json_value(&rows)?,
        _ => out.rows(&rows)?,
    }
    // Host rows come first, then the security rows of the daemons.
    let mut failed: Vec<String> = Vec::new();
    for r in rows.iter().filter(|r| !r.ok) {
        let what = if is_security(&r.check) {
            format!("{} ({})", r.host, r.check)
        } else {
            r.host.clone()
        };
        if !failed.contains(&what) {
            failed.push(what);
        }
    }
    if failed.is_empty() {
        status(match &file {
            Some(spec) => format!("all {} host(s) passed", spec.host_order().len()),
            None => format!("cluster '{name}' passed every check"),
        });
        Ok(())
    } else if file.is_some() && rows.iter().all(|r| r.ok || !is_security(&r.check)) {
        Err(Error::partial(format!(
            "{} host(s) failed checks: {}",
            failed.len(),
            failed.join(", ")
        )))
    } else {
        Err(Error::partial(format!(
            "cluster '{name}' failed checks: {}",
            failed.join(", ")
        )))
    }
}

/// Rows of [`secure_check::doctor_rows`].
fn is_security(check: &str) -> bool {
    matches!(check, "secured" | "files" | "tls" | "auth")
}

fn cmd_init(a: &InitArgs) -> Result<()> {
    if a.file.as_os_str() == "-" {
        return write_stdout(spec::EXAMPLE.as_bytes());
    }
    if a.file.exists() && !a.force {
        return Err(Error::usage(format!("{} already exists", a.file.display()))
            .with_hint("pass --force to overwrite it, or give another file name"));
    }
    crate::fsutil::write_atomic(&a.file, spec::EXAMPLE.as_bytes())
        .map_err(|e| Error::failed(format!("cannot write {}: {e}", a.file.display())))?;
    status(format!(
        "wrote {}: edit the hosts, then `mesos cluster doctor -f {f}` and `mesos cluster up -f {f}`",
        a.file.display(),
        f = a.file.display()
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_are_quoted_only_when_needed() {
        assert_eq!(shell_quote("127.0.0.1:5050"), "127.0.0.1:5050");
        assert_eq!(shell_quote("zk://a:1,b:2/mesos"), "zk://a:1,b:2/mesos");
        assert_eq!(shell_quote("a b'c"), "'a b'\\''c'");
    }
}
