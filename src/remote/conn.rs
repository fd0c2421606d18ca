//! Connection options shared by `ssh`, `node ssh`, `scp` and `node exec`,
//! and how they combine with the profile and `~/.ssh/config`.
//!
//! Precedence for the user, port and key of a host: the flag
//! (`--user`, `--port`, `-i`), then the active profile (`ssh_user`,
//! `ssh_port`, `ssh_key`), then `~/.ssh/config` for that host, then the
//! defaults (the local user name, 22, the SSH agent and `~/.ssh/id_*`).

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::cluster::state::SshTarget;
use crate::config::Profile;
use crate::error::Result;
use crate::remote::ssh_config::{self, SshConfig};
use crate::remote::RemoteError;

/// `--user`, `--port`, `-i`, `--accept-new-host-keys`.
#[derive(Clone, Debug, Default, Args)]
pub struct ConnArgs {
    /// Log in as USER [default: the profile's ssh_user, then ~/.ssh/config, then the local user]
    #[arg(long, value_name = "USER", help_heading = "Connection")]
    pub user: Option<String>,

    /// SSH port [default: the profile's ssh_port, then ~/.ssh/config, then 22]
    #[arg(long, value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..), help_heading = "Connection")]
    pub port: Option<u16>,

    /// Private key file [default: the profile's ssh_key, then ~/.ssh/config, then the SSH agent and ~/.ssh/id_*]
    #[arg(short = 'i', long, value_name = "FILE", help_heading = "Connection")]
    pub identity: Option<PathBuf>,

    /// Accept and record host keys not yet in ~/.ssh/known_hosts (a changed key is always refused)
    #[arg(long, help_heading = "Connection")]
    pub accept_new_host_keys: bool,
}

/// The connection settings of one invocation: flags over profile.
#[derive(Clone, Debug, Default)]
pub struct Conn {
    pub user: Option<String>,
    pub port: Option<u16>,
    pub identity: Option<String>,
    pub accept_new: bool,
    /// Timeout of the connection and of each blocking SSH operation.
    pub timeout: Duration,
}

impl Conn {
    /// Flags over the profile's `ssh_user`, `ssh_port`, `ssh_key`.
    pub fn new(args: &ConnArgs, profile: &Profile, timeout: Duration) -> Result<Conn> {
        let user = args
            .user
            .clone()
            .or_else(|| profile.ssh_user.clone())
            .filter(|u| !u.is_empty());
        if let Some(u) = &user {
            check_word("--user", u)?;
        }
        let identity = args
            .identity
            .as_ref()
            .map(|p| p.display().to_string())
            .or_else(|| profile.ssh_key.clone())
            .filter(|k| !k.is_empty())
            .map(|k| crate::fsutil::expand_tilde(&k).display().to_string());
        Ok(Conn {
            user,
            port: args.port.or(profile.ssh_port),
            identity,
            accept_new: args.accept_new_host_keys,
            timeout,
        })
    }

    /// Where and how libssh2 connects to `host` (a name as the master
    /// reports it), with `~/.ssh/config` filling what the flags and the
    /// profile leave open.
    pub fn target(&self, host: &str, cfg: &SshConfig) -> SshTarget {
        let hc = cfg.lookup(host);
        let user = self
            .user
            .clone()
            .or(hc.user)
            .unwrap_or_else(ssh_config::local_user);
        let key_file = self.identity.clone().or_else(|| {
            hc.identity_files
                .iter()
                .map(|f| ssh_config::expand_identity(f, host, &user))
                .find(|p| std::path::Path::new(p).is_file())
        });
        SshTarget {
            host: hc.hostname.unwrap_or_else(|| host.to_string()),
            port: self.port.or(hc.port).unwrap_or(22),
            user,
            key_file,
        }
    }
}

/// Refuse values that the OpenSSH client would read as options (a host
/// named `-oProxyCommand=...` from a hostile master) or that cannot be a
/// user or host name.
pub fn check_word(what: &str, v: &str) -> Result<(), RemoteError> {
    if v.is_empty() || v.starts_with('-') || v.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(RemoteError::BadName {
            what: what.to_string(),
            value: v.to_string(),
        });
    }
    Ok(())
}

/// A host name from the master, checked before it reaches `ssh`.
pub fn check_host(host: &str) -> Result<()> {
    if host.is_empty()
        || host.starts_with('-')
        || host
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\'' || c == '"')
    {
        return Err(RemoteError::HostileHost(host.to_string()).into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_over_profile_over_ssh_config() {
        let cfg = SshConfig::default().with_host(
            "a",
            ssh_config::HostConfig {
                hostname: Some("a.internal".into()),
                port: Some(2201),
                user: Some("cfguser".into()),
                identity_files: Vec::new(),
            },
        );
        let profile = Profile {
            ssh_user: Some("core".into()),
            ssh_port: None,
            ..Profile::default()
        };
        let c = Conn::new(&ConnArgs::default(), &profile, Duration::from_secs(5)).unwrap();
        let t = c.target("a", &cfg);
        assert_eq!(
            (t.host.as_str(), t.port, t.user.as_str()),
            ("a.internal", 2201, "core")
        );
        let args = ConnArgs {
            user: Some("me".into()),
            port: Some(2222),
            ..ConnArgs::default()
        };
        let c = Conn::new(&args, &profile, Duration::from_secs(5)).unwrap();
        let t = c.target("a", &cfg);
        assert_eq!((t.port, t.user.as_str()), (2222, "me"));
        let t = c.target("b", &cfg);
        assert_eq!((t.host.as_str(), t.port), ("b", 2222));
        let c = Conn::new(
            &ConnArgs::default(),
            &Profile::default(),
            Duration::from_secs(5),
        )
        .unwrap();
        let t = c.target("b", &cfg);
        assert_eq!(t.port, 22);
        assert_eq!(t.user, ssh_config::local_user());
        assert_eq!(t.key_file, None);
    }

    #[test]
    fn hostile_names_are_refused() {
        assert!(check_host("-oProxyCommand=touch /tmp/x").is_err());
        assert!(check_host("a b").is_err());
        assert!(check_host("").is_err());
        assert!(check_host("node-1.example.com").is_ok());
        assert!(check_host("10.0.0.1").is_ok());
        assert!(check_word("--user", "-l").is_err());
        assert!(check_word("--user", "core").is_ok());
    }
}
