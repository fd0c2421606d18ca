//! JSON renderings of the master's model: v0 (`/master/state` & co,
//! docs/wire-notes.md#master-endpoints) and v1 (operator API and its
//! events, docs/wire-notes.md#operator-api). The scheduler and agent code
//! build events with [`task_v1`], [`agent_v1`], [`framework_v1`] and
//! [`master_info_json`].
//!
//! v0 follows the hand-written writers of the real master: counts and times
//! are doubles, resources are summary objects, labels are arrays, `statuses`
//! is always present. v1 follows the generic protobuf mapping: `{"value":..}`
//! ids, `{"nanoseconds":..}` times, resources in "endpoint" format, and empty
//! repeated fields omitted ([`prune_v1`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::{json, Map, Value};

use crate::daemon::flags::Flags;
use crate::master::state::{
    AgentEntry, FrameworkEntry, Leadership, MasterState, OfferEntry, TaskEntry,
};
use crate::resources::{attributes_v0, attributes_v1, Resources};
use crate::wire::MasterInfo;

/// Task states counted by `/master/state-summary` (in the order Mesos writes them).
pub const SUMMARY_STATES: &[&str] = &[
    "TASK_STAGING",
    "TASK_STARTING",
    "TASK_RUNNING",
    "TASK_KILLING",
    "TASK_FINISHED",
    "TASK_KILLED",
    "TASK_FAILED",
    "TASK_LOST",
    "TASK_ERROR",
    "TASK_UNREACHABLE",
];

// ---------------------------------------------------------------------------
// Small helpers

/// v1 `TimeInfo` for epoch seconds.
pub fn time_info(secs: f64) -> Value {
    json!({ "nanoseconds": (secs * 1e9).round() as i64 })
}

/// v0 resource summary object.
pub fn summary(r: &Resources) -> Value {
    let mut m = r.summary();
    // An empty f64 sum is -0.0; Mesos never writes a negative zero.
    for v in m.values_mut() {
        if v.as_f64() == Some(0.0) {
            *v = json!(0.0);
        }
    }
    Value::Object(m)
}

