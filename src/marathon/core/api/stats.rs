//! Statistics in output bodies: an app's `taskStats`, readiness results,
//! and the offer statistics of `/v2/queue` entries (recorded by the driver
//! in `State.offer_stats`).

use crate::datetime::iso_millis;
use crate::marathon::core::state::{Instance, OfferStats, State};
use crate::wire::event::Offer;
use crate::wire::marathon::{
    AppDefinition, NumberRange, OfferAttribute, OfferResource, OfferView, OffersSummary, PathId,
    ReadinessCheckResult, RejectReason, TaskCounts, TaskLifeTime, TaskStats, TaskStatsBucket,
    TaskStatsByVersion, UnusedOfferView,
};
use crate::wire::resources::Ranges;

/// `taskStats` of `app` at `now_ms`: the buckets that hold tasks.
pub fn task_stats(st: &State, app: &AppDefinition, now_ms: i64) -> TaskStatsByVersion {
    let has_mesos_check = app.health_checks.iter().any(|h| h.protocol.is_mesos());
    let all: Vec<&Instance> = st.instances_of(&app.id).collect();
    let vi = app.version_info.as_ref();
    let scaled_at = vi
        .and_then(|v| crate::datetime::parse_iso_millis(&v.last_scaling_at))
        .unwrap_or(i64::MIN);
    let config_at = vi
        .map(|v| v.last_config_change_at.clone())
        .or_else(|| app.version.clone())
        .unwrap_or_default();
    let bucket = |tasks: Vec<&Instance>| -> Option<TaskStatsBucket> {
        if tasks.is_empty() {
            return None;
        }
        let mut counts = TaskCounts::default();
        let mut lives: Vec<f64> = Vec::new();
        for i in &tasks {
            if i.is_staged() {
                counts.staged += 1;
            }
            if i.is_running() {
                counts.running += 1;
            }
            match i.healthy(has_mesos_check) {
                Some(true) => counts.healthy += 1,
                Some(false) => counts.unhealthy += 1,
                None => {}
            }
            if let Some(s) = i.started_at_ms {
                lives.push((now_ms - s).max(0) as f64 / 1000.0);
            }
        }
        lives.sort_by(f64::total_cmp);
        let life_time = (!lives.is_empty()).then(|| {
            let n = lives.len();
            let median = if n % 2 == 1 {
                lives[n / 2]
            } else {
                (lives[n / 2 - 1] + lives[n / 2]) / 2.0
            };
            TaskLifeTime {
                average_seconds: lives.iter().sum::<f64>() / n as f64,
                median_seconds: median,
            }
        });
        Some(TaskStatsBucket {
            stats: TaskStats { counts, life_time },
        })
    };
    // Versions are ISO timestamps of one format: they compare as text.
    let latest = |i: &&Instance| i.app_version.as_str() >= config_at.as_str();
    TaskStatsByVersion {
        started_after_last_scaling: bucket(
            all.iter()
                .copied()
                .filter(|i| i.staged_at_ms >= scaled_at)
                .collect(),
        ),
        with_latest_config: bucket(all.iter().copied().filter(latest).collect()),
        with_outdated_config: bucket(all.iter().copied().filter(|i| !latest(i)).collect()),
        total_summary: bucket(all),
    }
}

/// The readiness results of `app`'s instances (in task id order).
pub fn readiness_results(st: &State, app: &PathId) -> Vec<ReadinessCheckResult> {
    st.readiness
        .iter()
        .filter(|(t, _)| st.instances.get(*t).is_some_and(|i| &i.app_id == app))
        .map(|(_, r)| r.clone())
        .collect()
}

/// Marathon's offer-matching funnel: the reasons in the order an offer is
/// checked. An offer declined at one step was processed by every step up
/// to it.
const FUNNEL: [&str; 9] = [
    "UnfulfilledRole",
    "UnfulfilledConstraint",
    "NoCorrespondingReservationFound",
    "InsufficientCpus",
    "InsufficientMemory",
    "InsufficientDisk",
    "InsufficientGpus",
    "InsufficientPorts",
    "DeclinedScarceResources",
];

/// `{reason, declined, processed}` per funnel step for `processed` offers
/// of which `declined(reason)` were declined for that reason.
fn funnel(processed: u64, declined: impl Fn(&str) -> u64) -> Vec<RejectReason> {
    let mut left = processed;
    FUNNEL
        .iter()
        .map(|r| {
            let d = declined(r).min(left);
            let step = RejectReason {
                reason: r.to_string(),
                declined: d,
                processed: left,
            };
            left -= d;
            step
        })
        .collect()
}

/// `processedOffersSummary` of an app.
pub fn offers_summary(s: Option<&OfferStats>) -> OffersSummary {
    let Some(s) = s else {
        return OffersSummary {
            reject_summary_last_offers: funnel(0, |_| 0),
            reject_summary_launch_attempt: funnel(0, |_| 0),
            ..OffersSummary::default()
        };
    };
    let last = |r: &str| {
        s.last_unused
            .iter()
            .filter(|u| u.reasons.iter().any(|x| x == r))
            .count() as u64
    };
    OffersSummary {
        processed_offers_count: s.processed,
        unused_offers_count: s.unused,
        last_unused_offer_at: s.last_unused_ms.map(iso_millis),
        last_used_offer_at: s.last_used_ms.map(iso_millis),
        reject_summary_last_offers: funnel(s.last_unused.len() as u64, last),
        reject_summary_launch_attempt: funnel(s.processed, |r| {
            s.declined.get(r).copied().unwrap_or(0)
        }),
    }
}

/// `lastUnusedOffers` of an app (oldest first).
pub fn last_unused_offers(s: Option<&OfferStats>) -> Vec<UnusedOfferView> {
    s.map(|s| {
        s.last_unused
            .iter()
            .map(|u| UnusedOfferView {
                offer: offer_view(&u.offer),
                reason: u.reasons.clone(),
                timestamp: iso_millis(u.at_ms),
            })
            .collect()
    })
    .unwrap_or_default()
}

fn ranges(r: &Option<Ranges>) -> Option<Vec<NumberRange>> {
    r.as_ref().map(|r| {
        r.range
            .iter()
            .map(|x| NumberRange {
                begin: x.begin,
                end: x.end,
            })
            .collect()
    })
}

fn offer_view(o: &Offer) -> OfferView {
    OfferView {
        id: o.id.value.clone(),
        agent_id: o.agent_id.value.clone(),
        hostname: o.hostname.clone(),
        resources: o
            .resources
            .iter()
            .map(|r| OfferResource {
                name: r.name.clone(),
                role: r
                    .allocation_info
                    .as_ref()
                    .map(|a| a.role.clone())
                    .or_else(|| r.role.clone())
                    .unwrap_or_else(|| "*".into()),
                scalar: r.scalar.as_ref().map(|s| s.value),
                ranges: ranges(&r.ranges),
                set: r.set.as_ref().map(|s| s.item.clone()),
            })
            .collect(),
        attributes: o
            .attributes
            .iter()
            .map(|a| OfferAttribute {
                name: a.name.clone(),
                text: a.text.as_ref().map(|t| t.value.clone()),
                scalar: a.scalar.as_ref().map(|s| s.value),
                ranges: ranges(&a.ranges),
                set: a.set.as_ref().map(|s| s.item.clone()),
            })
            .collect(),
    }
}
