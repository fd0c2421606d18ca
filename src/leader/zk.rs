//! Leader detection through ZooKeeper (docs/wire-notes.md#zookeeper).
//!
//! A short-lived reader: connect (trying every member of the ensemble), list
//! the children of the Mesos path, take the contender with the lowest
//! sequence number, read and decode its data, close the session. Every step
//! is bounded by the caller's deadline; when no member answers, the error
//! names each member tried and why it failed.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;
use zookeeper_client as zkc;

use super::LeaderError;
use crate::duration::format_duration;
use crate::leader::spec::ZkUrl;
use crate::wire::master_info::{parse_pid, Address};
use crate::wire::MasterInfo;

/// The leading master as found in ZooKeeper.
#[derive(Clone, Debug)]
pub struct ZkLeader {
    /// Decoded MasterInfo of the lowest-sequence contender.
    pub info: MasterInfo,
    /// Full znode path it was read from, e.g. `/mesos/json.info_0000000003`.
    pub znode: String,
    /// The other contenders that could be read, next in line first, as
    /// (znode, MasterInfo): who takes over if the leader is gone.
    pub standbys: Vec<(String, MasterInfo)>,
}

/// At most this many standbys are read (a real ensemble has 2 or 4).
const MAX_STANDBYS: usize = 8;

/// Session timeout we ask for. The server clamps it to its own bounds
/// (2x..20x its tick); a reader closes its session right away anyway.
const SESSION_TIMEOUT: Duration = Duration::from_secs(4);
/// Pause between two rounds over the whole ensemble.
const RETRY_PAUSE: Duration = Duration::from_millis(100);
/// How long to wait for the server to acknowledge the session close.
const CLOSE_WAIT: Duration = Duration::from_millis(250);
/// How often to re-list when the leader vanishes between list and read.
const LIST_RETRIES: usize = 5;

/// Find the leader under `zk.path`: list the children, keep names whose last
/// `_` token is a sequence number, take the lowest, decode its data.
/// Bounded by `timeout` overall; errors name every member tried.
pub async fn resolve_zk(zk: &ZkUrl, timeout: Duration) -> crate::error::Result<ZkLeader> {
    Ok(find_leader(zk, timeout).await?)
}

/// [`resolve_zk`] with the typed error, for the rest of leader resolution.
pub(super) async fn find_leader(zk: &ZkUrl, timeout: Duration) -> Result<ZkLeader, LeaderError> {
    let start = Instant::now();
    let deadline = start + timeout;
    // Per-member connection timeout: long enough for a slow WAN handshake,
    // short enough that a black-holed member leaves time for the others.
    let conn_timeout = (timeout / 3).clamp(Duration::from_millis(300), Duration::from_secs(2));
    // Start probing members for a diagnosis after the first failed round,
    // or halfway through the budget if the first round is still hanging.
    let probe_at = start + (timeout / 2).min(Duration::from_secs(1));
    let reasons: Reasons = Arc::new(Mutex::new(BTreeMap::new()));
    let mut probes: Vec<tokio::task::JoinHandle<()>> = Vec::new();
    let mut probing = false;
    let mut last_failure: Option<Retry> = None;

    let outcome = loop {
        let attempt = attempt(zk, conn_timeout, deadline);
        tokio::pin!(attempt);
        let result = loop {
            tokio::select! {
                r = &mut attempt => break Some(r),
                _ = tokio::time::sleep_until(probe_at), if !probing => {
                    probes = start_probes(&zk.hosts, deadline, &reasons);
                    probing = true;
                }
                _ = tokio::time::sleep_until(deadline) => break None,
            }
        };
        match result {
            None => break None,
            Some(Ok(leader)) => break Some(Ok(leader)),
            Some(Err(Failure::Fatal(e))) => break Some(Err(e)),
            Some(Err(Failure::Retry(r))) => {
                if !probing && r == Retry::NoSession {
                    probes = start_probes(&zk.hosts, deadline, &reasons);
                    probing = true;
                }
                last_failure = Some(r);
            }
        }
        let pause_end = (Instant::now() + RETRY_PAUSE).min(deadline);
        tokio::time::sleep_until(pause_end).await;
        if Instant::now() >= deadline {
            break None;
        }
    };
    for p in &probes {
        p.abort();
    }
    match outcome {
        Some(r) => r,
        None => Err(unreachable_error(zk, timeout, last_failure, &reasons)),
    }
}