/// Drop empty arrays everywhere (stout writes no empty repeated fields).
pub fn prune_v1(v: &mut Value) {
    match v {
        Value::Object(o) => {
            o.retain(|_, x| !matches!(x, Value::Array(a) if a.is_empty()));
            for x in o.values_mut() {
                prune_v1(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(prune_v1),
        _ => {}
    }
}

fn pruned(mut v: Value) -> Value {
    prune_v1(&mut v);
    v
}

/// A JSON number as a double (`null` and non-numbers become `0.0`).
fn as_double(v: Option<&Value>) -> f64 {
    match v {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Some(Value::String(s)) => s.parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Items of a v1 `Labels` message (`{"labels":[...]}`) as the v0 array.
fn labels_array(labels: Option<&Value>) -> Option<Value> {
    let l = labels?;
    let items = match l.get("labels") {
        Some(Value::Array(a)) => a.clone(),
        Some(Value::Object(_)) => vec![l["labels"].clone()],
        _ if l.is_array() => l.as_array().cloned().unwrap_or_default(),
        _ => Vec::new(),
    };
    Some(Value::Array(items))
}

/// Split resources into `{role: reserved}` and the unreserved part.
pub fn split_reserved(r: &Resources) -> (BTreeMap<String, Resources>, Resources) {
    let mut reserved: BTreeMap<String, Resources> = BTreeMap::new();
    let mut unreserved = Resources::new();
    for res in r.iter() {
        if res.role == "*" {
            unreserved.push(res.clone());
        } else {
            reserved
                .entry(res.role.clone())
                .or_default()
                .push(res.clone());
        }
    }
    (reserved, unreserved)
}

fn id_of(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(|x| x.get("value").or(Some(x)))
        .and_then(Value::as_str)
        .map(str::to_string)
}

// ---------------------------------------------------------------------------
// Build/version information

/// `(build_date, build_time, build_user)`: the time the running executable
/// was written and the user who built it.
pub fn build_info() -> &'static (String, f64, String) {
    static INFO: OnceLock<(String, f64, String)> = OnceLock::new();
    INFO.get_or_init(|| {
        // /proc/self/exe still works when the file was replaced meanwhile.
        let t = std::fs::metadata("/proc/self/exe")
            .or_else(|_| std::env::current_exe().and_then(std::fs::metadata))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let user = option_env!("USER")
            .or(option_env!("LOGNAME"))
            .unwrap_or("")
            .to_string();
        (format_date(t as i64), t as f64, user)
    })
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) for epoch seconds.
pub fn format_date(secs: i64) -> String {
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// `/version` body (also v1 `VersionInfo`).
pub fn version_json() -> Value {
    let (date, time, user) = build_info();
    json!({
        "version": crate::master::MESOS_COMPAT_VERSION,
        "build_date": date,
        "build_time": time,
        "build_user": user,
    })
}

// ---------------------------------------------------------------------------
// Master info

/// MasterInfo JSON of this master (ZooKeeper / v1 `master_info` shape).
pub fn master_info_json(st: &MasterState) -> Value {
    pruned(serde_json::to_value(&st.info).unwrap_or(Value::Null))
}

/// The MasterInfo of the current leader, if one is known.
pub fn leader(st: &MasterState) -> Option<MasterInfo> {
    match &st.leadership {
        Leadership::Leading => Some(st.info.clone()),
        Leadership::Following(info) => Some(info.clone()),
        Leadership::Unknown => None,
    }
}

fn pid_of(info: &MasterInfo) -> String {
    info.pid.clone().unwrap_or_else(|| {
        format!(
            "master@{}:{}",
            info.ip_string().unwrap_or_default(),
            info.port_number().unwrap_or(5050)
        )
    })
}

/// v0 `leader_info`: `{"id","pid","port","hostname"[,"domain"]}`.
pub fn leader_info_v0(info: &MasterInfo) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(info.id.clone().unwrap_or_default()));
    o.insert("pid".into(), json!(pid_of(info)));
    o.insert("port".into(), json!(info.port_number().unwrap_or(5050)));
    o.insert(
        "hostname".into(),
        json!(info
            .hostname
            .clone()
            .or_else(|| info.hostname_string())
            .unwrap_or_default()),
    );
    if let Some(d) = &info.domain {
        o.insert("domain".into(), d.clone());
    }
    Value::Object(o)
}

fn master_capabilities(st: &MasterState) -> Vec<Value> {
    st.info
        .capabilities
        .iter()
        .filter_map(|c| c.get("type").and_then(Value::as_str).map(|s| json!(s)))
        .collect()
}

// ---------------------------------------------------------------------------
// v0: tasks

/// v0 TaskStatus-lite: `state`, `timestamp`, `labels`?, `container_status`?, `healthy`?.
pub fn status_v0(s: &Value) -> Value {
    let mut o = Map::new();
    o.insert(
        "state".into(),
        json!(s.get("state").and_then(Value::as_str).unwrap_or("")),
    );
    o.insert("timestamp".into(), json!(as_double(s.get("timestamp"))));
    if let Some(l) = labels_array(s.get("labels")) {
        o.insert("labels".into(), l);
    }
    if let Some(c) = s.get("container_status").filter(|c| !c.is_null()) {
        o.insert("container_status".into(), c.clone());
    }
    if let Some(h) = s.get("healthy").and_then(Value::as_bool) {
        o.insert("healthy".into(), json!(h));
    }
    Value::Object(o)
}

/// The executor id of a task: the entry's, else its TaskInfo's, else `""`.
fn task_executor_id(t: &TaskEntry) -> String {
    if !t.executor_id.is_empty() {
        return t.executor_id.clone();
    }
    t.info
        .pointer("/executor/executor_id/value")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// The user a task runs as, if its command (or executor's) names one.
fn task_user(info: &Value) -> Option<String> {
    info.pointer("/command/user")
        .or_else(|| info.pointer("/executor/command/user"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// v0 Task (`tasks[]` of frameworks, `/master/tasks`).
pub fn task_v0(t: &TaskEntry) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(t.id));
    o.insert("name".into(), json!(t.name));
    o.insert("framework_id".into(), json!(t.framework_id));
    o.insert("executor_id".into(), json!(task_executor_id(t)));
    o.insert("slave_id".into(), json!(t.agent_id));
    o.insert("state".into(), json!(t.state));
    o.insert("resources".into(), summary(&t.resources));
    if let Some(Value::Object(limits)) = t.info.get("limits") {
        let l: Map<String, Value> = limits
            .iter()
            .map(|(k, v)| {
                let x = v.get("value").or(Some(v));
                (k.clone(), json!(as_double(x)))
            })
            .collect();
        o.insert("limits".into(), Value::Object(l));
    }
    o.insert("role".into(), json!(t.role));
    o.insert(
        "statuses".into(),
        Value::Array(t.statuses.iter().map(status_v0).collect()),
    );
    if let Some(u) = task_user(&t.info) {
        o.insert("user".into(), json!(u));
    }
    if let Some(l) = labels_array(t.info.get("labels")) {
        o.insert("labels".into(), l);
    }
    for k in ["discovery", "container", "health_check"] {
        if let Some(v) = t.info.get(k).filter(|v| !v.is_null()) {
            o.insert(k.into(), v.clone());
        }
    }
    Value::Object(o)
}

// ---------------------------------------------------------------------------
// v0: agents

/// Resources of launched, non-terminal tasks on an agent, per allocation role.
fn used_by_role(st: &MasterState, agent_id: &str) -> BTreeMap<String, Resources> {
    let mut m: BTreeMap<String, Resources> = BTreeMap::new();
    for fw in st.frameworks.values() {
        for t in fw.tasks.values() {
            if t.agent_id == agent_id && !crate::master::state::is_terminal(&t.state) {
                m.entry(t.role.clone()).or_default().add(&t.resources);
            }
        }
    }
    m
}

/// Resources in outstanding offers on an agent, per allocation role.
fn offered_by_role(st: &MasterState, agent_id: &str) -> BTreeMap<String, Resources> {
    let mut m: BTreeMap<String, Resources> = BTreeMap::new();
    for o in st.offers.values().filter(|o| o.agent_id == agent_id) {
        m.entry(o.role.clone()).or_default().add(&o.resources);
    }
    m
}

fn v1_by_role(m: &BTreeMap<String, Resources>) -> Vec<Value> {
    m.iter()
        .flat_map(|(role, r)| r.to_v1_json(Some(role)))
        .collect()
}

/// v0 agent entry (`slaves[]` of `/master/state`, `/master/state-summary`).
pub fn agent_v0(a: &AgentEntry) -> Map<String, Value> {
    let (reserved, unreserved) = split_reserved(&a.total);
    let mut o = Map::new();
    o.insert("id".into(), json!(a.id));
    o.insert("hostname".into(), json!(a.hostname));
    o.insert("port".into(), json!(a.port));
    o.insert(
        "attributes".into(),
        Value::Object(attributes_v0(&a.attributes)),
    );
    o.insert("pid".into(), json!(a.pid()));
    o.insert("registered_time".into(), json!(a.registered_time));
    if let Some(t) = a.reregistered_time {
        o.insert("reregistered_time".into(), json!(t));
    }
    o.insert("resources".into(), summary(&a.total));
    o.insert("used_resources".into(), summary(&a.allocated));
    o.insert("offered_resources".into(), summary(&a.offered));
    o.insert(
        "reserved_resources".into(),
        Value::Object(
            reserved
                .iter()
                .map(|(k, r)| (k.clone(), summary(r)))
                .collect(),
        ),
    );
    o.insert("unreserved_resources".into(), summary(&unreserved));
    o.insert("active".into(), json!(a.active));
    o.insert("deactivated".into(), json!(false));
    o.insert("version".into(), json!(a.version));
    o.insert("capabilities".into(), json!(a.capabilities));
    o
}

/// v0 agent entry plus the `_full` arrays of `/master/slaves`.
pub fn agent_full_v0(st: &MasterState, a: &AgentEntry) -> Value {
    let mut o = agent_v0(a);
    let (reserved, unreserved) = split_reserved(&a.total);
    o.insert(
        "reserved_resources_full".into(),
        Value::Object(
            reserved
                .iter()
                .map(|(k, r)| (k.clone(), Value::Array(r.to_v1_json(None))))
                .collect(),
        ),
    );
    o.insert(
        "unreserved_resources_full".into(),
        Value::Array(unreserved.to_v1_json(None)),
    );
    o.insert(
        "used_resources_full".into(),
        Value::Array(v1_by_role(&used_by_role(st, &a.id))),
    );
    o.insert(
        "offered_resources_full".into(),
        Value::Array(v1_by_role(&offered_by_role(st, &a.id))),
    );
    Value::Object(o)
}

// ---------------------------------------------------------------------------
// v0: frameworks

/// v0 Offer.
pub fn offer_v0(o: &OfferEntry) -> Value {
    json!({
        "id": o.id,
        "framework_id": o.framework_id,
        "allocation_info": {"role": o.role},
        "slave_id": o.agent_id,
        "resources": summary(&o.resources),
    })
}

/// v0 CommandInfo (`shell` only if set, `argv` and `uris` always).
pub fn command_v0(c: &Value) -> Value {
    let mut o = Map::new();
    if let Some(s) = c.get("shell").and_then(Value::as_bool) {
        o.insert("shell".into(), json!(s));
    }
    if let Some(v) = c.get("value").and_then(Value::as_str) {
        o.insert("value".into(), json!(v));
    }
    o.insert(
        "argv".into(),
        c.get("arguments")
            .cloned()
            .filter(Value::is_array)
            .unwrap_or(json!([])),
    );
    if let Some(e) = c.get("environment").filter(|e| !e.is_null()) {
        o.insert("environment".into(), e.clone());
    }
    let uris: Vec<Value> = c
        .get("uris")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|u| {
            json!({
                "value": u.get("value").and_then(Value::as_str).unwrap_or(""),
                "executable": u.get("executable").and_then(Value::as_bool).unwrap_or(false),
            })
        })
        .collect();
    o.insert("uris".into(), Value::Array(uris));
    Value::Object(o)
}

/// Executors of a framework that the master knows of: the ExecutorInfo of
/// each live task launched with a custom executor, once per (agent, id).
/// Returns `(agent_id, ExecutorInfo v1 JSON)`.
pub fn framework_executors(f: &FrameworkEntry) -> Vec<(String, Value)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for t in f.tasks.values() {
        let Some(e) = t.info.get("executor").filter(|e| e.is_object()) else {
            continue;
        };
        let Some(eid) = e.pointer("/executor_id/value").and_then(Value::as_str) else {
            continue;
        };
        if seen.insert((t.agent_id.clone(), eid.to_string())) {
            let mut e = e.clone();
            if e.get("framework_id").is_none() {
                e["framework_id"] = json!({"value": f.id});
            }
            out.push((t.agent_id.clone(), e));
        }
    }
    out
}

/// v0 Executor entry.
pub fn executor_v0(agent_id: &str, e: &Value) -> Value {
    let resources =
        Resources::from_v1_json(e.get("resources").unwrap_or(&Value::Null)).unwrap_or_default();
    let mut o = Map::new();
    o.insert(
        "executor_id".into(),
        json!(id_of(e, "executor_id").unwrap_or_default()),
    );
    o.insert(
        "name".into(),
        json!(e.get("name").and_then(Value::as_str).unwrap_or("")),
    );
    o.insert(
        "framework_id".into(),
        json!(id_of(e, "framework_id").unwrap_or_default()),
    );
    o.insert(
        "command".into(),
        command_v0(e.get("command").unwrap_or(&Value::Null)),
    );
    o.insert("resources".into(), summary(&resources));
    if let Some(role) = e
        .get("resources")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|r| r.pointer("/allocation_info/role"))
        .and_then(Value::as_str)
    {
        o.insert("role".into(), json!(role));
    }
    if let Some(l) = labels_array(e.get("labels")) {
        o.insert("labels".into(), l);
    }
    if let Some(t) = e.get("type").and_then(Value::as_str) {
        o.insert("type".into(), json!(t));
    }
    o.insert("slave_id".into(), json!(agent_id));
    Value::Object(o)
}

/// The summary part of a v0 framework entry (also `/master/state-summary`).
fn framework_summary_v0(st: &MasterState, f: &FrameworkEntry) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("id".into(), json!(f.id));
    o.insert("name".into(), json!(f.name));
    o.insert("used_resources".into(), summary(&f.allocated()));
    o.insert("offered_resources".into(), summary(&st.offered_to(&f.id)));
    o.insert("capabilities".into(), json!(f.capabilities));
    o.insert("hostname".into(), json!(f.hostname));
    o.insert("webui_url".into(), json!(f.webui_url));
    o.insert("active".into(), json!(f.active));
    o.insert("connected".into(), json!(f.connected));
    o.insert("recovered".into(), json!(false));
    o
}

/// v0 framework entry (`frameworks[]`, `completed_frameworks[]`).
pub fn framework_v0(st: &MasterState, f: &FrameworkEntry) -> Value {
    let mut o = framework_summary_v0(st, f);
    o.insert("user".into(), json!(f.user));
    o.insert("failover_timeout".into(), json!(f.failover_timeout));
    o.insert("checkpoint".into(), json!(f.checkpoint));
    o.insert("registered_time".into(), json!(f.registered_time));
    o.insert("unregistered_time".into(), json!(f.unregistered_time));
    if let Some(p) = &f.principal {
        o.insert("principal".into(), json!(p));
    }
    let mut total = f.allocated();
    total.add(&st.offered_to(&f.id));
    o.insert("resources".into(), summary(&total));
    if let Some(t) = f.reregistered_time.filter(|t| *t != f.registered_time) {
        o.insert("reregistered_time".into(), json!(t));
    }
    if f.multi_role {
        o.insert("roles".into(), json!(f.roles));
    } else {
        o.insert("role".into(), json!(f.primary_role()));
    }
    o.insert(
        "tasks".into(),
        Value::Array(f.tasks.values().map(task_v0).collect()),
    );
    o.insert(
        "unreachable_tasks".into(),
        Value::Array(f.unreachable_tasks.values().map(task_v0).collect()),
    );
    o.insert(
        "completed_tasks".into(),
        Value::Array(f.completed_tasks.iter().map(task_v0).collect()),
    );
    o.insert(
        "offers".into(),
        Value::Array(
            st.offers
                .values()
                .filter(|x| x.framework_id == f.id)
                .map(offer_v0)
                .collect(),
        ),
    );
    o.insert(
        "executors".into(),
        Value::Array(
            framework_executors(f)
                .iter()
                .map(|(a, e)| executor_v0(a, e))
                .collect(),
        ),
    );
    if let Some(l) = labels_array(f.info.get("labels")) {
        o.insert("labels".into(), l);
    }
    o.insert(
        "offer_constraints".into(),
        f.info
            .get("offer_constraints")
            .filter(|c| c.is_object())
            .cloned()
            .unwrap_or(json!({})),
    );
    Value::Object(o)
}

// ---------------------------------------------------------------------------
// v0: whole endpoints

fn counts(v: usize) -> Value {
    json!(v as f64)
}

/// `/master/state`.
pub fn state_v0(st: &MasterState, flags: &Flags) -> Value {
    let mut o = match version_json() {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    o.insert("start_time".into(), json!(st.start_time));
    if st.leading() {
        if let Some(t) = st.elected_time {
            o.insert("elected_time".into(), json!(t));
        }
    }
    o.insert("id".into(), json!(st.id));
    o.insert("pid".into(), json!(pid_of(&st.info)));
    o.insert("hostname".into(), json!(st.hostname));
    o.insert("capabilities".into(), Value::Array(master_capabilities(st)));
    let active = st.agents.values().filter(|a| a.active).count();
    o.insert("activated_slaves".into(), counts(active));
    o.insert(
        "deactivated_slaves".into(),
        counts(st.agents.len() - active),
    );
    o.insert("unreachable_slaves".into(), counts(st.removed_agents.len()));
    if let Some(d) = &st.info.domain {
        o.insert("domain".into(), d.clone());
    }
    if let Some(l) = leader(st) {
        o.insert("leader".into(), json!(pid_of(&l)));
        o.insert("leader_info".into(), leader_info_v0(&l));
    }
    if let Some(c) = &st.cluster {
        o.insert("cluster".into(), json!(c));
    }
    for k in ["log_dir", "external_log_file"] {
        if let Some(v) = flags.string(k) {
            o.insert(k.into(), json!(v));
        }
    }
    o.insert("flags".into(), json!(flags.all()));
    o.insert(
        "slaves".into(),
        Value::Array(
            st.agents
                .values()
                .map(|a| Value::Object(agent_v0(a)))
                .collect(),
        ),
    );
    o.insert("recovered_slaves".into(), json!([]));
    o.insert(
        "frameworks".into(),
        Value::Array(
            st.frameworks
                .values()
                .map(|f| framework_v0(st, f))
                .collect(),
        ),
    );
    o.insert(
        "completed_frameworks".into(),
        Value::Array(
            st.completed_frameworks
                .iter()
                .map(|f| framework_v0(st, f))
                .collect(),
        ),
    );
    o.insert("orphan_tasks".into(), json!([]));
    o.insert("unregistered_frameworks".into(), json!([]));
    Value::Object(o)
}

/// Every task of a framework: active, unreachable, completed.
fn all_tasks(f: &FrameworkEntry) -> impl Iterator<Item = &TaskEntry> {
    f.tasks
        .values()
        .chain(f.unreachable_tasks.values())
        .chain(f.completed_tasks.iter())
}

fn zero_counts() -> BTreeMap<&'static str, u64> {
    SUMMARY_STATES.iter().map(|s| (*s, 0)).collect()
}

/// `/master/state-summary`.
pub fn state_summary_v0(st: &MasterState) -> Value {
    let mut by_agent: BTreeMap<&str, BTreeMap<&'static str, u64>> = BTreeMap::new();
    let mut agent_fws: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for f in st.frameworks.values().chain(st.completed_frameworks.iter()) {
        for t in all_tasks(f) {
            if let Some(s) = SUMMARY_STATES.iter().find(|s| **s == t.state) {
                *by_agent
                    .entry(t.agent_id.as_str())
                    .or_insert_with(zero_counts)
                    .entry(s)
                    .or_insert(0) += 1;
            }
        }
    }
    for f in st.frameworks.values() {
        for t in f
            .tasks
            .values()
            .filter(|t| !crate::master::state::is_terminal(&t.state))
        {
            agent_fws
                .entry(t.agent_id.as_str())
                .or_default()
                .insert(f.id.as_str());
        }
    }
    let slaves: Vec<Value> = st
        .agents
        .values()
        .map(|a| {
            let mut o = agent_v0(a);
            let c = by_agent
                .get(a.id.as_str())
                .cloned()
                .unwrap_or_else(zero_counts);
            for (k, v) in c {
                o.insert(k.into(), json!(v));
            }
            let fws: Vec<&str> = agent_fws
                .get(a.id.as_str())
                .map(|s| s.iter().copied().collect())
                .unwrap_or_default();
            o.insert("framework_ids".into(), json!(fws));
            Value::Object(o)
        })
        .collect();
    let frameworks: Vec<Value> = st
        .frameworks
        .values()
        .map(|f| {
            let mut o = framework_summary_v0(st, f);
            let mut c = zero_counts();
            for t in all_tasks(f) {
                if let Some(n) = c.get_mut(t.state.as_str()) {
                    *n += 1;
                }
            }
            for (k, v) in c {
                o.insert(k.into(), json!(v));
            }
            let agents: BTreeSet<&str> = f
                .tasks
                .values()
                .filter(|t| !crate::master::state::is_terminal(&t.state))
                .map(|t| t.agent_id.as_str())
                .collect();
            o.insert("slave_ids".into(), json!(agents));
            Value::Object(o)
        })
        .collect();
    let mut o = Map::new();
    o.insert("hostname".into(), json!(st.hostname));
    if let Some(c) = &st.cluster {
        o.insert("cluster".into(), json!(c));
    }
    o.insert("slaves".into(), Value::Array(slaves));
    o.insert("frameworks".into(), Value::Array(frameworks));
    Value::Object(o)
}

/// `/master/frameworks[?framework_id=]`.
pub fn frameworks_v0(st: &MasterState, only: Option<&str>) -> Value {
    let keep = |f: &&FrameworkEntry| only.is_none_or(|id| f.id == id);
    json!({
        "frameworks": st.frameworks.values().filter(keep).map(|f| framework_v0(st, f)).collect::<Vec<_>>(),
        "completed_frameworks": st.completed_frameworks.iter().filter(keep).map(|f| framework_v0(st, f)).collect::<Vec<_>>(),
        "unregistered_frameworks": [],
    })
}

/// `/master/slaves[?slave_id=]`.
pub fn slaves_v0(st: &MasterState, only: Option<&str>) -> Value {
    json!({
        "slaves": st
            .agents
            .values()
            .filter(|a| only.is_none_or(|id| a.id == id))
            .map(|a| agent_full_v0(st, a))
            .collect::<Vec<_>>(),
        "recovered_slaves": [],
    })
}

/// Query of `/master/tasks`.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskQuery {
    /// `None` = no limit (negative `limit`).
    pub limit: Option<usize>,
    pub offset: usize,
    pub ascending: bool,
    pub framework_id: Option<String>,
    pub task_id: Option<String>,
}

