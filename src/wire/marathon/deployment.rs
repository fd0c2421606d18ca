//! Deployments (`/v2/deployments`), their plans (in events) and the body
//! every deployable operation answers.

use serde::{Deserialize, Serialize};

use super::api::Group;
use super::path::PathId;
use crate::wire::de;

/// What a state-changing call answers (with header `Marathon-Deployment-Id`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentResult {
    pub version: String,
    pub deployment_id: String,
}

/// The actions of a plan step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionKind {
    StartApplication,
    StopApplication,
    ScaleApplication,
    RestartApplication,
}

impl ActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::StartApplication => "StartApplication",
            ActionKind::StopApplication => "StopApplication",
            ActionKind::ScaleApplication => "ScaleApplication",
            ActionKind::RestartApplication => "RestartApplication",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeploymentAction {
    pub action: ActionKind,
    pub app: PathId,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeploymentStep {
    #[serde(default, deserialize_with = "de::vec")]
    pub actions: Vec<DeploymentAction>,
}

/// An action under way, with its readiness results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrentAction {
    pub action: ActionKind,
    pub app: PathId,
    #[serde(default, deserialize_with = "de::vec")]
    pub readiness_check_results: Vec<ReadinessCheckResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadinessCheckResult {
    pub name: String,
    pub task_id: String,
    pub ready: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_response: Option<ReadinessResponse>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadinessResponse {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

/// An item of `GET /v2/deployments`. `currentStep` is 1-based (0 before
/// the first step starts).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    pub id: String,
    pub version: String,
    #[serde(default, deserialize_with = "de::vec")]
    pub affected_apps: Vec<PathId>,
    #[serde(default, deserialize_with = "de::vec")]
    pub affected_pods: Vec<PathId>,
    #[serde(default, deserialize_with = "de::vec")]
    pub steps: Vec<DeploymentStep>,
    #[serde(default, deserialize_with = "de::vec")]
    pub current_actions: Vec<CurrentAction>,
    #[serde(default)]
    pub current_step: u32,
    #[serde(default)]
    pub total_steps: u32,
}

/// A deployment plan as events carry it (`plan-format=light` leaves out
/// `original` and `target`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeploymentPlan {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<Box<Group>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Box<Group>>,
    #[serde(default, deserialize_with = "de::vec")]
    pub steps: Vec<DeploymentStep>,
    pub version: String,
}
