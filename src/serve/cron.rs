//! `mesos serve cron`: runs a shell command (`sh -c`) on a schedule —
//! every `--every` interval and/or at the minutes of a cron expression
//! (`--schedule`, UTC; see [`super::schedule`]) — one run at a time, and
//! keeps the last runs: `GET /runs` shows them (newest first) with the next
//! due time, `/health` is `200` while the scheduler loop is alive.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use time::OffsetDateTime;

use super::schedule::CronExpr;

/// How many bytes of a run's output are kept.
pub const OUTPUT_TAIL: usize = 4096;

/// What to run when.
#[derive(Clone, Debug)]
pub struct CronOptions {
    pub command: String,
    pub every: Option<Duration>,
    /// The expression as given, and parsed.
    pub schedule: Option<(String, CronExpr)>,
    /// How many runs to keep.
    pub keep: usize,
}

/// One finished run.
#[derive(Clone, Debug, Serialize)]
pub struct RunRecord {
    pub number: u64,
    /// ISO-8601 UTC.
    pub started: String,
    pub finished: String,
    pub duration_ms: u64,
    /// `None` when the command was killed by a signal or did not start.
    pub exit_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signal: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The end of stdout followed by the end of stderr.
    pub output: String,
}

#[derive(Default)]
struct Status {
    runs: VecDeque<RunRecord>,
    count: u64,
    running: bool,
    next: Option<String>,
}

struct Cron {
    opts: CronOptions,
    status: Mutex<Status>,
    alive: AtomicBool,
}

#[derive(Serialize)]
struct RunsBody<'a> {
    command: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    every: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule: Option<&'a str>,
    running: bool,
    /// When the next run is due (ISO-8601 UTC).
    next: Option<String>,
    /// Runs so far (including those no longer kept).
    total: u64,
    runs: Vec<RunRecord>,
}

/// The router and the scheduler loop (run it next to the server; it only
/// ends if something breaks).
pub fn start(opts: CronOptions) -> (Router, impl std::future::Future<Output = ()>) {
    let cron = Arc::new(Cron {
        opts,
        status: Mutex::new(Status::default()),
        alive: AtomicBool::new(true),
    });
    let router = Router::new()
        .route("/health", get(health))
        .route("/runs", get(runs))
        .route("/", get(runs))
        .with_state(cron.clone());
    (router, scheduler(cron))
}

async fn health(State(cron): State<Arc<Cron>>) -> Response {
    if cron.alive.load(Ordering::Relaxed) {
        super::health().await
    } else {
        super::text(
            StatusCode::SERVICE_UNAVAILABLE,
            "the scheduler loop is not running\n",
        )
    }
}

async fn runs(State(cron): State<Arc<Cron>>) -> Response {
    let st = cron.status.lock().unwrap();
    let body = RunsBody {
        command: &cron.opts.command,
        every: cron.opts.every.map(crate::duration::format_mesos_duration),
        schedule: cron.opts.schedule.as_ref().map(|(t, _)| t.as_str()),
        running: st.running,
        next: st.next.clone(),
        total: st.count,
        runs: st.runs.iter().rev().cloned().collect(),
    };
    super::json(StatusCode::OK, &body)
}

fn iso(t: OffsetDateTime) -> String {
    crate::datetime::iso_millis((t.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// How long until the next run, given when the last one started.
fn next_wait(opts: &CronOptions, last: Instant, now: Instant, wall: OffsetDateTime) -> Duration {
    let every = opts
        .every
        .map(|e| (last + e).saturating_duration_since(now));
    let cron = opts.schedule.as_ref().and_then(|(_, e)| {
        let at = e.next_after(wall)?;
        Some(Duration::try_from(at - wall).unwrap_or_default())
    });
    match (every, cron) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
        // Unreachable with validated options; wait long rather than spin.
        (None, None) => Duration::from_secs(3600),
    }
}

async fn scheduler(cron: Arc<Cron>) {
    struct Dead<'a>(&'a AtomicBool);
    impl Drop for Dead<'_> {
        fn drop(&mut self) {
            self.0.store(false, Ordering::Relaxed);
        }
    }
    let _dead = Dead(&cron.alive);
    let mut last = Instant::now();
    loop {
        let wall = OffsetDateTime::now_utc();
        let wait = next_wait(&cron.opts, last, Instant::now(), wall);
        let due = wall + wait;
        cron.status.lock().unwrap().next = Some(iso(due));
        tokio::time::sleep(wait).await;
        last = Instant::now();
        let number = {
            let mut st = cron.status.lock().unwrap();
            st.count += 1;
            st.running = true;
            st.count
        };
        let record = run_once(&cron.opts.command, number).await;
        crate::info!(
            "cron run {number}: {}",
            match (record.exit_code, record.signal, &record.error) {
                (_, _, Some(e)) => e.clone(),
                (Some(c), _, _) => format!("exited with status {c}"),
                (None, Some(s), _) => format!("killed by signal {s}"),
                _ => "ended".to_string(),
            }
        );
        let mut st = cron.status.lock().unwrap();
        st.running = false;
        st.runs.push_back(record);
        while st.runs.len() > cron.opts.keep.max(1) {
            st.runs.pop_front();
        }
    }
}

async fn run_once(command: &str, number: u64) -> RunRecord {
    use std::os::unix::process::ExitStatusExt;
    let started = OffsetDateTime::now_utc();
    let clock = Instant::now();
    let out = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output()
        .await;
    let finished = OffsetDateTime::now_utc();
    let mut record = RunRecord {
        number,
        started: iso(started),
        finished: iso(finished),
        duration_ms: clock.elapsed().as_millis() as u64,
        exit_code: None,
        signal: None,
        error: None,
        output: String::new(),
    };
    match out {
        Ok(o) => {
            use std::io::Write as _;
            // The runs' output also goes to this service's own logs.
            let _ = std::io::stdout().write_all(&o.stdout);
            let _ = std::io::stderr().write_all(&o.stderr);
            record.exit_code = o.status.code();
            record.signal = o.status.signal();
            let mut both = o.stdout;
            both.extend_from_slice(&o.stderr);
            let from = both.len().saturating_sub(OUTPUT_TAIL);
            record.output = String::from_utf8_lossy(&both[from..]).into_owned();
        }
        Err(e) => record.error = Some(format!("cannot run sh -c: {e}")),
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_for_the_sooner_of_interval_and_schedule() {
        let now = Instant::now();
        let wall = OffsetDateTime::from_unix_timestamp(1_800_000_030).unwrap(); // hh:mm:30
        let mut opts = CronOptions {
            command: "true".into(),
            every: Some(Duration::from_secs(10)),
            schedule: None,
            keep: 5,
        };
        assert_eq!(next_wait(&opts, now, now, wall), Duration::from_secs(10));
        opts.every = Some(Duration::from_secs(300));
        opts.schedule = Some(("* * * * *".into(), CronExpr::parse("* * * * *").unwrap()));
        assert_eq!(next_wait(&opts, now, now, wall), Duration::from_secs(30));
        opts.every = None;
        assert_eq!(next_wait(&opts, now, now, wall), Duration::from_secs(30));
    }

    #[tokio::test]
    async fn a_run_records_its_exit_code_and_output() {
        let r = run_once("echo out; echo err >&2; exit 3", 7).await;
        assert_eq!((r.number, r.exit_code, r.signal), (7, Some(3), None));
        assert_eq!(r.output, "out\nerr\n");
    }
}
