//! Deployment plans (docs/marathon.md "Deployments"): `StopApplication`
//! for removed apps, `StartApplication` (at 0 instances) for new ones, then
//! one step per dependency depth (dependencies first) with
//! `ScaleApplication` for new apps and scale-only changes and
//! `RestartApplication` for any other change. Empty steps are dropped.

use std::collections::{BTreeMap, BTreeSet};

use crate::marathon::core::state::State;
use crate::wire::marathon::{ActionKind, AppDefinition, PathId};

/// The steps taking `original` to `target` (both keyed by the affected
/// apps; `None` = absent). `st` holds the target state (for dependencies).
/// Apps in `restart` restart even when their definition is unchanged.
pub fn steps(
    st: &State,
    original: &BTreeMap<PathId, Option<AppDefinition>>,
    target: &BTreeMap<PathId, Option<AppDefinition>>,
    restart: &BTreeSet<PathId>,
) -> Vec<Vec<(ActionKind, PathId)>> {
    let mut stop = Vec::new();
    let mut start = Vec::new();
    let mut by_depth: BTreeMap<usize, Vec<(ActionKind, PathId)>> = BTreeMap::new();
    for (id, new) in target {
        let old = original.get(id).cloned().flatten();
        match (old, new) {
            (Some(_), None) => stop.push((ActionKind::StopApplication, id.clone())),
            (None, Some(_)) => {
                start.push((ActionKind::StartApplication, id.clone()));
                by_depth
                    .entry(depth(st, id))
                    .or_default()
                    .push((ActionKind::ScaleApplication, id.clone()));
            }
            (Some(old), Some(new)) => {
                let action = if restart.contains(id) && new.instances > 0 {
                    ActionKind::RestartApplication
                } else if !old.needs_restart(new) || new.instances == 0 {
                    if old.instances == new.instances && !restart.contains(id) {
                        continue;
                    }
                    ActionKind::ScaleApplication
                } else {
                    ActionKind::RestartApplication
                };
                by_depth
                    .entry(depth(st, id))
                    .or_default()
                    .push((action, id.clone()));
            }
            (None, None) => {}
        }
    }
    let mut out = Vec::new();
    out.push(stop);
    out.push(start);
    out.extend(by_depth.into_values());
    out.retain(|s| !s.is_empty());
    out
}

/// The dependency depth of `id` in the target state: 0 without
/// dependencies, else one more than its deepest dependency. A dependency
/// on a group means every app under it. Cycles count once.
pub fn depth(st: &State, id: &PathId) -> usize {
    fn go(st: &State, id: &PathId, seen: &mut BTreeSet<PathId>) -> usize {
        if !seen.insert(id.clone()) {
            return 0;
        }
        let mut deps: Vec<PathId> = st
            .apps
            .get(id)
            .map(|a| a.dependencies.clone())
            .unwrap_or_default();
        // Dependencies of the enclosing groups apply to their apps too.
        let mut g = id.parent();
        loop {
            if let Some(rec) = st.groups.get(&g) {
                deps.extend(rec.dependencies.iter().cloned());
            }
            if g.is_root() {
                break;
            }
            g = g.parent();
        }
        let mut best = 0;
        for dep in deps {
            let apps: Vec<PathId> = st
                .apps
                .keys()
                .filter(|a| *a != id && a.is_under(&dep))
                .cloned()
                .collect();
            for a in apps {
                best = best.max(1 + go(st, &a, seen));
            }
        }
        seen.remove(id);
        best
    }
    go(st, id, &mut BTreeSet::new())
}
