//! Helpers for tests that drive the v1 scheduler API themselves.

use std::time::Duration;

use mesos::scheduler_client::Events;
use serde_json::{json, Value};

/// How long [`next_of`] waits.
pub const EVENT_DEADLINE: Duration = Duration::from_secs(60);

/// v1 resources: `cpus` and `mem` scalars.
pub fn res(cpus: f64, mem: f64) -> Vec<Value> {
    vec![
        json!({"name": "cpus", "type": "SCALAR", "scalar": {"value": cpus}}),
        json!({"name": "mem", "type": "SCALAR", "scalar": {"value": mem}}),
    ]
}

/// Next event of one of `types` (others, e.g. HEARTBEAT, are skipped).
pub async fn next_of(ev: &mut Events, types: &[&str]) -> Value {
    tokio::time::timeout(EVENT_DEADLINE, async {
        loop {
            let e = ev.next().await.unwrap().expect("stream open");
            if types.contains(&e["type"].as_str().unwrap_or("")) {
                return e;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no {types:?} event within {EVENT_DEADLINE:?}"))
}
