//! The status update manager: one stream per task, delivered in order and
//! reliably. The oldest unacknowledged update is sent to the master and
//! resent until the master forwards the framework's acknowledgement
//! (`/slave(1)/internal/acknowledge`); only then does the next update of
//! that task go out. Timing, as real Mesos' status update manager: once a
//! master has accepted the update (`202`) it is resent only when no
//! acknowledgement came for [`RESEND_MIN`] (10 s), doubling up to
//! [`RESEND_MAX`] (10 min), so a slow acknowledgement does not cause a
//! storm of resends; an update the master did not accept (unreachable,
//! non-2xx) is retried sooner, after [`DELIVERY_RETRY_MIN`] doubling up to
//! [`RESEND_MIN`]; after a (re-)registration every pending update goes out
//! at once. Each stream is checkpointed to
//! `<meta run dir>/tasks/<task_id>/task.updates`.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use reqwest::{header, Method, StatusCode};
use tokio::sync::Notify;

use super::core::Agent;
use super::model::Registration;
use super::paths::write_atomic;
use super::stream::{Key, Stream, StreamCheckpoint};
use crate::daemon::now_secs;
use crate::daemon::proto::{self, StatusUpdate};
use crate::wire::agent_v1::{ContainerStatus, Id, V1TaskStatus};
use crate::wire::executor::{Acknowledged, Event as ExecEvent};
use crate::wire::TaskState;

/// First resend of an update a master accepted but nobody acknowledged
/// (real Mesos' `STATUS_UPDATE_RETRY_INTERVAL_MIN`).
pub const RESEND_MIN: Duration = Duration::from_secs(10);
/// Longest resend delay (`STATUS_UPDATE_RETRY_INTERVAL_MAX`).
pub const RESEND_MAX: Duration = Duration::from_secs(600);
/// First retry of an update no master accepted (doubling up to [`RESEND_MIN`]).
pub const DELIVERY_RETRY_MIN: Duration = Duration::from_secs(1);

/// A fresh TaskStatus uuid: 16 random bytes, standard base64 with padding.
pub fn new_uuid() -> String {
    base64::engine::general_purpose::STANDARD.encode(uuid::Uuid::new_v4().as_bytes())
}

/// Build a v1 TaskStatus (with a fresh uuid: the framework must
/// acknowledge it). `container_status` is set for executor updates.
#[allow(clippy::too_many_arguments)]
pub fn make_status(
    task_id: &str,
    state: TaskState,
    source: &str,
    reason: Option<&str>,
    message: Option<&str>,
    agent_id: &str,
    executor_id: Option<&str>,
    container_status: Option<ContainerStatus>,
) -> V1TaskStatus {
    V1TaskStatus {
        task_id: Id::new(task_id),
        state,
        message: message.map(str::to_string),
        source: Some(source.to_string()),
        reason: reason.map(str::to_string),
        agent_id: Some(Id::new(agent_id)),
        executor_id: executor_id.map(Id::new),
        timestamp: now_secs(),
        uuid: Some(new_uuid()),
        container_status,
        ..V1TaskStatus::default()
    }
}

impl Agent {
    /// Record a status update of a task and queue it for reliable delivery.
    pub fn emit(self: &Arc<Self>, fid: &str, tid: &str, status: V1TaskStatus) {
        let state = status.state.clone();
        let message = status.message.clone().unwrap_or_default();
        let mut checkpoint = None;
        let dropped;
        {
            let mut st = self.lock();
            if state.is_terminal() {
                let c = &mut st.counters;
                match state {
                    TaskState::Finished => c.tasks_finished += 1,
                    TaskState::Failed => c.tasks_failed += 1,
                    TaskState::Killed => c.tasks_killed += 1,
                    TaskState::Lost => c.tasks_lost += 1,
                    TaskState::Error => c.tasks_error += 1,
                    TaskState::Dropped => c.tasks_dropped += 1,
                    _ => c.tasks_gone += 1,
                }
            }
            st.counters.valid_status_updates += 1;
            let shutting = st.frameworks.get(fid).is_some_and(|f| f.shutting_down);
            if let Some(e) = st.executor_for_task_mut(fid, tid) {
                checkpoint = Some(e.meta_dir.join("tasks").join(tid).join("task.updates"));
                if let Some(t) = e.task_by_id_mut(tid) {
                    t.state = state.clone();
                    t.statuses.push(status.clone());
                    if shutting && state.is_terminal() {
                        t.terminal_acked = true;
                    }
                }
            }
            dropped = shutting;
        }
        crate::info!(
            "Handling status update {} ({}) for task {tid} of framework {fid}{}",
            state,
            status.uuid.as_deref().unwrap_or(""),
            if message.is_empty() {
                String::new()
            } else {
                format!(": {message}")
            }
        );
        if dropped {
            // The framework is gone: nobody will acknowledge.
            return;
        }
        let key = (fid.to_string(), tid.to_string());
        let (notify, start, was_idle) = {
            let mut m = self.status.lock();
            let start = !m.contains_key(&key);
            let s = m.entry(key.clone()).or_insert_with(|| Stream {
                pending: VecDeque::new(),
                all: Vec::new(),
                acked: Vec::new(),
                notify: Arc::new(Notify::new()),
                checkpoint: checkpoint.clone(),
            });
            if s.checkpoint.is_none() {
                s.checkpoint = checkpoint;
            }
            let was_idle = s.pending.is_empty();
            s.pending.push_back(status.clone());
            s.all.push(status);
            save(s);
            (s.notify.clone(), start, was_idle)
        };
        if start {
            let agent = self.clone();
            tokio::spawn(async move { stream_loop(agent, key, notify).await });
        } else if was_idle {
            // Only a new head of the queue goes out now; later updates wait
            // for the acknowledgement of the one in flight.
            notify.notify_one();
        }
    }

