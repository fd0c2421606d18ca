//! Executors of frameworks (custom and default): the scheduler's MESSAGE
//! and SHUTDOWN relayed to the agent, an executor's messages and exit
//! reported by the agent, and the bookkeeping of their resources.

use super::{call_agent, kill, send_event};
use crate::master::state::{ExecutorEntry, MasterState, Shared};
use crate::wire::event::Event;
use crate::wire::internal::{ExecutorMessage, ExitedExecutor, FrameworkMessage, ShutdownExecutor};
use crate::wire::scheduler::{Message, Shutdown};

/// Forget an executor and free its resources on its agent.
pub fn remove_executor(
    st: &mut MasterState,
    fid: &str,
    agent_id: &str,
    executor_id: &str,
) -> Option<ExecutorEntry> {
    let e = st
        .frameworks
        .get_mut(fid)?
        .executors
        .remove(&(agent_id.to_string(), executor_id.to_string()))?;
    if let Some(a) = st.agents.get_mut(agent_id) {
        a.allocated.subtract(&e.resources);
    }
    Some(e)
}

/// Forget the executors every framework runs on an agent that is gone.
pub fn remove_agent_executors(st: &mut MasterState, agent_id: &str) {
    for fw in st.frameworks.values_mut() {
        fw.executors.retain(|(a, _), _| a != agent_id);
    }
}

/// The scheduler's `MESSAGE`: to the executor through its agent. As in
/// Mesos, a message for an agent that is not registered (or not connected)
/// is dropped (`master/invalid_framework_to_executor_messages`).
pub fn framework_message(m: &Shared, fid: &str, msg: &Message) {
    let agent_id = msg.agent_id.as_ref().and_then(|a| a.value.clone());
    let executor_id = msg.executor_id.as_ref().and_then(|e| e.value.clone());
    let (Some(agent_id), Some(executor_id)) = (agent_id, executor_id) else {
        return;
    };
    let delivered = {
        let mut st = m.lock();
        let ok = st.agents.get(&agent_id).is_some_and(|a| a.active);
        let c = &mut st.counters.messages;
        if ok {
            c.valid_framework_to_executor_messages += 1;
        } else {
            c.invalid_framework_to_executor_messages += 1;
        }
        ok
    };
    if !delivered {
        crate::warning!(
            "Cannot send framework message for framework {fid} to agent {agent_id} because the agent is not registered or disconnected"
        );
        return;
    }
    let body = FrameworkMessage {
        framework_id: fid.to_string(),
        executor_id,
        data: msg.data.clone().unwrap_or_default(),
    };
    call_agent(m, &agent_id, &body);
}

/// The scheduler's `SHUTDOWN` of an executor: to its agent. An executor
/// the master does not track with that id is a command task's executor
/// (its id is the task's): the task is killed, which ends that executor.
pub fn shutdown_executor(m: &Shared, fid: &str, s: &Shutdown) {
    let Some(executor_id) = s.executor_id().map(str::to_string) else {
        return;
    };
    let agent_id = s.agent_id.as_ref().and_then(|a| a.value.clone());
    let (known, registered) = {
        let st = m.lock();
        let fw = st.frameworks.get(fid);
        let agent = agent_id.clone().or_else(|| {
            // Without an agent id: the agent running the executor.
            fw.and_then(|f| {
                f.executors
                    .values()
                    .find(|e| e.id() == executor_id)
                    .map(|e| e.agent_id.clone())
            })
        });
        let known = agent
            .as_deref()
            .filter(|a| fw.is_some_and(|f| f.has_executor(a, &executor_id)))
            .map(str::to_string);
        let registered = agent.as_deref().is_some_and(|a| st.agents.contains_key(a));
        (known, registered)
    };
    match known {
        Some(agent) if registered => {
            let body = ShutdownExecutor {
                framework_id: fid.to_string(),
                executor_id,
            };
            call_agent(m, &agent, &body);
        }
        Some(agent) => crate::warning!(
            "Unable to shutdown executor '{executor_id}' of framework {fid} of unknown agent {agent}"
        ),
        None => kill(m, fid, &executor_id, None),
    }
}

/// An executor's `MESSAGE` (agent -> master): to the scheduler as a
/// `MESSAGE` event. Whether it could be delivered.
pub fn executor_message(m: &Shared, msg: &ExecutorMessage) -> bool {
    let mut st = m.lock();
    st.counters.messages.executor_to_framework += 1;
    let sent = st.frameworks.get(&msg.framework_id).is_some_and(|fw| {
        send_event(
            fw,
            &Event::message(&msg.agent_id, &msg.executor_id, msg.data.clone()),
        )
    });
    if sent {
        st.counters.messages.valid_executor_to_framework_messages += 1;
    } else {
        st.counters.messages.invalid_executor_to_framework_messages += 1;
        crate::warning!(
            "Not forwarding executor message of executor '{}' of framework {}: the framework is not connected",
            msg.executor_id,
            msg.framework_id
        );
    }
    sent
}

/// An executor terminated (agent -> master): its resources are freed and
/// the scheduler gets a `FAILURE` event with the wait status. An executor
/// the master does not know is ignored (as Mesos).
pub fn exited_executor(m: &Shared, x: &ExitedExecutor) {
    {
        let mut st = m.lock();
        st.counters.messages.exited_executor += 1;
        if remove_executor(&mut st, &x.framework_id, &x.agent_id, &x.executor_id).is_none() {
            crate::warning!(
                "Ignoring unknown exited executor '{}' of framework {} on agent {}",
                x.executor_id,
                x.framework_id,
                x.agent_id
            );
            return;
        }
        crate::info!(
            "Executor '{}' of framework {} on agent {} exited with status {}",
            x.executor_id,
            x.framework_id,
            x.agent_id,
            x.status
        );
        if let Some(fw) = st.frameworks.get(&x.framework_id) {
            send_event(
                fw,
                &Event::executor_failure(&x.agent_id, &x.executor_id, i64::from(x.status)),
            );
        }
    }
    m.allocate.notify_one();
}
