//! `GET_STATE` and `GET_TASKS` answers in protobuf written straight from the
//! master's state ([`crate::wire::proto::direct`]): the tasks, which are
//! nearly all of a large answer, are written field by field from the
//! [`TaskEntry`]s with no typed copy in between; agents, frameworks and
//! executors (a few hundred entries at most) go through the typed render
//! and the descriptor-guided encoder as every other answer does.
//!
//! The bytes are the ones the typed path writes (same fields, same order);
//! the tests in `render/proto_tests.rs` hold the two to that on varied
//! states. A task the direct writer cannot take as is (an enum name the
//! descriptors lack, a resource of type TEXT) is written through the typed
//! path, so it fails or succeeds exactly as it would there.
//!
//! Each task's encoded body is kept for the next render ([`TaskBodyCache`]),
//! so a render after a change writes only the tasks that changed and
//! copies the others' bytes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::Value;

use super::v0::task_executor_id;
use super::v1::{get_agents_v1, get_executors_v1, get_frameworks_v1, task_v1};
use super::MasterState;
use crate::master::state::TaskEntry;
use crate::resources::{Resources, Value as ResValue};
use crate::wire::agent_v1::V1TaskStatus;
use crate::wire::operator::PrunedRef;
use crate::wire::proto::direct::{enum_type, Writer};
use crate::wire::proto::schema::Enum;
use crate::wire::proto::ProtoError;

// Field numbers (proto/mesos/v1/master.proto, mesos.proto).
const RESPONSE_TYPE: u32 = 1;
const RESPONSE_GET_STATE: u32 = 9;
const RESPONSE_GET_TASKS: u32 = 13;
const STATE_TASKS: u32 = 1;
const STATE_EXECUTORS: u32 = 2;
const STATE_FRAMEWORKS: u32 = 3;
const STATE_AGENTS: u32 = 4;
const TASKS_ACTIVE: u32 = 2;
const TASKS_COMPLETED: u32 = 3;
const TASKS_UNREACHABLE: u32 = 5;

struct Enums {
    response_type: &'static Enum,
    task_state: &'static Enum,
    source: &'static Enum,
    reason: &'static Enum,
}

fn enums() -> Result<&'static Enums, ProtoError> {
    static ENUMS: std::sync::OnceLock<Option<Enums>> = std::sync::OnceLock::new();
    ENUMS
        .get_or_init(|| {
            Some(Enums {
                response_type: enum_type("mesos.v1.master.Response.Type")?,
                task_state: enum_type("mesos.v1.TaskState")?,
                source: enum_type("mesos.v1.TaskStatus.Source")?,
                reason: enum_type("mesos.v1.TaskStatus.Reason")?,
            })
        })
        .as_ref()
        .ok_or_else(|| ProtoError::Unsupported("the task enums are not in the descriptors".into()))
}

/// The whole `Response` of `GET_STATE` as protobuf.
pub fn get_state_response(cache: &TaskBodyCache, st: &MasterState) -> Result<Vec<u8>, ProtoError> {
    response(cache, st, "GET_STATE", RESPONSE_GET_STATE, get_state_fields)
}

/// The whole `Response` of `GET_TASKS` as protobuf.
pub fn get_tasks_response(cache: &TaskBodyCache, st: &MasterState) -> Result<Vec<u8>, ProtoError> {
    response(cache, st, "GET_TASKS", RESPONSE_GET_TASKS, get_tasks_fields)
}

/// What [`get_state_response`] and [`get_tasks_response`] write.
type Fields = fn(&mut Writer, &Enums, &TaskBodyCache, &MasterState) -> Result<(), ProtoError>;

/// `Response {type: kind, <field>: {what `fields` writes}}`.
fn response(
    cache: &TaskBodyCache,
    st: &MasterState,
    kind: &str,
    field: u32,
    fields: Fields,
) -> Result<Vec<u8>, ProtoError> {
    let e = enums()?;
    let mut w = Writer::with_capacity(256 * (task_count(st) + 16));
    w.enumeration(RESPONSE_TYPE, number(e.response_type, kind)?);
    let payload = w.begin(field);
    fields(&mut w, e, cache, st)?;
    w.end(payload);
    Ok(w.finish())
}

