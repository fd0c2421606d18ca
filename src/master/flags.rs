//! `mesos master` flags: real Mesos names and defaults (docs/mesos-wire.md §8.1).

use crate::daemon::flags::{Kind, Spec};

pub const SPECS: &[Spec] = &[
    Spec::new(
        "ip",
        Kind::String,
        Some("127.0.0.1"),
        "IP address to listen on",
    ),
    Spec::new("port", Kind::Int, Some("5050"), "Port to listen on"),
    Spec::new(
        "advertise_ip",
        Kind::String,
        None,
        "IP address advertised to reach this master",
    ),
    Spec::new(
        "advertise_port",
        Kind::Int,
        None,
        "Port advertised to reach this master",
    ),
    Spec::new(
        "hostname",
        Kind::String,
        None,
        "Hostname advertised (default: the IP)",
    ),
    Spec::new(
        "hostname_lookup",
        Kind::Bool,
        Some("false"),
        "Look up the hostname of the IP (we default to no lookup)",
    ),
    Spec::new(
        "work_dir",
        Kind::String,
        None,
        "Directory for the registry and other state",
    ),
    Spec::new(
        "registry",
        Kind::String,
        Some("replicated_log"),
        "Registry: replicated_log or in_memory",
    ),
    Spec::new(
        "zk",
        Kind::String,
        None,
        "ZooKeeper URL for leader election (zk://host:port/path or file:///path)",
    ),
    Spec::new(
        "zk_session_timeout",
        Kind::Duration,
        Some("10secs"),
        "ZooKeeper session timeout",
    ),
    Spec::new(
        "quorum",
        Kind::Int,
        None,
        "Size of the quorum of masters (required with --zk)",
    ),
    Spec::new(
        "cluster",
        Kind::String,
        None,
        "Human readable name of the cluster",
    ),
    Spec::new(
        "log_dir",
        Kind::String,
        None,
        "Directory for log files (also served as /master/log)",
    ),
    Spec::new(
        "external_log_file",
        Kind::String,
        None,
        "A log file written elsewhere, served as /master/log",
    ),
    Spec::new(
        "logging_level",
        Kind::String,
        Some("INFO"),
        "Lowest level logged: INFO, WARNING or ERROR",
    ),
    Spec::new(
        "offer_timeout",
        Kind::Duration,
        None,
        "Rescind offers not used within this long",
    ),
    Spec::new(
        "allocation_interval",
        Kind::Duration,
        Some("1secs"),
        "Interval between batch allocations",
    ),
    Spec::new(
        "agent_ping_timeout",
        Kind::Duration,
        Some("15secs"),
        "Time without a ping after which an agent ping counts as missed",
    ),
    Spec::new(
        "max_agent_ping_timeouts",
        Kind::Int,
        Some("5"),
        "Missed pings after which an agent is removed",
    ),
    Spec::new(
        "max_completed_frameworks",
        Kind::Int,
        Some("50"),
        "Completed frameworks kept for reporting",
    ),
    Spec::new(
        "max_completed_tasks_per_framework",
        Kind::Int,
        Some("1000"),
        "Completed tasks kept per framework",
    ),
    Spec::new(
        "authenticate_http_readonly",
        Kind::Bool,
        Some("false"),
        "Require credentials on read-only endpoints",
    ),
    Spec::new(
        "authenticate_http_readwrite",
        Kind::Bool,
        Some("false"),
        "Require credentials on read-write endpoints",
    ),
    Spec::new(
        "authenticate_http_frameworks",
        Kind::Bool,
        Some("false"),
        "Require credentials on the scheduler API",
    ),
    Spec::new(
        "credentials",
        Kind::String,
        None,
        "JSON credentials file ({\"credentials\":[{\"principal\",\"secret\"}]})",
    ),
    Spec::new(
        "roles",
        Kind::String,
        None,
        "Deprecated: comma list of roles",
    ),
    Spec::new("weights", Kind::String, None, "role=weight,... for DRF"),
    Spec::new(
        "version",
        Kind::Bool,
        Some("false"),
        "Print the version and exit",
    ),
];
