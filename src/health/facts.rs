//! Gathers what the health checks look at. Nothing here judges: a master
//! that does not answer is recorded with the reason, and the checks decide.
//!
//! Requests, all in parallel and each bounded by `--timeout`:
//! * every master (the `--master` list, or every contender registered in
//!   ZooKeeper for `zk://`): `/metrics/snapshot` (elected, uptime),
//!   `/master/redirect` (whom it names as leader) and `/version`, with the
//!   `Date` header of each answer for clock skew;
//! * the leader: `/master/state` (agents, frameworks, tasks with their
//!   status timestamps, flags);
//! * every agent the leader lists as active: `/version` and its `Date`;
//! * every ZooKeeper member of a `zk://` spec: `ruok` and `mntr`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::stream::{self, StreamExt};
use reqwest::{header, Method, Url};

use super::zk4lw;
use crate::error::Result;
use crate::http::HttpClient;
use crate::leader::{self, display_address, endpoint, MasterSpec};
use crate::wire::{MasterState, Metrics, Version};

/// At most this many agents are asked at once.
const AGENT_FANOUT: usize = 32;

/// Everything the checks need.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// The local clock (Unix seconds) when gathering ended.
    pub now: f64,
    /// Every master found, in the order given (leader first for ZooKeeper).
    pub masters: Vec<MasterFacts>,
    /// How many masters the configuration implies: the `--master` list's
    /// length, or 2×quorum−1 from the leader's `--quorum` flag.
    pub expected_masters: Option<usize>,
    /// Where the master list came from (`--master list`, `ZooKeeper zk://..`).
    pub masters_from: String,
    /// ZooKeeper members and their answers (only for `zk://`).
    pub zk: Option<Vec<ZkMember>>,
    /// Why the masters could not be read from ZooKeeper, if so.
    pub zk_error: Option<String>,
    /// The leader's `/master/state`.
    pub state: Option<MasterState>,
    /// Why there is no state (no leader, or its state failed).
    pub state_error: Option<String>,
    /// The leader's clock (from its `Date`) when its state was taken, for
    /// ages computed from the state's own timestamps.
    pub leader_clock: Option<f64>,
    /// Active agents and what their `/version` said.
    pub agents: Vec<AgentFacts>,
    /// Task id -> when an earlier run first saw it STAGING or STARTING
    /// (local Unix seconds; see [`super::memory`]).
    pub first_seen: std::collections::HashMap<String, f64>,
}

/// One master.
#[derive(Clone, Debug, Default)]
pub struct MasterFacts {
    /// `host:port` (or the base URL for https / prefixes).
    pub address: String,
    /// Why it did not answer (None: it answered its metrics snapshot).
    pub error: Option<String>,
    /// `master/elected == 1`.
    pub elected: Option<bool>,
    /// `master/uptime_secs`.
    pub uptime_secs: Option<f64>,
    /// The `host:port` its `/master/redirect` names (None: names nobody).
    pub follows: Option<String>,
    pub version: Option<String>,
    /// Its clock minus ours, in seconds (from `Date`, ±1 s).
    pub clock_offset: Option<f64>,
}

/// One active agent.
#[derive(Clone, Debug, Default)]
pub struct AgentFacts {
    pub id: String,
    pub hostname: String,
    pub error: Option<String>,
    pub version: Option<String>,
    pub clock_offset: Option<f64>,
}

/// One ZooKeeper member.
#[derive(Clone, Debug)]
pub struct ZkMember {
    pub address: String,
    /// The `ruok` answer (`imok` when healthy).
    pub ruok: std::result::Result<String, String>,
    /// The `mntr` answer.
    pub mntr: std::result::Result<String, String>,
}

impl Facts {
    /// The elected master, if one says so.
    pub fn leader(&self) -> Option<&MasterFacts> {
        self.masters.iter().find(|m| m.elected == Some(true))
    }
}

