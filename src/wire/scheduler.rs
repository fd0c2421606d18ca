//! The v1 scheduler `Call` the bundled master accepts
//! (`POST /api/v1/scheduler`), typed down to the fields the master reads.
//! Messages it stores or forwards (FrameworkInfo, TaskInfo, ExecutorInfo)
//! are typed too and keep the fields this build does not model in their
//! `other`, so they go on as the framework sent them.
//!
//! Repeated fields accept a lone value as one element (as stout does);
//! ids are `{"value": ..}`.
//!
//! The same types serialize: the scheduler client (`mesos execute`, `mesos
//! kill`) builds its calls with the constructors below, so absent fields are
//! omitted (never `null`) and the JSON is what a real master expects. The
//! constructors take typed messages ([`TaskInfo`], [`ExecutorInfo`],
//! [`KillPolicy`], the subscribing [`FrameworkInfo`]). A call whose JSON
//! does not fit these types is not a `Call` at all: the master refuses it
//! whole with 400, as Mesos does for JSON that does not convert to the
//! protobuf.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::agent_v1::{ExecutorInfo, Id, KillPolicy, TaskInfo};
use super::de;
pub use super::framework::{labels_message, FrameworkCapability as Capability, FrameworkInfo};

/// An id message `{"value": ..}`; a missing or non-string value is `None`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IdRef {
    #[serde(
        default,
        deserialize_with = "string_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
}

fn string_or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        _ => None,
    })
}

/// `Option<IdRef>` whose value is a string.
fn id_of(id: &Option<IdRef>) -> Option<&str> {
    id.as_ref().and_then(|i| i.value.as_deref())
}

/// `type` of a call: a string, or anything else (refused).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TypeName {
    Name(String),
    Other(Value),
}

/// The call as sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Call {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<TypeName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework_id: Option<IdRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribe: Option<Subscribe>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept: Option<Accept>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decline: Option<Decline>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revive: Option<Roles>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppress: Option<Roles>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kill: Option<Kill>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shutdown: Option<Shutdown>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledge: Option<Acknowledge>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconcile: Option<Reconcile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_framework: Option<UpdateFramework>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_inverse_offers: Option<InverseOffersAnswer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decline_inverse_offers: Option<InverseOffersAnswer>,
}

impl Call {
    /// The call type name, if it is a string.
    pub fn type_name(&self) -> Option<&str> {
        match &self.kind {
            Some(TypeName::Name(s)) => Some(s),
            _ => None,
        }
    }

    /// `framework_id.value`.
    pub fn framework_id(&self) -> Option<&str> {
        id_of(&self.framework_id)
    }

    /// A call of `kind` without payload (`TEARDOWN`).
    pub fn of(kind: &str) -> Call {
        Call {
            kind: Some(TypeName::Name(kind.to_string())),
            ..Call::default()
        }
    }

    /// The same call from framework `id`.
    pub fn from_framework(self, id: &str) -> Call {
        Call {
            framework_id: Some(IdRef::new(id)),
            ..self
        }
    }

    /// `SUBSCRIBE` with `framework_info`; a re-subscription (the info has
    /// an `id`) also names the framework in `framework_id`.
    pub fn subscribe(framework_info: FrameworkInfo) -> Call {
        let framework_id = framework_info
            .id
            .as_ref()
            .map(|id| IdRef::new(id.value.as_str()));
        Call {
            framework_id,
            subscribe: Some(Subscribe {
                framework_info: Some(framework_info),
                suppressed_roles: Vec::new(),
            }),
            ..Call::of("SUBSCRIBE")
        }
    }

    /// `ACCEPT` of `offer_ids` with `operations`.
    pub fn accept(offer_ids: Vec<IdRef>, operations: Vec<Operation>, refuse_seconds: f64) -> Call {
        Call {
            accept: Some(Accept {
                offer_ids,
                operations,
                filters: Some(Filters::refuse(refuse_seconds)),
            }),
            ..Call::of("ACCEPT")
        }
    }

