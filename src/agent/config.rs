//! The agent's startup configuration: [`Config`] built from the flags by
//! [`configure`], and the constants of the agent's identity on the wire.
//! Depends on nothing else in the agent but `flags` and `sysres`.

use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::time::Duration;

use super::sysres;
use crate::daemon::flags::{FlagError, Flags};
use crate::daemon::log::Level;
use crate::resources::{Attribute, Resources};

/// The Mesos version the agent speaks on the wire.
pub const MESOS_VERSION: &str = "1.11.0";
/// Main libprocess process id of an agent.
pub const PROCESS_ID: &str = "slave(1)";
/// Hidden mode: run one task as its command executor (see `executor`).
pub const INTERNAL_RUN_TASK: &str = "--internal-run-task";
/// Hidden mode: run the default executor (the `default_executor` module).
pub const INTERNAL_DEFAULT_EXECUTOR: &str = "--internal-default-executor";

/// The CommandInfo the agent launches a DEFAULT executor with: this binary
/// (`self_exe`) with [`INTERNAL_DEFAULT_EXECUTOR`], not a shell.
pub fn default_executor_command(self_exe: &std::path::Path) -> crate::wire::agent_v1::CommandInfo {
    crate::wire::agent_v1::CommandInfo {
        shell: Some(false),
        value: Some(self_exe.display().to_string()),
        arguments: vec![
            self_exe.display().to_string(),
            "agent".into(),
            INTERNAL_DEFAULT_EXECUTOR.into(),
        ],
        ..Default::default()
    }
}

/// Everything decided at startup.
#[derive(Clone, Debug)]
pub struct Config {
    pub flags: Flags,
    /// `--master` as given.
    pub master: String,
    /// Address to bind.
    pub ip: Ipv4Addr,
    /// Port actually bound (after `--port=0`).
    pub port: u16,
    /// Address announced to the master and in `pid`.
    pub advertise_ip: String,
    pub advertise_port: u16,
    pub hostname: String,
    /// Absolute work directory.
    pub work_dir: PathBuf,
    pub resources: Resources,
    pub attributes: Vec<Attribute>,
    pub default_role: String,
    pub executor_shutdown_grace_period: Duration,
    pub registration_backoff_factor: Duration,
    /// The agent's own log file (`--log_dir`).
    pub log_file: Option<PathBuf>,
    /// Base environment for executors (`--executor_environment_variables`).
    pub executor_env: Option<Vec<(String, String)>>,
    /// `--credential`: presented when registering.
    pub credential: Option<crate::daemon::auth::AgentCredential>,
    /// `--authenticate_http_executors`: the key executor tokens are signed
    /// with (`--jwt_secret_key`).
    pub executor_key: Option<crate::daemon::jwt::Key>,
}

impl Config {
    /// `slave(1)@ip:port`
    pub fn pid(&self) -> String {
        format!("{PROCESS_ID}@{}:{}", self.advertise_ip, self.advertise_port)
    }
    /// `ip:port` executors use to reach the agent.
    pub fn endpoint(&self) -> String {
        format!("{}:{}", self.advertise_ip, self.advertise_port)
    }
}

