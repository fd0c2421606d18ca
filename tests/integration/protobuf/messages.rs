//! The protobuf messages the tests of `super` speak: hand-written `prost`
//! structs with the field numbers of Mesos 1.x, independent of the daemons'
//! descriptor-driven codec.

#![allow(dead_code)]

use prost::Message;

// --- mesos.v1 (the subset this test speaks) --------------------------------

#[derive(Clone, PartialEq, Message)]
pub struct Id {
    #[prost(string, tag = "1")]
    pub value: String,
}

pub fn id(v: &str) -> Id {
    Id { value: v.into() }
}

#[derive(Clone, PartialEq, Message)]
pub struct FrameworkInfo {
    #[prost(string, tag = "1")]
    pub user: String,
    #[prost(string, tag = "2")]
    pub name: String,
    #[prost(message, optional, tag = "3")]
    pub id: Option<Id>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Scalar {
    #[prost(double, tag = "1")]
    pub value: f64,
}

#[derive(Clone, PartialEq, Message)]
pub struct Resource {
    #[prost(string, tag = "1")]
    pub name: String,
    /// SCALAR = 0: always written.
    #[prost(int32, optional, tag = "2")]
    pub r#type: Option<i32>,
    #[prost(message, optional, tag = "3")]
    pub scalar: Option<Scalar>,
}

#[derive(Clone, PartialEq, Message)]
pub struct CommandInfo {
    #[prost(string, optional, tag = "3")]
    pub value: Option<String>,
    #[prost(bool, optional, tag = "6")]
    pub shell: Option<bool>,
}

#[derive(Clone, PartialEq, Message)]
pub struct TaskInfo {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(message, optional, tag = "2")]
    pub task_id: Option<Id>,
    #[prost(message, optional, tag = "3")]
    pub agent_id: Option<Id>,
    #[prost(message, repeated, tag = "4")]
    pub resources: Vec<Resource>,
    #[prost(message, optional, tag = "7")]
    pub command: Option<CommandInfo>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Offer {
    #[prost(message, optional, tag = "1")]
    pub id: Option<Id>,
    #[prost(message, optional, tag = "2")]
    pub framework_id: Option<Id>,
    #[prost(message, optional, tag = "3")]
    pub agent_id: Option<Id>,
    #[prost(string, tag = "4")]
    pub hostname: String,
    #[prost(message, repeated, tag = "5")]
    pub resources: Vec<Resource>,
}

#[derive(Clone, PartialEq, Message)]
pub struct TaskStatus {
    #[prost(message, optional, tag = "1")]
    pub task_id: Option<Id>,
    #[prost(int32, optional, tag = "2")]
    pub state: Option<i32>,
    #[prost(message, optional, tag = "5")]
    pub agent_id: Option<Id>,
    #[prost(bytes = "vec", optional, tag = "11")]
    pub uuid: Option<Vec<u8>>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Task {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(message, optional, tag = "2")]
    pub task_id: Option<Id>,
    #[prost(message, optional, tag = "3")]
    pub framework_id: Option<Id>,
    #[prost(message, optional, tag = "5")]
    pub agent_id: Option<Id>,
    #[prost(int32, optional, tag = "6")]
    pub state: Option<i32>,
}

pub const TASK_STARTING: i32 = 0;
pub const TASK_RUNNING: i32 = 1;
pub const TASK_FINISHED: i32 = 2;

pub fn state_name(n: i32) -> &'static str {
    match n {
        0 => "TASK_STARTING",
        1 => "TASK_RUNNING",
        2 => "TASK_FINISHED",
        3 => "TASK_FAILED",
        4 => "TASK_KILLED",
        6 => "TASK_STAGING",
        _ => "other",
    }
}

// --- mesos.v1.scheduler ------------------------------------------------------

