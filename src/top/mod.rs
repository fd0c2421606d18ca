//! `mesos top`: a live view of the cluster (see docs/metrics.md, "mesos
//! top"). [`model`] is the frame data, [`gather`] builds it from the
//! cluster, [`view`] draws it with ratatui, [`app`] runs the full-screen
//! loop.

pub mod app;
pub mod gather;
pub mod model;
pub mod view;

#[cfg(test)]
mod view_tests;

pub use model::{AgentRow, AgentStatus, Frame, SortBy, TaskRow};
