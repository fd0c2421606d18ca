//! Inverse offers (docs/wire-notes.md#maintenance): a framework with tasks
//! on an agent whose machine is draining (in the maintenance schedule, not
//! yet down) is sent an `INVERSE_OFFERS` event naming the agent and the
//! machine's unavailability. Its `ACCEPT_INVERSE_OFFERS` /
//! `DECLINE_INVERSE_OFFERS` answer is what the maintenance status shows in
//! `draining_machines[].statuses`. Answers are not persisted (as in real
//! Mesos, they are cleared by a failover and the offers are sent again).
//!
//! The allocator runs [`send_pass`], the scheduler API calls [`answer`],
//! the maintenance operations call [`forget_machine`]. Events go out as
//! [`crate::wire::event::Event`]s through the core's `send_event`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::core::send_event;
use super::state::{is_terminal, now_secs, MasterState};
pub use super::state::{InverseOffers, Outstanding};
use crate::wire::agent_v1::Id;
use crate::wire::event::{self as wire_event, Event};
use crate::wire::maintenance::{
    IdValue, InverseOfferStatus, InverseOfferStatusKind, MachineId, Unavailability,
};
use crate::wire::v1::TimeInfo;

/// How long a framework is not re-offered an agent after answering, when
/// its call gives no `filters.refuse_seconds` (real Mesos' default filter).
pub const DEFAULT_REFUSE: Duration = Duration::from_secs(5);

/// `accept_inverse_offers` / `decline_inverse_offers` of a scheduler call.
pub use crate::wire::scheduler::InverseOffersAnswer as Answer;

fn id(v: &str) -> IdValue {
    IdValue {
        value: v.to_string(),
    }
}

fn now_time() -> TimeInfo {
    TimeInfo {
        nanoseconds: (now_secs() * 1e9) as i64,
    }
}

/// The machine an agent runs on.
pub fn machine_of(st: &MasterState, agent_id: &str) -> Option<MachineId> {
    st.agents
        .get(agent_id)
        .map(|a| MachineId::of_agent(&a.hostname, &a.ip))
}

/// One pass: drop inverse offers whose framework, agent or draining is
/// gone, and send new ones to frameworks running tasks on agents of
/// draining machines. Called by the allocator under the lock.
pub fn send_pass(st: &mut MasterState) {
    let now = Instant::now();
    let stale: Vec<String> = st
        .inverse
        .outstanding
        .iter()
        .filter(|(_, o)| {
            !st.frameworks.contains_key(&o.framework_id)
                || !st.agents.contains_key(&o.agent_id)
                || st.policy.mode(&o.machine) != super::policy::Mode::Draining
        })
        .map(|(k, _)| k.clone())
        .collect();
    for k in stale {
        rescind(st, &k);
    }
    st.inverse.filters.retain(|_, until| *until > now);
    let mut wanted: Vec<(String, String, MachineId, Unavailability)> = Vec::new();
    for a in st.agents.values().filter(|a| a.active) {
        let machine = MachineId::of_agent(&a.hostname, &a.ip);
        if st.policy.mode(&machine) != super::policy::Mode::Draining {
            continue;
        }
        let Some(unavailability) = st.policy.unavailability(&machine) else {
            continue;
        };
        for fw in st
            .frameworks
            .values()
            .filter(|f| f.active && f.stream.is_some())
        {
            let uses = fw
                .tasks
                .values()
                .any(|t| t.agent_id == a.id && !is_terminal(&t.state));
            let key = (fw.id.clone(), a.id.clone());
            let pending = st
                .inverse
                .outstanding
                .values()
                .any(|o| o.framework_id == fw.id && o.agent_id == a.id);
            if uses && !pending && !st.inverse.filters.contains_key(&key) {
                wanted.push((fw.id.clone(), a.id.clone(), machine.clone(), unavailability));
            }
        }
    }
    let mut events: BTreeMap<String, Vec<wire_event::InverseOffer>> = BTreeMap::new();
    for (fid, agent_id, machine, unavailability) in wanted {
        let offer_id = st.new_offer_id();
        let a = &st.agents[&agent_id];
        let offer = wire_event::InverseOffer {
            id: Id::new(offer_id.clone()),
            url: Some(wire_event::Url {
                scheme: crate::daemon::tls::scheme().to_string(),
                address: wire_event::UrlAddress {
                    hostname: Some(a.hostname.clone()),
                    ip: Some(a.ip.clone()),
                    port: Some(a.port),
                },
                path: Some("/slave(1)".into()),
            }),
            framework_id: Id::new(fid.clone()),
            agent_id: Some(Id::new(agent_id.clone())),
            unavailability,
            resources: Vec::new(),
        };
        st.inverse
            .statuses
            .entry(machine.clone())
            .or_default()
            .entry(fid.clone())
            .or_insert_with(|| InverseOfferStatus {
                status: InverseOfferStatusKind::Unknown,
                framework_id: id(&fid),
                timestamp: now_time(),
            });
        st.inverse.outstanding.insert(
            offer_id,
            Outstanding {
                framework_id: fid.clone(),
                agent_id,
                machine,
            },
        );
        events.entry(fid).or_default().push(offer);
    }
    for (fid, offers) in events {
        if let Some(fw) = st.frameworks.get(&fid) {
            crate::info!(
                "Sending {} inverse offer(s) to framework {fid}",
                offers.len()
            );
            send_event(fw, &Event::inverse_offers(offers));
        }
    }
}

