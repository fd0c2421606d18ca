//! ZooKeeper names a leader until its session expires (10 s by default in
//! Mesos), so right after a leader dies it still names the dead one. Before
//! handing out a leader found in ZooKeeper, ask it over HTTP
//! (`/master/redirect`, with the CLI's own TLS and credential settings). Any
//! HTTP answer, a 401 included, proves it is up; a refused, reset or silent
//! connection does not. When it is down, ask the other contenders whether
//! one of them leads by now, and read ZooKeeper again until one does or the
//! `--timeout` budget runs out; then say that the leader is down and which
//! contenders were tried.

use std::time::Duration;

use futures_util::future::join_all;
use reqwest::{header, Method, Url};
use tokio::time::Instant;

use super::{endpoint, leader_from_zk, zk, Leader, LeaderError, ZkUrl};
use crate::http::HttpClient;

/// Pause between two readings of ZooKeeper while the leader is down.
const RETRY_PAUSE: Duration = Duration::from_millis(500);
/// Below this much budget, another round cannot finish: report instead.
const LAST_ROUND: Duration = Duration::from_millis(400);

/// What a master said to `GET /master/redirect`.
#[derive(Clone, Debug, PartialEq)]
enum Answer {
    /// It answered; `Location` of its redirect, if any (`//host:port`).
    Up(Option<String>),
    /// It did not answer: why.
    Down(String),
}

/// The leader ZooKeeper names under `zk`, confirmed to answer; else the
/// contender that leads by now; else an error naming what was tried.
pub(super) async fn live_zk_leader(
    zk: &ZkUrl,
    http: &HttpClient,
    scheme: &str,
    deadline: Instant,
) -> Result<Leader, LeaderError> {
    let mut report: Option<String> = None;
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let found = match zk::find_leader(zk, remaining).await {
            Ok(f) => f,
            // ZooKeeper itself went quiet late in the budget: what we
            // learnt about the masters is the better answer.
            Err(e) => return Err(report.map_or(e, |r| down_error(zk, &r))),
        };
        let standbys = found.standbys.clone();
        let leader = leader_from_zk(zk, found, scheme)?;
        let budget = probe_budget(deadline);
        let why = match ask(&leader.url, http, budget).await {
            Answer::Up(_) => return Ok(leader),
            Answer::Down(why) => why,
        };
        // Does another contender lead by now (its redirect names itself)?
        let others: Vec<Leader> = standbys
            .into_iter()
            .filter_map(|(znode, info)| {
                let found = zk::ZkLeader {
                    info,
                    znode,
                    standbys: Vec::new(),
                };
                leader_from_zk(zk, found, scheme).ok()
            })
            .collect();
        let answers = join_all(others.iter().map(|o| ask(&o.url, http, budget))).await;
        let mut tried = vec![format!("{} ({why})", leader.leader)];
        for (other, answer) in others.into_iter().zip(answers) {
            match answer {
                Answer::Up(Some(loc)) if names(&other.url, &loc) => {
                    let mut other = other;
                    other.via = format!(
                        "{} (ZooKeeper still lists {}, which does not answer)",
                        other.via, leader.leader
                    );
                    return Ok(other);
                }
                Answer::Up(Some(loc)) => tried.push(format!(
                    "{} (standby, follows {})",
                    other.leader,
                    loc.trim_start_matches("//")
                )),
                Answer::Up(None) => tried.push(format!("{} (standby)", other.leader)),
                Answer::Down(why) => tried.push(format!("{} ({why})", other.leader)),
            }
        }
        report = Some(format!("tried {}", tried.join(", ")));
        if deadline.saturating_duration_since(Instant::now()) < LAST_ROUND + RETRY_PAUSE {
            return Err(down_error(zk, report.as_deref().unwrap_or_default()));
        }
        tokio::time::sleep(RETRY_PAUSE).await;
    }
}

/// Time one probe may take: a third of what is left (so a silent leader
/// leaves room for the standbys and another round), at least 500 ms.
fn probe_budget(deadline: Instant) -> Duration {
    let left = deadline.saturating_duration_since(Instant::now());
    (left / 3).max(Duration::from_millis(500)).min(left)
}

async fn ask(base: &Url, http: &HttpClient, budget: Duration) -> Answer {
    let url = endpoint(base, "/master/redirect");
    let request = http
        .request(Method::GET, url, false)
        .timeout(budget.max(Duration::from_millis(1)));
    match request.send().await {
        Ok(resp) => Answer::Up(
            resp.headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        ),
        Err(e) if e.is_timeout() => Answer::Down(format!(
            "no answer within {}",
            crate::duration::format_duration(budget)
        )),
        Err(e) if crate::http::server_unreachable(&e) => Answer::Down(crate::http::root_cause(&e)),
        // The TLS handshake failed: someone is there, the settings differ.
        Err(_) => Answer::Up(None),
    }
}

/// Does a redirect `Location` (`//host:port`, maybe with a scheme) name `url`?
fn names(url: &Url, location: &str) -> bool {
    let target = location
        .split_once("//")
        .map_or(location, |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or_default();
    target.eq_ignore_ascii_case(&host_port(url))
}

fn host_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    let port = url.port_or_known_default().unwrap_or_default();
    format!("{host}:{port}")
}

fn down_error(zk: &ZkUrl, report: &str) -> LeaderError {
    LeaderError::LeaderDown {
        zk: zk.to_string(),
        report: report.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_names_its_own_master() {
        let u = Url::parse("http://127.0.0.1:5051").unwrap();
        assert!(names(&u, "//127.0.0.1:5051"));
        assert!(names(&u, "http://127.0.0.1:5051/master/state"));
        assert!(!names(&u, "//127.0.0.1:5050"));
        assert!(!names(&u, "//127.0.0.1:50510"));
        let tls = Url::parse("https://m1.example:5050").unwrap();
        assert!(names(&tls, "//M1.example:5050"));
        assert_eq!(super::super::display_address(&u), "127.0.0.1:5051");
    }
}
