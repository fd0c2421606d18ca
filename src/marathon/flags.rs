//! The flags of `mesos marathon`: Marathon's own names, each also read from
//! `MARATHON_<FLAG>` (command line > environment > default).

use crate::daemon::flags::{Flags, Kind, Spec};
use crate::wire::marathon::{HttpConfig, MarathonConfig, ZookeeperConfig};

pub const SPECS: &[Spec] = &[
    Spec::new("master", Kind::String, None, "The Mesos master: host:port, a comma-separated list of host:port, or zk://host:port[,host:port]/path (required)"),
    Spec::new("http_address", Kind::String, Some("0.0.0.0"), "The address the REST API listens on"),
    Spec::new("http_port", Kind::Int, Some("8080"), "The port of the REST API"),
    Spec::new("https_port", Kind::Int, Some("8443"), "The HTTPS port reported in /v2/info (TLS is served on --http_port when LIBPROCESS_SSL_ENABLED=true, as the daemons do)"),
    Spec::new("hostname", Kind::String, None, "The host name advertised to Mesos and to other instances (default: this host's name)"),
    Spec::new("zk", Kind::String, None, "ZooKeeper URL for state and leader election: zk://[user:pass@]host:port[,host:port]/path (e.g. zk://zk1:2181/marathon); without it the state lives in --work_dir and this instance always leads"),
    Spec::new("work_dir", Kind::String, None, "Directory of the persistent state when --zk is not given"),
    Spec::new("disable_ha", Kind::Bool, Some("false"), "Do not take part in leader election (always lead)"),
    Spec::new("framework_name", Kind::String, Some("marathon"), "The framework name registered with Mesos"),
    Spec::new("mesos_role", Kind::String, None, "The Mesos role of the framework (default: *)"),
    Spec::new("mesos_user", Kind::String, None, "The user tasks run as by default (default: the user running the scheduler)"),
    Spec::new("failover_timeout", Kind::Int, Some("604800"), "Seconds Mesos keeps the framework's tasks after the scheduler disconnects"),
    Spec::new("checkpoint", Kind::Bool, Some("true"), "Ask agents to checkpoint the framework's tasks"),
    Spec::new("webui_url", Kind::String, None, "The URL registered as the framework's web UI (default: http(s)://<hostname>:<http_port>)"),
    Spec::new("mesos_authentication_principal", Kind::String, None, "Principal the framework authenticates to the master with"),
    Spec::new("mesos_authentication_secret_file", Kind::String, None, "File holding the secret of --mesos_authentication_principal"),
    Spec::new("local_port_min", Kind::Int, Some("10000"), "Lowest service port assigned to apps"),
    Spec::new("local_port_max", Kind::Int, Some("20000"), "Highest service port assigned to apps"),
    Spec::new("max_instances_per_offer", Kind::Int, Some("5"), "Most instances launched from one offer"),
    Spec::new("decline_offer_duration", Kind::Int, Some("120000"), "Milliseconds unused offers are declined for"),
    Spec::new("reconciliation_interval", Kind::Int, Some("600000"), "Milliseconds between task reconciliations"),
    Spec::new("task_launch_timeout", Kind::Int, Some("300000"), "Milliseconds a task may take to reach TASK_RUNNING before it is killed"),
    Spec::new("zk_max_versions", Kind::Int, Some("50"), "Stored versions kept per app"),
    Spec::new("env_vars_prefix", Kind::String, None, "Prefix of the PORT*/HOST variables in the task environment"),
    Spec::new("http_credentials", Kind::String, None, "File of credentials (JSON {\"credentials\":[{\"principal\",\"secret\"}]} or 'principal secret' lines); when given, the REST API (but /ping) needs HTTP Basic authentication"),
    Spec::new("logging_level", Kind::String, Some("INFO"), "INFO, WARNING or ERROR"),
    Spec::new("log_dir", Kind::String, None, "Directory of the log file (mesos-marathon.log); stderr only when unset"),
    Spec::new("quiet", Kind::Bool, Some("false"), "Log to --log_dir only, not to stderr"),
    Spec::new("version", Kind::Bool, Some("false"), "Print the version and exit"),
];

/// The settings taken from the flags (the driver gets the Mesos-side ones).
#[derive(Clone, Debug)]
pub struct Options {
    pub master: String,
    pub http_address: String,
    pub http_port: u16,
    pub https_port: u16,
    pub hostname: String,
    pub zk: Option<String>,
    pub work_dir: Option<String>,
    pub disable_ha: bool,
    pub framework_name: String,
    pub mesos_role: Option<String>,
    pub mesos_user: Option<String>,
    pub failover_timeout_secs: u64,
    pub checkpoint: bool,
    pub webui_url: Option<String>,
    pub principal: Option<String>,
    pub secret_file: Option<String>,
    pub local_port_min: u32,
    pub local_port_max: u32,
    pub max_instances_per_offer: u64,
    pub decline_offer_duration_ms: u64,
    pub reconciliation_interval_ms: u64,
    pub task_launch_timeout_ms: u64,
    pub zk_max_versions: usize,
    pub env_vars_prefix: Option<String>,
}

fn port(flags: &Flags, name: &str) -> Result<u16, String> {
    let v = flags.int(name).unwrap_or(0);
    u16::try_from(v)
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| format!("flag --{name}: {v} is not a port (1-65535)"))
}

fn non_negative(flags: &Flags, name: &str) -> Result<u64, String> {
    let v = flags.int(name).unwrap_or(0);
    u64::try_from(v).map_err(|_| format!("flag --{name}: {v} must not be negative"))
}

