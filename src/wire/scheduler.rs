//! The v1 scheduler `Call` the bundled master accepts
//! (`POST /api/v1/scheduler`), typed down to the fields the master reads.
//! Messages it stores or forwards (FrameworkInfo, TaskInfo, ExecutorInfo)
//! are typed too and keep the fields this build does not model in their
//! `other`, so they go on as the framework sent them.
//!
//! Repeated fields accept a lone value as one element (as stout does);
//! ids are `{"value": ..}`.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::agent_v1::{ExecutorInfo, Id, TaskInfo};
use super::de;
use super::framework::FrameworkInfo;

/// An id message `{"value": ..}`; a missing or non-string value is `None`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct IdRef {
    #[serde(default, deserialize_with = "string_or_none")]
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
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum TypeName {
    Name(String),
    Other(Value),
}

/// The call as sent.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Call {
    #[serde(rename = "type", default)]
    pub kind: Option<TypeName>,
    #[serde(default)]
    pub framework_id: Option<IdRef>,
    #[serde(default)]
    pub subscribe: Option<Subscribe>,
    #[serde(default)]
    pub accept: Option<Accept>,
    #[serde(default)]
    pub decline: Option<Decline>,
    #[serde(default)]
    pub revive: Option<Roles>,
    #[serde(default)]
    pub suppress: Option<Roles>,
    #[serde(default)]
    pub kill: Option<Kill>,
    #[serde(default)]
    pub shutdown: Option<Shutdown>,
    #[serde(default)]
    pub acknowledge: Option<Acknowledge>,
    #[serde(default)]
    pub reconcile: Option<Reconcile>,
    #[serde(default)]
    pub update_framework: Option<UpdateFramework>,
    #[serde(default)]
    pub message: Option<Message>,
    #[serde(default)]
    pub accept_inverse_offers: Option<InverseOffersAnswer>,
    #[serde(default)]
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
}

/// `subscribe`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Subscribe {
    #[serde(default)]
    pub framework_info: Option<FrameworkInfo>,
    #[serde(default, deserialize_with = "de::vec")]
    pub suppressed_roles: Vec<String>,
}

/// `message`: framework-to-executor data.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Message {
    #[serde(default)]
    pub agent_id: Option<IdRef>,
    #[serde(default)]
    pub executor_id: Option<IdRef>,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub data: Option<String>,
}

/// `accept_inverse_offers` / `decline_inverse_offers`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct InverseOffersAnswer {
    #[serde(default, deserialize_with = "de::vec")]
    pub inverse_offer_ids: Vec<Id>,
    #[serde(default)]
    pub filters: Option<Filters>,
}

/// `Filters`: `refuse_seconds` (a number or numeric string).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Filters {
    #[serde(default, deserialize_with = "de::opt_f64")]
    pub refuse_seconds: Option<f64>,
}

/// `accept`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Accept {
    #[serde(default, deserialize_with = "de::vec")]
    pub offer_ids: Vec<IdRef>,
    #[serde(default, deserialize_with = "de::vec")]
    pub operations: Vec<Operation>,
    #[serde(default)]
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
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Operation {
    #[serde(rename = "type", default, deserialize_with = "de::string")]
    pub kind: String,
    #[serde(default)]
    pub launch: Option<Launch>,
    #[serde(default)]
    pub launch_group: Option<LaunchGroup>,
}

/// `Operation.Launch`: typed TaskInfos (fields this build does not model
/// are kept in their `other`, so a task is forwarded as sent).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Launch {
    #[serde(default, deserialize_with = "de::vec")]
    pub task_infos: Vec<TaskInfo>,
}

/// `Operation.LaunchGroup`: the ExecutorInfo and TaskGroupInfo.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct LaunchGroup {
    #[serde(default)]
    pub executor: Option<ExecutorInfo>,
    #[serde(default)]
    pub task_group: TaskGroup,
}

/// `TaskGroupInfo`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct TaskGroup {
    #[serde(default, deserialize_with = "de::vec")]
    pub tasks: Vec<TaskInfo>,
}

/// `decline`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Decline {
    #[serde(default, deserialize_with = "de::vec")]
    pub offer_ids: Vec<IdRef>,
    #[serde(default)]
    pub filters: Option<Filters>,
}

/// `revive` / `suppress`: roles (empty = all of the framework's).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Roles {
    #[serde(default, deserialize_with = "de::vec")]
    pub roles: Vec<String>,
}

/// `kill`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Kill {
    #[serde(default)]
    pub task_id: Option<IdRef>,
    #[serde(default)]
    pub agent_id: Option<IdRef>,
    #[serde(default)]
    pub kill_policy: Option<Value>,
}

impl Kill {
    pub fn task_id(&self) -> Option<&str> {
        id_of(&self.task_id)
    }
}

/// `shutdown`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Shutdown {
    #[serde(default)]
    pub executor_id: Option<IdRef>,
    #[serde(default)]
    pub agent_id: Option<IdRef>,
}

impl Shutdown {
    pub fn executor_id(&self) -> Option<&str> {
        id_of(&self.executor_id)
    }
}

/// `acknowledge`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Acknowledge {
    #[serde(default)]
    pub agent_id: Option<IdRef>,
    #[serde(default)]
    pub task_id: Option<IdRef>,
    #[serde(default, deserialize_with = "string_or_none")]
    pub uuid: Option<String>,
}

impl Acknowledge {
    pub fn task_id(&self) -> Option<&str> {
        id_of(&self.task_id)
    }
}

/// `reconcile`: tasks asked about (none = all of the framework's).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Reconcile {
    #[serde(default, deserialize_with = "de::vec")]
    pub tasks: Vec<ReconcileTask>,
}

/// One task of `reconcile.tasks`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ReconcileTask {
    #[serde(default)]
    pub task_id: Option<IdRef>,
    #[serde(default)]
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
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct UpdateFramework {
    #[serde(default)]
    pub framework_info: Option<FrameworkInfo>,
    #[serde(default, deserialize_with = "de::vec")]
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

    #[test]
    fn malformed_payloads_are_errors_not_panics() {
        assert!(serde_json::from_str::<Call>(r#"{"type":"DECLINE","decline":5}"#).is_err());
        assert!(serde_json::from_str::<Call>(r#"{"revive":{"roles":[1]}}"#).is_err());
    }
}