impl Default for TaskQuery {
    fn default() -> Self {
        TaskQuery {
            limit: Some(100),
            offset: 0,
            ascending: false,
            framework_id: None,
            task_id: None,
        }
    }
}

/// `/master/tasks`: active, unreachable and completed tasks of active and
/// completed frameworks, sorted by the timestamp of their first status.
pub fn tasks_v0(st: &MasterState, q: &TaskQuery) -> Value {
    let mut tasks: Vec<&TaskEntry> = st
        .frameworks
        .values()
        .chain(st.completed_frameworks.iter())
        .filter(|f| q.framework_id.as_deref().is_none_or(|id| f.id == id))
        .flat_map(all_tasks)
        .filter(|t| q.task_id.as_deref().is_none_or(|id| t.id == id))
        .collect();
    let first = |t: &TaskEntry| t.statuses.first().map(|s| as_double(s.get("timestamp")));
    // Tasks without statuses sort first in ascending order (None < Some).
    tasks.sort_by(|a, b| {
        let o = first(a)
            .partial_cmp(&first(b))
            .unwrap_or(std::cmp::Ordering::Equal);
        if q.ascending {
            o
        } else {
            o.reverse()
        }
    });
    let out: Vec<Value> = tasks
        .into_iter()
        .skip(q.offset)
        .take(q.limit.unwrap_or(usize::MAX))
        .map(task_v0)
        .collect();
    json!({ "tasks": out })
}

