//! The pure scheduling logic of `mesos marathon` (docs/marathon.md,
//! "Scheduling rules"): no I/O, no async, no clocks read here — callers
//! pass the time in. The scheduler core calls these functions.
//!
//! * [`validate`]: app validation with Marathon 1.5's paths and messages.
//! * [`constraints`]: attribute values and constraint checks (placement and
//!   scale-down).
//! * [`placement`]: matching an app against an offer ([`placement::match_offer`]).
//! * [`env`]: the task environment; [`taskinfo`]: the Mesos `TaskInfo`;
//!   [`mesos`]: the Mesos protobuf-JSON shapes they write.
//! * [`ports`]: service port assignment.
//! * [`killorder`]: which instances to kill on scale-down.
//! * [`labels`]: the `label=` selector of `GET /v2/apps`.
//! * [`backoff`]: launch backoff per app.
//! * [`rolling`]: rolling restart arithmetic.

pub mod backoff;
pub mod constraints;
pub mod env;
pub mod killorder;
pub mod labels;
pub mod mesos;
pub mod placement;
pub mod ports;
pub mod rolling;
pub mod taskinfo;
pub mod validate;
