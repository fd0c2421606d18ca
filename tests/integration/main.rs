//! The single integration-test binary; each module covers one area.

mod common;

mod agent;
mod agent_recovery;
mod cli;
mod resolve_http;
mod resolve_zk;
mod state;
mod config;
mod wire_fixtures;
mod cluster_e2e;
mod master_endpoints;
mod master_zk;
mod inspect_fixtures;
mod inspect_live;
mod execute;
mod cluster_local;
mod cluster_ssh;
mod tls;
mod ssh;
