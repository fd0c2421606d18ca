//! `mesos events`: the master's v1 event stream, or (--logs) the master
//! and agent logs interleaved.

use crate::wire::proto;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use futures_util::StreamExt;
use reqwest::{header, Method, StatusCode};
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::commands::files_common::{self, Out};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::leader::Leader;
use crate::output::OutputFormat;
use crate::recordio::Decoder;
use crate::sandbox::follow::{self, Event as FEvent, Handle, LineSplitter};
use crate::sandbox::Files;
use crate::tasks::format as fmt;
use crate::wire::v1::Event;

/// Follow cluster events: tasks, frameworks and agents as they change
///
/// Subscribes to the leading master's v1 operator event stream (SUBSCRIBE)
/// and prints one line per event: time (UTC), event type, the task, agent
/// or framework it is about, and the task state with any reason and
/// message. The first line summarises the state at subscription. Heartbeats
/// are shown with -v only. When the stream breaks or the leader changes,
/// the leader is resolved again and the stream resumed (a new SUBSCRIBED
/// line marks the point). --type keeps only some event types.
///
/// --ndjson prints every event as received (one JSON object per line, v1
/// protobuf JSON: `type` plus the payload object named after it, e.g.
/// `{"type":"TASK_UPDATED","task_updated":{...}}`).
///
/// --logs follows `/master/log` of the leader and `/slave/log` of every
/// agent instead (for masters without the v1 API, or to see why something
/// happened), lines interleaved by their timestamps and prefixed with
/// `[master]` or `[<agent host>]`. Agents that join later are added.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos events
  mesos events --type TASK_UPDATED,AGENT_REMOVED
  mesos events --ndjson | jq -c 'select(.type == \"TASK_UPDATED\") | .task_updated.status'
  mesos events --logs")]
pub struct EventsArgs {
    /// Only these event types (e.g. TASK_UPDATED,AGENT_ADDED; repeat or comma-separate)
    #[arg(long = "type", value_name = "TYPE", value_delimiter = ',')]
    pub types: Vec<String>,

    /// Follow the master and agent logs instead of the event stream
    #[arg(long, conflicts_with = "types")]
    pub logs: bool,

    /// With --logs: lines to print first from each log
    #[arg(
        short = 'n',
        long,
        value_name = "N",
        default_value_t = 0,
        requires = "logs"
    )]
    pub lines: usize,
}

pub async fn cmd_events(ctx: &Context, args: &EventsArgs) -> Result<()> {
    let http = ctx.http()?;
    let leader = ctx.leader(&http).await?;
    if args.logs {
        return follow_logs(ctx, &http, leader, args).await;
    }
    // Events are a stream: --json prints them one per line like --ndjson.
    let ndjson = matches!(ctx.output.format, OutputFormat::Json | OutputFormat::Ndjson);
    let types: Vec<String> = args
        .types
        .iter()
        .map(|t| t.trim().to_ascii_uppercase())
        .filter(|t| !t.is_empty())
        .collect();
    let mut leader = Some(leader);
    let mut failures = 0u32;
    let mut subscribed_once = false;
    loop {
        let l = match leader.take() {
            Some(l) => l,
            None => match ctx.leader(&http).await {
                Ok(l) => l,
                Err(e) => {
                    failures += 1;
                    if failures == 1 {
                        crate::output::warn(format!(
                            "cannot find the leading master: {}; retrying",
                            e.message
                        ));
                    }
                    tokio::time::sleep(backoff(failures)).await;
                    continue;
                }
            },
        };
        let began = std::time::Instant::now();
        match stream(
            &http,
            &l,
            ndjson,
            &types,
            ctx.verbose > 0,
            &mut subscribed_once,
        )
        .await
        {
            Ok(()) => {
                crate::output::warn(format!(
                    "event stream from {} ended; reconnecting",
                    l.leader
                ));
                // A stream that ends at once again and again must not spin.
                if began.elapsed() < Duration::from_secs(5) {
                    failures += 1;
                    tokio::time::sleep(backoff(failures)).await;
                } else {
                    failures = 0;
                }
            }
            Err(e) if e.kind == crate::error::ErrorKind::NotFound && !subscribed_once => {
                return Err(
                    e.with_hint("this master has no v1 operator API: try `mesos events --logs`")
                );
            }
            Err(e) if e.kind == crate::error::ErrorKind::Usage => return Err(e),
            Err(e) => {
                failures += 1;
                crate::output::warn(format!(
                    "event stream from {}: {}; reconnecting",
                    l.leader, e.message
                ));
                tokio::time::sleep(backoff(failures)).await;
            }
        }
    }
}

