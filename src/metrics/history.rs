//! Short histories for refreshing views (`--watch`, `mesos top`): a bounded
//! ring of `(time, value)` per series key, rates between the last two
//! samples (CPU seconds → CPU %), and sparklines.
//!
//! Sparklines use the Unicode block elements `▁▂▃▄▅▆▇█`; callers show them
//! only on a terminal. There is no ASCII fallback: a terminal that cannot
//! show them (not UTF-8) shows replacement characters.

use std::collections::{BTreeMap, VecDeque};

/// Bounded per-key history of `(unix seconds, value)` samples.
#[derive(Clone, Debug)]
pub struct History {
    capacity: usize,
    series: BTreeMap<String, VecDeque<(f64, f64)>>,
}

impl History {
    /// Keep at most `capacity` (≥ 1) samples per key.
    pub fn new(capacity: usize) -> History {
        History {
            capacity: capacity.max(1),
            series: BTreeMap::new(),
        }
    }

    /// Add a sample; the oldest is dropped when the ring is full.
    pub fn push(&mut self, key: &str, time: f64, value: f64) {
        let ring = self.series.entry(key.to_string()).or_default();
        if ring.len() == self.capacity {
            ring.pop_front();
        }
        ring.push_back((time, value));
    }

    /// The values of one key, oldest first.
    pub fn values(&self, key: &str) -> Vec<f64> {
        self.series
            .get(key)
            .map(|r| r.iter().map(|(_, v)| *v).collect())
            .unwrap_or_default()
    }

    /// The latest value of one key.
    pub fn last(&self, key: &str) -> Option<f64> {
        self.series.get(key).and_then(|r| r.back()).map(|(_, v)| *v)
    }

    /// Change per second between the last two samples (`None` with fewer
    /// than two, or no time between them). CPU seconds give cores in use.
    pub fn rate(&self, key: &str) -> Option<f64> {
        let r = self.series.get(key)?;
        let n = r.len();
        if n < 2 {
            return None;
        }
        let (t0, v0) = r[n - 2];
        let (t1, v1) = r[n - 1];
        (t1 > t0).then(|| (v1 - v0) / (t1 - t0))
    }

    /// Forget keys not in `keep` (agents or tasks that went away).
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.series.retain(|k, _| keep(k));
    }
}

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The last `width` values as a sparkline scaled between their minimum and
/// maximum (a flat series is all `▁`). Non-finite values are skipped.
pub fn sparkline(values: &[f64], width: usize) -> String {
    let vals: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let start = vals.len().saturating_sub(width);
    let vals = &vals[start..];
    let (min, max) = vals
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    vals.iter()
        .map(|v| {
            if max <= min {
                BARS[0]
            } else {
                let i = ((v - min) / (max - min) * 7.0).round() as usize;
                BARS[i.min(7)]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_is_bounded_and_rates_use_the_last_two() {
        let mut h = History::new(3);
        for (t, v) in [(0.0, 0.0), (1.0, 1.0), (2.0, 3.0), (4.0, 7.0)] {
            h.push("a", t, v);
        }
        assert_eq!(h.values("a"), vec![1.0, 3.0, 7.0]);
        assert_eq!(h.last("a"), Some(7.0));
        assert_eq!(h.rate("a"), Some(2.0));
        assert_eq!(h.rate("b"), None);
        h.retain(|k| k != "a");
        assert!(h.values("a").is_empty());
    }

    #[test]
    fn sparkline_scales_between_min_and_max() {
        assert_eq!(sparkline(&[0.0, 7.0, 3.5], 10), "▁█▅");
        assert_eq!(sparkline(&[1.0, 2.0, 3.0, 4.0], 2), "▁█");
        assert_eq!(sparkline(&[5.0, 5.0], 4), "▁▁");
        assert_eq!(sparkline(&[], 4), "");
    }
}
