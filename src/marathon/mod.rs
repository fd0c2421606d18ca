//! `mesos marathon`: the bundled Marathon 1.x-compatible service scheduler
//! (issue 14): a v1 scheduler API framework that keeps apps running and
//! speaks the Marathon 1.5 REST API (docs/marathon.md).
//!
//! * [`main`]: the `mesos marathon` process ([`flags`]: its flags);
//!   [`http`]: the REST API handlers.
//! * [`core`]: the desired and actual state, the operations behind the
//!   REST calls, persistence. Knows nothing of HTTP.
//! * [`driver`]: the framework side that converges instances to the apps
//!   and deployments (subscription, offers, status updates, health,
//!   deployment steps, reconciliation).
//! * Building blocks that know nothing of HTTP or of the app model:
//!   [`store`] (persistent state in `--work_dir` or ZooKeeper), [`election`]
//!   (leader election among several schedulers, compatible with Marathon's
//!   Curator latch) and [`health`] (Marathon-level health checks).
//! * The pure scheduling logic ("Scheduling rules" in docs/marathon.md): no
//!   I/O, no async, no clocks read — callers pass the time in:
//!   [`validate`] (app validation with Marathon 1.5's paths and messages),
//!   [`constraints`], [`placement`] (matching an app against an offer),
//!   [`env`] / [`taskinfo`] / [`mesos`] (the task environment and the Mesos
//!   `TaskInfo`), [`ports`] (service port assignment), [`killorder`],
//!   [`labels`] (the `label=` selector of `GET /v2/apps`), [`backoff`],
//!   [`rolling`] (rolling restart arithmetic).

pub mod backoff;
pub mod constraints;
pub mod core;
pub mod cosmos;
pub mod driver;
pub mod election;
pub mod env;
pub mod flags;
pub mod health;
pub mod http;
pub mod killorder;
pub mod labels;
pub mod main;
pub mod mesos;
pub mod placement;
pub mod ports;
pub mod probe;
pub mod rolling;
pub mod store;
pub mod taskinfo;
pub mod validate;

pub use main::main;