/// The fields of a `Response.GetState` (also inside `SUBSCRIBED`).
fn get_state_fields(
    w: &mut Writer,
    e: &Enums,
    cache: &TaskBodyCache,
    st: &MasterState,
) -> Result<(), ProtoError> {
    let tasks = w.begin(STATE_TASKS);
    get_tasks_fields(w, e, cache, st)?;
    w.end(tasks);
    typed(w, STATE_EXECUTORS, "GetExecutors", &get_executors_v1(st))?;
    typed(w, STATE_FRAMEWORKS, "GetFrameworks", &get_frameworks_v1(st))?;
    typed(w, STATE_AGENTS, "GetAgents", &get_agents_v1(st))
}

/// A typed payload as nested message `field` of type
/// `mesos.v1.master.Response.<name>`.
fn typed<T: Serialize>(w: &mut Writer, field: u32, name: &str, v: &T) -> Result<(), ProtoError> {
    let n = w.begin(field);
    w.fields(&format!("mesos.v1.master.Response.{name}"), v)?;
    w.end(n);
    Ok(())
}

fn task_count(st: &MasterState) -> usize {
    st.frameworks
        .values()
        .chain(&st.completed_frameworks)
        .map(|f| f.tasks.len() + f.unreachable_tasks.len() + f.completed_tasks.len())
        .sum()
}

/// The fields of a `Response.GetTasks`, in the typed render's order: every
/// framework's active tasks, then the unreachable, then the completed ones
/// (the completed frameworks' tasks last).
fn get_tasks_fields(
    w: &mut Writer,
    e: &Enums,
    cache: &TaskBodyCache,
    st: &MasterState,
) -> Result<(), ProtoError> {
    let mut bodies = TaskBodies::take(cache);
    for f in st.frameworks.values() {
        for t in f.tasks.values() {
            bodies.write(w, e, TASKS_ACTIVE, t)?;
        }
    }
    for f in st.frameworks.values() {
        for t in f.unreachable_tasks.values() {
            bodies.write(w, e, TASKS_UNREACHABLE, t)?;
        }
    }
    for f in st.frameworks.values() {
        for t in &f.completed_tasks {
            bodies.write(w, e, TASKS_COMPLETED, t)?;
        }
    }
    for f in &st.completed_frameworks {
        let all = f.tasks.values().chain(f.unreachable_tasks.values());
        for t in all.chain(&f.completed_tasks) {
            bodies.write(w, e, TASKS_COMPLETED, t)?;
        }
    }
    bodies.keep();
    Ok(())
}

/// The encoded bodies of the tasks of the last protobuf render, by entry
/// (one per master, in its `snapshot::Reads`).
///
/// A [`TaskEntry`] is shared (`Arc`) between the master's state and its
/// snapshots and changed only through `Arc::make_mut`, which copies it
/// while anyone else holds it. Holding each entry beside its bytes thus
/// keeps both valid: an entry still in the state at the same address is
/// unchanged (a change would have made a new copy), and its address cannot
/// be reused while it is held. Each render takes the cache, keeps the
/// bodies of the entries it meets and lets the others go, so at most one
/// render's worth of stale entries is held. Concurrent renders each take
/// what is there (the second finds it empty and writes every task).
#[derive(Default)]
pub struct TaskBodyCache(Mutex<Option<HashMap<usize, Body>>>);

/// One render's use of the [`TaskBodyCache`].
struct TaskBodies<'c> {
    cache: &'c TaskBodyCache,
    old: HashMap<usize, Body>,
    new: HashMap<usize, Body>,
}

struct Body {
    _entry: Arc<TaskEntry>,
    bytes: Box<[u8]>,
}