/// Unix seconds now.
pub fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// Gather the facts for `spec` (a `--master` value).
pub async fn gather(
    spec: &str,
    http: &HttpClient,
    scheme: &str,
    timeout: Duration,
    expect_masters: Option<usize>,
) -> Result<Facts> {
    let mut facts = Facts::default();
    let (urls, zk) = match follow_files(spec, scheme)? {
        MasterSpec::Hosts(urls) => {
            facts.masters_from = "the --master list".into();
            (urls, None)
        }
        MasterSpec::File(path) => {
            return Err(crate::error::Error::usage(format!(
                "--master: too many file:// indirections at {}",
                path.display()
            )))
        }
        MasterSpec::Zk(zk) => {
            facts.masters_from = format!("ZooKeeper {zk}");
            let urls = match leader::zk::resolve_zk(&zk, timeout).await {
                Ok(found) => std::iter::once(&found.info)
                    .chain(found.standbys.iter().map(|(_, i)| i))
                    .filter_map(|info| {
                        let host = info.connect_host()?;
                        let port = info.port_number().unwrap_or(5050);
                        let host = if host.contains(':') {
                            format!("[{host}]")
                        } else {
                            host
                        };
                        Url::parse(&format!("{scheme}://{host}:{port}")).ok()
                    })
                    .collect(),
                Err(e) => {
                    facts.zk_error = Some(e.message.clone());
                    Vec::new()
                }
            };
            (urls, Some(zk))
        }
    };
    let listed = urls.len();

    let zk_probe = async {
        match &zk {
            Some(zk) => Some(
                futures_util::future::join_all(zk.hosts.iter().map(|h| probe_zk(h, timeout))).await,
            ),
            None => None,
        }
    };
    let masters = futures_util::future::join_all(urls.iter().map(|u| probe_master(u, http)));
    let (zk_members, masters) = tokio::join!(zk_probe, masters);
    facts.zk = zk_members;
    facts.masters = masters;

    let leader_url = facts
        .masters
        .iter()
        .zip(&urls)
        .find(|(m, _)| m.elected == Some(true))
        .map(|(_, u)| u.clone());
    match leader_url {
        Some(url) => match get_state(&url, http).await {
            Ok((state, clock)) => {
                facts.leader_clock = clock;
                facts.agents = probe_agents(&url, &state, http).await;
                facts.state = Some(state);
            }
            Err(e) => facts.state_error = Some(e.message),
        },
        None => facts.state_error = Some("no master says it is the elected leader".into()),
    }

    let from_quorum = facts
        .state
        .as_ref()
        .filter(|_| zk.is_some())
        .and_then(|s| s.flags.get("quorum"))
        .and_then(|q| q.parse::<usize>().ok())
        .map(|q| 2 * q - 1);
    facts.expected_masters = expect_masters.or(match (zk.is_some(), from_quorum) {
        (true, Some(q)) => Some(q.max(listed)),
        (true, None) => None,
        (false, _) => Some(listed),
    });
    facts.now = unix_now();
    Ok(facts)
}

/// How many `file://` indirections one `--master` may go through.
const MAX_SPEC_FILES: usize = 16;

/// Parse `spec`, reading `file://` specs (first line that is neither empty
/// nor a `#` comment) until a list or `zk://` comes out.
fn follow_files(spec: &str, scheme: &str) -> Result<MasterSpec> {
    let mut parsed = leader::parse_master_spec(spec, scheme)?;
    for _ in 0..MAX_SPEC_FILES {
        let MasterSpec::File(path) = &parsed else {
            return Ok(parsed);
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            crate::error::Error::usage(format!("cannot read --master file {}: {e}", path.display()))
        })?;
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .ok_or_else(|| {
                crate::error::Error::usage(format!("--master file {} is empty", path.display()))
            })?;
        parsed = leader::parse_master_spec(line, scheme)?;
    }
    Ok(parsed)
}

/// GET with the CLI's settings, no redirects; the answer, its `Date` as
/// the node's clock offset from ours, or why it failed.
async fn get(
    http: &HttpClient,
    url: Url,
) -> std::result::Result<(reqwest::Response, Option<f64>), String> {
    let sent = unix_now();
    let resp = http
        .request(Method::GET, url, false)
        .send()
        .await
        .map_err(|e| crate::http::root_cause(&e))?;
    let received = unix_now();
    let offset = resp
        .headers()
        .get(header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_http_date)
        // `Date` has whole seconds: its middle is half a second later.
        .map(|d| d + 0.5 - (sent + received) / 2.0);
    Ok((resp, offset))
}

