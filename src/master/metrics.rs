//! The master's message and registrar counters for `/metrics/snapshot` and
//! GET_METRICS, named as real Mesos 1.11 names them
//! (docs/wire-notes.md#master-metrics). Each counter moves when this master
//! sees the event; the few that cannot move here are listed in
//! [`STRUCTURALLY_ZERO`] with the reason.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

/// Messages received, by kind, as real Mesos counts them (one per call or
/// message, valid or not).
#[derive(Clone, Debug, Default)]
pub struct Messages {
    // From schedulers (v1 scheduler calls).
    pub register_framework: u64,
    pub reregister_framework: u64,
    pub unregister_framework: u64,
    pub kill_task: u64,
    pub status_update_acknowledgement: u64,
    pub operation_status_update_acknowledgement: u64,
    pub resource_request: u64,
    pub launch_tasks: u64,
    pub decline_offers: u64,
    pub revive_offers: u64,
    pub suppress_offers: u64,
    pub reconcile_operations: u64,
    pub reconcile_tasks: u64,
    pub framework_to_executor: u64,
    // From agents (internal protocol).
    pub register_slave: u64,
    pub reregister_slave: u64,
    pub status_update: u64,
    pub exited_executor: u64,
    pub executor_to_framework: u64,
    // Outcomes.
    pub valid_status_update_acknowledgements: u64,
    pub invalid_status_update_acknowledgements: u64,
    pub valid_framework_to_executor_messages: u64,
    pub invalid_framework_to_executor_messages: u64,
    pub valid_executor_to_framework_messages: u64,
    pub invalid_executor_to_framework_messages: u64,
    /// Agents marked unreachable after missing pings (there is no removal
    /// rate limit, so every scheduled removal completes at once).
    pub slave_unreachable_completed: u64,
    /// Agents removed because their machine was brought down.
    pub slave_removals_reason_registered: u64,
}

impl Messages {
    /// Count one v1 scheduler call by its `type` (`resubscribe`: a SUBSCRIBE
    /// that names its framework id).
    pub fn scheduler_call(&mut self, ty: &str, resubscribe: bool) {
        let c = match ty {
            "SUBSCRIBE" if resubscribe => &mut self.reregister_framework,
            "SUBSCRIBE" => &mut self.register_framework,
            "TEARDOWN" => &mut self.unregister_framework,
            "KILL" => &mut self.kill_task,
            "ACKNOWLEDGE" => &mut self.status_update_acknowledgement,
            "ACKNOWLEDGE_OPERATION_STATUS" => &mut self.operation_status_update_acknowledgement,
            "REQUEST" => &mut self.resource_request,
            "ACCEPT" => &mut self.launch_tasks,
            "DECLINE" => &mut self.decline_offers,
            "REVIVE" => &mut self.revive_offers,
            "SUPPRESS" => &mut self.suppress_offers,
            "RECONCILE_OPERATIONS" => &mut self.reconcile_operations,
            "RECONCILE" => &mut self.reconcile_tasks,
            "MESSAGE" => &mut self.framework_to_executor,
            _ => return,
        };
        *c += 1;
    }
}

/// Keys real Mesos has that cannot move on this master, and why (also in
/// docs/wire-notes.md). They are reported as 0.
pub const STRUCTURALLY_ZERO: &[(&str, &str)] = &[
    (
        "master/messages_deactivate_framework",
        "sent only by the v0 scheduler driver",
    ),
    (
        "master/messages_authenticate",
        "driver-era (SASL) authentication does not exist here",
    ),
    (
        "master/messages_unregister_slave",
        "agents never unregister; they stop pinging",
    ),
    (
        "master/messages_update_slave",
        "agents' resources do not change after registration",
    ),
    (
        "master/messages_operation_status_update",
        "no offer operation has a status of its own here",
    ),
    (
        "master/valid_operation_status_updates",
        "no offer operation has a status of its own here",
    ),
    ("master/invalid_operation_status_updates", "as above"),
    (
        "master/valid_operation_status_update_acknowledgements",
        "as above",
    ),
    (
        "master/invalid_operation_status_update_acknowledgements",
        "as above",
    ),
    (
        "master/slave_shutdowns_scheduled",
        "deprecated in real Mesos 1.x, always 0 there too",
    ),
    ("master/slave_shutdowns_completed", "as above"),
    ("master/slave_shutdowns_canceled", "as above"),
    (
        "master/slave_unreachable_canceled",
        "there is no removal rate limit: a removal is never pending",
    ),
    (
        "master/slave_removals/reason_unregistered",
        "agents never unregister",
    ),
    ("master/http_cache_hits", "there is no HTTP response cache"),
];

