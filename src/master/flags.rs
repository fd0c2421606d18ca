//! `mesos master` flags: real Mesos names and defaults (docs/wire-notes.md#flags).

use std::collections::BTreeMap;

use crate::daemon::flags::{FlagError, Flags, Kind, Spec};

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
        "Registry: replicated_log (persisted in ZooKeeper with --zk, else in --work_dir) or in_memory (nothing persisted)",
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
        "agent_reregister_timeout",
        Kind::Duration,
        Some("10mins"),
        "After a master failover, agents of the registry that have not re-registered within this long are marked unreachable (Mesos refuses less than 10mins; we accept it with a warning)",
    ),
    Spec::new(
        "registry_store_timeout",
        Kind::Duration,
        Some("20secs"),
        "A registry write that has not succeeded within this long aborts the master",
    ),
    Spec::new(
        "registry_fetch_timeout",
        Kind::Duration,
        Some("1mins"),
        "An elected master that cannot read the registry (or, with --zk, see a quorum of masters) within this long aborts",
    ),
    Spec::new(
        "quorum",
        Kind::Int,
        None,
        "Masters that must be contending in ZooKeeper before one recovers the registry and leads; a majority of the masters (required with --zk and --registry=replicated_log)",
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
        "Require HTTP Basic credentials (from --credentials) on the read-only endpoints: /state, /flags, /metrics/snapshot, /files/*, ... (realm mesos-master-readonly)",
    ),
    Spec::new(
        "authenticate_http_readwrite",
        Kind::Bool,
        Some("false"),
        "Require HTTP Basic credentials (from --credentials) on the read-write endpoints: /api/v1, /teardown (realm mesos-master-readwrite)",
    ),
    Spec::new(
        "authenticate_http_frameworks",
        Kind::Bool,
        Some("false"),
        "Require HTTP Basic credentials (from --credentials) on the v1 scheduler API, /api/v1/scheduler (realm mesos-master-scheduler); needs --http_framework_authenticators=basic",
    ),
    Spec::new(
        "authenticate_frameworks",
        Kind::Bool,
        Some("false"),
        "Accepted for compatibility: driver-era (SASL) framework authentication does not exist here; only HTTP authentication applies (see --authenticate_http_frameworks)",
    ),
    Spec::new(
        "authenticate_agents",
        Kind::Bool,
        Some("false"),
        "Only agents presenting a credential from --credentials may register (the agent's --credential); otherwise any agent may register",
    ),
    Spec::new(
        "credentials",
        Kind::String,
        None,
        "Credentials file: JSON {\"credentials\":[{\"principal\":..,\"secret\":..}]} or one 'principal secret' per line (file:// prefix allowed; keep it mode 0600)",
    ),
    Spec::new(
        "http_authenticators",
        Kind::String,
        Some("basic"),
        "HTTP authenticator of the read-only and read-write realms (only 'basic')",
    ),
    Spec::new(
        "http_framework_authenticators",
        Kind::String,
        None,
        "HTTP authenticator of the scheduler realm (only 'basic'); required with --authenticate_http_frameworks",
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
    // -----------------------------------------------------------------
    // The rest of real Mesos 1.11's master flags, with its defaults, so
    // `/master/flags` and GET_FLAGS list what a real master lists. Flags
    // this master cannot honour refuse any value but the default (see
    // `check_supported`); the others are honoured as described.
    Spec::new("help", Kind::Bool, Some("false"), "Print this help and exit"),
    Spec::new("quiet", Kind::Bool, Some("false"), "Log to --log_dir only, not to stderr"),
    Spec::new("logbufsecs", Kind::Int, Some("0"), "Accepted for compatibility: log lines are written as they happen"),
    Spec::new("initialize_driver_logging", Kind::Bool, Some("true"), "Accepted for compatibility (there is no scheduler driver in the master)"),
    Spec::new("root_submissions", Kind::Bool, Some("true"), "Accepted for compatibility: frameworks may run tasks as root (the agent decides whether it can switch user)"),
    Spec::new("registry_strict", Kind::Bool, Some("false"), "Disabled in real Mesos since 1.0: only false is accepted"),
    Spec::new("registry_fetch_timeout", Kind::Duration, Some("1mins"), "How long fetching the registry may take before the operation fails"),
    Spec::new("registry_store_timeout", Kind::Duration, Some("20secs"), "How long storing the registry may take before the operation fails"),
    Spec::new("registry_gc_interval", Kind::Duration, Some("15mins"), "How often the registry is garbage collected"),
    Spec::new("registry_max_agent_age", Kind::Duration, Some("2weeks"), "How long unreachable and gone agents are kept in the registry"),
    Spec::new("registry_max_agent_count", Kind::Int, Some("102400"), "How many unreachable and gone agents are kept in the registry"),
    Spec::new("log_auto_initialize", Kind::Bool, Some("true"), "Accepted for compatibility (there is no replicated log to initialize)"),
    Spec::new("agent_reregister_timeout", Kind::Duration, Some("10mins"), "How long agents have to re-register with a newly elected master (real Mesos requires at least 10mins; this master accepts shorter values, for tests)"),
    Spec::new("recovery_agent_removal_limit", Kind::String, Some("100%"), "Most agents (percentage of those recovered) that may be removed after a failover's re-registration timeout; above it the master exits instead"),
    Spec::new("agent_removal_rate_limit", Kind::String, None, "Accepted for compatibility: agents that fail health checks are removed at once"),
    Spec::new("webui_dir", Kind::String, Some("/usr/local/share/mesos/webui"), "Serve the web UI (at /) from this directory instead of the copy built into the binary; the default (real Mesos' install path) means the built-in copy"),
    Spec::new("whitelist", Kind::String, None, "Not supported: every agent's resources are offered"),
    Spec::new("role_sorter", Kind::String, Some("drf"), "Sorter of roles (only drf)"),
    Spec::new("framework_sorter", Kind::String, Some("drf"), "Sorter of a role's frameworks (only drf)"),
    Spec::new("authentication_v0_timeout", Kind::Duration, Some("15secs"), "Accepted for compatibility (no driver-era authentication)"),
    Spec::new("acls", Kind::String, None, "Not supported: this master has no authorizer"),
    Spec::new("firewall_rules", Kind::String, None, "Not supported: no endpoint can be disabled"),
    Spec::new("rate_limits", Kind::String, None, "Not supported: frameworks are not rate limited"),
    Spec::new("modules", Kind::String, None, "Not supported: this master loads no modules"),
    Spec::new("modules_dir", Kind::String, None, "Not supported: this master loads no modules"),
    Spec::new("authenticators", Kind::String, Some("crammd5"), "Accepted for compatibility (only crammd5; driver-era authentication does not exist here)"),
    Spec::new("allocator", Kind::String, Some("hierarchical"), "Allocator (only hierarchical: DRF across roles, then frameworks)"),
    Spec::new("allocator_agent_recovery_factor", Kind::String, Some("0.8"), "Accepted for compatibility: offers start as soon as agents re-register"),
    Spec::new("allocator_recovery_timeout", Kind::Duration, Some("10mins"), "Accepted for compatibility: offers start as soon as agents re-register"),
    Spec::new("fair_sharing_excluded_resource_names", Kind::String, None, "Accepted for compatibility: DRF shares use cpus, mem, disk and gpus"),
    Spec::new("filter_gpu_resources", Kind::Bool, Some("true"), "Accepted for compatibility"),
    Spec::new("min_allocatable_resources", Kind::String, Some("cpus:0.01|mem:32"), "Accepted for compatibility: any non-empty resources are offered"),
    Spec::new("hooks", Kind::String, None, "Not supported: this master loads no modules"),
    Spec::new("authorizers", Kind::String, Some("local"), "Authorizer (only local, with no ACLs: everything is permitted)"),
    Spec::new("max_operator_event_stream_subscribers", Kind::Int, Some("1000"), "Accepted for compatibility"),
    Spec::new("max_unreachable_tasks_per_framework", Kind::Int, Some("1000"), "Accepted for compatibility (unreachable tasks are not capped)"),
    Spec::new("master_contender", Kind::String, None, "Not supported: this master loads no modules (use --zk)"),
    Spec::new("master_detector", Kind::String, None, "Not supported: this master loads no modules (use --zk)"),
    Spec::new("memory_profiling", Kind::Bool, Some("false"), "Accepted for compatibility (no jemalloc profiling)"),
    Spec::new("ip_discovery_command", Kind::String, None, "Not supported: pass --ip"),
    Spec::new("require_agent_domain", Kind::Bool, Some("false"), "Accepted for compatibility (only false: fault domains are not supported)"),
    Spec::new("publish_per_framework_metrics", Kind::Bool, Some("true"), "Accepted for compatibility"),
    Spec::new("domain", Kind::String, None, "Not supported: fault domains"),
    Spec::new("offer_constraints_re2_max_mem", Kind::Bytes, Some("4KB"), "Accepted for compatibility (offer constraints are not evaluated)"),
    Spec::new("offer_constraints_re2_max_program_size", Kind::Int, Some("100"), "Accepted for compatibility (offer constraints are not evaluated)"),
    Spec::new("json_endpoint_aliases", Kind::Bool, Some("true"), "Serve the legacy `.json` aliases (/master/state.json, /metrics/snapshot.json, ...) that real Mesos removed in 1.7; --no-json_endpoint_aliases answers them 404 as real Mesos 1.7+ does (not a real Mesos flag)"),
];