/// Validate flags and build the configuration: errors are one line naming
/// the flag; a bad value exits 1, a missing required flag 2.
pub fn configure(mut flags: Flags) -> Result<Config, FlagError> {
    let master = flags.string("master").ok_or_else(|| {
        FlagError::usage("missing required flag --master (host:port, master@host:port, zk://host:2181/mesos or file:///path)")
    })?;
    crate::daemon::startup::check_master_location(
        "--master",
        &master,
        crate::daemon::startup::Ports::Required,
    )?;
    let work_dir = flags.string("work_dir").ok_or_else(|| {
        FlagError::usage("missing required flag --work_dir (e.g. --work_dir=/var/lib/mesos/agent)")
    })?;
    let mut work_dir = PathBuf::from(work_dir);
    if work_dir.is_relative() {
        work_dir = std::env::current_dir()
            .map_err(|e| format!("cannot resolve --work_dir: {e}"))?
            .join(work_dir);
    }
    let ip_s = flags.string("ip").unwrap_or_else(|| "127.0.0.1".into());
    let ip: Ipv4Addr = ip_s
        .parse()
        .map_err(|_| format!("--ip '{ip_s}' is not an IPv4 address"))?;
    let port = flags.int("port").unwrap_or(5051);
    if !(0..=65535).contains(&port) {
        return Err(format!("--port {port} is out of range (0-65535)").into());
    }
    let advertise_ip = match flags.string("advertise_ip") {
        Some(a) => {
            a.parse::<Ipv4Addr>()
                .map_err(|_| format!("--advertise_ip '{a}' is not an IPv4 address"))?;
            a
        }
        None if ip.is_unspecified() => "127.0.0.1".to_string(),
        None => ip.to_string(),
    };
    let advertise_port = match flags.int("advertise_port") {
        Some(p) if (1..=65535).contains(&p) => Some(p as u16),
        Some(p) => return Err(format!("--advertise_port {p} is out of range (1-65535)").into()),
        None => None,
    };
    Level::parse(flags.get("logging_level").unwrap_or("INFO"))?;
    let recover = flags
        .string("recover")
        .unwrap_or_else(|| "reconnect".into());
    if recover != "reconnect" && recover != "cleanup" {
        return Err(format!("--recover '{recover}' is not one of 'reconnect' or 'cleanup'").into());
    }
    for c in flags
        .string("containerizers")
        .unwrap_or_default()
        .split(',')
    {
        if !c.trim().is_empty() && c.trim() != "mesos" {
            return Err(format!(
                "--containerizers: '{}' is not supported by this agent (only 'mesos')",
                c.trim()
            )
            .into());
        }
    }
    let launcher = flags.string("launcher").unwrap_or_else(|| "posix".into());
    if launcher != "posix" && launcher != "linux" {
        return Err(format!("--launcher '{launcher}' is not one of 'posix' or 'linux'").into());
    }
    let default_role = flags.string("default_role").unwrap_or_else(|| "*".into());
    if default_role.contains(['/', ' ']) && default_role != "*" {
        return Err(format!("--default_role '{default_role}' is not a valid role name").into());
    }
    let mut resources = match flags.string("resources") {
        Some(text) => parse_resources_flag(&text, &default_role)?,
        None => Resources::new(),
    };
    let given: Vec<String> = resources.iter().map(|r| r.name.clone()).collect();
    sysres::fill_defaults(&mut resources, &given, &work_dir, &default_role);
    let attributes = match flags.string("attributes") {
        Some(t) => {
            crate::resources::parse_attributes(&t).map_err(|e| format!("--attributes: {e}"))?
        }
        None => Vec::new(),
    };
    let hostname = match flags.string("hostname") {
        Some(h) => h,
        None => advertise_ip.clone(),
    };
    let grace = flags
        .duration("executor_shutdown_grace_period")
        .unwrap_or(Duration::from_secs(5));
    let backoff = flags
        .duration("registration_backoff_factor")
        .unwrap_or(Duration::from_secs(1));
    let executor_env = match flags.string("executor_environment_variables") {
        Some(text) => {
            let vars: std::collections::BTreeMap<String, String> = serde_json::from_str(&text)
                .map_err(|e| {
                    format!(
                        "--executor_environment_variables must be a JSON object of strings: {e}"
                    )
                })?;
            Some(vars.into_iter().collect())
        }
        None => None,
    };
    let credential = match flags.string("credential") {
        Some(path) => Some(
            crate::daemon::auth::AgentCredential::load(&path)
                .map_err(|e| format!("--credential: {e}"))?,
        ),
        None => None,
    };
    let executor_key = crate::daemon::auth::executor_key(&flags)?;
    flags.set("ip", ip.to_string());
    flags.set("work_dir", work_dir.to_string_lossy());
    Ok(Config {
        executor_key,
        master,
        ip,
        port: port as u16,
        advertise_ip,
        advertise_port: advertise_port.unwrap_or(port as u16),
        hostname,
        work_dir,
        resources,
        attributes,
        default_role,
        executor_shutdown_grace_period: grace,
        registration_backoff_factor: backoff,
        log_file: None,
        executor_env,
        credential,
        flags,
    })
}

/// `--resources`: text, a JSON array, or `file:///path` holding either.
pub fn parse_resources_flag(text: &str, default_role: &str) -> Result<Resources, String> {
    let body = if let Some(path) = text.trim().strip_prefix("file://") {
        std::fs::read_to_string(path)
            .map_err(|e| format!("--resources: cannot read '{path}': {e}"))?
    } else {
        text.to_string()
    };
    let t = body.trim();
    if t.starts_with('[') && t.contains('{') {
        let list: Vec<crate::wire::Resource> =
            serde_json::from_str(t).map_err(|e| format!("--resources: invalid JSON: {e}"))?;
        return Resources::from_wire(&list).map_err(|e| format!("--resources: {e}"));
    }
    Resources::parse(t, default_role).map_err(|e| format!("--resources: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_flag_text_json_and_errors() {
        let r = parse_resources_flag("cpus:2;mem:512;ports(web):[8000-8010]", "*").unwrap();
        assert_eq!(r.scalar("cpus"), 2.0);
        assert_eq!(r.allocatable_to("web").ranges("ports"), vec![(8000, 8010)]);
        let j = r#"[{"name":"cpus","type":"SCALAR","scalar":{"value":1.5}}]"#;
        assert_eq!(parse_resources_flag(j, "*").unwrap().scalar("cpus"), 1.5);
        let e = parse_resources_flag("cpus:2;mem:lots", "*").unwrap_err();
        assert!(e.starts_with("--resources: resource 'mem'"), "{e}");
        let e = parse_resources_flag("[{\"name\":", "*").unwrap_err();
        assert!(e.contains("JSON") || e.contains("resource"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("r.json");
        std::fs::write(&f, j).unwrap();
        let r = parse_resources_flag(&format!("file://{}", f.display()), "*").unwrap();
        assert_eq!(r.scalar("cpus"), 1.5);
    }
}