/// Most samples a timer keeps for its percentiles (libprocess keeps a
/// bounded time series too).
const TIMER_WINDOW: usize = 1000;

/// A libprocess-style timer in milliseconds: the last value under its own
/// name, and `/count`, `/min`, `/max`, `/p50` ... `/p9999` over the recent
/// samples.
#[derive(Clone, Debug, Default)]
pub struct Timer {
    samples: VecDeque<f64>,
    count: u64,
}

impl Timer {
    pub fn record(&mut self, d: Duration) {
        if self.samples.len() == TIMER_WINDOW {
            self.samples.pop_front();
        }
        self.samples.push_back(d.as_secs_f64() * 1000.0);
        self.count += 1;
    }

    /// Add this timer's keys under `name`: the last value (0 before any
    /// sample), and the statistics once there are samples.
    pub fn render(&self, name: &str, out: &mut BTreeMap<String, f64>) {
        out.insert(name.into(), self.samples.back().copied().unwrap_or(0.0));
        if self.samples.is_empty() {
            return;
        }
        let mut v: Vec<f64> = self.samples.iter().copied().collect();
        v.sort_by(f64::total_cmp);
        out.insert(format!("{name}/count"), self.count as f64);
        out.insert(format!("{name}/min"), v[0]);
        out.insert(format!("{name}/max"), v[v.len() - 1]);
        for (key, p) in [
            ("p50", 0.5),
            ("p90", 0.9),
            ("p95", 0.95),
            ("p99", 0.99),
            ("p999", 0.999),
            ("p9999", 0.9999),
        ] {
            out.insert(format!("{name}/{key}"), percentile(&v, p));
        }
    }
}

/// Linear interpolation between the closest ranks (as stout's statistics).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let pos = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// The registrar's metrics. The registry (master/registry.rs) calls
/// [`Registrar::fetched`] after reading the registry on election and
/// [`Registrar::stored`] after each write; the maintenance, quota and
/// weights updates of this master record their in-memory stores too.
#[derive(Clone, Debug, Default)]
pub struct Registrar {
    pub queued_operations: u64,
    pub registry_size_bytes: u64,
    pub state_fetch_ms: Timer,
    pub state_store_ms: Timer,
}

impl Registrar {
    pub fn fetched(&mut self, took: Duration, size_bytes: u64) {
        self.state_fetch_ms.record(took);
        self.registry_size_bytes = size_bytes;
    }
    pub fn stored(&mut self, took: Duration, size_bytes: u64) {
        self.state_store_ms.record(took);
        self.registry_size_bytes = size_bytes;
    }
}

