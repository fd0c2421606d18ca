//! The follow loop behind `tail -f` and `events --logs`: one poller per
//! file, each reading from its last offset and sending what it got to one
//! printer through a channel.
//!
//! Pacing: right after data the next read comes [`MIN_INTERVAL`] later (a
//! full block is followed at once); every empty read stretches the wait by
//! a quarter, up to a cap the caller sets per agent so that idle following
//! costs at most 2 requests per second per agent. Errors (agent down,
//! connection dropped, file not there yet) are retried with backoff from
//! the same offset; the printer is told once when a file is lost and when
//! it is back.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use super::{Files, BLOCK};

/// Wait after a read that returned data.
pub const MIN_INTERVAL: Duration = Duration::from_millis(100);
/// Idle budget per agent: one request per this long.
pub const IDLE_PER_AGENT: Duration = Duration::from_millis(500);
/// Longest wait between retries of a failing file.
pub const MAX_RETRY: Duration = Duration::from_secs(5);

/// What a poller reports.
#[derive(Debug)]
pub enum Event {
    /// New bytes starting at `offset`.
    Data {
        key: usize,
        offset: u64,
        data: Vec<u8>,
    },
    /// Reads started failing (or fail in a new way).
    Lost { key: usize, message: String },
    /// Reads work again after a failure; resuming at `offset`.
    Back { key: usize, offset: u64 },
    /// The file shrank below our offset: restarting from 0.
    Truncated { key: usize },
    /// The poller stopped (after its final read when asked to finish).
    Done { key: usize },
}

/// Shared control of one poller.
#[derive(Debug)]
pub struct Handle {
    /// Finish: read what is left, then stop.
    pub finish: AtomicBool,
    /// Stop now.
    pub abort: AtomicBool,
    /// The idle cap in milliseconds (shared by the files of one agent).
    pub cap_ms: Arc<AtomicU64>,
    /// Replace the client (e.g. the agent moved); read at the next poll.
    pub files: std::sync::Mutex<Arc<Files>>,
}

impl Handle {
    pub fn new(files: Arc<Files>, cap_ms: Arc<AtomicU64>) -> Arc<Handle> {
        Arc::new(Handle {
            finish: AtomicBool::new(false),
            abort: AtomicBool::new(false),
            cap_ms,
            files: std::sync::Mutex::new(files),
        })
    }
    fn files(&self) -> Arc<Files> {
        self.files.lock().unwrap().clone()
    }
}

/// The idle cap for `n` files followed on one agent.
pub fn cap_for(n: usize) -> Duration {
    IDLE_PER_AGENT * (n.max(1) as u32)
}

/// Poll `path` from `offset` until finished or aborted.
pub async fn poll(
    key: usize,
    path: String,
    mut offset: u64,
    h: Arc<Handle>,
    tx: mpsc::UnboundedSender<Event>,
) {
    let mut wait = MIN_INTERVAL;
    let mut failing = false;
    let mut failures = 0u32;
    let mut last_error: Option<String> = None;
    loop {
        if h.abort.load(Ordering::Relaxed) {
            break;
        }
        let finishing = h.finish.load(Ordering::Relaxed);
        let files = h.files();
        match files.read(&path, offset, BLOCK).await {
            Ok(c) => {
                if failing {
                    failing = false;
                    failures = 0;
                    last_error = None;
                    let _ = tx.send(Event::Back { key, offset });
                }
                if !c.data.is_empty() {
                    let n = c.data.len() as u64;
                    if tx
                        .send(Event::Data {
                            key,
                            offset,
                            data: c.data,
                        })
                        .is_err()
                    {
                        return;
                    }
                    offset += n;
                    wait = MIN_INTERVAL;
                    if n >= BLOCK {
                        continue; // more is waiting
                    }
                } else {
                    if let Some(size) = c.size {
                        if size < offset {
                            let _ = tx.send(Event::Truncated { key });
                            offset = 0;
                            continue;
                        }
                    }
                    if finishing {
                        break;
                    }
                    let cap =
                        Duration::from_millis(h.cap_ms.load(Ordering::Relaxed)).max(MIN_INTERVAL);
                    wait = (wait + wait / 4).min(cap);
                }
            }
            Err(e) => {
                failures += 1;
                // Tell once per distinct problem (refused -> not found, ...).
                if !failing || last_error.as_deref() != Some(e.message.as_str()) {
                    failing = true;
                    last_error = Some(e.message.clone());
                    let _ = tx.send(Event::Lost {
                        key,
                        message: e.message.clone(),
                    });
                }
                if finishing && failures >= 3 {
                    break;
                }
                wait = (Duration::from_millis(250) * failures.min(20)).min(MAX_RETRY);
            }
        }
        // Sleep in small steps so finish/abort are seen promptly.
        let until = tokio::time::Instant::now() + wait;
        while tokio::time::Instant::now() < until {
            if h.abort.load(Ordering::Relaxed) || (h.finish.load(Ordering::Relaxed) && !finishing) {
                break;
            }
            let step = (until - tokio::time::Instant::now()).min(Duration::from_millis(100));
            tokio::time::sleep(step).await;
        }
    }
    let _ = tx.send(Event::Done { key });
}

/// Splits byte chunks into whole lines (for `--ndjson`), remembering each
/// line's start offset; a partial last line waits for more data.
#[derive(Debug, Default)]
pub struct LineSplitter {
    pending: Vec<u8>,
    pending_offset: u64,
}

impl LineSplitter {
    /// Feed a chunk read at `offset`; returns complete lines (without `\n`)
    /// with their start offsets.
    pub fn push(&mut self, offset: u64, data: &[u8]) -> Vec<(u64, Vec<u8>)> {
        if self.pending.is_empty() {
            self.pending_offset = offset;
        }
        self.pending.extend_from_slice(data);
        let mut out = Vec::new();
        let mut start = 0;
        while let Some(pos) = self.pending[start..].iter().position(|&b| b == b'\n') {
            let end = start + pos;
            let mut line = self.pending[start..end].to_vec();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            out.push((self.pending_offset + start as u64, line));
            start = end + 1;
        }
        self.pending.drain(..start);
        self.pending_offset += start as u64;
        out
    }

    /// The unterminated rest, if any (at the end of a file).
    pub fn flush(&mut self) -> Option<(u64, Vec<u8>)> {
        if self.pending.is_empty() {
            return None;
        }
        let off = self.pending_offset;
        self.pending_offset += self.pending.len() as u64;
        Some((off, std::mem::take(&mut self.pending)))
    }

    /// Forget a partial line (after truncation).
    pub fn reset(&mut self) {
        self.pending.clear();
        self.pending_offset = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_offsets_across_chunks() {
        let mut s = LineSplitter::default();
        assert_eq!(s.push(0, b"ab"), vec![]);
        assert_eq!(
            s.push(2, b"c\nde\r\nf"),
            vec![(0, b"abc".to_vec()), (4, b"de".to_vec())]
        );
        assert_eq!(s.push(9, b"g\n"), vec![(8, b"fg".to_vec())]);
        assert_eq!(s.flush(), None);
        assert_eq!(s.push(11, b"tail"), vec![]);
        assert_eq!(s.flush(), Some((11, b"tail".to_vec())));
    }

    #[test]
    fn caps_scale_with_files() {
        assert_eq!(cap_for(0), Duration::from_millis(500));
        assert_eq!(cap_for(4), Duration::from_secs(2));
    }
}
