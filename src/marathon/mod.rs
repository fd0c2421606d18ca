//! The bundled Marathon-compatible service scheduler (`mesos marathon`):
//! a v1 scheduler API framework that keeps apps running and speaks the
//! Marathon 1.5 REST API (docs/marathon.md).

pub mod core;