    /// `DECLINE` of `offer_ids`.
    pub fn decline(offer_ids: Vec<IdRef>, refuse_seconds: f64) -> Call {
        Call {
            decline: Some(Decline {
                offer_ids,
                filters: Some(Filters::refuse(refuse_seconds)),
            }),
            ..Call::of("DECLINE")
        }
    }

    /// `ACKNOWLEDGE` of one status update.
    pub fn acknowledge(agent_id: Option<&str>, task_id: &str, uuid: &str) -> Call {
        Call {
            acknowledge: Some(Acknowledge {
                agent_id: agent_id.map(IdRef::new),
                task_id: Some(IdRef::new(task_id)),
                uuid: Some(uuid.to_string()),
            }),
            ..Call::of("ACKNOWLEDGE")
        }
    }

    /// `KILL` of a task (the agent when known; an optional `KillPolicy`).
    pub fn kill(task_id: &str, agent_id: Option<&str>, kill_policy: Option<KillPolicy>) -> Call {
        Call {
            kill: Some(Kill {
                task_id: Some(IdRef::new(task_id)),
                agent_id: agent_id.filter(|a| !a.is_empty()).map(IdRef::new),
                kill_policy,
            }),
            ..Call::of("KILL")
        }
    }

    /// `SUPPRESS` offers for all of the framework's roles (`"suppress": {}`).
    pub fn suppress() -> Call {
        Call {
            suppress: Some(Roles::default()),
            ..Call::of("SUPPRESS")
        }
    }

    /// `REVIVE` offers for all of the framework's roles (`"revive": {}`).
    pub fn revive() -> Call {
        Call {
            revive: Some(Roles::default()),
            ..Call::of("REVIVE")
        }
    }

    /// `RECONCILE` of `tasks` (empty: implicit reconciliation).
    pub fn reconcile(tasks: Vec<ReconcileTask>) -> Call {
        Call {
            reconcile: Some(Reconcile { tasks }),
            ..Call::of("RECONCILE")
        }
    }

    /// The JSON text of the call.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("calls serialize")
    }
}

impl IdRef {
    pub fn new(value: &str) -> IdRef {
        IdRef {
            value: Some(value.to_string()),
        }
    }
}

impl Filters {
    pub fn refuse(seconds: f64) -> Filters {
        Filters {
            refuse_seconds: Some(seconds),
        }
    }
}

impl Operation {
    /// `LAUNCH` of TaskInfos.
    pub fn launch(task_infos: Vec<TaskInfo>) -> Operation {
        Operation {
            kind: "LAUNCH".into(),
            launch: Some(Launch { task_infos }),
            launch_group: None,
        }
    }

    /// `LAUNCH_GROUP` of a task group with its executor.
    pub fn launch_group(executor: ExecutorInfo, tasks: Vec<TaskInfo>) -> Operation {
        Operation {
            kind: "LAUNCH_GROUP".into(),
            launch: None,
            launch_group: Some(LaunchGroup {
                executor: Some(executor),
                task_group: TaskGroup { tasks },
            }),
        }
    }
}

impl ReconcileTask {
    /// A task to reconcile (with its agent when known).
    pub fn new(task_id: &str, agent_id: Option<&str>) -> ReconcileTask {
        ReconcileTask {
            task_id: Some(IdRef::new(task_id)),
            agent_id: agent_id.map(IdRef::new),
        }
    }
}

/// `subscribe`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Subscribe {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework_info: Option<FrameworkInfo>,
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub suppressed_roles: Vec<String>,
}

/// `message`: framework-to-executor data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Message {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<IdRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executor_id: Option<IdRef>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub data: Option<String>,
}

/// `accept_inverse_offers` / `decline_inverse_offers`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InverseOffersAnswer {
    #[serde(default, deserialize_with = "de::vec")]
    pub inverse_offer_ids: Vec<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Filters>,
}