/// Parse `role=weight,...` (`--weights`).
pub fn parse_weights(s: Option<&str>) -> BTreeMap<String, f64> {
    s.unwrap_or("")
        .split(',')
        .filter_map(|p| {
            let (r, w) = p.split_once('=')?;
            Some((r.trim().to_string(), w.trim().parse().ok()?))
        })
        .collect()
}

/// One known role: its frameworks and the resources allocated, offered and
/// reserved for it.
#[derive(Clone, Debug, Default)]
pub struct RoleInfo {
    pub name: String,
    pub weight: f64,
    pub frameworks: Vec<String>,
    pub allocated: Resources,
    pub offered: Resources,
    pub reserved: Resources,
}

/// Known roles: of subscribed frameworks, `--roles`, `--weights`, and
/// reservations, sorted by name.
pub fn roles(st: &MasterState, flags: &Flags) -> Vec<RoleInfo> {
    let weights = parse_weights(flags.get("weights"));
    let mut m: BTreeMap<String, RoleInfo> = BTreeMap::new();
    fn entry<'a>(
        m: &'a mut BTreeMap<String, RoleInfo>,
        weights: &BTreeMap<String, f64>,
        name: &str,
    ) -> &'a mut RoleInfo {
        m.entry(name.to_string()).or_insert_with(|| RoleInfo {
            name: name.to_string(),
            weight: weights.get(name).copied().unwrap_or(1.0),
            ..Default::default()
        })
    }
    for r in flags
        .get("roles")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        entry(&mut m, &weights, r);
    }
    for r in weights.keys() {
        entry(&mut m, &weights, r);
    }
    for f in st.frameworks.values() {
        for r in &f.roles {
            let e = entry(&mut m, &weights, r);
            if !e.frameworks.contains(&f.id) {
                e.frameworks.push(f.id.clone());
            }
        }
        for t in f
            .tasks
            .values()
            .filter(|t| !crate::master::state::is_terminal(&t.state))
        {
            entry(&mut m, &weights, &t.role).allocated.add(&t.resources);
        }
    }
    for o in st.offers.values() {
        entry(&mut m, &weights, &o.role).offered.add(&o.resources);
    }
    for a in st.agents.values() {
        for (role, r) in split_reserved(&a.total).0 {
            entry(&mut m, &weights, &role).reserved.add(&r);
        }
    }
    m.into_values().collect()
}

