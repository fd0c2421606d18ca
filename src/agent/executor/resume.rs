//! Picking up executors recovered after an agent restart: a run that ended
//! while the agent was down gets its terminal update; a live one is
//! reconnected to and watched through a pidfd (the agent is not its
//! parent any more).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use super::checks::CheckWatch;
use super::ctx::{Ctx, Killer};
use super::health::{self, HealthWatch};
use super::process::{
    agent_marker, pidfd, process_exit, read_pid, read_wait_status, signal_group, wrapper_alive,
    WaitStatus, DEFAULT_KILL_GRACE,
};
use super::wrapper::LaunchSpec;
use crate::agent::core::Agent;
use crate::agent::model::{Kill, Phase};
use crate::agent::paths::write_atomic;
use crate::wire::agent_v1::{TaskInfo, V1TaskStatus};

/// What recovery found about a run whose terminal update was never sent.
#[derive(Clone, Debug, PartialEq)]
pub enum Resume {
    /// The command exited while the agent was down (the wrapper recorded
    /// its wait status).
    Exited(i32),
    /// The wrapper could not start the command.
    LaunchError(String),
    /// The executor is gone without a record of the command's exit.
    Gone(String),
    /// The executor still runs: reconnect to it. `pid` is the command's
    /// (None if the wrapper had not forked it yet).
    Live { executor_pid: u32, pid: Option<u32> },
    /// A custom executor (its process group `pid` if it was started): it
    /// is given `--executor_reregistration_timeout` to subscribe again
    /// (`resume` of the `custom` module).
    Custom { pid: Option<u32> },
}

/// Recovery: pick up a recovered, not yet terminated executor (already in
/// the state, its status stream restored).
pub fn resume(agent: &Arc<Agent>, fid: &str, eid: &str, what: Resume) {
    let Some((ctx, killing_state)) = Ctx::of(agent, fid, eid) else {
        return;
    };
    match what {
        Resume::Exited(raw) => {
            let killed = agent.lock().executor(fid, eid).is_some_and(|e| e.killed);
            crate::info!(
                "Task {} of framework {fid} ended while the agent was down",
                ctx.tid
            );
            ctx.finish(raw, killed, None);
        }
        Resume::LaunchError(msg) => {
            ctx.launch_failed(&format!("Failed to launch container: {msg}"))
        }
        Resume::Gone(why) => ctx.executor_gone(&why),
        // Picked up by `resume` of the `custom` module.
        Resume::Custom { .. } => {}
        Resume::Live { executor_pid, pid } => {
            let (kill_tx, kill_rx) = mpsc::unbounded_channel();
            let killed = {
                let mut st = agent.lock();
                match st.executor_mut(fid, eid) {
                    Some(e) => {
                        e.phase = Phase::Running;
                        e.pid = pid;
                        e.executor_pid = Some(executor_pid);
                        e.kill_tx = Some(kill_tx);
                        e.killed
                    }
                    None => return,
                }
            };
            // Tell the executor it has an agent again (cancels its
            // recovery timeout).
            let marker = ctx.meta_dir.join("pids").join("agent.pid");
            if let Err(e) = write_atomic(&marker, agent_marker().as_bytes()) {
                crate::warning!(
                    "Failed to tell the executor of task {} that it was recovered ('{}'): {e}",
                    ctx.tid,
                    marker.display()
                );
            }
            crate::info!(
                "Reconnected to executor {} of framework {fid} (executor pid {executor_pid}, command pid {})",
                ctx.eid,
                pid.map(|p| p.to_string()).unwrap_or_else(|| "?".into())
            );
            tokio::spawn(reconnected(
                ctx,
                killing_state,
                killed,
                executor_pid,
                pid,
                kill_rx,
            ));
        }
    }
}

