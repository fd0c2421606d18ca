//! Fast, lean parsing of the two big master bodies the task commands read
//! on every run: `/master/tasks` and `/master/state-summary`.
//!
//! The general wire models go through a `serde_json::Value` per field to
//! accept every spelling Mesos ever used; on a 10,000-task body that costs
//! hundreds of megabytes and most of the run time. These visitors accept the
//! same spellings (numbers or numeric strings, `"x"` or `{"value":"x"}`,
//! `null`) straight from the parser, and skip what the task commands never
//! show: `container_status`, `discovery`, `health_check`, `container`, ...
//! The result is the ordinary [`Task`] with those fields left empty, and
//! with only the first and the newest of its statuses.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use crate::wire::resources::{Labels, Resource, ResourceSummary};
use crate::wire::{Agent, Task, TaskState, TaskStatus};

/// A string from a string, number, bool or `{"value": ...}`; null -> "".
struct Str(String);

impl<'de> Deserialize<'de> for Str {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or {\"value\": ...}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str, E> {
                Ok(Str(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Str, E> {
                Ok(Str(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Str, E> {
                Ok(Str(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Str, E> {
                Ok(Str(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Str, E> {
                Ok(Str(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Str, E> {
                Ok(Str(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Str, E> {
                Ok(Str(String::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Str, E> {
                Ok(Str(String::new()))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Str, D::Error> {
                Str::deserialize(d)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Str, A::Error> {
                let mut out = String::new();
                while let Some(k) = m.next_key::<String>()? {
                    if k == "value" {
                        out = m.next_value::<Str>()?.0;
                    } else {
                        m.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(Str(out))
            }
        }
        d.deserialize_any(V)
    }
}

fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Str::deserialize(d)?.0)
}

fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = Str::deserialize(d)?.0;
    Ok(if s.is_empty() { None } else { Some(s) })
}

/// A number from a number or numeric string; null -> 0.
struct Num(f64);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                Ok(Num(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num(v as f64))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
                match v.trim() {
                    "Infinity" | "inf" => Ok(Num(f64::INFINITY)),
                    "-Infinity" | "-inf" => Ok(Num(f64::NEG_INFINITY)),
                    t => t
                        .parse()
                        .map(Num)
                        .map_err(|_| E::custom(format!("expected a number, got {v:?}"))),
                }
            }
            fn visit_unit<E: de::Error>(self) -> Result<Num, E> {
                Ok(Num(0.0))
            }
            fn visit_none<E: de::Error>(self) -> Result<Num, E> {
                Ok(Num(0.0))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Num, D::Error> {
                Num::deserialize(d)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Num, A::Error> {
                // v1 TimeInfo {"nanoseconds": N}.
                let mut out = 0.0;
                while let Some(k) = m.next_key::<String>()? {
                    let v = m.next_value::<Num>()?.0;
                    if k == "nanoseconds" {
                        out = v / 1e9;
                    }
                }
                Ok(Num(out))
            }
        }
        d.deserialize_any(V)
    }
}

fn f64<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Num::deserialize(d)?.0)
}

fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a boolean")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
            Ok(v == "true")
        }
        fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
            Ok(v != 0)
        }
    }
    d.deserialize_any(V)
}

/// A task state from its wire name or protobuf number.
fn state<'de, D: Deserializer<'de>>(d: D) -> Result<TaskState, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = TaskState;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a task state")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<TaskState, E> {
            Ok(if v.starts_with("TASK_") {
                TaskState::parse(v)
            } else {
                TaskState::Unknown(v.to_string())
            })
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<TaskState, E> {
            Ok(TaskState::ALL
                .into_iter()
                .find(|s| s.number() == Some(v as i32))
                .unwrap_or_else(|| TaskState::Unknown(v.to_string())))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<TaskState, E> {
            self.visit_u64(v.max(0) as u64)
        }
        fn visit_unit<E: de::Error>(self) -> Result<TaskState, E> {
            Ok(TaskState::default())
        }
    }
    d.deserialize_any(V)
}

/// A resource summary object (v0), or a v1 `Resource` list.
fn resources<'de, D: Deserializer<'de>>(d: D) -> Result<ResourceSummary, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = ResourceSummary;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a resource summary object or a Resource list")
        }
        fn visit_unit<E: de::Error>(self) -> Result<ResourceSummary, E> {
            Ok(ResourceSummary::default())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<ResourceSummary, A::Error> {
            let mut r = ResourceSummary::default();
            while let Some(k) = m.next_key::<String>()? {
                match k.as_str() {
                    "cpus" => r.cpus = m.next_value::<Num>()?.0,
                    "mem" => r.mem = m.next_value::<Num>()?.0,
                    "disk" => r.disk = m.next_value::<Num>()?.0,
                    "gpus" => r.gpus = m.next_value::<Num>()?.0,
                    "ports" => r.ports = Some(m.next_value::<Str>()?.0),
                    _ => {
                        let v: Value = m.next_value()?;
                        r.other.insert(k, v);
                    }
                }
            }
            Ok(r)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<ResourceSummary, A::Error> {
            let mut list: Vec<Resource> = Vec::new();
            while let Some(r) = s.next_element::<Resource>()? {
                list.push(r);
            }
            Ok(ResourceSummary::from_resources(&list))
        }
    }
    d.deserialize_any(V)
}

/// The part of a status the task commands use.
#[derive(Deserialize)]
struct LeanStatus {
    #[serde(default, deserialize_with = "state")]
    state: TaskState,
    #[serde(default, deserialize_with = "f64")]
    timestamp: f64,
}

/// The part of a task the task commands use.
#[derive(Deserialize)]
struct LeanTask {
    #[serde(default, alias = "task_id", deserialize_with = "string")]
    id: String,
    #[serde(default, deserialize_with = "string")]
    name: String,
    #[serde(default, deserialize_with = "string")]
    framework_id: String,
    #[serde(default, deserialize_with = "string")]
    executor_id: String,
    #[serde(default, alias = "agent_id", deserialize_with = "string")]
    slave_id: String,
    #[serde(default, deserialize_with = "state")]
    state: TaskState,
    #[serde(default, deserialize_with = "resources")]
    resources: ResourceSummary,
    #[serde(default, deserialize_with = "opt_string")]
    role: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    user: Option<String>,
    #[serde(default)]
    labels: Labels,
    #[serde(default, deserialize_with = "statuses")]
    statuses: Vec<LeanStatus>,
}

fn statuses<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<LeanStatus>, D::Error> {
    Ok(Option::<Vec<LeanStatus>>::deserialize(d)?.unwrap_or_default())
}

/// Only the first status (what `/master/tasks?order=` sorts by) and the
/// newest one are kept: a task's history is not needed to list it.
fn first_and_newest(mut v: Vec<LeanStatus>) -> Vec<LeanStatus> {
    if v.len() <= 2 {
        return v;
    }
    let newest = (1..v.len())
        .max_by(|&a, &b| v[a].timestamp.total_cmp(&v[b].timestamp))
        .unwrap_or(0);
    let n = v.swap_remove(newest);
    v.truncate(1);
    v.push(n);
    v
}

impl From<LeanTask> for Task {
    fn from(t: LeanTask) -> Task {
        Task {
            id: t.id,
            name: t.name,
            framework_id: t.framework_id,
            executor_id: t.executor_id,
            slave_id: t.slave_id,
            state: t.state,
            resources: t.resources,
            role: t.role,
            user: t.user,
            labels: t.labels,
            statuses: first_and_newest(t.statuses)
                .into_iter()
                .map(|s| TaskStatus {
                    state: s.state,
                    timestamp: s.timestamp,
                    ..TaskStatus::default()
                })
                .collect(),
            ..Task::default()
        }
    }
}

/// A sequence of lean tasks converted as they are parsed.
struct TaskList(Vec<Task>);

impl<'de> Deserialize<'de> for TaskList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TaskList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of tasks")
            }
            fn visit_unit<E: de::Error>(self) -> Result<TaskList, E> {
                Ok(TaskList(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<TaskList, A::Error> {
                let mut out = Vec::with_capacity(s.size_hint().unwrap_or(0));
                while let Some(t) = s.next_element::<LeanTask>()? {
                    out.push(Task::from(t));
                }
                Ok(TaskList(out))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
struct TasksBody {
    #[serde(default)]
    tasks: Option<TaskList>,
}

/// Parse a `/master/tasks` body.
pub fn parse_tasks(body: &[u8]) -> serde_json::Result<Vec<Task>> {
    let b: TasksBody = serde_json::from_slice(body)?;
    Ok(b.tasks.map(|t| t.0).unwrap_or_default())
}

/// An agent of the state summary: what the task commands need.
#[derive(Deserialize)]
pub struct LeanAgent {
    #[serde(default, deserialize_with = "string")]
    pub id: String,
    #[serde(default, deserialize_with = "string")]
    pub hostname: String,
    #[serde(default, deserialize_with = "string")]
    pub pid: String,
    #[serde(default, deserialize_with = "opt_port")]
    pub port: Option<u16>,
    #[serde(default, deserialize_with = "bool")]
    pub active: bool,
}

fn opt_port<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    let n = Num::deserialize(d)?.0;
    Ok(if n > 0.0 && n <= 65535.0 {
        Some(n as u16)
    } else {
        None
    })
}

impl LeanAgent {
    /// As a wire agent (for [`Agent::address`]).
    pub fn to_agent(&self) -> Agent {
        Agent {
            id: self.id.clone(),
            hostname: self.hostname.clone(),
            pid: self.pid.clone(),
            port: self.port,
            active: self.active,
            ..Agent::default()
        }
    }
}

/// A framework of the state summary: id and name.
#[derive(Deserialize)]
pub struct LeanFramework {
    #[serde(default, deserialize_with = "string")]
    pub id: String,
    #[serde(default, deserialize_with = "string")]
    pub name: String,
}

/// `/master/state-summary`, lean.
#[derive(Deserialize, Default)]
pub struct LeanSummary {
    #[serde(default, alias = "agents", deserialize_with = "lean_vec")]
    pub slaves: Vec<LeanAgent>,
    #[serde(default, deserialize_with = "lean_vec")]
    pub frameworks: Vec<LeanFramework>,
}

fn lean_vec<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Parse a `/master/state-summary` body.
pub fn parse_summary(body: &[u8]) -> serde_json::Result<LeanSummary> {
    serde_json::from_slice(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lean_tasks_match_the_wire_model() {
        let body = br#"{"tasks":[
            {"id":"a","name":"n","framework_id":"F","executor_id":"","slave_id":"S","state":"TASK_RUNNING",
             "resources":{"cpus":0.5,"mem":"128","disk":0,"gpus":0.0,"ports":"[1-2]","custom":3},
             "role":"*","labels":[{"key":"k","value":"v"}],
             "statuses":[{"state":"TASK_STARTING","timestamp":1.5,"container_status":{"x":[1,2]}},{"state":"TASK_RUNNING","timestamp":2}],
             "discovery":{"name":"x"}},
            {"task_id":{"value":"b"},"agent_id":{"value":"S2"},"framework_id":{"value":"F"},"state":1,
             "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":1.0},"role":"*"}],"statuses":null}]}"#;
        let lean = parse_tasks(body).unwrap();
        let wire: crate::wire::TasksResponse = serde_json::from_slice(body).unwrap();
        assert_eq!(lean.len(), 2);
        for (l, w) in lean.iter().zip(&wire.tasks) {
            assert_eq!(l.id, w.id);
            assert_eq!(l.slave_id, w.slave_id);
            assert_eq!(l.framework_id, w.framework_id);
            assert_eq!(l.state, w.state);
            assert_eq!(l.resources, w.resources);
            assert_eq!(l.labels, w.labels);
            assert_eq!(l.first_timestamp(), w.first_timestamp());
            assert_eq!(l.latest_timestamp(), w.latest_timestamp());
        }
        assert_eq!(lean[1].state, TaskState::Running);
        assert_eq!(parse_tasks(b"{}").unwrap().len(), 0);
        assert!(parse_tasks(b"[").is_err());
    }

    #[test]
    fn lean_summary() {
        let s = parse_summary(
            br#"{"slaves":[{"id":"S1","hostname":"h","pid":"slave(1)@10.0.0.1:5051","port":5051.0,"active":true,"TASK_RUNNING":3}],
                "frameworks":[{"id":"F","name":"marathon","slave_ids":["S1"]}]}"#,
        )
        .unwrap();
        assert_eq!(
            s.slaves[0].to_agent().address().as_deref(),
            Some("10.0.0.1:5051")
        );
        assert_eq!(s.frameworks[0].name, "marathon");
    }
}
