//! The scheduler's core: the desired state (apps, versions, deployments),
//! the actual state (instances), and the event bus. Knows nothing of HTTP.
//!
//! * [`state`]: the shared data both halves work on, behind [`Marathon`].
//!   The REST side ([`api`] — apps, groups, deployments, queries) changes
//!   the desired state; the driver (`driver` — subscription, offers,
//!   launches, kills, status updates, health, deployment steps) converges
//!   the actual state to it.
//! * [`persist`]: the state in the store (`--work_dir` or ZooKeeper).

pub mod api;
pub mod persist;
pub mod state;

pub use state::*;