/// `/master/roles`.
pub fn roles_v0(st: &MasterState, flags: &Flags) -> Value {
    let list: Vec<Value> = roles(st, flags)
        .iter()
        .map(|r| {
            json!({
                "name": r.name,
                "weight": r.weight,
                "frameworks": r.frameworks,
                "resources": summary(&r.allocated),
                "allocated": summary(&r.allocated),
                "offered": summary(&r.offered),
                "reserved": summary(&r.reserved),
                "quota": {"role": r.name, "guarantee": {}, "limit": {}, "consumed": summary(&r.allocated)},
            })
        })
        .collect();
    json!({ "roles": list })
}

// ---------------------------------------------------------------------------
// Metrics

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
    put("master/slaves_connected", agents);
    put("master/slaves_disconnected", 0.0);
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
        "master/messages_register_slave",
        c.agent_registrations as f64,
    );
    put(
        "master/messages_reregister_slave",
        c.agent_reregistrations as f64,
    );
    put("master/messages_decline_offers", c.offers_declined as f64);
    put("master/messages_launch_tasks", c.offers_accepted as f64);
    put("master/messages_status_update", c.status_updates as f64);
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
    m
}

/// All of `/metrics/snapshot`.
pub fn metrics_snapshot(st: &MasterState, uptime_secs: f64) -> BTreeMap<String, f64> {
    let mut m = master_metrics(st, uptime_secs);
    m.extend(system_metrics());
    m
}

