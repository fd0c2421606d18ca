//! `mesos node ssh AGENT | --leader | --master HOST [-- COMMAND...]`: a
//! shell (or COMMAND) on a node, through the system OpenSSH client.

use std::io::IsTerminal;

use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::remote::agents;
use crate::remote::conn::{check_host, Conn, ConnArgs};
use crate::remote::openssh::{ClientArgs, Invocation};
use crate::remote::quote;

/// Open a shell on an agent or master (over ssh)
///
/// Picks the node: AGENT (id, id prefix, hostname, hostname prefix or IP,
/// as the leading master lists agents; several matches: a choice on a
/// terminal, else exit 4 listing them), --leader (the leading master), or
/// --master HOST given after `node ssh` with neither AGENT nor --leader
/// (that master host, found without asking the cluster). Then runs the
/// system `ssh` client to it with COMMAND, or a login shell. The `ssh`
/// process replaces `mesos`, so ~/.ssh/config, the SSH agent, known_hosts,
/// the terminal and the exit code behave as with `ssh` itself.
///
/// One COMMAND word is a shell command line (`-- 'ps aux | grep mesos'`);
/// several words are quoted one by one (`-- cat '/etc/mesos/my file'`).
/// `-t` is passed when stdin is a terminal.
///
/// Connection: --user, --port and -i (defaults from the profile's
/// ssh_user, ssh_port, ssh_key; else ~/.ssh/config and ssh's own
/// defaults), -o KEY=VALUE for any ssh option (also --option), --jump for a
/// bastion (ssh -J; the bastion hop uses its own ~/.ssh/config settings,
/// the other options apply to the node only). Host keys:
/// StrictHostKeyChecking=yes (unknown keys refused), or accept-new with
/// --accept-new-host-keys; a changed key is always refused.
///
/// Exit code: the remote command's (or shell's), 255 when ssh itself fails
/// (connection, authentication, host key), 4 when no agent or several
/// agents match.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos node ssh 10.0.4.17
  mesos node ssh a1.example.com -- df -h /var/lib/mesos
  mesos node ssh --leader -- 'journalctl -u mesos-master -n 50'
  mesos node ssh --master m2.example.com --user core
  mesos node ssh 3f2a --jump ops@bastion.example.com -o ServerAliveInterval=30")]
pub struct NodeSshArgs {
    /// Agent id, id prefix, hostname, hostname prefix or IP
    #[arg(value_name = "AGENT", conflicts_with = "leader")]
    pub agent: Option<String>,

    /// SSH to the leading master
    #[arg(long)]
    pub leader: bool,

    /// Command to run instead of a login shell (after `--`)
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,

    #[command(flatten)]
    pub client: ClientArgs,

    #[command(flatten)]
    pub conn: ConnArgs,
}

/// Was `--master` typed after the `ssh` of `node ssh` (rather than coming
/// from MESOS_MASTER, the profile, or before the subcommand)?
pub fn master_after_subcommand(args: &[String]) -> bool {
    let Some(node) = args.iter().position(|a| a == "node") else {
        return false;
    };
    let Some(ssh) = args[node..].iter().position(|a| a == "ssh") else {
        return false;
    };
    args[node + ssh + 1..]
        .iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "--master" || a.starts_with("--master="))
}

/// The host of a `--master` value naming one master (`host`, `host:port`,
/// `http(s)://host:port/prefix`, `[v6]:port`).
pub fn master_host(spec: &str) -> Result<String> {
    let s = spec.trim();
    if s.starts_with("zk://") || s.starts_with("file://") || s.contains(',') {
        return Err(Error::usage(format!(
            "--master '{}' does not name one host; with `node ssh` give --master HOST (or use --leader)",
            crate::leader::spec::redact_spec(s)
        )));
    }
    let s = s
        .strip_prefix("http://")
        .or_else(|| s.strip_prefix("https://"))
        .unwrap_or(s);
    let s = s.split('/').next().unwrap_or("");
    let s = s.rsplit_once('@').map(|(_, h)| h).unwrap_or(s);
    let host = if let Some(rest) = s.strip_prefix('[') {
        rest.split(']').next().unwrap_or("").to_string()
    } else {
        s.split(':').next().unwrap_or("").to_string()
    };
    if host.is_empty() {
        return Err(Error::usage(format!("--master '{spec}' has no host")));
    }
    check_host(&host).map_err(|e| Error::usage(e.message))?;
    Ok(host)
}

pub async fn cmd_node_ssh(ctx: &Context, args: &NodeSshArgs) -> Result<()> {
    let argv: Vec<String> = std::env::args().collect();
    let master_target = args.agent.is_none() && !args.leader && master_after_subcommand(&argv);
    let conn = Conn::new(&args.conn, &ctx.profile, ctx.timeout)?;
    let host = if master_target {
        master_host(ctx.master.as_deref().unwrap_or_default())?
    } else if args.leader {
        let http = ctx.http()?;
        let leader = ctx.leader(&http).await?;
        let h = leader
            .hostname
            .clone()
            .filter(|h| !h.is_empty())
            .or_else(|| leader.ip.clone())
            .or_else(|| leader.url.host_str().map(str::to_string))
            .unwrap_or_default();
        check_host(&h)?;
        h
    } else if let Some(q) = &args.agent {
        let http = ctx.http()?;
        let leader = ctx.leader(&http).await?;
        let all = agents::fetch(&http, &leader).await?;
        let a = agents::pick_one(&all, q)?;
        let h = agents::ssh_name(a);
        check_host(&h)?;
        if ctx.verbose > 0 {
            crate::output::status(format!("agent {} is {h}", a.id));
        }
        h
    } else {
        return Err(Error::usage(
            "name the node: AGENT, --leader, or --master HOST (after `node ssh`)",
        ));
    };
    let mut inv = Invocation::new(&host, &conn);
    inv.jump = args.client.jump.clone();
    inv.options = args.client.options.clone();
    inv.tty = std::io::stdin().is_terminal();
    inv.remote = quote::command_line(&args.command);
    Err(inv.exec(ctx.verbose > 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn master_flag_position() {
        assert!(master_after_subcommand(&v(&[
            "mesos", "node", "ssh", "--master", "m1"
        ])));
        assert!(master_after_subcommand(&v(&[
            "mesos",
            "node",
            "ssh",
            "--master=m1",
            "--",
            "uptime"
        ])));
        assert!(!master_after_subcommand(&v(&[
            "mesos", "--master", "m1", "node", "ssh", "--leader"
        ])));
        assert!(!master_after_subcommand(&v(&[
            "mesos", "node", "ssh", "--", "--master", "x"
        ])));
        assert!(!master_after_subcommand(&v(&[
            "mesos", "node", "ssh", "S1"
        ])));
    }

    #[test]
    fn master_hosts() {
        assert_eq!(master_host("m1").unwrap(), "m1");
        assert_eq!(
            master_host("m1.example.com:5050").unwrap(),
            "m1.example.com"
        );
        assert_eq!(
            master_host("https://dcos.example.com/mesos").unwrap(),
            "dcos.example.com"
        );
        assert_eq!(master_host("http://10.0.0.1:5050").unwrap(), "10.0.0.1");
        assert_eq!(master_host("[fe80::1]:5050").unwrap(), "fe80::1");
        assert_eq!(
            master_host("zk://z1:2181/mesos").unwrap_err().exit_code(),
            2
        );
        assert_eq!(master_host("m1:5050,m2:5050").unwrap_err().exit_code(), 2);
        assert_eq!(master_host("-oProxyCommand=x").unwrap_err().exit_code(), 2);
    }
}
