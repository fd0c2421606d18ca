//! Offer matching (docs/marathon.md, "Scheduling rules"): how many
//! instances of an app one offer takes, with which resources and ports.
//!
//! * Only resources of the accepted roles are used: the app's
//!   `acceptedResourceRoles`, else `--default_accepted_resource_roles`,
//!   else the framework's roles and `*`. Reserved resources go first.
//!   Revocable, shared and persistent-volume resources are never used.
//! * Each resource taken keeps its offered `role`, `reservation(s)`,
//!   `allocation_info`, `disk` and `provider_id`, so the ACCEPT is valid
//!   on a real Mesos 1.x master (MULTI_ROLE included).
//! * Host ports come from the offer's `ports` ranges, lowest free first;
//!   `requirePorts` (and fixed `hostPort`s) need exactly those ports.
//! * Instances are placed one after another, each updating the
//!   constraint view, until `wanted`, `max_per_offer` or the offer runs
//!   out.

use std::fmt;

use crate::wire::agent_v1::TaskInfo;
use crate::wire::event::Offer;
use crate::wire::marathon::AppDefinition;
use crate::wire::resources::{Range, Ranges, Resource, Scalar};

use super::constraints::meets_all;
pub use super::constraints::Placed;
use super::env::PortAssignment;
pub use super::taskinfo::LaunchCtx;
use super::taskinfo::{self, net_mode, NetMode};

/// One task to launch from the offer.
#[derive(Clone, Debug, PartialEq)]
pub struct Launch {
    pub task_info: TaskInfo,
    pub task_id: String,
    /// The host ports taken (in port order; the task's `ports`).
    pub host_ports: Vec<u32>,
    pub agent_id: String,
    pub hostname: String,
}

/// Why an offer did not fit (one more) instance, named as Marathon's
/// offer-match statistics name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reject {
    InsufficientCpus,
    InsufficientMemory,
    InsufficientDisk,
    InsufficientGpus,
    InsufficientPorts,
    UnfulfilledRole,
    UnfulfilledConstraint,
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reject::InsufficientCpus => "InsufficientCpus",
            Reject::InsufficientMemory => "InsufficientMemory",
            Reject::InsufficientDisk => "InsufficientDisk",
            Reject::InsufficientGpus => "InsufficientGpus",
            Reject::InsufficientPorts => "InsufficientPorts",
            Reject::UnfulfilledRole => "UnfulfilledRole",
            Reject::UnfulfilledConstraint => "UnfulfilledConstraint",
        })
    }
}

/// Match `app` against `offer`: up to `min(wanted, max_per_offer)`
/// launches, and why no (more) instance fit — `None` when all of them
/// did. `placed` is where the app's live instances run.
pub fn match_offer(
    app: &AppDefinition,
    offer: &Offer,
    placed: &[Placed],
    wanted: usize,
    max_per_offer: usize,
    ctx: &LaunchCtx,
) -> (Vec<Launch>, Option<Reject>) {
    let accepted = accepted_roles(app, ctx);
    let mut pool = Pool::new(&offer.resources, &accepted);
    let mut view: Vec<Placed> = placed.to_vec();
    let mut launches = Vec::new();
    let agent_id = offer.agent_id.value.clone();
    while launches.len() < wanted.min(max_per_offer) {
        let mut trial = pool.clone();
        let taken = match take_instance(&mut trial, app) {
            Ok(t) => t,
            Err(r) => return (launches, Some(r)),
        };
        if !meets_all(&app.constraints, &offer.hostname, &offer.attributes, &view) {
            return (launches, Some(Reject::UnfulfilledConstraint));
        }
        pool = trial;
        let task_id = new_task_id(app);
        let host_ports: Vec<u32> = taken.ports.iter().filter_map(|p| p.host_port).collect();
        let task_info = taskinfo::build(
            app,
            ctx,
            &task_id,
            &agent_id,
            &offer.hostname,
            taken.resources,
            &taken.ports,
        );
        launches.push(Launch {
            task_info,
            task_id,
            host_ports,
            agent_id: agent_id.clone(),
            hostname: offer.hostname.clone(),
        });
        view.push(Placed {
            agent_id: agent_id.clone(),
            hostname: offer.hostname.clone(),
            attributes: offer.attributes.clone(),
        });
    }
    (launches, None)
}

/// A new task id: `<safe app id>.<random (v4) UUID>`.
pub fn new_task_id(app: &AppDefinition) -> String {
    format!("{}.{}", app.id.safe(), uuid::Uuid::new_v4())
}

