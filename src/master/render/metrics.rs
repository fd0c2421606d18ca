//! `/metrics/snapshot` values of the master (doubles, keyed by name).

use std::collections::BTreeMap;

use crate::master::state::MasterState;
use crate::resources::Resources;

/// Host metrics (`system/*`) from /proc; absent keys on other systems.
pub fn system_metrics() -> BTreeMap<String, f64> {
    let mut m = BTreeMap::new();
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    m.insert("system/cpus_total".into(), cpus as f64);
    if let Ok(l) = std::fs::read_to_string("/proc/loadavg") {
        let parts: Vec<f64> = l
            .split_whitespace()
            .take(3)
            .filter_map(|x| x.parse().ok())
            .collect();
        if parts.len() == 3 {
            m.insert("system/load_1min".into(), parts[0]);
            m.insert("system/load_5min".into(), parts[1]);
            m.insert("system/load_15min".into(), parts[2]);
        }
    }
    if let Ok(mi) = std::fs::read_to_string("/proc/meminfo") {
        let kb = |key: &str| {
            mi.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        };
        if let Some(t) = kb("MemTotal:") {
            m.insert("system/mem_total_bytes".into(), t * 1024.0);
        }
        if let Some(f) = kb("MemFree:") {
            m.insert("system/mem_free_bytes".into(), f * 1024.0);
        }
    }
    m
}

/// The master's `/metrics/snapshot` values (without `system/*`).
pub fn master_metrics(st: &MasterState, uptime_secs: f64) -> BTreeMap<String, f64> {
    let mut m: BTreeMap<String, f64> = BTreeMap::new();
    // `+ 0.0` turns a negative zero (empty sums) into 0.0.
    let mut put = |k: &str, v: f64| {
        m.insert(k.to_string(), v + 0.0);
    };
    put("master/elected", if st.leading() { 1.0 } else { 0.0 });
    put("master/uptime_secs", uptime_secs);
    let active = st.agents.values().filter(|a| a.active).count() as f64;
    let agents = st.agents.len() as f64;
    put("master/slaves_active", active);
    put("master/slaves_inactive", agents - active);
    // An agent is deactivated when its connection drops (agents.rs probes
    // it), so connected agents are the active ones.
    put("master/slaves_connected", active);
    put("master/slaves_disconnected", agents - active);
    put("master/slaves_unreachable", st.removed_agents.len() as f64);
    let fw_active = st.frameworks.values().filter(|f| f.active).count() as f64;
    let fw_connected = st.frameworks.values().filter(|f| f.connected).count() as f64;
    let fws = st.frameworks.len() as f64;
    put("master/frameworks_active", fw_active);
    put("master/frameworks_inactive", fws - fw_active);
    put("master/frameworks_connected", fw_connected);
    put("master/frameworks_disconnected", fws - fw_connected);
    let gauges = st.task_state_counts();
    let g = |s: &str| gauges.get(s).copied().unwrap_or(0) as f64;
    put("master/tasks_staging", g("TASK_STAGING"));
    put("master/tasks_starting", g("TASK_STARTING"));
    put("master/tasks_running", g("TASK_RUNNING"));
    put("master/tasks_killing", g("TASK_KILLING"));
    put("master/tasks_unreachable", g("TASK_UNREACHABLE"));
    let c = &st.counters;
    put("master/tasks_finished", c.tasks_finished as f64);
    put("master/tasks_failed", c.tasks_failed as f64);
    put("master/tasks_killed", c.tasks_killed as f64);
    put("master/tasks_lost", c.tasks_lost as f64);
    put("master/tasks_error", c.tasks_error as f64);
    put("master/tasks_dropped", c.tasks_dropped as f64);
    put("master/tasks_gone", c.tasks_gone as f64);
    put("master/tasks_gone_by_operator", 0.0);
    put("master/outstanding_offers", st.offers.len() as f64);
    put("master/slave_registrations", c.agent_registrations as f64);
    put(
        "master/slave_reregistrations",
        c.agent_reregistrations as f64,
    );
    put("master/slave_removals", c.agents_removed as f64);
    put(
        "master/invalid_status_updates",
        c.invalid_status_updates as f64,
    );
    put(
        "master/valid_status_updates",
        c.status_updates.saturating_sub(c.invalid_status_updates) as f64,
    );
    put("master/dropped_messages", 0.0);
    put("master/event_queue_messages", 0.0);
    put("master/event_queue_dispatches", 0.0);
    put("master/event_queue_http_requests", 0.0);
    put("master/recovery_slave_removals", 0.0);
    // Resources: totals of registered agents, used = allocated, offered.
    let mut total = Resources::new();
    let mut used = Resources::new();
    let mut offered = Resources::new();
    for a in st.agents.values() {
        total.add(&a.total);
        used.add(&a.allocated);
        offered.add(&a.offered);
    }
    for r in ["cpus", "mem", "disk", "gpus"] {
        let t = total.scalar(r);
        let u = used.scalar(r);
        put(&format!("master/{r}_total"), t);
        put(&format!("master/{r}_used"), u);
        put(
            &format!("master/{r}_percent"),
            if t > 0.0 { u / t } else { 0.0 },
        );
        put(&format!("master/{r}_revocable_total"), 0.0);
        put(&format!("master/{r}_revocable_used"), 0.0);
        put(&format!("master/{r}_revocable_percent"), 0.0);
        put(&format!("allocator/mesos/resources/{r}/total"), t);
        put(
            &format!("allocator/mesos/resources/{r}/offered_or_allocated"),
            u + offered.scalar(r),
        );
    }
    put("allocator/mesos/event_queue_dispatches", 0.0);
    m.extend(crate::master::metrics::snapshot(&c.messages, &c.registrar));
    m
}

/// All of `/metrics/snapshot`.
pub fn metrics_snapshot(st: &MasterState, uptime_secs: f64) -> BTreeMap<String, f64> {
    let mut m = master_metrics(st, uptime_secs);
    m.extend(system_metrics());
    m
}
