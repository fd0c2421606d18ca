//! Summaries as dcoscli computes them: a node's CPU (`cpu.total`), load
//! (`load.1min`), memory used (`memory.total − memory.free`) and the
//! filesystem mounted at `/` (`filesystem.capacity.{used,total}` tagged
//! `path: "/"`); a task's CPU times, memory and disk. A value the message
//! lacks stays `None` (shown as `-`, JSON `null`).

use super::{NodeMetrics, NodeSummary, TaskMetrics, TaskSummary};
use crate::wire::dcos_metrics::MetricsMessage;

fn bytes(v: Option<f64>) -> Option<u64> {
    v.filter(|n| *n >= 0.0).map(|n| n as u64)
}

/// The summary row of one agent; `tasks` from the master when known.
pub fn node(m: &NodeMetrics, tasks: Option<u64>) -> NodeSummary {
    let msg = m.message.as_ref();
    let v = |name: &str, tag: Option<(&str, &str)>| msg.and_then(|x| x.value(name, tag));
    let mem_total = bytes(v("memory.total", None));
    let mem_free = bytes(v("memory.free", None));
    let root = Some(("path", "/"));
    NodeSummary {
        agent_id: m.agent.id.clone(),
        hostname: m.agent.hostname.clone(),
        source: m.source,
        cpu_percent: v("cpu.total", None),
        load_1min: v("load.1min", None),
        mem_used_bytes: match (mem_total, mem_free) {
            (Some(t), Some(f)) => Some(t.saturating_sub(f)),
            _ => None,
        },
        mem_total_bytes: mem_total,
        disk_used_bytes: bytes(v("filesystem.capacity.used", root)),
        disk_total_bytes: bytes(v("filesystem.capacity.total", root)),
        tasks,
    }
}

/// The summary of one task's container metrics.
pub fn task(m: &TaskMetrics) -> TaskSummary {
    let c: Option<&MetricsMessage> = m.container.as_ref();
    let v = |name: &str| c.and_then(|x| x.value(name, None));
    TaskSummary {
        task_id: m.task_id.clone(),
        cpus_user_time_secs: v("cpus.user.time"),
        cpus_system_time_secs: v("cpus.system.time"),
        cpus_throttled_time_secs: v("cpus.throttled.time"),
        cpus_limit: v("cpus.limit"),
        mem_total_bytes: bytes(v("mem.total")),
        mem_limit_bytes: bytes(v("mem.limit")),
        disk_used_bytes: bytes(v("disk.used")),
        disk_limit_bytes: bytes(v("disk.limit")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{AgentRef, Source};

    fn nm(text: &str) -> NodeMetrics {
        NodeMetrics {
            agent: AgentRef {
                id: "S1".into(),
                hostname: "h".into(),
                url: String::new(),
            },
            source: Source::Dcos,
            message: Some(serde_json::from_str(text).unwrap()),
            unknown: Vec::new(),
        }
    }

    #[test]
    fn node_summary_uses_the_root_filesystem_and_total_minus_free() {
        let m = nm(r#"{"datapoints":[
            {"name":"cpu.total","value":3.5,"unit":"percent"},
            {"name":"load.1min","value":0.25,"unit":"count"},
            {"name":"memory.total","value":1000,"unit":"bytes"},
            {"name":"memory.free","value":400,"unit":"bytes"},
            {"name":"filesystem.capacity.used","value":7,"unit":"bytes","tags":{"path":"/boot"}},
            {"name":"filesystem.capacity.used","value":70,"unit":"bytes","tags":{"path":"/"}},
            {"name":"filesystem.capacity.total","value":100,"unit":"bytes","tags":{"path":"/"}}],
            "dimensions":{"mesos_id":"S1","hostname":"10.0.0.1"}}"#);
        let s = node(&m, Some(2));
        assert_eq!(s.cpu_percent, Some(3.5));
        assert_eq!(s.load_1min, Some(0.25));
        assert_eq!(s.mem_used_bytes, Some(600));
        assert_eq!(s.mem_total_bytes, Some(1000));
        assert_eq!(s.disk_used_bytes, Some(70));
        assert_eq!(s.disk_total_bytes, Some(100));
        assert_eq!(s.tasks, Some(2));
    }

    #[test]
    fn missing_values_stay_unknown() {
        let m = nm(r#"{"datapoints":[{"name":"memory.total","value":1000,"unit":"bytes"}]}"#);
        let s = node(&m, None);
        assert_eq!(s.cpu_percent, None);
        assert_eq!(s.mem_used_bytes, None);
        assert_eq!(s.mem_total_bytes, Some(1000));
        let v = serde_json::to_value(&s).unwrap();
        assert!(v["cpu_percent"].is_null());
    }
}