/// The roles whose resources the app may use.
pub fn accepted_roles(app: &AppDefinition, ctx: &LaunchCtx) -> Vec<String> {
    if let Some(r) = &app.accepted_resource_roles {
        return r.clone();
    }
    if let Some(r) = ctx.default_accepted_roles {
        return r.to_vec();
    }
    let mut r: Vec<String> = ctx.roles.to_vec();
    if !r.iter().any(|x| x == "*") {
        r.push("*".into());
    }
    r
}

/// One offered resource and what is left of it.
#[derive(Clone, Debug)]
struct Slot {
    template: Resource,
    accepted: bool,
    reserved: bool,
    scalar: f64,
    ranges: Vec<(u64, u64)>,
}

#[derive(Clone, Debug)]
struct Pool {
    slots: Vec<Slot>,
}

/// What one instance takes.
struct Taken {
    resources: Vec<Resource>,
    ports: Vec<PortAssignment>,
}

/// Mesos scalars are fixed point with 3 decimals.
fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

impl Pool {
    fn new(resources: &[Resource], accepted: &[String]) -> Pool {
        let usable = |r: &Resource| {
            r.revocable.is_none()
                && r.shared.is_none()
                && r.disk
                    .as_ref()
                    .is_none_or(|d| d.get("persistence").is_none())
        };
        Pool {
            slots: resources
                .iter()
                .filter(|r| usable(r))
                .map(|r| {
                    let role = r.reservation_role();
                    Slot {
                        template: r.clone(),
                        accepted: accepted.iter().any(|a| *a == role),
                        reserved: role != "*",
                        scalar: r.scalar.as_ref().map(|s| s.value).unwrap_or(0.0),
                        ranges: r
                            .ranges
                            .as_ref()
                            .map(|rs| rs.range.iter().map(|x| (x.begin, x.end)).collect())
                            .unwrap_or_default(),
                    }
                })
                .collect(),
        }
    }

    fn total(&self, name: &str, accepted_only: bool) -> f64 {
        self.slots
            .iter()
            .filter(|s| s.template.name == name && (s.accepted || !accepted_only))
            .map(|s| s.scalar)
            .sum()
    }

    /// Take `amount` of scalar `name` (reserved first), or say why not.
    fn take_scalar(
        &mut self,
        name: &str,
        amount: f64,
        short: Reject,
    ) -> Result<Vec<Resource>, Reject> {
        let amount = round3(amount);
        if amount <= 0.0 {
            return Ok(Vec::new());
        }
        if round3(self.total(name, true)) < amount {
            return Err(if round3(self.total(name, false)) >= amount {
                Reject::UnfulfilledRole
            } else {
                short
            });
        }
        let mut order: Vec<usize> = (0..self.slots.len())
            .filter(|&i| self.slots[i].template.name == name && self.slots[i].accepted)
            .collect();
        order.sort_by_key(|&i| !self.slots[i].reserved);
        let mut left = amount;
        let mut out = Vec::new();
        for i in order {
            if left <= 0.0 {
                break;
            }
            let slot = &mut self.slots[i];
            let take = round3(slot.scalar.min(left));
            if take <= 0.0 {
                continue;
            }
            slot.scalar = round3(slot.scalar - take);
            left = round3(left - take);
            let mut r = slot.template.clone();
            r.kind = Some("SCALAR".into());
            r.scalar = Some(Scalar { value: take });
            r.ranges = None;
            r.set = None;
            out.push(r);
        }
        Ok(out)
    }

    /// Take one port: `want` exactly, or the lowest free one. Returns
    /// (slot index, port).
    fn take_port(&mut self, want: Option<u32>, accepted_only: bool) -> Option<(usize, u32)> {
        let mut order: Vec<usize> = (0..self.slots.len())
            .filter(|&i| {
                let s = &self.slots[i];
                s.template.name == "ports" && (s.accepted || !accepted_only)
            })
            .collect();
        order.sort_by_key(|&i| !self.slots[i].reserved);
        for i in order {
            let slot = &mut self.slots[i];
            let port = match want {
                Some(p) => slot
                    .ranges
                    .iter()
                    .any(|&(b, e)| b <= p as u64 && p as u64 <= e)
                    .then_some(p as u64),
                None => slot.ranges.iter().map(|&(b, _)| b).min(),
            };
            let Some(port) = port else { continue };
            let mut next = Vec::new();
            for &(b, e) in &slot.ranges {
                if b <= port && port <= e {
                    if b < port {
                        next.push((b, port - 1));
                    }
                    if port < e {
                        next.push((port + 1, e));
                    }
                } else {
                    next.push((b, e));
                }
            }
            slot.ranges = next;
            return Some((i, port as u32));
        }
        None
    }
}