/// The keys of this module, to be merged into the master's snapshot.
pub fn snapshot(msg: &Messages, reg: &Registrar) -> BTreeMap<String, f64> {
    let mut m = BTreeMap::new();
    let mut put = |k: &str, v: u64| {
        m.insert(format!("master/{k}"), v as f64);
    };
    put("messages_register_framework", msg.register_framework);
    put("messages_reregister_framework", msg.reregister_framework);
    put("messages_unregister_framework", msg.unregister_framework);
    put("messages_kill_task", msg.kill_task);
    put(
        "messages_status_update_acknowledgement",
        msg.status_update_acknowledgement,
    );
    put(
        "messages_operation_status_update_acknowledgement",
        msg.operation_status_update_acknowledgement,
    );
    put("messages_resource_request", msg.resource_request);
    put("messages_launch_tasks", msg.launch_tasks);
    put("messages_decline_offers", msg.decline_offers);
    put("messages_revive_offers", msg.revive_offers);
    put("messages_suppress_offers", msg.suppress_offers);
    put("messages_reconcile_operations", msg.reconcile_operations);
    put("messages_reconcile_tasks", msg.reconcile_tasks);
    put("messages_framework_to_executor", msg.framework_to_executor);
    put("messages_register_slave", msg.register_slave);
    put("messages_reregister_slave", msg.reregister_slave);
    put("messages_status_update", msg.status_update);
    put("messages_exited_executor", msg.exited_executor);
    put("messages_executor_to_framework", msg.executor_to_framework);
    put(
        "valid_executor_to_framework_messages",
        msg.valid_executor_to_framework_messages,
    );
    put(
        "invalid_executor_to_framework_messages",
        msg.invalid_executor_to_framework_messages,
    );
    put(
        "valid_status_update_acknowledgements",
        msg.valid_status_update_acknowledgements,
    );
    put(
        "invalid_status_update_acknowledgements",
        msg.invalid_status_update_acknowledgements,
    );
    put(
        "valid_framework_to_executor_messages",
        msg.valid_framework_to_executor_messages,
    );
    put(
        "invalid_framework_to_executor_messages",
        msg.invalid_framework_to_executor_messages,
    );
    put(
        "slave_unreachable_scheduled",
        msg.slave_unreachable_completed,
    );
    put(
        "slave_unreachable_completed",
        msg.slave_unreachable_completed,
    );
    put(
        "slave_removals/reason_unhealthy",
        msg.slave_unreachable_completed,
    );
    put(
        "slave_removals/reason_registered",
        msg.slave_removals_reason_registered,
    );
    for (k, _) in STRUCTURALLY_ZERO {
        m.insert((*k).to_string(), 0.0);
    }
    m.insert(
        "registrar/queued_operations".into(),
        reg.queued_operations as f64,
    );
    m.insert(
        "registrar/registry_size_bytes".into(),
        reg.registry_size_bytes as f64,
    );
    reg.state_fetch_ms
        .render("registrar/state_fetch_ms", &mut m);
    reg.state_store_ms
        .render("registrar/state_store_ms", &mut m);
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timer_keys_appear_with_samples() {
        let mut t = Timer::default();
        let mut m = BTreeMap::new();
        t.render("registrar/state_store_ms", &mut m);
        assert_eq!(m.len(), 1);
        for ms in [1, 2, 3, 4] {
            t.record(Duration::from_millis(ms));
        }
        t.render("registrar/state_store_ms", &mut m);
        assert_eq!(m["registrar/state_store_ms"], 4.0);
        assert_eq!(m["registrar/state_store_ms/count"], 4.0);
        assert_eq!(m["registrar/state_store_ms/min"], 1.0);
        assert_eq!(m["registrar/state_store_ms/max"], 4.0);
        assert_eq!(m["registrar/state_store_ms/p50"], 2.5);
        assert!(m.contains_key("registrar/state_store_ms/p9999"));
    }

    #[test]
    fn scheduler_calls_count_by_kind() {
        let mut msg = Messages::default();
        msg.scheduler_call("SUBSCRIBE", false);
        msg.scheduler_call("SUBSCRIBE", true);
        msg.scheduler_call("DECLINE", false);
        msg.scheduler_call("ACKNOWLEDGE", false);
        msg.scheduler_call("HEARTBEAT?", false);
        let s = snapshot(&msg, &Registrar::default());
        assert_eq!(s["master/messages_register_framework"], 1.0);
        assert_eq!(s["master/messages_reregister_framework"], 1.0);
        assert_eq!(s["master/messages_decline_offers"], 1.0);
        assert_eq!(s["master/messages_status_update_acknowledgement"], 1.0);
        assert_eq!(s["master/slave_shutdowns_scheduled"], 0.0);
        assert_eq!(s["registrar/queued_operations"], 0.0);
    }
}
