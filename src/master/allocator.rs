//! Offers: Dominant Resource Fairness across roles (each role's share
//! divided by its weight), then across frameworks within a role. Runs when
//! woken (new framework or agent, freed resources, revive, decline) and
//! every `--allocation_interval`.
//!
//! Quota (docs/wire-notes.md#quota-and-weights): roles below their
//! guarantee are offered first; no offer to another role eats into the
//! resources still needed by unsatisfied guarantees; no role is offered
//! beyond its limits (offers are trimmed to fit). Each pass also sends the
//! inverse offers of draining machines (master/inverse.rs).

use std::collections::BTreeMap;

use super::quota::add_scalars;
use crate::resources::Value as ResValue;
use crate::wire::maintenance::MachineId;
use std::time::{Duration, Instant};

use super::core::send_event;
use super::state::{MasterState, OfferEntry, Shared};
use crate::resources::{attributes_to_wire, Resources};
use crate::wire::agent_v1::Id;
use crate::wire::event::{Event, Offer, Url, UrlAddress};
use crate::wire::resources::AllocationInfo;

/// Run the allocation loop.
pub fn spawn(m: Shared) {
    let interval = m
        .flags
        .duration("allocation_interval")
        .unwrap_or(Duration::from_secs(1))
        .max(Duration::from_millis(10));
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = m.allocate.notified() => {}
                _ = tokio::time::sleep(interval) => {}
            }
            allocate(&m);
        }
    });
}

/// Share of the cluster's cpus/mem/disk used by `r` (the dominant one).
fn dominant_share(r: &Resources, total: &Resources) -> f64 {
    ["cpus", "mem", "disk", "gpus"]
        .iter()
        .filter_map(|n| {
            let t = total.scalar(n);
            (t > 0.0).then(|| r.scalar(n) / t)
        })
        .fold(0.0, f64::max)
}

/// One allocation pass: every agent's available resources go, as one offer
/// per agent, to the (role, framework) client with the lowest dominant share.
pub fn allocate(m: &Shared) {
    let mut st = m.lock();
    if !st.leading() {
        return;
    }
    super::inverse::send_pass(&mut st);
    let now = Instant::now();
    let mut total = Resources::new();
    for a in st.agents.values().filter(|a| a.active) {
        total.add(&a.total);
    }
    // Current usage (allocated + offered) per framework and per role.
    let mut fw_use: BTreeMap<String, Resources> = BTreeMap::new();
    let mut role_use: BTreeMap<String, Resources> = BTreeMap::new();
    for fw in st.frameworks.values() {
        let mut u = fw.allocated();
        u.add(&st.offered_to(&fw.id));
        for (role, r) in fw.allocations() {
            role_use.entry(role.to_string()).or_default().add(r);
        }
        fw_use.insert(fw.id.clone(), u);
    }
    for o in st.offers.values() {
        role_use
            .entry(o.role.clone())
            .or_default()
            .add(&o.resources);
    }
    // Clients: (framework, role) pairs that want offers.
    let mut clients: Vec<(String, String)> = Vec::new();
    for fw in st
        .frameworks
        .values()
        .filter(|f| f.active && f.stream.is_some())
    {
        for role in &fw.roles {
            if !fw.suppressed_roles.contains(role) {
                clients.push((fw.id.clone(), role.clone()));
            }
        }
    }
    if clients.is_empty() {
        return;
    }
    let agent_ids: Vec<String> = st
        .agents
        .values()
        .filter(|a| a.active)
        .map(|a| a.id.clone())
        .collect();
    let mut quota = QuotaView::new(&st, &agent_ids, &role_use);
    let mut new_offers: BTreeMap<String, Vec<Offer>> = BTreeMap::new();
    for agent_id in agent_ids {
        let available = st.agents[&agent_id].available();
        if available.is_empty() {
            continue;
        }
        clients.sort_by(|a, b| {
            let share = |role: &str, u: Option<&Resources>| {
                dominant_share(u.unwrap_or(&Resources::new()), &total) / st.policy.weight(role)
            };
            let ra = share(&a.1, role_use.get(&a.1));
            let rb = share(&b.1, role_use.get(&b.1));
            let fa = dominant_share(fw_use.get(&a.0).unwrap_or(&Resources::new()), &total);
            let fb = dominant_share(fw_use.get(&b.0).unwrap_or(&Resources::new()), &total);
            // Roles below their quota guarantee first.
            quota
                .below_guarantee(&b.1)
                .cmp(&quota.below_guarantee(&a.1))
                .then(ra.total_cmp(&rb))
                .then(fa.total_cmp(&fb))
                .then(a.0.cmp(&b.0))
        });
        let chosen = clients.iter().find_map(|(fid, role)| {
            let fw = &st.frameworks[fid];
            let filtered = fw
                .filters
                .iter()
                .any(|f| f.agent_id == agent_id && f.until > now);
            let has_offer = st
                .offers
                .values()
                .any(|o| &o.framework_id == fid && o.agent_id == agent_id);
            if filtered || has_offer {
                return None;
            }
            let res = quota.trim(role, &available.allocatable_to(role));
            (!res.is_empty()).then(|| (fid.clone(), role.clone(), res))
        });
        let Some((fid, role, res)) = chosen else {
            continue;
        };
        quota.offered(&role, &res);
        let offer = make_offer(&mut st, &fid, &agent_id, &role, res.clone());
        fw_use.entry(fid.clone()).or_default().add(&res);
        role_use.entry(role.clone()).or_default().add(&res);
        new_offers.entry(fid).or_default().push(offer);
    }
    for (fid, offers) in new_offers {
        st.counters.offers_sent += offers.len() as u64;
        if let Some(fw) = st.frameworks.get(&fid) {
            send_event(fw, &Event::offers(offers));
        }
    }
}