/// Why one round failed, when it is worth another round.
#[derive(Clone, Debug, PartialEq)]
enum Retry {
    /// No member gave us a session.
    NoSession,
    /// A session was established but a read failed (connection loss, ...).
    Read(String),
}

enum Failure {
    /// Another round may succeed.
    Retry(Retry),
    /// A definitive answer (no such path, not authorized, bad data).
    Fatal(LeaderError),
}

/// One round: connect to any member, read the leader, close the session.
async fn attempt(
    zk: &ZkUrl,
    conn_timeout: Duration,
    deadline: Instant,
) -> std::result::Result<ZkLeader, Failure> {
    let mut connector = zkc::Client::connector()
        .with_session_timeout(SESSION_TIMEOUT)
        .with_connection_timeout(conn_timeout)
        // We only read: a member cut off from its quorum may still answer.
        .with_readonly(true)
        // Try each member once per round instead of cycling with backoff.
        .with_fail_eagerly();
    if let Some((user, pass)) = &zk.credentials {
        connector = connector.with_auth("digest", format!("{user}:{pass}").as_bytes());
    }
    let client = match connector.connect(&zk.connect_string()).await {
        Ok(c) => c,
        Err(zkc::Error::AuthFailed) => return Err(Failure::Fatal(auth_error(zk, None))),
        Err(zkc::Error::BadArguments(what)) => {
            return Err(Failure::Fatal(LeaderError::ZkBadArguments {
                zk: zk.to_string(),
                what: what.to_string(),
            }))
        }
        Err(_) => return Err(Failure::Retry(Retry::NoSession)),
    };
    let result = read_leader(&client, zk).await;
    close(client, deadline).await;
    result
}

/// Drop the client and give the server a moment to acknowledge the close, so
/// no session lingers on the ensemble. Bounded by the deadline.
async fn close(client: zkc::Client, deadline: Instant) {
    let mut state = client.state_watcher();
    drop(client);
    let until = (Instant::now() + CLOSE_WAIT).min(deadline);
    let _ = tokio::time::timeout_at(until, async {
        loop {
            if matches!(
                state.changed().await,
                zkc::SessionState::Closed
                    | zkc::SessionState::Expired
                    | zkc::SessionState::AuthFailed
            ) {
                break;
            }
        }
    })
    .await;
}

async fn read_leader(client: &zkc::Client, zk: &ZkUrl) -> std::result::Result<ZkLeader, Failure> {
    let path = zk.path.as_str();
    for _ in 0..LIST_RETRIES {
        let children = client
            .list_children(path)
            .await
            .map_err(|e| read_failure(e, zk, path))?;
        let Some(leader) = pick_leader(children.iter().map(String::as_str)) else {
            let others = children.len();
            let extra = if others == 0 {
                "it has no children".to_string()
            } else {
                format!("none of its {others} children is a contender")
            };
            return Err(Failure::Fatal(LeaderError::NoContender {
                path: path.to_string(),
                zk: zk.to_string(),
                detail: extra,
            }));
        };
        let znode = join_path(path, &leader.name);
        let data = match client.get_data(&znode).await {
            Ok((data, _)) => data,
            // The leader went away between the listing and the read: list again.
            Err(zkc::Error::NoNode) => continue,
            Err(e) => return Err(read_failure(e, zk, &znode)),
        };
        let info = decode_master_info(leader.label.as_deref(), &data).map_err(|why| {
            Failure::Fatal(LeaderError::BadZnode {
                znode: znode.clone(),
                zk: zk.to_string(),
                why: why.to_string(),
            })
        })?;
        let standbys = read_standbys(client, path, &children, &leader.name).await;
        return Ok(ZkLeader {
            info,
            znode,
            standbys,
        });
    }
    Err(Failure::Retry(Retry::Read(format!(
        "the leader under {path} kept changing while it was being read"
    ))))
}

