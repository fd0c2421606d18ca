//! Which agents a fan-out command (`scp`, `node exec`) or `node ssh` works
//! on: the master's `/master/slaves`, filtered by `--agent` (id, id prefix,
//! hostname, hostname prefix or IP) and `--attribute NAME:VALUE`.

use std::collections::BTreeMap;

use clap::Args;
use serde::Deserialize;

use crate::error::Result;
use crate::http::HttpClient;
use crate::leader::Leader;
use crate::remote::conn::check_host;
use crate::remote::RemoteError;
use crate::tasks::get_optional;
use crate::wire::resources::attribute_string;
use crate::wire::Agent;

/// `--agent`, `--attribute`.
#[derive(Clone, Debug, Default, Args)]
pub struct AgentSelectArgs {
    /// Only this agent: id, id prefix, hostname, hostname prefix or IP (repeat or comma-separate)
    #[arg(
        long,
        value_name = "AGENT",
        value_delimiter = ',',
        help_heading = "Agent selection"
    )]
    pub agent: Vec<String>,

    /// Only agents with this attribute: NAME:VALUE, or NAME for any value (repeatable; all must match)
    #[arg(long, value_name = "NAME:VALUE", help_heading = "Agent selection")]
    pub attribute: Vec<String>,
}

#[derive(Deserialize)]
struct Slaves {
    #[serde(default, alias = "agents")]
    slaves: Vec<Agent>,
}

/// Every agent registered with the leader (`/master/slaves`, else the
/// agents of `/master/state`).
pub async fn fetch(http: &HttpClient, leader: &Leader) -> Result<Vec<Agent>> {
    if let Some(s) = get_optional::<Slaves>(http, &leader.endpoint("/master/slaves")).await? {
        return Ok(s.slaves);
    }
    Ok(crate::tasks::master_state(http, leader).await?.slaves)
}

/// The IP of an agent (from its pid / address).
pub fn agent_ip(a: &Agent) -> Option<String> {
    let addr = a.address()?;
    addr.rsplit_once(':').map(|(h, _)| h.to_string())
}

/// The name to SSH to: the hostname the agent registered with, else its IP.
pub fn ssh_name(a: &Agent) -> String {
    if !a.hostname.is_empty() {
        a.hostname.clone()
    } else {
        agent_ip(a).unwrap_or_default()
    }
}

/// Agents matching one query: exact id, hostname or IP first, else id or
/// hostname prefix.
pub fn matching<'a>(agents: &'a [Agent], q: &str) -> Vec<&'a Agent> {
    let exact: Vec<&Agent> = agents
        .iter()
        .filter(|a| a.id == q || a.hostname == q || agent_ip(a).as_deref() == Some(q))
        .collect();
    if !exact.is_empty() || q.is_empty() {
        return exact;
    }
    agents
        .iter()
        .filter(|a| a.id.starts_with(q) || a.hostname.starts_with(q))
        .collect()
}

/// Parse `NAME:VALUE` (or `NAME`).
fn parse_attribute(s: &str) -> Result<(String, Option<String>)> {
    let (k, v) = match s.split_once(':') {
        Some((k, v)) => (k.trim(), Some(v.trim().to_string())),
        None => (s.trim(), None),
    };
    if k.is_empty() {
        return Err(RemoteError::AttributeWithoutName(s.to_string()).into());
    }
    Ok((k.to_string(), v))
}

/// The selected agents: those named by `--agent` (all active ones when
/// none is given) that have every `--attribute`. Exit 4 when a `--agent`
/// matches nothing or nothing is left.
pub fn select<'a>(agents: &'a [Agent], args: &AgentSelectArgs) -> Result<Vec<&'a Agent>> {
    let attrs = args
        .attribute
        .iter()
        .map(|a| parse_attribute(a))
        .collect::<Result<Vec<_>>>()?;
    let mut picked: Vec<&Agent> = Vec::new();
    let queries: Vec<&str> = args
        .agent
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if queries.is_empty() {
        picked = agents.iter().filter(|a| a.active).collect();
    } else {
        for q in queries {
            let m = matching(agents, q);
            if m.is_empty() {
                return Err(RemoteError::NoAgentMatches(q.to_string()).into());
            }
            for a in m {
                if !picked.iter().any(|p| p.id == a.id) {
                    picked.push(a);
                }
            }
        }
    }
    picked.retain(|a| {
        attrs.iter().all(|(k, v)| match (a.attributes.get(k), v) {
            (Some(_), None) => true,
            (Some(have), Some(want)) => attribute_string(have) == *want,
            (None, _) => false,
        })
    });
    if picked.is_empty() {
        let by_attribute = !args.attribute.is_empty();
        return Err(if agents.is_empty() {
            RemoteError::NoAgents { by_attribute }
        } else {
            RemoteError::NoneSelected { by_attribute }
        }
        .into());
    }
    Ok(picked)
}

/// One SSH destination and the agents on it (several agents may share a
/// host, e.g. a dev cluster; each host is visited once).
#[derive(Clone, Debug)]
pub struct HostGroup {
    /// The name to SSH to (agent hostname, else IP).
    pub host: String,
    pub agent_ids: Vec<String>,
}

/// Group agents by SSH name, in first-seen order; refuse hostile names.
pub fn group_by_host(agents: &[&Agent]) -> Result<Vec<HostGroup>> {
    let mut order: Vec<String> = Vec::new();
    let mut by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for a in agents {
        let h = ssh_name(a);
        if h.is_empty() {
            crate::output::warn(format!("agent {} has no hostname or IP; skipped", a.id));
            continue;
        }
        check_host(&h)?;
        if !by.contains_key(&h) {
            order.push(h.clone());
        }
        by.entry(h).or_default().push(a.id.clone());
    }
    Ok(order
        .into_iter()
        .map(|h| HostGroup {
            agent_ids: by.remove(&h).unwrap_or_default(),
            host: h,
        })
        .collect())
}