fn backoff(failures: u32) -> Duration {
    (Duration::from_millis(500) * failures.min(10)).min(Duration::from_secs(5))
}

/// One subscription: read events until the stream ends.
async fn stream(
    http: &HttpClient,
    leader: &Leader,
    ndjson: bool,
    types: &[String],
    verbose: bool,
    subscribed_once: &mut bool,
) -> Result<()> {
    let url = leader.endpoint("/master/api/v1");
    // `--wire protobuf`: a protobuf call and stream, read into the same
    // JSON the master writes (docs/wire-notes.md#protobuf).
    let media = proto::client_media();
    let call = proto::transcode_body(media, "mesos.v1.master.Call", br#"{"type":"SUBSCRIBE"}"#)
        .map_err(|e| Error::failed(format!("{url}: {e}")))?;
    let rb = http
        .stream_request(Method::POST, url.clone())
        .header(header::CONTENT_TYPE, media.as_str())
        .header(header::ACCEPT, media.as_str())
        .body(call);
    let resp = http.send(rb, &url).await?;
    let status = resp.status();
    if !status.is_success() {
        let body = resp.bytes().await.unwrap_or_default();
        let e = crate::http::status_error(&url, status, &body);
        return Err(if status == StatusCode::NOT_FOUND {
            e
        } else {
            Error::failed(e.message)
        });
    }
    let mut body = resp.bytes_stream();
    let mut dec = Decoder::new();
    let mut out = Out::new();
    loop {
        while let Some(rec) = dec
            .next_record()
            .map_err(|e| Error::failed(format!("{url}: {e}")))?
        {
            let rec = match proto::body_to_json(media, "mesos.v1.master.Event", &rec) {
                Ok(r) => r,
                Err(e) => {
                    crate::output::warn(format!(
                        "{url}: skipping an event that is not protobuf: {e}"
                    ));
                    continue;
                }
            };
            let v: Value = match serde_json::from_slice(&rec) {
                Ok(v) => v,
                Err(e) => {
                    crate::output::warn(format!("{url}: skipping an event that is not JSON: {e}"));
                    continue;
                }
            };
            // Typed for filtering and formatting; `--json` passes the
            // event through as the master wrote it.
            let event = Event::deserialize(&v).unwrap_or_default();
            let kind = event.kind.clone();
            if kind == "SUBSCRIBED" {
                *subscribed_once = true;
            }
            if !types.is_empty() && !types.contains(&kind) {
                continue;
            }
            if ndjson {
                out.json_line(&v)?;
            } else if let Some(line) = describe(event, &leader.leader, verbose) {
                out.line(&line)?;
            }
            out.flush()?;
        }
        match body.next().await {
            Some(Ok(chunk)) => dec.push(&chunk),
            Some(Err(e)) => {
                return Err(Error::failed(format!(
                    "connection lost: {}",
                    crate::http::root_cause(&e)
                )))
            }
            None => return Ok(()),
        }
    }
}

/// A readable line for one event (None for hidden heartbeats).
pub fn describe(e: Event, leader: &str, verbose: bool) -> Option<String> {
    let now = fmt::now_epoch();
    let kind = e.kind.as_str();
    let (time, subject, state, extra): (f64, String, String, String) = match kind {
        "HEARTBEAT" if !verbose => return None,
        "SUBSCRIBED" => {
            let s = e.subscribed.unwrap_or_default();
            let st = &s.get_state;
            let active = st
                .get_tasks
                .tasks
                .iter()
                .filter(|t| !t.state.is_terminal())
                .count();
            (
                now,
                format!("master={leader}"),
                String::new(),
                format!(
                    "agents={} frameworks={} active_tasks={active}",
                    st.get_agents.agents.len(),
                    st.get_frameworks.frameworks.len()
                ),
            )
        }
        "TASK_ADDED" => {
            let t = e.task_added.unwrap_or_default().task;
            let time = t.latest_timestamp().unwrap_or(now);
            let mut subj = format!("task={}", t.id);
            if !t.name.is_empty() && t.name != t.id {
                subj.push_str(&format!(" name={}", t.name));
            }
            subj.push_str(&format!(
                " framework={} agent={}",
                t.framework_id, t.slave_id
            ));
            (time, subj, t.state.as_str().to_string(), String::new())
        }
        "TASK_UPDATED" => {
            let u = e.task_updated.unwrap_or_default();
            let s = &u.status;
            let time = if s.timestamp > 0.0 { s.timestamp } else { now };
            let subj = format!(
                "task={} framework={} agent={}",
                s.task_id.as_deref().unwrap_or("?"),
                u.framework_id,
                s.agent_id.as_deref().unwrap_or("?")
            );
            let mut extra = String::new();
            if let Some(r) = &s.reason {
                extra.push_str(&format!("reason={r}"));
            }
            if let Some(m) = s.message.as_deref().filter(|m| !m.is_empty()) {
                if !extra.is_empty() {
                    extra.push(' ');
                }
                extra.push_str(&format!(
                    "message={}",
                    serde_json::to_string(m).unwrap_or_default()
                ));
            }
            let state = if s.state.as_str().is_empty() {
                u.state.as_str()
            } else {
                s.state.as_str()
            };
            (time, subj, state.to_string(), extra)
        }
        "FRAMEWORK_ADDED" | "FRAMEWORK_UPDATED" => {
            let f = e
                .framework_added
                .or(e.framework_updated)
                .unwrap_or_default()
                .framework;
            let i = &f.framework_info;
            (
                now,
                format!("framework={} name={}", i.id, quote(&i.name)),
                String::new(),
                format!("active={} connected={}", f.active, f.connected),
            )
        }
        "FRAMEWORK_REMOVED" => {
            let i = e.framework_removed.unwrap_or_default().framework_info;
            (
                now,
                format!("framework={} name={}", i.id, quote(&i.name)),
                String::new(),
                String::new(),
            )
        }
        "AGENT_ADDED" => {
            let a = e.agent_added.unwrap_or_default().agent;
            (
                now,
                format!("agent={} host={}", a.agent_info.id, a.agent_info.hostname),
                String::new(),
                a.pid.map(|p| format!("pid={p}")).unwrap_or_default(),
            )
        }
        "AGENT_REMOVED" => (
            now,
            format!("agent={}", e.agent_removed.unwrap_or_default().agent_id),
            String::new(),
            String::new(),
        ),
        _ => {
            let payload: BTreeMap<&String, &Value> = e.other.iter().collect();
            (
                now,
                String::new(),
                String::new(),
                serde_json::to_string(&payload).unwrap_or_default(),
            )
        }
    };
    let mut line = format!("{}  {:<17}", fmt::rfc3339(time), kind);
    for part in [subject, state, extra] {
        if !part.is_empty() {
            line.push_str("  ");
            line.push_str(&part);
        }
    }
    Some(line.trim_end().to_string())
}

fn quote(s: &str) -> String {
    if s.is_empty() || s.contains(char::is_whitespace) || s.contains('"') {
        serde_json::to_string(s).unwrap_or_default()
    } else {
        s.to_string()
    }
}

/// glog line `I0102 03:04:05.123456 ...` -> sortable key `0102 03:04:05.123456`.
pub fn glog_key(line: &[u8]) -> Option<String> {
    if line.len() < 21 || !matches!(line[0], b'I' | b'W' | b'E' | b'F') {
        return None;
    }
    let k = std::str::from_utf8(&line[1..21]).ok()?;
    let b = k.as_bytes();
    let ok = b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b' '
        && b[7] == b':'
        && b[10] == b':'
        && b[13] == b'.';
    ok.then(|| k.to_string())
}

/// A log being followed.
struct LogSource {
    label: String,
    last_key: String,
    splitter: LineSplitter,
}

/// The logs being followed and how to add more.
struct Logs<'a> {
    http: &'a HttpClient,
    /// Source key (`master <url>` / `agent <url>`) -> index in `sources`.
    known: HashMap<String, usize>,
    sources: Vec<LogSource>,
    tx: mpsc::UnboundedSender<FEvent>,
}

