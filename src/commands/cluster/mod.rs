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
active, so `mesos ps` and friends work next. The profile names the built-in
package repository (`repos`, unless it has a list already), and the daemons
run with the directory of this `mesos` first on PATH, which their tasks
inherit: `mesos package install hello` runs `mesos serve hello` on the agents.

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
/// with several masters) and makes it active; the profile's `repos` is the
/// built-in package repository unless it has a list already. Daemons run
/// with the directory of this `mesos` first on PATH (tasks inherit it, so
/// the built-in packages' `mesos serve` resolves). Prints on stdout the master
/// URL and the profile as `#` comments and an `export MESOS_MASTER=...` line,
/// so `eval "$(mesos cluster up)"` works. Progress goes to stderr, ending
/// with `Web UI: <leader URL>/` (the masters serve the web UI at `/`).
///
/// Marathon: `up` also starts one `mesos marathon` per master (`marathon-1`,
/// ... after the agents; --no-marathon: none) with --master set to the
/// cluster's master (or zk:// URL), --http_port a free port, --hostname
/// 127.0.0.1, --work_dir under the cluster directory and, with ZooKeeper,
/// --zk zk://.../marathon (leader election among them). With -f it runs on
/// the hosts of the file's [marathon] table (default: the master hosts, on
/// port 8080). With --secure it serves https with the host's certificate,
/// subscribes as framework principal `marathon` (secret in a file) and its
/// REST API wants the operator's credentials. The cluster is ready when
/// each answers 200 to /ping and /v2/leader. Its URL is printed as `#
/// marathon: URL`, recorded in the profile as `marathon` (so `mesos app`
/// finds it, with the profile's CA and credentials), shown by `cluster
/// status`, stopped by `cluster down` and its output is in `cluster logs`.
/// A `mesos` built without the `marathon` daemon starts no Marathon.
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
/// credentials (operator `admin`, agents `agent`, Marathon `marathon`) are generated into
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
/// JSON (--json): {name, mode, already_running, master, master_url, webui_url,
/// leader, profile, secure: {secured, ca_file, principal}, marathon (URL or null), elapsed_ms,
/// daemons: [{name, role, host, address, pid, log_file}]}.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mesos cluster up
  eval \"$(mesos cluster up --name dev)\"
  mesos cluster up --agents 3 --agent-resources 'cpus:2;mem:2048' --agent-attributes 'rack:r1'
  mesos cluster up --masters 3
  mesos cluster up --no-marathon
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
    /// Start no `mesos marathon` (by default one per master, or where the -f file's [marathon] says; recorded in the profile as `marathon`)
    #[arg(long)]
    pub no_marathon: bool,
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
/// secured (`up --secure`; `mesos cluster doctor` checks that it really is),
/// and a ready cluster's web UI address (`Web UI: <leader URL>/`).
///
/// JSON (--json): {name, mode, master, leader, leader_url, webui_url, ready,
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

mod inspect;
mod lifecycle;

use inspect::{cmd_doctor, cmd_init, cmd_list, cmd_logs, cmd_status, cmd_wait};
use lifecycle::{cmd_down, cmd_up};

#[cfg(test)]
mod tests {
    #[test]
    fn exports_are_quoted_only_when_needed() {
        assert_eq!(
            crate::remote::quote::quote_word("127.0.0.1:5050"),
            "127.0.0.1:5050"
        );
        assert_eq!(
            crate::remote::quote::quote_word("zk://a:1,b:2/mesos"),
            "zk://a:1,b:2/mesos"
        );
        assert_eq!(crate::remote::quote::quote_word("a b'c"), "'a b'\\''c'");
    }
}