/// The other contenders in order of sequence; any that vanished or cannot
/// be read or decoded are left out.
async fn read_standbys(
    client: &zkc::Client,
    path: &str,
    children: &[String],
    leader: &str,
) -> Vec<(String, MasterInfo)> {
    let mut others: Vec<Contender> = children
        .iter()
        .filter_map(|c| parse_child(c))
        .filter(|c| c.name != leader)
        .collect();
    others.sort_by(|a, b| {
        a.sequence
            .cmp(&b.sequence)
            .then_with(|| a.name.cmp(&b.name))
    });
    let mut out = Vec::new();
    for c in others.into_iter().take(MAX_STANDBYS) {
        let znode = join_path(path, &c.name);
        if let Ok((data, _)) = client.get_data(&znode).await {
            if let Ok(info) = decode_master_info(c.label.as_deref(), &data) {
                out.push((znode, info));
            }
        }
    }
    out
}

fn read_failure(e: zkc::Error, zk: &ZkUrl, znode: &str) -> Failure {
    match e {
        zkc::Error::NoNode => Failure::Fatal(LeaderError::NoContender {
            path: zk.path.clone(),
            zk: zk.to_string(),
            detail: format!("the znode {znode} does not exist"),
        }),
        zkc::Error::NoAuth => Failure::Fatal(auth_error(zk, Some(znode))),
        zkc::Error::AuthFailed => Failure::Fatal(auth_error(zk, None)),
        other => Failure::Retry(Retry::Read(format!("reading {znode} failed: {other}"))),
    }
}

/// Authentication/authorization failures. Never includes the password.
fn auth_error(zk: &ZkUrl, znode: Option<&str>) -> LeaderError {
    let credentials = zk.credentials.clone();
    let zk = zk.to_string();
    match (credentials, znode) {
        (Some((user, _)), Some(node)) => LeaderError::ZkCredentialsNotAllowed {
            user,
            zk,
            znode: node.to_string(),
        },
        (Some((user, _)), None) => LeaderError::ZkCredentialsRefused { user, zk },
        (None, Some(node)) => LeaderError::ZkNeedsCredentials {
            zk,
            znode: node.to_string(),
        },
        (None, None) => LeaderError::ZkSessionRefused { zk },
    }
}

fn join_path(parent: &str, child: &str) -> String {
    if parent.ends_with('/') {
        format!("{parent}{child}")
    } else {
        format!("{parent}/{child}")
    }
}

// ---------------------------------------------------------------------------
// Diagnosis of unreachable members.

/// Host index -> why it failed.
type Reasons = Arc<Mutex<BTreeMap<usize, String>>>;

/// Probe each member with a plain TCP connect (in the background) to tell the
/// user why it could not be used. Results land in `reasons`.
fn start_probes(
    hosts: &[String],
    deadline: Instant,
    reasons: &Reasons,
) -> Vec<tokio::task::JoinHandle<()>> {
    hosts
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let host = host.clone();
            let reasons = Arc::clone(reasons);
            tokio::spawn(async move {
                if let Ok(why) = tokio::time::timeout_at(deadline, probe(&host)).await {
                    reasons
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(i, why);
                }
            })
        })
        .collect()
}

async fn probe(host: &str) -> String {
    let addrs = match lookup(host).await {
        Ok(a) if a.is_empty() => return "cannot resolve host: no addresses".into(),
        Ok(a) => a,
        Err(e) => return format!("cannot resolve host: {e}"),
    };
    let mut last = String::new();
    for addr in addrs {
        match tokio::net::TcpStream::connect(addr).await {
            Ok(_) => return "accepts connections but gave no ZooKeeper session".into(),
            Err(e) => last = describe_io(&e),
        }
    }
    last
}

/// Resolve `host:port`. IP literals resolve in place; names are looked up on a
/// detached thread so a hanging resolver can never hold the process open.
async fn lookup(host: &str) -> std::io::Result<Vec<SocketAddr>> {
    if let Ok(a) = host.parse::<SocketAddr>() {
        return Ok(vec![a]);
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    let name = host.to_string();
    std::thread::Builder::new()
        .name("zk-lookup".into())
        .spawn(move || {
            use std::net::ToSocketAddrs;
            let _ = tx.send(name.to_socket_addrs().map(Iterator::collect::<Vec<_>>));
        })?;
    rx.await
        .unwrap_or_else(|_| Err(std::io::Error::other("lookup thread ended")))
}

fn describe_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused => "connection refused".into(),
        K::TimedOut => "timed out".into(),
        K::HostUnreachable => "host unreachable".into(),
        K::NetworkUnreachable => "network unreachable".into(),
        K::AddrNotAvailable => "address not available".into(),
        _ => e.to_string(),
    }
}

