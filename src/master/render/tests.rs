//! Unit tests of the renderings against the captured real-Mesos bodies.
//! The wrappers below turn the typed bodies into JSON as the HTTP edge does.

use super::*;
use crate::master::state::{
    AgentEntry, Counters, FrameworkEntry, Leadership, MasterState, OfferEntry, TaskEntry,
};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::Instant;

fn j<T: Serialize>(v: T) -> Value {
    serde_json::to_value(v).unwrap()
}
fn state_v0(st: &MasterState, f: &Flags) -> Value {
    j(super::state_v0(st, f))
}
fn task_v0(t: &TaskEntry) -> Value {
    j(super::task_v0(t))
}
fn agent_full_v0(st: &MasterState, a: &AgentEntry) -> Value {
    j(super::agent_full_v0(st, a))
}
fn state_summary_v0(st: &MasterState) -> Value {
    j(super::state_summary_v0(st))
}
fn tasks_v0(st: &MasterState, q: &TaskQuery) -> Value {
    j(super::tasks_v0(st, q))
}
fn get_master_v1(st: &MasterState) -> Value {
    j(super::get_master_v1(st))
}
fn agent_v1_in(st: &MasterState, a: &AgentEntry) -> Value {
    j(super::agent_v1_in(st, a))
}
fn agent_v1(a: &AgentEntry) -> Value {
    j(super::agent_v1(a))
}
fn framework_v1_in(st: &MasterState, f: &FrameworkEntry) -> Value {
    j(super::framework_v1_in(st, f))
}
fn task_v1(t: &TaskEntry) -> Value {
    j(super::task_v1(t))
}
fn get_state_v1(st: &MasterState) -> Value {
    j(super::get_state_v1(st))
}
fn roles_v0(st: &MasterState, f: &Flags) -> Value {
    j(super::roles_v0(st, f))
}