impl<'c> TaskBodies<'c> {
    fn take(cache: &'c TaskBodyCache) -> TaskBodies<'c> {
        let old = cache
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .unwrap_or_default();
        TaskBodies {
            cache,
            new: HashMap::with_capacity(old.len()),
            old,
        }
    }

    /// Task `t` as nested message `field`, from the cache or written now.
    fn write(
        &mut self,
        w: &mut Writer,
        e: &Enums,
        field: u32,
        t: &Arc<TaskEntry>,
    ) -> Result<(), ProtoError> {
        let key = Arc::as_ptr(t) as usize;
        let body = match self.old.remove(&key) {
            Some(b) => b,
            None => {
                let mut tw = Writer::with_capacity(512);
                task_fields(&mut tw, e, t)?;
                Body {
                    _entry: t.clone(),
                    bytes: tw.finish().into_boxed_slice(),
                }
            }
        };
        w.raw(field, &body.bytes);
        self.new.insert(key, body);
        Ok(())
    }

    /// Keep this render's bodies for the next one.
    fn keep(self) {
        *self.cache.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(self.new);
    }
}

/// An optional enum value looked up: `Some(None)` when absent, `None` when
/// present but not in the enum.
fn known(v: Option<Option<i32>>) -> Option<Option<i32>> {
    match v {
        None => Some(None),
        Some(n) => n.map(Some),
    }
}

fn number(e: &Enum, name: &str) -> Result<i32, ProtoError> {
    e.number(name)
        .ok_or_else(|| ProtoError::Encode(format!("{} has no value '{name}'", e.name)))
}

/// The fields of one `Task` (field order of `operator::Task`).
fn task_fields(w: &mut Writer, e: &Enums, t: &TaskEntry) -> Result<(), ProtoError> {
    // `TaskState::from_wire(s).as_str()` is `s` itself: the name as kept.
    let state = e.task_state.number(&t.state);
    let update_state = t
        .status_update_state
        .as_deref()
        .map(|s| e.task_state.number(s));
    let plain_resources = t
        .resources
        .iter()
        .all(|r| !matches!(r.value, ResValue::Text(_)));
    let (Some(state), Some(update_state), true) = (state, known(update_state), plain_resources)
    else {
        // Not writable by hand: the typed path decides.
        return w.fields("mesos.v1.Task", &task_v1(t));
    };
    w.string(1, &t.name);
    w.id(2, &t.id);
    w.id(3, &t.framework_id);
    let eid = task_executor_id(t);
    if !eid.is_empty() {
        w.id(4, &eid);
    }
    w.id(5, &t.agent_id);
    w.enumeration(6, state);
    resources(w, 7, &t.resources, &t.role);
    for s in &t.statuses {
        status(w, e, 8, s)?;
    }
    if let Some(n) = update_state {
        w.enumeration(9, n);
    }
    if let Some(u) = &t.status_update_uuid {
        w.base64(10, u)?;
    }
    let i = &t.info;
    if let Some(l) = &i.labels {
        labels(w, 11, "mesos.v1.Task", "labels", l)?;
    }
    let rest = [
        ("discovery", &i.discovery),
        ("container", &i.container),
        ("health_check", &i.health_check),
        ("kill_policy", &i.kill_policy),
        ("limits", &i.limits),
    ];
    for (name, v) in rest {
        if let Some(v) = v {
            w.fields("mesos.v1.Task", &One(name, PrunedRef(v)))?;
        }
    }
    if let Some(u) = i.user() {
        w.string(14, &u);
    }
    Ok(())
}

/// `Resources::to_wire(Some(role))` written as repeated `Resource` field
/// `field`: name, type, scalar/ranges/set, role, a STATIC reservation for
/// a reserved role, allocation_info. TEXT values never reach here.
fn resources(w: &mut Writer, field: u32, rs: &Resources, allocation_role: &str) {
    for r in rs.iter() {
        let n = w.begin(field);
        w.string(1, &r.name);
        match &r.value {
            ResValue::Scalar(v) => {
                w.enumeration(2, 0);
                let s = w.begin(3);
                w.double(1, crate::resources::round3(*v));
                w.end(s);
            }
            ResValue::Ranges(x) => {
                w.enumeration(2, 1);
                let rr = w.begin(4);
                for (b, e) in x {
                    let one = w.begin(1);
                    w.uint(1, *b);
                    w.uint(2, *e);
                    w.end(one);
                }
                w.end(rr);
            }
            ResValue::Set(x) => {
                w.enumeration(2, 2);
                let s = w.begin(5);
                for item in x {
                    w.string(1, item);
                }
                w.end(s);
            }
            ResValue::Text(_) => {}
        }
        w.string(6, &r.role);
        if r.role != "*" {
            // ReservationInfo {type: STATIC, role}.
            let res = w.begin(13);
            w.enumeration(4, 1);
            w.string(3, &r.role);
            w.end(res);
        }
        let a = w.begin(11);
        w.string(1, allocation_role);
        w.end(a);
        w.end(n);
    }
}

/// One `TaskStatus` (field order of `V1TaskStatus`).
fn status(w: &mut Writer, e: &Enums, field: u32, s: &V1TaskStatus) -> Result<(), ProtoError> {
    let state = e.task_state.number(s.state.as_str());
    let source = s.source.as_deref().map(|x| e.source.number(x));
    let reason = s.reason.as_deref().map(|x| e.reason.number(x));
    let (Some(state), Some(source), Some(reason)) = (state, known(source), known(reason)) else {
        let n = w.begin(field);
        w.fields("mesos.v1.TaskStatus", s)?;
        w.end(n);
        return Ok(());
    };
    let n = w.begin(field);
    w.id(1, &s.task_id.value);
    w.enumeration(2, state);
    if let Some(m) = &s.message {
        w.string(4, m);
    }
    if let Some(x) = source {
        w.enumeration(9, x);
    }
    if let Some(x) = reason {
        w.enumeration(10, x);
    }
    if let Some(a) = &s.agent_id {
        w.id(5, &a.value);
    }
    if let Some(x) = &s.executor_id {
        w.id(7, &x.value);
    }
    w.double(6, s.timestamp);
    if let Some(u) = &s.uuid {
        w.base64(11, u)?;
    }
    if let Some(c) = &s.container_status {
        w.fields("mesos.v1.TaskStatus", &One("container_status", c))?;
    }
    if let Some(h) = s.healthy {
        w.bool(8, h);
    }
    if let Some(l) = &s.labels {
        labels(w, 12, "mesos.v1.TaskStatus", "labels", l)?;
    }
    if !s.other.is_empty() {
        w.fields("mesos.v1.TaskStatus", &s.other)?;
    }
    w.end(n);
    Ok(())
}

/// A `Labels` field: `{"labels": [{"key": k, "value": v}]}` by hand, any
/// other shape through the encoder (as part of message `message`).
fn labels(
    w: &mut Writer,
    field: u32,
    message: &str,
    name: &'static str,
    v: &Value,
) -> Result<(), ProtoError> {
    // Each label: string "key" and optional string "value", in the order
    // the framework sent them (the encoder's order).
    let simple = match v.as_object() {
        Some(o) if o.len() == 1 => match o.get("labels") {
            Some(Value::Array(list)) if list.iter().all(|l| label(l).is_some()) => Some(list),
            _ => None,
        },
        _ => None,
    };
    match simple {
        Some(list) => {
            let n = w.begin(field);
            for o in list.iter().filter_map(label) {
                let l = w.begin(1);
                for (k, v) in o {
                    w.string(
                        if k == "key" { 1 } else { 2 },
                        v.as_str().unwrap_or_default(),
                    );
                }
                w.end(l);
            }
            w.end(n);
            Ok(())
        }
        None => w.fields(message, &One(name, PrunedRef(v))),
    }
}

/// A label object with a string "key" and an optional string "value" only.
fn label(l: &Value) -> Option<&serde_json::Map<String, Value>> {
    l.as_object().filter(|o| {
        o.get("key").is_some_and(Value::is_string)
            && o.iter()
                .all(|(k, v)| v.is_string() && (k == "key" || k == "value"))
    })
}

/// A one-field partial message `{name: value}` for the encoder.
struct One<T>(&'static str, T);

impl<T: Serialize> Serialize for One<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.0, &self.1)?;
        m.end()
    }
}
