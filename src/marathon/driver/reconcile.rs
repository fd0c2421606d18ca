//! Task reconciliation, as Marathon does it after (re)subscribing and on
//! every `--reconciliation_interval`: an explicit RECONCILE naming every
//! known instance (the master answers each, `TASK_UNKNOWN`/`TASK_GONE` for
//! those it does not know, which drops them and lets them be replaced),
//! then an implicit one (the master sends every task it knows of ours;
//! running tasks we know are adopted as they are, tasks of no known app
//! are killed). The answers are ordinary status updates
//! ([`super::status`]) without a uuid, so they are not acknowledged.

use crate::wire::scheduler::ReconcileTask;

use super::connection::Session;

impl Session<'_> {
    pub async fn reconcile(&mut self) {
        let tasks: Vec<ReconcileTask> = self
            .m
            .lock()
            .instances
            .values()
            .map(|i| {
                ReconcileTask::new(
                    &i.task_id,
                    Some(i.agent_id.as_str()).filter(|a| !a.is_empty()),
                )
            })
            .collect();
        let n = tasks.len();
        if n > 0 {
            if let Err(e) = self.sched.reconcile(tasks).await {
                crate::warning!("cannot reconcile {n} tasks: {e}");
                return;
            }
        }
        if let Err(e) = self.sched.reconcile(Vec::new()).await {
            crate::warning!("cannot reconcile (implicitly): {e}");
        }
    }
}
