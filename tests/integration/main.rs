//! The single integration-test binary; each module covers one area.

mod common;

mod cli;
mod resolve_http;
mod state;