/// Record an offer and build its v1 `Offer`.
fn make_offer(
    st: &mut MasterState,
    fid: &str,
    agent_id: &str,
    role: &str,
    res: Resources,
) -> Offer {
    let id = st.new_offer_id();
    let multi_role = st.frameworks.get(fid).is_some_and(|f| f.multi_role);
    let agent = st.agents.get_mut(agent_id).expect("agent exists");
    agent.offered.add(&res);
    let machine = MachineId::of_agent(&agent.hostname, &agent.ip);
    let unavailability = st.policy.unavailability(&machine);
    let agent = st.agents.get(agent_id).expect("agent exists");
    // The framework's executors running on the agent (as real Mesos).
    let executor_ids = st
        .frameworks
        .get(fid)
        .map(|f| {
            f.executors
                .values()
                .filter(|e| e.agent_id == agent_id)
                .map(|e| Id::new(e.id()))
                .collect()
        })
        .unwrap_or_default();
    let offer = Offer {
        id: Id::new(id.clone()),
        framework_id: Id::new(fid),
        agent_id: Id::new(agent_id),
        hostname: agent.hostname.clone(),
        url: Some(Url {
            scheme: crate::daemon::tls::scheme().to_string(),
            address: UrlAddress {
                hostname: Some(agent.hostname.clone()),
                ip: Some(agent.ip.clone()),
                port: Some(agent.port),
            },
            path: Some("/slave(1)".into()),
        }),
        // Single-role frameworks get no allocation_info (as real Mesos).
        resources: res.to_wire(multi_role.then_some(role)),
        attributes: attributes_to_wire(&agent.attributes),
        unavailability,
        allocation_info: multi_role.then(|| AllocationInfo::new(role)),
        executor_ids,
        ..Offer::default()
    };
    st.offers.insert(
        id.clone(),
        OfferEntry {
            id,
            framework_id: fid.to_string(),
            agent_id: agent_id.to_string(),
            resources: res,
            role: role.to_string(),
            created: Instant::now(),
        },
    );
    offer
}

/// What quota asks of one allocation pass: per role, the guarantee still
/// unsatisfied and the room left under its limits; and the scalars still
/// available in the cluster.
struct QuotaView {
    /// Unsatisfied guarantee per quota role.
    unsatisfied: BTreeMap<String, BTreeMap<String, f64>>,
    /// Room under the limits per role with limits.
    room: BTreeMap<String, BTreeMap<String, f64>>,
    /// Scalars available (not allocated, not offered) on the agents.
    available: BTreeMap<String, f64>,
}

impl QuotaView {
    fn new(st: &MasterState, agents: &[String], role_use: &BTreeMap<String, Resources>) -> Self {
        let mut available = BTreeMap::new();
        for a in agents {
            add_scalars(&mut available, &st.agents[a].available());
        }
        let mut unsatisfied = BTreeMap::new();
        let mut room = BTreeMap::new();
        for (role, q) in &st.policy.quotas {
            let mut used = BTreeMap::new();
            if let Some(u) = role_use.get(role) {
                add_scalars(&mut used, u);
            }
            let left = |m: &BTreeMap<String, crate::wire::resources::Scalar>| {
                m.iter()
                    .map(|(k, v)| (k.clone(), (v.value - used.get(k).unwrap_or(&0.0)).max(0.0)))
                    .collect::<BTreeMap<String, f64>>()
            };
            unsatisfied.insert(role.clone(), left(&q.guarantees));
            if !q.limits.is_empty() {
                room.insert(role.clone(), left(&q.limits));
            }
        }
        QuotaView {
            unsatisfied,
            room,
            available,
        }
    }

    fn below_guarantee(&self, role: &str) -> bool {
        self.unsatisfied
            .get(role)
            .is_some_and(|u| u.values().any(|v| *v > 1e-9))
    }

    /// The most of each scalar `role` may be offered: under its limits,
    /// and leaving the other roles' unsatisfied guarantees available.
    fn allowance(&self, role: &str) -> BTreeMap<String, f64> {
        let mut out: BTreeMap<String, f64> = self.room.get(role).cloned().unwrap_or_default();
        let mut others: BTreeMap<String, f64> = BTreeMap::new();
        for (_, u) in self.unsatisfied.iter().filter(|(r, _)| r.as_str() != role) {
            for (k, v) in u {
                *others.entry(k.clone()).or_insert(0.0) += v;
            }
        }
        for (k, need) in others {
            let spare = (self.available.get(&k).unwrap_or(&0.0) - need).max(0.0);
            let e = out.entry(k).or_insert(f64::INFINITY);
            *e = e.min(spare);
        }
        out
    }

    /// `res` trimmed to the role's allowance (scalars only).
    fn trim(&self, role: &str, res: &Resources) -> Resources {
        let mut left = self.allowance(role);
        let mut out = Resources::new();
        for r in res.iter() {
            let mut r = r.clone();
            if let (ResValue::Scalar(v), Some(l)) = (&mut r.value, left.get_mut(&r.name)) {
                let take = crate::resources::round3(v.min(*l));
                *l -= take;
                *v = take;
                if take <= 0.0 {
                    continue;
                }
            }
            out.push(r);
        }
        out
    }

    fn offered(&mut self, role: &str, res: &Resources) {
        let mut got = BTreeMap::new();
        add_scalars(&mut got, res);
        for (k, v) in &got {
            if let Some(a) = self.available.get_mut(k) {
                *a = (*a - v).max(0.0);
            }
            for m in [self.unsatisfied.get_mut(role), self.room.get_mut(role)]
                .into_iter()
                .flatten()
            {
                if let Some(x) = m.get_mut(k) {
                    *x = (*x - v).max(0.0);
                }
            }
        }
    }
}