/// Watch a recovered executor: the agent is not its parent, so its exit is
/// seen through a pidfd (or /proc polling) and `wait_status`; kills signal
/// the command's process group directly.
async fn reconnected(
    ctx: Ctx,
    killing_state: bool,
    killed: bool,
    executor_pid: u32,
    mut pid: Option<u32>,
    mut kill_rx: mpsc::UnboundedReceiver<Kill>,
) {
    let status_path = ctx.meta_dir.join("wait_status");
    let spec_path = ctx.meta_dir.join("launch.json");
    let pid_path = ctx.meta_dir.join("pids").join("forked.pid");
    let mut killer = Killer::new(killing_state, ctx.directory.join("stderr"));
    if killed {
        // A kill was under way when the agent went down: finish it.
        killer.killed = true;
        if let Some(p) = pid {
            signal_group(p, libc::SIGTERM);
        }
        killer.escalate_at = Some(tokio::time::Instant::now() + DEFAULT_KILL_GRACE);
    }
    // Opened after the identity check: the pidfd then pins the wrapper.
    let exit_fd = pidfd(executor_pid).filter(|_| wrapper_alive(executor_pid, &spec_path));
    let mut tick = tokio::time::interval(if exit_fd.is_some() {
        Duration::from_secs(1)
    } else {
        Duration::from_millis(200)
    });
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Updates carry the last check result the task's updates carried.
    let recovered = recovered_task(&ctx);
    if let Some((task, statuses, _)) = &recovered {
        if task.check.is_some() {
            ctx.set_check_status(super::checks::last_reported(statuses));
        }
    }
    if pid.is_some() {
        ctx.running_after_recovery(executor_pid);
    }
    // Health checks and checks resume where the task's updates say they
    // were, once the command runs (not while a kill is under way).
    let mut health = HealthWatch::default();
    let mut checks = CheckWatch::default();
    if pid.is_some() && !killer.killed {
        health = HealthWatch::start(resumed_health(&ctx, recovered.as_ref()));
        checks = resumed_checks(&ctx, recovered.as_ref());
    }
    let mut kill_open = true;
    let outcome = loop {
        tokio::select! {
            _ = process_exit(exit_fd.as_ref()) => break read_wait_status(&status_path),
            _ = tick.tick() => {
                if let Some(w) = read_wait_status(&status_path) {
                    break Some(w);
                }
                if pid.is_none() {
                    pid = read_pid(&pid_path);
                    if let Some(p) = pid {
                        if let Some(e) = ctx.agent.lock().executor_mut(&ctx.fid, &ctx.eid) {
                            e.pid = Some(p);
                        }
                        ctx.running_after_recovery(executor_pid);
                        if killer.killed {
                            signal_group(p, libc::SIGTERM);
                        } else {
                            health = HealthWatch::start(resumed_health(&ctx, recovered.as_ref()));
                            checks = resumed_checks(&ctx, recovered.as_ref());
                        }
                    }
                }
                if !wrapper_alive(executor_pid, &spec_path) {
                    break read_wait_status(&status_path);
                }
            }
            k = kill_rx.recv(), if kill_open => match k {
                None => kill_open = false,
                Some(k) => {
                    checks.stop();
                    killer.kill_checked(&ctx, &mut health, k, pid, Some(executor_pid))
                }
            },
            r = health.next() => killer.health_report(&ctx, &mut health, r, pid, Some(executor_pid)),
            c = checks.next() => ctx.check_update(c, Some(executor_pid)),
            _ = killer.escalation() => killer.escalate(&ctx, pid),
        }
    };
    health.stop();
    checks.stop();
    match outcome {
        Some(WaitStatus::Exited(raw)) => ctx.finish(raw, killer.killed, Some(executor_pid)),
        Some(WaitStatus::Error(msg)) => {
            ctx.launch_failed(&format!("Failed to launch container: {msg}"))
        }
        None => {
            if let Some(p) = pid {
                signal_group(p, libc::SIGKILL);
            }
            ctx.executor_gone("the executor exited without recording the command's exit status");
        }
    }
}

/// A recovered task's info, its updates and its launch environment (none
/// without a readable launch spec).
type Recovered = (TaskInfo, Vec<V1TaskStatus>, Vec<(String, String)>);

fn recovered_task(ctx: &Ctx) -> Option<Recovered> {
    let (info, statuses) = {
        let st = ctx.agent.lock();
        let e = st.executor(&ctx.fid, &ctx.eid)?;
        (e.task.info.clone(), e.task.statuses.clone())
    };
    let launch: LaunchSpec = std::fs::read(ctx.meta_dir.join("launch.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())?;
    Some((info, statuses, launch.env))
}

/// The checker of a recovered task, if it has a check.
fn resumed_checks(ctx: &Ctx, recovered: Option<&Recovered>) -> CheckWatch {
    match recovered {
        Some((task, statuses, env)) if task.check.is_some() => {
            ctx.start_checks(task.check.as_ref(), env.clone(), Some(statuses))
        }
        _ => CheckWatch::default(),
    }
}

/// The health checker of a recovered task, if it has a check: the task's
/// environment from its launch spec, the state its updates imply.
fn resumed_health(ctx: &Ctx, recovered: Option<&Recovered>) -> Option<health::Spec> {
    let (task, statuses, env) = recovered?;
    let check = task.health_check.as_ref()?;
    health::Spec::of(&ctx.tid, Some(check), ctx.runtime(env.clone())).map(|s| s.resumed(statuses))
}
