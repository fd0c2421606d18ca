//! Encoding cost of the master's operator `GET_STATE` answer, JSON against
//! protobuf (run by bench/protobuf.sh): a typed `GetState` with TASKS tasks
//! (resources, two statuses each, labels), AGENTS agents and one framework,
//! serialized ROUNDS times each way from the same typed value, as the
//! master's snapshot render does. Prints one `key: value` line per figure.
//!
//! Usage: bench_proto [TASKS] [AGENTS] [ROUNDS]

use std::time::{Duration, Instant};

use mesos::wire::agent_v1::{Id, V1TaskStatus};
use mesos::wire::operator::{Agent, AgentInfo, Framework, GetState, Response, Task};
use mesos::wire::proto;
use mesos::wire::resources::Resource;
use serde_json::json;

fn typed<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).expect("a valid template")
}

fn state(tasks: usize, agents: usize) -> GetState {
    let fid = "6c6b1c2a-1d86-4a49-9f8d-3f1f0d1f2a3b-0000";
    let resources: Vec<Resource> = typed(json!([
        {"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}, "role": "*"},
        {"name": "mem", "type": "SCALAR", "scalar": {"value": 32.0}, "role": "*"},
        {"name": "ports", "type": "RANGES", "ranges": {"range": [{"begin": 31000, "end": 31000}]}, "role": "*"}
    ]));
    let mut out = GetState::default();
    for i in 0..tasks {
        let tid = format!("task-{i:05}.8c0b1e4e-1f2a-11ef-9a3c-0242ac110002");
        let aid = format!("6c6b1c2a-1d86-4a49-9f8d-3f1f0d1f2a3b-S{}", i % agents);
        let statuses = ["TASK_STARTING", "TASK_RUNNING"]
            .iter()
            .enumerate()
            .map(|(n, s)| {
                typed::<V1TaskStatus>(json!({
                    "task_id": {"value": tid}, "state": s, "source": "SOURCE_EXECUTOR",
                    "agent_id": {"value": aid}, "executor_id": {"value": tid},
                    "timestamp": 1733400000.123456 + n as f64,
                    "uuid": "q83vEjRWeJCrze8SNFZ4kA==",
                    "container_status": {"container_id": {"value": "0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f"},
                                         "network_infos": [{"ip_addresses": [{"protocol": "IPv4", "ip_address": "10.0.0.1"}]}],
                                         "executor_pid": 4242}
                }))
            })
            .collect();
        out.get_tasks.tasks.push(Task {
            name: format!("task-{i:05}"),
            task_id: Id::new(&tid),
            framework_id: Id::new(fid),
            executor_id: None,
            agent_id: Id::new(&aid),
            state: typed(json!("TASK_RUNNING")),
            resources: resources.clone(),
            statuses,
            labels: Some(mesos::wire::operator::Pruned(
                json!({"labels": [{"key": "owner", "value": "bench"}]}),
            )),
            user: Some("root".into()),
            ..Task::default()
        });
    }
    for a in 0..agents {
        out.get_agents.agents.push(Agent {
            agent_info: AgentInfo {
                hostname: format!("10.0.{}.{}", a / 250, a % 250),
                port: 5051,
                resources: resources.clone(),
                attributes: Vec::new(),
                id: Id::new(format!("6c6b1c2a-1d86-4a49-9f8d-3f1f0d1f2a3b-S{a}")),
            },
            active: true,
            version: "1.11.0".into(),
            pid: format!("slave(1)@10.0.{}.{}:5051", a / 250, a % 250),
            total_resources: resources.clone(),
            ..Agent::default()
        });
    }
    out.get_frameworks.frameworks.push(Framework {
        framework_info: typed(
            json!({"user": "root", "name": "bench", "id": {"value": fid},
                                     "failover_timeout": 0.0, "checkpoint": false,
                                     "roles": ["*"], "capabilities": [{"type": "MULTI_ROLE"}]}),
        ),
        active: true,
        connected: true,
        ..Framework::default()
    });
    out
}

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let tasks = args.first().copied().unwrap_or(10_000);
    let agents = args.get(1).copied().unwrap_or(100).max(1);
    let rounds = args.get(2).copied().unwrap_or(15).max(1);
    let st = state(tasks, agents);
    let r = Response::new("GET_STATE", &st);
    let (mut js, mut pb) = (Vec::new(), Vec::new());
    let (mut json_len, mut pb_len) = (0, 0);
    // BENCH_ONLY=protobuf (or json) times one encoding only (profiling).
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    for _ in 0..rounds {
        let t = Instant::now();
        if only != "protobuf" {
            json_len = serde_json::to_vec(&r).expect("JSON").len();
        }
        js.push(t.elapsed());
        if only == "json" {
            pb.push(t.elapsed());
            continue;
        }
        let t = Instant::now();
        pb_len = proto::encode("mesos.v1.master.Response", &r)
            .expect("protobuf")
            .len();
        pb.push(t.elapsed());
    }
    let (j, p) = (median(js), median(pb));
    println!("tasks: {tasks}");
    println!("get_state_json_encode_ms_median: {j:.1} ({json_len} bytes)");
    println!("get_state_protobuf_encode_ms_median: {p:.1} ({pb_len} bytes)");
    println!("protobuf_speedup: {:.2}x", j / p);
}
