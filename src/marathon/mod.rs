//! `mesos marathon`: a Marathon 1.x-compatible service scheduler (issue 14).
//!
//! Building blocks that know nothing of HTTP or of the app model:
//! [`store`] (persistent state in `--work_dir` or ZooKeeper), [`election`]
//! (leader election among several schedulers, compatible with Marathon's
//! Curator latch) and [`health`] (Marathon-level health checks).

pub mod election;
pub mod health;
pub mod probe;
pub mod store;
