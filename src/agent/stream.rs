//! The status update streams of the agent, as data: per task, the updates
//! not yet acknowledged (oldest first), every update of the stream and the
//! acknowledged uuids (what `task.updates` checkpoints). Delivery and
//! acknowledgement live in `status`; this module depends on nothing else in
//! the agent.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use crate::wire::agent_v1::V1TaskStatus;

/// (framework id, task id)
pub type Key = (String, String);

/// One task's stream.
#[derive(Debug)]
pub struct Stream {
    /// Updates not yet acknowledged, oldest (the one in flight) first.
    pub pending: VecDeque<V1TaskStatus>,
    /// Every update of the stream and the acknowledged uuids (checkpoint).
    pub all: Vec<V1TaskStatus>,
    pub acked: Vec<String>,
    pub notify: Arc<Notify>,
    pub checkpoint: Option<PathBuf>,
}

/// All streams of the agent.
#[derive(Debug, Default)]
pub struct Manager {
    streams: Mutex<HashMap<Key, Stream>>,
    /// Bumped by [`Manager::kick_all`]: streams resend at once.
    pub(crate) kicks: AtomicU64,
    /// Updates resent because a master accepted them and no
    /// acknowledgement came in time (`slave/status_update_resends`).
    pub(crate) resends: AtomicU64,
}

impl Manager {
    pub fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Stream>> {
        self.streams.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Wake every stream (after a (re-)registration: resend right away).
    pub fn kick_all(&self) {
        self.kicks.fetch_add(1, Ordering::SeqCst);
        for s in self.lock().values() {
            s.notify.notify_one();
        }
    }

    /// Updates resent for want of an acknowledgement (not counting the
    /// resends after a (re-)registration or a failed delivery).
    pub fn resends(&self) -> u64 {
        self.resends.load(Ordering::Relaxed)
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
/// first) and the uuids acknowledged so far. The JSON is the one earlier
/// builds wrote (`{"updates": [TaskStatus..], "acknowledged": [uuid..]}`):
/// a restart after an upgrade reads it unchanged, and unknown TaskStatus
/// fields are kept.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StreamCheckpoint {
    #[serde(default, deserialize_with = "crate::wire::de::vec")]
    pub updates: Vec<V1TaskStatus>,
    #[serde(default, deserialize_with = "crate::wire::de::vec")]
    pub acknowledged: Vec<String>,
}

impl Stream {
    /// The uuid of the update in flight (the oldest unacknowledged one).
    pub fn front_uuid(&self) -> Option<&str> {
        self.pending.front().and_then(|u| u.uuid.as_deref())
    }
}
