//! Checks the master applies to scheduler and operator calls before anything
//! is stored or sent to an agent: every id with the rules of
//! [`crate::daemon::ids`], and a size cap on the free-text fields of a
//! FrameworkInfo and a TaskInfo, which the master copies into every state
//! response, event and log line; a task's health check is validated as
//! Mesos does (`Task uses invalid health check: ...`).

use crate::daemon::ids::validate_id;
use crate::wire::agent_v1::{ExecutorInfo, TaskInfo};
use crate::wire::framework::FrameworkInfo;
use crate::wire::scheduler::{Call, IdRef};

/// Largest request body the master reads (scheduler, operator and internal
/// calls). An ACCEPT launching a thousand ordinary tasks is about 0.5 MiB, a
/// thousand heavy ones (environment, labels, URIs, health check) about
/// 3 MiB (bench/scheduler-body-size.sh); 8 MiB leaves room for those while a
/// client cannot make the master buffer more. Beyond it: 413. The agent
/// keeps axum's 2 MiB: its calls carry one task each.
pub const MAX_BODY_BYTES: usize = 8 << 20;

/// Longest framework or task name, user, hostname, principal or role the
/// master accepts (bytes). Real names are a few dozen bytes; this keeps a
/// single call from inflating every later state response.
pub const MAX_TEXT_BYTES: usize = 1024;

/// Longest `webui_url`.
pub const MAX_URL_BYTES: usize = 4096;

/// Validate an id when the field is present and a string.
fn check(id: &Option<IdRef>, kind: &str) -> Result<(), String> {
    match id.as_ref().and_then(|i| i.value.as_deref()) {
        Some(id) => validate_id(kind, id),
        None => Ok(()),
    }
}

/// The ids of a scheduler call other than SUBSCRIBE (whose framework id is
/// checked by [`framework_info`]): framework, agent and executor ids. Task
/// ids are checked where a task is created (LAUNCH); KILL, ACKNOWLEDGE and
/// RECONCILE only look task ids up, and must keep working for the id of a
/// task the master refused with TASK_ERROR (its update is acknowledged like
/// any other). The message goes after `Failed to validate scheduler::Call: `
/// in a 400.
pub fn scheduler_call_ids(call: &Call) -> Result<(), String> {
    check(&call.framework_id, "Framework ID")?;
    if let Some(k) = &call.kill {
        check(&k.agent_id, "Agent ID")?;
    }
    if let Some(s) = &call.shutdown {
        check(&s.executor_id, "Executor ID")?;
        check(&s.agent_id, "Agent ID")?;
    }
    if let Some(a) = &call.acknowledge {
        check(&a.agent_id, "Agent ID")?;
    }
    if let Some(m) = &call.message {
        check(&m.executor_id, "Executor ID")?;
        check(&m.agent_id, "Agent ID")?;
    }
    for t in call.reconcile.iter().flat_map(|r| &r.tasks) {
        check(&t.agent_id, "Agent ID")?;
    }
    Ok(())
}

fn text_field(field: &str, value: Option<&str>, max: usize) -> Result<(), String> {
    match value {
        Some(s) if s.len() > max => Err(format!(
            "'framework_info.{field}' must not be longer than {max} bytes (it has {})",
            s.len()
        )),
        _ => Ok(()),
    }
}

/// A SUBSCRIBE's FrameworkInfo: its id (an empty id means "new framework",
/// as in real Mesos) and the size of its free-text fields.
pub fn framework_info(info: &FrameworkInfo) -> Result<(), String> {
    if let Some(id) = info.id().filter(|id| !id.is_empty()) {
        validate_id("Framework ID", id)?;
    }
    for (f, v) in [
        ("name", &info.name),
        ("user", &info.user),
        ("hostname", &info.hostname),
        ("principal", &info.principal),
        ("role", &info.role),
    ] {
        text_field(f, v.as_deref(), MAX_TEXT_BYTES)?;
    }
    text_field("webui_url", info.webui_url.as_deref(), MAX_URL_BYTES)?;
    if info.roles.iter().any(|r| r.len() > MAX_TEXT_BYTES) {
        return Err(format!(
            "'framework_info.roles' has a role longer than {MAX_TEXT_BYTES} bytes"
        ));
    }
    Ok(())
}