fn unreachable_error(
    zk: &ZkUrl,
    timeout: Duration,
    last: Option<Retry>,
    reasons: &Reasons,
) -> LeaderError {
    let within = budget(timeout);
    if let Some(Retry::Read(why)) = last {
        return LeaderError::ZkUnreadable {
            zk: zk.to_string(),
            within,
            why,
        };
    }
    let reasons = reasons.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let per_host: Vec<(String, String)> = zk
        .hosts
        .iter()
        .enumerate()
        .map(|(i, h)| {
            (
                h.clone(),
                reasons
                    .get(&i)
                    .cloned()
                    .unwrap_or_else(|| "no answer".into()),
            )
        })
        .collect();
    LeaderError::ZkUnreachable {
        zk: zk.to_string(),
        within,
        tried: group_reasons(&per_host),
    }
}

/// The budget as the user gave it: the caller passes what remains of the
/// deadline (`1.99995s` of `--timeout 2s`), so round it for display.
fn budget(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    let step = if ms >= 1000.0 {
        100.0
    } else if ms >= 100.0 {
        10.0
    } else {
        1.0
    };
    let rounded = ((ms / step).round() * step).max(1.0);
    format_duration(Duration::from_millis(rounded as u64))
}

/// `a, b (connection refused); c (no answer)`: members grouped by reason, in
/// the order of first appearance.
fn group_reasons(per_host: &[(String, String)]) -> String {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (host, why) in per_host {
        match groups.iter_mut().find(|(w, _)| w == why) {
            Some((_, hosts)) => hosts.push(host.clone()),
            None => groups.push((why.clone(), vec![host.clone()])),
        }
    }
    groups
        .iter()
        .map(|(why, hosts)| format!("{} ({why})", hosts.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

// ---------------------------------------------------------------------------
// Child names and znode data.

/// A child of the Mesos path that takes part in the election.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contender {
    pub name: String,
    /// `json.info`, `info`, or none for a digits-only name.
    pub label: Option<String>,
    pub sequence: i32,
}

/// Split on `_`: the last token must be a 32-bit sequence number, the first
/// (when there are several) is the label. Anything else is not a contender
/// (`log_replicas`, locks, junk).
pub fn parse_child(name: &str) -> Option<Contender> {
    let tokens: Vec<&str> = name.split('_').collect();
    let last = *tokens.last()?;
    if last.is_empty()
        || !last
            .bytes()
            .enumerate()
            .all(|(i, b)| b.is_ascii_digit() || (i == 0 && b == b'-'))
    {
        return None;
    }
    let sequence: i32 = last.parse().ok()?;
    let label = (tokens.len() >= 2).then(|| tokens[0].to_string());
    Some(Contender {
        name: name.to_string(),
        label,
        sequence,
    })
}

/// The contender with the smallest sequence, whatever its label.
pub fn pick_leader<'a>(children: impl IntoIterator<Item = &'a str>) -> Option<Contender> {
    children.into_iter().filter_map(parse_child).min_by(|a, b| {
        a.sequence
            .cmp(&b.sequence)
            .then_with(|| a.name.cmp(&b.name))
    })
}

/// Decode a contender's data according to its label.
pub fn decode_master_info(
    label: Option<&str>,
    data: &[u8],
) -> std::result::Result<MasterInfo, String> {
    match label {
        Some("json.info") => {
            serde_json::from_slice(data).map_err(|e| format!("invalid MasterInfo JSON: {e}"))
        }
        Some("info") => decode_protobuf_master_info(data),
        None => {
            let text = std::str::from_utf8(data)
                .map_err(|_| "legacy pid node does not hold UTF-8 text".to_string())?
                .trim();
            let (host, port) = parse_pid(text).ok_or_else(|| {
                format!(
                    "legacy pid node holds '{}', not master@ip:port",
                    crate::error::excerpt(text.as_bytes(), 80)
                )
            })?;
            Ok(MasterInfo {
                pid: Some(text.to_string()),
                address: Some(Address {
                    hostname: None,
                    ip: Some(host),
                    port: Some(port),
                }),
                port: Some(port),
                ..Default::default()
            })
        }
        Some(other) => Err(format!(
            "unknown contender label '{other}' (expected json.info, info or a bare sequence)"
        )),
    }
}

/// The 0.23-era binary protobuf MasterInfo: id=1, ip=2, port=3, pid=4,
/// hostname=5, version=6, address=7 {hostname=1, ip=2, port=3}.
fn decode_protobuf_master_info(data: &[u8]) -> std::result::Result<MasterInfo, String> {
    let bad = |e: &str| format!("invalid protobuf MasterInfo: {e}");
    let mut info = MasterInfo::default();
    for field in ProtoReader::new(data) {
        let (number, value) = field.map_err(|e| bad(&e))?;
        match (number, value) {
            (1, Value::Bytes(b)) => info.id = Some(utf8(b).map_err(|e| bad(&e))?),
            (2, Value::Varint(v)) => info.ip = Some(v as u32),
            (3, Value::Varint(v)) => info.port = u16::try_from(v).ok(),
            (4, Value::Bytes(b)) => info.pid = Some(utf8(b).map_err(|e| bad(&e))?),
            (5, Value::Bytes(b)) => info.hostname = Some(utf8(b).map_err(|e| bad(&e))?),
            (6, Value::Bytes(b)) => info.version = Some(utf8(b).map_err(|e| bad(&e))?),
            (7, Value::Bytes(b)) => {
                let mut a = Address::default();
                for f in ProtoReader::new(b) {
                    match f.map_err(|e| bad(&e))? {
                        (1, Value::Bytes(b)) => a.hostname = Some(utf8(b).map_err(|e| bad(&e))?),
                        (2, Value::Bytes(b)) => a.ip = Some(utf8(b).map_err(|e| bad(&e))?),
                        (3, Value::Varint(v)) => a.port = u16::try_from(v).ok(),
                        _ => {}
                    }
                }
                info.address = Some(a);
            }
            _ => {}
        }
    }
    if info.pid.is_none() && info.ip.is_none() && info.hostname.is_none() && info.address.is_none()
    {
        return Err(bad("it names no pid, ip, hostname or address"));
    }
    Ok(info)
}

fn utf8(b: &[u8]) -> std::result::Result<String, String> {
    String::from_utf8(b.to_vec()).map_err(|_| "a string field is not UTF-8".to_string())
}

#[derive(Debug, PartialEq)]
enum Value<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    /// Fixed-width fields, skipped.
    Other,
}