/// Flags whose only supported value is their default (or, without a
/// default, no value at all): anything else would be silently ignored, so
/// the master refuses to start with one line naming the flag.
const ONLY_DEFAULT: &[(&str, &str)] = &[
    (
        "allocator",
        "this master has only the hierarchical DRF allocator",
    ),
    ("authorizers", "this master has only the local authorizer"),
    (
        "authenticators",
        "driver-era (SASL) authentication does not exist here",
    ),
    ("role_sorter", "this master sorts roles with DRF only"),
    (
        "framework_sorter",
        "this master sorts frameworks with DRF only",
    ),
    ("require_agent_domain", "fault domains are not supported"),
    ("acls", "this master has no authorizer to apply ACLs"),
    ("firewall_rules", "no endpoint can be disabled"),
    ("rate_limits", "frameworks are not rate limited"),
    ("modules", "this master loads no modules"),
    ("modules_dir", "this master loads no modules"),
    ("hooks", "this master loads no modules"),
    (
        "master_contender",
        "this master loads no modules (use --zk)",
    ),
    ("master_detector", "this master loads no modules (use --zk)"),
    ("whitelist", "every agent's resources are offered"),
    ("ip_discovery_command", "pass --ip instead"),
    ("domain", "fault domains are not supported"),
];

/// Refuse values this master cannot honour (exit 1, one line), with real
/// Mesos' own checks where it has them.
pub fn check_supported(flags: &Flags) -> Result<(), FlagError> {
    for (name, why) in ONLY_DEFAULT {
        let default = SPECS
            .iter()
            .find(|s| s.name == *name)
            .and_then(|s| s.default);
        let given = flags.get(name).filter(|v| !v.is_empty());
        if given.is_some() && given != default {
            return Err(FlagError::value(format!(
                "--{name}={} is not supported: {why}",
                given.unwrap_or_default()
            )));
        }
    }
    if flags.bool("registry_strict") {
        return Err(FlagError::value(
            "Support for '--registry_strict' has been disabled and will be removed in a future version of Mesos",
        ));
    }
    if let Some(d) = flags.duration("agent_ping_timeout") {
        if d < std::time::Duration::from_secs(1) || d > std::time::Duration::from_secs(900) {
            return Err(FlagError::value(
                "Expected `--agent_ping_timeout` to be between 1secs and 15mins",
            ));
        }
    }
    if flags.int("max_agent_ping_timeouts") == Some(0) {
        return Err(FlagError::value(
            "Expected `--max_agent_ping_timeouts` to be at least 1",
        ));
    }
    let limit = flags.get("recovery_agent_removal_limit").unwrap_or("100%");
    if percentage(limit).is_none() {
        return Err(FlagError::value(format!(
            "--recovery_agent_removal_limit '{limit}' is not a percentage in [0%-100%]"
        )));
    }
    Ok(())
}