async fn probe_master(url: &Url, http: &HttpClient) -> MasterFacts {
    let mut m = MasterFacts {
        address: display_address(url),
        ..Default::default()
    };
    let snapshot = async {
        let (resp, offset) = get(http, endpoint(url, "/metrics/snapshot")).await?;
        let status = resp.status();
        let body = resp.bytes().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("/metrics/snapshot answered {status}"));
        }
        let metrics: Metrics = serde_json::from_slice(&body)
            .map_err(|e| format!("/metrics/snapshot is not a metrics snapshot: {e}"))?;
        Ok((metrics, offset))
    };
    let redirect = async {
        let (resp, _) = get(http, endpoint(url, "/master/redirect")).await.ok()?;
        let loc = resp.headers().get(header::LOCATION)?.to_str().ok()?;
        Some(location_host_port(loc))
    };
    let version = async {
        let (resp, _) = get(http, endpoint(url, "/version")).await.ok()?;
        let v: Version = resp.json().await.ok()?;
        Some(v.version)
    };
    let (snapshot, follows, version) = tokio::join!(snapshot, redirect, version);
    match snapshot {
        Ok((metrics, offset)) => {
            m.elected = Some(metrics.is_elected());
            m.uptime_secs = metrics.get("master/uptime_secs");
            m.clock_offset = offset;
        }
        Err(e) => m.error = Some(e),
    }
    m.follows = follows;
    m.version = version;
    m
}

async fn get_state(
    url: &Url,
    http: &HttpClient,
) -> Result<(MasterState, Option<f64>), crate::error::Error> {
    let state_url = endpoint(url, "/master/state");
    let sent = unix_now();
    let (resp, offset) = get(http, state_url.clone())
        .await
        .map_err(|e| crate::error::Error::failed(format!("GET {state_url}: {e}")))?;
    let status = resp.status();
    let body = resp
        .bytes()
        .await
        .map_err(|e| crate::error::Error::failed(format!("GET {state_url}: {e}")))?;
    let state: MasterState = crate::http::decode_json(&state_url, status, &body)?;
    Ok((state, offset.map(|o| sent + o)))
}

async fn probe_agents(leader: &Url, state: &MasterState, http: &HttpClient) -> Vec<AgentFacts> {
    let active: Vec<_> = state.slaves.iter().filter(|a| a.active).collect();
    stream::iter(active)
        .map(|a| async move {
            let mut f = AgentFacts {
                id: a.id.clone(),
                hostname: a.hostname.clone(),
                version: a.version.clone(),
                ..Default::default()
            };
            let Some(base) = crate::tasks::agent_base(leader, &a.id, a.address().as_deref()) else {
                f.error = Some("no address known".into());
                return f;
            };
            match get(http, endpoint(&base, "/version")).await {
                Ok((resp, offset)) => {
                    f.clock_offset = offset;
                    if let Ok(v) = resp.json::<Version>().await {
                        f.version = Some(v.version);
                    }
                }
                Err(e) => f.error = Some(e),
            }
            f
        })
        .buffered(AGENT_FANOUT)
        .collect()
        .await
}

async fn probe_zk(member: &str, timeout: Duration) -> ZkMember {
    let (ruok, mntr) = tokio::join!(
        zk4lw::ask(member, "ruok", timeout),
        zk4lw::ask(member, "mntr", timeout)
    );
    ZkMember {
        address: member.to_string(),
        ruok,
        mntr,
    }
}

/// `//host:port/...` or `http://host:port/...` → `host:port`.
pub fn location_host_port(location: &str) -> String {
    location
        .split_once("//")
        .map_or(location, |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) as Unix seconds.
pub fn parse_http_date(s: &str) -> Option<f64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [_, day, month, year, hms, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m == month)? as u8 + 1;
    let mut t = hms.split(':').map(|x| x.parse::<u8>().ok());
    let (h, m, sec) = (t.next()??, t.next()??, t.next()??);
    let date = time::Date::from_calendar_date(
        year.parse().ok()?,
        time::Month::try_from(month).ok()?,
        day.parse().ok()?,
    )
    .ok()?;
    let dt = date.with_hms(h, m, sec).ok()?.assume_utc();
    Some(dt.unix_timestamp() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_and_redirect_locations_parse() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784111777.0)
        );
        assert_eq!(parse_http_date("yesterday"), None);
        assert_eq!(location_host_port("//127.0.0.1:5050"), "127.0.0.1:5050");
        assert_eq!(location_host_port("http://M1:5050/master/state"), "m1:5050");
    }
}