impl Logs<'_> {
    /// Add the leader's log and every agent's log not followed yet; print
    /// the last `lines` lines of each first (always on the first scan, when
    /// the start offset is the end of each log).
    async fn scan(&mut self, leader: &Leader, lines: usize, first: bool) -> Result<()> {
        let http = self.http;
        let mut wanted: Vec<(String, String, Files, &'static str)> = vec![(
            format!("master {}", leader.url),
            "master".into(),
            Files::master(http, leader.url.clone()),
            "/master/log",
        )];
        let agents: crate::wire::SlavesResponse =
            match crate::tasks::get_optional(http, &leader.endpoint("/master/slaves")).await? {
                Some(s) => s,
                None => {
                    let st = crate::tasks::master_state(http, leader).await?;
                    crate::wire::SlavesResponse {
                        slaves: st.slaves,
                        recovered_slaves: Vec::new(),
                    }
                }
            };
        for a in &agents.slaves {
            let addr = a.address();
            if let Some(base) = crate::tasks::agent_base(&leader.url, &a.id, addr.as_deref()) {
                let label = if a.hostname.is_empty() {
                    a.id.clone()
                } else {
                    a.hostname.clone()
                };
                // Keyed by address: an agent restarted under a new id is the same log.
                wanted.push((
                    format!("agent {base}"),
                    label,
                    Files::agent(http, base),
                    "/slave/log",
                ));
            }
        }
        for (key, label, files, path) in wanted {
            if self.known.contains_key(&key) {
                continue;
            }
            let files = Arc::new(files);
            let (start, data) = if first || lines > 0 {
                match files.tail(path, lines).await {
                    Ok((d, end)) => (end, d),
                    Err(e) => {
                        crate::output::warn(format!("[{label}] {path}: {}", e.message));
                        continue;
                    }
                }
            } else {
                (0, Vec::new())
            };
            let k = self.sources.len();
            self.known.insert(key, k);
            self.sources.push(LogSource {
                label,
                last_key: String::new(),
                splitter: LineSplitter::default(),
            });
            // One file per daemon: the default idle cap keeps 2 requests/s.
            let h = Handle::new(
                files,
                Arc::new(AtomicU64::new(follow::cap_for(1).as_millis() as u64)),
            );
            if !data.is_empty() {
                let _ = self.tx.send(FEvent::Data {
                    key: k,
                    offset: start - data.len() as u64,
                    data,
                });
            }
            tokio::spawn(follow::poll(k, path.to_string(), start, h, self.tx.clone()));
        }
        Ok(())
    }
}

