//! Which instances go on scale-down (docs/marathon.md, "Scheduling
//! rules"): first those explicitly sentenced, then those whose removal
//! the distribution constraints want ([`super::constraints::kills_for_constraints`]),
//! then the rest by state — unreachable, staging, starting, running — with
//! ties broken by `killSelection` on the start time (`YOUNGEST_FIRST`:
//! latest start first; never-started instances count as the youngest).

use std::cmp::Ordering;

use crate::wire::marathon::KillSelection;

/// An instance's state as the kill order ranks it (first killed first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum InstanceState {
    Unreachable,
    Staging,
    Starting,
    Running,
}

/// One live instance of the app.
#[derive(Clone, Debug, PartialEq)]
pub struct KillCandidate {
    pub id: String,
    pub state: InstanceState,
    /// When it started running (ms since the epoch), if it did.
    pub started_at_ms: Option<i64>,
}

/// Compare two candidates by kill preference (`Less` = killed first).
fn preference(a: &KillCandidate, b: &KillCandidate, sel: KillSelection) -> Ordering {
    a.state
        .cmp(&b.state)
        .then_with(|| {
            // None (not started) sorts as the youngest.
            let (x, y) = (
                a.started_at_ms.unwrap_or(i64::MAX),
                b.started_at_ms.unwrap_or(i64::MAX),
            );
            match sel {
                KillSelection::YoungestFirst => y.cmp(&x),
                KillSelection::OldestFirst => x.cmp(&y),
            }
        })
        .then_with(|| a.id.cmp(&b.id))
}

/// The candidates sorted by kill preference, most killable first.
pub fn sorted(instances: &[KillCandidate], sel: KillSelection) -> Vec<KillCandidate> {
    let mut v = instances.to_vec();
    v.sort_by(|a, b| preference(a, b, sel));
    v
}

/// The ids of the `n` instances to kill, by state and `killSelection`.
pub fn select_kills(instances: &[KillCandidate], n: usize, sel: KillSelection) -> Vec<String> {
    select_kills_with(instances, n, sel, &[], &[])
}

/// [`select_kills`] with the explicitly `sentenced` ids first, then the
/// `constraint_needed` ones (both only if they are among `instances`).
pub fn select_kills_with(
    instances: &[KillCandidate],
    n: usize,
    sel: KillSelection,
    sentenced: &[String],
    constraint_needed: &[String],
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let known = |id: &String| instances.iter().any(|c| c.id == *id);
    for id in sentenced.iter().chain(constraint_needed) {
        if out.len() < n && known(id) && !out.contains(id) {
            out.push(id.clone());
        }
    }
    for c in sorted(instances, sel) {
        if out.len() >= n {
            break;
        }
        if !out.contains(&c.id) {
            out.push(c.id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use InstanceState::*;

    fn c(id: &str, state: InstanceState, started: Option<i64>) -> KillCandidate {
        KillCandidate {
            id: id.into(),
            state,
            started_at_ms: started,
        }
    }

    fn fleet() -> Vec<KillCandidate> {
        vec![
            c("run-old", Running, Some(100)),
            c("run-new", Running, Some(300)),
            c("run-mid", Running, Some(200)),
            c("staging", Staging, None),
            c("starting", Starting, None),
            c("unreach", Unreachable, Some(50)),
        ]
    }

    #[test]
    fn state_order_then_youngest_first() {
        let got = select_kills(&fleet(), 6, KillSelection::YoungestFirst);
        assert_eq!(
            got,
            ["unreach", "staging", "starting", "run-new", "run-mid", "run-old"]
        );
        assert_eq!(
            select_kills(&fleet(), 4, KillSelection::YoungestFirst),
            ["unreach", "staging", "starting", "run-new"]
        );
    }

    #[test]
    fn oldest_first_breaks_ties_the_other_way() {
        let got = select_kills(&fleet(), 5, KillSelection::OldestFirst);
        assert_eq!(
            got,
            ["unreach", "staging", "starting", "run-old", "run-mid"]
        );
    }

    #[test]
    fn sentenced_then_constraint_needed_come_first() {
        let got = select_kills_with(
            &fleet(),
            3,
            KillSelection::YoungestFirst,
            &["run-old".into(), "ghost".into()],
            &["run-mid".into(), "run-old".into()],
        );
        assert_eq!(got, ["run-old", "run-mid", "unreach"]);
    }

    #[test]
    fn never_more_than_asked_or_than_exist() {
        assert!(select_kills(&fleet(), 0, KillSelection::YoungestFirst).is_empty());
        assert_eq!(
            select_kills(&fleet(), 10, KillSelection::OldestFirst).len(),
            6
        );
        assert!(select_kills(&[], 3, KillSelection::OldestFirst).is_empty());
    }
}
