//! The agent's `/metrics/snapshot` values (also v1 `GET_METRICS`), from its
//! counters and state.

use std::collections::BTreeMap;

use super::core::Agent;
use super::model::Phase;
use super::sysres;
use crate::wire::TaskState;

/// `/metrics/snapshot` values.
pub fn snapshot(agent: &Agent) -> BTreeMap<String, f64> {
    let st = agent.lock();
    let mut m: BTreeMap<String, f64> = BTreeMap::new();
    let mut put = |k: &str, v: f64| {
        m.insert(k.to_string(), v);
    };
    put("slave/uptime_secs", agent.started.elapsed().as_secs_f64());
    put(
        "slave/registered",
        if agent.registered().is_some() {
            1.0
        } else {
            0.0
        },
    );
    put("slave/recovery_errors", st.counters.recovery_errors as f64);
    put("slave/frameworks_active", st.frameworks.len() as f64);
    let mut counts: std::collections::HashMap<TaskState, f64> = Default::default();
    let (mut running, mut terminating, mut registering) = (0.0, 0.0, 0.0);
    for f in st.frameworks.values() {
        for e in f.executors.values() {
            for t in e.tasks() {
                *counts.entry(t.state.clone()).or_default() += 1.0;
            }
            match e.phase {
                Phase::Launching => registering += 1.0,
                Phase::Running if e.killed => terminating += 1.0,
                Phase::Running => running += 1.0,
                Phase::Terminated => {}
            }
        }
    }
    let live = |s: TaskState| counts.get(&s).copied().unwrap_or(0.0);
    put("slave/tasks_staging", live(TaskState::Staging));
    put("slave/tasks_starting", live(TaskState::Starting));
    put("slave/tasks_running", live(TaskState::Running));
    put("slave/tasks_killing", live(TaskState::Killing));
    let c = &st.counters;
    put("slave/tasks_finished", c.tasks_finished as f64);
    put("slave/tasks_failed", c.tasks_failed as f64);
    put("slave/tasks_killed", c.tasks_killed as f64);
    put("slave/tasks_lost", c.tasks_lost as f64);
    put(
        "slave/tasks_gone",
        c.tasks_gone as f64 + c.tasks_dropped as f64,
    );
    put("slave/tasks_gone_by_operator", 0.0);
    put("slave/executors_registering", registering);
    put("slave/executors_running", running);
    put("slave/executors_terminating", terminating);
    put("slave/executors_terminated", c.executors_terminated as f64);
    put("slave/executors_preempted", 0.0);
    put("slave/valid_status_updates", c.valid_status_updates as f64);
    // Not in real Mesos: updates resent because no acknowledgement came
    // within the resend interval (agent/status.rs).
    put("slave/status_update_resends", agent.status.resends() as f64);
    put(
        "slave/invalid_status_updates",
        c.invalid_status_updates as f64,
    );
    put(
        "slave/valid_framework_messages",
        c.valid_framework_messages as f64,
    );
    put("slave/invalid_framework_messages", 0.0);
    put(
        "slave/container_launch_errors",
        c.container_launch_errors as f64,
    );
    put(
        "slave/executor_directory_max_allowed_age_secs",
        agent
            .cfg
            .flags
            .duration("gc_delay")
            .map(|d| d.as_secs_f64())
            .unwrap_or(604800.0),
    );
    let total = &agent.cfg.resources;
    let used = st.allocated();
    for r in ["cpus", "gpus", "mem", "disk"] {
        let t = total.scalar(r);
        let u = used.scalar(r);
        put(&format!("slave/{r}_total"), t);
        put(&format!("slave/{r}_used"), u);
        put(
            &format!("slave/{r}_percent"),
            if t > 0.0 { u / t } else { 0.0 },
        );
        put(&format!("slave/{r}_revocable_total"), 0.0);
        put(&format!("slave/{r}_revocable_used"), 0.0);
        put(&format!("slave/{r}_revocable_percent"), 0.0);
    }
    put("containerizer/mesos/container_destroy_errors", 0.0);
    put("containerizer/fetcher/cache_size_total_bytes", 0.0);
    put("containerizer/fetcher/cache_size_used_bytes", 0.0);
    put("containerizer/fetcher/task_fetches_succeeded", 0.0);
    put("containerizer/fetcher/task_fetches_failed", 0.0);
    put("gc/path_removals_pending", 0.0);
    put("gc/path_removals_succeeded", 0.0);
    put("gc/path_removals_failed", 0.0);
    put(
        "system/cpus_total",
        std::thread::available_parallelism()
            .map(|n| n.get() as f64)
            .unwrap_or(1.0),
    );
    if let Some((l1, l5, l15)) = sysres::load_average() {
        put("system/load_1min", l1);
        put("system/load_5min", l5);
        put("system/load_15min", l15);
    }
    if let Some(t) = sysres::total_memory() {
        put("system/mem_total_bytes", t as f64);
    }
    if let Some(f) = sysres::free_ram() {
        put("system/mem_free_bytes", f as f64);
    }
    m
}