/// One host port the app needs: a fixed port or any.
#[derive(Clone, Copy, Debug)]
struct PortWant {
    fixed: Option<u32>,
}

/// The app's ports: what each asks and what host port it needs (if any).
fn port_requests(app: &AppDefinition) -> Vec<(PortAssignment, Option<PortWant>)> {
    let mode = net_mode(app);
    if let Some(defs) = app
        .port_definitions
        .as_ref()
        .filter(|_| mode == NetMode::Host)
    {
        return defs
            .iter()
            .map(|d| {
                let fixed = (app.require_ports && d.port != 0).then_some(d.port);
                (
                    PortAssignment {
                        name: d.name.clone(),
                        protocol: d.protocol.clone(),
                        labels: d.labels.clone(),
                        service_port: d.port,
                        host_port: None,
                        container_port: None,
                        effective: 0,
                    },
                    Some(PortWant { fixed }),
                )
            })
            .collect();
    }
    if mode == NetMode::Host {
        return Vec::new();
    }
    let mappings = app
        .container
        .as_ref()
        .map(|c| c.port_mappings().to_vec())
        .unwrap_or_default();
    mappings
        .iter()
        .map(|m| {
            // Bridge: an unset hostPort means a dynamic one.
            let host = match (mode, m.host_port) {
                (NetMode::Bridge, None) => Some(0),
                (_, h) => h,
            };
            (
                PortAssignment {
                    name: m.name.clone(),
                    protocol: m.protocol.clone(),
                    labels: m.labels.clone(),
                    service_port: m.service_port,
                    host_port: None,
                    container_port: Some(m.container_port),
                    effective: 0,
                },
                host.map(|h| PortWant {
                    fixed: (h != 0).then_some(h),
                }),
            )
        })
        .collect()
}

/// Take the resources of one instance from `pool`.
fn take_instance(pool: &mut Pool, app: &AppDefinition) -> Result<Taken, Reject> {
    let mut resources = Vec::new();
    resources.extend(pool.take_scalar("cpus", app.cpus, Reject::InsufficientCpus)?);
    resources.extend(pool.take_scalar("mem", app.mem, Reject::InsufficientMemory)?);
    resources.extend(pool.take_scalar("disk", app.disk, Reject::InsufficientDisk)?);
    resources.extend(pool.take_scalar("gpus", app.gpus, Reject::InsufficientGpus)?);
    let mut ports = port_requests(app);
    // Fixed ports first, so a dynamic one does not take a fixed one.
    let mut taken_ports: Vec<(usize, u32)> = Vec::new();
    for pass_fixed in [true, false] {
        for (assignment, want) in ports.iter_mut() {
            let Some(want) = want else { continue };
            if want.fixed.is_some() != pass_fixed {
                continue;
            }
            let got = match pool.take_port(want.fixed, true) {
                Some(g) => g,
                None => {
                    return Err(if pool.clone().take_port(want.fixed, false).is_some() {
                        Reject::UnfulfilledRole
                    } else {
                        Reject::InsufficientPorts
                    })
                }
            };
            assignment.host_port = Some(got.1);
            taken_ports.push(got);
        }
    }
    for (assignment, _) in ports.iter_mut() {
        assignment.effective = match (assignment.host_port, assignment.container_port) {
            (Some(h), _) => h,
            (None, Some(0)) => random_port(),
            (None, Some(c)) => c,
            (None, None) => 0,
        };
    }
    // One `ports` resource per offered slot used, with merged ranges.
    let mut slots: Vec<usize> = taken_ports.iter().map(|&(i, _)| i).collect();
    slots.sort_unstable();
    slots.dedup();
    for i in slots {
        let mut nums: Vec<u64> = taken_ports
            .iter()
            .filter(|&&(s, _)| s == i)
            .map(|&(_, p)| p as u64)
            .collect();
        nums.sort_unstable();
        let mut range: Vec<Range> = Vec::new();
        for n in nums {
            match range.last_mut() {
                Some(r) if r.end + 1 == n => r.end = n,
                _ => range.push(Range { begin: n, end: n }),
            }
        }
        let mut r = pool.slots[i].template.clone();
        r.kind = Some("RANGES".into());
        r.scalar = None;
        r.set = None;
        r.ranges = Some(Ranges { range });
        resources.push(r);
    }
    Ok(Taken {
        resources,
        ports: ports.into_iter().map(|(a, _)| a).collect(),
    })
}

/// A random port in 1025..=64510 (container ports 0 without a host port).
fn random_port() -> u32 {
    let b = uuid::Uuid::new_v4().as_u128();
    1025 + (b % (64510 - 1025 + 1)) as u32
}

#[cfg(test)]
#[path = "placement_tests.rs"]
mod tests;
