//! The Marathon 1.x REST API model (Marathon 1.5 shapes): one typed model
//! for the bundled `mesos marathon` scheduler, which writes these bodies,
//! and for the `mesos app` / `mesos deployment` commands, which read them
//! (from our scheduler or a real Marathon). See docs/marathon.md.
//!
//! Rules:
//! * Output carries only keys real Marathon 1.5 emits: clients such as
//!   marathon-python build models with `cls(**json)` and reject any other
//!   key. Empty `args`, `constraints`, `env`, `fetch`, `healthChecks`,
//!   `readinessChecks`, `secrets`, `dependencies` and `labels` are omitted
//!   (Marathon's `omitEmpty`); deprecated inputs (`ports`, `uris`,
//!   `ipAddress`) are read and never written.
//! * Input is lenient as Marathon's reader is: unknown keys are ignored
//!   (clients round-trip `GET` bodies with read-only fields into `PUT`),
//!   `null` reads as absent, numbers may come as strings.
//! * Whole numbers are written without a fraction (`"mem": 128`), as
//!   Marathon writes them.
//!
//! * [`path`]: [`PathId`], app and group ids.
//! * [`app`]: [`AppDefinition`] and its parts, [`AppView`] (an app with
//!   its counts, deployments and tasks).
//! * [`checks`]: health and readiness checks; [`container`]: containers,
//!   volumes, port mappings, networks, residency, secrets.
//! * [`task`]: [`MarathonTask`], health results, the last task failure.
//! * [`deployment`]: deployments, plans and the deployment result body.
//! * [`api`]: groups, `/v2/info`, `/v2/leader`, `/v2/queue`, list wrappers
//!   and error bodies.
//! * [`event`]: the `/v2/events` server-sent events.
//! * [`stats`]: `taskStats` and the queue's unused offers.

pub mod api;
pub mod app;
pub mod checks;
pub mod container;
pub mod deployment;
pub mod event;
pub mod path;
pub mod stats;
pub mod task;
#[cfg(test)]
mod tests;

pub use api::*;
pub use app::*;
pub use checks::*;
pub use container::*;
pub use deployment::*;
pub use event::*;
pub use path::PathId;
pub use stats::*;
pub use task::*;

use serde::Serializer;

/// Write a number as Marathon does: whole numbers without a fraction.
pub fn num<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

/// [`num`] for an optional number (use with `skip_serializing_if`).
pub fn opt_num<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => num(v, s),
        None => s.serialize_none(),
    }
}
