//! `~/.ssh/config` for the libssh2 commands (`scp`, `node exec`), resolved
//! by the OpenSSH client itself: `ssh -G -F ~/.ssh/config HOST` prints the
//! settings ssh would use for HOST (Host and Match blocks, Include, `%h`
//! in HostName, first value wins), and we read its `hostname`, `port`,
//! `user` and `identityfile` lines.
//!
//! `~` is `$HOME`. Without a `~/.ssh/config` nothing is run and every host
//! gets the defaults; with one, `ssh` must be installed (a clear error
//! otherwise). The system-wide `/etc/ssh/ssh_config` is not read (`-F`
//! replaces it), so a run does not depend on the machine's defaults.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::Result;

/// The resolved settings of the hosts a command will reach.
#[derive(Clone, Debug, Default)]
pub struct SshConfig {
    hosts: HashMap<String, HostConfig>,
}

/// What the config says about one host (`None`/empty: ssh's default).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostConfig {
    pub hostname: Option<String>,
    pub port: Option<u16>,
    pub user: Option<String>,
    /// `IdentityFile` values as ssh prints them (`~` and `%` tokens not
    /// expanded: see [`expand_identity`]); ssh's own default list is left out.
    pub identity_files: Vec<String>,
}

/// `~/.ssh/config` (from `$HOME`).
pub fn default_path() -> Option<PathBuf> {
    dirs::home_dir().map(|h| h.join(".ssh").join("config"))
}

/// The identity files ssh tries when none is configured (`ssh -G` lists
/// them then); the libssh2 commands have their own fallback for that case.
const DEFAULT_IDENTITIES: &[&str] = &[
    "~/.ssh/id_rsa",
    "~/.ssh/id_ecdsa",
    "~/.ssh/id_ecdsa_sk",
    "~/.ssh/id_ed25519",
    "~/.ssh/id_ed25519_sk",
    "~/.ssh/id_xmss",
    "~/.ssh/id_dsa",
];

impl SshConfig {
    /// Resolve `hosts` through `~/.ssh/config` (see the module doc).
    pub fn load<'a>(hosts: impl IntoIterator<Item = &'a str>) -> Result<SshConfig> {
        match default_path() {
            Some(p) if p.is_file() => Self::load_from(&p, "ssh", hosts),
            _ => Ok(SshConfig::default()),
        }
    }

    /// Resolve `hosts` with `<ssh> -G -F <path>`, one run per host.
    pub fn load_from<'a>(
        path: &Path,
        ssh: &str,
        hosts: impl IntoIterator<Item = &'a str>,
    ) -> Result<SshConfig> {
        let mut out = SshConfig::default();
        for host in hosts {
            if out.hosts.contains_key(host) {
                continue;
            }
            let hc = resolve(path, ssh, host)?;
            out.hosts.insert(host.to_string(), hc);
        }
        Ok(out)
    }

    /// A config with these settings for `host` (tests, callers that already know).
    pub fn with_host(mut self, host: &str, hc: HostConfig) -> SshConfig {
        self.hosts.insert(host.to_string(), hc);
        self
    }

    /// Settings for `host` (the name as given, before `HostName`); the
    /// defaults for a host that was not resolved.
    pub fn lookup(&self, host: &str) -> HostConfig {
        self.hosts.get(host).cloned().unwrap_or_default()
    }
}

/// Why `~/.ssh/config` could not be read through `ssh -G`.
#[derive(Debug, thiserror::Error)]
pub enum SshConfigError {
    #[error("cannot read {path} for {host}: the OpenSSH client `{ssh}` is not installed")]
    SshMissing {
        path: String,
        host: String,
        ssh: String,
    },
    #[error("cannot read {path} for {host}: cannot run `{ssh}`: {cause}")]
    CannotRun {
        path: String,
        host: String,
        ssh: String,
        cause: String,
    },
    /// ssh refused the file (its own words, e.g. a bad option on line 2).
    #[error("cannot read {path} for {host}: `{ssh} -G` failed: {why}")]
    Rejected {
        path: String,
        host: String,
        ssh: String,
        why: String,
    },
}

impl SshConfigError {
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            SshConfigError::SshMissing { .. } | SshConfigError::CannotRun { .. } => Some(
                "install the OpenSSH client (e.g. apt-get install openssh-client), or move ~/.ssh/config aside",
            ),
            SshConfigError::Rejected { .. } => None,
        }
    }
}

/// Run `ssh -G` for one host.
fn resolve(path: &Path, ssh: &str, host: &str) -> Result<HostConfig, SshConfigError> {
    let shown = path.display().to_string();
    let out = Command::new(ssh)
        .arg("-G")
        .arg("-F")
        .arg(path)
        .arg("--")
        .arg(host)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            let (path, host, ssh) = (shown.clone(), host.to_string(), ssh.to_string());
            if e.kind() == std::io::ErrorKind::NotFound {
                SshConfigError::SshMissing { path, host, ssh }
            } else {
                SshConfigError::CannotRun {
                    path,
                    host,
                    ssh,
                    cause: e.to_string(),
                }
            }
        })?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        let prefix = format!("{shown}: ");
        let why = why
            .lines()
            .map(|l| l.trim().trim_start_matches(prefix.as_str()))
            .filter(|l| !l.is_empty() && !l.starts_with("Pseudo-terminal"))
            .collect::<Vec<_>>()
            .join(" | ");
        return Err(SshConfigError::Rejected {
            path: shown,
            host: host.to_string(),
            ssh: ssh.to_string(),
            why,
        });
    }
    Ok(parse_g(&String::from_utf8_lossy(&out.stdout), host))
}