/// The ids of a TaskInfo (task, agent, executor and its framework) and the
/// size of its name: the reason for a TASK_ERROR.
pub fn task_info(task: &TaskInfo) -> Result<(), String> {
    validate_id("Task ID", &task.task_id.value)?;
    if let Some(a) = &task.agent_id {
        validate_id("Agent ID", &a.value)?;
    }
    if let Some(e) = &task.executor {
        executor_info(e)?;
    }
    if let Some(h) = &task.health_check {
        h.probe()
            .map_err(|e| format!("Task uses invalid health check: {e}"))?;
    }
    if let Some(c) = &task.check {
        c.probe()
            .map_err(|e| format!("Task uses invalid check: {e}"))?;
    }
    match &task.name {
        Some(n) if n.len() > MAX_TEXT_BYTES => Err(format!(
            "Task name must not be longer than {MAX_TEXT_BYTES} bytes (it has {})",
            n.len()
        )),
        _ => Ok(()),
    }
}

/// The ids of an ExecutorInfo (of a task, or of a LAUNCH_GROUP).
pub fn executor_info(executor: &ExecutorInfo) -> Result<(), String> {
    validate_id("Executor ID", &executor.executor_id.value)?;
    match &executor.framework_id {
        Some(f) => validate_id("Framework ID", &f.value),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn scheduler_call_ids(v: Value) -> Result<(), String> {
        super::scheduler_call_ids(&serde_json::from_value(v).unwrap())
    }
    fn framework_info(v: Value) -> Result<(), String> {
        super::framework_info(&serde_json::from_value(v).unwrap())
    }
    fn task_info(v: Value) -> Result<(), String> {
        super::task_info(&serde_json::from_value(v).unwrap())
    }

    #[test]
    fn scheduler_calls() {
        assert!(scheduler_call_ids(json!({"framework_id": {"value": "F1"}})).is_ok());
        let e = scheduler_call_ids(json!({"framework_id": {"value": ".."}})).unwrap_err();
        assert_eq!(e, "Framework ID '..' is disallowed");
        let e = scheduler_call_ids(json!({"framework_id": {"value": "F"},
            "kill": {"task_id": {"value": "t"}, "agent_id": {"value": "a/b"}}}))
        .unwrap_err();
        assert!(e.starts_with("Agent ID 'a/b'"), "{e}");
        // Task ids are only looked up here (e.g. acknowledging a TASK_ERROR).
        let ack = json!({"framework_id": {"value": "F"},
            "acknowledge": {"task_id": {"value": "../x"}, "agent_id": {"value": "S0"}, "uuid": "AA=="}});
        assert!(scheduler_call_ids(ack).is_ok());
        let e = scheduler_call_ids(json!({"framework_id": {"value": "F"},
            "reconcile": {"tasks": [{"task_id": {"value": "t"}, "agent_id": {"value": ""}}]}}))
        .unwrap_err();
        assert_eq!(e, "Agent ID must not be empty");
    }

    #[test]
    fn framework_infos() {
        assert!(framework_info(json!({"name": "n", "user": "u"})).is_ok());
        assert!(framework_info(json!({"name": "n", "user": "u", "id": {"value": ""}})).is_ok());
        let e = framework_info(json!({"name": "n", "id": {"value": "../x"}})).unwrap_err();
        assert!(e.starts_with("Framework ID '../x' contains invalid"), "{e}");
        let e = framework_info(json!({"name": "x".repeat(MAX_TEXT_BYTES + 1)})).unwrap_err();
        assert!(e.contains("'framework_info.name' must not be longer than 1024 bytes"));
    }

    #[test]
    fn task_infos() {
        assert!(task_info(json!({"task_id": {"value": "t"}, "name": "t"})).is_ok());
        let e = task_info(json!({"task_id": {"value": "t"},
            "executor": {"executor_id": {"value": "."}}}))
        .unwrap_err();
        assert_eq!(e, "Executor ID '.' is disallowed");
        assert!(task_info(json!({"task_id": {"value": "t\u{1}"}})).is_err());
        let e = task_info(json!({"task_id": {"value": "t"},
            "health_check": {"type": "HTTP", "http": {"port": 80, "path": "health"}}}))
        .unwrap_err();
        assert_eq!(
            e,
            "Task uses invalid health check: The path 'health' of HTTP health check must start with '/'"
        );
        assert!(task_info(json!({"task_id": {"value": "t"},
            "health_check": {"type": "TCP", "tcp": {"port": 80}}}))
        .is_ok());
    }
}
