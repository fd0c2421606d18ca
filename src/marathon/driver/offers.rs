//! Offers: match them against the apps that want instances (see
//! [`super::plan`]), at most `max_instances_per_offer` launches per offer;
//! the new instances are stored (TASK_STAGING) BEFORE the ACCEPT, so a
//! crash between the two never loses a task; unused offers are declined
//! for `decline_offer_duration` (briefly when something still waits for a
//! fitting offer; the rest of an accepted offer not at all then).

use std::time::Instant;

use crate::marathon::core::{now_ms, Instance, OfferStats, State, UnusedOffer};
use crate::resources::Resources;
use crate::wire::agent_v1::{Id, TaskInfo};
use crate::wire::event::Offer;
use crate::wire::marathon::PathId;

use super::connection::Session;
use super::persist;
use super::place::{place, PlaceCtx, Placed};
use super::plan::{self, LaunchNeed, PlanOptions};
use super::status::instance_event;

/// Refuse time for offers declined while launches still wait (another
/// offer may fit sooner).
const SHORT_REFUSE_SECONDS: f64 = 5.0;

/// What one offer meant for one app wanting instances (for `/v2/queue`'s
/// `processedOffersSummary`).
#[derive(Clone, Debug, PartialEq)]
pub struct OfferSeen {
    pub app: PathId,
    pub version: String,
    pub offer: Offer,
    /// Instances were launched from it.
    pub used: bool,
    /// Why (no more) instance fit, as Marathon names it.
    pub reject: Option<String>,
}

/// Count processed offers per app (starting over with a new app
/// version), keeping the latest unused ones.
pub fn record_offers(state: &mut State, seen: Vec<OfferSeen>, now: i64) {
    for s in seen {
        let stats = state.offer_stats.entry(s.app).or_default();
        if stats.version != s.version {
            *stats = OfferStats {
                version: s.version,
                ..OfferStats::default()
            };
        }
        stats.processed += 1;
        if s.used {
            stats.last_used_ms = Some(now);
            continue;
        }
        stats.unused += 1;
        stats.last_unused_ms = Some(now);
        let reasons: Vec<String> = s.reject.into_iter().collect();
        for r in &reasons {
            *stats.declined.entry(r.clone()).or_default() += 1;
        }
        stats.last_unused.push_back(UnusedOffer {
            offer: s.offer,
            reasons,
            at_ms: now,
        });
        while stats.last_unused.len() > OfferStats::KEEP {
            stats.last_unused.pop_front();
        }
    }
}

/// One offer's launches.
pub struct OfferLaunch {
    pub offer_id: Id,
    /// The launches with their new instances.
    pub placed: Vec<(Placed, Instance)>,
}

/// The rest of an offer after `used` (what the next app may take).
fn remainder(offer: &Offer, used: &[TaskInfo]) -> Offer {
    let Ok(mut avail) = Resources::from_wire(&offer.resources) else {
        return offer.clone();
    };
    for t in used {
        if let Ok(r) = Resources::from_wire(&t.resources) {
            avail.subtract(&r);
        }
    }
    let role = offer.allocation_info.as_ref().map(|a| a.role.as_str());
    Offer {
        resources: avail.to_wire(role),
        ..offer.clone()
    }
}

/// Match `offers` against `needs` (the counts go down as instances are
/// placed). Pure apart from task ids; the instances are returned, not
/// stored.
pub fn match_offers(
    state: &State,
    offers: &[Offer],
    needs: &mut [LaunchNeed],
    max_per_offer: usize,
    ctx: &PlaceCtx,
    now: i64,
) -> (Vec<OfferLaunch>, Vec<Id>, Vec<OfferSeen>) {
    let mut seen = Vec::new();
    let mut launches = Vec::new();
    let mut declines = Vec::new();
    let mut placed_now: Vec<Instance> = Vec::new();
    for offer in offers {
        let mut here: Vec<(Placed, Instance)> = Vec::new();
        let mut rest = offer.clone();
        for need in needs.iter_mut() {
            let room = max_per_offer.saturating_sub(here.len());
            if need.count == 0 || room == 0 {
                continue;
            }
            let placed: Vec<&Instance> = state
                .instances_of(&need.app.id)
                .chain(placed_now.iter().filter(|i| i.app_id == need.app.id))
                .collect();
            let (got, why) = place(&need.app, &rest, &placed, need.count.min(room), ctx);
            seen.push(OfferSeen {
                app: need.app.id.clone(),
                version: need.app.version.clone().unwrap_or_default(),
                offer: offer.clone(),
                used: !got.is_empty(),
                reject: why.filter(|_| got.is_empty()).map(|r| r.to_string()),
            });
            if got.is_empty() {
                continue;
            }
            need.count -= got.len().min(need.count);
            let infos: Vec<TaskInfo> = got.iter().map(|p| p.task_info.clone()).collect();
            rest = remainder(&rest, &infos);
            for p in got {
                let inst = new_instance(&need.app, &p, now);
                placed_now.push(inst.clone());
                here.push((p, inst));
            }
        }
        if here.is_empty() {
            declines.push(offer.id.clone());
        } else {
            launches.push(OfferLaunch {
                offer_id: offer.id.clone(),
                placed: here,
            });
        }
    }
    (launches, declines, seen)
}