impl Options {
    /// Check the flags; errors are one line naming the flag.
    pub fn from_flags(flags: &Flags) -> Result<Options, String> {
        let master = flags
            .string("master")
            .ok_or("flag --master is required (host:port, a list, or zk://host:port/path)")?;
        crate::daemon::startup::check_master_location(
            "master",
            &master,
            crate::daemon::startup::Ports::Required,
        )
        .map_err(|e| e.to_string())?;
        let zk = flags.string("zk");
        if let Some(z) = &zk {
            if !z.starts_with("zk://") {
                return Err(format!(
                    "flag --zk: '{}' is not a zk://host:port/path URL",
                    crate::leader::spec::redacted_zk(z)
                ));
            }
        }
        let work_dir = flags.string("work_dir");
        if zk.is_none() && work_dir.is_none() {
            return Err(
                "flag --work_dir is required when --zk is not given (the state is kept there)"
                    .into(),
            );
        }
        let local_port_min = port(flags, "local_port_min")? as u32;
        let local_port_max = port(flags, "local_port_max")? as u32;
        if local_port_min > local_port_max {
            return Err(format!(
                "flags --local_port_min={local_port_min} and --local_port_max={local_port_max}: the minimum is above the maximum"
            ));
        }
        let hostname = match flags.string("hostname") {
            Some(h) => h,
            None => local_hostname(),
        };
        Ok(Options {
            master,
            http_address: flags
                .string("http_address")
                .unwrap_or_else(|| "0.0.0.0".into()),
            http_port: port(flags, "http_port")?,
            https_port: port(flags, "https_port")?,
            hostname,
            zk,
            work_dir,
            disable_ha: flags.bool("disable_ha"),
            framework_name: flags
                .string("framework_name")
                .unwrap_or_else(|| "marathon".into()),
            mesos_role: flags.string("mesos_role"),
            mesos_user: flags.string("mesos_user"),
            failover_timeout_secs: non_negative(flags, "failover_timeout")?,
            checkpoint: flags.bool("checkpoint"),
            webui_url: flags.string("webui_url"),
            principal: flags.string("mesos_authentication_principal"),
            secret_file: flags.string("mesos_authentication_secret_file"),
            local_port_min,
            local_port_max,
            max_instances_per_offer: non_negative(flags, "max_instances_per_offer")?,
            decline_offer_duration_ms: non_negative(flags, "decline_offer_duration")?,
            reconciliation_interval_ms: non_negative(flags, "reconciliation_interval")?,
            task_launch_timeout_ms: non_negative(flags, "task_launch_timeout")?,
            zk_max_versions: non_negative(flags, "zk_max_versions")?.max(1) as usize,
            env_vars_prefix: flags.string("env_vars_prefix"),
        })
    }

    /// `host:port` of this instance (its election id and `leader` value).
    pub fn me(&self) -> String {
        format!("{}:{}", self.hostname, self.http_port)
    }

    /// The framework's web UI URL: `--webui_url`, else our API URL.
    pub fn webui_url(&self, scheme: &str) -> String {
        self.webui_url
            .clone()
            .unwrap_or_else(|| format!("{scheme}://{}", self.me()))
    }

    /// The static parts of `/v2/info`.
    pub fn info(&self, scheme: &str) -> (MarathonConfig, ZookeeperConfig, HttpConfig) {
        let m = MarathonConfig {
            access_control_allow_origin: None,
            checkpoint: self.checkpoint,
            decline_offer_duration: self.decline_offer_duration_ms,
            default_network_name: None,
            env_vars_prefix: self.env_vars_prefix.clone(),
            executor: "//cmd".into(),
            failover_timeout: self.failover_timeout_secs,
            features: Vec::new(),
            framework_name: self.framework_name.clone(),
            ha: !self.disable_ha && self.zk.is_some(),
            hostname: self.hostname.clone(),
            launch_token: 100,
            launch_token_refresh_interval: 30000,
            leader_proxy_connection_timeout_ms: 5000,
            leader_proxy_read_timeout_ms: 10000,
            local_port_max: self.local_port_max,
            local_port_min: self.local_port_min,
            master: crate::leader::spec::redact_spec(&self.master),
            max_instances_per_offer: self.max_instances_per_offer,
            mesos_bridge_name: "mesos-bridge".into(),
            mesos_heartbeat_failure_threshold: 5,
            mesos_heartbeat_interval: 15000,
            mesos_leader_ui_url: None,
            mesos_role: self.mesos_role.clone(),
            mesos_user: self.mesos_user.clone(),
            min_revive_offers_interval: 5000,
            offer_matching_timeout: 3000,
            on_elected_prepare_timeout: 180000,
            reconciliation_initial_delay: 15000,
            reconciliation_interval: self.reconciliation_interval_ms,
            revive_offers_for_new_apps: true,
            revive_offers_repetitions: 3,
            scale_apps_initial_delay: 15000,
            scale_apps_interval: 300000,
            store_cache: true,
            task_launch_confirm_timeout: 300000,
            task_launch_timeout: self.task_launch_timeout_ms,
            task_lost_expunge_initial_delay: 300000,
            task_lost_expunge_interval: 30000,
            task_reservation_timeout: 20000,
            webui_url: Some(self.webui_url(scheme)),
        };
        let z = ZookeeperConfig {
            zk: self.zk.as_deref().map(crate::leader::spec::redacted_zk),
            zk_compression: true,
            zk_compression_threshold: 65536,
            zk_connection_timeout: 10000,
            zk_max_node_size: 1024000,
            zk_max_versions: self.zk_max_versions as u64,
            zk_session_timeout: 10000,
            zk_timeout: 10000,
        };
        let h = HttpConfig {
            http_port: Some(self.http_port),
            https_port: Some(self.https_port),
        };
        (m, z, h)
    }
}

/// This host's name (`localhost` when it cannot be read).
pub fn local_hostname() -> String {
    crate::execute::local_hostname()
}
