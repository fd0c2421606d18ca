//! `--follow`: stream a task's sandbox `stdout` and `stderr` to our stdout
//! and stderr while it runs (like `docker run`).
//!
//! The sandbox is found in the agent's `/slave(1)/state` (the executor's
//! `directory`; a task-group task's files are under `tasks/<id>/`). The
//! files are read by the same pollers as `mesos tail -f`
//! ([`crate::sandbox::follow`]: v1 `READ_FILE`, byte-exact, with a
//! `/files/read` fallback; reads back off to one per second per file when
//! idle, so no busy polling). When the task is terminal the follower is
//! told to finish: the pollers read to the end of both files and stop.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use tokio::sync::{mpsc, watch};

use crate::http::HttpClient;
use crate::leader::endpoint;
use crate::sandbox::follow::{cap_for, poll, Event, Handle};
use crate::sandbox::Files;
use crate::wire::AgentState;

/// Where a task's files are.
#[derive(Clone, Debug)]
pub struct Target {
    pub agent: Url,
    pub framework_id: String,
    pub executor_id: String,
    /// `tasks/<id>` for task-group tasks, empty for command tasks.
    pub subdir: String,
    /// Prefix for each output line (`[task] `) when several tasks are followed.
    pub prefix: Option<String>,
}

/// A running follower.
pub struct Follower {
    finish: watch::Sender<bool>,
    handle: tokio::task::JoinHandle<()>,
}

impl Follower {
    /// Start following.
    pub fn spawn(http: HttpClient, target: Target) -> Follower {
        let (tx, rx) = watch::channel(false);
        let handle = tokio::spawn(run(http, target, rx));
        Follower { finish: tx, handle }
    }

    /// Read what is left, then stop; waits at most `limit`.
    pub async fn finish(self, limit: Duration) {
        let _ = self.finish.send(true);
        let abort = self.handle.abort_handle();
        if tokio::time::timeout(limit, self.handle).await.is_err() {
            abort.abort();
        }
    }

    /// Stop now.
    pub fn abort(self) {
        self.handle.abort();
    }
}

/// The executor's sandbox directory on the agent, if the agent lists it yet.
pub async fn find_sandbox(
    http: &HttpClient,
    agent: &Url,
    framework_id: &str,
    executor_id: &str,
) -> Option<String> {
    let state: AgentState = http
        .get_json(&endpoint(agent, "/slave(1)/state"))
        .await
        .ok()?;
    sandbox_in_state(&state, framework_id, executor_id)
}

/// Look up an executor's `directory` in agent state (the newest run of it:
/// runs are listed oldest first).
pub fn sandbox_in_state(
    state: &AgentState,
    framework_id: &str,
    executor_id: &str,
) -> Option<String> {
    for f in state
        .frameworks
        .iter()
        .chain(&state.completed_frameworks)
        .filter(|f| f.id == framework_id)
    {
        if let Some(e) = f
            .executors
            .iter()
            .chain(&f.completed_executors)
            .rev()
            .find(|e| e.id == executor_id)
        {
            return Some(e.directory.clone()).filter(|d| !d.is_empty());
        }
    }
    None
}

/// Writes chunks to stdout/stderr, optionally prefixing whole lines.
struct Sink {
    prefix: Option<String>,
    partial: [Vec<u8>; 2],
    stdout_closed: bool,
}

impl Sink {
    fn write(&mut self, which: usize, data: &[u8]) {
        let bytes: Vec<u8> = match &self.prefix {
            None => data.to_vec(),
            Some(p) => {
                let buf = &mut self.partial[which];
                buf.extend_from_slice(data);
                let Some(last) = buf.iter().rposition(|&b| b == b'\n') else {
                    return;
                };
                let whole: Vec<u8> = buf.drain(..=last).collect();
                let mut out = Vec::with_capacity(whole.len() + 16);
                for line in whole.split_inclusive(|&b| b == b'\n') {
                    out.extend_from_slice(p.as_bytes());
                    out.extend_from_slice(line);
                }
                out
            }
        };
        self.emit(which, &bytes);
    }