/// A percentage flag (`"40%"`, as `--recovery_agent_removal_limit` takes
/// it) as a fraction in `[0, 1]`; `None` when it is not one.
pub fn percentage(value: &str) -> Option<f64> {
    value
        .strip_suffix('%')
        .and_then(|p| p.trim().parse::<f64>().ok())
        .filter(|p| (0.0..=100.0).contains(p))
        .map(|p| p / 100.0)
}

/// The flags as `/master/flags`, `/master/state` and GET_FLAGS render them:
/// every value a string, and no secret in clear. Real Mesos takes
/// credentials only from files, so it shows paths; the one flag here that
/// can carry a secret inline is `--zk` (`zk://user:password@...`), whose
/// password is replaced by `***`.
pub fn rendered(flags: &Flags) -> BTreeMap<String, String> {
    let mut out = flags.all().clone();
    if let Some(zk) = out.get_mut("zk") {
        *zk = crate::leader::spec::redact_spec(zk);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::daemon::flags::{parse, Parsed};

    fn flags(args: &[&str]) -> Flags {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        match parse("mesos master", SPECS, &args, |_| None) {
            Ok(Parsed::Flags(f)) => f,
            _ => panic!("flags"),
        }
    }

    #[test]
    fn defaults_are_real_mesos_ones_and_given_values_win() {
        let f = rendered(&flags(&[
            "--registry=in_memory",
            "--allocation_interval=50ms",
        ]));
        for (k, v) in [
            ("allocator", "hierarchical"),
            ("authenticators", "crammd5"),
            ("framework_sorter", "drf"),
            ("role_sorter", "drf"),
            ("registry_fetch_timeout", "1mins"),
            ("registry_store_timeout", "20secs"),
            ("registry_max_agent_age", "2weeks"),
            ("registry_max_agent_count", "102400"),
            ("agent_reregister_timeout", "10mins"),
            ("max_unreachable_tasks_per_framework", "1000"),
            ("recovery_agent_removal_limit", "100%"),
            ("min_allocatable_resources", "cpus:0.01|mem:32"),
            ("webui_dir", "/usr/local/share/mesos/webui"),
            ("registry", "in_memory"),
            ("allocation_interval", "50ms"),
        ] {
            assert_eq!(f.get(k).map(String::as_str), Some(v), "{k}");
        }
        assert!(f.len() >= 50, "{} flags", f.len());
    }

    #[test]
    fn zk_passwords_are_not_rendered() {
        let f = rendered(&flags(&[
            "--zk=zk://jdoe:s3cret@127.0.0.1:2181/mesos",
            "--credentials=/etc/mesos/creds",
        ]));
        assert!(!f["zk"].contains("s3cret"), "{}", f["zk"]);
        assert!(f["zk"].contains("127.0.0.1:2181/mesos"));
        assert_eq!(f["credentials"], "/etc/mesos/creds");
    }

    #[test]
    fn unsupported_values_are_refused_by_name() {
        assert!(check_supported(&flags(&[])).is_ok());
        assert!(check_supported(&flags(&["--allocator=hierarchical"])).is_ok());
        let e = check_supported(&flags(&["--allocator=Random"])).unwrap_err();
        assert!(
            e.message.starts_with("--allocator=Random is not supported"),
            "{e}"
        );
        let e = check_supported(&flags(&["--acls={}"])).unwrap_err();
        assert!(e.message.contains("--acls"), "{e}");
        let e = check_supported(&flags(&["--registry_strict"])).unwrap_err();
        assert!(e.message.contains("registry_strict"), "{e}");
        let e = check_supported(&flags(&["--agent_ping_timeout=100ms"])).unwrap_err();
        assert!(e.message.contains("agent_ping_timeout"), "{e}");
        let e = check_supported(&flags(&["--recovery_agent_removal_limit=150%"])).unwrap_err();
        assert!(e.message.contains("recovery_agent_removal_limit"), "{e}");
        assert_eq!(e.exit_code(), 1);
    }
}
