//! Maintenance primitives (`mesos.maintenance` / `mesos.v1.maintenance`):
//! the schedule the operator posts, the machines it names, and the cluster
//! status the master reports (docs/wire-notes.md#maintenance). The v0
//! endpoints and the v1 operator calls use the same JSON.

use super::v1::TimeInfo;
use serde::{Deserialize, Serialize};

/// A machine: its hostname and/or IP. Two ids name the same machine only
/// when both fields are equal (as in real Mesos, so an agent's machine is
/// `{hostname, ip}` of the agent).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MachineId {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
}

impl MachineId {
    /// Empty strings count as unset (protobuf equality).
    pub fn normalized(mut self) -> Self {
        self.hostname = self.hostname.filter(|h| !h.is_empty());
        self.ip = self.ip.filter(|i| !i.is_empty());
        self
    }
    /// The machine an agent runs on.
    pub fn of_agent(hostname: &str, ip: &str) -> Self {
        MachineId {
            hostname: Some(hostname.to_string()),
            ip: Some(ip.to_string()),
        }
        .normalized()
    }
}

impl std::fmt::Display for MachineId {
    /// Compact JSON, as real Mesos quotes a machine in its error messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&serde_json::to_string(self).unwrap_or_default())
    }
}

/// `DurationInfo`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DurationInfo {
    #[serde(default)]
    pub nanoseconds: i64,
}

/// When a machine is unavailable: from `start` for `duration` (forever
/// without one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unavailability {
    pub start: TimeInfo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<DurationInfo>,
}

/// Machines sharing one unavailability.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    #[serde(default)]
    pub machine_ids: Vec<MachineId>,
    pub unavailability: Unavailability,
}

/// The maintenance schedule (`{}` when empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<Window>,
}

/// A framework's answer to an inverse offer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InverseOfferStatusKind {
    #[default]
    Unknown,
    Accept,
    Decline,
}

/// `{"value": ..}` id.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IdValue {
    pub value: String,
}

/// One framework's latest answer for a draining machine.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InverseOfferStatus {
    pub status: InverseOfferStatusKind,
    pub framework_id: IdValue,
    pub timestamp: TimeInfo,
}

/// A machine in a schedule that is not down, with the frameworks' answers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrainingMachine {
    pub id: MachineId,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<InverseOfferStatus>,
}

/// `/master/maintenance/status` and GET_MAINTENANCE_STATUS's `status`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterStatus {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub draining_machines: Vec<DrainingMachine>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub down_machines: Vec<MachineId>,
}