/// Read the lines of `ssh -G` output we use.
pub fn parse_g(text: &str, host: &str) -> HostConfig {
    let mut hc = HostConfig::default();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(' ') else {
            continue;
        };
        let value = value.trim();
        match key {
            "hostname" if !value.eq_ignore_ascii_case(host) => {
                hc.hostname = Some(value.to_string())
            }
            "port" => hc.port = value.parse().ok().filter(|p| *p != 22),
            "user" => hc.user = Some(value.to_string()),
            "identityfile" if !DEFAULT_IDENTITIES.contains(&value) => {
                hc.identity_files.push(value.to_string())
            }
            _ => {}
        }
    }
    hc
}

/// Expand `~`, `%d` (home), `%h` (host), `%r` (remote user), `%u` (local
/// user) and `%%` in an `IdentityFile` value.
pub fn expand_identity(v: &str, host: &str, remote_user: &str) -> String {
    let home = dirs::home_dir()
        .map(|h| h.display().to_string())
        .unwrap_or_default();
    let local = local_user();
    let mut s = if let Some(rest) = v.strip_prefix("~/") {
        format!("{home}/{rest}")
    } else if v == "~" {
        home.clone()
    } else {
        v.to_string()
    };
    let mut out = String::with_capacity(s.len());
    let mut chars = s.drain(..).peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('d') => out.push_str(&home),
            Some('h') => out.push_str(host),
            Some('r') => out.push_str(remote_user),
            Some('u') => out.push_str(&local),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

/// The local login name (`$USER`, `$LOGNAME`, else the passwd entry).
pub fn local_user() -> String {
    for var in ["USER", "LOGNAME"] {
        if let Ok(u) = std::env::var(var) {
            if !u.is_empty() {
                return u;
            }
        }
    }
    nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_else(|| "root".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
# comment
User early

Host 127.0.0.2 node-*.lab !node-bad.lab
  Port 2222
  IdentityFile ~/.ssh/lab_key
Host node-1.lab
  HostName 10.0.0.1
  Port=2200
  User ops
Host *.lab
  HostName %h.internal
  User lab
  IdentityFile \"/keys/%r key\"
Match host foo exec \"true\"
  Port 1
Match all
  Port 2022
";

    fn ssh_available() -> bool {
        Command::new("ssh")
            .arg("-V")
            .stderr(Stdio::null())
            .status()
            .is_ok()
    }

    /// The real `ssh -G` applies OpenSSH's rules: first value wins,
    /// negated patterns, `%h`, `Match all`.
    #[test]
    fn ssh_resolves_blocks_as_openssh_does() {
        if !ssh_available() {
            panic!("this test needs the OpenSSH client (apt-get install openssh-client)");
        }
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config");
        std::fs::write(&p, TEXT).unwrap();
        let hosts = ["127.0.0.2", "node-1.lab", "node-bad.lab", "elsewhere"];
        let c = SshConfig::load_from(&p, "ssh", hosts).unwrap();
        let a = c.lookup("127.0.0.2");
        assert_eq!(a.port, Some(2222));
        assert_eq!(a.user.as_deref(), Some("early"));
        assert_eq!(a.identity_files, ["~/.ssh/lab_key"]);
        assert_eq!(a.hostname, None);
        let n = c.lookup("node-1.lab");
        assert_eq!(n.port, Some(2222), "the earlier block wins");
        assert_eq!(n.hostname.as_deref(), Some("10.0.0.1"));
        assert_eq!(n.user.as_deref(), Some("early"));
        assert_eq!(n.identity_files, ["~/.ssh/lab_key", "/keys/%r key"]);
        let bad = c.lookup("node-bad.lab");
        assert_eq!(bad.port, Some(2022), "negated in the first block");
        assert_eq!(bad.hostname.as_deref(), Some("node-bad.lab.internal"));
        let other = c.lookup("elsewhere");
        assert_eq!(other.port, Some(2022));
        assert_eq!(other.hostname, None);
        assert!(other.identity_files.is_empty(), "ssh's defaults left out");
    }

    #[test]
    fn a_broken_config_and_a_missing_ssh_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config");
        std::fs::write(&p, "Host a\n  Port 22\n").unwrap();
        let e = SshConfig::load_from(&p, "/nonexistent/ssh", ["a"]).unwrap_err();
        assert!(e.to_string().contains("is not installed"), "{e}");
        if ssh_available() {
            std::fs::write(&p, "Host a\n  NoSuchOption 1\n").unwrap();
            let e = SshConfig::load_from(&p, "ssh", ["a"]).unwrap_err();
            assert!(e.to_string().contains("-G` failed"), "{e}");
        }
    }

    #[test]
    fn g_output_lines() {
        let hc = parse_g(
            "user root\nhostname a\nport 22\nidentityfile ~/.ssh/id_rsa\nidentityfile ~/.ssh/k\n",
            "A",
        );
        assert_eq!(
            hc,
            HostConfig {
                hostname: None,
                port: None,
                user: Some("root".into()),
                identity_files: vec!["~/.ssh/k".into()],
            }
        );
    }

    #[test]
    fn identity_tokens() {
        let home = dirs::home_dir().unwrap().display().to_string();
        assert_eq!(
            expand_identity("~/.ssh/id", "h", "r"),
            format!("{home}/.ssh/id")
        );
        assert_eq!(expand_identity("/k/%h-%r-%%", "h", "r"), "/k/h-r-%");
        assert_eq!(expand_identity("%d/x", "h", "r"), format!("{home}/x"));
    }
}
