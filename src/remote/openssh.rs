//! The system OpenSSH client for the interactive commands (`mesos ssh`,
//! `mesos node ssh`): `~/.ssh/config`, the SSH agent, known_hosts and
//! ProxyJump all work as the user set them up, and the terminal and the
//! remote exit code pass straight through (the process is replaced).

use crate::error::{Error, Result};
use crate::remote::conn::{check_host, Conn};

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
                return Err(Error::usage(format!("--jump '{j}' is not a host")));
            }
            a.push("-J".into());
            a.push(j.clone());
        }
        for o in &self.options {
            if !o.contains('=') && !o.contains(' ') {
                return Err(Error::usage(format!(
                    "ssh option '{o}' is not KEY=VALUE"
                )));
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
            Error::failed("cannot run ssh: the OpenSSH client is not installed (or not on PATH)")
                .with_hint("install it (Debian/Ubuntu: apt-get install openssh-client)")
        } else {
            Error::failed(format!("cannot run ssh: {err}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv_order_and_defaults() {
        let inv = Invocation {
            host: "10.0.0.5".into(),
            user: Some("core".into()),
            port: Some(2222),
            identity: Some("/k/id".into()),
            jump: Some("ops@bastion:22".into()),
            options: vec!["StrictHostKeyChecking=no".into(), "ServerAliveInterval=5".into()],
            accept_new: false,
            tty: true,
            remote: Some("cd -- /sb || exit 1\npwd".into()),
        };
        assert_eq!(
            inv.argv().unwrap(),
            [
                "-t", "-l", "core", "-p", "2222", "-i", "/k/id", "-J", "ops@bastion:22", "-o",
                "StrictHostKeyChecking=no", "-o", "ServerAliveInterval=5", "-o",
                "StrictHostKeyChecking=yes", "10.0.0.5", "cd -- /sb || exit 1\npwd"
            ]
        );
        let inv = Invocation {
            host: "h".into(),
            accept_new: true,
            ..Invocation::default()
        };
        assert_eq!(inv.argv().unwrap(), ["-o", "StrictHostKeyChecking=accept-new", "h"]);
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
