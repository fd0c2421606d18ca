//! `/v2/events`: the server-sent events Marathon 1.5 writes
//! (`event: <eventType>` + `data: <json>`). Every event has `eventType`
//! and `timestamp`.

use serde::{Deserialize, Serialize};

use super::app::AppDefinition;
use super::checks::HealthCheck;
use super::deployment::{DeploymentAction, DeploymentPlan};
use super::path::PathId;
use super::task::IpAddress;

/// An event with its time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarathonEvent {
    #[serde(flatten)]
    pub kind: EventKind,
    pub timestamp: String,
}

impl MarathonEvent {
    /// The `eventType` name (the SSE `event:` line).
    pub fn event_type(&self) -> &'static str {
        self.kind.event_type()
    }
}

/// The steps an event reports (`currentStep` of `deployment_info`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepInfo {
    pub actions: Vec<DeploymentAction>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "eventType", rename_all = "snake_case")]
pub enum EventKind {
    #[serde(rename_all = "camelCase")]
    ApiPostEvent {
        client_ip: String,
        uri: String,
        app_definition: Box<AppDefinition>,
    },
    #[serde(rename_all = "camelCase")]
    StatusUpdateEvent {
        slave_id: String,
        task_id: String,
        task_status: String,
        message: String,
        app_id: PathId,
        host: String,
        ip_addresses: Vec<IpAddress>,
        ports: Vec<u32>,
        version: String,
    },
    #[serde(rename_all = "camelCase")]
    InstanceChangedEvent {
        instance_id: String,
        condition: String,
        run_spec_id: PathId,
        agent_id: String,
        host: String,
        run_spec_version: String,
    },
    #[serde(rename_all = "camelCase")]
    InstanceHealthChangedEvent {
        instance_id: String,
        run_spec_id: PathId,
        healthy: Option<bool>,
        run_spec_version: String,
    },
    #[serde(rename_all = "camelCase")]
    HealthStatusChangedEvent {
        app_id: PathId,
        instance_id: String,
        version: String,
        alive: bool,
    },
    #[serde(rename_all = "camelCase")]
    FailedHealthCheckEvent {
        app_id: PathId,
        task_id: String,
        health_check: Box<HealthCheck>,
    },
    #[serde(rename_all = "camelCase")]
    UnhealthyInstanceKillEvent {
        app_id: PathId,
        task_id: String,
        instance_id: String,
        version: String,
        reason: String,
        host: String,
        slave_id: String,
    },
    #[serde(rename_all = "camelCase")]
    DeploymentInfo {
        plan: Box<DeploymentPlan>,
        current_step: StepInfo,
    },
    #[serde(rename_all = "camelCase")]
    DeploymentStepSuccess {
        plan: Box<DeploymentPlan>,
        current_step: StepInfo,
    },
    #[serde(rename_all = "camelCase")]
    DeploymentStepFailure {
        plan: Box<DeploymentPlan>,
        current_step: StepInfo,
    },
    DeploymentSuccess {
        id: String,
        plan: Box<DeploymentPlan>,
    },
    DeploymentFailed {
        id: String,
        plan: Box<DeploymentPlan>,
    },
    #[serde(rename_all = "camelCase")]
    GroupChangeSuccess {
        group_id: PathId,
        version: String,
    },
    #[serde(rename_all = "camelCase")]
    GroupChangeFailed {
        group_id: PathId,
        version: String,
        reason: String,
    },
    #[serde(rename_all = "camelCase")]
    AppTerminatedEvent {
        app_id: PathId,
    },
    #[serde(rename_all = "camelCase")]
    SchedulerRegisteredEvent {
        framework_id: String,
        master: String,
    },
    SchedulerReregisteredEvent {
        master: String,
    },
    SchedulerDisconnectedEvent {},
    #[serde(rename_all = "camelCase")]
    EventStreamAttached {
        remote_address: String,
    },
    #[serde(rename_all = "camelCase")]
    EventStreamDetached {
        remote_address: String,
    },
}

impl EventKind {
    pub fn event_type(&self) -> &'static str {
        match self {
            EventKind::ApiPostEvent { .. } => "api_post_event",
            EventKind::StatusUpdateEvent { .. } => "status_update_event",
            EventKind::InstanceChangedEvent { .. } => "instance_changed_event",
            EventKind::InstanceHealthChangedEvent { .. } => "instance_health_changed_event",
            EventKind::HealthStatusChangedEvent { .. } => "health_status_changed_event",
            EventKind::FailedHealthCheckEvent { .. } => "failed_health_check_event",
            EventKind::UnhealthyInstanceKillEvent { .. } => "unhealthy_instance_kill_event",
            EventKind::DeploymentInfo { .. } => "deployment_info",
            EventKind::DeploymentStepSuccess { .. } => "deployment_step_success",
            EventKind::DeploymentStepFailure { .. } => "deployment_step_failure",
            EventKind::DeploymentSuccess { .. } => "deployment_success",
            EventKind::DeploymentFailed { .. } => "deployment_failed",
            EventKind::GroupChangeSuccess { .. } => "group_change_success",
            EventKind::GroupChangeFailed { .. } => "group_change_failed",
            EventKind::AppTerminatedEvent { .. } => "app_terminated_event",
            EventKind::SchedulerRegisteredEvent { .. } => "scheduler_registered_event",
            EventKind::SchedulerReregisteredEvent { .. } => "scheduler_reregistered_event",
            EventKind::SchedulerDisconnectedEvent {} => "scheduler_disconnected_event",
            EventKind::EventStreamAttached { .. } => "event_stream_attached",
            EventKind::EventStreamDetached { .. } => "event_stream_detached",
        }
    }
}
