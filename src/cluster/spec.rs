//! The declarative cluster file (`mesos cluster up -f cluster.toml`):
//! which hosts run ZooKeeper, masters, agents and `mesos marathon`, and
//! how to reach them over SSH. `mesos cluster init` writes [`EXAMPLE`]. Every validation
//! error names the file, the line and the field.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, ToSocketAddrs};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::state::SshTarget;
use super::zk::{DEFAULT_CLIENT_PORT, DEFAULT_ELECTION_PORT, DEFAULT_PEER_PORT};
use super::ClusterSpecError;
use crate::error::{Error, Result};

/// Written by `mesos cluster init`; parses as is (a test checks it).
pub const EXAMPLE: &str = r#"# A Mesos cluster for `mesos cluster up -f cluster.toml`.
#
# Order of start: ZooKeeper, then masters, then agents. `up` uploads this
# mesos binary to every host (skipped when the checksum matches), writes the
# configs, starts the daemons detached and waits until a leader is elected
# and every agent is registered and active. `mesos cluster doctor -f FILE`
# checks the hosts first; `mesos cluster down -f FILE` stops everything.

# Cluster name: also the name of the config profile `up` writes.
name = "lab"

# Base directory on every host (created): <work_dir>/<daemon>/{work,logs}
# and the uploaded binary <work_dir>/bin/mesos. `~` is the SSH user's home.
work_dir = "~/mesos-cluster/lab"

# How to log in, for every host unless [[hosts]] says otherwise.
# Authentication: key_file, else the SSH agent (SSH_AUTH_SOCK). Host keys
# are checked against ~/.ssh/known_hosts; unknown hosts are refused unless
# --accept-new-host-keys is given (their keys are then recorded).
[ssh]
user = "root"
port = 22
# key_file = "~/.ssh/id_ed25519"

# Per-host overrides (optional). `ip` is the address daemons bind and
# advertise (default: `host` when it is an IPv4 address, else its lookup).
# [[hosts]]
# host = "10.0.0.12"
# user = "core"
# port = 2222
# key_file = "~/.ssh/lab_key"

# ZooKeeper, needed with more than one master. Either a running ensemble:
# url = "zk://10.0.0.11:2181,10.0.0.12:2181,10.0.0.13:2181/mesos"
# or one managed by `up` on these hosts (odd count; Java and the zookeeper
# package, or ZOOKEEPER_HOME, must be there): zoo.cfg with server.N lines
# and myid are generated.
# [zookeeper]
# hosts = ["10.0.0.11", "10.0.0.12", "10.0.0.13"]
# client_port = 2181
# peer_port = 2888
# election_port = 3888

# Masters: an odd number (quorum = n/2 + 1, rounded down).
[masters]
hosts = ["10.0.0.11"]
port = 5050
# Extra mesos-master flags.
flags = []

# Agents: one per host.
[agents]
hosts = ["10.0.0.11", "10.0.0.12"]
port = 5051
# resources = "cpus:4;mem:8192;disk:40000;ports:[31000-32000]"
# attributes = "rack:r1"
flags = []

# `mesos marathon` (the bundled Marathon), started after the agents; its
# URL goes into the profile as `marathon`, so `mesos app` finds it. By
# default one on every master host (with ZooKeeper they elect a leader
# under <zk hosts>/marathon); `up --no-marathon` or enabled = false: none.
# [marathon]
# enabled = true
# hosts = ["10.0.0.11"]       # default: the master hosts
# port = 8080
# Extra `mesos marathon` flags.
# flags = []
"#;

/// How to reach one host, and the address its daemons use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostSpec {
    /// As written in the file.
    pub host: String,
    /// IPv4 address the daemons bind and advertise.
    pub ip: String,
    pub ssh: SshTarget,
}

/// Where ZooKeeper comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZkSpec {
    None,
    External(String),
    Managed {
        hosts: Vec<String>,
        client_port: u16,
        peer_port: u16,
        election_port: u16,
    },
}

