//! A framework entry of the master's model from a v1 FrameworkInfo (on
//! SUBSCRIBE, and for frameworks known only from re-registering agents).

use std::collections::BTreeSet;
use std::time::Instant;

use super::state::FrameworkEntry;
use crate::wire::agent_v1::Id;
use crate::wire::framework::FrameworkInfo;

/// Parse a FrameworkInfo into a (connected or not) framework entry. The
/// stored info gets its `id` and the defaults real Mesos writes out
/// (`failover_timeout` 0, `checkpoint` false).
pub fn framework_from_info(
    id: &str,
    info: &FrameworkInfo,
    now: f64,
    connected: bool,
) -> FrameworkEntry {
    let capabilities = info.capability_names();
    let multi_role = info.has_capability("MULTI_ROLE");
    let roles: Vec<String> = if multi_role {
        info.roles.clone()
    } else {
        vec![info.role.clone().unwrap_or_else(|| "*".into())]
    };
    let mut info = info.clone();
    info.id = Some(Id::new(id));
    info.failover_timeout.get_or_insert(0.0);
    info.checkpoint.get_or_insert(false);
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    FrameworkEntry {
        id: id.to_string(),
        name: s(&info.name),
        user: s(&info.user),
        roles: if roles.is_empty() {
            vec!["*".into()]
        } else {
            roles
        },
        multi_role,
        principal: info.principal.clone(),
        hostname: s(&info.hostname),
        webui_url: s(&info.webui_url),
        failover_timeout: info.failover_timeout.unwrap_or(0.0),
        checkpoint: info.checkpoint.unwrap_or(false),
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
        executors: Default::default(),
        info,
    }
}

/// [`framework_from_info`] for a FrameworkInfo received as JSON (from a
/// re-registering agent); an unreadable one yields an info with only the id.
pub fn framework_from_json(
    id: &str,
    info: &serde_json::Value,
    now: f64,
    connected: bool,
) -> FrameworkEntry {
    use serde::Deserialize as _;
    let info = FrameworkInfo::deserialize(info).unwrap_or_else(|e| {
        crate::warning!("Framework {id}: unreadable FrameworkInfo ({e}); keeping its id only");
        FrameworkInfo::default()
    });
    framework_from_info(id, &info, now, connected)
}
