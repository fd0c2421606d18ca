//! Parsing of `--master` values into a [`MasterSpec`]. Pure, no I/O except
//! for `file://` specs, which are read by the resolver.

use std::fmt;
use std::path::PathBuf;

use reqwest::Url;

use crate::error::Result;

/// Default master port.
pub const DEFAULT_MASTER_PORT: u16 = 5050;
/// Default ZooKeeper client port.
pub const DEFAULT_ZK_PORT: u16 = 2181;

/// What the user told us about where the masters are.
#[derive(Clone, Debug, PartialEq)]
pub enum MasterSpec {
    /// One or more master base URLs (`scheme://host:port[/prefix]`, no trailing slash).
    Hosts(Vec<Url>),
    /// A ZooKeeper ensemble and znode path.
    Zk(ZkUrl),
    /// A file holding another spec.
    File(PathBuf),
}

/// `zk://[user:pass@]h1:p1,h2:p2/path`.
#[derive(Clone, PartialEq)]
pub struct ZkUrl {
    /// `host:port` members, in the order given.
    pub hosts: Vec<String>,
    /// Znode path, starting with `/`, no trailing slash.
    pub path: String,
    /// Digest credentials (`user`, `password`).
    pub credentials: Option<(String, String)>,
}

impl ZkUrl {
    /// The comma-separated member list, as the ZooKeeper client wants it.
    pub fn connect_string(&self) -> String {
        self.hosts.join(",")
    }
}

/// Displays without the password, so it is safe in messages and logs.
impl fmt::Display for ZkUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("zk://")?;
        if let Some((user, _)) = &self.credentials {
            write!(f, "{user}:***@")?;
        }
        write!(f, "{}{}", self.hosts.join(","), self.path)
    }
}

impl fmt::Debug for ZkUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A `--master` value that cannot be used (all usage errors, exit 2: the
/// mapping is in `crate::error`). Credentials never appear in the text.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("--master is empty")]
    Empty,
    #[error("--master '{0}' names no file (expected file:///path/to/file)")]
    NoFile(String),
    #[error("--master '{0}' has an empty entry in its comma-separated list")]
    EmptyEntry(String),
    /// One entry of a host list was bad.
    #[error("--master '{spec}': {inner}")]
    InEntry { spec: String, inner: Box<SpecError> },
    #[error(
        "unsupported scheme '{scheme}://' in '{entry}' (use http://, https://, zk:// or file://)"
    )]
    UnsupportedScheme { scheme: String, entry: String },
    #[error("'{0}' has no host")]
    NoHost(String),
    #[error("'{entry}' has an invalid port '{port}'")]
    BadPort { entry: String, port: String },
    #[error("'{entry}' is not a valid address: {cause}")]
    BadAddress { entry: String, cause: String },
    #[error("--master 'zk://{0}@…': credentials must be user:password")]
    ZkCredentials(String),
    #[error("--master zk:// credentials have an empty user")]
    ZkEmptyUser,
    #[error("--master '{0}' names no ZooKeeper host (expected zk://host:2181/mesos)")]
    ZkNoHost(String),
    #[error("--master '{0}' has an empty ZooKeeper host in its list")]
    ZkEmptyHost(String),
    #[error("--master '{shown}': ZooKeeper member '{member}' has an invalid port '{port}'")]
    ZkBadPort {
        shown: String,
        member: String,
        port: String,
    },
    #[error("--master '{shown}': ZooKeeper member '{member}' has no host")]
    ZkMemberNoHost { shown: String, member: String },
    #[error("--master '{0}' names no znode path (expected zk://host:2181/mesos)")]
    ZkNoPath(String),
    #[error("--master '{shown}' has an empty segment in znode path '{path}'")]
    ZkEmptySegment { shown: String, path: String },
}

impl SpecError {
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            SpecError::Empty => Some(
                "give host:port, http(s)://host:port[/prefix], zk://host:2181/mesos or file:///path",
            ),
            _ => None,
        }
    }
}

/// Parse a `--master` value. `scheme` is used for entries given without one.
pub fn parse_master_spec(input: &str, scheme: &str) -> Result<MasterSpec> {
    let s = input.trim();
    if s.is_empty() {
        return Err(SpecError::Empty.into());
    }
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("zk://") {
        return Ok(MasterSpec::Zk(parse_zk(s)?));
    }
    if lower.starts_with("file://") {
        let path = &s["file://".len()..];
        if path.is_empty() {
            return Err(SpecError::NoFile(s.to_string()).into());
        }
        return Ok(MasterSpec::File(PathBuf::from(path)));
    }
    let mut urls = Vec::new();
    for part in s.split(',') {
        let part = part.trim();
        if part.is_empty() {
            return Err(SpecError::EmptyEntry(redact_spec(s)).into());
        }
        urls.push(
            parse_host_entry(part, scheme).map_err(|e| SpecError::InEntry {
                spec: redact_spec(s),
                inner: Box::new(e),
            })?,
        );
    }
    Ok(MasterSpec::Hosts(urls))
}