/// A validated cluster file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    pub path: PathBuf,
    pub name: String,
    /// Base dir on the hosts (`~` = the SSH user's home).
    pub work_dir: String,
    /// Every host named anywhere, by name.
    pub hosts: BTreeMap<String, HostSpec>,
    pub zookeeper: ZkSpec,
    pub masters: Vec<String>,
    pub master_port: u16,
    pub master_flags: Vec<String>,
    pub agents: Vec<String>,
    pub agent_port: u16,
    pub agent_resources: Option<String>,
    pub agent_attributes: Option<String>,
    pub agent_flags: Vec<String>,
    /// Hosts running `mesos marathon` (empty: none).
    pub marathon_hosts: Vec<String>,
    pub marathon_port: u16,
    pub marathon_flags: Vec<String>,
}

/// The port of `mesos marathon` when `[marathon]` gives none (Marathon's).
pub const DEFAULT_MARATHON_PORT: u16 = 8080;

impl Spec {
    /// The ZooKeeper URL the masters and agents use, if any.
    pub fn zk_url(&self) -> Option<String> {
        match &self.zookeeper {
            ZkSpec::None => None,
            ZkSpec::External(u) => Some(u.clone()),
            ZkSpec::Managed {
                hosts, client_port, ..
            } => {
                let list: Vec<String> = hosts
                    .iter()
                    .map(|h| format!("{}:{client_port}", self.hosts[h].ip))
                    .collect();
                Some(format!("zk://{}/mesos", list.join(",")))
            }
        }
    }