/// The instance of a launch (TASK_STAGING).
pub fn new_instance(app: &crate::wire::marathon::AppDefinition, p: &Placed, now: i64) -> Instance {
    Instance {
        task_id: p.task_id.clone(),
        app_id: app.id.clone(),
        app_version: app.version.clone().unwrap_or_default(),
        agent_id: p.agent_id.clone(),
        hostname: p.hostname.clone(),
        host_ports: p.host_ports.clone(),
        state: "TASK_STAGING".into(),
        staged_at_ms: now,
        started_at_ms: None,
        mesos_healthy: None,
        health: Vec::new(),
        ip_addresses: Vec::new(),
        kill_requested: false,
        unreachable_since_ms: None,
    }
}

impl Session<'_> {
    pub async fn on_offers(&mut self, offers: Vec<Offer>) {
        self.last_offer = Some(Instant::now());
        for o in &offers {
            self.place_ctx
                .attributes
                .insert(o.agent_id.value.clone(), o.attributes.clone());
        }
        let now = now_ms();
        let opts = PlanOptions {
            now_ms: now,
            task_launch_timeout_ms: self.cfg.task_launch_timeout.as_millis() as i64,
        };
        let ctx = self.place_ctx.clone();
        let (launches, declines, still_wanted, new) = {
            let mut st = self.m.lock();
            let mut needs = plan::plan(&st, opts, &self.checks.ready).launches;
            let (launches, declines, seen) = match_offers(
                &st,
                &offers,
                &mut needs,
                self.cfg.max_instances_per_offer.max(1),
                &ctx,
                now,
            );
            record_offers(&mut st, seen, now);
            let mut new = Vec::new();
            for (_, inst) in launches.iter().flat_map(|l| &l.placed) {
                st.instances.insert(inst.task_id.clone(), inst.clone());
                new.push(inst.clone());
            }
            let still = needs.iter().any(|n| n.count > 0);
            (launches, declines, still, new)
        };
        for i in &new {
            persist::save_instance(&self.cfg.store, i).await;
            self.m
                .publish(super::status::event(instance_event(i, "Created")));
        }
        let refuse = if still_wanted {
            SHORT_REFUSE_SECONDS
        } else {
            self.cfg.decline_offer_seconds
        };
        // The rest of an accepted offer comes back at the next allocation
        // while launches still wait (max_instances_per_offer filled it).
        let accept_refuse = if still_wanted { 0.0 } else { refuse };
        for l in launches {
            let infos: Vec<TaskInfo> = l.placed.iter().map(|(p, _)| p.task_info.clone()).collect();
            let ids: Vec<String> = l.placed.iter().map(|(p, _)| p.task_id.clone()).collect();
            if let Err(e) = self.sched.launch(&[l.offer_id], infos, accept_refuse).await {
                crate::warning!("cannot launch {}: {e}", ids.join(", "));
                {
                    let mut st = self.m.lock();
                    for t in &ids {
                        st.instances.remove(t);
                    }
                }
                for t in &ids {
                    persist::delete_instance(&self.cfg.store, t).await;
                }
            } else {
                crate::info!("launched {}", ids.join(", "));
            }
        }
        if !declines.is_empty() {
            if let Err(e) = self.sched.decline(&declines, refuse).await {
                crate::warning!("cannot decline {} offers: {e}", declines.len());
            }
        }
    }
}