/// A minimal protobuf wire-format reader: yields `(field number, value)`.
struct ProtoReader<'a> {
    buf: &'a [u8],
    failed: bool,
}

impl<'a> ProtoReader<'a> {
    fn new(buf: &'a [u8]) -> Self {
        ProtoReader { buf, failed: false }
    }

    fn varint(&mut self) -> std::result::Result<u64, String> {
        let mut v: u64 = 0;
        for i in 0..10 {
            let (&b, rest) = self.buf.split_first().ok_or("truncated varint")?;
            self.buf = rest;
            v |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("varint longer than 10 bytes".into())
    }

    fn take(&mut self, n: usize) -> std::result::Result<&'a [u8], String> {
        if self.buf.len() < n {
            return Err("truncated field".into());
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }

    fn field(&mut self) -> std::result::Result<(u64, Value<'a>), String> {
        let key = self.varint()?;
        let number = key >> 3;
        if number == 0 {
            return Err("field number 0".into());
        }
        let value = match key & 7 {
            0 => Value::Varint(self.varint()?),
            1 => {
                self.take(8)?;
                Value::Other
            }
            2 => {
                let len = usize::try_from(self.varint()?).map_err(|_| "length too large")?;
                Value::Bytes(self.take(len)?)
            }
            5 => {
                self.take(4)?;
                Value::Other
            }
            w => return Err(format!("unsupported wire type {w}")),
        };
        Ok((number, value))
    }
}

impl<'a> Iterator for ProtoReader<'a> {
    type Item = std::result::Result<(u64, Value<'a>), String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.buf.is_empty() {
            return None;
        }
        let r = self.field();
        self.failed = r.is_err();
        Some(r)
    }
}

#[cfg(test)]
#[path = "zk_tests.rs"]
mod tests;