/// One entry of a host list: `host`, `host:port`, `master@host:port`,
/// `http(s)://host:port[/prefix]`.
fn parse_host_entry(raw: &str, scheme: &str) -> Result<Url, SpecError> {
    // Messages show the entry without its password.
    let entry = &redact_entry(raw);
    let lower = raw.to_ascii_lowercase();
    let with_scheme = if lower.starts_with("http://") || lower.starts_with("https://") {
        raw.to_string()
    } else if raw.contains("://") {
        let sch = entry.split("://").next().unwrap_or_default();
        return Err(SpecError::UnsupportedScheme {
            scheme: sch.to_string(),
            entry: entry.to_string(),
        });
    } else {
        let bare = raw.rsplit_once('@').map(|(_, a)| a).unwrap_or(raw);
        format!("{scheme}://{bare}")
    };
    // Reject empty hosts before the URL parser gets a chance to guess.
    let after = with_scheme.split_once("://").map(|(_, r)| r).unwrap_or("");
    let authority = after.split(['/', '?', '#']).next().unwrap_or("");
    let host_part = authority
        .rsplit_once('@')
        .map(|(_, h)| h)
        .unwrap_or(authority);
    let host_only = if host_part.starts_with('[') {
        host_part
            .split(']')
            .next()
            .unwrap_or("")
            .trim_start_matches('[')
    } else {
        host_part
            .rsplit_once(':')
            .map(|(h, _)| h)
            .unwrap_or(host_part)
    };
    if host_only.is_empty() {
        return Err(SpecError::NoHost(entry.to_string()));
    }
    if let Some((_, port)) = host_part
        .rsplit_once(':')
        .filter(|_| !host_part.ends_with(']'))
    {
        if port.is_empty() || port.parse::<u16>().map(|p| p == 0).unwrap_or(true) {
            return Err(SpecError::BadPort {
                entry: entry.to_string(),
                port: port.to_string(),
            });
        }
    }
    let mut url = Url::parse(&with_scheme).map_err(|e| SpecError::BadAddress {
        entry: entry.to_string(),
        cause: e.to_string(),
    })?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(SpecError::NoHost(entry.to_string()));
    }
    if url.port().is_none() && !entry.contains("://") {
        let _ = url.set_port(Some(DEFAULT_MASTER_PORT));
    }
    url.set_query(None);
    url.set_fragment(None);
    let trimmed = url.path().trim_end_matches('/').to_string();
    url.set_path(&trimmed);
    Ok(url)
}

fn parse_zk(s: &str) -> Result<ZkUrl, SpecError> {
    let rest = &s["zk://".len()..];
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let (credentials, hosts_part) = match authority.rfind('@') {
        Some(i) => {
            let cred = &authority[..i];
            let (user, pass) = cred
                .split_once(':')
                .ok_or_else(|| SpecError::ZkCredentials(redact_cred(cred)))?;
            if user.is_empty() {
                return Err(SpecError::ZkEmptyUser);
            }
            (
                Some((user.to_string(), pass.to_string())),
                &authority[i + 1..],
            )
        }
        None => (None, authority),
    };
    let shown = redacted_zk(s);
    if hosts_part.is_empty() {
        return Err(SpecError::ZkNoHost(shown));
    }
    let mut hosts = Vec::new();
    for h in hosts_part.split(',') {
        let h = h.trim();
        if h.is_empty() {
            return Err(SpecError::ZkEmptyHost(shown));
        }
        let (host, port) =
            match h.rsplit_once(':') {
                Some((host, port)) => {
                    let p: u16 = port.parse().ok().filter(|p| *p != 0).ok_or_else(|| {
                        SpecError::ZkBadPort {
                            shown: shown.clone(),
                            member: h.to_string(),
                            port: port.to_string(),
                        }
                    })?;
                    (host, p)
                }
                None => (h, DEFAULT_ZK_PORT),
            };
        if host.is_empty() {
            return Err(SpecError::ZkMemberNoHost {
                shown,
                member: h.to_string(),
            });
        }
        hosts.push(format!("{host}:{port}"));
    }
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return Err(SpecError::ZkNoPath(shown));
    }
    if path.contains("//") {
        return Err(SpecError::ZkEmptySegment {
            shown,
            path: path.to_string(),
        });
    }
    Ok(ZkUrl {
        hosts,
        path: path.to_string(),
        credentials,
    })
}

fn redact_cred(cred: &str) -> String {
    match cred.split_once(':') {
        Some((u, _)) => format!("{u}:***"),
        None => cred.to_string(),
    }
}