#[derive(Clone, PartialEq, Message)]
pub struct Call {
    #[prost(message, optional, tag = "1")]
    pub framework_id: Option<Id>,
    #[prost(int32, optional, tag = "2")]
    pub r#type: Option<i32>,
    #[prost(message, optional, tag = "3")]
    pub subscribe: Option<Subscribe>,
    #[prost(message, optional, tag = "4")]
    pub accept: Option<Accept>,
    #[prost(message, optional, tag = "8")]
    pub acknowledge: Option<Acknowledge>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Subscribe {
    #[prost(message, optional, tag = "1")]
    pub framework_info: Option<FrameworkInfo>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Accept {
    #[prost(message, repeated, tag = "1")]
    pub offer_ids: Vec<Id>,
    #[prost(message, repeated, tag = "2")]
    pub operations: Vec<Operation>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Operation {
    #[prost(int32, optional, tag = "1")]
    pub r#type: Option<i32>,
    #[prost(message, optional, tag = "2")]
    pub launch: Option<Launch>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Launch {
    #[prost(message, repeated, tag = "1")]
    pub task_infos: Vec<TaskInfo>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Acknowledge {
    #[prost(message, optional, tag = "1")]
    pub agent_id: Option<Id>,
    #[prost(message, optional, tag = "2")]
    pub task_id: Option<Id>,
    #[prost(bytes = "vec", tag = "3")]
    pub uuid: Vec<u8>,
}

pub const SUBSCRIBE: i32 = 1;
pub const TEARDOWN: i32 = 2;
pub const ACCEPT: i32 = 3;
pub const ACKNOWLEDGE: i32 = 8;
pub const LAUNCH: i32 = 1;

#[derive(Clone, PartialEq, Message)]
pub struct Event {
    #[prost(int32, optional, tag = "1")]
    pub r#type: Option<i32>,
    #[prost(message, optional, tag = "2")]
    pub subscribed: Option<Subscribed>,
    #[prost(message, optional, tag = "3")]
    pub offers: Option<Offers>,
    #[prost(message, optional, tag = "5")]
    pub update: Option<Update>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Subscribed {
    #[prost(message, optional, tag = "1")]
    pub framework_id: Option<Id>,
    #[prost(double, optional, tag = "2")]
    pub heartbeat_interval_seconds: Option<f64>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Offers {
    #[prost(message, repeated, tag = "1")]
    pub offers: Vec<Offer>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Update {
    #[prost(message, optional, tag = "1")]
    pub status: Option<TaskStatus>,
}

pub const SUBSCRIBED: i32 = 1;
pub const OFFERS: i32 = 2;
pub const UPDATE: i32 = 4;

// --- mesos.v1.master / mesos.v1.agent operator -------------------------------

#[derive(Clone, PartialEq, Message)]
pub struct OperatorCall {
    #[prost(int32, optional, tag = "1")]
    pub r#type: Option<i32>,
}

#[derive(Clone, PartialEq, Message)]
pub struct MasterResponse {
    #[prost(int32, optional, tag = "1")]
    pub r#type: Option<i32>,
    #[prost(message, optional, tag = "9")]
    pub get_state: Option<MasterState>,
}

#[derive(Clone, PartialEq, Message)]
pub struct MasterState {
    #[prost(message, optional, tag = "1")]
    pub get_tasks: Option<MasterTasks>,
    #[prost(message, optional, tag = "3")]
    pub get_frameworks: Option<Frameworks>,
    #[prost(message, optional, tag = "4")]
    pub get_agents: Option<Agents>,
}

#[derive(Clone, PartialEq, Message)]
pub struct MasterTasks {
    #[prost(message, repeated, tag = "2")]
    pub tasks: Vec<Task>,
    #[prost(message, repeated, tag = "3")]
    pub completed_tasks: Vec<Task>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Frameworks {
    #[prost(message, repeated, tag = "1")]
    pub frameworks: Vec<Framework>,
    #[prost(message, repeated, tag = "2")]
    pub completed_frameworks: Vec<Framework>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Framework {
    #[prost(message, optional, tag = "1")]
    pub framework_info: Option<FrameworkInfo>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Agents {
    #[prost(message, repeated, tag = "1")]
    pub agents: Vec<Agent>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Agent {
    #[prost(message, optional, tag = "1")]
    pub agent_info: Option<AgentInfo>,
}

#[derive(Clone, PartialEq, Message)]
pub struct AgentInfo {
    #[prost(string, tag = "1")]
    pub hostname: String,
    #[prost(message, optional, tag = "6")]
    pub id: Option<Id>,
}

#[derive(Clone, PartialEq, Message)]
pub struct AgentResponse {
    #[prost(int32, optional, tag = "1")]
    pub r#type: Option<i32>,
    #[prost(message, optional, tag = "9")]
    pub get_state: Option<AgentState>,
}

#[derive(Clone, PartialEq, Message)]
pub struct AgentState {
    #[prost(message, optional, tag = "1")]
    pub get_tasks: Option<AgentTasks>,
    #[prost(message, optional, tag = "3")]
    pub get_frameworks: Option<Frameworks>,
}

#[derive(Clone, PartialEq, Message)]
pub struct AgentTasks {
    #[prost(message, repeated, tag = "3")]
    pub launched_tasks: Vec<Task>,
    #[prost(message, repeated, tag = "4")]
    pub terminated_tasks: Vec<Task>,
    #[prost(message, repeated, tag = "5")]
    pub completed_tasks: Vec<Task>,
}

#[derive(Clone, PartialEq, Message)]
pub struct OperatorEvent {
    #[prost(int32, optional, tag = "1")]
    pub r#type: Option<i32>,
    #[prost(message, optional, tag = "2")]
    pub subscribed: Option<OperatorSubscribed>,
    #[prost(message, optional, tag = "3")]
    pub task_added: Option<TaskAdded>,
}

#[derive(Clone, PartialEq, Message)]
pub struct OperatorSubscribed {
    #[prost(message, optional, tag = "1")]
    pub get_state: Option<MasterState>,
}

#[derive(Clone, PartialEq, Message)]
pub struct TaskAdded {
    #[prost(message, optional, tag = "1")]
    pub task: Option<Task>,
}