    /// Recovery: reinstate a task's checkpointed stream (`all` updates in
    /// order, `acked` uuids). The unacknowledged ones are (re)sent in order
    /// once the agent is registered.
    pub fn restore_stream(
        self: &Arc<Self>,
        fid: &str,
        tid: &str,
        all: Vec<V1TaskStatus>,
        acked: Vec<String>,
        checkpoint: PathBuf,
    ) {
        let pending: VecDeque<V1TaskStatus> = all
            .iter()
            .filter(|u| {
                let uuid = u.uuid.as_deref().unwrap_or("");
                !acked.iter().any(|a| a == uuid)
            })
            .cloned()
            .collect();
        if !pending.is_empty() {
            crate::info!(
                "Recovered {} unacknowledged status update(s) for task {tid} of framework {fid}",
                pending.len()
            );
        }
        let key = (fid.to_string(), tid.to_string());
        let notify = Arc::new(Notify::new());
        self.status.lock().insert(
            key.clone(),
            Stream {
                pending,
                all,
                acked,
                notify: notify.clone(),
                checkpoint: Some(checkpoint),
            },
        );
        let agent = self.clone();
        tokio::spawn(async move { stream_loop(agent, key, notify).await });
    }

    /// The master forwarded an acknowledgement. Returns whether it matched
    /// the update in flight.
    pub fn acknowledge(self: &Arc<Self>, fid: &str, tid: &str, uuid: &str) -> bool {
        let key = (fid.to_string(), tid.to_string());
        let mut terminal_done = false;
        let mut duplicate = false;
        let mut from_executor = false;
        let matched = {
            let mut m = self.status.lock();
            let Some(s) = m.get_mut(&key) else {
                crate::info!(
                    "Ignoring status update acknowledgement {uuid} for task {tid} of framework {fid}: its stream is complete"
                );
                return false;
            };
            if s.front_uuid() == Some(uuid) {
                let acked = s.pending.pop_front().unwrap_or_default();
                from_executor = acked.source.as_deref() == Some("SOURCE_EXECUTOR");
                s.acked.push(uuid.to_string());
                save(s);
                if acked.state.is_terminal() {
                    terminal_done = true;
                }
                s.notify.notify_one();
                if terminal_done && s.pending.is_empty() {
                    m.remove(&key);
                }
                true
            } else {
                duplicate = s.acked.iter().any(|a| a == uuid);
                false
            }
        };
        if matched {
            crate::info!("Status update acknowledgement {uuid} for task {tid} of framework {fid}");
        } else if duplicate {
            crate::info!(
                "Ignoring duplicate status update acknowledgement {uuid} for task {tid} of framework {fid}"
            );
        } else {
            crate::warning!(
                "Ignoring unexpected status update acknowledgement {uuid} for task {tid} of framework {fid}"
            );
        }
        if matched && from_executor {
            // A custom executor learns that its update reached the
            // framework (it stops resending it when it re-subscribes).
            let mut st = self.lock();
            if let Some(c) = st
                .executor_for_task_mut(fid, tid)
                .and_then(|e| e.custom.as_mut())
            {
                c.send(ExecEvent {
                    kind: "ACKNOWLEDGED".into(),
                    acknowledged: Some(Acknowledged {
                        task_id: Id::new(tid),
                        uuid: uuid.to_string(),
                    }),
                    ..ExecEvent::default()
                });
            }
        }
        if terminal_done {
            let eid = {
                let mut st = self.lock();
                st.executor_for_task_mut(fid, tid).map(|e| {
                    if let Some(t) = e.task_by_id_mut(tid) {
                        t.terminal_acked = true;
                    }
                    e.id.clone()
                })
            };
            if let Some(eid) = eid {
                self.maybe_complete(fid, &eid);
            }
        }
        matched
    }
}

fn save(s: &Stream) {
    if let Some(path) = &s.checkpoint {
        let body = StreamCheckpoint {
            updates: s.all.clone(),
            acknowledged: s.acked.clone(),
        };
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        if let Err(e) = write_atomic(path, &bytes) {
            crate::warning!(
                "Failed to checkpoint status updates to '{}': {e}",
                path.display()
            );
        }
    }
}