// ---------------------------------------------------------------------------
// v1

/// A framework's `framework_info` with the defaults real Mesos writes out.
fn framework_info_v1(f: &FrameworkEntry) -> Value {
    let mut info = if f.info.is_object() {
        f.info.clone()
    } else {
        json!({})
    };
    if info.get("id").is_none() {
        info["id"] = json!({"value": f.id});
    }
    for k in ["user", "name"] {
        if info.get(k).is_none() {
            info[k] = json!(if k == "user" { &f.user } else { &f.name });
        }
    }
    if info.get("failover_timeout").is_none() {
        info["failover_timeout"] = json!(f.failover_timeout);
    }
    if info.get("checkpoint").is_none() {
        info["checkpoint"] = json!(f.checkpoint);
    }
    info
}

/// Resources of a framework's live tasks in endpoint format with `allocation_info`.
fn framework_allocated_v1(f: &FrameworkEntry) -> Vec<Value> {
    let mut by_role: BTreeMap<String, Resources> = BTreeMap::new();
    for t in f
        .tasks
        .values()
        .filter(|t| !crate::master::state::is_terminal(&t.state))
    {
        by_role.entry(t.role.clone()).or_default().add(&t.resources);
    }
    v1_by_role(&by_role)
}

/// v1 `Task` JSON (operator API, TASK_ADDED events).
pub fn task_v1(t: &TaskEntry) -> Value {
    let mut o = Map::new();
    o.insert("name".into(), json!(t.name));
    o.insert("task_id".into(), json!({"value": t.id}));
    o.insert("framework_id".into(), json!({"value": t.framework_id}));
    let eid = task_executor_id(t);
    if !eid.is_empty() {
        o.insert("executor_id".into(), json!({"value": eid}));
    }
    o.insert("agent_id".into(), json!({"value": t.agent_id}));
    o.insert("state".into(), json!(t.state));
    o.insert(
        "resources".into(),
        Value::Array(t.resources.to_v1_json(Some(&t.role))),
    );
    o.insert("statuses".into(), Value::Array(t.statuses.clone()));
    if let Some(s) = &t.status_update_state {
        o.insert("status_update_state".into(), json!(s));
    }
    if let Some(u) = &t.status_update_uuid {
        o.insert("status_update_uuid".into(), json!(u));
    }
    for k in [
        "labels",
        "discovery",
        "container",
        "health_check",
        "kill_policy",
        "limits",
    ] {
        if let Some(v) = t.info.get(k).filter(|v| !v.is_null()) {
            o.insert(k.into(), v.clone());
        }
    }
    if let Some(u) = task_user(&t.info) {
        o.insert("user".into(), json!(u));
    }
    pruned(Value::Object(o))
}

