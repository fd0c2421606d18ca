//! Just enough of `~/.ssh/config` for the libssh2 commands (`scp`,
//! `node exec`) to connect where the OpenSSH client would: `Host` blocks
//! (patterns with `*`, `?`, `!negation`), and their `HostName` (with `%h`),
//! `Port`, `User` and `IdentityFile`. The first value found wins, as in
//! OpenSSH. `Match` blocks apply only for `Match all`; `Include` is not
//! followed.

use std::path::{Path, PathBuf};

/// The parsed file.
#[derive(Clone, Debug, Default)]
pub struct SshConfig {
    blocks: Vec<Block>,
}

#[derive(Clone, Debug)]
struct Block {
    /// `None` for the lines before the first `Host`, and `Match all`.
    patterns: Option<Vec<String>>,
    /// `false` for `Match` blocks other than `Match all`.
    applies: bool,
    options: Vec<(String, String)>,
}

/// What the file says about one host.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostConfig {
    pub hostname: Option<String>,
    pub port: Option<u16>,
    pub user: Option<String>,
    pub identity_files: Vec<String>,
}

/// `~/.ssh/config` (from `$HOME`).
pub fn default_path() -> Option<PathBuf> {
    dirs::home_dir().map(|h| h.join(".ssh").join("config"))
}

impl SshConfig {
    /// Read `~/.ssh/config`; a missing or unreadable file is an empty config.
    pub fn load() -> SshConfig {
        default_path()
            .map(|p| Self::load_from(&p))
            .unwrap_or_default()
    }

    pub fn load_from(path: &Path) -> SshConfig {
        std::fs::read_to_string(path)
            .map(|t| Self::parse(&t))
            .unwrap_or_default()
    }

    pub fn parse(text: &str) -> SshConfig {
        let mut blocks = vec![Block {
            patterns: None,
            applies: true,
            options: Vec::new(),
        }];
        for raw in text.lines() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = split_key_value(line) else {
                continue;
            };
            let key = key.to_ascii_lowercase();
            match key.as_str() {
                "host" => blocks.push(Block {
                    patterns: Some(words(&value)),
                    applies: true,
                    options: Vec::new(),
                }),
                "match" => {
                    let all = value.trim().eq_ignore_ascii_case("all");
                    blocks.push(Block {
                        patterns: None,
                        applies: all,
                        options: Vec::new(),
                    });
                }
                _ => {
                    if let Some(b) = blocks.last_mut() {
                        b.options.push((key, value));
                    }
                }
            }
        }
        SshConfig { blocks }
    }

    /// Settings for `host` (the name as given, before `HostName`).
    pub fn lookup(&self, host: &str) -> HostConfig {
        let mut out = HostConfig::default();
        for b in &self.blocks {
            if !b.applies {
                continue;
            }
            if let Some(p) = &b.patterns {
                if !patterns_match(p, host) {
                    continue;
                }
            }
            for (k, v) in &b.options {
                let v = unquote(v);
                match k.as_str() {
                    "hostname" if out.hostname.is_none() => {
                        out.hostname = Some(v.replace("%h", host).replace("%%", "%"))
                    }
                    "port" if out.port.is_none() => out.port = v.trim().parse().ok(),
                    "user" if out.user.is_none() => out.user = Some(v.to_string()),
                    "identityfile" if !v.eq_ignore_ascii_case("none") => {
                        out.identity_files.push(v.to_string())
                    }
                    _ => {}
                }
            }
        }
        out
    }
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
    // SAFETY: getpwuid returns a pointer to static storage or null; the name
    // is copied out at once.
    unsafe {
        let pw = libc::getpwuid(libc::getuid());
        if !pw.is_null() && !(*pw).pw_name.is_null() {
            if let Ok(s) = std::ffi::CStr::from_ptr((*pw).pw_name).to_str() {
                return s.to_string();
            }
        }
    }
    "root".into()
}

/// `Key value`, `Key=value` or `Key = value`.
fn split_key_value(line: &str) -> Option<(String, String)> {
    let idx = line.find(|c: char| c.is_whitespace() || c == '=')?;
    let key = &line[..idx];
    let rest = line[idx..].trim_start();
    let rest = rest.strip_prefix('=').unwrap_or(rest).trim();
    if key.is_empty() {
        return None;
    }
    Some((key.to_string(), rest.to_string()))
}

fn words(v: &str) -> Vec<String> {
    v.split_whitespace()
        .map(|w| unquote(w).to_string())
        .collect()
}

fn unquote(v: &str) -> &str {
    let v = v.trim();
    v.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(v)
}

/// OpenSSH `Host` semantics: any positive pattern matches and no negated one.
fn patterns_match(patterns: &[String], host: &str) -> bool {
    let mut hit = false;
    for p in patterns {
        if let Some(neg) = p.strip_prefix('!') {
            if glob(neg.as_bytes(), host.as_bytes()) {
                return false;
            }
        } else if glob(p.as_bytes(), host.as_bytes()) {
            hit = true;
        }
    }
    hit
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match (p.first(), s.first()) {
        (None, None) => true,
        (Some(b'*'), _) => glob(&p[1..], s) || (!s.is_empty() && glob(p, &s[1..])),
        (Some(b'?'), Some(_)) => glob(&p[1..], &s[1..]),
        (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => glob(&p[1..], &s[1..]),
        _ => false,
    }
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
  Port 22
";

    #[test]
    fn first_value_wins_and_patterns_match() {
        let c = SshConfig::parse(TEXT);
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
        assert_eq!(
            bad.port,
            Some(22),
            "negated in the first block; Match all applies"
        );
        assert_eq!(bad.hostname.as_deref(), Some("node-bad.lab.internal"));
        let other = c.lookup("elsewhere");
        assert_eq!(other.port, Some(22));
        assert_eq!(other.hostname, None);
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

    #[test]
    fn empty_and_odd_input() {
        let c = SshConfig::parse("Host\nPort\n=\n   \n");
        assert_eq!(c.lookup("x"), HostConfig::default());
    }
}
