//! Typed, lenient serde models of what real Mesos sends.
//!
//! Rules (see docs/wire-notes.md#version-tolerance): unknown fields are ignored, every field
//! that real masters omit in some version is optional, counts and times are
//! `f64` (real Mesos writes `1.0`), both `slaves` and `agents` spellings parse.
//!
//! * [`master`]: `/master/state`, `/master/state-summary`, `/master/tasks`,
//!   `/master/frameworks`, `/master/slaves`.
//! * [`agent`]: `/slave(1)/state`, `/monitor/statistics`, `/containers`.
//! * [`task`]: [`Task`], [`TaskStatus`], [`TaskState`] (v0 and v1 shapes).
//! * [`resources`]: [`ResourceSummary`], v1 [`Resource`], [`Labels`].
//! * [`files`]: `/files/browse`, `/files/read`.
//! * [`metrics`]: `/metrics/snapshot`, `/version`.
//! * [`v1`]: operator API `Response` envelope and `SUBSCRIBE` events (lenient reads).
//! * [`operator`]: the v1 operator bodies and events the bundled master
//!   writes (ids as `{"value":..}`, empty repeated fields omitted).
//! * [`call`]: the v1 operator `Call` the bundled master accepts.
//! * [`scheduler`]: the v1 scheduler `Call` the bundled master accepts.
//! * [`container`]: `ContainerInfo` as `mesos execute --docker-image` sends it.
//! * [`event`]: the v1 scheduler `Event` stream (written by the master, read by `execute`).
//! * [`internal`]: the master <-> agent internal protocol (both daemons).
//! * [`framework`]: v1 `FrameworkInfo` (subscribed, stored, listed).
//! * [`endpoints`]: `/master/flags`, `/master/roles`, v0 `CommandInfo`.
//! * [`maintenance`]: maintenance schedule and cluster status.
//! * [`quota`]: quota (v1 and v2) and weights.
//! * [`marathon`]: the Marathon 1.x REST API (`mesos marathon`, `mesos app`).
//! * [`dcos_metrics`]: the DC/OS metrics API v0 envelope (node and container metrics).
//! * [`de`]: the lenient field deserializers used throughout.

pub mod agent;
pub mod agent_v1;
pub mod call;
pub mod check;
pub mod container;
pub mod dcos_metrics;
pub mod de;
pub mod endpoints;
pub mod event;
pub mod executor;
pub mod files;
pub mod framework;
pub mod health_check;
pub mod internal;
pub mod maintenance;
pub mod marathon;
pub mod master;
pub mod master_info;
pub mod metrics;
pub mod operator;
pub mod process_io;
pub mod proto;
pub mod quota;
pub mod resources;
pub mod scheduler;
pub mod task;
pub mod v1;

pub use agent::{AgentExecutor, AgentFramework, AgentState, MonitorEntry, ResourceStatistics};
pub use files::{FileInfo, ReadResponse};
pub use master::{
    Agent, Executor, Framework, FrameworkSummary, FrameworksResponse, MasterState, Offer,
    SlavesResponse, StateSummary, SummaryAgent, SummaryFramework, TaskCounts, TasksResponse,
};
pub use master_info::{Address, MasterInfo};
pub use metrics::{Metrics, Version};
pub use resources::{Attributes, Label, Labels, Resource, ResourceSummary};
pub use task::{Task, TaskState, TaskStatus};
