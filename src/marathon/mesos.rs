//! The Mesos protobuf-JSON messages a Marathon task carries beyond the
//! modelled `TaskInfo` fields: `Labels`, `HealthCheck`, `DiscoveryInfo`
//! and `ContainerInfo` (with Docker port mappings, parameters, volumes and
//! network infos). Field names and enum spellings are the protobuf ones,
//! so a real Mesos 1.x master accepts them.

use serde::Serialize;

/// `Labels`: `{"labels":[{"key","value"}]}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Labels {
    pub labels: Vec<Label>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Label {
    pub key: String,
    pub value: String,
}

impl Labels {
    pub fn from_map(m: &std::collections::BTreeMap<String, String>) -> Labels {
        Labels {
            labels: m
                .iter()
                .map(|(k, v)| Label {
                    key: k.clone(),
                    value: v.clone(),
                })
                .collect(),
        }
    }
}

/// `HealthCheck` (Mesos-side checks: `COMMAND`, `HTTP`, `TCP`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HealthCheck {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<CheckCommand>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpCheck>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp: Option<TcpCheck>,
    pub delay_seconds: f64,
    pub interval_seconds: f64,
    pub timeout_seconds: f64,
    pub consecutive_failures: u64,
    pub grace_period_seconds: f64,
}

/// `CommandInfo` of a command check (the task's environment included, so
/// `$PORT0` and the rest work in the check command).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckCommand {
    pub shell: bool,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<crate::wire::agent_v1::Environment>,
}

/// `HealthCheck.HTTPCheckInfo`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HttpCheck {
    /// `http` or `https` (Mesos' default is http).
    pub scheme: String,
    pub port: u32,
    pub path: String,
}

/// `HealthCheck.TCPCheckInfo`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TcpCheck {
    pub port: u32,
}

/// `DiscoveryInfo`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DiscoveryInfo {
    /// `FRAMEWORK` (Marathon's choice).
    pub visibility: String,
    pub name: String,
    pub ports: DiscoveryPorts,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DiscoveryPorts {
    pub ports: Vec<DiscoveryPort>,
}

/// `Port`: number, name, protocol (`tcp`/`udp`), labels.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DiscoveryPort {
    pub number: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub protocol: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Labels>,
}

/// `ContainerInfo`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContainerInfo {
    /// `DOCKER` or `MESOS`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docker: Option<DockerInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mesos: Option<MesosInfo>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub network_infos: Vec<NetworkInfo>,
}

/// `ContainerInfo.DockerInfo`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DockerInfo {
    pub image: String,
    /// `HOST`, `BRIDGE`, `USER`, `NONE`.
    pub network: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub port_mappings: Vec<DockerPortMapping>,
    pub privileged: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    pub force_pull_image: bool,
}

/// `DockerInfo.PortMapping`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DockerPortMapping {
    pub host_port: u32,
    pub container_port: u32,
    pub protocol: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Parameter {
    pub key: String,
    pub value: String,
}

/// `ContainerInfo.MesosInfo` with a Docker image.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MesosInfo {
    pub image: Image,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Image {
    /// `DOCKER`.
    #[serde(rename = "type")]
    pub kind: String,
    pub docker: ImageDocker,
    pub cached: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImageDocker {
    pub name: String,
}

/// `Volume` (host path volumes).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Volume {
    pub container_path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_path: Option<String>,
    /// `RO` or `RW`.
    pub mode: String,
}

/// `NetworkInfo` (a named CNI / user network).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub port_mappings: Vec<NetworkPortMapping>,
}

/// `NetworkInfo.PortMapping` (Mesos containerizer).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkPortMapping {
    pub host_port: u32,
    pub container_port: u32,
    pub protocol: String,
}

/// Serialize a typed message into the `Value` slots of `TaskInfo`.
pub fn to_value<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).expect("plain structs serialize")
}
