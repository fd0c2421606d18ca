//! The system OpenSSH client for the interactive commands (`mesos ssh`,
//! `mesos node ssh`): `~/.ssh/config`, the SSH agent, known_hosts and
//! ProxyJump all work as the user set them up, and the terminal and the
//! remote exit code pass straight through (the process is replaced).

use clap::Args;

use crate::error::{Error, Result};
use crate::remote::conn::{check_host, Conn};
use crate::remote::RemoteError;

/// Options only the OpenSSH client commands (`ssh`, `node ssh`) take.
#[derive(Clone, Debug, Default, Args)]
pub struct ClientArgs {
    /// Reach the host through this jump host ([USER@]HOST[:PORT], comma-separate for a chain; ssh -J)
    #[arg(long, value_name = "HOST", help_heading = "Connection")]
    pub jump: Option<String>,

    /// An ssh option for the destination: -o KEY=VALUE, e.g. -o ServerAliveInterval=30 (repeatable)
    #[arg(long = "option", value_name = "KEY=VALUE", help_heading = "Connection")]
    pub options: Vec<String>,
}

/// `-o KEY=VALUE` after `ssh` / `node ssh` means an ssh option, not the
/// global `-o/--output FORMAT` (no output format contains `=`): rewrite it
/// to `--option KEY=VALUE` before the command line is parsed. Also
/// `-oKEY=VALUE`. Nothing after `--` (the remote command) is touched.
pub fn rewrite_ssh_option_flags(args: Vec<String>) -> Vec<String> {
    let Some(start) = args.iter().skip(1).position(|a| a == "ssh" || a == "--") else {
        return args;
    };
    let start = start + 1;
    if args[start] == "--" {
        return args;
    }
    let mut out: Vec<String> = Vec::with_capacity(args.len());
    out.extend_from_slice(&args[..=start]);
    let mut it = args.into_iter().skip(start + 1).peekable();
    while let Some(a) = it.next() {
        if a == "--" {
            out.push(a);
            out.extend(it);
            break;
        }
        if a == "-o" {
            if it.peek().is_some_and(|v| v.contains('=')) {
                out.push("--option".into());
                out.push(it.next().unwrap_or_default());
                continue;
            }
        } else if let Some(rest) = a.strip_prefix("-o") {
            let rest = rest.strip_prefix('=').unwrap_or(rest);
            if rest.contains('=') {
                out.push(format!("--option={rest}"));
                continue;
            }
        }
        out.push(a);
    }
    out
}

/// One `ssh` invocation.
#[derive(Clone, Debug, Default)]
pub struct Invocation {
    pub host: String,
    pub user: Option<String>,
    pub port: Option<u16>,
    pub identity: Option<String>,
    /// `-J` (ProxyJump): `[user@]host[:port][,...]`.
    pub jump: Option<String>,
    /// `-o KEY=VALUE`, in order (the first value of a key wins in OpenSSH).
    pub options: Vec<String>,
    pub accept_new: bool,
    /// `-t`: force a terminal (stdin is one).
    pub tty: bool,
    /// The remote command line (`None`: a login shell).
    pub remote: Option<String>,
}

impl Invocation {
    pub fn new(host: &str, conn: &Conn) -> Invocation {
        Invocation {
            host: host.to_string(),
            user: conn.user.clone(),
            port: conn.port,
            identity: conn.identity.clone(),
            accept_new: conn.accept_new,
            ..Invocation::default()
        }
    }

    /// The arguments after `ssh`.
    ///
    /// The user's `-o` options come before ours, so theirs win; ours only
    /// set host key checking (`StrictHostKeyChecking=yes`, or `accept-new`
    /// with `--accept-new-host-keys`). `-J` makes OpenSSH open the jump
    /// hop itself with its own `~/.ssh/config` settings: `--user`, `--port`,
    /// `-i` and `-o` apply to the destination only.
    pub fn argv(&self) -> Result<Vec<String>> {
        check_host(&self.host)?;
        let mut a: Vec<String> = Vec::new();
        if self.tty {
            a.push("-t".into());
        }
        if let Some(u) = &self.user {
            a.push("-l".into());
            a.push(u.clone());
        }
        if let Some(p) = self.port {
            a.push("-p".into());
            a.push(p.to_string());
        }
        if let Some(i) = &self.identity {
            a.push("-i".into());
            a.push(i.clone());
        }
        if let Some(j) = &self.jump {
            if j.is_empty() || j.starts_with('-') {
                return Err(RemoteError::BadJump(j.clone()).into());
            }
            a.push("-J".into());
            a.push(j.clone());
        }
        for o in &self.options {
            if !o.contains('=') && !o.contains(' ') {
                return Err(RemoteError::BadSshOption(o.clone()).into());
            }
            a.push("-o".into());
            a.push(o.clone());
        }
        a.push("-o".into());
        a.push(
            if self.accept_new {
                "StrictHostKeyChecking=accept-new"
            } else {
                "StrictHostKeyChecking=yes"
            }
            .into(),
        );
        a.push(self.host.clone());
        if let Some(r) = &self.remote {
            a.push(r.clone());
        }
        Ok(a)
    }

