//! The master's flags as typed values, checked once at start-up: a bad value
//! is one line naming the flag (exit 1), a missing required flag a usage
//! error (exit 2). The daemon keeps `Flags` for `/flags`; what it needs to
//! start comes from here, so nothing falls back silently on a bad value.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::daemon::flags::{FlagError, Flags};
use crate::daemon::log::Level;
use crate::daemon::startup::{check_master_location, parse_weights, Ports};

/// Where the registry lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Registry {
    ReplicatedLog,
    InMemory,
}

/// Everything the master decides from its flags at start-up.
#[derive(Clone, Debug)]
pub struct MasterConfig {
    pub ip: Ipv4Addr,
    pub port: u16,
    pub advertise_ip: Option<Ipv4Addr>,
    pub advertise_port: Option<u16>,
    pub logging_level: Level,
    pub registry: Registry,
    /// `--zk` (zk:// or file://), parsed and resolved.
    pub zk: Option<String>,
    pub quorum: Option<u32>,
    /// `--weights`, role -> positive weight.
    pub weights: BTreeMap<String, f64>,
    /// `--roles` (deprecated whitelist).
    pub roles: Vec<String>,
    pub max_completed_frameworks: usize,
    pub max_completed_tasks_per_framework: usize,
    pub max_agent_ping_timeouts: u32,
}

fn ipv4(flag: &str, value: &str) -> Result<Ipv4Addr, FlagError> {
    value
        .parse()
        .map_err(|_| FlagError::value(format!("--{flag} '{value}' is not an IPv4 address")))
}

fn count(flags: &Flags, name: &str, default: i64) -> Result<u64, FlagError> {
    let v = flags.int(name).unwrap_or(default);
    u64::try_from(v)
        .map_err(|_| FlagError::value(format!("--{name} must not be negative, not {v}")))
}

fn role_ok(r: &str) -> bool {
    !(r.is_empty() || r.contains(['/', ' ', '\t']) || r == "." || r == "..")
}