/// v1 `Response.GetAgents.Agent` JSON (operator API, AGENT_ADDED events).
pub fn agent_v1(a: &AgentEntry) -> Value {
    agent_v1_with(a, a.allocated.to_v1_json(None), a.offered.to_v1_json(None))
}

/// [`agent_v1`] with allocated/offered resources carrying `allocation_info`.
pub fn agent_v1_in(st: &MasterState, a: &AgentEntry) -> Value {
    agent_v1_with(
        a,
        v1_by_role(&used_by_role(st, &a.id)),
        v1_by_role(&offered_by_role(st, &a.id)),
    )
}

fn agent_v1_with(a: &AgentEntry, allocated: Vec<Value>, offered: Vec<Value>) -> Value {
    // AgentInfo carries its resources without the deprecated `role` default.
    let info_resources: Vec<Value> = a
        .total
        .to_v1_json(None)
        .into_iter()
        .map(|mut r| {
            if r.get("role").and_then(Value::as_str) == Some("*") {
                if let Some(o) = r.as_object_mut() {
                    o.remove("role");
                }
            }
            r
        })
        .collect();
    let mut o = Map::new();
    o.insert(
        "agent_info".into(),
        json!({
            "hostname": a.hostname,
            "port": a.port,
            "resources": info_resources,
            "attributes": attributes_v1(&a.attributes),
            "id": {"value": a.id},
        }),
    );
    o.insert("active".into(), json!(a.active));
    o.insert("deactivated".into(), json!(false));
    o.insert("version".into(), json!(a.version));
    o.insert("pid".into(), json!(a.pid()));
    o.insert("registered_time".into(), time_info(a.registered_time));
    if let Some(t) = a.reregistered_time {
        o.insert("reregistered_time".into(), time_info(t));
    }
    o.insert(
        "total_resources".into(),
        Value::Array(a.total.to_v1_json(None)),
    );
    o.insert("allocated_resources".into(), Value::Array(allocated));
    o.insert("offered_resources".into(), Value::Array(offered));
    o.insert(
        "capabilities".into(),
        Value::Array(a.capabilities.iter().map(|c| json!({"type": c})).collect()),
    );
    pruned(Value::Object(o))
}

/// v1 AgentInfo (`recovered_agents[]`).
pub fn agent_info_v1(a: &AgentEntry) -> Value {
    agent_v1(a)["agent_info"].clone()
}

/// v1 `Offer`.
pub fn offer_v1(st: &MasterState, o: &OfferEntry) -> Value {
    let agent = st.agents.get(&o.agent_id);
    let mut v = json!({
        "id": {"value": o.id},
        "framework_id": {"value": o.framework_id},
        "agent_id": {"value": o.agent_id},
        "hostname": agent.map(|a| a.hostname.clone()).unwrap_or_default(),
        "resources": o.resources.to_v1_json(Some(&o.role)),
        "allocation_info": {"role": o.role},
    });
    if let Some(a) = agent {
        v["url"] = json!({
            "scheme": "http",
            "address": {"hostname": a.hostname, "ip": a.ip, "port": a.port},
            "path": "/slave(1)",
        });
    }
    pruned(v)
}

/// v1 `Response.GetFrameworks.Framework` JSON (operator API, FRAMEWORK_* events).
pub fn framework_v1(f: &FrameworkEntry) -> Value {
    framework_v1_with(f, Vec::new(), Vec::new())
}