/// Exactly one agent for `query`: the only match, an interactive choice
/// (stdin and stderr are terminals), or exit 4 listing the candidates.
pub fn pick_one<'a>(agents: &'a [Agent], query: &str) -> Result<&'a Agent> {
    let interactive = crate::output::picker::interactive();
    pick_one_with(agents, query, interactive)
}

fn pick_one_with<'a>(agents: &'a [Agent], query: &str, interactive: bool) -> Result<&'a Agent> {
    let mut m = matching(agents, query);
    match m.len() {
        0 => Err(RemoteError::NoAgentMatches(query.to_string()).into()),
        1 => Ok(m.remove(0)),
        n => {
            let lines: Vec<String> = m
                .iter()
                .map(|a| {
                    format!(
                        "{}  {}  {}",
                        a.id,
                        if a.hostname.is_empty() {
                            "-"
                        } else {
                            &a.hostname
                        },
                        a.address().unwrap_or_else(|| "-".into())
                    )
                })
                .collect();
            if interactive {
                let choice = crate::output::picker::pick(
                    &format!("{n} agents match '{query}'; pick one"),
                    &lines,
                )?;
                return match choice {
                    Some(i) => Ok(m.remove(i)),
                    None => Err(RemoteError::NoAgentChosen.into()),
                };
            }
            Err(RemoteError::AmbiguousAgent {
                count: n,
                query: query.to_string(),
                candidates: lines.join("; "),
            }
            .into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(id: &str, host: &str, ip: &str, active: bool, attrs: serde_json::Value) -> Agent {
        serde_json::from_value(serde_json::json!({
            "id": id, "hostname": host, "pid": format!("slave(1)@{ip}:5051"),
            "active": active, "attributes": attrs
        }))
        .unwrap()
    }

    fn agents() -> Vec<Agent> {
        vec![
            agent(
                "S0",
                "a1.lab",
                "10.0.0.1",
                true,
                serde_json::json!({"rack": "r1", "gpu": 2}),
            ),
            agent(
                "S1",
                "a2.lab",
                "10.0.0.2",
                true,
                serde_json::json!({"rack": "r2"}),
            ),
            agent(
                "S10",
                "b1.lab",
                "10.0.0.3",
                false,
                serde_json::json!({"rack": "r1"}),
            ),
            agent("S11", "a1.lab", "10.0.0.1", true, serde_json::json!({})),
        ]
    }

    fn ids(v: &[&Agent]) -> Vec<String> {
        v.iter().map(|a| a.id.clone()).collect()
    }

    #[test]
    fn selection_by_agent_and_attribute() {
        let a = agents();
        let all = select(&a, &AgentSelectArgs::default()).unwrap();
        assert_eq!(
            ids(&all),
            ["S0", "S1", "S11"],
            "inactive agents only when named"
        );
        let s = AgentSelectArgs {
            agent: vec!["S1".into()],
            ..Default::default()
        };
        assert_eq!(
            ids(&select(&a, &s).unwrap()),
            ["S1"],
            "exact id beats prefix"
        );
        let s = AgentSelectArgs {
            agent: vec!["b1".into(), "10.0.0.2".into()],
            ..Default::default()
        };
        assert_eq!(ids(&select(&a, &s).unwrap()), ["S10", "S1"]);
        let s = AgentSelectArgs {
            attribute: vec!["rack:r1".into()],
            ..Default::default()
        };
        assert_eq!(ids(&select(&a, &s).unwrap()), ["S0"]);
        let s = AgentSelectArgs {
            attribute: vec!["gpu:2".into()],
            ..Default::default()
        };
        assert_eq!(ids(&select(&a, &s).unwrap()), ["S0"]);
        let s = AgentSelectArgs {
            attribute: vec!["rack".into()],
            ..Default::default()
        };
        assert_eq!(ids(&select(&a, &s).unwrap()), ["S0", "S1"]);
        let s = AgentSelectArgs {
            agent: vec!["nope".into()],
            ..Default::default()
        };
        assert_eq!(select(&a, &s).unwrap_err().exit_code(), 4);
        let s = AgentSelectArgs {
            attribute: vec!["rack:r9".into()],
            ..Default::default()
        };
        assert_eq!(select(&a, &s).unwrap_err().exit_code(), 4);
        let s = AgentSelectArgs {
            attribute: vec![":x".into()],
            ..Default::default()
        };
        assert_eq!(select(&a, &s).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn hosts_are_visited_once() {
        let a = agents();
        let all = select(&a, &AgentSelectArgs::default()).unwrap();
        let g = group_by_host(&all).unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].host, "a1.lab");
        assert_eq!(g[0].agent_ids, ["S0", "S11"]);
        let bad = agent(
            "S9",
            "-oProxyCommand=x",
            "10.0.0.9",
            true,
            serde_json::json!({}),
        );
        assert!(group_by_host(&[&bad]).is_err());
    }

    #[test]
    fn one_agent() {
        let a = agents();
        assert_eq!(pick_one_with(&a, "S10", false).unwrap().id, "S10");
        assert_eq!(pick_one_with(&a, "a2", false).unwrap().id, "S1");
        assert_eq!(pick_one_with(&a, "zz", false).unwrap_err().exit_code(), 4);
        // Two agents on a1.lab: ambiguous.
        let e = pick_one_with(&a, "a1.lab", false).unwrap_err();
        assert_eq!(e.exit_code(), 4);
        assert!(
            e.message.contains("S0") && e.message.contains("S11"),
            "{}",
            e.message
        );
    }
}
