//! An app's `container` (Docker or Mesos), its volumes and port mappings,
//! `networks`, `residency` and `secrets`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::app::d_tcp;
use crate::wire::de;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    #[serde(rename = "type", default = "d_docker_type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker: Option<Docker>,
    #[serde(default, deserialize_with = "de::vec")]
    pub volumes: Vec<Volume>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_mappings: Option<Vec<PortMapping>>,
}

fn d_docker_type() -> String {
    "DOCKER".into()
}

impl Container {
    /// The port mappings, from their 1.5 place or the ≤1.4 `docker` one.
    pub fn port_mappings(&self) -> &[PortMapping] {
        self.port_mappings
            .as_deref()
            .or_else(|| {
                self.docker
                    .as_ref()
                    .and_then(|d| d.port_mappings.as_deref())
            })
            .unwrap_or(&[])
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Docker {
    pub image: String,
    #[serde(default, deserialize_with = "de::bool")]
    pub force_pull_image: bool,
    #[serde(default, deserialize_with = "de::vec")]
    pub parameters: Vec<DockerParameter>,
    #[serde(default, deserialize_with = "de::bool")]
    pub privileged: bool,
    /// ≤1.4 only (read, never written).
    #[serde(default, skip_serializing)]
    pub network: Option<String>,
    /// ≤1.4 place of the port mappings (read, never written).
    #[serde(default, skip_serializing)]
    pub port_mappings: Option<Vec<PortMapping>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_config: Option<Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DockerParameter {
    pub key: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    pub container_path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_path: Option<String>,
    #[serde(default = "d_rw")]
    pub mode: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<Value>,
}

fn d_rw() -> String {
    "RW".into()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortMapping {
    #[serde(default)]
    pub container_port: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_port: Option<u32>,
    #[serde(default)]
    pub service_port: u32,
    #[serde(default = "d_tcp")]
    pub protocol: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "de::string_map")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_names: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Network {
    #[serde(default = "d_host")]
    pub mode: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
}

fn d_host() -> String {
    "host".into()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Residency {
    #[serde(default = "d_relaunch", deserialize_with = "de::u64")]
    pub relaunch_escalation_timeout_seconds: u64,
    #[serde(default = "d_wait_forever")]
    pub task_lost_behavior: String,
}

fn d_relaunch() -> u64 {
    3600
}
fn d_wait_forever() -> String {
    "WAIT_FOREVER".into()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Secret {
    pub source: String,
}
