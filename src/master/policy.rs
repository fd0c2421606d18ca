//! What the operator configures at run time and the registry persists:
//! the maintenance schedule and down machines, quotas and weights. One
//! serde struct so the registry (master/registry.rs) can store and recover
//! it whole; `MasterState::policy` holds the live copy.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::wire::maintenance::{MachineId, Schedule, Unavailability};
use crate::wire::quota::QuotaConfig;

/// Operator policy persisted in the registry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// The maintenance schedule (real Mesos keeps one).
    #[serde(default)]
    pub schedule: Schedule,
    /// Machines brought down with `/machine/down` or START_MAINTENANCE.
    /// Every other machine of the schedule is draining.
    #[serde(default)]
    pub down: BTreeSet<MachineId>,
    /// Quota per role (quota v2; a legacy SET_QUOTA is stored with its
    /// guarantee as the limit too, as real Mesos does).
    #[serde(default)]
    pub quotas: BTreeMap<String, QuotaConfig>,
    /// Weights per role: `--weights` at first start, then `/weights` and
    /// UPDATE_WEIGHTS. Roles not listed weigh 1.
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
}

/// A machine's maintenance mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Up,
    Draining,
    Down,
}

impl Policy {
    /// The policy a master starts with before any registry is recovered.
    pub fn from_weights(weights: BTreeMap<String, f64>) -> Self {
        Policy {
            weights,
            ..Policy::default()
        }
    }

    /// The window of `id` in the schedule, if any.
    pub fn unavailability(&self, id: &MachineId) -> Option<Unavailability> {
        self.schedule
            .windows
            .iter()
            .find(|w| w.machine_ids.contains(id))
            .map(|w| w.unavailability)
    }

    pub fn mode(&self, id: &MachineId) -> Mode {
        if self.down.contains(id) {
            Mode::Down
        } else if self.unavailability(id).is_some() {
            Mode::Draining
        } else {
            Mode::Up
        }
    }

    /// Every machine of the schedule, in schedule order.
    pub fn scheduled(&self) -> impl Iterator<Item = &MachineId> {
        self.schedule.windows.iter().flat_map(|w| &w.machine_ids)
    }

    /// A role's weight (1 unless set).
    pub fn weight(&self, role: &str) -> f64 {
        self.weights.get(role).copied().unwrap_or(1.0)
    }

    /// Why an agent at `hostname`/`ip` may not register: its machine is
    /// DOWN for maintenance (real Mesos refuses it and shuts it down).
    pub fn refuses_agent(&self, hostname: &str, ip: &str) -> Option<String> {
        let id = MachineId::of_agent(hostname, ip);
        (self.mode(&id) == Mode::Down)
            .then(|| format!("the machine '{id}' that it is running on is `DOWN` for maintenance"))
    }

    /// Serialized size (what a registry store writes for the policy).
    pub fn size_bytes(&self) -> u64 {
        serde_json::to_vec(self)
            .map(|v| v.len() as u64)
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::maintenance::Window;

    #[test]
    fn modes_follow_schedule_and_down_set() {
        let a = MachineId::of_agent("a", "10.0.0.1");
        let b = MachineId::of_agent("b", "10.0.0.2");
        let mut p = Policy::default();
        p.schedule.windows.push(Window {
            machine_ids: vec![a.clone()],
            unavailability: Unavailability::default(),
        });
        assert_eq!(p.mode(&a), Mode::Draining);
        assert_eq!(p.mode(&b), Mode::Up);
        p.down.insert(a.clone());
        assert_eq!(p.mode(&a), Mode::Down);
        let back: Policy = serde_json::from_slice(&serde_json::to_vec(&p).unwrap()).unwrap();
        assert_eq!(back, p);
        assert_eq!(p.weight("x"), 1.0);
    }
}
