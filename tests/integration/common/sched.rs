//! Helpers for tests that drive the v1 scheduler API themselves. The tests
//! hold events, offers and statuses as JSON (`Events::next_json`); these
//! helpers turn the pieces they pass back into the client's typed values.

#![allow(dead_code)]

use std::time::Duration;

use mesos::error::Result;
use mesos::http::HttpClient;
use mesos::wire::agent_v1::{Id, TaskInfo, V1TaskStatus};
use mesos::wire::scheduler::{Call, FrameworkInfo, ReconcileTask};
use reqwest::Url;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

pub use mesos::scheduler_client::{Events, Scheduler};

/// How long [`next_of`] waits.
pub const EVENT_DEADLINE: Duration = Duration::from_secs(60);

/// v1 resources: `cpus` and `mem` scalars.
pub fn res(cpus: f64, mem: f64) -> Vec<Value> {
    vec![
        json!({"name": "cpus", "type": "SCALAR", "scalar": {"value": cpus}}),
        json!({"name": "mem", "type": "SCALAR", "scalar": {"value": mem}}),
    ]
}

/// A typed value from the JSON a test holds (panics when it does not fit).
pub fn typed<T: DeserializeOwned>(v: &Value) -> T {
    serde_json::from_value(v.clone())
        .unwrap_or_else(|e| panic!("{v} is not a {}: {e}", std::any::type_name::<T>()))
}

/// SUBSCRIBE with a JSON FrameworkInfo; the SUBSCRIBED event as JSON.
pub async fn subscribe_json(
    http: &HttpClient,
    url: &Url,
    framework_info: Value,
) -> Result<(Scheduler, Events, Value)> {
    let info: FrameworkInfo = typed(&framework_info);
    let (s, ev, first) = Scheduler::subscribe(http, url, info).await?;
    Ok((s, ev, serde_json::to_value(first).unwrap()))
}

/// A command TaskInfo for the agent (an id object from an offer) with JSON
/// resources.
pub fn command_task(
    id: &str,
    name: &str,
    agent_id: &Value,
    cmd: &str,
    resources: Vec<Value>,
) -> TaskInfo {
    let agent: Id = typed(agent_id);
    let resources = resources.iter().map(typed).collect();
    mesos::scheduler_client::command_task(id, name, &agent.value, cmd, resources)
}

/// The client's calls with the JSON pieces a test holds.
#[allow(async_fn_in_trait)]
pub trait JsonCalls {
    async fn acknowledge_json(&self, status: &Value) -> Result<()>;
    async fn launch_json(
        &self,
        offer_ids: &[Value],
        tasks: Vec<TaskInfo>,
        refuse: f64,
    ) -> Result<()>;
    async fn decline_json(&self, offer_ids: &[Value], refuse: f64) -> Result<()>;
    async fn reconcile_json(&self, tasks: Vec<Value>) -> Result<()>;
    async fn call_json(&self, call: Value) -> Result<()>;
}

fn ids(v: &[Value]) -> Vec<Id> {
    v.iter().map(typed).collect()
}

impl JsonCalls for Scheduler {
    async fn acknowledge_json(&self, status: &Value) -> Result<()> {
        let st: V1TaskStatus = typed(status);
        self.acknowledge(&st).await
    }
    async fn launch_json(
        &self,
        offer_ids: &[Value],
        tasks: Vec<TaskInfo>,
        refuse: f64,
    ) -> Result<()> {
        self.launch(&ids(offer_ids), tasks, refuse).await
    }
    async fn decline_json(&self, offer_ids: &[Value], refuse: f64) -> Result<()> {
        self.decline(&ids(offer_ids), refuse).await
    }
    async fn reconcile_json(&self, tasks: Vec<Value>) -> Result<()> {
        let tasks: Vec<ReconcileTask> = tasks.iter().map(typed).collect();
        self.reconcile(tasks).await
    }
    async fn call_json(&self, call: Value) -> Result<()> {
        let typed_call: Call = typed(&call);
        // The typed call must say what the test wrote.
        assert_eq!(serde_json::to_value(&typed_call).unwrap(), call);
        self.call(typed_call).await
    }
}

/// Next event of one of `types` (others, e.g. HEARTBEAT, are skipped).
pub async fn next_of(ev: &mut Events, types: &[&str]) -> Value {
    tokio::time::timeout(EVENT_DEADLINE, async {
        loop {
            let e = ev.next_json().await.unwrap().expect("stream open");
            if types.contains(&e["type"].as_str().unwrap_or("")) {
                return e;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no {types:?} event within {EVENT_DEADLINE:?}"))
}
