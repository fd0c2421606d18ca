//! A framework entry of the master's model from a v1 FrameworkInfo (on
//! SUBSCRIBE, and for frameworks known only from re-registering agents).

use std::collections::BTreeSet;
use std::time::Instant;

use serde_json::{json, Value};

use super::state::FrameworkEntry;

/// Items of a repeated field; a single object counts as one element.
fn list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

/// Parse a FrameworkInfo into a (connected or not) framework entry.
pub fn framework_from_info(id: &str, info: &Value, now: f64, connected: bool) -> FrameworkEntry {
    let capabilities: Vec<String> = list(info.get("capabilities"))
        .iter()
        .filter_map(|c| c.get("type").and_then(Value::as_str).map(str::to_string))
        .collect();
    let multi_role = capabilities.iter().any(|c| c == "MULTI_ROLE");
    let roles: Vec<String> = if multi_role {
        list(info.get("roles"))
            .iter()
            .filter_map(|r| r.as_str().map(str::to_string))
            .collect()
    } else {
        vec![info
            .get("role")
            .and_then(Value::as_str)
            .unwrap_or("*")
            .to_string()]
    };
    // Indexing below panics on a non-object: a client may send any JSON here.
    let mut info = if info.is_object() {
        info.clone()
    } else {
        json!({})
    };
    info["id"] = json!({"value": id});
    // Defaults real Mesos writes out.
    for (k, d) in [
        ("failover_timeout", json!(0.0)),
        ("checkpoint", json!(false)),
    ] {
        if info.get(k).is_none() {
            info[k] = d;
        }
    }
    let s = |k: &str| {
        info.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    FrameworkEntry {
        id: id.to_string(),
        name: s("name"),
        user: s("user"),
        roles: if roles.is_empty() {
            vec!["*".into()]
        } else {
            roles
        },
        multi_role,
        principal: info
            .get("principal")
            .and_then(Value::as_str)
            .map(str::to_string),
        hostname: s("hostname"),
        webui_url: s("webui_url"),
        failover_timeout: info
            .get("failover_timeout")
            .and_then(Value::as_f64)
            .unwrap_or(0.0),
        checkpoint: info
            .get("checkpoint")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        capabilities,
        active: connected,
        connected,
        recovered: false,
        registered_time: now,
        reregistered_time: None,
        unregistered_time: 0.0,
        disconnected_at: if connected {
            None
        } else {
            Some(Instant::now())
        },
        tasks: Default::default(),
        unreachable_tasks: Default::default(),
        completed_tasks: Default::default(),
        stream: None,
        filters: Vec::new(),
        suppressed_roles: BTreeSet::new(),
        info,
    }
}
