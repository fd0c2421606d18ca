//! The status update streams of the agent, as data: per task, the updates
//! not yet acknowledged (oldest first), every update of the stream and the
//! acknowledged uuids (what `task.updates` checkpoints). Delivery and
//! acknowledgement live in `status`; this module depends on nothing else in
//! the agent.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use tokio::sync::Notify;

/// (framework id, task id)
pub type Key = (String, String);

/// One task's stream.
#[derive(Debug)]
pub struct Stream {
    pub pending: VecDeque<Json>,
    /// Every update of the stream and the acknowledged uuids (checkpoint).
    pub all: Vec<Json>,
    pub acked: Vec<String>,
    pub notify: Arc<Notify>,
    pub checkpoint: Option<PathBuf>,
}

/// All streams of the agent.
#[derive(Debug, Default)]
pub struct Manager {
    streams: Mutex<HashMap<Key, Stream>>,
}

impl Manager {
    pub fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Stream>> {
        self.streams.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Wake every stream (after a (re-)registration: resend right away).
    pub fn kick_all(&self) {
        for s in self.lock().values() {
            s.notify.notify_one();
        }
    }

    /// Number of updates not yet acknowledged.
    pub fn pending_count(&self) -> usize {
        self.lock().values().map(|s| s.pending.len()).sum()
    }

    /// Drop every stream of a framework (it is gone).
    pub fn drop_framework(&self, fid: &str) {
        let mut m = self.lock();
        let keys: Vec<Key> = m.keys().filter(|(f, _)| f == fid).cloned().collect();
        for k in keys {
            if let Some(s) = m.remove(&k) {
                s.notify.notify_one();
            }
        }
    }
}

/// `task.updates`: every update of a task's stream (v1 TaskStatus, oldest
/// first) and the uuids acknowledged so far.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StreamCheckpoint {
    #[serde(default)]
    pub updates: Vec<Json>,
    #[serde(default)]
    pub acknowledged: Vec<String>,
}