async fn stream_loop(agent: Arc<Agent>, key: Key, notify: Arc<Notify>) {
    let (fid, tid) = key.clone();
    let mut last_uuid: Option<String> = None;
    // Whether a master accepted the update at the front (then only a
    // missing acknowledgement makes it go out again).
    let mut delivered = false;
    let mut ack_wait = RESEND_MIN;
    let mut retry = DELIVERY_RETRY_MIN;
    let mut kicks = agent.status.kicks.load(Ordering::SeqCst);
    // When the update at the front may be (re)sent. A wake-up for another
    // reason (a newer update queued behind it) must not resend it early.
    let mut due = tokio::time::Instant::now();
    loop {
        if agent.is_shutting_down() {
            return;
        }
        let front = {
            let m = agent.status.lock();
            match m.get(&key) {
                None => return,
                Some(s) if !Arc::ptr_eq(&s.notify, &notify) => return,
                Some(s) => s.pending.front().cloned(),
            }
        };
        let Some(update) = front else {
            notify.notified().await;
            continue;
        };
        let uuid = update.uuid.clone();
        if uuid != last_uuid {
            last_uuid = uuid.clone();
            delivered = false;
            ack_wait = RESEND_MIN;
            retry = DELIVERY_RETRY_MIN;
            due = tokio::time::Instant::now();
        }
        let now_kicks = agent.status.kicks.load(Ordering::SeqCst);
        let kicked = now_kicks != kicks;
        if kicked {
            // (Re-)registered: the master may not know the update.
            kicks = now_kicks;
            due = tokio::time::Instant::now();
        }
        if tokio::time::Instant::now() < due {
            tokio::select! {
                _ = notify.notified() => {}
                _ = tokio::time::sleep_until(due) => {}
            }
            continue;
        }
        let reg = agent.wait_registered().await;
        if delivered && !kicked {
            agent.status.resends.fetch_add(1, Ordering::Relaxed);
            crate::info!(
                "Resending status update {} for task {tid} of framework {fid}: not acknowledged yet",
                uuid.as_deref().unwrap_or("")
            );
        }
        if send(&agent, &reg, &fid, &update).await {
            delivered = true;
            due = tokio::time::Instant::now() + ack_wait;
            ack_wait = (ack_wait * 2).min(RESEND_MAX);
        } else {
            crate::warning!(
                "Failed to forward status update {} for task {tid} of framework {fid}; retrying in {:?}",
                uuid.as_deref().unwrap_or(""),
                retry
            );
            due = tokio::time::Instant::now() + retry;
            retry = (retry * 2).min(RESEND_MIN);
        }
        tokio::select! {
            _ = notify.notified() => {}
            _ = tokio::time::sleep_until(due) => {}
        }
    }
}

/// POST one update to the master; true when it was accepted (2xx).
async fn send(agent: &Agent, reg: &Registration, fid: &str, status: &V1TaskStatus) -> bool {
    let body = StatusUpdate {
        agent_id: reg.agent_id.clone(),
        framework_id: fid.to_string(),
        status: status.clone(),
    };
    let Ok(url) = reqwest::Url::parse(&format!(
        "{}://{}{}",
        crate::daemon::tls::scheme(),
        reg.master,
        proto::paths::STATUS_UPDATE
    )) else {
        return false;
    };
    let rb = agent
        .client
        .request(Method::POST, url, false)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, reg.token.header_value())
        .body(serde_json::to_vec(&body).unwrap_or_default());
    match rb.send().await {
        Ok(r) if r.status().is_success() => true,
        Ok(r) => {
            if r.status() == StatusCode::NOT_FOUND
                || r.status() == StatusCode::FORBIDDEN
                || r.status() == StatusCode::UNAUTHORIZED
                || r.status() == StatusCode::TEMPORARY_REDIRECT
                || r.status() == StatusCode::SERVICE_UNAVAILABLE
            {
                // Let the registration loop find the (new) master.
                super::registration::nudge(agent);
            }
            false
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_16_bytes_base64() {
        let u = new_uuid();
        let raw = base64::engine::general_purpose::STANDARD
            .decode(&u)
            .unwrap();
        assert_eq!(raw.len(), 16);
        assert!(u.ends_with("=="));
        assert_ne!(u, new_uuid());
    }

    #[test]
    fn status_shape() {
        let s = make_status(
            "t",
            TaskState::Failed,
            "SOURCE_AGENT",
            Some("REASON_CONTAINER_LAUNCH_FAILED"),
            Some("m"),
            "a",
            Some("t"),
            None,
        );
        let s = serde_json::to_value(&s).unwrap();
        assert_eq!(s["task_id"]["value"], "t");
        assert_eq!(s["agent_id"]["value"], "a");
        assert_eq!(s["executor_id"]["value"], "t");
        assert!(s["timestamp"].is_f64());
        assert_eq!(s["reason"], "REASON_CONTAINER_LAUNCH_FAILED");
    }
}