    fn flush_partial(&mut self) {
        for which in 0..2 {
            if self.prefix.is_some() && !self.partial[which].is_empty() {
                let mut line = self.prefix.clone().unwrap_or_default().into_bytes();
                line.append(&mut self.partial[which]);
                line.push(b'\n');
                self.emit(which, &line);
            }
        }
    }

    fn emit(&mut self, which: usize, bytes: &[u8]) {
        if which == 0 {
            if self.stdout_closed {
                return;
            }
            let mut out = std::io::stdout().lock();
            if out.write_all(bytes).and_then(|_| out.flush()).is_err() {
                // `| head`: stop forwarding, let the task run on.
                self.stdout_closed = true;
            }
        } else {
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(bytes).and_then(|_| err.flush());
        }
    }
}

/// Sleep `d`, or less if told to finish. Returns whether finishing.
async fn pause(d: Duration, finish: &mut watch::Receiver<bool>) -> bool {
    if *finish.borrow() {
        return true;
    }
    tokio::select! {
        _ = tokio::time::sleep(d) => {}
        r = finish.changed() => { if r.is_err() { return true; } }
    }
    *finish.borrow()
}

async fn run(http: HttpClient, t: Target, mut finish: watch::Receiver<bool>) {
    // 1. Find the sandbox (the agent lists the executor once it launched it).
    let mut tries_after_finish = 0;
    let dir = loop {
        if let Some(d) = find_sandbox(&http, &t.agent, &t.framework_id, &t.executor_id).await {
            break d;
        }
        if *finish.borrow() {
            tries_after_finish += 1;
            if tries_after_finish > 3 {
                crate::output::warn(format!(
                    "--follow: the agent {} does not list the sandbox of executor '{}'",
                    t.agent, t.executor_id
                ));
                return;
            }
        }
        pause(Duration::from_millis(200), &mut finish).await;
    };
    let base = if t.subdir.is_empty() {
        dir
    } else {
        format!("{dir}/{}", t.subdir)
    };
    // 2. One poller per file (the shared `tail -f` loop), one printer here.
    let files = Arc::new(Files::agent(&http, t.agent.clone()));
    let cap = Arc::new(AtomicU64::new(cap_for(2).as_millis() as u64));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handles: Vec<Arc<Handle>> = ["stdout", "stderr"]
        .iter()
        .enumerate()
        .map(|(key, name)| {
            let h = Handle::new(files.clone(), cap.clone());
            tokio::spawn(poll(
                key,
                format!("{base}/{name}"),
                0,
                h.clone(),
                tx.clone(),
            ));
            h
        })
        .collect();
    drop(tx);
    let mut sink = Sink {
        prefix: t.prefix.clone(),
        partial: [Vec::new(), Vec::new()],
        stdout_closed: false,
    };
    let mut done = 0;
    let mut finishing = false;
    while done < handles.len() {
        tokio::select! {
            ev = rx.recv() => match ev {
                Some(Event::Data { key, data, .. }) => sink.write(key, &data),
                Some(Event::Done { .. }) => done += 1,
                // Missing files (not created yet) and agent hiccups are retried.
                Some(_) => {}
                None => break,
            },
            r = finish.changed(), if !finishing => {
                let _ = r;
                finishing = true;
                for h in &handles {
                    h.finish.store(true, Ordering::Relaxed);
                }
            }
        }
    }
    sink.flush_partial();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_newest_executor_directory() {
        let state: AgentState = serde_json::from_value(serde_json::json!({"frameworks": [], "completed_frameworks": [{"id": "F", "executors": [],
            "completed_executors": [{"id": "t", "directory": "/old"}, {"id": "t", "directory": "/new"}]}]}))
        .unwrap();
        assert_eq!(sandbox_in_state(&state, "F", "t").as_deref(), Some("/new"));
        assert_eq!(sandbox_in_state(&state, "G", "t"), None);
    }

    #[test]
    fn prefixes_whole_lines() {
        let mut s = Sink {
            prefix: Some("[a] ".into()),
            partial: [Vec::new(), Vec::new()],
            stdout_closed: true,
        };
        s.write(0, b"x\ny");
        assert_eq!(s.partial[0], b"y");
        s.write(0, b"z\n");
        assert!(s.partial[0].is_empty());
    }
}