fn fixture(name: &str) -> Value {
    serde_json::from_slice(&crate::test_fixtures::read_fixture(name)).unwrap()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn missing(ours: &Value, theirs: &Value, except: &[&str]) -> Vec<String> {
    keys(theirs)
        .difference(&keys(ours))
        .filter(|k| !except.contains(&k.as_str()))
        .cloned()
        .collect()
}

fn flags() -> Flags {
    let specs = crate::master::flags::SPECS;
    let args: Vec<String> = vec![
        "--cluster=c1".into(),
        "--external_log_file=/tmp/x.log".into(),
        "--weights=ops=2.5".into(),
    ];
    match crate::daemon::flags::parse("mesos master", specs, &args, |_| None).unwrap() {
        crate::daemon::flags::Parsed::Flags(f) => f,
        _ => unreachable!(),
    }
}

fn agent() -> AgentEntry {
    AgentEntry {
        id: "M-S0".into(),
        hostname: "a1".into(),
        ip: "10.0.0.21".into(),
        port: 5051,
        version: "1.11.0".into(),
        capabilities: vec!["MULTI_ROLE".into()],
        total: Resources::parse(
            "cpus:4;mem:1024;disk:100;ports:[31000-32000];cpus(ops):1",
            "*",
        )
        .unwrap(),
        attributes: crate::resources::parse_attributes("rack:r1;gen:2").unwrap(),
        registered_time: 1700000005.0,
        reregistered_time: None,
        active: true,
        last_ping: Instant::now(),
        allocated: Resources::parse("cpus:1;mem:128", "*").unwrap(),
        offered: Resources::new(),
        session_token: crate::daemon::proto::session::Token::from_wire("t".into()),
    }
}

fn task(id: &str, state: &str, ts: f64) -> TaskEntry {
    TaskEntry {
        id: id.into(),
        name: id.into(),
        framework_id: "M-0000".into(),
        agent_id: "M-S0".into(),
        executor_id: String::new(),
        state: state.into(),
        resources: Resources::parse("cpus:1;mem:128", "*").unwrap(),
        role: "*".into(),
        statuses: vec![serde_json::from_value(json!({
            "task_id": {"value": id}, "state": state, "timestamp": ts,
            "source": "SOURCE_EXECUTOR", "uuid": "AAAA", "message": "m",
            "labels": {"labels": [{"key": "k", "value": "v"}]},
            "container_status": {"container_id": {"value": "c1"}}
        }))
        .unwrap()],
        info: crate::master::state::prune_task_info(&json!({
            "name": id, "task_id": {"value": id},
            "command": {"value": "sleep 1", "user": "alice"},
            "labels": {"labels": [{"key": "a", "value": "b"}]},
            "discovery": {"visibility": "FRAMEWORK", "name": id}
        })),
        status_update_state: Some(state.into()),
        status_update_uuid: Some("AAAA".into()),
    }
}

fn framework() -> FrameworkEntry {
    let info = json!({"user": "alice", "name": "fw", "id": {"value": "M-0000"}, "hostname": "ws1",
        "capabilities": [{"type": "PARTITION_AWARE"}], "labels": {"labels": [{"key": "x", "value": "y"}]}});
    let mut tasks = BTreeMap::new();
    tasks.insert(
        "t1".to_string(),
        task("t1", "TASK_RUNNING", 1700000101.5).into(),
    );
    let mut completed = VecDeque::new();
    completed.push_back(task("t0", "TASK_FINISHED", 1700000100.0).into());
    FrameworkEntry {
        id: "M-0000".into(),
        info: serde_json::from_value(info).unwrap(),
        name: "fw".into(),
        user: "alice".into(),
        roles: vec!["*".into()],
        multi_role: false,
        principal: Some("p".into()),
        hostname: "ws1".into(),
        webui_url: String::new(),
        failover_timeout: 0.0,
        checkpoint: false,
        capabilities: vec!["PARTITION_AWARE".into()],
        active: true,
        connected: true,
        recovered: false,
        registered_time: 1700000100.0,
        reregistered_time: None,
        unregistered_time: 0.0,
        disconnected_at: None,
        tasks,
        unreachable_tasks: BTreeMap::new(),
        completed_tasks: completed,
        stream: None,
        filters: Vec::new(),
        suppressed_roles: BTreeSet::new(),
        executors: BTreeMap::new(),
    }
}

fn master_state() -> MasterState {
    let mut agents = BTreeMap::new();
    agents.insert("M-S0".to_string(), agent());
    let mut frameworks = BTreeMap::new();
    frameworks.insert("M-0000".to_string(), framework());
    let mut offers = BTreeMap::new();
    offers.insert(
        "M-O0".to_string(),
        OfferEntry {
            id: "M-O0".into(),
            framework_id: "M-0000".into(),
            agent_id: "M-S0".into(),
            resources: Resources::parse("cpus:2;mem:512", "*").unwrap(),
            role: "*".into(),
            created: Instant::now(),
        },
    );
    MasterState {
        id: "M".into(),
        info: MasterInfo {
            id: Some("M".into()),
            ip: Some(crate::wire::master_info::pack_ip(
                "10.0.0.11".parse().unwrap(),
            )),
            port: Some(5050),
            pid: Some("master@10.0.0.11:5050".into()),
            hostname: Some("m1".into()),
            version: Some("1.11.0".into()),
            address: Some(crate::wire::Address {
                hostname: Some("m1".into()),
                ip: Some("10.0.0.11".into()),
                port: Some(5050),
            }),
            domain: None,
            capabilities: vec![crate::wire::master_info::MasterCapability::new(
                "AGENT_UPDATE",
            )],
        },
        hostname: "m1".into(),
        ip: "10.0.0.11".into(),
        port: 5050,
        start_time: 1700000000.5,
        elected_time: Some(1700000001.0),
        leadership: Leadership::Leading,
        cluster: Some("c1".into()),
        agents,
        removed_agents: BTreeSet::new(),
        frameworks,
        completed_frameworks: VecDeque::new(),
        offers,
        next_framework: 1,
        next_agent: 1,
        next_offer: 1,
        counters: Counters::default(),
        max_completed_frameworks: 50,
        max_completed_tasks: 1000,
        policy: crate::master::policy::Policy::from_weights(super::parse_weights(
            flags().get("weights"),
        )),
        inverse: Default::default(),
        registry: Default::default(),
    }
}

#[test]
fn state_has_every_key_of_the_1_5_fixture() {
    let st = master_state();
    let ours = state_v0(&st, &flags());
    let theirs = fixture("master-state-1.5.json");
    // git_sha: we have no git metadata at build time.
    assert_eq!(missing(&ours, &theirs, &["git_sha"]), Vec::<String>::new());
    assert_eq!(
        missing(&ours["slaves"][0], &theirs["slaves"][0], &[]),
        Vec::<String>::new()
    );
    // `pid`: HTTP frameworks have none.
    let fw = &ours["frameworks"][0];
    assert_eq!(
        missing(fw, &theirs["frameworks"][0], &["pid"]),
        Vec::<String>::new()
    );
    let their_task = &theirs["frameworks"][1]["tasks"][0];
    assert_eq!(
        missing(&fw["tasks"][0], their_task, &[]),
        Vec::<String>::new()
    );
    assert_eq!(ours["activated_slaves"].to_string(), "1.0");
    assert_eq!(ours["deactivated_slaves"].to_string(), "0.0");
    assert_eq!(
        ours["leader_info"],
        json!({"id":"M","pid":"master@10.0.0.11:5050","port":5050,"hostname":"m1"})
    );
    assert_eq!(ours["capabilities"], json!(["AGENT_UPDATE"]));
    assert_eq!(ours["flags"]["cluster"], "c1");
    assert!(ours["build_time"].is_f64());
}

#[test]
fn task_v0_is_the_lite_model() {
    let t = task_v0(&task("t1", "TASK_RUNNING", 1700000101.0));
    assert_eq!(t["executor_id"], "");
    assert_eq!(t["labels"], json!([{"key": "a", "value": "b"}]));
    assert_eq!(t["user"], "alice");
    assert_eq!(t["resources"]["cpus"].to_string(), "1.0");
    let s = &t["statuses"][0];
    assert_eq!(
        keys(s),
        ["container_status", "labels", "state", "timestamp"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    assert_eq!(s["timestamp"].to_string(), "1700000101.0");
    assert_eq!(s["labels"], json!([{"key": "k", "value": "v"}]));
}

#[test]
fn agent_entry_reserved_and_full() {
    let st = master_state();
    let a = agent_full_v0(&st, &st.agents["M-S0"]);
    assert_eq!(a["reserved_resources"]["ops"]["cpus"].to_string(), "1.0");
    assert_eq!(a["unreserved_resources"]["cpus"].to_string(), "4.0");
    assert_eq!(a["resources"]["cpus"].to_string(), "5.0");
    assert_eq!(a["unreserved_resources"]["ports"], "[31000-32000]");
    assert_eq!(a["attributes"], json!({"rack": "r1", "gen": 2.0}));
    assert_eq!(
        a["reserved_resources_full"]["ops"][0]["reservations"][0]["role"],
        "ops"
    );
    assert_eq!(a["unreserved_resources_full"][0]["role"], "*");
    assert_eq!(a["used_resources_full"][0]["allocation_info"]["role"], "*");
    assert_eq!(
        a["offered_resources_full"][0]["scalar"]["value"].to_string(),
        "2.0"
    );
    assert_eq!(a["deactivated"], false);
    assert_eq!(
        a["resources"]["gpus"].to_string(),
        "0.0",
        "no negative zero"
    );
}

#[test]
fn summary_matches_fixture_keys_and_counts() {
    let st = master_state();
    let s = state_summary_v0(&st);
    let theirs = fixture("state-summary-1.7.json");
    assert_eq!(missing(&s, &theirs, &[]), Vec::<String>::new());
    assert_eq!(
        missing(&s["slaves"][0], &theirs["slaves"][0], &[]),
        Vec::<String>::new()
    );
    assert_eq!(
        missing(&s["frameworks"][0], &theirs["frameworks"][0], &["pid"]),
        Vec::<String>::new()
    );
    assert_eq!(s["slaves"][0]["TASK_RUNNING"], json!(1));
    assert_eq!(s["slaves"][0]["TASK_FINISHED"], json!(1));
    assert_eq!(s["frameworks"][0]["TASK_FINISHED"], json!(1));
    assert_eq!(s["frameworks"][0]["slave_ids"], json!(["M-S0"]));
    assert_eq!(s["slaves"][0]["framework_ids"], json!(["M-0000"]));
}

#[test]
fn tasks_query_orders_limits_and_filters() {
    let st = master_state();
    let all = |q: TaskQuery| -> Vec<String> {
        tasks_v0(&st, &q)["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(all(TaskQuery::default()), vec!["t1", "t0"]);
    assert_eq!(
        all(TaskQuery {
            ascending: true,
            ..Default::default()
        }),
        vec!["t0", "t1"]
    );
    assert_eq!(
        all(TaskQuery {
            limit: Some(1),
            ..Default::default()
        }),
        vec!["t1"]
    );
    assert_eq!(
        all(TaskQuery {
            offset: 1,
            limit: None,
            ..Default::default()
        }),
        vec!["t0"]
    );
    assert_eq!(
        all(TaskQuery {
            task_id: Some("t0".into()),
            ..Default::default()
        }),
        vec!["t0"]
    );
    assert!(all(TaskQuery {
        framework_id: Some("x".into()),
        ..Default::default()
    })
    .is_empty());
}

#[test]
fn v1_shapes_follow_the_fixtures() {
    let st = master_state();
    let gm = get_master_v1(&st);
    let theirs = fixture("master-api-v1-get-master-1.5.json");
    assert_eq!(
        missing(&gm, &theirs["get_master"], &[]),
        Vec::<String>::new()
    );
    // domain: only with --domain.
    assert_eq!(
        missing(
            &gm["master_info"],
            &theirs["get_master"]["master_info"],
            &["domain"]
        ),
        Vec::<String>::new()
    );
    let a = agent_v1_in(&st, &st.agents["M-S0"]);
    assert_eq!(
        a["registered_time"],
        json!({"nanoseconds": 1700000005000000000i64})
    );
    assert!(a["agent_info"]["resources"][0].get("role").is_none());
    assert_eq!(a["total_resources"][0]["role"], "*");
    assert_eq!(a["capabilities"], json!([{"type": "MULTI_ROLE"}]));
    assert_eq!(a["offered_resources"][0]["allocation_info"]["role"], "*");
    let bare = agent_v1(&st.agents["M-S0"]);
    assert!(
        bare.get("offered_resources").is_none(),
        "empty repeated fields are omitted"
    );
    let f = framework_v1_in(&st, &st.frameworks["M-0000"]);
    assert_eq!(f["framework_info"]["failover_timeout"].to_string(), "0.0");
    assert_eq!(f["framework_info"]["checkpoint"], false);
    assert_eq!(f["offers"][0]["allocation_info"]["role"], "*");
    assert_eq!(f["offers"][0]["url"]["path"], "/slave(1)");
    let t = task_v1(&st.frameworks["M-0000"].tasks["t1"]);
    assert!(t.get("executor_id").is_none());
    assert_eq!(t["labels"], json!({"labels": [{"key": "a", "value": "b"}]}));
    assert_eq!(t["statuses"][0]["uuid"], "AAAA");
    assert_eq!(t["resources"][0]["allocation_info"]["role"], "*");
    let gs = get_state_v1(&st);
    assert_eq!(gs["get_tasks"]["tasks"].as_array().unwrap().len(), 1);
    assert_eq!(
        gs["get_tasks"]["completed_tasks"].as_array().unwrap().len(),
        1
    );
    assert!(gs["get_executors"].as_object().unwrap().is_empty());
    // Agents and frameworks of the captured SUBSCRIBED event.
    let text = crate::test_fixtures::read_fixture_text("master-api-v1-subscribe-1.5.jsonl");
    let sub: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let theirs = &sub["subscribed"]["get_state"];
    let their_agent = &theirs["get_agents"]["agents"][0];
    // reregistered_time: only after a re-registration.
    assert_eq!(
        missing(&a, their_agent, &["reregistered_time"]),
        Vec::<String>::new()
    );
    assert_eq!(
        missing(&a["agent_info"], &their_agent["agent_info"], &[]),
        Vec::<String>::new()
    );
    let their_fw = &theirs["get_frameworks"]["frameworks"][0];
    // reregistered_time: only after a re-subscription.
    assert_eq!(
        missing(&f, their_fw, &["reregistered_time"]),
        Vec::<String>::new()
    );
    assert_eq!(
        missing(
            &f["framework_info"],
            &their_fw["framework_info"],
            &["webui_url"]
        ),
        Vec::<String>::new()
    );
}

#[test]
fn roles_include_weights_and_framework_roles() {
    let st = master_state();
    let r = roles_v0(&st, &flags());
    let names: Vec<&str> = r["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["*", "ops"]);
    assert_eq!(r["roles"][1]["weight"].to_string(), "2.5");
    assert_eq!(r["roles"][0]["frameworks"], json!(["M-0000"]));
    assert_eq!(r["roles"][1]["reserved"]["cpus"].to_string(), "1.0");
}

#[test]
fn roles_carry_quota_from_the_policy() {
    let mut st = master_state();
    let scalar = |v: f64| crate::wire::resources::Scalar { value: v };
    st.policy.quotas.insert(
        "dev".into(),
        crate::wire::quota::QuotaConfig {
            role: Some("dev".into()),
            guarantees: [("cpus".to_string(), scalar(1.0))].into(),
            limits: [("cpus".to_string(), scalar(2.0))].into(),
        },
    );
    st.policy.weights.insert("dev".into(), 3.0);
    let r = j(roles_v0(&st, &flags()));
    let dev = r["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "dev")
        .unwrap_or_else(|| panic!("no dev role: {r}"));
    assert_eq!(dev["weight"], json!(3.0));
    assert_eq!(dev["quota"]["guarantee"], json!({"cpus": 1.0}));
    assert_eq!(dev["quota"]["limit"], json!({"cpus": 2.0}));
}

#[test]
fn recovered_agents_and_frameworks_show_in_state() {
    let mut st = master_state();
    st.frameworks.get_mut("M-0000").unwrap().recovered = true;
    st.registry.recovered_agents.insert(
        "old-S7".into(),
        crate::master::registry::AgentRecord {
            id: "old-S7".into(),
            hostname: "far-away".into(),
            port: 5051,
            ..Default::default()
        },
    );
    let v = j(state_v0(&st, &flags()));
    assert_eq!(
        v["recovered_slaves"],
        json!([{"id": "old-S7", "hostname": "far-away", "port": 5051, "attributes": {}}])
    );
    assert_eq!(v["frameworks"][0]["recovered"], json!(true));
    assert_eq!(
        j(slaves_v0(&st, None))["recovered_slaves"][0]["id"],
        "old-S7"
    );
    let a = j(super::get_agents_v1(&st));
    assert_eq!(a["recovered_agents"][0]["id"], json!({"value": "old-S7"}));
    let f = j(super::get_frameworks_v1(&st));
    assert_eq!(f["frameworks"][0]["recovered"], json!(true));
}

#[test]
fn metrics_cover_the_0_22_master_keys() {
    let st = master_state();
    let m = metrics_snapshot(&st, 12.5);
    let theirs = fixture("master-stats-0.22.json");
    let ours: BTreeSet<String> = m.keys().cloned().collect();
    let wanted: Vec<String> = keys(&theirs)
        .into_iter()
        .filter(|k| {
            k.starts_with("master/")
                && !k.starts_with("master/messages_")
                && !k.contains("framework_to_executor")
                && !k.contains("acknowledgement")
                && !k.contains("slave_shutdowns")
        })
        .filter(|k| !ours.contains(k))
        .collect();
    assert_eq!(wanted, Vec::<String>::new());
    assert_eq!(m["master/elected"], 1.0);
    assert_eq!(m["master/cpus_total"], 5.0);
    assert_eq!(m["master/cpus_used"], 1.0);
    assert_eq!(m["master/outstanding_offers"], 1.0);
    assert_eq!(m["master/slaves_connected"], 1.0);
    assert_eq!(m["master/slaves_disconnected"], 0.0);
}

#[test]
fn a_disconnected_agent_counts_as_disconnected() {
    let mut st = master_state();
    st.agents.get_mut("M-S0").unwrap().active = false;
    let m = metrics_snapshot(&st, 1.0);
    assert_eq!(m["master/slaves_connected"], 0.0);
    assert_eq!(m["master/slaves_disconnected"], 1.0);
    assert_eq!(m["master/slaves_inactive"], 1.0);
    // The message counters of master::metrics are in the snapshot.
    assert!(m.contains_key("master/messages_register_slave"));
    assert!(m.contains_key("master/messages_status_update"));
}

#[test]
fn dates_and_pruning() {
    assert_eq!(format_date(0), "1970-01-01 00:00:00");
    assert_eq!(format_date(1609840800), "2021-01-05 10:00:00");
    let v = json!({"a": [], "b": {"c": [], "d": [1]}, "e": [{"f": []}]});
    assert_eq!(
        j(crate::wire::operator::Pruned(v)),
        json!({"b": {"d": [1]}, "e": [{}]})
    );
}

/// One model: what the master writes, the CLI's lenient models read back
/// unchanged.
#[test]
fn v0_bodies_round_trip_through_the_cli_models() {
    let st = master_state();
    let f = flags();
    let state = super::state_v0(&st, &f);
    let back: crate::wire::MasterState = serde_json::from_value(j(&state)).unwrap();
    assert_eq!(back, state);
    let summary = super::state_summary_v0(&st);
    let back: crate::wire::StateSummary = serde_json::from_value(j(&summary)).unwrap();
    assert_eq!(back, summary);
    let tasks = super::tasks_v0(&st, &TaskQuery::default());
    let back: crate::wire::TasksResponse = serde_json::from_value(j(&tasks)).unwrap();
    assert_eq!(back, tasks);
    let slaves = super::slaves_v0(&st, None);
    let back: crate::wire::SlavesResponse = serde_json::from_value(j(&slaves)).unwrap();
    assert_eq!(back.slaves[0].id, "M-S0");
    assert!(back.slaves[0].reserved_resources_full.is_some());
    // v1: the CLI's read model of GET_STATE sees the same tasks and agents.
    let gs: crate::wire::v1::GetState =
        serde_json::from_value(j(super::get_state_v1(&st))).unwrap();
    assert_eq!(gs.get_tasks.tasks[0].id, "t1");
    assert_eq!(gs.get_tasks.tasks[0].slave_id, "M-S0");
    assert_eq!(gs.get_tasks.tasks[0].resources.cpus, 1.0);
    assert_eq!(gs.get_agents.agents[0].agent_info.id, "M-S0");
    assert_eq!(gs.get_frameworks.frameworks[0].framework_info.id, "M-0000");
}

/// Tasks reported by agents with a custom executor and resource limits:
/// the kept TaskInfo parts are rendered as the JSON walk rendered them.
#[test]
fn custom_executors_and_limits_of_reported_tasks() {
    let mut st = master_state();
    let mut t = task("tx", "TASK_RUNNING", 1700000102.0);
    t.info = crate::master::state::prune_task_info(&json!({
        "name": "tx", "task_id": {"value": "tx"},
        "limits": {"cpus": {"value": 2}, "mem": {"value": "Infinity"}, "disk": true},
        "executor": {"executor_id": {"value": "E1"}, "name": "ex", "type": "CUSTOM",
            "command": {"value": "./run", "user": "bob", "arguments": ["a"],
                "uris": [{"value": "http://x/y", "executable": true}]},
            "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.5},
                "allocation_info": {"role": "web"}}],
            "labels": {"labels": [{"key": "k", "value": "v"}]}},
        "check": null
    }));
    assert!(t.info.check.is_none());
    let v0 = task_v0(&t);
    assert_eq!(v0["executor_id"], "E1");
    assert_eq!(v0["user"], "bob");
    assert_eq!(v0["limits"], json!({"cpus": 2.0, "disk": 0.0, "mem": null}));
    let v1 = task_v1(&t);
    assert_eq!(v1["executor_id"], json!({"value": "E1"}));
    assert_eq!(
        v1["limits"],
        json!({"cpus": {"value": 2}, "mem": {"value": "Infinity"}, "disk": true})
    );
    st.frameworks
        .get_mut("M-0000")
        .unwrap()
        .tasks
        .insert("tx".into(), t.into());
    let f = &st.frameworks["M-0000"];
    let ex = j(super::framework_v0(&st, f))["executors"][0].clone();
    assert_eq!(
        ex,
        json!({"executor_id": "E1", "name": "ex", "framework_id": "M-0000",
            "slave_id": "M-S0",
            "command": {"value": "./run", "argv": ["a"],
                "uris": [{"value": "http://x/y", "executable": true}]},
            "resources": ex["resources"].clone(), "role": "web",
            "labels": [{"key": "k", "value": "v"}], "type": "CUSTOM"})
    );
    assert_eq!(ex["resources"]["cpus"].to_string(), "0.5");
    let gs = get_state_v1(&st);
    let e = &gs["get_executors"]["executors"][0];
    assert_eq!(e["agent_id"], json!({"value": "M-S0"}));
    assert_eq!(
        e["executor_info"]["framework_id"],
        json!({"value": "M-0000"})
    );
    assert_eq!(e["executor_info"]["executor_id"], json!({"value": "E1"}));
    assert_eq!(e["executor_info"]["labels"]["labels"][0]["key"], "k");
}

// Protobuf GET_STATE / GET_TASKS written from the state (render::proto).
#[path = "proto_tests.rs"]
mod proto_tests;
