//! Offers: Dominant Resource Fairness across roles, then across frameworks
//! within a role. Runs when woken (new framework or agent, freed resources,
//! revive, decline) and every `--allocation_interval`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::core::send_event;
use super::state::{MasterState, OfferEntry, Shared};
use crate::resources::{attributes_v1, Resources};

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
        for t in fw.tasks.values() {
            role_use
                .entry(t.role.clone())
                .or_default()
                .add(&t.resources);
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
    let mut new_offers: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for agent_id in agent_ids {
        let available = st.agents[&agent_id].available();
        if available.is_empty() {
            continue;
        }
        clients.sort_by(|a, b| {
            let ra = dominant_share(role_use.get(&a.1).unwrap_or(&Resources::new()), &total);
            let rb = dominant_share(role_use.get(&b.1).unwrap_or(&Resources::new()), &total);
            let fa = dominant_share(fw_use.get(&a.0).unwrap_or(&Resources::new()), &total);
            let fb = dominant_share(fw_use.get(&b.0).unwrap_or(&Resources::new()), &total);
            ra.total_cmp(&rb)
                .then(fa.total_cmp(&fb))
                .then(a.0.cmp(&b.0))
        });
        let chosen = clients.iter().find(|(fid, role)| {
            let fw = &st.frameworks[fid];
            let filtered = fw
                .filters
                .iter()
                .any(|f| f.agent_id == agent_id && f.until > now);
            let has_offer = st
                .offers
                .values()
                .any(|o| &o.framework_id == fid && o.agent_id == agent_id);
            !filtered && !has_offer && !available.allocatable_to(role).is_empty()
        });
        let Some((fid, role)) = chosen.cloned() else {
            continue;
        };
        let res = available.allocatable_to(&role);
        let offer = make_offer(&mut st, &fid, &agent_id, &role, res.clone());
        fw_use.entry(fid.clone()).or_default().add(&res);
        role_use.entry(role.clone()).or_default().add(&res);
        new_offers.entry(fid).or_default().push(offer);
    }
    for (fid, offers) in new_offers {
        st.counters.offers_sent += offers.len() as u64;
        if let Some(fw) = st.frameworks.get(&fid) {
            send_event(fw, &json!({"type": "OFFERS", "offers": {"offers": offers}}));
        }
    }
}

/// Record an offer and build its v1 JSON.
fn make_offer(
    st: &mut MasterState,
    fid: &str,
    agent_id: &str,
    role: &str,
    res: Resources,
) -> Value {
    let id = st.new_offer_id();
    let multi_role = st.frameworks.get(fid).is_some_and(|f| f.multi_role);
    let agent = st.agents.get_mut(agent_id).expect("agent exists");
    agent.offered.add(&res);
    let mut resources = res.to_v1_json(Some(role));
    if !multi_role {
        for r in &mut resources {
            if let Some(o) = r.as_object_mut() {
                o.remove("allocation_info");
            }
        }
    }
    let mut offer = json!({
        "id": {"value": id},
        "framework_id": {"value": fid},
        "agent_id": {"value": agent_id},
        "hostname": agent.hostname,
        "url": {
            "scheme": crate::daemon::tls::scheme(),
            "address": {"hostname": agent.hostname, "ip": agent.ip, "port": agent.port},
            "path": "/slave(1)"
        },
        "resources": resources,
    });
    let attrs = attributes_v1(&agent.attributes);
    if !attrs.is_empty() {
        offer["attributes"] = Value::Array(attrs);
    }
    if multi_role {
        offer["allocation_info"] = json!({"role": role});
    }
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