    /// Distinct hosts in order of first use (ZooKeeper, masters, agents).
    pub fn host_order(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let zk: Vec<String> = match &self.zookeeper {
            ZkSpec::Managed { hosts, .. } => hosts.clone(),
            _ => Vec::new(),
        };
        for h in zk
            .iter()
            .chain(&self.masters)
            .chain(&self.agents)
            .chain(&self.marathon_hosts)
        {
            if !out.contains(h) {
                out.push(h.clone());
            }
        }
        out
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    name: Spanned<String>,
    #[serde(default)]
    work_dir: Option<Spanned<String>>,
    #[serde(default)]
    ssh: Option<RawSsh>,
    #[serde(default)]
    hosts: Vec<RawHost>,
    #[serde(default)]
    zookeeper: Option<RawZk>,
    masters: Spanned<RawMasters>,
    #[serde(default)]
    agents: Option<RawAgents>,
    #[serde(default)]
    marathon: Option<RawMarathon>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarathon {
    #[serde(default)]
    enabled: Option<bool>,
    #[serde(default)]
    hosts: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    port: Option<Spanned<u16>>,
    #[serde(default)]
    flags: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSsh {
    #[serde(default)]
    user: Option<Spanned<String>>,
    #[serde(default)]
    port: Option<Spanned<u16>>,
    #[serde(default)]
    key_file: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHost {
    host: Spanned<String>,
    #[serde(default)]
    ip: Option<Spanned<String>>,
    #[serde(default)]
    user: Option<Spanned<String>>,
    #[serde(default)]
    port: Option<Spanned<u16>>,
    #[serde(default)]
    key_file: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawZk {
    #[serde(default)]
    url: Option<Spanned<String>>,
    #[serde(default)]
    hosts: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    client_port: Option<Spanned<u16>>,
    #[serde(default)]
    peer_port: Option<Spanned<u16>>,
    #[serde(default)]
    election_port: Option<Spanned<u16>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMasters {
    hosts: Spanned<Vec<String>>,
    #[serde(default)]
    port: Option<Spanned<u16>>,
    #[serde(default)]
    flags: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgents {
    hosts: Spanned<Vec<String>>,
    #[serde(default)]
    port: Option<Spanned<u16>>,
    #[serde(default)]
    resources: Option<Spanned<String>>,
    #[serde(default)]
    attributes: Option<Spanned<String>>,
    #[serde(default)]
    flags: Option<Spanned<Vec<String>>>,
}

/// Line (1-based) of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// `table.key` at a byte offset: the key of that line under the last
/// `[table]` / `[[table]]` header above it.
fn field_at(text: &str, offset: usize) -> Option<String> {
    let upto = &text[..offset.min(text.len())];
    let line_start = upto.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[line_start..]
        .find('\n')
        .map(|i| line_start + i)
        .unwrap_or(text.len());
    let line = &text[line_start..line_end];
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string())
        .filter(|k| !k.is_empty() && !k.starts_with('['));
    let table = upto[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
    match (table, key) {
        (Some(t), Some(k)) => Some(format!("{t}.{k}")),
        (None, Some(k)) => Some(k),
        (Some(t), None) if line.trim_start().starts_with('[') => Some(t),
        _ => None,
    }
}

struct Ctx<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Ctx<'_> {
    fn err(&self, span: Range<usize>, field: &str, msg: impl std::fmt::Display) -> Error {
        ClusterSpecError::Invalid {
            at: format!("{}:{}", self.path.display(), line_of(self.text, span.start)),
            msg: format!("{field}: {msg}"),
        }
        .into()
    }
}

/// Parse and validate a cluster file's text.
pub fn parse(text: &str, path: &Path) -> Result<Spec> {
    let raw: RawSpec = toml::from_str(text).map_err(|e| {
        let (line, field) = match e.span() {
            Some(s) => (Some(line_of(text, s.start)), field_at(text, s.start)),
            None => (None, None),
        };
        let mut msg = e.message().trim().to_string();
        if let Some(f) = field {
            msg = format!("{f}: {msg}");
        }
        let at = match line {
            Some(l) => format!("{}:{l}", path.display()),
            None => path.display().to_string(),
        };
        ClusterSpecError::Invalid { at, msg }
    })?;
    let c = Ctx { path, text };

    let name = raw.name.get_ref().clone();
    super::validate_name(&name).map_err(|e| c.err(raw.name.span(), "name", e.message))?;

    // SSH defaults and per-host overrides.
    let ssh = raw.ssh.unwrap_or_default();
    let default_user = match &ssh.user {
        Some(u) => u.get_ref().clone(),
        None => std::env::var("USER")
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "root".into()),
    };
    let port_ok = |p: &Option<Spanned<u16>>, field: &str| -> Result<()> {
        match p {
            Some(p) if *p.get_ref() == 0 => Err(c.err(p.span(), field, "port must be 1-65535")),
            _ => Ok(()),
        }
    };
    port_ok(&ssh.port, "ssh.port")?;
    let default_port = ssh.port.as_ref().map(|p| *p.get_ref()).unwrap_or(22);
    let default_key = ssh.key_file.as_ref().map(|k| k.get_ref().clone());
    let mut overrides: BTreeMap<String, &RawHost> = BTreeMap::new();
    for h in &raw.hosts {
        port_ok(&h.port, "hosts.port")?;
        if overrides.insert(h.host.get_ref().clone(), h).is_some() {
            return Err(c.err(
                h.host.span(),
                "hosts.host",
                format!("'{}' is listed twice", h.host.get_ref()),
            ));
        }
    }

    let mut hosts: BTreeMap<String, HostSpec> = BTreeMap::new();
    let mut add_host = |h: &str, span: Range<usize>, field: &str| -> Result<()> {
        if h.trim().is_empty() {
            return Err(c.err(span, field, "empty host name"));
        }
        if hosts.contains_key(h) {
            return Ok(());
        }
        let o = overrides.get(h);
        let ip = match o.and_then(|o| o.ip.as_ref()) {
            Some(ip) => {
                ip.get_ref()
                    .parse::<Ipv4Addr>()
                    .map_err(|_| c.err(ip.span(), "hosts.ip", format!("'{}' is not an IPv4 address", ip.get_ref())))?;
                ip.get_ref().clone()
            }
            None => resolve_ipv4(h).ok_or_else(|| {
                c.err(span.clone(), field, format!("cannot resolve host '{h}' to an IPv4 address (add a [[hosts]] entry with ip = \"...\")"))
            })?,
        };
        hosts.insert(
            h.to_string(),
            HostSpec {
                host: h.to_string(),
                ip,
                ssh: SshTarget {
                    host: h.to_string(),
                    port: o
                        .and_then(|o| o.port.as_ref())
                        .map(|p| *p.get_ref())
                        .unwrap_or(default_port),
                    user: o
                        .and_then(|o| o.user.as_ref())
                        .map(|u| u.get_ref().clone())
                        .unwrap_or_else(|| default_user.clone()),
                    key_file: o
                        .and_then(|o| o.key_file.as_ref())
                        .map(|k| k.get_ref().clone())
                        .or_else(|| default_key.clone()),
                },
            },
        );
        Ok(())
    };
    let unique = |list: &Spanned<Vec<String>>, field: &str| -> Result<()> {
        let mut seen = std::collections::BTreeSet::new();
        for h in list.get_ref() {
            if !seen.insert(h) {
                return Err(c.err(list.span(), field, format!("host '{h}' is listed twice")));
            }
        }
        Ok(())
    };

    // ZooKeeper.
    let zookeeper = match &raw.zookeeper {
        None => ZkSpec::None,
        Some(z) => match (&z.url, &z.hosts) {
            (Some(_), Some(h)) => {
                return Err(c.err(h.span(), "zookeeper.hosts", "give either zookeeper.url (a running ensemble) or zookeeper.hosts (managed), not both"))
            }
            (Some(u), None) => {
                match crate::leader::parse_master_spec(u.get_ref(), "http") {
                    Ok(crate::leader::MasterSpec::Zk(_)) => {}
                    Ok(_) => return Err(c.err(u.span(), "zookeeper.url", format!("'{}' is not a zk:// URL (zk://host:2181/mesos)", u.get_ref()))),
                    Err(e) => return Err(c.err(u.span(), "zookeeper.url", e.message)),
                }
                ZkSpec::External(u.get_ref().clone())
            }
            (None, Some(h)) => {
                let n = h.get_ref().len();
                if n == 0 || n % 2 == 0 {
                    return Err(c.err(h.span(), "zookeeper.hosts", format!("{n} ZooKeeper servers: use an odd number (1, 3 or 5); an ensemble needs a majority")));
                }
                unique(h, "zookeeper.hosts")?;
                for x in h.get_ref() {
                    add_host(x, h.span(), "zookeeper.hosts")?;
                }
                for (p, f) in [(&z.client_port, "zookeeper.client_port"), (&z.peer_port, "zookeeper.peer_port"), (&z.election_port, "zookeeper.election_port")] {
                    port_ok(p, f)?;
                }
                ZkSpec::Managed {
                    hosts: h.get_ref().clone(),
                    client_port: z.client_port.as_ref().map(|p| *p.get_ref()).unwrap_or(DEFAULT_CLIENT_PORT),
                    peer_port: z.peer_port.as_ref().map(|p| *p.get_ref()).unwrap_or(DEFAULT_PEER_PORT),
                    election_port: z.election_port.as_ref().map(|p| *p.get_ref()).unwrap_or(DEFAULT_ELECTION_PORT),
                }
            }
            (None, None) => return Err(c.err(0..0, "zookeeper", "give zookeeper.url or zookeeper.hosts")),
        },
    };

    // Masters.
    let m = raw.masters.get_ref();
    let n = m.hosts.get_ref().len();
    if n == 0 {
        return Err(c.err(
            m.hosts.span(),
            "masters.hosts",
            "at least one master is needed",
        ));
    }
    if n % 2 == 0 {
        return Err(c.err(
            m.hosts.span(),
            "masters.hosts",
            format!("{n} masters is even: use an odd number ({} or {}); the quorum of {n} is {}, so it survives no more failures than {}", n - 1, n + 1, super::quorum(n as u32), n - 1),
        ));
    }
    if n > 1 && zookeeper == ZkSpec::None {
        return Err(c.err(
            m.hosts.span(),
            "masters.hosts",
            format!("{n} masters need ZooKeeper: add [zookeeper] with url or hosts"),
        ));
    }
    unique(&m.hosts, "masters.hosts")?;
    for h in m.hosts.get_ref() {
        add_host(h, m.hosts.span(), "masters.hosts")?;
    }
    port_ok(&m.port, "masters.port")?;
    let flag_ok = |f: &Option<Spanned<Vec<String>>>, field: &str| -> Result<Vec<String>> {
        let Some(f) = f else { return Ok(Vec::new()) };
        for x in f.get_ref() {
            if !x.starts_with("--") {
                return Err(c.err(
                    f.span(),
                    field,
                    format!("'{x}' must look like --name=value"),
                ));
            }
        }
        Ok(f.get_ref().clone())
    };
    let master_flags = flag_ok(&m.flags, "masters.flags")?;

    // Agents.
    let (agents, agent_port, agent_resources, agent_attributes, agent_flags) = match &raw.agents {
        None => (Vec::new(), 5051, None, None, Vec::new()),
        Some(a) => {
            unique(&a.hosts, "agents.hosts")?;
            for h in a.hosts.get_ref() {
                add_host(h, a.hosts.span(), "agents.hosts")?;
            }
            port_ok(&a.port, "agents.port")?;
            if let Some(r) = &a.resources {
                crate::agent::parse_resources_flag(r.get_ref(), "*")
                    .map_err(|e| c.err(r.span(), "agents.resources", e))?;
            }
            if let Some(at) = &a.attributes {
                crate::resources::parse_attributes(at.get_ref())
                    .map_err(|e| c.err(at.span(), "agents.attributes", e))?;
            }
            (
                a.hosts.get_ref().clone(),
                a.port.as_ref().map(|p| *p.get_ref()).unwrap_or(5051),
                a.resources.as_ref().map(|r| r.get_ref().clone()),
                a.attributes.as_ref().map(|r| r.get_ref().clone()),
                flag_ok(&a.flags, "agents.flags")?,
            )
        }
    };
    let master_port = m.port.as_ref().map(|p| *p.get_ref()).unwrap_or(5050);
    // A master and an agent on one host need different ports.
    if agents.iter().any(|h| m.hosts.get_ref().contains(h)) && agent_port == master_port {
        let span = raw
            .agents
            .as_ref()
            .and_then(|a| a.port.as_ref())
            .map(|p| p.span())
            .unwrap_or(m.hosts.span());
        return Err(c.err(
            span,
            "agents.port",
            format!("port {agent_port} is also the masters' port on a shared host"),
        ));
    }
    if let ZkSpec::Managed {
        hosts: zh,
        client_port,
        peer_port,
        election_port,
    } = &zookeeper
    {
        let zk_ports = [*client_port, *peer_port, *election_port];
        let clash = |port: u16, hosts: &[String]| {
            hosts.iter().any(|h| zh.contains(h)) && zk_ports.contains(&port)
        };
        if clash(master_port, m.hosts.get_ref()) || clash(agent_port, &agents) {
            return Err(c.err(
                0..0,
                "zookeeper",
                "a ZooKeeper port is also a master or agent port on a shared host",
            ));
        }
    }
    // Marathon: on the master hosts unless told otherwise.
    let (marathon_hosts, marathon_port, marathon_flags) = match &raw.marathon {
        Some(mt) if mt.enabled == Some(false) => (Vec::new(), DEFAULT_MARATHON_PORT, Vec::new()),
        mt => {
            let mt = mt.as_ref();
            let mut list = m.hosts.get_ref().clone();
            if let Some(h) = mt.and_then(|x| x.hosts.as_ref()) {
                if h.get_ref().is_empty() {
                    return Err(c.err(
                        h.span(),
                        "marathon.hosts",
                        "no host: leave it out for the master hosts, or set enabled = false",
                    ));
                }
                unique(h, "marathon.hosts")?;
                for x in h.get_ref() {
                    add_host(x, h.span(), "marathon.hosts")?;
                }
                list = h.get_ref().clone();
            }
            let port = mt.and_then(|x| x.port.as_ref());
            port_ok(&port.cloned(), "marathon.port")?;
            let port_n = port.map(|p| *p.get_ref()).unwrap_or(DEFAULT_MARATHON_PORT);
            let flags = match mt {
                Some(x) => flag_ok(&x.flags, "marathon.flags")?,
                None => Vec::new(),
            };
            let span = port.map(|p| p.span()).unwrap_or(0..0);
            let shares = |hosts: &[String]| hosts.iter().any(|h| list.contains(h));
            if shares(m.hosts.get_ref()) && port_n == master_port
                || shares(&agents) && port_n == agent_port
            {
                return Err(c.err(
                    span,
                    "marathon.port",
                    format!("port {port_n} is also a master or agent port on a shared host"),
                ));
            }
            if let ZkSpec::Managed {
                hosts: zh,
                client_port,
                peer_port,
                election_port,
            } = &zookeeper
            {
                if shares(zh) && [*client_port, *peer_port, *election_port].contains(&port_n) {
                    return Err(c.err(
                        span,
                        "marathon.port",
                        format!("port {port_n} is also a ZooKeeper port on a shared host"),
                    ));
                }
            }
            (list, port_n, flags)
        }
    };
    let work_dir = match &raw.work_dir {
        Some(w) => {
            let v = w.get_ref().trim().to_string();
            if v.is_empty() || !(v.starts_with('/') || v == "~" || v.starts_with("~/")) {
                return Err(c.err(
                    w.span(),
                    "work_dir",
                    "must be an absolute path or start with ~/",
                ));
            }
            if v.contains(['\'', '"', '\n', '$', '`', '\\']) {
                return Err(c.err(w.span(), "work_dir", "must not contain quotes, $, ` or \\"));
            }
            v
        }
        None => format!("~/mesos-cluster/{name}"),
    };
    Ok(Spec {
        path: path.to_path_buf(),
        name,
        work_dir,
        hosts,
        zookeeper,
        masters: m.hosts.get_ref().clone(),
        master_port,
        master_flags,
        agents,
        agent_port,
        agent_resources,
        agent_attributes,
        agent_flags,
        marathon_hosts,
        marathon_port,
        marathon_flags,
    })
}

/// Read and parse a cluster file.
pub fn load(path: &Path) -> Result<Spec> {
    let text = std::fs::read_to_string(path).map_err(|source| ClusterSpecError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    parse(&text, &path)
}

/// A host name or address as IPv4.
fn resolve_ipv4(host: &str) -> Option<String> {
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Some(ip.to_string());
    }
    (host, 22)
        .to_socket_addrs()
        .ok()?
        .find(|a| a.is_ipv4())
        .map(|a| a.ip().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Spec> {
        parse(text, Path::new("c.toml"))
    }

    #[test]
    fn the_example_parses() {
        let s = p(EXAMPLE).unwrap();
        assert_eq!(s.name, "lab");
        assert_eq!(s.masters, ["10.0.0.11"]);
        assert_eq!(s.agents, ["10.0.0.11", "10.0.0.12"]);
        assert_eq!(s.zookeeper, ZkSpec::None);
        assert_eq!(s.hosts["10.0.0.12"].ssh.port, 22);
        assert_eq!(s.hosts["10.0.0.12"].ssh.user, "root");
        assert_eq!(s.host_order(), ["10.0.0.11", "10.0.0.12"]);
        assert_eq!(s.work_dir, "~/mesos-cluster/lab");
        // Marathon on the master host, on Marathon's port.
        assert_eq!(s.marathon_hosts, ["10.0.0.11"]);
        assert_eq!(s.marathon_port, DEFAULT_MARATHON_PORT);
    }

    #[test]
    fn marathon_hosts_port_and_switch() {
        let base = "name = \"x\"\n[masters]\nhosts = [\"127.0.0.2\"]\n";
        let s = p(&format!(
            "{base}[marathon]\nhosts = [\"127.0.0.3\"]\nport = 9090\nflags = [\"--mesos_role=web\"]\n"
        ))
        .unwrap();
        assert_eq!(s.marathon_hosts, ["127.0.0.3"]);
        assert_eq!(s.marathon_port, 9090);
        assert_eq!(s.marathon_flags, ["--mesos_role=web"]);
        assert_eq!(s.host_order(), ["127.0.0.2", "127.0.0.3"]);
        let off = p(&format!("{base}[marathon]\nenabled = false\n")).unwrap();
        assert!(off.marathon_hosts.is_empty());
        for (extra, want) in [
            ("[marathon]\nport = 5050\n", ":5: marathon.port: port 5050"),
            ("[marathon]\nhosts = []\n", ":5: marathon.hosts: no host"),
            ("[marathon]\nflags = [\"x\"]\n", ":5: marathon.flags:"),
            ("[marathon]\nport = 0\n", ":5: marathon.port:"),
        ] {
            let e = p(&format!("{base}{extra}")).unwrap_err();
            assert_eq!(e.exit_code(), 2);
            assert!(e.message.contains(want), "want {want:?} in {:?}", e.message);
        }
    }

    #[test]
    fn managed_zookeeper_and_host_overrides() {
        let s = p(r#"
name = "x"
[ssh]
user = "ops"
key_file = "/k"
[[hosts]]
host = "127.0.0.3"
port = 2222
user = "core"
[zookeeper]
hosts = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
client_port = 2182
[masters]
hosts = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
[agents]
hosts = ["127.0.0.2"]
resources = "cpus:1;mem:512"
"#)
        .unwrap();
        assert_eq!(
            s.zk_url().unwrap(),
            "zk://127.0.0.2:2182,127.0.0.3:2182,127.0.0.4:2182/mesos"
        );
        let h3 = &s.hosts["127.0.0.3"].ssh;
        assert_eq!(
            (h3.port, h3.user.as_str(), h3.key_file.as_deref()),
            (2222, "core", Some("/k"))
        );
        assert_eq!(s.hosts["127.0.0.2"].ssh.user, "ops");
    }

    #[test]
    fn errors_name_the_line_and_the_field() {
        let cases = [
            ("name = \"x\"\n[masters]\nhosts = [\"127.0.0.2\", \"127.0.0.3\"]\n", ":3: masters.hosts: 2 masters is even"),
            ("name = \"x\"\n[masters]\nhosts = [\"127.0.0.2\"]\nport = \"high\"\n", ":4: masters.port:"),
            ("name = \"x\"\n[masters]\nhosts = [\"127.0.0.2\"]\nhostz = 1\n", ":4: masters.hostz: unknown field"),
            ("name = \"bad name\"\n[masters]\nhosts = [\"127.0.0.2\"]\n", ":1: name:"),
            ("name = \"x\"\n[masters]\nhosts = [\"127.0.0.2\", \"127.0.0.3\", \"127.0.0.4\"]\n", ":3: masters.hosts: 3 masters need ZooKeeper"),
            ("name = \"x\"\n[zookeeper]\nhosts = [\"127.0.0.2\", \"127.0.0.3\"]\n[masters]\nhosts = [\"127.0.0.2\"]\n", ":3: zookeeper.hosts: 2 ZooKeeper servers"),
            ("name = \"x\"\n[masters]\nhosts = [\"127.0.0.2\"]\n[agents]\nhosts = [\"127.0.0.2\"]\nresources = \"cpus:many\"\n", ":6: agents.resources:"),
            ("name = \"x\"\n[masters]\nhosts = [\"127.0.0.2\"]\nflags = [\"quorum=1\"]\n", ":4: masters.flags:"),
            ("name = \"x\"\nwork_dir = \"relative\"\n[masters]\nhosts = [\"127.0.0.2\"]\n", ":2: work_dir:"),
            ("name = \"x\"\n[masters]\nhosts = [\"127.0.0.2\"]\n[agents]\nhosts = [\"127.0.0.2\"]\nport = 5050\n", ":6: agents.port:"),
        ];
        for (text, want) in cases {
            let e = p(text).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{text}");
            assert!(e.message.starts_with("c.toml:"), "{}", e.message);
            assert!(e.message.contains(want), "want {want:?} in {:?}", e.message);
        }
        let e = p("name = \"x\"\n").unwrap_err();
        assert!(e.message.contains("masters"), "{}", e.message);
    }
}