/// `Filters`: `refuse_seconds` (a number or numeric string).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Filters {
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub refuse_seconds: Option<f64>,
}

/// `accept`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Accept {
    #[serde(default, deserialize_with = "de::vec")]
    pub offer_ids: Vec<IdRef>,
    #[serde(default, deserialize_with = "de::vec")]
    pub operations: Vec<Operation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Filters>,
}

impl Accept {
    /// The offer ids that are strings.
    pub fn offer_ids(&self) -> Vec<String> {
        self.offer_ids
            .iter()
            .filter_map(|o| o.value.clone())
            .collect()
    }
}

/// `Offer.Operation` (the kinds the master acts on; others are ignored).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    #[serde(rename = "type", default, deserialize_with = "de::string")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch: Option<Launch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_group: Option<LaunchGroup>,
}

/// `Operation.Launch`: typed TaskInfos (fields this build does not model
/// are kept in their `other`, so a task is forwarded as sent).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Launch {
    #[serde(default, deserialize_with = "de::vec")]
    pub task_infos: Vec<TaskInfo>,
}

/// `Operation.LaunchGroup`: the ExecutorInfo and TaskGroupInfo.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LaunchGroup {
    #[serde(default)]
    pub executor: Option<ExecutorInfo>,
    #[serde(default)]
    pub task_group: TaskGroup,
}

/// `TaskGroupInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskGroup {
    #[serde(default, deserialize_with = "de::vec")]
    pub tasks: Vec<TaskInfo>,
}

/// `decline`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Decline {
    #[serde(default, deserialize_with = "de::vec")]
    pub offer_ids: Vec<IdRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Filters>,
}

/// `revive` / `suppress`: roles (empty = all of the framework's).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Roles {
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub roles: Vec<String>,
}

/// `kill`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Kill {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<IdRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<IdRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kill_policy: Option<KillPolicy>,
}

impl Kill {
    pub fn task_id(&self) -> Option<&str> {
        id_of(&self.task_id)
    }
}

/// `shutdown`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Shutdown {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executor_id: Option<IdRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<IdRef>,
}

impl Shutdown {
    pub fn executor_id(&self) -> Option<&str> {
        id_of(&self.executor_id)
    }
}

/// `acknowledge`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Acknowledge {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<IdRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<IdRef>,
    #[serde(
        default,
        deserialize_with = "string_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub uuid: Option<String>,
}

impl Acknowledge {
    pub fn task_id(&self) -> Option<&str> {
        id_of(&self.task_id)
    }
}

/// `reconcile`: tasks asked about (none = all of the framework's).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reconcile {
    #[serde(default, deserialize_with = "de::vec")]
    pub tasks: Vec<ReconcileTask>,
}

/// One task of `reconcile.tasks`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReconcileTask {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<IdRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<IdRef>,
}

impl ReconcileTask {
    pub fn task_id(&self) -> Option<&str> {
        id_of(&self.task_id)
    }
    pub fn agent_id(&self) -> Option<&str> {
        id_of(&self.agent_id)
    }
}

