//! Status updates: acknowledge, record, print, and start `--follow`.

use std::io::IsTerminal;

use tokio::time::Instant;

use super::follow::{Follower, Target};
use super::spec::{self, Plan};
use super::{is_terminal, Runner, FOLLOW_DRAIN};
use crate::error::Result;
use crate::wire::agent_v1::V1TaskStatus;

/// Colour for a state on a terminal stderr (never with NO_COLOR).
fn paint(state: &str) -> String {
    let tty = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if !tty {
        return state.to_string();
    }
    let code = match state {
        "TASK_FINISHED" => "32",
        "TASK_RUNNING" => "36",
        s if is_terminal(s) => "31",
        _ => "33",
    };
    format!("\x1b[{code}m{state}\x1b[0m")
}

impl Runner {
    pub(super) async fn on_update(&mut self, status: V1TaskStatus) -> Result<()> {
        // Acknowledge first: the agent keeps resending until we do.
        if status.uuid.is_some() {
            self.sched
                .acknowledge(&status)
                .await
                .map_err(|e| e.context("ACKNOWLEDGE failed"))?;
        }
        let tid = status.task_id.value.as_str();
        let Some(i) = self.tasks.iter().position(|t| t.id() == tid) else {
            return Ok(());
        };
        let state = match status.state.as_str() {
            "" => "TASK_UNKNOWN".to_string(),
            s => s.to_string(),
        };
        let message = status.message.clone().unwrap_or_default();
        let reason = status.reason.clone().unwrap_or_default();
        let source = status.source.clone().unwrap_or_default();
        let t = &mut self.tasks[i];
        let repeat = t.state.as_deref() == Some(state.as_str())
            && t.last
                .as_ref()
                .and_then(|l| l.message.as_deref())
                .unwrap_or("")
                == message;
        if t.terminal() && !is_terminal(&state) {
            return Ok(()); // a stale retry
        }
        if t.agent_id.is_empty() {
            if let Some(a) = &status.agent_id {
                t.agent_id = a.value.clone();
            }
        }
        t.state = Some(state.clone());
        t.last = Some(status.clone());
        // Print the task's last output before its terminal state.
        if is_terminal(&state) {
            if let Some(f) = t.follower.take() {
                f.finish(FOLLOW_DRAIN).await;
            }
        }
        if !repeat {
            let mut line = format!("task {tid}: {}", paint(&state));
            let failing = is_terminal(&state) && state != "TASK_FINISHED";
            if failing && (!reason.is_empty() || !source.is_empty()) {
                let parts: Vec<&str> = [reason.as_str(), source.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect();
                line.push_str(&format!(" ({})", parts.join(", ")));
            }
            if !message.is_empty() {
                line.push_str(&format!(": {message}"));
            }
            self.say(line);
        }
        let several = self.tasks.len() > 1;
        let t = &mut self.tasks[i];
        if state == "TASK_RUNNING" && t.kill_at.is_none() {
            if let Some(d) = self.o.kill_after {
                t.kill_at = Some(Instant::now() + d);
            }
        }
        // --follow: start once the sandbox can exist (not for master-made failures).
        if self.o.follow && !t.followed && source != "SOURCE_MASTER" && t.agent_url.is_some() {
            t.followed = true;
            let (executor_id, subdir) = match &self.o.plan {
                Plan::Group(_) => (
                    spec::DEFAULT_EXECUTOR_ID.to_string(),
                    format!("tasks/{tid}"),
                ),
                Plan::Tasks(_) => (
                    status
                        .executor_id
                        .as_ref()
                        .map_or(tid, |e| e.value.as_str())
                        .to_string(),
                    String::new(),
                ),
            };
            let prefix = several.then(|| format!("[{tid}] "));
            let target = Target {
                agent: t.agent_url.clone().expect("checked"),
                framework_id: self.sched.framework_id.clone(),
                executor_id,
                subdir,
                prefix,
            };
            t.follower = Some(Follower::spawn(self.http.clone(), target));
        }
        if is_terminal(&state) {
            if let Some(f) = self.tasks[i].follower.take() {
                f.finish(FOLLOW_DRAIN).await;
            }
        }
        Ok(())
    }
}
