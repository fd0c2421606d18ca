//! Offers going back to the pool: returned by a framework, rescinded.

use super::send_event;
use crate::master::state::MasterState;
use crate::wire::event::Event;

/// Give a framework's outstanding offers back to their agents.
pub fn return_framework_offers(st: &mut MasterState, fid: &str) {
    let ids: Vec<String> = st
        .offers
        .values()
        .filter(|o| o.framework_id == fid)
        .map(|o| o.id.clone())
        .collect();
    for id in ids {
        if let Some(o) = st.offers.remove(&id) {
            if let Some(a) = st.agents.get_mut(&o.agent_id) {
                a.offered.subtract(&o.resources);
            }
        }
    }
}

/// Rescind every offer on an agent (agent removed or re-registered).
pub fn rescind_agent_offers(st: &mut MasterState, agent_id: &str) {
    let ids: Vec<String> = st
        .offers
        .values()
        .filter(|o| o.agent_id == agent_id)
        .map(|o| o.id.clone())
        .collect();
    for id in ids {
        rescind_offer(st, &id);
    }
}

pub fn rescind_offer(st: &mut MasterState, offer_id: &str) {
    let Some(o) = st.offers.remove(offer_id) else {
        return;
    };
    if let Some(a) = st.agents.get_mut(&o.agent_id) {
        a.offered.subtract(&o.resources);
    }
    st.counters.offers_rescinded += 1;
    if let Some(fw) = st.frameworks.get(&o.framework_id) {
        send_event(fw, &Event::rescind(offer_id));
    }
}