/// `update_framework`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateFramework {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework_info: Option<FrameworkInfo>,
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub suppressed_roles: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(s: &str) -> Call {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn typed_payloads() {
        let c = call(
            r#"{"type":"ACCEPT","framework_id":{"value":"F"},"accept":{
                "offer_ids":[{"value":"O1"},{"value":"O2"}],
                "operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":"t"}]}}],
                "filters":{"refuse_seconds":"2.5"}}}"#,
        );
        assert_eq!(c.type_name(), Some("ACCEPT"));
        assert_eq!(c.framework_id(), Some("F"));
        let a = c.accept.unwrap();
        assert_eq!(a.offer_ids(), vec!["O1", "O2"]);
        assert_eq!(a.operations[0].kind, "LAUNCH");
        assert_eq!(a.operations[0].launch.as_ref().unwrap().task_infos.len(), 1);
        // TaskInfos are typed and keep what this build does not model.
        let l = call(
            r#"{"type":"ACCEPT","accept":{"operations":[{"type":"LAUNCH","launch":{"task_infos":[
                {"name":"t","task_id":{"value":"t1"},"command":{"value":"true"},
                 "resources":[],"max_completion_time":{"nanoseconds":5}}]}}]}}"#,
        );
        let op = &l.accept.unwrap().operations[0];
        let t = &op.launch.as_ref().unwrap().task_infos[0];
        assert_eq!(t.task_id.value, "t1");
        let back = serde_json::to_value(t).unwrap();
        assert_eq!(
            back,
            serde_json::json!({"name":"t","task_id":{"value":"t1"},"resources":[],
                "command":{"value":"true"},"max_completion_time":{"nanoseconds":5}})
        );
        assert_eq!(a.filters.unwrap().refuse_seconds, Some(2.5));
        // A lone value counts as one element.
        let r = call(r#"{"type":"REVIVE","revive":{"roles":"web"}}"#);
        assert_eq!(r.revive.unwrap().roles, vec!["web"]);
        let k = call(r#"{"type":"KILL","kill":{"task_id":{"value":"t1"}}}"#);
        assert_eq!(k.kill.unwrap().task_id(), Some("t1"));
        let t = call(r#"{"type":1}"#);
        assert_eq!(t.type_name(), None);
        let n = call(
            r#"{"type":"RECONCILE","reconcile":{"tasks":[{"task_id":{"value":"a"},"agent_id":{"value":"S"}}]}}"#,
        );
        let rt = &n.reconcile.unwrap().tasks[0];
        assert_eq!((rt.task_id(), rt.agent_id()), (Some("a"), Some("S")));
    }

    fn json_of(c: &Call) -> Value {
        serde_json::from_str(&c.to_json()).unwrap()
    }

    #[test]
    fn built_calls_have_the_json_the_client_sent_before() {
        use serde_json::json;
        assert_eq!(
            json_of(&Call::of("TEARDOWN").from_framework("F")),
            json!({"type": "TEARDOWN", "framework_id": {"value": "F"}})
        );
        assert_eq!(
            json_of(&Call::suppress()),
            json!({"type": "SUPPRESS", "suppress": {}})
        );
        assert_eq!(
            json_of(&Call::revive()),
            json!({"type": "REVIVE", "revive": {}})
        );
        assert_eq!(
            json_of(&Call::decline(vec![IdRef::new("O1")], 5.0)),
            json!({"type": "DECLINE", "decline": {"offer_ids": [{"value": "O1"}],
                "filters": {"refuse_seconds": 5.0}}})
        );
        assert_eq!(
            json_of(&Call::acknowledge(Some("S1"), "t", "dXVpZA==")),
            json!({"type": "ACKNOWLEDGE", "acknowledge": {"agent_id": {"value": "S1"},
                "task_id": {"value": "t"}, "uuid": "dXVpZA=="}})
        );
        let policy = KillPolicy {
            grace_period: Some(super::super::agent_v1::DurationInfo {
                nanoseconds: 2_000_000_000,
            }),
            other: crate::wire::agent_v1::Extra::new(),
        };
        assert_eq!(
            json_of(&Call::kill("t", Some("S1"), Some(policy))),
            json!({"type": "KILL", "kill": {"task_id": {"value": "t"}, "agent_id": {"value": "S1"},
                "kill_policy": {"grace_period": {"nanoseconds": 2_000_000_000i64}}}})
        );
        assert_eq!(
            json_of(&Call::kill("t", Some(""), None)),
            json!({"type": "KILL", "kill": {"task_id": {"value": "t"}}})
        );
        assert_eq!(
            json_of(&Call::reconcile(vec![])),
            json!({"type": "RECONCILE", "reconcile": {"tasks": []}})
        );
        let task: TaskInfo = serde_json::from_value(json!({"name": "t", "task_id": {"value": "t"},
            "agent_id": {"value": "S1"}, "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}}],
            "command": {"shell": true, "value": "true"}}))
        .unwrap();
        let launch = Call::accept(
            vec![IdRef::new("O1")],
            vec![Operation::launch(vec![task.clone()])],
            1.0,
        );
        assert_eq!(
            json_of(&launch),
            json!({"type": "ACCEPT", "accept": {"offer_ids": [{"value": "O1"}],
                "operations": [{"type": "LAUNCH", "launch": {"task_infos": [
                    {"name": "t", "task_id": {"value": "t"}, "agent_id": {"value": "S1"},
                     "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}}],
                     "command": {"shell": true, "value": "true"}}]}}],
                "filters": {"refuse_seconds": 1.0}}})
        );
        let executor: ExecutorInfo = serde_json::from_value(json!({"type": "DEFAULT",
            "executor_id": {"value": "default-executor"}, "framework_id": {"value": "F"}, "resources": []}))
        .unwrap();
        let group = json_of(&Call::accept(
            vec![IdRef::new("O1")],
            vec![Operation::launch_group(executor, vec![task])],
            1.0,
        ));
        assert_eq!(
            group["accept"]["operations"][0]["launch_group"]["executor"],
            json!({"type": "DEFAULT", "executor_id": {"value": "default-executor"},
                "framework_id": {"value": "F"}})
        );
        assert_eq!(
            group["accept"]["operations"][0]["launch_group"]["task_group"]["tasks"][0]["name"],
            "t"
        );
        // The master reads what the client writes.
        let back: Call = serde_json::from_str(&launch.to_json()).unwrap();
        assert_eq!(back, launch);
    }

    #[test]
    fn subscribe_carries_the_framework_info() {
        use serde_json::json;
        let info = FrameworkInfo {
            user: Some("u".into()),
            name: Some("n".into()),
            failover_timeout: Some(0.0),
            checkpoint: Some(false),
            role: Some("*".into()),
            capabilities: vec![Capability::new("TASK_KILLING_STATE")],
            labels: Some(labels_message(vec![crate::wire::resources::Label {
                key: "k".into(),
                value: Some("v".into()),
            }])),
            ..FrameworkInfo::default()
        };
        assert_eq!(
            json_of(&Call::subscribe(info.clone())),
            json!({"type": "SUBSCRIBE", "subscribe": {"framework_info": {"user": "u", "name": "n",
                "failover_timeout": 0.0, "checkpoint": false, "role": "*",
                "capabilities": [{"type": "TASK_KILLING_STATE"}],
                "labels": {"labels": [{"key": "k", "value": "v"}]}}}})
        );
        // A re-subscription names the framework twice, as real clients do.
        let again = FrameworkInfo {
            id: Some(super::super::agent_v1::Id::new("F1")),
            ..info
        };
        let v = json_of(&Call::subscribe(again));
        assert_eq!(v["framework_id"], json!({"value": "F1"}));
        assert_eq!(
            v["subscribe"]["framework_info"]["id"],
            json!({"value": "F1"})
        );
        // A malformed subscribe is not a Call (the master answers 400, as
        // Mesos does for JSON that does not convert to the protobuf).
        assert!(serde_json::from_str::<Call>(
            r#"{"type":"SUBSCRIBE","subscribe":{"framework_info":5}}"#
        )
        .is_err());
    }

    #[test]
    fn malformed_payloads_are_errors_not_panics() {
        assert!(serde_json::from_str::<Call>(r#"{"type":"DECLINE","decline":5}"#).is_err());
        assert!(serde_json::from_str::<Call>(r#"{"revive":{"roles":[1]}}"#).is_err());
    }
}
