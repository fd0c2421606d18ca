//! `mesos state [AGENT]`: the raw state JSON of the leader or of one agent.

use clap::Args;
use reqwest::Url;
use serde::Deserialize;

use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::http::HttpClient;
use crate::leader::{endpoint, Leader};
use crate::output::{write_stdout, OutputFormat};

/// Print the state of the leading master or of one agent as JSON
///
/// Without AGENT prints the leader's /master/state (falling back to
/// /master/state.json for masters older than 0.25). With AGENT (an agent id,
/// id prefix, or hostname) prints that agent's /slave(1)/state. --summary
/// prints /master/state-summary instead, which is much smaller on big
/// clusters. Pretty-printed on a terminal, compact otherwise.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos state | jq '.slaves | length'
  mesos state --summary
  mesos state a1.example.net | jq '.frameworks[].executors[].directory'")]
pub struct StateArgs {
    /// Agent id, id prefix or hostname
    #[arg(value_name = "AGENT")]
    pub agent: Option<String>,

    /// Use /master/state-summary (agents and frameworks with task counts)
    #[arg(long, conflicts_with = "agent")]
    pub summary: bool,
}

pub async fn cmd_state(ctx: &Context, args: &StateArgs) -> Result<()> {
    let StateArgs { agent, summary } = args;
    let http = ctx.http()?;
    let leader = ctx.leader(&http).await?;
    let body = match (agent, summary) {
        (None, true) => fetch_first(&http, &leader.url, &["/master/state-summary"]).await?,
        (None, false) => {
            fetch_first(&http, &leader.url, &["/master/state", "/master/state.json"]).await?
        }
        (Some(a), _) => {
            let base = find_agent(&http, &leader, a).await?;
            fetch_first(&http, &base, &["/slave(1)/state", "/slave(1)/state.json"]).await?
        }
    };
    print_json_body(ctx, &body)
}

/// GET the first path that exists (404 moves on to the next) and check it is JSON.
pub async fn fetch_first(http: &HttpClient, base: &Url, paths: &[&str]) -> Result<bytes::Bytes> {
    let mut last = None;
    for p in paths {
        let url = endpoint(base, p);
        let (status, body) = http.get_raw(&url).await?;
        if status == reqwest::StatusCode::NOT_FOUND {
            last = Some(crate::http::status_error(&url, status, &body));
            continue;
        }
        // Validate (status, JSON) without building a tree.
        crate::http::decode_json::<serde::de::IgnoredAny>(&url, status, &body)?;
        return Ok(body);
    }
    Err(last.unwrap_or_else(|| Error::failed("no endpoint to ask")))
}

/// Pretty on a terminal; the bytes as received (compact) otherwise.
fn print_json_body(ctx: &Context, body: &[u8]) -> Result<()> {
    let pretty = ctx.output.stdout_tty && ctx.output.format != OutputFormat::Ndjson;
    if pretty {
        let v: serde_json::Value = serde_json::from_slice(body)
            .map_err(|e| Error::failed(format!("state is not valid JSON: {e}")))?;
        return ctx.output.json_value(&v);
    }
    let trimmed = body.trim_ascii();
    if trimmed.contains(&b'\n') {
        // Re-encode compactly so one document is one line.
        let v: serde_json::Value = serde_json::from_slice(trimmed)
            .map_err(|e| Error::failed(format!("state is not valid JSON: {e}")))?;
        return crate::output::write_ndjson_line(&v);
    }
    let mut out = trimmed.to_vec();
    out.push(b'\n');
    write_stdout(&out)
}

#[derive(Deserialize)]
struct SlavesResponse {
    #[serde(default, alias = "agents")]
    slaves: Vec<SlaveEntry>,
}

#[derive(Deserialize)]
struct SlaveEntry {
    #[serde(default)]
    id: String,
    #[serde(default)]
    hostname: String,
    #[serde(default)]
    pid: String,
}

/// Find one agent by id, id prefix or hostname and return its base URL.
pub async fn find_agent(http: &HttpClient, leader: &Leader, query: &str) -> Result<Url> {
    let url = leader.endpoint("/master/slaves");
    let slaves: SlavesResponse = match http.get_json(&url).await {
        Ok(s) => s,
        Err(e) if e.kind == ErrorKind::NotFound => {
            http.get_json(&leader.endpoint("/master/state.json"))
                .await?
        }
        Err(e) => return Err(e),
    };
    let all = &slaves.slaves;
    let exact: Vec<&SlaveEntry> = all
        .iter()
        .filter(|s| s.id == query || s.hostname == query)
        .collect();
    let matches = if exact.is_empty() {
        all.iter()
            .filter(|s| s.id.starts_with(query) || s.hostname.starts_with(query))
            .collect()
    } else {
        exact
    };
    match matches.as_slice() {
        [] => Err(Error::not_found(format!(
            "no agent matches '{query}' ({} agents registered)",
            all.len()
        ))),
        [one] => {
            let (host, port) = crate::wire::master_info::parse_pid(&one.pid).ok_or_else(|| {
                Error::failed(format!(
                    "agent {} has an unreadable pid '{}'",
                    one.id, one.pid
                ))
            })?;
            let scheme = leader.url.scheme();
            Url::parse(&format!("{scheme}://{host}:{port}"))
                .map_err(|e| Error::failed(format!("agent {} address {host}:{port}: {e}", one.id)))
        }
        many => Err(Error::not_found(format!(
            "'{query}' matches {} agents: {}",
            many.len(),
            many.iter()
                .map(|s| format!("{} ({})", s.id, s.hostname))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .with_hint("give a longer id prefix or the full hostname")),
    }
}