    /// Replace this process with `ssh` (returns only when that fails).
    pub fn exec(&self, verbose: bool) -> Error {
        use std::os::unix::process::CommandExt;
        let argv = match self.argv() {
            Ok(a) => a,
            Err(e) => return e,
        };
        if verbose {
            crate::output::status(format!(
                "running: ssh {}",
                crate::remote::quote::join_words(&argv)
            ));
        }
        use std::io::Write;
        let _ = std::io::stdout().flush();
        let _ = std::io::stderr().flush();
        let err = std::process::Command::new("ssh").args(&argv).exec();
        if err.kind() == std::io::ErrorKind::NotFound {
            RemoteError::SshNotInstalled.into()
        } else {
            RemoteError::CannotRunSsh(err).into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn short_o_after_ssh_becomes_option() {
        assert_eq!(
            rewrite_ssh_option_flags(v(&[
                "mesos", "ssh", "t1", "-o", "A=b", "-oC=d", "-o=E=f", "-o", "json", "--", "-o",
                "X=y"
            ])),
            v(&[
                "mesos",
                "ssh",
                "t1",
                "--option",
                "A=b",
                "--option=C=d",
                "--option=E=f",
                "-o",
                "json",
                "--",
                "-o",
                "X=y"
            ])
        );
        assert_eq!(
            rewrite_ssh_option_flags(v(&[
                "mesos", "--master", "m:5050", "node", "ssh", "S1", "-o", "K=v"
            ])),
            v(&["mesos", "--master", "m:5050", "node", "ssh", "S1", "--option", "K=v"])
        );
        // Other commands and the remote command are left alone.
        let other = v(&["mesos", "ps", "-o", "json"]);
        assert_eq!(rewrite_ssh_option_flags(other.clone()), other);
        let exec = v(&["mesos", "node", "exec", "--", "ssh", "-o", "A=b"]);
        assert_eq!(rewrite_ssh_option_flags(exec.clone()), exec);
        assert_eq!(rewrite_ssh_option_flags(v(&["mesos"])), v(&["mesos"]));
    }

    #[test]
    fn argv_order_and_defaults() {
        let inv = Invocation {
            host: "10.0.0.5".into(),
            user: Some("core".into()),
            port: Some(2222),
            identity: Some("/k/id".into()),
            jump: Some("ops@bastion:22".into()),
            options: vec![
                "StrictHostKeyChecking=no".into(),
                "ServerAliveInterval=5".into(),
            ],
            accept_new: false,
            tty: true,
            remote: Some("cd -- /sb || exit 1\npwd".into()),
        };
        assert_eq!(
            inv.argv().unwrap(),
            [
                "-t",
                "-l",
                "core",
                "-p",
                "2222",
                "-i",
                "/k/id",
                "-J",
                "ops@bastion:22",
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "ServerAliveInterval=5",
                "-o",
                "StrictHostKeyChecking=yes",
                "10.0.0.5",
                "cd -- /sb || exit 1\npwd"
            ]
        );
        let inv = Invocation {
            host: "h".into(),
            accept_new: true,
            ..Invocation::default()
        };
        assert_eq!(
            inv.argv().unwrap(),
            ["-o", "StrictHostKeyChecking=accept-new", "h"]
        );
    }

    #[test]
    fn hostile_values_are_refused() {
        let inv = Invocation {
            host: "-oProxyCommand=sh".into(),
            ..Invocation::default()
        };
        assert!(inv.argv().is_err());
        let inv = Invocation {
            host: "h".into(),
            jump: Some("-oProxyCommand=sh".into()),
            ..Invocation::default()
        };
        assert!(inv.argv().is_err());
        let inv = Invocation {
            host: "h".into(),
            options: vec!["novalue".into()],
            ..Invocation::default()
        };
        assert_eq!(inv.argv().unwrap_err().exit_code(), 2);
    }
}