/// Withdraw one outstanding inverse offer (`RESCIND_INVERSE_OFFER`).
fn rescind(st: &mut MasterState, offer_id: &str) {
    let Some(o) = st.inverse.outstanding.remove(offer_id) else {
        return;
    };
    if let Some(fw) = st.frameworks.get(&o.framework_id) {
        send_event(fw, &Event::rescind_inverse_offer(offer_id));
    }
}

/// A machine stops draining (down, or out of the schedule): its inverse
/// offers are rescinded and its answers forgotten.
pub fn forget_machine(st: &mut MasterState, machine: &MachineId) {
    rescind_machine(st, machine);
    st.inverse.statuses.remove(machine);
}

/// Rescind a machine's outstanding inverse offers (its window changed: the
/// next pass sends new ones); the answers are kept.
pub fn rescind_machine(st: &mut MasterState, machine: &MachineId) {
    let ids: Vec<String> = st
        .inverse
        .outstanding
        .iter()
        .filter(|(_, o)| &o.machine == machine)
        .map(|(k, _)| k.clone())
        .collect();
    for k in ids {
        rescind(st, &k);
    }
}

/// `ACCEPT_INVERSE_OFFERS` (`accept`) or `DECLINE_INVERSE_OFFERS` from
/// framework `fid`: record the answer on the machine; unknown ids and ids
/// of other frameworks are ignored (as real Mesos does, with a warning).
pub fn answer(st: &mut MasterState, fid: &str, a: &Answer, accept: bool) {
    let refuse = a
        .filters
        .as_ref()
        .and_then(|f| f.refuse_seconds)
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
        .unwrap_or(DEFAULT_REFUSE);
    for offer_id in &a.inverse_offer_ids {
        let mine = st
            .inverse
            .outstanding
            .get(&offer_id.value)
            .is_some_and(|o| o.framework_id == fid);
        if !mine {
            crate::warning!(
                "Ignoring an answer of framework {fid} to unknown inverse offer {}",
                offer_id.value
            );
            continue;
        }
        let Some(o) = st.inverse.outstanding.remove(&offer_id.value) else {
            continue;
        };
        let status = if accept {
            InverseOfferStatusKind::Accept
        } else {
            InverseOfferStatusKind::Decline
        };
        st.inverse
            .statuses
            .entry(o.machine.clone())
            .or_default()
            .insert(
                fid.to_string(),
                InverseOfferStatus {
                    status,
                    framework_id: id(fid),
                    timestamp: now_time(),
                },
            );
        st.inverse
            .filters
            .insert((fid.to_string(), o.agent_id), Instant::now() + refuse);
    }
}
