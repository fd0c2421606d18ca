//! The bundled Marathon-compatible service scheduler (`mesos marathon`):
//! a v1 scheduler API framework that keeps apps running and speaks the
//! Marathon 1.5 REST API (docs/marathon.md).
//!
//! * [`core`]: the shared state, the REST-side operations and persistence.
//! * [`store`]: persistent state in `--work_dir` or ZooKeeper.
//! * [`election`]: leader election among several schedulers, compatible
//!   with Marathon's Curator latch.
//! * [`health`], [`probe`]: Marathon-level health checks.

pub mod core;
pub mod election;
pub mod health;
pub mod probe;
pub mod store;