/// Check and type every flag value.
pub fn configure(flags: &Flags) -> Result<MasterConfig, FlagError> {
    super::flags::check_supported(flags)?;
    let ip = ipv4("ip", flags.get("ip").unwrap_or("127.0.0.1"))?;
    let advertise_ip = match flags.string("advertise_ip") {
        Some(a) => Some(ipv4("advertise_ip", &a)?),
        None => None,
    };
    let port = flags.int("port").unwrap_or(5050);
    let port = u16::try_from(port)
        .map_err(|_| FlagError::value(format!("--port {port} is out of range (0-65535)")))?;
    let advertise_port = match flags.int("advertise_port") {
        Some(p) if (1..=65535).contains(&p) => Some(p as u16),
        Some(p) => {
            return Err(FlagError::value(format!(
                "--advertise_port {p} is out of range (1-65535)"
            )))
        }
        None => None,
    };
    let logging_level = Level::parse(flags.get("logging_level").unwrap_or("INFO"))?;
    let weights = match flags.string("weights") {
        Some(w) => parse_weights(&w)?,
        None => BTreeMap::new(),
    };
    let mut roles = Vec::new();
    for r in flags.string("roles").unwrap_or_default().split(',') {
        let r = r.trim();
        if r.is_empty() {
            continue;
        }
        if !role_ok(r) {
            return Err(FlagError::value(format!(
                "--roles: '{r}' is not a valid role name"
            )));
        }
        roles.push(r.to_string());
    }
    let registry = match flags.get("registry").unwrap_or("replicated_log") {
        "replicated_log" => Registry::ReplicatedLog,
        "in_memory" => Registry::InMemory,
        other => {
            return Err(FlagError::value(format!(
                "--registry must be replicated_log or in_memory, not '{other}'"
            )))
        }
    };
    if registry == Registry::ReplicatedLog && flags.string("work_dir").is_none() {
        return Err(FlagError::usage(
            "--work_dir is required (or pass --registry=in_memory)",
        ));
    }
    let quorum = match flags.int("quorum") {
        Some(q) if q >= 1 => Some(
            u32::try_from(q)
                .map_err(|_| FlagError::value(format!("--quorum {q} is out of range")))?,
        ),
        Some(q) => {
            return Err(FlagError::value(format!(
                "--quorum must be at least 1, not {q}"
            )))
        }
        None => None,
    };
    let zk = flags.string("zk");
    if let Some(zk) = &zk {
        let lower = zk.trim().to_ascii_lowercase();
        if !lower.starts_with("zk://") && !lower.starts_with("file://") {
            return Err(FlagError::value(format!(
                "--zk '{zk}' is not a ZooKeeper URL (zk://host:port/path or file:///path)"
            )));
        }
        check_master_location("--zk", zk, Ports::Optional)?;
        if registry == Registry::ReplicatedLog && quorum.is_none() {
            return Err(FlagError::usage(
                "--quorum is required with --zk (majority of the masters)",
            ));
        }
    }
    for name in [
        "agent_reregister_timeout",
        "registry_store_timeout",
        "registry_fetch_timeout",
    ] {
        if flags.duration(name).is_some_and(|d| d.is_zero()) {
            return Err(FlagError::value(format!("--{name} must be positive")));
        }
    }
    let max_agent_ping_timeouts = count(flags, "max_agent_ping_timeouts", 5)?;
    Ok(MasterConfig {
        ip,
        port,
        advertise_ip,
        advertise_port,
        logging_level,
        registry,
        zk,
        quorum,
        weights,
        roles,
        max_completed_frameworks: count(flags, "max_completed_frameworks", 50)? as usize,
        max_completed_tasks_per_framework: count(flags, "max_completed_tasks_per_framework", 1000)?
            as usize,
        max_agent_ping_timeouts: u32::try_from(max_agent_ping_timeouts).map_err(|_| {
            FlagError::value("--max_agent_ping_timeouts is out of range".to_string())
        })?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::daemon::flags::{parse, Parsed};

    fn cfg(args: &[&str]) -> Result<MasterConfig, FlagError> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let Ok(Parsed::Flags(f)) =
            parse("mesos master", super::super::flags::SPECS, &args, |_| None)
        else {
            panic!("flags");
        };
        configure(&f)
    }

    #[test]
    fn typed_values() {
        let c = cfg(&[
            "--registry=in_memory",
            "--port=6000",
            "--weights=a=2,b=0.5",
            "--roles=a,b",
        ])
        .unwrap();
        assert_eq!(c.port, 6000);
        assert_eq!(c.ip, Ipv4Addr::LOCALHOST);
        assert_eq!(c.registry, Registry::InMemory);
        assert_eq!(c.weights["b"], 0.5);
        assert_eq!(c.roles, ["a", "b"]);
        assert_eq!(c.max_completed_frameworks, 50);
    }

    #[test]
    fn bad_values_and_usage_errors() {
        let e = cfg(&["--registry=in_memory", "--ip=host"]).unwrap_err();
        assert_eq!(
            (e.message.as_str(), e.exit_code()),
            ("--ip 'host' is not an IPv4 address", 1)
        );
        let e = cfg(&["--registry=in_memory", "--advertise_port=0"]).unwrap_err();
        assert!(e.message.contains("--advertise_port 0"), "{e}");
        let e = cfg(&["--registry=in_memory", "--max_completed_frameworks=-1"]).unwrap_err();
        assert!(e.message.contains("must not be negative"), "{e}");
        let e = cfg(&["--registry=in_memory", "--roles=a/b"]).unwrap_err();
        assert!(e.message.contains("--roles"), "{e}");
        let e = cfg(&["--registry=in_memory", "--logging_level=LOUD"]).unwrap_err();
        assert!(e.message.contains("--logging_level"), "{e}");
        let e = cfg(&[]).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        let e = cfg(&["--work_dir=/tmp/x", "--zk=zk://127.0.0.1:2181/mesos"]).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
    }

    #[test]
    fn registry_flags() {
        let zk = "--zk=zk://127.0.0.1:2181/mesos";
        let e = cfg(&["--work_dir=/tmp/x", zk, "--quorum=0"]).unwrap_err();
        assert_eq!(
            (e.message.as_str(), e.exit_code()),
            ("--quorum must be at least 1, not 0", 1)
        );
        let c = cfg(&["--work_dir=/tmp/x", zk, "--quorum=2"]).unwrap();
        assert_eq!((c.quorum, c.registry), (Some(2), Registry::ReplicatedLog));
        // No quorum needed when nothing is persisted.
        assert!(cfg(&["--registry=in_memory", zk]).is_ok());
        for f in [
            "--agent_reregister_timeout=0secs",
            "--registry_store_timeout=0secs",
            "--registry_fetch_timeout=0secs",
        ] {
            let e = cfg(&["--registry=in_memory", f]).unwrap_err();
            assert!(e.message.ends_with("must be positive"), "{f}: {e}");
            assert_eq!(e.exit_code(), 1);
        }
        assert!(cfg(&["--registry=in_memory", "--agent_reregister_timeout=5secs"]).is_ok());
    }
}