/// A zk:// string with any password replaced by `***`.
pub fn redacted_zk(s: &str) -> String {
    let Some(rest) = s.get("zk://".len()..) else {
        return s.to_string();
    };
    let end = rest.find('/').unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(i) => format!("zk://{}@{}", redact_cred(&rest[..i]), &rest[i + 1..]),
        None => s.to_string(),
    }
}

/// Redact credentials from any master spec for display. Works on the text,
/// so a malformed value (one the URL parser rejects) is redacted too.
pub fn redact_spec(s: &str) -> String {
    let t = s.trim();
    if t.to_ascii_lowercase().starts_with("zk://") {
        return redacted_zk(t);
    }
    t.split(',').map(redact_entry).collect::<Vec<_>>().join(",")
}

/// One host entry with the password of any `user:password@` replaced by `***`.
fn redact_entry(entry: &str) -> String {
    // A scheme only counts before any userinfo or path (`:pw@://` has none).
    let start = match entry.find("://") {
        Some(i) if !entry[..i].contains(['@', '/']) => i + 3,
        _ => 0,
    };
    let rest = &entry[start..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!(
            "{}{}@{}",
            &entry[..start],
            redact_cred(&rest[..at]),
            &rest[at + 1..]
        ),
        None => entry.to_string(),
    }
}

/// Join an endpoint path onto a master base URL, keeping any prefix
/// (`https://c.example.com/mesos` + `/master/state`).
pub fn endpoint(base: &Url, path: &str) -> Url {
    let mut u = base.clone();
    let joined = format!(
        "{}/{}",
        base.path().trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    u.set_path(&joined);
    u
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(s: &str) -> Vec<String> {
        match parse_master_spec(s, "http").unwrap() {
            MasterSpec::Hosts(v) => v.iter().map(|u| u.to_string()).collect(),
            other => panic!("expected hosts, got {other:?}"),
        }
    }

    #[test]
    fn host_forms() {
        assert_eq!(hosts("m1:5050"), ["http://m1:5050/"]);
        assert_eq!(hosts("m1"), ["http://m1:5050/"]);
        assert_eq!(hosts("master@10.0.0.1:5050"), ["http://10.0.0.1:5050/"]);
        assert_eq!(
            hosts("https://c.example.com/mesos/"),
            ["https://c.example.com/mesos"]
        );
        assert_eq!(
            hosts("m1:5050, http://m2:5051,https://m3"),
            ["http://m1:5050/", "http://m2:5051/", "https://m3/"]
        );
    }

    #[test]
    fn endpoint_keeps_prefix() {
        let base = Url::parse("https://c.example.com/mesos").unwrap();
        assert_eq!(
            endpoint(&base, "/master/state").as_str(),
            "https://c.example.com/mesos/master/state"
        );
        let base = Url::parse("http://m1:5050/").unwrap();
        assert_eq!(
            endpoint(&base, "/master/state").as_str(),
            "http://m1:5050/master/state"
        );
    }

    #[test]
    fn zk_forms() {
        let MasterSpec::Zk(z) =
            parse_master_spec("zk://u:p@a:2181,b:2182/x/mesos/", "http").unwrap()
        else {
            panic!()
        };
        assert_eq!(z.hosts, ["a:2181", "b:2182"]);
        assert_eq!(z.path, "/x/mesos");
        assert_eq!(z.credentials, Some(("u".into(), "p".into())));
        assert_eq!(z.to_string(), "zk://u:***@a:2181,b:2182/x/mesos");
        let MasterSpec::Zk(z) = parse_master_spec("zk://a/mesos", "http").unwrap() else {
            panic!()
        };
        assert_eq!(z.hosts, ["a:2181"]);
    }

    #[test]
    fn malformed_specs_are_usage_errors_naming_the_part() {
        for (input, needle) in [
            ("zk://", "no ZooKeeper host"),
            ("zk://host/", "no znode path"),
            ("zk://host", "no znode path"),
            ("zk://h:99999/mesos", "invalid port"),
            ("zk://,h:2181/mesos", "empty ZooKeeper host"),
            ("http://:5050", "no host"),
            (":5050", "no host"),
            ("m1:abc", "invalid port"),
            ("m1:5050,,m2", "empty entry"),
            ("ftp://m1", "unsupported scheme"),
            ("file://", "names no file"),
            ("", "empty"),
        ] {
            let e = parse_master_spec(input, "http").unwrap_err();
            assert_eq!(e.exit_code(), 2, "{input}");
            assert!(e.message.contains(needle), "{input}: {}", e.message);
        }
    }

    #[test]
    fn passwords_never_shown() {
        let e = parse_master_spec("zk://user:hunter2@/mesos", "http").unwrap_err();
        assert!(!e.message.contains("hunter2"), "{}", e.message);
        assert_eq!(
            redact_spec("zk://u:hunter2@h:2181/m"),
            "zk://u:***@h:2181/m"
        );
    }
}
