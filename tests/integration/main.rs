//! The single integration-test binary; each module covers one area.

mod common;

mod agent;
mod agent_recovery;
mod auth;
mod cli;
mod cluster_e2e;
mod cluster_local;
mod cluster_secure;
mod cluster_ssh;
mod config;
mod daemon_tls;
mod execute;
mod inspect_fixtures;
mod inspect_live;
mod marathon_api;
mod marathon_driver;
mod master_endpoints;
mod master_fidelity;
mod master_router;
mod master_zk;
mod polish;
mod registry;
mod repo_standalone;
mod resolve_http;
mod resolve_zk;
mod security_ids;
mod security_internal;
mod ssh;
mod state;
mod state_load;
mod tls;
mod tty;
mod wire_fixtures;