async fn follow_logs(
    ctx: &Context,
    http: &HttpClient,
    mut leader: Leader,
    args: &EventsArgs,
) -> Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<FEvent>();
    let mut logs = Logs {
        http,
        known: HashMap::new(),
        sources: Vec::new(),
        tx,
    };
    logs.scan(&leader, args.lines, true).await?;
    if logs.sources.is_empty() {
        return Err(Error::not_found(
            "neither the master nor any agent serves a log (start them with --log_dir)",
        ));
    }
    let mut out = Out::new();
    let mut batch: Vec<(String, usize, usize, Vec<u8>)> = Vec::new();
    let mut seq = 0usize;
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let mut rescan = tokio::time::interval(Duration::from_secs(10));
    rescan.tick().await;
    loop {
        tokio::select! {
            ev = rx.recv() => {
                let Some(ev) = ev else { break };
                let sources = &mut logs.sources;
                match ev {
                    FEvent::Data { key, offset, data } => {
                        let src = &mut sources[key];
                        for (_, line) in src.splitter.push(offset, &data) {
                            if let Some(k) = glog_key(&line) {
                                src.last_key = k;
                            }
                            seq += 1;
                            batch.push((src.last_key.clone(), seq, key, line));
                        }
                    }
                    FEvent::Lost { key, message } => crate::output::warn(format!("[{}] {message}; retrying", sources[key].label)),
                    FEvent::Back { key, .. } => crate::output::status(format!("[{}] reconnected", sources[key].label)),
                    FEvent::Truncated { key } => sources[key].splitter.reset(),
                    FEvent::Done { .. } => {}
                }
            }
            _ = tick.tick() => {
                // Lines of one window, in timestamp order (stable per source).
                batch.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
                for (_, _, key, line) in batch.drain(..) {
                    let mut l = format!("[{}] ", logs.sources[key].label).into_bytes();
                    l.extend_from_slice(&line);
                    l.push(b'\n');
                    out.push(&l)?;
                }
                out.flush()?;
            }
            _ = rescan.tick() => {
                if let Ok(l) = ctx.leader(http).await {
                    leader = l;
                }
                if let Err(e) = logs.scan(&leader, 0, false).await {
                    crate::output::warn(format!("cannot list agents: {}", e.message));
                }
            }
        }
    }
    out.flush()?;
    files_common::flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glog_keys() {
        assert_eq!(
            glog_key(b"I0102 03:04:05.123456  1234 x.rs:1] hi").as_deref(),
            Some("0102 03:04:05.123456")
        );
        assert_eq!(glog_key(b"continuation"), None);
        assert_eq!(glog_key(b"I"), None);
    }

    #[test]
    fn describes_events() {
        let ev = |v: Value| -> Event { serde_json::from_value(v).unwrap() };
        let v: Value = serde_json::from_str(
            r#"{"type":"TASK_UPDATED","task_updated":{"framework_id":{"value":"F"},"state":"TASK_FAILED",
               "status":{"task_id":{"value":"t1"},"agent_id":{"value":"S1"},"state":"TASK_FAILED","timestamp":1700000000.5,
               "reason":"REASON_COMMAND_EXECUTOR_FAILED","message":"Command exited with status 3"}}}"#,
        )
        .unwrap();
        let l = describe(ev(v), "m:5050", false).unwrap();
        assert_eq!(
            l,
            "2023-11-14T22:13:20.500Z  TASK_UPDATED       task=t1 framework=F agent=S1  TASK_FAILED  reason=REASON_COMMAND_EXECUTOR_FAILED message=\"Command exited with status 3\""
        );
        assert!(describe(ev(serde_json::json!({"type":"HEARTBEAT"})), "m", false).is_none());
        assert!(describe(ev(serde_json::json!({"type":"HEARTBEAT"})), "m", true).is_some());
        let a = describe(ev(serde_json::json!({"type":"AGENT_REMOVED","agent_removed":{"agent_id":{"value":"S9"}}})), "m", false).unwrap();
        assert!(a.ends_with("AGENT_REMOVED      agent=S9"), "{a}");
    }
}