/// [`framework_v1`] with the framework's outstanding offers.
pub fn framework_v1_in(st: &MasterState, f: &FrameworkEntry) -> Value {
    let offers: Vec<&OfferEntry> = st
        .offers
        .values()
        .filter(|o| o.framework_id == f.id)
        .collect();
    let offered: Vec<Value> = offers
        .iter()
        .flat_map(|o| o.resources.to_v1_json(Some(&o.role)))
        .collect();
    framework_v1_with(f, offers.iter().map(|o| offer_v1(st, o)).collect(), offered)
}

fn framework_v1_with(f: &FrameworkEntry, offers: Vec<Value>, offered: Vec<Value>) -> Value {
    let mut o = Map::new();
    o.insert("framework_info".into(), framework_info_v1(f));
    o.insert("active".into(), json!(f.active));
    o.insert("connected".into(), json!(f.connected));
    o.insert("recovered".into(), json!(false));
    o.insert("registered_time".into(), time_info(f.registered_time));
    if let Some(t) = f.reregistered_time {
        o.insert("reregistered_time".into(), time_info(t));
    }
    if f.unregistered_time > 0.0 {
        o.insert("unregistered_time".into(), time_info(f.unregistered_time));
    }
    o.insert("offers".into(), Value::Array(offers));
    o.insert(
        "allocated_resources".into(),
        Value::Array(framework_allocated_v1(f)),
    );
    o.insert("offered_resources".into(), Value::Array(offered));
    pruned(Value::Object(o))
}

/// v1 FrameworkInfo JSON of a framework (FRAMEWORK_REMOVED events).
pub fn framework_info_json(f: &FrameworkEntry) -> Value {
    pruned(framework_info_v1(f))
}

/// `get_agents` payload.
pub fn get_agents_v1(st: &MasterState) -> Value {
    pruned(json!({
        "agents": st.agents.values().map(|a| agent_v1_in(st, a)).collect::<Vec<_>>(),
        "recovered_agents": [],
    }))
}

/// `get_frameworks` payload.
pub fn get_frameworks_v1(st: &MasterState) -> Value {
    pruned(json!({
        "frameworks": st.frameworks.values().map(|f| framework_v1_in(st, f)).collect::<Vec<_>>(),
        "completed_frameworks": st.completed_frameworks.iter().map(framework_v1).collect::<Vec<_>>(),
    }))
}

/// `get_executors` payload.
pub fn get_executors_v1(st: &MasterState) -> Value {
    let list: Vec<Value> = st
        .frameworks
        .values()
        .flat_map(framework_executors)
        .map(|(agent, e)| json!({"executor_info": e, "agent_id": {"value": agent}}))
        .collect();
    pruned(json!({ "executors": list }))
}

/// `get_tasks` payload.
pub fn get_tasks_v1(st: &MasterState) -> Value {
    let mut tasks = Vec::new();
    let mut unreachable = Vec::new();
    let mut completed = Vec::new();
    for f in st.frameworks.values() {
        tasks.extend(f.tasks.values().map(task_v1));
        unreachable.extend(f.unreachable_tasks.values().map(task_v1));
        completed.extend(f.completed_tasks.iter().map(task_v1));
    }
    for f in &st.completed_frameworks {
        completed.extend(all_tasks(f).map(task_v1));
    }
    pruned(json!({
        "tasks": tasks,
        "unreachable_tasks": unreachable,
        "completed_tasks": completed,
    }))
}

/// `get_state` payload (also inside SUBSCRIBED).
pub fn get_state_v1(st: &MasterState) -> Value {
    json!({
        "get_tasks": get_tasks_v1(st),
        "get_executors": get_executors_v1(st),
        "get_frameworks": get_frameworks_v1(st),
        "get_agents": get_agents_v1(st),
    })
}

/// `get_roles` payload.
pub fn get_roles_v1(st: &MasterState, flags: &Flags) -> Value {
    let list: Vec<Value> = roles(st, flags)
        .iter()
        .map(|r| {
            json!({
                "name": r.name,
                "weight": r.weight,
                "frameworks": r.frameworks.iter().map(|f| json!({"value": f})).collect::<Vec<_>>(),
                "resources": r.allocated.to_v1_json(Some(&r.name)),
                "allocated": r.allocated.to_v1_json(Some(&r.name)),
                "offered": r.offered.to_v1_json(Some(&r.name)),
                "reserved": r.reserved.to_v1_json(None),
            })
        })
        .collect();
    pruned(json!({ "roles": list }))
}

/// `get_master` payload.
pub fn get_master_v1(st: &MasterState) -> Value {
    let mut o = Map::new();
    o.insert("master_info".into(), master_info_json(st));
    o.insert("start_time".into(), json!(st.start_time));
    if st.leading() {
        if let Some(t) = st.elected_time {
            o.insert("elected_time".into(), json!(t));
        }
    }
    Value::Object(o)
}

/// `get_flags` payload.
pub fn get_flags_v1(flags: &Flags) -> Value {
    let list: Vec<Value> = flags
        .all()
        .iter()
        .map(|(k, v)| json!({"name": k, "value": v}))
        .collect();
    pruned(json!({ "flags": list }))
}

/// `get_metrics` payload.
pub fn get_metrics_v1(metrics: &BTreeMap<String, f64>) -> Value {
    let list: Vec<Value> = metrics
        .iter()
        .map(|(k, v)| json!({"name": k, "value": v}))
        .collect();
    pruned(json!({ "metrics": list }))
}
