//! The events of a running custom (or default) executor, from the master's
//! internal calls: KILL (`kill_task`), MESSAGE (`framework_message`),
//! SHUTDOWN (`shutdown_executor`, `shutdown_framework`); and its MESSAGE
//! calls on their way to the master. Launch, process watch and exit live in
//! the `custom` module.

use std::sync::Arc;
use std::time::Duration;

use crate::agent::core::Agent;
use crate::agent::registration;
use crate::agent::status::make_status;
use crate::duration::format_mesos_duration;
use crate::wire::agent_v1::{ExecutorInfo, Id, KillPolicy};
use crate::wire::executor::{Event, Kill as KillEvent, Message};
use crate::wire::internal::{paths as ipaths, ExecutorMessage, FrameworkMessage};
use crate::wire::TaskState;

/// `kill_task` of a custom executor's task: a KILL event once the executor
/// subscribed; before that the task is dropped from its queued launch and
/// ends TASK_KILLED. Returns false when the task is not a custom
/// executor's.
pub fn kill_task(agent: &Arc<Agent>, fid: &str, tid: &str, policy: Option<&KillPolicy>) -> bool {
    let mut destroy = None;
    let (eid, agent_id) = {
        let mut st = agent.lock();
        let Some(e) = st.executor_for_task_mut(fid, tid) else {
            return false;
        };
        let eid = e.id.clone();
        let live = e.is_live();
        let Some(c) = e.custom.as_mut() else {
            return false;
        };
        if !live {
            return true;
        }
        if c.subscribed {
            c.send(Event {
                kind: "KILL".into(),
                kill: Some(KillEvent {
                    task_id: Id::new(tid),
                    kill_policy: policy.cloned(),
                }),
                ..Event::default()
            });
            crate::info!("Asked executor {eid} of framework {fid} to kill task {tid}");
            return true;
        }
        // Not subscribed yet: take the task out of the queued launch.
        for ev in c.queued.iter_mut() {
            if let Some(l) = ev.launch_group.as_mut() {
                l.task_group.tasks.retain(|t| t.task_id.value != tid);
            }
        }
        c.queued.retain(|ev| {
            let single = ev
                .launch
                .as_ref()
                .is_some_and(|l| l.task.task_id.value == tid);
            let empty_group = ev
                .launch_group
                .as_ref()
                .is_some_and(|l| l.task_group.tasks.is_empty());
            !single && !empty_group
        });
        let remaining = e.tasks().any(|t| t.id != tid && !t.state.is_terminal());
        if !remaining {
            destroy = e.custom.as_ref().and_then(|c| c.destroy_tx.clone());
        }
        (eid, e.task.agent_id.clone())
    };
    crate::info!("Killing task {tid} of framework {fid} before its executor {eid} subscribed");
    let status = make_status(
        tid,
        TaskState::Killed,
        "SOURCE_AGENT",
        Some("REASON_TASK_KILLED_DURING_LAUNCH"),
        Some("Task killed before it was launched"),
        &agent_id,
        Some(&eid),
        None,
    );
    agent.emit(fid, tid, status);
    if let Some(tx) = destroy {
        let _ = tx.send(());
    }
    true
}

/// `framework_message`: a MESSAGE event for the executor (queued while it
/// is not connected).
pub fn framework_message(agent: &Arc<Agent>, m: &FrameworkMessage) -> Result<(), String> {
    let mut st = agent.lock();
    let sent = match st
        .executor_mut(&m.framework_id, &m.executor_id)
        .filter(|e| e.is_live())
        .and_then(|e| e.custom.as_mut())
    {
        Some(c) => {
            c.send(Event {
                kind: "MESSAGE".into(),
                message: Some(Message {
                    data: m.data.clone(),
                }),
                ..Event::default()
            });
            true
        }
        None => false,
    };
    if sent {
        st.counters.valid_framework_messages += 1;
        Ok(())
    } else {
        Err(format!(
            "Dropping message for executor {} of framework {}: no such running executor",
            m.executor_id, m.framework_id
        ))
    }
}

/// An executor's MESSAGE call: to the master, for the scheduler.
pub fn executor_message(agent: &Arc<Agent>, fid: &str, eid: &str, data: String) {
    let Some(agent_id) = agent.agent_id() else {
        return;
    };
    let body = ExecutorMessage {
        agent_id,
        framework_id: fid.to_string(),
        executor_id: eid.to_string(),
        data,
    };
    let a = agent.clone();
    tokio::spawn(async move {
        registration::post_master(&a, ipaths::EXECUTOR_MESSAGE, &body, 10).await;
    });
}

/// The grace period of an executor's shutdown: its
/// `shutdown_grace_period`, else `--executor_shutdown_grace_period`.
pub fn shutdown_grace(agent: &Agent, info: &ExecutorInfo) -> Duration {
    info.shutdown_grace_period
        .as_ref()
        .filter(|d| d.nanoseconds > 0)
        .map(|d| Duration::from_nanos(d.nanoseconds as u64))
        .unwrap_or(agent.cfg.executor_shutdown_grace_period)
}

/// Shut a custom executor down: a SHUTDOWN event (at once destroyed when
/// it never subscribed), destroyed after its grace period. Returns false
/// when it is not a live custom executor.
pub fn shutdown(agent: &Arc<Agent>, fid: &str, eid: &str) -> bool {
    let (tx, grace) = {
        let mut st = agent.lock();
        let Some(e) = st.executor_mut(fid, eid).filter(|e| e.is_live()) else {
            return false;
        };
        let grace = shutdown_grace(agent, &e.info);
        let Some(c) = e.custom.as_mut() else {
            return false;
        };
        if c.shutting_down {
            return true;
        }
        c.shutting_down = true;
        let Some(tx) = c.destroy_tx.clone() else {
            return true;
        };
        if c.subscribed {
            c.send(Event::bare("SHUTDOWN"));
            (tx, grace)
        } else {
            (tx, Duration::ZERO)
        }
    };
    crate::info!(
        "Shutting down executor {eid} of framework {fid} (grace period {})",
        format_mesos_duration(grace)
    );
    tokio::spawn(async move {
        tokio::time::sleep(grace).await;
        let _ = tx.send(());
    });
    true
}
