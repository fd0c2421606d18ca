//! The agent API calls `mesos exec` / `mesos attach` send, and the answer
//! of WAIT_CONTAINER, as typed bodies (exact v1 JSON; protobuf through
//! `crate::wire::proto` as `mesos.v1.agent.Call` / `mesos.v1.agent.Response`).

use serde::{Deserialize, Serialize};

use crate::wire::agent_v1::ContainerId;
use crate::wire::de;
use crate::wire::process_io::{ContainerRef, LaunchContainer};

/// Message name of an agent `Response` (the answer of WAIT_CONTAINER).
pub const AGENT_RESPONSE: &str = "mesos.v1.agent.Response";

/// One agent `Call` with the sub-message of its type.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AgentContainerCall {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_nested_container_session: Option<LaunchContainer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attach_container_output: Option<ContainerRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wait_container: Option<ContainerRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wait_nested_container: Option<ContainerRef>,
}

impl AgentContainerCall {
    pub fn launch_session(launch: LaunchContainer) -> Self {
        AgentContainerCall {
            kind: "LAUNCH_NESTED_CONTAINER_SESSION".into(),
            launch_nested_container_session: Some(launch),
            ..Self::default()
        }
    }

    pub fn attach_output(id: ContainerId) -> Self {
        AgentContainerCall {
            kind: "ATTACH_CONTAINER_OUTPUT".into(),
            attach_container_output: Some(ContainerRef { container_id: id }),
            ..Self::default()
        }
    }

    /// WAIT_CONTAINER (Mesos >= 1.5), or the older WAIT_NESTED_CONTAINER.
    pub fn wait(id: ContainerId, nested_call: bool) -> Self {
        let r = Some(ContainerRef { container_id: id });
        if nested_call {
            AgentContainerCall {
                kind: "WAIT_NESTED_CONTAINER".into(),
                wait_nested_container: r,
                ..Self::default()
            }
        } else {
            AgentContainerCall {
                kind: "WAIT_CONTAINER".into(),
                wait_container: r,
                ..Self::default()
            }
        }
    }
}

/// The answer of WAIT_CONTAINER / WAIT_NESTED_CONTAINER.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct WaitResponse {
    #[serde(default)]
    pub wait_container: Option<WaitResult>,
    #[serde(default)]
    pub wait_nested_container: Option<WaitResult>,
}

impl WaitResponse {
    pub fn result(&self) -> Option<&WaitResult> {
        self.wait_container
            .as_ref()
            .or(self.wait_nested_container.as_ref())
    }
}

/// `exit_status` is a wait(2) status (absent when the agent does not know).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct WaitResult {
    #[serde(default)]
    pub exit_status: Option<i32>,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub reason: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub message: Option<String>,
}

/// A wait(2) status as a shell reports it: the exit code, or 128 + the
/// signal number for a command killed by a signal.
pub fn exit_code(wait_status: i32) -> u8 {
    let sig = wait_status & 0x7f;
    if sig != 0 && sig != 0x7f {
        (128 + sig) as u8
    } else {
        ((wait_status >> 8) & 0xff) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_status_maps_to_shell_exit_codes() {
        assert_eq!(exit_code(0), 0);
        assert_eq!(exit_code(3 << 8), 3);
        assert_eq!(exit_code(255 << 8), 255);
        assert_eq!(exit_code(9), 137);
        assert_eq!(exit_code(15 | 0x80), 143); // core dumped
        assert_eq!(exit_code(2), 130);
    }

    #[test]
    fn calls_serialize_as_v1_json() {
        let id = ContainerId::nested("n", ContainerId::new("p"));
        let v = serde_json::to_value(AgentContainerCall::wait(id.clone(), false)).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"type": "WAIT_CONTAINER",
                "wait_container": {"container_id": {"value": "n", "parent": {"value": "p"}}}})
        );
        let v = serde_json::to_value(AgentContainerCall::attach_output(id)).unwrap();
        assert_eq!(v["type"], "ATTACH_CONTAINER_OUTPUT");
        assert_eq!(v["attach_container_output"]["container_id"]["value"], "n");
        let w: WaitResponse = serde_json::from_str(
            r#"{"type":"WAIT_NESTED_CONTAINER","wait_nested_container":{"exit_status":768}}"#,
        )
        .unwrap();
        assert_eq!(w.result().unwrap().exit_status, Some(768));
    }
}
