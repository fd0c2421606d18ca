//! `mesos marathon`: a Marathon 1.x-compatible service scheduler (issue 14):
//! a v1 scheduler API framework that keeps apps running and speaks the
//! Marathon 1.5 REST API (docs/marathon.md).
//!
//! * [`core`]: the shared state contract (apps, instances, deployments)
//!   and the [`core::Marathon`] handle.
//! * [`driver`]: the framework side that converges instances to the apps
//!   and deployments (subscription, offers, status updates, health,
//!   deployment steps, reconciliation).
//!
//! Building blocks that know nothing of HTTP or of the app model:
//! [`store`] (persistent state in `--work_dir` or ZooKeeper), [`election`]
//! (leader election among several schedulers, compatible with Marathon's
//! Curator latch) and [`health`] (Marathon-level health checks).

pub mod core;
pub mod driver;
pub mod election;
pub mod health;
pub mod probe;
pub mod store;
