//! Typed, lenient serde models of what real Mesos sends.
//!
//! Rules (see docs/mesos-wire.md §11): unknown fields are ignored, every field
//! that real masters omit in some version is optional, counts and times are
//! `f64` (real Mesos writes `1.0`), both `slaves` and `agents` spellings parse.

pub mod master_info;

pub use master_info::{Address, MasterInfo};
