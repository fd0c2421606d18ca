//! The agent API's container I/O (`docs/wire-notes.md#container-io`):
//! `ProcessIO` records of the streaming calls (LAUNCH_NESTED_CONTAINER_SESSION,
//! ATTACH_CONTAINER_OUTPUT responses; ATTACH_CONTAINER_INPUT requests) and
//! the payloads of the nested-container calls. Exact v1 JSON; protobuf
//! through `super::proto` (`mesos.v1.agent.ProcessIO`, `mesos.v1.agent.Call`).
//! Used by the agent (server) and by `mesos exec` / `mesos attach` and the
//! default executor (clients).
//!
//! CONTRACT (lead): lanes may add fields and helpers; do not rename.

use serde::{Deserialize, Serialize};

use super::agent_v1::{CommandInfo, ContainerId};
use super::de;
use super::resources::Resource;

/// Message name of [`ProcessIo`] for `super::proto`.
pub const PROCESS_IO: &str = "mesos.v1.agent.ProcessIO";
/// Message name of an agent `Call` (the records of ATTACH_CONTAINER_INPUT).
pub const AGENT_CALL: &str = "mesos.v1.agent.Call";

/// `ProcessIO`: `{"type":"DATA","data":{..}}` or `{"type":"CONTROL","control":{..}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProcessIo {
    #[serde(rename = "type", default, deserialize_with = "de::string")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<IoData>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<Control>,
}

impl ProcessIo {
    /// A DATA record of `stream` (`STDIN`, `STDOUT`, `STDERR`) with raw bytes.
    pub fn data(stream: &str, bytes: &[u8]) -> ProcessIo {
        use base64::Engine as _;
        ProcessIo {
            kind: "DATA".into(),
            data: Some(IoData {
                kind: stream.into(),
                data: base64::engine::general_purpose::STANDARD.encode(bytes),
            }),
            control: None,
        }
    }

    /// A CONTROL HEARTBEAT record with `interval` nanoseconds.
    pub fn heartbeat(interval_nanos: i64) -> ProcessIo {
        ProcessIo {
            kind: "CONTROL".into(),
            data: None,
            control: Some(Control {
                kind: "HEARTBEAT".into(),
                tty_info: None,
                heartbeat: Some(Heartbeat {
                    interval: Some(super::agent_v1::DurationInfo {
                        nanoseconds: interval_nanos,
                    }),
                }),
            }),
        }
    }

    /// A CONTROL TTY_INFO record (a window size change).
    pub fn window(rows: u32, columns: u32) -> ProcessIo {
        ProcessIo {
            kind: "CONTROL".into(),
            data: None,
            control: Some(Control {
                kind: "TTY_INFO".into(),
                tty_info: Some(TtyInfo {
                    window_size: Some(WindowSize { rows, columns }),
                }),
                heartbeat: None,
            }),
        }
    }

    /// The raw bytes of a DATA record (`None` for CONTROL or bad base64).
    pub fn bytes(&self) -> Option<Vec<u8>> {
        use base64::Engine as _;
        let d = self.data.as_ref()?;
        base64::engine::general_purpose::STANDARD
            .decode(&d.data)
            .ok()
    }
}

/// `ProcessIO.Data`: `type` STDIN/STDOUT/STDERR, base64 `data`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IoData {
    #[serde(rename = "type", default, deserialize_with = "de::string")]
    pub kind: String,
    #[serde(default, deserialize_with = "de::string")]
    pub data: String,
}

/// `ProcessIO.Control`: `TTY_INFO` or `HEARTBEAT`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Control {
    #[serde(rename = "type", default, deserialize_with = "de::string")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tty_info: Option<TtyInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat: Option<Heartbeat>,
}

/// `TTYInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TtyInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_size: Option<WindowSize>,
}

/// `TTYInfo.WindowSize`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowSize {
    pub rows: u32,
    pub columns: u32,
}

/// `ProcessIO.Control.Heartbeat`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Heartbeat {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<super::agent_v1::DurationInfo>,
}

/// `launch_nested_container_session` / `launch_nested_container` /
/// `launch_container`: the new container (with `parent` for nested ones),
/// what to run, and an optional ContainerInfo (`tty_info` asks for a TTY).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LaunchContainer {
    pub container_id: ContainerId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<CommandInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<SessionContainerInfo>,
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub resources: Vec<Resource>,
}

/// The part of a ContainerInfo a session reads: `type` and `tty_info`
/// (other keys kept).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionContainerInfo {
    #[serde(
        rename = "type",
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tty_info: Option<TtyInfo>,
    #[serde(flatten)]
    pub other: super::agent_v1::Extra,
}

/// `attach_container_input`: first record `CONTAINER_ID`, then `PROCESS_IO`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AttachContainerInput {
    #[serde(rename = "type", default, deserialize_with = "de::string")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_id: Option<ContainerId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process_io: Option<ProcessIo>,
}

/// `attach_container_output` / `wait_container` / `remove_container`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContainerRef {
    pub container_id: ContainerId,
}

/// One record of an ATTACH_CONTAINER_INPUT request body: a whole agent
/// `Call` `{"type":"ATTACH_CONTAINER_INPUT","attach_container_input":{..}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InputCall {
    #[serde(rename = "type", default, deserialize_with = "de::string")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attach_container_input: Option<AttachContainerInput>,
}

impl InputCall {
    /// The first record: which container.
    pub fn container(id: ContainerId) -> InputCall {
        InputCall {
            kind: "ATTACH_CONTAINER_INPUT".into(),
            attach_container_input: Some(AttachContainerInput {
                kind: "CONTAINER_ID".into(),
                container_id: Some(id),
                process_io: None,
            }),
        }
    }

    /// A following record carrying `io`.
    pub fn io(io: ProcessIo) -> InputCall {
        InputCall {
            kind: "ATTACH_CONTAINER_INPUT".into(),
            attach_container_input: Some(AttachContainerInput {
                kind: "PROCESS_IO".into(),
                container_id: None,
                process_io: Some(io),
            }),
        }
    }
}
